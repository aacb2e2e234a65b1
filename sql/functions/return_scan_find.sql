-- return_scan_find.sql — what both returns-centre scans (return_receipt_scan,
-- return_inspection_scan) do first: an earlier scan with the same scan_id answers for this
-- one (scan_prior: the stored answer, or 'scan-id-reused'); else the return — by its id
-- p_return (the label's Data Matrix) or its RMA code p_rma (the Code 128) — is found in
-- this warehouse and locked ('not-found' otherwise), and scan_prior is asked again under the
-- lock (a twin holding the same scan_id has committed while this one waited). outcome is
-- NULL when the scan goes on, with the locked return's id in return_id.
CREATE OR REPLACE FUNCTION return_scan_find(p_warehouse uuid, p_scan_id uuid, p_kind text,
    p_request_hash text, p_return uuid, p_rma text,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean, OUT return_id uuid)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, p_kind, p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    SELECT r.id INTO return_id FROM returns r
    WHERE r.warehouse_id = p_warehouse
      AND (r.id = p_return OR (p_return IS NULL AND r.rma = p_rma))
    FOR UPDATE;
    IF return_id IS NULL THEN
        outcome := 'not-found';
        detail := format('no return %s in this returns centre', coalesce(p_return::text, p_rma));
        replayed := false;
        RETURN;
    END IF;
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, p_kind, p_request_hash);
END $$;
