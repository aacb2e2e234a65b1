/* fees_settle.h — the sale-settlement hook: prices the settlement of an order (when the buyer
 * confirms receipt) from order_settlement_input()'s object into the seller-ledger rows it
 * posts and the settlement the order shows. The rules are wms/settle.h's; this file reads
 * the input, picks the versions in force and writes JSON. */
#ifndef WMS_API_FEES_SETTLE_H
#define WMS_API_FEES_SETTLE_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "wms/fees.h"

/* A priced settlement. The strings are malloc'd (fees_settle_free). */
struct fees_settle {
	char *rows;           /* seller_ledger rows, JSON array text (event_type "sale", event_id
	                       * the order's id, line_no 1..n), for order_settle() */
	char *settlement;     /* what the order shows, JSON object text: currency, settled_at,
	                       * mode, policy_version, schedule_version, sale_amount, fees, saved,
	                       * recovered, net_payable, refunded, released, units_shipped and the
	                       * lines posted (line_no, order_line, sku, fee_type, direction,
	                       * treatment, gross, waived, net, reason) */
	int64_t refunded;     /* the price of the short units, back to the buyer */
	int64_t advance_outstanding; /* the seller's advance outstanding the recoveries were
	                              * priced against */
};

/*
 * Prices the settlement of the order in input (order_settlement_input()'s object, read at
 * its "at", the request's time in whole seconds) with the policy of its mode and the schedule
 * in force then, the seller's advance outstanding recovered line after line. Returns 0 and
 * fills *out, or -1 with *code (FEE_ECURRENCY: the order is not in the schedule's currency;
 * otherwise a bad input, no version in force, an overflow or no memory) and err filled, and
 * *out empty. Either way free *out with fees_settle_free.
 */
int fees_settle_price(const cJSON *input, struct fees_settle *out, enum fee_status *code,
                      char *err, size_t errlen) __attribute__((warn_unused_result));

void fees_settle_free(struct fees_settle *s);

#endif
