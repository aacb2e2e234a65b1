/* money.h — integer money: int64 minor units plus an ISO 4217 code, overflow-checked
 * arithmetic, rates in basis points / ppm with one rounding rule, and human formatting.
 *
 * Amounts are signed 64-bit counts of the currency's minor unit (cents for USD, won
 * for KRW, fils for BHD). Nothing here uses floating point.
 *
 * Overflow: every operation that can leave the int64 range returns -1 and leaves its
 * output untouched; nothing ever wraps.
 *
 * Rounding rule (the only one in the code base): a product that is not a whole number
 * of minor units is rounded to the nearest minor unit, ties to even ("banker's
 * rounding": 0.5 → 0, 1.5 → 2, 2.5 → 2, −0.5 → 0, −1.5 → −2). Rounding is symmetric
 * around zero. The exact product is formed in a 128-bit intermediate and rounded once,
 * so a caller that rounds once per line gets exactly one rounding per line.
 *
 * All functions are pure and thread-safe.
 */
#ifndef WMS_MONEY_H
#define WMS_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* An ISO 4217 alphabetic code with its NUL ("USD"). */
#define MONEY_CODE_LEN 4
/* Largest currency exponent money_format accepts (int64 has 19 digits). */
#define MONEY_MAX_EXPONENT 18
/* A buffer this large always holds money_format's output. */
#define MONEY_FMT_MAX 32

#define MONEY_BP_ONE 10000     /* 100% in basis points */
#define MONEY_PPM_ONE 1000000  /* 100% in parts per million */

/* An amount in a currency. currency is three upper-case letters and a NUL. */
struct money {
	int64_t minor;
	char currency[MONEY_CODE_LEN];
};

/* Overflow-checked *out = a + b, a − b, a × b. Return 0, or -1 on overflow. */
int money_add(int64_t a, int64_t b, int64_t *out) WMS_MUST_CHECK;
int money_sub(int64_t a, int64_t b, int64_t *out) WMS_MUST_CHECK;
int money_mul(int64_t a, int64_t b, int64_t *out) WMS_MUST_CHECK;

/* *out = a × b ÷ den rounded half to even, with an exact 128-bit intermediate.
 * den must be > 0. Returns -1 if den <= 0 or the result leaves the int64 range. */
int money_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out) WMS_MUST_CHECK;

/* *out = amount × bp ÷ 10000 (basis points) / × ppm ÷ 1000000, half to even.
 * Rates may be any int64 (negative or above 100%); -1 only on overflow. */
int money_mul_bp(int64_t amount, int64_t bp, int64_t *out) WMS_MUST_CHECK;
int money_mul_ppm(int64_t amount, int64_t ppm, int64_t *out) WMS_MUST_CHECK;

/* Whether code is exactly three upper-case ASCII letters. */
bool money_code_valid(const char *code);

/* Fills *m with minor and code. Returns -1 (m untouched) if code is not valid. */
int money_set(struct money *m, int64_t minor, const char *code) WMS_MUST_CHECK;

/* *out = a + b / a − b for amounts in the same currency. Returns -1 on a
 * currency mismatch or overflow (out untouched). out may alias a or b. */
int money_sum(const struct money *a, const struct money *b, struct money *out) WMS_MUST_CHECK;
int money_diff(const struct money *a, const struct money *b, struct money *out) WMS_MUST_CHECK;

/* Formats minor units for people with the currency's exponent (number of minor-unit
 * digits, 0..18) and appends the code: (3600, "USD", 2) → "36.00 USD",
 * (1200, "KRW", 0) → "1200 KRW", (1500, "BHD", 3) → "1.500 BHD", (-5, "USD", 2) →
 * "-0.05 USD". No thousands separators. The exponent is a parameter (callers keep
 * it with the schedule or take it from an ISO 4217 table) so this module needs no
 * currency table. code may be NULL or "" to print the number alone.
 * Returns 0, or -1 if the exponent is out of range or buf is too small (buf then
 * holds ""). MONEY_FMT_MAX bytes are always enough. */
int money_format(int64_t minor, const char *code, int exponent, char *buf, size_t len)
	WMS_MUST_CHECK;

/* Formats a non-negative or negative fixed-point number value / 10^scale with at
 * most scale decimals, dropping trailing zeros but keeping at least min_decimals:
 * (2400, 3, 1) → "2.4", (12000000, 9, 0) → "0.012", (800, 2, 2) → "8.00",
 * (5000, 2, 0) → "50". Returns 0, or -1 (buf "") if scale is not 0..18,
 * min_decimals > scale, or buf is too small. */
int money_format_fixed(int64_t value, int scale, int min_decimals, char *buf, size_t len)
	WMS_MUST_CHECK;

#endif
