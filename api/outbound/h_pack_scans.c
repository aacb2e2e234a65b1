/* h_pack_scans.c — POST /v1/pack/scans (staff): puts a scanned item into an open package of
 * the staff's warehouse, scan by scan. One call of the SQL function pack_scan()
 * (sql/functions/pack_scan.sql): only picked units of the package's order that are in no
 * package yet go in (409 wrong-item, 409 over-pack), exactly once by scan_id; the answer
 * shows the order's progress and says what to scan next (item, or close). */
#include "api/http/fields.h"
#include "api/routes.h"
#include "api/scan/scans.h"

/* $1 warehouse, $2 scan_id, $3 key id, $4 request hash, $5 package id, $6 GTIN, $7 qty,
 * $8 now. */
DB_STMT(stmt_pack) = {
	"pack_scan",
	"SELECT " SCAN_COLUMNS " FROM pack_scan($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid, $6,"
	" $7::int, $8::timestamptz)"};

enum { P_WAREHOUSE, P_SCAN, P_KEY, P_HASH, P_PACKAGE, P_GTIN, P_QTY, P_NOW, NPARAMS };

struct pack_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	struct scan_item item;
	char hash[65];
};

void h_pack_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "package", "barcode", "gtin", "qty", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	struct pack_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;

	jsonv_no_unknown(&v, b, "", fields);
	const char *scan_id = scan_id_read(&v, b);
	const char *package = fields_uuid(&v, b, "package", true, "the package's id (a UUID)");
	scan_item_read(&v, b, &q->item);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *p[NPARAMS] = {NULL};
	p[P_WAREHOUSE] = api_scope_warehouse(r);
	p[P_SCAN] = scan_id;
	p[P_KEY] = api_req_principal(r)->key_id;
	p[P_PACKAGE] = package;
	p[P_GTIN] = q->item.gtin;
	p[P_QTY] = q->item.qty;
	scan_request_hash("pack", p + P_PACKAGE, P_NOW - P_PACKAGE, q->hash);
	p[P_HASH] = q->hash;
	p[P_NOW] = api_req_now_text(r);
	q->ctx.item_field = q->item.field;
	scan_run(r, &q->ctx, &stmt_pack, NPARAMS, p);
}
