-- refund_json.sql — a refund as the API shows it (in its claim, and GET /v1/refunds/{id}):
-- its state (wms/refund.h), the units, what was asked and refunded, from where, who bears
-- it, its reason, and the seller-ledger lines it posted (event_type 'return', event_id the
-- refund's id).
CREATE OR REPLACE FUNCTION refund_json(p_seller uuid, p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT jsonb_build_object('id', f.id, 'claim_id', f.claim_id, 'order_id', f.order_id,
               'line', f.line_no, 'state', f.state, 'units', f.units,
               'requested', f.requested, 'amount', f.amount, 'source', f.source,
               'liability', f.liability, 'reason', f.reason,
               'ledger', (SELECT coalesce(jsonb_agg(jsonb_build_object('line_no', g.line_no,
                              'fee_type', g.fee_type, 'direction', g.direction,
                              'treatment', g.treatment, 'gross', g.gross, 'waived', g.waived,
                              'net', g.net, 'reason', g.reason) ORDER BY g.line_no), '[]'::jsonb)
                          FROM seller_ledger g
                          WHERE g.seller_id = f.seller_id AND g.event_type = 'return'
                            AND g.event_id = f.id::text),
               'created_at', api_ts(f.created_at), 'issued_at', api_ts(f.issued_at))
    INTO doc FROM refunds f WHERE f.seller_id = p_seller AND f.id = p_id;
    RETURN doc;
END $$;
