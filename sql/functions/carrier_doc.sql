-- carrier_doc.sql — a carrier as the carrier endpoints answer it: code, name, the mapping of
-- its raw event codes to our statuses, and its webhook secrets (never the secret itself: a
-- hint of its first characters, when it was made and revoked). NULL for an unknown code.
CREATE OR REPLACE FUNCTION carrier_doc(p_code text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT jsonb_build_object('code', c.code, 'name', c.name,
        'status_codes', (SELECT coalesce(jsonb_object_agg(m.raw_code, m.status), '{}'::jsonb)
                         FROM carrier_status_codes m WHERE m.carrier_code = c.code),
        'secrets', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id,
                        'hint', left(s.secret, 10) || '…', 'active', s.revoked_at IS NULL,
                        'created_at', api_ts(s.created_at), 'revoked_at', api_ts(s.revoked_at))
                        ORDER BY s.created_at, s.id), '[]'::jsonb)
                    FROM carrier_secrets s WHERE s.carrier_code = c.code),
        'created_at', api_ts(c.created_at), 'updated_at', api_ts(c.updated_at))
    INTO doc
    FROM carriers c WHERE c.code = p_code;
    RETURN doc;
END $$;
