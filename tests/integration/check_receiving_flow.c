/* check_receiving_flow.c — the staff side of inbound over HTTP against real PostgreSQL, one
 * behaviour per test: book → in transit → arrive → scan (good, damaged, unexpected,
 * over-receipt with and without confirmation, raw GS1 strings with AIM prefixes and GS
 * separators, AI 37 counts) → close (the discrepancy report line by line, stock in
 * RECEIVING and QUARANTINE) → put away → inventory; the errors of the scan, close and
 * putaway endpoints; tenant isolation; exactly once for a repeated scan_id; and the
 * over-receipt tolerance through the server. Each test builds the shipment it needs with
 * the helpers below, so each can fail on its own. (Suite receiving_flow: the unit suite of
 * wms/receiving.c is already called receiving.) */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

#define CARTON "003456789012345670"

/* JSON members from a printf format, in a static buffer that the next call overwrites. */
static const char *members(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *members(const char *fmt, ...)
{
	static char m[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	return m;
}

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

/* A scan with a fresh scan_id that must answer 200. */
static void scan_ok(const char *key, const char *shipment, const char *members)
{
	th_expect(scan_new(key, shipment, members), 200);
}

/* A scan of one unit by its GTIN (EAN-13 ean) with a fresh scan_id. */
static struct th_resp *scan_gtin(const char *key, const char *shipment, const char *ean)
{
	return scan_new(key, shipment, members("\"gtin\":\"%s\"", ean));
}

/* Asserts that r is a 409 naming the shipment's state, and frees r. */
static void assert_refused_in_state(struct th_resp *r, const char *state)
{
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "state"), state);
	th_resp_free(r);
}

/* Asserts that r is a problem with status, and frees r. */
static void assert_problem(struct th_resp *r, long status)
{
	ck_assert(th_is_problem(r, status));
	th_resp_free(r);
}

/* A bin code of kind in the warehouse wh_id. */
static void bin_new(const char *wh_id, const char *code, const char *kind)
{
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone, kind) VALUES ($1, $2, 'Z', $3)", wh_id,
	        code, kind, NULL);
}

static struct th_resp *putaway(const char *key, const char *scan_id, const char *members)
{
	return th_reqf("POST", "/v1/putaway/scans", key, "{\"scan_id\":\"%s\",%s}", scan_id, members);
}

static struct th_resp *putaway_new(const char *key, const char *members)
{
	char id[37];
	rcv_uuid(id);
	return putaway(key, id, members);
}

/* A putaway with a fresh scan_id that must answer 200. */
static void put_ok(const char *key, const char *members)
{
	th_expect(putaway_new(key, members), 200);
}

/* Asserts that r replays the answer first_body (the same bytes, marked replayed); frees r. */
static void assert_replayed(struct th_resp *r, const char *first_body)
{
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(r->body, first_body);
	ck_assert_str_eq(th_header(r, "Idempotent-Replayed"), "true");
	th_resp_free(r);
}

/* POSTs a close of shipment id (body may be NULL). */
static struct th_resp *close_shipment(const char *key, const char *id, const char *body)
{
	return th_call("POST", key, body, "/v1/inbound-shipments/%s/close", id);
}

/* GETs path and asserts 200. */
static struct th_resp *get_ok(const char *key, const char *path)
{
	struct th_resp *r = th_req("GET", path, key, NULL, NULL, NULL);
	ck_assert_msg(r->status == 200, "%s: %ld %s", path, r->status, r->body);
	return r;
}

/* The number of items in a list answer. */
static int n_items(const struct th_resp *r)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items"));
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

/* ---- the standard shipment ------------------------------------------------------------ */

/* A warehouse with 10 % over-receipt tolerance; SKU-A, SKU-B and SKU-C of its seller
 * (GTIN-14 g*, EAN-13 e*); a shipment of 10 SKU-A (all in carton CARTON) and 5 SKU-B of
 * lot L1, booked by the seller over HTTP. SKU-C is the seller's but not on the shipment. */
struct flow {
	struct rcv_world w;
	char ga[15], ea[14], gb[15], eb[14], gc[15], ec[14];
	char id[37], asn[32];
};

/* The standard shipment, booked (not yet checked in). */
static void flow_booked(struct flow *f)
{
	rcv_world_new(&f->w, 1000);
	rcv_sku_new(&f->w, "SKU-A", f->ga, f->ea);
	rcv_sku_new(&f->w, "SKU-B", f->gb, f->eb);
	rcv_sku_new(&f->w, "SKU-C", f->gc, f->ec);
	struct th_resp *r = th_reqf(
		"POST", "/v1/inbound-shipments", f->w.seller_key,
		"{\"warehouse\":\"%s\",\"mode\":\"semi_warehouse\",\"handover\":{\"type\":\"drop_off\","
		"\"expected_arrival\":\"2030-01-15\"},\"lines\":[{\"sku\":\"SKU-A\",\"qty\":10},"
		"{\"sku\":\"SKU-B\",\"qty\":5,\"lot\":\"L1\"}],\"cartons\":[{\"sscc\":\"%s\","
		"\"lines\":[{\"line\":1,\"qty\":10}]}]}",
		f->w.wh, CARTON);
	ck_assert_msg(r->status == 201, "%ld: %s", r->status, r->body);
	snprintf(f->id, sizeof f->id, "%s", th_str(r->json, "id"));
	snprintf(f->asn, sizeof f->asn, "%s", th_str(r->json, "asn"));
	th_resp_free(r);
}

/* The standard shipment, in transit (the seller) and checked in at the dock by its ASN. */
static void flow_arrived(struct flow *f)
{
	flow_booked(f);
	th_expect(th_call("POST", f->w.seller_key, "{\"carrier\":\"DHL\",\"tracking_number\":\"T1\"}",
	                  "/v1/inbound-shipments/%s/in-transit", f->id),
	          200);
	struct th_resp *r = th_call("POST", f->w.staff, NULL, "/v1/inbound-shipments/%s/arrive", f->asn);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "arrived");
	th_resp_free(r);
}

/* The standard shipment, arrived and received: SKU-A 11 good (10 without a lot, 1 of lot
 * LOTX expiring 2030-12-31) and 2 damaged, one over the 11 allowed (confirmed); SKU-B 3 of
 * its 5 (lot L1); SKU-C 1, unexpected (confirmed). */
static void flow_received(struct flow *f)
{
	flow_arrived(f);
	scan_ok(f->w.staff, f->id, members("\"gtin\":\"%s\",\"qty\":10", f->ea));
	scan_ok(f->w.staff, f->id, members("\"barcode\":\"]d201%s10LOTX\\u001d17301231\"", f->ga));
	scan_ok(f->w.staff, f->id, members("\"gtin\":\"%s\",\"qty\":2,\"condition\":\"damaged\","
	                                   "\"confirm_over\":true", f->ea));
	scan_ok(f->w.staff, f->id, members("\"gtin\":\"%s\",\"qty\":3", f->eb));
	scan_ok(f->w.staff, f->id, members("\"gtin\":\"%s\",\"confirm_unexpected\":true", f->ec));
}

/* The standard shipment, received and closed (SKU-B short, confirmed): in RECEIVING 10 + 1
 * (LOTX) sellable SKU-A, 3 SKU-B (L1) and 1 SKU-C; in QUARANTINE 2 SKU-A. */
static void flow_closed(struct flow *f)
{
	flow_received(f);
	th_expect(close_shipment(f->w.staff, f->id, "{\"confirm_short\":true}"), 200);
}

/* Bins A-01 (storage) and Q-01 (quarantine) in f's warehouse. */
static void flow_bins(const struct flow *f)
{
	bin_new(f->w.wh_id, "A-01", "storage");
	bin_new(f->w.wh_id, "Q-01", "quarantine");
}

/* The standard shipment, closed, with bins to put it away into. */
static void flow_ready_to_put_away(struct flow *f)
{
	flow_closed(f);
	flow_bins(f);
}

/* A putaway of SKU-A's 2 quarantined units from QUARANTINE to to_bin. */
static struct th_resp *put_quarantined(const struct flow *f, const char *to_bin)
{
	return putaway_new(f->w.staff, members("\"gtin\":\"%s\",\"qty\":2,\"from\":\"QUARANTINE\","
	                                       "\"to_bin\":\"%s\",\"status\":\"quarantine\"",
	                                       f->ea, to_bin));
}

/* The standard shipment, closed and put away: 5 SKU-A to A-01 (LOTX's 1, then 4 without a
 * lot), the other 6 to A-01 as a case, the 2 damaged to Q-01; 4 putaway movements. SKU-B
 * and SKU-C stay in RECEIVING: 5 on-hand rows with stock. */
static void flow_put_away(struct flow *f)
{
	flow_ready_to_put_away(f);
	put_ok(f->w.staff, members("\"barcode\":\"]E0%s\",\"qty\":5,\"to_bin\":\"A-01\"", f->ea));
	put_ok(f->w.staff, members("\"barcode\":\"]C102%s376\",\"to_bin\":\"A-01\"", f->ga));
	th_expect(put_quarantined(f, "Q-01"), 200);
}

/* ---- the small shipment ----------------------------------------------------------------- */

/* A warehouse with no over-receipt tolerance, SKU-A of its seller and an arrived shipment
 * (inserted in SQL) expecting 2 of it. */
struct small {
	struct rcv_world w;
	char ga[15], ea[14], id[37], asn[32];
};

static void small_arrived(struct small *s)
{
	const char *skus[] = {"SKU-A"};
	const int exp[] = {2};
	rcv_world_new(&s->w, 0);
	rcv_sku_new(&s->w, "SKU-A", s->ga, s->ea);
	rcv_shipment_new(&s->w, "arrived", 1, skus, exp, s->id, s->asn);
}

/* ---- receiving scans ------------------------------------------------------------------ */

START_TEST(scan_before_dock_check_in_is_refused)
{
	struct flow f;
	flow_booked(&f);
	struct th_resp *r = scan_gtin(f.w.staff, f.id, f.ea);
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "check it in"));
	assert_refused_in_state(r, "booked");
}
END_TEST

START_TEST(first_scan_counts_an_ean13_with_aim_prefix_and_starts_receiving)
{
	struct flow f;
	flow_arrived(&f);
	struct th_resp *r = scan_new(f.w.staff, f.id, members("\"barcode\":\"]E0%s\"", f.ea));
	assert_line(r, 1, 10, 1, 0);
	ck_assert_str_eq(th_str(r->json, "next"), "item");
	ck_assert_str_eq(th_str(r->json, "shipment.state"), "receiving");
	th_resp_free(r);
}
END_TEST

START_TEST(case_barcode_counts_its_ai37_quantity)
{
	struct flow f;
	flow_arrived(&f);
	/* ]C1 (02) GTIN (37) 4, the shipment named by its ASN */
	struct th_resp *r = scan_new(f.w.staff, f.asn, members("\"barcode\":\"]C102%s374\"", f.ga));
	assert_line(r, 1, 10, 4, 0);
	ck_assert_int_eq((int)th_num(r->json, "qty", 0), 4);
	th_resp_free(r);
}
END_TEST

START_TEST(damaged_units_count_apart_on_the_shipment_named_by_carton_sscc)
{
	struct flow f;
	flow_arrived(&f);
	const char *m = members("\"gtin\":\"%s\",\"qty\":2,\"condition\":\"damaged\"", f.ea);
	struct th_resp *r = scan_new(f.w.staff, CARTON, m);
	assert_line(r, 1, 10, 0, 2);
	th_resp_free(r);
}
END_TEST

START_TEST(datamatrix_with_gs_byte_counts_one_unit)
{
	struct flow f;
	flow_arrived(&f);
	/* ]d2 DataMatrix: (01) GTIN (10) lot <GS byte> (17) expiry; qty 1 */
	struct th_resp *r =
		scan_new(f.w.staff, f.id, members("\"barcode\":\"]d201%s10LOTX\\u001d17301231\"", f.ga));
	assert_line(r, 1, 10, 1, 0);
	th_resp_free(r);
}
END_TEST

START_TEST(over_receipt_needs_confirmation_then_counts)
{
	struct flow f;
	char over_id[37];
	flow_arrived(&f);
	scan_ok(f.w.staff, f.id, members("\"gtin\":\"%s\",\"qty\":6", f.ea));
	scan_ok(f.w.staff, f.id, members("\"gtin\":\"%s\",\"qty\":2,\"condition\":\"damaged\"", f.ea));

	/* 5 more would make 13 > 11 allowed: 409 confirm_over_receipt, nothing changes */
	rcv_uuid(over_id);
	struct th_resp *r = scan(f.w.staff, over_id, f.id, members("\"gtin\":\"%s\",\"qty\":5", f.ga));
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_over_receipt");
	ck_assert_int_eq((int)th_num(r->json, "line.received_good", -1), 6);
	ck_assert_int_eq((int)th_num(r->json, "line.expected", -1), 10);
	ck_assert_int_eq((int)th_num(r->json, "allowed_max", -1), 11);
	th_resp_free(r);
	/* the same scan_id resent confirmed is accepted */
	r = scan(f.w.staff, over_id, f.id,
	         members("\"gtin\":\"%s\",\"qty\":5,\"confirm_over\":true", f.ga));
	assert_line(r, 1, 10, 11, 2);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "over_receipt")));
	th_resp_free(r);
}
END_TEST

START_TEST(lot_and_serial_after_literal_gs_text_count_on_the_lots_line)
{
	struct flow f;
	flow_arrived(&f);
	/* SKU-B lot L1 with literal <GS> separators and a serial */
	struct th_resp *r = scan_new(f.w.staff, f.id, members("\"barcode\":\"01%s10L1<GS>21SER1\"", f.gb));
	assert_line(r, 2, 5, 1, 0);
	ck_assert_str_eq(th_str(r->json, "line.lot"), "L1");
	th_resp_free(r);
}
END_TEST

START_TEST(lot_less_scan_counts_on_the_skus_lot_line)
{
	struct flow f;
	flow_arrived(&f);
	struct th_resp *r = scan_new(f.w.staff, f.id, members("\"barcode\":\"%s\",\"qty\":2", f.eb));
	assert_line(r, 2, 5, 2, 0);
	th_resp_free(r);
}
END_TEST

START_TEST(unexpected_item_needs_confirmation_then_gets_its_own_line)
{
	struct flow f;
	char c_id[37];
	flow_arrived(&f);
	/* SKU-C is the seller's but not on the ASN: 409 until confirmed, then a new line */
	rcv_uuid(c_id);
	struct th_resp *r = scan(f.w.staff, c_id, f.id, members("\"gtin\":\"%s\"", f.ec));
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:unexpected-item");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_unexpected_item");
	ck_assert_str_eq(th_str(r->json, "sku.sku_code"), "SKU-C");
	th_resp_free(r);
	r = scan(f.w.staff, c_id, f.id, members("\"gtin\":\"%s\",\"confirm_unexpected\":true", f.ec));
	assert_line(r, 3, 0, 1, 0);
	ck_assert(cJSON_IsTrue(th_at(r->json, "line.unexpected")));
	th_resp_free(r);
}
END_TEST

START_TEST(repeated_scan_id_replays_the_first_answer)
{
	struct flow f;
	char m[128], first_id[37];
	flow_arrived(&f);
	rcv_uuid(first_id);
	snprintf(m, sizeof m, "\"barcode\":\"]E0%s\"", f.ea);
	struct th_resp *r = scan(f.w.staff, first_id, f.id, m);
	assert_line(r, 1, 10, 1, 0);
	char *first_body = strdup(r->body);
	th_resp_free(r);
	scan_ok(f.w.staff, f.id, members("\"barcode\":\"]C102%s374\"", f.ga));

	/* the first scan again: the original answer, byte for byte, nothing changes */
	assert_replayed(scan(f.w.staff, first_id, f.id, m), first_body);
	free(first_body);
	ck_assert_str_eq(th_sql_valuep("SELECT received_good || '/' || received_damaged FROM inbound_lines"
	                               " WHERE shipment_id = $1 AND line_no = 1", f.id, NULL), "5/0");
}
END_TEST

START_TEST(closed_shipment_refuses_scans)
{
	struct flow f;
	flow_closed(&f);
	assert_refused_in_state(scan_gtin(f.w.staff, f.id, f.ea), "closed");
}
END_TEST

START_TEST(scan_of_the_last_expected_unit_answers_next_close)
{
	struct small s;
	small_arrived(&s);
	struct th_resp *r = scan_new(s.w.staff, s.id, members("\"gtin\":\"%s\",\"qty\":2", s.ea));
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "next"), "close");
	th_resp_free(r);
}
END_TEST

/* ---- close ---------------------------------------------------------------------------- */

START_TEST(close_with_short_lines_needs_confirmation)
{
	struct flow f;
	flow_received(&f);
	/* SKU-B is short, which needs confirming */
	struct th_resp *r = close_shipment(f.w.staff, f.id, NULL);
	ck_assert(th_is_problem(r, 409));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:short-lines");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_short");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "short_lines")), 1);
	ck_assert_str_eq(th_str(r->json, "short_lines.0.sku"), "SKU-B");
	ck_assert_int_eq((int)th_num(r->json, "short_lines.0.short", -1), 2);
	th_resp_free(r);
	r = close_shipment(f.w.staff, f.id, "{\"confirm_short\":true}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	th_resp_free(r);
}
END_TEST

START_TEST(close_reports_the_discrepancies_line_by_line)
{
	struct flow f;
	flow_received(&f);
	struct th_resp *r = close_shipment(f.w.staff, f.id, "{\"confirm_short\":true}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	ck_assert_str_eq(th_str(r->json, "asn"), f.asn);
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
}
END_TEST

START_TEST(close_turns_receipts_into_stock_per_lot)
{
	struct flow f;
	flow_closed(&f);
	/* good stock into RECEIVING, damaged into QUARANTINE */
	ck_assert_int_eq(onhand(&f.w, "SKU-A", "RECEIVING", "sellable"), 11);
	ck_assert_int_eq(onhand(&f.w, "SKU-A", "QUARANTINE", "quarantine"), 2);
	ck_assert_int_eq(onhand(&f.w, "SKU-B", "RECEIVING", "sellable"), 3);
	ck_assert_int_eq(onhand(&f.w, "SKU-C", "RECEIVING", "sellable"), 1);
	/* one movement per line, lot, expiry and status: SKU-A's unlotted units, its lot LOTX
	 * (from the DataMatrix scan), its damaged units; SKU-B lot L1; SKU-C */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM inventory_movements WHERE ref_id = $1"
	                               " AND reason = 'inbound_receipt'", f.id, NULL), "5");
	ck_assert_str_eq(th_sql_valuep("SELECT qty || ' ' || expiry FROM inventory_onhand o"
	                               " JOIN bins b ON b.id = o.bin_id WHERE o.warehouse_id = $1"
	                               " AND b.code = 'RECEIVING' AND o.lot = 'LOTX'", f.w.wh_id, NULL),
	                 "1 2030-12-31");
}
END_TEST

START_TEST(closing_again_answers_409_with_the_stored_report)
{
	struct flow f;
	flow_closed(&f);
	struct th_resp *r = close_shipment(f.w.staff, f.id, NULL);
	ck_assert_int_eq((int)th_num(r->json, "discrepancy.totals.over", -1), 3);
	assert_refused_in_state(r, "closed");
}
END_TEST

/* ---- putaway -------------------------------------------------------------------------- */

START_TEST(putaway_takes_first_expired_first)
{
	struct flow f;
	flow_ready_to_put_away(&f);
	/* 5 of SKU-A to A-01: LOTX's 1 (it expires), then 4 without a lot */
	const char *m = members("\"barcode\":\"]E0%s\",\"qty\":5,\"to_bin\":\"A-01\"", f.ea);
	struct th_resp *r = putaway_new(f.w.staff, m);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "from.qty", -1), 6);
	ck_assert_str_eq(th_str(r->json, "from.bin"), "RECEIVING");
	ck_assert_int_eq((int)th_num(r->json, "to.qty", -1), 5);
	ck_assert_str_eq(th_str(r->json, "next"), "item");
	ck_assert_str_eq(th_str(r->json, "lots.0.lot"), "LOTX");
	ck_assert_int_eq((int)th_num(r->json, "lots.0.qty", -1), 1);
	ck_assert_ptr_null(th_str(r->json, "lots.1.lot"));
	ck_assert_int_eq((int)th_num(r->json, "lots.1.qty", -1), 4);
	th_resp_free(r);
	ck_assert_int_eq(onhand(&f.w, "SKU-A", "A-01", "sellable"), 5);
}
END_TEST

START_TEST(repeated_putaway_scan_id_replays_the_first_answer)
{
	struct flow f;
	char m[128], pid[37];
	flow_ready_to_put_away(&f);
	rcv_uuid(pid);
	snprintf(m, sizeof m, "\"barcode\":\"]E0%s\",\"qty\":5,\"to_bin\":\"A-01\"", f.ea);
	struct th_resp *r = putaway(f.w.staff, pid, m);
	ck_assert_int_eq(r->status, 200);
	char *put_body = strdup(r->body);
	th_resp_free(r);
	assert_replayed(putaway(f.w.staff, pid, m), put_body);
	free(put_body);
	ck_assert_int_eq(onhand(&f.w, "SKU-A", "A-01", "sellable"), 5);
}
END_TEST

START_TEST(putaway_of_more_than_is_in_the_bin_is_refused)
{
	struct flow f;
	flow_ready_to_put_away(&f);
	struct th_resp *r =
		putaway_new(f.w.staff, members("\"gtin\":\"%s\",\"qty\":12,\"to_bin\":\"A-01\"", f.ea));
	ck_assert(th_is_problem(r, 409));
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "only 11 units of SKU-A"));
	ck_assert_int_eq((int)th_num(r->json, "available", -1), 11);
	th_resp_free(r);
	ck_assert_int_eq(onhand(&f.w, "SKU-A", "A-01", "sellable"), 0);
}
END_TEST

START_TEST(case_putaway_moves_its_ai37_count)
{
	struct flow f;
	flow_ready_to_put_away(&f);
	/* a case (02)+(37) of all 11 */
	struct th_resp *r =
		putaway_new(f.w.staff, members("\"barcode\":\"]C102%s3711\",\"to_bin\":\"A-01\"", f.ga));
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "from.qty", -1), 0);
	ck_assert_int_eq((int)th_num(r->json, "to.qty", -1), 11);
	th_resp_free(r);
}
END_TEST

START_TEST(quarantined_stock_goes_only_to_quarantine_bins)
{
	struct flow f;
	flow_ready_to_put_away(&f);
	ck_assert(th_problem(put_quarantined(&f, "A-01"), 422, "to_bin", "wrong-bin-kind"));
	th_expect(put_quarantined(&f, "Q-01"), 200);
	ck_assert_int_eq(onhand(&f.w, "SKU-A", "Q-01", "quarantine"), 2);
}
END_TEST

START_TEST(sellable_stock_stays_out_of_quarantine_bins)
{
	struct flow f;
	flow_closed(&f);
	struct th_resp *r =
		putaway_new(f.w.staff, members("\"gtin\":\"%s\",\"to_bin\":\"QUARANTINE\"", f.ea));
	ck_assert(th_problem(r, 422, "to_bin", "wrong-bin-kind"));
	ck_assert_int_eq(onhand(&f.w, "SKU-A", "QUARANTINE", "sellable"), 0);
}
END_TEST

/* ---- inventory ------------------------------------------------------------------------ */

START_TEST(seller_sees_its_stock_per_lot_at_a_location)
{
	struct flow f;
	char path[256];
	flow_put_away(&f);
	snprintf(path, sizeof path, "/v1/inventory?sku=SKU-A&warehouse=%s&location=A-01", f.w.wh);
	struct th_resp *r = get_ok(f.w.seller_key, path);
	ck_assert_int_eq(n_items(r), 2); /* LOTX and no lot */
	ck_assert_str_eq(th_str(r->json, "items.0.location"), "A-01");
	ck_assert(cJSON_IsTrue(th_at(r->json, "items.0.allocatable")));
	th_resp_free(r);
}
END_TEST

START_TEST(inventory_filters_by_status)
{
	struct flow f;
	flow_put_away(&f);
	struct th_resp *r = get_ok(f.w.staff, "/v1/inventory?status=quarantine&limit=1");
	ck_assert_int_eq(n_items(r), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.status"), "quarantine");
	th_resp_free(r);
}
END_TEST

START_TEST(inventory_pages_by_key)
{
	struct flow f;
	char path[256];
	flow_put_away(&f);
	/* 5 rows with stock > 0: SKU-A at A-01 (LOTX, none), at Q-01; SKU-B L1 and SKU-C in
	 * RECEIVING (not allocatable: still in the receiving area) */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM inventory_onhand WHERE warehouse_id = $1"
	                               " AND qty > 0", f.w.wh_id, NULL), "5");
	struct th_resp *r = get_ok(f.w.staff, "/v1/inventory?limit=3");
	ck_assert_int_eq(n_items(r), 3);
	ck_assert_ptr_nonnull(th_str(r->json, "next_cursor"));
	snprintf(path, sizeof path, "/v1/inventory?limit=3&cursor=%s", th_str(r->json, "next_cursor"));
	th_resp_free(r);
	r = get_ok(f.w.staff, path);
	ck_assert_int_eq(n_items(r), 2);
	ck_assert_ptr_null(th_str(r->json, "next_cursor"));
	th_resp_free(r);
}
END_TEST

START_TEST(movements_page_newest_first)
{
	struct flow f;
	char path[256];
	flow_put_away(&f);
	struct th_resp *r = get_ok(f.w.seller_key, "/v1/inventory/movements?limit=3");
	ck_assert_str_eq(th_str(r->json, "items.0.reason"), "putaway");
	ck_assert_str_eq(th_str(r->json, "items.0.from.location"), "QUARANTINE");
	double newest = th_num(r->json, "items.0.id", 0), third = th_num(r->json, "items.2.id", 0);
	ck_assert(newest > third);
	snprintf(path, sizeof path, "/v1/inventory/movements?limit=10&cursor=%s",
	         th_str(r->json, "next_cursor"));
	th_resp_free(r);
	r = get_ok(f.w.seller_key, path);
	/* 9 movements: 5 receipts and 4 putaways (the first took two lots) */
	ck_assert_int_eq(n_items(r), 6);
	ck_assert(th_num(r->json, "items.0.id", 0) < third);
	ck_assert_str_eq(th_str(r->json, "items.5.reason"), "inbound_receipt");
	th_resp_free(r);
}
END_TEST

START_TEST(malformed_movements_cursor_is_refused)
{
	struct rcv_world w;
	rcv_world_new(&w, 0);
	assert_problem(th_req("GET", "/v1/inventory/movements?cursor=abc", w.seller_key, NULL, NULL,
	                      NULL), 400);
}
END_TEST

/* ---- errors --------------------------------------------------------------------------- */

/* Scans members into s's shipment; asserts a 422 naming field and, when reason is not NULL,
 * a body that contains it. */
static void scan_refused(const struct small *s, const char *field, const char *reason,
                         const char *members)
{
	struct th_resp *r = scan_new(s->w.staff, s->id, members);
	ck_assert_msg(th_is_problem(r, 422), "%s", members);
	ck_assert_msg(th_has_field_error(r, field), "%s", members);
	if (reason)
		ck_assert_msg(strstr(r->body, reason) != NULL, "%s: %s", reason, r->body);
	th_resp_free(r);
}

START_TEST(scan_validation_names_every_bad_field)
{
	struct small s;
	small_arrived(&s);
	struct th_resp *r = th_req("POST", "/v1/receiving/scans", s.w.staff, "{}", NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "scan_id"));
	ck_assert(th_has_field_error(r, "shipment"));
	ck_assert(th_has_field_error(r, "barcode"));
	th_resp_free(r);
	r = scan(s.w.staff, "not-a-uuid", s.id, "\"gtin\":\"4006381333931\",\"condition\":\"broken\","
	         "\"qty\":0,\"colour\":1");
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "scan_id"));
	ck_assert(th_has_field_error(r, "condition"));
	ck_assert(th_has_field_error(r, "qty"));
	ck_assert(th_has_field_error(r, "colour"));
	th_resp_free(r);
}
END_TEST

START_TEST(barcode_error_gives_the_parsers_reason)
{
	struct small s;
	small_arrived(&s);
	scan_refused(&s, "barcode", "check digit is 2, expected 1", "\"barcode\":\"]C10104006381333932\"");
	scan_refused(&s, "barcode", "AI 17 is not a valid date",
	             members("\"barcode\":\"01%s17251340\"", s.ga));
	scan_refused(&s, "barcode", "carton label", "\"barcode\":\"]C100003456789012345670\"");
}
END_TEST

START_TEST(barcode_and_gtin_together_are_refused)
{
	struct small s;
	small_arrived(&s);
	scan_refused(&s, "gtin", NULL, members("\"barcode\":\"%s\",\"gtin\":\"%s\"", s.ea, s.ea));
}
END_TEST

START_TEST(qty_beside_an_ai37_count_is_refused)
{
	struct small s;
	small_arrived(&s);
	scan_refused(&s, "qty", NULL, members("\"barcode\":\"02%s375\",\"qty\":4", s.ga));
}
END_TEST

START_TEST(unknown_gtin_is_refused_on_the_field_that_carried_it)
{
	struct small s;
	small_arrived(&s);
	/* a valid check digit, but no SKU of this seller */
	scan_refused(&s, "barcode", NULL, "\"barcode\":\"4006381333931\"");
	scan_refused(&s, "gtin", NULL, "\"gtin\":\"4006381333931\"");
}
END_TEST

START_TEST(unknown_shipment_is_not_found_for_scan_and_close)
{
	struct small s;
	char other[37];
	small_arrived(&s);
	rcv_uuid(other);
	assert_problem(scan_gtin(s.w.staff, other, s.ea), 404);
	assert_problem(scan_gtin(s.w.staff, "ASN-NOPE", s.ea), 404);
	assert_problem(close_shipment(s.w.staff, other, NULL), 404);
}
END_TEST

START_TEST(cancelled_shipment_takes_no_scans_and_cannot_be_closed)
{
	struct small s;
	char cid[37], casn[32];
	const char *skus[] = {"SKU-A"};
	const int exp[] = {2};
	small_arrived(&s);
	rcv_shipment_new(&s.w, "cancelled", 1, skus, exp, cid, casn);
	assert_refused_in_state(scan_gtin(s.w.staff, casn, s.ea), "cancelled");
	assert_refused_in_state(close_shipment(s.w.staff, cid, NULL), "cancelled");
}
END_TEST

START_TEST(scan_id_of_a_putaway_cannot_be_a_receiving_scan)
{
	struct small s;
	char sid[37];
	small_arrived(&s);
	rcv_uuid(sid);
	th_sqlp("INSERT INTO scans (warehouse_id, scan_id, kind, key_id, request_hash, response)"
	        " VALUES ($1, $2, 'putaway', gen_random_uuid(), 'x', '{}')", s.w.wh_id, sid, NULL);
	struct th_resp *r = scan(s.w.staff, sid, s.id, members("\"gtin\":\"%s\"", s.ea));
	ck_assert(th_is_problem(r, 422));
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:scan-id-reused");
	th_resp_free(r);
}
END_TEST

/* Puts away members in s's warehouse; asserts a 422 naming field. */
static void putaway_refused(const struct small *s, const char *field, const char *members)
{
	ck_assert_msg(th_problem(putaway_new(s->w.staff, members), 422, field, NULL), "%s", members);
}

START_TEST(putaway_validation_names_every_bad_field)
{
	struct small s;
	char unknown[15], unknown13[14];
	small_arrived(&s);
	bin_new(s.w.wh_id, "S-01", "storage");
	putaway_refused(&s, "to_bin", members("\"gtin\":\"%s\",\"to_bin\":\"NOPE\"", s.ea));
	putaway_refused(&s, "from",
	                members("\"gtin\":\"%s\",\"to_bin\":\"S-01\",\"from\":\"NOPE\"", s.ea));
	/* into the bin it comes from */
	putaway_refused(&s, "to_bin", members("\"gtin\":\"%s\",\"to_bin\":\"RECEIVING\"", s.ea));
	rcv_gtin_new(unknown, unknown13);
	putaway_refused(&s, "gtin", members("\"gtin\":\"%s\",\"to_bin\":\"S-01\"", unknown13));
	struct th_resp *r = putaway_new(s.w.staff, "\"qty\":1");
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "to_bin"));
	ck_assert(th_has_field_error(r, "barcode"));
	th_resp_free(r);
}
END_TEST

START_TEST(putaway_with_no_sellable_stock_is_refused)
{
	struct small s;
	small_arrived(&s);
	bin_new(s.w.wh_id, "S-01", "storage");
	struct th_resp *r = putaway_new(s.w.staff, members("\"gtin\":\"%s\",\"to_bin\":\"S-01\"", s.ea));
	ck_assert(th_is_problem(r, 409));
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "no sellable stock"));
	th_resp_free(r);
}
END_TEST

/* ---- tenants -------------------------------------------------------------------------- */

/* Two warehouses with their sellers: X with SKU-X and an arrived shipment expecting 3 of
 * it, Y with SKU-Y. */
struct tenants {
	struct rcv_world x, y;
	char gx[15], ex[14], gy[15], ey[14], id[37], asn[32];
};

static void tenants_new(struct tenants *t)
{
	const char *skus[] = {"SKU-X"};
	const int exp[] = {3};
	rcv_world_new(&t->x, 1000);
	rcv_world_new(&t->y, 1000);
	rcv_sku_new(&t->x, "SKU-X", t->gx, t->ex);
	rcv_sku_new(&t->y, "SKU-Y", t->gy, t->ey);
	rcv_shipment_new(&t->x, "arrived", 1, skus, exp, t->id, t->asn);
}

/* tenants_new, then X's staff scans one unit by shipment id and an admin one by ASN and
 * closes the shipment (short, confirmed): 2 SKU-X in X's RECEIVING bin. */
static void tenants_received(struct tenants *t)
{
	tenants_new(t);
	th_expect(scan_gtin(t->x.staff, t->id, t->ex), 200);
	th_expect(scan_gtin(t->x.admin, t->asn, t->ex), 200);
	th_expect(close_shipment(t->x.admin, t->id, "{\"confirm_short\":true}"), 200);
}

/* Asserts that key sees n items at path. */
static void assert_sees(const char *key, const char *path, int n)
{
	struct th_resp *r = get_ok(key, path);
	ck_assert_msg(n_items(r) == n, "%s: %s", path, r->body);
	th_resp_free(r);
}

START_TEST(other_warehouses_staff_find_no_shipment)
{
	struct tenants t;
	tenants_new(&t);
	/* staff of Y cannot scan into or close X's shipment: it does not exist for them */
	assert_problem(scan_gtin(t.y.staff, t.id, t.ex), 404);
	assert_problem(scan_gtin(t.y.staff, t.asn, t.ex), 404);
	assert_problem(close_shipment(t.y.staff, t.id, NULL), 404);
}
END_TEST

START_TEST(sellers_cannot_scan_close_or_put_away)
{
	struct tenants t;
	tenants_new(&t);
	assert_problem(scan_gtin(t.x.seller_key, t.id, t.ex), 403);
	assert_problem(close_shipment(t.x.seller_key, t.id, NULL), 403);
	const char *m = members("\"gtin\":\"%s\",\"to_bin\":\"QUARANTINE\"", t.ex);
	assert_problem(putaway_new(t.x.seller_key, m), 403);
}
END_TEST

START_TEST(stock_is_seen_only_by_its_seller_and_warehouse)
{
	struct tenants t;
	char path[128];
	tenants_received(&t);
	struct th_resp *r = get_ok(t.x.seller_key, "/v1/inventory");
	ck_assert_int_eq(n_items(r), 1);
	ck_assert_int_eq((int)th_num(r->json, "items.0.qty", 0), 2);
	th_resp_free(r);
	assert_sees(t.y.seller_key, "/v1/inventory", 0);
	assert_sees(t.y.staff, "/v1/inventory", 0);
	assert_sees(t.y.seller_key, "/v1/inventory/movements", 0);
	snprintf(path, sizeof path, "/v1/inventory?warehouse=%s", t.x.wh);
	assert_sees(t.x.staff, path, 1);
}
END_TEST

START_TEST(other_warehouses_staff_cannot_move_the_stock)
{
	struct tenants t;
	tenants_received(&t);
	bin_new(t.y.wh_id, "S-01", "storage");
	/* nothing of it in Y */
	assert_problem(putaway_new(t.y.staff, members("\"gtin\":\"%s\",\"to_bin\":\"S-01\"", t.ex)), 409);
	ck_assert_int_eq(atoi(th_sql_valuep("SELECT qty FROM inventory_onhand WHERE warehouse_id = $1",
	                                    t.x.wh_id, NULL)), 2);
}
END_TEST

/* ---- tolerance ------------------------------------------------------------------------ */

/* The over-receipt tolerance, through the server (its one home is receiving_scan): a line
 * expecting e in a warehouse with tolerance bp takes e + floor(e * bp / 10000) units without
 * confirmation (computed here independently, in 128-bit arithmetic), and not one more; a
 * damaged unit counts towards it. */
START_TEST(over_receipt_tolerance_is_expected_plus_floor_bp)
{
	static const int expected[] = {1, 9, 10, 101, 12345};
	static const int bps[] = {0, 999, 1000, 3333, 10000};
	char g14[15], ean[14], id[37], asn[32];
	for (size_t j = 0; j < sizeof bps / sizeof *bps; j++) {
		struct rcv_world w;
		rcv_world_new(&w, bps[j]);
		rcv_sku_new(&w, "TOL", g14, ean);
		for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
			const char *skus[] = {"TOL"};
			rcv_shipment_new(&w, "arrived", 1, skus, &expected[i], id, asn);
			long long allowed = (long long)((__int128)expected[i] +
			                                (__int128)expected[i] * bps[j] / 10000);
			if (allowed > 1)
				scan_ok(w.staff, id, members("\"gtin\":\"%s\",\"qty\":%lld", ean, allowed - 1));
			scan_ok(w.staff, id, members("\"gtin\":\"%s\",\"condition\":\"damaged\"", ean));
			struct th_resp *r = scan_new(w.staff, id, members("\"gtin\":\"%s\"", ean));
			ck_assert_msg(th_is_problem(r, 409), "expected %d, bp %d", expected[i], bps[j]);
			ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:over-receipt");
			ck_assert_int_eq((long long)th_num(r->json, "allowed_max", -1), allowed);
			ck_assert_str_eq(th_str(r->json, "next"), "confirm_over_receipt");
			th_resp_free(r);
		}
	}
}
END_TEST

/* A test case of the suite with the suite's server as an unchecked fixture. */
static TCase *server_tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return tc;
}

Suite *receiving_flow_suite(void);
Suite *receiving_flow_suite(void)
{
	Suite *s = suite_create("receiving_flow");
	TCase *tc = server_tcase(s, "scans");
	tcase_add_test(tc, scan_before_dock_check_in_is_refused);
	tcase_add_test(tc, first_scan_counts_an_ean13_with_aim_prefix_and_starts_receiving);
	tcase_add_test(tc, case_barcode_counts_its_ai37_quantity);
	tcase_add_test(tc, damaged_units_count_apart_on_the_shipment_named_by_carton_sscc);
	tcase_add_test(tc, datamatrix_with_gs_byte_counts_one_unit);
	tcase_add_test(tc, over_receipt_needs_confirmation_then_counts);
	tcase_add_test(tc, lot_and_serial_after_literal_gs_text_count_on_the_lots_line);
	tcase_add_test(tc, lot_less_scan_counts_on_the_skus_lot_line);
	tcase_add_test(tc, unexpected_item_needs_confirmation_then_gets_its_own_line);
	tcase_add_test(tc, repeated_scan_id_replays_the_first_answer);
	tcase_add_test(tc, closed_shipment_refuses_scans);
	tcase_add_test(tc, scan_of_the_last_expected_unit_answers_next_close);
	tcase_add_test(tc, over_receipt_tolerance_is_expected_plus_floor_bp);

	tc = server_tcase(s, "close");
	tcase_add_test(tc, close_with_short_lines_needs_confirmation);
	tcase_add_test(tc, close_reports_the_discrepancies_line_by_line);
	tcase_add_test(tc, close_turns_receipts_into_stock_per_lot);
	tcase_add_test(tc, closing_again_answers_409_with_the_stored_report);

	tc = server_tcase(s, "putaway");
	tcase_add_test(tc, putaway_takes_first_expired_first);
	tcase_add_test(tc, repeated_putaway_scan_id_replays_the_first_answer);
	tcase_add_test(tc, putaway_of_more_than_is_in_the_bin_is_refused);
	tcase_add_test(tc, case_putaway_moves_its_ai37_count);
	tcase_add_test(tc, quarantined_stock_goes_only_to_quarantine_bins);
	tcase_add_test(tc, sellable_stock_stays_out_of_quarantine_bins);

	tc = server_tcase(s, "inventory");
	tcase_add_test(tc, seller_sees_its_stock_per_lot_at_a_location);
	tcase_add_test(tc, inventory_filters_by_status);
	tcase_add_test(tc, inventory_pages_by_key);
	tcase_add_test(tc, movements_page_newest_first);
	tcase_add_test(tc, malformed_movements_cursor_is_refused);

	tc = server_tcase(s, "errors");
	tcase_add_test(tc, scan_validation_names_every_bad_field);
	tcase_add_test(tc, barcode_error_gives_the_parsers_reason);
	tcase_add_test(tc, barcode_and_gtin_together_are_refused);
	tcase_add_test(tc, qty_beside_an_ai37_count_is_refused);
	tcase_add_test(tc, unknown_gtin_is_refused_on_the_field_that_carried_it);
	tcase_add_test(tc, unknown_shipment_is_not_found_for_scan_and_close);
	tcase_add_test(tc, cancelled_shipment_takes_no_scans_and_cannot_be_closed);
	tcase_add_test(tc, scan_id_of_a_putaway_cannot_be_a_receiving_scan);
	tcase_add_test(tc, putaway_validation_names_every_bad_field);
	tcase_add_test(tc, putaway_with_no_sellable_stock_is_refused);

	tc = server_tcase(s, "tenants");
	tcase_add_test(tc, other_warehouses_staff_find_no_shipment);
	tcase_add_test(tc, sellers_cannot_scan_close_or_put_away);
	tcase_add_test(tc, stock_is_seen_only_by_its_seller_and_warehouse);
	tcase_add_test(tc, other_warehouses_staff_cannot_move_the_stock);
	return s;
}
