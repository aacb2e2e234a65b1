/* order_request.c — reading the body of POST /v1/orders (see order_request.h). */
#include "api/outbound/order_request.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/instant.h"
#include "routing/parcel.h"
#include "wms/order.h"

/* Most a price or an amount may be, in minor units (10^10: a hundred million in a
 * two-decimal currency). */
#define ORDER_MAX_PRICE 10000000000LL
/* How far in the future placed_at may lie: clocks of the platform and the server differ. */
#define ORDER_PLACED_SKEW_US (300LL * INSTANT_US)

/* The buyer's address: {name, address, city, postal_code, country, phone}. */
static void read_destination(struct jsonv *v, const cJSON *d, struct order_request *out)
{
	static const char *const allowed[] = {"name", "address", "city", "postal_code", "country",
	                                      "phone", NULL};
	struct jsonv sub = JSONV_INIT;
	jsonv_no_unknown(&sub, d, "", allowed);
	(void)jsonv_string(&sub, d, "name", true, 1, 200);
	(void)jsonv_string(&sub, d, "address", true, 1, 500);
	(void)jsonv_string(&sub, d, "city", true, 1, 100);
	out->postal_code = fields_shape(&sub, d, "postal_code", false, 16, "^[A-Z0-9][A-Z0-9 -]*$",
	                                "upper-case letters, digits, spaces and '-'");
	out->country = fields_country(&sub, d, "country", true);
	(void)fields_shape(&sub, d, "phone", false, 32, "^\\+?[0-9][0-9 ()-]*$",
	                   "a phone number: digits, spaces, '(', ')', '-', an optional leading '+'");
	jsonv_merge(v, &sub, "destination.");
}

/* One line; i is its index for field names. */
static void read_line(struct jsonv *v, const cJSON *l, size_t i, bool full,
                      struct order_request_line *out)
{
	static const char *const allowed[] = {"sku", "qty", "unit_price", "supply_price", NULL};
	struct jsonv sub = JSONV_INIT;
	long long n;
	if (!cJSON_IsObject(l)) {
		jsonv_error(v, "lines", "type", "lines[%zu] must be an object {sku, qty, unit_price}", i);
		return;
	}
	out->unit_price = -1;
	jsonv_no_unknown(&sub, l, "", allowed);
	out->sku = jsonv_string(&sub, l, "sku", true, 1, 64);
	if (jsonv_int(&sub, l, "qty", true, 1, 10000, &n) == 1)
		out->qty = (int32_t)n;
	if (jsonv_int(&sub, l, "unit_price", true, 0, ORDER_MAX_PRICE, &n) == 1)
		out->unit_price = n;
	out->supply_price = -1;
	if (full && jsonv_int(&sub, l, "supply_price", true, 0, ORDER_MAX_PRICE, &n) == 1)
		out->supply_price = n;
	else if (!full && cJSON_GetObjectItemCaseSensitive(l, "supply_price"))
		jsonv_error(&sub, "supply_price", "not_allowed",
		            "supply_price is what the platform pays per unit in mode full; other modes "
		            "settle on unit_price");
	jsonv_merge(v, &sub, "lines[%zu].", i);
}

void order_request_read(struct jsonv *v, const cJSON *b, int64_t now_us, struct order_request *out)
{
	static const char *const allowed[] = {"client_order_id", "seller", "mode", "destination",
	                                      "lines", "currency", "amount_paid", "placed_at", NULL};
	char err[160];
	long long n;
	int64_t placed_us;
	memset(out, 0, sizeof *out);
	jsonv_no_unknown(v, b, "", allowed);
	out->client_order_id = fields_shape(v, b, "client_order_id", true, 64,
	                                    "^[A-Za-z0-9][A-Za-z0-9._:/-]*$",
	                                    "1 to 64 characters A-Z, a-z, 0-9, '.', '_', ':', '/' or "
	                                    "'-', starting with a letter or digit");
	out->seller = jsonv_string(v, b, "seller", true, 1, 64);
	out->mode = jsonv_string(v, b, "mode", true, 1, 32);
	if (out->mode && wms_order_mode_check(out->mode, err, sizeof err) != 0) {
		jsonv_error(v, "mode", "enum", "%s", err);
		out->mode = NULL;
	}
	out->destination = jsonv_object(v, b, "destination", true);
	if (out->destination)
		read_destination(v, out->destination, out);
	out->currency = fields_currency(v, b, "currency", true);
	if (jsonv_int(v, b, "amount_paid", true, 0, 10 * ORDER_MAX_PRICE, &n) == 1)
		out->amount_paid = n;
	out->placed_at = fields_instant(v, b, "placed_at", true, &placed_us);
	if (out->placed_at && placed_us > now_us + ORDER_PLACED_SKEW_US)
		jsonv_error(v, "placed_at", "future", "placed_at lies in the future");

	const cJSON *lines = jsonv_array(v, b, "lines", true);
	int count = lines ? cJSON_GetArraySize(lines) : 0;
	if (lines && (count < 1 || count > ORDER_MAX_LINES)) {
		jsonv_error(v, "lines", "size", "an order has 1 to %d lines", ORDER_MAX_LINES);
		return;
	}
	bool full = out->mode && strcmp(out->mode, "full") == 0;
	int64_t total = 0;
	bool totals = true;
	const cJSON *l;
	cJSON_ArrayForEach(l, lines) {
		struct order_request_line *ln = &out->lines[out->n_lines];
		read_line(v, l, out->n_lines, full, ln);
		for (size_t j = 0; ln->sku && j < out->n_lines; j++) {
			if (out->lines[j].sku && strcmp(out->lines[j].sku, ln->sku) == 0) {
				jsonv_error(v, "lines", "duplicate",
				            "lines[%zu].sku: %s is on lines[%zu] already; one line per SKU",
				            out->n_lines, ln->sku, j);
				break;
			}
		}
		if (ln->qty > 0 && ln->unit_price >= 0)
			total += ln->unit_price * ln->qty; /* ≤ 10^10 × 10^4 × 100: no overflow */
		else
			totals = false;
		out->n_lines++;
	}
	if (totals && out->n_lines && jsonv_int(v, b, "amount_paid", false, 0, 10 * ORDER_MAX_PRICE,
	                                        &n) == 1 && n != total)
		jsonv_error(v, "amount_paid", "mismatch",
		            "amount_paid is %lld but the lines come to %lld (Σ qty × unit_price, minor "
		            "units)", n, (long long)total);
}

int order_request_parcel(const struct order_request *in, const cJSON *skus,
                         struct routing_parcel *out)
{
	struct wms_order_units units[ORDER_MAX_LINES];
	for (size_t i = 0; i < in->n_lines; i++) {
		const cJSON *k = cJSON_GetArrayItem(skus, (int)i);
		units[i].weight_g = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(k, "weight_g"));
		units[i].dims_mm[0] = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(k, "length_mm"));
		units[i].dims_mm[1] = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(k, "width_mm"));
		units[i].dims_mm[2] = (int32_t)cJSON_GetNumberValue(cJSON_GetObjectItem(k, "height_mm"));
		units[i].qty = in->lines[i].qty;
	}
	memset(out, 0, sizeof *out);
	return wms_order_parcel(units, in->n_lines, &out->weight_g, out->dims_mm);
}
