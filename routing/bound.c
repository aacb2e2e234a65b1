/* bound.c — per-quote upper bounds on P(on time) for partial itineraries: a forward pass of
 * earliest times, then the adaptive values W_h and G_h backward from the deadline (see
 * bound.h for the definitions and why they bound every completion). */
#include "routing/bound.h"

#include <stdlib.h>
#include <string.h>

/* One step of G_h(v): arrivals in (previous thr, thr] are worth at most m. Steps are stored
 * by increasing thr with strictly decreasing m; arrivals after the last step are worth 0. */
struct gstep {
	int64_t thr;
	double m;
};

/* Working state of one build, freed at its end. */
struct build {
	const struct routing_network *net;
	const struct rbound_query *q;
	struct rbound *b;
	uint8_t *layer;            /* per node: bit d set if some walk of d legs reaches it */
	int64_t *ready;            /* per node: lower bound on when a parcel is ready there */
	struct gstep *g;           /* the steps of every G_h(v) */
	uint32_t *g_off, *g_n;     /* [(h − 1) · n_nodes + v] */
	uint32_t *head, *runs;     /* per out-leg of one node: merge cursor, leg */
	size_t g_used;
};

/* P(departure dep + transit ≤ x) on leg l. */
static double p_by(const struct routing_network *net, const struct rleg *l, int64_t dep,
                   int64_t x)
{
	if (x < dep)
		return 0.0;
	int64_t i = (x - dep) / net->res;
	return i >= (int64_t)l->transit.n - 1 ? 1.0 : l->transit.cdf[i];
}

/* Whether the search may take leg li at all (mirrors quote.c: accepted, not back to the
 * origin, not into a zone other than the destination). */
static bool usable(const struct build *bd, uint32_t li)
{
	const struct rleg *l = &bd->net->legs[li];
	if (bd->q->refused[li] || l->to == bd->q->origin)
		return false;
	return l->to == bd->q->dest || bd->net->nodes[l->to].kind != ROUTING_NODE_ZONE;
}

/*
 * Forward pass: layer[v] bit d when v is the end of a walk of d usable legs from the origin
 * (d < max_legs), and ready[v] a lower bound on when any parcel can be ready to leave v
 * (earliest departure + shortest transit + connection, over walks of fewer than max_legs
 * legs: a lower bound for every path the search takes). Then k0 per leg.
 */
static void forward(struct build *bd)
{
	const struct routing_network *net = bd->net;
	const struct rbound_query *q = bd->q;
	struct rbound *b = bd->b;
	for (size_t v = 0; v < net->n_nodes; v++)
		bd->ready[v] = INT64_MAX;
	bd->layer[q->origin] = 1;
	bd->ready[q->origin] = q->start + (int64_t)net->nodes[q->origin].processing.min_bin * net->res;
	for (int d = 0; d + 1 < q->max_legs; d++)
		for (size_t v = 0; v < net->n_nodes; v++) {
			if (!(bd->layer[v] & (1u << d)) || v == q->dest)
				continue;
			const struct rnode *n = &net->nodes[v];
			for (uint32_t a = 0; a < n->out_n; a++) {
				uint32_t li = net->out_legs[n->out_first + a];
				if (!usable(bd, li))
					continue;
				const struct rleg *l = &net->legs[li];
				bd->layer[l->to] |= (uint8_t)(1u << (d + 1)); /* by structure alone */
				if (bd->ready[v] == INT64_MAX)
					continue;
				size_t k = rlower_bound(l->dep, 0, l->n_dep, bd->ready[v] + l->cutoff_s);
				if (k == l->n_dep)
					continue;
				int64_t arr = l->dep[k] + (int64_t)l->transit.min_bin * net->res;
				int64_t conn = l->to == q->dest ? 0 : net->nodes[l->to].min_connection_s;
				if (arr + conn < bd->ready[l->to])
					bd->ready[l->to] = arr + conn;
			}
		}
	for (size_t li = 0; li < net->n_legs; li++) {
		const struct rleg *l = &net->legs[li];
		b->k0[li] = (uint32_t)l->n_dep;
		b->kn[li] = 0;
		if (!usable(bd, (uint32_t)li) || bd->ready[l->from] == INT64_MAX)
			continue;
		size_t k0 = rlower_bound(l->dep, 0, l->n_dep, bd->ready[l->from] + l->cutoff_s);
		/* departures that can still arrive in time: dep + shortest transit ≤ limit */
		int64_t limit = l->to == q->dest ? rprop_latest_arrival(l, q->deadline) : q->deadline;
		size_t k1 = k0;
		if (limit != INT64_MIN)
			k1 = rlower_bound(l->dep, k0, l->n_dep,
			                  limit - (int64_t)l->transit.min_bin * net->res + 1);
		b->k0[li] = (uint32_t)k0;
		b->kn[li] = (uint32_t)(k1 - k0);
	}
}

/* W_1 of leg li into the destination: P(delivered by the deadline | departure k). */
static void values_last(struct build *bd, uint32_t li, double *w)
{
	const struct routing_network *net = bd->net;
	const struct rleg *l = &net->legs[li];
	int64_t t = rprop_latest_arrival(l, bd->q->deadline);
	for (uint32_t i = 0; i < bd->b->kn[li]; i++)
		w[i] = p_by(net, l, l->dep[bd->b->k0[li] + i], t);
}

/*
 * W_h of leg li into u ≠ destination: E[G_{h−1}(u, dep + transit)], summing over the steps
 * of G the transit mass that lands in each: arrivals in (thr[j−1], thr[j]] are worth m[j].
 */
static void values_via(struct build *bd, uint32_t li, int h, double *w)
{
	const struct routing_network *net = bd->net;
	const struct rleg *l = &net->legs[li];
	size_t gi = (size_t)(h - 2) * net->n_nodes + l->to;
	const struct gstep *g = bd->g + bd->g_off[gi];
	uint32_t gn = bd->g_n[gi], j = 0;
	int64_t min_t = (int64_t)l->transit.min_bin * net->res;
	int64_t max_t = (int64_t)(l->transit.n - 1) * net->res;
	for (uint32_t i = 0; i < bd->b->kn[li]; i++) {
		int64_t dep = l->dep[bd->b->k0[li] + i];
		while (j < gn && g[j].thr < dep + min_t)
			j++; /* arrivals never fall there (and departures increase) */
		double sum = 0.0, prev = 0.0;
		for (uint32_t s = j; s < gn; s++) {
			if (g[s].thr >= dep + max_t) {
				sum += g[s].m * (1.0 - prev);
				break;
			}
			double c = p_by(net, l, dep, g[s].thr);
			sum += g[s].m * (c - prev);
			prev = c;
		}
		w[i] = sum;
	}
}

/*
 * Builds G_h(v) from the values of v's out-legs at level h: the departure k of leg m is
 * caught by arrivals a with a + connection ≤ dep_k − cutoff, so G_h(v, a) = the largest
 * value among the (threshold ≥ a) entries. Walks the entries from the latest threshold
 * down (a merge of the legs' sorted lists), keeping a step where the running maximum grows.
 */
static void build_g(struct build *bd, uint32_t v, int h)
{
	const struct routing_network *net = bd->net;
	struct rbound *b = bd->b;
	const struct rnode *n = &net->nodes[v];
	size_t gi = (size_t)(h - 1) * net->n_nodes + v;
	int64_t conn = n->min_connection_s;
	uint32_t *head = bd->head, *runs = bd->runs;
	uint32_t nr = 0;
	for (uint32_t a = 0; a < n->out_n; a++) {
		uint32_t li = net->out_legs[n->out_first + a];
		uint32_t o = b->off[(size_t)(h - 1) * b->n_legs + li];
		if (o == RBOUND_NONE || o == RBOUND_ZERO || b->kn[li] == 0)
			continue;
		runs[nr] = li;
		head[nr++] = b->kn[li]; /* entries [0, head) still to take, last first */
	}
	struct gstep *out = bd->g + bd->g_used;
	uint32_t m = 0;
	double best = 0.0;
	for (;;) {
		int64_t t = INT64_MIN;
		uint32_t r = nr;
		for (uint32_t x = 0; x < nr; x++) {
			if (head[x] == 0)
				continue;
			const struct rleg *l = &net->legs[runs[x]];
			int64_t thr = l->dep[b->k0[runs[x]] + head[x] - 1] - l->cutoff_s - conn;
			if (r == nr || thr > t) {
				t = thr;
				r = x;
			}
		}
		if (r == nr)
			break;
		uint32_t li = runs[r];
		double val = b->w[b->off[(size_t)(h - 1) * b->n_legs + li] + --head[r]];
		if (val > best) {
			best = val;
			if (m > 0 && out[m - 1].thr == t)
				out[m - 1].m = val;
			else
				out[m++] = (struct gstep){ t, val };
		}
	}
	/* reverse into increasing thresholds */
	for (uint32_t i = 0; i < m / 2; i++) {
		struct gstep x = out[i];
		out[i] = out[m - 1 - i];
		out[m - 1 - i] = x;
	}
	bd->g_off[gi] = (uint32_t)bd->g_used;
	bd->g_n[gi] = m;
	bd->g_used += m;
}

int rbound_build(struct rbound *b, const struct routing_network *net,
                 const struct rbound_query *q)
{
	memset(b, 0, sizeof *b);
	struct build bd = { .net = net, .q = q, .b = b };
	size_t nl = net->n_legs, nn = net->n_nodes, lv = (size_t)q->max_legs;
	b->levels = q->max_legs;
	b->n_legs = nl;
	b->block = malloc(nl * 2 * sizeof(uint32_t) + lv * nl * (sizeof(uint32_t) + sizeof(double)));
	void *tmp = malloc(nn * (1 + sizeof(int64_t)) + 2 * lv * nn * sizeof(uint32_t) +
	                   2 * (net->max_out + 1) * sizeof(uint32_t));
	if (b->block == NULL || tmp == NULL)
		goto fail;
	b->wmax = b->block;
	b->off = (uint32_t *)(b->wmax + lv * nl);
	b->k0 = b->off + lv * nl;
	b->kn = b->k0 + nl;
	bd.ready = tmp;
	bd.g_off = (uint32_t *)(bd.ready + nn);
	bd.g_n = bd.g_off + lv * nn;
	bd.head = bd.g_n + lv * nn;
	bd.runs = bd.head + net->max_out + 1;
	bd.layer = (uint8_t *)(bd.runs + net->max_out + 1);
	memset(bd.layer, 0, nn);
	memset(bd.g_n, 0, lv * nn * sizeof *bd.g_n);
	memset(bd.g_off, 0, lv * nn * sizeof *bd.g_off);
	memset(b->off, 0xff, lv * nl * sizeof *b->off);
	for (size_t i = 0; i < lv * nl; i++)
		b->wmax[i] = 1.0;
	if (q->start == ROUTING_NEVER_T)
		goto done; /* nothing ever departs: no bounds needed */
	forward(&bd);

	/* offsets: legs from nodes at depth max_legs − h get values at level h; legs into the
	 * destination share one set of values across levels */
	size_t total = 0, n_steps = 0;
	for (int h = 1; h <= q->max_legs; h++)
		for (size_t v = 0; v < nn; v++) {
			if (!(bd.layer[v] & (1u << (q->max_legs - h))) || v == q->dest)
				continue;
			const struct rnode *n = &net->nodes[v];
			for (uint32_t a = 0; a < n->out_n; a++) {
				uint32_t li = net->out_legs[n->out_first + a];
				const struct rleg *l = &net->legs[li];
				size_t x = (size_t)(h - 1) * nl + li;
				if (!usable(&bd, li) || bd.ready[v] == INT64_MAX)
					continue; /* the search never takes it */
				if (b->kn[li] == 0 || (l->to != q->dest && h == 1)) {
					b->off[x] = RBOUND_ZERO; /* no departure it can take arrives in time */
					continue;
				}
				if (h < q->max_legs)
					n_steps += b->kn[li];
				if (l->to == q->dest) {
					b->off[x] = 0; /* set below, with the shared values */
				} else {
					b->off[x] = (uint32_t)total;
					total += b->kn[li];
				}
			}
		}
	/* the destination legs' shared values go after the others */
	size_t last_base = total;
	for (size_t li = 0; li < nl; li++)
		if (net->legs[li].to == q->dest)
			total += b->kn[li];
	b->w = malloc((total ? total : 1) * sizeof *b->w);
	bd.g = malloc((n_steps ? n_steps : 1) * sizeof *bd.g);
	if (b->w == NULL || bd.g == NULL) {
		free(bd.g);
		goto fail;
	}
	size_t at = last_base;
	for (size_t li = 0; li < nl; li++) {
		const struct rleg *l = &net->legs[li];
		if (l->to != q->dest || b->kn[li] == 0)
			continue;
		values_last(&bd, (uint32_t)li, b->w + at);
		double mx = 0.0;
		for (uint32_t i = 0; i < b->kn[li]; i++)
			mx = b->w[at + i] > mx ? b->w[at + i] : mx;
		for (int h = 1; h <= q->max_legs; h++) {
			size_t x = (size_t)(h - 1) * nl + li;
			if (b->off[x] != RBOUND_NONE && b->off[x] != RBOUND_ZERO) {
				b->off[x] = (uint32_t)at;
				b->wmax[x] = mx;
			}
		}
		at += b->kn[li];
	}
	for (int h = 1; h <= q->max_legs; h++) {
		uint8_t bit = (uint8_t)(1u << (q->max_legs - h));
		for (size_t v = 0; v < nn; v++) {
			if (!(bd.layer[v] & bit) || v == q->dest)
				continue;
			const struct rnode *n = &net->nodes[v];
			for (uint32_t a = 0; a < n->out_n; a++) {
				uint32_t li = net->out_legs[n->out_first + a];
				size_t x = (size_t)(h - 1) * nl + li;
				if (b->off[x] == RBOUND_ZERO) {
					b->wmax[x] = 0.0;
					continue;
				}
				if (b->off[x] == RBOUND_NONE || net->legs[li].to == q->dest)
					continue;
				double *w = b->w + b->off[x];
				values_via(&bd, li, h, w);
				double mx = 0.0;
				for (uint32_t i = 0; i < b->kn[li]; i++)
					mx = w[i] > mx ? w[i] : mx;
				b->wmax[x] = mx;
			}
			if (h < q->max_legs)
				build_g(&bd, (uint32_t)v, h);
		}
	}
	free(bd.g);
done:
	free(tmp);
	return 0;
fail:
	free(tmp);
	rbound_free(b);
	return -1;
}

double rbound_partial(const struct rbound *b, uint32_t leg, int h, const struct rdep *d)
{
	if (b->off == NULL || h < 1 || h > b->levels)
		return 1.0;
	uint32_t o = b->off[(size_t)(h - 1) * b->n_legs + leg];
	if (o == RBOUND_NONE)
		return 1.0;
	size_t k0 = b->k0[leg], kn = b->kn[leg];
	double p = 0.0;
	for (size_t j = 0; j < d->n; j++) {
		double pj = d->p[j];
		if (!(pj > 0.0))
			continue;
		size_t k = d->k0 + j;
		if (k < k0)
			p += pj; /* cannot happen (k0 is a lower bound); never under-bound */
		else if (k - k0 < kn && o != RBOUND_ZERO)
			p += pj * b->w[o + (k - k0)];
	}
	return p;
}

double rbound_leg_max(const struct rbound *b, uint32_t leg, int h)
{
	if (b->off == NULL || h < 1 || h > b->levels)
		return 1.0;
	return b->wmax[(size_t)(h - 1) * b->n_legs + leg];
}

void rbound_free(struct rbound *b)
{
	free(b->block);
	free(b->w);
	memset(b, 0, sizeof *b);
}
