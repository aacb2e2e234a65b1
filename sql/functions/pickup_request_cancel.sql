-- pickup_request_cancel.sql — a seller cancels its pickup request
-- (POST /v1/pickup-requests/{id}/cancel).

-- Cancels request p_id (of seller p_seller when not NULL) at p_now: it must be in p_from
-- (wms/pickup.h: requested, published; 'wrong-state' with its state otherwise) and goes to
-- p_to, leaving its plan (a published plan keeps the stop in its document; the driver's scan
-- then finds the request cancelled, and the next plan of the day leaves it out). The inbound
-- shipment is not changed. Outcome 'ok' with the request, 'not-found', or 'wrong-state'.
CREATE OR REPLACE FUNCTION pickup_request_cancel(p_id uuid, p_seller uuid, p_from text[],
    p_to text, p_now timestamptz, OUT outcome text, OUT detail text, OUT body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_wh uuid;
    v_state text;
BEGIN
    SELECT r.warehouse_id INTO v_wh FROM pickup_requests r
    WHERE r.id = p_id AND (p_seller IS NULL OR r.seller_id = p_seller);
    IF v_wh IS NULL THEN
        outcome := 'not-found'; detail := 'no such pickup request';
        RETURN;
    END IF;
    SELECT r.state INTO v_state FROM pickup_requests r
    WHERE r.warehouse_id = v_wh AND r.id = p_id FOR UPDATE;
    IF NOT v_state = ANY (p_from) THEN
        outcome := 'wrong-state';
        detail := format('pickup request is %s; cancel is allowed from %s', v_state,
                         array_to_string(p_from, ', '));
        body := jsonb_build_object('state', v_state);
        RETURN;
    END IF;
    UPDATE pickup_requests r SET state = p_to, plan_id = NULL, vehicle = NULL, stop_no = NULL,
           eta_from = NULL, eta_until = NULL, updated_at = p_now
    WHERE r.warehouse_id = v_wh AND r.id = p_id;
    SELECT pickup_request_json(w.code, r.id, s.code, r.shipment_id, r.consignment_id, r.state,
               r.address, r.lat, r.lon, r.ready_from, r.ready_until, r.parcels, r.weight_g,
               r.volume_cm3, r.plan_id, r.vehicle, r.stop_no, r.eta_from, r.eta_until,
               r.collected_parcels, r.collected_at, r.created_at)
    INTO body
    FROM pickup_requests r JOIN warehouses w ON w.id = r.warehouse_id
    JOIN sellers s ON s.id = r.seller_id
    WHERE r.warehouse_id = v_wh AND r.id = p_id;
    outcome := 'ok';
END $$;
