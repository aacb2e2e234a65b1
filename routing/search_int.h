/* search_int.h — private to routing/: the state of one quote's search, shared by the files
 * of the quote: the entry points (quote.c) set it up and run the itinerary search
 * (search.c), then turn the itineraries found into options (options.c) with their figures
 * (detail.c). */
#ifndef ROUTING_SEARCH_INT_H
#define ROUTING_SEARCH_INT_H

#include "routing/bound_int.h"
#include "routing/lane_int.h"
#include "routing/parcel_int.h"
#include "routing/propagate_int.h"
#include "routing/quote.h"

/* The lower bound on the time still to go from a node that cannot reach the destination. */
#define RSEARCH_INF_T INT64_MAX

/* An itinerary found: its legs, cost, P(on time) and mass beyond the horizon. */
struct rcand {
	uint32_t legs[ROUTING_MAX_LEGS];
	int n;
	int64_t cost;
	double p;
	double beyond;
	int refused;       /* refused options: the reason, and the refusing leg's position */
	int refused_at;
};

/* A list of itineraries (the archive, the refused ones). */
struct rcands {
	struct rcand *v;
	size_t n, cap;
};

/* Everything one quote needs, allocated once per quote. */
struct rsearch {
	const struct routing_network *net;
	const struct routing_request *req;
	int max_legs;
	uint32_t origin, dest;
	int64_t start;
	uint8_t *accept;           /* per leg */
	int64_t *cost;             /* per leg, for this parcel */
	int32_t *charge_g;
	/* the lower bounds (rsearch_lower_bounds()): own_b's, or the cache's bounds memo's
	 * (lane_int.h) */
	const int64_t *rem_time;   /* [h * n_nodes + v]: lower bound delivery − arrival at v */
	const int64_t *rem_cost;   /* [h * n_nodes + v]: lower bound on the cost still to pay */
	const uint8_t *sreach;     /* [h * n_nodes + v]: dest reachable in ≤ h legs ignoring limits */
	const uint8_t *rreach;     /* [h * n_nodes + v]: ... by a walk with a refusing leg */
	struct rlane_bounds own_b; /* room for them */
	uint8_t *visited;
	double *buf;               /* ROUTING_MAX_LEGS buffers of max_dep doubles */
	struct rdep st[ROUTING_MAX_LEGS];
	uint32_t path[ROUTING_MAX_LEGS];
	uint32_t *order;           /* per depth, max_out leg indexes: cheapest bound first */
	int64_t *okey;             /* per depth, max_out: their cost bounds */
	double *oub;               /* per depth, max_out: their widened bounds on P(on time) */
	const uint32_t *adj;       /* the legs a search may take (lane_int.h: struct rlane_adj),
	                            * own_a's or the cache's lane's */
	const uint32_t *adj_to;    /* per adj entry: where its leg leads */
	const uint32_t *adj_first, *adj_n; /* per node: its legs in adj */
	size_t n_adj;
	struct rlane_adj own_a;    /* room for them */
	struct rbound bound;       /* the quote's own bounds (uncached), or a table too large
	                            * for the cache */
	const struct rbound *bnd;  /* upper bounds on P(on time) of partial itineraries: &bound
	                            * or a cached table built for a start no later */
	const uint32_t *k0;        /* per leg: the first departure a parcel can take
	                            * (bound_int.h) */
	uint32_t *k0_buf;          /* room for k0 when the cache's forward memo has none */
	void *fwork;               /* work memory of rbound_first_departures() */
	int64_t best_feasible;     /* cheapest itinerary found that meets the target */
	double best_p;             /* highest p_on_time found */
	int64_t best_p_cost;       /* the cheapest itinerary found with p_on_time == best_p */
	struct rcands archive;
	struct rcands refused;
	size_t n_refused_found;
	size_t n_evaluated;
	int oom;
};

/* Bytes of the search's per-quote arrays (rsearch_layout()), with the cache's extras when
 * cached. */
size_t rsearch_size(const struct rsearch *s, bool cached);

/* Lays the search's per-quote arrays out in block (rsearch_size() bytes, 16-byte aligned);
 * cached: with room for the cache's forward pass (fwork, k0_buf). */
void rsearch_layout(struct rsearch *s, char *block, bool cached);

/* Allocates the search's per-quote arrays in one block; returns it (the caller frees it
 * after the quote), or NULL if memory ran out. */
void *rsearch_alloc(struct rsearch *s);

/*
 * Hop-bounded lower bounds towards the destination, by Bellman-Ford over the legs for
 * h = 1 .. max_legs: rem_time (cut-off + minimum transit + connection times), rem_cost
 * (accepted legs' costs), sreach (reachability ignoring parcel limits) and rreach
 * (reachability by a walk with at least one leg that refuses the parcel). Writes o's
 * arrays, (max_legs + 1) × n_nodes each; reads s->adj, s->accept and s->cost.
 */
void rsearch_lower_bounds(const struct rsearch *s, const struct rlane_bounds *o);

/* Appends c to the list; sets s->oom on failure. */
void rsearch_push(struct rsearch *s, struct rcands *list, const struct rcand *c);

/* Searches the itineraries from the origin over accepted legs (the lower bounds, the bound
 * table bnd and k0 set): the non-dominated ones among those it must evaluate end in
 * s->archive (see quote.h, 7.). */
void rsearch_itineraries(struct rsearch *s);

/* Lists the itineraries from the origin that some leg refuses (at most ROUTING_MAX_REJECTED
 * in s->refused, counted in s->n_refused_found up to one more). */
void rsearch_refused(struct rsearch *s);

/* Builds the quote's options from the archive (the non-dominated set) and the refused list
 * (options.c). Returns 0, or -1 if memory ran out. */
int roptions_assemble(struct rsearch *s, struct routing_quote *q) ROUTING_MUST_CHECK;

/* Computes the figures (departures, arrival quantiles) of the first n options of q, those
 * of the archive (detail.c). */
void rdetail_options(struct rsearch *s, struct routing_quote *q, size_t n);

#endif
