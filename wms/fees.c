/* fees.c — the fee engine: schedule/policy versions, fee lines for warehouse events,
 * sale settlement with advance recovery. See fees.h for the rules. */
#include "wms/fees.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MM3_PER_M3 INT64_C(1000000000)

static const char *const mode_names[FEE_MODE_COUNT] = {
	[FEE_MODE_POP] = "pop",
	[FEE_MODE_SEMI_JIT] = "semi_jit",
	[FEE_MODE_SEMI_WAREHOUSE] = "semi_warehouse",
	[FEE_MODE_FULL] = "full",
};

/* How a policy is named in reasons: "semi-managed warehouse policy v3". */
static const char *const mode_labels[FEE_MODE_COUNT] = {
	[FEE_MODE_POP] = "self-operated (POP)",
	[FEE_MODE_SEMI_JIT] = "semi-managed JIT",
	[FEE_MODE_SEMI_WAREHOUSE] = "semi-managed warehouse",
	[FEE_MODE_FULL] = "fully managed",
};

static const char *const type_names[FEE_TYPE_COUNT] = {
	[FEE_COMMISSION] = "commission",
	[FEE_PAYMENT] = "payment_fee",
	[FEE_PICKUP] = "pickup_fee",
	[FEE_INBOUND_OPERATION] = "inbound_operation",
	[FEE_OUTBOUND_OPERATION] = "outbound_operation",
	[FEE_STORAGE_RENT] = "storage_rent",
	[FEE_RETURN_HANDLING] = "return_handling",
	[FEE_ADVANCE] = "advance",
	[FEE_ADVANCE_RECOVERY] = "advance_recovery",
	[FEE_SALE_PROCEEDS] = "sale_proceeds",
	[FEE_SUPPLY_PAYMENT] = "supply_payment",
};

/* How a fee type starts its reason: "inbound operation fee 120 units × …". */
static const char *const type_labels[FEE_TYPE_COUNT] = {
	[FEE_COMMISSION] = "commission",
	[FEE_PAYMENT] = "payment fee",
	[FEE_PICKUP] = "pickup fee",
	[FEE_INBOUND_OPERATION] = "inbound operation fee",
	[FEE_OUTBOUND_OPERATION] = "outbound operation fee",
	[FEE_STORAGE_RENT] = "storage rent",
	[FEE_RETURN_HANDLING] = "return handling fee",
	[FEE_ADVANCE] = "advance",
	[FEE_ADVANCE_RECOVERY] = "advance recovery",
	[FEE_SALE_PROCEEDS] = "sale proceeds",
	[FEE_SUPPLY_PAYMENT] = "supply payment",
};

/*
 * Which fee types can arise at all in a mode — structure, not policy. pop holds no
 * platform stock; semi_jit stock passes through the hub without storage; in full the
 * platform is the retailer, so the seller pays no commission or payment fee and owns
 * no advance-eligible stock. (Waivers are policy data, not here.)
 */
static bool mode_has(enum fee_mode mode, enum fee_type t)
{
	switch (mode) {
	case FEE_MODE_POP:
		return t != FEE_INBOUND_OPERATION && t != FEE_OUTBOUND_OPERATION &&
		       t != FEE_STORAGE_RENT && t != FEE_ADVANCE && t != FEE_SUPPLY_PAYMENT;
	case FEE_MODE_SEMI_JIT:
		return t != FEE_STORAGE_RENT && t != FEE_SUPPLY_PAYMENT;
	case FEE_MODE_SEMI_WAREHOUSE:
		return t != FEE_SUPPLY_PAYMENT;
	case FEE_MODE_FULL:
		return t != FEE_COMMISSION && t != FEE_PAYMENT && t != FEE_ADVANCE &&
		       t != FEE_SALE_PROCEEDS;
	case FEE_MODE_COUNT:
		break;
	}
	return false;
}

const char *fee_mode_name(enum fee_mode mode)
{
	return (unsigned)mode < FEE_MODE_COUNT ? mode_names[mode] : "?";
}

const char *fee_type_name(enum fee_type type)
{
	return (unsigned)type < FEE_TYPE_COUNT ? type_names[type] : "?";
}

const char *fee_direction_name(enum fee_direction dir)
{
	switch (dir) {
	case FEE_DEBIT: return "debit";
	case FEE_CREDIT: return "credit";
	}
	return "?";
}

const char *fee_treatment_name(enum fee_treatment tr)
{
	switch (tr) {
	case FEE_CHARGED: return "charged";
	case FEE_WAIVED: return "waived";
	case FEE_REDUCED: return "reduced";
	case FEE_PLATFORM_BORNE: return "platform_borne";
	case FEE_FREE_PERIOD: return "free_period";
	}
	return "?";
}

int fee_mode_parse(const char *s, enum fee_mode *out)
{
	for (int i = 0; s != NULL && i < FEE_MODE_COUNT; i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*out = (enum fee_mode)i;
			return 0;
		}
	return -1;
}

int fee_type_parse(const char *s, enum fee_type *out)
{
	for (int i = 0; s != NULL && i < FEE_TYPE_COUNT; i++)
		if (strcmp(s, type_names[i]) == 0) {
			*out = (enum fee_type)i;
			return 0;
		}
	return -1;
}

int64_t fee_line_seller_delta(const struct fee_line *line)
{
	return line->direction == FEE_CREDIT ? line->net : -line->net;
}

/* snprintf that may truncate: reasons and labels are bounded by their buffers and a
 * cut-off reason is preferable to a failed charge. */
__attribute__((format(printf, 3, 4)))
static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

int fee_fail(struct fee_error *err, enum fee_status code, const char *fmt, ...)
{
	if (err != NULL) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * The default policy of each mode, as in the rules table of issue 4:
 *  pop             commission 100%, pickup charged, no stock fees, no advance
 *  semi_jit        commission 50%, pickup and hub operation fees charged
 *  semi_warehouse  commission exempt; pickup, operation fees and storage waived
 *                  (storage always free); 60% advance for popular SKUs
 *  full            no commission; pickup, operation, storage and return handling
 *                  borne by the platform
 * Every mode recovers advances from 100% of sale proceeds.
 */
int fee_policy_defaults(enum fee_mode mode, struct fee_policy *out)
{
	if ((unsigned)mode >= FEE_MODE_COUNT)
		return -1;
	memset(out, 0, sizeof *out);
	out->version = 1;
	out->valid_from = 0;
	out->valid_to = FEE_TIME_OPEN;
	out->mode = mode;
	out->recovery_share_bp = MONEY_BP_ONE;
	switch (mode) {
	case FEE_MODE_POP:
		out->commission_multiplier_bp = MONEY_BP_ONE;
		break;
	case FEE_MODE_SEMI_JIT:
		out->commission_multiplier_bp = 5000;
		break;
	case FEE_MODE_SEMI_WAREHOUSE:
		out->commission_multiplier_bp = 0;
		out->waived = FEE_BIT(FEE_PICKUP) | FEE_BIT(FEE_INBOUND_OPERATION) |
		              FEE_BIT(FEE_OUTBOUND_OPERATION) | FEE_BIT(FEE_STORAGE_RENT);
		out->storage_free_days = -1;
		out->advance_rate_bp = 6000;
		out->advance_requires_popular = true;
		break;
	case FEE_MODE_FULL:
		out->commission_multiplier_bp = 0;
		out->platform_borne = FEE_BIT(FEE_PICKUP) | FEE_BIT(FEE_INBOUND_OPERATION) |
		                      FEE_BIT(FEE_OUTBOUND_OPERATION) |
		                      FEE_BIT(FEE_STORAGE_RENT) | FEE_BIT(FEE_RETURN_HANDLING);
		break;
	case FEE_MODE_COUNT:
		return -1;
	}
	return 0;
}

static bool bp_ok(int64_t bp)
{
	return bp >= 0 && bp <= MONEY_BP_ONE;
}

/* Checks the ranges the engine relies on; see fees.h. */
int fee_schedule_validate(const struct fee_schedule *s, struct fee_error *err)
{
	if (!money_code_valid(s->currency))
		return fee_fail(err, FEE_EINVAL, "fee schedule v%d: currency is not an ISO 4217 code",
		            (int)s->version);
	if (s->currency_exponent < 0 || s->currency_exponent > MONEY_MAX_EXPONENT)
		return fee_fail(err, FEE_EINVAL, "fee schedule v%d: currency exponent out of range",
		            (int)s->version);
	if (s->valid_from >= s->valid_to)
		return fee_fail(err, FEE_EINVAL, "fee schedule v%d: valid_from must be before valid_to",
		            (int)s->version);
	if (!bp_ok(s->commission_default_bp) || !bp_ok(s->payment_fee_bp))
		return fee_fail(err, FEE_EINVAL, "fee schedule v%d: rates must be 0..10000 bp",
		            (int)s->version);
	if (s->n_categories > 0 && s->categories == NULL)
		return fee_fail(err, FEE_EINVAL, "fee schedule v%d: category rates missing",
		            (int)s->version);
	for (size_t i = 0; i < s->n_categories; i++)
		if (!bp_ok(s->categories[i].bp))
			return fee_fail(err, FEE_EINVAL,
			            "fee schedule v%d: commission of category %.40s must be 0..10000 bp",
			            (int)s->version, s->categories[i].category);
	if (s->pickup_fixed < 0 || s->pickup_per_kg < 0 || s->inbound_op_per_unit < 0 ||
	    s->outbound_op_per_unit < 0 || s->storage_per_m3_day < 0 ||
	    s->return_handling_per_unit < 0)
		return fee_fail(err, FEE_EINVAL, "fee schedule v%d: prices must not be negative",
		            (int)s->version);
	return 0;
}

int fee_policy_validate(const struct fee_policy *p, struct fee_error *err)
{
	if ((unsigned)p->mode >= FEE_MODE_COUNT)
		return fee_fail(err, FEE_EINVAL, "policy v%d: unknown mode", (int)p->version);
	if (p->valid_from >= p->valid_to)
		return fee_fail(err, FEE_EINVAL, "policy v%d: valid_from must be before valid_to",
		            (int)p->version);
	if (!bp_ok(p->commission_multiplier_bp) || !bp_ok(p->advance_rate_bp) ||
	    !bp_ok(p->recovery_share_bp))
		return fee_fail(err, FEE_EINVAL, "policy v%d: rates must be 0..10000 bp",
		            (int)p->version);
	if (p->storage_free_days < -1)
		return fee_fail(err, FEE_EINVAL, "policy v%d: storage_free_days must be >= -1",
		            (int)p->version);
	if ((p->waived | p->platform_borne) >> FEE_TYPE_COUNT)
		return fee_fail(err, FEE_EINVAL, "policy v%d: unknown fee type in waiver set",
		            (int)p->version);
	return 0;
}

int32_t fee_commission_bp(const struct fee_schedule *s, const char *category)
{
	for (size_t i = 0; category != NULL && i < s->n_categories; i++)
		if (strcmp(s->categories[i].category, category) == 0)
			return s->categories[i].bp;
	return s->commission_default_bp;
}

static bool in_force(int64_t from, int64_t to, int64_t t)
{
	return from <= t && (to == FEE_TIME_OPEN || t < to);
}

int fee_schedule_select(const struct fee_schedule *versions, size_t n, int64_t t,
                        const struct fee_schedule **out, struct fee_error *err)
{
	const struct fee_schedule *found = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!in_force(versions[i].valid_from, versions[i].valid_to, t))
			continue;
		if (found != NULL)
			return fee_fail(err, FEE_EAMBIGUOUS,
			            "fee schedules v%d and v%d are both in force at %lld",
			            (int)found->version, (int)versions[i].version, (long long)t);
		found = &versions[i];
	}
	if (found == NULL)
		return fee_fail(err, FEE_ENOVERSION, "no fee schedule in force at %lld", (long long)t);
	*out = found;
	return 0;
}

int fee_policy_select(const struct fee_policy *versions, size_t n, enum fee_mode mode,
                      int64_t t, const struct fee_policy **out, struct fee_error *err)
{
	const struct fee_policy *found = NULL;
	for (size_t i = 0; i < n; i++) {
		if (versions[i].mode != mode ||
		    !in_force(versions[i].valid_from, versions[i].valid_to, t))
			continue;
		if (found != NULL)
			return fee_fail(err, FEE_EAMBIGUOUS,
			            "%s policies v%d and v%d are both in force at %lld",
			            fee_mode_name(mode), (int)found->version, (int)versions[i].version,
			            (long long)t);
		found = &versions[i];
	}
	if (found == NULL)
		return fee_fail(err, FEE_ENOVERSION, "no %s policy in force at %lld",
		            fee_mode_name(mode), (long long)t);
	*out = found;
	return 0;
}

/* ---- line building -------------------------------------------------------- */

/* What one computation needs: the versions in force and where errors go. */
struct ctx {
	const struct fee_policy *p;
	const struct fee_schedule *s;
	struct fee_error *err;
};

/* An amount in the schedule's currency for a reason ("36.00 USD"). The schedule
 * has been validated, so money_format cannot fail with a MONEY_FMT_MAX buffer. */
static const char *amt(const struct ctx *c, int64_t minor, char buf[MONEY_FMT_MAX])
{
	if (money_format(minor, c->s->currency, c->s->currency_exponent, buf, MONEY_FMT_MAX) != 0)
		say(buf, MONEY_FMT_MAX, "%lld", (long long)minor);
	return buf;
}

/* A rate in bp as a percentage with at least min_decimals ("8.00", "50"). */
static const char *pct(int64_t bp, int min_decimals, char buf[MONEY_FMT_MAX])
{
	if (money_format_fixed(bp, 2, min_decimals, buf, MONEY_FMT_MAX) != 0)
		say(buf, MONEY_FMT_MAX, "%lld bp", (long long)bp);
	return buf;
}

static const char *units_word(int64_t n)
{
	return n == 1 ? "unit" : "units";
}

/* "semi-managed warehouse policy v3" */
static void policy_label(const struct ctx *c, char *buf, size_t len)
{
	say(buf, len, "%s policy v%d", mode_labels[c->p->mode], (int)c->p->version);
}

/* Starts a line of type t with everything but the amounts and reason. */
static struct fee_line *line_new(const struct ctx *c, struct fee_line *l, enum fee_type t,
                                 enum fee_direction dir, const char *sku)
{
	memset(l, 0, sizeof *l);
	l->type = t;
	l->direction = dir;
	l->treatment = FEE_CHARGED;
	memcpy(l->currency, c->s->currency, MONEY_CODE_LEN);
	l->policy_id = c->p->id;
	l->policy_version = c->p->version;
	l->schedule_id = c->s->id;
	l->schedule_version = c->s->version;
	if (sku != NULL)
		say(l->sku, sizeof l->sku, "%s", sku);
	return l;
}

/*
 * Sets the amounts of l from its gross and net, and its reason from base (the
 * computation, e.g. "pickup fee 5.00 USD = 5.00 USD") and suffix (how the policy
 * changed it, or ""). net must lie in 0..gross.
 */
static void line_set(struct fee_line *l, int64_t gross, int64_t net, enum fee_treatment tr,
                     const char *base, const char *suffix)
{
	l->gross = gross;
	l->net = net;
	l->waived = gross - net;
	l->treatment = tr;
	say(l->reason, sizeof l->reason, "%s%s", base, suffix);
}

/*
 * Finishes a debit line whose gross is computed: charged in full, waived, or borne
 * by the platform according to the policy's sets (platform_borne wins over waived).
 */
static void line_apply_policy(const struct ctx *c, struct fee_line *l, int64_t gross,
                              const char *base)
{
	char label[96], suffix[128];
	policy_label(c, label, sizeof label);
	if (c->p->platform_borne & FEE_BIT(l->type)) {
		say(suffix, sizeof suffix, ", borne by the platform: %s", label);
		line_set(l, gross, 0, FEE_PLATFORM_BORNE, base, suffix);
	} else if (c->p->waived & FEE_BIT(l->type)) {
		say(suffix, sizeof suffix, ", waived: %s", label);
		line_set(l, gross, 0, FEE_WAIVED, base, suffix);
	} else {
		line_set(l, gross, gross, FEE_CHARGED, base, "");
	}
}

/*
 * A per-unit fee line: units × price, e.g. "inbound operation fee 120 units ×
 * 0.30 USD = 36.00 USD", then the policy. Returns -1 on overflow.
 */
static int per_unit_line(const struct ctx *c, struct fee_line *l, enum fee_type t,
                         int64_t units, int64_t price)
{
	int64_t gross;
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], base[FEE_REASON_MAX];
	if (money_mul(units, price, &gross) != 0)
		return fee_fail(c->err, FEE_EOVERFLOW, "%s: %lld units × %lld overflows",
		            type_labels[t], (long long)units, (long long)price);
	line_new(c, l, t, FEE_DEBIT, NULL);
	say(base, sizeof base, "%s %lld %s × %s = %s", type_labels[t], (long long)units,
	         units_word(units), amt(c, price, a), amt(c, gross, b));
	line_apply_policy(c, l, gross, base);
	return 0;
}

/* Checks that the versions fit together and are in force at t. */
static int check_versions(const struct ctx *c, int64_t t)
{
	if (fee_policy_validate(c->p, c->err) != 0 || fee_schedule_validate(c->s, c->err) != 0)
		return -1;
	if (!in_force(c->p->valid_from, c->p->valid_to, t))
		return fee_fail(c->err, FEE_EINVAL, "%s policy v%d is not in force at %lld",
		            fee_mode_name(c->p->mode), (int)c->p->version, (long long)t);
	if (!in_force(c->s->valid_from, c->s->valid_to, t))
		return fee_fail(c->err, FEE_EINVAL, "fee schedule v%d is not in force at %lld",
		            (int)c->s->version, (long long)t);
	return 0;
}

/* ---- events --------------------------------------------------------------- */

size_t fee_event_max_lines(const struct fee_event *ev)
{
	if (ev->kind == FEE_EVENT_INBOUND_CLOSE)
		return 1 + ev->inbound.n_items;
	return 1;
}

/*
 * Inbound close: one operation line for all units handled (good and damaged), then
 * the advance credits per SKU. The advance of a SKU is
 * round(declared_value × good_units × advance_rate_bp / 10000), half to even.
 */
static int inbound_close(const struct ctx *c, const struct fee_event *ev,
                         struct fee_line *out, size_t cap, size_t *n)
{
	const struct fee_policy *p = c->p;
	int64_t units = 0;

	if (strcmp(ev->inbound.currency, c->s->currency) != 0)
		return fee_fail(c->err, FEE_ECURRENCY, "declared values are in %.3s, schedule in %s",
		            ev->inbound.currency, c->s->currency);
	if (ev->inbound.n_items > 0 && ev->inbound.items == NULL)
		return fee_fail(c->err, FEE_EINVAL, "inbound close: items missing");
	for (size_t i = 0; i < ev->inbound.n_items; i++) {
		const struct fee_inbound_item *it = &ev->inbound.items[i];
		if (it->good_units < 0 || it->damaged_units < 0 || it->declared_value < 0)
			return fee_fail(c->err, FEE_EINVAL,
			            "inbound close: negative units or declared value for SKU %.64s",
			            it->sku != NULL ? it->sku : "");
		if (money_add(units, it->good_units, &units) != 0 ||
		    money_add(units, it->damaged_units, &units) != 0)
			return fee_fail(c->err, FEE_EOVERFLOW, "inbound close: unit count overflows");
	}

	if (mode_has(p->mode, FEE_INBOUND_OPERATION) && units > 0) {
		if (*n >= cap)
			return fee_fail(c->err, FEE_ENOSPACE, "inbound close: output array too small");
		if (per_unit_line(c, &out[*n], FEE_INBOUND_OPERATION, units,
		                  c->s->inbound_op_per_unit) != 0)
			return -1;
		(*n)++;
	}

	if (!mode_has(p->mode, FEE_ADVANCE) || p->advance_rate_bp == 0)
		return 0;
	for (size_t i = 0; i < ev->inbound.n_items; i++) {
		const struct fee_inbound_item *it = &ev->inbound.items[i];
		int64_t value, adv;
		char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], r[MONEY_FMT_MAX];
		char label[96], base[FEE_REASON_MAX];

		if ((p->advance_requires_popular && !it->popular) || it->good_units == 0)
			continue;
		if (money_mul(it->declared_value, it->good_units, &value) != 0 ||
		    money_mul_bp(value, p->advance_rate_bp, &adv) != 0)
			return fee_fail(c->err, FEE_EOVERFLOW, "advance for SKU %.64s overflows",
			            it->sku != NULL ? it->sku : "");
		if (*n >= cap)
			return fee_fail(c->err, FEE_ENOSPACE, "inbound close: output array too small");
		struct fee_line *l = line_new(c, &out[*n], FEE_ADVANCE, FEE_CREDIT, it->sku);
		policy_label(c, label, sizeof label);
		say(base, sizeof base,
		         "advance %s%% of %lld good %s × %s declared value = %s, %s%s",
		         pct(p->advance_rate_bp, 0, r), (long long)it->good_units,
		         units_word(it->good_units), amt(c, it->declared_value, a), amt(c, adv, b),
		         p->advance_requires_popular ? "popular SKU: " : "", label);
		line_set(l, adv, adv, FEE_CHARGED, base, "");
		(*n)++;
	}
	return 0;
}

/*
 * Pickup: pickup_fixed + pickup_per_kg × grams / 1000 (half to even), with the
 * weight rounded up to the next 100 g, e.g. "pickup fee 5.00 USD + 2.4 kg × 1.20
 * USD/kg = 7.88 USD (2340 g rounded up to 100 g)".
 */
static int pickup(const struct ctx *c, const struct fee_event *ev, struct fee_line *out)
{
	int64_t w = ev->pickup.weight_g, g, by_weight, gross;
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], d[MONEY_FMT_MAX], kg[MONEY_FMT_MAX];
	char note[64] = "", base[FEE_REASON_MAX];

	if (w < 0)
		return fee_fail(c->err, FEE_EINVAL, "pickup: negative weight");
	if (money_mul(w / 100 + (w % 100 != 0), 100, &g) != 0 ||
	    money_muldiv(c->s->pickup_per_kg, g, 1000, &by_weight) != 0 ||
	    money_add(c->s->pickup_fixed, by_weight, &gross) != 0)
		return fee_fail(c->err, FEE_EOVERFLOW, "pickup fee for %lld g overflows", (long long)w);
	if (g != w)
		say(note, sizeof note, " (%lld g rounded up to 100 g)", (long long)w);
	if (money_format_fixed(g, 3, 1, kg, sizeof kg) != 0)
		say(kg, sizeof kg, "%lld g", (long long)g);
	line_new(c, out, FEE_PICKUP, FEE_DEBIT, NULL);
	say(base, sizeof base, "pickup fee %s + %s kg × %s/kg = %s%s",
	         amt(c, c->s->pickup_fixed, a), kg, amt(c, c->s->pickup_per_kg, b),
	         amt(c, gross, d), note);
	line_apply_policy(c, out, gross, base);
	return 0;
}

/*
 * Storage day: one line for the seller's whole stock of the day. V = Σ units ×
 * unit volume (mm³); gross = round(rate × V / 1e9). Items with days_in_stock below
 * storage_free_days (F of V) are free: net = round(rate × (V − F) / 1e9). A policy
 * with storage_free_days = -1 makes every day free. Volumes are shown in m³.
 */
static int storage_day(const struct ctx *c, const struct fee_event *ev, struct fee_line *out,
                       size_t *n)
{
	const struct fee_policy *p = c->p;
	int64_t vol = 0, free_vol = 0, gross, net;
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], d[MONEY_FMT_MAX];
	char v[MONEY_FMT_MAX], fv[MONEY_FMT_MAX];
	char label[96], base[FEE_REASON_MAX], suffix[192];

	if (ev->storage.n_items > 0 && ev->storage.items == NULL)
		return fee_fail(c->err, FEE_EINVAL, "storage day: items missing");
	for (size_t i = 0; i < ev->storage.n_items; i++) {
		const struct fee_storage_item *it = &ev->storage.items[i];
		int64_t iv;
		if (it->units < 0 || it->unit_volume_mm3 < 0 || it->days_in_stock < 0)
			return fee_fail(c->err, FEE_EINVAL, "storage day: negative quantity for SKU %.64s",
			            it->sku != NULL ? it->sku : "");
		if (money_mul(it->units, it->unit_volume_mm3, &iv) != 0 ||
		    money_add(vol, iv, &vol) != 0)
			return fee_fail(c->err, FEE_EOVERFLOW, "storage day: volume overflows");
		if (p->storage_free_days > 0 && it->days_in_stock < p->storage_free_days)
			free_vol += iv;  /* free_vol <= vol, which did not overflow */
	}
	if (vol == 0)
		return 0;
	if (money_muldiv(c->s->storage_per_m3_day, vol, MM3_PER_M3, &gross) != 0 ||
	    money_muldiv(c->s->storage_per_m3_day, vol - free_vol, MM3_PER_M3, &net) != 0)
		return fee_fail(c->err, FEE_EOVERFLOW, "storage rent overflows");

	if (money_format_fixed(vol, 9, 0, v, sizeof v) != 0)
		say(v, sizeof v, "?");
	struct fee_line *l = line_new(c, out, FEE_STORAGE_RENT, FEE_DEBIT, NULL);
	say(base, sizeof base, "storage rent %s m³ × %s/m³·day = %s", v,
	         amt(c, c->s->storage_per_m3_day, a), amt(c, gross, b));
	policy_label(c, label, sizeof label);
	if ((p->platform_borne | p->waived) & FEE_BIT(FEE_STORAGE_RENT)) {
		line_apply_policy(c, l, gross, base);
	} else if (p->storage_free_days == -1) {
		say(suffix, sizeof suffix, ", storage free: %s", label);
		line_set(l, gross, 0, FEE_WAIVED, base, suffix);
	} else if (free_vol > 0) {
		if (money_format_fixed(free_vol, 9, 0, fv, sizeof fv) != 0)
			say(fv, sizeof fv, "?");
		say(suffix, sizeof suffix, ", %s m³ within %d free days: %s → %s", fv,
		         (int)p->storage_free_days, label, amt(c, net, d));
		line_set(l, gross, net, FEE_FREE_PERIOD, base, suffix);
	} else {
		line_set(l, gross, gross, FEE_CHARGED, base, "");
	}
	(*n)++;
	return 0;
}

int fee_compute(const struct fee_policy *policy, const struct fee_schedule *schedule,
                const struct fee_event *ev, struct fee_line *out, size_t cap, size_t *n_out,
                struct fee_error *err)
{
	struct ctx c = { policy, schedule, err };
	size_t n = 0;
	int rc = 0;

	*n_out = 0;
	if (err != NULL) {
		err->code = FEE_OK;
		err->msg[0] = '\0';
	}
	if (check_versions(&c, ev->at) != 0)
		return -1;
	if (cap > 0 && out == NULL)
		return fee_fail(err, FEE_EINVAL, "output array missing");

	switch (ev->kind) {
	case FEE_EVENT_INBOUND_CLOSE:
		rc = inbound_close(&c, ev, out, cap, &n);
		break;
	case FEE_EVENT_PICKUP:
		if (!mode_has(policy->mode, FEE_PICKUP))
			break;
		if (cap < 1)
			return fee_fail(err, FEE_ENOSPACE, "pickup: output array too small");
		rc = pickup(&c, ev, out);
		n = rc == 0;
		break;
	case FEE_EVENT_STORAGE_DAY:
		if (!mode_has(policy->mode, FEE_STORAGE_RENT))
			break;
		if (cap < 1)
			return fee_fail(err, FEE_ENOSPACE, "storage day: output array too small");
		rc = storage_day(&c, ev, out, &n);
		break;
	case FEE_EVENT_OUTBOUND:
	case FEE_EVENT_RETURN: {
		enum fee_type t = ev->kind == FEE_EVENT_OUTBOUND ? FEE_OUTBOUND_OPERATION
		                                                 : FEE_RETURN_HANDLING;
		int64_t price = t == FEE_OUTBOUND_OPERATION ? schedule->outbound_op_per_unit
		                                            : schedule->return_handling_per_unit;
		if (ev->units.units < 0)
			return fee_fail(err, FEE_EINVAL, "%s: negative units", type_labels[t]);
		if (!mode_has(policy->mode, t) || ev->units.units == 0)
			break;
		if (cap < 1)
			return fee_fail(err, FEE_ENOSPACE, "%s: output array too small", type_labels[t]);
		rc = per_unit_line(&c, out, t, ev->units.units, price);
		n = rc == 0;
		break;
	}
	default:
		return fee_fail(err, FEE_EINVAL, "unknown event kind %d", (int)ev->kind);
	}
	if (rc != 0)
		return -1;
	*n_out = n;
	return 0;
}

/* ---- sale settlement ------------------------------------------------------ */

/*
 * The commission line: gross = round(amount × category bp); then waived (policy
 * set), exempt (multiplier 0), charged (multiplier 100%) or reduced: net =
 * round(gross × multiplier), e.g. "commission 8.00% of 25.00 USD = 2.00 USD,
 * reduced 50%: semi-managed JIT policy v2 → 1.00 USD".
 */
static int commission_line(const struct ctx *c, const struct fee_sale *sale, int64_t amount,
                           struct fee_line *l)
{
	int32_t bp = fee_commission_bp(c->s, sale->category);
	int32_t mult = c->p->commission_multiplier_bp;
	int64_t gross, net;
	char r[MONEY_FMT_MAX], a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], d[MONEY_FMT_MAX];
	char label[96], base[FEE_REASON_MAX], suffix[192];

	if (money_mul_bp(amount, bp, &gross) != 0 || money_mul_bp(gross, mult, &net) != 0)
		return fee_fail(c->err, FEE_EOVERFLOW, "commission overflows");
	line_new(c, l, FEE_COMMISSION, FEE_DEBIT, NULL);
	say(base, sizeof base, "commission %s%% of %s = %s", pct(bp, 2, r), amt(c, amount, a),
	         amt(c, gross, b));
	policy_label(c, label, sizeof label);
	if ((c->p->waived | c->p->platform_borne) & FEE_BIT(FEE_COMMISSION)) {
		line_apply_policy(c, l, gross, base);
	} else if (mult == 0) {
		say(suffix, sizeof suffix, ", exempt: %s", label);
		line_set(l, gross, 0, FEE_WAIVED, base, suffix);
	} else if (mult == MONEY_BP_ONE) {
		line_set(l, gross, gross, FEE_CHARGED, base, "");
	} else {
		say(suffix, sizeof suffix, ", reduced %s%%: %s → %s",
		         pct(MONEY_BP_ONE - mult, 0, r), label, amt(c, net, d));
		line_set(l, gross, net, FEE_REDUCED, base, suffix);
	}
	return 0;
}

int fee_settle_sale(const struct fee_policy *policy, const struct fee_schedule *schedule,
                    const struct fee_sale *sale, struct fee_line *lines, size_t cap,
                    size_t *n_lines, struct fee_settlement *out, struct fee_error *err)
{
	struct ctx c = { policy, schedule, err };
	struct fee_line tmp[FEE_SALE_MAX_LINES];
	struct fee_settlement st = { 0 };
	size_t n = 0;
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], d[MONEY_FMT_MAX], r[MONEY_FMT_MAX];
	char label[96], base[FEE_REASON_MAX];
	bool full = policy->mode == FEE_MODE_FULL;

	*n_lines = 0;
	if (err != NULL) {
		err->code = FEE_OK;
		err->msg[0] = '\0';
	}
	if (check_versions(&c, sale->at) != 0)
		return -1;
	if (strcmp(sale->currency, schedule->currency) != 0)
		return fee_fail(err, FEE_ECURRENCY, "sale is in %.3s, schedule in %s", sale->currency,
		            schedule->currency);
	if (sale->quantity < 0 || sale->unit_price < 0 || sale->supply_price < 0 ||
	    sale->advance_outstanding < 0)
		return fee_fail(err, FEE_EINVAL, "sale: negative quantity, price or advance balance");
	policy_label(&c, label, sizeof label);

	/* what the seller is credited for the units */
	int64_t price = full ? sale->supply_price : sale->unit_price;
	if (money_mul(price, sale->quantity, &st.sale_amount) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "sale: %lld × %lld overflows",
		            (long long)sale->quantity, (long long)price);
	struct fee_line *l = line_new(&c, &tmp[n++], full ? FEE_SUPPLY_PAYMENT : FEE_SALE_PROCEEDS,
	                              FEE_CREDIT, NULL);
	if (full)
		say(base, sizeof base, "supply payment %lld %s × %s supply price = %s: %s",
		         (long long)sale->quantity, units_word(sale->quantity), amt(&c, price, a),
		         amt(&c, st.sale_amount, b), label);
	else
		say(base, sizeof base, "sale proceeds %lld %s × %s = %s",
		         (long long)sale->quantity, units_word(sale->quantity), amt(&c, price, a),
		         amt(&c, st.sale_amount, b));
	line_set(l, st.sale_amount, st.sale_amount, FEE_CHARGED, base, "");

	if (!full) {
		int64_t pay;
		if (commission_line(&c, sale, st.sale_amount, &tmp[n]) != 0)
			return -1;
		st.fees = tmp[n++].net;
		if (money_mul_bp(st.sale_amount, schedule->payment_fee_bp, &pay) != 0)
			return fee_fail(err, FEE_EOVERFLOW, "payment fee overflows");
		l = line_new(&c, &tmp[n], FEE_PAYMENT, FEE_DEBIT, NULL);
		say(base, sizeof base, "payment fee %s%% of %s = %s",
		         pct(schedule->payment_fee_bp, 2, r), amt(&c, st.sale_amount, a),
		         amt(&c, pay, b));
		line_apply_policy(&c, l, pay, base);
		if (money_add(st.fees, tmp[n++].net, &st.fees) != 0)
			return fee_fail(err, FEE_EOVERFLOW, "sale fees overflow");
	}

	/* recovery from what is left after fees */
	int64_t proceeds;
	bool limited = false;
	if (money_sub(st.sale_amount, st.fees, &proceeds) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "sale proceeds overflow");
	if (sale->advance_outstanding > 0 && proceeds > 0 && policy->recovery_share_bp > 0) {
		int64_t share;
		if (money_mul_bp(proceeds, policy->recovery_share_bp, &share) != 0)
			return fee_fail(err, FEE_EOVERFLOW, "advance recovery overflows");
		limited = share > sale->advance_outstanding;
		st.recovered = limited ? sale->advance_outstanding : share;
	}
	st.advance_outstanding_after = sale->advance_outstanding - st.recovered;
	st.net_payable = proceeds - st.recovered;
	if (st.recovered > 0) {
		l = line_new(&c, &tmp[n++], FEE_ADVANCE_RECOVERY, FEE_DEBIT, NULL);
		if (limited)
			say(base, sizeof base,
			         "advance recovery %s%% of net proceeds %s, limited to the outstanding "
			         "advance = %s; advance repaid",
			         pct(policy->recovery_share_bp, 0, r), amt(&c, proceeds, a),
			         amt(&c, st.recovered, b));
		else
			say(base, sizeof base,
			         "advance recovery %s%% of net proceeds %s = %s; outstanding after: %s",
			         pct(policy->recovery_share_bp, 0, r), amt(&c, proceeds, a),
			         amt(&c, st.recovered, b), amt(&c, st.advance_outstanding_after, d));
		line_set(l, st.recovered, st.recovered, FEE_CHARGED, base, "");
	}

	if (cap < n)
		return fee_fail(err, FEE_ENOSPACE, "sale: output array too small (%zu lines)", n);
	memcpy(lines, tmp, n * sizeof tmp[0]);
	*n_lines = n;
	*out = st;
	return 0;
}
