/* check_money.c — unit tests for wms/money: checked arithmetic, half-even rounding,
 * formatting. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "wms/money.h"

START_TEST(add_sub_mul_are_exact_up_to_int64_max)
{
	int64_t r = 7;
	ck_assert_int_eq(money_add(3600, -100, &r), 0);
	ck_assert_int_eq(r, 3500);
	ck_assert_int_eq(money_sub(100, 3600, &r), 0);
	ck_assert_int_eq(r, -3500);
	ck_assert_int_eq(money_mul(120, 30, &r), 0);
	ck_assert_int_eq(r, 3600);
	ck_assert_int_eq(money_mul(0, INT64_MAX, &r), 0);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(money_add(INT64_MAX - 1, 1, &r), 0);
	ck_assert_int_eq(r, INT64_MAX);
}
END_TEST

START_TEST(overflow_is_refused_and_leaves_the_result_untouched)
{
	int64_t r = 42;
	ck_assert_int_eq(money_add(INT64_MAX, 1, &r), -1);
	ck_assert_int_eq(money_add(INT64_MIN, -1, &r), -1);
	ck_assert_int_eq(money_sub(INT64_MIN, 1, &r), -1);
	ck_assert_int_eq(money_sub(0, INT64_MIN, &r), -1);
	ck_assert_int_eq(money_mul(INT64_MAX, 2, &r), -1);
	ck_assert_int_eq(money_mul(INT64_MIN, -1, &r), -1);
	ck_assert_int_eq(money_mul(INT64_C(3037000500), INT64_C(3037000500), &r), -1);
	ck_assert_int_eq(r, 42); /* untouched on failure */
}
END_TEST

START_TEST(full_range_amount_takes_a_rate_up_to_100_percent)
{
	int64_t r = 42;
	/* a product above 100% of INT64_MAX does not fit */
	ck_assert_int_eq(money_mul_bp(INT64_MAX, 10001, &r), -1);
	ck_assert_int_eq(money_mul_bp(INT64_MIN, 10001, &r), -1);
	ck_assert_int_eq(r, 42);
	/* but the 128-bit intermediate lets a full-range amount take a rate */
	ck_assert_int_eq(money_mul_bp(INT64_MAX, 10000, &r), 0);
	ck_assert_int_eq(r, INT64_MAX);
	ck_assert_int_eq(money_mul_bp(INT64_MIN, 10000, &r), 0);
	ck_assert_int_eq(r, INT64_MIN);
	ck_assert_int_eq(money_mul_bp(INT64_MAX, 5000, &r), 0);
	ck_assert_int_eq(r, INT64_C(4611686018427387904)); /* 2^62 - 0.5 → even 2^62 */
}
END_TEST

START_TEST(muldiv_refuses_a_zero_or_negative_divisor)
{
	int64_t r = 42;
	ck_assert_int_eq(money_muldiv(1, 1, 0, &r), -1);
	ck_assert_int_eq(money_muldiv(1, 1, -5, &r), -1);
	ck_assert_int_eq(r, 42);
}
END_TEST

/* x.5 of a minor unit rounds to the even neighbour, symmetric around zero */
START_TEST(half_a_minor_unit_rounds_to_the_even_neighbour)
{
	static const struct { int64_t n, want; } cases[] = {
		{ 5, 0 },    /* 0.5 → 0 */
		{ 15, 2 },   /* 1.5 → 2 */
		{ 25, 2 },   /* 2.5 → 2 */
		{ 35, 4 },   /* 3.5 → 4 */
		{ -5, 0 },   /* -0.5 → 0 */
		{ -15, -2 }, /* -1.5 → -2 */
		{ -25, -2 }, /* -2.5 → -2 */
		{ 14, 1 },   /* 1.4 → 1 */
		{ 16, 2 },   /* 1.6 → 2 */
		{ -14, -1 },
		{ -16, -2 },
		{ 20, 2 },
		{ 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t r = 99;
		ck_assert_int_eq(money_muldiv(cases[i].n, 1, 10, &r), 0);
		ck_assert_msg(r == cases[i].want, "%lld/10 gave %lld, want %lld",
		              (long long)cases[i].n, (long long)r, (long long)cases[i].want);
	}
}
END_TEST

START_TEST(basis_points_and_ppm_round_half_to_even)
{
	int64_t r;
	ck_assert_int_eq(money_mul_bp(2500, 800, &r), 0);  /* 8% of 25.00 */
	ck_assert_int_eq(r, 200);
	ck_assert_int_eq(money_mul_bp(1, 5000, &r), 0);    /* 0.5 → 0 */
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(money_mul_bp(3, 5000, &r), 0);    /* 1.5 → 2 */
	ck_assert_int_eq(r, 2);
	ck_assert_int_eq(money_mul_bp(5, 5000, &r), 0);    /* 2.5 → 2 */
	ck_assert_int_eq(r, 2);
	ck_assert_int_eq(money_mul_bp(-5, 5000, &r), 0);   /* -2.5 → -2 */
	ck_assert_int_eq(r, -2);
	ck_assert_int_eq(money_mul_bp(-3, 5000, &r), 0);   /* -1.5 → -2 */
	ck_assert_int_eq(r, -2);
	ck_assert_int_eq(money_mul_bp(1250, 250, &r), 0);  /* 31.25 → 31 */
	ck_assert_int_eq(r, 31);
	ck_assert_int_eq(money_mul_bp(1270, 250, &r), 0);  /* 31.75 → 32 */
	ck_assert_int_eq(r, 32);
	ck_assert_int_eq(money_mul_ppm(1000, 2500, &r), 0); /* 2.5 → 2 */
	ck_assert_int_eq(r, 2);
	ck_assert_int_eq(money_mul_ppm(1000, 3500, &r), 0); /* 3.5 → 4 */
	ck_assert_int_eq(r, 4);
	ck_assert_int_eq(money_mul_ppm(123456789, 1000000, &r), 0);
	ck_assert_int_eq(r, 123456789);
	ck_assert_int_eq(money_mul_bp(100, -10000, &r), 0);
	ck_assert_int_eq(r, -100);
}
END_TEST

START_TEST(format_places_the_decimal_point_by_the_exponent)
{
	char buf[MONEY_FMT_MAX];
	ck_assert_int_eq(money_format(3600, "USD", 2, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "36.00 USD");
	ck_assert_int_eq(money_format(1200, "KRW", 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1200 KRW");
	ck_assert_int_eq(money_format(1500, "BHD", 3, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1.500 BHD");
	ck_assert_int_eq(money_format(-5, "USD", 2, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "-0.05 USD");
	ck_assert_int_eq(money_format(0, "EUR", 2, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "0.00 EUR");
	ck_assert_int_eq(money_format(7, NULL, 2, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "0.07");
	ck_assert_int_eq(money_format(INT64_MIN, "USD", 2, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "-92233720368547758.08 USD");
	ck_assert_int_eq(money_format(INT64_MAX, "XXX", 18, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "9.223372036854775807 XXX");
}
END_TEST

START_TEST(format_refuses_an_exponent_out_of_range_or_a_short_buffer)
{
	char buf[MONEY_FMT_MAX];
	ck_assert_int_eq(money_format(1, "USD", 19, buf, sizeof buf), -1);
	ck_assert_int_eq(money_format(1, "USD", -1, buf, sizeof buf), -1);
	ck_assert_int_eq(money_format(3600, "USD", 2, buf, 9), -1); /* needs 10 */
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(money_format(3600, "USD", 2, buf, 10), 0);
	ck_assert_str_eq(buf, "36.00 USD");
}
END_TEST

START_TEST(format_fixed_drops_trailing_zeros_down_to_min_decimals)
{
	char buf[MONEY_FMT_MAX];
	ck_assert_int_eq(money_format_fixed(2400, 3, 1, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "2.4");
	ck_assert_int_eq(money_format_fixed(12000000, 9, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "0.012");
	ck_assert_int_eq(money_format_fixed(800, 2, 2, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "8.00");
	ck_assert_int_eq(money_format_fixed(5000, 2, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "50");
	ck_assert_int_eq(money_format_fixed(-1250, 2, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "-12.5");
	ck_assert_int_eq(money_format_fixed(1, 2, 3, buf, sizeof buf), -1);
}
END_TEST

START_TEST(currency_code_is_three_upper_case_letters)
{
	struct money a;
	ck_assert(money_code_valid("USD"));
	ck_assert(!money_code_valid("usd"));
	ck_assert(!money_code_valid("US"));
	ck_assert(!money_code_valid("USDX"));
	ck_assert(!money_code_valid(NULL));
	ck_assert_int_eq(money_set(&a, 150, "USD"), 0);
	ck_assert_int_eq(money_set(&a, 1, "usd"), -1);
}
END_TEST

START_TEST(sum_and_diff_need_one_currency_and_no_overflow)
{
	struct money a, b, c;
	ck_assert_int_eq(money_set(&a, 150, "USD"), 0);
	ck_assert_int_eq(money_set(&b, 250, "USD"), 0);
	ck_assert_int_eq(money_sum(&a, &b, &c), 0);
	ck_assert_int_eq(c.minor, 400);
	ck_assert_str_eq(c.currency, "USD");
	ck_assert_int_eq(money_diff(&a, &b, &a), 0); /* aliasing */
	ck_assert_int_eq(a.minor, -100);
	ck_assert_int_eq(money_set(&b, 1, "EUR"), 0);
	ck_assert_int_eq(money_sum(&a, &b, &c), -1);
	ck_assert_int_eq(c.minor, 400);
	ck_assert_int_eq(money_set(&a, INT64_MAX, "EUR"), 0);
	ck_assert_int_eq(money_sum(&a, &b, &c), -1);
}
END_TEST

Suite *money_suite(void);

Suite *money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("arithmetic");
	tcase_add_test(tc, add_sub_mul_are_exact_up_to_int64_max);
	tcase_add_test(tc, overflow_is_refused_and_leaves_the_result_untouched);
	tcase_add_test(tc, full_range_amount_takes_a_rate_up_to_100_percent);
	tcase_add_test(tc, muldiv_refuses_a_zero_or_negative_divisor);
	tcase_add_test(tc, half_a_minor_unit_rounds_to_the_even_neighbour);
	tcase_add_test(tc, basis_points_and_ppm_round_half_to_even);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, format_places_the_decimal_point_by_the_exponent);
	tcase_add_test(tc, format_refuses_an_exponent_out_of_range_or_a_short_buffer);
	tcase_add_test(tc, format_fixed_drops_trailing_zeros_down_to_min_decimals);
	suite_add_tcase(s, tc);
	tc = tcase_create("struct_money");
	tcase_add_test(tc, currency_code_is_three_upper_case_letters);
	tcase_add_test(tc, sum_and_diff_need_one_currency_and_no_overflow);
	suite_add_tcase(s, tc);
	return s;
}
