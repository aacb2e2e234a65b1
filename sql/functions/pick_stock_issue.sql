-- pick_stock_issue.sql — a short pick (POST /v1/pick/stock-issue): at bin p_bin of list
-- p_list the operator counted p_counted units of the item (p_gtin, with p_lot / p_expiry
-- when the barcode or the body names them) where the stock says more. Exactly once by
-- scan_id, as every scan on a list (pick_scan_start).
--
-- The item must be an open task of the list at that bin ('wrong-bin' when the bin has none,
-- 'wrong-item' when the item is not one, or is one in several lots and the scan names none).
-- Its stock row there (SKU, bin, lot, expiry) then holds p_counted units:
--
--   1. What is reserved on the row beyond p_counted is cut from the unpicked reservations
--      on it: this list's orders first (most urgent first), then other orders, the latest
--      created first (free units go before any reservation: the count only cuts
--      reservations when it is below what they hold).
--   2. The missing units (on-hand − p_counted) leave the bin: one movement with reason
--      'stock_issue', ref the scan (inventory_post), never reserved units.
--   3. Each cut is reserved again elsewhere in the warehouse by order_reserve (the one
--      allocation rule: FEFO from storage bins, expiring after the order's promise
--      deadline), in an exception block so that a failure undoes only that attempt; when
--      the whole cut cannot be had, as much as can (the units order_reserve found).
--   4. What could not be had is short on the order's line (order_lines.short). An order
--      whose every line is wholly short is rejected (p_reject_from → p_unfulfillable, the
--      state table's reject): escrow refunded in full, as order_create does, with a reason
--      per line. A partly short order goes on; the short part's money is settled later.
--   5. With nothing left to pick the list goes to p_done.
--
-- Locks: the list, then every sellable stock row of the SKU in storage bins in
-- order_reserve's order (expiry, lot, bin code) — the rows a re-allocation may take — then
-- the row's reservations, then the orders on their sellers' shards (so this runs on the
-- coordinator, not delegated). Outcome 'ok' with what happened and next, or a slug.
CREATE OR REPLACE FUNCTION pick_stock_issue(p_warehouse warehouse_ref, p_scan_id uuid,
    p_key uuid, p_request_hash text, p_list uuid, p_bin text, p_gtin text, p_lot text,
    p_expiry date, p_counted int, p_scan_from text[], p_done text, p_reject_from text[],
    p_unfulfillable text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_orders uuid[];
    v_bin uuid;
    tasks jsonb;
    nxt jsonb;
    matches int;
    task jsonb;
    v_sku uuid;
    v_seller uuid;
    v_lot text;
    v_expiry date;
    sku_json jsonb;
    on_hand bigint;
    v_reserved bigint;
    missing bigint := 0;
    to_cut bigint;
    held jsonb;
    created jsonb;
    r record;
    k int;
    got int;
    d text;
    v_after date;
    cuts jsonb := '[]'::jsonb;
    outcomes jsonb := '[]'::jsonb;
    short_orders uuid[] := '{}';
    short_sellers uuid[] := '{}';
    rejected uuid[] := '{}';
    reasons jsonb;
BEGIN
    SELECT * INTO outcome, detail, body, replayed, v_state, v_orders
    FROM pick_scan_start(p_warehouse, p_scan_id, p_key, p_request_hash, p_list, p_scan_from);
    IF outcome IS NOT NULL THEN
        RETURN;
    END IF;

    SELECT b.id INTO v_bin FROM bins b WHERE b.warehouse_id = p_warehouse AND b.code = p_bin;
    tasks := pick_tasks(p_warehouse, v_orders);
    IF v_bin IS NULL OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(tasks) t
                                    WHERE t ->> 'bin' = p_bin
                                      AND (t ->> 'qty')::int > (t ->> 'picked')::int) THEN
        outcome := 'wrong-bin';
        nxt := pick_next(tasks, NULL);
        detail := format('this list picks nothing more at %s%s', p_bin,
                         CASE WHEN nxt ->> 'bin' IS NOT NULL THEN format('; its next bin is %s', nxt ->> 'bin')
                              ELSE '' END);
        body := jsonb_build_object('expected', jsonb_build_object('bin', nxt ->> 'bin'), 'next', nxt);
        RETURN;
    END IF;
    SELECT count(*), (array_agg(t))[1] INTO matches, task
    FROM jsonb_array_elements(tasks) t
    WHERE t ->> 'bin' = p_bin AND (t ->> 'qty')::int > (t ->> 'picked')::int
      AND t ->> 'gtin' = p_gtin AND (p_lot IS NULL OR coalesce(t ->> 'lot', '') = p_lot)
      AND (p_expiry IS NULL OR (t ->> 'expiry')::date = p_expiry);
    IF matches <> 1 THEN
        outcome := 'wrong-item';
        SELECT * INTO detail, body
        FROM pick_wrong_item(tasks, p_bin, CASE
            WHEN matches = 0 THEN format('GTIN %s%s is no open task', p_gtin,
                                         CASE WHEN p_lot IS NOT NULL THEN ' lot ' || p_lot ELSE '' END)
            ELSE format('GTIN %s is in %s lots: scan the lot''s barcode or name the lot', p_gtin,
                        matches) END);
        RETURN;
    END IF;
    v_sku := (task ->> 'sku_id')::uuid;
    v_lot := coalesce(task ->> 'lot', '');
    v_expiry := coalesce((task ->> 'expiry')::date, 'infinity'::date);
    SELECT k.seller_id, jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin,
                                           'name', k.name)
    INTO v_seller, sku_json FROM skus k WHERE k.gtin = p_gtin::bpchar AND k.id = v_sku;

    -- every row a re-allocation may take, in order_reserve's order; then this one's counts
    PERFORM 1 FROM inventory_onhand o JOIN bins b ON b.warehouse_id = o.warehouse_id AND b.id = o.bin_id
    WHERE o.warehouse_id = p_warehouse AND o.sku_id = v_sku AND o.status = 'sellable'
      AND b.kind = 'storage'
    ORDER BY o.expiry, o.lot, b.code
    FOR UPDATE OF o;
    SELECT o.qty, o.reserved INTO on_hand, v_reserved FROM inventory_onhand o
    WHERE o.warehouse_id = p_warehouse AND o.sku_id = v_sku AND o.bin_id = v_bin
      AND o.status = 'sellable' AND o.lot = v_lot AND o.expiry = v_expiry;
    on_hand := coalesce(on_hand, 0);
    missing := greatest(on_hand - p_counted, 0);
    to_cut := greatest(coalesce(v_reserved, 0) - p_counted, 0);

    IF to_cut > 0 THEN
        SELECT jsonb_agg(jsonb_build_object('order_id', x.order_id, 'seller_id', x.seller_id,
                   'line_no', x.line_no, 'open', x.qty - x.picked,
                   'pos', array_position(v_orders, x.order_id)))
        INTO held
        FROM (SELECT x.order_id, x.seller_id, x.line_no, x.qty, x.picked FROM order_reservations x
              WHERE x.warehouse_id = p_warehouse AND x.sku_id = v_sku AND x.bin_id = v_bin
                AND x.lot = v_lot AND x.expiry = v_expiry AND x.qty > x.picked
              ORDER BY x.order_id, x.line_no
              FOR UPDATE) x;
        SELECT coalesce(jsonb_object_agg(o.id, o.created_at), '{}'::jsonb) INTO created
        FROM orders o
        WHERE (o.seller_id, o.id) IN (SELECT (e ->> 'seller_id')::uuid, (e ->> 'order_id')::uuid
                                      FROM jsonb_array_elements(held) e);
        FOR r IN SELECT (e ->> 'order_id')::uuid AS order_id, (e ->> 'seller_id')::uuid AS seller_id,
                        (e ->> 'line_no')::int AS line_no, (e ->> 'open')::int AS open
                 FROM jsonb_array_elements(held) e
                 ORDER BY (e ->> 'pos')::int NULLS LAST,
                          (created ->> (e ->> 'order_id'))::timestamptz DESC, e ->> 'order_id',
                          (e ->> 'line_no')::int LOOP
            EXIT WHEN to_cut = 0;
            k := least(to_cut, r.open);
            UPDATE order_reservations x SET qty = x.qty - k
            WHERE x.warehouse_id = p_warehouse AND x.order_id = r.order_id AND x.line_no = r.line_no
              AND x.bin_id = v_bin AND x.lot = v_lot AND x.expiry = v_expiry AND x.qty > k;
            IF NOT FOUND THEN -- all of it, nothing picked: the reservation goes
                DELETE FROM order_reservations x
                WHERE x.warehouse_id = p_warehouse AND x.order_id = r.order_id
                  AND x.line_no = r.line_no AND x.bin_id = v_bin AND x.lot = v_lot
                  AND x.expiry = v_expiry;
            END IF;
            UPDATE inventory_onhand o SET reserved = o.reserved - k, updated_at = p_now
            WHERE o.warehouse_id = p_warehouse AND o.sku_id = v_sku AND o.bin_id = v_bin
              AND o.status = 'sellable' AND o.lot = v_lot AND o.expiry = v_expiry;
            cuts := cuts || jsonb_build_object('order', r.order_id, 'seller_id', r.seller_id,
                                               'line', r.line_no, 'cut', k);
            to_cut := to_cut - k;
        END LOOP;
    END IF;

    IF missing > 0 THEN
        PERFORM inventory_post(p_warehouse, jsonb_build_array(jsonb_build_object(
                    'seller_id', v_seller, 'sku_id', v_sku, 'qty', missing, 'from_bin', v_bin,
                    'from_status', 'sellable', 'lot', v_lot,
                    'expiry', CASE WHEN v_expiry <> 'infinity' THEN v_expiry END)),
                'stock_issue', 'scan', p_scan_id::text, p_key, p_now);
    END IF;

    -- each cut reserved again elsewhere if the warehouse has it, else short on its line
    FOR r IN SELECT (c ->> 'order')::uuid AS order_id, (c ->> 'seller_id')::uuid AS seller_id,
                    (c ->> 'line')::int AS line_no, (c ->> 'cut')::int AS cut
             FROM jsonb_array_elements(cuts) WITH ORDINALITY AS e (c, i) ORDER BY e.i LOOP
        SELECT coalesce((o.promise_deadline AT TIME ZONE 'UTC')::date, (p_now AT TIME ZONE 'UTC')::date)
        INTO v_after FROM orders o WHERE o.seller_id = r.seller_id AND o.id = r.order_id;
        got := 0;
        BEGIN
            PERFORM order_reserve(p_warehouse, r.order_id, r.seller_id, jsonb_build_array(
                jsonb_build_object('line_no', r.line_no, 'sku_id', v_sku, 'qty', r.cut)), v_after);
            got := r.cut;
        EXCEPTION WHEN SQLSTATE 'WS003' THEN
            GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
            got := (d::jsonb ->> 'available')::int;
        END;
        IF got > 0 AND got < r.cut THEN -- as much as there is (the rows are locked: it holds)
            BEGIN
                PERFORM order_reserve(p_warehouse, r.order_id, r.seller_id, jsonb_build_array(
                    jsonb_build_object('line_no', r.line_no, 'sku_id', v_sku, 'qty', got)), v_after);
            EXCEPTION WHEN SQLSTATE 'WS003' THEN
                got := 0;
            END;
        END IF;
        IF got < r.cut THEN
            UPDATE order_lines l SET short = l.short + (r.cut - got)
            WHERE l.seller_id = r.seller_id AND l.order_id = r.order_id AND l.line_no = r.line_no;
        END IF;
        outcomes := outcomes || jsonb_build_object('order', r.order_id, 'line', r.line_no,
            'cut', r.cut, 'reallocated', got, 'short', r.cut - got);
        IF got < r.cut AND NOT r.order_id = ANY (short_orders) THEN
            short_orders := short_orders || r.order_id;
            short_sellers := short_sellers || r.seller_id;
        END IF;
    END LOOP;

    -- orders left with nothing to ship are unfulfillable, their escrow refunded
    FOR i IN 1 .. cardinality(short_orders) LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM order_lines l
                              WHERE l.seller_id = short_sellers[i] AND l.order_id = short_orders[i]
                                AND l.short < l.qty);
        SELECT jsonb_agg(jsonb_build_object('line', l.line_no, 'sku', k.sku_code,
                   'reason', 'short_pick',
                   'detail', format('%s of %s units missing in the warehouse after a stock issue; '
                                    'none left to allocate', l.short, l.qty)) ORDER BY l.line_no)
        INTO reasons
        FROM order_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
        WHERE l.seller_id = short_sellers[i] AND l.order_id = short_orders[i];
        UPDATE orders o SET state = p_unfulfillable, escrow = 'refunded', refunded = o.amount_paid,
            unfulfillable = reasons, updated_at = p_now, version = o.version + 1
        WHERE o.seller_id = short_sellers[i] AND o.id = short_orders[i]
          AND o.state = ANY (p_reject_from);
        IF FOUND THEN
            rejected := rejected || short_orders[i];
        END IF;
    END LOOP;

    body := jsonb_build_object('scan_id', p_scan_id, 'pick_list', p_list, 'bin', p_bin,
        'sku', sku_json, 'lot', nullif(v_lot, ''),
        'expiry', CASE WHEN v_expiry <> 'infinity' THEN v_expiry END,
        'on_hand', on_hand, 'counted', p_counted, 'missing', missing, 'reservations', outcomes,
        'unfulfillable', to_jsonb(rejected), 'reported_at', api_ts(p_now))
        || pick_scan_walk_on(p_warehouse, p_list, pick_tasks(p_warehouse, v_orders), p_bin, v_state,
                             p_done, p_now);

    PERFORM scan_record(p_warehouse, p_scan_id, 'pick', p_key, p_request_hash, body, p_now);
    outcome := 'ok';
END $$;
