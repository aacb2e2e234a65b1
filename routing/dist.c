/* dist.c — discrete duration distributions: normalising histograms into the engine's
 * pmf/cdf form, and building histograms from quantiles or observations. */
#include "routing/dist.h"
#include "routing/network_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Normalises histogram h into d: weights must be finite and ≥ 0 with a positive sum; trailing
 * zero bins are dropped. An empty histogram (n == 0) becomes "always zero". On failure writes
 * the reason to why and returns -1 with d untouched; on success d owns two arrays, freed by
 * rdist_free().
 */
int rdist_from_hist(struct rdist *d, const struct routing_hist *h, char *why, size_t whylen)
{
	static const double zero = 1.0;
	const double *p = h->p;
	size_t n = h->n;
	if (n == 0) {
		p = &zero;
		n = 1;
	} else if (p == NULL) {
		snprintf(why, whylen, "histogram has %zu bins but no weights", n);
		return -1;
	}
	double sum = 0.0;
	size_t last = 0, first = n;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(p[i]) || p[i] < 0.0) {
			snprintf(why, whylen, "histogram weight %zu is negative or not finite", i);
			return -1;
		}
		if (p[i] > 0.0) {
			last = i;
			if (first == n)
				first = i;
		}
		sum += p[i];
	}
	if (!(sum > 0.0) || !isfinite(sum)) {
		snprintf(why, whylen, "histogram weights do not have a positive finite sum");
		return -1;
	}
	n = last + 1;
	double *pmf = malloc(n * sizeof *pmf);
	double *cdf = malloc(n * sizeof *cdf);
	if (pmf == NULL || cdf == NULL) {
		free(pmf);
		free(cdf);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	double acc = 0.0;
	for (size_t i = 0; i < n; i++) {
		acc += p[i];
		pmf[i] = p[i] / sum;
		cdf[i] = acc / sum;
	}
	cdf[n - 1] = 1.0;
	d->pmf = pmf;
	d->cdf = cdf;
	d->n = n;
	d->min_bin = first;
	return 0;
}

/* Frees the arrays of d (not d itself). */
void rdist_free(struct rdist *d)
{
	free(d->pmf);
	free(d->cdf);
	d->pmf = d->cdf = NULL;
	d->n = 0;
}

/* The piecewise-linear distribution function through pts, at duration t (seconds). */
static double quantile_cdf(const struct routing_quantile *pts, size_t n_pts, double t)
{
	if (t < (double)pts[0].duration_s)
		return 0.0;
	for (size_t j = 1; j < n_pts; j++) {
		double t1 = (double)pts[j].duration_s;
		if (t < t1) {
			double t0 = (double)pts[j - 1].duration_s;
			double q0 = pts[j - 1].q, q1 = pts[j].q;
			return q0 + (q1 - q0) * (t - t0) / (t1 - t0);
		}
	}
	return 1.0;
}

int routing_hist_from_quantiles(const struct routing_quantile *pts, size_t n_pts,
                                int32_t resolution_s, double *out, size_t cap, size_t *n)
{
	if (pts == NULL || n_pts < 2 || resolution_s <= 0 || pts[0].q != 0.0 ||
	    pts[n_pts - 1].q != 1.0 || pts[0].duration_s < 0)
		return -1;
	for (size_t j = 1; j < n_pts; j++)
		if (!(pts[j].q > pts[j - 1].q) || pts[j].duration_s < pts[j - 1].duration_s)
			return -1;
	int64_t max_s = pts[n_pts - 1].duration_s;
	size_t bins = (size_t)((max_s + resolution_s - 1) / resolution_s) + 1;
	if (bins > cap)
		return -1;
	/* bin i holds ((i−1)·res, i·res]; bin 0 holds the mass at exactly 0 */
	double prev = quantile_cdf(pts, n_pts, 0.0);
	out[0] = prev;
	for (size_t i = 1; i < bins; i++) {
		double c = quantile_cdf(pts, n_pts, (double)i * resolution_s);
		/* the atom at a vertical jump (equal durations) belongs to its upper bin edge */
		out[i] = c - prev;
		if (out[i] < 0.0)
			out[i] = 0.0;
		prev = c;
	}
	*n = bins;
	return 0;
}

int routing_hist_observe(double *counts, size_t cap, int32_t resolution_s, int64_t duration_s)
{
	if (duration_s < 0 || resolution_s <= 0)
		return -1;
	int64_t bin = (duration_s + resolution_s - 1) / resolution_s;
	if ((uint64_t)bin >= cap)
		return -1;
	counts[bin] += 1.0;
	return 0;
}
