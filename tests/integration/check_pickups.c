/* check_pickups.c — pickup scheduling over HTTP against real PostgreSQL: a hub's settings
 * and vehicles; sellers' requests and their validation (a window that ends before it starts,
 * a site beyond the service radius, a hub that does not collect); a day planned on the
 * worker thread, every route of every plan passing a feasibility check written here (the
 * travel model recomputed from the coordinates, windows, capacity in both dimensions, shift,
 * each request once) and every unassigned request carrying its reason; publishing (ETA
 * windows the seller sees, the plan locked); re-plans that keep the published stops; the
 * driver's collection scan (exactly once, the shipment in transit, the pickup fee on the
 * seller's ledger waived in semi_warehouse); plans the same for the same seed; roles. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

#define DAY "2030-03-04"
#define HUB_LAT 40.4168
#define HUB_LON -3.7038
#define ROAD 1.3
#define SPEED 30.0
#define STOP_S 300
#define PARCEL_S 30
#define N_REQ 30

/* What the test asked for, to check the plans against. */
struct req {
	char id[37], shipment[37];
	double lat, lon;
	long from, until; /* seconds after the day's midnight (UTC) */
	int parcels;
	long weight_g, volume_cm3;
};

struct vehicle {
	const char *code;
	long cap_g, cap_cm3;
	long start, end; /* seconds after midnight */
};

static const struct vehicle fleet[] = {
	{"VAN-1", 600000, 6000000, 8 * 3600, 18 * 3600},
	{"VAN-2", 600000, 6000000, 8 * 3600, 18 * 3600},
	{"TRUCK-1", 2000000, 20000000, 7 * 3600, 16 * 3600},
};
#define N_VEH (sizeof fleet / sizeof fleet[0])

struct world {
	struct rcv_world w;
	char platform[AUTH_KEY_LEN + 1];
	struct req reqs[N_REQ + 8];
	int n;
};

static struct th_resp *expect(struct th_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
	ck_assert_int_eq(r->status, status);
	return r;
}

static void hub_put(const struct world *x)
{
	char body[2048];
	int k = snprintf(body, sizeof body,
	                 "{\"lat\":%.6f,\"lon\":%.6f,\"service_radius_km\":40,\"road_factor\":%.1f,"
	                 "\"speed_kmh\":%.1f,\"stop_s\":%d,\"parcel_s\":%d,\"vehicles\":[",
	                 HUB_LAT, HUB_LON, ROAD, SPEED, STOP_S, PARCEL_S);
	for (size_t v = 0; v < N_VEH; v++)
		k += snprintf(body + k, sizeof body - (size_t)k,
		              "%s{\"code\":\"%s\",\"capacity_g\":%ld,\"capacity_cm3\":%ld,"
		              "\"shift_start\":\"%02ld:%02ld\",\"shift_end\":\"%02ld:%02ld\","
		              "\"cost_per_vehicle\":5000,\"cost_per_km\":40}",
		              v ? "," : "", fleet[v].code, fleet[v].cap_g, fleet[v].cap_cm3,
		              fleet[v].start / 3600, fleet[v].start % 3600 / 60, fleet[v].end / 3600,
		              fleet[v].end % 3600 / 60);
	snprintf(body + k, sizeof body - (size_t)k, "]}");
	th_resp_free(expect(th_call("PUT", x->w.admin, body, "/v1/warehouses/%s/pickup-hub", x->w.wh),
	                    200));
}

static void world_new(struct world *x)
{
	memset(x, 0, sizeof *x);
	rcv_world_new(&x->w, 0);
	th_sqlp("UPDATE warehouses SET time_zone = 'UTC' WHERE id = $1", x->w.wh_id, NULL);
	snprintf(x->platform, sizeof x->platform, "%s", th_key(AUTH_PLATFORM, NULL));
}

/* A booked pickup shipment of the world's seller in mode; writes its id. */
static void shipment_new(const struct world *x, const char *mode, char id[37])
{
	th_sql_copyp(id, 37, "INSERT INTO inbound_shipments (warehouse_id, seller_id, mode, state,"
	             " handover, pickup_address, pickup_ready_from, pickup_ready_until)"
	             " VALUES ($1, $2, $3, 'booked', 'pickup', '{}', '" DAY "T08:00:00Z',"
	             " '" DAY "T18:00:00Z') RETURNING id", x->w.wh_id, x->w.seller_id, mode, NULL);
}

static void fmt_time(long s, char out[32])
{
	int h = (int)(s / 3600 % 100), m = (int)(s % 3600 / 60), sec = (int)(s % 60);
	snprintf(out, 32, DAY "T%02d:%02d:%02dZ", h, m, sec);
}

static struct th_resp *request_post(const struct world *x, const struct req *q, const char *key)
{
	char from[32], until[32];
	fmt_time(q->from, from);
	fmt_time(q->until, until);
	return th_reqf("POST", "/v1/pickup-requests", key,
	               "{\"warehouse\":\"%s\",\"inbound_shipment\":\"%s\",\"site\":{\"address\":"
	               "\"Calle %s\",\"lat\":%.6f,\"lon\":%.6f},\"ready_from\":\"%s\",\"ready_until\":"
	               "\"%s\",\"parcels\":%d,\"weight_g\":%ld,\"volume_cm3\":%ld}",
	               x->w.wh, q->shipment, q->shipment, q->lat, q->lon, from, until, q->parcels,
	               q->weight_g, q->volume_cm3);
}

/* Adds a request (a new shipment, mode semi_warehouse) and stores what it asked. */
static struct req *request_new(struct world *x, double lat, double lon, long from, long until,
                               int parcels, long weight_g)
{
	struct req *q = &x->reqs[x->n++];
	shipment_new(x, "semi_warehouse", q->shipment);
	q->lat = lat;
	q->lon = lon;
	q->from = from;
	q->until = until;
	q->parcels = parcels;
	q->weight_g = weight_g;
	q->volume_cm3 = weight_g * 5;
	struct th_resp *r = expect(request_post(x, q, x->w.seller_key), 201);
	snprintf(q->id, sizeof q->id, "%s", th_str(r->json, "id"));
	ck_assert_str_eq(th_str(r->json, "state"), "requested");
	th_resp_free(r);
	return q;
}

/* N_REQ requests around the hub (deterministic), windows of 1–4 h in 08:00–18:00. */
static void requests_many(struct world *x)
{
	uint64_t s = 12345;
	for (int i = 0; i < N_REQ; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		double a = (double)(s >> 11) / 9007199254740992.0 * 2 * M_PI;
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		double rk = 20.0 * sqrt((double)(s >> 11) / 9007199254740992.0);
		long width = 3600 + (long)(s % 3) * 3600;
		long from = 8 * 3600 + (long)(s % 7) * 1800;
		request_new(x, HUB_LAT + rk * cos(a) / 111.2,
		            HUB_LON + rk * sin(a) / (111.2 * cos(HUB_LAT * M_PI / 180)), from,
		            from + width, 1 + (int)(s % 4), 5000 + (long)(s % 50) * 1000);
	}
}

static const struct req *find_req(const struct world *x, const char *id)
{
	for (int i = 0; i < x->n; i++)
		if (strcmp(x->reqs[i].id, id) == 0)
			return &x->reqs[i];
	return NULL;
}

/* The great-circle distance, written here apart from routing/travel.c. */
static double km_between(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, d = M_PI / 180;
	double x = sin((lat2 - lat1) * d / 2), y = sin((lon2 - lon1) * d / 2);
	return 2 * r * asin(sqrt(x * x + cos(lat1 * d) * cos(lat2 * d) * y * y));
}

/* Seconds after the day's midnight of an instant "DAYTHH:MM:SSZ". */
static long secs(const char *t)
{
	int h, m, sec;
	ck_assert_msg(t && strncmp(t, DAY "T", 11) == 0 && sscanf(t + 11, "%d:%d:%dZ", &h, &m, &sec) == 3,
	              "instant %s is not on " DAY, t ? t : "(null)");
	return h * 3600L + m * 60L + sec;
}

/* The independent check of a plan: every route re-timed from the coordinates (travel model
 * recomputed), windows, capacity in both dimensions, shift, the plan's times and loads as
 * computed; every request of `expected` exactly once (on a route or unassigned with a
 * reason). Returns the number of stops. */
static int check_plan(const struct world *x, const cJSON *plan, const char *const *expected,
                      int n_expected)
{
	int seen[64] = {0}, stops = 0;
	const cJSON *rt;
	cJSON_ArrayForEach(rt, th_at(plan, "routes")) {
		const char *code = th_str(rt, "vehicle");
		const struct vehicle *v = NULL;
		for (size_t k = 0; k < N_VEH; k++)
			if (code && strcmp(fleet[k].code, code) == 0)
				v = &fleet[k];
		ck_assert_msg(v != NULL, "unknown vehicle %s", code ? code : "(null)");
		double t = (double)v->start, lat = HUB_LAT, lon = HUB_LON, km = 0;
		long w = 0, vol = 0;
		ck_assert_int_eq(secs(th_str(rt, "leaves_at")), v->start);
		const cJSON *st;
		cJSON_ArrayForEach(st, th_at(rt, "stops")) {
			const struct req *q = find_req(x, th_str(st, "request"));
			ck_assert_msg(q != NULL, "unknown request on a route");
			double d = ROAD * km_between(lat, lon, q->lat, q->lon);
			km += d;
			t += d / SPEED * 3600;
			ck_assert_msg(fabs((double)secs(th_str(st, "arrival")) - t) <= 1.0,
			              "arrival %s, computed %.1f", th_str(st, "arrival"), t);
			if (t < (double)q->from)
				t = (double)q->from;
			ck_assert_msg(t <= (double)q->until + 1e-6, "request %s served at %.0f after its "
			              "window closed at %ld", q->id, t, q->until);
			ck_assert_msg(fabs((double)secs(th_str(st, "start")) - t) <= 1.0, "start differs");
			t += STOP_S + PARCEL_S * q->parcels;
			w += q->weight_g;
			vol += q->volume_cm3;
			ck_assert_msg(w <= v->cap_g && vol <= v->cap_cm3, "vehicle %s overloaded", v->code);
			ck_assert_int_eq((long)th_num(st, "load.weight_g", -1), w);
			ck_assert_int_eq((long)th_num(st, "load.volume_cm3", -1), vol);
			for (int i = 0; i < n_expected; i++)
				if (strcmp(expected[i], q->id) == 0)
					seen[i]++;
			lat = q->lat;
			lon = q->lon;
			stops++;
		}
		double d = ROAD * km_between(lat, lon, HUB_LAT, HUB_LON);
		km += d;
		t += d / SPEED * 3600;
		ck_assert_msg(t <= (double)v->end + 1e-6, "vehicle %s back at %.0f after its shift "
		              "ends at %ld", v->code, t, v->end);
		ck_assert_msg(fabs(th_num(rt, "distance_km", -1) - km) < 0.01, "distance %.3f, computed "
		              "%.3f", th_num(rt, "distance_km", -1), km);
	}
	const cJSON *u;
	cJSON_ArrayForEach(u, th_at(plan, "unassigned")) {
		const char *reason = th_str(u, "reason");
		ck_assert(reason && (strcmp(reason, "capacity") == 0 || strcmp(reason, "window") == 0 ||
		                     strcmp(reason, "shift_length") == 0 || strcmp(reason, "fleet") == 0));
		for (int i = 0; i < n_expected; i++)
			if (strcmp(expected[i], th_str(u, "request")) == 0)
				seen[i]++;
	}
	for (int i = 0; i < n_expected; i++)
		ck_assert_msg(seen[i] == 1, "request %s appears %d times in the plan", expected[i],
		              seen[i]);
	return stops;
}

/* A plan of the world's hub for DAY; the time limit is the longest there is, so that a busy
 * machine does not cut the search (the same seed then gives the same plan). */
static struct th_resp *plan_post(const struct world *x, const char *key, int seed, bool keep)
{
	return th_reqf("POST", "/v1/pickup-plans", key,
	               "{\"warehouse\":\"%s\",\"date\":\"" DAY "\",\"seed\":%d,\"keep_published\":%s,"
	               "\"time_limit_ms\":30000}", x->w.wh, seed, keep ? "true" : "false");
}

static const char *reason_of(const cJSON *plan, const char *id)
{
	const cJSON *u;
	cJSON_ArrayForEach(u, th_at(plan, "unassigned"))
		if (strcmp(th_str(u, "request"), id) == 0)
			return th_str(u, "reason");
	return NULL;
}

START_TEST(requests_are_validated_against_the_hub)
{
	struct world x;
	world_new(&x);
	struct req q = {.lat = HUB_LAT + 0.05, .lon = HUB_LON, .from = 9 * 3600, .until = 11 * 3600,
	                .parcels = 2, .weight_g = 3000, .volume_cm3 = 20000};
	shipment_new(&x, "semi_warehouse", q.shipment);
	/* the hub does not collect yet */
	struct th_resp *r = request_post(&x, &q, x.w.seller_key);
	ck_assert(th_problem(r, 422, "warehouse", "no_pickups"));
	/* only admins set a hub */
	th_resp_free(expect(th_call("PUT", x.w.seller_key, "{}", "/v1/warehouses/%s/pickup-hub",
	                            x.w.wh), 403));
	hub_put(&x);
	r = expect(th_call("GET", x.platform, NULL, "/v1/warehouses/%s/pickup-hub", x.w.wh), 200);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "vehicles")), (int)N_VEH);
	ck_assert_str_eq(th_str(r->json, "vehicles.0.shift_start"), "08:00");
	th_resp_free(r);
	/* a vehicle whose shift ends before it starts, named */
	r = th_call("PUT", x.w.admin, "{\"lat\":1,\"lon\":1,\"service_radius_km\":5,\"vehicles\":"
	            "[{\"code\":\"V\",\"capacity_g\":1,\"capacity_cm3\":1,\"shift_start\":\"10:00\","
	            "\"shift_end\":\"09:00\"}]}", "/v1/warehouses/%s/pickup-hub", x.w.wh);
	ck_assert(th_problem(r, 422, "vehicles[0].shift_end", "range"));
	/* a window that ends before it starts */
	struct req bad = q;
	bad.until = bad.from - 60;
	r = request_post(&x, &bad, x.w.seller_key);
	ck_assert(th_problem(r, 422, "ready_until", "range"));
	/* a site beyond the 40 km radius (about 111 km north) */
	bad = q;
	bad.lat = HUB_LAT + 1.0;
	r = request_post(&x, &bad, x.w.seller_key);
	ck_assert(th_problem(r, 422, "site", "out_of_area"));
	/* another seller cannot request for this seller's shipment */
	struct rcv_world other;
	rcv_world_new(&other, 0);
	th_resp_free(expect(request_post(&x, &q, other.seller_key), 404));
	r = expect(request_post(&x, &q, x.w.seller_key), 201);
	char id[37];
	snprintf(id, sizeof id, "%s", th_str(r->json, "id"));
	ck_assert_str_eq(th_str(r->json, "warehouse"), x.w.wh);
	ck_assert(cJSON_IsNull(th_at(r->json, "eta")));
	th_resp_free(r);
	/* one open request per shipment */
	r = request_post(&x, &q, x.w.seller_key);
	ck_assert(th_problem(r, 409, "inbound_shipment", "duplicate"));
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM pickup_requests WHERE warehouse_id = $1",
	                               x.w.wh_id, NULL), "1");
	/* the seller reads its own; another seller does not see it */
	th_resp_free(expect(th_call("GET", x.w.seller_key, NULL, "/v1/pickup-requests/%s", id), 200));
	th_resp_free(expect(th_call("GET", other.seller_key, NULL, "/v1/pickup-requests/%s", id), 404));
	/* cancelled by its seller only, once; the shipment may then be requested again */
	th_resp_free(expect(th_call("POST", other.seller_key, NULL, "/v1/pickup-requests/%s/cancel",
	                            id), 404));
	r = expect(th_call("POST", x.w.seller_key, NULL, "/v1/pickup-requests/%s/cancel", id), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	th_resp_free(r);
	r = th_call("POST", x.w.seller_key, NULL, "/v1/pickup-requests/%s/cancel", id);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	ck_assert(th_problem(r, 409, NULL, NULL));
	th_resp_free(expect(request_post(&x, &q, x.w.seller_key), 201));
}
END_TEST

START_TEST(a_day_is_planned_published_and_collected)
{
	static struct world x;
	world_new(&x);
	hub_put(&x);
	requests_many(&x);
	/* three that no vehicle can take, one per reason */
	const struct req *heavy = request_new(&x, HUB_LAT + 0.02, HUB_LON, 9 * 3600, 12 * 3600, 1,
	                                      5000000);
	const struct req *early = request_new(&x, HUB_LAT + 0.1, HUB_LON + 0.1, 3 * 3600,
	                                      3 * 3600 + 600, 1, 2000);
	const struct req *late = request_new(&x, HUB_LAT - 0.1, HUB_LON, 17 * 3600 + 50 * 60,
	                                     17 * 3600 + 55 * 60, 1, 2000);
	const char *ids[64];
	for (int i = 0; i < x.n; i++)
		ids[i] = x.reqs[i].id;
	/* sellers do not plan */
	th_resp_free(expect(plan_post(&x, x.w.seller_key, 1, true), 403));
	struct th_resp *r = expect(plan_post(&x, x.platform, 7, true), 201);
	ck_assert_str_eq(th_str(r->json, "state"), "draft");
	ck_assert_str_eq(th_str(r->json, "day"), DAY);
	int stops = check_plan(&x, r->json, ids, x.n);
	ck_assert_int_ge(stops, N_REQ - 3);
	ck_assert_str_eq(reason_of(r->json, heavy->id), "capacity");
	ck_assert_str_eq(reason_of(r->json, early->id), "window");
	ck_assert_str_eq(reason_of(r->json, late->id), "shift_length");
	char plan[37];
	snprintf(plan, sizeof plan, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	/* the stored plan reads the same */
	r = expect(th_call("GET", x.w.admin, NULL, "/v1/pickup-plans/%s", plan), 200);
	check_plan(&x, r->json, ids, x.n);
	const char *first = th_str(r->json, "routes.0.stops.0.request");
	char first_id[37];
	snprintf(first_id, sizeof first_id, "%s", first);
	long first_start = secs(th_str(r->json, "routes.0.stops.0.start"));
	cJSON *plan_doc = cJSON_Duplicate(r->json, 1);
	th_resp_free(r);
	/* a request is not collected before it is published */
	r = th_reqf("POST", "/v1/pickup/scans", x.w.staff,
	            "{\"scan_id\":\"%s\",\"request\":\"%s\",\"parcels\":1}",
	            "9a0c3c1e-0000-4000-8000-000000000001", first_id);
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:wrong-state");
	ck_assert(th_problem(r, 409, NULL, NULL));
	/* publish: the ETA window around the planned start, inside the ready window */
	r = expect(th_call("POST", x.platform, NULL, "/v1/pickup-plans/%s/publish", plan), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "published");
	th_resp_free(r);
	th_resp_free(expect(th_call("POST", x.platform, NULL, "/v1/pickup-plans/%s/publish", plan),
	                    409));
	r = expect(th_call("GET", x.w.seller_key, NULL, "/v1/pickup-requests/%s", first_id), 200);
	const struct req *fq = find_req(&x, first_id);
	ck_assert_str_eq(th_str(r->json, "state"), "published");
	long eta_from = secs(th_str(r->json, "eta.from")), eta_until = secs(th_str(r->json, "eta.until"));
	ck_assert(eta_from <= first_start && first_start <= eta_until);
	ck_assert(eta_from >= fq->from && eta_until <= fq->until);
	ck_assert_int_eq((long)th_num(r->json, "stop_no", 0), 1);
	th_resp_free(r);
	/* a published request its seller cancels is not collected */
	const cJSON *second = th_at(plan_doc, "routes.0.stops.1.request");
	ck_assert_ptr_nonnull(second);
	th_resp_free(expect(th_call("POST", x.w.seller_key, NULL, "/v1/pickup-requests/%s/cancel",
	                            second->valuestring), 200));
	r = th_reqf("POST", "/v1/pickup/scans", x.w.staff,
	            "{\"scan_id\":\"9a0c3c1e-0000-4000-8000-000000000005\",\"request\":\"%s\","
	            "\"parcels\":1}", second->valuestring);
	ck_assert_str_eq(th_str(r->json, "type"), "urn:wms:problem:wrong-state");
	ck_assert(th_problem(r, 409, NULL, NULL));
	/* a published request whose shipment the seller cancelled is not collected either */
	const struct req *third = find_req(&x, th_str(plan_doc, "routes.0.stops.2.request"));
	ck_assert_ptr_nonnull(third);
	th_resp_free(expect(th_call("POST", x.w.seller_key, NULL, "/v1/inbound-shipments/%s/cancel",
	                            third->shipment), 200));
	r = th_reqf("POST", "/v1/pickup/scans", x.w.staff,
	            "{\"scan_id\":\"9a0c3c1e-0000-4000-8000-000000000006\",\"request\":\"%s\","
	            "\"parcels\":1}", third->id);
	ck_assert_str_eq(th_str(r->json, "inbound_shipment.state"), "cancelled");
	ck_assert(th_problem(r, 409, NULL, NULL));
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM seller_ledger WHERE event_type = 'pickup'"
	                               " AND event_id = $1", third->id, NULL), "0");
	cJSON_Delete(plan_doc);
	/* unassigned requests stay requested, for the next plan */
	r = expect(th_call("GET", x.w.seller_key, NULL, "/v1/pickup-requests/%s", heavy->id), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "requested");
	th_resp_free(r);

	/* the driver collects it: once */
	char body[256];
	snprintf(body, sizeof body, "{\"scan_id\":\"%s\",\"request\":\"%s\",\"parcels\":%d}",
	         "9a0c3c1e-0000-4000-8000-000000000002", first_id, fq->parcels);
	r = expect(th_req("POST", "/v1/pickup/scans", x.w.staff, body, NULL, NULL), 200);
	ck_assert_str_eq(th_str(r->json, "state"), "collected");
	ck_assert_str_eq(th_str(r->json, "inbound_shipment.state"), "in_transit");
	th_resp_free(r);
	r = expect(th_req("POST", "/v1/pickup/scans", x.w.staff, body, NULL, NULL), 200);
	ck_assert_ptr_nonnull(strstr(r->headers, "Idempotent-Replayed: true"));
	th_resp_free(r);
	/* the fee: 5.00 + 1.20/kg of the weight rounded up to 100 g, waived (semi_warehouse) */
	long grams = (fq->weight_g + 99) / 100 * 100;
	char gross[24];
	snprintf(gross, sizeof gross, "%ld", 500 + (120 * grams + 500) / 1000);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) || ' ' || min(gross) || ' ' || min(net) ||"
	                               " ' ' || min(treatment) || ' ' || min(fee_type)"
	                               " FROM seller_ledger WHERE seller_id = $1 AND event_type ="
	                               " 'pickup' AND event_id = $2",
	                               x.w.seller_id, first_id, NULL),
	                 th_sql_valuep("SELECT '1 ' || $1 || ' 0 waived pickup_fee'", gross, NULL));
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM inbound_shipments WHERE id = $1",
	                               fq->shipment, NULL), "in_transit");
	/* another scan of a collected request is refused; the same scan_id for another body too */
	r = th_reqf("POST", "/v1/pickup/scans", x.w.staff,
	            "{\"scan_id\":\"9a0c3c1e-0000-4000-8000-000000000003\",\"request\":\"%s\","
	            "\"parcels\":1}", first_id);
	ck_assert(th_problem(r, 409, NULL, NULL));
	r = th_reqf("POST", "/v1/pickup/scans", x.w.staff,
	            "{\"scan_id\":\"9a0c3c1e-0000-4000-8000-000000000002\",\"request\":\"%s\","
	            "\"parcels\":9}", first_id);
	ck_assert(th_problem(r, 422, NULL, NULL));
	/* staff of another hub do not see it */
	struct rcv_world other;
	rcv_world_new(&other, 0);
	r = th_reqf("POST", "/v1/pickup/scans", other.staff,
	            "{\"scan_id\":\"9a0c3c1e-0000-4000-8000-000000000004\",\"request\":\"%s\","
	            "\"parcels\":1}", first_id);
	ck_assert(th_problem(r, 404, NULL, NULL));
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM seller_ledger WHERE event_type = 'pickup'"
	                               " AND event_id = $1", first_id, NULL), "1");
}
END_TEST

START_TEST(a_replan_keeps_the_published_stops)
{
	static struct world x;
	world_new(&x);
	hub_put(&x);
	requests_many(&x);
	struct th_resp *r = expect(plan_post(&x, x.w.admin, 3, true), 201);
	char plan[37];
	snprintf(plan, sizeof plan, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_resp_free(expect(th_call("POST", x.w.admin, NULL, "/v1/pickup-plans/%s/publish", plan), 200));
	/* the published order per vehicle */
	char before[4096];
	th_sql_copyp(before, sizeof before,
	             "SELECT string_agg(vehicle || ':' || id::text, ',' ORDER BY vehicle, stop_no)"
	             " FROM pickup_requests WHERE warehouse_id = $1 AND state = 'published'",
	             x.w.wh_id, NULL);
	/* two more requests arrive; the re-plan keeps the published stops where they are */
	request_new(&x, HUB_LAT + 0.03, HUB_LON - 0.02, 10 * 3600, 14 * 3600, 1, 4000);
	request_new(&x, HUB_LAT - 0.03, HUB_LON + 0.02, 11 * 3600, 15 * 3600, 2, 6000);
	const char *ids[64];
	for (int i = 0; i < x.n; i++)
		ids[i] = x.reqs[i].id;
	r = expect(plan_post(&x, x.w.admin, 3, true), 201);
	check_plan(&x, r->json, ids, x.n);
	/* each published stop on its vehicle, the published ones in their order */
	const cJSON *rt;
	char after[4096] = "";
	size_t k = 0;
	cJSON_ArrayForEach(rt, th_at(r->json, "routes")) {
		const cJSON *st;
		cJSON_ArrayForEach(st, th_at(rt, "stops")) {
			char needle[80];
			snprintf(needle, sizeof needle, "%s:%s", th_str(rt, "vehicle"), th_str(st, "request"));
			if (strstr(before, needle))
				k += (size_t)snprintf(after + k, sizeof after - k, "%s%s", k ? "," : "", needle);
		}
	}
	/* routes come in vehicle order of the fleet, not by code: compare as sets in order */
	char sorted[4096];
	th_sql_copyp(sorted, sizeof sorted,
	             "SELECT string_agg(x, ',' ORDER BY split_part(x, ':', 1), o)"
	             " FROM unnest(string_to_array($1, ',')) WITH ORDINALITY AS t(x, o)", after,
	             NULL);
	ck_assert_str_eq(sorted, before);
	char plan2[37];
	snprintf(plan2, sizeof plan2, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	th_resp_free(expect(th_call("POST", x.w.admin, NULL, "/v1/pickup-plans/%s/publish", plan2), 200));
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM pickup_plans WHERE id = $1", plan, NULL),
	                 "superseded");
	/* a re-plan that does not keep them is free to move them, and is still feasible */
	r = expect(plan_post(&x, x.w.admin, 4, false), 201);
	check_plan(&x, r->json, ids, x.n);
	th_resp_free(r);
}
END_TEST

START_TEST(plans_are_the_same_for_the_same_seed)
{
	static struct world x;
	world_new(&x);
	hub_put(&x);
	requests_many(&x);
	struct th_resp *a = expect(plan_post(&x, x.platform, 11, true), 201);
	struct th_resp *b = expect(plan_post(&x, x.platform, 11, true), 201);
	cJSON_DeleteItemFromObject(a->json, "id");
	cJSON_DeleteItemFromObject(b->json, "id");
	ck_assert_msg(!cJSON_IsTrue(th_at(a->json, "stopped_by_time")), "the plan was cut by time");
	ck_assert(cJSON_Compare(a->json, b->json, true));
	th_resp_free(a);
	th_resp_free(b);
	/* no pickup settings: 409; an unknown hub: 422 naming warehouse */
	struct rcv_world other;
	rcv_world_new(&other, 0);
	a = th_reqf("POST", "/v1/pickup-plans", x.platform,
	            "{\"warehouse\":\"%s\",\"date\":\"" DAY "\"}", other.wh);
	ck_assert(th_problem(a, 409, NULL, NULL));
	a = th_reqf("POST", "/v1/pickup-plans", x.platform,
	            "{\"warehouse\":\"NO-SUCH-HUB\",\"date\":\"" DAY "\"}");
	ck_assert(th_problem(a, 422, "warehouse", NULL));
}
END_TEST

/* Two publishes racing: each child takes one plan id from the pipe (one byte each). */
struct race {
	int fd;
	char plans[2][37];
	char key[AUTH_KEY_LEN + 1];
};

static struct th_resp *publish_one(void *arg)
{
	struct race *rc = arg;
	char k = 0;
	if (read(rc->fd, &k, 1) != 1 || (k != '0' && k != '1'))
		k = '0';
	return th_call("POST", rc->key, NULL, "/v1/pickup-plans/%s/publish", rc->plans[k - '0']);
}

START_TEST(racing_publishes_of_a_day_leave_one_plan_published)
{
	static struct world x;
	world_new(&x);
	hub_put(&x);
	requests_many(&x);
	static struct race rc;
	snprintf(rc.key, sizeof rc.key, "%s", x.platform);
	for (int i = 0; i < 2; i++) {
		struct th_resp *r = expect(plan_post(&x, x.platform, 20 + i, true), 201);
		snprintf(rc.plans[i], sizeof rc.plans[i], "%s", th_str(r->json, "id"));
		th_resp_free(r);
	}
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "01", 2), 2);
	rc.fd = p[0];
	long status[2];
	char ids[2][40];
	th_twins(publish_one, &rc, status, ids);
	close(p[0]);
	close(p[1]);
	/* serialized on the day's plans: both publish, the later supersedes the earlier */
	ck_assert_int_eq(status[0], 200);
	ck_assert_int_eq(status[1], 200);
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(state, ',' ORDER BY state) FROM pickup_plans"
	                               " WHERE warehouse_id = $1", x.w.wh_id, NULL),
	                 "published,superseded");
	/* every published request belongs to the published plan, and all its stops are published */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FILTER (WHERE r.plan_id IS DISTINCT FROM p.id)"
	                               " || ' ' || (count(*) = (SELECT count(*) FROM"
	                               "   jsonb_array_elements(p.doc->'routes') rt,"
	                               "   jsonb_array_elements(rt->'stops')))::text"
	                               " FROM pickup_requests r JOIN pickup_plans p ON"
	                               " p.warehouse_id = r.warehouse_id AND p.state = 'published'"
	                               " WHERE r.warehouse_id = $1 AND r.state = 'published'"
	                               " GROUP BY p.id, p.doc", x.w.wh_id, NULL),
	                 "0 true");
	/* the same draft twice at once: one publishes, the other finds it published */
	struct th_resp *r = expect(plan_post(&x, x.platform, 30, true), 201);
	snprintf(rc.plans[0], sizeof rc.plans[0], "%s", th_str(r->json, "id"));
	snprintf(rc.plans[1], sizeof rc.plans[1], "%s", rc.plans[0]);
	th_resp_free(r);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "01", 2), 2);
	rc.fd = p[0];
	th_twins(publish_one, &rc, status, ids);
	close(p[0]);
	close(p[1]);
	ck_assert_int_eq(status[0] + status[1], 200 + 409);
}
END_TEST

Suite *pickups_suite(void);

Suite *pickups_suite(void)
{
	Suite *s = suite_create("pickups");
	TCase *tc = tcase_create("pickups");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, requests_are_validated_against_the_hub);
	tcase_add_test(tc, a_day_is_planned_published_and_collected);
	tcase_add_test(tc, a_replan_keeps_the_published_stops);
	tcase_add_test(tc, plans_are_the_same_for_the_same_seed);
	tcase_add_test(tc, racing_publishes_of_a_day_leave_one_plan_published);
	suite_add_tcase(s, tc);
	return s;
}
