/* refund_issue.h — issuing pending refunds over the database (refund_input → refund_price →
 * refund_issue), shared by POST /v1/refunds/{id}/issue and the inspection scan that closes a
 * return (api/returns/h_returns.c). */
#ifndef WMS_API_REFUND_ISSUE_H
#define WMS_API_REFUND_ISSUE_H

#include <stddef.h>

struct api_req;

/* Issues the pending refunds ids[0..n) of r one after another, each read, priced and
 * written guarded by its order's version (read again on a conflict, at most three times),
 * then answers r: with wrap NULL and one id, 200 with the refund (409 wrong-state with the
 * refund when it was not pending); with wrap (a JSON object's text), 200 with wrap plus
 * "refunds": the refunds issued (those no longer pending are skipped). Replaces r's state
 * (ids and wrap are copied first). Always answers r. */
void refund_issue_start(struct api_req *r, const char *const *ids, size_t n, const char *wrap);

#endif
