/* quote.c — the quote's entry points: checking the request, running the search (through the
 * cache and its answer memo when given one), finishing the quote with its status; one given
 * itinerary evaluated; names for the API. */
#include "routing/quote.h"
#include "routing/answer_int.h"
#include "routing/cache_int.h"
#include "routing/search_int.h"
#include "routing/zone_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Validates the request, resolves origin and zone into s and q. Returns 1 when the quote may
 * proceed, 0 when q's status already says why not.
 */
static int begin(struct rsearch *s, const struct routing_network *net,
                 const struct routing_request *req, struct routing_quote *q)
{
	memset(s, 0, sizeof *s);
	s->net = net;
	s->req = req;
	s->max_legs = req->max_legs == 0 ? ROUTING_MAX_LEGS : req->max_legs;
	s->best_feasible = RCOST_INF;
	s->best_p = -1.0;
	s->best_p_cost = RCOST_INF;
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
static int open_quote(struct rsearch *s, const struct routing_network *net,
                      const struct routing_request *req, struct routing_quote **q)
{
	*q = NULL;
	if (net == NULL || !net->finalized || req == NULL || (*q = calloc(1, sizeof **q)) == NULL)
		return -1;
	return begin(s, net, req, *q);
}

/* Status of a quote that found no accepted itinerary. */
static void no_route(const struct rsearch *s, struct routing_quote *q)
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
static int finish(struct rsearch *s, const struct routing_request *req, struct routing_quote *q)
{
	if (s->oom || roptions_assemble(s, q) < 0)
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
 * The answer memo's key of the quote (answer_int.h) on a kept lane whose current parcel class is
 * the quote's (rlanes_set_class()). Returns false when the start has no segment (too far
 * from the epoch): the quote is not memoised.
 */
static bool answer_key(const struct rsearch *s, struct rlanes *ls, const struct rlane *lane,
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
 * (read through the quote's own first departures, see bound_int.h), and a request with the key
 * of a kept answer gets a copy of it (answer_int.h); without, everything is allocated and freed
 * here. The answer is the same either way.
 */
static int quote_run(const struct routing_network *net, struct routing_cache *cache,
                     const struct routing_request *req, struct routing_quote **out)
{
	struct rsearch s;
	struct routing_quote *q;
	int opened = open_quote(&s, net, req, &q);
	if (opened < 0)
		return -1;
	void *block = NULL;
	int rc = -1;
	if (opened == 0)
		goto ok;
	if (cache != NULL) {
		char *scratch = rcache_scratch(cache, rsearch_size(&s, true));
		if (scratch == NULL)
			goto done;
		rsearch_layout(&s, scratch, true);
		rcache_take_vec(cache, 0, (void **)&s.archive.v, &s.archive.cap);
		rcache_take_vec(cache, 1, (void **)&s.refused.v, &s.refused.cap);
	} else if ((block = rsearch_alloc(&s)) == NULL) {
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
	rparcel_price_legs(net, &req->parcel, s.adj, s.n_adj, s.accept, s.cost, s.charge_g);
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
		rsearch_lower_bounds(&s, &lb);
		if (lane != NULL)
			rlanes_put(rcache_lanes(cache), lane, &lb);
	}
	s.rem_time = lb.rem_time;
	s.rem_cost = lb.rem_cost;
	s.sreach = lb.sreach;
	s.rreach = lb.rreach;
	s.visited[s.origin] = 1;
	if (s.rem_time[(size_t)s.max_legs * net->n_nodes + s.origin] != RSEARCH_INF_T) {
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
		rsearch_itineraries(&s);
	}
	if (s.sreach[(size_t)s.max_legs * net->n_nodes + s.origin]) {
		bool any_refused = false;
		for (size_t i = 0; i < s.n_adj && !any_refused; i++)
			any_refused = s.accept[s.adj[i]] != RPARCEL_ACCEPT;
		if (any_refused)
			rsearch_refused(&s);
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
	struct rsearch s;
	struct routing_quote *q;
	int opened = open_quote(&s, net, req, &q);
	if (opened < 0)
		return -1;
	void *block = NULL;
	int rc = -1;
	if (opened == 0)
		goto ok;
	block = rsearch_alloc(&s);
	if (block == NULL)
		goto done;
	struct rcand c = { .n = (int)n_legs, .refused_at = -1 };
	uint32_t at = s.origin;
	bool chain = n_legs >= 1 && n_legs <= ROUTING_MAX_LEGS;
	for (size_t i = 0; chain && i < n_legs; i++) {
		long li = -1;
		/* ids from an earlier quote are the network's own strings: compare pointers first */
		for (size_t j = 0; j < net->n_legs && li < 0; j++)
			if (net->legs[j].id == leg_ids[i])
				li = (long)j;
		for (size_t j = 0; j < net->n_legs && li < 0; j++)
			if (strcmp(net->legs[j].id, leg_ids[i]) == 0)
				li = (long)j;
		if (li < 0 || net->legs[li].from != at) {
			chain = false;
			break;
		}
		c.legs[i] = (uint32_t)li;
		at = net->legs[li].to;
	}
	/* only the itinerary's legs are priced */
	if (chain)
		rparcel_price_legs(net, &req->parcel, c.legs, n_legs, s.accept, s.cost, s.charge_g);
	for (size_t i = 0; chain && i < n_legs; i++) {
		uint32_t li = c.legs[i];
		if (c.refused_at < 0 && s.accept[li] != RPARCEL_ACCEPT) {
			c.refused_at = (int)i;
			c.refused = s.accept[li];
		}
		c.cost = rcost_add(c.cost, s.cost[li]);
	}
	if (!chain || at != s.dest) {
		q->status = ROUTING_NO_ROUTE;
		snprintf(q->detail, sizeof q->detail, "the legs do not lead from %.40s to %.40s",
		         net->nodes[s.origin].code, q->zone);
		goto ok;
	}
	if (c.refused_at >= 0) {
		rsearch_push(&s, &s.refused, &c);
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
		rsearch_push(&s, &s.archive, &c);
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
