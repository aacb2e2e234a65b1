/* h_statements.c — a seller's money: the statement of a period and the ledger
 * page by page. {seller} is the seller's id, its code, or "me" (a seller key's
 * own seller); a seller key naming another seller gets 404 (seller_ref with
 * the caller's scope, see api_seller_param_or_reply). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_load.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/req.h"
#include "api/routes.h"

#define STATEMENT_MAX_LINES "1000" /* more: lines_truncated, page with the ledger */

/* The seller is resolved first (seller_ref: NULL when there is none the caller may see, and
 * then so is the answer: 404); the reader then runs as a statement of its own, not per row
 * of another query, so on Citus it plans on the seller's shard. */
DB_STMT(stmt_statement) = {
	"seller_statement",
	"SELECT seller_statement_json(seller_ref($1::uuid, $2, $3::uuid), $4::timestamptz,"
	" $5::timestamptz, " STATEMENT_MAX_LINES ")"};

DB_STMT(stmt_ledger) = {
	"seller_ledger_page",
	"SELECT seller_ledger_page(seller_ref($1::uuid, $2, $3::uuid), $4::int, $5::bigint)"};

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such seller");
}

/* ?name= as a time: an RFC 3339 date-time or a date "YYYY-MM-DD" (midnight UTC) within
 * the server's range, into out in the one output form. Returns 0, or -1 after answering
 * 422 naming the parameter. */
static int time_query_or_reply(struct api_req *r, const char *name, char out[INSTANT_TEXT],
                               int64_t *us)
{
	const char *s = api_req_query(r, name);
	int rc = s ? instant_parse(s, true, us) : -1;
	if (rc == 0) {
		instant_format(*us, out);
		return 0;
	}
	if (rc == -1) {
		api_reply_problem(r, PROBLEM_BAD_QUERY,
		                  "%s is required: YYYY-MM-DD (midnight UTC) or an RFC 3339 date-time",
		                  name);
		return -1;
	}
	struct jsonv v = JSONV_INIT;
	jsonv_error(&v, name, "range", "%s must lie from %d-01-01 to %d-12-31", name,
	            INSTANT_YEAR_MIN, INSTANT_YEAR_MAX);
	return api_valid_or_reply(r, &v);
}

void h_seller_statement(struct api_req *r)
{
	char from[INSTANT_TEXT], to[INSTANT_TEXT];
	const char *p[5];
	int64_t from_us, to_us;
	if (time_query_or_reply(r, "from", from, &from_us) != 0 ||
	    time_query_or_reply(r, "to", to, &to_us) != 0)
		return;
	if (from_us >= to_us) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "from must be before to (the period is [from, to))");
		return;
	}
	if (api_seller_param_or_reply(r, p) != 0)
		return;
	p[3] = from;
	p[4] = to;
	api_query_or_reply(r, &stmt_statement, 5, p, on_found);
}

void h_seller_ledger(struct api_req *r)
{
	struct api_page pg;
	const char *p[5];
	if (api_page_or_reply(r, &pg, API_CURSOR_SERIAL, NULL) != 0 ||
	    api_seller_param_or_reply(r, p) != 0)
		return;
	p[3] = pg.limit;
	p[4] = pg.cursor;
	api_query_or_reply(r, &stmt_ledger, 5, p, on_found);
}
