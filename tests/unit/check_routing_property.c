/* check_routing_property.c — the route engine against independent references: brute-force
 * enumeration of every itinerary with exact atom-by-atom distributions on random small
 * networks, and a Monte-Carlo simulation of one itinerary.
 *
 * Exactness: the random networks use histogram weights that sum to 8, so every probability
 * is a dyadic rational with at most 3 × 6 bits; sums and products of them are exact in a
 * double, and the engine's and the reference's probabilities must be equal, not close. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/cache.h"
#include "routing/network.h"
#include "routing/quote.h"

#define H 3600
#define DAY 86400
#define T0 1742774400LL /* Monday 2025-03-24 00:00 UTC */
#define NEVER INT64_MAX

/* xorshift64*: a local deterministic generator, no global state. */
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

/* Uniform in [0, n). */
static int rng_int(struct rng *r, int n)
{
	return (int)(rng_next(r) % (uint64_t)n);
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- a random small network, kept in plain arrays for the reference ---- */

#define MAXN 6
#define MAXL 14
#define MAXD 8
#define MAXB 6
#define MAXW 4
#define MAXOW 3

struct tleg {
	char id[16];
	int from, to;
	int64_t dep[MAXD];
	int n_dep;
	int cutoff_min;
	double w[MAXB];   /* integer weights summing to 8 */
	int n_w;
	struct routing_window win[MAXW];
	int n_win;
	int64_t fixed, per_kg;
	int32_t max_g;
	int32_t max_dims[3]; /* 0: none (random_net sets none; memo tests do) */
	int32_t vol_div;     /* 0: the default */
};

struct tnet {
	int n_nodes;      /* node 0 = origin W, node n−1 = zone Z, others hubs */
	int32_t mct[MAXN];
	double proc[MAXB];
	int n_proc;
	struct routing_order_window ow[MAXOW]; /* the origin's; none unless a test sets them (the
	                                        * reference ignores them) */
	int n_ow;
	struct tleg leg[MAXL];
	int n_legs;
};

static const char *node_code(int i, int n)
{
	static const char *const hubs[] = { "H1", "H2", "H3", "H4" };
	if (i == 0)
		return "W";
	if (i == n - 1)
		return "Z";
	return hubs[i - 1];
}

/* Weights: 8 units spread over up to n bins. */
static int random_weights(struct rng *r, double *w, int max_bins)
{
	int n = 1 + rng_int(r, max_bins);
	for (int i = 0; i < n; i++)
		w[i] = 0;
	for (int u = 0; u < 8; u++)
		w[rng_int(r, n)] += 1;
	return n;
}

static void random_net(struct rng *r, struct tnet *t)
{
	memset(t, 0, sizeof *t);
	t->n_nodes = 3 + rng_int(r, 3);
	for (int i = 0; i < t->n_nodes; i++)
		t->mct[i] = rng_int(r, 3) * 1800;
	t->n_proc = random_weights(r, t->proc, 3);
	t->n_legs = 3 + rng_int(r, MAXL - 3);
	for (int k = 0; k < t->n_legs; k++) {
		struct tleg *l = &t->leg[k];
		snprintf(l->id, sizeof l->id, "L%02d", rng_int(r, 100));
		for (int j = 0; j < k; j++) /* ids unique; order unrelated to creation */
			if (strcmp(t->leg[j].id, l->id) == 0) {
				snprintf(l->id, sizeof l->id, "M%02d", k);
				break;
			}
		l->from = rng_int(r, t->n_nodes - 1);   /* never the zone */
		do
			l->to = 1 + rng_int(r, t->n_nodes - 1); /* never the origin */
		while (l->to == l->from);
		l->n_dep = 1 + rng_int(r, MAXD);
		int64_t at = T0 + rng_int(r, 12) * 1800;
		for (int d = 0; d < l->n_dep; d++) {
			l->dep[d] = at;
			at += 900 * (1 + rng_int(r, 16));
		}
		l->cutoff_min = rng_int(r, 5) * 30;
		l->n_w = random_weights(r, l->w, MAXB);
		if (l->to == t->n_nodes - 1 && rng_int(r, 2)) {
			int64_t s = T0 + rng_int(r, 8) * H;
			l->n_win = 1 + rng_int(r, MAXW);
			for (int w = 0; w < l->n_win; w++) {
				l->win[w].start = s;
				l->win[w].end = s + (1 + rng_int(r, 4)) * H;
				s = l->win[w].end + (1 + rng_int(r, 4)) * H;
			}
		}
		l->fixed = rng_int(r, 4) * 100; /* few values: ties happen */
		l->per_kg = rng_int(r, 2) * 50;
		l->max_g = rng_int(r, 4) == 0 ? 1000 : 0;
	}
}

static struct routing_network *build(const struct tnet *t)
{
	struct routing_network *net = routing_network_new(H, "EUR");
	ck_assert_ptr_nonnull(net);
	struct routing_service_def s = { "C", "S", ROUTING_MODE_ROAD };
	ck_assert_int_eq(routing_network_add_service(net, &s), 0);
	for (int i = 0; i < t->n_nodes; i++) {
		struct routing_node_def d = {
			.code = node_code(i, t->n_nodes),
			.kind = i == 0 ? ROUTING_NODE_WAREHOUSE
			       : i == t->n_nodes - 1 ? ROUTING_NODE_ZONE : ROUTING_NODE_HUB,
			.country = "GB", .min_connection_s = t->mct[i],
		};
		if (i == 0) {
			d.processing = (struct routing_hist){ t->proc, (size_t)t->n_proc };
			d.order_windows = t->ow;
			d.n_order_windows = (size_t)t->n_ow;
		}
		ck_assert_int_eq(routing_network_add_node(net, &d), 0);
	}
	for (int k = 0; k < t->n_legs; k++) {
		const struct tleg *l = &t->leg[k];
		struct routing_leg_def d = {
			.id = l->id, .from = node_code(l->from, t->n_nodes),
			.to = node_code(l->to, t->n_nodes), .carrier = "C", .service = "S",
			.departures = l->dep, .n_departures = (size_t)l->n_dep,
			.cutoff_min = l->cutoff_min, .transit = { l->w, (size_t)l->n_w },
			.delivery_windows = l->win, .n_delivery_windows = (size_t)l->n_win,
			.fixed_minor = l->fixed, .per_kg_minor = l->per_kg, .max_weight_g = l->max_g,
			.max_dims_mm = { l->max_dims[0], l->max_dims[1], l->max_dims[2] },
			.vol_divisor = l->vol_div,
		};
		ck_assert_int_eq(routing_network_add_leg(net, &d), 0);
	}
	ck_assert_int_eq(routing_network_finalize(net), 0);
	return net;
}

/* ---- the reference: every simple path, atoms propagated one by one ---- */

struct atom {
	int64_t t;
	double p;
};

struct ref_it {
	int legs[ROUTING_MAX_LEGS];
	int n;
	int64_t cost;
	double p;
	int refused;
};

struct ref {
	struct ref_it it[4096];
	int n;
	int n_refused;
};

/* Delivery instant of an arrival at t on leg l (windows), or NEVER. */
static int64_t ref_deliver(const struct tleg *l, int64_t t)
{
	if (l->n_win == 0)
		return t;
	for (int w = 0; w < l->n_win; w++) {
		if (t < l->win[w].start)
			return l->win[w].start;
		if (t < l->win[w].end)
			return t;
	}
	return NEVER;
}

/* P(on time) of one itinerary, atom by atom: the plain definition of the model. */
static double ref_p(const struct tnet *t, const int *legs, int n, int64_t ready, int64_t deadline)
{
	static struct atom a[2][20000];
	int na = 0, cur = 0;
	for (int i = 0; i < t->n_proc; i++)
		if (t->proc[i] > 0)
			a[cur][na++] = (struct atom){ ready + (int64_t)i * H, t->proc[i] / 8.0 };
	for (int k = 0; k < n; k++) {
		const struct tleg *l = &t->leg[legs[k]];
		int nb = 0;
		for (int j = 0; j < na; j++) {
			int64_t r = a[cur][j].t + (k > 0 ? t->mct[l->from] : 0);
			int d = 0;
			while (d < l->n_dep && l->dep[d] - (int64_t)l->cutoff_min * 60 < r)
				d++;
			if (d == l->n_dep)
				continue; /* beyond the horizon */
			for (int b = 0; b < l->n_w; b++)
				if (l->w[b] > 0) {
					ck_assert_int_lt(nb, 20000);
					a[!cur][nb++] = (struct atom){ l->dep[d] + (int64_t)b * H,
					                               a[cur][j].p * (l->w[b] / 8.0) };
				}
		}
		cur = !cur;
		na = nb;
	}
	const struct tleg *last = &t->leg[legs[n - 1]];
	double p = 0;
	for (int j = 0; j < na; j++) {
		int64_t d = ref_deliver(last, a[cur][j].t);
		if (d != NEVER && d <= deadline)
			p += a[cur][j].p;
	}
	return p;
}

static int64_t ref_cost(const struct tleg *l, int32_t weight_g)
{
	int64_t g = (weight_g + 99) / 100 * 100; /* parcels here are small: no volumetric */
	return l->fixed + l->per_kg * g / 1000;  /* per_kg × g is a multiple of 1000 here */
}

static void ref_walk(const struct tnet *t, struct ref *rf, int node, int *path, int depth,
                     int max_legs, bool *seen, int32_t weight_g, int64_t ready, int64_t deadline)
{
	int zone = t->n_nodes - 1;
	for (int k = 0; k < t->n_legs; k++) {
		const struct tleg *l = &t->leg[k];
		if (l->from != node || seen[l->to])
			continue;
		path[depth] = k;
		if (l->to == zone) {
			struct ref_it it = { .n = depth + 1 };
			memcpy(it.legs, path, sizeof(int) * (size_t)(depth + 1));
			for (int i = 0; i <= depth; i++) {
				const struct tleg *x = &t->leg[path[i]];
				if (x->max_g > 0 && weight_g > x->max_g)
					it.refused = 1;
				it.cost += ref_cost(x, weight_g);
			}
			if (it.refused) {
				rf->n_refused++;
			} else {
				it.p = ref_p(t, path, depth + 1, ready, deadline);
				ck_assert_int_lt(rf->n, 4096);
				rf->it[rf->n++] = it;
			}
			continue;
		}
		if (depth + 1 >= max_legs)
			continue;
		seen[l->to] = true;
		ref_walk(t, rf, l->to, path, depth + 1, max_legs, seen, weight_g, ready, deadline);
		seen[l->to] = false;
	}
}

/* Leg-id order of two itineraries. */
static int ref_cmp_ids(const struct tnet *t, const struct ref_it *a, const struct ref_it *b)
{
	for (int i = 0; i < a->n && i < b->n; i++) {
		int c = strcmp(t->leg[a->legs[i]].id, t->leg[b->legs[i]].id);
		if (c != 0)
			return c;
	}
	return a->n - b->n;
}

/* Whether a is preferred to b under the selection rule (feasible: some option meets it). */
static bool ref_better(const struct tnet *t, const struct ref_it *a, const struct ref_it *b,
                       bool feasible)
{
	if (feasible) {
		if (a->cost != b->cost)
			return a->cost < b->cost;
		if (a->p != b->p)
			return a->p > b->p;
	} else {
		if (a->p != b->p)
			return a->p > b->p;
		if (a->cost != b->cost)
			return a->cost < b->cost;
	}
	if (a->n != b->n)
		return a->n < b->n;
	return ref_cmp_ids(t, a, b) < 0;
}

static bool ref_dominated(const struct ref *rf, const struct ref_it *x)
{
	for (int i = 0; i < rf->n; i++) {
		const struct ref_it *o = &rf->it[i];
		if (o->cost <= x->cost && o->p >= x->p && (o->cost < x->cost || o->p > x->p))
			return true;
	}
	return false;
}

static bool same_legs(const struct tnet *t, const struct ref_it *it, const struct routing_option *o)
{
	if ((size_t)it->n != o->n_legs)
		return false;
	for (int i = 0; i < it->n; i++)
		if (strcmp(t->leg[it->legs[i]].id, o->legs[i].leg_id) != 0)
			return false;
	return true;
}

/* Whether two quotes are the same, field by field and bit for bit (strings are borrowed from
 * the network: the same pointers). */
static bool same_quote(const struct routing_quote *a, const struct routing_quote *b)
{
	if (a->status != b->status || a->at_risk != b->at_risk || a->zone != b->zone ||
	    a->deadline != b->deadline || memcmp(&a->target, &b->target, sizeof a->target) != 0 ||
	    a->n_options != b->n_options || a->n_refused != b->n_refused ||
	    a->n_evaluated != b->n_evaluated || strcmp(a->detail, b->detail) != 0 ||
	    memcmp(a->currency, b->currency, sizeof a->currency) != 0)
		return false;
	for (size_t i = 0; i < a->n_options; i++) {
		const struct routing_option *x = &a->options[i], *y = &b->options[i];
		if (x->reason != y->reason || x->n_legs != y->n_legs || x->cost_minor != y->cost_minor ||
		    memcmp(&x->p_on_time, &y->p_on_time, sizeof x->p_on_time) != 0 ||
		    memcmp(&x->p_beyond_horizon, &y->p_beyond_horizon, sizeof x->p_beyond_horizon) != 0 ||
		    x->delivery_p50 != y->delivery_p50 || x->delivery_p95 != y->delivery_p95 ||
		    x->refused_leg != y->refused_leg)
			return false;
		for (size_t k = 0; k < x->n_legs; k++) {
			const struct routing_leg_out *l = &x->legs[k], *m = &y->legs[k];
			if (l->leg_id != m->leg_id || l->carrier != m->carrier || l->service != m->service ||
			    l->mode != m->mode || l->from != m->from || l->to != m->to ||
			    l->departure != m->departure ||
			    memcmp(&l->p_departure, &m->p_departure, sizeof l->p_departure) != 0 ||
			    l->arrival_p50 != m->arrival_p50 || l->arrival_p95 != m->arrival_p95 ||
			    l->cost_minor != m->cost_minor || l->chargeable_g != m->chargeable_g)
				return false;
		}
	}
	return true;
}

/* Quotes req through the cache and without; asserts the answers are the same. */
static void check_cached(const struct routing_network *net, struct routing_cache *cache,
                         const struct routing_request *req, int round)
{
	struct routing_quote *u = NULL, *c = NULL;
	ck_assert_int_eq(routing_quote(net, req, &u), 0);
	ck_assert_int_eq(routing_quote_cached(net, cache, req, &c), 0);
	ck_assert_msg(same_quote(u, c), "round %d: the cached quote differs", round);
	routing_quote_free(c);
	routing_quote_free(u);
}

/* Random networks and parcels: the engine's selection, its listed options and its counts equal
 * the brute-force answer. */
START_TEST(selection_equals_brute_force)
{
	struct rng r = { 0x9E3779B97F4A7C15ULL };
	static struct ref rf;
	static const double targets[] = { 0.5, 0.75, 0.875, 1.0, 0.0 };
	int n_ok = 0, n_risk = 0, n_none = 0, n_listed_more = 0;
	struct routing_cache_stats total = { 0 };
	for (int round = 0; round < 1500; round++) {
		struct tnet t;
		random_net(&r, &t);
		struct routing_network *net = build(&t);
		/* small, so that it evicts (a table here is a few hundred bytes) */
		struct routing_cache *cache = routing_cache_new(net, 1024);
		ck_assert_ptr_nonnull(cache);
		for (int pq = 0; pq < 3; pq++) {
			int max_legs = 1 + rng_int(&r, 4);
			int32_t weight = 200 + rng_int(&r, 12) * 100;
			int64_t ready = T0 - H + rng_int(&r, 16) * 900;
			int64_t deadline = T0 + rng_int(&r, 40) * 1800;
			double target = targets[rng_int(&r, 5)];
			memset(&rf, 0, sizeof rf);
			int path[ROUTING_MAX_LEGS];
			bool seen[MAXN] = { true };
			ref_walk(&t, &rf, 0, path, 0, max_legs, seen, weight, ready, deadline);

			struct routing_request req = {
				.origin = "W", .ready_at = ready, .country = "GB",
				.parcel = { .weight_g = weight, .dims_mm = { 10, 10, 10 } },
				.deadline = deadline, .target = target, .max_legs = max_legs,
				.all_options = true,
			};
			/* through the cache: the same answer, bit for bit, for this request, again (a
			 * hit), for later and earlier ready times with the same deadline (a table built
			 * for an earlier start; rebuilt for one more than a day earlier), either pruning
			 * mode */
			for (int v = 0; v < 6; v++) {
				struct routing_request rv = req;
				rv.all_options = v % 2;
				rv.ready_at = ready + (v < 2 ? 0 : v < 4 ? rng_int(&r, 12) * 900
				                       : v == 4 ? -rng_int(&r, 8) * 1800
				                                : -DAY - rng_int(&r, 8) * 1800);
				check_cached(net, cache, &rv, round);
				check_cached(net, cache, &rv, round);
			}
			struct routing_quote *q = NULL;
			ck_assert_int_eq(routing_quote(net, &req, &q), 0);
			ck_assert_uint_eq(q->n_refused, rf.n_refused > ROUTING_MAX_REJECTED + 1
			                                    ? ROUTING_MAX_REJECTED + 1 : (size_t)rf.n_refused);
			if (rf.n == 0) {
				ck_assert_int_eq(q->status, rf.n_refused ? ROUTING_PARCEL_REFUSED
				                                         : ROUTING_NO_ROUTE);
				n_none++;
				routing_quote_free(q);
				req.all_options = false;
				ck_assert_int_eq(routing_quote(net, &req, &q), 0);
				ck_assert_int_eq(q->status, rf.n_refused ? ROUTING_PARCEL_REFUSED
				                                         : ROUTING_NO_ROUTE);
				routing_quote_free(q);
				continue;
			}
			bool feasible = false;
			for (int i = 0; i < rf.n; i++)
				feasible |= rf.it[i].p >= target;
			int best = 0;
			for (int i = 1; i < rf.n; i++) {
				bool fi = rf.it[i].p >= target, fb = rf.it[best].p >= target;
				if (feasible && fi != fb) {
					if (fi)
						best = i;
					continue;
				}
				if (ref_better(&t, &rf.it[i], &rf.it[best], feasible))
					best = i;
			}
			ck_assert_int_eq(q->status, feasible ? ROUTING_OK : ROUTING_AT_RISK);
			ck_assert_msg(same_legs(&t, &rf.it[best], &q->options[0]),
			              "round %d: engine chose %s..., reference %s...", round,
			              q->options[0].legs[0].leg_id, t.leg[rf.it[best].legs[0]].id);
			ck_assert(q->options[0].p_on_time == rf.it[best].p);
			ck_assert_int_eq(q->options[0].cost_minor, rf.it[best].cost);
			/* listed options = the non-dominated itineraries, exactly */
			size_t listed = 0;
			for (size_t i = 0; i < q->n_options; i++)
				listed += q->options[i].reason != ROUTING_TOO_HEAVY &&
				          q->options[i].reason != ROUTING_TOO_LARGE;
			size_t nondom = 0;
			for (int i = 0; i < rf.n; i++) {
				if (ref_dominated(&rf, &rf.it[i]))
					continue;
				nondom++;
				bool found = false;
				for (size_t j = 0; j < listed && !found; j++)
					found = same_legs(&t, &rf.it[i], &q->options[j]) &&
					        q->options[j].p_on_time == rf.it[i].p &&
					        q->options[j].cost_minor == rf.it[i].cost;
				ck_assert_msg(found, "round %d: non-dominated option missing", round);
			}
			ck_assert_uint_eq(listed, nondom);
			n_listed_more += listed > 1;
			if (feasible)
				n_ok++;
			else
				n_risk++;
			/* the default, answer-only pruning selects the same itinerary */
			req.all_options = false;
			struct routing_quote *qf = NULL;
			ck_assert_int_eq(routing_quote(net, &req, &qf), 0);
			ck_assert_int_eq(qf->status, q->status);
			ck_assert(same_legs(&t, &rf.it[best], &qf->options[0]));
			ck_assert(qf->options[0].p_on_time == q->options[0].p_on_time);
			ck_assert_uint_le(qf->n_evaluated, q->n_evaluated);
			routing_quote_free(qf);
			req.all_options = true;
			/* deterministic: the same request gives the same quote */
			struct routing_quote *q2 = NULL;
			ck_assert_int_eq(routing_quote(net, &req, &q2), 0);
			ck_assert_uint_eq(q2->n_options, q->n_options);
			for (size_t i = 0; i < q->n_options; i++) {
				ck_assert(q2->options[i].p_on_time == q->options[i].p_on_time);
				ck_assert_int_eq(q2->options[i].delivery_p95, q->options[i].delivery_p95);
				ck_assert_str_eq(q2->options[i].legs[0].leg_id, q->options[i].legs[0].leg_id);
			}
			routing_quote_free(q2);
			routing_quote_free(q);
		}
		struct routing_cache_stats st;
		routing_cache_stats(cache, &st);
		total.hits += st.hits;
		total.misses += st.misses;
		total.rebuilds += st.rebuilds;
		total.evictions += st.evictions;
		routing_cache_free(cache);
		routing_network_free(net);
	}
	/* the cache was hit, missed, rebuilt and evicting */
	ck_assert_msg(total.hits > 3000 && total.misses > 1000 && total.rebuilds > 100 &&
	              total.evictions > 300, "hits %llu, misses %llu, rebuilds %llu, evictions %llu",
	              (unsigned long long)total.hits, (unsigned long long)total.misses,
	              (unsigned long long)total.rebuilds, (unsigned long long)total.evictions);
	/* the generator must exercise every outcome, or the test proves little */
	ck_assert_int_gt(n_ok, 300);
	ck_assert_int_gt(n_risk, 300);
	ck_assert_int_gt(n_none, 100);
	ck_assert_int_gt(n_listed_more, 300);
}
END_TEST

/* Gives t's legs volumetric divisors, some size limits and per-kg prices where every gram
 * counts; with any_second, moves each departure by 0–899 s (gaps are ≥ 900 s: the departures
 * stay increasing), so that departures lie at any second. */
static void random_limits(struct rng *r, struct tnet *t, bool any_second)
{
	static const int32_t divs[3] = { 0, 4000, 6000 };
	for (int k = 0; k < t->n_legs; k++) {
		struct tleg *l = &t->leg[k];
		for (int d = 0; any_second && d < l->n_dep; d++)
			l->dep[d] += rng_int(r, 900);
		l->vol_div = divs[rng_int(r, 3)];
		if (rng_int(r, 4) == 0)
			for (int d = 0; d < 3; d++)
				l->max_dims[d] = 200 + rng_int(r, 300);
		l->per_kg = 10 + rng_int(r, 90);
	}
}

/*
 * The cache's memos against uncached quotes: on random networks whose legs have volumetric
 * divisors and size limits, parcels (some with the same chargeable weights, some refused by
 * other legs) quoted through one cache at starts every few minutes over a day and at two
 * deadlines, each answer equal to routing_quote()'s bit for bit; the memos were both used and
 * missed, so both paths were compared.
 */
START_TEST(memos_equal_uncached)
{
	struct rng r = { 0x2545F4914F6CDD1DULL };
	struct routing_cache_stats total = { 0 };
	for (int round = 0; round < 120; round++) {
		struct tnet t;
		random_net(&r, &t);
		random_limits(&r, &t, false);
		struct routing_network *net = build(&t);
		struct routing_cache *cache = routing_cache_new(net, 0);
		ck_assert_ptr_nonnull(cache);
		struct routing_parcel parcel[5];
		for (int i = 0; i < 4; i++)
			parcel[i] = (struct routing_parcel){
				.weight_g = 100 + rng_int(&r, 2000),
				.dims_mm = { 50 + rng_int(&r, 400), 50 + rng_int(&r, 300), 20 + rng_int(&r, 200) } };
		parcel[4] = parcel[0]; /* the same chargeable weights, another weight */
		parcel[4].weight_g = parcel[4].weight_g / 100 * 100 + (parcel[4].weight_g % 100 ? 1 : 0);
		int max_legs = 1 + rng_int(&r, ROUTING_MAX_LEGS);
		int64_t deadline[2] = { T0 + rng_int(&r, 40) * 1800, T0 + DAY + rng_int(&r, 40) * 1800 };
		for (int step = 0; step < 30; step++) {
			int64_t ready = T0 - 2 * H + step * 1200 + rng_int(&r, 600);
			for (int i = 0; i < 5; i++)
				for (int d = 0; d < 2; d++) {
					struct routing_request req = {
						.origin = "W", .ready_at = ready, .country = "GB", .parcel = parcel[i],
						.deadline = deadline[d], .target = 0.75, .max_legs = max_legs,
						.all_options = (step + i) % 3 == 0,
					};
					check_cached(net, cache, &req, round);
				}
		}
		struct routing_cache_stats st;
		routing_cache_stats(cache, &st);
		total.forward_hits += st.forward_hits;
		total.forward_runs += st.forward_runs;
		total.bounds_hits += st.bounds_hits;
		total.bounds_misses += st.bounds_misses;
		routing_cache_free(cache);
		routing_network_free(net);
	}
	ck_assert_msg(total.forward_hits > 10000 && total.forward_runs > 1000 &&
	              total.bounds_hits > 10000 && total.bounds_misses > 200,
	              "forward memo: %llu hits, %llu runs; bounds memo: %llu hits, %llu misses",
	              (unsigned long long)total.forward_hits, (unsigned long long)total.forward_runs,
	              (unsigned long long)total.bounds_hits, (unsigned long long)total.bounds_misses);
}
END_TEST

/* Quotes req with ready_at = ready through the cache and without (check_cached()). */
static void check_at(const struct routing_network *net, struct routing_cache *cache,
                     const struct routing_request *req, int64_t ready, int round)
{
	struct routing_request rq = *req;
	rq.ready_at = ready;
	check_cached(net, cache, &rq, round);
}

/*
 * The answer memo's start segments: on random networks whose departures lie at any second
 * (so the origin legs' phases (dep − cutoff) mod res are many and irregular), with volumetric
 * divisors, size limits and, every other round, order windows at the origin (some ready
 * times then start at a window's opening, the last ones never), two requests (other parcels,
 * deadlines, targets, pruning modes) quoted through one cache at ready times every 37 s over
 * a day, and at every phase point P = dep − cutoff − i·res of an origin leg and one second
 * either side (in either order); every answer equal to routing_quote()'s bit for bit. A
 * segment taken one second too wide on either side gives an answer of the neighbouring
 * segment, which differs. Odd rounds use a small cache, so that answers are evicted.
 */
START_TEST(answer_memo_equals_uncached)
{
	struct rng r = { 0x1F123BB5159A55E5ULL };
	struct routing_cache_stats total = { 0 };
	static const double targets[3] = { 0.5, 0.75, 0.875 };
	for (int round = 0; round < 24; round++) {
		struct tnet t;
		random_net(&r, &t);
		random_limits(&r, &t, true);
		if (round % 2 == 0) {
			t.n_ow = 2;
			t.ow[0] = (struct routing_order_window){ T0 - 6 * H, T0 + 10 * H };
			t.ow[1] = (struct routing_order_window){ T0 + 12 * H + rng_int(&r, 3600),
			                                         T0 + 20 * H };
		}
		struct routing_network *net = build(&t);
		struct routing_cache *cache = routing_cache_new(net, round % 2 ? 32768 : 0);
		ck_assert_ptr_nonnull(cache);
		struct routing_request req[2];
		for (int i = 0; i < 2; i++)
			req[i] = (struct routing_request){
				.origin = "W", .country = "GB",
				.parcel = { .weight_g = 100 + rng_int(&r, 2000),
				            .dims_mm = { 50 + rng_int(&r, 400), 50 + rng_int(&r, 300),
				                         20 + rng_int(&r, 200) } },
				.deadline = T0 + i * DAY + rng_int(&r, 48) * 1800,
				.target = targets[rng_int(&r, 3)], .max_legs = 1 + rng_int(&r, ROUTING_MAX_LEGS),
				.all_options = i == 1,
			};
		const int64_t from = T0 - 2 * H, to = T0 + 22 * H;
		for (int64_t ready = from; ready < to; ready += 37)
			for (int i = 0; i < 2; i++)
				check_at(net, cache, &req[i], ready, round);
		for (int k = 0; k < t.n_legs; k++) {
			const struct tleg *l = &t.leg[k];
			if (l->from != 0)
				continue;
			for (int d = 0; d < l->n_dep; d++) {
				int64_t p = l->dep[d] - (int64_t)l->cutoff_min * 60;
				p -= (p - from) / H * H; /* the first point ≥ from, then every res */
				for (; p < to; p += H)
					for (int x = -1; x <= 1; x++)
						for (int i = 0; i < 2; i++)
							check_at(net, cache, &req[i], p + (round % 4 < 2 ? x : -x), round);
			}
		}
		struct routing_cache_stats st;
		routing_cache_stats(cache, &st);
		total.answer_hits += st.answer_hits;
		total.answer_misses += st.answer_misses;
		routing_cache_free(cache);
		routing_network_free(net);
	}
	ck_assert_msg(total.answer_hits > 100000 && total.answer_misses > 15000,
	              "answer memo: %llu hits, %llu misses", (unsigned long long)total.answer_hits,
	              (unsigned long long)total.answer_misses);
}
END_TEST

/* ---- Monte Carlo ---- */

/* A bin drawn from weights w[0..n) summing to sum. */
static int draw(struct rng *r, const double *w, int n, double sum)
{
	double u = rng_unit(r) * sum;
	for (int i = 0; i < n; i++) {
		if (u < w[i])
			return i;
		u -= w[i];
	}
	return n - 1;
}

/*
 * One three-leg itinerary with irregular (non-dyadic) distributions, order batches,
 * connection times, cut-offs and Mon–Fri delivery windows; the engine's P(on time) at many
 * deadlines against 200 000 simulated parcels (fixed seed). Tolerance 0.01: the standard
 * error of a proportion from 200 000 samples is at most 0.0012, so 0.01 is > 8 σ.
 */
START_TEST(propagation_matches_monte_carlo)
{
	static const double proc[5] = { 0, 3, 5, 2, 1 };
	static const double t1[8] = { 0, 0, 1, 4, 6, 3, 1, 0.5 };            /* truck to hub */
	static double t2[40];                                               /* air */
	static const double t3[30] = { [10] = 1, [12] = 3, [14] = 5, [20] = 2, [29] = 0.7 };
	for (int i = 18; i < 40; i++)
		t2[i] = 1.0 / (1 + (i - 24) * (i - 24)) + (i == 39 ? 0.05 : 0.0);
	struct routing_order_window ow[10];
	for (int d = 0; d < 10; d++)
		ow[d] = (struct routing_order_window){ T0 + d * DAY, T0 + d * DAY + 15 * H };
	int64_t d1[20], d2[10], d3[20];
	for (int i = 0; i < 20; i++)
		d1[i] = T0 + (i / 2) * DAY + (i % 2 ? 18 * H : 11 * H + 1200);
	for (int i = 0; i < 10; i++)
		d2[i] = T0 + i * DAY + (i % 3 == 0 ? 2 * H : 23 * H + 1800);
	for (int i = 0; i < 20; i++)
		d3[i] = T0 + i * DAY + 7 * H;
	struct routing_window win[3]; /* Monday to Friday of each week */
	size_t nw = 3;
	for (int w = 0; w < 3; w++)
		win[w] = (struct routing_window){ T0 + 7 * w * DAY, T0 + (7 * w + 5) * DAY };

	struct routing_network *net = routing_network_new(H, "EUR");
	ck_assert_ptr_nonnull(net);
	struct routing_service_def s = { "C", "S", ROUTING_MODE_AIR };
	ck_assert_int_eq(routing_network_add_service(net, &s), 0);
	struct routing_node_def nd[4] = {
		{ .code = "W", .kind = ROUTING_NODE_WAREHOUSE, .country = "CN", .order_windows = ow,
		  .n_order_windows = 10, .processing = { proc, 5 } },
		{ .code = "HUB", .kind = ROUTING_NODE_HUB, .country = "CN", .min_connection_s = 5400 },
		{ .code = "GW", .kind = ROUTING_NODE_GATEWAY, .country = "GB", .min_connection_s = 7200 },
		{ .code = "Z", .kind = ROUTING_NODE_ZONE, .country = "GB" },
	};
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(routing_network_add_node(net, &nd[i]), 0);
	struct routing_leg_def ld[3] = {
		{ .id = "A", .from = "W", .to = "HUB", .departures = d1, .n_departures = 20,
		  .cutoff_min = 45, .transit = { t1, 8 } },
		{ .id = "B", .from = "HUB", .to = "GW", .departures = d2, .n_departures = 10,
		  .cutoff_min = 180, .transit = { t2, 40 } },
		{ .id = "C", .from = "GW", .to = "Z", .departures = d3, .n_departures = 20,
		  .cutoff_min = 60, .transit = { t3, 30 }, .delivery_windows = win,
		  .n_delivery_windows = nw },
	};
	for (int i = 0; i < 3; i++) {
		ld[i].carrier = "C";
		ld[i].service = "S";
		ck_assert_int_eq(routing_network_add_leg(net, &ld[i]), 0);
	}
	ck_assert_int_eq(routing_network_finalize(net), 0);

	enum { N = 200000, ND = 12 };
	int64_t ready = T0 + 2 * DAY + 13 * H; /* Wednesday 13:00 */
	int64_t deadlines[ND];
	for (int i = 0; i < ND; i++)
		deadlines[i] = ready + 2 * DAY + i * 12 * H;
	double p_engine[ND], beyond = 0;
	const char *const ids[3] = { "A", "B", "C" };
	for (int i = 0; i < ND; i++) {
		struct routing_request req = { .origin = "W", .ready_at = ready, .country = "GB",
		                               .parcel = { .weight_g = 500 }, .deadline = deadlines[i],
		                               .target = 0.9 };
		struct routing_quote *q = NULL;
		ck_assert_int_eq(routing_evaluate(net, &req, ids, 3, &q), 0);
		ck_assert_uint_eq(q->n_options, 1);
		p_engine[i] = q->options[0].p_on_time;
		beyond = q->options[0].p_beyond_horizon;
		routing_quote_free(q);
	}

	/* the simulation: each parcel walks the schedule with sampled durations */
	const double *tr[3] = { t1, t2, t3 };
	const int ntr[3] = { 8, 40, 30 };
	const int64_t *dep[3] = { d1, d2, d3 };
	const int ndep[3] = { 20, 10, 20 };
	const int64_t cut[3] = { 45 * 60, 180 * 60, 60 * 60 };
	const int64_t mct[3] = { 0, 5400, 7200 };
	double sum[3] = { 0 }, psum = 0;
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < ntr[k]; i++)
			sum[k] += tr[k][i];
	for (int i = 0; i < 5; i++)
		psum += proc[i];
	struct rng r = { 12345 };
	long on_time[ND] = { 0 }, lost = 0;
	for (int n = 0; n < N; n++) {
		int64_t t = ready; /* batch: first cutoff ≥ ready, start at max(ready, open) */
		int b = 0;
		while (b < 10 && ow[b].cutoff < t)
			b++;
		t = t > ow[b].open ? t : ow[b].open;
		t += (int64_t)draw(&r, proc, 5, psum) * H;
		int ok = 1;
		for (int k = 0; k < 3 && ok; k++) {
			int64_t rdy = t + mct[k];
			int d = 0;
			while (d < ndep[k] && dep[k][d] - cut[k] < rdy)
				d++;
			if (d == ndep[k]) {
				ok = 0;
				break;
			}
			t = dep[k][d] + (int64_t)draw(&r, tr[k], ntr[k], sum[k]) * H;
		}
		if (ok) { /* delivery windows */
			size_t w = 0;
			while (w < nw && win[w].end <= t)
				w++;
			if (w == nw)
				ok = 0;
			else if (t < win[w].start)
				t = win[w].start;
		}
		if (!ok) {
			lost++;
			continue;
		}
		for (int i = 0; i < ND; i++)
			on_time[i] += t <= deadlines[i];
	}
	int interesting = 0;
	for (int i = 0; i < ND; i++) {
		double p_mc = (double)on_time[i] / N;
		ck_assert_msg(fabs(p_mc - p_engine[i]) <= 0.01, "deadline %d: engine %.4f, MC %.4f", i,
		              p_engine[i], p_mc);
		interesting += p_engine[i] > 0.05 && p_engine[i] < 0.95;
	}
	ck_assert_msg(fabs((double)lost / N - beyond) <= 0.01, "beyond the horizon");
	ck_assert_int_ge(interesting, 3); /* the deadlines cross the distribution's body */
	routing_network_free(net);
}
END_TEST

Suite *routing_property_suite(void);

Suite *routing_property_suite(void)
{
	Suite *s = suite_create("routing_property");
	TCase *tc = tcase_create("references");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, selection_equals_brute_force);
	tcase_add_test(tc, memos_equal_uncached);
	tcase_add_test(tc, answer_memo_equals_uncached);
	tcase_add_test(tc, propagation_matches_monte_carlo);
	suite_add_tcase(s, tc);
	return s;
}
