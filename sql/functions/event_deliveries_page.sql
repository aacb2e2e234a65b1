-- event_deliveries_page.sql — GET /v1/event-subscriptions/{id}/deliveries: a subscription's
-- outbox, newest first, each event with its state and every attempt (when, status, error,
-- duration). NULL when the subscription is not the caller's (p_seller: a seller's own only).
CREATE OR REPLACE FUNCTION event_deliveries_page(lim int, p_cursor_ts text, p_cursor_id uuid,
    p_sub uuid, p_seller uuid) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_items json;
BEGIN
    PERFORM 1 FROM event_subscriptions s
    WHERE s.id = p_sub AND (p_seller IS NULL OR s.seller_id = p_seller);
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT json_agg(json_build_object('id', o.id, 'event_type', o.event_type,
               'subject', o.subject, 'state', o.state, 'payload', o.payload,
               'attempts', (SELECT coalesce(json_agg(json_build_object('attempt', a.attempt,
                                'at', api_ts(a.at), 'status', a.status, 'error', a.error,
                                'duration_ms', a.duration_ms) ORDER BY a.attempt), '[]'::json)
                            FROM event_attempts a WHERE a.outbox_id = o.id),
               'next_attempt_at', CASE WHEN o.state = 'pending' THEN api_ts(o.next_attempt_at) END,
               'delivered_at', api_ts(o.delivered_at), 'created_at', api_ts(o.created_at))
           ORDER BY o.created_at DESC, o.id DESC)
    INTO v_items
    FROM (SELECT * FROM event_outbox x
          WHERE x.subscription_id = p_sub
            AND (p_cursor_ts IS NULL OR (x.created_at, x.id) < (page_ts(p_cursor_ts), p_cursor_id))
          ORDER BY x.created_at DESC, x.id DESC LIMIT lim + 1) o;
    RETURN page_json(v_items, lim);
END $$;
