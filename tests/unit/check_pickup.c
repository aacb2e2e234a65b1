/* check_pickup.c — unit tests for wms/pickup: the pickup request state table (every state and
 * action pair against a table written out independently), the arrays SQL gets, the names. */
#include <check.h>
#include <string.h>

#include "wms/pickup.h"

enum { RQ = WMS_PICKUP_REQUESTED, PU = WMS_PICKUP_PUBLISHED, CO = WMS_PICKUP_COLLECTED,
       CA = WMS_PICKUP_CANCELLED, NO = -1 };

/* want[state][action]: the target, or NO. Columns: publish, unpublish, collect, cancel. */
static const int want[WMS_PICKUP_STATE_COUNT][WMS_PICKUP_ACTION_COUNT] = {
	[WMS_PICKUP_REQUESTED] = {PU, NO, NO, CA},
	[WMS_PICKUP_PUBLISHED] = {PU, RQ, CO, CA},
	[WMS_PICKUP_COLLECTED] = {NO, NO, NO, NO},
	[WMS_PICKUP_CANCELLED] = {NO, NO, NO, NO},
};

START_TEST(every_state_and_action_pair_follows_the_table)
{
	for (int s = 0; s < WMS_PICKUP_STATE_COUNT; s++)
		for (int a = 0; a < WMS_PICKUP_ACTION_COUNT; a++) {
			enum wms_pickup_state st = (enum wms_pickup_state)s;
			enum wms_pickup_action act = (enum wms_pickup_action)a;
			bool can = wms_pickup_can(st, act);
			ck_assert_msg(can == (want[s][a] != NO), "%s from %s: %s",
			              wms_pickup_action_name(act), wms_pickup_state_name(st),
			              can ? "allowed, should be refused" : "refused, should be allowed");
			if (can)
				ck_assert_int_eq(wms_pickup_target(act), want[s][a]);
		}
}
END_TEST

START_TEST(allowed_states_are_a_postgresql_array)
{
	char buf[48];
	ck_assert_int_eq(wms_pickup_allowed_pg_array(WMS_PICKUP_DO_COLLECT, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{published}");
	ck_assert_int_eq(wms_pickup_allowed_pg_array(WMS_PICKUP_DO_CANCEL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{requested,published}");
	/* exactly big enough, and one byte short */
	ck_assert_int_eq(wms_pickup_allowed_pg_array(WMS_PICKUP_DO_CANCEL, buf, 22), 0);
	ck_assert_int_eq(wms_pickup_allowed_pg_array(WMS_PICKUP_DO_CANCEL, buf, 21), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(wms_pickup_allowed_pg_array(WMS_PICKUP_DO_COLLECT, buf, 1), -1);
}
END_TEST

START_TEST(names_parse_back_and_unknown_names_are_refused)
{
	for (int s = 0; s < WMS_PICKUP_STATE_COUNT; s++) {
		enum wms_pickup_state out;
		ck_assert_int_eq(wms_pickup_state_parse(wms_pickup_state_name((enum wms_pickup_state)s),
		                                        &out), 0);
		ck_assert_int_eq(out, s);
	}
	enum wms_pickup_state out;
	ck_assert_int_eq(wms_pickup_state_parse("Requested", &out), -1);
	ck_assert_int_eq(wms_pickup_state_parse(NULL, &out), -1);
	ck_assert_str_eq(wms_pickup_action_name(WMS_PICKUP_DO_UNPUBLISH), "unpublish");
}
END_TEST

Suite *pickup_suite(void);

Suite *pickup_suite(void)
{
	Suite *s = suite_create("pickup");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, every_state_and_action_pair_follows_the_table);
	tcase_add_test(tc, allowed_states_are_a_postgresql_array);
	tcase_add_test(tc, names_parse_back_and_unknown_names_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
