-- 008_pickups.sql — pickup scheduling: each hub's pickup settings and vehicles, the sellers'
-- pickup requests, and the planner's plans (issue 14).
--
-- A seller requests a collection at its site (address and coordinates, a ready window,
-- parcels, weight, volume), linked to the inbound shipment it collects. The platform plans a
-- hub's day (POST /v1/pickup-plans: routing/vrptw.h on a worker thread), publishes a plan
-- (each planned request gets its vehicle, stop and ETA window), and the driver's scan
-- collects a request: collected with its count, the shipment in transit, the pickup fee
-- posted on the seller's ledger (sql/functions/pickup_*.sql).

-- A hub's pickup settings: where it is, how far it collects, the travel model
-- (routing/travel.h: great-circle km × road_factor at speed_kmh), the time on site (stop_s
-- plus parcel_s per parcel), and its vehicles: [{code, capacity_g, capacity_cm3,
-- shift_start, shift_end ("HH:MM", the hub's local time), cost_per_vehicle, cost_per_km}]
-- (planning weights, not money posted). Replaced whole by PUT.
CREATE TABLE pickup_hubs (
    warehouse_id      uuid        NOT NULL REFERENCES warehouses (id),
    lat               double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon               double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    service_radius_km double precision NOT NULL CHECK (service_radius_km > 0 AND service_radius_km <= 1000),
    road_factor       double precision NOT NULL CHECK (road_factor >= 1 AND road_factor <= 5),
    speed_kmh         double precision NOT NULL CHECK (speed_kmh > 0 AND speed_kmh <= 200),
    stop_s            int         NOT NULL CHECK (stop_s BETWEEN 0 AND 7200),
    parcel_s          int         NOT NULL CHECK (parcel_s BETWEEN 0 AND 600),
    vehicles          jsonb       NOT NULL CHECK (jsonb_typeof(vehicles) = 'array'),
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (warehouse_id)
);

CREATE TABLE pickup_requests (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    seller_id      uuid        NOT NULL REFERENCES sellers (id),
    shipment_id    uuid        NOT NULL,
    state          text        NOT NULL DEFAULT 'requested'
                   CHECK (state IN ('requested', 'published', 'collected', 'cancelled')),
    address        text        NOT NULL CHECK (length(address) BETWEEN 1 AND 300),
    lat            double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon            double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    ready_from     timestamptz NOT NULL,
    ready_until    timestamptz NOT NULL,
    parcels        int         NOT NULL CHECK (parcels BETWEEN 1 AND 10000),
    weight_g       int         NOT NULL CHECK (weight_g BETWEEN 1 AND 100000000),
    volume_cm3     bigint      NOT NULL CHECK (volume_cm3 BETWEEN 0 AND 1000000000),
    -- the published plan's answer: the vehicle, its stop number and the ETA window
    plan_id        uuid,
    vehicle        text,
    stop_no        int,
    eta_from       timestamptz,
    eta_until      timestamptz,
    -- the collection (exactly once by scan_id)
    collected_parcels int,
    collected_at   timestamptz,
    collect_scan_id uuid,
    collect_hash   text,
    collect_answer jsonb,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    FOREIGN KEY (warehouse_id, shipment_id) REFERENCES inbound_shipments (warehouse_id, id),
    CHECK (ready_until > ready_from),
    CHECK ((state = 'published') = (plan_id IS NOT NULL AND eta_from IS NOT NULL AND state <> 'collected')
           OR state = 'collected'),
    CHECK ((state = 'collected') = (collected_at IS NOT NULL AND collected_parcels IS NOT NULL
                                    AND collect_scan_id IS NOT NULL))
);

-- The planner reads a hub's open requests by state and window; reads by id find the hub.
CREATE INDEX pickup_requests_open ON pickup_requests (warehouse_id, state, ready_from);
CREATE INDEX pickup_requests_id ON pickup_requests (id);
-- One open request per shipment.
CREATE UNIQUE INDEX pickup_requests_shipment ON pickup_requests (warehouse_id, shipment_id)
    WHERE state <> 'cancelled';

-- A plan of one hub's day (its local date): the solver's routes and the unassigned requests
-- with their reasons, as the endpoint answered them. Draft until published; publishing a
-- plan supersedes the day's earlier published plan.
CREATE TABLE pickup_plans (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    day            date        NOT NULL,
    state          text        NOT NULL DEFAULT 'draft'
                   CHECK (state IN ('draft', 'published', 'superseded')),
    doc            jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at   timestamptz,
    PRIMARY KEY (warehouse_id, id),
    CHECK ((state = 'draft') = (published_at IS NULL))
);
CREATE UNIQUE INDEX pickup_plans_published ON pickup_plans (warehouse_id, day)
    WHERE state = 'published';
CREATE INDEX pickup_plans_id ON pickup_plans (id);

-- ==== the distribution plan ====

INSERT INTO schema_distribution (position, table_name, kind, column_name, colocate_with) VALUES
    (60, 'pickup_hubs', 'distributed', 'warehouse_id', 'bins'),
    (61, 'pickup_requests', 'distributed', 'warehouse_id', 'bins'),
    (62, 'pickup_plans', 'distributed', 'warehouse_id', 'bins');

SELECT wms_distribute();
