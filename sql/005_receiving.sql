-- 005_receiving.sql — the staff side of inbound: receiving and putaway scans
-- as one SQL function each (exactly once by scan_id, the over-receipt guard
-- atomic with the count it guards), the rule they share with
-- wms/receiving.c, and indexes for the inventory reads.
--
-- Both scan functions answer (status, problem, detail, body, replayed):
-- status 200 with body the scan's answer (replayed when it is the stored
-- answer of an earlier scan with this scan_id), or an error status with a
-- problem slug, a detail and body holding the problem's extra members. An
-- error changes nothing and stores nothing, so the device may resend the
-- same scan_id (e.g. confirmed). The functions are VOLATILE plpgsql: each
-- statement inside sees what committed before it started, which is what
-- makes the re-check of scans after taking a lock see a concurrent twin.

-- The most units a line expecting `expected` may receive without a
-- confirmed over-receipt, with tolerance bp basis points:
--   expected + floor(expected * bp / 10000)
-- THE SAME FORMULA as allowed_max() in wms/receiving.c (split the same way so
-- the floor is exact); the receiving_flow suite compares the two on a grid of
-- values. Inputs are bounded by the schema (expected <= 100000, bp <=
-- 100000), so the C version's saturation at INT64_MAX never applies here.
CREATE FUNCTION receiving_allowed_max(expected bigint, bp int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT expected + (expected / 10000) * bp + (expected % 10000) * bp / 10000
$$;

-- A line's progress as the scan answers show it.
CREATE FUNCTION receiving_line_json(l inbound_lines) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('line', l.line_no, 'lot', l.lot, 'expected', l.expected,
        'unexpected', l.unexpected, 'received_good', l.received_good,
        'received_damaged', l.received_damaged)
$$;

-- The stored answer of an earlier scan with this id in this warehouse, as the
-- scan functions return it; no row when there is none. A scan_id used by the
-- other kind of scan is a 409 (a device bug, never a retry).
CREATE FUNCTION scan_prior(p_warehouse uuid, p_scan_id uuid, p_kind text,
    OUT status int, OUT problem text, OUT detail text, OUT body jsonb, OUT replayed boolean)
RETURNS SETOF record LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN s.kind = p_kind THEN 200 ELSE 409 END,
           CASE WHEN s.kind = p_kind THEN NULL ELSE 'scan-id-reused' END,
           CASE WHEN s.kind = p_kind THEN NULL
                ELSE format('scan_id %s was already used by a %s scan', p_scan_id, s.kind) END,
           CASE WHEN s.kind = p_kind THEN s.response END,
           s.kind = p_kind
    FROM scans s WHERE s.warehouse_id = p_warehouse AND s.scan_id = p_scan_id
$$;

-- One receiving scan (POST /v1/receiving/scans).
--   p_scope       the staff key's warehouse (NULL for admin)
--   p_shipment_id / p_sscc / p_asn   the shipment, by exactly one of them
--   p_scan_id, p_key_id              the device's scan id, the caller's key
--   p_gtin (14 digits), p_lot (NULL = none), p_qty >= 1, p_condition good|damaged
--   p_confirm     the operator confirmed an over-receipt
--   p_allowed, p_target  the receive_scan row of the state table (wms/inbound.h)
-- Order: lock the shipment row (every accepted scan bumps its version, so
-- scans of one shipment and its close serialize on it); replay a known
-- scan_id (checked under the lock: a twin that got the lock first has
-- committed by now); check the state; map the GTIN to the seller's SKU; apply
-- the scan to the line of that SKU (the one with the scanned lot if there is
-- one, else its first line; a SKU not on the ASN gets a new unexpected line)
-- with the over-receipt guard in the UPDATE's WHERE; bump the version and
-- move arrived → receiving; store the answer with the scan. A twin with the
-- same scan_id on another shipment of the warehouse (so not serialized by
-- the lock) makes the final INSERT fail with a unique violation of
-- scans_pkey: nothing is kept, and the caller reads the stored answer.
-- The answer's `next` mirrors wms_receive_shipment_next(): "close" when every
-- expected unit of the shipment has been received, else "item".
CREATE FUNCTION receiving_scan(p_scope uuid, p_shipment_id uuid, p_sscc text, p_asn text,
    p_scan_id uuid, p_key_id uuid, p_gtin text, p_lot text, p_qty int, p_condition text,
    p_confirm boolean, p_allowed text[], p_target text,
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
        WHERE s.id = p_shipment_id AND (p_scope IS NULL OR s.warehouse_id = p_scope)
        LIMIT 1 FOR NO KEY UPDATE;
    ELSIF p_sscc IS NOT NULL THEN
        SELECT s.* INTO sh FROM inbound_cartons c
        JOIN inbound_shipments s ON s.warehouse_id = c.warehouse_id AND s.id = c.shipment_id
        WHERE c.sscc = p_sscc::bpchar AND (p_scope IS NULL OR c.warehouse_id = p_scope)
        ORDER BY s.created_at DESC LIMIT 1 FOR NO KEY UPDATE OF s;
    ELSE
        SELECT s.* INTO sh FROM inbound_shipments s
        WHERE s.asn = p_asn AND (p_scope IS NULL OR s.warehouse_id = p_scope)
        ORDER BY s.created_at DESC LIMIT 1 FOR NO KEY UPDATE;
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
    ELSE
        INSERT INTO inbound_lines (warehouse_id, shipment_id, line_no, seller_id, sku_id, lot,
                                   expected, unexpected, received_good, received_damaged)
        VALUES (sh.warehouse_id, sh.id,
                (SELECT coalesce(max(l.line_no), 0) + 1 FROM inbound_lines l
                 WHERE l.warehouse_id = sh.warehouse_id AND l.shipment_id = sh.id),
                sh.seller_id, k.id, p_lot, 0, true, good, damaged)
        RETURNING * INTO after;
    END IF;

    UPDATE inbound_shipments s
    SET state = p_target, version = s.version + 1,
        receiving_at = coalesce(s.receiving_at, clock_timestamp()), updated_at = clock_timestamp()
    WHERE s.warehouse_id = sh.warehouse_id AND s.id = sh.id
    RETURNING s.* INTO sh;

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

-- One putaway scan (POST /v1/putaway/scans) in warehouse p_warehouse: moves
-- p_qty units of the item with GTIN p_gtin in status p_status from bin
-- p_from to bin p_to (bin codes). The SKU is the GTIN's SKU that has stock
-- at the source (GTINs are unique per seller, so two sellers' SKUs could
-- share one: if both have stock there, the scan is ambiguous, 422). The
-- source's on-hand row is locked before the quantity check, so concurrent
-- putaways of the same stock serialize and the check holds; the scan_id is
-- checked again under that lock (a twin that held it has committed). The
-- movement's trigger keeps on-hand; the answer shows both sides after it.
CREATE FUNCTION putaway_scan(p_warehouse uuid, p_scan_id uuid, p_key_id uuid, p_gtin text,
    p_qty int, p_from text, p_to text, p_status text,
    OUT status int, OUT problem text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    fb bins;
    tb bins;
    k skus;
    n int;
    have bigint;
    to_after bigint;
BEGIN
    SELECT * INTO status, problem, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'putaway');
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;

    SELECT * INTO fb FROM bins WHERE warehouse_id = p_warehouse AND code = p_from;
    IF NOT FOUND THEN
        status := 422; problem := 'unknown-bin'; body := jsonb_build_object('field', 'from');
        detail := format('no bin %s in this warehouse', p_from);
        RETURN;
    END IF;
    SELECT * INTO tb FROM bins WHERE warehouse_id = p_warehouse AND code = p_to;
    IF NOT FOUND THEN
        status := 422; problem := 'unknown-bin'; body := jsonb_build_object('field', 'to_bin');
        detail := format('no bin %s in this warehouse', p_to);
        RETURN;
    END IF;

    SELECT count(*) INTO n FROM skus WHERE gtin = p_gtin::bpchar;
    IF n = 0 THEN
        status := 422; problem := 'unknown-gtin';
        detail := format('GTIN %s is no SKU''s', p_gtin);
        RETURN;
    END IF;
    SELECT count(*) INTO n
    FROM skus k2 JOIN inventory_onhand o ON o.warehouse_id = p_warehouse
         AND o.sku_id = k2.id AND o.bin_id = fb.id AND o.status = p_status AND o.qty > 0
    WHERE k2.gtin = p_gtin::bpchar;
    IF n > 1 THEN
        status := 422; problem := 'ambiguous-gtin';
        detail := format('GTIN %s belongs to SKUs of %s sellers with stock at %s', p_gtin, n, p_from);
        RETURN;
    ELSIF n = 0 THEN
        status := 409; problem := 'insufficient-stock';
        detail := format('only 0 units of GTIN %s (%s) at %s', p_gtin, p_status, p_from);
        body := jsonb_build_object('available', 0, 'next', 'item');
        RETURN;
    END IF;

    SELECT k2.* INTO k
    FROM skus k2 JOIN inventory_onhand o ON o.warehouse_id = p_warehouse
         AND o.sku_id = k2.id AND o.bin_id = fb.id AND o.status = p_status AND o.qty > 0
    WHERE k2.gtin = p_gtin::bpchar;
    SELECT o.qty INTO have FROM inventory_onhand o
    WHERE o.warehouse_id = p_warehouse AND o.sku_id = k.id AND o.bin_id = fb.id
      AND o.status = p_status
    FOR UPDATE;
    SELECT * INTO status, problem, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'putaway');
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF have < p_qty THEN
        status := 409; problem := 'insufficient-stock';
        detail := format('only %s units of %s (%s) at %s', have, k.sku_code, p_status, p_from);
        body := jsonb_build_object('available', have, 'next', 'item',
            'sku', jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin));
        RETURN;
    END IF;

    INSERT INTO inventory_movements (warehouse_id, seller_id, sku_id, qty, from_bin_id, from_status,
                                     to_bin_id, to_status, reason, ref_type, ref_id, key_id)
    VALUES (p_warehouse, k.seller_id, k.id, p_qty, fb.id, p_status, tb.id, p_status, 'putaway',
            'scan', p_scan_id::text, p_key_id);
    SELECT o.qty INTO to_after FROM inventory_onhand o
    WHERE o.warehouse_id = p_warehouse AND o.sku_id = k.id AND o.bin_id = tb.id
      AND o.status = p_status;

    body := jsonb_build_object('scan_id', p_scan_id,
        'sku', jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin,
                                  'seller_id', k.seller_id),
        'qty', p_qty, 'status', p_status,
        'from', jsonb_build_object('bin', fb.code, 'qty', have - p_qty),
        'to', jsonb_build_object('bin', tb.code, 'qty', to_after),
        'next', 'item', 'scanned_at', clock_timestamp());
    INSERT INTO scans (warehouse_id, scan_id, kind, shipment_id, key_id, response)
    VALUES (p_warehouse, p_scan_id, 'putaway', NULL, p_key_id, body);
    status := 200;
END $$;

-- Putaway finds SKUs by GTIN across sellers; the movement list of admins
-- pages by id over every warehouse.
CREATE INDEX skus_gtin ON skus (gtin);
CREATE INDEX inventory_movements_page ON inventory_movements (id DESC);
