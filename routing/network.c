/* network.c — building and validating the lane network: copying rows, collecting problems,
 * resolving codes and building the adjacency and lookup indexes. */
#include "routing/network_int.h"
#include "routing/zone_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends a formatted problem line to the network. Out of memory drops the line; the
 * caller still fails, so a network never finalizes with a lost problem. */
void rnet_problem(struct routing_network *net, const char *fmt, ...)
{
	struct rproblems *pr = &net->problems;
	if (pr->n == pr->cap) {
		size_t cap = pr->cap ? pr->cap * 2 : 8;
		char **line = realloc(pr->line, cap * sizeof *line);
		if (line == NULL)
			return;
		pr->line = line;
		pr->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s != NULL)
		pr->line[pr->n++] = s;
}

/* Grows *arr (element size sz) so that index *n fits; returns 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, ncap * sz);
	if (p == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Whether s is a non-empty string. */
static bool nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

struct routing_network *routing_network_new(int32_t resolution_s, const char *currency)
{
	if (resolution_s <= 0 || currency == NULL || strlen(currency) != 3)
		return NULL;
	for (int i = 0; i < 3; i++)
		if (currency[i] < 'A' || currency[i] > 'Z')
			return NULL;
	struct routing_network *net = calloc(1, sizeof *net);
	if (net == NULL)
		return NULL;
	net->res = resolution_s;
	memcpy(net->currency, currency, 4);
	return net;
}

void routing_network_free(struct routing_network *net)
{
	if (net == NULL)
		return;
	for (size_t i = 0; i < net->n_nodes; i++) {
		struct rnode *n = &net->nodes[i];
		free(n->code);
		free(n->postal_prefix);
		free(n->order_windows);
		rdist_free(&n->processing);
	}
	for (size_t i = 0; i < net->n_services; i++) {
		free(net->services[i].carrier);
		free(net->services[i].service);
	}
	for (size_t i = 0; i < net->n_legs; i++) {
		struct rleg *l = &net->legs[i];
		free(l->id);
		free(l->from_code);
		free(l->to_code);
		free(l->carrier_code);
		free(l->service_code);
		free(l->dep);
		free(l->windows);
		rdist_free(&l->transit);
	}
	for (size_t i = 0; i < net->problems.n; i++)
		free(net->problems.line[i]);
	free(net->problems.line);
	free(net->nodes);
	free(net->services);
	free(net->legs);
	free(net->out_legs);
	free(net->node_by_code);
	free(net->zones);
	free(net);
}

/* Checks that windows are non-empty, sorted and disjoint; records a problem for who. */
static int check_windows(struct routing_network *net, const char *who, const char *what,
                         const struct routing_window *w, size_t n)
{
	if (n > 0 && w == NULL) {
		rnet_problem(net, "%s: %s: %zu given but no array", who, what, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (w[i].end <= w[i].start) {
			rnet_problem(net, "%s: %s[%zu]: empty or reversed", who, what, i);
			return -1;
		}
		if (i > 0 && w[i].start < w[i - 1].end) {
			rnet_problem(net, "%s: %s[%zu]: overlaps or is out of order", who, what, i);
			return -1;
		}
	}
	return 0;
}

int routing_network_add_node(struct routing_network *net, const struct routing_node_def *def)
{
	if (net->finalized)
		return -1;
	const char *who = nonempty(def->code) ? def->code : "(no code)";
	int bad = 0;
	if (!nonempty(def->code)) {
		rnet_problem(net, "node: code is empty");
		bad = 1;
	}
	if ((unsigned)def->kind > ROUTING_NODE_ZONE) {
		rnet_problem(net, "node %s: unknown kind", who);
		bad = 1;
	}
	if (def->country == NULL || strlen(def->country) != 2 || def->country[0] < 'A' ||
	    def->country[0] > 'Z' || def->country[1] < 'A' || def->country[1] > 'Z') {
		rnet_problem(net, "node %s: country must be two upper-case letters", who);
		bad = 1;
	}
	char prefix[64] = "";
	if (nonempty(def->postal_prefix)) {
		if (def->kind != ROUTING_NODE_ZONE) {
			rnet_problem(net, "node %s: only zones have a postal prefix", who);
			bad = 1;
		} else if (rzone_normalise(def->postal_prefix, prefix, sizeof prefix) < 0) {
			rnet_problem(net, "node %s: postal prefix too long", who);
			bad = 1;
		}
	}
	if (def->min_connection_s < 0) {
		rnet_problem(net, "node %s: min_connection_s is negative", who);
		bad = 1;
	}
	for (size_t i = 0; def->order_windows != NULL && i < def->n_order_windows; i++) {
		const struct routing_order_window *w = &def->order_windows[i];
		if (w->cutoff < w->open || (i > 0 && w->open < def->order_windows[i - 1].cutoff)) {
			rnet_problem(net, "node %s: order_windows[%zu]: reversed or out of order", who, i);
			bad = 1;
			break;
		}
	}
	if (def->n_order_windows > 0 && def->order_windows == NULL) {
		rnet_problem(net, "node %s: order windows count without array", who);
		bad = 1;
	}
	struct rdist proc = { 0 };
	char why[128];
	if (!bad && rdist_from_hist(&proc, &def->processing, why, sizeof why) < 0) {
		rnet_problem(net, "node %s: processing: %s", who, why);
		bad = 1;
	}
	if (bad)
		return -1;

	struct rnode n = { 0 };
	n.code = strdup(def->code);
	n.postal_prefix = strdup(prefix);
	n.kind = def->kind;
	memcpy(n.country, def->country, 3);
	n.min_connection_s = def->min_connection_s;
	n.processing = proc;
	n.n_order_windows = def->n_order_windows;
	if (n.n_order_windows > 0) {
		n.order_windows = malloc(n.n_order_windows * sizeof *n.order_windows);
		if (n.order_windows != NULL)
			memcpy(n.order_windows, def->order_windows,
			       n.n_order_windows * sizeof *n.order_windows);
	}
	if (n.code == NULL || n.postal_prefix == NULL ||
	    (n.n_order_windows > 0 && n.order_windows == NULL) ||
	    grow((void **)&net->nodes, &net->cap_nodes, net->n_nodes, sizeof *net->nodes) < 0) {
		free(n.code);
		free(n.postal_prefix);
		free(n.order_windows);
		rdist_free(&n.processing);
		rnet_problem(net, "node %s: out of memory", who);
		return -1;
	}
	net->nodes[net->n_nodes++] = n;
	return 0;
}

int routing_network_add_service(struct routing_network *net,
                                const struct routing_service_def *def)
{
	if (net->finalized)
		return -1;
	if (!nonempty(def->carrier) || !nonempty(def->service)) {
		rnet_problem(net, "service: carrier and service codes must be non-empty");
		return -1;
	}
	if ((unsigned)def->mode > ROUTING_MODE_LAST_MILE) {
		rnet_problem(net, "service %s/%s: unknown mode", def->carrier, def->service);
		return -1;
	}
	struct rservice s = { strdup(def->carrier), strdup(def->service), def->mode };
	if (s.carrier == NULL || s.service == NULL ||
	    grow((void **)&net->services, &net->cap_services, net->n_services,
	         sizeof *net->services) < 0) {
		free(s.carrier);
		free(s.service);
		rnet_problem(net, "service %s/%s: out of memory", def->carrier, def->service);
		return -1;
	}
	net->services[net->n_services++] = s;
	return 0;
}

int routing_network_add_leg(struct routing_network *net, const struct routing_leg_def *def)
{
	if (net->finalized)
		return -1;
	const char *who = nonempty(def->id) ? def->id : "(no id)";
	int bad = 0;
	if (!nonempty(def->id)) {
		rnet_problem(net, "leg: id is empty");
		bad = 1;
	}
	if (!nonempty(def->from) || !nonempty(def->to) || !nonempty(def->carrier) ||
	    !nonempty(def->service)) {
		rnet_problem(net, "leg %s: from, to, carrier and service are required", who);
		bad = 1;
	}
	if (def->n_departures > 0 && def->departures == NULL) {
		rnet_problem(net, "leg %s: departures: count without array", who);
		bad = 1;
	}
	for (size_t i = 1; def->departures != NULL && i < def->n_departures; i++)
		if (def->departures[i] <= def->departures[i - 1]) {
			rnet_problem(net, "leg %s: departures: not strictly increasing at index %zu", who, i);
			bad = 1;
			break;
		}
	if (def->cutoff_min < 0) {
		rnet_problem(net, "leg %s: cutoff_min is negative", who);
		bad = 1;
	}
	if (def->fixed_minor < 0 || def->per_kg_minor < 0) {
		rnet_problem(net, "leg %s: cost is negative", who);
		bad = 1;
	}
	if (def->max_weight_g < 0 || def->max_dims_mm[0] < 0 || def->max_dims_mm[1] < 0 ||
	    def->max_dims_mm[2] < 0 || def->vol_divisor < 0) {
		rnet_problem(net, "leg %s: limits are negative", who);
		bad = 1;
	}
	if (check_windows(net, who, "delivery_windows", def->delivery_windows,
	                  def->n_delivery_windows) < 0)
		bad = 1;
	struct rdist tr = { 0 };
	char why[128];
	if (!bad && rdist_from_hist(&tr, &def->transit, why, sizeof why) < 0) {
		rnet_problem(net, "leg %s: transit: %s", who, why);
		bad = 1;
	}
	if (bad)
		return -1;

	struct rleg l = { 0 };
	l.id = strdup(def->id);
	l.from_code = strdup(def->from);
	l.to_code = strdup(def->to);
	l.carrier_code = strdup(def->carrier);
	l.service_code = strdup(def->service);
	l.n_dep = def->n_departures;
	l.dep = malloc((l.n_dep ? l.n_dep : 1) * sizeof *l.dep);
	if (l.dep != NULL && l.n_dep > 0)
		memcpy(l.dep, def->departures, l.n_dep * sizeof *l.dep);
	l.n_windows = def->n_delivery_windows;
	if (l.n_windows > 0) {
		l.windows = malloc(l.n_windows * sizeof *l.windows);
		if (l.windows != NULL)
			memcpy(l.windows, def->delivery_windows, l.n_windows * sizeof *l.windows);
	}
	l.cutoff_s = (int64_t)def->cutoff_min * 60;
	l.transit = tr;
	l.fixed_minor = def->fixed_minor;
	l.per_kg_minor = def->per_kg_minor;
	l.max_weight_g = def->max_weight_g;
	memcpy(l.max_dims_mm, def->max_dims_mm, sizeof l.max_dims_mm);
	rsort3_desc(l.max_dims_mm);
	l.vol_divisor = def->vol_divisor ? def->vol_divisor : ROUTING_DEFAULT_VOL_DIVISOR;
	if (l.id == NULL || l.from_code == NULL || l.to_code == NULL || l.carrier_code == NULL ||
	    l.service_code == NULL || l.dep == NULL || (l.n_windows > 0 && l.windows == NULL) ||
	    grow((void **)&net->legs, &net->cap_legs, net->n_legs, sizeof *net->legs) < 0) {
		free(l.id);
		free(l.from_code);
		free(l.to_code);
		free(l.carrier_code);
		free(l.service_code);
		free(l.dep);
		free(l.windows);
		rdist_free(&l.transit);
		rnet_problem(net, "leg %s: out of memory", who);
		return -1;
	}
	net->legs[net->n_legs++] = l;
	return 0;
}

/* qsort_r comparators over index arrays. */
static int cmp_node_code(const void *a, const void *b, void *ctx)
{
	const struct routing_network *net = ctx;
	return strcmp(net->nodes[*(const uint32_t *)a].code, net->nodes[*(const uint32_t *)b].code);
}

static int cmp_leg_id(const void *a, const void *b, void *ctx)
{
	const struct routing_network *net = ctx;
	return strcmp(net->legs[*(const uint32_t *)a].id, net->legs[*(const uint32_t *)b].id);
}

/* Out-legs grouped by origin node, each group in rank order. */
static int cmp_leg_from_rank(const void *a, const void *b, void *ctx)
{
	const struct routing_network *net = ctx;
	const struct rleg *x = &net->legs[*(const uint32_t *)a];
	const struct rleg *y = &net->legs[*(const uint32_t *)b];
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

long rnet_find_node(const struct routing_network *net, const char *code)
{
	size_t lo = 0, hi = net->n_nodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(net->nodes[net->node_by_code[mid]].code, code);
		if (c == 0)
			return (long)net->node_by_code[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Index of service (carrier, service), or -1; linear, used only while finalizing. */
static long find_service(const struct routing_network *net, const char *carrier,
                         const char *service)
{
	for (size_t i = 0; i < net->n_services; i++)
		if (strcmp(net->services[i].carrier, carrier) == 0 &&
		    strcmp(net->services[i].service, service) == 0)
			return (long)i;
	return -1;
}

/*
 * Resolves codes, checks uniqueness and the network's shape, sorts out-legs by leg id and
 * builds the zone index (zone_int.h; two zones with the same country and prefix are a
 * problem). Records every problem found; returns 0 only if there are none (also none from
 * earlier add_* calls).
 */
int routing_network_finalize(struct routing_network *net)
{
	if (net->finalized)
		return 0;
	if (net->n_nodes > UINT32_MAX / 2 || net->n_legs > UINT32_MAX / 2) {
		rnet_problem(net, "network too large");
		return -1;
	}
	size_t nn = net->n_nodes, nl = net->n_legs;
	net->node_by_code = malloc((nn ? nn : 1) * sizeof *net->node_by_code);
	net->out_legs = malloc((nl ? nl : 1) * sizeof *net->out_legs);
	if (net->node_by_code == NULL || net->out_legs == NULL) {
		rnet_problem(net, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < nn; i++)
		net->node_by_code[i] = (uint32_t)i;
	qsort_r(net->node_by_code, nn, sizeof *net->node_by_code, cmp_node_code, net);
	for (size_t i = 1; i < nn; i++)
		if (strcmp(net->nodes[net->node_by_code[i]].code,
		           net->nodes[net->node_by_code[i - 1]].code) == 0)
			rnet_problem(net, "node %s: duplicate code", net->nodes[net->node_by_code[i]].code);
	for (size_t i = 0; i < net->n_services; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(net->services[i].carrier, net->services[j].carrier) == 0 &&
			    strcmp(net->services[i].service, net->services[j].service) == 0)
				rnet_problem(net, "service %s/%s: duplicate", net->services[i].carrier,
				        net->services[i].service);

	/* leg ranks: the stable order used to break ties */
	for (size_t i = 0; i < nl; i++)
		net->out_legs[i] = (uint32_t)i;
	qsort_r(net->out_legs, nl, sizeof *net->out_legs, cmp_leg_id, net);
	for (size_t i = 0; i < nl; i++) {
		net->legs[net->out_legs[i]].rank = (uint32_t)i;
		if (i > 0 && strcmp(net->legs[net->out_legs[i]].id,
		                    net->legs[net->out_legs[i - 1]].id) == 0)
			rnet_problem(net, "leg %s: duplicate id", net->legs[net->out_legs[i]].id);
	}

	size_t n_dep = 0, max_dep = 0;
	for (size_t i = 0; i < nl; i++) {
		struct rleg *l = &net->legs[i];
		long from = rnet_find_node(net, l->from_code);
		long to = rnet_find_node(net, l->to_code);
		long svc = find_service(net, l->carrier_code, l->service_code);
		if (from < 0)
			rnet_problem(net, "leg %s: unknown from node %s", l->id, l->from_code);
		if (to < 0)
			rnet_problem(net, "leg %s: unknown to node %s", l->id, l->to_code);
		if (svc < 0)
			rnet_problem(net, "leg %s: unknown service %s/%s", l->id, l->carrier_code,
			        l->service_code);
		if (from < 0 || to < 0 || svc < 0)
			continue;
		if (from == to)
			rnet_problem(net, "leg %s: from and to are the same node", l->id);
		if (net->nodes[from].kind == ROUTING_NODE_ZONE)
			rnet_problem(net, "leg %s: starts at zone %s; zones are destinations", l->id,
			        l->from_code);
		if (l->n_windows > 0 && net->nodes[to].kind != ROUTING_NODE_ZONE)
			rnet_problem(net, "leg %s: delivery windows on a leg that does not end in a zone",
			        l->id);
		l->from = (uint32_t)from;
		l->to = (uint32_t)to;
		l->service = (uint32_t)svc;
		n_dep += l->n_dep;
		if (l->n_dep > max_dep)
			max_dep = l->n_dep;
	}
	net->n_departures = n_dep;
	net->max_dep = max_dep;
	if (net->problems.n > 0)
		return -1;

	/* adjacency: out_legs grouped by from node, by rank within a node */
	qsort_r(net->out_legs, nl, sizeof *net->out_legs, cmp_leg_from_rank, net);
	for (size_t i = 0; i < nl; i++) {
		struct rnode *n = &net->nodes[net->legs[net->out_legs[i]].from];
		if (n->out_n == 0)
			n->out_first = (uint32_t)i;
		n->out_n++;
		if (n->out_n > net->max_out)
			net->max_out = n->out_n;
	}
	if (rzone_build(net) < 0) {
		rnet_problem(net, "out of memory");
		return -1;
	}
	for (size_t i = 1; i < net->n_zones; i++) {
		const struct rnode *z = &net->nodes[net->zones[i]];
		if (rzone_same_as_previous(net, i))
			rnet_problem(net, "zone %s: same country and postal prefix as zone %s", z->code,
			             net->nodes[net->zones[i - 1]].code);
	}
	if (net->problems.n > 0)
		return -1;
	net->finalized = true;
	return 0;
}

size_t routing_network_problem_count(const struct routing_network *net)
{
	return net->problems.n;
}

const char *routing_network_problem(const struct routing_network *net, size_t i)
{
	return i < net->problems.n ? net->problems.line[i] : NULL;
}

size_t routing_network_node_count(const struct routing_network *net)
{
	return net->n_nodes;
}

size_t routing_network_leg_count(const struct routing_network *net)
{
	return net->n_legs;
}

size_t routing_network_departure_count(const struct routing_network *net)
{
	size_t n = 0;
	for (size_t i = 0; i < net->n_legs; i++)
		n += net->legs[i].n_dep;
	return n;
}

static const char *const kind_names[] = { "warehouse", "hub", "gateway", "zone" };
static const char *const mode_names[] = { "air", "rail", "road", "sea", "last_mile" };

const char *routing_node_kind_name(enum routing_node_kind kind)
{
	return (unsigned)kind <= ROUTING_NODE_ZONE ? kind_names[kind] : "?";
}

const char *routing_mode_name(enum routing_mode mode)
{
	return (unsigned)mode <= ROUTING_MODE_LAST_MILE ? mode_names[mode] : "?";
}

int routing_node_kind_parse(const char *name, enum routing_node_kind *out)
{
	for (size_t i = 0; name != NULL && i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum routing_node_kind)i;
			return 0;
		}
	return -1;
}

int routing_mode_parse(const char *name, enum routing_mode *out)
{
	for (size_t i = 0; name != NULL && i < sizeof mode_names / sizeof mode_names[0]; i++)
		if (strcmp(name, mode_names[i]) == 0) {
			*out = (enum routing_mode)i;
			return 0;
		}
	return -1;
}
