/* refund_price.h — prices a refund for its issue (wms/refund.h) from what claim_input() or
 * refund_input() read: how much the buyer gets back out of what is left of the payment, from
 * where (the held escrow or the seller's ledger), and the seller-ledger rows it posts (as
 * JSON text for claim_open() / refund_issue()). */
#ifndef WMS_API_REFUND_PRICE_H
#define WMS_API_REFUND_PRICE_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "wms/claim.h"
#include "wms/refund.h"

/* A priced refund. rows is malloc'd (refund_priced_free). */
struct refund_priced {
	enum wms_refund_state state;
	int64_t requested;    /* units × unit price */
	int64_t amount;       /* what the buyer gets back */
	const char *source;   /* "escrow" or "seller_ledger" (static) */
	int64_t escrow_units; /* units that leave the sale (source escrow, amount > 0) */
	char *rows;           /* seller_ledger rows, JSON array text */
};

/* Prices a refund of units of the order's line, borne by liability, for a claim of kind;
 * returned_units were received back at a returns centre (the return handling fee; 0: none).
 * order is claim_input()'s or refund_input()'s object (seller_id, client_order_id, mode,
 * escrow, currency, amount_paid, refunded, warehouse_id, settlement, versions, at), line its
 * "line". Returns 0 and fills *out, or -1 with err (bad input, no fee versions in force for
 * a return handling fee, an overflow, no memory); free *out either way. */
int refund_price(const cJSON *order, const cJSON *line, const char *kind, int64_t units,
                 enum wms_liability liability, int64_t returned_units, struct refund_priced *out,
                 char *err, size_t errlen) __attribute__((warn_unused_result));

void refund_priced_free(struct refund_priced *p);

#endif
