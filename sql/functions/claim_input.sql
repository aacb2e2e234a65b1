-- claim_input.sql — what opening a claim on an order line needs (api/returns/h_claims.c
-- decides it in C: wms/claim.h, wms/refund.h).
--
-- The order p_order (p_scope_seller narrows to one seller's; NULL: any), read on its
-- seller's shard: state, escrow, version (the claim's write is guarded by it), amounts,
-- the promise deadline and the times in epoch seconds, the destination; the line p_line
-- with its SKU (category, weight, dimensions), the units of earlier claims of the line and
-- what the sale's settlement charged on it (commission, units sold); the category's
-- recovery rate (return_recovery_rates, '*' otherwise); the returns centres a return may go
-- to — the returns centres (warehouses of kind returns_center) of the buyer's country,
-- then the order's fulfillment centre (not a semi_jit order's consolidation hub) — and the
-- fee versions in force at p_now; the tracking status of the order's parcels (tracking). With
-- p_idem_key, an earlier claim of the seller under that key (its request_hash and doc).
-- STABLE, so that every read sees one snapshot: the claims counted and the version the
-- write is guarded by belong together. (It draws a fresh id and RMA code for a return,
-- new_return_id and new_rma, once per call.)
-- NULL when there is no such order; 'line' null when the order has no such line.
CREATE OR REPLACE FUNCTION claim_input(p_order uuid, p_line int, p_scope_seller uuid,
    p_idem_key text, p_now timestamptz)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seller uuid;
    v_country text;
    v_wh uuid;
    v_category text;
    v_prior json;
    v_prior_id uuid;
    v_prior_hash text;
    v_line json;
    v_centres json;
    v_versions json;
    v_rate int;
    v_tracking json;
BEGIN
    SELECT o.seller_id, o.country, o.warehouse_id INTO v_seller, v_country, v_wh FROM orders o
    WHERE o.id = p_order AND (p_scope_seller IS NULL OR o.seller_id = p_scope_seller);
    IF v_seller IS NULL THEN
        RETURN NULL;
    END IF;
    IF p_idem_key IS NOT NULL THEN
        SELECT c.id, c.request_hash INTO v_prior_id, v_prior_hash FROM claims c
        WHERE c.seller_id = v_seller AND c.idempotency_key = p_idem_key;
        IF v_prior_id IS NOT NULL THEN
            v_prior := json_build_object('request_hash', v_prior_hash,
                                         'doc', claim_doc(v_seller, v_prior_id));
        END IF;
    END IF;
    SELECT k.category INTO v_category FROM order_lines l
    JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
    WHERE l.seller_id = v_seller AND l.order_id = p_order AND l.line_no = p_line;
    SELECT r.recovery_bp INTO v_rate FROM return_recovery_rates r
    WHERE r.category = coalesce(v_category, '*');
    IF v_rate IS NULL THEN
        SELECT r.recovery_bp INTO v_rate FROM return_recovery_rates r WHERE r.category = '*';
    END IF;
    SELECT json_build_object('line', l.line_no, 'sku', k.sku_code, 'sku_id', l.sku_id,
               'gtin', k.gtin, 'category', k.category, 'qty', l.qty, 'short', l.short,
               'unit_price', l.unit_price, 'supply_price', coalesce(l.supply_price, 0),
               'escrow_refunded', l.escrow_refunded, 'weight_g', k.weight_g,
               'dims_mm', json_build_array(k.length_mm, k.width_mm, k.height_mm),
               'claimed', (SELECT coalesce(sum(c.qty), 0) FROM claims c
                           WHERE c.seller_id = l.seller_id AND c.order_id = l.order_id
                             AND c.line_no = l.line_no))
    INTO v_line
    FROM order_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
    WHERE l.seller_id = v_seller AND l.order_id = p_order AND l.line_no = p_line;
    SELECT coalesce(json_agg(json_build_object('warehouse_id', w.id, 'code', w.code,
               'name', w.name, 'country', w.country, 'kind', w.kind)
               ORDER BY (w.kind = 'returns_center') DESC, w.code), '[]'::json)
    INTO v_centres FROM warehouses w
    WHERE (w.kind = 'returns_center' AND w.country = v_country)
       OR (w.id = v_wh AND w.kind = 'fulfillment_center');  -- not a JIT hub: it holds no stock
    -- what the carriers said of the order's parcels (007_tracking), on the warehouse's shard
    IF v_wh IS NOT NULL THEN
        SELECT coalesce(json_agg(json_build_object('package_id', p.id,
                   'tracking_number', p.tracking_number, 'carrier', p.carrier,
                   'status', p.tracking_status, 'status_at', api_ts(p.tracking_status_at),
                   'event_id', p.tracking_event_id, 'delivered_at', api_ts(p.delivered_at))
                   ORDER BY p.created_at, p.id), '[]'::json)
        INTO v_tracking FROM packages p
        WHERE p.warehouse_id = v_wh AND p.order_id = p_order AND p.tracking_status IS NOT NULL;
    END IF;
    v_versions := fee_versions_json(p_now);
    RETURN (
        SELECT json_build_object('order_id', o.id, 'seller_id', o.seller_id,
            'client_order_id', o.client_order_id, 'mode', o.mode, 'state', o.state,
            'escrow', o.escrow, 'version', o.version, 'currency', o.currency,
            'amount_paid', o.amount_paid, 'refunded', o.refunded,
            'destination', o.destination, 'country', o.country,
            'deadline', extract(epoch FROM o.promise_deadline)::bigint,
            'placed_at', extract(epoch FROM o.placed_at)::bigint,
            'shipped_at', extract(epoch FROM o.shipped_at)::bigint,
            'delivered_at', extract(epoch FROM o.delivered_at)::bigint,
            'settlement', o.settlement, 'recovery_bp', v_rate, 'line', v_line,
            'centres', v_centres, 'versions', v_versions, 'prior', v_prior,
            'tracking', coalesce(v_tracking, '[]'::json),
            'at', api_ts(p_now),
            -- a fresh id and RMA code for a return (printed on its label before it is stored)
            'new_return_id', gen_random_uuid(),
            'new_rma', 'RMA' || upper(substr(md5(gen_random_uuid()::text), 1, 12)))
        FROM orders o WHERE o.seller_id = v_seller AND o.id = p_order);
END $$;
