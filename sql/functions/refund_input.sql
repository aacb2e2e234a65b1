-- refund_input.sql — what issuing a pending refund needs (api/returns/refund_price.c prices
-- it: wms/refund.h): the refund, its claim's kind, the order (mode, escrow, version — the
-- issue is guarded by it —, amount paid and refunded so far, the settlement's lines), the
-- line (SKU, prices, units the sale priced), the units the returns centre received back
-- (the return handling fee), and the fee versions in force at p_now. p_scope_seller narrows
-- to one seller's refunds (NULL: any). NULL when there is no such refund.
CREATE OR REPLACE FUNCTION refund_input(p_refund uuid, p_scope_seller uuid, p_now timestamptz)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seller uuid;
    v_return uuid;
    v_versions json;
BEGIN
    SELECT f.seller_id, c.return_id INTO v_seller, v_return
    FROM refunds f JOIN claims c ON c.seller_id = f.seller_id AND c.id = f.claim_id
    WHERE f.id = p_refund AND (p_scope_seller IS NULL OR f.seller_id = p_scope_seller);
    IF v_seller IS NULL THEN
        RETURN NULL;
    END IF;
    v_versions := fee_versions_json(p_now);
    RETURN (
        SELECT json_build_object('refund_id', f.id, 'seller_id', f.seller_id,
            'state', f.state, 'units', f.units, 'requested', f.requested,
            'liability', f.liability, 'kind', c.kind, 'claim_id', c.id,
            -- a return's refund is for units that came back: their handling fee goes with it
            'returned_units', CASE WHEN v_return IS NOT NULL THEN f.units ELSE 0 END,
            'order_id', o.id, 'client_order_id', o.client_order_id, 'mode', o.mode,
            'escrow', o.escrow, 'version', o.version, 'currency', o.currency,
            'amount_paid', o.amount_paid, 'refunded', o.refunded,
            'warehouse_id', o.warehouse_id, 'settlement', o.settlement,
            'line', json_build_object('line', l.line_no, 'sku', k.sku_code, 'sku_id', l.sku_id,
                        'qty', l.qty, 'short', l.short, 'escrow_refunded', l.escrow_refunded,
                        'unit_price', l.unit_price, 'supply_price', coalesce(l.supply_price, 0)),
            'versions', v_versions, 'at', api_ts(p_now))
        FROM refunds f
        JOIN claims c ON c.seller_id = f.seller_id AND c.id = f.claim_id
        JOIN orders o ON o.seller_id = f.seller_id AND o.id = f.order_id
        JOIN order_lines l ON l.seller_id = f.seller_id AND l.order_id = f.order_id
                          AND l.line_no = f.line_no
        JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
        WHERE f.seller_id = v_seller AND f.id = p_refund);
END $$;
