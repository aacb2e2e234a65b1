/* h_pickup_scans.c — POST /v1/pickup/scans (staff of the hub: the driver's handheld): the
 * collection of a published pickup request, exactly once by scan_id. The request becomes
 * collected with the parcels scanned, its inbound shipment goes in transit (or its JIT
 * consignment is dispatched: its tasks go in_transit_to_hub by wms/jit.h's dispatch), and the
 * pickup fee (fixed plus per kg, from the fee schedule in force, with the mode's treatment:
 * waived and shown as saved in semi_warehouse; a JIT consignment's is semi_jit's) is posted on the seller's ledger in the same
 * statement (api/fees/fees_pickup.h, FEES_LEDGER_INSERT; sql/functions/pickup_collect.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_pickup.h"
#include "api/fees/fees_post.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/inbound.h"
#include "wms/jit.h"
#include "wms/pickup.h"

/* $1 warehouse, $2 request, $3 the collection's time (whole seconds). */
DB_STMT(stmt_fee_input) = {
	"pickup_fee_input",
	"SELECT pickup_fee_input($1::uuid, $2::uuid, $3::timestamptz)::text"};

/* $1 warehouse, $2 scan_id, $3 request, $4 parcels, $5 request hash, $6 request states a
 * collection is allowed from, $7 collected, $8 shipment states that go in transit, $9 in
 * transit, $10 JIT task states dispatch moves, $11 in transit to the hub, $12 now, $13 the
 * fee's ledger rows (JSON array text). */
DB_STMT(stmt_collect) = {
	"pickup_collect",
	"WITH c AS (SELECT * FROM pickup_collect($1::uuid, $2::uuid, $3::uuid, $4::int, $5,"
	" $6::text[], $7, $8::text[], $9, $10::text[], $11, $12::timestamptz)),"
	" posted AS (" FEES_LEDGER_INSERT("$13", "EXISTS (SELECT 1 FROM c WHERE c.outcome = 'ok'"
	                                        " AND NOT c.replayed)") ")"
	" SELECT outcome, detail, body::text AS body, replayed FROM c"};

enum { P_WH, P_SCAN, P_REQUEST, P_PARCELS, P_HASH, P_COLLECT_FROM, P_COLLECTED, P_TRANSIT_FROM,
       P_TRANSIT, P_JIT_FROM, P_JIT_TO, P_NOW, P_ROWS, NPARAMS };

/* What a scan keeps between its two statements (its state begins with the scan_ctx). */
struct pickup_scan_req {
	struct scan_ctx ctx;
	const char *p[NPARAMS];
	char parcels[16];
	char hash[65];
	char transit_from[48];
	char collect_from[48];
	char jit_from[128];
	char now[INSTANT_TEXT];
	char *rows;
};

static void pickup_scan_free(void *s)
{
	struct pickup_scan_req *q = s;
	free(q->rows);
	free(q);
}

static void on_fee_input(struct api_req *r, const struct db_reply *rep)
{
	struct pickup_scan_req *q = api_req_state(r);
	char err[256];
	if (api_found_or_reply(r, rep, "no answer") != 0)
		return;
	if (PQgetisnull(rep->res, 0, 0)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such pickup request at this hub");
		return;
	}
	q->rows = fees_pickup_rows(PQgetvalue(rep->res, 0, 0), err, sizeof err);
	if (q->rows == NULL) {
		api_reply_problem(r, PROBLEM_CONFLICT, "the pickup cannot be priced: %s", err);
		return;
	}
	q->p[P_ROWS] = q->rows;
	scan_run(r, &q->ctx, &stmt_collect, NPARAMS, q->p);
}

/* POST /v1/pickup/scans {scan_id, request, parcels} */
void h_pickup_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "request", "parcels", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	long long parcels = 0;
	struct pickup_scan_req *q = calloc(1, sizeof *q);
	if (q == NULL) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	api_req_set_state(r, q, pickup_scan_free);
	jsonv_no_unknown(&v, b, "", fields);
	q->p[P_SCAN] = scan_id_read(&v, b);
	q->p[P_REQUEST] = jsonv_string(&v, b, "request", true, 1, 64);
	if (q->p[P_REQUEST] && !jsonv_is_uuid(q->p[P_REQUEST]))
		jsonv_error(&v, "request", "format", "request is the pickup request's id (a UUID)");
	(void)jsonv_int(&v, b, "parcels", true, 1, 10000, &parcels);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (wms_inbound_allowed_pg_array(WMS_INBOUND_DO_IN_TRANSIT, q->transit_from,
	                                 sizeof q->transit_from) != 0 ||
	    wms_pickup_allowed_pg_array(WMS_PICKUP_DO_COLLECT, q->collect_from,
	                                sizeof q->collect_from) != 0 ||
	    wms_jit_allowed_pg_array(WMS_JIT_DO_DISPATCH, q->jit_from, sizeof q->jit_from) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	snprintf(q->parcels, sizeof q->parcels, "%lld", parcels);
	q->p[P_WH] = api_scope_warehouse(r);
	q->p[P_PARCELS] = q->parcels;
	scan_request_hash("pickup", &q->p[P_REQUEST], 2, q->hash);
	q->p[P_HASH] = q->hash;
	q->p[P_COLLECT_FROM] = q->collect_from;
	q->p[P_COLLECTED] = wms_pickup_state_name(wms_pickup_target(WMS_PICKUP_DO_COLLECT));
	q->p[P_TRANSIT_FROM] = q->transit_from;
	q->p[P_TRANSIT] = wms_inbound_state_name(wms_inbound_target(WMS_INBOUND_DO_IN_TRANSIT));
	q->p[P_JIT_FROM] = q->jit_from;
	q->p[P_JIT_TO] = wms_jit_state_name(wms_jit_target(WMS_JIT_DO_DISPATCH));
	/* whole seconds: the fee's time and the collection's are the same instant */
	instant_format(api_req_now_us(r) / INSTANT_US * INSTANT_US, q->now);
	q->p[P_NOW] = q->now;
	const char *p[] = {q->p[P_WH], q->p[P_REQUEST], q->now};
	api_query_or_reply(r, &stmt_fee_input, 3, p, on_fee_input);
}
