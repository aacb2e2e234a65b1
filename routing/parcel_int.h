/* parcel_int.h — private to routing/: a parcel on the network's legs, as one quote prices it:
 * which legs accept it (or why not), its chargeable weight and its cost on each. */
#ifndef ROUTING_PARCEL_INT_H
#define ROUTING_PARCEL_INT_H

#include "routing/network_int.h"
#include "routing/parcel.h"

/* What a leg does with a parcel, per leg: the quote's accept vector (bound_int.h reads it as
 * "nonzero: refuses") and the lanes' parcel classes (lane_int.h) hold these. */
enum { RPARCEL_ACCEPT = 0, RPARCEL_REFUSE_HEAVY = 1, RPARCEL_REFUSE_LARGE = 2 };

/*
 * Prices legs[0 .. n) (leg indexes; all legs when legs is NULL) for parcel p: accept[i]
 * (accepted or why not), charge_g[i] (the chargeable weight at the leg's volumetric divisor)
 * and cost[i] (fixed + per_kg × chargeable kg, rounded half to even, saturating at
 * RCOST_INF). The arrays have an entry per leg of net and are the caller's; other legs'
 * entries are left unset.
 */
void rparcel_price_legs(const struct routing_network *net, const struct routing_parcel *p,
                        const uint32_t *legs, size_t n, uint8_t *accept, int64_t *cost,
                        int32_t *charge_g);

#endif
