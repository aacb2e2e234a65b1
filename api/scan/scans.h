/* scans.h — what the scan endpoints (receiving, putaway) share: reading the
 * scanned item (a raw scanner barcode or a GTIN, a count, a lot) from the
 * body, and answering from the SQL scan functions of sql/005_receiving.sql,
 * including the replay of a scan_id a concurrent twin stored first. */
#ifndef WMS_API_SCANS_H
#define WMS_API_SCANS_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "api/http/jsonv.h"
#include "api/http/req.h"

/* Most units one scan may count. */
#define SCAN_MAX_QTY 100000

/* The item a scan names. */
struct scan_item {
	char gtin[15];     /* 14 digits */
	char lot[21];      /* AI 10, "" when none */
	char qty[16];      /* the scan's quantity as a query parameter */
	const char *field; /* "barcode" or "gtin": the body field that named it */
};

/* Reads `barcode` (the raw scanner string, parsed with gs1_parse: a plain
 * EAN/UPC/GTIN-14, or element strings with (01), or (02)+(37) for a case of
 * items) or `gtin` (exactly one of them), and `qty` (1..SCAN_MAX_QTY; default
 * the AI 37 count, else 1; both given and different is an error). Every
 * problem is recorded in v under the field's name, with gs1_parse's reason
 * as the message. out is complete only when v gained no error. */
void scan_item_read(struct jsonv *v, const cJSON *b, struct scan_item *out);

/* Reads the required `scan_id` (a UUID). Returns it (owned by b) or NULL. */
const char *scan_id_read(struct jsonv *v, const cJSON *b);

/* The columns every scan statement selects from its scan function. */
#define SCAN_COLUMNS "status, problem, detail, body::text AS body, replayed"

/* Writes the detail of a problem the scan function left without one (e.g.
 * from the current state in body); NULL when there is nothing to add. */
typedef void scan_detail_fn(const char *problem, const cJSON *body, char *buf, size_t len);

#define SCAN_MAX_PARAMS 16

/* What a scan request keeps for its callback: the request's state must
 * begin with one (the strings belong to the request). */
struct scan_ctx {
	const char *kind;        /* "receiving" or "putaway" */
	const char *scan_id;
	const char *warehouse;   /* the staff scope, NULL for admin */
	const char *item_field;  /* the field a 422 about the item names */
	scan_detail_fn *detail_fn;
	/* the statement and its parameters, kept by scan_run() for one retry */
	const struct db_stmt *stmt;
	const char *params[SCAN_MAX_PARAMS];
	int nparams;
	bool retried;
};

/* Runs the scan statement stmt with params (request-lived strings) for r,
 * whose state begins with c; scan_on_result answers. A scan the database
 * refused with serialization_failure (its shipment changed state under it;
 * nothing was kept) is run once more. */
void scan_run(struct api_req *r, struct scan_ctx *c, const struct db_stmt *stmt, int nparams,
              const char *const *params);

/* The callback of a scan statement (r's state begins with a scan_ctx): 200 with the
 * answer (and "Idempotent-Replayed: true" for a stored one); the function's
 * error as a problem whose extra members come from body (a 422 becomes a
 * field error: the item field, or body.field); a unique violation of
 * scans_pkey (a twin on another connection stored this scan_id first) reads
 * the stored answer and replays it. */
void scan_on_result(struct api_req *r, const struct db_reply *rep);

#endif
