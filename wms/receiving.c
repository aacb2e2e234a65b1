/* receiving.c — the discrepancy of an inbound line at close. */
#include "wms/receiving.h"

#include <stdio.h>
#include <string.h>

int wms_receive_discrepancy(const struct wms_recv_line *line, struct wms_recv_discrepancy *out,
                            char *err, size_t errlen)
{
	struct wms_recv_discrepancy d;
	int64_t received;
	memset(&d, 0, sizeof d);
	if (line->expected < 0 || line->good < 0 || line->damaged < 0 || line->expired < 0) {
		snprintf(err, errlen, "line quantities must not be negative");
		return -1;
	}
	if (__builtin_add_overflow(line->good, line->damaged, &received) ||
	    __builtin_add_overflow(received, line->expired, &received)) {
		snprintf(err, errlen, "received quantity is too large");
		return -1;
	}
	d.damaged = line->damaged;
	d.expired = line->expired;
	if (line->expected == 0)
		d.unexpected = received;
	else if (received < line->expected)
		d.short_qty = line->expected - received; /* both >= 0: no overflow */
	else
		d.over_qty = received - line->expected;
	d.has_discrepancy = d.short_qty || d.over_qty || d.damaged || d.expired || d.unexpected;
	*out = d;
	return 0;
}
