-- 002_refdata.sql — helpers for the bin, seller and SKU endpoints: one page
-- envelope for every list, a seller reference resolved with the caller's
-- scope, and indexes for the list filters.

-- A list page from the JSON objects of up to lim + 1 rows, newest first (each
-- object carries "id" and "created_at", as every *_json function writes
-- them): {"items": the first lim, "next_cursor": the cursor of the lim-th
-- when there is one more, else null}. items may be NULL (no rows).
CREATE FUNCTION page_json(items json, lim int) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'items', coalesce((SELECT json_agg(e ORDER BY i)
                           FROM json_array_elements(items) WITH ORDINALITY AS t(e, i)
                           WHERE i <= lim), '[]'::json),
        'next_cursor', CASE WHEN json_array_length(coalesce(items, '[]'::json)) > lim
            THEN page_cursor((items -> (lim - 1) ->> 'created_at')::timestamptz,
                             (items -> (lim - 1) ->> 'id')::uuid) END)
$$;

-- The seller named by id (when given) or else by code, if the caller may see
-- it: scope is the caller's own seller id for seller keys, NULL for roles
-- that see every seller. NULL when there is no such seller in scope.
CREATE FUNCTION seller_ref(ref_id uuid, ref_code text, scope uuid) RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT s.id FROM sellers s
    WHERE s.id = coalesce($1, (SELECT c.id FROM sellers c WHERE c.code = $2))
      AND ($3 IS NULL OR s.id = $3)
$$;

CREATE INDEX bins_zone_page ON bins (warehouse_id, zone, created_at DESC, id DESC);
CREATE INDEX skus_category_page ON skus (seller_id, category, created_at DESC, id DESC);
