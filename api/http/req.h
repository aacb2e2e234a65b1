/* req.h — one HTTP request being handled: its parameters, caller, body, and
 * the only ways to answer it. Every request gets exactly one reply; after a
 * reply the request is freed and must not be touched. A handler that starts a
 * database query returns; the query's callback replies. */
#ifndef WMS_API_REQ_H
#define WMS_API_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "api/http/auth.h"
#include "api/http/problem.h"
#include "api/db/db.h"

struct api_req;
struct api_app;
struct jsonv;

struct api_app *api_req_app(const struct api_req *r);
const char *api_req_id(const struct api_req *r);
const char *api_req_method(const struct api_req *r);
/* The wall-clock time the request arrived, in µs since the epoch: the one reading of the
 * clock a request's SQL uses (passed as a parameter; see README, "Writing SQL that
 * distributes"). */
int64_t api_req_now_us(const struct api_req *r);
/* The same instant as RFC 3339 text for a timestamptz parameter (owned by r). */
const char *api_req_now_text(struct api_req *r);
/* The request path, without the query string. */
const char *api_req_path(const struct api_req *r);
/* A path parameter of the matched route ("code" for {code}), or NULL. */
const char *api_req_param(const struct api_req *r, const char *name);
/* A query-string parameter, decoded, or NULL. */
const char *api_req_query(const struct api_req *r, const char *name);
const char *api_req_header(const struct api_req *r, const char *name);
/* The parsed JSON object body (routes flagged ROUTE_JSON_BODY), or NULL. */
const cJSON *api_req_body(const struct api_req *r);
/* The raw body bytes (NUL-terminated copy) and length, or NULL. */
const char *api_req_raw_body(const struct api_req *r, size_t *len);
/* The authenticated caller (routes with roles), or NULL. */
const struct auth_principal *api_req_principal(const struct api_req *r);
/* Handler state kept across database callbacks; freed with the request by
 * free_fn (may be NULL). Replaces (and frees) any earlier state. */
void api_req_set_state(struct api_req *r, void *state, void (*free_fn)(void *));
void *api_req_state(const struct api_req *r);
/* Allocates zeroed handler state of size bytes, kept with the request and
 * freed with it by free_fn (free() when NULL). Out of memory: answers 503 and
 * returns NULL, and the caller just returns. */
void *api_req_new_state_or_reply(struct api_req *r, size_t size, void (*free_fn)(void *));

/* Adds a response header (before the reply). */
void api_req_add_header(struct api_req *r, const char *name, const char *value);

/* --- replies: each answers and frees the request ------------------------ */

/* Answers status with the JSON document body (ownership taken; NULL = 500). */
void api_reply_json(struct api_req *r, int status, cJSON *body);
/* Answers status with JSON text produced elsewhere (e.g. by SQL). */
void api_reply_json_text(struct api_req *r, int status, const char *text, size_t len);
/* Answers status with body, taking it (malloc'd; freed once sent, no copy made). */
void api_reply_take(struct api_req *r, int status, const char *content_type, char *body,
                    size_t len);
/* Answers status with arbitrary content. */
void api_reply_raw(struct api_req *r, int status, const char *content_type, const char *body,
                   size_t len);
/* Answers a problem+json document of type t (its status from the catalogue); detail is
 * printf-style (may be NULL). A 503 carries Retry-After. */
void api_reply_problem(struct api_req *r, enum problem_type t, const char *detail, ...)
	__attribute__((format(printf, 3, 4)));
/* Answers a prepared problem document (ownership taken). */
void api_reply_problem_doc(struct api_req *r, cJSON *problem);
/* Answers 422 with v's field errors (taken from v). */
void api_reply_invalid(struct api_req *r, struct jsonv *v);
/* Answers a failed statement: unique violation → 409, check/foreign-key
 * violation → 422, query canceled by timeout → 503, others → 500 (logged). */
void api_reply_db_error(struct api_req *r, const struct db_reply *rep);

/* --- the database ------------------------------------------------------- */

/* Called with the outcome of api_query_or_reply: DB_OK or DB_SQL_ERROR only
 * (DB_UNAVAILABLE has been answered with 503 already). */
typedef void api_db_fn(struct api_req *r, const struct db_reply *rep);

/* Runs stmt for r. When the pool refuses (queue full, database down) or the
 * connection breaks, answers 503 with Retry-After itself; otherwise cb runs
 * later and must reply. The caller returns right after this call. */
void api_query_or_reply(struct api_req *r, const struct db_stmt *stmt, int nparams,
                        const char *const *params, api_db_fn *cb);

/* Whether rep is a result with at least one row: returns 0; else answers (the failed
 * statement as api_reply_db_error, no row as 404 with not_found as detail) and returns -1. */
int api_found_or_reply(struct api_req *r, const struct db_reply *rep, const char *not_found)
	__attribute__((warn_unused_result));

/* Answers a one-row, one-column result holding JSON text with status; zero
 * rows → 404 with not_found as detail; a failed statement → api_reply_db_error. */
void api_reply_row(struct api_req *r, const struct db_reply *rep, int status,
                   const char *not_found);

/* --- common request parts ----------------------------------------------- */

/* The kinds of list cursors: "<micros>_<uuid>" (time, then id: split into
 * ts and id), a positive serial id, or a key the list checks itself. */
enum api_cursor { API_CURSOR_TIME_ID, API_CURSOR_SERIAL, API_CURSOR_KEY };

/* A list request's page, as query parameters. */
struct api_page {
	char limit[8];         /* 1..200, default 50 */
	const char *cursor;    /* ?cursor= as given (owned by the request), NULL when absent */
	const char *cursor_ts; /* API_CURSOR_TIME_ID: the halves, NULL when absent */
	const char *cursor_id;
	char ts[24];
	char id[37];
};

/* Reads ?limit= and ?cursor= into pg; key_ok checks an API_CURSOR_KEY cursor
 * (NULL otherwise). On bad input answers 400 and returns -1; else 0. */
int api_page_or_reply(struct api_req *r, struct api_page *pg, enum api_cursor kind,
                      bool (*key_ok)(const char *)) __attribute__((warn_unused_result));

/* Answers 422 with v's errors when it has any (returns -1); else 0. */
int api_valid_or_reply(struct api_req *r, struct jsonv *v) __attribute__((warn_unused_result));

/* Reads the {seller} path parameter into the three parameters of the SQL
 * function seller_ref(id, code, scope): out[0] the id when {seller} is a UUID,
 * out[1] the code otherwise, out[2] the caller's seller scope (NULL for roles
 * that see every seller). "me" names the caller's own seller. Returns 0, or
 * -1 after answering 404 ("me" from a key that belongs to no seller). The
 * strings belong to r. */
int api_seller_param_or_reply(struct api_req *r, const char *out[3])
	__attribute__((warn_unused_result));

/* The caller's scope as a query parameter: its seller id for sellers,
 * warehouse id for staff, NULL otherwise. */
const char *api_scope_seller(const struct api_req *r);
const char *api_scope_warehouse(const struct api_req *r);

#endif
