/* answer.c — the answer memo (see answer_int.h): quote answers in a hash table on their key
 * bytes, with least-recently-used eviction under a byte budget. */
#include "routing/answer_int.h"
#include "routing/lru_int.h"

#include <stdlib.h>
#include <string.h>

/* One kept answer: the quote, then in the same block its options with their legs, then the
 * key bytes. */
struct aentry {
	struct aentry *hnext;        /* hash chain */
	struct rlru_link lru;        /* recency list, most recent first */
	uint64_t hash;
	size_t bytes;                /* of the whole block */
	size_t key_len;
	uint8_t *key;
	struct routing_quote q;      /* q.options points into the block (or is NULL) */
};

/* The fixed part of a key, serialised (zeroed first: no stray padding bytes). */
struct khead {
	uint32_t origin, dest;
	int64_t deadline;
	uint64_t target_bits;
	int64_t seg_end;
	int32_t max_legs;
	uint8_t all_options, never;
	uint8_t pad[2];
};

struct ranswers {
	size_t max_bytes, bytes;     /* bytes: entries and buckets */
	struct aentry **bucket;      /* n_bucket (a power of 2) chains, fixed: ~1 per KB of budget */
	size_t n_bucket;
	struct rlru lru;
	uint8_t *kbuf;               /* the key of the last lookup, serialised */
	size_t k_len, k_cap;
	uint64_t khash;
	bool kvalid;                 /* kbuf holds the last lookup's key (a miss) */
	uint64_t hits, misses;
};

struct ranswers *ranswers_new(size_t max_bytes)
{
	struct ranswers *m = calloc(1, sizeof *m);
	if (m == NULL)
		return NULL;
	m->max_bytes = max_bytes;
	m->n_bucket = 16;
	while (m->n_bucket < max_bytes / 1024)
		m->n_bucket *= 2;
	m->bucket = calloc(m->n_bucket, sizeof *m->bucket);
	if (m->bucket == NULL) {
		free(m);
		return NULL;
	}
	m->bytes = m->n_bucket * sizeof *m->bucket;
	return m;
}

void ranswers_free(struct ranswers *m)
{
	if (m == NULL)
		return;
	for (struct rlru_link *x = m->lru.head, *n; x != NULL; x = n) {
		n = x->next;
		free(RLRU_OF(x, struct aentry, lru));
	}
	free(m->bucket);
	free(m->kbuf);
	free(m);
}

void ranswers_counts(const struct ranswers *m, uint64_t *hits, uint64_t *misses)
{
	*hits = m->hits;
	*misses = m->misses;
}

/* Bytes of q's options with their legs. */
static size_t options_bytes(const struct routing_quote *q)
{
	size_t n_legs = 0;
	for (size_t i = 0; i < q->n_options; i++)
		n_legs += q->options[i].n_legs;
	return q->n_options * sizeof *q->options + n_legs * sizeof(struct routing_leg_out);
}

/* Copies q's options into block (options_bytes(q) bytes): the options, then each one's legs
 * in turn, its legs pointer set to its copy. */
static void copy_options(const struct routing_quote *q, void *block)
{
	struct routing_option *o = block;
	struct routing_leg_out *legs = (struct routing_leg_out *)(o + q->n_options);
	memcpy(o, q->options, q->n_options * sizeof *o);
	for (size_t i = 0; i < q->n_options; i++) {
		memcpy(legs, q->options[i].legs, o[i].n_legs * sizeof *legs);
		o[i].legs = legs;
		legs += o[i].n_legs;
	}
}

/* Serialises key into m->kbuf (k_len, khash); false if memory ran out. */
static bool set_key(struct ranswers *m, const struct ranswer_key *key)
{
	const struct rlane_class *c = &key->cls;
	size_t gb = c->n_g * sizeof *c->g, len = sizeof(struct khead) + gb + c->n_acc;
	if (len > m->k_cap) {
		uint8_t *b = realloc(m->kbuf, len);
		if (b == NULL)
			return false;
		m->kbuf = b;
		m->k_cap = len;
	}
	struct khead h;
	memset(&h, 0, sizeof h);
	h.origin = key->origin;
	h.dest = key->dest;
	h.deadline = key->deadline;
	memcpy(&h.target_bits, &key->target, sizeof h.target_bits);
	h.seg_end = key->never ? 0 : key->seg_end;
	h.max_legs = c->max_legs;
	h.all_options = key->all_options;
	h.never = key->never;
	memcpy(m->kbuf, &h, sizeof h);
	memcpy(m->kbuf + sizeof h, c->g, gb);
	memcpy(m->kbuf + sizeof h + gb, c->acc, c->n_acc);
	m->k_len = len;
	uint64_t x = rhash_mix(rhash_mix(rhash_mix(c->hash, h.origin), h.dest), (uint64_t)h.deadline);
	x = rhash_mix(rhash_mix(x, h.target_bits), (uint64_t)h.seg_end);
	m->khash = rhash_mix(x, (uint64_t)h.max_legs << 2 | (uint64_t)h.all_options << 1 | h.never);
	return true;
}

/* Evicts the least recently used entries until the memo fits its budget. */
static void evict(struct ranswers *m)
{
	while (m->bytes > m->max_bytes && m->lru.tail != NULL) {
		struct aentry *e = RLRU_OF(m->lru.tail, struct aentry, lru);
		struct aentry **p = &m->bucket[e->hash & (m->n_bucket - 1)];
		while (*p != e)
			p = &(*p)->hnext;
		*p = e->hnext;
		rlru_unlink(&m->lru, &e->lru);
		m->bytes -= e->bytes;
		free(e);
	}
}

bool ranswers_get(struct ranswers *m, const struct ranswer_key *key, struct routing_quote *q)
{
	m->kvalid = false;
	if (!set_key(m, key)) {
		m->misses++;
		return false;
	}
	struct aentry *e = m->bucket[m->khash & (m->n_bucket - 1)];
	while (e != NULL && (e->hash != m->khash || e->key_len != m->k_len ||
	                     memcmp(e->key, m->kbuf, m->k_len) != 0))
		e = e->hnext;
	if (e != NULL) {
		void *block = NULL;
		if (e->q.options != NULL) { /* one byte more, as options.c allocates them */
			block = calloc(1, options_bytes(&e->q) + 1);
			if (block == NULL) {
				m->misses++;
				return false; /* computed, and already kept */
			}
			copy_options(&e->q, block);
		}
		*q = e->q;
		q->options = block;
		rlru_touch(&m->lru, &e->lru);
		m->hits++;
		return true;
	}
	m->misses++;
	m->kvalid = true;
	return false;
}

void ranswers_put(struct ranswers *m, const struct routing_quote *q)
{
	if (!m->kvalid)
		return;
	m->kvalid = false;
	size_t ob = q->options != NULL ? options_bytes(q) : 0;
	size_t bytes = sizeof(struct aentry) + ob + m->k_len;
	if (bytes + m->n_bucket * sizeof *m->bucket > m->max_bytes)
		return; /* would never fit */
	struct aentry *e = malloc(bytes);
	if (e == NULL)
		return;
	*e = (struct aentry){ .hash = m->khash, .bytes = bytes, .key_len = m->k_len, .q = *q };
	char *block = (char *)(e + 1);
	if (q->options != NULL) {
		copy_options(q, block);
		e->q.options = (struct routing_option *)block;
	}
	e->key = (uint8_t *)block + ob;
	memcpy(e->key, m->kbuf, m->k_len);
	struct aentry **b = &m->bucket[e->hash & (m->n_bucket - 1)];
	e->hnext = *b;
	*b = e;
	rlru_push_front(&m->lru, &e->lru);
	m->bytes += bytes;
	evict(m);
}
