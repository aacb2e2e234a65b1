-- network_legs_ends.sql — legs start at a warehouse, hub or gateway; delivery days only on
-- legs into a zone.

-- Legs start at a warehouse, hub or gateway; delivery days only on legs into a zone.
CREATE OR REPLACE FUNCTION network_legs_ends() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT kind FROM network_nodes WHERE code = NEW.from_node) = 'zone' THEN
        RAISE EXCEPTION 'leg % starts at zone %; zones are destinations', NEW.id, NEW.from_node
            USING ERRCODE = 'check_violation', CONSTRAINT = 'network_legs_from_zone';
    END IF;
    IF NEW.delivery_days IS NOT NULL
       AND (SELECT kind FROM network_nodes WHERE code = NEW.to_node) <> 'zone' THEN
        RAISE EXCEPTION 'leg % has delivery days but does not end in a zone', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'network_legs_delivery_days';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER network_legs_ends BEFORE INSERT OR UPDATE ON network_legs
    FOR EACH ROW EXECUTE FUNCTION network_legs_ends();
