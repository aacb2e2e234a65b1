/* h_inbound_close.c — POST /v1/inbound-shipments/{id}/close (staff of the
 * shipment's warehouse, admin): ends receiving. Per line it computes short,
 * over, damaged, expired and unexpected (wms_receive_discrepancy); a close
 * with any short line needs {"confirm_short": true} (else 409 short-lines,
 * next confirm_short, listing them). It turns the lines' receipts into
 * stock, per lot and expiry: sellable units in the RECEIVING bin, damaged and
 * expired ones in the QUARANTINE bin (movements with reason
 * inbound_receipt), posts the close's seller-ledger lines, moves the shipment
 * to closed, and stores and answers the discrepancy report.
 *
 * Two statements: (1) a read of the shipment, its lines and the fee input,
 * with the shipment's version; (2) one guarded statement that closes only if
 * the state allows it and the version is still the one read (every accepted
 * scan bumps it), writing movements, ledger lines and report together. When
 * a scan slipped in between, the read is repeated once, then 409.
 *
 * Closing a closed shipment is 409 naming the state; the problem carries the
 * stored report as `discrepancy`, so a device whose first close answer was
 * lost still gets it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fees/fees_post.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "wms/inbound.h"
#include "wms/receiving.h"

/* $1 shipment id or $4 its ASN number, $2 warehouse scope, $3 the close time (the request's,
 * in whole seconds), which the fee input is priced at and closed_at records. No row when
 * there is no such shipment. inbound_close_read() finds the shipment, then reads its lines
 * and fee input on its warehouse's shard (sql/functions/inbound_close.sql). */
DB_STMT(stmt_read) = {
	"inbound_close_read",
	"SELECT warehouse_id, id, state, version, discrepancy, lines, fees_input"
	" FROM inbound_close_read($1::uuid, $4, $2::uuid, $3::timestamptz)"};

/* $1 warehouse, $2 shipment, $3 allowed states, $4 target state, $5 the
 * report (lines, totals), $6 close time, $7 the version read, $8 key id,
 * $9 seller-ledger rows (JSON array). No report back: the state or the
 * version changed since the read. inbound_close() changes the shipment and posts its
 * receipts as stock, a statement at a time on the warehouse's shard; the ledger rows (by
 * seller) are inserted by this statement when it closed, in the same transaction. */
DB_STMT(stmt_close) = {
	"inbound_close",
	"WITH closed AS (SELECT c.report, c.movements FROM inbound_close($1::uuid, $2::uuid,"
	"    $3::text[], $4, $5::jsonb, $6::timestamptz, $7::int, $8::uuid) c),"
	" posted AS (" FEES_LEDGER_INSERT("$9", "EXISTS (SELECT 1 FROM closed)") ") "
	"SELECT (SELECT report::text FROM closed) AS report,"
	" (SELECT coalesce(sum(movements), 0) FROM closed) AS movements,"
	" (SELECT count(*) FROM posted) AS ledger_lines"};

/* What a close keeps across its statements. */
struct close_req {
	int reads;             /* reads done; a second version mismatch is 409 */
	bool confirm_short;    /* the operator confirmed closing with short lines */
	char ref[ROUTER_MAX_VALUE]; /* {id}: the shipment's id or ASN number */
	char id[37];                /* the shipment's id, once read */
	char warehouse[37];
	char allowed[64];
	char version[16];
	char close_at[64];
	char *report;          /* lines + totals, JSON text */
	char *ledger;          /* seller_ledger rows, JSON text */
};

static void close_req_free(void *p)
{
	struct close_req *c = p;
	free(c->report);
	free(c->ledger);
	free(c);
}

/*
 * THE FEES HOOK: the seller-ledger rows the close posts, in the same
 * transaction as the close, as a JSON array of seller_ledger rows (see
 * FEES_LEDGER_INSERT). fees_input is fees_inbound_close_input() read with the
 * shipment at the close time. Returns malloc'd text, or NULL with err filled
 * when the close cannot be priced (the close then fails: money must not go
 * unrecorded).
 */
static char *close_ledger_lines(const char *fees_input, char *err, size_t errlen)
{
	return fees_inbound_close_rows(fees_input, err, errlen);
}

/* Adds n to the totals member name. */
static void add_total(cJSON *totals, const char *name, long long n)
{
	cJSON *t = cJSON_GetObjectItemCaseSensitive(totals, name);
	if (t)
		cJSON_SetNumberValue(t, t->valuedouble + (double)n);
	else
		cJSON_AddNumberToObject(totals, name, (double)n);
}

/* The discrepancy report of the lines (the read's JSON array): per line its
 * counts and short / over / damaged / unexpected, and the totals. Returns
 * malloc'd text, or NULL with err filled. */
static char *build_report(const char *lines_text, char *err, size_t errlen)
{
	static const char *const totals_names[] = {"expected", "received_good", "received_damaged",
	                                           "received_expired", "short", "over", "damaged",
	                                           "expired", "unexpected", "lines_with_discrepancy",
	                                           NULL};
	char *text = NULL;
	cJSON *lines = cJSON_Parse(lines_text);
	cJSON *report = cJSON_CreateObject(), *out = cJSON_CreateArray(), *totals = cJSON_CreateObject();
	const cJSON *l;
	if (!cJSON_IsArray(lines) || !report || !out || !totals) {
		snprintf(err, errlen, "cannot read the shipment's lines");
		goto done;
	}
	for (int i = 0; totals_names[i]; i++)
		cJSON_AddNumberToObject(totals, totals_names[i], 0);
	cJSON_ArrayForEach(l, lines) {
		struct wms_recv_line line = {
			.expected = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(l, "expected")),
			.good = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(l, "good")),
			.damaged = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(l, "damaged")),
			.expired = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(l, "expired"))};
		struct wms_recv_discrepancy d;
		if (wms_receive_discrepancy(&line, &d, err, errlen) != 0)
			goto done;
		cJSON *o = cJSON_CreateObject();
		if (!o)
			goto done;
		cJSON_AddItemToArray(out, o);
		cJSON_AddNumberToObject(o, "line", cJSON_GetNumberValue(cJSON_GetObjectItem(l, "line")));
		cJSON_AddItemToObject(o, "sku", cJSON_Duplicate(cJSON_GetObjectItem(l, "sku"), 1));
		cJSON_AddItemToObject(o, "sku_id", cJSON_Duplicate(cJSON_GetObjectItem(l, "sku_id"), 1));
		cJSON_AddItemToObject(o, "lot", cJSON_Duplicate(cJSON_GetObjectItem(l, "lot"), 1));
		cJSON_AddNumberToObject(o, "expected", (double)line.expected);
		cJSON_AddNumberToObject(o, "received_good", (double)line.good);
		cJSON_AddNumberToObject(o, "received_damaged", (double)line.damaged);
		cJSON_AddNumberToObject(o, "received_expired", (double)line.expired);
		cJSON_AddNumberToObject(o, "short", (double)d.short_qty);
		cJSON_AddNumberToObject(o, "over", (double)d.over_qty);
		cJSON_AddNumberToObject(o, "damaged", (double)d.damaged);
		cJSON_AddNumberToObject(o, "expired", (double)d.expired);
		cJSON_AddNumberToObject(o, "unexpected", (double)d.unexpected);
		cJSON_AddBoolToObject(o, "has_discrepancy", d.has_discrepancy);
		add_total(totals, "expected", line.expected);
		add_total(totals, "received_good", line.good);
		add_total(totals, "received_damaged", line.damaged);
		add_total(totals, "received_expired", line.expired);
		add_total(totals, "expired", d.expired);
		add_total(totals, "short", d.short_qty);
		add_total(totals, "over", d.over_qty);
		add_total(totals, "damaged", d.damaged);
		add_total(totals, "unexpected", d.unexpected);
		add_total(totals, "lines_with_discrepancy", d.has_discrepancy);
	}
	cJSON_AddItemToObject(report, "lines", out);
	out = NULL;
	cJSON_AddItemToObject(report, "totals", totals);
	totals = NULL;
	text = cJSON_PrintUnformatted(report);
	if (!text)
		snprintf(err, errlen, "out of memory");
done:
	cJSON_Delete(out);
	cJSON_Delete(totals);
	cJSON_Delete(report);
	cJSON_Delete(lines);
	return text;
}

/* 409 naming the state; a closed shipment's problem carries its report. */
static void reply_wrong_state(struct api_req *r, const char *state, const char *report)
{
	enum wms_inbound_state from[WMS_INBOUND_STATE_COUNT];
	size_t n = wms_inbound_allowed_from(WMS_INBOUND_DO_CLOSE, from, WMS_INBOUND_STATE_COUNT);
	char detail[256];
	int len = snprintf(detail, sizeof detail, "shipment is %s; close is allowed from", state);
	for (size_t i = 0; i < n && len > 0 && (size_t)len < sizeof detail; i++)
		len += snprintf(detail + len, sizeof detail - (size_t)len, "%s %s", i ? "," : "",
		                wms_inbound_state_name(from[i]));
	cJSON *p = problem_new(PROBLEM_WRONG_STATE, detail);
	if (p) {
		cJSON_AddStringToObject(p, "state", state);
		if (report)
			cJSON_AddItemToObject(p, "discrepancy", cJSON_Parse(report));
	}
	api_reply_problem_doc(r, p);
}

static void read_shipment(struct api_req *r);

/* Unless the report has short lines: answers 409 short-lines (next confirm_short, the short
 * lines and the totals) and returns -1; else 0. */
static int short_lines_or_reply(struct api_req *r, const char *report_text)
{
	cJSON *report = cJSON_Parse(report_text), *shorts = cJSON_CreateArray();
	const cJSON *l;
	long long total = 0;
	cJSON_ArrayForEach(l, cJSON_GetObjectItem(report, "lines"))
	{
		double s = cJSON_GetNumberValue(cJSON_GetObjectItem(l, "short"));
		if (s > 0) {
			total += (long long)s;
			cJSON_AddItemToArray(shorts, cJSON_Duplicate(l, 1));
		}
	}
	if (!total) {
		cJSON_Delete(shorts);
		cJSON_Delete(report);
		return 0;
	}
	char detail[160];
	snprintf(detail, sizeof detail, "%d line(s) are %lld unit(s) short; close again with "
	         "{\"confirm_short\": true} to accept the shortage", cJSON_GetArraySize(shorts), total);
	cJSON *p = problem_new(PROBLEM_SHORT_LINES, detail);
	if (p) {
		cJSON_AddStringToObject(p, "next", "confirm_short");
		cJSON_AddItemToObject(p, "short_lines", shorts);
		shorts = NULL;
		cJSON_AddItemToObject(p, "totals",
		                      cJSON_Duplicate(cJSON_GetObjectItem(report, "totals"), 1));
	}
	cJSON_Delete(shorts);
	cJSON_Delete(report);
	api_reply_problem_doc(r, p);
	return -1;
}

static void on_closed(struct api_req *r, const struct db_reply *rep)
{
	struct close_req *c = api_req_state(r);
	if (rep->outcome != DB_OK || PQntuples(rep->res) != 1) {
		api_reply_db_error(r, rep);
		return;
	}
	const char *report = db_value(rep->res, 0, "report");
	if (report) {
		api_reply_json_text(r, 200, report, strlen(report));
		return;
	}
	if (c->reads >= 2) {
		api_reply_problem(r, PROBLEM_CONFLICT,
		                  "scans kept arriving while the shipment was closing; retry the close");
		return;
	}
	read_shipment(r); /* the state or the version changed: read again */
}

static void on_read(struct api_req *r, const struct db_reply *rep)
{
	struct close_req *c = api_req_state(r);
	enum wms_inbound_state st;
	char err[256];
	if (api_found_or_reply(r, rep, "no such inbound shipment") != 0)
		return;
	const char *state = db_value(rep->res, 0, "state");
	if (wms_inbound_state_parse(state, &st) != 0 || !wms_inbound_can(st, WMS_INBOUND_DO_CLOSE)) {
		reply_wrong_state(r, state, db_value(rep->res, 0, "discrepancy"));
		return;
	}
	snprintf(c->warehouse, sizeof c->warehouse, "%s", db_value(rep->res, 0, "warehouse_id"));
	snprintf(c->id, sizeof c->id, "%s", db_value(rep->res, 0, "id"));
	snprintf(c->version, sizeof c->version, "%s", db_value(rep->res, 0, "version"));
	free(c->report);
	free(c->ledger);
	c->ledger = NULL;
	c->report = build_report(db_value(rep->res, 0, "lines"), err, sizeof err);
	if (c->report) {
		const char *input = db_value(rep->res, 0, "fees_input");
		c->ledger = input ? close_ledger_lines(input, err, sizeof err) : NULL;
		if (!input)
			snprintf(err, sizeof err, "no fee input for the shipment");
	}
	if (!c->report || !c->ledger) {
		log_error("close of %s cannot be priced or reported: %s", c->ref, err);
		api_reply_problem(r, PROBLEM_INTERNAL, "the close could not be computed: %s", err);
		return;
	}
	if (!c->confirm_short && short_lines_or_reply(r, c->report) != 0)
		return;
	const char *p[] = {c->warehouse, c->id, c->allowed,
	                   wms_inbound_state_name(wms_inbound_target(WMS_INBOUND_DO_CLOSE)),
	                   c->report, c->close_at, c->version, api_req_principal(r)->key_id,
	                   c->ledger};
	api_query_or_reply(r, &stmt_close, 9, p, on_closed);
}

static void read_shipment(struct api_req *r)
{
	struct close_req *c = api_req_state(r);
	bool uuid = jsonv_is_uuid(c->ref);
	const char *p[] = {uuid ? c->ref : NULL, api_scope_warehouse(r), c->close_at,
	                   uuid ? NULL : c->ref};
	c->reads++;
	api_query_or_reply(r, &stmt_read, 4, p, on_read);
}

void h_inbound_close(struct api_req *r)
{
	static const char *const fields[] = {"confirm_short", NULL};
	struct jsonv v = JSONV_INIT;
	bool confirm_short = false;
	jsonv_no_unknown(&v, api_req_body(r), "", fields);
	(void)jsonv_bool(&v, api_req_body(r), "confirm_short", false, &confirm_short);
	if (api_valid_or_reply(r, &v) != 0)
		return;
	const char *id = api_req_param(r, "id");
	if (!id) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such inbound shipment");
		return;
	}
	struct close_req *c = api_req_new_state_or_reply(r, sizeof *c, close_req_free);
	if (!c)
		return;
	snprintf(c->ref, sizeof c->ref, "%s", id);
	c->confirm_short = confirm_short;
	/* whole seconds: the fee engine works in epoch seconds */
	instant_format(api_req_now_us(r) / INSTANT_US * INSTANT_US, c->close_at);
	if (wms_inbound_allowed_pg_array(WMS_INBOUND_DO_CLOSE, c->allowed, sizeof c->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return;
	}
	read_shipment(r);
}
