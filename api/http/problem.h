/* problem.h — the problem catalogue (every error type wmsd answers: slug, HTTP status,
 * title) and RFC 9457 application/problem+json documents built from it.
 *
 * A problem type is named by its enum value in C; its slug (kebab-case) is what clients see
 * as "type": "urn:wms:problem:<slug>". SQL never returns HTTP statuses: it returns a domain
 * outcome slug that C looks up here (problem_find). The OpenAPI document lists the same
 * catalogue under components.x-problem-types; a unit test keeps the two equal. */
#ifndef WMS_API_PROBLEM_H
#define WMS_API_PROBLEM_H

#include <stdbool.h>
#include <cjson/cJSON.h>

/* X(name, slug, status, title) — the one table of problem types. */
#define PROBLEM_CATALOGUE(X)                                                                       \
	X(MALFORMED, "malformed", 400, "Malformed request")                                          \
	X(BAD_QUERY, "bad-query", 400, "Bad query parameter")                                        \
	X(BAD_IDEMPOTENCY_KEY, "bad-idempotency-key", 400, "Bad Idempotency-Key")                    \
	X(BAD_ENCODING, "bad-encoding", 400, "Invalid UTF-8")                                        \
	X(DUPLICATE_KEY, "duplicate-key", 400, "Duplicate JSON object key")                          \
	X(UNAUTHORIZED, "unauthorized", 401, "Unauthorized")                                         \
	X(FORBIDDEN, "forbidden", 403, "Forbidden")                                                  \
	X(NOT_FOUND, "not-found", 404, "Not Found")                                                  \
	X(METHOD_NOT_ALLOWED, "method-not-allowed", 405, "Method Not Allowed")                       \
	X(REQUEST_TIMEOUT, "request-timeout", 408, "Request Timeout")                                \
	X(CONFLICT, "conflict", 409, "Conflict")                                                     \
	X(WRONG_STATE, "wrong-state", 409, "Wrong state")                                            \
	X(IDEMPOTENCY_CONFLICT, "idempotency-conflict", 409, "Request still in progress")            \
	X(SCAN_IN_PROGRESS, "scan-in-progress", 409, "Scan still being recorded")                    \
	X(IN_USE, "in-use", 409, "In use")                                                           \
	X(INSUFFICIENT_STOCK, "insufficient-stock", 409, "Insufficient stock")                       \
	X(OVERLAP, "overlap", 409, "Overlapping version")                                            \
	X(OVER_RECEIPT, "over-receipt", 409, "Over-receipt beyond tolerance")                        \
	X(UNEXPECTED_ITEM, "unexpected-item", 409, "Item not on the shipment")                       \
	X(UNEXPECTED_LOT, "unexpected-lot", 409, "Lot on no line of the shipment")                   \
	X(EXPIRED_ITEM, "expired-item", 409, "Expired or short-dated item")                          \
	X(SHORT_LINES, "short-lines", 409, "Closing with short lines")                               \
	X(WRONG_BIN, "wrong-bin", 409, "Wrong bin")                                                  \
	X(WRONG_ITEM, "wrong-item", 409, "Wrong item")                                               \
	X(OVER_PACK, "over-pack", 409, "More than is left to pack")                                  \
	X(NOTHING_TO_PACK, "nothing-to-pack", 409, "Nothing left to pack")                           \
	X(EMPTY_PACKAGE, "empty-package", 409, "Empty package")                                      \
	X(NO_TRACKING_SERIES, "no-tracking-series", 409, "No tracking number series")                \
	X(TRACKING_EXHAUSTED, "tracking-exhausted", 409, "Tracking numbers used up")                 \
	X(WRONG_MODE, "wrong-mode", 409, "Not done in the order's mode")                             \
	X(CURRENCY_MISMATCH, "currency-mismatch", 409, "No fee schedule in this currency")           \
	X(OVER_PICK, "over-pick", 409, "More than the pick task asks")                               \
	X(CLAIM_OPEN, "claim-open", 409, "Escrow frozen by an open claim")                           \
	X(CLAIM_TOO_EARLY, "claim-too-early", 409, "Too early for this claim")                       \
	X(OVER_CLAIM, "over-claim", 409, "More units than can be claimed")                           \
	X(OVER_RETURN, "over-return", 409, "More than the return authorises")                        \
	X(TOO_LARGE, "too-large", 413, "Content Too Large")                                          \
	X(UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", 415, "Unsupported Media Type")           \
	X(EXPECTATION_FAILED, "expectation-failed", 417, "Expectation Failed")                       \
	X(VALIDATION, "validation", 422, "Unprocessable Content")                                    \
	X(IDEMPOTENCY_MISMATCH, "idempotency-mismatch", 422, "Idempotency-Key reused")               \
	X(SCAN_ID_REUSED, "scan-id-reused", 422, "scan_id reused with another body")                 \
	X(CLIENT_ORDER_ID_REUSED, "client-order-id-reused", 422,                                     \
	  "client_order_id reused with another body")                                                 \
	X(UNKNOWN_GTIN, "unknown-gtin", 422, "Unknown GTIN")                                         \
	X(AMBIGUOUS_GTIN, "ambiguous-gtin", 422, "GTIN of several SKUs")                             \
	X(UNKNOWN_BIN, "unknown-bin", 422, "Unknown bin")                                            \
	X(WRONG_BIN_KIND, "wrong-bin-kind", 422, "Bin of the wrong kind")                            \
	X(UNKNOWN_PACKAGE_TYPE, "unknown-package-type", 422, "Unknown package type")                 \
	X(UNKNOWN_ORIGIN, "unknown-origin", 422, "Unknown origin")                                   \
	X(UNKNOWN_DESTINATION, "unknown-destination", 422, "Unknown destination")                    \
	X(NO_ROUTE, "no-route", 422, "No route")                                                     \
	X(PARCEL_REFUSED, "parcel-refused", 422, "Parcel refused by every itinerary")                \
	X(NO_PROMISE, "no-promise", 422, "No promise target")                                        \
	X(INTERNAL, "internal", 500, "Internal Server Error")                                        \
	X(NOT_IMPLEMENTED, "not-implemented", 501, "Not Implemented")                                \
	X(NOT_READY, "not-ready", 503, "Not ready")                                                  \
	X(OVERLOADED, "overloaded", 503, "Overloaded")                                               \
	X(UNAVAILABLE, "unavailable", 503, "Database unavailable")                                   \
	X(SHUTTING_DOWN, "shutting-down", 503, "Shutting down")                                      \
	X(NETWORK_NOT_LOADED, "network-not-loaded", 503, "Lane network not loaded")

enum problem_type {
#define PROBLEM_ENUM(name, slug, status, title) PROBLEM_##name,
	PROBLEM_CATALOGUE(PROBLEM_ENUM)
#undef PROBLEM_ENUM
	PROBLEM_COUNT
};

/* The catalogue entry of t: slug, status, title. */
const char *problem_slug(enum problem_type t);
int problem_status(enum problem_type t);
const char *problem_title(enum problem_type t);

/* The problem type whose slug is slug (e.g. a domain outcome from SQL). Returns true and
 * sets *out, or false when the catalogue has no such slug. */
bool problem_find(const char *slug, enum problem_type *out) __attribute__((warn_unused_result));

/* Builds {type, title, status, detail} for t; detail may be NULL. Returns a new object the
 * caller owns (cJSON_Delete), or NULL when out of memory. */
cJSON *problem_new(enum problem_type t, const char *detail);

/* Appends {field, code, message} to the document's errors[] (created on first
 * use). Returns 0 or -1 (out of memory). */
int problem_add_error(cJSON *problem, const char *field, const char *code, const char *message);

/* The reason phrase of an HTTP status ("Unprocessable Content"), or "Error". */
const char *problem_reason(int status);

#endif
