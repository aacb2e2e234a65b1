/* h_event_subscriptions.c — events out, the subscriber's side: POST /v1/event-subscriptions
 * (admin and platform subscribe for every seller's events, a seller for its own) takes
 * {url (http://), events: [package.status_changed | order.delivered | escrow.released]} and
 * answers the subscription with its Standard Webhooks secret, shown once; GET lists them
 * (a seller its own); GET /v1/event-subscriptions/{id}/deliveries shows the subscription's
 * outbox with every delivery attempt (api/tracking/event_delivery.c delivers it). */
#include <stdio.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/jsonv.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/routes.h"
#include "api/tracking/webhook_sig.h"

/* $1 seller (NULL: the platform's), $2 url, $3 events, $4 secret, $5 now. */
DB_STMT(stmt_add) = {
	"event_subscription_add",
	"SELECT event_subscription_add($1::uuid, $2, $3::text[], $4, $5::timestamptz)::text"};

/* $1 seller scope. */
DB_STMT(stmt_list) = {
	"event_subscription_list",
	"SELECT json_build_object('items', coalesce(json_agg(event_subscription_doc(s.id)"
	" ORDER BY s.created_at DESC, s.id DESC), '[]'::json))::text FROM event_subscriptions s"
	" WHERE $1::uuid IS NULL OR s.seller_id = $1::uuid"};

/* $1 limit, $2/$3 cursor, $4 subscription, $5 seller scope. */
DB_STMT(stmt_deliveries) = {
	"event_deliveries",
	"SELECT d::text FROM event_deliveries_page($1::int, $2, $3::uuid, $4::uuid, $5::uuid) AS d"
	" WHERE d IS NOT NULL"};

struct sub_req {
	char secret[WEBHOOK_SECRET_LEN];
	char events[128];
};

static void on_added(struct api_req *r, const struct db_reply *rep)
{
	struct sub_req *q = api_req_state(r);
	if (api_found_or_reply(r, rep, "not stored") != 0)
		return;
	cJSON *doc = cJSON_Parse(PQgetvalue(rep->res, 0, 0));
	if (doc && !cJSON_AddStringToObject(doc, "secret", q->secret)) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	api_reply_json(r, 201, doc);
}

void h_event_subscription_create(struct api_req *r)
{
	static const char *const fields[] = {"url", "events", NULL};
	static const char *const types[] = {"package.status_changed", "order.delivered",
	                                    "escrow.released", NULL};
	const cJSON *b = api_req_body(r), *e;
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, b, "", fields);
	const char *url = fields_shape(&v, b, "url", true, 2000, "^http://[^[:space:]/?#]+(/[^[:space:]]*)?$",
	                               "an http:// URL (https is not built)");
	const cJSON *events = jsonv_array(&v, b, "events", true);
	struct sub_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	size_t used = (size_t)snprintf(q->events, sizeof q->events, "{");
	int n = 0, seen[3] = {0};
	cJSON_ArrayForEach(e, events)
	{
		int k = -1;
		for (int i = 0; types[i] && cJSON_IsString(e); i++)
			if (strcmp(e->valuestring, types[i]) == 0)
				k = i;
		if (k < 0) {
			jsonv_error(&v, "events", "enum", "events are package.status_changed, "
			            "order.delivered, escrow.released");
			break;
		}
		if (!seen[k]++)
			used += (size_t)snprintf(q->events + used, sizeof q->events - used, "%s%s",
			                         n++ ? "," : "", types[k]);
	}
	snprintf(q->events + used, sizeof q->events - used, "}");
	if (events && n == 0 && v.count == 0)
		jsonv_error(&v, "events", "size", "subscribe to at least one event type");
	if (api_valid_or_reply(r, &v) != 0)
		return;
	if (webhook_sig_secret_new(q->secret) != 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "no randomness for a secret");
		return;
	}
	const char *p[] = {api_scope_seller(r), url, q->events, q->secret, api_req_now_text(r)};
	api_query_or_reply(r, &stmt_add, 5, p, on_added);
}

static void on_rows(struct api_req *r, const struct db_reply *rep)
{
	api_reply_row(r, rep, 200, "no such subscription");
}

void h_event_subscription_list(struct api_req *r)
{
	const char *p[] = {api_scope_seller(r)};
	api_query_or_reply(r, &stmt_list, 1, p, on_rows);
}

void h_event_deliveries(struct api_req *r)
{
	struct api_page pg;
	const char *id = api_req_param(r, "id");
	if (!id || !jsonv_is_uuid(id)) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such subscription");
		return;
	}
	if (api_page_or_reply(r, &pg, API_CURSOR_TIME_ID, NULL) != 0)
		return;
	const char *p[] = {pg.limit, pg.cursor_ts, pg.cursor_id, id, api_scope_seller(r)};
	api_query_or_reply(r, &stmt_deliveries, 5, p, on_rows);
}
