/* check_strict_input.c — the one strict decoder of request input, over HTTP: trailing data,
 * duplicate keys, U+0000, invalid UTF-8 (body, path, query, Authorization), charsets,
 * control characters, numbers out of range, dates the server cannot compute with, unknown
 * members of action bodies and unknown query parameters. Each malformed request is
 * answered 4xx problem+json and changes nothing in the database. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

typedef char key_buf[AUTH_KEY_LEN + 1];
#define COPY(dst, src) snprintf(dst, sizeof dst, "%s", src)

static const char *wh_body(const char *code, const char *name)
{
	static char body[512];
	snprintf(body, sizeof body,
	         "{\"code\":\"%s\",\"name\":\"%s\",\"country\":\"ES\",\"time_zone\":\"Europe/Madrid\","
	         "\"kind\":\"fulfillment_center\"}",
	         code, name);
	return body;
}

/* Sends the request and checks it is refused with status (and, when given, a problem type
 * slug and an error naming field), writing nothing. */
static void refused(const char *method, const char *path, const char *key, const char *body,
                    const char *ctype, long status, const char *slug, const char *field)
{
	long long before = th_rows_total();
	struct th_resp *r = th_req(method, path, key, body, ctype, NULL);
	ck_assert_msg(th_is_problem(r, status), "%s %s: wanted %ld", method, path, status);
	if (slug) {
		char type[96];
		snprintf(type, sizeof type, "urn:wms:problem:%s", slug);
		ck_assert_str_eq(th_str(r->json, "type"), type);
	}
	if (field)
		ck_assert_msg(th_has_field_error(r, field), "no error names %s in %s", field, r->body);
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
}

START_TEST(trailing_data_after_the_body_is_malformed)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	char body[600];
	snprintf(body, sizeof body, "%s this is not json", wh_body(th_code("WH"), "W"));
	refused("POST", "/v1/warehouses", admin, body, NULL, 400, "malformed", NULL);
	snprintf(body, sizeof body, "%s {}", wh_body(th_code("WH"), "W"));
	refused("POST", "/v1/warehouses", admin, body, NULL, 400, "malformed", NULL);
	/* whitespace after the value is fine */
	snprintf(body, sizeof body, " %s \r\n\t", wh_body(th_code("WH"), "W"));
	th_expect(th_req("POST", "/v1/warehouses", admin, body, NULL, NULL), 201);
}
END_TEST

START_TEST(duplicate_keys_are_malformed_and_named)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	char body[600];
	snprintf(body, sizeof body,
	         "{\"code\":\"%s\",\"name\":\"A\",\"name\":\"B\",\"country\":\"ES\","
	         "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}",
	         th_code("WH"));
	long long before = th_rows_total();
	struct th_resp *r = th_req("POST", "/v1/warehouses", admin, body, NULL, NULL);
	ck_assert(th_is_problem(r, 400));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:duplicate-key");
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "\"name\""));
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
}
END_TEST

START_TEST(nul_in_a_string_is_invalid_on_that_field)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	char body[600];
	snprintf(body, sizeof body, "%s", wh_body(th_code("WH"), "Madrid\\u0000 FC"));
	refused("POST", "/v1/warehouses", admin, body, NULL, 422, "validation", "name");

	/* in a scanned barcode the scan is not applied */
	struct rcv_world w;
	rcv_world_new(&w, 1000);
	char g14[15], ean[14], id[37], asn[32], sid[37];
	rcv_sku_new(&w, "NUL-1", g14, ean);
	const char *skus[] = {"NUL-1"};
	const int qty[] = {5};
	rcv_shipment_new(&w, "arrived", 1, skus, qty, id, asn);
	rcv_uuid(sid);
	snprintf(body, sizeof body,
	         "{\"scan_id\":\"%s\",\"shipment\":\"%s\",\"barcode\":\"%s\\u0000999\"}", sid, id, ean);
	refused("POST", "/v1/receiving/scans", w.staff, body, NULL, 422, "validation", "barcode");
}
END_TEST

START_TEST(invalid_utf8_anywhere_is_bad_encoding)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	char body[600];
	snprintf(body, sizeof body, "%s", wh_body(th_code("WH"), "Mad\xff rid"));
	refused("POST", "/v1/warehouses", admin, body, NULL, 400, "bad-encoding", NULL);
	snprintf(body, sizeof body, "%s", wh_body(th_code("WH"), "\xed\xa0\x80 surrogate"));
	refused("POST", "/v1/warehouses", admin, body, NULL, 400, "bad-encoding", NULL);
	snprintf(body, sizeof body, "%s", wh_body(th_code("WH"), "\\ud800 unpaired"));
	refused("POST", "/v1/warehouses", admin, body, NULL, 400, "bad-encoding", NULL);
	snprintf(body, sizeof body, "%s", wh_body(th_code("WH"), "\xc0\xaf overlong"));
	refused("POST", "/v1/warehouses", admin, body, NULL, 400, "bad-encoding", NULL);
	/* a path parameter, a query value, the Authorization header */
	refused("GET", "/v1/warehouses/ES%ffMAD", admin, NULL, NULL, 400, "bad-encoding", NULL);
	refused("GET", "/v1/sellers?limit=%ff", admin, NULL, NULL, 400, "bad-encoding", NULL);
	refused("GET", "/v1/warehouses/ES-MAD/bins?zone=A%c0%af", admin, NULL, NULL, 400,
	        "bad-encoding", NULL);
	refused("GET", "/v1/warehouses?limit=1%00", admin, NULL, NULL, 400, "bad-encoding", NULL);
	struct th_resp *r = th_req("GET", "/v1/warehouses", NULL, NULL, NULL,
	                           "Authorization: Bearer wms_\xff\xfe");
	ck_assert(th_is_problem(r, 400));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:bad-encoding");
	th_resp_free(r);
	/* well-formed UTF-8 is text like any other */
	th_expect(th_req("POST", "/v1/warehouses", admin, wh_body(th_code("WH"), "Málaga 倉庫 🚚"),
	                 NULL, NULL),
	          201);
}
END_TEST

START_TEST(charset_other_than_utf8_is_unsupported)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	refused("POST", "/v1/warehouses", admin, wh_body(th_code("WH"), "W"),
	        "application/json; charset=latin1", 415, "unsupported-media-type", NULL);
	refused("POST", "/v1/warehouses", admin, wh_body(th_code("WH"), "W"),
	        "application/json;charset=\"iso-8859-1\"", 415, "unsupported-media-type", NULL);
	th_expect(th_req("POST", "/v1/warehouses", admin, wh_body(th_code("WH"), "W"),
	                 "application/json; charset=UTF-8", NULL),
	          201);
	th_expect(th_req("POST", "/v1/warehouses", admin, wh_body(th_code("WH"), "W"),
	                 "application/json;charset=\"utf-8\"", NULL),
	          201);
}
END_TEST

START_TEST(control_characters_in_names_codes_and_zones_are_invalid)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	refused("POST", "/v1/warehouses", admin, wh_body(th_code("WH"), "Madrid\\nFC"), NULL, 422,
	        "validation", "name");
	refused("POST", "/v1/warehouses", admin, wh_body(th_code("WH"), "Madrid\\u007f"), NULL, 422,
	        "validation", "name");
	char code[64], path[128];
	COPY(code, th_code("WH"));
	th_expect(th_req("POST", "/v1/warehouses", admin, wh_body(code, "W"), NULL, NULL), 201);
	snprintf(path, sizeof path, "/v1/warehouses/%s/bins", code);
	refused("POST", path, admin, "{\"code\":\"A-01\",\"zone\":\"A\\t1\"}", NULL, 422, "validation",
	        "zone");
	refused("POST", path, admin, "{\"code\":\"A\\u001b01\",\"zone\":\"A\"}", NULL, 422,
	        "validation", "code");
	refused("POST", "/v1/sellers", admin,
	        "{\"code\":\"SL-X\\r\",\"name\":\"S\",\"country\":\"CN\",\"currency\":\"CNY\"}", NULL,
	        422, "validation", "code");
}
END_TEST

START_TEST(numbers_out_of_range_or_not_integers_are_invalid)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	char body[600];
	const char *bad[] = {"1e308", "1e400", "-1", "100001", "1.5", "\"10\"", "true", "1e15"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(body, sizeof body,
		         "{\"code\":\"%s\",\"name\":\"W\",\"country\":\"ES\",\"time_zone\":\"Europe/Madrid\","
		         "\"kind\":\"fulfillment_center\",\"over_receipt_tolerance_bp\":%s}",
		         th_code("WH"), bad[i]);
		refused("POST", "/v1/warehouses", admin, body, NULL, 422, "validation",
		        "over_receipt_tolerance_bp");
	}
	/* absurd histogram weights (1e308 each: their sum overflows) */
	refused("PUT", "/v1/network/processing/NO-SUCH-ORIGIN", admin,
	        "{\"order_cutoff\":\"14:00\",\"histogram_h\":[1e308,1e308]}", NULL, 422, "validation",
	        "histogram_h");
}
END_TEST

START_TEST(dates_beyond_what_the_server_computes_with_are_invalid)
{
	struct rcv_world w;
	rcv_world_new(&w, 1000);
	refused("GET", "/v1/sellers/me/statement?from=0000-01-01&to=9999-12-31", w.seller_key, NULL,
	        NULL, 422, "validation", "from");
	refused("GET", "/v1/sellers/me/statement?from=2026-01-01&to=9999-12-31", w.seller_key, NULL,
	        NULL, 422, "validation", "to");
	th_expect(th_req("GET", "/v1/sellers/me/statement?from=2026-01-01&to=2026-02-01T00:00:00.5Z",
	                 w.seller_key, NULL, NULL, NULL),
	          200);
	char body[600];
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"full\",\"lines\":[{\"sku\":\"X\",\"qty\":1,"
	         "\"expiry\":\"9999-12-31\"}],\"handover\":{\"type\":\"drop_off\","
	         "\"expected_arrival\":\"0001-01-01\"}}",
	         w.wh);
	long long before = th_rows_total();
	struct th_resp *r = th_req("POST", "/v1/inbound-shipments", w.seller_key, body, NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "lines[0].expiry"));
	ck_assert(th_has_field_error(r, "handover.expected_arrival"));
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
}
END_TEST

START_TEST(unknown_members_of_action_bodies_change_nothing)
{
	struct rcv_world w;
	rcv_world_new(&w, 1000);
	char id[37], asn[32], path[128];
	const char *skus[] = {"ACT-1"};
	const int qty[] = {5};
	char g14[15], ean[14];
	rcv_sku_new(&w, "ACT-1", g14, ean);
	rcv_shipment_new(&w, "booked", 1, skus, qty, id, asn);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/cancel", id);
	refused("POST", path, w.seller_key, "{\"foo\":1}", NULL, 422, "validation", "foo");
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM inbound_shipments WHERE id = $1", id, NULL),
	                 "booked");
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/arrive", id);
	refused("POST", path, w.staff, "{\"at\":\"dock 3\"}", NULL, 422, "validation", "at");
	refused("POST", path, w.staff, "[]", NULL, 400, "malformed", NULL);
	refused("POST", path, w.staff, "{}", "text/plain", 415, NULL, NULL);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM inbound_shipments WHERE id = $1", id, NULL),
	                 "booked");
	/* an empty object, or no body at all, is the action itself */
	th_expect(th_req("POST", path, w.staff, "{}", NULL, NULL), 200);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/close", id);
	refused("POST", path, w.staff, "{\"force\":true}", NULL, 422, "validation", "force");
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM inbound_shipments WHERE id = $1", id, NULL),
	                 "arrived");
	/* a read takes no body */
	refused("GET", "/v1/inbound-shipments", w.seller_key, "{}", NULL, 400, "malformed", NULL);
}
END_TEST

START_TEST(unknown_query_parameters_are_bad_queries)
{
	struct rcv_world w;
	rcv_world_new(&w, 1000);
	struct th_resp *r =
		th_req("GET", "/v1/inbound-shipments?asn=ASN-1", w.seller_key, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 400));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:bad-query");
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "\"asn\""));
	th_resp_free(r);
	ck_assert(th_problem(th_req("GET", "/v1/warehouses?limit=5&Limit=5", w.admin, NULL, NULL, NULL),
	                     400, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/healthz?x=1", NULL, NULL, NULL, NULL), 400, NULL, NULL));
	th_expect(th_req("GET", "/v1/inbound-shipments?state=booked&limit=5", w.seller_key, NULL,
	                 NULL, NULL),
	          200);
}
END_TEST

Suite *strict_input_suite(void);
Suite *strict_input_suite(void)
{
	Suite *s = suite_create("strict_input");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, trailing_data_after_the_body_is_malformed);
	tcase_add_test(tc, duplicate_keys_are_malformed_and_named);
	tcase_add_test(tc, nul_in_a_string_is_invalid_on_that_field);
	tcase_add_test(tc, invalid_utf8_anywhere_is_bad_encoding);
	tcase_add_test(tc, charset_other_than_utf8_is_unsupported);
	tcase_add_test(tc, control_characters_in_names_codes_and_zones_are_invalid);
	tcase_add_test(tc, numbers_out_of_range_or_not_integers_are_invalid);
	tcase_add_test(tc, dates_beyond_what_the_server_computes_with_are_invalid);
	tcase_add_test(tc, unknown_members_of_action_bodies_change_nothing);
	tcase_add_test(tc, unknown_query_parameters_are_bad_queries);
	suite_add_tcase(s, tc);
	return s;
}
