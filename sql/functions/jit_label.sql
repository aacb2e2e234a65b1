-- jit_label.sql — POST /v1/jit-tasks/{id}/label: what the label needs (jit_label_input), and
-- storing the label with its tracking number (jit_label_store). The label is made once: a
-- task that has one prints it again, never a new number.

-- The task whose id, order id or client_order_id is p_id / p_ref within the hub and seller
-- scopes: outcome 'ok' with body {task: {warehouse_id, id, state, label, tracking_number,
-- hub}, order: {id, client_order_id, destination}, seller: {name, country}, carrier,
-- service (the route's first leg out of the hub), weight_g (the order's units), series (the
-- first leg's tracking series, or null)}; 'not-found'.
CREATE OR REPLACE FUNCTION jit_label_input(p_id uuid, p_ref text, p_warehouse uuid,
    p_seller uuid, OUT outcome text, OUT detail text, OUT body jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t record;
    o record;
    v_carrier text;
    v_service text;
    v_weight bigint;
    series jsonb;
BEGIN
    SELECT x.warehouse_id, x.id, x.state, x.label, x.tracking_number, x.seller_id, x.order_id,
           w.code AS hub
    INTO t
    FROM jit_tasks x JOIN warehouses w ON w.id = x.warehouse_id
    WHERE (x.id = p_id OR x.order_id = p_id OR x.client_order_id = p_ref)
      AND (p_warehouse IS NULL OR x.warehouse_id = p_warehouse)
      AND (p_seller IS NULL OR x.seller_id = p_seller)
    ORDER BY x.created_at DESC LIMIT 1;
    IF t.id IS NULL THEN
        outcome := 'not-found'; detail := 'no such JIT task';
        RETURN;
    END IF;
    SELECT r.id, r.client_order_id, r.destination, r.route INTO o
    FROM orders r WHERE r.seller_id = t.seller_id AND r.id = t.order_id;
    v_carrier := o.route -> 'legs' -> 0 ->> 'carrier';
    v_service := o.route -> 'legs' -> 0 ->> 'service';
    SELECT sum(l.qty::bigint * k.weight_g) INTO v_weight
    FROM order_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
    WHERE l.seller_id = t.seller_id AND l.order_id = t.order_id;
    SELECT jsonb_build_object('format', s.format, 'prefix', s.prefix, 'country', s.country,
                              'next_serial', s.next_serial, 'last_serial', s.last_serial,
                              'carrier_name', c.name)
    INTO series
    FROM tracking_series s JOIN carriers c ON c.code = s.carrier_code
    WHERE s.carrier_code = v_carrier AND s.service_code = v_service;
    outcome := 'ok';
    body := jsonb_build_object(
        'task', jsonb_build_object('warehouse_id', t.warehouse_id, 'id', t.id, 'state', t.state,
                                   'label', t.label, 'tracking_number', t.tracking_number,
                                   'hub', t.hub),
        'order', jsonb_build_object('id', o.id, 'client_order_id', o.client_order_id,
                                    'destination', o.destination),
        'seller', (SELECT jsonb_build_object('name', s.name, 'country', s.country)
                   FROM sellers s WHERE s.id = t.seller_id),
        'carrier', v_carrier, 'service', v_service, 'weight_g', v_weight, 'series', series);
END $$;

-- Stores the label of task p_id at hub p_warehouse as C made it, taking serial p_serial of
-- the (p_carrier, p_service) series only if it is still the next one (SQLSTATE WS004
-- otherwise: nothing written, the caller reads again) and moving the task to p_target from a
-- state in p_allowed (wms/jit.h print_label). Returns the task's label: the stored one when
-- the task already had a label (printed again, never a new number), NULL when its state
-- allows no label.
CREATE OR REPLACE FUNCTION jit_label_store(p_warehouse warehouse_ref, p_id uuid,
    p_allowed text[], p_target text, p_carrier text, p_service text, p_serial bigint,
    p_tracking text, p_sort_code text, p_label text, p_now timestamptz)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_label text;
BEGIN
    SELECT t.label INTO v_label FROM jit_tasks t
    WHERE t.warehouse_id = p_warehouse AND t.id = p_id FOR UPDATE;
    IF v_label IS NOT NULL THEN
        RETURN v_label;
    END IF;
    UPDATE tracking_series t SET next_serial = t.next_serial + 1
    WHERE t.carrier_code = p_carrier AND t.service_code = p_service
      AND t.next_serial = p_serial AND t.next_serial <= t.last_serial;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'serial % of % % was taken', p_serial, p_carrier, p_service
            USING ERRCODE = 'WS004';
    END IF;
    UPDATE jit_tasks t SET state = p_target, tracking_number = p_tracking,
           sort_code = p_sort_code, label = p_label, label_printed_at = p_now,
           version = t.version + 1, updated_at = p_now
    WHERE t.warehouse_id = p_warehouse AND t.id = p_id AND t.state = ANY (p_allowed)
    RETURNING t.label INTO v_label;
    IF v_label IS NULL THEN
        RAISE EXCEPTION 'task % allows no label', p_id USING ERRCODE = 'WS005';
    END IF;
    RETURN v_label;
END $$;
