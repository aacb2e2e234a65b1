-- 001_foundation.sql — reference data (warehouses, bins, sellers, SKUs,
-- carriers) and API keys. Every table that will be distributed carries its
-- distribution column (warehouse_id / seller_id) first in its primary key.

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

-- Every key change is announced so that servers drop cached keys at once.
CREATE FUNCTION api_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('wms_keys', '');
    RETURN NULL;
END $$;
CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION api_keys_notify();

-- The JSON shape of each object, in one place for every statement.
CREATE FUNCTION warehouse_json(w warehouses) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', w.id, 'code', w.code, 'name', w.name, 'country', w.country,
        'time_zone', w.time_zone, 'kind', w.kind,
        'over_receipt_tolerance_bp', w.over_receipt_tolerance_bp,
        'created_at', w.created_at, 'updated_at', w.updated_at)
$$;

CREATE FUNCTION bin_json(b bins, warehouse_code text) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', b.id, 'warehouse', warehouse_code, 'code', b.code,
        'zone', b.zone, 'kind', b.kind, 'created_at', b.created_at, 'updated_at', b.updated_at)
$$;

CREATE FUNCTION seller_json(s sellers) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'country', s.country,
        'currency', s.currency, 'created_at', s.created_at, 'updated_at', s.updated_at)
$$;

CREATE FUNCTION sku_json(k skus) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', k.id, 'seller_id', k.seller_id, 'sku_code', k.sku_code,
        'gtin', k.gtin, 'name', k.name, 'category', k.category, 'weight_g', k.weight_g,
        'dimensions_mm', json_build_object('length', k.length_mm, 'width', k.width_mm,
                                           'height', k.height_mm),
        'declared_value', json_build_object('amount', k.declared_value, 'currency', k.currency),
        'popular', k.popular, 'created_at', k.created_at, 'updated_at', k.updated_at)
$$;

-- The pagination cursor of a row: "<created_at in µs since the epoch>_<id>".
CREATE FUNCTION page_cursor(ts timestamptz, id uuid) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(epoch FROM ts) * 1000000)::bigint::text || '_' || id::text
$$;
CREATE FUNCTION page_ts(micros text) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT 'epoch'::timestamptz + micros::bigint * interval '1 microsecond'
$$;
