-- fee_policy_add.sql — adding a mode's policy version.

-- The same for a mode's policy (see fee_schedule_add): adds queue on a row lock of the
-- mode's latest version.
CREATE OR REPLACE FUNCTION fee_policy_add(p_mode text, p_valid_from timestamptz, p_multiplier_bp int,
    p_waived text[], p_platform_borne text[], p_free_days int, p_advance_bp int,
    p_requires_popular boolean, p_recovery_bp int, p_note text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    locked bigint;
    latest bigint;
    latest_version int;
    latest_from timestamptz;
    created json;
BEGIN
    LOOP
        SELECT id INTO locked FROM fee_policies WHERE mode = p_mode
            ORDER BY valid_from DESC LIMIT 1 FOR UPDATE;
        SELECT id, version, valid_from INTO latest, latest_version, latest_from
            FROM fee_policies WHERE mode = p_mode ORDER BY valid_from DESC LIMIT 1;
        EXIT WHEN latest IS NOT DISTINCT FROM locked;
    END LOOP;
    IF latest IS NOT NULL AND p_valid_from <= latest_from THEN
        RAISE EXCEPTION '% policy v% is in force from %; a new version must start after it',
            p_mode, latest_version, api_ts(latest_from)
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'fee_policies_no_overlap';
    END IF;
    UPDATE fee_policies SET valid_to = p_valid_from
        WHERE mode = p_mode AND valid_to IS NULL AND valid_from < p_valid_from;
    INSERT INTO fee_policies AS p (mode, version, valid_from, commission_multiplier_bp, waived,
                                   platform_borne, storage_free_days, advance_rate_bp,
                                   advance_requires_popular, recovery_share_bp, note)
    VALUES (p_mode, coalesce(latest_version, 0) + 1, p_valid_from, p_multiplier_bp, p_waived,
            p_platform_borne, p_free_days, p_advance_bp, p_requires_popular, p_recovery_bp,
            coalesce(p_note, ''))
    RETURNING fee_policy_json(p.id, p.mode, p.version, p.valid_from, p.valid_to,
                              p.commission_multiplier_bp, p.waived, p.platform_borne,
                              p.storage_free_days, p.advance_rate_bp, p.advance_requires_popular,
                              p.recovery_share_bp, p.note, p.created_at) INTO created;
    RETURN created;
END $$;
