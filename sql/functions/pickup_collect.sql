-- pickup_collect.sql — the collection of a pickup request by the driver's scan
-- (POST /v1/pickup/scans), and what pricing it needs.

-- What api/fees/fees_pickup.c needs to price the collection of request p_request at t:
-- {seller_id, warehouse_id, request_id, mode (its inbound shipment's; semi_jit for a JIT
-- consignment, whose tasks are all semi_jit orders'), at, weight_g, versions}. NULL when there is no such request in the warehouse. The versions (reference
-- tables) are read first, by a statement of their own (as fees_inbound_close_input).
CREATE OR REPLACE FUNCTION pickup_fee_input(p_warehouse uuid, p_request uuid, t timestamptz)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_versions json := fee_versions_json(t);
BEGIN
    RETURN (
        SELECT json_build_object('seller_id', r.seller_id, 'warehouse_id', r.warehouse_id,
            'request_id', r.id,
            'mode', CASE WHEN r.consignment_id IS NOT NULL THEN 'semi_jit' ELSE s.mode END,
            'at', api_ts(t), 'weight_g', r.weight_g, 'versions', v_versions)
        FROM pickup_requests r
        LEFT JOIN inbound_shipments s ON s.warehouse_id = r.warehouse_id AND s.id = r.shipment_id
        WHERE r.warehouse_id = p_warehouse AND r.id = p_request);
END $$;

-- Collects request p_request of warehouse p_warehouse (the staff key's hub), exactly once by
-- p_scan_id: the request, locked, must be in p_collect_from (wms/pickup.h: published;
-- 'wrong-state' otherwise, with its state); it becomes p_collected with p_parcels (the parcels scanned; fewer or more than
-- requested is recorded as scanned, and the answer says so), and its inbound shipment, if
-- booked, goes in transit (p_transit_from: the states that may; carrier 'pickup'); a
-- shipment the seller cancelled meanwhile is 'wrong-state' (cancel the request). The same
-- scan_id and body again answers the stored answer (replayed); with another body, or for
-- another request, 'scan-id-reused'. The fee lines are posted by the caller's statement
-- around this call (FEES_LEDGER_INSERT, guarded by outcome 'ok' and not replayed).
-- A request that collects a JIT consignment dispatches it instead (pickup_collect_consignment:
-- its tasks in p_jit_from go p_jit_to, wms/jit.h's dispatch).
DROP FUNCTION IF EXISTS pickup_collect(warehouse_ref, uuid, uuid, int, text, text[], text,
    text[], text, timestamptz);
CREATE OR REPLACE FUNCTION pickup_collect(p_warehouse warehouse_ref, p_scan_id uuid,
    p_request uuid, p_parcels int, p_request_hash text, p_collect_from text[], p_collected text,
    p_transit_from text[], p_transit text, p_jit_from text[], p_jit_to text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_shipment uuid;
    v_consignment uuid;
    v_moved jsonb;
    v_parcels int;
    v_prior uuid;
    v_prior_hash text;
    v_prior_answer jsonb;
    v_ship_state text;
BEGIN
    replayed := false;
    SELECT r.state, r.shipment_id, r.consignment_id, r.parcels
    INTO v_state, v_shipment, v_consignment, v_parcels
    FROM pickup_requests r WHERE r.warehouse_id = p_warehouse AND r.id = p_request FOR UPDATE;
    IF v_state IS NULL THEN
        outcome := 'not-found'; detail := 'no such pickup request at this hub';
        RETURN;
    END IF;
    SELECT r.id, r.collect_hash, r.collect_answer INTO v_prior, v_prior_hash, v_prior_answer
    FROM pickup_requests r WHERE r.warehouse_id = p_warehouse AND r.collect_scan_id = p_scan_id;
    IF v_prior IS NOT NULL THEN
        IF v_prior = p_request AND v_prior_hash = p_request_hash THEN
            outcome := 'ok'; body := v_prior_answer; replayed := true;
        ELSE
            outcome := 'scan-id-reused';
            detail := format('scan_id %s was used for another pickup scan; a new scan needs a '
                             'new scan_id', p_scan_id);
        END IF;
        RETURN;
    END IF;
    IF NOT v_state = ANY (p_collect_from) THEN
        outcome := 'wrong-state';
        detail := format('pickup request is %s; it is collected once its plan is published',
                         v_state);
        body := jsonb_build_object('state', v_state);
        RETURN;
    END IF;
    IF v_consignment IS NOT NULL THEN
        SELECT c.outcome, c.detail, c.body INTO outcome, detail, v_moved
        FROM pickup_collect_consignment(p_warehouse, v_consignment, p_jit_from, p_jit_to, p_now) c;
        IF outcome <> 'ok' THEN
            body := jsonb_build_object('state', v_state, 'jit_consignment', v_moved);
            RETURN;
        END IF;
        body := jsonb_build_object('scan_id', p_scan_id, 'request', p_request,
            'state', p_collected, 'parcels', p_parcels, 'parcels_requested', v_parcels,
            'jit_consignment', v_moved, 'collected_at', api_ts(p_now));
    ELSE
        SELECT s.state INTO v_ship_state FROM inbound_shipments s
        WHERE s.warehouse_id = p_warehouse AND s.id = v_shipment FOR UPDATE;
        IF v_ship_state = 'cancelled' THEN
            outcome := 'wrong-state';
            detail := 'the inbound shipment of this pickup request is cancelled: cancel the request';
            body := jsonb_build_object('state', v_state, 'inbound_shipment',
                                       jsonb_build_object('id', v_shipment, 'state', v_ship_state));
            RETURN;
        END IF;
        v_ship_state := NULL;
        UPDATE inbound_shipments s SET state = p_transit, in_transit_at = p_now, updated_at = p_now,
               carrier = coalesce(s.carrier, 'pickup')
        WHERE s.warehouse_id = p_warehouse AND s.id = v_shipment AND s.state = ANY (p_transit_from)
        RETURNING s.state INTO v_ship_state;
        IF v_ship_state IS NULL THEN
            SELECT s.state INTO v_ship_state FROM inbound_shipments s
            WHERE s.warehouse_id = p_warehouse AND s.id = v_shipment;
        END IF;
        body := jsonb_build_object('scan_id', p_scan_id, 'request', p_request,
            'state', p_collected, 'parcels', p_parcels, 'parcels_requested', v_parcels,
            'inbound_shipment', jsonb_build_object('id', v_shipment, 'state', v_ship_state),
            'collected_at', api_ts(p_now));
    END IF;
    UPDATE pickup_requests r SET state = p_collected, collected_parcels = p_parcels,
           collected_at = p_now, collect_scan_id = p_scan_id, collect_hash = p_request_hash,
           collect_answer = body, updated_at = p_now
    WHERE r.warehouse_id = p_warehouse AND r.id = p_request AND r.state = ANY (p_collect_from);
    outcome := 'ok';
END $$;

-- The collection of JIT consignment p_id at hub p_warehouse (a pickup request's): the
-- consignment, locked, must be open (the seller has not dispatched it; 'wrong-state'
-- otherwise, body {id, state, dispatched_at}); it is dispatched now and its tasks in p_from go
-- p_to, the transition POST /v1/jit-consignments/{id}/dispatch makes (wms/jit.h dispatch).
-- Outcome 'ok' with body {id, state, tasks: [{id, state}]} (jit_consignment_doc's tasks).
CREATE OR REPLACE FUNCTION pickup_collect_consignment(p_warehouse warehouse_ref, p_id uuid,
    p_from text[], p_to text, p_now timestamptz, OUT outcome text, OUT detail text,
    OUT body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_at timestamptz;
    v_doc jsonb;
BEGIN
    SELECT c.state, c.dispatched_at INTO v_state, v_at FROM jit_consignments c
    WHERE c.warehouse_id = p_warehouse AND c.id = p_id FOR UPDATE;
    IF v_state IS DISTINCT FROM 'open' THEN
        outcome := 'wrong-state';
        detail := format('the JIT consignment of this pickup request was dispatched at %s: '
                         'cancel the request', api_ts(v_at));
        body := jsonb_build_object('id', p_id, 'state', v_state, 'dispatched_at', api_ts(v_at));
        RETURN;
    END IF;
    PERFORM jit_consignment_dispatch(p_warehouse, p_id, p_from, p_to, p_now);
    v_doc := jit_consignment_doc(p_warehouse, p_id);
    outcome := 'ok';
    body := jsonb_build_object('id', p_id, 'state', v_doc -> 'state', 'tasks', v_doc -> 'tasks');
END $$;
