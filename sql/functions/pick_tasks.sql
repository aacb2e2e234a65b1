-- pick_tasks.sql — the walk of a pick list: its tasks in bin walking order, its progress,
-- the step the operator takes next, and what a wrong item is told. Read on the warehouse's shard only (reservations,
-- bins) and the SKUs (reference data), so the pick scan that answers with them stays there.

-- The tasks of the orders p_orders of a list: one per (bin, SKU, lot, expiry) they hold
-- reservations on — bin code, then SKU code, then expiry and lot — each
-- {bin, sku, sku_id, gtin, name, lot, expiry, qty, picked, lines: [{order, line, qty,
-- picked}]} (the order lines in the list's order). qty counts what is reserved (a stock
-- issue cuts it), picked what went to PACKING. '[]' when there is none.
CREATE OR REPLACE FUNCTION pick_tasks(p_warehouse warehouse_ref, p_orders uuid[])
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    tasks jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(t.j ORDER BY t.bin, t.sku_code, t.sku_id, t.expiry, t.lot), '[]'::jsonb)
    INTO tasks
    FROM (SELECT b.code AS bin, k.sku_code, k.id AS sku_id, x.expiry, x.lot,
                 jsonb_build_object('bin', b.code, 'sku', k.sku_code, 'sku_id', k.id,
                     'gtin', k.gtin, 'name', k.name, 'lot', nullif(x.lot, ''),
                     'expiry', CASE WHEN x.expiry <> 'infinity' THEN x.expiry END,
                     'qty', sum(x.qty), 'picked', sum(x.picked),
                     'lines', jsonb_agg(jsonb_build_object('order', x.order_id, 'line', x.line_no,
                                                           'qty', x.qty, 'picked', x.picked)
                                        ORDER BY array_position(p_orders, x.order_id), x.line_no)) AS j
          FROM order_reservations x
          JOIN bins b ON b.warehouse_id = x.warehouse_id AND b.id = x.bin_id
          JOIN skus k ON k.seller_id = x.seller_id AND k.id = x.sku_id
          WHERE x.warehouse_id = p_warehouse AND x.order_id = ANY (p_orders)
          GROUP BY b.code, k.sku_code, k.id, k.gtin, k.name, x.lot, x.expiry) t;
    RETURN tasks;
END $$;

-- p_tasks with p_qty more units picked on the task (p_bin, p_sku, p_lot, p_expiry): what a
-- pick scan did, without reading the tasks again (its lines' counts are left as they were).
CREATE OR REPLACE FUNCTION pick_tasks_picked(p_tasks jsonb, p_bin text, p_sku uuid, p_lot text,
    p_expiry date, p_qty int) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    i int;
BEGIN
    SELECT e.i - 1 INTO i FROM jsonb_array_elements(p_tasks) WITH ORDINALITY AS e (t, i)
    WHERE t ->> 'bin' = p_bin AND (t ->> 'sku_id')::uuid = p_sku
      AND coalesce(t ->> 'lot', '') = p_lot
      AND coalesce((t ->> 'expiry')::date, 'infinity'::date) = p_expiry;
    RETURN jsonb_set(p_tasks, ARRAY[i::text, 'picked'],
                     to_jsonb((p_tasks -> i ->> 'picked')::int + p_qty));
END $$;

-- {tasks, tasks_done, units, picked} of pick_tasks' tasks. (This and pick_next are PL/pgSQL
-- so that their plans are kept for the session: a scan calls them on every request, and a
-- SQL-language function that is not inlined is planned again in every transaction.)
CREATE OR REPLACE FUNCTION pick_progress(p_tasks jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    progress jsonb;
BEGIN
    SELECT jsonb_build_object(
        'tasks', count(*),
        'tasks_done', count(*) FILTER (WHERE (t ->> 'picked')::int >= (t ->> 'qty')::int),
        'units', coalesce(sum((t ->> 'qty')::int), 0),
        'picked', coalesce(sum((t ->> 'picked')::int), 0))
    INTO progress
    FROM jsonb_array_elements(p_tasks) t;
    RETURN progress;
END $$;

-- The operator's next step on the walk p_tasks, standing at bin p_bin (NULL: not at one):
-- the next unit to take from that bin ({step: item, bin, sku, gtin, name, lot, expiry, qty}),
-- else the bin of the first task with units left ({step: bin, bin}), else {step: done}.
CREATE OR REPLACE FUNCTION pick_next(p_tasks jsonb, p_bin text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    t jsonb;
    first_bin text;
BEGIN
    FOR t IN SELECT e FROM jsonb_array_elements(p_tasks) e LOOP
        CONTINUE WHEN (t ->> 'qty')::int <= (t ->> 'picked')::int;
        IF t ->> 'bin' = p_bin THEN
            RETURN jsonb_build_object('step', 'item', 'bin', t ->> 'bin', 'sku', t ->> 'sku',
                                      'gtin', t ->> 'gtin', 'name', t ->> 'name', 'lot', t -> 'lot',
                                      'expiry', t -> 'expiry',
                                      'qty', (t ->> 'qty')::int - (t ->> 'picked')::int);
        END IF;
        first_bin := coalesce(first_bin, t ->> 'bin');
    END LOOP;
    IF first_bin IS NOT NULL THEN
        RETURN jsonb_build_object('step', 'bin', 'bin', first_bin);
    END IF;
    RETURN '{"step": "done"}'::jsonb;
END $$;

-- A wrong item at bin p_bin of the walk p_tasks: the 409's detail (p_said — what the scan
-- named — then what the list still picks there) and its body {expected: {bin, items: [{sku,
-- gtin, name, lot, expiry, qty}]}, next}.
CREATE OR REPLACE FUNCTION pick_wrong_item(p_tasks jsonb, p_bin text, p_said text,
    OUT detail text, OUT body jsonb)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    items jsonb;
BEGIN
    SELECT format('%s; bin %s holds for this list: %s', p_said, p_bin,
                  string_agg(format('%s (GTIN %s%s) × %s', t ->> 'sku', t ->> 'gtin',
                                    CASE WHEN t ->> 'lot' IS NOT NULL THEN ', lot ' || (t ->> 'lot')
                                         ELSE '' END,
                                    (t ->> 'qty')::int - (t ->> 'picked')::int), ', ')),
           jsonb_agg(jsonb_build_object('sku', t ->> 'sku', 'gtin', t ->> 'gtin', 'name', t ->> 'name',
                                        'lot', t -> 'lot', 'expiry', t -> 'expiry',
                                        'qty', (t ->> 'qty')::int - (t ->> 'picked')::int))
    INTO detail, items
    FROM jsonb_array_elements(p_tasks) t
    WHERE t ->> 'bin' = p_bin AND (t ->> 'qty')::int > (t ->> 'picked')::int;
    body := jsonb_build_object('expected', jsonb_build_object('bin', p_bin, 'items', items),
                               'next', pick_next(p_tasks, p_bin));
END $$;
