/* handover.c — the latest hand-over time at an origin that keeps a quote's cost class, by
 * bisection over whole minutes, and the choice among hubs (handover.h). */
#include "routing/handover.h"

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
	/* the candidates: t(0) = from, t(k) = from's minute + k minutes (whole minutes after it);
	 * invariant: t(lo) keeps (best is its quote), no t(k) with k > hi does */
	int64_t minute = from_minute(req->ready_at);
	int64_t lo = 0, hi = until > minute ? (until - minute) / ROUTING_HANDOVER_STEP_S : 0;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo + 1) / 2;
		if (quote_at(net, cache, req, minute + mid * ROUTING_HANDOVER_STEP_S, &q) != 0) {
			routing_quote_free(best);
			memset(out, 0, sizeof *out);
			return -1;
		}
		out->quotes++;
		if (keeps(out, q)) {
			lo = mid;
			routing_quote_free(best);
			best = q;
		} else {
			hi = mid - 1;
			routing_quote_free(q);
		}
		q = NULL;
	}
	out->latest = lo == 0 ? req->ready_at : minute + lo * ROUTING_HANDOVER_STEP_S;
	out->quote = best;
	return 0;
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
