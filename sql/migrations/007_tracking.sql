-- 007_tracking.sql — carrier tracking: carriers' webhook secrets and raw-code mappings
-- (reference data), the tracking events of every parcel (by warehouse, with its package),
-- the webhook messages already taken (replays), each package's normalised status, and what
-- a carrier's delivery records on the order: the promise kept or missed and the end of the
-- buyer-protection window, after which the escrow is released automatically.
--
-- Events are taken by one call of tracking_ingest() per batch (sql/functions/
-- tracking_ingest.sql); the status of a parcel is that of its latest event by the carrier's
-- event time, except that the first terminal event (delivered, returned_to_sender) is final.

-- ==== carriers (reference data) ====

ALTER TABLE carriers
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT clock_timestamp();

-- Standard Webhooks secrets of a carrier ("whsec_" + base64 of 24..64 random bytes). A
-- carrier has at most two active secrets (rotation: the new one is added, the carrier
-- switches, the old one is revoked); a signature by any active one is accepted.
CREATE TABLE carrier_secrets (
    carrier_code   text        NOT NULL REFERENCES carriers (code) ON UPDATE CASCADE,
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    secret         text        NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$'),
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at     timestamptz,
    PRIMARY KEY (carrier_code, id)
);

CREATE INDEX carrier_secrets_active ON carrier_secrets (carrier_code) WHERE revoked_at IS NULL;

-- A carrier's raw event codes and the normalised status each means: data, not code.
CREATE TABLE carrier_status_codes (
    carrier_code   text        NOT NULL REFERENCES carriers (code) ON UPDATE CASCADE,
    raw_code       text        NOT NULL CHECK (length(raw_code) BETWEEN 1 AND 64),
    status         text        NOT NULL CHECK (status IN ('info_received', 'picked_up',
                       'in_transit', 'customs', 'out_for_delivery', 'failed_attempt',
                       'available_for_pickup', 'delivered', 'exception', 'returned_to_sender')),
    PRIMARY KEY (carrier_code, raw_code)
);

-- ==== events (by warehouse, with their package) ====

-- Every event a carrier sent for one of our parcels, kept with its raw code; (carrier,
-- event id) is taken once (a unique index per warehouse: an event names one tracking
-- number, which names one package, so an event id's repeats land on the same warehouse).
CREATE TABLE tracking_events (
    warehouse_id   uuid        NOT NULL,
    package_id     uuid        NOT NULL,
    carrier_code   text        NOT NULL,
    event_id       text        NOT NULL CHECK (length(event_id) BETWEEN 1 AND 128),
    tracking_number text       NOT NULL,
    raw_code       text        NOT NULL,
    status         text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    node           text,
    location       text        CHECK (length(location) <= 200),
    received_at    timestamptz NOT NULL,
    PRIMARY KEY (warehouse_id, carrier_code, event_id)
    -- no foreign key to packages: tracking_ingest writes only the package ids it has just
    -- found, and packages are never deleted; a key check would lock each event's package
    -- row (FOR KEY SHARE) once per event, and batches racing on a parcel would share those
    -- locks as multixacts — the most expensive part of an ingest when it was there
);

CREATE INDEX tracking_events_package ON tracking_events (warehouse_id, package_id, occurred_at, event_id);

-- Standard Webhooks message ids already taken, per carrier: a replayed webhook-id is a
-- duplicate. Written in the ingest's transaction, so a message that failed is taken again.
CREATE TABLE webhook_messages (
    carrier_code   text        NOT NULL,
    webhook_id     text        NOT NULL CHECK (length(webhook_id) BETWEEN 1 AND 128),
    events         int         NOT NULL,
    received_at    timestamptz NOT NULL,
    PRIMARY KEY (carrier_code, webhook_id)
);

-- ==== a package's status ====

-- A shipped package is updated once per tracking event: room on its page keeps those
-- updates HOT (no new index entries while the indexed columns keep their values).
ALTER TABLE packages SET (fillfactor = 85);

ALTER TABLE packages
    ADD COLUMN tracking_status text CHECK (tracking_status IN ('info_received', 'picked_up',
        'in_transit', 'customs', 'out_for_delivery', 'failed_attempt', 'available_for_pickup',
        'delivered', 'exception', 'returned_to_sender')),
    ADD COLUMN tracking_status_at timestamptz,      -- the event time of the status's event
    ADD COLUMN tracking_event_id text,              -- the status's event
    ADD COLUMN delivered_at timestamptz,            -- the carrier's delivery event time
    ADD CONSTRAINT packages_tracking_status CHECK ((tracking_status IS NULL) =
        (tracking_status_at IS NULL) AND (tracking_status IS NULL) = (tracking_event_id IS NULL));

-- Events find their parcel by carrier and number (carriers recycle numbers: the newest
-- package of the pair wins).
CREATE INDEX packages_carrier_tracking ON packages (carrier, tracking_number, closed_at DESC)
    WHERE tracking_number IS NOT NULL;

-- A carrier's parcels in flight: shipped, not yet delivered or returned.
CREATE INDEX packages_in_flight ON packages (carrier, created_at DESC, id DESC)
    WHERE state = 'shipped' AND (tracking_status IS NULL
        OR tracking_status NOT IN ('delivered', 'returned_to_sender'));

-- ==== delivery on the order ====

-- promise_kept: the carrier's delivery time against the deadline recorded at allocation
-- (NULL when the order has no promise or was not delivered by a carrier); protection_until:
-- the end of the buyer-protection window that delivery starts (WMS_BUYER_PROTECTION), after
-- which the escrow is released with the buyer's confirmation's settlement.
ALTER TABLE orders
    ADD COLUMN promise_kept boolean,
    ADD COLUMN protection_until timestamptz;

-- The escrow release's work: delivered orders whose escrow is still held, by window end.
CREATE INDEX orders_protection_ends ON orders (protection_until)
    WHERE state = 'delivered' AND escrow = 'held' AND protection_until IS NOT NULL;

-- GET /v1/promise-performance reads the delivered orders that have a promise record.
CREATE INDEX orders_promise_record ON orders (delivered_at)
    WHERE promise_kept IS NOT NULL;

-- ==== transit times that learn ====

-- A leg's actual time as one delivered parcel travelled it: from its last event at the leg's
-- from-node (the first leg: else its hand-over at the dock) to its first event at the leg's
-- to-node (the last leg, into a zone: its delivery). Recorded by tracking_ingest when the
-- parcel is delivered; network_load_json weighs them by age (half-life 28 days) for the
-- in-memory network, which blends them with the configured distribution
-- (api/network/network_load.c). Kept with the lane network on the coordinator, as its tables.
CREATE TABLE leg_transit_observations (
    leg_id         text        NOT NULL,
    warehouse_id   uuid        NOT NULL,
    package_id     uuid        NOT NULL,
    departed_at    timestamptz NOT NULL,
    arrived_at     timestamptz NOT NULL,
    hours          float8      NOT NULL CHECK (hours > 0 AND hours <= 2000),
    PRIMARY KEY (leg_id, warehouse_id, package_id)
);

CREATE INDEX leg_transit_observations_recent ON leg_transit_observations (leg_id, arrived_at DESC);

-- ==== events out ====

-- Who hears of what: the platform's subscriptions (seller_id NULL: every seller's events) and
-- a seller's own (its packages and orders), each with its Standard Webhooks secret and the
-- event types it takes. A receiver answering 410 Gone disables its subscription.
CREATE TABLE event_subscriptions (
    id             uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    seller_id      uuid        REFERENCES sellers (id),
    url            text        NOT NULL CHECK (url ~ '^https?://[^[:space:]/?#]+(/[^[:space:]]*)?$'
                                               AND length(url) <= 2000),
    secret         text        NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$'),
    events         text[]      NOT NULL CHECK (cardinality(events) >= 1 AND events <@
                       ARRAY['package.status_changed', 'order.delivered', 'escrow.released']),
    state          text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
    disabled_reason text,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The durable outbox: one row per event and subscription, written in the transaction of the
-- change it tells of (tracking_ingest, order_settle), delivered by the servers
-- (api/tracking/event_delivery.c) in order per subject (the parcel, or the order) and
-- subscription: created_at is the insert's clock, taken after the subject's row lock, so a
-- subject's events are in commit order.
CREATE TABLE event_outbox (
    id             uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    subscription_id uuid       NOT NULL REFERENCES event_subscriptions (id),
    event_type     text        NOT NULL,
    subject        uuid        NOT NULL,
    payload        jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    state          text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts       int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    lease_until    timestamptz,
    delivered_at   timestamptz,
    last_status    int,
    last_error     text
);

CREATE INDEX event_outbox_due ON event_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX event_outbox_subject ON event_outbox (subscription_id, subject, created_at, id)
    WHERE state = 'pending';
CREATE INDEX event_outbox_page ON event_outbox (subscription_id, created_at DESC, id DESC);

-- Every delivery attempt: when, the HTTP status (0: no answer — refused, reset, timed out),
-- the error, how long it took.
CREATE TABLE event_attempts (
    outbox_id      uuid        NOT NULL REFERENCES event_outbox (id),
    attempt        int         NOT NULL CHECK (attempt >= 1),
    at             timestamptz NOT NULL,
    status         int         NOT NULL,
    error          text,
    duration_ms    int         NOT NULL,
    PRIMARY KEY (outbox_id, attempt)
);

-- ==== the distribution plan ====

INSERT INTO schema_distribution (position, table_name, kind, column_name, colocate_with) VALUES
    (71, 'carrier_secrets', 'reference', NULL, NULL),
    (72, 'carrier_status_codes', 'reference', NULL, NULL),
    (73, 'tracking_events', 'distributed', 'warehouse_id', 'bins'),
    (74, 'webhook_messages', 'distributed', 'carrier_code', NULL),
    (75, 'leg_transit_observations', 'local', NULL, NULL),
    (76, 'event_subscriptions', 'local', NULL, NULL),
    (77, 'event_outbox', 'local', NULL, NULL),
    (78, 'event_attempts', 'local', NULL, NULL);

SELECT wms_distribute();
