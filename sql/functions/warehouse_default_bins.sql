-- warehouse_default_bins.sql — every warehouse has a receiving and a quarantine location, as bins.

-- Every warehouse has a receiving and a quarantine location, as bins.
CREATE OR REPLACE FUNCTION warehouse_default_bins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bins (warehouse_id, code, zone, kind)
    VALUES (NEW.id, 'RECEIVING', 'DOCK', 'receiving'), (NEW.id, 'QUARANTINE', 'DOCK', 'quarantine')
    ON CONFLICT (warehouse_id, code) DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER warehouses_default_bins AFTER INSERT ON warehouses
    FOR EACH ROW EXECUTE FUNCTION warehouse_default_bins();
