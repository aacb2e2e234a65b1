/* propagate_int.h — private to routing/: exact propagation of the time distribution of one
 * parcel along an itinerary, as a distribution over each leg's departures. */
#ifndef ROUTING_PROPAGATE_INT_H
#define ROUTING_PROPAGATE_INT_H

#include "routing/network_int.h"

/* Which departures of a leg the parcel takes: p[j] = P(departure k0 + j), j < n; `lost` is
 * the mass that found no departure so far on the itinerary (beyond the horizon). p is the
 * caller's buffer with room for the leg's departure count. */
struct rdep {
	size_t k0;
	size_t n;
	double *p;
	double lost;
};

/* Processing start at the origin for a parcel ready at ready_at (the order batch rule), or
 * ROUTING_NEVER_T if no batch in the horizon takes it. */
#define ROUTING_NEVER_T INT64_MAX
int64_t rprop_start(const struct rnode *origin, int64_t ready_at);

/* First leg: the parcel starts processing at `start` (ROUTING_NEVER_T: all mass lost) and
 * is ready after the origin's processing time. Fills out (out->p is the caller's). */
void rprop_first(const struct routing_network *net, const struct rnode *origin, int64_t start,
                 const struct rleg *leg, struct rdep *out);

/* Next leg: in is the departure distribution of prev, which ends at the node where leg
 * starts; the parcel is ready min_connection_s after arrival there. */
void rprop_next(const struct routing_network *net, const struct rleg *prev,
                const struct rdep *in, const struct rleg *leg, struct rdep *out);

/* P(arrival at the end of leg ≤ t) for departure distribution in (no delivery windows). */
double rprop_p_arrival_by(const struct routing_network *net, const struct rleg *leg,
                          const struct rdep *in, int64_t t);

/* The on-time probability and the mass beyond the horizon of a last leg with departure
 * distribution in, given the leg's delivery windows. */
void rprop_delivery(const struct routing_network *net, const struct rleg *leg,
                    const struct rdep *in, int64_t deadline, double *p_on_time,
                    double *p_beyond);

/* The latest arrival on a leg into a zone that is delivered by t (its delivery windows
 * applied), or INT64_MIN if none is. */
int64_t rprop_latest_arrival(const struct rleg *leg, int64_t t);

/* Delivery instant of an arrival at t on a leg with delivery windows: t itself, the start of
 * the next window, or ROUTING_NEVER_T after the last window. */
int64_t rprop_deliver_at(const struct rleg *leg, int64_t t);

#endif
