/* h_tracking_reads.c — reading tracking: GET /v1/packages/{id}/tracking (a parcel's status and
 * its events by event time: the seller its own, staff their warehouse's, a carrier its own
 * parcels, admin and platform every one; another's is 404), GET /v1/carriers/{code}/parcels
 * (a carrier's parcels in flight: the carrier itself, admin, platform) and
 * GET /v1/promise-performance (platform, admin: promise kept per lane and week against the
 * target). */
#include <stdio.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"

/* $1 package id or $2 tracking number; $3 warehouse, $4 seller, $5 carrier scope. */
DB_STMT(stmt_history) = {
	"tracking_history",
	"SELECT d::text FROM tracking_history($1::uuid, $2, $3::uuid, $4::uuid, $5) AS d"
	" WHERE d IS NOT NULL"};

/* $1 limit, $2/$3 cursor, $4 carrier. */
DB_STMT(stmt_parcels) = {
	"carrier_parcels",
	"SELECT carrier_parcels_page($1::int, $2, $3::uuid, $4)::text"};

/* $1 from, $2 to, $3 origin, $4 country. */
DB_STMT(stmt_performance) = {
	"promise_performance",
	"SELECT promise_performance($1::timestamptz, $2::timestamptz, $3, $4)::text"};

static const char *carrier_scope(const struct api_req *r)
{
	const struct auth_principal *who = api_req_principal(r);
	return who->role == AUTH_CARRIER ? who->carrier : NULL;
}

static void on_history(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such package with a tracking number");
}

void h_package_tracking(struct api_req *r)
{
	const char *ref = api_req_param(r, "id");
	bool uuid = ref && jsonv_is_uuid(ref);
	const char *p[] = {uuid ? ref : NULL, uuid ? NULL : ref, api_scope_warehouse(r),
	                   api_scope_seller(r), carrier_scope(r)};
	api_query_or_reply(r, &stmt_history, 5, p, on_history);
}

static void on_page(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no rows");
}

void h_carrier_parcels(struct api_req *r)
{
	struct api_page pg;
	const char *code = api_req_param(r, "code"), *own = carrier_scope(r);
	if (own && strcmp(own, code) != 0) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such carrier");
		return;
	}
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id, code};
	api_query_or_reply(r, &stmt_parcels, 4, p, on_page);
}

/* ?from= / ?to= as dates (YYYY-MM-DD) into RFC 3339 midnights; 400 otherwise. */
static int date_param_or_reply(struct api_req *r, const char *name, char out[INSTANT_TEXT],
                               const char **p)
{
	int64_t days;
	const char *v = api_req_query(r, name);
	*p = NULL;
	if (!v)
		return 0;
	if (instant_parse_date(v, &days) != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "%s must be a date (YYYY-MM-DD)", name);
		return -1;
	}
	instant_format(days * 86400 * INSTANT_US, out);
	*p = out;
	return 0;
}

void h_promise_performance(struct api_req *r)
{
	char from[INSTANT_TEXT], to[INSTANT_TEXT];
	const char *p[4];
	if (date_param_or_reply(r, "from", from, &p[0]) != 0 ||
	    date_param_or_reply(r, "to", to, &p[1]) != 0)
		return;
	p[2] = api_req_query(r, "origin");
	p[3] = api_req_query(r, "country");
	api_query_or_reply(r, &stmt_performance, 4, p, on_page);
}
