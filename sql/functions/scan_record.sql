-- scan_record.sql — stores a scan's answer under its scan_id, the last step of a scan
-- function that changed something (pack_scan, ship_scan): INSERT … ON CONFLICT DO NOTHING,
-- and when a twin with the same scan_id committed since the scan_prior() look-ups, SQLSTATE
-- WS001 undoes the caller's transaction, which the server runs once more (it then replays
-- the twin's answer). PL/pgSQL, as parameterized SQL-language functions over distributed
-- tables do not run on Citus.
CREATE OR REPLACE FUNCTION scan_record(p_warehouse uuid, p_scan_id uuid, p_kind text,
    p_key_id uuid, p_request_hash text, p_response jsonb, p_now timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO scans (warehouse_id, scan_id, kind, shipment_id, key_id, request_hash, response,
                       created_at)
    VALUES (p_warehouse, p_scan_id, p_kind, NULL, p_key_id, p_request_hash, p_response, p_now)
    ON CONFLICT (warehouse_id, scan_id) DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'scan % was stored by a twin', p_scan_id USING ERRCODE = 'WS001';
    END IF;
END $$;
