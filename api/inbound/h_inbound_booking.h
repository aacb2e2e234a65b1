/* h_inbound_booking.h — the body of POST /v1/inbound-shipments: validated
 * field by field (every error collected for one 422), and turned into the
 * parameters of the one statement that books the shipment. */
#ifndef WMS_API_H_INBOUND_BOOKING_H
#define WMS_API_H_INBOUND_BOOKING_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "api/http/jsonv.h"

/* Most lines, cartons, and lines per carton one booking may have. */
#define INBOUND_BOOKING_MAX_LINES 1000
#define INBOUND_BOOKING_MAX_CARTONS 1000

/* A validated booking. The const strings point into the request body (they
 * live as long as the request); the JSON texts are owned (see
 * inbound_booking_free). A field that is absent or invalid is NULL. */
struct inbound_booking {
	const char *warehouse;        /* warehouse code */
	const char *mode;             /* "semi_warehouse" or "full" */
	const char *seller_id;        /* `seller` when it is a UUID (admin only) */
	const char *seller_code;      /* `seller` otherwise */
	const char *handover;         /* "drop_off" or "pickup" (static) */
	const char *expected_arrival; /* drop_off: YYYY-MM-DD */
	const char *ready_from;       /* pickup: RFC 3339 */
	const char *ready_until;
	char *address; /* pickup: the address as a JSON object */
	/* [{i (0-based), sku, lot, expiry, qty}] */
	char *lines;
	/* [{i, sscc, lines: [{line (1-based), qty}]}]; "[]" without cartons */
	char *cartons;
};

/* Reads body b into out (which it first clears), recording every problem in
 * v with field names such as "lines[2].qty" or "cartons[0].lines[1].line".
 * as_seller: the caller is a seller key, which books for its own seller and
 * may not name one; other callers must name `seller`. The JSON texts are
 * built only when v holds no error. Call inbound_booking_free() afterwards
 * in every case. Returns 0, or -1 when out of memory (v may be incomplete). */
int inbound_booking_read(struct jsonv *v, const cJSON *b, bool as_seller,
                         struct inbound_booking *out) __attribute__((warn_unused_result));

/* Frees the JSON texts of bk (not bk itself); safe on a cleared bk. */
void inbound_booking_free(struct inbound_booking *bk);

#endif
