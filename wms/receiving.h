/* receiving.h — receiving rules for one ASN line: accept a scan or ask to confirm an over-receipt; discrepancies at close.
 *
 * Quantities are int64_t units, never negative. "Received" means good +
 * damaged: a damaged unit was physically delivered (it goes to quarantine).
 *
 * Over-receipt tolerance is in basis points of the expected quantity:
 *   allowed_max = expected + floor(expected * tolerance_bp / 10000)
 * A scan that would take received beyond allowed_max needs the device to
 * resend it with confirm = true. Lines not on the ASN (expected 0) accept
 * everything; they are reported as unexpected at close.
 *
 * The device hint `next` is one of a deliberately small set:
 *   "item"                  scan the next item (the normal answer)
 *   "confirm_over_receipt"  show the over-receipt, resend this scan confirmed
 *   "close"                 everything expected on the shipment has arrived;
 *                           the operator may close (or keep scanning)
 * decide() only knows one line, so it answers "item" or
 * "confirm_over_receipt"; wms_receive_shipment_next() turns an accepted scan's
 * "item" into "close" from the shipment totals.
 */
#ifndef WMS_RECEIVING_H
#define WMS_RECEIVING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

#define WMS_RECV_DEFAULT_TOLERANCE_BP 1000u    /* 10 % */
#define WMS_RECV_MAX_TOLERANCE_BP     1000000u /* 10000 %: beyond this, a typo */

enum wms_condition {
	WMS_COND_GOOD,
	WMS_COND_DAMAGED,
};

enum wms_recv_verdict {
	WMS_RECV_ACCEPT,       /* apply the scan */
	WMS_RECV_NEEDS_CONFIRM /* change nothing; ask for confirmation */
};

enum wms_recv_next {
	WMS_NEXT_ITEM,
	WMS_NEXT_CONFIRM_OVER_RECEIPT,
	WMS_NEXT_CLOSE,
};

/* A line's state before the scan. */
struct wms_recv_line {
	int64_t expected; /* 0: not on the ASN */
	int64_t good;
	int64_t damaged;
};

struct wms_recv_scan {
	int64_t qty;                /* >= 1 */
	enum wms_condition condition;
	bool confirm_over_receipt;  /* the operator confirmed an over-receipt */
};

struct wms_recv_decision {
	enum wms_recv_verdict verdict;
	enum wms_recv_next next;
	int64_t allowed_max;   /* expected + tolerance (INT64_MAX if it overflows); 0 for unexpected lines */
	int64_t good_after;    /* the line after the scan (unchanged if NEEDS_CONFIRM) */
	int64_t damaged_after;
	int64_t received_after; /* good_after + damaged_after */
	bool over_receipt;     /* received_after > expected on an expected line */
	bool unexpected;       /* the line is not on the ASN */
	bool line_complete;    /* expected line and received_after >= expected */
};

/* "good" / "damaged" ↔ enum. parse returns 0 or -1 for anything else. */
int wms_condition_parse(const char *name, enum wms_condition *out) WMS_MUST_CHECK;
const char *wms_condition_name(enum wms_condition c);

/* The device hint's wire name ("item", "confirm_over_receipt", "close"). */
const char *wms_recv_next_name(enum wms_recv_next n);

/* Decides what one receiving scan does to a line, with tolerance_bp basis
 * points of over-receipt allowed without confirmation. Fills *out and returns
 * 0; returns -1 with a reason in err for invalid input: a negative count,
 * qty < 1, an unknown condition, tolerance above WMS_RECV_MAX_TOLERANCE_BP, or
 * a total that would overflow int64_t. */
int wms_receive_decide(const struct wms_recv_line *line, const struct wms_recv_scan *scan,
                       uint32_t tolerance_bp, struct wms_recv_decision *out,
                       char *err, size_t errlen) WMS_MUST_CHECK;

/* The hint after an accepted scan, from shipment totals including it: CLOSE
 * when expected_total > 0 and received_total >= expected_total, else ITEM. */
enum wms_recv_next wms_receive_shipment_next(int64_t expected_total, int64_t received_total);

/* Discrepancy of one line at close:
 *   expected line (expected > 0):
 *     short      = max(0, expected - (good + damaged))
 *     over       = max(0, (good + damaged) - expected)
 *     unexpected = 0
 *   line not on the ASN (expected 0):
 *     short = over = 0, unexpected = good + damaged
 *   damaged = damaged, on both kinds of line (damaged units count as received
 *   for short/over: they arrived, in bad shape).
 * has_discrepancy is true when any of the four is non-zero. */
struct wms_recv_discrepancy {
	int64_t short_qty;
	int64_t over_qty;
	int64_t damaged;
	int64_t unexpected;
	bool has_discrepancy;
};

/* Computes *out for line. Returns 0, or -1 with a reason in err if a count is
 * negative or good + damaged overflows. */
int wms_receive_discrepancy(const struct wms_recv_line *line, struct wms_recv_discrepancy *out,
                            char *err, size_t errlen) WMS_MUST_CHECK;

#endif
