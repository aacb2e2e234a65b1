/* parcel.h — a parcel as the route engine sees it (weight, dimensions, declared value) and
 * its chargeable weight on a leg.
 *
 * Chargeable weight = max(actual, L×W×H cm³ / vol_divisor kg), rounded up to the next 100 g
 * (quote.h, the model, 6.). Legs price a parcel on it and refuse one that is too heavy or
 * too large; the quote (quote.h) and the lanes' parcel classes (lane_int.h) both use it.
 */
#ifndef ROUTING_PARCEL_H
#define ROUTING_PARCEL_H

#include <stdint.h>

struct routing_parcel {
	int32_t weight_g;
	int32_t dims_mm[3];          /* any order */
	int64_t declared_value_minor; /* carried for the API; no leg prices on it yet */
};

/* Chargeable weight on a leg with the given volumetric divisor (cm³ per kg; 0 = default):
 * max(actual, volumetric) rounded up to the next 100 g; -1 for negative input. */
int64_t routing_chargeable_g(const struct routing_parcel *p, int32_t vol_divisor);

#endif
