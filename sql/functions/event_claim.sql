-- event_claim.sql — the next events to deliver (api/tracking/event_delivery.c): pending outbox
-- rows whose attempt is due, not leased by another server, and first of their subject and
-- subscription (a subject's events go out one after another, in order), at most p_limit; each
-- is leased for p_lease_s seconds (SKIP LOCKED: servers share the work). Returns the row, its
-- subscription's url and secret.
CREATE OR REPLACE FUNCTION event_claim(p_now timestamptz, p_lease_s int, p_limit int)
RETURNS TABLE (id uuid, attempts int, url text, secret text, payload text)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    WITH due AS (
        SELECT o.id FROM event_outbox o
        WHERE o.state = 'pending' AND o.next_attempt_at <= p_now
          AND (o.lease_until IS NULL OR o.lease_until < p_now)
          AND NOT EXISTS (SELECT 1 FROM event_outbox e
                          WHERE e.subscription_id = o.subscription_id AND e.subject = o.subject
                            AND e.state = 'pending' AND (e.created_at, e.id) < (o.created_at, o.id))
        ORDER BY o.next_attempt_at, o.created_at
        LIMIT p_limit FOR UPDATE SKIP LOCKED
    ), leased AS (
        UPDATE event_outbox o SET lease_until = p_now + make_interval(secs => p_lease_s)
        FROM due WHERE o.id = due.id
        RETURNING o.id, o.attempts, o.subscription_id, o.payload
    )
    SELECT l.id, l.attempts, s.url, s.secret, l.payload::text
    FROM leased l JOIN event_subscriptions s ON s.id = l.subscription_id;
END $$;
