/* h_refunds.c — refunds (wms/refund.h): GET /v1/refunds/{id} (platform, admin, the order's
 * seller) and POST /v1/refunds/{id}/issue (platform, admin), which issues a pending refund:
 * the one a return's last inspected unit leaves (the inspection scan issues it at once; this
 * endpoint is the retry when that did not happen).
 *
 * Issuing is two statements and the pricing in C between them: refund_input() reads the
 * refund, its order (escrow, version, what is left of the payment, the settlement), the line
 * and the fee versions; refund_price() decides the amount (never more than is left), the
 * source (the held escrow, else a clawback from the seller's ledger) and the ledger rows;
 * refund_issue() applies it guarded by the order's version (a concurrent refund or
 * settlement makes it read and price again, at most three times). A refund that is not
 * pending is 409 wrong-state with the refund. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/returns/refund_issue.h"
#include "api/routes.h"

/* $1 refund id, $2 seller scope. */
DB_STMT(stmt_get) = {
	"refund_get",
	"SELECT refund_find($1::uuid, $2::uuid)::text AS doc"};

static void on_get(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such refund");
}

void h_refund_get(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such refund");
		return;
	}
	const char *p[] = {id, api_scope_seller(r)};
	api_query_or_reply(r, &stmt_get, 2, p, on_get);
}

void h_refund_issue(struct api_req *r)
{
	static const char *const none[] = {NULL};
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, api_req_body(r), "", none);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such refund");
		return;
	}
	const char *ids[] = {id};
	refund_issue_start(r, ids, 1, NULL);
}
