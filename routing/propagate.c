/* propagate.c — the arrival-time distribution pushed through a schedule: mass ready before
 * the cut-off of departure k takes departure k, the rest waits; then the leg's transit
 * distribution is convolved in. Exact for the discrete model of network.h. */
#include "routing/propagate_int.h"

#include <string.h>

int64_t rprop_start(const struct rnode *origin, int64_t ready_at)
{
	if (origin->n_order_windows == 0)
		return ready_at;
	size_t lo = 0, hi = origin->n_order_windows;
	while (lo < hi) { /* first batch with cutoff >= ready_at */
		size_t mid = lo + (hi - lo) / 2;
		if (origin->order_windows[mid].cutoff < ready_at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == origin->n_order_windows)
		return ROUTING_NEVER_T;
	int64_t open = origin->order_windows[lo].open;
	return ready_at > open ? ready_at : open;
}

/*
 * The core step. Source atoms: the parcel is at time src_t[j] with probability src_p[j]
 * (src_t increasing), then spends a duration drawn from d, then `offset` seconds more, and
 * is ready for `leg`. For each atom, walk the departures the atom's mass can reach: the
 * departure k takes the durations i with src + i·res + offset ≤ dep[k] − cutoff, that is
 * a contiguous run of bins, whose mass is a difference of the cdf. Cost: O(atoms × departures
 * reached), independent of the number of bins. lost_in is carried over into out->lost.
 */
static void spread(const struct routing_network *net, const int64_t *src_t, const double *src_p,
                   size_t n_src, const struct rdist *d, int64_t offset, const struct rleg *leg,
                   double lost_in, struct rdep *out)
{
	const int64_t res = net->res;
	const int64_t *dep = leg->dep;
	const size_t n_dep = leg->n_dep;
	out->lost = lost_in;
	out->k0 = 0;
	out->n = 0;
	size_t first = n_src, last = 0;
	for (size_t j = 0; j < n_src; j++)
		if (src_p[j] > 0.0) {
			if (first == n_src)
				first = j;
			last = j;
		}
	if (first == n_src)
		return;
	size_t kmin = rlower_bound(dep, 0, n_dep,
	                           src_t[first] + offset + (int64_t)d->min_bin * res + leg->cutoff_s);
	size_t kmax = rlower_bound(dep, kmin, n_dep,
	                           src_t[last] + offset + (int64_t)(d->n - 1) * res + leg->cutoff_s);
	if (kmax >= n_dep)
		kmax = n_dep - 1;
	if (kmin < n_dep && kmin <= kmax) {
		out->k0 = kmin;
		out->n = kmax - kmin + 1;
		memset(out->p, 0, out->n * sizeof *out->p);
	}
	for (size_t j = first; j <= last; j++) {
		double pj = src_p[j];
		if (!(pj > 0.0))
			continue;
		int64_t b = src_t[j] + offset;
		size_t k = rlower_bound(dep, kmin, n_dep, b + (int64_t)d->min_bin * res + leg->cutoff_s);
		double prev = 0.0;
		while (k < n_dep) {
			int64_t imax = rfloor_div(dep[k] - leg->cutoff_s - b, res);
			if (imax >= (int64_t)d->n - 1) {
				out->p[k - kmin] += pj * (1.0 - prev);
				prev = 1.0;
				break;
			}
			double c = d->cdf[imax];
			out->p[k - kmin] += pj * (c - prev);
			prev = c;
			k = rlower_bound(dep, k + 1, n_dep, b + (imax + 1) * res + leg->cutoff_s);
		}
		if (prev < 1.0)
			out->lost += pj * (1.0 - prev);
	}
}

void rprop_first(const struct routing_network *net, const struct rnode *origin, int64_t start,
                 const struct rleg *leg, struct rdep *out)
{
	double one = 1.0;
	if (start == ROUTING_NEVER_T) {
		out->k0 = out->n = 0;
		out->lost = 1.0;
		return;
	}
	spread(net, &start, &one, 1, &origin->processing, 0, leg, 0.0, out);
}

void rprop_next(const struct routing_network *net, const struct rleg *prev,
                const struct rdep *in, const struct rleg *leg, struct rdep *out)
{
	const struct rnode *via = &net->nodes[prev->to];
	spread(net, prev->dep + in->k0, in->p, in->n, &prev->transit, via->min_connection_s, leg,
	       in->lost, out);
}

double rprop_p_arrival_by(const struct routing_network *net, const struct rleg *leg,
                          const struct rdep *in, int64_t t)
{
	const int64_t res = net->res;
	const struct rdist *d = &leg->transit;
	double p = 0.0;
	for (size_t j = 0; j < in->n; j++) {
		double pj = in->p[j];
		if (!(pj > 0.0))
			continue;
		int64_t dep = leg->dep[in->k0 + j];
		if (t < dep)
			break; /* departures increase: no later one arrives by t either */
		int64_t i = rfloor_div(t - dep, res);
		p += pj * (i >= (int64_t)d->n - 1 ? 1.0 : d->cdf[i]);
	}
	return p;
}

int64_t rprop_deliver_at(const struct rleg *leg, int64_t t)
{
	if (leg->n_windows == 0)
		return t;
	size_t lo = 0, hi = leg->n_windows;
	while (lo < hi) { /* first window ending after t */
		size_t mid = lo + (hi - lo) / 2;
		if (leg->windows[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == leg->n_windows)
		return ROUTING_NEVER_T;
	return t < leg->windows[lo].start ? leg->windows[lo].start : t;
}

/* Rounding can leave a sum of probabilities a hair above 1; a probability is never above 1. */
static double clamp01(double p)
{
	return p > 1.0 ? 1.0 : p;
}

/*
 * Delivery moves arrivals forward to the next window start, a monotone map, so "delivered
 * ≤ t" is "arrived ≤ T" for one T: t itself when it lies in a window, the end of the last
 * window before it when it lies between windows; none (INT64_MIN) before the first window.
 */
int64_t rprop_latest_arrival(const struct rleg *leg, int64_t t)
{
	if (leg->n_windows == 0)
		return t;
	const struct routing_window *w = leg->windows;
	size_t nw = leg->n_windows, lo = 0, hi = nw;
	while (lo < hi) { /* first window with end > t */
		size_t mid = lo + (hi - lo) / 2;
		if (w[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nw && w[lo].start <= t)
		return t;
	if (lo > 0)
		return w[lo - 1].end - 1;
	return INT64_MIN;
}

void rprop_delivery(const struct routing_network *net, const struct rleg *leg,
                    const struct rdep *in, int64_t deadline, double *p_on_time,
                    double *p_beyond)
{
	*p_beyond = in->lost;
	if (leg->n_windows > 0) {
		double mass = 0.0;
		for (size_t j = 0; j < in->n; j++)
			mass += in->p[j];
		double reach = rprop_p_arrival_by(net, leg, in, leg->windows[leg->n_windows - 1].end - 1);
		*p_beyond += mass - reach;
	}
	int64_t t = rprop_latest_arrival(leg, deadline);
	*p_on_time = t == INT64_MIN ? 0.0 : clamp01(rprop_p_arrival_by(net, leg, in, t));
}
