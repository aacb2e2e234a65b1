/* event_delivery.c — delivering the events outbox to subscribers (event_delivery.h): lease due
 * events, POST each with libevent's HTTP client, record each attempt. */
#include "api/tracking/event_delivery.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "api/app.h"
#include "api/db/db.h"
#include "api/http/config.h"
#include "api/http/instant.h"
#include "api/http/log.h"
#include "api/tracking/webhook_sig.h"

#define CLAIM_MAX 32

/* $1 now, $2 lease seconds, $3 at most. */
DB_STMT(stmt_claim) = {
	"event_claim",
	"SELECT id::text, attempts, url, secret, payload FROM event_claim($1::timestamptz,"
	" $2::int, $3::int)"};

/* $1 outbox id, $2 status, $3 error, $4 duration ms, $5 now, $6 next attempt (NULL: fail). */
DB_STMT(stmt_done) = {
	"event_attempt_done",
	"SELECT event_attempt_done($1::uuid, $2::int, $3, $4::int, $5::timestamptz,"
	" $6::timestamptz)"};

struct event_delivery {
	struct api_app *app;
	struct event *ev;
	int inflight; /* deliveries started and not yet recorded */
	bool claiming;
};

/* One delivery: the request in flight, then its record. */
struct delivery {
	struct event_delivery *d;
	char id[37];
	int attempts; /* before this one */
	int64_t started_us;
};

static int64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * INSTANT_US + tv.tv_usec;
}

static void arm_ms(struct event_delivery *d, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	event_add(d->ev, &tv);
}

int64_t event_delivery_backoff_ms(int attempts, int pct, double r)
{
	static const int64_t delays_s[] = {5, 300, 1800, 7200, 18000, 36000, 36000};
	if (attempts < 1 || attempts > (int)(sizeof delays_s / sizeof delays_s[0]))
		return -1;
	double ms = (double)delays_s[attempts - 1] * 1000.0 * pct / 100.0 * (0.8 + 0.4 * r);
	return ms < 1 ? 1 : (int64_t)ms;
}

/* A delivery recorded: when the last of a claim is, look again at once. */
static void finished(struct event_delivery *d)
{
	if (--d->inflight == 0 && !d->app->stopping)
		arm_ms(d, 0);
}

static void on_recorded(void *arg, const struct db_reply *rep)
{
	struct delivery *dl = arg;
	if (rep->outcome != DB_OK)
		log_warn("event %s: attempt not recorded: %s (its lease runs out; it is sent again)",
		         dl->id, rep->message ? rep->message : "?");
	struct event_delivery *d = dl->d;
	free(dl);
	finished(d);
}

/* Records the attempt: status (0: no answer) and error. */
static void record(struct delivery *dl, int status, const char *error)
{
	struct event_delivery *d = dl->d;
	char st[16], ms[24], at[INSTANT_TEXT], retry[INSTANT_TEXT];
	int64_t now = now_us();
	bool ok = status >= 200 && status <= 299;
	int64_t wait = ok || status == 410 ? 0
	                                   : event_delivery_backoff_ms(dl->attempts + 1,
	                                                               d->app->cfg->event_retry_pct,
	                                                               (double)rand() / RAND_MAX);
	snprintf(st, sizeof st, "%d", status);
	snprintf(ms, sizeof ms, "%lld", (long long)((now - dl->started_us) / 1000));
	instant_format(now, at);
	instant_format(now + (wait > 0 ? wait : 0) * 1000, retry);
	const char *p[] = {dl->id, st, error, ms, at, wait >= 0 ? retry : NULL};
	if (!ok)
		log_info("event %s: attempt %d answered %d%s%s", dl->id, dl->attempts + 1, status,
		         error ? ": " : "", error ? error : "");
	if (db_query(d->app->db, &stmt_done, 6, p, on_recorded, dl) != DB_SUBMIT_OK) {
		free(dl);
		finished(d);
	}
}

static void on_response(struct evhttp_request *req, void *arg)
{
	struct delivery *dl = arg;
	int status = req ? evhttp_request_get_response_code(req) : 0;
	record(dl, status, status ? NULL : "no answer (refused, reset or timed out)");
}

/* POSTs one event; every path ends in record(). */
static void deliver(struct event_delivery *d, const PGresult *res, int row)
{
	struct delivery *dl = calloc(1, sizeof *dl);
	if (!dl)
		return;
	dl->d = d;
	d->inflight++;
	snprintf(dl->id, sizeof dl->id, "%s", db_value(res, row, "id"));
	dl->attempts = (int)db_value_ll(res, row, "attempts", 0);
	dl->started_us = now_us();
	const char *url = db_value(res, row, "url"), *secret = db_value(res, row, "secret");
	const char *payload = db_value(res, row, "payload");
	struct evhttp_uri *uri = url ? evhttp_uri_parse(url) : NULL;
	const char *host = uri ? evhttp_uri_get_host(uri) : NULL;
	const char *scheme = uri ? evhttp_uri_get_scheme(uri) : NULL;
	if (!host || !payload || !secret || !scheme || strcmp(scheme, "http") != 0) {
		evhttp_uri_free(uri);
		record(dl, 0, "the subscription's url is not an http:// URL this server can reach");
		return;
	}
	int port = evhttp_uri_get_port(uri);
	const char *path = evhttp_uri_get_path(uri), *query = evhttp_uri_get_query(uri);
	char target[2100], ts[24], sig[WEBHOOK_SIG_LEN], hosthdr[300];
	snprintf(target, sizeof target, "%s%s%s", path && *path ? path : "/", query ? "?" : "",
	         query ? query : "");
	snprintf(hosthdr, sizeof hosthdr, "%s:%d", host, port < 0 ? 80 : port);
	snprintf(ts, sizeof ts, "%lld", (long long)(dl->started_us / INSTANT_US));
	size_t len = strlen(payload);
	struct evhttp_connection *conn = NULL;
	struct evhttp_request *req = NULL;
	if (webhook_sig_sign(secret, dl->id, ts, payload, len, sig) != 0 ||
	    !(conn = evhttp_connection_base_new(d->app->base, NULL, host,
	                                        (unsigned short)(port < 0 ? 80 : port))) ||
	    !(req = evhttp_request_new(on_response, dl))) {
		if (conn)
			evhttp_connection_free(conn);
		evhttp_uri_free(uri);
		record(dl, 0, "out of memory or a bad secret");
		return;
	}
	evhttp_uri_free(uri);
	evhttp_connection_set_timeout(conn, d->app->cfg->event_timeout_s);
	evhttp_connection_set_retries(conn, 0);
	evhttp_connection_free_on_completion(conn);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", hosthdr);
	evhttp_add_header(h, "Content-Type", "application/json");
	evhttp_add_header(h, "User-Agent", "wmsd-events/1");
	evhttp_add_header(h, "webhook-id", dl->id);
	evhttp_add_header(h, "webhook-timestamp", ts);
	evhttp_add_header(h, "webhook-signature", sig);
	evbuffer_add(evhttp_request_get_output_buffer(req), payload, len);
	if (evhttp_make_request(conn, req, EVHTTP_REQ_POST, target) != 0) {
		/* libevent has freed the request; the connection goes with it */
		record(dl, 0, "the request could not be sent");
	}
}

static void on_claimed(void *arg, const struct db_reply *rep)
{
	struct event_delivery *d = arg;
	d->claiming = false;
	if (rep->outcome != DB_OK) {
		log_warn("events: cannot read the outbox: %s", rep->message ? rep->message : "?");
		if (!d->app->stopping)
			arm_ms(d, d->app->cfg->event_poll_ms);
		return;
	}
	int n = PQntuples(rep->res);
	if (n == 0 || d->app->stopping) {
		if (!d->app->stopping)
			arm_ms(d, d->app->cfg->event_poll_ms);
		return;
	}
	d->inflight++; /* held while starting, so a delivery that ends at once does not re-arm */
	for (int i = 0; i < n; i++)
		deliver(d, rep->res, i);
	finished(d);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct event_delivery *d = arg;
	char now[INSTANT_TEXT], lease[16], limit[8];
	if (d->app->stopping || d->claiming || d->inflight)
		return;
	instant_format(now_us(), now);
	snprintf(lease, sizeof lease, "%d", d->app->cfg->event_timeout_s + 30);
	snprintf(limit, sizeof limit, "%d", CLAIM_MAX);
	const char *p[] = {now, lease, limit};
	d->claiming = true;
	if (db_query(d->app->db, &stmt_claim, 3, p, on_claimed, d) != DB_SUBMIT_OK) {
		d->claiming = false;
		arm_ms(d, d->app->cfg->event_poll_ms);
	}
}

struct event_delivery *event_delivery_start(struct api_app *app)
{
	if (app->cfg->event_poll_ms <= 0) {
		log_info("events out: this server delivers none (WMS_EVENTS_POLL_MS=0)");
		return NULL;
	}
	struct event_delivery *d = calloc(1, sizeof *d);
	if (!d || !(d->ev = evtimer_new(app->base, on_timer, d))) {
		log_error("events out: out of memory; events wait in the outbox");
		free(d);
		return NULL;
	}
	d->app = app;
	srand((unsigned)time(NULL) ^ (unsigned)(uintptr_t)d);
	arm_ms(d, app->cfg->event_poll_ms);
	return d;
}

void event_delivery_free(struct event_delivery *d)
{
	if (!d)
		return;
	event_free(d->ev);
	free(d);
}
