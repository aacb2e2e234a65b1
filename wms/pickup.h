/* pickup.h — the pickup request state machine as a table.
 *
 * A seller's request to collect an inbound shipment at its site (api/pickups/) is created
 * requested. Planning does not change it; publishing a plan does.
 *
 *   action      allowed from           goes to
 *   publish     requested, published   published   (its plan is published: vehicle, stop,
 *                                                    ETA window; a re-plan publishes again)
 *   unpublish   published              requested   (a later published plan of its day
 *                                                    leaves it out: back for the next plan)
 *   collect     published              collected   (the driver's scan on site)
 *   cancel      requested, published   cancelled   (the seller no longer needs it)
 *
 * collected and cancelled are final. SQL applies a transition as a guarded UPDATE … WHERE
 * state = ANY($allowed) with $allowed from wms_pickup_allowed_pg_array() and the target from
 * wms_pickup_target().
 */
#ifndef WMS_PICKUP_H
#define WMS_PICKUP_H

#include <stdbool.h>
#include <stddef.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

enum wms_pickup_state {
	WMS_PICKUP_REQUESTED,
	WMS_PICKUP_PUBLISHED,
	WMS_PICKUP_COLLECTED,
	WMS_PICKUP_CANCELLED,
};
#define WMS_PICKUP_STATE_COUNT 4

enum wms_pickup_action {
	WMS_PICKUP_DO_PUBLISH,
	WMS_PICKUP_DO_UNPUBLISH,
	WMS_PICKUP_DO_COLLECT,
	WMS_PICKUP_DO_CANCEL,
};
#define WMS_PICKUP_ACTION_COUNT 4

/* Names as stored and shown ("requested", "collect"). Static strings; abort on a value
 * outside the enum. */
const char *wms_pickup_state_name(enum wms_pickup_state st);
const char *wms_pickup_action_name(enum wms_pickup_action act);
/* Parses a state name (exact match). Returns 0 and sets *out, or -1. */
int wms_pickup_state_parse(const char *name, enum wms_pickup_state *out) WMS_MUST_CHECK;

/* Whether act may start from st. */
bool wms_pickup_can(enum wms_pickup_state st, enum wms_pickup_action act) WMS_MUST_CHECK;

/* The state act leads to. */
enum wms_pickup_state wms_pickup_target(enum wms_pickup_action act) WMS_MUST_CHECK;

/* The states act may start from as a PostgreSQL array literal ("{requested,published}") in
 * buf, for a query parameter. Returns 0, or -1 (buf emptied) when buf is too small (48 bytes
 * suffice). */
int wms_pickup_allowed_pg_array(enum wms_pickup_action act, char *buf, size_t buflen)
	WMS_MUST_CHECK;

#endif
