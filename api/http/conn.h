/* conn.h — the connections evhttp accepts, followed from accept to close: counted and
 * capped (accepting pauses at WMS_MAX_CONNECTIONS and when descriptors run out, instead of
 * spinning), a deadline for receiving each request (WMS_REQUEST_TIMEOUT) that trickling
 * bytes does not extend, and problem+json for what libevent's HTTP parser refuses. */
#ifndef WMS_API_CONN_H
#define WMS_API_CONN_H

struct config;
struct event_base;
struct evconnlistener;
struct evhttp;
struct evhttp_request;

struct conn_set; /* every connection of one evhttp */
struct conn;     /* one connection */

/* Descriptors the default cap leaves to the server itself: standard streams, the
 * listener, epoll, libevent's signal pipe, the workers' eventfd, the pool's LISTEN
 * connection and reconnects, log files. */
#define CONN_RESERVED_FDS 32

/* The default WMS_MAX_CONNECTIONS: what nofile descriptors (RLIMIT_NOFILE) leave after
 * db_pool database connections and CONN_RESERVED_FDS; at least 1. */
int conn_default_max(long nofile, int db_pool);

/* Follows every connection http accepts from now on (installs evhttp's bufferevent
 * callback), at most max_connections open at a time, each request to arrive within
 * cfg->request_timeout_s. cfg must outlive the set. Returns NULL when out of memory.
 * Free with conn_set_free() after evhttp_free(http). */
struct conn_set *conn_set_new(struct event_base *base, struct evhttp *http,
                              const struct config *cfg, int max_connections);
/* Takes charge of lev, the listener http accepts on: paused at the cap, and when accept()
 * fails (out of descriptors) until a connection closes or 100 ms have passed. One listener
 * per process. */
void conn_set_listen(struct conn_set *set, struct evconnlistener *lev);
/* Lets go of the listener; call before it is freed (evhttp_del_accept_socket, evhttp_free). */
void conn_set_stop_listening(struct conn_set *set);
/* Frees set (NULL is fine); call after evhttp_free(). */
void conn_set_free(struct conn_set *set);

/* The request ev arrived whole and goes to its handler: the connection's deadline stops
 * until the reply is written, and gone(arg) runs if the connection closes before
 * conn_request_replied(). Returns the connection, or NULL when the set does not follow it
 * (memory ran out when it was accepted): the caller answers at once. */
struct conn *conn_request_begin(struct conn_set *set, struct evhttp_request *ev,
                                void (*gone)(void *arg), void *arg);
/* The reply to the connection's request is handed to evhttp: gone() no longer runs. */
void conn_request_replied(struct conn *k);

#endif
