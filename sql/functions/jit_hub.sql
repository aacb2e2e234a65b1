-- jit_hub.sql — consolidation at the hub: bags (an SSCC each) opened, filled by scans of
-- received JIT parcels, closed, and handed to the line-haul by one scan that ships every
-- parcel in the bag and its order.

-- The bag p_id of hub p_warehouse: {id, sscc, hub, state, parcels, tasks: [{id,
-- client_order_id, state, tracking_number}], closed_at, shipped_at, created_at}, or NULL.
CREATE OR REPLACE FUNCTION jit_bag_doc(p_warehouse warehouse_ref, p_id uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT jsonb_build_object('id', b.id, 'sscc', b.sscc, 'hub', w.code, 'state', b.state,
        'parcels', b.parcels,
        'tasks', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id,
                      'client_order_id', t.client_order_id, 'state', t.state,
                      'tracking_number', t.tracking_number, 'departure', t.departure)
                      ORDER BY t.updated_at, t.id), '[]')
                  FROM jit_tasks t WHERE t.warehouse_id = b.warehouse_id AND t.bag_id = b.id),
        'closed_at', api_ts(b.closed_at), 'shipped_at', api_ts(b.shipped_at),
        'created_at', api_ts(b.created_at), 'updated_at', api_ts(b.updated_at))
    INTO doc
    FROM jit_bags b JOIN warehouses w ON w.id = b.warehouse_id
    WHERE b.warehouse_id = p_warehouse AND b.id = p_id;
    RETURN doc;
END $$;

-- Opens a bag at hub p_warehouse under SSCC p_sscc (made by the server: its check digit is
-- wms/checkdigit.h's). 'ok' with the bag; 'conflict' when the SSCC is taken (nothing written).
CREATE OR REPLACE FUNCTION jit_bag_open(p_warehouse warehouse_ref, p_sscc text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
BEGIN
    replayed := false;
    INSERT INTO jit_bags (warehouse_id, sscc, created_at, updated_at)
    VALUES (p_warehouse, p_sscc, p_now, p_now)
    ON CONFLICT (warehouse_id, sscc) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        outcome := 'conflict'; detail := format('SSCC %s is taken at this hub: retry', p_sscc);
        RETURN;
    END IF;
    outcome := 'ok';
    body := jit_bag_doc(p_warehouse, v_id);
END $$;

-- The bag of hub p_warehouse whose id is p_id or SSCC p_sscc, locked: its id and state.
CREATE OR REPLACE FUNCTION jit_bag_lock(p_warehouse uuid, p_id uuid, p_sscc text,
    OUT id uuid, OUT state text, OUT parcels int, OUT shipped_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT b.id, b.state, b.parcels, b.shipped_at INTO id, state, parcels, shipped_at
    FROM jit_bags b
    WHERE b.warehouse_id = p_warehouse AND (b.id = p_id OR b.sscc = p_sscc)
    FOR UPDATE;
END $$;

-- The JIT task of hub p_warehouse whose id or order id is p_task, or whose tracking number or
-- client_order_id is p_ref (what a hub scan names), locked; every column NULL when none.
CREATE OR REPLACE FUNCTION jit_task_lock(p_warehouse uuid, p_task uuid, p_ref text,
    OUT id uuid, OUT state text, OUT seller_id uuid, OUT order_id uuid,
    OUT handover_deadline timestamptz, OUT received_at timestamptz, OUT bag_id uuid)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT x.id, x.state, x.seller_id, x.order_id, x.handover_deadline, x.received_at, x.bag_id
    INTO id, state, seller_id, order_id, handover_deadline, received_at, bag_id
    FROM jit_tasks x
    WHERE x.warehouse_id = p_warehouse
      AND (x.id = p_task OR x.order_id = p_task OR x.tracking_number = p_ref
           OR x.client_order_id = p_ref)
    ORDER BY x.created_at DESC LIMIT 1
    FOR UPDATE;
END $$;

-- Closes bag p_id (or SSCC p_sscc) of hub p_warehouse: no more parcels go in. 'not-found',
-- 'wrong-state' (closed or shipped already), 'conflict' (empty: nothing to hand over).
CREATE OR REPLACE FUNCTION jit_bag_close(p_warehouse warehouse_ref, p_id uuid, p_sscc text,
    p_now timestamptz, OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    replayed := false;
    SELECT * INTO b FROM jit_bag_lock(p_warehouse, p_id, p_sscc);
    IF b.id IS NULL THEN
        outcome := 'not-found'; detail := 'no such bag at this hub';
        RETURN;
    END IF;
    IF b.state <> 'open' THEN
        outcome := 'wrong-state'; detail := format('bag is %s', b.state);
        body := jsonb_build_object('state', b.state);
        RETURN;
    END IF;
    IF b.parcels = 0 THEN
        outcome := 'conflict'; detail := 'the bag is empty: scan parcels into it first';
        RETURN;
    END IF;
    UPDATE jit_bags x SET state = 'closed', closed_at = p_now, updated_at = p_now
    WHERE x.warehouse_id = p_warehouse AND x.id = b.id;
    outcome := 'ok';
    body := jit_bag_doc(p_warehouse, b.id);
END $$;

-- A consolidation scan (POST /v1/hub/bag-scans): the parcel of task p_task / p_ref (as
-- jit_receipt_scan finds it) goes into the open bag p_bag / p_bag_sscc: the task goes
-- p_target from p_allowed (wms/jit.h consolidate: received_at_hub → consolidated), the bag
-- counts it. Exactly once by scan_id. 'not-found' (task or bag), 'wrong-state' (the bag is not
-- open; the task not received — or in a bag already, naming it).
CREATE OR REPLACE FUNCTION jit_bag_scan(p_warehouse warehouse_ref, p_scan_id uuid,
    p_key_id uuid, p_request_hash text, p_bag uuid, p_bag_sscc text, p_task uuid, p_ref text,
    p_allowed text[], p_target text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    b record;
    t record;
BEGIN
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'bag', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    SELECT * INTO b FROM jit_bag_lock(p_warehouse, p_bag, p_bag_sscc);
    IF b.id IS NULL THEN
        outcome := 'not-found'; detail := 'no such bag at this hub';
        RETURN;
    END IF;
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'bag', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF b.state <> 'open' THEN
        outcome := 'wrong-state'; detail := format('bag is %s: open another', b.state);
        body := jsonb_build_object('state', b.state, 'bag', b.id);
        RETURN;
    END IF;
    SELECT * INTO t FROM jit_task_lock(p_warehouse, p_task, p_ref);
    IF t.id IS NULL THEN
        outcome := 'not-found';
        detail := format('no JIT task %s at this hub', coalesce(p_task::text, p_ref));
        RETURN;
    END IF;
    IF NOT t.state = ANY (p_allowed) THEN
        outcome := 'wrong-state';
        detail := CASE WHEN t.bag_id IS NOT NULL
                       THEN format('task is %s, in bag %s', t.state, t.bag_id)
                       ELSE format('task is %s; consolidate is allowed from %s', t.state,
                                   array_to_string(p_allowed, ', ')) END;
        body := jsonb_build_object('state', t.state, 'task_id', t.id, 'bag', t.bag_id);
        RETURN;
    END IF;
    UPDATE jit_tasks x SET state = p_target, bag_id = b.id, version = x.version + 1,
           updated_at = p_now
    WHERE x.warehouse_id = p_warehouse AND x.id = t.id;
    UPDATE jit_bags x SET parcels = x.parcels + 1, updated_at = p_now
    WHERE x.warehouse_id = p_warehouse AND x.id = b.id;
    outcome := 'ok';
    body := jsonb_build_object('task', jit_task_doc(p_warehouse, t.id),
                               'bag', jit_bag_doc(p_warehouse, b.id), 'next', 'parcel');
    PERFORM scan_record(p_warehouse, p_scan_id, 'bag', p_key_id, p_request_hash, body, p_now);
END $$;

-- The line-haul hand-over scan of a closed bag (POST /v1/hub/linehaul-scans): the bag is
-- shipped; every parcel in it goes p_target from p_allowed (wms/jit.h ship) with the
-- departure it leaves on — 'aimed' when the hand-over is no later than the departure its
-- deadline aimed for, else 'next' —; each parcel's order goes p_order_target from
-- p_order_allowed (wms/order.h ship_from_hub) with the carrier of its route's first leg and
-- the task's tracking number. Exactly once by scan_id. 'not-found', 'wrong-state' (open: close
-- it first; shipped: when).
CREATE OR REPLACE FUNCTION jit_linehaul_scan(p_warehouse warehouse_ref, p_scan_id uuid,
    p_key_id uuid, p_request_hash text, p_bag uuid, p_bag_sscc text, p_allowed text[],
    p_target text, p_order_allowed text[], p_order_target text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    b record;
    t record;
    v_aimed timestamptz;
BEGIN
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'linehaul', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    SELECT * INTO b FROM jit_bag_lock(p_warehouse, p_bag, p_bag_sscc);
    IF b.id IS NULL THEN
        outcome := 'not-found'; detail := 'no such bag at this hub';
        RETURN;
    END IF;
    SELECT * INTO outcome, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'linehaul', p_request_hash);
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF b.state <> 'closed' THEN
        outcome := 'wrong-state';
        detail := CASE b.state WHEN 'open' THEN 'the bag is open: close it first'
                  ELSE format('the bag left at %s', api_ts(b.shipped_at)) END;
        body := jsonb_build_object('state', b.state, 'shipped_at', api_ts(b.shipped_at));
        RETURN;
    END IF;
    UPDATE jit_bags x SET state = 'shipped', shipped_at = p_now, updated_at = p_now
    WHERE x.warehouse_id = p_warehouse AND x.id = b.id;
    FOR t IN SELECT x.id, x.seller_id, x.order_id, x.tracking_number,
                    (x.deadline_basis -> 'aims_for' ->> 'departure')::timestamptz AS aimed
             FROM jit_tasks x
             WHERE x.warehouse_id = p_warehouse AND x.bag_id = b.id AND x.state = ANY (p_allowed)
             ORDER BY x.id FOR UPDATE LOOP
        UPDATE jit_tasks x SET state = p_target, shipped_at = p_now,
               departure = jsonb_build_object('aimed_for', api_ts(t.aimed),
                   'on', CASE WHEN p_now <= t.aimed THEN 'aimed' ELSE 'next' END),
               version = x.version + 1, updated_at = p_now
        WHERE x.warehouse_id = p_warehouse AND x.id = t.id;
        UPDATE orders o SET state = p_order_target, shipped_at = p_now,
               carrier = o.route -> 'legs' -> 0 ->> 'carrier', tracking_number = t.tracking_number,
               version = o.version + 1, updated_at = p_now
        WHERE o.seller_id = t.seller_id AND o.id = t.order_id AND o.state = ANY (p_order_allowed);
    END LOOP;
    outcome := 'ok';
    body := jsonb_build_object('bag', jit_bag_doc(p_warehouse, b.id), 'next', 'bag');
    PERFORM scan_record(p_warehouse, p_scan_id, 'linehaul', p_key_id, p_request_hash, body, p_now);
END $$;
