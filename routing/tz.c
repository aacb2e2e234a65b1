/* tz.c — UTC offsets from a transition table, local → UTC conversion, weekly schedule and
 * delivery-day expansion, promise deadlines. */
#include "routing/tz.h"
#include "routing/network_int.h"

#include <stdlib.h>

#define DAY 86400

int32_t routing_tz_offset(const struct routing_tz *tz, int64_t t)
{
	size_t lo = 0, hi = tz->n_transitions;
	/* last transition with at <= t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->transitions[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? tz->base_offset_s : tz->transitions[lo - 1].utc_offset_s;
}

/*
 * Offsets lie within ±18 h, so the instant of `local` lies within local ± 18 h, and only the
 * offsets in effect at either end of that range can apply (transitions are > 36 h apart).
 * Try the earlier one first so that a repeated wall time means its first occurrence.
 */
int64_t routing_tz_local_to_utc(const struct routing_tz *tz, int64_t local)
{
	int32_t before = routing_tz_offset(tz, local - 18 * 3600);
	int32_t after = routing_tz_offset(tz, local + 18 * 3600);
	int64_t u1 = local - before, u2 = local - after;
	int ok1 = routing_tz_offset(tz, u1) == before;
	int ok2 = routing_tz_offset(tz, u2) == after;
	if (ok1 && ok2)
		return u1 < u2 ? u1 : u2;
	if (ok1)
		return u1;
	if (ok2)
		return u2;
	return u1; /* in a gap: the old offset carries the wall time past the gap */
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int routing_tz_expand_weekly(const struct routing_tz *tz, const struct routing_weekly_slot *slots,
                             size_t n_slots, int64_t from, int64_t to, int64_t *out, size_t cap,
                             size_t *n)
{
	size_t k = 0;
	for (size_t s = 0; s < n_slots; s++)
		if (slots[s].weekday < 0 || slots[s].weekday > 6 || slots[s].minute < 0 ||
		    slots[s].minute >= 24 * 60)
			return -1;
	int64_t d0 = rfloor_div(from - 18 * 3600, DAY) - 1;
	int64_t d1 = rfloor_div(to + 18 * 3600, DAY) + 1;
	for (int64_t d = d0; d <= d1; d++) {
		int wd = (int)(((d + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
		for (size_t s = 0; s < n_slots; s++) {
			if (slots[s].weekday != wd)
				continue;
			int64_t u = routing_tz_local_to_utc(tz, d * DAY + (int64_t)slots[s].minute * 60);
			if (u < from || u >= to)
				continue;
			if (k == cap)
				return -1;
			out[k++] = u;
		}
	}
	qsort(out, k, sizeof *out, cmp_i64);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (m == 0 || out[i] != out[m - 1])
			out[m++] = out[i];
	*n = m;
	return 0;
}

int routing_tz_expand_days(const struct routing_tz *tz, unsigned weekday_mask, int64_t from,
                           int64_t to, struct routing_window *out, size_t cap, size_t *n)
{
	size_t k = 0;
	int64_t d0 = rfloor_div(from - 18 * 3600, DAY) - 1;
	int64_t d1 = rfloor_div(to + 18 * 3600, DAY) + 1;
	for (int64_t d = d0; d <= d1; d++) {
		int wd = (int)(((d + 3) % 7 + 7) % 7);
		if (!(weekday_mask & (1u << wd)))
			continue;
		int64_t s = routing_tz_local_to_utc(tz, d * DAY);
		int64_t e = routing_tz_local_to_utc(tz, (d + 1) * DAY);
		if (s < from)
			s = from;
		if (e > to)
			e = to;
		if (e <= s)
			continue;
		if (k > 0 && out[k - 1].end >= s) { /* consecutive days make one window */
			out[k - 1].end = e;
			continue;
		}
		if (k == cap)
			return -1;
		out[k].start = s;
		out[k].end = e;
		k++;
	}
	*n = k;
	return 0;
}

int64_t routing_tz_deadline(const struct routing_tz *tz, int64_t ready_at, int days)
{
	int64_t local = ready_at + routing_tz_offset(tz, ready_at);
	int64_t day = rfloor_div(local, DAY);
	return routing_tz_local_to_utc(tz, (day + days + 1) * DAY) - 1;
}
