/* fuzz_body.c — libFuzzer target over the whole decode-and-validate path of a request
 * body: raw bytes → the strict decoder (api/http/body.h) → a handler's field validation.
 * The first byte picks the validator (an inbound booking as seller or admin, the lane
 * network document, a network leg, node and promise, the field validators), the rest is
 * the body. Checks: no crash, no leak, no undefined behaviour; a decoded body is an
 * object or not, exactly as the decoder said; field errors only when validation found
 * some. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/body.h"
#include "api/http/fields.h"
#include "api/inbound/h_inbound_booking.h"
#include "api/network/network_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The common field validators over every member of the object. */
static void fields_all(struct jsonv *v, const cJSON *b)
{
	char gtin[15];
	int64_t t;
	for (const cJSON *m = b->child; m; m = m->next) {
		(void)jsonv_string(v, b, m->string, false, 1, 64);
		(void)fields_code(v, b, m->string, false);
		(void)fields_country(v, b, m->string, false);
		(void)fields_currency(v, b, m->string, false);
		(void)fields_time_zone(v, b, m->string, false);
		(void)fields_gtin(v, b, m->string, false, gtin);
		(void)fields_date(v, b, m->string, false, &t);
		(void)fields_instant(v, b, m->string, false, &t);
		long long n;
		(void)jsonv_int(v, b, m->string, false, -1000000, 1000000, &n);
		(void)jsonv_object(v, b, m->string, false);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned which = data[0] % 6;
	cJSON *body = NULL;
	struct jsonv v = JSONV_INIT;
	char detail[200];
	enum body_result rc = body_decode((const char *)data + 1, size - 1, &body, &v, detail,
	                                  sizeof detail);
	if ((rc == BODY_OK) != (body != NULL) || (rc == BODY_FIELDS) != (v.count > 0))
		abort();
	if (rc == BODY_OK && cJSON_IsObject(body)) {
		struct inbound_booking bk;
		switch (which) {
		case 0:
		case 1:
			if (inbound_booking_read(&v, body, which == 0, &bk) == 0 && v.count == 0 &&
			    (!bk.lines || !bk.cartons))
				abort(); /* a valid booking has its JSON texts */
			inbound_booking_free(&bk);
			break;
		case 2: network_check_document(&v, body); break;
		case 3: network_check_leg(&v, body, data[0] & 0x80); break;
		case 4:
			network_check_node(&v, body, data[0] & 0x80);
			network_check_promise(&v, body, data[0] & 0x40);
			break;
		case 5: fields_all(&v, body); break;
		}
	}
	jsonv_free(&v);
	cJSON_Delete(body);
	return 0;
}
