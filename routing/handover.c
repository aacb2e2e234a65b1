/* handover.c — the latest hand-over time at an origin that keeps a quote's cost class, by
 * bisection over whole minutes, and the choice among hubs (handover.h). */
#include "routing/handover.h"

#include <stdlib.h>
#include <string.h>

/* Quotes req ready at t into *q (the caller frees it). Returns 0 or -1 (memory). */
static int quote_at(const struct routing_network *net, struct routing_cache *cache,
                    const struct routing_request *req, int64_t t, struct routing_quote **q)
{
	struct routing_request r = *req;
	r.ready_at = t;
	*q = NULL;
	return cache ? routing_quote_cached(net, cache, &r, q) : routing_quote(net, &r, q);
}

/* Whether quote q keeps the class of h: OK within the cost cap, or (at risk at `from`) its
 * likeliest option no less likely than at `from`. */
static bool keeps(const struct routing_handover *h, const struct routing_quote *q)
{
	if (h->status == ROUTING_HANDOVER_OK)
		return q->status == ROUTING_OK && q->options[0].cost_minor <= h->cost_cap;
	return (q->status == ROUTING_OK || q->status == ROUTING_AT_RISK) &&
	       q->options[0].p_on_time >= h->p_from;
}

/* The whole minute at or before t. */
static int64_t from_minute(int64_t t)
{
	int64_t r = t % ROUTING_HANDOVER_STEP_S;
	return t - (r < 0 ? r + ROUTING_HANDOVER_STEP_S : r);
}

/* Whether the evaluation q of one itinerary keeps the class of h. */
static bool keeps_itinerary(const struct routing_handover *h, const struct routing_request *req,
                            const struct routing_quote *q)
{
	return (q->status == ROUTING_OK || q->status == ROUTING_AT_RISK) && q->n_options > 0 &&
	       (h->status == ROUTING_HANDOVER_OK
	            ? q->options[0].p_on_time >= req->target && q->options[0].cost_minor <= h->cost_cap
	            : q->options[0].p_on_time >= h->p_from);
}

/* Whether itinerary o (of an earlier quote: its leg ids are the network's) still keeps the
 * class of h for a parcel ready at t: routing_evaluate() of that one itinerary, far cheaper
 * than a quote. Returns 0 with *keep set, or -1 (memory). */
static int itinerary_keeps(const struct routing_network *net, const struct routing_request *req,
                           const struct routing_option *o, const struct routing_handover *h,
                           int64_t t, bool *keep)
{
	const char *ids[ROUTING_MAX_LEGS];
	struct routing_request r = *req;
	struct routing_quote *q = NULL;
	for (size_t i = 0; i < o->n_legs && i < ROUTING_MAX_LEGS; i++)
		ids[i] = o->legs[i].leg_id;
	r.ready_at = t;
	if (routing_evaluate(net, &r, ids, o->n_legs, &q) != 0)
		return -1;
	*keep = keeps_itinerary(h, req, q);
	routing_quote_free(q);
	return 0;
}

/* The search (see handover.h), over t(0) = from and t(k) = from's minute + k minutes. Rounds:
 * the itinerary the last quote selected is bisected alone (routing_evaluate) for the latest
 * t(k) at which it still keeps the class; then one quote at the next step decides whether any
 * other itinerary does (the predicate is monotone, so if none does the search is over) — if
 * one does, it is the next round's itinerary. The answer's route is its itinerary evaluated
 * at the answer (a quote with that one option). An itinerary's evaluation is the same
 * computation as in a quote (routing_evaluate and the search share the propagation), so the
 * answer equals a bisection by quotes alone (tests/unit/check_handover.c checks it against
 * quotes at every minute). */
int routing_handover_latest(const struct routing_network *net, struct routing_cache *cache,
                            const struct routing_request *req, int64_t until,
                            struct routing_handover *out)
{
	struct routing_quote *q = NULL, *best = NULL;
	memset(out, 0, sizeof *out);
	out->from = out->latest = req->ready_at;
	if (quote_at(net, cache, req, req->ready_at, &best) != 0)
		return -1;
	out->quotes = 1;
	if (best->status != ROUTING_OK && best->status != ROUTING_AT_RISK) {
		out->status = ROUTING_HANDOVER_NO_ROUTE;
		out->quote = best;
		return 0;
	}
	out->status = best->status == ROUTING_OK ? ROUTING_HANDOVER_OK : ROUTING_HANDOVER_AT_RISK;
	out->cost_cap = best->options[0].cost_minor;
	out->p_from = best->options[0].p_on_time;
	if (until > req->deadline)
		until = req->deadline;
	int64_t minute = from_minute(req->ready_at);
#define T_AT(k) ((k) == 0 ? req->ready_at : minute + (k) * ROUTING_HANDOVER_STEP_S)
	/* invariant: t(lo) keeps; no t(k) with k > hi does; best is the quote at t(best_k) */
	int64_t lo = 0, hi = until > minute ? (until - minute) / ROUTING_HANDOVER_STEP_S : 0;
	int64_t best_k = 0;
	bool keep;
	while (lo < hi) {
		/* this round's itinerary, alone */
		const struct routing_option *o = &best->options[0];
		int64_t a = lo, b = hi;
		while (a < b) {
			int64_t mid = a + (b - a + 1) / 2;
			if (itinerary_keeps(net, req, o, out, T_AT(mid), &keep) != 0)
				goto nomem;
			out->evaluations++;
			if (keep)
				a = mid;
			else
				b = mid - 1;
		}
		lo = a;
		if (lo == hi)
			break;
		/* another itinerary one step later? */
		if (quote_at(net, cache, req, T_AT(lo + 1), &q) != 0)
			goto nomem;
		out->quotes++;
		if (!keeps(out, q)) {
			routing_quote_free(q);
			q = NULL;
			hi = lo;
			break;
		}
		routing_quote_free(best);
		best = q;
		q = NULL;
		best_k = lo = lo + 1;
	}
	if (best_k != lo) { /* the answer's route: its itinerary evaluated at t(lo) */
		const char *ids[ROUTING_MAX_LEGS];
		const struct routing_option *o = &best->options[0];
		struct routing_request r = *req;
		for (size_t i = 0; i < o->n_legs && i < ROUTING_MAX_LEGS; i++)
			ids[i] = o->legs[i].leg_id;
		r.ready_at = T_AT(lo);
		if (routing_evaluate(net, &r, ids, o->n_legs, &q) != 0)
			goto nomem;
		out->evaluations++;
		if (!keeps_itinerary(out, req, q))
			abort(); /* the bisection found it keeping there: evaluation is deterministic */
		routing_quote_free(best);
		best = q;
		q = NULL;
	}
#undef T_AT
	out->latest = lo == 0 ? req->ready_at : minute + lo * ROUTING_HANDOVER_STEP_S;
	out->quote = best;
	return 0;
nomem:
	routing_quote_free(q);
	routing_quote_free(best);
	memset(out, 0, sizeof *out);
	return -1;
}

void routing_handover_clear(struct routing_handover *h)
{
	if (!h)
		return;
	routing_quote_free(h->quote);
	memset(h, 0, sizeof *h);
}

int routing_handover_choose(const struct routing_handover *const *c, size_t n)
{
	int64_t cheapest = -1;
	bool any_ok = false;
	for (size_t i = 0; i < n; i++)
		if (c[i]->status == ROUTING_HANDOVER_OK) {
			any_ok = true;
			if (cheapest < 0 || c[i]->cost_cap < cheapest)
				cheapest = c[i]->cost_cap;
		}
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		const struct routing_handover *h = c[i];
		if (h->status == ROUTING_HANDOVER_NO_ROUTE || (any_ok && h->status != ROUTING_HANDOVER_OK))
			continue;
		/* the class: cost ≤ cheapest × (1 + CLASS_BP / 10000), in integers */
		if (any_ok && h->cost_cap * 10000 > cheapest * (10000 + ROUTING_HANDOVER_CLASS_BP))
			continue;
		if (best < 0) {
			best = (int)i;
			continue;
		}
		const struct routing_handover *b = c[best];
		if (!any_ok && h->p_from != b->p_from) {
			if (h->p_from > b->p_from)
				best = (int)i;
			continue;
		}
		if (h->latest != b->latest) {
			if (h->latest > b->latest)
				best = (int)i;
			continue;
		}
		if (h->cost_cap < b->cost_cap)
			best = (int)i;
	}
	return best;
}
