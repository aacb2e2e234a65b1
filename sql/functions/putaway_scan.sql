-- putaway_scan.sql — one putaway scan (POST /v1/putaway/scans): moves p_qty units of the
-- scanned GTIN in status p_status from bin p_from to bin p_to, exactly once by scan_id.
--
--   p_warehouse   the staff key's warehouse (a NOT NULL domain: delegated, see receiving_scan)
--   p_scan_id, p_key_id, p_request_hash   as receiving_scan's
--   p_gtin, p_lot (NULL: any), p_expiry (NULL: any), p_qty >= 1
--   p_from, p_to  bin codes; p_status sellable | quarantine; p_now the scan's time
--
-- The stock is found by GTIN at the source (GTINs are unique per seller, so two sellers'
-- SKUs could share one: with stock of both there, 'ambiguous-gtin'). Quarantined stock
-- goes only into quarantine bins and sellable stock never into one ('wrong-bin-kind').
-- Without a scanned lot the units are taken first-expired-first-out across the lots and
-- expiries there, one movement each. The source rows are locked before the quantity check,
-- so concurrent putaways of the same stock serialize and the check holds; the scan_id is
-- checked again under the lock (a twin that held it has committed). inventory_post() writes
-- the movements and on-hand. Outcome 'ok' with the answer, or a catalogue slug (see
-- receiving_scan).
DROP FUNCTION IF EXISTS putaway_scan(uuid, uuid, uuid, text, text, text, date, int, text, text,
    text, timestamptz);
CREATE OR REPLACE FUNCTION putaway_scan(p_warehouse warehouse_ref, p_scan_id uuid, p_key_id uuid,
    p_request_hash text, p_gtin text, p_lot text, p_expiry date, p_qty int, p_from text,
    p_to text, p_status text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_from uuid;
    v_to uuid;
    v_to_kind text;
    n int;
    v_sku uuid;
    v_seller uuid;
    sku_json jsonb;
    have bigint;
    moved jsonb;
    from_after bigint;
    to_after bigint;
BEGIN
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'putaway', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;

    SELECT b.id INTO v_from FROM bins b WHERE b.warehouse_id = p_warehouse AND b.code = p_from;
    IF v_from IS NULL THEN
        outcome := 'unknown-bin'; body := jsonb_build_object('field', 'from');
        detail := format('no bin %s in this warehouse', p_from);
        RETURN;
    END IF;
    SELECT b.id, b.kind INTO v_to, v_to_kind FROM bins b
    WHERE b.warehouse_id = p_warehouse AND b.code = p_to;
    IF v_to IS NULL THEN
        outcome := 'unknown-bin'; body := jsonb_build_object('field', 'to_bin');
        detail := format('no bin %s in this warehouse', p_to);
        RETURN;
    END IF;
    IF (p_status = 'quarantine') <> (v_to_kind = 'quarantine') THEN
        outcome := 'wrong-bin-kind'; body := jsonb_build_object('field', 'to_bin');
        detail := CASE WHEN p_status = 'quarantine'
                       THEN format('quarantined stock goes only into a quarantine bin; %s is a %s bin',
                                   p_to, v_to_kind)
                       ELSE format('%s is a quarantine bin: sellable stock does not go there', p_to)
                  END;
        RETURN;
    END IF;

    SELECT count(DISTINCT k.id), min(k.id::text)::uuid INTO n, v_sku
    FROM skus k JOIN inventory_onhand o ON o.warehouse_id = p_warehouse AND o.sku_id = k.id
         AND o.bin_id = v_from AND o.status = p_status AND o.qty > 0
         AND (p_lot IS NULL OR o.lot = p_lot) AND (p_expiry IS NULL OR o.expiry = p_expiry)
    WHERE k.gtin = p_gtin::bpchar;
    IF n > 1 THEN
        outcome := 'ambiguous-gtin';
        detail := format('GTIN %s belongs to SKUs of %s sellers with stock at %s', p_gtin, n, p_from);
        RETURN;
    END IF;
    IF n = 0 THEN
        IF NOT EXISTS (SELECT 1 FROM skus k WHERE k.gtin = p_gtin::bpchar) THEN
            outcome := 'unknown-gtin';
            detail := format('GTIN %s is no SKU''s', p_gtin);
        ELSE
            outcome := 'insufficient-stock';
            detail := format('no %s stock of GTIN %s%s at %s', p_status, p_gtin,
                             CASE WHEN p_lot IS NOT NULL THEN ' lot ' || p_lot ELSE '' END, p_from);
            body := jsonb_build_object('available', 0, 'next', 'item');
        END IF;
        RETURN;
    END IF;
    SELECT k.seller_id, jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin,
                                           'name', k.name, 'seller_id', k.seller_id)
    INTO v_seller, sku_json FROM skus k WHERE k.gtin = p_gtin::bpchar AND k.id = v_sku;

    -- lock the source rows, then look again for a twin of this scan
    SELECT sum(o.qty) INTO have FROM (
        SELECT o.qty FROM inventory_onhand o
        WHERE o.warehouse_id = p_warehouse AND o.sku_id = v_sku AND o.bin_id = v_from
          AND o.status = p_status AND (p_lot IS NULL OR o.lot = p_lot)
          AND (p_expiry IS NULL OR o.expiry = p_expiry)
        ORDER BY o.expiry, o.lot FOR UPDATE) o;
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'putaway', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF coalesce(have, 0) < p_qty THEN
        outcome := 'insufficient-stock';
        detail := format('only %s units of %s (%s) at %s', coalesce(have, 0), sku_json->>'sku_code',
                         p_status, p_from);
        body := jsonb_build_object('available', coalesce(have, 0), 'next', 'item', 'sku', sku_json);
        RETURN;
    END IF;

    -- first expired first out: each lot and expiry in turn until p_qty is taken
    SELECT jsonb_agg(jsonb_build_object('seller_id', v_seller, 'sku_id', v_sku,
               'qty', least(s.qty, p_qty - s.before), 'from_bin', v_from, 'from_status', p_status,
               'to_bin', v_to, 'to_status', p_status, 'lot', s.lot,
               'expiry', CASE WHEN s.expiry <> 'infinity' THEN s.expiry END)
               ORDER BY s.expiry, s.lot)
    INTO moved
    FROM (SELECT o.lot, o.expiry, o.qty,
                 coalesce(sum(o.qty) OVER (ORDER BY o.expiry, o.lot
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                     AS before
          FROM inventory_onhand o
          WHERE o.warehouse_id = p_warehouse AND o.sku_id = v_sku AND o.bin_id = v_from
            AND o.status = p_status AND o.qty > 0 AND (p_lot IS NULL OR o.lot = p_lot)
            AND (p_expiry IS NULL OR o.expiry = p_expiry)) s
    WHERE s.before < p_qty;
    PERFORM inventory_post(p_warehouse, moved, 'putaway', 'scan', p_scan_id::text, p_key_id, p_now);
    SELECT coalesce(sum(o.qty) FILTER (WHERE o.bin_id = v_from), 0),
           coalesce(sum(o.qty) FILTER (WHERE o.bin_id = v_to), 0)
    INTO from_after, to_after FROM inventory_onhand o
    WHERE o.warehouse_id = p_warehouse AND o.sku_id = v_sku AND o.bin_id IN (v_from, v_to)
      AND o.status = p_status;

    body := jsonb_build_object('scan_id', p_scan_id, 'sku', sku_json, 'qty', p_qty,
        'status', p_status,
        'lots', (SELECT jsonb_agg(jsonb_build_object('lot', nullif(x->>'lot', ''),
                                                     'expiry', x->'expiry', 'qty', x->'qty'))
                 FROM jsonb_array_elements(moved) x),
        'from', jsonb_build_object('bin', p_from, 'qty', from_after),
        'to', jsonb_build_object('bin', p_to, 'qty', to_after),
        'next', 'item', 'scanned_at', api_ts(p_now));
    INSERT INTO scans (warehouse_id, scan_id, kind, shipment_id, key_id, request_hash, response,
                       created_at)
    VALUES (p_warehouse, p_scan_id, 'putaway', NULL, p_key_id, p_request_hash, body, p_now)
    ON CONFLICT (warehouse_id, scan_id) DO NOTHING;
    IF NOT FOUND THEN -- a twin committed this scan_id meanwhile: undo, the caller reruns
        RAISE EXCEPTION 'scan % was stored by a twin', p_scan_id USING ERRCODE = 'WS001';
    END IF;
    outcome := 'ok';
END $$;
