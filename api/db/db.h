/* db.h — a non-blocking PostgreSQL connection pool driven by a libevent loop.
 *
 * Every connection runs libpq in non-blocking pipeline mode; its socket is
 * watched by libevent, so the loop never waits for the database. A query is a
 * named statement (struct db_stmt, defined next to the code that uses it)
 * with text parameters; it is prepared on a connection the first time it runs
 * there (the Prepare travels in the same round trip as the first Execute).
 * One query is one sync segment, i.e. one implicit transaction: two callers'
 * queries never share a segment.
 *
 * Queries wait in a bounded FIFO queue for a free connection. A connection
 * that breaks fails its query with DB_UNAVAILABLE and reconnects with
 * exponential back-off (100 ms doubling to 5 s); while no connection is up,
 * db_query() refuses new work at once.
 */
#ifndef WMS_API_DB_H
#define WMS_API_DB_H

#include <stddef.h>
#include <libpq-fe.h>

struct event_base;
struct db_pool;

/* A named statement. Define one with DB_STMT next to the handler that runs it; the pool
 * keys preparation on the name, which must be unique in the program. */
struct db_stmt {
	const char *name;
	const char *sql;
};

/* Defines the statement var: `DB_STMT(stmt_get) = {"warehouse_get", "SELECT ..."};`. Every
 * statement so defined is also listed in one linker section, so that tests can read the SQL
 * text the server runs (db_stmt_first/db_stmt_end). */
#define DB_STMT(var)                                                                              \
	static const struct db_stmt var                                                               \
		__attribute__((used, section("wms_db_stmts"), aligned(sizeof(void *))))

/* The statements defined with DB_STMT in the objects linked into this program:
 * for (const struct db_stmt *s = db_stmt_first(); s < db_stmt_end(); s++). */
const struct db_stmt *db_stmt_first(void);
const struct db_stmt *db_stmt_end(void);

enum db_outcome {
	DB_OK,          /* res holds the statement's result (tuples or command) */
	DB_SQL_ERROR,   /* the statement failed: sqlstate, message, detail, constraint set */
	DB_UNAVAILABLE, /* the connection broke, or the pool shut down */
};

/* What a query callback gets. Valid only during the callback: the pool frees
 * res (PQclear) when the callback returns. */
struct db_reply {
	enum db_outcome outcome;
	PGresult *res;          /* DB_OK: the result; DB_SQL_ERROR: the error result */
	const char *sqlstate;   /* DB_SQL_ERROR: five characters, e.g. "23505" */
	const char *message;    /* DB_SQL_ERROR, DB_UNAVAILABLE: human text */
	const char *detail;     /* DB_SQL_ERROR: may be NULL */
	const char *constraint; /* DB_SQL_ERROR: violated constraint name or NULL (a distributed
	                         * table's shard may not name it: match duplicates with
	                         * db_reply_duplicate, never by this name) */
	const char *table;      /* DB_SQL_ERROR: the table (or its shard, "name_102044") or NULL */
};

typedef void db_done_fn(void *arg, const struct db_reply *reply);

struct db_pool_options {
	const char *conninfo;     /* libpq connection string or URI */
	int size;                 /* connections, >= 1 */
	int queue_max;            /* queries allowed to wait, >= 0 */
	int statement_timeout_ms; /* 0 = none */
	int pipeline_depth;       /* queries in flight per connection, 0..64 (0 and 1: one) */
	const char *application_name;
};

struct db_pool_stats {
	int size;      /* configured connections */
	int connected; /* connections up and ready */
	int busy;      /* connections running a query */
	int waiting;   /* queries in the queue */
};

enum db_submit {
	DB_SUBMIT_OK = 0,    /* queued; cb will be called exactly once, later */
	DB_SUBMIT_FULL = -1, /* the queue is full: reply 503 + Retry-After */
	DB_SUBMIT_DOWN = -2, /* no connection is up: reply 503 */
};

/* Creates a pool and starts connecting (asynchronously). Returns NULL with
 * err filled on bad options. Free with db_pool_free(). */
struct db_pool *db_pool_new(struct event_base *base, const struct db_pool_options *opt,
                            char *err, size_t errlen);

/* Frees the pool: queued and running queries get DB_UNAVAILABLE first. */
void db_pool_free(struct db_pool *pool);

/* Runs stmt with nparams text parameters (NULL entries are SQL NULL). The
 * parameter strings are copied; the caller may free them after the call.
 * cb(arg, reply) is called exactly once, from the event loop, never from
 * inside db_query(). When the return is not DB_SUBMIT_OK, cb is not called. */
enum db_submit db_query(struct db_pool *pool, const struct db_stmt *stmt, int nparams,
                        const char *const *params, db_done_fn *cb, void *arg)
	__attribute__((warn_unused_result));

void db_pool_stats(const struct db_pool *pool, struct db_pool_stats *out);

/* True when at least one connection is up. */
int db_pool_ready(const struct db_pool *pool);

/* LISTEN on channel over a dedicated connection of the pool (reconnecting with
 * the pool's back-off). fn(arg, channel, payload) is called from the loop for
 * every notification; each time the LISTEN takes effect (first connect and
 * every reconnect) it is called once with payload NULL, because notifications
 * may have been missed before. Returns 0 or -1. */
typedef void db_notify_fn(void *arg, const char *channel, const char *payload);
int db_pool_listen(struct db_pool *pool, const char *channel, db_notify_fn *fn, void *arg)
	__attribute__((warn_unused_result));

/* True when rep is a unique violation of table (or of a shard of it: "table_<digits>") on
 * the key columns keys, as PostgreSQL names them in the detail ("seller_id, gtin"); keys
 * NULL matches any key of the table. */
int db_reply_duplicate(const struct db_reply *rep, const char *table, const char *keys);

/* Helpers for reading a DB_OK result. */
const char *db_value(const PGresult *res, int row, const char *column); /* NULL if SQL NULL or no column */
long long db_value_ll(const PGresult *res, int row, const char *column, long long dflt);
int db_value_bool(const PGresult *res, int row, const char *column);

#endif
