/* h_order_settlement.c — POST /v1/orders/{id}/confirm-receipt (platform on the buyer's behalf,
 * admin): the buyer has the parcel. The order goes shipped → delivered (or stays delivered,
 * when a carrier delivered it; wms/order.h, confirm_receipt) and its escrow is released,
 * settling the sale with the seller, in one transaction, once — through settle_run.h, the
 * code path the automatic release at the end of the buyer-protection window runs too:
 *
 *  1. order_settlement_input() reads the order, its lines, the seller's advance outstanding
 *     and the fee versions in force at the request's time (whole seconds).
 *  2. C decides: the state must allow confirm_receipt and a delivered order's escrow must be
 *     held (else 409 wrong-state naming the state; an order already settled carries its
 *     stored settlement), the escrow must be held; the
 *     sale is priced (api/fees/fees_settle.h, wms/settle.h): per line the shipped units
 *     (qty − short) under the mode's policy, the advance recovered line after line, the
 *     outbound operation fee of stocked modes; the short units' price goes back to the buyer.
 *     An order in another currency than the fee schedule in force is 409 currency-mismatch
 *     (no conversion): nothing is written and it stays shipped with its escrow held.
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
#include <string.h>

#include "api/app.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/outbound/settle_run.h"
#include "api/routes.h"
#include "wms/order.h"

/* 409 wrong-state: "order is created; confirm_receipt is allowed from shipped, delivered", or
 * "order is delivered and settled", with the state, the order's id and, once settled, its
 * settlement. */
static void reply_wrong_state(struct api_req *r, const cJSON *in, const char *state)
{
	char allowed[160], detail[224];
	const cJSON *settlement = cJSON_GetObjectItemCaseSensitive(in, "settlement");
	wms_order_allowed_text(WMS_ORDER_DO_CONFIRM_RECEIPT, allowed, sizeof allowed);
	if (strcmp(state, "delivered") == 0)
		snprintf(detail, sizeof detail, "order is delivered and %s; it is settled once",
		         cJSON_IsObject(settlement) ? "settled" : "its escrow is not held");
	else
		snprintf(detail, sizeof detail, "order is %s; %s", state, allowed);
	cJSON *p = problem_new(PROBLEM_WRONG_STATE, detail);
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

static void on_settled(void *arg, const struct settle_run_result *res)
{
	struct api_req *r = arg;
	switch (res->kind) {
	case SETTLE_RUN_OK:
		api_reply_json_text(r, 200, res->body, strlen(res->body));
		return;
	case SETTLE_RUN_NOT_FOUND:
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such order");
		return;
	case SETTLE_RUN_WRONG_STATE:
		reply_wrong_state(r, res->input, res->state);
		return;
	case SETTLE_RUN_PROBLEM:
		api_reply_problem(r, res->problem, "%s", res->detail);
		return;
	case SETTLE_RUN_DB_ERROR:
		api_reply_db_error(r, res->rep);
		return;
	}
	api_reply_problem(r, PROBLEM_INTERNAL, "unknown settlement outcome");
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
	settle_run_start(api_req_app(r)->db, id, api_scope_seller(r), api_req_now_us(r),
	                 on_settled, r);
}
