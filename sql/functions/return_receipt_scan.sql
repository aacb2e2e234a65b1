-- return_receipt_scan.sql — the returns centre receives a return by scanning its label
-- (POST /v1/returns/receipt-scans), exactly once by scan_id. Receipt only: inspection and
-- refund come after, each on its own.
--
--   p_warehouse   the staff key's warehouse (the returns centre)
--   p_scan_id, p_key_id, p_request_hash   as receiving_scan's
--   p_return      the return's id (the label's Data Matrix), or NULL; p_rma its RMA code
--                 (the label's Code 128): one of the two
--   p_count       units of the authorised item that arrived (0 and up)
--   p_wrong       [{gtin, qty}] items in the parcel that the return does not authorise:
--                 recorded on the return, never received into stock
--   p_confirm_over  more than authorised must be confirmed
--   p_allowed, p_target   wms/claim.h's receive: the claim states it starts from and goes to
--   p_now         the scan's time
--
-- The return is found in this warehouse only ('not-found'). It must be authorised
-- ('wrong-state' with when it was received). More units than authorised without
-- p_confirm_over is 'over-return' (next: confirm_over_return) and changes nothing. The
-- return records what arrived (received, wrong_items) and its claim goes to p_target; when
-- nothing of what was authorised arrived there is nothing to inspect: the claim is closed
-- with no refund and the order's escrow unfrozen. Outcome 'ok' with {return, authorised,
-- received, missing, extra, wrong_items, next: inspect | return}.
CREATE OR REPLACE FUNCTION return_receipt_scan(p_warehouse warehouse_ref, p_scan_id uuid,
    p_key_id uuid, p_request_hash text, p_return uuid, p_rma text, p_count int, p_wrong jsonb,
    p_confirm_over boolean, p_allowed text[], p_target text, p_now timestamptz,
    OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v record;
    v_id uuid;
BEGIN
    SELECT f.outcome, f.detail, f.body, f.replayed, f.return_id
    INTO outcome, detail, body, replayed, v_id
    FROM return_scan_find(p_warehouse, p_scan_id, 'return_receipt', p_request_hash, p_return,
                          p_rma) f;
    IF outcome IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT r.* INTO v FROM returns r WHERE r.warehouse_id = p_warehouse AND r.id = v_id;
    replayed := false;
    IF v.state <> 'authorised' THEN
        outcome := 'wrong-state';
        body := jsonb_build_object('state', v.state, 'rma', v.rma, 'received', v.received,
                                   'received_at', api_ts(v.received_at), 'next', 'return');
        detail := format('return %s was received at %s (%s units): a return is received once',
                         v.rma, api_ts(v.received_at), v.received);
        RETURN;
    END IF;
    IF p_count > v.authorised AND NOT p_confirm_over THEN
        outcome := 'over-return';
        body := jsonb_build_object('rma', v.rma, 'authorised', v.authorised, 'counted', p_count,
                                   'next', 'confirm_over_return');
        detail := format('%s units counted; return %s authorises %s: confirm to receive more '
                         'than authorised', p_count, v.rma, v.authorised);
        RETURN;
    END IF;

    UPDATE returns r SET state = 'received', received = p_count,
        wrong_items = CASE WHEN jsonb_array_length(coalesce(p_wrong, '[]')) > 0 THEN p_wrong END,
        received_at = p_now
    WHERE r.warehouse_id = p_warehouse AND r.id = v.id;
    UPDATE claims c SET state = CASE WHEN p_count = 0 THEN 'closed' ELSE p_target END,
        closed_at = CASE WHEN p_count = 0 THEN p_now END
    WHERE c.seller_id = v.seller_id AND c.id = v.claim_id AND c.state = ANY (p_allowed);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'claim % of return % is not awaiting its return', v.claim_id, v.id;
    END IF;
    IF p_count = 0 THEN
        UPDATE orders o SET claims_open = o.claims_open - 1, version = o.version + 1,
            updated_at = p_now
        WHERE o.seller_id = v.seller_id AND o.id = v.order_id;
    END IF;
    outcome := 'ok';
    body := jsonb_build_object(
        'return', jsonb_build_object('id', v.id, 'rma', v.rma, 'claim_id', v.claim_id,
                                     'state', 'received'),
        'sku', (SELECT k.sku_code FROM skus k WHERE k.seller_id = v.seller_id AND k.id = v.sku_id),
        'authorised', v.authorised, 'received', p_count,
        'missing', greatest(v.authorised - p_count, 0),
        'extra', greatest(p_count - v.authorised, 0),
        'wrong_items', coalesce(p_wrong, '[]'),
        'next', CASE WHEN p_count > 0 THEN 'inspect' ELSE 'return' END);
    PERFORM scan_record(p_warehouse, p_scan_id, 'return_receipt', p_key_id, p_request_hash, body,
                        p_now);
END $$;
