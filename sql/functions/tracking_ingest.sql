-- tracking_ingest.sql — one batch of a carrier's tracking events, applied in one transaction
-- (POST /v1/tracking/events, POST /v1/carriers/{code}/webhook; api/tracking/h_tracking_events.c
-- checked every event's shape first and passes only the well-formed ones).
--
-- p_events: [{i, event_id, tracking_number, code, occurred_at, node, location}] (i: the
-- event's index in the request). p_webhook: the Standard Webhooks message id, or NULL.
-- p_allowed / p_target: the order's deliver transition (wms/order.h). p_protection_s: the
-- buyer-protection window (WMS_BUYER_PROTECTION). p_now: the request's time.
--
-- 1. A webhook message id taken before (webhook_messages, in this same transaction, so a
--    message whose ingest failed is taken again) answers every event 'duplicate'.
-- 2. Each event's raw code is mapped through carrier_status_codes ('unmapped_code' when the
--    carrier has no such code) and its parcel found by carrier and tracking number (the
--    newest package of the pair: carriers recycle numbers; 'unknown_tracking_number'
--    otherwise). The first event of an event id in the batch is inserted with ON CONFLICT DO
--    NOTHING on (warehouse, carrier, event id): 'applied' when it went in, 'duplicate' when
--    it was there (a twin batch that committed first included: the insert waits for it).
--    Inserts go in (warehouse, event id) order, so racing batches never wait on each other
--    in a circle.
-- 3. Each package's status follows its events by the carrier's event time, not arrival
--    order: the latest event (event time, then event id) wins, but a terminal status
--    (delivered, returned_to_sender) is final — a batch's earliest terminal event wins over
--    its other events, and nothing replaces a terminal status (later events are kept in the
--    history only). The packages are locked in (warehouse, id) order first.
-- 4. An order whose every package is now delivered goes shipped → delivered (the deliver
--    transition) at its last package's delivery time, records whether the promise was kept
--    (delivery time ≤ the deadline recorded at allocation) and the end of its
--    buyer-protection window; its escrow stays held (escrow_release.c releases it then, with
--    the buyer's confirmation's settlement, unless the buyer confirmed first).
-- 5. Each leg of a delivered parcel's route (packages.route, as quoted at close) records its
--    actual time (leg_transit_observations): from the parcel's last event at the leg's
--    from-node (the first leg: else the dock's hand-over) to its first event at the leg's
--    to-node (the last leg: the delivery). The lane network learns from them.
-- 6. Events out: each parcel whose status changed and each order delivered is written to the
--    outbox (event_outbox) for every active subscription that takes it (package.status_changed,
--    order.delivered), in this transaction.
-- Returns {replayed, results: [{i, result, status}], delivered_orders}.
CREATE OR REPLACE FUNCTION tracking_ingest(p_carrier text, p_webhook text, p_events json,
    p_allowed text[], p_target text, p_protection_s int, p_now timestamptz)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    v_results json;
    v_wh uuid[];
    v_pkg uuid[];
    v_eid text[];
    v_status text[];
    v_at timestamptz[];
    d_seller uuid[];
    d_order uuid[];
    d_wh uuid[];
    d_keys text[];
    v_dwh uuid[];
    v_dpkg uuid[];
    o_seller uuid[];
    o_order uuid[];
    o_at timestamptz[];
    v_delivered int := 0;
BEGIN
    IF p_webhook IS NOT NULL THEN
        INSERT INTO webhook_messages (carrier_code, webhook_id, events, received_at)
        VALUES (p_carrier, p_webhook, json_array_length(p_events), p_now)
        ON CONFLICT (carrier_code, webhook_id) DO NOTHING;
        IF NOT FOUND THEN
            RETURN json_build_object('replayed', true, 'delivered_orders', 0, 'results',
                (SELECT coalesce(json_agg(json_build_object('i', e.i, 'result', 'duplicate')
                                          ORDER BY e.i), '[]'::json)
                 FROM json_to_recordset(p_events) AS e(i int)));
        END IF;
    END IF;

    WITH ev AS (
        SELECT e.* FROM json_to_recordset(p_events) AS e(i int, event_id text,
            tracking_number text, code text, occurred_at timestamptz, node text, location text)
    ), m AS (
        SELECT ev.*, c.status, p.warehouse_id, p.package_id
        FROM ev
        LEFT JOIN carrier_status_codes c ON c.carrier_code = p_carrier AND c.raw_code = ev.code
        LEFT JOIN LATERAL (SELECT q.warehouse_id, q.id AS package_id FROM packages q
                           WHERE q.carrier = p_carrier AND q.tracking_number = ev.tracking_number
                           ORDER BY q.closed_at DESC LIMIT 1) p ON true
    ), firsts AS (
        SELECT DISTINCT ON (m.event_id) m.* FROM m
        WHERE m.status IS NOT NULL AND m.package_id IS NOT NULL
        ORDER BY m.event_id, m.i
    ), ins AS (
        INSERT INTO tracking_events (warehouse_id, package_id, carrier_code, event_id,
            tracking_number, raw_code, status, occurred_at, node, location, received_at)
        SELECT f.warehouse_id, f.package_id, p_carrier, f.event_id, f.tracking_number, f.code,
            f.status, f.occurred_at, f.node, f.location, p_now
        FROM firsts f ORDER BY f.warehouse_id, f.event_id
        ON CONFLICT (warehouse_id, carrier_code, event_id) DO NOTHING
        RETURNING warehouse_id, package_id, event_id, status, occurred_at
    ), applied AS (
        SELECT f.i FROM firsts f JOIN ins ON ins.event_id = f.event_id
    )
    SELECT (SELECT coalesce(json_agg(json_build_object('i', m.i, 'result',
                CASE WHEN m.status IS NULL THEN 'unmapped_code'
                     WHEN m.package_id IS NULL THEN 'unknown_tracking_number'
                     WHEN a.i IS NOT NULL THEN 'applied'
                     ELSE 'duplicate' END, 'status', m.status) ORDER BY m.i), '[]'::json)
            FROM m LEFT JOIN applied a ON a.i = m.i),
           (SELECT array_agg(ins.warehouse_id) FROM ins),
           (SELECT array_agg(ins.package_id) FROM ins),
           (SELECT array_agg(ins.event_id) FROM ins),
           (SELECT array_agg(ins.status) FROM ins),
           (SELECT array_agg(ins.occurred_at) FROM ins)
    INTO v_results, v_wh, v_pkg, v_eid, v_status, v_at;

    IF v_wh IS NULL THEN
        RETURN json_build_object('replayed', false, 'delivered_orders', 0, 'results', v_results);
    END IF;

    -- the packages, locked in one order, (warehouse, id), so racing batches never deadlock
    -- (NO KEY UPDATE, as the UPDATE below takes: it does not wait for the KEY SHARE locks
    -- other transactions may hold on a package)
    PERFORM 1 FROM packages p
    WHERE (p.warehouse_id, p.id) IN (SELECT * FROM unnest(v_wh, v_pkg))
    ORDER BY p.warehouse_id, p.id FOR NO KEY UPDATE;

    WITH cand AS MATERIALIZED (
        SELECT DISTINCT ON (t.wh, t.pkg) t.wh, t.pkg, t.eid, t.status, t.at,
               t.status IN ('delivered', 'returned_to_sender') AS term
        FROM unnest(v_wh, v_pkg, v_eid, v_status, v_at) AS t(wh, pkg, eid, status, at)
        ORDER BY t.wh, t.pkg, (t.status IN ('delivered', 'returned_to_sender')) DESC,
                 CASE WHEN t.status IN ('delivered', 'returned_to_sender') THEN t.at END ASC,
                 CASE WHEN t.status IN ('delivered', 'returned_to_sender') THEN t.eid END ASC,
                 t.at DESC, t.eid DESC
    ), upd AS (
        UPDATE packages p SET tracking_status = c.status, tracking_status_at = c.at,
            tracking_event_id = c.eid,
            delivered_at = CASE WHEN c.status = 'delivered' THEN c.at END,
            updated_at = p_now
        FROM cand c
        WHERE p.warehouse_id = c.wh AND p.id = c.pkg
          AND (p.tracking_status IS NULL
               OR (p.tracking_status NOT IN ('delivered', 'returned_to_sender')
                   AND (c.term OR (c.at, c.eid) > (p.tracking_status_at, p.tracking_event_id))))
        RETURNING p.seller_id, p.order_id, p.warehouse_id, p.id, p.tracking_status,
            p.tracking_status_at, p.tracking_number, p.carrier
    ), told AS (
        INSERT INTO event_outbox (subscription_id, event_type, subject, payload)
        SELECT s.id, 'package.status_changed', u.id, jsonb_build_object(
                   'type', 'package.status_changed', 'timestamp', api_ts(p_now),
                   'data', jsonb_build_object('package_id', u.id, 'order_id', u.order_id,
                       'carrier', u.carrier, 'tracking_number', u.tracking_number,
                       'status', u.tracking_status, 'status_at', api_ts(u.tracking_status_at)))
        FROM upd u JOIN event_subscriptions s ON s.state = 'active'
            AND 'package.status_changed' = ANY (s.events)
            AND (s.seller_id IS NULL OR s.seller_id = u.seller_id)
        ORDER BY u.warehouse_id, u.id
        RETURNING 1
    )
    SELECT array_agg(DISTINCT u.seller_id::text || ' ' || u.order_id::text || ' '
                     || u.warehouse_id::text)
           FILTER (WHERE u.tracking_status = 'delivered'),
           array_agg(u.warehouse_id) FILTER (WHERE u.tracking_status = 'delivered'),
           array_agg(u.id) FILTER (WHERE u.tracking_status = 'delivered')
    INTO d_keys, v_dwh, v_dpkg
    FROM upd u;

    IF d_keys IS NULL THEN
        RETURN json_build_object('replayed', false, 'delivered_orders', 0, 'results', v_results);
    END IF;
    -- each leg of a delivered parcel's route, as it travelled it (5.)
    INSERT INTO leg_transit_observations (leg_id, warehouse_id, package_id, departed_at,
        arrived_at, hours)
    SELECT x.leg, x.wh, x.pkg, x.dep, x.arr, extract(epoch FROM x.arr - x.dep) / 3600
    FROM (SELECT r.leg ->> 'leg' AS leg, p.warehouse_id AS wh, p.id AS pkg,
                 coalesce((SELECT max(e.occurred_at) FROM tracking_events e
                           WHERE e.warehouse_id = p.warehouse_id AND e.package_id = p.id
                             AND e.node = r.leg ->> 'from'),
                          CASE WHEN r.k = 1 THEN p.shipped_at END) AS dep,
                 CASE WHEN r.k = jsonb_array_length(p.route -> 'legs') THEN p.delivered_at
                      ELSE (SELECT min(e.occurred_at) FROM tracking_events e
                            WHERE e.warehouse_id = p.warehouse_id AND e.package_id = p.id
                              AND e.node = r.leg ->> 'to') END AS arr
          FROM unnest(v_dwh, v_dpkg) AS d(wh, pkg)
          JOIN packages p ON p.warehouse_id = d.wh AND p.id = d.pkg
          CROSS JOIN LATERAL jsonb_array_elements(
              CASE WHEN jsonb_typeof(p.route -> 'legs') = 'array' THEN p.route -> 'legs'
                   ELSE '[]'::jsonb END) WITH ORDINALITY AS r(leg, k)) x
    WHERE x.leg IS NOT NULL AND x.dep IS NOT NULL AND x.arr > x.dep
      AND x.arr - x.dep <= interval '2000 hours'
    ON CONFLICT DO NOTHING;

    SELECT array_agg(split_part(x, ' ', 1)::uuid ORDER BY x),
           array_agg(split_part(x, ' ', 2)::uuid ORDER BY x),
           array_agg(split_part(x, ' ', 3)::uuid ORDER BY x)
    INTO d_seller, d_order, d_wh
    FROM unnest(d_keys) AS x;

    -- orders whose every package is delivered, with their last delivery time
    SELECT array_agg(t.seller ORDER BY t.seller, t.oid), array_agg(t.oid ORDER BY t.seller, t.oid),
           array_agg(t.at ORDER BY t.seller, t.oid)
    INTO o_seller, o_order, o_at
    FROM (SELECT d.seller, d.oid,
                 (SELECT max(q.delivered_at) FROM packages q
                  WHERE q.warehouse_id = d.wh AND q.order_id = d.oid) AS at,
                 (SELECT bool_and(q.tracking_status IS NOT DISTINCT FROM 'delivered')
                  FROM packages q WHERE q.warehouse_id = d.wh AND q.order_id = d.oid) AS all_in
          FROM unnest(d_seller, d_order, d_wh) AS d(seller, oid, wh)) t
    WHERE t.all_in;

    IF o_order IS NOT NULL THEN
        WITH d AS (
            UPDATE orders o SET state = p_target, delivered_at = t.at,
                promise_kept = CASE WHEN o.promise_deadline IS NULL THEN NULL
                                    ELSE t.at <= o.promise_deadline END,
                protection_until = t.at + make_interval(secs => p_protection_s),
                updated_at = p_now, version = o.version + 1
            FROM unnest(o_seller, o_order, o_at) AS t(seller, oid, at)
            WHERE o.seller_id = t.seller AND o.id = t.oid AND o.state = ANY (p_allowed)
            RETURNING o.seller_id, o.id, o.client_order_id, o.delivered_at, o.promise_kept,
                o.protection_until
        ), told AS (
            INSERT INTO event_outbox (subscription_id, event_type, subject, payload)
            SELECT s.id, 'order.delivered', d.id, jsonb_build_object(
                       'type', 'order.delivered', 'timestamp', api_ts(p_now),
                       'data', jsonb_build_object('order_id', d.id,
                           'client_order_id', d.client_order_id,
                           'delivered_at', api_ts(d.delivered_at), 'promise_kept', d.promise_kept,
                           'protection_until', api_ts(d.protection_until)))
            FROM d JOIN event_subscriptions s ON s.state = 'active'
                AND 'order.delivered' = ANY (s.events)
                AND (s.seller_id IS NULL OR s.seller_id = d.seller_id)
            RETURNING 1
        )
        SELECT count(*) INTO v_delivered FROM d;
    END IF;
    RETURN json_build_object('replayed', false, 'delivered_orders', v_delivered,
                             'results', v_results);
END $$;
