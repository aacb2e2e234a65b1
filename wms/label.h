/* label.h — a 4×6 inch shipping label as ZPL II text for Zebra label printers (203 dpi, 812×1218 dots).
 *
 * What is printed, top to bottom:
 *   FROM      the warehouse name and its country code
 *   SHIP TO   name (large), up to three address lines, "postal code city",
 *             country code
 *   carrier and service
 *   the sort code in large type, in a box (the route's first sort: a
 *             destination zone or first leg id)
 *   the tracking number as a Code 128 barcode with its human-readable line
 *   WEIGHT    the weight in kg with one decimal; ORDER, the order reference
 *   an optional Data Matrix (ECC 200) with caller-chosen content, bottom right
 *
 * The text: "^XA" first, "^XZ" last, nothing else outside one command per
 * line; "^CI28" (UTF-8) right after "^XA". Same input, same bytes: no clock,
 * no locale, no randomness.
 *
 * Text fields (names, address, city, carrier, service, sort code, order
 * reference) are printed as given, made safe:
 *   - ^ ~ _ \ are written as the ^FH hex escapes _5E _7E _5F _5C, so no byte
 *     of the input can start a ZPL command (^… format, ~… control) or end the
 *     field early; every text field is "^FH^FD…^FS".
 *   - control characters (U+0000-U+001F, U+007F-U+009F: newlines, tabs, ESC)
 *     become a space; bytes that are not valid UTF-8 (stray continuation
 *     bytes, overlong forms, surrogates, above U+10FFFF) become '?'; all other
 *     UTF-8 is passed through (the printer needs a font with those glyphs:
 *     the built-in font 0 has Latin only).
 * Free text is cut to fit its line, counted in characters (code points); the
 * limits assume average-width text, and the printer clips anything wider:
 *   from_name 40, ship-to name 30, address lines 40 each, postal code 12,
 *   city 28, carrier 30, service 40.
 * Identifiers are never cut; a longer one is an error: sort_code 10,
 * order_ref 36 characters.
 * Barcode data is never escaped or cut either, so it is restricted instead:
 *   tracking  1 to 30 ASCII letters and digits (Code 128 subset B; '>' would
 *             switch subsets in ZPL), printed verbatim as "^FD<tracking>^FS".
 *   data_2d   1 to 100 printable ASCII characters other than ^ ~ _ (the
 *             Data Matrix escape character is set to _).
 *
 * All functions are pure and thread-safe; nothing is allocated. Error texts
 * go to a caller buffer (err, errlen); err may be NULL.
 */
#ifndef WMS_LABEL_H
#define WMS_LABEL_H

#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* A buffer this large always holds a rendered label with its NUL. */
#define WMS_LABEL_MAX 4096

#define WMS_LABEL_ADDRESS_LINES  3
#define WMS_LABEL_TRACKING_MAX   30
#define WMS_LABEL_SORT_CODE_MAX  10
#define WMS_LABEL_ORDER_REF_MAX  36
#define WMS_LABEL_DATA_2D_MAX    100
#define WMS_LABEL_WEIGHT_MAX_G   INT64_C(9999999)

/* Where the parcel goes. Strings are NUL-terminated UTF-8; "optional" ones
 * may be NULL or "". */
struct wms_label_address {
	const char *name;                            /* required */
	const char *lines[WMS_LABEL_ADDRESS_LINES];  /* optional street lines; missing ones close up */
	const char *postal_code;                     /* optional: not every country has one */
	const char *city;                            /* required */
	const char *country;                         /* required, ISO 3166-1 alpha-2 */
};

/* Everything on the label. The strings are only read during the call. */
struct wms_label {
	const char *from_name;        /* required: the warehouse's name */
	const char *from_country;     /* required: the warehouse's ISO 3166-1 alpha-2 code */
	struct wms_label_address to;
	const char *carrier;          /* required: carrier name */
	const char *service;          /* required: carrier service name */
	const char *tracking;         /* required: the tracking number (wms/tracking.h) */
	const char *sort_code;        /* required: the route's sort code */
	const char *order_ref;        /* required: the order reference */
	int64_t weight_g;             /* required: 1 to WMS_LABEL_WEIGHT_MAX_G grams */
	const char *data_2d;          /* optional: Data Matrix content; NULL or "": none */
};

/* Renders label as ZPL II into out (outlen bytes; WMS_LABEL_MAX always
 * suffices), NUL-terminated, and sets *len (may be NULL) to its length.
 * The weight is shown as kg with one decimal, rounded to the nearest 100 g
 * with halves up ("1.2 kg" for 1249 g, "1.3 kg" for 1250 g), and never below
 * "0.1 kg" for a parcel that weighs something.
 * Returns 0, or -1 with one reason in err and out not a label (out[0] is
 * NUL when outlen > 0):
 *   "from_name is required", "to.city is required", …
 *   "to.country: UK is not an assigned ISO 3166-1 alpha-2 country code",
 *   "tracking must be 1 to 30 ASCII letters and digits",
 *   "sort_code must be 1 to 10 characters",
 *   "order_ref must be 1 to 36 characters",
 *   "weight_g must be 1 to 9999999, got 0",
 *   "data_2d must be 1 to 100 printable ASCII characters other than ^ ~ _",
 *   "the label needs 1234 bytes, the buffer holds 1000". */
int wms_label_render(const struct wms_label *label, char *out, size_t outlen, size_t *len,
                     char *err, size_t errlen) WMS_MUST_CHECK;

#endif
