/* routes.c — every endpoint: method, path, handler, roles allowed, flags.
 * The OpenAPI document (api/openapi.json) lists the same set; a test keeps
 * the two in step. */
#include "api/routes.h"

#include "api/http/auth.h"

#define ADMIN AUTH_BIT(AUTH_ADMIN)
#define PLATFORM AUTH_BIT(AUTH_PLATFORM)
#define SELLER AUTH_BIT(AUTH_SELLER)
#define STAFF AUTH_BIT(AUTH_STAFF)
#define CARRIER AUTH_BIT(AUTH_CARRIER)
#define JSON ROUTE_JSON_BODY
#define ACTION ROUTE_ACTION_BODY

static const struct route table[] = {
	{"GET", "/healthz", h_healthz, 0, 0, "the process is up", NULL},
	{"GET", "/readyz", h_readyz, 0, 0, "database reachable and schema current", NULL},
	{"GET", "/metrics", h_metrics, 0, 0, "Prometheus metrics", NULL},
	{"GET", "/v1/openapi.json", h_openapi, 0, 0, "this API's OpenAPI 3.1 document", NULL},

	{"POST", "/v1/warehouses", h_warehouse_create, ADMIN, JSON, "create a warehouse", NULL},
	{"GET", "/v1/warehouses", h_warehouse_list, AUTH_ANY, 0, "list warehouses", "limit cursor"},
	{"GET", "/v1/warehouses/{code}", h_warehouse_get, AUTH_ANY, 0, "read a warehouse", NULL},
	{"PATCH", "/v1/warehouses/{code}", h_warehouse_update, ADMIN, JSON, "update a warehouse", NULL},

	{"POST", "/v1/warehouses/{code}/bins", h_bin_create, ADMIN, JSON, "create a bin", NULL},
	{"GET", "/v1/warehouses/{code}/bins", h_bin_list, ADMIN | PLATFORM | STAFF, 0,
	 "list a warehouse's bins", "limit cursor zone kind"},
	{"GET", "/v1/warehouses/{code}/bins/{bin}", h_bin_get, ADMIN | PLATFORM | STAFF, 0, "read a bin", NULL},
	{"PATCH", "/v1/warehouses/{code}/bins/{bin}", h_bin_update, ADMIN, JSON, "update a bin", NULL},

	{"POST", "/v1/sellers", h_seller_create, ADMIN, JSON, "create a seller", NULL},
	{"GET", "/v1/sellers", h_seller_list, ADMIN | PLATFORM, 0, "list sellers", "limit cursor"},
	{"GET", "/v1/sellers/{seller}", h_seller_get, ADMIN | PLATFORM | SELLER, 0, "read a seller", NULL},
	{"PATCH", "/v1/sellers/{seller}", h_seller_update, ADMIN, JSON, "update a seller", NULL},
	{"POST", "/v1/sellers/{seller}/skus", h_sku_create, ADMIN | SELLER, JSON, "create a SKU", NULL},
	{"GET", "/v1/sellers/{seller}/skus", h_sku_list, ADMIN | PLATFORM | SELLER, 0,
	 "list a seller's SKUs", "limit cursor category gtin"},
	{"GET", "/v1/sellers/{seller}/skus/{sku}", h_sku_get, ADMIN | PLATFORM | SELLER, 0,
	 "read a SKU", NULL},
	{"PATCH", "/v1/sellers/{seller}/skus/{sku}", h_sku_update, ADMIN | PLATFORM | SELLER, JSON,
	 "update a SKU", NULL},
	{"GET", "/v1/sellers/{seller}/statement", h_seller_statement, ADMIN | PLATFORM | SELLER, 0,
	 "a seller's statement for a period: ledger lines, totals, balance, advance, savings", "from to"},
	{"GET", "/v1/sellers/{seller}/ledger", h_seller_ledger, ADMIN | PLATFORM | SELLER, 0,
	 "a seller's ledger lines, newest first", "limit cursor"},

	{"POST", "/v1/fee-schedules", h_fee_schedule_create, ADMIN, JSON,
	 "add a fee schedule version (closes the open one at its valid_from)", NULL},
	{"GET", "/v1/fee-schedules", h_fee_schedule_list, ADMIN | PLATFORM, 0,
	 "fee schedule versions, newest first", NULL},
	{"POST", "/v1/fee-policies", h_fee_policy_create, ADMIN, JSON,
	 "add a mode's policy version (closes the open one at its valid_from)", NULL},
	{"GET", "/v1/fee-policies", h_fee_policy_list, ADMIN | PLATFORM, 0,
	 "policy versions per mode, newest first", "mode"},

	{"POST", "/v1/inbound-shipments", h_inbound_create, ADMIN | SELLER, JSON,
	 "book an inbound shipment (Idempotency-Key honoured)", NULL},
	{"GET", "/v1/inbound-shipments", h_inbound_list, ADMIN | PLATFORM | SELLER | STAFF, 0,
	 "list inbound shipments", "limit cursor state warehouse"},
	{"GET", "/v1/inbound-shipments/{id}", h_inbound_get, ADMIN | PLATFORM | SELLER | STAFF, 0,
	 "read an inbound shipment", NULL},
	{"POST", "/v1/inbound-shipments/{id}/cancel", h_inbound_cancel, ADMIN | SELLER, ACTION,
	 "cancel an inbound shipment (from booked or in_transit)", NULL},
	{"POST", "/v1/inbound-shipments/{id}/in-transit", h_inbound_in_transit, ADMIN | SELLER, JSON,
	 "mark an inbound shipment in transit (carrier, tracking number)", NULL},
	{"POST", "/v1/inbound-shipments/{id}/arrive", h_inbound_arrive, ADMIN | STAFF, ACTION,
	 "dock check-in by shipment id, ASN number or carton SSCC", NULL},

	{"POST", "/v1/receiving/scans", h_receiving_scan, ADMIN | STAFF, JSON,
	 "receive one scanned item onto an inbound shipment (exactly once by scan_id)", NULL},
	{"POST", "/v1/inbound-shipments/{id}/close", h_inbound_close, ADMIN | STAFF, ACTION,
	 "close receiving: discrepancy report, stock into RECEIVING / QUARANTINE, ledger lines", NULL},
	{"POST", "/v1/putaway/scans", h_putaway_scan, STAFF, JSON,
	 "move scanned stock to a bin (exactly once by scan_id)", NULL},
	{"GET", "/v1/inventory", h_inventory_list, ADMIN | PLATFORM | SELLER | STAFF, 0,
	 "on-hand stock per warehouse, SKU, location and status", "limit cursor sku warehouse location status"},
	{"GET", "/v1/inventory/movements", h_inventory_movements, ADMIN | PLATFORM | SELLER | STAFF, 0,
	 "the inventory movement ledger, newest first", "limit cursor sku warehouse location status reason"},

	{"POST", "/v1/orders", h_order_create, ADMIN | PLATFORM, JSON,
	 "create a buyer's order and allocate it (exactly once by client_order_id)", NULL},
	{"GET", "/v1/orders", h_order_list, ADMIN | PLATFORM | SELLER | STAFF, 0, "list orders",
	 "limit cursor state mode warehouse seller"},
	{"GET", "/v1/orders/{id}", h_order_get, ADMIN | PLATFORM | SELLER | STAFF, 0,
	 "read an order (by id or client_order_id)", NULL},
	{"POST", "/v1/orders/{id}/cancel", h_order_cancel, ADMIN | PLATFORM, ACTION,
	 "cancel an order before picking: stock released, escrow refunded", NULL},
	{"POST", "/v1/orders/{id}/hold", h_order_hold, ADMIN | PLATFORM, JSON,
	 "hold an order with a reason (not picked while held)", NULL},
	{"POST", "/v1/orders/{id}/release-hold", h_order_release_hold, ADMIN | PLATFORM, ACTION,
	 "release a hold: back to the state it was held in", NULL},

	{"POST", "/v1/pick-lists/claim", h_pick_list_claim, STAFF, ACTION,
	 "work for the operator: its list, else a released one, else a new batch of orders", NULL},
	{"GET", "/v1/pick-lists", h_pick_list_list, ADMIN | PLATFORM | STAFF, 0, "list pick lists",
	 "limit cursor state warehouse"},
	{"GET", "/v1/pick-lists/{id}", h_pick_list_get, ADMIN | PLATFORM | STAFF, 0,
	 "read a pick list: its orders, tasks in walking order, progress, next", NULL},
	{"POST", "/v1/pick-lists/{id}/release", h_pick_list_release, ADMIN | STAFF, ACTION,
	 "hand a pick list back: unpicked orders return to allocated", NULL},
	{"POST", "/v1/pick/scans", h_pick_scan, STAFF, JSON,
	 "a pick scan: the bin, then the item into PACKING (exactly once by scan_id)", NULL},
	{"POST", "/v1/pick/stock-issue", h_pick_stock_issue, STAFF, JSON,
	 "a short pick: the bin's real count; reservations re-allocated or short", NULL},

	{"POST", "/v1/routes/quote", h_route_quote, ADMIN | PLATFORM | SELLER, JSON,
	 "route and carrier selection for one parcel (in memory, no database)", NULL},
	{"GET", "/v1/network", h_network_get, ADMIN | PLATFORM, 0, "the whole lane network", NULL},
	{"PUT", "/v1/network", h_network_put, ADMIN, JSON,
	 "replace the whole lane network atomically (validated first)", NULL},
	{"POST", "/v1/network/nodes", h_network_node_create, ADMIN, JSON, "create a network node", NULL},
	{"GET", "/v1/network/nodes", h_network_node_list, ADMIN | PLATFORM, 0, "list network nodes", NULL},
	{"GET", "/v1/network/nodes/{code}", h_network_node_get, ADMIN | PLATFORM, 0, "read a node", NULL},
	{"PATCH", "/v1/network/nodes/{code}", h_network_node_update, ADMIN, JSON, "update a node", NULL},
	{"DELETE", "/v1/network/nodes/{code}", h_network_node_delete, ADMIN, 0, "delete a node", NULL},
	{"POST", "/v1/network/services", h_network_service_create, ADMIN, JSON,
	 "create a carrier service", NULL},
	{"GET", "/v1/network/services", h_network_service_list, ADMIN | PLATFORM, 0,
	 "list carrier services", NULL},
	{"DELETE", "/v1/network/services/{carrier}/{service}", h_network_service_delete, ADMIN, 0,
	 "delete a carrier service", NULL},
	{"POST", "/v1/network/legs", h_network_leg_create, ADMIN, JSON, "create a leg", NULL},
	{"GET", "/v1/network/legs", h_network_leg_list, ADMIN | PLATFORM, 0, "list legs", NULL},
	{"GET", "/v1/network/legs/{id}", h_network_leg_get, ADMIN | PLATFORM, 0, "read a leg", NULL},
	{"PATCH", "/v1/network/legs/{id}", h_network_leg_update, ADMIN, JSON, "update a leg", NULL},
	{"DELETE", "/v1/network/legs/{id}", h_network_leg_delete, ADMIN, 0, "delete a leg", NULL},
	{"GET", "/v1/network/processing", h_network_processing_list, ADMIN | PLATFORM, 0,
	 "list origin processing (order cut-off, processing time)", NULL},
	{"PUT", "/v1/network/processing/{origin}", h_network_processing_put, ADMIN, JSON,
	 "set an origin's order cut-off and processing time", NULL},
	{"DELETE", "/v1/network/processing/{origin}", h_network_processing_delete, ADMIN, 0,
	 "remove an origin's processing", NULL},
	{"POST", "/v1/network/promises", h_network_promise_create, ADMIN, JSON,
	 "create a promise target", NULL},
	{"GET", "/v1/network/promises", h_network_promise_list, ADMIN | PLATFORM, 0,
	 "list promise targets", NULL},
	{"PATCH", "/v1/network/promises/{id}", h_network_promise_update, ADMIN, JSON,
	 "update a promise target", NULL},
	{"DELETE", "/v1/network/promises/{id}", h_network_promise_delete, ADMIN, 0,
	 "delete a promise target", NULL},
};

const struct route *routes_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}
