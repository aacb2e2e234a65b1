/* refdata.h — pieces shared by the reference-data handlers (h_warehouses.c,
 * h_bins.c, h_sellers.c, h_skus.c): list pages, the {seller} path parameter,
 * field shapes, nested objects, unique violations answered per field, and
 * creates that honour Idempotency-Key. */
#ifndef WMS_API_REFDATA_H
#define WMS_API_REFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "api/http/idem.h"
#include "api/http/jsonv.h"
#include "api/http/req.h"

/* The page parameters of a list request, as query parameters: limit (text),
 * and the cursor's two halves (NULL when the request has no cursor). */
struct refdata_page {
	char limit[8];
	char ts[24];
	char id[37];
	const char *cursor_ts;
	const char *cursor_id;
};

/* Reads ?limit= and ?cursor= into pg (see api_page_or_reply). Returns 0, or
 * -1 after answering 400. */
int refdata_page_or_reply(struct api_req *r, struct refdata_page *pg)
	__attribute__((warn_unused_result));

/* Answers 422 with v's errors when it has any (returns -1); else 0. */
int refdata_valid_or_reply(struct api_req *r, struct jsonv *v) __attribute__((warn_unused_result));

/* Reads the {seller} path parameter into the three parameters of the SQL
 * function seller_ref(id, code, scope): out[0] the id when {seller} is a UUID,
 * out[1] the code otherwise, out[2] the caller's seller scope (NULL for roles
 * that see every seller). "me" names the caller's own seller. Returns 0, or
 * -1 after answering 404 ("me" from a key that belongs to no seller). The
 * strings belong to r. */
int refdata_seller_or_reply(struct api_req *r, const char *out[3])
	__attribute__((warn_unused_result));

/* True when s matches the POSIX extended regular expression re (anchor it). */
bool refdata_matches(const char *re, const char *s);

/* A string of 1..maxlen bytes matching re; on mismatch records "format" with
 * the message "<field> must be <hint>". Returns it (owned by obj) or NULL. */
const char *refdata_shape(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                          size_t maxlen, const char *re, const char *hint);

/* Records "immutable" when obj has field (the field may not be changed). */
void refdata_immutable(struct jsonv *v, const cJSON *obj, const char *field);

/* obj[field] when it is a JSON object. Absent or null: records "required" if
 * required and returns NULL; another type: records "type", returns NULL. */
const cJSON *refdata_object(struct jsonv *v, const cJSON *obj, const char *field, bool required);

/* Moves inner's errors into v, naming each field "<prefix>.<field>"; inner is
 * left empty. For validating a nested object with the jsonv getters. */
void refdata_merge(struct jsonv *v, struct jsonv *inner, const char *prefix);

/* A unique constraint of a table and the request field it protects (NULL:
 * the 409 names no field). Lists end with an entry whose constraint is NULL. */
struct refdata_unique {
	const char *constraint;
	const char *field;
	const char *message;
};

/* Answers an INSERT/UPDATE ... RETURNING <json> like api_reply_row, except
 * that violating one of uniques answers 409 with errors [{field, code
 * "duplicate", message}]. */
void refdata_reply_saved(struct api_req *r, const struct db_reply *rep, int status,
                         const char *not_found, const struct refdata_unique *uniques);

/* The SQL of a create that honours Idempotency-Key in one statement (see
 * idem.h; $1..$3 are idem's, the create's own parameters start at $4):
 * insert is "INSERT INTO t (...) SELECT ... [FROM ... ]" and runs only where
 * cond holds and the key lets it proceed; json is the RETURNING expression
 * (json or jsonb) of the created object. The answer is stored only when a
 * row was inserted. Columns: body (NULL when nothing was inserted; with a
 * key it is the stored jsonb's text, so that replays are byte-identical),
 * then IDEM_COLUMNS. */
#define REFDATA_IDEM_CREATE(insert, cond, json)                                                   \
	"WITH " IDEM_CTES ","                                                                         \
	" created AS (" insert " WHERE (" cond ") AND " IDEM_PROCEED " RETURNING " json " AS body),"  \
	" " IDEM_STORE_CTE("201", "c.body::jsonb FROM created c") " "                                 \
	"SELECT (SELECT CASE WHEN $2::text IS NULL THEN c.body::text ELSE c.body::jsonb::text END"    \
	"  FROM created c) AS body, " IDEM_COLUMNS

/* The most parameters of a REFDATA_IDEM_CREATE statement, idem's included. */
#define REFDATA_CREATE_MAX_PARAMS 24

/* A create endpoint: its REFDATA_IDEM_CREATE statement, the 404 detail when
 * it inserted nothing, and its unique constraints (see refdata_reply_saved). */
struct refdata_create {
	const struct db_stmt *stmt;
	const char *not_found;
	const struct refdata_unique *uniques;
};

/* Runs c's statement with idem's $1..$3 followed by params ($4...; copied,
 * so they may point into the caller's stack) and answers: 201 with the
 * created object; 404 when nothing was inserted; 409 per c->uniques (nothing
 * is stored under the key, so a corrected request may reuse it); replay, 409
 * or 422 under Idempotency-Key as idem_reply_unless_created says. A bad key
 * is 400. With a key, a unique violation is tried once more, so that a twin
 * that committed meanwhile is answered by its stored answer. Uses the
 * request's state (api_req_set_state). Always answers. */
void refdata_create_or_reply(struct api_req *r, const struct refdata_create *c, int nparams,
                             const char *const *params);

#endif
