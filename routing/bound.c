/* bound.c — per-quote upper bounds on P(on time) for partial itineraries: a forward pass of
 * earliest times, then the adaptive values W_h and G_h backward from the deadline (see
 * bound_int.h for the definitions and why they bound every completion). */
#include "routing/bound_int.h"

#include <stdlib.h>
#include <string.h>

/* One step of G_h(v): arrivals in (previous thr, thr] are worth at most m. Steps are stored
 * by increasing thr with strictly decreasing m; arrivals after the last step are worth 0. */
struct gstep {
	int64_t thr;
	double m;
};

/* Working state of one build, freed at its end. G_h is kept for two levels only: level h
 * reads G_{h−1} (prev) and writes G_h (cur). */
struct build {
	const struct routing_network *net;
	const struct rbound_query *q;
	struct rbound *b;
	uint32_t *adj;             /* the query's adj without refusing legs: what the search takes */
	uint32_t *adj_first, *adj_n; /* per node: its usable out-legs in adj */
	uint8_t *layer;            /* per node: bit d set if some walk of d legs reaches it */
	int64_t *ready;            /* per node: lower bound on when a parcel is ready there */
	struct gstep *gprev, *gcur;
	uint32_t *prev_off, *prev_n, *cur_off, *cur_n; /* per node: its steps in gprev/gcur */
	uint8_t *prev_same, *cur_same; /* per node: G_h(v) is step for step G_{h−1}(v) */
	size_t cur_used;
	struct gstep *sa, *sb;     /* merge scratch: the entries of one node, twice */
	uint32_t *bnd;             /* merge scratch: run boundaries, max_out + 2 */
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

/* When a parcel of the query is ready to leave the origin at the earliest. */
static int64_t origin_ready(const struct routing_network *net, const struct rbound_query *q)
{
	return q->start + (int64_t)net->nodes[q->origin].processing.min_bin * net->res;
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
	uint32_t na = 0;
	for (size_t v = 0; v < net->n_nodes; v++) {
		bd->ready[v] = INT64_MAX;
		bd->adj_first[v] = na;
		for (uint32_t a = 0; a < q->adj_n[v]; a++) {
			uint32_t li = q->adj[q->adj_first[v] + a];
			if (!q->refused[li])
				bd->adj[na++] = li;
		}
		bd->adj_n[v] = na - bd->adj_first[v];
	}
	bd->layer[q->origin] = 1;
	bd->ready[q->origin] = origin_ready(net, q);
	for (int d = 0; d + 1 < q->max_legs; d++)
		for (size_t v = 0; v < net->n_nodes; v++) {
			if (!(bd->layer[v] & (1u << d)) || v == q->dest)
				continue;
			for (uint32_t a = 0; a < bd->adj_n[v]; a++) {
				uint32_t li = bd->adj[bd->adj_first[v] + a];
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
	for (uint32_t a = 0; a < na; a++) { /* k0 and kn are read for usable legs only */
		uint32_t li = bd->adj[a];
		const struct rleg *l = &net->legs[li];
		b->k0[li] = (uint32_t)l->n_dep;
		b->kn[li] = 0;
		if (bd->ready[l->from] == INT64_MAX)
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
 * W_h of leg li into u ≠ destination: E[G_{h−1}(u, dep + transit)] (G_{h−1} is bd->gprev),
 * summing over the steps of G the transit mass that lands in each: arrivals in
 * (thr[j−1], thr[j]] are worth m[j], later ones 0.
 */
static void values_via(struct build *bd, uint32_t li, double *w)
{
	const struct routing_network *net = bd->net;
	const struct rleg *l = &net->legs[li];
	const struct gstep *g = bd->gprev + bd->prev_off[l->to];
	uint32_t gn = bd->prev_n[l->to], j = 0;
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

/* Merges the sorted entry lists a[lo, mid) and a[mid, hi) into t[lo, hi). */
static void merge(const struct gstep *a, struct gstep *t, uint32_t lo, uint32_t mid,
                  uint32_t hi)
{
	uint32_t i = lo, j = mid, o = lo;
	while (i < mid && j < hi)
		t[o++] = a[j].thr < a[i].thr ? a[j++] : a[i++];
	while (i < mid)
		t[o++] = a[i++];
	while (j < hi)
		t[o++] = a[j++];
}

/*
 * Builds G_h(v) from the values of v's out-legs at level h: the departure k of leg m is
 * caught by arrivals a with a + connection ≤ dep_k − cutoff, so G_h(v, a) = the largest
 * value among the entries with threshold ≥ a. The legs' lists (each sorted by threshold)
 * are merged pairwise into one, which is walked from the latest threshold down, keeping a
 * step where the running maximum grows.
 */
static void build_g(struct build *bd, uint32_t v, int h)
{
	const struct routing_network *net = bd->net;
	struct rbound *b = bd->b;
	const struct rnode *n = &net->nodes[v];
	int64_t conn = n->min_connection_s;
	struct gstep *a = bd->sa, *t = bd->sb;
	uint32_t *bound = bd->bnd, nr = 0, ne = 0;
	for (uint32_t x = 0; x < bd->adj_n[v]; x++) {
		uint32_t li = bd->adj[bd->adj_first[v] + x];
		size_t at = (size_t)(h - 1) * b->n_legs + li;
		uint32_t o = b->off[at];
		if (o == RBOUND_NONE || o == RBOUND_ZERO || !(b->w[o - 1] > 0.0))
			continue;
		const struct rleg *l = &net->legs[li];
		const int64_t *dep = l->dep + b->k0[li];
		const double *w = b->w + o;
		bound[nr] = ne;
		/* an entry worth no more than the next one of the same leg adds nothing (the next
		 * one's threshold is later), nor does a zero */
		for (uint32_t i = 0; i < b->kn[li]; i++)
			if (w[i] > 0.0 && (i + 1 == b->kn[li] || w[i] > w[i + 1]))
				a[ne++] = (struct gstep){ dep[i] - l->cutoff_s - conn, w[i] };
		if (ne > bound[nr])
			nr++;
	}
	bound[nr] = ne;
	while (nr > 1) {
		uint32_t m = 0;
		for (uint32_t r = 0; r < nr; r += 2) {
			uint32_t lo = bound[r], mid = bound[r + 1];
			uint32_t hi = r + 2 <= nr ? bound[r + 2] : mid;
			merge(a, t, lo, mid, hi);
			bound[m++] = lo; /* m ≤ r: overwrites only what was read */
		}
		bound[m] = ne;
		nr = m;
		struct gstep *x = a;
		a = t;
		t = x;
	}
	struct gstep *out = bd->gcur + bd->cur_used;
	uint32_t m = 0;
	double best = 0.0;
	for (uint32_t i = ne; i-- > 0;) {
		if (!(a[i].m > best))
			continue;
		best = a[i].m;
		if (m > 0 && out[m - 1].thr == a[i].thr)
			out[m - 1].m = best;
		else
			out[m++] = a[i];
	}
	/* reverse into increasing thresholds */
	for (uint32_t i = 0; i < m / 2; i++) {
		struct gstep x = out[i];
		out[i] = out[m - 1 - i];
		out[m - 1 - i] = x;
	}
	bd->cur_off[v] = (uint32_t)bd->cur_used;
	bd->cur_n[v] = m;
	bd->cur_used += m;
	bd->cur_same[v] = h > 1 && bd->prev_n[v] == m &&
	                  memcmp(out, bd->gprev + bd->prev_off[v], m * sizeof *out) == 0;
}

/* G_h(v) = G_{h−1}(v): every value it is built from is the same (see rbound_build). */
static void copy_g(struct build *bd, uint32_t v)
{
	uint32_t m = bd->prev_n[v];
	memcpy(bd->gcur + bd->cur_used, bd->gprev + bd->prev_off[v], m * sizeof *bd->gcur);
	bd->cur_off[v] = (uint32_t)bd->cur_used;
	bd->cur_n[v] = m;
	bd->cur_used += m;
	bd->cur_same[v] = 1;
}

/* The largest of n values (0 if none): the run's maximum, stored in front of it. */
static double run_max(const double *w, uint32_t n)
{
	double mx = 0.0;
	for (uint32_t i = 0; i < n; i++)
		mx = w[i] > mx ? w[i] : mx;
	return mx;
}

/* Fills b->sm: per run, the maximum of the values from each position to the run's end (as
 * run_max() takes it: the same value, since a maximum is exact). Runs shared by levels are
 * filled once per level; the result is the same. */
static void suffix_max(struct rbound *b)
{
	for (size_t x = 0; x < (size_t)b->levels * b->n_legs; x++) {
		uint32_t o = b->off[x];
		if (o == RBOUND_NONE || o == RBOUND_ZERO)
			continue;
		uint32_t n = b->kn[x % b->n_legs];
		double mx = 0.0;
		for (uint32_t i = n; i-- > 0;) {
			mx = b->w[o + i] > mx ? b->w[o + i] : mx;
			b->sm[o + i] = mx;
		}
	}
}

size_t rbound_work_size(const struct routing_network *net)
{
	size_t nn = net->n_nodes, nl = net->n_legs;
	return nn * sizeof(int64_t) + (2 * nn + 2 * nl) * sizeof(uint32_t) + nn + 8;
}

size_t rbound_origin_departures(const struct routing_network *net, const struct rbound_query *q,
                                uint32_t *ks)
{
	int64_t ready = origin_ready(net, q);
	size_t n = 0;
	for (uint32_t a = 0; a < q->adj_n[q->origin]; a++) {
		uint32_t li = q->adj[q->adj_first[q->origin] + a];
		if (q->refused[li])
			continue;
		const struct rleg *l = &net->legs[li];
		ks[n++] = (uint32_t)rlower_bound(l->dep, 0, l->n_dep, ready + l->cutoff_s);
	}
	return n;
}

void rbound_first_departures(const struct routing_network *net, const struct rbound_query *q,
                             uint32_t *k0, void *work)
{
	size_t nn = net->n_nodes, nl = net->n_legs;
	struct rbound b = { .levels = q->max_legs, .n_legs = nl, .k0 = k0 };
	struct build bd = { .net = net, .q = q, .b = &b };
	bd.ready = work;
	bd.adj_first = (uint32_t *)(bd.ready + nn);
	bd.adj_n = bd.adj_first + nn;
	bd.adj = bd.adj_n + nn;
	b.kn = bd.adj + nl;
	bd.layer = (uint8_t *)(b.kn + nl);
	memset(bd.layer, 0, nn);
	forward(&bd);
}

/*
 * Layout: b->block holds k0, kn (per leg) and off (per level and leg); b->w holds, for each
 * (level, leg) with values, its run's maximum followed by the run (off points at the run),
 * one run per leg into the destination shared by every level. The build's own arrays (the
 * forward pass, two levels of G, merge scratch) are freed before returning.
 */
int rbound_build(struct rbound *b, const struct routing_network *net,
                 const struct rbound_query *q)
{
	memset(b, 0, sizeof *b);
	struct build bd = { .net = net, .q = q, .b = b };
	size_t nl = net->n_legs, nn = net->n_nodes, lv = (size_t)q->max_legs;
	struct gstep *gmem = NULL;
	b->levels = q->max_legs;
	b->n_legs = nl;
	b->block = malloc((2 + lv) * nl * sizeof(uint32_t));
	void *tmp = malloc(nn * (3 + sizeof(int64_t) + 6 * sizeof(uint32_t)) +
	                   (net->max_out + 2 + nl) * sizeof(uint32_t));
	if (b->block == NULL || tmp == NULL)
		goto fail;
	b->off = b->block;
	b->k0 = b->off + lv * nl;
	b->kn = b->k0 + nl;
	bd.ready = tmp;
	bd.prev_off = (uint32_t *)(bd.ready + nn);
	bd.prev_n = bd.prev_off + nn;
	bd.cur_off = bd.prev_n + nn;
	bd.cur_n = bd.cur_off + nn;
	bd.bnd = bd.cur_n + nn;
	bd.adj_first = bd.bnd + net->max_out + 2;
	bd.adj_n = bd.adj_first + nn;
	bd.adj = bd.adj_n + nn;
	bd.layer = (uint8_t *)(bd.adj + nl);
	bd.prev_same = bd.layer + nn;
	bd.cur_same = bd.prev_same + nn;
	memset(bd.layer, 0, nn);
	memset(bd.prev_same, 0, nn);
	memset(b->off, 0xff, lv * nl * sizeof *b->off);
	if (q->start == ROUTING_NEVER_T)
		goto done; /* nothing ever departs: every bound stays 1 */
	forward(&bd);

	/* offsets: legs from nodes at depth max_legs − h get values at level h; legs into the
	 * destination get theirs after the loop, shared across levels */
	size_t total = 1, level_max = 0, node_max = 0;
	for (int h = 1; h <= q->max_legs; h++) {
		size_t level_n = 0;
		for (size_t v = 0; v < nn; v++) {
			if (!(bd.layer[v] & (1u << (q->max_legs - h))) || v == q->dest)
				continue;
			size_t node_n = 0;
			for (uint32_t a = 0; a < bd.adj_n[v] && bd.ready[v] != INT64_MAX; a++) {
				uint32_t li = bd.adj[bd.adj_first[v] + a];
				const struct rleg *l = &net->legs[li];
				size_t x = (size_t)(h - 1) * nl + li;
				if (b->kn[li] == 0 || (l->to != q->dest && h == 1)) {
					b->off[x] = RBOUND_ZERO; /* no departure it can take arrives in time */
					continue;
				}
				node_n += b->kn[li];
				if (l->to == q->dest) {
					b->off[x] = 0; /* set below */
				} else {
					b->off[x] = (uint32_t)(total + 1); /* the maximum at total */
					total += b->kn[li] + 1;
				}
			}
			level_n += node_n;
			node_max = node_n > node_max ? node_n : node_max;
		}
		if (h < q->max_legs)
			level_max = level_n > level_max ? level_n : level_max;
	}
	size_t at = total; /* the destination legs' runs go after the others */
	size_t n_adj = bd.adj_first[nn - 1] + bd.adj_n[nn - 1];
	for (size_t a = 0; a < n_adj; a++)
		if (net->legs[bd.adj[a]].to == q->dest)
			total += b->kn[bd.adj[a]] + 1;
	b->w = malloc(2 * total * sizeof *b->w);
	gmem = malloc((2 * level_max + 2 * node_max + 1) * sizeof *gmem);
	if (b->w == NULL || gmem == NULL)
		goto fail;
	b->sm = b->w + total;
	b->bytes = (2 + lv) * nl * sizeof(uint32_t) + 2 * total * sizeof *b->w;
	bd.gprev = gmem;
	bd.gcur = bd.gprev + level_max;
	bd.sa = bd.gcur + level_max;
	bd.sb = bd.sa + node_max;
	b->w[0] = 0.0;
	for (size_t a = 0; a < n_adj; a++) {
		uint32_t li = bd.adj[a];
		const struct rleg *l = &net->legs[li];
		if (l->to == q->dest && b->kn[li] > 0) {
			bool used = false;
			for (int h = 1; h <= q->max_legs; h++) {
				uint32_t *o = &b->off[(size_t)(h - 1) * nl + li];
				if (*o != RBOUND_NONE && *o != RBOUND_ZERO) {
					*o = (uint32_t)(at + 1);
					used = true;
				}
			}
			if (!used)
				continue;
			values_last(&bd, li, b->w + at + 1);
			b->w[at] = run_max(b->w + at + 1, b->kn[li]);
			at += b->kn[li] + 1;
		}
	}
	/*
	 * Level by level. Where G_{h−1}(u) is step for step G_{h−2}(u) (one more leg into u
	 * never helps), the values of a leg into u at level h are those at level h − 1, computed
	 * from the same steps: copied, bit for bit. Where all of v's out-legs' values were
	 * copied (or are the destination legs' shared ones), G_h(v) is G_{h−1}(v), copied too.
	 */
	for (int h = 1; h <= q->max_legs; h++) {
		uint8_t bit = (uint8_t)(1u << (q->max_legs - h));
		memset(bd.cur_n, 0, nn * sizeof *bd.cur_n);
		memset(bd.cur_same, 0, nn);
		bd.cur_used = 0;
		for (size_t v = 0; v < nn; v++) {
			if (!(bd.layer[v] & bit) || v == q->dest)
				continue;
			bool all_copied = h >= 3 && (bd.layer[v] & (bit << 1)) && bd.ready[v] != INT64_MAX;
			for (uint32_t a = 0; a < bd.adj_n[v]; a++) {
				uint32_t li = bd.adj[bd.adj_first[v] + a];
				uint32_t o = b->off[(size_t)(h - 1) * nl + li];
				if (o == RBOUND_NONE || o == RBOUND_ZERO || net->legs[li].to == q->dest)
					continue;
				uint32_t po = h >= 3 ? b->off[(size_t)(h - 2) * nl + li] : RBOUND_NONE;
				if (po != RBOUND_NONE && po != RBOUND_ZERO && bd.prev_same[net->legs[li].to]) {
					memcpy(b->w + o - 1, b->w + po - 1, (b->kn[li] + 1) * sizeof *b->w);
					continue;
				}
				all_copied = false;
				values_via(&bd, li, b->w + o);
				b->w[o - 1] = run_max(b->w + o, b->kn[li]);
			}
			if (h < q->max_legs) {
				if (all_copied)
					copy_g(&bd, (uint32_t)v);
				else
					build_g(&bd, (uint32_t)v, h);
			}
		}
		struct gstep *g = bd.gprev; /* this level's G is the next one's prev */
		bd.gprev = bd.gcur;
		bd.gcur = g;
		uint32_t *x = bd.prev_off;
		bd.prev_off = bd.cur_off;
		bd.cur_off = x;
		x = bd.prev_n;
		bd.prev_n = bd.cur_n;
		bd.cur_n = x;
		uint8_t *y = bd.prev_same;
		bd.prev_same = bd.cur_same;
		bd.cur_same = y;
	}
	suffix_max(b);
done:
	free(gmem);
	free(tmp);
	return 0;
fail:
	free(gmem);
	free(tmp);
	rbound_free(b);
	return -1;
}

/*
 * Values are read relative to the table's own first departure b->k0 (the table may have
 * been built for an earlier start); departures before the quote's k0 count as 1, those
 * after the table's run as 0.
 */
double rbound_partial(const struct rbound *b, const uint32_t *k0, uint32_t leg, int h,
                      const struct rdep *d)
{
	if (b->off == NULL || h < 1 || h > b->levels)
		return 1.0;
	uint32_t o = b->off[(size_t)(h - 1) * b->n_legs + leg];
	if (o == RBOUND_NONE)
		return 1.0;
	size_t ka = k0[leg], kt = b->k0[leg], kn = b->kn[leg];
	double p = 0.0;
	for (size_t j = 0; j < d->n; j++) {
		double pj = d->p[j];
		if (!(pj > 0.0))
			continue;
		size_t k = d->k0 + j;
		if (k < ka)
			p += pj; /* cannot happen (k0 is a lower bound); never under-bound */
		else if (k - kt < kn && o != RBOUND_ZERO)
			p += pj * b->w[o + (k - kt)];
	}
	return p;
}

double rbound_leg_max(const struct rbound *b, const uint32_t *k0, uint32_t leg, int h)
{
	if (b->off == NULL || h < 1 || h > b->levels)
		return 1.0;
	uint32_t o = b->off[(size_t)(h - 1) * b->n_legs + leg];
	if (o == RBOUND_NONE)
		return 1.0;
	if (o == RBOUND_ZERO)
		return 0.0;
	size_t i = k0[leg] - b->k0[leg];
	return i < b->kn[leg] ? b->sm[o + i] : 0.0;
}

void rbound_free(struct rbound *b)
{
	free(b->block);
	free(b->w);
	memset(b, 0, sizeof *b);
}
