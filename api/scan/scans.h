/* scans.h — what the scan endpoints (receiving, putaway, and those to come) share: reading
 * the scanned item (a raw scanner barcode or a GTIN, a count, a lot and an expiry) from the
 * body, the hash of what a scan says (a scan_id reused with another body is refused), and
 * answering from the SQL scan functions (sql/functions/receiving_scan.sql, putaway_scan.sql),
 * whose outcome is 'ok' or a slug of the problem catalogue. */
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
	char lot[21];      /* AI 10, else the body's `lot`; "" when none */
	char expiry[11];   /* AI 17, else the body's `expiry` (YYYY-MM-DD); "" when none */
	char qty[16];      /* the scan's quantity as a query parameter */
	const char *field; /* "barcode" or "gtin": the body field that named it */
};

/* Reads `barcode` (the raw scanner string, parsed with gs1_parse: a plain EAN/UPC/GTIN-14,
 * or element strings with (01), or (02)+(37) for a case of items) or `gtin` (exactly one of
 * them); `qty` (1..SCAN_MAX_QTY; default the AI 37 count, else 1; both given and different
 * is an error); and, for items whose barcode carries none, `lot` (what AI 10 may hold) and
 * `expiry` (a date): the barcode's own AI 10 and AI 17 win, and a body value that differs
 * from them is an error. Every problem is recorded in v under the field's name. out is
 * complete only when v gained no error. */
void scan_item_read(struct jsonv *v, const cJSON *b, struct scan_item *out);

/* Reads the required `scan_id` (a UUID). Returns it (owned by b) or NULL. */
const char *scan_id_read(struct jsonv *v, const cJSON *b);

/* The hash of what a scan says: SHA-256 (hex) over kind and the n fields (NULL for absent),
 * each length-prefixed. The same scan_id with another hash is a new scan with an old id. */
void scan_request_hash(const char *kind, const char *const *fields, int n, char out[65]);

/* The columns every scan statement selects from its scan function. */
#define SCAN_COLUMNS "outcome, detail, body::text AS body, replayed"

/* Writes the detail of a problem the scan function left without one (e.g.
 * from the current state in body); NULL when there is nothing to add. */
typedef void scan_detail_fn(const char *problem, const cJSON *body, char *buf, size_t len);

#define SCAN_MAX_PARAMS 24

/* What a scan request keeps for its callback: the request's state must
 * begin with one (the strings belong to the request). */
struct scan_ctx {
	const char *item_field;  /* the field a 422 about the item names */
	scan_detail_fn *detail_fn;
	/* the status of an 'ok' answer (0: 200) and, when set, the path an answer's body.id is
	 * appended to for a Location header (e.g. "/v1/orders/") */
	int ok_status;
	const char *location;
	/* the statement and its parameters, kept by scan_run() for one retry */
	const struct db_stmt *stmt;
	const char *params[SCAN_MAX_PARAMS];
	int nparams;
	bool retried;
};

/* Runs the scan statement stmt with params (request-lived strings) for r, whose state begins
 * with c; the answer is the scan function's outcome. A scan the database refused with
 * serialization_failure (its shipment changed state under it), deadlock_detected (it was
 * the victim of a lock cycle with another transaction) or SCAN_TWIN_SQLSTATE (a twin with
 * the same scan_id committed first) kept nothing, and runs once more: the second run answers
 * from the state it finds then (for a twin: its stored answer, or scan-id-reused). */
void scan_run(struct api_req *r, struct scan_ctx *c, const struct db_stmt *stmt, int nparams,
              const char *const *params);

/* scan_run() answering through cb, which gets the statement's reply and either answers it
 * itself or hands it to scan_answer() (cb NULL: scan_answer). For a handler that reacts to
 * some replies of its scan function (e.g. one more round after a refusal of its own). */
void scan_run_with(struct api_req *r, struct scan_ctx *c, const struct db_stmt *stmt, int nparams,
                   const char *const *params, api_db_fn *cb);

/* The answer scan_run() gives to rep, the reply of a statement selecting SCAN_COLUMNS: 200
 * (or c->ok_status) with body for 'ok', the outcome's problem otherwise, a failed statement
 * as api_reply_db_error (a refusal that kept nothing runs c->stmt once more, when scan_run
 * set it). r's state begins with the scan_ctx c. */
void scan_answer(struct api_req *r, const struct db_reply *rep);

/* The SQLSTATE the scan functions raise when the INSERT of their scan found the scan_id
 * taken by a twin that committed after their read. */
#define SCAN_TWIN_SQLSTATE "WS001"

/* The SQLSTATE of a movement taking more than its source holds (sql/functions/
 * inventory_post.sql); a CHECK on the quantity (23514) means the same. */
#define SCAN_NO_STOCK_SQLSTATE "WS002"

#endif
