/* order.h — the outbound order state machine as a table, and which fulfillment modes an order may have.
 *
 * States: created → allocated → picking → packed → shipped → delivered, with on_hold,
 * cancelled and unfulfillable.
 *
 *   action          allowed from                     goes to
 *   allocate        created                          allocated
 *   reject          created, allocated, picking      unfulfillable (no stock left to allocate
 *                                                    or re-allocate after a short pick)
 *   start_pick      allocated                        picking
 *   release_pick    picking                          allocated
 *   pack            picking                          packed      (every picked unit in a
 *                                                    closed package)
 *   ship            packed                           shipped     (its last package handed over)
 *   ship_by_seller  created                          shipped     (pop: the seller ships)
 *   confirm_receipt shipped, delivered               delivered   (the escrow is released once:
 *                                                    a settled order is refused by its escrow)
 *   hold            created, allocated               on_hold
 *   release_hold    on_hold                          (the state it was held in)
 *   cancel          created, allocated, on_hold      cancelled
 *   ship_from_hub   created                          shipped     (semi_jit: the consolidation
 *                                                    hub hands its bag to the line-haul)
 *   deliver         shipped                          delivered   (the carrier delivered its
 *                                                    last package; the escrow stays held until
 *                                                    the buyer confirms or the protection
 *                                                    window ends)
 *
 * Choices (after SP-API Fulfillment Outbound and Shopify's FulfillmentOrder):
 * - cancel only before picking starts; it releases what was reserved.
 * - a hold keeps the state it interrupted and returns to it; held orders are not picked.
 * - unfulfillable and cancelled are final; delivered only settles (confirm_receipt, or the
 *   automatic release at the end of the buyer-protection window, the same settlement).
 * - pop orders never reach a warehouse: created → shipped by the seller's tracking number.
 *
 * SQL applies a transition as a guarded UPDATE … WHERE state = ANY($allowed) with $allowed
 * from wms_order_allowed_pg_array() and $target from wms_order_target() (release_hold's
 * target is the held_from column, which hold records).
 */
#ifndef WMS_ORDER_H
#define WMS_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

enum wms_order_state {
	WMS_ORDER_CREATED,
	WMS_ORDER_ALLOCATED,
	WMS_ORDER_PICKING,
	WMS_ORDER_PACKED,
	WMS_ORDER_SHIPPED,
	WMS_ORDER_DELIVERED,
	WMS_ORDER_ON_HOLD,
	WMS_ORDER_CANCELLED,
	WMS_ORDER_UNFULFILLABLE,
};
#define WMS_ORDER_STATE_COUNT 9

enum wms_order_action {
	WMS_ORDER_DO_ALLOCATE,
	WMS_ORDER_DO_REJECT,
	WMS_ORDER_DO_START_PICK,
	WMS_ORDER_DO_RELEASE_PICK,
	WMS_ORDER_DO_PACK,
	WMS_ORDER_DO_SHIP,
	WMS_ORDER_DO_SHIP_BY_SELLER,
	WMS_ORDER_DO_CONFIRM_RECEIPT,
	WMS_ORDER_DO_HOLD,
	WMS_ORDER_DO_RELEASE_HOLD,
	WMS_ORDER_DO_CANCEL,
	WMS_ORDER_DO_SHIP_FROM_HUB,
	WMS_ORDER_DO_DELIVER,
};
#define WMS_ORDER_ACTION_COUNT 13

/* Names as stored and shown ("on_hold", "confirm_receipt"). Static strings; abort on a value
 * outside the enum. */
const char *wms_order_state_name(enum wms_order_state st);
const char *wms_order_action_name(enum wms_order_action act);
/* Parse a name (exact match). Return 0 and set *out, or -1. */
int wms_order_state_parse(const char *name, enum wms_order_state *out) WMS_MUST_CHECK;

/* Whether act may start from st. */
bool wms_order_can(enum wms_order_state st, enum wms_order_action act) WMS_MUST_CHECK;

/* The state act leads to; for release_hold, WMS_ORDER_ON_HOLD stands for "the state the
 * order was held in" (not in the table: the order's held_from). */
enum wms_order_state wms_order_target(enum wms_order_action act) WMS_MUST_CHECK;

/* The states act may start from as a PostgreSQL array literal ("{created,allocated}") in
 * buf, for a query parameter. Returns 0, or -1 when buf is too small (96 bytes suffice). */
int wms_order_allowed_pg_array(enum wms_order_action act, char *buf, size_t buflen) WMS_MUST_CHECK;

/* A sentence naming the states act is allowed from ("cancel is allowed from created,
 * allocated, on_hold"), for a 409. */
void wms_order_allowed_text(enum wms_order_action act, char *buf, size_t buflen);

/* Whether an order may have mode: "full", "semi_warehouse" (stocked, allocated to a
 * fulfillment centre), "pop" (the seller ships) and "semi_jit" (a JIT task: the seller ships
 * to a consolidation hub) — 0; anything else -1 with a reason in err. */
int wms_order_mode_check(const char *mode, char *err, size_t errlen) WMS_MUST_CHECK;

/* Whether mode's orders are fulfilled from a platform warehouse (full, semi_warehouse). */
bool wms_order_mode_stocked(const char *mode);

/* The modes whose orders the seller ships itself (ship_by_seller) — the order modes that are
 * not stocked: pop — as a PostgreSQL array literal, for a query parameter. The warehouse
 * ships every other order. */
#define WMS_ORDER_SELLER_SHIPS "{pop}"

/* Whether s is a tracking number a seller may give for its own shipment: 1..64 characters,
 * ASCII letters, digits and '-', beginning and ending with a letter or a digit (what carriers
 * print: "RR473124829GB", "1Z999AA10123456784", "JD014600006281234567"; no spaces, no other
 * punctuation). Returns 0, or -1 with the reason in err. */
int wms_order_tracking_check(const char *s, char *err, size_t errlen) WMS_MUST_CHECK;

/* The units of one order line, for estimating the parcel before it is packed. */
struct wms_order_units {
	int32_t weight_g;   /* one unit */
	int32_t dims_mm[3]; /* one unit, any order */
	int32_t qty;
};

/* The parcel an order's units make, for choosing its fulfillment centre and route before
 * anyone packs it (closing the package quotes the real one): the weight is the units'
 * total; the units lie flat in one stack — each turned so its smallest side is its height —
 * so the box is as long and as wide as the longest and widest unit and as high as the stack.
 * Writes the weight and dimensions (longest first) and returns 0, or -1 when n is 0, a
 * value is not positive, or a total passes INT32_MAX. */
int wms_order_parcel(const struct wms_order_units *units, size_t n, int32_t *weight_g,
                     int32_t dims_mm[3]) WMS_MUST_CHECK;

#endif
