/* check_inbound_api.c — the seller side of inbound shipments and the dock
 * check-in over HTTP against real PostgreSQL: booking (drop-off and pickup,
 * with cartons) with every returned field, validation naming each field,
 * duplicate SSCCs, Idempotency-Key (replay, mismatch, two identical requests
 * at the same moment), request errors, tenant scope, the state machine
 * (cancel, in-transit, arrive by id, ASN and SSCC) and list pages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"

typedef char key_buf[AUTH_KEY_LEN + 1];
typedef char code_buf[64];

#define COPY(dst, src) snprintf(dst, sizeof dst, "%s", src)

/* Two warehouses (X, Y) with a staff key each, two sellers (A with SKU-1 and
 * SKU-2, B with SKU-B) with a key each, admin and platform keys; all fresh. */
struct world {
	code_buf wx, wy, a, b;
	key_buf admin, platform, sa, sb, sx, sy;
};

static void add_sku(const char *seller, const char *sku)
{
	th_sqlp("INSERT INTO skus (seller_id, sku_code, name, category, weight_g, length_mm, width_mm,"
	        " height_mm, declared_value, currency) SELECT id, $1, 'Test item', 'toys', 250, 100,"
	        " 80, 60, 1999, 'EUR' FROM sellers WHERE code = $2",
	        sku, seller, NULL);
}

static void world(struct world *w)
{
	COPY(w->wx, th_code("WX"));
	COPY(w->wy, th_code("WY"));
	COPY(w->a, th_code("SA"));
	COPY(w->b, th_code("SB"));
	th_sqlp("INSERT INTO warehouses (code, name, country, time_zone, kind) VALUES"
	        " ($1, 'X', 'ES', 'Europe/Madrid', 'fulfillment_center'),"
	        " ($2, 'Y', 'NL', 'Europe/Amsterdam', 'fulfillment_center')",
	        w->wx, w->wy, NULL);
	th_sqlp("INSERT INTO sellers (code, name, country, currency) VALUES"
	        " ($1, 'A', 'ES', 'EUR'), ($2, 'B', 'KR', 'KRW')",
	        w->a, w->b, NULL);
	add_sku(w->a, "SKU-1");
	add_sku(w->a, "SKU-2");
	add_sku(w->b, "SKU-B");
	COPY(w->admin, th_key(AUTH_ADMIN, NULL));
	COPY(w->platform, th_key(AUTH_PLATFORM, NULL));
	COPY(w->sa, th_key(AUTH_SELLER, w->a));
	COPY(w->sb, th_key(AUTH_SELLER, w->b));
	COPY(w->sx, th_key(AUTH_STAFF, w->wx));
	COPY(w->sy, th_key(AUTH_STAFF, w->wy));
}

/* An SSCC-18 from 17 digits and the GS1 check digit (or a wrong one). */
static const char *sscc(const char *body17, int wrong)
{
	static char out[4][19];
	static int n;
	char *s = out[n++ % 4];
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (body17[16 - i] - '0') * (i % 2 == 0 ? 3 : 1);
	snprintf(s, 19, "%s%d", body17, ((10 - sum % 10) % 10 + wrong) % 10);
	return s;
}

static struct th_resp *book(const char *key, const char *body)
{
	return th_req("POST", "/v1/inbound-shipments", key, body, NULL, NULL);
}

/* Books a plain drop-off shipment of qty SKU-1 for the seller key in the
 * warehouse, with one carton when sscc18 is given; returns its id (and its
 * ASN in asn when not NULL). */
static void book_simple(const char *key, const char *wh, const char *sscc18, char id[37],
                        char asn[32])
{
	char body[1024];
	char cartons[256] = "";
	if (sscc18)
		snprintf(cartons, sizeof cartons,
		         ",\"cartons\":[{\"sscc\":\"%s\",\"lines\":[{\"line\":1,\"qty\":3}]}]", sscc18);
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"semi_warehouse\","
	         "\"lines\":[{\"sku\":\"SKU-1\",\"qty\":3}]%s,"
	         "\"handover\":{\"type\":\"drop_off\",\"expected_arrival\":\"2026-06-01\"}}",
	         wh, cartons);
	struct th_resp *r = book(key, body);
	if (r->status != 201)
		fprintf(stderr, "book_simple: %ld %s\n", r->status, r->body);
	ck_assert_int_eq(r->status, 201);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	if (asn)
		snprintf(asn, 32, "%s", th_str(r->json, "asn"));
	th_resp_free(r);
}

/* 409 naming the current state, in the detail and the `state` member. */
static int wrong_state(struct th_resp *r, const char *state, const char *detail)
{
	int ok = th_is_problem(r, 409) && th_str(r->json, "state") &&
	         strcmp(th_str(r->json, "state"), state) == 0 && th_str(r->json, "detail") &&
	         strstr(th_str(r->json, "detail"), detail);
	if (!ok)
		fprintf(stderr, "wanted 409 state %s (%s) in: %s\n", state, detail, r->body);
	th_resp_free(r);
	return ok;
}

static int is_null(const cJSON *j, const char *path)
{
	return cJSON_IsNull(th_at(j, path));
}

static long long count_shipments(const char *wh)
{
	return atoll(th_sql_valuep("SELECT count(*) FROM inbound_shipments s JOIN warehouses w"
	                           " ON w.id = s.warehouse_id WHERE w.code = $1",
	                           wh, NULL));
}

START_TEST(book_drop_off_with_cartons)
{
	struct world w;
	world(&w);
	char s1[19], s2[19], body[2048];
	COPY(s1, sscc("00614141000000001", 0));
	COPY(s2, sscc("00614141000000002", 0));
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"semi_warehouse\","
	         "\"lines\":[{\"sku\":\"SKU-1\",\"qty\":10,\"lot\":\"L-01\",\"expiry\":\"2027-01-31\"},"
	         "{\"sku\":\"SKU-2\",\"qty\":5}],"
	         "\"cartons\":[{\"sscc\":\"%s\",\"lines\":[{\"line\":1,\"qty\":6},{\"sku\":\"SKU-2\",\"qty\":5}]},"
	         "{\"sscc\":\"%s\",\"lines\":[{\"sku\":\"SKU-1\",\"lot\":\"L-01\",\"qty\":4}]}],"
	         "\"handover\":{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-01\"}}",
	         w.wx, s1, s2);
	struct th_resp *r = book(w.sa, body);
	ck_assert_int_eq(r->status, 201);
	const cJSON *j = r->json;
	char id[37], loc[128];
	COPY(id, th_str(j, "id"));
	ck_assert_int_eq(strlen(id), 36);
	snprintf(loc, sizeof loc, "/v1/inbound-shipments/%s", id);
	ck_assert_str_eq(th_header(r, "Location"), loc);
	ck_assert(strncmp(th_str(j, "asn"), "ASN-", 4) == 0);
	ck_assert_str_eq(th_str(j, "warehouse"), w.wx);
	ck_assert_str_eq(th_str(j, "seller"), w.a);
	ck_assert_str_eq(th_str(j, "seller_id"),
	                 th_sql_valuep("SELECT id FROM sellers WHERE code = $1", w.a, NULL));
	ck_assert_str_eq(th_str(j, "mode"), "semi_warehouse");
	ck_assert_str_eq(th_str(j, "state"), "booked");
	ck_assert_str_eq(th_str(j, "handover.type"), "drop_off");
	ck_assert_str_eq(th_str(j, "handover.expected_arrival"), "2026-05-01");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(j, "lines")), 2);
	ck_assert_int_eq(th_num(j, "lines.0.line", 0), 1);
	ck_assert_str_eq(th_str(j, "lines.0.sku"), "SKU-1");
	ck_assert_str_eq(th_str(j, "lines.0.lot"), "L-01");
	ck_assert_str_eq(th_str(j, "lines.0.expiry"), "2027-01-31");
	ck_assert_int_eq(th_num(j, "lines.0.expected", 0), 10);
	ck_assert_int_eq(th_num(j, "lines.0.received_good", -1), 0);
	ck_assert_int_eq(th_num(j, "lines.0.received_damaged", -1), 0);
	ck_assert(cJSON_IsFalse(th_at(j, "lines.0.unexpected")));
	ck_assert_int_eq(th_num(j, "lines.1.line", 0), 2);
	ck_assert_str_eq(th_str(j, "lines.1.sku"), "SKU-2");
	ck_assert(is_null(j, "lines.1.lot") && is_null(j, "lines.1.expiry"));
	ck_assert_int_eq(th_num(j, "lines.1.expected", 0), 5);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(j, "cartons")), 2);
	ck_assert_str_eq(th_str(j, "cartons.0.sscc"), s1);
	ck_assert_int_eq(th_num(j, "cartons.0.lines.0.line", 0), 1);
	ck_assert_int_eq(th_num(j, "cartons.0.lines.0.qty", 0), 6);
	ck_assert_int_eq(th_num(j, "cartons.0.lines.1.line", 0), 2);
	ck_assert_int_eq(th_num(j, "cartons.0.lines.1.qty", 0), 5);
	ck_assert_str_eq(th_str(j, "cartons.1.sscc"), s2);
	ck_assert_int_eq(th_num(j, "cartons.1.lines.0.line", 0), 1);
	ck_assert_int_eq(th_num(j, "cartons.1.lines.0.qty", 0), 4);
	ck_assert(is_null(j, "carrier") && is_null(j, "tracking_number"));
	ck_assert(th_str(j, "booked_at") && th_str(j, "created_at") && th_str(j, "updated_at"));
	ck_assert(is_null(j, "in_transit_at") && is_null(j, "arrived_at") &&
	          is_null(j, "cancelled_at") && is_null(j, "closed_at"));
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM inbound_carton_lines WHERE shipment_id = $1",
	                               id, NULL), "3");

	/* Every reader sees the same document the booking answered. */
	const char *readers[] = {w.sa, w.admin, w.platform, w.sx};
	for (size_t i = 0; i < 4; i++) {
		struct th_resp *g = th_call("GET", readers[i], NULL, "/v1/inbound-shipments/%s", id);
		ck_assert_int_eq(g->status, 200);
		ck_assert_msg(cJSON_Compare(g->json, j, 1), "GET differs: %s vs %s", g->body, r->body);
		th_resp_free(g);
	}
	th_resp_free(r);
}
END_TEST

START_TEST(book_pickup_and_admin)
{
	struct world w;
	world(&w);
	char body[2048];
	const char *fmt =
		"{\"warehouse\":\"%s\",%s\"mode\":\"full\",\"lines\":[{\"sku\":\"SKU-2\",\"qty\":100000}],"
		"\"handover\":{\"type\":\"pickup\",\"address\":{\"name\":\"Dock 3\",\"street\":\"Calle Mayor 1\","
		"\"city\":\"Madrid\",\"postal_code\":\"28013\",\"country\":\"ES\"},"
		"\"ready_from\":\"2026-05-01T08:00:00+02:00\",\"ready_until\":\"2026-05-01T17:30:00.250Z\"}}";
	snprintf(body, sizeof body, fmt, w.wy, "");
	struct th_resp *r = book(w.sa, body);
	ck_assert_int_eq(r->status, 201);
	const cJSON *j = r->json;
	ck_assert_str_eq(th_str(j, "mode"), "full");
	ck_assert_str_eq(th_str(j, "warehouse"), w.wy);
	ck_assert_str_eq(th_str(j, "handover.type"), "pickup");
	ck_assert_str_eq(th_str(j, "handover.address.street"), "Calle Mayor 1");
	ck_assert_str_eq(th_str(j, "handover.address.city"), "Madrid");
	ck_assert_str_eq(th_str(j, "handover.address.postal_code"), "28013");
	ck_assert_str_eq(th_str(j, "handover.address.country"), "ES");
	ck_assert_str_eq(th_str(j, "handover.address.name"), "Dock 3");
	ck_assert_ptr_null(th_at(j, "handover.expected_arrival"));
	ck_assert_str_eq(th_sql_valuep("SELECT pickup_ready_from = '2026-05-01T06:00:00Z' AND"
	                               " pickup_ready_until = '2026-05-01T17:30:00.25Z' AND"
	                               " ($1::timestamptz) = pickup_ready_from"
	                               " FROM inbound_shipments WHERE id = $2",
	                               th_str(j, "handover.ready_from"), th_str(j, "id"), NULL),
	                 "t");
	ck_assert_int_eq(th_num(j, "lines.0.expected", 0), 100000);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(j, "cartons")), 0);
	th_resp_free(r);

	/* Admin books by naming the seller (by code); without one it is 422. */
	char who[96];
	snprintf(who, sizeof who, "\"seller\":\"%s\",", w.b);
	snprintf(body, sizeof body,
	         "{\"seller\":\"%s\",\"warehouse\":\"%s\",\"mode\":\"semi_warehouse\","
	         "\"lines\":[{\"sku\":\"SKU-B\",\"qty\":2}],"
	         "\"handover\":{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-02\"}}",
	         w.b, w.wx);
	r = book(w.admin, body);
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(th_str(r->json, "seller"), w.b);
	th_resp_free(r);
	snprintf(body, sizeof body, fmt, w.wy, "");
	ck_assert(th_problem(book(w.admin, body), 422, "seller", "required"));
	snprintf(body, sizeof body, fmt, w.wy, "\"seller\":\"NO-SUCH-SELLER\",");
	ck_assert(th_problem(book(w.admin, body), 422, "seller", "not_found"));
	snprintf(body, sizeof body, fmt, w.wy, who);
	ck_assert(th_problem(book(w.sa, body), 422, "seller", "forbidden"));
}
END_TEST

/* One booking of seller A in warehouse X with the lines, cartons and
 * hand-over given as JSON fragments. */
static struct th_resp *book_parts(const struct world *w, const char *wh, const char *mode,
                                  const char *lines, const char *cartons, const char *handover)
{
	char body[4096];
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"%s\",\"lines\":%s%s%s,\"handover\":%s}", wh, mode,
	         lines, cartons ? ",\"cartons\":" : "", cartons ? cartons : "", handover);
	return book(w->sa, body);
}

START_TEST(book_validation)
{
	struct world w;
	world(&w);
	const char *drop = "{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-01\"}";
	const char *one = "[{\"sku\":\"SKU-1\",\"qty\":5}]";
	char cartons[512];

	struct th_resp *r = book_parts(&w, w.wx, "pop", one, NULL, drop);
	ck_assert(th_is_problem(r, 422));
	ck_assert_str_eq(th_str(r->json, "errors.0.field"), "mode");
	ck_assert(strstr(th_str(r->json, "errors.0.message"), "pop keeps stock with the seller"));
	th_resp_free(r);
	ck_assert(th_problem(book_parts(&w, w.wx, "semi_jit", one, NULL, drop), 422, "mode", "mode"));

	r = book_parts(&w, w.wx, "full",
	               "[{\"sku\":\"SKU-1\",\"qty\":0},{\"sku\":\"SKU-2\",\"qty\":100001},"
	               "{\"sku\":\"SKU-1\",\"qty\":1,\"lot\":\"ABCDEFGHIJKLMNOPQRSTU\"},"
	               "{\"sku\":\"SKU-1\",\"qty\":1,\"lot\":\"A B\"},"
	               "{\"sku\":\"SKU-2\",\"qty\":1,\"expiry\":\"2026-02-30\"},"
	               "{\"sku\":\"SKU-2\",\"qty\":1,\"lot\":\"X\",\"colour\":\"red\"}]",
	               NULL, drop);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "lines[0].qty") && th_has_field_error(r, "lines[1].qty") &&
	          th_has_field_error(r, "lines[2].lot") && th_has_field_error(r, "lines[3].lot") &&
	          th_has_field_error(r, "lines[4].expiry") && th_has_field_error(r, "lines[5].colour"));
	th_resp_free(r);

	ck_assert(th_problem(book_parts(&w, w.wx, "full",
	                             "[{\"sku\":\"SKU-1\",\"qty\":1,\"lot\":\"L1\"},{\"sku\":\"SKU-2\",\"qty\":1},"
	                             "{\"sku\":\"SKU-1\",\"qty\":2,\"lot\":\"L1\"}]",
	                             NULL, drop),
	                  422, "lines[2].lot", "duplicate"));
	ck_assert(th_problem(book_parts(&w, w.wx, "full", "[]", NULL, drop), 422, "lines", "count"));
	ck_assert(th_problem(book_parts(&w, w.wx, "full", "[{\"sku\":\"SKU-B\",\"qty\":1}]", NULL, drop), 422,
	                  "lines[0].sku", "not_found"));
	r = book_parts(&w, w.wx, "full", "[{\"sku\":\"SKU-1\",\"qty\":1},{\"sku\":\"NOPE\",\"qty\":1},"
	               "{\"sku\":\"SKU-B\",\"qty\":1}]", NULL, drop);
	ck_assert(th_is_problem(r, 422) && th_has_field_error(r, "lines[1].sku") &&
	          th_has_field_error(r, "lines[2].sku") && !th_has_field_error(r, "lines[0].sku"));
	th_resp_free(r);
	ck_assert(th_problem(book_parts(&w, "NO-SUCH-WH", "full", one, NULL, drop), 422, "warehouse",
	                  "not_found"));

	snprintf(cartons, sizeof cartons, "[{\"sscc\":\"%s\",\"lines\":[{\"line\":1,\"qty\":1}]}]",
	         sscc("00614141000000001", 1));
	r = book_parts(&w, w.wx, "full", one, cartons, drop);
	ck_assert(th_is_problem(r, 422) && th_has_field_error(r, "cartons[0].sscc"));
	ck_assert(strstr(r->body, "check digit"));
	th_resp_free(r);

	snprintf(cartons, sizeof cartons,
	         "[{\"sscc\":\"%s\",\"lines\":[{\"line\":1,\"qty\":3}]},"
	         "{\"sscc\":\"%s\",\"lines\":[{\"sku\":\"SKU-1\",\"qty\":3}]}]",
	         sscc("00614141000000001", 0), sscc("00614141000000002", 0));
	ck_assert(th_problem(book_parts(&w, w.wx, "full", one, cartons, drop), 422,
	                  "cartons[1].lines[0].qty", "exceeds_line"));
	snprintf(cartons, sizeof cartons,
	         "[{\"sscc\":\"%s\",\"lines\":[{\"line\":2,\"qty\":1},{\"sku\":\"SKU-2\",\"qty\":1}]},"
	         "{\"sscc\":\"%s\",\"lines\":[{\"line\":1,\"qty\":1}]}]",
	         sscc("00614141000000001", 0), sscc("00614141000000001", 0));
	r = book_parts(&w, w.wx, "full", one, cartons, drop);
	ck_assert(th_is_problem(r, 422) && th_has_field_error(r, "cartons[0].lines[0].line") &&
	          th_has_field_error(r, "cartons[0].lines[1].sku") &&
	          th_has_field_error(r, "cartons[1].sscc"));
	th_resp_free(r);

	ck_assert(th_problem(book_parts(&w, w.wx, "full", one, NULL,
	                             "{\"type\":\"pickup\",\"address\":{\"street\":\"s\",\"city\":\"c\","
	                             "\"postal_code\":\"1\",\"country\":\"ES\"},"
	                             "\"ready_from\":\"2026-05-01T12:00:00Z\","
	                             "\"ready_until\":\"2026-05-01T13:00:00+02:00\"}"),
	                  422, "handover.ready_until", "order"));
	r = book_parts(&w, w.wx, "full", one, NULL,
	               "{\"type\":\"pickup\",\"address\":{\"street\":\"s\",\"country\":\"XX\"},"
	               "\"ready_from\":\"2026-05-01 12:00\",\"ready_until\":\"2026-05-01T13:00:00Z\"}");
	ck_assert(th_is_problem(r, 422) && th_has_field_error(r, "handover.address.city") &&
	          th_has_field_error(r, "handover.address.postal_code") &&
	          th_has_field_error(r, "handover.address.country") &&
	          th_has_field_error(r, "handover.ready_from"));
	th_resp_free(r);
	ck_assert(th_problem(book_parts(&w, w.wx, "full", one, NULL, "{\"type\":\"drop_off\"}"), 422,
	                  "handover.expected_arrival", "required"));
	ck_assert(th_problem(book_parts(&w, w.wx, "full", one, NULL, "{\"type\":\"teleport\"}"), 422,
	                  "handover.type", "enum"));
	ck_assert_int_eq(count_shipments(w.wx), 0);
}
END_TEST

START_TEST(book_duplicate_sscc)
{
	struct world w;
	world(&w);
	char id[37], s1[19];
	COPY(s1, sscc("00614141999999991", 0));
	book_simple(w.sa, w.wx, s1, id, NULL);
	char cartons[256];
	snprintf(cartons, sizeof cartons,
	         "[{\"sscc\":\"%s\",\"lines\":[{\"line\":1,\"qty\":1}]},"
	         "{\"sscc\":\"%s\",\"lines\":[{\"line\":1,\"qty\":1}]}]",
	         sscc("00614141999999992", 0), s1);
	struct th_resp *r = book_parts(&w, w.wx, "full", "[{\"sku\":\"SKU-1\",\"qty\":5}]", cartons,
	                               "{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-01\"}");
	ck_assert(th_is_problem(r, 409) && th_has_field_error(r, "cartons[1].sscc") &&
	          !th_has_field_error(r, "cartons[0].sscc"));
	th_resp_free(r);
	ck_assert_int_eq(count_shipments(w.wx), 1);
	/* Another warehouse has not seen it. */
	book_simple(w.sa, w.wy, s1, id, NULL);
}
END_TEST

static const char *idem_body(const struct world *w, int qty)
{
	static char body[512];
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"full\",\"lines\":[{\"sku\":\"SKU-1\",\"qty\":%d}],"
	         "\"handover\":{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-01\"}}",
	         w->wx, qty);
	return body;
}

START_TEST(book_idempotency_key)
{
	struct world w;
	world(&w);
	char hdr[128];
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", th_code("K"));
	struct th_resp *r1 = th_req("POST", "/v1/inbound-shipments", w.sa, idem_body(&w, 7), NULL, hdr);
	ck_assert_int_eq(r1->status, 201);
	ck_assert_ptr_null(th_header(r1, "Idempotent-Replayed"));
	struct th_resp *r2 = th_req("POST", "/v1/inbound-shipments", w.sa, idem_body(&w, 7), NULL, hdr);
	ck_assert_int_eq(r2->status, 201);
	ck_assert_str_eq(th_header(r2, "Idempotent-Replayed"), "true");
	ck_assert_str_eq(r2->body, r1->body);
	th_resp_free(r2);
	ck_assert_int_eq(count_shipments(w.wx), 1);
	ck_assert(th_problem(th_req("POST", "/v1/inbound-shipments", w.sa, idem_body(&w, 8), NULL, hdr),
	                  422, NULL, NULL));
	/* The key is the seller's: seller B's booking under it is its own. */
	r2 = th_req("POST", "/v1/inbound-shipments", w.sb,
	            "{\"warehouse\":\"NO-SUCH\",\"mode\":\"full\",\"lines\":[{\"sku\":\"SKU-B\",\"qty\":1}],"
	            "\"handover\":{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-01\"}}",
	            NULL, hdr);
	ck_assert(th_problem(r2, 422, "warehouse", "not_found"));
	/* A refused booking stores nothing: the corrected request books. */
	char body[512];
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"full\",\"lines\":[{\"sku\":\"SKU-B\",\"qty\":1}],"
	         "\"handover\":{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-01\"}}",
	         w.wx);
	th_expect(th_req("POST", "/v1/inbound-shipments", w.sb, body, NULL, hdr), 201);
	ck_assert_int_eq(count_shipments(w.wx), 2);
	ck_assert(th_problem(th_req("POST", "/v1/inbound-shipments", w.sa, idem_body(&w, 7), NULL,
	                         "Idempotency-Key: has space"),
	                  400, NULL, NULL));
	th_resp_free(r1);
}
END_TEST

/* One of two twins: the same booking under the same key. */
struct book_twin {
	const struct world *w;
	const char *hdr;
};

static struct th_resp *send_book_twin(void *arg)
{
	const struct book_twin *tw = arg;
	return th_req("POST", "/v1/inbound-shipments", tw->w->sa, idem_body(tw->w, 3), NULL, tw->hdr);
}

/* Two children send the same booking under the same key at the same moment
 * (th_twins). */
START_TEST(book_idempotency_concurrent)
{
	struct world w;
	world(&w);
	for (int round = 0; round < 4; round++) {
		char hdr[128], id[2][40];
		long st[2];
		snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", th_code("C"));
		struct book_twin tw = {&w, hdr};
		th_twins(send_book_twin, &tw, st, id);
		ck_assert_msg((st[0] == 201 && st[1] == 201 && strcmp(id[0], id[1]) == 0) ||
		              (st[0] == 201 && st[1] == 409) || (st[0] == 409 && st[1] == 201),
		              "round %d: %ld %s, %ld %s", round, st[0], id[0], st[1], id[1]);
		ck_assert_int_eq(count_shipments(w.wx), round + 1);
	}
}
END_TEST

START_TEST(book_request_errors)
{
	struct world w;
	world(&w);
	const char *body = idem_body(&w, 1);
	ck_assert(th_problem(th_req("POST", "/v1/inbound-shipments", w.sa, body, "text/plain", NULL), 415,
	                  NULL, NULL));
	ck_assert(th_problem(th_req("POST", "/v1/inbound-shipments", NULL, body, NULL, NULL), 401, NULL, NULL));
	ck_assert(th_problem(book(w.sx, body), 403, NULL, NULL));
	ck_assert(th_problem(book(w.platform, body), 403, NULL, NULL));
	ck_assert(th_problem(book(w.sa, "{\"warehouse\":"), 400, NULL, NULL));
	ck_assert(th_problem(th_call("POST", w.sx, NULL, "/v1/inbound-shipments/%s/cancel",
	                       "00000000-0000-4000-8000-000000000000"),
	                  403, NULL, NULL));
	ck_assert(th_problem(th_call("POST", w.sa, NULL, "/v1/inbound-shipments/%s/arrive",
	                       "00000000-0000-4000-8000-000000000000"),
	                  403, NULL, NULL));
	ck_assert_int_eq(count_shipments(w.wx), 0);
}
END_TEST

START_TEST(tenant_isolation)
{
	struct world w;
	world(&w);
	char id[37], asn[32], s1[19];
	COPY(s1, sscc("00614141555555551", 0));
	book_simple(w.sa, w.wx, s1, id, asn);
	ck_assert(th_problem(th_call("GET", w.sb, NULL, "/v1/inbound-shipments/%s", id), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", w.sy, NULL, "/v1/inbound-shipments/%s", id), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", w.sa, NULL, "/v1/inbound-shipments/%s", "not-a-uuid"), 404,
	                  NULL, NULL));
	ck_assert(th_problem(th_call("GET", w.sa, NULL, "/v1/inbound-shipments/%s",
	                       "00000000-0000-4000-8000-000000000000"),
	                  404, NULL, NULL));
	struct th_resp *r = th_call("GET", w.sb, NULL, "/v1/inbound-shipments");
	ck_assert_int_eq(r->status, 200);
	ck_assert(!strstr(r->body, id));
	th_resp_free(r);
	r = th_call("GET", w.sy, NULL, "/v1/inbound-shipments");
	ck_assert_int_eq(r->status, 200);
	ck_assert(!strstr(r->body, id));
	th_resp_free(r);
	ck_assert(th_problem(th_call("POST", w.sb, NULL, "/v1/inbound-shipments/%s/cancel", id), 404, NULL,
	                  NULL));
	ck_assert(th_problem(th_call("POST", w.sb, "{\"carrier\":\"DHL\",\"tracking_number\":\"1\"}",
	                       "/v1/inbound-shipments/%s/in-transit", id),
	                  404, NULL, NULL));
	ck_assert(th_problem(th_call("POST", w.sy, NULL, "/v1/inbound-shipments/%s/arrive", id), 404, NULL, NULL));
	ck_assert(th_problem(th_call("POST", w.sy, NULL, "/v1/inbound-shipments/%s/arrive", asn), 404, NULL, NULL));
	ck_assert(th_problem(th_call("POST", w.sy, NULL, "/v1/inbound-shipments/%s/arrive", s1), 404, NULL, NULL));
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM inbound_shipments WHERE id = $1", id, NULL),
	                 "booked");
}
END_TEST

START_TEST(state_machine)
{
	struct world w;
	world(&w);
	char id[37], asn[32], s1[19], s2[19], s3[19];
	COPY(s1, sscc("00614141777777771", 0));
	COPY(s2, sscc("00614141777777772", 0));
	COPY(s3, sscc("00614141777777773", 0));
	book_simple(w.sa, w.wx, s1, id, asn);

	ck_assert(th_problem(th_call("POST", w.sa, "{\"carrier\":\"DHL\"}", "/v1/inbound-shipments/%s/in-transit", id),
	                  422, "tracking_number", "required"));
	struct th_resp *r = th_call("POST", w.sa, "{\"carrier\":\"DHL\",\"tracking_number\":\"JD0001\"}",
	                         "/v1/inbound-shipments/%s/in-transit", id);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "in_transit");
	ck_assert_str_eq(th_str(r->json, "carrier"), "DHL");
	ck_assert_str_eq(th_str(r->json, "tracking_number"), "JD0001");
	ck_assert(th_str(r->json, "in_transit_at") && is_null(r->json, "arrived_at"));
	th_resp_free(r);
	ck_assert(wrong_state(th_call("POST", w.sa, "{\"carrier\":\"DHL\",\"tracking_number\":\"JD0002\"}",
	                           "/v1/inbound-shipments/%s/in-transit", id),
	                      "in_transit", "shipment is in_transit; in_transit is allowed from booked"));

	/* Dock check-in by the ASN number. */
	r = th_call("POST", w.sx, NULL, "/v1/inbound-shipments/%s/arrive", asn);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "id"), id);
	ck_assert_str_eq(th_str(r->json, "state"), "arrived");
	ck_assert(th_str(r->json, "arrived_at") && th_str(r->json, "in_transit_at"));
	ck_assert_str_eq(th_str(r->json, "tracking_number"), "JD0001");
	th_resp_free(r);
	ck_assert(wrong_state(th_call("POST", w.sx, NULL, "/v1/inbound-shipments/%s/arrive", s1), "arrived",
	                      "shipment is arrived; arrive is allowed from booked, in_transit"));
	ck_assert(wrong_state(th_call("POST", w.sa, NULL, "/v1/inbound-shipments/%s/cancel", id), "arrived",
	                      "shipment is arrived; cancel is allowed from booked, in_transit"));

	/* Check-in straight from booked, by a carton's SSCC (and as "00" + SSCC). */
	char id2[37], id3[37];
	book_simple(w.sa, w.wx, s2, id2, NULL);
	r = th_call("POST", w.sx, NULL, "/v1/inbound-shipments/%s/arrive", s2);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "id"), id2);
	ck_assert(is_null(r->json, "in_transit_at"));
	th_resp_free(r);
	book_simple(w.sa, w.wx, s3, id3, NULL);
	r = th_call("POST", w.admin, NULL, "/v1/inbound-shipments/00%s/arrive", s3);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "id"), id3);
	th_resp_free(r);
	ck_assert(th_problem(th_call("POST", w.sx, NULL, "/v1/inbound-shipments/%s/arrive", "ASN-99999999"), 404,
	                  NULL, NULL));

	/* Cancel from booked; then nothing more. */
	char id4[37];
	book_simple(w.sa, w.wx, NULL, id4, NULL);
	r = th_call("POST", w.sa, NULL, "/v1/inbound-shipments/%s/cancel", id4);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	ck_assert(th_str(r->json, "cancelled_at"));
	th_resp_free(r);
	ck_assert(wrong_state(th_call("POST", w.sa, NULL, "/v1/inbound-shipments/%s/cancel", id4),
	                      "cancelled", "cancel is allowed from booked, in_transit"));
	ck_assert(wrong_state(th_call("POST", w.sx, NULL, "/v1/inbound-shipments/%s/arrive", id4),
	                      "cancelled", "arrive is allowed from booked, in_transit"));
	/* Admin cancels from in_transit. */
	char id5[37];
	book_simple(w.sa, w.wy, NULL, id5, NULL);
	th_expect(th_call("POST", w.sa, "{\"carrier\":\"UPS\",\"tracking_number\":\"1Z\"}",
	            "/v1/inbound-shipments/%s/in-transit", id5),
	       200);
	r = th_call("POST", w.admin, NULL, "/v1/inbound-shipments/%s/cancel", id5);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	th_resp_free(r);
}
END_TEST

/* Follows a list's pages (limit per page); returns how many items, checking
 * they come newest first and that the ids are distinct. */
static int walk(const char *key, const char *query, int limit, int *pages)
{
	char cursor[160] = "", last[64] = "";
	int n = 0;
	*pages = 0;
	for (;;) {
		struct th_resp *r = th_call("GET", key, NULL, "/v1/inbound-shipments?limit=%d%s%s%s", limit,
		                         query, cursor[0] ? "&cursor=" : "", cursor);
		ck_assert_int_eq(r->status, 200);
		(*pages)++;
		const cJSON *it;
		cJSON_ArrayForEach(it, th_at(r->json, "items"))
		{
			const char *at = th_str(it, "created_at");
			ck_assert(!last[0] || strcmp(th_sql_valuep("SELECT $1::timestamptz <= $2::timestamptz",
			                                           at, last, NULL), "t") == 0);
			snprintf(last, sizeof last, "%s", at);
			n++;
		}
		const char *next = th_str(r->json, "next_cursor");
		if (!next) {
			th_resp_free(r);
			return n;
		}
		snprintf(cursor, sizeof cursor, "%s", next);
		th_resp_free(r);
	}
}

START_TEST(list_filters_and_pages)
{
	struct world w;
	world(&w);
	char id[37], cancelled[37];
	for (int i = 0; i < 5; i++)
		book_simple(w.sa, w.wx, NULL, id, NULL);
	for (int i = 0; i < 2; i++)
		book_simple(w.sa, w.wy, NULL, cancelled, NULL);
	th_expect(th_call("POST", w.sa, NULL, "/v1/inbound-shipments/%s/cancel", cancelled), 200);
	char body[512];
	snprintf(body, sizeof body,
	         "{\"warehouse\":\"%s\",\"mode\":\"full\",\"lines\":[{\"sku\":\"SKU-B\",\"qty\":1}],"
	         "\"handover\":{\"type\":\"drop_off\",\"expected_arrival\":\"2026-05-01\"}}",
	         w.wx);
	th_expect(book(w.sb, body), 201);

	int pages;
	ck_assert_int_eq(walk(w.sa, "", 2, &pages), 7);
	ck_assert_int_eq(pages, 4);
	char q[128];
	snprintf(q, sizeof q, "&warehouse=%s", w.wx);
	ck_assert_int_eq(walk(w.sa, q, 3, &pages), 5);
	ck_assert_int_eq(walk(w.sx, "", 4, &pages), 6); /* A's five and B's one */
	ck_assert_int_eq(walk(w.sb, "", 50, &pages), 1);
	ck_assert_int_eq(walk(w.sa, "&state=cancelled", 50, &pages), 1);
	snprintf(q, sizeof q, "&state=booked&warehouse=%s", w.wy);
	ck_assert_int_eq(walk(w.sa, q, 50, &pages), 1);
	snprintf(q, sizeof q, "&warehouse=%s", w.wy);
	ck_assert_int_eq(walk(w.sx, q, 50, &pages), 0);
	ck_assert_int_eq(walk(w.admin, q, 50, &pages), 2);

	struct th_resp *r = th_call("GET", w.sa, NULL, "/v1/inbound-shipments?limit=1");
	ck_assert_str_eq(th_str(r->json, "items.0.id"), cancelled);
	ck_assert_str_eq(th_str(r->json, "items.0.warehouse"), w.wy);
	ck_assert_str_eq(th_str(r->json, "items.0.state"), "cancelled");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items.0.lines")), 1);
	th_resp_free(r);
	ck_assert(th_problem(th_call("GET", w.sa, NULL, "/v1/inbound-shipments?state=lost"), 400, NULL, NULL));
	ck_assert(th_problem(th_call("GET", w.sa, NULL, "/v1/inbound-shipments?limit=0"), 400, NULL, NULL));
	ck_assert(th_problem(th_call("GET", w.sa, NULL, "/v1/inbound-shipments?cursor=zzz"), 400, NULL, NULL));
}
END_TEST

Suite *inbound_api_suite(void);
Suite *inbound_api_suite(void)
{
	Suite *s = suite_create("inbound_api");
	TCase *tc = tcase_create("inbound_api");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, book_drop_off_with_cartons);
	tcase_add_test(tc, book_pickup_and_admin);
	tcase_add_test(tc, book_validation);
	tcase_add_test(tc, book_duplicate_sscc);
	tcase_add_test(tc, book_idempotency_key);
	tcase_add_test(tc, book_idempotency_concurrent);
	tcase_add_test(tc, book_request_errors);
	tcase_add_test(tc, tenant_isolation);
	tcase_add_test(tc, state_machine);
	tcase_add_test(tc, list_filters_and_pages);
	suite_add_tcase(s, tc);
	return s;
}
