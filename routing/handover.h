/* handover.h — the latest time a parcel may reach an origin (a JIT consolidation hub) and still
 * be routed to its buyer within the promise: a search over route quotes, and the choice among
 * the hubs a seller may use.
 *
 * Why a search is exact: a parcel ready later at the origin never departs earlier on any
 * itinerary (departures are taken first-come; order batches and cut-offs only move forward),
 * so each itinerary's p_on_time is a non-increasing function of the ready time, and so are
 * "some itinerary costing at most C meets the target" and "the likeliest itinerary has
 * p_on_time ≥ p". The set of ready times that keep the quote is therefore an interval
 * [from, latest], and its end can be found by bisection over `from` and the whole minutes
 * after it (departures, cut-offs and order cut-offs are whole minutes: the end is `from` or
 * a whole minute). The bisection runs on the selected itinerary alone (routing_evaluate, far
 * cheaper than a quote) and a quote one step past its end tells whether another itinerary
 * takes over (then it is bisected in turn): typically three or four quotes per search.
 *
 * What is kept (the "cost class"): at `from` the engine selects the cheapest itinerary that
 * meets the target, costing C. The hand-over deadline is the latest ready time at which an
 * itinerary costing no more than C still meets the target: a seller who hands over later than
 * that makes the platform pay for a dearer route, or break the promise. When nothing meets the
 * target even at `from` (the quote is at risk), the deadline is the latest ready time that
 * keeps the likeliest itinerary's p_on_time from falling.
 *
 * Choosing the hub: among the candidates that meet the target, those whose cost is within
 * ROUTING_HANDOVER_CLASS_BP of the cheapest are one cost class; the one among them with the
 * latest deadline wins (ties: cheaper, then the earlier candidate). Candidates at risk come
 * only when none meets the target: the likeliest, then the latest deadline.
 *
 * Pure and thread-safe like routing_quote(); with a cache, one cache per thread. */
#ifndef ROUTING_HANDOVER_H
#define ROUTING_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "routing/quote.h"

/* Hubs whose on-time cost is within this many basis points above the cheapest hub's are in
 * the same cost class (10%). */
#define ROUTING_HANDOVER_CLASS_BP 1000
/* The search's step: whole minutes. */
#define ROUTING_HANDOVER_STEP_S 60

enum routing_handover_status {
	ROUTING_HANDOVER_OK,       /* a route meets the target at `latest` */
	ROUTING_HANDOVER_AT_RISK,  /* none meets it even at `from`: the likeliest is kept */
	ROUTING_HANDOVER_NO_ROUTE, /* the quote at `from` is not OK/AT_RISK: see quote->detail */
};

/* One origin's search. `quote` is, for a parcel ready at `latest`, the selected itinerary
 * (options[0]; when `latest` is later than `from`, that itinerary's evaluation at `latest`, a
 * quote with that one option), or for NO_ROUTE the quote at `from`; owned:
 * routing_handover_clear(). */
struct routing_handover {
	enum routing_handover_status status;
	int64_t from;            /* the earliest ready time searched (the request's ready_at) */
	int64_t latest;          /* the hand-over deadline: ready at latest keeps the quote */
	int64_t cost_cap;        /* C: the selected cost at `from` */
	double p_from;           /* the selected p_on_time at `from` */
	int quotes;              /* quotes computed by the search */
	int evaluations;         /* single itineraries evaluated (routing_evaluate) */
	struct routing_quote *quote;
};

/* Searches the latest ready time in [req->ready_at, until] (until is clamped to
 * req->deadline) at which the quote keeps its cost class (see above), for req->origin.
 * cache may be NULL (routing_quote_cached's contract). Returns 0 with *out filled, or -1 when
 * memory ran out (*out cleared). */
int routing_handover_latest(const struct routing_network *net, struct routing_cache *cache,
                            const struct routing_request *req, int64_t until,
                            struct routing_handover *out) ROUTING_MUST_CHECK;

/* Frees what *h holds and zeroes it. NULL allowed. */
void routing_handover_clear(struct routing_handover *h);

/* The index of the best of n searched candidates (see "Choosing the hub"), or -1 when no
 * candidate has a route. */
int routing_handover_choose(const struct routing_handover *const *c, size_t n);

#endif
