/* fees_load.c — fee versions from their JSON rows into wms/fees.h structs. */
#include "api/fees/fees_load.h"
#include "api/http/instant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wms/codes.h"

#define MAX_SAFE 9007199254740992.0 /* 2^53: larger JSON numbers are not exact */

static int failf(char *err, size_t errlen, const char *what, const char *name)
{
	snprintf(err, errlen, "%s: %s", name, what);
	return -1;
}

/* obj[name] as a whole number in min..max. */
static int get_int(const cJSON *obj, const char *name, int64_t min, int64_t max, int64_t *out,
                   char *err, size_t errlen)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (!cJSON_IsNumber(it))
		return failf(err, errlen, "missing or not a number", name);
	double d = it->valuedouble;
	if (d != floor(d) || fabs(d) > MAX_SAFE || d < (double)min || d > (double)max)
		return failf(err, errlen, "out of range", name);
	*out = (int64_t)d;
	return 0;
}

static int get_int32(const cJSON *obj, const char *name, int32_t min, int32_t max, int32_t *out,
                     char *err, size_t errlen)
{
	int64_t v;
	if (get_int(obj, name, min, max, &v, err, errlen) != 0)
		return -1;
	*out = (int32_t)v;
	return 0;
}

/* An optional whole number (absent or null: dflt). */
static int get_opt_int(const cJSON *obj, const char *name, int64_t dflt, int64_t *out, char *err,
                       size_t errlen)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (!it || cJSON_IsNull(it)) {
		*out = dflt;
		return 0;
	}
	return get_int(obj, name, INT32_MIN, INT64_MAX / 2, out, err, errlen);
}

/* obj[name] as a time; null or absent gives dflt when dflt_ok. */
static int get_time(const cJSON *obj, const char *name, bool dflt_ok, int64_t dflt, int64_t *out,
                    char *err, size_t errlen)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
	if ((!it || cJSON_IsNull(it)) && dflt_ok) {
		*out = dflt;
		return 0;
	}
	int64_t us;
	if (!cJSON_IsString(it) || instant_parse(it->valuestring, false, &us) != 0)
		return failf(err, errlen, "not a time of the form YYYY-MM-DDTHH:MM:SSZ", name);
	*out = us / INSTANT_US;
	return 0;
}

int fees_type_set_from_json(const cJSON *arr, uint32_t *out, int *bad)
{
	const cJSON *e;
	int i = 0;
	*out = 0;
	*bad = -1;
	if (!cJSON_IsArray(arr))
		return -1;
	cJSON_ArrayForEach(e, arr)
	{
		enum fee_type t;
		if (!cJSON_IsString(e) || fee_type_parse(e->valuestring, &t) != 0) {
			*bad = i;
			return -1;
		}
		*out |= FEE_BIT(t);
		i++;
	}
	return 0;
}

/* A FEE_BIT set from obj[name]. */
static int get_set(const cJSON *obj, const char *name, uint32_t *out, char *err, size_t errlen)
{
	int bad;
	if (fees_type_set_from_json(cJSON_GetObjectItemCaseSensitive(obj, name), out, &bad) != 0)
		return failf(err, errlen, "not an array of fee types", name);
	return 0;
}

/* What every version row has: id and version (absent: 0), valid_from, and
 * valid_to (null or absent: open). */
static int get_head(const cJSON *j, int64_t *id, int32_t *version, int64_t *from, int64_t *to,
                    char *err, size_t errlen)
{
	int64_t v;
	if (get_opt_int(j, "id", 0, id, err, errlen) != 0 ||
	    get_opt_int(j, "version", 0, &v, err, errlen) != 0 || v > INT32_MAX ||
	    get_time(j, "valid_from", false, 0, from, err, errlen) != 0 ||
	    get_time(j, "valid_to", true, FEE_TIME_OPEN, to, err, errlen) != 0)
		return -1;
	*version = (int32_t)v;
	return 0;
}

const char *fees_json_str(const cJSON *obj, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
	return s ? s : "";
}

int64_t fees_json_count(const cJSON *obj, const char *name)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > MAX_SAFE ||
	    it->valuedouble != floor(it->valuedouble))
		return -1;
	return (int64_t)it->valuedouble;
}

int fees_policy_from_json(const cJSON *j, struct fee_policy *out, char *err, size_t errlen)
{
	const cJSON *mode = cJSON_GetObjectItemCaseSensitive(j, "mode");
	const cJSON *pop = cJSON_GetObjectItemCaseSensitive(j, "advance_requires_popular");
	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(j))
		return failf(err, errlen, "not an object", "policy");
	if (!cJSON_IsString(mode) || fee_mode_parse(mode->valuestring, &out->mode) != 0)
		return failf(err, errlen, "not a mode", "mode");
	if (!cJSON_IsBool(pop))
		return failf(err, errlen, "not a boolean", "advance_requires_popular");
	out->advance_requires_popular = cJSON_IsTrue(pop);
	if (get_head(j, &out->id, &out->version, &out->valid_from, &out->valid_to, err, errlen) != 0 ||
	    get_int32(j, "commission_multiplier_bp", 0, MONEY_BP_ONE, &out->commission_multiplier_bp,
	              err, errlen) != 0 ||
	    get_set(j, "waived", &out->waived, err, errlen) != 0 ||
	    get_set(j, "platform_borne", &out->platform_borne, err, errlen) != 0 ||
	    get_int32(j, "storage_free_days", -1, INT32_MAX, &out->storage_free_days, err,
	              errlen) != 0 ||
	    get_int32(j, "advance_rate_bp", 0, MONEY_BP_ONE, &out->advance_rate_bp, err, errlen) != 0 ||
	    get_int32(j, "recovery_share_bp", 0, MONEY_BP_ONE, &out->recovery_share_bp, err,
	              errlen) != 0)
		return -1;
	return 0;
}

int fees_schedule_from_json(const cJSON *j, struct fee_schedule *out,
                            struct fee_category_rate **cats, char *err, size_t errlen)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(j, "currency");
	const cJSON *rates = cJSON_GetObjectItemCaseSensitive(j, "commission_bp"), *e;
	memset(out, 0, sizeof *out);
	*cats = NULL;
	if (!cJSON_IsObject(j))
		return failf(err, errlen, "not an object", "schedule");
	if (!cJSON_IsString(cur) || strlen(cur->valuestring) != 3 ||
	    (out->currency_exponent = wms_currency_exponent(cur->valuestring)) < 0)
		return failf(err, errlen, "not an ISO 4217 currency", "currency");
	memcpy(out->currency, cur->valuestring, MONEY_CODE_LEN);
	if (get_head(j, &out->id, &out->version, &out->valid_from, &out->valid_to, err, errlen) != 0 ||
	    get_int32(j, "commission_default_bp", 0, MONEY_BP_ONE, &out->commission_default_bp, err,
	              errlen) != 0 ||
	    get_int32(j, "payment_fee_bp", 0, MONEY_BP_ONE, &out->payment_fee_bp, err, errlen) != 0 ||
	    get_int(j, "pickup_fixed", 0, INT64_MAX, &out->pickup_fixed, err, errlen) != 0 ||
	    get_int(j, "pickup_per_kg", 0, INT64_MAX, &out->pickup_per_kg, err, errlen) != 0 ||
	    get_int(j, "inbound_op_per_unit", 0, INT64_MAX, &out->inbound_op_per_unit, err,
	            errlen) != 0 ||
	    get_int(j, "outbound_op_per_unit", 0, INT64_MAX, &out->outbound_op_per_unit, err,
	            errlen) != 0 ||
	    get_int(j, "storage_per_m3_day", 0, INT64_MAX, &out->storage_per_m3_day, err,
	            errlen) != 0 ||
	    get_int(j, "return_handling_per_unit", 0, INT64_MAX, &out->return_handling_per_unit, err,
	            errlen) != 0)
		return -1;
	if (rates && !cJSON_IsNull(rates) && !cJSON_IsObject(rates))
		return failf(err, errlen, "not an object of category rates", "commission_bp");
	int n = cJSON_IsObject(rates) ? cJSON_GetArraySize(rates) : 0;
	if (n == 0)
		return 0;
	struct fee_category_rate *c = calloc((size_t)n, sizeof *c);
	if (!c)
		return failf(err, errlen, "out of memory", "commission_bp");
	size_t i = 0;
	cJSON_ArrayForEach(e, rates)
	{
		int32_t bp;
		if (strlen(e->string) >= FEE_CATEGORY_MAX ||
		    get_int32(rates, e->string, 0, MONEY_BP_ONE, &bp, err, errlen) != 0) {
			snprintf(err, errlen, "commission_bp.%.64s: not a rate of 0..10000 bp", e->string);
			free(c);
			return -1;
		}
		snprintf(c[i].category, sizeof c[i].category, "%s", e->string);
		c[i++].bp = bp;
	}
	out->categories = c;
	out->n_categories = i;
	*cats = c;
	return 0;
}

int fees_versions_from_json(const cJSON *j, struct fees_versions *out, char *err, size_t errlen)
{
	const cJSON *e;
	memset(out, 0, sizeof *out);
	if (get_time(j, "at", false, 0, &out->at, err, errlen) != 0)
		return -1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "schedules"))
	{
		if (out->has_schedule)
			return failf(err, errlen, "two fee schedules in force", "schedules");
		if (fees_schedule_from_json(e, &out->schedule, &out->categories, err, errlen) != 0)
			return -1;
		out->has_schedule = true;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "policies"))
	{
		struct fee_policy p;
		if (fees_policy_from_json(e, &p, err, errlen) != 0)
			return -1;
		if (out->has_policy[p.mode])
			return failf(err, errlen, "two policies of one mode in force", "policies");
		out->policies[p.mode] = p;
		out->has_policy[p.mode] = true;
	}
	return 0;
}

void fees_versions_free(struct fees_versions *v)
{
	free(v->categories);
	v->categories = NULL;
	v->schedule.categories = NULL;
	v->schedule.n_categories = 0;
}

int fees_versions_pick(const struct fees_versions *v, enum fee_mode mode,
                       const struct fee_policy **policy, const struct fee_schedule **schedule,
                       char *err, size_t errlen)
{
	char at[INSTANT_TEXT];
	instant_format(v->at * INSTANT_US, at);
	if (!v->has_schedule) {
		snprintf(err, errlen, "no fee schedule in force at %s", at);
		return -1;
	}
	if ((unsigned)mode >= FEE_MODE_COUNT || !v->has_policy[mode]) {
		snprintf(err, errlen, "no %s policy in force at %s", fee_mode_name(mode), at);
		return -1;
	}
	*policy = &v->policies[mode];
	*schedule = &v->schedule;
	return 0;
}
