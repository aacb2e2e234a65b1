/* lru_int.h — private to routing/: the recency list (most recently used first, evicted from the
 * tail) and the hash mixer shared by the cache's bound tables (cache.c), lanes (lane.c) and
 * answers (answer.c). The list is intrusive: an element embeds a struct rlru_link, and
 * RLRU_OF() gives the element back from its link. */
#ifndef ROUTING_LRU_INT_H
#define ROUTING_LRU_INT_H

#include <stddef.h>
#include <stdint.h>

struct rlru_link {
	struct rlru_link *prev, *next;
};

struct rlru {
	struct rlru_link *head, *tail;
};

/* The element of type `type` whose member `member` is the link p. */
#define RLRU_OF(p, type, member) ((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Takes e out of the list. */
static inline void rlru_unlink(struct rlru *l, struct rlru_link *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	e->prev = e->next = NULL;
}

/* Puts e (not in the list) at its front: the most recently used. */
static inline void rlru_push_front(struct rlru *l, struct rlru_link *e)
{
	e->prev = NULL;
	e->next = l->head;
	if (l->head)
		l->head->prev = e;
	l->head = e;
	if (l->tail == NULL)
		l->tail = e;
}

/* Moves e (in the list) to its front. */
static inline void rlru_touch(struct rlru *l, struct rlru_link *e)
{
	rlru_unlink(l, e);
	rlru_push_front(l, e);
}

/* Mixes x into the hash h. */
static inline uint64_t rhash_mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

#endif
