-- paging.sql — list pages: the cursor of a row and the page envelope every list answers.

-- The pagination cursor of a row: "<created_at in µs since the epoch>_<id>".
CREATE OR REPLACE FUNCTION page_cursor(ts timestamptz, id uuid) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(epoch FROM ts) * 1000000)::bigint::text || '_' || id::text
$$;

CREATE OR REPLACE FUNCTION page_ts(micros text) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT 'epoch'::timestamptz + micros::bigint * interval '1 microsecond'
$$;

-- A list page from the JSON objects of up to lim + 1 rows, newest first (each
-- object carries "id" and "created_at", as every *_json function writes
-- them): {"items": the first lim, "next_cursor": the cursor of the lim-th
-- when there is one more, else null}. items may be NULL (no rows).
CREATE OR REPLACE FUNCTION page_json(items json, lim int) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'items', coalesce((SELECT json_agg(e ORDER BY i)
                           FROM json_array_elements(items) WITH ORDINALITY AS t(e, i)
                           WHERE i <= lim), '[]'::json),
        'next_cursor', CASE WHEN json_array_length(coalesce(items, '[]'::json)) > lim
            THEN page_cursor((items -> (lim - 1) ->> 'created_at')::timestamptz,
                             (items -> (lim - 1) ->> 'id')::uuid) END)
$$;
