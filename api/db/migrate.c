/* migrate.c — the schema: numbered migrations (sql/migrations/NNN_name.sql: tables and data,
 * applied once each, never edited) and the SQL functions (sql/functions/NAME.sql: each
 * function's current definition, applied again whenever its file changes), both embedded
 * at build time. */
#include "api/db/migrate.h"

#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/auth.h"
#include "api/db/embed.h"

#define MIGRATE_LOCK_KEY "7419001"

static int version_of(const char *name) { return atoi(name); }

int migrate_latest(void)
{
	return embed_nmigrations ? version_of(embed_migrations[embed_nmigrations - 1].name) : 0;
}

/* The names of the migrations before the baseline of sql/migrations/001_schema.sql. */
static const char *const old_numbering[] = {
	"001_foundation.sql", "002_refdata.sql", "003_inbound_inventory.sql", "004_inbound_api.sql",
	"005_receiving.sql", "006_fees.sql", "007_network.sql", "008_receiving_scan_late_lock.sql",
	"009_receiving_fast.sql", NULL};

static void checksum(const struct embed_file *f, char out[65])
{
	unsigned char md[32];
	unsigned int n = sizeof md;
	EVP_Digest(f->data, f->len, md, &n, EVP_sha256(), NULL);
	auth_hex(md, sizeof md, out);
}

/* Runs sql; returns 0 or -1 with err filled (prefixed by what). */
static int exec_ok(PGconn *c, const char *sql, const char *what, char *err, size_t errlen)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		snprintf(err, errlen, "%s: %s", what, PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

/* Compares applied rows with the embedded files; marks applied[i]. */
static int compare_applied(PGconn *c, char *applied, char *err, size_t errlen)
{
	int rc = -1;
	PGresult *res = PQexec(c, "SELECT version, name, checksum FROM schema_migrations "
	                          "ORDER BY version");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "reading schema_migrations: %s", PQresultErrorMessage(res));
		goto done;
	}
	for (int row = 0; row < PQntuples(res); row++) {
		int v = atoi(PQgetvalue(res, row, 0));
		for (int k = 0; old_numbering[k]; k++) {
			if (strcmp(PQgetvalue(res, row, 1), old_numbering[k]) == 0) {
				snprintf(err, errlen, "this database was created with the migrations before the "
				         "baseline (%s…): wmsd now starts from a new baseline "
				         "(sql/migrations/001_schema.sql) and cannot upgrade it; create a new "
				         "database (README: Setting up)", old_numbering[0]);
				goto done;
			}
		}
		size_t i;
		for (i = 0; i < embed_nmigrations; i++)
			if (version_of(embed_migrations[i].name) == v)
				break;
		if (i == embed_nmigrations) {
			snprintf(err, errlen, "the database has migration %d (%s), which this wmsd does not "
			         "know: is it an older build?", v, PQgetvalue(res, row, 1));
			goto done;
		}
		char sum[65];
		checksum(&embed_migrations[i], sum);
		if (strcmp(sum, PQgetvalue(res, row, 2)) != 0) {
			snprintf(err, errlen, "migration %s was changed after it was applied (checksum %.12s…, "
			         "applied %.12s…); add a new migration instead of editing it",
			         embed_migrations[i].name, sum, PQgetvalue(res, row, 2));
			goto done;
		}
		applied[i] = 1;
	}
	rc = 0;
done:
	PQclear(res);
	return rc;
}

static PGconn *connect_db(const char *conninfo, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "connecting to the database: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	return c;
}

/* The SQL that creates schema_functions, the record of applied function files. */
#define FUNCTIONS_TABLE                                                                           \
	"CREATE TABLE IF NOT EXISTS schema_functions (name text PRIMARY KEY, checksum text NOT NULL," \
	" applied_at timestamptz NOT NULL DEFAULT now())"

/* Marks stale[i] for every function file whose recorded checksum differs from the compiled
 * one (or that was never applied); returns how many, or -1 with err filled. */
static int stale_functions(PGconn *c, char *stale, char *err, size_t errlen)
{
	int n = 0;
	PGresult *res = PQexec(c, "SELECT name, checksum FROM schema_functions");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "reading schema_functions: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	for (size_t i = 0; i < embed_nfunctions; i++) {
		char sum[65];
		checksum(&embed_functions[i], sum);
		stale[i] = 1;
		for (int row = 0; row < PQntuples(res); row++)
			if (strcmp(PQgetvalue(res, row, 0), embed_functions[i].name) == 0 &&
			    strcmp(PQgetvalue(res, row, 1), sum) == 0)
				stale[i] = 0;
		n += stale[i];
	}
	PQclear(res);
	return n;
}

/* Applies the stale function files in one transaction, with function bodies checked only
 * when they run (so the files' order does not matter), recording each file's checksum. */
static int apply_functions(PGconn *c, const char *stale, FILE *out, char *err, size_t errlen)
{
	if (exec_ok(c, "BEGIN", "BEGIN", err, errlen) ||
	    exec_ok(c, "SET LOCAL check_function_bodies = off", "check_function_bodies", err, errlen))
		goto fail;
	for (size_t i = 0; i < embed_nfunctions; i++) {
		const struct embed_file *f = &embed_functions[i];
		if (!stale[i])
			continue;
		char sum[65];
		checksum(f, sum);
		if (exec_ok(c, f->data, f->name, err, errlen))
			goto fail;
		const char *params[] = {f->name, sum};
		PGresult *res = PQexecParams(c, "INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)"
		                                " ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum,"
		                                " applied_at = now()",
		                             2, NULL, params, NULL, NULL, 0);
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			snprintf(err, errlen, "recording %s: %s", f->name, PQresultErrorMessage(res));
		PQclear(res);
		if (!ok)
			goto fail;
		fprintf(out, "applied functions/%s\n", f->name);
	}
	return exec_ok(c, "COMMIT", "COMMIT", err, errlen);
fail:
	PQclear(PQexec(c, "ROLLBACK"));
	return -1;
}

int migrate_apply(const char *conninfo, FILE *out, char *err, size_t errlen)
{
	int rc = -1, locked = 0;
	char *applied = calloc(embed_nmigrations + 1, 1);
	PGconn *c = NULL;
	if (!applied) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (!(c = connect_db(conninfo, err, errlen)))
		goto done;
	if (exec_ok(c, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "taking the migration lock",
	            err, errlen))
		goto done;
	locked = 1;
	if (exec_ok(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	               " version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
	               " applied_at timestamptz NOT NULL DEFAULT now())",
	            "creating schema_migrations", err, errlen) ||
	    compare_applied(c, applied, err, errlen))
		goto done;
	int count = 0;
	for (size_t i = 0; i < embed_nmigrations; i++) {
		const struct embed_file *f = &embed_migrations[i];
		if (applied[i])
			continue;
		char sum[65], version[16];
		checksum(f, sum);
		snprintf(version, sizeof version, "%d", version_of(f->name));
		if (exec_ok(c, "BEGIN", "BEGIN", err, errlen))
			goto done;
		if (exec_ok(c, f->data, f->name, err, errlen)) {
			PQclear(PQexec(c, "ROLLBACK"));
			goto done;
		}
		const char *params[] = {version, f->name, sum};
		PGresult *res = PQexecParams(c, "INSERT INTO schema_migrations (version, name, checksum) "
		                                "VALUES ($1, $2, $3)", 3, NULL, params, NULL, NULL, 0);
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			snprintf(err, errlen, "recording %s: %s", f->name, PQresultErrorMessage(res));
		PQclear(res);
		if (!ok) {
			PQclear(PQexec(c, "ROLLBACK"));
			goto done;
		}
		if (exec_ok(c, "COMMIT", f->name, err, errlen))
			goto done;
		fprintf(out, "applied %s\n", f->name);
		count++;
	}
	char *stale = calloc(embed_nfunctions + 1, 1);
	int nstale = -1;
	if (stale && !exec_ok(c, FUNCTIONS_TABLE, "creating schema_functions", err, errlen))
		nstale = stale_functions(c, stale, err, errlen);
	if (!stale)
		snprintf(err, errlen, "out of memory");
	if (nstale < 0 || (nstale > 0 && apply_functions(c, stale, out, err, errlen) != 0)) {
		free(stale);
		goto done;
	}
	free(stale);
	/* on Citus: the plan's functions run on the worker holding their rows (no-op otherwise) */
	if (exec_ok(c, "SELECT wms_delegate()", "delegating functions", err, errlen))
		goto done;
	fprintf(out, "schema is current (version %d, %d migrations and %d function files applied "
	        "now)\n", migrate_latest(), count, nstale);
	rc = 0;
done:
	if (locked)
		PQclear(PQexec(c, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")"));
	PQfinish(c);
	free(applied);
	return rc;
}

int migrate_check(const char *conninfo, char *err, size_t errlen)
{
	int rc = -1;
	char *applied = calloc(embed_nmigrations + 1, 1);
	PGconn *c = NULL;
	if (!applied) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (!(c = connect_db(conninfo, err, errlen)))
		goto done;
	PGresult *res = PQexec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	int exists = PQresultStatus(res) == PGRES_TUPLES_OK && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (exists && compare_applied(c, applied, err, errlen))
		goto done;
	rc = 0;
	for (size_t i = 0; i < embed_nmigrations; i++) {
		if (!applied[i]) {
			snprintf(err, errlen, "the database schema is behind: migration %s is not applied; "
			         "run `wmsd migrate` first", embed_migrations[i].name);
			rc = 1;
			goto done;
		}
	}
	res = PQexec(c, "SELECT to_regclass('schema_functions') IS NOT NULL");
	exists = PQresultStatus(res) == PGRES_TUPLES_OK && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	char *stale = calloc(embed_nfunctions + 1, 1);
	int nstale = !stale ? -1 : exists ? stale_functions(c, stale, err, errlen) : (int)embed_nfunctions;
	for (size_t i = 0; nstale > 0 && i < embed_nfunctions; i++) {
		if (!exists || stale[i]) {
			snprintf(err, errlen, "the database's SQL functions are out of date: %s is not "
			         "applied as compiled; run `wmsd migrate` first", embed_functions[i].name);
			break;
		}
	}
	free(stale);
	rc = nstale < 0 ? -1 : nstale > 0 ? 1 : 0;
done:
	PQfinish(c);
	free(applied);
	return rc;
}

void migrate_functions_digest(char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int n = sizeof md;
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		abort();
	for (size_t i = 0; i < embed_nfunctions; i++) {
		char sum[65];
		checksum(&embed_functions[i], sum);
		EVP_DigestUpdate(ctx, embed_functions[i].name, strlen(embed_functions[i].name));
		EVP_DigestUpdate(ctx, ":", 1);
		EVP_DigestUpdate(ctx, sum, 64);
		EVP_DigestUpdate(ctx, "\n", 1);
	}
	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	auth_hex(md, sizeof md, out);
}
