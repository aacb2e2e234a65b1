/* check_codes.c — unit tests for wms/codes: ISO 3166-1 alpha-2 country codes and
 * ISO 4217 currency codes with their minor units, written against wms/codes.h.
 *
 * The sweeps over every two- and three-letter code check the tables as a whole
 * (the 249 assigned countries; the exponent of every accepted currency against
 * the ISO 4217 list of currencies whose minor unit is not 2), so that a typo, an
 * unsorted table (the look-ups binary-search) or a missing entry fails here. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "wms/codes.h"

/* Whether code is one of the NULL-terminated list. */
static int in_list(const char *code, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(code, *list) == 0)
			return 1;
	return 0;
}

/* Steps code, len upper-case letters, to the next in alphabetical order ("AZ" → "BA");
 * false after the last ("ZZ"). */
static bool next_code(char *code, size_t len)
{
	for (size_t i = len; i-- > 0;) {
		if (code[i] < 'Z') {
			code[i]++;
			return true;
		}
		code[i] = 'A';
	}
	return false;
}

/* ---- countries ------------------------------------------------------------ */

START_TEST(assigned_countries_are_valid)
{
	/* among them the newest: AX (2004), BQ, CW, SX (2010), SS (2011) */
	static const char *const ok[] = {"GB", "ES", "NL", "BE", "KR", "CN", "US", "DE", "AX",
	                                 "SS", "BQ", "CW", "SX", "ZW", "AD", "ZA", NULL};
	char err[100] = "";
	for (const char *const *c = ok; *c; c++) {
		ck_assert_msg(wms_country_valid(*c), "%s should be valid", *c);
		ck_assert_msg(wms_country_check(*c, err, sizeof err) == 0, "%s: %s", *c, err);
	}
}
END_TEST

START_TEST(exactly_249_country_codes_are_assigned)
{
	char code[] = "AA", err[100];
	int n = 0;
	do {
		bool valid = wms_country_valid(code);
		n += valid;
		/* the check with a reason agrees with the predicate on every code */
		ck_assert_msg((wms_country_check(code, err, sizeof err) == 0) == valid, "%s", code);
	} while (next_code(code, 2));
	ck_assert_int_eq(n, 249);
}
END_TEST

START_TEST(reserved_and_user_assigned_codes_are_not_countries)
{
	/* exceptionally reserved (UK, EU, UN), transitionally reserved (AN, YU, CS, TP),
	 * user-assigned (AA, QM..QZ, XA..XZ with XK for Kosovo, ZZ) */
	static const char *const reserved[] = {"UK", "EU", "UN", "AN", "YU", "CS", "TP", "AA", "ZZ",
	                                       NULL};
	char x[] = "XA", q[] = "QM";
	for (const char *const *c = reserved; *c; c++)
		ck_assert_msg(!wms_country_valid(*c), "%s should be invalid", *c);
	do
		ck_assert_msg(!wms_country_valid(x), "%s should be invalid", x);
	while (next_code(x + 1, 1));
	do
		ck_assert_msg(!wms_country_valid(q), "%s should be invalid", q);
	while (next_code(q + 1, 1));
}
END_TEST

START_TEST(country_code_must_be_exactly_two_upper_case_letters)
{
	/* matched exactly: not fixed up by case folding or trimming */
	static const char *const bad[] = {"gb", "Gb", "gB", "G", "GBR", "", " GB", "GB ", " G",
	                                  "G1", "1G", "G-", "G\xc3", "\xc3\x89", "GB\n", NULL};
	for (const char *const *c = bad; *c; c++)
		ck_assert_msg(!wms_country_valid(*c), "'%s' should be invalid", *c);
	ck_assert(!wms_country_valid(NULL));
}
END_TEST

START_TEST(country_check_says_why_a_code_is_refused)
{
	char err[100];
	ck_assert_int_eq(wms_country_check("UK", err, sizeof err), -1);
	ck_assert_str_eq(err, "UK is not an assigned ISO 3166-1 alpha-2 country code");
	ck_assert_int_eq(wms_country_check("XK", err, sizeof err), -1);
	ck_assert_str_eq(err, "XK is not an assigned ISO 3166-1 alpha-2 country code");
	ck_assert_int_eq(wms_country_check("gb", err, sizeof err), -1);
	ck_assert_str_eq(err, "country code must be two upper-case letters");
	ck_assert_int_eq(wms_country_check("GBR", err, sizeof err), -1);
	ck_assert_str_eq(err, "country code must be two upper-case letters");
	ck_assert_int_eq(wms_country_check("", err, sizeof err), -1);
	ck_assert_str_eq(err, "country code must be two upper-case letters");
	ck_assert_int_eq(wms_country_check(NULL, err, sizeof err), -1);
	ck_assert_str_eq(err, "country code must be two upper-case letters");
}
END_TEST

/* ---- currencies ----------------------------------------------------------- */

/* ISO 4217 List One: the active currencies whose minor unit is not 2, written out
 * independently of the table in codes.c. */
static const char *const exponent0[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF",
                                        "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
                                        "XAF", "XOF", "XPF", NULL};
static const char *const exponent3[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL};
static const char *const exponent4[] = {"CLF", "UYW", NULL};

/* Asserts that every code of the NULL-terminated list has exponent e (-1: is refused). */
static void assert_exponents(const char *const *list, int e)
{
	for (; *list; list++) {
		int got = wms_currency_exponent(*list);
		ck_assert_msg(got == e, "'%s' has exponent %d, want %d (-1: refused)", *list, got, e);
	}
}

START_TEST(currencies_have_their_iso_minor_unit_exponents)
{
	static const char *const two[] = {"USD", "EUR", "GBP", "CNY", "AED", "ZMW", NULL};
	assert_exponents(two, 2);
	assert_exponents(exponent0, 0); /* JPY, KRW, ISK, … */
	assert_exponents(exponent3, 3); /* BHD, KWD, TND, … */
	assert_exponents(exponent4, 4); /* CLF, UYW */
}
END_TEST

START_TEST(every_accepted_currency_has_exponent_2_unless_iso_says_otherwise)
{
	char code[] = "AAA", err[100];
	int n = 0;
	do {
		int e = wms_currency_exponent(code), checked = -7;
		/* the check with a reason agrees with the look-up on every code */
		int rc = wms_currency_check(code, &checked, err, sizeof err);
		ck_assert_msg(rc == (e < 0 ? -1 : 0), "%s", code);
		if (e < 0)
			continue;
		n++;
		ck_assert_int_eq(checked, e);
		int want = in_list(code, exponent0) ? 0 : in_list(code, exponent3) ? 3
		         : in_list(code, exponent4) ? 4 : 2;
		ck_assert_msg(e == want, "%s has exponent %d, ISO says %d", code, e, want);
	} while (next_code(code, 3));
	/* List One holds some 150 active currencies with a minor unit */
	ck_assert_msg(n > 140 && n < 170, "%d currencies", n);
}
END_TEST

START_TEST(metals_sdr_and_testing_codes_are_not_currencies)
{
	/* no minor unit: gold, silver, palladium, platinum, SDR, bond units, SUCRE, ADB unit,
	 * testing, no currency */
	static const char *const x[] = {"XAU", "XAG", "XPD", "XPT", "XDR", "XBA", "XBB", "XBC",
	                                "XBD", "XSU", "XUA", "XTS", "XXX", NULL};
	static const char *const x_currencies[] = {"XAF", "XCD", "XCG", "XOF", "XPF", NULL};
	char code[] = "XAA";
	assert_exponents(x, -1);
	/* the only X codes accepted are the real currencies among them */
	do
		ck_assert_msg((wms_currency_exponent(code) >= 0) == in_list(code, x_currencies), "%s",
		              code);
	while (next_code(code + 1, 2));
}
END_TEST

START_TEST(withdrawn_currencies_are_refused_and_their_successors_accepted)
{
	/* withdrawn by 2025 (named in codes.h), and some older ones with their successors:
	 * HRK → EUR, ANG → XCG, ZWL → ZWG, SLL → SLE, CUC → CUP, VEF → VES, MRO → MRU,
	 * STD → STN, BYR → BYN, LTL and DEM → EUR */
	static const char *const withdrawn[] = {"HRK", "ANG", "ZWL", "SLL", "CUC", "VEF", "MRO",
	                                        "STD", "BYR", "LTL", "DEM", NULL};
	static const char *const successors[] = {"EUR", "XCG", "ZWG", "SLE", "CUP", "VES", "VED",
	                                         "MRU", "STN", "BYN", NULL};
	assert_exponents(withdrawn, -1);
	assert_exponents(successors, 2);
}
END_TEST

START_TEST(currency_code_must_be_exactly_three_upper_case_letters)
{
	static const char *const bad[] = {"usd", "Usd", "uSD", "US", "USDX", "", " USD", "USD ",
	                                  "U5D", "U-D", "US\xc3", "USD\n", NULL};
	assert_exponents(bad, -1);
	ck_assert_int_eq(wms_currency_exponent(NULL), -1);
}
END_TEST

START_TEST(currency_check_sets_the_exponent_or_says_why_a_code_is_refused)
{
	char err[100];
	int e = -5;
	ck_assert_int_eq(wms_currency_check("JPY", &e, err, sizeof err), 0);
	ck_assert_int_eq(e, 0);
	ck_assert_int_eq(wms_currency_check("BHD", &e, err, sizeof err), 0);
	ck_assert_int_eq(e, 3);
	ck_assert_int_eq(wms_currency_check("ABC", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "ABC is not an active ISO 4217 currency");
	ck_assert_int_eq(wms_currency_check("XAU", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "XAU is not an active ISO 4217 currency");
	ck_assert_int_eq(wms_currency_check("HRK", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "HRK is not an active ISO 4217 currency");
	ck_assert_int_eq(wms_currency_check("eur", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "currency code must be three upper-case letters");
	ck_assert_int_eq(wms_currency_check("EU", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "currency code must be three upper-case letters");
	ck_assert_int_eq(wms_currency_check("", &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "currency code must be three upper-case letters");
	ck_assert_int_eq(wms_currency_check(NULL, &e, err, sizeof err), -1);
	ck_assert_str_eq(err, "currency code must be three upper-case letters");
}
END_TEST

Suite *codes_suite(void);
Suite *codes_suite(void)
{
	Suite *s = suite_create("codes");
	TCase *tc = tcase_create("countries");
	tcase_add_test(tc, assigned_countries_are_valid);
	tcase_add_test(tc, exactly_249_country_codes_are_assigned);
	tcase_add_test(tc, reserved_and_user_assigned_codes_are_not_countries);
	tcase_add_test(tc, country_code_must_be_exactly_two_upper_case_letters);
	tcase_add_test(tc, country_check_says_why_a_code_is_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("currencies");
	tcase_add_test(tc, currencies_have_their_iso_minor_unit_exponents);
	tcase_add_test(tc, every_accepted_currency_has_exponent_2_unless_iso_says_otherwise);
	tcase_add_test(tc, metals_sdr_and_testing_codes_are_not_currencies);
	tcase_add_test(tc, withdrawn_currencies_are_refused_and_their_successors_accepted);
	tcase_add_test(tc, currency_code_must_be_exactly_three_upper_case_letters);
	tcase_add_test(tc, currency_check_sets_the_exponent_or_says_why_a_code_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
