/* fees_settle.c — the sale-settlement hook (see fees_settle.h). */
#include "api/fees/fees_settle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_load.h"
#include "api/fees/fees_post.h"
#include "wms/settle.h"

void fees_settle_free(struct fees_settle *s)
{
	free(s->rows);
	free(s->settlement);
	memset(s, 0, sizeof *s);
}

/* obj[name] = v, written as the exact integer (a cJSON number is a double, printed with 15
 * digits). Returns false when out of memory. */
static bool add_int(cJSON *obj, const char *name, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return cJSON_AddRawToObject(obj, name, buf) != NULL;
}

/* Reads the order's lines (order_settlement_input's "lines") into lines[0..n). Strings stay
 * in arr. Returns 0, or -1 with err. */
static int read_lines(const cJSON *arr, struct wms_settle_line *lines, char *err, size_t errlen)
{
	size_t i = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		struct wms_settle_line *l = &lines[i++];
		int64_t line_no = fees_json_count(it, "line");
		l->line_no = (int32_t)line_no;
		l->sku = fees_json_str(it, "sku");
		l->category = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "category"));
		l->qty = fees_json_count(it, "qty");
		l->short_qty = fees_json_count(it, "short");
		l->unit_price = fees_json_count(it, "unit_price");
		l->supply_price = fees_json_count(it, "supply_price");
		/* units refunded from the held escrow by claims (absent: none) */
		l->escrow_refunded = cJSON_GetObjectItemCaseSensitive(it, "escrow_refunded")
		                         ? fees_json_count(it, "escrow_refunded") : 0;
		if (line_no < 1 || line_no > INT32_MAX || l->qty < 0 || l->short_qty < 0 ||
		    l->unit_price < 0 || l->supply_price < 0 || l->escrow_refunded < 0) {
			snprintf(err, errlen, "settlement input: bad line %zu", i);
			return -1;
		}
	}
	return 0;
}

/* The settlement object of the order (see fees_settle.h). Returns a new object or NULL. */
static cJSON *settlement_json(const cJSON *in, const struct fee_policy *policy,
                              const struct fee_schedule *schedule, const struct wms_settlement *s,
                              const struct fee_line *lines, const int32_t *line_of, size_t n)
{
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "lines");
	bool ok = arr && cJSON_AddStringToObject(o, "currency", schedule->currency) &&
	          cJSON_AddStringToObject(o, "settled_at", fees_json_str(in, "at")) &&
	          cJSON_AddStringToObject(o, "mode", fee_mode_name(policy->mode)) &&
	          add_int(o, "policy_version", policy->version) &&
	          add_int(o, "schedule_version", schedule->version) &&
	          add_int(o, "sale_amount", s->sale_amount) && add_int(o, "fees", s->fees) &&
	          add_int(o, "saved", s->saved) && add_int(o, "recovered", s->recovered) &&
	          add_int(o, "net_payable", s->net_payable) && add_int(o, "refunded", s->refunded) &&
	          add_int(o, "released", s->released) &&
	          add_int(o, "units_shipped", s->units_shipped);
	for (size_t i = 0; ok && i < n; i++) {
		const struct fee_line *l = &lines[i];
		cJSON *j = cJSON_CreateObject();
		if (!j || !cJSON_AddItemToArray(arr, j)) {
			cJSON_Delete(j);
			ok = false;
			break;
		}
		ok = add_int(j, "line_no", (int64_t)i + 1) &&
		     add_int(j, "order_line", line_of[i]) &&
		     (l->sku[0] ? cJSON_AddStringToObject(j, "sku", l->sku)
		                : cJSON_AddNullToObject(j, "sku")) &&
		     cJSON_AddStringToObject(j, "fee_type", fee_type_name(l->type)) &&
		     cJSON_AddStringToObject(j, "direction", fee_direction_name(l->direction)) &&
		     cJSON_AddStringToObject(j, "treatment", fee_treatment_name(l->treatment)) &&
		     add_int(j, "gross", l->gross) && add_int(j, "waived", l->waived) &&
		     add_int(j, "net", l->net) && cJSON_AddStringToObject(j, "reason", l->reason);
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int fees_settle_price(const cJSON *in, struct fees_settle *out, enum fee_status *code,
                      char *err, size_t errlen)
{
	int rc = -1;
	struct fees_versions v = {0};
	struct wms_settle_line *items = NULL;
	struct fee_line *lines = NULL;
	int32_t *line_of = NULL;
	cJSON *rows = NULL, *settlement = NULL;
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(in, "lines");
	const struct fee_policy *policy;
	const struct fee_schedule *schedule;
	struct wms_settlement sum;
	struct fee_error fe;
	enum fee_mode mode;
	size_t n_items = (size_t)cJSON_GetArraySize(arr), n_lines = 0;
	int64_t paid = fees_json_count(in, "amount_paid");
	int64_t outstanding = fees_json_count(in, "advance_outstanding");
	/* refunded from the held escrow by claims before (absent: nothing) */
	int64_t refunded_before = cJSON_GetObjectItemCaseSensitive(in, "refunded")
	                              ? fees_json_count(in, "refunded") : 0;

	memset(out, 0, sizeof *out);
	*code = FEE_EINVAL;
	if (errlen > 0)
		err[0] = '\0';
	if (!cJSON_IsObject(in) || !cJSON_IsArray(arr) || n_items == 0 || paid < 0 ||
	    outstanding < 0 || refunded_before < 0 || fee_mode_parse(fees_json_str(in, "mode"), &mode) != 0 ||
	    strlen(fees_json_str(in, "currency")) != MONEY_CODE_LEN - 1) {
		snprintf(err, errlen, "settlement input is not order_settlement_input()'s object");
		goto done;
	}
	if (fees_versions_from_json(cJSON_GetObjectItemCaseSensitive(in, "versions"), &v, err,
	                            errlen) != 0 ||
	    fees_versions_pick(&v, mode, &policy, &schedule, err, errlen) != 0)
		goto done;
	size_t cap = wms_settle_max_lines(n_items);
	if (!(items = calloc(n_items, sizeof *items)) || !(lines = calloc(cap, sizeof *lines)) ||
	    !(line_of = calloc(cap, sizeof *line_of)))
		goto nomem;
	if (read_lines(arr, items, err, errlen) != 0)
		goto done;
	struct wms_settle_order order = {
		.ref = fees_json_str(in, "client_order_id"),
		.at = v.at,
		.amount_paid = paid,
		.advance_outstanding = outstanding,
		.refunded_before = refunded_before,
		.lines = items,
		.n_lines = n_items,
	};
	memcpy(order.currency, fees_json_str(in, "currency"), MONEY_CODE_LEN);
	if (wms_settle_order(policy, schedule, &order, lines, line_of, cap, &n_lines, &sum, &fe) !=
	    0) {
		*code = fe.code;
		snprintf(err, errlen, "%s", fe.msg);
		goto done;
	}
	struct fees_post_event pe = {
		.seller_id = fees_json_str(in, "seller_id"),
		.warehouse_id = fees_json_str(in, "warehouse_id"),
		.event_type = "sale",
		.event_id = fees_json_str(in, "order_id"),
		.event_at = fees_json_str(in, "at"),
		.mode = mode,
	};
	if (!(rows = cJSON_CreateArray()) || fees_post_append(rows, &pe, lines, n_lines, 1, arr) != 0 ||
	    !(settlement = settlement_json(in, policy, schedule, &sum, lines, line_of, n_lines)) ||
	    !(out->rows = cJSON_PrintUnformatted(rows)) ||
	    !(out->settlement = cJSON_PrintUnformatted(settlement)))
		goto nomem;
	out->refunded = sum.refunded;
	out->advance_outstanding = outstanding;
	*code = FEE_OK;
	rc = 0;
	goto done;
nomem:
	snprintf(err, errlen, "out of memory");
done:
	if (rc != 0)
		fees_settle_free(out);
	cJSON_Delete(settlement);
	cJSON_Delete(rows);
	free(line_of);
	free(lines);
	free(items);
	fees_versions_free(&v);
	return rc;
}
