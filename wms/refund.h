/* refund.h — refunds to the buyer as their own state machine, how much one may refund, and
 * the seller-ledger lines it posts, by where the money comes from and who is liable.
 *
 * States: pending → issued (all that was asked), partial (less: what was left of the
 * payment), failed (nothing: nothing was left, or the buyer is liable). A refund is created
 * pending by its claim (a refund without return at once; a return when its last received
 * unit is inspected) and issued by one guarded UPDATE (sql/functions/refund_issue.sql).
 *
 * Never more than was paid: a refund asks units × unit price and gets
 * min(asked, amount_paid − refunded so far) of the order, read with the order's version; the
 * write is guarded by that version (a concurrent refund of the same order makes it read
 * again) and orders.refunded ≤ amount_paid is a CHECK besides.
 *
 * Where it comes from: the escrow while it is still held (the units leave the sale the
 * settlement will price: the seller was never paid for them), else the seller's ledger (a
 * clawback: the seller was paid). The policy (documented in README, Returns):
 *  - escrow, seller liable: no ledger line (the units are simply not sold);
 *  - escrow, carrier or warehouse liable: a sale_proceeds credit (supply_payment in full)
 *    of the units at their price — the platform pays the seller for what it lost, no
 *    commission taken;
 *  - clawback: a sale_proceeds debit (supply_payment in full) of the units at their price,
 *    charged to a liable seller and platform_borne (net 0) otherwise; when the seller is
 *    liable the commission charged on those units is reversed (a commission credit, the
 *    line's net commission × units ÷ units sold, half to even). The payment fee and the
 *    outbound operation fee are not reversed (the payment was processed, the parcel shipped);
 *  - a return: the return handling fee over the units received (fee_compute,
 *    FEE_EVENT_RETURN, with the mode's treatment), platform_borne when the seller is not
 *    liable.
 * Lines carry event_type 'return', event_id the refund's id.
 */
#ifndef WMS_REFUND_H
#define WMS_REFUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wms/claim.h"
#include "wms/fees.h"

enum wms_refund_state {
	WMS_REFUND_PENDING,
	WMS_REFUND_ISSUED,
	WMS_REFUND_PARTIAL,
	WMS_REFUND_FAILED,
};
#define WMS_REFUND_STATE_COUNT 4

/* Names as stored and shown. Static strings; abort outside the enum. */
const char *wms_refund_state_name(enum wms_refund_state st);

/* The states a refund may be issued from, as a PostgreSQL array literal ("{pending}"). */
#define WMS_REFUND_ISSUABLE "{pending}"

/* What issuing a refund that asks `requested` gives when `remaining` of the payment is left
 * and liability bears it: *amount and the state (issued, partial or failed). A buyer-liable
 * refund fails with 0. Negative inputs count as 0. */
enum wms_refund_state wms_refund_outcome(int64_t requested, int64_t remaining,
                                         enum wms_liability liability, int64_t *amount);

/* A refund to price. */
struct wms_refund_in {
	const char *ref;           /* the order's client_order_id, in reasons */
	const char *sku;           /* the line's SKU code */
	const char *kind;          /* the claim's kind, in reasons */
	enum fee_mode mode;
	bool escrow_held;          /* the source: escrow (held) or the seller's ledger */
	enum wms_liability liability;
	int64_t units;             /* units refunded */
	int64_t amount;            /* what the buyer got back (wms_refund_outcome) */
	int64_t unit_price, supply_price;
	int64_t sold_commission;   /* clawback: the net commission the sale charged on the line */
	int64_t sold_units;        /* clawback: the units that sale priced */
	int64_t returned_units;    /* units received back at a returns centre; 0: no return */
	const struct fee_policy *policy;     /* the mode's, in force at `at` (returned_units) */
	const struct fee_schedule *schedule; /* in force at `at` (returned_units) */
	int64_t at;
	char currency[MONEY_CODE_LEN];
	int currency_exponent;
};

#define WMS_REFUND_MAX_LINES 3

/* The seller-ledger lines of a refund (see the top of the file) into out[0..*n) (cap >=
 * WMS_REFUND_MAX_LINES). Returns 0, or -1 with err filled (a negative figure, an overflow,
 * the fee engine's errors). */
int wms_refund_lines(const struct wms_refund_in *in, struct fee_line *out, size_t cap,
                     size_t *n, struct fee_error *err) WMS_MUST_CHECK;

#endif
