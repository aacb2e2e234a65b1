-- carrier_parcels_page.sql — GET /v1/carriers/{code}/parcels: a carrier's parcels in flight
-- (shipped, neither delivered nor returned to the sender), newest first, cursor pages by the
-- package's created_at and id. Plain columns of the packages (no per-row function querying
-- the cluster), the warehouse's code from the reference table.
CREATE OR REPLACE FUNCTION carrier_parcels_page(lim int, p_cursor_ts text, p_cursor_id uuid,
    p_carrier text) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_items json;
BEGIN
    SELECT json_agg(json_build_object('id', x.id, 'package_id', x.id,
               'tracking_number', x.tracking_number, 'service', x.service,
               'order_id', x.order_id, 'warehouse', w.code, 'status', x.tracking_status,
               'status_at', api_ts(x.tracking_status_at), 'shipped_at', api_ts(x.shipped_at),
               'created_at', api_ts(x.created_at))
           ORDER BY x.created_at DESC, x.id DESC)
    INTO v_items
    FROM (SELECT p.id, p.warehouse_id, p.tracking_number, p.service, p.order_id,
                 p.tracking_status, p.tracking_status_at, p.shipped_at, p.created_at
          FROM packages p
          WHERE p.carrier = p_carrier AND p.state = 'shipped'
            AND (p.tracking_status IS NULL
                 OR p.tracking_status NOT IN ('delivered', 'returned_to_sender'))
            AND (p_cursor_ts IS NULL OR (p.created_at, p.id) < (page_ts(p_cursor_ts), p_cursor_id))
          ORDER BY p.created_at DESC, p.id DESC LIMIT lim + 1) x
    JOIN warehouses w ON w.id = x.warehouse_id;
    RETURN page_json(v_items, lim);
END $$;
