/* check_claim.c — wms/claim.h and wms/refund.h: when a claim may be opened, the explained
 * decision between a refund without return and a return, the claim state table, how much a
 * refund may give and the seller-ledger lines by source and liability. The schedule is the
 * seeded one (return handling 2.00 a unit). */
#include <check.h>
#include <string.h>

#include "wms/claim.h"
#include "wms/refund.h"

#define T0 INT64_C(1700000000)

static struct fee_schedule schedule(void)
{
	struct fee_schedule s = {
		.id = 1, .version = 1, .valid_from = T0, .valid_to = FEE_TIME_OPEN,
		.currency = "USD", .currency_exponent = 2, .commission_default_bp = 800,
		.payment_fee_bp = 150, .return_handling_per_unit = 200,
	};
	return s;
}

static struct fee_policy policy(enum fee_mode mode)
{
	struct fee_policy p;
	ck_assert_int_eq(fee_policy_defaults(mode, &p), 0);
	p.valid_from = T0;
	return p;
}

static enum wms_claim_refusal check(enum wms_claim_kind k, const char *state, int64_t deadline,
                                    int64_t now, int64_t units)
{
	char why[300];
	struct wms_claim_order o = {.state = state, .deadline = deadline, .placed_at = T0,
	                            .now = now, .qty = 3, .short_qty = 0, .claimed = 0};
	return wms_claim_check(k, &o, units, why, sizeof why);
}

START_TEST(not_received_opens_at_the_deadline_plus_the_grace)
{
	int64_t dl = T0 + 86400 * 5, open = dl + WMS_CLAIM_NOT_RECEIVED_GRACE_S;
	ck_assert_int_eq(check(WMS_CLAIM_NOT_RECEIVED, "shipped", dl, open - 1, 1),
	                 WMS_CLAIM_TOO_EARLY);
	ck_assert_int_eq(check(WMS_CLAIM_NOT_RECEIVED, "shipped", dl, open, 1), WMS_CLAIM_OK);
	ck_assert_int_eq(check(WMS_CLAIM_NOT_RECEIVED, "packed", dl, open, 1), WMS_CLAIM_OK);
	/* without a promise record (pop): placed_at + 10 days */
	ck_assert_int_eq(check(WMS_CLAIM_NOT_RECEIVED, "shipped", 0,
	                       T0 + WMS_CLAIM_POP_PROMISE_S + WMS_CLAIM_NOT_RECEIVED_GRACE_S - 1, 1),
	                 WMS_CLAIM_TOO_EARLY);
	ck_assert_int_eq(check(WMS_CLAIM_NOT_RECEIVED, "shipped", 0,
	                       T0 + WMS_CLAIM_POP_PROMISE_S + WMS_CLAIM_NOT_RECEIVED_GRACE_S, 1),
	                 WMS_CLAIM_OK);
	/* confirmed receipt, or never started: refused whatever the time */
	ck_assert_int_eq(check(WMS_CLAIM_NOT_RECEIVED, "delivered", dl, open, 1),
	                 WMS_CLAIM_WRONG_STATE);
	ck_assert_int_eq(check(WMS_CLAIM_NOT_RECEIVED, "allocated", dl, open, 1),
	                 WMS_CLAIM_WRONG_STATE);
	/* tracking first: delivered by the carrier refuses; returned to the sender opens at once */
	char why[300];
	struct wms_claim_order o = {.state = "shipped", .deadline = dl, .now = open,
	                            .qty = 1, .carrier_delivered = true};
	ck_assert_int_eq(wms_claim_check(WMS_CLAIM_NOT_RECEIVED, &o, 1, why, sizeof why),
	                 WMS_CLAIM_WRONG_STATE);
	o = (struct wms_claim_order){.state = "shipped", .deadline = dl, .now = T0, .qty = 1,
	                             .returned_to_sender = true};
	ck_assert_int_eq(wms_claim_check(WMS_CLAIM_NOT_RECEIVED, &o, 1, why, sizeof why),
	                 WMS_CLAIM_OK);
	ck_assert_int_eq(wms_claim_check(WMS_CLAIM_NOT_RECEIVED, &o, 2, why, sizeof why),
	                 WMS_CLAIM_OVER);
}
END_TEST

START_TEST(damage_is_claimed_once_the_parcel_left_and_never_beyond_the_line)
{
	char why[300];
	ck_assert_int_eq(check(WMS_CLAIM_DAMAGED, "packed", 0, T0, 1), WMS_CLAIM_WRONG_STATE);
	ck_assert_int_eq(check(WMS_CLAIM_DAMAGED, "shipped", 0, T0, 1), WMS_CLAIM_OK);
	ck_assert_int_eq(check(WMS_CLAIM_NOT_AS_DESCRIBED, "delivered", 0, T0, 3), WMS_CLAIM_OK);
	struct wms_claim_order o = {.state = "delivered", .now = T0, .qty = 5, .short_qty = 1,
	                            .claimed = 2};
	ck_assert_int_eq(wms_claim_check(WMS_CLAIM_DAMAGED, &o, 2, why, sizeof why), WMS_CLAIM_OK);
	ck_assert_int_eq(wms_claim_check(WMS_CLAIM_DAMAGED, &o, 3, why, sizeof why), WMS_CLAIM_OVER);
	ck_assert_str_eq(why, "3 units claimed; the line has 2 left to claim (5 ordered, 1 short, 2 "
	                      "on earlier claims)");
	ck_assert_int_eq(wms_claim_check(WMS_CLAIM_DAMAGED, &o, 0, why, sizeof why), WMS_CLAIM_OVER);
}
END_TEST

static struct wms_claim_costs costs(int64_t price, int64_t units, int32_t bp, int64_t route)
{
	struct wms_claim_costs c = {.unit_price = price, .units = units, .recovery_bp = bp,
	                            .has_route = route >= 0, .route_cost = route,
	                            .handling_per_unit = 200, .currency = "USD",
	                            .currency_exponent = 2, .no_route_why = "no returns centre"};
	return c;
}

START_TEST(a_return_only_when_its_recovery_beats_the_way_back)
{
	struct wms_claim_decision d;
	/* 2 × 10.00 at 70% = 14.00 against 3.15 + 2 × 2.00 = 7.15: return */
	struct wms_claim_costs c = costs(1000, 2, 7000, 315);
	ck_assert_int_eq(wms_claim_decide(WMS_CLAIM_NOT_AS_DESCRIBED, &c, true, &d), 0);
	ck_assert_int_eq(d.kind, WMS_CLAIM_RETURN);
	ck_assert_int_eq(d.value, 2000);
	ck_assert_int_eq(d.recovery, 1400);
	ck_assert_int_eq(d.cost, 715);
	ck_assert_str_eq(d.why, "return: recovering 14.00 USD (20.00 USD × 70.00%) is worth more "
	                        "than bringing it back for 7.15 USD (reverse route 3.15 USD + "
	                        "handling 4.00 USD)");
	/* equal is not worth it */
	c = costs(1000, 1, 5150, 315);
	ck_assert_int_eq(wms_claim_decide(WMS_CLAIM_DAMAGED, &c, true, &d), 0);
	ck_assert_int_eq(d.recovery, 515);
	ck_assert_int_eq(d.kind, WMS_CLAIM_REFUND_WITHOUT_RETURN);
	ck_assert_int_eq(d.liability, WMS_LIABLE_CARRIER);
	/* no way back */
	c = costs(100000, 1, 9000, -1);
	ck_assert_int_eq(wms_claim_decide(WMS_CLAIM_NOT_AS_DESCRIBED, &c, true, &d), 0);
	ck_assert_int_eq(d.kind, WMS_CLAIM_REFUND_WITHOUT_RETURN);
	ck_assert_int_eq(d.liability, WMS_LIABLE_SELLER);
	ck_assert_ptr_nonnull(strstr(d.why, "no returns centre"));
	/* not received: nothing comes back; who lost it */
	c = costs(100000, 1, 9000, 100);
	ck_assert_int_eq(wms_claim_decide(WMS_CLAIM_NOT_RECEIVED, &c, false, &d), 0);
	ck_assert_int_eq(d.kind, WMS_CLAIM_REFUND_WITHOUT_RETURN);
	ck_assert_int_eq(d.liability, WMS_LIABLE_WAREHOUSE);
	c = costs(-1, 1, 9000, 100);
	ck_assert_int_eq(wms_claim_decide(WMS_CLAIM_DAMAGED, &c, true, &d), -1);
}
END_TEST

START_TEST(claim_states_freeze_the_escrow_until_closed)
{
	char buf[64];
	ck_assert(wms_claim_freezes(WMS_CLAIM_AWAITING_RETURN));
	ck_assert(wms_claim_freezes(WMS_CLAIM_INSPECTING));
	ck_assert(!wms_claim_freezes(WMS_CLAIM_CLOSED));
	ck_assert_int_eq(wms_claim_allowed_pg_array(WMS_CLAIM_DO_RECEIVE, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{awaiting_return}");
	ck_assert_int_eq(wms_claim_target(WMS_CLAIM_DO_RECEIVE), WMS_CLAIM_INSPECTING);
	ck_assert_int_eq(wms_claim_allowed_pg_array(WMS_CLAIM_DO_CLOSE, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{inspecting}");
	ck_assert_int_eq(wms_claim_allowed_pg_array(WMS_CLAIM_DO_CLOSE, buf, 5), -1);
}
END_TEST

START_TEST(a_refund_never_gives_more_than_is_left_of_the_payment)
{
	int64_t a;
	ck_assert_int_eq(wms_refund_outcome(2500, 5000, WMS_LIABLE_SELLER, &a), WMS_REFUND_ISSUED);
	ck_assert_int_eq(a, 2500);
	ck_assert_int_eq(wms_refund_outcome(2500, 1000, WMS_LIABLE_CARRIER, &a), WMS_REFUND_PARTIAL);
	ck_assert_int_eq(a, 1000);
	ck_assert_int_eq(wms_refund_outcome(2500, 0, WMS_LIABLE_SELLER, &a), WMS_REFUND_FAILED);
	ck_assert_int_eq(a, 0);
	ck_assert_int_eq(wms_refund_outcome(2500, 5000, WMS_LIABLE_BUYER, &a), WMS_REFUND_FAILED);
	ck_assert_int_eq(a, 0);
	/* any sequence of refunds adds up to at most what was paid */
	int64_t paid = 7777, left = paid, total = 0;
	for (int i = 1; i < 40; i++) {
		wms_refund_outcome(i * 97, left, WMS_LIABLE_SELLER, &a);
		ck_assert(a >= 0 && a <= left);
		left -= a;
		total += a;
	}
	ck_assert_int_eq(total, paid);
}
END_TEST

static size_t lines(struct wms_refund_in *in, struct fee_line *out)
{
	size_t n;
	struct fee_error e;
	strcpy(in->currency, "USD");
	in->currency_exponent = 2;
	in->ref = "MP-1";
	in->sku = "EB-100";
	in->kind = "damaged";
	ck_assert_int_eq(wms_refund_lines(in, out, WMS_REFUND_MAX_LINES, &n, &e), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(out[i].net, out[i].gross - out[i].waived);
	return n;
}

START_TEST(refund_lines_follow_the_source_and_who_is_liable)
{
	struct fee_line l[WMS_REFUND_MAX_LINES];
	struct fee_schedule s = schedule();
	struct fee_policy pop = policy(FEE_MODE_POP), full = policy(FEE_MODE_FULL);
	/* from the escrow, the seller liable: the units are simply not sold */
	struct wms_refund_in in = {.mode = FEE_MODE_POP, .escrow_held = true,
	                           .liability = WMS_LIABLE_SELLER, .units = 1, .amount = 2500,
	                           .unit_price = 2500};
	ck_assert_uint_eq(lines(&in, l), 0);
	/* from the escrow, the carrier liable: the platform pays the seller the units */
	in.liability = WMS_LIABLE_CARRIER;
	ck_assert_uint_eq(lines(&in, l), 1);
	ck_assert_int_eq(l[0].type, FEE_SALE_PROCEEDS);
	ck_assert_int_eq(l[0].direction, FEE_CREDIT);
	ck_assert_int_eq(l[0].net, 2500);
	/* clawed back, the seller liable: proceeds back, commission reversed pro rata (2.50 on
	 * 2 units sold: 1.25), half to even (2.51 → 1.255 → 1.26) */
	in = (struct wms_refund_in){.mode = FEE_MODE_POP, .escrow_held = false,
	                            .liability = WMS_LIABLE_SELLER, .units = 1, .amount = 2500,
	                            .unit_price = 2500, .sold_commission = 251, .sold_units = 2};
	ck_assert_uint_eq(lines(&in, l), 2);
	ck_assert_int_eq(l[0].type, FEE_SALE_PROCEEDS);
	ck_assert_int_eq(l[0].direction, FEE_DEBIT);
	ck_assert_int_eq(l[0].net, 2500);
	ck_assert_int_eq(l[1].type, FEE_COMMISSION);
	ck_assert_int_eq(l[1].direction, FEE_CREDIT);
	ck_assert_int_eq(l[1].net, 126);
	/* clawed back, the carrier liable: shown, borne by the platform */
	in.liability = WMS_LIABLE_CARRIER;
	ck_assert_uint_eq(lines(&in, l), 1);
	ck_assert_int_eq(l[0].treatment, FEE_PLATFORM_BORNE);
	ck_assert_int_eq(l[0].net, 0);
	ck_assert_int_eq(l[0].gross, 2500);
	/* a return: the handling fee, charged to a liable seller in pop... */
	in = (struct wms_refund_in){.mode = FEE_MODE_POP, .escrow_held = true,
	                            .liability = WMS_LIABLE_SELLER, .units = 2, .amount = 5000,
	                            .unit_price = 2500, .returned_units = 2, .policy = &pop,
	                            .schedule = &s, .at = T0 + 1};
	ck_assert_uint_eq(lines(&in, l), 1);
	ck_assert_int_eq(l[0].type, FEE_RETURN_HANDLING);
	ck_assert_int_eq(l[0].net, 400);
	/* ...borne by the platform when the warehouse is liable, and in full by its policy */
	in.liability = WMS_LIABLE_WAREHOUSE;
	ck_assert_uint_eq(lines(&in, l), 2);
	ck_assert_int_eq(l[1].treatment, FEE_PLATFORM_BORNE);
	ck_assert_int_eq(l[1].net, 0);
	in.liability = WMS_LIABLE_SELLER;
	in.mode = FEE_MODE_FULL;
	in.policy = &full;
	in.supply_price = 1800;
	ck_assert_uint_eq(lines(&in, l), 1);
	ck_assert_int_eq(l[0].treatment, FEE_PLATFORM_BORNE);
	/* a buyer-liable unit is not refunded: no money line, the handling shown */
	in.liability = WMS_LIABLE_BUYER;
	in.amount = 0;
	in.escrow_held = false;
	ck_assert_uint_eq(lines(&in, l), 1);
	ck_assert_int_eq(l[0].type, FEE_RETURN_HANDLING);
}
END_TEST

Suite *claim_suite(void);
Suite *claim_suite(void)
{
	Suite *s = suite_create("claim");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, not_received_opens_at_the_deadline_plus_the_grace);
	tcase_add_test(tc, damage_is_claimed_once_the_parcel_left_and_never_beyond_the_line);
	tcase_add_test(tc, a_return_only_when_its_recovery_beats_the_way_back);
	tcase_add_test(tc, claim_states_freeze_the_escrow_until_closed);
	tcase_add_test(tc, a_refund_never_gives_more_than_is_left_of_the_payment);
	tcase_add_test(tc, refund_lines_follow_the_source_and_who_is_liable);
	suite_add_tcase(s, tc);
	return s;
}
