/* h_pickup_plans.c — pickup plans (admin, platform): POST /v1/pickup-plans plans a hub's day
 * — the loop reads the hub's settings, vehicles and open requests in one statement, a worker
 * thread (workers.h) runs the solver (pickup_plan.h) with the request's seed and time limit,
 * and the loop stores the draft and answers it (201). GET /v1/pickup-plans/{id} reads one;
 * POST /v1/pickup-plans/{id}/publish locks it (sql/functions/pickup_plan_publish.sql): each
 * planned request gets its vehicle, stop and ETA window, the day's earlier plan is
 * superseded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/fields.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/http/workers.h"
#include "api/pickups/pickup_plan.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/pickup.h"

/* Half the width of a published ETA window: the planned service start ± 30 minutes, kept
 * inside the request's ready window. */
#define ETA_HALF_S "1800"

/* $1 hub code, $2 day, $3 keep the published plan's stops: a new plan id and the input. */
DB_STMT(stmt_input) = {
	"pickup_plan_input",
	"SELECT gen_random_uuid()::text, pickup_plan_input($1, $2::date, $3::bool)::text"};

/* $1 warehouse id, $2 plan id, $3 day, $4 the document. */
DB_STMT(stmt_save) = {
	"pickup_plan_save",
	"INSERT INTO pickup_plans (warehouse_id, id, day, doc)"
	" VALUES ($1::uuid, $2::uuid, $3::date, $4::jsonb) RETURNING doc::text"};

DB_STMT(stmt_get) = {
	"pickup_plan_get",
	"SELECT p.doc::text FROM pickup_plans p WHERE p.id = $1::uuid"};

/* $1 plan, $2 ETA half-width (s), $3..$6 the request states publishing moves (from, to) and
 * unpublishing moves back (from, to), $7 now. */
DB_STMT(stmt_publish) = {
	"pickup_plan_publish",
	"SELECT outcome, detail, body::text AS body, false AS replayed"
	" FROM pickup_plan_publish($1::uuid, $2::int, $3::text[], $4, $5::text[], $6,"
	" $7::timestamptz)"};

/* One plan on its way through a worker thread. */
struct plan_task {
	struct workers_task t; /* first: the worker hands this back */
	struct api_req *r;
	char *input;           /* pickup_plan_input's text (owned) */
	char *doc;             /* the plan (owned), NULL on failure */
	char err[256];
	char id[37], code[65], warehouse_id[37], day[11];
	struct pickup_plan_opts o;
};

static void plan_task_free(struct plan_task *pt)
{
	free(pt->input);
	free(pt->doc);
	free(pt);
}

static void plan_task_run(struct workers_task *t, int worker)
{
	struct plan_task *pt = (struct plan_task *)t;
	(void)worker;
	pt->doc = pickup_plan_solve(pt->input, &pt->o, pt->err, sizeof pt->err);
}

static void on_saved(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 201, "no such warehouse");
}

static void plan_task_done(struct workers_task *t)
{
	struct plan_task *pt = (struct plan_task *)t;
	struct api_req *r = pt->r;
	if (pt->doc == NULL) {
		if (strstr(pt->err, "kept route") != NULL)
			api_reply_problem(r, PROBLEM_CONFLICT, "%s: the published plan's stops no longer "
			                  "fit (plan with keep_published false)", pt->err);
		else
			api_reply_problem(r, PROBLEM_INTERNAL, "planning failed: %s", pt->err);
	} else {
		const char *p[] = {pt->warehouse_id, pt->id, pt->day, pt->doc};
		api_query_or_reply(r, &stmt_save, 4, p, on_saved);
	}
	plan_task_free(pt);
}

/* What the loop keeps between reading the body and the input statement. */
struct plan_req {
	char code[65], day[11];
	uint64_t seed;
	double time_limit_s;
};

static void on_input(struct api_req *r, const struct db_reply *rep)
{
	struct plan_req *q = api_req_state(r);
	struct jsonv v = JSONV_INIT;
	if (api_found_or_reply(r, rep, "no answer") != 0)
		return;
	if (PQgetisnull(rep->res, 0, 1)) {
		jsonv_error(&v, "warehouse", "not_found", "no warehouse %s", q->code);
		api_reply_invalid(r, &v);
		return;
	}
	const char *input = PQgetvalue(rep->res, 0, 1);
	cJSON *doc = cJSON_Parse(input);
	const cJSON *hub = cJSON_GetObjectItemCaseSensitive(doc, "hub");
	const char *wh = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "warehouse_id"));
	if (doc == NULL || wh == NULL) {
		cJSON_Delete(doc);
		api_reply_problem(r, PROBLEM_INTERNAL, "pickup_plan_input answered no object");
		return;
	}
	if (!cJSON_IsObject(hub)) {
		cJSON_Delete(doc);
		api_reply_problem(r, PROBLEM_CONFLICT, "warehouse %s has no pickup settings: PUT "
		                  "/v1/warehouses/%s/pickup-hub first", q->code, q->code);
		return;
	}
	struct plan_task *pt = calloc(1, sizeof *pt);
	if (pt == NULL || (pt->input = strdup(input)) == NULL) {
		free(pt);
		cJSON_Delete(doc);
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	pt->t.run = plan_task_run;
	pt->t.done = plan_task_done;
	pt->r = r;
	snprintf(pt->id, sizeof pt->id, "%s", PQgetvalue(rep->res, 0, 0));
	snprintf(pt->code, sizeof pt->code, "%s", q->code);
	snprintf(pt->warehouse_id, sizeof pt->warehouse_id, "%s", wh);
	snprintf(pt->day, sizeof pt->day, "%s", q->day);
	cJSON_Delete(doc);
	pt->o = (struct pickup_plan_opts){.plan_id = pt->id, .warehouse = pt->code, .seed = q->seed,
	                                  .time_limit_s = q->time_limit_s};
	if (workers_submit(api_req_app(r)->workers, &pt->t) != 0) {
		plan_task_free(pt);
		api_reply_problem(r, PROBLEM_OVERLOADED, "every worker is busy; retry");
	}
}

/* POST /v1/pickup-plans {warehouse, date, seed?, time_limit_ms?, keep_published?} */
void h_pickup_plan_create(struct api_req *r)
{
	static const char *const allowed[] = {"warehouse", "date", "seed", "time_limit_ms",
	                                      "keep_published", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	long long seed = 1, limit_ms = 1500;
	bool keep = true;
	struct plan_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (q == NULL)
		return;
	jsonv_no_unknown(&v, b, "", allowed);
	const char *code = fields_code(&v, b, "warehouse", true);
	const char *day = fields_date(&v, b, "date", true, NULL);
	(void)jsonv_int(&v, b, "seed", false, 0, 9007199254740991LL, &seed);
	(void)jsonv_int(&v, b, "time_limit_ms", false, 100, 30000, &limit_ms);
	(void)jsonv_bool(&v, b, "keep_published", false, &keep);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	snprintf(q->code, sizeof q->code, "%s", code);
	snprintf(q->day, sizeof q->day, "%s", day);
	q->seed = (uint64_t)seed;
	q->time_limit_s = (double)limit_ms / 1000.0;
	const char *p[] = {q->code, q->day, keep ? "true" : "false"};
	api_query_or_reply(r, &stmt_input, 3, p, on_input);
}

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such pickup plan");
}

/* GET /v1/pickup-plans/{id} */
void h_pickup_plan_get(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (!jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such pickup plan");
		return;
	}
	const char *p[] = {id};
	api_query_or_reply(r, &stmt_get, 1, p, on_found);
}

/* What a publish keeps for scan_run (its state must begin with a scan_ctx). */
struct publish_req {
	struct scan_ctx ctx;
	char now[INSTANT_TEXT];
	char publish_from[48], unpublish_from[48];
};

/* POST /v1/pickup-plans/{id}/publish */
void h_pickup_plan_publish(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (!jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such pickup plan");
		return;
	}
	struct publish_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (q == NULL)
		return;
	if (wms_pickup_allowed_pg_array(WMS_PICKUP_DO_PUBLISH, q->publish_from,
	                                sizeof q->publish_from) != 0 ||
	    wms_pickup_allowed_pg_array(WMS_PICKUP_DO_UNPUBLISH, q->unpublish_from,
	                                sizeof q->unpublish_from) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	instant_format(api_req_now_us(r), q->now);
	const char *p[] = {id, ETA_HALF_S, q->publish_from,
	                   wms_pickup_state_name(wms_pickup_target(WMS_PICKUP_DO_PUBLISH)),
	                   q->unpublish_from,
	                   wms_pickup_state_name(wms_pickup_target(WMS_PICKUP_DO_UNPUBLISH)), q->now};
	scan_run(r, &q->ctx, &stmt_publish, 7, p);
}
