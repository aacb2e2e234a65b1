/* h_pick_scans.c — the operator's scans on the pick list it holds (staff): POST
 * /v1/pick/scans (the bin, then the item taken from it into PACKING) and POST
 * /v1/pick/stock-issue (the bin holds fewer units than the stock says: a short pick). Each
 * is one call of its SQL function — pick_scan(), pick_stock_issue()
 * (sql/functions/pick_scan.sql, pick_stock_issue.sql), the one home of the walk's rules —
 * exactly once by scan_id, answering progress and what to scan next. */
#include <stdio.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/order.h"
#include "wms/pick_list.h"

/* $1 warehouse, $2 scan_id, $3 key id, $4 request hash, $5 list, $6 bin code, $7 GTIN (NULL:
 * a bin scan), $8 lot, $9 expiry, $10 qty, $11 list states a scan is allowed from, $12 the
 * state of a complete list, $13 now. The bench (tests/bench/run.sh) runs this same text with
 * pgbench. */
DB_STMT(stmt_pick) = {
	"pick_scan",
	"SELECT " SCAN_COLUMNS " FROM pick_scan($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid, $6, $7,"
	" $8, $9::date, $10::int, $11::text[], $12, $13::timestamptz)"};

/* $1..$9 as pick_scan's, $10 the count, $11 list states, $12 complete, $13 order states
 * reject is allowed from, $14 its target, $15 now. */
DB_STMT(stmt_issue) = {
	"pick_stock_issue",
	"SELECT " SCAN_COLUMNS " FROM pick_stock_issue($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid,"
	" $6, $7, $8, $9::date, $10::int, $11::text[], $12, $13::text[], $14, $15::timestamptz)"};

enum { P_WAREHOUSE, P_SCAN, P_KEY, P_HASH, P_LIST, P_BIN, P_GTIN, P_LOT, P_EXPIRY, P_COUNT,
       P_SCAN_FROM, P_DONE, P_REJECT_FROM, P_REJECTED, P_NOW, NPARAMS };

/* What a scan request keeps for its statement. */
struct pick_scan_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	struct scan_item item;
	char scan_from[48];
	char reject_from[96];
	char count[16];
	char hash[65];
	char now[INSTANT_TEXT];
	const char *p[NPARAMS];
};

/* "pick list is done; scan is allowed from picking" for a wrong-state answer without one. */
static void scan_detail(const char *problem, const cJSON *body, char *buf, size_t len)
{
	const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "state"));
	if (strcmp(problem, "wrong-state") == 0 && state)
		snprintf(buf, len, "pick list is %s; scans are allowed while it is %s%s", state,
		         wms_pick_list_state_name(WMS_PICK_LIST_PICKING),
		         strcmp(state, "released") == 0 ? " (claim it first)" : "");
}

/* The state tables' arrays the statements take (reject's too when reject). Returns 0, or -1
 * after answering 500. */
static int arrays_or_reply(struct api_req *r, struct pick_scan_req *q, bool reject)
{
	if (wms_pick_list_allowed_pg_array(WMS_PICK_LIST_DO_SCAN, q->scan_from, sizeof q->scan_from) ||
	    (reject && wms_order_allowed_pg_array(WMS_ORDER_DO_REJECT, q->reject_from,
	                                          sizeof q->reject_from))) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return -1;
	}
	return 0;
}

/* Reads what every scan on a list says: scan_id, pick_list, bin. Fills the request's
 * parameters that come from the caller. */
static void list_scan_read(struct api_req *r, struct jsonv *v, const cJSON *b,
                           struct pick_scan_req *q)
{
	q->p[P_WAREHOUSE] = api_scope_warehouse(r);
	q->p[P_SCAN] = scan_id_read(v, b);
	q->p[P_KEY] = api_req_principal(r)->key_id;
	q->p[P_LIST] = jsonv_string(v, b, "pick_list", true, 1, 64);
	if (q->p[P_LIST] && !jsonv_is_uuid(q->p[P_LIST]))
		jsonv_error(v, "pick_list", "format", "pick_list is the list's id (a UUID)");
	q->p[P_BIN] = jsonv_string(v, b, "bin", true, 1, 32);
	q->p[P_SCAN_FROM] = q->scan_from;
	q->p[P_DONE] = wms_pick_list_state_name(wms_pick_list_target(WMS_PICK_LIST_DO_COMPLETE));
	instant_format(api_req_now_us(r), q->now);
	q->p[P_NOW] = q->now;
	q->ctx.detail_fn = scan_detail;
}

/* The item of a scan (scan_item_read), its parameters set. */
static void item_read(struct jsonv *v, const cJSON *b, struct pick_scan_req *q)
{
	scan_item_read(v, b, &q->item);
	q->p[P_GTIN] = q->item.gtin;
	q->p[P_LOT] = q->item.lot[0] ? q->item.lot : NULL;
	q->p[P_EXPIRY] = q->item.expiry[0] ? q->item.expiry : NULL;
	q->ctx.item_field = q->item.field;
}

/* A bin scan (no barcode, no gtin) confirms the location: what only an item has is refused,
 * each field named. */
static void bin_scan_read(struct jsonv *v, const cJSON *b)
{
	static const char *const item_only[] = {"qty", "lot", "expiry", NULL};
	long long qty;
	(void)jsonv_int(v, b, "qty", false, 1, SCAN_MAX_QTY, &qty);
	(void)fields_lot(v, b, "lot", false);
	(void)fields_date(v, b, "expiry", false, NULL);
	for (int i = 0; item_only[i]; i++) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(b, item_only[i]);
		if (f && !cJSON_IsNull(f))
			jsonv_error(v, item_only[i], "needs_item", "%s belongs to an item: scan its barcode "
			            "(or give its gtin) with it", item_only[i]);
	}
}

/* POST /v1/pick/scans {scan_id, pick_list, bin, barcode | gtin, qty?, lot?, expiry?}. */
void h_pick_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "pick_list", "bin", "barcode", "gtin", "qty",
	                                     "lot", "expiry", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	struct pick_scan_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q || arrays_or_reply(r, q, false) != 0)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	list_scan_read(r, &v, b, q);
	const cJSON *barcode = cJSON_GetObjectItemCaseSensitive(b, "barcode");
	const cJSON *gtin = cJSON_GetObjectItemCaseSensitive(b, "gtin");
	if ((barcode && !cJSON_IsNull(barcode)) || (gtin && !cJSON_IsNull(gtin))) {
		item_read(&v, b, q);
		q->p[P_COUNT] = q->item.qty;
	} else {
		bin_scan_read(&v, b);
	}
	if (api_valid_or_reply(r, &v) != 0)
		return;
	scan_request_hash("pick", q->p + P_LIST, P_COUNT + 1 - P_LIST, q->hash);
	q->p[P_HASH] = q->hash;
	const char *p[] = {q->p[P_WAREHOUSE], q->p[P_SCAN], q->p[P_KEY], q->p[P_HASH], q->p[P_LIST],
	                   q->p[P_BIN], q->p[P_GTIN], q->p[P_LOT], q->p[P_EXPIRY], q->p[P_COUNT],
	                   q->p[P_SCAN_FROM], q->p[P_DONE], q->p[P_NOW]};
	scan_run(r, &q->ctx, &stmt_pick, (int)(sizeof p / sizeof p[0]), p);
}

/* POST /v1/pick/stock-issue {scan_id, pick_list, bin, barcode | gtin, lot?, expiry?,
 * counted}. */
void h_pick_stock_issue(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "pick_list", "bin", "barcode", "gtin", "lot",
	                                     "expiry", "counted", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	long long counted = 0;
	struct pick_scan_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q || arrays_or_reply(r, q, true) != 0)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	list_scan_read(r, &v, b, q);
	item_read(&v, b, q);
	(void)jsonv_int(&v, b, "counted", true, 0, SCAN_MAX_QTY, &counted);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	snprintf(q->count, sizeof q->count, "%lld", counted);
	q->p[P_COUNT] = q->count;
	q->p[P_REJECT_FROM] = q->reject_from;
	q->p[P_REJECTED] = wms_order_state_name(wms_order_target(WMS_ORDER_DO_REJECT));
	scan_request_hash("stock_issue", q->p + P_LIST, P_COUNT + 1 - P_LIST, q->hash);
	q->p[P_HASH] = q->hash;
	scan_run(r, &q->ctx, &stmt_issue, NPARAMS, q->p);
}
