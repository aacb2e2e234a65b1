/* check_pick_list.c — unit tests for wms/pick_list: the pick list state table (every state
 * and action pair against a table written out independently), the arrays SQL gets, and the
 * names. */
#include <check.h>
#include <string.h>

#include "wms/pick_list.h"

enum { PI = WMS_PICK_LIST_PICKING, RE = WMS_PICK_LIST_RELEASED, DO = WMS_PICK_LIST_DONE,
       CA = WMS_PICK_LIST_CANCELLED, NO = -1 };

/* want[state][action]: the target, or NO. Columns: claim, scan, complete, release, dissolve. */
static const int want[WMS_PICK_LIST_STATE_COUNT][WMS_PICK_LIST_ACTION_COUNT] = {
	[WMS_PICK_LIST_PICKING]   = {NO, PI, DO, RE, CA},
	[WMS_PICK_LIST_RELEASED]  = {PI, NO, NO, NO, NO},
	[WMS_PICK_LIST_DONE]      = {NO, NO, NO, NO, NO},
	[WMS_PICK_LIST_CANCELLED] = {NO, NO, NO, NO, NO},
};

START_TEST(every_state_and_action_pair_follows_the_table)
{
	for (int s = 0; s < WMS_PICK_LIST_STATE_COUNT; s++) {
		for (int a = 0; a < WMS_PICK_LIST_ACTION_COUNT; a++) {
			enum wms_pick_list_state st = (enum wms_pick_list_state)s;
			enum wms_pick_list_action act = (enum wms_pick_list_action)a;
			bool can = wms_pick_list_can(st, act);
			ck_assert_msg(can == (want[s][a] != NO), "%s from %s: %s",
			              wms_pick_list_action_name(act), wms_pick_list_state_name(st),
			              can ? "allowed, should be refused" : "refused, should be allowed");
			if (can)
				ck_assert_int_eq(wms_pick_list_target(act), want[s][a]);
		}
	}
}
END_TEST

START_TEST(only_the_picking_operator_scans_and_done_and_cancelled_are_final)
{
	for (int a = 0; a < WMS_PICK_LIST_ACTION_COUNT; a++) {
		enum wms_pick_list_action act = (enum wms_pick_list_action)a;
		ck_assert(!wms_pick_list_can(WMS_PICK_LIST_DONE, act));
		ck_assert(!wms_pick_list_can(WMS_PICK_LIST_CANCELLED, act));
	}
	ck_assert(!wms_pick_list_can(WMS_PICK_LIST_RELEASED, WMS_PICK_LIST_DO_SCAN));
}
END_TEST

START_TEST(allowed_states_are_a_postgresql_array)
{
	char buf[48];
	ck_assert_int_eq(wms_pick_list_allowed_pg_array(WMS_PICK_LIST_DO_SCAN, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{picking}");
	ck_assert_int_eq(wms_pick_list_allowed_pg_array(WMS_PICK_LIST_DO_CLAIM, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{released}");
	ck_assert_int_eq(wms_pick_list_allowed_pg_array(WMS_PICK_LIST_DO_CLAIM, buf, 10), -1);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(names_parse_back_and_unknown_names_are_refused)
{
	enum wms_pick_list_state st;
	for (int s = 0; s < WMS_PICK_LIST_STATE_COUNT; s++) {
		const char *name = wms_pick_list_state_name((enum wms_pick_list_state)s);
		ck_assert_int_eq(wms_pick_list_state_parse(name, &st), 0);
		ck_assert_int_eq(st, s);
	}
	ck_assert_int_eq(wms_pick_list_state_parse("Picking", &st), -1);
	ck_assert_int_eq(wms_pick_list_state_parse("", &st), -1);
	ck_assert_int_eq(wms_pick_list_state_parse(NULL, &st), -1);
	ck_assert_str_eq(wms_pick_list_action_name(WMS_PICK_LIST_DO_DISSOLVE), "dissolve");
}
END_TEST

Suite *pick_list_suite(void);
Suite *pick_list_suite(void)
{
	Suite *s = suite_create("pick_list");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, every_state_and_action_pair_follows_the_table);
	tcase_add_test(tc, only_the_picking_operator_scans_and_done_and_cancelled_are_final);
	tcase_add_test(tc, allowed_states_are_a_postgresql_array);
	tcase_add_test(tc, names_parse_back_and_unknown_names_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
