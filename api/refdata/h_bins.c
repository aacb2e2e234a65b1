/* h_bins.c — the bins of a warehouse: create and update (admin); read and
 * list for admin, platform and the warehouse's own staff. {code} is the
 * warehouse code, {bin} the bin code; a warehouse the caller may not see is
 * answered like one that does not exist (404). */
#include <string.h>

#include "api/http/create.h"
#include "api/http/fields.h"
#include "api/http/req.h"
#include "api/routes.h"

/* The bin shape of the row t with the warehouse code wcode (SQL), its columns as arguments. */
#define BIN_JSON(t, wcode)                                                                         \
	"bin_json(" t ".id, " wcode ", " t ".code, " t ".zone, " t ".kind, " t ".created_at, " t      \
	".updated_at)"

static const char *const kinds[] = {"storage", "receiving", "quarantine", "staging", "returns",
                                    NULL};

#define BIN_CODE_RE "^[A-Z0-9][A-Z0-9._-]{0,31}$"
#define BIN_CODE_HINT "1 to 32 characters A-Z, 0-9, '.', '_' or '-', starting with a letter or digit"

static const struct create_unique uniques[] = {
	{"bins", "warehouse_id, code", "code", "a bin with this code already exists in this warehouse",
	 NULL},
	{NULL, NULL, NULL, NULL, NULL}};

/* $4 the warehouse code, $5..$7 code, zone, kind. Inserts nothing when the
 * warehouse does not exist. */
DB_STMT(stmt_create) = {
	"bin_create",
	CREATE_IDEM_SQL("INSERT INTO bins (warehouse_id, code, zone, kind) "
	                    "SELECT w.id, $5, $6, coalesce($7, 'storage') FROM warehouses w",
	                    "w.code = $4", BIN_JSON("bins", "$4"))};

static const struct create_spec creator = {&stmt_create, "no such warehouse", uniques, NULL};

DB_STMT(stmt_get) = {
	"bin_get",
	"SELECT " BIN_JSON("b", "w.code") " FROM warehouses w JOIN bins b ON b.warehouse_id = w.id "
	"WHERE w.code = $1 AND b.code = $2 AND ($3::uuid IS NULL OR w.id = $3::uuid)"};

/* One row (a page, perhaps empty) when the warehouse is in scope, else none. */
DB_STMT(stmt_list) = {
	"bin_list",
	"SELECT page_json((SELECT json_agg(p.j ORDER BY p.created_at DESC, p.id DESC) FROM ("
	"    SELECT " BIN_JSON("b", "w.code") " AS j, b.created_at, b.id FROM bins b"
	"    WHERE b.warehouse_id = w.id"
	"      AND ($3::text IS NULL OR (b.created_at, b.id) < (page_ts($3), $4::uuid))"
	"      AND ($5::text IS NULL OR b.zone = $5) AND ($6::text IS NULL OR b.kind = $6)"
	"    ORDER BY b.created_at DESC, b.id DESC LIMIT $1::int + 1) p), $1::int) "
	"FROM warehouses w WHERE w.code = $2 AND ($7::uuid IS NULL OR w.id = $7::uuid)"};

DB_STMT(stmt_update) = {
	"bin_update",
	"UPDATE bins b SET zone = coalesce($3, b.zone), kind = coalesce($4, b.kind),"
	" updated_at = $5::timestamptz "
	"FROM warehouses w WHERE w.id = b.warehouse_id AND w.code = $1 AND b.code = $2 "
	"RETURNING " BIN_JSON("b", "w.code")};

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such bin in this warehouse");
}

static void on_listed(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such warehouse");
}

/* Reads the writable fields into out[0..2] = code, zone, kind (NULL when
 * absent). Create requires code and zone; update refuses code. */
static void read_fields(struct jsonv *v, const cJSON *b, bool create, const char *out[3])
{
	static const char *const allowed[] = {"code", "zone", "kind", NULL};
	jsonv_no_unknown(v, b, "", allowed);
	out[0] = NULL;
	if (create)
		out[0] = fields_shape(v, b, "code", true, 32, BIN_CODE_RE, BIN_CODE_HINT);
	else
		jsonv_immutable(v, b, "code");
	out[1] = jsonv_string(v, b, "zone", create, 1, 32);
	int k = jsonv_enum(v, b, "kind", false, kinds);
	out[2] = k >= 0 ? kinds[k] : NULL;
}

void h_bin_create(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	const char *p[4];
	read_fields(&v, api_req_body(r), true, p + 1);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	p[0] = api_req_param(r, "code");
	create_or_reply(r, &creator, 4, p);
}

void h_bin_update(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	const char *f[3];
	read_fields(&v, api_req_body(r), false, f);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *p[] = {api_req_param(r, "code"), api_req_param(r, "bin"), f[1], f[2],
	                   api_req_now_text(r)};
	api_query_or_reply(r, &stmt_update, 5, p, on_found);
}

void h_bin_get(struct api_req *r)
{
	const char *p[] = {api_req_param(r, "code"), api_req_param(r, "bin"), api_scope_warehouse(r)};
	api_query_or_reply(r, &stmt_get, 3, p, on_found);
}

/* Filters: ?zone= (exact), ?kind= (one of kinds; another value is 400). */
void h_bin_list(struct api_req *r)
{
	struct api_page pg;
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *kind = api_req_query(r, "kind");
	if (kind) {
		int k = 0;
		while (kinds[k] && strcmp(kinds[k], kind) != 0)
			k++;
		if (!kinds[k]) {
			api_reply_problem(r, PROBLEM_BAD_QUERY,
			                  "kind must be storage, receiving, quarantine, staging or returns");
			return;
		}
	}
	const char *p[] = {pg.limit,   api_req_param(r, "code"), pg.cursor_ts,
	                   pg.cursor_id, api_req_query(r, "zone"), kind, api_scope_warehouse(r)};
	api_query_or_reply(r, &stmt_list, 7, p, on_listed);
}
