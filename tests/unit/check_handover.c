/* check_handover.c — the JIT hand-over deadline (routing/handover.h): the latest hub receipt
 * that keeps the promise at the same cost class, on a hand-built network whose hub is in
 * Shanghai (UTC+8) with departures on different weekdays, one of them just after the hub's
 * local midnight; checked against hand-computed instants and against an independent brute
 * force (every minute quoted) — and the choice among hubs. Local time rendering is
 * PostgreSQL's: tests/integration/check_jit.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/handover.h"
#include "routing/network.h"
#include "routing/quote.h"

#define H 3600
#define DAY 86400
#define MIN 60
#define MON_0324 1742774400LL /* Monday 2025-03-24 00:00 UTC = 08:00 in Shanghai */

static void node(struct routing_network *net, const char *code, enum routing_node_kind kind,
                 const char *country)
{
	struct routing_node_def d = {.code = code, .kind = kind, .country = country};
	ck_assert_int_eq(routing_network_add_node(net, &d), 0);
}

/* A leg whose transit is `hours` with weight 1 − p_late and `late_hours` with p_late. */
static void leg(struct routing_network *net, const char *id, const char *from, const char *to,
                const int64_t *dep, size_t n_dep, int cutoff_min, int hours, int late_hours,
                double p_late, int64_t fixed)
{
	double tr[64] = {0};
	tr[hours] += 1.0 - p_late;
	tr[late_hours] += p_late;
	int top = hours > late_hours ? hours : late_hours;
	struct routing_leg_def l = {
		.id = id, .from = from, .to = to, .carrier = "C", .service = "S",
		.departures = dep, .n_departures = n_dep, .cutoff_min = cutoff_min,
		.transit = {tr, (size_t)top + 1}, .fixed_minor = fixed,
	};
	ck_assert_int_eq(routing_network_add_leg(net, &l), 0);
}

/* The network: hub HUB (Shanghai) → gateway GW → zone GB, and an express HUB → GB.
 *  HUB-GW   Mon 17:00 UTC (Tue 01:00 Shanghai) and Thu 05:00 UTC (Thu 13:00 Shanghai), both
 *           weeks; cut-off 120 min; 10 h; 100
 *  GW-GB    daily 12:00 UTC; cut-off 60 min; 24 h (or 40 h with p_late); 200
 *  HUB-GB-X daily 20:00 UTC; cut-off 60 min; 30 h; 1000 (dearer, later) */
static struct routing_network *hub_net(double p_late)
{
	struct routing_network *net = routing_network_new(H, "USD");
	ck_assert_ptr_nonnull(net);
	struct routing_service_def s = {"C", "S", ROUTING_MODE_AIR};
	ck_assert_int_eq(routing_network_add_service(net, &s), 0);
	node(net, "HUB", ROUTING_NODE_HUB, "CN");
	node(net, "GW", ROUTING_NODE_GATEWAY, "GB");
	node(net, "GB", ROUTING_NODE_ZONE, "GB");
	int64_t lh[4] = {MON_0324 + 17 * H, MON_0324 + 3 * DAY + 5 * H,
	                 MON_0324 + 7 * DAY + 17 * H, MON_0324 + 10 * DAY + 5 * H};
	int64_t lm[14], ex[14];
	for (int i = 0; i < 14; i++) {
		lm[i] = MON_0324 + i * DAY + 12 * H;
		ex[i] = MON_0324 + i * DAY + 20 * H;
	}
	leg(net, "HUB-GW", "HUB", "GW", lh, 4, 120, 10, 10, 0, 100);
	leg(net, "GW-GB", "GW", "GB", lm, 14, 60, 24, 40, p_late, 200);
	leg(net, "HUB-GB-X", "HUB", "GB", ex, 14, 60, 30, 30, 0, 1000);
	ck_assert_int_eq(routing_network_finalize(net), 0);
	return net;
}

static struct routing_request req_at(int64_t ready_at, int64_t deadline, double target)
{
	struct routing_request r = {
		.origin = "HUB", .ready_at = ready_at, .country = "GB",
		.parcel = {.weight_g = 500, .dims_mm = {100, 100, 100}},
		.deadline = deadline, .target = target,
	};
	return r;
}

/* The independent answer: quote every minute from ready_at to the deadline, keep the last
 * minute that meets the target within the cost of ready_at's selection (or, at risk, as
 * likely), and check that no minute after a failing one passes again (monotone). */
static int64_t brute_latest(const struct routing_network *net, struct routing_request r)
{
	struct routing_quote *q = NULL;
	ck_assert_int_eq(routing_quote(net, &r, &q), 0);
	bool ok0 = q->status == ROUTING_OK;
	int64_t cap = q->options[0].cost_minor;
	double p0 = q->options[0].p_on_time;
	routing_quote_free(q);
	int64_t from = r.ready_at, last = from;
	bool failed = false;
	for (int64_t t = from; t <= r.deadline; t = (t / MIN + 1) * MIN) {
		r.ready_at = t;
		ck_assert_int_eq(routing_quote(net, &r, &q), 0);
		bool keep = ok0 ? (q->status == ROUTING_OK && q->options[0].cost_minor <= cap)
		                : ((q->status == ROUTING_OK || q->status == ROUTING_AT_RISK) &&
		                   q->options[0].p_on_time >= p0);
		routing_quote_free(q);
		if (keep) {
			ck_assert_msg(!failed, "kept again at %lld after failing", (long long)t);
			last = t;
		} else {
			failed = true;
		}
	}
	return last;
}

static int64_t latest(const struct routing_network *net, struct routing_request r,
                      struct routing_handover *h)
{
	ck_assert_int_eq(routing_handover_latest(net, NULL, &r, r.deadline, h), 0);
	return h->latest;
}

/* Ready Monday 08:00 in Shanghai, delivered by Saturday: the Thursday 13:00 (Shanghai)
 * line-haul still makes it, so the seller may hand over until its cut-off, Thursday 11:00
 * Shanghai = 03:00 UTC — not the express's later cut-off, which costs more. */
START_TEST(deadline_aims_for_the_last_departure_that_keeps_the_promise)
{
	struct routing_network *net = hub_net(0);
	struct routing_request r = req_at(MON_0324, MON_0324 + 6 * DAY - 1, 0.95);
	struct routing_handover h;
	ck_assert_int_eq(latest(net, r, &h), MON_0324 + 3 * DAY + 3 * H);
	ck_assert_int_eq(h.status, ROUTING_HANDOVER_OK);
	ck_assert_int_eq(h.cost_cap, 300);
	ck_assert_str_eq(h.quote->options[0].legs[0].leg_id, "HUB-GW");
	ck_assert_int_eq(h.quote->options[0].legs[0].departure, MON_0324 + 3 * DAY + 5 * H);
	ck_assert_int_eq(h.latest, brute_latest(net, r));
	ck_assert_int_le(h.quotes, 16);
	routing_handover_clear(&h);
	routing_network_free(net);
}
END_TEST

/* Delivered by Friday instead: Thursday's line-haul arrives Saturday, so the deadline is the
 * cut-off of Tuesday 01:00 Shanghai — Monday 23:00 in Shanghai, 15:00 UTC: the evening
 * before the departure's local day (the midnight trap of one cut-off per day). */
START_TEST(deadline_before_local_midnight_for_a_departure_after_it)
{
	struct routing_network *net = hub_net(0);
	struct routing_request r = req_at(MON_0324, MON_0324 + 5 * DAY - 1, 0.95);
	struct routing_handover h;
	ck_assert_int_eq(latest(net, r, &h), MON_0324 + 15 * H);
	ck_assert_int_eq(h.quote->options[0].legs[0].departure, MON_0324 + 17 * H);
	ck_assert_int_eq(h.latest, brute_latest(net, r));
	routing_handover_clear(&h);
	/* one minute past the cut-off, the cheap route is gone: dearer, so not kept */
	struct routing_quote *q = NULL;
	r.ready_at = MON_0324 + 15 * H + MIN;
	ck_assert_int_eq(routing_quote(net, &r, &q), 0);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_int_eq(q->options[0].cost_minor, 1000);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/* Other weekdays: ready Tuesday (after Monday's departure) the deadline is Thursday's
 * cut-off; ready Thursday after it, only the express keeps the promise, and its own cut-off
 * (Thursday 19:00 UTC, Friday 03:00 Shanghai) is the deadline at its cost. */
START_TEST(deadline_follows_the_weekday_schedule)
{
	struct routing_network *net = hub_net(0);
	struct routing_handover h;
	struct routing_request r = req_at(MON_0324 + DAY, MON_0324 + 6 * DAY - 1, 0.95);
	ck_assert_int_eq(latest(net, r, &h), MON_0324 + 3 * DAY + 3 * H);
	ck_assert_int_eq(h.latest, brute_latest(net, r));
	routing_handover_clear(&h);
	r = req_at(MON_0324 + 3 * DAY + 4 * H, MON_0324 + 6 * DAY - 1, 0.95);
	ck_assert_int_eq(latest(net, r, &h), MON_0324 + 3 * DAY + 19 * H);
	ck_assert_int_eq(h.cost_cap, 1000);
	ck_assert_str_eq(h.quote->options[0].legs[0].leg_id, "HUB-GB-X");
	ck_assert_int_eq(h.latest, brute_latest(net, r));
	routing_handover_clear(&h);
	routing_network_free(net);
}
END_TEST

/* Uncertain transit (30% of GW-GB runs take 40 h): every ready time (some with seconds past
 * the minute) and target, the bisection equals the brute force, including quotes at risk
 * from the start. */
START_TEST(bisection_equals_brute_force)
{
	struct routing_network *net = hub_net(0.3);
	const double targets[] = {0.5, 0.7, 0.95};
	for (int day = 0; day < 4; day++)
		for (int hr = 0; hr < 24; hr += 7)
			for (size_t t = 0; t < 3; t++) {
				struct routing_request r = req_at(MON_0324 + day * DAY + hr * H + 13 * MIN + hr,
				                                  MON_0324 + 6 * DAY - 1, targets[t]);
				struct routing_handover h;
				int64_t got = latest(net, r, &h);
				ck_assert_msg(got == brute_latest(net, r), "day %d hour %d target %.2f: %lld",
				              day, hr, targets[t], (long long)got);
				routing_handover_clear(&h);
			}
	routing_network_free(net);
}
END_TEST

/* Hubs: within 10% of the cheapest, the latest deadline wins; a dearer class never does;
 * hubs at risk only when none is on time. */
START_TEST(hub_with_most_time_in_the_cheapest_class_wins)
{
	struct routing_handover a = {.status = ROUTING_HANDOVER_OK, .cost_cap = 300, .latest = 100};
	struct routing_handover b = {.status = ROUTING_HANDOVER_OK, .cost_cap = 330, .latest = 200};
	struct routing_handover c = {.status = ROUTING_HANDOVER_OK, .cost_cap = 331, .latest = 900};
	struct routing_handover d = {.status = ROUTING_HANDOVER_AT_RISK, .cost_cap = 10,
	                             .latest = 999, .p_from = 0.9};
	struct routing_handover e = {.status = ROUTING_HANDOVER_NO_ROUTE};
	const struct routing_handover *all[] = {&a, &b, &c, &d, &e};
	ck_assert_int_eq(routing_handover_choose(all, 5), 1);
	const struct routing_handover *two[] = {&a, &c};
	ck_assert_int_eq(routing_handover_choose(two, 2), 0);
	struct routing_handover f = {.status = ROUTING_HANDOVER_AT_RISK, .latest = 5, .p_from = 0.92};
	const struct routing_handover *risky[] = {&d, &e, &f};
	ck_assert_int_eq(routing_handover_choose(risky, 3), 2);
	const struct routing_handover *none[] = {&e};
	ck_assert_int_eq(routing_handover_choose(none, 1), -1);
}
END_TEST

Suite *handover_suite(void);

Suite *handover_suite(void)
{
	Suite *s = suite_create("handover");
	TCase *tc = tcase_create("deadline");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, deadline_aims_for_the_last_departure_that_keeps_the_promise);
	tcase_add_test(tc, deadline_before_local_midnight_for_a_departure_after_it);
	tcase_add_test(tc, deadline_follows_the_weekday_schedule);
	tcase_add_test(tc, bisection_equals_brute_force);
	tcase_add_test(tc, hub_with_most_time_in_the_cheapest_class_wins);
	suite_add_tcase(s, tc);
	return s;
}
