-- carrier_secret_revoke.sql — DELETE /v1/carriers/{code}/secrets/{id} (admin): the secret signs
-- nothing from now on (kept, with revoked_at, as the carrier's record). Revoking a revoked
-- secret changes nothing. Returns the carrier_doc, or NULL when the carrier has no such secret.
CREATE OR REPLACE FUNCTION carrier_secret_revoke(p_code text, p_id uuid, p_now timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM carrier_secrets WHERE carrier_code = p_code AND id = p_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE carrier_secrets SET revoked_at = p_now
    WHERE carrier_code = p_code AND id = p_id AND revoked_at IS NULL;
    RETURN carrier_doc(p_code);
END $$;
