/* auth_cache.c — direct-mapped cache indexed by the key hash's first bytes
 * (SHA-256 output is uniform, so no further hashing is needed). */
#include "api/http/auth_cache.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	unsigned char hash[AUTH_HASH_LEN];
	int64_t expires; /* 0 = empty */
	struct auth_principal principal;
};

struct auth_cache {
	unsigned mask;
	int ttl_s;
	struct slot *slots;
};

struct auth_cache *auth_cache_new(unsigned capacity, int ttl_s)
{
	unsigned n = 1;
	while (n < capacity && n < (1u << 24))
		n <<= 1;
	struct auth_cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->slots = calloc(n, sizeof *c->slots);
	if (!c->slots) {
		free(c);
		return NULL;
	}
	c->mask = n - 1;
	c->ttl_s = ttl_s;
	return c;
}

void auth_cache_free(struct auth_cache *c)
{
	if (!c)
		return;
	free(c->slots);
	free(c);
}

static struct slot *slot_of(struct auth_cache *c, const unsigned char hash[AUTH_HASH_LEN])
{
	uint32_t idx;
	memcpy(&idx, hash, sizeof idx);
	return &c->slots[idx & c->mask];
}

int auth_cache_get(struct auth_cache *c, const unsigned char hash[AUTH_HASH_LEN], int64_t now,
                   struct auth_principal *out)
{
	struct slot *s = slot_of(c, hash);
	if (s->expires <= now || !auth_hash_equal(s->hash, hash))
		return 0;
	*out = s->principal;
	return 1;
}

void auth_cache_put(struct auth_cache *c, const unsigned char hash[AUTH_HASH_LEN],
                    const struct auth_principal *p, int64_t now)
{
	if (c->ttl_s <= 0)
		return;
	struct slot *s = slot_of(c, hash);
	memcpy(s->hash, hash, AUTH_HASH_LEN);
	s->principal = *p;
	s->expires = now + c->ttl_s;
}

void auth_cache_clear(struct auth_cache *c)
{
	memset(c->slots, 0, ((size_t)c->mask + 1) * sizeof *c->slots);
}
