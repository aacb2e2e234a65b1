-- 005_packing.sql — packing and the hand-over at the dock: what a closed package records
-- beyond 002's columns, the guards its states need, and the indexes the pack station, the
-- dock and the package lists read by.
--
-- A package is opened for an order being picked, filled by pack scans (package_items),
-- closed with its measured weight — quoted on the lane network, given a tracking number of
-- its first leg's carrier service and a ZPL label — and shipped by the dock's scan of that
-- label (sql/functions/package_open.sql, pack_scan.sql, package_close.sql, ship_scan.sql).

-- the currency of cost_minor (the lane network's)
ALTER TABLE packages
    ADD COLUMN cost_currency char(3) CHECK (cost_currency ~ '^[A-Z]{3}$');

-- A closed or shipped package carries everything its close decided; shipped ones their time.
ALTER TABLE packages
    ADD CONSTRAINT packages_closed_complete CHECK (state = 'open' OR (weight_g IS NOT NULL
        AND chargeable_g IS NOT NULL AND carrier IS NOT NULL AND service IS NOT NULL
        AND sort_code IS NOT NULL AND route IS NOT NULL AND cost_minor IS NOT NULL
        AND cost_currency IS NOT NULL AND label IS NOT NULL AND closed_at IS NOT NULL)),
    ADD CONSTRAINT packages_shipped_at CHECK ((state = 'shipped') = (shipped_at IS NOT NULL));

-- One open package per order at a time: a pack station fills one box, closes it, opens the
-- next. (An open package that nobody closes would otherwise keep its order from being packed.)
CREATE UNIQUE INDEX packages_open_per_order ON packages (warehouse_id, order_id)
    WHERE state = 'open';

-- The dock finds a package by the tracking number on its label. Tracking numbers are unique
-- everywhere by their series (wms/tracking.h); the index holds it per warehouse, as a
-- distributed table's unique index must include the distribution column.
CREATE UNIQUE INDEX packages_warehouse_tracking ON packages (warehouse_id, tracking_number)
    WHERE tracking_number IS NOT NULL;

-- GET /v1/packages?state=: a warehouse's packages in one state, newest first.
CREATE INDEX packages_page ON packages (warehouse_id, state, created_at DESC, id DESC);

-- Pack scans touch only the warehouse's shard (the package, its items, the order's
-- reservations, the scan) and reference tables: Citus runs them on the worker holding it.
-- Opening, closing and ship scans also read or write the order (by seller), and closing the
-- coordinator's tracking series: they run on the coordinator, as order creation does.
INSERT INTO schema_delegation (function_name, argument, colocate_with) VALUES
    ('pack_scan', 'p_warehouse', 'packages');
