-- network_json.sql — the lane network's JSON shapes (the same items PUT /v1/network takes).

-- [{days: ["mon", …], time: "HH:MM"}] grouped by time of day.
CREATE OR REPLACE FUNCTION departures_json(m int[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('days', days, 'time', t) ORDER BY t), '[]')
    FROM (SELECT to_char(make_time(x % 1440 / 60, x % 60, 0), 'HH24:MI') AS t,
                 jsonb_agg(weekday_name(x / 1440 + 1) ORDER BY x) AS days
          FROM unnest(m) x GROUP BY 1) s
$$;

CREATE OR REPLACE FUNCTION departures_from_json(j jsonb) RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(DISTINCT (weekday_num(d) - 1) * 1440
                     + extract(hour FROM (e->>'time')::time)::int * 60
                     + extract(minute FROM (e->>'time')::time)::int)
    FROM jsonb_array_elements(j) e, jsonb_array_elements_text(e->'days') d
$$;

CREATE OR REPLACE FUNCTION days_json(d int[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_agg(weekday_name(x) ORDER BY x) FROM unnest(d) x
$$;

CREATE OR REPLACE FUNCTION days_from_json(j jsonb) RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(DISTINCT weekday_num(d)) FROM jsonb_array_elements_text(j) d
$$;

CREATE OR REPLACE FUNCTION network_node_json(n network_nodes) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('code', n.code, 'kind', n.kind, 'name', n.name,
        'country', n.country, 'time_zone', n.time_zone, 'postal_prefix', n.postal_prefix,
        'min_connection_min', n.min_connection_min))
$$;

-- A node row from its JSON; a warehouse node takes the id (and by default the country and
-- zone) of the warehouse with its code.
CREATE OR REPLACE FUNCTION network_node_row(j jsonb) RETURNS network_nodes LANGUAGE sql STABLE AS $$
    SELECT jsonb_populate_record(NULL::network_nodes, jsonb_build_object(
        'code', j->>'code', 'kind', j->>'kind', 'warehouse_id', w.id, 'name', j->>'name',
        'country', coalesce(j->>'country', w.country), 'time_zone', coalesce(j->>'time_zone', w.time_zone),
        'postal_prefix', j->>'postal_prefix',
        'min_connection_min', coalesce((j->>'min_connection_min')::int, 0),
        'created_at', clock_timestamp(), 'updated_at', clock_timestamp()))
    FROM (SELECT 1) one LEFT JOIN warehouses w ON j->>'kind' = 'warehouse' AND w.code = j->>'code'
$$;

CREATE OR REPLACE FUNCTION carrier_service_json(s carrier_services) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('carrier', s.carrier_code, 'service', s.service_code, 'mode', s.mode)
$$;

CREATE OR REPLACE FUNCTION network_leg_json(l network_legs) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('id', l.id, 'from', l.from_node, 'to', l.to_node,
        'carrier', l.carrier_code, 'service', l.service_code,
        'departures', departures_json(l.departures), 'cutoff_min', l.cutoff_min,
        'transit', CASE WHEN l.transit_hist_h IS NOT NULL
                        THEN jsonb_build_object('histogram_h', to_jsonb(l.transit_hist_h))
                        ELSE jsonb_build_object('quantiles',
                             (SELECT jsonb_agg(jsonb_build_object('p', l.transit_q[i],
                                                                  'hours', l.transit_q_hours[i]) ORDER BY i)
                              FROM generate_subscripts(l.transit_q, 1) i)) END,
        'delivery_days', days_json(l.delivery_days),
        'cost', jsonb_build_object('fixed', l.fixed_minor, 'per_kg', l.per_kg_minor,
                                   'currency', l.currency),
        'max_weight_g', l.max_weight_g,
        'max_dims_mm', jsonb_build_array(l.max_length_mm, l.max_width_mm, l.max_height_mm)))
$$;

CREATE OR REPLACE FUNCTION network_leg_row(j jsonb) RETURNS network_legs LANGUAGE sql STABLE AS $$
    SELECT jsonb_populate_record(NULL::network_legs, jsonb_build_object(
        'id', j->>'id', 'from_node', j->>'from', 'to_node', j->>'to',
        'carrier_code', j->>'carrier', 'service_code', j->>'service',
        'departures', departures_from_json(j->'departures'),
        'cutoff_min', coalesce((j->>'cutoff_min')::int, 0),
        'transit_hist_h', j->'transit'->'histogram_h',
        'transit_q', (SELECT jsonb_agg(q->'p') FROM jsonb_array_elements(j->'transit'->'quantiles') q),
        'transit_q_hours',
            (SELECT jsonb_agg(q->'hours') FROM jsonb_array_elements(j->'transit'->'quantiles') q),
        'delivery_days', days_from_json(j->'delivery_days'),
        'fixed_minor', (j->'cost'->>'fixed')::bigint, 'per_kg_minor', (j->'cost'->>'per_kg')::bigint,
        'currency', j->'cost'->>'currency',
        'max_weight_g', coalesce((j->>'max_weight_g')::int, 0),
        'max_length_mm', coalesce((j->'max_dims_mm'->>0)::int, 0),
        'max_width_mm', coalesce((j->'max_dims_mm'->>1)::int, 0),
        'max_height_mm', coalesce((j->'max_dims_mm'->>2)::int, 0),
        'created_at', clock_timestamp(), 'updated_at', clock_timestamp()))
$$;

CREATE OR REPLACE FUNCTION network_processing_json(p network_processing) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('origin', p.node_code,
        'order_cutoff', to_char(p.order_cutoff, 'HH24:MI'), 'histogram_h', to_jsonb(p.hist_h)))
$$;

CREATE OR REPLACE FUNCTION network_processing_row(j jsonb) RETURNS network_processing LANGUAGE sql STABLE AS $$
    SELECT jsonb_populate_record(NULL::network_processing, jsonb_build_object(
        'node_code', j->>'origin', 'order_cutoff', j->>'order_cutoff', 'hist_h', j->'histogram_h',
        'updated_at', clock_timestamp()))
$$;

CREATE OR REPLACE FUNCTION promise_target_json(t promise_targets) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', t.id, 'origin', t.origin_node, 'country', t.country,
        'days', t.days, 'target_bp', t.target_bp)
$$;

CREATE OR REPLACE FUNCTION promise_target_row(j jsonb) RETURNS promise_targets LANGUAGE sql STABLE AS $$
    SELECT jsonb_populate_record(NULL::promise_targets, jsonb_build_object(
        'id', coalesce(j->>'id', gen_random_uuid()::text), 'origin_node', j->>'origin',
        'country', j->>'country', 'days', (j->>'days')::int, 'target_bp', (j->>'target_bp')::int,
        'created_at', clock_timestamp(), 'updated_at', clock_timestamp()))
$$;

-- The whole network as one document, in the shape PUT /v1/network takes.
CREATE OR REPLACE FUNCTION network_json() RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'currency', (SELECT currency FROM network_settings),
        'version', (SELECT version FROM network_settings),
        'carriers', coalesce((SELECT jsonb_agg(jsonb_build_object('code', c.code, 'name', c.name)
                                               ORDER BY c.code) FROM carriers c
                              WHERE EXISTS (SELECT 1 FROM carrier_services s
                                            WHERE s.carrier_code = c.code)), '[]'),
        'nodes', coalesce((SELECT jsonb_agg(network_node_json(n) ORDER BY n.code)
                           FROM network_nodes n), '[]'),
        'services', coalesce((SELECT jsonb_agg(carrier_service_json(s)
                                               ORDER BY s.carrier_code, s.service_code)
                              FROM carrier_services s), '[]'),
        'legs', coalesce((SELECT jsonb_agg(network_leg_json(l) ORDER BY l.id) FROM network_legs l), '[]'),
        'processing', coalesce((SELECT jsonb_agg(network_processing_json(p) ORDER BY p.node_code)
                                FROM network_processing p), '[]'),
        'promises', coalesce((SELECT jsonb_agg(promise_target_json(t) - 'id'
                                               ORDER BY t.origin_node NULLS FIRST, t.country)
                              FROM promise_targets t), '[]'))
$$;
