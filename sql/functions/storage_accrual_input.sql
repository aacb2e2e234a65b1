-- storage_accrual_input.sql — what charging one day's storage rent needs.

-- Storage accrual input for day d (UTC): per seller, warehouse and mode, the
-- SKUs on hand (sellable + quarantine) at the end of d with their unit volume
-- (mm³) and whole days in stock before d, and the versions in force at the
-- start of d. Stock counts in the mode of, and is as old as, the most recent
-- inbound shipment of the SKU into the warehouse that started receiving
-- before the end of d; stock with no such shipment is counted in
-- "unattributed" and not charged. Seller-warehouses already charged for d are
-- left out (counted in "already_charged").
CREATE OR REPLACE FUNCTION storage_accrual_input(d date) RETURNS json LANGUAGE sql STABLE AS $$
    WITH b AS (
        SELECT (d::timestamp AT TIME ZONE 'UTC') AS day_start,
               ((d + 1)::timestamp AT TIME ZONE 'UTC') AS day_end),
    now_qty AS (
        SELECT o.warehouse_id, o.seller_id, o.sku_id, sum(o.qty) AS qty
        FROM inventory_onhand o GROUP BY 1, 2, 3),
    since AS (
        SELECT m.warehouse_id, m.seller_id, m.sku_id,
               sum(CASE WHEN m.to_bin_id IS NOT NULL THEN m.qty ELSE 0 END)
               - sum(CASE WHEN m.from_bin_id IS NOT NULL THEN m.qty ELSE 0 END) AS qty
        FROM inventory_movements m, b WHERE m.created_at >= b.day_end GROUP BY 1, 2, 3),
    stock AS (
        SELECT warehouse_id, seller_id, sku_id, coalesce(n.qty, 0) - coalesce(l.qty, 0) AS units
        FROM now_qty n FULL JOIN since l USING (warehouse_id, seller_id, sku_id)),
    priced AS (
        SELECT st.*, k.sku_code, k.length_mm::bigint * k.width_mm * k.height_mm AS volume,
               src.mode, greatest(0, d - (src.since AT TIME ZONE 'UTC')::date) AS days,
               EXISTS (SELECT 1 FROM seller_ledger g
                       WHERE g.seller_id = st.seller_id AND g.event_type = 'storage_day'
                         AND g.event_id = st.warehouse_id || ':' || d) AS charged
        FROM stock st
        JOIN skus k ON k.seller_id = st.seller_id AND k.id = st.sku_id
        CROSS JOIN b
        LEFT JOIN LATERAL (
            SELECT s.mode, coalesce(s.receiving_at, s.closed_at) AS since
            FROM inbound_lines il
            JOIN inbound_shipments s ON s.warehouse_id = il.warehouse_id AND s.id = il.shipment_id
            WHERE il.warehouse_id = st.warehouse_id AND il.sku_id = st.sku_id
              AND s.state IN ('receiving', 'closed')
              AND coalesce(s.receiving_at, s.closed_at) < b.day_end
            ORDER BY coalesce(s.receiving_at, s.closed_at) DESC LIMIT 1) src ON true
        WHERE st.units > 0),
    groups AS (
        SELECT p.seller_id, p.warehouse_id, p.mode,
               json_agg(json_build_object('sku_id', p.sku_id, 'sku', p.sku_code, 'units', p.units,
                        'volume_mm3', p.volume, 'days', p.days) ORDER BY p.sku_code) AS items
        FROM priced p WHERE p.mode IS NOT NULL AND NOT p.charged
        GROUP BY 1, 2, 3)
    SELECT json_build_object('date', d, 'at', api_ts(b.day_start),
        'groups', coalesce((SELECT json_agg(json_build_object('seller_id', g.seller_id,
                                'warehouse_id', g.warehouse_id, 'mode', g.mode, 'items', g.items)
                                ORDER BY g.seller_id, g.warehouse_id, g.mode) FROM groups g),
                           '[]'::json),
        'unattributed', (SELECT count(*) FROM priced WHERE mode IS NULL AND NOT charged),
        'already_charged', (SELECT count(DISTINCT (seller_id, warehouse_id)) FROM priced
                            WHERE charged),
        'versions', fee_versions_json(b.day_start))
    FROM b
$$;
