/* ops.c — operational endpoints: liveness, readiness, metrics, OpenAPI. */
#include <event2/buffer.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/db/db.h"
#include "api/db/embed.h"
#include "api/db/migrate.h"
#include "api/http/metrics.h"
#include "api/http/req.h"
#include "api/routes.h"

DB_STMT(stmt_schema_version) = {
	"ops_schema_version",
	"SELECT coalesce(max(version), 0) AS version, " MIGRATE_FUNCTIONS_DIGEST_SQL " AS functions"
	" FROM schema_migrations"};

void h_healthz(struct api_req *r)
{
	static const char ok[] = "{\"status\":\"ok\"}";
	api_reply_json_text(r, 200, ok, sizeof ok - 1);
}

static void on_schema_version(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome != DB_OK) {
		api_reply_problem(r, PROBLEM_NOT_READY, "the database answered an error: %s",
		                  rep->message ? rep->message : "?");
		return;
	}
	long long have = db_value_ll(rep->res, 0, "version", 0);
	int want = api_req_app(r)->schema_version;
	if (have < want) {
		api_reply_problem(r, PROBLEM_NOT_READY, "schema version %lld is behind %d; run wmsd migrate",
		                  have, want);
		return;
	}
	const char *functions = db_value(rep->res, 0, "functions");
	if (!functions || strcmp(functions, api_req_app(r)->functions_digest) != 0) {
		api_reply_problem(r, PROBLEM_NOT_READY,
		                  "the SQL functions are not those this wmsd was built with; run wmsd migrate");
		return;
	}
	char body[96];
	int n = snprintf(body, sizeof body, "{\"status\":\"ready\",\"schema_version\":%lld}", have);
	api_reply_json_text(r, 200, body, (size_t)n);
}

void h_readyz(struct api_req *r)
{
	if (api_req_app(r)->stopping) {
		api_reply_problem(r, PROBLEM_NOT_READY, "shutting down");
		return;
	}
	api_query_or_reply(r, &stmt_schema_version, 0, NULL, on_schema_version);
}

void h_metrics(struct api_req *r)
{
	struct api_app *app = api_req_app(r);
	struct db_pool_stats st;
	struct evbuffer *buf = evbuffer_new();
	if (!buf) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	db_pool_stats(app->db, &st);
	metrics_render(app->metrics, &st, app->inflight, buf);
	size_t len = evbuffer_get_length(buf);
	const char *text = (const char *)evbuffer_pullup(buf, -1);
	api_reply_raw(r, 200, "text/plain; version=0.0.4", text ? text : "", text ? len : 0);
	evbuffer_free(buf);
}

void h_openapi(struct api_req *r)
{
	api_reply_raw(r, 200, "application/json", embed_openapi.data, embed_openapi.len);
}
