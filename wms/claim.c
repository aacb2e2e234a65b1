/* claim.c — buyer-protection claims: kinds, states, when one may open, the decision. */
#include "wms/claim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wms/money.h"
#include "wms/state_list.h"

#define BIT(st) (1u << (st))

static const char *const kind_names[WMS_CLAIM_KIND_COUNT] = {
	[WMS_CLAIM_NOT_RECEIVED] = "not_received",
	[WMS_CLAIM_DAMAGED] = "damaged",
	[WMS_CLAIM_NOT_AS_DESCRIBED] = "not_as_described",
};

static const char *const state_names[WMS_CLAIM_STATE_COUNT] = {
	[WMS_CLAIM_AWAITING_RETURN] = "awaiting_return",
	[WMS_CLAIM_INSPECTING] = "inspecting",
	[WMS_CLAIM_CLOSED] = "closed",
};

static const char *const liability_names[WMS_LIABILITY_COUNT] = {
	[WMS_LIABLE_BUYER] = "buyer",
	[WMS_LIABLE_CARRIER] = "carrier",
	[WMS_LIABLE_WAREHOUSE] = "warehouse",
	[WMS_LIABLE_SELLER] = "seller",
};

/* The state machine: one row per action. */
static const struct {
	unsigned from;
	enum wms_claim_state to;
} transitions[WMS_CLAIM_ACTION_COUNT] = {
	[WMS_CLAIM_DO_RECEIVE] = {BIT(WMS_CLAIM_AWAITING_RETURN), WMS_CLAIM_INSPECTING},
	[WMS_CLAIM_DO_CLOSE] = {BIT(WMS_CLAIM_INSPECTING), WMS_CLAIM_CLOSED},
};

const char *wms_claim_kind_name(enum wms_claim_kind k)
{
	if ((unsigned)k >= WMS_CLAIM_KIND_COUNT)
		abort();
	return kind_names[k];
}

const char *wms_claim_state_name(enum wms_claim_state st)
{
	if ((unsigned)st >= WMS_CLAIM_STATE_COUNT)
		abort();
	return state_names[st];
}

const char *wms_liability_name(enum wms_liability l)
{
	if ((unsigned)l >= WMS_LIABILITY_COUNT)
		abort();
	return liability_names[l];
}

static int parse(const char *s, const char *const *names, int n, int *out)
{
	for (int i = 0; s && i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

int wms_claim_kind_parse(const char *s, enum wms_claim_kind *out)
{
	int i;
	if (parse(s, kind_names, WMS_CLAIM_KIND_COUNT, &i) != 0)
		return -1;
	*out = (enum wms_claim_kind)i;
	return 0;
}

int wms_liability_parse(const char *s, enum wms_liability *out)
{
	int i;
	if (parse(s, liability_names, WMS_LIABILITY_COUNT, &i) != 0)
		return -1;
	*out = (enum wms_liability)i;
	return 0;
}

bool wms_claim_freezes(enum wms_claim_state st)
{
	return st == WMS_CLAIM_AWAITING_RETURN || st == WMS_CLAIM_INSPECTING;
}

enum wms_claim_state wms_claim_target(enum wms_claim_action act)
{
	if ((unsigned)act >= WMS_CLAIM_ACTION_COUNT)
		abort();
	return transitions[act].to;
}

int wms_claim_allowed_pg_array(enum wms_claim_action act, char *buf, size_t len)
{
	if ((unsigned)act >= WMS_CLAIM_ACTION_COUNT)
		abort();
	return wms_state_list(state_names, WMS_CLAIM_STATE_COUNT, transitions[act].from, "{", ",",
	                      "}", buf, len);
}

static bool in_list(const char *state, const char *const *list)
{
	for (; *list; list++)
		if (state && strcmp(state, *list) == 0)
			return true;
	return false;
}

int64_t wms_claim_not_received_from(const struct wms_claim_order *o)
{
	int64_t base = o->deadline > 0 ? o->deadline : o->placed_at + WMS_CLAIM_POP_PROMISE_S;
	return base + WMS_CLAIM_NOT_RECEIVED_GRACE_S;
}

/* The order states a kind may be claimed in: not_received while the parcel is on its way or
 * never left; the others once it left (shipped, or delivered: with the escrow released, the
 * refund is clawed back from the seller). */
enum wms_claim_refusal wms_claim_check(enum wms_claim_kind kind, const struct wms_claim_order *o,
                                       int64_t units, char *why, size_t whylen)
{
	static const char *const on_the_way[] = {"picking", "packed", "shipped", NULL};
	static const char *const left[] = {"shipped", "delivered", NULL};
	if (kind == WMS_CLAIM_NOT_RECEIVED) {
		if (o->carrier_delivered) {
			snprintf(why, whylen, "the carrier delivered the parcel (tracking); a not_received "
			         "claim is refused with that evidence");
			return WMS_CLAIM_WRONG_STATE;
		}
		if (o->returned_to_sender && o->state && strcmp(o->state, "shipped") == 0)
			goto units; /* it is not coming: no need to wait for the deadline */
		if (o->state && strcmp(o->state, "delivered") == 0) {
			snprintf(why, whylen, "the order is delivered: the buyer confirmed receipt; a "
			         "not_received claim is refused");
			return WMS_CLAIM_WRONG_STATE;
		}
		if (!in_list(o->state, on_the_way)) {
			snprintf(why, whylen, "the order is %s; not_received is claimed while it is "
			         "picking, packed or shipped (before that, cancel it)",
			         o->state ? o->state : "unknown");
			return WMS_CLAIM_WRONG_STATE;
		}
		int64_t from = wms_claim_not_received_from(o);
		if (o->now < from) {
			snprintf(why, whylen, "a not_received claim opens at the promise deadline%s plus "
			         "%d hours of grace, %lld seconds from now",
			         o->deadline > 0 ? "" : " (placed_at + 10 days: no promise was recorded)",
			         WMS_CLAIM_NOT_RECEIVED_GRACE_S / 3600, (long long)(from - o->now));
			return WMS_CLAIM_TOO_EARLY;
		}
	} else if (!in_list(o->state, left)) {
		snprintf(why, whylen, "the order is %s; %s is claimed once it is shipped or delivered",
		         o->state ? o->state : "unknown", wms_claim_kind_name(kind));
		return WMS_CLAIM_WRONG_STATE;
	}
units:;
	int64_t open = o->qty - o->short_qty - o->claimed;
	if (units < 1 || units > open) {
		snprintf(why, whylen, "%lld units claimed; the line has %lld left to claim (%lld "
		         "ordered, %lld short, %lld on earlier claims)", (long long)units,
		         (long long)(open > 0 ? open : 0), (long long)o->qty, (long long)o->short_qty,
		         (long long)o->claimed);
		return WMS_CLAIM_OVER;
	}
	if (whylen)
		why[0] = '\0';
	return WMS_CLAIM_OK;
}

const char *wms_claim_decision_name(enum wms_claim_decision_kind k)
{
	switch (k) {
	case WMS_CLAIM_REFUND_WITHOUT_RETURN:
		return "refund_without_return";
	case WMS_CLAIM_RETURN:
		return "return";
	}
	abort();
}

static void fmt(int64_t v, const struct wms_claim_costs *c, char out[MONEY_FMT_MAX])
{
	if (money_format(v, c->currency, c->currency_exponent, out, MONEY_FMT_MAX) != 0)
		snprintf(out, MONEY_FMT_MAX, "%lld", (long long)v);
}

int wms_claim_decide(enum wms_claim_kind kind, const struct wms_claim_costs *c, bool shipped,
                     struct wms_claim_decision *out)
{
	char v[MONEY_FMT_MAX], r[MONEY_FMT_MAX], k[MONEY_FMT_MAX], rc[MONEY_FMT_MAX],
		h[MONEY_FMT_MAX];
	int64_t handling;
	memset(out, 0, sizeof *out);
	if (c->unit_price < 0 || c->units < 1 || c->recovery_bp < 0 || c->recovery_bp > 10000 ||
	    (c->has_route && c->route_cost < 0) || c->handling_per_unit < 0 ||
	    money_mul(c->unit_price, c->units, &out->value) != 0 ||
	    money_mul_bp(out->value, c->recovery_bp, &out->recovery) != 0 ||
	    money_mul(c->handling_per_unit, c->units, &handling) != 0 ||
	    money_add(c->has_route ? c->route_cost : 0, handling, &out->cost) != 0) {
		snprintf(out->why, sizeof out->why, "the claim's figures are negative or overflow");
		return -1;
	}
	fmt(out->value, c, v);
	fmt(out->recovery, c, r);
	fmt(out->cost, c, k);
	fmt(c->has_route ? c->route_cost : 0, c, rc);
	fmt(handling, c, h);
	out->kind = WMS_CLAIM_REFUND_WITHOUT_RETURN;
	switch (kind) {
	case WMS_CLAIM_NOT_RECEIVED:
		out->liability = shipped ? WMS_LIABLE_CARRIER : WMS_LIABLE_WAREHOUSE;
		snprintf(out->why, sizeof out->why, "not received: nothing to bring back; %s refunded "
		         "without return, borne by the %s", v, shipped ? "carrier (the parcel "
		         "left and did not arrive)" : "warehouse (the parcel never left)");
		return 0;
	case WMS_CLAIM_DAMAGED:
		out->liability = WMS_LIABLE_CARRIER;
		break;
	case WMS_CLAIM_NOT_AS_DESCRIBED:
		out->liability = WMS_LIABLE_SELLER;
		break;
	}
	if (!c->has_route) {
		snprintf(out->why, sizeof out->why, "no way back (%s): refunded without return, %s",
		         c->no_route_why ? c->no_route_why : "no returns centre or reverse route", v);
		return 0;
	}
	if (out->recovery > out->cost) {
		out->kind = WMS_CLAIM_RETURN;
		out->liability = WMS_LIABLE_SELLER;
		snprintf(out->why, sizeof out->why, "return: recovering %s (%s × %d.%02d%%) is worth "
		         "more than bringing it back for %s (reverse route %s + handling %s)", r, v,
		         c->recovery_bp / 100, c->recovery_bp % 100, k, rc, h);
	} else {
		snprintf(out->why, sizeof out->why, "refund without return: bringing it back costs %s "
		         "(reverse route %s + handling %s), at least the %s it would recover (%s × "
		         "%d.%02d%%)", k, rc, h, r, v, c->recovery_bp / 100, c->recovery_bp % 100);
	}
	return 0;
}
