-- order_settle.sql — the settlement of an order, applied: shipped → delivered, the escrow
-- released and the sale's ledger lines posted, in one transaction, once.
--
-- The caller (api/outbound/h_order_settlement.c) read order_settlement_input() and priced it
-- in C: p_rows are the seller_ledger rows of the sale (event_type 'sale', event_id the order's
-- id, line_no 1..n), p_settlement what the order shows of it, p_refunded the price of the
-- units that were short (back to the buyer), p_outstanding the seller's advance outstanding
-- in p_currency the recoveries were priced against.
--
-- 1. The order moves only from the states wms/order.h allows (p_allowed) to p_target, with
--    its escrow still held and its version still the one read: otherwise nothing is written
--    and the outcome is 'conflict' (the caller reads again: a twin that settled first makes
--    it delivered, 409 wrong-state). Two confirmations of one order queue on its row; the second finds it
--    delivered.
-- 2. The seller's account in p_currency is locked (created on the first settlement), so that
--    the seller's settlements take turns; the advance outstanding is read again after the
--    lock: when another settlement or an inbound close changed it since the pricing, the
--    whole call is undone with SQLSTATE WS004 and the caller prices again. A recovery is
--    therefore never priced against an advance another settlement already recovered.
-- 3. The rows are posted; a row already there would mean the sale was posted before, which
--    step 1 rules out: it raises rather than post half a sale.
-- Outcome 'ok' with the order (order_doc), or 'conflict'.
CREATE OR REPLACE FUNCTION order_settle(p_seller uuid, p_id uuid, p_allowed text[],
    p_target text, p_version int, p_currency text, p_outstanding bigint, p_refunded bigint,
    p_rows json, p_settlement jsonb, p_now timestamptz, OUT outcome text, OUT body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_outstanding bigint;
    v_paid bigint;
    v_client text;
    v_posted int;
BEGIN
    UPDATE orders o SET state = p_target, escrow = 'released', refunded = p_refunded,
        settlement = p_settlement, delivered_at = coalesce(o.delivered_at, p_now), updated_at = p_now,
        version = o.version + 1
    WHERE o.seller_id = p_seller AND o.id = p_id AND o.state = ANY (p_allowed)
      AND o.escrow = 'held' AND o.version = p_version
    RETURNING o.amount_paid, o.client_order_id INTO v_paid, v_client;
    IF NOT FOUND THEN
        outcome := 'conflict';
        RETURN;
    END IF;
    -- events out: escrow.released, to every active subscription that takes it
    INSERT INTO event_outbox (subscription_id, event_type, subject, payload)
    SELECT s.id, 'escrow.released', p_id, jsonb_build_object('type', 'escrow.released',
               'timestamp', api_ts(p_now), 'data', jsonb_build_object('order_id', p_id,
                   'client_order_id', v_client, 'currency', p_currency,
                   'released', v_paid - p_refunded, 'refunded', p_refunded))
    FROM event_subscriptions s
    WHERE s.state = 'active' AND 'escrow.released' = ANY (s.events)
      AND (s.seller_id IS NULL OR s.seller_id = p_seller);

    INSERT INTO seller_accounts AS a (seller_id, currency, settlements, last_settled_at)
    VALUES (p_seller, p_currency, 1, p_now)
    ON CONFLICT (seller_id, currency) DO UPDATE
        SET settlements = a.settlements + 1, last_settled_at = EXCLUDED.last_settled_at;
    v_outstanding := seller_advance_outstanding(p_seller, p_currency);
    IF v_outstanding <> p_outstanding THEN
        RAISE EXCEPTION 'the advance outstanding of seller % changed while order % was priced',
            p_seller, p_id USING ERRCODE = 'WS004',
            DETAIL = format('priced against %s, now %s', p_outstanding, v_outstanding);
    END IF;

    INSERT INTO seller_ledger (seller_id, event_type, event_id, line_no, event_at, fee_type,
        direction, treatment, gross, waived, net, currency, mode, policy_id, policy_version,
        schedule_id, schedule_version, warehouse_id, sku_id, reason)
    SELECT r.seller_id, r.event_type, r.event_id, r.line_no, r.event_at, r.fee_type,
        r.direction, r.treatment, r.gross, r.waived, r.net, r.currency, r.mode, r.policy_id,
        r.policy_version, r.schedule_id, r.schedule_version, r.warehouse_id, r.sku_id, r.reason
    FROM json_populate_recordset(NULL::seller_ledger, p_rows) r
    WHERE r.seller_id = p_seller
    ON CONFLICT (seller_id, event_type, event_id, line_no) DO NOTHING;
    GET DIAGNOSTICS v_posted = ROW_COUNT;
    IF v_posted <> json_array_length(p_rows) THEN
        RAISE EXCEPTION 'the sale of order % was posted before (% of % lines new)', p_id,
            v_posted, json_array_length(p_rows);
    END IF;

    outcome := 'ok';
    body := order_doc(p_seller, p_id);
END $$;
