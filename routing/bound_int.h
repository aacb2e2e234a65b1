/* bound_int.h — private to routing/: per-quote upper bounds on the on-time probability of a
 * partial itinerary, from a backward pass over the schedule from the deadline.
 *
 * The bound is the value of the best *adaptive* continuation: a parcel that could choose its
 * next leg after seeing when it arrived. For a leg l, a departure k of l and h ≥ 1,
 *   W_h(l, k) = P(on time | the parcel takes departure k of l, then at most h − 1 more legs
 *               chosen adaptively)
 *   G_h(v, a) = max over legs m out of v of W_h(m, first departure of m reachable after
 *               arriving at v at a)
 *   W_h(l, k) = E[G_{h−1}(to, dep_k + transit)]            (to ≠ destination)
 *   W_1(l, k) = P(delivered by the deadline | departure k)  (to = destination)
 * Every fixed continuation is one adaptive policy, so for a partial itinerary ending with l,
 * whose departures of l are distributed as D, every completion of at most h − 1 more legs
 * has P(on time) ≤ Σ_k D(k) · W_h(l, k). The bound is exact for the last leg. It ignores
 * the simple-path rule (a relaxation) and is computed only where the search can use it:
 * departures a parcel can reach (a forward pass of earliest times) that can still arrive by
 * the deadline, and legs from nodes the search can reach at the matching depth.
 *
 * Everything is allocated by rbound_build() and freed by rbound_free().
 *
 * Reuse across quotes (routing/cache.c): the values W_h(l, k) at the departures a parcel can
 * take do not depend on the start, only on which departures are computed. A table built for
 * an earlier start (at the same origin, destination, deadline, hop limit and refusing legs)
 * holds the same values, bit for bit, at every departure a later start can reach: the steps
 * of G_h(v) at or after the earliest ready time at v are built from the same entries, and
 * every value is read only there. The extra, earlier departures are what the readers skip:
 * rbound_partial() and rbound_leg_max() take the quote's own first departures (k0, from
 * rbound_first_departures()) and use the suffix maxima `sm` for the maximum over k0 .. end.
 * Where the earlier start reaches a node the later one cannot, the search carries a bound of
 * exactly 0 there (no mass arrives), which every later bound is clamped to.
 */
#ifndef ROUTING_BOUND_INT_H
#define ROUTING_BOUND_INT_H

#include "routing/propagate_int.h"

/* What the bounds depend on: one quote's origin, destination, start, deadline, hop limit and
 * the legs that accept its parcel. */
struct rbound_query {
	uint32_t origin, dest;
	int64_t start;             /* processing start at the origin, or ROUTING_NEVER_T */
	int64_t deadline;
	int max_legs;
	const uint8_t *refused;    /* per leg: nonzero if the leg refuses the parcel */
	const uint32_t *adj;       /* the legs the search may take from each node (into the
	                            * destination or a non-zone node, not back to the origin),
	                            * refusing ones included: adj[adj_first[v] ..][.. adj_n[v]] */
	const uint32_t *adj_first, *adj_n;
};

struct rbound {
	int levels;                /* W_h exists for h = 1 .. levels */
	size_t n_legs;
	uint32_t *k0;              /* per leg: first departure any parcel can take */
	uint32_t *kn;              /* per leg: departures k0 .. k0 + kn − 1 have values */
	uint32_t *off;             /* [(h − 1) · n_legs + l]: offset into w, or RBOUND_NONE
	                            * (no bound: 1) or RBOUND_ZERO (every value is 0) */
	double *w;                 /* W_h(l, k0 + i) at off + i; their maximum at off − 1 */
	double *sm;                /* at off + i: max(0, W_h(l, k0 + i .. k0 + kn − 1)) */
	void *block;               /* off, k0, kn */
	size_t bytes;              /* memory held by the table */
};

#define RBOUND_NONE UINT32_MAX
#define RBOUND_ZERO (UINT32_MAX - 1)

/* Computes the bounds for one quote. Returns 0, or -1 if memory ran out (b is then empty
 * and every bound is 1). */
int rbound_build(struct rbound *b, const struct routing_network *net,
                 const struct rbound_query *q) ROUTING_MUST_CHECK;

/* Bytes of work memory rbound_first_departures() needs on this network. */
size_t rbound_work_size(const struct routing_network *net);

/* The forward pass alone: writes to k0[l], for every leg the search may take, the first
 * departure any parcel of the query can take (n_dep if none). work: rbound_work_size()
 * bytes, the caller's, 8-byte aligned. q->start must not be ROUTING_NEVER_T. */
void rbound_first_departures(const struct routing_network *net, const struct rbound_query *q,
                             uint32_t *k0, void *work);

/* The first departure a parcel of the query can take on each leg out of the origin that the
 * search may take, in adj order: ks[i] = the first departure of the i-th such leg at or after
 * the processing start plus the shortest processing and its cut-off (n_dep if none). Returns
 * how many (at most net->max_out). q->start must not be ROUTING_NEVER_T.
 * The forward pass depends on the start only through these: no leg leads back to the origin,
 * so every other node's earliest ready time comes from the departures they pick. Two queries
 * that differ only in their starts and give the same ks get the same k0 from
 * rbound_first_departures() (the cache's forward memo rests on this). */
size_t rbound_origin_departures(const struct routing_network *net, const struct rbound_query *q,
                                uint32_t *ks);

/* Upper bound on P(on time) of every completion of a partial itinerary whose last leg is
 * `leg`, with departure distribution d over it, allowed h legs counting `leg` (h ≥ 1). k0:
 * the quote's first departures (b->k0 when b was built for the quote's own start; else from
 * rbound_first_departures(), and b built for a start no later). Not widened for rounding:
 * the caller adds its slack. */
double rbound_partial(const struct rbound *b, const uint32_t *k0, uint32_t leg, int h,
                      const struct rdep *d);

/* Upper bound on rbound_partial(b, k0, leg, h, d) for any d a parcel can have. */
double rbound_leg_max(const struct rbound *b, const uint32_t *k0, uint32_t leg, int h);

/* Frees what rbound_build() allocated. A zeroed rbound may be freed too. */
void rbound_free(struct rbound *b);

#endif
