/* h_order_transitions.c — the platform's state changes of an order: cancel (on the buyer's
 * behalf, before picking starts: the reservation goes back to stock and the escrow is
 * refunded), hold with a reason (a held order is not picked) and release-hold (back to the
 * state it was held in). The table of what is allowed from where is wms/order.h's; one call
 * of order_transition() (sql/functions/order_transition.sql) applies it. */
#include <stdio.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/order.h"

/* $1 order id, $2 seller scope, $3 action, $4 allowed states, $5 target, $6 reason, $7 now. */
DB_STMT(stmt_transition) = {
	"order_transition",
	"SELECT " SCAN_COLUMNS " FROM order_transition($1::uuid, $2::uuid, $3, $4::text[], $5, $6,"
	" $7::timestamptz)"};

struct transition_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char allowed[96];
	const char *p[7];
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

/* Runs act on the order {id} with reason (may be NULL). */
static void transition(struct api_req *r, enum wms_order_action act, const char *reason,
                       scan_detail_fn *detail)
{
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such order (orders are named by their id "
		                  "here)");
		return;
	}
	struct transition_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	if (wms_order_allowed_pg_array(act, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	enum wms_order_state target = wms_order_target(act);
	q->p[0] = id;
	q->p[1] = api_scope_seller(r);
	q->p[2] = wms_order_action_name(act);
	q->p[3] = q->allowed;
	q->p[4] = act == WMS_ORDER_DO_RELEASE_HOLD ? NULL : wms_order_state_name(target);
	q->p[5] = reason;
	q->p[6] = api_req_now_text(r);
	q->ctx.detail_fn = detail;
	scan_run(r, &q->ctx, &stmt_transition, 7, q->p);
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
