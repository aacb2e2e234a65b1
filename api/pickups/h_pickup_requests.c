/* h_pickup_requests.c — sellers' pickup requests: POST /v1/pickup-requests (the seller, or
 * admin) asks the hub to collect a booked inbound shipment, or an open JIT first-mile
 * consignment of hand-over pickup bound to that hub, at the seller's site within a ready
 * window; GET /v1/pickup-requests/{id} (the seller, admin, platform, the hub's staff)
 * reads it, with its ETA window once a plan is published. A window that ends before it
 * starts is 422 naming ready_until; a site beyond the hub's service radius (great-circle
 * km from the hub, routing/travel.h) is 422 naming site; one open request per shipment or
 * consignment.
 * POST /v1/pickup-requests/{id}/cancel (the seller, admin) cancels one not yet collected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/create.h"
#include "api/http/fields.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/pickups/pickup_request.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "routing/travel.h"
#include "wms/pickup.h"

/* The hub's id and settings by code: one row when the warehouse exists (settings NULL when
 * it does not collect). */
DB_STMT(stmt_hub) = {
	"pickup_request_hub",
	"SELECT w.id, h.lat, h.lon, h.service_radius_km FROM warehouses w"
	" LEFT JOIN pickup_hubs h ON h.warehouse_id = w.id WHERE w.code = $1"};

/* $1 warehouse id, $2 shipment, $3 the seller scope (NULL: any), $4 address, $5 lat, $6 lon,
 * $7 ready_from, $8 ready_until, $9 parcels, $10 weight_g, $11 volume_cm3, $12 now. */
DB_STMT(stmt_create) = {
	"pickup_request_create",
	"WITH r AS (INSERT INTO pickup_requests (warehouse_id, seller_id, shipment_id, address, lat, lon,"
	" ready_from, ready_until, parcels, weight_g, volume_cm3, created_at, updated_at)"
	" SELECT s.warehouse_id, s.seller_id, s.id, $4, $5::float8, $6::float8, $7::timestamptz,"
	" $8::timestamptz, $9::int, $10::int, $11::bigint, $12::timestamptz, $12::timestamptz"
	" FROM inbound_shipments s WHERE s.warehouse_id = $1::uuid AND s.id = $2::uuid"
	" AND ($3::uuid IS NULL OR s.seller_id = $3::uuid) AND s.state = 'booked' RETURNING *)"
	" SELECT " PICKUP_REQUEST_JSON("r", "w", "sl") "::text FROM r"
	" JOIN warehouses w ON w.id = r.warehouse_id JOIN sellers sl ON sl.id = r.seller_id"};

/* The same for JIT consignment $2 at hub $1: the consignment's hand-over and state (no row:
 * no such consignment of the seller at the hub), and the created request (NULL: nothing
 * inserted, for the hand-over or the state). The consignment is locked as the seller's
 * dispatch locks it (jit_dispatch), so a dispatch and a request do not both succeed. */
DB_STMT(stmt_create_consignment) = {
	"pickup_request_create_consignment",
	"WITH c AS (SELECT c.warehouse_id, c.id, c.seller_id, c.handover, c.state"
	" FROM jit_consignments c WHERE c.warehouse_id = $1::uuid AND c.id = $2::uuid"
	" AND ($3::uuid IS NULL OR c.seller_id = $3::uuid) FOR UPDATE),"
	" r AS (INSERT INTO pickup_requests (warehouse_id, seller_id, consignment_id, address, lat,"
	" lon, ready_from, ready_until, parcels, weight_g, volume_cm3, created_at, updated_at)"
	" SELECT c.warehouse_id, c.seller_id, c.id, $4, $5::float8, $6::float8, $7::timestamptz,"
	" $8::timestamptz, $9::int, $10::int, $11::bigint, $12::timestamptz, $12::timestamptz"
	" FROM c WHERE c.handover = 'pickup' AND c.state = 'open' RETURNING *)"
	" SELECT (SELECT " PICKUP_REQUEST_JSON("r", "w", "sl") " FROM r"
	" JOIN warehouses w ON w.id = r.warehouse_id JOIN sellers sl ON sl.id = r.seller_id)::text,"
	" c.handover, c.state FROM c"};

/* $1 id, $2 seller scope, $3 warehouse scope (NULL: any). */
DB_STMT(stmt_get) = {
	"pickup_request_get",
	"SELECT " PICKUP_REQUEST_JSON("r", "w", "sl") "::text FROM pickup_requests r"
	" JOIN warehouses w ON w.id = r.warehouse_id JOIN sellers sl ON sl.id = r.seller_id"
	" WHERE r.id = $1::uuid"
	" AND ($2::uuid IS NULL OR r.seller_id = $2::uuid)"
	" AND ($3::uuid IS NULL OR r.warehouse_id = $3::uuid)"};

/* $1 id, $2 seller scope, $3 states cancel is allowed from, $4 cancelled, $5 now. */
DB_STMT(stmt_cancel) = {
	"pickup_request_cancel",
	"SELECT outcome, detail, body::text AS body, false AS replayed"
	" FROM pickup_request_cancel($1::uuid, $2::uuid, $3::text[], $4, $5::timestamptz)"};

static const struct create_unique uniques[] = {
	{"pickup_requests", "warehouse_id, shipment_id", "inbound_shipment",
	 "this inbound shipment already has an open pickup request", NULL},
	{"pickup_requests", "warehouse_id, consignment_id", "jit_consignment",
	 "this JIT consignment already has an open pickup request", NULL},
	{NULL, NULL, NULL, NULL, NULL}};

enum { P_WH, P_SHIPMENT, P_SELLER, P_ADDRESS, P_LAT, P_LON, P_FROM, P_UNTIL, P_PARCELS,
       P_WEIGHT, P_VOLUME, P_NOW, NPARAMS };

/* The validated request, kept while the hub is read. */
struct request_create {
	const char *p[NPARAMS];
	bool consignment; /* P_SHIPMENT names a JIT consignment */
	double lat, lon;
	char num[5][32];
	char now[INSTANT_TEXT];
};

static void on_created(struct api_req *r, const struct db_reply *rep)
{
	create_reply_saved(r, rep, 201,
	                   "no booked inbound shipment with this id at this warehouse (of this seller)",
	                   uniques);
}

/* The consignment's request created (201), or why not: 404 when the seller has no such
 * consignment at the hub, 409 when it is not handed over by pickup or was dispatched. */
static void on_created_consignment(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome != DB_OK || PQntuples(rep->res) != 1 || !PQgetisnull(rep->res, 0, 0)) {
		create_reply_saved(r, rep, 201, "no JIT consignment with this id at this hub (of this "
		                   "seller)", uniques);
		return;
	}
	const char *handover = PQgetvalue(rep->res, 0, 1), *state = PQgetvalue(rep->res, 0, 2);
	if (strcmp(handover, "pickup") != 0)
		api_reply_problem(r, PROBLEM_WRONG_STATE, "the JIT consignment's hand-over is %s: only "
		                  "a consignment of hand-over pickup is collected", handover);
	else
		api_reply_problem(r, PROBLEM_WRONG_STATE, "the JIT consignment is %s: only an open "
		                  "consignment is collected", state);
}

static void on_hub(struct api_req *r, const struct db_reply *rep)
{
	struct request_create *q = api_req_state(r);
	struct jsonv v = JSONV_INIT;
	if (api_found_or_reply(r, rep, "no such warehouse") != 0)
		return;
	if (PQgetisnull(rep->res, 0, 1)) {
		jsonv_error(&v, "warehouse", "no_pickups", "warehouse %s does not collect pickups (it has "
		            "no pickup settings)", q->p[P_WH]);
		api_reply_invalid(r, &v);
		return;
	}
	struct travel_point hub = {strtod(PQgetvalue(rep->res, 0, 1), NULL),
	                           strtod(PQgetvalue(rep->res, 0, 2), NULL)};
	double radius = strtod(PQgetvalue(rep->res, 0, 3), NULL);
	double km = travel_great_circle_km(hub, (struct travel_point){q->lat, q->lon});
	if (km > radius) {
		jsonv_error(&v, "site", "out_of_area", "the site is %.1f km from the hub, beyond its "
		            "service radius of %.1f km", km, radius);
		api_reply_invalid(r, &v);
		return;
	}
	q->p[P_WH] = PQgetvalue(rep->res, 0, 0);
	if (q->consignment)
		api_query_or_reply(r, &stmt_create_consignment, NPARAMS, q->p, on_created_consignment);
	else
		api_query_or_reply(r, &stmt_create, NPARAMS, q->p, on_created);
}

/* POST /v1/pickup-requests {warehouse, inbound_shipment | jit_consignment, site: {address,
 * lat, lon}, ready_from, ready_until, parcels, weight_g, volume_cm3}. */
void h_pickup_request_create(struct api_req *r)
{
	static const char *const allowed[] = {"warehouse", "inbound_shipment", "jit_consignment",
	                                      "site", "ready_from", "ready_until", "parcels",
	                                      "weight_g", "volume_cm3", NULL};
	static const char *const site_allowed[] = {"address", "lat", "lon", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT, sub = JSONV_INIT;
	long long parcels = 0, weight = 0, volume = 0;
	int64_t from_us = 0, until_us = 0;
	struct request_create *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (q == NULL)
		return;
	jsonv_no_unknown(&v, b, "", allowed);
	q->p[P_WH] = fields_code(&v, b, "warehouse", true);
	q->consignment = cJSON_GetObjectItemCaseSensitive(b, "jit_consignment") != NULL;
	if (q->consignment && cJSON_GetObjectItemCaseSensitive(b, "inbound_shipment") != NULL)
		jsonv_error(&v, "jit_consignment", "unexpected", "a request collects an inbound "
		            "shipment or a JIT consignment, not both");
	else if (q->consignment)
		q->p[P_SHIPMENT] = fields_uuid(&v, b, "jit_consignment", true,
		                               "the JIT consignment's id (a UUID)");
	else
		q->p[P_SHIPMENT] = fields_uuid(&v, b, "inbound_shipment", true,
		                               "the inbound shipment's id (a UUID; or jit_consignment)");
	const cJSON *site = jsonv_object(&v, b, "site", true);
	if (site != NULL) {
		jsonv_no_unknown(&sub, site, "", site_allowed);
		q->p[P_ADDRESS] = jsonv_string(&sub, site, "address", true, 1, 300);
		(void)jsonv_number(&sub, site, "lat", true, -90, 90, &q->lat);
		(void)jsonv_number(&sub, site, "lon", true, -180, 180, &q->lon);
		jsonv_merge(&v, &sub, "site.");
	}
	q->p[P_FROM] = fields_instant(&v, b, "ready_from", true, &from_us);
	q->p[P_UNTIL] = fields_instant(&v, b, "ready_until", true, &until_us);
	if (q->p[P_FROM] && q->p[P_UNTIL] && until_us <= from_us)
		jsonv_error(&v, "ready_until", "range", "ready_until must be after ready_from");
	else if (q->p[P_FROM] && q->p[P_UNTIL] && until_us - from_us > 7 * 86400 * INSTANT_US)
		jsonv_error(&v, "ready_until", "range", "a ready window is at most 7 days");
	(void)jsonv_int(&v, b, "parcels", true, 1, 10000, &parcels);
	(void)jsonv_int(&v, b, "weight_g", true, 1, 100000000, &weight);
	(void)jsonv_int(&v, b, "volume_cm3", true, 0, 1000000000, &volume);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	q->p[P_SELLER] = api_scope_seller(r);
	snprintf(q->num[0], sizeof q->num[0], "%.17g", q->lat);
	snprintf(q->num[1], sizeof q->num[1], "%.17g", q->lon);
	snprintf(q->num[2], sizeof q->num[2], "%lld", parcels);
	snprintf(q->num[3], sizeof q->num[3], "%lld", weight);
	snprintf(q->num[4], sizeof q->num[4], "%lld", volume);
	q->p[P_LAT] = q->num[0];
	q->p[P_LON] = q->num[1];
	q->p[P_PARCELS] = q->num[2];
	q->p[P_WEIGHT] = q->num[3];
	q->p[P_VOLUME] = q->num[4];
	instant_format(api_req_now_us(r), q->now);
	q->p[P_NOW] = q->now;
	api_query_or_reply(r, &stmt_hub, 1, &q->p[P_WH], on_hub);
}

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such pickup request");
}

/* GET /v1/pickup-requests/{id} */
void h_pickup_request_get(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (!jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such pickup request");
		return;
	}
	const char *p[] = {id, api_scope_seller(r), api_scope_warehouse(r)};
	api_query_or_reply(r, &stmt_get, 3, p, on_found);
}

/* What a cancel keeps for scan_run (its state begins with a scan_ctx). */
struct cancel_req {
	struct scan_ctx ctx;
	char from[48];
	char now[INSTANT_TEXT];
};

/* POST /v1/pickup-requests/{id}/cancel */
void h_pickup_request_cancel(struct api_req *r)
{
	const char *id = api_req_param(r, "id");
	if (!jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such pickup request");
		return;
	}
	struct cancel_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (q == NULL)
		return;
	if (wms_pickup_allowed_pg_array(WMS_PICKUP_DO_CANCEL, q->from, sizeof q->from) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	instant_format(api_req_now_us(r), q->now);
	const char *p[] = {id, api_scope_seller(r), q->from,
	                   wms_pickup_state_name(wms_pickup_target(WMS_PICKUP_DO_CANCEL)), q->now};
	scan_run(r, &q->ctx, &stmt_cancel, 5, p);
}
