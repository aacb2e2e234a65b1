/* fees_pickup.h — pricing a pickup's collection: the pickup fee line as a seller_ledger row. */
#ifndef WMS_API_FEES_PICKUP_H
#define WMS_API_FEES_PICKUP_H

#include <stddef.h>

/*
 * input is the text of pickup_fee_input(warehouse, request, t)
 * (sql/functions/pickup_collect.sql). Prices the collection with the mode's policy and the
 * schedule in force at t (wms/fees.h, FEE_EVENT_PICKUP: pickup_fixed + pickup_per_kg per kg
 * of the request's weight, rounded up to 100 g; waived in semi_warehouse — net 0, gross
 * kept, shown as saved — as the policy says). Returns the ledger rows as JSON array text
 * (malloc'd; caller frees) for FEES_LEDGER_INSERT — event_type "pickup", event_id the
 * request's id, line_no 1 — or NULL with err filled (bad input, no version in force,
 * overflow): the collection then fails rather than go unpriced.
 */
char *fees_pickup_rows(const char *input, char *err, size_t errlen);

#endif
