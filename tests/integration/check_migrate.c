/* check_migrate.c — migrations (idempotent, safe when run twice at once,
 * checksums guarded), `serve` refusing a schema that is behind, and /readyz
 * following PostgreSQL down and back up without restarting wmsd. */
#include <check.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/db/embed.h"
#include "tests/harness/th.h"

/* Runs wmsd with args under env DATABASE_URL=url (NULL = inherited); returns
 * the exit status and the combined output in out. */
static int run_wmsd(const char *url, const char *args, char *out, size_t outlen)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "%s%s%s%s %s 2>&1", url ? "DATABASE_URL='" : "", url ? url : "",
	         url ? "' " : "", getenv("WMSD"), args);
	FILE *p = popen(cmd, "r");
	size_t n = fread(out, 1, outlen - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs one constant statement on the database at url; returns its first row's values joined
 * by '|' in out (empty when it returns no rows). Aborts the test when it fails. */
static void sql_on(const char *url, const char *sql, char *out, size_t outlen)
{
	PGconn *c = PQconnectdb(url);
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	ck_assert_msg(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK, "%s: %s", sql,
	              PQerrorMessage(c));
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; PQntuples(res) > 0 && i < PQnfields(res) && n < outlen; i++)
		n += (size_t)snprintf(out + n, outlen - n, "%s%s", i ? "|" : "", PQgetvalue(res, 0, i));
	PQclear(res);
	PQfinish(c);
}

/* A URL for a new empty database named db on the test cluster. db is a
 * string literal (a name cannot be a parameter): the statements are pasted
 * together at compile time, so the SQL text stays constant. */
#define FRESH_DB(db) fresh_db(db, "DROP DATABASE IF EXISTS " db, "CREATE DATABASE " db)
static const char *fresh_db(const char *db, const char *drop, const char *create)
{
	static char url[1024];
	th_sql(drop);
	th_sql(create);
	const char *base = getenv("DATABASE_URL");
	const char *q = strchr(base, '?');
	snprintf(url, sizeof url, "postgresql:///%s%s", db, q ? q : "");
	return url;
}

START_TEST(idempotent_and_locked)
{
	char out[4096], url[1024];
	snprintf(url, sizeof url, "%s", FRESH_DB("wms_mig_a"));
	/* two at once: both succeed, each migration applied exactly once */
	pid_t a = fork();
	if (a == 0)
		_exit(run_wmsd(url, "migrate", out, sizeof out));
	pid_t b = fork();
	if (b == 0)
		_exit(run_wmsd(url, "migrate", out, sizeof out));
	int sa, sb;
	waitpid(a, &sa, 0);
	waitpid(b, &sb, 0);
	ck_assert_int_eq(WEXITSTATUS(sa), 0);
	ck_assert_int_eq(WEXITSTATUS(sb), 0);
	ck_assert_int_eq(run_wmsd(url, "migrate", out, sizeof out), 0);
	ck_assert_msg(strstr(out, "0 migrations and 0 function files applied now"), "%s", out);
	char want[32];
	sql_on(url, "SELECT count(*), count(DISTINCT version) FROM schema_migrations", out,
	       sizeof out);
	snprintf(want, sizeof want, "%zu|%zu", embed_nmigrations, embed_nmigrations);
	ck_assert_str_eq(out, want);
	sql_on(url, "SELECT count(*) FROM schema_functions", out, sizeof out);
	snprintf(want, sizeof want, "%zu", embed_nfunctions);
	ck_assert_str_eq(out, want);
}
END_TEST

/* A function file whose recorded checksum differs (as after an edit of the file) is applied
 * again by migrate — and only that one; until then serve refuses to start. */
START_TEST(changed_function_file_is_applied_again)
{
	char out[4096], url[1024];
	snprintf(url, sizeof url, "%s", FRESH_DB("wms_mig_f"));
	ck_assert_int_eq(run_wmsd(url, "migrate", out, sizeof out), 0);
	sql_on(url, "UPDATE schema_functions SET checksum = 'x' WHERE name = 'receiving_scan.sql'",
	       out, sizeof out);
	sql_on(url, "DROP FUNCTION receiving_scan", out, sizeof out);
	ck_assert_int_eq(run_wmsd(url, "serve", out, sizeof out), 1);
	ck_assert_msg(strstr(out, "receiving_scan.sql"), "%s", out);
	ck_assert_int_eq(run_wmsd(url, "migrate", out, sizeof out), 0);
	ck_assert_msg(strstr(out, "applied functions/receiving_scan.sql"), "%s", out);
	ck_assert_msg(strstr(out, "0 migrations and 1 function files applied now"), "%s", out);
	sql_on(url, "SELECT count(*) FROM pg_proc WHERE proname = 'receiving_scan'", out, sizeof out);
	ck_assert_str_eq(out, "1");
}
END_TEST

/* A database made by the migrations before the baseline is refused with what to do. */
START_TEST(old_numbering_is_refused_with_a_clear_message)
{
	char out[4096], url[1024];
	snprintf(url, sizeof url, "%s", FRESH_DB("wms_mig_o"));
	sql_on(url, "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL,"
	            " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
	       out, sizeof out);
	sql_on(url, "INSERT INTO schema_migrations (version, name, checksum) VALUES"
	            " (1, '001_foundation.sql', 'a'), (9, '009_receiving_fast.sql', 'b')",
	       out, sizeof out);
	ck_assert_int_eq(run_wmsd(url, "migrate", out, sizeof out), 1);
	ck_assert_msg(strstr(out, "before the baseline") && strstr(out, "create a new database"),
	              "%s", out);
	ck_assert_int_eq(run_wmsd(url, "serve", out, sizeof out), 1);
	ck_assert_msg(strstr(out, "before the baseline"), "%s", out);
}
END_TEST

START_TEST(changed_checksum_is_an_error)
{
	char out[4096], url[1024];
	snprintf(url, sizeof url, "%s", FRESH_DB("wms_mig_b"));
	ck_assert_int_eq(run_wmsd(url, "migrate", out, sizeof out), 0);
	sql_on(url, "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1", out, sizeof out);
	ck_assert_int_eq(run_wmsd(url, "migrate", out, sizeof out), 1);
	ck_assert_msg(strstr(out, "was changed after it was applied"), "%s", out);
	ck_assert_int_eq(run_wmsd(url, "serve", out, sizeof out), 1);
	ck_assert_msg(strstr(out, "changed"), "%s", out);
}
END_TEST

START_TEST(serve_refuses_schema_behind)
{
	char out[4096];
	const char *url = FRESH_DB("wms_mig_c");
	ck_assert_int_eq(run_wmsd(url, "serve", out, sizeof out), 1);
	ck_assert_msg(strstr(out, "run `wmsd migrate`"), "%s", out);
	ck_assert_msg(strstr(out, embed_migrations[0].name), "%s", out);
}
END_TEST

static void pgctl(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' pgctl '%s' %s >/dev/null 2>&1", getenv("WMS_PGCLUSTER"),
	         getenv("WMS_TEST_PGDIR"), args);
	ck_assert_int_eq(system(cmd), 0);
}

static long readyz(void)
{
	struct th_resp *r = th_req("GET", "/readyz", NULL, NULL, NULL, NULL);
	long st = r->status;
	if (st == 503)
		ck_assert(th_is_problem(r, 503));
	th_resp_free(r);
	return st;
}

START_TEST(readyz_follows_postgres)
{
	char key[AUTH_KEY_LEN + 1];
	strcpy(key, th_key(AUTH_ADMIN, NULL));
	ck_assert_int_eq(readyz(), 200);
	pgctl("-m fast -w stop");
	long st = 0;
	for (int i = 0; i < 100 && st != 503; i++, usleep(50000))
		st = readyz();
	ck_assert_int_eq(st, 503);
	/* /healthz is about the process, not the database */
	struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	/* a data endpoint answers 503 with Retry-After, not a hang */
	r = th_req("GET", "/v1/warehouses", key, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 503));
	ck_assert_ptr_nonnull(th_header(r, "Retry-After"));
	th_resp_free(r);
	pgctl("-w start");
	st = 0;
	for (int i = 0; i < 200 && st != 200; i++, usleep(50000)) /* back-off is at most 5 s */
		st = readyz();
	ck_assert_int_eq(st, 200);
}
END_TEST

Suite *migrate_suite(void);
Suite *migrate_suite(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("migrations");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, idempotent_and_locked);
	tcase_add_test(tc, changed_checksum_is_an_error);
	tcase_add_test(tc, serve_refuses_schema_behind);
	tcase_add_test(tc, changed_function_file_is_applied_again);
	tcase_add_test(tc, old_numbering_is_refused_with_a_clear_message);
	suite_add_tcase(s, tc);
	TCase *ready = tcase_create("readiness");
	tcase_add_unchecked_fixture(ready, th_setup, th_teardown);
	tcase_set_timeout(ready, 60);
	tcase_add_test(ready, readyz_follows_postgres);
	suite_add_tcase(s, ready);
	return s;
}
