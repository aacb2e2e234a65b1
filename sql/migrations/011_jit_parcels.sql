-- 011_jit_parcels.sql — a JIT parcel leaving its hub is a package of the hub, so carrier
-- tracking finds it, orders it and delivers its order as it does every shipped package.
--
-- A semi_jit order's parcel is packed by its seller, not in a warehouse: until now it existed
-- only as its JIT task (006), whose label carries the platform tracking number, and the
-- line-haul scan shipped the order without any row of packages — so the carrier's events for
-- that number were answered unknown_tracking_number, and the order was never delivered by
-- tracking. The line-haul scan now writes, for each parcel it ships, a shipped package at the
-- hub (sql/functions/jit_parcel_ship.sql): the task's tracking number, label and sort code,
-- the carrier and service of the route's first leg, the order's route and its cost. From
-- there on tracking_ingest() is the one home of the rule for both kinds of parcel.

-- A JIT parcel has no box of the platform's (the seller packed it): no package type, and
-- instead the task it carries. Exactly one of the two.
ALTER TABLE packages
    ALTER COLUMN package_type DROP NOT NULL,
    ADD COLUMN jit_task_id uuid,
    ADD CONSTRAINT packages_jit_parcel CHECK ((jit_task_id IS NULL) = (package_type IS NOT NULL));

-- One package per task (the line-haul scan's insert meets a twin with ON CONFLICT); the
-- task's reads find their parcel by it. The hub is the distribution column.
CREATE UNIQUE INDEX packages_jit_task ON packages (warehouse_id, jit_task_id)
    WHERE jit_task_id IS NOT NULL;
