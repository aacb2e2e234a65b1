/* h_order_transitions.c — the state changes of an order that need no scan: the platform's
 * cancel (on the buyer's behalf, before picking starts: the reservation goes back to stock
 * and the escrow is refunded), hold with a reason (a held order is not picked) and
 * release-hold (back to the state it was held in), each one call of order_transition()
 * (sql/functions/order_transition.sql); and the seller's own shipment of a pop order with its
 * carrier and tracking number, one call of order_seller_shipment(). The table of what is
 * allowed from where is wms/order.h's. */
#include <stdio.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/jit.h"
#include "wms/order.h"

/* $1 order id, $2 seller scope, $3 action, $4 allowed states, $5 target, $6 reason, $7 now,
 * $8 the JIT task states a semi_jit order's cancel may end (wms/jit.h cancel). */
DB_STMT(stmt_transition) = {
	"order_transition",
	"SELECT " SCAN_COLUMNS " FROM order_transition($1::uuid, $2::uuid, $3, $4::text[], $5, $6,"
	" $7::timestamptz, $8::text[])"};

/* $1 order id, $2 seller scope, $3 modes the seller ships, $4 allowed states, $5 target,
 * $6 carrier, $7 tracking number, $8 now. */
DB_STMT(stmt_seller_shipment) = {
	"order_seller_shipment",
	"SELECT " SCAN_COLUMNS " FROM order_seller_shipment($1::uuid, $2::uuid, $3::text[],"
	" $4::text[], $5, $6, $7, $8::timestamptz)"};

struct transition_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char allowed[96];
	char task_allowed[128];
	const char *p[8];
};

/* "order is picking; cancel is allowed from created, allocated, on_hold" for a wrong-state
 * answer about action act. */
static void wrong_state(enum wms_order_action act, const char *problem, const cJSON *body,
                        char *buf, size_t len)
{
	char allowed[160];
	const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "state"));
	if (strcmp(problem, "wrong-state") != 0 || !state)
		return;
	wms_order_allowed_text(act, allowed, sizeof allowed);
	snprintf(buf, len, "order is %s; %s", state, allowed);
}

static void cancel_detail(const char *problem, const cJSON *body, char *buf, size_t len)
{
	wrong_state(WMS_ORDER_DO_CANCEL, problem, body, buf, len);
}

static void hold_detail(const char *problem, const cJSON *body, char *buf, size_t len)
{
	wrong_state(WMS_ORDER_DO_HOLD, problem, body, buf, len);
}

static void release_detail(const char *problem, const cJSON *body, char *buf, size_t len)
{
	wrong_state(WMS_ORDER_DO_RELEASE_HOLD, problem, body, buf, len);
}

/* "order is semi_warehouse: the warehouse ships it; …" for the seller's shipment of an order
 * of another mode, else the wrong-state sentence. */
static void seller_shipment_detail(const char *problem, const cJSON *body, char *buf, size_t len)
{
	const char *mode = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "mode"));
	if (strcmp(problem, "wrong-mode") == 0 && mode)
		snprintf(buf, len, "order is %s: the warehouse ships it; the seller ships only the "
		         "orders no warehouse stocks (%s)", mode, WMS_ORDER_SELLER_SHIPS);
	else
		wrong_state(WMS_ORDER_DO_SHIP_BY_SELLER, problem, body, buf, len);
}

/* The state of a transition of the order {id} with act's allowed states, or NULL after
 * answering (404 for an {id} that is no order id, 503 out of memory, 500). */
static struct transition_req *transition_new(struct api_req *r, enum wms_order_action act)
{
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such order (orders are named by their id "
		                  "here)");
		return NULL;
	}
	struct transition_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return NULL;
	if (wms_order_allowed_pg_array(act, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return NULL;
	}
	q->p[0] = id;
	q->p[1] = api_scope_seller(r);
	return q;
}

/* Runs act on the order {id} with reason (may be NULL). */
static void transition(struct api_req *r, enum wms_order_action act, const char *reason,
                       scan_detail_fn *detail)
{
	struct transition_req *q = transition_new(r, act);
	if (!q)
		return;
	enum wms_order_state target = wms_order_target(act);
	q->p[2] = wms_order_action_name(act);
	q->p[3] = q->allowed;
	q->p[4] = act == WMS_ORDER_DO_RELEASE_HOLD ? NULL : wms_order_state_name(target);
	q->p[5] = reason;
	q->p[6] = api_req_now_text(r);
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_CANCEL, q->task_allowed, sizeof q->task_allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	q->p[7] = q->task_allowed;
	q->ctx.detail_fn = detail;
	scan_run(r, &q->ctx, &stmt_transition, 8, q->p);
}

/* The body {reason}: required (hold) or optional (cancel), 1..200 characters. Returns it, or
 * NULL — after answering 422 when *bad is set. */
static const char *reason_read(struct api_req *r, bool required, bool *bad)
{
	static const char *const allowed[] = {"reason", NULL};
	struct jsonv v = JSONV_INIT;
	const cJSON *b = api_req_body(r);
	jsonv_no_unknown(&v, b, "", allowed);
	const char *reason = jsonv_string(&v, b, "reason", required, 1, 200);
	*bad = api_valid_or_reply(r, &v) != 0;
	return reason;
}

void h_order_cancel(struct api_req *r)
{
	bool bad;
	const char *reason = reason_read(r, false, &bad);
	if (!bad)
		transition(r, WMS_ORDER_DO_CANCEL, reason, cancel_detail);
}

void h_order_hold(struct api_req *r)
{
	bool bad;
	const char *reason = reason_read(r, true, &bad);
	if (!bad)
		transition(r, WMS_ORDER_DO_HOLD, reason, hold_detail);
}

void h_order_release_hold(struct api_req *r)
{
	static const char *const none[] = {NULL};
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, api_req_body(r), "", none);
	if (api_valid_or_reply(r, &v) == 0)
		transition(r, WMS_ORDER_DO_RELEASE_HOLD, NULL, release_detail);
}

/* POST /v1/orders/{id}/seller-shipment {carrier, tracking_number} (the order's seller,
 * admin): a pop order the seller shipped itself, created → shipped with the carrier (1..64
 * characters) and tracking number (wms_order_tracking_check) and the time. Another seller's
 * order is 404; an order the warehouse ships is 409 wrong-mode; another state 409
 * wrong-state with the state and what it was shipped with (a repeat too). */
void h_order_seller_shipment(struct api_req *r)
{
	static const char *const allowed[] = {"carrier", "tracking_number", NULL};
	struct jsonv v = JSONV_INIT;
	const cJSON *b = api_req_body(r);
	char err[128];
	jsonv_no_unknown(&v, b, "", allowed);
	const char *carrier = jsonv_string(&v, b, "carrier", true, 1, 64);
	const char *tracking = jsonv_string(&v, b, "tracking_number", true, 1, 64);
	if (tracking && wms_order_tracking_check(tracking, err, sizeof err) != 0)
		jsonv_error(&v, "tracking_number", "format", "%s", err);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	struct transition_req *q = transition_new(r, WMS_ORDER_DO_SHIP_BY_SELLER);
	if (!q)
		return;
	q->p[2] = WMS_ORDER_SELLER_SHIPS;
	q->p[3] = q->allowed;
	q->p[4] = wms_order_state_name(wms_order_target(WMS_ORDER_DO_SHIP_BY_SELLER));
	q->p[5] = carrier;
	q->p[6] = tracking;
	q->p[7] = api_req_now_text(r);
	q->ctx.detail_fn = seller_shipment_detail;
	scan_run(r, &q->ctx, &stmt_seller_shipment, 8, q->p);
}
