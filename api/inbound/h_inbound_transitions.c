/* h_inbound_transitions.c — the seller's and the dock's state changes of an
 * inbound shipment: cancel (the seller, admin), in-transit with carrier and
 * tracking number (the seller, admin), and arrive, the dock check-in (staff
 * of the shipment's warehouse, admin). The table of what is allowed from
 * where is wms/inbound.h's; one guarded UPDATE applies it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "wms/inbound.h"

/* Applies one transition. $1 the shipment id, or $2 one of its cartons'
 * SSCC, or $3 its ASN (one of the three given); $4 the seller scope, $5 the
 * warehouse scope; $6 the states the action is allowed from (a text[]
 * literal from wms_inbound_allowed_pg_array), $7 the target state; $8, $9
 * carrier and tracking number (in_transit; else NULL); $10 the request's time. The shipment is read
 * FOR UPDATE first, so its state is the latest even under a concurrent
 * change. Zero rows: no such shipment in scope; state and a NULL body: the
 * action is not allowed from that state; else body is the updated shipment.
 * An SSCC or ASN that names shipments in several warehouses (admin) picks
 * the newest. */
DB_STMT(stmt_transition) = {
	"inbound_transition",
	"WITH cur AS (SELECT s.warehouse_id, s.id, s.state FROM inbound_shipments s"
	"  WHERE s.id = coalesce($1::uuid,"
	"      (SELECT c.shipment_id FROM inbound_cartons c, inbound_shipments cs"
	"       WHERE $2::text IS NOT NULL AND c.sscc = $2::bpchar"
	"         AND ($5::uuid IS NULL OR c.warehouse_id = $5::uuid)"
	"         AND cs.warehouse_id = c.warehouse_id AND cs.id = c.shipment_id"
	"       ORDER BY cs.created_at DESC LIMIT 1),"
	"      (SELECT a.id FROM inbound_shipments a WHERE $3::text IS NOT NULL AND a.asn = $3"
	"         AND ($5::uuid IS NULL OR a.warehouse_id = $5::uuid)"
	"       ORDER BY a.created_at DESC LIMIT 1))"
	"    AND ($4::uuid IS NULL OR s.seller_id = $4::uuid)"
	"    AND ($5::uuid IS NULL OR s.warehouse_id = $5::uuid)"
	"  LIMIT 1 FOR UPDATE),"
	" upd AS (UPDATE inbound_shipments s SET state = $7,"
	"    in_transit_at = CASE WHEN $7 = 'in_transit' THEN $10::timestamptz ELSE s.in_transit_at END,"
	"    arrived_at = CASE WHEN $7 = 'arrived' THEN $10::timestamptz ELSE s.arrived_at END,"
	"    cancelled_at = CASE WHEN $7 = 'cancelled' THEN $10::timestamptz ELSE s.cancelled_at END,"
	"    carrier = coalesce($8, s.carrier), tracking_number = coalesce($9, s.tracking_number),"
	"    updated_at = $10::timestamptz"
	"  FROM cur WHERE s.warehouse_id = cur.warehouse_id AND s.id = cur.id"
	"    AND s.state = ANY($6::text[])"
	"  RETURNING inbound_shipment_doc(s)::text AS body) "
	"SELECT cur.state, (SELECT body FROM upd) AS body FROM cur"};

enum { P_ID, P_SSCC, P_ASN, P_SELLER, P_WAREHOUSE, P_ALLOWED, P_TARGET, P_CARRIER, P_TRACKING,
       P_NOW, NPARAMS };

/* What a transition keeps for its callback. */
struct transition_state {
	enum wms_inbound_action act;
	char allowed[64];
	char now[INSTANT_TEXT];
};

/* 409 "shipment is receiving; cancel is allowed from booked, in_transit",
 * with the current state as the problem's `state` member. */
static void reply_wrong_state(struct api_req *r, enum wms_inbound_action act, const char *state)
{
	enum wms_inbound_state from[WMS_INBOUND_STATE_COUNT];
	size_t n = wms_inbound_allowed_from(act, from, WMS_INBOUND_STATE_COUNT);
	char list[128] = "", detail[256];
	for (size_t i = 0; i < n && i < WMS_INBOUND_STATE_COUNT; i++) {
		size_t len = strlen(list);
		snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", wms_inbound_state_name(from[i]));
	}
	snprintf(detail, sizeof detail, "shipment is %s; %s is allowed from %s", state,
	         wms_inbound_action_name(act), list);
	cJSON *p = problem_new(PROBLEM_WRONG_STATE, detail);
	if (p && !cJSON_AddStringToObject(p, "state", state)) {
		cJSON_Delete(p);
		p = NULL;
	}
	api_reply_problem_doc(r, p);
}

static void on_transition(struct api_req *r, const struct db_reply *rep)
{
	struct transition_state *st = api_req_state(r);
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
	} else if (PQntuples(rep->res) == 0) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such inbound shipment");
	} else if (!db_value(rep->res, 0, "body")) {
		reply_wrong_state(r, st->act, db_value(rep->res, 0, "state"));
	} else {
		const char *body = db_value(rep->res, 0, "body");
		api_reply_json_text(r, 200, body, strlen(body));
	}
}

/* Runs act on the shipment p[P_ID..P_ASN] names (the scopes and the rest of
 * p filled here; carrier and tracking as the caller set them). */
static void transition(struct api_req *r, enum wms_inbound_action act, const char *p[NPARAMS])
{
	struct transition_state *st = api_req_new_state_or_reply(r, sizeof *st, NULL);
	if (!st)
		return;
	st->act = act;
	if (wms_inbound_allowed_pg_array(act, st->allowed, sizeof st->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	p[P_SELLER] = api_scope_seller(r);
	p[P_WAREHOUSE] = api_scope_warehouse(r);
	p[P_ALLOWED] = st->allowed;
	p[P_TARGET] = wms_inbound_state_name(wms_inbound_target(act));
	instant_format(api_req_now_us(r), st->now);
	p[P_NOW] = st->now;
	api_query_or_reply(r, &stmt_transition, NPARAMS, p, on_transition);
}

/* The {id} of cancel and in-transit: the shipment's id or its ASN number. Returns 0, or -1
 * after answering 404. */
static int id_or_reply(struct api_req *r, const char *p[NPARAMS])
{
	const char *id = api_req_param(r, "id");
	for (int i = 0; i < NPARAMS; i++)
		p[i] = NULL;
	if (!id) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such inbound shipment");
		return -1;
	}
	p[jsonv_is_uuid(id) ? P_ID : P_ASN] = id;
	return 0;
}

/* An action's body takes no members: {} or none. Returns 0, or -1 after answering 422. */
static int empty_body_or_reply(struct api_req *r)
{
	static const char *const none[] = {NULL};
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, api_req_body(r), "", none);
	return api_valid_or_reply(r, &v);
}

void h_inbound_cancel(struct api_req *r)
{
	const char *p[NPARAMS];
	if (empty_body_or_reply(r) == 0 && id_or_reply(r, p) == 0)
		transition(r, WMS_INBOUND_DO_CANCEL, p);
}

void h_inbound_in_transit(struct api_req *r)
{
	static const char *const allowed[] = {"carrier", "tracking_number", NULL};
	const char *p[NPARAMS];
	struct jsonv v = JSONV_INIT;
	const cJSON *b = api_req_body(r);
	jsonv_no_unknown(&v, b, "", allowed);
	const char *carrier = jsonv_string(&v, b, "carrier", true, 1, 64);
	const char *tracking = jsonv_string(&v, b, "tracking_number", true, 1, 64);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (id_or_reply(r, p) != 0)
		return;
	p[P_CARRIER] = carrier;
	p[P_TRACKING] = tracking;
	transition(r, WMS_INBOUND_DO_IN_TRANSIT, p);
}

/* Whether s is exactly n digits. */
static bool all_digits(const char *s, size_t n)
{
	size_t i = 0;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i == n && s[i] == '\0';
}

/* The dock check-in. {id} is what the dock scans: the shipment id, its ASN
 * number, or a carton's SSCC (18 digits, or 20 as the GS1 element string
 * "00" + SSCC); staff resolve it within their warehouse. */
void h_inbound_arrive(struct api_req *r)
{
	const char *ref = api_req_param(r, "id");
	const char *p[NPARAMS] = {NULL};
	if (empty_body_or_reply(r) != 0)
		return;
	if (!ref) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such inbound shipment");
		return;
	}
	if (jsonv_is_uuid(ref))
		p[P_ID] = ref;
	else if (all_digits(ref, 18))
		p[P_SSCC] = ref;
	else if (all_digits(ref, 20) && strncmp(ref, "00", 2) == 0)
		p[P_SSCC] = ref + 2;
	else
		p[P_ASN] = ref;
	transition(r, WMS_INBOUND_DO_ARRIVE, p);
}
