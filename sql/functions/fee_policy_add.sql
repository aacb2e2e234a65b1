-- fee_policy_add.sql — adding a mode's policy version.

-- The same for a mode's policy (see fee_schedule_add).
CREATE OR REPLACE FUNCTION fee_policy_add(p_mode text, p_valid_from timestamptz, p_multiplier_bp int,
    p_waived text[], p_platform_borne text[], p_free_days int, p_advance_bp int,
    p_requires_popular boolean, p_recovery_bp int, p_note text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    latest fee_policies;
    created fee_policies;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('fee_policies:' || p_mode, 6));
    SELECT * INTO latest FROM fee_policies WHERE mode = p_mode ORDER BY valid_from DESC LIMIT 1;
    IF FOUND AND p_valid_from <= latest.valid_from THEN
        RAISE EXCEPTION '% policy v% is in force from %; a new version must start after it',
            p_mode, latest.version, api_ts(latest.valid_from)
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'fee_policies_no_overlap';
    END IF;
    UPDATE fee_policies SET valid_to = p_valid_from
        WHERE mode = p_mode AND valid_to IS NULL AND valid_from < p_valid_from;
    INSERT INTO fee_policies (mode, version, valid_from, commission_multiplier_bp, waived,
                              platform_borne, storage_free_days, advance_rate_bp,
                              advance_requires_popular, recovery_share_bp, note)
    VALUES (p_mode, coalesce(latest.version, 0) + 1, p_valid_from, p_multiplier_bp, p_waived,
            p_platform_borne, p_free_days, p_advance_bp, p_requires_popular, p_recovery_bp,
            coalesce(p_note, ''))
    RETURNING * INTO created;
    RETURN fee_policy_json(created);
END $$;
