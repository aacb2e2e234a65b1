-- 006_jit.sql — JIT (semi_jit): per-order tasks for the seller, who ships each order's parcel
-- to a platform consolidation hub by a hand-over deadline derived from the promise.
--
-- A semi_jit order is not allocated: order_create stores it `created` at the chosen hub
-- (orders.warehouse_id) with the promise and the route from the hub, and writes its task here,
-- on the hub's shard. The task's states are wms/jit.h's table; its deadline is the latest hub
-- receipt from which the route engine still meets the promise at the same cost class
-- (routing/handover.h), stored in UTC with the hub's IANA zone and the explanation of which
-- departure it aims for (`deadline_basis`).

-- The consolidation hubs a seller may ship its JIT parcels to. A seller with no row may use
-- every consolidation hub of its country.
CREATE TABLE seller_jit_hubs (
    seller_id      uuid        NOT NULL REFERENCES sellers (id),
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    PRIMARY KEY (seller_id, warehouse_id)
);

CREATE TABLE jit_tasks (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id), -- the consolidation hub
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    seller_id      uuid        NOT NULL,
    order_id       uuid        NOT NULL,
    client_order_id text       NOT NULL,
    state          text        NOT NULL DEFAULT 'created' CHECK (state IN ('created',
                       'label_printed', 'bound', 'in_transit_to_hub', 'received_at_hub',
                       'consolidated', 'shipped', 'overdue', 'exception', 'cancelled')),
    -- the hand-over deadline: the latest receipt at the hub that keeps the promise
    handover_deadline timestamptz NOT NULL,
    time_zone      text        NOT NULL,  -- the hub's IANA zone when the task was made
    deadline_basis jsonb       NOT NULL,  -- how it was found: departure aimed for, hubs compared
    promise_deadline timestamptz NOT NULL,
    at_risk        boolean     NOT NULL DEFAULT false,
    -- the label: the platform's tracking number and the hub's sort code
    tracking_number text       CHECK (length(tracking_number) BETWEEN 1 AND 30),
    sort_code      text        CHECK (length(sort_code) BETWEEN 1 AND 10),
    label          text,
    label_printed_at timestamptz,
    -- receipt at the hub
    received_at    timestamptz,
    late           boolean,
    requote        jsonb,     -- the route re-quoted from a late receipt
    exception_reason text      CHECK (exception_reason IN ('wrong_item', 'wrong_quantity',
                       'no_readable_label', 'damaged')),
    exception_detail jsonb,   -- {expected, found, note}
    -- the first-mile consignment it is bound to, the hub's bag, the line-haul hand-over
    consignment_id uuid,
    bag_id         uuid,
    shipped_at     timestamptz,
    departure      jsonb,     -- the line-haul departure it left on: {aimed, at}
    overdue_at     timestamptz,
    cancelled_at   timestamptz,
    cancel_reason  text        CHECK (length(cancel_reason) BETWEEN 1 AND 200),
    version        int         NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    CONSTRAINT jit_tasks_order UNIQUE (warehouse_id, order_id),
    CHECK ((state = 'exception') = (exception_reason IS NOT NULL)),
    CHECK (state NOT IN ('received_at_hub', 'consolidated', 'shipped') OR received_at IS NOT NULL),
    CHECK (state NOT IN ('label_printed', 'bound', 'in_transit_to_hub') OR label IS NOT NULL),
    CHECK (state NOT IN ('bound', 'in_transit_to_hub') OR consignment_id IS NOT NULL),
    CHECK (state NOT IN ('consolidated', 'shipped') OR bag_id IS NOT NULL),
    CHECK ((state = 'shipped') = (shipped_at IS NOT NULL))
);

CREATE INDEX jit_tasks_id ON jit_tasks (id);
-- the seller's list, newest first
CREATE INDEX jit_tasks_seller_page ON jit_tasks (seller_id, created_at DESC, id DESC);
-- the hub's list and the overdue sweep: by state, most urgent first
CREATE INDEX jit_tasks_due ON jit_tasks (warehouse_id, state, handover_deadline, id);
-- the hub finds a parcel by the tracking number on its label
CREATE UNIQUE INDEX jit_tasks_tracking ON jit_tasks (warehouse_id, tracking_number)
    WHERE tracking_number IS NOT NULL;

-- A seller's first-mile consignment: up to 50 labelled tasks for one hub, handed over as one
-- (picked up by the platform, dropped off at the hub, or sent with the seller's own courier
-- under its tracking number).
CREATE TABLE jit_consignments (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id), -- the hub
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    seller_id      uuid        NOT NULL,
    handover       text        NOT NULL CHECK (handover IN ('pickup', 'drop_off', 'own_courier')),
    carrier        text        CHECK (length(carrier) BETWEEN 1 AND 64),
    tracking_number text       CHECK (tracking_number ~ '^[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?$'),
    state          text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'dispatched')),
    tasks          int         NOT NULL CHECK (tasks BETWEEN 1 AND 50),
    dispatched_at  timestamptz,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    CHECK ((handover = 'own_courier') = (tracking_number IS NOT NULL AND carrier IS NOT NULL)),
    CHECK ((state = 'dispatched') = (dispatched_at IS NOT NULL))
);
CREATE INDEX jit_consignments_id ON jit_consignments (id);

-- A hub's bag: received parcels consolidated under one SSCC, closed, handed to the line-haul.
CREATE TABLE jit_bags (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    sscc           char(18)    NOT NULL CHECK (sscc ~ '^[0-9]{18}$'),
    state          text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'shipped')),
    parcels        int         NOT NULL DEFAULT 0 CHECK (parcels >= 0),
    closed_at      timestamptz,
    shipped_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    CONSTRAINT jit_bags_sscc UNIQUE (warehouse_id, sscc),
    CHECK (state = 'open' OR (closed_at IS NOT NULL AND parcels > 0)),
    CHECK ((state = 'shipped') = (shipped_at IS NOT NULL))
);
CREATE INDEX jit_tasks_bag ON jit_tasks (warehouse_id, bag_id) WHERE bag_id IS NOT NULL;

ALTER TABLE scans DROP CONSTRAINT scans_kind_check;
ALTER TABLE scans ADD CONSTRAINT scans_kind_check
    CHECK (kind IN ('receiving', 'putaway', 'pick', 'pack', 'ship', 'hub_receipt', 'bag',
                    'linehaul'));

INSERT INTO schema_distribution (position, table_name, kind, column_name, colocate_with) VALUES
    (25, 'seller_jit_hubs', 'reference', NULL, NULL),
    (26, 'jit_tasks', 'distributed', 'warehouse_id', 'bins'),
    (27, 'jit_consignments', 'distributed', 'warehouse_id', 'bins'),
    (28, 'jit_bags', 'distributed', 'warehouse_id', 'bins');

SELECT wms_distribute();
