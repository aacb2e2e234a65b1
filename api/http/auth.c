/* auth.c — API key generation, SHA-256 hashing and Bearer parsing. */
#include "api/http/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>
#include <strings.h>

static const char *const role_names[AUTH_NROLES] = {"admin", "platform", "seller", "staff",
                                                     "carrier"};

const char *auth_role_name(enum auth_role role)
{
	return (unsigned)role < AUTH_NROLES ? role_names[role] : "?";
}

int auth_role_parse(const char *s, enum auth_role *out)
{
	for (int i = 0; i < AUTH_NROLES; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum auth_role)i;
			return 0;
		}
	}
	return -1;
}

int auth_key_generate(char out[AUTH_KEY_LEN + 1])
{
	static const char b64url[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[33]; /* 32 random bytes + 1 zero pad to make 11 groups of 3 */
	if (RAND_bytes(raw, 32) != 1)
		return -1;
	raw[32] = 0;
	memcpy(out, "wms_", 4);
	size_t o = 4;
	for (size_t i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	/* 44 characters encode 33 bytes; the last carries only the zero pad */
	out[AUTH_KEY_LEN] = '\0';
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

void auth_key_hash(const char *key, size_t len, unsigned char out[AUTH_HASH_LEN])
{
	unsigned int n = AUTH_HASH_LEN;
	EVP_Digest(key, len, out, &n, EVP_sha256(), NULL);
}

void auth_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

bool auth_hash_equal(const unsigned char a[AUTH_HASH_LEN], const unsigned char b[AUTH_HASH_LEN])
{
	return CRYPTO_memcmp(a, b, AUTH_HASH_LEN) == 0;
}

int auth_parse_bearer(const char *header, const char **key, size_t *len)
{
	if (!header || strncasecmp(header, "Bearer ", 7) != 0)
		return -1;
	const char *k = header + 7;
	while (*k == ' ')
		k++;
	size_t n = strlen(k);
	while (n && (k[n - 1] == ' ' || k[n - 1] == '\t'))
		n--;
	if (n == 0 || n > 256)
		return -1;
	*key = k;
	*len = n;
	return 0;
}
