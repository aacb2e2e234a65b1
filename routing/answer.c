/* answer.c — the answer memo (see answer.h): quote answers in a hash table on their key
 * bytes, with least-recently-used eviction under a byte budget. */
#include "routing/answer.h"

#include <stdlib.h>
#include <string.h>

/* One kept answer: the quote, then in the same block its options with their legs, then the
 * key bytes. */
struct aentry {
	struct aentry *hnext;        /* hash chain */
	struct aentry *prev, *next;  /* recency list, most recent first */
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
	struct aentry **bucket;
	size_t n_bucket, n_entries;
	struct aentry *head, *tail;
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
	m->n_bucket = 64;
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
	for (struct aentry *e = m->head, *n; e != NULL; e = n) {
		n = e->next;
		free(e);
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

static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
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
	uint64_t x = mix(mix(mix(c->hash, h.origin), h.dest), (uint64_t)h.deadline);
	x = mix(mix(x, h.target_bits), (uint64_t)h.seg_end);
	m->khash = mix(x, (uint64_t)h.max_legs << 2 | (uint64_t)h.all_options << 1 | h.never);
	return true;
}

static void unlink_lru(struct ranswers *m, struct aentry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		m->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		m->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(struct ranswers *m, struct aentry *e)
{
	e->prev = NULL;
	e->next = m->head;
	if (m->head)
		m->head->prev = e;
	m->head = e;
	if (m->tail == NULL)
		m->tail = e;
}

/* Evicts the least recently used entries until the memo fits its budget. */
static void evict(struct ranswers *m)
{
	while (m->bytes > m->max_bytes && m->tail != NULL) {
		struct aentry *e = m->tail;
		struct aentry **p = &m->bucket[e->hash & (m->n_bucket - 1)];
		while (*p != e)
			p = &(*p)->hnext;
		*p = e->hnext;
		unlink_lru(m, e);
		m->bytes -= e->bytes;
		m->n_entries--;
		free(e);
	}
}

/* Doubles the bucket array when the table is full; keeps the old one if memory ran out. */
static void grow(struct ranswers *m)
{
	if (m->n_entries < m->n_bucket)
		return;
	size_t nb = m->n_bucket * 2;
	struct aentry **b = calloc(nb, sizeof *b);
	if (b == NULL)
		return;
	for (size_t i = 0; i < m->n_bucket; i++)
		for (struct aentry *e = m->bucket[i], *n; e != NULL; e = n) {
			n = e->hnext;
			e->hnext = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
		}
	free(m->bucket);
	m->bytes += (nb - m->n_bucket) * sizeof *b;
	m->bucket = b;
	m->n_bucket = nb;
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
		if (e->q.options != NULL) { /* one byte more, as quote.c allocates them */
			block = calloc(1, options_bytes(&e->q) + 1);
			if (block == NULL) {
				m->misses++;
				return false; /* computed, and already kept */
			}
			copy_options(&e->q, block);
		}
		*q = e->q;
		q->options = block;
		unlink_lru(m, e);
		push_front(m, e);
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
	if (bytes > m->max_bytes)
		return;
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
	grow(m);
	struct aentry **b = &m->bucket[e->hash & (m->n_bucket - 1)];
	e->hnext = *b;
	*b = e;
	push_front(m, e);
	m->n_entries++;
	m->bytes += bytes;
	evict(m);
}
