/* server.c — wiring the loop, the pool, evhttp and the route table together,
 * and a graceful stop. */
#include "api/server.h"

#include <event2/event.h>
#include <event2/http.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "api/fees/accrue.h"
#include "api/outbound/escrow_release.h"
#include "api/tracking/event_delivery.h"
#include "api/app.h"
#include "api/http/auth_cache.h"
#include "api/http/config.h"
#include "api/http/conn.h"
#include "api/db/db.h"
#include "api/http/log.h"
#include "api/http/metrics.h"
#include "api/db/migrate.h"
#include "api/network/network_load.h"
#include "api/routes.h"
#include "api/http/workers.h"

struct stopper {
	struct api_app *app;
	struct event *tick;
	struct timespec since;
};

static void on_stop_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct stopper *s = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (s->app->inflight == 0) {
		log_info("all requests answered; stopping");
	} else if (now.tv_sec - s->since.tv_sec >= s->app->cfg->shutdown_grace_s) {
		log_warn("grace period over with %ld requests in flight; stopping", s->app->inflight);
	} else {
		return;
	}
	event_del(s->tick);
	struct timeval flush = {0, 50000}; /* let the last replies reach their sockets */
	event_base_loopexit(s->app->base, &flush);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct stopper *s = arg;
	if (s->app->stopping)
		return;
	log_info("signal %d: no longer accepting; %ld requests in flight", (int)sig,
	         s->app->inflight);
	s->app->stopping = 1;
	if (s->app->sock) {
		conn_set_stop_listening(s->app->conns);
		evhttp_del_accept_socket(s->app->http, s->app->sock);
		s->app->sock = NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &s->since);
	struct timeval every = {0, 20000};
	event_add(s->tick, &every);
}

/*
 * The event loop. epoll with a change list: evhttp disables and re-enables a connection's
 * read and write interest around every request, and the change list folds the changes of one
 * loop iteration into at most one epoll_ctl per descriptor (on the 2-core VM this took
 * GET /healthz from ~38k to ~51k requests/s). Its one known hazard, descriptors cloned with
 * dup() registered at once, does not arise: every descriptor here (sockets, libpq's, the
 * workers' eventfd) is its own.
 */
static struct event_base *new_base(void)
{
	struct event_config *cfg = event_config_new();
	if (!cfg)
		return NULL;
	event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	struct event_base *base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return base;
}

/* The soft RLIMIT_NOFILE (INT_MAX when unlimited). */
static long nofile_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > (rlim_t)INT_MAX)
		return INT_MAX;
	return (long)rl.rlim_cur;
}

/* WMS_MAX_CONNECTIONS, or what the descriptor limit leaves (auto); warns when the
 * configured cap is above that. */
static int max_connections(const struct config *cfg)
{
	long nofile = nofile_limit();
	int fits = conn_default_max(nofile, cfg->db_pool);
	if (cfg->max_connections < 0)
		return fits;
	if (cfg->max_connections > fits)
		log_warn("WMS_MAX_CONNECTIONS=%d is more than RLIMIT_NOFILE (%ld) leaves for "
		         "connections (%d); when descriptors run out, accepting pauses",
		         cfg->max_connections, nofile, fits);
	return cfg->max_connections;
}

/* A revoked key must stop working at once on every server. */
static void on_keys_changed(void *arg, const char *channel, const char *payload)
{
	(void)channel, (void)payload;
	struct api_app *app = arg;
	auth_cache_clear(app->auth);
}

int server_run(const struct config *cfg)
{
	int rc = 1;
	char err[512];
	struct api_app app;
	struct stopper stopper = {0};
	struct event *sigterm = NULL, *sigint = NULL;
	struct accrue_timer *accrual = NULL;
	struct escrow_release *release = NULL;
	struct event_delivery *events = NULL;
	memset(&app, 0, sizeof app);
	app.cfg = cfg;
	app.routes = routes_table(&app.nroutes);
	app.schema_version = migrate_latest();
	migrate_functions_digest(app.functions_digest);

	enum log_level lv = LOG_INFO;
	if (log_parse_level(cfg->log_level, &lv) != 0)
		lv = LOG_INFO;
	log_set_level(lv);
	signal(SIGPIPE, SIG_IGN);

	int st = migrate_check(cfg->database_url, err, sizeof err);
	if (st != 0) {
		log_error("%s", err);
		return 1;
	}
	int max_conns = max_connections(cfg);
	if (!(app.base = new_base()) || !(app.http = evhttp_new(app.base)) ||
	    !(app.conns = conn_set_new(app.base, app.http, cfg, max_conns)) ||
	    !(app.auth = auth_cache_new(4096, cfg->auth_cache_ttl_s)) ||
	    !(app.metrics = metrics_new(app.routes, app.nroutes))) {
		log_error("out of memory at start");
		goto done;
	}
	struct db_pool_options opt = {
		.conninfo = cfg->database_url,
		.size = cfg->db_pool,
		.queue_max = cfg->db_queue,
		.statement_timeout_ms = cfg->db_statement_timeout_ms,
		.pipeline_depth = cfg->db_pipeline,
		.application_name = "wmsd",
	};
	if (!(app.db = db_pool_new(app.base, &opt, err, sizeof err))) {
		log_error("database pool: %s", err);
		goto done;
	}
	if (db_pool_listen(app.db, "wms_keys", on_keys_changed, &app) != 0)
		log_warn("cannot listen for key revocations; cached keys expire after %d s",
		         cfg->auth_cache_ttl_s);
	int nworkers = cfg->workers < 0 ? workers_auto_count() : cfg->workers;
	if (!(app.workers = workers_new(app.base, nworkers, cfg->worker_queue))) {
		log_error("cannot start %d worker threads", nworkers);
		goto done;
	}
	if (!network_state_start(&app)) { /* blocking first load of the lane network */
		log_error("out of memory at start");
		goto done;
	}

	/* TRACE reaches the router (405 with Allow). CONNECT does not: evhttp sends a reply to
	 * it without Content-Length; its 501 (as any unknown method's) becomes problem+json in
	 * conn.c */
	evhttp_set_allowed_methods(app.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	                                         EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE |
	                                         EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS |
	                                         EVHTTP_REQ_TRACE);
	/* bodies up to 4x the limit are read and answered 413 as problem+json;
	 * beyond that evhttp refuses them itself */
	evhttp_set_max_body_size(app.http, (ev_ssize_t)cfg->max_body * 4 + 65536);
	evhttp_set_max_headers_size(app.http, (ev_ssize_t)cfg->max_headers);
	evhttp_set_timeout(app.http, cfg->timeout_s);
	api_dispatch_install(&app);
	if (!(app.sock = evhttp_bind_socket_with_handle(app.http, cfg->listen_host,
	                                                (ev_uint16_t)cfg->listen_port))) {
		log_error("cannot listen on %s:%d", cfg->listen_host, cfg->listen_port);
		goto done;
	}
	conn_set_listen(app.conns, evhttp_bound_socket_get_listener(app.sock));

	stopper.app = &app;
	if (!(stopper.tick = event_new(app.base, -1, EV_PERSIST, on_stop_tick, &stopper)) ||
	    !(sigterm = evsignal_new(app.base, SIGTERM, on_signal, &stopper)) ||
	    !(sigint = evsignal_new(app.base, SIGINT, on_signal, &stopper)) ||
	    event_add(sigterm, NULL) || event_add(sigint, NULL)) {
		log_error("cannot install signal handlers");
		goto done;
	}
	accrual = accrue_timer_start(&app);
	release = escrow_release_start(&app);
	events = event_delivery_start(&app);
	log_info("wmsd listening on %s:%d (schema %d, pool %d × %d, workers %d, connections %d, "
	         "request deadline %d s)", cfg->listen_host, cfg->listen_port, app.schema_version,
	         cfg->db_pool, cfg->db_pipeline, nworkers, max_conns, cfg->request_timeout_s);
	event_base_dispatch(app.base);
	rc = 0;
done:
	/* quotes still computing finish and answer while evhttp lives */
	workers_free(app.workers);
	/* the pool next: queries still running answer 503 while evhttp lives */
	db_pool_free(app.db);
	network_state_free(app.network); /* after the pool, like the accrual timer */
	accrue_timer_free(accrual); /* after the pool: its queries have completed */
	escrow_release_free(release); /* likewise */
	event_delivery_free(events);  /* likewise */
	if (app.conns)
		conn_set_stop_listening(app.conns); /* evhttp_free() frees the listener first */
	if (app.http)
		evhttp_free(app.http);
	conn_set_free(app.conns); /* after evhttp_free(): its connections close into it */
	if (sigterm)
		event_free(sigterm);
	if (sigint)
		event_free(sigint);
	if (stopper.tick)
		event_free(stopper.tick);
	metrics_free(app.metrics);
	auth_cache_free(app.auth);
	if (app.base)
		event_base_free(app.base);
	if (rc == 0)
		log_info("stopped");
	return rc;
}
