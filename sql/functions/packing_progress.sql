-- packing_progress.sql — how far the packing of an order is, per line and in all: the units
-- reserved for it, picked (order_reservations.picked: in the PACKING bin or beyond), packed
-- (in any of its packages), left to pack (picked, in no package) and still to pick. Every
-- packing answer shows it, and the packing rules read it: a pack scan takes at most what is
-- left to pack of its line; the order is packed when nothing is left to pick or to pack.
-- Reads only the warehouse's shard (and skus, a reference table).
CREATE OR REPLACE FUNCTION packing_progress(p_warehouse uuid, p_order uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    lines jsonb;
BEGIN
    SELECT jsonb_agg(jsonb_build_object('line', r.line_no, 'sku', k.sku_code, 'gtin', k.gtin,
               'reserved', r.qty, 'picked', r.picked, 'packed', coalesce(i.qty, 0),
               'left_to_pack', r.picked - coalesce(i.qty, 0), 'to_pick', r.qty - r.picked)
               ORDER BY r.line_no)
    INTO lines
    FROM (SELECT x.line_no, x.seller_id, x.sku_id, sum(x.qty) AS qty, sum(x.picked) AS picked
          FROM order_reservations x WHERE x.warehouse_id = p_warehouse AND x.order_id = p_order
          GROUP BY x.line_no, x.seller_id, x.sku_id) r
    JOIN skus k ON k.seller_id = r.seller_id AND k.id = r.sku_id
    LEFT JOIN (SELECT i.line_no, sum(i.qty) AS qty
               FROM package_items i JOIN packages p ON p.warehouse_id = i.warehouse_id
                                                    AND p.id = i.package_id
               WHERE p.warehouse_id = p_warehouse AND p.order_id = p_order
               GROUP BY i.line_no) i ON i.line_no = r.line_no;
    lines := coalesce(lines, '[]'::jsonb);
    RETURN (SELECT jsonb_build_object('lines', lines,
                       'reserved', coalesce(sum((l ->> 'reserved')::int), 0),
                       'picked', coalesce(sum((l ->> 'picked')::int), 0),
                       'packed', coalesce(sum((l ->> 'packed')::int), 0),
                       'left_to_pack', coalesce(sum((l ->> 'left_to_pack')::int), 0),
                       'to_pick', coalesce(sum((l ->> 'to_pick')::int), 0))
            FROM jsonb_array_elements(lines) l);
END $$;
