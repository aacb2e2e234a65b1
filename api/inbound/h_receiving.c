/* h_receiving.c — POST /v1/receiving/scans: one item scan at the receiving dock (staff of
 * the shipment's warehouse, admin). The handler reads and checks the request; the whole
 * scan is one call of the SQL function receiving_scan() (sql/functions/receiving_scan.sql),
 * the one home of the receiving rule: which line a scan counts on (by lot, else the open
 * lines in order), unexpected items and lots, expired units, the over-receipt guard atomic
 * with the count, exactly once by scan_id, the first scan moving the shipment arrived →
 * receiving. Units stay on the shipment's lines (and their receipts per lot and expiry)
 * until close, which turns them into stock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/gs1.h"
#include "wms/inbound.h"

/* $1 warehouse, $2/$3/$4 shipment id / SSCC / ASN, $5 scan_id, $6 key id, $7 request hash,
 * $8 GTIN, $9 lot, $10 expiry, $11 qty, $12 condition, $13 confirm_over, $14
 * confirm_unexpected, $15 confirm_expired, $16 the states receive_scan is allowed from, $17
 * its target state, $18 now. The bench (tests/bench/run.sh) runs this same text with
 * pgbench. */
DB_STMT(stmt_scan) = {
	"receiving_scan",
	"SELECT " SCAN_COLUMNS " FROM receiving_scan($1::uuid, $2::uuid, $3, $4, $5::uuid, $6::uuid,"
	" $7, $8, $9, $10::date, $11::int, $12, $13::boolean, $14::boolean, $15::boolean, $16::text[],"
	" $17, $18::timestamptz)"};

/* An admin names no warehouse: the shipment's is found first, so that the scan touches one
 * warehouse's rows ($1/$2/$3 shipment id / SSCC / ASN; the newest when an ASN or SSCC was
 * used in several). */
DB_STMT(stmt_resolve) = {
	"receiving_resolve",
	"SELECT s.warehouse_id FROM inbound_shipments s"
	" WHERE s.id = $1::uuid OR s.asn = $3"
	"    OR (s.warehouse_id, s.id) IN (SELECT c.warehouse_id, c.shipment_id FROM inbound_cartons c"
	"                                  WHERE c.sscc = $2::bpchar)"
	" ORDER BY s.created_at DESC LIMIT 1"};

enum { P_WAREHOUSE, P_ID, P_SSCC, P_ASN, P_SCAN, P_KEY, P_HASH, P_GTIN, P_LOT, P_EXPIRY, P_QTY,
       P_COND, P_CONFIRM_OVER, P_CONFIRM_UNEXPECTED, P_CONFIRM_EXPIRED, P_ALLOWED, P_TARGET,
       P_NOW, NPARAMS };

/* Whether s is exactly n digits. */
static bool digits(const char *s, size_t n)
{
	size_t i = 0;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i == n && s[i] == '\0';
}

/* Sorts the `shipment` reference into p: the shipment id (a UUID); a carton
 * SSCC (18 digits, "00" + 18 digits, or a scanned GS1 label with AI 00 and
 * an AIM prefix, whose SSCC lands in sscc); else an ASN number. */
static void shipment_ref(const char *ref, const char *p[NPARAMS], char sscc[19])
{
	struct gs1_result g;
	if (jsonv_is_uuid(ref)) {
		p[P_ID] = ref;
	} else if (digits(ref, 18)) {
		p[P_SSCC] = ref;
	} else if ((digits(ref, 20) && strncmp(ref, "00", 2) == 0) ||
	           (ref[0] == ']' && gs1_parse(ref, strlen(ref), 2000, &g, NULL, 0) == 0 &&
	            (g.present & GS1_HAS_SSCC))) {
		if (ref[0] == ']')
			memcpy(sscc, g.sscc, 19);
		else
			memcpy(sscc, ref + 2, 19);
		p[P_SSCC] = sscc;
	} else {
		p[P_ASN] = ref;
	}
}

/* The detail of a wrong-state 409: before the dock check-in, say so. */
static void state_detail(const char *problem, const cJSON *body, char *buf, size_t len)
{
	enum wms_inbound_state st;
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(body, "state");
	if (strcmp(problem, "wrong-state") != 0 || !cJSON_IsString(state) ||
	    wms_inbound_state_parse(state->valuestring, &st) != 0)
		return;
	if (wms_inbound_can(st, WMS_INBOUND_DO_ARRIVE))
		snprintf(buf, len, "shipment is %s: check it in at the dock first (POST "
		         "/v1/inbound-shipments/{id}/arrive)", state->valuestring);
	else
		snprintf(buf, len, "shipment is %s: it takes no more receiving scans",
		         state->valuestring);
}

/* The per-request buffers the parameters point into. */
struct receiving_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	struct scan_item item;
	char sscc[19];
	char allowed[64];
	char hash[65];
	char now[INSTANT_TEXT];
	char warehouse[37];
	const char *p[NPARAMS];
};

/* The admin's scan after its shipment's warehouse was found. */
static void on_resolved(struct api_req *r, const struct db_reply *rep)
{
	struct receiving_req *q = api_req_state(r);
	if (api_found_or_reply(r, rep, "no such inbound shipment") != 0)
		return;
	snprintf(q->warehouse, sizeof q->warehouse, "%s", db_value(rep->res, 0, "warehouse_id"));
	q->p[P_WAREHOUSE] = q->warehouse;
	scan_run(r, &q->ctx, &stmt_scan, NPARAMS, q->p);
}

void h_receiving_scan(struct api_req *r)
{
	static const char *const fields[] = {"scan_id", "shipment", "barcode", "gtin", "qty", "lot",
	                                     "expiry", "condition", "confirm_over",
	                                     "confirm_unexpected", "confirm_expired", NULL};
	static const char *const conditions[] = {"good", "damaged", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT;
	struct receiving_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;

	jsonv_no_unknown(&v, b, "", fields);
	const char *scan_id = scan_id_read(&v, b);
	const char *shipment = jsonv_string(&v, b, "shipment", true, 1, 64);
	scan_item_read(&v, b, &q->item);
	int cond = jsonv_enum(&v, b, "condition", false, conditions);
	bool over = false, unexpected = false, expired = false;
	(void)jsonv_bool(&v, b, "confirm_over", false, &over);
	(void)jsonv_bool(&v, b, "confirm_unexpected", false, &unexpected);
	(void)jsonv_bool(&v, b, "confirm_expired", false, &expired);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (wms_inbound_allowed_pg_array(WMS_INBOUND_DO_RECEIVE_SCAN, q->allowed,
	                                 sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}

	const char **p = q->p;
	p[P_WAREHOUSE] = api_scope_warehouse(r);
	shipment_ref(shipment, p, q->sscc);
	p[P_SCAN] = scan_id;
	p[P_KEY] = api_req_principal(r)->key_id;
	p[P_GTIN] = q->item.gtin;
	p[P_LOT] = q->item.lot[0] ? q->item.lot : NULL;
	p[P_EXPIRY] = q->item.expiry[0] ? q->item.expiry : NULL;
	p[P_QTY] = q->item.qty;
	p[P_COND] = conditions[cond >= 0 ? cond : 0];
	p[P_CONFIRM_OVER] = over ? "true" : "false";
	p[P_CONFIRM_UNEXPECTED] = unexpected ? "true" : "false";
	p[P_CONFIRM_EXPIRED] = expired ? "true" : "false";
	const char *said[] = {shipment, p[P_GTIN], p[P_LOT], p[P_EXPIRY], p[P_QTY], p[P_COND],
	                      p[P_CONFIRM_OVER], p[P_CONFIRM_UNEXPECTED], p[P_CONFIRM_EXPIRED]};
	scan_request_hash("receiving", said, (int)(sizeof said / sizeof said[0]), q->hash);
	p[P_HASH] = q->hash;
	p[P_ALLOWED] = q->allowed;
	p[P_TARGET] = wms_inbound_state_name(wms_inbound_target(WMS_INBOUND_DO_RECEIVE_SCAN));
	instant_format(api_req_now_us(r), q->now);
	p[P_NOW] = q->now;

	q->ctx.item_field = q->item.field;
	q->ctx.detail_fn = state_detail;
	if (p[P_WAREHOUSE]) {
		scan_run(r, &q->ctx, &stmt_scan, NPARAMS, p);
	} else {
		const char *rp[] = {p[P_ID], p[P_SSCC], p[P_ASN]};
		api_query_or_reply(r, &stmt_resolve, 3, rp, on_resolved);
	}
}
