/* check_config.c — the configuration table: defaults, parsing, bounds. */
#include <check.h>
#include <libpq-fe.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/http/config.h"

static const char *const *vars;

static const char *fake_getenv(const char *name)
{
	for (int i = 0; vars && vars[i]; i += 2)
		if (strcmp(vars[i], name) == 0)
			return vars[i + 1];
	return NULL;
}

START_TEST(defaults)
{
	struct config c;
	char err[256];
	vars = NULL;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_str_eq(c.listen_host, "127.0.0.1");
	ck_assert_int_eq(c.listen_port, 8080);
	ck_assert_int_eq(c.db_pool, 8);
	ck_assert_int_eq(c.max_body, 1048576);
	ck_assert_str_eq(c.log_level, "info");
	ck_assert_int_eq(c.storage_accrual_minute, 30);
	ck_assert_int_eq(c.buyer_protection_s, 15 * 86400);
	ck_assert_int_eq(c.escrow_release_every_s, 60);
	ck_assert_int_eq(c.webhook_tolerance_s, 300);
	ck_assert_int_eq(c.request_timeout_s, 10);
	ck_assert_int_eq(c.max_connections, -1); /* auto */
}
END_TEST

START_TEST(values)
{
	static const char *const v[] = {"WMS_LISTEN", "0.0.0.0:9090", "WMS_DB_POOL", "16",
	                                "WMS_MAX_BODY", "2048", "WMS_LOG_LEVEL", "debug",
	                                "DATABASE_URL", "postgresql:///x", NULL};
	struct config c;
	char err[256];
	vars = v;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_str_eq(c.listen_host, "0.0.0.0");
	ck_assert_int_eq(c.listen_port, 9090);
	ck_assert_int_eq(c.db_pool, 16);
	ck_assert_int_eq(c.max_body, 2048);
	ck_assert_str_eq(c.log_level, "debug");
	ck_assert_str_eq(c.database_url, "postgresql:///x");
}
END_TEST

static void expect_error(const char *name, const char *value, const char *needle)
{
	const char *v[] = {name, value, NULL};
	struct config c;
	char err[256];
	vars = v;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), -1);
	ck_assert_msg(strstr(err, name) && strstr(err, needle), "error was: %s", err);
}

START_TEST(errors)
{
	expect_error("WMS_DB_POOL", "0", "outside");
	expect_error("WMS_DB_POOL", "eight", "not an integer");
	expect_error("WMS_DB_POOL", "8x", "not an integer");
	expect_error("WMS_LISTEN", "8080", "address:port");
	expect_error("WMS_LISTEN", "127.0.0.1:70000", "port");
	expect_error("WMS_LOG_LEVEL", "loud", "not one of");
	expect_error("WMS_MAX_BODY", "10", "outside");
	expect_error("WMS_STORAGE_ACCRUAL_AT", "24:00", "HH:MM");
	expect_error("WMS_STORAGE_ACCRUAL_AT", "0:30", "HH:MM");
	expect_error("WMS_STORAGE_ACCRUAL_AT", " 1:30", "HH:MM");
	expect_error("WMS_STORAGE_ACCRUAL_AT", "12:60", "HH:MM");
	expect_error("WMS_STORAGE_ACCRUAL_AT", "never", "HH:MM");
	expect_error("WMS_WORKERS", "65", "outside");
	expect_error("WMS_WORKERS", "-1", "outside");
	expect_error("WMS_WORKERS", "many", "not an integer");
	expect_error("WMS_WORKER_QUEUE", "0", "outside");
	expect_error("WMS_QUOTE_MEMO", "yes", "on or off");
	expect_error("WMS_REQUEST_TIMEOUT", "0", "outside");
	expect_error("WMS_MAX_CONNECTIONS", "0", "outside");
}
END_TEST

/* WMS_STORAGE_ACCRUAL_AT: minutes after midnight UTC, or -1 for off. */
START_TEST(accrual_time)
{
	static const char *const at[] = {"WMS_STORAGE_ACCRUAL_AT", "23:59", NULL};
	static const char *const off[] = {"WMS_STORAGE_ACCRUAL_AT", "off", NULL};
	struct config c;
	char err[256];
	vars = at;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_int_eq(c.storage_accrual_minute, 23 * 60 + 59);
	vars = off;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_int_eq(c.storage_accrual_minute, -1);
}
END_TEST

/* WMS_WORKERS: a count, or auto (-1: the server asks workers_auto_count()). */
START_TEST(worker_threads)
{
	static const char *const three[] = {"WMS_WORKERS", "3", NULL};
	static const char *const none[] = {"WMS_WORKERS", "0", NULL};
	static const char *const dflt[] = {NULL};
	struct config c;
	char err[256];
	vars = three;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_int_eq(c.workers, 3);
	vars = none;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_int_eq(c.workers, 0);
	vars = dflt;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_int_eq(c.workers, -1);
	ck_assert_int_eq(c.worker_queue, 1024);
	ck_assert_int_eq(c.quote_memo, 1);
}
END_TEST

/* A directory laid out like `make run`'s private cluster: base/var/pg/data/PG_VERSION.
 * base is a new temporary directory whose name holds a quote and a space. */
static void fake_cluster(char base[64])
{
	char path[PATH_MAX];
	snprintf(base, 64, "/tmp/wms-cfg 'x.XXXXXX");
	ck_assert(mkdtemp(base) != NULL);
	const char *const dirs[] = {"var", "var/pg", "var/pg/data"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", base, dirs[i]);
		ck_assert(mkdir(path, 0700) == 0);
	}
	snprintf(path, sizeof path, "%s/var/pg/data/PG_VERSION", base);
	FILE *f = fopen(path, "w");
	ck_assert(f && fputs("15\n", f) >= 0 && fclose(f) == 0);
}

static void remove_fake_cluster(const char *base)
{
	char path[PATH_MAX];
	const char *const parts[] = {"var/pg/data/PG_VERSION", "var/pg/data", "var/pg", "var", ""};
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", base, parts[i]);
		if (remove(path) != 0)
			perror(path);
	}
}

/* The value of keyword in the libpq connection string conninfo (static buffer). */
static const char *conninfo_value(const char *conninfo, const char *keyword)
{
	static char value[PATH_MAX];
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
	ck_assert_msg(opts != NULL, "libpq cannot parse %s: %s", conninfo, err ? err : "?");
	value[0] = '\0';
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val)
			snprintf(value, sizeof value, "%s", o->val);
	PQconninfoFree(opts);
	return value;
}

/* The private cluster of `make run` is found in DIR (its socket directory DIR/sock, port
 * 5432, database wms, the owner of DIR/data as the user), even with a quote and a space in
 * its path; a directory without a cluster is not taken for one. */
START_TEST(local_cluster_is_found_by_its_data_directory)
{
	char base[64], dir[PATH_MAX], url[1024], sock[PATH_MAX];
	fake_cluster(base);
	snprintf(dir, sizeof dir, "%s/var/pg", base);
	ck_assert_int_eq(config_local_cluster(dir, url, sizeof url), 0);
	char *real = realpath(dir, NULL);
	ck_assert(real != NULL);
	snprintf(sock, sizeof sock, "%s/sock", real);
	free(real);
	ck_assert_str_eq(conninfo_value(url, "host"), sock);
	ck_assert_str_eq(conninfo_value(url, "port"), "5432");
	ck_assert_str_eq(conninfo_value(url, "dbname"), "wms");
	ck_assert_str_eq(conninfo_value(url, "user"), getpwuid(getuid())->pw_name);
	/* every buffer too small by even one byte is refused, and nothing is written past it */
	size_t need = strlen(url) + 1;
	for (size_t len = 0; len <= need; len++) {
		char buf[1024];
		memset(buf, 'X', sizeof buf);
		ck_assert_int_eq(config_local_cluster(dir, buf, len), len == need ? 0 : -1);
		for (size_t i = len; i < sizeof buf; i++)
			ck_assert_msg(buf[i] == 'X', "byte %zu written with a buffer of %zu", i, len);
	}

	snprintf(dir, sizeof dir, "%s/var", base);
	ck_assert_int_eq(config_local_cluster(dir, url, sizeof url), -1);
	remove_fake_cluster(base);
}
END_TEST

/* DATABASE_URL unset: wmsd run in a directory holding var/pg (where `make run` keeps its
 * cluster) uses that cluster; set, it wins; elsewhere the default stays. */
START_TEST(unset_database_url_finds_var_pg_of_the_current_directory)
{
	static const char *const given[] = {"DATABASE_URL", "postgresql:///x", NULL};
	char base[64], cwd[PATH_MAX], want[1024];
	struct config c;
	char err[256];
	ck_assert(getcwd(cwd, sizeof cwd) != NULL);
	fake_cluster(base);
	ck_assert(chdir(base) == 0);
	ck_assert_int_eq(config_local_cluster("var/pg", want, sizeof want), 0);
	vars = NULL;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_str_eq(c.database_url, want);
	vars = given;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_str_eq(c.database_url, "postgresql:///x");
	ck_assert(chdir("var") == 0);
	vars = NULL;
	ck_assert_int_eq(config_load(&c, fake_getenv, err, sizeof err), 0);
	ck_assert_str_eq(c.database_url, "postgresql:///wms");
	ck_assert(chdir(cwd) == 0);
	remove_fake_cluster(base);
}
END_TEST

Suite *config_suite(void);
Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, values);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, worker_threads);
	tcase_add_test(tc, accrual_time);
	tcase_add_test(tc, local_cluster_is_found_by_its_data_directory);
	tcase_add_test(tc, unset_database_url_finds_var_pg_of_the_current_directory);
	suite_add_tcase(s, tc);
	return s;
}
