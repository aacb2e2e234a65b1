-- fee_schedule_add.sql — adding a fee schedule version.

-- Adds a schedule version from valid_from on (whole seconds), closing the
-- open version there. A valid_from not after the latest version's is an
-- overlap: exclusion_violation naming that version (the caller answers 409).
-- categories is {"category": bp, ...}. Returns the new version's JSON.
-- Adds queue on a row lock of the latest version, a row every node holds (an advisory lock
-- would queue the callers of one node only): an add that waited reads the latest version
-- again, and when another add got in first it locks the new one and reads again. The
-- exclusion constraint fee_schedules_no_overlap is the last guard.
CREATE OR REPLACE FUNCTION fee_schedule_add(p_valid_from timestamptz, p_currency text, p_default_bp int,
    p_categories json, p_payment_bp int, p_pickup_fixed bigint, p_pickup_per_kg bigint,
    p_inbound_op bigint, p_outbound_op bigint, p_storage bigint, p_return bigint, p_note text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    locked bigint;
    latest bigint;
    latest_version int;
    latest_from timestamptz;
    created bigint;
BEGIN
    LOOP
        SELECT id INTO locked FROM fee_schedules ORDER BY valid_from DESC LIMIT 1 FOR UPDATE;
        SELECT id, version, valid_from INTO latest, latest_version, latest_from
            FROM fee_schedules ORDER BY valid_from DESC LIMIT 1;
        EXIT WHEN latest IS NOT DISTINCT FROM locked;
    END LOOP;
    IF latest IS NOT NULL AND p_valid_from <= latest_from THEN
        RAISE EXCEPTION 'fee schedule v% is in force from %; a new version must start after it',
            latest_version, api_ts(latest_from)
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'fee_schedules_no_overlap';
    END IF;
    UPDATE fee_schedules SET valid_to = p_valid_from
        WHERE valid_to IS NULL AND valid_from < p_valid_from;
    INSERT INTO fee_schedules (version, valid_from, currency, commission_default_bp, payment_fee_bp,
                               pickup_fixed, pickup_per_kg, inbound_op_per_unit,
                               outbound_op_per_unit, storage_per_m3_day, return_handling_per_unit,
                               note)
    VALUES (coalesce(latest_version, 0) + 1, p_valid_from, p_currency, p_default_bp, p_payment_bp,
            p_pickup_fixed, p_pickup_per_kg, p_inbound_op, p_outbound_op, p_storage, p_return,
            coalesce(p_note, ''))
    RETURNING id INTO created;
    INSERT INTO fee_schedule_categories (schedule_id, category, bp)
        SELECT created, c.key, c.value::int FROM json_each_text(p_categories) c;
    RETURN (SELECT fee_schedule_json(s.id, s.version, s.valid_from, s.valid_to, s.currency,
                       s.commission_default_bp, s.payment_fee_bp, s.pickup_fixed, s.pickup_per_kg,
                       s.inbound_op_per_unit, s.outbound_op_per_unit, s.storage_per_m3_day,
                       s.return_handling_per_unit, s.note, s.created_at)
            FROM fee_schedules s WHERE s.id = created);
END $$;
