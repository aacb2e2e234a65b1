-- receiving_line.sql — the over-receipt allowance of a line, and a line's progress as the
-- scan answers and the shipment show it.

-- The most units a line expecting `expected` may receive without a confirmed
-- over-receipt, with tolerance bp basis points: expected + floor(expected * bp / 10000)
-- (split so that the floor is exact without overflow). The one home of this rule: the
-- receiving_flow suite tests it through the server.
CREATE OR REPLACE FUNCTION receiving_allowed_max(expected bigint, bp int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT expected + (expected / 10000) * bp + (expected % 10000) * bp / 10000
$$;

-- A line's progress: what it expects and received, and how much is still open.
CREATE OR REPLACE FUNCTION receiving_line_json(line_no int, lot text, expiry date, expected int,
    unexpected boolean, good int, damaged int, expired int) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('line', line_no, 'lot', lot, 'expiry', expiry, 'expected', expected,
        'unexpected', unexpected, 'received_good', good, 'received_damaged', damaged,
        'received_expired', expired, 'open', greatest(0, expected - good - damaged - expired))
$$;
