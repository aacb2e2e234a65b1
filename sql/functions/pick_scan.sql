-- pick_scan.sql — scans on a pick list: what each starts with (pick_scan_start, shared with
-- pick_stock_issue), and one pick scan.

-- What every scan on a pick list starts with (pick_scan, pick_stock_issue): the list locked
-- (one operator's scans queue on it, so a twin of this scan that held it first has committed
-- by now), an earlier scan with this scan_id (scan_prior: a replay, or 'scan-id-reused'),
-- then the list's state (p_scan_from) and operator (p_key). outcome NULL with the list's
-- state and orders: go on; else the answer to give: the replay, 'scan-id-reused',
-- 'not-found', 'wrong-state' (body: state, next) or 'conflict'.
CREATE OR REPLACE FUNCTION pick_scan_start(p_warehouse warehouse_ref, p_scan_id uuid,
    p_key uuid, p_request_hash text, p_list uuid, p_scan_from text[],
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean, OUT list_state text,
    OUT list_orders uuid[])
LANGUAGE plpgsql AS $$
DECLARE
    v_key uuid;
BEGIN
    replayed := false;
    SELECT l.state, l.key_id, l.orders INTO list_state, v_key, list_orders FROM pick_lists l
    WHERE l.warehouse_id = p_warehouse AND l.id = p_list
    FOR UPDATE;
    IF list_state IS NULL THEN
        outcome := 'not-found'; detail := 'no such pick list in this warehouse';
        RETURN;
    END IF;
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'pick', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF NOT list_state = ANY (p_scan_from) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', list_state, 'pick_list', p_list,
            'next', jsonb_build_object('step', CASE list_state WHEN 'done' THEN 'done'
                                                          WHEN 'released' THEN 'claim'
                                                          ELSE 'none' END));
    ELSIF v_key <> p_key THEN
        outcome := 'conflict';
        detail := 'another operator is picking this list; claim your own (POST /v1/pick-lists/claim)';
    END IF;
END $$;

-- Where a list stands after a scan changed its reservations, from its tasks as they are now
-- (p_tasks): {state, progress, next} with next from bin p_bin (pick_next); a list p_state
-- with nothing left to pick goes to p_done (complete) now.
CREATE OR REPLACE FUNCTION pick_scan_walk_on(p_warehouse warehouse_ref, p_list uuid,
    p_tasks jsonb, p_bin text, p_state text, p_done text, p_now timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    nxt jsonb := pick_next(p_tasks, p_bin);
    v_state text := p_state;
BEGIN
    IF nxt ->> 'step' = 'done' THEN
        UPDATE pick_lists l SET state = p_done, done_at = p_now, updated_at = p_now
        WHERE l.warehouse_id = p_warehouse AND l.id = p_list;
        v_state := p_done;
    END IF;
    RETURN jsonb_build_object('state', v_state, 'progress', pick_progress(p_tasks), 'next', nxt);
END $$;

-- One pick scan (POST /v1/pick/scans) on list p_list, exactly once by scan_id: the bin the
-- operator stands at (p_bin) and, unless it only confirms the location, the item taken from
-- it (p_gtin, p_lot and p_expiry when the barcode carries them, p_qty).
--
--   p_warehouse    the staff key's warehouse (a NOT NULL domain: delegated on Citus; the scan
--                  touches this warehouse's rows and the SKUs, reference data, only)
--   p_scan_id, p_key, p_request_hash   as receiving_scan's
--   p_scan_from    the list states a scan is allowed from (wms/pick_list.h: picking)
--   p_done         the state of a list with nothing left to pick (complete)
--
-- The walk (pick_tasks): the bin to scan is the bin of the first task with units left, in
-- bin walking order ('wrong-bin' names it: expected {bin}). A bin scan without an item
-- confirms the location and answers next: item. An item must be one of that bin's open
-- tasks — same GTIN and, when scanned, same lot and expiry — else 'wrong-item' with the
-- expected items; more units than its open tasks ask is 'over-pick'. The units are taken
-- from the bin's reservations of the list's orders (expiry, lot, then the orders in the
-- list's order, most urgent first): picked is bumped and inventory_post() moves them,
-- still reserved, into the warehouse's PACKING bin (made when missing), reason 'pick'.
-- When nothing is left the list goes to p_done.
--
-- Locks, in this order: the list (one operator's scans queue on it), then the stock rows of
-- the scanned item in this bin in order_reserve's order (SKU, expiry, lot), each with its
-- reservations, then the PACKING row: the order allocations (order_reserve) and stock
-- issues take stock rows in, so a scan never waits on either in a cycle (a deadlock the
-- database breaks all the same, 40P01, kept nothing, and the server runs the scan once
-- more). Outcome 'ok' with the answer (progress, next), or a catalogue slug; errors change
-- nothing.
CREATE OR REPLACE FUNCTION pick_scan(p_warehouse warehouse_ref, p_scan_id uuid, p_key uuid,
    p_request_hash text, p_list uuid, p_bin text, p_gtin text, p_lot text, p_expiry date,
    p_qty int, p_scan_from text[], p_done text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_orders uuid[];
    v_bin uuid;
    v_packing uuid;
    tasks jsonb;
    expected text;
    open_units bigint;
    sku_json jsonb;
    held jsonb;
    r record;
    left_units int;
    take int;
    picked jsonb := '[]'::jsonb;
    moves jsonb := '[]'::jsonb;
BEGIN
    SELECT * INTO outcome, detail, body, replayed, v_state, v_orders
    FROM pick_scan_start(p_warehouse, p_scan_id, p_key, p_request_hash, p_list, p_scan_from);
    IF outcome IS NOT NULL THEN
        RETURN;
    END IF;

    SELECT (array_agg(b.id) FILTER (WHERE b.code = p_bin))[1],
           (array_agg(b.id) FILTER (WHERE b.code = 'PACKING'))[1]
    INTO v_bin, v_packing
    FROM bins b WHERE b.warehouse_id = p_warehouse AND b.code IN (p_bin, 'PACKING');
    tasks := pick_tasks(p_warehouse, v_orders);
    expected := pick_next(tasks, NULL) ->> 'bin';
    IF expected IS NULL THEN
        outcome := 'wrong-state'; detail := 'nothing is left to pick on this list';
        body := jsonb_build_object('state', v_state, 'pick_list', p_list,
                                   'next', jsonb_build_object('step', 'done'));
        RETURN;
    END IF;
    IF p_bin <> expected THEN
        outcome := 'wrong-bin';
        detail := format('go to bin %s next%s', expected,
                         CASE WHEN v_bin IS NULL THEN format(' (%s is no bin of this warehouse)', p_bin)
                              ELSE format(' (%s is not the next bin of this list)', p_bin) END);
        body := jsonb_build_object('expected', jsonb_build_object('bin', expected),
            'next', pick_next(tasks, NULL), 'progress', pick_progress(tasks));
        RETURN;
    END IF;

    IF p_gtin IS NULL THEN -- the location confirmed: the item is next
        body := jsonb_build_object('scan_id', p_scan_id, 'pick_list', p_list, 'state', v_state,
            'bin', p_bin, 'qty', 0, 'progress', pick_progress(tasks), 'next', pick_next(tasks, p_bin),
            'scanned_at', api_ts(p_now));
    ELSE
        -- the bin's open reservations of the item and their stock rows, locked in allocation's
        -- order (SKU, expiry, lot: one bin), each stock row before its reservations
        SELECT sum(x.open),
               jsonb_agg(jsonb_build_object('order_id', x.order_id, 'line_no', x.line_no,
                             'lot', x.lot, 'expiry', x.expiry, 'seller_id', x.seller_id,
                             'sku_id', x.sku_id, 'open', x.open)
                         ORDER BY x.sku_id, x.expiry, x.lot, x.pos, x.line_no),
               (array_agg(x.sku ORDER BY x.sku_id, x.expiry, x.lot, x.pos, x.line_no))[1]
        INTO open_units, held, sku_json
        FROM (SELECT x.order_id, x.line_no, x.lot, x.expiry, x.seller_id, x.sku_id,
                     x.qty - x.picked AS open, array_position(v_orders, x.order_id) AS pos,
                     jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin,
                                        'name', k.name) AS sku
              FROM order_reservations x JOIN skus k ON k.seller_id = x.seller_id AND k.id = x.sku_id
              JOIN inventory_onhand o ON o.warehouse_id = x.warehouse_id AND o.sku_id = x.sku_id
                   AND o.bin_id = x.bin_id AND o.status = 'sellable' AND o.lot = x.lot
                   AND o.expiry = x.expiry
              WHERE x.warehouse_id = p_warehouse AND x.order_id = ANY (v_orders) AND x.bin_id = v_bin
                AND x.qty > x.picked AND k.gtin = p_gtin::bpchar
                AND (p_lot IS NULL OR x.lot = p_lot) AND (p_expiry IS NULL OR x.expiry = p_expiry)
              ORDER BY x.sku_id, x.expiry, x.lot, array_position(v_orders, x.order_id), x.line_no
              FOR UPDATE OF o, x) x;
        IF open_units IS NULL THEN
            outcome := 'wrong-item';
            SELECT * INTO detail, body
            FROM pick_wrong_item(tasks, p_bin, format('scanned GTIN %s%s%s', p_gtin,
                CASE WHEN p_lot IS NOT NULL THEN ' lot ' || p_lot ELSE '' END,
                CASE WHEN p_expiry IS NOT NULL THEN ' expiry ' || p_expiry ELSE '' END));
            RETURN;
        END IF;
        IF open_units < p_qty THEN
            outcome := 'over-pick';
            detail := format('%s units scanned; this list asks for %s more of %s at %s', p_qty,
                             open_units, sku_json ->> 'sku_code', p_bin);
            body := jsonb_build_object('expected', jsonb_build_object('bin', p_bin,
                        'sku', sku_json ->> 'sku_code', 'qty', open_units),
                    'next', pick_next(tasks, p_bin));
            RETURN;
        END IF;

        IF v_packing IS NULL THEN
            INSERT INTO bins AS b (warehouse_id, code, zone, kind)
            VALUES (p_warehouse, 'PACKING', 'PACK', 'staging')
            ON CONFLICT (warehouse_id, code) DO UPDATE SET code = EXCLUDED.code
            RETURNING b.id INTO v_packing;
        END IF;
        left_units := p_qty;
        FOR r IN SELECT x.* FROM jsonb_array_elements(held) WITH ORDINALITY AS e (j, i),
                     jsonb_to_record(e.j) AS x (order_id uuid, line_no int, lot text, expiry date,
                                                seller_id uuid, sku_id uuid, open int)
                 ORDER BY e.i LOOP
            EXIT WHEN left_units = 0;
            take := least(left_units, r.open);
            UPDATE order_reservations x SET picked = x.picked + take
            WHERE x.warehouse_id = p_warehouse AND x.order_id = r.order_id AND x.line_no = r.line_no
              AND x.bin_id = v_bin AND x.lot = r.lot AND x.expiry = r.expiry;
            picked := picked || jsonb_build_object('order', r.order_id, 'line', r.line_no,
                'qty', take, 'lot', nullif(r.lot, ''),
                'expiry', CASE WHEN r.expiry <> 'infinity' THEN r.expiry END);
            moves := moves || jsonb_build_object('seller_id', r.seller_id, 'sku_id', r.sku_id,
                'qty', take, 'from_bin', v_bin, 'from_status', 'sellable', 'to_bin', v_packing,
                'to_status', 'sellable', 'lot', r.lot,
                'expiry', CASE WHEN r.expiry <> 'infinity' THEN r.expiry END, 'reserved', true);
            tasks := pick_tasks_picked(tasks, p_bin, r.sku_id, r.lot, r.expiry, take);
            left_units := left_units - take;
        END LOOP;
        PERFORM inventory_post(p_warehouse, moves, 'pick', 'scan', p_scan_id::text, p_key, p_now);
        body := jsonb_build_object('scan_id', p_scan_id, 'pick_list', p_list, 'bin', p_bin,
            'sku', sku_json, 'qty', p_qty, 'picked', picked, 'to', jsonb_build_object('bin', 'PACKING'),
            'scanned_at', api_ts(p_now))
            || pick_scan_walk_on(p_warehouse, p_list, tasks, p_bin, v_state, p_done, p_now);
    END IF;

    PERFORM scan_record(p_warehouse, p_scan_id, 'pick', p_key, p_request_hash, body, p_now);
    outcome := 'ok';
END $$;
