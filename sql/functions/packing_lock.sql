-- packing_lock.sql — the lock every packing step of an order takes before it reads the
-- order's progress (packing_progress): opening a package, a pack scan, a close. It locks the
-- order's reservation rows in one global order (line, bin, lot, expiry), so two stations
-- packing the same order queue on each other and a unit is never packed twice; picks, which
-- update the same rows, queue with them. One shard: the warehouse's.
CREATE OR REPLACE FUNCTION packing_lock(p_warehouse uuid, p_order uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM order_reservations x
    WHERE x.warehouse_id = p_warehouse AND x.order_id = p_order
    ORDER BY x.line_no, x.bin_id, x.lot, x.expiry
    FOR UPDATE;
END $$;
