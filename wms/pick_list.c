/* pick_list.c — the pick list transition table. */
#include "wms/pick_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[WMS_PICK_LIST_STATE_COUNT] = {
	[WMS_PICK_LIST_PICKING] = "picking",
	[WMS_PICK_LIST_RELEASED] = "released",
	[WMS_PICK_LIST_DONE] = "done",
	[WMS_PICK_LIST_CANCELLED] = "cancelled",
};

/* The state machine: one row per action, with the one state it starts from. */
static const struct {
	const char *name;
	enum wms_pick_list_state from, to;
} transitions[WMS_PICK_LIST_ACTION_COUNT] = {
	[WMS_PICK_LIST_DO_CLAIM] = {"claim", WMS_PICK_LIST_RELEASED, WMS_PICK_LIST_PICKING},
	[WMS_PICK_LIST_DO_SCAN] = {"scan", WMS_PICK_LIST_PICKING, WMS_PICK_LIST_PICKING},
	[WMS_PICK_LIST_DO_COMPLETE] = {"complete", WMS_PICK_LIST_PICKING, WMS_PICK_LIST_DONE},
	[WMS_PICK_LIST_DO_RELEASE] = {"release", WMS_PICK_LIST_PICKING, WMS_PICK_LIST_RELEASED},
	[WMS_PICK_LIST_DO_DISSOLVE] = {"dissolve", WMS_PICK_LIST_PICKING, WMS_PICK_LIST_CANCELLED},
};

static void check_state(enum wms_pick_list_state st)
{
	if ((unsigned)st >= WMS_PICK_LIST_STATE_COUNT)
		abort(); /* not a state: a programming error */
}

static void check_action(enum wms_pick_list_action act)
{
	if ((unsigned)act >= WMS_PICK_LIST_ACTION_COUNT)
		abort(); /* not an action: a programming error */
}

const char *wms_pick_list_state_name(enum wms_pick_list_state st)
{
	check_state(st);
	return state_names[st];
}

const char *wms_pick_list_action_name(enum wms_pick_list_action act)
{
	check_action(act);
	return transitions[act].name;
}

int wms_pick_list_state_parse(const char *name, enum wms_pick_list_state *out)
{
	for (int i = 0; name && i < WMS_PICK_LIST_STATE_COUNT; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum wms_pick_list_state)i;
			return 0;
		}
	}
	return -1;
}

bool wms_pick_list_can(enum wms_pick_list_state st, enum wms_pick_list_action act)
{
	check_state(st);
	check_action(act);
	return transitions[act].from == st;
}

enum wms_pick_list_state wms_pick_list_target(enum wms_pick_list_action act)
{
	check_action(act);
	return transitions[act].to;
}

int wms_pick_list_allowed_pg_array(enum wms_pick_list_action act, char *buf, size_t buflen)
{
	check_action(act);
	if (!buf || buflen == 0)
		return -1;
	int w = snprintf(buf, buflen, "{%s}", state_names[transitions[act].from]);
	if (w >= 0 && (size_t)w < buflen)
		return 0;
	buf[0] = '\0';
	return -1;
}
