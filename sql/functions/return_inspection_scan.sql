-- return_inspection_scan.sql — one received unit of a return inspected (POST
-- /v1/returns/inspection-scans), exactly once by scan_id: apart from receipt and refund.
--
--   p_warehouse   the staff key's warehouse (the returns centre)
--   p_scan_id, p_key_id, p_request_hash   as receiving_scan's
--   p_return / p_rma   the return, as the receipt scan finds it
--   p_grade, p_disposition, p_liability   the unit's (wms/claim.h names the liabilities)
--   p_lot         the unit's lot; NULL: the lot the order's line was picked from (the
--                 returns centre is the fulfillment centre), else none
--   p_allowed, p_target   wms/claim.h's close: the claim states it starts from and goes to
--   p_now         the scan's time
--
-- The return must be received with units left to inspect ('wrong-state' otherwise). The
-- unit is recorded; restock puts it into sellable stock in the centre's returns bin (a bin
-- of kind returns, else its receiving bin), with its lot and expiry, from where the putaway
-- scan moves it to storage (the putaway rules apply: sellable stock never into quarantine);
-- quarantine puts it into the centre's quarantine bin, status quarantine; dispose and
-- return_to_seller move no stock (recorded). Both are inventory movements (reason
-- return_receipt, ref return). The return's last unit closes it: the claim goes to
-- p_target, the order's escrow is unfrozen (claims_open − 1), and one pending refund is
-- made per liability among the units (the units, their price, who bears it); the caller
-- issues them (api/returns/refund_issue.h): refunds_pending in the answer. Outcome 'ok'
-- with {return, unit, progress {received, inspected}, refunds_pending, next: unit | done}.
CREATE OR REPLACE FUNCTION return_inspection_scan(p_warehouse warehouse_ref, p_scan_id uuid,
    p_key_id uuid, p_request_hash text, p_return uuid, p_rma text, p_grade text,
    p_disposition text, p_liability text, p_lot text, p_allowed text[], p_target text,
    p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v record;
    v_id uuid;
    v_unit int;
    v_bin uuid;
    v_bin_code text;
    v_lot text := p_lot;
    v_expiry date;
    v_price bigint;
    v_client text;
    pending jsonb := '[]';
BEGIN
    SELECT f.outcome, f.detail, f.body, f.replayed, f.return_id
    INTO outcome, detail, body, replayed, v_id
    FROM return_scan_find(p_warehouse, p_scan_id, 'return_inspection', p_request_hash,
                          p_return, p_rma) f;
    IF outcome IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT r.* INTO v FROM returns r WHERE r.warehouse_id = p_warehouse AND r.id = v_id;
    replayed := false;
    IF v.state <> 'received' OR v.inspected >= v.received THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v.state, 'rma', v.rma, 'received', v.received,
                                   'inspected', v.inspected,
                                   'next', CASE WHEN v.state = 'authorised' THEN 'receive'
                                                ELSE 'return' END);
        detail := CASE WHEN v.state = 'authorised'
                       THEN format('return %s has not been received: scan its receipt first', v.rma)
                       ELSE format('every received unit of return %s is inspected (%s)', v.rma,
                                   v.inspected) END;
        RETURN;
    END IF;
    v_unit := v.inspected + 1;

    IF p_disposition IN ('restock', 'quarantine') THEN
        SELECT b.id, b.code INTO v_bin, v_bin_code FROM bins b
        WHERE b.warehouse_id = p_warehouse
          AND b.kind = ANY (CASE WHEN p_disposition = 'restock' THEN ARRAY['returns', 'receiving']
                                 ELSE ARRAY['quarantine'] END)
        ORDER BY b.kind = 'receiving', b.code LIMIT 1;
        IF v_bin IS NULL THEN
            outcome := 'conflict';
            detail := format('this returns centre has no %s bin for a %s unit',
                             CASE WHEN p_disposition = 'restock' THEN 'returns or receiving'
                                  ELSE 'quarantine' END, p_disposition);
            RETURN;
        END IF;
        IF v_lot IS NULL THEN
            SELECT x.lot, x.expiry INTO v_lot, v_expiry FROM order_reservations x
            WHERE x.warehouse_id = p_warehouse AND x.order_id = v.order_id
              AND x.line_no = v.line_no AND x.picked > 0
            ORDER BY x.expiry, x.lot LIMIT 1;
        END IF;
        PERFORM inventory_post(p_warehouse, jsonb_build_array(jsonb_build_object(
                    'seller_id', v.seller_id, 'sku_id', v.sku_id, 'qty', 1, 'to_bin', v_bin,
                    'to_status', CASE WHEN p_disposition = 'restock' THEN 'sellable'
                                      ELSE 'quarantine' END,
                    'lot', coalesce(v_lot, ''),
                    'expiry', CASE WHEN v_expiry = 'infinity' THEN NULL ELSE v_expiry END)),
                'return_receipt', 'return', v.id::text, p_key_id, p_now);
    END IF;
    INSERT INTO return_units (warehouse_id, return_id, unit_no, grade, disposition, liability,
        bin_id, lot, scan_id, inspected_at)
    VALUES (p_warehouse, v.id, v_unit, p_grade, p_disposition, p_liability, v_bin,
        coalesce(v_lot, ''), p_scan_id, p_now);
    UPDATE returns r SET inspected = v_unit,
        state = CASE WHEN v_unit = v.received THEN 'inspected' ELSE r.state END
    WHERE r.warehouse_id = p_warehouse AND r.id = v.id;

    IF v_unit = v.received THEN
        UPDATE claims c SET state = p_target, closed_at = p_now,
            liability = (SELECT u.liability FROM return_units u
                         WHERE u.warehouse_id = p_warehouse AND u.return_id = v.id
                         GROUP BY u.liability ORDER BY count(*) DESC, u.liability LIMIT 1)
        WHERE c.seller_id = v.seller_id AND c.id = v.claim_id AND c.state = ANY (p_allowed);
        IF NOT FOUND THEN
            RAISE EXCEPTION 'claim % of return % is not being inspected', v.claim_id, v.id;
        END IF;
        UPDATE orders o SET claims_open = o.claims_open - 1, version = o.version + 1,
            updated_at = p_now
        WHERE o.seller_id = v.seller_id AND o.id = v.order_id
        RETURNING o.client_order_id INTO v_client;
        SELECT l.unit_price INTO v_price FROM order_lines l
        WHERE l.seller_id = v.seller_id AND l.order_id = v.order_id AND l.line_no = v.line_no;
        WITH groups AS (
            SELECT u.liability, count(*)::int AS units,
                   string_agg(u.grade || ' → ' || u.disposition, ', ' ORDER BY u.unit_no) AS what
            FROM return_units u WHERE u.warehouse_id = p_warehouse AND u.return_id = v.id
            GROUP BY u.liability),
        made AS (
            INSERT INTO refunds (seller_id, order_id, claim_id, line_no, units, requested,
                liability, reason, created_at)
            SELECT v.seller_id, v.order_id, v.claim_id, v.line_no, g.units, g.units * v_price,
                g.liability,
                left(format('return %s of order %s: %s unit(s) inspected (%s), %s liable%s',
                            v.rma, v_client, g.units, g.what, g.liability,
                            CASE WHEN g.liability = 'buyer' THEN ': not refunded' ELSE '' END),
                     500),
                p_now
            FROM groups g ORDER BY g.liability
            RETURNING id)
        SELECT coalesce(jsonb_agg(to_jsonb(m.id)), '[]') INTO pending FROM made m;
    END IF;

    outcome := 'ok';
    body := jsonb_build_object(
        'return', jsonb_build_object('id', v.id, 'rma', v.rma, 'claim_id', v.claim_id,
                      'state', CASE WHEN v_unit = v.received THEN 'inspected' ELSE 'received' END),
        'unit', jsonb_build_object('unit', v_unit, 'grade', p_grade,
                    'disposition', p_disposition, 'liability', p_liability, 'bin', v_bin_code,
                    'lot', coalesce(v_lot, '')),
        'progress', jsonb_build_object('received', v.received, 'inspected', v_unit),
        'refunds_pending', pending,
        'next', CASE WHEN v_unit = v.received THEN 'done' ELSE 'unit' END);
    PERFORM scan_record(p_warehouse, p_scan_id, 'return_inspection', p_key_id, p_request_hash,
                        body, p_now);
END $$;
