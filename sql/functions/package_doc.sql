-- package_doc.sql — a package as every package endpoint answers it: its order, box, state
-- and items (line, SKU, qty), and once closed what the close decided (measured and
-- chargeable weight, carrier and service, tracking number, sort code, cost, the route) with
-- the address of its label (the ZPL itself is GET /v1/packages/{id}/label); a JIT parcel
-- (011: shipped from its hub, packed by the seller) has no package_type but its jit_task_id.
-- Reads only the warehouse's shard and reference tables; PL/pgSQL, so a caller that has just
-- written the package in the same transaction reads it back. NULL when there is no such package.
CREATE OR REPLACE FUNCTION package_doc(p_warehouse uuid, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_order uuid;
    items jsonb;
    doc jsonb;
BEGIN
    SELECT p.order_id INTO v_order FROM packages p
    WHERE p.warehouse_id = p_warehouse AND p.id = p_id;
    IF v_order IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT jsonb_agg(jsonb_build_object('line', i.line_no, 'sku', k.sku_code, 'gtin', k.gtin,
               'qty', i.qty) ORDER BY i.line_no)
    INTO items
    FROM package_items i
    JOIN (SELECT DISTINCT x.line_no, x.seller_id, x.sku_id FROM order_reservations x
          WHERE x.warehouse_id = p_warehouse AND x.order_id = v_order) l ON l.line_no = i.line_no
    JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
    WHERE i.warehouse_id = p_warehouse AND i.package_id = p_id;

    SELECT jsonb_build_object('id', p.id, 'warehouse', w.code, 'order_id', p.order_id,
        'seller', s.code, 'package_type', p.package_type, 'jit_task_id', p.jit_task_id,
        'state', p.state,
        'items', coalesce(items, '[]'::jsonb),
        'units', (SELECT coalesce(sum((e ->> 'qty')::int), 0)
                  FROM jsonb_array_elements(coalesce(items, '[]'::jsonb)) e),
        'weight_g', p.weight_g, 'chargeable_weight_g', p.chargeable_g,
        'carrier', p.carrier, 'service', p.service, 'tracking_number', p.tracking_number,
        'sort_code', p.sort_code,
        'cost', CASE WHEN p.cost_minor IS NOT NULL THEN
                    jsonb_build_object('amount', p.cost_minor, 'currency', p.cost_currency) END,
        'route', p.route,
        'label', CASE WHEN p.label IS NOT NULL THEN '/v1/packages/' || p.id || '/label' END,
        'created_at', api_ts(p.created_at), 'closed_at', api_ts(p.closed_at),
        'shipped_at', api_ts(p.shipped_at), 'updated_at', api_ts(p.updated_at))
    INTO doc
    FROM packages p
    JOIN warehouses w ON w.id = p.warehouse_id
    JOIN sellers s ON s.id = p.seller_id
    WHERE p.warehouse_id = p_warehouse AND p.id = p_id;
    RETURN doc;
END $$;
