/* h_returns.c — the returns centre (staff of its warehouse), by scan: GET /v1/returns/{id}
 * (the return authorisation, by id or RMA code: what it authorises, what was received and
 * inspected; also platform, admin and the order's seller), GET
 * /v1/returns/{id}/label (the RMA's reverse-route label, ZPL II; admin too), POST
 * /v1/returns/receipt-scans (the parcel arrived: what is in it counted against what was
 * authorised) and POST /v1/returns/inspection-scans (one received unit graded, with its
 * disposition and who is liable). Each scan is one call of its SQL function
 * (sql/functions/return_receipt_scan.sql, return_inspection_scan.sql), exactly once by
 * scan_id; the claim's state table (wms/claim.h) gives the states they move it between.
 * Receipt, inspection and refund are separate steps: the inspection of a return's last unit
 * leaves its refunds pending, which this handler then issues (api/returns/refund_issue.h),
 * answering the scan with the refunds added. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/returns/refund_issue.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/claim.h"

/* $1 warehouse scope (staff), $2 return id. */
DB_STMT(stmt_label) = {
	"return_label",
	"SELECT r.label FROM returns r WHERE r.id = $2::uuid"
	" AND ($1::uuid IS NULL OR r.warehouse_id = $1::uuid)"};

/* $1 warehouse scope (staff), $2 the return's RMA code (the newest, for an admin: an RMA is
 * unique within its centre). */
DB_STMT(stmt_label_rma) = {
	"return_label_rma",
	"SELECT r.label FROM returns r WHERE r.rma = $2"
	" AND ($1::uuid IS NULL OR r.warehouse_id = $1::uuid) ORDER BY r.created_at DESC LIMIT 1"};

/* $1 return id, else $2 its RMA code; $3 warehouse scope (staff), $4 seller scope. */
DB_STMT(stmt_get) = {
	"return_get",
	"SELECT return_find($1::uuid, $2, $3::uuid, $4::uuid)::text AS doc"};

DB_STMT(stmt_receipt) = {
	"return_receipt_scan",
	"SELECT " SCAN_COLUMNS " FROM return_receipt_scan($1::uuid, $2::uuid, $3::uuid, $4,"
	" $5::uuid, $6, $7::int, $8::jsonb, $9::boolean, $10::text[], $11, $12::timestamptz)"};

DB_STMT(stmt_inspect) = {
	"return_inspection_scan",
	"SELECT " SCAN_COLUMNS " FROM return_inspection_scan($1::uuid, $2::uuid, $3::uuid, $4,"
	" $5::uuid, $6, $7, $8, $9, $10, $11::text[], $12, $13::timestamptz)"};

struct return_scan_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char hash[65];
	char allowed[64];
	char ref[65];
	char count[16];
	char *wrong; /* JSON text */
};

static void return_scan_req_free(void *p)
{
	struct return_scan_req *q = p;
	free(q->wrong);
	free(q);
}

static void on_label(struct api_req *r, const struct db_reply *rep)
{
	const char *zpl = rep->outcome == DB_OK && PQntuples(rep->res) == 1
	                      ? db_value(rep->res, 0, "label") : NULL;
	if (rep->outcome != DB_OK)
		api_reply_db_error(r, rep);
	else if (!zpl)
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such return");
	else
		api_reply_raw(r, 200, "application/zpl", zpl, strlen(zpl));
}

/* A return's RMA code: "RMA" and 12 upper-case hex digits. */
static bool is_rma(const char *s)
{
	return strlen(s) == 15 && strncmp(s, "RMA", 3) == 0 &&
	       strspn(s + 3, "0123456789ABCDEF") == 12;
}

/* The path's {id}: the return's id (*id) or its RMA code (*rma); -1 (404 sent) otherwise. */
static int path_ref(struct api_req *r, const char **id, const char **rma)
{
	const char *ref = api_req_param(r, "id");
	*id = ref && jsonv_is_uuid(ref) ? ref : NULL;
	*rma = ref && !*id && is_rma(ref) ? ref : NULL;
	if (*id || *rma)
		return 0;
	api_reply_problem(r, PROBLEM_NOT_FOUND, "no such return");
	return -1;
}

void h_return_label(struct api_req *r)
{
	const char *id, *rma;
	if (path_ref(r, &id, &rma) != 0)
		return;
	const char *p[] = {api_scope_warehouse(r), id ? id : rma};
	api_query_or_reply(r, id ? &stmt_label : &stmt_label_rma, 2, p, on_label);
}

static void on_get(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such return");
}

void h_return_get(struct api_req *r)
{
	const char *id, *rma;
	if (path_ref(r, &id, &rma) != 0)
		return;
	const char *p[] = {id, rma, api_scope_warehouse(r), api_scope_seller(r)};
	api_query_or_reply(r, &stmt_get, 4, p, on_get);
}

/* Reads `barcode` — the label's Code 128 (the RMA code; an AIM prefix such as "]C0" is
 * dropped) or its Data Matrix (the return's id) — into q->ref and sets *id or *rma. */
static void read_label(struct jsonv *v, const cJSON *b, struct return_scan_req *q,
                       const char **id, const char **rma)
{
	const char *raw = jsonv_string(v, b, "barcode", true, 1, 64);
	if (!raw)
		return;
	if (raw[0] == ']' && raw[1] && raw[2])
		raw += 3;
	snprintf(q->ref, sizeof q->ref, "%s", raw);
	if (jsonv_is_uuid(q->ref))
		*id = q->ref;
	else if (is_rma(q->ref))
		*rma = q->ref;
	else
		jsonv_error(v, "barcode", "format", "barcode is neither a return's RMA code "
		            "(RMA and 12 hex digits) nor its id");
}

/* `wrong_items`: [{gtin (8 to 14 digits), qty 1..SCAN_MAX_QTY}], at most 20. */
static char *read_wrong(struct jsonv *v, const cJSON *b)
{
	static const char *const fields[] = {"gtin", "qty", NULL};
	const cJSON *arr = jsonv_array(v, b, "wrong_items", false);
	cJSON *out = cJSON_CreateArray();
	int i = 0;
	const cJSON *it;
	if (arr && cJSON_GetArraySize(arr) > 20)
		jsonv_error(v, "wrong_items", "length", "at most 20 wrong items per scan");
	cJSON_ArrayForEach(it, arr)
	{
		char prefix[32], field[48];
		long long qty = 0;
		snprintf(prefix, sizeof prefix, "wrong_items[%d].", i++);
		if (!cJSON_IsObject(it)) {
			snprintf(field, sizeof field, "wrong_items[%d]", i - 1);
			jsonv_error(v, field, "type", "a wrong item is {gtin, qty}");
			continue;
		}
		jsonv_no_unknown(v, it, prefix, fields);
		const char *gtin = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "gtin"));
		size_t len = gtin ? strlen(gtin) : 0;
		if (!gtin || len < 8 || len > 14 || strspn(gtin, "0123456789") != len) {
			snprintf(field, sizeof field, "%sgtin", prefix);
			jsonv_error(v, field, "format", "gtin is 8 to 14 digits");
			continue;
		}
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "qty");
		if (!cJSON_IsNumber(n) || n->valuedouble < 1 || n->valuedouble > SCAN_MAX_QTY ||
		    n->valuedouble != (double)(long long)n->valuedouble) {
			snprintf(field, sizeof field, "%sqty", prefix);
			jsonv_error(v, field, "range", "qty is a whole number from 1 to %d", SCAN_MAX_QTY);
			continue;
		}
		qty = (long long)n->valuedouble;
		cJSON *o = cJSON_CreateObject();
		if (o) {
			cJSON_AddStringToObject(o, "gtin", gtin);
			cJSON_AddNumberToObject(o, "qty", (double)qty);
			cJSON_AddItemToArray(out, o);
		}
	}
	char *text = out ? cJSON_PrintUnformatted(out) : NULL;
	cJSON_Delete(out);
	return text;
}

void h_return_receipt_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "barcode", "qty", "wrong_items",
	                                     "confirm_over_return", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	const char *id = NULL, *rma = NULL;
	long long qty = 0;
	bool confirm = false;
	struct return_scan_req *q = api_req_new_state_or_reply(r, sizeof *q, return_scan_req_free);
	if (!q)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	const char *scan_id = scan_id_read(&v, b);
	read_label(&v, b, q, &id, &rma);
	jsonv_int(&v, b, "qty", true, 0, SCAN_MAX_QTY, &qty);
	q->wrong = read_wrong(&v, b);
	jsonv_bool(&v, b, "confirm_over_return", false, &confirm);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (!q->wrong || wms_claim_allowed_pg_array(WMS_CLAIM_DO_RECEIVE, q->allowed,
	                                            sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	snprintf(q->count, sizeof q->count, "%lld", qty);
	const char *p[12] = {api_scope_warehouse(r), scan_id, api_req_principal(r)->key_id, NULL,
	                     id, rma, q->count, q->wrong, confirm ? "true" : "false", q->allowed,
	                     wms_claim_state_name(wms_claim_target(WMS_CLAIM_DO_RECEIVE)),
	                     api_req_now_text(r)};
	scan_request_hash("return_receipt", p + 4, 5, q->hash);
	p[3] = q->hash;
	scan_run(r, &q->ctx, &stmt_receipt, 12, p);
}

/* An inspection scan's answer: the refunds its last unit left pending are issued before the
 * answer (which then lists them); any other answer goes out as it is. */
static void on_inspected(struct api_req *r, const struct db_reply *rep)
{
	const char *outcome = rep->outcome == DB_OK && PQntuples(rep->res) == 1
	                          ? db_value(rep->res, 0, "outcome") : NULL;
	const char *body = outcome ? db_value(rep->res, 0, "body") : NULL;
	cJSON *doc = outcome && strcmp(outcome, "ok") == 0 && body ? cJSON_Parse(body) : NULL;
	const cJSON *pending = cJSON_GetObjectItemCaseSensitive(doc, "refunds_pending");
	int n = cJSON_GetArraySize(pending);
	if (n <= 0 || n > 8) {
		cJSON_Delete(doc);
		scan_answer(r, rep);
		return;
	}
	const char *ids[8];
	for (int i = 0; i < n; i++) {
		const char *s = cJSON_GetStringValue(cJSON_GetArrayItem(pending, i));
		ids[i] = s ? s : "";
	}
	refund_issue_start(r, ids, (size_t)n, body);
	cJSON_Delete(doc);
}

void h_return_inspection_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "barcode", "grade", "disposition",
	                                     "liability", "lot", NULL};
	static const char *const grades[] = {"new", "like_new", "used", "damaged", "defective", NULL};
	static const char *const dispositions[] = {"restock", "quarantine", "dispose",
	                                           "return_to_seller", NULL};
	static const char *const liabilities[] = {"buyer", "carrier", "warehouse", "seller", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	const char *id = NULL, *rma = NULL;
	struct return_scan_req *q = api_req_new_state_or_reply(r, sizeof *q, return_scan_req_free);
	if (!q)
		return;
	jsonv_no_unknown(&v, b, "", fields);
	const char *scan_id = scan_id_read(&v, b);
	read_label(&v, b, q, &id, &rma);
	int grade = jsonv_enum(&v, b, "grade", true, grades);
	int disp = jsonv_enum(&v, b, "disposition", true, dispositions);
	int liab = jsonv_enum(&v, b, "liability", true, liabilities);
	const char *lot = jsonv_string(&v, b, "lot", false, 1, 20);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (wms_claim_allowed_pg_array(WMS_CLAIM_DO_CLOSE, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	const char *p[13] = {api_scope_warehouse(r), scan_id, api_req_principal(r)->key_id, NULL,
	                     id, rma, grades[grade], dispositions[disp], liabilities[liab], lot,
	                     q->allowed, wms_claim_state_name(wms_claim_target(WMS_CLAIM_DO_CLOSE)),
	                     api_req_now_text(r)};
	scan_request_hash("return_inspection", p + 4, 6, q->hash);
	p[3] = q->hash;
	scan_run_with(r, &q->ctx, &stmt_inspect, 13, p, on_inspected);
}
