/* fees_post.h — posting fee lines to the seller ledger: fee engine lines as
 * seller_ledger rows (a JSON array that one SQL statement inserts), and the
 * inbound-close hook that prices a close for the close statement.
 *
 * Posting is idempotent: every row carries (event_type, event_id, line_no),
 * unique per seller, and FEES_LEDGER_INSERT skips rows already posted, so a
 * retried event never charges twice. */
#ifndef WMS_API_FEES_POST_H
#define WMS_API_FEES_POST_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "wms/fees.h"

#define FEES_LEDGER_COLUMNS                                                                       \
	"seller_id, event_type, event_id, line_no, event_at, fee_type, direction, treatment, gross, " \
	"waived, net, currency, mode, policy_id, policy_version, schedule_id, schedule_version, "     \
	"warehouse_id, sku_id, reason"

/* An INSERT of the ledger rows in the JSON array text parameter rows (e.g.
 * "$7") when the SQL boolean guard holds (e.g. "EXISTS (SELECT 1 FROM
 * closed)"), skipping rows already posted (the conflict is named by its
 * columns, not by the constraint's name, which a shard does not share);
 * RETURNING id. Use it as a
 * data-modifying CTE of the statement that records the event, so the event
 * and its money commit together:
 *   "posted AS (" FEES_LEDGER_INSERT("$7", "EXISTS (SELECT 1 FROM closed)") ")" */
#define FEES_LEDGER_INSERT(rows, guard)                                                           \
	"INSERT INTO seller_ledger (" FEES_LEDGER_COLUMNS ") SELECT " FEES_LEDGER_COLUMNS            \
	" FROM json_populate_recordset(NULL::seller_ledger, (" rows ")::json) WHERE " guard         \
	" ON CONFLICT (seller_id, event_type, event_id, line_no) DO NOTHING RETURNING id"

/* What the rows of one event share. Strings are borrowed. event_at is a
 * timestamp PostgreSQL reads (fee_ts shape); warehouse_id may be NULL. */
struct fees_post_event {
	const char *seller_id;
	const char *warehouse_id;
	const char *event_type; /* "inbound_close", "storage_day", ... */
	const char *event_id;
	const char *event_at;
	enum fee_mode mode;
};

/* Appends lines[0..n) to the JSON array rows as seller_ledger rows numbered
 * line_no, line_no + 1, ... A line's sku (code) becomes sku_id through items
 * (an array of {"sku", "sku_id"}; may be NULL). Returns 0, or -1 when out of
 * memory. */
int fees_post_append(cJSON *rows, const struct fees_post_event *ev, const struct fee_line *lines,
                     size_t n, int line_no, const cJSON *items) __attribute__((warn_unused_result));

/*
 * The inbound-close hook. input is the text of
 * fees_inbound_close_input(warehouse_id, shipment_id, t)
 * (sql/functions/fees_inbound_close_input.sql), read by the close handler
 * before its close statement; t is the close time, the request's time in
 * whole seconds, which the close should also record as closed_at. Prices
 * the close with the mode's policy and the schedule in force at t
 * (wms/fees.h, FEE_EVENT_INBOUND_CLOSE): the inbound operation line over
 * good + damaged units (waived in semi_warehouse, platform-borne in full:
 * net 0, still written) and the advance credits (semi_warehouse: 60% of
 * declared value × good units of popular SKUs). A SKU whose declared value
 * is in another currency than the schedule gets no advance (no conversion;
 * logged).
 *
 * Returns the ledger rows as JSON array text (malloc'd; caller frees), to
 * pass to FEES_LEDGER_INSERT in the close statement — event_type
 * "inbound_close", event_id the shipment id, line_no 1..n. Returns NULL with
 * err filled when the close cannot be priced (bad input, no version in
 * force, overflow): the close should then fail rather than go unrecorded.
 */
char *fees_inbound_close_rows(const char *input, char *err, size_t errlen);

#endif
