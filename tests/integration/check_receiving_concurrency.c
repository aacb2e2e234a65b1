/* check_receiving_concurrency.c — exactly once under concurrency: 16 client
 * processes scan the same shipment at once, each sending some scans twice in
 * a row and some on two connections at the same moment (a forked twin);
 * afterwards every count equals what the distinct scan_ids add up to, twins
 * got the same answer, and the shipment's version moved once per distinct
 * scan. Then the shipment is closed and 8 processes put the stock away the
 * same way, and on-hand equals the sum of movements for every (SKU, bin,
 * status). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

#define CLIENTS 16
#define SCANS 24 /* per client */
#define MOVERS 8
#define MOVES 10 /* per mover */

/* Client c's scan j, deterministically: which SKU (0/1), condition, qty, and
 * how it is sent (0 once, 1 twice in a row, 2 twice at the same moment). */
static int pick_sku(int c, int j) { return (c + j) % 2; }
static int pick_damaged(int c, int j) { return (c * 7 + j) % 5 == 0; }
static int pick_qty(int c, int j) { return 1 + (c + 3 * j) % 3; }
static int pick_mode(int j) { return j % 3; }

/* Sends one request; the body of a 200 goes to out (malloc'd), else NULL. */
static char *send_ok(const char *path, const char *key, const char *body)
{
	struct th_resp *r = th_req("POST", path, key, body, NULL, NULL);
	char *out = r->status == 200 ? strdup(r->body) : NULL;
	if (!out)
		fprintf(stderr, "%s answered %ld: %s\n", path, r->status, r->body);
	th_resp_free(r);
	return out;
}

/* Sends body twice at the same moment (this process and a forked twin, each
 * on its own connection); both must succeed with the same answer. */
static int send_twins(const char *path, const char *key, const char *body)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		char *b = send_ok(path, key, body);
		size_t n = b ? strlen(b) : 0;
		int ok = b && write(fd[1], b, n) == (ssize_t)n;
		_exit(ok ? 0 : 1);
	}
	close(fd[1]);
	char *mine = send_ok(path, key, body);
	char theirs[8192];
	size_t got = 0;
	ssize_t k;
	while ((k = read(fd[0], theirs + got, sizeof theirs - 1 - got)) > 0)
		got += (size_t)k;
	theirs[got] = '\0';
	close(fd[0]);
	int st;
	waitpid(pid, &st, 0);
	int ok = mine && WIFEXITED(st) && WEXITSTATUS(st) == 0 && strcmp(mine, theirs) == 0;
	if (!ok)
		fprintf(stderr, "twins differ:\n%s\n%s\n", mine ? mine : "(failed)", theirs);
	free(mine);
	return ok ? 0 : -1;
}

/* Sends body by mode; returns 0 when every answer was the same 200. */
static int send_by_mode(const char *path, const char *key, const char *body, int mode)
{
	if (mode == 2)
		return send_twins(path, key, body);
	char *a = send_ok(path, key, body);
	int ok = a != NULL;
	if (ok && mode == 1) {
		char *b = send_ok(path, key, body);
		ok = b && strcmp(a, b) == 0;
		free(b);
	}
	free(a);
	return ok ? 0 : -1;
}

/* Forks n processes running fn(i); returns how many failed. */
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

struct job {
	const struct rcv_world *w;
	const char *shipment;
	char gtin[2][15];
};

static int scanner(int c, const void *arg)
{
	const struct job *jb = arg;
	int bad = 0;
	for (int j = 0; j < SCANS; j++) {
		char id[37], body[512];
		rcv_uuid(id);
		snprintf(body, sizeof body,
		         "{\"scan_id\":\"%s\",\"shipment\":\"%s\",\"gtin\":\"%s\",\"qty\":%d,"
		         "\"condition\":\"%s\"}",
		         id, jb->shipment, jb->gtin[pick_sku(c, j)], pick_qty(c, j),
		         pick_damaged(c, j) ? "damaged" : "good");
		bad += send_by_mode("/v1/receiving/scans", jb->w->staff, body, pick_mode(j)) != 0;
	}
	return bad;
}

/* Mover m moves 1 unit of SKU (m % 2) per scan from RECEIVING to bin B-<m>. */
static int mover(int m, const void *arg)
{
	const struct job *jb = arg;
	int bad = 0;
	for (int j = 0; j < MOVES; j++) {
		char id[37], body[512];
		rcv_uuid(id);
		snprintf(body, sizeof body,
		         "{\"scan_id\":\"%s\",\"gtin\":\"%s\",\"qty\":1,\"to_bin\":\"B-%d\"}", id,
		         jb->gtin[m % 2], m);
		bad += send_by_mode("/v1/putaway/scans", jb->w->staff, body, pick_mode(j)) != 0;
	}
	return bad;
}

START_TEST(sixteen_scanners_one_shipment)
{
	struct rcv_world w;
	struct job jb = {.w = &w};
	char ean[2][14], id[37], asn[32];
	rcv_world_new(&w, 1000);
	rcv_sku_new(&w, "SKU-0", jb.gtin[0], ean[0]);
	rcv_sku_new(&w, "SKU-1", jb.gtin[1], ean[1]);
	const char *skus[] = {"SKU-0", "SKU-1"};
	const int exp[] = {1000, 1000};
	rcv_shipment_new(&w, "arrived", 2, skus, exp, id, asn);
	jb.shipment = id;

	ck_assert_int_eq(run_all(CLIENTS, scanner, &jb), 0);

	long good[2] = {0, 0}, damaged[2] = {0, 0};
	for (int c = 0; c < CLIENTS; c++)
		for (int j = 0; j < SCANS; j++)
			(pick_damaged(c, j) ? damaged : good)[pick_sku(c, j)] += pick_qty(c, j);
	ck_assert_int_eq(atoi(th_sql_valuep("SELECT count(*) FROM scans WHERE shipment_id = $1",
	                                    id, NULL)),
	                 CLIENTS * SCANS);
	ck_assert_int_eq(atoi(th_sql_valuep("SELECT version FROM inbound_shipments WHERE id = $1",
	                                    id, NULL)),
	                 CLIENTS * SCANS);
	for (int s = 0; s < 2; s++) {
		ck_assert_int_eq(atol(th_sql_valuep("SELECT received_good FROM inbound_lines WHERE"
		                                    " shipment_id = $1 AND line_no = $2", id,
		                                    TH_INT(s + 1), NULL)),
		                 good[s]);
		ck_assert_int_eq(atol(th_sql_valuep("SELECT received_damaged FROM inbound_lines WHERE"
		                                    " shipment_id = $1 AND line_no = $2", id,
		                                    TH_INT(s + 1), NULL)),
		                 damaged[s]);
	}

	char path[128];
	snprintf(path, sizeof path, "/v1/inbound-shipments/%s/close", id);
	struct th_resp *r = th_req("POST", path, w.staff, "{\"confirm_short\":true}", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq((int)th_num(r->json, "totals.received_good", -1), (int)(good[0] + good[1]));
	th_resp_free(r);

	for (int m = 0; m < MOVERS; m++) {
		char bin[16];
		snprintf(bin, sizeof bin, "B-%d", m);
		th_sqlp("INSERT INTO bins (warehouse_id, code, zone) VALUES ($1, $2, 'B')", w.wh_id, bin,
		        NULL);
	}
	ck_assert_int_eq(run_all(MOVERS, mover, &jb), 0);

	/* every putaway counted once; on-hand = the sum of movements everywhere */
	ck_assert_int_eq(atoi(th_sql_valuep("SELECT coalesce(sum(qty), 0) FROM inventory_movements"
	                                    " WHERE warehouse_id = $1 AND reason = 'putaway'", w.wh_id,
	                                    NULL)),
	                 MOVERS * MOVES);
	for (int s = 0; s < 2; s++) {
		char sku[16];
		snprintf(sku, sizeof sku, "SKU-%d", s);
		ck_assert_int_eq(atol(th_sql_valuep("SELECT o.qty FROM inventory_onhand o JOIN bins b"
		                                    " ON b.id = o.bin_id JOIN skus k ON k.id = o.sku_id"
		                                    " WHERE o.warehouse_id = $1 AND b.code = 'RECEIVING'"
		                                    " AND k.sku_code = $2", w.wh_id, sku, NULL)),
		                 good[s] - MOVERS / 2 * MOVES);
	}
	ck_assert_str_eq(th_sql_valuep(
		"SELECT count(*) FROM (SELECT sku_id, bin_id, status, lot, expiry, sum(q) AS q FROM ("
		"  SELECT sku_id, to_bin_id AS bin_id, to_status AS status, lot, expiry, qty AS q"
		"  FROM inventory_movements WHERE warehouse_id = $1 AND to_bin_id IS NOT NULL"
		"  UNION ALL SELECT sku_id, from_bin_id, from_status, lot, expiry, -qty"
		"  FROM inventory_movements WHERE warehouse_id = $1 AND from_bin_id IS NOT NULL) m"
		"  GROUP BY 1, 2, 3, 4, 5) s"
		" FULL JOIN (SELECT * FROM inventory_onhand WHERE warehouse_id = $1) o"
		"   ON o.sku_id = s.sku_id AND o.bin_id = s.bin_id AND o.status = s.status"
		"   AND o.lot = s.lot AND o.expiry = s.expiry"
		" WHERE coalesce(s.q, 0) <> coalesce(o.qty, 0)", w.wh_id, NULL), "0");
	ck_assert_int_eq(atoi(th_sql_valuep("SELECT count(*) FROM inventory_onhand WHERE warehouse_id ="
	                                    " $1 AND qty > 0", w.wh_id, NULL)), 2 + 2 + MOVERS);
}
END_TEST

Suite *receiving_concurrency_suite(void);
Suite *receiving_concurrency_suite(void)
{
	Suite *s = suite_create("receiving_concurrency");
	TCase *tc = tcase_create("receiving_concurrency");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sixteen_scanners_one_shipment);
	suite_add_tcase(s, tc);
	return s;
}
