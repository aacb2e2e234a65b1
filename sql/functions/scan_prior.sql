-- scan_prior.sql — the stored answer of an earlier scan with the same scan_id.

-- The stored answer of an earlier scan with this id in this warehouse, as the
-- scan functions return it; no row when there is none. A scan_id used by the
-- other kind of scan is a 409 (a device bug, never a retry).
CREATE OR REPLACE FUNCTION scan_prior(p_warehouse uuid, p_scan_id uuid, p_kind text,
    OUT status int, OUT problem text, OUT detail text, OUT body jsonb, OUT replayed boolean)
RETURNS SETOF record LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN s.kind = p_kind THEN 200 ELSE 409 END,
           CASE WHEN s.kind = p_kind THEN NULL ELSE 'scan-id-reused' END,
           CASE WHEN s.kind = p_kind THEN NULL
                ELSE format('scan_id %s was already used by a %s scan', p_scan_id, s.kind) END,
           CASE WHEN s.kind = p_kind THEN s.response END,
           s.kind = p_kind
    FROM scans s WHERE s.warehouse_id = p_warehouse AND s.scan_id = p_scan_id
$$;
