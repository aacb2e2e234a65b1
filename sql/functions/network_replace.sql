-- network_replace.sql — replacing the whole network in one transaction.

-- Problems a document has that only the database can see: warehouse nodes whose code is no
-- warehouse, services of carriers neither known nor in the document. [{field, code, message}].
CREATE OR REPLACE FUNCTION network_doc_problems(doc jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
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
CREATE OR REPLACE FUNCTION network_replace(doc jsonb, back_days int, ahead_days int)
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
    INSERT INTO network_nodes (code, kind, warehouse_id, name, country, time_zone, postal_prefix,
                               min_connection_min)
        SELECT r.* FROM jsonb_array_elements(doc->'nodes') x, network_node_fields(x) r;
    INSERT INTO carrier_services (carrier_code, service_code, mode)
        SELECT s->>'carrier', s->>'service', s->>'mode' FROM jsonb_array_elements(doc->'services') s;
    INSERT INTO network_legs (id, from_node, to_node, carrier_code, service_code, departures,
                              cutoff_min, transit_hist_h, transit_q, transit_q_hours, delivery_days,
                              fixed_minor, per_kg_minor, currency, max_weight_g, max_length_mm,
                              max_width_mm, max_height_mm)
        SELECT r.* FROM jsonb_array_elements(doc->'legs') x, network_leg_fields(x) r;
    INSERT INTO network_processing (node_code, order_cutoff, hist_h)
        SELECT r.* FROM jsonb_array_elements(coalesce(doc->'processing', '[]')) x,
                        network_processing_fields(x) r;
    INSERT INTO promise_targets (origin_node, country, days, target_bp)
        SELECT r.* FROM jsonb_array_elements(coalesce(doc->'promises', '[]')) x,
                        promise_target_fields(x) r;
    RETURN json_build_object('load', network_load_json(back_days, ahead_days));
END $$;
