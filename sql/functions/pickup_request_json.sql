-- pickup_request_json.sql — the pickup request shape of every answer (its columns as
-- arguments: on a shard the row type is the shard's). The warehouse and seller are their
-- codes, which the caller joins (the function reads no table: it runs per row). A request
-- collects an inbound shipment or a JIT consignment (the other is null).
DROP FUNCTION IF EXISTS pickup_request_json(text, uuid, text, uuid, text, text, double precision,
    double precision, timestamptz, timestamptz, int, int, bigint, uuid, text, int, timestamptz,
    timestamptz, int, timestamptz, timestamptz);
CREATE OR REPLACE FUNCTION pickup_request_json(p_warehouse text, p_id uuid, p_seller text,
    p_shipment uuid, p_consignment uuid, p_state text, p_address text, p_lat double precision,
    p_lon double precision, p_ready_from timestamptz, p_ready_until timestamptz, p_parcels int,
    p_weight_g int, p_volume_cm3 bigint, p_plan uuid, p_vehicle text, p_stop_no int,
    p_eta_from timestamptz, p_eta_until timestamptz, p_collected_parcels int,
    p_collected_at timestamptz, p_created_at timestamptz)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', p_id,
        'warehouse', p_warehouse, 'seller', p_seller,
        'inbound_shipment', p_shipment, 'jit_consignment', p_consignment, 'state', p_state,
        'site', jsonb_build_object('address', p_address, 'lat', p_lat, 'lon', p_lon),
        'ready_from', api_ts(p_ready_from), 'ready_until', api_ts(p_ready_until),
        'parcels', p_parcels, 'weight_g', p_weight_g, 'volume_cm3', p_volume_cm3,
        'plan', p_plan, 'vehicle', p_vehicle, 'stop_no', p_stop_no,
        'eta', CASE WHEN p_eta_from IS NULL THEN NULL
                    ELSE jsonb_build_object('from', api_ts(p_eta_from), 'until', api_ts(p_eta_until)) END,
        'collected', CASE WHEN p_collected_at IS NULL THEN NULL
                          ELSE jsonb_build_object('parcels', p_collected_parcels,
                                                  'at', api_ts(p_collected_at)) END,
        'created_at', api_ts(p_created_at))
$$;
