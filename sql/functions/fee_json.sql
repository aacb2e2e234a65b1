-- fee_json.sql — fee schedule and policy versions as the API and the engine loader read them.
-- The shapes take columns, not rows (rows do not travel on Citus); the list statements name
-- the columns in a macro (api/fees/h_fees_admin.c).

DROP FUNCTION IF EXISTS fee_schedule_json(fee_schedules);
DROP FUNCTION IF EXISTS fee_policy_json(fee_policies);

-- A schedule version, with its category rates (fee_schedule_categories, a small table
-- every node holds).
CREATE OR REPLACE FUNCTION fee_schedule_json(id bigint, version int, valid_from timestamptz,
    valid_to timestamptz, currency text, commission_default_bp int, payment_fee_bp int,
    pickup_fixed bigint, pickup_per_kg bigint, inbound_op_per_unit bigint,
    outbound_op_per_unit bigint, storage_per_m3_day bigint, return_handling_per_unit bigint,
    note text, created_at timestamptz) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', id, 'version', version,
        'valid_from', api_ts(valid_from), 'valid_to', api_ts(valid_to),
        'currency', currency, 'commission_default_bp', commission_default_bp,
        'commission_bp', coalesce((SELECT json_object_agg(c.category, c.bp ORDER BY c.category)
                                   FROM fee_schedule_categories c WHERE c.schedule_id = $1),
                                  '{}'::json),
        'payment_fee_bp', payment_fee_bp, 'pickup_fixed', pickup_fixed,
        'pickup_per_kg', pickup_per_kg, 'inbound_op_per_unit', inbound_op_per_unit,
        'outbound_op_per_unit', outbound_op_per_unit, 'storage_per_m3_day', storage_per_m3_day,
        'return_handling_per_unit', return_handling_per_unit, 'note', note,
        'created_at', api_ts(created_at))
$$;

CREATE OR REPLACE FUNCTION fee_policy_json(id bigint, mode text, version int,
    valid_from timestamptz, valid_to timestamptz, commission_multiplier_bp int, waived text[],
    platform_borne text[], storage_free_days int, advance_rate_bp int,
    advance_requires_popular boolean, recovery_share_bp int, note text, created_at timestamptz)
RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', id, 'mode', mode, 'version', version,
        'valid_from', api_ts(valid_from), 'valid_to', api_ts(valid_to),
        'commission_multiplier_bp', commission_multiplier_bp,
        'waived', to_json(waived), 'platform_borne', to_json(platform_borne),
        'storage_free_days', storage_free_days, 'advance_rate_bp', advance_rate_bp,
        'advance_requires_popular', advance_requires_popular,
        'recovery_share_bp', recovery_share_bp, 'note', note, 'created_at', api_ts(created_at))
$$;

-- The versions in force at t, for the engine loader (fees_versions_load):
-- {"at", "schedules": [the schedule], "policies": [one per mode]}.
CREATE OR REPLACE FUNCTION fee_versions_json(t timestamptz) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('at', api_ts(t),
        'schedules', coalesce((SELECT json_agg(fee_schedule_json(s.id, s.version, s.valid_from,
                                   s.valid_to, s.currency, s.commission_default_bp,
                                   s.payment_fee_bp, s.pickup_fixed, s.pickup_per_kg,
                                   s.inbound_op_per_unit, s.outbound_op_per_unit,
                                   s.storage_per_m3_day, s.return_handling_per_unit, s.note,
                                   s.created_at))
                               FROM fee_schedules s
                               WHERE tstzrange(s.valid_from, s.valid_to, '[)') @> t), '[]'::json),
        'policies', coalesce((SELECT json_agg(fee_policy_json(p.id, p.mode, p.version,
                                  p.valid_from, p.valid_to, p.commission_multiplier_bp, p.waived,
                                  p.platform_borne, p.storage_free_days, p.advance_rate_bp,
                                  p.advance_requires_popular, p.recovery_share_bp, p.note,
                                  p.created_at) ORDER BY p.mode)
                              FROM fee_policies p
                              WHERE tstzrange(p.valid_from, p.valid_to, '[)') @> t), '[]'::json))
$$;
