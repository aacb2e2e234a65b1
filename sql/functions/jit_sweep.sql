-- jit_sweep.sql — POST /v1/jit-tasks/overdue-sweep: JIT tasks whose parcel has not reached the
-- hub by the hand-over deadline become overdue (listed for the platform: GET
-- /v1/jit-tasks?state=overdue); an overdue task still not received p_grace after its deadline
-- is cancelled with its order, the buyer's escrow refunded, the reason on both.
--
--   p_overdue_allowed, p_overdue_target   wms/jit.h mark_overdue
--   p_cancel_allowed, p_cancel_target     wms/jit.h cancel (only overdue tasks are swept)
--   p_order_allowed, p_order_target       wms/order.h cancel
--
-- Each order is cancelled in its own statement of the loop (its seller's shard); an order that
-- can no longer be cancelled (shipped by other means) keeps its task overdue and is listed
-- under `kept`. Outcome 'ok' with {overdue: [{task, order, client_order_id, hub,
-- handover_deadline}], cancelled: [{task, order, client_order_id, refunded}], kept: [...],
-- grace_hours}.
CREATE OR REPLACE FUNCTION jit_sweep(p_grace interval, p_overdue_allowed text[],
    p_overdue_target text, p_cancel_allowed text[], p_cancel_target text,
    p_order_allowed text[], p_order_target text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    marked jsonb;
    cancelled jsonb := '[]'::jsonb;
    kept jsonb := '[]'::jsonb;
    t record;
    v_state text;
    v_paid bigint;
    v_reason text;
BEGIN
    replayed := false;
    WITH m AS (
        UPDATE jit_tasks x SET state = p_overdue_target, overdue_at = p_now,
               version = x.version + 1, updated_at = p_now
        WHERE x.state = ANY (p_overdue_allowed) AND x.handover_deadline < p_now
        RETURNING x.id, x.order_id, x.client_order_id, x.warehouse_id, x.handover_deadline)
    SELECT coalesce(jsonb_agg(jsonb_build_object('task', m.id, 'order', m.order_id,
               'client_order_id', m.client_order_id, 'hub', w.code,
               'handover_deadline', api_ts(m.handover_deadline)) ORDER BY m.handover_deadline), '[]')
    INTO marked
    FROM m JOIN warehouses w ON w.id = m.warehouse_id;

    FOR t IN SELECT x.warehouse_id, x.id, x.seller_id, x.order_id, x.client_order_id,
                    x.handover_deadline, w.code AS hub
             FROM jit_tasks x JOIN warehouses w ON w.id = x.warehouse_id
             WHERE x.state = ANY (p_cancel_allowed) AND x.state = p_overdue_target
               AND x.handover_deadline + p_grace < p_now
             ORDER BY x.handover_deadline, x.id LOOP
        SELECT o.state, o.amount_paid INTO v_state, v_paid FROM orders o
        WHERE o.seller_id = t.seller_id AND o.id = t.order_id FOR UPDATE;
        IF NOT v_state = ANY (p_order_allowed) THEN
            kept := kept || jsonb_build_object('task', t.id, 'order', t.order_id,
                                               'client_order_id', t.client_order_id,
                                               'order_state', v_state);
            CONTINUE;
        END IF;
        v_reason := left(format('JIT parcel not received at hub %s by %s (grace %s)', t.hub,
                                api_ts(t.handover_deadline), p_grace), 200);
        UPDATE jit_tasks x SET state = p_cancel_target, cancelled_at = p_now,
               cancel_reason = v_reason, version = x.version + 1, updated_at = p_now
        WHERE x.warehouse_id = t.warehouse_id AND x.id = t.id AND x.state = ANY (p_cancel_allowed);
        UPDATE orders o SET state = p_order_target, held_from = NULL, hold_reason = NULL,
               escrow = 'refunded', refunded = o.amount_paid, cancelled_at = p_now,
               cancel_reason = v_reason, version = o.version + 1, updated_at = p_now
        WHERE o.seller_id = t.seller_id AND o.id = t.order_id;
        cancelled := cancelled || jsonb_build_object('task', t.id, 'order', t.order_id,
                                                     'client_order_id', t.client_order_id,
                                                     'refunded', v_paid, 'reason', v_reason);
    END LOOP;
    outcome := 'ok';
    body := jsonb_build_object('overdue', marked, 'cancelled', cancelled, 'kept', kept,
                               'grace_hours', extract(epoch FROM p_grace)::bigint / 3600,
                               'swept_at', api_ts(p_now));
END $$;
