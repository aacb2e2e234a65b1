/* h_claims.c — buyer-protection claims: POST /v1/claims (platform on the buyer's behalf,
 * admin) opens one on an order line; GET /v1/claims/{id} (platform, admin, the order's
 * seller) reads it.
 *
 * Opening is two statements and, between them, the decision in C:
 *  1. claim_input() reads the order, the line, the units of earlier claims, the category's
 *     recovery rate, the returns centres a return may go to, the fee versions in force and,
 *     under an Idempotency-Key, the claim stored with it.
 *  2. wms_claim_check() (wms/claim.h) refuses what cannot be claimed: a state the kind does
 *     not allow (409 wrong-state), not_received before the promise deadline plus the grace
 *     (409 claim-too-early), more units than the line has left (409 over-claim). The reverse
 *     route is quoted on the lane network from each returns centre and the buyer's zone
 *     (the cheapest), and wms_claim_decide() chooses a refund without return or a return,
 *     with its figures. A return gets its RMA and a ZPL label (wms/label.h); a refund
 *     without return is priced (refund_price.h) against what is left of the payment.
 *  3. claim_open() writes it all, guarded by the order's version: a concurrent change of the
 *     order (another claim, a refund, the settlement) makes it read and decide again, at
 *     most three times in all; then 409 conflict.
 * The answer is 201 with the claim (claim_doc) and its Location. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/fees/fees_load.h"
#include "api/http/idem.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/utf8.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/network/network_load.h"
#include "api/network/quote_json.h"
#include "api/returns/refund_price.h"
#include "api/routes.h"
#include "routing/quote.h"
#include "wms/claim.h"
#include "wms/codes.h"
#include "wms/label.h"
#include "wms/order.h"

#define CLAIM_MAX_READS 3
/* The reverse route is quoted against a deadline this far after now, with no target: the
 * cheapest itinerary the network has (a return has no promise). */
#define RETURN_QUOTE_DAYS 20

/* $1 order, $2 line, $3 seller scope, $4 Idempotency-Key, $5 now (whole seconds). */
DB_STMT(stmt_input) = {
	"claim_input",
	"SELECT i::text AS input FROM claim_input($1::uuid, $2::int, $3::uuid, $4, $5::timestamptz)"
	" AS i WHERE i IS NOT NULL"};

DB_STMT(stmt_open) = {
	"claim_open",
	"SELECT outcome, body::text AS body FROM claim_open($1::uuid, $2::uuid, $3::int, $4::int,"
	" $5, $6::int, $7::jsonb, $8, $9, $10::boolean, $11, $12::jsonb, $13, $14, $15, $16::jsonb,"
	" $17::jsonb, $18::text[], $19::timestamptz)"};

/* $1 claim id, $2 seller scope. */
DB_STMT(stmt_get) = {
	"claim_get",
	"SELECT claim_find($1::uuid, $2::uuid)::text AS doc"};

enum { O_SELLER, O_ORDER, O_LINE, O_VERSION, O_KIND, O_QTY, O_EVIDENCE, O_NOTE, O_STATE,
       O_FREEZES, O_DECISION, O_EXPLANATION, O_LIABILITY, O_HASH, O_KEY, O_RETURN, O_REFUND,
       O_ISSUABLE, O_NOW, O_NPARAMS };

struct claim_req {
	int reads;
	char order[37];
	long long line, qty;
	enum wms_claim_kind kind;
	char *evidence;     /* JSON array text */
	const char *note;   /* owned by the body */
	struct idem idem;
	char at[INSTANT_TEXT];
	int64_t now_s;
	/* parameters of claim_open */
	char seller[37], version[16], line_text[16], qty_text[16];
	char *explanation, *ret, *refund;
	const char *p[O_NPARAMS];
};

static void claim_req_free(void *p)
{
	struct claim_req *q = p;
	free(q->evidence);
	free(q->explanation);
	free(q->ret);
	free(q->refund);
	free(q);
}

static void read_claim(struct api_req *r);

static int64_t num(const cJSON *o, const char *name)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsNumber(n) ? (int64_t)n->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
	return s ? s : "";
}

/* The cheapest way back found for a return. */
struct way_back {
	bool found;
	char why[200];
	const cJSON *centre;
	int64_t cost;
	char carrier[65], service[65];
	int32_t weight_g;
	char *route; /* quote_json_route text, malloc'd */
};

/* Quotes the reverse route of qty units of the line from the buyer's zone to each returns
 * centre in the input (the lane network has legs outward only: the quote is the itinerary
 * between the centre and the buyer's zone, priced the same both ways) and keeps the
 * cheapest. The carrier collecting the parcel is the last leg's (the one serving the
 * buyer's zone). Without a network, a centre, a route, or with a network priced in another
 * currency, found stays false with the reason in why. */
static void find_way_back(struct api_req *r, const cJSON *in, struct way_back *w)
{
	struct claim_req *q = api_req_state(r);
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(in, "line");
	const cJSON *dest = cJSON_GetObjectItemCaseSensitive(in, "destination");
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(line, "dims_mm");
	/* the claimed units, as the parcel the buyer sends back */
	struct wms_order_units u = {
		.weight_g = (int32_t)num(line, "weight_g"),
		.dims_mm = {(int32_t)cJSON_GetNumberValue(cJSON_GetArrayItem(dims, 0)),
		            (int32_t)cJSON_GetNumberValue(cJSON_GetArrayItem(dims, 1)),
		            (int32_t)cJSON_GetNumberValue(cJSON_GetArrayItem(dims, 2))},
		.qty = (int32_t)q->qty,
	};
	struct network_snapshot *s = network_current(api_req_app(r));
	const char *postal = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(dest, "postal_code"));
	struct routing_request req = {.country = str(in, "country"),
	                              .postal_code = postal,
	                              .ready_at = q->now_s,
	                              .deadline = q->now_s + RETURN_QUOTE_DAYS * 86400,
	                              .target = 0.0};
	struct network_promise pr = {.origin = NULL, .days = RETURN_QUOTE_DAYS, .target_bp = 0};
	snprintf(pr.country, sizeof pr.country, "%s", req.country);
	w->found = false;
	snprintf(w->why, sizeof w->why, "no returns centre serves %s", req.country);
	if (!s) {
		snprintf(w->why, sizeof w->why, "the lane network is not loaded");
		return;
	}
	if (strcmp(s->currency, str(in, "currency")) != 0) {
		snprintf(w->why, sizeof w->why, "routes are priced in %s, the order in %s (no "
		         "conversion)", s->currency, str(in, "currency"));
		return;
	}
	if (wms_order_parcel(&u, 1, &req.parcel.weight_g, req.parcel.dims_mm) != 0) {
		snprintf(w->why, sizeof w->why, "the units make no parcel");
		return;
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(in, "centres"))
	{
		struct routing_quote *rq = NULL;
		req.origin = str(c, "code");
		if (routing_quote(s->net, &req, &rq) != 0) {
			snprintf(w->why, sizeof w->why, "out of memory quoting the way back");
			return;
		}
		if (rq->status == ROUTING_OK || rq->status == ROUTING_AT_RISK) {
			const struct routing_option *o = &rq->options[0];
			if (!w->found || o->cost_minor < w->cost) {
				char *route = quote_json_route(&req, rq, &pr);
				if (route) {
					free(w->route);
					w->route = route;
					w->found = true;
					w->centre = c;
					w->cost = o->cost_minor;
					w->weight_g = req.parcel.weight_g;
					snprintf(w->carrier, sizeof w->carrier, "%s", o->legs[o->n_legs - 1].carrier);
					snprintf(w->service, sizeof w->service, "%s", o->legs[o->n_legs - 1].service);
				}
			}
		} else if (!w->found) {
			snprintf(w->why, sizeof w->why, "no route between %s and %s: %s", req.origin,
			         req.country, rq->detail);
		}
		routing_quote_free(rq);
	}
}

/* The return's object for claim_open: the RMA, its returns centre, the route, and the label
 * (from the buyer to the centre; its Code 128 is the RMA code, its Data Matrix the return's
 * id). NULL with err when the label cannot be made. */
static char *return_json(const cJSON *in, const struct way_back *w, char *err, size_t errlen)
{
	const cJSON *dest = cJSON_GetObjectItemCaseSensitive(in, "destination");
	const char *rma = str(in, "new_rma"), *id = str(in, "new_return_id");
	char zpl[WMS_LABEL_MAX];
	struct wms_label l = {
		.from_name = str(dest, "name")[0] ? str(dest, "name") : "Buyer",
		.from_country = str(in, "country"),
		.to = {.name = str(w->centre, "name"), .lines = {"Returns", NULL, NULL},
		       .city = str(w->centre, "code"), .country = str(w->centre, "country")},
		.carrier = w->carrier,
		.service = w->service,
		.tracking = rma,
		.sort_code = "RETURN",
		.order_ref = rma,
		.weight_g = w->weight_g > 0 ? w->weight_g : 1,
		.data_2d = id,
	};
	if (wms_label_render(&l, zpl, sizeof zpl, NULL, err, errlen) != 0)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	char cost[24];
	snprintf(cost, sizeof cost, "%lld", (long long)w->cost);
	bool ok = o && cJSON_AddStringToObject(o, "id", id) &&
	          cJSON_AddStringToObject(o, "warehouse_id", str(w->centre, "warehouse_id")) &&
	          cJSON_AddStringToObject(o, "sku_id", str(cJSON_GetObjectItemCaseSensitive(in, "line"),
	                                                   "sku_id")) &&
	          cJSON_AddStringToObject(o, "rma", rma) &&
	          cJSON_AddStringToObject(o, "carrier", w->carrier) &&
	          cJSON_AddStringToObject(o, "service", w->service) &&
	          cJSON_AddRawToObject(o, "route", w->route) &&
	          cJSON_AddStringToObject(o, "cost_minor", cost) &&
	          cJSON_AddStringToObject(o, "label", zpl);
	char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (!text)
		snprintf(err, errlen, "out of memory");
	return text;
}

/* The refund's object for claim_open (a refund without return). */
static char *refund_json(const struct refund_priced *p, int64_t units, enum wms_liability l,
                         const char *reason)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddNumberToObject(o, "units", (double)units) &&
	          cJSON_AddNumberToObject(o, "requested", (double)p->requested) &&
	          cJSON_AddNumberToObject(o, "amount", (double)p->amount) &&
	          cJSON_AddStringToObject(o, "state", wms_refund_state_name(p->state)) &&
	          cJSON_AddStringToObject(o, "source", p->source) &&
	          cJSON_AddStringToObject(o, "liability", wms_liability_name(l)) &&
	          cJSON_AddStringToObject(o, "reason", reason) &&
	          cJSON_AddNumberToObject(o, "escrow_units", (double)p->escrow_units) &&
	          cJSON_AddRawToObject(o, "rows", p->rows);
	char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return text;
}

/* The explanation stored with the claim: the decision's figures and sentence. */
static char *explanation_json(const struct wms_claim_decision *d, const struct wms_claim_costs *c,
                              const struct way_back *w)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddStringToObject(o, "decision", wms_claim_decision_name(d->kind)) &&
	          cJSON_AddStringToObject(o, "why", d->why) &&
	          cJSON_AddNumberToObject(o, "value", (double)d->value) &&
	          cJSON_AddNumberToObject(o, "recovery_bp", c->recovery_bp) &&
	          cJSON_AddNumberToObject(o, "recovery", (double)d->recovery) &&
	          cJSON_AddNumberToObject(o, "handling_per_unit", (double)c->handling_per_unit) &&
	          cJSON_AddStringToObject(o, "currency", c->currency);
	if (ok && c->has_route)
		ok = cJSON_AddNumberToObject(o, "route_cost", (double)c->route_cost) &&
		     cJSON_AddNumberToObject(o, "cost", (double)d->cost) &&
		     cJSON_AddStringToObject(o, "returns_centre", str(w->centre, "code"));
	char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return text;
}

static void on_opened(struct api_req *r, const struct db_reply *rep)
{
	struct claim_req *q = api_req_state(r);
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
		return;
	}
	const char *outcome = PQntuples(rep->res) == 1 ? db_value(rep->res, 0, "outcome") : NULL;
	const char *body = outcome ? db_value(rep->res, 0, "body") : NULL;
	if (outcome && strcmp(outcome, "ok") == 0 && body) {
		cJSON *doc = cJSON_Parse(body);
		char loc[64];
		snprintf(loc, sizeof loc, "/v1/claims/%s", str(doc, "id"));
		cJSON_Delete(doc);
		api_req_add_header(r, "Location", loc);
		api_reply_json_text(r, 201, body, strlen(body));
	} else if (outcome && strcmp(outcome, "conflict") == 0) {
		if (q->reads >= CLAIM_MAX_READS)
			api_reply_problem(r, PROBLEM_CONFLICT, "the order kept changing while the claim "
			                  "was decided; retry");
		else
			read_claim(r);
	} else {
		api_reply_problem(r, PROBLEM_INTERNAL, "claim_open answered no outcome");
	}
}

/* The return handling fee per unit of the schedule in force (0 when none is, or it is in
 * another currency). */
static int64_t handling_per_unit(const cJSON *in)
{
	struct fees_versions v = {0};
	char err[160];
	int64_t fee = 0;
	if (fees_versions_from_json(cJSON_GetObjectItemCaseSensitive(in, "versions"), &v, err,
	                            sizeof err) == 0 &&
	    v.has_schedule && strcmp(v.schedule.currency, str(in, "currency")) == 0)
		fee = v.schedule.return_handling_per_unit;
	fees_versions_free(&v);
	return fee;
}

/* Refuses (409) what cannot be claimed. Returns -1 after answering. */
static int check_or_reply(struct api_req *r, const cJSON *in)
{
	struct claim_req *q = api_req_state(r);
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(in, "line");
	char why[300];
	struct wms_claim_order o = {
		.state = str(in, "state"),
		.deadline = num(in, "deadline"),
		.placed_at = num(in, "placed_at"),
		.delivered_at = num(in, "delivered_at"),
		.now = q->now_s,
		.qty = num(line, "qty"),
		.short_qty = num(line, "short"),
		.claimed = num(line, "claimed"),
	};
	/* the carriers' word on the order's parcels: a delivery is the evidence a not_received
	 * claim is refused with */
	const cJSON *t, *delivered = NULL;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(in, "tracking"))
	{
		if (strcmp(str(t, "status"), "delivered") == 0 && !delivered)
			delivered = t;
		else if (strcmp(str(t, "status"), "returned_to_sender") == 0)
			o.returned_to_sender = true;
	}
	o.carrier_delivered = delivered != NULL;
	switch (wms_claim_check(q->kind, &o, q->qty, why, sizeof why)) {
	case WMS_CLAIM_OK:
		return 0;
	case WMS_CLAIM_WRONG_STATE: {
		cJSON *p = problem_new(PROBLEM_WRONG_STATE, why);
		if (p && (!cJSON_AddStringToObject(p, "state", o.state) ||
		          (q->kind == WMS_CLAIM_NOT_RECEIVED && delivered &&
		           !cJSON_AddItemToObject(p, "evidence", cJSON_Duplicate(delivered, 1))))) {
			cJSON_Delete(p);
			p = NULL;
		}
		api_reply_problem_doc(r, p);
		return -1;
	}
	case WMS_CLAIM_TOO_EARLY: {
		char from[INSTANT_TEXT], detail[400];
		instant_format(wms_claim_not_received_from(&o) * INSTANT_US, from);
		snprintf(detail, sizeof detail, "%s: from %s", why, from);
		cJSON *p = problem_new(PROBLEM_CLAIM_TOO_EARLY, detail);
		if (p && !cJSON_AddStringToObject(p, "opens_at", from)) {
			cJSON_Delete(p);
			p = NULL;
		}
		api_reply_problem_doc(r, p);
		return -1;
	}
	case WMS_CLAIM_OVER:
		api_reply_problem(r, PROBLEM_OVER_CLAIM, "%s", why);
		return -1;
	}
	api_reply_problem(r, PROBLEM_INTERNAL, "unknown claim refusal");
	return -1;
}

/* Decides and prices (see the top of the file), then writes. */
static void decide(struct api_req *r, const cJSON *in)
{
	struct claim_req *q = api_req_state(r);
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(in, "line");
	struct way_back w = {0};
	struct wms_claim_decision d;
	struct refund_priced rp = {0};
	char err[256];
	const char *currency = str(in, "currency");
	bool shipped = num(in, "shipped_at") > 0;

	if (check_or_reply(r, in) != 0)
		return;
	if (q->kind != WMS_CLAIM_NOT_RECEIVED)
		find_way_back(r, in, &w);
	struct wms_claim_costs c = {
		.unit_price = num(line, "unit_price"),
		.units = q->qty,
		.recovery_bp = (int32_t)num(in, "recovery_bp"),
		.has_route = w.found,
		.route_cost = w.cost,
		.handling_per_unit = handling_per_unit(in),
		.currency = currency,
		.currency_exponent = wms_currency_exponent(currency),
		.no_route_why = w.why,
	};
	if (c.currency_exponent < 0)
		c.currency_exponent = 2;
	if (wms_claim_decide(q->kind, &c, shipped, &d) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the claim could not be decided: %s", d.why);
		goto done;
	}
	free(q->explanation);
	free(q->ret);
	free(q->refund);
	q->explanation = explanation_json(&d, &c, &w);
	q->ret = q->refund = NULL;
	bool ret = d.kind == WMS_CLAIM_RETURN;
	if (ret) {
		if (!(q->ret = return_json(in, &w, err, sizeof err))) {
			api_reply_problem(r, PROBLEM_INTERNAL, "the return label could not be made: %s", err);
			goto done;
		}
	} else {
		if (refund_price(in, line, wms_claim_kind_name(q->kind), q->qty, d.liability, 0, &rp,
		                 err, sizeof err) != 0) {
			api_reply_problem(r, PROBLEM_INTERNAL, "the refund could not be priced: %s", err);
			goto done;
		}
		q->refund = refund_json(&rp, q->qty, d.liability, d.why);
	}
	if (!q->explanation || (!ret && !q->refund)) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		goto done;
	}
	enum wms_claim_state st = ret ? WMS_CLAIM_AWAITING_RETURN : WMS_CLAIM_CLOSED;
	snprintf(q->seller, sizeof q->seller, "%s", str(in, "seller_id"));
	snprintf(q->version, sizeof q->version, "%lld", (long long)num(in, "version"));
	snprintf(q->line_text, sizeof q->line_text, "%lld", q->line);
	snprintf(q->qty_text, sizeof q->qty_text, "%lld", q->qty);
	q->p[O_SELLER] = q->seller;
	q->p[O_ORDER] = q->order;
	q->p[O_LINE] = q->line_text;
	q->p[O_VERSION] = q->version;
	q->p[O_KIND] = wms_claim_kind_name(q->kind);
	q->p[O_QTY] = q->qty_text;
	q->p[O_EVIDENCE] = q->evidence;
	q->p[O_NOTE] = q->note;
	q->p[O_STATE] = wms_claim_state_name(st);
	q->p[O_FREEZES] = wms_claim_freezes(st) ? "true" : "false";
	q->p[O_DECISION] = wms_claim_decision_name(d.kind);
	q->p[O_EXPLANATION] = q->explanation;
	q->p[O_LIABILITY] = ret ? NULL : wms_liability_name(d.liability);
	q->p[O_HASH] = q->idem.hash;
	q->p[O_KEY] = q->idem.key;
	q->p[O_RETURN] = q->ret;
	q->p[O_REFUND] = q->refund;
	q->p[O_ISSUABLE] = WMS_REFUND_ISSUABLE;
	q->p[O_NOW] = q->at;
	api_query_or_reply(r, &stmt_open, O_NPARAMS, q->p, on_opened);
done:
	refund_priced_free(&rp);
	free(w.route);
}

static void on_input(struct api_req *r, const struct db_reply *rep)
{
	struct claim_req *q = api_req_state(r);
	if (api_found_or_reply(r, rep, "no such order") != 0)
		return;
	cJSON *in = cJSON_Parse(db_value(rep->res, 0, "input"));
	const cJSON *prior = cJSON_GetObjectItemCaseSensitive(in, "prior");
	if (!cJSON_IsObject(in)) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the claim input is not an object");
	} else if (cJSON_IsObject(prior)) {
		if (strcmp(str(prior, "request_hash"), q->idem.hash) != 0) {
			api_reply_problem(r, PROBLEM_IDEMPOTENCY_MISMATCH, "Idempotency-Key %s opened "
			                  "another claim; a new claim needs a new key", q->idem.key);
		} else {
			char *doc = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(prior, "doc"));
			api_req_add_header(r, "Idempotent-Replayed", "true");
			if (doc)
				api_reply_take(r, 201, "application/json", doc, strlen(doc));
			else
				api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		}
	} else if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(in, "line"))) {
		struct jsonv v = JSONV_INIT;
		jsonv_error(&v, "line", "not_found", "order has no line %lld", q->line);
		api_reply_invalid(r, &v);
	} else {
		decide(r, in);
	}
	cJSON_Delete(in);
}

static void read_claim(struct api_req *r)
{
	struct claim_req *q = api_req_state(r);
	const char *p[] = {q->order, q->line_text, api_scope_seller(r), q->idem.key, q->at};
	q->reads++;
	api_query_or_reply(r, &stmt_input, 5, p, on_input);
}

/* Reads `evidence` (0..WMS_CLAIM_EVIDENCE_MAX references of 1..WMS_CLAIM_EVIDENCE_LEN
 * characters; at least one for damaged and not_as_described) into q->evidence. */
static void read_evidence(struct jsonv *v, const cJSON *b, struct claim_req *q, bool needed)
{
	const cJSON *arr = jsonv_array(v, b, "evidence", needed);
	int n = arr ? cJSON_GetArraySize(arr) : 0;
	if (arr && (n < (needed ? 1 : 0) || n > WMS_CLAIM_EVIDENCE_MAX)) {
		jsonv_error(v, "evidence", "length", "evidence lists %s%d references (1 to %d)",
		            needed ? "the claim's evidence: " : "", n, WMS_CLAIM_EVIDENCE_MAX);
		return;
	}
	cJSON *out = cJSON_CreateArray();
	for (int i = 0; out && i < n; i++) {
		const cJSON *e = cJSON_GetArrayItem(arr, i);
		const char *s = cJSON_GetStringValue(e);
		size_t len = s ? strlen(s) : 0;
		if (!s || len < 1 || len > WMS_CLAIM_EVIDENCE_LEN || !utf8_printable(s)) {
			char field[32];
			snprintf(field, sizeof field, "evidence[%d]", i);
			jsonv_error(v, field, "format", "an evidence reference is a string of 1 to %d "
			            "printable characters", WMS_CLAIM_EVIDENCE_LEN);
		} else {
			cJSON_AddItemToArray(out, cJSON_CreateString(s));
		}
	}
	q->evidence = out ? cJSON_PrintUnformatted(out) : NULL;
	cJSON_Delete(out);
}

void h_claim_create(struct api_req *r)
{
	static const char *const fields[] = {"order", "line", "kind", "qty", "evidence", "note",
	                                     NULL};
	static const char *const kinds[] = {"not_received", "damaged", "not_as_described", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	struct claim_req *q = api_req_new_state_or_reply(r, sizeof *q, claim_req_free);
	if (!q)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	const char *order = jsonv_string(&v, b, "order", true, 36, 36);
	if (order && !jsonv_is_uuid(order))
		jsonv_error(&v, "order", "format", "order is the order's id (a UUID)");
	jsonv_int(&v, b, "line", true, 1, 100, &q->line);
	int kind = jsonv_enum(&v, b, "kind", true, kinds);
	jsonv_int(&v, b, "qty", true, 1, 10000, &q->qty);
	read_evidence(&v, b, q, kind == WMS_CLAIM_DAMAGED || kind == WMS_CLAIM_NOT_AS_DESCRIBED);
	q->note = jsonv_string(&v, b, "note", false, 1, 500);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (!q->evidence) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	if (idem_begin_or_reply(r, &q->idem) != 0)
		return;
	q->kind = (enum wms_claim_kind)kind;
	snprintf(q->order, sizeof q->order, "%s", order);
	snprintf(q->line_text, sizeof q->line_text, "%lld", q->line);
	q->now_s = api_req_now_us(r) / INSTANT_US;
	instant_format(q->now_s * INSTANT_US, q->at);
	read_claim(r);
}

static void on_get_claim(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such claim");
}

void h_claim_get(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such claim");
		return;
	}
	const char *p[] = {id, api_scope_seller(r)};
	api_query_or_reply(r, &stmt_get, 2, p, on_get_claim);
}
