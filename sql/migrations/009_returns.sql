-- 009_returns.sql — buyer protection: claims on order lines (by seller, with the order), the
-- refunds they lead to (by seller), return authorisations and their units at the returns
-- centre (by warehouse), and the recovery rate of a returned item by category (reference).
--
-- A claim (wms/claim.h) is opened by the platform for one order line and some of its units:
-- not_received, damaged, not_as_described. Its decision is explained and stored: a refund
-- without return (the claim is closed at once and its refund issued), or a return
-- authorisation (RMA) to a returns centre, which freezes the order's escrow until the
-- returned units are received and inspected. orders.claims_open counts the claims that
-- freeze it; the settlement (order_settle) refuses while it is not 0.
--
-- A refund (wms/refund.h) is pending until it is issued: from the escrow while it is still
-- held (the units leave the sale the settlement will price: order_lines.escrow_refunded),
-- otherwise clawed back through the seller's ledger (event_type 'return'). orders.refunded
-- counts every refund and never passes amount_paid (its CHECK): several claims on one order
-- take turns on the order's row and the last ones get what is left.

-- ==== the order's side ====

ALTER TABLE orders
    ADD COLUMN claims_open int NOT NULL DEFAULT 0 CHECK (claims_open >= 0);

-- Units of the line refunded to the buyer from the held escrow before the settlement: the
-- settlement does not sell them.
ALTER TABLE order_lines
    ADD COLUMN escrow_refunded int NOT NULL DEFAULT 0 CHECK (escrow_refunded >= 0),
    ADD CONSTRAINT order_lines_escrow_refunded CHECK (short + escrow_refunded <= qty);

-- ==== what a returned item is worth to the platform (reference data) ====

-- The share of a returned unit's price the platform expects to recover (resale after
-- restock, salvage), by SKU category; '*' is every other category. A return is authorised
-- only when this recovery is worth more than bringing the item back (wms/claim.h).
CREATE TABLE return_recovery_rates (
    category       text        NOT NULL PRIMARY KEY CHECK (length(category) BETWEEN 1 AND 63),
    recovery_bp    int         NOT NULL CHECK (recovery_bp BETWEEN 0 AND 10000),
    note           text        CHECK (length(note) <= 200),
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

INSERT INTO return_recovery_rates (category, recovery_bp, note) VALUES
    ('*', 5000, 'default: half the price back after restock or salvage'),
    ('electronics', 7000, 'tested and resold'),
    ('accessories', 4000, NULL),
    ('home', 4000, NULL),
    ('fashion', 3000, 'often not resellable'),
    ('toys', 5000, NULL);

-- ==== claims and refunds (by seller, with the order) ====

CREATE TABLE claims (
    seller_id      uuid        NOT NULL,
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    order_id       uuid        NOT NULL,
    line_no        int         NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('not_received', 'damaged', 'not_as_described')),
    qty            int         NOT NULL CHECK (qty BETWEEN 1 AND 10000),
    evidence       jsonb       NOT NULL DEFAULT '[]',  -- references the platform keeps
    note           text        CHECK (length(note) <= 500),
    -- wms/claim.h: awaiting_return and inspecting freeze the escrow; closed does not
    state          text        NOT NULL CHECK (state IN ('awaiting_return', 'inspecting', 'closed')),
    decision       text        NOT NULL CHECK (decision IN ('refund_without_return', 'return')),
    explanation    jsonb       NOT NULL,  -- the decision's figures and its sentence
    liability      text        CHECK (liability IN ('buyer', 'carrier', 'warehouse', 'seller')),
    return_id      uuid,       -- the RMA, decision return
    warehouse_id   uuid,       -- its returns centre
    request_hash   text        NOT NULL,  -- of the opening request (Idempotency-Key)
    idempotency_key text       CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    created_at     timestamptz NOT NULL,
    closed_at      timestamptz,
    PRIMARY KEY (seller_id, id),
    FOREIGN KEY (seller_id, order_id, line_no) REFERENCES order_lines (seller_id, order_id, line_no),
    CHECK ((decision = 'return') = (return_id IS NOT NULL)),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);

CREATE INDEX claims_id ON claims (id);
CREATE INDEX claims_order ON claims (seller_id, order_id);
CREATE UNIQUE INDEX claims_idempotency ON claims (seller_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE refunds (
    seller_id      uuid        NOT NULL,
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    order_id       uuid        NOT NULL,
    claim_id       uuid        NOT NULL,
    line_no        int         NOT NULL,
    -- wms/refund.h: pending → issued (all asked), partial (less: what was left of the
    -- payment, or units the buyer is liable for), failed (nothing)
    state          text        NOT NULL DEFAULT 'pending'
                       CHECK (state IN ('pending', 'issued', 'partial', 'failed')),
    units          int         NOT NULL CHECK (units >= 0),        -- units refunded
    requested      bigint      NOT NULL CHECK (requested >= 0),   -- units × unit price
    amount         bigint      CHECK (amount >= 0 AND amount <= requested), -- what was refunded
    source         text        CHECK (source IN ('escrow', 'seller_ledger')),
    liability      text        NOT NULL CHECK (liability IN ('buyer', 'carrier', 'warehouse', 'seller')),
    reason         text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    version        int         NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL,
    issued_at      timestamptz,
    PRIMARY KEY (seller_id, id),
    FOREIGN KEY (seller_id, claim_id) REFERENCES claims (seller_id, id),
    CHECK ((state = 'pending') = (amount IS NULL)),
    CHECK (state <> 'issued' OR amount = requested),
    CHECK (state <> 'failed' OR amount = 0)
);

CREATE INDEX refunds_id ON refunds (id);
CREATE INDEX refunds_order ON refunds (seller_id, order_id);

-- ==== return authorisations at the returns centre (by warehouse) ====

-- An RMA: the units of one claim authorised to come back to a returns centre, with the
-- reverse route's label. Receipt (scan of the label, once) counts what arrived against what
-- was authorised; inspection grades each received unit and decides its disposition.
CREATE TABLE returns (
    warehouse_id   uuid        NOT NULL REFERENCES warehouses (id),
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    seller_id      uuid        NOT NULL,
    claim_id       uuid        NOT NULL,
    order_id       uuid        NOT NULL,
    line_no        int         NOT NULL,
    sku_id         uuid        NOT NULL,
    rma            text        NOT NULL CHECK (rma ~ '^RMA[0-9A-F]{12}$'),  -- on the label
    state          text        NOT NULL DEFAULT 'authorised'
                       CHECK (state IN ('authorised', 'received', 'inspected')),
    authorised     int         NOT NULL CHECK (authorised >= 1),
    received       int         CHECK (received >= 0),
    wrong_items    jsonb,      -- what arrived that was not authorised: [{gtin, qty}]
    inspected      int         NOT NULL DEFAULT 0 CHECK (inspected >= 0),
    carrier        text,
    service        text,
    route          jsonb       NOT NULL,
    cost_minor     bigint      NOT NULL CHECK (cost_minor >= 0),
    label          text        NOT NULL,   -- ZPL II
    created_at     timestamptz NOT NULL,
    received_at    timestamptz,
    PRIMARY KEY (warehouse_id, id),
    CHECK ((state = 'authorised') = (received IS NULL)),
    CHECK (inspected <= coalesce(received, 0))
);

CREATE INDEX returns_id ON returns (id);
CREATE UNIQUE INDEX returns_rma ON returns (warehouse_id, rma);

-- One inspected unit of a return: its grade, disposition and who is liable; a restocked
-- unit's bin and lot.
CREATE TABLE return_units (
    warehouse_id   uuid        NOT NULL,
    return_id      uuid        NOT NULL,
    unit_no        int         NOT NULL CHECK (unit_no >= 1),
    grade          text        NOT NULL CHECK (grade IN ('new', 'like_new', 'used', 'damaged', 'defective')),
    disposition    text        NOT NULL CHECK (disposition IN ('restock', 'quarantine', 'dispose',
                                                               'return_to_seller')),
    liability      text        NOT NULL CHECK (liability IN ('buyer', 'carrier', 'warehouse', 'seller')),
    bin_id         uuid,
    lot            text        NOT NULL DEFAULT '' CHECK (length(lot) <= 20),
    scan_id        uuid        NOT NULL,
    inspected_at   timestamptz NOT NULL,
    PRIMARY KEY (warehouse_id, return_id, unit_no),
    FOREIGN KEY (warehouse_id, return_id) REFERENCES returns (warehouse_id, id),
    CHECK ((disposition IN ('restock', 'quarantine')) = (bin_id IS NOT NULL))
);

-- (with the kinds of JIT's hub scans, migration 006, so that the order of merging does not
-- matter)
ALTER TABLE scans DROP CONSTRAINT scans_kind_check;
ALTER TABLE scans ADD CONSTRAINT scans_kind_check
    CHECK (kind IN ('receiving', 'putaway', 'pick', 'pack', 'ship', 'hub_receipt', 'bag',
                    'linehaul', 'return_receipt', 'return_inspection'));

-- ==== the distribution plan ====

INSERT INTO schema_distribution (position, table_name, kind, column_name, colocate_with) VALUES
    (80, 'return_recovery_rates', 'reference', NULL, NULL),
    (81, 'returns', 'distributed', 'warehouse_id', 'bins'),
    (82, 'return_units', 'distributed', 'warehouse_id', 'bins'),
    (83, 'claims', 'distributed', 'seller_id', 'seller_ledger'),
    (84, 'refunds', 'distributed', 'seller_id', 'seller_ledger');

SELECT wms_distribute();
