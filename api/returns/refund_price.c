/* refund_price.c — pricing a refund from the database's read (see refund_price.h). */
#include "api/returns/refund_price.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_load.h"
#include "api/fees/fees_post.h"
#include "wms/codes.h"

void refund_priced_free(struct refund_priced *p)
{
	free(p->rows);
	p->rows = NULL;
}

/* The net commission the sale's settlement charged on order line `line`, and the units it
 * sold (qty − short − escrow_refunded at the settlement: the escrow was released then, so
 * none were refunded from it after). */
static int64_t sold_commission(const cJSON *settlement, int64_t line)
{
	int64_t sum = 0;
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(settlement, "lines"))
	{
		if (fees_json_count(l, "order_line") == line &&
		    strcmp(fees_json_str(l, "fee_type"), "commission") == 0 &&
		    fees_json_count(l, "net") > 0)
			sum += fees_json_count(l, "net");
	}
	return sum;
}

int refund_price(const cJSON *order, const cJSON *line, const char *kind, int64_t units,
                 enum wms_liability liability, int64_t returned_units, struct refund_priced *out,
                 char *err, size_t errlen)
{
	struct fees_versions v = {0};
	const struct fee_policy *policy = NULL;
	const struct fee_schedule *schedule = NULL;
	struct fee_line lines[WMS_REFUND_MAX_LINES];
	struct fee_error fe;
	enum fee_mode mode;
	size_t n = 0;
	int rc = -1;
	cJSON *rows = NULL;
	int64_t paid = fees_json_count(order, "amount_paid");
	int64_t refunded = fees_json_count(order, "refunded");
	int64_t price = fees_json_count(line, "unit_price");
	int64_t qty = fees_json_count(line, "qty"), shrt = fees_json_count(line, "short");
	int64_t esc = fees_json_count(line, "escrow_refunded");
	const char *currency = fees_json_str(order, "currency");
	bool held = strcmp(fees_json_str(order, "escrow"), "held") == 0;

	memset(out, 0, sizeof *out);
	if (paid < 0 || refunded < 0 || price < 0 || qty < 0 || shrt < 0 || esc < 0 || units < 0 ||
	    fee_mode_parse(fees_json_str(order, "mode"), &mode) != 0 ||
	    strlen(currency) != MONEY_CODE_LEN - 1) {
		snprintf(err, errlen, "the refund's input is not claim_input()'s or refund_input()'s");
		return -1;
	}
	if (money_mul(price, units, &out->requested) != 0) {
		snprintf(err, errlen, "the refund overflows");
		return -1;
	}
	out->state = wms_refund_outcome(out->requested, paid - refunded, liability, &out->amount);
	out->source = held ? "escrow" : "seller_ledger";
	out->escrow_units = held && out->amount > 0 ? units : 0;

	if (fees_versions_from_json(cJSON_GetObjectItemCaseSensitive(order, "versions"), &v, err,
	                            errlen) != 0)
		goto done;
	if (returned_units > 0 &&
	    fees_versions_pick(&v, mode, &policy, &schedule, err, errlen) != 0)
		goto done;
	if (schedule && strcmp(schedule->currency, currency) != 0) {
		snprintf(err, errlen, "the order is in %s; the fee schedule in force is in %s, and "
		         "amounts are not converted", currency, schedule->currency);
		goto done;
	}
	struct wms_refund_in in = {
		.ref = fees_json_str(order, "client_order_id"),
		.sku = fees_json_str(line, "sku"),
		.kind = kind,
		.mode = mode,
		.escrow_held = held,
		.liability = liability,
		.units = units,
		.amount = out->amount,
		.unit_price = price,
		.supply_price = fees_json_count(line, "supply_price"),
		.sold_commission = sold_commission(cJSON_GetObjectItemCaseSensitive(order, "settlement"),
		                                   fees_json_count(line, "line")),
		.sold_units = qty - shrt - esc,
		.returned_units = returned_units,
		.policy = policy,
		.schedule = schedule,
		.at = v.at,
		.currency_exponent = wms_currency_exponent(currency),
	};
	memcpy(in.currency, currency, MONEY_CODE_LEN);
	if (in.supply_price < 0)
		in.supply_price = 0;
	if (in.currency_exponent < 0)
		in.currency_exponent = 2;
	if (wms_refund_lines(&in, lines, WMS_REFUND_MAX_LINES, &n, &fe) != 0) {
		snprintf(err, errlen, "%s", fe.msg);
		goto done;
	}
	struct fees_post_event pe = {
		.seller_id = fees_json_str(order, "seller_id"),
		.warehouse_id = fees_json_str(order, "warehouse_id")[0]
		                    ? fees_json_str(order, "warehouse_id") : NULL,
		.event_type = "return",
		.event_id = "-", /* the refund's id: refund_apply() sets it */
		.event_at = fees_json_str(order, "at"),
		.mode = mode,
	};
	/* the line's SKU code → its id */
	cJSON *items = cJSON_CreateArray();
	cJSON *item = items ? cJSON_CreateObject() : NULL;
	if (item && !cJSON_AddItemToArray(items, item)) {
		cJSON_Delete(item);
		item = NULL;
	}
	bool ok = item && cJSON_AddStringToObject(item, "sku", in.sku) &&
	          cJSON_AddStringToObject(item, "sku_id", fees_json_str(line, "sku_id")) &&
	          (rows = cJSON_CreateArray()) && fees_post_append(rows, &pe, lines, n, 1, items) == 0 &&
	          (out->rows = cJSON_PrintUnformatted(rows));
	cJSON_Delete(items);
	if (!ok) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	rc = 0;
done:
	if (rc != 0)
		refund_priced_free(out);
	cJSON_Delete(rows);
	fees_versions_free(&v);
	return rc;
}
