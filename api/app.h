/* app.h — the server's context, shared by the dispatcher and the handlers. */
#ifndef WMS_API_APP_H
#define WMS_API_APP_H

#include <stddef.h>

struct config;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct db_pool;
struct auth_cache;
struct conn_set;
struct metrics;
struct route;
struct network_state;
struct workers;

struct api_app {
	const struct config *cfg;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct conn_set *conns;    /* every connection evhttp accepted (conn.h) */
	struct db_pool *db;
	struct auth_cache *auth;
	struct metrics *metrics;
	const struct route *routes;
	size_t nroutes;
	long inflight;     /* requests accepted and not yet answered */
	int stopping;      /* SIGTERM/SIGINT received: no new work */
	int schema_version; /* highest embedded migration, for /readyz */
	char functions_digest[65]; /* migrate_functions_digest(), for /readyz */
	struct network_state *network; /* the lane network quotes use (network_load.h) */
	struct workers *workers;       /* threads that compute quotes (workers.h) */
};

/* Installs the evhttp callback that routes every request through app. */
void api_dispatch_install(struct api_app *app);

#endif
