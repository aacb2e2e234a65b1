/* instant.c — RFC 3339 instants and dates: parsing within the server's range, and the one
 * output form. Civil-date arithmetic after H. Hinnant's days_from_civil/civil_from_days. */
#include "api/http/instant.h"

#include <string.h>

int64_t instant_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                            /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;          /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

void instant_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153; /* March = 0 */
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* n digits at s as a number, or -1 when one is not a digit. */
static int digits(const char *s, int n)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	return x;
}

/* The date in the first 10 bytes of s ("YYYY-MM-DD"), checked against the calendar and
 * the range. */
static int date_prefix(const char *s, int64_t *days)
{
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1)
		return -1;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if ((unsigned)d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*days = instant_days_from_civil(y, (unsigned)m, (unsigned)d);
	return y < INSTANT_YEAR_MIN || y > INSTANT_YEAR_MAX ? -2 : 0;
}

int instant_parse_date(const char *s, int64_t *days)
{
	return strlen(s) == 10 ? date_prefix(s, days) : -1;
}

int instant_parse(const char *s, bool date_ok, int64_t *us)
{
	int64_t days;
	int range = date_prefix(s, &days);
	if (range == -1)
		return -1;
	if (date_ok && s[10] == '\0') {
		*us = days * 86400 * INSTANT_US;
		return range;
	}
	if ((s[10] != 'T' && s[10] != 't') || strnlen(s, 19) < 19 || s[13] != ':' || s[16] != ':')
		return -1;
	int hh = digits(s + 11, 2), mi = digits(s + 14, 2), ss = digits(s + 17, 2);
	if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60)
		return -1;
	if (ss == 60)
		ss = 59;
	const char *p = s + 19;
	int64_t frac = 0;
	if (*p == '.') {
		int n = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, n++)
			if (n < 6)
				frac = frac * 10 + (*p - '0');
		if (n == 0 || n > 9)
			return -1;
		for (; n < 6; n++)
			frac *= 10;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && strnlen(p, 6) == 6 && p[3] == ':') {
		int oh = digits(p + 1, 2), om = digits(p + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
		off = (*p == '-' ? -1 : 1) * (oh * 3600LL + om * 60LL);
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	int64_t t = (days * 86400 + hh * 3600 + mi * 60 + ss - off) * INSTANT_US + frac;
	int64_t lo = instant_days_from_civil(INSTANT_YEAR_MIN, 1, 1) * 86400 * INSTANT_US;
	int64_t hi = instant_days_from_civil(INSTANT_YEAR_MAX + 1, 1, 1) * 86400 * INSTANT_US;
	if (t < lo || t >= hi) /* outside the range, or an offset moved it out */
		return -2;
	*us = t;
	return 0;
}

/* Writes v as n decimal digits at out. */
static void put_digits(char *out, int64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

void instant_format(int64_t us, char out[INSTANT_TEXT])
{
	int64_t sec = us / INSTANT_US, frac = us % INSTANT_US;
	if (frac < 0) { /* floor division */
		frac += INSTANT_US;
		sec--;
	}
	int64_t days = sec / 86400, s = sec % 86400;
	if (s < 0) {
		s += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	instant_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) { /* beyond RFC 3339: clamp the year, which parse refuses anyway */
		y = y < 0 ? 0 : 9999;
	}
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, s / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, s / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, s % 60, 2);
	size_t n = 19;
	if (frac) {
		out[n++] = '.';
		put_digits(out + n, frac, 6);
		n += 6;
	}
	out[n++] = 'Z';
	out[n] = '\0';
}
