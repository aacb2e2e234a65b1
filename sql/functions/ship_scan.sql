-- ship_scan.sql — the dock's hand-over scan (POST /v1/ship/scans): a closed package leaves
-- the warehouse with its carrier, exactly once by scan_id.
--
--   p_warehouse   the staff key's warehouse
--   p_scan_id, p_key_id, p_request_hash   as receiving_scan's
--   p_package     the package's id, or NULL; p_tracking its tracking number (one of the two)
--   p_ship_allowed, p_ship_target   wms/order.h's ship: the order states a package may leave
--                 in (packed) and the state its last package's departure takes the order to
--   p_now         the scan's time
--
-- The package is found in this warehouse only ('not-found' otherwise: another warehouse's
-- tracking number too). It must be closed ('wrong-state' naming open, or shipped with when)
-- and its order packed — every unit picked and in a closed package — ('wrong-state' with the
-- order's state): the dock hands over whole orders. Its units leave the PACKING bin as
-- outbound movements (inventory_post, reason 'ship', reserved: the reservation becomes the
-- movement, no destination): each line's units are taken from the lots and expiries the
-- order's picks brought into PACKING, in the order first-expired-first-out, after the units of
-- the line its packages shipped before. The package becomes shipped; when it was the order's
-- last, the order goes to p_ship_target with the carrier and tracking number of its first
-- package and the departure time (the order lists every package with its own). Outcome 'ok'
-- with the package, the order's state and next 'package'.
CREATE OR REPLACE FUNCTION ship_scan(p_warehouse warehouse_ref, p_scan_id uuid, p_key_id uuid,
    p_request_hash text, p_package uuid, p_tracking text, p_ship_allowed text[],
    p_ship_target text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
    v_order uuid;
    v_seller uuid;
    v_state text;
    v_tracking text;
    v_shipped_at timestamptz;
    v_order_state text;
    v_client text;
    v_packing uuid;
    moves jsonb;
    v_carrier text;
    v_first_tracking text;
    n_packages int;
    n_shipped int;
BEGIN
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'ship', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;

    IF p_package IS NOT NULL THEN
        SELECT p.id, p.order_id, p.seller_id, p.state, p.tracking_number, p.shipped_at
        INTO v_id, v_order, v_seller, v_state, v_tracking, v_shipped_at
        FROM packages p WHERE p.warehouse_id = p_warehouse AND p.id = p_package FOR UPDATE;
    ELSE
        SELECT p.id, p.order_id, p.seller_id, p.state, p.tracking_number, p.shipped_at
        INTO v_id, v_order, v_seller, v_state, v_tracking, v_shipped_at
        FROM packages p WHERE p.warehouse_id = p_warehouse AND p.tracking_number = p_tracking
        FOR UPDATE;
    END IF;
    IF v_id IS NULL THEN
        outcome := 'not-found';
        detail := CASE WHEN p_package IS NOT NULL
                       THEN format('no package %s in this warehouse', p_package)
                       ELSE format('no package with tracking number %s in this warehouse',
                                   p_tracking) END;
        RETURN;
    END IF;
    SELECT o.state, o.client_order_id INTO v_order_state, v_client FROM orders o
    WHERE o.seller_id = v_seller AND o.id = v_order FOR UPDATE;
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'ship', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF v_state = 'shipped' THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'package_id', v_id,
                                   'tracking_number', v_tracking,
                                   'shipped_at', api_ts(v_shipped_at), 'next', 'package');
        detail := format('package %s (tracking number %s) is shipped: it left at %s', v_id,
                         v_tracking, api_ts(v_shipped_at));
        RETURN;
    END IF;
    IF v_state <> 'closed' THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'package_id', v_id, 'next', 'package');
        detail := format('package %s is %s: close it at the pack station, which prints its label',
                         v_id, v_state);
        RETURN;
    END IF;
    IF v_order_state IS NULL OR NOT v_order_state = ANY (p_ship_allowed) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_order_state, 'order_id', v_order,
                                   'package_id', v_id, 'package_state', v_state,
                                   'next', 'package');
        detail := format('order %s is %s: its packages leave the dock once it is %s (every unit '
                         'picked and packed); set package %s aside', v_client, v_order_state,
                         array_to_string(p_ship_allowed, ', '), v_id);
        RETURN;
    END IF;

    SELECT b.id INTO v_packing FROM bins b WHERE b.warehouse_id = p_warehouse AND b.code = 'PACKING';
    IF v_packing IS NULL THEN
        outcome := 'conflict';
        detail := 'this warehouse has no PACKING bin, where picked units wait to be shipped';
        RETURN;
    END IF;
    -- each line's units of this package, taken from the picked lots after those shipped before
    WITH lots AS (
        SELECT x.line_no, x.seller_id, x.sku_id, x.lot, x.expiry, sum(x.picked) AS picked
        FROM order_reservations x WHERE x.warehouse_id = p_warehouse AND x.order_id = v_order
        GROUP BY x.line_no, x.seller_id, x.sku_id, x.lot, x.expiry HAVING sum(x.picked) > 0),
    cum AS (
        SELECT l.*, coalesce(sum(l.picked) OVER (PARTITION BY l.line_no ORDER BY l.expiry, l.lot
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
        FROM lots l),
    gone AS (
        SELECT i.line_no, sum(i.qty) AS qty FROM package_items i
        JOIN packages p ON p.warehouse_id = i.warehouse_id AND p.id = i.package_id
        WHERE p.warehouse_id = p_warehouse AND p.order_id = v_order AND p.state = 'shipped'
        GROUP BY i.line_no),
    mine AS (
        SELECT i.line_no, coalesce(g.qty, 0) AS from_unit, coalesce(g.qty, 0) + i.qty AS to_unit
        FROM package_items i LEFT JOIN gone g ON g.line_no = i.line_no
        WHERE i.warehouse_id = p_warehouse AND i.package_id = v_id)
    SELECT jsonb_agg(jsonb_build_object('seller_id', c.seller_id, 'sku_id', c.sku_id,
               'qty', least(c.before + c.picked, m.to_unit) - greatest(c.before, m.from_unit),
               'from_bin', v_packing, 'from_status', 'sellable', 'lot', c.lot,
               'expiry', CASE WHEN c.expiry <> 'infinity' THEN c.expiry END, 'reserved', true)
               ORDER BY c.line_no, c.expiry, c.lot)
    INTO moves
    FROM cum c JOIN mine m ON m.line_no = c.line_no
    WHERE least(c.before + c.picked, m.to_unit) > greatest(c.before, m.from_unit);
    PERFORM inventory_post(p_warehouse, moves, 'ship', 'package', v_id::text, p_key_id, p_now);

    UPDATE packages p SET state = 'shipped', shipped_at = p_now, updated_at = p_now
    WHERE p.warehouse_id = p_warehouse AND p.id = v_id;
    SELECT count(*), count(*) FILTER (WHERE p.state = 'shipped') INTO n_packages, n_shipped
    FROM packages p WHERE p.warehouse_id = p_warehouse AND p.order_id = v_order;
    IF n_shipped = n_packages THEN
        SELECT p.carrier, p.tracking_number INTO v_carrier, v_first_tracking
        FROM packages p WHERE p.warehouse_id = p_warehouse AND p.order_id = v_order
        ORDER BY p.created_at, p.id LIMIT 1;
        UPDATE orders o SET state = p_ship_target, carrier = v_carrier,
            tracking_number = v_first_tracking, shipped_at = p_now, updated_at = p_now,
            version = o.version + 1
        WHERE o.seller_id = v_seller AND o.id = v_order AND o.state = ANY (p_ship_allowed);
        v_order_state := p_ship_target;
    END IF;

    body := jsonb_build_object('scan_id', p_scan_id, 'package', package_doc(p_warehouse, v_id),
        'order', jsonb_build_object('id', v_order, 'client_order_id', v_client,
                                    'state', v_order_state, 'packages', n_packages,
                                    'shipped', n_shipped),
        'next', 'package', 'scanned_at', api_ts(p_now));
    PERFORM scan_record(p_warehouse, p_scan_id, 'ship', p_key_id, p_request_hash, body, p_now);
    outcome := 'ok';
END $$;
