/* h_ship_scans.c — POST /v1/ship/scans (staff): the dock's hand-over scan. The barcode is
 * what the scanner read from a package's label: the tracking number's Code 128 (an AIM
 * symbology prefix such as "]C0" is dropped; the number is checked with wms_tracking_parse,
 * so a misread check digit is a 422 naming it), or the package id of its Data Matrix. One
 * call of ship_scan() (sql/functions/ship_scan.sql), exactly once by scan_id: the package is
 * shipped, its units leave the PACKING bin, and the order's last package ships the order;
 * wms/order.h's ship decides which order states allow it. */
#include <stdio.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/order.h"
#include "wms/tracking.h"

/* $1 warehouse, $2 scan_id, $3 key id, $4 request hash, $5 package id, $6 tracking number,
 * $7 the order states a package may leave in, $8 the order's state after its last, $9 now. */
DB_STMT(stmt_ship) = {
	"ship_scan",
	"SELECT " SCAN_COLUMNS " FROM ship_scan($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid, $6,"
	" $7::text[], $8, $9::timestamptz)"};

enum { P_WAREHOUSE, P_SCAN, P_KEY, P_HASH, P_PACKAGE, P_TRACKING, P_ALLOWED, P_TARGET, P_NOW,
       NPARAMS };

struct ship_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char hash[65];
	char allowed[96];
	char ref[65]; /* the barcode without its symbology prefix */
};

/* Reads `barcode` into q->ref and sets *package (a package id) or *tracking (a valid
 * tracking number), pointing into q->ref; records the problem in v otherwise. */
static void read_barcode(struct jsonv *v, const cJSON *b, struct ship_req *q,
                         const char **package, const char **tracking)
{
	struct wms_tracking t;
	char err[120];
	const char *raw = jsonv_string(v, b, "barcode", true, 1, 64);
	if (!raw)
		return;
	/* an AIM symbology identifier: ']', the symbology's letter, a modifier character */
	if (raw[0] == ']' && raw[1] && raw[2])
		raw += 3;
	snprintf(q->ref, sizeof q->ref, "%s", raw);
	if (jsonv_is_uuid(q->ref))
		*package = q->ref;
	else if (wms_tracking_parse(q->ref, &t, err, sizeof err) == 0)
		*tracking = q->ref;
	else
		jsonv_error(v, "barcode", "format",
		            "barcode is neither a package id nor a tracking number: %s", err);
}

void h_ship_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "barcode", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	const char *package = NULL, *tracking = NULL;
	struct ship_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;

	jsonv_no_unknown(&v, b, "", fields);
	const char *scan_id = scan_id_read(&v, b);
	read_barcode(&v, b, q, &package, &tracking);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (wms_order_allowed_pg_array(WMS_ORDER_DO_SHIP, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	const char *p[NPARAMS] = {NULL};
	p[P_WAREHOUSE] = api_scope_warehouse(r);
	p[P_SCAN] = scan_id;
	p[P_KEY] = api_req_principal(r)->key_id;
	p[P_PACKAGE] = package;
	p[P_TRACKING] = tracking;
	scan_request_hash("ship", p + P_PACKAGE, P_ALLOWED - P_PACKAGE, q->hash);
	p[P_HASH] = q->hash;
	p[P_ALLOWED] = q->allowed;
	p[P_TARGET] = wms_order_state_name(wms_order_target(WMS_ORDER_DO_SHIP));
	p[P_NOW] = api_req_now_text(r);
	scan_run(r, &q->ctx, &stmt_ship, NPARAMS, p);
}
