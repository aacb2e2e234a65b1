/* parcel_status.c — the normalised parcel statuses (parcel_status.h). */
#include "wms/parcel_status.h"

#include <stdio.h>
#include <string.h>

const char *const wms_parcel_statuses[WMS_PARCEL_STATUS_COUNT] = {
	"info_received", "picked_up",            "in_transit", "customs",   "out_for_delivery",
	"failed_attempt", "available_for_pickup", "delivered",  "exception", "returned_to_sender",
};

int wms_parcel_status_find(const char *name)
{
	for (int i = 0; name && i < WMS_PARCEL_STATUS_COUNT; i++)
		if (strcmp(name, wms_parcel_statuses[i]) == 0)
			return i;
	return -1;
}

bool wms_parcel_status_terminal(const char *name)
{
	return name && (strcmp(name, "delivered") == 0 || strcmp(name, "returned_to_sender") == 0);
}

void wms_parcel_status_list(char *buf, size_t len)
{
	size_t used = 0;
	if (!len)
		return;
	buf[0] = '\0';
	for (int i = 0; i < WMS_PARCEL_STATUS_COUNT && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", wms_parcel_statuses[i]);
		if (w < 0)
			return;
		used += (size_t)w;
	}
}
