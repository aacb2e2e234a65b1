/* refund_issue.c — issuing pending refunds (see refund_issue.h). */
#include "api/returns/refund_issue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/returns/refund_price.h"
#include "api/routes.h"

#define ISSUE_MAX_READS 3

/* $1 refund, $2 seller scope, $3 now (whole seconds). */
DB_STMT(stmt_input) = {
	"refund_input",
	"SELECT i::text AS input FROM refund_input($1::uuid, $2::uuid, $3::timestamptz) AS i"
	" WHERE i IS NOT NULL"};

/* $1 seller, $2 refund, $3 order version read, $4 issuable states, $5 state, $6 amount,
 * $7 source, $8 escrow units, $9 ledger rows, $10 now. */
DB_STMT(stmt_issue) = {
	"refund_issue",
	"SELECT outcome, body::text AS body FROM refund_issue($1::uuid, $2::uuid, $3::int,"
	" $4::text[], $5, $6::bigint, $7, $8::int, $9::json, $10::timestamptz)"};

/* The SQLSTATE refund_issue raises when the refund stopped being pending under it. */
#define ISSUE_NOT_PENDING "WS006"

struct issue_req {
	int reads;
	size_t i, n;
	char (*ids)[37];
	char *wrap;
	cJSON *done; /* the refunds issued */
	char at[INSTANT_TEXT];
	char seller[37], version[16], amount[24], escrow_units[16];
	struct refund_priced rp;
};

static void issue_req_free(void *p)
{
	struct issue_req *q = p;
	refund_priced_free(&q->rp);
	cJSON_Delete(q->done);
	free(q->wrap);
	free(q->ids);
	free(q);
}

static void read_refund(struct api_req *r);

static const char *str(const cJSON *o, const char *name)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
	return s ? s : "";
}

static int64_t num(const cJSON *o, const char *name)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsNumber(n) ? (int64_t)n->valuedouble : 0;
}

static void finish(struct api_req *r)
{
	struct issue_req *q = api_req_state(r);
	if (!q->wrap) {
		cJSON *doc = cJSON_DetachItemFromArray(q->done, 0);
		api_reply_json(r, 200, doc);
		return;
	}
	cJSON *o = cJSON_Parse(q->wrap);
	if (!o || !cJSON_AddItemToObject(o, "refunds", q->done)) {
		cJSON_Delete(o);
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	q->done = NULL;
	api_reply_json(r, 200, o);
}

static void next(struct api_req *r)
{
	struct issue_req *q = api_req_state(r);
	q->i++;
	q->reads = 0;
	if (q->i < q->n)
		read_refund(r);
	else
		finish(r);
}

static void on_issued(struct api_req *r, const struct db_reply *rep)
{
	struct issue_req *q = api_req_state(r);
	bool again = false;
	if (rep->outcome != DB_OK) {
		if (!rep->sqlstate || strcmp(rep->sqlstate, ISSUE_NOT_PENDING) != 0) {
			api_reply_db_error(r, rep);
			return;
		}
		again = true;
	}
	const char *outcome = again || PQntuples(rep->res) != 1 ? NULL
	                                                         : db_value(rep->res, 0, "outcome");
	const char *body = outcome ? db_value(rep->res, 0, "body") : NULL;
	if (outcome && strcmp(outcome, "ok") == 0 && body) {
		cJSON *doc = cJSON_Parse(body);
		if (!doc || !cJSON_AddItemToArray(q->done, doc)) {
			cJSON_Delete(doc);
			api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
			return;
		}
		next(r);
	} else if (again || (outcome && strcmp(outcome, "conflict") == 0)) {
		if (q->reads >= ISSUE_MAX_READS)
			api_reply_problem(r, PROBLEM_CONFLICT, "the order kept changing while the refund "
			                  "was issued; retry");
		else
			read_refund(r);
	} else {
		api_reply_problem(r, PROBLEM_INTERNAL, "refund_issue answered no outcome");
	}
}

/* Prices the refund read (refund_input) and issues it. */
static void issue(struct api_req *r, const cJSON *in)
{
	struct issue_req *q = api_req_state(r);
	enum wms_liability liability;
	char err[256];
	if (strcmp(str(in, "state"), "pending") != 0) {
		if (q->wrap || q->n > 1) {
			next(r);
			return;
		}
		cJSON *p = problem_new(PROBLEM_WRONG_STATE, "the refund is not pending: it was issued "
		                       "already (a refund is issued once)");
		if (p && !cJSON_AddStringToObject(p, "state", str(in, "state"))) {
			cJSON_Delete(p);
			p = NULL;
		}
		api_reply_problem_doc(r, p);
		return;
	}
	if (wms_liability_parse(str(in, "liability"), &liability) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the refund's liability is unknown");
		return;
	}
	/* a return's refund carries the handling fee of its units (they came back) */
	refund_priced_free(&q->rp);
	if (refund_price(in, cJSON_GetObjectItemCaseSensitive(in, "line"), str(in, "kind"),
	                 num(in, "units"), liability, num(in, "returned_units"), &q->rp, err,
	                 sizeof err) != 0) {
		api_reply_problem(r, PROBLEM_CONFLICT, "the refund cannot be priced: %s", err);
		return;
	}
	snprintf(q->seller, sizeof q->seller, "%s", str(in, "seller_id"));
	snprintf(q->version, sizeof q->version, "%lld", (long long)num(in, "version"));
	snprintf(q->amount, sizeof q->amount, "%lld", (long long)q->rp.amount);
	snprintf(q->escrow_units, sizeof q->escrow_units, "%lld", (long long)q->rp.escrow_units);
	const char *p[] = {q->seller, q->ids[q->i], q->version, WMS_REFUND_ISSUABLE,
	                   wms_refund_state_name(q->rp.state), q->amount, q->rp.source,
	                   q->escrow_units, q->rp.rows, q->at};
	api_query_or_reply(r, &stmt_issue, 10, p, on_issued);
}

static void on_input(struct api_req *r, const struct db_reply *rep)
{
	if (api_found_or_reply(r, rep, "no such refund") != 0)
		return;
	cJSON *in = cJSON_Parse(db_value(rep->res, 0, "input"));
	if (!cJSON_IsObject(in))
		api_reply_problem(r, PROBLEM_INTERNAL, "the refund input is not an object");
	else
		issue(r, in);
	cJSON_Delete(in);
}

static void read_refund(struct api_req *r)
{
	struct issue_req *q = api_req_state(r);
	const char *p[] = {q->ids[q->i], api_scope_seller(r), q->at};
	q->reads++;
	api_query_or_reply(r, &stmt_input, 3, p, on_input);
}

void refund_issue_start(struct api_req *r, const char *const *ids, size_t n, const char *wrap)
{
	struct issue_req *q = calloc(1, sizeof *q);
	if (q) {
		q->ids = calloc(n ? n : 1, sizeof *q->ids);
		q->done = cJSON_CreateArray();
		q->wrap = wrap ? strdup(wrap) : NULL;
	}
	if (!q || !q->ids || !q->done || (wrap && !q->wrap)) {
		if (q)
			issue_req_free(q);
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++)
		snprintf(q->ids[i], sizeof q->ids[i], "%s", ids[i]);
	q->n = n;
	instant_format(api_req_now_us(r) / INSTANT_US * INSTANT_US, q->at);
	api_req_set_state(r, q, issue_req_free); /* frees the caller's state: ids were copied */
	if (n == 0)
		finish(r);
	else
		read_refund(r);
}
