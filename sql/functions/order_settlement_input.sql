-- order_settlement_input.sql — what settling an order needs (api/fees/fees_settle.c prices it).

-- Everything pricing the settlement of order p_id at t (the request's time in whole seconds)
-- needs: the order (state, escrow and version, which the settlement's write is guarded by;
-- the claims that freeze its escrow and what claims refunded from it, per line the units;
-- its stored settlement, for a repeat), its lines with each SKU's code and category, the
-- seller's advance outstanding in the order's currency, and the fee versions in force at t.
-- p_scope_seller narrows to one seller's orders (NULL: any). NULL when there is no such
-- order. PL/pgSQL: the order's seller is found first, then everything is read on its shard.
CREATE OR REPLACE FUNCTION order_settlement_input(p_id uuid, p_scope_seller uuid, t timestamptz)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seller uuid;
    v_currency text;
    v_advance bigint;
    v_versions json;
BEGIN
    SELECT o.seller_id, o.currency INTO v_seller, v_currency FROM orders o
    WHERE o.id = p_id AND (p_scope_seller IS NULL OR o.seller_id = p_scope_seller);
    IF v_seller IS NULL THEN
        RETURN NULL;
    END IF;
    -- read apart, not per row of the query over orders below (README, "Writing SQL that
    -- distributes", rule 11)
    v_advance := seller_advance_outstanding(v_seller, v_currency);
    v_versions := fee_versions_json(t);
    RETURN (
        SELECT json_build_object('order_id', o.id, 'seller_id', o.seller_id,
            'client_order_id', o.client_order_id, 'mode', o.mode, 'state', o.state,
            'escrow', o.escrow, 'version', o.version, 'currency', o.currency,
            'amount_paid', o.amount_paid, 'warehouse_id', o.warehouse_id,
            'refunded', o.refunded, 'claims_open', o.claims_open,
            'settlement', o.settlement, 'at', api_ts(t),
            'advance_outstanding', v_advance,
            'lines', (SELECT json_agg(json_build_object('line', l.line_no, 'sku', k.sku_code,
                          'sku_id', l.sku_id, 'category', k.category, 'qty', l.qty,
                          'short', l.short, 'unit_price', l.unit_price,
                          'supply_price', coalesce(l.supply_price, 0),
                          'escrow_refunded', l.escrow_refunded) ORDER BY l.line_no)
                      FROM order_lines l
                      JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
                      WHERE l.seller_id = o.seller_id AND l.order_id = o.id),
            'versions', v_versions)
        FROM orders o WHERE o.seller_id = v_seller AND o.id = p_id);
END $$;
