-- api_ts.sql — the one form of an instant in every answer: RFC 3339 in UTC with a Z,
-- "2026-11-22T00:30:00Z", with ".ffffff" only when there is a fraction of a second (the
-- form api/http/instant.c writes), whatever the session's TimeZone. STABLE, as to_char is:
-- declared so, PostgreSQL inlines it into the calling query instead of running it as a
-- separate SQL function per call (parsed and planned each time: a sixth of an order's
-- creation went there when it said IMMUTABLE).
CREATE OR REPLACE FUNCTION api_ts(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN date_trunc('second', t) = t THEN ''
                ELSE to_char(t AT TIME ZONE 'UTC', '.US') END || 'Z'
$$;
