-- 001_schema.sql — the baseline: every table, sequence, index and constraint, and the seed
-- data, in dependency order. (Functions live in sql/functions/, one definition each; wmsd
-- migrate applies them after the migrations, again whenever a file changes.) Operational
-- tables lead their primary key with warehouse_id (stock) or seller_id (money), their
-- distribution columns on Citus.

-- The warehouse argument of a function delegated to the worker that holds the warehouse's
-- rows: a NULL there would crash Citus's routing, so it is a domain that refuses NULL.
CREATE DOMAIN warehouse_ref AS uuid NOT NULL;

-- Functions the tables' CHECK constraints call: part of the schema.

-- The fee types of the engine (wms/fees.h fee_type_name), for waiver sets.
CREATE FUNCTION fee_types() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['commission', 'payment_fee', 'pickup_fee', 'inbound_operation',
                 'outbound_operation', 'storage_rent', 'return_handling', 'advance',
                 'advance_recovery', 'sale_proceeds', 'supply_payment']
$$;

CREATE FUNCTION is_time_zone(tz text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF tz IS NULL OR tz !~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$' THEN
        RETURN false;
    END IF;
    PERFORM now() AT TIME ZONE tz;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END $$;

-- Minutes of the week (0 = Monday 00:00 local … 10079), distinct.
CREATE FUNCTION minutes_of_week_ok(m int[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT cardinality(m) BETWEEN 1 AND 2016
       AND (SELECT bool_and(x BETWEEN 0 AND 10079) AND count(DISTINCT x) = count(*) FROM unnest(m) x)
$$;

-- Histogram weights per hour (element i = "takes i hours"): finite, ≥ 0, some > 0.
CREATE FUNCTION hist_ok(h float8[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT h IS NULL OR (cardinality(h) BETWEEN 1 AND 2000
       AND (SELECT bool_and(x >= 0 AND x < 'Infinity') AND sum(x) > 0 FROM unnest(h) x))
$$;

-- Quantiles: first p = 0, last p = 1, p strictly and hours weakly increasing, hours ≥ 0.
CREATE FUNCTION quantiles_ok(p float8[], hours float8[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT p IS NULL OR (cardinality(p) BETWEEN 2 AND 100 AND cardinality(p) = cardinality(hours)
       AND p[1] = 0 AND p[cardinality(p)] = 1 AND hours[1] >= 0 AND hours[cardinality(p)] <= 2000
       AND (SELECT bool_and(p[i] > p[i - 1] AND hours[i] >= hours[i - 1])
            FROM generate_subscripts(p, 1) i WHERE i > 1))
$$;

-- ==== reference data: warehouses, bins, sellers, SKUs, carriers; API keys ====

CREATE TABLE warehouses (
    id           uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    code         text        NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    country      char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    time_zone    text        NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    kind         text        NOT NULL CHECK (kind IN ('consolidation_hub', 'fulfillment_center', 'returns_center')),
    over_receipt_tolerance_bp int NOT NULL DEFAULT 1000 CHECK (over_receipt_tolerance_bp BETWEEN 0 AND 100000),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX warehouses_page ON warehouses (created_at DESC, id DESC);

CREATE TABLE bins (
    warehouse_id uuid        NOT NULL REFERENCES warehouses (id),
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    code         text        NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'),
    zone         text        NOT NULL CHECK (length(zone) BETWEEN 1 AND 32),
    kind         text        NOT NULL DEFAULT 'storage'
                             CHECK (kind IN ('storage', 'receiving', 'quarantine', 'staging', 'returns')),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    UNIQUE (warehouse_id, code)
);

CREATE INDEX bins_page ON bins (warehouse_id, created_at DESC, id DESC);

CREATE TABLE sellers (
    id           uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    code         text        NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    country      char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    currency     char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX sellers_page ON sellers (created_at DESC, id DESC);

CREATE TABLE skus (
    seller_id    uuid        NOT NULL REFERENCES sellers (id),
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    sku_code     text        NOT NULL CHECK (sku_code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
    gtin         char(14)    CHECK (gtin ~ '^[0-9]{14}$'),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category     text        NOT NULL CHECK (category ~ '^[a-z0-9][a-z0-9_]{0,63}$'),
    weight_g     int         NOT NULL CHECK (weight_g BETWEEN 1 AND 1000000),
    length_mm    int         NOT NULL CHECK (length_mm BETWEEN 1 AND 10000),
    width_mm     int         NOT NULL CHECK (width_mm BETWEEN 1 AND 10000),
    height_mm    int         NOT NULL CHECK (height_mm BETWEEN 1 AND 10000),
    declared_value bigint    NOT NULL CHECK (declared_value BETWEEN 0 AND 100000000000),
    currency     char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    popular      boolean     NOT NULL DEFAULT false,
    -- receiving refuses (asks to confirm, then quarantines) units expiring sooner
    min_shelf_life_days int  CHECK (min_shelf_life_days BETWEEN 1 AND 3650),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (seller_id, id),
    UNIQUE (seller_id, sku_code),
    CONSTRAINT skus_gtin_per_seller UNIQUE (seller_id, gtin)
);

CREATE INDEX skus_page ON skus (seller_id, created_at DESC, id DESC);

CREATE TABLE carriers (
    code         text        NOT NULL PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE api_keys (
    id           uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    hash         bytea       NOT NULL UNIQUE CHECK (length(hash) = 32),
    role         text        NOT NULL CHECK (role IN ('admin', 'platform', 'seller', 'staff', 'carrier')),
    seller_id    uuid        REFERENCES sellers (id),
    warehouse_id uuid        REFERENCES warehouses (id),
    carrier_code text        REFERENCES carriers (code),
    label        text        NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at   timestamptz,
    CHECK ((role = 'seller') = (seller_id IS NOT NULL)),
    CHECK ((role = 'staff') = (warehouse_id IS NOT NULL)),
    CHECK ((role = 'carrier') = (carrier_code IS NOT NULL))
);

-- ==== list filters of the reference data ====

CREATE INDEX bins_zone_page ON bins (warehouse_id, zone, created_at DESC, id DESC);

CREATE INDEX skus_category_page ON skus (seller_id, category, created_at DESC, id DESC);

-- ==== inbound shipments, scans, the inventory ledger, idempotency keys, the seller ledger ====

CREATE TABLE inbound_shipments (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    seller_id      uuid        NOT NULL REFERENCES sellers (id),
    -- the human ASN number: random (40 bits, as 10 upper-case hex digits), so that a seller
    -- learns nothing of the platform's booking volume from its own numbers, and no counter
    -- is shared between nodes or tenants
    asn            text        NOT NULL DEFAULT 'ASN-' || upper(left(replace(gen_random_uuid()::text, '-', ''), 10))
                   CHECK (asn ~ '^ASN-[0-9A-F]{10}$'),
    mode           text        NOT NULL CHECK (mode IN ('semi_warehouse', 'full')),
    state          text        NOT NULL DEFAULT 'booked'
                   CHECK (state IN ('booked', 'in_transit', 'arrived', 'receiving', 'closed', 'cancelled')),
    handover       text        NOT NULL CHECK (handover IN ('drop_off', 'pickup')),
    expected_arrival date,                 -- drop_off
    pickup_address jsonb,                  -- pickup: kept for the pickup planner
    pickup_ready_from  timestamptz,
    pickup_ready_until timestamptz,
    carrier        text        CHECK (length(carrier) BETWEEN 1 AND 64),
    tracking_number text       CHECK (length(tracking_number) BETWEEN 1 AND 64),
    version        int         NOT NULL DEFAULT 0,  -- bumped by every accepted scan
    discrepancy    jsonb,                  -- the close report
    booked_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    in_transit_at  timestamptz,
    arrived_at     timestamptz,
    receiving_at   timestamptz,
    closed_at      timestamptz,
    cancelled_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    UNIQUE (warehouse_id, asn),
    CHECK ((handover = 'drop_off') = (expected_arrival IS NOT NULL)),
    CHECK ((handover = 'pickup') = (pickup_address IS NOT NULL AND pickup_ready_from IS NOT NULL
                                    AND pickup_ready_until IS NOT NULL)),
    CHECK (pickup_ready_until IS NULL OR pickup_ready_until > pickup_ready_from)
);

CREATE INDEX inbound_shipments_id ON inbound_shipments (id);

CREATE INDEX inbound_shipments_asn ON inbound_shipments (asn);

CREATE INDEX inbound_shipments_seller_page ON inbound_shipments (seller_id, created_at DESC, id DESC);

CREATE INDEX inbound_shipments_wh_page ON inbound_shipments (warehouse_id, created_at DESC, id DESC);

CREATE TABLE inbound_lines (
    warehouse_id   uuid        NOT NULL,
    shipment_id    uuid        NOT NULL,
    line_no        int         NOT NULL CHECK (line_no >= 1),
    seller_id      uuid        NOT NULL,
    sku_id         uuid        NOT NULL,
    lot            text        CHECK (length(lot) BETWEEN 1 AND 20),
    expiry         date,
    expected       int         NOT NULL CHECK (expected BETWEEN 0 AND 100000),
    unexpected     boolean     NOT NULL DEFAULT false, -- received but not on the ASN
    received_good  int         NOT NULL DEFAULT 0 CHECK (received_good >= 0),
    received_damaged int       NOT NULL DEFAULT 0 CHECK (received_damaged >= 0),
    received_expired int       NOT NULL DEFAULT 0 CHECK (received_expired >= 0), -- confirmed, quarantined
    PRIMARY KEY (warehouse_id, shipment_id, line_no),
    FOREIGN KEY (warehouse_id, shipment_id) REFERENCES inbound_shipments (warehouse_id, id),
    FOREIGN KEY (seller_id, sku_id) REFERENCES skus (seller_id, id),
    CONSTRAINT inbound_lines_sku_lot UNIQUE NULLS NOT DISTINCT (warehouse_id, shipment_id, sku_id, lot),
    CHECK (unexpected = (expected = 0))
);

-- What a shipment's lines received, per lot, expiry and stock status: what close turns
-- into stock. A line with a lot receives only that lot; a line without one records the lot
-- each scan carried. No lot is '' and no expiry 'infinity' (keys cannot hold NULL), as in
-- the stock tables.
CREATE TABLE inbound_receipts (
    warehouse_id   uuid        NOT NULL,
    shipment_id    uuid        NOT NULL,
    line_no        int         NOT NULL,
    lot            text        NOT NULL DEFAULT '' CHECK (length(lot) <= 20),
    expiry         date        NOT NULL DEFAULT 'infinity',
    status         text        NOT NULL CHECK (status IN ('sellable', 'quarantine')),
    qty            int         NOT NULL CHECK (qty > 0),
    PRIMARY KEY (warehouse_id, shipment_id, line_no, lot, expiry, status),
    FOREIGN KEY (warehouse_id, shipment_id, line_no)
        REFERENCES inbound_lines (warehouse_id, shipment_id, line_no)
);

CREATE TABLE inbound_cartons (
    warehouse_id   uuid        NOT NULL,
    sscc           char(18)    NOT NULL CHECK (sscc ~ '^[0-9]{18}$'),
    shipment_id    uuid        NOT NULL,
    PRIMARY KEY (warehouse_id, sscc),
    FOREIGN KEY (warehouse_id, shipment_id) REFERENCES inbound_shipments (warehouse_id, id)
);

CREATE INDEX inbound_cartons_sscc ON inbound_cartons (sscc);

CREATE TABLE inbound_carton_lines (
    warehouse_id   uuid        NOT NULL,
    sscc           char(18)    NOT NULL,
    shipment_id    uuid        NOT NULL,
    line_no        int         NOT NULL,
    qty            int         NOT NULL CHECK (qty BETWEEN 1 AND 100000),
    PRIMARY KEY (warehouse_id, sscc, line_no),
    FOREIGN KEY (warehouse_id, sscc) REFERENCES inbound_cartons (warehouse_id, sscc),
    FOREIGN KEY (warehouse_id, shipment_id, line_no) REFERENCES inbound_lines (warehouse_id, shipment_id, line_no)
);

-- One row per accepted scan (receiving or putaway): the device's scan_id makes
-- a scan count exactly once; response is the answer given, replayed on repeats.
CREATE TABLE scans (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    scan_id        uuid        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('receiving', 'putaway')),
    shipment_id    uuid,
    key_id         uuid        NOT NULL,
    request_hash   text        NOT NULL,  -- of what the scan said: a reuse with another body is refused
    response       jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, scan_id)
);

-- Inventory: the movement ledger is the truth; on-hand is maintained with it
-- in the same transaction and never goes negative. Stock is kept per lot and
-- expiry (no lot: '', no expiry: 'infinity', which sorts last for
-- first-expired-first-out).
CREATE TABLE inventory_onhand (
    warehouse_id   uuid        NOT NULL,
    seller_id      uuid        NOT NULL,
    sku_id         uuid        NOT NULL,
    bin_id         uuid        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('sellable', 'quarantine')),
    lot            text        NOT NULL DEFAULT '' CHECK (length(lot) <= 20),
    expiry         date        NOT NULL DEFAULT 'infinity',
    qty            bigint      NOT NULL CHECK (qty >= 0),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, sku_id, bin_id, status, lot, expiry),
    FOREIGN KEY (warehouse_id, bin_id) REFERENCES bins (warehouse_id, id),
    FOREIGN KEY (seller_id, sku_id) REFERENCES skus (seller_id, id)
);

CREATE INDEX inventory_onhand_seller ON inventory_onhand (seller_id, sku_id);

CREATE TABLE inventory_movements (
    warehouse_id   uuid        NOT NULL,
    id             bigint      GENERATED ALWAYS AS IDENTITY,
    seller_id      uuid        NOT NULL,
    sku_id         uuid        NOT NULL,
    qty            bigint      NOT NULL CHECK (qty > 0),
    from_bin_id    uuid,
    from_status    text        CHECK (from_status IN ('sellable', 'quarantine')),
    to_bin_id      uuid,
    to_status      text        CHECK (to_status IN ('sellable', 'quarantine')),
    lot            text        NOT NULL DEFAULT '' CHECK (length(lot) <= 20),
    expiry         date        NOT NULL DEFAULT 'infinity',
    reason         text        NOT NULL CHECK (reason IN ('inbound_receipt', 'putaway', 'adjustment',
                                                         'pick', 'ship', 'return_receipt')),
    ref_type       text        NOT NULL,   -- 'inbound_shipment', 'scan', ...
    ref_id         text        NOT NULL,
    key_id         uuid,                   -- who (the API key), NULL for the system
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, id),
    CHECK (from_bin_id IS NOT NULL OR to_bin_id IS NOT NULL),
    CHECK ((from_bin_id IS NULL) = (from_status IS NULL)),
    CHECK ((to_bin_id IS NULL) = (to_status IS NULL))
);

CREATE INDEX inventory_movements_seller ON inventory_movements (seller_id, id DESC);

-- Idempotency-Key of create endpoints (DESIGN §4): scope is the caller
-- ('seller:<id>' or 'key:<id>'); request_hash is SHA-256 of method, path and
-- body; status and response are the answer given, replayed on a repeat.
CREATE TABLE idempotency_keys (
    scope          text        NOT NULL,
    key            text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash   text        NOT NULL,
    status         int         NOT NULL,
    response       jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (scope, key)
);

-- The seller ledger (append-only): fee lines, advances, recoveries, sale
-- settlements. Amounts are minor units, never negative; direction carries
-- the sign (debit: the seller owes; credit: the seller is owed). Lines
-- written by one event carry the same (event_type, event_id) and a line
-- number, which makes a retried event unable to post twice.
CREATE TABLE seller_ledger (
    seller_id      uuid        NOT NULL REFERENCES sellers (id),
    id             bigint      GENERATED ALWAYS AS IDENTITY,
    event_type     text        NOT NULL CHECK (event_type IN ('inbound_close', 'pickup', 'storage_day',
                                                             'outbound', 'return', 'sale')),
    event_id       text        NOT NULL,
    line_no        int         NOT NULL CHECK (line_no >= 1),
    event_at       timestamptz NOT NULL,
    fee_type       text        NOT NULL CHECK (fee_type IN ('commission', 'payment_fee', 'pickup_fee',
                       'inbound_operation', 'outbound_operation', 'storage_rent', 'return_handling',
                       'advance', 'advance_recovery', 'sale_proceeds', 'supply_payment')),
    direction      text        NOT NULL CHECK (direction IN ('debit', 'credit')),
    treatment      text        NOT NULL CHECK (treatment IN ('charged', 'waived', 'reduced',
                                                            'platform_borne', 'free_period')),
    gross          bigint      NOT NULL CHECK (gross >= 0),
    waived         bigint      NOT NULL CHECK (waived >= 0),
    net            bigint      NOT NULL CHECK (net >= 0),
    currency       char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    mode           text        NOT NULL CHECK (mode IN ('pop', 'semi_jit', 'semi_warehouse', 'full')),
    policy_id      bigint,
    policy_version int,
    schedule_id    bigint,
    schedule_version int,
    warehouse_id   uuid,
    sku_id         uuid,
    reason         text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (seller_id, id),
    CONSTRAINT seller_ledger_event_line UNIQUE (seller_id, event_type, event_id, line_no),
    CHECK (net = gross - waived)
);

CREATE INDEX seller_ledger_period ON seller_ledger (seller_id, event_at);

-- ==== reading shipments ====

-- Reading a shipment's cartons and carton lines goes by shipment.
CREATE INDEX inbound_cartons_shipment ON inbound_cartons (warehouse_id, shipment_id);

CREATE INDEX inbound_carton_lines_shipment ON inbound_carton_lines (warehouse_id, shipment_id);

-- ==== receiving and putaway reads ====

-- Putaway finds SKUs by GTIN across sellers; the movement list of admins
-- pages by id over every warehouse.
CREATE INDEX skus_gtin ON skus (gtin);

CREATE INDEX inventory_movements_page ON inventory_movements (id DESC);

-- ==== fees: the schedule and the per-mode policies, as effective-dated versions ====

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE fee_schedules (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version        int         NOT NULL UNIQUE CHECK (version >= 1),
    valid_from     timestamptz NOT NULL CHECK (valid_from = date_trunc('second', valid_from)),
    valid_to       timestamptz CHECK (valid_to = date_trunc('second', valid_to)),
    currency       char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    commission_default_bp int  NOT NULL CHECK (commission_default_bp BETWEEN 0 AND 10000),
    payment_fee_bp int         NOT NULL CHECK (payment_fee_bp BETWEEN 0 AND 10000),
    pickup_fixed   bigint      NOT NULL CHECK (pickup_fixed >= 0),
    pickup_per_kg  bigint      NOT NULL CHECK (pickup_per_kg >= 0),
    inbound_op_per_unit bigint NOT NULL CHECK (inbound_op_per_unit >= 0),
    outbound_op_per_unit bigint NOT NULL CHECK (outbound_op_per_unit >= 0),
    storage_per_m3_day bigint  NOT NULL CHECK (storage_per_m3_day >= 0),
    return_handling_per_unit bigint NOT NULL CHECK (return_handling_per_unit >= 0),
    note           text        NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CONSTRAINT fee_schedules_no_overlap
        EXCLUDE USING gist (tstzrange(valid_from, valid_to, '[)') WITH &&)
);

-- Commission by category of one schedule version; other categories pay the
-- version's commission_default_bp.
CREATE TABLE fee_schedule_categories (
    schedule_id    bigint      NOT NULL REFERENCES fee_schedules (id),
    category       text        NOT NULL CHECK (category ~ '^[a-z0-9][a-z0-9_]{0,63}$'),
    bp             int         NOT NULL CHECK (bp BETWEEN 0 AND 10000),
    PRIMARY KEY (schedule_id, category)
);

CREATE TABLE fee_policies (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mode           text        NOT NULL CHECK (mode IN ('pop', 'semi_jit', 'semi_warehouse', 'full')),
    version        int         NOT NULL CHECK (version >= 1),
    valid_from     timestamptz NOT NULL CHECK (valid_from = date_trunc('second', valid_from)),
    valid_to       timestamptz CHECK (valid_to = date_trunc('second', valid_to)),
    commission_multiplier_bp int NOT NULL CHECK (commission_multiplier_bp BETWEEN 0 AND 10000),
    waived         text[]      NOT NULL DEFAULT '{}' CHECK (waived <@ fee_types()),
    platform_borne text[]      NOT NULL DEFAULT '{}' CHECK (platform_borne <@ fee_types()),
    storage_free_days int      NOT NULL CHECK (storage_free_days BETWEEN -1 AND 36500),
    advance_rate_bp int        NOT NULL CHECK (advance_rate_bp BETWEEN 0 AND 10000),
    advance_requires_popular boolean NOT NULL,
    recovery_share_bp int      NOT NULL CHECK (recovery_share_bp BETWEEN 0 AND 10000),
    note           text        NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (mode, version),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (NOT (waived && platform_borne)),
    CONSTRAINT fee_policies_no_overlap
        EXCLUDE USING gist (mode WITH =, tstzrange(valid_from, valid_to, '[)') WITH &&)
);

-- Seed: version 1 of the schedule and of each mode's policy, in force from
-- 2020-01-01. The rates are EXAMPLES for development and tests, not any
-- marketplace's published prices (USD, minor units = cents):
-- commission 8% by default (electronics 5%, accessories 10%, home 8%,
-- fashion 12%), payment fee 1.5%, pickup 5.00 + 1.20/kg, inbound operation
-- 0.30/unit, outbound operation 0.45/unit, storage 1.50/m³·day, return
-- handling 2.00/unit. The policies are fee_policy_defaults() of wms/fees.c.
INSERT INTO fee_schedules (version, valid_from, currency, commission_default_bp, payment_fee_bp,
                           pickup_fixed, pickup_per_kg, inbound_op_per_unit, outbound_op_per_unit,
                           storage_per_m3_day, return_handling_per_unit, note)
VALUES (1, '2020-01-01T00:00:00Z', 'USD', 800, 150, 500, 120, 30, 45, 150, 200,
        'seeded example rates, not published prices');

INSERT INTO fee_schedule_categories (schedule_id, category, bp)
    SELECT s.id, c.category, c.bp FROM fee_schedules s,
           (VALUES ('electronics', 500), ('accessories', 1000), ('home', 800), ('fashion', 1200))
           AS c (category, bp)
    WHERE s.version = 1;

INSERT INTO fee_policies (mode, version, valid_from, commission_multiplier_bp, waived, platform_borne,
                          storage_free_days, advance_rate_bp, advance_requires_popular,
                          recovery_share_bp, note)
VALUES
    ('pop', 1, '2020-01-01T00:00:00Z', 10000, '{}', '{}', 0, 0, false, 10000,
     'standard commission; no warehouse services'),
    ('semi_jit', 1, '2020-01-01T00:00:00Z', 5000, '{}', '{}', 0, 0, false, 10000,
     'commission reduced by 50%'),
    ('semi_warehouse', 1, '2020-01-01T00:00:00Z', 0,
     '{pickup_fee,inbound_operation,outbound_operation,storage_rent}', '{}', -1, 6000, true, 10000,
     'commission exempt; pickup, operation fees and rent waived; 60% advance for popular SKUs'),
    ('full', 1, '2020-01-01T00:00:00Z', 0, '{}',
     '{pickup_fee,inbound_operation,outbound_operation,storage_rent,return_handling}', 0, 0, false,
     10000, 'supply price; logistics borne by the platform');

-- Storage accrual reads stock as it was at the end of a day: on-hand now
-- minus the movements since.
CREATE INDEX inventory_movements_created ON inventory_movements (created_at);

CREATE INDEX inbound_lines_sku ON inbound_lines (warehouse_id, sku_id);

CREATE INDEX seller_ledger_seller_id ON seller_ledger (seller_id, id DESC);

-- ==== the lane network (small reference tables) ====

-- One row: the network's currency (every leg's cost is in it) and a version bumped by
-- every change, so a server never swaps an older load over a newer one.
CREATE TABLE network_settings (
    id           boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (id),
    currency     char(3)     NOT NULL UNIQUE CHECK (currency ~ '^[A-Z]{3}$'),
    version      bigint      NOT NULL DEFAULT 1
);

INSERT INTO network_settings (currency) VALUES ('USD');

CREATE TABLE network_nodes (
    code         text        NOT NULL PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    kind         text        NOT NULL CHECK (kind IN ('warehouse', 'hub', 'gateway', 'zone')),
    warehouse_id uuid        UNIQUE REFERENCES warehouses (id),  -- warehouse nodes: same code
    name         text        CHECK (length(name) BETWEEN 1 AND 200),
    country      char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    time_zone    text        NOT NULL CHECK (is_time_zone(time_zone)),
    postal_prefix text       CHECK (postal_prefix ~ '^[A-Z0-9]{1,10}$'),
    min_connection_min int   NOT NULL DEFAULT 0 CHECK (min_connection_min BETWEEN 0 AND 10080),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT network_nodes_warehouse CHECK ((kind = 'warehouse') = (warehouse_id IS NOT NULL)),
    CONSTRAINT network_nodes_prefix CHECK (kind = 'zone' OR postal_prefix IS NULL)
);

-- One zone per (country, postal prefix); no prefix = the whole country.
CREATE UNIQUE INDEX network_zones_unique ON network_nodes (country, coalesce(postal_prefix, ''))
    WHERE kind = 'zone';

CREATE TABLE carrier_services (
    carrier_code text        NOT NULL REFERENCES carriers (code),
    service_code text        NOT NULL CHECK (service_code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
    mode         text        NOT NULL CHECK (mode IN ('air', 'rail', 'road', 'sea', 'last_mile')),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (carrier_code, service_code)
);

CREATE TABLE network_legs (
    id           text        NOT NULL PRIMARY KEY CHECK (id ~ '^[A-Z0-9][A-Z0-9_.-]{0,63}$'),
    from_node    text        NOT NULL REFERENCES network_nodes (code) ON UPDATE CASCADE,
    to_node      text        NOT NULL REFERENCES network_nodes (code) ON UPDATE CASCADE,
    carrier_code text        NOT NULL,
    service_code text        NOT NULL,
    departures   int[]       NOT NULL CHECK (minutes_of_week_ok(departures)), -- local, from's zone
    cutoff_min   int         NOT NULL DEFAULT 0 CHECK (cutoff_min BETWEEN 0 AND 10080),
    transit_hist_h float8[]  CHECK (hist_ok(transit_hist_h)),
    transit_q    float8[],
    transit_q_hours float8[],
    delivery_days int[]      CHECK (cardinality(delivery_days) BETWEEN 1 AND 7
                                    AND delivery_days <@ '{1,2,3,4,5,6,7}'),  -- ISO weekdays
    fixed_minor  bigint      NOT NULL CHECK (fixed_minor BETWEEN 0 AND 1000000000),
    per_kg_minor bigint      NOT NULL CHECK (per_kg_minor BETWEEN 0 AND 1000000000),
    currency     char(3)     NOT NULL REFERENCES network_settings (currency) ON UPDATE CASCADE,
    max_weight_g int         NOT NULL DEFAULT 0 CHECK (max_weight_g BETWEEN 0 AND 100000000),
    max_length_mm int        NOT NULL DEFAULT 0 CHECK (max_length_mm BETWEEN 0 AND 100000),
    max_width_mm int         NOT NULL DEFAULT 0 CHECK (max_width_mm BETWEEN 0 AND 100000),
    max_height_mm int        NOT NULL DEFAULT 0 CHECK (max_height_mm BETWEEN 0 AND 100000),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (carrier_code, service_code) REFERENCES carrier_services ON UPDATE CASCADE,
    CONSTRAINT network_legs_distinct_ends CHECK (from_node <> to_node),
    CONSTRAINT network_legs_one_transit CHECK (num_nonnulls(transit_hist_h, transit_q) = 1),
    CONSTRAINT network_legs_quantiles CHECK (num_nonnulls(transit_q, transit_q_hours) <> 1
                                             AND quantiles_ok(transit_q, transit_q_hours))
);

CREATE INDEX network_legs_to ON network_legs (to_node);

-- Per origin (a warehouse node): the daily order cut-off (local; none = continuous) and
-- the processing-time histogram before the first leg.
CREATE TABLE network_processing (
    node_code    text        NOT NULL PRIMARY KEY
                             REFERENCES network_nodes (code) ON DELETE CASCADE ON UPDATE CASCADE,
    order_cutoff time,
    hist_h       float8[]    NOT NULL CHECK (hist_ok(hist_h)),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- (origin or every origin, destination country) → promise days and on-time target.
CREATE TABLE promise_targets (
    id           uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    origin_node  text        REFERENCES network_nodes (code) ON DELETE CASCADE ON UPDATE CASCADE,
    country      char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    days         int         NOT NULL CHECK (days BETWEEN 1 AND 60),
    target_bp    int         NOT NULL CHECK (target_bp BETWEEN 1 AND 10000),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT promise_targets_unique UNIQUE NULLS NOT DISTINCT (origin_node, country)
);

-- ==== the distribution plan (Citus) ====
-- How each table is laid out when the database is Citus (README, "Writing SQL that
-- distributes"): distributed by a column, in the co-location group of another table (or
-- starting one); a reference table, copied to every node; a coordinator-local table (its
-- triggers NOTIFY, which two-phase commit refuses; Citus keeps it on the coordinator); or a
-- coordinator table Citus never sees (the schema's own bookkeeping). wms_distribute() lays
-- the tables out in this order when the citus extension is present, and does nothing
-- otherwise; the plan test (tests/integration/check_distribution.c) checks the schema
-- against the plan on plain PostgreSQL in every `make check`.
CREATE TABLE schema_distribution (
    position      int         NOT NULL UNIQUE,
    table_name    text        NOT NULL PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('distributed', 'reference', 'local',
                                                       'coordinator')),
    column_name   text,
    colocate_with text,
    CHECK ((kind = 'distributed') = (column_name IS NOT NULL)),
    CHECK (kind = 'distributed' OR colocate_with IS NULL)
);
INSERT INTO schema_distribution (position, table_name, kind, column_name, colocate_with) VALUES
    (1, 'warehouses', 'reference', NULL, NULL),
    (2, 'sellers', 'reference', NULL, NULL),
    (3, 'skus', 'reference', NULL, NULL),
    (4, 'carriers', 'reference', NULL, NULL),
    (5, 'idempotency_keys', 'reference', NULL, NULL),
    (6, 'fee_schedules', 'reference', NULL, NULL),
    (7, 'fee_schedule_categories', 'reference', NULL, NULL),
    (8, 'fee_policies', 'reference', NULL, NULL),
    (10, 'bins', 'distributed', 'warehouse_id', NULL),
    (11, 'inbound_shipments', 'distributed', 'warehouse_id', 'bins'),
    (12, 'inbound_lines', 'distributed', 'warehouse_id', 'bins'),
    (13, 'inbound_receipts', 'distributed', 'warehouse_id', 'bins'),
    (14, 'inbound_cartons', 'distributed', 'warehouse_id', 'bins'),
    (15, 'inbound_carton_lines', 'distributed', 'warehouse_id', 'bins'),
    (16, 'scans', 'distributed', 'warehouse_id', 'bins'),
    (17, 'inventory_onhand', 'distributed', 'warehouse_id', 'bins'),
    (18, 'inventory_movements', 'distributed', 'warehouse_id', 'bins'),
    (30, 'seller_ledger', 'distributed', 'seller_id', NULL),
    (40, 'api_keys', 'local', NULL, NULL),
    (41, 'network_settings', 'local', NULL, NULL),
    (42, 'network_nodes', 'local', NULL, NULL),
    (43, 'carrier_services', 'local', NULL, NULL),
    (44, 'network_legs', 'local', NULL, NULL),
    (45, 'network_processing', 'local', NULL, NULL),
    (46, 'promise_targets', 'local', NULL, NULL),
    (90, 'schema_migrations', 'coordinator', NULL, NULL),
    (91, 'schema_functions', 'coordinator', NULL, NULL),
    (92, 'schema_distribution', 'coordinator', NULL, NULL),
    (93, 'schema_delegation', 'coordinator', NULL, NULL);

-- Functions Citus runs on the worker holding their rows (create_distributed_function), by an
-- argument of a NOT NULL domain, co-located with a table: the hot scans are then one round
-- trip to one worker.
CREATE TABLE schema_delegation (
    function_name text        NOT NULL PRIMARY KEY,
    argument      text        NOT NULL,
    colocate_with text        NOT NULL REFERENCES schema_distribution (table_name)
);
INSERT INTO schema_delegation (function_name, argument, colocate_with) VALUES
    ('receiving_scan', 'p_warehouse', 'inbound_shipments'),
    ('putaway_scan', 'p_warehouse', 'inventory_onhand');

-- Lays out the tables of the plan not yet in Citus's metadata, in the plan's order; nothing
-- without the citus extension. Called at the end of every migration (tables are created
-- distributed, never converted in place with data), and by `wmsd migrate`.
CREATE FUNCTION wms_distribute() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    FOR t IN SELECT * FROM schema_distribution WHERE kind <> 'coordinator' ORDER BY position LOOP
        CONTINUE WHEN to_regclass(t.table_name) IS NULL;
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_dist_partition
                              WHERE logicalrelid = t.table_name::regclass);
        IF t.kind = 'reference' THEN
            EXECUTE format('SELECT create_reference_table(%L)', t.table_name);
        ELSIF t.kind = 'distributed' THEN
            EXECUTE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)',
                           t.table_name, t.column_name, coalesce(t.colocate_with, 'none'));
        ELSE
            EXECUTE format('SELECT citus_add_local_table_to_metadata(%L)', t.table_name);
        END IF;
    END LOOP;
END $$;

-- Delegates the plan's functions (after `wmsd migrate` applied sql/functions); nothing
-- without the citus extension.
CREATE FUNCTION wms_delegate() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    FOR d IN SELECT s.*, p.oid::regprocedure AS fn FROM schema_delegation s
             JOIN pg_proc p ON p.proname = s.function_name
             JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public' LOOP
        EXECUTE format('SELECT create_distributed_function(%L, %L, colocate_with => %L)',
                       d.fn, d.argument, d.colocate_with);
    END LOOP;
END $$;

SELECT wms_distribute();
