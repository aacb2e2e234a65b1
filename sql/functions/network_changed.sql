-- network_changed.sql — every change of the lane network bumps its version and NOTIFYs
-- wms_network: servers reload.

CREATE OR REPLACE FUNCTION network_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE network_settings SET version = version + 1;
    PERFORM pg_notify('wms_network', '');
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER network_nodes_changed AFTER INSERT OR UPDATE OR DELETE ON network_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();

CREATE OR REPLACE TRIGGER carrier_services_changed AFTER INSERT OR UPDATE OR DELETE ON carrier_services
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();

CREATE OR REPLACE TRIGGER network_legs_changed AFTER INSERT OR UPDATE OR DELETE ON network_legs
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();

CREATE OR REPLACE TRIGGER network_processing_changed AFTER INSERT OR UPDATE OR DELETE ON network_processing
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();

CREATE OR REPLACE TRIGGER promise_targets_changed AFTER INSERT OR UPDATE OR DELETE ON promise_targets
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();

CREATE OR REPLACE FUNCTION network_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wms_network', '');
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER network_settings_currency AFTER UPDATE OF currency ON network_settings
    FOR EACH STATEMENT EXECUTE FUNCTION network_settings_changed();
