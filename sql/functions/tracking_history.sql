-- tracking_history.sql — GET /v1/packages/{id}/tracking: a parcel's normalised status and
-- every event a carrier sent for it, by event time (the order they happened in, not the order
-- they arrived in), each with its raw code. The package is found first — by id, or by its
-- tracking number (the newest package of the number, for its carrier when p_carrier is
-- given) — within the caller's scope: p_wh (staff), p_seller (seller), p_carrier (carrier);
-- NULL when there is none. Then its events are read on its shard.
CREATE OR REPLACE FUNCTION tracking_history(p_id uuid, p_tracking text, p_wh uuid,
    p_seller uuid, p_carrier text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_id uuid;
    doc jsonb;
BEGIN
    SELECT p.warehouse_id, p.id INTO v_wh, v_id FROM packages p
    WHERE (p.id = p_id OR (p_id IS NULL AND p.tracking_number = p_tracking))
      AND p.tracking_number IS NOT NULL
      AND (p_wh IS NULL OR p.warehouse_id = p_wh)
      AND (p_seller IS NULL OR p.seller_id = p_seller)
      AND (p_carrier IS NULL OR p.carrier = p_carrier)
    ORDER BY p.closed_at DESC LIMIT 1;
    IF v_id IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT jsonb_build_object('package_id', p.id, 'order_id', p.order_id,
        'warehouse', (SELECT w.code FROM warehouses w WHERE w.id = p.warehouse_id),
        'carrier', p.carrier, 'service', p.service, 'tracking_number', p.tracking_number,
        'state', p.state, 'status', p.tracking_status, 'status_at', api_ts(p.tracking_status_at),
        'delivered_at', api_ts(p.delivered_at), 'shipped_at', api_ts(p.shipped_at),
        'events', (SELECT coalesce(jsonb_agg(jsonb_build_object('event_id', e.event_id,
                       'code', e.code_raw, 'status', e.status,
                       'occurred_at', api_ts(e.occurred_at), 'node', e.node,
                       'location', e.location, 'received_at', api_ts(e.received_at),
                       'current', e.event_id = p.tracking_event_id)
                       ORDER BY e.occurred_at, e.event_id), '[]'::jsonb)
                   FROM (SELECT x.event_id, x.raw_code AS code_raw, x.status, x.occurred_at,
                                x.node, x.location, x.received_at
                         FROM tracking_events x
                         WHERE x.warehouse_id = v_wh AND x.package_id = v_id) e))
    INTO doc
    FROM packages p WHERE p.warehouse_id = v_wh AND p.id = v_id;
    RETURN doc;
END $$;
