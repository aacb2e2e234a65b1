-- append_only.sql — ledgers that are never changed, only appended to.

CREATE OR REPLACE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

CREATE OR REPLACE TRIGGER inventory_movements_no_change BEFORE UPDATE OR DELETE ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE OR REPLACE TRIGGER seller_ledger_no_change BEFORE UPDATE OR DELETE ON seller_ledger
    FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE OR REPLACE TRIGGER fee_schedule_categories_guard BEFORE UPDATE OR DELETE ON fee_schedule_categories
    FOR EACH ROW EXECUTE FUNCTION append_only();
