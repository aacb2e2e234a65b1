-- pickup_plan_input.sql — what planning one hub's day needs (POST /v1/pickup-plans).

-- The hub p_code's pickup settings and vehicles, and its requests for local day p_day, as
-- one JSON object for the planner (api/pickups/pickup_plan.c), times in epoch seconds:
--   {warehouse_id, day, day_start, tz, hub: {lat, lon, road_factor, speed_kmh, stop_s,
--    parcel_s}, vehicles: [{code, capacity_g, capacity_cm3, shift_start, shift_end,
--    cost_per_vehicle, cost_per_km}],
--    requests: [{id, lat, lon, ready_from, ready_until, parcels, weight_g, volume_cm3,
--                vehicle, stop_no}]}
-- The requests are those still requested whose ready window meets the day, and those of
-- the day's published plan: with its vehicle and stop number when p_keep_published (the
-- planner keeps them where they are), else free to move. NULL: no such warehouse; hub NULL: no settings.
CREATE OR REPLACE FUNCTION pickup_plan_input(p_code text, p_day date, p_keep_published boolean)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_tz text;
    v_start timestamptz;
    v_end timestamptz;
    v_hub json;
    v_vehicles json;
    v_requests json;
BEGIN
    SELECT w.id, w.time_zone INTO v_wh, v_tz FROM warehouses w WHERE w.code = p_code;
    IF v_wh IS NULL THEN
        RETURN NULL;
    END IF;
    v_start := p_day::timestamp AT TIME ZONE v_tz;
    v_end := (p_day + 1)::timestamp AT TIME ZONE v_tz;
    SELECT json_build_object('lat', h.lat, 'lon', h.lon, 'road_factor', h.road_factor,
               'speed_kmh', h.speed_kmh, 'stop_s', h.stop_s, 'parcel_s', h.parcel_s),
           (SELECT json_agg(json_build_object('code', v ->> 'code',
                'capacity_g', (v ->> 'capacity_g')::bigint,
                'capacity_cm3', (v ->> 'capacity_cm3')::bigint,
                'shift_start', extract(epoch FROM (p_day + (v ->> 'shift_start')::time)::timestamp
                                                  AT TIME ZONE v_tz)::bigint,
                'shift_end', extract(epoch FROM (p_day + (v ->> 'shift_end')::time)::timestamp
                                                AT TIME ZONE v_tz)::bigint,
                'cost_per_vehicle', (v ->> 'cost_per_vehicle')::bigint,
                'cost_per_km', (v ->> 'cost_per_km')::bigint) ORDER BY o)
            FROM jsonb_array_elements(h.vehicles) WITH ORDINALITY AS e(v, o))
    INTO v_hub, v_vehicles
    FROM pickup_hubs h WHERE h.warehouse_id = v_wh;
    SELECT json_agg(json_build_object('id', r.id, 'lat', r.lat, 'lon', r.lon,
               'ready_from', extract(epoch FROM r.ready_from)::bigint,
               'ready_until', extract(epoch FROM r.ready_until)::bigint,
               'parcels', r.parcels, 'weight_g', r.weight_g, 'volume_cm3', r.volume_cm3,
               'vehicle', CASE WHEN p_keep_published AND r.state = 'published' THEN r.vehicle END,
               'stop_no', CASE WHEN p_keep_published AND r.state = 'published' THEN r.stop_no END)
               ORDER BY r.ready_from, r.id)
    INTO v_requests
    FROM pickup_requests r
    WHERE r.warehouse_id = v_wh AND r.ready_from < v_end AND r.ready_until > v_start
      AND (r.state = 'requested'
           OR (r.state = 'published' AND r.plan_id IN (
                   SELECT p.id FROM pickup_plans p
                   WHERE p.warehouse_id = v_wh AND p.day = p_day AND p.state = 'published')));
    RETURN json_build_object('warehouse_id', v_wh, 'day', p_day,
        'day_start', extract(epoch FROM v_start)::bigint, 'tz', v_tz, 'hub', v_hub,
        'vehicles', coalesce(v_vehicles, '[]'::json), 'requests', coalesce(v_requests, '[]'::json));
END $$;
