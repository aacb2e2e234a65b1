-- refdata_json.sql — the JSON shape of warehouses, bins, sellers and SKUs (the same for a
-- create, an update, a read and a list), and a seller reference resolved within the
-- caller's scope. The shapes take columns, not rows (see README, "Writing SQL that
-- distributes"); each handler names them once in a macro.

CREATE OR REPLACE FUNCTION warehouse_json(id uuid, code text, name text, country text,
    time_zone text, kind text, over_receipt_tolerance_bp int, created_at timestamptz,
    updated_at timestamptz) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('id', id, 'code', code, 'name', name, 'country', country,
        'time_zone', time_zone, 'kind', kind, 'over_receipt_tolerance_bp', over_receipt_tolerance_bp,
        'created_at', api_ts(created_at), 'updated_at', api_ts(updated_at))
$$;

CREATE OR REPLACE FUNCTION bin_json(id uuid, warehouse_code text, code text, zone text, kind text,
    created_at timestamptz, updated_at timestamptz) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('id', id, 'warehouse', warehouse_code, 'code', code, 'zone', zone,
        'kind', kind, 'created_at', api_ts(created_at), 'updated_at', api_ts(updated_at))
$$;

CREATE OR REPLACE FUNCTION seller_json(id uuid, code text, name text, country text, currency text,
    created_at timestamptz, updated_at timestamptz) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('id', id, 'code', code, 'name', name, 'country', country,
        'currency', currency, 'created_at', api_ts(created_at), 'updated_at', api_ts(updated_at))
$$;

CREATE OR REPLACE FUNCTION sku_json(seller_id uuid, id uuid, sku_code text, gtin text, name text,
    category text, weight_g int, length_mm int, width_mm int, height_mm int,
    declared_value bigint, currency text, popular boolean, min_shelf_life_days int,
    created_at timestamptz, updated_at timestamptz) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('id', id, 'seller_id', seller_id, 'sku_code', sku_code,
        'gtin', gtin, 'name', name, 'category', category, 'weight_g', weight_g,
        'dimensions_mm', jsonb_build_object('length', length_mm, 'width', width_mm,
                                            'height', height_mm),
        'declared_value', jsonb_build_object('amount', declared_value, 'currency', currency),
        'popular', popular, 'min_shelf_life_days', min_shelf_life_days,
        'created_at', api_ts(created_at), 'updated_at', api_ts(updated_at))
$$;

-- The seller named by id (when given) or else by code, if the caller may see
-- it: scope is the caller's own seller id for seller keys, NULL for roles
-- that see every seller. NULL when there is no such seller in scope.
CREATE OR REPLACE FUNCTION seller_ref(ref_id uuid, ref_code text, scope uuid) RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT s.id FROM sellers s
    WHERE s.id = coalesce($1, (SELECT c.id FROM sellers c WHERE c.code = $2))
      AND ($3 IS NULL OR s.id = $3)
$$;
