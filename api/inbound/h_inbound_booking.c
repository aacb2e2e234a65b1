/* h_inbound_booking.c — validating an inbound booking's body (lines, cartons,
 * hand-over) and building the JSON parameters of the create statement. */
#include "api/inbound/h_inbound_booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/req.h"
#include "wms/checkdigit.h"
#include "wms/inbound.h"

#define MAX_QTY 100000

/* A validated line, kept for the carton checks. */
struct line_in {
	const char *sku;
	const char *lot; /* NULL: no lot */
	long long qty;
	long long in_cartons; /* sum of the carton quantities naming this line */
	bool ok;
};

/* obj[field] when it is an array of min..max items; records "required",
 * "type" or "count" otherwise and returns NULL. */
static const cJSON *array_member(struct jsonv *v, const cJSON *obj, const char *field,
                                 bool required, int min, int max)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (!a || cJSON_IsNull(a)) {
		if (required)
			jsonv_error(v, field, "required", "%s is required", field);
		return NULL;
	}
	if (!cJSON_IsArray(a)) {
		jsonv_error(v, field, "type", "%s must be an array", field);
		return NULL;
	}
	int n = cJSON_GetArraySize(a);
	if (n < min || n > max) {
		jsonv_error(v, field, "count", "%s must have %d to %d items", field, min, max);
		return NULL;
	}
	return a;
}

/* lines[]: sku, qty, lot, expiry; (sku, lot) unique. Fills in[0..*n) and the
 * JSON array out (NULL when lines is absent or invalid as a whole). */
static void read_lines(struct jsonv *v, const cJSON *b, struct line_in *in, int *n, cJSON *out)
{
	static const char *const allowed[] = {"sku", "qty", "lot", "expiry", NULL};
	const cJSON *a = array_member(v, b, "lines", true, 1, INBOUND_BOOKING_MAX_LINES);
	const cJSON *item;
	*n = 0;
	cJSON_ArrayForEach(item, a)
	{
		int i = (*n)++;
		char prefix[32];
		snprintf(prefix, sizeof prefix, "lines[%d]", i);
		in[i] = (struct line_in){0};
		if (!cJSON_IsObject(item)) {
			jsonv_error(v, prefix, "type", "%s must be an object", prefix);
			continue;
		}
		struct jsonv iv = JSONV_INIT;
		jsonv_no_unknown(&iv, item, "", allowed);
		in[i].sku = jsonv_string(&iv, item, "sku", true, 1, 64);
		int q = jsonv_int(&iv, item, "qty", true, 1, MAX_QTY, &in[i].qty);
		in[i].lot = fields_lot(&iv, item, "lot", false);
		const char *expiry = fields_date(&iv, item, "expiry", false, NULL);
		in[i].ok = iv.count == 0 && q == 1;
		for (int j = 0; in[i].ok && j < i; j++) {
			if (in[j].ok && strcmp(in[j].sku, in[i].sku) == 0 &&
			    (in[j].lot ? in[i].lot && strcmp(in[j].lot, in[i].lot) == 0 : !in[i].lot)) {
				jsonv_error(&iv, in[i].lot ? "lot" : "sku", "duplicate",
				            "lines[%d] has the same SKU and lot", j);
				in[i].ok = false;
			}
		}
		jsonv_merge(v, &iv, "%s.", prefix);
		if (!in[i].ok)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(out, o);
		cJSON_AddNumberToObject(o, "i", i);
		cJSON_AddStringToObject(o, "sku", in[i].sku);
		cJSON_AddItemToObject(o, "lot", in[i].lot ? cJSON_CreateString(in[i].lot) : cJSON_CreateNull());
		cJSON_AddItemToObject(o, "expiry", expiry ? cJSON_CreateString(expiry) : cJSON_CreateNull());
		cJSON_AddNumberToObject(o, "qty", (double)in[i].qty);
	}
}

/* The 0-based line a carton line names: `line` (1-based), or `sku` with
 * `lot` (absent lot: the line without one). -1 after recording an error. */
static int carton_line_ref(struct jsonv *v, const cJSON *item, const struct line_in *in, int n)
{
	long long line;
	int has_line = jsonv_int(v, item, "line", false, 1, n > 0 ? n : 1, &line);
	const char *sku = jsonv_string(v, item, "sku", false, 1, 64);
	const char *lot = fields_lot(v, item, "lot", false);
	if (has_line < 0 || (has_line == 1 && (sku || lot))) {
		if (has_line == 1)
			jsonv_error(v, "line", "conflict", "give line, or sku and lot, not both");
		return -1;
	}
	if (has_line == 1)
		return in[line - 1].ok ? (int)line - 1 : -1;
	if (!sku) {
		jsonv_error(v, "line", "required", "line (or sku and lot) is required");
		return -1;
	}
	for (int j = 0; j < n; j++)
		if (in[j].ok && strcmp(in[j].sku, sku) == 0 &&
		    (lot ? in[j].lot && strcmp(in[j].lot, lot) == 0 : !in[j].lot))
			return j;
	jsonv_error(v, "sku", "no_line", "no line of this shipment has SKU \"%.64s\" and %s%.20s%s",
	            sku, lot ? "lot \"" : "no lot", lot ? lot : "", lot ? "\"" : "");
	return -1;
}

/* One carton's lines[] into out ([{line, qty}]), adding the quantities to
 * the lines' in_cartons; a carton holds each line at most once, and the
 * cartons together no more of a line than it expects. */
static void read_carton_lines(struct jsonv *v, const cJSON *carton, struct line_in *in, int n,
                              cJSON *out)
{
	static const char *const allowed[] = {"line", "sku", "lot", "qty", NULL};
	const cJSON *a = array_member(v, carton, "lines", true, 1, INBOUND_BOOKING_MAX_LINES);
	const cJSON *item;
	int k = 0;
	cJSON_ArrayForEach(item, a)
	{
		char prefix[32];
		snprintf(prefix, sizeof prefix, "lines[%d]", k++);
		if (!cJSON_IsObject(item)) {
			jsonv_error(v, prefix, "type", "%s must be an object", prefix);
			continue;
		}
		struct jsonv iv = JSONV_INIT;
		long long qty;
		jsonv_no_unknown(&iv, item, "", allowed);
		int j = carton_line_ref(&iv, item, in, n);
		int q = jsonv_int(&iv, item, "qty", true, 1, MAX_QTY, &qty);
		const cJSON *seen;
		cJSON_ArrayForEach(seen, out)
		{
			if (j >= 0 && cJSON_GetObjectItem(seen, "line")->valueint == j + 1) {
				jsonv_error(&iv, "line", "duplicate", "this carton already lists line %d", j + 1);
				j = -1;
			}
		}
		if (j >= 0 && q == 1) {
			in[j].in_cartons += qty;
			if (in[j].in_cartons > in[j].qty)
				jsonv_error(&iv, "qty", "exceeds_line",
				            "the cartons hold %lld of line %d, which expects %lld",
				            in[j].in_cartons, j + 1, in[j].qty);
			cJSON *o = cJSON_CreateObject();
			cJSON_AddItemToArray(out, o);
			cJSON_AddNumberToObject(o, "line", j + 1);
			cJSON_AddNumberToObject(o, "qty", (double)qty);
		}
		jsonv_merge(v, &iv, "%s.", prefix);
	}
}

/* cartons[] (optional): sscc (SSCC-18, distinct) and the lines each holds. */
static void read_cartons(struct jsonv *v, const cJSON *b, struct line_in *in, int n, cJSON *out)
{
	static const char *const allowed[] = {"sscc", "lines", NULL};
	const cJSON *a = array_member(v, b, "cartons", false, 0, INBOUND_BOOKING_MAX_CARTONS);
	const cJSON *item;
	int c = 0;
	cJSON_ArrayForEach(item, a)
	{
		char prefix[32], err[96];
		snprintf(prefix, sizeof prefix, "cartons[%d]", c);
		if (!cJSON_IsObject(item)) {
			jsonv_error(v, prefix, "type", "%s must be an object", prefix);
			c++;
			continue;
		}
		struct jsonv iv = JSONV_INIT;
		jsonv_no_unknown(&iv, item, "", allowed);
		const char *sscc = jsonv_string(&iv, item, "sscc", true, 1, 18);
		if (sscc && wms_sscc_validate(sscc, err, sizeof err) != 0) {
			jsonv_error(&iv, "sscc", "check_digit", "sscc: %s", err);
			sscc = NULL;
		}
		const cJSON *seen;
		cJSON_ArrayForEach(seen, out)
		{
			if (sscc && strcmp(cJSON_GetObjectItem(seen, "sscc")->valuestring, sscc) == 0) {
				jsonv_error(&iv, "sscc", "duplicate", "cartons[%d] has the same SSCC",
				            cJSON_GetObjectItem(seen, "i")->valueint);
				sscc = NULL;
			}
		}
		cJSON *o = cJSON_CreateObject();
		cJSON *ol = cJSON_CreateArray();
		read_carton_lines(&iv, item, in, n, ol);
		cJSON_AddNumberToObject(o, "i", c);
		cJSON_AddStringToObject(o, "sscc", sscc ? sscc : "");
		cJSON_AddItemToObject(o, "lines", ol);
		if (sscc)
			cJSON_AddItemToArray(out, o);
		else
			cJSON_Delete(o);
		jsonv_merge(v, &iv, "%s.", prefix);
		c++;
	}
}

/* handover.address: street, city, postal_code, country required; rebuilt
 * from the validated fields. */
static cJSON *read_address(struct jsonv *v, const cJSON *h)
{
	static const char *const allowed[] = {"name",   "street",      "street2", "city",
	                                      "region", "postal_code", "country", "phone", NULL};
	static const struct {
		const char *field;
		bool required;
		size_t max;
	} parts[] = {{"name", false, 200},  {"street", true, 200},      {"street2", false, 200},
	             {"city", true, 100},   {"region", false, 100},     {"postal_code", true, 20},
	             {"phone", false, 32}};
	const cJSON *a = jsonv_object(v, h, "address", true);
	if (!a)
		return NULL;
	struct jsonv iv = JSONV_INIT;
	cJSON *out = cJSON_CreateObject();
	jsonv_no_unknown(&iv, a, "", allowed);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const char *s = jsonv_string(&iv, a, parts[i].field, parts[i].required, 1, parts[i].max);
		if (s)
			cJSON_AddStringToObject(out, parts[i].field, s);
	}
	const char *country = fields_country(&iv, a, "country", true);
	if (country)
		cJSON_AddStringToObject(out, "country", country);
	jsonv_merge(v, &iv, "address.");
	return out;
}

/* handover: {type: drop_off, expected_arrival} or {type: pickup, address,
 * ready_from, ready_until (after ready_from)}. */
static void read_handover(struct jsonv *v, const cJSON *b, struct inbound_booking *out,
                          cJSON **address)
{
	static const char *const types[] = {"drop_off", "pickup", NULL};
	static const char *const drop_off[] = {"type", "expected_arrival", NULL};
	static const char *const pickup[] = {"type", "address", "ready_from", "ready_until", NULL};
	const cJSON *h = jsonv_object(v, b, "handover", true);
	if (!h)
		return;
	struct jsonv iv = JSONV_INIT;
	int t = jsonv_enum(&iv, h, "type", true, types);
	if (t == 0) {
		jsonv_no_unknown(&iv, h, "", drop_off);
		out->expected_arrival = fields_date(&iv, h, "expected_arrival", true, NULL);
	} else if (t == 1) {
		int64_t from = 0, until = 0;
		jsonv_no_unknown(&iv, h, "", pickup);
		*address = read_address(&iv, h);
		out->ready_from = fields_instant(&iv, h, "ready_from", true, &from);
		out->ready_until = fields_instant(&iv, h, "ready_until", true, &until);
		if (out->ready_from && out->ready_until && until <= from)
			jsonv_error(&iv, "ready_until", "order", "ready_until must be after ready_from");
	}
	out->handover = t >= 0 ? types[t] : NULL;
	jsonv_merge(v, &iv, "handover.");
}

/* The JSON text of a (possibly NULL) document, NULL when out of memory. */
static char *print(const cJSON *doc)
{
	return doc ? cJSON_PrintUnformatted(doc) : NULL;
}

int inbound_booking_read(struct jsonv *v, const cJSON *b, bool as_seller,
                         struct inbound_booking *out)
{
	static const char *const allowed[] = {"warehouse", "seller",  "mode",    "lines",
	                                      "cartons",   "handover", NULL};
	int rc = -1;
	char err[160];
	struct line_in *in = calloc(INBOUND_BOOKING_MAX_LINES, sizeof *in);
	cJSON *lines = cJSON_CreateArray(), *cartons = cJSON_CreateArray(), *address = NULL;
	memset(out, 0, sizeof *out);
	if (!in || !lines || !cartons)
		goto done;

	jsonv_no_unknown(v, b, "", allowed);
	out->warehouse = fields_code(v, b, "warehouse", true);
	int before = v->count;
	const char *seller = jsonv_string(v, b, "seller", false, 1, 64);
	if (seller && as_seller)
		jsonv_error(v, "seller", "forbidden", "a seller key books for its own seller");
	else if (!seller && !as_seller && v->count == before)
		jsonv_error(v, "seller", "required", "seller is required (the seller's id or code)");
	else if (seller && jsonv_is_uuid(seller))
		out->seller_id = seller;
	else
		out->seller_code = seller;
	out->mode = jsonv_string(v, b, "mode", true, 1, 64);
	if (out->mode && wms_inbound_mode_check(out->mode, err, sizeof err) != 0) {
		jsonv_error(v, "mode", "mode", "%s", err);
		out->mode = NULL;
	}
	int n;
	read_lines(v, b, in, &n, lines);
	read_cartons(v, b, in, n, cartons);
	read_handover(v, b, out, &address);

	rc = 0;
	if (v->count == 0) {
		out->lines = print(lines);
		out->cartons = print(cartons);
		out->address = print(address);
		if (!out->lines || !out->cartons || (address && !out->address))
			rc = -1;
	}
done:
	cJSON_Delete(address);
	cJSON_Delete(cartons);
	cJSON_Delete(lines);
	free(in);
	return rc;
}

void inbound_booking_free(struct inbound_booking *bk)
{
	cJSON_free(bk->address);
	cJSON_free(bk->lines);
	cJSON_free(bk->cartons);
	bk->address = bk->lines = bk->cartons = NULL;
}
