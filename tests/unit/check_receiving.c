/* check_receiving.c — the close's discrepancy per line (wms/receiving.h): short, over,
 * damaged, expired, unexpected, and counts that would overflow. (What one scan does is the
 * SQL function receiving_scan's rule, tested through the server in receiving_flow.) */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "wms/receiving.h"

static struct wms_recv_discrepancy discrepancy(int64_t expected, int64_t good, int64_t damaged,
                                               int64_t expired)
{
	struct wms_recv_line l = {expected, good, damaged, expired};
	struct wms_recv_discrepancy x;
	char err[80];
	ck_assert_msg(wms_receive_discrepancy(&l, &x, err, sizeof err) == 0, "%s", err);
	return x;
}

START_TEST(short_line_counts_damaged_as_received)
{
	struct wms_recv_discrepancy x = discrepancy(10, 6, 1, 0);
	ck_assert_int_eq(x.short_qty, 3);
	ck_assert_int_eq(x.over_qty, 0);
	ck_assert_int_eq(x.damaged, 1);
	ck_assert_int_eq(x.unexpected, 0);
	ck_assert(x.has_discrepancy);
	x = discrepancy(7, 0, 0, 0);
	ck_assert_int_eq(x.short_qty, 7);
}
END_TEST

START_TEST(complete_line_has_no_discrepancy)
{
	ck_assert(!discrepancy(10, 10, 0, 0).has_discrepancy);
	ck_assert(!discrepancy(0, 0, 0, 0).has_discrepancy);
	ck_assert(!discrepancy(INT64_MAX, INT64_MAX, 0, 0).has_discrepancy);
}
END_TEST

START_TEST(over_line_reports_the_surplus_and_the_damaged)
{
	struct wms_recv_discrepancy x = discrepancy(10, 9, 3, 0);
	ck_assert_int_eq(x.short_qty, 0);
	ck_assert_int_eq(x.over_qty, 2);
	ck_assert_int_eq(x.damaged, 3);
}
END_TEST

START_TEST(expired_units_are_received_and_reported)
{
	struct wms_recv_discrepancy x = discrepancy(10, 6, 0, 4);
	ck_assert_int_eq(x.short_qty, 0);
	ck_assert_int_eq(x.expired, 4);
	ck_assert(x.has_discrepancy);
	x = discrepancy(10, 5, 1, 1);
	ck_assert_int_eq(x.short_qty, 3);
}
END_TEST

START_TEST(line_not_on_the_asn_is_all_unexpected)
{
	struct wms_recv_discrepancy x = discrepancy(0, 4, 2, 1);
	ck_assert_int_eq(x.short_qty, 0);
	ck_assert_int_eq(x.over_qty, 0);
	ck_assert_int_eq(x.unexpected, 7);
	ck_assert_int_eq(x.damaged, 2);
	ck_assert_int_eq(x.expired, 1);
}
END_TEST

START_TEST(overflowing_or_negative_counts_are_refused)
{
	struct wms_recv_discrepancy x;
	char err[80];
	struct wms_recv_line l = {1, INT64_MAX, 1, 0};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), -1);
	ck_assert_str_eq(err, "received quantity is too large");
	l = (struct wms_recv_line){1, INT64_MAX - 1, 0, 2};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), -1);
	l = (struct wms_recv_line){1, -1, 0, 0};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), -1);
	ck_assert_str_eq(err, "line quantities must not be negative");
	l = (struct wms_recv_line){1, 0, 0, -1};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), -1);
}
END_TEST

Suite *receiving_suite(void);
Suite *receiving_suite(void)
{
	Suite *s = suite_create("receiving");
	TCase *tc = tcase_create("discrepancy");
	tcase_add_test(tc, short_line_counts_damaged_as_received);
	tcase_add_test(tc, complete_line_has_no_discrepancy);
	tcase_add_test(tc, over_line_reports_the_surplus_and_the_damaged);
	tcase_add_test(tc, expired_units_are_received_and_reported);
	tcase_add_test(tc, line_not_on_the_asn_is_all_unexpected);
	tcase_add_test(tc, overflowing_or_negative_counts_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
