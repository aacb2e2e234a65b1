/* router.h — matches a request's method and path against the route table,
 * with path parameters ("/v1/warehouses/{code}"). Pure: no I/O. */
#ifndef WMS_API_ROUTER_H
#define WMS_API_ROUTER_H

#include <stddef.h>

#define ROUTER_MAX_PARAMS 4
#define ROUTER_MAX_VALUE 128

struct api_req;
typedef void route_handler_fn(struct api_req *r);

/* One endpoint. roles is a bit set of enum auth_role bits (0 = no key needed). */
struct route {
	const char *method;   /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *pattern;  /* "/v1/warehouses/{code}" */
	route_handler_fn *handler;
	unsigned roles;
	unsigned flags;       /* ROUTE_* */
	const char *summary;  /* one line, for logs and the OpenAPI test */
	const char *query;    /* the query parameters it takes, space-separated; NULL: none.
	                       * Any other is 400 (the OpenAPI test keeps the document equal) */
};

enum {
	ROUTE_JSON_BODY = 1u << 0,   /* needs an application/json object body */
	ROUTE_ACTION_BODY = 1u << 1, /* takes an optional application/json object body (an absent
	                              * one reads as {}), whose members the handler checks */
};

/* True when route rt takes the query parameter name. */
int router_takes_query(const struct route *rt, const char *name);

struct router_params {
	int n;
	struct {
		char name[32];
		char value[ROUTER_MAX_VALUE]; /* percent-decoded */
	} p[ROUTER_MAX_PARAMS];
};

/* Matches path (without query string) against pattern. Returns 1 and fills
 * out on a match, 0 otherwise (also when a value is too long, empty, or
 * decodes to a '/' or NUL). */
int router_match(const char *pattern, const char *path, struct router_params *out);

/* Finds the route for method and path. Returns its index; -1 when no
 * pattern matches the path (404); -2 when patterns match but none with this
 * method (405), with the allowed methods written to allow as "GET, POST". */
int router_find(const struct route *routes, size_t n, const char *method, const char *path,
                struct router_params *params, char *allow, size_t allowlen);

/* The value of parameter name, or NULL. */
const char *router_param(const struct router_params *params, const char *name);

#endif
