/* cache_int.h — private to routing/: how the quote (quote.c) finds, builds and keeps bound
 * tables in a routing_cache, and borrows its scratch arena. */
#ifndef ROUTING_CACHE_INT_H
#define ROUTING_CACHE_INT_H

#include "routing/bound_int.h"
#include "routing/cache.h"

/* Whether c was made for net. */
bool rcache_for(const struct routing_cache *c, const struct routing_network *net);

/*
 * The bound table for query bq (bq->start not ROUTING_NEVER_T): a kept one built for a start
 * no later than bq->start, or a new one built for a start one day earlier, kept unless larger
 * than the cache. *tmp receives a table the caller must rbound_free() after the quote (one
 * not kept), or stays zeroed. Returns the table, valid until the next call on c, or NULL if
 * memory ran out (*k0 then unset).
 * *k0 receives the quote's first departures (rbound_first_departures(), valid for the legs
 * the search may take, until the next call on c): the table's forward memo's when an earlier
 * quote's start gave the same origin-leg departures, else computed, into the memo or into
 * k0_buf (one per leg, the caller's) with fwork (rbound_work_size() bytes, the caller's).
 */
const struct rbound *rcache_bound(struct routing_cache *c, const struct rbound_query *bq,
                                  struct rbound *tmp, uint32_t *k0_buf, void *fwork,
                                  const uint32_t **k0);

/* The cache's lanes: adjacency and bounds memo (lane_int.h). */
struct rlanes *rcache_lanes(struct routing_cache *c);

/* The cache's answer memo (answer_int.h), or NULL when it is switched off. */
struct ranswers *rcache_answers(struct routing_cache *c);

/* The cache's scratch arena grown to at least n bytes (16-byte aligned), or NULL if memory
 * ran out. Valid until the next call; its content is not kept. */
void *rcache_scratch(struct routing_cache *c, size_t n);

/* The cache's reusable candidate vector i (0, 1): *v and *cap, handed back with
 * rcache_put_vec() after the quote. */
void rcache_take_vec(struct routing_cache *c, int i, void **v, size_t *cap);
void rcache_put_vec(struct routing_cache *c, int i, void *v, size_t cap);

#endif
