-- package_open.sql — POST /v1/packages (staff): opens a package of a box type for an order of
-- the staff's warehouse, at a pack station.
--
--   p_warehouse      the staff key's warehouse
--   p_order          the order's id
--   p_package_type   a package_types code
--   p_pack_allowed   the order states packing happens in: those wms/order.h's pack starts
--                    from (picking)
--   p_now            the request's time
--
-- An order is packed while it is picked: a package may be opened as soon as one picked unit
-- of the order is in no package, and pack scans put only such units in it. One package of an
-- order is open at a time (a second open is 409 'conflict' naming the open one, so a station
-- whose answer was lost finds its package again). Outcome 'ok' with the package, its order's
-- progress and next 'item'; 'not-found' (no such order in this warehouse),
-- 'unknown-package-type' (body.field names it), 'wrong-state' (the order's state),
-- 'conflict', 'nothing-to-pack'.
CREATE OR REPLACE FUNCTION package_open(p_warehouse warehouse_ref, p_order uuid,
    p_package_type text, p_pack_allowed text[], p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_seller uuid;
    v_state text;
    v_open uuid;
    v_id uuid;
    progress jsonb;
BEGIN
    replayed := false;
    SELECT o.seller_id, o.state INTO v_seller, v_state FROM orders o
    WHERE o.id = p_order AND o.warehouse_id = p_warehouse;
    IF v_seller IS NULL THEN
        outcome := 'not-found';
        detail := format('no order %s in this warehouse', p_order);
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM package_types t WHERE t.code = p_package_type) THEN
        outcome := 'unknown-package-type'; body := jsonb_build_object('field', 'package_type');
        detail := format('no package type %s (GET /v1/package-types lists them)', p_package_type);
        RETURN;
    END IF;
    IF NOT v_state = ANY (p_pack_allowed) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'order_id', p_order);
        detail := format('order is %s; packages are opened for orders that are %s', v_state,
                         array_to_string(p_pack_allowed, ', '));
        RETURN;
    END IF;

    PERFORM packing_lock(p_warehouse, p_order);
    SELECT p.id INTO v_open FROM packages p
    WHERE p.warehouse_id = p_warehouse AND p.order_id = p_order AND p.state = 'open';
    IF v_open IS NOT NULL THEN
        outcome := 'conflict';
        body := jsonb_build_object('package_id', v_open, 'order_id', p_order, 'next', 'item');
        detail := format('order %s has package %s open: scan its items into that one, or close it '
                         'first', p_order, v_open);
        RETURN;
    END IF;
    progress := packing_progress(p_warehouse, p_order);
    IF (progress ->> 'left_to_pack')::int = 0 THEN
        outcome := 'nothing-to-pack';
        body := jsonb_build_object('order_id', p_order, 'progress', progress,
                                   'next', CASE WHEN (progress ->> 'to_pick')::int > 0
                                                THEN 'pick' ELSE 'order' END);
        detail := format('no picked unit of order %s is waiting to be packed (picked %s, packed %s, '
                         '%s still to pick)', p_order, progress ->> 'picked',
                         progress ->> 'packed', progress ->> 'to_pick');
        RETURN;
    END IF;

    INSERT INTO packages AS p (warehouse_id, order_id, seller_id, package_type, state,
                               created_at, updated_at)
    VALUES (p_warehouse, p_order, v_seller, p_package_type, 'open', p_now, p_now)
    ON CONFLICT (warehouse_id, order_id) WHERE state = 'open' DO NOTHING
    RETURNING p.id INTO v_id;
    IF v_id IS NULL THEN -- a twin opened one meanwhile (the lock makes this unlikely)
        outcome := 'conflict';
        body := jsonb_build_object('order_id', p_order, 'next', 'item');
        detail := format('order %s has a package open: scan its items into that one, or close '
                         'it first', p_order);
        RETURN;
    END IF;
    outcome := 'ok';
    body := package_doc(p_warehouse, v_id)
            || jsonb_build_object('progress', progress, 'next', 'item');
END $$;
