/* idem.h — the Idempotency-Key of create endpoints (DESIGN §4): the same key
 * and body replay the stored answer; the same key with another body is 422;
 * a repeat while the first is still running is 409.
 *
 * A create statement takes part in three ways (see h_inbound.c for one):
 *  1. it takes a transaction-level advisory lock on the key and, when the key
 *     was used before (visible in its snapshot), skips the create and answers
 *     the stored row;
 *  2. in the same statement it inserts the answer into idempotency_keys, so
 *     the object and its stored answer commit together;
 *  3. it returns IDEM_COLUMNS (outcome 'created' | 'replay' | 'busy' |
 *     'mismatch', prior_status, prior_body) and its own status and body.
 * IDEM_CTES, IDEM_PROCEED, IDEM_STORE_CTE and IDEM_COLUMNS are the SQL
 * fragments, with the parameters $1 scope, $2 key, $3 request hash (key NULL
 * = no Idempotency-Key: the create runs and nothing is stored).
 * A key that a concurrent request committed after this statement's snapshot
 * makes the insert fail with a unique violation on idempotency_keys_pkey:
 * idem_lookup_or_reply() then answers from the stored row. */
#ifndef WMS_API_IDEM_H
#define WMS_API_IDEM_H

#include "api/db/db.h"

struct api_req;

struct idem {
	char scope[48];  /* "seller:<uuid>" or "key:<uuid>" */
	const char *key; /* the header's value, or NULL */
	char hash[65];   /* SHA-256 of method, path and body, hex */
};

/* The prior answer under this key (visible in the snapshot), and the claim:
 * got is false when a concurrent transaction holds the key. */
#define IDEM_CTES                                                                                 \
	"idem_prior AS (SELECT i.request_hash, i.status, i.response FROM idempotency_keys i"         \
	"  WHERE $2::text IS NOT NULL AND i.scope = $1 AND i.key = $2),"                              \
	"idem_claim AS (SELECT ($2::text IS NULL OR"                                                  \
	"  pg_try_advisory_xact_lock(hashtextextended($1 || '/' || $2, 7))) AS got,"                  \
	"  EXISTS (SELECT 1 FROM idem_prior) AS used)"

/* True (in SQL) when the create should run. */
#define IDEM_PROCEED "(SELECT got AND NOT used FROM idem_claim)"

/* Stores the answer (status, and body as a jsonb expression) when created. */
#define IDEM_STORE_CTE(status_sql, body_sql)                                                      \
	"idem_store AS (INSERT INTO idempotency_keys (scope, key, request_hash, status, response)"   \
	"  SELECT $1, $2, $3, " status_sql ", " body_sql                                              \
	"  WHERE $2::text IS NOT NULL AND " IDEM_PROCEED " RETURNING 1)"

/* The final SELECT's columns: outcome, and the prior answer for a replay. */
#define IDEM_COLUMNS                                                                              \
	"CASE WHEN NOT (SELECT got FROM idem_claim) THEN 'busy'"                                      \
	"     WHEN (SELECT used FROM idem_claim) THEN"                                                \
	"       CASE WHEN (SELECT request_hash = $3 FROM idem_prior) THEN 'replay' ELSE 'mismatch' END" \
	"     ELSE 'created' END AS outcome,"                                                         \
	" (SELECT status FROM idem_prior) AS prior_status,"                                           \
	" (SELECT response::text FROM idem_prior) AS prior_body"

/* Reads the Idempotency-Key header into out (key NULL when absent) and hashes
 * the request. A key that is empty, longer than 255 or not printable ASCII
 * is answered 400 and -1 is returned; else 0. */
int idem_begin_or_reply(struct api_req *r, struct idem *out) __attribute__((warn_unused_result));

/* Answers from a create statement's IDEM_COLUMNS unless its outcome is
 * 'created': replay → the stored answer with "Idempotent-Replayed: true";
 * busy → 409; mismatch → 422; a unique violation of idempotency_keys_pkey (a
 * concurrent twin committed first) → looks the stored answer up and replays
 * it; other failures → api_reply_db_error. Returns 1 when it answered, 0 when
 * the object was created and the caller answers (from its own columns). */
int idem_reply_unless_created(struct api_req *r, const struct idem *idem,
                              const struct db_reply *rep) __attribute__((warn_unused_result));

#endif
