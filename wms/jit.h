/* jit.h — the JIT task state machine as a table (semi_jit orders: the seller ships each
 * order's parcel to a consolidation hub by a hand-over deadline).
 *
 *   action        allowed from                                        goes to
 *   print_label   created, label_printed                              label_printed
 *   bind          label_printed                                       bound (to a first-mile
 *                                                                     consignment)
 *   dispatch      bound                                               in_transit_to_hub
 *   receive       created, label_printed, bound, in_transit_to_hub,   received_at_hub
 *                 overdue                                             (late when after the
 *                                                                     deadline)
 *   reject        created, label_printed, bound, in_transit_to_hub,   exception (with a
 *                 overdue, received_at_hub                            reason)
 *   consolidate   received_at_hub                                     consolidated (in a bag)
 *   ship          consolidated                                        shipped (line-haul)
 *   mark_overdue  created, label_printed, bound, in_transit_to_hub    overdue
 *   cancel        created, label_printed, bound, in_transit_to_hub,   cancelled (escrow
 *                 overdue, exception                                  refunded)
 *
 * A hub may receive a parcel whose label was never printed (the seller wrote the order id on
 * it): receive is allowed from created. shipped and cancelled are final.
 *
 * SQL applies a transition as a guarded UPDATE … WHERE state = ANY($allowed) with $allowed
 * from wms_jit_allowed_pg_array() and the target from wms_jit_target().
 */
#ifndef WMS_JIT_H
#define WMS_JIT_H

#include <stdbool.h>
#include <stddef.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

enum wms_jit_state {
	WMS_JIT_CREATED,
	WMS_JIT_LABEL_PRINTED,
	WMS_JIT_BOUND,
	WMS_JIT_IN_TRANSIT_TO_HUB,
	WMS_JIT_RECEIVED_AT_HUB,
	WMS_JIT_CONSOLIDATED,
	WMS_JIT_SHIPPED,
	WMS_JIT_OVERDUE,
	WMS_JIT_EXCEPTION,
	WMS_JIT_CANCELLED,
};
#define WMS_JIT_STATE_COUNT 10

enum wms_jit_action {
	WMS_JIT_DO_PRINT_LABEL,
	WMS_JIT_DO_BIND,
	WMS_JIT_DO_DISPATCH,
	WMS_JIT_DO_RECEIVE,
	WMS_JIT_DO_REJECT,
	WMS_JIT_DO_CONSOLIDATE,
	WMS_JIT_DO_SHIP,
	WMS_JIT_DO_MARK_OVERDUE,
	WMS_JIT_DO_CANCEL,
};
#define WMS_JIT_ACTION_COUNT 9

/* The reasons of an exception at the hub, as stored and shown. */
enum wms_jit_exception {
	WMS_JIT_WRONG_ITEM,
	WMS_JIT_WRONG_QUANTITY,
	WMS_JIT_NO_READABLE_LABEL,
	WMS_JIT_DAMAGED,
};
#define WMS_JIT_EXCEPTION_COUNT 4

/* Names as stored and shown ("label_printed", "print_label", "wrong_item"). Static strings;
 * abort on a value outside the enum. */
const char *wms_jit_state_name(enum wms_jit_state st);
const char *wms_jit_action_name(enum wms_jit_action act);
const char *wms_jit_exception_name(enum wms_jit_exception ex);
/* Parse a name (exact match). Return 0 and set *out, or -1. */
int wms_jit_state_parse(const char *name, enum wms_jit_state *out) WMS_MUST_CHECK;
int wms_jit_exception_parse(const char *name, enum wms_jit_exception *out) WMS_MUST_CHECK;

/* Whether act may start from st. */
bool wms_jit_can(enum wms_jit_state st, enum wms_jit_action act) WMS_MUST_CHECK;

/* The state act leads to. */
enum wms_jit_state wms_jit_target(enum wms_jit_action act) WMS_MUST_CHECK;

/* The states act may start from as a PostgreSQL array literal ("{created,label_printed}")
 * in buf, for a query parameter. Returns 0, or -1 (buf emptied) when buf is too small
 * (128 bytes suffice). */
int wms_jit_allowed_pg_array(enum wms_jit_action act, char *buf, size_t buflen) WMS_MUST_CHECK;

/* A sentence naming the states act is allowed from ("bind is allowed from label_printed"). */
void wms_jit_allowed_text(enum wms_jit_action act, char *buf, size_t buflen);

#endif
