/* scans.c — the scanned item of a scan request, and the answer of the SQL
 * scan functions (receiving_scan, putaway_scan). */
#include "api/scan/scans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/http/fields.h"
#include "api/http/log.h"
#include "api/http/problem.h"
#include "wms/gs1.h"

static int current_year(void)
{
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm))
		return 2025;
	return tm.tm_year + 1900;
}

/* Parses the raw barcode into out's GTIN and lot; *count gets AI 37 (0 when
 * absent). Records the parser's reason as the field error. */
static void read_barcode(struct jsonv *v, const char *raw, struct scan_item *out, long long *count)
{
	struct gs1_result g;
	char err[160];
	if (gs1_parse(raw, strlen(raw), current_year(), &g, err, sizeof err) != 0) {
		jsonv_error(v, "barcode", "barcode", "%s", err);
		return;
	}
	if (g.present & GS1_HAS_CONTENT) {
		memcpy(out->gtin, g.content_gtin, sizeof out->gtin);
		*count = g.count;
	} else if (g.present & GS1_HAS_GTIN) {
		memcpy(out->gtin, g.gtin, sizeof out->gtin);
	} else {
		jsonv_error(v, "barcode", "not_an_item",
		            (g.present & GS1_HAS_SSCC) ? "barcode is a carton label (SSCC); scan an item"
		                                       : "barcode carries no GTIN");
		return;
	}
	if (g.present & GS1_HAS_LOT)
		memcpy(out->lot, g.lot, sizeof out->lot);
}

void scan_item_read(struct jsonv *v, const cJSON *b, struct scan_item *out)
{
	long long count = 0, qty = 0;
	int errors = v->count;
	memset(out, 0, sizeof *out);
	const cJSON *barcode = cJSON_GetObjectItemCaseSensitive(b, "barcode");
	const cJSON *gtin = cJSON_GetObjectItemCaseSensitive(b, "gtin");
	bool has_barcode = barcode && !cJSON_IsNull(barcode), has_gtin = gtin && !cJSON_IsNull(gtin);
	out->field = has_gtin && !has_barcode ? "gtin" : "barcode";

	if (has_barcode && has_gtin) {
		jsonv_error(v, "gtin", "conflict", "give barcode or gtin, not both");
	} else if (has_gtin) {
		(void)fields_gtin(v, b, "gtin", true, out->gtin);
	} else {
		const char *raw = jsonv_raw_string(v, b, "barcode", true, 1, 256);
		if (raw)
			read_barcode(v, raw, out, &count);
	}
	int has_qty = jsonv_int(v, b, "qty", false, 1, SCAN_MAX_QTY, &qty);
	if (has_qty == 1 && count && qty != count)
		jsonv_error(v, "qty", "conflict", "qty %lld differs from the barcode's count (AI 37) %lld",
		            qty, count);
	if (has_qty != 1 && count > SCAN_MAX_QTY)
		jsonv_error(v, "barcode", "range", "the barcode's count %lld is above %d", count,
		            SCAN_MAX_QTY);
	if (v->count == errors)
		snprintf(out->qty, sizeof out->qty, "%lld", has_qty == 1 ? qty : count ? count : 1);
}

const char *scan_id_read(struct jsonv *v, const cJSON *b)
{
	const char *id = jsonv_string(v, b, "scan_id", true, 1, 64);
	if (id && !jsonv_is_uuid(id)) {
		jsonv_error(v, "scan_id", "format", "scan_id must be a UUID");
		return NULL;
	}
	return id;
}

/* Copies every member of extra (a JSON object) into the problem p. */
static void add_members(cJSON *p, const cJSON *extra)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, extra) {
		if (!cJSON_GetObjectItemCaseSensitive(p, m->string))
			cJSON_AddItemToObject(p, m->string, cJSON_Duplicate(m, 1));
	}
}

/* Outcomes about one field of the request: answered as a 422 naming it. */
static bool field_level(enum problem_type t)
{
	return t == PROBLEM_UNKNOWN_GTIN || t == PROBLEM_AMBIGUOUS_GTIN || t == PROBLEM_UNKNOWN_BIN;
}

/* The scan function's outcome (row 0 of res) as a problem document; its status comes from
 * the catalogue. */
static void reply_problem(struct api_req *r, const struct scan_ctx *c, const PGresult *res)
{
	const char *slug = db_value(res, 0, "problem");
	const char *detail = db_value(res, 0, "detail");
	const char *text = db_value(res, 0, "body");
	enum problem_type t;
	if (!problem_find(slug, &t)) {
		log_error("request id=%s scan function answered %s, not in the catalogue",
		          api_req_id(r), slug ? slug : "(none)");
		api_reply_problem(r, PROBLEM_INTERNAL, "internal error (request id %s)", api_req_id(r));
		return;
	}
	cJSON *body = text ? cJSON_Parse(text) : NULL;
	char buf[256];
	if (!detail && c->detail_fn) {
		buf[0] = '\0';
		c->detail_fn(slug, body, buf, sizeof buf);
		detail = buf[0] ? buf : NULL;
	}
	cJSON *p;
	if (field_level(t)) {
		const char *field = c->item_field;
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(body, "field");
		if (cJSON_IsString(f))
			field = f->valuestring;
		p = problem_new(PROBLEM_VALIDATION, "the request has invalid fields");
		if (p && problem_add_error(p, field, slug, detail ? detail : "invalid") != 0) {
			cJSON_Delete(p);
			p = NULL;
		}
	} else {
		p = problem_new(t, detail);
		if (p && body)
			add_members(p, body);
	}
	cJSON_Delete(body);
	api_reply_problem_doc(r, p);
}

/* Replays (or refuses) from the stored scan a twin committed first. */
static void on_lookup(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome == DB_OK && PQntuples(rep->res) == 0) {
		api_reply_problem(r, PROBLEM_CONFLICT, "this scan_id is being recorded; retry");
		return;
	}
	scan_on_result(r, rep);
}

/* The stored answer under the request's scan_id, as the scan functions
 * answer it. $2 NULL (admin) searches every warehouse. */
static const struct db_stmt stmt_lookup = {
	"scan_lookup",
	"SELECT p.status, p.problem, p.detail, p.body::text AS body, p.replayed "
	"FROM scans s, scan_prior(s.warehouse_id, s.scan_id, $3) p "
	"WHERE s.scan_id = $1::uuid AND ($2::uuid IS NULL OR s.warehouse_id = $2::uuid) LIMIT 1"};

void scan_run(struct api_req *r, struct scan_ctx *c, const struct db_stmt *stmt, int nparams,
              const char *const *params)
{
	c->stmt = stmt;
	c->nparams = nparams < SCAN_MAX_PARAMS ? nparams : SCAN_MAX_PARAMS;
	for (int i = 0; i < c->nparams; i++)
		c->params[i] = params[i];
	api_query_or_reply(r, stmt, c->nparams, c->params, scan_on_result);
}

void scan_on_result(struct api_req *r, const struct db_reply *rep)
{
	struct scan_ctx *c = api_req_state(r);
	if (rep->outcome != DB_OK && rep->sqlstate && strcmp(rep->sqlstate, "40001") == 0 &&
	    c->stmt && !c->retried) {
		c->retried = true;
		api_query_or_reply(r, c->stmt, c->nparams, c->params, scan_on_result);
		return;
	}
	if (rep->outcome != DB_OK) {
		if (rep->sqlstate && strcmp(rep->sqlstate, "23505") == 0 && rep->constraint &&
		    strcmp(rep->constraint, "scans_pkey") == 0) {
			const char *p[] = {c->scan_id, c->warehouse, c->kind};
			api_query_or_reply(r, &stmt_lookup, 3, p, on_lookup);
		} else if (rep->sqlstate && strcmp(rep->sqlstate, "23514") == 0 && rep->constraint &&
		           strcmp(rep->constraint, "inventory_onhand_qty_check") == 0) {
			api_reply_problem(r, PROBLEM_INSUFFICIENT_STOCK, "%s",
			                  rep->message ? rep->message : "not enough stock at the source");
		} else {
			api_reply_db_error(r, rep);
		}
		return;
	}
	if (PQntuples(rep->res) != 1) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the scan function answered no row");
		return;
	}
	if (db_value_ll(rep->res, 0, "status", 500) != 200) {
		reply_problem(r, c, rep->res);
		return;
	}
	if (db_value_bool(rep->res, 0, "replayed"))
		api_req_add_header(r, "Idempotent-Replayed", "true");
	api_reply_json_text(r, 200, PQgetvalue(rep->res, 0, PQfnumber(rep->res, "body")),
	                    (size_t)PQgetlength(rep->res, 0, PQfnumber(rep->res, "body")));
}
