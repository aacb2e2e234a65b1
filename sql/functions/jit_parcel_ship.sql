-- jit_parcel_ship.sql — a JIT parcel handed to the line-haul becomes a shipped package of its
-- hub (sql/migrations/011_jit_parcels.sql), so that carrier tracking (tracking_ingest,
-- tracking_history, the carrier's parcels in flight, the transit times that learn) finds it
-- by carrier and tracking number as it finds every shipped package.
--
-- Called by jit_linehaul_scan for each task it ships, in the scan's transaction, after the
-- task is shipped and the order has its carrier. The package carries what the label and the
-- order's route decided: the task's tracking number, label and sort code (closed when the
-- label was made), the carrier and service of the route's first leg, the route and its cost,
-- the chargeable weight the route was priced at, and the order's units' weight (the seller
-- packed it: no package type, jit_task_id instead). A task without a tracking number (received
-- without a label) or an order without a priced route makes no package: that parcel is not
-- tracked. Once per task (ON CONFLICT on the task). The order is read first on its seller's
-- shard, then the package written on the hub's (README, "Writing SQL that distributes",
-- rule 5). Returns the package's id, or NULL when none was made.
CREATE OR REPLACE FUNCTION jit_parcel_ship(p_warehouse warehouse_ref, p_task uuid,
    p_now timestamptz) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    v_route jsonb;
    v_weight bigint;
    v_id uuid;
BEGIN
    SELECT x.seller_id, x.order_id, x.tracking_number, x.label, x.sort_code, x.label_printed_at
    INTO t
    FROM jit_tasks x WHERE x.warehouse_id = p_warehouse AND x.id = p_task;
    IF t.tracking_number IS NULL OR t.label IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT o.route INTO v_route FROM orders o WHERE o.seller_id = t.seller_id AND o.id = t.order_id;
    SELECT sum(l.qty::bigint * k.weight_g) INTO v_weight
    FROM order_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
    WHERE l.seller_id = t.seller_id AND l.order_id = t.order_id;
    IF v_route -> 'legs' -> 0 ->> 'carrier' IS NULL OR v_route -> 'cost' ->> 'amount' IS NULL THEN
        RETURN NULL;
    END IF;
    v_weight := greatest(1, least(coalesce(v_weight, 1), 1000000));
    INSERT INTO packages (warehouse_id, order_id, seller_id, package_type, jit_task_id, state,
        weight_g, chargeable_g, carrier, service, tracking_number, sort_code, route, cost_minor,
        cost_currency, label, closed_at, shipped_at, created_at, updated_at)
    VALUES (p_warehouse, t.order_id, t.seller_id, NULL, p_task, 'shipped', v_weight,
        coalesce((v_route -> 'legs' -> 0 ->> 'chargeable_weight_g')::int, v_weight),
        v_route -> 'legs' -> 0 ->> 'carrier', v_route -> 'legs' -> 0 ->> 'service',
        t.tracking_number, t.sort_code, v_route, (v_route -> 'cost' ->> 'amount')::bigint,
        v_route -> 'cost' ->> 'currency', t.label, coalesce(t.label_printed_at, p_now), p_now,
        p_now, p_now)
    ON CONFLICT (warehouse_id, jit_task_id) WHERE jit_task_id IS NOT NULL DO NOTHING
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;
