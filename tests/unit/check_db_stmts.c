/* check_db_stmts.c — the registry of the SQL the server runs (DB_STMT): every statement is
 * listed, with a unique name and text. The distribution checks read the same list. */
#include <check.h>
#include <string.h>

#include "api/db/db.h"
#include "api/routes.h"

START_TEST(every_statement_is_listed_once_by_name)
{
	size_t n;
	(void)routes_table(&n); /* links every handler, and so every statement */
	int count = 0;
	for (const struct db_stmt *s = db_stmt_first(); s < db_stmt_end(); s++, count++) {
		ck_assert_ptr_nonnull(s->name);
		ck_assert_ptr_nonnull(s->sql);
		ck_assert_msg(strlen(s->sql) > 10, "%s has no SQL", s->name);
		for (const struct db_stmt *t = s + 1; t < db_stmt_end(); t++)
			ck_assert_msg(strcmp(s->name, t->name) != 0, "two statements are named %s", s->name);
	}
	ck_assert_int_ge(count, 60);
}
END_TEST

Suite *db_stmts_suite(void);
Suite *db_stmts_suite(void)
{
	Suite *s = suite_create("db_stmts");
	TCase *tc = tcase_create("registry");
	tcase_add_test(tc, every_statement_is_listed_once_by_name);
	suite_add_tcase(s, tc);
	return s;
}
