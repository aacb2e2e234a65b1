/* webhook_sig.h — Standard Webhooks signatures (https://www.standardwebhooks.com): a secret
 * "whsec_" + base64 of its key bytes; the signed content is "<webhook-id>.<webhook-timestamp>.
 * <raw body>"; webhook-signature is a space-separated list of "v1,<base64 HMAC-SHA256>" (several
 * during key rotation); the timestamp is integer seconds since the epoch, accepted within a
 * tolerance either side of now. Compared in constant time over the raw bytes as received —
 * never a re-serialised body. */
#ifndef WMS_API_WEBHOOK_SIG_H
#define WMS_API_WEBHOOK_SIG_H

#include <stddef.h>
#include <stdint.h>

/* "v1," + 44 characters of base64 + NUL */
#define WEBHOOK_SIG_LEN 48
/* "whsec_" + 44 characters of base64 of 32 random bytes + NUL */
#define WEBHOOK_SECRET_LEN 51

enum webhook_sig_status {
	WEBHOOK_SIG_OK = 0,
	WEBHOOK_SIG_MISSING,       /* a header is absent or empty */
	WEBHOOK_SIG_BAD_TIMESTAMP, /* not integer seconds */
	WEBHOOK_SIG_STALE,         /* outside the tolerance */
	WEBHOOK_SIG_MISMATCH,      /* no signature matches any secret */
};

/* Checks one message: the headers' values id, ts and header (NULL when absent), the raw
 * body, the active secrets (n of them; a malformed secret matches nothing), now in epoch
 * seconds and the tolerance in seconds. */
enum webhook_sig_status webhook_sig_verify(const char *const *secrets, size_t n, const char *id,
                                           const char *ts, const char *header,
                                           const void *body, size_t len, int64_t now_s,
                                           int tolerance_s) __attribute__((warn_unused_result));

/* Writes "v1,<base64>" of the message under secret into out. Returns 0, or -1 when the
 * secret is not "whsec_" + base64. */
int webhook_sig_sign(const char *secret, const char *id, const char *ts, const void *body,
                     size_t len, char out[WEBHOOK_SIG_LEN]) __attribute__((warn_unused_result));

/* Writes a new secret of 32 random bytes. Returns 0, or -1 without randomness. */
int webhook_sig_secret_new(char out[WEBHOOK_SECRET_LEN]) __attribute__((warn_unused_result));

/* A human sentence for a status ("the signature matches no active secret"). */
const char *webhook_sig_reason(enum webhook_sig_status st);

#endif
