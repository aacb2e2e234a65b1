/* lane_int.h — private to routing/: what a quote's search needs that depends only on its lane
 * (origin, destination zone), kept across quotes in a routing_cache: the search's adjacency,
 * its start phases, and the bounds memo — the hop-bounded lower bounds of the search
 * (search_int.h: rsearch_lower_bounds()) for the last few parcel classes quoted on the lane.
 *
 * What the lower bounds depend on (the memo's key, compared exactly): the lane, max_legs,
 * which legs accept the parcel (per leg of the adjacency: accepted, too heavy, too large) and
 * the legs' costs. A leg's cost depends on the parcel only through its chargeable weight at
 * the leg's volumetric divisor, so the key holds the chargeable weight at each divisor the
 * network uses, not the parcel: parcels of the same class share an entry.
 *
 * The parcel class (the memo's key without the lane) is also part of the answer memo's key
 * (answer_int.h): rlanes_set_class() computes it, rlanes_class() shows it.
 *
 * Start phases and segments (for the answer memo, answer_int.h). A quote depends on its
 * processing start s only through the first leg's propagation from s (propagate.c spread():
 * kmin, kmax and every step compare dep[k] − cutoff − s with multiples of res, that is
 * through q_k = floor((dep[k] − cutoff − s) / res)) and the first departures of the legs out
 * of the origin (bound_int.h, the forward pass: dep[k] ≥ s + min_bin · res + cutoff, again
 * q_k ≥ min_bin). Every q_k, over the departures of every leg of the adjacency out of the
 * origin, is constant for s in a right-closed interval (P − res, P] between consecutive
 * points P ≡ dep[k] − cutoff (mod res); the lane's start phases are these residues,
 * (dep − cutoff) mod res, sorted and distinct. Starts in one segment (the same next phase point at or after
 * them) get the same answer, bit for bit: rlanes_segment() names the segment by that point.
 *
 * Memory: lanes (their adjacency, start phases — 4 bytes per distinct phase, at most res —
 * and up to RLANE_SLOTS memo entries each, (max_legs + 1) × nodes × 18 bytes plus the key)
 * at most max_bytes in all, least recently used lane evicted first; one that would not fit
 * is built for its quote and not kept, an entry that would not fit is not made (the quote
 * computes its bounds).
 */
#ifndef ROUTING_LANE_INT_H
#define ROUTING_LANE_INT_H

#include "routing/network_int.h"
#include "routing/parcel.h"

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

/* The lower bounds of one quote (rsearch_lower_bounds()), [h · n_nodes + v] for h ≤ max_legs. */
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

/* A parcel class on a lane, as compared by the memos: g[n_g] the chargeable weight at each
 * volumetric divisor of the network, acc[n_acc] what each leg of the lane's adjacency does
 * with the parcel (RPARCEL_ACCEPT, _REFUSE_HEAVY or _REFUSE_LARGE: parcel_int.h), max_legs;
 * hash: a hash of them. Borrowed from the rlanes. */
struct rlane_class {
	uint64_t hash;
	int max_legs;
	const int64_t *g;
	size_t n_g;
	const uint8_t *acc;
	size_t n_acc;
};

/* Sets the current parcel class: the parcel p (its chargeable weights) whose accept vector
 * is accept (per leg; read at the lane's legs), with max_legs. The key of the next
 * rlanes_get() and rlanes_put() on lane, shown by rlanes_class(). */
void rlanes_set_class(struct rlanes *ls, const struct rlane *lane, const struct routing_parcel *p,
                      const uint8_t *accept, int max_legs);

/* The current class (valid until the next rlanes_set_class()). */
void rlanes_class(const struct rlanes *ls, const struct rlane *lane, struct rlane_class *k);

/* The memo entry of lane for the current class: copies its bounds' pointers into *b and
 * returns true, or returns false (a miss). */
bool rlanes_get(struct rlanes *ls, struct rlane *lane, struct rlane_bounds *b);

/* Keeps b (computed for the current class, a miss of rlanes_get(), on this lane) in the
 * lane's least recently used slot, if memory allows. */
void rlanes_put(struct rlanes *ls, struct rlane *lane, const struct rlane_bounds *b);

/* The start segment of processing start `start` (not ROUTING_NEVER_T) on lane: *end = the
 * smallest point ≥ start congruent mod res to one of the lane's start phases, or 0 when the
 * origin has no departures (one segment). Two starts with the same *end get the same
 * answer. Returns false (no segment: do not memoise) for |start| > 2^62. */
bool rlanes_segment(const struct rlanes *ls, const struct rlane *lane, int64_t start,
                    int64_t *end);

/* Memo hits and misses so far. */
void rlanes_counts(const struct rlanes *ls, uint64_t *hits, uint64_t *misses);

#endif
