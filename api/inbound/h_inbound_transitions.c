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

/* Finds the shipment a transition is for: $1 its id, or $2 one of its cartons' SSCC, or $3
 * its ASN (one of the three given); $4 the seller scope, $5 the warehouse scope. An SSCC or
 * ASN that names shipments in several warehouses (admin) picks the newest. The transition
 * itself then touches only that warehouse's shard. */
DB_STMT(stmt_find) = {
	"inbound_transition_find",
	"SELECT s.warehouse_id, s.id FROM inbound_shipments s"
	" WHERE (s.id = $1::uuid OR s.asn = $3"
	"        OR (s.warehouse_id, s.id) IN (SELECT c.warehouse_id, c.shipment_id"
	"                                      FROM inbound_cartons c WHERE c.sscc = $2::bpchar))"
	"   AND ($4::uuid IS NULL OR s.seller_id = $4::uuid)"
	"   AND ($5::uuid IS NULL OR s.warehouse_id = $5::uuid)"
	" ORDER BY s.created_at DESC LIMIT 1"};

/* Applies it (sql/functions/inbound_shipment_json.sql): $1 warehouse, $2 shipment, $3 the
 * states the action is allowed from (a text[] literal from wms_inbound_allowed_pg_array),
 * $4 the target state, $5, $6 carrier and tracking number (in_transit; else NULL), $7 the
 * request's time. State and a NULL body: the action is not allowed from that state; else
 * body is the updated shipment. */
DB_STMT(stmt_transition) = {
	"inbound_transition",
	"SELECT state, body::text AS body FROM inbound_transition($1::uuid, $2::uuid, $3::text[], $4,"
	" $5, $6, $7::timestamptz)"};

enum { P_ID, P_SSCC, P_ASN, P_SELLER, P_WAREHOUSE, P_CARRIER, P_TRACKING, NPARAMS };

/* What a transition keeps for its callbacks. */
struct transition_state {
	enum wms_inbound_action act;
	char allowed[64];
	char warehouse[37], id[37];
	const char *carrier, *tracking; /* the request's */
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
/* The shipment was found: apply the transition to it. */
static void on_found(struct api_req *r, const struct db_reply *rep)
{
	struct transition_state *st = api_req_state(r);
	if (api_found_or_reply(r, rep, "no such inbound shipment") != 0)
		return;
	snprintf(st->warehouse, sizeof st->warehouse, "%s", db_value(rep->res, 0, "warehouse_id"));
	snprintf(st->id, sizeof st->id, "%s", db_value(rep->res, 0, "id"));
	const char *p[] = {st->warehouse, st->id, st->allowed,
	                   wms_inbound_state_name(wms_inbound_target(st->act)), st->carrier,
	                   st->tracking, api_req_now_text(r)};
	api_query_or_reply(r, &stmt_transition, 7, p, on_transition);
}

/* Runs act on the shipment p[P_ID..P_ASN] names (the scopes filled here; carrier and
 * tracking as the caller set them, strings of the request). */
static void transition(struct api_req *r, enum wms_inbound_action act, const char *p[NPARAMS])
{
	struct transition_state *st = api_req_new_state_or_reply(r, sizeof *st, NULL);
	if (!st)
		return;
	st->act = act;
	st->carrier = p[P_CARRIER];
	st->tracking = p[P_TRACKING];
	if (wms_inbound_allowed_pg_array(act, st->allowed, sizeof st->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	p[P_SELLER] = api_scope_seller(r);
	p[P_WAREHOUSE] = api_scope_warehouse(r);
	api_query_or_reply(r, &stmt_find, 5, p, on_found);
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
