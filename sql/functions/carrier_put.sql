-- carrier_put.sql — PUT /v1/carriers/{code} (admin): creates the carrier or renames it, and
-- replaces its mapping of raw event codes to statuses with p_codes ({"RAW": "status", …};
-- NULL keeps it), in one transaction. Returns (created, the carrier_doc).
CREATE OR REPLACE FUNCTION carrier_put(p_code text, p_name text, p_codes json, p_now timestamptz,
    OUT created boolean, OUT body jsonb)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO carriers (code, name, created_at, updated_at)
    VALUES (p_code, p_name, p_now, p_now)
    ON CONFLICT (code) DO NOTHING;
    created := FOUND;
    IF NOT created THEN
        UPDATE carriers SET name = p_name, updated_at = p_now WHERE code = p_code;
    END IF;
    IF p_codes IS NOT NULL THEN
        DELETE FROM carrier_status_codes WHERE carrier_code = p_code;
        INSERT INTO carrier_status_codes (carrier_code, raw_code, status)
        SELECT p_code, e.key, e.value FROM json_each_text(p_codes) e;
    END IF;
    body := carrier_doc(p_code);
END $$;
