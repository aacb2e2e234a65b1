-- fees_inbound_close_input.sql — what pricing the close of an inbound shipment needs.

-- Inbound close posting: everything api/fees_post.c needs to price the close
-- of one shipment at t (whole seconds): the shipment, the units received per
-- SKU, and the versions in force at t. NULL when there is no such shipment.
-- PL/pgSQL: Citus plans its query with the warehouse as a constant, on that warehouse's
-- shard (a parameterized SQL function over the distributed inbound tables does not plan).
-- The versions (reference tables) are read first, by a statement of their own: a function
-- that queries the cluster, called in a query over a distributed table, would run on the
-- shard, which Citus refuses.
CREATE OR REPLACE FUNCTION fees_inbound_close_input(p_warehouse uuid, p_shipment uuid, t timestamptz)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_versions json := fee_versions_json(t);
BEGIN
    RETURN (
        SELECT json_build_object('seller_id', s.seller_id, 'warehouse_id', s.warehouse_id,
            'shipment_id', s.id, 'mode', s.mode, 'at', api_ts(t),
            'items', coalesce((
                SELECT json_agg(json_build_object('sku_id', k.id, 'sku', k.sku_code,
                           'good', i.good, 'damaged', i.damaged, 'declared_value', k.declared_value,
                           'currency', k.currency, 'popular', k.popular) ORDER BY k.sku_code)
                FROM (SELECT l.sku_id, sum(l.received_good) AS good,
                             sum(l.received_damaged) AS damaged
                      FROM inbound_lines l
                      WHERE l.warehouse_id = s.warehouse_id AND l.shipment_id = s.id
                      GROUP BY l.sku_id) i
                JOIN skus k ON k.seller_id = s.seller_id AND k.id = i.sku_id), '[]'::json),
            'versions', v_versions)
        FROM inbound_shipments s WHERE s.warehouse_id = p_warehouse AND s.id = p_shipment);
END $$;
