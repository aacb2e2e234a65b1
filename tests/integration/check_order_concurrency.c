/* check_order_concurrency.c — reservation is exact under concurrency (not timed): 64 client
 * processes order the last 100 units of a SKU at once, some sending the same order twice at
 * the same moment; exactly 100 units end up allocated, each order once, the rest
 * unfulfillable. Then orders are placed, cancelled, held and released by racing clients, and
 * cancellations race operators claiming and picking the same orders; no reservation is left
 * behind, nothing goes negative, on-hand equals the movements and reserved equals the open
 * reservations after each storm. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"

#define CLIENTS 64
#define ORDERS 4 /* per client */

/* Forks n (at most CLIENTS) processes running fn(i, arg); returns how many failed. */
static int run_all(int n, int (*fn)(int, const void *), const void *arg)
{
	pid_t pids[CLIENTS];
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(fn(i, arg) == 0 ? 0 : 1);
	}
	int failed = 0;
	for (int i = 0; i < n; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	return failed;
}

struct storm {
	const struct ob_world *o;
	char run[24]; /* a prefix making this run's client_order_ids unique */
};

/* One order of 1 unit of SKU-R; 201 in either state is fine, anything else a failure. */
static int order_one(const struct storm *s, const char *cid)
{
	struct th_resp *r = ob_order(s->o, cid, "semi_warehouse",
	                             "[{\"sku\":\"SKU-R\",\"qty\":1,\"unit_price\":500}]", 500);
	const char *st = r->status == 201 ? th_str(r->json, "state") : NULL;
	int ok = st && (strcmp(st, "allocated") == 0 || strcmp(st, "unfulfillable") == 0);
	if (!ok)
		fprintf(stderr, "order %s answered %ld: %s\n", cid, r->status, r->body);
	th_resp_free(r);
	return ok ? 0 : 1;
}

/* Client c places ORDERS orders; every other one is also sent by a forked twin at the same
 * moment (the same client_order_id and body). */
static int buyer(int c, const void *arg)
{
	const struct storm *s = arg;
	int bad = 0;
	for (int j = 0; j < ORDERS; j++) {
		char cid[64];
		snprintf(cid, sizeof cid, "%s-%d-%d", s->run, c, j);
		if (j % 2 == 0) {
			bad += order_one(s, cid);
			continue;
		}
		pid_t twin = fork();
		if (twin == 0)
			_exit(order_one(s, cid));
		bad += order_one(s, cid);
		int st;
		waitpid(twin, &st, 0);
		bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	return bad;
}

START_TEST(sixty_four_clients_ordering_the_last_hundred_units_get_exactly_a_hundred)
{
	struct ob_world o;
	char g[15], e[14];
	ob_world_new(&o);
	ob_sku_new(&o, "SKU-R", g, e);
	ob_stock(&o, "SKU-R", "S-01", "L1", "2099-01-31", 40);
	ob_stock(&o, "SKU-R", "S-02", "L2", "2099-06-30", 35);
	ob_stock(&o, "SKU-R", "S-03", "", NULL, 25);
	struct storm s = {.o = &o};
	snprintf(s.run, sizeof s.run, "%s", th_code("LAST"));
	ck_assert_int_eq(run_all(CLIENTS, buyer, &s), 0);

	char like[40];
	snprintf(like, sizeof like, "%s-%%", s.run);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM orders WHERE client_order_id LIKE $1",
	                               like, NULL), TH_INT(CLIENTS * ORDERS));
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM orders WHERE client_order_id LIKE $1"
	                               " AND state = 'allocated'", like, NULL), "100");
	ck_assert_str_eq(th_sql_valuep("SELECT coalesce(sum(x.qty), 0) FROM order_reservations x"
	                               " WHERE x.warehouse_id = $1", o.w.wh_id, NULL), "100");
	ck_assert_int_eq(ob_reserved(&o, "SKU-R"), 100);
	ck_assert_int_eq(ob_free(&o, "SKU-R"), 0);
	/* first expired first out held across the storm: L1 and L2 are wholly reserved too */
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM inventory_onhand WHERE warehouse_id = $1"
	                               " AND qty <> reserved", o.w.wh_id, NULL), "0");
	ck_assert(ob_invariants(&o));
}
END_TEST

/* Client c: places 3 orders of 2 units, then cancels the first, holds and releases the
 * second, and cancels the third while another client's twin cancels it too. */
static int churner(int c, const void *arg)
{
	const struct storm *s = arg;
	int bad = 0;
	char ids[3][37] = {"", "", ""};
	for (int j = 0; j < 3; j++) {
		char cid[64];
		snprintf(cid, sizeof cid, "%s-%d-%d", s->run, c, j);
		struct th_resp *r = ob_order(s->o, cid, "semi_warehouse",
		                             "[{\"sku\":\"SKU-C\",\"qty\":2,\"unit_price\":100}]", 200);
		if (r->status == 201 && th_str(r->json, "id"))
			snprintf(ids[j], sizeof ids[j], "%s", th_str(r->json, "id"));
		else
			bad++;
		th_resp_free(r);
	}
	/* an unfulfillable order (the stock ran out) cannot be cancelled, held or released: 409 */
	struct th_resp *r = th_call("POST", s->o->platform, NULL, "/v1/orders/%s/cancel", ids[0]);
	bad += r->status != 200 && r->status != 409;
	th_resp_free(r);
	r = th_call("POST", s->o->platform, "{\"reason\":\"check\"}", "/v1/orders/%s/hold", ids[1]);
	bad += r->status != 200 && r->status != 409;
	th_resp_free(r);
	r = th_call("POST", s->o->platform, NULL, "/v1/orders/%s/release-hold", ids[1]);
	bad += r->status != 200 && r->status != 409;
	th_resp_free(r);
	pid_t twin = fork();
	if (twin == 0) {
		struct th_resp *t = th_call("POST", s->o->platform, NULL, "/v1/orders/%s/cancel", ids[2]);
		int ok = t->status == 200 || t->status == 409;
		th_resp_free(t);
		_exit(ok ? 0 : 1);
	}
	r = th_call("POST", s->o->platform, NULL, "/v1/orders/%s/cancel", ids[2]);
	bad += r->status != 200 && r->status != 409;
	th_resp_free(r);
	int st;
	waitpid(twin, &st, 0);
	bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return bad;
}

START_TEST(cancellations_and_holds_racing_orders_leave_no_reservation_behind)
{
	struct ob_world o;
	char g[15], e[14];
	ob_world_new(&o);
	ob_sku_new(&o, "SKU-C", g, e);
	ob_stock(&o, "SKU-C", "S-01", "", NULL, 30);
	ob_stock(&o, "SKU-C", "S-04", "", NULL, 30);
	struct storm s = {.o = &o};
	snprintf(s.run, sizeof s.run, "%s", th_code("CHURN"));
	ck_assert_int_eq(run_all(32, churner, &s), 0);

	char like[40];
	snprintf(like, sizeof like, "%s-%%", s.run);
	/* what stays reserved is exactly the live orders' 2 units each */
	const char *live = th_sql_valuep("SELECT count(*) * 2 FROM orders WHERE client_order_id LIKE $1"
	                                 " AND state IN ('allocated', 'on_hold')", like, NULL);
	ck_assert_int_eq(ob_reserved(&o, "SKU-C"), atoll(live));
	ck_assert_int_eq(ob_reserved(&o, "SKU-C") + ob_free(&o, "SKU-C"), 60);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM orders WHERE client_order_id LIKE $1"
	                               " AND state = 'cancelled' AND escrow <> 'refunded'", like, NULL),
	                 "0");
	/* the 60 units made 30 orders allocatable at first: the storm did cancel some */
	ck_assert_int_ge(atoi(th_sql_valuep("SELECT count(*) FROM orders WHERE client_order_id LIKE $1"
	                                    " AND state = 'cancelled'", like, NULL)), 1);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM order_reservations x JOIN orders d"
	                               " ON d.seller_id = x.seller_id AND d.id = x.order_id"
	                               " WHERE x.warehouse_id = $1 AND d.state = 'cancelled'",
	                               o.w.wh_id, NULL), "0");
	ck_assert(ob_invariants(&o));
}
END_TEST

#define PICK_ORDERS 48
#define PICKERS 8
#define CANCELLERS 8

struct race {
	const struct ob_world *o;
	char ids[PICK_ORDERS][37];
	char keys[PICKERS][AUTH_KEY_LEN + 1]; /* one staff key per picker */
};

/* Picker p claims lists (3 orders at most) and picks every task in walk order, until no work
 * is left. A task's units are picked in one scan of its bin and item. */
static int picker(int p, const void *arg)
{
	const struct race *rc = arg;
	const char *key = rc->keys[p];
	for (int round = 0; round < 64; round++) {
		struct th_resp *r = th_reqf("POST", "/v1/pick-lists/claim", key, "{\"max_orders\":3}");
		if (r->status != 200) {
			fprintf(stderr, "claim answered %ld: %s\n", r->status, r->body);
			th_resp_free(r);
			return 1;
		}
		if (strcmp(th_str(r->json, "claimed"), "none") == 0) {
			th_resp_free(r);
			return 0;
		}
		char list[37];
		snprintf(list, sizeof list, "%s", th_str(r->json, "id"));
		const cJSON *t;
		int bad = 0;
		cJSON_ArrayForEach(t, th_at(r->json, "tasks")) {
			int left = (int)th_num(t, "qty", 0) - (int)th_num(t, "picked", 0);
			if (left <= 0)
				continue;
			char scan[37];
			rcv_uuid(scan);
			struct th_resp *s = th_reqf("POST", "/v1/pick/scans", key,
			                            "{\"scan_id\":\"%s\",\"pick_list\":\"%s\",\"bin\":\"%s\","
			                            "\"gtin\":\"%s\",\"qty\":%d}", scan, list,
			                            th_str(t, "bin"), th_str(t, "gtin"), left);
			if (s->status != 200) {
				fprintf(stderr, "pick scan answered %ld: %s\n", s->status, s->body);
				bad++;
			}
			th_resp_free(s);
		}
		th_resp_free(r);
		if (bad)
			return 1;
	}
	return 1; /* never ran out of work: something loops */
}

/* Canceller c cancels every order whose index is c modulo CANCELLERS: 200 while the order is
 * allocated, 409 once a picker claimed it. */
static int canceller(int c, const void *arg)
{
	const struct race *rc = arg;
	int bad = 0;
	for (int i = c; i < PICK_ORDERS; i += CANCELLERS) {
		struct th_resp *r = th_call("POST", rc->o->platform, NULL, "/v1/orders/%s/cancel",
		                            rc->ids[i]);
		if (r->status != 200 && r->status != 409) {
			fprintf(stderr, "cancel answered %ld: %s\n", r->status, r->body);
			bad++;
		}
		th_resp_free(r);
	}
	return bad;
}

static int picker_or_canceller(int i, const void *arg)
{
	return i < PICKERS ? picker(i, arg) : canceller(i - PICKERS, arg);
}

START_TEST(cancellations_racing_picks_leave_no_reservation_behind_and_nothing_negative)
{
	struct ob_world o;
	char g[15], e[14];
	ob_world_new(&o);
	ob_sku_new(&o, "SKU-X", g, e);
	ob_stock(&o, "SKU-X", "S-01", "", NULL, 30);
	ob_stock(&o, "SKU-X", "S-02", "", NULL, 30);
	ob_stock(&o, "SKU-X", "S-03", "", NULL, 30);
	ob_stock(&o, "SKU-X", "S-04", "", NULL, 30);
	static struct race rc;
	memset(&rc, 0, sizeof rc);
	rc.o = &o;
	for (int i = 0; i < PICK_ORDERS; i++)
		ob_order_new(&o, "[{\"sku\":\"SKU-X\",\"qty\":2,\"unit_price\":100}]", 200, rc.ids[i]);
	for (int p = 0; p < PICKERS; p++)
		snprintf(rc.keys[p], sizeof rc.keys[p], "%s", th_key(AUTH_STAFF, o.w.wh));
	ck_assert_int_eq(run_all(PICKERS + CANCELLERS, picker_or_canceller, &rc), 0);

	/* every order was either cancelled before a picker took it, or picked whole */
	int cancelled = 0, picked = 0;
	for (int i = 0; i < PICK_ORDERS; i++) {
		const char *st = th_sql_valuep("SELECT state FROM orders WHERE id = $1", rc.ids[i], NULL);
		if (strcmp(st, "cancelled") == 0) {
			cancelled++;
			ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM order_reservations"
			                               " WHERE warehouse_id = $1 AND order_id = $2",
			                               o.w.wh_id, rc.ids[i], NULL), "0");
		} else {
			ck_assert_msg(strcmp(st, "picking") == 0, "order %d is %s", i, st);
			picked++;
			ck_assert_str_eq(th_sql_valuep("SELECT sum(picked) || '/' || sum(qty)"
			                               " FROM order_reservations WHERE warehouse_id = $1"
			                               " AND order_id = $2", o.w.wh_id, rc.ids[i], NULL),
			                 "2/2");
		}
	}
	ck_assert_int_eq(cancelled + picked, PICK_ORDERS);
	/* picked units wait in PACKING, reserved; the cancelled ones are free again */
	char want_packing[24];
	snprintf(want_packing, sizeof want_packing, "%d", 2 * picked);
	ck_assert_str_eq(th_sql_valuep("SELECT coalesce(sum(x.qty), 0) || '' FROM inventory_onhand x"
	                               " JOIN bins b ON b.warehouse_id = x.warehouse_id AND b.id = x.bin_id"
	                               " WHERE x.warehouse_id = $1 AND b.code = 'PACKING'", o.w.wh_id,
	                               NULL), want_packing);
	ck_assert_int_eq(ob_reserved(&o, "SKU-X"), 2 * picked);
	ck_assert_int_eq(ob_free(&o, "SKU-X"), 120 - 2 * picked);
	ck_assert(ob_invariants(&o));
}
END_TEST

Suite *order_concurrency_suite(void);
Suite *order_concurrency_suite(void)
{
	Suite *s = suite_create("order_concurrency");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, sixty_four_clients_ordering_the_last_hundred_units_get_exactly_a_hundred);
	tcase_add_test(tc, cancellations_and_holds_racing_orders_leave_no_reservation_behind);
	tcase_add_test(tc, cancellations_racing_picks_leave_no_reservation_behind_and_nothing_negative);
	suite_add_tcase(s, tc);
	return s;
}
