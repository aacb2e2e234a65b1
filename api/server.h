/* server.h — `wmsd serve`: the HTTP server's lifecycle. */
#ifndef WMS_API_SERVER_H
#define WMS_API_SERVER_H

struct config;

/* Checks the schema, opens the pool, listens, serves until SIGTERM/SIGINT,
 * then stops accepting, waits for in-flight requests (up to the grace
 * period), closes the pool. Returns the process exit code. */
int server_run(const struct config *cfg);

#endif
