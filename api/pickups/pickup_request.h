/* pickup_request.h — the pickup request shape (sql/functions/pickup_request_json.sql) of the
 * row t (a table alias) with its warehouse w and seller s joined, its columns named once. */
#ifndef WMS_API_PICKUP_REQUEST_H
#define WMS_API_PICKUP_REQUEST_H

#define PICKUP_REQUEST_JSON(t, w, s)                                                            \
	"pickup_request_json(" w ".code, " t ".id, " s ".code, " t ".shipment_id, "                  \
	t ".consignment_id, " t ".state, " t ".address, " t ".lat, " t ".lon, " t ".ready_from, "     \
	t ".ready_until, "                                                                           \
	t ".parcels, " t ".weight_g, " t ".volume_cm3, " t ".plan_id, " t ".vehicle, " t ".stop_no, " \
	t ".eta_from, " t ".eta_until, " t ".collected_parcels, " t ".collected_at, "                 \
	t ".created_at)"

#endif
