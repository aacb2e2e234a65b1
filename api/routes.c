/* routes.c — every endpoint: method, path, handler, roles allowed, flags.
 * The OpenAPI document (api/openapi.json) lists the same set; a test keeps
 * the two in step. */
#include "api/routes.h"

#include "api/auth.h"

#define ADMIN AUTH_BIT(AUTH_ADMIN)
#define PLATFORM AUTH_BIT(AUTH_PLATFORM)
#define SELLER AUTH_BIT(AUTH_SELLER)
#define STAFF AUTH_BIT(AUTH_STAFF)
#define CARRIER AUTH_BIT(AUTH_CARRIER)
#define JSON ROUTE_JSON_BODY

static const struct route table[] = {
	{"GET", "/healthz", h_healthz, 0, 0, "the process is up"},
	{"GET", "/readyz", h_readyz, 0, 0, "database reachable and schema current"},
	{"GET", "/metrics", h_metrics, 0, 0, "Prometheus metrics"},
	{"GET", "/v1/openapi.json", h_openapi, 0, 0, "this API's OpenAPI 3.1 document"},

	{"POST", "/v1/warehouses", h_warehouse_create, ADMIN, JSON, "create a warehouse"},
	{"GET", "/v1/warehouses", h_warehouse_list, AUTH_ANY, 0, "list warehouses"},
	{"GET", "/v1/warehouses/{code}", h_warehouse_get, AUTH_ANY, 0, "read a warehouse"},
	{"PATCH", "/v1/warehouses/{code}", h_warehouse_update, ADMIN, JSON, "update a warehouse"},

	{"POST", "/v1/warehouses/{code}/bins", h_bin_create, ADMIN, JSON, "create a bin"},
	{"GET", "/v1/warehouses/{code}/bins", h_bin_list, ADMIN | PLATFORM | STAFF, 0,
	 "list a warehouse's bins"},
	{"GET", "/v1/warehouses/{code}/bins/{bin}", h_bin_get, ADMIN | PLATFORM | STAFF, 0, "read a bin"},
	{"PATCH", "/v1/warehouses/{code}/bins/{bin}", h_bin_update, ADMIN, JSON, "update a bin"},

	{"POST", "/v1/sellers", h_seller_create, ADMIN, JSON, "create a seller"},
	{"GET", "/v1/sellers", h_seller_list, ADMIN | PLATFORM, 0, "list sellers"},
	{"GET", "/v1/sellers/{seller}", h_seller_get, ADMIN | PLATFORM | SELLER, 0, "read a seller"},
	{"PATCH", "/v1/sellers/{seller}", h_seller_update, ADMIN, JSON, "update a seller"},
	{"POST", "/v1/sellers/{seller}/skus", h_sku_create, ADMIN | SELLER, JSON, "create a SKU"},
	{"GET", "/v1/sellers/{seller}/skus", h_sku_list, ADMIN | PLATFORM | SELLER, 0,
	 "list a seller's SKUs"},
	{"GET", "/v1/sellers/{seller}/skus/{sku}", h_sku_get, ADMIN | PLATFORM | SELLER, 0,
	 "read a SKU"},
	{"PATCH", "/v1/sellers/{seller}/skus/{sku}", h_sku_update, ADMIN | PLATFORM | SELLER, JSON,
	 "update a SKU"},
	{"GET", "/v1/sellers/{seller}/statement", h_seller_statement, ADMIN | PLATFORM | SELLER, 0,
	 "a seller's statement for a period: ledger lines, totals, balance, advance, savings"},
	{"GET", "/v1/sellers/{seller}/ledger", h_seller_ledger, ADMIN | PLATFORM | SELLER, 0,
	 "a seller's ledger lines, newest first"},

	{"POST", "/v1/fee-schedules", h_fee_schedule_create, ADMIN, JSON,
	 "add a fee schedule version (closes the open one at its valid_from)"},
	{"GET", "/v1/fee-schedules", h_fee_schedule_list, ADMIN | PLATFORM, 0,
	 "fee schedule versions, newest first"},
	{"POST", "/v1/fee-policies", h_fee_policy_create, ADMIN, JSON,
	 "add a mode's policy version (closes the open one at its valid_from)"},
	{"GET", "/v1/fee-policies", h_fee_policy_list, ADMIN | PLATFORM, 0,
	 "policy versions per mode, newest first"},

	{"POST", "/v1/inbound-shipments", h_inbound_create, ADMIN | SELLER, JSON,
	 "book an inbound shipment (Idempotency-Key honoured)"},
	{"GET", "/v1/inbound-shipments", h_inbound_list, ADMIN | PLATFORM | SELLER | STAFF, 0,
	 "list inbound shipments"},
	{"GET", "/v1/inbound-shipments/{id}", h_inbound_get, ADMIN | PLATFORM | SELLER | STAFF, 0,
	 "read an inbound shipment"},
	{"POST", "/v1/inbound-shipments/{id}/cancel", h_inbound_cancel, ADMIN | SELLER, 0,
	 "cancel an inbound shipment (from booked or in_transit)"},
	{"POST", "/v1/inbound-shipments/{id}/in-transit", h_inbound_in_transit, ADMIN | SELLER, JSON,
	 "mark an inbound shipment in transit (carrier, tracking number)"},
	{"POST", "/v1/inbound-shipments/{id}/arrive", h_inbound_arrive, ADMIN | STAFF, 0,
	 "dock check-in by shipment id, ASN number or carton SSCC"},

	{"POST", "/v1/receiving/scans", h_receiving_scan, ADMIN | STAFF, JSON,
	 "receive one scanned item onto an inbound shipment (exactly once by scan_id)"},
};

const struct route *routes_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}
