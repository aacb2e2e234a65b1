/* check_vrptw.c — the pickup solver (routing/vrptw.h) against references written here:
 * an independent feasibility check of every route (capacity in both dimensions, windows,
 * shift, each request exactly once, the distance re-added), brute-force optima of small
 * instances, the reasons of unassigned requests, determinism per seed, kept routes, and the
 * Solomon reader. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/solomon.h"
#include "routing/travel.h"
#include "routing/vrptw.h"

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

/* A random instance: sites on a 100×100 square, a heterogeneous fleet. */
struct inst {
	size_t n, nv;
	struct vrptw_site *sites;
	struct vrptw_vehicle *veh;
	double *x, *y, *dist, *time;
	struct vrptw_problem p;
};

static void inst_make(struct inst *in, struct rng *r, size_t n, size_t nv, double tightness)
{
	in->n = n;
	in->nv = nv;
	in->sites = calloc(n, sizeof *in->sites);
	in->veh = calloc(nv, sizeof *in->veh);
	in->x = malloc(n * sizeof(double));
	in->y = malloc(n * sizeof(double));
	in->dist = malloc(n * n * sizeof(double));
	in->time = malloc(n * n * sizeof(double));
	ck_assert(in->sites && in->veh && in->x && in->y && in->dist && in->time);
	for (size_t i = 0; i < n; i++) {
		in->x[i] = i ? 100 * rng_unit(r) : 50;
		in->y[i] = i ? 100 * rng_unit(r) : 50;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double d = hypot(in->x[i] - in->x[j], in->y[i] - in->y[j]);
			in->dist[i * n + j] = d;
			in->time[i * n + j] = 1.5 * d; /* time and distance differ */
		}
	double horizon = 600;
	for (size_t i = 1; i < n; i++) {
		struct vrptw_site *s = &in->sites[i];
		s->demand[0] = 1 + (int64_t)(rng_unit(r) * 30);
		s->demand[1] = (int64_t)(rng_unit(r) * 50);
		double width = horizon * (tightness + (1 - tightness) * rng_unit(r));
		s->ready = rng_unit(r) * (horizon - width);
		s->due = s->ready + width;
		s->service = 5 + rng_unit(r) * 10;
	}
	/* a few requests that no vehicle can take, one per reason */
	if (n > 8) {
		in->sites[n - 1].demand[0] = 10000;                     /* capacity */
		in->sites[n - 2].ready = in->sites[n - 2].due = 0.5;    /* window */
		in->x[n - 3] = 150; /* far away: reachable only in a long shift */
		for (size_t j = 0; j < n; j++) {
			double d = hypot(in->x[n - 3] - in->x[j], in->y[n - 3] - in->y[j]);
			in->dist[(n - 3) * n + j] = in->dist[j * n + n - 3] = d;
			in->time[(n - 3) * n + j] = in->time[j * n + n - 3] = 1.5 * d;
		}
		in->sites[n - 3].ready = 0;
		in->sites[n - 3].due = 200;
		in->sites[n - 3].service = 500;                          /* shift */
	}
	for (size_t v = 0; v < nv; v++) {
		in->veh[v].capacity[0] = 60 + 40 * (int64_t)(v % 3);
		in->veh[v].capacity[1] = 100 + 50 * (int64_t)(v % 2);
		in->veh[v].shift_start = v % 2 ? 0 : 30;
		in->veh[v].shift_end = horizon + 100;
		in->veh[v].fixed_cost = v % 2 ? 50 : 0;
		in->veh[v].cost_per_distance = 1 + (double)(v % 2);
	}
	in->p = (struct vrptw_problem){.n_sites = n, .sites = in->sites, .dist = in->dist,
	                               .time = in->time, .n_vehicles = nv, .vehicles = in->veh};
}

static void inst_free(struct inst *in)
{
	free(in->sites);
	free(in->veh);
	free(in->x);
	free(in->y);
	free(in->dist);
	free(in->time);
}

/* The independent check of one route: returns its distance, or -1 if it breaks a rule. */
static double check_route(const struct inst *in, size_t v, const size_t *stops, size_t m)
{
	const struct vrptw_vehicle *veh = &in->veh[v];
	double t = veh->shift_start, d = 0;
	int64_t w = 0, vol = 0;
	size_t at = 0;
	for (size_t i = 0; i < m; i++) {
		size_t c = stops[i];
		const struct vrptw_site *s = &in->sites[c];
		t += in->time[at * in->n + c];
		if (t < s->ready)
			t = s->ready;
		if (t > s->due + 1e-6)
			return -1;
		t += s->service;
		w += s->demand[0];
		vol += s->demand[1];
		d += in->dist[at * in->n + c];
		at = c;
	}
	t += in->time[at * in->n];
	d += in->dist[at * in->n];
	if (t > veh->shift_end + 1e-6 || w > veh->capacity[0] || vol > veh->capacity[1])
		return -1;
	return d;
}

/* Every request exactly once; every route feasible; the totals re-added; every unassigned
 * request fits in no route at any position (nor alone in an unused vehicle), and its reason
 * holds. */
static void check_result(const struct inst *in, const struct vrptw_result *r)
{
	int *seen = calloc(in->n, sizeof *seen);
	bool *used = calloc(in->nv, sizeof *used);
	ck_assert(seen && used);
	double total = 0;
	for (size_t k = 0; k < r->n_routes; k++) {
		const struct vrptw_route *rt = &r->routes[k];
		ck_assert_uint_lt(rt->vehicle, in->nv);
		ck_assert(!used[rt->vehicle]);
		used[rt->vehicle] = true;
		ck_assert_uint_gt(rt->n_stops, 0);
		double d = check_route(in, rt->vehicle, rt->stops, rt->n_stops);
		ck_assert_msg(d >= 0, "route of vehicle %zu is infeasible", rt->vehicle);
		ck_assert_double_eq_tol(d, rt->distance, 1e-6);
		total += d;
		for (size_t i = 0; i < rt->n_stops; i++) {
			ck_assert(rt->stops[i] > 0 && rt->stops[i] < in->n);
			seen[rt->stops[i]]++;
		}
	}
	ck_assert_double_eq_tol(total, r->distance, 1e-6);
	for (size_t u = 0; u < r->n_unassigned; u++) {
		size_t c = r->unassigned[u];
		ck_assert(c > 0 && c < in->n);
		seen[c]++;
		const struct vrptw_site *s = &in->sites[c];
		bool alone = false, fits_cap = false, reaches = false;
		for (size_t v = 0; v < in->nv; v++) {
			if (s->demand[0] > in->veh[v].capacity[0] || s->demand[1] > in->veh[v].capacity[1])
				continue;
			fits_cap = true;
			double arr = in->veh[v].shift_start + in->time[c];
			if ((arr > s->ready ? arr : s->ready) <= s->due)
				reaches = true;
			if (check_route(in, v, &c, 1) >= 0) {
				alone = true;
				ck_assert_msg(used[v], "request %zu fits alone in unused vehicle %zu", c, v);
			}
		}
		switch (r->reasons[u]) {
		case VRPTW_REASON_CAPACITY:
			ck_assert(!fits_cap);
			break;
		case VRPTW_REASON_WINDOW:
			ck_assert(fits_cap && !reaches);
			break;
		case VRPTW_REASON_SHIFT:
			ck_assert(reaches && !alone);
			break;
		case VRPTW_REASON_FLEET:
			ck_assert(alone);
			break;
		}
		/* no place in any route takes it */
		for (size_t k = 0; k < r->n_routes; k++) {
			const struct vrptw_route *rt = &r->routes[k];
			size_t *tmp = malloc((rt->n_stops + 1) * sizeof *tmp);
			ck_assert(tmp);
			for (size_t pos = 0; pos <= rt->n_stops; pos++) {
				memcpy(tmp, rt->stops, pos * sizeof *tmp);
				tmp[pos] = c;
				memcpy(tmp + pos + 1, rt->stops + pos, (rt->n_stops - pos) * sizeof *tmp);
				ck_assert_msg(check_route(in, rt->vehicle, tmp, rt->n_stops + 1) < 0,
				              "request %zu left out but fits vehicle %zu at %zu", c,
				              rt->vehicle, pos);
			}
			free(tmp);
		}
	}
	for (size_t i = 1; i < in->n; i++)
		ck_assert_msg(seen[i] == 1, "request %zu appears %d times", i, seen[i]);
	free(seen);
	free(used);
}

START_TEST(every_route_passes_an_independent_check)
{
	struct rng g = {0x5eed1234abcdULL};
	for (int t = 0; t < 60; t++) {
		struct inst in;
		size_t n = 5 + (size_t)(rng_unit(&g) * 60), nv = 1 + (size_t)(rng_unit(&g) * 8);
		inst_make(&in, &g, n, nv, 0.05 + 0.5 * rng_unit(&g));
		struct vrptw_options o = {.seed = (uint64_t)t, .iterations = 1500};
		struct vrptw_result r;
		char why[128];
		ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), 0);
		check_result(&in, &r);
		/* the solver's own schedule agrees with the check */
		for (size_t k = 0; k < r.n_routes; k++) {
			struct vrptw_stop_time *st = calloc(r.routes[k].n_stops, sizeof *st);
			ck_assert(st);
			double d = vrptw_route_schedule(&in.p, r.routes[k].vehicle, r.routes[k].stops,
			                                r.routes[k].n_stops, st);
			ck_assert_double_eq_tol(d, r.routes[k].distance, 1e-9);
			for (size_t i = 0; i < r.routes[k].n_stops; i++) {
				const struct vrptw_site *s = &in.sites[r.routes[k].stops[i]];
				ck_assert(st[i].start >= st[i].arrival && st[i].start >= s->ready);
				ck_assert(st[i].start <= s->due + 1e-6);
				ck_assert_double_eq_tol(st[i].departure, st[i].start + s->service, 1e-9);
			}
			free(st);
		}
		vrptw_result_free(&r);
		inst_free(&in);
	}
}
END_TEST

START_TEST(the_three_impossible_requests_get_their_reasons)
{
	struct rng g = {42};
	struct inst in;
	inst_make(&in, &g, 30, 4, 0.5);
	for (size_t v = 0; v < in.nv; v++)
		in.veh[v].shift_end = 700;
	struct vrptw_options o = {.seed = 7, .iterations = 2000};
	struct vrptw_result r;
	char why[128];
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), 0);
	check_result(&in, &r);
	enum vrptw_reason want[3] = {VRPTW_REASON_SHIFT, VRPTW_REASON_WINDOW, VRPTW_REASON_CAPACITY};
	for (size_t k = 0; k < 3; k++) {
		size_t c = in.n - 3 + k;
		bool found = false;
		for (size_t u = 0; u < r.n_unassigned; u++)
			if (r.unassigned[u] == c) {
				found = true;
				ck_assert_str_eq(vrptw_reason_name(r.reasons[u]), vrptw_reason_name(want[k]));
			}
		ck_assert_msg(found, "request %zu should be unassigned", c);
	}
	vrptw_result_free(&r);
	inst_free(&in);
}
END_TEST

START_TEST(a_fleet_too_small_leaves_requests_out_for_fleet)
{
	struct rng g = {99};
	struct inst in;
	inst_make(&in, &g, 40, 1, 0.9);
	in.veh[0].capacity[0] = 40;
	struct vrptw_options o = {.seed = 1, .iterations = 1000};
	struct vrptw_result r;
	char why[128];
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), 0);
	check_result(&in, &r);
	size_t fleet = 0;
	for (size_t u = 0; u < r.n_unassigned; u++)
		fleet += r.reasons[u] == VRPTW_REASON_FLEET;
	ck_assert_uint_gt(fleet, 10);
	vrptw_result_free(&r);
	inst_free(&in);
}
END_TEST

/* --- brute force ---------------------------------------------------------------------- */

/* The cheapest feasible order of the requests in mask on vehicle v (all permutations). */
static double best_single(const struct inst *in, size_t v, unsigned mask)
{
	size_t stops[8], m = 0;
	for (size_t c = 1; c < in->n; c++)
		if (mask & (1u << c))
			stops[m++] = c;
	double best = INFINITY;
	/* Heap's algorithm */
	size_t cnt[8] = {0}, i = 0;
	double d = check_route(in, v, stops, m);
	if (d >= 0)
		best = d;
	while (i < m) {
		if (cnt[i] < i) {
			size_t j = i % 2 ? cnt[i] : 0, t = stops[j];
			stops[j] = stops[i];
			stops[i] = t;
			d = check_route(in, v, stops, m);
			if (d >= 0 && d < best)
				best = d;
			cnt[i]++;
			i = 0;
		} else {
			cnt[i++] = 0;
		}
	}
	return best;
}

START_TEST(small_instances_reach_the_brute_force_optimum)
{
	struct rng g = {2024};
	for (int t = 0; t < 25; t++) {
		struct inst in;
		size_t n = 5 + (size_t)(rng_unit(&g) * 3); /* 4..6 requests */
		inst_make(&in, &g, n, 3, 0.3);
		for (size_t v = 0; v < 3; v++)
			in.veh[v] = (struct vrptw_vehicle){.capacity = {70, 1000}, .shift_start = 0,
			                                   .shift_end = 800, .fixed_cost = 0,
			                                   .cost_per_distance = 1};
		unsigned full = 0;
		for (size_t c = 1; c < n; c++)
			full |= 1u << c;
		/* f[k][S]: cheapest cover of S by k routes (identical vehicles) */
		double single[256], f[4][256];
		for (unsigned s = 0; s <= full; s++) {
			single[s] = (s & ~full) ? INFINITY : best_single(&in, 0, s);
			for (int k = 0; k < 4; k++)
				f[k][s] = INFINITY;
		}
		f[0][0] = 0;
		for (int k = 1; k < 4; k++)
			for (unsigned s = 0; s <= full; s++) {
				if (s & ~full)
					continue;
				f[k][s] = f[k - 1][s];
				for (unsigned sub = s; sub; sub = (sub - 1) & s)
					if (single[sub] < INFINITY && f[k - 1][s & ~sub] + single[sub] < f[k][s])
						f[k][s] = f[k - 1][s & ~sub] + single[sub];
			}
		struct vrptw_options o = {.seed = 3, .iterations = 3000};
		struct vrptw_result r;
		char why[128];
		ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), 0);
		check_result(&in, &r);
		if (f[3][full] < INFINITY) {
			ck_assert_uint_eq(r.n_unassigned, 0);
			ck_assert_msg(fabs(r.distance - f[3][full]) < 1e-6,
			              "instance %d: solver %.6f, optimum %.6f", t, r.distance, f[3][full]);
		}
		vrptw_result_free(&r);
		inst_free(&in);
	}
}
END_TEST

START_TEST(same_seed_same_answer)
{
	struct rng g = {77};
	struct inst in;
	inst_make(&in, &g, 60, 6, 0.2);
	struct vrptw_options o = {.seed = 11, .iterations = 3000};
	struct vrptw_result a, b, c;
	char why[128];
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &a, why, sizeof why), 0);
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &b, why, sizeof why), 0);
	o.seed = 12;
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &c, why, sizeof why), 0);
	ck_assert(a.distance == b.distance);
	ck_assert_uint_eq(a.n_routes, b.n_routes);
	for (size_t k = 0; k < a.n_routes; k++) {
		ck_assert_uint_eq(a.routes[k].vehicle, b.routes[k].vehicle);
		ck_assert_uint_eq(a.routes[k].n_stops, b.routes[k].n_stops);
		ck_assert(memcmp(a.routes[k].stops, b.routes[k].stops,
		                 a.routes[k].n_stops * sizeof(size_t)) == 0);
	}
	ck_assert_uint_eq(a.n_unassigned, b.n_unassigned);
	check_result(&in, &c);
	vrptw_result_free(&a);
	vrptw_result_free(&b);
	vrptw_result_free(&c);
	inst_free(&in);
}
END_TEST

START_TEST(kept_routes_keep_their_vehicle_and_order)
{
	struct rng g = {5};
	struct inst in;
	inst_make(&in, &g, 30, 4, 1.0); /* wide windows: any order is feasible in time */
	for (size_t v = 0; v < in.nv; v++) {
		in.veh[v].capacity[0] = in.veh[v].capacity[1] = 100000;
		in.veh[v].shift_end = 100000;
	}
	for (size_t i = 1; i < in.n; i++)
		in.sites[i].due = 100000;
	in.sites[in.n - 1].demand[0] = 5;
	in.sites[in.n - 3].service = 5;
	/* a deliberately poor order: 9, 3, 7 on vehicle 2 */
	size_t stops[3] = {9, 3, 7};
	struct vrptw_route kept = {.vehicle = 2, .n_stops = 3, .stops = stops};
	in.p.n_kept = 1;
	in.p.kept = &kept;
	struct vrptw_options o = {.seed = 1, .iterations = 2000};
	struct vrptw_result r;
	char why[128];
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), 0);
	check_result(&in, &r);
	bool found = false;
	for (size_t k = 0; k < r.n_routes; k++) {
		if (r.routes[k].vehicle != 2)
			continue;
		found = true;
		size_t next = 0;
		for (size_t i = 0; i < r.routes[k].n_stops; i++)
			if (next < 3 && r.routes[k].stops[i] == stops[next])
				next++;
		ck_assert_uint_eq(next, 3);
	}
	ck_assert(found);
	vrptw_result_free(&r);
	/* a kept stop that no longer fits is refused with a reason */
	in.sites[3].due = 0;
	in.sites[3].ready = 0;
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), -1);
	ck_assert_ptr_nonnull(strstr(why, "kept route 0"));
	inst_free(&in);
}
END_TEST

START_TEST(malformed_problems_are_refused)
{
	struct rng g = {8};
	struct inst in;
	inst_make(&in, &g, 10, 2, 0.5);
	struct vrptw_options o = {.seed = 1, .iterations = 10};
	struct vrptw_result r;
	char why[128];
	in.sites[4].due = in.sites[4].ready - 1;
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), -1);
	ck_assert_ptr_nonnull(strstr(why, "site 4"));
	ck_assert_uint_eq(r.n_routes, 0);
	in.sites[4].due = in.sites[4].ready;
	in.veh[1].shift_end = -1;
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), -1);
	ck_assert_ptr_nonnull(strstr(why, "vehicle 1"));
	in.veh[1].shift_end = 700;
	in.dist[5] = NAN;
	ck_assert_int_eq(vrptw_solve(&in.p, &o, &r, why, sizeof why), -1);
	inst_free(&in);
}
END_TEST

static const char tiny_solomon[] =
	"TINY1\n\nVEHICLE\nNUMBER     CAPACITY\n  2         10\n\nCUSTOMER\n"
	"CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n \n"
	"    0      0          0          0          0       100          0\n"
	"    1      3          4          6          0        50          1\n"
	"    2      6          8          6          0        50          1\n"
	"    3     -3         -4          3          0        50          1\n";

START_TEST(solomon_reader_builds_the_euclidean_problem)
{
	FILE *f = fmemopen((void *)tiny_solomon, sizeof tiny_solomon - 1, "r");
	ck_assert_ptr_nonnull(f);
	char why[128];
	struct solomon_instance *in = solomon_read(f, why, sizeof why);
	fclose(f);
	ck_assert_msg(in != NULL, "%s", why);
	ck_assert_str_eq(solomon_name(in), "TINY1");
	const struct vrptw_problem *p = solomon_problem(in, 0);
	ck_assert_uint_eq(p->n_sites, 4);
	ck_assert_uint_eq(p->n_vehicles, 2);
	ck_assert_int_eq(p->vehicles[1].capacity[0], 10);
	ck_assert_double_eq(p->vehicles[0].shift_end, 100);
	ck_assert_double_eq(p->dist[0 * 4 + 1], 5.0);
	ck_assert_double_eq(p->time[1 * 4 + 2], 5.0);
	struct vrptw_options o = {.seed = 1, .iterations = 500};
	struct vrptw_result r;
	ck_assert_int_eq(vrptw_solve(p, &o, &r, why, sizeof why), 0);
	/* 1 and 2 (12 units) cannot share: two routes, 1+3 (9) and 2 alone: 5+10+5 + 10+10 */
	ck_assert_uint_eq(r.n_routes, 2);
	ck_assert_double_eq_tol(r.distance, 40.0, 1e-9);
	vrptw_result_free(&r);
	solomon_free(in);

	static const char bad[] = "BAD\n\nVEHICLE\nNUMBER CAPACITY\n 2 10\n\nCUSTOMER\n"
	                          " 0 0 0 0 0 100 0\n 2 1 1 1 0 10 1\n";
	f = fmemopen((void *)bad, sizeof bad - 1, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(solomon_read(f, why, sizeof why));
	fclose(f);
	ck_assert_ptr_nonnull(strstr(why, "expected customer 1"));
}
END_TEST

START_TEST(travel_model_is_great_circle_times_road_factor_over_speed)
{
	struct travel_point a = {40.0, -3.7}, b = {41.0, -3.7};
	/* one degree of a meridian: 6,371.0088 km × π / 180 */
	ck_assert_double_eq_tol(travel_great_circle_km(a, b), 111.19508, 1e-4);
	struct travel_point mad = {40.4168, -3.7038}, bcn = {41.3874, 2.1686};
	double gc = travel_great_circle_km(mad, bcn);
	ck_assert_msg(gc > 503 && gc < 506, "Madrid–Barcelona %.1f km", gc);
	struct travel_point pts[2] = {mad, bcn};
	double d[4], t[4];
	struct travel_model m = {.road_factor = 1.25, .speed_kmh = 50};
	ck_assert_int_eq(travel_matrices(&m, pts, 2, d, t), 0);
	ck_assert_double_eq(d[0], 0);
	ck_assert_double_eq_tol(d[1], 1.25 * gc, 1e-9);
	ck_assert_double_eq_tol(d[2], d[1], 1e-9);
	ck_assert_double_eq_tol(t[1], d[1] / 50 * 3600, 1e-6);
	m.road_factor = 0.9;
	ck_assert_int_eq(travel_matrices(&m, pts, 2, d, t), -1);
	m.road_factor = 1.3;
	m.speed_kmh = 0;
	ck_assert_int_eq(travel_matrices(&m, pts, 2, d, t), -1);
	m.speed_kmh = 30;
	pts[1].lat = 91;
	ck_assert_int_eq(travel_matrices(&m, pts, 2, d, t), -1);
}
END_TEST

Suite *vrptw_suite(void);

Suite *vrptw_suite(void)
{
	Suite *s = suite_create("vrptw");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_route_passes_an_independent_check);
	tcase_add_test(tc, the_three_impossible_requests_get_their_reasons);
	tcase_add_test(tc, a_fleet_too_small_leaves_requests_out_for_fleet);
	tcase_add_test(tc, small_instances_reach_the_brute_force_optimum);
	tcase_add_test(tc, same_seed_same_answer);
	tcase_add_test(tc, kept_routes_keep_their_vehicle_and_order);
	tcase_add_test(tc, malformed_problems_are_refused);
	tcase_add_test(tc, solomon_reader_builds_the_euclidean_problem);
	tcase_add_test(tc, travel_model_is_great_circle_times_road_factor_over_speed);
	suite_add_tcase(s, tc);
	return s;
}
