/* h_package_types.c — GET /v1/package-types (staff, admin, platform): the box sizes of the
 * pack stations (reference data of migration 002), with their inner dimensions and the
 * empty box's weight, smallest first. All of them in one answer ({items}, no pages): a
 * handful of rows a station loads once. */
#include "api/routes.h"
#include "api/http/req.h"

DB_STMT(stmt_list) = {
	"package_type_list",
	"SELECT json_build_object('items', coalesce(json_agg(json_build_object('code', t.code,"
	"    'name', t.name, 'dimensions_mm', json_build_object('length', t.length_mm,"
	"    'width', t.width_mm, 'height', t.height_mm), 'tare_g', t.tare_g)"
	"  ORDER BY t.length_mm::bigint * t.width_mm * t.height_mm, t.code), '[]'))::text"
	" FROM package_types t"};

static void on_list(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no answer");
}

void h_package_type_list(struct api_req *r)
{
	api_query_or_reply(r, &stmt_list, 0, NULL, on_list);
}
