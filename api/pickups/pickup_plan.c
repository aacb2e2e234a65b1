/* pickup_plan.c — one hub's day planned (pickup_plan.h). */
#include "api/pickups/pickup_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api/http/instant.h"
#include "routing/travel.h"
#include "routing/vrptw.h"

/* What the plan is built from, owned here. */
struct plan_in {
	size_t n, nv;
	int64_t origin;                 /* day_start, epoch seconds: times are relative to it */
	struct travel_point *pts;
	struct vrptw_site *sites;
	struct vrptw_vehicle *veh;
	const char **ids;               /* per site (borrowed from the input document) */
	const char **codes;             /* per vehicle */
	double *dist, *time;
	struct vrptw_route *kept;
	size_t n_kept;
};

static void plan_in_free(struct plan_in *in)
{
	free(in->pts);
	free(in->sites);
	free(in->veh);
	free(in->ids);
	free(in->codes);
	free(in->dist);
	free(in->time);
	for (size_t k = 0; k < in->n_kept; k++)
		free(in->kept[k].stops);
	free(in->kept);
}

static double num(const cJSON *o, const char *name, bool *ok)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsNumber(j)) {
		*ok = false;
		return 0;
	}
	return j->valuedouble;
}

/* The kept routes: requests with a vehicle still in the fleet, by stop number. */
static int read_kept(struct plan_in *in, const cJSON *reqs)
{
	in->kept = calloc(in->nv ? in->nv : 1, sizeof *in->kept);
	int *stop_no = calloc(in->n, sizeof *stop_no);
	if (in->kept == NULL || stop_no == NULL) {
		free(stop_no);
		return -1;
	}
	size_t i = 1;
	const cJSON *r;
	cJSON_ArrayForEach(r, reqs) {
		const char *veh = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "vehicle"));
		const cJSON *sn = cJSON_GetObjectItemCaseSensitive(r, "stop_no");
		for (size_t v = 0; veh != NULL && cJSON_IsNumber(sn) && v < in->nv; v++) {
			if (strcmp(in->codes[v], veh) != 0)
				continue;
			struct vrptw_route *k = &in->kept[v];
			if (k->stops == NULL && (k->stops = malloc(in->n * sizeof *k->stops)) == NULL) {
				for (size_t u = 0; u < in->nv; u++)
					free(in->kept[u].stops);
				free(stop_no);
				return -1;
			}
			k->vehicle = v;
			stop_no[i] = sn->valueint;
			/* insertion by stop number */
			size_t at = k->n_stops;
			while (at > 0 && stop_no[k->stops[at - 1]] > stop_no[i]) {
				k->stops[at] = k->stops[at - 1];
				at--;
			}
			k->stops[at] = i;
			k->n_stops++;
			break;
		}
		i++;
	}
	free(stop_no);
	/* compact: only vehicles with kept stops */
	size_t w = 0;
	for (size_t v = 0; v < in->nv; v++)
		if (in->kept[v].n_stops)
			in->kept[w++] = in->kept[v];
		else
			free(in->kept[v].stops);
	in->n_kept = w;
	return 0;
}

static int read_input(const cJSON *doc, struct plan_in *in, char *err, size_t errlen)
{
	const cJSON *hub = cJSON_GetObjectItemCaseSensitive(doc, "hub");
	const cJSON *vehs = cJSON_GetObjectItemCaseSensitive(doc, "vehicles");
	const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
	bool ok = true;
	if (!cJSON_IsObject(hub) || !cJSON_IsArray(vehs) || !cJSON_IsArray(reqs)) {
		snprintf(err, errlen, "plan input has no hub, vehicles or requests");
		return -1;
	}
	in->origin = (int64_t)num(doc, "day_start", &ok);
	in->n = (size_t)cJSON_GetArraySize(reqs) + 1;
	in->nv = (size_t)cJSON_GetArraySize(vehs);
	in->pts = calloc(in->n, sizeof *in->pts);
	in->sites = calloc(in->n, sizeof *in->sites);
	in->ids = calloc(in->n, sizeof *in->ids);
	in->veh = calloc(in->nv ? in->nv : 1, sizeof *in->veh);
	in->codes = calloc(in->nv ? in->nv : 1, sizeof *in->codes);
	in->dist = malloc(in->n * in->n * sizeof *in->dist);
	in->time = malloc(in->n * in->n * sizeof *in->time);
	if (!in->pts || !in->sites || !in->ids || !in->veh || !in->codes || !in->dist || !in->time) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	in->pts[0] = (struct travel_point){num(hub, "lat", &ok), num(hub, "lon", &ok)};
	struct travel_model tm = {num(hub, "road_factor", &ok), num(hub, "speed_kmh", &ok)};
	double stop_s = num(hub, "stop_s", &ok), parcel_s = num(hub, "parcel_s", &ok);
	size_t v = 0;
	const cJSON *j;
	cJSON_ArrayForEach(j, vehs) {
		in->codes[v] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "code"));
		in->veh[v] = (struct vrptw_vehicle){
			.capacity = {(int64_t)num(j, "capacity_g", &ok), (int64_t)num(j, "capacity_cm3", &ok)},
			.shift_start = num(j, "shift_start", &ok) - (double)in->origin,
			.shift_end = num(j, "shift_end", &ok) - (double)in->origin,
			.fixed_cost = num(j, "cost_per_vehicle", &ok),
			.cost_per_distance = num(j, "cost_per_km", &ok)};
		if (in->codes[v] == NULL)
			ok = false;
		v++;
	}
	size_t i = 1;
	cJSON_ArrayForEach(j, reqs) {
		in->ids[i] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "id"));
		in->pts[i] = (struct travel_point){num(j, "lat", &ok), num(j, "lon", &ok)};
		in->sites[i] = (struct vrptw_site){
			.demand = {(int64_t)num(j, "weight_g", &ok), (int64_t)num(j, "volume_cm3", &ok)},
			.ready = num(j, "ready_from", &ok) - (double)in->origin,
			.due = num(j, "ready_until", &ok) - (double)in->origin,
			.service = stop_s + parcel_s * num(j, "parcels", &ok)};
		if (in->ids[i] == NULL)
			ok = false;
		i++;
	}
	if (!ok) {
		snprintf(err, errlen, "plan input: a member is missing or not a number");
		return -1;
	}
	if (travel_matrices(&tm, in->pts, in->n, in->dist, in->time) != 0) {
		snprintf(err, errlen, "plan input: travel model or coordinates out of range");
		return -1;
	}
	if (read_kept(in, reqs) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* An instant origin + t (seconds) as RFC 3339 text, to the second. */
static cJSON *instant(const struct plan_in *in, double t)
{
	char buf[INSTANT_TEXT];
	instant_format((in->origin + (int64_t)llround(t)) * INSTANT_US, buf);
	return cJSON_CreateString(buf);
}

static cJSON *load_json(const int64_t load[VRPTW_DIMS])
{
	cJSON *l = cJSON_CreateObject();
	if (l != NULL) {
		cJSON_AddNumberToObject(l, "weight_g", (double)load[0]);
		cJSON_AddNumberToObject(l, "volume_cm3", (double)load[1]);
	}
	return l;
}

static double round_to(double x, double unit)
{
	return round(x / unit) * unit;
}

/* The document of res. Returns NULL when out of memory or a route fails to re-time (which
 * the solver's answer never should). */
static cJSON *render(const struct plan_in *in, const struct vrptw_problem *p,
                     const struct vrptw_result *res, const struct pickup_plan_opts *o,
                     const cJSON *input)
{
	cJSON *doc = cJSON_CreateObject(), *routes = cJSON_CreateArray(), *un = cJSON_CreateArray();
	struct vrptw_stop_time *times = calloc(in->n, sizeof *times);
	if (doc == NULL || routes == NULL || un == NULL || times == NULL)
		goto fail;
	cJSON_AddStringToObject(doc, "id", o->plan_id);
	cJSON_AddStringToObject(doc, "warehouse", o->warehouse);
	cJSON_AddItemToObject(doc, "day",
	                      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(input, "day"), 1));
	cJSON_AddStringToObject(doc, "state", "draft");
	cJSON_AddNumberToObject(doc, "seed", (double)o->seed);
	cJSON_AddNumberToObject(doc, "vehicles_used", (double)res->n_routes);
	cJSON_AddNumberToObject(doc, "distance_km", round_to(res->distance, 0.001));
	cJSON_AddNumberToObject(doc, "cost", round_to(res->cost, 0.01));
	cJSON_AddNumberToObject(doc, "steps", (double)res->iterations);
	cJSON_AddBoolToObject(doc, "stopped_by_time", res->stopped_by_time);
	cJSON_AddItemToObject(doc, "routes", routes);
	cJSON_AddItemToObject(doc, "unassigned", un);
	for (size_t k = 0; k < res->n_routes; k++) {
		const struct vrptw_route *rt = &res->routes[k];
		if (vrptw_route_schedule(p, rt->vehicle, rt->stops, rt->n_stops, times) < 0)
			goto fail;
		const struct vrptw_stop_time *last = &times[rt->n_stops - 1];
		double back = last->departure + p->time[rt->stops[rt->n_stops - 1] * in->n];
		cJSON *r = cJSON_CreateObject(), *stops = cJSON_CreateArray();
		if (r == NULL || stops == NULL) {
			cJSON_Delete(r);
			cJSON_Delete(stops);
			goto fail;
		}
		cJSON_AddItemToArray(routes, r);
		cJSON_AddStringToObject(r, "vehicle", in->codes[rt->vehicle]);
		cJSON_AddNumberToObject(r, "distance_km", round_to(rt->distance, 0.001));
		cJSON_AddItemToObject(r, "leaves_at", instant(in, p->vehicles[rt->vehicle].shift_start));
		cJSON_AddItemToObject(r, "back_at", instant(in, back));
		cJSON_AddItemToObject(r, "load", load_json(last->load));
		cJSON_AddItemToObject(r, "stops", stops);
		for (size_t i = 0; i < rt->n_stops; i++) {
			cJSON *s = cJSON_CreateObject();
			if (s == NULL)
				goto fail;
			cJSON_AddItemToArray(stops, s);
			cJSON_AddStringToObject(s, "request", in->ids[rt->stops[i]]);
			cJSON_AddItemToObject(s, "arrival", instant(in, times[i].arrival));
			cJSON_AddNumberToObject(s, "waiting_s",
			                        (double)(llround(times[i].start) - llround(times[i].arrival)));
			cJSON_AddItemToObject(s, "start", instant(in, times[i].start));
			cJSON_AddItemToObject(s, "departure", instant(in, times[i].departure));
			cJSON_AddItemToObject(s, "load", load_json(times[i].load));
		}
	}
	for (size_t u = 0; u < res->n_unassigned; u++) {
		cJSON *x = cJSON_CreateObject();
		if (x == NULL)
			goto fail;
		cJSON_AddItemToArray(un, x);
		cJSON_AddStringToObject(x, "request", in->ids[res->unassigned[u]]);
		cJSON_AddStringToObject(x, "reason", vrptw_reason_name(res->reasons[u]));
	}
	free(times);
	return doc;
fail:
	free(times);
	if (doc == NULL || cJSON_GetObjectItemCaseSensitive(doc, "routes") != routes)
		cJSON_Delete(routes);
	if (doc == NULL || cJSON_GetObjectItemCaseSensitive(doc, "unassigned") != un)
		cJSON_Delete(un);
	cJSON_Delete(doc);
	return NULL;
}

char *pickup_plan_solve(const char *input, const struct pickup_plan_opts *o, char *err,
                        size_t errlen)
{
	struct plan_in in = {0};
	struct vrptw_result res = {0};
	cJSON *doc = cJSON_Parse(input ? input : ""), *out = NULL;
	char *text = NULL;
	if (doc == NULL) {
		snprintf(err, errlen, "plan input is not JSON");
		goto done;
	}
	if (read_input(doc, &in, err, errlen) != 0)
		goto done;
	struct vrptw_problem p = {.n_sites = in.n, .sites = in.sites, .dist = in.dist,
	                          .time = in.time, .n_vehicles = in.nv, .vehicles = in.veh,
	                          .n_kept = in.n_kept, .kept = in.kept};
	struct vrptw_options so = {.seed = o->seed, .time_limit_s = o->time_limit_s,
	                           .iterations = o->iterations};
	if (vrptw_solve(&p, &so, &res, err, errlen) != 0)
		goto done;
	out = render(&in, &p, &res, o, doc);
	if (out == NULL || (text = cJSON_PrintUnformatted(out)) == NULL)
		snprintf(err, errlen, "out of memory");
done:
	cJSON_Delete(out);
	cJSON_Delete(doc);
	vrptw_result_free(&res);
	plan_in_free(&in);
	return text;
}
