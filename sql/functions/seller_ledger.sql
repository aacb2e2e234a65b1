-- seller_ledger.sql — ledger lines, ledger pages and statements as the API shows them.
-- seller_ledger is distributed by seller_id: the readers are PL/pgSQL (Citus plans their
-- queries with the seller as a constant, on the seller's shard; a parameterized SQL
-- function over a distributed table does not plan), and a line's JSON takes its columns.

DROP FUNCTION IF EXISTS ledger_line_json(seller_ledger);

-- One ledger line as the API shows it.
CREATE OR REPLACE FUNCTION ledger_line_json(id bigint, event_type text, event_id text,
    line_no int, event_at timestamptz, fee_type text, direction text, treatment text,
    gross bigint, waived bigint, net bigint, currency text, mode text, policy_id bigint,
    policy_version int, schedule_id bigint, schedule_version int, warehouse_id uuid,
    sku_id uuid, reason text, created_at timestamptz) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', id::text, 'event_type', event_type, 'event_id', event_id,
        'line_no', line_no, 'event_at', api_ts(event_at), 'fee_type', fee_type,
        'direction', direction, 'treatment', treatment, 'gross', gross,
        'waived', waived, 'net', net, 'currency', currency, 'mode', mode,
        'policy_id', policy_id, 'policy_version', policy_version,
        'schedule_id', schedule_id, 'schedule_version', schedule_version,
        'warehouse_id', warehouse_id, 'sku_id', sku_id, 'reason', reason,
        'created_at', api_ts(created_at))
$$;

-- A page of a seller's ledger, newest first: lines with id < before (NULL =
-- from the newest), at most lim; next_cursor is the last line's id when
-- there are more. NULL when p_seller is NULL (no such seller).
CREATE OR REPLACE FUNCTION seller_ledger_page(p_seller uuid, lim int, before bigint)
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_seller IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (
        WITH page AS (
            SELECT l.id, ledger_line_json(l.id, l.event_type, l.event_id, l.line_no, l.event_at,
                       l.fee_type, l.direction, l.treatment, l.gross, l.waived, l.net,
                       l.currency, l.mode, l.policy_id, l.policy_version, l.schedule_id,
                       l.schedule_version, l.warehouse_id, l.sku_id, l.reason,
                       l.created_at) AS j
            FROM seller_ledger l
            WHERE l.seller_id = p_seller AND (before IS NULL OR l.id < before)
            ORDER BY l.id DESC LIMIT lim + 1)
        SELECT json_build_object(
            'items', coalesce((SELECT json_agg(j ORDER BY id DESC)
                               FROM (SELECT * FROM page ORDER BY id DESC LIMIT lim) f),
                              '[]'::json),
            'next_cursor', CASE WHEN (SELECT count(*) FROM page) > lim
                THEN (SELECT min(id) FROM (SELECT id FROM page ORDER BY id DESC LIMIT lim) f)::text
                END));
END $$;

-- A seller's statement for [p_from, p_to): up to max_lines ledger lines of
-- the period (oldest first); per fee type, direction and currency the gross,
-- waived and net totals; per currency the balance of the period (credits −
-- debits, net), what Choice policies saved (the waived, reduced and
-- platform-borne parts of debits) and the advance outstanding at p_to
-- (advances − recoveries over all time before p_to). NULL when p_seller is NULL (no such
-- seller: STRICT).
CREATE OR REPLACE FUNCTION seller_statement_json(p_seller uuid, p_from timestamptz, p_to timestamptz,
                                      max_lines int)
RETURNS json LANGUAGE plpgsql STABLE STRICT AS $$
BEGIN
    RETURN (
        WITH period AS (
            SELECT * FROM seller_ledger l
            WHERE l.seller_id = p_seller AND l.event_at >= p_from AND l.event_at < p_to),
        currencies AS (
            SELECT DISTINCT currency FROM period
            UNION SELECT DISTINCT currency FROM seller_ledger
                  WHERE seller_id = p_seller AND event_at < p_to
                    AND fee_type IN ('advance', 'advance_recovery')),
        adv AS (
            SELECT currency,
                   sum(net) FILTER (WHERE fee_type = 'advance') AS advanced,
                   sum(net) FILTER (WHERE fee_type = 'advance_recovery') AS recovered
            FROM seller_ledger
            WHERE seller_id = p_seller AND event_at < p_to
              AND fee_type IN ('advance', 'advance_recovery')
            GROUP BY currency)
        SELECT json_build_object(
            'seller', (SELECT json_build_object('id', s.id, 'code', s.code) FROM sellers s
                       WHERE s.id = p_seller),
            'from', api_ts(p_from), 'to', api_ts(p_to),
            'lines', coalesce((SELECT json_agg(ledger_line_json(f.id, f.event_type, f.event_id,
                                   f.line_no, f.event_at, f.fee_type, f.direction, f.treatment,
                                   f.gross, f.waived, f.net, f.currency, f.mode, f.policy_id,
                                   f.policy_version, f.schedule_id, f.schedule_version,
                                   f.warehouse_id, f.sku_id, f.reason, f.created_at)
                                   ORDER BY f.event_at, f.id)
                               FROM (SELECT * FROM period ORDER BY event_at, id LIMIT max_lines) f),
                              '[]'::json),
            -- buyer-protection refunds issued in the period, with their reasons (009_returns),
            -- also those that posted no ledger line (from the escrow, the seller liable)
            'returns', coalesce((SELECT json_agg(json_build_object('refund_id', f.id,
                                    'claim_id', f.claim_id, 'kind', c.kind,
                                    'order', o.client_order_id, 'line', f.line_no,
                                    'sku', k.sku_code, 'units', f.units, 'amount', f.amount,
                                    'currency', o.currency, 'state', f.state, 'source', f.source,
                                    'liability', f.liability, 'reason', f.reason,
                                    'issued_at', api_ts(f.issued_at))
                                    ORDER BY f.issued_at, f.id)
                                 FROM refunds f
                                 JOIN claims c ON c.seller_id = f.seller_id AND c.id = f.claim_id
                                 JOIN orders o ON o.seller_id = f.seller_id AND o.id = f.order_id
                                 JOIN order_lines l ON l.seller_id = f.seller_id
                                  AND l.order_id = f.order_id AND l.line_no = f.line_no
                                 JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id
                                 WHERE f.seller_id = p_seller AND f.issued_at >= p_from
                                   AND f.issued_at < p_to), '[]'::json),
            'lines_total', (SELECT count(*) FROM period),
            'lines_truncated', (SELECT count(*) FROM period) > max_lines,
            'totals', coalesce((SELECT json_agg(json_build_object('fee_type', t.fee_type,
                                   'direction', t.direction, 'currency', t.currency, 'lines', t.n,
                                   'gross', t.gross, 'waived', t.waived, 'net', t.net)
                                   ORDER BY t.currency, t.fee_type, t.direction)
                                FROM (SELECT fee_type, direction, currency, count(*) AS n,
                                             sum(gross) AS gross, sum(waived) AS waived,
                                             sum(net) AS net
                                      FROM period GROUP BY 1, 2, 3) t), '[]'::json),
            'by_currency', coalesce((SELECT json_agg(json_build_object('currency', c.currency,
                     'credits', coalesce(p.credits, 0), 'debits', coalesce(p.debits, 0),
                     'balance', coalesce(p.credits, 0) - coalesce(p.debits, 0),
                     'saved', coalesce(p.saved, 0),
                     'advance_outstanding', coalesce(a.advanced, 0) - coalesce(a.recovered, 0))
                     ORDER BY c.currency)
                 FROM currencies c
                 LEFT JOIN (SELECT currency,
                                   sum(net) FILTER (WHERE direction = 'credit') AS credits,
                                   sum(net) FILTER (WHERE direction = 'debit') AS debits,
                                   sum(waived) FILTER (WHERE direction = 'debit') AS saved
                            FROM period GROUP BY currency) p USING (currency)
                 LEFT JOIN adv a USING (currency)), '[]'::json)));
END $$;
