/* vrptw.c — the VRPTW solver (vrptw.h): SISR ruin and recreate under simulated annealing.
 *
 * A solution holds one route per vehicle (most empty). Each route keeps, per stop, the
 * earliest service start (forward) and the latest service start that keeps the rest of the
 * route feasible (backward), so that inserting a request anywhere is checked in O(1).
 * An iteration removes a few strings of nearby stops from a few routes (adjacent string
 * removal), puts every request not on a route back where it costs least (skipping each
 * position with a small probability: "blinks"), and keeps the result by the annealing rule.
 */
#include "routing/vrptw.h"
#include "routing/vrptw_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NONE ((size_t)-1)

/* SISR's parameters (the paper's: c̄ = 10, L_max = 10, split rate and depth 0.5 / 0.01,
 * blink rate 0.01); temperatures relative to the mean cost of a hub-to-stop leg. */
#define AVG_REMOVED 10.0
#define MAX_STRING 10.0
#define SPLIT_RATE 0.5
#define SPLIT_DEPTH 0.01
#define BLINK_RATE 0.01
#define TEMP_START 0.3
#define TEMP_END 0.003

struct route {
	size_t veh, len;
	size_t *seq;          /* len stops */
	double *early, *late; /* service start: earliest, latest */
	int64_t load[VRPTW_DIMS];
	double dist;
};

struct sol {
	struct route *r;      /* one per vehicle */
	size_t *route_of;     /* per site: the vehicle, or NONE */
	size_t n_out;         /* requests on no route */
	double obj;
};

struct solver {
	const struct vrptw_problem *p;
	size_t n, nv;
	size_t *adj;          /* per request: every request by distance (itself first) */
	size_t *veh_class;    /* per vehicle: the first vehicle identical to it */
	bool *kept;           /* per site: a kept stop (never removed) */
	double out_penalty;   /* per unassigned request */
	double temp0, temp1;
	bool blink;           /* skip positions at random (off: a last try before leaving out) */
	uint64_t rng;
	size_t *removed, n_removed;
	uint64_t *stamp, stamp_now; /* per vehicle: ruined in iteration stamp_now */
	double *key;          /* sort keys, per site */
	struct sol cur, cand, best;
};

/* --- random numbers (splitmix64: deterministic per seed) --------------------------- */

static uint64_t rnd_next(struct solver *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rnd_unit(struct solver *s)
{
	return (double)(rnd_next(s) >> 11) * 0x1.0p-53;
}

/* an integer in [0, n) */
static size_t rnd_below(struct solver *s, size_t n)
{
	return (size_t)(rnd_unit(s) * (double)n);
}

/* --- solutions ----------------------------------------------------------------------- */

static int sol_alloc(struct sol *x, size_t n, size_t nv)
{
	memset(x, 0, sizeof *x);
	x->r = calloc(nv ? nv : 1, sizeof *x->r);
	x->route_of = malloc(n * sizeof *x->route_of);
	if (x->r == NULL || x->route_of == NULL)
		return -1;
	for (size_t v = 0; v < nv; v++) {
		x->r[v].veh = v;
		x->r[v].seq = malloc(n * sizeof *x->r[v].seq);
		x->r[v].early = malloc(n * sizeof(double));
		x->r[v].late = malloc(n * sizeof(double));
		if (x->r[v].seq == NULL || x->r[v].early == NULL || x->r[v].late == NULL)
			return -1;
	}
	return 0;
}

static void sol_free(struct sol *x, size_t nv)
{
	if (x->r != NULL)
		for (size_t v = 0; v < nv; v++) {
			free(x->r[v].seq);
			free(x->r[v].early);
			free(x->r[v].late);
		}
	free(x->r);
	free(x->route_of);
	memset(x, 0, sizeof *x);
}

static void sol_copy(struct sol *dst, const struct sol *src, size_t n, size_t nv)
{
	for (size_t v = 0; v < nv; v++) {
		const struct route *a = &src->r[v];
		struct route *b = &dst->r[v];
		b->len = a->len;
		b->dist = a->dist;
		memcpy(b->load, a->load, sizeof b->load);
		memcpy(b->seq, a->seq, a->len * sizeof *a->seq);
		memcpy(b->early, a->early, a->len * sizeof(double));
		memcpy(b->late, a->late, a->len * sizeof(double));
	}
	memcpy(dst->route_of, src->route_of, n * sizeof *src->route_of);
	dst->n_out = src->n_out;
	dst->obj = src->obj;
}

static double route_cost(const struct vrptw_problem *p, const struct route *r)
{
	if (r->len == 0)
		return 0.0;
	const struct vrptw_vehicle *v = &p->vehicles[r->veh];
	return v->fixed_cost + v->cost_per_distance * r->dist;
}

/* Recomputes r's times, load and distance from its stops. */
static void route_update(const struct vrptw_problem *p, struct route *r)
{
	size_t ns = p->n_sites, prev = 0;
	const struct vrptw_vehicle *v = &p->vehicles[r->veh];
	double t = v->shift_start, d = 0.0;
	memset(r->load, 0, sizeof r->load);
	for (size_t i = 0; i < r->len; i++) {
		size_t c = r->seq[i];
		const struct vrptw_site *st = &p->sites[c];
		double arr = t + p->time[prev * ns + c];
		r->early[i] = arr < st->ready ? st->ready : arr;
		t = r->early[i] + st->service;
		d += p->dist[prev * ns + c];
		for (int k = 0; k < VRPTW_DIMS; k++)
			r->load[k] += st->demand[k];
		prev = c;
	}
	r->dist = r->len ? d + p->dist[prev * ns] : 0.0;
	double late = v->shift_end;
	size_t next = 0;
	for (size_t i = r->len; i-- > 0;) {
		size_t c = r->seq[i];
		const struct vrptw_site *st = &p->sites[c];
		double l = late - p->time[c * ns + next] - st->service;
		r->late[i] = l < st->due ? l : st->due;
		late = r->late[i];
		next = c;
	}
}

static double sol_objective(const struct solver *s, const struct sol *x)
{
	double o = (double)x->n_out * s->out_penalty;
	for (size_t v = 0; v < s->nv; v++)
		o += route_cost(s->p, &x->r[v]);
	return o;
}

/* --- recreate: greedy insertion with blinks ----------------------------------------- */

/*
 * The cheapest feasible place for request c in route r: sets *pos and returns the cost
 * added, or returns INFINITY. Each position is skipped with probability BLINK_RATE.
 */
static double best_in_route(struct solver *s, const struct route *r, size_t c, size_t *pos)
{
	const struct vrptw_problem *p = s->p;
	const struct vrptw_site *st = &p->sites[c];
	const struct vrptw_vehicle *v = &p->vehicles[r->veh];
	size_t ns = p->n_sites;
	for (int k = 0; k < VRPTW_DIMS; k++)
		if (r->load[k] + st->demand[k] > v->capacity[k])
			return INFINITY;
	double best = INFINITY;
	const double *dc = &p->dist[c * ns], *tc = &p->time[c * ns];
	for (size_t i = 0; i <= r->len; i++) {
		size_t prev = i ? r->seq[i - 1] : 0, next = i < r->len ? r->seq[i] : 0;
		double dep = i ? r->early[i - 1] + p->sites[prev].service : v->shift_start;
		double arr = dep + p->time[prev * ns + c];
		double start = arr < st->ready ? st->ready : arr;
		if (start > st->due + VRPTW_EPS)
			break; /* later positions leave even later */
		double late_next = i < r->len ? r->late[i] : v->shift_end;
		if (start + st->service + tc[next] > late_next + VRPTW_EPS)
			continue;
		double delta = p->dist[prev * ns + c] + dc[next] - p->dist[prev * ns + next];
		if (delta < best) {
			if (s->blink && rnd_unit(s) < BLINK_RATE)
				continue;
			best = delta;
			*pos = i;
		}
	}
	if (best == INFINITY)
		return INFINITY;
	return v->cost_per_distance * best + (r->len == 0 ? v->fixed_cost : 0.0);
}

static void route_insert(const struct vrptw_problem *p, struct route *r, size_t pos, size_t c)
{
	memmove(&r->seq[pos + 1], &r->seq[pos], (r->len - pos) * sizeof *r->seq);
	r->seq[pos] = c;
	r->len++;
	route_update(p, r);
}

static int cmp_key_desc(const void *a, const void *b, void *ctx)
{
	const double *key = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (key[x] != key[y])
		return key[x] > key[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Orders the removed requests as SISR does: random (4), demand (4), far (2), close (1). */
static void sort_removed(struct solver *s)
{
	const struct vrptw_problem *p = s->p;
	size_t m = s->n_removed, *a = s->removed;
	size_t roll = rnd_below(s, 11);
	if (roll < 4) {
		for (size_t i = m; i > 1; i--) {
			size_t j = rnd_below(s, i);
			size_t t = a[i - 1];
			a[i - 1] = a[j];
			a[j] = t;
		}
		return;
	}
	for (size_t i = 0; i < m; i++) {
		size_t c = a[i];
		double d0 = p->dist[c];
		if (roll < 8) {
			const struct vrptw_site *st = &p->sites[c];
			double w = 0.0;
			for (int k = 0; k < VRPTW_DIMS; k++) {
				int64_t cap = 0;
				for (size_t v = 0; v < s->nv; v++)
					if (p->vehicles[v].capacity[k] > cap)
						cap = p->vehicles[v].capacity[k];
				w += cap > 0 ? (double)st->demand[k] / (double)cap : 0.0;
			}
			s->key[c] = w;
		} else {
			s->key[c] = roll < 10 ? d0 : -d0;
		}
	}
	qsort_r(a, m, sizeof *a, cmp_key_desc, s->key);
}

/* Puts every removed request back into x where it costs least; what fits nowhere stays out. */
static void recreate(struct solver *s, struct sol *x)
{
	sort_removed(s);
	const struct vrptw_problem *p = s->p;
	for (size_t i = 0; i < s->n_removed; i++) {
		size_t c = s->removed[i], bv = NONE, bpos = 0;
		double best = INFINITY;
		s->blink = true;
	again:
		for (size_t v = 0; v < s->nv; v++) {
			struct route *r = &x->r[v];
			if (r->len == 0) {
				/* one empty vehicle of each kind is enough */
				size_t cl = s->veh_class[v];
				bool seen = false;
				for (size_t u = cl; u < v && !seen; u++)
					seen = s->veh_class[u] == cl && x->r[u].len == 0;
				if (seen)
					continue;
			}
			size_t pos = 0;
			double d = best_in_route(s, r, c, &pos);
			if (d < best) {
				best = d;
				bv = v;
				bpos = pos;
			}
		}
		if (bv == NONE && s->blink) {
			s->blink = false; /* the blinks may have hidden the only place */
			goto again;
		}
		if (bv == NONE)
			continue;
		route_insert(p, &x->r[bv], bpos, c);
		x->route_of[c] = bv;
		x->n_out--;
	}
	x->obj = sol_objective(s, x);
}

/* --- ruin: adjacent string removal ---------------------------------------------------- */

static void remove_at(struct solver *s, struct sol *x, struct route *r, size_t from, size_t count,
                      size_t keep_from, size_t keep_count)
{
	size_t w = from;
	for (size_t i = from; i < from + count; i++) {
		size_t c = r->seq[i];
		bool keep = (i >= keep_from && i < keep_from + keep_count) || s->kept[c];
		if (keep) {
			r->seq[w++] = c;
			continue;
		}
		x->route_of[c] = NONE;
		x->n_out++;
		s->removed[s->n_removed++] = c;
	}
	memmove(&r->seq[w], &r->seq[from + count], (r->len - from - count) * sizeof *r->seq);
	r->len -= from + count - w;
	route_update(s->p, r);
}

static void ruin(struct solver *s, struct sol *x)
{
	size_t n = s->n, used = 0, on = 0;
	for (size_t v = 0; v < s->nv; v++)
		if (x->r[v].len) {
			used++;
			on += x->r[v].len;
		}
	if (on == 0)
		return;
	double avg = (double)on / (double)used;
	double ls_max = avg < MAX_STRING ? avg : MAX_STRING;
	double ks_max = 4.0 * AVG_REMOVED / (1.0 + ls_max) - 1.0;
	size_t ks = (size_t)(rnd_unit(s) * ks_max) + 1;
	size_t seed;
	do
		seed = 1 + rnd_below(s, n - 1);
	while (x->route_of[seed] == NONE);
	/* routes already ruined this time carry this iteration's stamp */
	s->stamp_now++;
	size_t n_ruined = 0;
	const size_t *near = &s->adj[seed * (n - 1)];
	for (size_t j = 0; j < n - 1 && n_ruined < ks; j++) {
		size_t c = near[j], v = x->route_of[c];
		if (v == NONE || s->kept[c] || s->stamp[v] == s->stamp_now)
			continue;
		struct route *r = &x->r[v];
		size_t pos = 0;
		while (r->seq[pos] != c)
			pos++;
		double lmax = r->len < ls_max ? (double)r->len : ls_max;
		size_t l = (size_t)(rnd_unit(s) * lmax) + 1;
		if (l > r->len)
			l = r->len;
		size_t m = 0;
		if (rnd_unit(s) < SPLIT_RATE && l < r->len) {
			m = 1;
			while (l + m < r->len && rnd_unit(s) >= SPLIT_DEPTH)
				m++;
		}
		size_t span = l + m;
		/* a span holding c, placed at random */
		size_t lo = pos + 1 >= span ? pos + 1 - span : 0;
		size_t hi = pos < r->len - span ? pos : r->len - span;
		size_t from = lo + rnd_below(s, hi - lo + 1);
		size_t keep_from = from + rnd_below(s, l + 1);
		remove_at(s, x, r, from, span, keep_from, m);
		s->stamp[v] = s->stamp_now;
		n_ruined++;
	}
}

/* --- the search --------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const double *sort_dist_row;

static int cmp_by_row(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	double dx = sort_dist_row[x], dy = sort_dist_row[y];
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_by_row_r(const void *a, const void *b, void *ctx)
{
	sort_dist_row = ctx;
	return cmp_by_row(a, b);
}

static int validate(const struct vrptw_problem *p, char *why, size_t whylen)
{
	size_t n = p->n_sites;
	if (n == 0 || p->sites == NULL || p->dist == NULL || p->time == NULL ||
	    (p->n_vehicles && p->vehicles == NULL)) {
		snprintf(why, whylen, "the problem has no hub, sites or matrices");
		return -1;
	}
	for (size_t i = 0; i < n * n; i++)
		if (!(p->dist[i] >= 0.0) || !(p->time[i] >= 0.0) || !isfinite(p->dist[i]) ||
		    !isfinite(p->time[i])) {
			snprintf(why, whylen, "matrix entry %zu,%zu is negative or not finite", i / n,
			         i % n);
			return -1;
		}
	for (size_t i = 1; i < n; i++) {
		const struct vrptw_site *st = &p->sites[i];
		if (!(st->due >= st->ready) || !(st->service >= 0.0) || !isfinite(st->due) ||
		    !isfinite(st->ready) || !isfinite(st->service)) {
			snprintf(why, whylen, "site %zu: its window ends before it starts", i);
			return -1;
		}
		for (int k = 0; k < VRPTW_DIMS; k++)
			if (st->demand[k] < 0) {
				snprintf(why, whylen, "site %zu: negative demand", i);
				return -1;
			}
	}
	for (size_t v = 0; v < p->n_vehicles; v++) {
		const struct vrptw_vehicle *veh = &p->vehicles[v];
		if (!(veh->shift_end >= veh->shift_start) || !isfinite(veh->shift_end) ||
		    !isfinite(veh->shift_start) || !(veh->fixed_cost >= 0.0) ||
		    !(veh->cost_per_distance >= 0.0)) {
			snprintf(why, whylen, "vehicle %zu: its shift ends before it starts, or a cost "
			         "is negative", v);
			return -1;
		}
	}
	for (size_t k = 0; k < p->n_kept; k++)
		if (p->kept[k].vehicle >= p->n_vehicles) {
			snprintf(why, whylen, "kept route %zu: no such vehicle", k);
			return -1;
		}
	return 0;
}

static int solver_init(struct solver *s, const struct vrptw_problem *p, uint64_t seed)
{
	size_t n = p->n_sites, nv = p->n_vehicles;
	memset(s, 0, sizeof *s);
	s->p = p;
	s->n = n;
	s->nv = nv;
	s->rng = seed;
	s->adj = malloc((n > 1 ? n * (n - 1) : 1) * sizeof *s->adj);
	s->veh_class = malloc((nv ? nv : 1) * sizeof *s->veh_class);
	s->kept = calloc(n, sizeof *s->kept);
	s->removed = malloc(n * sizeof *s->removed);
	s->key = calloc(n, sizeof *s->key);
	s->stamp = calloc(nv ? nv : 1, sizeof *s->stamp);
	if (s->stamp == NULL || s->adj == NULL || s->veh_class == NULL || s->kept == NULL || s->removed == NULL ||
	    s->key == NULL || sol_alloc(&s->cur, n, nv) || sol_alloc(&s->cand, n, nv) ||
	    sol_alloc(&s->best, n, nv))
		return -1;
	for (size_t i = 1; i < n; i++) {
		size_t *row = &s->adj[i * (n - 1)];
		for (size_t j = 1; j < n; j++)
			row[j - 1] = j;
		/* symmetric closeness: the shorter of the two directions */
		for (size_t j = 1; j < n; j++) {
			double a = p->dist[i * n + j], b = p->dist[j * n + i];
			s->key[j] = a < b ? a : b;
		}
		s->key[i] = -1.0;
		qsort_r(row, n - 1, sizeof *row, cmp_by_row_r, s->key);
	}
	for (size_t v = 0; v < nv; v++) {
		s->veh_class[v] = v;
		for (size_t u = 0; u < v; u++)
			if (memcmp(&p->vehicles[u], &p->vehicles[v], sizeof p->vehicles[v]) == 0) {
				s->veh_class[v] = s->veh_class[u];
				break;
			}
	}
	/* an unassigned request costs more than any route could: a round trip's worst */
	double maxd = 0.0, fixed = 0.0, cpd = 0.0, avg = 0.0;
	for (size_t i = 0; i < n * n; i++)
		if (p->dist[i] > maxd)
			maxd = p->dist[i];
	for (size_t v = 0; v < nv; v++) {
		if (p->vehicles[v].fixed_cost > fixed)
			fixed = p->vehicles[v].fixed_cost;
		if (p->vehicles[v].cost_per_distance > cpd)
			cpd = p->vehicles[v].cost_per_distance;
	}
	s->out_penalty = 10.0 * (fixed + cpd * 2.0 * maxd * (double)n) + 1.0;
	for (size_t i = 1; i < n; i++)
		avg += cpd * p->dist[i];
	avg = n > 1 ? avg / (double)(n - 1) : 0.0;
	s->temp0 = TEMP_START * avg;
	s->temp1 = TEMP_END * avg;
	memset(s->key, 0, n * sizeof *s->key);
	return 0;
}

static void solver_free(struct solver *s)
{
	sol_free(&s->cur, s->nv);
	sol_free(&s->cand, s->nv);
	sol_free(&s->best, s->nv);
	free(s->adj);
	free(s->veh_class);
	free(s->kept);
	free(s->removed);
	free(s->key);
	free(s->stamp);
}

/* The first solution: the kept routes as given, every other request inserted greedily. */
static int initial(struct solver *s, char *why, size_t whylen)
{
	const struct vrptw_problem *p = s->p;
	struct sol *x = &s->cur;
	for (size_t i = 0; i < s->n; i++)
		x->route_of[i] = NONE;
	for (size_t k = 0; k < p->n_kept; k++) {
		const struct vrptw_route *kr = &p->kept[k];
		struct route *r = &x->r[kr->vehicle];
		for (size_t i = 0; i < kr->n_stops; i++) {
			size_t c = kr->stops[i];
			if (c == 0 || c >= s->n || x->route_of[c] != NONE) {
				snprintf(why, whylen, "kept route %zu: stop %zu is not a request or is kept "
				         "twice", k, c);
				return -1;
			}
			r->seq[r->len++] = c;
			x->route_of[c] = kr->vehicle;
			s->kept[c] = true;
		}
		route_update(p, r);
		if (vrptw_route_schedule(p, r->veh, r->seq, r->len, NULL) < 0) {
			snprintf(why, whylen, "kept route %zu: its stops no longer fit its vehicle", k);
			return -1;
		}
	}
	s->n_removed = 0;
	x->n_out = 0;
	for (size_t c = 1; c < s->n; c++)
		if (x->route_of[c] == NONE) {
			s->removed[s->n_removed++] = c;
			x->n_out++;
		}
	recreate(s, x);
	return 0;
}

static int fill_result(const struct solver *s, struct vrptw_result *out)
{
	const struct vrptw_problem *p = s->p;
	const struct sol *b = &s->best;
	size_t used = 0;
	for (size_t v = 0; v < s->nv; v++)
		used += b->r[v].len > 0;
	out->routes = calloc(used ? used : 1, sizeof *out->routes);
	out->unassigned = malloc((b->n_out ? b->n_out : 1) * sizeof *out->unassigned);
	out->reasons = malloc((b->n_out ? b->n_out : 1) * sizeof *out->reasons);
	if (out->routes == NULL || out->unassigned == NULL || out->reasons == NULL)
		return -1;
	for (size_t v = 0; v < s->nv; v++) {
		const struct route *r = &b->r[v];
		if (r->len == 0)
			continue;
		struct vrptw_route *o = &out->routes[out->n_routes++];
		o->vehicle = v;
		o->n_stops = r->len;
		o->distance = r->dist;
		o->stops = malloc(r->len * sizeof *o->stops);
		if (o->stops == NULL)
			return -1;
		memcpy(o->stops, r->seq, r->len * sizeof *r->seq);
		out->distance += r->dist;
		out->cost += route_cost(p, r);
	}
	for (size_t c = 1; c < s->n; c++)
		if (b->route_of[c] == NONE) {
			out->reasons[out->n_unassigned] = vrptw_reason_for(p, c);
			out->unassigned[out->n_unassigned++] = c;
		}
	return 0;
}

/* Default budget: 100,000 steps (about 0.5–0.7 s for 100 requests on one core of the
 * 2-core machine the benchmark ran on; a step's cost grows with the stops per route). */
static long default_iterations(size_t n)
{
	(void)n;
	return 100000;
}

int vrptw_solve(const struct vrptw_problem *p, const struct vrptw_options *o,
                struct vrptw_result *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof *out);
	if (validate(p, why, whylen) != 0)
		return -1;
	struct solver s;
	int rc = -1;
	if (solver_init(&s, p, o->seed) != 0) {
		snprintf(why, whylen, "out of memory");
		goto done;
	}
	if (initial(&s, why, whylen) != 0)
		goto done;
	sol_copy(&s.best, &s.cur, s.n, s.nv);
	long iters = o->iterations > 0 ? o->iterations : default_iterations(s.n);
	double t0 = now_s(), deadline = o->time_limit_s > 0 ? t0 + o->time_limit_s : INFINITY;
	long it = 0;
	if (s.n > 1)
		for (; it < iters; it++) {
			if ((it & 31) == 0 && now_s() > deadline) {
				out->stopped_by_time = true;
				break;
			}
			double temp = s.temp0 * pow(s.temp1 / s.temp0, (double)it / (double)iters);
			sol_copy(&s.cand, &s.cur, s.n, s.nv);
			s.n_removed = 0;
			if (s.cand.n_out)
				for (size_t c = 1; c < s.n; c++)
					if (s.cand.route_of[c] == NONE)
						s.removed[s.n_removed++] = c;
			ruin(&s, &s.cand);
			recreate(&s, &s.cand);
			if (s.cand.obj < s.cur.obj - temp * log(rnd_unit(&s) + 1e-300)) {
				struct sol t = s.cur;
				s.cur = s.cand;
				s.cand = t;
				if (s.cur.obj < s.best.obj)
					sol_copy(&s.best, &s.cur, s.n, s.nv);
			}
		}
	out->iterations = it;
	if (fill_result(&s, out) != 0) {
		snprintf(why, whylen, "out of memory");
		vrptw_result_free(out);
		goto done;
	}
	rc = 0;
done:
	solver_free(&s);
	return rc;
}

void vrptw_result_free(struct vrptw_result *r)
{
	if (r->routes != NULL)
		for (size_t i = 0; i < r->n_routes; i++)
			free(r->routes[i].stops);
	free(r->routes);
	free(r->unassigned);
	free(r->reasons);
	memset(r, 0, sizeof *r);
}
