/* h_carriers.c — carriers as integrations (admin): PUT /v1/carriers/{code} creates or renames
 * a carrier and replaces the mapping of its raw event codes to our statuses (data, not code:
 * wms/parcel_status.h lists the statuses); GET /v1/carriers and /v1/carriers/{code} read them
 * (a carrier key reads its own); POST /v1/carriers/{code}/secrets makes a Standard Webhooks
 * secret ("whsec_…", shown once; at most two active, for rotation) and DELETE
 * /v1/carriers/{code}/secrets/{id} revokes one. */
#include <stdio.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/tracking/webhook_sig.h"
#include "wms/parcel_status.h"

/* $1 code, $2 name, $3 the status codes (JSON object or NULL), $4 now. */
DB_STMT(stmt_put) = {
	"carrier_put",
	"SELECT created, body::text AS body FROM carrier_put($1, $2, $3::json, $4::timestamptz)"};

/* $1 code, $2 the caller's carrier scope. */
DB_STMT(stmt_get) = {
	"carrier_get",
	"SELECT d::text AS body FROM carrier_doc($1) AS d"
	" WHERE d IS NOT NULL AND ($2::text IS NULL OR $2::text = $1)"};

DB_STMT(stmt_list) = {
	"carrier_list",
	"SELECT json_build_object('items', coalesce(json_agg(carrier_doc(c.code) ORDER BY c.code),"
	" '[]'::json))::text FROM carriers c"};

/* $1 code, $2 secret, $3 now. */
DB_STMT(stmt_secret_add) = {
	"carrier_secret_add",
	"SELECT outcome, body::text AS body FROM carrier_secret_add($1, $2, $3::timestamptz)"};

/* $1 code, $2 secret id, $3 now. */
DB_STMT(stmt_secret_revoke) = {
	"carrier_secret_revoke",
	"SELECT d::text AS body FROM carrier_secret_revoke($1, $2::uuid, $3::timestamptz) AS d"
	" WHERE d IS NOT NULL"};

static void on_put(struct api_req *r, const struct db_reply *rep)
{
	if (api_found_or_reply(r, rep, "no such carrier") != 0)
		return;
	const char *body = db_value(rep->res, 0, "body");
	api_reply_json_text(r, db_value_bool(rep->res, 0, "created") ? 201 : 200, body,
	                    strlen(body));
}

/* Checks status_codes: {"RAW": "status"} with 1..500 raw codes of 1..64 characters. */
static void read_codes(struct jsonv *v, const cJSON *codes)
{
	char list[200];
	const cJSON *c;
	int n = 0;
	wms_parcel_status_list(list, sizeof list);
	cJSON_ArrayForEach(c, codes)
	{
		char field[96];
		snprintf(field, sizeof field, "status_codes.%.64s", c->string);
		n++;
		size_t len = strlen(c->string);
		if (len < 1 || len > 64 || strpbrk(c->string, "\x01\x02\x03\x04\x05\x06\x07\x08\t\n\v\f\r"
		                                              "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
		                                              "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"))
			jsonv_error(v, field, "format", "a raw code is 1 to 64 characters, no controls");
		if (!cJSON_IsString(c) || wms_parcel_status_find(c->valuestring) < 0)
			jsonv_error(v, field, "enum", "the status must be one of %s", list);
	}
	if (n > 500)
		jsonv_error(v, "status_codes", "size", "at most 500 raw codes, not %d", n);
}

void h_carrier_put(struct api_req *r)
{
	static const char *const fields[] = {"name", "status_codes", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	const char *code = api_req_param(r, "code");
	if (!code || !fields_matches("^[A-Z0-9][A-Z0-9_-]{1,31}$", code)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "a carrier code is [A-Z0-9][A-Z0-9_-]{1,31}");
		return;
	}
	jsonv_no_unknown(&v, b, "", fields);
	const char *name = jsonv_string(&v, b, "name", true, 1, 200);
	const cJSON *codes = jsonv_object(&v, b, "status_codes", false);
	if (codes)
		read_codes(&v, codes);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	char *text = codes ? cJSON_PrintUnformatted(codes) : NULL;
	if (codes && !text) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	const char *p[] = {code, name, text, api_req_now_text(r)};
	api_query_or_reply(r, &stmt_put, 4, p, on_put);
	cJSON_free(text);
}

static void on_doc(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such carrier");
}

void h_carrier_get(struct api_req *r)
{
	const struct auth_principal *who = api_req_principal(r);
	const char *p[] = {api_req_param(r, "code"), who->role == AUTH_CARRIER ? who->carrier : NULL};
	api_query_or_reply(r, &stmt_get, 2, p, on_doc);
}

void h_carrier_list(struct api_req *r)
{
	api_query_or_reply(r, &stmt_list, 0, NULL, on_doc);
}

/* The secret made for the request, kept until the answer shows it once. */
struct secret_req {
	char secret[WEBHOOK_SECRET_LEN];
};

static void on_secret(struct api_req *r, const struct db_reply *rep)
{
	struct secret_req *q = api_req_state(r);
	if (api_found_or_reply(r, rep, "no such carrier") != 0)
		return;
	const char *outcome = db_value(rep->res, 0, "outcome");
	if (!outcome || strcmp(outcome, "not-found") == 0) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such carrier");
		return;
	}
	if (strcmp(outcome, "conflict") == 0) {
		api_reply_problem(r, PROBLEM_CONFLICT, "the carrier has two active webhook secrets: "
		                  "revoke one (DELETE /v1/carriers/{code}/secrets/{id}) first");
		return;
	}
	cJSON *doc = cJSON_Parse(db_value(rep->res, 0, "body"));
	if (doc && !cJSON_AddStringToObject(doc, "secret", q->secret)) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	api_reply_json(r, 201, doc);
}

void h_carrier_secret_create(struct api_req *r)
{
	static const char *const none[] = {NULL};
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, api_req_body(r), "", none);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	struct secret_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	if (webhook_sig_secret_new(q->secret) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "no randomness for a secret");
		return;
	}
	const char *p[] = {api_req_param(r, "code"), q->secret, api_req_now_text(r)};
	api_query_or_reply(r, &stmt_secret_add, 3, p, on_secret);
}

static void on_revoked(struct api_req *r, const struct db_reply *rep)
{
	if (api_found_or_reply(r, rep, "no such secret of this carrier") != 0)
		return;
	const char *body = db_value(rep->res, 0, "body");
	api_reply_json_text(r, 200, body, strlen(body));
}

void h_carrier_secret_revoke(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such secret of this carrier");
		return;
	}
	const char *p[] = {api_req_param(r, "code"), id, api_req_now_text(r)};
	api_query_or_reply(r, &stmt_secret_revoke, 3, p, on_revoked);
}
