-- package_close.sql — POST /v1/packages/{id}/close (staff): the two statements of a close and
-- the rule they share.
--
-- A close is decided in C between them (api/outbound/h_package_close.c): package_close_input()
-- reads what the decision needs — the package and its box, the order's destination, promise
-- and allocated route, the warehouse, and the tracking series of every carrier service —; C
-- quotes the real parcel on the lane network, picks the carrier service of the first leg,
-- makes the tracking number from that series' next serial (wms/tracking.h) and renders the
-- label (wms/label.h); package_close() then writes it all in one transaction, taking the
-- serial only if it is still the series' next one.

-- Whether package p_package can be closed now, and its order: the package is in this
-- warehouse ('not-found'), open ('wrong-state', with the package's state, tracking number and
-- label), holds items ('empty-package'), and its order is in a state packing happens in,
-- p_pack_allowed ('wrong-state' with the order's state). The one home of these rules: both
-- statements of a close ask it (the second under the locks).
CREATE OR REPLACE FUNCTION package_closable(p_warehouse uuid, p_package uuid,
    p_pack_allowed text[], OUT outcome text, OUT detail text, OUT body jsonb,
    OUT order_id uuid, OUT seller_id uuid)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_state text;
    v_tracking text;
    v_order_state text;
BEGIN
    SELECT p.order_id, p.seller_id, p.state, p.tracking_number
    INTO order_id, seller_id, v_state, v_tracking
    FROM packages p WHERE p.warehouse_id = p_warehouse AND p.id = p_package;
    IF order_id IS NULL THEN
        outcome := 'not-found';
        detail := format('no package %s in this warehouse', p_package);
        RETURN;
    END IF;
    IF v_state <> 'open' THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'package_id', p_package,
                                   'tracking_number', v_tracking,
                                   'label', '/v1/packages/' || p_package || '/label');
        detail := format('package %s is %s already (tracking number %s); its label is at '
                         '/v1/packages/%s/label', p_package, v_state, v_tracking, p_package);
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM package_items i
                   WHERE i.warehouse_id = p_warehouse AND i.package_id = p_package) THEN
        outcome := 'empty-package';
        body := jsonb_build_object('package_id', p_package, 'next', 'item');
        detail := format('package %s is empty: scan its items into it first', p_package);
        RETURN;
    END IF;
    SELECT o.state INTO v_order_state FROM orders o
    WHERE o.seller_id = package_closable.seller_id AND o.id = package_closable.order_id;
    IF v_order_state IS NULL OR NOT v_order_state = ANY (p_pack_allowed) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_order_state, 'order_id', order_id,
                                   'package_id', p_package);
        detail := format('order %s is %s; its packages are closed while it is %s', order_id,
                         v_order_state, array_to_string(p_pack_allowed, ', '));
        RETURN;
    END IF;
    outcome := 'ok';
END $$;

-- Statement 1: what closing p_package needs, read without locks. Outcome as
-- package_closable(), and with 'ok' the body
--   {package: {id, package_type, dims_mm [l, w, h], units},
--    order: {id, client_order_id, destination, country, postal_code, deadline (epoch
--            seconds, the promise made at allocation), route (as allocated)},
--    warehouse: {code, name, country},
--    series: {"<carrier>/<service>": {format, prefix, country, next_serial, last_serial,
--                                     carrier_name}}}
CREATE OR REPLACE FUNCTION package_close_input(p_warehouse warehouse_ref, p_package uuid,
    p_pack_allowed text[], OUT outcome text, OUT detail text, OUT body jsonb,
    OUT replayed boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_order uuid;
    v_seller uuid;
    pkg jsonb;
    ord jsonb;
    wh jsonb;
    series jsonb;
BEGIN
    replayed := false;
    SELECT c.outcome, c.detail, c.body, c.order_id, c.seller_id
    INTO outcome, detail, body, v_order, v_seller
    FROM package_closable(p_warehouse, p_package, p_pack_allowed) c;
    IF outcome <> 'ok' THEN
        RETURN;
    END IF;
    SELECT jsonb_build_object('id', p.id, 'package_type', p.package_type,
               'dims_mm', jsonb_build_array(t.length_mm, t.width_mm, t.height_mm),
               'units', (SELECT sum(i.qty) FROM package_items i
                         WHERE i.warehouse_id = p.warehouse_id AND i.package_id = p.id))
    INTO pkg
    FROM packages p JOIN package_types t ON t.code = p.package_type
    WHERE p.warehouse_id = p_warehouse AND p.id = p_package;
    SELECT jsonb_build_object('id', o.id, 'client_order_id', o.client_order_id,
               'destination', o.destination, 'country', o.country,
               'postal_code', o.destination ->> 'postal_code',
               'deadline', extract(epoch FROM o.promise_deadline)::bigint, 'route', o.route)
    INTO ord
    FROM orders o WHERE o.seller_id = v_seller AND o.id = v_order;
    SELECT jsonb_build_object('code', w.code, 'name', w.name, 'country', w.country)
    INTO wh FROM warehouses w WHERE w.id = p_warehouse;
    SELECT coalesce(jsonb_object_agg(t.carrier_code || '/' || t.service_code, jsonb_build_object(
               'format', t.format, 'prefix', t.prefix, 'country', t.country,
               'next_serial', t.next_serial, 'last_serial', t.last_serial,
               'carrier_name', c.name)), '{}'::jsonb)
    INTO series
    FROM tracking_series t JOIN carriers c ON c.code = t.carrier_code;
    body := jsonb_build_object('package', pkg, 'order', ord, 'warehouse', wh, 'series', series);
END $$;

-- Statement 2: closes p_package as C decided.
--
--   p_pack_allowed, p_pack_target   wms/order.h's pack: the order states packing happens in,
--                    and the state the order goes to once it is packed
--   p_weight_g       measured (box and contents); p_chargeable_g the first leg's chargeable
--                    weight of the real parcel
--   p_carrier, p_service   the first leg's carrier service; p_serial the serial of its
--                    tracking series p_tracking was made from
--   p_sort_code, p_route (the chosen itinerary), p_cost + p_currency (its cost), p_label (ZPL)
--
-- Under the package's row lock, the order's packing lock and the order's row lock it asks
-- package_closable() again, then takes the serial: the series advances only if p_serial is
-- still its next one (SQLSTATE WS004 when another close took it first: nothing was written,
-- and C reads again and makes the next number; 'no-tracking-series' or 'tracking-exhausted'
-- when the series went away or ran out meanwhile). The package is closed with everything C
-- decided. When nothing of the order is left to pick or to pack and no package of it is open,
-- the order goes to p_pack_target (a guarded UPDATE from p_pack_allowed), in the same
-- transaction. Outcome 'ok' with the package, the order's state and progress, and next
-- 'package' (picked units of the order are left: open another) or 'order'.
CREATE OR REPLACE FUNCTION package_close(p_warehouse warehouse_ref, p_package uuid,
    p_pack_allowed text[], p_pack_target text, p_weight_g int, p_chargeable_g int,
    p_carrier text, p_service text, p_serial bigint, p_tracking text, p_sort_code text,
    p_route jsonb, p_cost bigint, p_currency text, p_label text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_order uuid;
    v_seller uuid;
    v_next bigint;
    v_last bigint;
    v_order_state text;
    progress jsonb;
BEGIN
    replayed := false;
    SELECT p.order_id, p.seller_id INTO v_order, v_seller FROM packages p
    WHERE p.warehouse_id = p_warehouse AND p.id = p_package FOR UPDATE;
    IF v_order IS NOT NULL THEN
        PERFORM packing_lock(p_warehouse, v_order);
        PERFORM 1 FROM orders o WHERE o.seller_id = v_seller AND o.id = v_order FOR UPDATE;
    END IF;
    SELECT c.outcome, c.detail, c.body INTO outcome, detail, body
    FROM package_closable(p_warehouse, p_package, p_pack_allowed) c;
    IF outcome <> 'ok' THEN
        RETURN;
    END IF;

    UPDATE tracking_series t SET next_serial = t.next_serial + 1
    WHERE t.carrier_code = p_carrier AND t.service_code = p_service
      AND t.next_serial = p_serial AND t.next_serial <= t.last_serial;
    IF NOT FOUND THEN
        SELECT t.next_serial, t.last_serial INTO v_next, v_last FROM tracking_series t
        WHERE t.carrier_code = p_carrier AND t.service_code = p_service;
        IF v_next IS NULL THEN
            outcome := 'no-tracking-series';
            body := jsonb_build_object('carrier', p_carrier, 'service', p_service);
            detail := format('carrier service %s %s has no tracking number series', p_carrier,
                             p_service);
        ELSIF v_next > v_last THEN
            outcome := 'tracking-exhausted';
            body := jsonb_build_object('carrier', p_carrier, 'service', p_service,
                                       'last_serial', v_last);
            detail := format('the tracking numbers of %s %s are used up (last serial %s): the '
                             'carrier must assign a new range', p_carrier, p_service, v_last);
        ELSE
            RAISE EXCEPTION 'serial % of % % was taken by another close', p_serial, p_carrier,
                p_service USING ERRCODE = 'WS004';
        END IF;
        RETURN;
    END IF;

    UPDATE packages p SET state = 'closed', weight_g = p_weight_g, chargeable_g = p_chargeable_g,
        carrier = p_carrier, service = p_service, tracking_number = p_tracking,
        sort_code = p_sort_code, route = p_route, cost_minor = p_cost, cost_currency = p_currency,
        label = p_label, closed_at = p_now, updated_at = p_now
    WHERE p.warehouse_id = p_warehouse AND p.id = p_package;

    progress := packing_progress(p_warehouse, v_order);
    IF (progress ->> 'to_pick')::int = 0 AND (progress ->> 'left_to_pack')::int = 0
       AND NOT EXISTS (SELECT 1 FROM packages p WHERE p.warehouse_id = p_warehouse
                       AND p.order_id = v_order AND p.state = 'open') THEN
        UPDATE orders o SET state = p_pack_target, updated_at = p_now, version = o.version + 1
        WHERE o.seller_id = v_seller AND o.id = v_order AND o.state = ANY (p_pack_allowed);
    END IF;
    SELECT o.state INTO v_order_state FROM orders o WHERE o.seller_id = v_seller AND o.id = v_order;
    outcome := 'ok';
    body := package_doc(p_warehouse, p_package) || jsonb_build_object(
        'order_state', v_order_state, 'progress', progress,
        'next', CASE WHEN (progress ->> 'left_to_pack')::int > 0 THEN 'package' ELSE 'order' END);
END $$;
