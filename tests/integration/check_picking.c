/* check_picking.c — picking over HTTP against real PostgreSQL: claims batch the most urgent
 * allocated orders (never held ones) and two operators never get the same orders or list;
 * a list's tasks follow the bin walk and every answer says what to scan next; wrong bins,
 * wrong items and over-picks are 409s naming what is expected and change nothing; a scan
 * counts exactly once; picked units land in PACKING still reserved, with the stock
 * invariants holding after every step; a short pick re-allocates from another bin, or makes
 * the line short and a wholly short order unfulfillable with its escrow refunded; a release
 * gives unpicked orders back and keeps picked ones for the next operator. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"

static void assert_problem_type(const struct th_resp *r, long status, const char *slug)
{
	char type[96];
	snprintf(type, sizeof type, "urn:wms:problem:%s", slug);
	ck_assert_msg(th_is_problem(r, status), "wanted %ld %s", status, slug);
	ck_assert_str_eq(th_str(r->json, "type"), type);
}

/* POST /v1/pick-lists/claim as key, with max_orders (0: the default). */
static struct th_resp *claim(const char *key, int max_orders)
{
	if (max_orders > 0)
		return th_reqf("POST", "/v1/pick-lists/claim", key, "{\"max_orders\":%d}", max_orders);
	return th_req("POST", "/v1/pick-lists/claim", key, NULL, NULL, NULL);
}

/* A claim that must answer a list; its id in id. */
static void claim_list(const char *key, int max_orders, char id[37])
{
	struct th_resp *r = claim(key, max_orders);
	ck_assert_msg(r->status == 200 && th_str(r->json, "id"), "claim: %ld %s", r->status, r->body);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

/* A pick scan with a fresh scan_id: item is `"gtin":"…"` or `"barcode":"…"` (NULL: a bin
 * scan), qty 0 leaves it out. The scan_id used goes to scan_id when not NULL. */
static struct th_resp *pick_scan(const char *key, const char *list, const char *bin,
                                 const char *item, int qty, char scan_id[37])
{
	char id[37], q[32] = "";
	rcv_uuid(id);
	if (scan_id)
		memcpy(scan_id, id, 37);
	if (qty)
		snprintf(q, sizeof q, ",\"qty\":%d", qty);
	return th_reqf("POST", "/v1/pick/scans", key,
	               "{\"scan_id\":\"%s\",\"pick_list\":\"%s\",\"bin\":\"%s\"%s%s%s}", id, list, bin,
	               item ? "," : "", item ? item : "", q);
}

/* A stock issue: at bin, counted units of item. */
static struct th_resp *stock_issue(const char *key, const char *list, const char *bin,
                                   const char *item, int counted)
{
	char id[37];
	rcv_uuid(id);
	return th_reqf("POST", "/v1/pick/stock-issue", key,
	               "{\"scan_id\":\"%s\",\"pick_list\":\"%s\",\"bin\":\"%s\",%s,\"counted\":%d}",
	               id, list, bin, item, counted);
}

/* `"gtin":"<gtin>"` in a static buffer of its own per slot (0..3). */
static const char *gtin_item(int slot, const char *gtin)
{
	static char buf[4][40];
	snprintf(buf[slot], sizeof buf[slot], "\"gtin\":\"%s\"", gtin);
	return buf[slot];
}

/* Sets an order's promise deadline to now + hours (the claim batches by it). */
static void set_deadline(const char *order, int hours)
{
	th_sqlp("UPDATE orders SET promise_deadline = now() + make_interval(hours => $2::int)"
	        " WHERE id = $1", order, TH_INT(hours), NULL);
}

static const char *order_state(const char *order)
{
	return th_sql_valuep("SELECT state FROM orders WHERE id = $1", order, NULL);
}

/* The units of sku on hand / reserved at bin (0 when no row). */
static long long at_bin(const struct ob_world *o, const char *sku, const char *bin,
                        const char *column)
{
	const char *sql = strcmp(column, "reserved") == 0
		? "SELECT coalesce(sum(h.reserved), 0) FROM inventory_onhand h JOIN bins b"
		  " ON b.warehouse_id = h.warehouse_id AND b.id = h.bin_id JOIN skus k ON k.id = h.sku_id"
		  " WHERE h.warehouse_id = $1 AND b.code = $2 AND k.sku_code = $3 AND k.seller_id = $4"
		: "SELECT coalesce(sum(h.qty), 0) FROM inventory_onhand h JOIN bins b"
		  " ON b.warehouse_id = h.warehouse_id AND b.id = h.bin_id JOIN skus k ON k.id = h.sku_id"
		  " WHERE h.warehouse_id = $1 AND b.code = $2 AND k.sku_code = $3 AND k.seller_id = $4";
	return atoll(th_sql_valuep(sql, o->w.wh_id, bin, sku, o->w.seller_id, NULL));
}

/* A centre with SKU-A (10 in S-02), SKU-B (10 in S-01), SKU-C (10 in S-03); gtins in g[]. */
struct picking {
	struct ob_world o;
	char g[3][15], e[3][14];
};

static void stocked(struct picking *p)
{
	ob_world_new(&p->o);
	ob_sku_new(&p->o, "SKU-A", p->g[0], p->e[0]);
	ob_sku_new(&p->o, "SKU-B", p->g[1], p->e[1]);
	ob_sku_new(&p->o, "SKU-C", p->g[2], p->e[2]);
	ob_stock(&p->o, "SKU-A", "S-02", "", NULL, 10);
	ob_stock(&p->o, "SKU-B", "S-01", "", NULL, 10);
	ob_stock(&p->o, "SKU-C", "S-03", "", NULL, 10);
}

#define LINE(sku, qty) "{\"sku\":\"" sku "\",\"qty\":" #qty ",\"unit_price\":100}"

START_TEST(claim_batches_the_most_urgent_allocated_orders_up_to_max_orders)
{
	struct picking p;
	char a[37], b[37], c[37], list[37];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-A", 1) "]", 100, a);
	ob_order_new(&p.o, "[" LINE("SKU-B", 1) "]", 100, b);
	ob_order_new(&p.o, "[" LINE("SKU-C", 1) "]", 100, c);
	set_deadline(a, 30);
	set_deadline(b, 50);
	set_deadline(c, 10);
	struct th_resp *r = claim(p.o.w.staff, 2);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "claimed"), "new");
	ck_assert_str_eq(th_str(r->json, "state"), "picking");
	ck_assert_str_eq(th_str(r->json, "warehouse"), p.o.w.wh);
	ck_assert_str_eq(th_str(r->json, "orders.0.id"), c);
	ck_assert_str_eq(th_str(r->json, "orders.1.id"), a);
	ck_assert_ptr_null(th_at(r->json, "orders.2"));
	ck_assert_str_eq(th_str(r->json, "orders.0.state"), "picking");
	snprintf(list, sizeof list, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	ck_assert_str_eq(order_state(c), "picking");
	ck_assert_str_eq(order_state(a), "picking");
	ck_assert_str_eq(order_state(b), "allocated");
	ck_assert_str_eq(th_sql_valuep("SELECT pick_list_id FROM orders WHERE id = $1", a, NULL), list);
	/* the same operator asking again gets the list it is picking */
	r = claim(p.o.w.staff, 0);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "claimed"), "own");
	ck_assert_str_eq(th_str(r->json, "id"), list);
	th_resp_free(r);
	/* max_orders is 1..50 */
	ck_assert(th_problem(claim(p.o.w.staff, 51), 422, "max_orders", NULL));
	ck_assert(ob_invariants(&p.o));
}
END_TEST

/* Two operators (keys) claim at the same moment from forked clients; each writes the
 * list's id and its orders (comma-separated) to out. */
static void claim_twins(const char *key0, const char *key1, int max_orders, char out[2][512])
{
	int go[2], res[2][2];
	pid_t kids[2];
	ck_assert(pipe(go) == 0 && pipe(res[0]) == 0 && pipe(res[1]) == 0);
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		ck_assert(kids[k] >= 0);
		if (kids[k] == 0) {
			char c, line[512] = "";
			close(go[1]);
			if (read(go[0], &c, 1) != 1)
				_exit(2);
			struct th_resp *r = claim(k ? key1 : key0, max_orders);
			size_t n = (size_t)snprintf(line, sizeof line, "%ld %s", r->status,
			                            th_str(r->json, "id") ? th_str(r->json, "id") : "-");
			for (int i = 0; th_str(r->json, "id") && i < 50; i++) {
				char path[32];
				snprintf(path, sizeof path, "orders.%d.id", i);
				if (!th_str(r->json, path))
					break;
				n += (size_t)snprintf(line + n, sizeof line - n, " %s", th_str(r->json, path));
			}
			_exit(write(res[k][1], line, n) == (ssize_t)n ? 0 : 3);
		}
	}
	close(go[0]);
	ck_assert(write(go[1], "gg", 2) == 2);
	close(go[1]);
	for (int k = 0; k < 2; k++) {
		int st;
		close(res[k][1]);
		ck_assert(waitpid(kids[k], &st, 0) == kids[k]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		ssize_t n = read(res[k][0], out[k], 511);
		close(res[k][0]);
		ck_assert(n > 0);
		out[k][n] = '\0';
	}
}

START_TEST(two_operators_claiming_at_once_never_get_the_same_orders)
{
	for (int round = 0; round < 3; round++) {
		struct picking p;
		char ids[6][37], out[2][512], key1[AUTH_KEY_LEN + 1];
		stocked(&p);
		for (int i = 0; i < 6; i++)
			ob_order_new(&p.o, "[" LINE("SKU-A", 1) "]", 100, ids[i]);
		snprintf(key1, sizeof key1, "%s", th_key(AUTH_STAFF, p.o.w.wh));
		claim_twins(p.o.w.staff, key1, 4, out);
		ck_assert_msg(strncmp(out[0], "200 ", 4) == 0 && strncmp(out[1], "200 ", 4) == 0,
		              "%s | %s", out[0], out[1]);
		ck_assert_msg(strncmp(out[0] + 4, out[1] + 4, 36) != 0, "same list: %s | %s", out[0], out[1]);
		/* every order on exactly one list: 4 on one, 2 on the other */
		int seen = 0;
		for (int i = 0; i < 6; i++) {
			int on = (strstr(out[0] + 41, ids[i]) != NULL) + (strstr(out[1] + 41, ids[i]) != NULL);
			ck_assert_msg(on == 1, "order %s on %d lists: %s | %s", ids[i], on, out[0], out[1]);
			seen += on;
		}
		ck_assert_int_eq(seen, 6);
		ck_assert_str_eq(th_sql_valuep("SELECT count(DISTINCT pick_list_id) || ':' || count(*)"
		                               " FROM orders WHERE warehouse_id = $1 AND state = 'picking'",
		                               p.o.w.wh_id, NULL), "2:6");
		ck_assert(ob_invariants(&p.o));
	}
}
END_TEST

START_TEST(a_twin_claim_by_the_same_operator_gets_the_same_list)
{
	struct picking p;
	char ids[3][37], out[2][512];
	stocked(&p);
	for (int i = 0; i < 3; i++)
		ob_order_new(&p.o, "[" LINE("SKU-B", 1) "]", 100, ids[i]);
	claim_twins(p.o.w.staff, p.o.w.staff, 2, out);
	ck_assert_msg(strncmp(out[0], "200 ", 4) == 0 && strncmp(out[1], "200 ", 4) == 0,
	              "%s | %s", out[0], out[1]);
	ck_assert_msg(strncmp(out[0] + 4, out[1] + 4, 36) == 0, "two lists: %s | %s", out[0], out[1]);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM pick_lists WHERE warehouse_id = $1",
	                               p.o.w.wh_id, NULL), "1");
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) FROM orders WHERE warehouse_id = $1"
	                               " AND state = 'picking'", p.o.w.wh_id, NULL), "2");
}
END_TEST

START_TEST(held_orders_are_never_batched_and_no_work_is_said_plainly)
{
	struct picking p;
	char held[37], free_order[37], list[37];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-A", 1) "]", 100, held);
	ob_order_new(&p.o, "[" LINE("SKU-B", 1) "]", 100, free_order);
	set_deadline(held, 1);
	th_expect(th_call("POST", p.o.platform, "{\"reason\":\"fraud check\"}", "/v1/orders/%s/hold",
	                  held), 200);
	claim_list(p.o.w.staff, 0, list);
	ck_assert_str_eq(th_sql_valuep("SELECT array_to_string(orders, ',') FROM pick_lists"
	                               " WHERE id = $1", list, NULL), free_order);
	ck_assert_str_eq(order_state(held), "on_hold");
	struct th_resp *r = claim(th_key(AUTH_STAFF, p.o.w.wh), 0);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "claimed"), "none");
	ck_assert_str_eq(th_str(r->json, "next.step"), "none");
	ck_assert_ptr_null(th_at(r->json, "id"));
	th_resp_free(r);
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(tasks_follow_the_bin_walk_and_every_answer_says_what_is_next)
{
	struct picking p;
	char order[37], list[37];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-C", 2) "," LINE("SKU-A", 1) "," LINE("SKU-B", 3) "]", 600,
	             order);
	struct th_resp *r = claim(p.o.w.staff, 0);
	ck_assert_msg(r->status == 200, "%s", r->body);
	snprintf(list, sizeof list, "%s", th_str(r->json, "id"));
	ck_assert_str_eq(th_str(r->json, "tasks.0.bin"), "S-01");
	ck_assert_str_eq(th_str(r->json, "tasks.0.sku"), "SKU-B");
	ck_assert_str_eq(th_str(r->json, "tasks.0.gtin"), p.g[1]);
	ck_assert_int_eq((int)th_num(r->json, "tasks.0.qty", -1), 3);
	ck_assert_int_eq((int)th_num(r->json, "tasks.0.picked", -1), 0);
	ck_assert_str_eq(th_str(r->json, "tasks.0.lines.0.order"), order);
	ck_assert_int_eq((int)th_num(r->json, "tasks.0.lines.0.line", -1), 3);
	ck_assert_str_eq(th_str(r->json, "tasks.1.bin"), "S-02");
	ck_assert_str_eq(th_str(r->json, "tasks.2.bin"), "S-03");
	ck_assert_str_eq(th_str(r->json, "next.step"), "bin");
	ck_assert_str_eq(th_str(r->json, "next.bin"), "S-01");
	ck_assert_int_eq((int)th_num(r->json, "progress.units", -1), 6);
	ck_assert_int_eq((int)th_num(r->json, "progress.tasks", -1), 3);
	th_resp_free(r);

	/* the location first (a bin scan), then the item */
	r = pick_scan(p.o.w.staff, list, "S-01", NULL, 0, NULL);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "next.step"), "item");
	ck_assert_str_eq(th_str(r->json, "next.sku"), "SKU-B");
	ck_assert_int_eq((int)th_num(r->json, "next.qty", -1), 3);
	th_resp_free(r);
	char barcode[40];
	snprintf(barcode, sizeof barcode, "\"barcode\":\"%s\"", p.e[1]);
	r = pick_scan(p.o.w.staff, list, "S-01", barcode, 2, NULL);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "next.step"), "item");
	ck_assert_int_eq((int)th_num(r->json, "next.qty", -1), 1);
	ck_assert_int_eq((int)th_num(r->json, "progress.picked", -1), 2);
	th_resp_free(r);
	r = pick_scan(p.o.w.staff, list, "S-01", barcode, 0, NULL); /* qty defaults to 1 */
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "next.step"), "bin");
	ck_assert_str_eq(th_str(r->json, "next.bin"), "S-02");
	ck_assert_int_eq((int)th_num(r->json, "progress.tasks_done", -1), 1);
	th_resp_free(r);
	th_expect(pick_scan(p.o.w.staff, list, "S-02", gtin_item(0, p.g[0]), 1, NULL), 200);
	r = pick_scan(p.o.w.staff, list, "S-03", gtin_item(0, p.g[2]), 2, NULL);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "next.step"), "done");
	ck_assert_str_eq(th_str(r->json, "state"), "done");
	th_resp_free(r);
	r = th_call("GET", p.o.w.staff, NULL, "/v1/pick-lists/%s", list);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "done");
	ck_assert_ptr_nonnull(th_str(r->json, "done_at"));
	ck_assert_int_eq((int)th_num(r->json, "progress.picked", -1), 6);
	th_resp_free(r);
	/* a done list takes no more scans */
	r = pick_scan(p.o.w.staff, list, "S-03", NULL, 0, NULL);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "done");
	th_resp_free(r);
	ck_assert_str_eq(order_state(order), "picking");
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(wrong_bin_wrong_item_and_over_pick_are_409s_naming_what_is_expected)
{
	struct picking p;
	char order[37], list[37];
	char g[15], e[14], lotted[64];
	stocked(&p);
	ob_sku_new(&p.o, "SKU-L", g, e);
	ob_stock(&p.o, "SKU-L", "S-04", "L1", "2099-01-31", 5);
	ob_order_new(&p.o, "[" LINE("SKU-B", 2) "," LINE("SKU-L", 1) "]", 300, order);
	claim_list(p.o.w.staff, 0, list);
	long long rows = th_rows_total();

	struct th_resp *r = pick_scan(p.o.w.staff, list, "S-02", gtin_item(0, p.g[1]), 1, NULL);
	assert_problem_type(r, 409, "wrong-bin");
	ck_assert_str_eq(th_str(r->json, "expected.bin"), "S-01");
	ck_assert_str_eq(th_str(r->json, "next.bin"), "S-01");
	th_resp_free(r);
	r = pick_scan(p.o.w.staff, list, "NO-SUCH-BIN", NULL, 0, NULL);
	assert_problem_type(r, 409, "wrong-bin");
	ck_assert_str_eq(th_str(r->json, "expected.bin"), "S-01");
	th_resp_free(r);
	r = pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[0]), 1, NULL);
	assert_problem_type(r, 409, "wrong-item");
	ck_assert_str_eq(th_str(r->json, "expected.items.0.sku"), "SKU-B");
	ck_assert_str_eq(th_str(r->json, "expected.items.0.gtin"), p.g[1]);
	ck_assert_int_eq((int)th_num(r->json, "expected.items.0.qty", -1), 2);
	th_resp_free(r);
	r = pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 3, NULL);
	assert_problem_type(r, 409, "over-pick");
	ck_assert_int_eq((int)th_num(r->json, "expected.qty", -1), 2);
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), rows);

	/* a lot other than the reserved one is the wrong item; the reserved lot is taken */
	th_expect(pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 2, NULL), 200);
	snprintf(lotted, sizeof lotted, "\"barcode\":\"]C101%s10L2\"", g);
	r = pick_scan(p.o.w.staff, list, "S-04", lotted, 1, NULL);
	assert_problem_type(r, 409, "wrong-item");
	ck_assert_str_eq(th_str(r->json, "expected.items.0.lot"), "L1");
	th_resp_free(r);
	snprintf(lotted, sizeof lotted, "\"barcode\":\"]C101%s10L1\"", g);
	r = pick_scan(p.o.w.staff, list, "S-04", lotted, 1, NULL);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "picked.0.lot"), "L1");
	ck_assert_str_eq(th_str(r->json, "next.step"), "done");
	th_resp_free(r);
	/* what only an item has, without an item */
	ck_assert(th_problem(pick_scan(p.o.w.staff, list, "S-04", NULL, 2, NULL), 422, "qty",
	                     "needs_item"));
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(a_scan_counts_exactly_once_and_a_reused_scan_id_is_refused)
{
	struct picking p;
	char order[37], list[37], scan_id[37], body[512];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-B", 5) "]", 500, order);
	claim_list(p.o.w.staff, 0, list);
	struct th_resp *a = pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 2, scan_id);
	ck_assert_msg(a->status == 200, "%s", a->body);
	snprintf(body, sizeof body, "{\"scan_id\":\"%s\",\"pick_list\":\"%s\",\"bin\":\"S-01\","
	         "\"gtin\":\"%s\",\"qty\":2}", scan_id, list, p.g[1]);
	struct th_resp *b = th_req("POST", "/v1/pick/scans", p.o.w.staff, body, NULL, NULL);
	ck_assert_msg(b->status == 200, "%s", b->body);
	ck_assert_str_eq(b->body, a->body);
	ck_assert_str_eq(th_header(b, "Idempotent-Replayed"), "true");
	th_resp_free(a);
	th_resp_free(b);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "PACKING", "qty"), 2);
	long long rows = th_rows_total();
	snprintf(body, sizeof body, "{\"scan_id\":\"%s\",\"pick_list\":\"%s\",\"bin\":\"S-01\","
	         "\"gtin\":\"%s\",\"qty\":3}", scan_id, list, p.g[1]);
	b = th_req("POST", "/v1/pick/scans", p.o.w.staff, body, NULL, NULL);
	assert_problem_type(b, 422, "scan-id-reused");
	th_resp_free(b);
	ck_assert_int_eq(th_rows_total(), rows);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "PACKING", "qty"), 2);
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(picked_units_land_in_packing_still_reserved)
{
	struct picking p;
	char o1[37], o2[37], list[37];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-B", 2) "]", 200, o1);
	ob_order_new(&p.o, "[" LINE("SKU-B", 3) "," LINE("SKU-A", 1) "]", 400, o2);
	set_deadline(o2, 1);
	claim_list(p.o.w.staff, 0, list);
	ck_assert(ob_invariants(&p.o));
	struct th_resp *r = pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 4, NULL);
	ck_assert_msg(r->status == 200, "%s", r->body);
	/* the most urgent order's line first, then the next */
	ck_assert_str_eq(th_str(r->json, "picked.0.order"), o2);
	ck_assert_int_eq((int)th_num(r->json, "picked.0.qty", -1), 3);
	ck_assert_str_eq(th_str(r->json, "picked.1.order"), o1);
	ck_assert_int_eq((int)th_num(r->json, "picked.1.qty", -1), 1);
	ck_assert_str_eq(th_str(r->json, "to.bin"), "PACKING");
	th_resp_free(r);
	ck_assert(ob_invariants(&p.o));
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "PACKING", "qty"), 4);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "PACKING", "reserved"), 4);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "S-01", "qty"), 6);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "S-01", "reserved"), 1);
	ck_assert_str_eq(th_sql_valuep("SELECT count(*) || ':' || sum(qty) FROM inventory_movements"
	                               " WHERE warehouse_id = $1 AND reason = 'pick'",
	                               p.o.w.wh_id, NULL), "2:4");
	r = th_call("GET", p.o.platform, NULL, "/v1/orders/%s", o2);
	ck_assert_int_eq((int)th_num(r->json, "lines.0.picked", -1), 3);
	ck_assert_int_eq((int)th_num(r->json, "lines.0.reserved", -1), 3);
	th_resp_free(r);
	th_expect(pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 1, NULL), 200);
	ck_assert(ob_invariants(&p.o));
	th_expect(pick_scan(p.o.w.staff, list, "S-02", gtin_item(0, p.g[0]), 1, NULL), 200);
	ck_assert(ob_invariants(&p.o));
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM pick_lists WHERE id = $1", list, NULL), "done");
	ck_assert_int_eq(at_bin(&p.o, "SKU-A", "PACKING", "reserved"), 1);
}
END_TEST

START_TEST(a_warehouse_without_a_packing_bin_gets_one_at_its_first_pick)
{
	struct picking p;
	char order[37], list[37];
	stocked(&p);
	th_sqlp("DELETE FROM bins WHERE warehouse_id = $1 AND code = 'PACKING'", p.o.w.wh_id, NULL);
	ob_order_new(&p.o, "[" LINE("SKU-B", 1) "]", 100, order);
	claim_list(p.o.w.staff, 0, list);
	th_expect(pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 1, NULL), 200);
	ck_assert_str_eq(th_sql_valuep("SELECT kind FROM bins WHERE warehouse_id = $1 AND code = 'PACKING'",
	                               p.o.w.wh_id, NULL), "staging");
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "PACKING", "reserved"), 1);
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(stock_issue_reallocates_the_missing_units_from_another_bin)
{
	struct picking p;
	char order[37], list[37];
	stocked(&p);
	ob_stock(&p.o, "SKU-B", "S-04", "", NULL, 5);
	ob_order_new(&p.o, "[" LINE("SKU-B", 4) "]", 400, order);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "S-01", "reserved"), 4);
	claim_list(p.o.w.staff, 0, list);
	th_expect(pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 1, NULL), 200);
	/* the bin holds 9 by the stock, 2 in fact: 3 reserved units are missing */
	struct th_resp *r = stock_issue(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 2);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_int_eq((int)th_num(r->json, "on_hand", -1), 9);
	ck_assert_int_eq((int)th_num(r->json, "missing", -1), 7);
	ck_assert_str_eq(th_str(r->json, "reservations.0.order"), order);
	ck_assert_int_eq((int)th_num(r->json, "reservations.0.cut", -1), 1);
	ck_assert_int_eq((int)th_num(r->json, "reservations.0.reallocated", -1), 1);
	ck_assert_int_eq((int)th_num(r->json, "reservations.0.short", -1), 0);
	ck_assert_str_eq(th_str(r->json, "next.step"), "item"); /* 2 more at S-01 */
	th_resp_free(r);
	ck_assert(ob_invariants(&p.o));
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "S-01", "qty"), 2);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "S-01", "reserved"), 2);
	ck_assert_int_eq(at_bin(&p.o, "SKU-B", "S-04", "reserved"), 1);
	ck_assert_str_eq(th_sql_valuep("SELECT sum(qty) || ':' || min(ref_type) FROM inventory_movements"
	                               " WHERE warehouse_id = $1 AND reason = 'stock_issue'",
	                               p.o.w.wh_id, NULL), "7:scan");
	/* the walk now ends at S-04 */
	th_expect(pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 2, NULL), 200);
	r = pick_scan(p.o.w.staff, list, "S-04", gtin_item(0, p.g[1]), 1, NULL);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "done");
	th_resp_free(r);
	ck_assert_str_eq(th_sql_valuep("SELECT short FROM order_lines WHERE order_id = $1", order, NULL), "0");
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(stock_issue_with_nothing_left_makes_lines_short_and_a_wholly_short_order_unfulfillable)
{
	struct picking p;
	char partial[37], whole[37], list[37];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-B", 2) "," LINE("SKU-A", 1) "]", 300, partial);
	ob_order_new(&p.o, "[" LINE("SKU-C", 3) "]", 300, whole);
	/* nothing else to allocate: the rest of the stock goes to other orders */
	char other[37];
	ob_order_new(&p.o, "[" LINE("SKU-B", 8) "," LINE("SKU-C", 7) "]", 1500, other);
	set_deadline(other, 500);
	claim_list(p.o.w.staff, 2, list);
	ck_assert_str_eq(order_state(other), "allocated");

	/* S-01: SKU-B counted 8 of 10; 10 reserved (2 this list, 8 the other order): 2 cut */
	struct th_resp *r = stock_issue(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 8);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "reservations.0.order"), partial);
	ck_assert_int_eq((int)th_num(r->json, "reservations.0.cut", -1), 2);
	ck_assert_int_eq((int)th_num(r->json, "reservations.0.short", -1), 2);
	ck_assert_ptr_null(th_at(r->json, "reservations.1"));
	ck_assert_ptr_null(th_at(r->json, "unfulfillable.0"));
	ck_assert_str_eq(th_str(r->json, "next.bin"), "S-02");
	th_resp_free(r);
	ck_assert(ob_invariants(&p.o));
	ck_assert_str_eq(order_state(partial), "picking");
	ck_assert_str_eq(th_sql_valuep("SELECT short FROM order_lines WHERE order_id = $1 AND line_no = 1",
	                               partial, NULL), "2");
	th_expect(pick_scan(p.o.w.staff, list, "S-02", gtin_item(0, p.g[0]), 1, NULL), 200);

	/* S-03: SKU-C counted 0 of 10: this list's 3 cut first, then the other order's 7 */
	r = stock_issue(p.o.w.staff, list, "S-03", gtin_item(1, p.g[2]), 0);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "reservations.0.order"), whole);
	ck_assert_int_eq((int)th_num(r->json, "reservations.0.short", -1), 3);
	ck_assert_str_eq(th_str(r->json, "reservations.1.order"), other);
	ck_assert_int_eq((int)th_num(r->json, "reservations.1.short", -1), 7);
	ck_assert_str_eq(th_str(r->json, "unfulfillable.0"), whole);
	ck_assert_ptr_null(th_at(r->json, "unfulfillable.1")); /* the other still has SKU-B */
	ck_assert_str_eq(th_str(r->json, "state"), "done");
	ck_assert_str_eq(th_str(r->json, "next.step"), "done");
	th_resp_free(r);
	ck_assert(ob_invariants(&p.o));
	r = th_call("GET", p.o.platform, NULL, "/v1/orders/%s", whole);
	ck_assert_str_eq(th_str(r->json, "state"), "unfulfillable");
	ck_assert_str_eq(th_str(r->json, "escrow.state"), "refunded");
	ck_assert_int_eq((int)th_num(r->json, "escrow.refunded", -1), 300);
	ck_assert_str_eq(th_str(r->json, "unfulfillable.0.reason"), "short_pick");
	ck_assert_int_eq((int)th_num(r->json, "lines.0.short", -1), 3);
	th_resp_free(r);
	ck_assert_str_eq(order_state(other), "allocated");
	ck_assert_str_eq(th_sql_valuep("SELECT sum(qty) FROM inventory_movements WHERE warehouse_id = $1"
	                               " AND reason = 'stock_issue'", p.o.w.wh_id, NULL), "12");
}
END_TEST

START_TEST(stock_issue_cuts_this_lists_orders_first_then_the_latest_created)
{
	struct picking p;
	char oldest[37], mine[37], newest[37], list[37];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-C", 2) "]", 200, oldest);
	ob_order_new(&p.o, "[" LINE("SKU-C", 1) "]", 100, mine);
	ob_order_new(&p.o, "[" LINE("SKU-C", 3) "]", 300, newest);
	set_deadline(mine, 1);
	claim_list(p.o.w.staff, 1, list);
	/* 10 on hand, 6 reserved; counted 2: 4 reservations cut, 4 free units gone */
	struct th_resp *r = stock_issue(p.o.w.staff, list, "S-03", gtin_item(0, p.g[2]), 2);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_int_eq((int)th_num(r->json, "missing", -1), 8);
	ck_assert_str_eq(th_str(r->json, "reservations.0.order"), mine);
	ck_assert_int_eq((int)th_num(r->json, "reservations.0.cut", -1), 1);
	ck_assert_str_eq(th_str(r->json, "reservations.1.order"), newest);
	ck_assert_int_eq((int)th_num(r->json, "reservations.1.cut", -1), 3);
	ck_assert_ptr_null(th_at(r->json, "reservations.2"));
	th_resp_free(r);
	ck_assert_str_eq(order_state(mine), "unfulfillable");
	ck_assert_str_eq(order_state(newest), "unfulfillable");
	ck_assert_str_eq(order_state(oldest), "allocated");
	ck_assert_int_eq(at_bin(&p.o, "SKU-C", "S-03", "reserved"), 2);
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(release_returns_unpicked_orders_and_the_next_claim_takes_the_list_over)
{
	struct picking p;
	char picked[37], untouched[37], list[37], key1[AUTH_KEY_LEN + 1];
	stocked(&p);
	ob_order_new(&p.o, "[" LINE("SKU-B", 2) "]", 200, picked);
	ob_order_new(&p.o, "[" LINE("SKU-C", 1) "]", 100, untouched);
	set_deadline(picked, 1);
	claim_list(p.o.w.staff, 0, list);
	th_expect(pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 1, NULL), 200);
	snprintf(key1, sizeof key1, "%s", th_key(AUTH_STAFF, p.o.w.wh));

	/* only its operator (or an admin) hands it back */
	struct th_resp *r = th_call("POST", key1, NULL, "/v1/pick-lists/%s/release", list);
	assert_problem_type(r, 403, "forbidden");
	th_resp_free(r);
	r = pick_scan(key1, list, "S-01", NULL, 0, NULL);
	assert_problem_type(r, 409, "conflict");
	th_resp_free(r);

	r = th_call("POST", p.o.w.staff, NULL, "/v1/pick-lists/%s/release", list);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "released");
	ck_assert_str_eq(th_str(r->json, "returned.0"), untouched);
	ck_assert_str_eq(th_str(r->json, "orders.0.id"), picked);
	ck_assert_ptr_null(th_at(r->json, "orders.1"));
	ck_assert_str_eq(th_str(r->json, "next.step"), "claim");
	th_resp_free(r);
	ck_assert_str_eq(order_state(untouched), "allocated");
	ck_assert_str_eq(th_sql_valuep("SELECT coalesce(pick_list_id::text, 'none') FROM orders"
	                               " WHERE id = $1", untouched, NULL), "none");
	ck_assert_str_eq(order_state(picked), "picking");
	ck_assert(ob_invariants(&p.o));
	r = pick_scan(p.o.w.staff, list, "S-01", gtin_item(0, p.g[1]), 1, NULL);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "released");
	th_resp_free(r);

	/* the next claim takes the released list before batching the returned order */
	r = claim(key1, 0);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "claimed"), "released");
	ck_assert_str_eq(th_str(r->json, "id"), list);
	ck_assert_str_eq(th_str(r->json, "next.bin"), "S-01");
	ck_assert_int_eq((int)th_num(r->json, "progress.picked", -1), 1);
	th_resp_free(r);
	th_expect(pick_scan(key1, list, "S-01", gtin_item(0, p.g[1]), 1, NULL), 200);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM pick_lists WHERE id = $1", list, NULL), "done");

	/* a list handed back with nothing picked is cancelled, every order returned */
	char empty[37];
	claim_list(p.o.w.staff, 0, empty);
	r = th_call("POST", p.o.w.admin, NULL, "/v1/pick-lists/%s/release", empty);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "cancelled");
	ck_assert_str_eq(th_str(r->json, "returned.0"), untouched);
	ck_assert_str_eq(th_str(r->json, "next.step"), "none");
	th_resp_free(r);
	ck_assert_str_eq(order_state(untouched), "allocated");
	r = th_call("POST", p.o.w.admin, NULL, "/v1/pick-lists/%s/release", empty);
	assert_problem_type(r, 409, "wrong-state");
	th_resp_free(r);
	ck_assert(ob_invariants(&p.o));
}
END_TEST

START_TEST(staff_see_their_warehouses_lists_and_admins_every_one)
{
	struct picking p, q;
	char order[37], list[37];
	stocked(&p);
	stocked(&q);
	ob_order_new(&p.o, "[" LINE("SKU-A", 1) "]", 100, order);
	claim_list(p.o.w.staff, 0, list);
	th_expect(th_call("GET", p.o.w.staff, NULL, "/v1/pick-lists/%s", list), 200);
	th_expect(th_call("GET", p.o.platform, NULL, "/v1/pick-lists/%s", list), 200);
	ck_assert(th_problem(th_call("GET", q.o.w.staff, NULL, "/v1/pick-lists/%s", list), 404, NULL,
	                     NULL));
	ck_assert(th_problem(th_call("POST", q.o.w.staff, NULL, "/v1/pick-lists/%s/release", list),
	                     404, NULL, NULL));
	struct th_resp *r = pick_scan(q.o.w.staff, list, "S-02", NULL, 0, NULL);
	assert_problem_type(r, 404, "not-found");
	th_resp_free(r);
	r = th_call("GET", q.o.w.staff, NULL, "/v1/pick-lists");
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_ptr_null(th_at(r->json, "items.0"));
	th_resp_free(r);
	r = th_call("GET", p.o.w.staff, NULL, "/v1/pick-lists?state=picking");
	ck_assert_str_eq(th_str(r->json, "items.0.id"), list);
	th_resp_free(r);
	r = th_call("GET", p.o.w.admin, NULL, "/v1/pick-lists?warehouse=%s&limit=1", p.o.w.wh);
	ck_assert_str_eq(th_str(r->json, "items.0.id"), list);
	th_resp_free(r);
	ck_assert(th_problem(th_call("GET", p.o.w.staff, NULL, "/v1/pick-lists?state=lost"), 400, NULL,
	                     NULL));
	ck_assert(th_problem(th_call("GET", p.o.w.seller_key, NULL, "/v1/pick-lists"), 403, NULL, NULL));
	ck_assert(th_problem(claim(p.o.w.admin, 0), 403, NULL, NULL));
}
END_TEST

Suite *picking_suite(void);
Suite *picking_suite(void)
{
	Suite *s = suite_create("picking");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, claim_batches_the_most_urgent_allocated_orders_up_to_max_orders);
	tcase_add_test(tc, two_operators_claiming_at_once_never_get_the_same_orders);
	tcase_add_test(tc, a_twin_claim_by_the_same_operator_gets_the_same_list);
	tcase_add_test(tc, held_orders_are_never_batched_and_no_work_is_said_plainly);
	tcase_add_test(tc, tasks_follow_the_bin_walk_and_every_answer_says_what_is_next);
	tcase_add_test(tc, wrong_bin_wrong_item_and_over_pick_are_409s_naming_what_is_expected);
	tcase_add_test(tc, a_scan_counts_exactly_once_and_a_reused_scan_id_is_refused);
	tcase_add_test(tc, picked_units_land_in_packing_still_reserved);
	tcase_add_test(tc, a_warehouse_without_a_packing_bin_gets_one_at_its_first_pick);
	tcase_add_test(tc, stock_issue_reallocates_the_missing_units_from_another_bin);
	tcase_add_test(tc, stock_issue_with_nothing_left_makes_lines_short_and_a_wholly_short_order_unfulfillable);
	tcase_add_test(tc, stock_issue_cuts_this_lists_orders_first_then_the_latest_created);
	tcase_add_test(tc, release_returns_unpicked_orders_and_the_next_claim_takes_the_list_over);
	tcase_add_test(tc, staff_see_their_warehouses_lists_and_admins_every_one);
	suite_add_tcase(s, tc);
	return s;
}
