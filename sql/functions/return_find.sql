-- return_find.sql — GET /v1/returns/{id}: the return by its id p_id or, when p_id is NULL,
-- by its RMA code p_rma (return_doc). p_warehouse (a returns centre's staff) and p_seller
-- (the order's seller) narrow it when given: another centre's or seller's return is NULL,
-- as is no return. Its returns centre is found first, then it is read on that shard.
CREATE OR REPLACE FUNCTION return_find(p_id uuid, p_rma text, p_warehouse uuid, p_seller uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_id uuid;
BEGIN
    -- one branch each, so that each uses its index (returns_id; returns_rma with the centre)
    IF p_id IS NOT NULL THEN
        SELECT r.warehouse_id, r.id INTO v_wh, v_id FROM returns r
        WHERE r.id = p_id
          AND (p_warehouse IS NULL OR r.warehouse_id = p_warehouse)
          AND (p_seller IS NULL OR r.seller_id = p_seller);
    ELSIF p_warehouse IS NOT NULL THEN
        SELECT r.warehouse_id, r.id INTO v_wh, v_id FROM returns r
        WHERE r.warehouse_id = p_warehouse AND r.rma = p_rma
          AND (p_seller IS NULL OR r.seller_id = p_seller);
    ELSE
        -- no index on the RMA alone: every centre's returns are read (platform, admin, seller)
        SELECT r.warehouse_id, r.id INTO v_wh, v_id FROM returns r
        WHERE r.rma = p_rma AND (p_seller IS NULL OR r.seller_id = p_seller)
        ORDER BY r.created_at DESC LIMIT 1;
    END IF;
    IF v_id IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN return_doc(v_wh, v_id);
END $$;
