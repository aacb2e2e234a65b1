/* auth.h — API keys and principals: generation, hashing, roles, Bearer parsing. */
#ifndef WMS_API_AUTH_H
#define WMS_API_AUTH_H

#include <stdbool.h>
#include <stddef.h>

enum auth_role { AUTH_ADMIN, AUTH_PLATFORM, AUTH_SELLER, AUTH_STAFF, AUTH_CARRIER, AUTH_NROLES };
#define AUTH_BIT(role) (1u << (role))
#define AUTH_ANY (AUTH_BIT(AUTH_ADMIN) | AUTH_BIT(AUTH_PLATFORM) | AUTH_BIT(AUTH_SELLER) | \
                  AUTH_BIT(AUTH_STAFF) | AUTH_BIT(AUTH_CARRIER))

#define AUTH_HASH_LEN 32
#define AUTH_KEY_LEN 47 /* "wms_" + 43 characters of base64url (32 random bytes) */

/* Who is calling: a key's role and its scope (one of the ids, by role). */
struct auth_principal {
	enum auth_role role;
	char key_id[37];
	char seller_id[37];    /* role seller */
	char warehouse_id[37]; /* role staff */
	char carrier[33];      /* role carrier: carrier code */
};

const char *auth_role_name(enum auth_role role);
int auth_role_parse(const char *s, enum auth_role *out) __attribute__((warn_unused_result));

/* Writes a new random key (AUTH_KEY_LEN characters + NUL) from the OS RNG.
 * Returns 0, or -1 when no randomness is available. */
int auth_key_generate(char out[AUTH_KEY_LEN + 1]) __attribute__((warn_unused_result));

/* SHA-256 of the key text. */
void auth_key_hash(const char *key, size_t len, unsigned char out[AUTH_HASH_LEN]);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void auth_hex(const unsigned char *in, size_t n, char *out);

/* Compares two hashes in constant time. */
bool auth_hash_equal(const unsigned char a[AUTH_HASH_LEN], const unsigned char b[AUTH_HASH_LEN]);

/* Finds the key in an Authorization header value ("Bearer" + key; scheme
 * case-insensitive). Returns 0 and points *key and *len into header, or -1. */
int auth_parse_bearer(const char *header, const char **key, size_t *len)
	__attribute__((warn_unused_result));

#endif
