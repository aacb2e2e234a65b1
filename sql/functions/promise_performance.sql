-- promise_performance.sql — GET /v1/promise-performance (platform, admin): the promise kept or
-- missed per lane and week, against the lane's target. A lane is (origin warehouse,
-- destination country); a week starts on Monday (ISO, UTC) and holds the orders a carrier
-- delivered in it (orders.promise_kept, recorded by tracking_ingest against the deadline
-- recorded at allocation). The target is the lane's promise target (the origin's own for the
-- country, else the every-origin one; network promise targets as they are now). Optional
-- filters: p_from/p_to (delivery dates, to exclusive), p_origin (warehouse code), p_country.
CREATE OR REPLACE FUNCTION promise_performance(p_from timestamptz, p_to timestamptz,
    p_origin text, p_country text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    WITH rows AS MATERIALIZED (
        SELECT w.code AS origin, o.country,
               date_trunc('week', o.delivered_at AT TIME ZONE 'UTC')::date AS week,
               count(*) AS delivered, count(*) FILTER (WHERE o.promise_kept) AS on_time
        FROM orders o JOIN warehouses w ON w.id = o.warehouse_id
        WHERE o.promise_kept IS NOT NULL
          AND (p_from IS NULL OR o.delivered_at >= p_from)
          AND (p_to IS NULL OR o.delivered_at < p_to)
          AND (p_origin IS NULL OR w.code = p_origin)
          AND (p_country IS NULL OR o.country = p_country)
        GROUP BY 1, 2, 3
    ), targets AS (
        SELECT r.*, (SELECT t.target_bp FROM promise_targets t
                     WHERE t.country = r.country AND (t.origin_node = r.origin OR t.origin_node IS NULL)
                     ORDER BY t.origin_node NULLS LAST LIMIT 1) AS target_bp,
               (SELECT t.days FROM promise_targets t
                WHERE t.country = r.country AND (t.origin_node = r.origin OR t.origin_node IS NULL)
                ORDER BY t.origin_node NULLS LAST LIMIT 1) AS days
        FROM rows r
    )
    SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
               'origin', t.origin, 'country', t.country, 'week', t.week,
               'delivered', t.delivered, 'on_time', t.on_time,
               'late', t.delivered - t.on_time,
               'on_time_bp', (t.on_time * 10000 / t.delivered)::int,
               'promise_days', t.days, 'target_bp', t.target_bp,
               'target_met', CASE WHEN t.target_bp IS NULL THEN NULL
                                  ELSE t.on_time * 10000 >= t.target_bp::bigint * t.delivered END)
               ORDER BY t.week DESC, t.origin, t.country), '[]'::jsonb))
    INTO doc FROM targets t;
    RETURN doc;
END $$;
