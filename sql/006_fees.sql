-- 006_fees.sql — the fee schedule and the per-mode policies as effective-dated
-- versions (no overlaps, enforced by exclusion constraints), seeded with
-- example rates; the SQL shapes the C fee engine loads (api/fees_load.c); the
-- inputs of inbound-close posting and storage accrual; ledger lines and
-- seller statements.
--
-- A version is valid on [valid_from, valid_to); valid_to NULL = open-ended.
-- Times are whole seconds (the engine works in epoch seconds). A version is
-- never edited: the only change a row accepts is closing an open version
-- (valid_to NULL → a time after valid_from), done when the next version is
-- added (fee_schedule_add, fee_policy_add).

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The fee types of the engine (wms/fees.h fee_type_name), for waiver sets.
CREATE FUNCTION fee_types() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['commission', 'payment_fee', 'pickup_fee', 'inbound_operation',
                 'outbound_operation', 'storage_rent', 'return_handling', 'advance',
                 'advance_recovery', 'sale_proceeds', 'supply_payment']
$$;

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

-- Versions are immutable except for closing an open one.
CREATE FUNCTION fee_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.valid_to IS NULL AND NEW.valid_to IS NOT NULL
       AND (to_jsonb(NEW) - 'valid_to') = (to_jsonb(OLD) - 'valid_to') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows are versions: add a new version instead of changing one', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER fee_schedules_guard BEFORE UPDATE OR DELETE ON fee_schedules
    FOR EACH ROW EXECUTE FUNCTION fee_version_guard();
CREATE TRIGGER fee_policies_guard BEFORE UPDATE OR DELETE ON fee_policies
    FOR EACH ROW EXECUTE FUNCTION fee_version_guard();
CREATE TRIGGER fee_schedule_categories_guard BEFORE UPDATE OR DELETE ON fee_schedule_categories
    FOR EACH ROW EXECUTE FUNCTION append_only();

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

-- A time as the API and the engine loader read it: RFC 3339 in UTC, whole
-- seconds ("2026-11-22T00:30:00Z"), whatever the session's TimeZone.
CREATE FUNCTION fee_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE FUNCTION fee_schedule_json(s fee_schedules) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', s.id, 'version', s.version,
        'valid_from', fee_ts(s.valid_from), 'valid_to', fee_ts(s.valid_to),
        'currency', s.currency, 'commission_default_bp', s.commission_default_bp,
        'commission_bp', coalesce((SELECT json_object_agg(c.category, c.bp ORDER BY c.category)
                                   FROM fee_schedule_categories c WHERE c.schedule_id = s.id),
                                  '{}'::json),
        'payment_fee_bp', s.payment_fee_bp, 'pickup_fixed', s.pickup_fixed,
        'pickup_per_kg', s.pickup_per_kg, 'inbound_op_per_unit', s.inbound_op_per_unit,
        'outbound_op_per_unit', s.outbound_op_per_unit, 'storage_per_m3_day', s.storage_per_m3_day,
        'return_handling_per_unit', s.return_handling_per_unit, 'note', s.note,
        'created_at', s.created_at)
$$;

CREATE FUNCTION fee_policy_json(p fee_policies) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', p.id, 'mode', p.mode, 'version', p.version,
        'valid_from', fee_ts(p.valid_from), 'valid_to', fee_ts(p.valid_to),
        'commission_multiplier_bp', p.commission_multiplier_bp,
        'waived', to_json(p.waived), 'platform_borne', to_json(p.platform_borne),
        'storage_free_days', p.storage_free_days, 'advance_rate_bp', p.advance_rate_bp,
        'advance_requires_popular', p.advance_requires_popular,
        'recovery_share_bp', p.recovery_share_bp, 'note', p.note, 'created_at', p.created_at)
$$;

-- The versions in force at t, for the engine loader (fees_versions_load):
-- {"at", "schedules": [the schedule], "policies": [one per mode]}.
CREATE FUNCTION fee_versions_json(t timestamptz) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('at', fee_ts(t),
        'schedules', coalesce((SELECT json_agg(fee_schedule_json(s)) FROM fee_schedules s
                               WHERE tstzrange(s.valid_from, s.valid_to, '[)') @> t), '[]'::json),
        'policies', coalesce((SELECT json_agg(fee_policy_json(p) ORDER BY p.mode) FROM fee_policies p
                              WHERE tstzrange(p.valid_from, p.valid_to, '[)') @> t), '[]'::json))
$$;

-- Adds a schedule version from valid_from on (whole seconds), closing the
-- open version there. A valid_from not after the latest version's is an
-- overlap: exclusion_violation naming that version (the caller answers 409).
-- categories is {"category": bp, ...}. Returns the new version's JSON.
CREATE FUNCTION fee_schedule_add(p_valid_from timestamptz, p_currency text, p_default_bp int,
    p_categories json, p_payment_bp int, p_pickup_fixed bigint, p_pickup_per_kg bigint,
    p_inbound_op bigint, p_outbound_op bigint, p_storage bigint, p_return bigint, p_note text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    latest fee_schedules;
    created fee_schedules;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('fee_schedules', 6));
    SELECT * INTO latest FROM fee_schedules ORDER BY valid_from DESC LIMIT 1;
    IF FOUND AND p_valid_from <= latest.valid_from THEN
        RAISE EXCEPTION 'fee schedule v% is in force from %; a new version must start after it',
            latest.version, fee_ts(latest.valid_from)
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'fee_schedules_no_overlap';
    END IF;
    UPDATE fee_schedules SET valid_to = p_valid_from
        WHERE valid_to IS NULL AND valid_from < p_valid_from;
    INSERT INTO fee_schedules (version, valid_from, currency, commission_default_bp, payment_fee_bp,
                               pickup_fixed, pickup_per_kg, inbound_op_per_unit,
                               outbound_op_per_unit, storage_per_m3_day, return_handling_per_unit,
                               note)
    VALUES (coalesce(latest.version, 0) + 1, p_valid_from, p_currency, p_default_bp, p_payment_bp,
            p_pickup_fixed, p_pickup_per_kg, p_inbound_op, p_outbound_op, p_storage, p_return,
            coalesce(p_note, ''))
    RETURNING * INTO created;
    INSERT INTO fee_schedule_categories (schedule_id, category, bp)
        SELECT created.id, c.key, c.value::int FROM json_each_text(p_categories) c;
    RETURN fee_schedule_json(created);
END $$;

-- The same for a mode's policy (see fee_schedule_add).
CREATE FUNCTION fee_policy_add(p_mode text, p_valid_from timestamptz, p_multiplier_bp int,
    p_waived text[], p_platform_borne text[], p_free_days int, p_advance_bp int,
    p_requires_popular boolean, p_recovery_bp int, p_note text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    latest fee_policies;
    created fee_policies;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('fee_policies:' || p_mode, 6));
    SELECT * INTO latest FROM fee_policies WHERE mode = p_mode ORDER BY valid_from DESC LIMIT 1;
    IF FOUND AND p_valid_from <= latest.valid_from THEN
        RAISE EXCEPTION '% policy v% is in force from %; a new version must start after it',
            p_mode, latest.version, fee_ts(latest.valid_from)
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'fee_policies_no_overlap';
    END IF;
    UPDATE fee_policies SET valid_to = p_valid_from
        WHERE mode = p_mode AND valid_to IS NULL AND valid_from < p_valid_from;
    INSERT INTO fee_policies (mode, version, valid_from, commission_multiplier_bp, waived,
                              platform_borne, storage_free_days, advance_rate_bp,
                              advance_requires_popular, recovery_share_bp, note)
    VALUES (p_mode, coalesce(latest.version, 0) + 1, p_valid_from, p_multiplier_bp, p_waived,
            p_platform_borne, p_free_days, p_advance_bp, p_requires_popular, p_recovery_bp,
            coalesce(p_note, ''))
    RETURNING * INTO created;
    RETURN fee_policy_json(created);
END $$;

-- Inbound close posting: everything api/fees_post.c needs to price the close
-- of one shipment at t (whole seconds): the shipment, the units received per
-- SKU, and the versions in force at t. NULL when there is no such shipment.
CREATE FUNCTION fees_inbound_close_input(p_warehouse uuid, p_shipment uuid, t timestamptz)
RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('seller_id', s.seller_id, 'warehouse_id', s.warehouse_id,
        'shipment_id', s.id, 'mode', s.mode, 'at', fee_ts(t),
        'items', coalesce((
            SELECT json_agg(json_build_object('sku_id', k.id, 'sku', k.sku_code,
                       'good', i.good, 'damaged', i.damaged, 'declared_value', k.declared_value,
                       'currency', k.currency, 'popular', k.popular) ORDER BY k.sku_code)
            FROM (SELECT l.sku_id, sum(l.received_good) AS good, sum(l.received_damaged) AS damaged
                  FROM inbound_lines l WHERE l.warehouse_id = s.warehouse_id AND l.shipment_id = s.id
                  GROUP BY l.sku_id) i
            JOIN skus k ON k.seller_id = s.seller_id AND k.id = i.sku_id), '[]'::json),
        'versions', fee_versions_json(t))
    FROM inbound_shipments s WHERE s.warehouse_id = p_warehouse AND s.id = p_shipment
$$;

-- Storage accrual reads stock as it was at the end of a day: on-hand now
-- minus the movements since.
CREATE INDEX inventory_movements_created ON inventory_movements (created_at);
CREATE INDEX inbound_lines_sku ON inbound_lines (warehouse_id, sku_id);
CREATE INDEX seller_ledger_seller_id ON seller_ledger (seller_id, id DESC);

-- Storage accrual input for day d (UTC): per seller, warehouse and mode, the
-- SKUs on hand (sellable + quarantine) at the end of d with their unit volume
-- (mm³) and whole days in stock before d, and the versions in force at the
-- start of d. Stock counts in the mode of, and is as old as, the most recent
-- inbound shipment of the SKU into the warehouse that started receiving
-- before the end of d; stock with no such shipment is counted in
-- "unattributed" and not charged. Seller-warehouses already charged for d are
-- left out (counted in "already_charged").
CREATE FUNCTION storage_accrual_input(d date) RETURNS json LANGUAGE sql STABLE AS $$
    WITH b AS (
        SELECT (d::timestamp AT TIME ZONE 'UTC') AS day_start,
               ((d + 1)::timestamp AT TIME ZONE 'UTC') AS day_end),
    now_qty AS (
        SELECT o.warehouse_id, o.seller_id, o.sku_id, sum(o.qty) AS qty
        FROM inventory_onhand o GROUP BY 1, 2, 3),
    since AS (
        SELECT m.warehouse_id, m.seller_id, m.sku_id,
               sum(CASE WHEN m.to_bin_id IS NOT NULL THEN m.qty ELSE 0 END)
               - sum(CASE WHEN m.from_bin_id IS NOT NULL THEN m.qty ELSE 0 END) AS qty
        FROM inventory_movements m, b WHERE m.created_at >= b.day_end GROUP BY 1, 2, 3),
    stock AS (
        SELECT warehouse_id, seller_id, sku_id, coalesce(n.qty, 0) - coalesce(l.qty, 0) AS units
        FROM now_qty n FULL JOIN since l USING (warehouse_id, seller_id, sku_id)),
    priced AS (
        SELECT st.*, k.sku_code, k.length_mm::bigint * k.width_mm * k.height_mm AS volume,
               src.mode, greatest(0, d - (src.since AT TIME ZONE 'UTC')::date) AS days,
               EXISTS (SELECT 1 FROM seller_ledger g
                       WHERE g.seller_id = st.seller_id AND g.event_type = 'storage_day'
                         AND g.event_id = st.warehouse_id || ':' || d) AS charged
        FROM stock st
        JOIN skus k ON k.seller_id = st.seller_id AND k.id = st.sku_id
        CROSS JOIN b
        LEFT JOIN LATERAL (
            SELECT s.mode, coalesce(s.receiving_at, s.closed_at) AS since
            FROM inbound_lines il
            JOIN inbound_shipments s ON s.warehouse_id = il.warehouse_id AND s.id = il.shipment_id
            WHERE il.warehouse_id = st.warehouse_id AND il.sku_id = st.sku_id
              AND s.state IN ('receiving', 'closed')
              AND coalesce(s.receiving_at, s.closed_at) < b.day_end
            ORDER BY coalesce(s.receiving_at, s.closed_at) DESC LIMIT 1) src ON true
        WHERE st.units > 0),
    groups AS (
        SELECT p.seller_id, p.warehouse_id, p.mode,
               json_agg(json_build_object('sku_id', p.sku_id, 'sku', p.sku_code, 'units', p.units,
                        'volume_mm3', p.volume, 'days', p.days) ORDER BY p.sku_code) AS items
        FROM priced p WHERE p.mode IS NOT NULL AND NOT p.charged
        GROUP BY 1, 2, 3)
    SELECT json_build_object('date', d, 'at', fee_ts(b.day_start),
        'groups', coalesce((SELECT json_agg(json_build_object('seller_id', g.seller_id,
                                'warehouse_id', g.warehouse_id, 'mode', g.mode, 'items', g.items)
                                ORDER BY g.seller_id, g.warehouse_id, g.mode) FROM groups g),
                           '[]'::json),
        'unattributed', (SELECT count(*) FROM priced WHERE mode IS NULL AND NOT charged),
        'already_charged', (SELECT count(DISTINCT (seller_id, warehouse_id)) FROM priced
                            WHERE charged),
        'versions', fee_versions_json(b.day_start))
    FROM b
$$;

-- One ledger line as the API shows it.
CREATE FUNCTION ledger_line_json(l seller_ledger) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', l.id::text, 'event_type', l.event_type, 'event_id', l.event_id,
        'line_no', l.line_no, 'event_at', l.event_at, 'fee_type', l.fee_type,
        'direction', l.direction, 'treatment', l.treatment, 'gross', l.gross,
        'waived', l.waived, 'net', l.net, 'currency', l.currency, 'mode', l.mode,
        'policy_id', l.policy_id, 'policy_version', l.policy_version,
        'schedule_id', l.schedule_id, 'schedule_version', l.schedule_version,
        'warehouse_id', l.warehouse_id, 'sku_id', l.sku_id, 'reason', l.reason,
        'created_at', l.created_at)
$$;

-- A page of a seller's ledger, newest first: lines with id < before (NULL =
-- from the newest), at most lim; next_cursor is the last line's id when
-- there are more.
CREATE FUNCTION seller_ledger_page(p_seller uuid, lim int, before bigint)
RETURNS json LANGUAGE sql STABLE AS $$
    WITH page AS (
        SELECT l.id, ledger_line_json(l) AS j FROM seller_ledger l
        WHERE l.seller_id = p_seller AND (before IS NULL OR l.id < before)
        ORDER BY l.id DESC LIMIT lim + 1)
    SELECT json_build_object(
        'items', coalesce((SELECT json_agg(j ORDER BY id DESC)
                           FROM (SELECT * FROM page ORDER BY id DESC LIMIT lim) f), '[]'::json),
        'next_cursor', CASE WHEN (SELECT count(*) FROM page) > lim
            THEN (SELECT min(id) FROM (SELECT id FROM page ORDER BY id DESC LIMIT lim) f)::text END)
$$;

-- A seller's statement for [p_from, p_to): up to max_lines ledger lines of
-- the period (oldest first); per fee type, direction and currency the gross,
-- waived and net totals; per currency the balance of the period (credits −
-- debits, net), what Choice policies saved (the waived, reduced and
-- platform-borne parts of debits) and the advance outstanding at p_to
-- (advances − recoveries over all time before p_to).
CREATE FUNCTION seller_statement_json(p_seller uuid, p_from timestamptz, p_to timestamptz,
                                      max_lines int)
RETURNS json LANGUAGE sql STABLE AS $$
    WITH period AS (
        SELECT * FROM seller_ledger l
        WHERE l.seller_id = p_seller AND l.event_at >= p_from AND l.event_at < p_to),
    currencies AS (
        SELECT DISTINCT currency FROM period
        UNION SELECT DISTINCT currency FROM seller_ledger
              WHERE seller_id = p_seller AND event_at < p_to
                AND fee_type IN ('advance', 'advance_recovery')),
    adv AS (
        SELECT currency,
               sum(net) FILTER (WHERE fee_type = 'advance') AS advanced,
               sum(net) FILTER (WHERE fee_type = 'advance_recovery') AS recovered
        FROM seller_ledger
        WHERE seller_id = p_seller AND event_at < p_to
          AND fee_type IN ('advance', 'advance_recovery')
        GROUP BY currency)
    SELECT json_build_object(
        'seller', (SELECT json_build_object('id', s.id, 'code', s.code) FROM sellers s
                   WHERE s.id = p_seller),
        'from', p_from, 'to', p_to,
        'lines', coalesce((SELECT json_agg(ledger_line_json(f) ORDER BY f.event_at, f.id)
                           FROM (SELECT * FROM period ORDER BY event_at, id LIMIT max_lines) f),
                          '[]'::json),
        'lines_total', (SELECT count(*) FROM period),
        'lines_truncated', (SELECT count(*) FROM period) > max_lines,
        'totals', coalesce((SELECT json_agg(json_build_object('fee_type', t.fee_type,
                               'direction', t.direction, 'currency', t.currency, 'lines', t.n,
                               'gross', t.gross, 'waived', t.waived, 'net', t.net)
                               ORDER BY t.currency, t.fee_type, t.direction)
                            FROM (SELECT fee_type, direction, currency, count(*) AS n,
                                         sum(gross) AS gross, sum(waived) AS waived,
                                         sum(net) AS net
                                  FROM period GROUP BY 1, 2, 3) t), '[]'::json),
        'by_currency', coalesce((SELECT json_agg(json_build_object('currency', c.currency,
                 'credits', coalesce(p.credits, 0), 'debits', coalesce(p.debits, 0),
                 'balance', coalesce(p.credits, 0) - coalesce(p.debits, 0),
                 'saved', coalesce(p.saved, 0),
                 'advance_outstanding', coalesce(a.advanced, 0) - coalesce(a.recovered, 0))
                 ORDER BY c.currency)
             FROM currencies c
             LEFT JOIN (SELECT currency,
                               sum(net) FILTER (WHERE direction = 'credit') AS credits,
                               sum(net) FILTER (WHERE direction = 'debit') AS debits,
                               sum(waived) FILTER (WHERE direction = 'debit') AS saved
                        FROM period GROUP BY currency) p USING (currency)
             LEFT JOIN adv a USING (currency)), '[]'::json))
$$;
