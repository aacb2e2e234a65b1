-- order_reserve.sql — reserving stock for order lines in one warehouse: the one home of the
-- allocation rule, used by order creation (order_create) and by re-allocation after a short
-- pick (pick_stock_issue).
--
-- Allocatable stock is sellable stock in storage bins (never the receiving area, quarantine
-- or PACKING) whose expiry is after p_expiry_after (the promise deadline's day: nothing
-- expires on its way to the buyer), less what is already reserved. Lots are taken
-- first-expired-first-out, then by lot, then bin code (a walk in bin order). Rows are locked
-- as they are read (FOR UPDATE; a row changed by a concurrent reservation is read again
-- after its lock is granted), SKUs in id order, so two reservations never deadlock and
-- reserved never exceeds on-hand (also the CHECK of inventory_onhand).
--
-- p_lines: [{line_no, sku_id, qty}]. All or nothing: when a line cannot be covered it raises
-- SQLSTATE WS003 with the first short line as {line_no, sku_id, wanted, available} in the
-- detail, and the caller's exception block undoes what this call reserved.
CREATE OR REPLACE FUNCTION order_reserve(p_warehouse warehouse_ref, p_order uuid, p_seller uuid,
    p_lines jsonb, p_expiry_after date)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    l record;
    s record;
    need int;
    take int;
    rows_reserved int := 0;
BEGIN
    FOR l IN SELECT x.line_no, x.sku_id, x.qty
             FROM jsonb_to_recordset(p_lines) AS x (line_no int, sku_id uuid, qty int)
             ORDER BY x.sku_id, x.line_no LOOP
        need := l.qty;
        FOR s IN SELECT o.bin_id, o.lot, o.expiry, o.qty - o.reserved AS free
                 FROM inventory_onhand o
                 JOIN bins b ON b.warehouse_id = o.warehouse_id AND b.id = o.bin_id
                 WHERE o.warehouse_id = p_warehouse AND o.sku_id = l.sku_id
                   AND o.status = 'sellable' AND b.kind = 'storage'
                   AND o.expiry > p_expiry_after AND o.qty > o.reserved
                 ORDER BY o.expiry, o.lot, b.code
                 FOR UPDATE OF o LOOP
            EXIT WHEN need = 0;
            take := least(need, s.free);
            UPDATE inventory_onhand o SET reserved = o.reserved + take
            WHERE o.warehouse_id = p_warehouse AND o.sku_id = l.sku_id AND o.bin_id = s.bin_id
              AND o.status = 'sellable' AND o.lot = s.lot AND o.expiry = s.expiry;
            INSERT INTO order_reservations AS r (warehouse_id, order_id, line_no, bin_id, lot,
                                                 expiry, seller_id, sku_id, qty)
            VALUES (p_warehouse, p_order, l.line_no, s.bin_id, s.lot, s.expiry, p_seller,
                    l.sku_id, take)
            ON CONFLICT (warehouse_id, order_id, line_no, bin_id, lot, expiry)
            DO UPDATE SET qty = r.qty + EXCLUDED.qty;
            need := need - take;
            rows_reserved := rows_reserved + 1;
        END LOOP;
        IF need > 0 THEN
            RAISE EXCEPTION 'line % short of stock', l.line_no USING ERRCODE = 'WS003',
                DETAIL = jsonb_build_object('line_no', l.line_no, 'sku_id', l.sku_id,
                                            'wanted', l.qty, 'available', l.qty - need)::text;
        END IF;
    END LOOP;
    RETURN rows_reserved;
END $$;

-- Gives back what an order holds in its warehouse and has not picked: the reserved units
-- return to their rows' free stock and the reservations shrink to what was picked (rows
-- with nothing picked go). Picked units stay reserved in PACKING for whoever handles them
-- (cancellation is refused once picking started). Rows are visited in order_reserve's order
-- (SKU, expiry, lot, bin code), so a release and a reservation never deadlock. Returns the
-- units released.
CREATE OR REPLACE FUNCTION order_release(p_warehouse warehouse_ref, p_order uuid)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n bigint := 0;
BEGIN
    FOR r IN SELECT x.line_no, x.bin_id, x.lot, x.expiry, x.sku_id, x.qty - x.picked AS open
             FROM order_reservations x
             JOIN bins b ON b.warehouse_id = x.warehouse_id AND b.id = x.bin_id
             WHERE x.warehouse_id = p_warehouse AND x.order_id = p_order AND x.qty > x.picked
             ORDER BY x.sku_id, x.expiry, x.lot, b.code
             FOR UPDATE OF x LOOP
        UPDATE inventory_onhand o SET reserved = o.reserved - r.open
        WHERE o.warehouse_id = p_warehouse AND o.sku_id = r.sku_id AND o.bin_id = r.bin_id
          AND o.status = 'sellable' AND o.lot = r.lot AND o.expiry = r.expiry;
        UPDATE order_reservations x SET qty = x.picked
        WHERE x.warehouse_id = p_warehouse AND x.order_id = p_order AND x.line_no = r.line_no
          AND x.bin_id = r.bin_id AND x.lot = r.lot AND x.expiry = r.expiry AND x.picked > 0;
        DELETE FROM order_reservations x
        WHERE x.warehouse_id = p_warehouse AND x.order_id = p_order AND x.line_no = r.line_no
          AND x.bin_id = r.bin_id AND x.lot = r.lot AND x.expiry = r.expiry AND x.picked = 0;
        n := n + r.open;
    END LOOP;
    RETURN n;
END $$;
