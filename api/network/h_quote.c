/* h_quote.c — POST /v1/routes/quote: route and carrier selection for one parcel on the
 * in-memory lane network (network_load.h). No database access: the loop validates the
 * request and fixes its promise deadline; a worker thread (workers.h) runs the engine on the
 * snapshot current at that moment (holding it, so a reload cannot free it) and renders the
 * answer; the loop sends it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/http/config.h"
#include "api/http/fields.h"
#include "api/http/instant.h"
#include "api/http/metrics.h"
#include "api/network/network_doc.h"
#include "api/network/network_load.h"
#include "api/http/problem.h"
#include "api/network/quote_json.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/http/workers.h"
#include "routing/cache.h"
#include "routing/quote.h"

/* The request body, validated into req (strings borrowed from the body). Returns 0, or -1
 * with the errors in v. */
static int read_request(struct jsonv *v, const cJSON *b, struct routing_request *req)
{
	static const char *const allowed[] = {"origin", "ready_at", "destination", "parcel",
	                                      "all_options", NULL};
	static const char *const dest_allowed[] = {"country", "postal_code", NULL};
	static const char *const parcel_allowed[] = {"weight_g", "length_mm", "width_mm", "height_mm",
	                                             "declared_value", NULL};
	static const char *const value_allowed[] = {"amount", "currency", NULL};
	long long n;
	bool all = false;
	struct jsonv sub = JSONV_INIT;
	jsonv_no_unknown(v, b, "", allowed);
	req->origin = fields_code(v, b, "origin", true);
	int64_t ready_us;
	req->ready_at = (int64_t)time(NULL);
	if (fields_instant(v, b, "ready_at", false, &ready_us))
		req->ready_at = ready_us / INSTANT_US; /* fractions dropped */
	if (jsonv_bool(v, b, "all_options", false, &all) == 1)
		req->all_options = all;

	const cJSON *dest = cJSON_GetObjectItemCaseSensitive(b, "destination");
	if (!cJSON_IsObject(dest)) {
		jsonv_error(v, "destination", dest ? "type" : "required",
		            "destination must be an object {country, postal_code}");
	} else {
		jsonv_no_unknown(&sub, dest, "", dest_allowed);
		req->country = fields_country(&sub, dest, "country", true);
		req->postal_code = jsonv_string(&sub, dest, "postal_code", false, 0, 16);
		jsonv_merge(v, &sub, "destination.");
	}

	const cJSON *p = cJSON_GetObjectItemCaseSensitive(b, "parcel");
	if (!cJSON_IsObject(p)) {
		jsonv_error(v, "parcel", p ? "type" : "required",
		            "parcel must be an object {weight_g, length_mm, width_mm, height_mm}");
	} else {
		static const char *const dims[] = {"length_mm", "width_mm", "height_mm"};
		jsonv_no_unknown(&sub, p, "", parcel_allowed);
		if (jsonv_int(&sub, p, "weight_g", true, 1, 1000000, &n) == 1)
			req->parcel.weight_g = (int32_t)n;
		for (int i = 0; i < 3; i++)
			if (jsonv_int(&sub, p, dims[i], true, 1, 10000, &n) == 1)
				req->parcel.dims_mm[i] = (int32_t)n;
		const cJSON *dv = cJSON_GetObjectItemCaseSensitive(p, "declared_value");
		if (dv && !cJSON_IsObject(dv)) {
			jsonv_error(&sub, "declared_value", "type", "declared_value must be {amount, currency}");
		} else if (dv) {
			struct jsonv val = JSONV_INIT;
			jsonv_no_unknown(&val, dv, "", value_allowed);
			if (jsonv_int(&val, dv, "amount", true, 0, 100000000000LL, &n) == 1)
				req->parcel.declared_value_minor = n;
			(void)fields_currency(&val, dv, "currency", true);
			jsonv_merge(&sub, &val, "declared_value.");
		}
		jsonv_merge(v, &sub, "parcel.");
	}
	return v->count ? -1 : 0;
}

/* One quote on its way through a worker thread: a copy of the request (its strings in the
 * task), the snapshot it holds, and the answer rendered there. */
struct quote_task {
	struct workers_task t; /* first: the worker hands this back */
	struct api_req *r;
	struct network_snapshot *snap;
	const struct network_promise *pr; /* in snap, or NULL */
	struct routing_request req;
	char origin[65], country[3], postal_code[17];
	bool answer_memo;      /* WMS_QUOTE_MEMO */
	bool from_memo;        /* the engine's answer memo answered (for /metrics) */
	int status;            /* 200, or 422 for a quote the engine could not make */
	char *body;            /* the rendered answer (malloc'd; the reply takes it), NULL when
	                        * out of memory */
	size_t len;
};

/* On a worker thread: the engine, with this thread's cache, then the rendering. */
static void quote_task_run(struct workers_task *t, int worker)
{
	struct quote_task *qt = (struct quote_task *)t;
	struct routing_quote *q = NULL;
	struct routing_cache *cache = network_snapshot_cache(qt->snap, worker, qt->answer_memo);
	struct routing_cache_stats before = {0}, after = {0};
	if (cache)
		routing_cache_stats(cache, &before);
	if (routing_quote_cached(qt->snap->net, cache, &qt->req, &q) != 0)
		return;
	if (cache) {
		routing_cache_stats(cache, &after);
		qt->from_memo = after.answer_hits != before.answer_hits;
	}
	if (q->status == ROUTING_OK || q->status == ROUTING_AT_RISK) {
		qt->status = 200;
		qt->body = quote_json_render(&qt->req, q, qt->pr, &qt->len);
	} else {
		qt->status = 422;
		qt->body = quote_json_problem(q, &qt->len);
	}
	routing_quote_free(q);
}

/* Back in the loop: the answer, then the task and its hold on the snapshot go. */
static void quote_task_done(struct workers_task *t)
{
	struct quote_task *qt = (struct quote_task *)t;
	if (!qt->body) {
		api_reply_problem(qt->r, PROBLEM_INTERNAL, "out of memory");
	} else {
		metrics_quote(api_req_app(qt->r)->metrics, qt->from_memo);
		/* the body goes with the reply, sent without a copy */
		api_reply_take(qt->r, qt->status,
		               qt->status == 200 ? "application/json" : "application/problem+json",
		               qt->body, qt->len);
	}
	network_snapshot_free(qt->snap);
	free(qt);
}

/* Hands the validated request to a worker thread; answers 503 when every worker is busy
 * and the queue is full. req's strings are copied: the task outlives nothing it borrows
 * but the snapshot, which it holds. */
static void quote_submit(struct api_req *r, struct network_snapshot *s,
                         const struct network_promise *pr, const struct routing_request *req)
{
	struct quote_task *qt = calloc(1, sizeof *qt);
	if (!qt) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	qt->t.run = quote_task_run;
	qt->t.done = quote_task_done;
	qt->r = r;
	qt->pr = pr;
	qt->answer_memo = api_req_app(r)->cfg->quote_memo;
	qt->req = *req;
	snprintf(qt->origin, sizeof qt->origin, "%s", req->origin);
	snprintf(qt->country, sizeof qt->country, "%s", req->country);
	snprintf(qt->postal_code, sizeof qt->postal_code, "%s", req->postal_code ? req->postal_code : "");
	qt->req.origin = qt->origin;
	qt->req.country = qt->country;
	qt->req.postal_code = req->postal_code ? qt->postal_code : NULL;
	qt->snap = network_snapshot_hold(s);
	if (workers_submit(api_req_app(r)->workers, &qt->t) != 0) {
		network_snapshot_free(qt->snap);
		free(qt);
		api_reply_problem(r, PROBLEM_OVERLOADED, "every quote worker is busy; retry");
	}
}

void h_route_quote(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	struct routing_request req = {0};
	struct network_snapshot *s = network_current(api_req_app(r));
	if (read_request(&v, api_req_body(r), &req) != 0) {
		api_reply_invalid(r, &v);
		return;
	}
	if (!s) {
		api_reply_problem(r, PROBLEM_NETWORK_NOT_LOADED, "the lane network is not loaded yet");
		return;
	}
	if (req.ready_at < s->horizon_from || req.ready_at >= s->horizon_to) {
		jsonv_error(&v, "ready_at", "horizon",
		            "ready_at must lie within the planning horizon (the last day to %d days ahead)",
		            NETWORK_AHEAD_DAYS);
		api_reply_invalid(r, &v);
		return;
	}
	const char *zone = routing_network_find_zone(s->net, req.country, req.postal_code);
	const struct network_promise *pr = network_snapshot_promise(s, req.origin, req.country);
	if (zone && !pr) {
		api_reply_problem(r, PROBLEM_NO_PROMISE, "no promise target from %s to %s", req.origin,
		                  req.country);
		return;
	}
	if (zone && network_snapshot_deadline(s, zone, req.ready_at, pr->days, &req.deadline) != 0) {
		api_reply_problem(r, PROBLEM_NO_PROMISE, "no promise deadline for zone %s", zone);
		return;
	}
	if (pr && req.ready_at > s->horizon_to - (int64_t)(pr->days + 1) * 86400) {
		/* departures are loaded only so far: every itinerary would be "beyond the horizon" */
		jsonv_error(&v, "ready_at", "horizon",
		            "ready_at is too far ahead for a %d-day promise: departures are loaded up to "
		            "%d days ahead", pr->days, NETWORK_AHEAD_DAYS);
		api_reply_invalid(r, &v);
		return;
	}
	req.target = pr ? pr->target_bp / 10000.0 : 0;
	quote_submit(r, s, pr, &req);
}
