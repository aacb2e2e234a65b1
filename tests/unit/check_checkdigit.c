/* check_checkdigit.c — unit tests for wms/checkdigit: the GS1 mod-10 check digit and the
 * GTIN, SSCC and GLN validators built on it. (wms/codes has its own suite, check_codes.c.) */
#include <check.h>
#include <string.h>

#include "wms/checkdigit.h"

START_TEST(check_digit_matches_gs1_examples_at_any_length)
{
	ck_assert_int_eq(wms_gs1_check_digit("400638133393", 12), 1);
	ck_assert_int_eq(wms_gs1_check_digit("03600029145", 11), 2);
	ck_assert_int_eq(wms_gs1_check_digit("9638507", 7), 4);
	ck_assert_int_eq(wms_gs1_check_digit("00614141123456789", 17), 0);
	/* zero padding on the left changes nothing */
	ck_assert_int_eq(wms_gs1_check_digit("0400638133393", 13), 1);
	ck_assert_int_eq(wms_gs1_check_digit("", 0), 0);
	ck_assert_int_eq(wms_gs1_check_digit("1", 1), 7);
	/* any length */
	ck_assert_int_eq(wms_gs1_check_digit("12345678901234567890123456789", 29), 5);
}
END_TEST

START_TEST(check_digit_of_a_non_digit_is_minus_one)
{
	ck_assert_int_eq(wms_gs1_check_digit("12a4", 4), -1);
}
END_TEST

START_TEST(only_the_computed_check_digit_verifies)
{
	/* for a spread of bodies, exactly one final digit verifies, and it is
	 * the computed one */
	char s[14];
	for (unsigned seed = 1; seed < 2000; seed++) {
		unsigned x = seed * 2654435761u;
		for (int i = 0; i < 12; i++) {
			s[i] = (char)('0' + x % 10);
			x = x / 10 + seed * (unsigned)(i + 7);
		}
		int cd = wms_gs1_check_digit(s, 12);
		int ok = 0;
		for (char c = '0'; c <= '9'; c++) {
			s[12] = c;
			if (wms_gs1_verify(s, 13, NULL, 0) == 0) {
				ok++;
				ck_assert_int_eq(c - '0', cd);
			}
		}
		ck_assert_int_eq(ok, 1);
	}
}
END_TEST

START_TEST(verify_names_the_check_digit_it_expected)
{
	char err[80];
	ck_assert_int_eq(wms_gs1_verify("4006381333931", 13, err, sizeof err), 0);
	ck_assert_int_eq(wms_gs1_verify("4006381333933", 13, err, sizeof err), -1);
	ck_assert_str_eq(err, "check digit is 3, expected 1");
	ck_assert_int_eq(wms_gs1_verify("400638133393X", 13, err, sizeof err), -1);
	ck_assert_str_eq(err, "contains a non-digit");
	ck_assert_int_eq(wms_gs1_verify("7", 1, err, sizeof err), -1);
	ck_assert_int_eq(wms_gs1_verify("17", 2, NULL, 0), 0);
}
END_TEST

START_TEST(verify_truncates_its_reason_to_a_tiny_buffer)
{
	char tiny[6];
	ck_assert_int_eq(wms_gs1_verify("4006381333933", 13, tiny, sizeof tiny), -1);
	ck_assert_str_eq(tiny, "check");
}
END_TEST

START_TEST(gtin_of_8_12_13_or_14_digits_normalizes_to_14)
{
	char out[15], err[80];
	ck_assert_int_eq(wms_gtin_normalize("4006381333931", out, err, sizeof err), 0);
	ck_assert_str_eq(out, "04006381333931");
	ck_assert_int_eq(wms_gtin_normalize("036000291452", out, err, sizeof err), 0);
	ck_assert_str_eq(out, "00036000291452");
	ck_assert_int_eq(wms_gtin_normalize("96385074", out, err, sizeof err), 0);
	ck_assert_str_eq(out, "00000096385074");
	ck_assert_int_eq(wms_gtin_normalize("19506000134366", out, err, sizeof err), 0);
	ck_assert_str_eq(out, "19506000134366");
}
END_TEST

START_TEST(invalid_gtin_is_refused_with_its_reason_and_output_untouched)
{
	char out[15] = "untouched", err[80];
	ck_assert_int_eq(wms_gtin_normalize("4006381333935", out, err, sizeof err), -1);
	ck_assert_str_eq(err, "check digit is 5, expected 1");
	ck_assert_str_eq(out, "untouched");
	ck_assert_int_eq(wms_gtin_normalize("40063813339", out, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN must be 8, 12, 13 or 14 digits");
	ck_assert_int_eq(wms_gtin_normalize("", out, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN must be 8, 12, 13 or 14 digits");
	ck_assert_int_eq(wms_gtin_normalize("400638133393100", out, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN must be 8, 12, 13 or 14 digits");
	ck_assert_int_eq(wms_gtin_normalize("40063813339-1", out, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN contains a non-digit");
	ck_assert_int_eq(wms_gtin_normalize(" 4006381333931", out, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN contains a non-digit");
	ck_assert_str_eq(out, "untouched");
}
END_TEST

START_TEST(bounded_gtin_normalize_reads_only_n_bytes)
{
	char out[15], err[80];
	/* an embedded NUL inside the n bytes is a non-digit; bytes after n are never read */
	ck_assert_int_eq(wms_gtin_normalize_n("40063813\0003931", 13, out, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN contains a non-digit");
	ck_assert_int_eq(wms_gtin_normalize_n("4006381333931XYZ", 13, out, err, sizeof err), 0);
	ck_assert_str_eq(out, "04006381333931");
}
END_TEST

START_TEST(sscc_is_18_digits_with_a_valid_check_digit)
{
	char err[80];
	ck_assert_int_eq(wms_sscc_validate("006141411234567890", err, sizeof err), 0);
	ck_assert_int_eq(wms_sscc_validate("006141411234567891", err, sizeof err), -1);
	ck_assert_str_eq(err, "check digit is 1, expected 0");
	ck_assert_int_eq(wms_sscc_validate("00614141123456789", err, sizeof err), -1);
	ck_assert_str_eq(err, "SSCC must be 18 digits");
	ck_assert_int_eq(wms_sscc_validate("0061414112345678900", err, sizeof err), -1);
	ck_assert_str_eq(err, "SSCC must be 18 digits");
	ck_assert_int_eq(wms_sscc_validate("00614141123456789O", err, sizeof err), -1);
	ck_assert_str_eq(err, "SSCC contains a non-digit");
}
END_TEST

START_TEST(gln_is_13_digits_with_a_valid_check_digit)
{
	char err[80];
	ck_assert_int_eq(wms_gln_validate("5412345000013", err, sizeof err), 0);
	ck_assert_int_eq(wms_gln_validate("5412345000012", err, sizeof err), -1);
	ck_assert_str_eq(err, "check digit is 2, expected 3");
	ck_assert_int_eq(wms_gln_validate("541234500001", err, sizeof err), -1);
	ck_assert_str_eq(err, "GLN must be 13 digits");
}
END_TEST

Suite *checkdigit_suite(void);
Suite *checkdigit_suite(void)
{
	Suite *s = suite_create("checkdigit");
	TCase *tc = tcase_create("check_digit");
	tcase_add_test(tc, check_digit_matches_gs1_examples_at_any_length);
	tcase_add_test(tc, check_digit_of_a_non_digit_is_minus_one);
	tcase_add_test(tc, only_the_computed_check_digit_verifies);
	tcase_add_test(tc, verify_names_the_check_digit_it_expected);
	tcase_add_test(tc, verify_truncates_its_reason_to_a_tiny_buffer);
	suite_add_tcase(s, tc);
	tc = tcase_create("identifiers");
	tcase_add_test(tc, gtin_of_8_12_13_or_14_digits_normalizes_to_14);
	tcase_add_test(tc, invalid_gtin_is_refused_with_its_reason_and_output_untouched);
	tcase_add_test(tc, bounded_gtin_normalize_reads_only_n_bytes);
	tcase_add_test(tc, sscc_is_18_digits_with_a_valid_check_digit);
	tcase_add_test(tc, gln_is_13_digits_with_a_valid_check_digit);
	suite_add_tcase(s, tc);
	return s;
}
