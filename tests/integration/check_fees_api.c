/* check_fees_api.c — fees over HTTP and the CLI against real PostgreSQL: the
 * ledger lines and statement of a semi_warehouse and a full inbound close
 * (waived and platform-borne fees at net 0, the 60% advance of popular SKUs,
 * totals, savings, outstanding advance, no second charge on a retried
 * close); a policy version added mid-period applies only from its valid_from
 * (storage days on both sides); overlapping versions rejected (409) by the
 * endpoints and by the schema; storage accrual idempotent; tenant scope of
 * statements (404); validation of the admin endpoints; ledger pages; the
 * seeded policies equal fee_policy_defaults().
 *
 * Shipments about to close are written with SQL (state receiving, counts
 * received); the close itself goes through POST /v1/inbound-shipments/{id}/close.
 * Stock for storage days is written as backdated receipt movements. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/fees/fees_load.h"
#include "tests/harness/th.h"

typedef char key_buf[AUTH_KEY_LEN + 1];
typedef char id_buf[37];
typedef char code_buf[64];

#define COPY(dst, src) snprintf(dst, sizeof dst, "%s", src)

/* Asserts the status (printing the body on mismatch); returns r to read
 * (th_expect frees it). */
static struct th_resp *expect(struct th_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
	ck_assert_int_eq(r->status, status);
	return r;
}

/* The UTC date days from today, YYYY-MM-DD. */
static void day(int days, char out[11])
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A world for one test: admin key, a warehouse, a USD seller and its key. */
struct world {
	key_buf admin, seller_key;
	code_buf wh, seller;
	id_buf wh_id, seller_id;
};

static void world_new(struct world *w)
{
	char body[256];
	COPY(w->admin, th_key(AUTH_ADMIN, NULL));
	COPY(w->wh, th_code("FWH"));
	snprintf(body, sizeof body,
	         "{\"code\":\"%s\",\"name\":\"Fees WH\",\"country\":\"ES\","
	         "\"time_zone\":\"Europe/Madrid\",\"kind\":\"fulfillment_center\"}",
	         w->wh);
	th_expect(th_req("POST", "/v1/warehouses", w->admin, body, NULL, NULL), 201);
	COPY(w->wh_id, th_sql_valuep("SELECT id FROM warehouses WHERE code = $1", w->wh, NULL));
	COPY(w->seller, th_code("FSL"));
	snprintf(body, sizeof body,
	         "{\"code\":\"%s\",\"name\":\"Fees seller\",\"country\":\"CN\",\"currency\":\"USD\"}",
	         w->seller);
	struct th_resp *r = expect(th_req("POST", "/v1/sellers", w->admin, body, NULL, NULL), 201);
	COPY(w->seller_id, th_str(r->json, "id"));
	th_resp_free(r);
	COPY(w->seller_key, th_key(AUTH_SELLER, w->seller));
}

/* A SKU of the world's seller (dimensions in mm, declared value in US
 * cents); writes its id. */
static void sku_new(const struct world *w, const char *code, bool popular, long value, int l,
                    int wd, int h, id_buf id)
{
	char body[512];
	snprintf(body, sizeof body,
	         "{\"sku_code\":\"%s\",\"name\":\"Item\",\"category\":\"home\",\"weight_g\":300,"
	         "\"dimensions_mm\":{\"length\":%d,\"width\":%d,\"height\":%d},"
	         "\"declared_value\":{\"amount\":%ld,\"currency\":\"USD\"},\"popular\":%s}",
	         code, l, wd, h, value, popular ? "true" : "false");
	struct th_resp *r =
	    expect(th_call("POST", w->admin, body, "/v1/sellers/%s/skus", w->seller), 201);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

/* A shipment of mode in state, started receiving days_ago days ago, with
 * one line per SKU: expected, good, damaged. Writes its id. */
static void shipment_new(const struct world *w, const char *mode, const char *state, int days_ago,
                         int n, const char *const *skus, const int (*counts)[3], id_buf id)
{
	th_sql_copyp(id, 37, "INSERT INTO inbound_shipments (warehouse_id, seller_id, mode, state,"
	             " handover, expected_arrival, arrived_at, receiving_at, closed_at)"
	             " VALUES ($1, $2, $3, $4, 'drop_off', current_date,"
	             " now() - make_interval(days => $5::int),"
	             " now() - make_interval(days => $5::int),"
	             " CASE WHEN $4::text = 'closed' THEN now() - make_interval(days => $5::int)"
	             " END) RETURNING id", w->wh_id, w->seller_id, mode, state, TH_INT(days_ago),
	             NULL);
	for (int i = 0; i < n; i++)
		th_sqlp("INSERT INTO inbound_lines (warehouse_id, shipment_id, line_no, seller_id, sku_id,"
		        " expected, received_good, received_damaged)"
		        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		        w->wh_id, id, TH_INT(i + 1), w->seller_id, skus[i], TH_INT(counts[i][0]),
		        TH_INT(counts[i][1]), TH_INT(counts[i][2]), NULL);
}

/* Stock of a SKU received days_ago days ago (a backdated receipt movement). */
static void stock_backdated(const struct world *w, const char *sku_id, int qty, int days_ago)
{
	th_sqlp("SELECT inventory_post($1, jsonb_build_array(jsonb_build_object('seller_id', $2::uuid,"
	        " 'sku_id', $3::uuid, 'qty', $4::int, 'to_bin', b.id, 'to_status', 'sellable')),"
	        " 'inbound_receipt', 'test', 'fees', NULL, now() - make_interval(days => $5::int))"
	        " FROM bins b WHERE b.warehouse_id = $1 AND b.code = 'RECEIVING'",
	        w->wh_id, w->seller_id, sku_id, TH_INT(qty), TH_INT(days_ago), NULL);
}

/* A new world whose seller has qty units of one SKU (l × wd × h mm) in the
 * warehouse since days_ago days, received by a closed shipment of mode.
 * Writes the SKU's id. */
static void stocked_world(struct world *w, const char *sku_code, int l, int wd, int h, int qty,
                          const char *mode, int days_ago, id_buf sku)
{
	id_buf sh;
	world_new(w);
	sku_new(w, sku_code, false, 1000, l, wd, h, sku);
	const char *skus[] = {sku};
	const int counts[][3] = {{qty, qty, 0}};
	shipment_new(w, mode, "closed", days_ago, 1, skus, counts, sh);
	stock_backdated(w, sku, qty, days_ago);
}

/* Runs `wmsd accrue-storage` with args; returns its exit status and its
 * first output line in out. */
static int accrue(const char *args, char *out, size_t n)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "'%s' accrue-storage %s 2>&1", getenv("WMSD"), args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	out[0] = '\0';
	if (!fgets(out, (int)n, p))
		out[0] = '\0';
	char sink[512];
	while (fgets(sink, sizeof sink, p))
		;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The seller's ledger lines (newest first) as a parsed array; the caller
 * frees the response. */
static struct th_resp *ledger(const char *key, const char *seller)
{
	return expect(th_call("GET", key, NULL, "/v1/sellers/%s/ledger?limit=200", seller), 200);
}

/* The ledger item with event_type/fee_type (and event_id when not NULL). */
static const cJSON *line_of(const struct th_resp *r, const char *event_type, const char *event_id,
                            const char *fee_type)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, th_at(r->json, "items"))
		if (strcmp(th_str(it, "event_type"), event_type) == 0 &&
		    strcmp(th_str(it, "fee_type"), fee_type) == 0 &&
		    (!event_id || strcmp(th_str(it, "event_id"), event_id) == 0))
			return it;
	fprintf(stderr, "no %s/%s line in %s\n", event_type, fee_type, r->body);
	return NULL;
}

static void check_amounts(const cJSON *l, const char *treatment, double gross, double net)
{
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(th_str(l, "treatment"), treatment);
	ck_assert_int_eq((long)th_num(l, "gross", -1), (long)gross);
	ck_assert_int_eq((long)th_num(l, "net", -1), (long)net);
	ck_assert_int_eq((long)th_num(l, "waived", -1), (long)(gross - net));
	ck_assert_str_eq(th_str(l, "currency"), "USD");
}

/* The statement's entry of by_currency for USD. */
static const cJSON *usd(const cJSON *statement)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, th_at(statement, "by_currency"))
		if (strcmp(th_str(it, "currency"), "USD") == 0)
			return it;
	return NULL;
}

/* The statement's totals entry of fee_type. */
static const cJSON *total(const cJSON *statement, const char *fee_type)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, th_at(statement, "totals"))
		if (strcmp(th_str(it, "fee_type"), fee_type) == 0)
			return it;
	return NULL;
}

static struct th_resp *statement_today(const char *key, const char *seller)
{
	char from[11], to[11];
	day(-1, from);
	day(1, to);
	return expect(th_call("GET", key, NULL, "/v1/sellers/%s/statement?from=%s&to=%s", seller, from,
	                      to),
	              200);
}

START_TEST(semi_warehouse_close_waives_and_advances)
{
	struct world w;
	id_buf pop_sku, plain_sku, sh;
	world_new(&w);
	sku_new(&w, "EB-1", true, 1500, 80, 60, 40, pop_sku);
	sku_new(&w, "LAMP-1", false, 2400, 300, 200, 150, plain_sku);
	const char *skus[] = {pop_sku, plain_sku};
	const int counts[][3] = {{100, 98, 2}, {10, 10, 0}};
	shipment_new(&w, "semi_warehouse", "receiving", 0, 2, skus, counts, sh);

	th_expect(th_call("POST", w.admin, NULL, "/v1/inbound-shipments/%s/close", sh), 200);

	struct th_resp *r = ledger(w.seller_key, "me");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 2);
	/* 110 units handled × 0.30 = 33.00 USD, waived */
	const cJSON *op = line_of(r, "inbound_close", sh, "inbound_operation");
	check_amounts(op, "waived", 3300, 0);
	ck_assert_str_eq(th_str(op, "direction"), "debit");
	ck_assert_str_eq(th_str(op, "mode"), "semi_warehouse");
	ck_assert_ptr_nonnull(strstr(th_str(op, "reason"), "110 units × 0.30 USD = 33.00 USD, waived"));
	ck_assert_int_eq((long)th_num(op, "line_no", 0), 1);
	/* 60% of 98 good units × 15.00 USD = 882.00 USD, only for the popular SKU */
	const cJSON *adv = line_of(r, "inbound_close", sh, "advance");
	check_amounts(adv, "charged", 88200, 88200);
	ck_assert_str_eq(th_str(adv, "direction"), "credit");
	ck_assert_str_eq(th_str(adv, "sku_id"), pop_sku);
	ck_assert_int_eq((long)th_num(adv, "line_no", 0), 2);
	ck_assert_ptr_nonnull(strstr(th_str(adv, "reason"), "advance 60% of 98 good units"));
	th_resp_free(r);

	/* a retried close is refused by the state guard and charges nothing */
	th_expect(th_call("POST", w.admin, NULL, "/v1/inbound-shipments/%s/close", sh), 409);
	char n[16];
	COPY(n, th_sql_valuep("SELECT count(*) FROM seller_ledger WHERE seller_id = $1"
	                      " AND event_type = 'inbound_close' AND event_id = $2",
	                      w.seller_id, sh, NULL));
	ck_assert_str_eq(n, "2");

	r = statement_today(w.seller_key, "me");
	ck_assert_str_eq(th_str(r->json, "seller.code"), w.seller);
	ck_assert_int_eq((long)th_num(r->json, "lines_total", -1), 2);
	const cJSON *t = total(r->json, "inbound_operation");
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq((long)th_num(t, "gross", -1), 3300);
	ck_assert_int_eq((long)th_num(t, "waived", -1), 3300);
	ck_assert_int_eq((long)th_num(t, "net", -1), 0);
	t = total(r->json, "advance");
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq((long)th_num(t, "net", -1), 88200);
	const cJSON *u = usd(r->json);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq((long)th_num(u, "credits", -1), 88200);
	ck_assert_int_eq((long)th_num(u, "debits", -1), 0);
	ck_assert_int_eq((long)th_num(u, "balance", -1), 88200);
	ck_assert_int_eq((long)th_num(u, "saved", -1), 3300);
	ck_assert_int_eq((long)th_num(u, "advance_outstanding", -1), 88200);
	th_resp_free(r);

	/* admin names the seller by code, platform by id: the same statement */
	r = statement_today(w.admin, w.seller);
	ck_assert_int_eq((long)th_num(usd(r->json), "saved", -1), 3300);
	th_resp_free(r);
	r = statement_today(th_key(AUTH_PLATFORM, NULL), w.seller_id);
	ck_assert_int_eq((long)th_num(usd(r->json), "advance_outstanding", -1), 88200);
	th_resp_free(r);
}
END_TEST

START_TEST(full_close_is_platform_borne)
{
	struct world w;
	id_buf sku, sh;
	world_new(&w);
	sku_new(&w, "MUG-1", true, 450, 120, 100, 100, sku);
	const char *skus[] = {sku};
	const int counts[][3] = {{50, 47, 3}};
	shipment_new(&w, "full", "receiving", 0, 1, skus, counts, sh);
	th_expect(th_call("POST", w.admin, NULL, "/v1/inbound-shipments/%s/close", sh), 200);

	struct th_resp *r = ledger(w.seller_key, "me");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1); /* no advance in full */
	const cJSON *op = line_of(r, "inbound_close", sh, "inbound_operation");
	check_amounts(op, "platform_borne", 1500, 0);
	ck_assert_str_eq(th_str(op, "mode"), "full");
	ck_assert_ptr_nonnull(strstr(th_str(op, "reason"), "borne by the platform"));
	th_resp_free(r);

	r = statement_today(w.seller_key, "me");
	const cJSON *u = usd(r->json);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq((long)th_num(u, "balance", -1), 0);
	ck_assert_int_eq((long)th_num(u, "saved", -1), 1500);
	ck_assert_int_eq((long)th_num(u, "advance_outstanding", -1), 0);
	ck_assert_ptr_null(total(r->json, "advance"));
	th_resp_free(r);
}
END_TEST

START_TEST(storage_accrual_is_idempotent)
{
	struct world w;
	id_buf sku;
	char out[512], yday[11], args[64], event_id[64];
	stocked_world(&w, "BOX-1", 100, 100, 100, 1000, "semi_warehouse", 10, sku); /* 1 m³ */
	day(-1, yday);
	snprintf(args, sizeof args, "--date %s", yday);
	snprintf(event_id, sizeof event_id, "%s:%s", w.wh_id, yday);

	ck_assert_int_eq(accrue(args, out, sizeof out), 0);
	ck_assert_int_eq(accrue(args, out, sizeof out), 0);
	ck_assert_msg(strstr(out, " 0 posted") != NULL, "second run posted: %s", out);
	struct th_resp *r = ledger(w.admin, w.seller_id);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	/* 1 m³ × 1.50 USD a day, waived for semi_warehouse, still written */
	const cJSON *l = line_of(r, "storage_day", event_id, "storage_rent");
	check_amounts(l, "waived", 150, 0);
	ck_assert_str_eq(th_str(l, "warehouse_id"), w.wh_id);
	th_resp_free(r);

	/* no day that has not ended; no malformed date */
	ck_assert_int_eq(accrue("--date 2999-01-01", out, sizeof out), 2);
	day(0, yday);
	snprintf(args, sizeof args, "--date %s", yday);
	ck_assert_int_eq(accrue(args, out, sizeof out), 2);
	ck_assert_int_eq(accrue("--date 2025-02-30", out, sizeof out), 2);
	ck_assert_int_eq(accrue("--when yesterday", out, sizeof out), 2);
}
END_TEST

/* A full policy posted by admin; returns the response (201 expected). */
static struct th_resp *post_full_policy(const char *admin, const char *valid_from,
                                        const char *platform_borne)
{
	char body[512];
	snprintf(body, sizeof body,
	         "{\"mode\":\"full\",\"valid_from\":\"%s\",\"commission_multiplier_bp\":0,"
	         "\"waived\":[],\"platform_borne\":[%s],\"storage_free_days\":0,"
	         "\"advance_rate_bp\":0,\"advance_requires_popular\":false,"
	         "\"recovery_share_bp\":10000,\"note\":\"test\"}",
	         valid_from, platform_borne);
	return th_req("POST", "/v1/fee-policies", admin, body, NULL, NULL);
}

START_TEST(policy_added_mid_period_applies_from_valid_from)
{
	static const char defaults[] = "\"pickup_fee\",\"inbound_operation\",\"outbound_operation\","
	                               "\"storage_rent\",\"return_handling\"";
	struct world w;
	id_buf sku;
	char d1[11], d2[11], d3[11], args[64], out[512], ev1[64], ev2[64];
	stocked_world(&w, "CRATE-1", 200, 100, 50, 1234, "full", 10, sku); /* 0.001 m³ a unit */
	day(-3, d1);
	day(-2, d2);
	day(-1, d3);

	/* from d2 the platform no longer bears storage; from d3 the defaults again */
	struct th_resp *r = expect(post_full_policy(w.admin, d2,
	                                            "\"pickup_fee\",\"inbound_operation\","
	                                            "\"outbound_operation\",\"return_handling\""),
	                           201);
	int v2 = (int)th_num(r->json, "version", 0);
	ck_assert_int_ge(v2, 2);
	th_resp_free(r);
	th_expect(post_full_policy(w.admin, d3, defaults), 201);

	/* history: the previous version was closed at d2, in the same statement */
	r = expect(th_req("GET", "/v1/fee-policies?mode=full", w.admin, NULL, NULL, NULL), 200);
	const cJSON *it;
	int closed_at_d2 = 0;
	char want[32];
	snprintf(want, sizeof want, "%sT00:00:00Z", d2);
	cJSON_ArrayForEach(it, th_at(r->json, "items"))
		closed_at_d2 |= (int)th_num(it, "version", 0) == v2 - 1 && th_str(it, "valid_to") &&
		                strcmp(th_str(it, "valid_to"), want) == 0;
	ck_assert_msg(closed_at_d2, "version %d not closed at %s: %s", v2 - 1, want, r->body);
	th_resp_free(r);

	snprintf(args, sizeof args, "--date %s", d1);
	ck_assert_int_eq(accrue(args, out, sizeof out), 0);
	snprintf(args, sizeof args, "--date %s", d2);
	ck_assert_int_eq(accrue(args, out, sizeof out), 0);
	snprintf(ev1, sizeof ev1, "%s:%s", w.wh_id, d1);
	snprintf(ev2, sizeof ev2, "%s:%s", w.wh_id, d2);

	r = ledger(w.seller_key, "me");
	/* 1234 units × 0.001 m³ = 1.234 m³ × 1.50 USD = 1.851 → 1.85 USD */
	const cJSON *before = line_of(r, "storage_day", ev1, "storage_rent");
	check_amounts(before, "platform_borne", 185, 0);
	ck_assert_int_eq((int)th_num(before, "policy_version", 0), v2 - 1);
	const cJSON *after = line_of(r, "storage_day", ev2, "storage_rent");
	check_amounts(after, "charged", 185, 185);
	ck_assert_int_eq((int)th_num(after, "policy_version", 0), v2);
	ck_assert_ptr_nonnull(strstr(th_str(after, "reason"), "1.234 m³ × 1.50 USD/m³·day = 1.85 USD"));
	th_resp_free(r);

	/* the statement of d1..d2 shows one charge and one saving */
	r = expect(th_call("GET", w.seller_key, NULL, "/v1/sellers/me/statement?from=%s&to=%s", d1, d3),
	           200);
	const cJSON *u = usd(r->json);
	ck_assert_int_eq((long)th_num(u, "debits", -1), 185);
	ck_assert_int_eq((long)th_num(u, "balance", -1), -185);
	ck_assert_int_eq((long)th_num(u, "saved", -1), 185);
	th_resp_free(r);
}
END_TEST

/* POSTs body to path as admin: 409 whose detail names needle. */
static void expect_overlap(const char *admin, const char *path, const char *body,
                           const char *needle)
{
	struct th_resp *r = th_req("POST", path, admin, body, NULL, NULL);
	ck_assert(th_is_problem(r, 409));
	ck_assert_msg(strstr(th_str(r->json, "detail"), needle), "no \"%s\" in %s", needle, r->body);
	th_resp_free(r);
}

/* Runs statement, which must fail with the PL/pgSQL condition cond. Both are
 * string literals, pasted at compile time: the SQL text stays constant. */
#define SQL_REFUSED(statement, cond)                                                             \
	th_sql("DO $$ BEGIN " statement "; RAISE EXCEPTION 'accepted: %', $q$" statement "$q$;"    \
	       " EXCEPTION WHEN " cond " THEN NULL; END $$")

START_TEST(overlapping_versions_rejected)
{
	key_buf admin;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	/* at or before the latest version's valid_from: 409 naming that version */
	expect_overlap(admin, "/v1/fee-policies",
	               "{\"mode\":\"semi_jit\",\"valid_from\":\"2020-01-01T00:00:00Z\","
	               "\"commission_multiplier_bp\":2500,\"waived\":[],\"platform_borne\":[],"
	               "\"storage_free_days\":0,\"advance_rate_bp\":0,"
	               "\"advance_requires_popular\":false,\"recovery_share_bp\":10000}",
	               "semi_jit policy v1");
	expect_overlap(
	    admin, "/v1/fee-schedules",
	    "{\"valid_from\":\"2019-06-01\",\"currency\":\"USD\",\"commission_default_bp\":800,"
	    "\"payment_fee_bp\":150,\"pickup_fixed\":500,\"pickup_per_kg\":120,"
	    "\"inbound_op_per_unit\":30,\"outbound_op_per_unit\":45,"
	    "\"storage_per_m3_day\":150,\"return_handling_per_unit\":200}",
	    "fee schedule v");
	/* the schema itself refuses an overlap, whoever writes, and any edit of a version */
	SQL_REFUSED("INSERT INTO fee_policies (mode, version, valid_from, valid_to,"
	            " commission_multiplier_bp, storage_free_days, advance_rate_bp,"
	            " advance_requires_popular, recovery_share_bp)"
	            " VALUES ('pop', 999, '2021-01-01', '2022-01-01', 10000, 0, 0, false, 10000)",
	            "exclusion_violation");
	SQL_REFUSED("INSERT INTO fee_schedules (version, valid_from, valid_to, currency,"
	            " commission_default_bp, payment_fee_bp, pickup_fixed, pickup_per_kg,"
	            " inbound_op_per_unit, outbound_op_per_unit, storage_per_m3_day,"
	            " return_handling_per_unit)"
	            " VALUES (999, '2021-01-01', '2022-01-01', 'USD', 1, 1, 1, 1, 1, 1, 1, 1)",
	            "exclusion_violation");
	SQL_REFUSED("UPDATE fee_policies SET commission_multiplier_bp = 1 WHERE mode = 'pop'",
	            "integrity_constraint_violation");
	SQL_REFUSED("DELETE FROM fee_schedules", "integrity_constraint_violation");
}
END_TEST

START_TEST(statement_tenant_scope)
{
	struct world a, b;
	world_new(&a);
	world_new(&b);
	ck_assert(
	    th_problem(th_call("GET", a.seller_key, NULL,
	                       "/v1/sellers/%s/statement?from=2026-01-01&to=2027-01-01", b.seller),
	               404, NULL, NULL));
	ck_assert(
	    th_problem(th_call("GET", a.seller_key, NULL,
	                       "/v1/sellers/%s/statement?from=2026-01-01&to=2027-01-01", b.seller_id),
	               404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", a.seller_key, NULL, "/v1/sellers/%s/ledger", b.seller_id),
	                     404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", a.admin, NULL,
	                             "/v1/sellers/me/statement?from=2026-01-01&to=2027-01-01"),
	                     404, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/sellers/me/ledger", th_key(AUTH_STAFF, a.wh), NULL,
	                            NULL, NULL),
	                     403, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/sellers/me/ledger", NULL, NULL, NULL, NULL), 401, NULL,
	                     NULL));
	/* the seller's own, by code: an empty period */
	struct th_resp *r =
	    expect(th_call("GET", a.seller_key, NULL,
	                   "/v1/sellers/%s/statement?from=2026-01-01&to=2027-01-01", a.seller),
	           200);
	ck_assert_int_eq((long)th_num(r->json, "lines_total", -1), 0);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "by_currency")), 0);
	th_resp_free(r);
}
END_TEST

/* POSTs body to path as admin: 422 naming each of the n fields. */
static void expect_invalid(const char *admin, const char *path, const char *body,
                           const char *const *fields, size_t n)
{
	struct th_resp *r = th_req("POST", path, admin, body, NULL, NULL);
	ck_assert(th_is_problem(r, 422));
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(th_has_field_error(r, fields[i]), "no error for %s: %s", fields[i], r->body);
	th_resp_free(r);
}

START_TEST(admin_validation)
{
	key_buf admin, seller;
	COPY(admin, th_key(AUTH_ADMIN, NULL));
	struct world w;
	world_new(&w);
	COPY(seller, w.seller_key);
	static const char *const fields[] = {
		"mode", "valid_from", "commission_multiplier_bp", "waived[1]", "platform_borne",
		"storage_free_days", "advance_rate_bp", "advance_requires_popular", "recovery_share_bp",
		"colour"};
	static const char *const sfields[] = {"currency", "commission_bp.Home", "commission_bp.toys",
	                                      "pickup_fixed", "return_handling_per_unit"};
	expect_invalid(admin, "/v1/fee-policies",
	               "{\"mode\":\"half\",\"valid_from\":\"2030-13-01\","
	               "\"commission_multiplier_bp\":10001,\"waived\":[\"storage_rent\",\"tea\"],"
	               "\"platform_borne\":\"storage_rent\",\"storage_free_days\":-2,"
	               "\"advance_rate_bp\":-1,\"advance_requires_popular\":\"yes\","
	               "\"colour\":\"red\"}",
	               fields, sizeof fields / sizeof fields[0]);
	ck_assert(th_problem(th_req("POST", "/v1/fee-policies", admin,
	                            "{\"mode\":\"full\",\"valid_from\":\"2030-01-01T00:00:00.5Z\","
	                            "\"commission_multiplier_bp\":0,\"waived\":[\"storage_rent\"],"
	                            "\"platform_borne\":[\"storage_rent\"],\"storage_free_days\":0,"
	                            "\"advance_rate_bp\":0,\"advance_requires_popular\":false,"
	                            "\"recovery_share_bp\":10000}",
	                            NULL, NULL),
	                     422, "platform_borne", NULL));
	expect_invalid(
	    admin, "/v1/fee-schedules",
	    "{\"valid_from\":\"2030-01-01\",\"currency\":\"XYZ\",\"commission_default_bp\":800,"
	    "\"commission_bp\":{\"Home\":100,\"toys\":20000},\"payment_fee_bp\":150,"
	    "\"pickup_fixed\":-1,\"pickup_per_kg\":120,\"inbound_op_per_unit\":30,"
	    "\"outbound_op_per_unit\":45,\"storage_per_m3_day\":150}",
	    sfields, sizeof sfields / sizeof sfields[0]);
	/* roles: only admin adds versions; platform reads them; sellers neither */
	ck_assert(
	    th_problem(th_req("POST", "/v1/fee-policies", seller, "{}", NULL, NULL), 403, NULL, NULL));
	ck_assert(
	    th_problem(th_req("GET", "/v1/fee-schedules", seller, NULL, NULL, NULL), 403, NULL, NULL));
	struct th_resp *r =
	    expect(th_req("GET", "/v1/fee-schedules", th_key(AUTH_PLATFORM, NULL), NULL, NULL, NULL),
	           200);
	ck_assert_int_ge(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	th_resp_free(r);
	ck_assert(th_problem(th_req("GET", "/v1/fee-policies?mode=half", admin, NULL, NULL, NULL), 400,
	                     NULL, NULL));
	/* statement and ledger query errors */
	ck_assert(th_problem(th_req("GET", "/v1/sellers/me/statement?from=2026-01-01", seller, NULL,
	                            NULL, NULL),
	                     400, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/sellers/me/statement?from=2026-02-01&to=2026-01-01",
	                            seller, NULL, NULL, NULL),
	                     400, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/sellers/me/statement?from=yesterday&to=2026-01-01",
	                            seller, NULL, NULL, NULL),
	                     400, NULL, NULL));
	ck_assert(
	    th_problem(th_req("GET", "/v1/sellers/me/ledger?cursor=abc", seller, NULL, NULL, NULL), 400,
	               NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/sellers/me/ledger?limit=0", seller, NULL, NULL, NULL),
	                     400, NULL, NULL));
}
END_TEST

START_TEST(ledger_pages)
{
	struct world w;
	id_buf a, b, c, sh;
	world_new(&w);
	sku_new(&w, "P-A", true, 100, 10, 10, 10, a);
	sku_new(&w, "P-B", true, 200, 10, 10, 10, b);
	sku_new(&w, "P-C", true, 300, 10, 10, 10, c);
	const char *skus[] = {a, b, c};
	const int counts[][3] = {{1, 1, 0}, {1, 1, 0}, {1, 1, 0}};
	shipment_new(&w, "semi_warehouse", "receiving", 0, 3, skus, counts, sh);
	th_expect(th_call("POST", w.admin, NULL, "/v1/inbound-shipments/%s/close", sh), 200);
	/* four lines: the operation line and three advances; pages of two */
	char path[256], seen[8][32];
	int n = 0;
	snprintf(path, sizeof path, "/v1/sellers/me/ledger?limit=2");
	for (int page = 0; page < 4; page++) {
		struct th_resp *r = expect(th_req("GET", path, w.seller_key, NULL, NULL, NULL), 200);
		const cJSON *it;
		ck_assert_int_le(cJSON_GetArraySize(th_at(r->json, "items")), 2);
		cJSON_ArrayForEach(it, th_at(r->json, "items")) {
			for (int k = 0; k < n; k++)
				ck_assert_str_ne(seen[k], th_str(it, "id"));
			ck_assert_int_lt(n, 8);
			COPY(seen[n], th_str(it, "id"));
			n++;
		}
		const char *next = th_str(r->json, "next_cursor");
		if (!next) {
			th_resp_free(r);
			break;
		}
		snprintf(path, sizeof path, "/v1/sellers/me/ledger?limit=2&cursor=%s", next);
		th_resp_free(r);
	}
	ck_assert_int_eq(n, 4);
}
END_TEST

START_TEST(seeded_policies_are_the_engine_defaults)
{
	static const char *const modes[] = {"pop", "semi_jit", "semi_warehouse", "full"};
	key_buf platform;
	COPY(platform, th_key(AUTH_PLATFORM, NULL));
	for (int m = 0; m < 4; m++) {
		char path[64], err[160];
		struct fee_policy want, got;
		int found = 0;
		snprintf(path, sizeof path, "/v1/fee-policies?mode=%s", modes[m]);
		struct th_resp *r = expect(th_req("GET", path, platform, NULL, NULL, NULL), 200);
		const cJSON *it;
		cJSON_ArrayForEach(it, th_at(r->json, "items")) {
			if ((int)th_num(it, "version", 0) != 1)
				continue;
			found = 1;
			ck_assert_msg(fees_policy_from_json(it, &got, err, sizeof err) == 0, "%s", err);
		}
		ck_assert(found);
		ck_assert_int_eq(fee_policy_defaults((enum fee_mode)m, &want), 0);
		ck_assert_str_eq(fee_mode_name(got.mode), modes[m]);
		ck_assert_int_eq(got.commission_multiplier_bp, want.commission_multiplier_bp);
		ck_assert_uint_eq(got.waived, want.waived);
		ck_assert_uint_eq(got.platform_borne, want.platform_borne);
		ck_assert_int_eq(got.storage_free_days, want.storage_free_days);
		ck_assert_int_eq(got.advance_rate_bp, want.advance_rate_bp);
		ck_assert_int_eq(got.advance_requires_popular, want.advance_requires_popular);
		ck_assert_int_eq(got.recovery_share_bp, want.recovery_share_bp);
		th_resp_free(r);
	}
}
END_TEST

/* The server's daily timer: a server told to accrue at the coming minute
 * charges yesterday's stock of a fresh seller by itself. */
START_TEST(server_timer_accrues_yesterday)
{
	struct world w;
	struct th_server srv;
	id_buf sku;
	char at[64], yday[11], n[16] = "";
	stocked_world(&w, "TIMER-1", 100, 100, 100, 500, "semi_warehouse", 5, sku);
	day(-1, yday);

	time_t now = time(NULL);
	time_t fire = now - now % 60 + (now % 60 > 45 ? 120 : 60); /* the next whole minute */
	struct tm tm;
	gmtime_r(&fire, &tm);
	strftime(at, sizeof at, "WMS_STORAGE_ACCRUAL_AT=%H:%M", &tm);
	const char *env[] = {at, NULL};
	th_server_start(&srv, env);
	for (int i = 0; i < 150 && strcmp(n, "1") != 0; i++) {
		sleep(1);
		COPY(n, th_sql_valuep("SELECT count(*) FROM seller_ledger WHERE seller_id = $1"
		                      " AND event_type = 'storage_day' AND event_id = $2::text || ':' || $3",
		                      w.seller_id, w.wh_id, yday, NULL));
	}
	ck_assert_int_eq(th_server_stop(&srv), 0);
	ck_assert_msg(strcmp(n, "1") == 0, "the timer (%s) posted %s lines", at, n);
}
END_TEST

Suite *fees_api_suite(void);
Suite *fees_api_suite(void)
{
	Suite *s = suite_create("fees_api");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	/* closes first: the mid-period test adds full policy versions */
	tcase_add_test(tc, semi_warehouse_close_waives_and_advances);
	tcase_add_test(tc, full_close_is_platform_borne);
	tcase_add_test(tc, ledger_pages);
	tcase_add_test(tc, seeded_policies_are_the_engine_defaults);
	tcase_add_test(tc, storage_accrual_is_idempotent);
	tcase_add_test(tc, policy_added_mid_period_applies_from_valid_from);
	tcase_add_test(tc, overlapping_versions_rejected);
	tcase_add_test(tc, statement_tenant_scope);
	tcase_add_test(tc, admin_validation);
	suite_add_tcase(s, tc);
	tc = tcase_create("timer");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 200);
	tcase_add_test(tc, server_timer_accrues_yesterday);
	suite_add_tcase(s, tc);
	return s;
}
