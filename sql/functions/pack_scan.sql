-- pack_scan.sql — one pack scan (POST /v1/pack/scans): puts p_qty units of the scanned GTIN
-- into the open package p_package, exactly once by scan_id.
--
--   p_warehouse   the staff key's warehouse (a NOT NULL domain: Citus runs the call on the
--                 worker holding the warehouse's shard, which holds everything it touches)
--   p_scan_id, p_key_id, p_request_hash   as receiving_scan's
--   p_package     the package's id; p_gtin the scanned item (14 digits); p_qty >= 1
--   p_now         the scan's time
--
-- Only picked units of the package's order that are in no package yet may go in: a GTIN that
-- is no line of the order, or whose line has no such unit left, is 'wrong-item'; more units
-- than are left is 'over-pack' (with left_to_pack). The order's packing lock (packing_lock)
-- is taken before the progress is read, so two stations packing one order never pack a unit
-- twice; the scan_id is looked up again under the locks (a twin that held them has
-- committed). Outcome 'ok' with the package, the scanned line and the order's progress, and
-- next 'item' (units are left to pack) or 'close'; or 'not-found', 'wrong-state' (the package
-- is closed or shipped), 'wrong-item', 'over-pack', 'scan-id-reused'. Refusals carry the
-- progress and next too, and store nothing.
CREATE OR REPLACE FUNCTION pack_scan(p_warehouse warehouse_ref, p_scan_id uuid, p_key_id uuid,
    p_request_hash text, p_package uuid, p_gtin text, p_qty int, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_order uuid;
    v_state text;
    v_tracking text;
    v_line int;
    sku_json jsonb;
    progress jsonb;
    line_json jsonb;
    v_left int;
BEGIN
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'pack', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;

    SELECT p.order_id, p.state, p.tracking_number INTO v_order, v_state, v_tracking
    FROM packages p WHERE p.warehouse_id = p_warehouse AND p.id = p_package FOR UPDATE;
    IF v_order IS NULL THEN
        outcome := 'not-found';
        detail := format('no package %s in this warehouse', p_package);
        RETURN;
    END IF;
    PERFORM packing_lock(p_warehouse, v_order);
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'pack', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF v_state <> 'open' THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'package_id', p_package,
                                   'tracking_number', v_tracking, 'next', 'package');
        detail := format('package %s is %s (tracking number %s); open a new package for more '
                         'items', p_package, v_state, v_tracking);
        RETURN;
    END IF;

    SELECT l.line_no, jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin,
                                         'name', k.name)
    INTO v_line, sku_json
    FROM (SELECT DISTINCT x.line_no, x.seller_id, x.sku_id FROM order_reservations x
          WHERE x.warehouse_id = p_warehouse AND x.order_id = v_order) l
    JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
    WHERE k.gtin = p_gtin::bpchar;
    progress := packing_progress(p_warehouse, v_order);
    IF v_line IS NULL THEN
        outcome := 'wrong-item';
        body := jsonb_build_object('package_id', p_package, 'order_id', v_order,
                                   'progress', progress, 'next', 'item');
        detail := format('GTIN %s is no item of order %s: put it back', p_gtin, v_order);
        RETURN;
    END IF;
    SELECT e INTO line_json FROM jsonb_array_elements(progress -> 'lines') e
    WHERE (e ->> 'line')::int = v_line;
    v_left := (line_json ->> 'left_to_pack')::int;
    IF v_left = 0 THEN
        outcome := 'wrong-item';
        body := jsonb_build_object('package_id', p_package, 'order_id', v_order, 'sku', sku_json,
                                   'line', line_json, 'progress', progress, 'next', 'item');
        detail := format('every picked unit of %s on order %s is packed already%s: put it back',
                         sku_json ->> 'sku_code', v_order,
                         CASE WHEN (line_json ->> 'to_pick')::int > 0
                              THEN format(' (%s more to pick)', line_json ->> 'to_pick') ELSE '' END);
        RETURN;
    END IF;
    IF p_qty > v_left THEN
        outcome := 'over-pack';
        body := jsonb_build_object('package_id', p_package, 'order_id', v_order, 'sku', sku_json,
                                   'left_to_pack', v_left, 'line', line_json, 'progress', progress,
                                   'next', 'item');
        detail := format('only %s picked unit%s of %s on order %s %s left to pack, not %s', v_left,
                         CASE WHEN v_left = 1 THEN '' ELSE 's' END, sku_json ->> 'sku_code',
                         v_order, CASE WHEN v_left = 1 THEN 'is' ELSE 'are' END, p_qty);
        RETURN;
    END IF;

    INSERT INTO package_items AS i (warehouse_id, package_id, line_no, qty)
    VALUES (p_warehouse, p_package, v_line, p_qty)
    ON CONFLICT (warehouse_id, package_id, line_no) DO UPDATE SET qty = i.qty + EXCLUDED.qty;
    UPDATE packages p SET updated_at = p_now WHERE p.warehouse_id = p_warehouse AND p.id = p_package;
    progress := packing_progress(p_warehouse, v_order);
    SELECT e INTO line_json FROM jsonb_array_elements(progress -> 'lines') e
    WHERE (e ->> 'line')::int = v_line;
    body := jsonb_build_object('scan_id', p_scan_id, 'sku', sku_json, 'qty', p_qty, 'line', line_json,
        'package', package_doc(p_warehouse, p_package), 'progress', progress,
        'next', CASE WHEN (progress ->> 'left_to_pack')::int > 0 THEN 'item' ELSE 'close' END,
        'scanned_at', api_ts(p_now));
    PERFORM scan_record(p_warehouse, p_scan_id, 'pack', p_key_id, p_request_hash, body, p_now);
    outcome := 'ok';
END $$;
