/* vrptw.h — the pickup planner's solver: a vehicle routing problem with time windows
 * (capacity in two dimensions, service times, each stop's service starting inside its
 * window, every vehicle leaving the hub no earlier than its shift start and back by its
 * shift end), solved by ruin and recreate (adjacent string removal, greedy insertion with
 * blinks) under simulated annealing (Christiaens & Vanden Berghe, "Slack induction by
 * string removals", 2020).
 *
 * The model:
 *  1. Site 0 is the hub; sites 1..n-1 are the requests. Every vehicle starts and ends its
 *     route at the hub. Travel is given as two n×n matrices: distance (the cost's unit, e.g.
 *     km) and time (the windows' unit, e.g. seconds); they may be the same matrix.
 *  2. A vehicle leaves the hub at its shift start, arrives at a stop, waits until the stop's
 *     ready time if early, serves it for its service time, and leaves. Service must start at
 *     or before the stop's due time; the vehicle must be back at the hub by its shift end.
 *  3. The load of a route (each of the two dimensions) never exceeds the vehicle's capacity.
 *  4. Objective: Σ over used vehicles (fixed_cost + cost_per_distance × route distance).
 *     A request that no vehicle can take is left unassigned with a reason; unassigned
 *     requests dominate the objective (the solver never drops one it can place).
 *  5. Deterministic: the same problem, seed and iteration budget give the same answer, bit
 *     for bit. The time limit only cuts the search short (the result says so); a search
 *     cut by time is the best found until then, not reproducible across machines.
 *
 * Thread safety: vrptw_solve() only reads the problem; call it from any number of threads.
 */
#ifndef ROUTING_VRPTW_H
#define ROUTING_VRPTW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ROUTING_MUST_CHECK
#define ROUTING_MUST_CHECK __attribute__((warn_unused_result))
#endif

#define VRPTW_DIMS 2

struct vrptw_site {
	int64_t demand[VRPTW_DIMS]; /* e.g. grams and cm³; the hub's is ignored */
	double ready, due;          /* service may start in [ready, due] */
	double service;             /* service duration */
};

struct vrptw_vehicle {
	int64_t capacity[VRPTW_DIMS];
	double shift_start, shift_end; /* leaves the hub ≥ start, back at the hub ≤ end */
	double fixed_cost;             /* added once when the vehicle is used */
	double cost_per_distance;      /* times the route's distance */
};

struct vrptw_route;

struct vrptw_problem {
	size_t n_sites;                      /* the hub (0) and the requests, ≥ 1 */
	const struct vrptw_site *sites;
	const double *dist;                  /* n_sites × n_sites, row-major */
	const double *time;                  /* n_sites × n_sites, row-major */
	size_t n_vehicles;
	const struct vrptw_vehicle *vehicles;
	/* optional: routes to keep (a re-plan around a published plan): their stops stay on
	 * their vehicle in their order, new stops may go between them; distance ignored */
	size_t n_kept;
	const struct vrptw_route *kept;
};

struct vrptw_options {
	uint64_t seed;
	long iterations;     /* ruin-and-recreate steps; 0: the default for the problem size */
	double time_limit_s; /* wall-clock cap (0: none) */
};

/* Why a request is unassigned. */
enum vrptw_reason {
	VRPTW_REASON_CAPACITY,      /* heavier or bulkier than every vehicle */
	VRPTW_REASON_WINDOW,        /* no vehicle can reach it before its due time */
	VRPTW_REASON_SHIFT,         /* reachable, but no vehicle could be back by its shift end */
	VRPTW_REASON_FLEET          /* fits alone, but the vehicles are full with other stops */
};

struct vrptw_route {
	size_t vehicle;   /* index into problem->vehicles */
	size_t n_stops;
	size_t *stops;    /* site numbers in visiting order (the hub not included) */
	double distance;
};

struct vrptw_result {
	size_t n_routes;            /* used vehicles only, in vehicle order */
	struct vrptw_route *routes;
	size_t n_unassigned;
	size_t *unassigned;         /* site numbers, increasing */
	enum vrptw_reason *reasons; /* one per unassigned site */
	double distance;            /* Σ route distances */
	double cost;                /* the objective (4.) without the unassigned */
	long iterations;            /* steps run */
	bool stopped_by_time;       /* the time limit ended the search */
};

/* One stop's schedule on a route. */
struct vrptw_stop_time {
	double arrival, start, departure; /* waiting = start - arrival */
	int64_t load[VRPTW_DIMS];         /* on board after the stop */
};

/* Solves p. On success fills *out (free with vrptw_result_free()) and returns 0. Returns -1
 * with a reason in why if the problem is malformed (no sites, a negative or non-finite
 * matrix entry, a window that ends before it starts, a shift that ends before it starts) or
 * memory runs out; *out is then empty. */
int vrptw_solve(const struct vrptw_problem *p, const struct vrptw_options *o,
                struct vrptw_result *out, char *why, size_t whylen) ROUTING_MUST_CHECK;

/* Frees what vrptw_solve() put in r (not r itself); r becomes empty. */
void vrptw_result_free(struct vrptw_result *r);

/* Times the route stops[0..n) of vehicle v as the model says (2.), writing n entries to
 * times (may be NULL). Returns the route's distance, or -1 if the route breaks a window,
 * the shift or the capacity. */
double vrptw_route_schedule(const struct vrptw_problem *p, size_t v, const size_t *stops,
                            size_t n, struct vrptw_stop_time *times);

/* The reason's name: "capacity", "window", "shift_length", "fleet". */
const char *vrptw_reason_name(enum vrptw_reason r);

#endif
