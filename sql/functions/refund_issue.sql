-- refund_issue.sql — issues a pending refund as C decided (api/returns/refund_price.c): the
-- order's row guarded by the version refund_input() read and by the escrow's state the
-- source was chosen for (held: 'escrow', otherwise 'seller_ledger') — a concurrent refund
-- or settlement of the order makes the outcome 'conflict' and the caller reads and decides
-- again —, its refunded amount moved (CHECK refunded ≤ amount_paid), an escrow refunded
-- whole becomes 'refunded'; then refund_apply(). Outcome 'ok' with the refund
-- (refund_json), 'wrong-state' when the refund is no longer pending, or 'conflict'.
CREATE OR REPLACE FUNCTION refund_issue(p_seller uuid, p_refund uuid, p_version int,
    p_allowed text[], p_state text, p_amount bigint, p_source text, p_escrow_units int,
    p_rows json, p_now timestamptz, OUT outcome text, OUT body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_order uuid;
    v_escrow boolean := p_source = 'escrow';
BEGIN
    SELECT f.order_id INTO v_order FROM refunds f
    WHERE f.seller_id = p_seller AND f.id = p_refund;
    UPDATE orders o SET version = o.version + 1, refunded = o.refunded + p_amount,
        escrow = CASE WHEN v_escrow AND o.refunded + p_amount = o.amount_paid
                      THEN 'refunded' ELSE o.escrow END,
        updated_at = p_now
    WHERE o.seller_id = p_seller AND o.id = v_order AND o.version = p_version
      AND (o.escrow = 'held') = v_escrow;
    IF NOT FOUND THEN
        outcome := 'conflict';
        RETURN;
    END IF;
    IF NOT refund_apply(p_seller, p_refund, p_allowed, p_state, p_amount, p_source,
                        p_escrow_units, p_rows, p_now) THEN
        RAISE EXCEPTION 'refund % is not pending', p_refund USING ERRCODE = 'WS006';
    END IF;
    outcome := 'ok';
    body := refund_json(p_seller, p_refund);
END $$;
