-- order_seller_shipment.sql — the seller ships an order itself (POST
-- /v1/orders/{id}/seller-shipment): a guarded state change recording the carrier, the tracking
-- number and the time.
--
-- The order must be of a mode the seller ships (p_modes, WMS_ORDER_SELLER_SHIPS: pop; every
-- other order leaves a platform warehouse) — else outcome 'wrong-mode' with the mode — and in
-- a state ship_by_seller is allowed from (p_allowed, wms/order.h) — else 'wrong-state' with
-- the state and what it was shipped with. p_scope_seller narrows to one seller's orders (NULL:
-- any). The order is found first, then locked and changed on its seller's shard. Outcome
-- 'ok' with the order (order_doc), 'not-found', 'wrong-mode' or 'wrong-state'.
CREATE OR REPLACE FUNCTION order_seller_shipment(p_id uuid, p_scope_seller uuid, p_modes text[],
    p_allowed text[], p_target text, p_carrier text, p_tracking text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_seller uuid;
    v_state text;
    v_mode text;
    v_carrier text;
    v_tracking text;
BEGIN
    replayed := false;
    SELECT o.seller_id INTO v_seller FROM orders o
    WHERE o.id = p_id AND (p_scope_seller IS NULL OR o.seller_id = p_scope_seller);
    IF v_seller IS NULL THEN
        outcome := 'not-found'; detail := 'no such order';
        RETURN;
    END IF;
    SELECT o.state, o.mode, o.carrier, o.tracking_number
    INTO v_state, v_mode, v_carrier, v_tracking
    FROM orders o WHERE o.seller_id = v_seller AND o.id = p_id
    FOR UPDATE;
    IF NOT v_mode = ANY (p_modes) THEN
        outcome := 'wrong-mode';
        body := jsonb_build_object('mode', v_mode, 'state', v_state, 'order_id', p_id);
        RETURN;
    END IF;
    IF NOT v_state = ANY (p_allowed) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'order_id', p_id, 'carrier', v_carrier,
                                   'tracking_number', v_tracking);
        RETURN;
    END IF;
    UPDATE orders o SET state = p_target, carrier = p_carrier, tracking_number = p_tracking,
        shipped_at = p_now, updated_at = p_now, version = o.version + 1
    WHERE o.seller_id = v_seller AND o.id = p_id;
    outcome := 'ok';
    body := order_doc(v_seller, p_id);
END $$;
