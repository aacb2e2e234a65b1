/* cache.c — bound tables kept across quotes: a hash table on (origin, destination, deadline,
 * max_legs, refusing legs) with least-recently-used eviction under a byte budget, each table
 * with the forward memo (the first departures of its last few quotes' starts), the lanes and
 * the answer memo it owns, and the scratch memory quotes borrow (see cache.h). */
#include "routing/answer_int.h"
#include "routing/cache_int.h"
#include "routing/lane_int.h"
#include "routing/lru_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_BYTES ((size_t)64 << 20)
/* A new table is built for a start this much earlier than its quote's, so that the quotes
 * of the same day that start earlier reuse it too (bound_int.h: the values are the same). */
#define START_SLACK_S 86400
/* Forward memo slots per table: the first departures (k0) of this many distinct starts, the
 * least recently used replaced. A day has a few distinct ones per origin (bound_int.h). */
#define FM_SLOTS 4

struct centry {
	struct centry *hnext;        /* hash chain */
	struct rlru_link lru;        /* recency list, most recent first */
	uint64_t hash;
	uint32_t origin, dest;
	int64_t deadline;
	int max_legs;
	int64_t start;               /* the table was built for this start */
	size_t bytes;
	struct rbound t;
	/* forward memo, allocated on first use: slot i holds n_ks origin-leg first departures
	 * at fm + i * (n_ks + n_legs) (rbound_origin_departures()), then the k0 per leg they
	 * give (rbound_first_departures()); fm_used[i]: when last used, 0 = empty */
	uint32_t *fm;
	uint32_t n_ks;
	uint64_t fm_used[FM_SLOTS];
	uint64_t refused[];          /* bit per leg: one the search may take that refuses */
};

struct routing_cache {
	const struct routing_network *net;
	size_t max_bytes, bytes, n_words;
	struct centry **bucket;
	size_t n_bucket, n_entries;
	struct rlru lru;
	uint64_t *key;               /* the refusing legs of the quote being looked up */
	uint32_t *ks;                /* its origin legs' first departures, max_out */
	uint64_t tick;               /* quotes looked up so far: the forward memo's clock */
	struct rlanes *lanes;        /* adjacency and bounds memo per lane (lane_int.h) */
	struct ranswers *answers;    /* the answer memo (answer_int.h) */
	bool answers_off;            /* routing_cache_set_answer_memo(c, false) */
	void *scratch;
	size_t scratch_n;
	void *vec[2];
	size_t vec_cap[2];
	struct routing_cache_stats st;
};

struct routing_cache *routing_cache_new(const struct routing_network *net, size_t max_bytes)
{
	if (net == NULL)
		return NULL;
	struct routing_cache *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->net = net;
	c->max_bytes = max_bytes ? max_bytes : DEFAULT_MAX_BYTES;
	c->n_words = (routing_network_leg_count(net) + 63) / 64;
	c->n_bucket = 64;
	c->bucket = calloc(c->n_bucket, sizeof *c->bucket);
	c->key = calloc(c->n_words + 1, sizeof *c->key);
	c->ks = calloc(net->max_out + 1, sizeof *c->ks);
	c->lanes = rlanes_new(net, c->max_bytes / 4);
	c->answers = ranswers_new(c->max_bytes / 4);
	if (c->bucket == NULL || c->key == NULL || c->ks == NULL || c->lanes == NULL ||
	    c->answers == NULL) {
		routing_cache_free(c);
		return NULL;
	}
	return c;
}

static void entry_free(struct centry *e)
{
	rbound_free(&e->t);
	free(e->fm);
	free(e);
}

void routing_cache_free(struct routing_cache *c)
{
	if (c == NULL)
		return;
	for (struct rlru_link *x = c->lru.head, *n; x != NULL; x = n) {
		n = x->next;
		entry_free(RLRU_OF(x, struct centry, lru));
	}
	free(c->bucket);
	free(c->key);
	free(c->ks);
	rlanes_free(c->lanes);
	ranswers_free(c->answers);
	free(c->scratch);
	free(c->vec[0]);
	free(c->vec[1]);
	free(c);
}

void routing_cache_stats(const struct routing_cache *c, struct routing_cache_stats *out)
{
	*out = c->st;
	rlanes_counts(c->lanes, &out->bounds_hits, &out->bounds_misses);
	ranswers_counts(c->answers, &out->answer_hits, &out->answer_misses);
	out->entries = c->n_entries;
	out->bytes = c->bytes;
}

bool rcache_for(const struct routing_cache *c, const struct routing_network *net)
{
	return c->net == net;
}

struct rlanes *rcache_lanes(struct routing_cache *c)
{
	return c->lanes;
}

struct ranswers *rcache_answers(struct routing_cache *c)
{
	return c->answers_off ? NULL : c->answers;
}

void routing_cache_set_answer_memo(struct routing_cache *c, bool on)
{
	c->answers_off = !on;
}

void *rcache_scratch(struct routing_cache *c, size_t n)
{
	if (n > c->scratch_n) {
		free(c->scratch);
		c->scratch = aligned_alloc(16, (n + 15) / 16 * 16);
		c->scratch_n = c->scratch ? n : 0;
	}
	return c->scratch;
}

void rcache_take_vec(struct routing_cache *c, int i, void **v, size_t *cap)
{
	*v = c->vec[i];
	*cap = c->vec_cap[i];
	c->vec[i] = NULL;
	c->vec_cap[i] = 0;
}

void rcache_put_vec(struct routing_cache *c, int i, void *v, size_t cap)
{
	if (v == NULL)
		return; /* not taken, or never grown */
	free(c->vec[i]);
	c->vec[i] = v;
	c->vec_cap[i] = cap;
}

/* Removes e from the table and the recency list and frees it. */
static void drop(struct routing_cache *c, struct centry *e)
{
	struct centry **p = &c->bucket[e->hash & (c->n_bucket - 1)];
	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	rlru_unlink(&c->lru, &e->lru);
	c->bytes -= e->bytes;
	c->n_entries--;
	entry_free(e);
}

/* Evicts the least recently used entries, never keep, until the tables fit the budget. */
static void evict(struct routing_cache *c, const struct centry *keep)
{
	while (c->bytes > c->max_bytes && c->lru.tail != NULL && c->lru.tail != &keep->lru) {
		drop(c, RLRU_OF(c->lru.tail, struct centry, lru));
		c->st.evictions++;
	}
}

/* Doubles the bucket array when the table is full; keeps the old one if memory ran out. */
static void grow(struct routing_cache *c)
{
	if (c->n_entries < c->n_bucket)
		return;
	size_t nb = c->n_bucket * 2;
	struct centry **b = calloc(nb, sizeof *b);
	if (b == NULL)
		return;
	for (size_t i = 0; i < c->n_bucket; i++)
		for (struct centry *e = c->bucket[i], *n; e != NULL; e = n) {
			n = e->hnext;
			e->hnext = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
		}
	free(c->bucket);
	c->bucket = b;
	c->n_bucket = nb;
}

/* Bytes of a forward memo of n_ks origin legs. */
static size_t fm_bytes(const struct routing_cache *c, uint32_t n_ks)
{
	return FM_SLOTS * ((size_t)n_ks + c->net->n_legs) * sizeof(uint32_t);
}

/*
 * The quote's first departures (bound_int.h): from a slot of e's forward memo whose origin-leg
 * departures are the quote's (c->ks, n of them), else computed by the forward pass into the
 * least recently used slot, or into k0_buf when e is NULL or no memory is left for a memo.
 */
static const uint32_t *first_departures(struct routing_cache *c, struct centry *e,
                                        const struct rbound_query *bq, uint32_t *k0_buf,
                                        void *fwork)
{
	const struct routing_network *net = c->net;
	size_t n = rbound_origin_departures(net, bq, c->ks);
	if (e != NULL && e->fm == NULL && e->bytes + fm_bytes(c, (uint32_t)n) <= c->max_bytes &&
	    (e->fm = malloc(fm_bytes(c, (uint32_t)n))) != NULL) {
		e->n_ks = (uint32_t)n;
		e->bytes += fm_bytes(c, e->n_ks);
		c->bytes += fm_bytes(c, e->n_ks);
		memset(e->fm_used, 0, sizeof e->fm_used);
		evict(c, e);
	}
	c->st.forward_runs++;
	if (e == NULL || e->fm == NULL || e->n_ks != n) { /* n differs: never (same key) */
		rbound_first_departures(net, bq, k0_buf, fwork);
		return k0_buf;
	}
	size_t stride = n + net->n_legs, lru = 0;
	for (size_t i = 0; i < FM_SLOTS; i++) {
		uint32_t *slot = e->fm + i * stride;
		if (e->fm_used[i] != 0 && memcmp(slot, c->ks, n * sizeof *slot) == 0) {
			e->fm_used[i] = c->tick;
			c->st.forward_runs--;
			c->st.forward_hits++;
			return slot + n;
		}
		if (e->fm_used[i] < e->fm_used[lru])
			lru = i;
	}
	uint32_t *slot = e->fm + lru * stride;
	memcpy(slot, c->ks, n * sizeof *slot);
	rbound_first_departures(net, bq, slot + n, fwork);
	e->fm_used[lru] = c->tick;
	return slot + n;
}

const struct rbound *rcache_bound(struct routing_cache *c, const struct rbound_query *bq,
                                  struct rbound *tmp, uint32_t *k0_buf, void *fwork,
                                  const uint32_t **k0)
{
	const struct routing_network *net = c->net;
	size_t nn = routing_network_node_count(net);
	c->tick++;
	memset(tmp, 0, sizeof *tmp);
	memset(c->key, 0, c->n_words * sizeof *c->key);
	size_t n_adj = bq->adj_first[nn - 1] + bq->adj_n[nn - 1];
	for (size_t a = 0; a < n_adj; a++) {
		uint32_t li = bq->adj[a];
		if (bq->refused[li])
			c->key[li / 64] |= (uint64_t)1 << (li % 64);
	}
	uint64_t h = rhash_mix(rhash_mix(rhash_mix(0, bq->origin), bq->dest), (uint64_t)bq->deadline);
	h = rhash_mix(h, (uint64_t)bq->max_legs);
	for (size_t i = 0; i < c->n_words; i++)
		h = rhash_mix(h, c->key[i]);
	struct centry *e = c->bucket[h & (c->n_bucket - 1)];
	for (; e != NULL; e = e->hnext)
		if (e->hash == h && e->origin == bq->origin && e->dest == bq->dest &&
		    e->deadline == bq->deadline && e->max_legs == bq->max_legs &&
		    memcmp(e->refused, c->key, c->n_words * sizeof *c->key) == 0)
			break;
	if (e != NULL && e->start <= bq->start) {
		c->st.hits++;
		rlru_touch(&c->lru, &e->lru);
		*k0 = first_departures(c, e, bq, k0_buf, fwork);
		return &e->t;
	}
	struct rbound_query q = *bq;
	q.start = bq->start - START_SLACK_S;
	struct rbound t;
	if (rbound_build(&t, net, &q) < 0)
		return NULL;
	size_t bytes = sizeof *e + c->n_words * sizeof *c->key + t.bytes;
	if (e != NULL) { /* built for a later start: this one serves both */
		c->st.rebuilds++;
		if (e->fm != NULL)
			bytes += fm_bytes(c, e->n_ks); /* k0 does not depend on the table: kept */
		if (bytes > c->max_bytes) {
			*tmp = t;
			*k0 = first_departures(c, NULL, bq, k0_buf, fwork);
			return tmp;
		}
		rbound_free(&e->t);
		c->bytes += bytes - e->bytes;
		e->t = t;
		e->bytes = bytes;
		e->start = q.start;
		rlru_touch(&c->lru, &e->lru);
		evict(c, e);
		*k0 = first_departures(c, e, bq, k0_buf, fwork);
		return &e->t;
	}
	c->st.misses++;
	if (bytes > c->max_bytes || (e = malloc(sizeof *e + c->n_words * sizeof *c->key)) == NULL) {
		*tmp = t; /* too large to keep (or no memory for the entry): this quote only */
		*k0 = first_departures(c, NULL, bq, k0_buf, fwork);
		return tmp;
	}
	*e = (struct centry){ .hash = h, .origin = bq->origin, .dest = bq->dest,
	                      .deadline = bq->deadline, .max_legs = bq->max_legs,
	                      .start = q.start, .bytes = bytes, .t = t };
	memcpy(e->refused, c->key, c->n_words * sizeof *c->key);
	grow(c);
	struct centry **b = &c->bucket[h & (c->n_bucket - 1)];
	e->hnext = *b;
	*b = e;
	rlru_push_front(&c->lru, &e->lru);
	c->n_entries++;
	c->bytes += bytes;
	evict(c, e);
	*k0 = first_departures(c, e, bq, k0_buf, fwork);
	return &e->t;
}
