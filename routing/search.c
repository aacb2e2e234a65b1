/* search.c — the itinerary search of one quote: its working memory, the lower bounds on time
 * and cost, the depth-first search with pruning into the non-dominated archive, and the
 * list of itineraries that some leg refuses. */
#include "routing/search_int.h"

#include <stdlib.h>
#include <string.h>

/* Bounds on p are widened by this much, so rounding can never prune a possible answer. */
#define P_SLACK 1e-12

size_t rsearch_size(const struct rsearch *s, bool cached)
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

void rsearch_layout(struct rsearch *s, char *block, bool cached)
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

void *rsearch_alloc(struct rsearch *s)
{
	char *block = malloc(rsearch_size(s, false));
	if (block != NULL)
		rsearch_layout(s, block, false);
	return block;
}

/* Level by level (search_int.h); level h is a function of level h − 1 alone: once a level
 * changes nothing, every later one is a copy. */
void rsearch_lower_bounds(const struct rsearch *s, const struct rlane_bounds *o)
{
	const struct routing_network *net = s->net;
	size_t nn = net->n_nodes;
	for (int h = 0; h <= s->max_legs; h++)
		for (size_t v = 0; v < nn; v++) {
			o->rem_time[h * nn + v] = (h == 0 && v == s->dest) ? 0 : RSEARCH_INF_T;
			o->rem_cost[h * nn + v] = (h == 0 && v == s->dest) ? 0 : RCOST_INF;
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
			if ((pr[l->to] || (ps[l->to] && s->accept[i] != RPARCEL_ACCEPT)) &&
			    !rr[l->from])
				rr[l->from] = 1, changed = true;
			if (s->accept[i] != RPARCEL_ACCEPT || pt[l->to] == RSEARCH_INF_T)
				continue;
			int64_t conn = l->to == s->dest ? 0 : net->nodes[l->to].min_connection_s;
			int64_t t = l->cutoff_s + (int64_t)l->transit.min_bin * net->res + conn + pt[l->to];
			if (t < rt[l->from])
				rt[l->from] = t, changed = true;
			int64_t c = rcost_add(s->cost[i], pc[l->to]);
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
void rsearch_push(struct rsearch *s, struct rcands *list, const struct rcand *c)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct rcand *v = realloc(list->v, cap * sizeof *v);
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
static bool archive_prunes(const struct rsearch *s, int64_t cost_lb, double p_ub)
{
	for (size_t i = 0; i < s->archive.n; i++)
		if (dominates(s->archive.v[i].cost, s->archive.v[i].p, cost_lb, p_ub))
			return true;
	return false;
}

/* Whether a partial itinerary with these bounds can be dropped (see quote.h, 7.). */
static bool can_prune(const struct rsearch *s, int64_t cost_lb, double p_ub)
{
	if (!s->req->all_options) {
		if (s->best_feasible != RCOST_INF &&
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
static void archive_add(struct rsearch *s, const struct rcand *c)
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
	rsearch_push(s, &s->archive, c);
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
static void dfs(struct rsearch *s, uint32_t node, int depth, int64_t cost, double p_ub_in)
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
		if (s->accept[li] != RPARCEL_ACCEPT || s->visited[v] ||
		    s->rem_time[(size_t)(left - 1) * nn + v] == RSEARCH_INF_T)
			continue;
		int64_t key = rcost_add(s->cost[li], rc[v]);
		/* pruned now means pruned in the loop below too (the conditions only tighten as
		 * the search goes on): leave it out of the sort */
		double ub = widen(rbound_leg_max(s->bnd, s->k0, li, s->max_legs - depth), p_ub_in);
		if (can_prune(s, rcost_add(cost, key), ub))
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
		int64_t c = rcost_add(cost, s->cost[li]);
		int h = s->max_legs - depth; /* legs allowed, counting this one */
		if (can_prune(s, rcost_add(c, rc[v]), oub[a])) /* the same bound as above */
			continue;
		struct rdep *out = &s->st[depth];
		out->p = s->buf + (size_t)depth * net->max_dep;
		if (depth == 0)
			rprop_first(net, n, s->start, l, out);
		else
			rprop_next(net, &net->legs[s->path[depth - 1]], &s->st[depth - 1], l, out);
		s->path[depth] = li;
		if (v == s->dest) {
			struct rcand cd = { .n = depth + 1, .cost = c };
			memcpy(cd.legs, s->path, (size_t)(depth + 1) * sizeof cd.legs[0]);
			rprop_delivery(net, l, out, s->req->deadline, &cd.p, &cd.beyond);
			s->n_evaluated++;
			archive_add(s, &cd);
			continue;
		}
		double p_ub = widen(rbound_partial(s->bnd, s->k0, li, h, out), p_ub_in);
		if (can_prune(s, rcost_add(c, rc[v]), p_ub))
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
static void dfs_refused(struct rsearch *s, uint32_t node, int depth, int first_refused)
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
		if (fr < 0 && s->accept[li] != RPARCEL_ACCEPT)
			fr = depth;
		if (fr < 0 && !s->rreach[(size_t)(left - 1) * nn + v])
			continue; /* no refused itinerary down there */
		s->path[depth] = li;
		if (v == s->dest) {
			if (fr < 0)
				continue;
			struct rcand cd = { .n = depth + 1, .refused = s->accept[s->path[fr]],
			                    .refused_at = fr };
			memcpy(cd.legs, s->path, (size_t)(depth + 1) * sizeof cd.legs[0]);
			s->n_refused_found++;
			if (s->refused.n < ROUTING_MAX_REJECTED)
				rsearch_push(s, &s->refused, &cd);
			continue;
		}
		s->visited[v] = 1;
		dfs_refused(s, v, depth + 1, fr);
		s->visited[v] = 0;
	}
}

void rsearch_itineraries(struct rsearch *s)
{
	dfs(s, s->origin, 0, 0, 1.0);
}

void rsearch_refused(struct rsearch *s)
{
	dfs_refused(s, s->origin, 0, -1);
}
