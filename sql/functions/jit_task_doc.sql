-- jit_task_doc.sql — a JIT task as every JIT endpoint answers it, and its reads: one task by
-- id (or its order's id or client_order_id, or its tracking number), and a page of the list.
-- The reads find their tasks first (hub and id, into arrays), then build each document on its
-- hub's shard (README, "Writing SQL that distributes", rule 11).

-- An instant in UTC and in zone p_zone: {utc, local, time_zone}; local is RFC 3339 with the
-- zone's offset at that instant ("2026-12-01T23:00:00+08:00"). NULL for NULL.
CREATE OR REPLACE FUNCTION jit_instant(p_at timestamptz, p_zone text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    loc timestamp;
    off interval;
BEGIN
    IF p_at IS NULL THEN
        RETURN NULL;
    END IF;
    loc := p_at AT TIME ZONE p_zone;
    off := loc - (p_at AT TIME ZONE 'UTC');
    RETURN jsonb_build_object('utc', api_ts(p_at),
        'local', to_char(loc, 'YYYY-MM-DD"T"HH24:MI:SS')
                 || CASE WHEN off < interval '0' THEN '-' ELSE '+' END
                 || to_char(justify_hours(abs(extract(epoch FROM off)) * interval '1 second'), 'HH24:MI'),
        'time_zone', p_zone);
END $$;

-- The task p_id of hub p_warehouse, or NULL.
CREATE OR REPLACE FUNCTION jit_task_doc(p_warehouse warehouse_ref, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT jsonb_build_object(
        'id', t.id, 'order_id', t.order_id, 'client_order_id', t.client_order_id,
        'seller', (SELECT s.code FROM sellers s WHERE s.id = t.seller_id),
        'hub', w.code, 'hub_name', w.name, 'state', t.state,
        'handover_deadline', jit_instant(t.handover_deadline, t.time_zone),
        'deadline_basis', t.deadline_basis,
        'promise_deadline', api_ts(t.promise_deadline), 'at_risk', t.at_risk,
        'overdue', t.state = 'overdue' OR (t.received_at IS NULL
                   AND t.state IN ('created', 'label_printed', 'bound', 'in_transit_to_hub')
                   AND t.handover_deadline < now()),
        'tracking_number', t.tracking_number, 'sort_code', t.sort_code,
        'label', CASE WHEN t.label IS NOT NULL THEN '/v1/jit-tasks/' || t.id || '/label' END,
        'label_printed_at', api_ts(t.label_printed_at),
        'received_at', jit_instant(t.received_at, t.time_zone), 'late', t.late,
        'requote', t.requote,
        'exception', CASE WHEN t.exception_reason IS NOT NULL THEN
                         jsonb_build_object('reason', t.exception_reason) || coalesce(t.exception_detail, '{}') END,
        'overdue_at', api_ts(t.overdue_at), 'cancelled_at', api_ts(t.cancelled_at),
        'cancel_reason', t.cancel_reason,
        'created_at', api_ts(t.created_at), 'updated_at', api_ts(t.updated_at))
    INTO doc
    FROM jit_tasks t JOIN warehouses w ON w.id = t.warehouse_id
    WHERE t.warehouse_id = p_warehouse AND t.id = p_id;
    RETURN doc;
END $$;

-- The task whose id, order id, client_order_id (p_ref text) or tracking number is p_ref,
-- within the hub and seller scopes (NULL: any), as jit_task_doc shows it; NULL when none.
CREATE OR REPLACE FUNCTION jit_task_find(p_id uuid, p_ref text, p_warehouse uuid,
    p_seller uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_id uuid;
BEGIN
    SELECT t.warehouse_id, t.id INTO v_wh, v_id FROM jit_tasks t
    WHERE (t.id = p_id OR t.order_id = p_id OR t.client_order_id = p_ref
           OR t.tracking_number = p_ref)
      AND (p_warehouse IS NULL OR t.warehouse_id = p_warehouse)
      AND (p_seller IS NULL OR t.seller_id = p_seller)
    ORDER BY t.created_at DESC LIMIT 1;
    IF v_id IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN jit_task_doc(v_wh, v_id);
END $$;

-- A page of tasks within the hub and seller scopes, in state p_state (NULL: any), of the hub
-- whose code is p_hub (NULL: any; unknown: none). p_by_deadline: most urgent first (by
-- hand-over deadline, then id; the cursor is "<deadline µs>_<id>"), else newest first
-- (page_json's cursor). {items, next_cursor}.
CREATE OR REPLACE FUNCTION jit_task_page(lim int, p_cursor_ts text, p_cursor_id uuid,
    p_warehouse uuid, p_seller uuid, p_state text, p_hub text, p_by_deadline boolean)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_hub uuid;
    v_whs uuid[];
    v_ids uuid[];
    v_due timestamptz[];
    items json;
BEGIN
    IF p_hub IS NOT NULL THEN
        v_hub := (SELECT w.id FROM warehouses w WHERE w.code = p_hub);
    END IF;
    IF p_by_deadline THEN
        SELECT array_agg(x.warehouse_id ORDER BY x.handover_deadline, x.id),
               array_agg(x.id ORDER BY x.handover_deadline, x.id),
               array_agg(x.handover_deadline ORDER BY x.handover_deadline, x.id)
        INTO v_whs, v_ids, v_due
        FROM (SELECT t.warehouse_id, t.id, t.handover_deadline FROM jit_tasks t
              WHERE (p_warehouse IS NULL OR t.warehouse_id = p_warehouse)
                AND (p_seller IS NULL OR t.seller_id = p_seller)
                AND (p_state IS NULL OR t.state = p_state)
                AND (p_hub IS NULL OR t.warehouse_id = v_hub)
                AND (p_cursor_ts IS NULL OR (t.handover_deadline, t.id) > (page_ts(p_cursor_ts), p_cursor_id))
              ORDER BY t.handover_deadline, t.id LIMIT lim + 1) x;
        SELECT json_agg(jit_task_doc(x.warehouse_id, x.id) ORDER BY x.i) INTO items
        FROM unnest(v_whs, v_ids) WITH ORDINALITY AS x (warehouse_id, id, i) WHERE x.i <= lim;
        RETURN json_build_object('items', coalesce(items, '[]'::json),
            'next_cursor', CASE WHEN coalesce(cardinality(v_ids), 0) > lim
                                THEN page_cursor(v_due[lim], v_ids[lim]) END);
    END IF;
    SELECT array_agg(x.warehouse_id ORDER BY x.created_at DESC, x.id DESC),
           array_agg(x.id ORDER BY x.created_at DESC, x.id DESC)
    INTO v_whs, v_ids
    FROM (SELECT t.warehouse_id, t.id, t.created_at FROM jit_tasks t
          WHERE (p_warehouse IS NULL OR t.warehouse_id = p_warehouse)
            AND (p_seller IS NULL OR t.seller_id = p_seller)
            AND (p_state IS NULL OR t.state = p_state)
            AND (p_hub IS NULL OR t.warehouse_id = v_hub)
            AND (p_cursor_ts IS NULL OR (t.created_at, t.id) < (page_ts(p_cursor_ts), p_cursor_id))
          ORDER BY t.created_at DESC, t.id DESC LIMIT lim + 1) x;
    RETURN page_json((SELECT json_agg(jit_task_doc(x.warehouse_id, x.id) ORDER BY x.i)
                      FROM unnest(v_whs, v_ids) WITH ORDINALITY AS x (warehouse_id, id, i)), lim);
END $$;
