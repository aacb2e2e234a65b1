-- pick_claim.sql — POST /v1/pick-lists/claim: work for the operator holding key p_key in
-- warehouse p_warehouse, in this order:
--
--   own        the list it is picking already (one list per operator: the unique index
--              pick_lists_picking), answered as it is;
--   released   else the oldest released list (claim: p_claim_from → p_picking), so that
--              units already picked into PACKING are finished first;
--   new        else a new list batching up to p_max allocated orders on no list, most
--              urgent promise deadline first (start_pick: p_start_from → p_order_picking,
--              orders.pick_list_id set); held orders are on_hold, never allocated, so never
--              batched;
--   none       else no work: {claimed: none, next: {step: none}, detail}.
--
-- Two operators never get the same list or order: lists and orders are taken with FOR
-- UPDATE SKIP LOCKED and checked again under the lock. The orders are found by a read over
-- the warehouse's allocated orders, then each is locked on its seller's shard by
-- (seller_id, id), the only FOR UPDATE that distributes. Claims by the same key queue on the
-- key's row (api_keys, on the coordinator where claims run), so a twin finds the first one's
-- list instead of batching the orders it did not get; should one still lose the race for
-- the operator's one list (the unique index pick_lists_picking), it raises SCAN_TWIN
-- (WS001): nothing of it is kept, the caller runs it again, and it finds the twin's list.
-- Outcome 'ok' with the list (pick_list_doc) and claimed: own | released | new, or with
-- claimed: none.
CREATE OR REPLACE FUNCTION pick_claim(p_warehouse warehouse_ref, p_key uuid, p_max int,
    p_claim_from text[], p_picking text, p_start_from text[], p_order_picking text,
    p_now timestamptz, OUT outcome text, OUT detail text, OUT body jsonb, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
    c record;
    taken uuid[] := '{}';
BEGIN
    replayed := false;
    outcome := 'ok';
    PERFORM 1 FROM api_keys k WHERE k.id = p_key FOR NO KEY UPDATE;
    SELECT l.id INTO v_id FROM pick_lists l
    WHERE l.warehouse_id = p_warehouse AND l.key_id = p_key AND l.state = p_picking;
    IF v_id IS NOT NULL THEN
        body := pick_list_doc(p_warehouse, v_id) || jsonb_build_object('claimed', 'own');
        RETURN;
    END IF;

    SELECT l.id INTO v_id FROM pick_lists l
    WHERE l.warehouse_id = p_warehouse AND l.state = ANY (p_claim_from)
    ORDER BY l.created_at, l.id LIMIT 1
    FOR UPDATE SKIP LOCKED;
    IF v_id IS NOT NULL THEN
        BEGIN
            UPDATE pick_lists l SET state = p_picking, key_id = p_key, updated_at = p_now
            WHERE l.warehouse_id = p_warehouse AND l.id = v_id;
        EXCEPTION WHEN unique_violation THEN -- a twin of this claim got a list meanwhile
            RAISE EXCEPTION 'a twin claim by key % got a list', p_key USING ERRCODE = 'WS001';
        END;
        body := pick_list_doc(p_warehouse, v_id) || jsonb_build_object('claimed', 'released');
        RETURN;
    END IF;

    v_id := gen_random_uuid();
    FOR c IN SELECT o.seller_id, o.id FROM orders o
             WHERE o.warehouse_id = p_warehouse AND o.state = ANY (p_start_from)
               AND o.pick_list_id IS NULL
             ORDER BY o.promise_deadline, o.created_at, o.id LOOP
        PERFORM 1 FROM orders o
        WHERE o.seller_id = c.seller_id AND o.id = c.id AND o.state = ANY (p_start_from)
          AND o.pick_list_id IS NULL
        FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND; -- another operator's claim holds it, or took it meanwhile
        UPDATE orders o SET state = p_order_picking, pick_list_id = v_id, updated_at = p_now,
            version = o.version + 1
        WHERE o.seller_id = c.seller_id AND o.id = c.id;
        taken := taken || c.id;
        EXIT WHEN cardinality(taken) >= p_max;
    END LOOP;
    IF cardinality(taken) = 0 THEN
        body := jsonb_build_object('claimed', 'none', 'next', jsonb_build_object('step', 'none'),
            'detail', 'no released pick list and no allocated order waiting in this warehouse');
        RETURN;
    END IF;
    INSERT INTO pick_lists AS l (warehouse_id, id, state, key_id, orders, created_at, updated_at)
    VALUES (p_warehouse, v_id, p_picking, p_key, taken, p_now, p_now)
    ON CONFLICT (warehouse_id, key_id) WHERE state = 'picking' DO NOTHING;
    IF NOT FOUND THEN -- a twin of this claim made the operator's list meanwhile: undo, rerun
        RAISE EXCEPTION 'a twin claim by key % made a list', p_key USING ERRCODE = 'WS001';
    END IF;
    body := pick_list_doc(p_warehouse, v_id) || jsonb_build_object('claimed', 'new');
END $$;
