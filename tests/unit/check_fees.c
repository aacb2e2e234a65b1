/* check_fees.c — unit tests for wms/fees: every mode × fee type of issue 4, rounding,
 * overflow, version boundaries, advances and their recovery, exact reasons. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "wms/fees.h"

#define T0 INT64_C(1700000000)

static const struct fee_category_rate cats[] = {
	{ "electronics", 800 },
	{ "apparel", 1200 },
};

/* Example schedule v4 in USD: commission 8% electronics, 12% apparel, 10% default;
 * payment 2%; pickup 5.00 + 1.20/kg; inbound 0.30, outbound 0.25 per unit; storage
 * 2.00 per m³·day; return handling 1.50 per unit. */
static struct fee_schedule schedule(void)
{
	struct fee_schedule s = {
		.id = 11, .version = 4, .valid_from = T0, .valid_to = FEE_TIME_OPEN,
		.currency = "USD", .currency_exponent = 2,
		.categories = cats, .n_categories = 2, .commission_default_bp = 1000,
		.payment_fee_bp = 200, .pickup_fixed = 500, .pickup_per_kg = 120,
		.inbound_op_per_unit = 30, .outbound_op_per_unit = 25,
		.storage_per_m3_day = 200, .return_handling_per_unit = 150,
	};
	return s;
}

/* The default policy of mode, with ids 21..24 and versions pop 1, semi_jit 2,
 * semi_warehouse 3, full 1. */
static struct fee_policy policy(enum fee_mode mode)
{
	static const int32_t versions[FEE_MODE_COUNT] = { 1, 2, 3, 1 };
	struct fee_policy p;
	ck_assert_int_eq(fee_policy_defaults(mode, &p), 0);
	p.id = 21 + (int64_t)mode;
	p.version = versions[mode];
	p.valid_from = T0;
	return p;
}

/* Runs fee_compute for ev under the default policy of mode; returns the line count. */
static size_t compute(enum fee_mode mode, const struct fee_event *ev, struct fee_line *out,
                      size_t cap)
{
	struct fee_policy p = policy(mode);
	struct fee_schedule s = schedule();
	struct fee_error err;
	size_t n = 99;
	int rc = fee_compute(&p, &s, ev, out, cap, &n, &err);
	ck_assert_msg(rc == 0, "fee_compute failed: %s", err.msg);
	return n;
}

/* Runs fee_compute for ev under p and s, which must fail; returns the error code. */
static enum fee_status compute_fails(const struct fee_policy *p, const struct fee_schedule *s,
                                     const struct fee_event *ev, size_t cap)
{
	struct fee_line out[4];
	struct fee_error err = {FEE_OK, ""};
	size_t n = 99;
	ck_assert_uint_le(cap, 4);
	ck_assert_int_eq(fee_compute(p, s, ev, out, cap, &n, &err), -1);
	ck_assert_uint_eq(n, 0);
	return err.code;
}

static void assert_line(const struct fee_line *l, enum fee_type t, enum fee_direction dir,
                        enum fee_treatment tr, int64_t gross, int64_t waived, int64_t net)
{
	ck_assert_str_eq(fee_type_name(l->type), fee_type_name(t));
	ck_assert_int_eq(l->direction, dir);
	ck_assert_str_eq(fee_treatment_name(l->treatment), fee_treatment_name(tr));
	ck_assert_int_eq(l->gross, gross);
	ck_assert_int_eq(l->waived, waived);
	ck_assert_int_eq(l->net, net);
	ck_assert_int_eq(l->gross - l->waived, l->net);
	ck_assert_str_eq(l->currency, "USD");
	ck_assert_int_eq(l->schedule_id, 11);
	ck_assert_int_eq(l->schedule_version, 4);
}

static const struct fee_inbound_item inbound_items[] = {
	{ "SKU-A", 100, 0, 500, true },   /* popular, 5.00 declared */
	{ "SKU-B", 15, 5, 1000, false },  /* not popular, 10.00 declared */
};

static struct fee_event inbound_event(void)
{
	struct fee_event ev = { .kind = FEE_EVENT_INBOUND_CLOSE, .at = T0 + 10 };
	memcpy(ev.inbound.currency, "USD", 4);
	ev.inbound.items = inbound_items;
	ev.inbound.n_items = 2;
	return ev;
}

/* ---- inbound close ------------------------------------------------------ */

START_TEST(pop_inbound_close_charges_nothing)
{
	struct fee_event ev = inbound_event();
	struct fee_line out[4];
	ck_assert_uint_eq(compute(FEE_MODE_POP, &ev, out, 4), 0);
}
END_TEST

START_TEST(semi_jit_inbound_close_charges_per_unit)
{
	struct fee_event ev = inbound_event();
	struct fee_line out[4];
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_JIT, &ev, out, 4), 1);
	assert_line(&out[0], FEE_INBOUND_OPERATION, FEE_DEBIT, FEE_CHARGED, 3600, 0, 3600);
	ck_assert_int_eq(out[0].policy_id, 22);
	ck_assert_int_eq(out[0].policy_version, 2);
	ck_assert_str_eq(out[0].reason, "inbound operation fee 120 units × 0.30 USD = 36.00 USD");
}
END_TEST

START_TEST(semi_warehouse_inbound_close_waives_the_fee_and_advances_on_popular_skus)
{
	struct fee_event ev = inbound_event();
	struct fee_line out[4];
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_WAREHOUSE, &ev, out, 4), 2);
	assert_line(&out[0], FEE_INBOUND_OPERATION, FEE_DEBIT, FEE_WAIVED, 3600, 3600, 0);
	ck_assert_str_eq(out[0].reason, "inbound operation fee 120 units × 0.30 USD = 36.00 USD, "
	                                "waived: semi-managed warehouse policy v3");
	ck_assert_int_eq(out[0].policy_version, 3);
	/* advance only for the popular SKU: 60% × 100 × 5.00 = 300.00 */
	assert_line(&out[1], FEE_ADVANCE, FEE_CREDIT, FEE_CHARGED, 30000, 0, 30000);
	ck_assert_str_eq(out[1].sku, "SKU-A");
	ck_assert_str_eq(out[1].reason, "advance 60% of 100 good units × 5.00 USD declared value "
	                                "= 300.00 USD, popular SKU: semi-managed warehouse policy v3");
	ck_assert_int_eq(fee_line_seller_delta(&out[1]), 30000);
	ck_assert_int_eq(fee_line_seller_delta(&out[0]), 0);
}
END_TEST

START_TEST(full_inbound_close_fee_is_borne_by_the_platform)
{
	struct fee_event ev = inbound_event();
	struct fee_line out[4];
	ck_assert_uint_eq(compute(FEE_MODE_FULL, &ev, out, 4), 1);
	assert_line(&out[0], FEE_INBOUND_OPERATION, FEE_DEBIT, FEE_PLATFORM_BORNE, 3600, 3600, 0);
	ck_assert_str_eq(out[0].reason, "inbound operation fee 120 units × 0.30 USD = 36.00 USD, "
	                                "borne by the platform: fully managed policy v1");
}
END_TEST

START_TEST(advance_without_the_popular_rule_covers_every_sku_but_not_damaged_units)
{
	struct fee_event ev = inbound_event();
	struct fee_policy p = policy(FEE_MODE_SEMI_WAREHOUSE);
	struct fee_schedule s = schedule();
	struct fee_line out[4];
	struct fee_error err;
	size_t n;
	p.advance_requires_popular = false;
	ck_assert_int_eq(fee_compute(&p, &s, &ev, out, 4, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(out[1].sku, "SKU-A");
	ck_assert_int_eq(out[1].net, 30000);
	/* damaged units are not advanced: 15 good × 10.00 × 60% */
	ck_assert_str_eq(out[2].sku, "SKU-B");
	ck_assert_int_eq(out[2].net, 9000);
	ck_assert_str_eq(out[2].reason, "advance 60% of 15 good units × 10.00 USD declared value "
	                                "= 90.00 USD, semi-managed warehouse policy v3");
}
END_TEST

START_TEST(advance_rounds_half_to_even)
{
	/* 1 unit × 0.25 × 60% = 0.15 exact; 1 × 0.01 × 50% = 0.005 → 0; × 0.03 → 0.015 → 0.02 */
	static const struct fee_inbound_item items[] = {
		{ "P1", 1, 0, 1, true }, { "P3", 1, 0, 3, true }, { "P5", 1, 0, 5, true },
	};
	struct fee_event ev = inbound_event();
	struct fee_policy p = policy(FEE_MODE_SEMI_WAREHOUSE);
	struct fee_schedule s = schedule();
	struct fee_line out[4];
	size_t n;
	ev.inbound.items = items;
	ev.inbound.n_items = 3;
	p.advance_rate_bp = 5000;
	ck_assert_int_eq(fee_compute(&p, &s, &ev, out, 4, &n, NULL), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(out[1].net, 0);  /* 0.5 → 0 */
	ck_assert_int_eq(out[2].net, 2);  /* 1.5 → 2 */
	ck_assert_int_eq(out[3].net, 2);  /* 2.5 → 2 */
}
END_TEST

START_TEST(inbound_close_of_zero_units_has_no_lines)
{
	static const struct fee_inbound_item items[] = { { "Z", 0, 0, 500, true } };
	struct fee_event ev = inbound_event();
	struct fee_line out[2];
	ev.inbound.items = items;
	ev.inbound.n_items = 1;
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_WAREHOUSE, &ev, out, 2), 0);
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_JIT, &ev, out, 2), 0);
}
END_TEST

START_TEST(inbound_close_needs_room_for_every_line)
{
	struct fee_policy p = policy(FEE_MODE_SEMI_WAREHOUSE);
	struct fee_schedule s = schedule();
	struct fee_event ev = inbound_event();
	/* cap 1 but 2 lines needed */
	ck_assert_uint_eq(fee_event_max_lines(&ev), 3);
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 1), FEE_ENOSPACE);
}
END_TEST

START_TEST(inbound_close_amounts_that_overflow_are_refused)
{
	struct fee_policy p = policy(FEE_MODE_SEMI_WAREHOUSE);
	struct fee_schedule s = schedule();
	struct fee_line out[4];
	struct fee_error err;
	size_t n = 5;
	struct fee_event ev = inbound_event();

	/* unit count overflow */
	struct fee_inbound_item big[] = { { "X", INT64_MAX, 1, 1, true } };
	ev.inbound.items = big;
	ev.inbound.n_items = 1;
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 4), FEE_EOVERFLOW);

	/* units fit but units × price does not */
	big[0].damaged_units = 0;
	struct fee_policy jit = policy(FEE_MODE_SEMI_JIT);
	ck_assert_int_eq(compute_fails(&jit, &s, &ev, 4), FEE_EOVERFLOW);

	/* declared value × good units overflows in the advance */
	s.inbound_op_per_unit = 0;
	big[0].declared_value = 2;
	ck_assert_int_eq(fee_compute(&p, &s, &ev, out, 4, &n, &err), -1);
	ck_assert_int_eq(err.code, FEE_EOVERFLOW);
	ck_assert_str_eq(err.msg, "advance for SKU X overflows");

	/* maximum that fits: INT64_MAX units at price 0, value 1 at 100% */
	big[0].declared_value = 1;
	p.advance_rate_bp = 10000;
	ck_assert_int_eq(fee_compute(&p, &s, &ev, out, 4, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(out[0].gross, 0);
	ck_assert_int_eq(out[1].net, INT64_MAX);
}
END_TEST

START_TEST(inbound_close_refuses_negative_units_and_another_currency)
{
	struct fee_policy p = policy(FEE_MODE_SEMI_WAREHOUSE);
	struct fee_schedule s = schedule();
	struct fee_event ev = inbound_event();
	const struct fee_inbound_item negative[] = { { "X", -1, 0, 1, true } };
	ev.inbound.items = negative;
	ev.inbound.n_items = 1;
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 4), FEE_EINVAL);
	ev = inbound_event();
	memcpy(ev.inbound.currency, "EUR", 4);
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 4), FEE_ECURRENCY);
}
END_TEST

/* ---- pickup ------------------------------------------------------------- */

START_TEST(pickup_is_waived_in_semi_warehouse_and_borne_by_the_platform_in_full)
{
	struct fee_event ev = { .kind = FEE_EVENT_PICKUP, .at = T0, .pickup = { 2340 } };
	struct fee_line out[1];
	/* 2340 g → 2.4 kg: 5.00 + 2.4 × 1.20 = 7.88 */
	ck_assert_uint_eq(compute(FEE_MODE_POP, &ev, out, 1), 1);
	assert_line(&out[0], FEE_PICKUP, FEE_DEBIT, FEE_CHARGED, 788, 0, 788);
	ck_assert_str_eq(out[0].reason, "pickup fee 5.00 USD + 2.4 kg × 1.20 USD/kg = 7.88 USD "
	                                "(2340 g rounded up to 100 g)");
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_JIT, &ev, out, 1), 1);
	assert_line(&out[0], FEE_PICKUP, FEE_DEBIT, FEE_CHARGED, 788, 0, 788);
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_WAREHOUSE, &ev, out, 1), 1);
	assert_line(&out[0], FEE_PICKUP, FEE_DEBIT, FEE_WAIVED, 788, 788, 0);
	ck_assert_str_eq(out[0].reason, "pickup fee 5.00 USD + 2.4 kg × 1.20 USD/kg = 7.88 USD "
	                                "(2340 g rounded up to 100 g), waived: semi-managed "
	                                "warehouse policy v3");
	ck_assert_uint_eq(compute(FEE_MODE_FULL, &ev, out, 1), 1);
	assert_line(&out[0], FEE_PICKUP, FEE_DEBIT, FEE_PLATFORM_BORNE, 788, 788, 0);
}
END_TEST

START_TEST(pickup_weight_rounds_up_to_100_grams)
{
	struct fee_event ev = { .kind = FEE_EVENT_PICKUP, .at = T0, .pickup = { 0 } };
	struct fee_line out[1];

	ck_assert_uint_eq(compute(FEE_MODE_POP, &ev, out, 1), 1);
	ck_assert_int_eq(out[0].net, 500);
	ev.pickup.weight_g = 2400; /* exact: no rounding note */
	ck_assert_uint_eq(compute(FEE_MODE_POP, &ev, out, 1), 1);
	ck_assert_str_eq(out[0].reason, "pickup fee 5.00 USD + 2.4 kg × 1.20 USD/kg = 7.88 USD");
	ev.pickup.weight_g = 1;    /* 1 g → 100 g */
	ck_assert_uint_eq(compute(FEE_MODE_POP, &ev, out, 1), 1);
	ck_assert_int_eq(out[0].net, 512);
}
END_TEST

START_TEST(pickup_price_per_100_grams_rounds_half_to_even)
{
	struct fee_event ev = { .kind = FEE_EVENT_PICKUP, .at = T0, .pickup = { 100 } };
	struct fee_policy p = policy(FEE_MODE_POP);
	struct fee_schedule s = schedule();
	struct fee_line out[1];
	struct fee_error err;
	size_t n;

	/* 1.25/kg × 100 g = 12.5 → 12; × 300 g = 37.5 → 38 */
	s.pickup_fixed = 0;
	s.pickup_per_kg = 125;
	ck_assert_int_eq(fee_compute(&p, &s, &ev, out, 1, &n, &err), 0);
	ck_assert_int_eq(out[0].net, 12);
	ev.pickup.weight_g = 300;
	ck_assert_int_eq(fee_compute(&p, &s, &ev, out, 1, &n, &err), 0);
	ck_assert_int_eq(out[0].net, 38);
}
END_TEST

START_TEST(pickup_refuses_overflow_negative_weight_and_no_room)
{
	struct fee_event ev = { .kind = FEE_EVENT_PICKUP, .at = T0, .pickup = { INT64_MAX } };
	struct fee_policy p = policy(FEE_MODE_POP);
	struct fee_schedule s = schedule();
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 1), FEE_EOVERFLOW);
	ev.pickup.weight_g = -1;
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 1), FEE_EINVAL);
	ev.pickup.weight_g = 100;
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 0), FEE_ENOSPACE);
}
END_TEST

/* ---- storage ------------------------------------------------------------ */

static const struct fee_storage_item stock[] = {
	{ "SKU-A", 100, 120000, 5 },  /* 100 × 0.00012 m³ = 0.012 m³ */
};

START_TEST(storage_is_waived_in_semi_warehouse_and_borne_by_the_platform_in_full)
{
	struct fee_event ev = { .kind = FEE_EVENT_STORAGE_DAY, .at = T0 };
	struct fee_line out[1];
	ev.storage.items = stock;
	ev.storage.n_items = 1;
	ck_assert_uint_eq(compute(FEE_MODE_POP, &ev, out, 1), 0);
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_JIT, &ev, out, 1), 0);
	/* 2.00 × 0.012 = 0.024 → 0.02 */
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_WAREHOUSE, &ev, out, 1), 1);
	assert_line(&out[0], FEE_STORAGE_RENT, FEE_DEBIT, FEE_WAIVED, 2, 2, 0);
	ck_assert_str_eq(out[0].reason, "storage rent 0.012 m³ × 2.00 USD/m³·day = 0.02 USD, "
	                                "waived: semi-managed warehouse policy v3");
	ck_assert_uint_eq(compute(FEE_MODE_FULL, &ev, out, 1), 1);
	assert_line(&out[0], FEE_STORAGE_RENT, FEE_DEBIT, FEE_PLATFORM_BORNE, 2, 2, 0);
}
END_TEST

/* A semi_warehouse policy that charges storage rent, with free_days free days. */
static struct fee_policy storage_policy(int32_t free_days)
{
	struct fee_policy p = policy(FEE_MODE_SEMI_WAREHOUSE);
	p.waived &= ~FEE_BIT(FEE_STORAGE_RENT);
	p.storage_free_days = free_days;
	return p;
}

/* A storage day of the n items. */
static struct fee_event storage_day(const struct fee_storage_item *items, size_t n)
{
	struct fee_event ev = { .kind = FEE_EVENT_STORAGE_DAY, .at = T0 };
	ev.storage.items = items;
	ev.storage.n_items = n;
	return ev;
}

/* Runs fee_compute for a storage day of the n items under p and the example schedule, with
 * room for one line; returns the line count. */
static size_t compute_storage(const struct fee_policy *p, const struct fee_storage_item *items,
                              size_t n, struct fee_line out[1])
{
	struct fee_schedule s = schedule();
	struct fee_event ev = storage_day(items, n);
	struct fee_error err;
	size_t lines = 99;
	int rc = fee_compute(p, &s, &ev, out, 1, &lines, &err);
	ck_assert_msg(rc == 0, "fee_compute failed: %s", err.msg);
	return lines;
}

START_TEST(storage_within_the_free_days_is_free)
{
	/* a policy that charges storage after 30 free days */
	struct fee_policy p = storage_policy(30);
	struct fee_line out[1];
	static const struct fee_storage_item items[] = {
		{ "NEW", 10, 1000000000, 29 },  /* 10 m³, still free */
		{ "OLD", 5, 1000000000, 30 },   /* 5 m³, chargeable */
	};
	ck_assert_uint_eq(compute_storage(&p, items, 2, out), 1);
	assert_line(&out[0], FEE_STORAGE_RENT, FEE_DEBIT, FEE_FREE_PERIOD, 3000, 2000, 1000);
	ck_assert_str_eq(out[0].reason, "storage rent 15 m³ × 2.00 USD/m³·day = 30.00 USD, "
	                                "10 m³ within 30 free days: semi-managed warehouse "
	                                "policy v3 → 10.00 USD");
	/* no free days: all charged */
	p.storage_free_days = 0;
	ck_assert_uint_eq(compute_storage(&p, items, 2, out), 1);
	assert_line(&out[0], FEE_STORAGE_RENT, FEE_DEBIT, FEE_CHARGED, 3000, 0, 3000);
	/* always free */
	p.storage_free_days = -1;
	ck_assert_uint_eq(compute_storage(&p, items, 2, out), 1);
	assert_line(&out[0], FEE_STORAGE_RENT, FEE_DEBIT, FEE_WAIVED, 3000, 3000, 0);
}
END_TEST

START_TEST(storage_rent_rounds_half_to_even)
{
	struct fee_policy p = storage_policy(0);
	struct fee_line out[1];
	/* 0.0125 m³ × 2.00 = 2.5 → 2; 0.0175 m³ → 3.5 → 4 */
	struct fee_storage_item item = { "H", 1, 12500000, 0 };
	ck_assert_uint_eq(compute_storage(&p, &item, 1, out), 1);
	ck_assert_int_eq(out[0].net, 2);
	item.unit_volume_mm3 = 17500000;
	ck_assert_uint_eq(compute_storage(&p, &item, 1, out), 1);
	ck_assert_int_eq(out[0].net, 4);
}
END_TEST

START_TEST(storage_of_nothing_on_hand_has_no_line)
{
	struct fee_policy p = storage_policy(0);
	struct fee_line out[1];
	const struct fee_storage_item item = { "H", 0, 17500000, 0 };
	ck_assert_uint_eq(compute_storage(&p, &item, 1, out), 0);
}
END_TEST

START_TEST(storage_volume_overflow_is_refused)
{
	struct fee_policy p = storage_policy(0);
	struct fee_schedule s = schedule();
	const struct fee_storage_item item = { "H", INT64_MAX, 17500000, 0 };
	struct fee_event ev = storage_day(&item, 1);
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 1), FEE_EOVERFLOW);
}
END_TEST

/* ---- outbound and returns ------------------------------------------------ */

START_TEST(outbound_is_charged_in_semi_jit_waived_in_semi_warehouse_borne_in_full)
{
	struct fee_event ev = { .kind = FEE_EVENT_OUTBOUND, .at = T0, .units = { 3 } };
	struct fee_line out[1];
	ck_assert_uint_eq(compute(FEE_MODE_POP, &ev, out, 1), 0);
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_JIT, &ev, out, 1), 1);
	assert_line(&out[0], FEE_OUTBOUND_OPERATION, FEE_DEBIT, FEE_CHARGED, 75, 0, 75);
	ck_assert_str_eq(out[0].reason, "outbound operation fee 3 units × 0.25 USD = 0.75 USD");
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_WAREHOUSE, &ev, out, 1), 1);
	assert_line(&out[0], FEE_OUTBOUND_OPERATION, FEE_DEBIT, FEE_WAIVED, 75, 75, 0);
	ck_assert_uint_eq(compute(FEE_MODE_FULL, &ev, out, 1), 1);
	assert_line(&out[0], FEE_OUTBOUND_OPERATION, FEE_DEBIT, FEE_PLATFORM_BORNE, 75, 75, 0);
}
END_TEST

START_TEST(outbound_of_zero_units_has_no_line)
{
	struct fee_event ev = { .kind = FEE_EVENT_OUTBOUND, .at = T0, .units = { 0 } };
	struct fee_line out[1];
	ck_assert_uint_eq(compute(FEE_MODE_SEMI_JIT, &ev, out, 1), 0);
}
END_TEST

START_TEST(return_handling_is_charged_except_in_full)
{
	struct fee_event ev = { .kind = FEE_EVENT_RETURN, .at = T0, .units = { 1 } };
	struct fee_line out[1];
	for (int m = FEE_MODE_POP; m <= FEE_MODE_SEMI_WAREHOUSE; m++) {
		ck_assert_uint_eq(compute((enum fee_mode)m, &ev, out, 1), 1);
		assert_line(&out[0], FEE_RETURN_HANDLING, FEE_DEBIT, FEE_CHARGED, 150, 0, 150);
	}
	ck_assert_str_eq(out[0].reason, "return handling fee 1 unit × 1.50 USD = 1.50 USD");
	ck_assert_uint_eq(compute(FEE_MODE_FULL, &ev, out, 1), 1);
	assert_line(&out[0], FEE_RETURN_HANDLING, FEE_DEBIT, FEE_PLATFORM_BORNE, 150, 150, 0);
}
END_TEST

/* ---- sale settlement ------------------------------------------------------ */

static struct fee_sale sale_of(const char *category, int64_t price, int64_t qty)
{
	struct fee_sale s = { .at = T0 + 100, .currency = "USD", .category = category,
	                      .unit_price = price, .quantity = qty };
	return s;
}

static size_t settle(enum fee_mode mode, const struct fee_sale *sale, struct fee_line *lines,
                     struct fee_settlement *st)
{
	struct fee_policy p = policy(mode);
	struct fee_schedule s = schedule();
	struct fee_error err;
	size_t n = 99;
	int rc = fee_settle_sale(&p, &s, sale, lines, FEE_SALE_MAX_LINES, &n, st, &err);
	ck_assert_msg(rc == 0, "fee_settle_sale failed: %s", err.msg);
	return n;
}

START_TEST(pop_sale_pays_proceeds_less_commission_and_payment_fee)
{
	struct fee_sale sale = sale_of("electronics", 1250, 2);
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	ck_assert_uint_eq(settle(FEE_MODE_POP, &sale, l, &st), 3);
	assert_line(&l[0], FEE_SALE_PROCEEDS, FEE_CREDIT, FEE_CHARGED, 2500, 0, 2500);
	ck_assert_str_eq(l[0].reason, "sale proceeds 2 units × 12.50 USD = 25.00 USD");
	assert_line(&l[1], FEE_COMMISSION, FEE_DEBIT, FEE_CHARGED, 200, 0, 200);
	ck_assert_str_eq(l[1].reason, "commission 8.00% of 25.00 USD = 2.00 USD");
	assert_line(&l[2], FEE_PAYMENT, FEE_DEBIT, FEE_CHARGED, 50, 0, 50);
	ck_assert_str_eq(l[2].reason, "payment fee 2.00% of 25.00 USD = 0.50 USD");
	ck_assert_int_eq(st.sale_amount, 2500);
	ck_assert_int_eq(st.fees, 250);
	ck_assert_int_eq(st.recovered, 0);
	ck_assert_int_eq(st.net_payable, 2250);
	int64_t sum = 0;
	for (int i = 0; i < 3; i++)
		sum += fee_line_seller_delta(&l[i]);
	ck_assert_int_eq(sum, st.net_payable);
}
END_TEST

START_TEST(semi_jit_commission_is_halved)
{
	struct fee_sale sale = sale_of("electronics", 1250, 2);
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	ck_assert_uint_eq(settle(FEE_MODE_SEMI_JIT, &sale, l, &st), 3);
	assert_line(&l[1], FEE_COMMISSION, FEE_DEBIT, FEE_REDUCED, 200, 100, 100);
	ck_assert_str_eq(l[1].reason, "commission 8.00% of 25.00 USD = 2.00 USD, "
	                              "reduced 50%: semi-managed JIT policy v2 → 1.00 USD");
	assert_line(&l[2], FEE_PAYMENT, FEE_DEBIT, FEE_CHARGED, 50, 0, 50);
	ck_assert_int_eq(st.net_payable, 2350);
}
END_TEST

START_TEST(reduced_commission_rounds_half_to_even)
{
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	/* gross 1 → 0.5 → 0; gross 3 → 1.5 → 2 */
	struct fee_sale sale = sale_of("electronics", 13, 1);
	settle(FEE_MODE_SEMI_JIT, &sale, l, &st);
	assert_line(&l[1], FEE_COMMISSION, FEE_DEBIT, FEE_REDUCED, 1, 1, 0);
	sale = sale_of("electronics", 38, 1);
	settle(FEE_MODE_SEMI_JIT, &sale, l, &st);
	assert_line(&l[1], FEE_COMMISSION, FEE_DEBIT, FEE_REDUCED, 3, 1, 2);
}
END_TEST

START_TEST(semi_warehouse_sale_is_exempt_from_commission)
{
	struct fee_sale sale = sale_of("toys", 1250, 2); /* default 10% */
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	ck_assert_uint_eq(settle(FEE_MODE_SEMI_WAREHOUSE, &sale, l, &st), 3);
	assert_line(&l[1], FEE_COMMISSION, FEE_DEBIT, FEE_WAIVED, 250, 250, 0);
	ck_assert_str_eq(l[1].reason, "commission 10.00% of 25.00 USD = 2.50 USD, "
	                              "exempt: semi-managed warehouse policy v3");
	assert_line(&l[2], FEE_PAYMENT, FEE_DEBIT, FEE_CHARGED, 50, 0, 50);
	ck_assert_int_eq(st.fees, 50);
	ck_assert_int_eq(st.net_payable, 2450);
}
END_TEST

START_TEST(full_sale_pays_the_supply_price)
{
	struct fee_sale sale = sale_of("electronics", 1250, 2);
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	sale.supply_price = 800;
	ck_assert_uint_eq(settle(FEE_MODE_FULL, &sale, l, &st), 1);
	assert_line(&l[0], FEE_SUPPLY_PAYMENT, FEE_CREDIT, FEE_CHARGED, 1600, 0, 1600);
	ck_assert_str_eq(l[0].reason, "supply payment 2 units × 8.00 USD supply price = "
	                              "16.00 USD: fully managed policy v1");
	ck_assert_int_eq(st.sale_amount, 1600);
	ck_assert_int_eq(st.fees, 0);
	ck_assert_int_eq(st.net_payable, 1600);
}
END_TEST

START_TEST(payment_fee_rounds_half_to_even)
{
	/* 2% of 0.25 = 0.5 cent → 0; of 0.75 = 1.5 → 2; of 1.25 = 2.5 → 2 */
	static const int64_t price[] = { 25, 75, 125 }, want[] = { 0, 2, 2 };
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	for (int i = 0; i < 3; i++) {
		struct fee_sale sale = sale_of("electronics", price[i], 1);
		settle(FEE_MODE_POP, &sale, l, &st);
		ck_assert_int_eq(l[2].gross, want[i]);
	}
}
END_TEST

/* Runs fee_settle_sale for sale under p and s, which must fail; returns the error code. */
static enum fee_status settle_fails(const struct fee_policy *p, const struct fee_schedule *s,
                                    const struct fee_sale *sale, size_t cap)
{
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	struct fee_error err = {FEE_OK, ""};
	size_t n = 99;
	ck_assert_uint_le(cap, FEE_SALE_MAX_LINES);
	ck_assert_int_eq(fee_settle_sale(p, s, sale, l, cap, &n, &st, &err), -1);
	ck_assert_uint_eq(n, 0);
	return err.code;
}

/* settle_fails under the default pop policy and the example schedule. */
static enum fee_status pop_settle_fails(const struct fee_sale *sale, size_t cap)
{
	struct fee_policy p = policy(FEE_MODE_POP);
	struct fee_schedule s = schedule();
	return settle_fails(&p, &s, sale, cap);
}

START_TEST(sale_of_zero_units_pays_nothing)
{
	struct fee_sale sale = sale_of("electronics", 1250, 0);
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	ck_assert_uint_eq(settle(FEE_MODE_POP, &sale, l, &st), 3);
	ck_assert_int_eq(l[0].gross, 0);
	ck_assert_int_eq(l[1].gross, 0);
	ck_assert_int_eq(st.net_payable, 0);
}
END_TEST

START_TEST(sale_amount_up_to_int64_max_settles_and_beyond_overflows)
{
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	struct fee_policy p = policy(FEE_MODE_POP);
	struct fee_schedule s = schedule();
	struct fee_error err;
	size_t n;

	/* INT64_MAX units at 0.01: fits, rates use 128-bit intermediates */
	struct fee_sale sale = sale_of("electronics", 1, INT64_MAX);
	ck_assert_int_eq(fee_settle_sale(&p, &s, &sale, l, 4, &n, &st, &err), 0);
	ck_assert_int_eq(st.sale_amount, INT64_MAX);
	ck_assert_int_eq(l[1].gross, INT64_C(737869762948382065)); /* 8%: ...064.56 → 065 */
	ck_assert_int_eq(l[2].gross, INT64_C(184467440737095516)); /* 2%: ...516.14 */

	/* one more unit overflows */
	sale = sale_of("electronics", 2, INT64_MAX);
	ck_assert_int_eq(settle_fails(&p, &s, &sale, 4), FEE_EOVERFLOW);
	sale = sale_of("electronics", INT64_MAX, 2);
	ck_assert_int_eq(settle_fails(&p, &s, &sale, 4), FEE_EOVERFLOW);

	/* commission 100% + payment 100% of INT64_MAX: the fee sum overflows */
	s.commission_default_bp = 10000;
	s.payment_fee_bp = 10000;
	sale = sale_of("other", 1, INT64_MAX);
	ck_assert_int_eq(settle_fails(&p, &s, &sale, 4), FEE_EOVERFLOW);
}
END_TEST

START_TEST(sale_needs_room_for_its_lines)
{
	struct fee_sale sale = sale_of("electronics", 1250, 2);
	ck_assert_int_eq(pop_settle_fails(&sale, 2), FEE_ENOSPACE);
}
END_TEST

START_TEST(sale_in_another_currency_or_of_negative_quantity_is_refused)
{
	struct fee_sale sale = sale_of("electronics", 1250, 2);
	memcpy(sale.currency, "EUR", 4);
	ck_assert_int_eq(pop_settle_fails(&sale, 4), FEE_ECURRENCY);
	sale = sale_of("electronics", 1250, -1);
	ck_assert_int_eq(pop_settle_fails(&sale, 4), FEE_EINVAL);
}
END_TEST

START_TEST(sale_before_the_policy_is_in_force_is_refused)
{
	struct fee_sale sale = sale_of("electronics", 1250, 1);
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	struct fee_policy p = policy(FEE_MODE_POP);
	struct fee_schedule s = schedule();
	struct fee_error err;
	size_t n;
	sale.at = T0 - 1; /* before the versions */
	ck_assert_int_eq(fee_settle_sale(&p, &s, &sale, l, 4, &n, &st, &err), -1);
	ck_assert_int_eq(err.code, FEE_EINVAL);
	ck_assert_str_eq(err.msg, "pop policy v1 is not in force at 1699999999");
}
END_TEST

START_TEST(commission_multiplier_above_100_percent_is_refused)
{
	struct fee_sale sale = sale_of("electronics", 1250, 1);
	struct fee_policy p = policy(FEE_MODE_POP);
	struct fee_schedule s = schedule();
	sale.at = T0;
	p.commission_multiplier_bp = 10001;
	ck_assert_int_eq(settle_fails(&p, &s, &sale, 4), FEE_EINVAL);
}
END_TEST

/* ---- advance recovery ----------------------------------------------------- */

START_TEST(advance_is_recovered_from_proceeds_until_repaid)
{
	/* semi_warehouse: 10 × 12.50 = 125.00, commission exempt, payment 2.50 → 122.50
	 * proceeds per sale against a 300.00 advance */
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	struct fee_sale sale = sale_of("electronics", 1250, 10);
	int64_t outstanding = 30000, paid = 0;
	static const int64_t want_rec[] = { 12250, 12250, 5500, 0 };
	static const int64_t want_pay[] = { 0, 0, 6750, 12250 };

	for (int i = 0; i < 4; i++) {
		sale.advance_outstanding = outstanding;
		size_t n = settle(FEE_MODE_SEMI_WAREHOUSE, &sale, l, &st);
		ck_assert_int_eq(st.recovered, want_rec[i]);
		ck_assert_int_eq(st.net_payable, want_pay[i]);
		ck_assert_int_eq(st.advance_outstanding_after, outstanding - want_rec[i]);
		ck_assert_uint_eq(n, want_rec[i] > 0 ? 4 : 3);
		if (want_rec[i] > 0)
			assert_line(&l[3], FEE_ADVANCE_RECOVERY, FEE_DEBIT, FEE_CHARGED, want_rec[i],
			            0, want_rec[i]);
		if (i == 0)
			ck_assert_str_eq(l[3].reason, "advance recovery 100% of net proceeds 122.50 USD "
			                              "= 122.50 USD; outstanding after: 177.50 USD");
		if (i == 2)
			ck_assert_str_eq(l[3].reason, "advance recovery 100% of net proceeds 122.50 USD, "
			                              "limited to the outstanding advance = 55.00 USD; "
			                              "advance repaid");
		int64_t sum = 0;
		for (size_t k = 0; k < n; k++)
			sum += fee_line_seller_delta(&l[k]);
		ck_assert_int_eq(sum, st.net_payable);
		outstanding = st.advance_outstanding_after;
		paid += st.net_payable;
	}
	ck_assert_int_eq(outstanding, 0);
	ck_assert_int_eq(paid, 4 * 12250 - 30000);
}
END_TEST

START_TEST(recovery_takes_the_policys_share_of_the_proceeds)
{
	struct fee_policy p = policy(FEE_MODE_SEMI_WAREHOUSE);
	struct fee_schedule s = schedule();
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	struct fee_error err;
	size_t n;
	struct fee_sale sale = sale_of("electronics", 1250, 10);
	sale.advance_outstanding = 30000;

	/* 50% share: 12250 × 50% = 6125 */
	p.recovery_share_bp = 5000;
	ck_assert_int_eq(fee_settle_sale(&p, &s, &sale, l, 4, &n, &st, &err), 0);
	ck_assert_int_eq(st.recovered, 6125);
	ck_assert_int_eq(st.net_payable, 6125);
	ck_assert_str_eq(l[3].reason, "advance recovery 50% of net proceeds 122.50 USD = 61.25 USD; "
	                              "outstanding after: 238.75 USD");
	/* no share: nothing recovered, no line */
	p.recovery_share_bp = 0;
	ck_assert_int_eq(fee_settle_sale(&p, &s, &sale, l, 4, &n, &st, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(st.recovered, 0);
}
END_TEST

START_TEST(full_mode_recovers_the_advance_from_the_supply_payment)
{
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	struct fee_sale sale = sale_of("electronics", 1250, 10);
	sale.advance_outstanding = 30000;
	sale.supply_price = 800;
	ck_assert_uint_eq(settle(FEE_MODE_FULL, &sale, l, &st), 2);
	ck_assert_int_eq(st.recovered, 8000);
	ck_assert_int_eq(st.net_payable, 0);
	ck_assert_int_eq(st.advance_outstanding_after, 22000);
	assert_line(&l[1], FEE_ADVANCE_RECOVERY, FEE_DEBIT, FEE_CHARGED, 8000, 0, 8000);
}
END_TEST

/* ---- versions ------------------------------------------------------------- */

/* Three policy versions: semi_jit v1 for [1000, 2000) and v2 (commission reduced 75%)
 * from 2000 on, and pop from 0 on; ids 1, 2, 3. */
static void policy_versions(struct fee_policy v[3])
{
	v[0] = policy(FEE_MODE_SEMI_JIT);
	v[0].id = 1, v[0].version = 1, v[0].valid_from = 1000, v[0].valid_to = 2000;
	v[1] = policy(FEE_MODE_SEMI_JIT);
	v[1].id = 2, v[1].version = 2, v[1].valid_from = 2000, v[1].valid_to = FEE_TIME_OPEN;
	v[1].commission_multiplier_bp = 2500;
	v[2] = policy(FEE_MODE_POP);
	v[2].id = 3, v[2].valid_from = 0;
}

START_TEST(policy_version_in_force_is_chosen_from_valid_from_up_to_valid_to)
{
	struct fee_policy v[3];
	const struct fee_policy *got = NULL;
	struct fee_error err;
	policy_versions(v);

	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, 1999, &got, &err), 0);
	ck_assert_int_eq(got->id, 1);
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, 2000, &got, &err), 0);
	ck_assert_int_eq(got->id, 2);
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, INT64_MAX, &got, &err), 0);
	ck_assert_int_eq(got->id, 2);
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, 1000, &got, &err), 0);
	ck_assert_int_eq(got->id, 1);
	got = NULL;
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, 999, &got, &err), -1);
	ck_assert_int_eq(err.code, FEE_ENOVERSION);
	ck_assert_ptr_null(got);
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_POP, 999, &got, &err), 0);
	ck_assert_int_eq(got->id, 3);
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_FULL, 999, &got, &err), -1);
	ck_assert_int_eq(err.code, FEE_ENOVERSION);
}
END_TEST

START_TEST(chosen_policy_version_is_applied_and_recorded_on_the_line)
{
	struct fee_policy v[3];
	const struct fee_policy *got = NULL;
	struct fee_error err;
	struct fee_schedule s = schedule();
	struct fee_sale sale = sale_of("electronics", 1250, 2);
	struct fee_line l[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	size_t n;
	policy_versions(v);
	s.valid_from = 0;

	sale.at = 1999;
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, sale.at, &got, &err), 0);
	ck_assert_int_eq(fee_settle_sale(got, &s, &sale, l, 4, &n, &st, &err), 0);
	ck_assert_int_eq(l[1].net, 100);
	ck_assert_int_eq(l[1].policy_id, 1);
	sale.at = 2000;
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, sale.at, &got, &err), 0);
	ck_assert_int_eq(fee_settle_sale(got, &s, &sale, l, 4, &n, &st, &err), 0);
	ck_assert_int_eq(l[1].net, 50);
	ck_assert_int_eq(l[1].policy_id, 2);
	ck_assert_str_eq(l[1].reason, "commission 8.00% of 25.00 USD = 2.00 USD, "
	                              "reduced 75%: semi-managed JIT policy v2 → 0.50 USD");
	/* the old version applied at its valid_to is refused */
	ck_assert_int_eq(settle_fails(&v[0], &s, &sale, 4), FEE_EINVAL);
}
END_TEST

START_TEST(overlapping_policy_versions_are_ambiguous)
{
	struct fee_policy v[3];
	const struct fee_policy *got = NULL;
	struct fee_error err;
	policy_versions(v);
	v[0].valid_to = 2001;
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, 2000, &got, &err), -1);
	ck_assert_int_eq(err.code, FEE_EAMBIGUOUS);
	ck_assert_int_eq(fee_policy_select(v, 3, FEE_MODE_SEMI_JIT, 2001, &got, &err), 0);
	ck_assert_int_eq(got->id, 2);
}
END_TEST

START_TEST(schedule_version_in_force_is_chosen_from_valid_from_up_to_valid_to)
{
	struct fee_schedule v[2] = { schedule(), schedule() };
	const struct fee_schedule *got = NULL;
	struct fee_error err;
	v[0].id = 1, v[0].valid_from = 100, v[0].valid_to = 200;
	v[1].id = 2, v[1].valid_from = 200, v[1].valid_to = 300;
	ck_assert_int_eq(fee_schedule_select(v, 2, 199, &got, &err), 0);
	ck_assert_int_eq(got->id, 1);
	ck_assert_int_eq(fee_schedule_select(v, 2, 200, &got, &err), 0);
	ck_assert_int_eq(got->id, 2);
	ck_assert_int_eq(fee_schedule_select(v, 2, 299, &got, &err), 0);
	ck_assert_int_eq(got->id, 2);
	ck_assert_int_eq(fee_schedule_select(v, 2, 300, &got, &err), -1);
	ck_assert_int_eq(err.code, FEE_ENOVERSION);
	ck_assert_int_eq(fee_schedule_select(v, 2, 99, &got, &err), -1);
	ck_assert_int_eq(err.code, FEE_ENOVERSION);
	ck_assert_int_eq(fee_schedule_select(v, 0, 150, &got, &err), -1);
	/* overlapping versions are ambiguous */
	v[1].valid_from = 150;
	ck_assert_int_eq(fee_schedule_select(v, 2, 150, &got, &err), -1);
	ck_assert_int_eq(err.code, FEE_EAMBIGUOUS);
}
END_TEST

START_TEST(event_at_valid_from_is_computed_one_second_before_is_refused)
{
	struct fee_policy p = policy(FEE_MODE_SEMI_JIT);
	struct fee_schedule s = schedule();
	struct fee_event ev = { .kind = FEE_EVENT_RETURN, .at = T0, .units = { 1 } };
	struct fee_line out[1];
	struct fee_error err;
	size_t n;
	ck_assert_int_eq(fee_compute(&p, &s, &ev, out, 1, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ev.at = T0 - 1;
	ck_assert_int_eq(compute_fails(&p, &s, &ev, 1), FEE_EINVAL);
}
END_TEST

/* ---- names and validation ----------------------------------------------------- */

START_TEST(mode_and_fee_type_names_round_trip)
{
	enum fee_mode m;
	enum fee_type t;
	for (int i = 0; i < FEE_MODE_COUNT; i++) {
		ck_assert_int_eq(fee_mode_parse(fee_mode_name((enum fee_mode)i), &m), 0);
		ck_assert_int_eq(m, i);
	}
	for (int i = 0; i < FEE_TYPE_COUNT; i++) {
		ck_assert_int_eq(fee_type_parse(fee_type_name((enum fee_type)i), &t), 0);
		ck_assert_int_eq(t, i);
	}
	ck_assert_str_eq(fee_mode_name(FEE_MODE_SEMI_WAREHOUSE), "semi_warehouse");
	ck_assert_str_eq(fee_type_name(FEE_PAYMENT), "payment_fee");
	ck_assert_str_eq(fee_type_name(FEE_TYPE_COUNT), "?");
	ck_assert_str_eq(fee_direction_name(FEE_CREDIT), "credit");
	ck_assert_str_eq(fee_treatment_name(FEE_PLATFORM_BORNE), "platform_borne");
	ck_assert_int_eq(fee_mode_parse("jit", &m), -1);
	ck_assert_int_eq(fee_mode_parse(NULL, &m), -1);
	ck_assert_int_eq(fee_type_parse("fee", &t), -1);
}
END_TEST

START_TEST(commission_rate_of_an_unlisted_category_is_the_default)
{
	struct fee_schedule s = schedule();
	ck_assert_int_eq(fee_commission_bp(&s, "apparel"), 1200);
	ck_assert_int_eq(fee_commission_bp(&s, "garden"), 1000);
	ck_assert_int_eq(fee_commission_bp(&s, NULL), 1000);
}
END_TEST

START_TEST(schedule_with_a_bad_rate_price_currency_or_validity_is_invalid)
{
	struct fee_schedule s = schedule();
	struct fee_error err;
	ck_assert_int_eq(fee_schedule_validate(&s, &err), 0);
	s.payment_fee_bp = 10001;
	ck_assert_int_eq(fee_schedule_validate(&s, &err), -1);
	s = schedule();
	s.inbound_op_per_unit = -1;
	ck_assert_int_eq(fee_schedule_validate(&s, &err), -1);
	s = schedule();
	memcpy(s.currency, "us", 3);
	ck_assert_int_eq(fee_schedule_validate(&s, &err), -1);
	s = schedule();
	s.valid_to = s.valid_from;
	ck_assert_int_eq(fee_schedule_validate(&s, &err), -1);
}
END_TEST

START_TEST(policy_with_bad_free_days_or_an_unknown_fee_bit_is_invalid)
{
	struct fee_error err;
	struct fee_policy p = policy(FEE_MODE_FULL);
	ck_assert_int_eq(fee_policy_validate(&p, &err), 0);
	p.storage_free_days = -2;
	ck_assert_int_eq(fee_policy_validate(&p, &err), -1);
	p = policy(FEE_MODE_FULL);
	p.waived = FEE_BIT(FEE_TYPE_COUNT);
	ck_assert_int_eq(fee_policy_validate(&p, &err), -1);
	ck_assert_int_eq(fee_policy_defaults(FEE_MODE_COUNT, &p), -1);
}
END_TEST

START_TEST(default_policies_follow_the_modes)
{
	struct fee_policy p;
	ck_assert_int_eq(fee_policy_defaults(FEE_MODE_POP, &p), 0);
	ck_assert_int_eq(p.commission_multiplier_bp, 10000);
	ck_assert_int_eq(p.waived, 0);
	ck_assert_int_eq(fee_policy_defaults(FEE_MODE_SEMI_JIT, &p), 0);
	ck_assert_int_eq(p.commission_multiplier_bp, 5000);
	ck_assert_int_eq(p.advance_rate_bp, 0);
	ck_assert_int_eq(fee_policy_defaults(FEE_MODE_SEMI_WAREHOUSE, &p), 0);
	ck_assert_int_eq(p.commission_multiplier_bp, 0);
	ck_assert_int_eq(p.advance_rate_bp, 6000);
	ck_assert(p.advance_requires_popular);
	ck_assert_int_eq(p.storage_free_days, -1);
	ck_assert(p.waived & FEE_BIT(FEE_PICKUP));
	ck_assert(!(p.waived & FEE_BIT(FEE_RETURN_HANDLING)));
	ck_assert_int_eq(fee_policy_defaults(FEE_MODE_FULL, &p), 0);
	ck_assert(p.platform_borne & FEE_BIT(FEE_STORAGE_RENT));
	ck_assert_int_eq(p.valid_to, FEE_TIME_OPEN);
	ck_assert_int_eq(p.recovery_share_bp, 10000);
}
END_TEST

Suite *fees_suite(void);

Suite *fees_suite(void)
{
	Suite *s = suite_create("fees");
	TCase *tc = tcase_create("events");
	tcase_add_test(tc, pop_inbound_close_charges_nothing);
	tcase_add_test(tc, semi_jit_inbound_close_charges_per_unit);
	tcase_add_test(tc, semi_warehouse_inbound_close_waives_the_fee_and_advances_on_popular_skus);
	tcase_add_test(tc, full_inbound_close_fee_is_borne_by_the_platform);
	tcase_add_test(tc, advance_without_the_popular_rule_covers_every_sku_but_not_damaged_units);
	tcase_add_test(tc, advance_rounds_half_to_even);
	tcase_add_test(tc, inbound_close_of_zero_units_has_no_lines);
	tcase_add_test(tc, inbound_close_needs_room_for_every_line);
	tcase_add_test(tc, inbound_close_amounts_that_overflow_are_refused);
	tcase_add_test(tc, inbound_close_refuses_negative_units_and_another_currency);
	tcase_add_test(tc, pickup_is_waived_in_semi_warehouse_and_borne_by_the_platform_in_full);
	tcase_add_test(tc, pickup_weight_rounds_up_to_100_grams);
	tcase_add_test(tc, pickup_price_per_100_grams_rounds_half_to_even);
	tcase_add_test(tc, pickup_refuses_overflow_negative_weight_and_no_room);
	tcase_add_test(tc, storage_is_waived_in_semi_warehouse_and_borne_by_the_platform_in_full);
	tcase_add_test(tc, storage_within_the_free_days_is_free);
	tcase_add_test(tc, storage_rent_rounds_half_to_even);
	tcase_add_test(tc, storage_of_nothing_on_hand_has_no_line);
	tcase_add_test(tc, storage_volume_overflow_is_refused);
	tcase_add_test(tc, outbound_is_charged_in_semi_jit_waived_in_semi_warehouse_borne_in_full);
	tcase_add_test(tc, outbound_of_zero_units_has_no_line);
	tcase_add_test(tc, return_handling_is_charged_except_in_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("sale");
	tcase_add_test(tc, pop_sale_pays_proceeds_less_commission_and_payment_fee);
	tcase_add_test(tc, semi_jit_commission_is_halved);
	tcase_add_test(tc, reduced_commission_rounds_half_to_even);
	tcase_add_test(tc, semi_warehouse_sale_is_exempt_from_commission);
	tcase_add_test(tc, full_sale_pays_the_supply_price);
	tcase_add_test(tc, payment_fee_rounds_half_to_even);
	tcase_add_test(tc, sale_of_zero_units_pays_nothing);
	tcase_add_test(tc, sale_amount_up_to_int64_max_settles_and_beyond_overflows);
	tcase_add_test(tc, sale_needs_room_for_its_lines);
	tcase_add_test(tc, sale_in_another_currency_or_of_negative_quantity_is_refused);
	tcase_add_test(tc, sale_before_the_policy_is_in_force_is_refused);
	tcase_add_test(tc, commission_multiplier_above_100_percent_is_refused);
	tcase_add_test(tc, advance_is_recovered_from_proceeds_until_repaid);
	tcase_add_test(tc, recovery_takes_the_policys_share_of_the_proceeds);
	tcase_add_test(tc, full_mode_recovers_the_advance_from_the_supply_payment);
	suite_add_tcase(s, tc);

	tc = tcase_create("versions");
	tcase_add_test(tc, policy_version_in_force_is_chosen_from_valid_from_up_to_valid_to);
	tcase_add_test(tc, chosen_policy_version_is_applied_and_recorded_on_the_line);
	tcase_add_test(tc, overlapping_policy_versions_are_ambiguous);
	tcase_add_test(tc, schedule_version_in_force_is_chosen_from_valid_from_up_to_valid_to);
	tcase_add_test(tc, event_at_valid_from_is_computed_one_second_before_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("names_and_validation");
	tcase_add_test(tc, mode_and_fee_type_names_round_trip);
	tcase_add_test(tc, commission_rate_of_an_unlisted_category_is_the_default);
	tcase_add_test(tc, schedule_with_a_bad_rate_price_currency_or_validity_is_invalid);
	tcase_add_test(tc, policy_with_bad_free_days_or_an_unknown_fee_bit_is_invalid);
	tcase_add_test(tc, default_policies_follow_the_modes);
	suite_add_tcase(s, tc);
	return s;
}
