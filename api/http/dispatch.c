/* dispatch.c — every HTTP request enters here: request id, route lookup
 * (404/405), authentication (Bearer key, cached), role check (403), body
 * checks (413/415/400), then the route's handler. */
#include <ctype.h>
#include <stdbool.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/app.h"
#include "api/http/auth_cache.h"
#include "api/http/body.h"
#include "api/http/config.h"
#include "api/http/conn.h"
#include "api/http/log.h"
#include "api/http/req_int.h"
#include "api/http/utf8.h"

DB_STMT(stmt_key_lookup) = {
	"auth_key_lookup",
	"SELECT id, role, seller_id, warehouse_id, carrier_code, encode(hash, 'hex') AS hash "
	"FROM api_keys WHERE hash = decode($1, 'hex') AND revoked_at IS NULL"};

static const char *method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	case EVHTTP_REQ_TRACE: return "TRACE";
	case EVHTTP_REQ_CONNECT: return "CONNECT";
	case EVHTTP_REQ_PATCH: return "PATCH";
	}
	return "OTHER";
}

/* Uses the client's X-Request-Id when it is 1..64 safe characters, else makes
 * one from a per-process random prefix and a counter. */
static void set_request_id(struct api_req *r)
{
	static unsigned long long counter;
	static unsigned prefix;
	const char *given = evhttp_find_header(evhttp_request_get_input_headers(r->ev), "X-Request-Id");
	if (given) {
		size_t n = strlen(given);
		int ok = n >= 1 && n <= 64;
		for (size_t i = 0; ok && i < n; i++)
			ok = isalnum((unsigned char)given[i]) || strchr("-_.:", given[i]);
		if (ok) {
			memcpy(r->request_id, given, n + 1);
			return;
		}
	}
	if (!prefix) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		prefix = (unsigned)(ts.tv_nsec ^ ts.tv_sec ^ ((unsigned)getpid() << 16)) | 1u;
	}
	snprintf(r->request_id, sizeof r->request_id, "%08x-%llx", prefix, ++counter);
}

static void on_client_gone(void *arg)
{
	struct api_req *r = arg;
	r->evcon = NULL;
	r->conn = NULL;
}

/* Whether the Content-Type header names JSON: "application/json", parameters allowed, a
 * charset only when it is UTF-8 (RFC 8259 §8.1). Returns 0 when it does, else answers 415
 * and returns -1. */
static int json_content_type_or_reply(struct api_req *r)
{
	const char *ct = api_req_header(r, "Content-Type");
	size_t tl = ct ? strcspn(ct, "; \t") : 0;
	if (!ct || tl != 16 || strncasecmp(ct, "application/json", 16) != 0) {
		api_reply_problem(r, PROBLEM_UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
		return -1;
	}
	for (const char *p = strchr(ct, ';'); p; p = strchr(p + 1, ';')) {
		const char *name = p + 1 + strspn(p + 1, " \t");
		if (strncasecmp(name, "charset=", 8) != 0)
			continue;
		const char *cs = name + 8;
		size_t q = *cs == '"';
		size_t n = strcspn(cs + q, "\"; \t");
		if (n != 5 || strncasecmp(cs + q, "utf-8", 5) != 0) {
			api_reply_problem(r, PROBLEM_UNSUPPORTED_MEDIA_TYPE,
			                  "JSON bodies are UTF-8; charset %.*s is not supported", (int)n,
			                  cs + q);
			return -1;
		}
	}
	return 0;
}

/* Decodes the raw body with the one strict decoder (body.h) into r->body, an object.
 * Returns 0, or -1 after answering 400, 422 or 503. */
static int decode_body_or_reply(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	char detail[200];
	switch (body_decode(r->raw_body, r->raw_len, &r->body, &v, detail, sizeof detail)) {
	case BODY_OK:
		if (cJSON_IsObject(r->body))
			return 0;
		api_reply_problem(r, PROBLEM_MALFORMED, "the body must be a JSON object");
		return -1;
	case BODY_SYNTAX:
		api_reply_problem(r, PROBLEM_MALFORMED, "the body is not one JSON value: %s", detail);
		return -1;
	case BODY_ENCODING:
		api_reply_problem(r, PROBLEM_BAD_ENCODING, "the body is not UTF-8: %s", detail);
		return -1;
	case BODY_DUPLICATE_KEY:
		api_reply_problem(r, PROBLEM_DUPLICATE_KEY, "%s", detail);
		return -1;
	case BODY_FIELDS:
		return api_valid_or_reply(r, &v);
	case BODY_NOMEM:
		break;
	}
	api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
	return -1;
}

/* Runs the handler once the caller is known: role, then body checks. */
static void run_handler(struct api_req *r)
{
	const struct route *rt = &r->app->routes[r->route];
	if (rt->roles && !(rt->roles & AUTH_BIT(r->principal.role))) {
		api_reply_problem(r, PROBLEM_FORBIDDEN, "role %s may not %s %s",
		                  auth_role_name(r->principal.role), r->method, rt->pattern);
		return;
	}
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t len = evbuffer_get_length(in);
	if ((long)len > r->app->cfg->max_body) {
		api_reply_problem(r, PROBLEM_TOO_LARGE, "the body is %zu bytes; the limit is %ld", len,
		                  r->app->cfg->max_body);
		return;
	}
	bool takes_body = rt->flags & (ROUTE_JSON_BODY | ROUTE_ACTION_BODY);
	if (len && !takes_body) {
		api_reply_problem(r, PROBLEM_MALFORMED, "%s %s takes no body", r->method, rt->pattern);
		return;
	}
	if ((rt->flags & ROUTE_JSON_BODY) || len) {
		if (json_content_type_or_reply(r) != 0)
			return;
		if (len == 0) {
			api_reply_problem(r, PROBLEM_MALFORMED, "a JSON object body is required");
			return;
		}
		if (!(r->raw_body = malloc(len + 1))) {
			api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
			return;
		}
		evbuffer_copyout(in, r->raw_body, len);
		r->raw_body[len] = '\0';
		r->raw_len = len;
		if (decode_body_or_reply(r) != 0)
			return;
	} else if ((rt->flags & ROUTE_ACTION_BODY) && !(r->body = cJSON_CreateObject())) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	rt->handler(r);
}

static void copy_id(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* The key lookup's answer: fills the principal, caches it, carries on. */
static void on_key(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
		return;
	}
	unsigned char want[AUTH_HASH_LEN], got[AUTH_HASH_LEN];
	const char *hash = PQntuples(rep->res) == 1 ? db_value(rep->res, 0, "hash") : NULL;
	memcpy(want, r->state, AUTH_HASH_LEN);
	if (!hash || strlen(hash) != 2 * AUTH_HASH_LEN) {
		api_req_add_header(r, "WWW-Authenticate", "Bearer");
		api_reply_problem(r, PROBLEM_UNAUTHORIZED, "the API key is not valid");
		return;
	}
	for (int i = 0; i < AUTH_HASH_LEN; i++) {
		unsigned v;
		sscanf(hash + 2 * i, "%2x", &v);
		got[i] = (unsigned char)v;
	}
	struct auth_principal *p = &r->principal;
	if (!auth_hash_equal(want, got) || auth_role_parse(db_value(rep->res, 0, "role"), &p->role)) {
		api_req_add_header(r, "WWW-Authenticate", "Bearer");
		api_reply_problem(r, PROBLEM_UNAUTHORIZED, "the API key is not valid");
		return;
	}
	copy_id(p->key_id, sizeof p->key_id, db_value(rep->res, 0, "id"));
	copy_id(p->seller_id, sizeof p->seller_id, db_value(rep->res, 0, "seller_id"));
	copy_id(p->warehouse_id, sizeof p->warehouse_id, db_value(rep->res, 0, "warehouse_id"));
	copy_id(p->carrier, sizeof p->carrier, db_value(rep->res, 0, "carrier_code"));
	r->has_principal = 1;
	auth_cache_put(r->app->auth, want, p, time(NULL));
	api_req_set_state(r, NULL, NULL);
	run_handler(r);
}

/* Finds the caller from the Authorization header: cache, else database. */
static void authenticate(struct api_req *r)
{
	const char *key;
	size_t len;
	const char *hdr = api_req_header(r, "Authorization");
	if (hdr && !utf8_valid(hdr, strlen(hdr))) {
		api_reply_problem(r, PROBLEM_BAD_ENCODING, "the Authorization header is not UTF-8");
		return;
	}
	if (auth_parse_bearer(hdr, &key, &len) != 0) {
		api_req_add_header(r, "WWW-Authenticate", "Bearer");
		api_reply_problem(r, PROBLEM_UNAUTHORIZED,
		                  hdr ? "the Authorization header must be \"Bearer <key>\""
		                      : "an API key is required (Authorization: Bearer <key>)");
		return;
	}
	unsigned char *hash = malloc(AUTH_HASH_LEN);
	if (!hash) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	auth_key_hash(key, len, hash);
	if (auth_cache_get(r->app->auth, hash, time(NULL), &r->principal)) {
		free(hash);
		r->has_principal = 1;
		run_handler(r);
		return;
	}
	char hex[2 * AUTH_HASH_LEN + 1];
	auth_hex(hash, AUTH_HASH_LEN, hex);
	api_req_set_state(r, hash, free);
	const char *params[] = {hex};
	api_query_or_reply(r, &stmt_key_lookup, 1, params, on_key);
}

/* Whether the raw query string, percent-decoded ('+' as space), is UTF-8 without control
 * characters (which %00 would hide from evhttp's decoded strings). */
static bool query_text_ok(const char *q)
{
	size_t n = strlen(q);
	char *text = malloc(n + 1);
	if (!text)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' && isxdigit((unsigned char)q[i + 1]) && isxdigit((unsigned char)q[i + 2])) {
			char hex[3] = {q[i + 1], q[i + 2], '\0'};
			text[k++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			text[k++] = q[i] == '+' ? ' ' : q[i];
		}
	}
	bool ok = utf8_valid(text, k);
	for (size_t i = 0; ok && i < k; i++)
		ok = (unsigned char)text[i] >= 0x20 && text[i] != 0x7F;
	free(text);
	return ok;
}

/* Answers 400 naming the first query parameter the route does not take; else 0. */
static int query_unknown_or_reply(struct api_req *r)
{
	const struct route *rt = &r->app->routes[r->route];
	if (!r->has_query)
		return 0;
	for (const struct evkeyval *kv = r->query.tqh_first; kv; kv = kv->next.tqe_next) {
		if (!router_takes_query(rt, kv->key)) {
			api_reply_problem(r, PROBLEM_BAD_QUERY, "%s %s takes no query parameter \"%.64s\"%s%s",
			                  r->method, rt->pattern, kv->key, rt->query ? "; it takes: " : "",
			                  rt->query ? rt->query : "");
			return -1;
		}
	}
	return 0;
}

static void on_request(struct evhttp_request *ev, void *arg)
{
	struct api_app *app = arg;
	struct api_req *r = calloc(1, sizeof *r);
	if (!r) {
		evhttp_send_error(ev, 503, "Service Unavailable");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	r->now_us = (int64_t)wall.tv_sec * 1000000 + wall.tv_nsec / 1000;
	r->app = app;
	r->ev = ev;
	r->route = -1;
	app->inflight++;
	snprintf(r->method, sizeof r->method, "%s", method_name(evhttp_request_get_command(ev)));
	set_request_id(r);
	r->evcon = evhttp_request_get_connection(ev);
	if (!(r->conn = conn_request_begin(app->conns, ev, on_client_gone, r))) {
		/* conn.c could not follow the connection (out of memory at accept): nothing may
		 * wait on its behalf */
		api_req_add_header(r, "Connection", "close");
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}

	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	if (!path || !*path) {
		api_reply_problem(r, PROBLEM_MALFORMED, "the request target has no path");
		return;
	}
	if (query) {
		if (evhttp_parse_query_str(query, &r->query) != 0) {
			api_reply_problem(r, PROBLEM_BAD_QUERY, "the query string is malformed");
			return;
		}
		r->has_query = 1;
		if (!query_text_ok(query)) {
			api_reply_problem(r, PROBLEM_BAD_ENCODING,
			                  "the query string decodes to text that is not UTF-8 or holds a "
			                  "control character");
			return;
		}
	}
	if (app->stopping) {
		api_req_add_header(r, "Connection", "close");
		api_reply_problem(r, PROBLEM_SHUTTING_DOWN, "the server is shutting down");
		return;
	}
	char allow[64];
	/* HEAD is GET without the body (evhttp drops the body of HEAD replies) */
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	int idx = router_find(app->routes, app->nroutes, method, path, &r->params, allow,
	                      sizeof allow);
	if (idx == -1) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no endpoint at %s", path);
		return;
	}
	if (idx == -2) {
		api_req_add_header(r, "Allow", allow);
		api_reply_problem(r, PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed here; use %s",
		                  r->method, allow);
		return;
	}
	r->route = idx;
	for (int i = 0; i < r->params.n; i++) {
		if (!utf8_printable(r->params.p[i].value)) {
			api_reply_problem(r, PROBLEM_BAD_ENCODING,
			                  "the path parameter %s is not UTF-8 or holds a control character",
			                  r->params.p[i].name);
			return;
		}
	}
	if (query_unknown_or_reply(r) != 0)
		return;
	if (app->routes[idx].roles)
		authenticate(r);
	else
		run_handler(r);
}

void api_dispatch_install(struct api_app *app)
{
	evhttp_set_gencb(app->http, on_request, app);
}
