/* h_warehouses.c — warehouses: create and update (admin); read and list for
 * every role, staff seeing only their own warehouse. */
#include <stdio.h>

#include "api/http/fields.h"
#include "api/http/create.h"
#include "api/http/req.h"
#include "api/routes.h"

/* The warehouse shape of the row t (a table alias or name), its columns as arguments. */
#define WAREHOUSE_JSON(t) "warehouse_json(" t ".id" ", " t ".code" ", " t ".name" ", " t ".country" ", " t ".time_zone" ", " t ".kind" ", " t ".over_receipt_tolerance_bp" ", " t ".created_at" ", " t ".updated_at" ")"

static const char *const kinds[] = {"consolidation_hub", "fulfillment_center", "returns_center",
                                    NULL};

DB_STMT(stmt_create) = {
	"warehouse_create",
	CREATE_IDEM_SQL(
		"INSERT INTO warehouses (code, name, country, time_zone, kind, over_receipt_tolerance_bp) "
		"SELECT $4, $5, $6, $7, $8, coalesce($9::int, 1000)",
		"true", WAREHOUSE_JSON("warehouses"))};

static const struct create_unique uniques[] = {
	{"warehouses", "code", NULL, "a warehouse with this code already exists", NULL},
	{NULL, NULL, NULL, NULL, NULL}};

/* Every warehouse has a receiving, a quarantine and a packing location (where picks go), as
 * bins: written after the warehouse (a reference table's row) by a statement of their own,
 * on the warehouse's shard ($1 the new warehouse's id); idempotent. (Closing a shipment
 * makes sure of the first two too, a pick scan of PACKING.) */
DB_STMT(stmt_default_bins) = {
	"warehouse_default_bins",
	"INSERT INTO bins (warehouse_id, code, zone, kind)"
	" VALUES ($1::uuid, 'RECEIVING', 'DOCK', 'receiving'), ($1::uuid, 'QUARANTINE', 'DOCK', 'quarantine'),"
	" ($1::uuid, 'PACKING', 'PACK', 'staging')"
	" ON CONFLICT (warehouse_id, code) DO NOTHING"};

static const struct create_spec creator = {&stmt_create, "no warehouse", uniques,
                                           &stmt_default_bins};

DB_STMT(stmt_get) = {
	"warehouse_get",
	"SELECT " WAREHOUSE_JSON("w") " FROM warehouses w "
	"WHERE w.code = $1 AND ($2::uuid IS NULL OR w.id = $2::uuid)"};

DB_STMT(stmt_list) = {
	"warehouse_list",
	"WITH page AS ("
	"  SELECT " WAREHOUSE_JSON("w") " AS j, w.created_at, w.id,"
	"    row_number() OVER (ORDER BY w.created_at DESC, w.id DESC) AS rn"
	"  FROM warehouses w"
	"  WHERE ($2::text IS NULL OR (w.created_at, w.id) < (page_ts($2), $3::uuid))"
	"    AND ($4::uuid IS NULL OR w.id = $4::uuid)"
	"  ORDER BY w.created_at DESC, w.id DESC LIMIT $1::int + 1) "
	"SELECT json_build_object("
	"  'items', coalesce((SELECT json_agg(j ORDER BY rn) FROM page WHERE rn <= $1::int), '[]'),"
	"  'next_cursor', (SELECT page_cursor(created_at, id) FROM page WHERE rn = $1::int"
	"                  AND EXISTS (SELECT 1 FROM page WHERE rn > $1::int)))"};

DB_STMT(stmt_update) = {
	"warehouse_update",
	"UPDATE warehouses SET name = coalesce($2, name), country = coalesce($3, country),"
	" time_zone = coalesce($4, time_zone), kind = coalesce($5, kind),"
	" over_receipt_tolerance_bp = coalesce($6::int, over_receipt_tolerance_bp),"
	" updated_at = $7::timestamptz "
	"WHERE code = $1 RETURNING " WAREHOUSE_JSON("warehouses")};

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such warehouse");
}

/* Reads the writable fields; create requires them all. */
static void read_fields(struct jsonv *v, const cJSON *b, bool create, const char *out[6],
                        char tol[16])
{
	static const char *const allowed_create[] = {
		"code", "name", "country", "time_zone", "kind", "over_receipt_tolerance_bp", NULL};
	long long t;
	jsonv_no_unknown(v, b, "", allowed_create);
	out[0] = create ? fields_code(v, b, "code", true) : NULL;
	out[1] = jsonv_string(v, b, "name", create, 1, 200);
	out[2] = fields_country(v, b, "country", create);
	out[3] = fields_time_zone(v, b, "time_zone", create);
	int k = jsonv_enum(v, b, "kind", create, kinds);
	out[4] = k >= 0 ? kinds[k] : NULL;
	out[5] = NULL;
	if (jsonv_int(v, b, "over_receipt_tolerance_bp", false, 0, 100000, &t) == 1) {
		snprintf(tol, 16, "%lld", t);
		out[5] = tol;
	}
}

void h_warehouse_create(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	const char *p[6];
	char tol[16];
	read_fields(&v, api_req_body(r), true, p, tol);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	create_or_reply(r, &creator, 6, p);
}

void h_warehouse_update(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	const char *p[7];
	char tol[16];
	if (cJSON_GetObjectItemCaseSensitive(api_req_body(r), "code"))
		jsonv_error(&v, "code", "immutable", "code cannot be changed");
	read_fields(&v, api_req_body(r), false, p, tol);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	p[0] = api_req_param(r, "code");
	p[6] = api_req_now_text(r);
	api_query_or_reply(r, &stmt_update, 7, p, on_found);
}

void h_warehouse_get(struct api_req *r)
{
	const char *p[] = {api_req_param(r, "code"), api_scope_warehouse(r)};
	api_query_or_reply(r, &stmt_get, 2, p, on_found);
}

void h_warehouse_list(struct api_req *r)
{
	struct api_page pg;
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id, api_scope_warehouse(r)};
	api_query_or_reply(r, &stmt_list, 4, p, on_found);
}
