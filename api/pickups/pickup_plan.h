/* pickup_plan.h — planning one hub's day: from pickup_plan_input()'s JSON
 * (sql/functions/pickup_plan_input.sql) to the plan document POST /v1/pickup-plans answers
 * and stores. The travel model is routing/travel.h, the solver routing/vrptw.h; no database,
 * no libevent: it runs on a worker thread. */
#ifndef WMS_API_PICKUP_PLAN_H
#define WMS_API_PICKUP_PLAN_H

#include <stddef.h>
#include <stdint.h>

struct pickup_plan_opts {
	const char *plan_id;    /* the new plan's id (a UUID) */
	const char *warehouse;  /* the hub's code, for the document */
	uint64_t seed;
	double time_limit_s;
	long iterations;        /* 0: the solver's default */
};

/*
 * Plans input (pickup_plan_input's text; its hub not null) and returns the plan document
 * as JSON text (malloc'd; the caller frees):
 *   {id, warehouse, day, state: "draft", seed, vehicles_used, distance_km, cost, steps,
 *    stopped_by_time, routes: [{vehicle, distance_km, leaves_at, back_at,
 *      load: {weight_g, volume_cm3}, stops: [{request, arrival, waiting_s, start, departure,
 *      load: {weight_g, volume_cm3}}]}], unassigned: [{request, reason}]}
 * (instants RFC 3339 to the second; loads on board after each stop). Requests with a vehicle
 * and stop number (published) are kept on that vehicle in that order. Returns NULL with the
 * reason in err when the input is malformed, a kept route no longer fits its vehicle, or
 * memory runs out.
 */
char *pickup_plan_solve(const char *input, const struct pickup_plan_opts *o, char *err,
                        size_t errlen);

#endif
