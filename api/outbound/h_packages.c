/* h_packages.c — packages: opening one at a pack station (staff), reading and listing them
 * (admin and platform all, a seller its own, staff its warehouse's) and the shipping label
 * of a closed one as ZPL II (staff of its warehouse, admin). Packing itself is pack scans
 * (h_pack_scans.c), closing is h_package_close.c, the hand-over at the dock h_ship_scans.c.
 *
 * A package is named by its id or, once closed, by its tracking number (as the dock reads
 * it from the label). */
#include <stdio.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/order.h"

/* The label's media type: ZPL II text as a Zebra printer takes it. No media type for ZPL is
 * registered; this is the one the API documents (api/openapi.json, README). */
#define PACKAGE_LABEL_TYPE "application/zpl"

/* $1 warehouse, $2 order id, $3 package type code, $4 the order states packing happens in,
 * $5 now. */
DB_STMT(stmt_open) = {
	"package_open",
	"SELECT " SCAN_COLUMNS " FROM package_open($1::uuid, $2::uuid, $3, $4::text[],"
	" $5::timestamptz)"};

/* $1 the package's id or $4 its tracking number; $2 warehouse scope, $3 seller scope. */
DB_STMT(stmt_get) = {
	"package_get",
	"SELECT d::text FROM package_find($1::uuid, $4, $2::uuid, $3::uuid) AS d WHERE d IS NOT NULL"};

/* $1 the package's id or $3 its tracking number; $2 warehouse scope. */
DB_STMT(stmt_label) = {
	"package_label",
	"SELECT p.id, p.state, p.tracking_number, p.label FROM packages p"
	" WHERE (p.id = $1::uuid OR p.tracking_number = $3)"
	" AND ($2::uuid IS NULL OR p.warehouse_id = $2::uuid)"
	" ORDER BY p.created_at DESC LIMIT 1"};

/* $1 limit, $2/$3 cursor, $4 warehouse scope, $5 seller scope, $6 state, $7 order id,
 * $8 warehouse code. */
DB_STMT(stmt_list) = {
	"package_list",
	"SELECT package_page($1::int, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7::uuid, $8)"};

enum { O_WAREHOUSE, O_ORDER, O_TYPE, O_ALLOWED, O_NOW, O_NPARAMS };

struct open_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char allowed[96];
	const char *p[O_NPARAMS];
};

/* POST /v1/packages {order, package_type}: see sql/functions/package_open.sql. 201 with the
 * package and Location. */
void h_package_open(struct api_req *r)
{
	static const char *const fields[] = {"order", "package_type", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, b, "", fields);
	const char *order = fields_uuid(&v, b, "order", true, "the order's id (a UUID)");
	const char *type = fields_shape(&v, b, "package_type", true, 32, "^[A-Z0-9][A-Z0-9_-]*$",
	                                "a package type code (GET /v1/package-types)");
	if (api_valid_or_reply(r, &v) != 0)
		return;
	struct open_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	if (wms_order_allowed_pg_array(WMS_ORDER_DO_PACK, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	q->p[O_WAREHOUSE] = api_scope_warehouse(r);
	q->p[O_ORDER] = order;
	q->p[O_TYPE] = type;
	q->p[O_ALLOWED] = q->allowed;
	q->p[O_NOW] = api_req_now_text(r);
	q->ctx.ok_status = 201;
	q->ctx.location = "/v1/packages/";
	q->ctx.item_field = "package_type";
	scan_run(r, &q->ctx, &stmt_open, O_NPARAMS, q->p);
}

/* {id} as the parameters of the reads: p[0] the id when it is a UUID, p[1] the tracking
 * number otherwise. */
static void package_ref(struct api_req *r, const char *p[2])
{
	const char *ref = api_req_param(r, "id");
	bool uuid = ref && jsonv_is_uuid(ref);
	p[0] = uuid ? ref : NULL;
	p[1] = uuid ? NULL : ref;
}

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such package");
}

void h_package_get(struct api_req *r)
{
	const char *ref[2];
	package_ref(r, ref);
	const char *p[] = {ref[0], api_scope_warehouse(r), api_scope_seller(r), ref[1]};
	api_query_or_reply(r, &stmt_get, 4, p, on_found);
}

/* The label as ZPL, or 409 while the package is open (it is made when it is closed). */
static void on_label(struct api_req *r, const struct db_reply *rep)
{
	if (api_found_or_reply(r, rep, "no such package") != 0)
		return;
	const char *label = db_value(rep->res, 0, "label");
	const char *state = db_value(rep->res, 0, "state");
	if (!label) {
		cJSON *p = problem_new(PROBLEM_WRONG_STATE, "the package is open: its label is made when "
		                       "it is closed (POST /v1/packages/{id}/close)");
		if (p && state)
			cJSON_AddStringToObject(p, "state", state);
		api_reply_problem_doc(r, p);
		return;
	}
	char disposition[96];
	snprintf(disposition, sizeof disposition, "inline; filename=\"%s.zpl\"",
	         db_value(rep->res, 0, "tracking_number"));
	api_req_add_header(r, "Content-Disposition", disposition);
	api_reply_raw(r, 200, PACKAGE_LABEL_TYPE, label,
	              (size_t)PQgetlength(rep->res, 0, PQfnumber(rep->res, "label")));
}

void h_package_label(struct api_req *r)
{
	const char *ref[2];
	package_ref(r, ref);
	const char *p[] = {ref[0], api_scope_warehouse(r), ref[1]};
	api_query_or_reply(r, &stmt_label, 3, p, on_label);
}

static void on_list(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no answer");
}

/* Filters: ?state= (open, closed — the dock's work —, shipped), ?order= (an order's id),
 * ?warehouse= (code). */
void h_package_list(struct api_req *r)
{
	struct api_page pg;
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *state = api_req_query(r, "state"), *order = api_req_query(r, "order");
	if (state && strcmp(state, "open") != 0 && strcmp(state, "closed") != 0 &&
	    strcmp(state, "shipped") != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "state must be one of open, closed, shipped");
		return;
	}
	if (order && !jsonv_is_uuid(order)) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "order must be an order's id (a UUID)");
		return;
	}
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id, api_scope_warehouse(r),
	                   api_scope_seller(r), state, order, api_req_query(r, "warehouse")};
	api_query_or_reply(r, &stmt_list, 8, p, on_list);
}
