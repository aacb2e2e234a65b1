-- fee_version_guard.sql — fee schedule and policy versions are immutable but for closing an
-- open one.

-- Versions are immutable except for closing an open one.
CREATE OR REPLACE FUNCTION fee_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.valid_to IS NULL AND NEW.valid_to IS NOT NULL
       AND (to_jsonb(NEW) - 'valid_to') = (to_jsonb(OLD) - 'valid_to') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows are versions: add a new version instead of changing one', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE OR REPLACE TRIGGER fee_schedules_guard BEFORE UPDATE OR DELETE ON fee_schedules
    FOR EACH ROW EXECUTE FUNCTION fee_version_guard();

CREATE OR REPLACE TRIGGER fee_policies_guard BEFORE UPDATE OR DELETE ON fee_policies
    FOR EACH ROW EXECUTE FUNCTION fee_version_guard();
