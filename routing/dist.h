/* dist.h — building duration histograms for the network from what the database stores:
 * observed durations or quantiles (e.g. "p0 20 h, p50 30 h, p95 40 h, p100 60 h"). */
#ifndef ROUTING_DIST_H
#define ROUTING_DIST_H

#include <stddef.h>
#include <stdint.h>

#ifndef ROUTING_MUST_CHECK
#define ROUTING_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* One quantile: P(duration ≤ duration_s) = q. */
struct routing_quantile {
	double q;
	int64_t duration_s;
};

/* Turns quantiles into histogram weights on a grid of resolution_s seconds (bin i holds
 * ((i−1)·res, i·res], see network.h). The distribution function is linear between the given
 * points; the first point must have q == 0 (the minimum) and the last q == 1 (the maximum),
 * q strictly and durations weakly increasing, durations ≥ 0. Writes at most cap weights to
 * out and the count used to *n. Returns 0, or -1 if the points are invalid or cap is too
 * small (the caller's buffer; nothing is allocated). */
int routing_hist_from_quantiles(const struct routing_quantile *pts, size_t n_pts,
                                int32_t resolution_s, double *out, size_t cap, size_t *n)
	ROUTING_MUST_CHECK;

/* Adds one observed duration (e.g. from carrier tracking) to histogram counts: bin
 * ceil(duration_s / resolution_s) gets +1. Returns 0, or -1 if the bin is ≥ cap or the
 * duration is negative. */
int routing_hist_observe(double *counts, size_t cap, int32_t resolution_s, int64_t duration_s)
	ROUTING_MUST_CHECK;

#endif
