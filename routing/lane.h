/* lane.h — private to routing/: what a quote's search needs that depends only on its lane
 * (origin, destination zone), kept across quotes in a routing_cache: the search's adjacency,
 * and the bounds memo — the hop-bounded lower bounds of quote.c's bounds() for the last few
 * parcel classes quoted on the lane.
 *
 * What the lower bounds depend on (the memo's key, compared exactly): the lane, max_legs,
 * which legs accept the parcel (per leg of the adjacency: accepted, too heavy, too large) and
 * the legs' costs. A leg's cost depends on the parcel only through its chargeable weight at
 * the leg's volumetric divisor, so the key holds the chargeable weight at each divisor the
 * network uses, not the parcel: parcels of the same class share an entry.
 *
 * Memory: lanes (their adjacency and up to RLANE_SLOTS memo entries each, (max_legs + 1) ×
 * nodes × 18 bytes plus the key) at most max_bytes in all, least recently used lane evicted
 * first; one that would not fit is built for its quote and not kept, an entry that would not
 * fit is not made (the quote computes its bounds).
 */
#ifndef ROUTING_LANE_H
#define ROUTING_LANE_H

#include "routing/network_int.h"
#include "routing/quote.h"

/* Memo entries per lane (least recently used replaced). */
#define RLANE_SLOTS 16

/* The legs a search may take from each node: into the destination or a non-zone node, not
 * back to the origin, not out of the destination; by from node, in out-leg order; refusing
 * legs included. adj[adj_first[v] .. adj_first[v] + adj_n[v]); adj_to[x]: where adj[x] leads
 * (a compact copy of the legs' `to`, for the search's inner loops). */
struct rlane_adj {
	uint32_t *adj;
	uint32_t *adj_to;
	uint32_t *adj_first, *adj_n;
	size_t n_adj;
};

/* The lower bounds of one quote (quote.c bounds()), [h · n_nodes + v] for h ≤ max_legs. */
struct rlane_bounds {
	int64_t *rem_time;
	int64_t *rem_cost;
	uint8_t *sreach;
	uint8_t *rreach;
};

struct rlanes;
struct rlane;

/* Fills a (adj and adj_to: n_legs entries, adj_first and adj_n: n_nodes, the caller's) for
 * the lane. */
void rlane_build_adj(const struct routing_network *net, uint32_t origin, uint32_t dest,
                     struct rlane_adj *a);

/* Lanes of net kept in at most max_bytes; NULL if memory ran out. */
struct rlanes *rlanes_new(const struct routing_network *net, size_t max_bytes);
void rlanes_free(struct rlanes *ls);

/*
 * The lane (origin, dest) with its adjacency in *a (valid until the next rlanes_lane()):
 * a kept one, or one made now. Returns NULL (a untouched) if memory ran out or the lane is
 * too large to keep: the caller builds the adjacency itself.
 */
struct rlane *rlanes_lane(struct rlanes *ls, uint32_t origin, uint32_t dest,
                          struct rlane_adj *a);

/*
 * The memo entry of lane for the parcel (chargeable weights from p) whose accept vector is
 * accept (per leg; read at the lane's legs) and max_legs: copies its bounds' pointers into
 * *b and returns true, or returns false (a miss; remember the key for rlanes_put()).
 */
bool rlanes_get(struct rlanes *ls, struct rlane *lane, const struct routing_parcel *p,
                const uint8_t *accept, int max_legs, struct rlane_bounds *b);

/* Keeps b (computed for the key of the last rlanes_get(), a miss, on this lane) in the
 * lane's least recently used slot, if memory allows. */
void rlanes_put(struct rlanes *ls, struct rlane *lane, const struct rlane_bounds *b);

/* Memo hits and misses so far. */
void rlanes_counts(const struct rlanes *ls, uint64_t *hits, uint64_t *misses);

#endif
