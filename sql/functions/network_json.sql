-- network_json.sql — the lane network's JSON shapes (the same items PUT /v1/network takes).

-- The row-type shapes these replace (their signatures changed).
DROP FUNCTION IF EXISTS network_node_json(network_nodes);
DROP FUNCTION IF EXISTS network_node_row(jsonb);
DROP FUNCTION IF EXISTS carrier_service_json(carrier_services);
DROP FUNCTION IF EXISTS network_leg_json(network_legs);
DROP FUNCTION IF EXISTS network_leg_row(jsonb);
DROP FUNCTION IF EXISTS network_processing_json(network_processing);
DROP FUNCTION IF EXISTS network_processing_row(jsonb);
DROP FUNCTION IF EXISTS promise_target_json(promise_targets);
DROP FUNCTION IF EXISTS promise_target_row(jsonb);

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

-- Each item's JSON takes its columns and each item's columns come from its JSON as a set
-- of typed columns, never the table's row type (rows do not travel on Citus; see README,
-- "Writing SQL that distributes"). The handlers name the columns once, in a macro
-- (api/network/h_network.c).

CREATE OR REPLACE FUNCTION network_node_json(code text, kind text, name text, country text,
    time_zone text, postal_prefix text, min_connection_min int) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('code', code, 'kind', kind, 'name', name,
        'country', country, 'time_zone', time_zone, 'postal_prefix', postal_prefix,
        'min_connection_min', min_connection_min))
$$;

-- A node's columns from its JSON; a warehouse node takes the id (and by default the country
-- and zone) of the warehouse with its code.
CREATE OR REPLACE FUNCTION network_node_fields(j jsonb) RETURNS TABLE (code text, kind text,
    warehouse_id uuid, name text, country text, time_zone text, postal_prefix text,
    min_connection_min int)
LANGUAGE sql STABLE AS $$
    SELECT r.* FROM (SELECT 1) one
    LEFT JOIN warehouses w ON j->>'kind' = 'warehouse' AND w.code = j->>'code',
    LATERAL jsonb_to_record(jsonb_build_object(
        'code', j->>'code', 'kind', j->>'kind', 'warehouse_id', w.id, 'name', j->>'name',
        'country', coalesce(j->>'country', w.country), 'time_zone', coalesce(j->>'time_zone', w.time_zone),
        'postal_prefix', j->>'postal_prefix',
        'min_connection_min', coalesce((j->>'min_connection_min')::int, 0)))
        AS r (code text, kind text, warehouse_id uuid, name text, country text, time_zone text,
              postal_prefix text, min_connection_min int)
$$;

CREATE OR REPLACE FUNCTION carrier_service_json(carrier_code text, service_code text, mode text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('carrier', carrier_code, 'service', service_code, 'mode', mode)
$$;

CREATE OR REPLACE FUNCTION network_leg_json(id text, from_node text, to_node text,
    carrier_code text, service_code text, departures int[], cutoff_min int,
    transit_hist_h float8[], transit_q float8[], transit_q_hours float8[], delivery_days int[],
    fixed_minor bigint, per_kg_minor bigint, currency text, max_weight_g int, max_length_mm int,
    max_width_mm int, max_height_mm int) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('id', id, 'from', from_node, 'to', to_node,
        'carrier', carrier_code, 'service', service_code,
        'departures', departures_json(departures), 'cutoff_min', cutoff_min,
        'transit', CASE WHEN transit_hist_h IS NOT NULL
                        THEN jsonb_build_object('histogram_h', to_jsonb(transit_hist_h))
                        ELSE jsonb_build_object('quantiles',
                             (SELECT jsonb_agg(jsonb_build_object('p', transit_q[i],
                                                                  'hours', transit_q_hours[i])
                                               ORDER BY i)
                              FROM generate_subscripts(transit_q, 1) i)) END,
        'delivery_days', days_json(delivery_days),
        'cost', jsonb_build_object('fixed', fixed_minor, 'per_kg', per_kg_minor,
                                   'currency', currency),
        'max_weight_g', max_weight_g,
        'max_dims_mm', jsonb_build_array(max_length_mm, max_width_mm, max_height_mm)))
$$;

CREATE OR REPLACE FUNCTION network_leg_fields(j jsonb) RETURNS TABLE (id text, from_node text,
    to_node text, carrier_code text, service_code text, departures int[], cutoff_min int,
    transit_hist_h float8[], transit_q float8[], transit_q_hours float8[], delivery_days int[],
    fixed_minor bigint, per_kg_minor bigint, currency text, max_weight_g int, max_length_mm int,
    max_width_mm int, max_height_mm int)
LANGUAGE sql STABLE AS $$
    SELECT * FROM jsonb_to_record(jsonb_build_object(
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
        'max_height_mm', coalesce((j->'max_dims_mm'->>2)::int, 0)))
        AS r (id text, from_node text, to_node text, carrier_code text, service_code text,
              departures int[], cutoff_min int, transit_hist_h float8[], transit_q float8[],
              transit_q_hours float8[], delivery_days int[], fixed_minor bigint,
              per_kg_minor bigint, currency text, max_weight_g int, max_length_mm int,
              max_width_mm int, max_height_mm int)
$$;

CREATE OR REPLACE FUNCTION network_processing_json(node_code text, order_cutoff time,
    hist_h float8[]) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('origin', node_code,
        'order_cutoff', to_char(order_cutoff, 'HH24:MI'), 'histogram_h', to_jsonb(hist_h)))
$$;

CREATE OR REPLACE FUNCTION network_processing_fields(j jsonb)
RETURNS TABLE (node_code text, order_cutoff time, hist_h float8[]) LANGUAGE sql STABLE AS $$
    SELECT * FROM jsonb_to_record(jsonb_build_object(
        'node_code', j->>'origin', 'order_cutoff', j->>'order_cutoff', 'hist_h', j->'histogram_h'))
        AS r (node_code text, order_cutoff time, hist_h float8[])
$$;

CREATE OR REPLACE FUNCTION promise_target_json(id uuid, origin_node text, country text, days int,
    target_bp int) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', id, 'origin', origin_node, 'country', country,
        'days', days, 'target_bp', target_bp)
$$;

-- A target's columns from its JSON (its id is the table's default).
CREATE OR REPLACE FUNCTION promise_target_fields(j jsonb)
RETURNS TABLE (origin_node text, country text, days int, target_bp int)
LANGUAGE sql IMMUTABLE AS $$
    SELECT j->>'origin', j->>'country', (j->>'days')::int, (j->>'target_bp')::int
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
        'nodes', coalesce((SELECT jsonb_agg(network_node_json(n.code, n.kind, n.name, n.country,
                               n.time_zone, n.postal_prefix, n.min_connection_min) ORDER BY n.code)
                           FROM network_nodes n), '[]'),
        'services', coalesce((SELECT jsonb_agg(carrier_service_json(s.carrier_code, s.service_code,
                                                                    s.mode)
                                               ORDER BY s.carrier_code, s.service_code)
                              FROM carrier_services s), '[]'),
        'legs', coalesce((SELECT jsonb_agg(network_leg_json(l.id, l.from_node, l.to_node,
                               l.carrier_code, l.service_code, l.departures, l.cutoff_min,
                               l.transit_hist_h, l.transit_q, l.transit_q_hours, l.delivery_days,
                               l.fixed_minor, l.per_kg_minor, l.currency, l.max_weight_g,
                               l.max_length_mm, l.max_width_mm, l.max_height_mm) ORDER BY l.id)
                          FROM network_legs l), '[]'),
        'processing', coalesce((SELECT jsonb_agg(network_processing_json(p.node_code,
                                                     p.order_cutoff, p.hist_h) ORDER BY p.node_code)
                                FROM network_processing p), '[]'),
        'promises', coalesce((SELECT jsonb_agg(promise_target_json(t.id, t.origin_node, t.country,
                                                                t.days, t.target_bp) - 'id'
                                               ORDER BY t.origin_node NULLS FIRST, t.country)
                              FROM promise_targets t), '[]'))
$$;
