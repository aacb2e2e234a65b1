/* checkdigit.c — GS1 mod-10 check digits; GTIN / SSCC / GLN validation. */
#include "wms/checkdigit.h"

#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

int wms_gs1_check_digit(const char *body, size_t n)
{
	unsigned sum = 0;
	unsigned weight = 3;

	for (size_t i = n; i-- > 0;) {
		if (!is_digit(body[i]))
			return -1;
		sum += (unsigned)(body[i] - '0') * weight;
		weight = 4 - weight; /* 3, 1, 3, 1, ... */
	}
	return (int)((10 - sum % 10) % 10);
}

int wms_gs1_verify(const char *s, size_t n, char *err, size_t errlen)
{
	if (n < 2) {
		set_err(err, errlen, "is too short to carry a check digit");
		return -1;
	}
	int expected = wms_gs1_check_digit(s, n - 1);
	if (expected < 0 || !is_digit(s[n - 1])) {
		set_err(err, errlen, "contains a non-digit");
		return -1;
	}
	int given = s[n - 1] - '0';
	if (given != expected) {
		if (err && errlen > 0)
			snprintf(err, errlen, "check digit is %d, expected %d", given, expected);
		return -1;
	}
	return 0;
}

/* Validates the len bytes at in as a `what` key of one of the lengths in
 * lens[] (a 0-terminated list) and checks its check digit. Errors name `what`
 * and `lendesc` ("GTIN must be 8, 12, 13 or 14 digits"). */
static int validate_key(const char *in, size_t len, const char *what,
                        const size_t *lens, const char *lendesc,
                        char *err, size_t errlen)
{
	bool len_ok = false;
	for (const size_t *l = lens; *l; l++)
		if (len == *l)
			len_ok = true;

	/* A non-digit is the more useful message when both are wrong
	 * ("4006381333931x" is a typo, not a wrong length). */
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(in[i])) {
			if (err && errlen > 0)
				snprintf(err, errlen, "%s contains a non-digit", what);
			return -1;
		}
	}
	if (!len_ok) {
		if (err && errlen > 0)
			snprintf(err, errlen, "%s must be %s digits", what, lendesc);
		return -1;
	}
	return wms_gs1_verify(in, len, err, errlen);
}

int wms_gtin_normalize_n(const char *in, size_t len, char out[15], char *err, size_t errlen)
{
	static const size_t lens[] = {8, 12, 13, 14, 0};

	if (validate_key(in, len, "GTIN", lens, "8, 12, 13 or 14", err, errlen) < 0)
		return -1;
	size_t pad = WMS_GTIN_LEN - len;
	memset(out, '0', pad);
	memcpy(out + pad, in, len);
	out[WMS_GTIN_LEN] = '\0';
	return 0;
}

int wms_gtin_normalize(const char *in, char out[15], char *err, size_t errlen)
{
	/* Bounded scan: anything longer than 14 is wrong anyway, so never look
	 * further than one byte past that. */
	size_t len = strnlen(in, WMS_GTIN_LEN + 1);
	return wms_gtin_normalize_n(in, len, out, err, errlen);
}

int wms_sscc_validate(const char *in, char *err, size_t errlen)
{
	static const size_t lens[] = {WMS_SSCC_LEN, 0};
	return validate_key(in, strnlen(in, WMS_SSCC_LEN + 1), "SSCC", lens, "18", err, errlen);
}

int wms_gln_validate(const char *in, char *err, size_t errlen)
{
	static const size_t lens[] = {WMS_GLN_LEN, 0};
	return validate_key(in, strnlen(in, WMS_GLN_LEN + 1), "GLN", lens, "13", err, errlen);
}
