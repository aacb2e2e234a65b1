/* check_order.c — unit tests for wms/order: the order state table (every state and action
 * pair against a table written out independently), the texts and arrays SQL gets, the mode
 * rule, the parcel estimate, and what a seller's own shipment may carry. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "wms/order.h"

enum { CR = WMS_ORDER_CREATED, AL = WMS_ORDER_ALLOCATED, PI = WMS_ORDER_PICKING,
       PA = WMS_ORDER_PACKED, SH = WMS_ORDER_SHIPPED, DE = WMS_ORDER_DELIVERED,
       HO = WMS_ORDER_ON_HOLD, CA = WMS_ORDER_CANCELLED, UN = WMS_ORDER_UNFULFILLABLE, NO = -1 };

/* want[state][action]: the target, or NO. Columns: allocate, reject, start_pick, release_pick,
 * pack, ship, ship_by_seller, confirm_receipt, hold, release_hold, cancel, ship_from_hub,
 * deliver. release_hold's target HO stands for "the state it was held in". */
static const int want[WMS_ORDER_STATE_COUNT][WMS_ORDER_ACTION_COUNT] = {
	[WMS_ORDER_CREATED]       = {AL, UN, NO, NO, NO, NO, SH, NO, HO, NO, CA, SH, NO},
	[WMS_ORDER_ALLOCATED]     = {NO, UN, PI, NO, NO, NO, NO, NO, HO, NO, CA, NO, NO},
	[WMS_ORDER_PICKING]       = {NO, UN, NO, AL, PA, NO, NO, NO, NO, NO, NO, NO, NO},
	[WMS_ORDER_PACKED]        = {NO, NO, NO, NO, NO, SH, NO, NO, NO, NO, NO, NO, NO},
	[WMS_ORDER_SHIPPED]       = {NO, NO, NO, NO, NO, NO, NO, DE, NO, NO, NO, NO, DE},
	[WMS_ORDER_DELIVERED]     = {NO, NO, NO, NO, NO, NO, NO, DE, NO, NO, NO, NO, NO},
	[WMS_ORDER_ON_HOLD]       = {NO, NO, NO, NO, NO, NO, NO, NO, NO, HO, CA, NO, NO},
	[WMS_ORDER_CANCELLED]     = {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO},
	[WMS_ORDER_UNFULFILLABLE] = {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO},
};

START_TEST(every_state_and_action_pair_follows_the_table)
{
	for (int s = 0; s < WMS_ORDER_STATE_COUNT; s++) {
		for (int a = 0; a < WMS_ORDER_ACTION_COUNT; a++) {
			bool can = wms_order_can((enum wms_order_state)s, (enum wms_order_action)a);
			ck_assert_msg(can == (want[s][a] != NO), "%s from %s: %s",
			              wms_order_action_name((enum wms_order_action)a),
			              wms_order_state_name((enum wms_order_state)s),
			              can ? "allowed, should be refused" : "refused, should be allowed");
			if (can)
				ck_assert_int_eq(wms_order_target((enum wms_order_action)a), want[s][a]);
		}
	}
}
END_TEST

START_TEST(final_states_allow_nothing)
{
	const enum wms_order_state finals[] = {WMS_ORDER_CANCELLED, WMS_ORDER_UNFULFILLABLE};
	for (size_t i = 0; i < 2; i++)
		for (int a = 0; a < WMS_ORDER_ACTION_COUNT; a++)
			ck_assert(!wms_order_can(finals[i], (enum wms_order_action)a));
}
END_TEST

START_TEST(a_delivered_order_only_settles)
{
	for (int a = 0; a < WMS_ORDER_ACTION_COUNT; a++)
		ck_assert(wms_order_can(WMS_ORDER_DELIVERED, (enum wms_order_action)a) ==
		          (a == WMS_ORDER_DO_CONFIRM_RECEIPT));
}
END_TEST

START_TEST(names_parse_back_and_unknown_names_are_refused)
{
	enum wms_order_state st;
	for (int s = 0; s < WMS_ORDER_STATE_COUNT; s++) {
		ck_assert_int_eq(wms_order_state_parse(wms_order_state_name((enum wms_order_state)s), &st), 0);
		ck_assert_int_eq(st, s);
	}
	ck_assert_int_eq(wms_order_state_parse("On_hold", &st), -1);
	ck_assert_int_eq(wms_order_state_parse("", &st), -1);
	ck_assert_int_eq(wms_order_state_parse(NULL, &st), -1);
}
END_TEST

START_TEST(allowed_states_as_sql_array_and_sentence)
{
	char buf[96], text[160];
	ck_assert_int_eq(wms_order_allowed_pg_array(WMS_ORDER_DO_CANCEL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{created,allocated,on_hold}");
	ck_assert_int_eq(wms_order_allowed_pg_array(WMS_ORDER_DO_SHIP, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{packed}");
	ck_assert_int_eq(wms_order_allowed_pg_array(WMS_ORDER_DO_CANCEL, buf, 10), -1);
	ck_assert_str_eq(buf, "");
	wms_order_allowed_text(WMS_ORDER_DO_RELEASE_HOLD, text, sizeof text);
	ck_assert_str_eq(text, "release_hold is allowed from on_hold");
}
END_TEST

START_TEST(orders_take_full_semi_warehouse_pop_and_semi_jit)
{
	char err[160];
	ck_assert_int_eq(wms_order_mode_check("full", err, sizeof err), 0);
	ck_assert_int_eq(wms_order_mode_check("semi_warehouse", err, sizeof err), 0);
	ck_assert_int_eq(wms_order_mode_check("pop", err, sizeof err), 0);
	ck_assert_int_eq(wms_order_mode_check("semi_jit", err, sizeof err), 0);
	ck_assert_int_eq(wms_order_mode_check("drop", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "semi_jit") != NULL, "%s", err);
	ck_assert(!wms_order_mode_stocked("semi_jit"));
	ck_assert(wms_order_mode_stocked("full") && wms_order_mode_stocked("semi_warehouse"));
	ck_assert(!wms_order_mode_stocked("pop") && !wms_order_mode_stocked(NULL));
}
END_TEST

START_TEST(parcel_stacks_units_flat_and_sums_weight)
{
	/* 3 × (60 g, 80×60×40) and 1 × (450 g, 90×180×90): longest 180, widest 90, stack
	 * 3×40 + 90 = 210 → dims 210, 180, 90 (longest first); 3×60 + 450 = 630 g */
	struct wms_order_units u[] = {{60, {80, 60, 40}, 3}, {450, {90, 180, 90}, 1}};
	int32_t w, d[3];
	ck_assert_int_eq(wms_order_parcel(u, 2, &w, d), 0);
	ck_assert_int_eq(w, 630);
	ck_assert_int_eq(d[0], 210);
	ck_assert_int_eq(d[1], 180);
	ck_assert_int_eq(d[2], 90);
}
END_TEST

START_TEST(parcel_refuses_nothing_nonsense_and_overflow)
{
	struct wms_order_units ok = {100, {10, 10, 10}, 1};
	struct wms_order_units zero = {100, {10, 0, 10}, 1};
	struct wms_order_units huge = {INT32_MAX, {10, 10, 10}, 2};
	int32_t w = 7, d[3] = {7, 7, 7};
	ck_assert_int_eq(wms_order_parcel(&ok, 0, &w, d), -1);
	ck_assert_int_eq(wms_order_parcel(&zero, 1, &w, d), -1);
	ck_assert_int_eq(wms_order_parcel(&huge, 1, &w, d), -1);
	ck_assert_int_eq(w, 7); /* untouched on refusal */
}
END_TEST

START_TEST(tracking_numbers_are_letters_digits_and_inner_hyphens)
{
	static const char *const good[] = {"RR473124829GB", "1Z999AA10123456784", "7",
	                                   "JD014600006281234567", "abc-123-XYZ", NULL};
	static const char *const bad[] = {"", " RR473124829GB", "RR 473124829GB", "-12345",
	                                  "12345-", "AB/12", "ÄB12", "AB\t12", NULL};
	char err[128], s65[66];
	for (int i = 0; good[i]; i++)
		ck_assert_msg(wms_order_tracking_check(good[i], err, sizeof err) == 0, "%s: %s", good[i],
		              err);
	for (int i = 0; bad[i]; i++) {
		err[0] = '\0';
		ck_assert_msg(wms_order_tracking_check(bad[i], err, sizeof err) != 0, "%s", bad[i]);
		ck_assert(err[0] != '\0');
	}
	memset(s65, 'A', 65);
	s65[65] = '\0';
	ck_assert_int_ne(wms_order_tracking_check(s65, err, sizeof err), 0);
	ck_assert_str_eq(err, "a tracking number has 1 to 64 characters");
	s65[64] = '\0';
	ck_assert_int_eq(wms_order_tracking_check(s65, err, sizeof err), 0);
	ck_assert_int_ne(wms_order_tracking_check(NULL, err, sizeof err), 0);
	ck_assert_int_ne(wms_order_tracking_check("AB_12", err, sizeof err), 0);
	ck_assert_str_eq(err, "a tracking number has letters, digits and inner hyphens only "
	                      "(character 3 is not one)");
}
END_TEST

/* The seller ships exactly the order modes no warehouse stocks. */
START_TEST(the_seller_ships_the_orders_no_warehouse_stocks)
{
	static const char *const modes[] = {"pop", "full", "semi_warehouse", NULL};
	char err[160];
	for (int i = 0; modes[i]; i++) {
		ck_assert_int_eq(wms_order_mode_check(modes[i], err, sizeof err), 0);
		bool listed = strstr(WMS_ORDER_SELLER_SHIPS, modes[i]) != NULL;
		ck_assert_msg(listed == !wms_order_mode_stocked(modes[i]), "%s", modes[i]);
	}
	ck_assert_str_eq(WMS_ORDER_SELLER_SHIPS, "{pop}");
}
END_TEST

Suite *order_suite(void);
Suite *order_suite(void)
{
	Suite *s = suite_create("order");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, every_state_and_action_pair_follows_the_table);
	tcase_add_test(tc, final_states_allow_nothing);
	tcase_add_test(tc, a_delivered_order_only_settles);
	tcase_add_test(tc, names_parse_back_and_unknown_names_are_refused);
	tcase_add_test(tc, allowed_states_as_sql_array_and_sentence);
	tcase_add_test(tc, orders_take_full_semi_warehouse_pop_and_semi_jit);
	tcase_add_test(tc, parcel_stacks_units_flat_and_sums_weight);
	tcase_add_test(tc, parcel_refuses_nothing_nonsense_and_overflow);
	tcase_add_test(tc, tracking_numbers_are_letters_digits_and_inner_hyphens);
	tcase_add_test(tc, the_seller_ships_the_orders_no_warehouse_stocks);
	suite_add_tcase(s, tc);
	return s;
}
