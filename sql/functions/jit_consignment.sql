-- jit_consignment.sql — a seller's first-mile consignment (POST /v1/jit-consignments): up to 50
-- labelled tasks bound together for one hub, with a result per task; and its dispatch (POST
-- /v1/jit-consignments/{id}/dispatch), which puts its tasks in transit to the hub.

-- The consignment p_id at hub p_warehouse with its tasks [{id, client_order_id, state,
-- tracking_number}], or NULL.
CREATE OR REPLACE FUNCTION jit_consignment_doc(p_warehouse warehouse_ref, p_id uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT jsonb_build_object('id', c.id, 'hub', w.code, 'state', c.state,
        'handover', jsonb_strip_nulls(jsonb_build_object('type', c.handover,
                        'carrier', c.carrier, 'tracking_number', c.tracking_number)),
        'tasks', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id,
                      'client_order_id', t.client_order_id, 'state', t.state,
                      'tracking_number', t.tracking_number) ORDER BY t.handover_deadline, t.id), '[]')
                  FROM jit_tasks t WHERE t.warehouse_id = c.warehouse_id AND t.consignment_id = c.id),
        'dispatched_at', api_ts(c.dispatched_at),
        'created_at', api_ts(c.created_at), 'updated_at', api_ts(c.updated_at))
    INTO doc
    FROM jit_consignments c JOIN warehouses w ON w.id = c.warehouse_id
    WHERE c.warehouse_id = p_warehouse AND c.id = p_id;
    RETURN doc;
END $$;

-- Binds the tasks p_tasks (ids, in the seller's order) of seller p_seller to a new
-- consignment of type p_type (pickup, drop_off, own_courier with p_carrier and p_tracking).
-- The consignment goes to the hub of the first task found; each task is bound (state p_target
-- from one of p_allowed: wms/jit.h bind) or refused with a reason: not_found (no task of the
-- seller), duplicate (listed before), other_hub (the consignment goes to another hub),
-- wrong_state (with its state; created: the label is not printed yet). Outcome 'ok' with
-- {consignment, results: [{task, result: bound|refused, reason, state, detail}], bound,
-- refused}; 'conflict' with the same results when none could be bound (nothing written).
CREATE OR REPLACE FUNCTION jit_bind(p_seller uuid, p_type text, p_carrier text,
    p_tracking text, p_tasks uuid[], p_allowed text[], p_target text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_hub uuid;
    v_id uuid := gen_random_uuid();
    results jsonb := '[]'::jsonb;
    found_ids uuid[] := '{}';
    bound_ids uuid[] := '{}';
    t record;
    i int;
BEGIN
    replayed := false;
    SELECT x.warehouse_id INTO v_hub
    FROM unnest(p_tasks) WITH ORDINALITY AS u (id, n)
    JOIN jit_tasks x ON x.id = u.id AND x.seller_id = p_seller
    ORDER BY u.n LIMIT 1;
    IF v_hub IS NOT NULL THEN
        -- lock the hub's tasks of the list in one order
        PERFORM 1 FROM jit_tasks x
        WHERE x.warehouse_id = v_hub AND x.id = ANY (p_tasks) AND x.seller_id = p_seller
        ORDER BY x.id FOR UPDATE;
    END IF;
    FOR i IN 1 .. coalesce(cardinality(p_tasks), 0) LOOP
        SELECT x.warehouse_id, x.id, x.state, w.code AS hub INTO t
        FROM jit_tasks x JOIN warehouses w ON w.id = x.warehouse_id
        WHERE x.id = p_tasks[i] AND x.seller_id = p_seller;
        IF t.id IS NULL THEN
            results := results || jsonb_build_object('task', p_tasks[i], 'result', 'refused',
                'reason', 'not_found', 'detail', 'no JIT task of this seller with this id');
        ELSIF t.id = ANY (found_ids) THEN
            results := results || jsonb_build_object('task', t.id, 'result', 'refused',
                'reason', 'duplicate', 'detail', 'listed twice: bound once');
        ELSIF t.warehouse_id <> v_hub THEN
            results := results || jsonb_build_object('task', t.id, 'result', 'refused',
                'reason', 'other_hub', 'state', t.state,
                'detail', format('this task goes to hub %s; a consignment goes to one hub', t.hub));
        ELSIF NOT t.state = ANY (p_allowed) THEN
            results := results || jsonb_build_object('task', t.id, 'result', 'refused',
                'reason', 'wrong_state', 'state', t.state,
                'detail', CASE WHEN t.state = 'created'
                               THEN 'print the label first (POST /v1/jit-tasks/{id}/label)'
                               ELSE format('task is %s; bind is allowed from %s', t.state,
                                           array_to_string(p_allowed, ', ')) END);
        ELSE
            results := results || jsonb_build_object('task', t.id, 'result', 'bound');
            bound_ids := bound_ids || t.id;
        END IF;
        IF t.id IS NOT NULL THEN
            found_ids := found_ids || t.id;
        END IF;
    END LOOP;
    IF cardinality(bound_ids) = 0 THEN
        outcome := 'conflict';
        detail := 'no task could be bound: see each task''s reason';
        body := jsonb_build_object('results', results, 'bound', 0,
                                   'refused', jsonb_array_length(results));
        RETURN;
    END IF;
    INSERT INTO jit_consignments (warehouse_id, id, seller_id, handover, carrier, tracking_number,
                                  tasks, created_at, updated_at)
    VALUES (v_hub, v_id, p_seller, p_type, p_carrier, p_tracking, cardinality(bound_ids), p_now,
            p_now);
    UPDATE jit_tasks x SET state = p_target, consignment_id = v_id, version = x.version + 1,
           updated_at = p_now
    WHERE x.warehouse_id = v_hub AND x.id = ANY (bound_ids) AND x.state = ANY (p_allowed);
    outcome := 'ok';
    body := jsonb_build_object('consignment', jit_consignment_doc(v_hub, v_id),
                               'id', v_id, 'results', results,
                               'bound', cardinality(bound_ids),
                               'refused', jsonb_array_length(results) - cardinality(bound_ids));
END $$;

-- Dispatches consignment p_id of hub p_warehouse (locked by the caller, open): the consignment
-- is dispatched at p_now and every task of it still in p_allowed (bound) goes p_target
-- (in_transit_to_hub). The seller's dispatch below and the pickup driver's collection scan
-- (pickup_collect_consignment) both make this transition.
CREATE OR REPLACE FUNCTION jit_consignment_dispatch(p_warehouse warehouse_ref, p_id uuid,
    p_allowed text[], p_target text, p_now timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE jit_consignments c SET state = 'dispatched', dispatched_at = p_now, updated_at = p_now
    WHERE c.warehouse_id = p_warehouse AND c.id = p_id;
    UPDATE jit_tasks x SET state = p_target, version = x.version + 1, updated_at = p_now
    WHERE x.warehouse_id = p_warehouse AND x.consignment_id = p_id AND x.state = ANY (p_allowed);
END $$;

-- The seller hands consignment p_id over (its courier left, or it was dropped off): every task
-- of it still bound goes p_target (in_transit_to_hub) from p_allowed; the consignment is
-- dispatched. 'not-found', 'wrong-state' (dispatched already, with dispatched_at; or an open
-- pickup request collects it: the driver's collection scan dispatches it).
CREATE OR REPLACE FUNCTION jit_dispatch(p_seller uuid, p_id uuid, p_allowed text[],
    p_target text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_hub uuid;
    v_state text;
    v_at timestamptz;
    v_request uuid;
BEGIN
    replayed := false;
    SELECT c.warehouse_id INTO v_hub FROM jit_consignments c
    WHERE c.id = p_id AND c.seller_id = p_seller;
    IF v_hub IS NULL THEN
        outcome := 'not-found'; detail := format('no consignment %s of this seller', p_id);
        RETURN;
    END IF;
    SELECT c.state, c.dispatched_at INTO v_state, v_at FROM jit_consignments c
    WHERE c.warehouse_id = v_hub AND c.id = p_id FOR UPDATE;
    IF v_state <> 'open' THEN
        outcome := 'wrong-state';
        detail := format('consignment %s was dispatched at %s', p_id, api_ts(v_at));
        body := jsonb_build_object('state', v_state, 'dispatched_at', api_ts(v_at));
        RETURN;
    END IF;
    SELECT r.id INTO v_request FROM pickup_requests r
    WHERE r.warehouse_id = v_hub AND r.consignment_id = p_id AND r.state <> 'cancelled';
    IF v_request IS NOT NULL THEN
        outcome := 'wrong-state';
        detail := format('pickup request %s collects consignment %s: the driver''s collection '
                         'scan dispatches it (or cancel the request first)', v_request, p_id);
        body := jsonb_build_object('state', v_state, 'pickup_request', v_request);
        RETURN;
    END IF;
    PERFORM jit_consignment_dispatch(v_hub, p_id, p_allowed, p_target, p_now);
    outcome := 'ok';
    body := jit_consignment_doc(v_hub, p_id);
END $$;
