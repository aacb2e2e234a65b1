-- receiving_line.sql — the over-receipt allowance of a line, and a line's progress as the
-- scan answers show it.

-- The most units a line expecting `expected` may receive without a
-- confirmed over-receipt, with tolerance bp basis points:
--   expected + floor(expected * bp / 10000)
-- THE SAME FORMULA as allowed_max() in wms/receiving.c (split the same way so
-- the floor is exact); the receiving_flow suite compares the two on a grid of
-- values. Inputs are bounded by the schema (expected <= 100000, bp <=
-- 100000), so the C version's saturation at INT64_MAX never applies here.
CREATE OR REPLACE FUNCTION receiving_allowed_max(expected bigint, bp int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT expected + (expected / 10000) * bp + (expected % 10000) * bp / 10000
$$;

-- A line's progress as the scan answers show it.
CREATE OR REPLACE FUNCTION receiving_line_json(l inbound_lines) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('line', l.line_no, 'lot', l.lot, 'expected', l.expected,
        'unexpected', l.unexpected, 'received_good', l.received_good,
        'received_damaged', l.received_damaged)
$$;
