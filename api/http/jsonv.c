/* jsonv.c — field validation helpers for request bodies. */
#include "api/http/jsonv.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void jsonv_free(struct jsonv *v)
{
	cJSON_Delete(v->errors);
	v->errors = NULL;
	v->count = 0;
}

cJSON *jsonv_take(struct jsonv *v)
{
	cJSON *e = v->errors;
	v->errors = NULL;
	v->count = 0;
	return e;
}

void jsonv_error(struct jsonv *v, const char *field, const char *code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	v->count++;
	if (!v->errors && !(v->errors = cJSON_CreateArray()))
		return;
	cJSON *e = cJSON_CreateObject();
	if (!e)
		return;
	cJSON_AddStringToObject(e, "field", field);
	cJSON_AddStringToObject(e, "code", code);
	cJSON_AddStringToObject(e, "message", msg);
	cJSON_AddItemToArray(v->errors, e);
}

/* obj[field], or NULL when absent or JSON null; records "required". */
static const cJSON *member(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (item && !cJSON_IsNull(item))
		return item;
	if (required)
		jsonv_error(v, field, "required", "%s is required", field);
	return NULL;
}

/* The string with its length bounds; control characters allowed when raw. */
static const char *string_at(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                             size_t minlen, size_t maxlen, bool raw)
{
	const cJSON *item = member(v, obj, field, required);
	if (!item)
		return NULL;
	if (!cJSON_IsString(item)) {
		jsonv_error(v, field, "type", "%s must be a string", field);
		return NULL;
	}
	size_t len = strlen(item->valuestring);
	if (len < minlen) {
		if (minlen == 1)
			jsonv_error(v, field, "too_short", "%s must not be empty", field);
		else
			jsonv_error(v, field, "too_short", "%s must be at least %zu characters", field, minlen);
		return NULL;
	}
	if (len > maxlen) {
		jsonv_error(v, field, "too_long", "%s must be at most %zu characters", field, maxlen);
		return NULL;
	}
	for (const unsigned char *c = (const unsigned char *)item->valuestring; !raw && *c; c++) {
		if (*c < 0x20 || *c == 0x7F) {
			jsonv_error(v, field, "control_character",
			            "%s must not contain control characters (U+%04X at byte %zu)", field, *c,
			            (size_t)(c - (const unsigned char *)item->valuestring));
			return NULL;
		}
	}
	return item->valuestring;
}

const char *jsonv_string(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                         size_t minlen, size_t maxlen)
{
	return string_at(v, obj, field, required, minlen, maxlen, false);
}

const char *jsonv_raw_string(struct jsonv *v, const cJSON *obj, const char *field,
                             bool required, size_t minlen, size_t maxlen)
{
	return string_at(v, obj, field, required, minlen, maxlen, true);
}

int jsonv_int(struct jsonv *v, const cJSON *obj, const char *field, bool required, long long min,
              long long max, long long *out)
{
	const cJSON *item = member(v, obj, field, required);
	if (!item)
		return 0;
	double d = item->valuedouble;
	if (!cJSON_IsNumber(item) || d != floor(d) || fabs(d) > 9007199254740992.0) {
		jsonv_error(v, field, "type", "%s must be an integer", field);
		return -1;
	}
	long long n = (long long)d;
	if (n < min || n > max) {
		jsonv_error(v, field, "range", "%s must be between %lld and %lld", field, min, max);
		return -1;
	}
	*out = n;
	return 1;
}

int jsonv_bool(struct jsonv *v, const cJSON *obj, const char *field, bool required, bool *out)
{
	const cJSON *item = member(v, obj, field, required);
	if (!item)
		return 0;
	if (!cJSON_IsBool(item)) {
		jsonv_error(v, field, "type", "%s must be true or false", field);
		return -1;
	}
	*out = cJSON_IsTrue(item);
	return 1;
}

int jsonv_enum(struct jsonv *v, const cJSON *obj, const char *field, bool required,
               const char *const *choices)
{
	const cJSON *item = member(v, obj, field, required);
	if (!item)
		return -1;
	if (cJSON_IsString(item))
		for (int i = 0; choices[i]; i++)
			if (strcmp(item->valuestring, choices[i]) == 0)
				return i;
	char list[256];
	size_t n = 0;
	list[0] = '\0';
	for (int i = 0; choices[i] && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", choices[i]);
	jsonv_error(v, field, "enum", "%s must be one of: %s", field, list);
	return -1;
}

void jsonv_no_unknown(struct jsonv *v, const cJSON *obj, const char *prefix,
                      const char *const *allowed)
{
	for (const cJSON *it = obj ? obj->child : NULL; it; it = it->next) {
		int known = 0;
		for (int i = 0; allowed[i] && !known; i++)
			known = it->string && strcmp(it->string, allowed[i]) == 0;
		if (!known) {
			char field[160];
			snprintf(field, sizeof field, "%s%s", prefix, it->string ? it->string : "");
			jsonv_error(v, field, "unknown_field", "%s is not a known field", field);
		}
	}
}

/* obj[field] when it has JSON type is (cJSON_Object, cJSON_Array); see jsonv_object. */
static const cJSON *container(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                              int is, const char *what)
{
	const cJSON *item = member(v, obj, field, required);
	if (item && (item->type & 0xFF) != is) {
		jsonv_error(v, field, "type", "%s must be %s", field, what);
		return NULL;
	}
	return item;
}

const cJSON *jsonv_object(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	return container(v, obj, field, required, cJSON_Object, "an object");
}

const cJSON *jsonv_array(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	return container(v, obj, field, required, cJSON_Array, "an array");
}

void jsonv_immutable(struct jsonv *v, const cJSON *obj, const char *field)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, field))
		jsonv_error(v, field, "immutable", "%s cannot be changed", field);
}

void jsonv_merge(struct jsonv *dst, struct jsonv *src, const char *prefix_fmt, ...)
{
	char prefix[160];
	va_list ap;
	va_start(ap, prefix_fmt);
	vsnprintf(prefix, sizeof prefix, prefix_fmt, ap);
	va_end(ap);
	int count = src->count;
	cJSON *errors = jsonv_take(src);
	const cJSON *e;
	cJSON_ArrayForEach(e, errors)
	{
		const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "field"));
		const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
		const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
		char field[320];
		snprintf(field, sizeof field, "%s%s", prefix, f ? f : "");
		jsonv_error(dst, field, c ? c : "invalid", "%s", m ? m : "invalid");
		count--;
	}
	if (count > 0) { /* errors src counted but could not store (out of memory) */
		prefix[strcspn(prefix, ".")] = '\0';
		jsonv_error(dst, prefix, "invalid", "%s is invalid", prefix);
	}
	cJSON_Delete(errors);
}

bool jsonv_is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	for (size_t i = 0; i < sizeof shape - 1; i++) {
		char c = s[i];
		if (shape[i] == '-') {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return s[sizeof shape - 1] == '\0';
}

int jsonv_number(struct jsonv *v, const cJSON *obj, const char *field, bool required, double min,
                 double max, double *out)
{
	const cJSON *item = member(v, obj, field, required);
	if (!item)
		return 0;
	if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble)) {
		jsonv_error(v, field, "type", "%s must be a number", field);
		return -1;
	}
	if (!(item->valuedouble >= min && item->valuedouble <= max)) {
		jsonv_error(v, field, "range", "%s must be between %g and %g", field, min, max);
		return -1;
	}
	*out = item->valuedouble;
	return 1;
}
