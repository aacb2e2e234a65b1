/* check_router.c — route matching, path parameters, 404 vs 405 with Allow. */
#include <check.h>
#include <string.h>

#include "api/http/router.h"

static const struct route routes[] = {
	{"GET", "/v1/warehouses", NULL, 0, 0, "", "limit cursor"},
	{"POST", "/v1/warehouses", NULL, 0, 0, "", NULL},
	{"GET", "/v1/warehouses/{code}", NULL, 0, 0, "", NULL},
	{"PATCH", "/v1/warehouses/{code}", NULL, 0, 0, "", NULL},
	{"GET", "/v1/warehouses/{code}/bins/{bin}", NULL, 0, 0, "", NULL},
	{"GET", "/healthz", NULL, 0, 0, "", NULL},
};
#define N (sizeof routes / sizeof routes[0])

START_TEST(exact_and_params)
{
	struct router_params p;
	char allow[64];
	ck_assert_int_eq(router_find(routes, N, "GET", "/v1/warehouses", &p, allow, sizeof allow), 0);
	ck_assert_int_eq(p.n, 0);
	ck_assert_int_eq(router_find(routes, N, "POST", "/v1/warehouses", &p, allow, sizeof allow), 1);
	ck_assert_int_eq(router_find(routes, N, "GET", "/v1/warehouses/ES-MAD", &p, allow, sizeof allow), 2);
	ck_assert_str_eq(router_param(&p, "code"), "ES-MAD");
	ck_assert_int_eq(router_find(routes, N, "GET", "/v1/warehouses/W1/bins/A-01", &p, allow,
	                             sizeof allow), 4);
	ck_assert_int_eq(p.n, 2);
	ck_assert_str_eq(router_param(&p, "code"), "W1");
	ck_assert_str_eq(router_param(&p, "bin"), "A-01");
	ck_assert_ptr_null(router_param(&p, "nope"));
}
END_TEST

START_TEST(not_found_and_method_not_allowed)
{
	struct router_params p;
	char allow[64];
	ck_assert_int_eq(router_find(routes, N, "GET", "/v1/nothing", &p, allow, sizeof allow), -1);
	ck_assert_int_eq(router_find(routes, N, "GET", "/v1/warehouses/", &p, allow, sizeof allow), -1);
	ck_assert_int_eq(router_find(routes, N, "GET", "/v1/warehouses/a/b", &p, allow, sizeof allow), -1);
	ck_assert_int_eq(router_find(routes, N, "GET", "/healthz/", &p, allow, sizeof allow), -1);
	ck_assert_int_eq(router_find(routes, N, "DELETE", "/v1/warehouses", &p, allow, sizeof allow), -2);
	ck_assert_str_eq(allow, "GET, POST");
	ck_assert_int_eq(router_find(routes, N, "POST", "/v1/warehouses/X", &p, allow, sizeof allow), -2);
	ck_assert_str_eq(allow, "GET, PATCH");
}
END_TEST

START_TEST(percent_decoding)
{
	struct router_params p;
	ck_assert_int_eq(router_match("/a/{x}", "/a/B%2DC", &p), 1);
	ck_assert_str_eq(router_param(&p, "x"), "B-C");
	ck_assert_int_eq(router_match("/a/{x}", "/a/B%2FC", &p), 0); /* decoded '/' */
	ck_assert_int_eq(router_match("/a/{x}", "/a/B%00", &p), 0);  /* decoded NUL */
	ck_assert_int_eq(router_match("/a/{x}", "/a/B%2", &p), 0);   /* truncated escape */
	ck_assert_int_eq(router_match("/a/{x}", "/a/B%zz", &p), 0);
	char longv[300];
	memset(longv, 'x', sizeof longv);
	memcpy(longv, "/a/", 3);
	longv[sizeof longv - 1] = '\0';
	ck_assert_int_eq(router_match("/a/{x}", longv, &p), 0); /* value too long */
}
END_TEST

START_TEST(declared_query_parameters_only)
{
	ck_assert(router_takes_query(&routes[0], "limit"));
	ck_assert(router_takes_query(&routes[0], "cursor"));
	ck_assert(!router_takes_query(&routes[0], "curs"));
	ck_assert(!router_takes_query(&routes[0], "limit cursor"));
	ck_assert(!router_takes_query(&routes[0], ""));
	ck_assert(!router_takes_query(&routes[1], "limit"));
}
END_TEST

Suite *router_suite(void);
Suite *router_suite(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("match");
	tcase_add_test(tc, exact_and_params);
	tcase_add_test(tc, not_found_and_method_not_allowed);
	tcase_add_test(tc, percent_decoding);
	tcase_add_test(tc, declared_query_parameters_only);
	suite_add_tcase(s, tc);
	return s;
}
