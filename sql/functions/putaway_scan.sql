-- putaway_scan.sql — one putaway scan (POST /v1/putaway/scans).

-- One putaway scan (POST /v1/putaway/scans) in warehouse p_warehouse: moves
-- p_qty units of the item with GTIN p_gtin in status p_status from bin
-- p_from to bin p_to (bin codes). The SKU is the GTIN's SKU that has stock
-- at the source (GTINs are unique per seller, so two sellers' SKUs could
-- share one: if both have stock there, the scan is ambiguous, 422). The
-- source's on-hand row is locked before the quantity check, so concurrent
-- putaways of the same stock serialize and the check holds; the scan_id is
-- checked again under that lock (a twin that held it has committed). The
-- movement's trigger keeps on-hand; the answer shows both sides after it.
CREATE OR REPLACE FUNCTION putaway_scan(p_warehouse uuid, p_scan_id uuid, p_key_id uuid, p_gtin text,
    p_qty int, p_from text, p_to text, p_status text,
    OUT status int, OUT problem text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    fb bins;
    tb bins;
    k skus;
    n int;
    have bigint;
    to_after bigint;
BEGIN
    SELECT * INTO status, problem, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'putaway');
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;

    SELECT * INTO fb FROM bins WHERE warehouse_id = p_warehouse AND code = p_from;
    IF NOT FOUND THEN
        status := 422; problem := 'unknown-bin'; body := jsonb_build_object('field', 'from');
        detail := format('no bin %s in this warehouse', p_from);
        RETURN;
    END IF;
    SELECT * INTO tb FROM bins WHERE warehouse_id = p_warehouse AND code = p_to;
    IF NOT FOUND THEN
        status := 422; problem := 'unknown-bin'; body := jsonb_build_object('field', 'to_bin');
        detail := format('no bin %s in this warehouse', p_to);
        RETURN;
    END IF;

    SELECT count(*) INTO n FROM skus WHERE gtin = p_gtin::bpchar;
    IF n = 0 THEN
        status := 422; problem := 'unknown-gtin';
        detail := format('GTIN %s is no SKU''s', p_gtin);
        RETURN;
    END IF;
    SELECT count(*) INTO n
    FROM skus k2 JOIN inventory_onhand o ON o.warehouse_id = p_warehouse
         AND o.sku_id = k2.id AND o.bin_id = fb.id AND o.status = p_status AND o.qty > 0
    WHERE k2.gtin = p_gtin::bpchar;
    IF n > 1 THEN
        status := 422; problem := 'ambiguous-gtin';
        detail := format('GTIN %s belongs to SKUs of %s sellers with stock at %s', p_gtin, n, p_from);
        RETURN;
    ELSIF n = 0 THEN
        status := 409; problem := 'insufficient-stock';
        detail := format('only 0 units of GTIN %s (%s) at %s', p_gtin, p_status, p_from);
        body := jsonb_build_object('available', 0, 'next', 'item');
        RETURN;
    END IF;

    SELECT k2.* INTO k
    FROM skus k2 JOIN inventory_onhand o ON o.warehouse_id = p_warehouse
         AND o.sku_id = k2.id AND o.bin_id = fb.id AND o.status = p_status AND o.qty > 0
    WHERE k2.gtin = p_gtin::bpchar;
    SELECT o.qty INTO have FROM inventory_onhand o
    WHERE o.warehouse_id = p_warehouse AND o.sku_id = k.id AND o.bin_id = fb.id
      AND o.status = p_status
    FOR UPDATE;
    SELECT * INTO status, problem, detail, body, replayed
    FROM scan_prior(p_warehouse, p_scan_id, 'putaway');
    IF FOUND THEN
        RETURN;
    END IF;
    replayed := false;
    IF have < p_qty THEN
        status := 409; problem := 'insufficient-stock';
        detail := format('only %s units of %s (%s) at %s', have, k.sku_code, p_status, p_from);
        body := jsonb_build_object('available', have, 'next', 'item',
            'sku', jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin));
        RETURN;
    END IF;

    INSERT INTO inventory_movements (warehouse_id, seller_id, sku_id, qty, from_bin_id, from_status,
                                     to_bin_id, to_status, reason, ref_type, ref_id, key_id)
    VALUES (p_warehouse, k.seller_id, k.id, p_qty, fb.id, p_status, tb.id, p_status, 'putaway',
            'scan', p_scan_id::text, p_key_id);
    SELECT o.qty INTO to_after FROM inventory_onhand o
    WHERE o.warehouse_id = p_warehouse AND o.sku_id = k.id AND o.bin_id = tb.id
      AND o.status = p_status;

    body := jsonb_build_object('scan_id', p_scan_id,
        'sku', jsonb_build_object('id', k.id, 'sku_code', k.sku_code, 'gtin', k.gtin,
                                  'seller_id', k.seller_id),
        'qty', p_qty, 'status', p_status,
        'from', jsonb_build_object('bin', fb.code, 'qty', have - p_qty),
        'to', jsonb_build_object('bin', tb.code, 'qty', to_after),
        'next', 'item', 'scanned_at', clock_timestamp());
    INSERT INTO scans (warehouse_id, scan_id, kind, shipment_id, key_id, response)
    VALUES (p_warehouse, p_scan_id, 'putaway', NULL, p_key_id, body);
    status := 200;
END $$;
