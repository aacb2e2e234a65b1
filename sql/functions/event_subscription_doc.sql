-- event_subscription_doc.sql — an event subscription as its endpoints answer it (never the
-- secret: shown once, at creation), with its outbox counts.
CREATE OR REPLACE FUNCTION event_subscription_doc(p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT jsonb_build_object('id', s.id,
        'seller', (SELECT x.code FROM sellers x WHERE x.id = s.seller_id),
        'url', s.url, 'events', to_jsonb(s.events), 'state', s.state,
        'disabled_reason', s.disabled_reason,
        'outbox', (SELECT jsonb_build_object(
                       'pending', count(*) FILTER (WHERE o.state = 'pending'),
                       'delivered', count(*) FILTER (WHERE o.state = 'delivered'),
                       'failed', count(*) FILTER (WHERE o.state = 'failed'))
                   FROM event_outbox o WHERE o.subscription_id = s.id),
        'created_at', api_ts(s.created_at), 'updated_at', api_ts(s.updated_at))
    INTO doc FROM event_subscriptions s WHERE s.id = p_id;
    RETURN doc;
END $$;
