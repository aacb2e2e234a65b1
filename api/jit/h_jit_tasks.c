/* h_jit_tasks.c — JIT tasks: the list (a seller its own, hub staff their hub's, admin and
 * platform all; by state, newest first or most urgent first), one task, and its label.
 *
 * The label (POST /v1/jit-tasks/{id}/label, the task's seller or an admin) is made once, on
 * the first print: the platform's tracking number from the series of the route's first leg
 * out of the hub (wms_tracking_make), a ZPL label (wms_label_render) from the seller to the
 * buyer with that number, the hub's code as the sort code (what the first-mile carrier and
 * the hub's dock sort on) and the task's id as the Data Matrix; stored with the task, which
 * goes created → label_printed (wms/jit.h print_label). A later print answers the stored
 * label. Two statements: jit_label_input(), then C decides, then jit_label_store(), which
 * takes the serial only if no other label or package close took it first (then it reads
 * again).
 *
 * Overdue (POST /v1/jit-tasks/overdue-sweep, platform and admin): see h_jit_overdue_sweep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/outbound/tracking_number.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/jit.h"
#include "wms/label.h"
#include "wms/order.h"
#include "wms/tracking.h"

#define JIT_LABEL_TYPE "application/zpl"
#define SERIAL_TAKEN_SQLSTATE "WS004"
#define LABEL_REFUSED_SQLSTATE "WS005"
#define LABEL_ATTEMPTS 5

/* $1 the task's (or its order's) id or $4 a client_order_id or tracking number; $2 hub
 * scope, $3 seller scope. */
DB_STMT(stmt_get) = {
	"jit_task_get",
	"SELECT d::text FROM jit_task_find($1::uuid, $4, $2::uuid, $3::uuid) AS d"
	" WHERE d IS NOT NULL"};

/* $1 limit, $2/$3 cursor, $4 hub scope, $5 seller scope, $6 state, $7 hub code, $8 by
 * deadline. */
DB_STMT(stmt_list) = {
	"jit_task_list",
	"SELECT jit_task_page($1::int, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7, $8::boolean)"};

/* $1 id, $2 reference text, $3 hub scope, $4 seller scope. */
DB_STMT(stmt_label_input) = {
	"jit_label_input",
	"SELECT outcome, detail, body::text AS body FROM jit_label_input($1::uuid, $2, $3::uuid,"
	" $4::uuid)"};

/* jit_label_store(hub, task, allowed, target, carrier, service, serial, tracking, sort code,
 * label, now). */
DB_STMT(stmt_label_store) = {
	"jit_label_store",
	"SELECT jit_label_store($1::uuid, $2::uuid, $3::text[], $4, $5, $6, $7::bigint, $8, $9,"
	" $10, $11::timestamptz) AS label"};

/* The {id} path parameter as (uuid or NULL, text or NULL). */
static void task_ref(struct api_req *r, const char *ref[2])
{
	const char *id = api_req_param(r, "id");
	bool uuid = id && jsonv_is_uuid(id);
	ref[0] = uuid ? id : NULL;
	ref[1] = uuid ? NULL : id;
}

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such JIT task");
}

void h_jit_task_get(struct api_req *r)
{
	const char *ref[2];
	task_ref(r, ref);
	const char *p[] = {ref[0], api_scope_warehouse(r), api_scope_seller(r), ref[1]};
	api_query_or_reply(r, &stmt_get, 4, p, on_found);
}

static void on_list(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no answer");
}

/* Filters: ?state=, ?hub= (code), ?sort=deadline (most urgent first; default newest first). */
void h_jit_task_list(struct api_req *r)
{
	struct api_page pg;
	enum wms_jit_state st;
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *state = api_req_query(r, "state"), *sort = api_req_query(r, "sort");
	if (state && wms_jit_state_parse(state, &st) != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "state must be one of created, label_printed, "
		                  "bound, in_transit_to_hub, received_at_hub, consolidated, shipped, "
		                  "overdue, exception, cancelled");
		return;
	}
	if (sort && strcmp(sort, "deadline") != 0 && strcmp(sort, "created") != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "sort must be deadline (most urgent first) or "
		                  "created (newest first, the default)");
		return;
	}
	const char *by_deadline = sort && strcmp(sort, "deadline") == 0 ? "true" : "false";
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id, api_scope_warehouse(r),
	                   api_scope_seller(r), state, api_req_query(r, "hub"), by_deadline};
	api_query_or_reply(r, &stmt_list, 8, p, on_list);
}

/* --- the label ------------------------------------------------------------------------- */

enum { L_HUB, L_TASK, L_ALLOWED, L_TARGET, L_CARRIER, L_SERVICE, L_SERIAL, L_TRACKING, L_SORT,
       L_LABEL, L_NOW, L_NPARAMS };

struct label_req {
	int attempts;
	char hub[37], task[37], allowed[128];
	char carrier[65], service[65], serial[24];
	char tracking[WMS_TRACKING_MAX + 1];
	char sort_code[WMS_LABEL_SORT_CODE_MAX + 1];
	char label[WMS_LABEL_MAX];
	const char *p[L_NPARAMS];
};

static const char *str_at(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

static void reply_label(struct api_req *r, const char *tracking, const char *label, size_t len)
{
	char disposition[96];
	snprintf(disposition, sizeof disposition, "inline; filename=\"%s.zpl\"", tracking);
	api_req_add_header(r, "Content-Disposition", disposition);
	api_reply_raw(r, 200, JIT_LABEL_TYPE, label, len);
}

static void read_label_input(struct api_req *r);

static void on_stored(struct api_req *r, const struct db_reply *rep)
{
	struct label_req *q = api_req_state(r);
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate &&
	    strcmp(rep->sqlstate, SERIAL_TAKEN_SQLSTATE) == 0) {
		if (++q->attempts < LABEL_ATTEMPTS) {
			read_label_input(r);
			return;
		}
		api_reply_problem(r, PROBLEM_OVERLOADED, "others kept taking the tracking serial of "
		                  "%s %s first; retry", q->carrier, q->service);
		return;
	}
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate &&
	    strcmp(rep->sqlstate, LABEL_REFUSED_SQLSTATE) == 0) {
		char allowed[200];
		wms_jit_allowed_text(WMS_JIT_DO_PRINT_LABEL, allowed, sizeof allowed);
		api_reply_problem(r, PROBLEM_WRONG_STATE, "the task's state changed: %s", allowed);
		return;
	}
	if (api_found_or_reply(r, rep, "no such JIT task") != 0)
		return;
	const char *label = db_value(rep->res, 0, "label");
	reply_label(r, q->tracking, label, strlen(label));
}

/* Makes the number and the label from jit_label_input's body into q. Returns 0, or -1
 * after answering. */
static int make_label(struct api_req *r, struct label_req *q, const cJSON *in)
{
	const cJSON *task = cJSON_GetObjectItem(in, "task"), *ord = cJSON_GetObjectItem(in, "order");
	const cJSON *se = cJSON_GetObjectItem(in, "series"), *seller = cJSON_GetObjectItem(in, "seller");
	const cJSON *dest = cJSON_GetObjectItem(ord, "destination");
	char err[160];
	snprintf(q->carrier, sizeof q->carrier, "%s", str_at(in, "carrier") ? str_at(in, "carrier") : "");
	snprintf(q->service, sizeof q->service, "%s", str_at(in, "service") ? str_at(in, "service") : "");
	if (!cJSON_IsObject(se)) {
		api_reply_problem(r, PROBLEM_NO_TRACKING_SERIES, "carrier service %s %s (the first leg "
		                  "out of the hub) has no tracking number series", q->carrier, q->service);
		return -1;
	}
	double next = cJSON_GetNumberValue(cJSON_GetObjectItem(se, "next_serial"));
	if (next > cJSON_GetNumberValue(cJSON_GetObjectItem(se, "last_serial"))) {
		api_reply_problem(r, PROBLEM_TRACKING_EXHAUSTED, "the tracking numbers of %s %s are "
		                  "used up", q->carrier, q->service);
		return -1;
	}
	if (tracking_number_or_reply(r, se, q->carrier, q->service, q->tracking, sizeof q->tracking,
	                             q->serial) != 0)
		return -1;
	const char *hub = str_at(task, "hub");
	snprintf(q->sort_code, sizeof q->sort_code, "%.*s", WMS_LABEL_SORT_CODE_MAX, hub ? hub : "");
	const char *client_id = str_at(ord, "client_order_id");
	const char *carrier_name = str_at(se, "carrier_name");
	double weight = cJSON_GetNumberValue(cJSON_GetObjectItem(in, "weight_g"));
	struct wms_label label = {
		.from_name = str_at(seller, "name"),
		.from_country = str_at(seller, "country"),
		.to = {.name = str_at(dest, "name"),
		       .lines = {str_at(dest, "address")},
		       .postal_code = str_at(dest, "postal_code"),
		       .city = str_at(dest, "city"),
		       .country = str_at(dest, "country")},
		.carrier = carrier_name ? carrier_name : q->carrier,
		.service = q->service,
		.tracking = q->tracking,
		.sort_code = q->sort_code,
		.order_ref = client_id && strlen(client_id) <= WMS_LABEL_ORDER_REF_MAX
		                 ? client_id : str_at(ord, "id"),
		.weight_g = weight >= 1 && weight <= (double)WMS_LABEL_WEIGHT_MAX_G ? (int64_t)weight : 1,
		.data_2d = q->task,
	};
	if (wms_label_render(&label, q->label, sizeof q->label, NULL, err, sizeof err) != 0) {
		log_error("request id=%s label of JIT task %s: %s", api_req_id(r), q->task, err);
		api_reply_problem(r, PROBLEM_INTERNAL, "the label cannot be made: %s", err);
		return -1;
	}
	return 0;
}

static void on_label_input(struct api_req *r, const struct db_reply *rep)
{
	struct label_req *q = api_req_state(r);
	if (api_found_or_reply(r, rep, "no such JIT task") != 0)
		return;
	const char *outcome = db_value(rep->res, 0, "outcome");
	if (!outcome || strcmp(outcome, "ok") != 0) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such JIT task");
		return;
	}
	cJSON *in = cJSON_Parse(db_value(rep->res, 0, "body"));
	if (!in) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	const cJSON *task = cJSON_GetObjectItem(in, "task");
	const char *label = str_at(task, "label"), *state = str_at(task, "state");
	enum wms_jit_state st;
	snprintf(q->hub, sizeof q->hub, "%s", str_at(task, "warehouse_id"));
	snprintf(q->task, sizeof q->task, "%s", str_at(task, "id"));
	if (label) { /* printed before: the same label again */
		reply_label(r, str_at(task, "tracking_number"), label, strlen(label));
		goto done;
	}
	if (!state || wms_jit_state_parse(state, &st) != 0 || !wms_jit_can(st, WMS_JIT_DO_PRINT_LABEL)) {
		char allowed[200], detail[260];
		wms_jit_allowed_text(WMS_JIT_DO_PRINT_LABEL, allowed, sizeof allowed);
		snprintf(detail, sizeof detail, "task is %s; %s", state ? state : "?", allowed);
		cJSON *p = problem_new(PROBLEM_WRONG_STATE, detail);
		if (p && state)
			cJSON_AddStringToObject(p, "state", state);
		api_reply_problem_doc(r, p);
		goto done;
	}
	if (make_label(r, q, in) != 0)
		goto done;
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_PRINT_LABEL, q->allowed, sizeof q->allowed) != 0)
		abort(); /* the buffer is sized for the table */
	const char **p = q->p;
	p[L_HUB] = q->hub;
	p[L_TASK] = q->task;
	p[L_ALLOWED] = q->allowed;
	p[L_TARGET] = wms_jit_state_name(wms_jit_target(WMS_JIT_DO_PRINT_LABEL));
	p[L_CARRIER] = q->carrier;
	p[L_SERVICE] = q->service;
	p[L_SERIAL] = q->serial;
	p[L_TRACKING] = q->tracking;
	p[L_SORT] = q->sort_code;
	p[L_LABEL] = q->label;
	p[L_NOW] = api_req_now_text(r);
	api_query_or_reply(r, &stmt_label_store, L_NPARAMS, p, on_stored);
done:
	cJSON_Delete(in);
}

static void read_label_input(struct api_req *r)
{
	const char *ref[2];
	task_ref(r, ref);
	const char *p[] = {ref[0], ref[1], api_scope_warehouse(r), api_scope_seller(r)};
	api_query_or_reply(r, &stmt_label_input, 4, p, on_label_input);
}

void h_jit_task_label(struct api_req *r)
{
	struct label_req *q = api_req_new_state_or_reply(r, sizeof *q, free);
	if (!q)
		return;
	read_label_input(r);
}

/* --- overdue --------------------------------------------------------------------------- */

/* How long after its hand-over deadline an overdue task's order is cancelled and refunded. */
#define JIT_OVERDUE_GRACE "24 hours"

DB_STMT(stmt_sweep) = {
	"jit_sweep",
	"SELECT " SCAN_COLUMNS " FROM jit_sweep($1::interval, $2::text[], $3, $4::text[], $5,"
	" $6::text[], $7, $8::timestamptz)"};

struct sweep_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char overdue[128], cancel[160], order[96];
};

/* POST /v1/jit-tasks/overdue-sweep (platform, admin): marks overdue every task not received
 * by its deadline, and cancels (order, escrow refunded) those still not received
 * JIT_OVERDUE_GRACE after it (sql/functions/jit_sweep.sql). Safe to run at any time, by any
 * number of servers or a cron job: each transition is guarded by the state. */
void h_jit_overdue_sweep(struct api_req *r)
{
	struct sweep_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_MARK_OVERDUE, q->overdue, sizeof q->overdue) != 0 ||
	    wms_jit_allowed_pg_array(WMS_JIT_DO_CANCEL, q->cancel, sizeof q->cancel) != 0 ||
	    wms_order_allowed_pg_array(WMS_ORDER_DO_CANCEL, q->order, sizeof q->order) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	const char *p[] = {JIT_OVERDUE_GRACE, q->overdue,
	                   wms_jit_state_name(wms_jit_target(WMS_JIT_DO_MARK_OVERDUE)), q->cancel,
	                   wms_jit_state_name(wms_jit_target(WMS_JIT_DO_CANCEL)), q->order,
	                   wms_order_state_name(wms_order_target(WMS_ORDER_DO_CANCEL)),
	                   api_req_now_text(r)};
	scan_run(r, &q->ctx, &stmt_sweep, 8, p);
}
