/* money.c — overflow-checked integer money arithmetic, half-even rate application
 * and formatting. See money.h for the rounding rule. */
#include "wms/money.h"

#include <stdio.h>
#include <string.h>

/* 128-bit intermediates are a GCC/Clang extension; __extension__ keeps -pedantic quiet. */
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

int money_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

int money_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;
	if (__builtin_sub_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

int money_mul(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;
	if (__builtin_mul_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

/*
 * a × b ÷ den, rounded half to even. The product of two int64 values has at most
 * 126 magnitude bits, so it is exact in an i128 and its negation cannot overflow.
 * The division is done on the magnitude (so rounding is symmetric around zero):
 * q = |n| / den, r = |n| % den; round up when 2r > den, or when 2r == den and q is
 * odd. 2r cannot overflow since r < den <= INT64_MAX.
 */
int money_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out)
{
	if (den <= 0)
		return -1;
	i128 n = (i128)a * (i128)b;
	int neg = n < 0;
	u128 mag = neg ? (u128)(-n) : (u128)n;
	u128 d = (u128)den;
	u128 q = mag / d;
	u128 r = mag % d;
	if (2 * r > d || (2 * r == d && (q & 1)))
		q++;
	/* the int64 range is [-2^63, 2^63 - 1] */
	u128 limit = neg ? (u128)INT64_MAX + 1 : (u128)INT64_MAX;
	if (q > limit)
		return -1;
	*out = neg ? (int64_t)(-(i128)q) : (int64_t)q;
	return 0;
}

int money_mul_bp(int64_t amount, int64_t bp, int64_t *out)
{
	return money_muldiv(amount, bp, MONEY_BP_ONE, out);
}

int money_mul_ppm(int64_t amount, int64_t ppm, int64_t *out)
{
	return money_muldiv(amount, ppm, MONEY_PPM_ONE, out);
}

bool money_code_valid(const char *code)
{
	if (code == NULL)
		return false;
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return false;
	return code[3] == '\0';
}

int money_set(struct money *m, int64_t minor, const char *code)
{
	if (!money_code_valid(code))
		return -1;
	m->minor = minor;
	memcpy(m->currency, code, MONEY_CODE_LEN);
	return 0;
}

/* a op b into out, in a's currency (out may be a or b). */
static int combine(const struct money *a, const struct money *b, struct money *out,
                   int (*op)(int64_t, int64_t, int64_t *))
{
	int64_t r;
	if (strcmp(a->currency, b->currency) != 0 || op(a->minor, b->minor, &r) != 0)
		return -1;
	char code[MONEY_CODE_LEN];
	memcpy(code, a->currency, MONEY_CODE_LEN);
	out->minor = r;
	memcpy(out->currency, code, MONEY_CODE_LEN);
	return 0;
}

int money_sum(const struct money *a, const struct money *b, struct money *out)
{
	return combine(a, b, out, money_add);
}

int money_diff(const struct money *a, const struct money *b, struct money *out)
{
	return combine(a, b, out, money_sub);
}

/*
 * Writes value / 10^scale as "[-]int[.frac]" where frac has between min_decimals
 * and scale digits (trailing zeros beyond min_decimals dropped). The magnitude is
 * taken as uint64 so INT64_MIN formats correctly. Returns -1 with buf "" when the
 * arguments are out of range or the text does not fit.
 */
int money_format_fixed(int64_t value, int scale, int min_decimals, char *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (scale < 0 || scale > MONEY_MAX_EXPONENT || min_decimals < 0 || min_decimals > scale)
		return -1;
	uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
	uint64_t pow = 1;
	for (int i = 0; i < scale; i++)
		pow *= 10;
	uint64_t ipart = mag / pow;
	uint64_t fpart = mag % pow;

	char frac[MONEY_MAX_EXPONENT + 1];
	int nfrac = scale;
	for (int i = scale - 1; i >= 0; i--) {
		frac[i] = (char)('0' + fpart % 10);
		fpart /= 10;
	}
	while (nfrac > min_decimals && frac[nfrac - 1] == '0')
		nfrac--;
	frac[nfrac] = '\0';

	int n = snprintf(buf, len, "%s%llu%s%s", value < 0 ? "-" : "",
	                 (unsigned long long)ipart, nfrac > 0 ? "." : "", frac);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int money_format(int64_t minor, const char *code, int exponent, char *buf, size_t len)
{
	char num[MONEY_FMT_MAX];
	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (money_format_fixed(minor, exponent, exponent, num, sizeof num) != 0)
		return -1;
	int has_code = code != NULL && code[0] != '\0';
	int n = snprintf(buf, len, "%s%s%s", num, has_code ? " " : "", has_code ? code : "");
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}
