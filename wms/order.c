/* order.c — the outbound order transition table and mode rule. */
#include "wms/order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wms/state_list.h"

#define BIT(st) (1u << (st))

static const char *const state_names[WMS_ORDER_STATE_COUNT] = {
	[WMS_ORDER_CREATED] = "created",     [WMS_ORDER_ALLOCATED] = "allocated",
	[WMS_ORDER_PICKING] = "picking",     [WMS_ORDER_PACKED] = "packed",
	[WMS_ORDER_SHIPPED] = "shipped",     [WMS_ORDER_DELIVERED] = "delivered",
	[WMS_ORDER_ON_HOLD] = "on_hold",     [WMS_ORDER_CANCELLED] = "cancelled",
	[WMS_ORDER_UNFULFILLABLE] = "unfulfillable",
};

/* The state machine: one row per action. */
static const struct {
	const char *name;
	unsigned from; /* BIT(state) of every state the action may start from */
	enum wms_order_state to;
} transitions[WMS_ORDER_ACTION_COUNT] = {
	[WMS_ORDER_DO_ALLOCATE] = {"allocate", BIT(WMS_ORDER_CREATED), WMS_ORDER_ALLOCATED},
	[WMS_ORDER_DO_REJECT] = {"reject",
	                         BIT(WMS_ORDER_CREATED) | BIT(WMS_ORDER_ALLOCATED) |
	                             BIT(WMS_ORDER_PICKING),
	                         WMS_ORDER_UNFULFILLABLE},
	[WMS_ORDER_DO_START_PICK] = {"start_pick", BIT(WMS_ORDER_ALLOCATED), WMS_ORDER_PICKING},
	[WMS_ORDER_DO_RELEASE_PICK] = {"release_pick", BIT(WMS_ORDER_PICKING), WMS_ORDER_ALLOCATED},
	[WMS_ORDER_DO_PACK] = {"pack", BIT(WMS_ORDER_PICKING), WMS_ORDER_PACKED},
	[WMS_ORDER_DO_SHIP] = {"ship", BIT(WMS_ORDER_PACKED), WMS_ORDER_SHIPPED},
	[WMS_ORDER_DO_SHIP_BY_SELLER] = {"ship_by_seller", BIT(WMS_ORDER_CREATED), WMS_ORDER_SHIPPED},
	[WMS_ORDER_DO_CONFIRM_RECEIPT] = {"confirm_receipt",
	                                  BIT(WMS_ORDER_SHIPPED) | BIT(WMS_ORDER_DELIVERED),
	                                  WMS_ORDER_DELIVERED},
	[WMS_ORDER_DO_HOLD] = {"hold", BIT(WMS_ORDER_CREATED) | BIT(WMS_ORDER_ALLOCATED),
	                       WMS_ORDER_ON_HOLD},
	[WMS_ORDER_DO_RELEASE_HOLD] = {"release_hold", BIT(WMS_ORDER_ON_HOLD), WMS_ORDER_ON_HOLD},
	[WMS_ORDER_DO_CANCEL] = {"cancel",
	                         BIT(WMS_ORDER_CREATED) | BIT(WMS_ORDER_ALLOCATED) |
	                             BIT(WMS_ORDER_ON_HOLD),
	                         WMS_ORDER_CANCELLED},
	[WMS_ORDER_DO_SHIP_FROM_HUB] = {"ship_from_hub", BIT(WMS_ORDER_CREATED), WMS_ORDER_SHIPPED},
	[WMS_ORDER_DO_DELIVER] = {"deliver", BIT(WMS_ORDER_SHIPPED), WMS_ORDER_DELIVERED},
};

static void check_state(enum wms_order_state st)
{
	if ((unsigned)st >= WMS_ORDER_STATE_COUNT)
		abort(); /* not a state: a programming error */
}

static void check_action(enum wms_order_action act)
{
	if ((unsigned)act >= WMS_ORDER_ACTION_COUNT)
		abort(); /* not an action: a programming error */
}

const char *wms_order_state_name(enum wms_order_state st)
{
	check_state(st);
	return state_names[st];
}

const char *wms_order_action_name(enum wms_order_action act)
{
	check_action(act);
	return transitions[act].name;
}

int wms_order_state_parse(const char *name, enum wms_order_state *out)
{
	for (int i = 0; name && i < WMS_ORDER_STATE_COUNT; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum wms_order_state)i;
			return 0;
		}
	}
	return -1;
}

bool wms_order_can(enum wms_order_state st, enum wms_order_action act)
{
	check_state(st);
	check_action(act);
	return (transitions[act].from & BIT(st)) != 0;
}

enum wms_order_state wms_order_target(enum wms_order_action act)
{
	check_action(act);
	return transitions[act].to;
}

/* Writes the names of act's from-states joined by sep, between open and close, into buf.
 * Returns 0, or -1 (buf emptied) when it does not fit. */
static int list_from(enum wms_order_action act, const char *open, const char *sep,
                     const char *close, char *buf, size_t buflen)
{
	return wms_state_list(state_names, WMS_ORDER_STATE_COUNT, transitions[act].from, open, sep,
	                      close, buf, buflen);
}

int wms_order_allowed_pg_array(enum wms_order_action act, char *buf, size_t buflen)
{
	check_action(act);
	return list_from(act, "{", ",", "}", buf, buflen);
}

void wms_order_allowed_text(enum wms_order_action act, char *buf, size_t buflen)
{
	char states[128];
	check_action(act);
	if (list_from(act, "", ", ", "", states, sizeof states) != 0)
		states[0] = '\0';
	snprintf(buf, buflen, "%s is allowed from %s", transitions[act].name, states);
}

int wms_order_mode_check(const char *mode, char *err, size_t errlen)
{
	if (mode && (strcmp(mode, "full") == 0 || strcmp(mode, "semi_warehouse") == 0 ||
	             strcmp(mode, "pop") == 0 || strcmp(mode, "semi_jit") == 0))
		return 0;
	snprintf(err, errlen, "unknown mode \"%.40s\"; orders take full, semi_warehouse, pop or "
	         "semi_jit", mode ? mode : "");
	return -1;
}

bool wms_order_mode_stocked(const char *mode)
{
	return mode && (strcmp(mode, "full") == 0 || strcmp(mode, "semi_warehouse") == 0);
}

static bool alnum_ascii(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int wms_order_tracking_check(const char *s, char *err, size_t errlen)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64) {
		snprintf(err, errlen, "a tracking number has 1 to 64 characters");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (alnum_ascii(s[i]) || (s[i] == '-' && i > 0 && i < n - 1))
			continue;
		snprintf(err, errlen, "a tracking number has letters, digits and inner hyphens only "
		                      "(character %zu is not one)", i + 1);
		return -1;
	}
	return 0;
}

/* Sorts three values into descending order. */
static void sort3_desc(const int32_t in[3], int32_t out[3])
{
	int32_t a = in[0], b = in[1], c = in[2], t;
	if (a < b) { t = a; a = b; b = t; }
	if (b < c) { t = b; b = c; c = t; }
	if (a < b) { t = a; a = b; b = t; }
	out[0] = a;
	out[1] = b;
	out[2] = c;
}

int wms_order_parcel(const struct wms_order_units *units, size_t n, int32_t *weight_g,
                     int32_t dims_mm[3])
{
	int64_t weight = 0, stack = 0;
	int32_t longest = 0, widest = 0, d[3];
	if (!units || n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct wms_order_units *u = &units[i];
		if (u->weight_g <= 0 || u->qty <= 0 || u->dims_mm[0] <= 0 || u->dims_mm[1] <= 0 ||
		    u->dims_mm[2] <= 0)
			return -1;
		sort3_desc(u->dims_mm, d);
		weight += (int64_t)u->weight_g * u->qty;
		stack += (int64_t)d[2] * u->qty;
		if (weight > INT32_MAX || stack > INT32_MAX)
			return -1;
		longest = d[0] > longest ? d[0] : longest;
		widest = d[1] > widest ? d[1] : widest;
	}
	int32_t box[3] = {longest, widest, (int32_t)stack};
	sort3_desc(box, dims_mm);
	*weight_g = (int32_t)weight;
	return 0;
}
