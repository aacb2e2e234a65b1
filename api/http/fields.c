/* fields.c — field validators shared by the handlers. */
#include "api/http/fields.h"

#include <stdio.h>
#include <string.h>

#include "wms/checkdigit.h"
#include "wms/codes.h"

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
