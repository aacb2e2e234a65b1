/* checkdigit.h — GS1 mod-10 check digits and validation of GTIN, SSCC and GLN numbers.
 *
 * GS1 check digit: multiply the digits by 3 and 1 alternately, starting with 3
 * on the digit just left of the check digit (i.e. "from the right"), sum, and
 * take the distance to the next multiple of ten. Because the weights count from
 * the right, left-padding a key with zeros does not change its check digit,
 * which is what makes GTIN-8/12/13 → GTIN-14 normalisation a plain zero fill.
 *
 * All functions are pure and thread-safe. Error texts go to a caller buffer
 * (err, errlen); err may be NULL when the caller only wants the verdict.
 */
#ifndef WMS_CHECKDIGIT_H
#define WMS_CHECKDIGIT_H

#include <stdbool.h>
#include <stddef.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* Length of a GTIN-14 / SSCC-18 / GLN-13 as text, without the terminating NUL. */
#define WMS_GTIN_LEN 14
#define WMS_SSCC_LEN 18
#define WMS_GLN_LEN  13

/* The check digit (0..9) for the n digits in body, which do NOT include a
 * check digit. Returns -1 if body holds a non-digit. n may be 0 (result 0). */
int wms_gs1_check_digit(const char *body, size_t n) WMS_MUST_CHECK;

/* Whether the last of the n digits in s is the correct check digit for the
 * ones before it. n must be >= 2. On failure writes "check digit is 3,
 * expected 5" or "contains a non-digit" (or "is too short") to err. */
int wms_gs1_verify(const char *s, size_t n, char *err, size_t errlen) WMS_MUST_CHECK;

/* Validates a GTIN-8, -12 (UPC-A), -13 (EAN-13) or -14 given as the
 * NUL-terminated string in and writes the 14-digit form, zero-filled on the
 * left, to out (15 bytes with the NUL). Returns 0, or -1 with one of:
 * "GTIN must be 8, 12, 13 or 14 digits", "GTIN contains a non-digit",
 * "check digit is 3, expected 5". out is left untouched on failure. */
int wms_gtin_normalize(const char *in, char out[15], char *err, size_t errlen) WMS_MUST_CHECK;

/* The same for a length-bounded input that need not be NUL-terminated (it may
 * even contain NUL bytes, which are reported as non-digits). */
int wms_gtin_normalize_n(const char *in, size_t len, char out[15],
                         char *err, size_t errlen) WMS_MUST_CHECK;

/* Validates an SSCC-18 (NUL-terminated, exactly 18 digits with a correct
 * check digit). Returns 0 or -1 with "SSCC must be 18 digits",
 * "SSCC contains a non-digit" or "check digit is 3, expected 5". */
int wms_sscc_validate(const char *in, char *err, size_t errlen) WMS_MUST_CHECK;

/* Validates a GLN (global location number: 13 digits with a check digit).
 * Errors as for SSCC, with "GLN must be 13 digits". */
int wms_gln_validate(const char *in, char *err, size_t errlen) WMS_MUST_CHECK;

#endif
