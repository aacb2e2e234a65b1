/* jit_plan.c — choosing a semi_jit order's consolidation hub and hand-over deadline (jit_plan.h). */
#include "api/jit/jit_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/network/network_load.h"
#include "api/network/quote_json.h"
#include "routing/handover.h"

/* At most this many hubs are compared. */
#define JIT_MAX_HUBS 16

struct hub_search {
	const char *code, *warehouse_id, *time_zone;
	const struct network_promise *promise;
	struct routing_request req;
	struct routing_handover h;
	const char *skip; /* why it was not searched, or NULL */
};

static void add_ts(cJSON *o, const char *name, int64_t t)
{
	char ts[INSTANT_TEXT];
	instant_format(t * INSTANT_US, ts);
	cJSON_AddStringToObject(o, name, ts);
}

static const char *status_name(enum routing_handover_status st)
{
	return st == ROUTING_HANDOVER_OK ? "ok" : st == ROUTING_HANDOVER_AT_RISK ? "at_risk" : "no_route";
}

/* The explanation of the chosen hub's deadline: the rule, the departure it aims for, the
 * cost class, the promise, and every hub compared. NULL when out of memory. */
static cJSON *basis_json(const struct hub_search *hs, size_t n, int chosen, const char *currency)
{
	const struct hub_search *c = &hs[chosen];
	const struct routing_option *o = &c->h.quote->options[0];
	const struct routing_leg_out *first = &o->legs[0];
	char dep[INSTANT_TEXT], due[INSTANT_TEXT], text[480];
	cJSON *b = cJSON_CreateObject();
	cJSON *aim = cJSON_AddObjectToObject(b, "aims_for");
	cJSON_AddStringToObject(aim, "leg", first->leg_id);
	cJSON_AddStringToObject(aim, "carrier", first->carrier);
	cJSON_AddStringToObject(aim, "service", first->service);
	cJSON_AddStringToObject(aim, "from", first->from);
	cJSON_AddStringToObject(aim, "to", first->to);
	add_ts(aim, "departure", first->departure);
	cJSON *cost = cJSON_AddObjectToObject(b, "cost_class");
	cJSON_AddNumberToObject(cost, "max_amount", (double)c->h.cost_cap);
	cJSON_AddStringToObject(cost, "currency", currency);
	cJSON_AddNumberToObject(b, "p_on_time", o->p_on_time);
	cJSON *pr = cJSON_AddObjectToObject(b, "promise");
	cJSON_AddNumberToObject(pr, "days", c->promise->days);
	cJSON_AddNumberToObject(pr, "target_bp", c->promise->target_bp);
	add_ts(pr, "deadline", c->req.deadline);
	add_ts(b, "searched_from", c->h.from);
	cJSON_AddNumberToObject(b, "quotes", c->h.quotes);
	instant_format(first->departure * INSTANT_US, dep);
	instant_format(c->h.latest * INSTANT_US, due);
	if (c->h.status == ROUTING_HANDOVER_OK)
		snprintf(text, sizeof text, "received at %s by %s, the parcel still makes leg %s "
		         "(%s %s) departing %s, and a route costing at most %lld %s delivers it by the "
		         "promise deadline with p_on_time %.4f >= %.2f; one minute later it does not",
		         c->code, due, first->leg_id, first->carrier, first->service, dep,
		         (long long)c->h.cost_cap, currency, o->p_on_time,
		         c->promise->target_bp / 10000.0);
	else
		snprintf(text, sizeof text, "no route from %s meets the promise target even for a "
		         "parcel received now (at risk): received by %s it keeps the likeliest route's "
		         "p_on_time %.4f, leaving on leg %s departing %s", c->code, due, o->p_on_time,
		         first->leg_id, dep);
	cJSON_AddStringToObject(b, "explanation", text);
	cJSON *hubs = cJSON_AddArrayToObject(b, "hubs");
	for (size_t i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "hub", hs[i].code);
		cJSON_AddBoolToObject(x, "chosen", (int)i == chosen);
		if (hs[i].skip) {
			cJSON_AddStringToObject(x, "status", "not_searched");
			cJSON_AddStringToObject(x, "reason", hs[i].skip);
		} else {
			cJSON_AddStringToObject(x, "status", status_name(hs[i].h.status));
			if (hs[i].h.status != ROUTING_HANDOVER_NO_ROUTE) {
				cJSON_AddNumberToObject(x, "cost", (double)hs[i].h.cost_cap);
				add_ts(x, "handover_deadline", hs[i].h.latest);
			} else {
				cJSON_AddStringToObject(x, "reason", hs[i].h.quote->detail);
			}
		}
		cJSON_AddItemToArray(hubs, x);
	}
	cJSON_AddStringToObject(b, "rule", "the latest receipt at the hub from which a route no "
	                        "dearer than the one for a parcel received now still meets the "
	                        "promise target; among hubs, the most time within 10% of the "
	                        "cheapest hub's cost");
	return b;
}

/* Adds {line, sku, reason, detail} for every line. */
static void reason_all(cJSON *reasons, const struct order_request *in, const char *reason,
                       const char *detail)
{
	for (size_t i = 0; i < in->n_lines; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "line", (double)(i + 1));
		cJSON_AddStringToObject(o, "sku", in->lines[i].sku);
		cJSON_AddStringToObject(o, "reason", reason);
		cJSON_AddStringToObject(o, "detail", detail);
		cJSON_AddItemToArray(reasons, o);
	}
}

int jit_plan_or_reply(struct api_req *r, const struct order_request *in, const cJSON *skus,
                      const cJSON *hubs, cJSON *reasons, char **candidates)
{
	struct hub_search hs[JIT_MAX_HUBS];
	const struct routing_handover *searched[JIT_MAX_HUBS];
	size_t n = 0, ns = 0;
	int rc = -1, chosen = -1;
	int idx[JIT_MAX_HUBS];
	cJSON *out = NULL, *basis = NULL;
	char *route = NULL;
	memset(hs, 0, sizeof hs);
	*candidates = NULL;

	struct network_snapshot *s = network_current(api_req_app(r));
	if (!s) {
		api_reply_problem(r, PROBLEM_NETWORK_NOT_LOADED,
		                  "the lane network is not loaded yet: orders cannot be routed");
		return -1;
	}
	const char *zone = routing_network_find_zone(s->net, in->country, in->postal_code);
	if (!zone) {
		struct jsonv v = JSONV_INIT;
		jsonv_error(&v, in->postal_code ? "destination.postal_code" : "destination.country",
		            "no_zone", "no delivery zone of the lane network covers %s%s%s",
		            in->country, in->postal_code ? " " : "", in->postal_code ? in->postal_code : "");
		api_reply_invalid(r, &v);
		return -1;
	}
	struct routing_parcel parcel;
	if (order_request_parcel(in, skus, &parcel) != 0) {
		reason_all(reasons, in, "parcel_refused", "the order's units make no parcel");
		goto none;
	}
	int64_t now = api_req_now_us(r) / INSTANT_US;
	const cJSON *hub;
	cJSON_ArrayForEach(hub, hubs) {
		if (n == JIT_MAX_HUBS)
			break;
		struct hub_search *x = &hs[n++];
		x->code = cJSON_GetStringValue(cJSON_GetObjectItem(hub, "code"));
		x->warehouse_id = cJSON_GetStringValue(cJSON_GetObjectItem(hub, "warehouse_id"));
		x->time_zone = cJSON_GetStringValue(cJSON_GetObjectItem(hub, "time_zone"));
		x->promise = network_snapshot_promise(s, x->code, in->country);
		if (!x->promise) {
			x->skip = "no promise target from this hub to the destination country";
			continue;
		}
		x->req = (struct routing_request){.origin = x->code, .ready_at = now,
		                                  .country = in->country, .postal_code = in->postal_code,
		                                  .parcel = parcel,
		                                  .target = x->promise->target_bp / 10000.0};
		if (network_snapshot_deadline(s, zone, now, x->promise->days, &x->req.deadline) != 0) {
			x->skip = "no promise deadline for the destination zone in the loaded horizon";
			continue;
		}
		if (routing_handover_latest(s->net, NULL, &x->req, x->req.deadline, &x->h) != 0) {
			api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
			goto done;
		}
		idx[ns] = (int)(n - 1);
		searched[ns++] = &x->h;
	}
	int best = routing_handover_choose(searched, ns);
	if (best < 0) {
		reason_all(reasons, in, "no_route", n == 0 ? "the seller's country has no "
		           "consolidation hub" : "no consolidation hub of the seller's country has "
		           "a route to the destination");
		goto none;
	}
	chosen = idx[best];
	struct hub_search *c = &hs[chosen];
	const struct routing_quote *q = c->h.quote;
	route = quote_json_route(&c->req, q, c->promise);
	basis = basis_json(hs, n, chosen, s->currency);
	out = cJSON_CreateArray();
	cJSON *o = cJSON_CreateObject();
	if (!route || !basis || !out || !o) {
		cJSON_Delete(o);
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		goto done;
	}
	cJSON_AddItemToArray(out, o);
	cJSON_AddStringToObject(o, "warehouse_id", c->warehouse_id);
	cJSON_AddStringToObject(o, "code", c->code);
	add_ts(o, "deadline", c->req.deadline);
	cJSON_AddNumberToObject(o, "p_on_time", q->options[0].p_on_time);
	cJSON_AddBoolToObject(o, "at_risk", c->h.status != ROUTING_HANDOVER_OK);
	cJSON_AddRawToObject(o, "route", route);
	cJSON *jit = cJSON_AddObjectToObject(o, "jit");
	add_ts(jit, "handover_deadline", c->h.latest);
	cJSON_AddStringToObject(jit, "time_zone", c->time_zone);
	cJSON_AddItemToObject(jit, "basis", basis);
	basis = NULL;
	*candidates = cJSON_PrintUnformatted(out);
	if (!*candidates) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		goto done;
	}
	rc = 0;
	goto done;
none:
	*candidates = strdup("[]");
	if (!*candidates)
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
	else
		rc = 0;
done:
	for (size_t i = 0; i < n; i++)
		routing_handover_clear(&hs[i].h);
	cJSON_Delete(out);
	cJSON_Delete(basis);
	free(route);
	return rc;
}
