/* check_inbound_refs.c — how a shipment is named and shown: by its id or its ASN number
 * wherever a shipment is addressed; ASN numbers that reveal nothing across tenants; the same
 * JSON from a create and a read; one instant format (…Z) in every answer. */
#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

static char *book(const struct rcv_world *w, const char *idem_key, char id[37], char asn[32])
{
	char extra[96];
	snprintf(extra, sizeof extra, "Idempotency-Key: %s", idem_key);
	char body[512];
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"full\",\"handover\":{\"type\":\"pickup\","
	         "\"address\":{\"street\":\"1 Road\",\"city\":\"Yiwu\",\"postal_code\":\"322000\","
	         "\"country\":\"CN\"},\"ready_from\":\"2030-01-15T09:00:00.250+08:00\","
	         "\"ready_until\":\"2030-01-15T17:00:00Z\"},\"lines\":[{\"sku\":\"REF-A\",\"qty\":3}]}",
	         w->wh);
	struct th_resp *r = th_req("POST", "/v1/inbound-shipments", w->seller_key, body, NULL, extra);
	ck_assert_msg(r->status == 201, "%s", r->body);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	snprintf(asn, 32, "%s", th_str(r->json, "asn"));
	char *text = strdup(r->body);
	th_resp_free(r);
	return text;
}

START_TEST(shipment_is_addressed_by_id_or_asn_everywhere)
{
	struct rcv_world w;
	char g[15], e[14], id[37], asn[32], path[160];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "REF-A", g, e);
	free(book(&w, th_code("K"), id, asn));
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s", asn);
	struct th_resp *r = th_req("GET", path, w.seller_key, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "id"), id);
	th_resp_free(r);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/in-transit", asn);
	th_expect(th_req("POST", path, w.seller_key, "{\"carrier\":\"DHL\",\"tracking_number\":\"T\"}",
	                 NULL, NULL),
	          200);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/arrive", asn);
	th_expect(th_req("POST", path, w.staff, NULL, NULL, NULL), 200);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/close", asn);
	r = th_req("POST", path, w.staff, "{\"confirm_short\":true}", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "shipment_id"), id);
	th_resp_free(r);
	/* another tenant's ASN is 404, as its id is */
	struct rcv_world other;
	rcv_world_new(&other, 1000);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s", asn);
	ck_assert(th_problem(th_req("GET", path, other.seller_key, NULL, NULL, NULL), 404, NULL, NULL));
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/cancel", asn);
	ck_assert(th_problem(th_req("POST", path, other.seller_key, NULL, NULL, NULL), 404, NULL, NULL));
}
END_TEST

START_TEST(asn_numbers_reveal_nothing_across_tenants)
{
	struct rcv_world w;
	char g[15], e[14], id[2][37], asn[2][32];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "REF-A", g, e);
	regex_t rx;
	ck_assert_int_eq(regcomp(&rx, "^ASN-[0-9A-F]{10}$", REG_EXTENDED | REG_NOSUB), 0);
	for (int i = 0; i < 2; i++) {
		free(book(&w, th_code("K"), id[i], asn[i]));
		ck_assert_msg(regexec(&rx, asn[i], 0, NULL, 0) == 0, "%s", asn[i]);
	}
	regfree(&rx);
	/* consecutive bookings are not consecutive numbers */
	long long a = strtoll(asn[0] + 4, NULL, 16), b = strtoll(asn[1] + 4, NULL, 16);
	ck_assert(b != a + 1 && a != b + 1);
}
END_TEST

/* Every string that looks like an instant is RFC 3339 UTC with a Z. */
static void assert_instants_end_in_z(const cJSON *j)
{
	const cJSON *c;
	if (cJSON_IsString(j)) {
		const char *s = j->valuestring;
		if (strlen(s) >= 19 && s[4] == '-' && s[10] == 'T')
			ck_assert_msg(s[strlen(s) - 1] == 'Z' && !strchr(s + 10, '+'), "instant %s", s);
		return;
	}
	cJSON_ArrayForEach(c, j)
		assert_instants_end_in_z(c);
}

START_TEST(create_and_read_answer_the_same_json_with_instants_in_z)
{
	struct rcv_world w;
	char g[15], e[14], id[37], asn[32], path[160];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "REF-A", g, e);
	char *created = book(&w, th_code("K"), id, asn);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s", id);
	struct th_resp *r = th_req("GET", path, w.seller_key, NULL, NULL, NULL);
	ck_assert_str_eq(r->body, created);
	ck_assert_str_eq(th_str(r->json, "handover.ready_from"), "2030-01-15T01:00:00.250000Z");
	assert_instants_end_in_z(r->json);
	th_resp_free(r);
	free(created);
	/* a warehouse, created with and without an Idempotency-Key, read back */
	const char *admin = th_key(AUTH_ADMIN, NULL);
	char key[AUTH_KEY_LEN + 1], code[40], body[256];
	snprintf(key, sizeof key, "%s", admin);
	for (int k = 0; k < 2; k++) {
		snprintf(code, sizeof code, "%s", th_code("WH"));
		snprintf(body, sizeof body, "{\"code\":\"%s\",\"name\":\"W\",\"country\":\"ES\","
		         "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}", code);
		char extra[64];
		snprintf(extra, sizeof extra, "Idempotency-Key: %s", th_code("K"));
		r = th_req("POST", "/v1/warehouses", key, body, NULL, k ? extra : NULL);
		ck_assert_int_eq(r->status, 201);
		char *c = strdup(r->body);
		th_resp_free(r);
		snprintf(path, sizeof path, "/v1/warehouses/%s", code);
		r = th_req("GET", path, key, NULL, NULL, NULL);
		ck_assert_str_eq(r->body, c);
		assert_instants_end_in_z(r->json);
		th_resp_free(r);
		free(c);
	}
}
END_TEST

Suite *inbound_refs_suite(void);
Suite *inbound_refs_suite(void)
{
	Suite *s = suite_create("inbound_refs");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, shipment_is_addressed_by_id_or_asn_everywhere);
	tcase_add_test(tc, asn_numbers_reveal_nothing_across_tenants);
	tcase_add_test(tc, create_and_read_answer_the_same_json_with_instants_in_z);
	suite_add_tcase(s, tc);
	return s;
}
