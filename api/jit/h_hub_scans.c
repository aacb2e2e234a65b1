/* h_hub_scans.c — the scans of a consolidation hub's staff, each exactly once by scan_id:
 *
 * POST /v1/hub/receipt-scans: a JIT parcel arrives. The barcode is the task label's Code 128
 * (the tracking number; an AIM prefix such as "]C0" is dropped, the check digit verified) or
 * its Data Matrix (the task's id); when the label cannot be read, `order` names the order
 * (its id or client_order_id) instead (jit_refs.h). Without `exception` the parcel is
 * received; with one ({reason, found, note}) it is recorded as an exception with what was
 * expected. One call of jit_receipt_scan() (sql/functions/jit_receipt_scan.sql). A receipt
 * after the task's hand-over deadline is late: the function refuses it with SQLSTATE
 * REQUOTE_SQLSTATE and the order's destination, promise deadline and units as the error's
 * detail, having written nothing; the route is quoted again here from the hub, ready now,
 * against the order's promise deadline, and the scan runs once more with the re-quote, which
 * it stores (the task is at risk when the re-quoted route misses the target).
 *
 * POST /v1/hub/bag-scans: a received parcel into an open bag (jit_bag_scan()).
 * POST /v1/hub/linehaul-scans: a closed bag handed to the line-haul: every parcel in it, and
 * its order, is shipped (jit_linehaul_scan(), sql/functions/jit_hub.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/jit/jit_refs.h"
#include "api/network/network_load.h"
#include "api/network/quote_json.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "routing/quote.h"
#include "wms/jit.h"
#include "wms/order.h"

/* A late receipt the function wants re-quoted first (sql/functions/jit_receipt_scan.sql). */
#define REQUOTE_SQLSTATE "WS006"

/* jit_receipt_scan(hub, scan_id, key, hash, task, ref, exception, found, note, receive
 * allowed, receive target, reject allowed, reject target, requote, now). */
DB_STMT(stmt_receipt) = {
	"jit_receipt_scan",
	"SELECT " SCAN_COLUMNS " FROM jit_receipt_scan($1::uuid, $2::uuid, $3::uuid, $4,"
	" $5::uuid, $6, $7, $8, $9, $10::text[], $11, $12::text[], $13, $14::jsonb,"
	" $15::timestamptz)"};

enum { P_HUB, P_SCAN, P_KEY, P_HASH, P_TASK, P_REF, P_EXCEPTION, P_FOUND, P_NOTE,
       P_RCV_ALLOWED, P_RCV_TARGET, P_REJ_ALLOWED, P_REJ_TARGET, P_REQUOTE, P_NOW, NPARAMS };

struct receipt_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char hash[65];
	char rcv_allowed[128], rej_allowed[160];
	char ref[JIT_REF_MAX];
	char *requote;
	const char *p[NPARAMS];
};

static void receipt_req_free(void *arg)
{
	struct receipt_req *q = arg;
	free(q->requote);
	free(q);
}

/* Reads the optional `exception` {reason, found, note}. */
static void read_exception(struct jsonv *v, const cJSON *b, const char **reason,
                           const char **found, const char **note)
{
	static const char *const fields[] = {"reason", "found", "note", NULL};
	const char *reasons[WMS_JIT_EXCEPTION_COUNT + 1] = {NULL};
	struct jsonv sub = JSONV_INIT;
	for (int i = 0; i < WMS_JIT_EXCEPTION_COUNT; i++)
		reasons[i] = wms_jit_exception_name((enum wms_jit_exception)i);
	const cJSON *e = jsonv_object(v, b, "exception", false);
	if (!e)
		return;
	jsonv_no_unknown(&sub, e, "", fields);
	int k = jsonv_enum(&sub, e, "reason", true, reasons);
	*reason = k >= 0 ? reasons[k] : NULL;
	*found = jsonv_string(&sub, e, "found", false, 1, 200);
	*note = jsonv_string(&sub, e, "note", false, 1, 200);
	jsonv_merge(v, &sub, "exception.");
}

/* The re-quote of a late parcel from the function's refusal's detail, as JSON text (malloc'd;
 * NULL when out of memory): {quoted_at, status, at_risk, p_on_time, deadline, route} or, when
 * the route cannot be quoted, {quoted_at, status, at_risk: true, detail}. */
static char *requote_json(struct api_req *r, const cJSON *in)
{
	struct network_snapshot *s = network_current(api_req_app(r));
	const char *hub = cJSON_GetStringValue(cJSON_GetObjectItem(in, "hub"));
	const char *country = cJSON_GetStringValue(cJSON_GetObjectItem(in, "country"));
	const char *due = cJSON_GetStringValue(cJSON_GetObjectItem(in, "promise_deadline"));
	struct wms_order_units units[100];
	size_t n = 0;
	const cJSON *u;
	cJSON_ArrayForEach(u, cJSON_GetObjectItem(in, "units")) {
		if (n == sizeof units / sizeof units[0])
			break;
		units[n].qty = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(u, "qty"));
		units[n].weight_g = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(u, "weight_g"));
		units[n].dims_mm[0] = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(u, "length_mm"));
		units[n].dims_mm[1] = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(u, "width_mm"));
		units[n].dims_mm[2] = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(u, "height_mm"));
		n++;
	}
	int64_t now = api_req_now_us(r) / INSTANT_US, deadline_us = 0;
	struct routing_request req = {.origin = hub, .ready_at = now, .country = country,
	                              .postal_code = cJSON_GetStringValue(cJSON_GetObjectItem(in, "postal_code"))};
	const struct network_promise *pr = s && hub && country ? network_snapshot_promise(s, hub, country) : NULL;
	struct routing_quote *rq = NULL;
	char *route = NULL, *text = NULL;
	cJSON *o = cJSON_CreateObject();
	char ts[INSTANT_TEXT];
	instant_format(now * INSTANT_US, ts);
	cJSON_AddStringToObject(o, "quoted_at", ts);
	const char *why = NULL;
	if (!s)
		why = "the lane network is not loaded";
	else if (!pr)
		why = "no promise target from the hub to the destination country";
	else if (!due || instant_parse(due, false, &deadline_us) != 0)
		why = "the order has no promise deadline";
	else if (wms_order_parcel(units, n, &req.parcel.weight_g, req.parcel.dims_mm) != 0)
		why = "the order's units make no parcel";
	if (!why) {
		req.deadline = deadline_us / INSTANT_US;
		req.target = pr->target_bp / 10000.0;
		if (routing_quote(s->net, &req, &rq) != 0)
			goto done;
		if (rq->status == ROUTING_OK || rq->status == ROUTING_AT_RISK) {
			cJSON_AddStringToObject(o, "status", routing_status_name(rq->status));
			cJSON_AddBoolToObject(o, "at_risk", rq->status != ROUTING_OK);
			cJSON_AddNumberToObject(o, "p_on_time", rq->options[0].p_on_time);
			cJSON_AddStringToObject(o, "deadline", due);
			route = quote_json_route(&req, rq, pr);
			if (!route)
				goto done;
			cJSON_AddRawToObject(o, "route", route);
		} else {
			why = rq->detail;
		}
	}
	if (why) {
		cJSON_AddStringToObject(o, "status", "not_quoted");
		cJSON_AddBoolToObject(o, "at_risk", true);
		cJSON_AddStringToObject(o, "detail", why);
	}
	text = cJSON_PrintUnformatted(o);
done:
	routing_quote_free(rq);
	free(route);
	cJSON_Delete(o);
	return text;
}

/* The scan's answer; a late receipt is quoted and the scan runs once more. */
static void on_scanned(struct api_req *r, const struct db_reply *rep)
{
	struct receipt_req *q = api_req_state(r);
	if (rep->outcome != DB_SQL_ERROR || !rep->sqlstate ||
	    strcmp(rep->sqlstate, REQUOTE_SQLSTATE) != 0 || q->requote || !rep->detail) {
		scan_answer(r, rep);
		return;
	}
	cJSON *in = cJSON_Parse(rep->detail);
	q->requote = in ? requote_json(r, in) : NULL;
	cJSON_Delete(in);
	if (!q->requote) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	q->p[P_REQUOTE] = q->requote;
	q->ctx.stmt = NULL;
	q->ctx.retried = false;
	scan_run_with(r, &q->ctx, &stmt_receipt, NPARAMS, q->p, on_scanned);
}

void h_hub_receipt_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "barcode", "order", "exception", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	const char *task = NULL, *ref = NULL, *reason = NULL, *found = NULL, *note = NULL;
	struct receipt_req *q = api_req_new_state_or_reply(r, sizeof *q, receipt_req_free);
	if (!q)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	const char *scan_id = scan_id_read(&v, b);
	jit_parcel_ref_read(&v, b, q->ref, &task, &ref);
	read_exception(&v, b, &reason, &found, &note);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_RECEIVE, q->rcv_allowed, sizeof q->rcv_allowed) != 0 ||
	    wms_jit_allowed_pg_array(WMS_JIT_DO_REJECT, q->rej_allowed, sizeof q->rej_allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	const char **p = q->p;
	p[P_HUB] = api_scope_warehouse(r);
	p[P_SCAN] = scan_id;
	p[P_KEY] = api_req_principal(r)->key_id;
	p[P_TASK] = task;
	p[P_REF] = ref;
	p[P_EXCEPTION] = reason;
	p[P_FOUND] = found;
	p[P_NOTE] = note;
	scan_request_hash("hub_receipt", p + P_TASK, P_RCV_ALLOWED - P_TASK, q->hash);
	p[P_HASH] = q->hash;
	p[P_RCV_ALLOWED] = q->rcv_allowed;
	p[P_RCV_TARGET] = wms_jit_state_name(wms_jit_target(WMS_JIT_DO_RECEIVE));
	p[P_REJ_ALLOWED] = q->rej_allowed;
	p[P_REJ_TARGET] = wms_jit_state_name(wms_jit_target(WMS_JIT_DO_REJECT));
	p[P_REQUOTE] = NULL;
	p[P_NOW] = api_req_now_text(r);
	scan_run_with(r, &q->ctx, &stmt_receipt, NPARAMS, p, on_scanned);
}

/* --- consolidation and line-haul ----------------------------------------------------- */

DB_STMT(stmt_bag_scan) = {
	"jit_bag_scan",
	"SELECT " SCAN_COLUMNS " FROM jit_bag_scan($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid, $6,"
	" $7::uuid, $8, $9::text[], $10, $11::timestamptz)"};

DB_STMT(stmt_linehaul) = {
	"jit_linehaul_scan",
	"SELECT " SCAN_COLUMNS " FROM jit_linehaul_scan($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid,"
	" $6, $7::text[], $8, $9::text[], $10, $11::timestamptz)"};

struct bag_scan_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char hash[65];
	char allowed[128], order_allowed[128];
	char bag[JIT_REF_MAX], parcel[JIT_REF_MAX];
};

enum { B_HUB, B_SCAN, B_KEY, B_HASH, B_BAG, B_SSCC, B_TASK, B_REF, B_ALLOWED, B_TARGET, B_NOW,
       B_NPARAMS };

void h_hub_bag_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "bag", "barcode", "order", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	const char *p[B_NPARAMS] = {NULL};
	struct bag_scan_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	p[B_SCAN] = scan_id_read(&v, b);
	jit_bag_ref_read(&v, b, "bag", q->bag, &p[B_BAG], &p[B_SSCC]);
	jit_parcel_ref_read(&v, b, q->parcel, &p[B_TASK], &p[B_REF]);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_CONSOLIDATE, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	p[B_HUB] = api_scope_warehouse(r);
	p[B_KEY] = api_req_principal(r)->key_id;
	scan_request_hash("bag", p + B_BAG, B_ALLOWED - B_BAG, q->hash);
	p[B_HASH] = q->hash;
	p[B_ALLOWED] = q->allowed;
	p[B_TARGET] = wms_jit_state_name(wms_jit_target(WMS_JIT_DO_CONSOLIDATE));
	p[B_NOW] = api_req_now_text(r);
	scan_run(r, &q->ctx, &stmt_bag_scan, B_NPARAMS, p);
}

enum { L_HUB, L_SCAN, L_KEY, L_HASH, L_BAG, L_SSCC, L_ALLOWED, L_TARGET, L_ORDER_ALLOWED,
       L_ORDER_TARGET, L_NOW, L_NPARAMS };

void h_hub_linehaul_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "bag", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	const char *p[L_NPARAMS] = {NULL};
	struct bag_scan_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	p[L_SCAN] = scan_id_read(&v, b);
	jit_bag_ref_read(&v, b, "bag", q->bag, &p[L_BAG], &p[L_SSCC]);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_SHIP, q->allowed, sizeof q->allowed) != 0 ||
	    wms_order_allowed_pg_array(WMS_ORDER_DO_SHIP_FROM_HUB, q->order_allowed,
	                               sizeof q->order_allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	p[L_HUB] = api_scope_warehouse(r);
	p[L_KEY] = api_req_principal(r)->key_id;
	scan_request_hash("linehaul", p + L_BAG, L_ALLOWED - L_BAG, q->hash);
	p[L_HASH] = q->hash;
	p[L_ALLOWED] = q->allowed;
	p[L_TARGET] = wms_jit_state_name(wms_jit_target(WMS_JIT_DO_SHIP));
	p[L_ORDER_ALLOWED] = q->order_allowed;
	p[L_ORDER_TARGET] = wms_order_state_name(wms_order_target(WMS_ORDER_DO_SHIP_FROM_HUB));
	p[L_NOW] = api_req_now_text(r);
	scan_run(r, &q->ctx, &stmt_linehaul, L_NPARAMS, p);
}
