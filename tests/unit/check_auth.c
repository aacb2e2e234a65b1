/* check_auth.c — key generation, SHA-256 hashing, Bearer parsing, the cache. */
#include <check.h>
#include <string.h>

#include "api/http/auth.h"
#include "api/http/auth_cache.h"

START_TEST(hashing)
{
	unsigned char h[AUTH_HASH_LEN];
	char hex[2 * AUTH_HASH_LEN + 1];
	auth_key_hash("abc", 3, h); /* FIPS 180-2 test vector */
	auth_hex(h, sizeof h, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	unsigned char h2[AUTH_HASH_LEN];
	auth_key_hash("abd", 3, h2);
	ck_assert(!auth_hash_equal(h, h2));
	ck_assert(auth_hash_equal(h, h));
}
END_TEST

START_TEST(generation)
{
	char a[AUTH_KEY_LEN + 1], b[AUTH_KEY_LEN + 1];
	ck_assert_int_eq(auth_key_generate(a), 0);
	ck_assert_int_eq(auth_key_generate(b), 0);
	ck_assert_int_eq(strlen(a), AUTH_KEY_LEN);
	ck_assert(strncmp(a, "wms_", 4) == 0);
	ck_assert_str_ne(a, b);
	for (size_t i = 4; i < AUTH_KEY_LEN; i++)
		ck_assert(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", a[i]));
}
END_TEST

START_TEST(bearer)
{
	const char *k;
	size_t n;
	ck_assert_int_eq(auth_parse_bearer("Bearer wms_abc", &k, &n), 0);
	ck_assert_int_eq(n, 7);
	ck_assert(strncmp(k, "wms_abc", n) == 0);
	ck_assert_int_eq(auth_parse_bearer("bearer  wms_abc  ", &k, &n), 0);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(auth_parse_bearer("Basic dXNlcjpwYXNz", &k, &n), -1);
	ck_assert_int_eq(auth_parse_bearer("Bearer ", &k, &n), -1);
	ck_assert_int_eq(auth_parse_bearer(NULL, &k, &n), -1);
}
END_TEST

START_TEST(roles)
{
	enum auth_role r;
	ck_assert_int_eq(auth_role_parse("staff", &r), 0);
	ck_assert_int_eq(r, AUTH_STAFF);
	ck_assert_str_eq(auth_role_name(AUTH_CARRIER), "carrier");
	ck_assert_int_eq(auth_role_parse("root", &r), -1);
}
END_TEST

START_TEST(cache)
{
	struct auth_cache *c = auth_cache_new(16, 30);
	unsigned char h1[AUTH_HASH_LEN], h2[AUTH_HASH_LEN];
	struct auth_principal p = {.role = AUTH_SELLER}, out;
	strcpy(p.seller_id, "s1");
	auth_key_hash("k1", 2, h1);
	auth_key_hash("k2", 2, h2);
	ck_assert_int_eq(auth_cache_get(c, h1, 100, &out), 0);
	auth_cache_put(c, h1, &p, 100);
	ck_assert_int_eq(auth_cache_get(c, h1, 129, &out), 1);
	ck_assert_str_eq(out.seller_id, "s1");
	ck_assert_int_eq(auth_cache_get(c, h1, 130, &out), 0); /* expired */
	ck_assert_int_eq(auth_cache_get(c, h2, 100, &out), 0);
	auth_cache_put(c, h1, &p, 200);
	auth_cache_clear(c);
	ck_assert_int_eq(auth_cache_get(c, h1, 201, &out), 0);
	auth_cache_free(c);

	c = auth_cache_new(16, 0); /* disabled */
	auth_cache_put(c, h1, &p, 100);
	ck_assert_int_eq(auth_cache_get(c, h1, 100, &out), 0);
	auth_cache_free(c);
}
END_TEST

Suite *auth_suite(void);
Suite *auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("keys");
	tcase_add_test(tc, hashing);
	tcase_add_test(tc, generation);
	tcase_add_test(tc, bearer);
	tcase_add_test(tc, roles);
	tcase_add_test(tc, cache);
	suite_add_tcase(s, tc);
	return s;
}
