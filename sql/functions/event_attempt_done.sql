-- event_attempt_done.sql — one delivery attempt's outcome (api/tracking/event_delivery.c):
-- recorded in event_attempts; a 2xx delivers the event; 410 Gone disables the subscription and
-- fails its pending events; anything else (0: no answer) schedules the next attempt at
-- p_retry_at (C's back-off with jitter), or fails the event when p_retry_at is NULL (the
-- schedule is spent).
CREATE OR REPLACE FUNCTION event_attempt_done(p_id uuid, p_status int, p_error text,
    p_duration_ms int, p_now timestamptz, p_retry_at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_sub uuid;
    v_attempt int;
BEGIN
    -- one attempt of a subscription at a time: a 410 fails the subscription's other events,
    -- which would otherwise deadlock with their own attempts
    PERFORM 1 FROM event_subscriptions s
    WHERE s.id = (SELECT x.subscription_id FROM event_outbox x WHERE x.id = p_id) FOR UPDATE;
    UPDATE event_outbox o SET attempts = o.attempts + 1, lease_until = NULL,
        last_status = p_status, last_error = p_error,
        state = CASE WHEN p_status BETWEEN 200 AND 299 THEN 'delivered'
                     WHEN p_status = 410 OR p_retry_at IS NULL THEN 'failed' ELSE 'pending' END,
        delivered_at = CASE WHEN p_status BETWEEN 200 AND 299 THEN p_now END,
        next_attempt_at = coalesce(p_retry_at, o.next_attempt_at)
    WHERE o.id = p_id AND o.state = 'pending'
    RETURNING o.subscription_id, o.attempts INTO v_sub, v_attempt;
    IF NOT FOUND THEN
        RETURN 'gone';
    END IF;
    INSERT INTO event_attempts (outbox_id, attempt, at, status, error, duration_ms)
    VALUES (p_id, v_attempt, p_now, p_status, p_error, p_duration_ms);
    IF p_status = 410 THEN
        UPDATE event_subscriptions SET state = 'disabled', updated_at = p_now,
            disabled_reason = 'the receiver answered 410 Gone'
        WHERE id = v_sub AND state = 'active';
        UPDATE event_outbox SET state = 'failed', last_error = 'subscription disabled (410)'
        WHERE subscription_id = v_sub AND state = 'pending';
        RETURN 'disabled';
    END IF;
    RETURN CASE WHEN p_status BETWEEN 200 AND 299 THEN 'delivered'
                WHEN p_retry_at IS NULL THEN 'failed' ELSE 'retry' END;
END $$;
