-- api_keys_notify.sql — every key change is announced (NOTIFY wms_keys) so that servers drop
-- cached keys at once.

-- Every key change is announced so that servers drop cached keys at once.
CREATE OR REPLACE FUNCTION api_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wms_keys', '');
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION api_keys_notify();
