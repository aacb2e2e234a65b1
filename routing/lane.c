/* lane.c — per-lane search data kept across quotes (see lane_int.h): the adjacency of each
 * (origin, destination) and its bounds memo, lanes in a hash table with least-recently-used
 * eviction under a byte budget. */
#include "routing/lane_int.h"
#include "routing/lru_int.h"

#include <stdlib.h>
#include <string.h>

#define N_BUCKET 256

/* One memo entry: the key (chargeable weights per divisor, accept per lane leg, max_legs)
 * and the bounds computed for it, in one block. */
struct slot {
	uint64_t used;               /* the lanes' clock at its last use; 0 = empty */
	uint64_t hash;
	int max_legs;
	void *block;
	size_t bytes;
	int64_t *g;
	uint8_t *acc;
	struct rlane_bounds b;
};

struct rlane {
	struct rlane *hnext;         /* hash chain */
	struct rlru_link lru;        /* recency list, most recent first */
	uint32_t origin, dest;
	size_t bytes;
	struct rlane_adj a;          /* adj_first, adj_n, adj, adj_to: one block at a.adj_first */
	int32_t *phase;              /* the start phases (lane_int.h), sorted, distinct */
	size_t n_phase;
	struct slot slot[RLANE_SLOTS];
};

struct rlanes {
	const struct routing_network *net;
	size_t max_bytes, bytes;
	struct rlane *bucket[N_BUCKET];
	struct rlru lru;
	int32_t *divs;               /* the distinct volumetric divisors of the network, sorted */
	size_t n_div;
	int64_t *kg;                 /* the key of the last lookup: chargeable g per divisor, */
	uint8_t *kacc;               /* accept per lane leg (n_legs room), */
	uint64_t khash;              /* its hash */
	int kmax_legs;               /* and max_legs */
	uint64_t tick, hits, misses;
};

/* Whether the search may continue from node v (not a zone, or the destination). */
static bool passable(const struct routing_network *net, uint32_t dest, uint32_t v)
{
	return v == dest || net->nodes[v].kind != ROUTING_NODE_ZONE;
}

void rlane_build_adj(const struct routing_network *net, uint32_t origin, uint32_t dest,
                     struct rlane_adj *a)
{
	size_t na = 0;
	for (size_t v = 0; v < net->n_nodes; v++) {
		const struct rnode *n = &net->nodes[v];
		a->adj_first[v] = (uint32_t)na;
		for (uint32_t i = 0; i < n->out_n && v != dest; i++) {
			uint32_t li = net->out_legs[n->out_first + i];
			uint32_t to = net->legs[li].to;
			if (to != origin && passable(net, dest, to)) {
				a->adj_to[na] = to;
				a->adj[na++] = li;
			}
		}
		a->adj_n[v] = (uint32_t)na - a->adj_first[v];
	}
	a->n_adj = na;
}

static int cmp_i32(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
	return a < b ? -1 : a > b;
}

/*
 * Fills l->phase with the start phases of the lane (lane_int.h): (dep − cutoff) mod res of every
 * departure of every leg of the adjacency out of the origin, sorted, without repeats.
 * Returns 0, or -1 if memory ran out.
 */
static int build_phases(const struct routing_network *net, struct rlane *l)
{
	const uint32_t *adj = l->a.adj + l->a.adj_first[l->origin];
	uint32_t n_adj = l->a.adj_n[l->origin];
	size_t n = 0;
	for (uint32_t a = 0; a < n_adj; a++)
		n += net->legs[adj[a]].n_dep;
	int32_t *ph = malloc((n + 1) * sizeof *ph);
	if (ph == NULL)
		return -1;
	n = 0;
	for (uint32_t a = 0; a < n_adj; a++) {
		const struct rleg *leg = &net->legs[adj[a]];
		for (size_t k = 0; k < leg->n_dep; k++) {
			int64_t d = leg->dep[k] - leg->cutoff_s;
			ph[n++] = (int32_t)(d - rfloor_div(d, net->res) * net->res);
		}
	}
	qsort(ph, n, sizeof *ph, cmp_i32);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || ph[m - 1] != ph[i])
			ph[m++] = ph[i];
	int32_t *shrunk = realloc(ph, (m + 1) * sizeof *ph);
	l->phase = shrunk != NULL ? shrunk : ph;
	l->n_phase = m;
	return 0;
}

struct rlanes *rlanes_new(const struct routing_network *net, size_t max_bytes)
{
	struct rlanes *ls = calloc(1, sizeof *ls);
	if (ls == NULL)
		return NULL;
	ls->net = net;
	ls->max_bytes = max_bytes;
	ls->divs = malloc((net->n_legs + 1) * sizeof *ls->divs);
	ls->kacc = malloc(net->n_legs + 8);
	if (ls->divs == NULL || ls->kacc == NULL)
		goto fail;
	for (size_t i = 0; i < net->n_legs; i++)
		ls->divs[i] = net->legs[i].vol_divisor;
	qsort(ls->divs, net->n_legs, sizeof *ls->divs, cmp_i32);
	for (size_t i = 0; i < net->n_legs; i++)
		if (ls->n_div == 0 || ls->divs[ls->n_div - 1] != ls->divs[i])
			ls->divs[ls->n_div++] = ls->divs[i];
	ls->kg = malloc((ls->n_div + 1) * sizeof *ls->kg);
	if (ls->kg == NULL)
		goto fail;
	return ls;
fail:
	rlanes_free(ls);
	return NULL;
}

static void slot_clear(struct slot *s)
{
	free(s->block);
	memset(s, 0, sizeof *s);
}

static void lane_free(struct rlane *l)
{
	for (int i = 0; i < RLANE_SLOTS; i++)
		slot_clear(&l->slot[i]);
	free(l->a.adj_first);
	free(l->phase);
	free(l);
}

void rlanes_free(struct rlanes *ls)
{
	if (ls == NULL)
		return;
	for (struct rlru_link *x = ls->lru.head, *n; x != NULL; x = n) {
		n = x->next;
		lane_free(RLRU_OF(x, struct rlane, lru));
	}
	free(ls->divs);
	free(ls->kg);
	free(ls->kacc);
	free(ls);
}

void rlanes_counts(const struct rlanes *ls, uint64_t *hits, uint64_t *misses)
{
	*hits = ls->hits;
	*misses = ls->misses;
}

static size_t bucket_of(uint32_t origin, uint32_t dest)
{
	return (size_t)(rhash_mix(origin, dest) >> 32) % N_BUCKET;
}

/* Evicts the least recently used lanes, never keep, until the lanes fit the budget. */
static void evict(struct rlanes *ls, const struct rlane *keep)
{
	while (ls->bytes > ls->max_bytes && ls->lru.tail != NULL && ls->lru.tail != &keep->lru) {
		struct rlane *l = RLRU_OF(ls->lru.tail, struct rlane, lru);
		struct rlane **p = &ls->bucket[bucket_of(l->origin, l->dest)];
		while (*p != l)
			p = &(*p)->hnext;
		*p = l->hnext;
		rlru_unlink(&ls->lru, &l->lru);
		ls->bytes -= l->bytes;
		lane_free(l);
	}
}

struct rlane *rlanes_lane(struct rlanes *ls, uint32_t origin, uint32_t dest,
                          struct rlane_adj *a)
{
	const struct routing_network *net = ls->net;
	size_t nn = net->n_nodes, b = bucket_of(origin, dest);
	struct rlane *l = ls->bucket[b];
	while (l != NULL && (l->origin != origin || l->dest != dest))
		l = l->hnext;
	if (l == NULL) {
		l = calloc(1, sizeof *l);
		uint32_t *mem = malloc((2 * nn + 2 * net->n_legs) * sizeof *mem);
		if (l == NULL || mem == NULL) {
			free(l);
			free(mem);
			return NULL;
		}
		l->origin = origin;
		l->dest = dest;
		l->a = (struct rlane_adj){ .adj_first = mem, .adj_n = mem + nn, .adj = mem + 2 * nn,
		                           .adj_to = mem + 2 * nn + net->n_legs };
		rlane_build_adj(net, origin, dest, &l->a);
		size_t na = l->a.n_adj; /* adj_to right after adj, then the rest is given back */
		memmove(mem + 2 * nn + na, l->a.adj_to, na * sizeof *mem);
		uint32_t *shrunk = realloc(mem, (2 * nn + 2 * na + 1) * sizeof *mem);
		if (shrunk != NULL) /* else the larger block stays */
			mem = shrunk;
		l->a.adj_first = mem;
		l->a.adj_n = mem + nn;
		l->a.adj = mem + 2 * nn;
		l->a.adj_to = mem + 2 * nn + na;
		if (build_phases(net, l) < 0) {
			lane_free(l);
			return NULL;
		}
		l->bytes = sizeof *l + (2 * nn + 2 * na + 1) * sizeof *mem +
		           (l->n_phase + 1) * sizeof *l->phase;
		if (l->bytes > ls->max_bytes) {
			lane_free(l);
			return NULL;
		}
		l->hnext = ls->bucket[b];
		ls->bucket[b] = l;
		ls->bytes += l->bytes;
		rlru_push_front(&ls->lru, &l->lru);
		evict(ls, l);
	} else {
		rlru_touch(&ls->lru, &l->lru);
	}
	*a = l->a;
	return l;
}

bool rlanes_segment(const struct rlanes *ls, const struct rlane *lane, int64_t start,
                    int64_t *end)
{
	const int64_t lim = (int64_t)1 << 62;
	if (start < -lim || start > lim)
		return false;
	if (lane->n_phase == 0) {
		*end = 0;
		return true;
	}
	int64_t res = ls->net->res;
	int64_t r = start - rfloor_div(start, res) * res;
	size_t lo = 0, hi = lane->n_phase;
	while (lo < hi) { /* the first phase ≥ r */
		size_t mid = lo + (hi - lo) / 2;
		if (lane->phase[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	*end = start - r + (lo < lane->n_phase ? lane->phase[lo] : res + lane->phase[0]);
	return true;
}

void rlanes_set_class(struct rlanes *ls, const struct rlane *lane, const struct routing_parcel *p,
                      const uint8_t *accept, int max_legs)
{
	size_t n_adj = lane->a.n_adj;
	uint64_t h = rhash_mix(0, (uint64_t)max_legs);
	for (size_t d = 0; d < ls->n_div; d++) {
		ls->kg[d] = routing_chargeable_g(p, ls->divs[d]);
		h = rhash_mix(h, (uint64_t)ls->kg[d]);
	}
	for (size_t x = 0; x < n_adj; x++)
		ls->kacc[x] = accept[lane->a.adj[x]];
	memset(ls->kacc + n_adj, 0, 8);
	for (size_t x = 0; x < n_adj; x += 8) {
		uint64_t w;
		memcpy(&w, ls->kacc + x, sizeof w);
		h = rhash_mix(h, w);
	}
	ls->khash = h;
	ls->kmax_legs = max_legs;
}

void rlanes_class(const struct rlanes *ls, const struct rlane *lane, struct rlane_class *k)
{
	*k = (struct rlane_class){ .hash = ls->khash, .max_legs = ls->kmax_legs, .g = ls->kg,
	                           .n_g = ls->n_div, .acc = ls->kacc, .n_acc = lane->a.n_adj };
}

bool rlanes_get(struct rlanes *ls, struct rlane *lane, struct rlane_bounds *b)
{
	size_t n_adj = lane->a.n_adj;
	uint64_t h = ls->khash;
	ls->tick++;
	for (int i = 0; i < RLANE_SLOTS; i++) {
		struct slot *s = &lane->slot[i];
		if (s->used != 0 && s->hash == h && s->max_legs == ls->kmax_legs &&
		    memcmp(s->g, ls->kg, ls->n_div * sizeof *ls->kg) == 0 &&
		    memcmp(s->acc, ls->kacc, n_adj) == 0) {
			s->used = ls->tick;
			*b = s->b;
			ls->hits++;
			return true;
		}
	}
	ls->misses++;
	return false;
}

void rlanes_put(struct rlanes *ls, struct rlane *lane, const struct rlane_bounds *b)
{
	size_t nn = ls->net->n_nodes, n_adj = lane->a.n_adj, cells = ((size_t)ls->kmax_legs + 1) * nn;
	size_t bytes = 2 * cells * sizeof(int64_t) + ls->n_div * sizeof(int64_t) + 2 * cells + n_adj;
	int lru = 0;
	for (int i = 1; i < RLANE_SLOTS; i++)
		if (lane->slot[i].used < lane->slot[lru].used)
			lru = i;
	struct slot *s = &lane->slot[lru];
	if (lane->bytes - s->bytes + bytes > ls->max_bytes)
		return; /* never fits: the quotes of this lane compute their bounds */
	char *m = malloc(bytes);
	if (m == NULL)
		return;
	lane->bytes -= s->bytes;
	ls->bytes -= s->bytes;
	slot_clear(s);
	*s = (struct slot){ .used = ls->tick, .hash = ls->khash, .max_legs = ls->kmax_legs,
	                    .block = m, .bytes = bytes };
	s->b.rem_time = (int64_t *)m;
	s->b.rem_cost = s->b.rem_time + cells;
	s->g = s->b.rem_cost + cells;
	s->b.sreach = (uint8_t *)(s->g + ls->n_div);
	s->b.rreach = s->b.sreach + cells;
	s->acc = s->b.rreach + cells;
	memcpy(s->b.rem_time, b->rem_time, cells * sizeof *b->rem_time);
	memcpy(s->b.rem_cost, b->rem_cost, cells * sizeof *b->rem_cost);
	memcpy(s->b.sreach, b->sreach, cells);
	memcpy(s->b.rreach, b->rreach, cells);
	memcpy(s->g, ls->kg, ls->n_div * sizeof *ls->kg);
	memcpy(s->acc, ls->kacc, n_adj);
	lane->bytes += bytes;
	ls->bytes += bytes;
	evict(ls, lane);
}
