/* settle_run.c — settling one order (settle_run.h): read, decide and price in C, apply once
 * in SQL; the confirmation's and the automatic release's one code path. */
#include "api/outbound/settle_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_settle.h"
#include "api/http/instant.h"
#include "api/http/log.h"
#include "wms/order.h"

/* The most reads (and pricings) of one settlement before it gives up with 409. */
#define SETTLE_MAX_READS 3

/* The SQLSTATE order_settle raises when the seller's advance changed since the pricing. */
#define SETTLE_ADVANCE_CHANGED "WS004"

/* $1 order id, $2 seller scope, $3 the settlement time (whole seconds). */
DB_STMT(stmt_input) = {
	"order_settlement_input",
	"SELECT order_settlement_input($1::uuid, $2::uuid, $3::timestamptz)::text AS input"};

/* $1 seller, $2 order, $3 allowed states, $4 target, $5 version read, $6 currency, $7 advance
 * outstanding priced against, $8 refunded, $9 ledger rows, $10 settlement, $11 time. */
DB_STMT(stmt_settle) = {
	"order_settle",
	"SELECT outcome, body::text AS body FROM order_settle($1::uuid, $2::uuid, $3::text[], $4,"
	" $5::int, $6, $7::bigint, $8::bigint, $9::json, $10::jsonb, $11::timestamptz)"};

/* One settlement in progress; freed after done. */
struct settle_job {
	struct db_pool *db;
	settle_run_done_fn *done;
	void *arg;
	int reads;
	char id[37];
	char scope[37];
	int scoped;
	char at[INSTANT_TEXT];
	char allowed[96];
	char seller[37];
	char version[16];
	char currency[4];
	char outstanding[24];
	char refunded[24];
	struct fees_settle priced;
};

static void finish(struct settle_job *j, const struct settle_run_result *res)
{
	j->done(j->arg, res);
	fees_settle_free(&j->priced);
	free(j);
}

static void finish_problem(struct settle_job *j, enum problem_type t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void finish_problem(struct settle_job *j, enum problem_type t, const char *fmt, ...)
{
	char detail[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	struct settle_run_result res = {.kind = SETTLE_RUN_PROBLEM, .problem = t, .detail = detail};
	finish(j, &res);
}

/* A failed or refused query: unavailable, or the statement's error. */
static int failed(struct settle_job *j, const struct db_reply *rep)
{
	if (rep->outcome == DB_OK)
		return 0;
	if (rep->outcome == DB_UNAVAILABLE) {
		finish_problem(j, PROBLEM_UNAVAILABLE, "the database is unavailable; retry");
	} else {
		struct settle_run_result res = {.kind = SETTLE_RUN_DB_ERROR, .rep = rep};
		finish(j, &res);
	}
	return 1;
}

static void query(struct settle_job *j, const struct db_stmt *st, int n, const char *const *p,
                  db_done_fn *cb)
{
	switch (db_query(j->db, st, n, p, cb, j)) {
	case DB_SUBMIT_OK:
		return;
	case DB_SUBMIT_FULL:
		finish_problem(j, PROBLEM_OVERLOADED, "too many requests are waiting for the database");
		return;
	case DB_SUBMIT_DOWN:
		finish_problem(j, PROBLEM_UNAVAILABLE, "the database is unavailable; retry");
		return;
	}
	abort();
}

static void read_order(struct settle_job *j);

/* Another try, or conflict when the order has been read SETTLE_MAX_READS times. */
static void again(struct settle_job *j, const char *why)
{
	if (j->reads >= SETTLE_MAX_READS) {
		finish_problem(j, PROBLEM_CONFLICT, "the order or the seller's advance kept changing "
		               "while it was settled (%s); retry", why);
		return;
	}
	read_order(j);
}

static void on_settled(void *arg, const struct db_reply *rep)
{
	struct settle_job *j = arg;
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate &&
	    strcmp(rep->sqlstate, SETTLE_ADVANCE_CHANGED) == 0) {
		again(j, "advance");
		return;
	}
	if (failed(j, rep))
		return;
	const char *outcome = PQntuples(rep->res) == 1 ? db_value(rep->res, 0, "outcome") : NULL;
	const char *body = outcome ? db_value(rep->res, 0, "body") : NULL;
	if (outcome && strcmp(outcome, "ok") == 0 && body) {
		struct settle_run_result res = {.kind = SETTLE_RUN_OK, .body = body};
		finish(j, &res);
	} else if (outcome && strcmp(outcome, "conflict") == 0) {
		again(j, "order");
	} else {
		finish_problem(j, PROBLEM_INTERNAL, "order_settle answered no outcome");
	}
}

/* Decides and prices from the input (see settle_run.h), then writes. */
static void settle(struct settle_job *j, const cJSON *in)
{
	enum wms_order_state st;
	enum fee_status code;
	char err[256];
	const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "state"));
	const char *escrow = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "escrow"));
	if (!state || wms_order_state_parse(state, &st) != 0) {
		finish_problem(j, PROBLEM_INTERNAL, "the order's state is unknown");
		return;
	}
	/* a delivered order whose escrow is not held any more was settled before */
	if (!wms_order_can(st, WMS_ORDER_DO_CONFIRM_RECEIPT) ||
	    (st == WMS_ORDER_DELIVERED && (!escrow || strcmp(escrow, "held") != 0))) {
		struct settle_run_result res = {.kind = SETTLE_RUN_WRONG_STATE, .state = state,
		                                .input = in};
		finish(j, &res);
		return;
	}
	if (!escrow || strcmp(escrow, "held") != 0) {
		finish_problem(j, PROBLEM_CONFLICT, "the escrow of the order is %s; only a held "
		               "escrow is released", escrow ? escrow : "unknown");
		return;
	}
	fees_settle_free(&j->priced);
	if (fees_settle_price(in, &j->priced, &code, err, sizeof err) != 0) {
		if (code == FEE_ECURRENCY) {
			finish_problem(j, PROBLEM_CURRENCY_MISMATCH, "%s: the order cannot be settled "
			               "until a fee schedule in its currency is in force", err);
			return;
		}
		log_error("settlement of order %s cannot be priced: %s", j->id, err);
		finish_problem(j, PROBLEM_INTERNAL, "the settlement could not be computed: %s", err);
		return;
	}
	snprintf(j->seller, sizeof j->seller, "%s",
	         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "seller_id")));
	snprintf(j->version, sizeof j->version, "%.0f",
	         cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(in, "version")));
	snprintf(j->currency, sizeof j->currency, "%s",
	         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "currency")));
	snprintf(j->outstanding, sizeof j->outstanding, "%lld",
	         (long long)j->priced.advance_outstanding);
	snprintf(j->refunded, sizeof j->refunded, "%lld", (long long)j->priced.refunded);
	const char *p[] = {j->seller,
	                   j->id,
	                   j->allowed,
	                   wms_order_state_name(wms_order_target(WMS_ORDER_DO_CONFIRM_RECEIPT)),
	                   j->version,
	                   j->currency,
	                   j->outstanding,
	                   j->refunded,
	                   j->priced.rows,
	                   j->priced.settlement,
	                   j->at};
	query(j, &stmt_settle, 11, p, on_settled);
}

static void on_input(void *arg, const struct db_reply *rep)
{
	struct settle_job *j = arg;
	if (failed(j, rep))
		return;
	const char *text = PQntuples(rep->res) == 1 ? db_value(rep->res, 0, "input") : NULL;
	if (!text) {
		struct settle_run_result res = {.kind = SETTLE_RUN_NOT_FOUND};
		finish(j, &res);
		return;
	}
	cJSON *in = cJSON_Parse(text);
	if (!cJSON_IsObject(in))
		finish_problem(j, PROBLEM_INTERNAL, "the settlement input is not an object");
	else
		settle(j, in);
	cJSON_Delete(in);
}

static void read_order(struct settle_job *j)
{
	const char *p[] = {j->id, j->scoped ? j->scope : NULL, j->at};
	j->reads++;
	query(j, &stmt_input, 3, p, on_input);
}

void settle_run_start(struct db_pool *db, const char *order_id, const char *seller_scope,
                      int64_t now_us, settle_run_done_fn *done, void *arg)
{
	struct settle_job *j = calloc(1, sizeof *j);
	if (!j) {
		struct settle_run_result res = {.kind = SETTLE_RUN_PROBLEM,
		                                .problem = PROBLEM_OVERLOADED,
		                                .detail = "out of memory"};
		done(arg, &res);
		return;
	}
	j->db = db;
	j->done = done;
	j->arg = arg;
	snprintf(j->id, sizeof j->id, "%s", order_id);
	if (seller_scope) {
		snprintf(j->scope, sizeof j->scope, "%s", seller_scope);
		j->scoped = 1;
	}
	/* whole seconds: the fee engine works in epoch seconds */
	instant_format(now_us / INSTANT_US * INSTANT_US, j->at);
	if (wms_order_allowed_pg_array(WMS_ORDER_DO_CONFIRM_RECEIPT, j->allowed,
	                               sizeof j->allowed) != 0) {
		finish_problem(j, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	read_order(j);
}
