/* check_inbound.c — unit tests for wms/inbound: the ASN state table, every (state, action) pair, and the mode rule. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "wms/inbound.h"

enum { B = WMS_INBOUND_BOOKED, T = WMS_INBOUND_IN_TRANSIT, A = WMS_INBOUND_ARRIVED,
       R = WMS_INBOUND_RECEIVING, C = WMS_INBOUND_CLOSED, X = WMS_INBOUND_CANCELLED, NO = -1 };

/* The expected table, written out independently: want[state][action] is the
 * next state, or NO. Columns: in_transit, arrive, receive_scan, close, cancel. */
static const int want[WMS_INBOUND_STATE_COUNT][WMS_INBOUND_ACTION_COUNT] = {
	[WMS_INBOUND_BOOKED]     = {T,  A,  NO, NO, X},
	[WMS_INBOUND_IN_TRANSIT] = {NO, A,  NO, NO, X},
	[WMS_INBOUND_ARRIVED]    = {NO, NO, R,  C,  NO},
	[WMS_INBOUND_RECEIVING]  = {NO, NO, R,  C,  NO},
	[WMS_INBOUND_CLOSED]     = {NO, NO, NO, NO, NO},
	[WMS_INBOUND_CANCELLED]  = {NO, NO, NO, NO, NO},
};

START_TEST(every_state_and_action_pair_follows_the_table)
{
	for (int s = 0; s < WMS_INBOUND_STATE_COUNT; s++) {
		for (int a = 0; a < WMS_INBOUND_ACTION_COUNT; a++) {
			enum wms_inbound_state next = (enum wms_inbound_state)99;
			int rc = wms_inbound_apply((enum wms_inbound_state)s, (enum wms_inbound_action)a, &next);
			bool can = wms_inbound_can((enum wms_inbound_state)s, (enum wms_inbound_action)a);
			if (want[s][a] == NO) {
				ck_assert_msg(rc == -1 && !can, "%s from %s should be refused",
				              wms_inbound_action_name((enum wms_inbound_action)a),
				              wms_inbound_state_name((enum wms_inbound_state)s));
				ck_assert_int_eq(next, 99);
			} else {
				ck_assert_msg(rc == 0 && can, "%s from %s should be allowed",
				              wms_inbound_action_name((enum wms_inbound_action)a),
				              wms_inbound_state_name((enum wms_inbound_state)s));
				ck_assert_int_eq(next, want[s][a]);
				ck_assert_int_eq(wms_inbound_target((enum wms_inbound_action)a), want[s][a]);
			}
		}
	}
}
END_TEST

START_TEST(allowed_from_lists_the_tables_states_and_counts_past_a_short_buffer)
{
	for (int a = 0; a < WMS_INBOUND_ACTION_COUNT; a++) {
		enum wms_inbound_state st[WMS_INBOUND_STATE_COUNT];
		size_t n = wms_inbound_allowed_from((enum wms_inbound_action)a, st, WMS_INBOUND_STATE_COUNT);
		size_t expect = 0;
		for (int s = 0; s < WMS_INBOUND_STATE_COUNT; s++)
			if (want[s][a] != NO)
				ck_assert_int_eq(st[expect++], s);
		ck_assert_uint_eq(n, expect);
	}
	/* a short buffer: the total is still reported, only max written */
	enum wms_inbound_state one[1];
	ck_assert_uint_eq(wms_inbound_allowed_from(WMS_INBOUND_DO_CANCEL, one, 1), 2);
	ck_assert_int_eq(one[0], WMS_INBOUND_BOOKED);
	ck_assert_uint_eq(wms_inbound_allowed_from(WMS_INBOUND_DO_CLOSE, NULL, 0), 2);
}
END_TEST

START_TEST(allowed_states_render_as_a_postgres_array)
{
	char buf[64];
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_CANCEL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{booked,in_transit}");
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_IN_TRANSIT, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{booked}");
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_ARRIVE, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{booked,in_transit}");
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_RECEIVE_SCAN, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{arrived,receiving}");
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_CLOSE, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{arrived,receiving}");
}
END_TEST

START_TEST(postgres_array_fits_exactly_or_is_refused_empty)
{
	char buf[64];
	/* exact fit and one byte short */
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_IN_TRANSIT, buf, 9), 0);
	ck_assert_str_eq(buf, "{booked}");
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_IN_TRANSIT, buf, 8), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(wms_inbound_allowed_pg_array(WMS_INBOUND_DO_IN_TRANSIT, buf, 0), -1);
}
END_TEST

START_TEST(state_and_action_names_round_trip)
{
	const char *states[] = {"booked", "in_transit", "arrived", "receiving", "closed", "cancelled"};
	for (int i = 0; i < WMS_INBOUND_STATE_COUNT; i++) {
		enum wms_inbound_state st;
		ck_assert_str_eq(wms_inbound_state_name((enum wms_inbound_state)i), states[i]);
		ck_assert_int_eq(wms_inbound_state_parse(states[i], &st), 0);
		ck_assert_int_eq(st, i);
	}
	const char *actions[] = {"in_transit", "arrive", "receive_scan", "close", "cancel"};
	for (int i = 0; i < WMS_INBOUND_ACTION_COUNT; i++) {
		enum wms_inbound_action act;
		ck_assert_str_eq(wms_inbound_action_name((enum wms_inbound_action)i), actions[i]);
		ck_assert_int_eq(wms_inbound_action_parse(actions[i], &act), 0);
		ck_assert_int_eq(act, i);
	}
}
END_TEST

START_TEST(unknown_state_or_action_name_is_refused)
{
	enum wms_inbound_state st;
	enum wms_inbound_action act;
	ck_assert_int_eq(wms_inbound_state_parse("Booked", &st), -1);
	ck_assert_int_eq(wms_inbound_state_parse("", &st), -1);
	ck_assert_int_eq(wms_inbound_state_parse(NULL, &st), -1);
	ck_assert_int_eq(wms_inbound_action_parse("receive", &act), -1);
	ck_assert_int_eq(wms_inbound_action_parse(NULL, &act), -1);
}
END_TEST

START_TEST(naming_an_impossible_state_aborts)
{
	(void)wms_inbound_state_name((enum wms_inbound_state)42);
}
END_TEST

START_TEST(only_semi_warehouse_and_full_take_inbound_shipments)
{
	char err[160];
	ck_assert_int_eq(wms_inbound_mode_check("semi_warehouse", err, sizeof err), 0);
	ck_assert_int_eq(wms_inbound_mode_check("full", err, sizeof err), 0);
	ck_assert_int_eq(wms_inbound_mode_check("pop", err, sizeof err), -1);
	ck_assert_str_eq(err, "mode pop keeps stock with the seller; "
	                      "inbound shipments are for semi_warehouse and full");
	ck_assert_int_eq(wms_inbound_mode_check("semi_jit", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "inbound shipments are for semi_warehouse and full"));
	ck_assert_int_eq(wms_inbound_mode_check("FULL", err, sizeof err), -1);
	ck_assert_str_eq(err, "unknown mode \"FULL\"; inbound shipments are for semi_warehouse and full");
	ck_assert_int_eq(wms_inbound_mode_check(NULL, err, sizeof err), -1);
	ck_assert_int_eq(wms_inbound_mode_check("pop", NULL, 0), -1);
}
END_TEST

Suite *inbound_suite(void);
Suite *inbound_suite(void)
{
	Suite *s = suite_create("inbound");
	TCase *tc = tcase_create("state_table");
	tcase_add_test(tc, every_state_and_action_pair_follows_the_table);
	tcase_add_test(tc, allowed_from_lists_the_tables_states_and_counts_past_a_short_buffer);
	tcase_add_test(tc, allowed_states_render_as_a_postgres_array);
	tcase_add_test(tc, postgres_array_fits_exactly_or_is_refused_empty);
	tcase_add_test(tc, state_and_action_names_round_trip);
	tcase_add_test(tc, unknown_state_or_action_name_is_refused);
	/* only when tests run in child processes: in-process, abort() ends the run */
	const char *fork_env = getenv("CK_FORK");
	if (!fork_env || strcmp(fork_env, "no") != 0)
		tcase_add_test_raise_signal(tc, naming_an_impossible_state_aborts, SIGABRT);
	suite_add_tcase(s, tc);
	tc = tcase_create("modes");
	tcase_add_test(tc, only_semi_warehouse_and_full_take_inbound_shipments);
	suite_add_tcase(s, tc);
	return s;
}
