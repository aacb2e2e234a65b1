-- 004_settlement.sql — settling orders: what an order's settlement came to, kept with the order;
-- the seller accounts that settlements queue on; reading a seller's advances quickly.
--
-- An order is settled once, when the buyer confirms receipt (POST /v1/orders/{id}/confirm-receipt,
-- sql/functions/order_settle.sql): it goes shipped → delivered, its escrow is released (less
-- the price of units that were short, refunded to the buyer) and the seller's ledger gets the
-- sale's lines (event_type 'sale', event_id the order's id), in one transaction.

-- The settlement as the API shows it (order_doc): the totals and the ledger lines it posted.
-- An escrow is released only by a settlement.
ALTER TABLE orders
    ADD COLUMN settlement jsonb,
    ADD CONSTRAINT orders_released_settled CHECK (escrow <> 'released' OR settlement IS NOT NULL);

-- One row per seller and currency, created by the seller's first settlement in it. A
-- settlement locks its row before it reads the seller's advance outstanding for the last
-- time, so two settlements of one seller (two orders confirmed at once) take their turns:
-- each recovers only what the other left of the advance. The row also counts them.
CREATE TABLE seller_accounts (
    seller_id      uuid        NOT NULL REFERENCES sellers (id),
    currency       char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    settlements    bigint      NOT NULL DEFAULT 0 CHECK (settlements >= 0),
    last_settled_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (seller_id, currency)
);

-- A seller's advance outstanding (advances − recoveries) is read by every settlement.
CREATE INDEX seller_ledger_advances ON seller_ledger (seller_id, currency)
    INCLUDE (fee_type, net) WHERE fee_type IN ('advance', 'advance_recovery');

INSERT INTO schema_distribution (position, table_name, kind, column_name, colocate_with) VALUES
    (35, 'seller_accounts', 'distributed', 'seller_id', 'seller_ledger');

SELECT wms_distribute();
