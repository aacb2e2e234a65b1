/* check_instant.c — RFC 3339 instants and dates (api/http/instant.h): the calendar, the
 * server's year range, offsets and fractions, and the one output form, against the C
 * library's timegm/gmtime_r as an independent reference. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/http/instant.h"

START_TEST(date_follows_the_calendar)
{
	int64_t d;
	ck_assert_int_eq(instant_parse_date("2024-02-29", &d), 0);
	ck_assert_int_eq(d, 19782);
	ck_assert_int_eq(instant_parse_date("1970-01-01", &d), 0);
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(instant_parse_date("2023-02-29", &d), -1);
	ck_assert_int_eq(instant_parse_date("2100-02-29", &d), -1);
	ck_assert_int_eq(instant_parse_date("2000-02-29", &d), 0);
	ck_assert_int_eq(instant_parse_date("2023-13-01", &d), -1);
	ck_assert_int_eq(instant_parse_date("2023-04-31", &d), -1);
	ck_assert_int_eq(instant_parse_date("2023-1-01", &d), -1);
	ck_assert_int_eq(instant_parse_date("2023-01-01T", &d), -1);
	ck_assert_int_eq(instant_parse_date("2023-01-0", &d), -1);
	ck_assert_int_eq(instant_parse_date("", &d), -1);
}
END_TEST

START_TEST(years_outside_the_range_are_refused)
{
	int64_t d, us;
	ck_assert_int_eq(instant_parse_date("0000-01-01", &d), -2);
	ck_assert_int_eq(instant_parse_date("9999-12-31", &d), -2);
	ck_assert_int_eq(instant_parse_date("1969-12-31", &d), -2);
	ck_assert_int_eq(instant_parse_date("2199-12-31", &d), 0);
	ck_assert_int_eq(instant_parse_date("2200-01-01", &d), -2);
	ck_assert_int_eq(instant_parse_date("9999-02-30", &d), -1);
	ck_assert_int_eq(instant_parse("2199-12-31T23:59:59Z", false, &us), 0);
	ck_assert_int_eq(instant_parse("2199-12-31T23:59:59-01:00", false, &us), -2);
	ck_assert_int_eq(instant_parse("1970-01-01T00:00:00+00:01", false, &us), -2);
	ck_assert_int_eq(instant_parse("9999-12-31", true, &us), -2);
	ck_assert_int_eq(instant_parse("9999-12-31", false, &us), -1);
}
END_TEST

START_TEST(offsets_fractions_and_dates_read_as_instants)
{
	int64_t us;
	ck_assert_int_eq(instant_parse("2026-03-02T09:30:00Z", false, &us), 0);
	ck_assert_int_eq(us, 1772443800LL * INSTANT_US);
	ck_assert_int_eq(instant_parse("2026-03-02T10:30:00.5+01:00", false, &us), 0);
	ck_assert_int_eq(us, 1772443800LL * INSTANT_US + 500000);
	ck_assert_int_eq(instant_parse("2026-03-02t09:30:00.1234567z", false, &us), 0);
	ck_assert_int_eq(us, 1772443800LL * INSTANT_US + 123456);
	ck_assert_int_eq(instant_parse("2026-03-02", false, &us), -1);
	ck_assert_int_eq(instant_parse("2026-03-02", true, &us), 0);
	ck_assert_int_eq(us, 1772409600LL * INSTANT_US);
	static const char *const bad[] = {"2026-03-02T09:30:00", "2026-03-02T09:30Z",
	                                  "2026-03-02T24:00:00Z", "2026-03-02T09:60:00Z",
	                                  "2026-03-02T09:30:00.Z", "2026-03-02T09:30:00+1:00",
	                                  "2026-03-02T09:30:00+01:00x", "2026-03-02 09:30:00Z",
	                                  "2026-03-02T09:30:00+24:00", NULL};
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(instant_parse(bad[i], true, &us) == -1, "%s was accepted", bad[i]);
}
END_TEST

START_TEST(format_and_parse_agree_with_the_c_library)
{
	srand(42);
	int64_t lo = 0, hi = instant_days_from_civil(INSTANT_YEAR_MAX + 1, 1, 1) * 86400;
	for (int i = 0; i < 100000; i++) {
		int64_t t = lo + (int64_t)(((uint64_t)rand() << 31 ^ (uint64_t)rand()) % (uint64_t)(hi - lo));
		int64_t frac = i % 3 ? 0 : rand() % INSTANT_US;
		char text[INSTANT_TEXT], ref[32];
		instant_format(t * INSTANT_US + frac, text);
		time_t tt = (time_t)t;
		struct tm tm;
		ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
		strftime(ref, sizeof ref, "%Y-%m-%dT%H:%M:%S", &tm);
		ck_assert_int_eq(strncmp(text, ref, 19), 0);
		if (frac)
			ck_assert(text[19] == '.' && strlen(text) == 27 && text[26] == 'Z');
		else
			ck_assert_str_eq(text + 19, "Z");
		int64_t back;
		ck_assert_int_eq(instant_parse(text, false, &back), 0);
		ck_assert_int_eq(back, t * INSTANT_US + frac);
		int64_t days;
		text[10] = '\0';
		ck_assert_int_eq(instant_parse_date(text, &days), 0);
		ck_assert_int_eq(days, t / 86400);
	}
}
END_TEST

Suite *instant_suite(void);
Suite *instant_suite(void)
{
	Suite *s = suite_create("instant");
	TCase *tc = tcase_create("rfc3339");
	tcase_add_test(tc, date_follows_the_calendar);
	tcase_add_test(tc, years_outside_the_range_are_refused);
	tcase_add_test(tc, offsets_fractions_and_dates_read_as_instants);
	tcase_add_test(tc, format_and_parse_agree_with_the_c_library);
	suite_add_tcase(s, tc);
	return s;
}
