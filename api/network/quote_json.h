/* quote_json.h — the JSON text of a route quote (POST /v1/routes/quote), written directly
 * (api/http/jbuf.h) rather than through a cJSON tree.
 *
 * Thread-safe: no static mutable state, no locale, no non-reentrant libc; call from any
 * number of threads, each with its own quote. */
#ifndef WMS_API_QUOTE_JSON_H
#define WMS_API_QUOTE_JSON_H

#include <stddef.h>

struct network_promise;  /* api/network/network_load.h */
struct routing_request;  /* routing/quote.h */
struct routing_quote;

/* The 200 body for a quote whose status is ROUTING_OK or ROUTING_AT_RISK (q->options[0] is
 * the selected option): {status, origin, zone, ready_at, promise {days, target_bp, deadline,
 * rule}, selected, options [the other options], evaluated}. Instants are
 * "YYYY-MM-DDTHH:MM:SSZ" (ROUTING_NEVER is null), probabilities rounded to 6 decimals, money
 * {amount (minor units), currency}. Returns the NUL-terminated text (free() it), its length
 * in *len; NULL when out of memory. */
char *quote_json_render(const struct routing_request *req, const struct routing_quote *q,
                        const struct network_promise *pr, size_t *len)
	__attribute__((warn_unused_result));

/* The array of all of q's options, laid out as in quote_json_render() (for the 422 problem
 * of a quote that could not be made: its refused options). Returns as quote_json_render(). */
char *quote_json_options(const struct routing_quote *q, size_t *len)
	__attribute__((warn_unused_result));

/* The selected option of a quote whose status is ROUTING_OK or ROUTING_AT_RISK, as an order
 * or a package records its route: the option as quote_json_render() writes "selected", with
 * the destination "zone" and the "promise" {days, target_bp, deadline, rule} added. Returns
 * the text (free() it), or NULL when out of memory. */
char *quote_json_route(const struct routing_request *req, const struct routing_quote *q,
                       const struct network_promise *pr) __attribute__((warn_unused_result));

/* The problem+json text (status 422) for a quote the engine could not make (any status but
 * ROUTING_OK and ROUTING_AT_RISK): the catalogue's type for the status (unknown-origin,
 * unknown-destination, no-route, parcel-refused, validation), its detail, "reason" (the
 * status name) and, when there are any, its refused "options". Returns the text (free() it)
 * and its length in *len, or NULL when out of memory. */
char *quote_json_problem(const struct routing_quote *q, size_t *len)
	__attribute__((warn_unused_result));

#endif
