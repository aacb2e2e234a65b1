/* fields.h — validators for the recurring fields of request bodies (codes,
 * countries, currencies, time zones, GTINs), on top of jsonv. */
#ifndef WMS_API_FIELDS_H
#define WMS_API_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "api/http/jsonv.h"

/* An upper-case code: [A-Z0-9][A-Z0-9_-]{1,31}. Returns it or NULL. */
const char *fields_code(struct jsonv *v, const cJSON *obj, const char *field, bool required);
/* An ISO 3166-1 alpha-2 country code. */
const char *fields_country(struct jsonv *v, const cJSON *obj, const char *field, bool required);
/* An ISO 4217 currency code. */
const char *fields_currency(struct jsonv *v, const cJSON *obj, const char *field, bool required);
/* An IANA time zone name known to this machine's tz database. */
const char *fields_time_zone(struct jsonv *v, const cJSON *obj, const char *field, bool required);
/* A GTIN-8/12/13/14 with a valid check digit, normalised to 14 digits in
 * out. Returns 1 when valid, 0 when absent, -1 when invalid. */
int fields_gtin(struct jsonv *v, const cJSON *obj, const char *field, bool required, char out[15]);

/* A lot: 1..20 characters of GS1 character set 82 (what a barcode's AI 10 can carry).
 * Returns it (owned by obj) or NULL. */
const char *fields_lot(struct jsonv *v, const cJSON *obj, const char *field, bool required);

/* An id: a canonical UUID (8-4-4-4-12 hex); on mismatch records "format" with the message
 * "<field> must be <hint>" ("the order's id (a UUID)"). Returns it (owned by obj) or NULL. */
const char *fields_uuid(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                        const char *hint);

/* A date "YYYY-MM-DD" within the server's range (instant.h); *days gets its day number
 * when not NULL. Returns it (owned by obj) or NULL. */
const char *fields_date(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                        int64_t *days);

/* An RFC 3339 date-time within the server's range (instant.h); *us gets its instant when
 * not NULL. Returns it (owned by obj) or NULL. */
const char *fields_instant(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                           int64_t *us);

/* True when s matches the POSIX extended regular expression re (anchor it). */
bool fields_matches(const char *re, const char *s);

/* A string of 1..maxlen bytes matching re; on mismatch records "format" with
 * the message "<field> must be <hint>". Returns it (owned by obj) or NULL. */
const char *fields_shape(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                         size_t maxlen, const char *re, const char *hint);

/* True when name is a time zone of the tz database (/usr/share/zoneinfo). */
bool fields_tz_exists(const char *name);

#endif
