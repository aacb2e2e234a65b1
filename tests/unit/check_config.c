/* check_config.c — the configuration table: defaults, parsing, bounds. */
#include <check.h>
#include <string.h>

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
	suite_add_tcase(s, tc);
	return s;
}
