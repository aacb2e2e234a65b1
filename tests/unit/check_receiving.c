/* check_receiving.c — unit tests for wms/receiving: tolerance, confirmation, unexpected lines, discrepancies, overflow. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "wms/receiving.h"

static struct wms_recv_decision decide(int64_t expected, int64_t good, int64_t damaged,
                                       int64_t qty, enum wms_condition cond, bool confirm,
                                       uint32_t tol)
{
	struct wms_recv_line line = {expected, good, damaged};
	struct wms_recv_scan scan = {qty, cond, confirm};
	struct wms_recv_decision d;
	char err[80];
	int rc = wms_receive_decide(&line, &scan, tol, &d, err, sizeof err);
	ck_assert_msg(rc == 0, "decide failed: %s", err);
	return d;
}

START_TEST(test_accept_within_expected)
{
	struct wms_recv_decision d = decide(10, 0, 0, 1, WMS_COND_GOOD, false, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_ACCEPT);
	ck_assert_int_eq(d.next, WMS_NEXT_ITEM);
	ck_assert_int_eq(d.good_after, 1);
	ck_assert_int_eq(d.damaged_after, 0);
	ck_assert_int_eq(d.received_after, 1);
	ck_assert_int_eq(d.allowed_max, 11);
	ck_assert(!d.over_receipt && !d.unexpected && !d.line_complete);

	d = decide(10, 5, 4, 1, WMS_COND_DAMAGED, false, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_ACCEPT);
	ck_assert_int_eq(d.good_after, 5);
	ck_assert_int_eq(d.damaged_after, 5);
	ck_assert(d.line_complete && !d.over_receipt);
}
END_TEST

START_TEST(test_tolerance)
{
	/* 10 % of 10 = 1: 11 is fine, 12 needs confirmation */
	struct wms_recv_decision d = decide(10, 10, 0, 1, WMS_COND_GOOD, false, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_ACCEPT);
	ck_assert(d.over_receipt);
	d = decide(10, 11, 0, 1, WMS_COND_GOOD, false, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_NEEDS_CONFIRM);
	ck_assert_int_eq(d.next, WMS_NEXT_CONFIRM_OVER_RECEIPT);
	ck_assert_int_eq(d.good_after, 11); /* unchanged */
	ck_assert_int_eq(d.received_after, 11);
	/* damaged units count towards the tolerance */
	d = decide(10, 5, 6, 1, WMS_COND_GOOD, false, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_NEEDS_CONFIRM);
	/* confirmed: accepted */
	d = decide(10, 11, 0, 5, WMS_COND_GOOD, true, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_ACCEPT);
	ck_assert_int_eq(d.next, WMS_NEXT_ITEM);
	ck_assert_int_eq(d.good_after, 16);
	ck_assert(d.over_receipt);
	/* floor: 10 % of 9 = 0.9 → 0 */
	d = decide(9, 9, 0, 1, WMS_COND_GOOD, false, 1000);
	ck_assert_int_eq(d.allowed_max, 9);
	ck_assert_int_eq(d.verdict, WMS_RECV_NEEDS_CONFIRM);
	/* zero tolerance */
	d = decide(100, 100, 0, 1, WMS_COND_GOOD, false, 0);
	ck_assert_int_eq(d.verdict, WMS_RECV_NEEDS_CONFIRM);
	/* a large scan jumping over the limit at once */
	d = decide(100, 0, 0, 111, WMS_COND_GOOD, false, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_NEEDS_CONFIRM);
	d = decide(100, 0, 0, 110, WMS_COND_GOOD, false, 1000);
	ck_assert_int_eq(d.verdict, WMS_RECV_ACCEPT);
	/* 2.5 % of 1000 = 25 */
	d = decide(1000, 0, 0, 1, WMS_COND_GOOD, false, 250);
	ck_assert_int_eq(d.allowed_max, 1025);
	ck_assert_uint_eq(WMS_RECV_DEFAULT_TOLERANCE_BP, 1000);
}
END_TEST

START_TEST(test_unexpected_line)
{
	struct wms_recv_decision d = decide(0, 0, 0, 1000000, WMS_COND_GOOD, false, 0);
	ck_assert_int_eq(d.verdict, WMS_RECV_ACCEPT);
	ck_assert_int_eq(d.next, WMS_NEXT_ITEM);
	ck_assert(d.unexpected && !d.over_receipt && !d.line_complete);
	ck_assert_int_eq(d.good_after, 1000000);
	d = decide(0, 3, 0, 2, WMS_COND_DAMAGED, false, 1000);
	ck_assert_int_eq(d.damaged_after, 2);
	ck_assert_int_eq(d.received_after, 5);
}
END_TEST

START_TEST(test_overflow_and_invalid)
{
	struct wms_recv_decision d;
	char err[80];
	struct wms_recv_line line = {INT64_MAX, 0, 0};
	struct wms_recv_scan scan = {1, WMS_COND_GOOD, false};
	/* tolerance on a huge expected saturates instead of overflowing */
	ck_assert_int_eq(wms_receive_decide(&line, &scan, WMS_RECV_MAX_TOLERANCE_BP, &d, err, sizeof err), 0);
	ck_assert_int_eq(d.allowed_max, INT64_MAX);
	line = (struct wms_recv_line){INT64_MAX / 2, INT64_MAX / 2, 0};
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), 0);
	ck_assert_int_eq(d.allowed_max, INT64_MAX / 2 + INT64_MAX / 2 / 10);
	ck_assert_int_eq(d.verdict, WMS_RECV_ACCEPT);
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 20000, &d, err, sizeof err), 0);
	ck_assert_int_eq(d.allowed_max, INT64_MAX);

	line = (struct wms_recv_line){10, INT64_MAX, 0};
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), -1);
	ck_assert_str_eq(err, "quantity is too large");
	line = (struct wms_recv_line){10, INT64_MAX, 1};
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), -1);
	ck_assert_str_eq(err, "received quantity is too large");
	line = (struct wms_recv_line){10, 0, 0};
	scan.qty = INT64_MAX;
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), 0);
	ck_assert_int_eq(d.verdict, WMS_RECV_NEEDS_CONFIRM);
	scan.qty = 0;
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), -1);
	ck_assert_str_eq(err, "quantity must be at least 1");
	scan.qty = -3;
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), -1);
	scan.qty = 1;
	ck_assert_int_eq(wms_receive_decide(&line, &scan, WMS_RECV_MAX_TOLERANCE_BP + 1, &d, err, sizeof err), -1);
	ck_assert_str_eq(err, "over-receipt tolerance is out of range");
	scan.condition = (enum wms_condition)7;
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), -1);
	ck_assert_str_eq(err, "condition must be good or damaged");
	scan.condition = WMS_COND_GOOD;
	line = (struct wms_recv_line){-1, 0, 0};
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, err, sizeof err), -1);
	ck_assert_str_eq(err, "line quantities must not be negative");
	line = (struct wms_recv_line){1, 0, -1};
	ck_assert_int_eq(wms_receive_decide(&line, &scan, 1000, &d, NULL, 0), -1);
}
END_TEST

START_TEST(test_discrepancy)
{
	struct wms_recv_discrepancy x;
	char err[80];
	struct wms_recv_line l = {10, 6, 1};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), 0);
	ck_assert_int_eq(x.short_qty, 3);
	ck_assert_int_eq(x.over_qty, 0);
	ck_assert_int_eq(x.damaged, 1);
	ck_assert_int_eq(x.unexpected, 0);
	ck_assert(x.has_discrepancy);

	l = (struct wms_recv_line){10, 10, 0};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), 0);
	ck_assert(!x.has_discrepancy);

	l = (struct wms_recv_line){10, 9, 3};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), 0);
	ck_assert_int_eq(x.short_qty, 0);
	ck_assert_int_eq(x.over_qty, 2);
	ck_assert_int_eq(x.damaged, 3);

	l = (struct wms_recv_line){0, 4, 2};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), 0);
	ck_assert_int_eq(x.short_qty, 0);
	ck_assert_int_eq(x.over_qty, 0);
	ck_assert_int_eq(x.unexpected, 6);
	ck_assert_int_eq(x.damaged, 2);

	l = (struct wms_recv_line){7, 0, 0};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), 0);
	ck_assert_int_eq(x.short_qty, 7);

	l = (struct wms_recv_line){0, 0, 0};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), 0);
	ck_assert(!x.has_discrepancy);

	l = (struct wms_recv_line){INT64_MAX, INT64_MAX, 0};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), 0);
	ck_assert(!x.has_discrepancy);
	l = (struct wms_recv_line){1, INT64_MAX, 1};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), -1);
	ck_assert_str_eq(err, "received quantity is too large");
	l = (struct wms_recv_line){1, -1, 0};
	ck_assert_int_eq(wms_receive_discrepancy(&l, &x, err, sizeof err), -1);
}
END_TEST

START_TEST(test_names_and_next)
{
	enum wms_condition c;
	ck_assert_int_eq(wms_condition_parse("good", &c), 0);
	ck_assert_int_eq(c, WMS_COND_GOOD);
	ck_assert_int_eq(wms_condition_parse("damaged", &c), 0);
	ck_assert_int_eq(c, WMS_COND_DAMAGED);
	ck_assert_int_eq(wms_condition_parse("Damaged", &c), -1);
	ck_assert_int_eq(wms_condition_parse(NULL, &c), -1);
	ck_assert_str_eq(wms_condition_name(WMS_COND_DAMAGED), "damaged");
	ck_assert_str_eq(wms_recv_next_name(WMS_NEXT_ITEM), "item");
	ck_assert_str_eq(wms_recv_next_name(WMS_NEXT_CONFIRM_OVER_RECEIPT), "confirm_over_receipt");
	ck_assert_str_eq(wms_recv_next_name(WMS_NEXT_CLOSE), "close");
	ck_assert_int_eq(wms_receive_shipment_next(10, 9), WMS_NEXT_ITEM);
	ck_assert_int_eq(wms_receive_shipment_next(10, 10), WMS_NEXT_CLOSE);
	ck_assert_int_eq(wms_receive_shipment_next(10, 12), WMS_NEXT_CLOSE);
	ck_assert_int_eq(wms_receive_shipment_next(0, 5), WMS_NEXT_ITEM);
}
END_TEST

Suite *receiving_suite(void);
Suite *receiving_suite(void)
{
	Suite *s = suite_create("receiving");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_accept_within_expected);
	tcase_add_test(tc, test_tolerance);
	tcase_add_test(tc, test_unexpected_line);
	tcase_add_test(tc, test_overflow_and_invalid);
	tcase_add_test(tc, test_discrepancy);
	tcase_add_test(tc, test_names_and_next);
	suite_add_tcase(s, tc);
	return s;
}
