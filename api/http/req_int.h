/* req_int.h — the layout of struct api_req, private to req.c and dispatch.c. */
#ifndef WMS_API_REQ_INT_H
#define WMS_API_REQ_INT_H

#include <event2/keyvalq_struct.h>
#include <stdint.h>
#include <time.h>

#include "api/http/req.h"
#include "api/http/router.h"

struct conn;
struct evhttp_request;

struct api_req {
	struct api_app *app;
	struct evhttp_request *ev;
	struct evhttp_connection *evcon; /* NULL once the client went away */
	struct conn *conn;               /* its connection (conn.h); NULL once the client went away */
	int route;                       /* index in app->routes, -1 unmatched */
	char method[8];
	struct router_params params;
	struct evkeyvalq query;
	int has_query;
	char request_id[65];
	int has_principal;
	struct auth_principal principal;
	cJSON *body;
	char *raw_body;
	size_t raw_len;
	void *state;
	void (*state_free)(void *);
	api_db_fn *db_cb;
	struct timespec start;
	int64_t now_us; /* the wall clock when the request arrived, µs since the epoch */
	char now_text[28]; /* now_us as api_req_now_text() gives it, "" until asked */
	int replied;
};

#endif
