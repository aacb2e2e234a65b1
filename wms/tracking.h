/* tracking.h — parcel tracking numbers per carrier service: UPU S10 (postal) and prefix + serial + GS1 mod-10 (courier), made from a serial and validated.
 *
 * Formats
 *
 *   s10    UPU S10, 13 characters: "RR" "47312482" "9" "GB"
 *          two service-indicator letters A-Z, an 8-digit serial (0..99999999),
 *          the S10 check digit, the ISO 3166-1 alpha-2 code of the issuing post.
 *          Check digit: the serial's digits weighted 8 6 4 2 3 5 9 7 from the
 *          left, summed; c = 11 - (sum mod 11), then 10 becomes 0 and 11
 *          becomes 5. (UPU S10: 47312482 → sum 200 → 9, "RR473124829GB".)
 *          Because remainders 0 and 6 both give 5, S10 misses some
 *          single-digit errors: "RR000000005GB" and "RR000000045GB" are both
 *          valid.
 *          The service indicator is any two upper-case letters: which ones a
 *          post may use (EA-EZ EMS, CA-CZ parcels, RA-RZ registered, …) is
 *          the post's and the carrier table's business, not checked here. The
 *          country must be an assigned ISO 3166-1 code (wms/codes.h).
 *
 *   mod10  courier / last-mile, 13 to 15 characters: "WMS" "0000012345" "7"
 *          a carrier prefix of 2 to 4 characters A-Z 0-9, a 10-digit serial
 *          (0..9999999999) and the GS1 mod-10 check digit of the serial
 *          (wms/checkdigit.h; the prefix is not covered by it). GS1 mod 10
 *          catches every single-digit error and most adjacent transpositions,
 *          but not those of two digits that differ by 5 ("05" ↔ "50").
 *
 * Uniqueness: within a format the number is a one-to-one function of its
 * parts — (service indicator, serial, country) for s10, (prefix, serial) for
 * mod10, each part at a fixed position or, for the mod10 prefix, fixed by the
 * length — and the formats never collide (an s10 number ends in two letters,
 * a mod10 one in a digit). So numbers are unique as long as the caller never
 * hands out the same serial twice for one (format, prefix[, country]). Serials
 * are inputs: this module allocates nothing. (UPU asks that an S10 number is
 * not reused within 12 months, 24 recommended.)
 *
 * Input is matched exactly: upper case, no blanks ("rr473124829gb" and
 * "RR 473 124 829 GB" are rejected, not fixed up).
 *
 * All functions are pure and thread-safe. Error texts go to a caller buffer
 * (err, errlen); err may be NULL when the caller only wants the verdict.
 */
#ifndef WMS_TRACKING_H
#define WMS_TRACKING_H

#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

enum wms_tracking_format {
	WMS_TRACKING_S10 = 1,   /* "s10" */
	WMS_TRACKING_MOD10 = 2, /* "mod10" */
};

/* A buffer this large holds every tracking number with its NUL (15 + 1). */
#define WMS_TRACKING_MAX 16

#define WMS_S10_SERIAL_MAX   INT64_C(99999999)
#define WMS_MOD10_SERIAL_MAX INT64_C(9999999999)
#define WMS_MOD10_PREFIX_MIN 2
#define WMS_MOD10_PREFIX_MAX 4

/* The name of a format ("s10", "mod10"), or NULL for a value that is none. */
const char *wms_tracking_format_name(enum wms_tracking_format format);

/* The format called name (exactly "s10" or "mod10"). Returns 0 and sets
 * *out, or -1 with "unknown tracking format \"x\" (s10 or mod10)". */
int wms_tracking_format_parse(const char *name, enum wms_tracking_format *out,
                              char *err, size_t errlen) WMS_MUST_CHECK;

/* The S10 check digit (0..9) of the 8 digits at serial (no NUL needed), or
 * -1 if one of them is not a digit. */
int wms_s10_check_digit(const char serial[8]) WMS_MUST_CHECK;

/* Writes the tracking number of the given format to out (outlen bytes,
 * WMS_TRACKING_MAX always suffices) with its NUL.
 *   s10:   prefix is the two-letter service indicator, serial 0..99999999,
 *          country the issuing post's ISO 3166-1 alpha-2 code.
 *   mod10: prefix is the 2-4 character carrier prefix, serial
 *          0..9999999999; country is ignored (may be NULL).
 * Returns 0, or -1 with out untouched and one reason in err:
 *   "unknown tracking format 7", "S10 service indicator must be two
 *   upper-case letters", "S10 serial must be 0 to 99999999, got 100000000",
 *   "S10 country: UK is not an assigned ISO 3166-1 alpha-2 country code",
 *   "mod10 carrier prefix must be 2 to 4 upper-case letters or digits",
 *   "mod10 serial must be 0 to 9999999999, got -1",
 *   "output buffer holds 13 bytes, the tracking number needs 14". */
int wms_tracking_make(enum wms_tracking_format format, const char *prefix, int64_t serial,
                      const char *country, char *out, size_t outlen,
                      char *err, size_t errlen) WMS_MUST_CHECK;

/* A tracking number taken apart. A plain value: nothing to free. */
struct wms_tracking {
	enum wms_tracking_format format;
	char prefix[WMS_MOD10_PREFIX_MAX + 1]; /* s10 service indicator or mod10 carrier prefix */
	int64_t serial;
	int check_digit;
	char country[3]; /* s10: the issuing post's country; mod10: "" */
};

/* Validates the NUL-terminated s and takes it apart. The format is told by
 * the last character: a letter means s10, a digit mod10 (so a mistyped S10
 * number ending in a digit is reported as a bad mod10 one). Reads at most
 * WMS_TRACKING_MAX bytes of s. Returns 0 and fills *out, or -1 with *out
 * untouched and one reason in err:
 *   "empty tracking number", "tracking number is longer than 15 characters",
 *   "tracking number must end in a digit (mod10) or a letter (s10)",
 *   "S10 tracking number must be 13 characters, got 12",
 *   "S10 service indicator must be two upper-case letters",
 *   "S10 serial and check digit must be 9 digits",
 *   "S10 country: country code must be two upper-case letters",
 *   "S10 country: XX is not an assigned ISO 3166-1 alpha-2 country code",
 *   "S10 check digit is 8, expected 9",
 *   "mod10 tracking number must be 13 to 15 characters, got 12",
 *   "mod10 carrier prefix must be 2 to 4 upper-case letters or digits",
 *   "mod10 serial and check digit must be 11 digits",
 *   "mod10 check digit is 3, expected 5". */
int wms_tracking_parse(const char *s, struct wms_tracking *out,
                       char *err, size_t errlen) WMS_MUST_CHECK;

#endif
