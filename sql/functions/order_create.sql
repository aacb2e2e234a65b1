-- order_create.sql — POST /v1/orders: what the handler reads before it quotes
-- (order_prepare), and the order's creation with its allocation in one call (order_create).

-- Everything creating an order needs to know before routing it: the seller (by id or code),
-- an order already stored under the client_order_id, the lines' SKUs (by code, of that
-- seller; NULL where there is none), and per fulfillment centre holding any of them, the
-- allocatable units of each line's SKU (sellable, in storage bins, not reserved, expiring
-- after p_expiry_after) — the handler keeps the centres that cover every line and quotes a
-- route from each; and the consolidation hubs a semi_jit order may go through (the seller's
-- seller_jit_hubs, or without any every consolidation hub of the seller's country;
-- [{warehouse_id, code, time_zone}] by code). NULL seller: no such seller.
CREATE OR REPLACE FUNCTION order_prepare(p_seller_ref text, p_client_order_id text,
    p_sku_codes text[], p_expiry_after date)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seller uuid;
    v_code text;
    v_currency text;
    prior jsonb;
    sku_list jsonb;
    v_ids uuid[];
    avail jsonb;
    v_country text;
    hubs jsonb;
BEGIN
    SELECT s.id, s.code, s.currency, s.country INTO v_seller, v_code, v_currency, v_country
    FROM sellers s
    WHERE s.code = p_seller_ref
       OR (p_seller_ref ~ '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
           AND s.id = p_seller_ref::uuid);
    IF v_seller IS NULL THEN
        RETURN jsonb_build_object('seller', NULL);
    END IF;
    SELECT jsonb_build_object('id', o.id, 'request_hash', o.request_hash) INTO prior
    FROM orders o WHERE o.seller_id = v_seller AND o.client_order_id = p_client_order_id;

    SELECT jsonb_agg(CASE WHEN k.id IS NULL THEN NULL ELSE jsonb_build_object(
               'id', k.id, 'sku_code', k.sku_code, 'weight_g', k.weight_g,
               'length_mm', k.length_mm, 'width_mm', k.width_mm, 'height_mm', k.height_mm,
               'category', k.category) END ORDER BY u.i),
           array_agg(k.id ORDER BY u.i)
    INTO sku_list, v_ids
    FROM unnest(p_sku_codes) WITH ORDINALITY AS u (code, i)
    LEFT JOIN skus k ON k.seller_id = v_seller AND k.sku_code = u.code;

    SELECT coalesce(jsonb_agg(jsonb_build_object('warehouse_id', w.id, 'code', w.code,
               'units', (SELECT jsonb_agg(coalesce(a.free, 0) ORDER BY u.i)
                         FROM unnest(v_ids) WITH ORDINALITY AS u (sku_id, i)
                         LEFT JOIN (SELECT o.sku_id, sum(o.qty - o.reserved) AS free
                                    FROM inventory_onhand o
                                    JOIN bins b ON b.warehouse_id = o.warehouse_id AND b.id = o.bin_id
                                    WHERE o.warehouse_id = w.id AND o.sku_id = ANY (v_ids)
                                      AND o.status = 'sellable' AND b.kind = 'storage'
                                      AND o.expiry > p_expiry_after
                                    GROUP BY o.sku_id) a ON a.sku_id = u.sku_id))
               ORDER BY w.code), '[]'::jsonb)
    INTO avail
    FROM warehouses w
    WHERE w.kind = 'fulfillment_center'
      AND EXISTS (SELECT 1 FROM inventory_onhand o
                  WHERE o.warehouse_id = w.id AND o.sku_id = ANY (v_ids)
                    AND o.status = 'sellable' AND o.qty > o.reserved);

    SELECT coalesce(jsonb_agg(jsonb_build_object('warehouse_id', w.id, 'code', w.code,
                                                 'time_zone', w.time_zone) ORDER BY w.code), '[]')
    INTO hubs
    FROM warehouses w
    WHERE w.kind = 'consolidation_hub'
      AND CASE WHEN EXISTS (SELECT 1 FROM seller_jit_hubs h WHERE h.seller_id = v_seller)
               THEN EXISTS (SELECT 1 FROM seller_jit_hubs h
                            WHERE h.seller_id = v_seller AND h.warehouse_id = w.id)
               ELSE w.country = v_country END;

    RETURN jsonb_build_object('seller', jsonb_build_object('id', v_seller, 'code', v_code,
                                                           'currency', v_currency),
                              'prior', prior, 'skus', sku_list, 'available', avail,
                              'hubs', hubs);
END $$;

-- Creates an order and allocates it, exactly once per (seller, client_order_id):
--
--   p_request_hash   of the request: the same id with another body is 'client-order-id-reused'
--   p_lines          [{line_no, sku_id, qty, unit_price, supply_price}]
--   p_candidates     stocked orders: the fulfillment centres the handler found holding every
--                    line and able to route the parcel, best first, each {warehouse_id, code,
--                    deadline, p_on_time, at_risk, route}; [] for pop orders or when none
--   p_reasons        why there is no candidate, per line ([{line, sku, reason, detail}]),
--                    kept on an unfulfillable order
--
-- semi_jit orders: p_candidates holds the one consolidation hub the handler chose, with
-- `jit` {handover_deadline, time_zone, basis}; the order is stored created at that hub (no
-- reservation: the seller holds the stock) and its JIT task is written on the hub's shard.
-- No hub: unfulfillable with p_reasons, escrow refunded.
-- A stocked order is reserved in the first candidate that still has the stock when its rows
-- are locked (order_reserve, all lines or nothing); a candidate that lost the stock to a
-- concurrent order since the handler read it is skipped. With no candidate left the order is
-- stored unfulfillable, its escrow refunded. The states are wms/order.h's: created, then
-- allocate (→ allocated) or reject (→ unfulfillable); pop orders stay created until the
-- seller ships. Outcome 'ok' with the order, or a catalogue slug.
CREATE OR REPLACE FUNCTION order_create(p_seller uuid, p_client_order_id text,
    p_request_hash text, p_mode text, p_destination jsonb, p_country text, p_currency text,
    p_amount_paid bigint, p_placed_at timestamptz, p_lines jsonb, p_candidates jsonb,
    p_reasons jsonb, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    prior_id uuid;
    prior_hash text;
    v_id uuid := gen_random_uuid();
    c record;
    v_wh uuid;
    v_deadline timestamptz;
    v_p numeric;
    v_risk boolean := false;
    v_route jsonb;
    short jsonb;
    shorts jsonb := '[]'::jsonb;
    allocated boolean := false;
BEGIN
    replayed := false;
    SELECT o.id, o.request_hash INTO prior_id, prior_hash FROM orders o
    WHERE o.seller_id = p_seller AND o.client_order_id = p_client_order_id;
    IF prior_id IS NOT NULL THEN
        IF prior_hash = p_request_hash THEN
            outcome := 'ok'; body := order_doc(p_seller, prior_id); replayed := true;
        ELSE
            outcome := 'client-order-id-reused';
            detail := format('client_order_id %s names order %s, created with another request; '
                             'a new order needs a new client_order_id', p_client_order_id, prior_id);
            body := jsonb_build_object('order_id', prior_id);
        END IF;
        RETURN;
    END IF;

    -- reserve first, then store the order as it ends up: one INSERT, no UPDATE after it
    IF p_mode IN ('full', 'semi_warehouse') THEN
        FOR c IN SELECT e.value ->> 'warehouse_id' AS warehouse_id, e.value ->> 'code' AS code,
                        (e.value ->> 'deadline')::timestamptz AS deadline,
                        (e.value ->> 'p_on_time')::numeric AS p_on_time,
                        (e.value ->> 'at_risk')::boolean AS at_risk, e.value -> 'route' AS route
                 FROM jsonb_array_elements(p_candidates) WITH ORDINALITY AS e (value, i)
                 ORDER BY e.i LOOP
            BEGIN
                PERFORM order_reserve(c.warehouse_id::uuid, v_id, p_seller, p_lines,
                                      (c.deadline AT TIME ZONE 'UTC')::date);
                v_wh := c.warehouse_id::uuid; v_deadline := c.deadline; v_p := c.p_on_time;
                v_risk := c.at_risk; v_route := c.route;
                allocated := true;
                EXIT;
            EXCEPTION WHEN SQLSTATE 'WS003' THEN
                GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
                short := detail::jsonb;
                shorts := shorts || jsonb_build_object('warehouse', c.code, 'line', short -> 'line_no',
                    'sku_id', short -> 'sku_id', 'wanted', short -> 'wanted',
                    'available', short -> 'available');
                detail := NULL;
            END;
        END LOOP;
        IF NOT allocated AND jsonb_array_length(shorts) > 0 THEN
            SELECT jsonb_agg(jsonb_build_object('line', s -> 'line',
                       'sku', (SELECT k.sku_code FROM skus k
                               WHERE k.seller_id = p_seller AND k.id = (s ->> 'sku_id')::uuid),
                       'reason', 'insufficient_stock',
                       'detail', format('%s of %s units left at %s when the order was placed',
                                        s ->> 'available', s ->> 'wanted', s ->> 'warehouse')))
            INTO p_reasons FROM jsonb_array_elements(shorts) s;
        END IF;
    END IF;

    IF p_mode = 'semi_jit' AND jsonb_array_length(p_candidates) > 0 THEN
        v_wh := (p_candidates -> 0 ->> 'warehouse_id')::uuid;
        v_deadline := (p_candidates -> 0 ->> 'deadline')::timestamptz;
        v_p := (p_candidates -> 0 ->> 'p_on_time')::numeric;
        v_risk := (p_candidates -> 0 ->> 'at_risk')::boolean;
        v_route := p_candidates -> 0 -> 'route';
    END IF;

    INSERT INTO orders (seller_id, id, client_order_id, request_hash, mode, state, destination,
                        country, currency, amount_paid, escrow, refunded, placed_at, warehouse_id,
                        promise_deadline, p_on_time, at_risk, route, unfulfillable, allocated_at,
                        version, created_at, updated_at)
    SELECT p_seller, v_id, p_client_order_id, p_request_hash, p_mode, st, p_destination,
           p_country, p_currency, p_amount_paid,
           CASE WHEN st = 'unfulfillable' THEN 'refunded' ELSE 'held' END,
           CASE WHEN st = 'unfulfillable' THEN p_amount_paid ELSE 0 END,
           p_placed_at, v_wh, v_deadline, round(v_p, 4), v_risk, v_route,
           CASE WHEN st = 'unfulfillable' THEN p_reasons END,
           CASE WHEN allocated THEN p_now END, 1, p_now, p_now
    FROM (SELECT CASE WHEN p_mode = 'pop' THEN 'created'
                      WHEN p_mode = 'semi_jit' AND v_wh IS NOT NULL THEN 'created'
                      WHEN allocated THEN 'allocated' ELSE 'unfulfillable' END AS st) x
    ON CONFLICT (seller_id, client_order_id) DO NOTHING;
    IF NOT FOUND THEN -- a twin committed this client_order_id meanwhile: undo, the caller reruns
        RAISE EXCEPTION 'order % was stored by a twin', p_client_order_id USING ERRCODE = 'WS001';
    END IF;
    INSERT INTO order_lines (seller_id, order_id, line_no, sku_id, qty, unit_price, supply_price)
    SELECT p_seller, v_id, x.line_no, x.sku_id, x.qty, x.unit_price, x.supply_price
    FROM jsonb_to_recordset(p_lines) AS x (line_no int, sku_id uuid, qty int, unit_price bigint,
                                          supply_price bigint);
    IF p_mode = 'semi_jit' AND v_wh IS NOT NULL THEN
        INSERT INTO jit_tasks (warehouse_id, seller_id, order_id, client_order_id,
                               handover_deadline, time_zone, deadline_basis, promise_deadline,
                               at_risk, created_at, updated_at)
        VALUES (v_wh, p_seller, v_id, p_client_order_id,
                (p_candidates -> 0 -> 'jit' ->> 'handover_deadline')::timestamptz,
                p_candidates -> 0 -> 'jit' ->> 'time_zone', p_candidates -> 0 -> 'jit' -> 'basis',
                v_deadline, v_risk, p_now, p_now);
    END IF;
    outcome := 'ok';
    body := order_doc(p_seller, v_id);
END $$;
