-- inbound_shipment_json.sql — an inbound shipment as every inbound endpoint answers it, and
-- booking one. Both read and write by (warehouse, shipment id): one shard group on Citus,
-- no row-typed arguments (see README, "Writing SQL that distributes").

-- A stored shipment, with its lines (each with the SKU's code and its progress) and its
-- cartons; NULL when there is none. PL/pgSQL, so that a caller that has just written the
-- shipment in the same transaction (inbound_book, inbound_transition) reads it back.
CREATE OR REPLACE FUNCTION inbound_shipment_doc(p_warehouse uuid, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT jsonb_build_object(
        'id', s.id, 'asn', s.asn,
        'warehouse', (SELECT w.code FROM warehouses w WHERE w.id = s.warehouse_id),
        'seller', (SELECT e.code FROM sellers e WHERE e.id = s.seller_id),
        'seller_id', s.seller_id, 'mode', s.mode, 'state', s.state,
        'handover', CASE s.handover
            WHEN 'drop_off' THEN jsonb_build_object('type', 'drop_off',
                                                    'expected_arrival', s.expected_arrival)
            ELSE jsonb_build_object('type', 'pickup', 'address', s.pickup_address,
                                    'ready_from', api_ts(s.pickup_ready_from),
                                    'ready_until', api_ts(s.pickup_ready_until)) END,
        'carrier', s.carrier, 'tracking_number', s.tracking_number,
        'lines', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'line', l.line_no, 'sku', k.sku_code, 'lot', l.lot, 'expiry', l.expiry,
                       'expected', l.expected, 'unexpected', l.unexpected,
                       'received_good', l.received_good, 'received_damaged', l.received_damaged,
                       'received_expired', l.received_expired,
                       'open', greatest(0, l.expected - l.received_good - l.received_damaged
                                           - l.received_expired))
                       ORDER BY l.line_no)
            FROM inbound_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
            WHERE l.warehouse_id = s.warehouse_id AND l.shipment_id = s.id), '[]'::jsonb),
        'cartons', coalesce((
            SELECT jsonb_agg(jsonb_build_object('sscc', c.sscc, 'lines', c.lines) ORDER BY c.sscc)
            FROM (SELECT x.sscc, jsonb_agg(jsonb_build_object('line', x.line_no, 'qty', x.qty)
                                           ORDER BY x.line_no) AS lines
                  FROM inbound_carton_lines x
                  WHERE x.warehouse_id = s.warehouse_id AND x.shipment_id = s.id
                  GROUP BY x.sscc) c), '[]'::jsonb),
        'discrepancy', s.discrepancy,
        'booked_at', api_ts(s.booked_at), 'in_transit_at', api_ts(s.in_transit_at),
        'arrived_at', api_ts(s.arrived_at), 'receiving_at', api_ts(s.receiving_at),
        'closed_at', api_ts(s.closed_at), 'cancelled_at', api_ts(s.cancelled_at),
        'created_at', api_ts(s.created_at), 'updated_at', api_ts(s.updated_at))
    INTO doc
    FROM inbound_shipments s WHERE s.warehouse_id = p_warehouse AND s.id = p_id;
    RETURN doc;
END $$;

-- Books a shipment whose every reference the caller has checked (the warehouse, the
-- seller, each line's SKU, SSCCs not seen in the warehouse): the shipment, its lines
-- (p_lines: [{i (0-based), sku_id, lot, expiry, qty}]), cartons and carton lines
-- (p_cartons: [{sscc, line (1-based), qty}]), all on the warehouse's shard, at p_now.
-- Returns the shipment as inbound_shipment_doc() shows it.
CREATE OR REPLACE FUNCTION inbound_book(p_warehouse uuid, p_seller uuid, p_mode text,
    p_handover text, p_arrival date, p_address jsonb, p_ready_from timestamptz,
    p_ready_until timestamptz, p_lines jsonb, p_cartons jsonb, p_now timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    ship uuid := gen_random_uuid();
BEGIN
    INSERT INTO inbound_shipments (warehouse_id, id, seller_id, mode, handover, expected_arrival,
                                   pickup_address, pickup_ready_from, pickup_ready_until,
                                   booked_at, created_at, updated_at)
    VALUES (p_warehouse, ship, p_seller, p_mode, p_handover, p_arrival, p_address, p_ready_from,
            p_ready_until, p_now, p_now, p_now);
    INSERT INTO inbound_lines (warehouse_id, shipment_id, line_no, seller_id, sku_id, lot,
                               expiry, expected)
    SELECT p_warehouse, ship, l.i + 1, p_seller, l.sku_id, l.lot, l.expiry, l.qty
    FROM jsonb_to_recordset(p_lines) AS l (i int, sku_id uuid, lot text, expiry date, qty int);
    INSERT INTO inbound_cartons (warehouse_id, sscc, shipment_id)
    SELECT DISTINCT p_warehouse, c.sscc, ship
    FROM jsonb_to_recordset(p_cartons) AS c (sscc char(18));
    INSERT INTO inbound_carton_lines (warehouse_id, sscc, shipment_id, line_no, qty)
    SELECT p_warehouse, c.sscc, ship, c.line, c.qty
    FROM jsonb_to_recordset(p_cartons) AS c (sscc char(18), line int, qty int);
    RETURN inbound_shipment_doc(p_warehouse, ship);
END $$;

-- Applies one state change of the inbound state table (wms/inbound.h) to the shipment the
-- caller found (p_warehouse, p_id): the guarded UPDATE with the allowed states and the
-- target, the time of the change from p_now, carrier and tracking number when given.
-- Returns the state before (so that a refused change names it) and the shipment after
-- (NULL when the state did not allow the change; no row when there is no such shipment).
CREATE OR REPLACE FUNCTION inbound_transition(p_warehouse uuid, p_id uuid, p_allowed text[],
    p_target text, p_carrier text, p_tracking text, p_now timestamptz,
    OUT state text, OUT body jsonb)
RETURNS SETOF record LANGUAGE plpgsql AS $$
BEGIN
    SELECT s.state INTO state FROM inbound_shipments s
    WHERE s.warehouse_id = p_warehouse AND s.id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE inbound_shipments s SET state = p_target,
        in_transit_at = CASE WHEN p_target = 'in_transit' THEN p_now ELSE s.in_transit_at END,
        arrived_at = CASE WHEN p_target = 'arrived' THEN p_now ELSE s.arrived_at END,
        cancelled_at = CASE WHEN p_target = 'cancelled' THEN p_now ELSE s.cancelled_at END,
        carrier = coalesce(p_carrier, s.carrier),
        tracking_number = coalesce(p_tracking, s.tracking_number), updated_at = p_now
    WHERE s.warehouse_id = p_warehouse AND s.id = p_id AND s.state = ANY (p_allowed);
    IF FOUND THEN
        body := inbound_shipment_doc(p_warehouse, p_id);
    END IF;
    RETURN NEXT;
END $$;
