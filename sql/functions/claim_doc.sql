-- claim_doc.sql — a claim as every claim endpoint answers it: the claim, its decision with
-- the explanation, its refunds (newest last) and its return authorisation (the RMA, read on
-- the returns centre's shard by return_doc; the label itself is GET /v1/returns/{id}/label). PL/pgSQL, so
-- that a caller that has just written the claim reads it back.
CREATE OR REPLACE FUNCTION claim_doc(p_seller uuid, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_return uuid;
    ret jsonb;
    doc jsonb;
    refunds jsonb := '[]';
    f record;
BEGIN
    -- each refund read apart (README, "Writing SQL that distributes", rule 11)
    FOR f IN SELECT r.id FROM refunds r WHERE r.seller_id = p_seller AND r.claim_id = p_id
             ORDER BY r.created_at, r.id LOOP
        refunds := refunds || jsonb_build_array(refund_json(p_seller, f.id));
    END LOOP;
    SELECT c.warehouse_id, c.return_id INTO v_wh, v_return FROM claims c
    WHERE c.seller_id = p_seller AND c.id = p_id;
    IF v_return IS NOT NULL THEN
        ret := return_doc(v_wh, v_return);
    END IF;
    SELECT jsonb_build_object('id', c.id, 'order_id', c.order_id,
               'client_order_id', o.client_order_id, 'line', c.line_no,
               'sku', (SELECT k.sku_code FROM order_lines l JOIN skus k
                         ON k.seller_id = l.seller_id AND k.id = l.sku_id
                       WHERE l.seller_id = c.seller_id AND l.order_id = c.order_id
                         AND l.line_no = c.line_no),
               'kind', c.kind, 'qty', c.qty, 'evidence', c.evidence, 'note', c.note,
               'state', c.state, 'decision', c.decision, 'explanation', c.explanation,
               'liability', c.liability,
               'escrow', jsonb_build_object('state', o.escrow, 'frozen', o.claims_open > 0,
                             'amount_paid', o.amount_paid, 'refunded', o.refunded),
               'refunds', refunds,
               'return', ret, 'rma', ret ->> 'rma', 'return_id', c.return_id,
               'created_at', api_ts(c.created_at), 'closed_at', api_ts(c.closed_at))
    INTO doc
    FROM claims c JOIN orders o ON o.seller_id = c.seller_id AND o.id = c.order_id
    WHERE c.seller_id = p_seller AND c.id = p_id;
    RETURN doc;
END $$;
