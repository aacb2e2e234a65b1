/* check_checkdigit.c — unit tests for wms/checkdigit (GS1 mod 10, GTIN/SSCC/GLN) and wms/codes (ISO 3166-1, ISO 4217). */
#include <check.h>
#include <string.h>

#include "wms/checkdigit.h"
#include "wms/codes.h"

START_TEST(test_check_digit_known)
{
	ck_assert_int_eq(wms_gs1_check_digit("400638133393", 12), 1);
	ck_assert_int_eq(wms_gs1_check_digit("03600029145", 11), 2);
	ck_assert_int_eq(wms_gs1_check_digit("9638507", 7), 4);
	ck_assert_int_eq(wms_gs1_check_digit("00614141123456789", 17), 0);
	/* zero padding on the left changes nothing */
	ck_assert_int_eq(wms_gs1_check_digit("0400638133393", 13), 1);
	ck_assert_int_eq(wms_gs1_check_digit("", 0), 0);
	ck_assert_int_eq(wms_gs1_check_digit("1", 1), 7);
	ck_assert_int_eq(wms_gs1_check_digit("12a4", 4), -1);
	/* any length */
	ck_assert_int_eq(wms_gs1_check_digit("12345678901234567890123456789", 29), 5);
}
END_TEST

START_TEST(test_exactly_one_check_digit)
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

START_TEST(test_verify)
{
	char err[80];
	ck_assert_int_eq(wms_gs1_verify("4006381333931", 13, err, sizeof err), 0);
	ck_assert_int_eq(wms_gs1_verify("4006381333933", 13, err, sizeof err), -1);
	ck_assert_str_eq(err, "check digit is 3, expected 1");
	ck_assert_int_eq(wms_gs1_verify("400638133393X", 13, err, sizeof err), -1);
	ck_assert_str_eq(err, "contains a non-digit");
	ck_assert_int_eq(wms_gs1_verify("7", 1, err, sizeof err), -1);
	ck_assert_int_eq(wms_gs1_verify("17", 2, NULL, 0), 0);
	/* a tiny error buffer is truncated, not overrun */
	char tiny[6];
	ck_assert_int_eq(wms_gs1_verify("4006381333933", 13, tiny, sizeof tiny), -1);
	ck_assert_str_eq(tiny, "check");
}
END_TEST

START_TEST(test_gtin_normalize_valid)
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

START_TEST(test_gtin_normalize_errors)
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
	/* bounded variant with an embedded NUL */
	ck_assert_int_eq(wms_gtin_normalize_n("40063813\0003931", 13, out, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN contains a non-digit");
	ck_assert_int_eq(wms_gtin_normalize_n("4006381333931XYZ", 13, out, err, sizeof err), 0);
	ck_assert_str_eq(out, "04006381333931");
}
END_TEST

START_TEST(test_sscc_gln)
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
	ck_assert_int_eq(wms_gln_validate("5412345000013", err, sizeof err), 0);
	ck_assert_int_eq(wms_gln_validate("5412345000012", err, sizeof err), -1);
	ck_assert_str_eq(err, "check digit is 2, expected 3");
	ck_assert_int_eq(wms_gln_validate("541234500001", err, sizeof err), -1);
	ck_assert_str_eq(err, "GLN must be 13 digits");
}
END_TEST

START_TEST(test_country)
{
	char err[100];
	const char *ok[] = {"GB", "ES", "NL", "BE", "KR", "CN", "US", "DE", "AX", "SS", "BQ", "CW", "ZW"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		ck_assert_msg(wms_country_valid(ok[i]), "%s should be valid", ok[i]);
	const char *bad[] = {"UK", "EU", "XK", "ZZ", "AA", "gb", "G", "GBR", "", " G", "G1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!wms_country_valid(bad[i]), "%s should be invalid", bad[i]);
	ck_assert(!wms_country_valid(NULL));
	ck_assert_int_eq(wms_country_check("GB", err, sizeof err), 0);
	ck_assert_int_eq(wms_country_check("UK", err, sizeof err), -1);
	ck_assert_str_eq(err, "UK is not an assigned ISO 3166-1 alpha-2 country code");
	ck_assert_int_eq(wms_country_check("gb", err, sizeof err), -1);
	ck_assert_str_eq(err, "country code must be two upper-case letters");
}
END_TEST

START_TEST(test_currency)
{
	char err[100];
	int e = -5;
	ck_assert_int_eq(wms_currency_exponent("USD"), 2);
	ck_assert_int_eq(wms_currency_exponent("EUR"), 2);
	ck_assert_int_eq(wms_currency_exponent("GBP"), 2);
	ck_assert_int_eq(wms_currency_exponent("CNY"), 2);
	ck_assert_int_eq(wms_currency_exponent("JPY"), 0);
	ck_assert_int_eq(wms_currency_exponent("KRW"), 0);
	ck_assert_int_eq(wms_currency_exponent("ISK"), 0);
	ck_assert_int_eq(wms_currency_exponent("BHD"), 3);
	ck_assert_int_eq(wms_currency_exponent("KWD"), 3);
	ck_assert_int_eq(wms_currency_exponent("TND"), 3);
	ck_assert_int_eq(wms_currency_exponent("CLF"), 4);
	ck_assert_int_eq(wms_currency_exponent("AED"), 2);
	ck_assert_int_eq(wms_currency_exponent("ZMW"), 2);
	ck_assert_int_eq(wms_currency_exponent("XCG"), 2);
	/* no minor unit, withdrawn, malformed */
	ck_assert_int_eq(wms_currency_exponent("XAU"), -1);
	ck_assert_int_eq(wms_currency_exponent("XXX"), -1);
	ck_assert_int_eq(wms_currency_exponent("HRK"), -1);
	ck_assert_int_eq(wms_currency_exponent("usd"), -1);
	ck_assert_int_eq(wms_currency_exponent("USDX"), -1);
	ck_assert_int_eq(wms_currency_exponent("US"), -1);
	ck_assert_int_eq(wms_currency_exponent(""), -1);
	ck_assert_int_eq(wms_currency_exponent(NULL), -1);
	ck_assert_int_eq(wms_currency_check("JPY", &e, err, sizeof err), 0);
	ck_assert_int_eq(e, 0);
	ck_assert_int_eq(wms_currency_check("ABC", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "ABC is not an active ISO 4217 currency");
	ck_assert_int_eq(wms_currency_check("eur", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "currency code must be three upper-case letters");
}
END_TEST

Suite *checkdigit_suite(void);
Suite *checkdigit_suite(void)
{
	Suite *s = suite_create("checkdigit");
	TCase *tc = tcase_create("gs1");
	tcase_add_test(tc, test_check_digit_known);
	tcase_add_test(tc, test_exactly_one_check_digit);
	tcase_add_test(tc, test_verify);
	tcase_add_test(tc, test_gtin_normalize_valid);
	tcase_add_test(tc, test_gtin_normalize_errors);
	tcase_add_test(tc, test_sscc_gln);
	suite_add_tcase(s, tc);
	TCase *codes = tcase_create("codes");
	tcase_add_test(codes, test_country);
	tcase_add_test(codes, test_currency);
	suite_add_tcase(s, codes);
	return s;
}
