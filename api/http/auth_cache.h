/* auth_cache.h — a bounded cache of verified API keys (hash → principal) with
 * a time-to-live, so most requests skip the key lookup in the database. */
#ifndef WMS_API_AUTH_CACHE_H
#define WMS_API_AUTH_CACHE_H

#include <stdint.h>

#include "api/http/auth.h"

struct auth_cache;

/* A cache of capacity entries (rounded up to a power of two) kept ttl_s
 * seconds. ttl_s 0 disables caching. Returns NULL when out of memory. */
struct auth_cache *auth_cache_new(unsigned capacity, int ttl_s);
void auth_cache_free(struct auth_cache *c);

/* Returns 1 and copies the principal when hash is cached and fresh at now. */
int auth_cache_get(struct auth_cache *c, const unsigned char hash[AUTH_HASH_LEN], int64_t now,
                   struct auth_principal *out);

/* Remembers hash → p until now + ttl (replacing what shares its slot). */
void auth_cache_put(struct auth_cache *c, const unsigned char hash[AUTH_HASH_LEN],
                    const struct auth_principal *p, int64_t now);

/* Forgets everything (after a key is revoked). */
void auth_cache_clear(struct auth_cache *c);

#endif
