/* keys.c — API key administration from the command line. */
#include "api/cli/keys.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/http/jsonv.h"

static int scope_required(enum auth_role role)
{
	return role == AUTH_SELLER || role == AUTH_STAFF || role == AUTH_CARRIER;
}

int keys_create(PGconn *conn, enum auth_role role, const char *scope, const char *label,
                char key[AUTH_KEY_LEN + 1], char id[37], char *err, size_t errlen)
{
	static const char *const sql =
		"WITH s AS (SELECT id FROM sellers WHERE $2 = 'seller' AND"
		"           (code = $3 OR id = CASE WHEN $6 THEN $3::uuid END)),"
		"     w AS (SELECT id FROM warehouses WHERE $2 = 'staff' AND code = $3),"
		"     c AS (INSERT INTO carriers (code, name) SELECT $3, $3 WHERE $2 = 'carrier'"
		"           ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING code) "
		"INSERT INTO api_keys (hash, role, seller_id, warehouse_id, carrier_code, label) "
		"SELECT decode($1, 'hex'), $2, (SELECT id FROM s), (SELECT id FROM w), (SELECT code FROM c), $4 "
		"WHERE $5 OR EXISTS (SELECT 1 FROM s UNION ALL SELECT 1 FROM w UNION ALL SELECT 1 FROM c) "
		"RETURNING id";
	unsigned char hash[AUTH_HASH_LEN];
	char hex[2 * AUTH_HASH_LEN + 1];
	int rc = -1;
	if (scope_required(role) != (scope != NULL)) {
		snprintf(err, errlen, scope ? "role %s takes no scope"
		                            : "role %s needs --seller, --warehouse or --carrier",
		         auth_role_name(role));
		return -1;
	}
	if (auth_key_generate(key) != 0) {
		snprintf(err, errlen, "no randomness available");
		return -1;
	}
	auth_key_hash(key, strlen(key), hash);
	auth_hex(hash, sizeof hash, hex);
	const char *params[] = {hex,
	                        auth_role_name(role),
	                        scope,
	                        label ? label : "",
	                        scope_required(role) ? "false" : "true",
	                        scope && jsonv_is_uuid(scope) ? "true" : "false"};
	PGresult *res = PQexecParams(conn, sql, 6, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
	} else if (PQntuples(res) != 1) {
		snprintf(err, errlen, "no %s \"%s\"", role == AUTH_SELLER ? "seller" : "warehouse",
		         scope);
	} else {
		snprintf(id, 37, "%s", PQgetvalue(res, 0, 0));
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int keys_revoke(PGconn *conn, const char *id, char *err, size_t errlen)
{
	if (!jsonv_is_uuid(id)) {
		snprintf(err, errlen, "\"%s\" is not a key id", id);
		return -1;
	}
	char now[32];
	snprintf(now, sizeof now, "%lld", (long long)time(NULL));
	const char *params[] = {id, now};
	PGresult *res = PQexecParams(conn, "UPDATE api_keys SET revoked_at = to_timestamp($2::bigint) "
	                                   "WHERE id = $1 AND revoked_at IS NULL",
	                             2, NULL, params, NULL, NULL, 0);
	int rc = -1;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
	else if (strcmp(PQcmdTuples(res), "1") != 0)
		snprintf(err, errlen, "no active key %s", id);
	else
		rc = 0;
	PQclear(res);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: wmsd key create --role admin|platform|seller|staff|carrier\n"
	                "                       [--seller ID|CODE | --warehouse CODE | --carrier CODE]"
	                " [--label TEXT]\n"
	                "       wmsd key revoke KEY_ID\n");
	return 2;
}

int keys_main(const char *conninfo, int argc, char **argv)
{
	char err[512], key[AUTH_KEY_LEN + 1], id[37];
	const char *role_s = NULL, *scope = NULL, *label = NULL;
	enum auth_role role;
	int rc = 1;
	if (argc < 1)
		return usage();
	int create = strcmp(argv[0], "create") == 0;
	if (!create && !(strcmp(argv[0], "revoke") == 0 && argc == 2))
		return usage();
	for (int i = 1; create && i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--role") == 0)
			role_s = argv[++i];
		else if (!strcmp(argv[i], "--seller") || !strcmp(argv[i], "--warehouse") ||
		         !strcmp(argv[i], "--carrier"))
			scope = argv[++i];
		else if (strcmp(argv[i], "--label") == 0)
			label = argv[++i];
		else
			return usage();
	}
	if (create && (!role_s || auth_role_parse(role_s, &role) != 0))
		return usage();
	PGconn *conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "wmsd key: %s", PQerrorMessage(conn));
		goto done;
	}
	if (create) {
		if (keys_create(conn, role, scope, label, key, id, err, sizeof err) != 0) {
			fprintf(stderr, "wmsd key create: %s\n", err);
			goto done;
		}
		printf("id:  %s\nkey: %s\n(the key is shown once; only its SHA-256 is stored)\n", id, key);
	} else {
		if (keys_revoke(conn, argv[1], err, sizeof err) != 0) {
			fprintf(stderr, "wmsd key revoke: %s\n", err);
			goto done;
		}
		printf("revoked %s\n", argv[1]);
	}
	rc = 0;
done:
	PQfinish(conn);
	return rc;
}
