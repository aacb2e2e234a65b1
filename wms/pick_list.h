/* pick_list.h — the pick list state machine as a table.
 *
 * A pick list batches allocated orders of one warehouse for one walk through its bins,
 * picked by one operator (an API key) at a time. A claim that batches new orders creates it
 * in picking.
 *
 *   action     allowed from   goes to
 *   claim      released       picking     (another operator takes a released list over)
 *   scan       picking        picking     (pick scans and stock issues of the operator
 *                                          holding it)
 *   complete   picking        done        (no unit left to pick: every task picked or short)
 *   release    picking        released    (handed back; its orders with picked units stay
 *                                          on it, the others go back to allocated)
 *   dissolve   picking        cancelled   (handed back with nothing picked: every order went
 *                                          back to allocated, the list holds none)
 *
 * Choices (after OCA shopfloor's cluster picking): one operator per list and one list per
 * operator; a released list is taken before new orders are batched, so picked units never
 * wait in PACKING for an order nobody finishes; done and cancelled are final.
 *
 * SQL applies a transition as a guarded UPDATE … WHERE state = ANY($allowed) with $allowed
 * from wms_pick_list_allowed_pg_array() and the target from wms_pick_list_target().
 */
#ifndef WMS_PICK_LIST_H
#define WMS_PICK_LIST_H

#include <stdbool.h>
#include <stddef.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

enum wms_pick_list_state {
	WMS_PICK_LIST_PICKING,
	WMS_PICK_LIST_RELEASED,
	WMS_PICK_LIST_DONE,
	WMS_PICK_LIST_CANCELLED,
};
#define WMS_PICK_LIST_STATE_COUNT 4

enum wms_pick_list_action {
	WMS_PICK_LIST_DO_CLAIM,
	WMS_PICK_LIST_DO_SCAN,
	WMS_PICK_LIST_DO_COMPLETE,
	WMS_PICK_LIST_DO_RELEASE,
	WMS_PICK_LIST_DO_DISSOLVE,
};
#define WMS_PICK_LIST_ACTION_COUNT 5

/* Names as stored and shown ("picking", "dissolve"). Static strings; abort on a value
 * outside the enum. */
const char *wms_pick_list_state_name(enum wms_pick_list_state st);
const char *wms_pick_list_action_name(enum wms_pick_list_action act);
/* Parses a state name (exact match). Returns 0 and sets *out, or -1. */
int wms_pick_list_state_parse(const char *name, enum wms_pick_list_state *out) WMS_MUST_CHECK;

/* Whether act may start from st. */
bool wms_pick_list_can(enum wms_pick_list_state st, enum wms_pick_list_action act) WMS_MUST_CHECK;

/* The state act leads to. */
enum wms_pick_list_state wms_pick_list_target(enum wms_pick_list_action act) WMS_MUST_CHECK;

/* The states act may start from as a PostgreSQL array literal ("{picking}") in buf, for a
 * query parameter. Returns 0, or -1 (buf emptied) when buf is too small (48 bytes suffice). */
int wms_pick_list_allowed_pg_array(enum wms_pick_list_action act, char *buf, size_t buflen)
	WMS_MUST_CHECK;

#endif
