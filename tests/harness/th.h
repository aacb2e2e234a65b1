/* th.h — the integration test harness: a real wmsd against the throwaway
 * PostgreSQL of tests/with-pg.sh, spoken to over HTTP with libcurl. */
#ifndef WMS_TESTS_TH_H
#define WMS_TESTS_TH_H

#include <cjson/cJSON.h>
#include <sys/types.h>

#include "api/http/auth.h"

struct th_server {
	pid_t pid;
	int port;
	char base[64];   /* "http://127.0.0.1:PORT" */
	char log[256];   /* the server's stdout and stderr */
};

/* Starts argv (argv[0] a path, NULL-terminated) with WMS_LISTEN set to a free
 * port and the environment entries env ("NAME=value" sets, "NAME" unsets;
 * NULL-terminated, may be NULL), its stdout and stderr in s->log, and waits
 * (up to a minute) until /healthz answers. Aborts the test run on failure. */
void th_server_run(struct th_server *s, const char *const *argv, const char *const *env);
/* Migrates the database, then th_server_run of `$WMSD serve`. */
void th_server_start(struct th_server *s, const char *const *env);
/* th_server_start with the server's RLIMIT_NOFILE (soft and hard) set to
 * nofile before it starts (0 leaves the limit alone). */
void th_server_start_nofile(struct th_server *s, const char *const *env, long nofile);
/* SIGTERM, wait; returns the exit status (or -1 when it had to be killed). */
int th_server_stop(struct th_server *s);

/* The suite's shared server (started by th_setup, stopped by th_teardown,
 * for use as an unchecked fixture). */
extern struct th_server th_srv;
void th_setup(void);
void th_teardown(void);

struct th_resp {
	long status;
	char *body;        /* NUL-terminated */
	size_t len;
	cJSON *json;       /* parsed body or NULL */
	char ctype[128];   /* Content-Type */
	char headers[2048]; /* all response headers, raw */
};

/* One request to th_srv. key may be NULL (no Authorization); body may be NULL;
 * ctype defaults to application/json when body is given; extra is one more header line
 * ("Name: value"; several separated by '\n') or NULL. Never NULL. */
struct th_resp *th_req(const char *method, const char *path, const char *key, const char *body,
                       const char *ctype, const char *extra);
/* Like th_req with a printf-style body. */
struct th_resp *th_reqf(const char *method, const char *path, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void th_resp_free(struct th_resp *r);
/* th_req with a printf-style path and no extra header. */
struct th_resp *th_call(const char *method, const char *key, const char *body, const char *pathfmt,
                        ...) __attribute__((format(printf, 4, 5)));
/* Asserts r's status (printing the body otherwise) and frees r. */
void th_expect(struct th_resp *r, long status);
/* True when r is a problem with status and, when field is not NULL, an error
 * naming field (with code, when not NULL); prints r otherwise. Frees r. */
int th_problem(struct th_resp *r, long status, const char *field, const char *code);
/* A header's value from the response (static buffer), or NULL. */
const char *th_header(const struct th_resp *r, const char *name);
/* Two forked children run send(arg) at the same moment (released together
 * through a pipe); writes each answer's status and, for a 201, its "id"
 * member ("-" otherwise) to status[] and id[], in the order they finished.
 * For racing identical requests (Idempotency-Key). */
void th_twins(struct th_resp *(*send)(void *arg), void *arg, long status[2], char id[2][40]);

/* JSON helpers: the string / number at a dotted path ("a.b.0.c"), or NULL/def. */
const char *th_str(const cJSON *j, const char *path);
double th_num(const cJSON *j, const char *path, double def);
const cJSON *th_at(const cJSON *j, const char *path);

/* Runs SQL on DATABASE_URL (blocking); aborts on failure. th_sql_value
 * returns the first value of the first row in a static buffer ("" for none),
 * overwritten by the next call. SQL text is constant: values go in as
 * parameters, never formatted into it. */
void th_sql(const char *sql);
const char *th_sql_value(const char *sql);
/* th_sql / th_sql_value with n text parameters ($1..$n); n = 0 runs sql as
 * th_sql / th_sql_value do. */
void th_sqlv(const char *sql, int n, const char *const *params);
const char *th_sql_valuev(const char *sql, int n, const char *const *params);
/* th_sqlv / th_sql_valuev with the parameters as a NULL-terminated list of
 * strings (at most TH_SQL_MAXP): th_sqlp("... WHERE id = $1", id, NULL). */
#define TH_SQL_MAXP 16
void th_sqlp(const char *sql, ...) __attribute__((sentinel));
const char *th_sql_valuep(const char *sql, ...) __attribute__((sentinel));
/* th_sql_valuep's value copied into dst (size bytes); aborts when it does not fit, so a
 * truncated id never goes on as a wrong one. */
void th_sql_copyp(char *dst, size_t size, const char *sql, ...) __attribute__((sentinel));
/* th_sql_valuep's value whole, however long (th_sql_value's buffer holds 4095 bytes), in
 * memory the caller frees. */
char *th_sql_textp(const char *sql, ...) __attribute__((sentinel));
/* An integer as a parameter's text, in a buffer that lives until the end of
 * the enclosing block: th_sqlp("... line_no = $2", id, TH_INT(i + 1), NULL). */
#define TH_INT(v) th_int((char[24]){0}, (v))
const char *th_int(char buf[24], long long v);

/* Rows in every table of the schema: the same before and after a request that must
 * write nothing. */
long long th_rows_total(void);

/* A fresh API key for role and scope (see keys_create); static buffer. */
const char *th_key(enum auth_role role, const char *scope);
/* A unique upper-case code with the prefix, e.g. "WH-1A2B3C4D". Static buffer. */
const char *th_code(const char *prefix);

/* Checks that r is a problem+json document with this status; prints the body
 * on mismatch. Use as ck_assert(th_is_problem(r, 422)). */
int th_is_problem(const struct th_resp *r, long status);
/* True when r's errors[] names field. */
int th_has_field_error(const struct th_resp *r, const char *field);

#endif
