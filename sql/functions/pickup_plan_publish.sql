-- pickup_plan_publish.sql — publishing a pickup plan (POST /v1/pickup-plans/{id}/publish).

-- Publishes plan p_plan at p_now: the plan must be a draft ('wrong-state' otherwise) and
-- every request on its routes in p_publish_from (wms/pickup.h: requested, published) and, when
-- p_published, by the day's plan it replaces ('conflict' naming the first that is not: plan
-- again). Requests go to p_published; those of the replaced plan that this one leaves out go
-- back (p_unpublish_from → p_unpublished). The day's earlier published plan
-- is superseded; its requests that the new plan leaves out return to requested. Each request
-- on a route gets the plan, its vehicle, its stop number and its ETA window (the planned
-- service start ± p_eta_half_s, kept inside the request's ready window). Outcome 'ok' with
-- the plan's document, or a catalogue slug; errors change nothing.
CREATE OR REPLACE FUNCTION pickup_plan_publish(p_plan uuid, p_eta_half_s int,
    p_publish_from text[], p_published text, p_unpublish_from text[], p_unpublished text,
    p_now timestamptz, OUT outcome text, OUT detail text, OUT body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_wh uuid;
    v_state text;
    v_day date;
    v_doc jsonb;
    v_old uuid;
    v_bad uuid;
BEGIN
    SELECT p.warehouse_id INTO v_wh FROM pickup_plans p WHERE p.id = p_plan;
    IF v_wh IS NULL THEN
        outcome := 'not-found'; detail := 'no such pickup plan';
        RETURN;
    END IF;
    SELECT p.day INTO v_day FROM pickup_plans p WHERE p.warehouse_id = v_wh AND p.id = p_plan;
    -- every plan of the day, locked in id order: two publishes of the same day queue here
    PERFORM 1 FROM pickup_plans p WHERE p.warehouse_id = v_wh AND p.day = v_day
    ORDER BY p.id FOR UPDATE;
    SELECT p.state, p.doc INTO v_state, v_doc FROM pickup_plans p
    WHERE p.warehouse_id = v_wh AND p.id = p_plan;
    IF v_state <> 'draft' THEN
        outcome := 'wrong-state';
        detail := format('pickup plan is %s; only a draft is published', v_state);
        body := jsonb_build_object('state', v_state);
        RETURN;
    END IF;
    SELECT p.id INTO v_old FROM pickup_plans p
    WHERE p.warehouse_id = v_wh AND p.day = v_day AND p.state = 'published';
    -- the planned requests, locked, must still be as the plan saw them
    SELECT s.request INTO v_bad
    FROM (SELECT (st ->> 'request')::uuid AS request
          FROM jsonb_array_elements(v_doc -> 'routes') rt,
               jsonb_array_elements(rt -> 'stops') st) s
    LEFT JOIN LATERAL (SELECT r.state, r.plan_id FROM pickup_requests r
                       WHERE r.warehouse_id = v_wh AND r.id = s.request FOR UPDATE) r ON true
    WHERE r.state IS NULL OR NOT (r.state = ANY (p_publish_from)
                                  AND (r.state <> p_published OR r.plan_id = v_old))
    LIMIT 1;
    IF v_bad IS NOT NULL THEN
        outcome := 'conflict';
        detail := format('pickup request %s changed since this plan was made (collected, '
                         'cancelled or planned by another plan): plan again', v_bad);
        RETURN;
    END IF;
    IF v_old IS NOT NULL THEN
        UPDATE pickup_plans p SET state = 'superseded'
        WHERE p.warehouse_id = v_wh AND p.id = v_old;
        UPDATE pickup_requests r SET state = p_unpublished, plan_id = NULL, vehicle = NULL,
               stop_no = NULL, eta_from = NULL, eta_until = NULL, updated_at = p_now
        WHERE r.warehouse_id = v_wh AND r.plan_id = v_old AND r.state = ANY (p_unpublish_from);
    END IF;
    UPDATE pickup_requests r SET state = p_published, plan_id = p_plan, vehicle = s.vehicle,
           stop_no = s.stop_no,
           eta_from = greatest(r.ready_from, s.start_at - make_interval(secs => p_eta_half_s)),
           eta_until = least(r.ready_until, s.start_at + make_interval(secs => p_eta_half_s)),
           updated_at = p_now
    FROM (SELECT (st ->> 'request')::uuid AS request, rt ->> 'vehicle' AS vehicle,
                 o::int AS stop_no, (st ->> 'start')::timestamptz AS start_at
          FROM jsonb_array_elements(v_doc -> 'routes') rt,
               jsonb_array_elements(rt -> 'stops') WITH ORDINALITY AS x(st, o)) s
    WHERE r.warehouse_id = v_wh AND r.id = s.request AND r.state = ANY (p_publish_from);
    UPDATE pickup_plans p SET state = 'published', published_at = p_now,
           doc = p.doc || jsonb_build_object('state', 'published', 'published_at', api_ts(p_now))
    WHERE p.warehouse_id = v_wh AND p.id = p_plan
    RETURNING p.doc INTO body;
    outcome := 'ok';
END $$;
