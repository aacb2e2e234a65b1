/* settle.c — settling a delivered order (see settle.h). */
#include "wms/settle.h"

#include <stdio.h>
#include <string.h>

size_t wms_settle_max_lines(size_t n_lines)
{
	return n_lines * FEE_SALE_MAX_LINES + 1;
}

/* Puts context ("sale of 2 × EB-100, order MP-1001") before the engine's reason of l. A
 * reason too long for its buffer is cut, as the engine's own are, but never inside a UTF-8
 * character (the ledger stores text). */
static void reason_prefix(struct fee_line *l, const char *context)
{
	char tmp[FEE_REASON_MAX * 2];
	size_t len = (size_t)snprintf(tmp, sizeof tmp, "%s: %s", context, l->reason);
	if (len >= sizeof l->reason) {
		len = sizeof l->reason - 1;
		while (len > 0 && ((unsigned char)tmp[len] & 0xC0) == 0x80)
			len--; /* tmp[len] continues a character: cut before the character */
	}
	memcpy(l->reason, tmp, len);
	l->reason[len] = '\0';
}

/* Adds l to the totals' fees and savings when it is a fee (a debit other than the
 * advance recovery, which the sale's own totals count). */
static int count_fee(const struct fee_line *l, struct wms_settlement *s)
{
	if (l->direction != FEE_DEBIT || l->type == FEE_ADVANCE_RECOVERY)
		return 0;
	return money_add(s->saved, l->waived, &s->saved);
}

/* Settles the sale of one order line's shipped units into out[*n..], carrying the advance
 * outstanding in *outstanding. */
static int settle_line(const struct fee_policy *policy, const struct fee_schedule *schedule,
                       const struct wms_settle_order *order, const struct wms_settle_line *ln,
                       struct fee_line *out, int32_t *line_of, size_t cap, size_t *n,
                       int64_t *outstanding, struct wms_settlement *sum, struct fee_error *err)
{
	int64_t shipped = ln->qty - ln->short_qty, short_value, sold;
	struct fee_line lines[FEE_SALE_MAX_LINES];
	struct fee_settlement st;
	size_t got;
	char context[256];
	const char *sku = ln->sku ? ln->sku : "";

	if (ln->qty < 0 || ln->short_qty < 0 || ln->short_qty > ln->qty || ln->unit_price < 0 ||
	    ln->supply_price < 0 || ln->escrow_refunded < 0 || ln->escrow_refunded > shipped)
		return fee_fail(err, FEE_EINVAL,
		            "order %.64s line %d: negative quantity or price, or short above qty",
		            order->ref, (int)ln->line_no);
	if (money_mul(ln->short_qty, ln->unit_price, &short_value) != 0 ||
	    money_add(sum->refunded, short_value, &sum->refunded) != 0 ||
	    money_add(sum->units_shipped, shipped, &sum->units_shipped) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "order %.64s line %d: amounts overflow", order->ref,
		            (int)ln->line_no);
	sold = shipped - ln->escrow_refunded;
	if (sold == 0)
		return 0;

	struct fee_sale sale = {
		.at = order->at,
		.category = ln->category,
		.unit_price = ln->unit_price,
		.quantity = sold,
		.supply_price = ln->supply_price,
		.advance_outstanding = *outstanding,
	};
	memcpy(sale.currency, order->currency, MONEY_CODE_LEN);
	if (fee_settle_sale(policy, schedule, &sale, lines, FEE_SALE_MAX_LINES, &got, &st, err) != 0)
		return -1;
	if (cap - *n < got)
		return fee_fail(err, FEE_ENOSPACE, "order %.64s: output array too small", order->ref);
	if (ln->escrow_refunded > 0)
		snprintf(context, sizeof context, "sale of %lld of %lld × %.64s (%lld short, %lld "
		         "refunded), order %.64s", (long long)sold, (long long)ln->qty, sku,
		         (long long)ln->short_qty, (long long)ln->escrow_refunded, order->ref);
	else if (ln->short_qty > 0)
		snprintf(context, sizeof context, "sale of %lld of %lld × %.64s (%lld short), order %.64s",
		         (long long)shipped, (long long)ln->qty, sku, (long long)ln->short_qty,
		         order->ref);
	else
		snprintf(context, sizeof context, "sale of %lld × %.64s, order %.64s",
		         (long long)shipped, sku, order->ref);
	for (size_t i = 0; i < got; i++) {
		struct fee_line *l = &out[*n];
		*l = lines[i];
		snprintf(l->sku, sizeof l->sku, "%s", sku);
		reason_prefix(l, context);
		if (line_of)
			line_of[*n] = ln->line_no;
		if (count_fee(l, sum) != 0)
			return fee_fail(err, FEE_EOVERFLOW, "order %.64s: savings overflow", order->ref);
		(*n)++;
	}
	if (money_add(sum->sale_amount, st.sale_amount, &sum->sale_amount) != 0 ||
	    money_add(sum->fees, st.fees, &sum->fees) != 0 ||
	    money_add(sum->recovered, st.recovered, &sum->recovered) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "order %.64s: totals overflow", order->ref);
	*outstanding = st.advance_outstanding_after;
	return 0;
}

/* The order's outbound operation fee over the units shipped into out[*n..]. */
static int settle_outbound(const struct fee_policy *policy, const struct fee_schedule *schedule,
                           const struct wms_settle_order *order, struct fee_line *out,
                           int32_t *line_of, size_t cap, size_t *n, struct wms_settlement *sum,
                           struct fee_error *err)
{
	struct fee_event ev = {.kind = FEE_EVENT_OUTBOUND, .at = order->at};
	struct fee_line l;
	size_t got;
	char context[96];
	ev.units.units = sum->units_shipped;
	if (fee_compute(policy, schedule, &ev, &l, 1, &got, err) != 0)
		return -1;
	if (got == 0)
		return 0;
	if (cap - *n < 1)
		return fee_fail(err, FEE_ENOSPACE, "order %.64s: output array too small", order->ref);
	snprintf(context, sizeof context, "order %.64s", order->ref);
	reason_prefix(&l, context);
	out[*n] = l;
	if (line_of)
		line_of[*n] = 0;
	(*n)++;
	if (money_add(sum->fees, l.net, &sum->fees) != 0 || count_fee(&l, sum) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "order %.64s: totals overflow", order->ref);
	return 0;
}

int wms_settle_order(const struct fee_policy *policy, const struct fee_schedule *schedule,
                     const struct wms_settle_order *order, struct fee_line *out,
                     int32_t *line_of, size_t cap, size_t *n_out, struct wms_settlement *sum,
                     struct fee_error *err)
{
	struct wms_settlement s = {0};
	int64_t outstanding = order->advance_outstanding;
	size_t n = 0;

	*n_out = 0;
	if (err != NULL) {
		err->code = FEE_OK;
		err->msg[0] = '\0';
	}
	if (strcmp(order->currency, schedule->currency) != 0)
		return fee_fail(err, FEE_ECURRENCY,
		            "order %.64s is in %.3s; the fee schedule in force (v%d) is in %s, and "
		            "amounts are not converted",
		            order->ref, order->currency, (int)schedule->version, schedule->currency);
	if (order->amount_paid < 0 || order->advance_outstanding < 0 || order->refunded_before < 0)
		return fee_fail(err, FEE_EINVAL, "order %.64s: negative amount paid or advance",
		            order->ref);
	if (order->n_lines > 0 && order->lines == NULL)
		return fee_fail(err, FEE_EINVAL, "order %.64s: lines missing", order->ref);
	for (size_t i = 0; i < order->n_lines; i++)
		if (settle_line(policy, schedule, order, &order->lines[i], out, line_of, cap, &n,
		                &outstanding, &s, err) != 0)
			return -1;
	if (settle_outbound(policy, schedule, order, out, line_of, cap, &n, &s, err) != 0)
		return -1;
	if (money_add(s.refunded, order->refunded_before, &s.refunded) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "order %.64s: refunds overflow", order->ref);
	if (s.refunded > order->amount_paid)
		return fee_fail(err, FEE_EINVAL, "order %.64s: its short units are worth %lld, more than "
		            "the %lld paid", order->ref, (long long)s.refunded,
		            (long long)order->amount_paid);
	s.released = order->amount_paid - s.refunded;
	if (money_sub(s.sale_amount, s.fees, &s.net_payable) != 0 ||
	    money_sub(s.net_payable, s.recovered, &s.net_payable) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "order %.64s: net payable overflows", order->ref);
	s.advance_outstanding_after = outstanding;
	*sum = s;
	*n_out = n;
	return 0;
}
