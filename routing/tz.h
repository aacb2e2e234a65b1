/* tz.h — local time without a time-zone database: a UTC-offset transition table (as
 * PostgreSQL or tzdata can list for an IANA zone over the horizon) turns weekly local
 * schedules into the UTC instants the engine works on, and counts promise deadlines.
 *
 * The engine itself never converts time; the loader may expand schedules in SQL instead.
 * These helpers exist so that expansion has one definition in C that tests can pin down:
 *  - a local wall time that occurs twice (clocks go back) means its first occurrence;
 *  - a local wall time that does not exist (clocks go forward) is moved forward by the gap
 *    (02:30 on a spring-forward night at 02:00 → 03:30 new time), as PostgreSQL does.
 */
#ifndef ROUTING_TZ_H
#define ROUTING_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "routing/network.h"

/* From UTC instant `at` on, local time is UTC + utc_offset_s. */
struct routing_tz_transition {
	int64_t at;
	int32_t utc_offset_s;
};

/* A zone: the offset before the first transition, then transitions sorted by `at`. Offsets
 * must lie within ±18 h and transitions be more than 36 h apart (true of every real zone). */
struct routing_tz {
	int32_t base_offset_s;
	const struct routing_tz_transition *transitions;
	size_t n_transitions;
};

/* A weekly departure: weekday 0 = Monday … 6 = Sunday, local minute of the day. */
struct routing_weekly_slot {
	int weekday;
	int32_t minute;
};

/* The UTC offset in effect at UTC instant t. */
int32_t routing_tz_offset(const struct routing_tz *tz, int64_t t);

/* The UTC instant of local wall time `local` (seconds since 1970-01-01 00:00 local), with
 * the rules above. */
int64_t routing_tz_local_to_utc(const struct routing_tz *tz, int64_t local);

/* Writes every instant in [from, to) at which a weekly slot occurs, sorted and without
 * duplicates, to out (capacity cap, the caller's), the count to *n. Returns 0, or -1 if cap
 * is too small or a slot is invalid. */
int routing_tz_expand_weekly(const struct routing_tz *tz, const struct routing_weekly_slot *slots,
                             size_t n_slots, int64_t from, int64_t to, int64_t *out, size_t cap,
                             size_t *n) ROUTING_MUST_CHECK;

/* Writes the local days in [from, to) whose weekday is in weekday_mask (bit 0 = Monday …
 * bit 6 = Sunday) as UTC windows [local 00:00, next local 00:00), clipped to [from, to), for
 * last-mile delivery windows. Returns 0, or -1 if cap is too small. */
int routing_tz_expand_days(const struct routing_tz *tz, unsigned weekday_mask, int64_t from,
                           int64_t to, struct routing_window *out, size_t cap, size_t *n)
	ROUTING_MUST_CHECK;

/* The promise deadline for a parcel ready at ready_at with a promise of `days` days: the last
 * second of the days-th calendar day after the ready day, both days in tz (the destination's
 * zone). Ready on Monday 15:00 with 5 days → Saturday 23:59:59 local. Delivered at or before
 * the deadline is on time. */
int64_t routing_tz_deadline(const struct routing_tz *tz, int64_t ready_at, int days);

#endif
