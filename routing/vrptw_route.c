/* vrptw_route.c — the model of one route (vrptw.h, 2.–3.): its schedule, its feasibility,
 * and why a request that fits no route is left out. */
#include "routing/vrptw.h"
#include "routing/vrptw_int.h"

#include <math.h>
#include <stdlib.h>

double vrptw_route_schedule(const struct vrptw_problem *p, size_t v, const size_t *stops,
                            size_t n, struct vrptw_stop_time *times)
{
	const struct vrptw_vehicle *veh = &p->vehicles[v];
	size_t ns = p->n_sites, prev = 0;
	double t = veh->shift_start, d = 0.0;
	int64_t load[VRPTW_DIMS] = {0};
	for (size_t i = 0; i < n; i++) {
		size_t c = stops[i];
		if (c == 0 || c >= ns)
			return -1.0;
		const struct vrptw_site *s = &p->sites[c];
		double arr = t + p->time[prev * ns + c];
		double start = arr < s->ready ? s->ready : arr;
		if (start > s->due + VRPTW_EPS)
			return -1.0;
		for (int k = 0; k < VRPTW_DIMS; k++) {
			load[k] += s->demand[k];
			if (load[k] > veh->capacity[k])
				return -1.0;
		}
		d += p->dist[prev * ns + c];
		t = start + s->service;
		if (times != NULL) {
			times[i].arrival = arr;
			times[i].start = start;
			times[i].departure = t;
			for (int k = 0; k < VRPTW_DIMS; k++)
				times[i].load[k] = load[k];
		}
		prev = c;
	}
	if (t + p->time[prev * ns] > veh->shift_end + VRPTW_EPS)
		return -1.0;
	return d + p->dist[prev * ns];
}

const char *vrptw_reason_name(enum vrptw_reason r)
{
	switch (r) {
	case VRPTW_REASON_CAPACITY:
		return "capacity";
	case VRPTW_REASON_WINDOW:
		return "window";
	case VRPTW_REASON_SHIFT:
		return "shift_length";
	case VRPTW_REASON_FLEET:
		return "fleet";
	}
	abort();
}

/*
 * Why request c is in no route: the first of capacity, window, shift that holds for every
 * vehicle taking c alone (a vehicle failing on capacity does not count for the window and
 * so on: the reason names what stops the vehicles that would otherwise take it); fleet if
 * some vehicle could take it alone.
 */
enum vrptw_reason vrptw_reason_for(const struct vrptw_problem *p, size_t c)
{
	bool fits = false, reaches = false;
	size_t ns = p->n_sites;
	const struct vrptw_site *s = &p->sites[c];
	for (size_t v = 0; v < p->n_vehicles; v++) {
		const struct vrptw_vehicle *veh = &p->vehicles[v];
		bool cap = true;
		for (int k = 0; k < VRPTW_DIMS; k++)
			if (s->demand[k] > veh->capacity[k])
				cap = false;
		if (!cap)
			continue;
		fits = true;
		double arr = veh->shift_start + p->time[c];
		double start = arr < s->ready ? s->ready : arr;
		if (start > s->due + VRPTW_EPS)
			continue;
		reaches = true;
		if (start + s->service + p->time[c * ns] <= veh->shift_end + VRPTW_EPS)
			return VRPTW_REASON_FLEET;
	}
	if (!fits)
		return VRPTW_REASON_CAPACITY;
	return reaches ? VRPTW_REASON_SHIFT : VRPTW_REASON_WINDOW;
}
