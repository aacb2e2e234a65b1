/* check_http_core.c — the server over HTTP against real PostgreSQL: ops
 * endpoints, warehouses, every error class, authentication, a slow query
 * that must not delay others nor be cut by the request deadline, a client
 * hanging up, and a graceful stop. */
#include <check.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/cli/keys.h"
#include "tests/harness/th.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* Creates a warehouse with a fresh code through the API; returns the code. */
static const char *new_warehouse(const char *admin)
{
	static char code[64];
	snprintf(code, sizeof code, "%s", th_code("WH"));
	struct th_resp *r = th_reqf("POST", "/v1/warehouses", admin,
	                            "{\"code\":\"%s\",\"name\":\"Test\",\"country\":\"ES\","
	                            "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}",
	                            code);
	ck_assert_int_eq(r->status, 201);
	th_resp_free(r);
	return code;
}

START_TEST(ops_endpoints)
{
	struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "status"), "ok");
	ck_assert_ptr_nonnull(th_header(r, "X-Request-Id"));
	th_resp_free(r);

	r = th_req("GET", "/healthz", NULL, NULL, NULL, "X-Request-Id: scanner-42.abc");
	ck_assert_str_eq(th_header(r, "X-Request-Id"), "scanner-42.abc");
	th_resp_free(r);
	r = th_req("GET", "/healthz", NULL, NULL, NULL, "X-Request-Id: bad id with spaces");
	ck_assert_str_ne(th_header(r, "X-Request-Id"), "bad id with spaces");
	th_resp_free(r);

	r = th_req("GET", "/readyz", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "status"), "ready");
	ck_assert(th_num(r->json, "schema_version", 0) >= 1);
	th_resp_free(r);

	r = th_req("HEAD", "/healthz", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(r->len, 0);
	th_resp_free(r);

	r = th_req("GET", "/v1/openapi.json", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "openapi"), "3.1.0");
	th_resp_free(r);

	r = th_req("GET", "/metrics", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert(strstr(r->ctype, "text/plain"));
	ck_assert(strstr(r->body, "wms_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}"));
	ck_assert(strstr(r->body, "wms_http_request_duration_seconds_bucket{route=\"/readyz\",le=\"+Inf\"}"));
	ck_assert(strstr(r->body, "wms_db_pool_size "));
	ck_assert(strstr(r->body, "wms_db_pool_waiting "));
	th_resp_free(r);
}
END_TEST

START_TEST(not_found_and_method)
{
	struct th_resp *r = th_req("GET", "/v1/nothing-here", NULL, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);
	r = th_req("DELETE", "/v1/warehouses", th_key(AUTH_ADMIN, NULL), NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 405));
	ck_assert_str_eq(th_header(r, "Allow"), "POST, GET");
	th_resp_free(r);
}
END_TEST

START_TEST(warehouse_lifecycle)
{
	char admin[AUTH_KEY_LEN + 1];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	char code[64];
	snprintf(code, sizeof code, "%s", th_code("WH"));
	struct th_resp *r = th_reqf("POST", "/v1/warehouses", admin,
	                            "{\"code\":\"%s\",\"name\":\"Madrid FC\",\"country\":\"ES\","
	                            "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}",
	                            code);
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(th_str(r->json, "code"), code);
	ck_assert_str_eq(th_str(r->json, "time_zone"), "Europe/Madrid");
	ck_assert_int_eq(th_num(r->json, "over_receipt_tolerance_bp", -1), 1000);
	ck_assert_int_eq(strlen(th_str(r->json, "id")), 36);
	th_resp_free(r);

	r = th_reqf("POST", "/v1/warehouses", admin,
	            "{\"code\":\"%s\",\"name\":\"Again\",\"country\":\"ES\","
	            "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}", code);
	ck_assert(th_is_problem(r, 409));
	th_resp_free(r);

	char path[128];
	snprintf(path, sizeof path, "/v1/warehouses/%s", code);
	r = th_reqf("PATCH", path, admin, "{\"name\":\"Madrid FC 2\",\"over_receipt_tolerance_bp\":500}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "name"), "Madrid FC 2");
	ck_assert_int_eq(th_num(r->json, "over_receipt_tolerance_bp", -1), 500);
	ck_assert_str_eq(th_str(r->json, "country"), "ES");
	th_resp_free(r);

	r = th_reqf("PATCH", path, admin, "{\"code\":\"OTHER\"}");
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "code"));
	th_resp_free(r);

	r = th_req("PATCH", "/v1/warehouses/NO-SUCH-WH", admin, "{\"name\":\"x\"}", NULL, NULL);
	ck_assert(th_is_problem(r, 404));
	th_resp_free(r);

	/* every role may read; a seller too */
	r = th_req("GET", path, th_key(AUTH_PLATFORM, NULL), NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "name"), "Madrid FC 2");
	th_resp_free(r);
}
END_TEST

START_TEST(warehouse_pagination)
{
	char admin[AUTH_KEY_LEN + 1], codes[3][64];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	for (int i = 0; i < 3; i++)
		strcpy(codes[i], new_warehouse(admin));
	/* newest first: walk pages of 1 until the three are seen in reverse order */
	char path[256] = "/v1/warehouses?limit=1";
	int seen = 0;
	for (int page = 0; page < 3; page++) {
		struct th_resp *r = th_req("GET", path, admin, NULL, NULL, NULL);
		ck_assert_int_eq(r->status, 200);
		ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
		ck_assert_str_eq(th_str(r->json, "items.0.code"), codes[2 - page]);
		seen++;
		const char *next = th_str(r->json, "next_cursor");
		ck_assert_ptr_nonnull(next);
		snprintf(path, sizeof path, "/v1/warehouses?limit=1&cursor=%s", next);
		th_resp_free(r);
	}
	ck_assert_int_eq(seen, 3);
	struct th_resp *r = th_req("GET", "/v1/warehouses?limit=0", admin, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 400));
	th_resp_free(r);
	r = th_req("GET", "/v1/warehouses?cursor=garbage", admin, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 400));
	th_resp_free(r);
}
END_TEST

START_TEST(staff_scope)
{
	char admin[AUTH_KEY_LEN + 1], own[64], other[64], staff[AUTH_KEY_LEN + 1], path[128];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	strcpy(own, new_warehouse(admin));
	strcpy(other, new_warehouse(admin));
	strcpy(staff, th_key(AUTH_STAFF, own));

	snprintf(path, sizeof path, "/v1/warehouses/%s", own);
	struct th_resp *r = th_req("GET", path, staff, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	snprintf(path, sizeof path, "/v1/warehouses/%s", other);
	r = th_req("GET", path, staff, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 404)); /* another tenant's object: 404, not 403 */
	th_resp_free(r);
	r = th_req("GET", "/v1/warehouses", staff, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.code"), own);
	th_resp_free(r);
	/* staff may not create */
	r = th_req("POST", "/v1/warehouses", staff, "{}", NULL, NULL);
	ck_assert(th_is_problem(r, 403));
	th_resp_free(r);
}
END_TEST

START_TEST(request_errors)
{
	char admin[AUTH_KEY_LEN + 1];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	struct th_resp *r = th_req("POST", "/v1/warehouses", admin, "{\"code\": ", NULL, NULL);
	ck_assert(th_is_problem(r, 400));
	th_resp_free(r);
	r = th_req("POST", "/v1/warehouses", admin, "[1,2]", NULL, NULL);
	ck_assert(th_is_problem(r, 400));
	th_resp_free(r);
	r = th_req("POST", "/v1/warehouses", admin, "code=X", "application/x-www-form-urlencoded", NULL);
	ck_assert(th_is_problem(r, 415));
	th_resp_free(r);
	r = th_req("POST", "/v1/warehouses", admin, "{}", "application/json; charset=utf-8", NULL);
	ck_assert(th_is_problem(r, 422)); /* parameters on the media type are fine */
	th_resp_free(r);

	size_t big = 1048576 + 10;
	char *body = malloc(big + 1);
	memset(body, ' ', big);
	body[0] = '{';
	body[big - 1] = '}';
	body[big] = '\0';
	r = th_req("POST", "/v1/warehouses", admin, body, NULL, NULL);
	ck_assert(th_is_problem(r, 413));
	th_resp_free(r);
	free(body);

	r = th_req("POST", "/v1/warehouses", admin, "{\"name\":\"\",\"country\":\"XX\","
	           "\"time_zone\":\"Mars/Olympus\",\"kind\":\"shed\",\"code\":\"lower case\","
	           "\"over_receipt_tolerance_bp\":-1,\"colour\":\"red\"}", NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	const char *fields[] = {"code", "name", "country", "time_zone", "kind",
	                        "over_receipt_tolerance_bp", "colour"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		ck_assert(th_has_field_error(r, fields[i]));
	th_resp_free(r);

	r = th_req("POST", "/v1/warehouses", admin, "{}", NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "code") && th_has_field_error(r, "time_zone"));
	th_resp_free(r);
}
END_TEST

START_TEST(authentication)
{
	struct th_resp *r = th_req("GET", "/v1/warehouses", NULL, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 401));
	ck_assert_str_eq(th_header(r, "WWW-Authenticate"), "Bearer");
	th_resp_free(r);
	r = th_req("GET", "/v1/warehouses", "wms_not-a-real-key", NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 401));
	th_resp_free(r);
	r = th_req("GET", "/v1/warehouses", NULL, NULL, NULL, "Authorization: Basic dXNlcjpwYXNz");
	ck_assert(th_is_problem(r, 401));
	th_resp_free(r);

	/* a revoked key stops working at once, although it was cached */
	char key[AUTH_KEY_LEN + 1], id[37], err[256];
	PGconn *c = PQconnectdb(getenv("DATABASE_URL"));
	ck_assert_int_eq(keys_create(c, AUTH_PLATFORM, NULL, "revoke-test", key, id, err, sizeof err), 0);
	r = th_req("GET", "/v1/warehouses", key, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	ck_assert_int_eq(keys_revoke(c, id, err, sizeof err), 0);
	ck_assert_int_eq(keys_revoke(c, id, err, sizeof err), -1); /* already revoked */
	PQfinish(c);
	long status = 0;
	for (int i = 0; i < 50 && status != 401; i++) { /* the NOTIFY arrives within ms */
		r = th_req("GET", "/v1/warehouses", key, NULL, NULL, NULL);
		status = r->status;
		th_resp_free(r);
		if (status != 401)
			usleep(20000);
	}
	ck_assert_int_eq(status, 401);
}
END_TEST

/* Holds a row lock on the warehouse from another connection so that a PATCH
 * of it waits inside PostgreSQL: a real slow query. */
static PGconn *lock_warehouse(const char *code)
{
	PGconn *c = PQconnectdb(getenv("DATABASE_URL"));
	ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
	PQclear(PQexec(c, "BEGIN"));
	const char *p[] = {code};
	PGresult *res = PQexecParams(c, "SELECT 1 FROM warehouses WHERE code = $1 FOR UPDATE", 1,
	                             NULL, p, NULL, NULL, 0);
	ck_assert_int_eq(PQntuples(res), 1);
	PQclear(res);
	return c;
}

/* Forks a client that PATCHes the warehouse; exits with status/100 (2 = 2xx). */
static pid_t patch_in_background(const char *code, const char *admin)
{
	pid_t pid = fork();
	if (pid == 0) {
		char path[128];
		snprintf(path, sizeof path, "/v1/warehouses/%s", code);
		struct th_resp *r = th_req("PATCH", path, admin, "{\"name\":\"slow\"}", NULL, NULL);
		_exit((int)(r->status / 100));
	}
	return pid;
}

/* A PATCH that waits inside PostgreSQL: the warehouse row is locked by
 * another connection, the PATCH is sent from a forked client. With own, the
 * request goes to a server started for this test (whose exit status the
 * test can check); else to the suite's server. */
struct waiting_patch {
	struct th_server own;
	char admin[AUTH_KEY_LEN + 1];
	char code[64];
	PGconn *lock;
	pid_t client;
};

static void begin_waiting_patch(struct waiting_patch *w, int own, const char *const *env)
{
	strcpy(w->admin, th_key(AUTH_ADMIN, NULL));
	strcpy(w->code, new_warehouse(w->admin));
	if (own) {
		th_server_start(&w->own, env);
		th_srv = w->own; /* this forked test's copy */
	}
	w->lock = lock_warehouse(w->code);
	w->client = patch_in_background(w->code, w->admin);
	/* wait until the PATCH's UPDATE is really waiting for the row lock (a
	 * connection outside the lock's transaction: activity stats are frozen
	 * for the length of a transaction) */
	PGconn *c = PQconnectdb(getenv("DATABASE_URL"));
	int waiting = 0;
	for (int i = 0; i < 500 && !waiting; i++) {
		PGresult *res = PQexec(c, "SELECT count(*) FROM pg_stat_activity a "
		                          "JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted "
		                          "WHERE a.application_name = 'wmsd' "
		                          "AND a.query LIKE 'UPDATE warehouses%'");
		waiting = PQresultStatus(res) == PGRES_TUPLES_OK && atoi(PQgetvalue(res, 0, 0)) > 0;
		PQclear(res);
		if (!waiting)
			usleep(10000);
	}
	PQfinish(c);
	ck_assert_msg(waiting, "the PATCH never reached the lock");
}

/* Lets the PATCH's query finish. */
static void release_waiting_patch(struct waiting_patch *w)
{
	PQclear(PQexec(w->lock, "COMMIT"));
	PQfinish(w->lock);
}

/* The forked client's outcome: status / 100 (2 for 2xx, 0 for no answer). */
static int client_outcome(struct waiting_patch *w)
{
	int status;
	ck_assert_int_eq(waitpid(w->client, &status, 0), w->client);
	return WEXITSTATUS(status);
}

START_TEST(slow_query_does_not_block)
{
	struct waiting_patch w;
	begin_waiting_patch(&w, 0, NULL);
	double t0 = now_ms();
	struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
	double took = now_ms() - t0;
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	/* a read through the pool still flows on another connection */
	r = th_req("GET", "/v1/warehouses?limit=1", w.admin, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	int status;
	ck_assert_int_eq(waitpid(w.client, &status, WNOHANG), 0); /* the PATCH is still waiting */
	release_waiting_patch(&w);
	ck_assert_int_eq(client_outcome(&w), 2);
	ck_assert_msg(took < 500.0, "/healthz took %.1f ms while a query was waiting", took);
}
END_TEST

START_TEST(client_hangs_up_during_query)
{
	/* on a server of its own, so that its exit status can be checked: no
	 * crash and (in the sanitizer build) no leak report after the hang-up */
	struct waiting_patch w;
	begin_waiting_patch(&w, 1, NULL);
	kill(w.client, SIGKILL); /* the client vanishes while its query waits */
	waitpid(w.client, NULL, 0);
	usleep(100000);
	release_waiting_patch(&w); /* the query finishes; its reply has nowhere to go */
	usleep(200000);
	struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	char path[128];
	snprintf(path, sizeof path, "/v1/warehouses/%s", w.code);
	r = th_req("GET", path, w.admin, NULL, NULL, NULL);
	ck_assert_str_eq(th_str(r->json, "name"), "slow"); /* the update itself committed */
	th_resp_free(r);
	ck_assert_int_eq(th_server_stop(&w.own), 0);
}
END_TEST

START_TEST(full_queue_is_503)
{
	/* one connection carrying one query, no queue: while the PATCH holds the
	 * connection, the next query is refused with 503 and Retry-After instead
	 * of piling up */
	static const char *const env[] = {"WMS_DB_POOL=1", "WMS_DB_PIPELINE=1", "WMS_DB_QUEUE=0", NULL};
	struct waiting_patch w;
	begin_waiting_patch(&w, 1, env);
	char path[128];
	snprintf(path, sizeof path, "/v1/warehouses/%s", w.code);
	struct th_resp *r = th_req("GET", path, w.admin, NULL, NULL, NULL); /* key is cached */
	ck_assert(th_is_problem(r, 503));
	ck_assert_str_eq(th_header(r, "Retry-After"), "1");
	th_resp_free(r);
	release_waiting_patch(&w);
	ck_assert_int_eq(client_outcome(&w), 2);
	r = th_req("GET", path, w.admin, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	ck_assert_int_eq(th_server_stop(&w.own), 0);
}
END_TEST

START_TEST(request_deadline_spares_a_database_wait)
{
	/* the PATCH arrived whole and waits in PostgreSQL longer than the
	 * deadline for receiving a request: it is not cut */
	static const char *const env[] = {"WMS_REQUEST_TIMEOUT=1", NULL};
	struct waiting_patch w;
	begin_waiting_patch(&w, 1, env);
	usleep(2500000);
	release_waiting_patch(&w);
	ck_assert_int_eq(client_outcome(&w), 2);
	ck_assert_int_eq(th_server_stop(&w.own), 0);
}
END_TEST

START_TEST(graceful_stop)
{
	/* SIGTERM while a request waits in PostgreSQL */
	struct waiting_patch w;
	begin_waiting_patch(&w, 1, NULL);
	kill(w.own.pid, SIGTERM);
	/* no longer accepting (within 5 s: the signal is handled on the loop's next turn, later
	 * on a loaded machine), while the request still waits in PostgreSQL */
	int status = -1;
	for (int i = 0; i < 100 && status != 0; i++) {
		usleep(50000);
		struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
		status = r->status;
		th_resp_free(r);
	}
	ck_assert_int_eq(status, 0);
	release_waiting_patch(&w);
	ck_assert_int_eq(client_outcome(&w), 2);      /* the in-flight request was answered */
	ck_assert_int_eq(th_server_stop(&w.own), 0); /* and the server exited 0 */
}
END_TEST

Suite *http_core_suite(void);
Suite *http_core_suite(void)
{
	Suite *s = suite_create("http_core");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ops_endpoints);
	tcase_add_test(tc, not_found_and_method);
	tcase_add_test(tc, warehouse_lifecycle);
	tcase_add_test(tc, warehouse_pagination);
	tcase_add_test(tc, staff_scope);
	tcase_add_test(tc, request_errors);
	tcase_add_test(tc, authentication);
	tcase_add_test(tc, slow_query_does_not_block);
	tcase_add_test(tc, client_hangs_up_during_query);
	tcase_add_test(tc, full_queue_is_503);
	tcase_add_test(tc, request_deadline_spares_a_database_wait);
	tcase_add_test(tc, graceful_stop);
	suite_add_tcase(s, tc);
	return s;
}
