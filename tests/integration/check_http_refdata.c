/* check_http_refdata.c — bins, sellers and SKUs over HTTP against real
 * PostgreSQL: happy paths with their returned fields, cursor pagination and
 * filters, validation (every field named), request errors (400, 401, 403,
 * 415), tenant scope (another tenant's object is 404), duplicates (409) and
 * Idempotency-Key on the four creates (replay, mismatch, concurrent twins). */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "wms/checkdigit.h"

typedef char key_buf[AUTH_KEY_LEN + 1];
typedef char code_buf[64];

#define COPY(dst, src) snprintf(dst, sizeof dst, "%s", src)

static void new_warehouse(const char *admin, code_buf out)
{
	char body[256];
	snprintf(out, sizeof(code_buf), "%s", th_code("WH"));
	snprintf(body, sizeof body, "{\"code\":\"%s\",\"name\":\"W\",\"country\":\"ES\","
	         "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}", out);
	th_expect(th_req("POST", "/v1/warehouses", admin, body, NULL, NULL), 201);
}

/* Creates a seller; writes its code and id. */
static void new_seller(const char *admin, code_buf code, char id[37])
{
	char body[256];
	snprintf(code, sizeof(code_buf), "%s", th_code("SL"));
	snprintf(body, sizeof body,
	         "{\"code\":\"%s\",\"name\":\"Seller\",\"country\":\"CN\",\"currency\":\"CNY\"}", code);
	struct th_resp *r = th_req("POST", "/v1/sellers", admin, body, NULL, NULL);
	ck_assert_int_eq(r->status, 201);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

/* What most tests start from: admin and platform keys, a fresh seller (code
 * sl, id sid) and a fresh warehouse (code wh), each with a key of its own. */
struct cast {
	key_buf admin, platform, seller, staff;
	code_buf sl, wh;
	char sid[37];
};

static void cast_new(struct cast *c)
{
	COPY(c->admin, th_key(AUTH_ADMIN, NULL));
	COPY(c->platform, th_key(AUTH_PLATFORM, NULL));
	new_seller(c->admin, c->sl, c->sid);
	COPY(c->seller, th_key(AUTH_SELLER, c->sl));
	new_warehouse(c->admin, c->wh);
	COPY(c->staff, th_key(AUTH_STAFF, c->wh));
}

/* A valid GTIN-13 made of the twelve digits in body and their check digit. */
static void make_gtin(const char *body12, char out[14])
{
	int cd = wms_gs1_check_digit(body12, 12);
	ck_assert(cd >= 0 && cd <= 9);
	memcpy(out, body12, 12);
	out[12] = (char)('0' + cd);
	out[13] = '\0';
}

/* A complete SKU body in category; gtin is JSON ("\"...\"" or "null"),
 * extra is more members starting with a comma, or "". Static buffer. */
static const char *sku_body_in(const char *code, const char *gtin, const char *category,
                               const char *extra)
{
	static char body[1024];
	snprintf(body, sizeof body,
	         "{\"sku_code\":\"%s\",\"gtin\":%s,\"name\":\"Mug\",\"category\":\"%s\","
	         "\"weight_g\":350,\"dimensions_mm\":{\"length\":120,\"width\":90,\"height\":100},"
	         "\"declared_value\":{\"amount\":1299,\"currency\":\"EUR\"}%s}",
	         code, gtin, category, extra);
	return body;
}

static const char *sku_body(const char *code, const char *gtin, const char *extra)
{
	return sku_body_in(code, gtin, "kitchen", extra);
}

/* Walks the list at path with limit=2 from its first page (at most 100
 * pages): every page holds at most two items, no id comes twice, and each of
 * the n codes in want (created in that order) comes exactly once, newest
 * first. field names the code member of an item. */
static void walk(const char *key, const char *path, const char *field, code_buf *want, int n)
{
	char url[512], ids[200][37];
	int nids = 0, seen[8] = {0}, last = n;
	snprintf(url, sizeof url, "%s%climit=2", path, strchr(path, '?') ? '&' : '?');
	for (int page = 0; page < 100; page++) {
		struct th_resp *r = th_req("GET", url, key, NULL, NULL, NULL);
		ck_assert_int_eq(r->status, 200);
		const cJSON *items = th_at(r->json, "items"), *it;
		ck_assert(cJSON_IsArray(items));
		ck_assert_int_le(cJSON_GetArraySize(items), 2);
		cJSON_ArrayForEach(it, items)
		{
			const char *id = th_str(it, "id"), *code = th_str(it, field);
			ck_assert(id && code);
			for (int i = 0; i < nids; i++)
				ck_assert_str_ne(ids[i], id);
			if (nids < 200)
				COPY(ids[nids++], id);
			for (int i = 0; i < n; i++) {
				if (strcmp(want[i], code) != 0)
					continue;
				ck_assert_int_lt(i, last); /* newest first */
				last = i;
				seen[i]++;
			}
		}
		const char *next = th_str(r->json, "next_cursor");
		if (next)
			snprintf(url, sizeof url, "%s%climit=2&cursor=%s", path, strchr(path, '?') ? '&' : '?',
			         next);
		else
			ck_assert(cJSON_IsNull(th_at(r->json, "next_cursor")));
		th_resp_free(r);
		if (!next || last == 0)
			break;
	}
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(seen[i], 1);
}

/* --- bins ---------------------------------------------------------------- */

START_TEST(bin_lifecycle)
{
	key_buf admin;
	code_buf wh;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	new_warehouse(admin, wh);

	struct th_resp *r = th_call("POST", admin, "{\"code\":\"A-01.2_B\",\"zone\":\"PICK\"}",
	                         "/v1/warehouses/%s/bins", wh);
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(th_str(r->json, "code"), "A-01.2_B");
	ck_assert_str_eq(th_str(r->json, "zone"), "PICK");
	ck_assert_str_eq(th_str(r->json, "kind"), "storage");
	ck_assert_str_eq(th_str(r->json, "warehouse"), wh);
	ck_assert_int_eq(strlen(th_str(r->json, "id")), 36);
	ck_assert_ptr_nonnull(th_str(r->json, "created_at"));
	th_resp_free(r);

	r = th_call("POST", admin, "{\"code\":\"Q\",\"zone\":\"QA\",\"kind\":\"quarantine\"}",
	         "/v1/warehouses/%s/bins", wh);
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(th_str(r->json, "kind"), "quarantine");
	th_resp_free(r);

	/* the same code again in this warehouse: 409 naming code */
	ck_assert(th_problem(th_call("POST", admin, "{\"code\":\"A-01.2_B\",\"zone\":\"X\"}",
	                       "/v1/warehouses/%s/bins", wh), 409, "code", "duplicate"));
	/* ... but another warehouse may use it */
	code_buf wh2;
	new_warehouse(admin, wh2);
	th_expect(th_call("POST", admin, "{\"code\":\"A-01.2_B\",\"zone\":\"X\"}", "/v1/warehouses/%s/bins",
	            wh2), 201);
	ck_assert(th_problem(th_call("POST", admin, "{\"code\":\"B1\",\"zone\":\"X\"}",
	                       "/v1/warehouses/NO-SUCH-WH/bins"), 404, NULL, NULL));

	r = th_call("GET", admin, NULL, "/v1/warehouses/%s/bins/A-01.2_B", wh);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "zone"), "PICK");
	th_resp_free(r);
	ck_assert(th_problem(th_call("GET", admin, NULL, "/v1/warehouses/%s/bins/NOPE", wh), 404, NULL, NULL));

	r = th_call("PATCH", admin, "{\"zone\":\"BULK\",\"kind\":\"staging\"}",
	         "/v1/warehouses/%s/bins/A-01.2_B", wh);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "zone"), "BULK");
	ck_assert_str_eq(th_str(r->json, "kind"), "staging");
	ck_assert_str_eq(th_str(r->json, "code"), "A-01.2_B");
	th_resp_free(r);
	ck_assert(th_problem(th_call("PATCH", admin, "{\"code\":\"OTHER\"}", "/v1/warehouses/%s/bins/A-01.2_B",
	                       wh), 422, "code", "immutable"));
	ck_assert(th_problem(th_call("PATCH", admin, "{\"kind\":\"attic\",\"zone\":\"\"}",
	                       "/v1/warehouses/%s/bins/A-01.2_B", wh), 422, "kind", "enum"));
	ck_assert(th_problem(th_call("PATCH", admin, "{\"zone\":\"X\"}", "/v1/warehouses/%s/bins/NOPE", wh),
	                  404, NULL, NULL));
}
END_TEST

START_TEST(bin_request_errors)
{
	struct cast c;
	cast_new(&c);

	/* every missing and invalid field is named in one answer */
	struct th_resp *r = th_call("POST", c.admin, "{}", "/v1/warehouses/%s/bins", c.wh);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "code") && th_has_field_error(r, "zone"));
	th_resp_free(r);
	r = th_call("POST", c.admin,
	         "{\"code\":\"a b\",\"zone\":\"123456789012345678901234567890123\",\"kind\":\"x\","
	         "\"color\":\"red\"}", "/v1/warehouses/%s/bins", c.wh);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "code") && th_has_field_error(r, "zone") &&
	          th_has_field_error(r, "kind") && th_has_field_error(r, "color"));
	th_resp_free(r);
	ck_assert(th_problem(th_call("POST", c.admin, "{\"code\":\".A\",\"zone\":\"Z\"}",
	                       "/v1/warehouses/%s/bins", c.wh), 422, "code", "format"));
	ck_assert(th_problem(th_call("POST", c.admin, "{\"code\":\"A\",\"zone\":7}", "/v1/warehouses/%s/bins",
	                       c.wh), 422, "zone", "type"));

	ck_assert(th_problem(th_call("POST", c.admin, "{\"code\":", "/v1/warehouses/%s/bins", c.wh), 400, NULL,
	                  NULL));
	char path[128];
	snprintf(path, sizeof path, "/v1/warehouses/%s/bins", c.wh);
	ck_assert(th_problem(th_req("POST", path, c.admin, "{\"code\":\"A\",\"zone\":\"Z\"}", "text/plain",
	                         NULL), 415, NULL, NULL));
	ck_assert(th_problem(th_req("POST", path, NULL, "{}", NULL, NULL), 401, NULL, NULL));
	ck_assert(th_problem(th_req("GET", path, NULL, NULL, NULL, NULL), 401, NULL, NULL));
	/* c.staff may read their bins but not create them; sellers see no bins */
	ck_assert(th_problem(th_call("POST", c.staff, "{\"code\":\"A\",\"zone\":\"Z\"}",
	                       "/v1/warehouses/%s/bins", c.wh), 403, NULL, NULL));
	ck_assert(th_problem(th_call("PATCH", c.staff, "{\"zone\":\"Z\"}", "/v1/warehouses/%s/bins/A", c.wh), 403,
	                  NULL, NULL));
	ck_assert(th_problem(th_call("GET", c.seller, NULL, "/v1/warehouses/%s/bins", c.wh), 403, NULL, NULL));
}
END_TEST

START_TEST(bin_pagination_and_filters)
{
	key_buf admin;
	code_buf wh, bins[3], zone;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	new_warehouse(admin, wh);
	COPY(zone, th_code("Z"));
	for (int i = 0; i < 3; i++) {
		char body[512];
		snprintf(bins[i], sizeof bins[i], "B%d", i);
		snprintf(body, sizeof body, "{\"code\":\"%s\",\"zone\":\"%s\",\"kind\":\"%s\"}", bins[i],
		         zone, i == 1 ? "returns" : "storage");
		th_expect(th_call("POST", admin, body, "/v1/warehouses/%s/bins", wh), 201);
	}
	char path[256];
	snprintf(path, sizeof path, "/v1/warehouses/%s/bins", wh);
	walk(admin, path, "code", bins, 3);

	/* with the zone filter the three are the whole list: pages 2 + 1 */
	struct th_resp *r = th_call("GET", admin, NULL, "/v1/warehouses/%s/bins?zone=%s&limit=2", wh, zone);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 2);
	ck_assert_str_eq(th_str(r->json, "items.0.code"), "B2");
	ck_assert_str_eq(th_str(r->json, "items.1.code"), "B1");
	char next[128];
	COPY(next, th_str(r->json, "next_cursor"));
	th_resp_free(r);
	r = th_call("GET", admin, NULL, "/v1/warehouses/%s/bins?zone=%s&limit=2&cursor=%s", wh, zone, next);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.code"), "B0");
	ck_assert(cJSON_IsNull(th_at(r->json, "next_cursor")));
	th_resp_free(r);

	r = th_call("GET", admin, NULL, "/v1/warehouses/%s/bins?zone=%s&kind=returns", wh, zone);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.code"), "B1");
	th_resp_free(r);
	ck_assert(th_problem(th_call("GET", admin, NULL, "/v1/warehouses/%s/bins?kind=attic", wh), 400, NULL,
	                  NULL));
	ck_assert(th_problem(th_call("GET", admin, NULL, "/v1/warehouses/%s/bins?cursor=junk", wh), 400, NULL,
	                  NULL));

	/* an empty list is not a missing warehouse */
	r = th_call("GET", admin, NULL, "/v1/warehouses/%s/bins?zone=NO-SUCH-ZONE", wh);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 0);
	ck_assert(cJSON_IsNull(th_at(r->json, "next_cursor")));
	th_resp_free(r);
	ck_assert(th_problem(th_call("GET", admin, NULL, "/v1/warehouses/NO-SUCH-WH/bins"), 404, NULL, NULL));
}
END_TEST

START_TEST(bin_staff_scope)
{
	key_buf admin, staff, platform;
	code_buf own, other;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	new_warehouse(admin, own);
	new_warehouse(admin, other);
	COPY(staff, th_key(AUTH_STAFF, own));
	COPY(platform, th_key(AUTH_PLATFORM, NULL));
	th_expect(th_call("POST", admin, "{\"code\":\"S1\",\"zone\":\"Z\"}", "/v1/warehouses/%s/bins", own),
	       201);
	th_expect(th_call("POST", admin, "{\"code\":\"S1\",\"zone\":\"Z\"}", "/v1/warehouses/%s/bins", other),
	       201);

	struct th_resp *r = th_call("GET", staff, NULL, "/v1/warehouses/%s/bins?zone=Z", own);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "items.0.code"), "S1");
	th_resp_free(r);
	th_expect(th_call("GET", staff, NULL, "/v1/warehouses/%s/bins/S1", own), 200);
	/* another warehouse's bins are 404 for this staff, not 403 */
	ck_assert(th_problem(th_call("GET", staff, NULL, "/v1/warehouses/%s/bins", other), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", staff, NULL, "/v1/warehouses/%s/bins/S1", other), 404, NULL,
	                  NULL));
	th_expect(th_call("GET", platform, NULL, "/v1/warehouses/%s/bins", other), 200);
	th_expect(th_call("GET", platform, NULL, "/v1/warehouses/%s/bins/S1", other), 200);
}
END_TEST

/* --- sellers ------------------------------------------------------------- */

START_TEST(seller_lifecycle)
{
	key_buf admin, platform, seller, other_key;
	code_buf code, other;
	char id[37], other_id[37];
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	COPY(platform, th_key(AUTH_PLATFORM, NULL));
	COPY(code, th_code("SL"));
	char body[256];
	snprintf(body, sizeof body,
	         "{\"code\":\"%s\",\"name\":\"Acme\",\"country\":\"DE\",\"currency\":\"EUR\"}", code);
	struct th_resp *r = th_req("POST", "/v1/sellers", admin, body, NULL, NULL);
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(th_str(r->json, "code"), code);
	ck_assert_str_eq(th_str(r->json, "name"), "Acme");
	ck_assert_str_eq(th_str(r->json, "country"), "DE");
	ck_assert_str_eq(th_str(r->json, "currency"), "EUR");
	ck_assert_int_eq(strlen(th_str(r->json, "id")), 36);
	COPY(id, th_str(r->json, "id"));
	th_resp_free(r);
	ck_assert(th_problem(th_req("POST", "/v1/sellers", admin, body, NULL, NULL), 409, "code",
	                  "duplicate"));
	COPY(seller, th_key(AUTH_SELLER, code));
	new_seller(admin, other, other_id);
	COPY(other_key, th_key(AUTH_SELLER, other));

	/* by id, by code, and "me" */
	r = th_call("GET", admin, NULL, "/v1/sellers/%s", id);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "code"), code);
	th_resp_free(r);
	r = th_call("GET", platform, NULL, "/v1/sellers/%s", code);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "id"), id);
	th_resp_free(r);
	r = th_call("GET", seller, NULL, "/v1/sellers/me");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "id"), id);
	th_resp_free(r);
	th_expect(th_call("GET", seller, NULL, "/v1/sellers/%s", code), 200);
	/* another seller, by code or id, is 404; "me" without a seller is 404 */
	ck_assert(th_problem(th_call("GET", other_key, NULL, "/v1/sellers/%s", code), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", other_key, NULL, "/v1/sellers/%s", id), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", admin, NULL, "/v1/sellers/me"), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", admin, NULL, "/v1/sellers/NO-SUCH-SELLER"), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", admin, NULL, "/v1/sellers/00000000-0000-4000-8000-000000000000"),
	                  404, NULL, NULL));

	r = th_call("PATCH", admin, "{\"name\":\"Acme GmbH\",\"currency\":\"CHF\"}", "/v1/sellers/%s", code);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "name"), "Acme GmbH");
	ck_assert_str_eq(th_str(r->json, "currency"), "CHF");
	ck_assert_str_eq(th_str(r->json, "country"), "DE");
	th_resp_free(r);
	ck_assert(th_problem(th_call("PATCH", admin, "{\"code\":\"NEW\"}", "/v1/sellers/%s", id), 422, "code",
	                  "immutable"));
	ck_assert(th_problem(th_call("PATCH", seller, "{\"name\":\"Mine\"}", "/v1/sellers/me"), 403, NULL,
	                  NULL));
	ck_assert(th_problem(th_call("PATCH", admin, "{\"name\":\"x\"}", "/v1/sellers/NO-SUCH-SELLER"), 404,
	                  NULL, NULL));
}
END_TEST

START_TEST(seller_request_errors)
{
	struct cast c;
	cast_new(&c);

	struct th_resp *r = th_req("POST", "/v1/sellers", c.admin, "{}", NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "code") && th_has_field_error(r, "name") &&
	          th_has_field_error(r, "country") && th_has_field_error(r, "currency"));
	th_resp_free(r);
	r = th_req("POST", "/v1/sellers", c.admin,
	           "{\"code\":\"x\",\"name\":\"\",\"country\":\"XX\",\"currency\":\"EURO\",\"vat\":1}",
	           NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "code") && th_has_field_error(r, "name") &&
	          th_has_field_error(r, "country") && th_has_field_error(r, "currency") &&
	          th_has_field_error(r, "vat"));
	th_resp_free(r);
	ck_assert(th_problem(th_call("PATCH", c.admin, "{\"country\":\"ZZ\"}", "/v1/sellers/%s", c.sl), 422,
	                  "country", NULL));
	ck_assert(th_problem(th_req("POST", "/v1/sellers", c.admin, "[1,2", NULL, NULL), 400, NULL, NULL));
	ck_assert(th_problem(th_req("POST", "/v1/sellers", c.admin, "[]", NULL, NULL), 400, NULL, NULL));
	ck_assert(th_problem(th_req("POST", "/v1/sellers", c.admin, "{}", "application/xml", NULL), 415,
	                  NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/sellers", NULL, NULL, NULL, NULL), 401, NULL, NULL));
	ck_assert(th_problem(th_req("POST", "/v1/sellers", c.platform, "{}", NULL, NULL), 403, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/sellers", c.seller, NULL, NULL, NULL), 403, NULL, NULL));
}
END_TEST

START_TEST(seller_pagination)
{
	key_buf admin, platform;
	code_buf codes[3];
	char id[37];
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	COPY(platform, th_key(AUTH_PLATFORM, NULL));
	for (int i = 0; i < 3; i++)
		new_seller(admin, codes[i], id);
	walk(platform, "/v1/sellers", "code", codes, 3);
	ck_assert(th_problem(th_req("GET", "/v1/sellers?limit=201", admin, NULL, NULL, NULL), 400, NULL,
	                  NULL));
}
END_TEST

/* --- SKUs ---------------------------------------------------------------- */

START_TEST(sku_lifecycle)
{
	struct cast c;
	cast_new(&c);
	code_buf sl2;
	char sid2[37], g1[14], g2[14];
	new_seller(c.admin, sl2, sid2);
	make_gtin("400638133393", g1);
	make_gtin("590123412345", g2);

	char gtin[64];
	snprintf(gtin, sizeof gtin, "\"%s\"", g1);
	struct th_resp *r = th_call("POST", c.seller, sku_body("MUG-1", gtin, ""), "/v1/sellers/me/skus");
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(th_str(r->json, "sku_code"), "MUG-1");
	ck_assert_str_eq(th_str(r->json, "seller_id"), c.sid);
	ck_assert_int_eq(strlen(th_str(r->json, "gtin")), 14);
	ck_assert(th_str(r->json, "gtin")[0] == '0' && strcmp(th_str(r->json, "gtin") + 1, g1) == 0);
	ck_assert_str_eq(th_str(r->json, "name"), "Mug");
	ck_assert_str_eq(th_str(r->json, "category"), "kitchen");
	ck_assert_int_eq(th_num(r->json, "weight_g", 0), 350);
	ck_assert_int_eq(th_num(r->json, "dimensions_mm.length", 0), 120);
	ck_assert_int_eq(th_num(r->json, "dimensions_mm.width", 0), 90);
	ck_assert_int_eq(th_num(r->json, "dimensions_mm.height", 0), 100);
	ck_assert_int_eq(th_num(r->json, "declared_value.amount", 0), 1299);
	ck_assert_str_eq(th_str(r->json, "declared_value.currency"), "EUR");
	ck_assert(cJSON_IsFalse(th_at(r->json, "popular")));
	th_resp_free(r);

	/* duplicates: the code, and the GTIN in another form (GTIN-14) */
	ck_assert(th_problem(th_call("POST", c.seller, sku_body("MUG-1", "null", ""), "/v1/sellers/me/skus"),
	                  409, "sku_code", "duplicate"));
	snprintf(gtin, sizeof gtin, "\"0%s\"", g1);
	ck_assert(th_problem(th_call("POST", c.admin, sku_body("MUG-2", gtin, ""), "/v1/sellers/%s/skus", c.sid),
	                  409, "gtin", "duplicate"));
	/* another c.seller may have the same code and GTIN */
	th_expect(th_call("POST", c.admin, sku_body("MUG-1", gtin, ""), "/v1/sellers/%s/skus", sl2), 201);

	/* read: by the c.seller through "me", by c.admin and c.platform through id or code */
	r = th_call("GET", c.seller, NULL, "/v1/sellers/me/skus/MUG-1");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "seller_id"), c.sid);
	th_resp_free(r);
	th_expect(th_call("GET", c.admin, NULL, "/v1/sellers/%s/skus/MUG-1", c.sid), 200);
	th_expect(th_call("GET", c.platform, NULL, "/v1/sellers/%s/skus/MUG-1", c.sl), 200);
	ck_assert(th_problem(th_call("GET", c.admin, NULL, "/v1/sellers/%s/skus/NOPE", c.sid), 404, NULL, NULL));

	/* update: partial, a new GTIN, then clearing it */
	snprintf(gtin, sizeof gtin, "{\"gtin\":\"%s\",\"weight_g\":400}", g2);
	r = th_call("PATCH", c.seller, gtin, "/v1/sellers/me/skus/MUG-1");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "gtin") + 1, g2);
	ck_assert_int_eq(th_num(r->json, "weight_g", 0), 400);
	ck_assert_str_eq(th_str(r->json, "name"), "Mug");
	th_resp_free(r);
	r = th_call("PATCH", c.admin,
	         "{\"gtin\":null,\"dimensions_mm\":{\"length\":1,\"width\":2,\"height\":3},"
	         "\"declared_value\":{\"amount\":0,\"currency\":\"JPY\"},\"category\":\"cups_2\"}",
	         "/v1/sellers/%s/skus/MUG-1", c.sid);
	ck_assert_int_eq(r->status, 200);
	ck_assert(cJSON_IsNull(th_at(r->json, "gtin")));
	ck_assert_int_eq(th_num(r->json, "dimensions_mm.height", 0), 3);
	ck_assert_int_eq(th_num(r->json, "declared_value.amount", -1), 0);
	ck_assert_str_eq(th_str(r->json, "declared_value.currency"), "JPY");
	ck_assert_str_eq(th_str(r->json, "category"), "cups_2");
	ck_assert_int_eq(th_num(r->json, "weight_g", 0), 400);
	th_resp_free(r);
	ck_assert(th_problem(th_call("PATCH", c.seller, "{\"sku_code\":\"MUG-9\"}", "/v1/sellers/me/skus/MUG-1"),
	                  422, "sku_code", "immutable"));
	ck_assert(th_problem(th_call("PATCH", c.seller, "{\"name\":\"x\"}", "/v1/sellers/me/skus/NOPE"), 404,
	                  NULL, NULL));
	/* the GTIN of another SKU of this c.seller: 409 */
	snprintf(gtin, sizeof gtin, "\"%s\"", g1);
	th_expect(th_call("POST", c.seller, sku_body("MUG-3", gtin, ""), "/v1/sellers/me/skus"), 201);
	snprintf(gtin, sizeof gtin, "{\"gtin\":\"%s\"}", g1);
	ck_assert(th_problem(th_call("PATCH", c.seller, gtin, "/v1/sellers/me/skus/MUG-1"), 409, "gtin",
	                  "duplicate"));
}
END_TEST

/* A 409 for a duplicate GTIN names the seller's SKU that has it, whoever asks and in
 * whichever form the GTIN comes, on create (with and without Idempotency-Key) and update. */
static void expect_gtin_held_by(struct th_resp *r, const char *holder)
{
	char want[128];
	snprintf(want, sizeof want, "this seller already has a SKU with this GTIN: %s", holder);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "detail"), want);
	ck_assert_str_eq(th_str(r->json, "errors.0.field"), "gtin");
	ck_assert_str_eq(th_str(r->json, "errors.0.code"), "duplicate");
	ck_assert_str_eq(th_str(r->json, "errors.0.message"), want);
	th_resp_free(r);
}

START_TEST(duplicate_gtin_409_names_the_sku_that_has_it)
{
	struct cast c;
	cast_new(&c);
	char g[14], gtin[64];
	make_gtin("871125300120", g);
	snprintf(gtin, sizeof gtin, "\"%s\"", g);
	th_expect(th_call("POST", c.seller, sku_body("MUG-1", gtin, ""), "/v1/sellers/me/skus"), 201);
	th_expect(th_call("POST", c.seller, sku_body("MUG-2", "null", ""), "/v1/sellers/me/skus"), 201);

	expect_gtin_held_by(th_call("POST", c.seller, sku_body("MUG-3", gtin, ""), "/v1/sellers/me/skus"),
	                    "MUG-1");
	snprintf(gtin, sizeof gtin, "\"0%s\"", g);
	expect_gtin_held_by(th_call("POST", c.admin, sku_body("MUG-3", gtin, ""), "/v1/sellers/%s/skus",
	                            c.sl), "MUG-1");
	expect_gtin_held_by(th_req("POST", "/v1/sellers/me/skus", c.seller, sku_body("MUG-3", gtin, ""),
	                           NULL, "Idempotency-Key: dup-gtin-1"), "MUG-1");
	snprintf(gtin, sizeof gtin, "{\"gtin\":\"%s\"}", g);
	expect_gtin_held_by(th_call("PATCH", c.platform, gtin, "/v1/sellers/%s/skus/MUG-2", c.sid), "MUG-1");

	/* a duplicate code names no holder: the code is the holder */
	ck_assert(th_problem(th_call("POST", c.seller, sku_body("MUG-2", "null", ""), "/v1/sellers/me/skus"),
	                     409, "sku_code", "duplicate"));
	/* nothing was stored under the key: a corrected request may reuse it */
	th_expect(th_req("POST", "/v1/sellers/me/skus", c.seller, sku_body("MUG-3", "null", ""), NULL,
	                 "Idempotency-Key: dup-gtin-1"), 201);
}
END_TEST

START_TEST(sku_popular_is_platform_only)
{
	struct cast c;
	cast_new(&c);

	ck_assert(th_problem(th_call("POST", c.seller, sku_body("P-1", "null", ",\"popular\":true"),
	                       "/v1/sellers/me/skus"), 422, "popular", "forbidden"));
	struct th_resp *r = th_call("POST", c.seller, sku_body("P-1", "null", ",\"popular\":false"),
	                         "/v1/sellers/me/skus");
	ck_assert_int_eq(r->status, 201);
	ck_assert(cJSON_IsFalse(th_at(r->json, "popular")));
	th_resp_free(r);
	ck_assert(th_problem(th_call("PATCH", c.seller, "{\"popular\":true}", "/v1/sellers/me/skus/P-1"), 422,
	                  "popular", "forbidden"));
	r = th_call("PATCH", c.platform, "{\"popular\":true}", "/v1/sellers/%s/skus/P-1", c.sid);
	ck_assert_int_eq(r->status, 200);
	ck_assert(cJSON_IsTrue(th_at(r->json, "popular")));
	th_resp_free(r);
	/* a c.seller cannot take it back either */
	ck_assert(th_problem(th_call("PATCH", c.seller, "{\"popular\":false}", "/v1/sellers/me/skus/P-1"), 422,
	                  "popular", "forbidden"));
	r = th_call("POST", c.admin, sku_body("P-2", "null", ",\"popular\":true"), "/v1/sellers/%s/skus", c.sid);
	ck_assert_int_eq(r->status, 201);
	ck_assert(cJSON_IsTrue(th_at(r->json, "popular")));
	th_resp_free(r);
}
END_TEST

START_TEST(sku_validation)
{
	struct cast c;
	cast_new(&c);

	static const char *const required[] = {"sku_code", "name", "category", "weight_g",
	                                       "dimensions_mm", "declared_value", NULL};
	struct th_resp *r = th_call("POST", c.seller, "{}", "/v1/sellers/me/skus");
	ck_assert(th_is_problem(r, 422));
	for (int i = 0; required[i]; i++)
		ck_assert(th_has_field_error(r, required[i]));
	th_resp_free(r);

	/* a wrong check digit: 4006381333931 is valid, ...2 is not */
	ck_assert(th_problem(th_call("POST", c.seller, sku_body("G-1", "\"4006381333932\"", ""),
	                       "/v1/sellers/me/skus"), 422, "gtin", "check_digit"));
	ck_assert(th_problem(th_call("POST", c.seller, sku_body("G-1", "\"12345\"", ""), "/v1/sellers/me/skus"),
	                  422, "gtin", NULL));
	ck_assert(th_problem(th_call("POST", c.seller, sku_body("G-1", "4006381333931", ""),
	                       "/v1/sellers/me/skus"), 422, "gtin", NULL));

	/* every invalid field at once, nested ones named with their path */
	static const char *const bad_fields[] = {
		"sku_code", "name", "category", "weight_g", "dimensions_mm.length",
		"dimensions_mm.width", "dimensions_mm.height", "dimensions_mm.depth",
		"declared_value.amount", "declared_value.currency", "popular", "colour", NULL};
	r = th_call("POST", c.seller,
	         "{\"sku_code\":\"-x\",\"name\":\"\",\"category\":\"Kitchen\",\"weight_g\":0,"
	         "\"dimensions_mm\":{\"length\":0,\"width\":\"9\",\"depth\":3},"
	         "\"declared_value\":{\"amount\":-1,\"currency\":\"ABC\"},\"popular\":\"yes\","
	         "\"colour\":\"red\"}",
	         "/v1/sellers/me/skus");
	ck_assert(th_is_problem(r, 422));
	for (int i = 0; bad_fields[i]; i++)
		ck_assert(th_has_field_error(r, bad_fields[i]));
	th_resp_free(r);
	ck_assert(th_problem(th_call("POST", c.seller,
	                       "{\"sku_code\":\"A\",\"name\":\"n\",\"category\":\"c\",\"weight_g\":1000001,"
	                       "\"dimensions_mm\":[1,2,3],\"declared_value\":{\"amount\":100000000001,"
	                       "\"currency\":\"EUR\"}}",
	                       "/v1/sellers/me/skus"), 422, "dimensions_mm", "type"));
	r = th_call("POST", c.seller,
	         "{\"sku_code\":\"A\",\"name\":\"n\",\"category\":\"c\",\"weight_g\":1000001,"
	         "\"dimensions_mm\":{\"length\":10001,\"width\":1.5,\"height\":1},"
	         "\"declared_value\":{\"amount\":100000000001,\"currency\":\"EUR\"}}",
	         "/v1/sellers/me/skus");
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "weight_g") && th_has_field_error(r, "dimensions_mm.length") &&
	          th_has_field_error(r, "dimensions_mm.width") &&
	          th_has_field_error(r, "declared_value.amount"));
	th_resp_free(r);
	ck_assert(th_problem(th_call("PATCH", c.seller, "{\"declared_value\":{\"amount\":5}}",
	                       "/v1/sellers/me/skus/ANY"), 422, "declared_value.currency", "required"));

	/* request errors and roles */
	ck_assert(th_problem(th_call("POST", c.seller, "{\"sku_code\":", "/v1/sellers/me/skus"), 400, NULL,
	                  NULL));
	ck_assert(th_problem(th_req("POST", "/v1/sellers/me/skus", c.seller, sku_body("Z", "null", ""),
	                         "text/plain", NULL), 415, NULL, NULL));
	ck_assert(th_problem(th_req("POST", "/v1/sellers/me/skus", NULL, sku_body("Z", "null", ""), NULL,
	                         NULL), 401, NULL, NULL));
	ck_assert(th_problem(th_call("POST", c.staff, sku_body("Z", "null", ""), "/v1/sellers/%s/skus", c.sid), 403,
	                  NULL, NULL));
	ck_assert(th_problem(th_call("POST", c.platform, sku_body("Z", "null", ""), "/v1/sellers/%s/skus", c.sid),
	                  403, NULL, NULL));
	ck_assert(th_problem(th_call("GET", c.staff, NULL, "/v1/sellers/%s/skus", c.sid), 403, NULL, NULL));
	/* "me" from a key without a c.seller, and an unknown c.seller: 404 */
	ck_assert(th_problem(th_call("POST", c.admin, sku_body("Z", "null", ""), "/v1/sellers/me/skus"), 404,
	                  NULL, NULL));
	ck_assert(th_problem(th_call("POST", c.admin, sku_body("Z", "null", ""), "/v1/sellers/NO-SUCH/skus"),
	                  404, NULL, NULL));
}
END_TEST

START_TEST(sku_tenant_scope)
{
	key_buf admin, a, b;
	code_buf sa, sb;
	char ida[37], idb[37];
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	new_seller(admin, sa, ida);
	new_seller(admin, sb, idb);
	COPY(a, th_key(AUTH_SELLER, sa));
	COPY(b, th_key(AUTH_SELLER, sb));
	th_expect(th_call("POST", b, sku_body("B-ONLY", "null", ""), "/v1/sellers/me/skus"), 201);

	/* seller A reaching for seller B's SKU, by B's code or id, or as "me" */
	ck_assert(th_problem(th_call("GET", a, NULL, "/v1/sellers/%s/skus/B-ONLY", sb), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", a, NULL, "/v1/sellers/%s/skus/B-ONLY", idb), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", a, NULL, "/v1/sellers/me/skus/B-ONLY"), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", a, NULL, "/v1/sellers/%s/skus", sb), 404, NULL, NULL));
	ck_assert(th_problem(th_call("PATCH", a, "{\"name\":\"mine\"}", "/v1/sellers/%s/skus/B-ONLY", sb),
	                  404, NULL, NULL));
	ck_assert(th_problem(th_call("POST", a, sku_body("SNEAK", "null", ""), "/v1/sellers/%s/skus", sb), 404,
	                  NULL, NULL));
	ck_assert(th_problem(th_call("GET", a, NULL, "/v1/sellers/%s", sb), 404, NULL, NULL));
	/* B's SKU is untouched */
	struct th_resp *r = th_call("GET", b, NULL, "/v1/sellers/me/skus/B-ONLY");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "name"), "Mug");
	th_resp_free(r);
	r = th_call("GET", a, NULL, "/v1/sellers/me/skus");
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 0);
	th_resp_free(r);
}
END_TEST

START_TEST(sku_pagination_and_filters)
{
	struct cast c;
	cast_new(&c);
	code_buf skus[3];
	char g[14], path[128];
	make_gtin("000000012345", g); /* a GTIN-13 whose GTIN-12 form drops a zero */
	for (int i = 0; i < 3; i++) {
		char gtin[32];
		snprintf(skus[i], sizeof skus[i], "S-%d", i);
		snprintf(gtin, sizeof gtin, i == 1 ? "\"%s\"" : "null", g);
		th_expect(th_call("POST", c.seller, sku_body_in(skus[i], gtin, i == 2 ? "toys" : "kitchen", ""),
		            "/v1/sellers/me/skus"), 201);
	}
	snprintf(path, sizeof path, "/v1/sellers/%s/skus", c.sid);
	walk(c.admin, path, "sku_code", skus, 3);
	walk(c.seller, "/v1/sellers/me/skus", "sku_code", skus, 3);

	struct th_resp *r = th_call("GET", c.seller, NULL, "/v1/sellers/me/skus?category=kitchen");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 2);
	ck_assert_str_eq(th_str(r->json, "items.0.sku_code"), "S-1");
	ck_assert_str_eq(th_str(r->json, "items.1.sku_code"), "S-0");
	th_resp_free(r);
	/* the GTIN filter takes any length and normalises it */
	r = th_call("GET", c.seller, NULL, "/v1/sellers/me/skus?gtin=%s", g + 1);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.sku_code"), "S-1");
	th_resp_free(r);
	r = th_call("GET", c.seller, NULL, "/v1/sellers/me/skus?gtin=0%s", g);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	th_resp_free(r);
	ck_assert(th_problem(th_call("GET", c.seller, NULL, "/v1/sellers/me/skus?gtin=4006381333932"), 400,
	                  NULL, NULL));
	ck_assert(th_problem(th_call("GET", c.admin, NULL, "/v1/sellers/NO-SUCH/skus"), 404, NULL, NULL));
}
END_TEST

/* --- Idempotency-Key on the create endpoints ---------------------------- */

/* A create endpoint under test: who posts where, a valid body for a code
 * (variant changes a field other than the code), and SQL counting the objects
 * with that code ($1), in the parent scope ($2) when scope is not NULL. */
struct idem_target {
	const char *key;
	char path[128];
	void (*body)(char *out, size_t size, const char *code, int variant);
	const char *count_sql;
	const char *scope;
};

static void warehouse_idem_body(char *out, size_t size, const char *code, int variant)
{
	snprintf(out, size, "{\"code\":\"%s\",\"name\":\"W%d\",\"country\":\"ES\","
	         "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}", code, variant);
}

static void bin_idem_body(char *out, size_t size, const char *code, int variant)
{
	snprintf(out, size, "{\"code\":\"%s\",\"zone\":\"Z%d\"}", code, variant);
}

static void seller_idem_body(char *out, size_t size, const char *code, int variant)
{
	snprintf(out, size, "{\"code\":\"%s\",\"name\":\"S%d\",\"country\":\"CN\",\"currency\":\"CNY\"}",
	         code, variant);
}

static void sku_idem_body(char *out, size_t size, const char *code, int variant)
{
	snprintf(out, size, "%s", sku_body_in(code, "null", variant ? "toys" : "kitchen", ""));
}

static struct th_resp *idem_post(const struct idem_target *t, const char *code, int variant,
                                 const char *idem_key)
{
	char body[1024], hdr[320];
	t->body(body, sizeof body, code, variant);
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", idem_key);
	return th_req("POST", t->path, t->key, body, NULL, hdr);
}

static int idem_count(const struct idem_target *t, const char *code)
{
	return atoi(th_sql_valuep(t->count_sql, code, t->scope, NULL));
}

static int keys_stored(const char *idem_key)
{
	const char *p[] = {idem_key};
	return atoi(th_sql_valuev("SELECT count(*) FROM idempotency_keys WHERE key = $1", 1, p));
}

/* Replay (same answer, Idempotent-Replayed: true, one object), mismatch
 * (422, nothing created), and a duplicate code (409, nothing stored: the
 * corrected request may reuse the key). */
static void idem_sequential(const struct idem_target *t)
{
	code_buf code, other, key, key2;
	COPY(code, th_code("IC"));
	COPY(other, th_code("IC"));
	COPY(key, th_code("K"));
	COPY(key2, th_code("K"));
	struct th_resp *r1 = idem_post(t, code, 0, key);
	ck_assert_int_eq(r1->status, 201);
	ck_assert_ptr_null(th_header(r1, "Idempotent-Replayed"));
	struct th_resp *r2 = idem_post(t, code, 0, key);
	ck_assert_int_eq(r2->status, 201);
	ck_assert_str_eq(th_header(r2, "Idempotent-Replayed"), "true");
	ck_assert_str_eq(r2->body, r1->body);
	th_resp_free(r2);
	th_resp_free(r1);
	ck_assert_int_eq(idem_count(t, code), 1);
	ck_assert_int_eq(keys_stored(key), 1);

	ck_assert(th_problem(idem_post(t, code, 1, key), 422, NULL, NULL));
	ck_assert(th_problem(idem_post(t, other, 0, key), 422, NULL, NULL));
	ck_assert_int_eq(idem_count(t, other), 0);

	/* a duplicate code under a fresh key: 409, and the key stays free */
	ck_assert(th_problem(idem_post(t, code, 1, key2), 409, NULL, NULL));
	ck_assert_int_eq(keys_stored(key2), 0);
	ck_assert_int_eq(idem_count(t, code), 1);
	th_expect(idem_post(t, other, 1, key2), 201);
	ck_assert_int_eq(idem_count(t, other), 1);
	ck_assert_int_eq(keys_stored(key2), 1);

	ck_assert(th_problem(idem_post(t, code, 0, "has space"), 400, NULL, NULL));
}

/* One of two twins: the same body under the same key. */
struct idem_twin {
	const struct idem_target *t;
	const char *code, *key;
};

static struct th_resp *send_twin(void *arg)
{
	const struct idem_twin *tw = arg;
	return idem_post(tw->t, tw->code, 0, tw->key);
}

/* Two twins released at the same moment (th_twins): one object exists
 * after; the answers are 201 and its replay (same id), or 201 and 409. */
static void idem_twins(const struct idem_target *t, int rounds)
{
	for (int round = 0; round < rounds; round++) {
		code_buf code, key;
		long st[2];
		char id[2][40];
		COPY(code, th_code("TW"));
		COPY(key, th_code("K"));
		struct idem_twin tw = {t, code, key};
		th_twins(send_twin, &tw, st, id);
		ck_assert_msg((st[0] == 201 && st[1] == 201 && strcmp(id[0], id[1]) == 0) ||
		              (st[0] == 201 && st[1] == 409) || (st[0] == 409 && st[1] == 201),
		              "%s round %d: %ld %s, %ld %s", t->path, round, st[0], id[0], st[1], id[1]);
		ck_assert_int_eq(idem_count(t, code), 1);
		ck_assert_int_eq(keys_stored(key), 1);
	}
}

START_TEST(create_idempotency_key)
{
	struct cast c;
	cast_new(&c);
	struct idem_target wh = {c.admin, "/v1/warehouses", warehouse_idem_body,
	                         "SELECT count(*) FROM warehouses WHERE code = $1", NULL};
	struct idem_target bin = {c.admin, "", bin_idem_body,
	                          "SELECT count(*) FROM bins b JOIN warehouses w ON w.id = b.warehouse_id"
	                          " WHERE b.code = $1 AND w.code = $2", c.wh};
	struct idem_target sl = {c.admin, "/v1/sellers", seller_idem_body,
	                         "SELECT count(*) FROM sellers WHERE code = $1", NULL};
	struct idem_target sku = {c.seller, "/v1/sellers/me/skus", sku_idem_body,
	                          "SELECT count(*) FROM skus WHERE sku_code = $1 AND seller_id = $2",
	                          c.sid};
	snprintf(bin.path, sizeof bin.path, "/v1/warehouses/%s/bins", c.wh);
	const struct idem_target *all[] = {&wh, &bin, &sl, &sku};
	for (int i = 0; i < 4; i++) {
		idem_sequential(all[i]);
		idem_twins(all[i], i == 0 || i == 3 ? 4 : 2);
	}
	/* the key is the seller's: another seller's SKU under it is its own */
	code_buf key, sl2;
	char sid2[37];
	key_buf other;
	COPY(key, th_code("K"));
	th_expect(idem_post(&sku, "SHARED", 0, key), 201);
	new_seller(c.admin, sl2, sid2);
	COPY(other, th_key(AUTH_SELLER, sl2));
	sku.key = other;
	struct th_resp *r = idem_post(&sku, "SHARED", 0, key);
	ck_assert_int_eq(r->status, 201);
	ck_assert_ptr_null(th_header(r, "Idempotent-Replayed"));
	ck_assert_str_eq(th_str(r->json, "seller_id"), sid2);
	th_resp_free(r);
	/* a create that finds no parent (404) stores nothing */
	COPY(key, th_code("K"));
	struct idem_target nowh = {c.admin, "/v1/warehouses/NO-SUCH-WH/bins", bin_idem_body, NULL,
	                           NULL};
	ck_assert(th_problem(idem_post(&nowh, "B1", 0, key), 404, NULL, NULL));
	ck_assert_int_eq(keys_stored(key), 0);
}
END_TEST

Suite *http_refdata_suite(void);
Suite *http_refdata_suite(void)
{
	Suite *s = suite_create("http_refdata");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bin_lifecycle);
	tcase_add_test(tc, bin_request_errors);
	tcase_add_test(tc, bin_pagination_and_filters);
	tcase_add_test(tc, bin_staff_scope);
	tcase_add_test(tc, seller_lifecycle);
	tcase_add_test(tc, seller_request_errors);
	tcase_add_test(tc, seller_pagination);
	tcase_add_test(tc, sku_lifecycle);
	tcase_add_test(tc, duplicate_gtin_409_names_the_sku_that_has_it);
	tcase_add_test(tc, sku_popular_is_platform_only);
	tcase_add_test(tc, sku_validation);
	tcase_add_test(tc, sku_tenant_scope);
	tcase_add_test(tc, sku_pagination_and_filters);
	tcase_add_test(tc, create_idempotency_key);
	suite_add_tcase(s, tc);
	return s;
}
