/* pickup.c — the pickup request transition table. */
#include "wms/pickup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(s) (1u << (s))

static const char *const state_names[WMS_PICKUP_STATE_COUNT] = {
	[WMS_PICKUP_REQUESTED] = "requested",
	[WMS_PICKUP_PUBLISHED] = "published",
	[WMS_PICKUP_COLLECTED] = "collected",
	[WMS_PICKUP_CANCELLED] = "cancelled",
};

/* The state machine: one row per action, the states it starts from as bits. */
static const struct {
	const char *name;
	unsigned from;
	enum wms_pickup_state to;
} transitions[WMS_PICKUP_ACTION_COUNT] = {
	[WMS_PICKUP_DO_PUBLISH] = {"publish", BIT(WMS_PICKUP_REQUESTED) | BIT(WMS_PICKUP_PUBLISHED),
	                           WMS_PICKUP_PUBLISHED},
	[WMS_PICKUP_DO_UNPUBLISH] = {"unpublish", BIT(WMS_PICKUP_PUBLISHED), WMS_PICKUP_REQUESTED},
	[WMS_PICKUP_DO_COLLECT] = {"collect", BIT(WMS_PICKUP_PUBLISHED), WMS_PICKUP_COLLECTED},
	[WMS_PICKUP_DO_CANCEL] = {"cancel", BIT(WMS_PICKUP_REQUESTED) | BIT(WMS_PICKUP_PUBLISHED),
	                          WMS_PICKUP_CANCELLED},
};

static void check_state(enum wms_pickup_state st)
{
	if ((unsigned)st >= WMS_PICKUP_STATE_COUNT)
		abort(); /* not a state: a programming error */
}

static void check_action(enum wms_pickup_action act)
{
	if ((unsigned)act >= WMS_PICKUP_ACTION_COUNT)
		abort(); /* not an action: a programming error */
}

const char *wms_pickup_state_name(enum wms_pickup_state st)
{
	check_state(st);
	return state_names[st];
}

const char *wms_pickup_action_name(enum wms_pickup_action act)
{
	check_action(act);
	return transitions[act].name;
}

int wms_pickup_state_parse(const char *name, enum wms_pickup_state *out)
{
	for (int i = 0; name && i < WMS_PICKUP_STATE_COUNT; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum wms_pickup_state)i;
			return 0;
		}
	}
	return -1;
}

bool wms_pickup_can(enum wms_pickup_state st, enum wms_pickup_action act)
{
	check_state(st);
	check_action(act);
	return (transitions[act].from & BIT(st)) != 0;
}

enum wms_pickup_state wms_pickup_target(enum wms_pickup_action act)
{
	check_action(act);
	return transitions[act].to;
}

int wms_pickup_allowed_pg_array(enum wms_pickup_action act, char *buf, size_t buflen)
{
	check_action(act);
	if (!buf || buflen == 0)
		return -1;
	size_t w = 0;
	bool first = true;
	buf[w++] = '{';
	for (int s = 0; s < WMS_PICKUP_STATE_COUNT && w < buflen; s++) {
		if (!(transitions[act].from & BIT(s)))
			continue;
		int n = snprintf(buf + w, buflen - w, "%s%s", first ? "" : ",", state_names[s]);
		if (n < 0 || (size_t)n >= buflen - w) {
			w = buflen;
			break;
		}
		w += (size_t)n;
		first = false;
	}
	if (w + 1 < buflen) {
		buf[w] = '}';
		buf[w + 1] = '\0';
		return 0;
	}
	buf[0] = '\0';
	return -1;
}
