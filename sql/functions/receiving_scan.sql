-- receiving_scan.sql — one receiving scan (POST /v1/receiving/scans).

CREATE OR REPLACE FUNCTION receiving_scan(p_scope uuid, p_shipment_id uuid, p_sscc text,
    p_asn text, p_scan_id uuid, p_key_id uuid, p_gtin text, p_lot text, p_qty int,
    p_condition text, p_confirm boolean, p_allowed text[], p_target text,
    OUT status int, OUT problem text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    good int := CASE WHEN p_condition = 'good' THEN p_qty ELSE 0 END;
    damaged int := CASE WHEN p_condition = 'damaged' THEN p_qty ELSE 0 END;
    wh uuid;             -- the shipment
    ship uuid;
    ship_asn text;
    ship_state text;
    ship_seller uuid;
    prior_kind text;     -- a stored scan with this scan_id
    sku uuid;            -- the GTIN's SKU
    sku_code text;
    sku_gtin skus.gtin%TYPE;
    line_nr int;         -- the line the scan applies to (NULL: none yet)
    tol int;
    line jsonb;          -- the line after the scan, as the answer shows it
    is_over boolean;     -- the line has received more than it expects
    before inbound_lines;
BEGIN
    replayed := false;
    IF p_shipment_id IS NOT NULL THEN
        SELECT s.warehouse_id, s.id, s.asn, s.state, s.seller_id
        INTO wh, ship, ship_asn, ship_state, ship_seller FROM inbound_shipments s
        WHERE s.id = p_shipment_id AND (p_scope IS NULL OR s.warehouse_id = p_scope) LIMIT 1;
    ELSIF p_sscc IS NOT NULL THEN
        SELECT s.warehouse_id, s.id, s.asn, s.state, s.seller_id
        INTO wh, ship, ship_asn, ship_state, ship_seller FROM inbound_cartons c
        JOIN inbound_shipments s ON s.warehouse_id = c.warehouse_id AND s.id = c.shipment_id
        WHERE c.sscc = p_sscc::bpchar AND (p_scope IS NULL OR c.warehouse_id = p_scope)
        ORDER BY s.created_at DESC LIMIT 1;
    ELSE
        SELECT s.warehouse_id, s.id, s.asn, s.state, s.seller_id
        INTO wh, ship, ship_asn, ship_state, ship_seller FROM inbound_shipments s
        WHERE s.asn = p_asn AND (p_scope IS NULL OR s.warehouse_id = p_scope)
        ORDER BY s.created_at DESC LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        status := 404; problem := 'not-found'; detail := 'no such inbound shipment';
        RETURN;
    END IF;
    SELECT (SELECT p.kind FROM scans p WHERE p.warehouse_id = wh AND p.scan_id = p_scan_id),
           k.id, k.sku_code, k.gtin,
           (SELECT l.line_no FROM inbound_lines l
            WHERE l.warehouse_id = wh AND l.shipment_id = ship AND l.sku_id = k.id
            ORDER BY (l.lot IS NOT DISTINCT FROM p_lot) DESC, l.line_no LIMIT 1),
           w.over_receipt_tolerance_bp
    INTO prior_kind, sku, sku_code, sku_gtin, line_nr, tol
    FROM warehouses w LEFT JOIN skus k ON k.seller_id = ship_seller AND k.gtin = p_gtin::bpchar
    WHERE w.id = wh;

    IF prior_kind IS NOT NULL THEN
        SELECT * INTO status, problem, detail, body, replayed
        FROM scan_prior(wh, p_scan_id, 'receiving');
        IF FOUND THEN
            RETURN;
        END IF;
        replayed := false;
    END IF;

    IF NOT ship_state = ANY (p_allowed) THEN
        status := 409; problem := 'wrong-state';
        body := jsonb_build_object('state', ship_state, 'asn', ship_asn);
        RETURN;
    END IF;

    IF sku IS NULL THEN
        status := 422; problem := 'unknown-gtin';
        detail := format('GTIN %s is not a SKU of the shipment''s seller', p_gtin);
        RETURN;
    END IF;

    IF line_nr IS NOT NULL THEN
        WITH ul AS (
            UPDATE inbound_lines l
            SET received_good = l.received_good + good,
                received_damaged = l.received_damaged + damaged
            WHERE l.warehouse_id = wh AND l.shipment_id = ship AND l.line_no = line_nr
              AND (l.expected = 0 OR p_confirm
                   OR l.received_good + l.received_damaged + p_qty
                      <= receiving_allowed_max(l.expected, tol))
            RETURNING receiving_line_json(l) AS line,
                      l.expected > 0 AND l.received_good + l.received_damaged > l.expected AS is_over),
        us AS (
            UPDATE inbound_shipments s
            SET state = p_target, version = s.version + 1,
                receiving_at = coalesce(s.receiving_at, clock_timestamp()),
                updated_at = clock_timestamp()
            WHERE s.warehouse_id = wh AND s.id = ship AND s.state = ANY (p_allowed)
              AND EXISTS (SELECT FROM ul)
            RETURNING s.state)
        SELECT ul.line, ul.is_over, us.state INTO line, is_over, ship_state
        FROM ul LEFT JOIN us ON true;
        IF NOT FOUND THEN
            SELECT l.* INTO before FROM inbound_lines l
            WHERE l.warehouse_id = wh AND l.shipment_id = ship
              AND l.line_no = line_nr;
            status := 409; problem := 'over-receipt';
            detail := format('%s more would make %s received on line %s, which expects %s '
                             '(at most %s without confirmation); resend with confirm_over',
                             p_qty, before.received_good + before.received_damaged + p_qty,
                             before.line_no, before.expected,
                             receiving_allowed_max(before.expected, tol));
            body := jsonb_build_object('next', 'confirm_over_receipt',
                'sku', jsonb_build_object('id', sku, 'sku_code', sku_code, 'gtin', sku_gtin),
                'line', receiving_line_json(before),
                'allowed_max', receiving_allowed_max(before.expected, tol));
            RETURN;
        END IF;
        IF ship_state IS NULL THEN
            RAISE EXCEPTION 'the shipment changed state during the scan; retry'
                USING ERRCODE = 'serialization_failure';
        END IF;
    ELSE
        UPDATE inbound_shipments s
        SET state = p_target, version = s.version + 1,
            receiving_at = coalesce(s.receiving_at, clock_timestamp()),
            updated_at = clock_timestamp()
        WHERE s.warehouse_id = wh AND s.id = ship AND s.state = ANY (p_allowed)
        RETURNING s.state INTO ship_state;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the shipment changed state during the scan; retry'
                USING ERRCODE = 'serialization_failure';
        END IF;
        INSERT INTO inbound_lines AS l (warehouse_id, shipment_id, line_no, seller_id, sku_id, lot,
                                        expected, unexpected, received_good, received_damaged)
        VALUES (wh, ship,
                (SELECT coalesce(max(m.line_no), 0) + 1 FROM inbound_lines m
                 WHERE m.warehouse_id = wh AND m.shipment_id = ship),
                ship_seller, sku, p_lot, 0, true, good, damaged)
        ON CONFLICT ON CONSTRAINT inbound_lines_sku_lot DO UPDATE
        SET received_good = l.received_good + EXCLUDED.received_good,
            received_damaged = l.received_damaged + EXCLUDED.received_damaged
        RETURNING receiving_line_json(l),
                  l.expected > 0 AND l.received_good + l.received_damaged > l.expected
        INTO line, is_over;
    END IF;

    INSERT INTO scans (warehouse_id, scan_id, kind, shipment_id, key_id, response)
    SELECT wh, p_scan_id, 'receiving', ship, p_key_id,
        jsonb_build_object('scan_id', p_scan_id,
            'shipment', jsonb_build_object('id', ship, 'asn', ship_asn, 'state', ship_state),
            'sku', jsonb_build_object('id', sku, 'sku_code', sku_code, 'gtin', sku_gtin),
            'qty', p_qty, 'condition', p_condition,
            'line', line,
            'over_receipt', is_over,
            'shipment_progress', jsonb_build_object('expected', t.expected,
                                                    'received', t.received),
            'next', CASE WHEN t.expected > 0 AND t.received >= t.expected
                         THEN 'close' ELSE 'item' END,
            'scanned_at', clock_timestamp())
    FROM (SELECT sum(l.expected) AS expected, sum(l.received_good + l.received_damaged) AS received
          FROM inbound_lines l WHERE l.warehouse_id = wh AND l.shipment_id = ship) t
    RETURNING response INTO body;
    status := 200;
END $$;
