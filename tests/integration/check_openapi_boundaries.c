/* check_openapi_boundaries.c — walks GET /v1/openapi.json and sends every write endpoint
 * boundary values for each documented body field (top level, and one level into objects
 * and arrays of objects): empty and too long strings, the wrong JSON type, numbers below,
 * above and far beyond the documented range, U+0000 and invalid UTF-8. Every one must be
 * answered 4xx application/problem+json — a 422 naming the field (400 for bytes that are
 * not UTF-8) — and write nothing: no row appears in any table and a patched object reads
 * the same afterwards. Prints how many requests it sent with each status. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/router.h"
#include "api/routes.h"
#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

typedef char key_buf[AUTH_KEY_LEN + 1];
#define COPY(dst, src) snprintf(dst, sizeof dst, "%s", src)

/* The objects the endpoints' path parameters name, and a key per role. */
struct world {
	struct rcv_world w;
	key_buf platform;
	char bin[32], sku[32], shipment[37], leg[64], promise[64], node[64];
	const cJSON *schemas;
	long counts[600];
	int sent, failures;
};

/* Records a failed expectation (all are printed, the test fails at the end). */
#define EXPECT(x, cond, ...)                                                                      \
	do {                                                                                          \
		if (!(cond)) {                                                                            \
			fprintf(stderr, "boundary: " __VA_ARGS__);                                            \
			fprintf(stderr, "\n");                                                                \
			(x)->failures++;                                                                      \
		}                                                                                         \
	} while (0)

static const char *param_value(const struct world *x, const char *pattern, const char *name)
{
	if (strcmp(name, "code") == 0)
		return strncmp(pattern, "/v1/network", 11) == 0 ? x->node : x->w.wh;
	if (strcmp(name, "bin") == 0)
		return x->bin;
	if (strcmp(name, "seller") == 0)
		return x->w.seller;
	if (strcmp(name, "sku") == 0)
		return x->sku;
	if (strcmp(name, "origin") == 0)
		return x->node;
	if (strcmp(name, "id") == 0)
		return strstr(pattern, "/legs/") ? x->leg
		     : strstr(pattern, "/promises/") ? x->promise
		                                     : x->shipment;
	return "X";
}

/* The path with its parameters filled in. */
static void fill_path(const struct world *x, const char *pattern, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = pattern; *p && k + 1 < n;) {
		if (*p == '{') {
			char name[32];
			size_t len = strcspn(p + 1, "}");
			snprintf(name, sizeof name, "%.*s", (int)len, p + 1);
			k += (size_t)snprintf(out + k, n - k, "%s", param_value(x, pattern, name));
			p += len + 2;
		} else {
			out[k++] = *p++;
		}
	}
	out[k < n ? k : n - 1] = '\0';
}

static const char *key_for(const struct world *x, unsigned roles)
{
	if (roles & AUTH_BIT(AUTH_ADMIN))
		return x->w.admin;
	if (roles & AUTH_BIT(AUTH_STAFF))
		return x->w.staff;
	if (roles & AUTH_BIT(AUTH_PLATFORM))
		return x->platform;
	return x->w.seller_key;
}

static const cJSON *resolve(const struct world *x, const cJSON *s)
{
	const cJSON *ref;
	while (s && cJSON_IsString(ref = cJSON_GetObjectItem(s, "$ref")))
		s = cJSON_GetObjectItem(x->schemas, strrchr(ref->valuestring, '/') + 1);
	return s;
}

/* The JSON type a schema documents: "string", "integer", "number", "boolean", "object",
 * "array"; an enum is a string. */
static const char *type_of(const cJSON *s)
{
	const cJSON *t = cJSON_GetObjectItem(s, "type");
	if (cJSON_IsString(t))
		return t->valuestring;
	if (cJSON_IsArray(t) && cJSON_IsString(cJSON_GetArrayItem(t, 0)))
		return cJSON_GetArrayItem(t, 0)->valuestring;
	if (cJSON_GetObjectItem(s, "enum"))
		return "string";
	if (cJSON_GetObjectItem(s, "properties"))
		return "object";
	return NULL;
}

/* Bad values for a field of schema s: JSON texts, and whether each is invalid UTF-8. */
static int bad_values(const cJSON *s, char vals[][6000], int *utf8_bad)
{
	const char *type = type_of(s);
	int n = 0;
	if (!type)
		return 0;
	if (strcmp(type, "string") == 0) {
		const cJSON *min = cJSON_GetObjectItem(s, "minLength");
		const cJSON *max = cJSON_GetObjectItem(s, "maxLength");
		if (!cJSON_IsNumber(min) || min->valueint > 0)
			snprintf(vals[n++], 6000, "\"\"");
		int len = cJSON_IsNumber(max) ? max->valueint + 1 : 5000;
		vals[n][0] = '"';
		memset(vals[n] + 1, 'A', (size_t)len);
		snprintf(vals[n] + 1 + len, 6000 - 1 - (size_t)len, "\"");
		n++;
		snprintf(vals[n++], 6000, "12345");
		snprintf(vals[n++], 6000, "{\"a\":1}");
		snprintf(vals[n++], 6000, "\"ab\\u0000cd\"");
		snprintf(vals[n++], 6000, "\"A\\u001bB\"");
		utf8_bad[n] = 1;
		snprintf(vals[n++], 6000, "\"ab\xff\xfe\"");
	} else if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
		const cJSON *min = cJSON_GetObjectItem(s, "minimum");
		const cJSON *max = cJSON_GetObjectItem(s, "maximum");
		if (cJSON_IsNumber(min))
			snprintf(vals[n++], 6000, "%.0f", min->valuedouble - 1);
		if (cJSON_IsNumber(max))
			snprintf(vals[n++], 6000, "%.0f", max->valuedouble + 1);
		if (strcmp(type, "integer") == 0)
			snprintf(vals[n++], 6000, "1.5");
		snprintf(vals[n++], 6000, "1e308");
		snprintf(vals[n++], 6000, "-1e400");
		snprintf(vals[n++], 6000, "\"7\"");
		snprintf(vals[n++], 6000, "[1]");
	} else if (strcmp(type, "boolean") == 0) {
		snprintf(vals[n++], 6000, "\"true\"");
		snprintf(vals[n++], 6000, "1");
	} else if (strcmp(type, "object") == 0) {
		snprintf(vals[n++], 6000, "\"x\"");
		snprintf(vals[n++], 6000, "[]");
		if (cJSON_GetObjectItem(s, "properties")) /* not a map of free keys */
			snprintf(vals[n++], 6000, "{\"no_such_member\":1}");
	} else if (strcmp(type, "array") == 0) {
		snprintf(vals[n++], 6000, "{}");
		snprintf(vals[n++], 6000, "\"x\"");
		snprintf(vals[n++], 6000, "[\"\\u0000\"]");
	}
	return n;
}

/* A read of the object a PATCH/PUT changes (its GET at the same path), or NULL. */
static char *read_back(const char *key, const char *path)
{
	struct th_resp *r = th_req("GET", path, key, NULL, NULL, NULL);
	char *body = r->status == 200 ? strdup(r->body) : NULL;
	th_resp_free(r);
	return body;
}

/* Sends {field: value} (wrapped as parent: {field} or parent: [{field}] for nested ones)
 * and checks the answer. */
static void send_one(struct world *x, const char *method, const char *path, const char *key,
                     const char *parent, bool in_array, const char *field, const char *value,
                     bool not_utf8)
{
	static char body[6400];
	char name[160];
	if (parent) {
		snprintf(body, sizeof body, in_array ? "{\"%.64s\":[{\"%.64s\":%.6000s}]}" : "{\"%.64s\":{\"%.64s\":%.6000s}}",
		         parent, field, value);
		snprintf(name, sizeof name, in_array ? "%s[0].%s" : "%s.%s", parent, field);
	} else {
		snprintf(body, sizeof body, "{\"%.64s\":%.6000s}", field, value);
		snprintf(name, sizeof name, "%s", field);
	}
	struct th_resp *r = th_req(method, path, key, body, NULL, NULL);
	x->sent++;
	if (r->status >= 0 && r->status < 600)
		x->counts[r->status]++;
	EXPECT(x, r->status >= 400 && r->status < 500 &&
	                  strncmp(r->ctype, "application/problem+json", 24) == 0,
	              "%s %s %.200s: answered %ld %s", method, path, body, r->status, r->body);
	if (not_utf8) {
		EXPECT(x, r->status == 400, "%s %s: invalid UTF-8 answered %ld", method, path,
		              r->status);
	} else if (r->status == 422) {
		bool named = false;
		const cJSON *e;
		cJSON_ArrayForEach(e, th_at(r->json, "errors"))
		{
			/* the field, something inside it, or (nested) the object holding it */
			const char *f = th_str(e, "field");
			const char *outer = parent ? parent : name;
			size_t nl = strlen(name), ol = strlen(outer);
			named |= f && ((strncmp(f, name, nl) == 0 && strchr(".[", f[nl] ? f[nl] : '.')) ||
			               (strncmp(f, outer, ol) == 0 && (f[ol] == '\0' ||
			                                               (parent && strchr(".[", f[ol])))));
		}
		EXPECT(x, named, "%s %s %.200s: the 422 does not name %s: %s", method, path, body,
		              name, r->body);
	} else {
		EXPECT(x, r->status != 404 && r->status != 409,
		              "%s %s %.200s: answered %ld before validating the body: %s", method, path,
		              body, r->status, r->body);
	}
	th_resp_free(r);
}

static void walk_fields(struct world *x, const char *method, const char *path, const char *key,
                        const cJSON *schema, const char *parent, bool in_array)
{
	static char vals[16][6000];
	const cJSON *prop;
	cJSON_ArrayForEach(prop, cJSON_GetObjectItem(schema, "properties"))
	{
		const cJSON *s = resolve(x, prop);
		int utf8_bad[16] = {0};
		int n = bad_values(s, vals, utf8_bad);
		for (int i = 0; i < n; i++)
			send_one(x, method, path, key, parent, in_array, prop->string, vals[i], utf8_bad[i]);
		if (parent)
			continue;
		const char *type = type_of(s);
		if (type && strcmp(type, "object") == 0)
			walk_fields(x, method, path, key, s, prop->string, false);
		if (type && strcmp(type, "array") == 0) {
			const cJSON *items = resolve(x, cJSON_GetObjectItem(s, "items"));
			if (cJSON_GetObjectItem(items, "properties"))
				walk_fields(x, method, path, key, items, prop->string, true);
		}
	}
}

static void world_new(struct world *x)
{
	memset(x, 0, sizeof *x);
	rcv_world_new(&x->w, 1000);
	COPY(x->platform, th_key(AUTH_PLATFORM, NULL));
	char g14[15], ean[14], asn[32], path[160];
	COPY(x->sku, "BND-1");
	rcv_sku_new(&x->w, x->sku, g14, ean);
	const char *skus[] = {x->sku};
	const int qty[] = {5};
	rcv_shipment_new(&x->w, "booked", 1, skus, qty, x->shipment, asn);
	COPY(x->bin, "BND-A-01");
	snprintf(path, sizeof path, "/v1/warehouses/%s/bins", x->w.wh);
	th_expect(th_reqf("POST", path, x->w.admin, "{\"code\":\"%s\",\"zone\":\"A\"}", x->bin), 201);
	COPY(x->node, th_code("ND"));
	th_expect(th_reqf("POST", "/v1/network/nodes", x->w.admin,
	                  "{\"code\":\"%s\",\"kind\":\"hub\",\"country\":\"CN\","
	                  "\"time_zone\":\"Asia/Shanghai\"}",
	                  x->node),
	          201);
	/* a leg and a promise may not exist; their PATCHes are then checked against 404 */
	COPY(x->leg, th_sql_value("SELECT coalesce(min(id), 'NO-LEG') FROM network_legs"));
	COPY(x->promise,
	     th_sql_value("SELECT coalesce((SELECT id::text FROM promise_targets LIMIT 1), '0')"));
}

START_TEST(every_documented_field_refuses_its_boundary_values)
{
	static struct world x;
	world_new(&x);
	struct th_resp *doc = th_req("GET", "/v1/openapi.json", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(doc->status, 200);
	x.schemas = cJSON_GetObjectItem(cJSON_GetObjectItem(doc->json, "components"), "schemas");
	size_t nroutes;
	const struct route *rt = routes_table(&nroutes);
	int endpoints = 0;
	for (size_t i = 0; i < nroutes; i++) {
		if (!(rt[i].flags & ROUTE_JSON_BODY))
			continue;
		char m[8];
		for (int k = 0; k < 7 && rt[i].method[k]; k++)
			m[k] = (char)(rt[i].method[k] - 'A' + 'a'), m[k + 1] = '\0';
		const cJSON *op = th_at(cJSON_GetObjectItem(th_at(doc->json, "paths"), rt[i].pattern), m);
		const cJSON *schema = resolve(
			&x, th_at(op, "requestBody.content.application/json.schema"));
		if (!cJSON_GetObjectItem(schema, "properties"))
			continue;
		char path[256];
		fill_path(&x, rt[i].pattern, path, sizeof path);
		const char *key = key_for(&x, rt[i].roles);
		if (strstr(rt[i].pattern, "/legs/{id}") && strcmp(x.leg, "NO-LEG") == 0)
			continue;
		if (strstr(rt[i].pattern, "/promises/{id}") && strcmp(x.promise, "0") == 0)
			continue;
		char *before_obj = strcmp(rt[i].method, "POST") ? read_back(key, path) : NULL;
		long long before = th_rows_total();
		walk_fields(&x, rt[i].method, path, key, schema, NULL, false);
		EXPECT(&x, th_rows_total() == before, "%s %s wrote rows for a refused request",
		              rt[i].method, rt[i].pattern);
		if (before_obj) {
			char *after_obj = read_back(key, path);
			EXPECT(&x, after_obj && strcmp(before_obj, after_obj) == 0,
			              "%s %s changed the object for a refused request", rt[i].method,
			              rt[i].pattern);
			free(after_obj);
		}
		free(before_obj);
		endpoints++;
	}
	fprintf(stderr, "openapi boundaries: %d requests to %d write endpoints:", x.sent, endpoints);
	for (int s = 0; s < 600; s++)
		if (x.counts[s])
			fprintf(stderr, " %d×%ld", s, x.counts[s]);
	fprintf(stderr, "\n");
	ck_assert_int_ge(endpoints, 15);
	ck_assert_msg(x.failures == 0, "%d boundary requests were not refused as they should be",
	              x.failures);
	th_resp_free(doc);
}
END_TEST

Suite *openapi_boundaries_suite(void);
Suite *openapi_boundaries_suite(void)
{
	Suite *s = suite_create("openapi_boundaries");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_documented_field_refuses_its_boundary_values);
	suite_add_tcase(s, tc);
	return s;
}
