/* h_network.c — the lane network over HTTP: the whole network (GET, and PUT that replaces
 * it atomically after validating everything), and admin CRUD for nodes, carrier services,
 * legs, warehouse processing and promise targets. Every change NOTIFYs wms_network (table
 * triggers, sql/functions/network_changed.sql); each server reloads its in-memory network from
 * that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/network/network_doc.h"
#include "api/network/network_load.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "routing/network.h"

#define HORIZON_PARAMS "$2::int, $3::int"

/* --- the whole network -------------------------------------------------------------------- */

DB_STMT(stmt_network_get) = {"network_get", "SELECT network_json()"};
DB_STMT(stmt_network_problems) = {
	"network_doc_problems", "SELECT network_doc_problems($1::jsonb)"};
DB_STMT(stmt_network_replace) = {
	"network_replace", "SELECT network_replace($1::jsonb, " HORIZON_PARAMS ")"};

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such network item");
}

void h_network_get(struct api_req *r)
{
	api_query_or_reply(r, &stmt_network_get, 0, NULL, on_found);
}

/* Answers 422 with the errors of v followed by those in db_errors (a JSON array text). */
static void reply_problems(struct api_req *r, struct jsonv *v, const char *db_errors)
{
	cJSON *extra = db_errors ? cJSON_Parse(db_errors) : NULL, *e;
	cJSON_ArrayForEach(e, extra)
		jsonv_error(v, cJSON_GetObjectItem(e, "field")->valuestring,
		            cJSON_GetObjectItem(e, "code")->valuestring, "%s",
		            cJSON_GetObjectItem(e, "message")->valuestring);
	cJSON_Delete(extra);
	api_reply_invalid(r, v);
}

/* The document's shape and engine problems, kept while the database adds its own. */
struct put_state {
	struct jsonv v;
};

static void put_state_free(void *p)
{
	struct put_state *st = p;
	jsonv_free(&st->v);
	free(st);
}

static void on_put_problems(struct api_req *r, const struct db_reply *rep)
{
	struct put_state *st = api_req_state(r);
	const char *errs = rep->outcome == DB_OK ? PQgetvalue(rep->res, 0, 0) : NULL;
	reply_problems(r, &st->v, errs);
}

static void on_replaced(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome != DB_OK || PQntuples(rep->res) != 1) {
		api_reply_db_error(r, rep);
		return;
	}
	cJSON *res = cJSON_Parse(PQgetvalue(rep->res, 0, 0)), *problems = NULL;
	const cJSON *errors = cJSON_GetObjectItem(res, "errors");
	if (errors) {
		struct jsonv v = JSONV_INIT;
		char *text = cJSON_PrintUnformatted(errors);
		reply_problems(r, &v, text);
		cJSON_free(text);
		cJSON_Delete(res);
		return;
	}
	/* this server answers from the new network at once; the others reload on NOTIFY */
	struct network_snapshot *s = network_snapshot_build(cJSON_GetObjectItem(res, "load"), &problems);
	cJSON_Delete(res);
	cJSON_Delete(problems);
	if (!s) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the stored network does not load; see the server log");
		return;
	}
	cJSON *out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "version", (double)s->version);
	cJSON_AddNumberToObject(out, "nodes", (double)routing_network_node_count(s->net));
	cJSON_AddNumberToObject(out, "legs", (double)routing_network_leg_count(s->net));
	cJSON_AddNumberToObject(out, "departures_in_horizon",
	                        (double)routing_network_departure_count(s->net));
	network_offer(api_req_app(r), s);
	api_reply_json(r, 200, out);
}

void h_network_put(struct api_req *r)
{
	static char back[8], ahead[8];
	size_t len;
	const char *raw = api_req_raw_body(r, &len);
	struct put_state *st = api_req_new_state_or_reply(r, sizeof *st, put_state_free);
	if (!st)
		return;
	network_check_document(&st->v, api_req_body(r));
	if (st->v.count) {
		/* nothing is written; the database adds what only it can see (warehouses, carriers) */
		const char *p[] = {raw};
		api_query_or_reply(r, &stmt_network_problems, 1, p, on_put_problems);
		return;
	}
	snprintf(back, sizeof back, "%d", NETWORK_BACK_DAYS);
	snprintf(ahead, sizeof ahead, "%d", NETWORK_AHEAD_DAYS);
	const char *p[] = {raw, back, ahead};
	api_query_or_reply(r, &stmt_network_replace, 3, p, on_replaced);
}

/* --- items ------------------------------------------------------------------------------ */

static void on_created(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate && strcmp(rep->sqlstate, "23505") == 0) {
		api_reply_problem(r, PROBLEM_CONFLICT, "this network item already exists");
		return;
	}
	api_reply_row(r, rep, 201, "no such network item");
}

static void on_deleted(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate && strcmp(rep->sqlstate, "23503") == 0) {
		api_reply_problem(r, PROBLEM_IN_USE, "still used by other network items (%s)",
		                  rep->detail ? rep->detail : "legs");
		return;
	}
	api_reply_row(r, rep, 200, "no such network item");
}

/* Validates the body with check; on errors answers 422 and returns -1. */
static int body_ok_or_reply(struct api_req *r, void (*check)(struct jsonv *, const cJSON *, bool),
                            bool partial)
{
	struct jsonv v = JSONV_INIT;
	check(&v, api_req_body(r), partial);
	return api_valid_or_reply(r, &v);
}

/* Runs stmt with the raw body as $1 (create), or with the path parameter as $1, the body as
 * $2 and the request's time as $3, the one reading of the clock an update writes. */
static void run_body(struct api_req *r, const struct db_stmt *stmt, const char *param,
                     api_db_fn *cb)
{
	size_t len;
	char now[INSTANT_TEXT];
	const char *raw = api_req_raw_body(r, &len);
	instant_format(api_req_now_us(r), now);
	const char *p[] = {param ? api_req_param(r, param) : raw, raw, now};
	api_query_or_reply(r, stmt, param ? 3 : 1, p, cb);
}

static void run_param(struct api_req *r, const struct db_stmt *stmt, const char *param,
                      api_db_fn *cb)
{
	const char *p[] = {param ? api_req_param(r, param) : NULL};
	api_query_or_reply(r, stmt, param ? 1 : 0, p, cb);
}

/* Each item's JSON from the columns of t, a table or its alias (the shapes are in
 * sql/functions/network_json.sql; they take columns, never rows, so they distribute). */
#define NODE_JSON(t)                                                                              \
	"network_node_json(" t ".code, " t ".kind, " t ".name, " t ".country, " t ".time_zone, " t \
	".postal_prefix, " t ".min_connection_min)"
#define SERVICE_JSON(t) "carrier_service_json(" t ".carrier_code, " t ".service_code, " t ".mode)"
#define LEG_JSON(t)                                                                               \
	"network_leg_json(" t ".id, " t ".from_node, " t ".to_node, " t ".carrier_code, " t          \
	".service_code, " t ".departures, " t ".cutoff_min, " t ".transit_hist_h, " t ".transit_q, " \
	t ".transit_q_hours, " t ".delivery_days, " t ".fixed_minor, " t ".per_kg_minor, " t        \
	".currency, " t ".max_weight_g, " t ".max_length_mm, " t ".max_width_mm, " t                 \
	".max_height_mm)"
#define PROCESSING_JSON(t)                                                                        \
	"network_processing_json(" t ".node_code, " t ".order_cutoff, " t ".hist_h)"
#define PROMISE_JSON(t)                                                                           \
	"promise_target_json(" t ".id, " t ".origin_node, " t ".country, " t ".days, " t             \
	".target_bp)"

/* The columns the *_fields(jsonb) functions return, in their order. */
#define NODE_COLUMNS                                                                              \
	"code, kind, warehouse_id, name, country, time_zone, postal_prefix, min_connection_min"
#define LEG_COLUMNS                                                                               \
	"id, from_node, to_node, carrier_code, service_code, departures, cutoff_min, transit_hist_h," \
	" transit_q, transit_q_hours, delivery_days, fixed_minor, per_kg_minor, currency,"           \
	" max_weight_g, max_length_mm, max_width_mm, max_height_mm"

#define LIST(table, json, order)                                                                \
	"SELECT json_build_object('items', coalesce(json_agg(" json " ORDER BY " order "), '[]')) " \
	"FROM " table " t"

/* nodes */
DB_STMT(stmt_node_create) = {
	"network_node_create",
	"INSERT INTO network_nodes (" NODE_COLUMNS ") SELECT * FROM network_node_fields($1::jsonb) "
	"RETURNING " NODE_JSON("network_nodes")};
DB_STMT(stmt_node_list) = {
	"network_node_list", LIST("network_nodes", NODE_JSON("t"), "t.code")};
DB_STMT(stmt_node_get) = {
	"network_node_get", "SELECT " NODE_JSON("n") " FROM network_nodes n WHERE n.code = $1"};
DB_STMT(stmt_node_update) = {
	"network_node_update",
	"UPDATE network_nodes n SET (name, country, time_zone, postal_prefix, min_connection_min,"
	" updated_at) = (SELECT r.name, r.country, r.time_zone, r.postal_prefix, r.min_connection_min,"
	" $3::timestamptz FROM network_node_fields(" NODE_JSON("n") " || $2::jsonb) r) "
	"WHERE n.code = $1 RETURNING " NODE_JSON("n")};
DB_STMT(stmt_node_delete) = {
	"network_node_delete",
	"DELETE FROM network_nodes n WHERE n.code = $1 RETURNING " NODE_JSON("n")};

void h_network_node_create(struct api_req *r)
{
	if (body_ok_or_reply(r, network_check_node, false) == 0)
		run_body(r, &stmt_node_create, NULL, on_created);
}
void h_network_node_list(struct api_req *r) { run_param(r, &stmt_node_list, NULL, on_found); }
void h_network_node_get(struct api_req *r) { run_param(r, &stmt_node_get, "code", on_found); }
void h_network_node_update(struct api_req *r)
{
	if (body_ok_or_reply(r, network_check_node, true) == 0)
		run_body(r, &stmt_node_update, "code", on_found);
}
void h_network_node_delete(struct api_req *r) { run_param(r, &stmt_node_delete, "code", on_deleted); }

/* carrier services */
DB_STMT(stmt_service_create) = {
	"network_service_create",
	"INSERT INTO carrier_services (carrier_code, service_code, mode) "
	"SELECT $1::jsonb->>'carrier', $1::jsonb->>'service', $1::jsonb->>'mode' "
	"RETURNING " SERVICE_JSON("carrier_services")};
DB_STMT(stmt_service_list) = {
	"network_service_list",
	LIST("carrier_services", SERVICE_JSON("t"), "t.carrier_code, t.service_code")};
DB_STMT(stmt_service_delete) = {
	"network_service_delete",
	"DELETE FROM carrier_services s WHERE s.carrier_code = $1 AND s.service_code = $2 "
	"RETURNING " SERVICE_JSON("s")};

static void service_check(struct jsonv *v, const cJSON *o, bool partial)
{
	(void)partial;
	network_check_service(v, o);
}

void h_network_service_create(struct api_req *r)
{
	if (body_ok_or_reply(r, service_check, false) == 0)
		run_body(r, &stmt_service_create, NULL, on_created);
}
void h_network_service_list(struct api_req *r) { run_param(r, &stmt_service_list, NULL, on_found); }
void h_network_service_delete(struct api_req *r)
{
	const char *p[] = {api_req_param(r, "carrier"), api_req_param(r, "service")};
	api_query_or_reply(r, &stmt_service_delete, 2, p, on_deleted);
}

/* legs */
DB_STMT(stmt_leg_create) = {
	"network_leg_create",
	"INSERT INTO network_legs (" LEG_COLUMNS ") SELECT * FROM network_leg_fields($1::jsonb) "
	"RETURNING " LEG_JSON("network_legs")};
DB_STMT(stmt_leg_list) = {
	"network_leg_list", LIST("network_legs", LEG_JSON("t"), "t.id")};
DB_STMT(stmt_leg_get) = {
	"network_leg_get", "SELECT " LEG_JSON("l") " FROM network_legs l WHERE l.id = $1"};
/* a partial cost ({"per_kg": 250}) is merged into the stored one */
DB_STMT(stmt_leg_update) = {
	"network_leg_update",
	"UPDATE network_legs l SET (from_node, to_node, carrier_code, service_code, departures,"
	" cutoff_min, transit_hist_h, transit_q, transit_q_hours, delivery_days, fixed_minor,"
	" per_kg_minor, currency, max_weight_g, max_length_mm, max_width_mm, max_height_mm,"
	" updated_at) = (SELECT r.from_node, r.to_node, r.carrier_code, r.service_code, r.departures,"
	" r.cutoff_min, r.transit_hist_h, r.transit_q, r.transit_q_hours, r.delivery_days,"
	" r.fixed_minor, r.per_kg_minor, r.currency, r.max_weight_g, r.max_length_mm, r.max_width_mm,"
	" r.max_height_mm, $3::timestamptz"
	" FROM network_leg_fields(jsonb_set(" LEG_JSON("l") " || $2::jsonb, '{cost}',"
	"   (" LEG_JSON("l") "->'cost') || coalesce(jsonb_strip_nulls($2::jsonb)->'cost', '{}'))) r) "
	"WHERE l.id = $1 RETURNING " LEG_JSON("l")};
DB_STMT(stmt_leg_delete) = {
	"network_leg_delete",
	"DELETE FROM network_legs l WHERE l.id = $1 RETURNING " LEG_JSON("l")};

void h_network_leg_create(struct api_req *r)
{
	if (body_ok_or_reply(r, network_check_leg, false) == 0)
		run_body(r, &stmt_leg_create, NULL, on_created);
}
void h_network_leg_list(struct api_req *r) { run_param(r, &stmt_leg_list, NULL, on_found); }
void h_network_leg_get(struct api_req *r) { run_param(r, &stmt_leg_get, "id", on_found); }
void h_network_leg_update(struct api_req *r)
{
	if (body_ok_or_reply(r, network_check_leg, true) == 0)
		run_body(r, &stmt_leg_update, "id", on_found);
}
void h_network_leg_delete(struct api_req *r) { run_param(r, &stmt_leg_delete, "id", on_deleted); }

/* warehouse processing: PUT is an upsert, keyed by the origin in the path */
DB_STMT(stmt_processing_put) = {
	"network_processing_put",
	"INSERT INTO network_processing (node_code, order_cutoff, hist_h, updated_at) "
	"SELECT r.*, $3::timestamptz "
	"FROM network_processing_fields($2::jsonb || jsonb_build_object('origin', $1::text)) r "
	"ON CONFLICT (node_code) DO UPDATE SET order_cutoff = EXCLUDED.order_cutoff,"
	" hist_h = EXCLUDED.hist_h, updated_at = EXCLUDED.updated_at "
	"RETURNING " PROCESSING_JSON("network_processing")};
DB_STMT(stmt_processing_list) = {
	"network_processing_list",
	LIST("network_processing", PROCESSING_JSON("t"), "t.node_code")};
DB_STMT(stmt_processing_delete) = {
	"network_processing_delete",
	"DELETE FROM network_processing p WHERE p.node_code = $1 RETURNING " PROCESSING_JSON("p")};

static void on_processing_put(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate && strcmp(rep->sqlstate, "23503") == 0) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no node %s", api_req_param(r, "origin"));
		return;
	}
	api_reply_row(r, rep, 200, "no such node");
}

void h_network_processing_put(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	cJSON *b = cJSON_Duplicate(api_req_body(r), true);
	if (!b) {
		api_reply_problem(r, PROBLEM_INTERNAL, "out of memory");
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(b, "origin"))
		jsonv_error(&v, "origin", "immutable", "the origin is the one in the path");
	cJSON_AddStringToObject(b, "origin", api_req_param(r, "origin"));
	network_check_processing(&v, b);
	cJSON_Delete(b);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	run_body(r, &stmt_processing_put, "origin", on_processing_put);
}
void h_network_processing_list(struct api_req *r)
{
	run_param(r, &stmt_processing_list, NULL, on_found);
}
void h_network_processing_delete(struct api_req *r)
{
	run_param(r, &stmt_processing_delete, "origin", on_deleted);
}

/* promise targets */
DB_STMT(stmt_promise_create) = {
	"network_promise_create",
	"INSERT INTO promise_targets (origin_node, country, days, target_bp) "
	"SELECT * FROM promise_target_fields($1::jsonb) "
	"RETURNING " PROMISE_JSON("promise_targets")};
DB_STMT(stmt_promise_list) = {
	"network_promise_list",
	LIST("promise_targets", PROMISE_JSON("t"), "t.country, t.origin_node NULLS FIRST")};
DB_STMT(stmt_promise_update) = {
	"network_promise_update",
	"UPDATE promise_targets t SET days = coalesce(($2::jsonb->>'days')::int, days),"
	" target_bp = coalesce(($2::jsonb->>'target_bp')::int, target_bp),"
	" updated_at = $3::timestamptz "
	"WHERE t.id = $1::uuid RETURNING " PROMISE_JSON("t")};
DB_STMT(stmt_promise_delete) = {
	"network_promise_delete",
	"DELETE FROM promise_targets t WHERE t.id = $1::uuid RETURNING " PROMISE_JSON("t")};

void h_network_promise_create(struct api_req *r)
{
	if (body_ok_or_reply(r, network_check_promise, false) == 0)
		run_body(r, &stmt_promise_create, NULL, on_created);
}
void h_network_promise_list(struct api_req *r) { run_param(r, &stmt_promise_list, NULL, on_found); }

/* 404 for an id that is no UUID (it cannot name a target). Returns -1 when answered. */
static int uuid_or_reply(struct api_req *r)
{
	if (jsonv_is_uuid(api_req_param(r, "id")))
		return 0;
	api_reply_problem(r, PROBLEM_NOT_FOUND, "no such promise target");
	return -1;
}

void h_network_promise_update(struct api_req *r)
{
	if (uuid_or_reply(r) == 0 && body_ok_or_reply(r, network_check_promise, true) == 0)
		run_body(r, &stmt_promise_update, "id", on_found);
}
void h_network_promise_delete(struct api_req *r)
{
	if (uuid_or_reply(r) == 0)
		run_param(r, &stmt_promise_delete, "id", on_deleted);
}
