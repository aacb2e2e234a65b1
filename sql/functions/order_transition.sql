-- order_transition.sql — the state changes of an order that need no scan: cancel, hold and
-- release_hold (POST /v1/orders/{id}/cancel, /hold, /release-hold), each a guarded UPDATE
-- from the states wms/order.h allows ($p_allowed) to its target.
--
--   cancel        → cancelled: what the order reserved and has not picked goes back to stock
--                  (order_release) and the escrow is refunded, in the same transaction
--   hold          → on_hold, remembering the state it interrupted (held_from) and p_reason;
--                  the reservation stays, and the order is not picked while held
--   release_hold  → held_from (p_target NULL)
--
-- p_scope_seller / p_scope_warehouse narrow which orders the caller may touch (NULL: any).
-- Outcome 'ok' with the order, 'not-found', or 'wrong-state' with the state in body.
CREATE OR REPLACE FUNCTION order_transition(p_id uuid, p_scope_seller uuid, p_action text,
    p_allowed text[], p_target text, p_reason text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_seller uuid;
    v_state text;
    v_wh uuid;
BEGIN
    replayed := false;
    SELECT o.seller_id, o.state, o.warehouse_id INTO v_seller, v_state, v_wh FROM orders o
    WHERE o.id = p_id AND (p_scope_seller IS NULL OR o.seller_id = p_scope_seller)
    FOR UPDATE;
    IF v_seller IS NULL THEN
        outcome := 'not-found'; detail := 'no such order';
        RETURN;
    END IF;
    IF NOT v_state = ANY (p_allowed) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v_state, 'order_id', p_id);
        RETURN;
    END IF;
    IF p_action = 'cancel' THEN
        IF v_wh IS NOT NULL THEN
            PERFORM order_release(v_wh, p_id);
        END IF;
        UPDATE orders o SET state = p_target, held_from = NULL, escrow = 'refunded',
            refunded = o.amount_paid, cancelled_at = p_now, updated_at = p_now,
            hold_reason = NULL, cancel_reason = p_reason, version = o.version + 1
        WHERE o.seller_id = v_seller AND o.id = p_id;
    ELSIF p_action = 'hold' THEN
        UPDATE orders o SET state = p_target, held_from = o.state, hold_reason = p_reason,
            updated_at = p_now, version = o.version + 1
        WHERE o.seller_id = v_seller AND o.id = p_id;
    ELSIF p_action = 'release_hold' THEN
        UPDATE orders o SET state = o.held_from, held_from = NULL, hold_reason = NULL,
            updated_at = p_now, version = o.version + 1
        WHERE o.seller_id = v_seller AND o.id = p_id;
    ELSE
        RAISE EXCEPTION 'order_transition: unknown action %', p_action;
    END IF;
    outcome := 'ok';
    body := order_doc(v_seller, p_id);
END $$;
