/* check_network.c — the lane network and route quotes over HTTP against real PostgreSQL:
 * PUT /v1/network then quote on a small hand-designed network whose answer is known; a bad
 * document lists every problem and changes nothing; a change through the admin CRUD is
 * picked up by the running server within a second (LISTEN/NOTIFY), without a restart;
 * roles; 422 for unknown destinations, origins and parcels no leg accepts; local schedules,
 * promise deadlines and delivery days across the daylight-saving changes, as PostgreSQL
 * expands them when the server loads the network. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/cli/demo_network.h"
#include "api/routes.h"
#include "tests/harness/th.h"

typedef char key_buf[AUTH_KEY_LEN + 1];

/* The test network: warehouse W → gateway GW by air (FAST, 24 h, 4% 200 h, 10.00) or rail (SLOW,
 * 400 h, 1.00: can never keep a 5-day promise), GW → zone GB last mile (24 h, 2.00 + the
 * fixed cost given), and a direct courier W → GB (48 h, 50.00). Every leg leaves every hour
 * and takes parcels up to 30 kg. Promise: 5 days at 95%. The answer: FAST + last mile
 * (p 0.96); the courier is likelier and dearer, the rail route cheaper and late. */
static const char net_fmt[] =
	"{\"currency\":\"USD\","
	" \"carriers\":[{\"code\":\"NT-AIR\",\"name\":\"Test air\"},{\"code\":\"NT-RAIL\",\"name\":\"Test rail\"},"
	"              {\"code\":\"NT-POST\",\"name\":\"Test post\"}],"
	" \"nodes\":[{\"code\":\"%s\",\"kind\":\"warehouse\",\"min_connection_min\":30},"
	"           {\"code\":\"NT-GW\",\"kind\":\"gateway\",\"country\":\"GB\",\"time_zone\":\"Europe/London\","
	"            \"min_connection_min\":60},"
	"           {\"code\":\"NT-GB\",\"kind\":\"zone\",\"country\":\"GB\",\"time_zone\":\"Europe/London\"}],"
	" \"services\":[{\"carrier\":\"NT-AIR\",\"service\":\"FAST\",\"mode\":\"air\"},"
	"              {\"carrier\":\"NT-AIR\",\"service\":\"COURIER\",\"mode\":\"air\"},"
	"              {\"carrier\":\"NT-RAIL\",\"service\":\"SLOW\",\"mode\":\"rail\"},"
	"              {\"carrier\":\"NT-POST\",\"service\":\"PARCEL\",\"mode\":\"last_mile\"}],"
	" \"legs\":[%s,%s,%s,%s],"
	" \"promises\":[{\"origin\":\"%s\",\"country\":\"GB\",\"days\":5,\"target_bp\":9500}]}";

static const char leg_fmt[] =
	"{\"id\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"carrier\":\"%s\",\"service\":\"%s\","
	" \"departures\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
	"   \"time\":\"00:00\"}%s],"
	" \"cutoff_min\":10, \"transit\":{\"histogram_h\":[%s]},"
	" \"cost\":{\"fixed\":%d,\"per_kg\":0,\"currency\":\"USD\"},"
	" \"max_weight_g\":30000, \"max_dims_mm\":[800,600,600]}";

/* Hourly departures after the first: ",{days…, time 01:00}, …". */
static void hourly(char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (int h = 1; h < 24 && n < cap; h++)
		n += (size_t)snprintf(out + n, cap - n,
		                      ",{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
		                      "\"time\":\"%02d:00\"}", h);
}

/* A histogram with all its weight at `hours`. */
static void at_hours(char *out, size_t cap, int hours)
{
	size_t n = 0;
	for (int i = 0; i <= hours && n < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%d", i ? "," : "", i == hours);
}

/* 96% of the weight at h1 hours, 4% at h2 (> h1). */
static void mostly_at(char *out, size_t cap, int h1, int h2)
{
	size_t n = 0;
	for (int i = 0; i <= h2 && n < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%d", i ? "," : "",
		                      i == h1 ? 96 : i == h2 ? 4 : 0);
}

/* The test network's document for warehouse wh (last-mile fixed cost lm_fixed). Static. */
static const char *network_doc(const char *wh, int lm_fixed)
{
	static char doc[65536];
	static char legs[4][6000];
	char more[2048], h24[128], h48[256], h400[2048], fast[1024];
	hourly(more, sizeof more);
	at_hours(h24, sizeof h24, 24);
	mostly_at(fast, sizeof fast, 24, 200);
	at_hours(h48, sizeof h48, 48);
	at_hours(h400, sizeof h400, 400);
	snprintf(legs[0], sizeof legs[0], leg_fmt, "NT-FAST", wh, "NT-GW", "NT-AIR", "FAST", more, fast,
	         1000);
	snprintf(legs[1], sizeof legs[1], leg_fmt, "NT-SLOW", wh, "NT-GW", "NT-RAIL", "SLOW", more,
	         h400, 100);
	snprintf(legs[2], sizeof legs[2], leg_fmt, "NT-LM", "NT-GW", "NT-GB", "NT-POST", "PARCEL", more,
	         h24, lm_fixed);
	snprintf(legs[3], sizeof legs[3], leg_fmt, "NT-DIRECT", wh, "NT-GB", "NT-AIR", "COURIER", more,
	         h48, 5000);
	snprintf(doc, sizeof doc, net_fmt, wh, legs[0], legs[1], legs[2], legs[3], wh);
	return doc;
}

static void expect(struct th_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
	ck_assert_int_eq(r->status, status);
	th_resp_free(r);
}

/* A fresh warehouse (its code in wh) and the test network on it. */
static void setup_network(const char *admin, char wh[64])
{
	snprintf(wh, 64, "%s", th_code("NW"));
	expect(th_reqf("POST", "/v1/warehouses", admin,
	               "{\"code\":\"%s\",\"name\":\"Network test hub\",\"country\":\"CN\","
	               "\"time_zone\":\"Asia/Shanghai\",\"kind\":\"consolidation_hub\"}", wh), 201);
	expect(th_req("PUT", "/v1/network", admin, network_doc(wh, 200), NULL, NULL), 200);
}

static struct th_resp *quote(const char *key, const char *origin, const char *country,
                             int weight_g)
{
	return th_reqf("POST", "/v1/routes/quote", key,
	               "{\"origin\":\"%s\",\"destination\":{\"country\":\"%s\",\"postal_code\":\"SW1A 1AA\"},"
	               "\"parcel\":{\"weight_g\":%d,\"length_mm\":300,\"width_mm\":200,\"height_mm\":100,"
	               "\"declared_value\":{\"amount\":2500,\"currency\":\"USD\"}}}",
	               origin, country, weight_g);
}

/* The selected option's cost from a quote, or -1 (prints the body). Frees r. */
static long selected_cost(struct th_resp *r)
{
	long cost = r->status == 200 ? (long)th_num(r->json, "selected.cost.amount", -1) : -1;
	if (cost < 0)
		fprintf(stderr, "quote: %ld %s\n", r->status, r->body);
	th_resp_free(r);
	return cost;
}

/* The option of the answer whose first leg is leg, or NULL. */
static const cJSON *option_via(const cJSON *quote_json, const char *leg)
{
	const cJSON *o;
	cJSON_ArrayForEach(o, th_at(quote_json, "options"))
		if (strcmp(th_str(o, "legs.0.leg"), leg) == 0)
			return o;
	return NULL;
}

START_TEST(put_then_quote)
{
	key_buf admin;
	char wh[64];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	setup_network(admin, wh);

	struct th_resp *r = quote(th_key(AUTH_PLATFORM, NULL), wh, "GB", 1200);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "status"), "ok");
	ck_assert_str_eq(th_str(r->json, "zone"), "NT-GB");
	ck_assert_int_eq(th_num(r->json, "promise.days", -1), 5);
	ck_assert_int_eq(th_num(r->json, "promise.target_bp", -1), 9500);
	/* the deadline is the last second of a London day */
	const char *deadline = th_str(r->json, "promise.deadline");
	ck_assert(strstr(deadline, "T23:59:59Z") || strstr(deadline, "T22:59:59Z"));
	ck_assert_str_eq(th_str(r->json, "selected.reason"), "selected");
	ck_assert_str_eq(th_str(r->json, "selected.legs.0.leg"), "NT-FAST");
	ck_assert_str_eq(th_str(r->json, "selected.legs.0.carrier"), "NT-AIR");
	ck_assert_str_eq(th_str(r->json, "selected.legs.0.from"), wh);
	ck_assert_str_eq(th_str(r->json, "selected.legs.1.leg"), "NT-LM");
	ck_assert_ptr_null(th_at(r->json, "selected.legs.2"));
	ck_assert_int_eq(th_num(r->json, "selected.cost.amount", -1), 1200);
	ck_assert_str_eq(th_str(r->json, "selected.cost.currency"), "USD");
	ck_assert(th_num(r->json, "selected.p_on_time", -1) >= 0.95);
	ck_assert_ptr_nonnull(th_str(r->json, "selected.delivery_p95"));
	ck_assert_ptr_nonnull(th_str(r->json, "selected.legs.0.departure"));
	ck_assert_ptr_nonnull(th_str(r->json, "selected.legs.1.arrival_p50"));
	/* with every option listed: the rail route is too slow, the courier dearer */
	th_resp_free(r);
	r = th_reqf("POST", "/v1/routes/quote", admin,
	            "{\"origin\":\"%s\",\"destination\":{\"country\":\"GB\"},\"all_options\":true,"
	            "\"parcel\":{\"weight_g\":1200,\"length_mm\":300,\"width_mm\":200,\"height_mm\":100}}",
	            wh);
	ck_assert_int_eq(r->status, 200);
	const cJSON *slow = option_via(r->json, "NT-SLOW"), *direct = option_via(r->json, "NT-DIRECT");
	ck_assert_ptr_nonnull(slow);
	ck_assert_ptr_nonnull(direct);
	ck_assert_str_eq(th_str(slow, "reason"), "slower_than_promise");
	ck_assert(th_num(slow, "p_on_time", -1) < 0.95);
	ck_assert_str_eq(th_str(direct, "reason"), "more_expensive");
	ck_assert_int_eq(th_num(direct, "cost.amount", -1), 5000);
	th_resp_free(r);

	/* the stored network reads back in the shape PUT takes */
	r = th_req("GET", "/v1/network", admin, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "legs")), 4);
	ck_assert_str_eq(th_str(r->json, "legs.1.departures.0.time"), "00:00");
	expect(th_req("PUT", "/v1/network", admin, r->body, NULL, NULL), 200);
	th_resp_free(r);
}
END_TEST

/* Inserts items (JSON text) at the start of the document's array name. */
static void insert_items(char *doc, size_t cap, const char *name, const char *items)
{
	static char tail[70000];
	char marker[32];
	snprintf(marker, sizeof marker, "\"%s\":[", name);
	char *at = strstr(doc, marker);
	ck_assert_ptr_nonnull(at);
	at += strlen(marker);
	snprintf(tail, sizeof tail, "%s", at);
	snprintf(at, cap - (size_t)(at - doc), "%s,%s", items, tail);
}

#define BAD_LEG(id, from, to, service, time, currency)                                         \
	"{\"id\":\"" id "\",\"from\":\"" from "\",\"to\":\"" to "\",\"carrier\":\"NT-AIR\","       \
	"\"service\":\"" service "\",\"departures\":[{\"days\":[\"mon\"],\"time\":\"" time "\"}],"   \
	"\"transit\":{\"histogram_h\":[0,1]},\"cost\":{\"fixed\":1,\"per_kg\":0,\"currency\":\""    \
	currency "\"}}"

START_TEST(bad_document_changes_nothing)
{
	key_buf admin, platform;
	char wh[64];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	strcpy(platform, th_key(AUTH_PLATFORM, NULL));
	setup_network(admin, wh);
	ck_assert_int_eq(selected_cost(quote(platform, wh, "GB", 1200)), 1200);

	/* a new last-mile price, but: an unknown warehouse, a bad kind, a departure at 25:00, a leg
	 * from an unknown node, a duplicate leg id, a cost in another currency */
	char bad[70000];
	snprintf(bad, sizeof bad, "%s", network_doc(wh, 900));
	insert_items(bad, sizeof bad, "legs",
	             BAD_LEG("NT-BAD", "NT-NOWHERE", "NT-GB", "FAST", "25:00", "EUR") ","
	             BAD_LEG("NT-FAST", "NT-NOWHERE", "NT-GB", "FAST", "10:00", "USD"));
	insert_items(bad, sizeof bad, "nodes",
	             "{\"code\":\"NT-NO-WH\",\"kind\":\"warehouse\"},"
	             "{\"code\":\"NT-ODD\",\"kind\":\"airport\",\"country\":\"GB\","
	             "\"time_zone\":\"Europe/London\"}");
	struct th_resp *r = th_req("PUT", "/v1/network", admin, bad, NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "legs[0].departures[0].time"));
	ck_assert(th_has_field_error(r, "legs[0].cost.currency"));
	ck_assert(th_has_field_error(r, "nodes[1].kind"));
	ck_assert(th_has_field_error(r, "nodes[0].code")); /* no such warehouse */
	th_resp_free(r);

	/* shapes right, the network wrong: every engine problem is listed with its path */
	snprintf(bad, sizeof bad, "%s", network_doc(wh, 900));
	insert_items(bad, sizeof bad, "legs",
	             BAD_LEG("NT-BAD", "NT-NOWHERE", "NT-GB", "FAST", "10:00", "USD") ","
	             BAD_LEG("NT-FAST", "NT-GB", "NT-GW", "NOPE", "10:00", "USD"));
	r = th_req("PUT", "/v1/network", admin, bad, NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "legs[0].from"));    /* unknown node */
	ck_assert(th_has_field_error(r, "legs[1].service")); /* unknown service */
	ck_assert(th_has_field_error(r, "legs[2]"));         /* NT-FAST again */
	ck_assert_int_ge(cJSON_GetArraySize(th_at(r->json, "errors")), 3);
	th_resp_free(r);

	/* nothing changed: the old network still answers, in memory and in the database */
	ck_assert_int_eq(selected_cost(quote(platform, wh, "GB", 1200)), 1200);
	ck_assert_str_eq(th_sql_value("SELECT fixed_minor FROM network_legs WHERE id = 'NT-LM'"), "200");
	ck_assert_str_eq(th_sql_value("SELECT count(*) FROM network_legs"), "4");
}
END_TEST

START_TEST(reload_on_change)
{
	key_buf admin;
	char wh[64];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	setup_network(admin, wh);
	ck_assert_int_eq(selected_cost(quote(admin, wh, "GB", 1200)), 1200);

	/* a new price through the admin CRUD: the server picks it up from NOTIFY */
	struct th_resp *r = th_req("PATCH", "/v1/network/legs/NT-LM", admin, "{\"cost\":{\"fixed\":700}}",
	                           NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(th_num(r->json, "cost.fixed", -1), 700);
	ck_assert_int_eq(th_num(r->json, "cost.per_kg", -1), 0);
	th_resp_free(r);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long cost = -1;
	double waited = 0;
	while (waited < 2.0) {
		cost = selected_cost(quote(admin, wh, "GB", 1200));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
		if (cost == 1700)
			break;
		usleep(20000);
	}
	ck_assert_int_eq(cost, 1700);
	ck_assert(waited < 1.0);

	/* and a change made in the database directly (another server's write) */
	th_sql("UPDATE network_legs SET fixed_minor = 1500 WHERE id = 'NT-FAST'");
	for (int i = 0; i < 100 && (cost = selected_cost(quote(admin, wh, "GB", 1200))) != 2200; i++)
		usleep(20000);
	ck_assert_int_eq(cost, 2200);

	/* CRUD: read one, list, create and delete a promise target */
	r = th_req("GET", "/v1/network/legs/NT-LM", th_key(AUTH_PLATFORM, NULL), NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "to"), "NT-GB");
	th_resp_free(r);
	r = th_req("GET", "/v1/network/nodes", admin, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 3);
	th_resp_free(r);
	r = th_req("POST", "/v1/network/promises", admin,
	           "{\"country\":\"GB\",\"days\":7,\"target_bp\":9000}", NULL, NULL);
	ck_assert_int_eq(r->status, 201);
	char path[128];
	snprintf(path, sizeof path, "/v1/network/promises/%s", th_str(r->json, "id"));
	th_resp_free(r);
	expect(th_req("POST", "/v1/network/promises", admin,
	              "{\"country\":\"GB\",\"days\":8,\"target_bp\":9000}", NULL, NULL), 409);
	r = th_req("PATCH", path, admin, "{\"days\":6}", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(th_num(r->json, "days", -1), 6);
	th_resp_free(r);
	expect(th_req("DELETE", path, admin, NULL, NULL, NULL), 200);
	expect(th_req("DELETE", path, admin, NULL, NULL, NULL), 404);
	r = th_req("DELETE", "/v1/network/nodes/NT-GW", admin, NULL, NULL, NULL);
	ck_assert(th_is_problem(r, 409)); /* legs use it */
	th_resp_free(r);
	r = th_req("POST", "/v1/network/legs", admin, "{\"id\":\"x\",\"departures\":[]}", NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "id"));
	ck_assert(th_has_field_error(r, "from"));
	ck_assert(th_has_field_error(r, "departures"));
	th_resp_free(r);
}
END_TEST

START_TEST(roles_and_unquotable)
{
	key_buf admin;
	char wh[64];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	setup_network(admin, wh);

	struct th_resp *r = quote(th_key(AUTH_STAFF, wh), wh, "GB", 1200);
	ck_assert(th_is_problem(r, 403));
	th_resp_free(r);
	r = quote(th_key(AUTH_CARRIER, "NT-POST"), wh, "GB", 1200);
	ck_assert(th_is_problem(r, 403));
	th_resp_free(r);
	r = th_req("PUT", "/v1/network", th_key(AUTH_PLATFORM, NULL), network_doc(wh, 1), NULL, NULL);
	ck_assert(th_is_problem(r, 403));
	th_resp_free(r);
	r = th_req("POST", "/v1/routes/quote", NULL, "{}", NULL, NULL);
	ck_assert(th_is_problem(r, 401));
	th_resp_free(r);

	/* a seller may quote */
	expect(th_reqf("POST", "/v1/sellers", admin,
	               "{\"code\":\"%s\",\"name\":\"S\",\"country\":\"CN\",\"currency\":\"USD\"}",
	               th_code("NS")), 201);
	const char *sc = th_sql_value("SELECT code FROM sellers ORDER BY created_at DESC LIMIT 1");
	ck_assert_int_eq(selected_cost(quote(th_key(AUTH_SELLER, sc), wh, "GB", 1200)), 1200);

	r = quote(admin, wh, "FR", 1200);
	ck_assert(th_is_problem(r, 422));
	ck_assert_str_eq(th_str(r->json, "reason"), "unknown_destination");
	th_resp_free(r);
	r = quote(admin, "NT-NO-SUCH", "GB", 1200);
	ck_assert(th_is_problem(r, 422));
	th_resp_free(r);
	r = quote(admin, wh, "GB", 45000); /* every leg takes 30 kg at most */
	ck_assert(th_is_problem(r, 422));
	ck_assert_str_eq(th_str(r->json, "reason"), "parcel_refused");
	ck_assert_str_eq(th_str(r->json, "options.0.reason"), "too_heavy");
	th_resp_free(r);
	r = th_reqf("POST", "/v1/routes/quote", admin,
	            "{\"origin\":\"%s\",\"ready_at\":\"yesterday\",\"destination\":{\"country\":\"G\"},"
	            "\"parcel\":{\"weight_g\":0,\"length_mm\":1,\"width_mm\":1}}", wh);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "ready_at"));
	ck_assert(th_has_field_error(r, "destination.country"));
	ck_assert(th_has_field_error(r, "parcel.weight_g"));
	ck_assert(th_has_field_error(r, "parcel.height_mm"));
	th_resp_free(r);

	/* ready in 20 days: a 5-day promise would need departures beyond the loaded horizon */
	char later[32];
	time_t t = time(NULL) + 20 * 86400;
	strftime(later, sizeof later, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	r = th_reqf("POST", "/v1/routes/quote", admin,
	            "{\"origin\":\"%s\",\"ready_at\":\"%s\",\"destination\":{\"country\":\"GB\"},"
	            "\"parcel\":{\"weight_g\":100,\"length_mm\":10,\"width_mm\":10,\"height_mm\":10}}",
	            wh, later);
	ck_assert(th_is_problem(r, 422));
	ck_assert(th_has_field_error(r, "ready_at"));
	th_resp_free(r);
}
END_TEST

/* Every read of the network (the document, nodes, services, legs, processing, promises) answers
 * the admin and the platform, which quotes routes and will create orders, and is 403 for a
 * seller, staff or carrier key. The list covers every GET under /v1/network of the route table. */
START_TEST(network_reads_answer_admin_and_platform_only)
{
	static const char *const reads[][2] = {
		{"/v1/network", "/v1/network"},
		{"/v1/network/nodes", "/v1/network/nodes"},
		{"/v1/network/nodes/{code}", "/v1/network/nodes/NT-GW"},
		{"/v1/network/services", "/v1/network/services"},
		{"/v1/network/legs", "/v1/network/legs"},
		{"/v1/network/legs/{id}", "/v1/network/legs/NT-LM"},
		{"/v1/network/processing", "/v1/network/processing"},
		{"/v1/network/promises", "/v1/network/promises"},
		{"/v1/network/legs/{id}/transit", "/v1/network/legs/NT-LM/transit"},
	};
	enum { NREADS = sizeof reads / sizeof reads[0] };
	size_t n;
	const struct route *rt = routes_table(&n);
	for (size_t i = 0; i < n; i++) {
		int listed = 0;
		for (int k = 0; k < NREADS; k++)
			listed |= strcmp(rt[i].pattern, reads[k][0]) == 0;
		ck_assert_msg(strcmp(rt[i].method, "GET") || strncmp(rt[i].pattern, "/v1/network", 11) ||
		              listed, "GET %s is not in this test's list", rt[i].pattern);
	}

	key_buf admin, platform, seller, staff, carrier;
	char wh[64], sl[64];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	strcpy(platform, th_key(AUTH_PLATFORM, NULL));
	setup_network(admin, wh);
	snprintf(sl, sizeof sl, "%s", th_code("NS"));
	expect(th_reqf("POST", "/v1/sellers", admin,
	               "{\"code\":\"%s\",\"name\":\"S\",\"country\":\"CN\",\"currency\":\"USD\"}", sl),
	       201);
	strcpy(seller, th_key(AUTH_SELLER, sl));
	strcpy(staff, th_key(AUTH_STAFF, wh));
	strcpy(carrier, th_key(AUTH_CARRIER, "NT-POST"));
	for (int k = 0; k < NREADS; k++) {
		expect(th_req("GET", reads[k][1], admin, NULL, NULL, NULL), 200);
		expect(th_req("GET", reads[k][1], platform, NULL, NULL, NULL), 200);
		const char *refused[] = {seller, staff, carrier};
		for (int j = 0; j < 3; j++) {
			struct th_resp *r = th_req("GET", reads[k][1], refused[j], NULL, NULL, NULL);
			ck_assert_msg(th_is_problem(r, 403), "GET %s", reads[k][1]);
			th_resp_free(r);
		}
	}
}
END_TEST

/* Quotes run on worker threads, each holding the network it started on: concurrent quotes
 * while the network is replaced again and again all answer, each from one whole network
 * (the selected cost is the old one or the new one, never a mix or an error). */
START_TEST(quotes_during_reloads)
{
	enum { CLIENTS = 4, QUOTES = 60, PUTS = 12 };
	key_buf admin, platform;
	char wh[64];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	strcpy(platform, th_key(AUTH_PLATFORM, NULL));
	setup_network(admin, wh);
	pid_t kids[CLIENTS];
	for (int k = 0; k < CLIENTS; k++) {
		kids[k] = fork();
		ck_assert_int_ge(kids[k], 0);
		if (kids[k] == 0) {
			int bad = 0;
			for (int i = 0; i < QUOTES; i++) {
				long cost = selected_cost(quote(platform, wh, "GB", 1200));
				if (cost != 1200 && cost != 2200) {
					fprintf(stderr, "client %d quote %d: cost %ld\n", k, i, cost);
					bad++;
				}
			}
			_exit(bad ? 1 : 0);
		}
	}
	for (int i = 0; i < PUTS; i++)
		expect(th_req("PUT", "/v1/network", admin, network_doc(wh, i % 2 ? 200 : 1200), NULL,
		              NULL), 200);
	for (int k = 0; k < CLIENTS; k++) {
		int st;
		ck_assert_int_eq(waitpid(kids[k], &st, 0), kids[k]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "client %d saw a bad answer", k);
	}
	/* the last document (i = 11: 200) is the one that stays */
	long cost = -1;
	for (int i = 0; i < 100 && (cost = selected_cost(quote(platform, wh, "GB", 1200))) != 1200; i++)
		usleep(20000);
	ck_assert_int_eq(cost, 1200);
}
END_TEST

/* A counter from /metrics: wms_route_quotes_total{source="<source>"}, or -1. */
static long quotes_counted(const char *source)
{
	char line[96];
	snprintf(line, sizeof line, "wms_route_quotes_total{source=\"%s\"} ", source);
	struct th_resp *r = th_req("GET", "/metrics", NULL, NULL, NULL, NULL);
	const char *at = r->status == 200 ? strstr(r->body, line) : NULL;
	long n = at ? atol(at + strlen(line)) : -1;
	th_resp_free(r);
	return n;
}

/* The same question twice: the second answer comes from the engine's answer memo, byte for
 * byte the first. WMS_WORKERS=0 WMS_QUOTE_MEMO=off quotes in the loop and computes every
 * answer: the same bytes again. */
START_TEST(memo_and_loop_give_the_same_answer)
{
	key_buf admin;
	char wh[64], body[512], ready[32];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	setup_network(admin, wh);
	time_t at = time(NULL) + 86400;
	struct tm tm;
	gmtime_r(&at, &tm);
	strftime(ready, sizeof ready, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof body,
	         "{\"origin\":\"%s\",\"ready_at\":\"%s\",\"destination\":{\"country\":\"GB\"},"
	         "\"all_options\":true,"
	         "\"parcel\":{\"weight_g\":1200,\"length_mm\":300,\"width_mm\":200,\"height_mm\":100}}",
	         wh, ready);
	long memo0 = quotes_counted("memo"), computed0 = quotes_counted("computed");
	struct th_resp *first = th_req("POST", "/v1/routes/quote", admin, body, NULL, NULL);
	ck_assert_int_eq(first->status, 200);
	ck_assert_int_eq(quotes_counted("computed"), computed0 + 1);
	struct th_resp *again = th_req("POST", "/v1/routes/quote", admin, body, NULL, NULL);
	ck_assert_int_eq(again->status, 200);
	ck_assert_str_eq(again->body, first->body);
	ck_assert_int_eq(quotes_counted("memo"), memo0 + 1);
	th_resp_free(again);

	struct th_server own;
	const char *env[] = {"WMS_WORKERS=0", "WMS_QUOTE_MEMO=off", NULL};
	th_server_start(&own, env);
	th_srv = own; /* this forked test's copy */
	for (int i = 0; i < 2; i++) {
		struct th_resp *inline_ = th_req("POST", "/v1/routes/quote", admin, body, NULL, NULL);
		ck_assert_int_eq(inline_->status, 200);
		ck_assert_str_eq(inline_->body, first->body);
		th_resp_free(inline_);
	}
	ck_assert_int_eq(quotes_counted("memo"), 0);
	ck_assert_int_eq(quotes_counted("computed"), 2);
	th_resp_free(first);
	ck_assert_int_eq(th_server_stop(&own), 0);
}
END_TEST

/* One quote from a forked client released by a byte on go; exits 0 for a 200, 1 for a 503
 * overloaded problem with Retry-After, 2 for anything else. */
static void burst_client(int go, const char *key, const char *body)
{
	char c;
	if (read(go, &c, 1) != 1)
		_exit(2);
	struct th_resp *r = th_req("POST", "/v1/routes/quote", key, body, NULL, NULL);
	int rc = 2;
	if (r->status == 200)
		rc = 0;
	else if (th_is_problem(r, 503) && th_header(r, "Retry-After") &&
	         strcmp(th_str(r->json, "type"), "urn:wms:problem:overloaded") == 0)
		rc = 1;
	else
		fprintf(stderr, "burst: %ld %s\n", r->status, r->body);
	_exit(rc);
}

/* One worker and a queue of one: a burst of quotes gets 200s and, beyond what the queue
 * holds, 503 overloaded with Retry-After — nothing else, and the server stays well. */
START_TEST(full_quote_queue_answers_503)
{
	enum { CLIENTS = 48, BURSTS = 5 };
	key_buf admin;
	char wh[64], body[512];
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	setup_network(admin, wh);
	snprintf(body, sizeof body,
	         "{\"origin\":\"%s\",\"destination\":{\"country\":\"GB\"},\"all_options\":true,"
	         "\"parcel\":{\"weight_g\":1200,\"length_mm\":300,\"width_mm\":200,\"height_mm\":100}}",
	         wh);
	struct th_server own;
	const char *env[] = {"WMS_WORKERS=1", "WMS_WORKER_QUEUE=1", "WMS_QUOTE_MEMO=off", NULL};
	th_server_start(&own, env);
	th_srv = own; /* this forked test's copy */
	int ok = 0, refused = 0;
	for (int b = 0; b < BURSTS && refused == 0; b++) {
		int go[2];
		pid_t kids[CLIENTS];
		ck_assert_int_eq(pipe(go), 0);
		for (int k = 0; k < CLIENTS; k++) {
			kids[k] = fork();
			ck_assert_int_ge(kids[k], 0);
			if (kids[k] == 0) {
				close(go[1]);
				burst_client(go[0], admin, body);
			}
		}
		close(go[0]);
		char gos[CLIENTS];
		memset(gos, 'g', sizeof gos);
		ck_assert_int_eq(write(go[1], gos, sizeof gos), CLIENTS);
		close(go[1]);
		for (int k = 0; k < CLIENTS; k++) {
			int st;
			ck_assert_int_eq(waitpid(kids[k], &st, 0), kids[k]);
			ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) <= 1, "client %d: bad answer", k);
			ok += WEXITSTATUS(st) == 0;
			refused += WEXITSTATUS(st) == 1;
		}
	}
	ck_assert_int_gt(ok, 0);
	ck_assert_msg(refused > 0, "%d bursts of %d quotes never filled a queue of one", BURSTS,
	              CLIENTS);
	/* and the server still quotes */
	struct th_resp *r = th_req("POST", "/v1/routes/quote", admin, body, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
	ck_assert_int_eq(th_server_stop(&own), 0);
}
END_TEST

/* The demo network (make run) passes every check and quotes the five-day lanes. */
START_TEST(demo_network_quotes)
{
	key_buf admin;
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	th_sql("INSERT INTO warehouses (code, name, country, time_zone, kind) VALUES"
	       " ('CN-SZX-HUB', 'Shenzhen (test)', 'CN', 'Asia/Shanghai', 'consolidation_hub'),"
	       " ('CN-YIW-HUB', 'Yiwu (test)', 'CN', 'Asia/Shanghai', 'consolidation_hub'),"
	       " ('ES-MAD-FC', 'Madrid (test)', 'ES', 'Europe/Madrid', 'fulfillment_center')"
	       " ON CONFLICT (code) DO NOTHING");
	char *doc = demo_network_document();
	ck_assert_ptr_nonnull(doc);
	expect(th_req("PUT", "/v1/network", admin, doc, NULL, NULL), 200);
	free(doc);
	static const char *const lanes[] = {"GB", "ES", "NL", "BE", "KR", "FR", "PL"};
	for (size_t i = 0; i < sizeof lanes / sizeof lanes[0]; i++) {
		struct th_resp *r = quote(admin, "CN-SZX-HUB", lanes[i], 450);
		ck_assert_int_eq(r->status, 200);
		ck_assert_str_eq(th_str(r->json, "zone"), lanes[i]);
		ck_assert_int_eq(th_num(r->json, "selected.legs.0.cost.amount", -1) > 0, 1);
		th_resp_free(r);
	}
	struct th_resp *r = quote(admin, "CN-SZX-HUB", "GB", 450);
	ck_assert_int_eq(th_num(r->json, "promise.days", -1), 5);
	th_resp_free(r);
	/* the Madrid fulfillment centre is an origin of buyers' parcels */
	static const char *const from_madrid[] = {"ES", "FR", "NL", "BE"};
	for (size_t i = 0; i < sizeof from_madrid / sizeof from_madrid[0]; i++) {
		r = quote(admin, "ES-MAD-FC", from_madrid[i], 450);
		ck_assert_msg(r->status == 200, "%s: %s", from_madrid[i], r->body);
		ck_assert_str_eq(th_str(r->json, "zone"), from_madrid[i]);
		th_resp_free(r);
	}
}
END_TEST

/* --- daylight-saving time: what the server loads ------------------------------------------
 * The server has PostgreSQL expand every local rule into UTC instants when it loads the
 * network (network_load_json, over a horizon around now()). These tests load a network
 * through a server of their own whose database clock is set to a week with a clock change
 * in London: its sessions find now() in schema wms_test_clock before pg_catalog, and that
 * now() returns the setting wms_test.now. Everything else is the production path. */

#define EVERY_DAY "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]"
#define DST_LEG(id, to, time, more)                                                            \
	"{\"id\":\"" id "\",\"from\":\"NT-LON\",\"to\":\"" to "\",\"carrier\":\"NT-POST\","        \
	"\"service\":\"PARCEL\",\"departures\":[{\"days\":" EVERY_DAY ",\"time\":\"" time "\"}],"  \
	"\"transit\":{\"histogram_h\":[0,1]},\"cost\":{\"fixed\":100,\"per_kg\":0,"               \
	"\"currency\":\"USD\"}" more "}"

/* A London hub with one leg a day at 01:30 local into zone NT-GB-A (postal codes A…) and one
 * at 10:00 local into zone NT-GB-B (B…), delivered Monday to Friday; both take one hour.
 * The promise from the hub to GB: one day. */
static const char dst_doc[] =
	"{\"currency\":\"USD\",\"carriers\":[{\"code\":\"NT-POST\",\"name\":\"Test post\"}],"
	" \"nodes\":[{\"code\":\"NT-LON\",\"kind\":\"hub\",\"country\":\"GB\","
	"             \"time_zone\":\"Europe/London\"},"
	"            {\"code\":\"NT-GB-A\",\"kind\":\"zone\",\"country\":\"GB\","
	"             \"time_zone\":\"Europe/London\",\"postal_prefix\":\"A\"},"
	"            {\"code\":\"NT-GB-B\",\"kind\":\"zone\",\"country\":\"GB\","
	"             \"time_zone\":\"Europe/London\",\"postal_prefix\":\"B\"}],"
	" \"services\":[{\"carrier\":\"NT-POST\",\"service\":\"PARCEL\",\"mode\":\"last_mile\"}],"
	" \"legs\":[" DST_LEG("NT-0130", "NT-GB-A", "01:30", "") ","
	              DST_LEG("NT-1000", "NT-GB-B", "10:00",
	                      ",\"delivery_days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]") "],"
	" \"promises\":[{\"origin\":\"NT-LON\",\"country\":\"GB\",\"days\":1,\"target_bp\":5000}]}";

/* London springs forward on 2025-03-30 at 01:00 UTC (01:00 GMT → 02:00 BST) and falls back
 * on 2025-10-26 at 01:00 UTC (02:00 BST → 01:00 GMT). */
#define BEFORE_SPRING "2025-03-27T12:00:00Z"
#define BEFORE_AUTUMN "2025-10-23T12:00:00Z"

/* Starts a server of its own (th_srv in this forked test) whose database clock reads now
 * (RFC 3339), and PUTs dst_doc through it (the server loads the network at once). */
static void dst_server(struct th_server *own, const char *admin, const char *now)
{
	th_sql("CREATE SCHEMA IF NOT EXISTS wms_test_clock");
	th_sql("CREATE OR REPLACE FUNCTION wms_test_clock.now() RETURNS timestamptz"
	       " LANGUAGE sql STABLE AS $$ SELECT current_setting('wms_test.now')::timestamptz $$");
	static char url[2048];
	const char *base = getenv("DATABASE_URL");
	ck_assert_ptr_nonnull(base);
	snprintf(url, sizeof url,
	         "DATABASE_URL=%s%coptions=-csearch_path%%3Dwms_test_clock,public,pg_catalog"
	         "%%20-cwms_test.now%%3D%s", base, strchr(base, '?') ? '&' : '?', now);
	const char *env[] = {url, NULL};
	th_server_start(own, env);
	th_srv = *own;
	expect(th_req("PUT", "/v1/network", admin, dst_doc, NULL, NULL), 200);
}

/* Stops the server of dst_server() and drops the clock. */
static void dst_server_stop(struct th_server *own)
{
	ck_assert_int_eq(th_server_stop(own), 0);
	th_sql("DROP SCHEMA wms_test_clock CASCADE");
}

/* The quote from NT-LON to GB postal code `postal` for a small parcel ready at `ready`
 * (RFC 3339); asserts a 200. The caller frees it. */
static struct th_resp *dst_quote(const char *key, const char *postal, const char *ready)
{
	struct th_resp *r = th_reqf(
		"POST", "/v1/routes/quote", key,
		"{\"origin\":\"NT-LON\",\"ready_at\":\"%s\","
		"\"destination\":{\"country\":\"GB\",\"postal_code\":\"%s\"},"
		"\"parcel\":{\"weight_g\":100,\"length_mm\":10,\"width_mm\":10,\"height_mm\":10}}",
		ready, postal);
	if (r->status != 200)
		fprintf(stderr, "quote ready %s to %s: %ld %s\n", ready, postal, r->status, r->body);
	ck_assert_int_eq(r->status, 200);
	return r;
}

/* Departures across the clock changes: the database clock, the zone's postal code, and
 * parcels ready at three instants with the departure each must take. */
struct dst_departures {
	const char *now, *postal;
	struct {
		const char *ready, *departure;
	} cases[3];
};
static const struct dst_departures
	/* 01:30 does not exist in London on 30 March: that day's 01:30 departure leaves
	 * 01:30 GMT (02:30 BST), the next day's at 01:30 BST (00:30 UTC) */
	skipped_0130 = {BEFORE_SPRING, "A1 1AA", {{"2025-03-29T00:00:00Z", "2025-03-29T01:30:00Z"},
	                                          {"2025-03-29T23:00:00Z", "2025-03-30T01:30:00Z"},
	                                          {"2025-03-30T01:31:00Z", "2025-03-31T00:30:00Z"}}},
	/* 01:30 happens twice in London on 26 October: the departure is taken once, at the
	 * second occurrence (01:30 GMT), as PostgreSQL resolves it; the day before at 01:30 BST */
	repeated_0130 = {BEFORE_AUTUMN, "A1 1AA", {{"2025-10-24T23:00:00Z", "2025-10-25T00:30:00Z"},
	                                           {"2025-10-26T00:00:00Z", "2025-10-26T01:30:00Z"},
	                                           {"2025-10-26T01:31:00Z", "2025-10-27T01:30:00Z"}}},
	/* 10:00 London leaves 10:00 UTC before the change and 09:00 UTC after it: ready at
	 * 09:30 UTC on the Sunday (10:30 BST) it has gone; at 08:59 it is made */
	spring_1000 = {BEFORE_SPRING, "B1 1AA", {{"2025-03-29T09:30:00Z", "2025-03-29T10:00:00Z"},
	                                         {"2025-03-30T08:59:00Z", "2025-03-30T09:00:00Z"},
	                                         {"2025-03-30T09:30:00Z", "2025-03-31T09:00:00Z"}}};

/* Loads dst_doc through a server whose database clock reads d->now and checks that a parcel
 * to d->postal ready at each case's time takes the case's departure. */
static void check_departures(const struct dst_departures *d)
{
	key_buf admin;
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	struct th_server own;
	dst_server(&own, admin, d->now);
	for (size_t i = 0; i < sizeof d->cases / sizeof d->cases[0]; i++) {
		struct th_resp *r = dst_quote(admin, d->postal, d->cases[i].ready);
		const char *dep = th_str(r->json, "selected.legs.0.departure");
		ck_assert_msg(dep && strcmp(dep, d->cases[i].departure) == 0,
		              "ready %s: departure %s, expected %s", d->cases[i].ready,
		              dep ? dep : "none", d->cases[i].departure);
		th_resp_free(r);
	}
	dst_server_stop(&own);
}

START_TEST(skipped_local_departure_moves_forward)
{
	check_departures(&skipped_0130);
}
END_TEST

START_TEST(repeated_local_departure_is_taken_once)
{
	check_departures(&repeated_0130);
}
END_TEST

START_TEST(local_departure_keeps_its_wall_time_across_dst)
{
	check_departures(&spring_1000);
}
END_TEST

/* Days are London days across the change: ready on Saturday 29 March with a one-day promise,
 * the deadline is Sunday 23:59:59 BST (22:59:59 UTC); Saturday's van arrives at 11:00 and is
 * delivered on Monday at 00:00 BST (Sunday 23:00 UTC), a second late. */
START_TEST(deadline_and_delivery_days_are_local_across_dst)
{
	key_buf admin;
	strcpy(admin, th_key(AUTH_ADMIN, NULL));
	struct th_server own;
	dst_server(&own, admin, BEFORE_SPRING);
	struct th_resp *r = dst_quote(admin, "B1 1AA", "2025-03-29T09:30:00Z");
	ck_assert_str_eq(th_str(r->json, "promise.deadline"), "2025-03-30T22:59:59Z");
	ck_assert_str_eq(th_str(r->json, "selected.legs.0.departure"), "2025-03-29T10:00:00Z");
	ck_assert_str_eq(th_str(r->json, "selected.delivery_p50"), "2025-03-30T23:00:00Z");
	ck_assert_str_eq(th_str(r->json, "status"), "at_risk");
	th_resp_free(r);
	r = dst_quote(admin, "B1 1AA", "2025-03-29T23:30:00Z"); /* still Saturday in London */
	ck_assert_str_eq(th_str(r->json, "promise.deadline"), "2025-03-30T22:59:59Z");
	th_resp_free(r);
	dst_server_stop(&own);
}
END_TEST

Suite *network_suite(void);
Suite *network_suite(void)
{
	Suite *s = suite_create("network_api");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, put_then_quote);
	tcase_add_test(tc, bad_document_changes_nothing);
	tcase_add_test(tc, reload_on_change);
	tcase_add_test(tc, roles_and_unquotable);
	tcase_add_test(tc, network_reads_answer_admin_and_platform_only);
	tcase_add_test(tc, demo_network_quotes);
	tcase_add_test(tc, quotes_during_reloads);
	tcase_add_test(tc, memo_and_loop_give_the_same_answer);
	tcase_add_test(tc, full_quote_queue_answers_503);
	tcase_add_test(tc, skipped_local_departure_moves_forward);
	tcase_add_test(tc, repeated_local_departure_is_taken_once);
	tcase_add_test(tc, local_departure_keeps_its_wall_time_across_dst);
	tcase_add_test(tc, deadline_and_delivery_days_are_local_across_dst);
	suite_add_tcase(s, tc);
	return s;
}
