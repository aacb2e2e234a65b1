/* zone_int.h — private to routing/: the zone index of a network, which delivery zone a
 * (country, postal code) falls in. The builder (network.c) normalises prefixes with it and
 * builds the index when it finalizes, recording duplicate zones as problems; the quote finds
 * its destination with it. It reads the network's layout (network_int.h) and calls nothing
 * of the builder's. */
#ifndef ROUTING_ZONE_INT_H
#define ROUTING_ZONE_INT_H

#include "routing/network_int.h"

/* Copies src into dst (capacity cap) upper-cased, without spaces and dashes; returns length,
 * or -1 if it does not fit. */
int rzone_normalise(const char *src, char *dst, size_t cap);

/* Builds net->zones, the zone nodes by country, then longest prefix first, then prefix text;
 * returns 0, or -1 if memory ran out. */
int rzone_build(struct routing_network *net) ROUTING_MUST_CHECK;

/* Whether net->zones[i] (i ≥ 1, after rzone_build()) has the country and postal prefix of
 * net->zones[i − 1]: a duplicate zone. */
bool rzone_same_as_previous(const struct routing_network *net, size_t i);

/* Node index of the zone for (country, postal_code), or -1. */
long rzone_find(const struct routing_network *net, const char *country, const char *postal);

#endif
