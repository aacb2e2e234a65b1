/* accrue.h — storage accrual: one day's warehouse rent per seller, warehouse
 * and mode, posted to the seller ledger (event_type "storage_day", event_id
 * "<warehouse_id>:<YYYY-MM-DD>", line_no 1 + the mode's number, so running a
 * day twice charges it once). Run by `wmsd accrue-storage` and by the
 * server's daily timer (WMS_STORAGE_ACCRUAL_AT).
 *
 * A day D is [D 00:00, D+1 00:00) UTC. Its stock is on-hand (sellable +
 * quarantine) at the end of D, i.e. on-hand now minus the movements since;
 * its rent is priced with the schedule and policies in force at D 00:00 UTC
 * (wms/fees.h FEE_EVENT_STORAGE_DAY). Waived and platform-borne lines are
 * written too (net 0), so statements show what was saved. */
#ifndef WMS_API_ACCRUE_H
#define WMS_API_ACCRUE_H

#include <stddef.h>

struct api_app;
struct accrue_timer;

/* What one accrual found and wrote. */
struct accrue_result {
	int groups;             /* seller × warehouse × mode with stock, not yet charged */
	int lines;              /* ledger lines built (0 when the stock has no volume) */
	long unattributed;      /* SKU stocks with no inbound shipment to take a mode from */
	long already_charged;   /* seller × warehouse already charged for the day */
};

/* The ledger rows for storage_accrual_input(D)'s JSON text input, as a JSON
 * array text (malloc'd; caller frees) for FEES_LEDGER_INSERT; fills *res.
 * Returns NULL with err filled when the day cannot be priced. */
char *accrue_rows(const char *input, struct accrue_result *res, char *err, size_t errlen);

/* `wmsd accrue-storage [--date YYYY-MM-DD]` (default: yesterday, UTC; the
 * day must have ended). Blocking libpq. Prints what it charged; returns the
 * exit code. */
int accrue_main(const char *conninfo, int argc, char **argv);

/* Starts the daily accrual of the day just ended at app->cfg's
 * storage_accrual_minute (UTC) through the non-blocking pool; a failed run is
 * retried every 10 minutes until it succeeds or the next day's run starts.
 * Returns NULL when the timer is off (-1) or cannot be created (logged). Free
 * with accrue_timer_free after db_pool_free (which completes its queries). */
struct accrue_timer *accrue_timer_start(struct api_app *app);
void accrue_timer_free(struct accrue_timer *t);

#endif
