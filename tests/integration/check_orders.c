/* check_orders.c — buyers' orders over HTTP against real PostgreSQL: creation allocates to a
 * fulfillment centre that holds the stock and routes the parcel, reserving first-expired-
 * first-out from storage bins only; the client_order_id makes creation exactly once; an order
 * no centre can fill is stored unfulfillable with its reasons and its escrow refunded;
 * cancel gives the stock back; hold and release; who sees which orders; bad input is 422 and
 * writes nothing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"

static void assert_problem_type(const struct th_resp *r, long status, const char *slug)
{
	char type[96];
	snprintf(type, sizeof type, "urn:wms:problem:%s", slug);
	ck_assert_msg(th_is_problem(r, status), "wanted %ld %s", status, slug);
	ck_assert_str_eq(th_str(r->json, "type"), type);
}

/* A centre with SKU-A (20 units in S-02) and SKU-B (5 in S-01). */
static void stocked(struct ob_world *o)
{
	char g[15], e[14];
	ob_world_new(o);
	ob_sku_new(o, "SKU-A", g, e);
	ob_sku_new(o, "SKU-B", g, e);
	ob_stock(o, "SKU-A", "S-02", "", NULL, 20);
	ob_stock(o, "SKU-B", "S-01", "", NULL, 5);
}

START_TEST(order_is_allocated_where_the_stock_is_and_the_route_meets_the_promise)
{
	struct ob_world o;
	stocked(&o);
	struct th_resp *r = ob_order(&o, th_code("MP"), "semi_warehouse",
	                             "[{\"sku\":\"SKU-A\",\"qty\":3,\"unit_price\":1000},"
	                             "{\"sku\":\"SKU-B\",\"qty\":2,\"unit_price\":2500}]", 8000);
	ck_assert_msg(r->status == 201, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "allocated");
	ck_assert_str_eq(th_str(r->json, "warehouse"), o.w.wh);
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "held");
	ck_assert_int_eq((int)th_num(r->json, "amount_paid", -1), 8000);
	ck_assert_ptr_nonnull(th_str(r->json, "promise.deadline"));
	ck_assert(th_at(r->json, "promise.at_risk") && cJSON_IsFalse(th_at(r->json, "promise.at_risk")));
	ck_assert_str_eq(th_str(r->json, "route.legs.0.carrier"), o.carrier);
	ck_assert_int_eq((int)th_num(r->json, "lines.0.reserved", -1), 3);
	ck_assert_int_eq((int)th_num(r->json, "lines.1.reserved", -1), 2);
	ck_assert_ptr_nonnull(th_header(r, "Location"));
	th_resp_free(r);
	ck_assert_int_eq(ob_free(&o, "SKU-A"), 17);
	ck_assert_int_eq(ob_reserved(&o, "SKU-B"), 2);
	ck_assert(ob_invariants(&o));
	/* the inventory shows what is promised and what is left */
	r = th_call("GET", o.w.staff, NULL, "/v1/inventory?sku=SKU-A&location=S-02");
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_int_eq((int)th_num(r->json, "items.0.qty", -1), 20);
	ck_assert_int_eq((int)th_num(r->json, "items.0.reserved", -1), 3);
	ck_assert_int_eq((int)th_num(r->json, "items.0.available", -1), 17);
	th_resp_free(r);
}
END_TEST

START_TEST(lots_are_reserved_first_expired_first_out_and_never_from_the_dock)
{
	struct ob_world o;
	char g[15], e[14];
	ob_world_new(&o);
	ob_sku_new(&o, "SKU-L", g, e);
	ob_stock(&o, "SKU-L", "S-01", "LATE", "2099-12-31", 5);
	ob_stock(&o, "SKU-L", "S-03", "SOON", "2098-06-30", 3);
	ob_stock(&o, "SKU-L", "S-04", "GONE", "2020-01-01", 9); /* expired: never allocated */
	ob_stock(&o, "SKU-L", "RECEIVING", "", NULL, 50);       /* not put away yet */
	struct th_resp *r = ob_order(&o, th_code("MP"), "full",
	                             "[{\"sku\":\"SKU-L\",\"qty\":6,\"unit_price\":100,"
	                             "\"supply_price\":60}]", 600);
	ck_assert_msg(r->status == 201, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "allocated");
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(x.lot || ':' || x.qty, ',' ORDER BY x.expiry)"
	                               " FROM order_reservations x WHERE x.warehouse_id = $1",
	                               o.w.wh_id, NULL), "SOON:3,LATE:3");
	/* what is left is not enough for 3 more: 2 LATE remain allocatable */
	r = ob_order(&o, th_code("MP"), "full",
	             "[{\"sku\":\"SKU-L\",\"qty\":3,\"unit_price\":100,\"supply_price\":60}]", 300);
	ck_assert_msg(r->status == 201, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "unfulfillable");
	ck_assert_str_eq(th_str(r->json, "unfulfillable.0.reason"), "insufficient_stock");
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "refunded");
	ck_assert_int_eq((int)th_num(r->json, "escrow.refunded", -1), 300);
	th_resp_free(r);
	ck_assert(ob_invariants(&o));
}
END_TEST

START_TEST(same_client_order_id_replays_and_another_body_is_refused)
{
	struct ob_world o;
	stocked(&o);
	const char *id = th_code("MP");
	char cid[64];
	snprintf(cid, sizeof cid, "%s", id);
	const char *lines = "[{\"sku\":\"SKU-A\",\"qty\":4,\"unit_price\":1000}]";
	struct th_resp *a = ob_order(&o, cid, "semi_warehouse", lines, 4000);
	ck_assert_msg(a->status == 201, "%s", a->body);
	struct th_resp *b = ob_order(&o, cid, "semi_warehouse", lines, 4000);
	ck_assert_msg(b->status == 201, "%s", b->body);
	ck_assert_str_eq(th_str(a->json, "id"), th_str(b->json, "id"));
	ck_assert_str_eq(th_header(b, "Idempotent-Replayed"), "true");
	th_resp_free(a);
	th_resp_free(b);
	ck_assert_int_eq(ob_reserved(&o, "SKU-A"), 4);
	struct th_resp *c = ob_order(&o, cid, "semi_warehouse",
	                             "[{\"sku\":\"SKU-A\",\"qty\":5,\"unit_price\":1000}]", 5000);
	assert_problem_type(c, 422, "client-order-id-reused");
	th_resp_free(c);
	ck_assert_int_eq(ob_reserved(&o, "SKU-A"), 4);
}
END_TEST

START_TEST(cancel_releases_the_reservation_and_refunds)
{
	struct ob_world o;
	stocked(&o);
	struct th_resp *r = ob_order(&o, th_code("MP"), "semi_warehouse",
	                             "[{\"sku\":\"SKU-A\",\"qty\":7,\"unit_price\":1000}]", 7000);
	ck_assert_msg(r->status == 201, "%s", r->body);
	char id[37];
	snprintf(id, sizeof id, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	ck_assert_int_eq(ob_reserved(&o, "SKU-A"), 7);
	r = th_call("POST", o.platform, "{\"reason\":\"buyer changed their mind\"}",
	            "/v1/orders/%s/cancel", id);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "refunded");
	ck_assert_str_eq(th_str(r->json, "cancel_reason"), "buyer changed their mind");
	th_resp_free(r);
	ck_assert_int_eq(ob_reserved(&o, "SKU-A"), 0);
	ck_assert_int_eq(ob_free(&o, "SKU-A"), 20);
	r = th_call("POST", o.platform, NULL, "/v1/orders/%s/cancel", id);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	th_resp_free(r);
	ck_assert(ob_invariants(&o));
}
END_TEST

START_TEST(hold_keeps_the_reservation_and_release_returns_to_the_held_state)
{
	struct ob_world o;
	stocked(&o);
	struct th_resp *r = ob_order(&o, th_code("MP"), "semi_warehouse",
	                             "[{\"sku\":\"SKU-B\",\"qty\":1,\"unit_price\":500}]", 500);
	char id[37];
	snprintf(id, sizeof id, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	ck_assert(th_problem(th_call("POST", o.platform, "{}", "/v1/orders/%s/hold", id), 422, "reason",
	           "required"));
	r = th_call("POST", o.platform, "{\"reason\":\"address check\"}", "/v1/orders/%s/hold", id);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "on_hold");
	ck_assert_str_eq(th_str(r->json, "held_from"), "allocated");
	th_resp_free(r);
	ck_assert_int_eq(ob_reserved(&o, "SKU-B"), 1);
	r = th_call("POST", o.platform, NULL, "/v1/orders/%s/release-hold", id);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "allocated");
	th_resp_free(r);
	r = th_call("POST", o.platform, NULL, "/v1/orders/%s/release-hold", id);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_msg(strstr(th_str(r->json, "detail"), "release_hold is allowed from on_hold") != NULL,
	              "%s", r->body);
	th_resp_free(r);
}
END_TEST

START_TEST(pop_orders_are_created_for_the_seller_to_ship)
{
	struct ob_world o;
	char g[15], e[14];
	ob_world_new(&o);
	ob_sku_new(&o, "SKU-P", g, e); /* no stock anywhere: pop needs none */
	struct th_resp *r = ob_order(&o, th_code("MP"), "pop",
	                             "[{\"sku\":\"SKU-P\",\"qty\":2,\"unit_price\":1500}]", 3000);
	ck_assert_msg(r->status == 201, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "created");
	ck_assert(cJSON_IsNull(th_at(r->json, "warehouse")));
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "held");
	th_resp_free(r);
}
END_TEST

START_TEST(sellers_see_their_own_orders_and_staff_their_warehouses)
{
	struct ob_world o, other;
	stocked(&o);
	stocked(&other);
	struct th_resp *r = ob_order(&o, th_code("MP"), "semi_warehouse",
	                             "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":100}]", 100);
	char id[37];
	snprintf(id, sizeof id, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_expect(th_call("GET", o.w.seller_key, NULL, "/v1/orders/%s", id), 200);
	th_expect(th_call("GET", o.w.staff, NULL, "/v1/orders/%s", id), 200);
	th_expect(th_call("GET", other.w.seller_key, NULL, "/v1/orders/%s", id), 404);
	th_expect(th_call("GET", other.w.staff, NULL, "/v1/orders/%s", id), 404);
	r = th_call("GET", other.w.seller_key, NULL, "/v1/orders");
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 0);
	th_resp_free(r);
	r = th_call("GET", o.w.staff, NULL, "/v1/orders?state=allocated");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	th_resp_free(r);
	/* sellers and staff cannot create or cancel */
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/orders/%s/cancel", id), 403);
	ck_assert(th_problem(th_call("GET", o.platform, NULL, "/v1/orders?state=lost"), 400, NULL, NULL));
}
END_TEST

START_TEST(bad_orders_are_422_naming_the_field_and_write_nothing)
{
	struct ob_world o;
	stocked(&o);
	long long before = th_rows_total();
	ck_assert(th_problem(ob_order(&o, th_code("MP"), "drop_ship",
	                    "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":100}]", 100), 422, "mode", NULL));
	ck_assert(th_problem(ob_order(&o, th_code("MP"), "full",
	                    "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":100}]", 100), 422,
	           "lines[0].supply_price", "required"));
	ck_assert(th_problem(ob_order(&o, th_code("MP"), "semi_warehouse",
	                    "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":100}]", 99), 422, "amount_paid",
	           "mismatch"));
	ck_assert(th_problem(ob_order(&o, th_code("MP"), "semi_warehouse",
	                    "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":100},"
	                    "{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":100}]", 200), 422, "lines",
	           "duplicate"));
	ck_assert(th_problem(ob_order(&o, th_code("MP"), "semi_warehouse",
	                    "[{\"sku\":\"NOPE\",\"qty\":1,\"unit_price\":100}]", 100), 422,
	           "lines[0].sku", "not_found"));
	ck_assert(th_problem(ob_order(&o, th_code("MP"), "semi_warehouse",
	                    "[{\"sku\":\"SKU-A\",\"qty\":0,\"unit_price\":100}]", 0), 422, "lines[0].qty",
	           NULL));
	ck_assert(th_problem(th_reqf("POST", "/v1/orders", o.platform,
	                   "{\"client_order_id\":\"X-1\",\"seller\":\"%s\",\"mode\":\"full\","
	                   "\"destination\":{\"name\":\"A\",\"address\":\"B\",\"city\":\"C\","
	                   "\"country\":\"ZZ\"},\"lines\":[{\"sku\":\"SKU-A\",\"qty\":1,"
	                   "\"unit_price\":1,\"supply_price\":1}],\"currency\":\"EUR\","
	                   "\"amount_paid\":1,\"placed_at\":\"2099-01-01T00:00:00Z\"}", o.w.seller),
	           422, "placed_at", "future"));
	ck_assert(th_problem(th_reqf("POST", "/v1/orders", o.platform,
	                   "{\"client_order_id\":\"X-1\",\"seller\":\"NO-SUCH-SELLER\",\"mode\":\"pop\","
	                   "\"destination\":{\"name\":\"A\",\"address\":\"B\",\"city\":\"C\","
	                   "\"country\":\"ES\"},\"lines\":[{\"sku\":\"SKU-A\",\"qty\":1,"
	                   "\"unit_price\":1}],\"currency\":\"EUR\","
	                   "\"amount_paid\":1,\"placed_at\":\"2026-01-01T00:00:00Z\"}"),
	           422, "seller", "not_found"));
	ck_assert(th_problem(th_reqf("POST", "/v1/orders", o.platform,
	                   "{\"client_order_id\":\"X-1\",\"seller\":\"%s\",\"mode\":\"pop\","
	                   "\"destination\":{\"name\":\"A\",\"address\":\"B\",\"city\":\"C\","
	                   "\"country\":\"ES\"},\"lines\":[{\"sku\":\"SKU-A\",\"qty\":1,"
	                   "\"unit_price\":1}],\"currency\":\"USD\","
	                   "\"amount_paid\":1,\"placed_at\":\"2026-01-01T00:00:00Z\"}", o.w.seller),
	           422, "currency", "mismatch"));
	ck_assert_int_eq(th_rows_total(), before);
	th_expect(th_call("POST", o.w.seller_key, "{}", "/v1/orders"), 403);
}
END_TEST

START_TEST(destination_without_a_zone_is_422)
{
	struct ob_world o;
	stocked(&o);
	ck_assert(th_problem(th_reqf("POST", "/v1/orders", o.platform,
	                   "{\"client_order_id\":\"%s\",\"seller\":\"%s\",\"mode\":\"semi_warehouse\","
	                   "\"destination\":{\"name\":\"A\",\"address\":\"B\",\"city\":\"C\","
	                   "\"country\":\"IS\"},\"lines\":[{\"sku\":\"SKU-A\",\"qty\":1,"
	                   "\"unit_price\":1}],\"currency\":\"EUR\","
	                   "\"amount_paid\":1,\"placed_at\":\"2026-01-01T00:00:00Z\"}",
	                   th_code("MP"), o.w.seller),
	           422, "destination.country", "no_zone"));
	ck_assert_int_eq(ob_reserved(&o, "SKU-A"), 0);
}
END_TEST

Suite *orders_suite(void);
Suite *orders_suite(void)
{
	Suite *s = suite_create("orders");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, order_is_allocated_where_the_stock_is_and_the_route_meets_the_promise);
	tcase_add_test(tc, lots_are_reserved_first_expired_first_out_and_never_from_the_dock);
	tcase_add_test(tc, same_client_order_id_replays_and_another_body_is_refused);
	tcase_add_test(tc, cancel_releases_the_reservation_and_refunds);
	tcase_add_test(tc, hold_keeps_the_reservation_and_release_returns_to_the_held_state);
	tcase_add_test(tc, pop_orders_are_created_for_the_seller_to_ship);
	tcase_add_test(tc, sellers_see_their_own_orders_and_staff_their_warehouses);
	tcase_add_test(tc, bad_orders_are_422_naming_the_field_and_write_nothing);
	tcase_add_test(tc, destination_without_a_zone_is_422);
	suite_add_tcase(s, tc);
	return s;
}
