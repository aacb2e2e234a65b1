/* parcel_status.h — the normalised statuses of a parcel in a carrier's hands (after
 * AfterShip's tags): what every carrier's raw event codes are mapped to (carrier_status_codes,
 * data per carrier), and which of them are terminal. The ingest applies them in SQL
 * (sql/functions/tracking_ingest.sql, which names the terminal ones; the schema's CHECKs list
 * them all); this table is what C validates a mapping against. */
#ifndef WMS_PARCEL_STATUS_H
#define WMS_PARCEL_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#define WMS_PARCEL_STATUS_COUNT 10

/* The status names, in the order a parcel usually passes them. */
extern const char *const wms_parcel_statuses[WMS_PARCEL_STATUS_COUNT];

/* Its index in wms_parcel_statuses, or -1 for a name that is none. */
int wms_parcel_status_find(const char *name);

/* Whether a status is final: delivered, returned_to_sender (a late earlier event never
 * undoes it). */
bool wms_parcel_status_terminal(const char *name);

/* The names joined by ", " into buf (for a 422's message); 160 bytes suffice. */
void wms_parcel_status_list(char *buf, size_t len);

#endif
