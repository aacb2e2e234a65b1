/* h_pickup_hubs.c — a hub's pickup settings and vehicles: PUT (admin: replaced whole) and
 * GET (admin, platform) /v1/warehouses/{code}/pickup-hub. The settings are where the hub
 * is, how far it collects (service_radius_km: requests beyond are refused), the travel model
 * (routing/travel.h: great-circle km × road_factor at speed_kmh), the time on site (stop_s
 * + parcel_s per parcel) and the vehicles: code, capacity in grams and cm³, shift (local
 * "HH:MM" of the hub), cost per vehicle used and per km (planning weights). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"

#define PICKUP_HUB_JSON(h)                                                                      \
	"jsonb_build_object('warehouse', w.code, 'lat', " h ".lat, 'lon', " h ".lon,"               \
	" 'service_radius_km', " h ".service_radius_km, 'road_factor', " h ".road_factor,"           \
	" 'speed_kmh', " h ".speed_kmh, 'stop_s', " h ".stop_s, 'parcel_s', " h ".parcel_s,"         \
	" 'vehicles', " h ".vehicles, 'updated_at', api_ts(" h ".updated_at))::text"

/* $1 code, $2 lat, $3 lon, $4 radius, $5 road factor, $6 speed, $7 stop_s, $8 parcel_s,
 * $9 vehicles (JSON array text, validated), $10 now. */
DB_STMT(stmt_put) = {
	"pickup_hub_put",
	"WITH h AS (INSERT INTO pickup_hubs AS h (warehouse_id, lat, lon, service_radius_km, road_factor,"
	" speed_kmh, stop_s, parcel_s, vehicles, updated_at)"
	" SELECT w.id, $2::float8, $3::float8, $4::float8, $5::float8, $6::float8, $7::int, $8::int,"
	" $9::jsonb, $10::timestamptz FROM warehouses w WHERE w.code = $1"
	" ON CONFLICT (warehouse_id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon,"
	" service_radius_km = excluded.service_radius_km, road_factor = excluded.road_factor,"
	" speed_kmh = excluded.speed_kmh, stop_s = excluded.stop_s, parcel_s = excluded.parcel_s,"
	" vehicles = excluded.vehicles, updated_at = excluded.updated_at RETURNING h.*)"
	" SELECT " PICKUP_HUB_JSON("h") " FROM h JOIN warehouses w ON w.id = h.warehouse_id"};

DB_STMT(stmt_get) = {
	"pickup_hub_get",
	"SELECT " PICKUP_HUB_JSON("h") " FROM warehouses w"
	" JOIN pickup_hubs h ON h.warehouse_id = w.id WHERE w.code = $1"};

#define MAX_VEHICLES 200
#define VEHICLE_CODE_RE "^[A-Z0-9][A-Z0-9_-]{0,31}$"

/* "HH:MM" (00:00..23:59) as minutes after midnight, or -1 (recorded in v). */
static int read_clock(struct jsonv *v, const cJSON *obj, const char *field)
{
	const char *s = jsonv_string(v, obj, field, true, 5, 5);
	unsigned h, m;
	char tail;
	if (s == NULL)
		return -1;
	if (sscanf(s, "%2u:%2u%c", &h, &m, &tail) != 2 || s[2] != ':' || h > 23 || m > 59) {
		jsonv_error(v, field, "format", "%s must be a local time HH:MM (00:00 to 23:59)", field);
		return -1;
	}
	return (int)(h * 60 + m);
}

/* The vehicles array, validated into a canonical JSON array (caller frees), or NULL with
 * the errors in v. */
static char *read_vehicles(struct jsonv *v, const cJSON *b)
{
	static const char *const allowed[] = {"code", "capacity_g", "capacity_cm3", "shift_start",
	                                      "shift_end", "cost_per_vehicle", "cost_per_km", NULL};
	const cJSON *arr = jsonv_array(v, b, "vehicles", true), *it;
	if (arr == NULL)
		return NULL;
	int n = cJSON_GetArraySize(arr), i = 0;
	if (n < 1 || n > MAX_VEHICLES) {
		jsonv_error(v, "vehicles", "range", "vehicles must list 1 to %d vehicles", MAX_VEHICLES);
		return NULL;
	}
	cJSON *out = cJSON_CreateArray();
	if (out == NULL)
		return NULL;
	cJSON_ArrayForEach(it, arr) {
		struct jsonv sub = JSONV_INIT;
		long long cap_g = 0, cap_cm3 = 0, per_vehicle = 0, per_km = 0;
		if (!cJSON_IsObject(it)) {
			jsonv_error(v, "vehicles", "type", "vehicles[%d] must be an object", i);
			i++;
			continue;
		}
		jsonv_no_unknown(&sub, it, "", allowed);
		const char *code = jsonv_string(&sub, it, "code", true, 1, 32);
		if (code && !fields_matches(VEHICLE_CODE_RE, code))
			jsonv_error(&sub, "code", "format", "code must be 1 to 32 characters A-Z, 0-9, '_' "
			            "or '-', starting with a letter or digit");
		(void)jsonv_int(&sub, it, "capacity_g", true, 1, 100000000, &cap_g);
		(void)jsonv_int(&sub, it, "capacity_cm3", true, 1, 1000000000, &cap_cm3);
		(void)jsonv_int(&sub, it, "cost_per_vehicle", false, 0, 100000000, &per_vehicle);
		(void)jsonv_int(&sub, it, "cost_per_km", false, 0, 1000000, &per_km);
		int start = read_clock(&sub, it, "shift_start"), end = read_clock(&sub, it, "shift_end");
		if (start >= 0 && end >= 0 && end <= start)
			jsonv_error(&sub, "shift_end", "range", "shift_end must be after shift_start");
		const cJSON *prev;
		int j = 0;
		cJSON_ArrayForEach(prev, arr) {
			if (j++ >= i)
				break;
			const char *pc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(prev, "code"));
			if (code && pc && strcmp(pc, code) == 0) {
				jsonv_error(&sub, "code", "duplicate", "vehicle code %s is listed twice", code);
				break;
			}
		}
		if (sub.count == 0) {
			cJSON *o = cJSON_CreateObject();
			if (o == NULL || !cJSON_AddItemToArray(out, o)) {
				cJSON_Delete(o);
				cJSON_Delete(out);
				jsonv_free(&sub);
				return NULL;
			}
			cJSON_AddStringToObject(o, "code", code);
			cJSON_AddNumberToObject(o, "capacity_g", (double)cap_g);
			cJSON_AddNumberToObject(o, "capacity_cm3", (double)cap_cm3);
			cJSON_AddStringToObject(o, "shift_start",
			                        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "shift_start")));
			cJSON_AddStringToObject(o, "shift_end",
			                        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "shift_end")));
			cJSON_AddNumberToObject(o, "cost_per_vehicle", (double)per_vehicle);
			cJSON_AddNumberToObject(o, "cost_per_km", (double)per_km);
		}
		jsonv_merge(v, &sub, "vehicles[%d].", i);
		i++;
	}
	char *text = v->count ? NULL : cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	return text;
}

/* What a PUT keeps for its statement. */
struct hub_put {
	char *vehicles;
	char num[6][32];
	char now[INSTANT_TEXT];
};

static void hub_put_free(void *p)
{
	struct hub_put *q = p;
	free(q->vehicles);
	free(q);
}

static void on_row(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such warehouse");
}

/* PUT /v1/warehouses/{code}/pickup-hub {lat, lon, service_radius_km, road_factor?,
 * speed_kmh?, stop_s?, parcel_s?, vehicles}. */
void h_pickup_hub_put(struct api_req *r)
{
	static const char *const allowed[] = {"lat", "lon", "service_radius_km", "road_factor",
	                                      "speed_kmh", "stop_s", "parcel_s", "vehicles", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	double lat = 0, lon = 0, radius = 0, road = 1.3, speed = 30;
	long long stop_s = 300, parcel_s = 30;
	struct hub_put *q = calloc(1, sizeof *q);
	if (q == NULL) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	api_req_set_state(r, q, hub_put_free);
	jsonv_no_unknown(&v, b, "", allowed);
	(void)jsonv_number(&v, b, "lat", true, -90, 90, &lat);
	(void)jsonv_number(&v, b, "lon", true, -180, 180, &lon);
	(void)jsonv_number(&v, b, "service_radius_km", true, 0.1, 1000, &radius);
	(void)jsonv_number(&v, b, "road_factor", false, 1, 5, &road);
	(void)jsonv_number(&v, b, "speed_kmh", false, 1, 200, &speed);
	(void)jsonv_int(&v, b, "stop_s", false, 0, 7200, &stop_s);
	(void)jsonv_int(&v, b, "parcel_s", false, 0, 600, &parcel_s);
	q->vehicles = read_vehicles(&v, b);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (q->vehicles == NULL) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	double nums[4] = {lat, lon, radius, road};
	for (int i = 0; i < 4; i++)
		snprintf(q->num[i], sizeof q->num[i], "%.17g", nums[i]);
	snprintf(q->num[4], sizeof q->num[4], "%.17g", speed);
	instant_format(api_req_now_us(r), q->now);
	char stop[24], parcel[24];
	snprintf(stop, sizeof stop, "%lld", stop_s);
	snprintf(parcel, sizeof parcel, "%lld", parcel_s);
	const char *p[] = {api_req_param(r, "code"), q->num[0], q->num[1], q->num[2], q->num[3],
	                   q->num[4], stop, parcel, q->vehicles, q->now};
	api_query_or_reply(r, &stmt_put, 10, p, on_row);
}

/* GET /v1/warehouses/{code}/pickup-hub */
void h_pickup_hub_get(struct api_req *r)
{
	const char *p[] = {api_req_param(r, "code")};
	api_query_or_reply(r, &stmt_get, 1, p, on_row);
}
