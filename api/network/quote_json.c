/* quote_json.c — the JSON text of a route quote, written directly (see quote_json.h). */
#include "api/network/quote_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "api/http/jbuf.h"
#include "api/http/problem.h"
#include "api/network/network_load.h"
#include "routing/quote.h"

/* The promise's rule, as the API states it. */
static const char promise_rule[] =
	"delivered by the end of the days-th calendar day after the ready day, in the "
	"destination's local time";

/* An instant, or null for ROUTING_NEVER. */
static void instant(struct jbuf *b, const char *key, int64_t t)
{
	jbuf_key(b, key);
	if (t == ROUTING_NEVER)
		jbuf_null(b);
	else
		jbuf_utc(b, t);
}

/* A probability rounded to 6 decimals (half away from zero), printed shortest: 0.954786,
 * 0.95, 1, 0. Not a finite number of sane size: null. */
static void prob(struct jbuf *b, const char *key, double p)
{
	jbuf_key(b, key);
	double micro = round(p * 1e6);
	if (!(fabs(micro) < 9e15)) /* NaN, infinities; far beyond any probability */
		jbuf_null(b);
	else
		jbuf_scaled(b, (int64_t)micro, 6);
}

/* {amount, currency}: amount in minor units. */
static void money(struct jbuf *b, const char *key, int64_t minor, const char *currency)
{
	jbuf_key(b, key);
	jbuf_obj_open(b);
	jbuf_key(b, "amount");
	jbuf_int(b, minor);
	jbuf_key(b, "currency");
	jbuf_str(b, currency);
	jbuf_obj_close(b);
}

static void key_str(struct jbuf *b, const char *key, const char *s)
{
	jbuf_key(b, key);
	jbuf_str(b, s);
}

static void key_int(struct jbuf *b, const char *key, int64_t v)
{
	jbuf_key(b, key);
	jbuf_int(b, v);
}

/* One option: {reason, legs [...], then either refused_by_leg (refused for weight or size:
 * the legs carry no times or cost) or cost, p_on_time, p_beyond_horizon, delivery_p50,
 * delivery_p95}. */
static void option(struct jbuf *b, const struct routing_option *o, const char *currency)
{
	bool refused = o->reason == ROUTING_TOO_HEAVY || o->reason == ROUTING_TOO_LARGE;
	jbuf_obj_open(b);
	key_str(b, "reason", routing_reason_name(o->reason));
	jbuf_key(b, "legs");
	jbuf_arr_open(b);
	for (size_t i = 0; i < o->n_legs; i++) {
		const struct routing_leg_out *l = &o->legs[i];
		jbuf_obj_open(b);
		key_str(b, "leg", l->leg_id);
		key_str(b, "carrier", l->carrier);
		key_str(b, "service", l->service);
		key_str(b, "mode", routing_mode_name(l->mode));
		key_str(b, "from", l->from);
		key_str(b, "to", l->to);
		if (!refused) {
			instant(b, "departure", l->departure);
			prob(b, "p_departure", l->p_departure);
			instant(b, "arrival_p50", l->arrival_p50);
			instant(b, "arrival_p95", l->arrival_p95);
			money(b, "cost", l->cost_minor, currency);
			key_int(b, "chargeable_weight_g", l->chargeable_g);
		}
		jbuf_obj_close(b);
	}
	jbuf_arr_close(b);
	if (refused) {
		key_str(b, "refused_by_leg", o->refused_leg ? o->refused_leg : "");
	} else {
		money(b, "cost", o->cost_minor, currency);
		prob(b, "p_on_time", o->p_on_time);
		prob(b, "p_beyond_horizon", o->p_beyond_horizon);
		instant(b, "delivery_p50", o->delivery_p50);
		instant(b, "delivery_p95", o->delivery_p95);
	}
	jbuf_obj_close(b);
}

/* q's options from index `from` on, as an array. */
static void options(struct jbuf *b, const struct routing_quote *q, size_t from)
{
	jbuf_arr_open(b);
	for (size_t i = from; i < q->n_options; i++)
		option(b, &q->options[i], q->currency);
	jbuf_arr_close(b);
}

char *quote_json_render(const struct routing_request *req, const struct routing_quote *q,
                        const struct network_promise *pr, size_t *len)
{
	struct jbuf b = JBUF_INIT;
	jbuf_obj_open(&b);
	key_str(&b, "status", routing_status_name(q->status));
	key_str(&b, "origin", req->origin);
	key_str(&b, "zone", q->zone);
	instant(&b, "ready_at", req->ready_at);
	jbuf_key(&b, "promise");
	jbuf_obj_open(&b);
	key_int(&b, "days", pr->days);
	key_int(&b, "target_bp", pr->target_bp);
	instant(&b, "deadline", q->deadline);
	key_str(&b, "rule", promise_rule);
	jbuf_obj_close(&b);
	jbuf_key(&b, "selected");
	option(&b, &q->options[0], q->currency);
	jbuf_key(&b, "options");
	options(&b, q, 1);
	key_int(&b, "evaluated", (int64_t)q->n_evaluated);
	jbuf_obj_close(&b);
	return jbuf_take(&b, len);
}

char *quote_json_options(const struct routing_quote *q, size_t *len)
{
	struct jbuf b = JBUF_INIT;
	options(&b, q, 0);
	return jbuf_take(&b, len);
}

char *quote_json_route(const struct routing_request *req, const struct routing_quote *q,
                       const struct network_promise *pr)
{
	size_t len;
	char *text = quote_json_render(req, q, pr, &len), *out = NULL;
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	free(text);
	cJSON *sel = cJSON_DetachItemFromObjectCaseSensitive(doc, "selected");
	cJSON *promise = cJSON_DetachItemFromObjectCaseSensitive(doc, "promise");
	if (sel && q->zone && cJSON_AddStringToObject(sel, "zone", q->zone) &&
	    (!promise || cJSON_AddItemToObject(sel, "promise", promise))) {
		promise = NULL;
		out = cJSON_PrintUnformatted(sel);
	}
	cJSON_Delete(promise);
	cJSON_Delete(sel);
	cJSON_Delete(doc);
	return out;
}

/* The catalogue's problem for an engine status other than ok and at_risk. */
static enum problem_type unquotable_problem(enum routing_status st)
{
	switch (st) {
	case ROUTING_UNKNOWN_ORIGIN: return PROBLEM_UNKNOWN_ORIGIN;
	case ROUTING_UNKNOWN_DESTINATION: return PROBLEM_UNKNOWN_DESTINATION;
	case ROUTING_NO_ROUTE: return PROBLEM_NO_ROUTE;
	case ROUTING_PARCEL_REFUSED: return PROBLEM_PARCEL_REFUSED;
	case ROUTING_BAD_REQUEST: return PROBLEM_VALIDATION;
	case ROUTING_OK:
	case ROUTING_AT_RISK: break;
	}
	abort();
}

char *quote_json_problem(const struct routing_quote *q, size_t *len)
{
	char *opts = NULL, *text = NULL;
	cJSON *doc = problem_new(unquotable_problem(q->status), q->detail);
	if (!doc || !cJSON_AddStringToObject(doc, "reason", routing_status_name(q->status)))
		goto done;
	if (q->n_options && (!(opts = quote_json_options(q, NULL)) ||
	                     !cJSON_AddRawToObject(doc, "options", opts)))
		goto done;
	text = cJSON_PrintUnformatted(doc);
	if (text)
		*len = strlen(text);
done:
	free(opts);
	cJSON_Delete(doc);
	return text;
}
