/* metrics.h — request counters and latency histograms, route quote counters, in Prometheus
 * text format. Loop thread only. */
#ifndef WMS_API_METRICS_H
#define WMS_API_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct evbuffer;
struct route;
struct db_pool_stats;
struct metrics;

/* Metrics for a route table of nroutes entries (index -1 = unmatched).
 * Returns NULL when out of memory. */
struct metrics *metrics_new(const struct route *routes, size_t nroutes);
void metrics_free(struct metrics *m);

/* Counts one answered request. */
void metrics_observe(struct metrics *m, int route, const char *method, int status,
                     uint64_t micros);

/* Counts one quote the engine answered: computed, or taken from its answer memo. */
void metrics_quote(struct metrics *m, int from_memo);

/* Appends the text exposition (requests, latency, pool gauges) to out. */
void metrics_render(const struct metrics *m, const struct db_pool_stats *pool,
                    long inflight, struct evbuffer *out);

#endif
