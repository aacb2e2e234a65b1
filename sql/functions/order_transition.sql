DROP FUNCTION IF EXISTS order_transition(uuid, uuid, text, text[], text, text, timestamptz);

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
-- A semi_jit order's JIT task is cancelled with it (wms/jit.h cancel: from p_task_allowed);
-- while the hub has its parcel (received, consolidated, shipped) the order's cancel is
-- 'wrong-state' naming the task's state.
--
-- p_scope_seller / p_scope_warehouse narrow which orders the caller may touch (NULL: any).
-- Outcome 'ok' with the order, 'not-found', or 'wrong-state' with the state in body.
CREATE OR REPLACE FUNCTION order_transition(p_id uuid, p_scope_seller uuid, p_action text,
    p_allowed text[], p_target text, p_reason text, p_now timestamptz, p_task_allowed text[],
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_seller uuid;
    v_state text;
    v_wh uuid;
    v_mode text;
    v_task uuid;
    v_task_state text;
BEGIN
    replayed := false;
    SELECT o.seller_id, o.state, o.warehouse_id, o.mode INTO v_seller, v_state, v_wh, v_mode
    FROM orders o
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
    IF p_action = 'cancel' AND v_mode = 'semi_jit' AND v_wh IS NOT NULL THEN
        SELECT t.id, t.state INTO v_task, v_task_state FROM jit_tasks t
        WHERE t.warehouse_id = v_wh AND t.order_id = p_id FOR UPDATE;
        IF v_task IS NOT NULL AND NOT v_task_state = ANY (p_task_allowed) THEN
            outcome := 'wrong-state';
            detail := format('the hub has this order''s parcel (its JIT task is %s): it can no '
                             'longer be cancelled', v_task_state);
            body := jsonb_build_object('state', v_state, 'order_id', p_id,
                                       'jit_task', jsonb_build_object('id', v_task, 'state', v_task_state));
            RETURN;
        END IF;
        UPDATE jit_tasks t SET state = 'cancelled', cancelled_at = p_now,
               cancel_reason = coalesce(p_reason, 'the order was cancelled'),
               version = t.version + 1, updated_at = p_now
        WHERE t.warehouse_id = v_wh AND t.id = v_task;
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
