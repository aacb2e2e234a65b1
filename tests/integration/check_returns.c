/* check_returns.c — buyer protection over HTTP against real PostgreSQL: claims on order lines
 * (not_received after the promise deadline plus the grace, damaged, not_as_described), the
 * explained decision (refund without return vs a return), the escrow frozen by a return and
 * released after it, the returns centre's receipt and inspection scans (exactly once,
 * counted against what was authorised), restock into sellable stock that sells again,
 * refunds from the escrow or clawed back from the seller with the commission reversed, and
 * several claims on one order — also at once — never refunding more than was paid; the
 * seller's statement to the cent (seeded USD schedule: electronics commission 5%, payment
 * fee 1.5%, return handling 2.00 a unit; the test leg costs 3.00 + 0.50/kg).
 *
 * Stocked orders are picked with ob_pick_all() and moved to shipped with SQL, as the
 * settlement suite does (the pick, pack and ship scans have their own suites). */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"

#define ALL_TIME "from=2020-01-01&to=2199-01-01"

static struct th_resp *expect(struct th_resp *r, long status)
{
	ck_assert_msg(r->status == status, "wanted %ld, got %ld: %s", status, r->status, r->body);
	return r;
}

static void assert_problem_type(const struct th_resp *r, long status, const char *slug)
{
	char type[96];
	snprintf(type, sizeof type, "urn:wms:problem:%s", slug);
	ck_assert_msg(th_is_problem(r, status), "wanted %ld %s: %s", status, slug, r->body);
	ck_assert_str_eq(th_str(r->json, "type"), type);
}

/* Asserts r is the problem slug with status, and frees r. */
static void expect_problem(struct th_resp *r, long status, const char *slug)
{
	assert_problem_type(r, status, slug);
	th_resp_free(r);
}

static long long num(const cJSON *j, const char *path)
{
	const cJSON *n = th_at(j, path);
	ck_assert_msg(cJSON_IsNumber(n), "no number at %s", path);
	return (long long)n->valuedouble;
}

static void order_new(const struct ob_world *o, const char *mode, const char *lines,
                      long long paid, char id[37])
{
	struct th_resp *r = expect(ob_order(o, th_code("MP"), mode, lines, paid), 201);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

/* A stocked order picked, then shipped as the dock's scan would. */
static void picked_and_shipped(const struct ob_world *o, const char *id)
{
	ob_pick_all(o, id);
	ck_assert_str_eq(th_sql_valuep("UPDATE orders SET state = 'shipped', shipped_at = now(),"
	                               " version = version + 1 WHERE id = $1 AND state = 'picking'"
	                               " RETURNING state", id, NULL), "shipped");
}

static struct th_resp *claim(const struct ob_world *o, const char *id, int line, const char *kind,
                             int qty, const char *evidence)
{
	return th_reqf("POST", "/v1/claims", o->platform,
	               "{\"order\":\"%s\",\"line\":%d,\"kind\":\"%s\",\"qty\":%d%s%s}", id, line, kind,
	               qty, evidence ? ",\"evidence\":" : "", evidence ? evidence : "");
}

static struct th_resp *confirm(const struct ob_world *o, const char *id)
{
	return th_call("POST", o->platform, NULL, "/v1/orders/%s/confirm-receipt", id);
}

/* o's seller's USD statement over all time: credits and debits. */
static void assert_statement(const struct ob_world *o, long long credits, long long debits)
{
	struct th_resp *r = expect(th_call("GET", o->w.seller_key, NULL,
	                                   "/v1/sellers/me/statement?" ALL_TIME), 200);
	const cJSON *c, *usd = NULL;
	cJSON_ArrayForEach(c, th_at(r->json, "by_currency"))
		if (strcmp(th_str(c, "currency"), "USD") == 0)
			usd = c;
	ck_assert_msg(usd != NULL, "no USD in %s", r->body);
	ck_assert_int_eq(num(usd, "credits"), credits);
	ck_assert_int_eq(num(usd, "debits"), debits);
	th_resp_free(r);
}

static const char *order_sql(const char *what_sql, const char *id)
{
	return th_sql_valuep(what_sql, id, NULL);
}

START_TEST(not_received_waits_for_the_deadline_plus_grace_then_refunds_from_escrow)
{
	struct ob_world o;
	char id[37];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 1500, 0, NULL);
	ob_stock(&o, "EB-100", "S-01", "", NULL, 4);
	order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":2,\"unit_price\":2500}]", 5000,
	          id);
	/* allocated: never left, nothing to claim as lost yet (cancel it instead) */
	struct th_resp *r = claim(&o, id, 1, "not_received", 1, NULL);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "allocated");
	th_resp_free(r);
	picked_and_shipped(&o, id);

	/* the promise deadline is days ahead: too early, and nothing is written */
	long long before = th_rows_total();
	r = claim(&o, id, 1, "not_received", 2, NULL);
	assert_problem_type(r, 409, "claim-too-early");
	/* when it opens: the promise deadline plus 48 hours */
	ck_assert_str_eq(th_str(r->json, "opens_at"),
	                 th_sql_valuep("SELECT api_ts(promise_deadline + interval '48 hours')"
	                               " FROM orders WHERE id = $1", id, NULL));
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);

	/* 47 hours past the deadline: still in the grace */
	th_sqlp("UPDATE orders SET promise_deadline = now() - interval '47 hours' WHERE id = $1", id,
	        NULL);
	expect_problem(claim(&o, id, 1, "not_received", 2, NULL), 409, "claim-too-early");
	th_sqlp("UPDATE orders SET promise_deadline = now() - interval '49 hours' WHERE id = $1", id,
	        NULL);
	r = expect(claim(&o, id, 1, "not_received", 2, NULL), 201);
	ck_assert_str_eq(th_str(r->json, "decision"), "refund_without_return");
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	ck_assert_str_eq(th_str(r->json, "liability"), "carrier");
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "explanation.why"), "nothing to bring back"));
	const cJSON *f = th_at(r->json, "refunds.0");
	ck_assert_str_eq(th_str(f, "state"), "issued");
	ck_assert_str_eq(th_str(f, "source"), "escrow");
	ck_assert_int_eq(num(f, "amount"), 5000);
	/* the carrier lost it: the seller is paid for the units by the platform */
	ck_assert_str_eq(th_str(f, "ledger.0.fee_type"), "sale_proceeds");
	ck_assert_str_eq(th_str(f, "ledger.0.direction"), "credit");
	ck_assert_int_eq(num(f, "ledger.0.net"), 5000);
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "refunded");
	th_resp_free(r);
	/* the escrow is gone: nothing left to settle or to claim */
	expect_problem(confirm(&o, id), 409, "conflict");
	expect_problem(claim(&o, id, 1, "damaged", 1, "[\"photo-1\"]"), 409, "over-claim");
	assert_statement(&o, 5000, 0);
}
END_TEST

START_TEST(delivered_order_refuses_not_received_and_pop_order_counts_from_placed_at)
{
	struct ob_world o;
	char id[37];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 1500, 0, NULL);
	order_new(&o, "pop", "[{\"sku\":\"EB-100\",\"qty\":1,\"unit_price\":2500}]", 2500, id);
	th_expect(th_call("POST", o.w.seller_key, "{\"carrier\":\"DHL\",\"tracking_number\":\"JD01\"}",
	                  "/v1/orders/%s/seller-shipment", id), 200);
	/* placed 2026-01-05: pop has no promise record; placed_at + 10 days + the grace is past */
	th_expect(confirm(&o, id), 200);
	struct th_resp *r = claim(&o, id, 1, "not_received", 1, NULL);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "delivered");
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "confirmed receipt"));
	th_resp_free(r);
}
END_TEST

START_TEST(damaged_item_worth_less_than_its_way_back_is_refunded_without_return)
{
	struct ob_world o;
	char id[37];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 500, 0, NULL);
	ob_stock(&o, "EB-100", "S-01", "", NULL, 4);
	/* 7.00 a unit: 70% of it (4.90) is less than the route (3.00 + 0.15) + handling (2.00) */
	order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":2,\"unit_price\":700}]", 1400,
	          id);
	picked_and_shipped(&o, id);
	struct th_resp *r = expect(claim(&o, id, 1, "damaged", 1, "[\"photo-1\",\"photo-2\"]"), 201);
	ck_assert_str_eq(th_str(r->json, "decision"), "refund_without_return");
	ck_assert_int_eq(num(r->json, "explanation.value"), 700);
	ck_assert_int_eq(num(r->json, "explanation.recovery"), 490);
	ck_assert_int_eq(num(r->json, "explanation.route_cost"), 315);
	ck_assert_int_eq(num(r->json, "explanation.handling_per_unit"), 200);
	ck_assert_int_eq(num(r->json, "explanation.cost"), 515);
	ck_assert_str_eq(th_str(r->json, "explanation.returns_centre"), o.w.wh);
	ck_assert_str_eq(th_str(r->json, "evidence.1"), "photo-2");
	ck_assert_int_eq(num(r->json, "refunds.0.amount"), 700);
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "held");
	ck_assert_int_eq(num(r->json, "escrow.refunded"), 700);
	th_resp_free(r);
	/* the buyer confirms: the refunded unit is not sold; the rest is released */
	r = expect(confirm(&o, id), 200);
	ck_assert_int_eq(num(r->json, "settlement.sale_amount"), 700);
	ck_assert_int_eq(num(r->json, "settlement.refunded"), 700);
	ck_assert_int_eq(num(r->json, "escrow.released"), 700);
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "settlement.lines.0.reason"), "1 refunded"));
	th_resp_free(r);
	/* carrier damage: the platform pays the seller the refunded unit; the sale the other
	 * (semi_warehouse: commission exempt; payment fee 1.5% of 7.00 = 0.10) */
	assert_statement(&o, 700 + 700, 10);
}
END_TEST

/* A receipt or inspection scan of the return (by its RMA code). */
static struct th_resp *receipt(const struct ob_world *o, const char *scan, const char *rma,
                               int qty, const char *extra)
{
	return th_reqf("POST", "/v1/returns/receipt-scans", o->w.staff,
	               "{\"scan_id\":\"%s\",\"barcode\":\"]C0%s\",\"qty\":%d%s}", scan, rma, qty,
	               extra ? extra : "");
}

static struct th_resp *inspect(const struct ob_world *o, const char *scan, const char *rma,
                               const char *grade, const char *disposition, const char *liable)
{
	return th_reqf("POST", "/v1/returns/inspection-scans", o->w.staff,
	               "{\"scan_id\":\"%s\",\"barcode\":\"%s\",\"grade\":\"%s\","
	               "\"disposition\":\"%s\",\"liability\":\"%s\"}",
	               scan, rma, grade, disposition, liable);
}

START_TEST(return_freezes_escrow_until_inspected_restocks_and_sells_again)
{
	struct ob_world o;
	char id[37], id2[37], rma[32], ret[37], s1[37], s2[37], s3[37], gtin[15];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 15000, 0, gtin);
	ob_stock(&o, "EB-100", "S-01", "L1", "2031-01-01", 2);
	order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":2,\"unit_price\":20000}]",
	          40000, id);
	picked_and_shipped(&o, id);
	ck_assert_int_eq(ob_free(&o, "EB-100"), 0);

	struct th_resp *r = expect(claim(&o, id, 1, "not_as_described", 1, "[\"msg-77\"]"), 201);
	ck_assert_str_eq(th_str(r->json, "decision"), "return");
	ck_assert_str_eq(th_str(r->json, "state"), "awaiting_return");
	ck_assert_int_eq(num(r->json, "explanation.recovery"), 14000);
	ck_assert(th_at(r->json, "escrow.frozen")->type == cJSON_True);
	snprintf(rma, sizeof rma, "%s", th_str(r->json, "return.rma"));
	snprintf(ret, sizeof ret, "%s", th_str(r->json, "return.id"));
	ck_assert_str_eq(th_str(r->json, "return.returns_centre"), o.w.wh);
	ck_assert_int_eq(num(r->json, "return.authorised"), 1);
	ck_assert_str_eq(th_str(r->json, "return.carrier"), o.carrier);
	ck_assert_int_eq((long long)cJSON_GetArraySize(th_at(r->json, "refunds")), 0);
	th_resp_free(r);

	/* frozen: the buyer's confirmation is refused, and writes nothing */
	long long before = th_rows_total();
	expect_problem(confirm(&o, id), 409, "claim-open");
	ck_assert_int_eq(th_rows_total(), before);

	/* the reverse-route label: from the buyer to the centre, the RMA as its barcode */
	r = expect(th_call("GET", o.w.staff, NULL, "/v1/returns/%s/label", ret), 200);
	ck_assert_ptr_nonnull(strstr(r->body, rma));
	ck_assert_ptr_nonnull(strstr(r->body, "Ana Garc"));
	ck_assert_ptr_nonnull(strstr(r->body, ret));
	th_resp_free(r);

	/* receipt: two counted where one was authorised needs a confirmation */
	rcv_uuid(s1);
	before = th_rows_total();
	r = receipt(&o, s1, rma, 2, NULL);
	assert_problem_type(r, 409, "over-return");
	ck_assert_str_eq(th_str(r->json, "next"), "confirm_over_return");
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
	/* one, and a wrong item in the parcel, recorded */
	rcv_uuid(s1);
	r = expect(receipt(&o, s1, rma, 1, ",\"wrong_items\":[{\"gtin\":\"04006381333931\",\"qty\":1}]"),
	           200);
	ck_assert_int_eq(num(r->json, "received"), 1);
	ck_assert_int_eq(num(r->json, "missing"), 0);
	ck_assert_str_eq(th_str(r->json, "wrong_items.0.gtin"), "04006381333931");
	ck_assert_str_eq(th_str(r->json, "next"), "inspect");
	th_resp_free(r);
	/* the same scan again: the same answer; another scan of it: received once */
	r = expect(receipt(&o, s1, rma, 1, ",\"wrong_items\":[{\"gtin\":\"04006381333931\",\"qty\":1}]"),
	           200);
	ck_assert_str_eq(th_header(r, "Idempotent-Replayed"), "true");
	th_resp_free(r);
	rcv_uuid(s2);
	expect_problem(receipt(&o, s2, rma, 1, NULL), 409, "wrong-state");
	/* received is not refunded: still frozen until inspected */
	expect_problem(confirm(&o, id), 409, "claim-open");
	ck_assert_int_eq(ob_free(&o, "EB-100"), 0);

	/* inspection: like new, restocked with its lot, the seller liable; the refund follows */
	rcv_uuid(s3);
	r = expect(inspect(&o, s3, rma, "like_new", "restock", "seller"), 200);
	ck_assert_str_eq(th_str(r->json, "next"), "done");
	ck_assert_str_eq(th_str(r->json, "unit.bin"), "RECEIVING");
	ck_assert_str_eq(th_str(r->json, "unit.lot"), "L1");
	ck_assert_str_eq(th_str(r->json, "refunds.0.state"), "issued");
	ck_assert_str_eq(th_str(r->json, "refunds.0.source"), "escrow");
	ck_assert_int_eq(num(r->json, "refunds.0.amount"), 20000);
	/* semi_warehouse: the return handling fee is charged to the liable seller */
	ck_assert_str_eq(th_str(r->json, "refunds.0.ledger.0.fee_type"), "return_handling");
	ck_assert_int_eq(num(r->json, "refunds.0.ledger.0.net"), 200);
	th_resp_free(r);
	expect_problem(inspect(&o, s2, rma, "new", "restock", "seller"), 409, "wrong-state");
	r = expect(th_call("GET", o.w.seller_key, NULL, "/v1/claims/%s",
	                   th_sql_valuep("SELECT claim_id FROM returns WHERE id = $1", ret, NULL)),
	           200);
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	ck_assert_str_eq(th_str(r->json, "return.state"), "inspected");
	ck_assert_str_eq(th_str(r->json, "return.units.0.disposition"), "restock");
	th_resp_free(r);

	/* unfrozen: the buyer confirms the other unit */
	r = expect(confirm(&o, id), 200);
	ck_assert_int_eq(num(r->json, "settlement.sale_amount"), 20000);
	ck_assert_int_eq(num(r->json, "escrow.refunded"), 20000);
	ck_assert_int_eq(num(r->json, "escrow.released"), 20000);
	th_resp_free(r);
	/* sale 200.00, payment fee 3.00, return handling 2.00 */
	assert_statement(&o, 20000, 300 + 200);
	/* the statement lists the refund with its reason, though it posted no money line */
	r = expect(th_call("GET", o.w.seller_key, NULL, "/v1/sellers/me/statement?" ALL_TIME), 200);
	ck_assert_str_eq(th_str(r->json, "returns.0.kind"), "not_as_described");
	ck_assert_str_eq(th_str(r->json, "returns.0.source"), "escrow");
	ck_assert_str_eq(th_str(r->json, "returns.0.sku"), "EB-100");
	ck_assert_int_eq(num(r->json, "returns.0.amount"), 20000);
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "returns.0.reason"), rma));
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "returns.0.reason"), "like_new → restock"));
	th_resp_free(r);

	/* the restocked unit is put away like any other, and sells again */
	char put[37];
	rcv_uuid(put);
	th_expect(th_reqf("POST", "/v1/putaway/scans", o.w.staff,
	                  "{\"scan_id\":\"%s\",\"gtin\":\"%s\",\"qty\":1,\"from\":\"RECEIVING\","
	                  "\"to_bin\":\"S-02\"}", put, gtin), 200);
	ck_assert_int_eq(ob_free(&o, "EB-100"), 1);
	order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":1,\"unit_price\":20000}]",
	          20000, id2);
	ck_assert_str_eq(order_sql("SELECT state FROM orders WHERE id = $1", id2), "allocated");
	ck_assert_str_eq(th_sql_valuep("SELECT lot FROM order_reservations WHERE order_id = $1", id2,
	                               NULL), "L1");
}
END_TEST

START_TEST(refund_after_settlement_is_clawed_back_with_the_commission_reversed)
{
	struct ob_world o;
	char id[37];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 1500, 0, NULL);
	order_new(&o, "pop", "[{\"sku\":\"EB-100\",\"qty\":2,\"unit_price\":2500}]", 5000, id);
	th_expect(th_call("POST", o.w.seller_key, "{\"carrier\":\"DHL\",\"tracking_number\":\"JD01\"}",
	                  "/v1/orders/%s/seller-shipment", id), 200);
	th_expect(confirm(&o, id), 200);
	/* sale 50.00; commission 5% 2.50, payment fee 0.75 */
	assert_statement(&o, 5000, 250 + 75);
	/* pop: no returns centre serves the order; the seller is liable for its description */
	struct th_resp *r = expect(claim(&o, id, 1, "not_as_described", 1, "[\"msg-1\"]"), 201);
	ck_assert_str_eq(th_str(r->json, "decision"), "refund_without_return");
	ck_assert_str_eq(th_str(r->json, "liability"), "seller");
	const cJSON *f = th_at(r->json, "refunds.0");
	ck_assert_str_eq(th_str(f, "source"), "seller_ledger");
	ck_assert_int_eq(num(f, "amount"), 2500);
	ck_assert_str_eq(th_str(f, "ledger.0.fee_type"), "sale_proceeds");
	ck_assert_str_eq(th_str(f, "ledger.0.direction"), "debit");
	ck_assert_int_eq(num(f, "ledger.0.net"), 2500);
	ck_assert_str_eq(th_str(f, "ledger.1.fee_type"), "commission");
	ck_assert_str_eq(th_str(f, "ledger.1.direction"), "credit");
	ck_assert_int_eq(num(f, "ledger.1.net"), 125);
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "released");
	ck_assert_int_eq(num(r->json, "escrow.refunded"), 2500);
	th_resp_free(r);
	assert_statement(&o, 5000 + 125, 250 + 75 + 2500);
	/* the damaged other unit: the carrier's, borne by the platform (net 0 for the seller) */
	r = expect(claim(&o, id, 1, "damaged", 1, "[\"photo-9\"]"), 201);
	ck_assert_str_eq(th_str(r->json, "refunds.0.ledger.0.treatment"), "platform_borne");
	ck_assert_int_eq(num(r->json, "refunds.0.ledger.0.net"), 0);
	ck_assert_int_eq(num(r->json, "escrow.refunded"), 5000);
	th_resp_free(r);
	assert_statement(&o, 5000 + 125, 250 + 75 + 2500);
	ck_assert_str_eq(order_sql("SELECT refunded FROM orders WHERE id = $1", id), "5000");
}
END_TEST

/* A claim of one unit more than half the line, sent by two children at once. */
static struct th_resp *claim_arg(void *arg)
{
	const char *const *a = arg; /* the platform key, the order's id */
	struct th_resp *r = th_reqf("POST", "/v1/claims", a[0],
	               "{\"order\":\"%s\",\"line\":1,\"kind\":\"not_as_described\",\"qty\":2,"
	               "\"evidence\":[\"msg\"]}", a[1]);
	return r;
}

START_TEST(several_claims_on_one_order_never_refund_more_than_was_paid)
{
	struct ob_world o;
	char id[37], ids[2][40];
	long st[2];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 1500, 0, NULL);
	ob_sku_priced(&o, "EB-200", "electronics", 1500, 0, NULL);
	order_new(&o, "pop", "[{\"sku\":\"EB-100\",\"qty\":3,\"unit_price\":1000},"
	                     "{\"sku\":\"EB-200\",\"qty\":1,\"unit_price\":500}]", 3500, id);
	th_expect(th_call("POST", o.w.seller_key, "{\"carrier\":\"DHL\",\"tracking_number\":\"JD01\"}",
	                  "/v1/orders/%s/seller-shipment", id), 200);
	/* two claims of 2 of the line's 3 units at once: one is refunded, the other refused */
	const char *arg[] = {o.platform, id};
	th_twins(claim_arg, arg, st, ids);
	ck_assert_msg((st[0] == 201 && st[1] == 409) || (st[0] == 409 && st[1] == 201),
	              "twins answered %ld and %ld", st[0], st[1]);
	ck_assert_str_eq(order_sql("SELECT refunded FROM orders WHERE id = $1", id), "2000");
	/* one by one, the rest: the third unit, then nothing more of the line */
	th_expect(claim(&o, id, 1, "not_as_described", 1, "[\"m\"]"), 201);
	struct th_resp *r = claim(&o, id, 1, "not_as_described", 1, "[\"m\"]");
	assert_problem_type(r, 409, "over-claim");
	ck_assert_ptr_nonnull(strstr(th_str(r->json, "detail"), "3 on earlier claims"));
	th_resp_free(r);
	th_expect(claim(&o, id, 2, "damaged", 1, "[\"p\"]"), 201);
	/* everything paid is refunded, once: the escrow is refunded whole */
	ck_assert_str_eq(order_sql("SELECT refunded || ' ' || escrow FROM orders WHERE id = $1", id),
	                 "3500 refunded");
	ck_assert_str_eq(order_sql("SELECT sum(amount) FROM refunds WHERE order_id = $1", id), "3500");
	expect_problem(confirm(&o, id), 409, "conflict");
}
END_TEST

START_TEST(bad_claims_are_refused_and_write_nothing)
{
	struct ob_world o;
	char id[37], other[37];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 1500, 0, NULL);
	ob_stock(&o, "EB-100", "S-01", "", NULL, 2);
	order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":1,\"unit_price\":2500}]", 2500,
	          id);
	long long before = th_rows_total();
	struct th_resp *r = claim(&o, id, 1, "damaged", 1, NULL);
	ck_assert(th_problem(r, 422, "evidence", NULL));
	r = claim(&o, id, 2, "damaged", 1, "[\"p\"]");
	ck_assert(th_problem(r, 422, "line", "not_found"));
	r = th_reqf("POST", "/v1/claims", o.platform,
	            "{\"order\":\"%s\",\"line\":1,\"kind\":\"lost\",\"qty\":0,\"evidence\":[\"\"]}", id);
	ck_assert(th_is_problem(r, 422) && th_has_field_error(r, "kind") &&
	          th_has_field_error(r, "qty"));
	th_resp_free(r);
	/* not shipped yet */
	r = claim(&o, id, 1, "damaged", 1, "[\"p\"]");
	assert_problem_type(r, 409, "wrong-state");
	th_resp_free(r);
	rcv_uuid(other);
	expect_problem(claim(&o, other, 1, "damaged", 1, "[\"p\"]"), 404, "not-found");
	/* sellers and staff do not open claims */
	th_expect(th_reqf("POST", "/v1/claims", o.w.seller_key,
	                  "{\"order\":\"%s\",\"line\":1,\"kind\":\"damaged\",\"qty\":1,"
	                  "\"evidence\":[\"p\"]}", id), 403);
	ck_assert_int_eq(th_rows_total(), before);
	/* another seller's claim is 404 to a seller */
	picked_and_shipped(&o, id);
	r = expect(claim(&o, id, 1, "damaged", 1, "[\"p\"]"), 201);
	char cid[37];
	snprintf(cid, sizeof cid, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	struct ob_world o2;
	ob_world_new_in(&o2, "USD");
	th_expect(th_call("GET", o2.w.seller_key, NULL, "/v1/claims/%s", cid), 404);
	th_expect(th_call("GET", o.w.seller_key, NULL, "/v1/claims/%s", cid), 200);
}
END_TEST

START_TEST(a_claim_under_an_idempotency_key_is_opened_once)
{
	struct ob_world o;
	char id[37], body[256], first[37];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 1500, 0, NULL);
	order_new(&o, "pop", "[{\"sku\":\"EB-100\",\"qty\":2,\"unit_price\":2500}]", 5000, id);
	th_expect(th_call("POST", o.w.seller_key, "{\"carrier\":\"DHL\",\"tracking_number\":\"JD01\"}",
	                  "/v1/orders/%s/seller-shipment", id), 200);
	snprintf(body, sizeof body, "{\"order\":\"%s\",\"line\":1,\"kind\":\"damaged\",\"qty\":1,"
	         "\"evidence\":[\"p\"]}", id);
	struct th_resp *r = expect(th_req("POST", "/v1/claims", o.platform, body, NULL,
	                                  "Idempotency-Key: claim-1"), 201);
	snprintf(first, sizeof first, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	r = expect(th_req("POST", "/v1/claims", o.platform, body, NULL, "Idempotency-Key: claim-1"),
	           201);
	ck_assert_str_eq(th_str(r->json, "id"), first);
	ck_assert_str_eq(th_header(r, "Idempotent-Replayed"), "true");
	th_resp_free(r);
	ck_assert_str_eq(order_sql("SELECT refunded FROM orders WHERE id = $1", id), "2500");
	body[strlen(body) - 1] = '\0';
	strcat(body, ",\"note\":\"again\"}");
	r = th_req("POST", "/v1/claims", o.platform, body, NULL, "Idempotency-Key: claim-1");
	assert_problem_type(r, 422, "idempotency-mismatch");
	th_resp_free(r);
}
END_TEST

/* One child opens a claim (a return), the other confirms receipt, at the same moment. */
static struct th_resp *claim_or_confirm(void *arg)
{
	const char *const *a = arg; /* the platform key, the turn file, the order's id */
	int fd = open(a[1], O_CREAT | O_EXCL | O_WRONLY, 0600);
	if (fd >= 0) {
		close(fd);
		return th_reqf("POST", "/v1/claims", a[0],
		               "{\"order\":\"%s\",\"line\":1,\"kind\":\"not_as_described\",\"qty\":1,"
		               "\"evidence\":[\"m\"]}", a[2]);
	}
	return th_call("POST", a[0], NULL, "/v1/orders/%s/confirm-receipt", a[2]);
}

START_TEST(a_return_racing_the_buyers_confirmation_either_freezes_or_claws_back)
{
	struct ob_world o;
	char id[37], turn[96], ids[2][40];
	long st[2];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 15000, 0, NULL);
	for (int round = 0; round < 4; round++) {
		ob_stock(&o, "EB-100", "S-01", "", NULL, 2);
		order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":2,\"unit_price\":20000}]",
		          40000, id);
		picked_and_shipped(&o, id);
		snprintf(turn, sizeof turn, "/tmp/wms-returns-turn-%d-%s", (int)getpid(), id);
		unlink(turn);
		const char *arg[] = {o.platform, turn, id};
		th_twins(claim_or_confirm, arg, st, ids);
		unlink(turn);
		/* the claim always opens; the confirmation either came first (settled, the return
		 * will claw back) or found the escrow frozen */
		const char *escrow = order_sql("SELECT escrow || ' ' || claims_open || ' ' || state"
		                               " FROM orders WHERE id = $1", id);
		ck_assert_msg((st[0] == 201 || st[1] == 201) && (st[0] != 500 && st[1] != 500),
		              "answered %ld and %ld", st[0], st[1]);
		if (st[0] == 200 || st[1] == 200)
			ck_assert_str_eq(escrow, "released 1 delivered");
		else
			ck_assert_str_eq(escrow, "held 1 shipped");
		ck_assert_str_eq(order_sql("SELECT count(*) FROM claims WHERE order_id = $1", id), "1");
	}
}
END_TEST

/* An order of qty × EB-100 (a fresh SKU of o's seller; its GTIN into gtin when not NULL) at
 * 200.00 a unit, shipped and claimed as damaged whole: a return. Writes the order's id, the
 * claim's, the return's and its RMA code (any of the last three may be NULL). */
static void returned_order(const struct ob_world *o, int qty, char gtin[15], char id[37],
                           char claim_id[37], char ret[37], char rma[32])
{
	char lines[96];
	ob_sku_priced(o, "EB-100", "electronics", 15000, 0, gtin);
	ob_stock(o, "EB-100", "S-01", "", NULL, qty);
	snprintf(lines, sizeof lines, "[{\"sku\":\"EB-100\",\"qty\":%d,\"unit_price\":20000}]", qty);
	order_new(o, "semi_warehouse", lines, 20000LL * qty, id);
	picked_and_shipped(o, id);
	struct th_resp *r = expect(claim(o, id, 1, "damaged", qty, "[\"photo\"]"), 201);
	ck_assert_str_eq(th_str(r->json, "decision"), "return");
	if (claim_id)
		snprintf(claim_id, 37, "%s", th_str(r->json, "id"));
	if (ret)
		snprintf(ret, 37, "%s", th_str(r->json, "return_id"));
	if (rma)
		snprintf(rma, 32, "%s", th_str(r->json, "rma"));
	th_resp_free(r);
}

START_TEST(a_return_inspected_unit_by_unit_refunds_per_liability_and_not_what_never_came)
{
	struct ob_world o;
	char id[37], rma[32], s1[37], s2[37], s3[37];
	ob_world_new_in(&o, "USD");
	returned_order(&o, 3, NULL, id, NULL, NULL, rma);
	struct th_resp *r;
	/* two of the three arrive */
	rcv_uuid(s1);
	r = expect(receipt(&o, s1, rma, 2, NULL), 200);
	ck_assert_int_eq(num(r->json, "missing"), 1);
	th_resp_free(r);
	/* one broken in transit (carrier), one the buyer broke: a refund each */
	rcv_uuid(s2);
	r = expect(inspect(&o, s2, rma, "damaged", "quarantine", "carrier"), 200);
	ck_assert_str_eq(th_str(r->json, "next"), "unit");
	ck_assert_str_eq(th_str(r->json, "unit.bin"), "QUARANTINE");
	ck_assert_int_eq((long long)cJSON_GetArraySize(th_at(r->json, "refunds_pending")), 0);
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT sum(qty) FROM inventory_onhand WHERE warehouse_id = $1"
	                               " AND status = 'quarantine'", o.w.wh_id, NULL), "1");
	rcv_uuid(s3);
	r = expect(inspect(&o, s3, rma, "used", "dispose", "buyer"), 200);
	ck_assert_str_eq(th_str(r->json, "next"), "done");
	const cJSON *f, *buyer = NULL, *carrier = NULL;
	cJSON_ArrayForEach(f, th_at(r->json, "refunds"))
		if (strcmp(th_str(f, "liability"), "buyer") == 0)
			buyer = f;
		else
			carrier = f;
	ck_assert_ptr_nonnull(buyer);
	ck_assert_ptr_nonnull(carrier);
	ck_assert_str_eq(th_str(buyer, "state"), "failed");
	ck_assert_int_eq(num(buyer, "amount"), 0);
	ck_assert_str_eq(th_str(carrier, "state"), "issued");
	ck_assert_int_eq(num(carrier, "amount"), 20000);
	/* the carrier's unit: the platform pays the seller; its handling fee borne too */
	ck_assert_str_eq(th_str(carrier, "ledger.0.fee_type"), "sale_proceeds");
	ck_assert_int_eq(num(carrier, "ledger.0.net"), 20000);
	th_resp_free(r);
	/* the escrow thaws; the confirmation sells what was not refunded (2 of 3) */
	r = expect(confirm(&o, id), 200);
	ck_assert_int_eq(num(r->json, "settlement.sale_amount"), 40000);
	ck_assert_int_eq(num(r->json, "escrow.refunded"), 20000);
	ck_assert_int_eq(num(r->json, "escrow.released"), 40000);
	th_resp_free(r);
	/* each refund carries the handling fee of its unit: neither is the seller's, so both are
	 * borne by the platform */
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(treatment || ' ' || gross || ' ' || net,"
	                               " ',') FROM seller_ledger WHERE seller_id = $1"
	                               " AND fee_type = 'return_handling'", o.w.seller_id, NULL),
	                 "platform_borne 200 0,platform_borne 200 0");
	/* 200.00 paid by the platform + 400.00 sold; payment fee 6.00 */
	assert_statement(&o, 20000 + 40000, 600);
}
END_TEST

/* GET /v1/returns/{id} as role key (by the return's id or its RMA code): 200 with the doc. */
static struct th_resp *return_read(const char *key, const char *ref)
{
	return expect(th_call("GET", key, NULL, "/v1/returns/%s", ref), 200);
}

/* The return doc r shows return ret / rma at state with received units (-1: not yet) and
 * inspected units. */
static void assert_return_doc(const struct th_resp *r, const char *ret, const char *rma,
                              const char *state, int received, int inspected)
{
	ck_assert_str_eq(th_str(r->json, "id"), ret);
	ck_assert_str_eq(th_str(r->json, "rma"), rma);
	ck_assert_str_eq(th_str(r->json, "state"), state);
	if (received < 0) {
		ck_assert_msg(cJSON_IsNull(th_at(r->json, "received")), "received: %s", r->body);
		ck_assert_msg(cJSON_IsNull(th_at(r->json, "received_at")), "received_at: %s", r->body);
	} else {
		ck_assert_int_eq(num(r->json, "received"), received);
		ck_assert_ptr_nonnull(th_str(r->json, "received_at"));
	}
	ck_assert_int_eq(num(r->json, "inspected"), inspected);
	ck_assert_int_eq((long long)cJSON_GetArraySize(th_at(r->json, "units")), inspected);
}

START_TEST(a_return_is_read_by_its_centre_platform_admin_and_seller_by_id_or_rma)
{
	struct ob_world o, other;
	char id[37], claim_id[37], ret[37], rma[32], gtin[15], s1[37], s2[37];
	ob_world_new_in(&o, "USD");
	ob_world_new_in(&other, "USD");
	returned_order(&o, 2, gtin, id, claim_id, ret, rma);
	struct th_resp *r;
	/* before receipt: what it authorises, for each role, by id and by RMA */
	const char *readers[] = {o.w.staff, o.platform, o.w.admin, o.w.seller_key};
	const char *refs[] = {ret, rma};
	for (size_t k = 0; k < 4; k++)
		for (size_t i = 0; i < 2; i++) {
			r = return_read(readers[k], refs[i]);
			assert_return_doc(r, ret, rma, "authorised", -1, 0);
			ck_assert_str_eq(th_str(r->json, "returns_centre"), o.w.wh);
			ck_assert_str_eq(th_str(r->json, "claim_id"), claim_id);
			ck_assert_str_eq(th_str(r->json, "order_id"), id);
			ck_assert_int_eq((long long)cJSON_GetArraySize(th_at(r->json, "items")), 1);
			ck_assert_str_eq(th_str(r->json, "items.0.sku"), "EB-100");
			ck_assert_str_eq(th_str(r->json, "items.0.gtin"), gtin);
			ck_assert_ptr_nonnull(th_str(r->json, "items.0.name"));
			ck_assert_int_eq(num(r->json, "items.0.qty"), 2);
			ck_assert_int_eq(num(r->json, "authorised"), 2);
			ck_assert_msg(cJSON_IsNull(th_at(r->json, "wrong_items")), "%s", r->body);
			th_resp_free(r);
		}
	/* another centre's staff and another seller do not see it (by id or RMA), nor its label;
	 * what is neither an id nor an RMA code is no return */
	for (size_t i = 0; i < 2; i++) {
		expect_problem(th_call("GET", other.w.staff, NULL, "/v1/returns/%s", refs[i]), 404,
		               "not-found");
		expect_problem(th_call("GET", other.w.seller_key, NULL, "/v1/returns/%s", refs[i]),
		               404, "not-found");
		expect_problem(th_call("GET", other.w.staff, NULL, "/v1/returns/%s/label", refs[i]),
		               404, "not-found");
	}
	expect_problem(th_call("GET", o.w.staff, NULL, "/v1/returns/RMA12345"), 404, "not-found");
	char near[32]; /* the RMA with its last digit changed */
	snprintf(near, sizeof near, "%s", rma);
	near[strlen(near) - 1] = near[strlen(near) - 1] == '0' ? '1' : '0';
	expect_problem(th_call("GET", o.w.staff, NULL, "/v1/returns/%s", near), 404, "not-found");
	/* the label by its RMA code too */
	r = expect(th_call("GET", o.w.staff, NULL, "/v1/returns/%s/label", rma), 200);
	ck_assert_ptr_nonnull(strstr(r->body, rma));
	th_resp_free(r);
	/* received: 2 of the item and a wrong one */
	rcv_uuid(s1);
	th_resp_free(expect(receipt(&o, s1, rma, 2, ",\"wrong_items\":[{\"gtin\":\"04006381333931\","
	                                            "\"qty\":1}]"), 200));
	for (size_t i = 0; i < 2; i++) {
		r = return_read(o.w.staff, refs[i]);
		assert_return_doc(r, ret, rma, "received", 2, 0);
		ck_assert_int_eq(num(r->json, "missing"), 0);
		ck_assert_int_eq(num(r->json, "extra"), 0);
		ck_assert_str_eq(th_str(r->json, "wrong_items.0.gtin"), "04006381333931");
		ck_assert_int_eq(num(r->json, "wrong_items.0.qty"), 1);
		th_resp_free(r);
	}
	/* one unit inspected: its grade, disposition and bin */
	rcv_uuid(s2);
	th_resp_free(expect(inspect(&o, s2, rma, "damaged", "quarantine", "carrier"), 200));
	r = return_read(o.w.seller_key, rma);
	assert_return_doc(r, ret, rma, "received", 2, 1);
	ck_assert_str_eq(th_str(r->json, "units.0.grade"), "damaged");
	ck_assert_str_eq(th_str(r->json, "units.0.disposition"), "quarantine");
	ck_assert_str_eq(th_str(r->json, "units.0.liability"), "carrier");
	ck_assert_str_eq(th_str(r->json, "units.0.bin"), "QUARANTINE");
	th_resp_free(r);
	expect_problem(th_call("GET", other.w.staff, NULL, "/v1/returns/%s", rma), 404, "not-found");
	/* the claim embeds the same return document */
	r = expect(th_call("GET", o.platform, NULL, "/v1/claims/%s", claim_id), 200);
	ck_assert_str_eq(th_str(r->json, "return.rma"), rma);
	ck_assert_str_eq(th_str(r->json, "return.items.0.sku"), "EB-100");
	ck_assert_str_eq(th_str(r->json, "return.units.0.bin"), "QUARANTINE");
	th_resp_free(r);
}
END_TEST

/* A shipped package of order id with the carrier's last status (as tracking ingest records
 * it). */
static void parcel_with_status(const struct ob_world *o, const char *id, const char *status)
{
	th_sqlp("INSERT INTO packages (warehouse_id, order_id, seller_id, package_type, state,"
	        " weight_g, chargeable_g, carrier, service, sort_code, route, cost_minor,"
	        " cost_currency, label, closed_at, tracking_number, tracking_status,"
	        " tracking_status_at, tracking_event_id, delivered_at, shipped_at)"
	        " VALUES ($1, $2, $3, 'BOX-S', 'shipped', 400, 400, 'Test carrier', 'PARCEL', 'ES',"
	        " '{}', 300, 'USD', '^XA^XZ', now(), $4, $5, now(), 'EV-1',"
	        " CASE WHEN $5 = 'delivered' THEN now() END, now())",
	        o->w.wh_id, id, o->w.seller_id, th_code("TT"), status, NULL);
}

START_TEST(not_received_is_decided_from_tracking_first)
{
	struct ob_world o;
	char id[37], back[37];
	ob_world_new_in(&o, "USD");
	ob_sku_priced(&o, "EB-100", "electronics", 1500, 0, NULL);
	ob_stock(&o, "EB-100", "S-01", "", NULL, 4);
	/* the carrier delivered it: refused with that evidence, even past the deadline */
	order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":1,\"unit_price\":2500}]", 2500,
	          id);
	picked_and_shipped(&o, id);
	parcel_with_status(&o, id, "delivered");
	th_sqlp("UPDATE orders SET promise_deadline = now() - interval '3 days' WHERE id = $1", id,
	        NULL);
	struct th_resp *r = claim(&o, id, 1, "not_received", 1, NULL);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "evidence.status"), "delivered");
	ck_assert_str_eq(th_str(r->json, "evidence.event_id"), "EV-1");
	ck_assert_ptr_nonnull(th_str(r->json, "evidence.delivered_at"));
	th_resp_free(r);
	/* returned to the sender: it is not coming, refunded before the deadline */
	order_new(&o, "semi_warehouse", "[{\"sku\":\"EB-100\",\"qty\":1,\"unit_price\":2500}]", 2500,
	          back);
	picked_and_shipped(&o, back);
	parcel_with_status(&o, back, "returned_to_sender");
	r = expect(claim(&o, back, 1, "not_received", 1, NULL), 201);
	ck_assert_str_eq(th_str(r->json, "decision"), "refund_without_return");
	ck_assert_str_eq(th_str(r->json, "liability"), "carrier");
	ck_assert_int_eq(num(r->json, "refunds.0.amount"), 2500);
	th_resp_free(r);
}
END_TEST

Suite *returns_suite(void);
Suite *returns_suite(void)
{
	Suite *s = suite_create("returns");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, not_received_waits_for_the_deadline_plus_grace_then_refunds_from_escrow);
	tcase_add_test(tc, delivered_order_refuses_not_received_and_pop_order_counts_from_placed_at);
	tcase_add_test(tc, damaged_item_worth_less_than_its_way_back_is_refunded_without_return);
	tcase_add_test(tc, return_freezes_escrow_until_inspected_restocks_and_sells_again);
	tcase_add_test(tc, refund_after_settlement_is_clawed_back_with_the_commission_reversed);
	tcase_add_test(tc, several_claims_on_one_order_never_refund_more_than_was_paid);
	tcase_add_test(tc, bad_claims_are_refused_and_write_nothing);
	tcase_add_test(tc, a_claim_under_an_idempotency_key_is_opened_once);
	tcase_add_test(tc, not_received_is_decided_from_tracking_first);
	tcase_add_test(tc, a_return_racing_the_buyers_confirmation_either_freezes_or_claws_back);
	tcase_add_test(tc, a_return_is_read_by_its_centre_platform_admin_and_seller_by_id_or_rma);
	tcase_add_test(tc,
	               a_return_inspected_unit_by_unit_refunds_per_liability_and_not_what_never_came);
	suite_add_tcase(s, tc);
	return s;
}
