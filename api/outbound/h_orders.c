/* h_orders.c — buyers' orders: creation with allocation (platform, admin), reading and
 * listing (platform and admin all, a seller its own, staff its warehouse's).
 *
 * Creating an order is two statements and, between them, the route engine:
 *  1. order_prepare() reads the seller, an order already stored under client_order_id, the
 *     lines' SKUs, and the allocatable units of each line at every fulfillment centre.
 *  2. For a stocked order (full, semi_warehouse), every centre that holds every line is
 *     quoted — the order's units as one parcel (wms_order_parcel) from that centre to the
 *     buyer on the loaded lane network, with the promise target of (centre, country) — and
 *     the centres are ranked: those whose route meets the target by cost (then likelier),
 *     then those at risk by likelihood (then cheaper).
 *     A semi_jit order is not allocated: jit_plan_or_reply() chooses the consolidation hub
 *     the seller ships to and the hand-over deadline (api/jit/jit_plan.h).
 *  3. order_create() stores the order and reserves its stock in the best centre that still
 *     has it when the rows are locked — one round trip — or stores it unfulfillable with a
 *     reason per line. A replay of the same client_order_id and body answers the stored
 *     order (201, Idempotent-Replayed: true); another body under it is 422.
 * The quotes run on the loop: an order's handful of centres quote in microseconds each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/instant.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/jit/jit_plan.h"
#include "api/network/network_load.h"
#include "api/network/quote_json.h"
#include "api/outbound/order_request.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "routing/quote.h"
#include "wms/order.h"

/* $1 seller id or code, $2 client_order_id, $3 the lines' SKU codes (JSON), $4 the day after which
 * allocatable units must expire (today, UTC). */
DB_STMT(stmt_prepare) = {
	"order_prepare",
	"SELECT order_prepare($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)),"
	" $4::date)::text AS prep"};

/* $1 seller, $2 client_order_id, $3 request hash, $4 mode, $5 destination, $6 country,
 * $7 currency, $8 amount paid, $9 placed_at, $10 lines, $11 candidates, $12 reasons,
 * $13 now. The bench (tests/bench/run.sh) runs this same text with pgbench. */
DB_STMT(stmt_create) = {
	"order_create",
	"SELECT " SCAN_COLUMNS " FROM order_create($1::uuid, $2, $3, $4, $5::jsonb, $6, $7,"
	" $8::bigint, $9::timestamptz, $10::jsonb, $11::jsonb, $12::jsonb, $13::timestamptz)"};

/* $1 the order's id or $4 a client_order_id; $2 seller scope, $3 warehouse scope. Two rows:
 * a client_order_id used by two sellers is ambiguous. order_find() finds the orders, then
 * reads each on its seller's shard (sql/functions/order_find.sql). */
DB_STMT(stmt_get) = {
	"order_get",
	"SELECT d::text FROM order_find($1::uuid, $4, $2::uuid, $3::uuid) AS d"};

/* $1 limit, $2/$3 cursor, $4 seller scope, $5 warehouse scope, $6 state, $7 warehouse code,
 * $8 seller code, $9 mode. order_page() finds the page's orders, then reads each on its
 * seller's shard. */
DB_STMT(stmt_list) = {
	"order_list",
	"SELECT order_page($1::int, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7, $8, $9)"};

enum { C_SELLER, C_CLIENT_ID, C_HASH, C_MODE, C_DEST, C_COUNTRY, C_CURRENCY, C_PAID, C_PLACED,
       C_LINES, C_CANDIDATES, C_REASONS, C_NOW, C_NPARAMS };

/* A fulfillment centre that could take the order, with its quote. */
struct candidate {
	char warehouse_id[37];
	char code[33];
	int64_t deadline;
	double p_on_time;
	int64_t cost;
	bool at_risk;
	char *route; /* the selected option as JSON text (malloc'd) */
};

/* What a create keeps across its two statements. */
struct create_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	struct order_request in;
	char hash[65];
	char today[11];
	char seller_id[37];
	char paid[24];
	char *sku_codes;   /* JSON array */
	char *lines;       /* order_lines as JSON */
	char *candidates;  /* JSON */
	char *reasons;     /* JSON */
	char *destination; /* JSON */
	const char *p[C_NPARAMS];
};

static void create_req_free(void *arg)
{
	struct create_req *q = arg;
	free(q->sku_codes);
	free(q->lines);
	free(q->candidates);
	free(q->reasons);
	free(q->destination);
	free(q);
}

/* The lines' SKU codes as a JSON array. NULL when out of memory. */
static char *sku_array(const struct order_request *in)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < in->n_lines; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(in->lines[i].sku));
	char *text = a ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return text;
}

/* Ranks a before b: meeting the target beats at risk; among those meeting it the cheaper,
 * then the likelier; among those at risk the likelier, then the cheaper; then the code. */
static int candidate_cmp(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;
	if (a->at_risk != b->at_risk)
		return a->at_risk ? 1 : -1;
	if (!a->at_risk && a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->p_on_time != b->p_on_time)
		return a->p_on_time > b->p_on_time ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return strcmp(a->code, b->code);
}

/* Adds a reason {line, sku, reason, detail} to arr for every line (line -1) or one. */
static void add_reason(cJSON *arr, const struct order_request *in, int line, const char *reason,
                       const char *detail)
{
	for (size_t i = 0; i < in->n_lines; i++) {
		if (line >= 0 && (size_t)line != i)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "line", (double)(i + 1));
		cJSON_AddStringToObject(o, "sku", in->lines[i].sku);
		cJSON_AddStringToObject(o, "reason", reason);
		cJSON_AddStringToObject(o, "detail", detail);
		cJSON_AddItemToArray(arr, o);
	}
}

/* Quotes the order's parcel from every centre in avail that holds every line, into the
 * ranked candidates c (at most cap; returns how many), explaining in reasons why there is
 * none. Returns -1 after answering (503 without a network, 422 for a destination no zone
 * covers). */
static int rank_candidates(struct api_req *r, struct create_req *q, const cJSON *skus,
                           const cJSON *avail, struct candidate *c, int cap, cJSON *reasons)
{
	const struct order_request *in = &q->in;
	int32_t best[ORDER_MAX_LINES] = {0};
	int n = 0, covering = 0;
	char why[200] = "";
	struct routing_request req = {.country = in->country, .postal_code = in->postal_code,
	                              .ready_at = api_req_now_us(r) / INSTANT_US};
	if (order_request_parcel(in, skus, &req.parcel) != 0) {
		add_reason(reasons, in, -1, "parcel_refused", "the order's units make no parcel");
		return 0;
	}
	struct network_snapshot *s = network_current(api_req_app(r));
	const char *zone = s ? routing_network_find_zone(s->net, in->country, in->postal_code) : NULL;

	const cJSON *w;
	cJSON_ArrayForEach(w, avail) {
		const cJSON *u = cJSON_GetObjectItem(w, "units");
		bool all = true;
		for (size_t i = 0; i < in->n_lines; i++) {
			int32_t have = (int32_t)cJSON_GetNumberValue(cJSON_GetArrayItem(u, (int)i));
			best[i] = have > best[i] ? have : best[i];
			all = all && have >= in->lines[i].qty;
		}
		if (!all || n == cap)
			continue;
		covering++;
		if (!s) {
			api_reply_problem(r, PROBLEM_NETWORK_NOT_LOADED,
			                  "the lane network is not loaded yet: orders cannot be routed");
			return -1;
		}
		if (!zone) {
			struct jsonv v = JSONV_INIT;
			jsonv_error(&v, in->postal_code ? "destination.postal_code" : "destination.country",
			            "no_zone", "no delivery zone of the lane network covers %s%s%s",
			            in->country, in->postal_code ? " " : "",
			            in->postal_code ? in->postal_code : "");
			api_reply_invalid(r, &v);
			return -1;
		}
		const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(w, "code"));
		const char *wid = cJSON_GetStringValue(cJSON_GetObjectItem(w, "warehouse_id"));
		const struct network_promise *pr = network_snapshot_promise(s, code, in->country);
		struct routing_quote *rq = NULL;
		req.origin = code;
		if (!pr) {
			snprintf(why, sizeof why, "no promise target from %s to %s", code, in->country);
			continue;
		}
		if (network_snapshot_deadline(s, zone, req.ready_at, pr->days, &req.deadline) != 0) {
			snprintf(why, sizeof why, "no promise deadline for zone %s", zone);
			continue;
		}
		req.target = pr->target_bp / 10000.0;
		if (routing_quote(s->net, &req, &rq) != 0) {
			api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
			return -1;
		}
		if (rq->status == ROUTING_OK || rq->status == ROUTING_AT_RISK) {
			struct candidate *x = &c[n];
			snprintf(x->warehouse_id, sizeof x->warehouse_id, "%s", wid ? wid : "");
			snprintf(x->code, sizeof x->code, "%s", code);
			x->deadline = rq->deadline;
			x->p_on_time = rq->options[0].p_on_time;
			x->cost = rq->options[0].cost_minor;
			x->at_risk = rq->status == ROUTING_AT_RISK;
			x->route = quote_json_route(&req, rq, pr);
			if (x->route)
				n++;
		} else {
			snprintf(why, sizeof why, "from %s: %s", code, rq->detail);
		}
		routing_quote_free(rq);
	}
	if (n > 1)
		qsort(c, (size_t)n, sizeof *c, candidate_cmp);
	if (covering == 0) {
		for (size_t i = 0; i < in->n_lines; i++) {
			char d[160];
			if (best[i] >= in->lines[i].qty)
				snprintf(d, sizeof d, "no fulfillment centre holds this line together with the "
				         "order's other lines");
			else
				snprintf(d, sizeof d, "%d of %d units allocatable at the best-stocked "
				         "fulfillment centre", best[i], in->lines[i].qty);
			add_reason(reasons, in, (int)i, "insufficient_stock", d);
		}
	} else if (n == 0) {
		add_reason(reasons, in, -1, "no_route", why[0] ? why : "no route to the destination");
	}
	return n;
}

/* The candidates as order_create takes them. */
static char *candidates_json(const struct candidate *c, int n)
{
	char ts[INSTANT_TEXT];
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; a && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		instant_format(c[i].deadline * INSTANT_US, ts);
		cJSON_AddStringToObject(o, "warehouse_id", c[i].warehouse_id);
		cJSON_AddStringToObject(o, "code", c[i].code);
		cJSON_AddStringToObject(o, "deadline", ts);
		cJSON_AddNumberToObject(o, "p_on_time", c[i].p_on_time);
		cJSON_AddBoolToObject(o, "at_risk", c[i].at_risk);
		cJSON_AddRawToObject(o, "route", c[i].route);
		cJSON_AddItemToArray(a, o);
	}
	char *text = a ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return text;
}

/* The lines as order_create takes them: [{line_no, sku_id, qty, unit_price, supply_price}]. */
static char *lines_json(const struct order_request *in, const cJSON *skus)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < in->n_lines; i++) {
		const struct order_request_line *l = &in->lines[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "line_no", (double)(i + 1));
		cJSON_AddItemToObject(o, "sku_id", cJSON_Duplicate(cJSON_GetObjectItem(
			cJSON_GetArrayItem(skus, (int)i), "id"), 1));
		cJSON_AddNumberToObject(o, "qty", l->qty);
		cJSON_AddNumberToObject(o, "unit_price", (double)l->unit_price); /* < 2^53: exact */
		if (l->supply_price >= 0)
			cJSON_AddNumberToObject(o, "supply_price", (double)l->supply_price);
		cJSON_AddItemToArray(a, o);
	}
	char *text = a ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return text;
}

/* 422s about what the request names: the seller, its currency, the lines' SKUs. Returns -1
 * after answering. */
static int names_or_reply(struct api_req *r, const struct order_request *in, const cJSON *prep)
{
	struct jsonv v = JSONV_INIT;
	const cJSON *seller = cJSON_GetObjectItem(prep, "seller");
	if (!cJSON_IsObject(seller)) {
		jsonv_error(&v, "seller", "not_found", "no seller with this id or code");
		return api_valid_or_reply(r, &v);
	}
	const char *currency = cJSON_GetStringValue(cJSON_GetObjectItem(seller, "currency"));
	if (currency && strcmp(currency, in->currency) != 0)
		jsonv_error(&v, "currency", "mismatch", "seller %s trades in %s, not %s",
		            cJSON_GetStringValue(cJSON_GetObjectItem(seller, "code")), currency,
		            in->currency);
	const cJSON *skus = cJSON_GetObjectItem(prep, "skus");
	for (size_t i = 0; i < in->n_lines; i++) {
		char field[32];
		if (cJSON_IsObject(cJSON_GetArrayItem(skus, (int)i)))
			continue;
		snprintf(field, sizeof field, "lines[%zu].sku", i);
		jsonv_error(&v, field, "not_found", "the seller has no SKU %s", in->lines[i].sku);
	}
	return api_valid_or_reply(r, &v);
}

static void on_prepared(struct api_req *r, const struct db_reply *rep)
{
	struct create_req *q = api_req_state(r);
	struct order_request *in = &q->in;
	enum { CAP = 16 };
	struct candidate c[CAP];
	int n = 0;
	if (api_found_or_reply(r, rep, "no answer from order_prepare") != 0)
		return;
	cJSON *prep = cJSON_Parse(db_value(rep->res, 0, "prep"));
	cJSON *reasons = cJSON_CreateArray();
	memset(c, 0, sizeof c);
	if (!prep || !reasons) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		goto done;
	}
	if (names_or_reply(r, in, prep) != 0)
		goto done;
	const cJSON *seller = cJSON_GetObjectItem(prep, "seller");
	const cJSON *skus = cJSON_GetObjectItem(prep, "skus");
	snprintf(q->seller_id, sizeof q->seller_id, "%s",
	         cJSON_GetStringValue(cJSON_GetObjectItem(seller, "id")));
	/* an order already under this client_order_id: order_create answers it (replay or 422) */
	if (!cJSON_IsObject(cJSON_GetObjectItem(prep, "prior")) && wms_order_mode_stocked(in->mode)) {
		n = rank_candidates(r, q, skus, cJSON_GetObjectItem(prep, "available"), c, CAP, reasons);
		if (n < 0)
			goto done;
	}
	q->lines = lines_json(in, skus);
	if (!cJSON_IsObject(cJSON_GetObjectItem(prep, "prior")) && strcmp(in->mode, "semi_jit") == 0) {
		if (jit_plan_or_reply(r, in, skus, cJSON_GetObjectItem(prep, "hubs"), reasons,
		                      &q->candidates) != 0)
			goto done;
	} else {
		q->candidates = candidates_json(c, n);
	}
	q->reasons = cJSON_PrintUnformatted(reasons);
	q->destination = cJSON_PrintUnformatted(in->destination);
	if (!q->lines || !q->candidates || !q->reasons || !q->destination) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		goto done;
	}
	snprintf(q->paid, sizeof q->paid, "%lld", (long long)in->amount_paid);
	const char **p = q->p;
	p[C_SELLER] = q->seller_id;
	p[C_CLIENT_ID] = in->client_order_id;
	p[C_HASH] = q->hash;
	p[C_MODE] = in->mode;
	p[C_DEST] = q->destination;
	p[C_COUNTRY] = in->country;
	p[C_CURRENCY] = in->currency;
	p[C_PAID] = q->paid;
	p[C_PLACED] = in->placed_at;
	p[C_LINES] = q->lines;
	p[C_CANDIDATES] = q->candidates;
	p[C_REASONS] = q->reasons;
	p[C_NOW] = api_req_now_text(r);
	q->ctx.ok_status = 201;
	q->ctx.location = "/v1/orders/";
	scan_run(r, &q->ctx, &stmt_create, C_NPARAMS, p);
done:
	for (int i = 0; i < CAP; i++)
		free(c[i].route);
	cJSON_Delete(reasons);
	cJSON_Delete(prep);
}

void h_order_create(struct api_req *r)
{
	struct create_req *q = api_req_new_state_or_reply(r, sizeof *q, create_req_free);
	if (!q)
		return;
	struct jsonv v = JSONV_INIT;
	order_request_read(&v, api_req_body(r), api_req_now_us(r), &q->in);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	size_t len;
	const char *raw = api_req_raw_body(r, &len);
	const char *said[] = {raw ? raw : ""};
	scan_request_hash("order", said, 1, q->hash);
	int64_t y;
	unsigned m, d;
	instant_civil_from_days(api_req_now_us(r) / INSTANT_US / 86400, &y, &m, &d);
	snprintf(q->today, sizeof q->today, "%04d-%02u-%02u", (int)y, m, d);
	q->sku_codes = sku_array(&q->in);
	if (!q->sku_codes) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	const char *p[] = {q->in.seller, q->in.client_order_id, q->sku_codes, q->today};
	api_query_or_reply(r, &stmt_prepare, 4, p, on_prepared);
}

static void on_found(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome == DB_OK && PQntuples(rep->res) > 1) {
		api_reply_problem(r, PROBLEM_CONFLICT, "client_order_id %s names orders of several "
		                  "sellers: use the order's id", api_req_param(r, "id"));
		return;
	}
	api_reply_row(r, rep, 200, "no such order");
}

void h_order_get(struct api_req *r)
{
	const char *ref = api_req_param(r, "id");
	bool uuid = ref && jsonv_is_uuid(ref);
	const char *p[] = {uuid ? ref : NULL, api_scope_seller(r), api_scope_warehouse(r),
	                   uuid ? NULL : ref};
	api_query_or_reply(r, &stmt_get, 4, p, on_found);
}

static void on_list(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no answer");
}

/* Filters: ?state=, ?mode=, ?warehouse= (code), ?seller= (code; sellers see their own
 * regardless). */
void h_order_list(struct api_req *r)
{
	struct api_page pg;
	enum wms_order_state st;
	char err[160];
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *state = api_req_query(r, "state"), *mode = api_req_query(r, "mode");
	if (state && wms_order_state_parse(state, &st) != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "state must be one of created, allocated, "
		                  "picking, packed, shipped, delivered, on_hold, cancelled, unfulfillable");
		return;
	}
	if (mode && wms_order_mode_check(mode, err, sizeof err) != 0) {
		api_reply_problem(r, PROBLEM_BAD_QUERY, "mode: %s", err);
		return;
	}
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id, api_scope_seller(r),
	                   api_scope_warehouse(r), state, api_req_query(r, "warehouse"),
	                   api_req_query(r, "seller"), mode};
	api_query_or_reply(r, &stmt_list, 9, p, on_list);
}
