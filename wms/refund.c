/* refund.c — refunds: states, the amount issued, the seller-ledger lines (see refund.h). */
#include "wms/refund.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[WMS_REFUND_STATE_COUNT] = {
	[WMS_REFUND_PENDING] = "pending",
	[WMS_REFUND_ISSUED] = "issued",
	[WMS_REFUND_PARTIAL] = "partial",
	[WMS_REFUND_FAILED] = "failed",
};

const char *wms_refund_state_name(enum wms_refund_state st)
{
	if ((unsigned)st >= WMS_REFUND_STATE_COUNT)
		abort();
	return state_names[st];
}

enum wms_refund_state wms_refund_outcome(int64_t requested, int64_t remaining,
                                         enum wms_liability liability, int64_t *amount)
{
	if (requested < 0)
		requested = 0;
	if (remaining < 0)
		remaining = 0;
	*amount = liability == WMS_LIABLE_BUYER ? 0 : requested < remaining ? requested : remaining;
	if (*amount == 0)
		return requested == 0 && liability != WMS_LIABLE_BUYER ? WMS_REFUND_ISSUED
		                                                       : WMS_REFUND_FAILED;
	return *amount == requested ? WMS_REFUND_ISSUED : WMS_REFUND_PARTIAL;
}

/* A line of type and direction with gross, charged or (platform_borne) net 0, and its
 * reason. */
static void line(struct fee_line *l, const struct wms_refund_in *in, enum fee_type type,
                 enum fee_direction dir, int64_t gross, bool borne, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void line(struct fee_line *l, const struct wms_refund_in *in, enum fee_type type,
                 enum fee_direction dir, int64_t gross, bool borne, const char *fmt, ...)
{
	va_list ap;
	memset(l, 0, sizeof *l);
	l->type = type;
	l->direction = dir;
	l->treatment = borne ? FEE_PLATFORM_BORNE : FEE_CHARGED;
	l->gross = gross;
	l->waived = borne ? gross : 0;
	l->net = gross - l->waived;
	memcpy(l->currency, in->currency, MONEY_CODE_LEN);
	snprintf(l->sku, sizeof l->sku, "%s", in->sku ? in->sku : "");
	va_start(ap, fmt);
	vsnprintf(l->reason, sizeof l->reason, fmt, ap);
	va_end(ap);
}

/* Copies src into a reason buffer, cut (when too long) before a UTF-8 character, never
 * inside one. */
static void copy_reason(char dst[FEE_REASON_MAX], const char *src)
{
	size_t len = strlen(src);
	if (len >= FEE_REASON_MAX) {
		len = FEE_REASON_MAX - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void amount_text(const struct wms_refund_in *in, int64_t v, char out[MONEY_FMT_MAX])
{
	if (money_format(v, in->currency, in->currency_exponent, out, MONEY_FMT_MAX) != 0)
		snprintf(out, MONEY_FMT_MAX, "%lld", (long long)v);
}

int wms_refund_lines(const struct wms_refund_in *in, struct fee_line *out, size_t cap, size_t *n,
                     struct fee_error *err)
{
	const char *sku = in->sku ? in->sku : "";
	const char *ref = in->ref ? in->ref : "";
	const char *kind = in->kind ? in->kind : "claim";
	bool full = in->mode == FEE_MODE_FULL;
	bool seller = in->liability == WMS_LIABLE_SELLER;
	int64_t price = full ? in->supply_price : in->unit_price, value;
	enum fee_type credit_type = full ? FEE_SUPPLY_PAYMENT : FEE_SALE_PROCEEDS;
	char v[MONEY_FMT_MAX], a[MONEY_FMT_MAX];

	*n = 0;
	if (cap < WMS_REFUND_MAX_LINES)
		return fee_fail(err, FEE_ENOSPACE, "refund of order %.64s: output array too small", ref);
	if (in->units < 0 || in->amount < 0 || price < 0 || in->sold_commission < 0 ||
	    in->sold_units < 0 || in->returned_units < 0)
		return fee_fail(err, FEE_EINVAL, "refund of order %.64s: a negative figure", ref);
	if (money_mul(price, in->units, &value) != 0)
		return fee_fail(err, FEE_EOVERFLOW, "refund of order %.64s: value overflows", ref);
	amount_text(in, value, v);
	amount_text(in, in->amount, a);

	if (in->liability != WMS_LIABLE_BUYER && in->units > 0 && in->amount > 0) {
		if (in->escrow_held && !seller) {
			line(&out[(*n)++], in, credit_type, FEE_CREDIT, value, false,
			     "%s claim, order %.64s: %lld × %.64s refunded to the buyer (%s) from the "
			     "escrow; the %s is liable, so the platform pays you the units: %s", kind, ref,
			     (long long)in->units, sku, a, wms_liability_name(in->liability), v);
		} else if (!in->escrow_held) {
			line(&out[(*n)++], in, credit_type, FEE_DEBIT, value, !seller,
			     "%s claim, order %.64s: %lld × %.64s refunded to the buyer (%s) after "
			     "settlement: %s taken back%s", kind, ref, (long long)in->units, sku, a, v,
			     seller ? "" : ", borne by the platform (not your liability)");
			if (seller && !full && in->sold_commission > 0 && in->sold_units > 0) {
				int64_t back;
				char b[MONEY_FMT_MAX];
				int64_t units = in->units < in->sold_units ? in->units : in->sold_units;
				if (money_muldiv(in->sold_commission, units, in->sold_units, &back) != 0)
					return fee_fail(err, FEE_EOVERFLOW, "refund of order %.64s: commission "
					                "overflows", ref);
				amount_text(in, back, b);
				if (back > 0)
					line(&out[(*n)++], in, FEE_COMMISSION, FEE_CREDIT, back, false,
					     "%s claim, order %.64s: commission on %lld of the %lld × %.64s sold "
					     "reversed: %s", kind, ref, (long long)units,
					     (long long)in->sold_units, sku, b);
			}
		}
	}
	if (in->returned_units > 0) {
		struct fee_event ev = {.kind = FEE_EVENT_RETURN, .at = in->at};
		struct fee_line l;
		size_t got;
		ev.units.units = in->returned_units;
		if (!in->policy || !in->schedule)
			return fee_fail(err, FEE_ENOVERSION, "refund of order %.64s: no fee versions for "
			                "the return handling fee", ref);
		if (fee_compute(in->policy, in->schedule, &ev, &l, 1, &got, err) != 0)
			return -1;
		if (got == 1) {
			char reason[FEE_REASON_MAX * 2];
			if (!seller && l.net > 0) {
				l.treatment = FEE_PLATFORM_BORNE;
				l.waived = l.gross;
				l.net = 0;
			}
			snprintf(reason, sizeof reason, "%s claim, order %.64s, return of %.64s: %s%s", kind,
			         ref, sku, l.reason, seller ? "" : "; borne by the platform (not your "
			         "liability)");
			copy_reason(l.reason, reason);
			snprintf(l.sku, sizeof l.sku, "%s", sku);
			out[(*n)++] = l;
		}
	}
	return 0;
}
