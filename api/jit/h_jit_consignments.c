/* h_jit_consignments.c — a seller's first-mile consignments: binding up to JIT_BIND_MAX
 * labelled tasks for one hub, with a result per task (POST /v1/jit-consignments), and handing
 * the consignment over (POST /v1/jit-consignments/{id}/dispatch). The rules of which task may
 * be bound are wms/jit.h's bind and dispatch; the per-task reasons are jit_bind()'s
 * (sql/functions/jit_consignment.sql).
 *
 *   {"handover": {"type": "pickup" | "drop_off" | "own_courier",
 *                 "carrier": "…", "tracking_number": "…"},   (own_courier: both required)
 *    "tasks": ["<task id>", …]}                                (1..50) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/jit.h"

#define JIT_BIND_MAX 50

DB_STMT(stmt_bind) = {
	"jit_bind",
	"SELECT " SCAN_COLUMNS " FROM jit_bind($1::uuid, $2, $3, $4, $5::uuid[], $6::text[], $7,"
	" $8::timestamptz)"};

DB_STMT(stmt_dispatch) = {
	"jit_dispatch",
	"SELECT " SCAN_COLUMNS " FROM jit_dispatch($1::uuid, $2::uuid, $3::text[], $4,"
	" $5::timestamptz)"};

struct bind_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char allowed[128];
	char *tasks; /* a PostgreSQL array literal of the ids */
};

static void bind_req_free(void *arg)
{
	struct bind_req *q = arg;
	free(q->tasks);
	free(q);
}

/* The task ids as "{id,id,…}" (malloc'd), each checked a UUID; NULL with the problems in v. */
static char *task_array(struct jsonv *v, const cJSON *tasks)
{
	size_t n = (size_t)cJSON_GetArraySize(tasks);
	if (n < 1 || n > JIT_BIND_MAX) {
		jsonv_error(v, "tasks", "size", "a consignment binds 1 to %d tasks, not %zu",
		            JIT_BIND_MAX, n);
		return NULL;
	}
	char *out = malloc(n * 37 + 3), *w = out;
	if (!out)
		return NULL;
	*w++ = '{';
	int i = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, tasks) {
		const char *id = cJSON_GetStringValue(t);
		if (!id || !jsonv_is_uuid(id)) {
			jsonv_error(v, "tasks", "format", "tasks[%d] is not a task id (a UUID)", i);
		} else {
			memcpy(w, id, 36);
			w += 36;
			*w++ = ',';
		}
		i++;
	}
	w[-1] = '}';
	*w = '\0';
	return out;
}

void h_jit_consignment_create(struct api_req *r)
{
	static const char *const fields[] = {"handover", "tasks", NULL};
	static const char *const hfields[] = {"type", "carrier", "tracking_number", NULL};
	static const char *const types[] = {"pickup", "drop_off", "own_courier", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT, hv = JSONV_INIT;
	struct bind_req *q = api_req_new_state_or_reply(r, sizeof *q, bind_req_free);
	if (!q)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	const cJSON *h = jsonv_object(&v, b, "handover", true);
	const char *type = NULL, *carrier = NULL, *tracking = NULL;
	if (h) {
		jsonv_no_unknown(&hv, h, "", hfields);
		int k = jsonv_enum(&hv, h, "type", true, types);
		type = k >= 0 ? types[k] : NULL;
		bool own = type && strcmp(type, "own_courier") == 0;
		carrier = jsonv_string(&hv, h, "carrier", own, 1, 64);
		tracking = jsonv_string(&hv, h, "tracking_number", own, 1, 64);
		if (!own && (carrier || tracking))
			jsonv_error(&hv, carrier ? "carrier" : "tracking_number", "unexpected",
			            "carrier and tracking_number belong to own_courier consignments");
		for (const char *c = tracking; c && *c; c++)
			if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') ||
			      (*c >= 'a' && *c <= 'z') || (*c == '-' && c != tracking && c[1]))) {
				jsonv_error(&hv, "tracking_number", "format", "tracking_number is ASCII "
				            "letters, digits and inner hyphens");
				break;
			}
		jsonv_merge(&v, &hv, "handover.");
	}
	const cJSON *tasks = jsonv_array(&v, b, "tasks", true);
	if (tasks)
		q->tasks = task_array(&v, tasks);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (!q->tasks) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_BIND, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	const char *p[] = {api_scope_seller(r), type, carrier, tracking, q->tasks, q->allowed,
	                   wms_jit_state_name(wms_jit_target(WMS_JIT_DO_BIND)), api_req_now_text(r)};
	q->ctx.ok_status = 201;
	q->ctx.location = "/v1/jit-consignments/";
	scan_run(r, &q->ctx, &stmt_bind, 8, p);
}

struct dispatch_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char allowed[128];
};

void h_jit_consignment_dispatch(struct api_req *r)
{
	struct dispatch_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such consignment");
		return;
	}
	if (wms_jit_allowed_pg_array(WMS_JIT_DO_DISPATCH, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	const char *p[] = {api_scope_seller(r), id, q->allowed,
	                   wms_jit_state_name(wms_jit_target(WMS_JIT_DO_DISPATCH)),
	                   api_req_now_text(r)};
	scan_run(r, &q->ctx, &stmt_dispatch, 5, p);
}
