-- refund_find.sql — GET /v1/refunds/{id}: the refund p_id (refund_json), of the seller
-- p_scope when given (NULL: any). The refund's seller is found first, then it is read on its
-- shard.
CREATE OR REPLACE FUNCTION refund_find(p_id uuid, p_scope uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seller uuid;
BEGIN
    SELECT f.seller_id INTO v_seller FROM refunds f
    WHERE f.id = p_id AND (p_scope IS NULL OR f.seller_id = p_scope);
    IF v_seller IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN refund_json(v_seller, p_id);
END $$;
