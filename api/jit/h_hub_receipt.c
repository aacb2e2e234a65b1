/* h_hub_receipt.c — POST /v1/hub/receipt-scans (staff of a consolidation hub): a JIT parcel
 * arrives at the hub. The barcode is the task label's Code 128 (the tracking number; an AIM
 * prefix such as "]C0" is dropped, the check digit verified) or its Data Matrix (the task's
 * id); when the label cannot be read, `order` names the order (its id or client_order_id)
 * instead. Without `exception` the parcel is received; with one ({reason, found, note}) it is
 * recorded as an exception with what was expected.
 *
 * One call of jit_receipt_scan() (sql/functions/jit_receipt_scan.sql), exactly once by
 * scan_id. A receipt after the task's hand-over deadline is late: the function refuses it
 * with SQLSTATE REQUOTE_SQLSTATE and the order's destination, promise deadline and units as
 * the error's detail, having written nothing; the route is quoted again here from the hub, ready now, against the order's
 * promise deadline, and the scan runs once more with the re-quote, which it stores (the task
 * is at risk when the re-quoted route misses the target). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/network/network_load.h"
#include "api/network/quote_json.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "routing/quote.h"
#include "wms/jit.h"
#include "wms/order.h"
#include "wms/tracking.h"

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
	char ref[65];
	char *requote;
	const char *p[NPARAMS];
};

static void receipt_req_free(void *arg)
{
	struct receipt_req *q = arg;
	free(q->requote);
	free(q);
}

/* Reads `barcode` (a task id or a tracking number) or `order` (an order id or a
 * client_order_id) into *task or *ref. */
static void read_target(struct jsonv *v, const cJSON *b, struct receipt_req *q,
                        const char **task, const char **ref)
{
	struct wms_tracking t;
	char err[120];
	bool has_barcode = cJSON_GetObjectItem(b, "barcode") != NULL;
	bool has_order = cJSON_GetObjectItem(b, "order") != NULL;
	if (has_barcode == has_order) {
		jsonv_error(v, has_barcode ? "order" : "barcode", has_barcode ? "conflict" : "required",
		            "give the label's barcode, or the order when the label cannot be read "
		            "(exactly one of them)");
		return;
	}
	const char *raw = jsonv_string(v, b, has_barcode ? "barcode" : "order", true, 1, 64);
	if (!raw)
		return;
	if (has_barcode && raw[0] == ']' && raw[1] && raw[2])
		raw += 3; /* an AIM symbology identifier */
	snprintf(q->ref, sizeof q->ref, "%s", raw);
	if (jsonv_is_uuid(q->ref))
		*task = q->ref;
	else if (!has_barcode || wms_tracking_parse(q->ref, &t, err, sizeof err) == 0)
		*ref = q->ref;
	else
		jsonv_error(v, "barcode", "format",
		            "barcode is neither a task id nor a tracking number: %s", err);
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
	read_target(&v, b, q, &task, &ref);
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
