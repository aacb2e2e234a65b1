/* zone.c — delivery zones: a country, optionally narrowed by a postal-code prefix; the
 * zone with the longest prefix that starts the parcel's postal code wins. */
#include "routing/network_int.h"

#include <stdlib.h>
#include <string.h>

int rzone_normalise(const char *src, char *dst, size_t cap)
{
	size_t n = 0;
	for (const char *s = src ? src : ""; *s != '\0'; s++) {
		char c = *s;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n + 1 >= cap)
			return -1;
		dst[n++] = c;
	}
	if (cap == 0)
		return -1;
	dst[n] = '\0';
	return (int)n;
}

/* Zones by country, then longest prefix first, then prefix text (for duplicate detection). */
static int cmp_zone(const void *a, const void *b, void *ctx)
{
	const struct routing_network *net = ctx;
	const struct rnode *x = &net->nodes[*(const uint32_t *)a];
	const struct rnode *y = &net->nodes[*(const uint32_t *)b];
	int c = strcmp(x->country, y->country);
	if (c != 0)
		return c;
	size_t lx = strlen(x->postal_prefix), ly = strlen(y->postal_prefix);
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return strcmp(x->postal_prefix, y->postal_prefix);
}

/*
 * Builds net->zones, the zone nodes sorted for rzone_find(). Two zones with the same country
 * and prefix are a problem (recorded); returns -1 then, or on out of memory.
 */
int rzone_build(struct routing_network *net)
{
	size_t n = 0;
	for (size_t i = 0; i < net->n_nodes; i++)
		n += net->nodes[i].kind == ROUTING_NODE_ZONE;
	net->zones = malloc((n ? n : 1) * sizeof *net->zones);
	if (net->zones == NULL)
		return -1;
	n = 0;
	for (size_t i = 0; i < net->n_nodes; i++)
		if (net->nodes[i].kind == ROUTING_NODE_ZONE)
			net->zones[n++] = (uint32_t)i;
	qsort_r(net->zones, n, sizeof *net->zones, cmp_zone, net);
	net->n_zones = n;
	int rc = 0;
	for (size_t i = 1; i < n; i++)
		if (cmp_zone(&net->zones[i - 1], &net->zones[i], net) == 0) {
			const struct rnode *z = &net->nodes[net->zones[i]];
			rnet_problem(net, "zone %s: same country and postal prefix as zone %s", z->code,
			             net->nodes[net->zones[i - 1]].code);
			rc = -1;
		}
	return rc;
}

long rzone_find(const struct routing_network *net, const char *country, const char *postal)
{
	char code[64];
	if (country == NULL || rzone_normalise(postal, code, sizeof code) < 0)
		return -1;
	/* zones are grouped by country, longest prefix first: the first match wins */
	for (size_t i = 0; i < net->n_zones; i++) {
		const struct rnode *z = &net->nodes[net->zones[i]];
		if (strcmp(z->country, country) != 0)
			continue;
		size_t lp = strlen(z->postal_prefix);
		if (strncmp(z->postal_prefix, code, lp) == 0)
			return (long)net->zones[i];
	}
	return -1;
}

const char *routing_network_find_zone(const struct routing_network *net, const char *country,
                                      const char *postal_code)
{
	if (!net->finalized)
		return NULL;
	long z = rzone_find(net, country, postal_code);
	return z < 0 ? NULL : net->nodes[z].code;
}
