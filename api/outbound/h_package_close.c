/* h_package_close.c — POST /v1/packages/{id}/close (staff) {weight_g}: the package is weighed
 * and closed; the real parcel is quoted, a carrier service and a tracking number are
 * assigned and the shipping label is made, in one transaction with the close.
 *
 * Two statements and, between them, the decisions (sql/functions/package_close.sql):
 *  1. package_close_input() checks that the package can be closed (open, not empty, its
 *     order being packed: else 404/409, nothing quoted) and reads the box, the order's
 *     destination, promise and allocated route, the warehouse and the tracking series.
 *  2. The real parcel — the box's inner dimensions (package_types) and the measured
 *     weight_g, box included — is quoted on the in-memory lane network from the warehouse to
 *     the order's destination, ready now, against the order's promise deadline and target:
 *     the itinerary chosen at allocation (routing_evaluate of its legs) when it still exists
 *     and takes the parcel, else a fresh routing_quote(). Neither: 422 (no-route,
 *     parcel-refused, … with the refused options), nothing changed.
 *     The carrier service is the first leg's: the carrier that collects the parcel from the
 *     dock, and so the one whose number and label it carries. Its tracking series' next
 *     serial becomes the tracking number (wms_tracking_make); the label (wms_label_render)
 *     shows the warehouse's name and country, the order's destination, the carrier's name
 *     and the service, the tracking number as Code 128, the sort code, the measured weight,
 *     the order reference and the package id as a Data Matrix. Sort code: the destination
 *     zone of the route (what the carrier sorts on), or the first leg's id when the zone's
 *     code is longer than the label's 10 characters (and both are: the zone's first 10).
 *     Order reference: the client_order_id, or the order's id when it is longer than 36.
 *  3. package_close() writes it all under the package's, the order's and the series' locks,
 *     taking the serial only if it is still the series' next (another close took it:
 *     SQLSTATE WS004, nothing written, and this handler begins again at 1, a few times at
 *     most); a series that is missing or used up is 409 no-tracking-series /
 *     tracking-exhausted there, nothing changed. The last package of an order packs the
 *     order (wms/order.h's pack) in the same transaction.
 * Closing a closed package is 409 wrong-state with its tracking number and label address:
 * a station whose answer was lost prints the stored label (GET /v1/packages/{id}/label). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/network/network_load.h"
#include "api/network/quote_json.h"
#include "api/outbound/tracking_number.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "routing/quote.h"
#include "wms/label.h"
#include "wms/order.h"
#include "wms/tracking.h"

/* $1 warehouse, $2 package id, $3 the order states packing happens in. */
DB_STMT(stmt_input) = {
	"package_close_input",
	"SELECT " SCAN_COLUMNS " FROM package_close_input($1::uuid, $2::uuid, $3::text[])"};

/* The parameters below, in order. */
DB_STMT(stmt_close) = {
	"package_close",
	"SELECT " SCAN_COLUMNS " FROM package_close($1::uuid, $2::uuid, $3::text[], $4, $5::int,"
	" $6::int, $7, $8, $9::bigint, $10, $11, $12::jsonb, $13::bigint, $14, $15,"
	" $16::timestamptz)"};

enum { C_WAREHOUSE, C_PACKAGE, C_ALLOWED, C_TARGET, C_WEIGHT, C_CHARGEABLE, C_CARRIER,
       C_SERVICE, C_SERIAL, C_TRACKING, C_SORT, C_ROUTE, C_COST, C_CURRENCY, C_LABEL, C_NOW,
       C_NPARAMS };

/* The SQLSTATE of package_close() when another close took the serial first. */
#define SERIAL_TAKEN_SQLSTATE "WS004"
/* Rounds of read, decide, close before a busy series is answered 503. A close loses a round
 * only to one that took the serial first: k closes racing on one series need at most k. */
#define CLOSE_ATTEMPTS 5

/* What a close keeps across its statements (the parameters point into it). */
struct close_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	int32_t weight_g;
	int attempts;
	char allowed[96];
	char weight[16], chargeable[16], serial[24], cost[24], currency[4];
	char carrier[40], service[40];
	char tracking[WMS_TRACKING_MAX];
	char sort_code[WMS_LABEL_SORT_CODE_MAX + 1];
	char *route; /* the chosen itinerary as JSON (malloc'd) */
	char label[WMS_LABEL_MAX];
	const char *p[C_NPARAMS];
};

static void close_req_free(void *arg)
{
	struct close_req *q = arg;
	free(q->route);
	free(q);
}

static const char *str_at(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static const cJSON *at(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* The promise the parcel is quoted against: the one the order was allocated with (its route's
 * {promise: {days, target_bp}}, copied into *stored), else the network's current target for
 * (origin, country); NULL when there is neither. */
static const struct network_promise *promise_of(const struct network_snapshot *s,
                                                const char *origin, const char *country,
                                                const cJSON *route, struct network_promise *stored)
{
	const cJSON *rec = at(route, "promise");
	if (!cJSON_IsNumber(at(rec, "days")) || !cJSON_IsNumber(at(rec, "target_bp")))
		return network_snapshot_promise(s, origin, country);
	memset(stored, 0, sizeof *stored);
	snprintf(stored->country, sizeof stored->country, "%s", country);
	stored->days = (int)cJSON_GetNumberValue(at(rec, "days"));
	stored->target_bp = (int)cJSON_GetNumberValue(at(rec, "target_bp"));
	return stored;
}

/* The itinerary the parcel of req leaves on: the one of route (the order's, as allocated:
 * {legs: [{leg}, …]}) evaluated for it when it still exists and takes the parcel, else a
 * fresh quote. Returns 0 with *out set (look at its status), or -1 when out of memory. */
static int route_choose(const struct routing_network *net, const struct routing_request *req,
                        const cJSON *route, struct routing_quote **out)
{
	const char *legs[ROUTING_MAX_LEGS];
	size_t n = 0;
	const cJSON *l;
	cJSON_ArrayForEach(l, at(route, "legs")) {
		const char *id = str_at(l, "leg");
		if (!id || n == ROUTING_MAX_LEGS) {
			n = 0;
			break;
		}
		legs[n++] = id;
	}
	if (n > 0) {
		if (routing_evaluate(net, req, legs, n, out) != 0)
			return -1;
		if ((*out)->status == ROUTING_OK || (*out)->status == ROUTING_AT_RISK)
			return 0;
		routing_quote_free(*out);
		*out = NULL;
	}
	return routing_quote(net, req, out);
}

/* The sort code printed on the label (see the top of this file). */
static void sort_code_of(const struct routing_quote *rq, char out[WMS_LABEL_SORT_CODE_MAX + 1])
{
	const char *zone = rq->zone ? rq->zone : "";
	const char *leg = rq->options[0].legs[0].leg_id;
	if (zone[0] && strlen(zone) <= WMS_LABEL_SORT_CODE_MAX)
		snprintf(out, WMS_LABEL_SORT_CODE_MAX + 1, "%s", zone);
	else if (strlen(leg) <= WMS_LABEL_SORT_CODE_MAX)
		snprintf(out, WMS_LABEL_SORT_CODE_MAX + 1, "%s", leg);
	else
		snprintf(out, WMS_LABEL_SORT_CODE_MAX + 1, "%.*s", WMS_LABEL_SORT_CODE_MAX,
		         zone[0] ? zone : leg);
}

/* The tracking number from the series entry se of the chosen carrier service, and the
 * label with it, into q and its parameters. A series that is missing or used up leaves the
 * three parameters NULL: package_close() answers that case (one home for it). Returns 0, or
 * -1 after answering (a series or label this code cannot make: 500, logged). */
static int number_and_label(struct api_req *r, struct close_req *q, const cJSON *in,
                            const cJSON *se)
{
	const cJSON *wh = at(in, "warehouse"), *ord = at(in, "order");
	const cJSON *dest = at(ord, "destination");
	char err[160];
	if (!se || !cJSON_IsNumber(at(se, "next_serial")) ||
	    cJSON_GetNumberValue(at(se, "next_serial")) > cJSON_GetNumberValue(at(se, "last_serial")))
		return 0;
	if (tracking_number_or_reply(r, se, q->carrier, q->service, q->tracking, sizeof q->tracking,
	                             q->serial) != 0)
		return -1;
	const char *client_id = str_at(ord, "client_order_id");
	const char *order_ref = client_id && strlen(client_id) <= WMS_LABEL_ORDER_REF_MAX
	                            ? client_id : str_at(ord, "id");
	const char *carrier_name = str_at(se, "carrier_name");
	struct wms_label label = {
		.from_name = str_at(wh, "name"),
		.from_country = str_at(wh, "country"),
		.to = {.name = str_at(dest, "name"),
		       .lines = {str_at(dest, "address")},
		       .postal_code = str_at(dest, "postal_code"),
		       .city = str_at(dest, "city"),
		       .country = str_at(dest, "country")},
		.carrier = carrier_name ? carrier_name : q->carrier,
		.service = q->service,
		.tracking = q->tracking,
		.sort_code = q->sort_code,
		.order_ref = order_ref,
		.weight_g = q->weight_g,
		.data_2d = q->p[C_PACKAGE],
	};
	if (wms_label_render(&label, q->label, sizeof q->label, NULL, err, sizeof err) != 0) {
		log_error("request id=%s label of package %s: %s", api_req_id(r), q->p[C_PACKAGE], err);
		api_reply_problem(r, PROBLEM_INTERNAL, "the label cannot be made: %s", err);
		return -1;
	}
	q->p[C_SERIAL] = q->serial;
	q->p[C_TRACKING] = q->tracking;
	q->p[C_LABEL] = q->label;
	return 0;
}

/* Quotes the parcel described by in (package_close_input's body) and fills q's parameters
 * for package_close(). Returns 0, or -1 after answering (503 without a network, 422 when
 * the parcel cannot be routed). */
static int decide(struct api_req *r, struct close_req *q, const cJSON *in)
{
	const cJSON *pkg = at(in, "package"), *ord = at(in, "order"), *wh = at(in, "warehouse");
	const cJSON *route = at(ord, "route");
	struct network_snapshot *s = network_current(api_req_app(r));
	struct network_promise stored;
	struct routing_quote *rq = NULL;
	int rc = -1;
	if (!s) {
		api_reply_problem(r, PROBLEM_NETWORK_NOT_LOADED,
		                  "the lane network is not loaded yet: packages cannot be routed");
		return -1;
	}
	struct routing_request req = {.origin = str_at(wh, "code"),
	                              .ready_at = api_req_now_us(r) / INSTANT_US,
	                              .country = str_at(ord, "country"),
	                              .postal_code = str_at(ord, "postal_code")};
	req.parcel.weight_g = q->weight_g;
	for (int i = 0; i < 3; i++)
		req.parcel.dims_mm[i] = (int32_t)cJSON_GetNumberValue(
			cJSON_GetArrayItem(at(pkg, "dims_mm"), i));
	if (!req.origin || !req.country) {
		api_reply_problem(r, PROBLEM_INTERNAL, "package_close_input answered no origin or country");
		return -1;
	}
	const struct network_promise *pr = promise_of(s, req.origin, req.country, route, &stored);
	if (!pr) {
		api_reply_problem(r, PROBLEM_NO_PROMISE, "no promise target from %s to %s", req.origin,
		                  req.country);
		return -1;
	}
	req.target = pr->target_bp / 10000.0;
	if (cJSON_IsNumber(at(ord, "deadline"))) {
		req.deadline = (int64_t)cJSON_GetNumberValue(at(ord, "deadline"));
	} else {
		const char *zone = routing_network_find_zone(s->net, req.country, req.postal_code);
		if (!zone || network_snapshot_deadline(s, zone, req.ready_at, pr->days, &req.deadline)) {
			api_reply_problem(r, PROBLEM_NO_PROMISE, "no promise deadline for %s", req.country);
			return -1;
		}
	}

	if (route_choose(s->net, &req, route, &rq) != 0) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return -1;
	}
	if (rq->status != ROUTING_OK && rq->status != ROUTING_AT_RISK) {
		size_t len = 0;
		char *text = quote_json_problem(rq, &len);
		if (text)
			api_reply_take(r, 422, "application/problem+json", text, len);
		else
			api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		goto done;
	}
	const struct routing_option *o = &rq->options[0];
	char key[96];
	snprintf(q->carrier, sizeof q->carrier, "%s", o->legs[0].carrier);
	snprintf(q->service, sizeof q->service, "%s", o->legs[0].service);
	snprintf(q->chargeable, sizeof q->chargeable, "%d", (int)o->legs[0].chargeable_g);
	snprintf(q->cost, sizeof q->cost, "%lld", (long long)o->cost_minor);
	snprintf(q->currency, sizeof q->currency, "%s", rq->currency);
	sort_code_of(rq, q->sort_code);
	free(q->route);
	q->route = quote_json_route(&req, rq, pr);
	if (!q->route) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		goto done;
	}
	q->p[C_CARRIER] = q->carrier;
	q->p[C_SERVICE] = q->service;
	q->p[C_CHARGEABLE] = q->chargeable;
	q->p[C_SORT] = q->sort_code;
	q->p[C_ROUTE] = q->route;
	q->p[C_COST] = q->cost;
	q->p[C_CURRENCY] = q->currency;
	q->p[C_SERIAL] = q->p[C_TRACKING] = q->p[C_LABEL] = NULL;
	snprintf(key, sizeof key, "%s/%s", q->carrier, q->service);
	rc = number_and_label(r, q, in, at(at(in, "series"), key));
done:
	routing_quote_free(rq);
	return rc;
}

static void read_input(struct api_req *r, struct close_req *q);

/* package_close()'s answer; a serial another close took first begins the close again. */
static void on_closed(struct api_req *r, const struct db_reply *rep)
{
	struct close_req *q = api_req_state(r);
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate &&
	    strcmp(rep->sqlstate, SERIAL_TAKEN_SQLSTATE) == 0) {
		if (++q->attempts < CLOSE_ATTEMPTS) {
			read_input(r, q);
			return;
		}
		api_reply_problem(r, PROBLEM_OVERLOADED, "other closes kept taking the tracking serial "
		                  "of %s %s first; retry", q->carrier, q->service);
		return;
	}
	scan_answer(r, rep);
}

/* package_close_input()'s answer: not closable (its problem), or decide and close. */
static void on_input(struct api_req *r, const struct db_reply *rep)
{
	struct close_req *q = api_req_state(r);
	const char *outcome = rep->outcome == DB_OK && PQntuples(rep->res) == 1
	                          ? db_value(rep->res, 0, "outcome") : NULL;
	if (!outcome || strcmp(outcome, "ok") != 0) {
		scan_answer(r, rep);
		return;
	}
	cJSON *in = cJSON_Parse(db_value(rep->res, 0, "body"));
	if (!in) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	int rc = decide(r, q, in);
	cJSON_Delete(in);
	if (rc == 0)
		scan_run_with(r, &q->ctx, &stmt_close, C_NPARAMS, q->p, on_closed);
}

/* Statement 1 (again, after a lost serial: no retry of the earlier statement is left). */
static void read_input(struct api_req *r, struct close_req *q)
{
	q->ctx.stmt = NULL;
	q->ctx.retried = false;
	api_query_or_reply(r, &stmt_input, 3, q->p, on_input);
}

void h_package_close(struct api_req *r)
{
	static const char *const fields[] = {"weight_g", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	long long weight = 0;
	jsonv_no_unknown(&v, b, "", fields);
	(void)jsonv_int(&v, b, "weight_g", true, 1, 1000000, &weight);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such package (packages are closed by their "
		                  "id)");
		return;
	}
	struct close_req *q = api_req_new_state_or_reply(r, sizeof *q, close_req_free);
	if (!q)
		return;
	if (wms_order_allowed_pg_array(WMS_ORDER_DO_PACK, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	q->weight_g = (int32_t)weight;
	snprintf(q->weight, sizeof q->weight, "%lld", weight);
	q->p[C_WAREHOUSE] = api_scope_warehouse(r);
	q->p[C_PACKAGE] = id;
	q->p[C_ALLOWED] = q->allowed;
	q->p[C_TARGET] = wms_order_state_name(wms_order_target(WMS_ORDER_DO_PACK));
	q->p[C_WEIGHT] = q->weight;
	q->p[C_NOW] = api_req_now_text(r);
	read_input(r, q);
}
