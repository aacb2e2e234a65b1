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
};

const struct route *routes_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}
