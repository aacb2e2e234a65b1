/* inbound.h — the inbound shipment (ASN) state machine as a table, and which fulfillment modes may book one.
 *
 * States: booked → in_transit → arrived → receiving → closed, and cancelled.
 *
 *   action        allowed from                     goes to
 *   in_transit    booked                           in_transit
 *   arrive        booked, in_transit               arrived
 *   receive_scan  arrived, receiving               receiving
 *   close         arrived, receiving               closed
 *   cancel        booked, in_transit               cancelled
 *
 * Choices:
 * - arrive is allowed from booked: a drop-off shipment often reaches the dock
 *   without anyone having marked it in transit.
 * - receive_scan is NOT allowed before arrive: dock check-in is its own step
 *   (it records the arrival time and the dock), so a scan of a shipment that
 *   has not been checked in is a 409 telling staff to check it in first.
 *   receive_scan from receiving stays in receiving.
 * - close from arrived closes a shipment of which nothing was received (every
 *   line short); cancel is only possible before arrival.
 * - closed and cancelled are final.
 *
 * The SQL applies a transition as
 *   UPDATE inbound_shipment SET state = $target
 *    WHERE id = $id AND state = ANY($allowed::inbound_state[]) RETURNING …
 * with $allowed from wms_inbound_allowed_pg_array() and $target from
 * wms_inbound_state_name(wms_inbound_target(action)).
 */
#ifndef WMS_INBOUND_H
#define WMS_INBOUND_H

#include <stdbool.h>
#include <stddef.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

enum wms_inbound_state {
	WMS_INBOUND_BOOKED,
	WMS_INBOUND_IN_TRANSIT,
	WMS_INBOUND_ARRIVED,
	WMS_INBOUND_RECEIVING,
	WMS_INBOUND_CLOSED,
	WMS_INBOUND_CANCELLED,
};
#define WMS_INBOUND_STATE_COUNT 6

enum wms_inbound_action {
	WMS_INBOUND_DO_IN_TRANSIT,
	WMS_INBOUND_DO_ARRIVE,
	WMS_INBOUND_DO_RECEIVE_SCAN,
	WMS_INBOUND_DO_CLOSE,
	WMS_INBOUND_DO_CANCEL,
};
#define WMS_INBOUND_ACTION_COUNT 5

/* The state's name as stored in the database ("in_transit"). Static string;
 * aborts on a value outside the enum (a programming error). */
const char *wms_inbound_state_name(enum wms_inbound_state st);

/* Parses a state name (NUL-terminated, exact match). Returns 0 and sets *out,
 * or -1 for an unknown name. */
int wms_inbound_state_parse(const char *name, enum wms_inbound_state *out) WMS_MUST_CHECK;

/* The action's name ("receive_scan"). Static string; aborts on a bad value. */
const char *wms_inbound_action_name(enum wms_inbound_action act);

/* Parses an action name. Returns 0 and sets *out, or -1. */
int wms_inbound_action_parse(const char *name, enum wms_inbound_action *out) WMS_MUST_CHECK;

/* Whether act may start from state st. */
bool wms_inbound_can(enum wms_inbound_state st, enum wms_inbound_action act) WMS_MUST_CHECK;

/* The state act leads to. */
enum wms_inbound_state wms_inbound_target(enum wms_inbound_action act) WMS_MUST_CHECK;

/* Applies act to st: 0 and *next set, or -1 when the table forbids it
 * (*next untouched). */
int wms_inbound_apply(enum wms_inbound_state st, enum wms_inbound_action act,
                      enum wms_inbound_state *next) WMS_MUST_CHECK;

/* Writes the states act may start from to states_out (at most max of them, in
 * enum order) and returns how many there are in total (which may exceed max;
 * WMS_INBOUND_STATE_COUNT always suffices). */
size_t wms_inbound_allowed_from(enum wms_inbound_action act,
                                enum wms_inbound_state states_out[], size_t max);

/* Formats the states act may start from as a PostgreSQL array literal, e.g.
 * "{booked,in_transit}", into buf (buflen bytes, NUL-terminated). For use as a
 * query parameter, never spliced into SQL text. Returns 0, or -1 if buf is too
 * small (64 bytes always suffice). */
int wms_inbound_allowed_pg_array(enum wms_inbound_action act, char *buf, size_t buflen) WMS_MUST_CHECK;

/* Whether mode (NUL-terminated) may book an inbound shipment: 0 for
 * "semi_warehouse" and "full"; -1 otherwise with a reason in err, e.g.
 * "mode pop keeps stock with the seller; inbound shipments are for
 * semi_warehouse and full", or "unknown mode \"x\"". */
int wms_inbound_mode_check(const char *mode, char *err, size_t errlen) WMS_MUST_CHECK;

#endif
