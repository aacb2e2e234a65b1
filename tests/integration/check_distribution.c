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
	/* cluster readers: of a distributed table, through one (a SQL function calling it), of a
	 * reference table; and a list that finds its rows first, then labels them */
	th_sql("CREATE FUNCTION child_doc(p_wh uuid, p_id int) RETURNS text LANGUAGE plpgsql AS $$"
	       " BEGIN RETURN (SELECT c.id::text FROM child c WHERE c.wh = p_wh AND c.id = p_id); END $$");
	th_sql("CREATE FUNCTION child_label(p_wh uuid, p_id int) RETURNS text LANGUAGE sql AS $$"
	       " SELECT '#' || child_doc(p_wh, p_id) $$");
	th_sql("CREATE FUNCTION ref_size() RETURNS bigint LANGUAGE plpgsql AS $$"
	       " BEGIN RETURN (SELECT count(*) FROM ref); END $$");
	th_sql("CREATE FUNCTION child_labels(p_wh uuid) RETURNS text[] LANGUAGE plpgsql AS $$"
	       " DECLARE ids int[]; BEGIN"
	       " ids := ARRAY(SELECT c.id FROM child c WHERE c.wh = p_wh ORDER BY c.id);"
	       " RETURN ARRAY(SELECT child_label(p_wh, x.id) FROM unnest(ids) AS x (id)); END $$");
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
	th_sql("CREATE FUNCTION child_labels_per_row(p_wh uuid) RETURNS SETOF text LANGUAGE plpgsql"
	       " AS $$ BEGIN RETURN QUERY SELECT child_label(c.wh, c.id) FROM child c"
	       " WHERE c.wh = p_wh; END $$");                        /* per row, through a reader */
	th_sql("CREATE FUNCTION ref_sizes() RETURNS SETOF bigint LANGUAGE plpgsql"
	       " AS $$ BEGIN RETURN QUERY SELECT ref_size() FROM child c; END $$");
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

/* Rule: no per-row call, from a query over a distributed table, of a function that queries
 * the cluster. Citus pushes such a query down to the shards, and the function would then run
 * a distributed query on a shard, which it refuses ("cannot execute a distributed query from a
 * query on a shard"; Citus's regression test nested_execution): find the rows first (their
 * ids and distribution column), then call the function from a query with no distributed
 * table in its FROM (README, "Writing SQL that distributes").
 *
 * The functions that query the cluster come from the catalog (CLUSTER_READERS): those whose
 * body names a table Citus manages — distributed, reference or coordinator-local (Citus's
 * test refuses a function reading a reference table too) — and, transitively, those that
 * call one of them. A query is over a distributed table when one follows FROM, JOIN, UPDATE
 * or a comma of a FROM list in it. The text is read a statement at a time (';', and in
 * PL/pgSQL after LOOP, THEN and ELSE outside CASE: assumed, Citus has run a FOR loop's query
 * to its end before the body runs); a statement's subqueries belong to its query, but a CTE's
 * body is a query of its own, unless PostgreSQL inlines it (referenced once, not MATERIALIZED,
 * not modifying), and then a reference to it counts as the tables it reads. Comments and
 * string literals are not read. A heuristic: it flags a call beside a subquery it does not
 * depend on, and a LIMIT subquery that Citus would compute apart first. */

/* The distributed tables of the plan in the current schema, comma-separated. */
#define DISTRIBUTED_TABLES                                                                        \
	"SELECT string_agg(table_name, ',' ORDER BY table_name) FROM schema_distribution"            \
	" WHERE kind = 'distributed'"

/* The SQL and PL/pgSQL functions of the current schema that query the cluster,
 * comma-separated. */
#define CLUSTER_READERS                                                                           \
	"WITH RECURSIVE fn AS (SELECT p.proname::text AS name, p.prosrc FROM pg_proc p"              \
	"   JOIN pg_language l ON l.oid = p.prolang AND l.lanname IN ('sql', 'plpgsql')"             \
	"   WHERE p.pronamespace = current_schema()::regnamespace),"                                 \
	" readers (name) AS (SELECT f.name FROM fn f JOIN schema_distribution d"                     \
	"   ON d.kind IN ('distributed', 'reference', 'local')"                                      \
	"   AND f.prosrc ~* ('\\m' || d.table_name || '\\M')"                                        \
	"  UNION SELECT f.name FROM fn f JOIN readers r ON f.prosrc ~* ('\\m' || r.name || '\\s*\\('))" \
	"SELECT string_agg(name, ',' ORDER BY name) FROM readers"

/* A list of names (lower case), split from a comma-separated text. */
struct names {
	char *buf;
	const char *v[512];
	size_t len[512];
	size_t n;
};

static void names_parse(struct names *l, const char *csv)
{
	l->buf = strdup(csv);
	l->n = 0;
	for (char *save = NULL, *w = strtok_r(l->buf, ",", &save); w && l->n < 512;
	     w = strtok_r(NULL, ",", &save)) {
		for (char *c = w; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		l->v[l->n] = w;
		l->len[l->n++] = strlen(w);
	}
}

static void names_free(struct names *l)
{
	free(l->buf);
}

static bool names_has(const struct names *l, const char *w, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == len && strncmp(l->v[i], w, len) == 0)
			return true;
	return false;
}

/* text without its comments and with its string literals emptied (''), then normalized.
 * Caller frees. */
static char *scrubbed(const char *text)
{
	char *raw = malloc(strlen(text) + 1), *o = raw;
	for (const char *c = text; *c;) {
		if (c[0] == '-' && c[1] == '-') {
			c += strcspn(c, "\n");
		} else if (c[0] == '/' && c[1] == '*') {
			const char *e = strstr(c + 2, "*/");
			c = e ? e + 2 : c + strlen(c);
			*o++ = ' ';
		} else if (*c == '\'') {
			for (c++; *c && !(c[0] == '\'' && c[1] != '\''); c += c[0] == '\'' ? 2 : 1)
				;
			c += *c != '\0';
			*o++ = '\'';
			*o++ = '\'';
		} else {
			*o++ = *c++;
		}
	}
	*o = '\0';
	char *t = normalized(raw);
	free(raw);
	return t;
}

/* A CTE: its name, the parentheses of its body, and whether PostgreSQL inlines it. */
struct cte {
	size_t name, name_len, open, close;
	bool inlined;
};

/* A text being read: scrubbed, with the depth of every character in parentheses, where
 * each '(' closes, and the CTEs of the statement being read. */
struct nest {
	char *t;
	size_t n;
	int *depth;
	size_t *close;
	struct cte cte[64];
	size_t ncte;
	const struct names *dist, *readers;
};

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The length of the word that starts at t[i]; 0 when none starts there. */
static size_t word_len(const struct nest *x, size_t i)
{
	if (!word_char(x->t[i]) || (i > 0 && word_char(x->t[i - 1])))
		return 0;
	size_t n = 0;
	while (word_char(x->t[i + n]))
		n++;
	return n;
}

static bool word_is(const struct nest *x, size_t i, size_t len, const char *w)
{
	return len == strlen(w) && strncmp(x->t + i, w, len) == 0;
}

/* The token that ends before t[i] — a word, or one other character — at *start; its length,
 * 0 when there is none. */
static size_t token_before(const struct nest *x, size_t i, size_t *start)
{
	*start = i;
	while (i > 0 && x->t[i - 1] == ' ')
		i--;
	if (i == 0)
		return 0;
	size_t e = i;
	if (!word_char(x->t[i - 1])) {
		*start = i - 1;
		return 1;
	}
	while (i > 0 && word_char(x->t[i - 1]))
		i--;
	*start = i;
	return e - i;
}

static bool token_is(const struct nest *x, size_t len, size_t start, const char *w)
{
	return len > 0 && word_is(x, start, len, w);
}

static void nest_init(struct nest *x, const char *text, const struct names *dist,
                      const struct names *readers)
{
	x->t = scrubbed(text);
	x->n = strlen(x->t);
	x->depth = calloc(x->n + 1, sizeof *x->depth);
	x->close = calloc(x->n + 1, sizeof *x->close);
	x->dist = dist;
	x->readers = readers;
	size_t open[256];
	int top = 0;
	for (size_t i = 0; i < x->n; i++) {
		x->depth[i] = top;
		if (x->t[i] == '(') {
			x->close[i] = x->n;
			if (top < 256)
				open[top] = i;
			top++;
		} else if (x->t[i] == ')' && top > 0) {
			x->depth[i] = --top;
			if (top < 256)
				x->close[open[top]] = i;
		}
	}
}

static void nest_free(struct nest *x)
{
	free(x->t);
	free(x->depth);
	free(x->close);
}

/* Whether the '(' at t[i] opens a CTE's body ("[with|,] name as [[not] materialized] ("); the
 * CTE, with inlined still to be decided, in *c. */
static bool cte_opens(const struct nest *x, size_t i, struct cte *c)
{
	size_t s, len = token_before(x, i, &s);
	bool materialized = token_is(x, len, s, "materialized");
	if (materialized) {
		len = token_before(x, s, &s);
		if (token_is(x, len, s, "not")) {
			materialized = false;
			len = token_before(x, s, &s);
		}
	}
	if (!token_is(x, len, s, "as"))
		return false;
	size_t name, name_len = token_before(x, s, &name);
	if (name_len == 0 || !word_char(x->t[name]))
		return false;
	len = token_before(x, name, &s);
	if (!(token_is(x, len, s, "with") || token_is(x, len, s, "recursive") ||
	      (len == 1 && x->t[s] == ',')))
		return false;
	size_t b = i + 1 + (x->t[i + 1] == ' '), first = word_len(x, b);
	bool modifying = word_is(x, b, first, "insert") || word_is(x, b, first, "update") ||
	                 word_is(x, b, first, "delete");
	*c = (struct cte){name, name_len, i, x->close[i], !materialized && !modifying};
	return true;
}

static const struct cte *cte_at(const struct nest *x, size_t open)
{
	for (size_t k = 0; k < x->ncte; k++)
		if (x->cte[k].open == open)
			return &x->cte[k];
	return NULL;
}

static const struct cte *cte_named(const struct nest *x, size_t i, size_t len)
{
	for (size_t k = 0; k < x->ncte; k++)
		if (x->cte[k].name_len == len && strncmp(x->t + x->cte[k].name, x->t + i, len) == 0)
			return &x->cte[k];
	return NULL;
}

/* Whether the ',' at t[k] separates the items of a FROM list. */
static bool in_from_list(const struct nest *x, size_t k)
{
	static const char *const stop[] = {"select", "where", "set", "values", "returning", "group",
	                                   "order", "having", "limit", "into", "when", "then",
	                                   "else", NULL};
	int d = x->depth[k];
	for (size_t j = k; j-- > 0;) {
		if (x->depth[j] < d || (x->t[j] == ';' && x->depth[j] == d))
			return false;
		size_t len = x->depth[j] == d ? word_len(x, j) : 0;
		if (word_is(x, j, len, "from"))
			return true;
		for (int w = 0; stop[w] && len; w++)
			if (word_is(x, j, len, stop[w]))
				return false;
	}
	return false;
}

/* Whether the word at t[i] stands where a table is named: after FROM, JOIN or UPDATE, or
 * after a comma of a FROM list. */
static bool names_a_table(const struct nest *x, size_t i)
{
	size_t s, len = token_before(x, i, &s);
	if (len == 1 && x->t[s] == ',')
		return in_from_list(x, s);
	return token_is(x, len, s, "from") || token_is(x, len, s, "join") ||
	       token_is(x, len, s, "update");
}

/* What one query reads and calls: the first call of a cluster reader and the first
 * distributed table (or inlined CTE over one) it names, as offsets into t. */
struct query_use {
	size_t call, call_len, table, table_len;
	bool calls, over_distributed;
};

/* Reads the query in t[a, b), leaving out the bodies of CTEs (queries of their own). */
static void query_use(const struct nest *x, size_t a, size_t b, struct query_use *u, int level)
{
	for (size_t i = a; i < b; i++) {
		const struct cte *c = x->t[i] == '(' ? cte_at(x, i) : NULL;
		if (c) {
			i = c->close;
			continue;
		}
		size_t len = word_len(x, i);
		if (len == 0)
			continue;
		bool qualified = i > 0 && x->t[i - 1] == '.';
		size_t after = i + len + (x->t[i + len] == ' ');
		if (!qualified && !u->calls && x->t[after] == '(' && names_has(x->readers, x->t + i, len)) {
			u->calls = true;
			u->call = i;
			u->call_len = len;
		}
		if (!qualified && !u->over_distributed && names_a_table(x, i)) {
			const struct cte *named = names_has(x->dist, x->t + i, len) ? NULL
			                          : cte_named(x, i, len);
			struct query_use inner = {0};
			if (named && named->inlined && level < 8)
				query_use(x, named->open + 1, named->close, &inner, level + 1);
			if (names_has(x->dist, x->t + i, len) || inner.over_distributed) {
				u->over_distributed = true;
				u->table = named ? inner.table : i;
				u->table_len = named ? inner.table_len : len;
			}
		}
		i += len - 1;
	}
}

/* Checks one statement, t[a, b): each of its queries. */
static bool statement_nests(struct nest *x, size_t a, size_t b, char *why, size_t n)
{
	x->ncte = 0;
	for (size_t i = a; i < b && x->ncte < 64; i++)
		if (x->t[i] == '(' && cte_opens(x, i, &x->cte[x->ncte]))
			x->ncte++;
	/* PostgreSQL inlines a CTE referenced once (a FROM item, not a qualifier) */
	for (size_t k = 0; k < x->ncte; k++) {
		struct cte *c = &x->cte[k];
		int refs = 0;
		for (size_t i = a; i < b; i++) {
			size_t len = word_len(x, i);
			if (i != c->name && len == c->name_len && strncmp(x->t + i, x->t + c->name, len) == 0 &&
			    !(i > 0 && x->t[i - 1] == '.') && x->t[i + len] != '.')
				refs++;
			i += len ? len - 1 : 0;
		}
		c->inlined = c->inlined && refs == 1;
	}
	for (size_t q = 0; q <= x->ncte; q++) {
		struct query_use u = {0};
		const struct cte *c = q < x->ncte ? &x->cte[q] : NULL;
		query_use(x, c ? c->open + 1 : a, c ? c->close : b, &u, 0);
		if (u.calls && u.over_distributed) {
			snprintf(why, n, "%.*s() called per row of a query over %.*s: \"%.80s…\"",
			         (int)u.call_len, x->t + u.call, (int)u.table_len, x->t + u.table, x->t + a);
			return true;
		}
	}
	return false;
}

/* The rule over a statement or a function body: true (why filled) when a query in it over
 * a distributed table (dist) calls a function that queries the cluster (readers). */
static bool nested_call(const char *text, const struct names *dist, const struct names *readers,
                        char *why, size_t n)
{
	struct nest x;
	nest_init(&x, text, dist, readers);
	bool found = false;
	size_t a = 0;
	int cases = 0;
	for (size_t i = 0; i <= x.n && !found; i++) {
		size_t len = i < x.n && x.depth[i] == 0 ? word_len(&x, i) : 0;
		cases += word_is(&x, i, len, "case");
		cases -= cases > 0 && word_is(&x, i, len, "end");
		bool split = i == x.n || (x.t[i] == ';' && x.depth[i] == 0) || word_is(&x, i, len, "loop") ||
		             (cases == 0 && (word_is(&x, i, len, "then") || word_is(&x, i, len, "else")));
		if (!split)
			continue;
		found = statement_nests(&x, a, i, why, n);
		if (i < x.n && x.t[i] == ';')
			cases = 0;
		a = i + (len ? len : 1);
	}
	nest_free(&x);
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
	/* per-row calls of cluster readers, with names given here */
	static const char *const nested[] = {
		"SELECT doc(o.seller_id, o.id)::text FROM orders o WHERE o.id = $1",
		"SELECT page_json((SELECT json_agg(p.j) FROM (SELECT doc(o.seller_id, o.id) AS j"
		" FROM orders o ORDER BY o.id LIMIT $1) p), $1)",
		"SELECT o.id, (SELECT doc(o.seller_id, o.id)) FROM orders o",
		"SELECT doc(o.seller_id, o.id) FROM sellers s, orders o WHERE o.seller_id = s.id",
		"SELECT x FROM sellers s JOIN orders o ON o.seller_id = s.id, LATERAL doc (s.id, o.id) x",
		"UPDATE orders o SET body = doc(o.seller_id, o.id) WHERE o.id = $1",
		"WITH ids AS (SELECT o.seller_id, o.id FROM orders o) SELECT doc(i.seller_id, i.id) FROM ids i",
		"WITH a AS (SELECT 1), b AS (SELECT post(l.wh, jsonb_agg(l.qty)) FROM a, lines l"
		" GROUP BY l.wh) SELECT count(*) FROM b",
		"SELECT CASE WHEN o.state = 'x' THEN 1 ELSE 2 END, doc(o.seller_id, o.id) FROM orders o",
		"BEGIN RETURN (SELECT doc(o.seller_id, o.id) FROM orders o WHERE o.id = p_id); END",
		"DECLARE d jsonb; BEGIN IF p_id IS NOT NULL THEN SELECT doc(o.seller_id, o.id) INTO d"
		" FROM orders o WHERE o.id = p_id; END IF; RETURN d; END"};
	static const char *const not_nested[] = {
		"SELECT page(1, $1::uuid)",
		"SELECT json_agg(doc(x.seller_id, x.id) ORDER BY x.i)"
		" FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS x (seller_id, id, i)",
		"SELECT doc(s.id, $1) FROM sellers s",           /* a reference table: the coordinator */
		"WITH ids AS MATERIALIZED (SELECT o.seller_id, o.id FROM orders o)"
		" SELECT doc(i.seller_id, i.id) FROM ids i",     /* an intermediate result */
		"WITH ids AS (SELECT o.seller_id, o.id FROM orders o) SELECT doc(i.seller_id, i.id)"
		" FROM ids i UNION ALL SELECT NULL FROM ids",     /* referenced twice: materialized */
		"WITH c AS (UPDATE orders o SET n = 1 WHERE o.id = $1 RETURNING o.seller_id, o.id)"
		" SELECT doc(c.seller_id, c.id) FROM c",          /* a modifying CTE is computed apart */
		"SELECT 'doc(' FROM orders o -- doc(o.seller_id, o.id)\n",
		"SELECT o.doc, doc_text(o.id) /* doc(o.id) */ FROM orders o",
		"SELECT extract(epoch FROM o.at), docs.n FROM orders o, docs",
		"DECLARE s uuid[]; i uuid[]; BEGIN"
		" SELECT array_agg(o.seller_id), array_agg(o.id) INTO s, i FROM orders o;"
		" RETURN (SELECT json_agg(doc(x.s, x.i)) FROM unnest(s, i) AS x (s, i)); END",
		"BEGIN IF EXISTS (SELECT 1 FROM orders o WHERE o.id = p_id) THEN"
		" RETURN doc(p_seller, p_id); END IF; RETURN NULL; END",
		"DECLARE r record; BEGIN FOR r IN SELECT o.seller_id, o.id FROM orders o LOOP"
		" RETURN NEXT doc(r.seller_id, r.id); END LOOP; END"};
	struct names dist, readers;
	names_parse(&dist, "orders,lines");
	names_parse(&readers, "doc,post");
	for (size_t i = 0; i < sizeof nested / sizeof *nested; i++)
		ck_assert_msg(nested_call(nested[i], &dist, &readers, why, sizeof why), "not caught: %s",
		              nested[i]);
	for (size_t i = 0; i < sizeof not_nested / sizeof *not_nested; i++)
		ck_assert_msg(!nested_call(not_nested[i], &dist, &readers, why, sizeof why), "%s: %s",
		              not_nested[i], why);
	names_free(&dist);
	names_free(&readers);
}
END_TEST

/* The rule's names from the current schema's catalog: its distributed tables, and the
 * functions that query the cluster. */
static void nest_names_load(struct names *dist, struct names *readers)
{
	char *d = th_sql_textp(DISTRIBUTED_TABLES, NULL), *r = th_sql_textp(CLUSTER_READERS, NULL);
	names_parse(dist, d);
	names_parse(readers, r);
	free(d);
	free(r);
}

/* Calls check(name, body, arg) for each SQL and PL/pgSQL function of the current schema,
 * with its whole body; returns how many there are. */
static int each_function(void (*check)(const char *name, const char *body, void *arg), void *arg)
{
	char *oids = th_sql_textp("SELECT string_agg(p.oid::text, ',' ORDER BY p.oid) FROM pg_proc p"
	                          " WHERE p.pronamespace = current_schema()::regnamespace"
	                          " AND p.prolang IN (SELECT oid FROM pg_language"
	                          "   WHERE lanname IN ('sql', 'plpgsql'))", NULL);
	int n = 0;
	for (char *save = NULL, *oid = strtok_r(oids, ",", &save); oid;
	     oid = strtok_r(NULL, ",", &save), n++) {
		char *body = th_sql_textp("SELECT prosrc FROM pg_proc WHERE oid = $1::oid", oid, NULL);
		char *name = th_sql_textp("SELECT $1::oid::regprocedure::text", oid, NULL);
		check(name, body, arg);
		free(body);
		free(name);
	}
	free(oids);
	return n;
}

/* The rule's names, and the functions found breaking it (each name followed by a space). */
struct nest_found {
	const struct names *dist, *readers;
	char list[1024];
};

/* Appends the function to the list of arg (struct nest_found) when its body calls a cluster
 * reader per row of a distributed table. */
static void note_nested(const char *name, const char *body, void *arg)
{
	struct nest_found *f = arg;
	char why[256];
	if (nested_call(body, f->dist, f->readers, why, sizeof why))
		snprintf(f->list + strlen(f->list), sizeof f->list - strlen(f->list), "%s ", name);
}

START_TEST(per_row_calls_of_cluster_readers_are_caught_in_function_bodies)
{
	struct names dist, readers;
	struct nest_found f = {&dist, &readers, ""};
	scratch_schema(true);
	nest_names_load(&dist, &readers);
	char *list = th_sql_textp(CLUSTER_READERS, NULL);
	ck_assert_str_eq(list, "child_doc,child_label,child_labels,ref_size");
	free(list);
	(void)each_function(note_nested, &f);
	ck_assert_msg(f.list[0] == '\0', "clean scratch schema: %s", f.list);
	names_free(&dist);
	names_free(&readers);
	scratch_schema(false);
	nest_names_load(&dist, &readers);
	(void)each_function(note_nested, &f);
	ck_assert_str_eq(f.list, "child_labels_per_row(uuid) ref_sizes() ");
	names_free(&dist);
	names_free(&readers);
	scratch_drop();
}
END_TEST

/* The reads as they were before they found their rows first, each calling a cluster reader
 * per row of a distributed table: the rule, with the schema's own names, flags every one. */
START_TEST(per_row_calls_the_old_reads_made_are_caught)
{
	static const char *const old[] = {
		/* inbound_get */
		"SELECT inbound_shipment_doc(s.warehouse_id, s.id)::text FROM inbound_shipments s"
		" WHERE (s.id = $1::uuid OR s.asn = $4) AND ($2::uuid IS NULL OR s.seller_id = $2::uuid)"
		" AND ($3::uuid IS NULL OR s.warehouse_id = $3::uuid) ORDER BY s.created_at DESC LIMIT 1",
		/* inbound_list */
		"SELECT page_json((SELECT json_agg(p.j ORDER BY p.created_at DESC, p.id DESC) FROM ("
		"    SELECT inbound_shipment_doc(s.warehouse_id, s.id) AS j, s.created_at, s.id"
		"    FROM inbound_shipments s"
		"    WHERE ($4::uuid IS NULL OR s.seller_id = $4::uuid)"
		"      AND ($5::uuid IS NULL OR s.warehouse_id = $5::uuid)"
		"      AND ($6::text IS NULL OR s.state = $6)"
		"      AND ($7::text IS NULL OR s.warehouse_id = (SELECT w.id FROM warehouses w WHERE w.code = $7))"
		"      AND ($2::text IS NULL OR (s.created_at, s.id) < (page_ts($2), $3::uuid))"
		"    ORDER BY s.created_at DESC, s.id DESC LIMIT $1::int + 1) p), $1::int)",
		/* order_get */
		"SELECT order_doc(o.seller_id, o.id)::text FROM orders o"
		" WHERE (o.id = $1::uuid OR o.client_order_id = $4)"
		" AND ($2::uuid IS NULL OR o.seller_id = $2::uuid)"
		" AND ($3::uuid IS NULL OR o.warehouse_id = $3::uuid)"
		" ORDER BY o.created_at DESC LIMIT 2",
		/* order_list (its filters shortened) */
		"SELECT page_json((SELECT json_agg(p.j ORDER BY p.created_at DESC, p.id DESC) FROM ("
		"    SELECT order_doc(o.seller_id, o.id) AS j, o.created_at, o.id FROM orders o"
		"    WHERE ($4::uuid IS NULL OR o.seller_id = $4::uuid)"
		"      AND ($2::text IS NULL OR (o.created_at, o.id) < (page_ts($2), $3::uuid))"
		"    ORDER BY o.created_at DESC, o.id DESC LIMIT $1::int + 1) p), $1::int)",
		/* inbound_close_read */
		"SELECT s.warehouse_id, s.id, s.state, s.version, s.discrepancy::text AS discrepancy,"
		" coalesce((SELECT json_agg(json_build_object('line', l.line_no) ORDER BY l.line_no)"
		"   FROM inbound_lines l JOIN skus k ON k.seller_id = l.seller_id AND k.id = l.sku_id"
		"   WHERE l.warehouse_id = s.warehouse_id AND l.shipment_id = s.id), '[]')::text AS lines,"
		" fees_inbound_close_input(s.warehouse_id, s.id, $3::timestamptz)::text AS fees_input "
		"FROM inbound_shipments s "
		"WHERE (s.id = $1::uuid OR s.asn = $4) AND ($2::uuid IS NULL OR s.warehouse_id = $2::uuid)"
		" ORDER BY s.created_at DESC LIMIT 1",
		/* inbound_close: the stock posted per shipment joined to its lines and receipts */
		"WITH closed AS (UPDATE inbound_shipments s SET state = $4, version = s.version + 1"
		"  WHERE s.warehouse_id = $1::uuid AND s.id = $2::uuid RETURNING s.warehouse_id, s.id),"
		" dock AS (INSERT INTO bins (warehouse_id, code, zone, kind)"
		"  SELECT c.warehouse_id, x.code, 'DOCK', x.kind FROM closed c,"
		"    (VALUES ('RECEIVING', 'receiving'), ('QUARANTINE', 'quarantine')) x (code, kind)"
		"  ON CONFLICT (warehouse_id, code) DO UPDATE SET code = EXCLUDED.code RETURNING id, code),"
		" moved AS (SELECT inventory_post(c.warehouse_id, jsonb_agg(jsonb_build_object("
		"    'sku_id', l.sku_id, 'qty', x.qty, 'to_bin', b.id) ORDER BY l.line_no, x.lot),"
		"    'inbound_receipt', 'inbound_shipment', c.id::text, $8::uuid, $6::timestamptz) AS n"
		"  FROM closed c JOIN inbound_lines l ON l.warehouse_id = c.warehouse_id AND l.shipment_id = c.id"
		"  JOIN inbound_receipts x ON x.warehouse_id = l.warehouse_id AND x.shipment_id = l.shipment_id"
		"    AND x.line_no = l.line_no"
		"  JOIN dock b ON b.code = CASE x.status WHEN 'sellable' THEN 'RECEIVING' ELSE 'QUARANTINE' END"
		"  GROUP BY c.warehouse_id, c.id) "
		"SELECT (SELECT coalesce(sum(n), 0) FROM moved) AS movements",
		/* fees_inbound_close_input's body: the versions (reference tables) per shipment row */
		"BEGIN RETURN (SELECT json_build_object('shipment_id', s.id, 'at', api_ts(t),"
		" 'versions', fee_versions_json(t)) FROM inbound_shipments s"
		" WHERE s.warehouse_id = p_warehouse AND s.id = p_shipment); END"};
	struct names dist, readers;
	nest_names_load(&dist, &readers);
	char why[256];
	for (size_t i = 0; i < sizeof old / sizeof *old; i++)
		ck_assert_msg(nested_call(old[i], &dist, &readers, why, sizeof why), "not caught: %s",
		              old[i]);
	names_free(&dist);
	names_free(&readers);
}
END_TEST

/* Fails the test when a function's body breaks a text rule. */
static void body_avoids_what_citus_refuses(const char *name, const char *body, void *arg)
{
	const struct nest_found *f = arg;
	char why[256];
	ck_assert_msg(!volatile_in_set(body, why, sizeof why), "function %s: %s", name, why);
	ck_assert_msg(!subquery_in_values(body, why, sizeof why), "function %s: %s", name, why);
	ck_assert_msg(!nested_call(body, f->dist, f->readers, why, sizeof why), "function %s: %s",
	              name, why);
}

START_TEST(sql_the_server_runs_avoids_what_citus_refuses)
{
	size_t nroutes;
	(void)routes_table(&nroutes);
	struct names dist, readers;
	struct nest_found f = {&dist, &readers, ""};
	nest_names_load(&dist, &readers);
	ck_assert_msg(names_has(&readers, "order_doc", 9) && names_has(&readers, "fee_versions_json", 17),
	              "cluster readers: %s", readers.buf);
	char why[256];
	int statements = 0;
	for (const struct db_stmt *s = db_stmt_first(); s < db_stmt_end(); s++, statements++) {
		ck_assert_msg(!volatile_in_set(s->sql, why, sizeof why), "statement %s: %s", s->name, why);
		ck_assert_msg(!subquery_in_values(s->sql, why, sizeof why), "statement %s: %s", s->name,
		              why);
		ck_assert_msg(!nested_call(s->sql, &dist, &readers, why, sizeof why), "statement %s: %s",
		              s->name, why);
	}
	ck_assert_int_ge(statements, 60);
	/* the bodies of the schema's own functions, whole */
	ck_assert_int_ge(each_function(body_avoids_what_citus_refuses, &f), 20);
	names_free(&dist);
	names_free(&readers);
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
	tcase_add_test(tc, per_row_calls_of_cluster_readers_are_caught_in_function_bodies);
	tcase_add_test(tc, per_row_calls_the_old_reads_made_are_caught);
	tcase_add_test(tc, sql_the_server_runs_avoids_what_citus_refuses);
	tcase_add_test(tc, receiving_scan_is_one_round_trip_to_one_worker);
	suite_add_tcase(s, tc);
	return s;
}
