/* network_int.h — private to routing/: the layout of a finalized network, shared by the
 * builder (network.c), the zone index (zone.c), propagation (propagate.c) and the files of
 * the quote (search_int.h); with the helpers they share (costs, sorted dimensions, floor
 * division, lower bound). Nothing outside routing/ includes this file. */
#ifndef ROUTING_NETWORK_INT_H
#define ROUTING_NETWORK_INT_H

#include "routing/network.h"

/* A normalised duration distribution on the grid: pmf[i] = P(duration = i × res),
 * cdf[i] = P(duration ≤ i × res), cdf[n − 1] == 1.0 exactly, pmf[n − 1] > 0. */
struct rdist {
	double *pmf;
	double *cdf;
	size_t n;
	size_t min_bin; /* first bin with mass */
};

struct rnode {
	char *code;
	enum routing_node_kind kind;
	char country[3];
	char *postal_prefix;          /* normalised (see zone_normalise), "" = whole country */
	int32_t min_connection_s;
	struct routing_order_window *order_windows;
	size_t n_order_windows;
	struct rdist processing;      /* n == 1, pmf[0] == 1 when none given */
	uint32_t out_first;           /* out_legs[out_first .. out_first + out_n) */
	uint32_t out_n;
};

struct rservice {
	char *carrier;
	char *service;
	enum routing_mode mode;
};

struct rleg {
	char *id;
	char *from_code, *to_code, *carrier_code, *service_code; /* until finalize */
	uint32_t from, to, service;
	uint32_t rank;                /* position in the order of leg ids */
	int64_t *dep;
	size_t n_dep;
	int64_t cutoff_s;
	struct rdist transit;
	struct routing_window *windows;
	size_t n_windows;
	int64_t fixed_minor, per_kg_minor;
	int32_t max_weight_g;
	int32_t max_dims_mm[3];       /* sorted, largest first; 0 = no limit */
	int32_t vol_divisor;
};

struct rproblems {
	char **line;
	size_t n, cap;
};

struct routing_network {
	int32_t res;
	char currency[4];
	bool finalized;
	struct rnode *nodes;
	size_t n_nodes, cap_nodes;
	struct rservice *services;
	size_t n_services, cap_services;
	struct rleg *legs;
	size_t n_legs, cap_legs;
	uint32_t *out_legs;           /* per node, by rank */
	uint32_t *node_by_code;       /* node indexes sorted by code */
	uint32_t *zones;              /* zone node indexes by (country, prefix length desc) */
	size_t n_zones;
	size_t max_dep;               /* most departures of one leg */
	size_t max_out;               /* most out-legs of one node */
	size_t n_departures;
	struct rproblems problems;
};

/* Appends a formatted problem line to the network (see routing_network_problem()). */
void rnet_problem(struct routing_network *net, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Node index of code, or -1. Finalized networks only. */
long rnet_find_node(const struct routing_network *net, const char *code);

/* Distributions (dist.c). */
int rdist_from_hist(struct rdist *d, const struct routing_hist *h, char *why, size_t whylen)
	ROUTING_MUST_CHECK;
void rdist_free(struct rdist *d);

/* A cost too large for int64 (sums saturate at it), or of a node that cannot reach the
 * destination. */
#define RCOST_INF INT64_MAX

/* Saturating int64 addition for non-negative costs. */
static inline int64_t rcost_add(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return RCOST_INF;
	return r;
}

/* Sorts three dimensions largest first (legs' limits and parcels are compared so: a parcel
 * fits a leg in some rotation when each sorted dimension fits). */
static inline void rsort3_desc(int32_t d[3])
{
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2 - i; j++)
			if (d[j] < d[j + 1]) {
				int32_t t = d[j];
				d[j] = d[j + 1];
				d[j + 1] = t;
			}
}

/* Floor division for possibly negative numerators (den > 0). */
static inline int64_t rfloor_div(int64_t num, int64_t den)
{
	int64_t q = num / den;
	if ((num % den != 0) && (num < 0))
		q--;
	return q;
}

/* First index i in the sorted array a[0..n) with a[i] >= key (n if none). */
static inline size_t rlower_bound(const int64_t *a, size_t lo, size_t n, int64_t key)
{
	size_t hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif
