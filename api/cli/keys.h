/* keys.h — `wmsd key create|revoke`: issuing and revoking API keys. */
#ifndef WMS_API_KEYS_H
#define WMS_API_KEYS_H

#include <stddef.h>
#include <libpq-fe.h>

#include "api/http/auth.h"

/* Creates a key for role on an open connection (blocking; CLI only). scope is
 * the seller (id or code) for sellers, the warehouse code for staff, the
 * carrier code for carriers (the carrier is registered if new), else NULL.
 * Writes the key (shown once; only its SHA-256 is stored) and its id.
 * Returns 0 or -1 with err filled. */
int keys_create(PGconn *conn, enum auth_role role, const char *scope, const char *label,
                char key[AUTH_KEY_LEN + 1], char id[37], char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* Revokes the key with this id. Returns 0, or -1 (unknown or already revoked). */
int keys_revoke(PGconn *conn, const char *id, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* The `wmsd key ...` command line. Returns the exit code. */
int keys_main(const char *conninfo, int argc, char **argv);

#endif
