/* order_request.h — the body of POST /v1/orders, read and checked into struct order_request
 * (every problem a field-level 422 naming the field), before anything touches the database.
 *
 *   {"client_order_id": "MP-1001", "seller": "ACME-AUDIO", "mode": "full",
 *    "destination": {"name": "…", "address": "…", "city": "Madrid", "postal_code": "28001",
 *                    "country": "ES", "phone": "…"},
 *    "lines": [{"sku": "EB-100", "qty": 2, "unit_price": 1999, "supply_price": 1200}],
 *    "currency": "USD", "amount_paid": 3998, "placed_at": "2026-12-06T10:00:00Z"}
 *
 * Rules: client_order_id 1..64 of [A-Za-z0-9._:/-], starting alphanumeric; mode full,
 * semi_warehouse, pop or semi_jit (wms_order_mode_check); 1..100 lines, one per
 * SKU, qty 1..10000, prices in minor units; supply_price required in full (what the platform
 * pays the seller per unit) and refused otherwise; amount_paid equal to Σ qty × unit_price
 * (no separate shipping charge); placed_at not in the future. */
#ifndef WMS_API_ORDER_REQUEST_H
#define WMS_API_ORDER_REQUEST_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "api/http/jsonv.h"

#define ORDER_MAX_LINES 100

struct order_request_line {
	const char *sku;       /* borrowed from the body */
	int32_t qty;
	int64_t unit_price;
	int64_t supply_price;  /* -1 when absent */
};

struct order_request {
	const char *client_order_id, *seller, *mode, *currency, *placed_at;
	const char *country, *postal_code;
	const cJSON *destination;
	int64_t amount_paid;
	size_t n_lines;
	struct order_request_line lines[ORDER_MAX_LINES];
};

/* Reads body into out (strings borrowed from body); now_us is the request's time. Every
 * problem goes into v; out is complete only when v gained none. */
void order_request_read(struct jsonv *v, const cJSON *body, int64_t now_us,
                        struct order_request *out);

struct routing_parcel;

/* The parcel the order's units make (wms_order_parcel) from the lines' SKUs as
 * order_prepare() reads them ([{weight_g, length_mm, width_mm, height_mm}], in line order).
 * Returns 0, or -1 when they make no parcel. */
int order_request_parcel(const struct order_request *in, const cJSON *skus,
                         struct routing_parcel *out) __attribute__((warn_unused_result));

#endif
