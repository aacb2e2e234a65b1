/* tracking.c — UPU S10 and prefix + serial + GS1 mod-10 tracking numbers. */
#include "wms/tracking.h"

#include "wms/checkdigit.h"
#include "wms/codes.h"
#include "wms/errf.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define S10_LEN        13
#define S10_SERIAL_LEN 8
#define MOD10_SERIAL_LEN 10
#define MOD10_MIN_LEN  (WMS_MOD10_PREFIX_MIN + MOD10_SERIAL_LEN + 1)
#define MOD10_MAX_LEN  (WMS_MOD10_PREFIX_MAX + MOD10_SERIAL_LEN + 1)

static const struct {
	enum wms_tracking_format format;
	const char *name;
} format_names[] = {
	{WMS_TRACKING_S10, "s10"},
	{WMS_TRACKING_MOD10, "mod10"},
};
#define FORMAT_COUNT (sizeof format_names / sizeof format_names[0])

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool all_of(const char *s, size_t n, bool (*pred)(char))
{
	for (size_t i = 0; i < n; i++)
		if (!pred(s[i]))
			return false;
	return true;
}

static bool is_prefix_char(char c)
{
	return is_upper(c) || is_digit(c);
}

/* Whether s is exactly n upper-case letters (NULL is not). */
static bool is_letters(const char *s, size_t n)
{
	return s && strnlen(s, n + 1) == n && all_of(s, n, is_upper);
}

/* The value of the n digits at s (n <= 18, all digits). */
static int64_t digits_value(const char *s, size_t n)
{
	int64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

const char *wms_tracking_format_name(enum wms_tracking_format format)
{
	for (size_t i = 0; i < FORMAT_COUNT; i++)
		if (format_names[i].format == format)
			return format_names[i].name;
	return NULL;
}

int wms_tracking_format_parse(const char *name, enum wms_tracking_format *out,
                              char *err, size_t errlen)
{
	for (size_t i = 0; name && i < FORMAT_COUNT; i++) {
		if (strcmp(name, format_names[i].name) == 0) {
			*out = format_names[i].format;
			return 0;
		}
	}
	wms_errf(err, errlen, "unknown tracking format \"%.20s\" (s10 or mod10)", name ? name : "");
	return -1;
}

int wms_s10_check_digit(const char serial[8])
{
	static const int weights[S10_SERIAL_LEN] = {8, 6, 4, 2, 3, 5, 9, 7};
	int sum = 0;

	for (int i = 0; i < S10_SERIAL_LEN; i++) {
		if (!is_digit(serial[i]))
			return -1;
		sum += (serial[i] - '0') * weights[i];
	}
	int c = 11 - sum % 11;
	if (c == 10)
		return 0;
	if (c == 11)
		return 5;
	return c;
}

/* Checks the country of an S10 number; the reason names the format. */
static int s10_country(const char *country, char *err, size_t errlen)
{
	char why[96];
	if (wms_country_check(country, why, sizeof why) < 0) {
		wms_errf(err, errlen, "S10 country: %s", why);
		return -1;
	}
	return 0;
}

/* Checks that serial is within 0..max; the reason names the format. */
static int serial_check(const char *format, int64_t serial, int64_t max, char *err, size_t errlen)
{
	if (serial < 0 || serial > max) {
		wms_errf(err, errlen,
		         "%s serial must be 0 to %" PRId64 ", got %" PRId64, format, max,
		         serial);
		return -1;
	}
	return 0;
}

/* Copies the n characters of text and a NUL to out (outlen bytes). */
static int put(const char *text, size_t n, char *out, size_t outlen, char *err, size_t errlen)
{
	if (outlen < n + 1) {
		wms_errf(err, errlen,
		         "output buffer holds %zu bytes, the tracking number needs %zu",
		         outlen, n + 1);
		return -1;
	}
	memcpy(out, text, n + 1);
	return 0;
}

static int make_s10(const char *service, int64_t serial, const char *country,
                    char *out, size_t outlen, char *err, size_t errlen)
{
	char buf[WMS_TRACKING_MAX];

	if (!is_letters(service, 2)) {
		wms_errf(err, errlen, "S10 service indicator must be two upper-case letters");
		return -1;
	}
	if (serial_check("S10", serial, WMS_S10_SERIAL_MAX, err, errlen) < 0)
		return -1;
	if (s10_country(country, err, errlen) < 0)
		return -1;
	snprintf(buf, sizeof buf, "%.2s%08" PRId64, service, serial);
	int check = wms_s10_check_digit(buf + 2);
	snprintf(buf + 10, sizeof buf - 10, "%d%.2s", check, country);
	return put(buf, S10_LEN, out, outlen, err, errlen);
}

static int make_mod10(const char *prefix, int64_t serial, char *out, size_t outlen,
                      char *err, size_t errlen)
{
	char buf[WMS_TRACKING_MAX];
	size_t plen = prefix ? strnlen(prefix, WMS_MOD10_PREFIX_MAX + 1) : 0;

	if (plen < WMS_MOD10_PREFIX_MIN || plen > WMS_MOD10_PREFIX_MAX ||
	    !all_of(prefix, plen, is_prefix_char)) {
		wms_errf(err, errlen,
		         "mod10 carrier prefix must be 2 to 4 upper-case letters or digits");
		return -1;
	}
	if (serial_check("mod10", serial, WMS_MOD10_SERIAL_MAX, err, errlen) < 0)
		return -1;
	snprintf(buf, sizeof buf, "%s%010" PRId64, prefix, serial);
	int check = wms_gs1_check_digit(buf + plen, MOD10_SERIAL_LEN);
	buf[plen + MOD10_SERIAL_LEN] = (char)('0' + check);
	buf[plen + MOD10_SERIAL_LEN + 1] = '\0';
	return put(buf, plen + MOD10_SERIAL_LEN + 1, out, outlen, err, errlen);
}

int wms_tracking_make(enum wms_tracking_format format, const char *prefix, int64_t serial,
                      const char *country, char *out, size_t outlen, char *err, size_t errlen)
{
	switch (format) {
	case WMS_TRACKING_S10:
		return make_s10(prefix, serial, country, out, outlen, err, errlen);
	case WMS_TRACKING_MOD10:
		return make_mod10(prefix, serial, out, outlen, err, errlen);
	}
	wms_errf(err, errlen, "unknown tracking format %d", (int)format);
	return -1;
}

/* Parses the 13 characters at s as an S10 number into *out. */
static int parse_s10(const char *s, size_t len, struct wms_tracking *out,
                     char *err, size_t errlen)
{
	if (len != S10_LEN) {
		wms_errf(err, errlen, "S10 tracking number must be 13 characters, got %zu", len);
		return -1;
	}
	if (!all_of(s, 2, is_upper)) {
		wms_errf(err, errlen, "S10 service indicator must be two upper-case letters");
		return -1;
	}
	if (!all_of(s + 2, S10_SERIAL_LEN + 1, is_digit)) {
		wms_errf(err, errlen, "S10 serial and check digit must be 9 digits");
		return -1;
	}
	char country[3] = {s[11], s[12], '\0'};
	if (s10_country(country, err, errlen) < 0)
		return -1;
	int expected = wms_s10_check_digit(s + 2);
	int given = s[10] - '0';
	if (given != expected) {
		wms_errf(err, errlen, "S10 check digit is %d, expected %d", given, expected);
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->format = WMS_TRACKING_S10;
	memcpy(out->prefix, s, 2);
	out->serial = digits_value(s + 2, S10_SERIAL_LEN);
	out->check_digit = given;
	memcpy(out->country, country, sizeof country);
	return 0;
}

/* Parses the len (13..15) characters at s as a mod10 number into *out. */
static int parse_mod10(const char *s, size_t len, struct wms_tracking *out,
                       char *err, size_t errlen)
{
	if (len < MOD10_MIN_LEN || len > MOD10_MAX_LEN) {
		wms_errf(err, errlen,
		         "mod10 tracking number must be 13 to 15 characters, got %zu", len);
		return -1;
	}
	size_t plen = len - MOD10_SERIAL_LEN - 1;
	if (!all_of(s, plen, is_prefix_char)) {
		wms_errf(err, errlen,
		         "mod10 carrier prefix must be 2 to 4 upper-case letters or digits");
		return -1;
	}
	const char *serial = s + plen;
	if (!all_of(serial, MOD10_SERIAL_LEN + 1, is_digit)) {
		wms_errf(err, errlen, "mod10 serial and check digit must be 11 digits");
		return -1;
	}
	int expected = wms_gs1_check_digit(serial, MOD10_SERIAL_LEN);
	int given = serial[MOD10_SERIAL_LEN] - '0';
	if (given != expected) {
		wms_errf(err, errlen, "mod10 check digit is %d, expected %d", given, expected);
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->format = WMS_TRACKING_MOD10;
	memcpy(out->prefix, s, plen);
	out->serial = digits_value(serial, MOD10_SERIAL_LEN);
	out->check_digit = given;
	return 0;
}

int wms_tracking_parse(const char *s, struct wms_tracking *out, char *err, size_t errlen)
{
	size_t len = s ? strnlen(s, WMS_TRACKING_MAX) : 0;

	if (len == 0) {
		wms_errf(err, errlen, "empty tracking number");
		return -1;
	}
	if (len >= WMS_TRACKING_MAX) {
		wms_errf(err, errlen,
		         "tracking number is longer than %d characters", WMS_TRACKING_MAX - 1);
		return -1;
	}
	char last = s[len - 1];
	if (is_digit(last))
		return parse_mod10(s, len, out, err, errlen);
	if (is_upper(last) || (last >= 'a' && last <= 'z'))
		return parse_s10(s, len, out, err, errlen);
	wms_errf(err, errlen, "tracking number must end in a digit (mod10) or a letter (s10)");
	return -1;
}
