-- 002_outbound.sql — outbound: buyers' orders and their escrow (by seller), and the warehouse's
-- work on them (by warehouse): reservations, pick lists, packages; reserved stock on hand;
-- package types and tracking-number series (reference data).
--
-- An order is the seller's and the buyer's record: its state (wms/order.h), lines, the amount
-- paid and held in escrow, the fulfillment centre it was allocated to with the promise and
-- the route. What the warehouse does with it lives on the warehouse's shard: which units of
-- which bin and lot are reserved for which line (order_reservations), the pick list an order
-- was batched into, the packages it was packed in.

-- ==== reserved stock ====

-- Units of a row promised to orders and not yet picked out of it (a pick moves them, still
-- reserved, into the warehouse's PACKING bin; shipping takes them out). Reserved never
-- exceeds what is there, so reserved ≤ sellable holds in every (warehouse, SKU, bin, lot,
-- status) at every commit.
ALTER TABLE inventory_onhand
    ADD COLUMN reserved bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT inventory_onhand_reserved CHECK (reserved >= 0 AND reserved <= qty);

ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_reason_check;
ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_reason_check
    CHECK (reason IN ('inbound_receipt', 'putaway', 'adjustment', 'pick', 'ship',
                      'return_receipt', 'stock_issue'));

-- What allocation reads: sellable stock by SKU.
CREATE INDEX inventory_onhand_sku ON inventory_onhand (sku_id, warehouse_id) WHERE status = 'sellable';

-- ==== orders (by seller) ====

CREATE TABLE orders (
    seller_id      uuid        NOT NULL REFERENCES sellers (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- the platform's id of the order: unique per seller, and the idempotency key of creation
    client_order_id text       NOT NULL CHECK (client_order_id ~ '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$'),
    request_hash   text        NOT NULL,  -- of the creating request: a reuse with another body is 422
    mode           text        NOT NULL CHECK (mode IN ('pop', 'semi_jit', 'semi_warehouse', 'full')),
    state          text        NOT NULL CHECK (state IN ('created', 'allocated', 'picking', 'packed',
                       'shipped', 'delivered', 'on_hold', 'cancelled', 'unfulfillable')),
    held_from      text        CHECK (held_from IN ('created', 'allocated')),
    hold_reason    text        CHECK (length(hold_reason) BETWEEN 1 AND 200),
    cancel_reason  text        CHECK (length(cancel_reason) BETWEEN 1 AND 200),
    destination    jsonb       NOT NULL,  -- {name, country, postal_code, city, address, phone}
    country        char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    currency       char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount_paid    bigint      NOT NULL CHECK (amount_paid BETWEEN 0 AND 100000000000),
    -- the buyer's payment: held until the buyer confirms receipt (released to the seller
    -- through the ledger), refunded when the order is cancelled or cannot be fulfilled
    escrow         text        NOT NULL DEFAULT 'held' CHECK (escrow IN ('held', 'released', 'refunded')),
    refunded       bigint      NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount_paid),
    placed_at      timestamptz NOT NULL,
    -- allocation: the fulfillment centre, the promise and the route chosen
    warehouse_id   uuid        REFERENCES warehouses (id),
    promise_deadline timestamptz,
    p_on_time      numeric(5, 4),
    at_risk        boolean     NOT NULL DEFAULT false,
    route          jsonb,
    unfulfillable  jsonb,      -- [{line, sku, reason, detail}]
    pick_list_id   uuid,
    -- the carrier and tracking number it left with (pop: the seller's)
    carrier        text        CHECK (length(carrier) BETWEEN 1 AND 64),
    tracking_number text       CHECK (length(tracking_number) BETWEEN 1 AND 64),
    version        int         NOT NULL DEFAULT 0,
    allocated_at   timestamptz,
    shipped_at     timestamptz,
    delivered_at   timestamptz,
    cancelled_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (seller_id, id),
    CONSTRAINT orders_client_order_id UNIQUE (seller_id, client_order_id),
    CHECK ((state = 'on_hold') = (held_from IS NOT NULL)),
    CHECK (state NOT IN ('allocated', 'picking', 'packed') OR warehouse_id IS NOT NULL)
);

CREATE INDEX orders_id ON orders (id);

CREATE INDEX orders_page ON orders (created_at DESC, id DESC);

CREATE INDEX orders_seller_page ON orders (seller_id, created_at DESC, id DESC);

CREATE INDEX orders_warehouse_page ON orders (warehouse_id, created_at DESC, id DESC)
    WHERE warehouse_id IS NOT NULL;

-- The warehouse's next work: allocated orders on no pick list, most urgent first.
CREATE INDEX orders_to_pick ON orders (warehouse_id, promise_deadline, created_at)
    WHERE state = 'allocated' AND pick_list_id IS NULL;

CREATE TABLE order_lines (
    seller_id      uuid        NOT NULL,
    order_id       uuid        NOT NULL,
    line_no        int         NOT NULL CHECK (line_no BETWEEN 1 AND 100),
    sku_id         uuid        NOT NULL,
    qty            int         NOT NULL CHECK (qty BETWEEN 1 AND 10000),
    unit_price     bigint      NOT NULL CHECK (unit_price BETWEEN 0 AND 10000000000),
    supply_price   bigint      CHECK (supply_price BETWEEN 0 AND 10000000000), -- full: per unit
    short          int         NOT NULL DEFAULT 0 CHECK (short >= 0 AND short <= qty),
    PRIMARY KEY (seller_id, order_id, line_no),
    FOREIGN KEY (seller_id, order_id) REFERENCES orders (seller_id, id),
    FOREIGN KEY (seller_id, sku_id) REFERENCES skus (seller_id, id)
);

-- ==== the warehouse's work (by warehouse) ====

-- Units reserved for an order line from one bin, lot and expiry; picked counts those taken
-- out of the bin (into PACKING), packed those in packages.
CREATE TABLE order_reservations (
    warehouse_id   uuid        NOT NULL,
    order_id       uuid        NOT NULL,
    line_no        int         NOT NULL,
    bin_id         uuid        NOT NULL,
    lot            text        NOT NULL DEFAULT '' CHECK (length(lot) <= 20),
    expiry         date        NOT NULL DEFAULT 'infinity',
    seller_id      uuid        NOT NULL,
    sku_id         uuid        NOT NULL,
    qty            int         NOT NULL CHECK (qty > 0),
    picked         int         NOT NULL DEFAULT 0 CHECK (picked >= 0 AND picked <= qty),
    PRIMARY KEY (warehouse_id, order_id, line_no, bin_id, lot, expiry),
    FOREIGN KEY (warehouse_id, bin_id) REFERENCES bins (warehouse_id, id)
);

CREATE INDEX order_reservations_bin ON order_reservations (warehouse_id, sku_id, bin_id, lot, expiry);

-- Allocated orders batched for one walk through the warehouse, claimed by one operator.
CREATE TABLE pick_lists (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    state          text        NOT NULL DEFAULT 'picking' CHECK (state IN ('picking', 'released', 'done')),
    key_id         uuid,       -- the operator's key while picking
    orders         uuid[]      NOT NULL CHECK (cardinality(orders) BETWEEN 1 AND 100),
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    done_at        timestamptz,
    PRIMARY KEY (warehouse_id, id)
);

CREATE INDEX pick_lists_released ON pick_lists (warehouse_id, created_at) WHERE state = 'released';

-- Box sizes of the pack stations (reference data): inner dimensions and the empty box's
-- weight.
CREATE TABLE package_types (
    code           text        NOT NULL PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    length_mm      int         NOT NULL CHECK (length_mm BETWEEN 1 AND 10000),
    width_mm       int         NOT NULL CHECK (width_mm BETWEEN 1 AND 10000),
    height_mm      int         NOT NULL CHECK (height_mm BETWEEN 1 AND 10000),
    tare_g         int         NOT NULL CHECK (tare_g BETWEEN 0 AND 100000),
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

INSERT INTO package_types (code, name, length_mm, width_mm, height_mm, tare_g) VALUES
    ('POLY-S', 'poly mailer, small', 250, 180, 30, 20),
    ('BOX-S', 'carton, small', 200, 150, 100, 120),
    ('BOX-M', 'carton, medium', 300, 250, 150, 250),
    ('BOX-L', 'carton, large', 450, 350, 250, 450);

-- Tracking numbers of one carrier service: the format (wms/tracking.h: s10 for postal
-- services, mod10 for couriers), its prefix (S10 service indicator or carrier prefix), the
-- S10 issuing country, and the next serial of the range the carrier assigned.
CREATE TABLE tracking_series (
    carrier_code   text        NOT NULL,
    service_code   text        NOT NULL,
    format         text        NOT NULL CHECK (format IN ('s10', 'mod10')),
    prefix         text        NOT NULL CHECK (prefix ~ '^[A-Z0-9]{2,4}$'),
    country        char(2)     CHECK (country ~ '^[A-Z]{2}$'),
    next_serial    bigint      NOT NULL CHECK (next_serial >= 0),
    last_serial    bigint      NOT NULL,
    PRIMARY KEY (carrier_code, service_code),
    FOREIGN KEY (carrier_code, service_code) REFERENCES carrier_services ON UPDATE CASCADE ON DELETE CASCADE,
    CHECK ((format = 's10') = (country IS NOT NULL)),
    CHECK (format <> 's10' OR prefix ~ '^[A-Z]{2}$'),
    CHECK (last_serial <= CASE format WHEN 's10' THEN 99999999 ELSE 9999999999 END),
    CHECK (next_serial <= last_serial + 1)
);

-- A package of one order: packed at a station, closed with its measured weight (then quoted,
-- numbered and labelled), handed over at the dock.
CREATE TABLE packages (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    order_id       uuid        NOT NULL,
    seller_id      uuid        NOT NULL,
    package_type   text        NOT NULL REFERENCES package_types (code),
    state          text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'shipped')),
    weight_g       int         CHECK (weight_g BETWEEN 1 AND 1000000),
    chargeable_g   int,
    carrier        text,
    service        text,
    tracking_number text       CHECK (length(tracking_number) BETWEEN 1 AND 64),
    sort_code      text,
    route          jsonb,
    cost_minor     bigint,
    label          text,       -- ZPL II
    closed_at      timestamptz,
    shipped_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    CHECK ((state = 'open') = (tracking_number IS NULL))
);

CREATE INDEX packages_id ON packages (id);

CREATE INDEX packages_order ON packages (warehouse_id, order_id);

CREATE INDEX packages_tracking ON packages (tracking_number) WHERE tracking_number IS NOT NULL;

CREATE TABLE package_items (
    warehouse_id   uuid        NOT NULL,
    package_id     uuid        NOT NULL,
    line_no        int         NOT NULL,
    qty            int         NOT NULL CHECK (qty > 0),
    PRIMARY KEY (warehouse_id, package_id, line_no),
    FOREIGN KEY (warehouse_id, package_id) REFERENCES packages (warehouse_id, id)
);

ALTER TABLE scans DROP CONSTRAINT scans_kind_check;
ALTER TABLE scans ADD CONSTRAINT scans_kind_check
    CHECK (kind IN ('receiving', 'putaway', 'pick', 'pack', 'ship'));

-- ==== the distribution plan ====

INSERT INTO schema_distribution (position, table_name, kind, column_name, colocate_with) VALUES
    (9, 'package_types', 'reference', NULL, NULL),
    (19, 'order_reservations', 'distributed', 'warehouse_id', 'bins'),
    (20, 'pick_lists', 'distributed', 'warehouse_id', 'bins'),
    (21, 'packages', 'distributed', 'warehouse_id', 'bins'),
    (22, 'package_items', 'distributed', 'warehouse_id', 'bins'),
    (31, 'orders', 'distributed', 'seller_id', 'seller_ledger'),
    (32, 'order_lines', 'distributed', 'seller_id', 'seller_ledger'),
    (47, 'tracking_series', 'local', NULL, NULL);

SELECT wms_distribute();
