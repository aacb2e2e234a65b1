/* receiving.h — what closing an inbound shipment reports per line: short, over, damaged,
 * expired and unexpected units.
 *
 * Quantities are int64_t units, never negative. "Received" means good + damaged + expired:
 * damaged and expired units were physically delivered (they go to quarantine).
 *
 * What a single receiving scan does (which line it counts on, unexpected items and lots,
 * expired units, the over-receipt tolerance) is decided atomically with the counts it reads,
 * so that rule lives in SQL only: sql/functions/receiving_scan.sql.
 */
#ifndef WMS_RECEIVING_H
#define WMS_RECEIVING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* A line's counts at close. */
struct wms_recv_line {
	int64_t expected; /* 0: not on the ASN */
	int64_t good;
	int64_t damaged;
	int64_t expired;  /* confirmed expired or short-dated units, quarantined */
};

/* Discrepancy of one line at close:
 *   expected line (expected > 0):
 *     short      = max(0, expected - received)
 *     over       = max(0, received - expected)
 *     unexpected = 0
 *   line not on the ASN (expected 0):
 *     short = over = 0, unexpected = received
 *   damaged and expired are the line's own, on both kinds of line (they count as received
 *   for short/over: they arrived, in bad shape or too old).
 * has_discrepancy is true when any of the five is non-zero. */
struct wms_recv_discrepancy {
	int64_t short_qty;
	int64_t over_qty;
	int64_t damaged;
	int64_t expired;
	int64_t unexpected;
	bool has_discrepancy;
};

/* Computes *out for line. Returns 0, or -1 with a reason in err if a count is negative or
 * the received total overflows. */
int wms_receive_discrepancy(const struct wms_recv_line *line, struct wms_recv_discrepancy *out,
                            char *err, size_t errlen) WMS_MUST_CHECK;

#endif
