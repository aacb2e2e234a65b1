-- claim_open.sql — opens a claim as C decided it (api/returns/h_claims.c; wms/claim.h,
-- wms/refund.h), in one transaction:
--
-- 1. The order's row, guarded by the version claim_input() read (a concurrent claim,
--    refund, settlement or any other change makes the outcome 'conflict' and the caller
--    reads and decides again): version + 1; a claim that freezes (p_freezes: awaiting a
--    return) counts in claims_open; a refund without return moves its amount
--    (orders.refunded, whose CHECK keeps it ≤ amount_paid) and an escrow refunded whole
--    becomes 'refunded'.
-- 2. The claim, in p_state, under p_idem_key when given (a key reused on another order of
--    the seller is a unique violation: nothing is written).
-- 3. p_return (decision return): the RMA on the returns centre's shard — {warehouse_id, id,
--    rma, sku_id, carrier, service, route, cost_minor, label} — authorising the claim's
--    units. p_refund (refund without return): {units, requested, state, amount, source,
--    liability, reason, escrow_units, rows} — the refund is stored pending and issued at
--    once (refund_apply).
-- Outcome 'ok' with the claim (claim_doc), or 'conflict'.
CREATE OR REPLACE FUNCTION claim_open(p_seller uuid, p_order uuid, p_line int, p_version int,
    p_kind text, p_qty int, p_evidence jsonb, p_note text, p_state text, p_freezes boolean,
    p_decision text, p_explanation jsonb, p_liability text, p_request_hash text,
    p_idem_key text, p_return jsonb, p_refund jsonb, p_issuable text[], p_now timestamptz,
    OUT outcome text, OUT body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_claim uuid := gen_random_uuid();
    v_refund uuid;
    v_amount bigint := coalesce((p_refund ->> 'amount')::bigint, 0);
    v_escrow boolean := coalesce(p_refund ->> 'source', '') = 'escrow';
BEGIN
    UPDATE orders o SET version = o.version + 1,
        claims_open = o.claims_open + CASE WHEN p_freezes THEN 1 ELSE 0 END,
        refunded = o.refunded + v_amount,
        escrow = CASE WHEN v_escrow AND o.escrow = 'held' AND o.refunded + v_amount = o.amount_paid
                      THEN 'refunded' ELSE o.escrow END,
        updated_at = p_now
    WHERE o.seller_id = p_seller AND o.id = p_order AND o.version = p_version
      AND (p_refund IS NULL OR (o.escrow = 'held') = v_escrow);
    IF NOT FOUND THEN
        outcome := 'conflict';
        RETURN;
    END IF;

    INSERT INTO claims (seller_id, id, order_id, line_no, kind, qty, evidence, note, state,
        decision, explanation, liability, return_id, warehouse_id, request_hash,
        idempotency_key, created_at, closed_at)
    VALUES (p_seller, v_claim, p_order, p_line, p_kind, p_qty, p_evidence, p_note, p_state,
        p_decision, p_explanation, p_liability, (p_return ->> 'id')::uuid,
        (p_return ->> 'warehouse_id')::uuid, p_request_hash, p_idem_key, p_now,
        CASE WHEN p_state = 'closed' THEN p_now END);

    IF p_return IS NOT NULL THEN
        INSERT INTO returns (warehouse_id, id, seller_id, claim_id, order_id, line_no, sku_id,
            rma, authorised, carrier, service, route, cost_minor, label, created_at)
        VALUES ((p_return ->> 'warehouse_id')::uuid, (p_return ->> 'id')::uuid, p_seller,
            v_claim, p_order, p_line, (p_return ->> 'sku_id')::uuid, p_return ->> 'rma', p_qty,
            p_return ->> 'carrier', p_return ->> 'service', p_return -> 'route',
            (p_return ->> 'cost_minor')::bigint, p_return ->> 'label', p_now);
    END IF;
    IF p_refund IS NOT NULL THEN
        INSERT INTO refunds (seller_id, order_id, claim_id, line_no, units, requested,
            liability, reason, created_at)
        VALUES (p_seller, p_order, v_claim, p_line, (p_refund ->> 'units')::int,
            (p_refund ->> 'requested')::bigint, p_refund ->> 'liability',
            p_refund ->> 'reason', p_now)
        RETURNING id INTO v_refund;
        IF NOT refund_apply(p_seller, v_refund, p_issuable, p_refund ->> 'state', v_amount,
                            p_refund ->> 'source', (p_refund ->> 'escrow_units')::int,
                            (p_refund -> 'rows')::json, p_now) THEN
            RAISE EXCEPTION 'refund % of claim % was not pending', v_refund, v_claim;
        END IF;
    END IF;
    outcome := 'ok';
    body := claim_doc(p_seller, v_claim);
END $$;
