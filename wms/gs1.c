/* gs1.c — GS1 element-string and plain GTIN parser for raw scanner input. */
#include "wms/gs1.h"

#include "wms/checkdigit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum ai_kind {
	AI_FIXED_NUM, /* exactly len digits */
	AI_VAR_ALNUM, /* 1..len characters of GS1 character set 82 */
	AI_VAR_NUM,   /* 1..len digits */
};

struct ai_def {
	char ai[3];
	unsigned flag;
	enum ai_kind kind;
	size_t len;      /* fixed length, or maximum for variable AIs */
	bool check;      /* last digit is a GS1 check digit */
};

static const struct ai_def ai_table[] = {
	{"00", GS1_HAS_SSCC,    AI_FIXED_NUM, 18, true},
	{"01", GS1_HAS_GTIN,    AI_FIXED_NUM, 14, true},
	{"02", GS1_HAS_CONTENT, AI_FIXED_NUM, 14, true},
	{"10", GS1_HAS_LOT,     AI_VAR_ALNUM, 20, false},
	{"17", GS1_HAS_EXPIRY,  AI_FIXED_NUM, 6,  false},
	{"21", GS1_HAS_SERIAL,  AI_VAR_ALNUM, 20, false},
	{"37", GS1_HAS_COUNT,   AI_VAR_NUM,   8,  false},
};
#define AI_COUNT (sizeof ai_table / sizeof ai_table[0])

#define GS 0x1D
#define GS_TEXT "<GS>"
#define GS_TEXT_LEN 4

static void fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Writes a printable rendering of byte c ("'x'" or "0x1D") to buf[8]. */
static const char *show_byte(char c, char buf[8])
{
	unsigned char u = (unsigned char)c;
	if (u > 0x20 && u < 0x7F)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02X", u);
	return buf;
}

/* GS1 AI encodable character set 82 (GS1 GenSpecs figure 7.11-1). */
static bool is_cset82(char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c))
		return true;
	return c != '\0' && strchr("!\"%&'()*+,-./:;<=>?_", c) != NULL;
}

/* Length of the separator starting at s[pos] (1 for GS, 4 for the text
 * "<GS>"), or 0 if there is none. Reads only inside [0, end). */
static size_t sep_len(const char *s, size_t pos, size_t end)
{
	if (pos >= end)
		return 0;
	if (s[pos] == GS)
		return 1;
	if (end - pos >= GS_TEXT_LEN && memcmp(s + pos, GS_TEXT, GS_TEXT_LEN) == 0)
		return GS_TEXT_LEN;
	return 0;
}

int gs1_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

int gs1_pivot_year(int yy, int current_year)
{
	int century = current_year - current_year % 100;
	int diff = yy - current_year % 100;
	if (diff >= 51)
		century -= 100;
	else if (diff <= -50)
		century += 100;
	return century + yy;
}

int gs1_parse_yymmdd(const char six[6], int current_year, struct gs1_date *out)
{
	for (int i = 0; i < 6; i++)
		if (!is_digit(six[i]))
			return -1;
	int yy = (six[0] - '0') * 10 + (six[1] - '0');
	int mm = (six[2] - '0') * 10 + (six[3] - '0');
	int dd = (six[4] - '0') * 10 + (six[5] - '0');
	int year = gs1_pivot_year(yy, current_year);
	int last = gs1_days_in_month(year, mm);
	if (last == 0 || dd > last)
		return -1;
	out->year = year;
	out->month = mm;
	out->day = dd == 0 ? last : dd;
	out->day_unspecified = dd == 0;
	return 0;
}

static const struct ai_def *find_ai(const char *two)
{
	for (size_t i = 0; i < AI_COUNT; i++)
		if (ai_table[i].ai[0] == two[0] && ai_table[i].ai[1] == two[1])
			return &ai_table[i];
	return NULL;
}

/* Stores the value v (n bytes, already validated) of AI def into *r,
 * converting where needed. Returns 0, or -1 with err set (check digit, date). */
static int store_value(const struct ai_def *def, const char *v, size_t n, int current_year,
                       struct gs1_result *r, char *err, size_t errlen)
{
	char why[64];

	if (def->check && wms_gs1_verify(v, n, why, sizeof why) < 0) {
		fail(err, errlen, "AI %s: %s", def->ai, why);
		return -1;
	}
	switch (def->flag) {
	case GS1_HAS_SSCC:
		memcpy(r->sscc, v, n);
		r->sscc[n] = '\0';
		break;
	case GS1_HAS_GTIN:
		memcpy(r->gtin, v, n);
		r->gtin[n] = '\0';
		break;
	case GS1_HAS_CONTENT:
		memcpy(r->content_gtin, v, n);
		r->content_gtin[n] = '\0';
		break;
	case GS1_HAS_LOT:
		memcpy(r->lot, v, n);
		r->lot[n] = '\0';
		break;
	case GS1_HAS_SERIAL:
		memcpy(r->serial, v, n);
		r->serial[n] = '\0';
		break;
	case GS1_HAS_EXPIRY:
		if (gs1_parse_yymmdd(v, current_year, &r->expiry) < 0) {
			fail(err, errlen, "AI %s is not a valid date: %.6s", def->ai, v);
			return -1;
		}
		break;
	case GS1_HAS_COUNT: {
		uint32_t c = 0;
		for (size_t i = 0; i < n; i++)
			c = c * 10 + (uint32_t)(v[i] - '0');
		if (c == 0) {
			fail(err, errlen, "AI %s: count must be at least 1", def->ai);
			return -1;
		}
		r->count = c;
		break;
	}
	default:
		/* ai_table and this switch disagree: a programming error. */
		fail(err, errlen, "AI %s: internal error", def->ai);
		return -1;
	}
	return 0;
}

/* Reads the data of AI def starting at s[*pos] (end is the end of the input)
 * and validates its shape; sets *vstart, *vlen and advances *pos past the data
 * (not past a separator). Returns 0 or -1 with err set. */
static int read_value(const struct ai_def *def, const char *s, size_t *pos, size_t end,
                      size_t *vstart, size_t *vlen, char *err, size_t errlen)
{
	size_t p = *pos;
	char b[8];

	if (def->kind == AI_FIXED_NUM) {
		size_t n = 0;
		while (n < def->len && p + n < end && is_digit(s[p + n]))
			n++;
		if (n < def->len) {
			if (p + n < end && !sep_len(s, p + n, end)) {
				fail(err, errlen, "AI %s: expected a digit at position %zu, found %s",
				     def->ai, p + n + 1, show_byte(s[p + n], b));
				return -1;
			}
			fail(err, errlen, "AI %s is too short: %zu of %zu digits", def->ai, n, def->len);
			return -1;
		}
		*vstart = p;
		*vlen = n;
		*pos = p + n;
		return 0;
	}

	/* Variable length: up to a separator or the end; never scan further
	 * than one byte beyond the maximum. */
	size_t n = 0;
	while (p + n < end && !sep_len(s, p + n, end) && n <= def->len)
		n++;
	if (n > def->len) {
		if (def->kind == AI_VAR_NUM)
			fail(err, errlen, "AI %s: count must be 1 to %zu digits", def->ai, def->len);
		else
			fail(err, errlen, "AI %s is longer than %zu characters", def->ai, def->len);
		return -1;
	}
	if (n == 0) {
		if (def->kind == AI_VAR_NUM)
			fail(err, errlen, "AI %s: count must be 1 to %zu digits", def->ai, def->len);
		else
			fail(err, errlen, "AI %s is empty", def->ai);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[p + i];
		if (def->kind == AI_VAR_NUM && !is_digit(c)) {
			fail(err, errlen, "AI %s: count must be 1 to %zu digits", def->ai, def->len);
			return -1;
		}
		if (def->kind == AI_VAR_ALNUM && !is_cset82(c)) {
			fail(err, errlen, "AI %s contains a character GS1 does not allow: %s at position %zu",
			     def->ai, show_byte(c, b), p + i + 1);
			return -1;
		}
	}
	*vstart = p;
	*vlen = n;
	*pos = p + n;
	return 0;
}

/* Parses element strings in s[pos, end) into *r. */
static int parse_elements(const char *s, size_t pos, size_t end, int current_year,
                          struct gs1_result *r, char *err, size_t errlen)
{
	/* Where each AI's data was seen, to compare repeats. */
	size_t seen_at[AI_COUNT], seen_len[AI_COUNT];
	char b[8];

	size_t sl = sep_len(s, pos, end);
	pos += sl; /* FNC1 in first position */
	if (pos >= end) {
		fail(err, errlen, "no element string in the barcode");
		return -1;
	}
	while (pos < end) {
		if (sep_len(s, pos, end)) {
			fail(err, errlen, "two separators in a row at position %zu", pos + 1);
			return -1;
		}
		if (end - pos < 2 || !is_digit(s[pos]) || !is_digit(s[pos + 1])) {
			if (end - pos < 2 && is_digit(s[pos]))
				fail(err, errlen, "truncated AI at the end of the input");
			else {
				size_t bad = is_digit(s[pos]) ? pos + 1 : pos;
				fail(err, errlen, "expected an AI at position %zu, found %s", bad + 1,
				     show_byte(s[bad], b));
			}
			return -1;
		}
		const struct ai_def *def = find_ai(s + pos);
		if (!def) {
			fail(err, errlen, "unknown AI %c%c", s[pos], s[pos + 1]);
			return -1;
		}
		pos += 2;
		size_t vstart, vlen;
		if (read_value(def, s, &pos, end, &vstart, &vlen, err, errlen) < 0)
			return -1;

		size_t idx = (size_t)(def - ai_table);
		if (r->present & def->flag) {
			if (seen_len[idx] != vlen || memcmp(s + seen_at[idx], s + vstart, vlen) != 0) {
				fail(err, errlen, "AI %s appears twice with different values", def->ai);
				return -1;
			}
		} else {
			if (store_value(def, s + vstart, vlen, current_year, r, err, errlen) < 0)
				return -1;
			r->present |= def->flag;
			seen_at[idx] = vstart;
			seen_len[idx] = vlen;
		}
		pos += sep_len(s, pos, end);
	}

	if ((r->present & GS1_HAS_GTIN) && (r->present & GS1_HAS_CONTENT)) {
		fail(err, errlen, "AI 01 and AI 02 cannot appear together");
		return -1;
	}
	if ((r->present & GS1_HAS_CONTENT) && !(r->present & GS1_HAS_COUNT)) {
		fail(err, errlen, "AI 02 requires AI 37 (count of contained items)");
		return -1;
	}
	if ((r->present & GS1_HAS_COUNT) && !(r->present & GS1_HAS_CONTENT)) {
		fail(err, errlen, "AI 37 requires AI 02 (GTIN of contained items)");
		return -1;
	}
	return 0;
}

/* Parses a plain GTIN body s[pos, end); lens (0-terminated) are the lengths
 * the symbology allows, lendesc describes them for the error. */
static int parse_plain(const char *s, size_t pos, size_t end, const size_t *lens,
                       const char *lendesc, struct gs1_result *r, char *err, size_t errlen)
{
	size_t n = end - pos;
	char why[64];
	bool ok = false;

	for (const size_t *l = lens; *l; l++)
		if (n == *l)
			ok = true;
	if (!ok) {
		for (size_t i = pos; i < end; i++) {
			if (!is_digit(s[i])) {
				fail(err, errlen, "GTIN contains a non-digit");
				return -1;
			}
		}
		fail(err, errlen, "symbology %s carries %s digits, got %zu", r->aim, lendesc, n);
		return -1;
	}
	if (wms_gtin_normalize_n(s + pos, n, r->gtin, why, sizeof why) < 0) {
		fail(err, errlen, "%s%s", strncmp(why, "GTIN", 4) == 0 ? "" : "GTIN: ", why);
		return -1;
	}
	r->kind = GS1_KIND_PLAIN_GTIN;
	r->present = GS1_HAS_GTIN;
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

int gs1_parse(const char *s, size_t len, int current_year,
              struct gs1_result *out, char *err, size_t errlen)
{
	static const size_t lens_any[] = {8, 12, 13, 14, 0};
	static const size_t lens_e0[] = {12, 13, 0};
	static const size_t lens_e4[] = {8, 0};
	static const size_t lens_itf[] = {14, 0};
	struct gs1_result r;
	size_t pos = 0, end = len;
	char b1[8], b2[8];

	memset(&r, 0, sizeof r);
	if (current_year < 1900 || current_year > 9899) {
		fail(err, errlen, "current year %d is out of range", current_year);
		return -1;
	}
	if (!s)
		end = 0;
	while (end > 0 && (s[end - 1] == '\r' || s[end - 1] == '\n'))
		end--;
	if (end == 0) {
		fail(err, errlen, "empty barcode");
		return -1;
	}

	if (s[0] == ']') {
		if (end < 3) {
			fail(err, errlen, "truncated symbology identifier");
			return -1;
		}
		char f = s[1], m = s[2];
		bool letter = (f >= 'A' && f <= 'Z') || (f >= 'a' && f <= 'z');
		bool modifier = is_digit(m) || (m >= 'A' && m <= 'Z') || (m >= 'a' && m <= 'z');
		if (!letter || !modifier) {
			fail(err, errlen, "malformed symbology identifier: ']' followed by %s %s",
			     show_byte(f, b1), show_byte(m, b2));
			return -1;
		}
		memcpy(r.aim, s, 3);
		r.aim[3] = '\0';
		pos = 3;
		if (pos == end) {
			fail(err, errlen, "empty barcode after symbology %s", r.aim);
			return -1;
		}

		int rc;
		if (!strcmp(r.aim, "]C1") || !strcmp(r.aim, "]d2") || !strcmp(r.aim, "]Q3") ||
		    !strcmp(r.aim, "]e0") || !strcmp(r.aim, "]J1"))
			rc = parse_elements(s, pos, end, current_year, &r, err, errlen);
		else if (!strcmp(r.aim, "]E0"))
			rc = parse_plain(s, pos, end, lens_e0, "12 or 13", &r, err, errlen);
		else if (!strcmp(r.aim, "]E4"))
			rc = parse_plain(s, pos, end, lens_e4, "8", &r, err, errlen);
		else if (!strcmp(r.aim, "]I0") || !strcmp(r.aim, "]I1"))
			rc = parse_plain(s, pos, end, lens_itf, "14", &r, err, errlen);
		else {
			fail(err, errlen, "symbology %s does not carry GS1 data", r.aim);
			return -1;
		}
		if (rc < 0)
			return -1;
	} else {
		size_t n = end;
		bool plain = all_digits(s, n) && (n == 8 || n == 12 || n == 13 || n == 14);
		int rc = plain ? parse_plain(s, 0, end, lens_any, "8, 12, 13 or 14", &r, err, errlen)
		               : parse_elements(s, 0, end, current_year, &r, err, errlen);
		if (rc < 0)
			return -1;
	}
	*out = r;
	return 0;
}

bool gs1_cset82(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!\"%&'()*+,-./:;<=>?_", c));
}
