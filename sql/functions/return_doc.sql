-- return_doc.sql — a return authorisation (RMA) as GET /v1/returns/{id} answers it, and as
-- claim_doc embeds it: its state and returns centre, the authorised item (SKU, GTIN, name,
-- quantity), what was received so far (missing, extra, wrong items), each inspected unit and
-- the claim it belongs to. The return p_id is read on its returns centre's shard p_warehouse,
-- its SKU on the seller's; NULL when there is no such return. PL/pgSQL, so that each read is
-- its own statement on one shard (README, "Writing SQL that distributes", rules 3 and 5).
CREATE OR REPLACE FUNCTION return_doc(p_warehouse uuid, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seller uuid;
    v_sku uuid;
    item jsonb;
    units jsonb;
    doc jsonb;
BEGIN
    SELECT r.seller_id, r.sku_id INTO v_seller, v_sku FROM returns r
    WHERE r.warehouse_id = p_warehouse AND r.id = p_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT jsonb_build_object('sku', k.sku_code, 'gtin', k.gtin, 'name', k.name) INTO item
    FROM skus k WHERE k.seller_id = v_seller AND k.id = v_sku;
    SELECT coalesce(jsonb_agg(jsonb_build_object('unit', u.unit_no,
               'grade', u.grade, 'disposition', u.disposition, 'liability', u.liability,
               'bin', (SELECT b.code FROM bins b WHERE b.warehouse_id = u.warehouse_id
                         AND b.id = u.bin_id),
               'lot', u.lot, 'inspected_at', api_ts(u.inspected_at))
               ORDER BY u.unit_no), '[]'::jsonb)
    INTO units FROM return_units u
    WHERE u.warehouse_id = p_warehouse AND u.return_id = p_id;
    SELECT jsonb_build_object('id', r.id, 'rma', r.rma, 'state', r.state,
               'returns_centre', (SELECT w.code FROM warehouses w WHERE w.id = r.warehouse_id),
               'claim_id', r.claim_id, 'order_id', r.order_id, 'line', r.line_no,
               'items', jsonb_build_array(coalesce(item, '{}'::jsonb)
                            || jsonb_build_object('qty', r.authorised)),
               'authorised', r.authorised, 'received', r.received,
               'missing', CASE WHEN r.received IS NOT NULL
                               THEN greatest(r.authorised - r.received, 0) END,
               'extra', CASE WHEN r.received IS NOT NULL
                             THEN greatest(r.received - r.authorised, 0) END,
               'wrong_items', r.wrong_items, 'inspected', r.inspected, 'units', units,
               'carrier', r.carrier, 'service', r.service, 'cost', r.cost_minor,
               'route', r.route, 'label', '/v1/returns/' || r.id || '/label',
               'created_at', api_ts(r.created_at), 'received_at', api_ts(r.received_at))
    INTO doc FROM returns r
    WHERE r.warehouse_id = p_warehouse AND r.id = p_id;
    RETURN doc;
END $$;
