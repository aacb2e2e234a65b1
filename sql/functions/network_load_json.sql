-- network_load_json.sql — the network with local rules expanded to UTC epoch seconds.

-- Everything a server needs to build its in-memory network, in one document:
--  horizon [now − back_days, now + ahead_days]; per node its order windows (processing
--  origins: [local 00:00, local cut-off) of each day) and, for zones, the local midnights
--  from the day before the horizon to 62 days after it (promise deadlines); per leg its
--  departures as sorted distinct UTC instants in the horizon (weekly local slots in the
--  from-node's zone; PostgreSQL resolves DST: an ambiguous time is taken once, a skipped
--  time moves forward) and, with delivery days, delivery windows [local 00:00, next local
--  00:00) of the to-zone's delivery days; and what tracking observed of it in the last 52
--  weeks (leg_transit_observations): observed_n parcels, observed_h [[hour bin, weight]]
--  with each parcel weighted 0.5^(age / 28 days) — recent weeks count more.
-- (jit off: the planner's row estimates for generate_series make JIT compile for 300 ms a
-- query that runs in a few.)
CREATE OR REPLACE FUNCTION network_load_json(back_days int, ahead_days int) RETURNS json
LANGUAGE sql STABLE SET jit = off AS $$
    WITH h AS (SELECT now() - make_interval(days => back_days) AS lo,
                      now() + make_interval(days => ahead_days) AS hi)
    SELECT json_build_object(
        'version', s.version, 'currency', s.currency, 'now', epoch_s(now()),
        'horizon_from', epoch_s(h.lo), 'horizon_to', epoch_s(h.hi),
        'nodes', coalesce((SELECT json_agg(json_build_object(
            'code', n.code, 'kind', n.kind, 'country', n.country, 'time_zone', n.time_zone,
            'postal_prefix', n.postal_prefix, 'min_connection_s', n.min_connection_min * 60,
            'processing_h', p.hist_h,
            'order_windows', CASE WHEN p.order_cutoff IS NOT NULL THEN
                (SELECT json_agg(json_build_array(local_midnight(d, n.time_zone),
                                                  epoch_s((d + p.order_cutoff) AT TIME ZONE n.time_zone))
                                 ORDER BY d)
                 FROM local_days(n.time_zone, h.lo, h.hi) d) END,
            'midnights', CASE WHEN n.kind = 'zone' THEN
                (SELECT json_agg(local_midnight(d, n.time_zone) ORDER BY d)
                 FROM local_days(n.time_zone, h.lo - interval '1 day', h.hi + interval '62 days') d) END)
            ORDER BY n.code)
            FROM network_nodes n LEFT JOIN network_processing p ON p.node_code = n.code), '[]'),
        'services', coalesce((SELECT json_agg(json_build_object('carrier', cs.carrier_code,
                                'service', cs.service_code, 'mode', cs.mode)
                              ORDER BY cs.carrier_code, cs.service_code) FROM carrier_services cs), '[]'),
        'legs', coalesce((SELECT json_agg(json_build_object(
            'id', l.id, 'from', l.from_node, 'to', l.to_node, 'carrier', l.carrier_code,
            'service', l.service_code, 'cutoff_min', l.cutoff_min,
            'hist_h', l.transit_hist_h, 'q', l.transit_q, 'q_hours', l.transit_q_hours,
            'observed_n', coalesce(o.n, 0), 'observed_h', o.hist,
            'fixed', l.fixed_minor, 'per_kg', l.per_kg_minor, 'max_weight_g', l.max_weight_g,
            'max_dims_mm', json_build_array(l.max_length_mm, l.max_width_mm, l.max_height_mm),
            'departures', coalesce((
                SELECT json_agg(t ORDER BY t) FROM (
                    SELECT DISTINCT epoch_s((g.d + make_interval(mins => m % 1440)) AT TIME ZONE f.time_zone) AS t
                    FROM unnest(l.departures) m,
                         LATERAL (SELECT (h.lo AT TIME ZONE f.time_zone)::date AS d0) b,
                         generate_series((b.d0 + ((m / 1440 + 1) - extract(isodow FROM b.d0)::int + 7) % 7)::timestamp,
                                         (h.hi AT TIME ZONE f.time_zone)::date::timestamp,
                                         interval '7 days') AS g (d)
                    ) x WHERE t BETWEEN epoch_s(h.lo) AND epoch_s(h.hi)), '[]'),
            'delivery_windows', CASE WHEN l.delivery_days IS NOT NULL THEN coalesce((
                SELECT json_agg(json_build_array(local_midnight(d, z.time_zone),
                                                 local_midnight(d + 1, z.time_zone)) ORDER BY d)
                FROM local_days(z.time_zone, h.lo, h.hi + interval '14 days') d
                WHERE extract(isodow FROM d)::int = ANY (l.delivery_days)), '[]') END)
            ORDER BY l.id)
            FROM network_legs l JOIN network_nodes f ON f.code = l.from_node
                                JOIN network_nodes z ON z.code = l.to_node
                                LEFT JOIN (SELECT b.leg_id, sum(b.c)::int AS n,
                                                  json_agg(json_build_array(b.hour, b.w) ORDER BY b.hour) AS hist
                                           FROM (SELECT t.leg_id, ceil(t.hours)::int AS hour, count(*) AS c,
                                                        sum(power(0.5, extract(epoch FROM now() - t.arrived_at)
                                                                       / (28 * 86400.0))) AS w
                                                 FROM leg_transit_observations t
                                                 WHERE t.arrived_at > now() - interval '364 days'
                                                 GROUP BY 1, 2) b
                                           GROUP BY b.leg_id) o ON o.leg_id = l.id), '[]'),
        'promises', coalesce((SELECT json_agg(json_build_object('origin', t.origin_node,
                                  'country', t.country, 'days', t.days, 'target_bp', t.target_bp)
                              ORDER BY t.origin_node NULLS FIRST, t.country) FROM promise_targets t), '[]'))
    FROM network_settings s, h
$$;
