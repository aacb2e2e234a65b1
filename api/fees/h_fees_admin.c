/* h_fees_admin.c — fee schedule and policy versions: add a version (admin)
 * and list the history (admin, platform). A version is never edited: a new
 * one starts at its valid_from and closes the open one there, in the same
 * statement (sql/functions/fee_schedule_add.sql, fee_policy_add.sql). A
 * valid_from not after the latest version's is an overlap: 409 naming it. */
#include <stdio.h>
#include <string.h>

#include "api/fees/fees_load.h"
#include "api/http/fields.h"
#include "api/http/instant.h"
#include "api/http/req.h"
#include "api/routes.h"

#define PRICE_MAX 100000000000LL /* a price in minor units: up to 10^11 */

/* A version's JSON from the columns of t, a table alias (sql/functions/fee_json.sql: the
 * shapes take columns, never rows, so they distribute). */
#define FEE_SCHEDULE_JSON(t)                                                                      \
	"fee_schedule_json(" t ".id, " t ".version, " t ".valid_from, " t ".valid_to, " t           \
	".currency, " t ".commission_default_bp, " t ".payment_fee_bp, " t ".pickup_fixed, " t      \
	".pickup_per_kg, " t ".inbound_op_per_unit, " t ".outbound_op_per_unit, " t                \
	".storage_per_m3_day, " t ".return_handling_per_unit, " t ".note, " t ".created_at)"
#define FEE_POLICY_JSON(t)                                                                        \
	"fee_policy_json(" t ".id, " t ".mode, " t ".version, " t ".valid_from, " t ".valid_to, " t \
	".commission_multiplier_bp, " t ".waived, " t ".platform_borne, " t ".storage_free_days, " \
	t ".advance_rate_bp, " t ".advance_requires_popular, " t ".recovery_share_bp, " t         \
	".note, " t ".created_at)"

DB_STMT(stmt_schedule_add) = {
	"fee_schedule_add",
	"SELECT fee_schedule_add($1::timestamptz, $2, $3::int, $4::json, $5::int, $6::bigint,"
	" $7::bigint, $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12)"};

DB_STMT(stmt_schedule_list) = {
	"fee_schedule_list",
	"SELECT json_build_object('items', coalesce(json_agg(" FEE_SCHEDULE_JSON("s")
	" ORDER BY s.valid_from DESC), '[]'::json), 'next_cursor', NULL) FROM fee_schedules s"};

DB_STMT(stmt_policy_add) = {
	"fee_policy_add",
	"SELECT fee_policy_add($1, $2::timestamptz, $3::int, $4::text[], $5::text[], $6::int, $7::int,"
	" $8::boolean, $9::int, $10)"};

DB_STMT(stmt_policy_list) = {
	"fee_policy_list",
	"SELECT json_build_object('items', coalesce(json_agg(" FEE_POLICY_JSON("p")
	" ORDER BY p.mode, p.valid_from DESC), '[]'::json), 'next_cursor', NULL)"
	" FROM fee_policies p WHERE $1::text IS NULL OR p.mode = $1"};

static const char *const mode_names[] = {"pop", "semi_jit", "semi_warehouse", "full", NULL};

/* 201 with the new version; an overlap (exclusion_violation, raised by the
 * add functions or by the constraint itself) is 409 naming the conflict. */
static void on_added(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate && strcmp(rep->sqlstate, "23P01") == 0) {
		api_reply_problem(r, PROBLEM_OVERLAP, "%s%s%s", rep->message ? rep->message : "overlap",
		                  rep->detail ? ": " : "", rep->detail ? rep->detail : "");
		return;
	}
	api_reply_row(r, rep, 201, "not added");
}

static void on_list(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no versions");
}

/* valid_from: an RFC 3339 date-time in whole seconds or a date "YYYY-MM-DD" (midnight
 * UTC), within the server's range, written to out in the one output form. */
static int valid_from(struct jsonv *v, const cJSON *b, char out[INSTANT_TEXT])
{
	const char *s = jsonv_string(v, b, "valid_from", true, 1, 40);
	int64_t us;
	if (!s)
		return -1;
	if (instant_parse(s, true, &us) != 0 || us % INSTANT_US != 0) {
		jsonv_error(v, "valid_from", "format",
		            "valid_from must be YYYY-MM-DDTHH:MM:SSZ (whole seconds) or YYYY-MM-DD, "
		            "from %d to %d", INSTANT_YEAR_MIN, INSTANT_YEAR_MAX);
		return -1;
	}
	instant_format(us, out);
	return 0;
}

/* An integer field into text for a parameter; returns 1 when valid. */
static int int_param(struct jsonv *v, const cJSON *b, const char *field, long long min,
                     long long max, long long *val, char out[24])
{
	if (jsonv_int(v, b, field, true, min, max, val) != 1)
		return 0;
	snprintf(out, 24, "%lld", *val);
	return 1;
}

/* A fee-type array field as a PostgreSQL array literal ("{a,b}") and a set;
 * every bad element is named (waived[1]). */
static void type_set(struct jsonv *v, const cJSON *b, const char *field, uint32_t *set,
                     char out[256])
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(b, field), *e;
	size_t len = 0;
	int i = 0;
	*set = 0;
	out[len++] = '{';
	if (!arr || cJSON_IsNull(arr)) {
		jsonv_error(v, field, "required", "%s is required (an array of fee types)", field);
	} else if (!cJSON_IsArray(arr)) {
		jsonv_error(v, field, "type", "%s must be an array of fee types", field);
	} else {
		cJSON_ArrayForEach(e, arr)
		{
			enum fee_type t;
			char name[48];
			snprintf(name, sizeof name, "%s[%d]", field, i++);
			if (!cJSON_IsString(e) || fee_type_parse(e->valuestring, &t) != 0) {
				jsonv_error(v, name, "enum", "%s must be a fee type (commission, payment_fee, "
				            "pickup_fee, inbound_operation, ...)", name);
				continue;
			}
			if (*set & FEE_BIT(t))
				continue;
			*set |= FEE_BIT(t);
			len += (size_t)snprintf(out + len, 256 - len, "%s%s", len > 1 ? "," : "",
			                        fee_type_name(t));
		}
	}
	snprintf(out + len, 256 - len, "}");
}

void h_fee_policy_create(struct api_req *r)
{
	static const char *const allowed[] = {
		"mode", "valid_from", "commission_multiplier_bp", "waived", "platform_borne",
		"storage_free_days", "advance_rate_bp", "advance_requires_popular", "recovery_share_bp",
		"note", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	char from[INSTANT_TEXT] = "", mult[24], days[24], adv[24], rec[24], waived[256], borne[256];
	long long n;
	bool popular = false;
	uint32_t wset, bset;

	jsonv_no_unknown(&v, b, "", allowed);
	int mode = jsonv_enum(&v, b, "mode", true, mode_names);
	valid_from(&v, b, from);
	int_param(&v, b, "commission_multiplier_bp", 0, 10000, &n, mult);
	type_set(&v, b, "waived", &wset, waived);
	type_set(&v, b, "platform_borne", &bset, borne);
	if (wset & bset)
		jsonv_error(&v, "platform_borne", "overlap",
		            "a fee type cannot be both waived and platform-borne");
	int_param(&v, b, "storage_free_days", -1, 36500, &n, days);
	int_param(&v, b, "advance_rate_bp", 0, 10000, &n, adv);
	jsonv_bool(&v, b, "advance_requires_popular", true, &popular);
	int_param(&v, b, "recovery_share_bp", 0, 10000, &n, rec);
	const char *note = jsonv_string(&v, b, "note", false, 0, 500);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *p[] = {mode_names[mode], from,  mult, waived, borne, days,
	                   adv,              popular ? "true" : "false", rec, note};
	api_query_or_reply(r, &stmt_policy_add, 10, p, on_added);
}

/* commission_bp: {"category": bp, ...} as JSON text for the parameter. */
static void category_rates(struct jsonv *v, const cJSON *b, char **out)
{
	const cJSON *o = jsonv_object(v, b, "commission_bp", false), *e;
	*out = NULL;
	if (!o)
		return;
	cJSON_ArrayForEach(e, o)
	{
		char name[96];
		long long bp;
		snprintf(name, sizeof name, "commission_bp.%.64s", e->string);
		if (!fields_matches("^[a-z0-9][a-z0-9_]{0,63}$", e->string))
			jsonv_error(v, name, "format", "a category is [a-z0-9][a-z0-9_]{0,63}");
		else if (!cJSON_IsNumber(e) || e->valuedouble != (double)(long long)e->valuedouble ||
		         (bp = (long long)e->valuedouble) < 0 || bp > 10000)
			jsonv_error(v, name, "range", "%s must be an integer from 0 to 10000 (bp)", name);
	}
	*out = cJSON_PrintUnformatted(o);
}

void h_fee_schedule_create(struct api_req *r)
{
	static const char *const allowed[] = {
		"valid_from", "currency", "commission_default_bp", "commission_bp", "payment_fee_bp",
		"pickup_fixed", "pickup_per_kg", "inbound_op_per_unit", "outbound_op_per_unit",
		"storage_per_m3_day", "return_handling_per_unit", "note", NULL};
	static const char *const prices[] = {"pickup_fixed", "pickup_per_kg", "inbound_op_per_unit",
	                                     "outbound_op_per_unit", "storage_per_m3_day",
	                                     "return_handling_per_unit"};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	char from[INSTANT_TEXT] = "", dflt[24], pay[24], price[6][24];
	char *rates = NULL;
	long long n;

	jsonv_no_unknown(&v, b, "", allowed);
	valid_from(&v, b, from);
	const char *currency = fields_currency(&v, b, "currency", true);
	int_param(&v, b, "commission_default_bp", 0, 10000, &n, dflt);
	category_rates(&v, b, &rates);
	int_param(&v, b, "payment_fee_bp", 0, 10000, &n, pay);
	for (int i = 0; i < 6; i++)
		int_param(&v, b, prices[i], 0, PRICE_MAX, &n, price[i]);
	const char *note = jsonv_string(&v, b, "note", false, 0, 500);
	if (v.count) {
		cJSON_free(rates);
		api_reply_invalid(r, &v);
		return;
	}
	const char *p[] = {from,     currency, dflt,     rates ? rates : "{}", pay, price[0],
	                   price[1], price[2], price[3], price[4],             price[5], note};
	api_query_or_reply(r, &stmt_schedule_add, 12, p, on_added);
	cJSON_free(rates);
}

void h_fee_schedule_list(struct api_req *r)
{
	api_query_or_reply(r, &stmt_schedule_list, 0, NULL, on_list);
}

void h_fee_policy_list(struct api_req *r)
{
	const char *mode = api_req_query(r, "mode");
	int ok = !mode;
	for (int i = 0; mode && mode_names[i]; i++)
		ok |= strcmp(mode, mode_names[i]) == 0;
	if (!ok) {
		api_reply_problem(r, PROBLEM_BAD_QUERY,
		                  "mode must be one of pop, semi_jit, semi_warehouse, full");
		return;
	}
	const char *p[] = {mode};
	api_query_or_reply(r, &stmt_policy_list, 1, p, on_list);
}
