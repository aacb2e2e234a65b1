-- carrier_secret_add.sql — POST /v1/carriers/{code}/secrets (admin): a new webhook secret
-- (made in C from 32 random bytes), at most two active at a time (rotation: add the new one,
-- the carrier switches, revoke the old one). The carrier's row is locked first, so two adds
-- at once never make a third. Outcome 'ok' (body: the secret's id and created_at), 'not-found'
-- or 'conflict' (two are active already).
CREATE OR REPLACE FUNCTION carrier_secret_add(p_code text, p_secret text, p_now timestamptz,
    OUT outcome text, OUT body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM 1 FROM carriers WHERE code = p_code FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 'not-found';
        RETURN;
    END IF;
    IF (SELECT count(*) FROM carrier_secrets
        WHERE carrier_code = p_code AND revoked_at IS NULL) >= 2 THEN
        outcome := 'conflict';
        body := carrier_doc(p_code);
        RETURN;
    END IF;
    INSERT INTO carrier_secrets (carrier_code, secret, created_at)
    VALUES (p_code, p_secret, p_now) RETURNING id INTO v_id;
    outcome := 'ok';
    body := jsonb_build_object('id', v_id, 'carrier', p_code, 'created_at', api_ts(p_now));
END $$;
