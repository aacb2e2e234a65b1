/* check_events_out.c — events out over real HTTP: a receiving endpoint in this process (a
 * thread per connection) that fails one event's first delivery with 500, lets another's time
 * out, and answers 200 otherwise; tracking events and a buyer's confirmation make
 * package.status_changed, order.delivered and escrow.released events in the outbox; the server
 * (WMS_EVENTS_POLL_MS=100, WMS_EVENTS_TIMEOUT=1, retries at 1% of the schedule) delivers them.
 * Every event arrives at least once, signed (Standard Webhooks, verified with the
 * subscription's secret), in order per parcel and order; every attempt is recorded; a
 * receiver answering 410 disables its subscription. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/http/instant.h"
#include "api/tracking/webhook_sig.h"
#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"

#define MAX_SEEN 256

/* What the receiver saw: one row per request. */
struct seen {
	char id[40], ts[24], sig[200], path[64];
	char *body;
	int status; /* answered; 0 when it hung up without an answer */
};

static struct {
	pthread_mutex_t mu;
	int port, fd;
	struct seen rows[MAX_SEEN];
	int n;
	char fail_id[40], hang_id[40]; /* the first and second distinct event ids seen */
} rx = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The value of header name in the request head (case-insensitive), into out. */
static void header(const char *head, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	out[0] = '\0';
	for (const char *p = head; (p = strchr(p, '\n')) != NULL;) {
		p++;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			size_t l = strcspn(v, "\r\n");
			snprintf(out, len, "%.*s", (int)(l < len ? l : len - 1), v);
			return;
		}
	}
}

static void *serve_one(void *arg)
{
	int c = (int)(intptr_t)arg;
	char buf[16384];
	size_t got = 0;
	char *end = NULL;
	while (got < sizeof buf - 1 && !(end = strstr(buf, "\r\n\r\n"))) {
		ssize_t k = read(c, buf + got, sizeof buf - 1 - got);
		if (k <= 0)
			break;
		got += (size_t)k;
		buf[got] = '\0';
	}
	if (!end) {
		close(c);
		return NULL;
	}
	*end = '\0';
	char cl[16];
	header(buf, "Content-Length", cl, sizeof cl);
	size_t want = (size_t)atoi(cl), have = got - (size_t)(end + 4 - buf);
	char *body = calloc(1, want + 1);
	memcpy(body, end + 4, have < want ? have : want);
	while (have < want) {
		ssize_t k = read(c, body + have, want - have);
		if (k <= 0)
			break;
		have += (size_t)k;
	}
	struct seen s = {.body = body};
	header(buf, "webhook-id", s.id, sizeof s.id);
	header(buf, "webhook-timestamp", s.ts, sizeof s.ts);
	header(buf, "webhook-signature", s.sig, sizeof s.sig);
	sscanf(buf, "POST %63s", s.path);
	pthread_mutex_lock(&rx.mu);
	bool first = true;
	for (int i = 0; i < rx.n; i++)
		first &= strcmp(rx.rows[i].id, s.id) != 0;
	if (first && strcmp(s.path, "/hook") == 0 && !rx.fail_id[0])
		snprintf(rx.fail_id, sizeof rx.fail_id, "%s", s.id);
	else if (first && strcmp(s.path, "/hook") == 0 && !rx.hang_id[0])
		snprintf(rx.hang_id, sizeof rx.hang_id, "%s", s.id);
	bool hang = first && strcmp(rx.hang_id, s.id) == 0;
	s.status = strcmp(s.path, "/gone") == 0      ? 410
	           : first && !strcmp(rx.fail_id, s.id) ? 500
	           : hang                              ? 0
	                                               : 200;
	if (rx.n < MAX_SEEN)
		rx.rows[rx.n++] = s;
	else
		free(body);
	pthread_mutex_unlock(&rx.mu);
	if (hang) {
		sleep(2); /* beyond the server's 1 s: it gives up and retries */
	} else {
		char out[128];
		int n = snprintf(out, sizeof out, "HTTP/1.1 %d X\r\nContent-Length: 0\r\n"
		                 "Connection: close\r\n\r\n", s.status);
		if (write(c, out, (size_t)n) < 0)
			perror("receiver");
	}
	close(c);
	return NULL;
}

static void *accept_loop(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(rx.fd, NULL, NULL);
		if (c < 0)
			return NULL;
		pthread_t t;
		if (pthread_create(&t, NULL, serve_one, (void *)(intptr_t)c) == 0)
			pthread_detach(t);
		else
			close(c);
	}
}

/* The receiver runs in the test's own process (Check forks each test: a thread started by the
 * fixture would record into the parent's memory). */
static void receiver_start(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	rx.fd = socket(AF_INET, SOCK_STREAM, 0);
	if (rx.fd < 0 || bind(rx.fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(rx.fd, 64) != 0 ||
	    getsockname(rx.fd, (struct sockaddr *)&a, &len) != 0) {
		perror("receiver");
		abort();
	}
	rx.port = ntohs(a.sin_port);
	pthread_t t;
	pthread_create(&t, NULL, accept_loop, NULL);
	pthread_detach(t);
}

static void setup(void)
{
	static const char *const env[] = {"WMS_EVENTS_POLL_MS=100", "WMS_EVENTS_TIMEOUT=1",
	                                  "WMS_EVENTS_RETRY_SCALE=1", "WMS_ESCROW_RELEASE_EVERY=0",
	                                  NULL};
	th_server_start(&th_srv, env);
}

/* The subscriptions made here end with the suite: the suites after it share the database
 * and count its rows (their orders' events would otherwise be attempted in the background). */
static void teardown(void)
{
	th_teardown();
	th_sql("UPDATE event_subscriptions SET state = 'disabled', disabled_reason = 'test over'"
	       " WHERE state = 'active'; UPDATE event_outbox SET state = 'failed' WHERE state ="
	       " 'pending'");
}

/* A subscription of the platform to every event type at path; its id and secret. */
static void subscribe(const char *key, const char *path, char id[40], char secret[80])
{
	struct th_resp *r = th_reqf("POST", "/v1/event-subscriptions", key,
	                            "{\"url\":\"http://127.0.0.1:%d%s\",\"events\":["
	                            "\"package.status_changed\",\"order.delivered\","
	                            "\"escrow.released\"]}", rx.port, path);
	ck_assert_msg(r->status == 201, "%s", r->body);
	snprintf(id, 40, "%s", th_str(r->json, "id"));
	snprintf(secret, 80, "%s", th_str(r->json, "secret"));
	th_resp_free(r);
}


static void shipped(const struct ob_world *o, const char *ean, struct ob_parcel *p)
{
	ob_ship(o, "SKU-A", ean, 1, 1500, 400, p);
}

static void track(const char *key, const char *tracking, const char *code, long ago)
{
	char at[INSTANT_TEXT];
	instant_format(((int64_t)time(NULL) - ago) * INSTANT_US, at);
	struct th_resp *r = th_reqf("POST", "/v1/tracking/events", key,
	                            "{\"events\":[{\"event_id\":\"%s\",\"tracking_number\":\"%s\","
	                            "\"code\":\"%s\",\"occurred_at\":\"%s\"}]}", th_code("EV"),
	                            tracking, code, at);
	ck_assert_msg(r->status == 200 && th_num(r->json, "counts.applied", 0) == 1, "%s", r->body);
	th_resp_free(r);
}

START_TEST(every_event_arrives_signed_at_least_once_in_order_per_parcel)
{
	struct ob_world o;
	struct ob_parcel p, q;
	char g[15], ean[14], sub[40], secret[80], gone[40], gone_secret[80];
	receiver_start();
	ob_world_new_in(&o, "USD");
	ob_sku_new(&o, "SKU-A", g, ean);
	ob_stock(&o, "SKU-A", "S-01", "", NULL, 10);
	th_expect(th_call("PUT", o.w.admin, "{\"name\":\"T\",\"status_codes\":{\"IT\":\"in_transit\","
	                  "\"OD\":\"out_for_delivery\",\"DL\":\"delivered\"}}", "/v1/carriers/%s",
	                  o.carrier), 200);
	const char *ckey = th_key(AUTH_CARRIER, o.carrier);
	char carrier_key[AUTH_KEY_LEN + 1];
	snprintf(carrier_key, sizeof carrier_key, "%s", ckey);
	subscribe(o.platform, "/hook", sub, secret);
	subscribe(o.platform, "/gone", gone, gone_secret);
	/* a seller's subscription needs an http:// URL and known event types */
	ck_assert(th_problem(th_reqf("POST", "/v1/event-subscriptions", o.w.seller_key,
	                             "{\"url\":\"ftp://x\",\"events\":[\"order.lost\"]}"), 422, "url",
	                     NULL));
	shipped(&o, ean, &p);
	shipped(&o, ean, &q);
	track(carrier_key, p.tracking, "IT", 3600);
	track(carrier_key, q.tracking, "IT", 3500);
	track(carrier_key, p.tracking, "OD", 1800);
	track(carrier_key, p.tracking, "DL", 600);
	track(carrier_key, q.tracking, "DL", 500);
	th_expect(th_call("POST", o.platform, NULL, "/v1/orders/%s/confirm-receipt", p.order), 200);
	/* 5 status changes, 2 deliveries, 1 release: 8 events per subscription */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM event_outbox WHERE subscription_id = $1",
	                               sub, NULL), "8");
	bool done = false;
	for (int i = 0; i < 300 && !done; i++) {
		done = strcmp(th_sql_valuep("SELECT count(*) FROM event_outbox WHERE subscription_id = $1"
		                            " AND state = 'delivered'", sub, NULL), "8") == 0;
		if (!done)
			usleep(100 * 1000);
	}
	ck_assert_msg(done, "not every event was delivered: %s",
	              th_sql_valuep("SELECT string_agg(state || ' ' || attempts || ' ' || "
	                            "coalesce(last_error, ''), '; ') FROM event_outbox WHERE "
	                            "subscription_id = $1", sub, NULL));
	/* every event arrived (answered 200), each request signed with the secret */
	pthread_mutex_lock(&rx.mu);
	int n = rx.n;
	pthread_mutex_unlock(&rx.mu);
	int oks = 0;
	for (int i = 0; i < n; i++) {
		const struct seen *s = &rx.rows[i];
		if (strcmp(s->path, "/hook") != 0)
			continue;
		const char *secrets[] = {secret};
		ck_assert_int_eq(webhook_sig_verify(secrets, 1, s->id, s->ts, s->sig, s->body,
		                                    strlen(s->body), time(NULL), 600),
		                 WEBHOOK_SIG_OK);
		if (s->status == 200)
			oks++;
	}
	ck_assert_int_ge(oks, 8);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM event_outbox o WHERE subscription_id = $1"
	                               " AND NOT EXISTS (SELECT 1 FROM event_attempts a WHERE"
	                               " a.outbox_id = o.id AND a.status = 200)", sub, NULL), "0");
	/* in order per subject: the first 200 of each event comes in the outbox's order */
	const char *subjects = th_sql_valuep("SELECT string_agg(DISTINCT subject::text, ',') FROM"
	                                     " event_outbox WHERE subscription_id = $1", sub, NULL);
	char subj[512];
	snprintf(subj, sizeof subj, "%s", subjects);
	for (char *t = strtok(subj, ","); t; t = strtok(NULL, ",")) {
		char order[1024];
		th_sql_copyp(order, sizeof order,
		             "SELECT string_agg(id::text, ',' ORDER BY created_at, id) FROM event_outbox"
		             " WHERE subscription_id = $1 AND subject = $2", sub, t, NULL);
		char got[1024] = "";
		size_t used = 0;
		for (int i = 0; i < n; i++) {
			const struct seen *s = &rx.rows[i];
			if (s->status != 200 || !strstr(order, s->id) || strstr(got, s->id))
				continue;
			used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", used ? "," : "",
			                         s->id);
		}
		ck_assert_msg(strcmp(got, order) == 0, "subject %s: received %s, outbox order %s", t,
		              got, order);
	}
	/* the failed and the timed-out attempts are recorded, then their success */
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(status::text, ',' ORDER BY attempt) FROM"
	                               " event_attempts WHERE outbox_id = $1", rx.fail_id, NULL),
	                 "500,200");
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(status::text, ',' ORDER BY attempt) FROM"
	                               " event_attempts WHERE outbox_id = $1", rx.hang_id, NULL),
	                 "0,200");
	struct th_resp *r = th_call("GET", o.platform, NULL, "/v1/event-subscriptions/%s/deliveries",
	                            sub);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 8);
	th_resp_free(r);
	th_expect(th_call("GET", o.w.seller_key, NULL, "/v1/event-subscriptions/%s/deliveries", sub),
	          404);
	/* 410 Gone disabled the other subscription and failed its events */
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM event_subscriptions WHERE id = $1", gone,
	                               NULL), "disabled");
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM event_outbox WHERE subscription_id = $1"
	                               " AND state = 'pending'", gone, NULL), "0");
}
END_TEST

Suite *events_out_suite(void);
Suite *events_out_suite(void)
{
	Suite *s = suite_create("events_out");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_event_arrives_signed_at_least_once_in_order_per_parcel);
	suite_add_tcase(s, tc);
	return s;
}
