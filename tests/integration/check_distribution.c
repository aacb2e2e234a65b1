/* check_distribution.c — the distribution plan, checked on plain PostgreSQL in every
 * `make check` (Citus is not in the registries these machines reach): after migrating, the
 * catalog must agree with schema_distribution and schema_delegation, and the SQL the server
 * runs (the DB_STMT registry and the bodies of the schema's functions) must avoid what Citus
 * refuses. Each check is a query over the current schema, so the negative tests run the same
 * checks on a scratch schema that holds one violation of each kind and see each caught; the
 * text rules are checked on sample texts the same way. (On a real cluster `make check-citus`
 * runs every suite against the coordinator.) */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/db/db.h"
#include "api/routes.h"
#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

/* --- the catalog checks: each one query over current_schema(), its violations joined ----- */

/* The group a distributed table is in: the table it is co-located with, else itself. */
#define GROUP_OF(d) "coalesce(" d ".colocate_with, " d ".table_name)"

static const struct check {
	const char *what;
	const char *sql;
} checks[] = {
	{"every table is in the plan, and the plan names only tables",
	 "SELECT string_agg(v, '; ' ORDER BY v) FROM ("
	 " SELECT 'table ' || c.relname || ' is not in schema_distribution' AS v FROM pg_class c"
	 " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"
	 "   AND NOT EXISTS (SELECT 1 FROM schema_distribution d WHERE d.table_name = c.relname)"
	 " UNION ALL SELECT 'schema_distribution names ' || d.table_name || ', which is no table'"
	 " FROM schema_distribution d WHERE to_regclass(quote_ident(current_schema()) || '.'"
	 "   || quote_ident(d.table_name)) IS NULL) x"},
	{"keys and unique indexes of distributed tables hold the distribution column",
	 "SELECT string_agg(format('%s of %s lacks %s', i.indexrelid::regclass, d.table_name,"
	 "   d.column_name), '; ') FROM schema_distribution d"
	 " JOIN pg_class c ON c.relname = d.table_name AND c.relnamespace = current_schema()::regnamespace"
	 " JOIN pg_index i ON i.indrelid = c.oid AND (i.indisunique OR i.indisexclusion)"
	 " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = d.column_name"
	 " WHERE d.kind = 'distributed' AND NOT (a.attnum = ANY (i.indkey::int2[]))"},
	{"foreign keys between distributed tables are on the distribution columns, co-located",
	 "SELECT string_agg(format('%s of %s', f.conname, ds.table_name), '; ') FROM pg_constraint f"
	 " JOIN pg_class src ON src.oid = f.conrelid JOIN pg_class dst ON dst.oid = f.confrelid"
	 " JOIN schema_distribution ds ON ds.table_name = src.relname"
	 " JOIN schema_distribution dd ON dd.table_name = dst.relname"
	 " WHERE f.contype = 'f' AND src.relnamespace = current_schema()::regnamespace"
	 "   AND ds.kind = 'distributed' AND dd.kind = 'distributed'"
	 "   AND (" GROUP_OF("ds") " <> " GROUP_OF("dd") " OR NOT EXISTS ("
	 "     SELECT 1 FROM unnest(f.conkey, f.confkey) AS k (s, t)"
	 "     JOIN pg_attribute sa ON sa.attrelid = src.oid AND sa.attnum = k.s"
	 "     JOIN pg_attribute ta ON ta.attrelid = dst.oid AND ta.attnum = k.t"
	 "     WHERE sa.attname = ds.column_name AND ta.attname = dd.column_name))"},
	{"no reference or coordinator-local table references a distributed one",
	 "SELECT string_agg(format('%s: %s (%s) references %s (distributed)', f.conname, ds.table_name,"
	 "   ds.kind, dd.table_name), '; ') FROM pg_constraint f"
	 " JOIN pg_class src ON src.oid = f.conrelid JOIN pg_class dst ON dst.oid = f.confrelid"
	 " JOIN schema_distribution ds ON ds.table_name = src.relname"
	 " JOIN schema_distribution dd ON dd.table_name = dst.relname"
	 " WHERE f.contype = 'f' AND src.relnamespace = current_schema()::regnamespace"
	 "   AND ds.kind IN ('reference', 'local') AND dd.kind = 'distributed'"},
	{"no function takes or returns a table's row type",
	 "SELECT string_agg(DISTINCT p.oid::regprocedure::text, '; ') FROM pg_proc p"
	 " CROSS JOIN LATERAL unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]) || p.prorettype)"
	 "   AS a (t)"
	 " JOIN pg_type ty ON ty.oid = a.t"
	 " LEFT JOIN pg_type el ON el.oid = ty.typelem AND ty.typcategory = 'A'"
	 " JOIN pg_class c ON c.oid = coalesce(nullif(el.typrelid, 0), ty.typrelid)"
	 " WHERE p.pronamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"},
	{"no trigger on a reference table writes a table or NOTIFYs",
	 "SELECT string_agg(format('%s on %s runs %s', t.tgname, d.table_name, p.proname), '; ')"
	 " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
	 " JOIN schema_distribution d ON d.table_name = c.relname AND d.kind = 'reference'"
	 " JOIN pg_proc p ON p.oid = t.tgfoid"
	 " WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
	 "   AND p.prosrc ~* '(insert\\s+into|update\\s+[a-z_.]+\\s+(as\\s+[a-z_]+\\s+)?set|"
	 "delete\\s+from|pg_notify|\\mnotify\\s)'"},
	{"a delegated function exists, and its distribution argument is a NOT NULL domain",
	 "SELECT string_agg(v, '; ') FROM ("
	 " SELECT format('%s: no such function', g.function_name) AS v FROM schema_delegation g"
	 " WHERE NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.proname = g.function_name"
	 "   AND p.pronamespace = current_schema()::regnamespace)"
	 " UNION ALL SELECT format('%s: %s can be NULL (%s is not a NOT NULL domain)',"
	 "   p.oid::regprocedure, g.argument, format_type(ty.oid, NULL))"
	 " FROM schema_delegation g JOIN pg_proc p ON p.proname = g.function_name"
	 "   AND p.pronamespace = current_schema()::regnamespace"
	 " CROSS JOIN LATERAL unnest(p.proargnames, p.proargtypes::oid[]) AS a (name, t)"
	 " JOIN pg_type ty ON ty.oid = a.t"
	 " WHERE a.name = g.argument AND NOT (ty.typtype = 'd' AND ty.typnotnull)"
	 " UNION ALL SELECT format('%s has no argument %s', g.function_name, g.argument)"
	 " FROM schema_delegation g JOIN pg_proc p ON p.proname = g.function_name"
	 "   AND p.pronamespace = current_schema()::regnamespace"
	 " WHERE NOT g.argument = ANY (coalesce(p.proargnames, '{}'))) x"},
	{"no parameterized SQL-language function reads a distributed table",
	 "SELECT string_agg(DISTINCT format('%s reads %s', p.oid::regprocedure, d.table_name), '; ')"
	 " FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'sql'"
	 " JOIN schema_distribution d ON d.kind = 'distributed'"
	 "   AND p.prosrc ~* ('\\m' || d.table_name || '\\M')"
	 " WHERE p.pronamespace = current_schema()::regnamespace AND p.pronargs > 0"},
};

/* The violations of check k in the current schema ("" when none); static buffer. */
static const char *violations(size_t k)
{
	return th_sql_value(checks[k].sql);
}

START_TEST(schema_agrees_with_the_plan)
{
	for (size_t k = 0; k < sizeof checks / sizeof *checks; k++)
		ck_assert_msg(violations(k)[0] == '\0', "%s: %s", checks[k].what, violations(k));
}
END_TEST

/* The scratch schema: one violation of each catalog rule, or none when clean. */
static void scratch_schema(bool clean)
{
	th_sql("DROP SCHEMA IF EXISTS plan_check CASCADE");
	th_sql("CREATE SCHEMA plan_check");
	th_sql("SET search_path = plan_check");
	th_sql("CREATE TABLE schema_distribution (position int, table_name text PRIMARY KEY,"
	       " kind text, column_name text, colocate_with text)");
	th_sql("CREATE TABLE schema_delegation (function_name text PRIMARY KEY, argument text,"
	       " colocate_with text)");
	th_sql("INSERT INTO schema_distribution VALUES (1, 'schema_distribution', 'coordinator', NULL,"
	       " NULL), (2, 'schema_delegation', 'coordinator', NULL, NULL),"
	       " (3, 'ref', 'reference', NULL, NULL), (4, 'parent', 'distributed', 'wh', NULL),"
	       " (5, 'child', 'distributed', 'wh', 'parent')");
	th_sql("CREATE DOMAIN plan_check.wh_ref AS uuid NOT NULL");
	th_sql("CREATE TABLE ref (id int PRIMARY KEY)");
	th_sql("CREATE TABLE parent (wh uuid, id int, PRIMARY KEY (wh, id))");
	th_sql("CREATE TABLE child (wh uuid, id int, parent_id int, PRIMARY KEY (wh, id),"
	       " FOREIGN KEY (wh, parent_id) REFERENCES parent (wh, id))");
	th_sql("CREATE FUNCTION scan(p_wh plan_check.wh_ref) RETURNS int LANGUAGE sql AS 'SELECT 1'");
	th_sql("INSERT INTO schema_delegation VALUES ('scan', 'p_wh', 'parent')");
	if (clean)
		return;
	th_sql("CREATE TABLE stray (id int)");                                  /* not in the plan */
	th_sql("INSERT INTO schema_distribution VALUES (6, 'ghost', 'reference', NULL, NULL)");
	th_sql("ALTER TABLE parent ADD COLUMN code text UNIQUE");              /* key without wh */
	th_sql("INSERT INTO schema_distribution VALUES (7, 'other', 'distributed', 'wh', NULL)");
	th_sql("CREATE TABLE other (wh uuid, id int, PRIMARY KEY (wh, id))");
	th_sql("ALTER TABLE child ADD COLUMN other_wh uuid, ADD COLUMN other_id int,"  /* not co- */
	       " ADD FOREIGN KEY (other_wh, other_id) REFERENCES other (wh, id)");     /* located */
	th_sql("ALTER TABLE ref ADD COLUMN wh uuid, ADD COLUMN pid int,"      /* ref → distributed */
	       " ADD FOREIGN KEY (wh, pid) REFERENCES parent (wh, id)");
	th_sql("CREATE FUNCTION row_shape(p parent) RETURNS text LANGUAGE sql AS 'SELECT ''x'''");
	th_sql("CREATE FUNCTION notify_all() RETURNS trigger LANGUAGE plpgsql AS"
	       " 'BEGIN PERFORM pg_notify(''x'', ''''); RETURN NULL; END'");
	th_sql("CREATE TRIGGER ref_notify AFTER INSERT ON ref FOR EACH STATEMENT"
	       " EXECUTE FUNCTION notify_all()");
	th_sql("CREATE FUNCTION putaway(p_wh uuid) RETURNS int LANGUAGE sql AS 'SELECT 1'");
	th_sql("INSERT INTO schema_delegation VALUES ('putaway', 'p_wh', 'parent')");
	th_sql("CREATE FUNCTION child_page(n int) RETURNS bigint LANGUAGE sql"
	       " AS 'SELECT count(*) FROM child LIMIT n'");
}

static void scratch_drop(void)
{
	th_sql("SET search_path = public");
	th_sql("DROP SCHEMA IF EXISTS plan_check CASCADE");
}

START_TEST(each_kind_of_violation_is_caught)
{
	static const char *const expect[] = {
		"stray is not in schema_distribution", "row_shape(parent)", "ref_notify on ref",
		"putaway(uuid): p_wh can be NULL", "child_page(integer) reads child"};
	static const char *const nth[] = {"ghost, which is no table", "parent_code_key of parent",
	                                  "of child", "ref (reference) references parent"};
	scratch_schema(true);
	for (size_t k = 0; k < sizeof checks / sizeof *checks; k++)
		ck_assert_msg(violations(k)[0] == '\0', "clean scratch schema: %s: %s", checks[k].what,
		              violations(k));
	scratch_schema(false);
	char all[8192] = "";
	for (size_t k = 0; k < sizeof checks / sizeof *checks; k++) {
		const char *v = violations(k);
		ck_assert_msg(v[0] != '\0', "the check \"%s\" caught nothing", checks[k].what);
		snprintf(all + strlen(all), sizeof all - strlen(all), "[%s] %s\n", checks[k].what, v);
	}
	for (size_t i = 0; i < sizeof expect / sizeof *expect; i++)
		ck_assert_msg(strstr(all, expect[i]), "not caught: %s\n%s", expect[i], all);
	for (size_t i = 0; i < sizeof nth / sizeof *nth; i++)
		ck_assert_msg(strstr(all, nth[i]), "not caught: %s\n%s", nth[i], all);
	scratch_drop();
}
END_TEST

/* --- the text rules, over the SQL the server runs ------------------------------------- */

/* text, lower-cased, with runs of white space as one space. Caller frees. */
static char *normalized(const char *text)
{
	char *out = malloc(strlen(text) + 1);
	size_t n = 0;
	for (const char *c = text; *c; c++) {
		if (isspace((unsigned char)*c)) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = (char)tolower((unsigned char)*c);
		}
	}
	out[n] = '\0';
	return out;
}

/* The end of the SET list that begins at s: the first WHERE, RETURNING, FROM, ';' or an
 * unbalanced ')' outside parentheses. */
static const char *set_list_end(const char *s)
{
	int depth = 0;
	for (const char *c = s; *c; c++) {
		if (*c == '(')
			depth++;
		else if (*c == ')' && --depth < 0)
			return c;
		else if (*c == ';' && depth == 0)
			return c;
		else if (depth == 0 && (strncmp(c, " where ", 7) == 0 || strncmp(c, " returning ", 11) == 0 ||
		                        strncmp(c, " from ", 6) == 0))
			return c;
	}
	return s + strlen(s);
}

/* Rule 1: a volatile function in an UPDATE's or ON CONFLICT DO UPDATE's SET. Writes what it
 * found to why (size n) and returns true. */
static bool volatile_in_set(const char *text, char *why, size_t n)
{
	static const char *const volatile_fns[] = {"clock_timestamp(", "random(", "gen_random_uuid(",
	                                           "nextval(", "timeofday(", "txid_current(", NULL};
	char *t = normalized(text);
	bool found = false;
	for (const char *s = strstr(t, " set "); s && !found; s = strstr(s + 1, " set ")) {
		/* only the SET of an UPDATE or of DO UPDATE */
		const char *u = s;
		while (u > t && strncmp(u, "update ", 7) != 0 && *u != ';' && *u != ',')
			u--;
		if (strncmp(u, "update ", 7) != 0)
			continue;
		const char *end = set_list_end(s + 5);
		for (int i = 0; volatile_fns[i] && !found; i++) {
			const char *f = strstr(s, volatile_fns[i]);
			if (f && f < end) {
				snprintf(why, n, "%s in the SET of \"%.60s…\"", volatile_fns[i], u);
				found = true;
			}
		}
	}
	free(t);
	return found;
}

/* Rule 4: a subquery inside INSERT … VALUES. */
static bool subquery_in_values(const char *text, char *why, size_t n)
{
	char *t = normalized(text);
	bool found = false;
	for (const char *s = strstr(t, "insert into "); s && !found; s = strstr(s + 1, "insert into ")) {
		const char *v = strstr(s, " values");
		const char *stop = strpbrk(s, ";");
		const char *sel = strstr(s + 12, "select ");
		if (!v || (stop && v > stop) || (sel && sel < v))
			continue; /* INSERT … SELECT, or no VALUES in this statement */
		int depth = 0;
		for (const char *c = v + 7; *c && !found; c++) {
			if (*c == '(')
				depth++;
			else if (*c == ')' && --depth < 0)
				break;
			else if (*c == ';' && depth == 0)
				break;
			else if (depth > 0 && strncmp(c, "select ", 7) == 0 && c > v && (c[-1] == '(' ||
			                                                                  c[-1] == ' ')) {
				snprintf(why, n, "a subquery in the VALUES of \"%.60s…\"", s);
				found = true;
			}
			if (depth == 0 && *c == ' ' && strncmp(c, " on conflict", 12) == 0)
				break;
			if (depth == 0 && strncmp(c, " returning", 10) == 0)
				break;
		}
	}
	free(t);
	return found;
}

START_TEST(text_rules_catch_what_citus_refuses)
{
	char why[256];
	ck_assert(volatile_in_set("UPDATE t SET a = 1, updated_at = clock_timestamp() WHERE id = $1",
	                          why, sizeof why));
	ck_assert(volatile_in_set("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET n = random()",
	                          why, sizeof why));
	ck_assert(!volatile_in_set("UPDATE t SET updated_at = $2::timestamptz WHERE id = $1", why,
	                           sizeof why));
	ck_assert(!volatile_in_set("INSERT INTO t (created_at) VALUES (clock_timestamp())", why,
	                           sizeof why));
	ck_assert(!volatile_in_set("UPDATE t SET a = 1 WHERE b < clock_timestamp()", why, sizeof why));
	ck_assert(subquery_in_values("INSERT INTO t (n) VALUES ((SELECT max(n) + 1 FROM t))", why,
	                             sizeof why));
	ck_assert(subquery_in_values("insert into l (a, b) values ($1, (select 2))", why, sizeof why));
	ck_assert(!subquery_in_values("INSERT INTO t (n) SELECT max(n) + 1 FROM t", why, sizeof why));
	ck_assert(!subquery_in_values("INSERT INTO t (n) VALUES ($1) ON CONFLICT DO NOTHING", why,
	                              sizeof why));
}
END_TEST

START_TEST(sql_the_server_runs_avoids_what_citus_refuses)
{
	size_t nroutes;
	(void)routes_table(&nroutes);
	char why[256];
	int statements = 0;
	for (const struct db_stmt *s = db_stmt_first(); s < db_stmt_end(); s++, statements++) {
		ck_assert_msg(!volatile_in_set(s->sql, why, sizeof why), "statement %s: %s", s->name, why);
		ck_assert_msg(!subquery_in_values(s->sql, why, sizeof why), "statement %s: %s", s->name,
		              why);
	}
	ck_assert_int_ge(statements, 60);
	/* the bodies of the schema's own functions */
	const char *names = th_sql_value(
		"SELECT string_agg(p.oid::text, ',' ORDER BY p.oid) FROM pg_proc p"
		" WHERE p.pronamespace = 'public'::regnamespace AND p.prolang IN"
		"   (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))");
	char *list = strdup(names);
	int functions = 0;
	for (char *save = NULL, *oid = strtok_r(list, ",", &save); oid; oid = strtok_r(NULL, ",", &save)) {
		char *src = strdup(th_sql_valuep("SELECT prosrc FROM pg_proc WHERE oid = $1::oid", oid, NULL));
		char *name = strdup(th_sql_valuep("SELECT $1::oid::regprocedure::text", oid, NULL));
		ck_assert_msg(!volatile_in_set(src, why, sizeof why), "function %s: %s", name, why);
		ck_assert_msg(!subquery_in_values(src, why, sizeof why), "function %s: %s", name, why);
		free(src);
		free(name);
		functions++;
	}
	free(list);
	ck_assert_int_ge(functions, 20);
}
END_TEST

/* --- on Citus: a receiving scan is one round trip to one worker ------------------------- */

static void count_remote(void *arg, const PGresult *res)
{
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (msg && strstr(msg, "issuing "))
		(*(int *)arg)++;
}

/* With citus.log_remote_commands on, the coordinator logs every command it sends to a
 * worker; a delegated receiving scan sends exactly one (the call itself), so the hot path
 * cannot quietly fall back to a statement per round trip with two-phase commit. */
START_TEST(receiving_scan_is_one_round_trip_to_one_worker)
{
	if (!getenv("WMS_CITUS") || !th_sql_value("SELECT 1 FROM pg_extension WHERE extname = 'citus'")[0]) {
		fprintf(stderr, "distribution: receiving_scan_is_one_round_trip_to_one_worker skipped: it "
		                "counts Citus's remote commands and needs a Citus cluster (make "
		                "check-citus)\n");
		return;
	}
	struct rcv_world w;
	char g14[15], ean[14], id[37], asn[32], sid[37];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "RT-1", g14, ean);
	const char *skus[] = {"RT-1"};
	const int qty[] = {10};
	rcv_shipment_new(&w, "arrived", 1, skus, qty, id, asn);
	rcv_uuid(sid);
	PGconn *c = PQconnectdb(getenv("DATABASE_URL"));
	ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
	int remote = 0;
	PQsetNoticeReceiver(c, count_remote, &remote);
	PQclear(PQexec(c, "SET citus.log_remote_commands = on"));
	PQclear(PQexec(c, "SET client_min_messages = log"));
	const char *p[] = {w.wh_id, id, sid, g14};
	PGresult *res = PQexecParams(c,
		"SELECT outcome FROM receiving_scan($1::uuid, $2::uuid, NULL, NULL, $3::uuid,"
		" gen_random_uuid(), 'rt', $4, NULL, NULL, 1, 'good', false, false, false,"
		" '{arrived,receiving}', 'receiving', now())", 4, NULL, p, NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
	ck_assert_str_eq(PQgetvalue(res, 0, 0), "ok");
	PQclear(res);
	PQfinish(c);
	ck_assert_msg(remote == 1, "a receiving scan sent %d commands to workers, not one", remote);
}
END_TEST

static void setup(void)
{
	th_setup();
}

static void teardown(void)
{
	th_sql("DROP SCHEMA IF EXISTS plan_check CASCADE");
	th_teardown();
}

Suite *distribution_suite(void);
Suite *distribution_suite(void)
{
	Suite *s = suite_create("distribution");
	TCase *tc = tcase_create("plan");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, schema_agrees_with_the_plan);
	tcase_add_test(tc, each_kind_of_violation_is_caught);
	tcase_add_test(tc, text_rules_catch_what_citus_refuses);
	tcase_add_test(tc, sql_the_server_runs_avoids_what_citus_refuses);
	tcase_add_test(tc, receiving_scan_is_one_round_trip_to_one_worker);
	suite_add_tcase(s, tc);
	return s;
}
