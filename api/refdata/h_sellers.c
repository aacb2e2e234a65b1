/* h_sellers.c — sellers: create, update and list (admin; platform lists
 * too); read for admin, platform and the seller itself. {seller} is the
 * seller's id, its code, or "me" (see api_seller_param_or_reply). */
#include "api/http/fields.h"
#include "api/http/create.h"
#include "api/http/req.h"
#include "api/routes.h"

/* The seller shape of the row t (a table alias or name), its columns as arguments. */
#define SELLER_JSON(t) "seller_json(" t ".id" ", " t ".code" ", " t ".name" ", " t ".country" ", " t ".currency" ", " t ".created_at" ", " t ".updated_at" ")"

static const struct create_unique uniques[] = {
	{"sellers", "code", "code", "a seller with this code already exists", NULL},
	{NULL, NULL, NULL, NULL, NULL}};

DB_STMT(stmt_create) = {
	"seller_create",
	CREATE_IDEM_SQL("INSERT INTO sellers (code, name, country, currency) SELECT $4, $5, $6, $7",
	                    "true", SELLER_JSON("sellers"))};

static const struct create_spec creator = {&stmt_create, "no seller", uniques, NULL};

DB_STMT(stmt_get) = {
	"seller_get",
	"SELECT " SELLER_JSON("s") " FROM sellers s WHERE s.id = seller_ref($1::uuid, $2, $3::uuid)"};

DB_STMT(stmt_list) = {
	"seller_list",
	"SELECT page_json((SELECT json_agg(p.j ORDER BY p.created_at DESC, p.id DESC) FROM ("
	"    SELECT " SELLER_JSON("s") " AS j, s.created_at, s.id FROM sellers s"
	"    WHERE $2::text IS NULL OR (s.created_at, s.id) < (page_ts($2), $3::uuid)"
	"    ORDER BY s.created_at DESC, s.id DESC LIMIT $1::int + 1) p), $1::int)"};

DB_STMT(stmt_update) = {
	"seller_update",
	"UPDATE sellers s SET name = coalesce($4, s.name), country = coalesce($5, s.country),"
	" currency = coalesce($6, s.currency), updated_at = $7::timestamptz "
	"WHERE s.id = seller_ref($1::uuid, $2, $3::uuid) RETURNING " SELLER_JSON("s")};

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such seller");
}

/* Reads out[0..3] = code, name, country, currency (NULL when absent). Create
 * requires them all; update refuses code. */
static void read_fields(struct jsonv *v, const cJSON *b, bool create, const char *out[4])
{
	static const char *const allowed[] = {"code", "name", "country", "currency", NULL};
	jsonv_no_unknown(v, b, "", allowed);
	out[0] = NULL;
	if (create)
		out[0] = fields_code(v, b, "code", true);
	else
		jsonv_immutable(v, b, "code");
	out[1] = jsonv_string(v, b, "name", create, 1, 200);
	out[2] = fields_country(v, b, "country", create);
	out[3] = fields_currency(v, b, "currency", create);
}

void h_seller_create(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	const char *p[4];
	read_fields(&v, api_req_body(r), true, p);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	create_or_reply(r, &creator, 4, p);
}

void h_seller_update(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	const char *f[4], *p[7];
	read_fields(&v, api_req_body(r), false, f);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (api_seller_param_or_reply(r, p) != 0)
		return;
	p[3] = f[1];
	p[4] = f[2];
	p[5] = f[3];
	p[6] = api_req_now_text(r);
	api_query_or_reply(r, &stmt_update, 7, p, on_found);
}

void h_seller_get(struct api_req *r)
{
	const char *p[3];
	if (api_seller_param_or_reply(r, p) != 0)
		return;
	api_query_or_reply(r, &stmt_get, 3, p, on_found);
}

void h_seller_list(struct api_req *r)
{
	struct api_page pg;
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id};
	api_query_or_reply(r, &stmt_list, 3, p, on_found);
}
