/* settle_run.h — settling one order: its escrow released and the sale posted to the seller's
 * ledger, once. The one code path of the buyer's confirmation (POST /v1/orders/{id}/
 * confirm-receipt, h_order_settlement.c) and of the automatic release when the
 * buyer-protection window after a carrier's delivery ends (escrow_release.c): whichever
 * comes first settles, the other finds the order settled.
 *
 *  1. order_settlement_input() reads the order, its lines, the seller's advance outstanding
 *     and the fee versions in force at the settlement time (whole seconds).
 *  2. C decides: the state must allow confirm_receipt (shipped, or delivered by a carrier);
 *     an order whose escrow is no longer held was settled (or refunded) before: wrong state,
 *     with the stored settlement. The sale is priced (api/fees/fees_settle.h, wms/settle.h).
 *     An order in another currency than the fee schedule in force is currency-mismatch:
 *     nothing is written.
 *  3. order_settle() applies it: the guarded UPDATE (state allowed, escrow held, version
 *     unchanged), the seller account's lock and a last look at the advance, the ledger rows.
 *     When the order changed since the read ('conflict': a twin settled it) or the advance did
 *     (WS004), it is read and priced again, at most three times in all; then conflict. */
#ifndef WMS_API_SETTLE_RUN_H
#define WMS_API_SETTLE_RUN_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "api/db/db.h"
#include "api/http/problem.h"

enum settle_run_kind {
	SETTLE_RUN_OK,          /* settled: body is the order (order_doc) */
	SETTLE_RUN_NOT_FOUND,   /* no such order in the scope */
	SETTLE_RUN_WRONG_STATE, /* not settleable: state, input (the settlement input, with the
	                         * stored settlement of a settled order) */
	SETTLE_RUN_PROBLEM,     /* problem with detail (conflict, currency-mismatch, internal,
	                         * overloaded, unavailable) */
	SETTLE_RUN_DB_ERROR,    /* a statement failed: rep */
};

/* What a settlement came to; valid only during the done callback. */
struct settle_run_result {
	enum settle_run_kind kind;
	const char *body;              /* OK */
	const char *state;             /* WRONG_STATE */
	const cJSON *input;            /* WRONG_STATE */
	enum problem_type problem;     /* PROBLEM */
	const char *detail;            /* PROBLEM */
	const struct db_reply *rep;    /* DB_ERROR */
};

typedef void settle_run_done_fn(void *arg, const struct settle_run_result *res);

/* Settles order_id (a UUID) as of now_us (cut to whole seconds), seen by seller_scope (a
 * seller id, or NULL for every seller), through db. done(arg, result) is called exactly once:
 * later from the loop, or before this returns when the pool refuses the first query. */
void settle_run_start(struct db_pool *db, const char *order_id, const char *seller_scope,
                      int64_t now_us, settle_run_done_fn *done, void *arg);

#endif
