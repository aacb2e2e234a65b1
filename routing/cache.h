/* cache.h — a per-thread cache of the route engine's per-quote bound tables, so that quotes
 * that share a destination, a promise deadline and an origin (most real traffic: the deadline
 * is the end of the N-th day in the destination's zone) build them once.
 *
 * Use: one cache per network and per thread (not thread-safe: it is written by every quote;
 * wmsd keeps one per quoting thread of each loaded network; caches share nothing, so threads
 * with their own caches may quote on one network at once). Quote with routing_quote_cached()
 * (quote.h), which answers exactly what routing_quote() answers, bit for bit. Free the cache
 * before its network, and make a new one when the network is replaced.
 *
 * What a table depends on (its key): origin, destination zone, deadline, max_legs and the set
 * of legs that refuse the parcel (weight/size). It also depends on the processing start
 * (from ready_at), but only through where it starts: a table built for an earlier start
 * serves every later one (bound_int.h), so an entry is built for a start a day before the
 * quote's and rebuilt only for a quote that starts earlier still. Not on the target, the
 * parcel's cost or all_options.
 *
 * Forward memo: each table also keeps the first departures a parcel can take on every leg
 * (the forward pass, bound_int.h) for the last 4 distinct starts of its quotes. They depend on
 * the start only through the first departure of each leg out of the origin, which quotes
 * minutes apart share: a quote whose origin legs' first departures match a slot reuses it.
 *
 * Lanes (routing/lane_int.h): per (origin, destination zone), the search's adjacency, and the
 * bounds memo: the hop-bounded lower bounds on time and cost of the last 16 parcel classes
 * quoted on the lane (a class: max_legs, the chargeable weight at each volumetric divisor and
 * which legs refuse the parcel), so quotes of the same class skip computing them.
 *
 * Answer memo (routing/answer_int.h): whole answers, by lane, parcel class, deadline, target,
 * all_options and the segment of the processing start. A quote depends on its start only
 * through which first-leg departure (and transit grid step) each processing bin reaches:
 * that changes only where start crosses a point dep − cutoff − i · res of a departure out of
 * the origin, so all starts between two such points (lane_int.h: start phases) have one answer,
 * kept and copied out for every later quote of the same key. Real traffic asks the same
 * lane and parcel class again within minutes: most such quotes are copies.
 *
 * Memory: at most max_bytes of tables with their forward memos (4 × (legs + origin legs) ×
 * 4 bytes each; least recently used evicted first), plus at most max_bytes / 4 of lanes
 * (least recently used evicted first), plus at most max_bytes / 4 of kept answers (each a
 * header of ~0.3 KB, its options and legs, ~0.1 KB per leg, and its key, ~30 bytes plus one
 * per lane leg; least recently used evicted first), plus a scratch arena for the quote's
 * working arrays, reused across quotes (its size depends only on the network). A table,
 * lane or answer larger than its budget is used for its quote and not kept; a memo that
 * would not fit is not made. In all at most 1.5 × max_bytes and the arena.
 */
#ifndef ROUTING_CACHE_H
#define ROUTING_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "routing/network.h"

struct routing_cache;

/* What a cache did so far (for logs and benchmarks). */
struct routing_cache_stats {
	uint64_t hits;               /* quotes that reused a table */
	uint64_t misses;             /* quotes that built one (not found) */
	uint64_t rebuilds;           /* found, but built for a later start: rebuilt */
	uint64_t evictions;
	uint64_t forward_hits;       /* quotes whose first departures came from the forward memo */
	uint64_t forward_runs;       /* quotes that ran the forward pass */
	uint64_t bounds_hits;        /* quotes whose lower bounds came from the bounds memo */
	uint64_t bounds_misses;      /* quotes that looked there and computed them */
	uint64_t answer_hits;        /* quotes answered from the answer memo */
	uint64_t answer_misses;      /* quotes that looked there and were computed */
	size_t entries;
	size_t bytes;                /* held by tables */
};

/* A cache for quotes on net (finalized), keeping at most max_bytes of tables (0: a default of
 * 64 MiB). Returns NULL if memory ran out. Owned by the caller: routing_cache_free(). The
 * cache borrows net: free it first. */
struct routing_cache *routing_cache_new(const struct routing_network *net, size_t max_bytes);

/* Frees the cache and every table. NULL is allowed. */
void routing_cache_free(struct routing_cache *c);

/* Switches the answer memo on (the default) or off (every answer computed; for measuring
 * the engine). The answers are the same either way. */
void routing_cache_set_answer_memo(struct routing_cache *c, bool on);

/* Copies the counters into *out. */
void routing_cache_stats(const struct routing_cache *c, struct routing_cache_stats *out);

#endif
