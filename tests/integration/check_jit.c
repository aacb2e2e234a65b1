/* check_jit.c — JIT tasks through the server: a semi_jit order gets a task at a consolidation
 * hub of the seller's country whose hand-over deadline is checked against an independent
 * computation in SQL (the hub's weekly local departures expanded in its zone, the promise
 * counted in the buyer's zone's local days), shown in UTC and in the hub's local time — a
 * hub in Shanghai whose only line-haul leaves Tuesday 01:00 local, so the deadline is Monday
 * 23:00 there and Monday 15:00 UTC —; the hub leaving most time in the cheapest cost class is
 * chosen; the seller lists its tasks and prints the label once; other tenants see nothing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"

/* A consolidation hub with one line-haul leg to the ES test zone. */
struct hub {
	char code[16], id[37], staff[AUTH_KEY_LEN + 1];
};

/* A hub `code`-prefixed in country/zone, with a leg to the ES zone leaving at the local
 * minutes of week `departures` ("{1500}"), cut-off cutoff_min, deterministic transit of
 * hours, costing fixed; a promise of days at 95% from it to ES; a tracking series for the
 * leg's carrier service. Waits until the server quotes from it. */
static void hub_new(struct hub *h, const struct ob_world *o, const char *country,
                    const char *zone, const char *departures, int cutoff_min, int hours,
                    long long fixed, int days)
{
	char carrier[40], leg[40];
	snprintf(h->code, sizeof h->code, "%s", th_code("H")); /* "H-" + 8: fits a sort code */
	th_sql_copyp(h->id, sizeof h->id,
	             "INSERT INTO warehouses (code, name, country, time_zone, kind)"
	             " VALUES ($1, 'Test hub', $2, $3, 'consolidation_hub') RETURNING id",
	             h->code, country, zone, NULL);
	snprintf(h->staff, sizeof h->staff, "%s", th_key(AUTH_STAFF, h->code));
	snprintf(carrier, sizeof carrier, "%s", th_code("JC"));
	snprintf(leg, sizeof leg, "LH-%s", h->code);
	th_sqlp("INSERT INTO carriers (code, name) VALUES ($1, 'Line-haul test')", carrier, NULL);
	th_sqlp("INSERT INTO carrier_services (carrier_code, service_code, mode) VALUES ($1, 'AIR',"
	        " 'air')", carrier, NULL);
	th_sqlp("INSERT INTO tracking_series (carrier_code, service_code, format, prefix, next_serial,"
	        " last_serial) VALUES ($1, 'AIR', 'mod10', 'JT', 1, 9999999999)", carrier, NULL);
	th_sqlp("INSERT INTO network_nodes (code, kind, warehouse_id, country, time_zone) VALUES ($1,"
	        " 'warehouse', $2, $3, $4)", h->code, h->id, country, zone, NULL);
	th_sqlp("INSERT INTO network_legs (id, from_node, to_node, carrier_code, service_code,"
	        " departures, cutoff_min, transit_hist_h, fixed_minor, per_kg_minor, currency)"
	        " VALUES ($1, $2, (SELECT code FROM network_nodes WHERE kind = 'zone' AND country = 'ES'"
	        " AND postal_prefix IS NULL), $3, 'AIR', $4::int[], $5::int,"
	        " array_fill(0::float8, ARRAY[$6::int]) || ARRAY[1::float8], $7::bigint, 0,"
	        " (SELECT currency FROM network_settings))",
	        leg, h->code, carrier, departures, TH_INT(cutoff_min), TH_INT(hours), TH_INT(fixed),
	        NULL);
	th_sqlp("INSERT INTO promise_targets (origin_node, country, days, target_bp) VALUES ($1, 'ES',"
	        " $2::int, 9500)", h->code, TH_INT(days), NULL);
	for (int i = 0; i < 200; i++) {
		struct th_resp *r = th_reqf("POST", "/v1/routes/quote", o->platform,
		                            "{\"origin\":\"%s\",\"destination\":{\"country\":\"ES\"},"
		                            "\"parcel\":{\"weight_g\":500,\"length_mm\":100,"
		                            "\"width_mm\":100,\"height_mm\":100}}", h->code);
		long st = r->status;
		th_resp_free(r);
		if (st == 200)
			return;
		usleep(50 * 1000);
	}
	ck_abort_msg("the server's lane network never gained hub %s", h->code);
}

/* A seller of o moved to country (the hubs it may use are that country's). */
static void seller_in(const struct ob_world *o, const char *country)
{
	th_sqlp("UPDATE sellers SET country = $2 WHERE id = $1", o->w.seller_id, country, NULL);
}

/* The independent deadline: from `from` (the search's start), the latest weekly local
 * departure (minutes of week in zone) whose cut-off is not before `from` and whose arrival
 * (dep + hours) is within the promise — the end of the days-th day after from's day in
 * Madrid — less the cut-off; as RFC 3339 UTC text (api_ts). */
static const char *expected_deadline(const char *from, const char *zone, const char *deps,
                                     int cutoff_min, int hours, int days)
{
	return th_sql_valuep(
		"WITH d AS (SELECT (g::date + make_interval(mins => m % 1440)) AT TIME ZONE $2 AS dep"
		"           FROM unnest($3::int[]) m,"
		"                generate_series(($1::timestamptz AT TIME ZONE $2)::date - 1,"
		"                                ($1::timestamptz AT TIME ZONE $2)::date + 30, interval '1 day') g"
		"           WHERE extract(isodow FROM g)::int = m / 1440 + 1),"
		"     p AS (SELECT ((($1::timestamptz AT TIME ZONE 'Europe/Madrid')::date + $6::int + 1)"
		"                   ::timestamp AT TIME ZONE 'Europe/Madrid') - interval '1 second' AS promise)"
		" SELECT api_ts(max(dep) - make_interval(mins => $4::int)) FROM d, p"
		" WHERE dep - make_interval(mins => $4::int) >= $1::timestamptz"
		"   AND dep + make_interval(hours => $5::int) <= promise",
		from, zone, deps, TH_INT(cutoff_min), TH_INT(hours), TH_INT(days), NULL);
}

static struct th_resp *want(struct th_resp *r, long status)
{
	ck_assert_msg(r->status == status, "wanted %ld, got %ld: %s", status, r->status, r->body);
	return r;
}

/* The Shanghai hub's only line-haul leaves Tuesday 01:00 local (minute 1500 of the week):
 * the deadline is the cut-off two hours before, Monday 23:00 in Shanghai, 15:00 UTC — the
 * same instant as computed independently, shown in both zones, and explained. */
START_TEST(deadline_is_the_latest_cutoff_that_keeps_the_promise_in_both_zones)
{
	struct ob_world o;
	struct hub h;
	struct th_resp *r;
	char id[37], order[37], from[40], due[40];
	ob_world_new_in(&o, "USD");
	seller_in(&o, "VN");
	ob_sku_priced(&o, "JIT-1", "toys", 2000, 0, NULL);
	hub_new(&h, &o, "VN", "Asia/Shanghai", "{1500}", 120, 24, 300, 9);

	r = want(ob_order(&o, th_code("JIT"), "semi_jit",
	                  "[{\"sku\":\"JIT-1\",\"qty\":2,\"unit_price\":2500}]", 5000), 201);
	ck_assert_str_eq(th_str(r->json, "state"), "created");
	ck_assert_str_eq(th_str(r->json, "mode"), "semi_jit");
	ck_assert_str_eq(th_str(r->json, "warehouse"), h.code);
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "held");
	snprintf(order, sizeof order, "%s", th_str(r->json, "id"));
	th_resp_free(r);

	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/jit-tasks/%s", order), 200);
	snprintf(id, sizeof id, "%s", th_str(r->json, "id"));
	ck_assert_str_eq(th_str(r->json, "state"), "created");
	ck_assert_str_eq(th_str(r->json, "hub"), h.code);
	snprintf(from, sizeof from, "%s", th_str(r->json, "deadline_basis.searched_from"));
	snprintf(due, sizeof due, "%s", th_str(r->json, "handover_deadline.utc"));
	ck_assert_str_eq(due, expected_deadline(from, "Asia/Shanghai", "{1500}", 120, 24, 9));
	/* Monday 15:00 UTC is Monday 23:00 in Shanghai; the departure is Tuesday 01:00 there */
	ck_assert_str_eq(th_sql_valuep("SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'Dy HH24:MI')",
	                               due, NULL), "Mon 15:00");
	const char *local = th_str(r->json, "handover_deadline.local");
	ck_assert_msg(strlen(local) == 25 && strcmp(local + 10, "T23:00:00+08:00") == 0, "%s", local);
	ck_assert_str_eq(th_sql_valuep("SELECT to_char($1::timestamptz, 'YYYY-MM-DD')", local, NULL),
	                 th_sql_valuep("SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
	                               due, NULL));
	ck_assert_str_eq(th_str(r->json, "handover_deadline.time_zone"), "Asia/Shanghai");
	ck_assert_str_eq(th_sql_valuep("SELECT to_char(($1::timestamptz AT TIME ZONE 'Asia/Shanghai'),"
	                               " 'Dy HH24:MI')", th_str(r->json, "deadline_basis.aims_for.departure"),
	                               NULL), "Tue 01:00");
	ck_assert_str_eq(th_sql_valuep("SELECT api_ts($1::timestamptz - interval '2 hours')",
	                               th_str(r->json, "deadline_basis.aims_for.departure"), NULL), due);
	ck_assert(strstr(th_str(r->json, "deadline_basis.explanation"), "one minute later") != NULL);
	ck_assert(!cJSON_IsTrue(th_at(r->json, "at_risk")));
	th_resp_free(r);

	/* the stored row: UTC instant and the hub's zone */
	ck_assert_str_eq(th_sql_valuep("SELECT time_zone FROM jit_tasks WHERE id = $1", id, NULL),
	                 "Asia/Shanghai");
	ck_assert_str_eq(th_sql_valuep("SELECT api_ts(handover_deadline) FROM jit_tasks WHERE id = $1",
	                               id, NULL), due);
	/* no stock was reserved: the seller holds it */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM order_reservations WHERE order_id = $1",
	                               order, NULL), "0");
}
END_TEST

/* Three hubs, all leaving daily: the cheapest takes 72 h to Spain; another within 10% of its
 * cost takes 24 h (two days more for the seller); a dear one (2 h) leaves the seller more
 * time still. The 24 h one, in the cheap class, wins, and the basis lists all three with
 * their own deadlines. */
START_TEST(hub_with_most_time_in_the_cheapest_cost_class_is_chosen)
{
	struct ob_world o;
	struct hub a, b, c;
	struct th_resp *r;
	ob_world_new_in(&o, "USD");
	seller_in(&o, "TH");
	ob_sku_priced(&o, "JIT-2", "toys", 2000, 0, NULL);
	hub_new(&a, &o, "TH", "Asia/Bangkok", "{60,1500,2940,4380,5820,7260,8700}", 120, 72, 300, 9);
	hub_new(&b, &o, "TH", "Asia/Bangkok", "{60,1500,2940,4380,5820,7260,8700}", 120, 24, 320, 9);
	hub_new(&c, &o, "TH", "Asia/Bangkok", "{1380,2820,4260,5700,7140,8580,10020}", 60, 2, 1000, 9);
	r = want(ob_order(&o, th_code("JIT"), "semi_jit",
	                  "[{\"sku\":\"JIT-2\",\"qty\":1,\"unit_price\":2500}]", 2500), 201);
	th_resp_free(r);
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/jit-tasks?sort=deadline"), 200);
	ck_assert_msg(strcmp(th_str(r->json, "items.0.hub"), b.code) == 0, "a %s b %s c %s: %s",
	              a.code, b.code, c.code, r->body);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	const cJSON *hubs = th_at(r->json, "items.0.deadline_basis.hubs");
	ck_assert_int_eq(cJSON_GetArraySize(hubs), 3);
	const cJSON *x;
	int chosen = 0;
	cJSON_ArrayForEach(x, hubs) {
		const char *code = th_str(x, "hub");
		ck_assert_str_eq(th_str(x, "status"), "ok");
		if (cJSON_IsTrue(th_at(x, "chosen"))) {
			chosen++;
			ck_assert_str_eq(code, b.code);
			ck_assert_str_eq(th_str(x, "handover_deadline"),
			                 th_str(r->json, "items.0.handover_deadline.utc"));
		}
		if (strcmp(code, a.code) == 0) /* slower: an earlier deadline */
			ck_assert_int_lt(strcmp(th_str(x, "handover_deadline"),
			                        th_str(r->json, "items.0.handover_deadline.utc")), 0);
		if (strcmp(code, c.code) == 0) /* dearer class, later deadline, not chosen */
			ck_assert_int_gt(strcmp(th_str(x, "handover_deadline"),
			                        th_str(r->json, "items.0.handover_deadline.utc")), 0);
	}
	ck_assert_int_eq(chosen, 1);
	th_resp_free(r);
}
END_TEST

/* The seller lists its tasks and prints the label: a platform tracking number from the
 * line-haul's series, the hub as sort code; printed once (a reprint is the same label, the
 * series moves once); the task goes label_printed. Hub staff see their hub's tasks; another
 * seller and another hub's staff get 404; bad filters are 400. */
START_TEST(seller_lists_and_prints_the_label_once)
{
	struct ob_world o, other;
	struct hub h, h2;
	struct th_resp *r;
	char id[37], tracking[40], client[40];
	ob_world_new_in(&o, "USD");
	ob_world_new_in(&other, "USD");
	seller_in(&o, "MY");
	ob_sku_priced(&o, "JIT-3", "toys", 2000, 0, NULL);
	hub_new(&h, &o, "MY", "Asia/Kuala_Lumpur", "{60,1500,2940,4380,5820,7260,8700}", 120, 24, 300, 9);
	hub_new(&h2, &o, "SG", "Asia/Singapore", "{60}", 120, 24, 300, 9);
	snprintf(client, sizeof client, "%s", th_code("JIT"));
	r = want(ob_order(&o, client, "semi_jit",
	                  "[{\"sku\":\"JIT-3\",\"qty\":3,\"unit_price\":1000}]", 3000), 201);
	th_resp_free(r);
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/jit-tasks?state=created"), 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	snprintf(id, sizeof id, "%s", th_str(r->json, "items.0.id"));
	ck_assert_str_eq(th_str(r->json, "items.0.client_order_id"), client);
	th_resp_free(r);
	r = want(th_call("GET", h.staff, NULL, "/v1/jit-tasks?sort=deadline"), 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	th_resp_free(r);
	th_expect(th_call("GET", other.w.seller_key, NULL, "/v1/jit-tasks/%s", id), 404);
	th_expect(th_call("GET", h2.staff, NULL, "/v1/jit-tasks/%s", id), 404);
	th_expect(th_call("POST", other.w.seller_key, NULL, "/v1/jit-tasks/%s/label", id), 404);
	th_expect(th_call("POST", h.staff, NULL, "/v1/jit-tasks/%s/label", id), 403);
	ck_assert(th_problem(th_call("GET", o.w.seller_key, NULL, "/v1/jit-tasks?state=lost"), 400,
	                     NULL, NULL));
	ck_assert(th_problem(th_call("GET", o.w.seller_key, NULL, "/v1/jit-tasks?sort=price"), 400,
	                     NULL, NULL));

	r = want(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", id), 200);
	ck_assert_str_eq(r->ctype, "application/zpl");
	ck_assert(strncmp(r->body, "^XA", 3) == 0);
	char *sort = NULL;
	ck_assert(asprintf(&sort, "^FD%s^FS", h.code) > 0);
	ck_assert_msg(strstr(r->body, sort) != NULL, "sort code %s missing: %s", h.code, r->body);
	free(sort);
	char *first = strdup(r->body);
	th_resp_free(r);
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/jit-tasks/%s", id), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "label_printed");
	ck_assert_str_eq(th_str(r->json, "sort_code"), h.code);
	snprintf(tracking, sizeof tracking, "%s", th_str(r->json, "tracking_number"));
	ck_assert(strncmp(tracking, "JT", 2) == 0);
	ck_assert(strstr(first, tracking) != NULL);
	th_resp_free(r);
	r = want(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", id), 200);
	ck_assert_str_eq(r->body, first);
	th_resp_free(r);
	free(first);
	/* found by its tracking number too; the series moved once */
	r = want(th_call("GET", h.staff, NULL, "/v1/jit-tasks/%s", tracking), 200);
	ck_assert_str_eq(th_str(r->json, "id"), id);
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT s.next_serial FROM tracking_series s JOIN network_legs l"
	                               " ON l.carrier_code = s.carrier_code AND l.service_code = s.service_code"
	                               " WHERE l.from_node = $1", h.code, NULL), "2");
}
END_TEST

/* A seller whose country has no consolidation hub: the order is unfulfillable with a reason
 * per line, its escrow refunded, and no task is made. */
START_TEST(no_hub_makes_the_order_unfulfillable_with_a_reason)
{
	struct ob_world o;
	struct th_resp *r;
	ob_world_new_in(&o, "USD");
	seller_in(&o, "NP");
	ob_sku_priced(&o, "JIT-4", "toys", 2000, 0, NULL);
	r = want(ob_order(&o, th_code("JIT"), "semi_jit",
	                  "[{\"sku\":\"JIT-4\",\"qty\":1,\"unit_price\":1000}]", 1000), 201);
	ck_assert_str_eq(th_str(r->json, "state"), "unfulfillable");
	ck_assert_str_eq(th_str(r->json, "unfulfillable.0.reason"), "no_route");
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "refunded");
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM jit_tasks WHERE order_id = $1",
	                               th_str(r->json, "id"), NULL), "0");
	th_resp_free(r);
}
END_TEST


/* A semi_jit order of o (one unit of sku) that must get a task; writes the task's and the
 * order's id. */
static void jit_order(const struct ob_world *o, const char *sku, char task[37], char order[37])
{
	char lines[128];
	snprintf(lines, sizeof lines, "[{\"sku\":\"%s\",\"qty\":1,\"unit_price\":1000}]", sku);
	struct th_resp *r = want(ob_order(o, th_code("JIT"), "semi_jit", lines, 1000), 201);
	snprintf(order, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_sql_copyp(task, 37, "SELECT id FROM jit_tasks WHERE order_id = $1", order, NULL);
	ck_assert_int_eq((int)strlen(task), 36);
}

static struct th_resp *receipt(const struct hub *h, const char *scan, const char *target_member,
                               const char *target, const char *exception)
{
	return th_reqf("POST", "/v1/hub/receipt-scans", h->staff,
	               "{\"scan_id\":\"%s\",\"%s\":\"%s\"%s%s}", scan, target_member, target,
	               exception ? ",\"exception\":" : "", exception ? exception : "");
}

/* The hub receives by scan, exactly once: on time by the label's tracking number (a repeat
 * replays, another scan of it is 409 with received_at); late by the order id (the label
 * unreadable): re-quoted from now, at risk when the promise can no longer be kept, on time
 * when it still can; an exception records its reason with what was expected; another hub's
 * staff get 404; bad bodies are 422 naming the field. */
START_TEST(hub_receipt_scans_count_once_mark_late_and_record_exceptions)
{
	struct ob_world o;
	struct hub h, h2;
	struct th_resp *r;
	char t1[37], o1[37], t2[37], o2[37], t3[37], o3[37], t4[37], o4[37], tracking[40];
	ob_world_new_in(&o, "USD");
	seller_in(&o, "ID");
	ob_sku_priced(&o, "JIT-5", "toys", 2000, 0, NULL);
	hub_new(&h, &o, "ID", "Asia/Jakarta", "{60,1500,2940,4380,5820,7260,8700}", 120, 24, 300, 9);
	hub_new(&h2, &o, "PH", "Asia/Manila", "{60}", 120, 24, 300, 9);
	jit_order(&o, "JIT-5", t1, o1);
	jit_order(&o, "JIT-5", t2, o2);
	jit_order(&o, "JIT-5", t3, o3);
	jit_order(&o, "JIT-5", t4, o4);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", t1), 200);
	th_sql_copyp(tracking, sizeof tracking,
	             "SELECT tracking_number FROM jit_tasks WHERE id = $1", t1, NULL);

	/* on time, by the label's Code 128 with its AIM prefix */
	char aim[48];
	snprintf(aim, sizeof aim, "]C0%s", tracking);
	r = want(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000001", "barcode", aim, NULL), 200);
	ck_assert_str_eq(th_str(r->json, "task.state"), "received_at_hub");
	ck_assert(cJSON_IsFalse(th_at(r->json, "task.late")));
	ck_assert_str_eq(th_str(r->json, "expected.0.sku"), "JIT-5");
	ck_assert_str_eq(th_str(r->json, "next"), "parcel");
	char *first = strdup(r->body);
	th_resp_free(r);
	r = want(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000001", "barcode", aim, NULL), 200);
	ck_assert_str_eq(r->body, first);
	ck_assert_str_eq(th_header(r, "Idempotent-Replayed"), "true");
	th_resp_free(r);
	free(first);
	r = receipt(&h, "7a1b2c3d-0000-4000-8000-000000000002", "barcode", tracking, NULL);
	ck_assert_msg(r->status == 409 && th_str(r->json, "received_at") != NULL, "%s", r->body);
	th_resp_free(r);
	ck_assert(th_problem(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000001", "order", o2, NULL),
	                     422, NULL, NULL));

	/* late, the promise still kept: re-quoted, not at risk */
	th_sqlp("UPDATE jit_tasks SET handover_deadline = now() - interval '1 minute' WHERE id = $1",
	        t2, NULL);
	r = want(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000003", "order", o2, NULL), 200);
	ck_assert(cJSON_IsTrue(th_at(r->json, "task.late")));
	ck_assert_str_eq(th_str(r->json, "task.requote.status"), "ok");
	ck_assert(cJSON_IsFalse(th_at(r->json, "task.at_risk")));
	ck_assert_ptr_nonnull(th_at(r->json, "task.requote.route.legs"));
	th_resp_free(r);

	/* late past saving: the promise deadline is an hour away */
	th_sqlp("UPDATE jit_tasks SET handover_deadline = now() - interval '1 day' WHERE id = $1",
	        t3, NULL);
	th_sqlp("UPDATE orders SET promise_deadline = now() + interval '1 hour' WHERE id = $1", o3, NULL);
	r = want(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000004", "barcode", t3, NULL), 200);
	ck_assert(cJSON_IsTrue(th_at(r->json, "task.late")));
	ck_assert_str_eq(th_str(r->json, "task.requote.status"), "at_risk");
	ck_assert(cJSON_IsTrue(th_at(r->json, "task.at_risk")));
	th_resp_free(r);

	/* an exception: wrong quantity, with what was expected */
	r = want(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000005", "order",
	                 th_sql_valuep("SELECT client_order_id FROM jit_tasks WHERE id = $1", t4, NULL),
	                 "{\"reason\":\"wrong_quantity\",\"found\":\"2 units\"}"), 200);
	ck_assert_str_eq(th_str(r->json, "task.state"), "exception");
	ck_assert_str_eq(th_str(r->json, "task.exception.reason"), "wrong_quantity");
	ck_assert_str_eq(th_str(r->json, "task.exception.found"), "2 units");
	ck_assert_int_eq((int)th_num(r->json, "task.exception.expected.0.qty", 0), 1);
	th_resp_free(r);

	/* other hubs and bad bodies */
	th_expect(receipt(&h2, "7a1b2c3d-0000-4000-8000-000000000006", "order", o1, NULL), 404);
	ck_assert(th_problem(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000007", "order", o1,
	                             "{\"reason\":\"lost\"}"), 422, "exception.reason", NULL));
	ck_assert(th_problem(receipt(&h, "7a1b2c3d-0000-4000-8000-000000000008", "barcode",
	                             "JT12345", NULL), 422, "barcode", NULL));
	th_expect(th_call("POST", o.w.seller_key, "{}", "/v1/hub/receipt-scans"), 403);
}
END_TEST

/* Binding: up to 50 tasks, a result per task — bound, or refused with a reason (other hub,
 * label not printed, not found, listed twice) —; none bound is 409 with every reason; the
 * dispatch puts the bound tasks in transit to the hub, once. */
START_TEST(binding_answers_per_task_and_dispatch_moves_them_in_transit)
{
	struct ob_world o;
	struct hub a, b;
	struct th_resp *r;
	char ta1[37], oa1[37], ta2[37], oa2[37], tb[37], ob[37], cons[37];
	ob_world_new_in(&o, "USD");
	seller_in(&o, "KH");
	ob_sku_priced(&o, "JIT-6", "toys", 2000, 0, NULL);
	hub_new(&a, &o, "KH", "Asia/Phnom_Penh", "{60,1500,2940,4380,5820,7260,8700}", 120, 72, 300, 9);
	jit_order(&o, "JIT-6", ta1, oa1);
	jit_order(&o, "JIT-6", ta2, oa2);
	/* a faster hub in the same cost class: the next order's task goes there */
	hub_new(&b, &o, "KH", "Asia/Phnom_Penh", "{60,1500,2940,4380,5820,7260,8700}", 120, 24, 300, 9);
	jit_order(&o, "JIT-6", tb, ob);
	ck_assert_str_eq(th_sql_valuep("SELECT w.code FROM jit_tasks t JOIN warehouses w ON w.id ="
	                               " t.warehouse_id WHERE t.id = $1", tb, NULL), b.code);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", ta1), 200);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", tb), 200);

	r = want(th_reqf("POST", "/v1/jit-consignments", o.w.seller_key,
	                 "{\"handover\":{\"type\":\"own_courier\",\"carrier\":\"SF Express\","
	                 "\"tracking_number\":\"SF1234567890\"},\"tasks\":[\"%s\",\"%s\",\"%s\","
	                 "\"00000000-0000-4000-8000-000000000000\",\"%s\"]}", ta1, tb, ta2, ta1), 201);
	snprintf(cons, sizeof cons, "%s", th_str(r->json, "id"));
	ck_assert_int_eq((int)th_num(r->json, "bound", -1), 1);
	ck_assert_int_eq((int)th_num(r->json, "refused", -1), 4);
	ck_assert_str_eq(th_str(r->json, "results.0.result"), "bound");
	ck_assert_str_eq(th_str(r->json, "results.1.reason"), "other_hub");
	ck_assert_str_eq(th_str(r->json, "results.2.reason"), "wrong_state");
	ck_assert_str_eq(th_str(r->json, "results.2.state"), "created");
	ck_assert_str_eq(th_str(r->json, "results.3.reason"), "not_found");
	ck_assert_str_eq(th_str(r->json, "results.4.reason"), "duplicate");
	ck_assert_str_eq(th_str(r->json, "consignment.hub"), a.code);
	ck_assert_str_eq(th_str(r->json, "consignment.handover.tracking_number"), "SF1234567890");
	ck_assert_str_eq(th_str(r->json, "consignment.tasks.0.state"), "bound");
	th_resp_free(r);

	/* nothing bindable: 409 with every reason, nothing written */
	r = th_reqf("POST", "/v1/jit-consignments", o.w.seller_key,
	            "{\"handover\":{\"type\":\"drop_off\"},\"tasks\":[\"%s\",\"%s\"]}", ta1, ta2);
	ck_assert_msg(r->status == 409 && cJSON_GetArraySize(th_at(r->json, "results")) == 2, "%s",
	              r->body);
	ck_assert_str_eq(th_str(r->json, "results.0.state"), "bound");
	th_resp_free(r);
	/* bad bodies */
	ck_assert(th_problem(th_reqf("POST", "/v1/jit-consignments", o.w.seller_key,
	                             "{\"handover\":{\"type\":\"own_courier\"},\"tasks\":[\"%s\"]}",
	                             tb), 422, "handover.tracking_number", "required"));
	ck_assert(th_problem(th_reqf("POST", "/v1/jit-consignments", o.w.seller_key,
	                             "{\"handover\":{\"type\":\"drop_off\"},\"tasks\":[]}"),
	                     422, "tasks", NULL));
	th_expect(th_reqf("POST", "/v1/jit-consignments", a.staff,
	                  "{\"handover\":{\"type\":\"drop_off\"},\"tasks\":[\"%s\"]}", tb), 403);

	r = want(th_call("POST", o.w.seller_key, NULL, "/v1/jit-consignments/%s/dispatch", cons), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "dispatched");
	ck_assert_str_eq(th_str(r->json, "tasks.0.state"), "in_transit_to_hub");
	th_resp_free(r);
	r = th_call("POST", o.w.seller_key, NULL, "/v1/jit-consignments/%s/dispatch", cons);
	ck_assert_msg(r->status == 409 && th_str(r->json, "dispatched_at"), "%s", r->body);
	th_resp_free(r);
	struct ob_world other;
	ob_world_new_in(&other, "USD");
	th_expect(th_call("POST", other.w.seller_key, NULL, "/v1/jit-consignments/%s/dispatch", cons),
	          404);
}
END_TEST

/* A pickup request at hub h (its code) for consignment cons, 09:00–13:00 in Phnom Penh on
 * 2030-03-04, two parcels of 1.5 kg in all; extra is put before the closing brace. */
static struct th_resp *pickup_request(const char *key, const char *hub, const char *cons,
                                      const char *extra)
{
	return th_reqf("POST", "/v1/pickup-requests", key,
	               "{\"warehouse\":\"%s\",\"jit_consignment\":\"%s\",\"site\":{\"address\":"
	               "\"Street 271, Phnom Penh\",\"lat\":11.5600,\"lon\":104.9100},\"ready_from\":"
	               "\"2030-03-04T02:00:00Z\",\"ready_until\":\"2030-03-04T06:00:00Z\","
	               "\"parcels\":2,\"weight_g\":1500,\"volume_cm3\":6000%s}", hub, cons, extra);
}

/* Pickup settings for the warehouse code: one van, 08:00–18:00 local, 40 km around Phnom
 * Penh. */
static void pickup_hub_put(const struct ob_world *o, const char *code)
{
	th_resp_free(want(th_call("PUT", o->w.admin, "{\"lat\":11.5564,\"lon\":104.9282,"
	                          "\"service_radius_km\":40,\"road_factor\":1.3,\"speed_kmh\":25,"
	                          "\"stop_s\":300,\"parcel_s\":30,\"vehicles\":[{\"code\":\"VAN-1\","
	                          "\"capacity_g\":500000,\"capacity_cm3\":5000000,\"shift_start\":"
	                          "\"08:00\",\"shift_end\":\"18:00\"}]}",
	                          "/v1/warehouses/%s/pickup-hub", code), 200));
}

/* A labelled task of o bound alone to a new consignment of hand-over type; writes its id. */
static void consignment_of_one(const struct ob_world *o, const char *type, char cons[37])
{
	char task[37], order[37];
	jit_order(o, "JIT-7", task, order);
	th_expect(th_call("POST", o->w.seller_key, NULL, "/v1/jit-tasks/%s/label", task), 200);
	struct th_resp *r = want(th_reqf("POST", "/v1/jit-consignments", o->w.seller_key,
	                                 "{\"handover\":{\"type\":\"%s\"},\"tasks\":[\"%s\"]}", type,
	                                 task), 201);
	snprintf(cons, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

/* A first-mile consignment handed over by pickup is collected by the hub's van: the seller
 * requests its pickup (refused for a drop-off consignment, one the seller dispatched itself,
 * another seller's, one at another hub, a hub without pickup settings, both targets at once,
 * a second open request), the platform plans and publishes the day, and the driver's scan
 * collects it once: the consignment dispatched, its tasks in_transit_to_hub (as the seller's
 * dispatch would make them), the pickup fee on the seller's ledger charged in full (the seeded
 * semi_jit policy waives no pickup fee: 5.00 + 1.20/kg); the seller cannot dispatch it
 * meanwhile; the hub then receives its parcels. */
START_TEST(a_pickup_request_collects_a_jit_consignment)
{
	struct ob_world o, other;
	struct hub a;
	struct th_resp *r;
	char t1[37], o1[37], t2[37], o2[37], cons[37], drop[37], self[37], req[37], plan[37];
	ob_world_new_in(&o, "USD");
	seller_in(&o, "KH");
	ob_sku_priced(&o, "JIT-7", "toys", 2000, 0, NULL);
	hub_new(&a, &o, "KH", "Asia/Phnom_Penh", "{60,1500,2940,4380,5820,7260,8700}", 120, 72, 300, 9);
	/* the seller's one hub (other tests' hubs are in KH too) */
	th_sqlp("INSERT INTO seller_jit_hubs (seller_id, warehouse_id) VALUES ($1, $2)",
	        o.w.seller_id, a.id, NULL);
	jit_order(&o, "JIT-7", t1, o1);
	jit_order(&o, "JIT-7", t2, o2);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", t1), 200);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", t2), 200);
	r = want(th_reqf("POST", "/v1/jit-consignments", o.w.seller_key,
	                 "{\"handover\":{\"type\":\"pickup\"},\"tasks\":[\"%s\",\"%s\"]}", t1, t2), 201);
	snprintf(cons, sizeof cons, "%s", th_str(r->json, "id"));
	ck_assert_str_eq(th_str(r->json, "consignment.hub"), a.code);
	th_resp_free(r);
	consignment_of_one(&o, "drop_off", drop);
	consignment_of_one(&o, "pickup", self);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-consignments/%s/dispatch", self), 200);

	/* the hub does not collect yet; nor does the fulfillment centre */
	ck_assert(th_problem(pickup_request(o.w.seller_key, a.code, cons, ""), 422, "warehouse",
	                     "no_pickups"));
	pickup_hub_put(&o, a.code);
	pickup_hub_put(&o, o.w.wh);
	/* not at that hub; not this seller's; not a pickup; dispatched already; both targets */
	ck_assert(th_problem(pickup_request(o.w.seller_key, o.w.wh, cons, ""), 404, NULL, NULL));
	ob_world_new_in(&other, "USD");
	ck_assert(th_problem(pickup_request(other.w.seller_key, a.code, cons, ""), 404, NULL, NULL));
	r = pickup_request(o.w.seller_key, a.code, drop, "");
	ck_assert_msg(strstr(r->body, "drop_off") != NULL, "%s", r->body);
	ck_assert(th_problem(r, 409, NULL, NULL));
	r = pickup_request(o.w.seller_key, a.code, self, "");
	ck_assert_msg(strstr(r->body, "dispatched") != NULL, "%s", r->body);
	ck_assert(th_problem(r, 409, NULL, NULL));
	ck_assert(th_problem(pickup_request(o.w.seller_key, a.code, cons, ",\"inbound_shipment\":"
	                                    "\"00000000-0000-4000-8000-000000000000\""),
	                     422, "jit_consignment", "unexpected"));
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM pickup_requests WHERE seller_id = $1",
	                               o.w.seller_id, NULL), "0");
	/* the request; one open request per consignment */
	r = want(pickup_request(o.w.seller_key, a.code, cons, ""), 201);
	snprintf(req, sizeof req, "%s", th_str(r->json, "id"));
	ck_assert_str_eq(th_str(r->json, "jit_consignment"), cons);
	ck_assert(cJSON_IsNull(th_at(r->json, "inbound_shipment")));
	ck_assert_str_eq(th_str(r->json, "warehouse"), a.code);
	th_resp_free(r);
	ck_assert(th_problem(pickup_request(o.w.seller_key, a.code, cons, ""), 409,
	                     "jit_consignment", "duplicate"));
	/* the seller's own dispatch is refused while a request collects it */
	r = th_call("POST", o.w.seller_key, NULL, "/v1/jit-consignments/%s/dispatch", cons);
	ck_assert_str_eq(th_str(r->json, "pickup_request"), req);
	ck_assert(th_problem(r, 409, NULL, NULL));

	/* planned and published like any request */
	r = want(th_reqf("POST", "/v1/pickup-plans", o.platform,
	                 "{\"warehouse\":\"%s\",\"date\":\"2030-03-04\",\"seed\":1,"
	                 "\"time_limit_ms\":30000}", a.code), 201);
	ck_assert_str_eq(th_str(r->json, "routes.0.stops.0.request"), req);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "unassigned")), 0);
	snprintf(plan, sizeof plan, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_resp_free(want(th_call("POST", o.platform, NULL, "/v1/pickup-plans/%s/publish", plan),
	                  200));
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/pickup-requests/%s", req), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "published");
	ck_assert_ptr_nonnull(th_str(r->json, "eta.from"));
	th_resp_free(r);

	/* the driver's scan: once, the consignment dispatched, its tasks in transit to the hub */
	char body[160];
	snprintf(body, sizeof body, "{\"scan_id\":\"5c1a0e2e-0000-4000-8000-000000000001\","
	         "\"request\":\"%s\",\"parcels\":2}", req);
	r = want(th_req("POST", "/v1/pickup/scans", a.staff, body, NULL, NULL), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "collected");
	ck_assert_str_eq(th_str(r->json, "jit_consignment.id"), cons);
	ck_assert_str_eq(th_str(r->json, "jit_consignment.state"), "dispatched");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "jit_consignment.tasks")), 2);
	ck_assert_str_eq(th_str(r->json, "jit_consignment.tasks.0.state"), "in_transit_to_hub");
	ck_assert_str_eq(th_str(r->json, "jit_consignment.tasks.1.state"), "in_transit_to_hub");
	th_resp_free(r);
	r = want(th_req("POST", "/v1/pickup/scans", a.staff, body, NULL, NULL), 200);
	ck_assert_ptr_nonnull(strstr(r->headers, "Idempotent-Replayed: true"));
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(state, ',') FROM jit_tasks WHERE"
	                               " consignment_id = $1", cons, NULL),
	                 "in_transit_to_hub,in_transit_to_hub");
	ck_assert_str_eq(th_sql_valuep("SELECT state || ' ' || (dispatched_at IS NOT NULL)"
	                               " FROM jit_consignments WHERE id = $1", cons, NULL),
	                 "dispatched true");
	/* the fee: 5.00 + 1.20/kg × 1.5 kg = 6.80, charged in full (semi_jit waives no pickup) */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) || ' ' || min(gross) || ' ' || min(net) ||"
	                               " ' ' || min(treatment) || ' ' || min(fee_type) || ' ' ||"
	                               " min(mode) FROM seller_ledger WHERE seller_id = $1 AND"
	                               " event_type = 'pickup' AND event_id = $2",
	                               o.w.seller_id, req, NULL),
	                 "1 680 680 charged pickup_fee semi_jit");
	/* dispatched now: the seller's dispatch says so; the hub receives the parcels */
	r = th_call("POST", o.w.seller_key, NULL, "/v1/jit-consignments/%s/dispatch", cons);
	ck_assert_msg(r->status == 409 && th_str(r->json, "dispatched_at"), "%s", r->body);
	th_resp_free(r);
	r = want(receipt(&a, "5c1a0e2e-0000-4000-8000-000000000002", "order", o1, NULL), 200);
	ck_assert_str_eq(th_str(r->json, "task.state"), "received_at_hub");
	th_resp_free(r);
}
END_TEST

/* The whole life of semi_jit orders: created with tasks, labelled, bound to the seller's own
 * courier and dispatched; at the hub one received on time, one late (re-quoted), one an
 * exception; the two good parcels consolidated into a bag (the exception cannot go in),
 * the bag closed and handed to the line-haul, which ships both parcels and their orders; the
 * buyer confirms and the sale settles with the commission halved, the saving shown. */
START_TEST(a_semi_jit_order_from_task_to_settlement_with_halved_commission)
{
	struct ob_world o;
	struct hub h;
	struct th_resp *r;
	char ta[37], oa[37], tb[37], obb[37], tc[37], oc[37], cons[37], bag[37], sscc[20];
	ob_world_new_in(&o, "USD");
	seller_in(&o, "LA");
	ob_sku_priced(&o, "JIT-7", "electronics", 2000, 0, NULL);
	hub_new(&h, &o, "LA", "Asia/Vientiane", "{60,1500,2940,4380,5820,7260,8700}", 120, 24, 300, 9);
	r = want(ob_order(&o, th_code("JIT"), "semi_jit",
	                  "[{\"sku\":\"JIT-7\",\"qty\":2,\"unit_price\":2500}]", 5000), 201);
	snprintf(oa, sizeof oa, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_sql_copyp(ta, sizeof ta, "SELECT id FROM jit_tasks WHERE order_id = $1", oa, NULL);
	jit_order(&o, "JIT-7", tb, obb);
	jit_order(&o, "JIT-7", tc, oc);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", ta), 200);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", tb), 200);
	r = want(th_reqf("POST", "/v1/jit-consignments", o.w.seller_key,
	                 "{\"handover\":{\"type\":\"drop_off\"},\"tasks\":[\"%s\",\"%s\"]}",
	                 ta, tb), 201);
	snprintf(cons, sizeof cons, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-consignments/%s/dispatch", cons), 200);

	/* the hub: A on time, B late, C the wrong item */
	r = want(receipt(&h, "8b000000-0000-4000-8000-000000000001", "barcode", ta, NULL), 200);
	ck_assert(cJSON_IsFalse(th_at(r->json, "task.late")));
	th_resp_free(r);
	th_sqlp("UPDATE jit_tasks SET handover_deadline = now() - interval '2 hours' WHERE id = $1",
	        tb, NULL);
	r = want(receipt(&h, "8b000000-0000-4000-8000-000000000002", "barcode", tb, NULL), 200);
	ck_assert(cJSON_IsTrue(th_at(r->json, "task.late")));
	ck_assert_str_eq(th_str(r->json, "task.requote.status"), "ok");
	th_resp_free(r);
	r = want(receipt(&h, "8b000000-0000-4000-8000-000000000003", "order", oc,
	                 "{\"reason\":\"wrong_item\",\"found\":\"a phone case\"}"), 200);
	ck_assert_str_eq(th_str(r->json, "task.state"), "exception");
	ck_assert_str_eq(th_str(r->json, "task.exception.expected.0.sku"), "JIT-7");
	th_resp_free(r);

	/* consolidation */
	r = want(th_call("POST", h.staff, NULL, "/v1/hub/bags"), 201);
	snprintf(bag, sizeof bag, "%s", th_str(r->json, "id"));
	snprintf(sscc, sizeof sscc, "%s", th_str(r->json, "sscc"));
	ck_assert_int_eq((int)strlen(sscc), 18);
	ck_assert_str_eq(th_str(r->json, "state"), "open");
	th_resp_free(r);
	ck_assert(th_problem(th_call("POST", h.staff, NULL, "/v1/hub/bags/%s/close", bag), 409, NULL,
	                     NULL)); /* empty */
	r = want(th_reqf("POST", "/v1/hub/bag-scans", h.staff,
	                 "{\"scan_id\":\"8b000000-0000-4000-8000-000000000004\",\"bag\":\"]C100%s\","
	                 "\"barcode\":\"%s\"}", sscc,
	                 th_sql_valuep("SELECT tracking_number FROM jit_tasks WHERE id = $1", ta, NULL)), 200);
	ck_assert_str_eq(th_str(r->json, "task.state"), "consolidated");
	ck_assert_int_eq((int)th_num(r->json, "bag.parcels", 0), 1);
	th_resp_free(r);
	th_expect(th_reqf("POST", "/v1/hub/bag-scans", h.staff,
	                  "{\"scan_id\":\"8b000000-0000-4000-8000-000000000005\",\"bag\":\"%s\","
	                  "\"barcode\":\"%s\"}", bag, tb), 200);
	r = th_reqf("POST", "/v1/hub/bag-scans", h.staff,
	            "{\"scan_id\":\"8b000000-0000-4000-8000-000000000006\",\"bag\":\"%s\","
	            "\"order\":\"%s\"}", bag, oc);
	ck_assert_msg(r->status == 409 && strcmp(th_str(r->json, "state"), "exception") == 0, "%s",
	              r->body);
	th_resp_free(r);
	/* not closed yet: the line-haul refuses it */
	ck_assert(th_problem(th_reqf("POST", "/v1/hub/linehaul-scans", h.staff,
	                             "{\"scan_id\":\"8b000000-0000-4000-8000-000000000007\","
	                             "\"bag\":\"%s\"}", sscc), 409, NULL, NULL));
	r = want(th_call("POST", h.staff, NULL, "/v1/hub/bags/%s/close", sscc), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	th_resp_free(r);
	r = want(th_reqf("POST", "/v1/hub/linehaul-scans", h.staff,
	                 "{\"scan_id\":\"8b000000-0000-4000-8000-000000000008\",\"bag\":\"%s\"}",
	                 sscc), 200);
	ck_assert_str_eq(th_str(r->json, "bag.state"), "shipped");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "bag.tasks")), 2);
	ck_assert_str_eq(th_str(r->json, "bag.tasks.0.state"), "shipped");
	ck_assert_ptr_nonnull(th_str(r->json, "bag.tasks.0.departure.on"));
	th_resp_free(r);
	r = th_reqf("POST", "/v1/hub/linehaul-scans", h.staff,
	            "{\"scan_id\":\"8b000000-0000-4000-8000-000000000009\",\"bag\":\"%s\"}", sscc);
	ck_assert_msg(r->status == 409 && th_str(r->json, "shipped_at"), "%s", r->body);
	th_resp_free(r);

	/* the orders shipped with the platform's tracking number; C was not */
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/orders/%s", oa), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "shipped");
	ck_assert_str_eq(th_str(r->json, "tracking_number"),
	                 th_sql_valuep("SELECT tracking_number FROM jit_tasks WHERE id = $1", ta, NULL));
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM orders WHERE id = $1", oc, NULL), "created");

	/* settlement: 2 × 25.00 electronics, commission 5% = 2.50 halved to 1.25 (1.25 saved) */
	r = want(th_call("POST", o.platform, NULL, "/v1/orders/%s/confirm-receipt", oa), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "delivered");
	const cJSON *line, *commission = NULL;
	cJSON_ArrayForEach(line, th_at(r->json, "settlement.lines"))
		if (strcmp(th_str(line, "fee_type"), "commission") == 0)
			commission = line;
	ck_assert_ptr_nonnull(commission);
	ck_assert_int_eq((int)th_num(commission, "gross", -1), 250);
	ck_assert_int_eq((int)th_num(commission, "net", -1), 125);
	ck_assert_int_eq((int)th_num(commission, "waived", -1), 125);
	ck_assert_int_eq((int)th_num(r->json, "settlement.saved", -1), 125);
	ck_assert_int_eq((int)th_num(r->json, "settlement.net_payable", -1),
	                 5000 - (int)th_num(r->json, "settlement.fees", 0));
	th_resp_free(r);
	r = want(th_call("GET", o.w.seller_key, NULL,
	                 "/v1/sellers/me/statement?from=2020-01-01&to=2199-01-01"), 200);
	ck_assert_msg(strstr(r->body, "\"saved\"") != NULL, "%s", r->body);
	th_resp_free(r);
}
END_TEST

/* Overdue: a task past its deadline is marked overdue by the sweep and listed; past the 24 h
 * grace its order is cancelled and the escrow refunded, the reason on both; a repeat sweep
 * changes nothing more. The platform's cancel of a semi_jit order cancels its task, and is
 * refused once the hub has the parcel. */
START_TEST(overdue_tasks_are_listed_then_cancelled_and_refunded_after_the_grace)
{
	struct ob_world o;
	struct hub h;
	struct th_resp *r;
	char t1[37], o1[37], t2[37], o2[37], t3[37], o3[37];
	ob_world_new_in(&o, "USD");
	seller_in(&o, "MN");
	ob_sku_priced(&o, "JIT-8", "toys", 2000, 0, NULL);
	hub_new(&h, &o, "MN", "Asia/Ulaanbaatar", "{60,1500,2940,4380,5820,7260,8700}", 120, 24, 300, 9);
	jit_order(&o, "JIT-8", t1, o1);
	jit_order(&o, "JIT-8", t2, o2);
	jit_order(&o, "JIT-8", t3, o3);
	th_sqlp("UPDATE jit_tasks SET handover_deadline = now() - interval '1 hour' WHERE id = $1",
	        t1, NULL);
	th_expect(th_call("POST", o.w.seller_key, NULL, "/v1/jit-tasks/overdue-sweep"), 403);
	r = want(th_call("POST", o.platform, NULL, "/v1/jit-tasks/overdue-sweep"), 200);
	ck_assert_int_eq((int)th_num(r->json, "grace_hours", 0), 24);
	int found = 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, th_at(r->json, "overdue"))
		found += strcmp(th_str(x, "task"), t1) == 0;
	ck_assert_int_eq(found, 1);
	th_resp_free(r);
	r = want(th_call("GET", h.staff, NULL, "/v1/jit-tasks?state=overdue"), 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.id"), t1);
	ck_assert(cJSON_IsTrue(th_at(r->json, "items.0.overdue")));
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM orders WHERE id = $1", o1, NULL), "created");

	/* past the grace: cancelled and refunded */
	th_sqlp("UPDATE jit_tasks SET handover_deadline = now() - interval '25 hours' WHERE id = $1",
	        t1, NULL);
	r = want(th_call("POST", o.platform, NULL, "/v1/jit-tasks/overdue-sweep"), 200);
	found = 0;
	cJSON_ArrayForEach(x, th_at(r->json, "cancelled"))
		if (strcmp(th_str(x, "task"), t1) == 0) {
			found++;
			ck_assert_int_eq((int)th_num(x, "refunded", 0), 1000);
		}
	ck_assert_int_eq(found, 1);
	th_resp_free(r);
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/orders/%s", o1), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "refunded");
	ck_assert_int_eq((int)th_num(r->json, "escrow.refunded", 0), 1000);
	ck_assert(strstr(th_str(r->json, "cancel_reason"), "not received at hub") != NULL);
	th_resp_free(r);
	r = want(th_call("GET", o.w.seller_key, NULL, "/v1/jit-tasks/%s", t1), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	ck_assert(strstr(th_str(r->json, "cancel_reason"), h.code) != NULL);
	th_resp_free(r);
	r = want(th_call("POST", o.platform, NULL, "/v1/jit-tasks/overdue-sweep"), 200);
	cJSON_ArrayForEach(x, th_at(r->json, "cancelled"))
		ck_assert_str_ne(th_str(x, "task"), t1);
	th_resp_free(r);

	/* the platform cancels an order: its task ends too; once the hub has the parcel, no */
	char path[96];
	snprintf(path, sizeof path, "/v1/orders/%s/cancel", o2);
	r = want(th_req("POST", path, o.platform, "{\"reason\":\"buyer cancelled\"}", NULL, NULL), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM jit_tasks WHERE id = $1", t2, NULL),
	                 "cancelled");
	th_expect(receipt(&h, "9c000000-0000-4000-8000-000000000001", "barcode", t3, NULL), 200);
	snprintf(path, sizeof path, "/v1/orders/%s/cancel", o3);
	r = th_req("POST", path, o.platform, "{\"reason\":\"buyer cancelled\"}", NULL, NULL);
	ck_assert_msg(r->status == 409 && strcmp(th_str(r->json, "jit_task.state"),
	                                         "received_at_hub") == 0, "%s", r->body);
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM orders WHERE id = $1", o3, NULL), "created");
}
END_TEST

/* ==== carrier tracking of JIT parcels ====
 * The server of this test case releases escrow every second and protects the buyer for an
 * hour (as the carrier_tracking suite's), so a test can end a window and watch the release. */

static void tracking_setup(void)
{
	static const char *const env[] = {"WMS_ESCROW_RELEASE_EVERY=1", "WMS_BUYER_PROTECTION=3600",
	                                  NULL};
	th_server_start(&th_srv, env);
}

/* A JIT parcel handed to the line-haul: a semi_jit order of o (2 × sku at 25.00), its task
 * labelled, received at hub h, bagged, the bag closed and scanned onto the line-haul; writes
 * the order's id, the platform tracking number and the carrier of the route's first leg,
 * whose raw codes are then mapped (PUT /v1/carriers/{code}). */
static void jit_shipped(const struct ob_world *o, const struct hub *h, const char *sku,
                        char order[37], char tracking[40], char carrier[40])
{
	char task[37], bag[37], lines[128], scan[37];
	struct th_resp *r;
	snprintf(lines, sizeof lines, "[{\"sku\":\"%s\",\"qty\":2,\"unit_price\":2500}]", sku);
	r = want(ob_order(o, th_code("JIT"), "semi_jit", lines, 5000), 201);
	snprintf(order, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_sql_copyp(task, sizeof task, "SELECT id FROM jit_tasks WHERE order_id = $1", order,
	             NULL);
	th_expect(th_call("POST", o->w.seller_key, NULL, "/v1/jit-tasks/%s/label", task), 200);
	th_sql_copyp(tracking, 40, "SELECT tracking_number FROM jit_tasks WHERE id = $1", task,
	             NULL);
	th_sql_copyp(scan, sizeof scan, "SELECT gen_random_uuid()::text", NULL);
	th_expect(receipt(h, scan, "barcode", tracking, NULL), 200);
	r = want(th_call("POST", h->staff, NULL, "/v1/hub/bags"), 201);
	snprintf(bag, sizeof bag, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_sql_copyp(scan, sizeof scan, "SELECT gen_random_uuid()::text", NULL);
	th_expect(th_reqf("POST", "/v1/hub/bag-scans", h->staff,
	                  "{\"scan_id\":\"%s\",\"bag\":\"%s\",\"barcode\":\"%s\"}", scan, bag,
	                  tracking), 200);
	th_expect(th_call("POST", h->staff, NULL, "/v1/hub/bags/%s/close", bag), 200);
	th_sql_copyp(scan, sizeof scan, "SELECT gen_random_uuid()::text", NULL);
	th_expect(th_reqf("POST", "/v1/hub/linehaul-scans", h->staff,
	                  "{\"scan_id\":\"%s\",\"bag\":\"%s\"}", scan, bag), 200);
	th_sql_copyp(carrier, 40, "SELECT carrier FROM orders WHERE id = $1", order, NULL);
	th_expect(th_call("PUT", o->w.admin,
	                  "{\"name\":\"Line-haul test\",\"status_codes\":{\"PU\":\"picked_up\","
	                  "\"IT\":\"in_transit\",\"OD\":\"out_for_delivery\",\"DL\":\"delivered\"}}",
	                  "/v1/carriers/%s", carrier), 200);
}

/* A JIT parcel on the line-haul with what its tests use: a fresh world whose seller is in
 * country, a hub there (zone; a daily line-haul at 01:00 local, 24 h to ES, a 9-day
 * promise), SKU JIT-T of category at 25.00, and jit_shipped's order of 2 × JIT-T, the
 * tracking number, its carrier and a key of that carrier. */
struct jit_tracked {
	struct ob_world o;
	struct hub h;
	char order[37], tracking[40], carrier[40], ckey[AUTH_KEY_LEN + 1];
};

static void jit_tracked_new(struct jit_tracked *t, const char *country, const char *zone,
                            const char *category)
{
	ob_world_new_in(&t->o, "USD");
	seller_in(&t->o, country);
	ob_sku_priced(&t->o, "JIT-T", category, 2000, 0, NULL);
	hub_new(&t->h, &t->o, country, zone, "{60,1500,2940,4380,5820,7260,8700}", 120, 24, 300, 9);
	jit_shipped(&t->o, &t->h, "JIT-T", t->order, t->tracking, t->carrier);
	snprintf(t->ckey, sizeof t->ckey, "%s", th_key(AUTH_CARRIER, t->carrier));
}

/* POST /v1/tracking/events as key: one event of tracking with code, `ago` seconds before now;
 * the answer must be 200 with the event's result `result`. */
static void jit_event(const char *key, const char *tracking, const char *code, long ago,
                      const char *result)
{
	char at[40], n[24];
	th_sql_copyp(at, sizeof at, "SELECT api_ts(date_trunc('second', now())"
	             " - make_interval(secs => $1::int))", th_int(n, ago), NULL);
	struct th_resp *r = want(th_reqf("POST", "/v1/tracking/events", key,
	                                 "{\"events\":[{\"event_id\":\"%s\",\"tracking_number\":\"%s\","
	                                 "\"code\":\"%s\",\"occurred_at\":\"%s\"}]}",
	                                 th_code("E"), tracking, code, at), 200);
	ck_assert_msg(strcmp(th_str(r->json, "results.0.result"), result) == 0, "wanted %s: %s",
	              result, r->body);
	th_resp_free(r);
}

/* A JIT parcel is found by its carrier and the platform tracking number once the line-haul
 * has it (before, the number is unknown to tracking); its events apply in event-time order
 * — a late earlier event does not step it back, a late event after the delivery does not
 * undo it —; its delivery moves the semi_jit order to delivered with the promise record and
 * the buyer-protection window; its history reads for the seller, the hub, the carrier and
 * the platform, and is 404 to another seller and another carrier. */
START_TEST(a_jit_parcel_is_tracked_by_its_carrier_in_event_time_order_to_delivery)
{
	struct jit_tracked t;
	struct ob_world other;
	struct th_resp *r;
	jit_tracked_new(&t, "BD", "Asia/Dhaka", "toys");
	ob_world_new_in(&other, "USD");

	jit_event(t.ckey, t.tracking, "IT", 7200, "applied");
	jit_event(t.ckey, t.tracking, "PU", 10800, "applied"); /* earlier, arrived later */
	r = want(th_call("GET", t.o.w.seller_key, NULL, "/v1/packages/%s/tracking", t.tracking),
	         200);
	ck_assert_str_eq(th_str(r->json, "status"), "in_transit");
	ck_assert_str_eq(th_str(r->json, "warehouse"), t.h.code);
	ck_assert_str_eq(th_str(r->json, "order_id"), t.order);
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM orders WHERE id = $1", t.order, NULL),
	                 "shipped");

	jit_event(t.ckey, t.tracking, "DL", 1800, "applied");
	jit_event(t.ckey, t.tracking, "OD", 3600, "applied"); /* before the delivery, arrived after */
	r = want(th_call("GET", t.o.w.seller_key, NULL, "/v1/orders/%s", t.order), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "delivered");
	ck_assert_str_eq(th_str(r->json, "mode"), "semi_jit");
	ck_assert(cJSON_IsTrue(th_at(r->json, "promise.kept")));
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "held");
	ck_assert_ptr_nonnull(th_str(r->json, "protection_until"));
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT abs(extract(epoch FROM delivered_at - now()) + 1800)"
	                               " < 60 FROM orders WHERE id = $1", t.order, NULL), "t");
	ck_assert_str_eq(th_sql_valuep("SELECT protection_until - delivered_at = interval '1 hour'"
	                               " FROM orders WHERE id = $1", t.order, NULL), "t");

	/* the history: by event time, the delivery current; scoped */
	r = want(th_call("GET", t.ckey, NULL, "/v1/packages/%s/tracking", t.tracking), 200);
	ck_assert_str_eq(th_str(r->json, "status"), "delivered");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "events")), 4);
	ck_assert_str_eq(th_str(r->json, "events.0.code"), "PU");
	ck_assert_str_eq(th_str(r->json, "events.1.code"), "IT");
	ck_assert_str_eq(th_str(r->json, "events.2.code"), "OD");
	ck_assert_str_eq(th_str(r->json, "events.3.code"), "DL");
	ck_assert(cJSON_IsTrue(th_at(r->json, "events.3.current")));
	th_resp_free(r);
	th_expect(th_call("GET", t.o.platform, NULL, "/v1/packages/%s/tracking", t.tracking), 200);
	th_expect(th_call("GET", t.h.staff, NULL, "/v1/packages/%s/tracking", t.tracking), 200);
	th_expect(th_call("GET", other.w.seller_key, NULL, "/v1/packages/%s/tracking", t.tracking),
	          404);
	th_expect(th_call("GET", th_key(AUTH_CARRIER, other.carrier), NULL,
	                  "/v1/packages/%s/tracking", t.tracking), 404);
	/* the parcel is a shipped package of the hub, of its task, with the label's number */
	r = want(th_call("GET", t.h.staff, NULL, "/v1/packages/%s", t.tracking), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "shipped");
	ck_assert_str_eq(th_str(r->json, "carrier"), t.carrier);
	ck_assert(cJSON_IsNull(th_at(r->json, "package_type")));
	ck_assert_str_eq(th_str(r->json, "jit_task_id"),
	                 th_sql_valuep("SELECT id FROM jit_tasks WHERE order_id = $1", t.order, NULL));
	th_resp_free(r);
	/* the task shows its parcel's tracking status */
	r = want(th_call("GET", t.o.w.seller_key, NULL, "/v1/jit-tasks/%s", t.tracking), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "shipped");
	ck_assert_str_eq(th_str(r->json, "tracking.status"), "delivered");
	th_resp_free(r);
}
END_TEST

/* Polls up to 10 s for the order's escrow to be `want`. */
static int jit_escrow_becomes(const char *order, const char *want_state)
{
	for (int i = 0; i < 100; i++) {
		if (strcmp(th_sql_valuep("SELECT escrow FROM orders WHERE id = $1", order, NULL),
		           want_state) == 0)
			return 1;
		usleep(100 * 1000);
	}
	return 0;
}

/* The commission line of a settlement document (NULL when there is none). */
static const cJSON *commission_line(const cJSON *doc)
{
	const cJSON *line;
	cJSON_ArrayForEach(line, th_at(doc, "settlement.lines"))
		if (strcmp(th_str(line, "fee_type"), "commission") == 0)
			return line;
	return NULL;
}

/* A JIT parcel delivered by its carrier: when the buyer-protection window ends the server's
 * own release settles the semi_jit order as the buyer's confirmation would — the commission
 * halved (2 × 25.00 electronics: 5% = 2.50, 1.25 waived), the saving shown —, once: a later
 * confirmation is 409 and nothing is posted twice. */
START_TEST(a_delivered_jit_parcel_is_released_at_the_window_end_with_the_commission_halved)
{
	struct jit_tracked t;
	struct th_resp *r;
	char n[16];
	jit_tracked_new(&t, "NP", "Asia/Kathmandu", "electronics");
	jit_event(t.ckey, t.tracking, "DL", 600, "applied");
	ck_assert_str_eq(th_sql_valuep("SELECT state || ' ' || escrow FROM orders WHERE id = $1",
	                               t.order, NULL), "delivered held");
	sleep(2); /* in the window: the release leaves it */
	ck_assert_str_eq(th_sql_valuep("SELECT escrow FROM orders WHERE id = $1", t.order, NULL), "held");

	th_sqlp("UPDATE orders SET protection_until = now() - interval '1 second' WHERE id = $1",
	        t.order, NULL);
	ck_assert(jit_escrow_becomes(t.order, "released"));
	r = want(th_call("GET", t.o.w.seller_key, NULL, "/v1/orders/%s", t.order), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "delivered");
	ck_assert_int_eq((int)th_num(r->json, "escrow.released", -1), 5000);
	ck_assert_int_eq((int)th_num(r->json, "settlement.sale_amount", -1), 5000);
	const cJSON *c = commission_line(r->json);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq((int)th_num(c, "gross", -1), 250);
	ck_assert_int_eq((int)th_num(c, "net", -1), 125);
	ck_assert_int_eq((int)th_num(c, "waived", -1), 125);
	ck_assert_int_eq((int)th_num(r->json, "settlement.saved", -1), 125);
	th_resp_free(r);
	/* the carrier's delivery time stays the order's */
	ck_assert_str_eq(th_sql_valuep("SELECT delivered_at = (SELECT delivered_at FROM packages"
	                               " WHERE carrier = $3 AND tracking_number = $2) FROM orders"
	                               " WHERE id = $1", t.order, t.tracking, t.carrier, NULL), "t");
	th_sql_copyp(n, sizeof n, "SELECT count(*) FROM seller_ledger WHERE event_id = $1",
	             t.order, NULL);
	ck_assert_str_ne(n, "0");
	r = th_call("POST", t.o.platform, NULL, "/v1/orders/%s/confirm-receipt", t.order);
	ck_assert_msg(r->status == 409, "%s", r->body);
	th_resp_free(r);
	sleep(2);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM seller_ledger WHERE event_id = $1",
	                               t.order, NULL), n);
}
END_TEST

/* One event of a batch: its id, tracking number and occurred_at are arguments. */
#define JIT_EV(code)                                                                        \
	"{\"event_id\":\"%s\",\"tracking_number\":\"%s\",\"code\":\"" code "\","                 \
	"\"occurred_at\":\"%s\"}"

/* Before the line-haul the label's number is not a parcel of tracking yet (unknown, stored
 * nowhere, so the carrier's later resend applies); after it, one batch in any arrival order
 * gives the status of the latest event by event time, the earliest delivery final, a repeat
 * a duplicate — the same rule as a warehouse's parcels, from the same code. */
START_TEST(a_jit_parcel_batch_out_of_order_ends_delivered_at_its_delivery_time)
{
	struct jit_tracked t;
	struct th_resp *r;
	char t2[37], o2[37], early[40], at[4][40], dl[40], n[24];
	jit_tracked_new(&t, "LK", "Asia/Colombo", "toys");

	/* labelled, not yet on the line-haul */
	jit_order(&t.o, "JIT-T", t2, o2);
	th_expect(th_call("POST", t.o.w.seller_key, NULL, "/v1/jit-tasks/%s/label", t2), 200);
	th_sql_copyp(early, sizeof early, "SELECT tracking_number FROM jit_tasks WHERE id = $1",
	             t2, NULL);
	jit_event(t.ckey, early, "PU", 60, "unknown_tracking_number");

	for (int i = 0; i < 4; i++) /* 4, 3, 2 and 1 hours ago */
		th_sql_copyp(at[i], sizeof at[i], "SELECT api_ts(date_trunc('second', now())"
		             " - make_interval(hours => $1::int))", th_int(n, 4 - i), NULL);
	char e[4][40];
	for (int i = 0; i < 4; i++)
		snprintf(e[i], sizeof e[i], "%s", th_code("E"));
	snprintf(dl, sizeof dl, "%s", th_code("E"));
	r = want(th_reqf("POST", "/v1/tracking/events", t.ckey,
	                 "{\"events\":[" JIT_EV("OD") "," JIT_EV("DL") "," JIT_EV("PU") ","
	                 JIT_EV("IT") "," JIT_EV("DL") "," JIT_EV("IT") "]}",
	                 e[0], t.tracking, at[2], dl, t.tracking, at[3], e[1], t.tracking, at[0],
	                 e[2], t.tracking, at[1], dl, t.tracking, at[3], e[3], t.tracking, at[3]),
	         200);
	ck_assert_msg((int)th_num(r->json, "counts.applied", -1) == 5, "%s", r->body);
	ck_assert_int_eq((int)th_num(r->json, "counts.duplicate", -1), 1);
	ck_assert_str_eq(th_str(r->json, "results.4.result"), "duplicate");
	th_resp_free(r);
	r = want(th_call("GET", t.o.w.seller_key, NULL, "/v1/orders/%s", t.order), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "delivered");
	ck_assert_str_eq(th_str(r->json, "delivered_at"), at[3]);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "packages")), 1);
	ck_assert_str_eq(th_str(r->json, "packages.0.tracking_number"), t.tracking);
	ck_assert_str_eq(th_str(r->json, "packages.0.tracking_status"), "delivered");
	th_resp_free(r);
	r = want(th_call("GET", t.o.platform, NULL, "/v1/packages/%s/tracking", t.tracking), 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "events")), 5);
	ck_assert_str_eq(th_str(r->json, "status_at"), at[3]);
	ck_assert_str_eq(th_str(r->json, "events.0.code"), "PU");
	th_resp_free(r);
	/* the labelled parcel still not on a line-haul: unknown again, no event kept */
	jit_event(t.ckey, early, "PU", 60, "unknown_tracking_number");
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM tracking_events WHERE tracking_number"
	                               " = $1 AND carrier_code = $2", early, t.carrier, NULL), "0");
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM orders WHERE id = $1", o2, NULL), "created");
}
END_TEST

Suite *jit_suite(void);

Suite *jit_suite(void)
{
	Suite *s = suite_create("jit");
	TCase *tc = tcase_create("tasks");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, deadline_is_the_latest_cutoff_that_keeps_the_promise_in_both_zones);
	tcase_add_test(tc, hub_with_most_time_in_the_cheapest_cost_class_is_chosen);
	tcase_add_test(tc, seller_lists_and_prints_the_label_once);
	tcase_add_test(tc, no_hub_makes_the_order_unfulfillable_with_a_reason);
	tcase_add_test(tc, hub_receipt_scans_count_once_mark_late_and_record_exceptions);
	tcase_add_test(tc, binding_answers_per_task_and_dispatch_moves_them_in_transit);
	tcase_add_test(tc, a_semi_jit_order_from_task_to_settlement_with_halved_commission);
	tcase_add_test(tc, overdue_tasks_are_listed_then_cancelled_and_refunded_after_the_grace);
	tcase_add_test(tc, a_pickup_request_collects_a_jit_consignment);
	suite_add_tcase(s, tc);
	tc = tcase_create("tracking");
	tcase_add_unchecked_fixture(tc, tracking_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_jit_parcel_is_tracked_by_its_carrier_in_event_time_order_to_delivery);
	tcase_add_test(tc, a_delivered_jit_parcel_is_released_at_the_window_end_with_the_commission_halved);
	tcase_add_test(tc, a_jit_parcel_batch_out_of_order_ends_delivered_at_its_delivery_time);
	suite_add_tcase(s, tc);
	return s;
}
