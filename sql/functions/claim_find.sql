-- claim_find.sql — GET /v1/claims/{id}: the claim p_id (claim_doc), of the seller p_scope
-- when given (NULL: any). The claim's seller is found first, then it is read on its shard.
CREATE OR REPLACE FUNCTION claim_find(p_id uuid, p_scope uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seller uuid;
BEGIN
    SELECT c.seller_id INTO v_seller FROM claims c
    WHERE c.id = p_id AND (p_scope IS NULL OR c.seller_id = p_scope);
    IF v_seller IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN claim_doc(v_seller, p_id);
END $$;
