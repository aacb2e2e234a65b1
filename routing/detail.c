/* detail.c — the figures of an option: the most likely departure of each leg and the
 * arrival (delivery) quantiles, by propagating its itinerary again. */
#include "routing/search_int.h"

#include <stdlib.h>

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
static void detail(struct rsearch *s, const struct rcand *c, struct routing_option *o,
                   struct rdep *st, const struct rcand *pc, const struct routing_option *po)
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

/* Orders archived options by their leg sequences (lexicographically). */
static int cmp_path(const void *x, const void *y, void *ctx)
{
	const struct rcand *a = (const struct rcand *)ctx + *(const size_t *)x;
	const struct rcand *b = (const struct rcand *)ctx + *(const size_t *)y;
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
void rdetail_options(struct rsearch *s, struct routing_quote *q, size_t n)
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
