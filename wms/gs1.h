/* gs1.h — parses raw barcode scanner input: GS1 element strings (GS1-128, GS1 DataMatrix, …) and plain EAN/UPC GTINs.
 *
 * Input is the byte string the scanner sent, as it arrived over the network:
 * length-bounded, not NUL-terminated, possibly hostile. Nothing is read
 * outside [s, s + len).
 *
 * Accepted shapes
 *   [AIM symbology identifier] body [CR/LF]
 *
 * AIM symbology identifier: `]` + letter + one alphanumeric modifier.
 *   ]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR Code, ]e0 GS1 DataBar,
 *   ]J1 GS1 DotCode                      → body is a GS1 element string.
 *   ]E0 EAN-13 / UPC-A (12 or 13 digits), ]E4 EAN-8 (8 digits),
 *   ]I0 / ]I1 ITF-14 (14 digits)          → body is a plain GTIN.
 *   (UPC-E is not expanded: 8 digits under ]E0 are rejected.)
 *   Any other identifier (]A0 Code 39, ]C0 plain Code 128, ]d1 plain
 *   DataMatrix, ]E3 EAN with add-on, …) is rejected: it carries no GS1 data.
 * Without an identifier: a body of exactly 8, 12, 13 or 14 digits is a plain
 * GTIN (EAN-8, UPC-A, EAN-13, GTIN-14); anything else is parsed as an element
 * string. (A 14-digit body is therefore never read as element strings; a
 * GS1 symbology identifier forces element-string parsing.)
 * Trailing CR and LF (the "Enter" a keyboard-wedge scanner appends) are ignored.
 *
 * Element strings: two-digit AIs, each followed by its data. Supported AIs:
 *   00 SSCC, 18 digits, check digit        10 lot, 1-20 characters
 *   01 GTIN, 14 digits, check digit        21 serial, 1-20 characters
 *   02 GTIN of contained items, 14 digits  37 count of items, 1-8 digits, > 0
 *   17 expiry YYMMDD
 * Fixed-length AIs (00, 01, 02, 17) need no separator after them; variable
 * ones (10, 21, 37) end at a separator or at the end of the input. The
 * separator is FNC1 as transmitted, the GS byte 0x1D, or — because
 * keyboard-wedge scanners often cannot type a control character — the four
 * literal characters "<GS>". (Consequence: a lot or serial cannot contain the
 * text "<GS>"; '<' and '>' on their own are fine.) One separator is allowed at
 * the very start (FNC1 in first position sent by scanners without AIM
 * prefixes), after any element, and at the end; two in a row are an error.
 * Lot and serial must use the GS1 character set 82 (printable ASCII except
 * space # $ @ [ \ ] ^ ` { | } ~); so embedded NUL bytes are rejected.
 * Association rules enforced: 01 and 02 are exclusive; 02 and 37 require each
 * other. An AI repeated with the same data is accepted, with other data it
 * is an error. The human-readable "(01)…" form is not accepted.
 *
 * Dates (AI 17): YYMMDD must be a real calendar date; DD = 00 means the last
 * day of the month (GS1 General Specifications) and sets day_unspecified.
 * The century follows GS1 General Specifications §7.12: the year lies within
 * -49 … +50 years of current_year, which the caller supplies (wms/ reads no
 * clock).
 */
#ifndef WMS_GS1_H
#define WMS_GS1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* Bits of gs1_result.present: which AIs were read. */
enum {
	GS1_HAS_SSCC    = 1u << 0, /* AI 00 */
	GS1_HAS_GTIN    = 1u << 1, /* AI 01, or a plain EAN/UPC/GTIN-14 */
	GS1_HAS_CONTENT = 1u << 2, /* AI 02 */
	GS1_HAS_LOT     = 1u << 3, /* AI 10 */
	GS1_HAS_EXPIRY  = 1u << 4, /* AI 17 */
	GS1_HAS_SERIAL  = 1u << 5, /* AI 21 */
	GS1_HAS_COUNT   = 1u << 6, /* AI 37 */
};

enum gs1_kind {
	GS1_KIND_ELEMENT_STRING, /* AIs were parsed */
	GS1_KIND_PLAIN_GTIN,     /* a bare EAN-8/UPC-A/EAN-13/GTIN-14; only gtin is set */
};

struct gs1_date {
	int year;             /* four digits, after the century pivot */
	int month;            /* 1..12 */
	int day;              /* 1..31; the month's last day when DD was 00 */
	bool day_unspecified; /* DD was 00 */
};

/* The parse result. A plain value: no pointers into the input, nothing to free. */
struct gs1_result {
	enum gs1_kind kind;
	char aim[4];            /* the symbology identifier, e.g. "]C1"; "" when none */
	unsigned present;       /* GS1_HAS_* bits */
	char sscc[19];          /* AI 00, 18 digits */
	char gtin[15];          /* AI 01 or the plain GTIN, normalised to 14 digits */
	char content_gtin[15];  /* AI 02, 14 digits */
	char lot[21];           /* AI 10 */
	char serial[21];        /* AI 21 */
	struct gs1_date expiry; /* AI 17 */
	uint32_t count;         /* AI 37, 1..99999999 */
};

/* Parses the len bytes at s (see the top of this file for what is accepted).
 * current_year (1900..9899) anchors the two-digit years of AI 17.
 * On success returns 0 and fills *out. On failure returns -1, leaves *out
 * untouched and writes one precise reason to err (errlen bytes, may be NULL):
 *   "empty barcode", "unknown AI 99", "AI 01: check digit is 3, expected 5",
 *   "AI 17 is not a valid date: 251340", "AI 37: count must be 1 to 8 digits",
 *   "AI 10 is longer than 20 characters", "AI 00 is too short: 7 of 18 digits",
 *   "symbology ]A0 does not carry GS1 data", … */
int gs1_parse(const char *s, size_t len, int current_year,
              struct gs1_result *out, char *err, size_t errlen) WMS_MUST_CHECK;

/* The four-digit year for the two-digit yy (0..99) per GS1 GenSpecs §7.12:
 * within -49 … +50 years of current_year. */
int gs1_pivot_year(int yy, int current_year);

/* Decodes six digits YYMMDD (digits only, no NUL needed) into *out using
 * gs1_pivot_year; DD 00 means the last day of the month. Returns 0, or -1 if
 * the bytes are not digits or not a calendar date. */
int gs1_parse_yymmdd(const char six[6], int current_year, struct gs1_date *out) WMS_MUST_CHECK;

/* Whether c is in GS1's character set 82 (what AI 10, the lot, may hold). */
bool gs1_cset82(char c);

/* Days in month (1..12) of year in the Gregorian calendar; 0 for a bad month. */
int gs1_days_in_month(int year, int month);

#endif
