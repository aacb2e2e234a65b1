-- refdata_json.sql — the JSON shape of warehouses, bins, sellers and SKUs, and a seller
-- reference resolved within the caller's scope.

-- The JSON shape of each object, in one place for every statement.
CREATE OR REPLACE FUNCTION warehouse_json(w warehouses) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', w.id, 'code', w.code, 'name', w.name, 'country', w.country,
        'time_zone', w.time_zone, 'kind', w.kind,
        'over_receipt_tolerance_bp', w.over_receipt_tolerance_bp,
        'created_at', api_ts(w.created_at), 'updated_at', api_ts(w.updated_at))
$$;

CREATE OR REPLACE FUNCTION bin_json(b bins, warehouse_code text) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', b.id, 'warehouse', warehouse_code, 'code', b.code,
        'zone', b.zone, 'kind', b.kind, 'created_at', api_ts(b.created_at), 'updated_at', api_ts(b.updated_at))
$$;

CREATE OR REPLACE FUNCTION seller_json(s sellers) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'country', s.country,
        'currency', s.currency, 'created_at', api_ts(s.created_at), 'updated_at', api_ts(s.updated_at))
$$;

CREATE OR REPLACE FUNCTION sku_json(k skus) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', k.id, 'seller_id', k.seller_id, 'sku_code', k.sku_code,
        'gtin', k.gtin, 'name', k.name, 'category', k.category, 'weight_g', k.weight_g,
        'dimensions_mm', json_build_object('length', k.length_mm, 'width', k.width_mm,
                                           'height', k.height_mm),
        'declared_value', json_build_object('amount', k.declared_value, 'currency', k.currency),
        'popular', k.popular, 'min_shelf_life_days', k.min_shelf_life_days, 'created_at', api_ts(k.created_at), 'updated_at', api_ts(k.updated_at))
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
