/* h_me.c — GET /v1/me: who the caller's key is (role, key id and label) and what it is
 * scoped to (a staff key's warehouse, a seller key's seller, a carrier key's carrier): what a
 * device shows once it has signed in with a key (the scanner client's header). */
#include "api/http/req.h"
#include "api/routes.h"

/* $1 the key's id. One row, one column: the JSON text. */
DB_STMT(stmt_me) = {
	"me_get",
	"SELECT json_build_object('role', k.role, 'key_id', k.id, 'label', k.label,"
	" 'warehouse', CASE WHEN w.id IS NULL THEN NULL ELSE json_build_object('code', w.code,"
	"   'name', w.name, 'country', w.country, 'time_zone', w.time_zone, 'kind', w.kind) END,"
	" 'seller', CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('id', s.id,"
	"   'code', s.code, 'name', s.name) END,"
	" 'carrier', k.carrier_code)::text"
	" FROM api_keys k LEFT JOIN warehouses w ON w.id = k.warehouse_id"
	" LEFT JOIN sellers s ON s.id = k.seller_id"
	" WHERE k.id = $1::uuid AND k.revoked_at IS NULL"};

static void on_me(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "this key was revoked");
}

void h_me(struct api_req *r)
{
	const char *params[] = {api_req_principal(r)->key_id};
	api_query_or_reply(r, &stmt_me, 1, params, on_me);
}
