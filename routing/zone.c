/* zone.c — delivery zones: a country, optionally narrowed by a postal-code prefix; the
 * zone with the longest prefix that starts the parcel's postal code wins. */
#include "routing/zone_int.h"

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

/* Zone nodes a and b by country, then longest prefix first, then prefix text (equal: a
 * duplicate zone). */
static int zone_order(const struct routing_network *net, uint32_t a, uint32_t b)
{
	const struct rnode *x = &net->nodes[a];
	const struct rnode *y = &net->nodes[b];
	int c = strcmp(x->country, y->country);
	if (c != 0)
		return c;
	size_t lx = strlen(x->postal_prefix), ly = strlen(y->postal_prefix);
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return strcmp(x->postal_prefix, y->postal_prefix);
}

/* zone_order() for qsort_r over node indexes. */
static int cmp_zone(const void *a, const void *b, void *ctx)
{
	return zone_order(ctx, *(const uint32_t *)a, *(const uint32_t *)b);
}

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
	return 0;
}

bool rzone_same_as_previous(const struct routing_network *net, size_t i)
{
	return zone_order(net, net->zones[i - 1], net->zones[i]) == 0;
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
