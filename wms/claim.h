/* claim.h — buyer-protection claims: their kinds and states as a table, when a claim may be
 * opened, and the explained decision between a refund without return and a return.
 *
 * The platform opens a claim for one order line and some of its units on the buyer's behalf:
 *   not_received      the parcel did not arrive. Carrier tracking decides first: a parcel the
 *                     carrier delivered refuses the claim with that evidence; one returned to
 *                     the sender opens it at once. Otherwise only once the order's promise
 *                     deadline plus
 *                     WMS_CLAIM_NOT_RECEIVED_GRACE_S has passed (an order without a recorded
 *                     promise — pop — counts from placed_at + WMS_CLAIM_POP_PROMISE_S), and
 *                     only while the order is picking, packed or shipped: it never arrived or
 *                     has not been confirmed. A delivered order (the buyer confirmed receipt)
 *                     is refused with that confirmation as the evidence. Nothing comes back:
 *                     always a refund without return, the carrier liable (a shipped parcel)
 *                     or the warehouse (one that never left).
 *   damaged           the item arrived damaged; evidence references required.
 *   not_as_described  the item does not match its description; evidence references required.
 * Units: 1 .. (qty − short − units of earlier claims of the line).
 *
 * The decision (damaged, not_as_described), explained with its figures: bringing the units
 * back costs the reverse route's quoted cost to the returns centre plus the return handling
 * fee per unit (the fee schedule's); it recovers value × the category's recovery rate
 * (return_recovery_rates, data). A return (RMA) is authorised only when the recovery is
 * worth more than the cost; otherwise — and when there is no returns centre or no route —
 * the buyer is refunded without return. Liability of a refund without return: carrier for
 * damaged (it broke in transit), seller for not_as_described; a return's liability is
 * decided per unit at inspection.
 *
 * States: awaiting_return → inspecting (the returns centre received it) → closed (its
 * refund made); a refund without return is stored closed. awaiting_return and inspecting
 * freeze the order's escrow (orders.claims_open counts them).
 */
#ifndef WMS_CLAIM_H
#define WMS_CLAIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* The grace after the promise deadline before a parcel counts as not received: 2 days. */
#define WMS_CLAIM_NOT_RECEIVED_GRACE_S (2 * 86400)
/* The deadline of an order without a promise record (pop): placed_at + 10 days. */
#define WMS_CLAIM_POP_PROMISE_S (10 * 86400)
/* Most evidence references of a claim, and the longest. */
#define WMS_CLAIM_EVIDENCE_MAX 10
#define WMS_CLAIM_EVIDENCE_LEN 200

enum wms_claim_kind { WMS_CLAIM_NOT_RECEIVED, WMS_CLAIM_DAMAGED, WMS_CLAIM_NOT_AS_DESCRIBED };
#define WMS_CLAIM_KIND_COUNT 3

enum wms_claim_state { WMS_CLAIM_AWAITING_RETURN, WMS_CLAIM_INSPECTING, WMS_CLAIM_CLOSED };
#define WMS_CLAIM_STATE_COUNT 3

enum wms_claim_action {
	WMS_CLAIM_DO_RECEIVE, /* awaiting_return → inspecting: the returns centre scanned it */
	WMS_CLAIM_DO_CLOSE,   /* inspecting → closed: every received unit inspected, refunded */
};
#define WMS_CLAIM_ACTION_COUNT 2

/* Who bears a refund (ledger treatment: wms/refund.h). */
enum wms_liability { WMS_LIABLE_BUYER, WMS_LIABLE_CARRIER, WMS_LIABLE_WAREHOUSE, WMS_LIABLE_SELLER };
#define WMS_LIABILITY_COUNT 4

/* Names as stored and shown. Static strings; abort on a value outside the enum. */
const char *wms_claim_kind_name(enum wms_claim_kind k);
const char *wms_claim_state_name(enum wms_claim_state st);
const char *wms_liability_name(enum wms_liability l);
/* Parse a name (exact). Return 0 and set *out, or -1. */
int wms_claim_kind_parse(const char *s, enum wms_claim_kind *out) WMS_MUST_CHECK;
int wms_liability_parse(const char *s, enum wms_liability *out) WMS_MUST_CHECK;

/* Whether a claim in st freezes its order's escrow. */
bool wms_claim_freezes(enum wms_claim_state st);
/* The state act leads to, and the states it may start from as a PostgreSQL array literal
 * in buf (64 bytes suffice); -1 when buf is too small. */
enum wms_claim_state wms_claim_target(enum wms_claim_action act);
int wms_claim_allowed_pg_array(enum wms_claim_action act, char *buf, size_t len) WMS_MUST_CHECK;

/* What opening a claim is checked against. Times in epoch seconds. */
struct wms_claim_order {
	const char *state;      /* the order's state (wms/order.h names) */
	int64_t deadline;       /* the promise deadline; 0 when none was recorded (pop) */
	int64_t placed_at;
	int64_t delivered_at;   /* when the buyer confirmed receipt; 0 if not */
	int64_t now;
	int64_t qty, short_qty; /* the line's */
	int64_t claimed;        /* units of the line on earlier claims */
	/* carrier tracking of the order's parcels: one delivered (the carrier's evidence), one
	 * returned to the sender */
	bool carrier_delivered, returned_to_sender;
};

/* Why a claim cannot be opened. */
enum wms_claim_refusal {
	WMS_CLAIM_OK,
	WMS_CLAIM_WRONG_STATE, /* the order is not in a state the kind allows */
	WMS_CLAIM_TOO_EARLY,   /* not_received before the deadline plus the grace */
	WMS_CLAIM_OVER,        /* more units than the line has left to claim */
};

/* The instant (epoch seconds) from which a not_received claim of o may be opened: the promise
 * deadline (or placed_at + WMS_CLAIM_POP_PROMISE_S without one) + the grace. */
int64_t wms_claim_not_received_from(const struct wms_claim_order *o);

/* Checks a claim of kind for units of the line in o. Returns WMS_CLAIM_OK or the refusal,
 * with a sentence in why (names the state, the grace, or the units left; the instant a
 * not_received claim opens is wms_claim_not_received_from()). */
enum wms_claim_refusal wms_claim_check(enum wms_claim_kind kind, const struct wms_claim_order *o,
                                       int64_t units, char *why, size_t whylen) WMS_MUST_CHECK;

/* The figures of a decision. Amounts in minor units of currency. */
struct wms_claim_costs {
	int64_t unit_price;       /* the buyer's price of one unit */
	int64_t units;
	int32_t recovery_bp;      /* the category's recovery rate */
	bool has_route;           /* a returns centre and a reverse route were found */
	int64_t route_cost;       /* the route's quoted cost (has_route) */
	int64_t handling_per_unit;/* the schedule's return handling fee per unit */
	const char *currency;     /* for the sentence */
	int currency_exponent;
	const char *no_route_why; /* why there is no route (!has_route), for the sentence */
};

enum wms_claim_decision_kind { WMS_CLAIM_REFUND_WITHOUT_RETURN, WMS_CLAIM_RETURN };

struct wms_claim_decision {
	enum wms_claim_decision_kind kind;
	int64_t value;        /* unit_price × units */
	int64_t recovery;     /* value × recovery_bp, half to even */
	int64_t cost;         /* route_cost + handling_per_unit × units (has_route) */
	enum wms_liability liability; /* of a refund without return; seller for a return until
	                               * inspection decides per unit */
	char why[400];        /* the explanation */
};

const char *wms_claim_decision_name(enum wms_claim_decision_kind k);

/* Decides a claim of kind with costs (see the top of the file). Returns 0, or -1 on an
 * overflow or a negative figure (why says which). */
int wms_claim_decide(enum wms_claim_kind kind, const struct wms_claim_costs *costs,
                     bool shipped, struct wms_claim_decision *out) WMS_MUST_CHECK;

#endif
