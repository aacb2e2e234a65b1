/* h_order_settlement.c — POST /v1/orders/{id}/confirm-receipt (platform on the buyer's behalf,
 * admin): the buyer has the parcel. The order goes shipped → delivered (wms/order.h,
 * confirm_receipt) and its escrow is released, settling the sale with the seller, in one
 * transaction, once:
 *
 *  1. order_settlement_input() reads the order, its lines, the seller's advance outstanding
 *     and the fee versions in force at the request's time (whole seconds).
 *  2. C decides: the state must allow confirm_receipt (else 409 wrong-state naming it; an
 *     order already settled carries its stored settlement), the escrow must be held; the
 *     sale is priced (api/fees/fees_settle.h, wms/settle.h): per line the shipped units
 *     (qty − short) under the mode's policy, the advance recovered line after line, the
 *     outbound operation fee of stocked modes; the short units' price goes back to the buyer.
 *     An order in another currency than the fee schedule in force is 409 currency-mismatch
 *     (no conversion): nothing is written and it stays shipped with its escrow held. An
 *     order with an open claim (api/returns/h_claims.c) is 409 claim-open: its escrow is
 *     frozen; order_settle() guards the same (claims_open = 0), so a claim opened after the
 *     read makes the write a 'conflict' and the read again answers claim-open.
 *  3. order_settle() applies it: the guarded UPDATE (state allowed, escrow held, version
 *     unchanged), the seller account's lock and a last look at the advance, the ledger rows
 *     (event_type "sale", event_id the order's id, line_no 1..n). When the order changed
 *     since the read ('conflict': a twin settled it) or the advance did (WS004: another
 *     settlement of the seller recovered from it), it is read and priced again, at most three
 *     times in all; then 409 conflict, retry.
 *
 * The answer is the order (order_doc), whose `settlement` is what was posted and `escrow`
 * what was released and refunded. A repeat is 409 wrong-state (state delivered) with the
 * stored settlement, and posts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_settle.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "wms/order.h"

/* The most reads (and pricings) of one confirmation before it gives up with 409. */
#define SETTLE_MAX_READS 3

/* The SQLSTATE order_settle raises when the seller's advance changed since the pricing. */
#define SETTLE_ADVANCE_CHANGED "WS004"

/* $1 order id, $2 seller scope, $3 the settlement time (the request's, whole seconds). */
DB_STMT(stmt_input) = {
	"order_settlement_input",
	"SELECT order_settlement_input($1::uuid, $2::uuid, $3::timestamptz)::text AS input"};

/* $1 seller, $2 order, $3 allowed states, $4 target, $5 version read, $6 currency, $7 advance
 * outstanding priced against, $8 refunded, $9 ledger rows, $10 settlement, $11 time. */
DB_STMT(stmt_settle) = {
	"order_settle",
	"SELECT outcome, body::text AS body FROM order_settle($1::uuid, $2::uuid, $3::text[], $4,"
	" $5::int, $6, $7::bigint, $8::bigint, $9::json, $10::jsonb, $11::timestamptz)"};

/* What a confirmation keeps across its statements. */
struct settle_req {
	int reads;
	char id[37];
	char at[INSTANT_TEXT];  /* the settlement time */
	char allowed[96];
	char seller[37];
	char version[16];
	char currency[4];
	char outstanding[24];
	char refunded[24];
	struct fees_settle priced;
};

static void settle_req_free(void *p)
{
	struct settle_req *q = p;
	fees_settle_free(&q->priced);
	free(q);
}

static void read_order(struct api_req *r);

/* 409 wrong-state: "order is created; confirm_receipt is allowed from shipped", with the
 * state, the order's id and, once settled, its settlement. */
static void reply_wrong_state(struct api_req *r, const cJSON *in, const char *state)
{
	char allowed[160], detail[224];
	wms_order_allowed_text(WMS_ORDER_DO_CONFIRM_RECEIPT, allowed, sizeof allowed);
	snprintf(detail, sizeof detail, "order is %s; %s", state, allowed);
	cJSON *p = problem_new(PROBLEM_WRONG_STATE, detail);
	const cJSON *settlement = cJSON_GetObjectItemCaseSensitive(in, "settlement");
	if (p && (!cJSON_AddStringToObject(p, "state", state) ||
	          !cJSON_AddItemToObject(p, "order_id", cJSON_Duplicate(
	                                     cJSON_GetObjectItemCaseSensitive(in, "order_id"), 1)) ||
	          (cJSON_IsObject(settlement) &&
	           !cJSON_AddItemToObject(p, "settlement", cJSON_Duplicate(settlement, 1))))) {
		cJSON_Delete(p);
		p = NULL;
	}
	api_reply_problem_doc(r, p);
}

/* Another try, or 409 when the confirmation has been read SETTLE_MAX_READS times. */
static void again(struct api_req *r, const char *why)
{
	struct settle_req *q = api_req_state(r);
	if (q->reads >= SETTLE_MAX_READS) {
		api_reply_problem(r, PROBLEM_CONFLICT, "the order or the seller's advance kept changing "
		                  "while it was settled (%s); retry", why);
		return;
	}
	read_order(r);
}

static void on_settled(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome != DB_OK) {
		if (rep->sqlstate && strcmp(rep->sqlstate, SETTLE_ADVANCE_CHANGED) == 0)
			again(r, "advance");
		else
			api_reply_db_error(r, rep);
		return;
	}
	const char *outcome = PQntuples(rep->res) == 1 ? db_value(rep->res, 0, "outcome") : NULL;
	const char *body = outcome ? db_value(rep->res, 0, "body") : NULL;
	if (outcome && strcmp(outcome, "ok") == 0 && body)
		api_reply_json_text(r, 200, body, strlen(body));
	else if (outcome && strcmp(outcome, "conflict") == 0)
		again(r, "order");
	else
		api_reply_problem(r, PROBLEM_INTERNAL, "order_settle answered no outcome");
}

/* Decides and prices from the input (see the top of the file), then writes. */
static void settle(struct api_req *r, const cJSON *in)
{
	struct settle_req *q = api_req_state(r);
	enum wms_order_state st;
	enum fee_status code;
	char err[256];
	const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "state"));
	const char *escrow = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "escrow"));
	if (!state || wms_order_state_parse(state, &st) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the order's state is unknown");
		return;
	}
	if (!wms_order_can(st, WMS_ORDER_DO_CONFIRM_RECEIPT)) {
		reply_wrong_state(r, in, state);
		return;
	}
	if (!escrow || strcmp(escrow, "held") != 0) {
		api_reply_problem(r, PROBLEM_CONFLICT, "the escrow of the order is %s; only a held "
		                  "escrow is released", escrow ? escrow : "unknown");
		return;
	}
	if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(in, "claims_open")) > 0) {
		api_reply_problem(r, PROBLEM_CLAIM_OPEN, "a buyer-protection claim on this order is "
		                  "open (a return is on its way or being inspected): its escrow is "
		                  "frozen until the claim is closed");
		return;
	}
	fees_settle_free(&q->priced);
	if (fees_settle_price(in, &q->priced, &code, err, sizeof err) != 0) {
		if (code == FEE_ECURRENCY) {
			api_reply_problem(r, PROBLEM_CURRENCY_MISMATCH, "%s: the order cannot be settled "
			                  "until a fee schedule in its currency is in force", err);
			return;
		}
		log_error("request id=%s settlement of order %s cannot be priced: %s", api_req_id(r),
		          q->id, err);
		api_reply_problem(r, PROBLEM_INTERNAL, "the settlement could not be computed: %s", err);
		return;
	}
	snprintf(q->seller, sizeof q->seller, "%s",
	         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "seller_id")));
	snprintf(q->version, sizeof q->version, "%.0f",
	         cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(in, "version")));
	snprintf(q->currency, sizeof q->currency, "%s",
	         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "currency")));
	snprintf(q->outstanding, sizeof q->outstanding, "%lld",
	         (long long)q->priced.advance_outstanding);
	snprintf(q->refunded, sizeof q->refunded, "%lld", (long long)q->priced.refunded);
	const char *p[] = {q->seller,
	                   q->id,
	                   q->allowed,
	                   wms_order_state_name(wms_order_target(WMS_ORDER_DO_CONFIRM_RECEIPT)),
	                   q->version,
	                   q->currency,
	                   q->outstanding,
	                   q->refunded,
	                   q->priced.rows,
	                   q->priced.settlement,
	                   q->at};
	api_query_or_reply(r, &stmt_settle, 11, p, on_settled);
}

static void on_input(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
		return;
	}
	const char *text = PQntuples(rep->res) == 1 ? db_value(rep->res, 0, "input") : NULL;
	if (!text) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such order");
		return;
	}
	cJSON *in = cJSON_Parse(text);
	if (!cJSON_IsObject(in))
		api_reply_problem(r, PROBLEM_INTERNAL, "the settlement input is not an object");
	else
		settle(r, in);
	cJSON_Delete(in);
}

static void read_order(struct api_req *r)
{
	struct settle_req *q = api_req_state(r);
	const char *p[] = {q->id, api_scope_seller(r), q->at};
	q->reads++;
	api_query_or_reply(r, &stmt_input, 3, p, on_input);
}

void h_order_confirm_receipt(struct api_req *r)
{
	static const char *const none[] = {NULL};
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, api_req_body(r), "", none);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such order (orders are named by their id "
		                  "here)");
		return;
	}
	struct settle_req *q = api_req_new_state_or_reply(r, sizeof *q, settle_req_free);
	if (!q)
		return;
	snprintf(q->id, sizeof q->id, "%s", id);
	/* whole seconds: the fee engine works in epoch seconds */
	instant_format(api_req_now_us(r) / INSTANT_US * INSTANT_US, q->at);
	if (wms_order_allowed_pg_array(WMS_ORDER_DO_CONFIRM_RECEIPT, q->allowed,
	                               sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	read_order(r);
}
