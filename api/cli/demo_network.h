/* demo_network.h — `wmsd demo`'s example lane network (see demo_network.c). */
#ifndef WMS_API_DEMO_NETWORK_H
#define WMS_API_DEMO_NETWORK_H

#include <stddef.h>
#include <libpq-fe.h>

/* Replaces the lane network with the demo one (and adds the demo's second hub warehouse).
 * Blocking (CLI), on conn, which has the demo warehouses already. Returns 0, or -1 with
 * err filled. */
int demo_network_load(PGconn *conn, char *err, size_t errlen);

/* The demo document (JSON, as PUT /v1/network takes), for tools and tests: a new string
 * the caller frees, or NULL when out of memory. */
char *demo_network_document(void);

#endif
