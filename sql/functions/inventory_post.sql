-- inventory_post.sql — the one way stock moves: the movement ledger and on-hand change
-- together, on one warehouse's shard, in the caller's transaction. (Not a trigger: a
-- trigger on a distributed table that writes another table is what Citus calls unsafe.)
--
-- p_moves: [{seller_id, sku_id, qty > 0, from_bin, from_status, to_bin, to_status, lot,
-- expiry, reserved}] — from and/or to (a receipt has no from, a shipment no to); lot '' and
-- expiry NULL when none. reserved true moves reserved units (a pick into PACKING, a
-- shipment out of it): they leave the source's reserved count and, with a destination,
-- join its reserved count. Otherwise only unreserved units move. Each source row must hold
-- the quantity, else SQLSTATE WS002 ("no stock") and nothing of the call is kept; on-hand
-- never goes negative and reserved never exceeds it (its CHECKs). Returns how many
-- movements were posted.
CREATE OR REPLACE FUNCTION inventory_post(p_warehouse warehouse_ref, p_moves jsonb,
    p_reason text, p_ref_type text, p_ref_id text, p_key uuid, p_now timestamptz)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    m record;
    n int := 0;
BEGIN
    FOR m IN SELECT x.seller_id, x.sku_id, x.qty, x.from_bin, x.from_status, x.to_bin,
                    x.to_status, coalesce(x.lot, '') AS lot,
                    coalesce(x.expiry, 'infinity'::date) AS expiry,
                    coalesce(x.reserved, false) AS reserved
             FROM jsonb_to_recordset(p_moves) AS x (seller_id uuid, sku_id uuid, qty bigint,
                 from_bin uuid, from_status text, to_bin uuid, to_status text, lot text,
                 expiry date, reserved boolean) LOOP
        IF m.from_bin IS NOT NULL THEN
            UPDATE inventory_onhand o SET qty = o.qty - m.qty,
                reserved = o.reserved - CASE WHEN m.reserved THEN m.qty ELSE 0 END,
                updated_at = p_now
            WHERE o.warehouse_id = p_warehouse AND o.sku_id = m.sku_id AND o.bin_id = m.from_bin
              AND o.status = m.from_status AND o.lot = m.lot AND o.expiry = m.expiry
              AND CASE WHEN m.reserved THEN o.reserved >= m.qty ELSE o.qty - o.reserved >= m.qty END;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'not % %units of this SKU, lot and expiry at the source location',
                    m.qty, CASE WHEN m.reserved THEN 'reserved ' ELSE 'unreserved ' END
                    USING ERRCODE = 'WS002';
            END IF;
        END IF;
        IF m.to_bin IS NOT NULL THEN
            INSERT INTO inventory_onhand AS o (warehouse_id, seller_id, sku_id, bin_id, status, lot,
                                               expiry, qty, reserved, updated_at)
            VALUES (p_warehouse, m.seller_id, m.sku_id, m.to_bin, m.to_status, m.lot, m.expiry,
                    m.qty, CASE WHEN m.reserved THEN m.qty ELSE 0 END, p_now)
            ON CONFLICT (warehouse_id, sku_id, bin_id, status, lot, expiry)
            DO UPDATE SET qty = o.qty + EXCLUDED.qty, reserved = o.reserved + EXCLUDED.reserved,
                          updated_at = EXCLUDED.updated_at;
        END IF;
        INSERT INTO inventory_movements (warehouse_id, seller_id, sku_id, qty, from_bin_id,
                                         from_status, to_bin_id, to_status, lot, expiry, reason,
                                         ref_type, ref_id, key_id, created_at)
        VALUES (p_warehouse, m.seller_id, m.sku_id, m.qty, m.from_bin, m.from_status, m.to_bin,
                m.to_status, m.lot, m.expiry, p_reason, p_ref_type, p_ref_id, p_key, p_now);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
