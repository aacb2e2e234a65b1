/* h_putaway.c — POST /v1/putaway/scans (staff): moves scanned stock from one
 * bin of the staff's warehouse to another, scan by scan. One call of the SQL
 * function putaway_scan() (sql/005_receiving.sql) inserts the movement (the
 * trigger keeps on-hand, never below zero) and the scan with its answer:
 * exactly once by scan_id, never more than is there. */
#include <stdlib.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/routes.h"
#include "api/scan/scans.h"

/* $1 warehouse, $2 scan_id, $3 key id, $4 GTIN, $5 qty, $6 from bin code,
 * $7 to bin code, $8 stock status. */
static const struct db_stmt stmt_putaway = {
	"putaway_scan",
	"SELECT " SCAN_COLUMNS " FROM putaway_scan($1::uuid, $2::uuid, $3::uuid, $4, $5::int, $6, "
	"$7, $8)"};

struct putaway_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	struct scan_item item;
};

void h_putaway_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "barcode", "gtin", "qty", "to_bin", "from",
	                                     "status", NULL};
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
	q->ctx.kind = "putaway";
	q->ctx.scan_id = scan_id;
	q->ctx.warehouse = api_scope_warehouse(r);
	q->ctx.item_field = q->item.field;
	const char *p[] = {q->ctx.warehouse, scan_id, api_req_principal(r)->key_id, q->item.gtin,
	                   q->item.qty, from, to, statuses[status >= 0 ? status : 0]};
	scan_run(r, &q->ctx, &stmt_putaway, 8, p);
}
