/* check_receiving_flow.c — the staff side of inbound over HTTP against real
 * PostgreSQL: the whole flow book → in transit → arrive → scan (good,
 * damaged, unexpected, over-receipt with and without confirmation, raw GS1
 * strings with AIM prefixes and GS separators, AI 37 counts) → close (the
 * discrepancy report line by line, stock in RECEIVING and QUARANTINE) → put
 * away → inventory; every error of the scan, close and putaway endpoints;
 * tenant isolation; exactly once for a repeated scan_id; and the
 * over-receipt tolerance through the server. (Suite receiving_flow: the unit
 * suite of wms/receiving.c is already called receiving.) */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

/* POSTs a receiving scan with the given JSON members after scan_id. */
static struct th_resp *scan(const char *key, const char *scan_id, const char *shipment,
                            const char *members)
{
	return th_reqf("POST", "/v1/receiving/scans", key, "{\"scan_id\":\"%s\",\"shipment\":\"%s\"%s%s}",
	               scan_id, shipment, members[0] ? "," : "", members);
}

static struct th_resp *scan_new(const char *key, const char *shipment, const char *members)
{
	char id[37];
	rcv_uuid(id);
	return scan(key, id, shipment, members);
}

static struct th_resp *putaway(const char *key, const char *scan_id, const char *members)
{
	return th_reqf("POST", "/v1/putaway/scans", key, "{\"scan_id\":\"%s\",%s}", scan_id, members);
}

static void close_path(char out[256], const char *id)
{
	snprintf(out, 256, "/v1/inbound-shipments/%s/close", id);
}

/* The on-hand of a SKU code at a bin code in w's warehouse and status. */
static long long onhand(const struct rcv_world *w, const char *sku, const char *bin,
                        const char *status)
{
	return atoll(th_sql_valuep("SELECT coalesce(sum(o.qty), 0) FROM inventory_onhand o"
	                           " JOIN skus k ON k.id = o.sku_id JOIN bins b ON b.id = o.bin_id"
	                           " WHERE o.warehouse_id = $1 AND k.sku_code = $2 AND b.code = $3"
	                           " AND o.status = $4", w->wh_id, sku, bin, status, NULL));
}

/* Asserts the line progress of a scan answer. */
static void assert_line(const struct th_resp *r, int line, int expected, int good, int damaged)
{
	ck_assert_msg(r->status == 200, "%ld: %s", r->status, r->body);
	ck_assert_int_eq((int)th_num(r->json, "line.line", -1), line);
	ck_assert_int_eq((int)th_num(r->json, "line.expected", -1), expected);
	ck_assert_int_eq((int)th_num(r->json, "line.received_good", -1), good);
	ck_assert_int_eq((int)th_num(r->json, "line.received_damaged", -1), damaged);
}

/* Asserts one line of a close report. */
static void assert_report_line(const cJSON *report, int i, const char *sku, int expected, int good,
                               int damaged, int shortq, int over, int unexpected)
{
	char p[64];
	const cJSON *l = th_at(report, (snprintf(p, sizeof p, "lines.%d", i), p));
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(th_str(l, "sku"), sku);
	ck_assert_int_eq((int)th_num(l, "expected", -1), expected);
	ck_assert_int_eq((int)th_num(l, "received_good", -1), good);
	ck_assert_int_eq((int)th_num(l, "received_damaged", -1), damaged);
	ck_assert_int_eq((int)th_num(l, "short", -1), shortq);
	ck_assert_int_eq((int)th_num(l, "over", -1), over);
	ck_assert_int_eq((int)th_num(l, "damaged", -1), damaged);
	ck_assert_int_eq((int)th_num(l, "unexpected", -1), unexpected);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(l, "has_discrepancy")) ==
	          (shortq || over || damaged || unexpected));
}

START_TEST(whole_flow)
{
	struct rcv_world w;
	char ga[15], ea[14], gb[15], eb[14], gc[15], ec[14], path[256], m[512], first_id[37];
	rcv_world_new(&w, 1000); /* 10 % */
	rcv_sku_new(&w, "SKU-A", ga, ea);
	rcv_sku_new(&w, "SKU-B", gb, eb);
	rcv_sku_new(&w, "SKU-C", gc, ec);

	/* book (seller), with a carton, then in transit */
	struct th_resp *r = th_reqf(
		"POST", "/v1/inbound-shipments", w.seller_key,
		"{\"warehouse\":\"%s\",\"mode\":\"semi_warehouse\",\"handover\":{\"type\":\"drop_off\","
		"\"expected_arrival\":\"2030-01-15\"},\"lines\":[{\"sku\":\"SKU-A\",\"qty\":10},"
		"{\"sku\":\"SKU-B\",\"qty\":5,\"lot\":\"L1\"}],\"cartons\":[{\"sscc\":\"%s\","
		"\"lines\":[{\"line\":1,\"qty\":10}]}]}",
		w.wh, "003456789012345670");
	ck_assert_int_eq(r->status, 201);
	char id[37], asn[32];
	snprintf(id, sizeof id, "%s", th_str(r->json, "id"));
	snprintf(asn, sizeof asn, "%s", th_str(r->json, "asn"));
	th_resp_free(r);

	/* a scan before the dock check-in: 409, check in first */
	snprintf(m, sizeof m, "\"gtin\":\"%s\"", ea);
	r = scan_new(w.staff, id, m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "state"), "booked");
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "check it in"));
	th_resp_free(r);

	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/in-transit", id);
	r = th_req("POST", path, w.seller_key, "{\"carrier\":\"DHL\",\"tracking_number\":\"T1\"}",
	           NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/arrive", asn);
	r = th_req("POST", path, w.staff, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "arrived");
	th_resp_free(r);

	/* 1 good by a plain EAN-13 with an AIM prefix, by shipment id */
	rcv_uuid(first_id);
	snprintf(m, sizeof m, "\"barcode\":\"]E0%s\"", ea);
	r = scan(w.staff, first_id, id, m);
	assert_line(r, 1, 10, 1, 0);
	ck_assert_str_eq(th_str(r->json, "next"), "item");
	ck_assert_str_eq(th_str(r->json, "shipment.state"), "receiving");
	char *first_body = strdup(r->body);
	th_resp_free(r);

	/* 4 good as a case: ]C1 (02) GTIN (37) 4, by ASN */
	snprintf(m, sizeof m, "\"barcode\":\"]C102%s374\"", ga);
	r = scan_new(w.staff, asn, m);
	assert_line(r, 1, 10, 5, 0);
	ck_assert_int_eq((int)th_num(r->json, "qty", 0), 4);
	th_resp_free(r);

	/* 2 damaged by GTIN, the shipment named by its carton's SSCC */
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2,\"condition\":\"damaged\"", ea);
	r = scan_new(w.staff, "003456789012345670", m);
	assert_line(r, 1, 10, 5, 2);
	th_resp_free(r);

	/* ]d2 DataMatrix: (01) GTIN (10) lot <GS byte> (17) expiry; qty 1 */
	snprintf(m, sizeof m, "\"barcode\":\"]d201%s10LOTX\\u001d17301231\"", ga);
	r = scan_new(w.staff, id, m);
	assert_line(r, 1, 10, 6, 2);
	th_resp_free(r);

	/* 5 more would make 13 > 11 allowed: 409 confirm_over_receipt, nothing changes */
	char over_id[37];
	rcv_uuid(over_id);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":5", ga);
	r = scan(w.staff, over_id, id, m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_over_receipt");
	ck_assert_int_eq((int)th_num(r->json, "line.received_good", -1), 6);
	ck_assert_int_eq((int)th_num(r->json, "line.expected", -1), 10);
	ck_assert_int_eq((int)th_num(r->json, "allowed_max", -1), 11);
	th_resp_free(r);
	/* the same scan_id resent confirmed is accepted */
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":5,\"confirm_over\":true", ga);
	r = scan(w.staff, over_id, id, m);
	assert_line(r, 1, 10, 11, 2);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "over_receipt")));
	th_resp_free(r);

	/* SKU-B lot L1 with literal <GS> separators and a serial */
	snprintf(m, sizeof m, "\"barcode\":\"01%s10L1<GS>21SER1\"", gb);
	r = scan_new(w.staff, id, m);
	assert_line(r, 2, 5, 1, 0);
	ck_assert_str_eq(th_str(r->json, "line.lot"), "L1");
	th_resp_free(r);
	snprintf(m, sizeof m, "\"barcode\":\"%s\",\"qty\":2", eb);
	r = scan_new(w.staff, id, m);
	assert_line(r, 2, 5, 3, 0);
	th_resp_free(r);

	/* SKU-C is the seller's but not on the ASN: 409 until confirmed, then a new unexpected
	 * line */
	char c_id[37];
	rcv_uuid(c_id);
	snprintf(m, sizeof m, "\"gtin\":\"%s\"", ec);
	r = scan(w.staff, c_id, id, m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:unexpected-item");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_unexpected_item");
	ck_assert_str_eq(th_str(r->json, "sku.sku_code"), "SKU-C");
	th_resp_free(r);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"confirm_unexpected\":true", ec);
	r = scan(w.staff, c_id, id, m);
	assert_line(r, 3, 0, 1, 0);
	ck_assert(cJSON_IsTrue(th_at(r->json, "line.unexpected")));
	th_resp_free(r);

	/* the first scan again: the original answer, byte for byte, nothing changes */
	snprintf(m, sizeof m, "\"barcode\":\"]E0%s\"", ea);
	r = scan(w.staff, first_id, id, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(r->body, first_body);
	ck_assert_str_eq(th_header(r, "Idempotent-Replayed"), "true");
	th_resp_free(r);
	free(first_body);
	ck_assert_str_eq(th_sql_valuep("SELECT received_good || '/' || received_damaged FROM inbound_lines"
	                               " WHERE shipment_id = $1 AND line_no = 1", id, NULL), "11/2");

	/* close: SKU-B is short, which needs confirming; then the report line by line, stock
	 * into RECEIVING and QUARANTINE */
	close_path(path, id);
	r = th_req("POST", path, w.staff, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:short-lines");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_short");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "short_lines")), 1);
	ck_assert_str_eq(th_str(r->json, "short_lines.0.sku"), "SKU-B");
	ck_assert_int_eq((int)th_num(r->json, "short_lines.0.short", -1), 2);
	th_resp_free(r);
	r = th_req("POST", path, w.staff, "{\"confirm_short\":true}", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	ck_assert_str_eq(th_str(r->json, "asn"), asn);
	assert_report_line(r->json, 0, "SKU-A", 10, 11, 2, 0, 3, 0);
	assert_report_line(r->json, 1, "SKU-B", 5, 3, 0, 2, 0, 0);
	assert_report_line(r->json, 2, "SKU-C", 0, 1, 0, 0, 0, 1);
	ck_assert_int_eq((int)th_num(r->json, "totals.expected", -1), 15);
	ck_assert_int_eq((int)th_num(r->json, "totals.received_good", -1), 15);
	ck_assert_int_eq((int)th_num(r->json, "totals.short", -1), 2);
	ck_assert_int_eq((int)th_num(r->json, "totals.over", -1), 3);
	ck_assert_int_eq((int)th_num(r->json, "totals.damaged", -1), 2);
	ck_assert_int_eq((int)th_num(r->json, "totals.unexpected", -1), 1);
	ck_assert_int_eq((int)th_num(r->json, "totals.lines_with_discrepancy", -1), 3);
	th_resp_free(r);
	ck_assert_int_eq(onhand(&w, "SKU-A", "RECEIVING", "sellable"), 11);
	ck_assert_int_eq(onhand(&w, "SKU-A", "QUARANTINE", "quarantine"), 2);
	ck_assert_int_eq(onhand(&w, "SKU-B", "RECEIVING", "sellable"), 3);
	ck_assert_int_eq(onhand(&w, "SKU-C", "RECEIVING", "sellable"), 1);
	/* one movement per line, lot, expiry and status: SKU-A's unlotted units, its lot LOTX
	 * (from the DataMatrix scan), its damaged units; SKU-B lot L1; SKU-C */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM inventory_movements WHERE ref_id = $1"
	                               " AND reason = 'inbound_receipt'", id, NULL), "5");
	ck_assert_str_eq(th_sql_valuep("SELECT qty || ' ' || expiry FROM inventory_onhand o"
	                               " JOIN bins b ON b.id = o.bin_id WHERE o.warehouse_id = $1"
	                               " AND b.code = 'RECEIVING' AND o.lot = 'LOTX'", w.wh_id, NULL),
	                 "1 2030-12-31");

	/* closing again: 409 naming the state, with the stored report */
	r = th_req("POST", path, w.staff, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	ck_assert_int_eq((int)th_num(r->json, "discrepancy.totals.over", -1), 3);
	th_resp_free(r);
	/* scanning a closed shipment: 409 */
	snprintf(m, sizeof m, "\"gtin\":\"%s\"", ea);
	r = scan_new(w.staff, id, m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	th_resp_free(r);

	/* put away: 5 of SKU-A to A-01 (first expired first: LOTX's 1, then 4 without a lot); a
	 * repeat changes nothing; 7 more is too many */
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone) VALUES ($1, 'A-01', 'A')", w.wh_id, NULL);
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone, kind) VALUES ($1, 'Q-01', 'Q',"
	        " 'quarantine')", w.wh_id, NULL);
	char pid[37];
	rcv_uuid(pid);
	snprintf(m, sizeof m, "\"barcode\":\"]E0%s\",\"qty\":5,\"to_bin\":\"A-01\"", ea);
	r = putaway(w.staff, pid, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "from.qty", -1), 6);
	ck_assert_str_eq(th_str(r->json, "from.bin"), "RECEIVING");
	ck_assert_int_eq((int)th_num(r->json, "to.qty", -1), 5);
	ck_assert_str_eq(th_str(r->json, "next"), "item");
	ck_assert_str_eq(th_str(r->json, "lots.0.lot"), "LOTX");
	ck_assert_int_eq((int)th_num(r->json, "lots.0.qty", -1), 1);
	ck_assert_ptr_null(th_str(r->json, "lots.1.lot"));
	ck_assert_int_eq((int)th_num(r->json, "lots.1.qty", -1), 4);
	char *put_body = strdup(r->body);
	th_resp_free(r);
	r = putaway(w.staff, pid, m);
	ck_assert_str_eq(r->body, put_body);
	ck_assert_str_eq(th_header(r, "Idempotent-Replayed"), "true");
	th_resp_free(r);
	free(put_body);
	ck_assert_int_eq(onhand(&w, "SKU-A", "A-01", "sellable"), 5);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":7,\"to_bin\":\"A-01\"", ea);
	r = putaway(w.staff, (rcv_uuid(pid), pid), m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "only 6 units of SKU-A"));
	ck_assert_int_eq((int)th_num(r->json, "available", -1), 6);
	th_resp_free(r);
	/* the rest as a case (02)+(37) with a GS byte; the damaged ones from quarantine */
	snprintf(m, sizeof m, "\"barcode\":\"]C102%s376\",\"to_bin\":\"A-01\"", ga);
	r = putaway(w.staff, (rcv_uuid(pid), pid), m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "from.qty", -1), 0);
	ck_assert_int_eq((int)th_num(r->json, "to.qty", -1), 11);
	th_resp_free(r);
	/* quarantined stock goes only into a quarantine bin */
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2,\"from\":\"QUARANTINE\",\"to_bin\":\"A-01\","
	         "\"status\":\"quarantine\"", ea);
	ck_assert(th_problem(putaway(w.staff, (rcv_uuid(pid), pid), m), 422, "to_bin",
	                     "wrong-bin-kind"));
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2,\"from\":\"QUARANTINE\",\"to_bin\":\"Q-01\","
	         "\"status\":\"quarantine\"", ea);
	r = putaway(w.staff, (rcv_uuid(pid), pid), m);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	ck_assert_int_eq(onhand(&w, "SKU-A", "Q-01", "quarantine"), 2);

	/* inventory: the seller sees its stock, per lot and expiry; filters; movements page
	 * newest first */
	snprintf(path, sizeof path, "/v1/inventory?sku=SKU-A&warehouse=%s&location=A-01", w.wh);
	r = th_req("GET", path, w.seller_key, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 2);
	ck_assert_str_eq(th_str(r->json, "items.0.location"), "A-01");
	ck_assert(cJSON_IsTrue(th_at(r->json, "items.0.allocatable")));
	th_resp_free(r);
	r = th_req("GET", "/v1/inventory?status=quarantine&limit=1", w.staff, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.status"), "quarantine");
	th_resp_free(r);
	/* 5 rows with stock > 0: SKU-A at A-01 (LOTX, none), at Q-01; SKU-B L1 and SKU-C in
	 * RECEIVING (not allocatable: still in the receiving area) */
	r = th_req("GET", "/v1/inventory?limit=3", w.staff, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(th_str(r->json, "next_cursor"));
	snprintf(path, sizeof path, "/v1/inventory?limit=3&cursor=%s", th_str(r->json, "next_cursor"));
	th_resp_free(r);
	r = th_req("GET", path, w.staff, NULL, NULL, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 2);
	ck_assert_ptr_null(th_str(r->json, "next_cursor"));
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM inventory_onhand WHERE warehouse_id = $1"
	                               " AND qty > 0", w.wh_id, NULL), "5");

	r = th_req("GET", "/v1/inventory/movements?limit=3", w.seller_key, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "items.0.reason"), "putaway");
	ck_assert_str_eq(th_str(r->json, "items.0.from.location"), "QUARANTINE");
	double newest = th_num(r->json, "items.0.id", 0), third = th_num(r->json, "items.2.id", 0);
	ck_assert(newest > third);
	snprintf(path, sizeof path, "/v1/inventory/movements?limit=10&cursor=%s",
	         th_str(r->json, "next_cursor"));
	th_resp_free(r);
	r = th_req("GET", path, w.seller_key, NULL, NULL, NULL);
	/* 9 movements: 5 receipts and 4 putaways (the first took two lots) */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 6);
	ck_assert(th_num(r->json, "items.0.id", 0) < third);
	ck_assert_str_eq(th_str(r->json, "items.5.reason"), "inbound_receipt");
	th_resp_free(r);
	r = th_req("GET", "/v1/inventory/movements?cursor=abc", w.seller_key, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 400));
	th_resp_free(r);
}
END_TEST

START_TEST(scan_errors)
{
	struct rcv_world w;
	char ga[15], ea[14], id[37], asn[32], m[512];
	rcv_world_new(&w, 0);
	rcv_sku_new(&w, "SKU-A", ga, ea);
	const char *skus[] = {"SKU-A"};
	const int exp[] = {2};
	rcv_shipment_new(&w, "arrived", 1, skus, exp, id, asn);

	struct th_resp *r = th_req("POST", "/v1/receiving/scans", w.staff, "{}", NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "scan_id"));
	ck_assert(th_has_field_error(r, "shipment"));
	ck_assert(th_has_field_error(r, "barcode"));
	th_resp_free(r);
	r = scan(w.staff, "not-a-uuid", id, "\"gtin\":\"4006381333931\",\"condition\":\"broken\","
	         "\"qty\":0,\"colour\":1");
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "scan_id"));
	ck_assert(th_has_field_error(r, "condition"));
	ck_assert(th_has_field_error(r, "qty"));
	ck_assert(th_has_field_error(r, "colour"));
	th_resp_free(r);

	/* the parser's precise reasons, named on barcode */
	r = scan_new(w.staff, id, "\"barcode\":\"]C10104006381333932\"");
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "barcode"));
	ck_assert_ptr_nonnull(strstr(r->body, "check digit is 2, expected 1"));
	th_resp_free(r);
	snprintf(m, sizeof m, "\"barcode\":\"01%s17251340\"", ga);
	r = scan_new(w.staff, id, m);
	ck_assert(th_has_field_error(r, "barcode"));
	ck_assert_ptr_nonnull(strstr(r->body, "AI 17 is not a valid date"));
	th_resp_free(r);
	r = scan_new(w.staff, id, "\"barcode\":\"]C100003456789012345670\"");
	ck_assert(th_has_field_error(r, "barcode"));
	ck_assert_ptr_nonnull(strstr(r->body, "carton label"));
	th_resp_free(r);
	snprintf(m, sizeof m, "\"barcode\":\"%s\",\"gtin\":\"%s\"", ea, ea);
	r = scan_new(w.staff, id, m);
	ck_assert(th_has_field_error(r, "gtin"));
	th_resp_free(r);
	snprintf(m, sizeof m, "\"barcode\":\"02%s375\",\"qty\":4", ga);
	r = scan_new(w.staff, id, m);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "qty"));
	th_resp_free(r);

	/* unknown GTIN (valid check digit, no SKU of this seller) */
	r = scan_new(w.staff, id, "\"barcode\":\"4006381333931\"");
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "barcode"));
	th_resp_free(r);
	r = scan_new(w.staff, id, "\"gtin\":\"4006381333931\"");
	ck_assert(th_has_field_error(r, "gtin"));
	th_resp_free(r);

	/* unknown shipment: 404 */
	char other[37];
	rcv_uuid(other);
	snprintf(m, sizeof m, "\"gtin\":\"%s\"", ea);
	r = scan_new(w.staff, other, m);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);
	r = scan_new(w.staff, "ASN-NOPE", m);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);

	/* tolerance 0: the third unit needs confirmation */
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":2", ea);
	r = scan_new(w.staff, id, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "next"), "close");
	th_resp_free(r);
	snprintf(m, sizeof m, "\"gtin\":\"%s\"", ea);
	r = scan_new(w.staff, id, m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_over_receipt");
	th_resp_free(r);

	/* a cancelled shipment takes no scans and cannot be closed */
	char cid[37], casn[32], path[256];
	rcv_shipment_new(&w, "cancelled", 1, skus, exp, cid, casn);
	r = scan_new(w.staff, casn, m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	th_resp_free(r);
	close_path(path, cid);
	r = th_req("POST", path, w.staff, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	th_resp_free(r);
	close_path(path, other);
	r = th_req("POST", path, w.staff, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);

	/* a scan_id used by a putaway cannot be a receiving scan */
	char sid[37];
	rcv_uuid(sid);
	th_sqlp("INSERT INTO scans (warehouse_id, scan_id, kind, key_id, request_hash, response)"
	        " VALUES ($1, $2, 'putaway', gen_random_uuid(), 'x', '{}')", w.wh_id, sid, NULL);
	r = scan(w.staff, sid, id, m);
	ck_assert(th_is_problem(r, 422));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:scan-id-reused");
	th_resp_free(r);

	/* putaway errors: unknown bin, same bin, unknown GTIN, nothing there */
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone) VALUES ($1, 'S-01', 'S')", w.wh_id, NULL);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"to_bin\":\"NOPE\"", ea);
	r = putaway(w.staff, (rcv_uuid(sid), sid), m);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "to_bin"));
	th_resp_free(r);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"to_bin\":\"S-01\",\"from\":\"NOPE\"", ea);
	r = putaway(w.staff, (rcv_uuid(sid), sid), m);
	ck_assert(th_has_field_error(r, "from"));
	th_resp_free(r);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"to_bin\":\"RECEIVING\"", ea);
	r = putaway(w.staff, (rcv_uuid(sid), sid), m);
	ck_assert(th_has_field_error(r, "to_bin"));
	th_resp_free(r);
	char unknown[15], unknown13[14];
	rcv_gtin_new(unknown, unknown13);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"to_bin\":\"S-01\"", unknown13);
	r = putaway(w.staff, (rcv_uuid(sid), sid), m);
	ck_assert(th_has_field_error(r, "gtin"));
	th_resp_free(r);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"to_bin\":\"S-01\"", ea);
	r = putaway(w.staff, (rcv_uuid(sid), sid), m);
	ck_assert(th_is_problem(r, 409));
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "no sellable stock"));
	th_resp_free(r);
	/* sellable stock does not go into a quarantine bin */
	r = putaway(w.staff, (rcv_uuid(sid), sid), "\"gtin\":\"4006381333931\",\"to_bin\":\"QUARANTINE\"");
	ck_assert(th_problem(r, 422, "to_bin", "wrong-bin-kind"));
	r = NULL;
	th_resp_free(r);
	r = putaway(w.staff, (rcv_uuid(sid), sid), "\"qty\":1");
	ck_assert(th_has_field_error(r, "to_bin"));
	ck_assert(th_has_field_error(r, "barcode"));
	th_resp_free(r);
}
END_TEST

START_TEST(tenant_isolation)
{
	struct rcv_world x, y;
	char ga[15], ea[14], gy[15], ey[14], id[37], asn[32], m[256], path[256];
	rcv_world_new(&x, 1000);
	rcv_world_new(&y, 1000);
	rcv_sku_new(&x, "SKU-X", ga, ea);
	rcv_sku_new(&y, "SKU-Y", gy, ey);
	const char *skus[] = {"SKU-X"};
	const int exp[] = {3};
	rcv_shipment_new(&x, "arrived", 1, skus, exp, id, asn);

	/* staff of Y cannot scan into or close X's shipment: it does not exist for them */
	snprintf(m, sizeof m, "\"gtin\":\"%s\"", ea);
	struct th_resp *r = scan_new(y.staff, id, m);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);
	r = scan_new(y.staff, asn, m);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);
	close_path(path, id);
	r = th_req("POST", path, y.staff, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);
	/* sellers cannot scan, close or put away */
	r = scan_new(x.seller_key, id, m);
	ck_assert(th_is_problem(r, 403));
	th_resp_free(r);
	r = th_req("POST", path, x.seller_key, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 403));
	th_resp_free(r);

	/* X's staff and an admin can; after close X's seller sees the stock, Y's does not */
	r = scan_new(x.staff, id, m);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	r = scan_new(x.admin, asn, m);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	r = th_req("POST", path, x.admin, "{\"confirm_short\":true}", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);

	r = th_req("GET", "/v1/inventory", x.seller_key, NULL, NULL, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
	ck_assert_int_eq((int)th_num(r->json, "items.0.qty", 0), 2);
	th_resp_free(r);
	r = th_req("GET", "/v1/inventory", y.seller_key, NULL, NULL, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
	th_resp_free(r);
	r = th_req("GET", "/v1/inventory", y.staff, NULL, NULL, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
	th_resp_free(r);
	r = th_req("GET", "/v1/inventory/movements", y.seller_key, NULL, NULL, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
	th_resp_free(r);
	snprintf(path, sizeof path, "/v1/inventory?warehouse=%s", x.wh);
	r = th_req("GET", path, x.staff, NULL, NULL, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
	th_resp_free(r);
	/* Y's staff cannot move X's stock */
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone) VALUES ($1, 'S-01', 'S')", y.wh_id, NULL);
	snprintf(m, sizeof m, "\"gtin\":\"%s\",\"to_bin\":\"S-01\"", ea);
	char sid[37];
	r = putaway(y.staff, (rcv_uuid(sid), sid), m);
	ck_assert(th_is_problem(r, 409)); /* nothing of it in Y */
	th_resp_free(r);
	ck_assert_int_eq(atoi(th_sql_valuep("SELECT qty FROM inventory_onhand WHERE warehouse_id = $1",
	                                    x.wh_id, NULL)), 2);
}
END_TEST

/* The over-receipt tolerance, through the server (its one home is receiving_scan): a line
 * expecting e in a warehouse with tolerance bp takes e + floor(e * bp / 10000) units without
 * confirmation (computed here independently, in 128-bit arithmetic), and not one more; a
 * damaged unit counts towards it. */
START_TEST(over_receipt_tolerance_is_expected_plus_floor_bp)
{
	static const int expected[] = {1, 9, 10, 101, 12345};
	static const int bps[] = {0, 999, 1000, 3333, 10000};
	char g14[15], ean[14], id[37], asn[32], m[160];
	for (size_t j = 0; j < sizeof bps / sizeof *bps; j++) {
		struct rcv_world w;
		rcv_world_new(&w, bps[j]);
		rcv_sku_new(&w, "TOL", g14, ean);
		for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
			const char *skus[] = {"TOL"};
			rcv_shipment_new(&w, "arrived", 1, skus, &expected[i], id, asn);
			long long allowed = (long long)((__int128)expected[i] +
			                                (__int128)expected[i] * bps[j] / 10000);
			snprintf(m, sizeof m, "\"gtin\":\"%s\",\"qty\":%lld", ean, allowed - 1);
			if (allowed > 1)
				th_expect(scan_new(w.staff, id, m), 200);
			snprintf(m, sizeof m, "\"gtin\":\"%s\",\"condition\":\"damaged\"", ean);
			th_expect(scan_new(w.staff, id, m), 200);
			snprintf(m, sizeof m, "\"gtin\":\"%s\"", ean);
			struct th_resp *r = scan_new(w.staff, id, m);
			ck_assert_msg(th_is_problem(r, 409), "expected %d, bp %d", expected[i], bps[j]);
			ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:over-receipt");
			ck_assert_int_eq((long long)th_num(r->json, "allowed_max", -1), allowed);
			ck_assert_str_eq(th_str(r->json, "next"), "confirm_over_receipt");
			th_resp_free(r);
		}
	}
}
END_TEST

Suite *receiving_flow_suite(void);
Suite *receiving_flow_suite(void)
{
	Suite *s = suite_create("receiving_flow");
	TCase *tc = tcase_create("receiving_flow");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, whole_flow);
	tcase_add_test(tc, scan_errors);
	tcase_add_test(tc, tenant_isolation);
	tcase_add_test(tc, over_receipt_tolerance_is_expected_plus_floor_bp);
	suite_add_tcase(s, tc);
	return s;
}
