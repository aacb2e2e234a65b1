/* travel.h — the pickup planner's travel model: between two sites, the great-circle
 * distance (haversine, Earth radius 6,371.0088 km) times a road factor is the road
 * distance; that over an average speed is the driving time. Pure arithmetic, no map. */
#ifndef ROUTING_TRAVEL_H
#define ROUTING_TRAVEL_H

#include <stddef.h>

#ifndef ROUTING_MUST_CHECK
#define ROUTING_MUST_CHECK __attribute__((warn_unused_result))
#endif

struct travel_model {
	double road_factor; /* road km per great-circle km, ≥ 1 (e.g. 1.3 in a city) */
	double speed_kmh;   /* average driving speed, > 0 */
};

struct travel_point {
	double lat, lon;    /* degrees, WGS 84 */
};

/* The great-circle distance in km between a and b. */
double travel_great_circle_km(struct travel_point a, struct travel_point b);

/* Fills the n×n row-major matrices of road distance (km) and driving time (seconds) between
 * the points. Returns 0, or -1 when the model is out of range (road factor < 1, speed ≤ 0,
 * or not finite) or a point is (latitude beyond ±90°, longitude beyond ±180°). */
int travel_matrices(const struct travel_model *m, const struct travel_point *pts, size_t n,
                    double *dist_km, double *time_s) ROUTING_MUST_CHECK;

#endif
