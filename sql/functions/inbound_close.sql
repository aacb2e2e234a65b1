-- inbound_close.sql — the two steps of closing an inbound shipment (api/inbound/h_inbound_close.c):
-- the read that the report and the fees are computed from, and the guarded close. Both find
-- the shipment first and then touch only its warehouse's shard, one statement at a time: no
-- query over a distributed table calls a function that queries the cluster per row, which
-- Citus refuses on a shard (README, "Writing SQL that distributes").

-- The newest shipment whose id is p_id or whose ASN number is p_asn, within the warehouse
-- scope (NULL: any): its warehouse, id, state, version and stored report (text), its lines
-- (JSON text: line, sku_id, sku, lot, expected, good, damaged, expired, by line) and the fee
-- input of a close at p_at (fees_inbound_close_input(), as text). No row when none.
CREATE OR REPLACE FUNCTION inbound_close_read(p_id uuid, p_asn text, p_warehouse uuid,
    p_at timestamptz, OUT warehouse_id uuid, OUT id uuid, OUT state text, OUT version int,
    OUT discrepancy text, OUT lines text, OUT fees_input text)
RETURNS SETOF record LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_wh uuid;
    v_id uuid;
BEGIN
    SELECT s.warehouse_id, s.id, s.state, s.version, s.discrepancy::text
    INTO v_wh, v_id, state, version, discrepancy
    FROM inbound_shipments s
    WHERE (s.id = p_id OR s.asn = p_asn) AND (p_warehouse IS NULL OR s.warehouse_id = p_warehouse)
    ORDER BY s.created_at DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    warehouse_id := v_wh;
    id := v_id;
    lines := coalesce((SELECT json_agg(json_build_object('line', l.line_no, 'sku_id', l.sku_id,
                                 'sku', k.sku_code, 'lot', l.lot, 'expected', l.expected,
                                 'good', l.received_good, 'damaged', l.received_damaged,
                                 'expired', l.received_expired) ORDER BY l.line_no)
                       FROM inbound_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
                       WHERE l.warehouse_id = v_wh AND l.shipment_id = v_id), '[]')::text;
    fees_input := fees_inbound_close_input(v_wh, v_id, p_at)::text;
    RETURN NEXT;
END $$;

-- Closes the shipment (p_warehouse, p_id) when its state is one of p_allowed and its version
-- is still p_version: state p_target, closed at p_now, the report p_report (lines, totals)
-- stored under shipment_id, asn, state and closed_at; then its receipts become stock, per
-- lot and expiry — sellable units in the warehouse's RECEIVING bin, damaged and expired ones
-- in its QUARANTINE bin (made when missing) — through inventory_post() (reason
-- inbound_receipt, by key p_key). Returns the stored report and the movements posted; no row
-- when the state or the version did not allow the close (nothing written).
CREATE OR REPLACE FUNCTION inbound_close(p_warehouse uuid, p_id uuid, p_allowed text[],
    p_target text, p_report jsonb, p_now timestamptz, p_version int, p_key uuid,
    OUT report jsonb, OUT movements int)
RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE
    moves jsonb;
BEGIN
    UPDATE inbound_shipments s SET state = p_target, version = s.version + 1,
        closed_at = p_now, updated_at = p_now,
        discrepancy = jsonb_build_object('shipment_id', s.id, 'asn', s.asn, 'state', p_target,
                                         'closed_at', api_ts(p_now)) || p_report
    WHERE s.warehouse_id = p_warehouse AND s.id = p_id AND s.state = ANY (p_allowed)
      AND s.version = p_version
    RETURNING s.discrepancy INTO report;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO bins (warehouse_id, code, zone, kind)
    VALUES (p_warehouse, 'RECEIVING', 'DOCK', 'receiving'),
           (p_warehouse, 'QUARANTINE', 'DOCK', 'quarantine')
    ON CONFLICT (warehouse_id, code) DO NOTHING;
    SELECT jsonb_agg(jsonb_build_object('seller_id', l.seller_id, 'sku_id', l.sku_id,
               'qty', x.qty, 'to_bin', b.id, 'to_status', x.status, 'lot', x.lot,
               'expiry', CASE WHEN x.expiry <> 'infinity' THEN x.expiry END)
               ORDER BY l.line_no, x.lot)
    INTO moves
    FROM inbound_lines l
    JOIN inbound_receipts x ON x.warehouse_id = l.warehouse_id AND x.shipment_id = l.shipment_id
      AND x.line_no = l.line_no
    JOIN bins b ON b.warehouse_id = l.warehouse_id
      AND b.code = CASE x.status WHEN 'sellable' THEN 'RECEIVING' ELSE 'QUARANTINE' END
    WHERE l.warehouse_id = p_warehouse AND l.shipment_id = p_id;
    movements := 0;
    IF moves IS NOT NULL THEN
        movements := inventory_post(p_warehouse, moves, 'inbound_receipt', 'inbound_shipment',
                                    p_id::text, p_key, p_now);
    END IF;
    RETURN NEXT;
END $$;
