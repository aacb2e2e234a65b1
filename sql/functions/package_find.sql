-- package_find.sql — the package reads: a package by id or tracking number, and a page of the
-- list. Each finds its packages first (their warehouse and id, into arrays), then builds each
-- document with package_doc(warehouse, id): no query over packages calls a function that
-- queries the cluster per row (README, "Writing SQL that distributes", rule 11).

-- The newest package whose id is p_id or whose tracking number is p_tracking, within the
-- warehouse and seller scopes (NULL: any), as package_doc() shows it; NULL when none.
CREATE OR REPLACE FUNCTION package_find(p_id uuid, p_tracking text, p_warehouse uuid,
    p_seller uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_id uuid;
BEGIN
    SELECT p.warehouse_id, p.id INTO v_wh, v_id FROM packages p
    WHERE (p.id = p_id OR p.tracking_number = p_tracking)
      AND (p_warehouse IS NULL OR p.warehouse_id = p_warehouse)
      AND (p_seller IS NULL OR p.seller_id = p_seller)
    ORDER BY p.created_at DESC LIMIT 1;
    IF v_id IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN package_doc(v_wh, v_id);
END $$;

-- A page of packages, newest first, as page_json() answers it: at most lim after the cursor
-- (p_cursor_ts, p_cursor_id; NULL: from the newest), within the warehouse and seller scopes,
-- in state p_state, of order p_order, in the warehouse whose code is p_warehouse_code (NULL:
-- any; an unknown code lists nothing).
CREATE OR REPLACE FUNCTION package_page(lim int, p_cursor_ts text, p_cursor_id uuid,
    p_warehouse uuid, p_seller uuid, p_state text, p_order uuid, p_warehouse_code text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code_wh uuid;
    v_whs uuid[];
    v_ids uuid[];
BEGIN
    IF p_warehouse_code IS NOT NULL THEN
        v_code_wh := (SELECT w.id FROM warehouses w WHERE w.code = p_warehouse_code);
    END IF;
    SELECT array_agg(x.warehouse_id ORDER BY x.created_at DESC, x.id DESC),
           array_agg(x.id ORDER BY x.created_at DESC, x.id DESC)
    INTO v_whs, v_ids
    FROM (SELECT p.warehouse_id, p.id, p.created_at FROM packages p
          WHERE (p_warehouse IS NULL OR p.warehouse_id = p_warehouse)
            AND (p_seller IS NULL OR p.seller_id = p_seller)
            AND (p_state IS NULL OR p.state = p_state)
            AND (p_order IS NULL OR p.order_id = p_order)
            AND (p_warehouse_code IS NULL OR p.warehouse_id = v_code_wh)
            AND (p_cursor_ts IS NULL OR (p.created_at, p.id) < (page_ts(p_cursor_ts), p_cursor_id))
          ORDER BY p.created_at DESC, p.id DESC LIMIT lim + 1) x;
    RETURN page_json((SELECT json_agg(package_doc(x.warehouse_id, x.id) ORDER BY x.i)
                      FROM unnest(v_whs, v_ids) WITH ORDINALITY AS x (warehouse_id, id, i)), lim);
END $$;
