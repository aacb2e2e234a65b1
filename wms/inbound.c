/* inbound.c — the inbound shipment transition table and mode rule. */
#include "wms/inbound.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(st) (1u << (st))

/* The state machine: one row per action. */
static const struct {
	const char *name;
	unsigned from; /* BIT(state) of every state the action may start from */
	enum wms_inbound_state to;
} transitions[WMS_INBOUND_ACTION_COUNT] = {
	[WMS_INBOUND_DO_IN_TRANSIT] = {"in_transit",
	                               BIT(WMS_INBOUND_BOOKED),
	                               WMS_INBOUND_IN_TRANSIT},
	[WMS_INBOUND_DO_ARRIVE] = {"arrive",
	                           BIT(WMS_INBOUND_BOOKED) | BIT(WMS_INBOUND_IN_TRANSIT),
	                           WMS_INBOUND_ARRIVED},
	[WMS_INBOUND_DO_RECEIVE_SCAN] = {"receive_scan",
	                                 BIT(WMS_INBOUND_ARRIVED) | BIT(WMS_INBOUND_RECEIVING),
	                                 WMS_INBOUND_RECEIVING},
	[WMS_INBOUND_DO_CLOSE] = {"close",
	                          BIT(WMS_INBOUND_ARRIVED) | BIT(WMS_INBOUND_RECEIVING),
	                          WMS_INBOUND_CLOSED},
	[WMS_INBOUND_DO_CANCEL] = {"cancel",
	                           BIT(WMS_INBOUND_BOOKED) | BIT(WMS_INBOUND_IN_TRANSIT),
	                           WMS_INBOUND_CANCELLED},
};

const char *wms_inbound_state_name(enum wms_inbound_state st)
{
	switch (st) {
	case WMS_INBOUND_BOOKED:     return "booked";
	case WMS_INBOUND_IN_TRANSIT: return "in_transit";
	case WMS_INBOUND_ARRIVED:    return "arrived";
	case WMS_INBOUND_RECEIVING:  return "receiving";
	case WMS_INBOUND_CLOSED:     return "closed";
	case WMS_INBOUND_CANCELLED:  return "cancelled";
	}
	abort(); /* not a state: memory corruption or a bad cast */
}

int wms_inbound_state_parse(const char *name, enum wms_inbound_state *out)
{
	if (!name)
		return -1;
	for (int i = 0; i < WMS_INBOUND_STATE_COUNT; i++) {
		if (strcmp(name, wms_inbound_state_name((enum wms_inbound_state)i)) == 0) {
			*out = (enum wms_inbound_state)i;
			return 0;
		}
	}
	return -1;
}

static void check_action(enum wms_inbound_action act)
{
	if ((unsigned)act >= WMS_INBOUND_ACTION_COUNT)
		abort(); /* not an action: a programming error */
}

const char *wms_inbound_action_name(enum wms_inbound_action act)
{
	check_action(act);
	return transitions[act].name;
}

int wms_inbound_action_parse(const char *name, enum wms_inbound_action *out)
{
	if (!name)
		return -1;
	for (int i = 0; i < WMS_INBOUND_ACTION_COUNT; i++) {
		if (strcmp(name, transitions[i].name) == 0) {
			*out = (enum wms_inbound_action)i;
			return 0;
		}
	}
	return -1;
}

bool wms_inbound_can(enum wms_inbound_state st, enum wms_inbound_action act)
{
	check_action(act);
	if ((unsigned)st >= WMS_INBOUND_STATE_COUNT)
		abort();
	return (transitions[act].from & BIT(st)) != 0;
}

enum wms_inbound_state wms_inbound_target(enum wms_inbound_action act)
{
	check_action(act);
	return transitions[act].to;
}

int wms_inbound_apply(enum wms_inbound_state st, enum wms_inbound_action act,
                      enum wms_inbound_state *next)
{
	if (!wms_inbound_can(st, act))
		return -1;
	*next = transitions[act].to;
	return 0;
}

size_t wms_inbound_allowed_from(enum wms_inbound_action act,
                                enum wms_inbound_state states_out[], size_t max)
{
	size_t n = 0;
	check_action(act);
	for (int i = 0; i < WMS_INBOUND_STATE_COUNT; i++) {
		if (transitions[act].from & BIT(i)) {
			if (n < max)
				states_out[n] = (enum wms_inbound_state)i;
			n++;
		}
	}
	return n;
}

int wms_inbound_allowed_pg_array(enum wms_inbound_action act, char *buf, size_t buflen)
{
	enum wms_inbound_state st[WMS_INBOUND_STATE_COUNT];
	size_t n = wms_inbound_allowed_from(act, st, WMS_INBOUND_STATE_COUNT);
	size_t used = 0;

	if (!buf || buflen == 0)
		return -1;
	/* State names are plain lower-case identifiers: no quoting needed. */
	for (size_t i = 0; i <= n; i++) {
		const char *piece = i == n ? "}" : wms_inbound_state_name(st[i]);
		const char *lead = i == 0 ? "{" : (i == n ? "" : ",");
		int w = snprintf(buf + used, buflen - used, "%s%s", lead, piece);
		if (w < 0 || (size_t)w >= buflen - used) {
			buf[0] = '\0';
			return -1;
		}
		used += (size_t)w;
	}
	return 0;
}

int wms_inbound_mode_check(const char *mode, char *err, size_t errlen)
{
	if (mode && (strcmp(mode, "semi_warehouse") == 0 || strcmp(mode, "full") == 0))
		return 0;
	if (err && errlen) {
		if (mode && strcmp(mode, "pop") == 0)
			snprintf(err, errlen, "mode pop keeps stock with the seller; "
			                      "inbound shipments are for semi_warehouse and full");
		else if (mode && strcmp(mode, "semi_jit") == 0)
			snprintf(err, errlen, "mode semi_jit ships each order to a consolidation hub "
			                      "and keeps no warehouse stock; inbound shipments are for "
			                      "semi_warehouse and full");
		else
			snprintf(err, errlen, "unknown mode \"%.40s\"; inbound shipments are for "
			                      "semi_warehouse and full", mode ? mode : "");
	}
	return -1;
}
