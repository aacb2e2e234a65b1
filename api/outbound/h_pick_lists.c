/* h_pick_lists.c — pick lists: an operator claims work (staff: the list it is picking, else
 * a released list of its warehouse, else a new list batching the most urgent allocated
 * orders), reads and lists them (staff their warehouse's, admin and platform every one) and
 * hands a list back (its operator, or an admin). The state tables are wms/pick_list.h's and
 * wms/order.h's; one SQL function applies each action: pick_claim(), pick_release()
 * (sql/functions/pick_claim.sql, pick_release.sql); pick_list_doc() shapes every answer. */
#include <stdio.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/order.h"
#include "wms/pick_list.h"

/* Orders a claim batches at most by default, and at most ever. */
#define CLAIM_DEFAULT_ORDERS 10
#define CLAIM_MAX_ORDERS 50

/* $1 warehouse, $2 key id, $3 most orders, $4 list states claim is allowed from, $5 picking,
 * $6 order states start_pick is allowed from, $7 its target, $8 now. */
DB_STMT(stmt_claim) = {
	"pick_claim",
	"SELECT " SCAN_COLUMNS " FROM pick_claim($1::uuid, $2::uuid, $3::int, $4::text[], $5,"
	" $6::text[], $7, $8::timestamptz)"};

/* $1 list id, $2 warehouse scope: the list's warehouse (reads by admin and platform name no
 * warehouse: the list's is found first, so that its document is read on one shard). */
DB_STMT(stmt_resolve) = {
	"pick_list_resolve",
	"SELECT l.warehouse_id FROM pick_lists l"
	" WHERE l.id = $1::uuid AND ($2::uuid IS NULL OR l.warehouse_id = $2::uuid)"};

/* $1 warehouse, $2 list id. */
DB_STMT(stmt_doc) = {
	"pick_list_doc",
	"SELECT d::text FROM pick_list_doc($1::uuid, $2::uuid) d WHERE d IS NOT NULL"};

/* $1 warehouse scope, $2 state, $3 warehouse code, $4 limit, $5/$6 cursor. */
DB_STMT(stmt_page) = {
	"pick_list_page",
	"SELECT pick_list_page($1::uuid, $2, $3, $4::int, $5, $6::uuid)::text"};

/* $1 warehouse, $2 list id, $3 key id, $4 admin, $5 list states release is allowed from,
 * $6 released, $7 cancelled (dissolve), $8 order states release_pick is allowed from,
 * $9 its target, $10 now. */
DB_STMT(stmt_release) = {
	"pick_release",
	"SELECT " SCAN_COLUMNS " FROM pick_release($1::uuid, $2::uuid, $3::uuid, $4::boolean,"
	" $5::text[], $6, $7, $8::text[], $9, $10::timestamptz)"};

/* What a request keeps for its statements. */
struct pick_list_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char max[8];
	char list_from[48];
	char order_from[96];
	char warehouse[37];
	const char *p[10]; /* p[0] the warehouse */
	/* what runs once the list's warehouse is known (an admin or the platform names none) */
	void (*then)(struct api_req *r, struct pick_list_req *q);
};

/* "pick list is done; release is allowed from picking" for a wrong-state answer. */
static void release_detail(const char *problem, const cJSON *body, char *buf, size_t len)
{
	const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "state"));
	if (strcmp(problem, "wrong-state") == 0 && state)
		snprintf(buf, len, "pick list is %s; release is allowed from %s", state,
		         wms_pick_list_state_name(WMS_PICK_LIST_PICKING));
}

/* The {id} path parameter when it is a UUID; else answers 404 and returns NULL. */
static const char *list_id_or_reply(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (id && jsonv_is_uuid(id))
		return id;
	api_reply_problem(r, PROBLEM_NOT_FOUND, "no such pick list (pick lists are named by their id)");
	return NULL;
}

/* The states the list action la and the order action oa are allowed from, as the statement
 * takes them, into q. Returns 0, or -1 after answering 500. */
static int arrays_or_reply(struct api_req *r, struct pick_list_req *q,
                           enum wms_pick_list_action la, enum wms_order_action oa)
{
	if (wms_pick_list_allowed_pg_array(la, q->list_from, sizeof q->list_from) == 0 &&
	    wms_order_allowed_pg_array(oa, q->order_from, sizeof q->order_from) == 0)
		return 0;
	api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
	return -1;
}

/* POST /v1/pick-lists/claim {max_orders?} (staff). */
void h_pick_list_claim(struct api_req *r)
{
	static const char *const fields[] = {"max_orders", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	long long max = CLAIM_DEFAULT_ORDERS;
	jsonv_no_unknown(&v, b, "", fields);
	(void)jsonv_int(&v, b, "max_orders", false, 1, CLAIM_MAX_ORDERS, &max);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	struct pick_list_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q || arrays_or_reply(r, q, WMS_PICK_LIST_DO_CLAIM, WMS_ORDER_DO_START_PICK) != 0)
		return;
	snprintf(q->max, sizeof q->max, "%lld", max);
	q->p[0] = api_scope_warehouse(r);
	q->p[1] = api_req_principal(r)->key_id;
	q->p[2] = q->max;
	q->p[3] = q->list_from;
	q->p[4] = wms_pick_list_state_name(wms_pick_list_target(WMS_PICK_LIST_DO_CLAIM));
	q->p[5] = q->order_from;
	q->p[6] = wms_order_state_name(wms_order_target(WMS_ORDER_DO_START_PICK));
	q->p[7] = api_req_now_text(r);
	scan_run(r, &q->ctx, &stmt_claim, 8, q->p);
}

static void on_doc(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such pick list");
}

static void on_resolved(struct api_req *r, const struct db_reply *rep)
{
	struct pick_list_req *q = api_req_state(r);
	if (api_found_or_reply(r, rep, "no such pick list") != 0)
		return;
	snprintf(q->warehouse, sizeof q->warehouse, "%s", db_value(rep->res, 0, "warehouse_id"));
	q->p[0] = q->warehouse;
	q->then(r, q);
}

/* Runs then for list id: at once for staff (their warehouse), else after finding the list's
 * warehouse (404 when there is no such list). */
static void in_warehouse(struct api_req *r, struct pick_list_req *q, const char *id,
                         void (*then)(struct api_req *, struct pick_list_req *))
{
	q->p[0] = api_scope_warehouse(r);
	q->then = then;
	if (q->p[0]) {
		then(r, q);
	} else {
		const char *rp[] = {id, NULL};
		api_query_or_reply(r, &stmt_resolve, 2, rp, on_resolved);
	}
}

static void doc_run(struct api_req *r, struct pick_list_req *q)
{
	api_query_or_reply(r, &stmt_doc, 2, q->p, on_doc);
}

/* GET /v1/pick-lists/{id} (staff: their warehouse's; admin, platform: any). */
void h_pick_list_get(struct api_req *r)
{
	const char *id = list_id_or_reply(r);
	if (!id)
		return;
	struct pick_list_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	q->p[1] = id;
	in_warehouse(r, q, id, doc_run);
}

/* GET /v1/pick-lists?state=&warehouse= (staff: their warehouse's; admin, platform: all),
 * newest first. */
void h_pick_list_list(struct api_req *r)
{
	struct api_page pg;
	enum wms_pick_list_state st;
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *state = api_req_query(r, "state");
	if (state && wms_pick_list_state_parse(state, &st) != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "state must be one of picking, released, done, "
		                  "cancelled");
		return;
	}
	const char *p[] = {api_scope_warehouse(r), state, api_req_query(r, "warehouse"), pg.limit,
	                   pg.cursor_ts, pg.cursor_id};
	api_query_or_reply(r, &stmt_page, 6, p, on_doc);
}

static void release_run(struct api_req *r, struct pick_list_req *q)
{
	q->ctx.detail_fn = release_detail;
	scan_run(r, &q->ctx, &stmt_release, 10, q->p);
}

/* POST /v1/pick-lists/{id}/release (the staff picking it, admin). */
void h_pick_list_release(struct api_req *r)
{
	static const char *const none[] = {NULL};
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, api_req_body(r), "", none);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *id = list_id_or_reply(r);
	if (!id)
		return;
	struct pick_list_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q || arrays_or_reply(r, q, WMS_PICK_LIST_DO_RELEASE, WMS_ORDER_DO_RELEASE_PICK) != 0)
		return;
	const struct auth_principal *who = api_req_principal(r);
	q->p[1] = id;
	q->p[2] = who->key_id;
	q->p[3] = who->role == AUTH_ADMIN ? "true" : "false";
	q->p[4] = q->list_from;
	q->p[5] = wms_pick_list_state_name(wms_pick_list_target(WMS_PICK_LIST_DO_RELEASE));
	q->p[6] = wms_pick_list_state_name(wms_pick_list_target(WMS_PICK_LIST_DO_DISSOLVE));
	q->p[7] = q->order_from;
	q->p[8] = wms_order_state_name(wms_order_target(WMS_ORDER_DO_RELEASE_PICK));
	q->p[9] = api_req_now_text(r);
	in_warehouse(r, q, id, release_run);
}
