-- inbound_find.sql — the shipment reads: a shipment by id or ASN number, and a page of the
-- list. Each finds its shipments first (their warehouse and id, into arrays), then builds
-- each document with inbound_shipment_doc(warehouse, id): no query over inbound_shipments
-- calls a function that queries the cluster per row, which Citus refuses on a shard ("cannot
-- execute a distributed query from a query on a shard"), and every document is read on its
-- warehouse's shard (README, "Writing SQL that distributes").

-- The newest shipment whose id is p_id or whose ASN number is p_asn, within the seller and
-- warehouse scopes (NULL: any), as inbound_shipment_doc() shows it; NULL when none.
CREATE OR REPLACE FUNCTION inbound_find(p_id uuid, p_asn text, p_seller uuid, p_warehouse uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_id uuid;
BEGIN
    SELECT s.warehouse_id, s.id INTO v_wh, v_id FROM inbound_shipments s
    WHERE (s.id = p_id OR s.asn = p_asn)
      AND (p_seller IS NULL OR s.seller_id = p_seller)
      AND (p_warehouse IS NULL OR s.warehouse_id = p_warehouse)
    ORDER BY s.created_at DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN inbound_shipment_doc(v_wh, v_id);
END $$;

-- A page of shipments, newest first, as page_json() answers it: at most lim after the
-- cursor (p_cursor_ts, p_cursor_id; NULL: from the newest), within the seller and warehouse
-- scopes, in state p_state and in the warehouse whose code is p_warehouse_code (NULL: any;
-- an unknown code lists nothing).
CREATE OR REPLACE FUNCTION inbound_page(lim int, p_cursor_ts text, p_cursor_id uuid,
    p_seller uuid, p_warehouse uuid, p_state text, p_warehouse_code text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code_wh uuid;
    v_whs uuid[];
    v_ids uuid[];
BEGIN
    IF p_warehouse_code IS NOT NULL THEN
        v_code_wh := (SELECT w.id FROM warehouses w WHERE w.code = p_warehouse_code);
    END IF;
    SELECT array_agg(p.warehouse_id ORDER BY p.created_at DESC, p.id DESC),
           array_agg(p.id ORDER BY p.created_at DESC, p.id DESC)
    INTO v_whs, v_ids
    FROM (SELECT s.warehouse_id, s.id, s.created_at FROM inbound_shipments s
          WHERE (p_seller IS NULL OR s.seller_id = p_seller)
            AND (p_warehouse IS NULL OR s.warehouse_id = p_warehouse)
            AND (p_state IS NULL OR s.state = p_state)
            AND (p_warehouse_code IS NULL OR s.warehouse_id = v_code_wh)
            AND (p_cursor_ts IS NULL OR (s.created_at, s.id) < (page_ts(p_cursor_ts), p_cursor_id))
          ORDER BY s.created_at DESC, s.id DESC LIMIT lim + 1) p;
    RETURN page_json((SELECT json_agg(inbound_shipment_doc(x.warehouse_id, x.id) ORDER BY x.i)
                      FROM unnest(v_whs, v_ids) WITH ORDINALITY AS x (warehouse_id, id, i)), lim);
END $$;
