/* jit.c — the JIT task transition table and the hub's exception reasons. */
#include "wms/jit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wms/state_list.h"

#define BIT(s) (1u << (s))

static const char *const state_names[WMS_JIT_STATE_COUNT] = {
	[WMS_JIT_CREATED] = "created",
	[WMS_JIT_LABEL_PRINTED] = "label_printed",
	[WMS_JIT_BOUND] = "bound",
	[WMS_JIT_IN_TRANSIT_TO_HUB] = "in_transit_to_hub",
	[WMS_JIT_RECEIVED_AT_HUB] = "received_at_hub",
	[WMS_JIT_CONSOLIDATED] = "consolidated",
	[WMS_JIT_SHIPPED] = "shipped",
	[WMS_JIT_OVERDUE] = "overdue",
	[WMS_JIT_EXCEPTION] = "exception",
	[WMS_JIT_CANCELLED] = "cancelled",
};

static const char *const exception_names[WMS_JIT_EXCEPTION_COUNT] = {
	[WMS_JIT_WRONG_ITEM] = "wrong_item",
	[WMS_JIT_WRONG_QUANTITY] = "wrong_quantity",
	[WMS_JIT_NO_READABLE_LABEL] = "no_readable_label",
	[WMS_JIT_DAMAGED] = "damaged",
};

/* Before the hub has the parcel. */
#define UNRECEIVED (BIT(WMS_JIT_CREATED) | BIT(WMS_JIT_LABEL_PRINTED) | BIT(WMS_JIT_BOUND) | \
                    BIT(WMS_JIT_IN_TRANSIT_TO_HUB))

static const struct {
	const char *name;
	unsigned from;
	enum wms_jit_state to;
} transitions[WMS_JIT_ACTION_COUNT] = {
	[WMS_JIT_DO_PRINT_LABEL] = {"print_label", BIT(WMS_JIT_CREATED) | BIT(WMS_JIT_LABEL_PRINTED),
	                            WMS_JIT_LABEL_PRINTED},
	[WMS_JIT_DO_BIND] = {"bind", BIT(WMS_JIT_LABEL_PRINTED), WMS_JIT_BOUND},
	[WMS_JIT_DO_DISPATCH] = {"dispatch", BIT(WMS_JIT_BOUND), WMS_JIT_IN_TRANSIT_TO_HUB},
	[WMS_JIT_DO_RECEIVE] = {"receive", UNRECEIVED | BIT(WMS_JIT_OVERDUE), WMS_JIT_RECEIVED_AT_HUB},
	[WMS_JIT_DO_REJECT] = {"reject", UNRECEIVED | BIT(WMS_JIT_OVERDUE) |
	                       BIT(WMS_JIT_RECEIVED_AT_HUB), WMS_JIT_EXCEPTION},
	[WMS_JIT_DO_CONSOLIDATE] = {"consolidate", BIT(WMS_JIT_RECEIVED_AT_HUB), WMS_JIT_CONSOLIDATED},
	[WMS_JIT_DO_SHIP] = {"ship", BIT(WMS_JIT_CONSOLIDATED), WMS_JIT_SHIPPED},
	[WMS_JIT_DO_MARK_OVERDUE] = {"mark_overdue", UNRECEIVED, WMS_JIT_OVERDUE},
	[WMS_JIT_DO_CANCEL] = {"cancel", UNRECEIVED | BIT(WMS_JIT_OVERDUE) | BIT(WMS_JIT_EXCEPTION),
	                       WMS_JIT_CANCELLED},
};

static void check_state(enum wms_jit_state st)
{
	if ((unsigned)st >= WMS_JIT_STATE_COUNT)
		abort(); /* not a state: a programming error */
}

static void check_action(enum wms_jit_action act)
{
	if ((unsigned)act >= WMS_JIT_ACTION_COUNT)
		abort(); /* not an action: a programming error */
}

const char *wms_jit_state_name(enum wms_jit_state st)
{
	check_state(st);
	return state_names[st];
}

const char *wms_jit_action_name(enum wms_jit_action act)
{
	check_action(act);
	return transitions[act].name;
}

const char *wms_jit_exception_name(enum wms_jit_exception ex)
{
	if ((unsigned)ex >= WMS_JIT_EXCEPTION_COUNT)
		abort(); /* not a reason: a programming error */
	return exception_names[ex];
}

int wms_jit_state_parse(const char *name, enum wms_jit_state *out)
{
	for (int i = 0; name && i < WMS_JIT_STATE_COUNT; i++)
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum wms_jit_state)i;
			return 0;
		}
	return -1;
}

int wms_jit_exception_parse(const char *name, enum wms_jit_exception *out)
{
	for (int i = 0; name && i < WMS_JIT_EXCEPTION_COUNT; i++)
		if (strcmp(name, exception_names[i]) == 0) {
			*out = (enum wms_jit_exception)i;
			return 0;
		}
	return -1;
}

bool wms_jit_can(enum wms_jit_state st, enum wms_jit_action act)
{
	check_state(st);
	check_action(act);
	return (transitions[act].from & BIT(st)) != 0;
}

enum wms_jit_state wms_jit_target(enum wms_jit_action act)
{
	check_action(act);
	return transitions[act].to;
}

/* Writes the names of act's from-states joined by sep, between open and close, into buf.
 * Returns 0, or -1 (buf emptied) when it does not fit. */
static int list_from(enum wms_jit_action act, const char *open, const char *sep,
                     const char *close, char *buf, size_t buflen)
{
	return wms_state_list(state_names, WMS_JIT_STATE_COUNT, transitions[act].from, open, sep,
	                      close, buf, buflen);
}

int wms_jit_allowed_pg_array(enum wms_jit_action act, char *buf, size_t buflen)
{
	check_action(act);
	return list_from(act, "{", ",", "}", buf, buflen);
}

void wms_jit_allowed_text(enum wms_jit_action act, char *buf, size_t buflen)
{
	char states[160];
	check_action(act);
	if (list_from(act, "", ", ", "", states, sizeof states) != 0)
		states[0] = '\0';
	snprintf(buf, buflen, "%s is allowed from %s", transitions[act].name, states);
}
