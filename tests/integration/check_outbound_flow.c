/* check_outbound_flow.c — the whole life of a unit, through the API as the people who use it
 * would: a seller books an inbound shipment; the dock checks it in, receives, closes and puts
 * it away (the close advances the seller 60% of the popular SKU's declared value); the
 * platform places a buyer's order, which is allocated and reserved; an operator claims the
 * pick list and picks by scan; the pack station packs, closes the package (quote, tracking
 * number, label) and the dock hands it over; the buyer confirms receipt and the escrow is
 * released. At each step the stock, the reservation and the money are checked to the unit and
 * the cent: on-hand = Σ movements, reserved = open reservations, and the seller's statement. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"
#include "wms/tracking.h"

/* Asserts r's status (printing the body otherwise) and returns r. */
static struct th_resp *want(struct th_resp *r, long status)
{
	ck_assert_msg(r->status == status, "wanted %ld, got %ld: %s", status, r->status, r->body);
	return r;
}

/* On-hand units of sku in bin of o's warehouse (0 when no row). */
static long long onhand(const struct ob_world *o, const char *sku, const char *bin)
{
	return atoll(th_sql_valuep("SELECT coalesce(sum(x.qty), 0) FROM inventory_onhand x"
	                           " JOIN bins b ON b.warehouse_id = x.warehouse_id AND b.id = x.bin_id"
	                           " JOIN skus k ON k.seller_id = x.seller_id AND k.id = x.sku_id"
	                           " WHERE x.warehouse_id = $1 AND b.code = $2 AND k.sku_code = $3",
	                           o->w.wh_id, bin, sku, NULL));
}

/* Units moved in o's warehouse with reason. */
static long long moved(const struct ob_world *o, const char *reason)
{
	return atoll(th_sql_valuep("SELECT coalesce(sum(qty), 0) FROM inventory_movements"
	                           " WHERE warehouse_id = $1 AND reason = $2", o->w.wh_id, reason, NULL));
}

static long long num(const cJSON *j, const char *path)
{
	const cJSON *x = th_at(j, path);
	ck_assert_msg(cJSON_IsNumber(x), "no number at %s", path);
	return (long long)x->valuedouble;
}

START_TEST(a_unit_received_put_away_ordered_picked_packed_shipped_and_paid_for)
{
	struct ob_world o;
	char gtin[15], id[37], scan[37], order[37], list[37], package[37], tracking[WMS_TRACKING_MAX];
	struct th_resp *r;
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EAR-1", "toys", 2000, 1, gtin);

	/* inbound: the seller books 10 units, the dock checks them in, receives, closes */
	r = want(th_reqf("POST", "/v1/inbound-shipments", o.w.seller_key,
	                 "{\"warehouse\":\"%s\",\"mode\":\"semi_warehouse\",\"handover\":{\"type\":"
	                 "\"drop_off\",\"expected_arrival\":\"2030-01-15\"},\"lines\":[{\"sku\":\"EAR-1\","
	                 "\"qty\":10}]}", o.w.wh), 201);
	snprintf(id, sizeof id, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_resp_free(want(th_call("POST", o.w.staff, NULL, "/v1/inbound-shipments/%s/arrive", id), 200));
	rcv_uuid(scan);
	th_resp_free(want(th_reqf("POST", "/v1/receiving/scans", o.w.staff,
	                          "{\"scan_id\":\"%s\",\"shipment\":\"%s\",\"gtin\":\"%s\",\"qty\":10}",
	                          scan, id, gtin), 200));
	r = want(th_call("POST", o.w.staff, NULL, "/v1/inbound-shipments/%s/close", id), 200);
	ck_assert_int_eq(num(r->json, "totals.received_good"), 10);
	th_resp_free(r);
	ck_assert_int_eq(onhand(&o, "EAR-1", "RECEIVING"), 10);

	/* putaway into storage: now allocatable */
	rcv_uuid(scan);
	th_resp_free(want(th_reqf("POST", "/v1/putaway/scans", o.w.staff,
	                          "{\"scan_id\":\"%s\",\"gtin\":\"%s\",\"qty\":10,\"to_bin\":\"S-01\"}",
	                          scan, gtin), 200));
	ck_assert_int_eq(ob_free(&o, "EAR-1"), 10);

	/* the buyer's order: 3 × 25.00, allocated here, 3 units reserved */
	r = want(ob_order(&o, th_code("MP"), "semi_warehouse",
	                  "[{\"sku\":\"EAR-1\",\"qty\":3,\"unit_price\":2500}]", 7500), 201);
	ck_assert_str_eq(th_str(r->json, "state"), "allocated");
	ck_assert_str_eq(th_str(r->json, "warehouse"), o.w.wh);
	snprintf(order, sizeof order, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	ck_assert_int_eq(ob_reserved(&o, "EAR-1"), 3);
	ck_assert(ob_invariants(&o));

	/* picking: claim the list, scan the bin, then the item */
	r = want(th_call("POST", o.w.staff, NULL, "/v1/pick-lists/claim"), 200);
	ck_assert_str_eq(th_str(r->json, "claimed"), "new");
	ck_assert_str_eq(th_str(r->json, "next.bin"), "S-01");
	snprintf(list, sizeof list, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	rcv_uuid(scan);
	th_resp_free(want(th_reqf("POST", "/v1/pick/scans", o.w.staff,
	                          "{\"scan_id\":\"%s\",\"pick_list\":\"%s\",\"bin\":\"S-01\"}", scan,
	                          list), 200));
	rcv_uuid(scan);
	r = want(th_reqf("POST", "/v1/pick/scans", o.w.staff,
	                 "{\"scan_id\":\"%s\",\"pick_list\":\"%s\",\"bin\":\"S-01\",\"gtin\":\"%s\","
	                 "\"qty\":3}", scan, list, gtin), 200);
	ck_assert_str_eq(th_str(r->json, "next.step"), "done");
	th_resp_free(r);
	ck_assert_int_eq(onhand(&o, "EAR-1", "S-01"), 7);
	ck_assert_int_eq(onhand(&o, "EAR-1", "PACKING"), 3);
	ck_assert_int_eq(ob_reserved(&o, "EAR-1"), 3); /* still promised, now in PACKING */
	ck_assert(ob_invariants(&o));

	/* packing: a box, the items, closed with its weight: tracking number and label */
	r = want(th_reqf("POST", "/v1/packages", o.w.staff,
	                 "{\"order\":\"%s\",\"package_type\":\"BOX-S\"}", order), 201);
	snprintf(package, sizeof package, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	rcv_uuid(scan);
	r = want(th_reqf("POST", "/v1/pack/scans", o.w.staff,
	                 "{\"scan_id\":\"%s\",\"package\":\"%s\",\"gtin\":\"%s\",\"qty\":3}", scan,
	                 package, gtin), 200);
	ck_assert_str_eq(th_str(r->json, "next"), "close");
	th_resp_free(r);
	r = want(th_call("POST", o.w.staff, "{\"weight_g\":900}", "/v1/packages/%s/close", package),
	         200);
	ck_assert_str_eq(th_str(r->json, "order_state"), "packed");
	snprintf(tracking, sizeof tracking, "%s", th_str(r->json, "tracking_number"));
	th_resp_free(r);
	struct wms_tracking parsed;
	ck_assert_int_eq(wms_tracking_parse(tracking, &parsed, NULL, 0), 0);
	r = want(th_call("GET", o.w.staff, NULL, "/v1/packages/%s/label", package), 200);
	ck_assert_msg(strstr(r->body, "^XA") == r->body, "%s", r->body);
	ck_assert_msg(strstr(r->body, tracking) != NULL, "tracking number not on the label");
	ck_assert_msg(strstr(r->body, "Madrid") != NULL, "destination not on the label");
	th_resp_free(r);

	/* the dock's hand-over scan: the units leave, the reservation becomes a movement */
	rcv_uuid(scan);
	r = want(th_reqf("POST", "/v1/ship/scans", o.w.staff,
	                 "{\"scan_id\":\"%s\",\"barcode\":\"%s\"}", scan, tracking), 200);
	ck_assert_str_eq(th_str(r->json, "order.state"), "shipped");
	th_resp_free(r);
	ck_assert_int_eq(onhand(&o, "EAR-1", "PACKING"), 0);
	ck_assert_int_eq(onhand(&o, "EAR-1", "S-01"), 7);
	ck_assert_int_eq(ob_reserved(&o, "EAR-1"), 0);
	ck_assert_int_eq(ob_free(&o, "EAR-1"), 7);
	ck_assert_int_eq(moved(&o, "inbound_receipt"), 10);
	ck_assert_int_eq(moved(&o, "putaway"), 10);
	ck_assert_int_eq(moved(&o, "pick"), 3);
	ck_assert_int_eq(moved(&o, "ship"), 3);
	ck_assert(ob_invariants(&o));
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/orders/%s", order), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "shipped");
	ck_assert_str_eq(th_str(r->json, "tracking_number"), tracking);
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "held");
	th_resp_free(r);

	/* the buyer confirms receipt: escrow released, the sale settled once.
	 * semi_warehouse: commission 8% of 75.00 = 6.00 exempt; payment fee 1.5% = 1.125 → 1.12;
	 * proceeds 73.88 all go to the advance of 120.00 (60% × 20.00 × 10); outbound operation
	 * 3 × 0.45 = 1.35 waived; paid out now: 0.00 */
	r = want(th_call("POST", o.platform, NULL, "/v1/orders/%s/confirm-receipt", order), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "delivered");
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "released");
	ck_assert_int_eq(num(r->json, "escrow.released"), 7500);
	ck_assert_int_eq(num(r->json, "settlement.sale_amount"), 7500);
	ck_assert_int_eq(num(r->json, "settlement.recovered"), 7388);
	ck_assert_int_eq(num(r->json, "settlement.net_payable"), 0);
	th_resp_free(r);
	th_resp_free(want(th_call("POST", o.platform, NULL, "/v1/orders/%s/confirm-receipt", order), 409));

	/* the statement, all of time: credits 120.00 advance + 75.00 sale; debits 1.12 payment
	 * fee + 73.88 recovery; saved 3.00 inbound + 6.00 commission + 1.35 outbound; 46.12 of
	 * the advance left */
	r = want(th_call("GET", o.w.seller_key, NULL,
	                 "/v1/sellers/me/statement?from=2020-01-01&to=2199-01-01"), 200);
	const cJSON *usd = NULL, *c;
	cJSON_ArrayForEach(c, th_at(r->json, "by_currency"))
		if (strcmp(th_str(c, "currency"), "USD") == 0)
			usd = c;
	ck_assert_ptr_nonnull(usd);
	ck_assert_int_eq(num(usd, "credits"), 19500);
	ck_assert_int_eq(num(usd, "debits"), 7500);
	ck_assert_int_eq(num(usd, "balance"), 12000);
	ck_assert_int_eq(num(usd, "saved"), 1035);
	ck_assert_int_eq(num(usd, "advance_outstanding"), 4612);
	th_resp_free(r);
}
END_TEST

Suite *outbound_flow_suite(void);
Suite *outbound_flow_suite(void)
{
	Suite *s = suite_create("outbound_flow");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_unit_received_put_away_ordered_picked_packed_shipped_and_paid_for);
	suite_add_tcase(s, tc);
	return s;
}
