/* fields.c — field validators shared by the handlers. */
#include "api/http/fields.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "wms/checkdigit.h"
#include "wms/codes.h"
#include "wms/gs1.h"

static bool code_shape(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '-'));
		if (!ok)
			return false;
	}
	return true;
}

const char *fields_code(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const char *s = jsonv_string(v, obj, field, required, 1, 64);
	if (s && !code_shape(s)) {
		jsonv_error(v, field, "format",
		            "%s must be 2 to 32 characters A-Z, 0-9, '_' or '-', starting with a letter "
		            "or digit", field);
		return NULL;
	}
	return s;
}

const char *fields_country(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	char err[128];
	const char *s = jsonv_string(v, obj, field, required, 1, 16);
	if (s && wms_country_check(s, err, sizeof err) != 0) {
		jsonv_error(v, field, "format", "%s: %s", field, err);
		return NULL;
	}
	return s;
}

const char *fields_currency(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	char err[128];
	int exponent;
	const char *s = jsonv_string(v, obj, field, required, 1, 16);
	if (s && wms_currency_check(s, &exponent, err, sizeof err) != 0) {
		jsonv_error(v, field, "format", "%s: %s", field, err);
		return NULL;
	}
	return s;
}

bool fields_tz_exists(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64 || name[0] == '/' || strstr(name, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      strchr("/_+-", c)))
			return false;
	}
	char path[128], magic[4];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t got = fread(magic, 1, 4, f);
	fclose(f);
	return got == 4 && memcmp(magic, "TZif", 4) == 0;
}

const char *fields_time_zone(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const char *s = jsonv_string(v, obj, field, required, 1, 64);
	if (s && !fields_tz_exists(s)) {
		jsonv_error(v, field, "format", "%s: \"%s\" is not an IANA time zone (e.g. Europe/Madrid)",
		            field, s);
		return NULL;
	}
	return s;
}

int fields_gtin(struct jsonv *v, const cJSON *obj, const char *field, bool required, char out[15])
{
	char err[128];
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (!item || cJSON_IsNull(item)) {
		if (required)
			jsonv_error(v, field, "required", "%s is required", field);
		return 0;
	}
	const char *s = jsonv_string(v, obj, field, required, 1, 32);
	if (!s)
		return -1;
	if (wms_gtin_normalize(s, out, err, sizeof err) != 0) {
		jsonv_error(v, field, "check_digit", "%s: %s", field, err);
		return -1;
	}
	return 1;
}

/* The expressions are constants of this program, so one that does not
 * compile is a bug: abort. */
bool fields_matches(const char *re, const char *s)
{
	regex_t rx;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		abort();
	bool ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

const char *fields_shape(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                         size_t maxlen, const char *re, const char *hint)
{
	const char *s = jsonv_string(v, obj, field, required, 1, maxlen);
	if (s && !fields_matches(re, s)) {
		jsonv_error(v, field, "format", "%s must be %s", field, hint);
		return NULL;
	}
	return s;
}

const char *fields_uuid(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                        const char *hint)
{
	const char *s = jsonv_string(v, obj, field, required, 1, 64);
	if (s && !jsonv_is_uuid(s)) {
		jsonv_error(v, field, "format", "%s must be %s", field, hint);
		return NULL;
	}
	return s;
}

const char *fields_date(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                        int64_t *days)
{
	int64_t d;
	const char *s = jsonv_string(v, obj, field, required, 1, 10);
	int rc = s ? instant_parse_date(s, &d) : 0;
	if (rc == -2) {
		jsonv_error(v, field, "range", "%s must lie from %d-01-01 to %d-12-31", field,
		            INSTANT_YEAR_MIN, INSTANT_YEAR_MAX);
		return NULL;
	}
	if (rc != 0) {
		jsonv_error(v, field, "format", "%s must be a date YYYY-MM-DD", field);
		return NULL;
	}
	if (s && days)
		*days = d;
	return s;
}

const char *fields_instant(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                           int64_t *us)
{
	int64_t t;
	const char *s = jsonv_string(v, obj, field, required, 1, 40);
	int rc = s ? instant_parse(s, false, &t) : 0;
	if (rc == -2) {
		jsonv_error(v, field, "range", "%s must lie from %d-01-01 to %d-12-31", field,
		            INSTANT_YEAR_MIN, INSTANT_YEAR_MAX);
		return NULL;
	}
	if (rc != 0) {
		jsonv_error(v, field, "format",
		            "%s must be an RFC 3339 date-time such as 2026-03-02T09:30:00Z", field);
		return NULL;
	}
	if (s && us)
		*us = t;
	return s;
}

const char *fields_lot(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const char *lot = jsonv_string(v, obj, field, required, 1, 20);
	for (const char *c = lot; c && *c; c++) {
		if (!gs1_cset82(*c)) {
			jsonv_error(v, field, "format",
			            "%s may hold letters, digits and !\"%%&'()*+,-./:;<=>?_ only "
			            "(what a GS1 AI 10 barcode can carry)", field);
			return NULL;
		}
	}
	return lot;
}
