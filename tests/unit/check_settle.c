/* check_settle.c — unit tests for wms/settle: an order's settlement line by line under each
 * mode, the advance recovered in turn across lines, short units refunded and not sold, the
 * outbound operation fee by mode, reasons that name the order and the SKU, refusals; and, on
 * random orders, that the lines add up to the totals and the recoveries never pass the
 * advance. The schedule is the seeded one (001_schema.sql). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wms/settle.h"

#define T0 INT64_C(1700000000)
#define MAX_OUT 64

static const struct fee_category_rate cats[] = {
	{"electronics", 500},
	{"accessories", 1000},
	{"home", 800},
	{"fashion", 1200},
};

/* The seeded schedule v1: commission 8% (electronics 5%, accessories 10%, home 8%, fashion
 * 12%), payment fee 1.5%, outbound operation 0.45 per unit. */
static struct fee_schedule schedule(void)
{
	struct fee_schedule s = {
		.id = 1, .version = 1, .valid_from = T0, .valid_to = FEE_TIME_OPEN,
		.currency = "USD", .currency_exponent = 2,
		.categories = cats, .n_categories = 4, .commission_default_bp = 800,
		.payment_fee_bp = 150, .pickup_fixed = 500, .pickup_per_kg = 120,
		.inbound_op_per_unit = 30, .outbound_op_per_unit = 45,
		.storage_per_m3_day = 150, .return_handling_per_unit = 200,
	};
	return s;
}

static struct fee_policy policy(enum fee_mode mode)
{
	struct fee_policy p;
	ck_assert_int_eq(fee_policy_defaults(mode, &p), 0);
	p.id = 10 + (int64_t)mode;
	p.valid_from = T0;
	return p;
}

static struct wms_settle_order order_of(const struct wms_settle_line *lines, size_t n,
                                        int64_t outstanding)
{
	struct wms_settle_order o = {.ref = "MP-1001", .at = T0 + 60, .currency = "USD",
	                             .advance_outstanding = outstanding, .lines = lines,
	                             .n_lines = n};
	for (size_t i = 0; i < n; i++)
		o.amount_paid += lines[i].qty * lines[i].unit_price;
	return o;
}

/* Settles o under mode's default policy; the lines' sum must be the net payable. */
static size_t settle(enum fee_mode mode, const struct wms_settle_order *o, struct fee_line *out,
                     int32_t *line_of, struct wms_settlement *sum)
{
	struct fee_policy p = policy(mode);
	struct fee_schedule s = schedule();
	struct fee_error err;
	size_t n = 99;
	int rc = wms_settle_order(&p, &s, o, out, line_of, MAX_OUT, &n, sum, &err);
	ck_assert_msg(rc == 0, "wms_settle_order failed: %s", err.msg);
	int64_t delta = 0;
	for (size_t i = 0; i < n; i++)
		delta += fee_line_seller_delta(&out[i]);
	ck_assert_int_eq(delta, sum->net_payable);
	ck_assert_int_eq(sum->refunded + sum->released, o->amount_paid);
	return n;
}

static enum fee_status settle_fails(enum fee_mode mode, const struct wms_settle_order *o,
                                    size_t cap)
{
	struct fee_policy p = policy(mode);
	struct fee_schedule s = schedule();
	struct fee_line out[MAX_OUT];
	struct wms_settlement sum;
	struct fee_error err = {FEE_OK, ""};
	size_t n = 99;
	ck_assert_int_eq(wms_settle_order(&p, &s, o, out, NULL, cap, &n, &sum, &err), -1);
	ck_assert_uint_eq(n, 0);
	ck_assert(err.msg[0] != '\0');
	return err.code;
}

static void assert_line(const struct fee_line *l, enum fee_type t, enum fee_treatment tr,
                        const char *sku, int64_t gross, int64_t net)
{
	ck_assert_str_eq(fee_type_name(l->type), fee_type_name(t));
	ck_assert_str_eq(fee_treatment_name(l->treatment), fee_treatment_name(tr));
	ck_assert_str_eq(l->sku, sku);
	ck_assert_int_eq(l->gross, gross);
	ck_assert_int_eq(l->net, net);
	ck_assert_int_eq(l->waived, gross - net);
}

START_TEST(pop_order_pays_each_line_less_commission_and_payment_fee)
{
	/* 2 × 25.00 electronics, 1 × 19.99 fashion */
	static const struct wms_settle_line lines[] = {
		{1, "EB-100", "electronics", 2, 0, 2500, 0, 0},
		{2, "SCARF-1", "fashion", 1, 0, 1999, 0, 0},
	};
	struct wms_settle_order o = order_of(lines, 2, 0);
	struct fee_line l[MAX_OUT];
	int32_t of[MAX_OUT];
	struct wms_settlement s;
	ck_assert_uint_eq(settle(FEE_MODE_POP, &o, l, of, &s), 6);
	assert_line(&l[0], FEE_SALE_PROCEEDS, FEE_CHARGED, "EB-100", 5000, 5000);
	ck_assert_str_eq(l[0].reason, "sale of 2 × EB-100, order MP-1001: sale proceeds 2 units × "
	                              "25.00 USD = 50.00 USD");
	assert_line(&l[1], FEE_COMMISSION, FEE_CHARGED, "EB-100", 250, 250);
	ck_assert_str_eq(l[1].reason, "sale of 2 × EB-100, order MP-1001: commission 5.00% of "
	                              "50.00 USD = 2.50 USD");
	assert_line(&l[2], FEE_PAYMENT, FEE_CHARGED, "EB-100", 75, 75);
	/* 12% of 19.99 = 2.3988 → 2.40; 1.5% of 19.99 = 0.29985 → 0.30 */
	assert_line(&l[3], FEE_SALE_PROCEEDS, FEE_CHARGED, "SCARF-1", 1999, 1999);
	assert_line(&l[4], FEE_COMMISSION, FEE_CHARGED, "SCARF-1", 240, 240);
	assert_line(&l[5], FEE_PAYMENT, FEE_CHARGED, "SCARF-1", 30, 30);
	ck_assert_int_eq(of[0], 1);
	ck_assert_int_eq(of[5], 2);
	ck_assert_int_eq(s.sale_amount, 6999);
	ck_assert_int_eq(s.fees, 595);
	ck_assert_int_eq(s.saved, 0);
	ck_assert_int_eq(s.recovered, 0);
	ck_assert_int_eq(s.net_payable, 6404);
	ck_assert_int_eq(s.released, 6999);
	ck_assert_int_eq(s.refunded, 0);
	ck_assert_int_eq(s.units_shipped, 3);
}
END_TEST

START_TEST(advance_is_recovered_line_after_line_and_never_beyond_it)
{
	/* semi_warehouse, 90.00 outstanding: line 1 3 × 25.00 = 75.00, payment 1.125 → 1.12,
	 * proceeds 73.88 all recovered (16.12 left); line 2 2 × 12.00 = 24.00, payment 0.36,
	 * proceeds 23.64, 16.12 recovered (repaid), 7.52 paid */
	static const struct wms_settle_line lines[] = {
		{1, "EB-100", "electronics", 3, 0, 2500, 0, 0},
		{2, "CBL-USB", "accessories", 2, 0, 1200, 0, 0},
	};
	struct wms_settle_order o = order_of(lines, 2, 9000);
	struct fee_line l[MAX_OUT];
	int32_t of[MAX_OUT];
	struct wms_settlement s;
	ck_assert_uint_eq(settle(FEE_MODE_SEMI_WAREHOUSE, &o, l, of, &s), 9);
	assert_line(&l[1], FEE_COMMISSION, FEE_WAIVED, "EB-100", 375, 0);
	assert_line(&l[2], FEE_PAYMENT, FEE_CHARGED, "EB-100", 112, 112);
	assert_line(&l[3], FEE_ADVANCE_RECOVERY, FEE_CHARGED, "EB-100", 7388, 7388);
	ck_assert_str_eq(l[3].reason, "sale of 3 × EB-100, order MP-1001: advance recovery 100% of "
	                              "net proceeds 73.88 USD = 73.88 USD; outstanding after: "
	                              "16.12 USD");
	assert_line(&l[5], FEE_COMMISSION, FEE_WAIVED, "CBL-USB", 240, 0);
	assert_line(&l[6], FEE_PAYMENT, FEE_CHARGED, "CBL-USB", 36, 36);
	assert_line(&l[7], FEE_ADVANCE_RECOVERY, FEE_CHARGED, "CBL-USB", 1612, 1612);
	assert_line(&l[8], FEE_OUTBOUND_OPERATION, FEE_WAIVED, "", 225, 0);
	ck_assert_str_eq(l[8].reason, "order MP-1001: outbound operation fee 5 units × 0.45 USD = "
	                              "2.25 USD, waived: semi-managed warehouse policy v1");
	ck_assert_int_eq(of[8], 0);
	ck_assert_int_eq(s.sale_amount, 9900);
	ck_assert_int_eq(s.fees, 148);
	ck_assert_int_eq(s.saved, 375 + 240 + 225);
	ck_assert_int_eq(s.recovered, 9000);
	ck_assert_int_eq(s.advance_outstanding_after, 0);
	ck_assert_int_eq(s.net_payable, 752);
}
END_TEST

START_TEST(short_units_are_refunded_and_not_sold)
{
	/* 4 × 12.50 home, 1 short: 3 sold = 37.50, commission 3.00 exempt, payment 0.5625 →
	 * 0.56; 12.50 back to the buyer */
	static const struct wms_settle_line lines[] = {{1, "MUG-02", "home", 4, 1, 1250, 0, 0}};
	struct wms_settle_order o = order_of(lines, 1, 0);
	struct fee_line l[MAX_OUT];
	struct wms_settlement s;
	ck_assert_uint_eq(settle(FEE_MODE_SEMI_WAREHOUSE, &o, l, NULL, &s), 4);
	assert_line(&l[0], FEE_SALE_PROCEEDS, FEE_CHARGED, "MUG-02", 3750, 3750);
	ck_assert_str_eq(l[0].reason, "sale of 3 of 4 × MUG-02 (1 short), order MP-1001: sale "
	                              "proceeds 3 units × 12.50 USD = 37.50 USD");
	assert_line(&l[1], FEE_COMMISSION, FEE_WAIVED, "MUG-02", 300, 0);
	assert_line(&l[2], FEE_PAYMENT, FEE_CHARGED, "MUG-02", 56, 56);
	assert_line(&l[3], FEE_OUTBOUND_OPERATION, FEE_WAIVED, "", 135, 0);
	ck_assert_int_eq(s.refunded, 1250);
	ck_assert_int_eq(s.released, 3750);
	ck_assert_int_eq(s.net_payable, 3694);
	ck_assert_int_eq(s.units_shipped, 3);
}
END_TEST

START_TEST(line_with_nothing_shipped_has_no_lines)
{
	static const struct wms_settle_line lines[] = {
		{1, "A", "home", 2, 2, 1000, 0, 0},
		{2, "B", "home", 1, 0, 1000, 0, 0},
	};
	struct wms_settle_order o = order_of(lines, 2, 0);
	struct fee_line l[MAX_OUT];
	int32_t of[MAX_OUT];
	struct wms_settlement s;
	ck_assert_uint_eq(settle(FEE_MODE_POP, &o, l, of, &s), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(of[i], 2);
		ck_assert_str_eq(l[i].sku, "B");
	}
	ck_assert_int_eq(s.refunded, 2000);
	ck_assert_int_eq(s.sale_amount, 1000);
}
END_TEST

START_TEST(full_order_pays_supply_prices_and_the_platform_bears_the_outbound_fee)
{
	/* 2 × (40.00 retail, 25.00 supply) and 3 × (10.00, 6.00) with 1 short */
	static const struct wms_settle_line lines[] = {
		{1, "SPK-200", "electronics", 2, 0, 4000, 2500, 0},
		{2, "CBL-USB", "accessories", 3, 1, 1000, 600, 0},
	};
	struct wms_settle_order o = order_of(lines, 2, 0);
	struct fee_line l[MAX_OUT];
	struct wms_settlement s;
	ck_assert_uint_eq(settle(FEE_MODE_FULL, &o, l, NULL, &s), 3);
	assert_line(&l[0], FEE_SUPPLY_PAYMENT, FEE_CHARGED, "SPK-200", 5000, 5000);
	assert_line(&l[1], FEE_SUPPLY_PAYMENT, FEE_CHARGED, "CBL-USB", 1200, 1200);
	assert_line(&l[2], FEE_OUTBOUND_OPERATION, FEE_PLATFORM_BORNE, "", 180, 0);
	ck_assert_str_eq(l[2].reason, "order MP-1001: outbound operation fee 4 units × 0.45 USD = "
	                              "1.80 USD, borne by the platform: fully managed policy v1");
	ck_assert_int_eq(s.sale_amount, 6200);
	ck_assert_int_eq(s.fees, 0);
	ck_assert_int_eq(s.saved, 180);
	ck_assert_int_eq(s.net_payable, 6200);
	ck_assert_int_eq(s.refunded, 1000);
	ck_assert_int_eq(s.released, 10000);
}
END_TEST

START_TEST(outbound_fee_follows_the_mode)
{
	static const struct wms_settle_line lines[] = {{1, "A", NULL, 2, 0, 1000, 500, 0}};
	struct wms_settle_order o = order_of(lines, 1, 0);
	struct fee_line l[MAX_OUT];
	struct wms_settlement s;
	/* pop: the seller ships, no outbound operation */
	size_t n = settle(FEE_MODE_POP, &o, l, NULL, &s);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_ne(l[i].type, FEE_OUTBOUND_OPERATION);
	/* semi_jit: charged (default commission 8%, halved) */
	n = settle(FEE_MODE_SEMI_JIT, &o, l, NULL, &s);
	assert_line(&l[n - 1], FEE_OUTBOUND_OPERATION, FEE_CHARGED, "", 90, 90);
	assert_line(&l[1], FEE_COMMISSION, FEE_REDUCED, "A", 160, 80);
	ck_assert_int_eq(s.fees, 80 + 30 + 90);
	ck_assert_int_eq(s.net_payable, 2000 - 200);
	n = settle(FEE_MODE_SEMI_WAREHOUSE, &o, l, NULL, &s);
	assert_line(&l[n - 1], FEE_OUTBOUND_OPERATION, FEE_WAIVED, "", 90, 0);
	n = settle(FEE_MODE_FULL, &o, l, NULL, &s);
	assert_line(&l[n - 1], FEE_OUTBOUND_OPERATION, FEE_PLATFORM_BORNE, "", 90, 0);
}
END_TEST

START_TEST(order_in_another_currency_is_refused)
{
	static const struct wms_settle_line lines[] = {{1, "A", "home", 1, 0, 1000, 0, 0}};
	struct wms_settle_order o = order_of(lines, 1, 0);
	memcpy(o.currency, "EUR", 4);
	struct fee_policy p = policy(FEE_MODE_POP);
	struct fee_schedule sc = schedule();
	struct fee_line out[MAX_OUT];
	struct wms_settlement s;
	struct fee_error err;
	size_t n = 99;
	ck_assert_int_eq(wms_settle_order(&p, &sc, &o, out, NULL, MAX_OUT, &n, &s, &err), -1);
	ck_assert_int_eq(err.code, FEE_ECURRENCY);
	ck_assert_str_eq(err.msg, "order MP-1001 is in EUR; the fee schedule in force (v1) is in "
	                          "USD, and amounts are not converted");
}
END_TEST

START_TEST(impossible_orders_are_refused)
{
	struct wms_settle_line lines[] = {{1, "A", "home", 2, 3, 1000, 0, 0}};
	struct wms_settle_order o = order_of(lines, 1, 0);
	ck_assert_int_eq(settle_fails(FEE_MODE_POP, &o, MAX_OUT), FEE_EINVAL); /* short > qty */
	lines[0].short_qty = 1;
	o.amount_paid = 999; /* the short unit is worth more than was paid */
	ck_assert_int_eq(settle_fails(FEE_MODE_POP, &o, MAX_OUT), FEE_EINVAL);
	o = order_of(lines, 1, -1);
	ck_assert_int_eq(settle_fails(FEE_MODE_POP, &o, MAX_OUT), FEE_EINVAL);
	o = order_of(lines, 1, 0);
	ck_assert_int_eq(settle_fails(FEE_MODE_SEMI_WAREHOUSE, &o, 3), FEE_ENOSPACE);
	/* 3 × (INT64_MAX / 2) leaves int64 */
	static const struct wms_settle_line big[] = {{1, "A", "home", 3, 0, INT64_MAX / 2, 0, 0}};
	struct wms_settle_order ob = {.ref = "MP-1001", .at = T0 + 60, .currency = "USD",
	                              .amount_paid = INT64_MAX, .lines = big, .n_lines = 1};
	ck_assert_int_eq(settle_fails(FEE_MODE_POP, &ob, MAX_OUT), FEE_EOVERFLOW);
	ck_assert_uint_eq(wms_settle_max_lines(3), 3 * FEE_SALE_MAX_LINES + 1);
}
END_TEST

/* Random orders in every mode: the lines sum to the totals; each line's recovery is the
 * smaller of its proceeds and what the lines before it left of the advance, so the order
 * recovers min(advance, Σ proceeds) — computed here from the lines alone. */
START_TEST(random_orders_add_up_and_recover_no_more_than_the_advance)
{
	unsigned seed = 20261122;
	for (int round = 0; round < 3000; round++) {
		struct wms_settle_line lines[6];
		static const char *const categories[] = {"electronics", "accessories", "home",
		                                         "fashion", "toys", NULL};
		size_t n = 1 + (size_t)(rand_r(&seed) % 6);
		for (size_t i = 0; i < n; i++) {
			int64_t qty = 1 + rand_r(&seed) % 20;
			lines[i] = (struct wms_settle_line){
				.line_no = (int32_t)i + 1, .sku = "SKU", .category = categories[rand_r(&seed) % 6],
				.qty = qty, .short_qty = rand_r(&seed) % 4 == 0 ? rand_r(&seed) % (qty + 1) : 0,
				.unit_price = rand_r(&seed) % 100000, .supply_price = rand_r(&seed) % 60000};
		}
		enum fee_mode mode = (enum fee_mode)(rand_r(&seed) % FEE_MODE_COUNT);
		int64_t advance = rand_r(&seed) % 3 ? rand_r(&seed) % 200000 : 0;
		struct wms_settle_order o = order_of(lines, n, advance);
		struct fee_line l[MAX_OUT];
		int32_t of[MAX_OUT];
		struct wms_settlement s;
		size_t got = settle(mode, &o, l, of, &s);
		int64_t credits = 0, fees = 0, recovered = 0, proceeds = 0, shipped = 0, refunded = 0;
		for (size_t i = 0; i < n; i++) {
			shipped += lines[i].qty - lines[i].short_qty;
			refunded += lines[i].short_qty * lines[i].unit_price;
		}
		for (size_t i = 0; i < got; i++) {
			ck_assert_int_eq(l[i].gross - l[i].waived, l[i].net);
			if (l[i].direction == FEE_CREDIT)
				credits += l[i].net;
			else if (l[i].type == FEE_ADVANCE_RECOVERY)
				recovered += l[i].net;
			else
				fees += l[i].net;
			if (of[i] != 0 && l[i].type != FEE_ADVANCE_RECOVERY)
				proceeds += fee_line_seller_delta(&l[i]);
		}
		ck_assert_int_eq(credits, s.sale_amount);
		ck_assert_int_eq(fees, s.fees);
		ck_assert_int_eq(recovered, s.recovered);
		ck_assert_int_eq(s.units_shipped, shipped);
		ck_assert_int_eq(s.refunded, refunded);
		ck_assert_int_eq(s.advance_outstanding_after, o.advance_outstanding - s.recovered);
		/* every line's proceeds are >= 0 at these rates, so recovery is the smaller sum */
		int64_t want = proceeds < o.advance_outstanding ? proceeds : o.advance_outstanding;
		ck_assert_int_eq(s.recovered, want);
		if (mode != FEE_MODE_FULL)
			ck_assert_int_eq(s.sale_amount, s.released);
	}
}
END_TEST

Suite *settle_suite(void);
Suite *settle_suite(void)
{
	Suite *s = suite_create("settle");
	TCase *tc = tcase_create("order");
	tcase_add_test(tc, pop_order_pays_each_line_less_commission_and_payment_fee);
	tcase_add_test(tc, advance_is_recovered_line_after_line_and_never_beyond_it);
	tcase_add_test(tc, short_units_are_refunded_and_not_sold);
	tcase_add_test(tc, line_with_nothing_shipped_has_no_lines);
	tcase_add_test(tc, full_order_pays_supply_prices_and_the_platform_bears_the_outbound_fee);
	tcase_add_test(tc, outbound_fee_follows_the_mode);
	tcase_add_test(tc, order_in_another_currency_is_refused);
	tcase_add_test(tc, impossible_orders_are_refused);
	tcase_add_test(tc, random_orders_add_up_and_recover_no_more_than_the_advance);
	suite_add_tcase(s, tc);
	return s;
}
