/* receiving.c — receiving decision and close-time discrepancy for one ASN line. */
#include "wms/receiving.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

int wms_condition_parse(const char *name, enum wms_condition *out)
{
	if (name && strcmp(name, "good") == 0) {
		*out = WMS_COND_GOOD;
		return 0;
	}
	if (name && strcmp(name, "damaged") == 0) {
		*out = WMS_COND_DAMAGED;
		return 0;
	}
	return -1;
}

const char *wms_condition_name(enum wms_condition c)
{
	switch (c) {
	case WMS_COND_GOOD:    return "good";
	case WMS_COND_DAMAGED: return "damaged";
	}
	abort(); /* not a condition: a programming error */
}

const char *wms_recv_next_name(enum wms_recv_next n)
{
	switch (n) {
	case WMS_NEXT_ITEM:                 return "item";
	case WMS_NEXT_CONFIRM_OVER_RECEIPT: return "confirm_over_receipt";
	case WMS_NEXT_CLOSE:                return "close";
	}
	abort();
}

/* Validates the line's counts and sums them into *received. */
static int line_received(const struct wms_recv_line *line, int64_t *received,
                         char *err, size_t errlen)
{
	if (line->expected < 0 || line->good < 0 || line->damaged < 0) {
		set_err(err, errlen, "line quantities must not be negative");
		return -1;
	}
	if (__builtin_add_overflow(line->good, line->damaged, received)) {
		set_err(err, errlen, "received quantity is too large");
		return -1;
	}
	return 0;
}

/* expected + floor(expected * bp / 10000), saturating at INT64_MAX.
 * Split as (e / 10000) * bp + (e % 10000) * bp / 10000 so the floor is exact
 * and the remainder term cannot overflow (< 10000 * 1e6). */
static int64_t allowed_max(int64_t expected, uint32_t bp)
{
	int64_t whole, part, extra, total;
	if (__builtin_mul_overflow(expected / 10000, (int64_t)bp, &whole))
		return INT64_MAX;
	part = (expected % 10000) * (int64_t)bp / 10000;
	if (__builtin_add_overflow(whole, part, &extra) ||
	    __builtin_add_overflow(expected, extra, &total))
		return INT64_MAX;
	return total;
}

int wms_receive_decide(const struct wms_recv_line *line, const struct wms_recv_scan *scan,
                       uint32_t tolerance_bp, struct wms_recv_decision *out,
                       char *err, size_t errlen)
{
	struct wms_recv_decision d;
	int64_t received, after, good = line->good, damaged = line->damaged;

	memset(&d, 0, sizeof d);
	if (line_received(line, &received, err, errlen) < 0)
		return -1;
	if (scan->qty < 1) {
		set_err(err, errlen, "quantity must be at least 1");
		return -1;
	}
	if (scan->condition != WMS_COND_GOOD && scan->condition != WMS_COND_DAMAGED) {
		set_err(err, errlen, "condition must be good or damaged");
		return -1;
	}
	if (tolerance_bp > WMS_RECV_MAX_TOLERANCE_BP) {
		set_err(err, errlen, "over-receipt tolerance is out of range");
		return -1;
	}
	int64_t *bucket = scan->condition == WMS_COND_GOOD ? &good : &damaged;
	if (__builtin_add_overflow(received, scan->qty, &after) ||
	    __builtin_add_overflow(*bucket, scan->qty, bucket)) {
		set_err(err, errlen, "quantity is too large");
		return -1;
	}

	d.unexpected = line->expected == 0;
	d.allowed_max = d.unexpected ? 0 : allowed_max(line->expected, tolerance_bp);
	if (!d.unexpected && after > d.allowed_max && !scan->confirm_over_receipt) {
		d.verdict = WMS_RECV_NEEDS_CONFIRM;
		d.next = WMS_NEXT_CONFIRM_OVER_RECEIPT;
		d.good_after = line->good;
		d.damaged_after = line->damaged;
		d.received_after = received;
	} else {
		d.verdict = WMS_RECV_ACCEPT;
		d.next = WMS_NEXT_ITEM;
		d.good_after = good;
		d.damaged_after = damaged;
		d.received_after = after;
	}
	d.over_receipt = !d.unexpected && d.received_after > line->expected;
	d.line_complete = !d.unexpected && d.received_after >= line->expected;
	*out = d;
	return 0;
}

enum wms_recv_next wms_receive_shipment_next(int64_t expected_total, int64_t received_total)
{
	return expected_total > 0 && received_total >= expected_total ? WMS_NEXT_CLOSE
	                                                              : WMS_NEXT_ITEM;
}

int wms_receive_discrepancy(const struct wms_recv_line *line, struct wms_recv_discrepancy *out,
                            char *err, size_t errlen)
{
	struct wms_recv_discrepancy d;
	int64_t received;

	memset(&d, 0, sizeof d);
	if (line_received(line, &received, err, errlen) < 0)
		return -1;
	d.damaged = line->damaged;
	if (line->expected == 0) {
		d.unexpected = received;
	} else if (received < line->expected) {
		d.short_qty = line->expected - received; /* both >= 0: no overflow */
	} else {
		d.over_qty = received - line->expected;
	}
	d.has_discrepancy = d.short_qty || d.over_qty || d.damaged || d.unexpected;
	*out = d;
	return 0;
}
