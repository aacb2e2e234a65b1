/* quote.c — the quote: itinerary search with bounds, the non-dominated archive, selection
 * with its tie-breaks and reasons, and the per-option details (departures, quantiles). */
#include "routing/quote.h"
#include "routing/answer.h"
#include "routing/bound.h"
#include "routing/cache_int.h"
#include "routing/lane.h"
#include "routing/propagate.h"
#include "routing/zone_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INF_T INT64_MAX
#define INF_COST INT64_MAX
/* Bounds on p are widened by this much, so rounding can never prune a possible answer. */
#define P_SLACK 1e-12

enum { ACCEPT = 0, REFUSE_HEAVY = 1, REFUSE_LARGE = 2 };

struct cand {
	uint32_t legs[ROUTING_MAX_LEGS];
	int n;
	int64_t cost;
	double p;
	double beyond;
	int refused;       /* refused options: the reason, and the refusing leg's position */
	int refused_at;
};

struct cands {
	struct cand *v;
	size_t n, cap;
};

/* Everything one quote needs, allocated once per quote. */
struct search {
	const struct routing_network *net;
	const struct routing_request *req;
	int max_legs;
	uint32_t origin, dest;
	int64_t start;
	uint8_t *accept;           /* per leg */
	int64_t *cost;             /* per leg, for this parcel */
	int32_t *charge_g;
	/* the lower bounds (bounds()): own_b's, or the cache's bounds memo's (lane.h) */
	const int64_t *rem_time;   /* [h * n_nodes + v]: lower bound delivery − arrival at v */
	const int64_t *rem_cost;   /* [h * n_nodes + v]: lower bound on the cost still to pay */
	const uint8_t *sreach;     /* [h * n_nodes + v]: dest reachable in ≤ h legs ignoring limits */
	const uint8_t *rreach;     /* [h * n_nodes + v]: ... by a walk with a refusing leg */
	struct rlane_bounds own_b; /* room for them */
	uint8_t *visited;
	double *buf;               /* ROUTING_MAX_LEGS buffers of max_dep doubles */
	struct rdep st[ROUTING_MAX_LEGS];
	uint32_t path[ROUTING_MAX_LEGS];
	uint32_t *order;           /* per depth, max_out leg indexes: cheapest bound first */
	int64_t *okey;             /* per depth, max_out: their cost bounds */
	double *oub;               /* per depth, max_out: their widened bounds on P(on time) */
	const uint32_t *adj;       /* the legs a search may take (lane.h: struct rlane_adj), own_a's
	                            * or the cache's lane's */
	const uint32_t *adj_to;    /* per adj entry: where its leg leads */
	const uint32_t *adj_first, *adj_n; /* per node: its legs in adj */
	size_t n_adj;
	struct rlane_adj own_a;    /* room for them */
	struct rbound bound;       /* the quote's own bounds (uncached), or a table too large
	                            * for the cache */
	const struct rbound *bnd;  /* upper bounds on P(on time) of partial itineraries: &bound
	                            * or a cached table built for a start no later */
	const uint32_t *k0;        /* per leg: the first departure a parcel can take (bound.h) */
	uint32_t *k0_buf;          /* room for k0 when the cache's forward memo has none */
	void *fwork;               /* work memory of rbound_first_departures() */
	int64_t best_feasible;     /* cheapest itinerary found that meets the target */
	double best_p;             /* highest p_on_time found */
	int64_t best_p_cost;       /* the cheapest itinerary found with p_on_time == best_p */
	struct cands archive;
	struct cands refused;
	size_t n_refused_found;
	size_t n_evaluated;
	int oom;
};

/* Saturating int64 addition for non-negative costs. */
static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return INF_COST;
	return r;
}

/* per_kg × g / 1000 rounded half to even (exact: 128-bit). */
static int64_t per_kg_cost(int64_t per_kg, int64_t g)
{
	__extension__ __int128 num = (__int128)per_kg * g;
	__extension__ __int128 q = num / 1000, r = num % 1000;
	if (r > 500 || (r == 500 && (q & 1)))
		q++;
	return q > INT64_MAX ? INF_COST : (int64_t)q;
}

/* Whether the parcel's dimensions fit the leg's limits in some rotation (both sorted). */
static bool fits(const int32_t sorted_parcel[3], const int32_t limit[3])
{
	for (int i = 0; i < 3; i++)
		if (limit[i] > 0 && sorted_parcel[i] > limit[i])
			return false;
	return true;
}

/* per_kg × g / 1000 rounded half to even, in 64 bits when the product fits. */
static int64_t per_kg_cost_fast(int64_t per_kg, int64_t g)
{
	int64_t num;
	if (__builtin_mul_overflow(per_kg, g, &num))
		return per_kg_cost(per_kg, g);
	int64_t q = num / 1000, r = num % 1000; /* both ≥ 0 */
	if (r > 500 || (r == 500 && (q & 1)))
		q++;
	return q;
}

/*
 * Prices legs[0 .. n) (leg indexes; all legs when legs is NULL): accepted or why not,
 * chargeable weight and cost for this parcel. Other legs' entries are left unset.
 */
static void price_legs(struct search *s, const uint32_t *legs, size_t n)
{
	const struct routing_network *net = s->net;
	const struct routing_parcel *p = &s->req->parcel;
	int32_t d[3] = { p->dims_mm[0], p->dims_mm[1], p->dims_mm[2] };
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2 - i; j++)
			if (d[j] < d[j + 1]) {
				int32_t t = d[j];
				d[j] = d[j + 1];
				d[j + 1] = t;
			}
	int32_t div = -1; /* chargeable weight depends on the divisor only: reuse it */
	int64_t g = 0;
	for (size_t x = 0; x < n; x++) {
		size_t i = legs ? legs[x] : x;
		const struct rleg *l = &net->legs[i];
		if (l->vol_divisor != div) {
			div = l->vol_divisor;
			g = routing_chargeable_g(p, div);
		}
		s->charge_g[i] = (int32_t)(g > INT32_MAX ? INT32_MAX : g);
		s->cost[i] = sat_add(l->fixed_minor, per_kg_cost_fast(l->per_kg_minor, g));
		if (l->max_weight_g > 0 && p->weight_g > l->max_weight_g)
			s->accept[i] = REFUSE_HEAVY;
		else if (!fits(d, l->max_dims_mm))
			s->accept[i] = REFUSE_LARGE;
		else
			s->accept[i] = ACCEPT;
	}
}

/*
 * Hop-bounded lower bounds towards the destination, by Bellman-Ford over the legs for
 * h = 1 .. max_legs: rem_time (cut-off + minimum transit + connection times), rem_cost
 * (accepted legs' costs), sreach (reachability ignoring parcel limits) and rreach
 * (reachability by a walk with at least one leg that refuses the parcel). Level h is a
 * function of level h − 1 alone: once a level changes nothing, every later one is a copy.
 * Writes o's arrays, (max_legs + 1) × n_nodes each; reads s->adj, s->accept and s->cost.
 */
static void bounds(const struct search *s, const struct rlane_bounds *o)
{
	const struct routing_network *net = s->net;
	size_t nn = net->n_nodes;
	for (int h = 0; h <= s->max_legs; h++)
		for (size_t v = 0; v < nn; v++) {
			o->rem_time[h * nn + v] = (h == 0 && v == s->dest) ? 0 : INF_T;
			o->rem_cost[h * nn + v] = (h == 0 && v == s->dest) ? 0 : INF_COST;
			o->sreach[h * nn + v] = (h == 0 && v == s->dest);
			o->rreach[h * nn + v] = 0;
		}
	for (int h = 1; h <= s->max_legs; h++) {
		int64_t *rt = o->rem_time + h * nn, *rc = o->rem_cost + h * nn;
		const int64_t *pt = rt - nn, *pc = rc - nn;
		uint8_t *sr = o->sreach + h * nn, *rr = o->rreach + h * nn;
		const uint8_t *ps = sr - nn, *pr = rr - nn;
		memcpy(rt, pt, nn * sizeof *rt);
		memcpy(rc, pc, nn * sizeof *rc);
		memcpy(sr, ps, nn);
		memcpy(rr, pr, nn);
		bool changed = false;
		for (size_t x = 0; x < s->n_adj; x++) {
			size_t i = s->adj[x];
			const struct rleg *l = &net->legs[i];
			if (ps[l->to] && !sr[l->from])
				sr[l->from] = 1, changed = true;
			if ((pr[l->to] || (ps[l->to] && s->accept[i] != ACCEPT)) && !rr[l->from])
				rr[l->from] = 1, changed = true;
			if (s->accept[i] != ACCEPT || pt[l->to] == INF_T)
				continue;
			int64_t conn = l->to == s->dest ? 0 : net->nodes[l->to].min_connection_s;
			int64_t t = l->cutoff_s + (int64_t)l->transit.min_bin * net->res + conn + pt[l->to];
			if (t < rt[l->from])
				rt[l->from] = t, changed = true;
			int64_t c = sat_add(s->cost[i], pc[l->to]);
			if (c < rc[l->from])
				rc[l->from] = c, changed = true;
		}
		for (int k = h + 1; !changed && k <= s->max_legs; k++) { /* a fixed point */
			memcpy(o->rem_time + k * nn, rt, nn * sizeof *rt);
			memcpy(o->rem_cost + k * nn, rc, nn * sizeof *rc);
			memcpy(o->sreach + k * nn, sr, nn);
			memcpy(o->rreach + k * nn, rr, nn);
			if (k == s->max_legs)
				return;
		}
	}
}

/* Appends c to the list; sets s->oom on failure. */
static void push(struct search *s, struct cands *list, const struct cand *c)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct cand *v = realloc(list->v, cap * sizeof *v);
		if (v == NULL) {
			s->oom = 1;
			return;
		}
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = *c;
}

/* Whether (cost_a, p_a) dominates (cost_b, p_b): no dearer, no less likely, better in one. */
static bool dominates(int64_t cost_a, double p_a, int64_t cost_b, double p_b)
{
	return cost_a <= cost_b && p_a >= p_b && (cost_a < cost_b || p_a > p_b);
}

/* Whether some archived option dominates every itinerary with cost ≥ cost_lb, p ≤ p_ub. */
static bool archive_prunes(const struct search *s, int64_t cost_lb, double p_ub)
{
	for (size_t i = 0; i < s->archive.n; i++)
		if (dominates(s->archive.v[i].cost, s->archive.v[i].p, cost_lb, p_ub))
			return true;
	return false;
}

/* Whether a partial itinerary with these bounds can be dropped (see quote.h, 7.). */
static bool can_prune(const struct search *s, int64_t cost_lb, double p_ub)
{
	if (!s->req->all_options) {
		if (s->best_feasible != INF_COST &&
		    (cost_lb > s->best_feasible || p_ub < s->req->target))
			return true;
		/* neither on time nor the at-risk answer (likelier, or as likely and no dearer
		 * than the best found); a likelier itinerary found may cost more than a
		 * completion that is still on time, so both conditions are needed */
		if (p_ub < s->req->target &&
		    (p_ub < s->best_p || (p_ub <= s->best_p && cost_lb > s->best_p_cost)))
			return true;
	}
	return archive_prunes(s, cost_lb, p_ub);
}

/* Adds a complete itinerary to the archive unless dominated; drops what it dominates. */
static void archive_add(struct search *s, const struct cand *c)
{
	if (c->p >= s->req->target && c->cost < s->best_feasible)
		s->best_feasible = c->cost;
	if (c->p > s->best_p || (c->p == s->best_p && c->cost < s->best_p_cost)) {
		s->best_p = c->p;
		s->best_p_cost = c->cost;
	}
	if (archive_prunes(s, c->cost, c->p))
		return;
	size_t m = 0;
	for (size_t i = 0; i < s->archive.n; i++)
		if (!dominates(c->cost, c->p, s->archive.v[i].cost, s->archive.v[i].p))
			s->archive.v[m++] = s->archive.v[i];
	s->archive.n = m;
	push(s, &s->archive, c);
}

/*
 * A bound on P(on time) widened for rounding and clamped to [0, min(1, cap)]. A bound of
 * exactly 0 stays 0: it means no mass can reach the destination in time, and the engine's
 * probabilities are then exactly 0 too (sums of non-negative terms round to 0 only when
 * every term is 0; products could underflow only below ~1e-308, far below any weight a
 * histogram of the network carries).
 */
static double widen(double p, double cap)
{
	if (p == 0.0)
		return 0.0;
	p += P_SLACK;
	if (p > cap)
		p = cap;
	return p > 1.0 ? 1.0 : p;
}

/*
 * Depth-first search over accepted legs. st[depth − 1] holds the departure distribution of
 * the leg just taken, path[0 .. depth) the legs, cost the sum of their costs, p_ub an upper
 * bound on P(on time) of every completion. A partial itinerary is cut when the bounds show
 * that no completion can be the answer (see can_prune()).
 */
static void dfs(struct search *s, uint32_t node, int depth, int64_t cost, double p_ub_in)
{
	const struct routing_network *net = s->net;
	const struct rnode *n = &net->nodes[node];
	size_t nn = net->n_nodes;
	int left = s->max_legs - depth; /* legs still allowed, ≥ 1 here */
	const int64_t *rc = s->rem_cost + (size_t)(left - 1) * nn;
	/* the usable out-legs, cheapest cost bound first (ties: leg id order, as stored) */
	uint32_t *order = s->order + (size_t)depth * net->max_out;
	int64_t *okey = s->okey + (size_t)depth * net->max_out;
	double *oub = s->oub + (size_t)depth * net->max_out;
	uint32_t m = 0;
	const uint32_t *adj = s->adj + s->adj_first[node], *adj_to = s->adj_to + s->adj_first[node];
	for (uint32_t a = 0; a < s->adj_n[node]; a++) {
		uint32_t li = adj[a];
		uint32_t v = adj_to[a];
		if (s->accept[li] != ACCEPT || s->visited[v] ||
		    s->rem_time[(size_t)(left - 1) * nn + v] == INF_T)
			continue;
		int64_t key = sat_add(s->cost[li], rc[v]);
		/* pruned now means pruned in the loop below too (the conditions only tighten as
		 * the search goes on): leave it out of the sort */
		double ub = widen(rbound_leg_max(s->bnd, s->k0, li, s->max_legs - depth), p_ub_in);
		if (can_prune(s, sat_add(cost, key), ub))
			continue;
		uint32_t j = m++;
		while (j > 0 && okey[j - 1] > key) {
			order[j] = order[j - 1];
			okey[j] = okey[j - 1];
			oub[j] = oub[j - 1];
			j--;
		}
		order[j] = li;
		okey[j] = key;
		oub[j] = ub;
	}
	for (uint32_t a = 0; a < m && !s->oom; a++) {
		uint32_t li = order[a];
		const struct rleg *l = &net->legs[li];
		uint32_t v = l->to;
		int64_t c = sat_add(cost, s->cost[li]);
		int h = s->max_legs - depth; /* legs allowed, counting this one */
		if (can_prune(s, sat_add(c, rc[v]), oub[a])) /* the same bound as above */
			continue;
		struct rdep *out = &s->st[depth];
		out->p = s->buf + (size_t)depth * net->max_dep;
		if (depth == 0)
			rprop_first(net, n, s->start, l, out);
		else
			rprop_next(net, &net->legs[s->path[depth - 1]], &s->st[depth - 1], l, out);
		s->path[depth] = li;
		if (v == s->dest) {
			struct cand cd = { .n = depth + 1, .cost = c };
			memcpy(cd.legs, s->path, (size_t)(depth + 1) * sizeof cd.legs[0]);
			rprop_delivery(net, l, out, s->req->deadline, &cd.p, &cd.beyond);
			s->n_evaluated++;
			archive_add(s, &cd);
			continue;
		}
		double p_ub = widen(rbound_partial(s->bnd, s->k0, li, h, out), p_ub_in);
		if (can_prune(s, sat_add(c, rc[v]), p_ub))
			continue;
		s->visited[v] = 1;
		dfs(s, v, depth + 1, c, p_ub);
		s->visited[v] = 0;
	}
}

/*
 * Lists itineraries that some leg refuses, ignoring distributions: every simple path to the
 * destination with at least one refusing leg, in the order of out-legs (by leg id). Stops
 * after ROUTING_MAX_REJECTED + 1. Subtrees without a refusing leg are not walked.
 */
static void dfs_refused(struct search *s, uint32_t node, int depth, int first_refused)
{
	const struct routing_network *net = s->net;
	size_t nn = net->n_nodes;
	int left = s->max_legs - depth;
	const uint32_t *adj = s->adj + s->adj_first[node], *adj_to = s->adj_to + s->adj_first[node];
	for (uint32_t a = 0; a < s->adj_n[node] && !s->oom; a++) {
		if (s->n_refused_found > ROUTING_MAX_REJECTED)
			return;
		uint32_t li = adj[a];
		uint32_t v = adj_to[a];
		if (s->visited[v] || !s->sreach[(size_t)(left - 1) * nn + v])
			continue;
		int fr = first_refused;
		if (fr < 0 && s->accept[li] != ACCEPT)
			fr = depth;
		if (fr < 0 && !s->rreach[(size_t)(left - 1) * nn + v])
			continue; /* no refused itinerary down there */
		s->path[depth] = li;
		if (v == s->dest) {
			if (fr < 0)
				continue;
			struct cand cd = { .n = depth + 1, .refused = s->accept[s->path[fr]],
			                   .refused_at = fr };
			memcpy(cd.legs, s->path, (size_t)(depth + 1) * sizeof cd.legs[0]);
			s->n_refused_found++;
			if (s->refused.n < ROUTING_MAX_REJECTED)
				push(s, &s->refused, &cd);
			continue;
		}
		s->visited[v] = 1;
		dfs_refused(s, v, depth + 1, fr);
		s->visited[v] = 0;
	}
}

/* Compares the leg-id order of two itineraries (ranks are the order of leg ids). */
static int cmp_ids(const struct routing_network *net, const struct cand *a, const struct cand *b)
{
	for (int i = 0; i < a->n && i < b->n; i++) {
		uint32_t ra = net->legs[a->legs[i]].rank, rb = net->legs[b->legs[i]].rank;
		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	return a->n < b->n ? -1 : a->n > b->n;
}

/* Selection order when some option meets the target: cheaper, likelier, fewer legs, ids. */
static int cmp_feasible(const struct routing_network *net, const struct cand *a,
                        const struct cand *b)
{
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->p != b->p)
		return a->p > b->p ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return cmp_ids(net, a, b);
}

/* Selection order when none does: likelier, cheaper, fewer legs, ids. */
static int cmp_at_risk(const struct routing_network *net, const struct cand *a,
                       const struct cand *b)
{
	if (a->p != b->p)
		return a->p > b->p ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return cmp_ids(net, a, b);
}

static int cmp_listing(const void *x, const void *y, void *ctx)
{
	return cmp_feasible(ctx, x, y);
}

/* P(arrival at the end of leg ≤ t), or of delivery ≤ t when `last` (windows applied). */
static double cdf_at(const struct routing_network *net, const struct rleg *leg,
                     const struct rdep *st, bool last, int64_t t)
{
	if (last) {
		t = rprop_latest_arrival(leg, t);
		if (t == INT64_MIN)
			return 0.0;
	}
	return rprop_p_arrival_by(net, leg, st, t);
}

/* Most points phase 2 of quantile() sorts: departures of the leg, then window starts. */
#define Q_POINTS 64

/*
 * Points in (lo, hi] (hi − lo ≤ res) where the distribution function of the arrival
 * (delivery when `last`) after departures st of leg can change: the one step of each
 * departure's transit grid dep + i·res (i ≥ 0) there, and for a last leg with delivery
 * windows the window starts there (between windows the delivery instant is constant,
 * inside one it is the arrival). Writes them sorted to pt, returns how many, or
 * Q_POINTS + 1 if they do not fit.
 */
static size_t change_points(const struct routing_network *net, const struct rleg *leg,
                            const struct rdep *st, bool last, int64_t lo, int64_t hi,
                            int64_t *pt)
{
	size_t m = 0;
	if (st->n > Q_POINTS)
		return Q_POINTS + 1;
	for (size_t j = 0; j < st->n; j++) {
		int64_t dep = leg->dep[st->k0 + j];
		int64_t i = dep > lo ? 0 : rfloor_div(lo - dep, net->res) + 1; /* first step > lo */
		int64_t c = dep + i * net->res;
		if (c <= hi)
			pt[m++] = c;
	}
	if (last && leg->n_windows > 0) {
		const struct routing_window *w = leg->windows;
		size_t a = 0, b = leg->n_windows;
		while (a < b) { /* first window starting after lo */
			size_t mid = a + (b - a) / 2;
			if (w[mid].start <= lo)
				a = mid + 1;
			else
				b = mid;
		}
		for (; a < leg->n_windows && w[a].start <= hi; a++) {
			if (m == Q_POINTS)
				return Q_POINTS + 1;
			pt[m++] = w[a].start;
		}
	}
	for (size_t x = 1; x < m; x++) /* insertion sort: few points */
		for (size_t y = x; y > 0 && pt[y - 1] > pt[y]; y--) {
			int64_t t = pt[y];
			pt[y] = pt[y - 1];
			pt[y - 1] = t;
		}
	return m;
}

/*
 * The q-quantile of the arrival (delivery when `last`) time after taking departures st of
 * leg: the smallest instant t with P(≤ t) ≥ q (the distribution function is a step
 * function, so this is one of its steps), or ROUTING_NEVER if less than q of the mass ever
 * arrives. below: a lower quantile of the same distribution (or ROUTING_NEVER), which narrows
 * the search.
 * The computed distribution function is monotone (sums of non-decreasing non-negative terms,
 * rounded), so any instants may be evaluated to narrow a bracket P(≤ lo) < q ≤ P(≤ hi); the
 * answer is the one in (lo, hi] where it changes. The search bisects on the grid of the
 * first departure until hi − lo ≤ res, then over the points where it can change there
 * (change_points()); the same answer as bisecting over whole seconds, in fewer evaluations.
 */
static int64_t quantile(const struct routing_network *net, const struct rleg *leg,
                        const struct rdep *st, bool last, double q, int64_t below)
{
	if (st->n == 0)
		return ROUTING_NEVER;
	q -= 1e-12; /* a sum of probabilities may round a hair below q */
	int64_t lo = leg->dep[st->k0] - 1;
	if (below != ROUTING_NEVER && below - 1 > lo)
		lo = below - 1; /* P(≤ below − 1) < a smaller quantile's level < q */
	int64_t hi = leg->dep[st->k0 + st->n - 1] + (int64_t)(leg->transit.n - 1) * net->res;
	if (last && leg->n_windows > 0) {
		int64_t end = leg->windows[leg->n_windows - 1].end;
		int64_t d = rprop_deliver_at(leg, hi);
		hi = d == ROUTING_NEVER_T ? end - 1 : d;
	}
	if (cdf_at(net, leg, st, last, hi) < q)
		return ROUTING_NEVER;
	int64_t res = net->res, g0 = leg->dep[st->k0];
	while (hi - lo > res) { /* P(≤ lo) < q ≤ P(≤ hi); a grid point strictly inside */
		int64_t mid = lo + (hi - lo) / 2;
		int64_t m = g0 + rfloor_div(mid - g0, res) * res;
		if (m <= lo)
			m += res;
		if (cdf_at(net, leg, st, last, m) >= q)
			hi = m;
		else
			lo = m;
	}
	int64_t pt[Q_POINTS];
	size_t n = change_points(net, leg, st, last, lo, hi, pt);
	if (n > Q_POINTS) { /* too many: whole seconds */
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			if (cdf_at(net, leg, st, last, mid) >= q)
				hi = mid;
			else
				lo = mid;
		}
		return hi;
	}
	size_t a = 0, b = n; /* the first point with P(≤ point) ≥ q, else hi */
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (cdf_at(net, leg, st, last, pt[mid]) >= q) {
			hi = pt[mid];
			b = mid;
		} else {
			a = mid + 1;
		}
	}
	return hi;
}

/*
 * Fills an option's legs and times by propagating its itinerary again, keeping every
 * distribution: the modal departure of each leg, arrival p50/p95 at each leg's end (the
 * delivery, windows applied, for the last). o->legs has c->n entries. st: the distributions
 * of the option detailed before (pc, po; NULL for none), st[i].p in s->buf at depth i, left
 * with this option's: the legs before the last that both itineraries start with have the
 * same distributions and figures (computed from the same legs by the same steps), copied.
 */
static void detail(struct search *s, const struct cand *c, struct routing_option *o,
                   struct rdep *st, const struct cand *pc, const struct routing_option *po)
{
	const struct routing_network *net = s->net;
	int keep = 0;
	while (pc != NULL && keep < c->n - 1 && keep < pc->n - 1 && c->legs[keep] == pc->legs[keep])
		keep++;
	for (int i = 0; i < keep; i++) {
		o->legs[i].departure = po->legs[i].departure;
		o->legs[i].p_departure = po->legs[i].p_departure;
		o->legs[i].arrival_p50 = po->legs[i].arrival_p50;
		o->legs[i].arrival_p95 = po->legs[i].arrival_p95;
	}
	for (int i = keep; i < c->n; i++) {
		const struct rleg *l = &net->legs[c->legs[i]];
		struct routing_leg_out *lo = &o->legs[i];
		if (i == 0)
			rprop_first(net, &net->nodes[s->origin], s->start, l, &st[i]);
		else
			rprop_next(net, &net->legs[c->legs[i - 1]], &st[i - 1], l, &st[i]);
		lo->departure = ROUTING_NEVER;
		lo->p_departure = 0.0;
		for (size_t j = 0; j < st[i].n; j++)
			if (st[i].p[j] > lo->p_departure) {
				lo->p_departure = st[i].p[j];
				lo->departure = l->dep[st[i].k0 + j];
			}
		bool last = i == c->n - 1;
		lo->arrival_p50 = quantile(net, l, &st[i], last, 0.5, ROUTING_NEVER);
		lo->arrival_p95 = lo->arrival_p50 == ROUTING_NEVER
		                  ? ROUTING_NEVER
		                  : quantile(net, l, &st[i], last, 0.95, lo->arrival_p50);
	}
	o->delivery_p50 = o->legs[c->n - 1].arrival_p50;
	o->delivery_p95 = o->legs[c->n - 1].arrival_p95;
}

/* Fills the static parts of an option's legs (names, costs). */
static void fill_legs(const struct search *s, const struct cand *c, struct routing_option *o)
{
	const struct routing_network *net = s->net;
	o->n_legs = (size_t)c->n;
	for (int i = 0; i < c->n; i++) {
		const struct rleg *l = &net->legs[c->legs[i]];
		const struct rservice *sv = &net->services[l->service];
		struct routing_leg_out *lo = &o->legs[i];
		lo->leg_id = l->id;
		lo->carrier = sv->carrier;
		lo->service = sv->service;
		lo->mode = sv->mode;
		lo->from = net->nodes[l->from].code;
		lo->to = net->nodes[l->to].code;
		lo->departure = lo->arrival_p50 = lo->arrival_p95 = ROUTING_NEVER;
		lo->p_departure = 0.0;
		lo->cost_minor = s->cost[c->legs[i]];
		lo->chargeable_g = s->charge_g[c->legs[i]];
	}
}

/* Orders archived options by their leg sequences (lexicographically). */
static int cmp_path(const void *x, const void *y, void *ctx)
{
	const struct cand *a = (const struct cand *)ctx + *(const size_t *)x;
	const struct cand *b = (const struct cand *)ctx + *(const size_t *)y;
	for (int i = 0; i < a->n && i < b->n; i++)
		if (a->legs[i] != b->legs[i])
			return a->legs[i] < b->legs[i] ? -1 : 1;
	return (a->n > b->n) - (a->n < b->n);
}

/*
 * Details the first n options of q, those of the archive (detail()), in the order of their
 * leg sequences so that each shares the longest prefix with the one detailed before it (in
 * the archive's order if memory for the order ran out: the same figures, more work).
 */
static void details(struct search *s, struct routing_quote *q, size_t n)
{
	struct rdep st[ROUTING_MAX_LEGS];
	for (int i = 0; i < ROUTING_MAX_LEGS; i++)
		st[i].p = s->buf + (size_t)i * s->net->max_dep;
	size_t *ord = malloc(n * sizeof *ord + 1);
	if (ord != NULL) {
		for (size_t i = 0; i < n; i++)
			ord[i] = i;
		qsort_r(ord, n, sizeof *ord, cmp_path, s->archive.v);
	}
	size_t prev = n;
	for (size_t x = 0; x < n; x++) {
		size_t i = ord ? ord[x] : x;
		detail(s, &s->archive.v[i], &q->options[i], st, prev < n ? &s->archive.v[prev] : NULL,
		       prev < n ? &q->options[prev] : NULL);
		prev = i;
	}
	free(ord);
}

/*
 * Builds the quote from the archive (already the non-dominated set) and the refused list:
 * selects, gives reasons, orders the options, computes their details. Returns 0 or -1 (out
 * of memory). q's options are allocated in one block with their legs.
 */
static int assemble(struct search *s, struct routing_quote *q)
{
	const struct routing_network *net = s->net;
	struct cands *ar = &s->archive;
	size_t sel = 0;
	bool feasible = false;
	for (size_t i = 0; i < ar->n; i++)
		if (ar->v[i].p >= s->req->target)
			feasible = true;
	for (size_t i = 1; i < ar->n; i++) {
		const struct cand *a = &ar->v[i], *b = &ar->v[sel];
		if (feasible) {
			if (a->p >= s->req->target &&
			    (b->p < s->req->target || cmp_feasible(net, a, b) < 0))
				sel = i;
		} else if (cmp_at_risk(net, a, b) < 0) {
			sel = i;
		}
	}
	if (ar->n > 0) {
		struct cand t = ar->v[0];
		ar->v[0] = ar->v[sel];
		ar->v[sel] = t;
		qsort_r(ar->v + 1, ar->n - 1, sizeof *ar->v, cmp_listing, (void *)net);
	}
	size_t n_opt = ar->n + s->refused.n, n_legs = 0;
	for (size_t i = 0; i < ar->n; i++)
		n_legs += (size_t)ar->v[i].n;
	for (size_t i = 0; i < s->refused.n; i++)
		n_legs += (size_t)s->refused.v[i].n;
	q->options = calloc(1, n_opt * sizeof *q->options + n_legs * sizeof(struct routing_leg_out) + 1);
	if (q->options == NULL)
		return -1;
	struct routing_leg_out *legs = (struct routing_leg_out *)(q->options + n_opt);
	q->n_options = n_opt;
	for (size_t i = 0; i < n_opt; i++) {
		bool refused = i >= ar->n;
		const struct cand *c = refused ? &s->refused.v[i - ar->n] : &ar->v[i];
		struct routing_option *o = &q->options[i];
		o->legs = legs;
		legs += c->n;
		fill_legs(s, c, o);
		if (refused) {
			o->reason = c->refused == REFUSE_HEAVY ? ROUTING_TOO_HEAVY : ROUTING_TOO_LARGE;
			o->refused_leg = net->legs[c->legs[c->refused_at]].id;
			o->cost_minor = 0;
			for (int k = 0; k < c->n; k++)
				o->cost_minor = sat_add(o->cost_minor, s->cost[c->legs[k]]);
			o->delivery_p50 = o->delivery_p95 = ROUTING_NEVER;
			continue;
		}
		o->cost_minor = c->cost;
		o->p_on_time = c->p;
		o->p_beyond_horizon = c->beyond;
		if (i == 0)
			o->reason = ROUTING_SELECTED;
		else if (!feasible || c->p < s->req->target)
			o->reason = ROUTING_SLOWER_THAN_PROMISE;
		else if (c->cost > ar->v[0].cost)
			o->reason = ROUTING_MORE_EXPENSIVE;
		else
			o->reason = ROUTING_DOMINATED;
	}
	details(s, q, ar->n);
	return 0;
}

/* Bytes of the search's per-quote arrays (search_layout()), with the cache's extras. */
static size_t search_size(const struct search *s, bool cached)
{
	const struct routing_network *net = s->net;
	size_t nl = net->n_legs, nn = net->n_nodes, h = (size_t)s->max_legs + 1;
	size_t sz = nl * (sizeof(int64_t) + sizeof(int32_t)) + 2 * h * nn * sizeof(int64_t) +
	            (size_t)ROUTING_MAX_LEGS * (net->max_dep + 1) * sizeof(double) +
	            2 * (size_t)ROUTING_MAX_LEGS * (net->max_out + 1) * sizeof(int64_t) + nl + 2 * h * nn +
	            nn + (size_t)ROUTING_MAX_LEGS * (net->max_out + 1) * sizeof(uint32_t) +
	            (2 * nl + 2 * nn) * sizeof(uint32_t) + 64;
	if (cached)
		sz += nl * sizeof(uint32_t) + rbound_work_size(net) + 16;
	return sz;
}

/* Lays the search's per-quote arrays out in block (search_size() bytes, 16-byte aligned). */
static void search_layout(struct search *s, char *block, bool cached)
{
	const struct routing_network *net = s->net;
	size_t nl = net->n_legs, nn = net->n_nodes, h = (size_t)s->max_legs + 1;
	char *p = block;
	if (cached) {
		s->fwork = p;
		p += (rbound_work_size(net) + 15) / 16 * 16;
	}
	s->cost = (int64_t *)p;
	p += nl * sizeof(int64_t);
	s->own_b.rem_time = (int64_t *)p;
	p += h * nn * sizeof(int64_t);
	s->own_b.rem_cost = (int64_t *)p;
	p += h * nn * sizeof(int64_t);
	s->buf = (double *)p;
	p += (size_t)ROUTING_MAX_LEGS * (net->max_dep + 1) * sizeof(double);
	s->okey = (int64_t *)p;
	p += (size_t)ROUTING_MAX_LEGS * (net->max_out + 1) * sizeof(int64_t);
	s->oub = (double *)p;
	p += (size_t)ROUTING_MAX_LEGS * (net->max_out + 1) * sizeof(double);
	s->charge_g = (int32_t *)p;
	p += nl * sizeof(int32_t);
	s->own_a.adj = (uint32_t *)p;
	p += nl * sizeof(uint32_t);
	s->own_a.adj_to = (uint32_t *)p;
	p += nl * sizeof(uint32_t);
	s->own_a.adj_first = (uint32_t *)p;
	p += nn * sizeof(uint32_t);
	s->own_a.adj_n = (uint32_t *)p;
	p += nn * sizeof(uint32_t);
	s->order = (uint32_t *)p;
	p += (size_t)ROUTING_MAX_LEGS * (net->max_out + 1) * sizeof(uint32_t);
	if (cached) {
		s->k0_buf = (uint32_t *)p;
		p += nl * sizeof(uint32_t);
	}
	s->accept = (uint8_t *)p;
	p += nl;
	s->own_b.sreach = (uint8_t *)p;
	p += h * nn;
	s->own_b.rreach = (uint8_t *)p;
	p += h * nn;
	s->visited = (uint8_t *)p;
	memset(s->visited, 0, nn);
}

/* Allocates the search's per-quote arrays in one block. */
static void *search_alloc(struct search *s)
{
	char *block = malloc(search_size(s, false));
	if (block != NULL)
		search_layout(s, block, false);
	return block;
}

/*
 * Validates the request, resolves origin and zone into s and q. Returns 1 when the quote may
 * proceed, 0 when q's status already says why not.
 */
static int begin(struct search *s, const struct routing_network *net,
                 const struct routing_request *req, struct routing_quote *q)
{
	memset(s, 0, sizeof *s);
	s->net = net;
	s->req = req;
	s->max_legs = req->max_legs == 0 ? ROUTING_MAX_LEGS : req->max_legs;
	s->best_feasible = INF_COST;
	s->best_p = -1.0;
	s->best_p_cost = INF_COST;
	q->deadline = req->deadline;
	q->target = req->target;
	memcpy(q->currency, net->currency, sizeof q->currency);
	const struct routing_parcel *p = &req->parcel;
	if (s->max_legs < 1 || s->max_legs > ROUTING_MAX_LEGS || !(req->target >= 0.0) ||
	    !(req->target <= 1.0) || p->weight_g < 0 || p->dims_mm[0] < 0 || p->dims_mm[1] < 0 ||
	    p->dims_mm[2] < 0) {
		q->status = ROUTING_BAD_REQUEST;
		snprintf(q->detail, sizeof q->detail,
		         "max_legs must be 1..%d, target in [0, 1], weight and dimensions >= 0",
		         ROUTING_MAX_LEGS);
		return 0;
	}
	long o = req->origin ? rnet_find_node(net, req->origin) : -1;
	if (o < 0 || net->nodes[o].kind == ROUTING_NODE_ZONE) {
		q->status = ROUTING_UNKNOWN_ORIGIN;
		snprintf(q->detail, sizeof q->detail, "no origin node %.100s",
		         req->origin ? req->origin : "(none)");
		return 0;
	}
	long z = rzone_find(net, req->country, req->postal_code);
	if (z < 0) {
		q->status = ROUTING_UNKNOWN_DESTINATION;
		snprintf(q->detail, sizeof q->detail, "no delivery zone for %.8s %.40s",
		         req->country ? req->country : "(none)",
		         req->postal_code ? req->postal_code : "");
		return 0;
	}
	s->origin = (uint32_t)o;
	s->dest = (uint32_t)z;
	q->zone = net->nodes[z].code;
	s->start = rprop_start(&net->nodes[o], req->ready_at);
	return 1;
}

/*
 * Common start of routing_quote() and routing_evaluate(): checks net and req, allocates the
 * quote (*q, the caller's) and begins s. Returns 1 when the quote may proceed, 0 when q's
 * status already says why not, -1 when net is not finalized or memory ran out (*q NULL).
 */
static int open_quote(struct search *s, const struct routing_network *net,
                      const struct routing_request *req, struct routing_quote **q)
{
	*q = NULL;
	if (net == NULL || !net->finalized || req == NULL || (*q = calloc(1, sizeof **q)) == NULL)
		return -1;
	return begin(s, net, req, *q);
}

/* Status of a quote that found no accepted itinerary. */
static void no_route(const struct search *s, struct routing_quote *q)
{
	if (s->n_refused_found > 0) {
		q->status = ROUTING_PARCEL_REFUSED;
		snprintf(q->detail, sizeof q->detail,
		         "every itinerary to %.60s has a leg that refuses the parcel (%s)", q->zone,
		         routing_reason_name(q->n_options > 0 ? q->options[0].reason
		                                                : ROUTING_TOO_HEAVY));
	} else {
		q->status = ROUTING_NO_ROUTE;
		snprintf(q->detail, sizeof q->detail, "no itinerary of at most %d legs reaches %.60s",
		         s->max_legs, q->zone);
	}
}

/* Turns the search's archive into the quote's options and sets its status:
 * no itinerary → no_route's reason; the selection meets the target → ok;
 * else at_risk. Returns 0, or -1 when out of memory. */
static int finish(struct search *s, const struct routing_request *req, struct routing_quote *q)
{
	if (s->oom || assemble(s, q) < 0)
		return -1;
	q->n_refused = s->n_refused_found;
	q->n_evaluated = s->n_evaluated;
	if (s->archive.n == 0) {
		no_route(s, q);
	} else if (q->options[0].p_on_time >= req->target) {
		q->status = ROUTING_OK;
	} else {
		q->status = ROUTING_AT_RISK;
		q->at_risk = true;
	}
	return 0;
}

/*
 * The answer memo's key of the quote (answer.h) on a kept lane whose current parcel class is
 * the quote's (rlanes_set_class()). Returns false when the start has no segment (too far
 * from the epoch): the quote is not memoised.
 */
static bool answer_key(const struct search *s, struct rlanes *ls, const struct rlane *lane,
                       struct ranswer_key *k)
{
	*k = (struct ranswer_key){ .origin = s->origin, .dest = s->dest,
	                           .deadline = s->req->deadline, .target = s->req->target,
	                           .all_options = s->req->all_options,
	                           .never = s->start == ROUTING_NEVER_T };
	rlanes_class(ls, lane, &k->cls);
	return k->never || rlanes_segment(ls, lane, s->start, &k->seg_end);
}

/*
 * routing_quote() and routing_quote_cached(): with a cache, the working arrays come from its
 * scratch arena, the candidate vectors are its reused ones, the bound table is a kept one
 * (read through the quote's own first departures, see bound.h), and a request with the key
 * of a kept answer gets a copy of it (answer.h); without, everything is allocated and freed
 * here. The answer is the same either way.
 */
static int quote_run(const struct routing_network *net, struct routing_cache *cache,
                     const struct routing_request *req, struct routing_quote **out)
{
	struct search s;
	struct routing_quote *q;
	int opened = open_quote(&s, net, req, &q);
	if (opened < 0)
		return -1;
	void *block = NULL;
	int rc = -1;
	if (opened == 0)
		goto ok;
	if (cache != NULL) {
		char *scratch = rcache_scratch(cache, search_size(&s, true));
		if (scratch == NULL)
			goto done;
		search_layout(&s, scratch, true);
		rcache_take_vec(cache, 0, (void **)&s.archive.v, &s.archive.cap);
		rcache_take_vec(cache, 1, (void **)&s.refused.v, &s.refused.cap);
	} else if ((block = search_alloc(&s)) == NULL) {
		goto done;
	}
	struct rlane *lane = NULL;
	struct rlane_adj la = s.own_a;
	if (cache != NULL)
		lane = rlanes_lane(rcache_lanes(cache), s.origin, s.dest, &la);
	if (lane == NULL)
		rlane_build_adj(net, s.origin, s.dest, &la);
	s.adj = la.adj;
	s.adj_to = la.adj_to;
	s.adj_first = la.adj_first;
	s.adj_n = la.adj_n;
	s.n_adj = la.n_adj;
	price_legs(&s, s.adj, s.n_adj);
	bool memo = false;
	if (lane != NULL) {
		struct ranswer_key ak;
		rlanes_set_class(rcache_lanes(cache), lane, &req->parcel, s.accept, s.max_legs);
		memo = rcache_answers(cache) != NULL && answer_key(&s, rcache_lanes(cache), lane, &ak);
		if (memo && ranswers_get(rcache_answers(cache), &ak, q))
			goto ok;
	}
	struct rlane_bounds lb = s.own_b;
	if (lane == NULL || !rlanes_get(rcache_lanes(cache), lane, &lb)) {
		bounds(&s, &lb);
		if (lane != NULL)
			rlanes_put(rcache_lanes(cache), lane, &lb);
	}
	s.rem_time = lb.rem_time;
	s.rem_cost = lb.rem_cost;
	s.sreach = lb.sreach;
	s.rreach = lb.rreach;
	s.visited[s.origin] = 1;
	if (s.rem_time[(size_t)s.max_legs * net->n_nodes + s.origin] != INF_T) {
		struct rbound_query bq = { .origin = s.origin, .dest = s.dest, .start = s.start,
		                           .deadline = req->deadline, .max_legs = s.max_legs,
		                           .refused = s.accept, .adj = s.adj,
		                           .adj_first = s.adj_first, .adj_n = s.adj_n };
		if (cache != NULL && s.start != ROUTING_NEVER_T) {
			s.bnd = rcache_bound(cache, &bq, &s.bound, s.k0_buf, s.fwork, &s.k0);
			if (s.bnd == NULL)
				goto done;
		} else {
			if (rbound_build(&s.bound, net, &bq) < 0)
				goto done;
			s.bnd = &s.bound;
			s.k0 = s.bound.k0;
		}
		dfs(&s, s.origin, 0, 0, 1.0);
	}
	if (s.sreach[(size_t)s.max_legs * net->n_nodes + s.origin]) {
		bool any_refused = false;
		for (size_t i = 0; i < s.n_adj && !any_refused; i++)
			any_refused = s.accept[s.adj[i]] != ACCEPT;
		if (any_refused)
			dfs_refused(&s, s.origin, 0, -1);
	}
	if (finish(&s, req, q) != 0)
		goto done;
	if (memo)
		ranswers_put(rcache_answers(cache), q);
ok:
	*out = q;
	q = NULL;
	rc = 0;
done:
	rbound_free(&s.bound);
	if (cache != NULL) {
		rcache_put_vec(cache, 0, s.archive.v, s.archive.cap);
		rcache_put_vec(cache, 1, s.refused.v, s.refused.cap);
	} else {
		free(s.archive.v);
		free(s.refused.v);
	}
	free(block);
	routing_quote_free(q);
	return rc;
}

int routing_quote(const struct routing_network *net, const struct routing_request *req,
                  struct routing_quote **out)
{
	return quote_run(net, NULL, req, out);
}

int routing_quote_cached(const struct routing_network *net, struct routing_cache *cache,
                         const struct routing_request *req, struct routing_quote **out)
{
	if (cache != NULL && !rcache_for(cache, net))
		return -1;
	return quote_run(net, cache, req, out);
}

int routing_evaluate(const struct routing_network *net, const struct routing_request *req,
                     const char *const *leg_ids, size_t n_legs, struct routing_quote **out)
{
	struct search s;
	struct routing_quote *q;
	int opened = open_quote(&s, net, req, &q);
	if (opened < 0)
		return -1;
	void *block = NULL;
	int rc = -1;
	if (opened == 0)
		goto ok;
	block = search_alloc(&s);
	if (block == NULL)
		goto done;
	price_legs(&s, NULL, net->n_legs);
	struct cand c = { .n = (int)n_legs, .refused_at = -1 };
	uint32_t at = s.origin;
	bool chain = n_legs >= 1 && n_legs <= ROUTING_MAX_LEGS;
	for (size_t i = 0; chain && i < n_legs; i++) {
		long li = -1;
		for (size_t j = 0; j < net->n_legs && li < 0; j++)
			if (strcmp(net->legs[j].id, leg_ids[i]) == 0)
				li = (long)j;
		if (li < 0 || net->legs[li].from != at) {
			chain = false;
			break;
		}
		c.legs[i] = (uint32_t)li;
		at = net->legs[li].to;
		if (c.refused_at < 0 && s.accept[li] != ACCEPT) {
			c.refused_at = (int)i;
			c.refused = s.accept[li];
		}
		c.cost = sat_add(c.cost, s.cost[li]);
	}
	if (!chain || at != s.dest) {
		q->status = ROUTING_NO_ROUTE;
		snprintf(q->detail, sizeof q->detail, "the legs do not lead from %.40s to %.40s",
		         net->nodes[s.origin].code, q->zone);
		goto ok;
	}
	if (c.refused_at >= 0) {
		push(&s, &s.refused, &c);
		s.n_refused_found = 1;
	} else {
		for (int i = 0; i < c.n; i++) {
			s.st[i].p = s.buf + (size_t)i * net->max_dep;
			if (i == 0)
				rprop_first(net, &net->nodes[s.origin], s.start, &net->legs[c.legs[0]],
				            &s.st[0]);
			else
				rprop_next(net, &net->legs[c.legs[i - 1]], &s.st[i - 1],
				           &net->legs[c.legs[i]], &s.st[i]);
		}
		rprop_delivery(net, &net->legs[c.legs[c.n - 1]], &s.st[c.n - 1], req->deadline, &c.p,
		               &c.beyond);
		push(&s, &s.archive, &c);
		s.n_evaluated = 1;
	}
	if (finish(&s, req, q) != 0)
		goto done;
ok:
	*out = q;
	q = NULL;
	rc = 0;
done:
	free(s.archive.v);
	free(s.refused.v);
	free(block);
	routing_quote_free(q);
	return rc;
}

void routing_quote_free(struct routing_quote *q)
{
	if (q == NULL)
		return;
	free(q->options);
	free(q);
}

const char *routing_reason_name(enum routing_reason r)
{
	switch (r) {
	case ROUTING_SELECTED: return "selected";
	case ROUTING_SLOWER_THAN_PROMISE: return "slower_than_promise";
	case ROUTING_MORE_EXPENSIVE: return "more_expensive";
	case ROUTING_DOMINATED: return "dominated";
	case ROUTING_TOO_HEAVY: return "too_heavy";
	case ROUTING_TOO_LARGE: return "too_large";
	}
	return "?";
}

const char *routing_status_name(enum routing_status st)
{
	switch (st) {
	case ROUTING_OK: return "ok";
	case ROUTING_AT_RISK: return "at_risk";
	case ROUTING_UNKNOWN_ORIGIN: return "unknown_origin";
	case ROUTING_UNKNOWN_DESTINATION: return "unknown_destination";
	case ROUTING_NO_ROUTE: return "no_route";
	case ROUTING_PARCEL_REFUSED: return "parcel_refused";
	case ROUTING_BAD_REQUEST: return "bad_request";
	}
	return "?";
}
