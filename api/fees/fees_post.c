/* fees_post.c — fee lines as seller_ledger rows; the inbound-close hook. */
#include "api/fees/fees_post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_load.h"
#include "api/http/log.h"

/* The sku_id of code in items, or NULL. */
static const char *sku_id_of(const cJSON *items, const char *code)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
	{
		const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "sku"));
		if (c && strcmp(c, code) == 0)
			return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "sku_id"));
	}
	return NULL;
}

/* obj[name] = s, or null when s is NULL or "". */
static bool add_text(cJSON *obj, const char *name, const char *s)
{
	return (s && *s ? cJSON_AddStringToObject(obj, name, s) : cJSON_AddNullToObject(obj, name)) !=
	       NULL;
}

/* obj[name] = v as a decimal string: cJSON prints numbers beyond int range
 * as "1e+15", which bigint input refuses; PostgreSQL reads the string. */
static bool add_num(cJSON *obj, const char *name, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return cJSON_AddStringToObject(obj, name, buf) != NULL;
}

int fees_post_append(cJSON *rows, const struct fees_post_event *ev, const struct fee_line *lines,
                     size_t n, int line_no, const cJSON *items)
{
	for (size_t i = 0; i < n; i++) {
		const struct fee_line *l = &lines[i];
		cJSON *row = cJSON_CreateObject();
		if (!row || !cJSON_AddItemToArray(rows, row)) {
			cJSON_Delete(row);
			return -1;
		}
		if (!add_text(row, "seller_id", ev->seller_id) ||
		    !add_text(row, "event_type", ev->event_type) ||
		    !add_text(row, "event_id", ev->event_id) ||
		    !add_num(row, "line_no", line_no + (int)i) ||
		    !add_text(row, "event_at", ev->event_at) ||
		    !add_text(row, "fee_type", fee_type_name(l->type)) ||
		    !add_text(row, "direction", fee_direction_name(l->direction)) ||
		    !add_text(row, "treatment", fee_treatment_name(l->treatment)) ||
		    !add_num(row, "gross", l->gross) || !add_num(row, "waived", l->waived) ||
		    !add_num(row, "net", l->net) || !add_text(row, "currency", l->currency) ||
		    !add_text(row, "mode", fee_mode_name(ev->mode)) ||
		    !add_num(row, "policy_id", l->policy_id) ||
		    !add_num(row, "policy_version", l->policy_version) ||
		    !add_num(row, "schedule_id", l->schedule_id) ||
		    !add_num(row, "schedule_version", l->schedule_version) ||
		    !add_text(row, "warehouse_id", ev->warehouse_id) ||
		    !add_text(row, "sku_id", l->sku[0] ? sku_id_of(items, l->sku) : NULL) ||
		    !add_text(row, "reason", l->reason))
			return -1;
	}
	return 0;
}

/* Fills items[0..n) from the input's "items"; foreign-currency declared
 * values are not advanced (see fees.h). Returns 0 or -1 with err. */
static int read_items(const cJSON *arr, const char *currency, const char *shipment,
                      struct fee_inbound_item *items, char *err, size_t errlen)
{
	size_t i = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		struct fee_inbound_item *x = &items[i++];
		const char *cur = fees_json_str(it, "currency");
		x->sku = fees_json_str(it, "sku");
		x->popular = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "popular"));
		x->good_units = fees_json_count(it, "good");
		x->damaged_units = fees_json_count(it, "damaged");
		x->declared_value = fees_json_count(it, "declared_value");
		if (x->good_units < 0 || x->damaged_units < 0 || x->declared_value < 0) {
			snprintf(err, errlen, "inbound close input: bad counts for SKU %.64s", x->sku);
			return -1;
		}
		if (strcmp(cur, currency) != 0) {
			log_warn("inbound close %s: SKU %s is declared in %.3s, the fee schedule is in %s; "
			         "no advance",
			         shipment, x->sku, cur, currency);
			x->declared_value = 0;
			x->popular = false;
		}
	}
	return 0;
}

char *fees_inbound_close_rows(const char *input, char *err, size_t errlen)
{
	char *out = NULL;
	struct fees_versions v = {0};
	struct fee_inbound_item *items = NULL;
	struct fee_line *lines = NULL;
	cJSON *rows = NULL, *in = cJSON_Parse(input ? input : "");
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(in, "items");
	const struct fee_policy *policy;
	const struct fee_schedule *schedule;
	struct fee_error fe;
	enum fee_mode mode;
	size_t n_items = (size_t)cJSON_GetArraySize(arr), n_lines = 0, kept = 0;

	if (errlen > 0)
		err[0] = '\0';

	if (!cJSON_IsObject(in) || !cJSON_IsArray(arr) ||
	    fee_mode_parse(fees_json_str(in, "mode"), &mode) != 0) {
		snprintf(err, errlen, "inbound close input is not fees_inbound_close_input()'s object");
		goto done;
	}
	if (fees_versions_from_json(cJSON_GetObjectItemCaseSensitive(in, "versions"), &v, err,
	                            errlen) != 0 ||
	    fees_versions_pick(&v, mode, &policy, &schedule, err, errlen) != 0)
		goto done;
	struct fee_event ev = {.kind = FEE_EVENT_INBOUND_CLOSE, .at = v.at};
	memcpy(ev.inbound.currency, schedule->currency, MONEY_CODE_LEN);
	if (!(items = calloc(n_items + 1, sizeof *items)) ||
	    read_items(arr, schedule->currency, fees_json_str(in, "shipment_id"), items, err,
	               errlen) != 0)
		goto nomem_or_err;
	ev.inbound.items = items;
	ev.inbound.n_items = n_items;
	size_t cap = fee_event_max_lines(&ev);
	if (!(lines = calloc(cap, sizeof *lines)))
		goto nomem_or_err;
	if (fee_compute(policy, schedule, &ev, lines, cap, &n_lines, &fe) != 0) {
		snprintf(err, errlen, "inbound close %s: %s", fees_json_str(in, "shipment_id"), fe.msg);
		goto done;
	}
	for (size_t i = 0; i < n_lines; i++) /* a zero advance (value 0) is no line */
		if (!(lines[i].type == FEE_ADVANCE && lines[i].gross == 0))
			lines[kept++] = lines[i];
	struct fees_post_event pe = {
		.seller_id = fees_json_str(in, "seller_id"),
		.warehouse_id = fees_json_str(in, "warehouse_id"),
		.event_type = "inbound_close",
		.event_id = fees_json_str(in, "shipment_id"),
		.event_at = fees_json_str(in, "at"),
		.mode = mode,
	};
	if (!(rows = cJSON_CreateArray()) || fees_post_append(rows, &pe, lines, kept, 1, arr) != 0 ||
	    !(out = cJSON_PrintUnformatted(rows)))
		goto nomem_or_err;
	goto done;
nomem_or_err:
	if (errlen > 0 && !err[0])
		snprintf(err, errlen, "out of memory");
done:
	cJSON_Delete(rows);
	cJSON_Delete(in);
	free(lines);
	free(items);
	fees_versions_free(&v);
	return out;
}
