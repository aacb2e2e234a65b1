/* h_statements.c — a seller's money: the statement of a period and the ledger
 * page by page. {seller} is the seller's id, its code, or "me" (a seller key's
 * own seller); a seller key naming another seller gets 404 (seller_ref with
 * the caller's scope, see refdata_seller_or_reply). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_load.h"
#include "api/refdata/refdata.h"
#include "api/routes.h"

#define STATEMENT_MAX_LINES "1000" /* more: lines_truncated, page with the ledger */

static const struct db_stmt stmt_statement = {
	"seller_statement",
	"SELECT seller_statement_json(s.id, $4::timestamptz, $5::timestamptz, " STATEMENT_MAX_LINES ")"
	" FROM sellers s WHERE s.id = seller_ref($1::uuid, $2, $3::uuid)"};

static const struct db_stmt stmt_ledger = {
	"seller_ledger_page",
	"SELECT seller_ledger_page(s.id, $4::int, $5::bigint)"
	" FROM sellers s WHERE s.id = seller_ref($1::uuid, $2, $3::uuid)"};

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such seller");
}

/* ?name= as a time: "YYYY-MM-DDTHH:MM:SSZ" or a date "YYYY-MM-DD" (midnight
 * UTC), into out in the first form. Returns 0, or -1 after answering 400. */
static int time_query_or_reply(struct api_req *r, const char *name, char out[21])
{
	const char *s = api_req_query(r, name);
	char buf[32];
	int64_t t;
	if (s && strlen(s) <= 20) {
		snprintf(buf, sizeof buf, strlen(s) == 10 ? "%sT00:00:00Z" : "%s", s);
		if (fees_parse_time(buf, &t) == 0) {
			fees_format_time(t, out);
			return 0;
		}
	}
	api_reply_problem(r, 400, "bad-query",
	                  "%s is required: YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ", name);
	return -1;
}

void h_seller_statement(struct api_req *r)
{
	char from[21], to[21];
	const char *p[5];
	if (time_query_or_reply(r, "from", from) != 0 || time_query_or_reply(r, "to", to) != 0)
		return;
	if (strcmp(from, to) >= 0) { /* same fixed-width UTC form: text order is time order */
		api_reply_problem(r, 400, "bad-query", "from must be before to (the period is [from, to))");
		return;
	}
	if (refdata_seller_or_reply(r, p) != 0)
		return;
	p[3] = from;
	p[4] = to;
	api_query_or_reply(r, &stmt_statement, 5, p, on_found);
}

/* ?limit= (1..200, default 50) and ?cursor= (a ledger line id handed out as
 * next_cursor). Returns 0, or -1 after answering 400. */
static int ledger_page_or_reply(struct api_req *r, char limit[8], const char **cursor)
{
	const char *l = api_req_query(r, "limit");
	const char *c = api_req_query(r, "cursor");
	char *end;
	long n = 50;
	if (l) {
		errno = 0;
		n = strtol(l, &end, 10);
		if (errno || end == l || *end || n < 1 || n > 200) {
			api_reply_problem(r, 400, "bad-query", "limit must be an integer from 1 to 200");
			return -1;
		}
	}
	snprintf(limit, 8, "%ld", n);
	*cursor = c;
	if (c) {
		errno = 0;
		long long id = strtoll(c, &end, 10);
		if (errno || end == c || *end || id < 1) {
			api_reply_problem(r, 400, "bad-query", "cursor is not one this server handed out");
			return -1;
		}
	}
	return 0;
}

void h_seller_ledger(struct api_req *r)
{
	char limit[8];
	const char *p[5], *cursor;
	if (ledger_page_or_reply(r, limit, &cursor) != 0 || refdata_seller_or_reply(r, p) != 0)
		return;
	p[3] = limit;
	p[4] = cursor;
	api_query_or_reply(r, &stmt_ledger, 5, p, on_found);
}
