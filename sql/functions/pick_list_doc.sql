-- pick_list_doc.sql — a pick list as every pick-list endpoint answers it, and a page of them.
-- The list and its walk are read on the warehouse's shard; its orders (by seller) in a
-- statement of their own, by id. PL/pgSQL, so that a caller that has just written the list
-- in the same transaction reads it back.

-- The list p_id of warehouse p_warehouse: {id, warehouse, state, picker_key_id, orders:
-- [{id, client_order_id, seller, state, promise_deadline}] in the walk's order (most urgent
-- first), tasks (pick_tasks), progress, next, created_at, updated_at, done_at}. next is
-- pick_next's step while it is picking, {step: claim} when released, {step: done} when
-- done and {step: none} when cancelled. NULL when there is no such list.
CREATE OR REPLACE FUNCTION pick_list_doc(p_warehouse warehouse_ref, p_id uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    l record;
    tasks jsonb;
    order_list jsonb;
BEGIN
    SELECT x.id, x.state, x.key_id, x.orders, x.created_at, x.updated_at, x.done_at,
           w.code AS warehouse
    INTO l
    FROM pick_lists x JOIN warehouses w ON w.id = x.warehouse_id
    WHERE x.warehouse_id = p_warehouse AND x.id = p_id;
    IF l.id IS NULL THEN
        RETURN NULL;
    END IF;
    tasks := pick_tasks(p_warehouse, l.orders);
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'client_order_id', o.client_order_id,
               'seller', s.code, 'state', o.state, 'promise_deadline', api_ts(o.promise_deadline))
               ORDER BY array_position(l.orders, o.id)), '[]'::jsonb)
    INTO order_list
    FROM orders o JOIN sellers s ON s.id = o.seller_id
    WHERE o.id = ANY (l.orders);
    RETURN jsonb_build_object('id', l.id, 'warehouse', l.warehouse, 'state', l.state,
        'picker_key_id', l.key_id, 'orders', order_list, 'tasks', tasks,
        'progress', pick_progress(tasks),
        'next', CASE l.state WHEN 'picking' THEN pick_next(tasks, NULL)
                             WHEN 'released' THEN '{"step": "claim"}'::jsonb
                             WHEN 'done' THEN '{"step": "done"}'::jsonb
                             ELSE '{"step": "none"}'::jsonb END,
        'created_at', api_ts(l.created_at), 'updated_at', api_ts(l.updated_at),
        'done_at', api_ts(l.done_at));
END $$;

-- A page of pick lists, newest first (page_json): of warehouse p_warehouse (NULL: every
-- one), in state p_state (NULL: any), of the warehouse whose code is p_warehouse_code (NULL:
-- any), after the cursor (p_cursor_ts, p_cursor_id). Each list is read by pick_list_doc as a
-- statement of its own, not per row of the query that finds the page.
CREATE OR REPLACE FUNCTION pick_list_page(p_warehouse uuid, p_state text, p_warehouse_code text,
    p_limit int, p_cursor_ts text, p_cursor_id uuid)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code_wh uuid;
    ids uuid[];
    whs uuid[];
    items jsonb := '[]'::jsonb;
BEGIN
    IF p_warehouse_code IS NOT NULL THEN
        SELECT w.id INTO v_code_wh FROM warehouses w WHERE w.code = p_warehouse_code;
        IF v_code_wh IS NULL THEN
            RETURN page_json(NULL, p_limit);
        END IF;
    END IF;
    SELECT array_agg(p.id ORDER BY p.created_at DESC, p.id DESC),
           array_agg(p.warehouse_id ORDER BY p.created_at DESC, p.id DESC)
    INTO ids, whs
    FROM (SELECT l.id, l.warehouse_id, l.created_at FROM pick_lists l
          WHERE (p_warehouse IS NULL OR l.warehouse_id = p_warehouse)
            AND (v_code_wh IS NULL OR l.warehouse_id = v_code_wh)
            AND (p_state IS NULL OR l.state = p_state)
            AND (p_cursor_ts IS NULL OR (l.created_at, l.id) < (page_ts(p_cursor_ts), p_cursor_id))
          ORDER BY l.created_at DESC, l.id DESC LIMIT p_limit + 1) p;
    FOR i IN 1 .. coalesce(cardinality(ids), 0) LOOP
        items := items || jsonb_build_array(pick_list_doc(whs[i], ids[i]));
    END LOOP;
    RETURN page_json(items::json, p_limit);
END $$;
