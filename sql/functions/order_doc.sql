-- order_doc.sql — an order as every order endpoint answers it. The order and its lines are
-- read on the seller's shard; what the warehouse holds and did for it (reservations, picks,
-- packages) on the warehouse's. PL/pgSQL, so that a caller that has just written the order
-- in the same transaction reads it back. The escrow shows what was refunded to the buyer and
-- released (amount_paid − refunded once released, else 0); the settlement (order_settle) is
-- null until the buyer confirms receipt (or the buyer-protection window after a carrier's
-- delivery ends); promise.kept is whether the carrier delivered by the deadline.
CREATE OR REPLACE FUNCTION order_doc(p_seller uuid, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
    v_wh uuid;
    work jsonb;
    pkgs jsonb;
BEGIN
    SELECT o.warehouse_id INTO v_wh FROM orders o WHERE o.seller_id = p_seller AND o.id = p_id;
    IF v_wh IS NOT NULL THEN
        SELECT coalesce(jsonb_object_agg(r.line_no::text, jsonb_build_object(
                   'reserved', r.reserved, 'picked', r.picked)), '{}'::jsonb)
        INTO work
        FROM (SELECT x.line_no, sum(x.qty) AS reserved, sum(x.picked) AS picked
              FROM order_reservations x WHERE x.warehouse_id = v_wh AND x.order_id = p_id
              GROUP BY x.line_no) r;
        SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'state', p.state,
                   'package_type', p.package_type, 'weight_g', p.weight_g,
                   'carrier', p.carrier, 'service', p.service,
                   'tracking_number', p.tracking_number, 'sort_code', p.sort_code,
                   'items', (SELECT coalesce(jsonb_agg(jsonb_build_object('line', i.line_no,
                                                 'qty', i.qty) ORDER BY i.line_no), '[]'::jsonb)
                             FROM package_items i
                             WHERE i.warehouse_id = p.warehouse_id AND i.package_id = p.id),
                   'closed_at', api_ts(p.closed_at), 'shipped_at', api_ts(p.shipped_at),
                   'tracking_status', p.tracking_status, 'delivered_at', api_ts(p.delivered_at))
                   ORDER BY p.created_at, p.id), '[]'::jsonb)
        INTO pkgs
        FROM packages p WHERE p.warehouse_id = v_wh AND p.order_id = p_id;
    END IF;
    SELECT jsonb_build_object(
        'id', o.id, 'client_order_id', o.client_order_id,
        'seller', (SELECT s.code FROM sellers s WHERE s.id = o.seller_id),
        'seller_id', o.seller_id, 'mode', o.mode, 'state', o.state,
        'held_from', o.held_from, 'hold_reason', o.hold_reason, 'cancel_reason', o.cancel_reason,
        'destination', o.destination, 'currency', o.currency, 'amount_paid', o.amount_paid,
        'escrow', jsonb_build_object('state', o.escrow, 'refunded', o.refunded,
                      'released', CASE WHEN o.escrow = 'released'
                                       THEN o.amount_paid - o.refunded ELSE 0 END),
        'settlement', o.settlement,
        'placed_at', api_ts(o.placed_at),
        'warehouse', (SELECT w.code FROM warehouses w WHERE w.id = o.warehouse_id),
        'promise', CASE WHEN o.promise_deadline IS NOT NULL THEN jsonb_build_object(
                       'deadline', api_ts(o.promise_deadline), 'p_on_time', o.p_on_time,
                       'at_risk', o.at_risk, 'kept', o.promise_kept) END,
        'route', o.route, 'unfulfillable', o.unfulfillable, 'pick_list_id', o.pick_list_id,
        'lines', (SELECT jsonb_agg(jsonb_build_object(
                      'line', l.line_no, 'sku', k.sku_code, 'sku_id', l.sku_id, 'qty', l.qty,
                      'unit_price', l.unit_price, 'supply_price', l.supply_price,
                      'short', l.short,
                      'reserved', coalesce((work -> l.line_no::text ->> 'reserved')::int, 0),
                      'picked', coalesce((work -> l.line_no::text ->> 'picked')::int, 0))
                      ORDER BY l.line_no)
                  FROM order_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
                  WHERE l.seller_id = o.seller_id AND l.order_id = o.id),
        'packages', coalesce(pkgs, '[]'::jsonb),
        'carrier', o.carrier, 'tracking_number', o.tracking_number,
        'allocated_at', api_ts(o.allocated_at), 'shipped_at', api_ts(o.shipped_at),
        'delivered_at', api_ts(o.delivered_at), 'protection_until', api_ts(o.protection_until),
        'cancelled_at', api_ts(o.cancelled_at),
        'created_at', api_ts(o.created_at), 'updated_at', api_ts(o.updated_at))
    INTO doc
    FROM orders o WHERE o.seller_id = p_seller AND o.id = p_id;
    RETURN doc;
END $$;
