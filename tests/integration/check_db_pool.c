/* check_db_pool.c — the database pool (api/db/db.c) against the test cluster:
 * queries, queueing, SQL errors, non-blocking behaviour, LISTEN/NOTIFY, and,
 * in the last test case, a PostgreSQL stop and restart.
 *
 * Each test makes its own event_base and pool and runs the loop until its
 * callbacks are in, with a deadline so that a bug fails instead of hanging.
 * Needs DATABASE_URL; the restart case also WMS_PGCLUSTER and WMS_TEST_PGDIR
 * (tests/with-pg.sh sets all three). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "api/db/db.h"

struct result {
	int done;
	enum db_outcome outcome;
	char sqlstate[8];
	char message[512];
	char constraint[128];
	int has_detail;
	int ntuples;
	int value_null;
	char value[256]; /* first column of the first row */
};

struct env {
	struct event_base *base;
	struct db_pool *pool;
};

static int in_submit; /* set around db_query(): a callback must never see it */

static void on_reply(void *arg, const struct db_reply *rep)
{
	struct result *r = arg;
	ck_assert_msg(!in_submit, "callback called from inside db_query()");
	ck_assert_msg(!r->done, "callback called twice");
	r->done = 1;
	r->outcome = rep->outcome;
	if (rep->sqlstate)
		snprintf(r->sqlstate, sizeof r->sqlstate, "%s", rep->sqlstate);
	if (rep->message)
		snprintf(r->message, sizeof r->message, "%s", rep->message);
	if (rep->constraint)
		snprintf(r->constraint, sizeof r->constraint, "%s", rep->constraint);
	r->has_detail = rep->detail != NULL;
	if (rep->outcome == DB_OK) {
		r->ntuples = PQntuples(rep->res);
		r->value_null = 1;
		if (r->ntuples > 0 && PQnfields(rep->res) > 0 && !PQgetisnull(rep->res, 0, 0)) {
			r->value_null = 0;
			snprintf(r->value, sizeof r->value, "%s", PQgetvalue(rep->res, 0, 0));
		}
	}
}

static enum db_submit submit(struct env *e, const struct db_stmt *st, int n,
                             const char *const *params, struct result *r)
{
	enum db_submit s;
	in_submit = 1;
	s = db_query(e->pool, st, n, params, on_reply, r);
	in_submit = 0;
	return s;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
}

typedef int cond_fn(void *arg);

/* Runs the loop until cond(arg) holds or timeout_ms pass; returns cond's
 * last value. A 20 ms tick keeps EVLOOP_ONCE from sleeping past the deadline. */
static int run_until(struct env *e, cond_fn *cond, void *arg, int timeout_ms)
{
	struct timeval tv = {0, 20000};
	struct event *tick = event_new(e->base, -1, EV_PERSIST, on_tick, NULL);
	long long deadline = now_ms() + timeout_ms;
	int ok;
	ck_assert_ptr_nonnull(tick);
	ck_assert_int_eq(event_add(tick, &tv), 0);
	while (!(ok = cond(arg)) && now_ms() < deadline)
		event_base_loop(e->base, EVLOOP_ONCE);
	event_free(tick);
	return ok;
}

static int cond_done(void *arg)
{
	return ((struct result *)arg)->done;
}

struct all_done {
	struct result *r;
	int n;
};

static int cond_all_done(void *arg)
{
	struct all_done *a = arg;
	for (int i = 0; i < a->n; i++)
		if (!a->r[i].done)
			return 0;
	return 1;
}

static int cond_ready(void *arg)
{
	return db_pool_ready(((struct env *)arg)->pool);
}

static int cond_all_connected(void *arg)
{
	struct db_pool_stats st;
	db_pool_stats(((struct env *)arg)->pool, &st);
	return st.connected == st.size;
}

static int cond_none_connected(void *arg)
{
	struct db_pool_stats st;
	db_pool_stats(((struct env *)arg)->pool, &st);
	return st.connected == 0;
}

/* Runs one query to the end and returns its result. */
static struct result run1(struct env *e, const struct db_stmt *st, int n, const char *const *params)
{
	struct result r = {0};
	ck_assert_int_eq(submit(e, st, n, params, &r), DB_SUBMIT_OK);
	ck_assert_msg(run_until(e, cond_done, &r, 10000), "query %s did not finish", st->name);
	return r;
}

static void env_open_opts(struct env *e, const struct db_pool_options *opt)
{
	char err[256] = "";
	e->base = event_base_new();
	ck_assert_ptr_nonnull(e->base);
	e->pool = db_pool_new(e->base, opt, err, sizeof err);
	ck_assert_msg(e->pool != NULL, "db_pool_new: %s", err);
	ck_assert_msg(run_until(e, cond_all_connected, e, 10000), "the pool did not connect");
}

static void env_open(struct env *e, int size, int queue_max)
{
	const char *url = getenv("DATABASE_URL");
	struct db_pool_options opt = {
		.conninfo = url, .size = size, .queue_max = queue_max,
		.application_name = "wms-test-db",
	};
	ck_assert_msg(url != NULL, "DATABASE_URL is not set");
	env_open_opts(e, &opt);
}

static void env_close(struct env *e)
{
	db_pool_free(e->pool);
	event_base_free(e->base);
	e->pool = NULL;
	e->base = NULL;
}

static const struct db_stmt st_echo = {
	"db_test_echo",
	"SELECT $1::text AS a, $2::text AS b, $1::int + 1 AS n, $2::text IS NULL AS b_null, "
	"'x' AS word",
};

struct echo_check {
	int done;
};

/* Looks at the result while it is valid: the db_value helpers. */
static void on_echo(void *arg, const struct db_reply *rep)
{
	struct echo_check *c = arg;
	ck_assert_msg(!in_submit, "callback called from inside db_query()");
	ck_assert_int_eq(rep->outcome, DB_OK);
	ck_assert_int_eq(PQntuples(rep->res), 1);
	ck_assert_str_eq(db_value(rep->res, 0, "a"), "41");
	ck_assert_ptr_null(db_value(rep->res, 0, "b"));
	ck_assert_ptr_null(db_value(rep->res, 0, "no_such_column"));
	ck_assert_ptr_null(db_value(rep->res, 1, "a"));
	ck_assert_ptr_null(db_value(rep->res, -1, "a"));
	ck_assert_int_eq(db_value_ll(rep->res, 0, "n", -1), 42);
	ck_assert_int_eq(db_value_ll(rep->res, 0, "b", -7), -7);
	ck_assert_int_eq(db_value_ll(rep->res, 0, "word", -8), -8);
	ck_assert_int_eq(db_value_bool(rep->res, 0, "b_null"), 1);
	ck_assert_int_eq(db_value_bool(rep->res, 0, "b"), 0);
	c->done++;
}

static int cond_echo2(void *arg)
{
	return ((struct echo_check *)arg)->done == 2;
}

START_TEST(parameters_are_copied_and_the_prepared_statement_runs_again)
{
	struct env e;
	struct echo_check chk = {0};
	char *p0 = strdup("41");
	const char *params[2] = {p0, NULL};
	env_open(&e, 2, 10);

	in_submit = 1;
	ck_assert_int_eq(db_query(e.pool, &st_echo, 2, params, on_echo, &chk), DB_SUBMIT_OK);
	in_submit = 0;
	memset(p0, 'X', 2); /* the parameters were copied */
	free(p0);
	ck_assert_msg(run_until(&e, cond_done, &chk, 10000), "no reply");
	/* again: now the statement is prepared on that connection */
	params[0] = "41";
	in_submit = 1;
	ck_assert_int_eq(db_query(e.pool, &st_echo, 2, params, on_echo, &chk), DB_SUBMIT_OK);
	in_submit = 0;
	ck_assert_msg(run_until(&e, cond_echo2, &chk, 10000), "no second reply");
	env_close(&e);
}
END_TEST

static const struct db_stmt st_double = {"db_test_double", "SELECT $1::int * 2 AS v"};

START_TEST(queries_beyond_the_pool_size_wait_their_turn_and_all_finish)
{
	enum { N = 300, SIZE = 4 };
	struct env e;
	struct result *r = calloc(N, sizeof *r);
	char num[N][16];
	struct all_done all = {r, N};
	struct db_pool_stats st;
	env_open(&e, SIZE, N);

	for (int i = 0; i < N; i++) {
		const char *params[1] = {num[i]};
		snprintf(num[i], sizeof num[i], "%d", i);
		ck_assert_int_eq(submit(&e, &st_double, 1, params, &r[i]), DB_SUBMIT_OK);
	}
	db_pool_stats(e.pool, &st);
	ck_assert_int_eq(st.size, SIZE);
	ck_assert_int_eq(st.connected, SIZE);
	ck_assert_int_eq(st.busy, SIZE);
	ck_assert_int_eq(st.waiting, N - SIZE);
	ck_assert_msg(run_until(&e, cond_all_done, &all, 20000), "not every query finished");
	for (int i = 0; i < N; i++) {
		char want[16];
		snprintf(want, sizeof want, "%d", 2 * i);
		ck_assert_int_eq(r[i].outcome, DB_OK);
		ck_assert_str_eq(r[i].value, want);
	}
	db_pool_stats(e.pool, &st);
	ck_assert_int_eq(st.busy, 0);
	ck_assert_int_eq(st.waiting, 0);
	env_close(&e);
	free(r);
}
END_TEST

static const struct db_stmt st_length = {"db_test_length", "SELECT length($1::text) AS n"};

/* A parameter far bigger than the socket buffer: PQflush returns 1 and the
 * rest goes out on write readiness. */
START_TEST(parameter_larger_than_the_socket_buffer_goes_out_whole)
{
	enum { BIG = 8 << 20 };
	struct env e;
	struct result r;
	char *big = malloc(BIG + 1);
	const char *params[1] = {big};
	env_open(&e, 1, 10);
	memset(big, 'a', BIG);
	big[BIG] = '\0';
	r = run1(&e, &st_length, 1, params);
	free(big);
	ck_assert_msg(r.outcome == DB_OK, "%s", r.message);
	ck_assert_int_eq(atoi(r.value), BIG);
	env_close(&e);
}
END_TEST

struct chain {
	struct db_pool *pool;
	int left;
	int ok;
	int refused;
};

/* Submits the next query from inside the callback, as handlers do. */
static void on_chain(void *arg, const struct db_reply *rep)
{
	struct chain *ch = arg;
	ck_assert_msg(!in_submit, "callback called from inside db_query()");
	if (rep->outcome == DB_OK)
		ch->ok++;
	if (--ch->left > 0) {
		in_submit = 1;
		if (db_query(ch->pool, &st_double, 1, (const char *const[]){"1"}, on_chain, ch) !=
		    DB_SUBMIT_OK) {
			ch->refused++;
			ch->left = 0;
		}
		in_submit = 0;
	}
}

static int cond_chain(void *arg)
{
	return ((struct chain *)arg)->left == 0;
}

START_TEST(callback_may_submit_the_next_query_without_a_queue)
{
	struct env e;
	struct chain ch = {0};
	env_open(&e, 1, 0); /* no queue at all: the connection is free again in the callback */
	ch.pool = e.pool;
	ch.left = 50;
	in_submit = 1;
	ck_assert_int_eq(db_query(e.pool, &st_double, 1, (const char *const[]){"1"}, on_chain, &ch),
	                 DB_SUBMIT_OK);
	in_submit = 0;
	ck_assert_msg(run_until(&e, cond_chain, &ch, 10000), "the chain did not finish");
	ck_assert_int_eq(ch.refused, 0);
	ck_assert_int_eq(ch.ok, 50);
	env_close(&e);
}
END_TEST

static const struct db_stmt st_sleep_short = {"db_test_sleep_short",
                                              "SELECT pg_sleep(0.2)::text AS slept"};

START_TEST(full_queue_refuses_at_once_and_never_calls_back)
{
	struct env e;
	struct result r[4] = {{0}};
	struct all_done all = {r, 3};
	struct db_pool_stats st;
	env_open(&e, 1, 2);

	ck_assert_int_eq(submit(&e, &st_sleep_short, 0, NULL, &r[0]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_sleep_short, 0, NULL, &r[1]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_sleep_short, 0, NULL, &r[2]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_sleep_short, 0, NULL, &r[3]), DB_SUBMIT_FULL);
	db_pool_stats(e.pool, &st);
	ck_assert_int_eq(st.busy, 1);
	ck_assert_int_eq(st.waiting, 2);
	ck_assert_msg(run_until(&e, cond_all_done, &all, 10000), "queued queries did not finish");
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(r[i].outcome, DB_OK);
	ck_assert_int_eq(r[3].done, 0); /* refused: never called */
	env_close(&e);
}
END_TEST

static const struct db_stmt st_create = {
	"db_test_create",
	"CREATE TEMP TABLE db_pool_t (k int CONSTRAINT db_pool_t_k_key UNIQUE)",
};
static const struct db_stmt st_insert = {"db_test_insert", "INSERT INTO db_pool_t VALUES ($1::int)"};
static const struct db_stmt st_divide = {"db_test_divide", "SELECT 1 / $1::int AS q"};
static const struct db_stmt st_count = {"db_test_count", "SELECT count(*) AS n FROM db_pool_t"};

START_TEST(sql_error_reports_sqlstate_and_constraint_and_the_connection_goes_on)
{
	struct env e;
	struct result r;
	const char *one[1] = {"1"}, *two[1] = {"2"}, *zero[1] = {"0"};
	env_open(&e, 1, 10); /* one connection: the temporary table is its own */

	r = run1(&e, &st_create, 0, NULL);
	ck_assert_msg(r.outcome == DB_OK, "create: %s", r.message);
	r = run1(&e, &st_insert, 1, one);
	ck_assert_int_eq(r.outcome, DB_OK);

	r = run1(&e, &st_insert, 1, one);
	ck_assert_int_eq(r.outcome, DB_SQL_ERROR);
	ck_assert_str_eq(r.sqlstate, "23505");
	ck_assert_str_eq(r.constraint, "db_pool_t_k_key");
	ck_assert_int_eq(r.has_detail, 1);
	ck_assert_msg(strstr(r.message, "duplicate key") != NULL, "message: %s", r.message);

	r = run1(&e, &st_divide, 1, zero);
	ck_assert_int_eq(r.outcome, DB_SQL_ERROR);
	ck_assert_str_eq(r.sqlstate, "22012");
	ck_assert_str_eq(r.constraint, "");

	/* the connection goes on working, and the failed insert left nothing */
	r = run1(&e, &st_insert, 1, two);
	ck_assert_int_eq(r.outcome, DB_OK);
	r = run1(&e, &st_count, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_str_eq(r.value, "2");
	r = run1(&e, &st_divide, 1, two);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_str_eq(r.value, "0");
	env_close(&e);
}
END_TEST

static const struct db_stmt st_bad = {"db_test_bad", "SELEC 1"};
static const struct db_stmt st_two = {"db_test_two", "SELECT 2 AS v"};

START_TEST(statement_that_fails_to_prepare_fails_the_same_way_every_time)
{
	struct env e;
	struct result r, rr[3] = {{0}};
	struct all_done all = {rr, 3};
	env_open(&e, 1, 10);

	r = run1(&e, &st_bad, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_SQL_ERROR);
	ck_assert_str_eq(r.sqlstate, "42601");
	r = run1(&e, &st_two, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_str_eq(r.value, "2");
	/* not marked prepared: the same error again, not "does not exist" */
	r = run1(&e, &st_bad, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_SQL_ERROR);
	ck_assert_str_eq(r.sqlstate, "42601");

	/* back to back on the one connection: bad, good, bad */
	ck_assert_int_eq(submit(&e, &st_bad, 0, NULL, &rr[0]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &rr[1]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_bad, 0, NULL, &rr[2]), DB_SUBMIT_OK);
	ck_assert_msg(run_until(&e, cond_all_done, &all, 10000), "queries did not finish");
	ck_assert_str_eq(rr[0].sqlstate, "42601");
	ck_assert_int_eq(rr[1].outcome, DB_OK);
	ck_assert_str_eq(rr[1].value, "2");
	ck_assert_str_eq(rr[2].sqlstate, "42601");
	env_close(&e);
}
END_TEST

static const struct db_stmt st_victim = {"db_test_victim", "SELECT 'v' AS v"};
static const struct db_stmt st_dealloc = {"db_test_dealloc", "DEALLOCATE db_test_victim"};

START_TEST(deallocated_statement_fails_once_then_is_prepared_again)
{
	struct env e;
	struct result r;
	env_open(&e, 1, 10);

	r = run1(&e, &st_victim, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_OK);
	r = run1(&e, &st_dealloc, 0, NULL);
	ck_assert_msg(r.outcome == DB_OK, "deallocate: %s", r.message);
	r = run1(&e, &st_victim, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_SQL_ERROR);
	ck_assert_str_eq(r.sqlstate, "26000");
	/* reported once; the next run prepares it again */
	r = run1(&e, &st_victim, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_str_eq(r.value, "v");
	env_close(&e);
}
END_TEST

static const struct db_stmt st_sleep = {"db_test_sleep", "SELECT pg_sleep(0.5)::text AS slept"};

struct timer_probe {
	struct result *query;
	int fired;
	int query_done_then;
};

static void on_probe(evutil_socket_t fd, short what, void *arg)
{
	struct timer_probe *t = arg;
	(void)fd, (void)what;
	t->fired = 1;
	t->query_done_then = t->query->done;
}

START_TEST(slow_query_does_not_block_the_event_loop)
{
	struct env e;
	struct result r = {0};
	struct timer_probe probe = {&r, 0, -1};
	struct timeval tv = {0, 100000};
	struct event *timer;
	long long t0;
	env_open(&e, 1, 10);

	timer = evtimer_new(e.base, on_probe, &probe);
	t0 = now_ms();
	ck_assert_int_eq(submit(&e, &st_sleep, 0, NULL, &r), DB_SUBMIT_OK);
	ck_assert_int_eq(evtimer_add(timer, &tv), 0);
	ck_assert_msg(run_until(&e, cond_done, &r, 10000), "the slow query did not finish");
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_int_ge(now_ms() - t0, 450);
	ck_assert_int_eq(probe.fired, 1);
	ck_assert_int_eq(probe.query_done_then, 0); /* the timer ran while the query was out */
	event_free(timer);
	env_close(&e);
}
END_TEST

static const struct db_stmt st_sleep_long = {"db_test_sleep_long", "SELECT pg_sleep(2)"};
static const struct db_stmt st_settings = {
	"db_test_settings",
	"SELECT current_setting('statement_timeout') || ' ' || current_setting('application_name')",
};

/* A pool of one connection with a statement timeout of 100 ms. */
static void env_open_timeout(struct env *e)
{
	struct db_pool_options opt = {
		.conninfo = getenv("DATABASE_URL"), .size = 1, .queue_max = 10,
		.statement_timeout_ms = 100, .application_name = "wms-test-timeout",
	};
	ck_assert_ptr_nonnull(opt.conninfo);
	env_open_opts(e, &opt);
}

START_TEST(connection_carries_the_configured_timeout_and_application_name)
{
	struct env e;
	struct result r;
	env_open_timeout(&e);
	r = run1(&e, &st_settings, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_str_eq(r.value, "100ms wms-test-timeout");
	env_close(&e);
}
END_TEST

START_TEST(statement_timeout_cancels_a_slow_query_and_the_connection_goes_on)
{
	struct env e;
	struct result r;
	env_open_timeout(&e);
	r = run1(&e, &st_sleep_long, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_SQL_ERROR);
	ck_assert_str_eq(r.sqlstate, "57014");
	r = run1(&e, &st_two, 0, NULL);
	ck_assert_int_eq(r.outcome, DB_OK);
	env_close(&e);
}
END_TEST

static const struct db_stmt st_notify = {"db_test_notify", "SELECT pg_notify($1, $2)"};

struct notes {
	int nulls;
	int payloads;
	char channel[64];
	char payload[128];
};

static void on_note(void *arg, const char *channel, const char *payload)
{
	struct notes *n = arg;
	if (!payload) {
		n->nulls++;
		return;
	}
	n->payloads++;
	snprintf(n->channel, sizeof n->channel, "%s", channel);
	snprintf(n->payload, sizeof n->payload, "%s", payload);
}

static int cond_listening(void *arg)
{
	return ((struct notes *)arg)->nulls >= 1;
}

static int cond_payload(void *arg)
{
	return ((struct notes *)arg)->payloads >= 1;
}

START_TEST(listen_refuses_an_empty_or_too_long_channel)
{
	struct env e;
	struct notes a = {0};
	char longname[80];
	env_open(&e, 1, 10);
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(db_pool_listen(e.pool, "", on_note, &a), -1);
	ck_assert_int_eq(db_pool_listen(e.pool, longname, on_note, &a), -1);
	env_close(&e);
}
END_TEST

START_TEST(each_channels_notifications_reach_only_its_listener)
{
	struct env e;
	struct notes a = {0}, b = {0};
	struct result r;
	const char *pa[2] = {"db_pool_test_a", "hello"};
	const char *pb[2] = {"db_pool_test b", "world"}; /* needs quoting */
	env_open(&e, 1, 10);

	ck_assert_int_eq(db_pool_listen(e.pool, pa[0], on_note, &a), 0);
	ck_assert_msg(run_until(&e, cond_listening, &a, 10000), "LISTEN did not take effect");
	ck_assert_int_eq(a.nulls, 1);
	r = run1(&e, &st_notify, 2, pa);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_msg(run_until(&e, cond_payload, &a, 10000), "no notification");
	ck_assert_str_eq(a.channel, "db_pool_test_a");
	ck_assert_str_eq(a.payload, "hello");

	/* a second channel on the live listen connection */
	ck_assert_int_eq(db_pool_listen(e.pool, pb[0], on_note, &b), 0);
	ck_assert_msg(run_until(&e, cond_listening, &b, 10000), "second LISTEN did not take effect");
	r = run1(&e, &st_notify, 2, pb);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_msg(run_until(&e, cond_payload, &b, 10000), "no notification on the second channel");
	ck_assert_str_eq(b.channel, "db_pool_test b");
	ck_assert_str_eq(b.payload, "world");
	ck_assert_int_eq(a.payloads, 1); /* nothing for the other channel */
	ck_assert_int_eq(a.nulls, 1);
	env_close(&e);
}
END_TEST

START_TEST(pool_refuses_size_zero_and_malformed_conninfo)
{
	char err[256] = "";
	struct event_base *base = event_base_new();
	struct db_pool_options opt = {.conninfo = getenv("DATABASE_URL"), .size = 0, .queue_max = 1};
	ck_assert_ptr_null(db_pool_new(base, &opt, err, sizeof err));
	ck_assert_msg(err[0] != '\0', "no error text");
	err[0] = '\0';
	opt.size = 1;
	opt.conninfo = "host='unterminated";
	ck_assert_ptr_null(db_pool_new(base, &opt, err, sizeof err));
	ck_assert_msg(strstr(err, "conninfo") != NULL, "error: %s", err);
	opt.conninfo = "postgresql://[bad";
	ck_assert_ptr_null(db_pool_new(base, &opt, err, sizeof err));
	event_base_free(base);
}
END_TEST

START_TEST(unreachable_server_fails_queries_as_unavailable_then_refuses_at_once)
{
	struct env e;
	char err[256] = "";
	struct result r = {0};
	struct db_pool_options opt = {
		.conninfo = "host=/nonexistent-wms-socket-dir port=5999 dbname=x user=x",
		.size = 2, .queue_max = 10,
	};
	e.base = event_base_new();
	e.pool = db_pool_new(e.base, &opt, err, sizeof err);
	ck_assert_msg(e.pool != NULL, "db_pool_new: %s", err);
	ck_assert_int_eq(db_pool_ready(e.pool), 0);
	/* while connecting the first time a query may wait; once every attempt
	 * failed it gets DB_UNAVAILABLE and new ones are refused at once */
	if (submit(&e, &st_two, 0, NULL, &r) == DB_SUBMIT_OK) {
		ck_assert_msg(run_until(&e, cond_done, &r, 10000), "the queued query was not failed");
		ck_assert_int_eq(r.outcome, DB_UNAVAILABLE);
		ck_assert_msg(strncmp(r.message, "database unavailable", 20) == 0, "%s", r.message);
	}
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r), DB_SUBMIT_DOWN);
	env_close(&e);
}
END_TEST

START_TEST(freeing_the_pool_fails_every_pending_query)
{
	struct env e;
	struct result r[3] = {{0}};
	env_open(&e, 1, 10);
	ck_assert_int_eq(submit(&e, &st_sleep, 0, NULL, &r[0]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r[1]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r[2]), DB_SUBMIT_OK);
	db_pool_free(e.pool); /* calls the callbacks synchronously */
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(r[i].done, 1);
		ck_assert_int_eq(r[i].outcome, DB_UNAVAILABLE);
		ck_assert_msg(strncmp(r[i].message, "database unavailable", 20) == 0, "%s", r[i].message);
	}
	event_base_free(e.base);
}
END_TEST

/* --- pipelining: several queries in flight on one connection --------------- */

static void env_open_pipelined(struct env *e, int size, int depth, int queue_max)
{
	const char *url = getenv("DATABASE_URL");
	struct db_pool_options opt = {
		.conninfo = url, .size = size, .queue_max = queue_max, .pipeline_depth = depth,
		.application_name = "wms-test-pipe",
	};
	ck_assert_msg(url != NULL, "DATABASE_URL is not set");
	env_open_opts(e, &opt);
}

static const struct db_stmt st_xid = {
	"db_test_xid", "SELECT txid_current()::text || '/' || pg_backend_pid() || '/' || $1::text AS v"};

/* One connection with depth 4: the queries go out as soon as they are submitted (from
 * the loop's kick), up to four at once; each runs as its own transaction, a failing one
 * (a division by zero, a statement that does not parse) aborts only itself, and the
 * answers come back in the order the queries were submitted. */
START_TEST(pipelined_queries_run_in_order_each_its_own_transaction)
{
	enum { N = 12 };
	struct env e;
	struct result r[N];
	struct all_done all = {r, N};
	struct db_pool_stats st;
	const char *zero[1] = {"0"};
	char num[N][8];
	memset(r, 0, sizeof r);
	env_open_pipelined(&e, 1, 4, N);
	/* prepared first: a query is not pipelined behind its own statement's Parse */
	const char *warm[1] = {"-1"};
	ck_assert_int_eq(run1(&e, &st_xid, 1, warm).outcome, DB_OK);
	ck_assert_int_eq(run1(&e, &st_divide, 1, warm).outcome, DB_OK);

	for (int i = 0; i < N; i++) {
		const char *p[1] = {num[i]};
		snprintf(num[i], sizeof num[i], "%d", i);
		if (i == 3)
			ck_assert_int_eq(submit(&e, &st_divide, 1, zero, &r[i]), DB_SUBMIT_OK);
		else if (i == 6 || i == 7)
			ck_assert_int_eq(submit(&e, &st_bad, 0, NULL, &r[i]), DB_SUBMIT_OK);
		else
			ck_assert_int_eq(submit(&e, &st_xid, 1, p, &r[i]), DB_SUBMIT_OK);
	}
	db_pool_stats(e.pool, &st);
	ck_assert_int_eq(st.busy, 1);
	/* the first went out at once; the others wait for the kick */
	ck_assert_int_eq(st.waiting, N - 1);
	event_base_loop(e.base, EVLOOP_NONBLOCK);
	db_pool_stats(e.pool, &st);
	ck_assert_msg(st.waiting <= N - 4, "nothing was pipelined: %d waiting", st.waiting);
	ck_assert_msg(run_until(&e, cond_all_done, &all, 10000), "not every query finished");

	long long prev_xid = 0;
	char pid[32] = "";
	for (int i = 0; i < N; i++) {
		if (i == 3) {
			ck_assert_str_eq(r[i].sqlstate, "22012");
			continue;
		}
		if (i == 6 || i == 7) { /* the same error both times, not "does not exist" */
			ck_assert_int_eq(r[i].outcome, DB_SQL_ERROR);
			ck_assert_str_eq(r[i].sqlstate, "42601");
			continue;
		}
		ck_assert_msg(r[i].outcome == DB_OK, "%d: %s", i, r[i].message);
		long long xid = atoll(r[i].value);
		const char *slash = strchr(r[i].value, '/');
		ck_assert_ptr_nonnull(slash);
		char want[16];
		snprintf(want, sizeof want, "/%d", i);
		size_t lv = strlen(r[i].value), lw = strlen(want);
		ck_assert_msg(lv > lw && strcmp(r[i].value + lv - lw, want) == 0, "%d answered %s", i,
		              r[i].value);
		ck_assert_msg(xid > prev_xid, "%d: transaction %lld not after %lld", i, xid, prev_xid);
		prev_xid = xid;
		if (!*pid)
			snprintf(pid, sizeof pid, "%.*s", (int)(strchr(slash + 1, '/') - slash - 1), slash + 1);
		ck_assert_msg(strncmp(slash + 1, pid, strlen(pid)) == 0, "%d ran on another backend", i);
	}
	db_pool_stats(e.pool, &st);
	ck_assert_int_eq(st.busy, 0);
	ck_assert_int_eq(st.waiting, 0);
	env_close(&e);
}
END_TEST

static const struct db_stmt st_pipe_sleep = {"db_test_pipe_sleep", "SELECT pg_sleep(60)"};
static const struct db_stmt st_terminate = {
	"db_test_terminate",
	"SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity "
	"WHERE application_name = 'wms-test-pipe' AND query LIKE '%pg_sleep(60)%'"};

/* A connection lost with three queries in flight fails all three (and the one that
 * waited behind them) with DB_UNAVAILABLE, each once; the pool reconnects and goes on. */
START_TEST(lost_connection_fails_every_query_in_flight_on_it)
{
	struct env e, killer;
	struct result r[4], k;
	struct all_done all = {r, 4};
	memset(r, 0, sizeof r);
	env_open_pipelined(&e, 1, 3, 10);
	env_open(&killer, 1, 10);

	ck_assert_int_eq(submit(&e, &st_pipe_sleep, 0, NULL, &r[0]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r[1]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r[2]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r[3]), DB_SUBMIT_OK);
	ck_assert_msg(run_until(&e, cond_done, &r[1], 500) == 0, "a query behind the sleep ran");
	k = run1(&killer, &st_terminate, 0, NULL);
	ck_assert_msg(k.outcome == DB_OK, "%s", k.message);
	ck_assert_str_eq(k.value, "1");
	ck_assert_msg(run_until(&e, cond_all_done, &all, 10000), "queries were not failed");
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(r[i].outcome, DB_UNAVAILABLE);
		ck_assert_msg(strncmp(r[i].message, "database unavailable", 20) == 0, "%s", r[i].message);
	}
	ck_assert_msg(run_until(&e, cond_all_connected, &e, 10000), "the pool did not reconnect");
	k = run1(&e, &st_two, 0, NULL);
	ck_assert_int_eq(k.outcome, DB_OK);
	ck_assert_str_eq(k.value, "2");
	env_close(&killer);
	env_close(&e);
}
END_TEST

/* Many queries over a small pipelined pool all finish, with the right answers. */
START_TEST(pipelined_pool_answers_every_query)
{
	enum { N = 500 };
	struct env e;
	struct result *r = calloc(N, sizeof *r);
	char num[N][16];
	struct all_done all = {r, N};
	env_open_pipelined(&e, 2, 8, N);
	for (int i = 0; i < N; i++) {
		const char *params[1] = {num[i]};
		snprintf(num[i], sizeof num[i], "%d", i);
		ck_assert_int_eq(submit(&e, &st_double, 1, params, &r[i]), DB_SUBMIT_OK);
	}
	ck_assert_msg(run_until(&e, cond_all_done, &all, 20000), "not every query finished");
	for (int i = 0; i < N; i++) {
		char want[16];
		snprintf(want, sizeof want, "%d", 2 * i);
		ck_assert_int_eq(r[i].outcome, DB_OK);
		ck_assert_str_eq(r[i].value, want);
	}
	env_close(&e);
	free(r);
}
END_TEST

/* --- stopping and restarting PostgreSQL (last: other suites need it up) --- */

static int pgctl(const char *args)
{
	char cmd[1024];
	const char *tool = getenv("WMS_PGCLUSTER"), *dir = getenv("WMS_TEST_PGDIR");
	if (!tool || !dir)
		return -1;
	snprintf(cmd, sizeof cmd, "\"%s\" pgctl \"%s\" %s >/dev/null 2>&1", tool, dir, args);
	return system(cmd);
}

/* Unchecked teardown (runs in the runner even when a test died): make sure
 * PostgreSQL is running for the suites that come after this one. */
static void ensure_pg_running(void)
{
	if (pgctl("status") != 0 && pgctl("-w -t 60 start") != 0)
		fprintf(stderr, "check_db_pool: could not start PostgreSQL again\n");
}

static const struct db_stmt st_inc = {"db_test_inc", "SELECT $1::int + 1 AS v, pg_sleep(0.05)"};
static const struct db_stmt st_sleep_forever = {"db_test_sleep_forever", "SELECT pg_sleep(60)"};

static int cond_two_nulls(void *arg)
{
	return ((struct notes *)arg)->nulls >= 2;
}

/* Runs st_inc on both connections at once and checks the answers. */
static void inc_on_both(struct env *e)
{
	struct result r[2] = {{0}};
	struct all_done all = {r, 2};
	const char *p[1] = {"41"};
	ck_assert_int_eq(submit(e, &st_inc, 1, p, &r[0]), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(e, &st_inc, 1, p, &r[1]), DB_SUBMIT_OK);
	ck_assert_msg(run_until(e, cond_all_done, &all, 10000), "queries did not finish");
	for (int i = 0; i < 2; i++) {
		ck_assert_msg(r[i].outcome == DB_OK, "%d: %s %s", i, r[i].sqlstate, r[i].message);
		ck_assert_str_eq(r[i].value, "42");
	}
}

START_TEST(restart_fails_queries_in_flight_then_the_pool_reconnects_and_listens_again)
{
	struct env e;
	struct result slow = {0}, slow2 = {0}, queued = {0}, r = {0};
	struct result *failed[3] = {&slow, &slow2, &queued};
	struct db_pool_stats st;
	struct notes n = {0};
	const char *pn[2] = {"db_pool_restart", "again"};

	if (!getenv("WMS_PGCLUSTER") || !getenv("WMS_TEST_PGDIR")) {
		fprintf(stderr, "check_db_pool: WMS_PGCLUSTER/WMS_TEST_PGDIR unset, restart test skipped\n");
		return;
	}
	env_open(&e, 2, 100);
	ck_assert_int_eq(db_pool_listen(e.pool, pn[0], on_note, &n), 0);
	ck_assert_msg(run_until(&e, cond_listening, &n, 10000), "LISTEN did not take effect");
	inc_on_both(&e);

	/* both connections busy, one query waiting */
	ck_assert_int_eq(submit(&e, &st_sleep_forever, 0, NULL, &slow), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_sleep_forever, 0, NULL, &slow2), DB_SUBMIT_OK);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &queued), DB_SUBMIT_OK);
	ck_assert_msg(run_until(&e, cond_done, &slow, 300) == 0, "the slow query ended early");
	db_pool_stats(e.pool, &st);
	ck_assert_int_eq(st.busy, 2);
	ck_assert_int_eq(st.waiting, 1);
	ck_assert_int_eq(pgctl("-m fast -w -t 60 stop"), 0);

	for (int i = 0; i < 3; i++) {
		ck_assert_msg(run_until(&e, cond_done, failed[i], 10000), "query %d was not failed", i);
		ck_assert_int_eq(failed[i]->outcome, DB_UNAVAILABLE);
		ck_assert_msg(strncmp(failed[i]->message, "database unavailable: ", 22) == 0, "%s",
		              failed[i]->message);
	}
	ck_assert_msg(run_until(&e, cond_none_connected, &e, 10000), "connections still up");
	ck_assert_int_eq(db_pool_ready(e.pool), 0);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r), DB_SUBMIT_DOWN);
	ck_assert_int_eq(r.done, 0);
	/* a few reconnect attempts fail meanwhile; still refused at once */
	ck_assert_int_eq(run_until(&e, cond_ready, &e, 800), 0);
	ck_assert_int_eq(submit(&e, &st_two, 0, NULL, &r), DB_SUBMIT_DOWN);

	ck_assert_int_eq(pgctl("-w -t 60 start"), 0);
	ck_assert_msg(run_until(&e, cond_ready, &e, 15000), "the pool did not reconnect");
	ck_assert_msg(run_until(&e, cond_all_connected, &e, 15000), "not every connection is back");
	inc_on_both(&e); /* prepared again on the new connections */

	ck_assert_msg(run_until(&e, cond_two_nulls, &n, 15000), "LISTEN was not renewed");
	r = run1(&e, &st_notify, 2, pn);
	ck_assert_int_eq(r.outcome, DB_OK);
	ck_assert_msg(run_until(&e, cond_payload, &n, 10000), "no notification after the restart");
	ck_assert_str_eq(n.payload, "again");
	env_close(&e);
}
END_TEST

Suite *db_pool_suite(void);
Suite *db_pool_suite(void)
{
	Suite *s = suite_create("db_pool");
	TCase *tc = tcase_create("queries");
	TCase *restart = tcase_create("restart");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, parameters_are_copied_and_the_prepared_statement_runs_again);
	tcase_add_test(tc, queries_beyond_the_pool_size_wait_their_turn_and_all_finish);
	tcase_add_test(tc, full_queue_refuses_at_once_and_never_calls_back);
	tcase_add_test(tc, parameter_larger_than_the_socket_buffer_goes_out_whole);
	tcase_add_test(tc, callback_may_submit_the_next_query_without_a_queue);
	tcase_add_test(tc, sql_error_reports_sqlstate_and_constraint_and_the_connection_goes_on);
	tcase_add_test(tc, statement_that_fails_to_prepare_fails_the_same_way_every_time);
	tcase_add_test(tc, deallocated_statement_fails_once_then_is_prepared_again);
	tcase_add_test(tc, slow_query_does_not_block_the_event_loop);
	tcase_add_test(tc, connection_carries_the_configured_timeout_and_application_name);
	tcase_add_test(tc, statement_timeout_cancels_a_slow_query_and_the_connection_goes_on);
	tcase_add_test(tc, listen_refuses_an_empty_or_too_long_channel);
	tcase_add_test(tc, each_channels_notifications_reach_only_its_listener);
	tcase_add_test(tc, pool_refuses_size_zero_and_malformed_conninfo);
	tcase_add_test(tc, unreachable_server_fails_queries_as_unavailable_then_refuses_at_once);
	tcase_add_test(tc, freeing_the_pool_fails_every_pending_query);
	tcase_add_test(tc, pipelined_queries_run_in_order_each_its_own_transaction);
	tcase_add_test(tc, lost_connection_fails_every_query_in_flight_on_it);
	tcase_add_test(tc, pipelined_pool_answers_every_query);
	suite_add_tcase(s, tc);

	tcase_set_timeout(restart, 60);
	tcase_add_unchecked_fixture(restart, NULL, ensure_pg_running);
	tcase_add_test(restart, restart_fails_queries_in_flight_then_the_pool_reconnects_and_listens_again);
	suite_add_tcase(s, restart);
	return s;
}
