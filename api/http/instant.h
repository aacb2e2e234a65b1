/* instant.h — instants and calendar dates as the API reads and writes them (RFC 3339), in
 * the range the server computes with: years INSTANT_YEAR_MIN to INSTANT_YEAR_MAX. Outside
 * it an input is invalid (422), never an error deep in SQL. Pure and thread-safe: no libc
 * time functions. Instants are microseconds since 1970-01-01T00:00:00Z. */
#ifndef WMS_API_INSTANT_H
#define WMS_API_INSTANT_H

#include <stdbool.h>
#include <stdint.h>

#define INSTANT_YEAR_MIN 1970
#define INSTANT_YEAR_MAX 2199
#define INSTANT_US 1000000LL

/* Room for "YYYY-MM-DDTHH:MM:SS.ffffffZ" and its NUL. */
#define INSTANT_TEXT 28

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (no range check). */
int64_t instant_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The proleptic Gregorian date of a day count since 1970-01-01. */
void instant_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Parses a date "YYYY-MM-DD" (a real calendar day within the range) into *days. Returns 0,
 * -1 when s is not a date, -2 when it is one outside the range. */
int instant_parse_date(const char *s, int64_t *days) __attribute__((warn_unused_result));

/* Parses an RFC 3339 date-time ("2026-03-02T09:30:00Z", "…T09:30:00.5+01:00"; fractions to
 * the microsecond, leap second 60 read as 59) into *us; when date_ok, a bare date is its
 * midnight UTC. The instant must lie within the range. Returns 0, -1 when s is not an
 * RFC 3339 date-time, -2 when it is one outside the range. */
int instant_parse(const char *s, bool date_ok, int64_t *us) __attribute__((warn_unused_result));

/* Writes us as "YYYY-MM-DDTHH:MM:SSZ", with ".ffffff" before the Z when it has a fraction
 * of a second — the form every answer uses. */
void instant_format(int64_t us, char out[INSTANT_TEXT]);

#endif
