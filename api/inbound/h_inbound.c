/* h_inbound.c — inbound shipments (ASNs): booking (a seller for itself, or
 * an admin naming the seller), reading and listing. Sellers see their own
 * shipments, staff those of their warehouse, admin and platform all; any
 * other shipment is 404. State changes are in h_inbound_transitions.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/inbound/h_inbound_booking.h"
#include "api/http/idem.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "wms/inbound.h"

/* Parameters of the create statement after idem.h's $1..$3. */
enum { P_SELLER_ID = 3, P_SELLER_CODE, P_WAREHOUSE, P_MODE, P_HANDOVER, P_ARRIVAL, P_ADDRESS,
       P_READY_FROM, P_READY_UNTIL, P_LINES, P_CARTONS, P_NOW, NPARAMS };

/* Books a shipment in one statement: resolves the warehouse, the seller and
 * every line's SKU (the seller's own), finds cartons whose SSCC the warehouse
 * has seen before, and — when all is well and the Idempotency-Key lets it
 * proceed — books it with inbound_book() (the shipment, its lines, cartons
 * and carton lines on the warehouse's shard, answering the shipment as a read
 * shows it) and stores the answer. The idem_store body argument carries a
 * FROM clause, so that nothing is stored when nothing was created (a rejected
 * booking leaves the key free for the corrected request). $15 is the
 * request's time. Columns: idem.h's, then no_warehouse, no_seller, bad_skus
 * (0-based line indexes), used_ssccs (0-based carton indexes), id and body
 * (NULL unless created). */
DB_STMT(stmt_create) = {
	"inbound_create",
	"WITH " IDEM_CTES ","
	" wh AS (SELECT w.id FROM warehouses w WHERE w.code = $6),"
	" sel AS (SELECT seller_ref($4::uuid, $5, NULL) AS id),"
	" ln AS (SELECT l.i, l.lot, l.expiry, l.qty, k.id AS sku_id"
	"   FROM jsonb_to_recordset($13::jsonb) AS l (i int, sku text, lot text, expiry date, qty int)"
	"   LEFT JOIN skus k ON k.seller_id = (SELECT id FROM sel) AND k.sku_code = l.sku),"
	" cl AS (SELECT c.i, c.sscc, x.line, x.qty"
	"   FROM jsonb_to_recordset($14::jsonb) AS c (i int, sscc char(18), lines jsonb)"
	"   CROSS JOIN LATERAL jsonb_to_recordset(c.lines) AS x (line int, qty int)),"
	" chk AS (SELECT NOT EXISTS (SELECT 1 FROM wh) AS no_warehouse,"
	"   (SELECT id FROM sel) IS NULL AS no_seller,"
	"   ARRAY(SELECT ln.i FROM ln WHERE ln.sku_id IS NULL ORDER BY ln.i) AS bad_skus,"
	"   ARRAY(SELECT DISTINCT cl.i FROM cl JOIN inbound_cartons ic"
	"         ON ic.warehouse_id = (SELECT id FROM wh) AND ic.sscc = cl.sscc ORDER BY cl.i) AS used_ssccs),"
	" booked AS (SELECT inbound_book((SELECT id FROM wh), (SELECT id FROM sel), $7, $8, $9::date,"
	"     $10::jsonb, $11::timestamptz, $12::timestamptz,"
	"     (SELECT jsonb_agg(jsonb_build_object('i', i, 'sku_id', sku_id, 'lot', lot,"
	"                                          'expiry', expiry, 'qty', qty)) FROM ln),"
	"     coalesce((SELECT jsonb_agg(jsonb_build_object('sscc', sscc, 'line', line, 'qty', qty))"
	"               FROM cl), '[]'::jsonb), $15::timestamptz) AS body FROM chk"
	"   WHERE NOT chk.no_warehouse AND NOT chk.no_seller AND cardinality(chk.bad_skus) = 0"
	"     AND cardinality(chk.used_ssccs) = 0 AND " IDEM_PROCEED "),"
	" created AS (SELECT (b.body->>'id')::uuid AS id, b.body FROM booked b),"
	" " IDEM_STORE_CTE("201", "c.body FROM created c") " "
	"SELECT " IDEM_COLUMNS ", chk.no_warehouse, chk.no_seller, chk.bad_skus, chk.used_ssccs,"
	" (SELECT id FROM created) AS id, (SELECT body::text FROM created) AS body FROM chk"};

/* $1 the shipment's id or $4 its ASN number; $2 seller scope, $3 warehouse scope. NULL when
 * there is none. inbound_find() finds the shipment, then reads it on its warehouse's shard
 * (sql/functions/inbound_find.sql). */
DB_STMT(stmt_get) = {
	"inbound_get",
	"SELECT inbound_find($1::uuid, $4, $2::uuid, $3::uuid)::text"};

/* $1 limit, $2/$3 cursor, $4 seller scope, $5 warehouse scope, $6 state,
 * $7 warehouse code filter. inbound_page() finds the page's shipments, then reads each on
 * its warehouse's shard. */
DB_STMT(stmt_list) = {
	"inbound_list",
	"SELECT inbound_page($1::int, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7)"};

/* What a create keeps across its database callbacks. */
struct create_state {
	struct idem idem;
	struct inbound_booking bk;
	const char *p[NPARAMS];
	int retried;
};

static void create_state_free(void *arg)
{
	struct create_state *st = arg;
	inbound_booking_free(&st->bk);
	free(st);
}

/* A field error about one item of a request array: "<array>[i].<member>",
 * the code, and a message that quotes the member's value. */
struct item_error {
	const char *array, *member, *code;
	const char *before, *after; /* the message around the quoted value */
};

/* Adds e to problem p for each index listed in arr, a PostgreSQL int[] text
 * ("{0,3}"); the values come from the request body. */
static void add_item_errors(cJSON *p, const cJSON *body, const char *arr, const struct item_error *e)
{
	for (const char *s = arr ? arr : ""; *s;) {
		char *end, field[48], msg[160];
		long i = strtol(s, &end, 10);
		if (end == s) {
			s++;
			continue;
		}
		s = end;
		const cJSON *item = cJSON_GetArrayItem(cJSON_GetObjectItem(body, e->array), (int)i);
		const char *value = cJSON_GetStringValue(cJSON_GetObjectItem(item, e->member));
		snprintf(field, sizeof field, "%s[%ld].%s", e->array, i, e->member);
		snprintf(msg, sizeof msg, "%s\"%.64s\"%s", e->before, value ? value : "", e->after);
		problem_add_error(p, field, e->code, msg);
	}
}

static const struct item_error unknown_sku = {"lines", "sku", "not_found", "the seller has no SKU ", ""};
static const struct item_error used_sscc = {"cartons", "sscc", "duplicate", "SSCC ",
                                            " is already used in this warehouse"};

/* Answers a booking the statement refused: 422 naming the unknown
 * warehouse, seller or SKUs; else 409 naming the cartons whose SSCC the
 * warehouse has already seen. */
static void reply_refused(struct api_req *r, const PGresult *res)
{
	const cJSON *body = api_req_body(r);
	bool no_wh = db_value_bool(res, 0, "no_warehouse"), no_seller = db_value_bool(res, 0, "no_seller");
	const char *bad = db_value(res, 0, "bad_skus");
	bool skus = !no_seller && bad && strcmp(bad, "{}") != 0;
	bool missing = no_wh || no_seller || skus;
	cJSON *p = missing ? problem_new(PROBLEM_VALIDATION, "the booking names things that do not exist")
	                   : problem_new(PROBLEM_CONFLICT,
	                                 "a carton's SSCC is already used in this warehouse");
	if (!p) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	if (no_wh)
		problem_add_error(p, "warehouse", "not_found", "no warehouse with this code");
	if (no_seller)
		problem_add_error(p, "seller", "not_found", "no seller with this id or code");
	if (skus)
		add_item_errors(p, body, bad, &unknown_sku);
	if (!missing)
		add_item_errors(p, body, db_value(res, 0, "used_ssccs"), &used_sscc);
	api_reply_problem_doc(r, p);
}

static void on_created(struct api_req *r, const struct db_reply *rep)
{
	struct create_state *st = api_req_state(r);
	/* A concurrent booking committed one of these SSCCs after this
	 * statement's snapshot (or, with an Idempotency-Key, a twin of this very
	 * request did): run once more, so that the new snapshot answers with the
	 * 409 naming the carton, or with the twin's stored answer. */
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate && strcmp(rep->sqlstate, "23505") == 0 &&
	    !db_reply_duplicate(rep, "idempotency_keys", NULL) && !st->retried) {
		st->retried = 1;
		api_query_or_reply(r, &stmt_create, NPARAMS, st->p, on_created);
		return;
	}
	if (idem_reply_unless_created(r, &st->idem, rep))
		return;
	const char *body = db_value(rep->res, 0, "body");
	if (!body) {
		reply_refused(r, rep->res);
		return;
	}
	char location[80];
	snprintf(location, sizeof location, "/v1/inbound-shipments/%s", db_value(rep->res, 0, "id"));
	api_req_add_header(r, "Location", location);
	api_reply_json_text(r, 201, body, strlen(body));
}

void h_inbound_create(struct api_req *r)
{
	struct create_state *st = api_req_new_state_or_reply(r, sizeof *st, create_state_free);
	if (!st)
		return;
	if (idem_begin_or_reply(r, &st->idem) != 0)
		return;
	struct jsonv v = JSONV_INIT;
	const char *own = api_scope_seller(r);
	if (inbound_booking_read(&v, api_req_body(r), own != NULL, &st->bk) != 0) {
		jsonv_free(&v);
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const struct inbound_booking *bk = &st->bk;
	const char **p = st->p;
	p[0] = st->idem.scope;
	p[1] = st->idem.key;
	p[2] = st->idem.hash;
	p[P_SELLER_ID] = own ? own : bk->seller_id;
	p[P_SELLER_CODE] = own ? NULL : bk->seller_code;
	p[P_WAREHOUSE] = bk->warehouse;
	p[P_MODE] = bk->mode;
	p[P_HANDOVER] = bk->handover;
	p[P_ARRIVAL] = bk->expected_arrival;
	p[P_ADDRESS] = bk->address;
	p[P_READY_FROM] = bk->ready_from;
	p[P_READY_UNTIL] = bk->ready_until;
	p[P_LINES] = bk->lines;
	p[P_CARTONS] = bk->cartons;
	p[P_NOW] = api_req_now_text(r);
	api_query_or_reply(r, &stmt_create, NPARAMS, p, on_created);
}

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such inbound shipment");
}

void h_inbound_get(struct api_req *r)
{
	const char *ref = api_req_param(r, "id");
	bool uuid = ref && jsonv_is_uuid(ref);
	const char *p[] = {uuid ? ref : NULL, api_scope_seller(r), api_scope_warehouse(r),
	                   uuid ? NULL : ref};
	api_query_or_reply(r, &stmt_get, 4, p, on_found);
}

/* Filters: ?state= (a state name; another value is 400), ?warehouse= (a
 * warehouse code; an unknown one lists nothing). */
void h_inbound_list(struct api_req *r)
{
	struct api_page pg;
	enum wms_inbound_state st;
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *state = api_req_query(r, "state");
	if (state && wms_inbound_state_parse(state, &st) != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY,
		                  "state must be one of booked, in_transit, arrived, receiving, closed, "
		                  "cancelled");
		return;
	}
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id, api_scope_seller(r),
	                   api_scope_warehouse(r), state, api_req_query(r, "warehouse")};
	api_query_or_reply(r, &stmt_list, 7, p, on_found);
}
