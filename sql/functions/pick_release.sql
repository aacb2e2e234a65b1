-- pick_release.sql — POST /v1/pick-lists/{id}/release: the operator hands its list back
-- (or an admin takes it from an operator who left). From p_release_from (picking):
--
--   - every order with nothing picked goes back to allocated (release_pick: p_order_from →
--     p_order_allocated, pick_list_id cleared) keeping its reservation, and leaves the list,
--     to be batched again; orders that are no longer picking (made unfulfillable by a stock
--     issue) leave it too;
--   - an order with picked units never returns to allocated: it stays picking, on the list,
--     which goes to p_released for the next claim to take first;
--   - a list left with no order goes to p_dissolved (cancelled) instead.
--
-- p_key is the caller's key; unless p_admin, only the key picking the list may release it
-- ('forbidden'). The list row is locked first, then the orders on their sellers' shards by
-- (seller_id, id). Outcome 'ok' with the list (pick_list_doc) and returned: [order ids],
-- 'not-found', 'wrong-state' (body: state), or 'forbidden'.
CREATE OR REPLACE FUNCTION pick_release(p_warehouse warehouse_ref, p_id uuid, p_key uuid,
    p_admin boolean, p_release_from text[], p_released text, p_dissolved text,
    p_order_from text[], p_order_allocated text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_key uuid;
    v_orders uuid[];
    picked_by jsonb;
    o record;
    keep uuid[] := '{}';
    returned uuid[] := '{}';
BEGIN
    replayed := false;
    SELECT l.state, l.key_id, l.orders INTO v_state, v_key, v_orders FROM pick_lists l
    WHERE l.warehouse_id = p_warehouse AND l.id = p_id
    FOR UPDATE;
    IF v_state IS NULL THEN
        outcome := 'not-found'; detail := 'no such pick list';
        RETURN;
    END IF;
    IF NOT v_state = ANY (p_release_from) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'pick_list', p_id);
        RETURN;
    END IF;
    IF v_key IS DISTINCT FROM p_key AND NOT p_admin THEN
        outcome := 'forbidden';
        detail := 'another operator is picking this list: only that operator or an admin may '
                  'release it';
        RETURN;
    END IF;

    SELECT coalesce(jsonb_object_agg(x.order_id, x.picked), '{}'::jsonb) INTO picked_by
    FROM (SELECT r.order_id, sum(r.picked) AS picked FROM order_reservations r
          WHERE r.warehouse_id = p_warehouse AND r.order_id = ANY (v_orders)
          GROUP BY r.order_id) x;
    FOR o IN SELECT d.seller_id, d.id, d.state FROM orders d WHERE d.id = ANY (v_orders)
             ORDER BY array_position(v_orders, d.id) LOOP
        IF coalesce((picked_by ->> o.id::text)::int, 0) > 0 THEN
            keep := keep || o.id;
            CONTINUE;
        END IF;
        UPDATE orders d SET state = p_order_allocated, pick_list_id = NULL, updated_at = p_now,
            version = d.version + 1
        WHERE d.seller_id = o.seller_id AND d.id = o.id AND d.state = ANY (p_order_from)
          AND d.pick_list_id = p_id;
        IF FOUND THEN
            returned := returned || o.id;
        END IF;
    END LOOP;
    UPDATE pick_lists l SET state = CASE WHEN cardinality(keep) > 0 THEN p_released ELSE p_dissolved END,
        key_id = NULL, orders = keep, updated_at = p_now
    WHERE l.warehouse_id = p_warehouse AND l.id = p_id;
    outcome := 'ok';
    body := pick_list_doc(p_warehouse, p_id) || jsonb_build_object('returned', to_jsonb(returned));
END $$;
