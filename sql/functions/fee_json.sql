-- fee_json.sql — fee schedule and policy versions as the API and the engine loader read them.

CREATE OR REPLACE FUNCTION fee_schedule_json(s fee_schedules) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', s.id, 'version', s.version,
        'valid_from', api_ts(s.valid_from), 'valid_to', api_ts(s.valid_to),
        'currency', s.currency, 'commission_default_bp', s.commission_default_bp,
        'commission_bp', coalesce((SELECT json_object_agg(c.category, c.bp ORDER BY c.category)
                                   FROM fee_schedule_categories c WHERE c.schedule_id = s.id),
                                  '{}'::json),
        'payment_fee_bp', s.payment_fee_bp, 'pickup_fixed', s.pickup_fixed,
        'pickup_per_kg', s.pickup_per_kg, 'inbound_op_per_unit', s.inbound_op_per_unit,
        'outbound_op_per_unit', s.outbound_op_per_unit, 'storage_per_m3_day', s.storage_per_m3_day,
        'return_handling_per_unit', s.return_handling_per_unit, 'note', s.note,
        'created_at', api_ts(s.created_at))
$$;

CREATE OR REPLACE FUNCTION fee_policy_json(p fee_policies) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', p.id, 'mode', p.mode, 'version', p.version,
        'valid_from', api_ts(p.valid_from), 'valid_to', api_ts(p.valid_to),
        'commission_multiplier_bp', p.commission_multiplier_bp,
        'waived', to_json(p.waived), 'platform_borne', to_json(p.platform_borne),
        'storage_free_days', p.storage_free_days, 'advance_rate_bp', p.advance_rate_bp,
        'advance_requires_popular', p.advance_requires_popular,
        'recovery_share_bp', p.recovery_share_bp, 'note', p.note, 'created_at', api_ts(p.created_at))
$$;

-- The versions in force at t, for the engine loader (fees_versions_load):
-- {"at", "schedules": [the schedule], "policies": [one per mode]}.
CREATE OR REPLACE FUNCTION fee_versions_json(t timestamptz) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('at', api_ts(t),
        'schedules', coalesce((SELECT json_agg(fee_schedule_json(s)) FROM fee_schedules s
                               WHERE tstzrange(s.valid_from, s.valid_to, '[)') @> t), '[]'::json),
        'policies', coalesce((SELECT json_agg(fee_policy_json(p) ORDER BY p.mode) FROM fee_policies p
                              WHERE tstzrange(p.valid_from, p.valid_to, '[)') @> t), '[]'::json))
$$;
