/* codes.h — ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes with their minor units.
 *
 * Built-in tables, no locale or file access. Codes are matched exactly: upper
 * case, no surrounding blanks ("gb" and " GB" are rejected, not fixed up).
 *
 * Countries: the 249 officially assigned alpha-2 codes (no user-assigned
 * codes such as XK, no exceptionally reserved ones such as UK or EU).
 * Currencies: the codes of ISO 4217 List One that carry a minor unit, i.e. the
 * ones money can be stored in as integer minor units — metals, SDR and the
 * testing/no-currency codes (XAU, XDR, XTS, XXX, …) are not accepted. Codes
 * withdrawn by 2025 (HRK, ANG, ZWL, SLL, CUC) are absent; XCG and ZWG are
 * present. Update the table in codes.c when ISO publishes an amendment.
 */
#ifndef WMS_CODES_H
#define WMS_CODES_H

#include <stdbool.h>
#include <stddef.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* Whether code (NUL-terminated) is an assigned ISO 3166-1 alpha-2 code. */
bool wms_country_valid(const char *code) WMS_MUST_CHECK;

/* The same with a reason: 0, or -1 with "country code must be two upper-case
 * letters" or "XX is not an assigned ISO 3166-1 alpha-2 country code". */
int wms_country_check(const char *code, char *err, size_t errlen) WMS_MUST_CHECK;

/* The ISO 4217 minor-unit exponent of code (USD 2, JPY 0, BHD 3, CLF 4), or
 * -1 when code is not an active currency with a minor unit. */
int wms_currency_exponent(const char *code) WMS_MUST_CHECK;

/* The same with a reason: 0 and *exponent set, or -1 with "currency code must
 * be three upper-case letters" or "XYZ is not an active ISO 4217 currency". */
int wms_currency_check(const char *code, int *exponent, char *err, size_t errlen) WMS_MUST_CHECK;

#endif
