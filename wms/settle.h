/* settle.h — settling a delivered order: the seller-ledger lines of its sale and what its
 * escrow releases to the seller and refunds to the buyer.
 *
 * An order is settled once, when the buyer confirms receipt (DESIGN.md, Escrow). Per order
 * line, only the units that left the warehouse count: qty − short (short is set by picking).
 * Each line is one sale under the mode's policy (fee_settle_sale in wms/fees.h: sale
 * proceeds — the supply payment in mode full — commission with the mode's multiplier,
 * payment fee, advance recovery); the advance outstanding is carried from line to line, so
 * the recoveries of an order reduce it in turn and never recover more than it. Then, once
 * for the order, the outbound operation fee over every unit shipped (fee_compute,
 * FEE_EVENT_OUTBOUND: charged in semi_jit, waived in semi_warehouse, borne by the platform
 * in full, no line in pop). A line with no unit shipped has no fee lines.
 *
 * The buyer gets back the price of the short units (Σ short × unit_price); units a claim
 * refunded from the held escrow before (escrow_refunded, refunded_before) are not sold and
 * count as refunded too; the escrow releases the rest of what was paid (amount_paid − refunded): to the seller as the ledger
 * lines say, and in mode full the difference between the retail and the supply price to the
 * platform, the retailer.
 *
 * Every reason names the order and the line's SKU before the engine's computation: "sale of
 * 2 × EB-100, order MP-1001: commission 5.00% of 50.00 USD = 2.50 USD"; a line with short
 * units says "sale of 2 of 3 × EB-100 (1 short), order …"; the order's fee "order MP-1001:
 * outbound operation fee 3 units × 0.45 USD = 1.35 USD, waived: …".
 *
 * Pure C, no I/O, no allocation; the caller owns every pointer. Amounts are minor units of
 * the schedule's currency, which must be the order's (no conversion: FEE_ECURRENCY).
 */
#ifndef WMS_SETTLE_H
#define WMS_SETTLE_H

#include <stddef.h>
#include <stdint.h>

#include "wms/fees.h"

/* One line of the order. */
struct wms_settle_line {
	int32_t line_no;      /* the order line's number, 1.. */
	const char *sku;      /* SKU code, set on its fee lines and named in their reasons */
	const char *category; /* commission category; NULL: the schedule's default rate */
	int64_t qty;          /* ordered units, >= 0 */
	int64_t short_qty;    /* units not shipped, 0..qty */
	int64_t unit_price;   /* the buyer's price of one unit */
	int64_t supply_price; /* the platform's price of one unit (mode full; else unused) */
	int64_t escrow_refunded; /* shipped units a claim refunded to the buyer from the held
	                          * escrow before the settlement (wms/refund.h): not sold,
	                          * 0..qty − short_qty */
};

/* The order to settle. */
struct wms_settle_order {
	const char *ref;                /* the order's name in reasons (its client_order_id) */
	int64_t at;                     /* epoch seconds, within both versions' validity */
	char currency[MONEY_CODE_LEN];  /* of the amounts */
	int64_t amount_paid;            /* what the buyer paid into escrow */
	int64_t advance_outstanding;    /* the seller's unrecovered advances in currency, >= 0 */
	int64_t refunded_before;        /* refunded from the escrow before (claims), >= 0 */
	const struct wms_settle_line *lines;
	size_t n_lines;
};

/* What the settlement comes to; the seller's side is exactly the sum of its lines. */
struct wms_settlement {
	int64_t sale_amount;    /* sale proceeds (supply payments in full) of the shipped units */
	int64_t fees;           /* net commission, payment fees and outbound operation fee */
	int64_t saved;          /* the waived, reduced and platform-borne parts of those fees */
	int64_t recovered;      /* advance recovered */
	int64_t net_payable;    /* sale_amount − fees − recovered: what the seller is paid */
	int64_t refunded;       /* Σ short × unit_price + refunded_before: back to the buyer */
	int64_t released;       /* amount_paid − refunded */
	int64_t units_shipped;  /* Σ qty − short */
	int64_t advance_outstanding_after;
};

/* The most fee lines an order of n_lines lines can give (every sale's lines and the
 * outbound operation fee). */
size_t wms_settle_max_lines(size_t n_lines);

/*
 * Settles order under policy (its mode decides) and schedule, both in force at order->at.
 * Writes the fee lines, in posting order, to out[0..*n_out) (cap entries; see
 * wms_settle_max_lines) and, when line_of is not NULL, the order line each belongs to in
 * line_of[0..*n_out) (0 for the order's outbound operation fee); the totals to *sum.
 * Returns 0, or -1 with err filled and *n_out 0: FEE_ECURRENCY when the order is not in the
 * schedule's currency, FEE_EINVAL for a negative amount, short > qty, or short units worth
 * more than was paid, FEE_EOVERFLOW, FEE_ENOSPACE, and fee_settle_sale's and fee_compute's
 * own errors.
 */
int wms_settle_order(const struct fee_policy *policy, const struct fee_schedule *schedule,
                     const struct wms_settle_order *order, struct fee_line *out,
                     int32_t *line_of, size_t cap, size_t *n_out, struct wms_settlement *sum,
                     struct fee_error *err) WMS_MUST_CHECK;

#endif
