-- refund_apply.sql — issues a pending refund as C decided (wms/refund.h): the refund's state
-- goes from p_allowed (wms/refund.h's WMS_REFUND_ISSUABLE) to p_state with p_amount from
-- p_source; from the escrow, the p_escrow_units refunded units leave the sale the settlement
-- will price (order_lines.escrow_refunded); the seller-ledger rows p_rows (C priced them)
-- are posted under event_type 'return', event_id the refund's id. The caller has already
-- moved the money on the order's row (orders.refunded, guarded by the version it read), in
-- the same transaction: claim_open, refund_issue. Returns false, writing nothing, when the
-- refund is not in an allowed state.
CREATE OR REPLACE FUNCTION refund_apply(p_seller uuid, p_refund uuid, p_allowed text[],
    p_state text, p_amount bigint, p_source text, p_escrow_units int, p_rows json,
    p_now timestamptz)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_order uuid;
    v_line int;
    v_posted int;
BEGIN
    UPDATE refunds f SET state = p_state, amount = p_amount, source = p_source,
        issued_at = p_now, version = f.version + 1
    WHERE f.seller_id = p_seller AND f.id = p_refund AND f.state = ANY (p_allowed)
    RETURNING f.order_id, f.line_no INTO v_order, v_line;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF p_source = 'escrow' AND p_escrow_units > 0 THEN
        UPDATE order_lines l SET escrow_refunded = l.escrow_refunded + p_escrow_units
        WHERE l.seller_id = p_seller AND l.order_id = v_order AND l.line_no = v_line;
    END IF;
    INSERT INTO seller_ledger (seller_id, event_type, event_id, line_no, event_at, fee_type,
        direction, treatment, gross, waived, net, currency, mode, policy_id, policy_version,
        schedule_id, schedule_version, warehouse_id, sku_id, reason)
    SELECT p_seller, 'return', p_refund::text, r.line_no, p_now, r.fee_type,
        r.direction, r.treatment, r.gross, r.waived, r.net, r.currency, r.mode, r.policy_id,
        r.policy_version, r.schedule_id, r.schedule_version, r.warehouse_id, r.sku_id, r.reason
    FROM json_populate_recordset(NULL::seller_ledger, coalesce(p_rows, '[]')) r
    ON CONFLICT (seller_id, event_type, event_id, line_no) DO NOTHING;
    GET DIAGNOSTICS v_posted = ROW_COUNT;
    IF v_posted <> json_array_length(coalesce(p_rows, '[]')) THEN
        RAISE EXCEPTION 'refund % was posted before (% of % lines new)', p_refund, v_posted,
            json_array_length(p_rows);
    END IF;
    RETURN true;
END $$;
