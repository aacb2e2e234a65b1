/* metrics.c — wms_http_requests_total{route,method,status},
 * wms_http_request_duration_seconds{route} histogram, wms_route_quotes_total{source}, and
 * pool gauges. */
#include "api/http/metrics.h"

#include <event2/buffer.h>
#include <stdlib.h>
#include <string.h>

#include "api/db/db.h"
#include "api/http/router.h"

static const double bucket_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5, 5.0};
#define NBUCKETS (sizeof bucket_le / sizeof bucket_le[0])

struct histogram {
	uint64_t buckets[NBUCKETS]; /* non-cumulative; cumulated when rendered */
	uint64_t count;
	uint64_t sum_micros;
};

struct counter {
	char method[8];
	int status;
	uint64_t n;
};

/* One route's counters: a handful of (method, status) pairs. */
struct route_metrics {
	struct histogram hist;
	struct counter *counters;
	size_t ncounters, capcounters;
};

struct metrics {
	const struct route *routes;
	size_t nroutes;
	struct route_metrics *per_route; /* nroutes + 1, index 0 = unmatched */
	uint64_t quotes[2];              /* computed, from the answer memo */
};

struct metrics *metrics_new(const struct route *routes, size_t nroutes)
{
	struct metrics *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->routes = routes;
	m->nroutes = nroutes;
	m->per_route = calloc(nroutes + 1, sizeof *m->per_route);
	if (!m->per_route) {
		free(m);
		return NULL;
	}
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; m->per_route && i <= m->nroutes; i++)
		free(m->per_route[i].counters);
	free(m->per_route);
	free(m);
}

void metrics_observe(struct metrics *m, int route, const char *method, int status,
                     uint64_t micros)
{
	struct route_metrics *rm = &m->per_route[route + 1];
	struct histogram *h = &rm->hist;
	size_t b = 0;
	while (b < NBUCKETS && (double)micros / 1e6 > bucket_le[b])
		b++;
	if (b < NBUCKETS)
		h->buckets[b]++;
	h->count++;
	h->sum_micros += micros;

	for (size_t i = 0; i < rm->ncounters; i++) {
		struct counter *c = &rm->counters[i];
		if (c->status == status && strcmp(c->method, method) == 0) {
			c->n++;
			return;
		}
	}
	if (rm->ncounters == rm->capcounters) {
		size_t cap = rm->capcounters ? rm->capcounters * 2 : 4;
		struct counter *nc = realloc(rm->counters, cap * sizeof *nc);
		if (!nc)
			return; /* a lost count, never a crash */
		rm->counters = nc;
		rm->capcounters = cap;
	}
	struct counter *c = &rm->counters[rm->ncounters++];
	c->status = status;
	snprintf(c->method, sizeof c->method, "%s", method);
	c->n = 1;
}

void metrics_quote(struct metrics *m, int from_memo)
{
	m->quotes[from_memo != 0]++;
}

static const char *route_label(const struct metrics *m, int route)
{
	return route >= 0 && (size_t)route < m->nroutes ? m->routes[route].pattern : "unmatched";
}

void metrics_render(const struct metrics *m, const struct db_pool_stats *pool, long inflight,
                    struct evbuffer *out)
{
	evbuffer_add_printf(out, "# HELP wms_http_requests_total HTTP requests answered.\n"
	                         "# TYPE wms_http_requests_total counter\n");
	for (size_t r = 0; r <= m->nroutes; r++) {
		for (size_t i = 0; i < m->per_route[r].ncounters; i++) {
			const struct counter *c = &m->per_route[r].counters[i];
			evbuffer_add_printf(
				out, "wms_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
				route_label(m, (int)r - 1), c->method, c->status, (unsigned long long)c->n);
		}
	}
	evbuffer_add_printf(out, "# HELP wms_http_request_duration_seconds Time from request to "
	                         "reply.\n# TYPE wms_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= m->nroutes; r++) {
		const struct histogram *h = &m->per_route[r].hist;
		if (!h->count)
			continue;
		const char *label = route_label(m, (int)r - 1);
		uint64_t cum = 0;
		for (size_t b = 0; b < NBUCKETS; b++) {
			cum += h->buckets[b];
			evbuffer_add_printf(out,
			                    "wms_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
			                    label, bucket_le[b], (unsigned long long)cum);
		}
		evbuffer_add_printf(out,
		                    "wms_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
		                    "wms_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
		                    "wms_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
		                    label, (unsigned long long)h->count, label, (double)h->sum_micros / 1e6,
		                    label, (unsigned long long)h->count);
	}
	evbuffer_add_printf(out,
	                    "# HELP wms_route_quotes_total Route quotes the engine answered, by where "
	                    "the answer came from.\n# TYPE wms_route_quotes_total counter\n"
	                    "wms_route_quotes_total{source=\"computed\"} %llu\n"
	                    "wms_route_quotes_total{source=\"memo\"} %llu\n",
	                    (unsigned long long)m->quotes[0], (unsigned long long)m->quotes[1]);
	evbuffer_add_printf(out,
	                    "# HELP wms_db_pool_size Configured database connections.\n"
	                    "# TYPE wms_db_pool_size gauge\nwms_db_pool_size %d\n"
	                    "# HELP wms_db_pool_connected Database connections up.\n"
	                    "# TYPE wms_db_pool_connected gauge\nwms_db_pool_connected %d\n"
	                    "# HELP wms_db_pool_busy Database connections running a query.\n"
	                    "# TYPE wms_db_pool_busy gauge\nwms_db_pool_busy %d\n"
	                    "# HELP wms_db_pool_waiting Queries waiting for a connection.\n"
	                    "# TYPE wms_db_pool_waiting gauge\nwms_db_pool_waiting %d\n"
	                    "# HELP wms_http_inflight Requests being handled.\n"
	                    "# TYPE wms_http_inflight gauge\nwms_http_inflight %ld\n",
	                    pool->size, pool->connected, pool->busy, pool->waiting, inflight);
}
