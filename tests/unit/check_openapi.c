/* check_openapi.c — the OpenAPI document and the route table list the same
 * endpoints: a routed endpoint missing from the document fails, and so does
 * a documented one the router lacks. */
#include <check.h>
#include <ctype.h>
#include <cjson/cJSON.h>
#include <string.h>

#include "api/db/embed.h"
#include "api/http/auth.h"
#include "api/http/router.h"
#include "api/routes.h"

static void lower(const char *in, char *out, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

START_TEST(routes_match_document)
{
	static const char *const methods[] = {"get", "post", "put", "patch", "delete", NULL};
	size_t n;
	const struct route *rt = routes_table(&n);
	cJSON *doc = cJSON_ParseWithLength(embed_openapi.data, embed_openapi.len);
	ck_assert_msg(doc != NULL, "api/openapi.json is not valid JSON");
	ck_assert_str_eq(cJSON_GetObjectItem(doc, "openapi")->valuestring, "3.1.0");
	cJSON *paths = cJSON_GetObjectItem(doc, "paths");
	for (size_t i = 0; i < n; i++) {
		char m[16];
		lower(rt[i].method, m, sizeof m);
		cJSON *item = cJSON_GetObjectItemCaseSensitive(paths, rt[i].pattern);
		ck_assert_msg(item && cJSON_GetObjectItemCaseSensitive(item, m),
		              "routed %s %s is missing from api/openapi.json", rt[i].method, rt[i].pattern);
	}
	cJSON *item;
	cJSON_ArrayForEach(item, paths)
	{
		for (int k = 0; methods[k]; k++) {
			if (!cJSON_GetObjectItemCaseSensitive(item, methods[k]))
				continue;
			int found = 0;
			for (size_t i = 0; i < n && !found; i++) {
				char m[16];
				lower(rt[i].method, m, sizeof m);
				found = strcmp(rt[i].pattern, item->string) == 0 && strcmp(m, methods[k]) == 0;
			}
			ck_assert_msg(found, "api/openapi.json documents %s %s, which the router lacks",
			              methods[k], item->string);
		}
	}
	cJSON_Delete(doc);
}
END_TEST

/* The operation's parameters (with the path item's), $refs resolved. */
static int query_params(const cJSON *doc, const cJSON *op, const char **names, int max)
{
	const cJSON *comp = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "components"), "parameters");
	int n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(op, "parameters"))
	{
		const cJSON *prm = it, *ref = cJSON_GetObjectItem(it, "$ref");
		if (cJSON_IsString(ref))
			prm = cJSON_GetObjectItem(comp, strrchr(ref->valuestring, '/') + 1);
		ck_assert_ptr_nonnull(prm);
		const char *in = cJSON_GetStringValue(cJSON_GetObjectItem(prm, "in"));
		if (in && strcmp(in, "query") == 0 && n < max)
			names[n++] = cJSON_GetStringValue(cJSON_GetObjectItem(prm, "name"));
	}
	return n;
}

START_TEST(query_parameters_match_document)
{
	size_t n;
	const struct route *rt = routes_table(&n);
	cJSON *doc = cJSON_ParseWithLength(embed_openapi.data, embed_openapi.len);
	cJSON *paths = cJSON_GetObjectItem(doc, "paths");
	for (size_t i = 0; i < n; i++) {
		char m[16];
		lower(rt[i].method, m, sizeof m);
		const cJSON *op =
			cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(paths, rt[i].pattern), m);
		const char *names[32];
		int k = query_params(doc, op, names, 32);
		int declared = 0;
		for (const char *q = rt[i].query; q && *q; q += strspn(q, " ")) {
			q += strcspn(q, " ");
			declared++;
		}
		for (int j = 0; j < k; j++)
			ck_assert_msg(names[j] && router_takes_query(&rt[i], names[j]),
			              "api/openapi.json documents ?%s on %s %s, which routes.c does not take",
			              names[j] ? names[j] : "?", rt[i].method, rt[i].pattern);
		ck_assert_msg(k == declared, "%s %s takes %d query parameters (%s), the document lists %d",
		              rt[i].method, rt[i].pattern, declared, rt[i].query ? rt[i].query : "", k);
	}
	cJSON_Delete(doc);
}
END_TEST

START_TEST(route_table_sane)
{
	size_t n;
	const struct route *rt = routes_table(&n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(rt[i].handler);
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(strcmp(rt[i].method, rt[j].method) || strcmp(rt[i].pattern, rt[j].pattern),
			              "duplicate route %s %s", rt[i].method, rt[i].pattern);
	}
}
END_TEST

/* Each operation's summary names every role the route table lets call it ("admin",
 * "platform", "seller", "staff", "carrier"), so that the document cannot say a read is
 * admin-only while the platform may make it. Routes open to every role or to no key are
 * exempt. */
START_TEST(summaries_name_every_allowed_role)
{
	size_t n;
	const struct route *rt = routes_table(&n);
	cJSON *doc = cJSON_ParseWithLength(embed_openapi.data, embed_openapi.len);
	ck_assert_ptr_nonnull(doc);
	const cJSON *paths = cJSON_GetObjectItem(doc, "paths");
	for (size_t i = 0; i < n; i++) {
		char m[16];
		lower(rt[i].method, m, sizeof m);
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(paths, rt[i].pattern), m);
		const char *summary = cJSON_GetStringValue(cJSON_GetObjectItem(op, "summary"));
		if (rt[i].roles == 0 || rt[i].roles == AUTH_ANY)
			continue;
		ck_assert_msg(summary, "%s %s has no summary", rt[i].method, rt[i].pattern);
		for (int role = 0; role < AUTH_NROLES; role++)
			ck_assert_msg(!(rt[i].roles & AUTH_BIT(role)) || strstr(summary, auth_role_name(role)),
			              "the summary of %s %s does not name %s, which may call it: %s",
			              rt[i].method, rt[i].pattern, auth_role_name(role), summary);
	}
	cJSON_Delete(doc);
}
END_TEST

Suite *openapi_suite(void);
Suite *openapi_suite(void)
{
	Suite *s = suite_create("openapi");
	TCase *tc = tcase_create("sync");
	tcase_add_test(tc, routes_match_document);
	tcase_add_test(tc, route_table_sane);
	tcase_add_test(tc, query_parameters_match_document);
	tcase_add_test(tc, summaries_name_every_allowed_role);
	suite_add_tcase(s, tc);
	return s;
}
