/* check_gs1.c — unit tests for wms/gs1: raw scanner input → GS1 fields. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wms/gs1.h"

#define YEAR 2025

/* Parses a string literal including any embedded NUL bytes. */
#define PARSE_LIT(lit, r, err) gs1_parse((lit), sizeof(lit) - 1, YEAR, (r), (err), sizeof(err))

/* Parses a NUL-terminated string (no embedded NULs). */
static int parse(const char *s, struct gs1_result *r, char *err, size_t errlen)
{
	return gs1_parse(s, strlen(s), YEAR, r, err, errlen);
}

/* Expects s to fail with exactly msg. */
static void expect_error(const char *s, const char *msg)
{
	struct gs1_result r;
	char err[128] = "";
	ck_assert_msg(parse(s, &r, err, sizeof err) == -1, "'%s' should fail", s);
	ck_assert_msg(strcmp(err, msg) == 0, "'%s': got error '%s', want '%s'", s, err, msg);
}

START_TEST(plain_gtin_normalizes_to_14_digits_with_or_without_aim_prefix)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("4006381333931", &r, err, sizeof err), 0);
	ck_assert_int_eq(r.kind, GS1_KIND_PLAIN_GTIN);
	ck_assert_uint_eq(r.present, GS1_HAS_GTIN);
	ck_assert_str_eq(r.gtin, "04006381333931");
	ck_assert_str_eq(r.aim, "");
	ck_assert_int_eq(parse("036000291452", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "00036000291452");
	ck_assert_int_eq(parse("96385074", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "00000096385074");
	ck_assert_int_eq(parse("19506000134366", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "19506000134366");
	/* with AIM identifiers */
	ck_assert_int_eq(parse("]E04006381333931", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "04006381333931");
	ck_assert_str_eq(r.aim, "]E0");
	ck_assert_int_eq(parse("]E0036000291452", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "00036000291452");
	ck_assert_int_eq(parse("]E00036000291452", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "00036000291452");
	ck_assert_int_eq(parse("]E496385074", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "00000096385074");
	ck_assert_int_eq(parse("]I119506000134366", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "19506000134366");
}
END_TEST

START_TEST(keyboard_wedge_enter_is_ignored)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("4006381333931\r\n", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "04006381333931");
}
END_TEST

START_TEST(plain_gtin_with_a_wrong_check_digit_names_the_expected_one)
{
	expect_error("4006381333935", "GTIN: check digit is 5, expected 1");
	expect_error("]E04006381333935", "GTIN: check digit is 5, expected 1");
	expect_error("96385070", "GTIN: check digit is 0, expected 4");
	expect_error("]E0400638133393x", "GTIN contains a non-digit");
}
END_TEST

START_TEST(ean_symbology_carries_only_its_number_of_digits)
{
	expect_error("]E096385074", "symbology ]E0 carries 12 or 13 digits, got 8");
	expect_error("]E44006381333931", "symbology ]E4 carries 8 digits, got 13");
}
END_TEST

START_TEST(symbology_without_gs1_data_is_refused)
{
	expect_error("]A04006381333931", "symbology ]A0 does not carry GS1 data");
	expect_error("]C04006381333931", "symbology ]C0 does not carry GS1 data");
	expect_error("]d1010400638133393117251231", "symbology ]d1 does not carry GS1 data");
}
END_TEST

START_TEST(malformed_aim_prefix_is_refused)
{
	struct gs1_result r;
	char err[128];
	expect_error("]", "truncated symbology identifier");
	expect_error("]C", "truncated symbology identifier");
	expect_error("]C1", "empty barcode after symbology ]C1");
	expect_error("]1C0104006381333931", "malformed symbology identifier: ']' followed by '1' 'C'");
	ck_assert_int_eq(PARSE_LIT("]C\0000104006381333931", &r, err), -1);
	ck_assert_str_eq(err, "malformed symbology identifier: ']' followed by 'C' 0x00");
}
END_TEST

START_TEST(gs1_128_yields_gtin_expiry_and_lot_with_or_without_aim_prefix)
{
	struct gs1_result r;
	char err[128];
	/* GS1-128 with GTIN, expiry, lot: fixed AIs first, no separator needed */
	ck_assert_int_eq(parse("]C10104006381333931172612311012345A", &r, err, sizeof err), 0);
	ck_assert_int_eq(r.kind, GS1_KIND_ELEMENT_STRING);
	ck_assert_str_eq(r.aim, "]C1");
	ck_assert_uint_eq(r.present, GS1_HAS_GTIN | GS1_HAS_EXPIRY | GS1_HAS_LOT);
	ck_assert_str_eq(r.gtin, "04006381333931");
	ck_assert_str_eq(r.lot, "12345A");
	ck_assert_int_eq(r.expiry.year, 2026);
	ck_assert_int_eq(r.expiry.month, 12);
	ck_assert_int_eq(r.expiry.day, 31);
	ck_assert(!r.expiry.day_unspecified);

	/* the same without AIM prefix */
	ck_assert_int_eq(parse("0104006381333931172612311012345A", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.aim, "");
	ck_assert_str_eq(r.lot, "12345A");
}
END_TEST

START_TEST(datamatrix_lot_ends_at_gs_and_serial_runs_to_the_end)
{
	struct gs1_result r;
	char err[128];
	/* DataMatrix: variable lot first, then GS, then fixed, then serial at the end */
	ck_assert_int_eq(parse("]d210LOT-7/A\x1d" "0104006381333931" "17260229" "21SN0001", &r, err,
	                       sizeof err), -1); /* 2026-02-29 does not exist */
	ck_assert_str_eq(err, "AI 17 is not a valid date: 260229");
	ck_assert_int_eq(parse("]d210LOT-7/A\x1d" "0104006381333931" "17280229" "21SN0001", &r, err,
	                       sizeof err), 0);
	ck_assert_str_eq(r.lot, "LOT-7/A");
	ck_assert_str_eq(r.serial, "SN0001");
	ck_assert_int_eq(r.expiry.year, 2028);
	ck_assert_int_eq(r.expiry.day, 29);
	ck_assert_uint_eq(r.present, GS1_HAS_GTIN | GS1_HAS_EXPIRY | GS1_HAS_LOT | GS1_HAS_SERIAL);
}
END_TEST

START_TEST(qr_and_databar_carry_element_strings)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("]Q30104006381333931", &r, err, sizeof err), 0);
	ck_assert_int_eq(parse("]e00104006381333931", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "04006381333931");
}
END_TEST

START_TEST(separator_after_a_fixed_field_is_tolerated)
{
	struct gs1_result r;
	char err[128];
	/* GTIN-14 via AI 01 with a separator after the fixed field */
	ck_assert_int_eq(parse("]C10119506000134366\x1d" "10ABC", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.gtin, "19506000134366");
	ck_assert_str_eq(r.lot, "ABC");
}
END_TEST

START_TEST(pallet_label_yields_sscc_content_count_and_lot_in_any_order)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("]C100006141411234567890" "0204006381333931" "3724\x1d" "10L1", &r, err,
	                       sizeof err), 0);
	ck_assert_str_eq(r.sscc, "006141411234567890");
	ck_assert_str_eq(r.content_gtin, "04006381333931");
	ck_assert_uint_eq(r.count, 24);
	ck_assert_str_eq(r.lot, "L1");
	ck_assert_uint_eq(r.present, GS1_HAS_SSCC | GS1_HAS_CONTENT | GS1_HAS_COUNT | GS1_HAS_LOT);
	ck_assert_str_eq(r.gtin, "");

	ck_assert_int_eq(parse("]C110L1\x1d" "3799999999\x1d" "0204006381333931" "00006141411234567890",
	                       &r, err, sizeof err), 0);
	ck_assert_uint_eq(r.count, 99999999);
	ck_assert_str_eq(r.sscc, "006141411234567890");
}
END_TEST

START_TEST(sscc_alone_is_a_carton_label)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("]C100006141411234567890", &r, err, sizeof err), 0);
	ck_assert_uint_eq(r.present, GS1_HAS_SSCC);
	ck_assert_int_eq(parse("00006141411234567890", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.sscc, "006141411234567890");
}
END_TEST

START_TEST(literal_gs_text_separates_but_other_angle_brackets_are_data)
{
	struct gs1_result r;
	char err[128];
	/* literal <GS> from a keyboard wedge */
	ck_assert_int_eq(parse("10ABC<GS>0104006381333931", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.lot, "ABC");
	ck_assert_str_eq(r.gtin, "04006381333931");
	/* a '<' that is not <GS> is lot data */
	ck_assert_int_eq(parse("10A<B>C<GS", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.lot, "A<B>C<GS");
}
END_TEST

START_TEST(leading_and_trailing_separators_are_ignored)
{
	struct gs1_result r;
	char err[128];
	/* leading FNC1 (GS) without AIM prefix, trailing GS */
	ck_assert_int_eq(parse("\x1d" "0104006381333931" "10X\x1d", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.lot, "X");
	ck_assert_int_eq(parse("]C1\x1d" "0104006381333931", &r, err, sizeof err), 0);
}
END_TEST

START_TEST(doubled_or_lone_separators_are_refused)
{
	expect_error("10ABC\x1d\x1d" "0104006381333931", "two separators in a row at position 7");
	expect_error("\x1d", "no element string in the barcode");
	expect_error("]C1<GS>", "no element string in the barcode");
}
END_TEST

START_TEST(variable_field_without_a_separator_takes_the_rest)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("10ABC0104006381333931", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.lot, "ABC0104006381333931");
	ck_assert_uint_eq(r.present, GS1_HAS_LOT);
}
END_TEST

START_TEST(ai_check_digit_error_names_the_ai_and_the_expected_digit)
{
	expect_error("]C10104006381333935", "AI 01: check digit is 5, expected 1");
	expect_error("]C100006141411234567891", "AI 00: check digit is 1, expected 0");
	expect_error("]C10204006381333932" "3710", "AI 02: check digit is 2, expected 1");
}
END_TEST

START_TEST(expiry_must_be_a_real_calendar_date)
{
	struct gs1_result r;
	char err[128];
	expect_error("0104006381333931172513", "AI 17 is too short: 4 of 6 digits");
	expect_error("0104006381333931" "17251340", "AI 17 is not a valid date: 251340");
	expect_error("0104006381333931" "17251301", "AI 17 is not a valid date: 251301");
	expect_error("0104006381333931" "17250001", "AI 17 is not a valid date: 250001");
	expect_error("0104006381333931" "17250230", "AI 17 is not a valid date: 250230");
	expect_error("0104006381333931" "17250431", "AI 17 is not a valid date: 250431");
	expect_error("0104006381333931" "1725043a", "AI 17: expected a digit at position 24, found 'a'");
	/* 29 Feb in a leap year */
	ck_assert_int_eq(parse("0104006381333931" "17240229", &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.day, 29);
}
END_TEST

START_TEST(expiry_day_00_is_the_last_day_of_the_month)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("0104006381333931" "17250200", &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.year, 2025);
	ck_assert_int_eq(r.expiry.month, 2);
	ck_assert_int_eq(r.expiry.day, 28);
	ck_assert(r.expiry.day_unspecified);
	ck_assert_int_eq(parse("0104006381333931" "17240200", &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.day, 29);
	ck_assert_int_eq(parse("0104006381333931" "17251100", &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.day, 30);
	ck_assert_int_eq(parse("0104006381333931" "17251200", &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.day, 31);
}
END_TEST

START_TEST(two_digit_year_lies_within_49_years_before_and_50_after_the_current)
{
	/* GS1 GenSpecs 7.12: within -49 .. +50 years of the current year */
	ck_assert_int_eq(gs1_pivot_year(25, 2025), 2025);
	ck_assert_int_eq(gs1_pivot_year(75, 2025), 2075);
	ck_assert_int_eq(gs1_pivot_year(76, 2025), 1976);
	ck_assert_int_eq(gs1_pivot_year(0, 2025), 2000);
	ck_assert_int_eq(gs1_pivot_year(99, 2025), 1999);
	ck_assert_int_eq(gs1_pivot_year(26, 2075), 2126 - 100); /* 2026: -49 */
	ck_assert_int_eq(gs1_pivot_year(25, 2075), 2125);       /* +50 */
	ck_assert_int_eq(gs1_pivot_year(49, 2099), 2149);
	ck_assert_int_eq(gs1_pivot_year(50, 2099), 2050);
	ck_assert_int_eq(gs1_pivot_year(50, 2000), 2050);
	ck_assert_int_eq(gs1_pivot_year(51, 2000), 1951);
	for (int cur = 1950; cur < 2200; cur++) {
		for (int yy = 0; yy < 100; yy++) {
			int y = gs1_pivot_year(yy, cur);
			ck_assert_int_eq(y % 100, yy);
			ck_assert(y - cur >= -49 && y - cur <= 50);
		}
	}
}
END_TEST

START_TEST(eight_digits_without_symbology_are_an_ean8_not_an_expiry)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(gs1_parse("17991231", 8, 2025, &r, err, sizeof err), -1);
	ck_assert_str_eq(err, "GTIN: check digit is 1, expected 0");
}
END_TEST

START_TEST(expiry_century_and_leap_years_follow_the_current_year)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(gs1_parse("]C117991231", 11, 2025, &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.year, 1999);
	ck_assert_int_eq(gs1_parse("]C117991231", 11, 2060, &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.year, 2099);
	/* 2100 is not a leap year, 2000 is */
	ck_assert_int_eq(gs1_parse("]C117000229", 11, 2080, &r, err, sizeof err), -1);
	ck_assert_int_eq(gs1_parse("]C117000229", 11, 2025, &r, err, sizeof err), 0);
	ck_assert_int_eq(gs1_parse("]C117000200", 11, 2080, &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.year, 2100);
	ck_assert_int_eq(r.expiry.day, 28);
}
END_TEST

START_TEST(current_year_out_of_range_is_refused)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(gs1_parse("]C117000229", 11, 1800, &r, err, sizeof err), -1);
	ck_assert_str_eq(err, "current year 1800 is out of range");
}
END_TEST

START_TEST(lot_and_serial_hold_1_to_20_characters)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("0104006381333931" "1012345678901234567890", &r, err, sizeof err), 0);
	ck_assert_str_eq(r.lot, "12345678901234567890");
	expect_error("0104006381333931" "10123456789012345678901", "AI 10 is longer than 20 characters");
	expect_error("0104006381333931" "21123456789012345678901\x1d" "10A",
	             "AI 21 is longer than 20 characters");
	expect_error("0104006381333931" "10\x1d" "21X", "AI 10 is empty");
	expect_error("0104006381333931" "10", "AI 10 is empty");
}
END_TEST

START_TEST(lot_and_serial_take_only_gs1_characters)
{
	expect_error("0104006381333931" "10AB CD", "AI 10 contains a character GS1 does not allow: 0x20 at position 21");
	expect_error("0104006381333931" "21AB#", "AI 21 contains a character GS1 does not allow: '#' at position 21");
}
END_TEST

START_TEST(ai37_count_is_1_to_8_digits_and_not_zero)
{
	struct gs1_result r;
	char err[128];
	expect_error("0204006381333931" "37", "AI 37: count must be 1 to 8 digits");
	expect_error("0204006381333931" "37123456789", "AI 37: count must be 1 to 8 digits");
	expect_error("0204006381333931" "3712a", "AI 37: count must be 1 to 8 digits");
	expect_error("0204006381333931" "370", "AI 37: count must be at least 1");
	ck_assert_int_eq(parse("0204006381333931" "3700000012", &r, err, sizeof err), 0);
	ck_assert_uint_eq(r.count, 12);
}
END_TEST

START_TEST(empty_barcode_is_refused)
{
	struct gs1_result r;
	char err[128];
	expect_error("", "empty barcode");
	expect_error("\r\n", "empty barcode");
	ck_assert_int_eq(gs1_parse(NULL, 0, YEAR, &r, err, sizeof err), -1);
	ck_assert_str_eq(err, "empty barcode");
}
END_TEST

START_TEST(unknown_or_malformed_ai_is_refused)
{
	expect_error("]C19912345", "unknown AI 99");
	expect_error("0104006381333931" "3103000123", "unknown AI 31");
	expect_error("]C1AB", "expected an AI at position 4, found 'A'");
	expect_error("]C11X", "expected an AI at position 5, found 'X'");
	expect_error("0104006381333931" "1", "truncated AI at the end of the input");
}
END_TEST

START_TEST(short_fixed_field_says_how_many_digits_it_had)
{
	expect_error("]C101040063813339", "AI 01 is too short: 12 of 14 digits");
	expect_error("]C10104006381333\x1d" "10A", "AI 01 is too short: 11 of 14 digits");
	expect_error("]C10004006381333", "AI 00 is too short: 11 of 18 digits");
	expect_error("]C101", "AI 01 is too short: 0 of 14 digits");
}
END_TEST

START_TEST(ai01_excludes_ai02_and_ai02_goes_with_ai37)
{
	expect_error("0104006381333931" "0204006381333931" "371",
	             "AI 01 and AI 02 cannot appear together");
	expect_error("0204006381333931", "AI 02 requires AI 37 (count of contained items)");
	expect_error("0104006381333931" "3712", "AI 37 requires AI 02 (GTIN of contained items)");
}
END_TEST

START_TEST(repeated_ai_must_carry_the_same_data)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(parse("0104006381333931" "10A\x1d" "0104006381333931", &r, err, sizeof err), 0);
	expect_error("10A\x1d" "10B", "AI 10 appears twice with different values");
	/* a bad check digit in the repeat is a conflict, found without reading further */
	expect_error("0104006381333931" "0104006381333935", "AI 01 appears twice with different values");
}
END_TEST

START_TEST(failed_parse_leaves_the_result_untouched_and_err_may_be_null)
{
	struct gs1_result r;
	char err[128];
	memset(&r, 0x5a, sizeof r);
	ck_assert_int_eq(parse("]C19912345", &r, err, sizeof err), -1);
	ck_assert_int_eq(((unsigned char *)&r)[0], 0x5a);
	ck_assert_int_eq(gs1_parse("99", 2, YEAR, &r, NULL, 0), -1);
}
END_TEST

START_TEST(embedded_nul_is_refused)
{
	struct gs1_result r;
	char err[128];
	ck_assert_int_eq(PARSE_LIT("0104006381333931" "10AB\0CD", &r, err), -1);
	ck_assert_str_eq(err, "AI 10 contains a character GS1 does not allow: 0x00 at position 21");
	ck_assert_int_eq(PARSE_LIT("01040063813\0003931", &r, err), -1);
	ck_assert_str_eq(err, "AI 01: expected a digit at position 12, found 0x00");
	ck_assert_int_eq(PARSE_LIT("4006381333931\0", &r, err), -1);
}
END_TEST

START_TEST(bytes_after_len_are_never_read)
{
	struct gs1_result r;
	char err[128];
	const char buf[] = "0104006381333931" "10ABCDEF";
	ck_assert_int_eq(gs1_parse(buf, 16 + 5, YEAR, &r, err, sizeof err), 0);
	ck_assert_str_eq(r.lot, "ABC");
	ck_assert_int_eq(gs1_parse(buf, 15, YEAR, &r, err, sizeof err), -1);
	ck_assert_str_eq(err, "AI 01 is too short: 13 of 14 digits");
}
END_TEST

START_TEST(every_truncation_of_a_label_fails_cleanly_or_parses_a_prefix)
{
	struct gs1_result r;
	char err[128];
	const char *full = "]C100006141411234567890" "0204006381333931" "3724\x1d" "10L1\x1d" "17261231";
	size_t n = strlen(full);
	for (size_t i = 0; i <= n; i++) {
		/* an exact-size heap copy, so ASan catches any read past the end */
		char *copy = malloc(i ? i : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, full, i);
		int rc = gs1_parse(copy, i, YEAR, &r, err, sizeof err);
		free(copy);
		ck_assert(rc == 0 || rc == -1);
	}
	ck_assert_int_eq(gs1_parse(full, n, YEAR, &r, err, sizeof err), 0);
	ck_assert_int_eq(r.expiry.year, 2026);
}
END_TEST

START_TEST(days_in_month_follow_the_gregorian_calendar)
{
	ck_assert_int_eq(gs1_days_in_month(2024, 2), 29);
	ck_assert_int_eq(gs1_days_in_month(2100, 2), 28);
	ck_assert_int_eq(gs1_days_in_month(2000, 2), 29);
	ck_assert_int_eq(gs1_days_in_month(2025, 13), 0);
	ck_assert_int_eq(gs1_days_in_month(2025, 0), 0);
}
END_TEST

START_TEST(yymmdd_is_six_digits_of_a_real_date)
{
	struct gs1_date d;
	ck_assert_int_eq(gs1_parse_yymmdd("250615", 2025, &d), 0);
	ck_assert_int_eq(d.day, 15);
	ck_assert_int_eq(gs1_parse_yymmdd("25061", 2025, &d), -1); /* the NUL is not a digit */
	ck_assert_int_eq(gs1_parse_yymmdd("250631", 2025, &d), -1);
}
END_TEST

Suite *gs1_suite(void);
Suite *gs1_suite(void)
{
	Suite *s = suite_create("gs1");
	TCase *tc = tcase_create("plain_gtin");
	tcase_add_test(tc, plain_gtin_normalizes_to_14_digits_with_or_without_aim_prefix);
	tcase_add_test(tc, keyboard_wedge_enter_is_ignored);
	tcase_add_test(tc, plain_gtin_with_a_wrong_check_digit_names_the_expected_one);
	tcase_add_test(tc, ean_symbology_carries_only_its_number_of_digits);
	tcase_add_test(tc, symbology_without_gs1_data_is_refused);
	tcase_add_test(tc, malformed_aim_prefix_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("element_strings");
	tcase_add_test(tc, gs1_128_yields_gtin_expiry_and_lot_with_or_without_aim_prefix);
	tcase_add_test(tc, datamatrix_lot_ends_at_gs_and_serial_runs_to_the_end);
	tcase_add_test(tc, qr_and_databar_carry_element_strings);
	tcase_add_test(tc, separator_after_a_fixed_field_is_tolerated);
	tcase_add_test(tc, pallet_label_yields_sscc_content_count_and_lot_in_any_order);
	tcase_add_test(tc, sscc_alone_is_a_carton_label);
	tcase_add_test(tc, literal_gs_text_separates_but_other_angle_brackets_are_data);
	tcase_add_test(tc, leading_and_trailing_separators_are_ignored);
	tcase_add_test(tc, doubled_or_lone_separators_are_refused);
	tcase_add_test(tc, variable_field_without_a_separator_takes_the_rest);
	tcase_add_test(tc, ai_check_digit_error_names_the_ai_and_the_expected_digit);
	tcase_add_test(tc, lot_and_serial_hold_1_to_20_characters);
	tcase_add_test(tc, lot_and_serial_take_only_gs1_characters);
	tcase_add_test(tc, ai37_count_is_1_to_8_digits_and_not_zero);
	tcase_add_test(tc, empty_barcode_is_refused);
	tcase_add_test(tc, unknown_or_malformed_ai_is_refused);
	tcase_add_test(tc, short_fixed_field_says_how_many_digits_it_had);
	tcase_add_test(tc, ai01_excludes_ai02_and_ai02_goes_with_ai37);
	tcase_add_test(tc, repeated_ai_must_carry_the_same_data);
	tcase_add_test(tc, failed_parse_leaves_the_result_untouched_and_err_may_be_null);
	tcase_add_test(tc, embedded_nul_is_refused);
	tcase_add_test(tc, bytes_after_len_are_never_read);
	tcase_add_test(tc, every_truncation_of_a_label_fails_cleanly_or_parses_a_prefix);
	suite_add_tcase(s, tc);

	tc = tcase_create("dates");
	tcase_add_test(tc, expiry_must_be_a_real_calendar_date);
	tcase_add_test(tc, expiry_day_00_is_the_last_day_of_the_month);
	tcase_add_test(tc, two_digit_year_lies_within_49_years_before_and_50_after_the_current);
	tcase_add_test(tc, eight_digits_without_symbology_are_an_ean8_not_an_expiry);
	tcase_add_test(tc, expiry_century_and_leap_years_follow_the_current_year);
	tcase_add_test(tc, current_year_out_of_range_is_refused);
	tcase_add_test(tc, days_in_month_follow_the_gregorian_calendar);
	tcase_add_test(tc, yymmdd_is_six_digits_of_a_real_date);
	suite_add_tcase(s, tc);
	return s;
}
