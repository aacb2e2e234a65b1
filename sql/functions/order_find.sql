-- order_find.sql — the order reads: an order by id or client_order_id, and a page of the
-- list. Each finds its orders first (their seller and id, into arrays), then builds each
-- document with order_doc(seller, id): no query over orders calls a function that queries
-- the cluster per row, which Citus refuses on a shard ("cannot execute a distributed query
-- from a query on a shard"), and every document is read on its seller's shard (README,
-- "Writing SQL that distributes").

-- The orders whose id is p_id or whose client_order_id is p_client_order_id, within the
-- seller and warehouse scopes (NULL: any), as order_doc() shows them: none, one, or two (a
-- client_order_id that two sellers use is ambiguous; the newest two).
CREATE OR REPLACE FUNCTION order_find(p_id uuid, p_client_order_id text, p_seller uuid,
    p_warehouse uuid)
RETURNS SETOF jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_sellers uuid[];
    v_ids uuid[];
BEGIN
    SELECT array_agg(f.seller_id ORDER BY f.created_at DESC, f.id DESC),
           array_agg(f.id ORDER BY f.created_at DESC, f.id DESC)
    INTO v_sellers, v_ids
    FROM (SELECT o.seller_id, o.id, o.created_at FROM orders o
          WHERE (o.id = p_id OR o.client_order_id = p_client_order_id)
            AND (p_seller IS NULL OR o.seller_id = p_seller)
            AND (p_warehouse IS NULL OR o.warehouse_id = p_warehouse)
          ORDER BY o.created_at DESC LIMIT 2) f;
    RETURN QUERY SELECT order_doc(x.seller_id, x.id)
                 FROM unnest(v_sellers, v_ids) WITH ORDINALITY AS x (seller_id, id, i)
                 ORDER BY x.i;
END $$;

-- A page of orders, newest first, as page_json() answers it: at most lim after the cursor
-- (p_cursor_ts, p_cursor_id; NULL: from the newest), within the seller and warehouse scopes,
-- in state p_state, in the warehouse whose code is p_warehouse_code, of the seller whose code
-- is p_seller_code, in mode p_mode (NULL: any; an unknown code lists nothing).
CREATE OR REPLACE FUNCTION order_page(lim int, p_cursor_ts text, p_cursor_id uuid,
    p_seller uuid, p_warehouse uuid, p_state text, p_warehouse_code text, p_seller_code text,
    p_mode text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code_wh uuid;
    v_code_seller uuid;
    v_sellers uuid[];
    v_ids uuid[];
BEGIN
    IF p_warehouse_code IS NOT NULL THEN
        v_code_wh := (SELECT w.id FROM warehouses w WHERE w.code = p_warehouse_code);
    END IF;
    IF p_seller_code IS NOT NULL THEN
        v_code_seller := (SELECT s.id FROM sellers s WHERE s.code = p_seller_code);
    END IF;
    SELECT array_agg(p.seller_id ORDER BY p.created_at DESC, p.id DESC),
           array_agg(p.id ORDER BY p.created_at DESC, p.id DESC)
    INTO v_sellers, v_ids
    FROM (SELECT o.seller_id, o.id, o.created_at FROM orders o
          WHERE (p_seller IS NULL OR o.seller_id = p_seller)
            AND (p_warehouse IS NULL OR o.warehouse_id = p_warehouse)
            AND (p_state IS NULL OR o.state = p_state)
            AND (p_warehouse_code IS NULL OR o.warehouse_id = v_code_wh)
            AND (p_seller_code IS NULL OR o.seller_id = v_code_seller)
            AND (p_mode IS NULL OR o.mode = p_mode)
            AND (p_cursor_ts IS NULL OR (o.created_at, o.id) < (page_ts(p_cursor_ts), p_cursor_id))
          ORDER BY o.created_at DESC, o.id DESC LIMIT lim + 1) p;
    RETURN page_json((SELECT json_agg(order_doc(x.seller_id, x.id) ORDER BY x.i)
                      FROM unnest(v_sellers, v_ids) WITH ORDINALITY AS x (seller_id, id, i)), lim);
END $$;
