/* travel.c — the pickup planner's travel model (travel.h). */
#include "routing/travel.h"

#include <math.h>

#define EARTH_KM 6371.0088
#define RAD (3.14159265358979323846 / 180.0)

double travel_great_circle_km(struct travel_point a, struct travel_point b)
{
	double dlat = (b.lat - a.lat) * RAD, dlon = (b.lon - a.lon) * RAD;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	           cos(a.lat * RAD) * cos(b.lat * RAD) * sin(dlon / 2) * sin(dlon / 2);
	if (h > 1.0)
		h = 1.0;
	return 2.0 * EARTH_KM * asin(sqrt(h));
}

int travel_matrices(const struct travel_model *m, const struct travel_point *pts, size_t n,
                    double *dist_km, double *time_s)
{
	if (!(m->road_factor >= 1.0) || !isfinite(m->road_factor) || !(m->speed_kmh > 0.0) ||
	    !isfinite(m->speed_kmh))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!(fabs(pts[i].lat) <= 90.0) || !(fabs(pts[i].lon) <= 180.0))
			return -1;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double d = i == j ? 0.0 : m->road_factor * travel_great_circle_km(pts[i], pts[j]);
			dist_km[i * n + j] = d;
			time_s[i * n + j] = d / m->speed_kmh * 3600.0;
		}
	return 0;
}
