/* jsonv.h — validating fields of a JSON request body, collecting every
 * problem as {field, code, message} for one 422 answer. */
#ifndef WMS_API_JSONV_H
#define WMS_API_JSONV_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

/* Collected field errors. Initialise with JSONV_INIT; release with jsonv_free()
 * unless its errors were handed over with jsonv_take(). */
struct jsonv {
	cJSON *errors; /* array of {field, code, message}, or NULL */
	int count;
};
#define JSONV_INIT {NULL, 0}

void jsonv_free(struct jsonv *v);

/* Records one error; message is printf-style. */
void jsonv_error(struct jsonv *v, const char *field, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Hands the errors array over to the caller (NULL when none). */
cJSON *jsonv_take(struct jsonv *v);

/* Each getter reads obj[field] (field may carry a prefix for messages via
 * jsonv_*_at). When absent (or JSON null): records "required" if required,
 * returns the "absent" result. When present but wrong type or out of bounds:
 * records an error. */

/* A string of minlen..maxlen bytes (UTF-8, as the body decoder checked) without control
 * characters (U+0001..U+001F, U+007F; U+0000 never gets past the decoder). Returns it
 * (owned by obj) or NULL when absent or invalid. */
const char *jsonv_string(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                         size_t minlen, size_t maxlen);

/* jsonv_string for the one kind of text that carries control characters: a scanner's raw
 * barcode, whose GS1 element strings are separated by <GS> (U+001D). */
const char *jsonv_raw_string(struct jsonv *v, const cJSON *obj, const char *field,
                             bool required, size_t minlen, size_t maxlen);

/* An integer in min..max (JSON numbers that are whole and exactly
 * representable; 2^53 bounds). Returns 1 and sets *out when valid, 0 when
 * absent, -1 when invalid. */
int jsonv_int(struct jsonv *v, const cJSON *obj, const char *field, bool required, long long min,
              long long max, long long *out);

/* A boolean. Returns 1/0 through *out; same return convention as jsonv_int. */
int jsonv_bool(struct jsonv *v, const cJSON *obj, const char *field, bool required, bool *out);

/* One of the strings in choices (NULL-terminated). Returns its index, -1 when
 * absent or invalid. */
int jsonv_enum(struct jsonv *v, const cJSON *obj, const char *field, bool required,
               const char *const *choices);

/* Records "unknown_field" for every member of obj not named in allowed
 * (NULL-terminated). prefix is prepended to field names ("" for top level). */
void jsonv_no_unknown(struct jsonv *v, const cJSON *obj, const char *prefix,
                      const char *const *allowed);

/* obj[field] when it is a JSON object. Absent or null: records "required" if
 * required and returns NULL; another type: records "type", returns NULL. */
const cJSON *jsonv_object(struct jsonv *v, const cJSON *obj, const char *field, bool required);

/* obj[field] when it is a JSON array, as jsonv_object. */
const cJSON *jsonv_array(struct jsonv *v, const cJSON *obj, const char *field, bool required);

/* Records "immutable" when obj has field (the field may not be changed). */
void jsonv_immutable(struct jsonv *v, const cJSON *obj, const char *field);

/* Moves src's errors into dst, each field name prefixed with the printf-style
 * prefix ("address.", or "%s." with "lines[3]"); src is left empty. For
 * validating a nested object with the getters above. */
void jsonv_merge(struct jsonv *dst, struct jsonv *src, const char *prefix, ...)
	__attribute__((format(printf, 3, 4)));

/* True when s is a canonical UUID string (8-4-4-4-12 hex). */
bool jsonv_is_uuid(const char *s);

/* A finite number in min..max (fractions allowed: coordinates, factors). Returns 1 and sets
 * *out when valid, 0 when absent, -1 when invalid (as jsonv_int). */
int jsonv_number(struct jsonv *v, const cJSON *obj, const char *field, bool required, double min,
                 double max, double *out);

#endif
