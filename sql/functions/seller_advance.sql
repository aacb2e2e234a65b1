-- seller_advance.sql — a seller's advance outstanding: what the platform advanced on stock and
-- has not yet recovered from sales.

-- The advances less the recoveries in p_seller's ledger in p_currency, over all time (>= 0:
-- recoveries never pass what was advanced). Read by a settlement to price its recovery
-- (order_settlement_input) and again, under the seller account's lock, to make sure it
-- priced what is still true (order_settle). PL/pgSQL: planned on the seller's shard.
CREATE OR REPLACE FUNCTION seller_advance_outstanding(p_seller uuid, p_currency text)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT coalesce(sum(CASE l.fee_type WHEN 'advance' THEN l.net ELSE -l.net END), 0)
            FROM seller_ledger l
            WHERE l.seller_id = p_seller AND l.currency = p_currency
              AND l.fee_type IN ('advance', 'advance_recovery'));
END $$;
