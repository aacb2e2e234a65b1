-- receiving_scan.sql — one receiving scan (POST /v1/receiving/scans): the one home of the
-- rule that decides what a scanned item does to an inbound shipment, because the decision
-- must be atomic with the counts it reads. C parses and validates the request, resolves
-- the warehouse, and maps the outcome to HTTP through the problem catalogue.
--
--   p_warehouse   the shipment's warehouse (the staff key's, or resolved first; a NOT NULL
--                 domain: Citus runs the whole function on the worker holding it, see
--                 schema_delegation)
--   p_shipment_id / p_sscc / p_asn   the shipment, by exactly one of them
--   p_scan_id, p_key_id, p_request_hash   the device's scan id, the caller's key, and the
--                 hash of what the scan says (a scan_id reused with another one is refused)
--   p_gtin (14 digits), p_lot (NULL: none scanned), p_expiry (NULL: none scanned),
--   p_qty >= 1, p_condition good|damaged
--   p_confirm_over, p_confirm_unexpected, p_confirm_expired   what the operator confirmed
--   p_allowed, p_target   the receive_scan row of the state table (wms/inbound.h)
--   p_now         the scan's time, read once by the caller
--
-- Outcome 'ok' (body: the answer, stored with the scan; replayed true when it is the
-- stored answer of an earlier scan with this scan_id and the same request), or a problem
-- slug of the catalogue (api/http/problem.h) with a detail and the problem's extra members
-- in body; a refused scan changes nothing and stores nothing.
--
-- Which line a scan counts on:
--   * a scanned lot: the SKU's line with that lot; else the SKU's first line without a lot
--     (it records each scan's lot); else the lot is on no line: 'unexpected-lot' until
--     confirmed, then a new unexpected line of that lot;
--   * no lot: the SKU's lines in order — the first the scan fits in without going over,
--     else the first still open, else the first it fits in within the over-receipt
--     tolerance, else the first (which then needs a confirmed over-receipt); lines not on
--     the ASN come last;
--   * a SKU on no line: 'unexpected-item' until confirmed, then a new unexpected line.
-- A unit whose expiry (the scan's, else the line's) is before the warehouse's local today,
-- or within the SKU's minimum remaining shelf life, is 'expired-item' until confirmed, and
-- then received into quarantine; a damaged unit is received into quarantine.
--
-- Statements on the common path: one read (shipment, stored scan, SKU, warehouse, the
-- SKU's lines), one write (the line's guarded UPDATE, the receipt, the shipment's guarded
-- UPDATE, as one data-modifying WITH: lock order line, then shipment), the scan's INSERT
-- with the shipment's progress summed after the locks. A guard that fails on the line is
-- 'over-receipt' with nothing changed; a shipment that left the allowed states since the
-- read raises serialization_failure, and a twin that stored the scan_id after the read makes
-- the INSERT find it (ON CONFLICT, not a constraint name: see README, "Writing SQL that
-- distributes") and raise WS001; either way nothing is kept and the caller runs the scan
-- once more, which then answers from what it finds (the twin's stored answer).
DROP FUNCTION IF EXISTS receiving_scan(uuid, uuid, text, text, uuid, uuid, text, text, text, date,
    int, text, boolean, boolean, boolean, text[], text, timestamptz);
CREATE OR REPLACE FUNCTION receiving_scan(p_warehouse warehouse_ref, p_shipment_id uuid, p_sscc text,
    p_asn text, p_scan_id uuid, p_key_id uuid, p_request_hash text, p_gtin text, p_lot text,
    p_expiry date, p_qty int, p_condition text, p_confirm_over boolean,
    p_confirm_unexpected boolean, p_confirm_expired boolean, p_allowed text[], p_target text,
    p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    ship uuid;           -- the shipment
    ship_asn text;
    ship_state text;
    ship_seller uuid;
    prior_kind text;     -- a stored scan with this scan_id
    sku uuid;            -- the GTIN's SKU of the shipment's seller
    sku_json jsonb;
    shelf_days int;
    tol int;
    today date;          -- the warehouse's local date
    lines jsonb;         -- the SKU's lines on the shipment, in line order
    l jsonb;             -- the chosen line (NULL: a new unexpected line)
    rcv_lot text;        -- the receipt's lot and expiry
    rcv_expiry date;
    rcv_status text;
    good int := 0;
    damaged int := 0;
    expired int := 0;
    line_after jsonb;
    is_over boolean;
    new_line int;
    progress jsonb;
BEGIN
    replayed := false;
    IF p_shipment_id IS NOT NULL THEN
        SELECT s.id, s.asn, s.state, s.seller_id INTO ship, ship_asn, ship_state, ship_seller
        FROM inbound_shipments s WHERE s.warehouse_id = p_warehouse AND s.id = p_shipment_id;
    ELSIF p_sscc IS NOT NULL THEN
        SELECT s.id, s.asn, s.state, s.seller_id INTO ship, ship_asn, ship_state, ship_seller
        FROM inbound_cartons c
        JOIN inbound_shipments s ON s.warehouse_id = c.warehouse_id AND s.id = c.shipment_id
        WHERE c.warehouse_id = p_warehouse AND c.sscc = p_sscc::bpchar;
    ELSE
        SELECT s.id, s.asn, s.state, s.seller_id INTO ship, ship_asn, ship_state, ship_seller
        FROM inbound_shipments s WHERE s.warehouse_id = p_warehouse AND s.asn = p_asn;
    END IF;
    IF ship IS NULL THEN
        outcome := 'not-found'; detail := 'no such inbound shipment';
        RETURN;
    END IF;
    SELECT p.kind, k.id,
           CASE WHEN k.id IS NOT NULL THEN jsonb_build_object('id', k.id, 'sku_code', k.sku_code,
                'gtin', k.gtin, 'name', k.name) END,
           k.min_shelf_life_days, w.over_receipt_tolerance_bp, (p_now AT TIME ZONE w.time_zone)::date,
           (SELECT jsonb_agg(jsonb_build_object('line', i.line_no, 'lot', i.lot, 'expiry', i.expiry,
                    'expected', i.expected, 'unexpected', i.unexpected,
                    'received', i.received_good + i.received_damaged + i.received_expired)
                    ORDER BY i.unexpected, i.line_no)
            FROM inbound_lines i
            WHERE i.warehouse_id = p_warehouse AND i.shipment_id = ship AND i.sku_id = k.id)
    INTO prior_kind, sku, sku_json, shelf_days, tol, today, lines
    FROM warehouses w
    LEFT JOIN skus k ON k.seller_id = ship_seller AND k.gtin = p_gtin::bpchar
    LEFT JOIN scans p ON p.warehouse_id = p_warehouse AND p.scan_id = p_scan_id
    WHERE w.id = p_warehouse;

    IF prior_kind IS NOT NULL THEN -- found by the read above; scan_prior decides
        SELECT * INTO outcome, detail, body, replayed
        FROM scan_prior(p_warehouse, p_scan_id, 'receiving', p_request_hash);
        RETURN;
    END IF;
    IF NOT ship_state = ANY (p_allowed) THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', ship_state, 'asn', ship_asn);
        RETURN;
    END IF;
    IF sku IS NULL THEN
        outcome := 'unknown-gtin';
        detail := format('GTIN %s is not a SKU of the shipment''s seller', p_gtin);
        RETURN;
    END IF;

    -- the line
    IF p_lot IS NOT NULL THEN
        SELECT x INTO l FROM jsonb_array_elements(lines) x
        WHERE x->>'lot' = p_lot OR x->>'lot' IS NULL
        ORDER BY x->>'lot' IS NULL LIMIT 1;
    ELSE
        SELECT x INTO l FROM jsonb_array_elements(lines) WITH ORDINALITY AS t (x, n)
        ORDER BY CASE
            WHEN (x->>'unexpected')::boolean THEN 4
            WHEN (x->>'received')::int + p_qty <= (x->>'expected')::int THEN 0
            WHEN (x->>'received')::int < (x->>'expected')::int THEN 1
            WHEN (x->>'received')::int + p_qty
                 <= receiving_allowed_max((x->>'expected')::int, tol) THEN 2
            ELSE 3 END, n
        LIMIT 1;
    END IF;
    IF l IS NULL AND NOT p_confirm_unexpected THEN
        IF lines IS NULL THEN
            outcome := 'unexpected-item';
            detail := format('%s is not on this shipment; resend with confirm_unexpected to '
                             'receive it as an unexpected line', sku_json->>'sku_code');
            body := jsonb_build_object('next', 'confirm_unexpected_item');
        ELSE
            outcome := 'unexpected-lot';
            detail := format('lot %s of %s is on no line of this shipment (lots: %s); resend '
                             'with confirm_unexpected to receive it as an unexpected line',
                             p_lot, sku_json->>'sku_code',
                             (SELECT string_agg(coalesce(x->>'lot', '(none)'), ', ')
                              FROM jsonb_array_elements(lines) x));
            body := jsonb_build_object('next', 'confirm_unexpected_lot', 'lot', p_lot);
        END IF;
    END IF;

    -- the receipt: lot, expiry, status
    rcv_lot := coalesce(l->>'lot', p_lot, '');
    rcv_expiry := coalesce(p_expiry, (l->>'expiry')::date);
    IF outcome IS NULL AND rcv_expiry IS NOT NULL
       AND (rcv_expiry < today OR rcv_expiry < today + coalesce(shelf_days, 0))
       AND NOT p_confirm_expired THEN
        outcome := 'expired-item';
        detail := format('%s expires %s: %s; resend with confirm_expired to receive it into '
                         'quarantine', sku_json->>'sku_code', rcv_expiry,
                         CASE WHEN rcv_expiry < today THEN 'that is before today (' || today || ')'
                              ELSE format('less than its minimum remaining shelf life of %s days',
                                          shelf_days) END);
        body := jsonb_build_object('next', 'confirm_expired', 'expiry', rcv_expiry);
    END IF;
    IF outcome IS NULL AND l IS NOT NULL AND NOT (l->>'unexpected')::boolean AND NOT p_confirm_over
       AND (l->>'received')::int + p_qty > receiving_allowed_max((l->>'expected')::int, tol) THEN
        outcome := 'over-receipt';
        detail := format('%s more would make %s received on line %s, which expects %s (at most '
                         '%s without confirmation); resend with confirm_over', p_qty,
                         (l->>'received')::int + p_qty, l->>'line', l->>'expected',
                         receiving_allowed_max((l->>'expected')::int, tol));
        body := jsonb_build_object('next', 'confirm_over_receipt',
                                   'allowed_max', receiving_allowed_max((l->>'expected')::int, tol));
    END IF;
    IF outcome IS NOT NULL THEN -- refused: the answer shows the product and the progress
        SELECT body || jsonb_build_object('sku', sku_json,
                   'line', (SELECT receiving_line_json(i.line_no, i.lot, i.expiry, i.expected,
                                i.unexpected, i.received_good, i.received_damaged, i.received_expired)
                            FROM inbound_lines i WHERE i.warehouse_id = p_warehouse
                              AND i.shipment_id = ship AND i.line_no = (l->>'line')::int),
                   'shipment_progress', jsonb_build_object('expected', sum(i.expected),
                       'received', sum(i.received_good + i.received_damaged + i.received_expired)))
        INTO body FROM inbound_lines i WHERE i.warehouse_id = p_warehouse AND i.shipment_id = ship;
        RETURN;
    END IF;

    IF rcv_expiry IS NOT NULL AND (rcv_expiry < today OR rcv_expiry < today + coalesce(shelf_days, 0)) THEN
        expired := p_qty;
        rcv_status := 'quarantine';
    ELSIF p_condition = 'damaged' THEN
        damaged := p_qty;
        rcv_status := 'quarantine';
    ELSE
        good := p_qty;
        rcv_status := 'sellable';
    END IF;

    IF l IS NOT NULL THEN
        WITH ul AS (
            UPDATE inbound_lines i
            SET received_good = i.received_good + good,
                received_damaged = i.received_damaged + damaged,
                received_expired = i.received_expired + expired
            WHERE i.warehouse_id = p_warehouse AND i.shipment_id = ship
              AND i.line_no = (l->>'line')::int
              AND (i.expected = 0 OR p_confirm_over
                   OR i.received_good + i.received_damaged + i.received_expired + p_qty
                      <= receiving_allowed_max(i.expected, tol))
            RETURNING receiving_line_json(i.line_no, i.lot, i.expiry, i.expected, i.unexpected,
                          i.received_good, i.received_damaged, i.received_expired) AS line,
                      i.expected > 0 AND i.received_good + i.received_damaged + i.received_expired
                                         > i.expected AS is_over),
        ur AS (
            INSERT INTO inbound_receipts AS r (warehouse_id, shipment_id, line_no, lot, expiry,
                                               status, qty)
            SELECT p_warehouse, ship, (l->>'line')::int, rcv_lot,
                   coalesce(rcv_expiry, 'infinity'), rcv_status, p_qty
            FROM ul
            ON CONFLICT (warehouse_id, shipment_id, line_no, lot, expiry, status)
            DO UPDATE SET qty = r.qty + EXCLUDED.qty
            RETURNING 1),
        us AS (
            UPDATE inbound_shipments s
            SET state = p_target, version = s.version + 1,
                receiving_at = coalesce(s.receiving_at, p_now), updated_at = p_now
            WHERE s.warehouse_id = p_warehouse AND s.id = ship AND s.state = ANY (p_allowed)
              AND EXISTS (SELECT FROM ur)
            RETURNING s.state)
        SELECT ul.line, ul.is_over, us.state INTO line_after, is_over, ship_state
        FROM ul LEFT JOIN us ON true;
        IF NOT FOUND THEN -- a concurrent scan filled the line since the read
            outcome := 'over-receipt';
            detail := format('line %s is full since this scan was read; resend with confirm_over',
                             l->>'line');
            body := jsonb_build_object('next', 'confirm_over_receipt', 'sku', sku_json);
            RETURN;
        END IF;
        IF ship_state IS NULL THEN
            RAISE EXCEPTION 'the shipment changed state during the scan; retry'
                USING ERRCODE = 'serialization_failure';
        END IF;
    ELSE
        UPDATE inbound_shipments s
        SET state = p_target, version = s.version + 1,
            receiving_at = coalesce(s.receiving_at, p_now), updated_at = p_now
        WHERE s.warehouse_id = p_warehouse AND s.id = ship AND s.state = ANY (p_allowed)
        RETURNING s.state INTO ship_state;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the shipment changed state during the scan; retry'
                USING ERRCODE = 'serialization_failure';
        END IF;
        -- the shipment is locked: line numbers are given out one at a time
        SELECT coalesce(max(m.line_no), 0) + 1 INTO new_line FROM inbound_lines m
        WHERE m.warehouse_id = p_warehouse AND m.shipment_id = ship;
        INSERT INTO inbound_lines AS i (warehouse_id, shipment_id, line_no, seller_id, sku_id, lot,
                                        expiry, expected, unexpected, received_good,
                                        received_damaged, received_expired)
        VALUES (p_warehouse, ship, new_line, ship_seller, sku, p_lot, p_expiry, 0, true, good,
                damaged, expired)
        RETURNING receiving_line_json(i.line_no, i.lot, i.expiry, i.expected, i.unexpected,
                      i.received_good, i.received_damaged, i.received_expired), false
        INTO line_after, is_over;
        INSERT INTO inbound_receipts (warehouse_id, shipment_id, line_no, lot, expiry, status, qty)
        VALUES (p_warehouse, ship, new_line, rcv_lot, coalesce(rcv_expiry, 'infinity'), rcv_status,
                p_qty);
    END IF;

    INSERT INTO scans (warehouse_id, scan_id, kind, shipment_id, key_id, request_hash, response,
                       created_at)
    SELECT p_warehouse, p_scan_id, 'receiving', ship, p_key_id, p_request_hash,
        jsonb_build_object('scan_id', p_scan_id,
            'shipment', jsonb_build_object('id', ship, 'asn', ship_asn, 'state', ship_state),
            'sku', sku_json, 'qty', p_qty, 'condition', p_condition, 'status', rcv_status,
            'lot', nullif(rcv_lot, ''), 'expiry', rcv_expiry,
            'line', line_after, 'over_receipt', is_over,
            'shipment_progress', jsonb_build_object('expected', t.expected,
                                                    'received', t.received),
            'next', CASE WHEN t.expected > 0 AND t.received >= t.expected
                         THEN 'close' ELSE 'item' END,
            'scanned_at', api_ts(p_now)),
        p_now
    FROM (SELECT sum(i.expected) AS expected,
                 sum(i.received_good + i.received_damaged + i.received_expired) AS received
          FROM inbound_lines i WHERE i.warehouse_id = p_warehouse AND i.shipment_id = ship) t
    ON CONFLICT (warehouse_id, scan_id) DO NOTHING
    RETURNING response INTO body;
    IF NOT FOUND THEN -- a twin committed this scan_id after the read: undo, the caller reruns
        RAISE EXCEPTION 'scan % was stored by a twin', p_scan_id USING ERRCODE = 'WS001';
    END IF;
    outcome := 'ok';
END $$;
