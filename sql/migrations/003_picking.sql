-- 003_picking.sql — picking: pick lists held by one operator at a time, found by id, listed
-- newest first; a list handed back with nothing picked is cancelled and holds no order; the
-- pick scan runs on the worker holding its warehouse.

-- A list released with nothing picked gives every order back (they return to allocated):
-- it is cancelled and holds none. Every other list holds 1..100 orders.
ALTER TABLE pick_lists DROP CONSTRAINT pick_lists_state_check;
ALTER TABLE pick_lists ADD CONSTRAINT pick_lists_state_check
    CHECK (state IN ('picking', 'released', 'done', 'cancelled'));
ALTER TABLE pick_lists DROP CONSTRAINT pick_lists_orders_check;
ALTER TABLE pick_lists ADD CONSTRAINT pick_lists_orders_check
    CHECK (cardinality(orders) <= 100 AND (cardinality(orders) >= 1 OR state = 'cancelled'));
-- The operator's key while picking (kept on a done list: who picked it; a released list
-- has none).
ALTER TABLE pick_lists ADD CONSTRAINT pick_lists_picker
    CHECK (state <> 'picking' OR key_id IS NOT NULL);

-- One list per operator at a time: a twin claim by the same key meets the first one's list.
CREATE UNIQUE INDEX pick_lists_picking ON pick_lists (warehouse_id, key_id) WHERE state = 'picking';

-- An admin's or the platform's read by id finds the list's warehouse first.
CREATE INDEX pick_lists_id ON pick_lists (id);

-- Lists, newest first: a warehouse's, and everyone's.
CREATE INDEX pick_lists_page ON pick_lists (warehouse_id, created_at DESC, id DESC);
CREATE INDEX pick_lists_all_page ON pick_lists (created_at DESC, id DESC);

-- The hot path: a pick scan touches one warehouse's rows only.
INSERT INTO schema_delegation (function_name, argument, colocate_with) VALUES
    ('pick_scan', 'p_warehouse', 'inventory_onhand');
