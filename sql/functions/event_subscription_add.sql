-- event_subscription_add.sql — POST /v1/event-subscriptions: a subscription of the platform
-- (p_seller NULL) or of one seller, with its secret (made in C). Returns its doc.
CREATE OR REPLACE FUNCTION event_subscription_add(p_seller uuid, p_url text, p_events text[],
    p_secret text, p_now timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
BEGIN
    INSERT INTO event_subscriptions (seller_id, url, secret, events, created_at, updated_at)
    VALUES (p_seller, p_url, p_secret, p_events, p_now, p_now) RETURNING id INTO v_id;
    RETURN event_subscription_doc(v_id);
END $$;
