/* h_tracking_events.c — carriers' tracking events in: POST /v1/tracking/events (a carrier
 * key: the key's carrier; an admin names the `carrier` it posts for) and POST /v1/carriers/{code}/webhook (no key: a Standard Webhooks
 * signature by one of the carrier's active secrets over the raw body, webhook_sig.h). Both
 * take {"events": [...]} of 1..TRACKING_BATCH_MAX events, each {event_id, tracking_number,
 * code (the carrier's raw code), occurred_at (the carrier's event time, RFC 3339), node (a
 * network node code, optional), location (free text, optional)}.
 *
 * C checks each event's shape; a bad one is answered `invalid` with its reason and never
 * reaches SQL, the others are one call of tracking_ingest() (sql/functions/
 * tracking_ingest.sql): deduplication by (carrier, event id), status by event time, terminal
 * statuses final, the order delivered with its promise record. The answer (200) has a result
 * per event, in the request's order — applied, duplicate, unknown_tracking_number or invalid
 * (with a reason) — and counts: partial success, never all-or-nothing. A batch that the
 * database picks as a deadlock victim (or that fails serialization) kept nothing and is run
 * again, at most three times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/http/config.h"
#include "api/http/fields.h"
#include "api/http/instant.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/tracking/webhook_sig.h"
#include "wms/order.h"

/* The most events in one request. */
#define TRACKING_BATCH_MAX 1000
/* How far in the future an event time may lie (clocks differ), seconds. */
#define FUTURE_SKEW_S 300
#define MAX_RUNS 3

/* $1 carrier, $2 webhook id (NULL), $3 events, $4 deliver's allowed states, $5 its target,
 * $6 buyer protection seconds, $7 now. */
DB_STMT(stmt_ingest) = {
	"tracking_ingest",
	"SELECT tracking_ingest($1, $2, $3::json, $4::text[], $5, $6::int, $7::timestamptz)::text"};

/* $1 carrier code: whether it exists and its active webhook secrets. */
DB_STMT(stmt_secrets) = {
	"carrier_webhook_secrets",
	"SELECT c.code, (SELECT array_to_json(coalesce(array_agg(s.secret), '{}'))::text"
	" FROM carrier_secrets s WHERE s.carrier_code = c.code AND s.revoked_at IS NULL) AS secrets"
	" FROM carriers c WHERE c.code = $1"};

struct ingest_req {
	int runs;
	int nevents;
	char carrier[33];
	char webhook_id[129];
	int webhooked;
	char allowed[96];
	char protection[16];
	char *events;      /* the well-formed events for SQL (JSON text) */
	cJSON *results;    /* one per event; invalid ones filled, the rest by SQL */
};

static void ingest_req_free(void *p)
{
	struct ingest_req *q = p;
	free(q->events);
	cJSON_Delete(q->results);
	free(q);
}

/* The first error of v as "field: message" into out. */
static void first_error(const struct jsonv *v, char *out, size_t len)
{
	const cJSON *e = cJSON_GetArrayItem(v->errors, 0);
	const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "field"));
	const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
	snprintf(out, len, "%s: %s", f ? f : "?", m ? m : "invalid");
}

/* Whether s is a node code as the network names them. */
static bool node_code(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 32 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/* Checks one event; appends it to sql (with its index) and returns 1, or records it invalid
 * in res, moves its errors into all (as events[i].field) and returns 0; -1 out of memory. */
static int read_event(const cJSON *e, int i, int64_t now_us, cJSON *sql, cJSON *res,
                      struct jsonv *all)
{
	static const char *const fields[] = {"event_id", "tracking_number", "code", "occurred_at",
	                                     "node", "location", NULL};
	struct jsonv v = JSONV_INIT;
	char err[160], reason[256];
	int64_t at = 0;
	const char *id = NULL, *tn = NULL, *code = NULL, *when = NULL, *node = NULL, *loc = NULL;
	if (!cJSON_IsObject(e)) {
		jsonv_error(&v, "event", "type", "an event is an object");
	} else {
		jsonv_no_unknown(&v, e, "", fields);
		id = jsonv_string(&v, e, "event_id", true, 1, 128);
		tn = jsonv_string(&v, e, "tracking_number", true, 1, 64);
		code = jsonv_string(&v, e, "code", true, 1, 64);
		when = jsonv_string(&v, e, "occurred_at", true, 1, 40);
		node = jsonv_string(&v, e, "node", false, 1, 32);
		loc = jsonv_string(&v, e, "location", false, 1, 200);
		if (tn && wms_order_tracking_check(tn, err, sizeof err) != 0)
			jsonv_error(&v, "tracking_number", "format", "%s", err);
		if (when && instant_parse(when, false, &at) != 0)
			jsonv_error(&v, "occurred_at", "format", "not an RFC 3339 date-time in 1970-2199");
		else if (when && at > now_us + FUTURE_SKEW_S * INSTANT_US)
			jsonv_error(&v, "occurred_at", "future", "the event time is in the future");
		if (node && !node_code(node))
			jsonv_error(&v, "node", "format", "a node code is [A-Z0-9][A-Z0-9_-]{1,31}");
	}
	cJSON *r = cJSON_CreateObject();
	if (!r || !cJSON_AddItemToArray(res, r)) {
		cJSON_Delete(r);
		jsonv_free(&v);
		return -1;
	}
	if (id && !cJSON_AddStringToObject(r, "event_id", id))
		goto oom;
	if (v.count) {
		first_error(&v, reason, sizeof reason);
		jsonv_merge(all, &v, "events[%d].", i);
		jsonv_free(&v);
		return cJSON_AddStringToObject(r, "result", "invalid") &&
		               cJSON_AddStringToObject(r, "reason", reason)
		           ? 0
		           : -1;
	}
	char iso[INSTANT_TEXT];
	instant_format(at, iso);
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(sql, o))
		goto oom_o;
	if (!cJSON_AddNumberToObject(o, "i", i) || !cJSON_AddStringToObject(o, "event_id", id) ||
	    !cJSON_AddStringToObject(o, "tracking_number", tn) ||
	    !cJSON_AddStringToObject(o, "code", code) ||
	    !cJSON_AddStringToObject(o, "occurred_at", iso) ||
	    (node && !cJSON_AddStringToObject(o, "node", node)) ||
	    (loc && !cJSON_AddStringToObject(o, "location", loc)))
		goto oom;
	return 1;
oom_o:
	cJSON_Delete(o);
oom:
	jsonv_free(&v);
	return -1;
}

/* Counts the results by kind into the answer. */
static int add_counts(cJSON *doc, const cJSON *results)
{
	static const char *const kinds[] = {"applied", "duplicate", "unknown_tracking_number",
	                                    "invalid"};
	int n[4] = {0};
	const cJSON *r;
	cJSON_ArrayForEach(r, results)
	{
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "result"));
		for (int i = 0; k && i < 4; i++)
			n[i] += strcmp(k, kinds[i]) == 0;
	}
	cJSON *c = cJSON_AddObjectToObject(doc, "counts");
	for (int i = 0; c && i < 4; i++)
		if (!cJSON_AddNumberToObject(c, kinds[i], n[i]))
			return -1;
	return c ? 0 : -1;
}

static void run(struct api_req *r);

static void on_ingested(struct api_req *r, const struct db_reply *rep)
{
	struct ingest_req *q = api_req_state(r);
	if (rep->outcome != DB_OK) {
		if (rep->sqlstate && (strcmp(rep->sqlstate, "40P01") == 0 ||
		                      strcmp(rep->sqlstate, "40001") == 0) && q->runs < MAX_RUNS) {
			run(r);
			return;
		}
		api_reply_db_error(r, rep);
		return;
	}
	cJSON *out = PQntuples(rep->res) == 1 ? cJSON_Parse(PQgetvalue(rep->res, 0, 0)) : NULL;
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(out, "results"), *x;
	if (!cJSON_IsArray(res)) {
		cJSON_Delete(out);
		api_reply_problem(r, PROBLEM_INTERNAL, "tracking_ingest answered no results");
		return;
	}
	/* SQL's results come in the request's order (by i): walk the answer's alongside */
	cJSON *dst = q->results ? q->results->child : NULL;
	int at = 0;
	cJSON_ArrayForEach(x, res)
	{
		int i = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x, "i"));
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "result"));
		const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "status"));
		for (; dst && at < i; at++)
			dst = dst->next;
		if (!dst || at != i || !k)
			continue;
		if (strcmp(k, "unmapped_code") == 0) {
			const cJSON *ev = cJSON_GetArrayItem(
				cJSON_GetObjectItemCaseSensitive(api_req_body(r), "events"), i);
			char reason[200];
			snprintf(reason, sizeof reason, "code: %s is not a code of carrier %s (its "
			         "mapping: PUT /v1/carriers/%s)",
			         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "code")),
			         q->carrier, q->carrier);
			cJSON_AddStringToObject(dst, "result", "invalid");
			cJSON_AddStringToObject(dst, "reason", reason);
		} else {
			cJSON_AddStringToObject(dst, "result", k);
			if (st && strcmp(k, "applied") == 0)
				cJSON_AddStringToObject(dst, "status", st);
		}
	}
	cJSON *doc = cJSON_CreateObject();
	bool ok = doc && cJSON_AddStringToObject(doc, "carrier", q->carrier) &&
	          (!q->webhooked || cJSON_AddStringToObject(doc, "webhook_id", q->webhook_id)) &&
	          cJSON_AddBoolToObject(doc, "replayed", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
	                                                      out, "replayed"))) &&
	          cJSON_AddNumberToObject(doc, "delivered_orders",
	                                  cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	                                      out, "delivered_orders"))) &&
	          add_counts(doc, q->results) == 0 && cJSON_AddItemToObject(doc, "results", q->results);
	if (ok)
		q->results = NULL; /* now the answer's */
	cJSON_Delete(out);
	api_reply_json(r, 200, ok ? doc : (cJSON_Delete(doc), NULL));
}

static void run(struct api_req *r)
{
	struct ingest_req *q = api_req_state(r);
	q->runs++;
	const char *p[] = {q->carrier,
	                   q->webhooked ? q->webhook_id : NULL,
	                   q->events,
	                   q->allowed,
	                   wms_order_state_name(wms_order_target(WMS_ORDER_DO_DELIVER)),
	                   q->protection,
	                   api_req_now_text(r)};
	api_query_or_reply(r, &stmt_ingest, 7, p, on_ingested);
}

/* Reads the body into q: the batch's shape, then each event. 422 when the body as a whole is
 * wrong (no events array, too many, a carrier it may not name) or when no event is
 * well-formed (nothing to apply: every event's errors, as events[i].field); otherwise the bad
 * events are answered `invalid` in their results. Returns 0, or -1 after answering. */
static int prepare_or_reply(struct api_req *r, struct ingest_req *q)
{
	static const char *const top[] = {"events", "carrier", NULL};
	const cJSON *b = api_req_body(r);
	struct jsonv v = JSONV_INIT, bad = JSONV_INIT;
	jsonv_no_unknown(&v, b, "", top);
	/* an admin posts a carrier's events on its behalf (a feed replayed by hand): it names
	 * the carrier; a carrier's key and a webhook are the carrier's own */
	const cJSON *named = cJSON_GetObjectItemCaseSensitive(b, "carrier");
	if (api_req_principal(r) && api_req_principal(r)->role == AUTH_ADMIN) {
		const char *c = fields_code(&v, b, "carrier", true);
		if (c)
			snprintf(q->carrier, sizeof q->carrier, "%s", c);
	} else if (named && !(cJSON_IsString(named) && strcmp(named->valuestring, q->carrier) == 0)) {
		jsonv_error(&v, "carrier", "scope", "events are posted for the key's own carrier, %s",
		            q->carrier);
	}
	const cJSON *events = jsonv_array(&v, b, "events", true);
	int n = events ? cJSON_GetArraySize(events) : 0;
	if (events && (n < 1 || n > TRACKING_BATCH_MAX))
		jsonv_error(&v, "events", "size", "a batch has 1 to %d events, not %d",
		            TRACKING_BATCH_MAX, n);
	cJSON *sql = cJSON_CreateArray();
	q->results = cJSON_CreateArray();
	q->nevents = n;
	const cJSON *e;
	int i = 0, good = 0, rc = 0;
	if (events && n <= TRACKING_BATCH_MAX) {
		cJSON_ArrayForEach(e, events)
		{
			rc = sql && q->results ? read_event(e, i++, api_req_now_us(r), sql, q->results, &bad)
			                       : -1;
			if (rc < 0)
				break;
			good += rc;
		}
	}
	if (rc >= 0 && n >= 1 && good == 0)
		jsonv_merge(&v, &bad, "%s", "");
	jsonv_free(&bad);
	if (rc >= 0 && api_valid_or_reply(r, &v) != 0) {
		cJSON_Delete(sql);
		return -1;
	}
	jsonv_free(&v);
	if (rc >= 0)
		q->events = cJSON_PrintUnformatted(sql);
	cJSON_Delete(sql);
	if (rc < 0 || !q->events) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return -1;
	}
	snprintf(q->protection, sizeof q->protection, "%d",
	         api_req_app(r)->cfg->buyer_protection_s);
	if (wms_order_allowed_pg_array(WMS_ORDER_DO_DELIVER, q->allowed, sizeof q->allowed) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the state table does not fit its buffer");
		return -1;
	}
	return 0;
}

void h_tracking_events(struct api_req *r)
{
	struct ingest_req *q = api_req_new_state_or_reply(r, sizeof *q, ingest_req_free);
	if (!q)
		return;
	snprintf(q->carrier, sizeof q->carrier, "%s", api_req_principal(r)->carrier); /* "" admin */
	if (prepare_or_reply(r, q) == 0)
		run(r);
}

/* The carrier's secrets are read: verify the signature over the raw body, then ingest. */
static void on_secrets(struct api_req *r, const struct db_reply *rep)
{
	struct ingest_req *q = api_req_state(r);
	if (api_found_or_reply(r, rep, "no such carrier") != 0)
		return;
	cJSON *arr = cJSON_Parse(db_value(rep->res, 0, "secrets"));
	int n = cJSON_GetArraySize(arr);
	const char **secrets = calloc((size_t)(n ? n : 1), sizeof *secrets);
	if (!secrets) {
		cJSON_Delete(arr);
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return;
	}
	for (int i = 0; i < n; i++)
		secrets[i] = cJSON_GetStringValue(cJSON_GetArrayItem(arr, i));
	size_t len = 0;
	const char *body = api_req_raw_body(r, &len);
	const char *id = api_req_header(r, "webhook-id");
	enum webhook_sig_status st = webhook_sig_verify(
		secrets, (size_t)n, id, api_req_header(r, "webhook-timestamp"),
		api_req_header(r, "webhook-signature"), body ? body : "", body ? len : 0,
		api_req_now_us(r) / INSTANT_US, api_req_app(r)->cfg->webhook_tolerance_s);
	free(secrets);
	cJSON_Delete(arr);
	if (st == WEBHOOK_SIG_OK && strlen(id) > 128)
		st = WEBHOOK_SIG_MISSING;
	if (st != WEBHOOK_SIG_OK) {
		log_info("request id=%s webhook of carrier %s refused: %s", api_req_id(r), q->carrier,
		         webhook_sig_reason(st));
		api_reply_problem(r, PROBLEM_UNAUTHORIZED, "%s%s", webhook_sig_reason(st),
		                  n == 0 && st == WEBHOOK_SIG_MISMATCH
		                      ? " (the carrier has no active webhook secret)"
		                      : "");
		return;
	}
	snprintf(q->webhook_id, sizeof q->webhook_id, "%s", id);
	q->webhooked = 1;
	run(r);
}

void h_carrier_webhook(struct api_req *r)
{
	const char *code = api_req_param(r, "code");
	struct ingest_req *q = api_req_new_state_or_reply(r, sizeof *q, ingest_req_free);
	if (!q)
		return;
	if (!code || strlen(code) >= sizeof q->carrier) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such carrier");
		return;
	}
	snprintf(q->carrier, sizeof q->carrier, "%s", code);
	/* the body's shape first (it writes nothing): then the carrier's secrets and the
	 * signature over the raw bytes */
	if (prepare_or_reply(r, q) != 0)
		return;
	const char *p[] = {code};
	api_query_or_reply(r, &stmt_secrets, 1, p, on_secrets);
}
