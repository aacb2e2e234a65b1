/* req.c — the request context: accessors, replies (exactly one per request,
 * with the request log line and metrics), and database queries on its behalf. */
#include "api/http/req_int.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/conn.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/metrics.h"
#include "api/http/problem.h"

struct api_app *api_req_app(const struct api_req *r) { return r->app; }
const char *api_req_id(const struct api_req *r) { return r->request_id; }
const char *api_req_method(const struct api_req *r) { return r->method; }
int64_t api_req_now_us(const struct api_req *r) { return r->now_us; }

const char *api_req_now_text(struct api_req *r)
{
	if (!r->now_text[0])
		instant_format(r->now_us, r->now_text);
	return r->now_text;
}
const cJSON *api_req_body(const struct api_req *r) { return r->body; }

const char *api_req_path(const struct api_req *r)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	return path ? path : "";
}
void *api_req_state(const struct api_req *r) { return r->state; }

const char *api_req_param(const struct api_req *r, const char *name)
{
	return router_param(&r->params, name);
}

/* Reading a parameter the route does not declare is a bug: the dispatcher refused every
 * undeclared one, so the handler would silently see nothing. */
const char *api_req_query(const struct api_req *r, const char *name)
{
	if (r->route < 0 || !router_takes_query(&r->app->routes[r->route], name))
		abort();
	return r->has_query ? evhttp_find_header(&r->query, name) : NULL;
}

const char *api_req_header(const struct api_req *r, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

const char *api_req_raw_body(const struct api_req *r, size_t *len)
{
	*len = r->raw_len;
	return r->raw_body;
}

const struct auth_principal *api_req_principal(const struct api_req *r)
{
	return r->has_principal ? &r->principal : NULL;
}

void api_req_set_state(struct api_req *r, void *state, void (*free_fn)(void *))
{
	if (r->state && r->state_free)
		r->state_free(r->state);
	r->state = state;
	r->state_free = free_fn;
}

void *api_req_new_state_or_reply(struct api_req *r, size_t size, void (*free_fn)(void *))
{
	void *state = calloc(1, size);
	if (!state) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return NULL;
	}
	api_req_set_state(r, state, free_fn ? free_fn : free);
	return state;
}

void api_req_add_header(struct api_req *r, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), name, value);
}

const char *api_scope_seller(const struct api_req *r)
{
	return r->has_principal && r->principal.role == AUTH_SELLER ? r->principal.seller_id : NULL;
}

const char *api_scope_warehouse(const struct api_req *r)
{
	return r->has_principal && r->principal.role == AUTH_STAFF ? r->principal.warehouse_id : NULL;
}

/* Frees the request context (not the evhttp request, which evhttp owns). */
static void req_free(struct api_req *r)
{
	api_req_set_state(r, NULL, NULL);
	if (r->has_query)
		evhttp_clear_headers(&r->query);
	cJSON_Delete(r->body);
	free(r->raw_body);
	free(r);
}

static uint64_t micros_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t us = (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
	return us > 0 ? (uint64_t)us : 0;
}

/* Sends the reply with the body in buf (may be NULL; freed here), writes the log line,
 * counts it, frees r. Aborts on a second reply to the same request: that is a bug, never
 * input. */
static void finish_buf(struct api_req *r, int status, const char *ctype, struct evbuffer *buf)
{
	if (r->replied)
		abort();
	r->replied = 1;
	struct api_app *app = r->app;
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
	if (ctype)
		evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "X-Request-Id", r->request_id);
	if (r->conn)
		conn_request_replied(r->conn);
	evhttp_send_reply(r->ev, status, problem_reason(status), buf);
	if (buf)
		evbuffer_free(buf);

	uint64_t us = micros_since(&r->start);
	metrics_observe(app->metrics, r->route, r->method, status, us);
	if (log_enabled(LOG_INFO)) {
		const char *route = r->route >= 0 ? app->routes[r->route].pattern : "-";
		char who[64] = "-";
		if (r->has_principal)
			snprintf(who, sizeof who, "%s:%.8s", auth_role_name(r->principal.role),
			         r->principal.key_id);
		log_info("request id=%s method=%s route=%s status=%d ms=%.3f principal=%s%s",
		         r->request_id, r->method, route, status, (double)us / 1000.0, who,
		         r->evcon ? "" : " client=gone");
	}
	app->inflight--;
	req_free(r);
}

/* finish_buf() with a copy of body (may be NULL). */
static void finish(struct api_req *r, int status, const char *ctype, const char *body, size_t len)
{
	struct evbuffer *buf = evbuffer_new();
	if (buf && body && len)
		evbuffer_add(buf, body, len);
	finish_buf(r, status, ctype, buf);
}

static void free_sent(const void *data, size_t len, void *arg)
{
	(void)len, (void)arg;
	free((void *)data);
}

void api_reply_take(struct api_req *r, int status, const char *content_type, char *body,
                    size_t len)
{
	struct evbuffer *buf = evbuffer_new();
	if (!buf || evbuffer_add_reference(buf, body, len, free_sent, NULL) != 0) {
		free(body);
		if (buf)
			evbuffer_free(buf);
		api_reply_problem(r, PROBLEM_INTERNAL, "out of memory");
		return;
	}
	finish_buf(r, status, content_type, buf);
}

void api_reply_raw(struct api_req *r, int status, const char *content_type, const char *body,
                   size_t len)
{
	finish(r, status, content_type, body, len);
}

void api_reply_json_text(struct api_req *r, int status, const char *text, size_t len)
{
	finish(r, status, "application/json", text, len);
}

void api_reply_json(struct api_req *r, int status, cJSON *body)
{
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (!text) {
		api_reply_problem(r, PROBLEM_INTERNAL, "out of memory");
		return;
	}
	finish(r, status, "application/json", text, strlen(text));
	cJSON_free(text);
}

void api_reply_problem_doc(struct api_req *r, cJSON *problem)
{
	static const char fallback[] =
		"{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500}";
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(problem, "status");
	int status = cJSON_IsNumber(st) ? st->valueint : 500;
	char *text = problem ? cJSON_PrintUnformatted(problem) : NULL;
	cJSON_Delete(problem);
	if (!text) {
		finish(r, 500, "application/problem+json", fallback, sizeof fallback - 1);
		return;
	}
	finish(r, status, "application/problem+json", text, strlen(text));
	cJSON_free(text);
}

void api_reply_problem(struct api_req *r, enum problem_type t, const char *detail, ...)
{
	char text[512];
	if (detail) {
		va_list ap;
		va_start(ap, detail);
		vsnprintf(text, sizeof text, detail, ap);
		va_end(ap);
	}
	if (problem_status(t) == 503)
		api_req_add_header(r, "Retry-After", "1");
	api_reply_problem_doc(r, problem_new(t, detail ? text : NULL));
}

void api_reply_invalid(struct api_req *r, struct jsonv *v)
{
	cJSON *p = problem_new(PROBLEM_VALIDATION, "the request has invalid fields");
	cJSON *errors = jsonv_take(v);
	if (p && errors)
		cJSON_AddItemToObject(p, "errors", errors);
	else
		cJSON_Delete(errors);
	api_reply_problem_doc(r, p);
}

void api_reply_db_error(struct api_req *r, const struct db_reply *rep)
{
	const char *st = rep->sqlstate ? rep->sqlstate : "";
	if (strcmp(st, "23505") == 0) {
		api_reply_problem(r, PROBLEM_CONFLICT, "already exists (%s)",
		                  rep->constraint ? rep->constraint : "unique");
	} else if (strcmp(st, "23514") == 0 || strcmp(st, "23503") == 0 ||
	           strcmp(st, "23502") == 0 || strcmp(st, "22P02") == 0) {
		api_reply_problem(r, PROBLEM_VALIDATION, "%s", rep->message ? rep->message : "invalid");
	} else if (strcmp(st, "57014") == 0 || strcmp(st, "40001") == 0 ||
	           strcmp(st, "40P01") == 0) {
		api_reply_problem(r, PROBLEM_UNAVAILABLE, "the database could not finish in time; retry");
	} else {
		log_error("request id=%s sql error %s: %s", r->request_id, st,
		          rep->message ? rep->message : "?");
		api_reply_problem(r, PROBLEM_INTERNAL, "internal error (request id %s)", r->request_id);
	}
}

int api_found_or_reply(struct api_req *r, const struct db_reply *rep, const char *not_found)
{
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
		return -1;
	}
	if (PQntuples(rep->res) == 0) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "%s", not_found);
		return -1;
	}
	return 0;
}

void api_reply_row(struct api_req *r, const struct db_reply *rep, int status,
                   const char *not_found)
{
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
	} else if (PQntuples(rep->res) == 0 || PQgetisnull(rep->res, 0, 0)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "%s", not_found);
	} else {
		api_reply_json_text(r, status, PQgetvalue(rep->res, 0, 0),
		                    (size_t)PQgetlength(rep->res, 0, 0));
	}
}

/* The pool's callback: 503 for a lost connection, else the handler's. */
static void on_db_reply(void *arg, const struct db_reply *rep)
{
	struct api_req *r = arg;
	if (rep->outcome == DB_UNAVAILABLE) {
		log_warn("request id=%s database unavailable: %s", r->request_id,
		         rep->message ? rep->message : "?");
		api_reply_problem(r, PROBLEM_UNAVAILABLE, "the database is unavailable; retry");
		return;
	}
	r->db_cb(r, rep);
}

void api_query_or_reply(struct api_req *r, const struct db_stmt *stmt, int nparams,
                        const char *const *params, api_db_fn *cb)
{
	r->db_cb = cb;
	switch (db_query(r->app->db, stmt, nparams, params, on_db_reply, r)) {
	case DB_SUBMIT_OK:
		return;
	case DB_SUBMIT_FULL:
		api_reply_problem(r, PROBLEM_OVERLOADED, "too many requests are waiting for the database");
		return;
	case DB_SUBMIT_DOWN:
		api_reply_problem(r, PROBLEM_UNAVAILABLE, "the database is unavailable; retry");
		return;
	}
	abort();
}

/* Whether c is "<1..16 digits>_<uuid>" (16 digits of µs reach beyond 2286). */
static bool time_id_cursor(const char *c)
{
	const char *us = strchr(c, '_');
	size_t tlen = us ? (size_t)(us - c) : 0;
	return us && tlen >= 1 && tlen <= 16 && strspn(c, "0123456789") == tlen &&
	       jsonv_is_uuid(us + 1);
}

static bool serial_cursor(const char *c)
{
	size_t n = strspn(c, "0123456789");
	return n >= 1 && n <= 18 && c[n] == '\0' && strspn(c, "0") < n;
}

int api_page_or_reply(struct api_req *r, struct api_page *pg, enum api_cursor kind,
                      bool (*key_ok)(const char *))
{
	const char *l = api_req_query(r, "limit");
	const char *c = api_req_query(r, "cursor");
	size_t n = l ? strspn(l, "0123456789") : 0;
	int lim = l && n >= 1 && n <= 3 && !l[n] ? atoi(l) : l ? -1 : 50;
	if (lim < 1 || lim > 200) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "limit must be an integer from 1 to 200");
		return -1;
	}
	snprintf(pg->limit, sizeof pg->limit, "%d", lim);
	pg->cursor = c;
	pg->cursor_ts = pg->cursor_id = NULL;
	if (!c)
		return 0;
	bool ok = kind == API_CURSOR_TIME_ID ? time_id_cursor(c)
	        : kind == API_CURSOR_SERIAL  ? serial_cursor(c)
	                                     : key_ok && key_ok(c);
	if (!ok) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "cursor is not one this list handed out");
		return -1;
	}
	if (kind == API_CURSOR_TIME_ID) {
		size_t tlen = strcspn(c, "_");
		memcpy(pg->ts, c, tlen);
		pg->ts[tlen] = '\0';
		memcpy(pg->id, c + tlen + 1, 37);
		pg->cursor_ts = pg->ts;
		pg->cursor_id = pg->id;
	}
	return 0;
}

int api_valid_or_reply(struct api_req *r, struct jsonv *v)
{
	if (!v->count)
		return 0;
	api_reply_invalid(r, v);
	return -1;
}

/* "me" from a key that is not a seller's answers 404 rather than 422: such a
 * key has no seller of its own, so "me" names no seller it may see — the
 * same answer as for any seller outside the caller's scope. */
int api_seller_param_or_reply(struct api_req *r, const char *out[3])
{
	const char *ref = api_req_param(r, "seller");
	const char *scope = api_scope_seller(r);
	out[0] = out[1] = NULL;
	out[2] = scope;
	if (!ref) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such seller");
		return -1;
	}
	if (strcmp(ref, "me") == 0) {
		if (!scope) {
			api_reply_problem(r, PROBLEM_NOT_FOUND,
			                  "\"me\" names the caller's own seller; this key belongs to none");
			return -1;
		}
		out[0] = scope;
	} else if (jsonv_is_uuid(ref)) {
		out[0] = ref;
	} else {
		out[1] = ref;
	}
	return 0;
}
