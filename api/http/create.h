/* create.h — create endpoints that honour Idempotency-Key (idem.h) in one
 * statement and answer the unique violations of their table per field. */
#ifndef WMS_API_CREATE_H
#define WMS_API_CREATE_H

#include "api/db/db.h"
#include "api/http/idem.h"

struct api_req;

/* A unique constraint of a table and the request field it protects (NULL:
 * the 409 names no field). Lists end with an entry whose constraint is NULL.
 * reply is NULL (the 409 says message), or answers the 409 itself, e.g. after
 * looking up which row holds the value, to name it (create_reply_duplicate). */
struct create_unique {
	const char *table; /* the table and the key columns (see db_reply_duplicate); NULL ends */
	const char *keys;
	const char *field;
	const char *message;
	void (*reply)(struct api_req *r, const struct create_unique *u);
};

/* Answers an INSERT/UPDATE ... RETURNING <json> like api_reply_row, except
 * that violating one of uniques answers 409 with errors [{field, code
 * "duplicate", message}] (or as that entry's reply does). */
void create_reply_saved(struct api_req *r, const struct db_reply *rep, int status,
                         const char *not_found, const struct create_unique *uniques);

/* Answers u's 409: detail u->message, followed by ": holder" when holder is
 * not NULL (the row that has the value, e.g. a SKU code), and errors [{field,
 * "duplicate", the same text}] when u names a field. */
void create_reply_duplicate(struct api_req *r, const struct create_unique *u, const char *holder);

/* The SQL of a create that honours Idempotency-Key in one statement (see
 * idem.h; $1..$3 are idem's, the create's own parameters start at $4):
 * insert is "INSERT INTO t (...) SELECT ... [FROM ... ]" and runs only where
 * cond holds and the key lets it proceed; json is the RETURNING expression
 * (jsonb: the same text as a read of the object) of the created object. The
 * answer is stored only when a row was inserted. Columns: body (NULL when
 * nothing was inserted; the jsonb's text, so that replays and reads are
 * byte-identical), then IDEM_COLUMNS. */
#define CREATE_IDEM_SQL(insert, cond, json)                                                   \
	"WITH " IDEM_CTES ","                                                                         \
	" created AS (" insert " WHERE (" cond ") AND " IDEM_PROCEED " RETURNING " json " AS body),"  \
	" " IDEM_STORE_CTE("201", "c.body::jsonb FROM created c") " "                                 \
	"SELECT (SELECT c.body::jsonb::text FROM created c) AS body, " IDEM_COLUMNS

/* The most parameters of a CREATE_IDEM_SQL statement, idem's included. */
#define CREATE_MAX_PARAMS 24

/* A create endpoint: its CREATE_IDEM_SQL statement, the 404 detail when
 * it inserted nothing, and its unique constraints (see create_reply_saved). */
struct create_spec {
	const struct db_stmt *stmt;
	const char *not_found;
	const struct create_unique *uniques;
	/* run after the create committed, with the created object's id as $1, before the 201
	 * is sent (NULL: none): what must follow a create but cannot share its statement (e.g.
	 * rows of a distributed table after a reference table's row). It must be idempotent: a
	 * replay runs it too. */
	const struct db_stmt *then;
};

/* Runs c's statement with idem's $1..$3 followed by params ($4...; copied,
 * so they may point into the caller's stack) and answers: 201 with the
 * created object; 404 when nothing was inserted; 409 per c->uniques (nothing
 * is stored under the key, so a corrected request may reuse it); replay, 409
 * or 422 under Idempotency-Key as idem_reply_unless_created says. A bad key
 * is 400. With a key, a unique violation is tried once more, so that a twin
 * that committed meanwhile is answered by its stored answer. Uses the
 * request's state (api_req_set_state). Always answers. */
void create_or_reply(struct api_req *r, const struct create_spec *c, int nparams,
                             const char *const *params);

#endif
