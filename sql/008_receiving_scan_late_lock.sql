-- 008_receiving_scan_late_lock.sql — receiving_scan() (005) with its locks taken
-- as late as possible. Scans of one shipment serialize on its row (every
-- accepted scan bumps the version that close checks) and scans of one SKU on
-- its line, so the time between the first lock and the commit bounds the
-- scan rate of a shipment. 005 locked the shipment first and then read; now
-- every read comes first, without locks, and only four short statements run
-- under them (the line's guarded UPDATE, the shipment's guarded UPDATE, the
-- progress sum, the scan's INSERT). Answers are unchanged.
--
-- Order: resolve the shipment; replay a known scan_id; check the state; map
-- the GTIN; find the line. Then, locked: apply the scan to the line with the
-- over-receipt guard in the UPDATE's WHERE (a concurrent scan of the line is
-- waited for and the guard re-evaluated on its result: zero rows is a 409
-- with nothing changed); bump the shipment's version and move it to
-- receiving, guarded by the state (a close that committed since the read
-- makes this find no row: the scan raises serialization_failure, nothing is
-- kept, and the caller retries it once, which then answers 409 from the
-- read); store the answer with the scan. A twin with the same scan_id that
-- committed after the replay check makes that INSERT fail with a unique
-- violation of scans_pkey: nothing is kept, and the caller reads the stored
-- answer. A SKU not on the ASN takes the shipment lock first and then adds
-- its unexpected line, so line numbers are given out one at a time.
-- Lock order: line, then shipment (a new line: shipment, then the line).
CREATE OR REPLACE FUNCTION receiving_scan(p_scope uuid, p_shipment_id uuid, p_sscc text,
    p_asn text, p_scan_id uuid, p_key_id uuid, p_gtin text, p_lot text, p_qty int,
    p_condition text, p_confirm boolean, p_allowed text[], p_target text,
    OUT status int, OUT problem text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    sh inbound_shipments;
    k skus;
    before inbound_lines;
    after inbound_lines;
    tol int;
    good int := CASE WHEN p_condition = 'good' THEN p_qty ELSE 0 END;
    damaged int := CASE WHEN p_condition = 'damaged' THEN p_qty ELSE 0 END;
    tot_expected bigint;
    tot_received bigint;
BEGIN
    replayed := false;
    IF p_shipment_id IS NOT NULL THEN
        SELECT s.* INTO sh FROM inbound_shipments s
        WHERE s.id = p_shipment_id AND (p_scope IS NULL OR s.warehouse_id = p_scope) LIMIT 1;
    ELSIF p_sscc IS NOT NULL THEN
        SELECT s.* INTO sh FROM inbound_cartons c
        JOIN inbound_shipments s ON s.warehouse_id = c.warehouse_id AND s.id = c.shipment_id
        WHERE c.sscc = p_sscc::bpchar AND (p_scope IS NULL OR c.warehouse_id = p_scope)
        ORDER BY s.created_at DESC LIMIT 1;
    ELSE
        SELECT s.* INTO sh FROM inbound_shipments s
        WHERE s.asn = p_asn AND (p_scope IS NULL OR s.warehouse_id = p_scope)
        ORDER BY s.created_at DESC LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        status := 404; problem := 'not-found'; detail := 'no such inbound shipment';
        RETURN;
    END IF;

    SELECT * INTO status, problem, detail, body, replayed
    FROM scan_prior(sh.warehouse_id, p_scan_id, 'receiving');
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;

    IF NOT sh.state = ANY (p_allowed) THEN
        status := 409; problem := 'wrong-state';
        body := jsonb_build_object('state', sh.state, 'asn', sh.asn);
        RETURN;
    END IF;

    SELECT * INTO k FROM skus WHERE seller_id = sh.seller_id AND gtin = p_gtin::bpchar;
    IF NOT FOUND THEN
        status := 422; problem := 'unknown-gtin';
        detail := format('GTIN %s is not a SKU of the shipment''s seller', p_gtin);
        RETURN;
    END IF;

    SELECT l.* INTO before FROM inbound_lines l
    WHERE l.warehouse_id = sh.warehouse_id AND l.shipment_id = sh.id AND l.sku_id = k.id
    ORDER BY (l.lot IS NOT DISTINCT FROM p_lot) DESC, l.line_no LIMIT 1;
    IF FOUND THEN
        SELECT w.over_receipt_tolerance_bp INTO tol FROM warehouses w WHERE w.id = sh.warehouse_id;
        UPDATE inbound_lines l
        SET received_good = l.received_good + good, received_damaged = l.received_damaged + damaged
        WHERE l.warehouse_id = before.warehouse_id AND l.shipment_id = before.shipment_id
          AND l.line_no = before.line_no
          AND (l.expected = 0 OR p_confirm
               OR l.received_good + l.received_damaged + p_qty
                  <= receiving_allowed_max(l.expected, tol))
        RETURNING l.* INTO after;
        IF NOT FOUND THEN
            SELECT l.* INTO before FROM inbound_lines l
            WHERE l.warehouse_id = before.warehouse_id AND l.shipment_id = before.shipment_id
              AND l.line_no = before.line_no;
            status := 409; problem := 'over-receipt';
            detail := format('%s more would make %s received on line %s, which expects %s '
                             '(at most %s without confirmation); resend with confirm_over',
                             p_qty, before.received_good + before.received_damaged + p_qty,
                             before.line_no, before.expected,
                             receiving_allowed_max(before.expected, tol));
            body := jsonb_build_object('next', 'confirm_over_receipt',
                'sku', jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin),
                'line', receiving_line_json(before),
                'allowed_max', receiving_allowed_max(before.expected, tol));
            RETURN;
        END IF;
    END IF;

    UPDATE inbound_shipments s
    SET state = p_target, version = s.version + 1,
        receiving_at = coalesce(s.receiving_at, clock_timestamp()), updated_at = clock_timestamp()
    WHERE s.warehouse_id = sh.warehouse_id AND s.id = sh.id AND s.state = ANY (p_allowed)
    RETURNING s.* INTO sh;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the shipment changed state during the scan; retry'
            USING ERRCODE = 'serialization_failure';
    END IF;

    IF after IS NULL THEN
        INSERT INTO inbound_lines (warehouse_id, shipment_id, line_no, seller_id, sku_id, lot,
                                   expected, unexpected, received_good, received_damaged)
        VALUES (sh.warehouse_id, sh.id,
                (SELECT coalesce(max(l.line_no), 0) + 1 FROM inbound_lines l
                 WHERE l.warehouse_id = sh.warehouse_id AND l.shipment_id = sh.id),
                sh.seller_id, k.id, p_lot, 0, true, good, damaged)
        ON CONFLICT ON CONSTRAINT inbound_lines_sku_lot DO UPDATE
        SET received_good = inbound_lines.received_good + EXCLUDED.received_good,
            received_damaged = inbound_lines.received_damaged + EXCLUDED.received_damaged
        RETURNING * INTO after;
    END IF;

    SELECT sum(l.expected), sum(l.received_good + l.received_damaged)
    INTO tot_expected, tot_received
    FROM inbound_lines l WHERE l.warehouse_id = sh.warehouse_id AND l.shipment_id = sh.id;

    body := jsonb_build_object('scan_id', p_scan_id,
        'shipment', jsonb_build_object('id', sh.id, 'asn', sh.asn, 'state', sh.state),
        'sku', jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin),
        'qty', p_qty, 'condition', p_condition,
        'line', receiving_line_json(after),
        'over_receipt', after.expected > 0
                        AND after.received_good + after.received_damaged > after.expected,
        'shipment_progress', jsonb_build_object('expected', tot_expected, 'received', tot_received),
        'next', CASE WHEN tot_expected > 0 AND tot_received >= tot_expected
                     THEN 'close' ELSE 'item' END,
        'scanned_at', clock_timestamp());
    INSERT INTO scans (warehouse_id, scan_id, kind, shipment_id, key_id, response)
    VALUES (sh.warehouse_id, p_scan_id, 'receiving', sh.id, p_key_id, body);
    status := 200;
END $$;
