-- 003_inbound_inventory.sql — inbound shipments (ASNs), receiving and putaway
-- scans, the inventory movement ledger with on-hand, idempotency keys for
-- create endpoints, and the seller ledger that fees and advances post to.
-- Operational tables lead their primary key with warehouse_id (stock) or
-- seller_id (money): the distribution columns for a Citus layout.

-- Every warehouse has a receiving and a quarantine location, as bins.
CREATE FUNCTION warehouse_default_bins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bins (warehouse_id, code, zone, kind)
    VALUES (NEW.id, 'RECEIVING', 'DOCK', 'receiving'), (NEW.id, 'QUARANTINE', 'DOCK', 'quarantine')
    ON CONFLICT (warehouse_id, code) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER warehouses_default_bins AFTER INSERT ON warehouses
    FOR EACH ROW EXECUTE FUNCTION warehouse_default_bins();
INSERT INTO bins (warehouse_id, code, zone, kind)
    SELECT id, b.code, 'DOCK', b.kind FROM warehouses,
           (VALUES ('RECEIVING', 'receiving'), ('QUARANTINE', 'quarantine')) AS b (code, kind)
    ON CONFLICT (warehouse_id, code) DO NOTHING;

CREATE SEQUENCE asn_number_seq;

CREATE TABLE inbound_shipments (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    seller_id      uuid        NOT NULL REFERENCES sellers (id),
    asn            text        NOT NULL DEFAULT 'ASN-' || lpad(nextval('asn_number_seq')::text, 8, '0'),
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
    PRIMARY KEY (warehouse_id, shipment_id, line_no),
    FOREIGN KEY (warehouse_id, shipment_id) REFERENCES inbound_shipments (warehouse_id, id),
    FOREIGN KEY (seller_id, sku_id) REFERENCES skus (seller_id, id),
    CONSTRAINT inbound_lines_sku_lot UNIQUE NULLS NOT DISTINCT (warehouse_id, shipment_id, sku_id, lot),
    CHECK (unexpected = (expected = 0))
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
    response       jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, scan_id)
);

-- Inventory: the movement ledger is the truth; on-hand is maintained with it
-- in the same transaction and never goes negative.
CREATE TABLE inventory_onhand (
    warehouse_id   uuid        NOT NULL,
    seller_id      uuid        NOT NULL,
    sku_id         uuid        NOT NULL,
    bin_id         uuid        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('sellable', 'quarantine')),
    qty            bigint      NOT NULL CHECK (qty >= 0),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (warehouse_id, sku_id, bin_id, status),
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

-- Applies one movement to on-hand: subtracts at the source (failing with
-- check_violation when there is not enough), adds at the destination. Called
-- by an AFTER INSERT trigger, so a movement and its on-hand change commit
-- together and nothing else writes on-hand.
CREATE FUNCTION inventory_apply_movement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.from_bin_id IS NOT NULL THEN
        UPDATE inventory_onhand SET qty = qty - NEW.qty, updated_at = clock_timestamp()
        WHERE warehouse_id = NEW.warehouse_id AND sku_id = NEW.sku_id
          AND bin_id = NEW.from_bin_id AND status = NEW.from_status;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no stock of this SKU at the source location'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'inventory_onhand_qty_check';
        END IF;
    END IF;
    IF NEW.to_bin_id IS NOT NULL THEN
        INSERT INTO inventory_onhand (warehouse_id, seller_id, sku_id, bin_id, status, qty)
        VALUES (NEW.warehouse_id, NEW.seller_id, NEW.sku_id, NEW.to_bin_id, NEW.to_status, NEW.qty)
        ON CONFLICT (warehouse_id, sku_id, bin_id, status)
        DO UPDATE SET qty = inventory_onhand.qty + EXCLUDED.qty, updated_at = clock_timestamp();
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER inventory_movements_apply AFTER INSERT ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION inventory_apply_movement();
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER inventory_movements_no_change BEFORE UPDATE OR DELETE ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION append_only();

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
CREATE TRIGGER seller_ledger_no_change BEFORE UPDATE OR DELETE ON seller_ledger
    FOR EACH ROW EXECUTE FUNCTION append_only();
