/* check_routing.c — the route engine on small hand-built networks with known answers:
 * cut-offs, delivery weekdays, weight and size limits, volumetric weight, zones, selection
 * and its reasons, network validation. Local time (daylight-saving changes, local days) is
 * PostgreSQL's when the server loads the network: tests/integration/check_network.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/cache.h"
#include "routing/dist.h"
#include "routing/network.h"
#include "routing/quote.h"

#define H 3600
#define DAY 86400
#define MON_0324 1742774400LL /* Monday 2025-03-24 00:00 UTC */
#define FRI_0328 1743120000LL

static void add_node(struct routing_network *net, const char *code, enum routing_node_kind kind,
                     const char *country, const char *prefix)
{
	struct routing_node_def d = { .code = code, .kind = kind, .country = country,
	                              .postal_prefix = prefix };
	ck_assert_int_eq(routing_network_add_node(net, &d), 0);
}

/* A leg with a deterministic transit of `hours`, limits and costs as given. */
static void add_leg(struct routing_network *net, const char *id, const char *from,
                    const char *to, const int64_t *dep, size_t n_dep, int cutoff_min,
                    int hours, int64_t fixed, int64_t per_kg, int32_t max_g)
{
	double tr[64] = { 0 };
	ck_assert_int_lt(hours, 64);
	tr[hours] = 1.0;
	struct routing_leg_def l = {
		.id = id, .from = from, .to = to, .carrier = "C", .service = "S",
		.departures = dep, .n_departures = n_dep, .cutoff_min = cutoff_min,
		.transit = { tr, (size_t)hours + 1 }, .fixed_minor = fixed, .per_kg_minor = per_kg,
		.max_weight_g = max_g,
	};
	ck_assert_int_eq(routing_network_add_leg(net, &l), 0);
}

static struct routing_network *new_net(void)
{
	struct routing_network *net = routing_network_new(H, "EUR");
	ck_assert_ptr_nonnull(net);
	struct routing_service_def s = { "C", "S", ROUTING_MODE_ROAD };
	ck_assert_int_eq(routing_network_add_service(net, &s), 0);
	return net;
}

static void finalize(struct routing_network *net)
{
	if (routing_network_finalize(net) != 0) {
		for (size_t i = 0; i < routing_network_problem_count(net); i++)
			fprintf(stderr, "problem: %s\n", routing_network_problem(net, i));
		ck_abort_msg("network did not finalize");
	}
}

static struct routing_request request(int64_t ready_at, int64_t deadline)
{
	struct routing_request r = {
		.origin = "W", .ready_at = ready_at, .country = "GB", .postal_code = "SW1A 1AA",
		.parcel = { .weight_g = 1000, .dims_mm = { 100, 100, 100 } },
		.deadline = deadline, .target = 0.95,
	};
	return r;
}

/* The promise deadline of a parcel ready at ready_at (UTC, after 1970) with a promise of
 * `days` days, for a zone on UTC: the last second of the days-th day after the ready day. */
static int64_t utc_deadline(int64_t ready_at, int days)
{
	return (ready_at / DAY + days + 1) * DAY - 1;
}

static struct routing_quote *quote(const struct routing_network *net,
                                   const struct routing_request *r)
{
	struct routing_quote *q = NULL;
	ck_assert_int_eq(routing_quote(net, r, &q), 0);
	ck_assert_ptr_nonnull(q);
	return q;
}

/* Ready exactly at the cut-off makes the departure; one minute later takes the next one. */
START_TEST(cutoff_missed_by_one_minute)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t dep[3] = { MON_0324 + 10 * H, MON_0324 + DAY + 10 * H, MON_0324 + 2 * DAY + 10 * H };
	add_leg(net, "L", "W", "Z", dep, 3, 60, 2, 500, 0, 0);
	finalize(net);

	struct routing_request r = request(MON_0324 + 9 * H, MON_0324 + DAY - 1);
	struct routing_quote *q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_int_eq(q->options[0].legs[0].departure, dep[0]);
	ck_assert_int_eq(q->options[0].delivery_p50, dep[0] + 2 * H);
	ck_assert(q->options[0].p_on_time == 1.0);
	routing_quote_free(q);

	r.ready_at += 60;
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_AT_RISK);
	ck_assert(q->at_risk);
	ck_assert_int_eq(q->options[0].legs[0].departure, dep[1]);
	ck_assert_int_eq(q->options[0].delivery_p95, dep[1] + 2 * H);
	ck_assert(q->options[0].p_on_time == 0.0);
	routing_quote_free(q);

	/* after the last departure: beyond the horizon, never on time */
	r.ready_at = dep[2];
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_AT_RISK);
	ck_assert(q->options[0].p_beyond_horizon == 1.0);
	ck_assert_int_eq(q->options[0].delivery_p50, ROUTING_NEVER);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/* The last mile delivers Monday to Friday; a van run on Saturday delivers on Monday. */
START_TEST(no_delivery_on_unserved_weekday)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "GB", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t dep[14];
	for (int i = 0; i < 14; i++)
		dep[i] = MON_0324 + i * DAY + 8 * H;
	struct routing_window win[10]; /* Monday to Friday, a window a day, as the loader gives */
	size_t nw = 0;
	for (int w = 0; w < 2; w++)
		for (int d = 0; d < 5; d++, nw++)
			win[nw] = (struct routing_window){ MON_0324 + (7 * w + d) * DAY,
			                                   MON_0324 + (7 * w + d + 1) * DAY };
	double tr[5] = { 0, 0, 0, 0, 1 };
	struct routing_leg_def l = {
		.id = "LM", .from = "W", .to = "Z", .carrier = "C", .service = "S",
		.departures = dep, .n_departures = 14, .cutoff_min = 30, .transit = { tr, 5 },
		.delivery_windows = win, .n_delivery_windows = nw, .fixed_minor = 300,
	};
	ck_assert_int_eq(routing_network_add_leg(net, &l), 0);
	finalize(net);

	/* Friday 09:00: Friday's van has left; Saturday's arrives 12:00, delivered Monday */
	int64_t ready = FRI_0328 + 9 * H;
	struct routing_request r = request(ready, utc_deadline(ready, 2));
	struct routing_quote *q = quote(net, &r);
	ck_assert_int_eq(q->options[0].legs[0].departure, FRI_0328 + DAY + 8 * H);
	ck_assert_int_eq(q->options[0].delivery_p50, FRI_0328 + 3 * DAY);
	ck_assert(q->options[0].p_on_time == 0.0);
	ck_assert_int_eq(q->status, ROUTING_AT_RISK);
	routing_quote_free(q);
	r.deadline = utc_deadline(ready, 3); /* Monday 23:59:59 */
	q = quote(net, &r);
	ck_assert(q->options[0].p_on_time == 1.0);
	ck_assert_int_eq(q->status, ROUTING_OK);
	routing_quote_free(q);
	/* Thursday 07:00: Thursday's van, delivered Thursday 12:00 */
	ready = FRI_0328 - DAY + 7 * H;
	r = request(ready, utc_deadline(ready, 0));
	q = quote(net, &r);
	ck_assert_int_eq(q->options[0].delivery_p50, FRI_0328 - DAY + 12 * H);
	ck_assert(q->options[0].p_on_time == 1.0);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/* A cheap leg up to 2 kg and a dear one without limit: 2 kg takes the cheap leg, 2001 g the
 * dear one, with the cheap one listed as too heavy. */
START_TEST(one_gram_over_max_weight_is_refused)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t dep[2] = { MON_0324 + 10 * H, MON_0324 + DAY + 10 * H };
	add_leg(net, "CHEAP", "W", "Z", dep, 2, 0, 2, 300, 100, 2000);
	add_leg(net, "DEAR", "W", "Z", dep, 2, 0, 2, 900, 100, 0);
	finalize(net);

	struct routing_request r = request(MON_0324, MON_0324 + DAY - 1);
	r.parcel.weight_g = 2000;
	struct routing_quote *q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_str_eq(q->options[0].legs[0].leg_id, "CHEAP");
	ck_assert_int_eq(q->options[0].cost_minor, 300 + 200);
	ck_assert_uint_eq(q->n_options, 1); /* DEAR: dearer, no likelier: dominated, not listed */
	routing_quote_free(q);

	r.parcel.weight_g = 2001;
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_str_eq(q->options[0].legs[0].leg_id, "DEAR");
	ck_assert_int_eq(q->options[0].cost_minor, 900 + 210);
	ck_assert_uint_eq(q->n_options, 2);
	ck_assert_int_eq(q->options[1].reason, ROUTING_TOO_HEAVY);
	ck_assert_str_eq(q->options[1].refused_leg, "CHEAP");
	ck_assert_uint_eq(q->n_refused, 1);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/* Chargeable weight: volumetric over actual, rounding up to 100 g; size limits rotate. */
START_TEST(volumetric_weight_charged_and_parcel_rotated_to_fit)
{
	struct routing_parcel p = { .weight_g = 1000, .dims_mm = { 400, 300, 200 } };
	ck_assert_int_eq(routing_chargeable_g(&p, 0), 4800); /* 24 000 cm³ / 5000 */
	ck_assert_int_eq(routing_chargeable_g(&p, 6000), 4000);
	p.weight_g = 5001;
	ck_assert_int_eq(routing_chargeable_g(&p, 0), 5100);
	struct routing_parcel small = { .weight_g = 150, .dims_mm = { 101, 100, 100 } };
	ck_assert_int_eq(routing_chargeable_g(&small, 0), 300); /* 202 g volumetric */

	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t dep[1] = { MON_0324 + 10 * H };
	double tr[1] = { 1 };
	struct routing_leg_def l = {
		.id = "AIR", .from = "W", .to = "Z", .carrier = "C", .service = "S",
		.departures = dep, .n_departures = 1, .transit = { tr, 1 }, .fixed_minor = 100,
		.per_kg_minor = 1000, .max_dims_mm = { 400, 600, 500 },
	};
	ck_assert_int_eq(routing_network_add_leg(net, &l), 0);
	finalize(net);
	struct routing_request r = request(MON_0324, MON_0324 + DAY - 1);
	r.parcel = (struct routing_parcel){ .weight_g = 1000, .dims_mm = { 300, 200, 400 } };
	struct routing_quote *q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_int_eq(q->options[0].legs[0].chargeable_g, 4800);
	ck_assert_int_eq(q->options[0].cost_minor, 100 + 4800);
	routing_quote_free(q);
	/* fits only when rotated: 550 × 390 × 450 → 550, 450, 390 within 600, 500, 400 */
	r.parcel = (struct routing_parcel){ .weight_g = 1000, .dims_mm = { 390, 550, 450 } };
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	routing_quote_free(q);
	r.parcel = (struct routing_parcel){ .weight_g = 1000, .dims_mm = { 610, 10, 10 } };
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_PARCEL_REFUSED);
	ck_assert_uint_eq(q->n_options, 1);
	ck_assert_int_eq(q->options[0].reason, ROUTING_TOO_LARGE);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/* The zone with the longest postal prefix of the code wins (spaces, case ignored); two zones
 * with the same prefix are a problem. */
START_TEST(longest_postal_prefix_wins_and_duplicates_are_refused)
{
	struct routing_network *net = new_net();
	add_node(net, "GB", ROUTING_NODE_ZONE, "GB", NULL);
	add_node(net, "GB-SW", ROUTING_NODE_ZONE, "GB", "SW");
	add_node(net, "GB-SW1A", ROUTING_NODE_ZONE, "GB", "sw1a");
	add_node(net, "KR-06", ROUTING_NODE_ZONE, "KR", "06");
	finalize(net);
	ck_assert_str_eq(routing_network_find_zone(net, "GB", "sw1a 1aa"), "GB-SW1A");
	ck_assert_str_eq(routing_network_find_zone(net, "GB", "SW19 5AE"), "GB-SW");
	ck_assert_str_eq(routing_network_find_zone(net, "GB", "M1 1AE"), "GB");
	ck_assert_str_eq(routing_network_find_zone(net, "GB", NULL), "GB");
	ck_assert_str_eq(routing_network_find_zone(net, "KR", "06236"), "KR-06");
	ck_assert_ptr_null(routing_network_find_zone(net, "KR", "04524"));
	ck_assert_ptr_null(routing_network_find_zone(net, "ES", "28001"));
	routing_network_free(net);

	net = new_net();
	add_node(net, "A", ROUTING_NODE_ZONE, "GB", "SW");
	add_node(net, "B", ROUTING_NODE_ZONE, "GB", "S W");
	ck_assert_int_eq(routing_network_finalize(net), -1);
	ck_assert_uint_eq(routing_network_problem_count(net), 1);
	ck_assert_ptr_nonnull(strstr(routing_network_problem(net, 0), "postal prefix"));
	routing_network_free(net);
}
END_TEST

/* Two legs with a spread transit: the second departure is chosen per arrival, and the
 * on-time probability is the mass, not a sum of percentiles. */
START_TEST(on_time_is_the_mass_not_a_sum_of_percentiles)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "H", ROUTING_NODE_HUB, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t d1[1] = { MON_0324 + 10 * H };
	int64_t d2[2] = { MON_0324 + 12 * H, MON_0324 + 14 * H };
	double tr1[4] = { 0, 1, 0, 1 }; /* 1 h or 3 h, half each */
	struct routing_leg_def l1 = {
		.id = "A", .from = "W", .to = "H", .carrier = "C", .service = "S",
		.departures = d1, .n_departures = 1, .transit = { tr1, 4 }, .fixed_minor = 10,
	};
	ck_assert_int_eq(routing_network_add_leg(net, &l1), 0);
	add_leg(net, "B", "H", "Z", d2, 2, 0, 1, 10, 0, 0);
	finalize(net);
	struct routing_request r = request(MON_0324, MON_0324 + 14 * H);
	r.target = 0.5;
	struct routing_quote *q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert(q->options[0].p_on_time == 0.5);
	ck_assert_int_eq(q->options[0].delivery_p50, MON_0324 + 13 * H);
	ck_assert_int_eq(q->options[0].delivery_p95, MON_0324 + 15 * H);
	ck_assert(q->options[0].legs[1].p_departure == 0.5);
	ck_assert_int_eq(q->options[0].legs[1].departure, MON_0324 + 12 * H); /* earliest of ties */
	ck_assert_int_eq(q->options[0].legs[0].arrival_p95, MON_0324 + 13 * H);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/* The cache: the same quote as without it; a repeat is a copy from the answer memo, a later
 * ready time with the same deadline (another start segment) reuses the table; a cache made
 * for another network is refused. */
START_TEST(cache_reuses_tables)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "H", ROUTING_NODE_HUB, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t d1[2] = { MON_0324 + 10 * H, MON_0324 + 16 * H };
	int64_t d2[3] = { MON_0324 + 12 * H, MON_0324 + 14 * H, MON_0324 + 20 * H };
	add_leg(net, "A", "W", "H", d1, 2, 0, 1, 10, 0, 0);
	add_leg(net, "B", "H", "Z", d2, 3, 0, 1, 10, 0, 0);
	finalize(net);
	struct routing_cache *c = routing_cache_new(net, 0);
	ck_assert_ptr_nonnull(c);
	struct routing_request r = request(MON_0324, MON_0324 + 22 * H);
	for (int i = 0; i < 3; i++) {
		r.ready_at = MON_0324 + (i == 2 ? 12 * H : 0);
		struct routing_quote *a = quote(net, &r), *b = NULL;
		ck_assert_int_eq(routing_quote_cached(net, c, &r, &b), 0);
		ck_assert_int_eq(b->status, a->status);
		ck_assert_uint_eq(b->n_options, a->n_options);
		ck_assert_uint_eq(b->n_evaluated, a->n_evaluated);
		ck_assert(b->options[0].p_on_time == a->options[0].p_on_time);
		ck_assert_int_eq(b->options[0].delivery_p95, a->options[0].delivery_p95);
		ck_assert_str_eq(b->options[0].legs[0].leg_id, a->options[0].legs[0].leg_id);
		routing_quote_free(a);
		routing_quote_free(b);
	}
	struct routing_cache_stats st;
	routing_cache_stats(c, &st);
	ck_assert_uint_eq(st.misses, 1);
	ck_assert_uint_eq(st.hits, 1);
	ck_assert_uint_eq(st.answer_hits, 1);
	ck_assert_uint_eq(st.answer_misses, 2);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_uint_gt(st.bytes, 0);
	struct routing_network *other = new_net();
	add_node(other, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	finalize(other);
	struct routing_quote *q = NULL;
	ck_assert_int_eq(routing_quote_cached(other, c, &r, &q), -1);
	ck_assert_ptr_null(q);
	routing_cache_free(c);
	routing_network_free(other);
	routing_network_free(net);
}
END_TEST

/* Cheapest on-time wins; the others get their reasons; dominated options are not listed;
 * with no on-time option the likeliest is chosen and flagged. */
START_TEST(cheapest_on_time_wins_else_likeliest_at_risk)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t dep[1] = { MON_0324 + 10 * H };
	add_leg(net, "SEA", "W", "Z", dep, 1, 0, 40, 100, 0, 0);   /* cheap, late */
	double rail[41] = { 0 };
	rail[20] = 96; /* on time with p 0.96 */
	rail[40] = 4;
	struct routing_leg_def l = { .id = "RAIL", .from = "W", .to = "Z", .carrier = "C",
	                             .service = "S", .departures = dep, .n_departures = 1,
	                             .transit = { rail, 41 }, .fixed_minor = 300 };
	ck_assert_int_eq(routing_network_add_leg(net, &l), 0);
	l.id = "RAIL2"; /* the same: lost on the leg id */
	ck_assert_int_eq(routing_network_add_leg(net, &l), 0);
	add_leg(net, "AIR", "W", "Z", dep, 1, 0, 5, 900, 0, 0);    /* on time, dear */
	add_leg(net, "SLOW", "W", "Z", dep, 1, 0, 50, 400, 0, 0);  /* dominated by SEA */
	finalize(net);
	struct routing_request r = request(MON_0324, MON_0324 + DAY + 12 * H);
	struct routing_quote *q = quote(net, &r);
	/* by default, dearer options are not searched once an on-time one is known */
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_str_eq(q->options[0].legs[0].leg_id, "RAIL");
	ck_assert_uint_eq(q->n_options, 3);
	routing_quote_free(q);
	r.all_options = true;
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_uint_eq(q->n_options, 4);
	ck_assert_str_eq(q->options[0].legs[0].leg_id, "RAIL");
	ck_assert_double_eq_tol(q->options[0].p_on_time, 0.96, 1e-12);
	ck_assert_str_eq(q->options[1].legs[0].leg_id, "SEA");
	ck_assert_int_eq(q->options[1].reason, ROUTING_SLOWER_THAN_PROMISE);
	ck_assert_str_eq(q->options[2].legs[0].leg_id, "RAIL2");
	ck_assert_int_eq(q->options[2].reason, ROUTING_DOMINATED);
	ck_assert_str_eq(q->options[3].legs[0].leg_id, "AIR");
	ck_assert_int_eq(q->options[3].reason, ROUTING_MORE_EXPENSIVE);
	routing_quote_free(q);

	r.deadline = MON_0324 + 12 * H; /* nothing makes it: the likeliest, then the cheapest */
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_AT_RISK);
	ck_assert_str_eq(q->options[0].legs[0].leg_id, "SEA");
	routing_quote_free(q);
	r.deadline = MON_0324 + 16 * H; /* only AIR makes it */
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_OK);
	ck_assert_str_eq(q->options[0].legs[0].leg_id, "AIR");
	ck_assert_uint_eq(q->n_options, 2);
	ck_assert_str_eq(q->options[1].legs[0].leg_id, "SEA");
	routing_quote_free(q);

	r.country = "ES";
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_UNKNOWN_DESTINATION);
	routing_quote_free(q);
	r.country = "GB";
	r.origin = "Z";
	q = quote(net, &r);
	ck_assert_int_eq(q->status, ROUTING_UNKNOWN_ORIGIN);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/*
 * The search finds a likely but dear itinerary first (W-H1-Z by B2: the cheapest cost bound
 * leads there); a cheaper one that is on time with a lower probability (W-H2-Z, p 0.6 ≥ 0.5)
 * must still be found: being less likely than the likeliest found is no reason to prune a
 * completion that can meet the target.
 */
START_TEST(cheaper_on_time_after_likelier_found)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "H1", ROUTING_NODE_HUB, "CN", NULL);
	add_node(net, "H2", ROUTING_NODE_HUB, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t d1[1] = { MON_0324 + 1 * H }, d3[2] = { MON_0324 + 3 * H, MON_0324 + 32 * H };
	add_leg(net, "A1", "W", "H1", d1, 1, 0, 1, 0, 0, 0);
	add_leg(net, "B1", "H1", "Z", d3, 1, 0, 40, 0, 0, 0);    /* free, never on time */
	add_leg(net, "B2", "H1", "Z", d3, 1, 0, 1, 1000, 0, 0);  /* dear, always on time */
	double tr[31] = { [1] = 6, [30] = 4 };                    /* 60 % 1 h, 40 % 30 h */
	struct routing_leg_def l = { .id = "A2", .from = "W", .to = "H2", .carrier = "C",
	                             .service = "S", .departures = d1, .n_departures = 1,
	                             .transit = { tr, 31 }, .fixed_minor = 10 };
	ck_assert_int_eq(routing_network_add_leg(net, &l), 0);
	add_leg(net, "C", "H2", "Z", d3, 2, 0, 1, 10, 0, 0);
	finalize(net);
	struct routing_request r = request(MON_0324, MON_0324 + 10 * H);
	r.target = 0.5;
	for (int all = 0; all < 2; all++) {
		r.all_options = all;
		struct routing_quote *q = quote(net, &r);
		ck_assert_int_eq(q->status, ROUTING_OK);
		ck_assert_uint_eq(q->options[0].n_legs, 2);
		ck_assert_str_eq(q->options[0].legs[0].leg_id, "A2");
		ck_assert_int_eq(q->options[0].cost_minor, 20);
		ck_assert_double_eq_tol(q->options[0].p_on_time, 0.6, 1e-12);
		routing_quote_free(q);
	}
	routing_network_free(net);
}
END_TEST

/* Order batches: after the cut-off the parcel waits for the next batch to open. */
START_TEST(after_order_cutoff_waits_for_next_batch)
{
	struct routing_network *net = new_net();
	struct routing_order_window ow[2] = {
		{ MON_0324 + 6 * H, MON_0324 + 14 * H },
		{ MON_0324 + DAY + 6 * H, MON_0324 + DAY + 14 * H },
	};
	double proc[3] = { 0, 0, 1 }; /* 2 h */
	struct routing_node_def w = { .code = "W", .kind = ROUTING_NODE_WAREHOUSE, .country = "CN",
	                              .order_windows = ow, .n_order_windows = 2,
	                              .processing = { proc, 3 } };
	ck_assert_int_eq(routing_network_add_node(net, &w), 0);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t dep[6];
	for (int i = 0; i < 6; i++)
		dep[i] = MON_0324 + (i / 2) * DAY + (i % 2 ? 17 : 9) * H;
	add_leg(net, "L", "W", "Z", dep, 6, 0, 1, 1, 0, 0);
	finalize(net);
	struct routing_request r = request(MON_0324 + 2 * H, MON_0324 + 3 * DAY);
	struct routing_quote *q = quote(net, &r); /* starts 06:00, ready 08:00 → 09:00 */
	ck_assert_int_eq(q->options[0].legs[0].departure, dep[0]);
	routing_quote_free(q);
	r.ready_at = MON_0324 + 14 * H; /* at the cut-off: 16:00 → 17:00 */
	q = quote(net, &r);
	ck_assert_int_eq(q->options[0].legs[0].departure, dep[1]);
	routing_quote_free(q);
	r.ready_at = MON_0324 + 14 * H + 1; /* tomorrow's batch, 06:00 + 2 h → 09:00 */
	q = quote(net, &r);
	ck_assert_int_eq(q->options[0].legs[0].departure, dep[2]);
	routing_quote_free(q);
	routing_network_free(net);
}
END_TEST

/* A bad network lists every problem and does not finalize. */
START_TEST(validation_lists_every_problem)
{
	struct routing_network *net = new_net();
	add_node(net, "W", ROUTING_NODE_WAREHOUSE, "CN", NULL);
	add_node(net, "Z", ROUTING_NODE_ZONE, "GB", NULL);
	int64_t bad_dep[2] = { 20, 10 };
	double tr[1] = { 1 };
	struct routing_leg_def l = { .id = "BAD", .from = "W", .to = "Z", .carrier = "C",
	                             .service = "S", .departures = bad_dep, .n_departures = 2,
	                             .transit = { tr, 1 } };
	ck_assert_int_eq(routing_network_add_leg(net, &l), -1);
	int64_t dep[1] = { 10 };
	add_leg(net, "NOWHERE", "W", "X", dep, 1, 0, 1, 0, 0, 0);
	add_leg(net, "FROMZONE", "Z", "W", dep, 1, 0, 1, 0, 0, 0);
	double neg[2] = { 0.5, -1 };
	l = (struct routing_leg_def){ .id = "NEG", .from = "W", .to = "Z", .carrier = "C",
	                              .service = "X", .departures = dep, .n_departures = 1,
	                              .transit = { neg, 2 } };
	ck_assert_int_eq(routing_network_add_leg(net, &l), -1);
	ck_assert_int_eq(routing_network_finalize(net), -1);
	ck_assert_uint_eq(routing_network_problem_count(net), 4);
	ck_assert_ptr_nonnull(strstr(routing_network_problem(net, 0), "BAD"));
	routing_network_free(net);
}
END_TEST

/* Between two quantiles the mass spreads evenly over the hours (bins) between them. */
START_TEST(quantile_mass_spreads_evenly_between_quantiles)
{
	struct routing_quantile q[3] = { { 0.0, 10 * H }, { 0.5, 12 * H }, { 1.0, 14 * H } };
	double h[32];
	size_t n = 0;
	ck_assert_int_eq(routing_hist_from_quantiles(q, 3, H, h, 32, &n), 0);
	ck_assert_uint_eq(n, 15);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += h[i];
	ck_assert_double_eq_tol(sum, 1.0, 1e-12);
	ck_assert_double_eq_tol(h[11], 0.25, 1e-12);
	ck_assert_double_eq_tol(h[10], 0.0, 1e-12);
	ck_assert_int_eq(routing_hist_from_quantiles(q, 3, H, h, 10, &n), -1);
}
END_TEST

/* An observed duration counts in the grid bin it rounds up to; one beyond the last is
 * refused. */
START_TEST(observed_duration_rounds_up_to_the_grid)
{
	double counts[4] = { 0 };
	ck_assert_int_eq(routing_hist_observe(counts, 4, H, H + 1), 0);
	ck_assert(counts[2] == 1.0);
	ck_assert_int_eq(routing_hist_observe(counts, 4, H, 4 * H), -1);
}
END_TEST

Suite *routing_suite(void);

Suite *routing_suite(void)
{
	Suite *s = suite_create("routing");
	TCase *tc = tcase_create("hand_built");
	tcase_add_test(tc, cutoff_missed_by_one_minute);
	tcase_add_test(tc, no_delivery_on_unserved_weekday);
	tcase_add_test(tc, one_gram_over_max_weight_is_refused);
	tcase_add_test(tc, volumetric_weight_charged_and_parcel_rotated_to_fit);
	tcase_add_test(tc, longest_postal_prefix_wins_and_duplicates_are_refused);
	tcase_add_test(tc, on_time_is_the_mass_not_a_sum_of_percentiles);
	tcase_add_test(tc, cheapest_on_time_wins_else_likeliest_at_risk);
	tcase_add_test(tc, cheaper_on_time_after_likelier_found);
	tcase_add_test(tc, after_order_cutoff_waits_for_next_batch);
	tcase_add_test(tc, validation_lists_every_problem);
	tcase_add_test(tc, quantile_mass_spreads_evenly_between_quantiles);
	tcase_add_test(tc, observed_duration_rounds_up_to_the_grid);
	tcase_add_test(tc, cache_reuses_tables);
	suite_add_tcase(s, tc);
	return s;
}
