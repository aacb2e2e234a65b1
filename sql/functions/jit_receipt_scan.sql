-- jit_receipt_scan.sql — the hub's receipt scan of a JIT parcel (POST /v1/hub/receipt-scans),
-- exactly once by scan_id.
--
--   p_warehouse   the staff key's hub
--   p_scan_id, p_key_id, p_request_hash   as receiving_scan's
--   p_task        the task's id or its order's id (the label's Data Matrix, or an order id
--                 written on the parcel), or NULL; p_ref the tracking number (the label's Code
--                 128) or the order's client_order_id — one of the two
--   p_exception   NULL to receive; else the reason (wrong_item, wrong_quantity,
--                 no_readable_label, damaged) with what was found (p_found) and a note
--   p_receive_allowed, p_receive_target, p_reject_allowed, p_reject_target   wms/jit.h's
--                 receive and reject
--   p_requote     for a late receipt: the route re-quoted from now by the server (C), or NULL
--   p_now         the scan's time
--
-- The task is found at this hub only ('not-found' otherwise). A receipt after the task's
-- hand-over deadline is late: without p_requote the function raises SQLSTATE WS006 with what
-- the server needs to quote as the error's DETAIL (JSON: the hub, the order's destination,
-- promise deadline and units), so nothing is written; the server quotes and calls again. The receipt records received_at, late, the
-- re-quote and at_risk when the re-quoted route misses the target. An exception records its
-- reason with what was expected (the order's lines) and what was found. Answers the task, the
-- expected lines and next 'parcel'; a second receipt is 'wrong-state' with received_at.
CREATE OR REPLACE FUNCTION jit_receipt_scan(p_warehouse warehouse_ref, p_scan_id uuid,
    p_key_id uuid, p_request_hash text, p_task uuid, p_ref text, p_exception text,
    p_found text, p_note text, p_receive_allowed text[], p_receive_target text,
    p_reject_allowed text[], p_reject_target text, p_requote jsonb, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    expected jsonb;
    v_late boolean;
    v_hub text;
BEGIN
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'hub_receipt', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    SELECT * INTO t FROM jit_task_lock(p_warehouse, p_task, p_ref);
    IF t.id IS NULL THEN
        outcome := 'not-found';
        detail := format('no JIT task %s at this hub', coalesce(p_task::text, p_ref));
        RETURN;
    END IF;
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'hub_receipt', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    SELECT coalesce(jsonb_agg(jsonb_build_object('line', l.line_no, 'sku', k.sku_code,
               'gtin', k.gtin, 'name', k.name, 'qty', l.qty) ORDER BY l.line_no), '[]')
    INTO expected
    FROM order_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
    WHERE l.seller_id = t.seller_id AND l.order_id = t.order_id;

    IF p_exception IS NOT NULL THEN
        IF NOT t.state = ANY (p_reject_allowed) THEN
            outcome := 'wrong-state';
            detail := format('task is %s; reject is allowed from %s', t.state,
                             array_to_string(p_reject_allowed, ', '));
            body := jsonb_build_object('state', t.state, 'task_id', t.id);
            RETURN;
        END IF;
        UPDATE jit_tasks x SET state = p_reject_target, exception_reason = p_exception,
               exception_detail = jsonb_build_object('expected', expected, 'found', p_found,
                                                     'note', p_note, 'at', api_ts(p_now)),
               received_at = coalesce(x.received_at, p_now),
               version = x.version + 1, updated_at = p_now
        WHERE x.warehouse_id = p_warehouse AND x.id = t.id;
    ELSE
        IF NOT t.state = ANY (p_receive_allowed) THEN
            outcome := 'wrong-state';
            detail := CASE WHEN t.received_at IS NOT NULL
                           THEN format('task is %s: the parcel was received at %s', t.state,
                                       api_ts(t.received_at))
                           ELSE format('task is %s; receive is allowed from %s', t.state,
                                       array_to_string(p_receive_allowed, ', ')) END;
            body := jsonb_build_object('state', t.state, 'task_id', t.id,
                                       'received_at', api_ts(t.received_at));
            RETURN;
        END IF;
        v_late := p_now > t.handover_deadline;
        IF v_late AND p_requote IS NULL THEN
            SELECT w.code INTO v_hub FROM warehouses w WHERE w.id = p_warehouse;
            body := (SELECT jsonb_build_object('hub', v_hub, 'country', o.country,
                        'postal_code', o.destination ->> 'postal_code',
                        'promise_deadline', api_ts(o.promise_deadline),
                        'units', (SELECT jsonb_agg(jsonb_build_object('qty', l.qty,
                                     'weight_g', k.weight_g, 'length_mm', k.length_mm,
                                     'width_mm', k.width_mm, 'height_mm', k.height_mm)
                                     ORDER BY l.line_no)
                                  FROM order_lines l
                                  JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
                                  WHERE l.seller_id = o.seller_id AND l.order_id = o.id))
                     FROM orders o WHERE o.seller_id = t.seller_id AND o.id = t.order_id);
            RAISE EXCEPTION 'late receipt of task %: re-quote the route', t.id
                USING ERRCODE = 'WS006', DETAIL = body::text;
        END IF;
        UPDATE jit_tasks x SET state = p_receive_target, received_at = p_now, late = v_late,
               requote = CASE WHEN v_late THEN p_requote END,
               at_risk = x.at_risk OR (v_late AND coalesce((p_requote ->> 'at_risk')::boolean, true)),
               version = x.version + 1, updated_at = p_now
        WHERE x.warehouse_id = p_warehouse AND x.id = t.id;
    END IF;
    outcome := 'ok';
    body := jsonb_build_object('task', jit_task_doc(p_warehouse, t.id), 'expected', expected,
                               'next', 'parcel');
    PERFORM scan_record(p_warehouse, p_scan_id, 'hub_receipt', p_key_id, p_request_hash, body,
                        p_now);
END $$;
