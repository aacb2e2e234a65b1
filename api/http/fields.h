/* fields.h — validators for the recurring fields of request bodies (codes,
 * countries, currencies, time zones, GTINs), on top of jsonv. */
#ifndef WMS_API_FIELDS_H
#define WMS_API_FIELDS_H

#include <stdbool.h>

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

/* True when name is a time zone of the tz database (/usr/share/zoneinfo). */
bool fields_tz_exists(const char *name);

#endif
