/* check_tracking.c — unit tests for wms/tracking (UPU S10 and prefix + serial + GS1 mod-10 tracking numbers). */
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "wms/tracking.h"

/* Independent S10 reference: the weights as the standard prints them and the
 * check digit looked up by the remainder (sum mod 11 → 11 − r, 10 → 0, 11 → 5). */
static int s10_reference(int64_t serial)
{
	static const char weights[] = "86423597";
	static const int by_remainder[11] = {5, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1};
	char digits[24];
	snprintf(digits, sizeof digits, "%08" PRId64, serial);
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (digits[i] - '0') * (weights[i] - '0');
	return by_remainder[sum % 11];
}

/* Independent GS1 reference over a 10-digit serial: weights 3 1 3 1 … from the
 * left (10 digits, so the rightmost gets weight 3 as GS1 requires). */
static int mod10_reference(int64_t serial)
{
	int sum = 0;
	for (int i = 9; i >= 0; i--, serial /= 10)
		sum += (int)(serial % 10) * (i % 2 == 1 ? 3 : 1);
	return (10 - sum % 10) % 10;
}

/* The reason wms_tracking_make gives (it must fail and leave out alone). */
static const char *make_error(enum wms_tracking_format format, const char *prefix,
                              int64_t serial, const char *country)
{
	static char err[120];
	char out[WMS_TRACKING_MAX] = "untouched";
	err[0] = '\0';
	ck_assert_int_eq(wms_tracking_make(format, prefix, serial, country, out, sizeof out, err,
	                                   sizeof err), -1);
	ck_assert_str_eq(out, "untouched");
	return err;
}

/* The reason wms_tracking_parse gives (it must fail and leave *out alone). */
static const char *parse_error(const char *in)
{
	static char err[120];
	struct wms_tracking t = {.serial = 42};
	err[0] = '\0';
	ck_assert_msg(wms_tracking_parse(in, &t, err, sizeof err) == -1, "%s accepted", in);
	ck_assert_int_eq(t.serial, 42);
	return err;
}

/* in parses into exactly these parts. */
static void assert_parses(const char *in, enum wms_tracking_format format, const char *prefix,
                          int64_t serial, int check_digit, const char *country)
{
	struct wms_tracking t;
	char err[120] = "";
	ck_assert_msg(wms_tracking_parse(in, &t, err, sizeof err) == 0, "%s: %s", in, err);
	ck_assert_int_eq(t.format, format);
	ck_assert_str_eq(t.prefix, prefix);
	ck_assert_int_eq(t.serial, serial);
	ck_assert_int_eq(t.check_digit, check_digit);
	ck_assert_str_eq(t.country, country);
}

START_TEST(s10_check_digit_matches_upu_examples)
{
	/* UPU S10 / Wikipedia: 4·8+7·6+3·4+1·2+2·3+4·5+8·9+2·7 = 200, 200 mod 11 = 2, 11 − 2 = 9 */
	ck_assert_int_eq(4 * 8 + 7 * 6 + 3 * 4 + 1 * 2 + 2 * 3 + 4 * 5 + 8 * 9 + 2 * 7, 200);
	ck_assert_int_eq(wms_s10_check_digit("47312482"), 9);
	/* 1·8+2·6+3·4+4·2+5·3+6·5+7·9+8·7 = 204, 204 mod 11 = 6, 11 − 6 = 5 ("RB123456785GB") */
	ck_assert_int_eq(1 * 8 + 2 * 6 + 3 * 4 + 4 * 2 + 5 * 3 + 6 * 5 + 7 * 9 + 8 * 7, 204);
	ck_assert_int_eq(wms_s10_check_digit("12345678"), 5);
	ck_assert_int_eq(wms_s10_check_digit("1234567X"), -1);
	ck_assert_int_eq(wms_s10_check_digit("1234 678"), -1);

	struct wms_tracking t;
	char err[100];
	const char *valid[] = {"RR473124829GB", "RB123456785GB", "RB123456785US", "RB123456785CV",
	                       "RR123456785GB", "EE123456785FR", "CP473124829DE"};
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		ck_assert_msg(wms_tracking_parse(valid[i], &t, err, sizeof err) == 0, "%s: %s",
		              valid[i], err);
}
END_TEST

START_TEST(s10_rejects_47312482_with_check_digit_8)
{
	/* "RR473124828GB" has the wrong check digit: 47312482 gives 9. */
	ck_assert_str_eq(parse_error("RR473124828GB"), "S10 check digit is 8, expected 9");
	ck_assert_str_eq(parse_error("RB123456786US"), "S10 check digit is 6, expected 5");
}
END_TEST

START_TEST(s10_check_digit_covers_every_remainder)
{
	/* One serial per remainder of the weighted sum, the sum worked out by hand. */
	static const struct {
		const char *serial;
		int sum;
		int check;
	} cases[] = {
		{"00000000", 0, 5},            /* 11 − 0 = 11 → 5 */
		{"00000008", 8 * 7, 0},        /* 56 mod 11 = 1: 11 − 1 = 10 → 0 */
		{"00000001", 1 * 7, 4},        /* 7: 11 − 7 = 4 */
		{"00000010", 1 * 9, 2},        /* 9 */
		{"00000100", 1 * 5, 6},        /* 5 */
		{"00001000", 1 * 3, 8},        /* 3 */
		{"00010000", 1 * 2, 9},        /* 2 */
		{"00100000", 1 * 4, 7},        /* 4 */
		{"01000000", 1 * 6, 5},        /* 6: 11 − 6 = 5, the same digit as remainder 0 */
		{"10000000", 1 * 8, 3},        /* 8 */
		{"99999999", 9 * 44, 5},       /* 396 = 36·11: remainder 0 → 5 */
		{"00000009", 9 * 7, 3},        /* 63 mod 11 = 8 */
		{"00000005", 5 * 7, 9},        /* 35 mod 11 = 2 */
		{"00000002", 2 * 7, 8},        /* 14 mod 11 = 3 */
		{"00000003", 3 * 7, 1},        /* 21 mod 11 = 10: 11 − 10 = 1 */
		{"00000006", 6 * 7, 2},        /* 42 mod 11 = 9 */
		{"00000018", 1 * 9 + 8 * 7, 1},/* 65 mod 11 = 10 */
		{"00000080", 8 * 9, 5},        /* 72 mod 11 = 6 */
	};
	bool seen[11] = {false};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = wms_s10_check_digit(cases[i].serial);
		ck_assert_msg(got == cases[i].check, "%s: %d, expected %d", cases[i].serial, got,
		              cases[i].check);
		int r = cases[i].sum % 11;
		int c = 11 - r;
		ck_assert_int_eq(cases[i].check, c == 10 ? 0 : c == 11 ? 5 : c);
		seen[r] = true;
	}
	for (int r = 0; r < 11; r++)
		ck_assert_msg(seen[r], "no case for remainder %d", r);
}
END_TEST

START_TEST(s10_check_digit_agrees_with_reference_on_a_sweep)
{
	char digits[24];
	for (int64_t serial = 0; serial <= WMS_S10_SERIAL_MAX; serial += 7919) {
		snprintf(digits, sizeof digits, "%08" PRId64, serial);
		ck_assert_int_eq(wms_s10_check_digit(digits), s10_reference(serial));
	}
	for (int64_t serial = 0; serial < 20000; serial++) {
		snprintf(digits, sizeof digits, "%08" PRId64, serial);
		ck_assert_int_eq(wms_s10_check_digit(digits), s10_reference(serial));
	}
}
END_TEST

START_TEST(s10_check_digit_5_is_shared_by_remainders_0_and_6)
{
	/* The documented weakness: a single changed digit can go unnoticed. */
	assert_parses("RR000000005GB", WMS_TRACKING_S10, "RR", 0, 5, "GB");
	assert_parses("RR000000045GB", WMS_TRACKING_S10, "RR", 4, 5, "GB");
}
END_TEST

START_TEST(s10_make_writes_service_serial_check_country)
{
	char out[WMS_TRACKING_MAX];
	char err[100];
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, "RR", 47312482, "GB", out, sizeof out,
	                                   err, sizeof err), 0);
	ck_assert_str_eq(out, "RR473124829GB");
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, "EA", 0, "US", out, sizeof out, err,
	                                   sizeof err), 0);
	ck_assert_str_eq(out, "EA000000005US");
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, "CP", 8, "DE", out, sizeof out, err,
	                                   sizeof err), 0);
	ck_assert_str_eq(out, "CP000000080DE");
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, "LX", WMS_S10_SERIAL_MAX, "KR", out,
	                                   sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "LX999999995KR");
	/* exactly 14 bytes are enough */
	char exact[14];
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, "RR", 12345678, "GB", exact,
	                                   sizeof exact, err, sizeof err), 0);
	ck_assert_str_eq(exact, "RR123456785GB");
}
END_TEST

START_TEST(s10_make_rejects_bad_parts_with_a_reason)
{
	static const char *bad_service[] = {"rr", "R", "RRR", "R1", "", "R ", "ÄB", NULL};
	for (size_t i = 0; i < sizeof bad_service / sizeof bad_service[0]; i++)
		ck_assert_str_eq(make_error(WMS_TRACKING_S10, bad_service[i], 1, "GB"),
		                 "S10 service indicator must be two upper-case letters");
	ck_assert_str_eq(make_error(WMS_TRACKING_S10, "RR", 100000000, "GB"),
	                 "S10 serial must be 0 to 99999999, got 100000000");
	ck_assert_str_eq(make_error(WMS_TRACKING_S10, "RR", -1, "GB"),
	                 "S10 serial must be 0 to 99999999, got -1");
	ck_assert_str_eq(make_error(WMS_TRACKING_S10, "RR", INT64_MIN, "GB"),
	                 "S10 serial must be 0 to 99999999, got -9223372036854775808");
	ck_assert_str_eq(make_error(WMS_TRACKING_S10, "RR", 1, "UK"),
	                 "S10 country: UK is not an assigned ISO 3166-1 alpha-2 country code");
	ck_assert_str_eq(make_error(WMS_TRACKING_S10, "RR", 1, "gb"),
	                 "S10 country: country code must be two upper-case letters");
	ck_assert_str_eq(make_error(WMS_TRACKING_S10, "RR", 1, NULL),
	                 "S10 country: country code must be two upper-case letters");
	char small[13] = "untouched", err[120];
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, "RR", 1, "GB", small, sizeof small, err,
	                                   sizeof err), -1);
	ck_assert_str_eq(err, "output buffer holds 13 bytes, the tracking number needs 14");
	ck_assert_str_eq(small, "untouched");
	/* no error buffer: the verdict alone */
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, "RR", -5, "GB", small, sizeof small,
	                                   NULL, 0), -1);
}
END_TEST

START_TEST(s10_parse_takes_the_number_apart)
{
	assert_parses("RR473124829GB", WMS_TRACKING_S10, "RR", 47312482, 9, "GB");
}
END_TEST

START_TEST(s10_parse_gives_one_precise_reason)
{
	ck_assert_str_eq(parse_error("RR47312482GB"),
	                 "S10 tracking number must be 13 characters, got 12");
	ck_assert_str_eq(parse_error("RR4731248299GB"),
	                 "S10 tracking number must be 13 characters, got 14");
	ck_assert_str_eq(parse_error("R1473124829GB"),
	                 "S10 service indicator must be two upper-case letters");
	ck_assert_str_eq(parse_error("rr473124829GB"),
	                 "S10 service indicator must be two upper-case letters");
	ck_assert_str_eq(parse_error("RR47312482XGB"),
	                 "S10 serial and check digit must be 9 digits");
	ck_assert_str_eq(parse_error("RR4731 4829GB"),
	                 "S10 serial and check digit must be 9 digits");
	ck_assert_str_eq(parse_error("RR473124829gb"),
	                 "S10 country: country code must be two upper-case letters");
	ck_assert_str_eq(parse_error("RR4731248291B"),
	                 "S10 country: country code must be two upper-case letters");
	ck_assert_str_eq(parse_error("RR473124829XX"),
	                 "S10 country: XX is not an assigned ISO 3166-1 alpha-2 country code");
	ck_assert_str_eq(parse_error("RR473124829UK"),
	                 "S10 country: UK is not an assigned ISO 3166-1 alpha-2 country code");
	ck_assert_str_eq(parse_error("RR473124820GB"), "S10 check digit is 0, expected 9");
	/* ends in a digit, so it is read as mod10 */
	ck_assert_str_eq(parse_error("RR473124829G1"),
	                 "mod10 serial and check digit must be 11 digits");
}
END_TEST

START_TEST(mod10_make_appends_the_gs1_check_digit_of_the_serial)
{
	char out[WMS_TRACKING_MAX];
	char err[100];
	/* 0000012345: from the right 5·3 + 4·1 + 3·3 + 2·1 + 1·3 = 33 → 7 */
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, "WMS", 12345, NULL, out, sizeof out,
	                                   err, sizeof err), 0);
	ck_assert_str_eq(out, "WMS00000123457");
	/* 4006381333: 3·3+3·1+3·3+1·1+8·3+3·1+6·3+0·1+0·3+4·1 = 71 → 9 */
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, "DX", 4006381333, "GB", out,
	                                   sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "DX40063813339");
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, "AB12", 0, NULL, out, sizeof out, err,
	                                   sizeof err), 0);
	ck_assert_str_eq(out, "AB1200000000000");
	/* 9999999999: 5·27 + 5·9 = 180 → 0 */
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, "42", WMS_MOD10_SERIAL_MAX, NULL, out,
	                                   sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "4299999999990");
	for (int64_t serial = 0; serial <= WMS_MOD10_SERIAL_MAX; serial += 99999989) {
		ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, "ZZZZ", serial, NULL, out,
		                                   sizeof out, err, sizeof err), 0);
		ck_assert_int_eq(out[14] - '0', mod10_reference(serial));
	}
}
END_TEST

START_TEST(mod10_make_rejects_bad_parts_with_a_reason)
{
	static const char *bad_prefix[] = {"W", "WMSXY", "wms", "W-S", "W S", "", "ÅB", NULL};
	for (size_t i = 0; i < sizeof bad_prefix / sizeof bad_prefix[0]; i++)
		ck_assert_str_eq(make_error(WMS_TRACKING_MOD10, bad_prefix[i], 1, NULL),
		                 "mod10 carrier prefix must be 2 to 4 upper-case letters or digits");
	ck_assert_str_eq(make_error(WMS_TRACKING_MOD10, "WMS", 10000000000, NULL),
	                 "mod10 serial must be 0 to 9999999999, got 10000000000");
	ck_assert_str_eq(make_error(WMS_TRACKING_MOD10, "WMS", -1, NULL),
	                 "mod10 serial must be 0 to 9999999999, got -1");
	ck_assert_str_eq(make_error((enum wms_tracking_format)7, "WMS", 1, NULL),
	                 "unknown tracking format 7");
	ck_assert_str_eq(make_error((enum wms_tracking_format)0, "WMS", 1, NULL),
	                 "unknown tracking format 0");
	char small[15] = "untouched", err[120];
	ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, "WMSX", 1, NULL, small, sizeof small,
	                                   err, sizeof err), -1);
	ck_assert_str_eq(err, "output buffer holds 15 bytes, the tracking number needs 16");
	ck_assert_str_eq(small, "untouched");
}
END_TEST

START_TEST(mod10_parse_takes_the_number_apart)
{
	assert_parses("WMS00000123457", WMS_TRACKING_MOD10, "WMS", 12345, 7, "");
	/* an all-digit prefix is told apart by the length */
	assert_parses("4299999999990", WMS_TRACKING_MOD10, "42", WMS_MOD10_SERIAL_MAX, 0, "");
	assert_parses("AB1200000000000", WMS_TRACKING_MOD10, "AB12", 0, 0, "");
}
END_TEST

START_TEST(mod10_parse_gives_one_precise_reason)
{
	ck_assert_str_eq(parse_error("W00000123457"),
	                 "mod10 tracking number must be 13 to 15 characters, got 12");
	ck_assert_str_eq(parse_error("wms00000123457"),
	                 "mod10 carrier prefix must be 2 to 4 upper-case letters or digits");
	ck_assert_str_eq(parse_error("W-S00000123457"),
	                 "mod10 carrier prefix must be 2 to 4 upper-case letters or digits");
	ck_assert_str_eq(parse_error("WMS0000012X457"),
	                 "mod10 serial and check digit must be 11 digits");
	ck_assert_str_eq(parse_error("WMS00000123458"), "mod10 check digit is 8, expected 7");
	ck_assert_str_eq(parse_error("WMS00000213457"),
	                 "mod10 check digit is 7, expected 5"); /* 12 → 21 */
}
END_TEST

START_TEST(mod10_detects_every_single_digit_error)
{
	char out[WMS_TRACKING_MAX];
	struct wms_tracking t;
	for (int64_t serial = 1; serial <= WMS_MOD10_SERIAL_MAX; serial = serial * 7 + 3) {
		ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, "WM", serial, NULL, out,
		                                   sizeof out, NULL, 0), 0);
		for (int pos = 2; pos < 13; pos++) {
			char keep = out[pos];
			for (char c = '0'; c <= '9'; c++) {
				if (c == keep)
					continue;
				out[pos] = c;
				ck_assert_msg(wms_tracking_parse(out, &t, NULL, 0) == -1, "%s accepted", out);
			}
			out[pos] = keep;
		}
	}
}
END_TEST

START_TEST(parse_tells_the_format_by_the_last_character)
{
	char long_one[64];
	memset(long_one, 'A', sizeof long_one - 1);
	long_one[sizeof long_one - 1] = '\0';
	ck_assert_str_eq(parse_error(""), "empty tracking number");
	ck_assert_str_eq(parse_error(NULL), "empty tracking number");
	ck_assert_str_eq(parse_error(long_one), "tracking number is longer than 15 characters");
	ck_assert_str_eq(parse_error("WMS00000123457\n"),
	                 "tracking number must end in a digit (mod10) or a letter (s10)");
	ck_assert_str_eq(parse_error("RR473124829GB "),
	                 "tracking number must end in a digit (mod10) or a letter (s10)");
	assert_parses("RR473124829GB", WMS_TRACKING_S10, "RR", 47312482, 9, "GB");
	assert_parses("RR47312482902", WMS_TRACKING_MOD10, "RR", 4731248290, 2, "");
}
END_TEST

START_TEST(make_then_parse_returns_the_parts_so_numbers_are_unique)
{
	/* parse(make(x)) == x for every x makes make one-to-one: two different
	 * (format, prefix, serial, country) never share a number. */
	static const char *services[] = {"RR", "EA", "CP", "ZZ"};
	static const char *countries[] = {"GB", "DE", "CN"};
	static const char *prefixes[] = {"WM", "WMS", "WMS1", "42", "123", "0000"};
	char out[WMS_TRACKING_MAX];
	char err[100];
	for (int64_t serial = 0; serial <= WMS_S10_SERIAL_MAX; serial += 999983) {
		for (size_t s = 0; s < 4; s++) {
			for (size_t c = 0; c < 3; c++) {
				ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_S10, services[s], serial,
				                                   countries[c], out, sizeof out, err,
				                                   sizeof err), 0);
				ck_assert_int_eq(strlen(out), 13);
				assert_parses(out, WMS_TRACKING_S10, services[s], serial,
				              s10_reference(serial), countries[c]);
			}
		}
	}
	for (int64_t serial = 0; serial <= WMS_MOD10_SERIAL_MAX; serial += 99999971) {
		for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
			ck_assert_int_eq(wms_tracking_make(WMS_TRACKING_MOD10, prefixes[p], serial, "GB",
			                                   out, sizeof out, err, sizeof err), 0);
			ck_assert_int_eq(strlen(out), strlen(prefixes[p]) + 11);
			assert_parses(out, WMS_TRACKING_MOD10, prefixes[p], serial, mod10_reference(serial),
			              "");
		}
	}
}
END_TEST

START_TEST(format_names_round_trip)
{
	enum wms_tracking_format f = WMS_TRACKING_S10;
	char err[100];
	ck_assert_str_eq(wms_tracking_format_name(WMS_TRACKING_S10), "s10");
	ck_assert_str_eq(wms_tracking_format_name(WMS_TRACKING_MOD10), "mod10");
	ck_assert_ptr_null(wms_tracking_format_name((enum wms_tracking_format)0));
	ck_assert_ptr_null(wms_tracking_format_name((enum wms_tracking_format)3));
	ck_assert_int_eq(wms_tracking_format_parse("mod10", &f, err, sizeof err), 0);
	ck_assert_int_eq(f, WMS_TRACKING_MOD10);
	ck_assert_int_eq(wms_tracking_format_parse("s10", &f, err, sizeof err), 0);
	ck_assert_int_eq(f, WMS_TRACKING_S10);
	ck_assert_int_eq(wms_tracking_format_parse("S10", &f, err, sizeof err), -1);
	ck_assert_str_eq(err, "unknown tracking format \"S10\" (s10 or mod10)");
	ck_assert_int_eq(wms_tracking_format_parse("", &f, err, sizeof err), -1);
	ck_assert_str_eq(err, "unknown tracking format \"\" (s10 or mod10)");
	ck_assert_int_eq(wms_tracking_format_parse(NULL, &f, err, sizeof err), -1);
	ck_assert_int_eq(wms_tracking_format_parse("mod10 but much much longer than that", &f, err,
	                                           sizeof err), -1);
	ck_assert_str_eq(err, "unknown tracking format \"mod10 but much much \" (s10 or mod10)");
	ck_assert_int_eq(f, WMS_TRACKING_S10); /* untouched on failure */
}
END_TEST

Suite *tracking_suite(void);
Suite *tracking_suite(void)
{
	Suite *s = suite_create("tracking");
	TCase *s10 = tcase_create("s10");
	tcase_add_test(s10, s10_check_digit_matches_upu_examples);
	tcase_add_test(s10, s10_rejects_47312482_with_check_digit_8);
	tcase_add_test(s10, s10_check_digit_covers_every_remainder);
	tcase_add_test(s10, s10_check_digit_agrees_with_reference_on_a_sweep);
	tcase_add_test(s10, s10_check_digit_5_is_shared_by_remainders_0_and_6);
	tcase_add_test(s10, s10_make_writes_service_serial_check_country);
	tcase_add_test(s10, s10_make_rejects_bad_parts_with_a_reason);
	tcase_add_test(s10, s10_parse_takes_the_number_apart);
	tcase_add_test(s10, s10_parse_gives_one_precise_reason);
	suite_add_tcase(s, s10);
	TCase *mod10 = tcase_create("mod10");
	tcase_add_test(mod10, mod10_make_appends_the_gs1_check_digit_of_the_serial);
	tcase_add_test(mod10, mod10_make_rejects_bad_parts_with_a_reason);
	tcase_add_test(mod10, mod10_parse_takes_the_number_apart);
	tcase_add_test(mod10, mod10_parse_gives_one_precise_reason);
	tcase_add_test(mod10, mod10_detects_every_single_digit_error);
	suite_add_tcase(s, mod10);
	TCase *both = tcase_create("formats");
	tcase_add_test(both, parse_tells_the_format_by_the_last_character);
	tcase_add_test(both, make_then_parse_returns_the_parts_so_numbers_are_unique);
	tcase_add_test(both, format_names_round_trip);
	suite_add_tcase(s, both);
	return s;
}
