/* jit_refs.c — reading the references the hub's scans name (jit_refs.h). */
#include "api/jit/jit_refs.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "wms/checkdigit.h"
#include "wms/tracking.h"

/* raw without an AIM symbology identifier (']', the symbology's letter, a modifier). */
static const char *no_aim(const char *raw)
{
	return raw[0] == ']' && raw[1] && raw[2] ? raw + 3 : raw;
}

void jit_parcel_ref_read(struct jsonv *v, const cJSON *b, char buf[JIT_REF_MAX],
                         const char **id, const char **ref)
{
	struct wms_tracking t;
	char err[120];
	bool has_barcode = cJSON_GetObjectItem(b, "barcode") != NULL;
	bool has_order = cJSON_GetObjectItem(b, "order") != NULL;
	if (has_barcode == has_order) {
		jsonv_error(v, has_barcode ? "order" : "barcode", has_barcode ? "conflict" : "required",
		            "give the label's barcode, or the order when the label cannot be read "
		            "(exactly one of them)");
		return;
	}
	const char *raw = jsonv_string(v, b, has_barcode ? "barcode" : "order", true, 1, 64);
	if (!raw)
		return;
	snprintf(buf, JIT_REF_MAX, "%s", has_barcode ? no_aim(raw) : raw);
	if (jsonv_is_uuid(buf))
		*id = buf;
	else if (!has_barcode || wms_tracking_parse(buf, &t, err, sizeof err) == 0)
		*ref = buf;
	else
		jsonv_error(v, "barcode", "format",
		            "barcode is neither a task id nor a tracking number: %s", err);
}

void jit_bag_ref_read(struct jsonv *v, const cJSON *b, const char *field, char buf[JIT_REF_MAX],
                      const char **id, const char **sscc)
{
	char err[120];
	const char *raw = b ? jsonv_string(v, b, field, true, 1, 64) : field;
	const char *name = b ? field : "id";
	if (!raw)
		return;
	raw = no_aim(raw);
	if (strlen(raw) == 20 && strncmp(raw, "00", 2) == 0)
		raw += 2; /* the GS1-128 label: AI 00 + SSCC */
	snprintf(buf, JIT_REF_MAX, "%s", raw);
	if (jsonv_is_uuid(buf))
		*id = buf;
	else if (wms_sscc_validate(buf, err, sizeof err) == 0)
		*sscc = buf;
	else
		jsonv_error(v, name, "format", "%s is neither a bag id nor an SSCC: %s", name, err);
}
