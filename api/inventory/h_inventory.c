/* h_inventory.c — reading stock: GET /v1/inventory (on-hand per warehouse,
 * SKU, location, status, lot and expiry, what of it is reserved for orders and
 * what is still available, and whether it is allocatable:
 * sellable in a storage bin, not still in the receiving area or in
 * quarantine) and GET /v1/inventory/movements (the ledger, newest first).
 * Sellers see their own SKUs in every warehouse, staff their warehouse, admin
 * and platform everything. Filters: sku (code or id), warehouse (code),
 * location (bin code), status; movements also reason.
 *
 * Pages: ?limit= (1..200, default 50) and ?cursor= from next_cursor. On-hand
 * rows have no time order, so they are listed by their key (warehouse, SKU,
 * bin, status, expiry, lot) and the cursor is that key (the lot hex-encoded);
 * movements page by id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/req.h"
#include "api/routes.h"

/* $1 limit, $2 seller scope, $3 warehouse scope, $4 sku, $5 warehouse code,
 * $6 bin code, $7 status, $8 cursor "<warehouse>.<sku>.<bin>.<status>.<expiry>.<hex lot>". */
DB_STMT(stmt_onhand) = {
	"inventory_list",
	"WITH page AS (SELECT o.*, w.code AS wcode, b.code AS bcode, b.kind AS bkind, k.sku_code,"
	"    k.gtin, row_number() OVER (ORDER BY o.warehouse_id, o.sku_id, o.bin_id, o.status,"
	"                               o.expiry, o.lot) AS rn"
	"  FROM inventory_onhand o JOIN warehouses w ON w.id = o.warehouse_id"
	"  JOIN bins b ON b.warehouse_id = o.warehouse_id AND b.id = o.bin_id"
	"  JOIN skus k ON k.seller_id = o.seller_id AND k.id = o.sku_id"
	"  WHERE o.qty > 0 AND ($2::uuid IS NULL OR o.seller_id = $2::uuid)"
	"    AND ($3::uuid IS NULL OR o.warehouse_id = $3::uuid)"
	"    AND ($4::text IS NULL OR k.sku_code = $4 OR k.id::text = $4)"
	"    AND ($5::text IS NULL OR w.code = $5) AND ($6::text IS NULL OR b.code = $6)"
	"    AND ($7::text IS NULL OR o.status = $7)"
	"    AND ($8::text IS NULL OR (o.warehouse_id, o.sku_id, o.bin_id, o.status, o.expiry, o.lot) >"
	"         (split_part($8, '.', 1)::uuid, split_part($8, '.', 2)::uuid,"
	"          split_part($8, '.', 3)::uuid, split_part($8, '.', 4), split_part($8, '.', 5)::date,"
	"          convert_from(decode(split_part($8, '.', 6), 'hex'), 'UTF8')))"
	"  ORDER BY o.warehouse_id, o.sku_id, o.bin_id, o.status, o.expiry, o.lot LIMIT $1::int + 1) "
	"SELECT json_build_object('items', coalesce((SELECT json_agg(json_build_object("
	"    'warehouse', wcode, 'location', bcode, 'status', status, 'qty', qty,"
	"    'reserved', reserved, 'available', qty - reserved,"
	"    'lot', nullif(lot, ''), 'expiry', CASE WHEN expiry <> 'infinity' THEN expiry END,"
	"    'allocatable', status = 'sellable' AND bkind = 'storage',"
	"    'sku', json_build_object('id', sku_id, 'sku_code', sku_code, 'gtin', gtin,"
	"                             'seller_id', seller_id),"
	"    'updated_at', api_ts(updated_at)) ORDER BY rn) FROM page WHERE rn <= $1::int), '[]'),"
	"  'next_cursor', (SELECT concat_ws('.', warehouse_id, sku_id, bin_id, status, expiry,"
	"                                   encode(convert_to(lot, 'UTF8'), 'hex')) FROM page"
	"                  WHERE rn = $1::int AND EXISTS (SELECT 1 FROM page WHERE rn > $1::int)))"};

/* $1..$7 as above, $8 cursor (an id), $9 reason. */
DB_STMT(stmt_movements) = {
	"inventory_movements",
	"WITH page AS (SELECT m.*, w.code AS wcode, k.sku_code, fb.code AS from_code,"
	"    tb.code AS to_code, row_number() OVER (ORDER BY m.id DESC) AS rn"
	"  FROM inventory_movements m JOIN warehouses w ON w.id = m.warehouse_id"
	"  JOIN skus k ON k.seller_id = m.seller_id AND k.id = m.sku_id"
	"  LEFT JOIN bins fb ON fb.warehouse_id = m.warehouse_id AND fb.id = m.from_bin_id"
	"  LEFT JOIN bins tb ON tb.warehouse_id = m.warehouse_id AND tb.id = m.to_bin_id"
	"  WHERE ($2::uuid IS NULL OR m.seller_id = $2::uuid)"
	"    AND ($3::uuid IS NULL OR m.warehouse_id = $3::uuid)"
	"    AND ($4::text IS NULL OR k.sku_code = $4 OR k.id::text = $4)"
	"    AND ($5::text IS NULL OR w.code = $5)"
	"    AND ($6::text IS NULL OR fb.code = $6 OR tb.code = $6)"
	"    AND ($7::text IS NULL OR m.from_status = $7 OR m.to_status = $7)"
	"    AND ($8::bigint IS NULL OR m.id < $8::bigint) AND ($9::text IS NULL OR m.reason = $9)"
	"  ORDER BY m.id DESC LIMIT $1::int + 1) "
	"SELECT json_build_object('items', coalesce((SELECT json_agg(json_build_object("
	"    'id', id, 'warehouse', wcode, 'sku', json_build_object('id', sku_id, 'sku_code', sku_code),"
	"    'seller_id', seller_id, 'qty', qty, 'lot', nullif(lot, ''),"
	"    'expiry', CASE WHEN expiry <> 'infinity' THEN expiry END,"
	"    'from', CASE WHEN from_bin_id IS NOT NULL"
	"                 THEN json_build_object('location', from_code, 'status', from_status) END,"
	"    'to', CASE WHEN to_bin_id IS NOT NULL"
	"               THEN json_build_object('location', to_code, 'status', to_status) END,"
	"    'reason', reason, 'ref', json_build_object('type', ref_type, 'id', ref_id),"
	"    'key_id', key_id, 'created_at', api_ts(created_at)) ORDER BY rn) FROM page WHERE rn <= $1::int),"
	"    '[]'),"
	"  'next_cursor', (SELECT id::text FROM page"
	"                  WHERE rn = $1::int AND EXISTS (SELECT 1 FROM page WHERE rn > $1::int)))"};

static const char *const statuses[] = {"sellable", "quarantine", NULL};
static const char *const reasons[] = {"inbound_receipt", "putaway", "adjustment", "pick", "ship",
                                      "return_receipt", "stock_issue", NULL};

static bool one_of(const char *s, const char *const *set)
{
	for (int i = 0; set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

/* Whether c is an on-hand cursor: three UUIDs, a status, an expiry (a date or "infinity")
 * and the lot in hex (possibly empty), '.'-separated. */
static bool onhand_cursor(const char *c)
{
	char part[40];
	for (int i = 0; i < 3; i++) {
		const char *dot = strchr(c, '.');
		if (!dot || dot - c != 36)
			return false;
		memcpy(part, c, 36);
		part[36] = '\0';
		if (!jsonv_is_uuid(part))
			return false;
		c = dot + 1;
	}
	const char *dot = strchr(c, '.');
	if (!dot || dot - c > 12)
		return false;
	memcpy(part, c, (size_t)(dot - c));
	part[dot - c] = '\0';
	if (!one_of(part, statuses))
		return false;
	c = dot + 1;
	dot = strchr(c, '.');
	int64_t days;
	if (!dot || dot - c > 10)
		return false;
	memcpy(part, c, (size_t)(dot - c));
	part[dot - c] = '\0';
	if (strcmp(part, "infinity") != 0 && instant_parse_date(part, &days) != 0)
		return false;
	size_t hex = strspn(dot + 1, "0123456789abcdef");
	return dot[1 + hex] == '\0' && hex % 2 == 0 && hex <= 40;
}

/* Fills p[0..8) with the common parameters of both lists; answers 400 and
 * returns -1 on a bad limit, status or cursor. */
static int list_params_or_reply(struct api_req *r, const char *p[9], struct api_page *pg,
                                enum api_cursor kind)
{
	const char *status = api_req_query(r, "status");
	if (api_page_or_reply(r, pg, kind, onhand_cursor) != 0)
		return -1;
	if (status && !one_of(status, statuses)) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "status must be sellable or quarantine");
		return -1;
	}
	p[0] = pg->limit;
	p[1] = api_scope_seller(r);
	p[2] = api_scope_warehouse(r);
	p[3] = api_req_query(r, "sku");
	p[4] = api_req_query(r, "warehouse");
	p[5] = api_req_query(r, "location");
	p[6] = status;
	p[7] = pg->cursor;
	return 0;
}

static void on_page(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no page");
}

void h_inventory_list(struct api_req *r)
{
	const char *p[9];
	struct api_page pg;
	if (list_params_or_reply(r, p, &pg, API_CURSOR_KEY) == 0)
		api_query_or_reply(r, &stmt_onhand, 8, p, on_page);
}

void h_inventory_movements(struct api_req *r)
{
	const char *p[9];
	struct api_page pg;
	if (list_params_or_reply(r, p, &pg, API_CURSOR_SERIAL) != 0)
		return;
	p[8] = api_req_query(r, "reason");
	if (p[8] && !one_of(p[8], reasons)) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "reason must be one of inbound_receipt, putaway, "
		                  "adjustment, pick, ship, return_receipt, stock_issue");
		return;
	}
	api_query_or_reply(r, &stmt_movements, 9, p, on_page);
}
