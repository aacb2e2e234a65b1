/* db.c — the non-blocking PostgreSQL pool of db.h: libpq in pipeline mode,
 * driven by libevent readiness on each connection's socket.
 *
 * A connection goes DOWN -> CONNECTING -> READY <-> BUSY and back to DOWN when
 * it breaks; every change goes through conn_set_state(), which also keeps the
 * pool's counters. A query is one sync segment: [Parse], Bind/Execute, Sync,
 * written in one go and answered by the results
 *
 *     [prepare result, NULL,] execute result, NULL, PGRES_PIPELINE_SYNC
 *
 * which conn_step() walks through. A connection carries up to the pool's
 * depth of sync segments at once (oldest first in its in-flight list): the
 * server runs them one after the other, each its own transaction, so a
 * backend has its next statement at hand when one ends instead of idling
 * until the loop gets the CPU back. Each segment ends with its own Sync, so
 * an error aborts only its own. A statement is recorded as prepared on a
 * connection when its Parse succeeds; while a Parse is outstanding, no other
 * query of that statement is pipelined behind it there (it would Parse
 * again, or Bind a statement that may not come to exist). The names are
 * kept in a sorted array that dies with the PGconn, so a reconnected
 * connection prepares them again.
 *
 * LISTEN runs on one extra connection (id 0, not part of the pool's size),
 * outside pipeline mode, shared by every db_pool_listen() of the pool.
 *
 * Callbacks (query and notify) are called from the loop only. They may call
 * db_query() and db_pool_listen(), never db_pool_free().
 */
#include "api/db/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#define BACKOFF_MIN_MS     100
#define BACKOFF_MAX_MS     5000
#define CONNECT_TIMEOUT_MS 10000
#define CHANNEL_MAX        63    /* NAMEDATALEN - 1 */
#define PARAMS_MAX         65535 /* the protocol's limit */
#define REASON_MAX         512

enum conn_state {
	CONN_DOWN,       /* no PGconn; the timer counts down the back-off */
	CONN_CONNECTING, /* PQconnectPoll in progress; the timer is the connect timeout */
	CONN_READY,      /* connected and idle */
	CONN_BUSY,       /* a query (or, on the listen connection, LISTEN) is running */
};

/* Where a running query is in its sync segment: what PQgetResult gives next. */
enum query_step {
	STEP_PREPARE,     /* the Parse's result */
	STEP_PREPARE_END, /* NULL */
	STEP_EXECUTE,     /* the statement's result, or PIPELINE_ABORTED after a bad Parse */
	STEP_EXECUTE_END, /* NULL */
	STEP_SYNC,        /* PGRES_PIPELINE_SYNC */
};

struct query {
	struct query *next;
	const struct db_stmt *stmt; /* the caller's, static */
	int nparams;
	char **params; /* one allocation: the pointers, then the strings */
	db_done_fn *cb;
	void *arg;
	/* once sent: where it is in its sync segment, and what came back */
	enum query_step step;
	int prepare_sent;
	PGresult *prep_res; /* a failed Parse's error */
	PGresult *res;      /* the Execute's result */
};

struct listen_entry {
	struct listen_entry *next;
	char *channel;
	db_notify_fn *fn;
	void *arg;
	int sent;   /* LISTEN sent on the current connection, not yet answered */
	int active; /* LISTEN done on the current connection */
	int announce; /* fn(NULL) due */
};

struct conn {
	struct db_pool *pool;
	int id;       /* 1..size; 0 is the listen connection */
	int listener; /* the listen connection */
	enum conn_state state;
	int first_attempt; /* connecting for the first time since the pool was made */
	PGconn *pg;
	int fd;                   /* the socket rev and wev watch, or -1 */
	struct event *rev, *wev;  /* persistent readiness events on fd */
	int want_write;           /* PQflush returned 1 */
	struct event *timer;      /* back-off (DOWN) or connect timeout (CONNECTING) */
	int backoff_ms;
	char **prepared; /* sorted statement names prepared on pg */
	size_t nprepared, capprepared;
	/* the queries sent and not yet answered, oldest (the running one) first */
	struct query *fhead, *ftail;
	int ninflight;
};

struct db_pool {
	struct event_base *base;
	int size;
	int depth; /* sync segments in flight per connection, >= 1 */
	int queue_max;
	char **kw, **vals; /* connection parameters, NULL-terminated */
	struct conn *conns; /* size of them */
	struct conn *lconn; /* the listen connection, made by the first listen */
	struct listen_entry *listens, *listens_tail;
	struct query *qhead, *qtail;
	int nqueued;
	int nconnected; /* READY or BUSY */
	int nbusy;
	int nstarting;  /* CONNECTING for the first time */
	struct event *kick; /* deferred work: fail the queue when down, else dispatch */
	int closing;
};

static void conn_io(evutil_socket_t fd, short what, void *arg);
static void conn_input(struct conn *c);
static void listener_input(struct conn *c);
static void listener_send(struct conn *c);
static void dispatch(struct db_pool *p);

/* Copies src into dst (size n) on one line: newlines and tabs become single
 * spaces, trailing blanks go. A NULL or empty src gives "unknown error". */
static void one_line(char *dst, size_t n, const char *src)
{
	size_t j = 0;
	if (!src || !*src)
		src = "unknown error";
	for (; *src && j + 1 < n; src++) {
		char ch = (*src == '\n' || *src == '\t' || *src == '\r') ? ' ' : *src;
		if (ch == ' ' && (j == 0 || dst[j - 1] == ' '))
			continue;
		dst[j++] = ch;
	}
	while (j > 0 && dst[j - 1] == ' ')
		j--;
	dst[j] = '\0';
}

static const char *state_name(enum conn_state s)
{
	switch (s) {
	case CONN_DOWN: return "down";
	case CONN_CONNECTING: return "connecting";
	case CONN_READY: return "ready";
	case CONN_BUSY: return "busy";
	}
	return "?";
}

/* Adds (sign 1) or removes (sign -1) c's share of the pool's counters. */
static void conn_account(struct conn *c, int sign)
{
	struct db_pool *p = c->pool;
	if (c->listener)
		return;
	if (c->state == CONN_READY || c->state == CONN_BUSY)
		p->nconnected += sign;
	if (c->state == CONN_BUSY)
		p->nbusy += sign;
	if (c->state == CONN_CONNECTING && c->first_attempt)
		p->nstarting += sign;
}

/* The one place a connection changes state. Aborts on a transition the
 * design does not have: that is a bug in this file, not a runtime error. */
static void conn_set_state(struct conn *c, enum conn_state to)
{
	int ok = 0;
	switch (c->state) {
	case CONN_DOWN:
		ok = to == CONN_CONNECTING;
		break;
	case CONN_CONNECTING:
		ok = to == CONN_READY || to == CONN_DOWN;
		break;
	case CONN_READY:
		ok = to == CONN_BUSY || to == CONN_DOWN;
		break;
	case CONN_BUSY:
		ok = to == CONN_READY || to == CONN_DOWN;
		break;
	}
	if (!ok) {
		fprintf(stderr, "db: connection %d: impossible transition %s -> %s\n", c->id,
		        state_name(c->state), state_name(to));
		abort();
	}
	conn_account(c, -1);
	if (c->state == CONN_CONNECTING)
		c->first_attempt = 0;
	c->state = to;
	conn_account(c, 1);
}

static int pool_down(const struct db_pool *p)
{
	return p->nconnected == 0 && p->nstarting == 0;
}

/* --- prepared statement names, per connection --------------------------- */

/* Binary search: 1 if name is prepared on c; *pos is where it is or would go. */
static int prepared_find(const struct conn *c, const char *name, size_t *pos)
{
	size_t lo = 0, hi = c->nprepared;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->prepared[mid], name);
		if (cmp == 0) {
			*pos = mid;
			return 1;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return 0;
}

/* Records name as prepared on c (copied). Returns 0, or -1 out of memory. */
static int prepared_add(struct conn *c, const char *name)
{
	size_t pos;
	char *copy;
	if (prepared_find(c, name, &pos))
		return 0;
	if (c->nprepared == c->capprepared) {
		size_t cap = c->capprepared ? c->capprepared * 2 : 16;
		char **grown = realloc(c->prepared, cap * sizeof *grown);
		if (!grown)
			return -1;
		c->prepared = grown;
		c->capprepared = cap;
	}
	if (!(copy = strdup(name)))
		return -1;
	memmove(c->prepared + pos + 1, c->prepared + pos, (c->nprepared - pos) * sizeof *c->prepared);
	c->prepared[pos] = copy;
	c->nprepared++;
	return 0;
}

static void prepared_remove(struct conn *c, const char *name)
{
	size_t pos;
	if (!prepared_find(c, name, &pos))
		return;
	free(c->prepared[pos]);
	memmove(c->prepared + pos, c->prepared + pos + 1,
	        (c->nprepared - pos - 1) * sizeof *c->prepared);
	c->nprepared--;
}

static void prepared_clear(struct conn *c)
{
	for (size_t i = 0; i < c->nprepared; i++)
		free(c->prepared[i]);
	free(c->prepared);
	c->prepared = NULL;
	c->nprepared = c->capprepared = 0;
}

/* --- queries --------------------------------------------------------------- */

/* Makes a query with copies of the parameters. Returns NULL out of memory.
 * Free with query_free(). */
static struct query *query_new(const struct db_stmt *stmt, int nparams, const char *const *params,
                               db_done_fn *cb, void *arg)
{
	struct query *q = NULL;
	size_t bytes = (size_t)nparams * sizeof(char *);
	char *text;
	for (int i = 0; i < nparams; i++)
		if (params[i])
			bytes += strlen(params[i]) + 1;
	if (!(q = calloc(1, sizeof *q)))
		goto done;
	if (nparams > 0 && !(q->params = malloc(bytes))) {
		free(q);
		q = NULL;
		goto done;
	}
	q->stmt = stmt;
	q->nparams = nparams;
	q->cb = cb;
	q->arg = arg;
	text = (char *)(q->params + nparams);
	for (int i = 0; i < nparams; i++) {
		if (!params[i]) {
			q->params[i] = NULL;
			continue;
		}
		size_t len = strlen(params[i]) + 1;
		memcpy(text, params[i], len);
		q->params[i] = text;
		text += len;
	}
done:
	return q;
}

static void query_free(struct query *q)
{
	if (!q)
		return;
	PQclear(q->prep_res);
	PQclear(q->res);
	free(q->params);
	free(q);
}

/* Calls q's callback with DB_UNAVAILABLE and "database unavailable: why";
 * the caller frees q afterwards. */
static void reply_unavailable(struct query *q, const char *why)
{
	char msg[REASON_MAX + 32];
	struct db_reply reply = {.outcome = DB_UNAVAILABLE, .message = msg};
	snprintf(msg, sizeof msg, "database unavailable: %s", why);
	q->cb(q->arg, &reply);
}

/* Fills reply for an error result res (owned by the caller). */
static void reply_sql_error(struct db_reply *reply, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	reply->outcome = DB_SQL_ERROR;
	reply->res = res;
	reply->sqlstate = state && strlen(state) == 5 ? state : "XX000";
	reply->message = msg ? msg : PQresultErrorMessage(res);
	reply->detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	reply->constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	reply->table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
}

int db_reply_duplicate(const struct db_reply *rep, const char *table, const char *keys)
{
	if (rep->outcome != DB_SQL_ERROR || !rep->sqlstate || strcmp(rep->sqlstate, "23505") != 0 ||
	    !rep->table)
		return 0;
	size_t n = strlen(table);
	if (strncmp(rep->table, table, n) != 0 ||
	    (rep->table[n] && !(rep->table[n] == '_' && rep->table[n + 1] &&
	                        strspn(rep->table + n + 1, "0123456789") == strlen(rep->table + n + 1))))
		return 0;
	if (!keys)
		return 1;
	/* the detail: "Key (seller_id, gtin)=(…, …) already exists." */
	size_t k = strlen(keys);
	return rep->detail && strncmp(rep->detail, "Key (", 5) == 0 &&
	       strncmp(rep->detail + 5, keys, k) == 0 && strncmp(rep->detail + 5 + k, ")=", 2) == 0;
}

/* Fails a detached list of queries with DB_UNAVAILABLE, oldest first. */
static void fail_list(struct query *q, const char *why)
{
	while (q) {
		struct query *next = q->next;
		reply_unavailable(q, why);
		query_free(q);
		q = next;
	}
}

static void queue_push_back(struct db_pool *p, struct query *q)
{
	q->next = NULL;
	if (p->qtail)
		p->qtail->next = q;
	else
		p->qhead = q;
	p->qtail = q;
	p->nqueued++;
}

static void queue_push_front(struct db_pool *p, struct query *q)
{
	q->next = p->qhead;
	p->qhead = q;
	if (!p->qtail)
		p->qtail = q;
	p->nqueued++;
}

static struct query *queue_pop(struct db_pool *p)
{
	struct query *q = p->qhead;
	if (!q)
		return NULL;
	p->qhead = q->next;
	if (!p->qhead)
		p->qtail = NULL;
	p->nqueued--;
	q->next = NULL;
	return q;
}

/* Fails every queued query with DB_UNAVAILABLE. The queue is detached first,
 * so a callback that submits again sees an empty queue. */
static void fail_queue(struct db_pool *p, const char *why)
{
	struct query *q = p->qhead;
	p->qhead = p->qtail = NULL;
	p->nqueued = 0;
	fail_list(q, why);
}

/* --- connection plumbing --------------------------------------------------- */

/* Adds or removes ev so that it is pending exactly when on. */
static int set_event(struct event *ev, int on)
{
	int pending = event_pending(ev, EV_READ | EV_WRITE, NULL);
	if (on && !pending)
		return event_add(ev, NULL);
	if (!on && pending)
		return event_del(ev);
	return 0;
}

static void conn_unwatch(struct conn *c)
{
	if (c->rev)
		event_free(c->rev);
	if (c->wev)
		event_free(c->wev);
	c->rev = c->wev = NULL;
	c->fd = -1;
	c->want_write = 0;
}

/* Watches PQsocket(c->pg) for reading and/or writing. With fresh set, the
 * events are made anew: while connecting libpq may close its socket and open
 * another that gets the same number, which the event backend must be told.
 * Returns 0 or -1. */
static int conn_watch(struct conn *c, int rd, int wr, int fresh)
{
	int fd = PQsocket(c->pg);
	if (fd < 0)
		return -1;
	if (fresh || fd != c->fd || !c->rev) {
		conn_unwatch(c);
		c->rev = event_new(c->pool->base, fd, EV_READ | EV_PERSIST, conn_io, c);
		c->wev = event_new(c->pool->base, fd, EV_WRITE | EV_PERSIST, conn_io, c);
		if (!c->rev || !c->wev) {
			conn_unwatch(c);
			return -1;
		}
		c->fd = fd;
	}
	if (set_event(c->rev, rd) < 0 || set_event(c->wev, wr) < 0)
		return -1;
	return 0;
}

/* Closes c's PGconn and forgets everything tied to it: events, the prepared
 * names. The queries in flight must be detached. */
static void conn_close(struct conn *c)
{
	conn_unwatch(c);
	if (c->pg)
		PQfinish(c->pg);
	c->pg = NULL;
	prepared_clear(c);
}

/* Detaches c's queries in flight (c is then idle as far as queries go) and
 * returns them, oldest first. */
static struct query *conn_detach(struct conn *c)
{
	struct query *q = c->fhead;
	c->fhead = c->ftail = NULL;
	c->ninflight = 0;
	return q;
}

/* Takes c DOWN because of why (copied at once: it may point into c->pg):
 * logs one line, closes the PGconn, schedules the reconnect after the
 * back-off, and fails the queries in flight on c, if any, with
 * DB_UNAVAILABLE. The queue is looked at later, from the kick event, so this
 * is safe to call inside db_query() as long as the caller's query is not on
 * c yet. */
static void conn_fail(struct conn *c, const char *why)
{
	char reason[REASON_MAX];
	struct db_pool *p = c->pool;
	PGresult *res = c->fhead ? c->fhead->res : NULL;
	struct query *q;
	struct timeval tv;

	one_line(reason, sizeof reason, why);
	if (res && PQresultStatus(res) == PGRES_FATAL_ERROR) {
		/* the server said why before it hung up: a better reason than EOF */
		const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		if (sev && msg && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0))
			one_line(reason, sizeof reason, msg);
	}
	fprintf(stderr, "db: connection %d%s %s: %s (retry in %d ms)\n", c->id,
	        c->listener ? " (listen)" : "",
	        c->state == CONN_CONNECTING ? "cannot connect" : "lost", reason, c->backoff_ms);
	q = conn_detach(c);
	conn_close(c);
	conn_set_state(c, CONN_DOWN);
	tv.tv_sec = c->backoff_ms / 1000;
	tv.tv_usec = (c->backoff_ms % 1000) * 1000;
	evtimer_add(c->timer, &tv);
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
	if (c->listener) {
		for (struct listen_entry *e = p->listens; e; e = e->next)
			e->sent = e->active = e->announce = 0;
	} else {
		event_active(p->kick, EV_TIMEOUT, 0);
	}
	fail_list(q, reason);
}

/* libpq's notices (server NOTICE, WARNING, and errors that arrive while
 * idle, such as the reason for a shutdown) on one stderr line. */
static void conn_notice(void *arg, const char *message)
{
	struct conn *c = arg;
	char line[REASON_MAX];
	one_line(line, sizeof line, message);
	fprintf(stderr, "db: connection %d%s: %s\n", c->id, c->listener ? " (listen)" : "", line);
}

/* Starts connecting c (DOWN). PQconnectStartParams does not block, except for
 * a DNS lookup when the host is a name rather than an address or a socket
 * directory. Failures take c DOWN again with a longer back-off. */
static void conn_start(struct conn *c)
{
	struct db_pool *p = c->pool;
	struct timeval tv = {CONNECT_TIMEOUT_MS / 1000, (CONNECT_TIMEOUT_MS % 1000) * 1000};

	c->pg = PQconnectStartParams((const char *const *)p->kw, (const char *const *)p->vals, 0);
	conn_set_state(c, CONN_CONNECTING);
	if (!c->pg) {
		conn_fail(c, "out of memory");
		return;
	}
	if (PQstatus(c->pg) == CONNECTION_BAD) {
		conn_fail(c, PQerrorMessage(c->pg));
		return;
	}
	PQsetNoticeProcessor(c->pg, conn_notice, c);
	evtimer_add(c->timer, &tv);
	/* before the first PQconnectPoll, libpq wants to write */
	if (conn_watch(c, 0, 1, 1) < 0)
		conn_fail(c, "cannot watch the socket");
}

/* The connection is established: non-blocking, pipeline mode (query
 * connections), READY; then it takes queued work or sends LISTENs. */
static void conn_connected(struct conn *c)
{
	int again = c->backoff_ms > BACKOFF_MIN_MS;
	evtimer_del(c->timer);
	if (PQsetnonblocking(c->pg, 1) != 0 || (!c->listener && PQenterPipelineMode(c->pg) != 1)) {
		conn_fail(c, PQerrorMessage(c->pg));
		return;
	}
	if (conn_watch(c, 1, 0, 1) < 0) {
		conn_fail(c, "cannot watch the socket");
		return;
	}
	if (again)
		fprintf(stderr, "db: connection %d%s is back\n", c->id, c->listener ? " (listen)" : "");
	c->backoff_ms = BACKOFF_MIN_MS;
	conn_set_state(c, CONN_READY);
	if (c->listener)
		listener_send(c);
	else
		dispatch(c->pool);
}

/* One PQconnectPoll step, then watch whatever libpq asks for next. */
static void conn_connect_poll(struct conn *c)
{
	int rd = 0, wr = 0;
	switch (PQconnectPoll(c->pg)) {
	case PGRES_POLLING_READING:
		rd = 1;
		break;
	case PGRES_POLLING_WRITING:
		wr = 1;
		break;
	case PGRES_POLLING_OK:
		conn_connected(c);
		return;
	case PGRES_POLLING_FAILED:
	default:
		conn_fail(c, PQerrorMessage(c->pg));
		return;
	}
	if (conn_watch(c, rd, wr, 1) < 0)
		conn_fail(c, "cannot watch the socket");
}

/* PQflush, and watch for writability while libpq has more to send.
 * Returns 0, or -1 when c failed (it is DOWN now). */
static int conn_flush(struct conn *c)
{
	int r = PQflush(c->pg);
	if (r < 0) {
		conn_fail(c, PQerrorMessage(c->pg));
		return -1;
	}
	c->want_write = r == 1;
	if (set_event(c->wev, c->want_write) < 0) {
		conn_fail(c, "cannot watch the socket");
		return -1;
	}
	return 0;
}

/* Timer: the back-off is over (DOWN), or connecting took too long. */
static void conn_timer(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	(void)fd, (void)what;
	switch (c->state) {
	case CONN_DOWN:
		conn_start(c);
		break;
	case CONN_CONNECTING:
		conn_fail(c, "timed out while connecting");
		break;
	case CONN_READY:
	case CONN_BUSY:
		break;
	}
}

/* Socket readiness. Writable: flush. Readable: consume input (flushing again
 * if libpq was waiting to write), then handle results and notifications. */
static void conn_io(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	(void)fd;
	switch (c->state) {
	case CONN_CONNECTING:
		conn_connect_poll(c);
		return;
	case CONN_DOWN:
		return;
	case CONN_READY:
	case CONN_BUSY:
		break;
	}
	if ((what & EV_WRITE) && conn_flush(c) < 0)
		return;
	if (what & EV_READ) {
		if (!PQconsumeInput(c->pg)) {
			conn_fail(c, PQerrorMessage(c->pg));
			return;
		}
		if (c->want_write && conn_flush(c) < 0)
			return;
	}
	if (c->listener)
		listener_input(c);
	else
		conn_input(c);
}

/* --- running queries ------------------------------------------------------- */

/* Writes q's sync segment on c (READY, or BUSY with room in its pipeline):
 * Parse if the statement is not prepared there yet, Bind/Execute, Sync; then
 * flushes. On success q belongs to c, at the end of its in-flight list, and c
 * is BUSY. On failure returns -1 with q untouched and not attached; the
 * caller fails c (PQerrorMessage says why) and keeps q. */
static int conn_send(struct conn *c, struct query *q)
{
	size_t pos;
	const char *name = q->stmt->name;
	int need_prepare = !prepared_find(c, name, &pos);
	int r;

	if (need_prepare && !PQsendPrepare(c->pg, name, q->stmt->sql, 0, NULL))
		return -1;
	if (!PQsendQueryPrepared(c->pg, name, q->nparams, (const char *const *)q->params, NULL,
	                         NULL, 0))
		return -1;
	if (!PQpipelineSync(c->pg))
		return -1;
	if ((r = PQflush(c->pg)) < 0)
		return -1;
	c->want_write = r == 1;
	if (set_event(c->wev, c->want_write) < 0)
		return -1;
	q->prepare_sent = need_prepare;
	q->step = need_prepare ? STEP_PREPARE : STEP_EXECUTE;
	q->next = NULL;
	if (c->ftail)
		c->ftail->next = q;
	else
		c->fhead = q;
	c->ftail = q;
	c->ninflight++;
	if (c->state == CONN_READY)
		conn_set_state(c, CONN_BUSY);
	return 0;
}

/* An idle connection, or NULL. */
static struct conn *ready_conn(struct db_pool *p)
{
	for (int i = 0; i < p->size; i++)
		if (p->conns[i].state == CONN_READY)
			return &p->conns[i];
	return NULL;
}

/* True when a query in flight on c has sent the Parse of name and its result
 * is not in yet. */
static int parse_pending(const struct conn *c, const char *name)
{
	for (const struct query *q = c->fhead; q; q = q->next)
		if (q->prepare_sent && q->step == STEP_PREPARE && strcmp(q->stmt->name, name) == 0)
			return 1;
	return 0;
}

/* The connection to send stmt on next: an idle one, else the busy one with
 * the fewest queries in flight, below the pool's depth and with no Parse of
 * stmt outstanding; NULL when there is none. */
static struct conn *idle_conn(struct db_pool *p, const struct db_stmt *stmt)
{
	struct conn *best = NULL;
	for (int i = 0; i < p->size; i++) {
		struct conn *c = &p->conns[i];
		if (c->state == CONN_READY)
			return c;
		if (c->state == CONN_BUSY && c->ninflight < p->depth &&
		    (!best || c->ninflight < best->ninflight) && !parse_pending(c, stmt->name))
			best = c;
	}
	return best;
}

/* Hands queued queries to idle connections, oldest first. A connection that
 * cannot take one is failed and the query goes back to the head. */
static void dispatch(struct db_pool *p)
{
	struct conn *c;
	while (p->qhead && !p->closing && (c = idle_conn(p, p->qhead->stmt))) {
		struct query *q = queue_pop(p);
		if (conn_send(c, q) < 0) {
			queue_push_front(p, q);
			conn_fail(c, PQerrorMessage(c->pg));
		}
	}
}

/* Deferred work, from event_active(): with no connection left, the queue
 * fails at once; otherwise idle connections take queued queries. */
static void pool_kick(evutil_socket_t fd, short what, void *arg)
{
	struct db_pool *p = arg;
	(void)fd, (void)what;
	if (pool_down(p))
		fail_queue(p, "no connection to the database");
	else
		dispatch(p);
}

/* The oldest sync segment on c is complete: it leaves the in-flight list (c
 * goes READY when it was the last), c takes the next queued query, then the
 * callback gets the reply; the results are freed after it. */
static void query_finish(struct conn *c)
{
	struct query *q = c->fhead;
	PGresult *prep = q->prep_res, *res = q->res;
	struct db_reply reply = {0};

	c->fhead = q->next;
	if (!c->fhead)
		c->ftail = NULL;
	c->ninflight--;
	q->next = NULL;
	q->prep_res = q->res = NULL;
	if (prep) {
		reply_sql_error(&reply, prep);
	} else if (res && (PQresultStatus(res) == PGRES_TUPLES_OK ||
	                   PQresultStatus(res) == PGRES_COMMAND_OK)) {
		reply.outcome = DB_OK;
		reply.res = res;
	} else if (res) {
		reply_sql_error(&reply, res);
		/* e.g. after DEALLOCATE or DISCARD on the server: prepare it again next time */
		if (strcmp(reply.sqlstate, "26000") == 0)
			prepared_remove(c, q->stmt->name);
	} else {
		reply.outcome = DB_SQL_ERROR;
		reply.sqlstate = "XX000";
		reply.message = "the statement returned no result";
	}
	if (c->ninflight == 0)
		conn_set_state(c, CONN_READY);
	dispatch(c->pool);
	q->cb(q->arg, &reply);
	PQclear(prep);
	PQclear(res);
	query_free(q);
}

/* Takes one result (owned; may be NULL) of c's running query. Returns 0, or
 * -1 when the results do not follow the expected sequence and c failed. */
static int conn_step(struct conn *c, PGresult *r)
{
	char why[128];
	struct query *q = c->fhead;
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_EMPTY_QUERY;

	switch (q->step) {
	case STEP_PREPARE:
		if (!r)
			goto confused;
		if (st != PGRES_COMMAND_OK) {
			q->prep_res = r;
		} else {
			PQclear(r);
			if (prepared_add(c, q->stmt->name) < 0) {
				conn_fail(c, "out of memory");
				return -1;
			}
		}
		q->step = STEP_PREPARE_END;
		return 0;
	case STEP_PREPARE_END:
		if (r)
			goto confused;
		q->step = STEP_EXECUTE;
		return 0;
	case STEP_EXECUTE:
		if (!r)
			goto confused;
		if (st == PGRES_PIPELINE_ABORTED && q->prep_res)
			PQclear(r);
		else
			q->res = r;
		q->step = STEP_EXECUTE_END;
		return 0;
	case STEP_EXECUTE_END:
		if (r)
			goto confused;
		q->step = STEP_SYNC;
		return 0;
	case STEP_SYNC:
		if (!r || st != PGRES_PIPELINE_SYNC)
			goto confused;
		PQclear(r);
		query_finish(c);
		return 0;
	}
confused:
	snprintf(why, sizeof why, "unexpected %s from the server (step %d)",
	         r ? PQresStatus(st) : "end of results", (int)q->step);
	PQclear(r);
	conn_fail(c, why);
	return -1;
}

/* Reads every result that is complete. A callback may start the next query
 * on this very connection, so the loop looks at c's state each time. */
static void conn_input(struct conn *c)
{
	while (c->state == CONN_BUSY && !PQisBusy(c->pg)) {
		if (PQstatus(c->pg) == CONNECTION_BAD) {
			conn_fail(c, PQerrorMessage(c->pg));
			return;
		}
		if (conn_step(c, PQgetResult(c->pg)) < 0)
			return;
	}
	if (c->state != CONN_DOWN && PQstatus(c->pg) == CONNECTION_BAD)
		conn_fail(c, PQerrorMessage(c->pg));
}

/* --- LISTEN ---------------------------------------------------------------- */

/* On the listen connection (READY), sends one LISTEN for every channel not
 * yet listened to on it; c goes BUSY until the results are in. */
static void listener_send(struct conn *c)
{
	struct db_pool *p = c->pool;
	char *sql = NULL;
	size_t len = 0, cap = 0;
	const char *fail = NULL;

	for (struct listen_entry *e = p->listens; e; e = e->next) {
		char *id;
		size_t need;
		if (e->active || e->sent)
			continue;
		if (!(id = PQescapeIdentifier(c->pg, e->channel, strlen(e->channel)))) {
			fail = PQerrorMessage(c->pg);
			goto done;
		}
		need = len + strlen("LISTEN ;") + strlen(id) + 1;
		if (need > cap) {
			char *grown = realloc(sql, need * 2);
			if (!grown) {
				PQfreemem(id);
				fail = "out of memory";
				goto done;
			}
			sql = grown;
			cap = need * 2;
		}
		len += (size_t)sprintf(sql + len, "LISTEN %s;", id);
		PQfreemem(id);
	}
	if (!sql)
		goto done;
	if (!PQsendQuery(c->pg, sql)) {
		fail = PQerrorMessage(c->pg);
		goto done;
	}
	for (struct listen_entry *e = p->listens; e; e = e->next)
		if (!e->active)
			e->sent = 1;
	conn_set_state(c, CONN_BUSY);
	(void)conn_flush(c); /* on failure c is DOWN already */
done:
	if (fail)
		conn_fail(c, fail);
	free(sql);
}

/* Results of LISTEN, then notifications. When LISTEN is done the channels it
 * covered get fn(arg, channel, NULL): from now on nothing is missed. */
static void listener_input(struct conn *c)
{
	struct db_pool *p = c->pool;
	PGnotify *n;

	while (c->state == CONN_BUSY && !PQisBusy(c->pg)) {
		PGresult *r;
		if (PQstatus(c->pg) == CONNECTION_BAD) {
			conn_fail(c, PQerrorMessage(c->pg));
			return;
		}
		if ((r = PQgetResult(c->pg))) {
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				char line[REASON_MAX];
				one_line(line, sizeof line, PQresultErrorMessage(r));
				fprintf(stderr, "db: connection 0 (listen): LISTEN failed: %s\n", line);
			}
			PQclear(r);
			continue;
		}
		conn_set_state(c, CONN_READY);
		for (struct listen_entry *e = p->listens; e; e = e->next)
			if (e->sent) {
				e->sent = 0;
				e->active = e->announce = 1;
			}
		/* a callback may add a channel (sending LISTEN again) or, on
		 * failure of that, take c DOWN */
		for (struct listen_entry *e = p->listens; e; e = e->next)
			if (e->announce) {
				e->announce = 0;
				e->fn(e->arg, e->channel, NULL);
			}
		if (c->state == CONN_DOWN)
			return;
		if (c->state == CONN_READY)
			listener_send(c); /* channels added meanwhile */
	}
	while (c->state != CONN_DOWN && (n = PQnotifies(c->pg))) {
		for (struct listen_entry *e = p->listens; e; e = e->next)
			if (e->active && strcmp(e->channel, n->relname) == 0)
				e->fn(e->arg, n->relname, n->extra);
		PQfreemem(n);
	}
	if (c->state != CONN_DOWN && PQstatus(c->pg) == CONNECTION_BAD)
		conn_fail(c, PQerrorMessage(c->pg));
}

/* --- the pool -------------------------------------------------------------- */

static void free_params(struct db_pool *p)
{
	for (size_t i = 0; p->kw && p->vals && p->kw[i]; i++) {
		free(p->kw[i]);
		free(p->vals[i]);
	}
	free(p->kw);
	free(p->vals);
	p->kw = p->vals = NULL;
}

/* Builds p->kw/p->vals from the connection string (URI or key=value), with
 * application_name and the statement timeout (in `options`) added. Returns 0,
 * or -1 with err filled. */
static int build_params(struct db_pool *p, const struct db_pool_options *opt, char *err,
                        size_t errlen)
{
	int rc = -1;
	char *perr = NULL, *options = NULL;
	const char *app = opt->application_name;
	const char *conn_options = NULL;
	size_t n = 0, k = 0;
	PQconninfoOption *ci = PQconninfoParse(opt->conninfo, &perr);

	if (!ci) {
		char line[REASON_MAX];
		one_line(line, sizeof line, perr ? perr : "out of memory");
		snprintf(err, errlen, "bad conninfo: %s", line);
		goto done;
	}
	for (PQconninfoOption *o = ci; o->keyword; o++) {
		if (!o->val)
			continue;
		if (strcmp(o->keyword, "options") == 0)
			conn_options = o->val;
		else if (strcmp(o->keyword, "application_name") == 0) {
			if (!app || !*app)
				app = o->val;
		}
		n++;
	}
	if (opt->statement_timeout_ms > 0) {
		size_t len = (conn_options ? strlen(conn_options) : 0) + 64;
		if (!(options = malloc(len)))
			goto oom;
		snprintf(options, len, "%s%s-c statement_timeout=%d", conn_options ? conn_options : "",
		         conn_options && *conn_options ? " " : "", opt->statement_timeout_ms);
	} else if (conn_options && !(options = strdup(conn_options))) {
		goto oom;
	}
	n += 2;
	if (!(p->kw = calloc(n + 1, sizeof *p->kw)) || !(p->vals = calloc(n + 1, sizeof *p->vals)))
		goto oom;
	for (PQconninfoOption *o = ci; o->keyword; o++) {
		if (!o->val || strcmp(o->keyword, "options") == 0 ||
		    strcmp(o->keyword, "application_name") == 0)
			continue;
		if (!(p->kw[k] = strdup(o->keyword)) || !(p->vals[k] = strdup(o->val)))
			goto oom;
		k++;
	}
	if (app && *app) {
		if (!(p->kw[k] = strdup("application_name")) || !(p->vals[k] = strdup(app)))
			goto oom;
		k++;
	}
	if (options) {
		if (!(p->kw[k] = strdup("options")))
			goto oom;
		p->vals[k++] = options;
		options = NULL;
	}
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory");
	free_params(p);
done:
	free(options);
	if (perr)
		PQfreemem(perr);
	if (ci)
		PQconninfoFree(ci);
	return rc;
}

static int conn_init(struct db_pool *p, struct conn *c, int id, int listener)
{
	c->pool = p;
	c->id = id;
	c->listener = listener;
	c->state = CONN_DOWN;
	c->first_attempt = 1;
	c->fd = -1;
	c->backoff_ms = BACKOFF_MIN_MS;
	c->timer = evtimer_new(p->base, conn_timer, c);
	return c->timer ? 0 : -1;
}

static void conn_destroy(struct conn *c)
{
	conn_close(c);
	if (c->timer)
		event_free(c->timer);
	c->timer = NULL;
}

/* Creates the pool and starts every connection. Returns NULL with err filled
 * on bad options or out of memory. The caller frees it with db_pool_free(). */
struct db_pool *db_pool_new(struct event_base *base, const struct db_pool_options *opt,
                            char *err, size_t errlen)
{
	struct db_pool *p = NULL;

	if (!base || !opt || !opt->conninfo) {
		snprintf(err, errlen, "no event base or no conninfo");
		goto fail;
	}
	if (opt->size < 1 || opt->size > 1000 || opt->queue_max < 0 || opt->statement_timeout_ms < 0 ||
	    opt->pipeline_depth < 0 || opt->pipeline_depth > 64) {
		snprintf(err, errlen,
		         "bad pool options: size %d (1..1000), queue %d, timeout %d ms, depth %d (0..64)",
		         opt->size, opt->queue_max, opt->statement_timeout_ms, opt->pipeline_depth);
		goto fail;
	}
	if (!(p = calloc(1, sizeof *p)))
		goto oom;
	p->base = base;
	p->size = opt->size;
	p->depth = opt->pipeline_depth > 1 ? opt->pipeline_depth : 1;
	p->queue_max = opt->queue_max;
	if (build_params(p, opt, err, errlen) < 0)
		goto fail;
	if (!(p->kick = event_new(base, -1, 0, pool_kick, p)) ||
	    !(p->conns = calloc((size_t)p->size, sizeof *p->conns)))
		goto oom;
	for (int i = 0; i < p->size; i++)
		if (conn_init(p, &p->conns[i], i + 1, 0) < 0)
			goto oom;
	for (int i = 0; i < p->size; i++)
		conn_start(&p->conns[i]);
	return p;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	db_pool_free(p);
	return NULL;
}

/* Frees the pool. The running and queued queries get DB_UNAVAILABLE first,
 * synchronously, from inside this call; db_query() and db_pool_listen()
 * called from those callbacks are refused. Safe with NULL. */
void db_pool_free(struct db_pool *pool)
{
	const char *why = "the pool is shutting down";
	if (!pool)
		return;
	pool->closing = 1;
	for (int i = 0; pool->conns && i < pool->size; i++)
		fail_list(conn_detach(&pool->conns[i]), why);
	fail_queue(pool, why);
	for (int i = 0; pool->conns && i < pool->size; i++)
		conn_destroy(&pool->conns[i]);
	free(pool->conns);
	if (pool->lconn) {
		conn_destroy(pool->lconn);
		free(pool->lconn);
	}
	while (pool->listens) {
		struct listen_entry *e = pool->listens;
		pool->listens = e->next;
		free(e->channel);
		free(e);
	}
	if (pool->kick)
		event_free(pool->kick);
	free_params(pool);
	free(pool);
}

/* Submits stmt. With the queue empty and a connection idle, the query is
 * written at once; otherwise it waits at the back of the queue, and when a
 * busy connection has room in its pipeline the kick event hands it over from
 * the loop (a send that fails there fails that connection's queries in
 * flight, whose callbacks must not run inside this call). The parameters are
 * copied. Bad arguments (no stmt or cb, nparams out of 0..65535) are a
 * programming error and abort. */
enum db_submit db_query(struct db_pool *pool, const struct db_stmt *stmt, int nparams,
                        const char *const *params, db_done_fn *cb, void *arg)
{
	struct query *q;
	struct conn *c;
	int room;

	if (!pool || !stmt || !stmt->name || !stmt->sql || !cb || nparams < 0 ||
	    nparams > PARAMS_MAX || (nparams > 0 && !params)) {
		fprintf(stderr, "db: db_query called with bad arguments (%s)\n",
		        stmt && stmt->name ? stmt->name : "no statement");
		abort();
	}
	if (pool->closing || pool_down(pool))
		return DB_SUBMIT_DOWN;
	c = pool->qhead ? NULL : ready_conn(pool);
	room = !pool->qhead && idle_conn(pool, stmt) != NULL; /* a pipeline slot, taken from the kick */
	if (!c && !room && pool->nqueued >= pool->queue_max)
		return DB_SUBMIT_FULL;
	if (!(q = query_new(stmt, nparams, params, cb, arg)))
		return DB_SUBMIT_FULL; /* out of memory: "try again later" fits */
	for (; c; c = ready_conn(pool)) {
		if (conn_send(c, q) == 0)
			return DB_SUBMIT_OK;
		conn_fail(c, PQerrorMessage(c->pg)); /* idle: no query in flight, no callback */
	}
	if (pool_down(pool)) {
		query_free(q);
		return DB_SUBMIT_DOWN;
	}
	if (!room && pool->nqueued >= pool->queue_max) {
		query_free(q);
		return DB_SUBMIT_FULL;
	}
	queue_push_back(pool, q);
	if (room)
		event_active(pool->kick, EV_TIMEOUT, 0);
	return DB_SUBMIT_OK;
}

void db_pool_stats(const struct db_pool *pool, struct db_pool_stats *out)
{
	out->size = pool->size;
	out->connected = pool->nconnected;
	out->busy = pool->nbusy;
	out->waiting = pool->nqueued;
}

int db_pool_ready(const struct db_pool *pool)
{
	return pool->nconnected > 0;
}

/* Adds a LISTEN on channel (copied; 1..63 characters) to the pool's listen
 * connection, making and starting that connection on first use. fn is called
 * with payload NULL each time the LISTEN takes effect — after the first
 * connect and after every reconnect — and with the payload for each
 * notification. Returns 0, or -1 on bad arguments, out of memory or a pool
 * that is shutting down. */
int db_pool_listen(struct db_pool *pool, const char *channel, db_notify_fn *fn, void *arg)
{
	struct listen_entry *e = NULL;
	size_t len = channel ? strlen(channel) : 0;
	int start = 0;

	if (!pool || pool->closing || !fn || len == 0 || len > CHANNEL_MAX)
		return -1;
	if (!(e = calloc(1, sizeof *e)) || !(e->channel = strdup(channel)))
		goto fail;
	e->fn = fn;
	e->arg = arg;
	if (!pool->lconn) {
		if (!(pool->lconn = calloc(1, sizeof *pool->lconn)))
			goto fail;
		if (conn_init(pool, pool->lconn, 0, 1) < 0) {
			free(pool->lconn);
			pool->lconn = NULL;
			goto fail;
		}
		start = 1;
	}
	if (pool->listens_tail)
		pool->listens_tail->next = e;
	else
		pool->listens = e;
	pool->listens_tail = e;
	if (start)
		conn_start(pool->lconn);
	else if (pool->lconn->state == CONN_READY)
		listener_send(pool->lconn);
	/* otherwise the LISTEN goes out when the connection is READY */
	return 0;
fail:
	if (e)
		free(e->channel);
	free(e);
	return -1;
}

/* --- reading results ------------------------------------------------------- */

/* The text of column in row, or NULL for SQL NULL, a missing column or row. */
const char *db_value(const PGresult *res, int row, const char *column)
{
	int col;
	if (!res || !column || row < 0 || row >= PQntuples(res))
		return NULL;
	if ((col = PQfnumber(res, column)) < 0 || PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

/* The column as a whole decimal integer, or dflt if NULL, missing or not one. */
long long db_value_ll(const PGresult *res, int row, const char *column, long long dflt)
{
	const char *v = db_value(res, row, column);
	char *end;
	long long n;
	if (!v || !*v)
		return dflt;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end)
		return dflt;
	return n;
}

/* 1 if the column is boolean true ("t"), 0 otherwise (false, NULL, missing). */
int db_value_bool(const PGresult *res, int row, const char *column)
{
	const char *v = db_value(res, row, column);
	return v && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0);
}

/* The linker's bounds of the section DB_STMT puts every statement in. */
extern const struct db_stmt __start_wms_db_stmts[] __attribute__((weak));
extern const struct db_stmt __stop_wms_db_stmts[] __attribute__((weak));

const struct db_stmt *db_stmt_first(void) { return __start_wms_db_stmts; }
const struct db_stmt *db_stmt_end(void) { return __stop_wms_db_stmts; }
