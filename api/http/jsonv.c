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

const char *jsonv_string(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                         size_t minlen, size_t maxlen)
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
	return item->valuestring;
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

int jsonv_parse_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
	}
	if (s[10] != '\0')
		return -1;
	int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int mm = (s[5] - '0') * 10 + (s[6] - '0');
	int dd = (s[8] - '0') * 10 + (s[9] - '0');
	if (yy < 1 || mm < 1 || mm > 12 || dd < 1)
		return -1;
	int leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
	if (dd > mdays[mm - 1] + (mm == 2 && leap))
		return -1;
	*y = yy, *m = mm, *d = dd;
	return 0;
}
