-- inventory_apply_movement.sql — on-hand follows the movement ledger in the same transaction.

-- Applies one movement to on-hand, per (SKU, bin, status, lot, expiry): subtracts at the
-- source (failing with SQLSTATE WS002 — or the qty check when the row goes below zero —
-- when there is not enough), adds at the destination.
-- Called by an AFTER INSERT trigger, so a movement and its on-hand change commit together
-- and nothing else writes on-hand. The movement's own time stamps the row (no clock read in
-- an UPDATE's SET: see README, "Writing SQL that distributes").
CREATE OR REPLACE FUNCTION inventory_apply_movement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.from_bin_id IS NOT NULL THEN
        UPDATE inventory_onhand SET qty = qty - NEW.qty, updated_at = NEW.created_at
        WHERE warehouse_id = NEW.warehouse_id AND sku_id = NEW.sku_id
          AND bin_id = NEW.from_bin_id AND status = NEW.from_status
          AND lot = NEW.lot AND expiry = NEW.expiry;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no stock of this SKU, lot and expiry at the source location'
                USING ERRCODE = 'WS002';
        END IF;
    END IF;
    IF NEW.to_bin_id IS NOT NULL THEN
        INSERT INTO inventory_onhand AS o (warehouse_id, seller_id, sku_id, bin_id, status, lot,
                                           expiry, qty, updated_at)
        VALUES (NEW.warehouse_id, NEW.seller_id, NEW.sku_id, NEW.to_bin_id, NEW.to_status, NEW.lot,
                NEW.expiry, NEW.qty, NEW.created_at)
        ON CONFLICT (warehouse_id, sku_id, bin_id, status, lot, expiry)
        DO UPDATE SET qty = o.qty + EXCLUDED.qty, updated_at = EXCLUDED.updated_at;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER inventory_movements_apply AFTER INSERT ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION inventory_apply_movement();
