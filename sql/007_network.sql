-- 007_network.sql — the lane network route quotes plan on (DESIGN §5): nodes, carrier
-- services, legs with weekly local schedules, warehouse processing, promise targets.
-- Local rules are stored as local times with IANA zones; network_load_json() expands them
-- into UTC epoch seconds over a horizon, so DST is PostgreSQL's job and C works in instants.
-- Every change bumps network_settings.version and NOTIFYs wms_network: servers reload.
-- These are small reference tables (replicated on Citus).

CREATE FUNCTION is_time_zone(tz text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF tz IS NULL OR tz !~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$' THEN
        RETURN false;
    END IF;
    PERFORM now() AT TIME ZONE tz;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END $$;

-- Minutes of the week (0 = Monday 00:00 local … 10079), distinct.
CREATE FUNCTION minutes_of_week_ok(m int[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT cardinality(m) BETWEEN 1 AND 2016
       AND (SELECT bool_and(x BETWEEN 0 AND 10079) AND count(DISTINCT x) = count(*) FROM unnest(m) x)
$$;

-- Histogram weights per hour (element i = "takes i hours"): finite, ≥ 0, some > 0.
CREATE FUNCTION hist_ok(h float8[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT h IS NULL OR (cardinality(h) BETWEEN 1 AND 2000
       AND (SELECT bool_and(x >= 0 AND x < 'Infinity') AND sum(x) > 0 FROM unnest(h) x))
$$;

-- Quantiles: first p = 0, last p = 1, p strictly and hours weakly increasing, hours ≥ 0.
CREATE FUNCTION quantiles_ok(p float8[], hours float8[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT p IS NULL OR (cardinality(p) BETWEEN 2 AND 100 AND cardinality(p) = cardinality(hours)
       AND p[1] = 0 AND p[cardinality(p)] = 1 AND hours[1] >= 0 AND hours[cardinality(p)] <= 2000
       AND (SELECT bool_and(p[i] > p[i - 1] AND hours[i] >= hours[i - 1])
            FROM generate_subscripts(p, 1) i WHERE i > 1))
$$;

CREATE FUNCTION weekday_num(d text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT array_position(ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], d)
$$;
CREATE FUNCTION weekday_name(n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])[n]
$$;
CREATE FUNCTION epoch_s(t timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT floor(extract(epoch FROM t))::bigint
$$;

-- One row: the network's currency (every leg's cost is in it) and a version bumped by
-- every change, so a server never swaps an older load over a newer one.
CREATE TABLE network_settings (
    id           boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (id),
    currency     char(3)     NOT NULL UNIQUE CHECK (currency ~ '^[A-Z]{3}$'),
    version      bigint      NOT NULL DEFAULT 1
);
INSERT INTO network_settings (currency) VALUES ('USD');

CREATE TABLE network_nodes (
    code         text        NOT NULL PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    kind         text        NOT NULL CHECK (kind IN ('warehouse', 'hub', 'gateway', 'zone')),
    warehouse_id uuid        UNIQUE REFERENCES warehouses (id),  -- warehouse nodes: same code
    name         text        CHECK (length(name) BETWEEN 1 AND 200),
    country      char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    time_zone    text        NOT NULL CHECK (is_time_zone(time_zone)),
    postal_prefix text       CHECK (postal_prefix ~ '^[A-Z0-9]{1,10}$'),
    min_connection_min int   NOT NULL DEFAULT 0 CHECK (min_connection_min BETWEEN 0 AND 10080),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT network_nodes_warehouse CHECK ((kind = 'warehouse') = (warehouse_id IS NOT NULL)),
    CONSTRAINT network_nodes_prefix CHECK (kind = 'zone' OR postal_prefix IS NULL)
);
-- One zone per (country, postal prefix); no prefix = the whole country.
CREATE UNIQUE INDEX network_zones_unique ON network_nodes (country, coalesce(postal_prefix, ''))
    WHERE kind = 'zone';

CREATE TABLE carrier_services (
    carrier_code text        NOT NULL REFERENCES carriers (code),
    service_code text        NOT NULL CHECK (service_code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
    mode         text        NOT NULL CHECK (mode IN ('air', 'rail', 'road', 'sea', 'last_mile')),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (carrier_code, service_code)
);

CREATE TABLE network_legs (
    id           text        NOT NULL PRIMARY KEY CHECK (id ~ '^[A-Z0-9][A-Z0-9_.-]{0,63}$'),
    from_node    text        NOT NULL REFERENCES network_nodes (code) ON UPDATE CASCADE,
    to_node      text        NOT NULL REFERENCES network_nodes (code) ON UPDATE CASCADE,
    carrier_code text        NOT NULL,
    service_code text        NOT NULL,
    departures   int[]       NOT NULL CHECK (minutes_of_week_ok(departures)), -- local, from's zone
    cutoff_min   int         NOT NULL DEFAULT 0 CHECK (cutoff_min BETWEEN 0 AND 10080),
    transit_hist_h float8[]  CHECK (hist_ok(transit_hist_h)),
    transit_q    float8[],
    transit_q_hours float8[],
    delivery_days int[]      CHECK (cardinality(delivery_days) BETWEEN 1 AND 7
                                    AND delivery_days <@ '{1,2,3,4,5,6,7}'),  -- ISO weekdays
    fixed_minor  bigint      NOT NULL CHECK (fixed_minor BETWEEN 0 AND 1000000000),
    per_kg_minor bigint      NOT NULL CHECK (per_kg_minor BETWEEN 0 AND 1000000000),
    currency     char(3)     NOT NULL REFERENCES network_settings (currency) ON UPDATE CASCADE,
    max_weight_g int         NOT NULL DEFAULT 0 CHECK (max_weight_g BETWEEN 0 AND 100000000),
    max_length_mm int        NOT NULL DEFAULT 0 CHECK (max_length_mm BETWEEN 0 AND 100000),
    max_width_mm int         NOT NULL DEFAULT 0 CHECK (max_width_mm BETWEEN 0 AND 100000),
    max_height_mm int        NOT NULL DEFAULT 0 CHECK (max_height_mm BETWEEN 0 AND 100000),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (carrier_code, service_code) REFERENCES carrier_services ON UPDATE CASCADE,
    CONSTRAINT network_legs_distinct_ends CHECK (from_node <> to_node),
    CONSTRAINT network_legs_one_transit CHECK (num_nonnulls(transit_hist_h, transit_q) = 1),
    CONSTRAINT network_legs_quantiles CHECK (num_nonnulls(transit_q, transit_q_hours) <> 1
                                             AND quantiles_ok(transit_q, transit_q_hours))
);
CREATE INDEX network_legs_to ON network_legs (to_node);

-- Legs start at a warehouse, hub or gateway; delivery days only on legs into a zone.
CREATE FUNCTION network_legs_ends() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT kind FROM network_nodes WHERE code = NEW.from_node) = 'zone' THEN
        RAISE EXCEPTION 'leg % starts at zone %; zones are destinations', NEW.id, NEW.from_node
            USING ERRCODE = 'check_violation', CONSTRAINT = 'network_legs_from_zone';
    END IF;
    IF NEW.delivery_days IS NOT NULL
       AND (SELECT kind FROM network_nodes WHERE code = NEW.to_node) <> 'zone' THEN
        RAISE EXCEPTION 'leg % has delivery days but does not end in a zone', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'network_legs_delivery_days';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER network_legs_ends BEFORE INSERT OR UPDATE ON network_legs
    FOR EACH ROW EXECUTE FUNCTION network_legs_ends();

-- Per origin (a warehouse node): the daily order cut-off (local; none = continuous) and
-- the processing-time histogram before the first leg.
CREATE TABLE network_processing (
    node_code    text        NOT NULL PRIMARY KEY
                             REFERENCES network_nodes (code) ON DELETE CASCADE ON UPDATE CASCADE,
    order_cutoff time,
    hist_h       float8[]    NOT NULL CHECK (hist_ok(hist_h)),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- (origin or every origin, destination country) → promise days and on-time target.
CREATE TABLE promise_targets (
    id           uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    origin_node  text        REFERENCES network_nodes (code) ON DELETE CASCADE ON UPDATE CASCADE,
    country      char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    days         int         NOT NULL CHECK (days BETWEEN 1 AND 60),
    target_bp    int         NOT NULL CHECK (target_bp BETWEEN 1 AND 10000),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT promise_targets_unique UNIQUE NULLS NOT DISTINCT (origin_node, country)
);

CREATE FUNCTION network_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE network_settings SET version = version + 1;
    PERFORM pg_notify('wms_network', '');
    RETURN NULL;
END $$;
CREATE TRIGGER network_nodes_changed AFTER INSERT OR UPDATE OR DELETE ON network_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();
CREATE TRIGGER carrier_services_changed AFTER INSERT OR UPDATE OR DELETE ON carrier_services
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();
CREATE TRIGGER network_legs_changed AFTER INSERT OR UPDATE OR DELETE ON network_legs
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();
CREATE TRIGGER network_processing_changed AFTER INSERT OR UPDATE OR DELETE ON network_processing
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();
CREATE TRIGGER promise_targets_changed AFTER INSERT OR UPDATE OR DELETE ON promise_targets
    FOR EACH STATEMENT EXECUTE FUNCTION network_changed();
CREATE FUNCTION network_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wms_network', '');
    RETURN NULL;
END $$;
CREATE TRIGGER network_settings_currency AFTER UPDATE OF currency ON network_settings
    FOR EACH STATEMENT EXECUTE FUNCTION network_settings_changed();

-- --- the API's JSON shapes (the same items PUT /v1/network takes) --------------------------

-- [{days: ["mon", …], time: "HH:MM"}] grouped by time of day.
CREATE FUNCTION departures_json(m int[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('days', days, 'time', t) ORDER BY t), '[]')
    FROM (SELECT to_char(make_time(x % 1440 / 60, x % 60, 0), 'HH24:MI') AS t,
                 jsonb_agg(weekday_name(x / 1440 + 1) ORDER BY x) AS days
          FROM unnest(m) x GROUP BY 1) s
$$;
CREATE FUNCTION departures_from_json(j jsonb) RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(DISTINCT (weekday_num(d) - 1) * 1440
                     + extract(hour FROM (e->>'time')::time)::int * 60
                     + extract(minute FROM (e->>'time')::time)::int)
    FROM jsonb_array_elements(j) e, jsonb_array_elements_text(e->'days') d
$$;
CREATE FUNCTION days_json(d int[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_agg(weekday_name(x) ORDER BY x) FROM unnest(d) x
$$;
CREATE FUNCTION days_from_json(j jsonb) RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(DISTINCT weekday_num(d)) FROM jsonb_array_elements_text(j) d
$$;

CREATE FUNCTION network_node_json(n network_nodes) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('code', n.code, 'kind', n.kind, 'name', n.name,
        'country', n.country, 'time_zone', n.time_zone, 'postal_prefix', n.postal_prefix,
        'min_connection_min', n.min_connection_min))
$$;
-- A node row from its JSON; a warehouse node takes the id (and by default the country and
-- zone) of the warehouse with its code.
CREATE FUNCTION network_node_row(j jsonb) RETURNS network_nodes LANGUAGE sql STABLE AS $$
    SELECT jsonb_populate_record(NULL::network_nodes, jsonb_build_object(
        'code', j->>'code', 'kind', j->>'kind', 'warehouse_id', w.id, 'name', j->>'name',
        'country', coalesce(j->>'country', w.country), 'time_zone', coalesce(j->>'time_zone', w.time_zone),
        'postal_prefix', j->>'postal_prefix',
        'min_connection_min', coalesce((j->>'min_connection_min')::int, 0),
        'created_at', clock_timestamp(), 'updated_at', clock_timestamp()))
    FROM (SELECT 1) one LEFT JOIN warehouses w ON j->>'kind' = 'warehouse' AND w.code = j->>'code'
$$;

CREATE FUNCTION carrier_service_json(s carrier_services) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('carrier', s.carrier_code, 'service', s.service_code, 'mode', s.mode)
$$;

CREATE FUNCTION network_leg_json(l network_legs) RETURNS jsonb LANGUAGE sql STABLE AS $$
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
CREATE FUNCTION network_leg_row(j jsonb) RETURNS network_legs LANGUAGE sql STABLE AS $$
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

CREATE FUNCTION network_processing_json(p network_processing) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('origin', p.node_code,
        'order_cutoff', to_char(p.order_cutoff, 'HH24:MI'), 'histogram_h', to_jsonb(p.hist_h)))
$$;
CREATE FUNCTION network_processing_row(j jsonb) RETURNS network_processing LANGUAGE sql STABLE AS $$
    SELECT jsonb_populate_record(NULL::network_processing, jsonb_build_object(
        'node_code', j->>'origin', 'order_cutoff', j->>'order_cutoff', 'hist_h', j->'histogram_h',
        'updated_at', clock_timestamp()))
$$;

CREATE FUNCTION promise_target_json(t promise_targets) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', t.id, 'origin', t.origin_node, 'country', t.country,
        'days', t.days, 'target_bp', t.target_bp)
$$;
CREATE FUNCTION promise_target_row(j jsonb) RETURNS promise_targets LANGUAGE sql STABLE AS $$
    SELECT jsonb_populate_record(NULL::promise_targets, jsonb_build_object(
        'id', coalesce(j->>'id', gen_random_uuid()::text), 'origin_node', j->>'origin',
        'country', j->>'country', 'days', (j->>'days')::int, 'target_bp', (j->>'target_bp')::int,
        'created_at', clock_timestamp(), 'updated_at', clock_timestamp()))
$$;

-- The whole network as one document, in the shape PUT /v1/network takes.
CREATE FUNCTION network_json() RETURNS jsonb LANGUAGE sql STABLE AS $$
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

-- Problems a document has that only the database can see: warehouse nodes whose code is no
-- warehouse, services of carriers neither known nor in the document. [{field, code, message}].
CREATE FUNCTION network_doc_problems(doc jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH arr AS (
        SELECT CASE WHEN jsonb_typeof(doc->'nodes') = 'array' THEN doc->'nodes' ELSE '[]' END AS nodes,
               CASE WHEN jsonb_typeof(doc->'services') = 'array' THEN doc->'services' ELSE '[]' END AS services,
               CASE WHEN jsonb_typeof(doc->'carriers') = 'array' THEN doc->'carriers' ELSE '[]' END AS carriers),
    p AS (
        SELECT i, format('nodes[%s].code', i - 1) AS field, 'unknown_warehouse' AS code,
               format('no warehouse has code %s', n->>'code') AS message
        FROM arr, jsonb_array_elements(arr.nodes) WITH ORDINALITY AS x (n, i)
        WHERE n->>'kind' = 'warehouse' AND n->>'code' IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM warehouses w WHERE w.code = n->>'code')
        UNION ALL
        SELECT 100000000 + i, format('services[%s].carrier', i - 1), 'unknown_carrier',
               format('no carrier %s (add it to carriers[])', s->>'carrier')
        FROM arr, jsonb_array_elements(arr.services) WITH ORDINALITY AS x (s, i)
        WHERE s->>'carrier' IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM carriers c WHERE c.code = s->>'carrier')
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(arr.carriers) c
                          WHERE c->>'code' = s->>'carrier'))
    SELECT coalesce(jsonb_agg(jsonb_build_object('field', field, 'code', code, 'message', message)
                              ORDER BY i), '[]')
    FROM p
$$;

-- Replaces the whole network with doc (already validated in C) in this one transaction,
-- unless the database finds problems. Returns {"errors": [...]} (nothing changed) or
-- {"load": network_load_json(...)} (the new network, expanded, for the calling server).
CREATE FUNCTION network_replace(doc jsonb, back_days int, ahead_days int)
RETURNS json LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    problems jsonb := network_doc_problems(doc);
BEGIN
    IF jsonb_array_length(problems) > 0 THEN
        RETURN json_build_object('errors', problems);
    END IF;
    DELETE FROM promise_targets;
    DELETE FROM network_processing;
    DELETE FROM network_legs;
    DELETE FROM carrier_services;
    DELETE FROM network_nodes;
    INSERT INTO carriers (code, name)
        SELECT c->>'code', coalesce(c->>'name', c->>'code')
        FROM jsonb_array_elements(coalesce(doc->'carriers', '[]')) c
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name;
    UPDATE network_settings SET currency = doc->>'currency' WHERE currency <> doc->>'currency';
    INSERT INTO network_nodes SELECT r.* FROM jsonb_array_elements(doc->'nodes') x, network_node_row(x) r;
    INSERT INTO carrier_services (carrier_code, service_code, mode)
        SELECT s->>'carrier', s->>'service', s->>'mode' FROM jsonb_array_elements(doc->'services') s;
    INSERT INTO network_legs SELECT r.* FROM jsonb_array_elements(doc->'legs') x, network_leg_row(x) r;
    INSERT INTO network_processing
        SELECT r.* FROM jsonb_array_elements(coalesce(doc->'processing', '[]')) x, network_processing_row(x) r;
    INSERT INTO promise_targets
        SELECT r.* FROM jsonb_array_elements(coalesce(doc->'promises', '[]')) x, promise_target_row(x) r;
    RETURN json_build_object('load', network_load_json(back_days, ahead_days));
END $$;

-- --- loading: the network with local rules expanded to UTC epoch seconds -------------------

-- The local calendar days of tz that overlap [lo, hi].
CREATE FUNCTION local_days(tz text, lo timestamptz, hi timestamptz) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
    SELECT generate_series((lo AT TIME ZONE tz)::date, (hi AT TIME ZONE tz)::date, interval '1 day')::date
$$;

-- The UTC instant of local midnight starting day d in tz.
CREATE FUNCTION local_midnight(d date, tz text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT epoch_s(d::timestamp AT TIME ZONE tz)
$$;

-- Everything a server needs to build its in-memory network, in one document:
--  horizon [now − back_days, now + ahead_days]; per node its order windows (processing
--  origins: [local 00:00, local cut-off) of each day) and, for zones, the local midnights
--  from the day before the horizon to 62 days after it (promise deadlines); per leg its
--  departures as sorted distinct UTC instants in the horizon (weekly local slots in the
--  from-node's zone; PostgreSQL resolves DST: an ambiguous time is taken once, a skipped
--  time moves forward) and, with delivery days, delivery windows [local 00:00, next local
--  00:00) of the to-zone's delivery days.
-- (jit off: the planner's row estimates for generate_series make JIT compile for 300 ms a
-- query that runs in a few.)
CREATE FUNCTION network_load_json(back_days int, ahead_days int) RETURNS json
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
                                JOIN network_nodes z ON z.code = l.to_node), '[]'),
        'promises', coalesce((SELECT json_agg(json_build_object('origin', t.origin_node,
                                  'country', t.country, 'days', t.days, 'target_bp', t.target_bp)
                              ORDER BY t.origin_node NULLS FIRST, t.country) FROM promise_targets t), '[]'))
    FROM network_settings s, h
$$;
