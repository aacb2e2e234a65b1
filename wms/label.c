/* label.c — renders a 4×6 inch shipping label as ZPL II text. */
#include "wms/label.h"

#include "wms/codes.h"
#include "wms/errf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Layout, in dots at 203 dpi. Text is font 0 at height = width = h. */
#define LABEL_WIDTH  812
#define LABEL_LENGTH 1218
#define MARGIN       40
#define INNER_WIDTH  (LABEL_WIDTH - 2 * MARGIN)

/* One line of text: origin, font size, and the most characters shown. */
struct slot {
	int x, y, h;
	size_t max;
};

static const struct slot FROM_TITLE   = {MARGIN, 30, 22, 0};
static const struct slot FROM_NAME    = {MARGIN, 56, 30, 40};
static const struct slot FROM_COUNTRY = {MARGIN, 92, 30, 2};
static const struct slot TO_TITLE     = {MARGIN, 150, 22, 0};
static const struct slot TO_NAME      = {MARGIN, 178, 44, 30};
static const struct slot TO_LINE      = {MARGIN, 232, 34, 40}; /* y of the first; LINE_STEP apart */
static const struct slot TO_POSTAL    = {MARGIN, 0, 40, 12};   /* "postal city" follows the lines */
static const struct slot TO_CITY      = {MARGIN, 0, 40, 28};
static const struct slot TO_COUNTRY   = {MARGIN, 0, 40, 2};
static const struct slot CARRIER      = {MARGIN, 485, 36, 30};
static const struct slot SERVICE      = {MARGIN, 527, 30, 40};
static const struct slot SORT_CODE    = {MARGIN + 24, 612, 120, WMS_LABEL_SORT_CODE_MAX};
static const struct slot WEIGHT       = {MARGIN, 1040, 36, 0};
static const struct slot ORDER_TITLE  = {MARGIN, 1090, 22, 0};
static const struct slot ORDER_REF    = {MARGIN, 1116, 28, WMS_LABEL_ORDER_REF_MAX};
#define LINE_STEP      40
#define CITY_STEP      46
#define RULE_FROM_Y    135
#define RULE_TO_Y      470
#define SORT_BOX_Y     575
#define SORT_BOX_H     190
#define BARCODE_Y      790
#define BARCODE_H      180
#define DM_X           612  /* Data Matrix: at most 40×40 modules of 4 dots */
#define DM_Y           1040
#define DM_MODULE      4

/* The output: writes while there is room, counts always, so that a short
 * buffer still learns the size it needed. */
struct zpl {
	char *buf;
	size_t cap;
	size_t len;
};

static void put_bytes(struct zpl *z, const char *s, size_t n)
{
	if (z->len < z->cap) {
		size_t room = z->cap - z->len;
		memcpy(z->buf + z->len, s, n < room ? n : room);
	}
	z->len += n;
}

static void putf(struct zpl *z, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct zpl *z, const char *fmt, ...)
{
	char tmp[96];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put_bytes(z, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static bool is_cont(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/* Decodes the UTF-8 character at s (NUL-terminated, s[0] != NUL): returns its
 * length in bytes (>= 1) and sets *cp to the code point, or to -1 when the
 * bytes are not valid UTF-8 (then the length is 1: the bad byte alone). Never
 * reads past the NUL, which is not a continuation byte. */
static size_t utf8_next(const unsigned char *s, int32_t *cp)
{
	unsigned char b = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		n = 2;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3;
		if (b == 0xE0)
			lo = 0xA0; /* overlong */
		else if (b == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4;
		if (b == 0xF0)
			lo = 0x90; /* overlong */
		else if (b == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		*cp = -1;
		return 1;
	}
	if (s[1] < lo || s[1] > hi) {
		*cp = -1;
		return 1;
	}
	int32_t v = b & (0xFF >> (n + 1));
	for (size_t i = 1; i < n; i++) {
		if (!is_cont(s[i])) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = v;
	return n;
}

/* The number of characters (code points, invalid bytes counting one each)
 * in s, counting no further than limit + 1. */
static size_t text_chars(const char *s, size_t limit)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0;
	int32_t cp;
	while (*p && count <= limit) {
		p += utf8_next(p, &cp);
		count++;
	}
	return count;
}

/* Appends at most max characters of s as ^FH field data: control characters
 * become a space, invalid UTF-8 '?', ^ ~ _ \ their hex escapes; the rest of
 * the UTF-8 as it is. */
static void put_text(struct zpl *z, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	int32_t cp;
	for (size_t count = 0; *p && count < max; count++) {
		size_t n = utf8_next(p, &cp);
		if (cp < 0)
			put_bytes(z, "?", 1);
		else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			put_bytes(z, " ", 1);
		else if (cp == '^' || cp == '~' || cp == '_' || cp == '\\')
			putf(z, "_%02X", (unsigned)cp);
		else
			put_bytes(z, (const char *)p, n);
		p += n;
	}
}

/* Starts a text field at slot s (with y in place of s->y): origin, font, ^FH^FD. */
static void field_start(struct zpl *z, const struct slot *s, int y)
{
	putf(z, "^FO%d,%d^A0N,%d,%d^FH^FD", s->x, y, s->h, s->h);
}

static void field_end(struct zpl *z)
{
	put_bytes(z, "^FS\n", 4);
}

/* A whole text field: the fixed ASCII title (may be "") then value (may be
 * NULL) cut to the slot's length. */
static void text_field(struct zpl *z, const struct slot *s, int y, const char *title,
                       const char *value)
{
	field_start(z, s, y);
	put_bytes(z, title, strlen(title));
	if (value)
		put_text(z, value, s->max);
	field_end(z);
}

static bool present(const char *s)
{
	return s && *s;
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Checks label before anything is written; one reason in err. */
static int label_check(const struct wms_label *l, char *err, size_t errlen)
{
	const struct {
		const char *value;
		const char *name;
	} required[] = {
		{l->from_name, "from_name"}, {l->from_country, "from_country"},
		{l->to.name, "to.name"},     {l->to.city, "to.city"},
		{l->to.country, "to.country"}, {l->carrier, "carrier"},
		{l->service, "service"},     {l->tracking, "tracking"},
		{l->sort_code, "sort_code"}, {l->order_ref, "order_ref"},
	};
	char why[96];

	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		if (!present(required[i].value)) {
			wms_errf(err, errlen, "%s is required", required[i].name);
			return -1;
		}
	}
	if (wms_country_check(l->from_country, why, sizeof why) < 0) {
		wms_errf(err, errlen, "from_country: %s", why);
		return -1;
	}
	if (wms_country_check(l->to.country, why, sizeof why) < 0) {
		wms_errf(err, errlen, "to.country: %s", why);
		return -1;
	}
	size_t n = strnlen(l->tracking, WMS_LABEL_TRACKING_MAX + 1);
	bool ok = n <= WMS_LABEL_TRACKING_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = is_alnum(l->tracking[i]);
	if (!ok) {
		wms_errf(err, errlen, "tracking must be 1 to %d ASCII letters and digits",
		         WMS_LABEL_TRACKING_MAX);
		return -1;
	}
	n = text_chars(l->sort_code, WMS_LABEL_SORT_CODE_MAX);
	if (n > WMS_LABEL_SORT_CODE_MAX) {
		wms_errf(err, errlen, "sort_code must be 1 to %d characters",
		         WMS_LABEL_SORT_CODE_MAX);
		return -1;
	}
	n = text_chars(l->order_ref, WMS_LABEL_ORDER_REF_MAX);
	if (n > WMS_LABEL_ORDER_REF_MAX) {
		wms_errf(err, errlen, "order_ref must be 1 to %d characters",
		         WMS_LABEL_ORDER_REF_MAX);
		return -1;
	}
	if (l->weight_g < 1 || l->weight_g > WMS_LABEL_WEIGHT_MAX_G) {
		wms_errf(err, errlen, "weight_g must be 1 to %" PRId64 ", got %" PRId64,
		         WMS_LABEL_WEIGHT_MAX_G, l->weight_g);
		return -1;
	}
	if (present(l->data_2d)) {
		n = strnlen(l->data_2d, WMS_LABEL_DATA_2D_MAX + 1);
		ok = n <= WMS_LABEL_DATA_2D_MAX;
		for (size_t i = 0; ok && i < n; i++) {
			char c = l->data_2d[i];
			ok = c >= 0x20 && c <= 0x7E && c != '^' && c != '~' && c != '_';
		}
		if (!ok) {
			wms_errf(err, errlen,
			         "data_2d must be 1 to %d printable ASCII characters other than ^ ~ _",
			     WMS_LABEL_DATA_2D_MAX);
			return -1;
		}
	}
	return 0;
}

/* The ship-to block: name, the address lines present (closing up), postal
 * code and city, country. */
static void ship_to(struct zpl *z, const struct wms_label_address *to)
{
	text_field(z, &TO_TITLE, TO_TITLE.y, "SHIP TO", NULL);
	text_field(z, &TO_NAME, TO_NAME.y, "", to->name);
	int y = TO_LINE.y;
	for (int i = 0; i < WMS_LABEL_ADDRESS_LINES; i++) {
		if (present(to->lines[i])) {
			text_field(z, &TO_LINE, y, "", to->lines[i]);
			y += LINE_STEP;
		}
	}
	y += CITY_STEP - LINE_STEP;
	field_start(z, &TO_CITY, y);
	if (present(to->postal_code)) {
		put_text(z, to->postal_code, TO_POSTAL.max);
		put_bytes(z, " ", 1);
	}
	put_text(z, to->city, TO_CITY.max);
	field_end(z);
	text_field(z, &TO_COUNTRY, y + CITY_STEP, "", to->country);
}

/* "WEIGHT 1.2 kg": nearest 100 g, halves up, at least 0.1 kg. */
static void weight_field(struct zpl *z, int64_t grams)
{
	int64_t tenths = (grams + 50) / 100;
	if (tenths < 1)
		tenths = 1;
	field_start(z, &WEIGHT, WEIGHT.y);
	putf(z, "WEIGHT %" PRId64 ".%" PRId64 " kg", tenths / 10, tenths % 10);
	field_end(z);
}

/* The tracking number as Code 128 with its human-readable line: module width
 * 3 dots when it fits the label's inner width, else 2 (subset B: 11 modules a
 * character plus 35 for start, check and stop; 30 characters fit at 2). */
static void tracking_barcode(struct zpl *z, const char *tracking)
{
	size_t modules = 11 * strlen(tracking) + 35;
	int module = modules * 3 <= INNER_WIDTH ? 3 : 2;
	putf(z, "^FO%d,%d^BY%d,3,%d^BCN,%d,Y,N,N^FD", MARGIN, BARCODE_Y, module, BARCODE_H,
	     BARCODE_H);
	put_bytes(z, tracking, strlen(tracking));
	field_end(z);
}

int wms_label_render(const struct wms_label *l, char *out, size_t outlen, size_t *len,
                     char *err, size_t errlen)
{
	struct zpl z = {out, outlen, 0};

	if (outlen > 0)
		out[0] = '\0';
	if (label_check(l, err, errlen) < 0)
		return -1;

	putf(&z, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", LABEL_WIDTH, LABEL_LENGTH);
	text_field(&z, &FROM_TITLE, FROM_TITLE.y, "FROM", NULL);
	text_field(&z, &FROM_NAME, FROM_NAME.y, "", l->from_name);
	text_field(&z, &FROM_COUNTRY, FROM_COUNTRY.y, "", l->from_country);
	putf(&z, "^FO%d,%d^GB%d,3,3^FS\n", MARGIN, RULE_FROM_Y, INNER_WIDTH);
	ship_to(&z, &l->to);
	putf(&z, "^FO%d,%d^GB%d,3,3^FS\n", MARGIN, RULE_TO_Y, INNER_WIDTH);
	text_field(&z, &CARRIER, CARRIER.y, "", l->carrier);
	text_field(&z, &SERVICE, SERVICE.y, "", l->service);
	putf(&z, "^FO%d,%d^GB%d,%d,4^FS\n", MARGIN, SORT_BOX_Y, INNER_WIDTH, SORT_BOX_H);
	text_field(&z, &SORT_CODE, SORT_CODE.y, "", l->sort_code);
	tracking_barcode(&z, l->tracking);
	weight_field(&z, l->weight_g);
	text_field(&z, &ORDER_TITLE, ORDER_TITLE.y, "ORDER", NULL);
	text_field(&z, &ORDER_REF, ORDER_REF.y, "", l->order_ref);
	if (present(l->data_2d)) {
		putf(&z, "^FO%d,%d^BXN,%d,200,,,,_^FD", DM_X, DM_Y, DM_MODULE);
		put_bytes(&z, l->data_2d, strlen(l->data_2d));
		field_end(&z);
	}
	put_bytes(&z, "^XZ", 3);

	if (z.len >= outlen) {
		wms_errf(err, errlen,
		         "the label needs %zu bytes, the buffer holds %zu", z.len + 1, outlen);
		if (outlen > 0)
			out[0] = '\0';
		return -1;
	}
	out[z.len] = '\0';
	if (len)
		*len = z.len;
	return 0;
}
