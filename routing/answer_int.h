/* answer_int.h — private to routing/: the answer memo of a routing_cache, whole quote answers
 * kept by everything they depend on, so that a request that provably has the answer of an
 * earlier one gets a copy of it instead of a search.
 *
 * The key (compared exactly, byte for byte): the lane (origin, destination zone), the
 * parcel class (lane_int.h: max_legs, chargeable weight at each volumetric divisor, accept per
 * lane leg), the deadline, the target's bits, all_options, and the processing start's
 * segment (lane_int.h rlanes_segment(); a start of ROUTING_NEVER_T is a segment of its own).
 * A quote depends on the request through nothing else: origin and postal code only through
 * the lane, the parcel only through its class (costs and chargeable weights are functions
 * of it), ready_at only through the start, and the start only through its segment.
 *
 * Entries hold a deep copy of the quote (its options and their legs in one block; strings
 * stay borrowed from the network, which outlives the cache). Memory: at most max_bytes of
 * entries (each sizeof header + options + legs + key bytes) and hash buckets, least recently
 * used evicted first; an answer larger than that is not kept, and out of memory the quote is
 * computed (a miss) or not kept.
 */
#ifndef ROUTING_ANSWER_INT_H
#define ROUTING_ANSWER_INT_H

#include "routing/lane_int.h"
#include "routing/quote.h"

/* What an answer depends on. */
struct ranswer_key {
	uint32_t origin, dest;
	int64_t deadline;
	double target;               /* compared by its bits */
	bool all_options;
	bool never;                  /* the start is ROUTING_NEVER_T (seg_end unused) */
	int64_t seg_end;             /* rlanes_segment() of the start */
	struct rlane_class cls;      /* the parcel class with max_legs */
};

struct ranswers;

/* A memo of at most max_bytes; NULL if memory ran out. Free with ranswers_free(). */
struct ranswers *ranswers_new(size_t max_bytes);
void ranswers_free(struct ranswers *m);

/*
 * Looks key up. A hit: fills *q with a copy of the kept answer (q->options newly allocated,
 * the caller's, freed by routing_quote_free(); q's other fields overwritten) and returns
 * true. A miss (or no memory for the copy): returns false, q untouched; the key is kept for
 * ranswers_put().
 */
bool ranswers_get(struct ranswers *m, const struct ranswer_key *key, struct routing_quote *q);

/* Keeps a copy of q, the answer for the key of the last ranswers_get() (a miss), if it fits
 * and memory allows. */
void ranswers_put(struct ranswers *m, const struct routing_quote *q);

/* Hits and misses so far. */
void ranswers_counts(const struct ranswers *m, uint64_t *hits, uint64_t *misses);

#endif
