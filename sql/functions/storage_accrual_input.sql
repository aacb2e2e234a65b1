-- storage_accrual_input.sql — what charging one day's storage rent needs.

-- Storage accrual input for day d (UTC): per seller, warehouse and mode, the
-- SKUs on hand (sellable + quarantine) at the end of d with their unit volume
-- (mm³) and whole days in stock before d, and the versions in force at the
-- start of d. Stock counts in the mode of, and is as old as, the most recent
-- inbound shipment of the SKU into the warehouse that started receiving
-- before the end of d; stock with no such shipment is counted in
-- "unattributed" and not charged. Seller-warehouses already charged for d are
-- left out (counted in "already_charged").
-- Stock is distributed by warehouse and the ledger by seller, so they are read apart
-- (first who held stock where, then which of those the ledger has charged for d, then the
-- stock priced) and meet in a parameter; PL/pgSQL plans each query with d as a constant.
CREATE OR REPLACE FUNCTION storage_accrual_input(d date) RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    day_start timestamptz := d::timestamp AT TIME ZONE 'UTC';
    day_end timestamptz := (d + 1)::timestamp AT TIME ZONE 'UTC';
    holders uuid[];       -- sellers with stock in some warehouse at the end of d or since
    events text[];        -- the storage_day event ids of d in those warehouses
    charged_keys text[];  -- "<seller id> <event id>" of those already in the ledger
BEGIN
    SELECT array_agg(DISTINCT h.seller_id), array_agg(DISTINCT h.warehouse_id || ':' || d)
    INTO holders, events
    FROM (SELECT DISTINCT o.seller_id, o.warehouse_id FROM inventory_onhand o
          UNION
          SELECT DISTINCT m.seller_id, m.warehouse_id FROM inventory_movements m
          WHERE m.created_at >= day_end) h;
    charged_keys := ARRAY(SELECT DISTINCT g.seller_id || ' ' || g.event_id FROM seller_ledger g
                          WHERE g.seller_id = ANY (holders) AND g.event_type = 'storage_day'
                            AND g.event_id = ANY (events));
    RETURN (
        WITH now_qty AS (
            SELECT o.warehouse_id, o.seller_id, o.sku_id, sum(o.qty) AS qty
            FROM inventory_onhand o GROUP BY 1, 2, 3),
        since AS (
            SELECT m.warehouse_id, m.seller_id, m.sku_id,
                   sum(CASE WHEN m.to_bin_id IS NOT NULL THEN m.qty ELSE 0 END)
                   - sum(CASE WHEN m.from_bin_id IS NOT NULL THEN m.qty ELSE 0 END) AS qty
            FROM inventory_movements m WHERE m.created_at >= day_end GROUP BY 1, 2, 3),
        stock AS (
            SELECT warehouse_id, seller_id, sku_id, coalesce(n.qty, 0) - coalesce(l.qty, 0) AS units
            FROM now_qty n FULL JOIN since l USING (warehouse_id, seller_id, sku_id)),
        src AS (  -- per warehouse and SKU, the latest shipment receiving before the end of d
            SELECT DISTINCT ON (il.warehouse_id, il.sku_id) il.warehouse_id, il.sku_id, s.mode,
                   coalesce(s.receiving_at, s.closed_at) AS since
            FROM inbound_lines il
            JOIN inbound_shipments s ON s.warehouse_id = il.warehouse_id AND s.id = il.shipment_id
            WHERE s.state IN ('receiving', 'closed')
              AND coalesce(s.receiving_at, s.closed_at) < day_end
            ORDER BY il.warehouse_id, il.sku_id, coalesce(s.receiving_at, s.closed_at) DESC),
        priced AS (
            SELECT st.*, k.sku_code, k.length_mm::bigint * k.width_mm * k.height_mm AS volume,
                   src.mode, greatest(0, d - (src.since AT TIME ZONE 'UTC')::date) AS days,
                   (st.seller_id || ' ' || (st.warehouse_id || ':' || d)) = ANY (charged_keys)
                       AS charged
            FROM stock st
            JOIN skus k ON k.seller_id = st.seller_id AND k.id = st.sku_id
            LEFT JOIN src ON src.warehouse_id = st.warehouse_id AND src.sku_id = st.sku_id
            WHERE st.units > 0),
        groups AS (
            SELECT p.seller_id, p.warehouse_id, p.mode,
                   json_agg(json_build_object('sku_id', p.sku_id, 'sku', p.sku_code,
                            'units', p.units, 'volume_mm3', p.volume, 'days', p.days)
                            ORDER BY p.sku_code) AS items
            FROM priced p WHERE p.mode IS NOT NULL AND NOT p.charged
            GROUP BY 1, 2, 3)
        SELECT json_build_object('date', d, 'at', api_ts(day_start),
            'groups', coalesce((SELECT json_agg(json_build_object('seller_id', g.seller_id,
                                    'warehouse_id', g.warehouse_id, 'mode', g.mode,
                                    'items', g.items)
                                    ORDER BY g.seller_id, g.warehouse_id, g.mode) FROM groups g),
                               '[]'::json),
            'unattributed', (SELECT count(*) FROM priced WHERE mode IS NULL AND NOT charged),
            'already_charged', (SELECT count(*) FROM (SELECT DISTINCT seller_id, warehouse_id
                                                      FROM priced WHERE charged) c),
            'versions', fee_versions_json(day_start)));
END $$;
