/* scans.c — the scanned item of a scan request, the hash of what it says, and the answer of
 * the SQL scan functions (receiving_scan, putaway_scan, pack_scan, ship_scan, …). */
#include "api/scan/scans.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/http/auth.h"
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
	if (g.present & GS1_HAS_EXPIRY)
		snprintf(out->expiry, sizeof out->expiry, "%04d-%02d-%02d", g.expiry.year,
		         g.expiry.month, g.expiry.day);
}

/* `lot` and `expiry` of the body, for an item whose barcode carries none; the barcode's
 * own wins, and a different body value is a conflict. */
static void read_lot_and_expiry(struct jsonv *v, const cJSON *b, struct scan_item *out)
{
	const char *lot = fields_lot(v, b, "lot", false);
	if (lot && out->lot[0] && strcmp(lot, out->lot) != 0)
		jsonv_error(v, "lot", "conflict", "lot %s differs from the barcode's lot (AI 10) %s", lot,
		            out->lot);
	else if (lot)
		snprintf(out->lot, sizeof out->lot, "%s", lot);
	const char *expiry = fields_date(v, b, "expiry", false, NULL);
	if (expiry && out->expiry[0] && strcmp(expiry, out->expiry) != 0)
		jsonv_error(v, "expiry", "conflict",
		            "expiry %s differs from the barcode's expiry (AI 17) %s", expiry, out->expiry);
	else if (expiry)
		snprintf(out->expiry, sizeof out->expiry, "%s", expiry);
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
	read_lot_and_expiry(v, b, out);
	if (v->count == errors)
		snprintf(out->qty, sizeof out->qty, "%lld", has_qty == 1 ? qty : count ? count : 1);
}

void scan_request_hash(const char *kind, const char *const *fields, int n, char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int len = sizeof md;
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		abort(); /* out of memory in a digest context: nothing sensible to answer */
	for (int i = -1; i < n; i++) {
		const char *f = i < 0 ? kind : fields[i];
		char head[24];
		int k = snprintf(head, sizeof head, "%zd:", f ? (ssize_t)strlen(f) : (ssize_t)-1);
		EVP_DigestUpdate(ctx, head, (size_t)k);
		if (f)
			EVP_DigestUpdate(ctx, f, strlen(f));
	}
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	auth_hex(md, sizeof md, out);
}

const char *scan_id_read(struct jsonv *v, const cJSON *b)
{
	return fields_uuid(v, b, "scan_id", true, "a UUID");
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
	return t == PROBLEM_UNKNOWN_GTIN || t == PROBLEM_AMBIGUOUS_GTIN || t == PROBLEM_UNKNOWN_BIN ||
	       t == PROBLEM_WRONG_BIN_KIND || t == PROBLEM_UNKNOWN_PACKAGE_TYPE;
}

/* The scan function's outcome (row 0 of res, a catalogue slug) as a problem document. */
static void reply_problem(struct api_req *r, const struct scan_ctx *c, const PGresult *res)
{
	const char *slug = db_value(res, 0, "outcome");
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

/* Location: prefix + the answer's id. */
static void add_location(struct api_req *r, const char *prefix, const char *body)
{
	cJSON *doc = body ? cJSON_Parse(body) : NULL;
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "id"));
	char location[160];
	if (id && snprintf(location, sizeof location, "%s%s", prefix, id) < (int)sizeof location)
		api_req_add_header(r, "Location", location);
	cJSON_Delete(doc);
}

void scan_run_with(struct api_req *r, struct scan_ctx *c, const struct db_stmt *stmt, int nparams,
                   const char *const *params, api_db_fn *cb)
{
	c->stmt = stmt;
	c->nparams = nparams < SCAN_MAX_PARAMS ? nparams : SCAN_MAX_PARAMS;
	for (int i = 0; i < c->nparams; i++)
		c->params[i] = params[i];
	api_query_or_reply(r, stmt, c->nparams, c->params, cb ? cb : scan_answer);
}

void scan_run(struct api_req *r, struct scan_ctx *c, const struct db_stmt *stmt, int nparams,
              const char *const *params)
{
	scan_run_with(r, c, stmt, nparams, params, NULL);
}

/* The scan statement's answer: the outcome, or one more run after a refusal that kept
 * nothing (see scan_run). */
void scan_answer(struct api_req *r, const struct db_reply *rep)
{
	struct scan_ctx *c = api_req_state(r);
	if (rep->outcome != DB_OK && rep->sqlstate &&
	    (strcmp(rep->sqlstate, "40001") == 0 || strcmp(rep->sqlstate, "40P01") == 0 ||
	     strcmp(rep->sqlstate, SCAN_TWIN_SQLSTATE) == 0) &&
	    c->stmt && !c->retried) {
		c->retried = true;
		api_query_or_reply(r, c->stmt, c->nparams, c->params, scan_answer);
		return;
	}
	if (rep->outcome != DB_OK) {
		if (rep->sqlstate && (strcmp(rep->sqlstate, SCAN_NO_STOCK_SQLSTATE) == 0 ||
		                      strcmp(rep->sqlstate, "23514") == 0)) {
			api_reply_problem(r, PROBLEM_INSUFFICIENT_STOCK, "%s",
			                  rep->message ? rep->message : "not enough stock at the source");
		} else if (rep->sqlstate && strcmp(rep->sqlstate, SCAN_TWIN_SQLSTATE) == 0) {
			api_reply_problem(r, PROBLEM_SCAN_IN_PROGRESS, "this scan_id is being recorded; retry");
		} else {
			api_reply_db_error(r, rep);
		}
		return;
	}
	if (PQntuples(rep->res) != 1 || !db_value(rep->res, 0, "outcome")) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the scan function answered no outcome");
		return;
	}
	if (strcmp(db_value(rep->res, 0, "outcome"), "ok") != 0) {
		reply_problem(r, c, rep->res);
		return;
	}
	if (db_value_bool(rep->res, 0, "replayed"))
		api_req_add_header(r, "Idempotent-Replayed", "true");
	if (c->location)
		add_location(r, c->location, db_value(rep->res, 0, "body"));
	api_reply_json_text(r, c->ok_status ? c->ok_status : 200, PQgetvalue(rep->res, 0, PQfnumber(rep->res, "body")),
	                    (size_t)PQgetlength(rep->res, 0, PQfnumber(rep->res, "body")));
}
