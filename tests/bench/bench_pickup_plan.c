/* bench_pickup_plan.c — the planner's solve time for a hub's day, in process, one core:
 * five generated hubs of 100 pickup requests each (sites within 25 km of the hub, great-
 * circle × 1.3 road km at 30 km/h; ready windows of 1–4 h between 08:00 and 18:00; 5–15 min
 * on site; 5–400 kg and 0.05–3 m³ each; a fleet of 12 vans, 800 kg / 8 m³, and 4 trucks,
 * 3 t / 20 m³, on 07:00–19:00 shifts, a fixed cost per vehicle used and a cost per km).
 * Each plan is solved as the endpoint would (routing/vrptw.h, default iterations, time
 * limit 2 s) and every route re-timed by vrptw_route_schedule(). Prints per hub: the seconds,
 * vehicles, km, unassigned (with their reasons), the steps run; exit 1 if a route breaks a
 * rule or a hub takes more than 2 s (the end-to-end budget for the HTTP plan). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "routing/travel.h"
#include "routing/vrptw.h"

#define N 101
#define NV 16

static uint64_t rs = 0x9e3779b97f4a7c15ULL;

static double unit(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (double)((rs * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

int main(void)
{
	static struct travel_point pts[N];
	static struct vrptw_site sites[N];
	static double dist[N * N], tim[N * N];
	struct vrptw_vehicle veh[NV];
	struct travel_model tm = {.road_factor = 1.3, .speed_kmh = 30};
	int bad = 0;
	for (int v = 0; v < NV; v++) {
		bool truck = v >= 12;
		veh[v] = (struct vrptw_vehicle){
			.capacity = {truck ? 3000000 : 800000, truck ? 20000000 : 8000000},
			.shift_start = 7 * 3600, .shift_end = 19 * 3600,
			.fixed_cost = truck ? 9000 : 6000, .cost_per_distance = truck ? 60 : 35};
	}
	for (int h = 0; h < 5; h++) {
		pts[0] = (struct travel_point){40.4168, -3.7038};
		for (int i = 1; i < N; i++) {
			double r = 25.0 * sqrt(unit()), a = 2 * M_PI * unit();
			pts[i].lat = pts[0].lat + r * cos(a) / 111.195;
			pts[i].lon = pts[0].lon + r * sin(a) / (111.195 * cos(pts[0].lat * M_PI / 180));
			double width = 3600 * (1 + 3 * unit());
			double ready = 8 * 3600 + unit() * (10 * 3600 - width);
			sites[i] = (struct vrptw_site){
				.demand = {(int64_t)(5000 + unit() * 395000), (int64_t)(50000 + unit() * 2950000)},
				.ready = ready, .due = ready + width, .service = 300 + unit() * 600};
		}
		if (travel_matrices(&tm, pts, N, dist, tim) != 0)
			return 2;
		struct vrptw_problem p = {.n_sites = N, .sites = sites, .dist = dist, .time = tim,
		                          .n_vehicles = NV, .vehicles = veh};
		struct vrptw_options o = {.seed = 1, .time_limit_s = 2.0};
		struct vrptw_result r;
		char why[128];
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (vrptw_solve(&p, &o, &r, why, sizeof why) != 0) {
			fprintf(stderr, "bench_pickup_plan: %s\n", why);
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
		int reasons[4] = {0};
		for (size_t u = 0; u < r.n_unassigned; u++)
			reasons[r.reasons[u]]++;
		for (size_t k = 0; k < r.n_routes; k++)
			if (vrptw_route_schedule(&p, r.routes[k].vehicle, r.routes[k].stops,
			                         r.routes[k].n_stops, NULL) < 0)
				bad = 1;
		printf("hub %d: 100 requests, %.3f s, %zu vehicles, %.1f km, unassigned %zu "
		       "(capacity %d, window %d, shift %d, fleet %d), %ld steps%s\n", h + 1, s,
		       r.n_routes, r.distance, r.n_unassigned, reasons[0], reasons[1], reasons[2],
		       reasons[3], r.iterations, s > 2.0 ? "   (over 2 s)" : "");
		if (s > 2.0)
			bad = 1;
		vrptw_result_free(&r);
	}
	return bad;
}
