/* h_skus.c — a seller's SKUs, nested under the seller so that the shard key
 * is in the path: create (admin or the seller), update (admin, platform or
 * the seller), read and list (admin, platform or the seller). {seller} is as
 * in h_sellers.c; {sku} is the SKU code. Only admin and platform may mark a
 * SKU popular, because popular SKUs earn the seller a larger advance. */
#include <stdio.h>

#include "api/http/fields.h"
#include "api/http/create.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "wms/checkdigit.h"

/* The sku shape of the row t (a table alias or name), its columns as arguments. */
#define SKU_JSON(t) "sku_json(" t ".seller_id" ", " t ".id" ", " t ".sku_code" ", " t ".gtin" ", " t ".name" ", " t ".category" ", " t ".weight_g" ", " t ".length_mm" ", " t ".width_mm" ", " t ".height_mm" ", " t ".declared_value" ", " t ".currency" ", " t ".popular" ", " t ".min_shelf_life_days" ", " t ".created_at" ", " t ".updated_at" ")"

/* No '/' (the table allows it): a path parameter cannot carry one. */
#define SKU_CODE_RE "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
#define SKU_CODE_HINT "1 to 64 characters A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
#define CATEGORY_RE "^[a-z0-9][a-z0-9_]{0,63}$"
#define CATEGORY_HINT "1 to 64 characters a-z, 0-9 or '_', starting with a letter or digit"

static void gtin_taken(struct api_req *r, const struct create_unique *u);

enum { UNIQUE_CODE, UNIQUE_GTIN };
static const struct create_unique uniques[] = {
	[UNIQUE_CODE] = {"skus", "seller_id, sku_code", "sku_code",
	                 "this seller already has a SKU with this code", NULL},
	[UNIQUE_GTIN] = {"skus", "seller_id, gtin", "gtin", "this seller already has a SKU with this GTIN",
	                 gtin_taken},
	{NULL, NULL, NULL, NULL, NULL}};

/* Parameters of create and update: $1..$3 the seller (seller_ref), $4 the
 * SKU code, $5 gtin, $6 name, $7 category, $8 weight_g, $9..$11 length,
 * width, height, $12 declared amount, $13 currency, $14 popular, $15
 * min_shelf_life_days; update adds $16 and $17: whether the body names gtin
 * and min_shelf_life_days at all (null clears them), and $18 the request's time. */
enum { P_SKU = 3, P_GTIN, P_NAME, P_CATEGORY, P_WEIGHT, P_DIMS, P_AMOUNT = 11, P_CURRENCY,
       P_POPULAR, P_SHELF, P_GTIN_GIVEN, P_SHELF_GIVEN, P_NOW, NPARAMS };

/* Create's parameters are the same, shifted by three (idem.h's come first). */
DB_STMT(stmt_create) = {
	"sku_create",
	CREATE_IDEM_SQL(
		"INSERT INTO skus (seller_id, sku_code, gtin, name, category, weight_g, length_mm, width_mm,"
		" height_mm, declared_value, currency, popular, min_shelf_life_days) "
		"SELECT s.id, $7, $8, $9, $10, $11::int, $12::int, $13::int, $14::int, $15::bigint, $16,"
		" coalesce($17::bool, false), $18::int FROM sellers s",
		"s.id = seller_ref($4::uuid, $5, $6::uuid)", SKU_JSON("skus"))};

static const struct create_spec creator = {&stmt_create, "no such seller", uniques, NULL};

DB_STMT(stmt_get) = {
	"sku_get",
	"SELECT " SKU_JSON("k") " FROM skus k "
	"WHERE k.seller_id = seller_ref($1::uuid, $2, $3::uuid) AND k.sku_code = $4"};

/* One row (a page, perhaps empty) when the seller is in scope, else none. */
DB_STMT(stmt_list) = {
	"sku_list",
	"SELECT page_json((SELECT json_agg(p.j ORDER BY p.created_at DESC, p.id DESC) FROM ("
	"    SELECT " SKU_JSON("k") " AS j, k.created_at, k.id FROM skus k WHERE k.seller_id = s.id"
	"      AND ($5::text IS NULL OR (k.created_at, k.id) < (page_ts($5), $6::uuid))"
	"      AND ($7::text IS NULL OR k.category = $7) AND ($8::bpchar IS NULL OR k.gtin = $8::bpchar)"
	"    ORDER BY k.created_at DESC, k.id DESC LIMIT $1::int + 1) p), $1::int) "
	"FROM sellers s WHERE s.id = seller_ref($2::uuid, $3, $4::uuid)"};

DB_STMT(stmt_update) = {
	"sku_update",
	"UPDATE skus k SET gtin = CASE WHEN $16::bool THEN $5 ELSE k.gtin END,"
	" name = coalesce($6, k.name), category = coalesce($7, k.category),"
	" weight_g = coalesce($8::int, k.weight_g), length_mm = coalesce($9::int, k.length_mm),"
	" width_mm = coalesce($10::int, k.width_mm), height_mm = coalesce($11::int, k.height_mm),"
	" declared_value = coalesce($12::bigint, k.declared_value),"
	" currency = coalesce($13, k.currency), popular = coalesce($14::bool, k.popular),"
	" min_shelf_life_days = CASE WHEN $17::bool THEN $15::int ELSE k.min_shelf_life_days END,"
	" updated_at = $18::timestamptz "
	"WHERE k.seller_id = seller_ref($1::uuid, $2, $3::uuid) AND k.sku_code = $4 "
	"RETURNING " SKU_JSON("k")};

/* The SKU of the seller ($1..$3 as seller_ref's) that has the GTIN $4. */
DB_STMT(stmt_gtin_holder) = {
	"sku_gtin_holder",
	"SELECT k.sku_code FROM skus k "
	"WHERE k.seller_id = seller_ref($1::uuid, $2, $3::uuid) AND k.gtin = $4::bpchar"};

/* The validated body as query parameters, with the buffers they point into. */
struct sku_fields {
	const char *p[NPARAMS];
	char gtin[15];
	char num[6][24];
};

static void on_gtin_holder(struct api_req *r, const struct db_reply *rep)
{
	const char *holder = rep->outcome == DB_OK && PQntuples(rep->res) == 1
	                             ? PQgetvalue(rep->res, 0, 0) : NULL;
	create_reply_duplicate(r, &uniques[UNIQUE_GTIN], holder);
}

/* A create or update hit the seller's GTIN uniqueness: the 409 names the SKU
 * that has the GTIN (looked up afresh; without it when that SKU has let go of
 * the GTIN meanwhile). */
static void gtin_taken(struct api_req *r, const struct create_unique *u)
{
	const char *p[4];
	char gtin[15];
	struct jsonv v = JSONV_INIT;
	int have = fields_gtin(&v, api_req_body(r), "gtin", false, gtin) == 1;
	jsonv_free(&v);
	if (!have) {
		create_reply_duplicate(r, u, NULL);
		return;
	}
	if (api_seller_param_or_reply(r, p) != 0)
		return;
	p[3] = gtin;
	api_query_or_reply(r, &stmt_gtin_holder, 4, p, on_gtin_holder);
}

static void on_updated(struct api_req *r, const struct db_reply *rep)
{
	create_reply_saved(r, rep, 200, "no such SKU", uniques);
}

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such SKU");
}

static void on_listed(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such seller");
}

/* obj[field] as an integer in min..max, written to buf; *out points to buf,
 * or is NULL when the field is absent or invalid. */
static void int_field(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                      long long min, long long max, char buf[24], const char **out)
{
	long long n;
	*out = NULL;
	if (jsonv_int(v, obj, field, required, min, max, &n) == 1) {
		snprintf(buf, 24, "%lld", n);
		*out = buf;
	}
}

/* dimensions_mm {length, width, height}: all three whenever it is given. */
static void read_dimensions(struct jsonv *v, const cJSON *b, bool create, struct sku_fields *f)
{
	static const char *const sides[] = {"length", "width", "height", NULL};
	const cJSON *d = jsonv_object(v, b, "dimensions_mm", create);
	if (!d)
		return;
	struct jsonv in = JSONV_INIT;
	jsonv_no_unknown(&in, d, "", sides);
	for (int i = 0; sides[i]; i++)
		int_field(&in, d, sides[i], true, 1, 10000, f->num[1 + i], &f->p[P_DIMS + i]);
	jsonv_merge(v, &in, "dimensions_mm.");
}

/* declared_value {amount (minor units), currency}: both whenever it is given. */
static void read_value(struct jsonv *v, const cJSON *b, bool create, struct sku_fields *f)
{
	static const char *const parts[] = {"amount", "currency", NULL};
	const cJSON *d = jsonv_object(v, b, "declared_value", create);
	if (!d)
		return;
	struct jsonv in = JSONV_INIT;
	jsonv_no_unknown(&in, d, "", parts);
	int_field(&in, d, "amount", true, 0, 100000000000LL, f->num[4], &f->p[P_AMOUNT]);
	f->p[P_CURRENCY] = fields_currency(&in, d, "currency", true);
	jsonv_merge(v, &in, "declared_value.");
}

/* Reads the body into f->p[P_SKU..]; create requires every field but gtin and
 * popular, update refuses sku_code. A seller (as_seller) may not set popular:
 * true is refused on create, any value on update. */
static void read_fields(struct jsonv *v, const cJSON *b, bool create, bool as_seller,
                        struct sku_fields *f)
{
	static const char *const allowed[] = {"sku_code", "gtin",           "name",    "category",
	                                      "weight_g", "dimensions_mm", "declared_value",
	                                      "popular",  "min_shelf_life_days", NULL};
	for (int i = 0; i < NPARAMS; i++)
		f->p[i] = NULL;
	jsonv_no_unknown(v, b, "", allowed);
	if (create)
		f->p[P_SKU] = fields_shape(v, b, "sku_code", true, 64, SKU_CODE_RE, SKU_CODE_HINT);
	else
		jsonv_immutable(v, b, "sku_code");
	if (fields_gtin(v, b, "gtin", false, f->gtin) == 1)
		f->p[P_GTIN] = f->gtin;
	f->p[P_GTIN_GIVEN] = cJSON_GetObjectItemCaseSensitive(b, "gtin") ? "true" : "false";
	f->p[P_NAME] = jsonv_string(v, b, "name", create, 1, 200);
	f->p[P_CATEGORY] = fields_shape(v, b, "category", create, 64, CATEGORY_RE, CATEGORY_HINT);
	int_field(v, b, "weight_g", create, 1, 1000000, f->num[0], &f->p[P_WEIGHT]);
	read_dimensions(v, b, create, f);
	read_value(v, b, create, f);
	int_field(v, b, "min_shelf_life_days", false, 1, 3650, f->num[5], &f->p[P_SHELF]);
	f->p[P_SHELF_GIVEN] =
		cJSON_GetObjectItemCaseSensitive(b, "min_shelf_life_days") ? "true" : "false";
	bool popular;
	if (jsonv_bool(v, b, "popular", false, &popular) == 1) {
		if (as_seller && (popular || !create))
			jsonv_error(v, "popular", "forbidden",
			            "only the platform may mark a SKU popular (it earns a larger advance)");
		f->p[P_POPULAR] = popular ? "true" : "false";
	}
}

/* Validates the body and fills the seller; returns 0, or -1 after replying. */
static int prepare_or_reply(struct api_req *r, bool create, struct sku_fields *f)
{
	struct jsonv v = JSONV_INIT;
	read_fields(&v, api_req_body(r), create, api_scope_seller(r) != NULL, f);
	if (api_valid_or_reply(r, &v) != 0)
		return -1;
	return api_seller_param_or_reply(r, f->p);
}

void h_sku_create(struct api_req *r)
{
	struct sku_fields f;
	if (prepare_or_reply(r, true, &f) != 0)
		return;
	create_or_reply(r, &creator, P_GTIN_GIVEN, f.p);
}

void h_sku_update(struct api_req *r)
{
	struct sku_fields f;
	if (prepare_or_reply(r, false, &f) != 0)
		return;
	f.p[P_SKU] = api_req_param(r, "sku");
	f.p[P_NOW] = api_req_now_text(r);
	api_query_or_reply(r, &stmt_update, NPARAMS, f.p, on_updated);
}

void h_sku_get(struct api_req *r)
{
	const char *p[4];
	if (api_seller_param_or_reply(r, p) != 0)
		return;
	p[3] = api_req_param(r, "sku");
	api_query_or_reply(r, &stmt_get, 4, p, on_found);
}

/* Filters: ?category= (exact), ?gtin= (any GTIN length, normalised to 14
 * digits; an invalid one is 400). */
void h_sku_list(struct api_req *r)
{
	struct api_page pg;
	const char *s[3];
	char gtin[15], err[128];
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0 || api_seller_param_or_reply(r, s) != 0)
		return;
	const char *g = api_req_query(r, "gtin");
	if (g && wms_gtin_normalize(g, gtin, err, sizeof err) != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "gtin: %s", err);
		return;
	}
	const char *p[] = {pg.limit,     s[0], s[1], s[2], pg.cursor_ts, pg.cursor_id,
	                   api_req_query(r, "category"), g ? gtin : NULL};
	api_query_or_reply(r, &stmt_list, 8, p, on_listed);
}
