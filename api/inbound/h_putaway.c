/* h_putaway.c — POST /v1/putaway/scans (staff): moves scanned stock from one bin of the
 * staff's warehouse to another, scan by scan. One call of the SQL function putaway_scan()
 * (sql/functions/putaway_scan.sql) inserts the movements (first-expired-first-out across
 * lots when the scan names none; the trigger keeps on-hand, never below zero) and the scan
 * with its answer: exactly once by scan_id, never more than is there, quarantined stock
 * only into quarantine bins. */
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/routes.h"
#include "api/scan/scans.h"

/* $1 warehouse, $2 scan_id, $3 key id, $4 request hash, $5 GTIN, $6 lot, $7 expiry, $8 qty,
 * $9 from bin code, $10 to bin code, $11 stock status, $12 now. */
DB_STMT(stmt_putaway) = {
	"putaway_scan",
	"SELECT " SCAN_COLUMNS " FROM putaway_scan($1::uuid, $2::uuid, $3::uuid, $4, $5, $6,"
	" $7::date, $8::int, $9, $10, $11, $12::timestamptz)"};

enum { P_WAREHOUSE, P_SCAN, P_KEY, P_HASH, P_GTIN, P_LOT, P_EXPIRY, P_QTY, P_FROM, P_TO,
       P_STATUS, P_NOW, NPARAMS };

struct putaway_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	struct scan_item item;
	char hash[65];
	char now[INSTANT_TEXT];
};

void h_putaway_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "barcode", "gtin", "qty", "lot", "expiry",
	                                     "to_bin", "from", "status", NULL};
	static const char *const statuses[] = {"sellable", "quarantine", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	struct putaway_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;

	jsonv_no_unknown(&v, b, "", fields);
	const char *scan_id = scan_id_read(&v, b);
	scan_item_read(&v, b, &q->item);
	const char *to = jsonv_string(&v, b, "to_bin", true, 1, 32);
	const char *from = jsonv_string(&v, b, "from", false, 1, 32);
	int status = jsonv_enum(&v, b, "status", false, statuses);
	if (!from)
		from = "RECEIVING";
	if (to && strcmp(to, from) == 0)
		jsonv_error(&v, "to_bin", "same_bin", "to_bin is the bin the stock comes from");
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *p[NPARAMS] = {NULL};
	p[P_WAREHOUSE] = api_scope_warehouse(r);
	p[P_SCAN] = scan_id;
	p[P_KEY] = api_req_principal(r)->key_id;
	p[P_GTIN] = q->item.gtin;
	p[P_LOT] = q->item.lot[0] ? q->item.lot : NULL;
	p[P_EXPIRY] = q->item.expiry[0] ? q->item.expiry : NULL;
	p[P_QTY] = q->item.qty;
	p[P_FROM] = from;
	p[P_TO] = to;
	p[P_STATUS] = statuses[status >= 0 ? status : 0];
	scan_request_hash("putaway", p + P_GTIN, P_NOW - P_GTIN, q->hash);
	p[P_HASH] = q->hash;
	instant_format(api_req_now_us(r), q->now);
	p[P_NOW] = q->now;
	q->ctx.item_field = q->item.field;
	scan_run(r, &q->ctx, &stmt_putaway, NPARAMS, p);
}
