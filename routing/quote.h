/* quote.h — route and carrier selection: for one parcel, the itineraries from its origin to
 * its delivery zone, each with the exact distribution of its delivery time, and the cheapest
 * one that keeps the promise.
 *
 * The model (what the engine assumes; see also the conventions in network.h):
 *  1. Origin processing. The parcel joins the origin's first order batch whose cutoff ≥
 *     ready_at and starts processing at max(ready_at, open) (at ready_at when the origin has
 *     no batches); it is ready to tender after the origin's processing time.
 *  2. A parcel ready at r takes a leg's first departure d with d − cutoff ≥ r (a parcel
 *     ready exactly at the cut-off makes it). It arrives at d + transit. At a transfer node
 *     it is ready again min_connection_s later. Departures, transit times and processing
 *     times are independent.
 *  3. The last leg ends in the zone; its arrival is the delivery, moved to the start of the
 *     next delivery window if it falls outside every window.
 *  4. A parcel that finds no departure (or delivery window) in the horizon is "beyond the
 *     horizon": it is never on time and has no delivery time.
 *  5. p_on_time = P(delivery ≤ deadline). Distributions are propagated exactly: the mass that
 *     reaches a node in time for departure k takes departure k, the rest waits for a later
 *     one, then the leg's transit distribution is convolved in. No percentile arithmetic.
 *  6. Chargeable weight per leg = max(actual, L×W×H cm³ / vol_divisor kg), rounded up to the
 *     next 100 g; leg cost = fixed + per_kg × chargeable kg, rounded half to even to a
 *     minor unit (the code base's one rounding rule). A leg refuses a parcel heavier than its
 *     max weight or that does not fit its dimensions in any rotation.
 *  7. Selection: the cheapest itinerary with p_on_time ≥ target; ties by higher p_on_time,
 *     then fewer legs, then leg ids compared in order. If none meets the target: the highest
 *     p_on_time (ties: cheaper, fewer legs, leg ids) and the quote is at risk.
 *     An itinerary is dominated when another is no dearer and no less likely, and better in
 *     one; the selected itinerary is never dominated. The search (depth-first, cheapest
 *     bound first) prunes a partial itinerary when lower bounds on its cost and upper bounds
 *     on its p_on_time show that no completion can be the answer:
 *       - always: every completion is dominated by an itinerary already found;
 *       - unless all_options: once an itinerary meeting the target costs C, completions
 *         that cost more than C or cannot meet the target; and completions that cannot
 *         meet the target and are less likely than the likeliest itinerary found (or as
 *         likely and dearer than the cheapest such): neither on time nor the at-risk answer.
 *     The upper bound on a partial itinerary's p_on_time is the value of the best adaptive
 *     continuation (each next leg chosen after seeing the arrival time), computed per quote
 *     backward over the schedule from the deadline (routing/bound_int.h); it is exact for the
 *     last leg.
 *     The selection is the same either way. With all_options the options listed are exactly
 *     the non-dominated itineraries; without, the non-dominated ones among those evaluated
 *     (typically the selected one, cheaper ones that miss the target, and likelier dearer
 *     ones found before it). Itineraries are simple paths of at most max_legs legs.
 *  8. Deterministic: the same network and request give the same quote, bit for bit.
 *
 * Thread safety: routing_quote() only reads the network; call it from any number of threads.
 * routing_quote_cached() also writes its cache: one cache per thread (routing/cache.h).
 */
#ifndef ROUTING_QUOTE_H
#define ROUTING_QUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "routing/cache.h"
#include "routing/network.h"
#include "routing/parcel.h"

/* An instant that does not exist: the distribution has less mass than the quantile asked. */
#define ROUTING_NEVER INT64_MAX
/* Most options refused for weight or size that a quote lists. */
#define ROUTING_MAX_REJECTED 16

struct routing_request {
	const char *origin;          /* node code where the parcel is ready */
	int64_t ready_at;            /* UTC epoch seconds */
	const char *country;         /* destination, ISO 3166-1 alpha-2 */
	const char *postal_code;     /* may be NULL */
	struct routing_parcel parcel;
	int64_t deadline;            /* the promise: delivered ≤ deadline is on time (the
	                              * caller counts it in the zone's local days) */
	double target;               /* required P(on time), e.g. 0.95 */
	int max_legs;                /* 0 = ROUTING_MAX_LEGS; at most ROUTING_MAX_LEGS */
	bool all_options;            /* list every non-dominated itinerary (slower; see 7.) */
};

enum routing_status {
	ROUTING_OK,                  /* options[0] meets the target */
	ROUTING_AT_RISK,             /* options[0] is the most likely; it misses the target */
	ROUTING_UNKNOWN_ORIGIN,      /* no such node, or it is a zone */
	ROUTING_UNKNOWN_DESTINATION, /* no zone matches country and postal code */
	ROUTING_NO_ROUTE,            /* no itinerary reaches the zone within max_legs */
	ROUTING_PARCEL_REFUSED,      /* itineraries exist; every one refuses the parcel */
	ROUTING_BAD_REQUEST,         /* e.g. negative weight, target outside [0, 1] */
};

enum routing_reason {
	ROUTING_SELECTED,
	ROUTING_SLOWER_THAN_PROMISE, /* p_on_time below the target */
	ROUTING_MORE_EXPENSIVE,      /* meets the target, costs more than the selected one */
	ROUTING_DOMINATED,           /* equal cost, lost on p_on_time, legs or leg ids */
	ROUTING_TOO_HEAVY,           /* a leg refuses the parcel's weight */
	ROUTING_TOO_LARGE,           /* a leg refuses the parcel's dimensions */
};

/* One leg of an option. Strings are borrowed from the network. */
struct routing_leg_out {
	const char *leg_id;
	const char *carrier;
	const char *service;
	enum routing_mode mode;
	const char *from;
	const char *to;
	int64_t departure;           /* the most likely departure (earliest on ties) */
	double p_departure;          /* its probability */
	int64_t arrival_p50;         /* at `to` (the delivery on the last leg), or ROUTING_NEVER */
	int64_t arrival_p95;
	int64_t cost_minor;
	int32_t chargeable_g;
};

/* One itinerary. For refused options only legs, reason and refused_leg are meaningful:
 * their leg departures and times are ROUTING_NEVER/0 and no distribution is computed. */
struct routing_option {
	enum routing_reason reason;
	size_t n_legs;
	struct routing_leg_out *legs;
	int64_t cost_minor;
	double p_on_time;
	double p_beyond_horizon;     /* mass that found no departure or delivery window */
	int64_t delivery_p50;        /* or ROUTING_NEVER */
	int64_t delivery_p95;
	const char *refused_leg;     /* TOO_HEAVY / TOO_LARGE: the first leg that refuses */
};

/* A quote. options[0] is the selected option when status is OK or AT_RISK; then come the
 * other non-dominated options (by cost, then p_on_time descending, legs, leg ids), then up to
 * ROUTING_MAX_REJECTED refused ones. Owned by the caller: routing_quote_free(). Borrows the
 * network's strings: free the quote before the network. */
struct routing_quote {
	enum routing_status status;
	bool at_risk;
	const char *zone;            /* the destination zone's code, or NULL */
	int64_t deadline;
	double target;
	char currency[4];
	size_t n_options;
	struct routing_option *options;
	size_t n_refused;            /* refused options found (listed: at most the maximum) */
	size_t n_evaluated;          /* itineraries whose distribution was computed in full */
	char detail[160];            /* a sentence for the statuses that are not OK/AT_RISK */
};

/* Quotes the request on a finalized network. Returns 0 with *out set (look at its status),
 * or -1 if memory ran out or the network is not finalized (*out untouched). */
int routing_quote(const struct routing_network *net, const struct routing_request *req,
                  struct routing_quote **out) ROUTING_MUST_CHECK;

/* routing_quote() through a cache (routing/cache.h: bound tables with their forward memos,
 * lanes with their bounds memos) made for net: the same answer, bit for bit, usually faster
 * when quotes share their origin, destination zone and deadline, and faster still when they
 * also share a parcel class. cache NULL: as routing_quote(). Returns as routing_quote(), and
 * -1 if the cache was made for another network. Not thread-safe: one cache per thread. */
int routing_quote_cached(const struct routing_network *net, struct routing_cache *cache,
                         const struct routing_request *req, struct routing_quote **out)
	ROUTING_MUST_CHECK;

/* Evaluates one given itinerary (leg ids, in order, from the request's origin to its zone)
 * for the request, ignoring selection: a quote with one option (reason SELECTED) or a
 * status saying why not (ROUTING_NO_ROUTE if the legs do not chain from origin to zone,
 * ROUTING_PARCEL_REFUSED with the refused option). Returns as routing_quote(). */
int routing_evaluate(const struct routing_network *net, const struct routing_request *req,
                     const char *const *leg_ids, size_t n_legs, struct routing_quote **out)
	ROUTING_MUST_CHECK;

/* Frees a quote. NULL is allowed. */
void routing_quote_free(struct routing_quote *q);

/* Names for the API: "selected", "slower_than_promise", "more_expensive", "dominated",
 * "too_heavy", "too_large"; "ok", "at_risk", "unknown_origin", ... */
const char *routing_reason_name(enum routing_reason r);
const char *routing_status_name(enum routing_status s);

#endif
