-- scan_prior.sql — what an earlier scan with the same scan_id says about this one: nothing
-- (no row, go on), the stored answer to replay (the same kind and request), or
-- 'scan-id-reused' (another kind, or another request under the same id). Shared by every
-- scan function; PL/pgSQL, as parameterized SQL-language functions over distributed tables
-- do not run on Citus.
CREATE OR REPLACE FUNCTION scan_prior(p_warehouse uuid, p_scan_id uuid, p_kind text,
    p_request_hash text, OUT outcome text, OUT detail text, OUT body jsonb,
    OUT replayed boolean)
RETURNS SETOF record LANGUAGE plpgsql STABLE AS $$
DECLARE
    prior_kind text;
    prior_hash text;
    prior_body jsonb;
BEGIN
    SELECT p.kind, p.request_hash, p.response INTO prior_kind, prior_hash, prior_body
    FROM scans p WHERE p.warehouse_id = p_warehouse AND p.scan_id = p_scan_id;
    IF prior_kind IS NULL THEN
        RETURN;
    END IF;
    IF prior_kind = p_kind AND prior_hash = p_request_hash THEN
        outcome := 'ok'; body := prior_body; replayed := true;
    ELSE
        outcome := 'scan-id-reused'; replayed := false;
        detail := format('scan_id %s was used for another %s scan; a new scan needs a new scan_id',
                         p_scan_id, prior_kind);
    END IF;
    RETURN NEXT;
END $$;
