-- inbound_shipment_json.sql — the JSON shape of an inbound shipment, shared by every inbound
-- endpoint.

-- The lines of one shipment as a JSON array ordered by line number, each
-- with the SKU's code.
CREATE OR REPLACE FUNCTION inbound_lines_json(ls inbound_lines[]) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'line', l.line_no, 'sku', k.sku_code, 'lot', l.lot, 'expiry', l.expiry,
               'expected', l.expected, 'unexpected', l.unexpected,
               'received_good', l.received_good, 'received_damaged', l.received_damaged,
               'received_expired', l.received_expired,
               'open', greatest(0, l.expected - l.received_good - l.received_damaged
                                   - l.received_expired))
               ORDER BY l.line_no), '[]'::jsonb)
    FROM unnest(ls) AS l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
$$;

-- The cartons of one shipment from its carton lines: [{sscc, lines: [{line,
-- qty}]}] ordered by SSCC.
CREATE OR REPLACE FUNCTION inbound_cartons_json(cls inbound_carton_lines[]) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('sscc', c.sscc, 'lines', c.lines) ORDER BY c.sscc),
                    '[]'::jsonb)
    FROM (SELECT x.sscc, jsonb_agg(jsonb_build_object('line', x.line_no, 'qty', x.qty)
                                   ORDER BY x.line_no) AS lines
          FROM unnest(cls) AS x GROUP BY x.sscc) c
$$;

-- A shipment with the given lines and carton lines. The rows are arguments
-- so that the create statement can answer from the rows it has just inserted
-- (which its own snapshot cannot read back); every other statement uses
-- inbound_shipment_doc().
CREATE OR REPLACE FUNCTION inbound_shipment_json(s inbound_shipments, ls inbound_lines[],
                                      cls inbound_carton_lines[]) RETURNS jsonb
LANGUAGE sql STABLE AS $$
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
        'lines', inbound_lines_json(ls), 'cartons', inbound_cartons_json(cls),
        'discrepancy', s.discrepancy,
        'booked_at', api_ts(s.booked_at), 'in_transit_at', api_ts(s.in_transit_at), 'arrived_at', api_ts(s.arrived_at),
        'receiving_at', api_ts(s.receiving_at), 'closed_at', api_ts(s.closed_at), 'cancelled_at', api_ts(s.cancelled_at),
        'created_at', api_ts(s.created_at), 'updated_at', api_ts(s.updated_at))
$$;

-- A stored shipment, with its lines and cartons read from their tables.
CREATE OR REPLACE FUNCTION inbound_shipment_doc(s inbound_shipments) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT inbound_shipment_json(s,
        ARRAY(SELECT l FROM inbound_lines l
              WHERE l.warehouse_id = s.warehouse_id AND l.shipment_id = s.id),
        ARRAY(SELECT c FROM inbound_carton_lines c
              WHERE c.warehouse_id = s.warehouse_id AND c.shipment_id = s.id))
$$;
