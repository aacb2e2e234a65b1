-- network_calendar.sql — weekdays, epoch seconds and local days for the lane network.

CREATE OR REPLACE FUNCTION weekday_num(d text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT array_position(ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], d)
$$;

CREATE OR REPLACE FUNCTION weekday_name(n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])[n]
$$;

CREATE OR REPLACE FUNCTION epoch_s(t timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT floor(extract(epoch FROM t))::bigint
$$;

-- The local calendar days of tz that overlap [lo, hi].
CREATE OR REPLACE FUNCTION local_days(tz text, lo timestamptz, hi timestamptz) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
    SELECT generate_series((lo AT TIME ZONE tz)::date, (hi AT TIME ZONE tz)::date, interval '1 day')::date
$$;

-- The UTC instant of local midnight starting day d in tz.
CREATE OR REPLACE FUNCTION local_midnight(d date, tz text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT epoch_s(d::timestamp AT TIME ZONE tz)
$$;
