/* conn.c — the connections evhttp accepts, followed from accept to close.
 *
 * libevent 2.1 has no callback for a new connection, no cap (evhttp_set_max_connections
 * is 2.2), no deadline for receiving a request (the read timeout starts again with every
 * byte) and no hook for its own error pages (evhttp_set_errorcb is 2.2). What it has, and
 * how it is used here:
 *
 * - evhttp_set_bevcb: evhttp asks for each accepted connection's bufferevent. It is made
 *   as evhttp makes its own (a socket bufferevent; evhttp closes the socket), the
 *   connection is counted, and its input and output buffers are watched (evbuffer
 *   callbacks; evhttp uses none).
 * - evhttp ties the bufferevent to its connection right after. An event later in the
 *   same loop iteration ("adopt") finds the connection as the bufferevent's callback
 *   argument (evhttp passes its connection there; nothing else reaches a connection
 *   before its first request) and installs the close callback that counts it out. A
 *   reference on the bufferevent keeps it readable until then, even when evhttp drops the
 *   connection at once.
 * - The deadline is a timer per connection (a common timeout: constant time to add and
 *   delete) that runs while a request is arriving: from the accept for the first request,
 *   from the first byte of each later one; it stops when the request goes to its handler
 *   and a keep-alive connection idles without it. On expiry the connection gets a 408
 *   problem, when its socket takes it, and is closed.
 * - Accepting pauses (evconnlistener_disable) at the cap and when accept() fails (the
 *   listener's error callback: out of descriptors), with at most one warning a second,
 *   and resumes when a connection closes or 100 ms later.
 * - What evhttp writes while a request is arriving can only be its own answer: an HTML
 *   error page for what its parser refuses (400, 413, 417, 501), or "100 Continue". The
 *   output callback notices, and an event that runs before the loop next writes to
 *   sockets replaces a page by a problem+json answer with the same status.
 */
#include "api/http/conn.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "api/http/config.h"
#include "api/http/log.h"
#include "api/http/problem.h"

enum conn_state {
	CONN_ACCEPTED, /* evhttp made it this loop iteration; not adopted yet */
	CONN_READING,  /* a request is arriving: the deadline runs */
	CONN_HANDLING, /* its request is with a handler, or the reply is being written */
	CONN_IDLE,     /* between requests (keep-alive): WMS_TIMEOUT governs */
};

struct conn {
	struct conn_set *set;
	struct bufferevent *bev;
	struct evhttp_connection *evcon; /* NULL until adopted */
	int fd;                          /* -1 until adopted */
	enum conn_state state;
	struct event *deadline;
	struct event *fix;               /* replaces evhttp's error page; made when first needed */
	int fixing;                      /* fix is scheduled, or evhttp's page was replaced */
	int refused;                     /* evhttp answered the request itself */
	struct evbuffer_cb_entry *in_cb, *out_cb;
	void (*gone)(void *);            /* while a handler has the request */
	void *gone_arg;
	struct conn *next_accepted;
};

struct conn_set {
	struct event_base *base;
	const struct config *cfg;
	int max, open;
	const struct timeval *deadline_tv; /* a common timeout of base, or &deadline_plain */
	struct timeval deadline_plain;
	struct event *adopt;
	struct conn *accepted;             /* waiting for adopt */
	struct conn **by_fd;               /* adopted connections by socket */
	size_t nslots;
	struct evconnlistener *lev;        /* NULL when not accepting */
	int paused;
	struct event *backoff;             /* after accept() failed */
	double warned_ms;                  /* when the last warning was logged */
	long held_back;                    /* warnings not logged since */
};

/* The listener's error callback gets evhttp's argument, not ours: the set in charge of
 * the one listener of this process. */
static struct conn_set *listening;

int conn_default_max(long nofile, int db_pool)
{
	long m = nofile - db_pool - CONN_RESERVED_FDS;
	return m < 1 ? 1 : m > INT_MAX ? INT_MAX : (int)m;
}

static double mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Logs a warning unless one was logged less than a second ago; those held back are
 * counted in the next one. */
static void warn_limited(struct conn_set *set, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn_limited(struct conn_set *set, const char *fmt, ...)
{
	double now = mono_ms();
	if (set->warned_ms && now - set->warned_ms < 1000) {
		set->held_back++;
		return;
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (set->held_back)
		log_warn("%s (%ld more like it not logged)", msg, set->held_back);
	else
		log_warn("%s", msg);
	set->warned_ms = now;
	set->held_back = 0;
}

static void accept_pause(struct conn_set *set)
{
	if (set->lev && !set->paused) {
		evconnlistener_disable(set->lev);
		set->paused = 1;
	}
}

/* Accepts again when paused and below the cap; ends a back-off. Runs when a connection
 * closes (a descriptor is free again) and when the back-off is over. */
static void accept_resume(struct conn_set *set)
{
	if (!set->lev || !set->paused || set->open >= set->max)
		return;
	event_del(set->backoff);
	evconnlistener_enable(set->lev);
	set->paused = 0;
}

static void on_backoff(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	accept_resume(arg);
}

/* accept() failed with something other than "try again", mostly EMFILE or ENFILE: the
 * pending connection stays in the backlog and the listener would be ready again at once,
 * so accepting pauses. */
static void on_accept_error(struct evconnlistener *lev, void *arg)
{
	(void)lev, (void)arg;
	int err = EVUTIL_SOCKET_ERROR();
	struct conn_set *set = listening;
	if (!set)
		return;
	static const struct timeval backoff = {0, 100000};
	accept_pause(set);
	event_add(set->backoff, &backoff);
	warn_limited(set, "cannot accept connections: %s (%d open); trying again in 100 ms or when "
	             "one closes", evutil_socket_error_to_string(err), set->open);
}

/* Every change of a connection's state; starts and stops its deadline. */
static void conn_set_state(struct conn *k, enum conn_state to)
{
	switch (to) {
	case CONN_READING:
		if (k->state == CONN_READING)
			abort();
		event_add(k->deadline, k->set->deadline_tv);
		break;
	case CONN_HANDLING:
		if (k->state != CONN_READING)
			abort();
		event_del(k->deadline);
		break;
	case CONN_IDLE:
		if (k->state != CONN_HANDLING)
			abort();
		break;
	case CONN_ACCEPTED:
		abort();
	}
	k->state = to;
}

/* "address:port" of k's peer in buf. */
static const char *peer(const struct conn *k, char *buf, size_t size)
{
	char *addr = NULL;
	ev_uint16_t port = 0;
	evhttp_connection_get_peer(k->evcon, &addr, &port);
	snprintf(buf, size, "%s:%u", addr ? addr : "?", (unsigned)port);
	return buf;
}

/* Appends a whole HTTP/1.1 answer to out: a problem+json body of type t (its status from the
 * catalogue) with detail, Connection: close. Returns 0, or -1 when out of memory. */
static int add_problem_answer(struct evbuffer *out, enum problem_type t, const char *detail)
{
	int status = problem_status(t);
	cJSON *doc = problem_new(t, detail);
	char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (!text)
		return -1;
	size_t len = strlen(text);
	int rc = evbuffer_add_printf(out,
	                             "HTTP/1.1 %d %s\r\nContent-Type: application/problem+json\r\n"
	                             "Content-Length: %zu\r\n%sConnection: close\r\n\r\n",
	                             status, problem_reason(status), len,
	                             status == 503 ? "Retry-After: 1\r\n" : "") < 0 ||
	                 evbuffer_add(out, text, len) != 0
	             ? -1
	             : 0;
	cJSON_free(text);
	return rc;
}

/* Writes the 408 straight to the socket, unless evhttp answered the request already or is
 * writing, and if the socket takes it now; what the client sent meanwhile is read first,
 * so that closing sends FIN, not RST (which may destroy the answer before it is read). */
static void answer_timeout(struct conn *k)
{
	char detail[96], junk[4096];
	struct evbuffer *msg;
	if (k->refused || evbuffer_get_length(bufferevent_get_output(k->bev)) != 0 ||
	    !(msg = evbuffer_new()))
		return;
	for (int i = 0; i < 16 && recv(k->fd, junk, sizeof junk, MSG_DONTWAIT) > 0; i++)
		;
	snprintf(detail, sizeof detail, "the request did not arrive completely within %d s",
	         k->set->cfg->request_timeout_s);
	if (add_problem_answer(msg, PROBLEM_REQUEST_TIMEOUT, detail) == 0) {
		size_t len = evbuffer_get_length(msg);
		const unsigned char *p = evbuffer_pullup(msg, -1);
		if (p && send(k->fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			log_debug("408 not sent: %s", strerror(errno));
	}
	evbuffer_free(msg);
}

/* k's request did not arrive in time: a 408 if it can be written, then the connection
 * closes (evhttp frees it and whatever part of the request it holds). */
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct conn *k = arg;
	char who[80];
	if (k->state != CONN_READING)
		abort();
	answer_timeout(k);
	log_info("connection %s: no complete request within %d s; closed",
	         peer(k, who, sizeof who), k->set->cfg->request_timeout_s);
	evhttp_connection_free(k->evcon); /* on_close() frees k */
}

/* The problem type and detail for a status evhttp answers by itself: false for a status it
 * is not known to answer (its page then goes out as it is). */
static bool refusal(const struct config *cfg, int status, enum problem_type *t, char *detail,
                    size_t size)
{
	detail[0] = '\0';
	switch (status) {
	case 400:
		snprintf(detail, size, "the request line or a header is malformed, or the headers "
		         "exceed %ld bytes", cfg->max_headers);
		*t = PROBLEM_MALFORMED;
		return true;
	case 413:
		snprintf(detail, size, "the body exceeds %ld bytes", cfg->max_body);
		*t = PROBLEM_TOO_LARGE;
		return true;
	case 417:
		snprintf(detail, size, "the only expectation supported is Expect: 100-continue");
		*t = PROBLEM_EXPECTATION_FAILED;
		return true;
	case 501:
		snprintf(detail, size, "the request method is not supported");
		*t = PROBLEM_NOT_IMPLEMENTED;
		return true;
	case 503:
		snprintf(detail, size, "out of memory");
		*t = PROBLEM_OVERLOADED;
		return true;
	}
	return false;
}

/* Runs right after evhttp wrote its own answer to k's output buffer and before the loop
 * sends it: an error page (status 400 or more) is replaced by problem+json. */
static void on_fix(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct conn *k = arg;
	struct evbuffer *out = bufferevent_get_output(k->bev), *mine = NULL;
	size_t len = evbuffer_get_length(out);
	const unsigned char *h = len > 13 && k->state == CONN_READING ? evbuffer_pullup(out, 13) : NULL;
	int status = 0;
	if (h && memcmp(h, "HTTP/1.", 7) == 0 && h[8] == ' ' && h[12] == ' ')
		for (int i = 9; i < 12 && status >= 0; i++)
			status = h[i] >= '0' && h[i] <= '9' ? status * 10 + (h[i] - '0') : -1;
	if (status < 400) { /* "100 Continue": a page may still come */
		k->fixing = 0;
		return;
	}
	char detail[160], who[80];
	enum problem_type t;
	k->refused = 1; /* evhttp closes the connection once its answer is written (but after
	                 * CONNECT: the deadline does) */
	if (!refusal(k->set->cfg, status, &t, detail, sizeof detail))
		return;
	if (!(mine = evbuffer_new()) ||
	    add_problem_answer(mine, t, detail[0] ? detail : NULL) != 0) {
		if (mine)
			evbuffer_free(mine); /* out of memory: evhttp's page goes out */
		return;
	}
	evbuffer_drain(out, len);
	evbuffer_add_buffer(out, mine);
	evbuffer_free(mine);
	log_info("connection %s: answered %d before any handler (libevent refused the request)",
	         peer(k, who, sizeof who), status);
}

/* Something was added to k's output buffer. While a request is arriving that can only be
 * evhttp answering by itself: on_fix() looks at it before the loop sends it. */
static void on_output(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	struct conn *k = arg;
	if (!info->n_added || k->state != CONN_READING || k->fixing)
		return;
	if (!k->fix && !(k->fix = event_new(k->set->base, -1, 0, on_fix, k)))
		return; /* out of memory: evhttp's page goes out */
	k->fixing = 1;
	event_active(k->fix, EV_TIMEOUT, 1);
}

/* The first byte of a request on an idle keep-alive connection starts its deadline. */
static void on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	struct conn *k = arg;
	if (info->n_added && k->state == CONN_IDLE)
		conn_set_state(k, CONN_READING);
}

/* Forgets k and frees it: the connection is closing, or never became one. */
static void conn_drop(struct conn *k)
{
	struct conn_set *set = k->set;
	evbuffer_remove_cb_entry(bufferevent_get_input(k->bev), k->in_cb);
	evbuffer_remove_cb_entry(bufferevent_get_output(k->bev), k->out_cb);
	event_free(k->deadline);
	if (k->fix)
		event_free(k->fix);
	if (k->fd >= 0 && (size_t)k->fd < set->nslots && set->by_fd[k->fd] == k)
		set->by_fd[k->fd] = NULL;
	free(k);
	set->open--;
	accept_resume(set);
}

/* evhttp frees k's connection: a handler waiting on its behalf learns it, k goes. */
static void on_close(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	struct conn *k = arg;
	if (k->gone)
		k->gone(k->gone_arg);
	conn_drop(k);
}

/* Files k under its socket. Returns 0, or -1 when out of memory. */
static int slot_put(struct conn_set *set, struct conn *k)
{
	size_t fd = (size_t)k->fd;
	if (fd >= set->nslots) {
		size_t n = set->nslots ? set->nslots : 256;
		while (n <= fd)
			n *= 2;
		struct conn **grown = realloc(set->by_fd, n * sizeof *grown);
		if (!grown)
			return -1;
		memset(grown + set->nslots, 0, (n - set->nslots) * sizeof *grown);
		set->by_fd = grown;
		set->nslots = n;
	}
	set->by_fd[fd] = k;
	return 0;
}

/* Ties k to the connection evhttp made around its bufferevent, and starts the deadline of
 * its first request. A connection that cannot be followed is closed. */
static void adopt(struct conn *k)
{
	struct bufferevent *bev = k->bev;
	bufferevent_event_cb eventcb = NULL;
	void *evcon = NULL;
	bufferevent_getcb(bev, NULL, NULL, &eventcb, &evcon);
	if (!eventcb) {
		/* evhttp freed it at once (out of memory, or epoll refused the socket); its closed
		 * descriptor may already be another connection's: stop watching it */
		bufferevent_disable(bev, EV_READ | EV_WRITE);
		conn_drop(k);
		bufferevent_decref(bev);
		return;
	}
	k->evcon = evcon;
	k->fd = bufferevent_getfd(bev);
	if (k->fd < 0 || slot_put(k->set, k) != 0) {
		conn_drop(k);
		bufferevent_decref(bev);
		evhttp_connection_free(evcon);
		return;
	}
	evhttp_connection_set_closecb(k->evcon, on_close, k);
	bufferevent_decref(bev);
	conn_set_state(k, CONN_READING);
}

static void on_adopt(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct conn_set *set = arg;
	for (struct conn *k; (k = set->accepted) != NULL;) {
		set->accepted = k->next_accepted;
		adopt(k);
	}
}

/* evhttp's bufferevent callback, once per accepted connection. NULL (out of memory) makes
 * evhttp use a bufferevent of its own: that connection is served but not followed. */
static struct bufferevent *on_new_connection(struct event_base *base, void *arg)
{
	struct conn_set *set = arg;
	struct conn *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->set = set;
	k->fd = -1;
	k->state = CONN_ACCEPTED;
	if (!(k->bev = bufferevent_socket_new(base, -1, 0)) ||
	    !(k->deadline = evtimer_new(base, on_deadline, k)) ||
	    !(k->in_cb = evbuffer_add_cb(bufferevent_get_input(k->bev), on_input, k)) ||
	    !(k->out_cb = evbuffer_add_cb(bufferevent_get_output(k->bev), on_output, k))) {
		if (k->deadline)
			event_free(k->deadline);
		if (k->bev)
			bufferevent_free(k->bev); /* its buffers' callbacks go with it */
		free(k);
		return NULL;
	}
	bufferevent_incref(k->bev); /* until adopt() */
	k->next_accepted = set->accepted;
	set->accepted = k;
	event_active(set->adopt, EV_TIMEOUT, 1);
	if (++set->open >= set->max) {
		accept_pause(set);
		warn_limited(set, "%d connections open (WMS_MAX_CONNECTIONS): new ones wait in the "
		             "listen backlog until one closes", set->open);
	}
	return k->bev;
}

/* evhttp wrote the reply: the connection idles, or the next request, already (partly)
 * here, is arriving. */
static void on_reply_written(struct evhttp_request *ev, void *arg)
{
	(void)ev;
	struct conn *k = arg;
	int more = evbuffer_get_length(bufferevent_get_input(k->bev)) > 0;
	conn_set_state(k, more ? CONN_READING : CONN_IDLE);
}

struct conn_set *conn_set_new(struct event_base *base, struct evhttp *http,
                              const struct config *cfg, int max_connections)
{
	struct conn_set *set = calloc(1, sizeof *set);
	if (!set)
		return NULL;
	set->base = base;
	set->cfg = cfg;
	set->max = max_connections;
	set->deadline_plain = (struct timeval){cfg->request_timeout_s, 0};
	set->deadline_tv = event_base_init_common_timeout(base, &set->deadline_plain);
	if (!set->deadline_tv)
		set->deadline_tv = &set->deadline_plain;
	if (!(set->adopt = event_new(base, -1, 0, on_adopt, set)) ||
	    !(set->backoff = evtimer_new(base, on_backoff, set))) {
		conn_set_free(set);
		return NULL;
	}
	evhttp_set_bevcb(http, on_new_connection, set);
	return set;
}

void conn_set_listen(struct conn_set *set, struct evconnlistener *lev)
{
	set->lev = lev;
	listening = set;
	evconnlistener_set_error_cb(lev, on_accept_error);
}

void conn_set_stop_listening(struct conn_set *set)
{
	set->lev = NULL;
	set->paused = 0;
	event_del(set->backoff);
	if (listening == set)
		listening = NULL;
}

void conn_set_free(struct conn_set *set)
{
	if (!set)
		return;
	if (set->backoff)
		conn_set_stop_listening(set);
	on_adopt(-1, 0, set); /* those evhttp made last; evhttp_free() has freed them */
	if (set->adopt)
		event_free(set->adopt);
	if (set->backoff)
		event_free(set->backoff);
	free(set->by_fd);
	free(set);
}

struct conn *conn_request_begin(struct conn_set *set, struct evhttp_request *ev,
                                void (*gone)(void *arg), void *arg)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	int fd = bev ? bufferevent_getfd(bev) : -1;
	struct conn *k = fd >= 0 && (size_t)fd < set->nslots ? set->by_fd[fd] : NULL;
	if (!k || k->evcon != evcon)
		return NULL;
	conn_set_state(k, CONN_HANDLING);
	k->gone = gone;
	k->gone_arg = arg;
	evhttp_request_set_on_complete_cb(ev, on_reply_written, k);
	return k;
}

void conn_request_replied(struct conn *k)
{
	k->gone = NULL;
	k->gone_arg = NULL;
}
