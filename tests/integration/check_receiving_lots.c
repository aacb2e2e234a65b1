/* check_receiving_lots.c — receiving that understands lots, expiry and what was not expected,
 * over HTTP against real PostgreSQL: a scan's lot picks its line, lot-less scans fill the
 * SKU's lines in order, unexpected lots and items and expired or short-dated units need a
 * confirmation, lot and expiry go with the stock, and a scan_id reused with another body is
 * refused. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

static struct th_resp *scan(const char *key, const char *scan_id, const char *shipment,
                            const char *members)
{
	return th_reqf("POST", "/v1/receiving/scans", key, "{\"scan_id\":\"%s\",\"shipment\":\"%s\",%s}",
	               scan_id, shipment, members);
}

static struct th_resp *scan_new(const char *key, const char *shipment, const char *members)
{
	char id[37];
	rcv_uuid(id);
	return scan(key, id, shipment, members);
}

/* A booked-and-arrived shipment of w's seller with the given lines JSON; writes its id. */
static void shipment_with(const struct rcv_world *w, const char *lines, char id[37])
{
	struct th_resp *r = th_reqf(
		"POST", "/v1/inbound-shipments", w->seller_key,
		"{\"warehouse\":\"%s\",\"mode\":\"semi_warehouse\",\"handover\":{\"type\":\"drop_off\","
		"\"expected_arrival\":\"2030-01-15\"},\"lines\":%s}",
		w->wh, lines);
	ck_assert_msg(r->status == 201, "%s", r->body);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	char path[128];
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/arrive", id);
	th_expect(th_req("POST", path, w->staff, NULL, NULL, NULL), 200);
}

/* Received (good + damaged + expired) on line n of the shipment. */
static int received(const char *id, int n)
{
	return atoi(th_sql_valuep("SELECT received_good + received_damaged + received_expired"
	                          " FROM inbound_lines WHERE shipment_id = $1 AND line_no = $2",
	                          id, TH_INT(n), NULL));
}

static void assert_problem_type(const struct th_resp *r, long status, const char *slug)
{
	char type[96];
	snprintf(type, sizeof type, "urn:wms:problem:%s", slug);
	ck_assert_msg(th_is_problem(r, status), "wanted %ld %s", status, slug);
	ck_assert_str_eq(th_str(r->json, "type"), type);
}

START_TEST(scanned_lot_counts_on_the_line_of_that_lot)
{
	struct rcv_world w;
	char g[15], e[14], id[37], m[256];
	rcv_world_new(&w, 0);
	rcv_sku_new(&w, "LOT-A", g, e);
	shipment_with(&w, "[{\"sku\":\"LOT-A\",\"qty\":5,\"lot\":\"ABC123\"},"
	                  "{\"sku\":\"LOT-A\",\"qty\":5,\"lot\":\"DEF456\"}]", id);
	snprintf(m, sizeof m, "\"barcode\":\"01%s10DEF456\"", g);
	struct th_resp *r = scan_new(w.staff, id, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "line.line", -1), 2);
	ck_assert_str_eq(th_str(r->json, "line.lot"), "DEF456");
	ck_assert_int_eq((int)th_num(r->json, "line.open", -1), 4);
	ck_assert_str_eq(th_str(r->json, "sku.sku_code"), "LOT-A");
	th_resp_free(r);
	ck_assert_int_eq(received(id, 1), 0);
	/* the lot given in the body for an item whose barcode carries none */
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"lot\":\"ABC123\",\"qty\":2", e);
	r = scan_new(w.staff, id, m);
	ck_assert_int_eq((int)th_num(r->json, "line.line", -1), 1);
	th_resp_free(r);
	ck_assert_int_eq(received(id, 1), 2);
	ck_assert_int_eq(received(id, 2), 1);
}
END_TEST

START_TEST(lot_on_no_line_is_refused_until_confirmed)
{
	struct rcv_world w;
	char g[15], e[14], id[37], m[256], sid[37];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "LOT-B", g, e);
	shipment_with(&w, "[{\"sku\":\"LOT-B\",\"qty\":5,\"lot\":\"ABC123\"}]", id);
	rcv_uuid(sid);
	snprintf(m, sizeof m, "\"barcode\":\"]C101%s10XYZ\"", g);
	struct th_resp *r = scan(w.staff, sid, id, m);
	assert_problem_type(r, 409, "unexpected-lot");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_unexpected_lot");
	ck_assert_str_eq(th_str(r->json, "lot"), "XYZ");
	ck_assert_str_eq(th_str(r->json, "sku.sku_code"), "LOT-B");
	ck_assert_int_eq((int)th_num(r->json, "shipment_progress.expected", -1), 5);
	ck_assert_int_eq((int)th_num(r->json, "shipment_progress.received", -1), 0);
	th_resp_free(r);
	ck_assert_int_eq(received(id, 1), 0); /* not counted on ABC123's line */
	snprintf(m, sizeof m, "\"barcode\":\"]C101%s10XYZ\",\"confirm_unexpected\":true", g);
	r = scan(w.staff, sid, id, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "line.line", -1), 2);
	ck_assert_str_eq(th_str(r->json, "line.lot"), "XYZ");
	ck_assert(cJSON_IsTrue(th_at(r->json, "line.unexpected")));
	th_resp_free(r);
	/* the next scan of that lot goes to its (now existing) line without asking */
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"lot\":\"XYZ\"", e);
	r = scan_new(w.staff, id, m);
	ck_assert_int_eq((int)th_num(r->json, "line.line", -1), 2);
	th_resp_free(r);
	ck_assert_int_eq(received(id, 2), 2);
}
END_TEST

START_TEST(lotless_scans_fill_the_skus_lines_in_order)
{
	struct rcv_world w;
	char g[15], e[14], id[37], m[256];
	rcv_world_new(&w, 0);
	rcv_sku_new(&w, "LOT-C", g, e);
	shipment_with(&w, "[{\"sku\":\"LOT-C\",\"qty\":5,\"lot\":\"L1\"},"
	                  "{\"sku\":\"LOT-C\",\"qty\":5,\"lot\":\"L2\"}]", id);
	snprintf(m, sizeof m, "\"gtin\":\"%s\"", e);
	for (int i = 0; i < 10; i++) {
		struct th_resp *r = scan_new(w.staff, id, m);
		ck_assert_msg(r->status == 200, "scan %d: %s", i + 1, r->body);
		ck_assert_int_eq((int)th_num(r->json, "line.line", -1), i < 5 ? 1 : 2);
		th_resp_free(r);
	}
	ck_assert_int_eq(received(id, 1), 5);
	ck_assert_int_eq(received(id, 2), 5);
	/* every line full: now the over-receipt is asked for */
	struct th_resp *r = scan_new(w.staff, id, m);
	assert_problem_type(r, 409, "over-receipt");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_over_receipt");
	ck_assert_int_eq((int)th_num(r->json, "line.open", -1), 0);
	th_resp_free(r);
	/* a case of 3 when only one line has room for all of it picks that line */
	char id2[37];
	shipment_with(&w, "[{\"sku\":\"LOT-C\",\"qty\":2,\"lot\":\"L3\"},"
	                  "{\"sku\":\"LOT-C\",\"qty\":5,\"lot\":\"L4\"}]", id2);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":3", e);
	r = scan_new(w.staff, id2, m);
	ck_assert_int_eq((int)th_num(r->json, "line.line", -1), 2);
	th_resp_free(r);
}
END_TEST

START_TEST(sku_not_on_the_shipment_is_refused_until_confirmed)
{
	struct rcv_world w;
	char g[15], e[14], g2[15], e2[14], id[37], m[256], sid[37];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "ON-ASN", g, e);
	rcv_sku_new(&w, "OFF-ASN", g2, e2);
	shipment_with(&w, "[{\"sku\":\"ON-ASN\",\"qty\":5}]", id);
	rcv_uuid(sid);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2", e2);
	struct th_resp *r = scan(w.staff, sid, id, m);
	assert_problem_type(r, 409, "unexpected-item");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_unexpected_item");
	ck_assert_str_eq(th_str(r->json, "sku.sku_code"), "OFF-ASN");
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM inbound_lines WHERE shipment_id = $1",
	                               id, NULL), "1");
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2,\"confirm_unexpected\":true", e2);
	r = scan(w.staff, sid, id, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert(cJSON_IsTrue(th_at(r->json, "line.unexpected")));
	th_resp_free(r);
	ck_assert_int_eq(received(id, 2), 2);
}
END_TEST

START_TEST(expired_item_needs_confirmation_and_goes_to_quarantine)
{
	struct rcv_world w;
	char g[15], e[14], id[37], m[256], sid[37], path[128];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "EXP-A", g, e);
	shipment_with(&w, "[{\"sku\":\"EXP-A\",\"qty\":4}]", id);
	/* AI 17 in the past */
	rcv_uuid(sid);
	snprintf(m, sizeof m, "\"barcode\":\"]d201%s10OLD\\u001d17200131\"", g);
	struct th_resp *r = scan(w.staff, sid, id, m);
	assert_problem_type(r, 409, "expired-item");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_expired");
	ck_assert_str_eq(th_str(r->json, "expiry"), "2020-01-31");
	th_resp_free(r);
	ck_assert_int_eq(received(id, 1), 0);
	snprintf(m, sizeof m, "\"barcode\":\"]d201%s10OLD\\u001d17200131\",\"confirm_expired\":true", g);
	r = scan(w.staff, sid, id, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "status"), "quarantine");
	ck_assert_int_eq((int)th_num(r->json, "line.received_expired", -1), 1);
	th_resp_free(r);
	/* a good unit with a future expiry given in the body */
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"lot\":\"NEW\",\"expiry\":\"2031-06-30\",\"qty\":3", e);
	r = scan_new(w.staff, id, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "status"), "sellable");
	th_resp_free(r);
	/* close: lot and expiry go with the stock; the expired unit is quarantined */
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/close", id);
	r = th_req("POST", path, w.staff, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "totals.expired", -1), 1);
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(b.code || ':' || o.status || ':' || o.lot"
	                               " || ':' || o.expiry || ':' || o.qty, ' ' ORDER BY b.code)"
	                               " FROM inventory_onhand o JOIN bins b ON b.id = o.bin_id"
	                               " WHERE o.warehouse_id = $1", w.wh_id, NULL),
	                 "QUARANTINE:quarantine:OLD:2020-01-31:1 RECEIVING:sellable:NEW:2031-06-30:3");
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(lot || ':' || expiry, ' ' ORDER BY lot)"
	                               " FROM inventory_movements WHERE warehouse_id = $1", w.wh_id,
	                               NULL),
	                 "NEW:2031-06-30 OLD:2020-01-31");
	/* in the receiving area it is not allocatable yet */
	r = th_req("GET", "/v1/inventory?status=sellable", w.staff, NULL, NULL, NULL);
	ck_assert(cJSON_IsFalse(th_at(r->json, "items.0.allocatable")));
	ck_assert_str_eq(th_str(r->json, "items.0.lot"), "NEW");
	ck_assert_str_eq(th_str(r->json, "items.0.expiry"), "2031-06-30");
	th_resp_free(r);
}
END_TEST

START_TEST(short_dated_item_within_min_shelf_life_is_expired)
{
	struct rcv_world w;
	char g[15], e[14], id[37], m[256];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "SHELF", g, e);
	th_sqlp("UPDATE skus SET min_shelf_life_days = 30 WHERE seller_id = $1 AND sku_code = 'SHELF'",
	        w.seller_id, NULL);
	shipment_with(&w, "[{\"sku\":\"SHELF\",\"qty\":4}]", id);
	const char *soon = th_sql_valuep("SELECT (now() + interval '10 days')::date::text", NULL);
	char in10[11];
	snprintf(in10, sizeof in10, "%s", soon);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"expiry\":\"%s\"", e, in10);
	struct th_resp *r = scan_new(w.staff, id, m);
	assert_problem_type(r, 409, "expired-item");
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "minimum remaining shelf life of 30"));
	th_resp_free(r);
	const char *later = th_sql_valuep("SELECT (now() + interval '60 days')::date::text", NULL);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"expiry\":\"%s\"", e, later);
	th_expect(scan_new(w.staff, id, m), 200);
}
END_TEST

START_TEST(body_lot_or_expiry_conflicting_with_the_barcode_is_invalid)
{
	struct rcv_world w;
	char g[15], e[14], id[37], m[256];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "CONF", g, e);
	shipment_with(&w, "[{\"sku\":\"CONF\",\"qty\":4}]", id);
	snprintf(m, sizeof m, "\"barcode\":\"01%s10AAA\",\"lot\":\"BBB\"", g);
	ck_assert(th_problem(scan_new(w.staff, id, m), 422, "lot", "conflict"));
	snprintf(m, sizeof m, "\"barcode\":\"]d201%s17301231\",\"expiry\":\"2030-12-30\"", g);
	ck_assert(th_problem(scan_new(w.staff, id, m), 422, "expiry", "conflict"));
	/* the same values are not a conflict */
	snprintf(m, sizeof m, "\"barcode\":\"01%s10AAA\",\"lot\":\"AAA\"", g);
	th_expect(scan_new(w.staff, id, m), 200);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"lot\":\"A B\"", e);
	ck_assert(th_problem(scan_new(w.staff, id, m), 422, "lot", "format"));
}
END_TEST

START_TEST(scan_id_reused_with_another_body_is_refused)
{
	struct rcv_world w;
	char g[15], e[14], id[37], id2[37], m[256], sid[37];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "REUSE", g, e);
	shipment_with(&w, "[{\"sku\":\"REUSE\",\"qty\":10}]", id);
	shipment_with(&w, "[{\"sku\":\"REUSE\",\"qty\":10}]", id2);
	rcv_uuid(sid);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2", e);
	th_expect(scan(w.staff, sid, id, m), 200);
	struct th_resp *r = scan(w.staff, sid, id, m); /* the same body: replayed */
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_header(r, "Idempotent-Replayed"), "true");
	th_resp_free(r);
	const char *others[] = {"\"gtin\":\"%s\",\"qty\":3", "\"gtin\":\"%s\",\"qty\":2,\"condition\":\"damaged\"",
	                        "\"gtin\":\"%s\",\"qty\":2,\"lot\":\"L9\""};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		snprintf(m, sizeof m, others[i], e);
		r = scan(w.staff, sid, id, m);
		assert_problem_type(r, 422, "scan-id-reused");
		th_resp_free(r);
	}
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2", e);
	r = scan(w.staff, sid, id2, m); /* another shipment */
	assert_problem_type(r, 422, "scan-id-reused");
	th_resp_free(r);
	ck_assert_int_eq(received(id, 1), 2);
	ck_assert_int_eq(received(id2, 1), 0);

	/* putaway too */
	char path[128], pid[37];
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/close", id);
	th_expect(th_req("POST", path, w.staff, "{\"confirm_short\":true}", NULL, NULL), 200);
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone) VALUES ($1, 'R-01', 'R')", w.wh_id, NULL);
	rcv_uuid(pid);
	th_expect(th_reqf("POST", "/v1/putaway/scans", w.staff,
	                  "{\"scan_id\":\"%s\",\"gtin\":\"%s\",\"to_bin\":\"R-01\"}", pid, e),
	          200);
	r = th_reqf("POST", "/v1/putaway/scans", w.staff,
	            "{\"scan_id\":\"%s\",\"gtin\":\"%s\",\"qty\":2,\"to_bin\":\"R-01\"}", pid, e);
	assert_problem_type(r, 422, "scan-id-reused");
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT sum(qty) FROM inventory_movements WHERE warehouse_id = $1"
	                               " AND reason = 'putaway'", w.wh_id, NULL), "1");
}
END_TEST

Suite *receiving_lots_suite(void);
Suite *receiving_lots_suite(void)
{
	Suite *s = suite_create("receiving_lots");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, scanned_lot_counts_on_the_line_of_that_lot);
	tcase_add_test(tc, lot_on_no_line_is_refused_until_confirmed);
	tcase_add_test(tc, lotless_scans_fill_the_skus_lines_in_order);
	tcase_add_test(tc, sku_not_on_the_shipment_is_refused_until_confirmed);
	tcase_add_test(tc, expired_item_needs_confirmation_and_goes_to_quarantine);
	tcase_add_test(tc, short_dated_item_within_min_shelf_life_is_expired);
	tcase_add_test(tc, body_lot_or_expiry_conflicting_with_the_barcode_is_invalid);
	tcase_add_test(tc, scan_id_reused_with_another_body_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
