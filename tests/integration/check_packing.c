/* check_packing.c — packing, labels and the hand-over at the dock over HTTP against real
 * PostgreSQL: a package is opened for an order being picked and filled by pack scans (exactly
 * once by scan_id; only picked units of the order not packed yet); closing it quotes the real
 * parcel, assigns a tracking number of the first leg's carrier service and stores a ZPL
 * label; the last package packs the order; a used-up series refuses the close and changes
 * nothing; the ship scan takes the units out of PACKING and ships the order. Orders are
 * picked by ob_pick_all (SQL standing in for the pick scans, built on another branch). The
 * stock invariants (ob_invariants) hold after every step. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/harness/th.h"
#include "tests/harness/th_outbound.h"
#include "wms/tracking.h"

/* A centre with SKU-A (20 units in S-02) and SKU-B (5 in S-01); the EANs a scanner reads. */
struct pk {
	struct ob_world o;
	char ean_a[14], ean_b[14], ean_c[14];
};

static void stocked(struct pk *w)
{
	char g[15];
	ob_world_new(&w->o);
	ob_sku_new(&w->o, "SKU-A", g, w->ean_a);
	ob_sku_new(&w->o, "SKU-B", g, w->ean_b);
	ob_sku_new(&w->o, "SKU-C", g, w->ean_c); /* on no order */
	ob_stock(&w->o, "SKU-A", "S-02", "", NULL, 20);
	ob_stock(&w->o, "SKU-B", "S-01", "", NULL, 5);
}

static void assert_problem_type(const struct th_resp *r, long status, const char *slug)
{
	char type[96];
	snprintf(type, sizeof type, "urn:wms:problem:%s", slug);
	ck_assert_msg(th_is_problem(r, status), "wanted %ld %s", status, slug);
	ck_assert_msg(strcmp(th_str(r->json, "type"), type) == 0, "wanted %s: %s", slug, r->body);
}

/* An allocated order of lines (JSON) into id. */
static void order_new(const struct pk *w, const char *lines, long long paid, char id[37])
{
	struct th_resp *r = ob_order(&w->o, th_code("MP"), "semi_warehouse", lines, paid);
	ck_assert_msg(r->status == 201, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "allocated");
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

/* A picked order: 3 × SKU-A and 2 × SKU-B. */
static void picked_order(const struct pk *w, char id[37])
{
	order_new(w, "[{\"sku\":\"SKU-A\",\"qty\":3,\"unit_price\":1000},"
	             "{\"sku\":\"SKU-B\",\"qty\":2,\"unit_price\":2500}]", 8000, id);
	ob_pick_all(&w->o, id);
}

static struct th_resp *open_package(const struct pk *w, const char *order, const char *type)
{
	return th_reqf("POST", "/v1/packages", w->o.w.staff,
	               "{\"order\":\"%s\",\"package_type\":\"%s\"}", order, type);
}

/* Opens a package of type for order into pkg. */
static void opened(const struct pk *w, const char *order, const char *type, char pkg[37])
{
	struct th_resp *r = open_package(w, order, type);
	ck_assert_msg(r->status == 201, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "open");
	ck_assert_str_eq(th_str(r->json, "next"), "item");
	snprintf(pkg, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

static struct th_resp *pack_scan(const char *key, const char *scan_id, const char *pkg,
                                 const char *ean, int qty)
{
	return th_reqf("POST", "/v1/pack/scans", key,
	               "{\"scan_id\":\"%s\",\"package\":\"%s\",\"barcode\":\"%s\",\"qty\":%d}",
	               scan_id, pkg, ean, qty);
}

/* A pack scan with a fresh scan_id that must be accepted. */
static void packed(const struct pk *w, const char *pkg, const char *ean, int qty)
{
	char sid[37];
	rcv_uuid(sid);
	struct th_resp *r = pack_scan(w->o.w.staff, sid, pkg, ean, qty);
	ck_assert_msg(r->status == 200, "%s", r->body);
	th_resp_free(r);
}

/* A picked order (3 × SKU-A, 2 × SKU-B), all of it in one open BOX-M package. */
static void packed_order(const struct pk *w, char order[37], char pkg[37])
{
	picked_order(w, order);
	opened(w, order, "BOX-M", pkg);
	packed(w, pkg, w->ean_a, 3);
	packed(w, pkg, w->ean_b, 2);
}

static struct th_resp *close_with(const char *key, const char *pkg, int weight_g)
{
	char path[96], body[48];
	snprintf(path, sizeof path, "/v1/packages/%s/close", pkg);
	snprintf(body, sizeof body, "{\"weight_g\":%d}", weight_g);
	return th_req("POST", path, key, body, NULL, NULL);
}

/* Closes pkg (weight_g measured); its tracking number into tracking. */
static void closed(const struct pk *w, const char *pkg, int weight_g, char tracking[32])
{
	struct th_resp *r = close_with(w->o.w.staff, pkg, weight_g);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	snprintf(tracking, 32, "%s", th_str(r->json, "tracking_number"));
	th_resp_free(r);
}

static struct th_resp *ship_scan(const char *key, const char *scan_id, const char *barcode)
{
	return th_reqf("POST", "/v1/ship/scans", key, "{\"scan_id\":\"%s\",\"barcode\":\"%s\"}",
	               scan_id, barcode);
}

static const char *order_state(const char *order)
{
	return th_sql_valuep("SELECT state FROM orders WHERE id = $1", order, NULL);
}

/* Units of sku in o's PACKING bin: "qty/reserved". */
static const char *packing_stock(const struct pk *w, const char *sku)
{
	return th_sql_valuep("SELECT coalesce(sum(o.qty), 0) || '/' || coalesce(sum(o.reserved), 0)"
	                     " FROM inventory_onhand o JOIN bins b ON b.warehouse_id = o.warehouse_id"
	                     " AND b.id = o.bin_id WHERE o.warehouse_id = $1 AND b.code = 'PACKING'"
	                     " AND o.sku_id = (SELECT id FROM skus WHERE seller_id = $2 AND sku_code = $3)",
	                     w->o.w.wh_id, w->o.w.seller_id, sku, NULL);
}

START_TEST(package_types_list_the_box_sizes)
{
	struct pk w;
	stocked(&w);
	struct th_resp *r = th_call("GET", w.o.w.staff, NULL, "/v1/package-types");
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_int_ge(cJSON_GetArraySize(th_at(r->json, "items")), 4);
	ck_assert_str_eq(th_str(r->json, "items.0.code"), "POLY-S");
	ck_assert_int_eq((int)th_num(r->json, "items.0.dimensions_mm.length", -1), 250);
	ck_assert_int_eq((int)th_num(r->json, "items.0.tare_g", -1), 20);
	th_resp_free(r);
	th_expect(th_call("GET", w.o.platform, NULL, "/v1/package-types"), 200);
	th_expect(th_call("GET", w.o.w.admin, NULL, "/v1/package-types"), 200);
	th_expect(th_call("GET", w.o.w.seller_key, NULL, "/v1/package-types"), 403);
}
END_TEST

START_TEST(a_package_opens_for_an_order_with_picked_units_only)
{
	struct pk w;
	char order[37], pkg[37];
	stocked(&w);
	order_new(&w, "[{\"sku\":\"SKU-A\",\"qty\":2,\"unit_price\":1000}]", 2000, order);
	long long before = th_rows_total();
	struct th_resp *r = open_package(&w, order, "BOX-S");
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "allocated");
	th_resp_free(r);
	ck_assert(th_problem(open_package(&w, order, "BOX-XXL"), 422, "package_type",
	                     "unknown-package-type"));
	ck_assert(th_problem(open_package(&w, "7a0c1f6e-0000-4000-8000-000000000000", "BOX-S"), 404,
	                     NULL, NULL));
	ck_assert(th_problem(th_reqf("POST", "/v1/packages", w.o.w.staff, "{\"order\":\"MP-1\","
	                             "\"package_type\":\"box\"}"), 422, "order", "format"));
	ck_assert_int_eq(th_rows_total(), before);

	ob_pick_all(&w.o, order);
	r = open_package(&w, order, "BOX-S");
	ck_assert_msg(r->status == 201, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "order_id"), order);
	ck_assert_int_eq((int)th_num(r->json, "progress.left_to_pack", -1), 2);
	ck_assert_ptr_nonnull(th_header(r, "Location"));
	snprintf(pkg, sizeof pkg, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	/* one open package per order: a second open names it */
	r = open_package(&w, order, "BOX-M");
	assert_problem_type(r, 409, "conflict");
	ck_assert_str_eq(th_str(r->json, "package_id"), pkg);
	th_resp_free(r);
	/* admin and sellers do not pack */
	th_expect(th_reqf("POST", "/v1/packages", w.o.w.admin, "{\"order\":\"%s\","
	                  "\"package_type\":\"BOX-S\"}", order), 403);
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(pack_scans_count_exactly_once_and_wrong_item_is_409)
{
	struct pk w;
	char order[37], pkg[37], sid[37];
	stocked(&w);
	picked_order(&w, order);
	opened(&w, order, "BOX-M", pkg);

	rcv_uuid(sid);
	struct th_resp *a = pack_scan(w.o.w.staff, sid, pkg, w.ean_a, 2);
	ck_assert_msg(a->status == 200, "%s", a->body);
	ck_assert_int_eq((int)th_num(a->json, "line.packed", -1), 2);
	ck_assert_int_eq((int)th_num(a->json, "line.left_to_pack", -1), 1);
	ck_assert_int_eq((int)th_num(a->json, "progress.left_to_pack", -1), 3);
	ck_assert_str_eq(th_str(a->json, "next"), "item");
	ck_assert_str_eq(th_str(a->json, "sku.sku_code"), "SKU-A");
	/* the same scan again: the stored answer, nothing counted twice */
	struct th_resp *b = pack_scan(w.o.w.staff, sid, pkg, w.ean_a, 2);
	ck_assert_msg(b->status == 200, "%s", b->body);
	ck_assert_str_eq(th_header(b, "Idempotent-Replayed"), "true");
	ck_assert_str_eq(a->body, b->body);
	th_resp_free(a);
	th_resp_free(b);
	ck_assert_str_eq(th_sql_valuep("SELECT sum(qty) FROM package_items WHERE package_id = $1", pkg,
	                               NULL), "2");
	/* the same scan_id saying something else */
	assert_problem_type(a = pack_scan(w.o.w.staff, sid, pkg, w.ean_a, 1), 422,
	                    "scan-id-reused");
	th_resp_free(a);

	long long before = th_rows_total();
	rcv_uuid(sid);
	a = pack_scan(w.o.w.staff, sid, pkg, w.ean_c, 1); /* on no line of the order */
	assert_problem_type(a, 409, "wrong-item");
	ck_assert_str_eq(th_str(a->json, "next"), "item");
	ck_assert_int_eq((int)th_num(a->json, "progress.left_to_pack", -1), 3);
	th_resp_free(a);
	a = pack_scan(w.o.w.staff, sid, pkg, w.ean_a, 2); /* 1 left */
	assert_problem_type(a, 409, "over-pack");
	ck_assert_int_eq((int)th_num(a->json, "left_to_pack", -1), 1);
	th_resp_free(a);
	ck_assert_int_eq(th_rows_total(), before);

	packed(&w, pkg, w.ean_a, 1);
	a = pack_scan(w.o.w.staff, sid, pkg, w.ean_a, 1); /* every picked SKU-A is packed */
	assert_problem_type(a, 409, "wrong-item");
	th_resp_free(a);
	rcv_uuid(sid);
	a = pack_scan(w.o.w.staff, sid, pkg, w.ean_b, 2);
	ck_assert_msg(a->status == 200, "%s", a->body);
	ck_assert_str_eq(th_str(a->json, "next"), "close");
	ck_assert_int_eq((int)th_num(a->json, "package.units", -1), 5);
	th_resp_free(a);
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(only_picked_units_are_packed_and_the_order_waits_for_the_rest)
{
	struct pk w;
	char order[37], pkg[37], pkg2[37], sid[37], tracking[32];
	stocked(&w);
	order_new(&w, "[{\"sku\":\"SKU-A\",\"qty\":3,\"unit_price\":1000},"
	              "{\"sku\":\"SKU-B\",\"qty\":2,\"unit_price\":2500}]", 8000, order);
	ob_pick(&w.o, order, 1); /* SKU-A picked, SKU-B not yet */
	opened(&w, order, "BOX-M", pkg);
	rcv_uuid(sid);
	struct th_resp *r = pack_scan(w.o.w.staff, sid, pkg, w.ean_b, 1);
	assert_problem_type(r, 409, "wrong-item");
	ck_assert_msg(strstr(th_str(r->json, "detail"), "2 more to pick") != NULL, "%s", r->body);
	th_resp_free(r);
	packed(&w, pkg, w.ean_a, 3);
	r = close_with(w.o.w.staff, pkg, 900);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "order_state"), "picking"); /* SKU-B still to pick */
	ck_assert_str_eq(th_str(r->json, "next"), "order");
	snprintf(tracking, sizeof tracking, "%s", th_str(r->json, "tracking_number"));
	th_resp_free(r);
	ck_assert_str_eq(order_state(order), "picking");
	/* nothing picked is left: no package to open */
	assert_problem_type(r = open_package(&w, order, "BOX-S"), 409, "nothing-to-pack");
	ck_assert_str_eq(th_str(r->json, "next"), "pick");
	th_resp_free(r);
	/* its closed package does not leave before the order is packed */
	rcv_uuid(sid);
	r = ship_scan(w.o.w.staff, sid, tracking);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "picking");
	th_resp_free(r);

	ob_pick(&w.o, order, 2);
	opened(&w, order, "POLY-S", pkg2);
	packed(&w, pkg2, w.ean_b, 2);
	r = close_with(w.o.w.staff, pkg2, 300);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "order_state"), "packed");
	th_resp_free(r);
	ck_assert_str_eq(order_state(order), "packed");
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(close_quotes_the_real_parcel_and_stores_a_zpl_label)
{
	struct pk w;
	char order[37], pkg[37];
	stocked(&w);
	packed_order(&w, order, pkg);
	struct th_resp *r = close_with(w.o.w.staff, pkg, 800);
	ck_assert_msg(r->status == 200, "%s", r->body);
	/* BOX-M is 300 × 250 × 150 mm: 2.25 kg volumetric beats the 0.8 kg measured, rounded up
	 * to 2.3 kg; the leg costs 300 + 50 per kg */
	ck_assert_int_eq((int)th_num(r->json, "weight_g", -1), 800);
	ck_assert_int_eq((int)th_num(r->json, "chargeable_weight_g", -1), 2300);
	ck_assert_int_eq((int)th_num(r->json, "cost.amount", -1), 415);
	ck_assert_str_eq(th_str(r->json, "carrier"), w.o.carrier);
	ck_assert_str_eq(th_str(r->json, "service"), w.o.service);
	ck_assert_str_eq(th_str(r->json, "route.legs.0.carrier"), w.o.carrier);
	ck_assert_str_eq(th_str(r->json, "route.zone"), th_str(r->json, "sort_code"));
	ck_assert_str_eq(th_str(r->json, "order_state"), "packed");
	ck_assert_str_eq(th_str(r->json, "next"), "order");
	const char *tn = th_str(r->json, "tracking_number");
	struct wms_tracking t;
	char err[120];
	ck_assert_msg(wms_tracking_parse(tn, &t, err, sizeof err) == 0, "%s: %s", tn, err);
	ck_assert_int_eq(t.format, WMS_TRACKING_MOD10);
	ck_assert_str_eq(t.prefix, "TT");
	ck_assert_int_eq((int)t.serial, 1);
	char tracking[32], fd[48];
	snprintf(tracking, sizeof tracking, "%s", tn);
	th_resp_free(r);
	ck_assert_str_eq(order_state(order), "packed");
	ck_assert_str_eq(th_sql_valuep("SELECT next_serial FROM tracking_series WHERE carrier_code = $1",
	                               w.o.carrier, NULL), "2");

	r = th_call("GET", w.o.w.staff, NULL, "/v1/packages/%s/label", pkg);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(r->ctype, "application/zpl");
	ck_assert(strncmp(r->body, "^XA", 3) == 0);
	ck_assert_ptr_nonnull(strstr(r->body, "^BC"));
	snprintf(fd, sizeof fd, "^FD%s^FS", tracking);
	ck_assert_msg(strstr(strstr(r->body, "^BC"), fd) != NULL, "%s", r->body);
	ck_assert_ptr_nonnull(strstr(r->body, "Ana García"));
	ck_assert_ptr_nonnull(strstr(r->body, "28013 Madrid"));
	ck_assert_ptr_nonnull(strstr(r->body, "Calle Mayor 1"));
	ck_assert_ptr_nonnull(strstr(r->body, pkg)); /* the Data Matrix */
	th_resp_free(r);
	/* the label by tracking number; the package by either */
	th_expect(th_call("GET", w.o.w.admin, NULL, "/v1/packages/%s/label", tracking), 200);
	r = th_call("GET", w.o.w.seller_key, NULL, "/v1/packages/%s", tracking);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "id"), pkg);
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	th_resp_free(r);
	r = th_call("GET", w.o.w.staff, NULL, "/v1/orders/%s", order);
	ck_assert_str_eq(th_str(r->json, "packages.0.tracking_number"), tracking);
	th_resp_free(r);
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(tracking_numbers_are_unique_and_follow_the_series)
{
	struct pk w;
	char o1[37], o2[37], p1[37], p2[37], t1[32], t2[32];
	struct wms_tracking a, b;
	stocked(&w);
	order_new(&w, "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":1000}]", 1000, o1);
	order_new(&w, "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":1000}]", 1000, o2);
	ob_pick_all(&w.o, o1);
	ob_pick_all(&w.o, o2);
	opened(&w, o1, "POLY-S", p1);
	opened(&w, o2, "POLY-S", p2);
	packed(&w, p1, w.ean_a, 1);
	packed(&w, p2, w.ean_a, 1);
	closed(&w, p1, 300, t1);
	closed(&w, p2, 300, t2);
	ck_assert_str_ne(t1, t2);
	ck_assert(wms_tracking_parse(t1, &a, NULL, 0) == 0 && wms_tracking_parse(t2, &b, NULL, 0) == 0);
	ck_assert_int_eq((int)(b.serial - a.serial), 1);
	ck_assert_str_eq(order_state(o1), "packed");
	ck_assert_str_eq(order_state(o2), "packed");
}
END_TEST

/* Polls a quote of a weight_g parcel from w's centre to ES until want(answer) holds. */
static void await_network(const struct pk *w, int weight_g, bool (*want)(const struct th_resp *r,
                                                                         const char *arg),
                          const char *arg)
{
	for (int i = 0; i < 200; i++) {
		struct th_resp *r = th_reqf("POST", "/v1/routes/quote", w->o.platform,
		                            "{\"origin\":\"%s\",\"destination\":{\"country\":\"ES\"},"
		                            "\"parcel\":{\"weight_g\":%d,\"length_mm\":100,"
		                            "\"width_mm\":100,\"height_mm\":100}}", w->o.w.wh, weight_g);
		bool ok = want(r, arg);
		th_resp_free(r);
		if (ok)
			return;
		usleep(50 * 1000);
	}
	ck_abort_msg("the server's lane network never changed as expected");
}

static bool selects_leg(const struct th_resp *r, const char *leg)
{
	const char *got = r->status == 200 ? th_str(r->json, "selected.legs.0.leg") : NULL;
	return got && strcmp(got, leg) == 0;
}

static bool refused(const struct th_resp *r, const char *arg)
{
	(void)arg;
	return r->status != 200;
}

START_TEST(close_keeps_the_allocated_itinerary_while_it_exists_else_quotes_afresh)
{
	struct pk w;
	char a[37], b[37], pa[37], pb[37], leg[80], carrier[40], old_leg[80];
	stocked(&w);
	packed_order(&w, a, pa);
	packed_order(&w, b, pb);
	/* a cheaper carrier service from the centre, up to 5 kg, with its own series */
	snprintf(old_leg, sizeof old_leg, "L-%s", w.o.w.wh);
	snprintf(leg, sizeof leg, "L2-%s", w.o.w.wh);
	snprintf(carrier, sizeof carrier, "%s", th_code("TX"));
	th_sqlp("INSERT INTO carriers (code, name) VALUES ($1, 'Express carrier')", carrier, NULL);
	th_sqlp("INSERT INTO carrier_services (carrier_code, service_code, mode) VALUES ($1, 'EXPRESS',"
	        " 'last_mile')", carrier, NULL);
	th_sqlp("INSERT INTO tracking_series (carrier_code, service_code, format, prefix, next_serial,"
	        " last_serial) VALUES ($1, 'EXPRESS', 'mod10', 'XX', 1, 9999999999)", carrier, NULL);
	th_sqlp("INSERT INTO network_legs (id, from_node, to_node, carrier_code, service_code, departures,"
	        " cutoff_min, transit_hist_h, fixed_minor, per_kg_minor, currency, max_weight_g)"
	        " SELECT $1, l.from_node, l.to_node, $2, 'EXPRESS', l.departures, l.cutoff_min,"
	        " l.transit_hist_h, 100, 10, l.currency, 5000 FROM network_legs l WHERE l.id = $3",
	        leg, carrier, old_leg, NULL);
	await_network(&w, 500, selects_leg, leg);

	/* the allocated itinerary still exists and takes the parcel: it is kept */
	struct th_resp *r = close_with(w.o.w.staff, pa, 800);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "route.legs.0.leg"), old_leg);
	ck_assert_str_eq(th_str(r->json, "carrier"), w.o.carrier);
	ck_assert(strncmp(th_str(r->json, "tracking_number"), "TT", 2) == 0);
	th_resp_free(r);

	/* gone from the network: a fresh quote, the other carrier's service and series */
	th_sqlp("DELETE FROM network_legs WHERE id = $1", old_leg, NULL);
	await_network(&w, 6000, refused, NULL);
	r = close_with(w.o.w.staff, pb, 800);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "route.legs.0.leg"), leg);
	ck_assert_str_eq(th_str(r->json, "carrier"), carrier);
	ck_assert_str_eq(th_str(r->json, "service"), "EXPRESS");
	ck_assert(strncmp(th_str(r->json, "tracking_number"), "XX", 2) == 0);
	/* BOX-M: 2.3 kg chargeable at 100 + 10 per kg */
	ck_assert_int_eq((int)th_num(r->json, "cost.amount", -1), 123);
	th_resp_free(r);
	r = th_call("GET", w.o.w.staff, NULL, "/v1/packages/%s/label", pb);
	ck_assert_ptr_nonnull(strstr(r->body, "Express carrier"));
	ck_assert_ptr_nonnull(strstr(r->body, "EXPRESS"));
	th_resp_free(r);
	ck_assert(ob_invariants(&w.o));
}
END_TEST

/* Closes racing for one carrier service's series: each takes the serial only if it is still
 * the next one, and the losers read again and take the following one. */
START_TEST(concurrent_closes_take_consecutive_serials_once_each)
{
	enum { N = 4 };
	struct pk w;
	char order[N][37], pkg[N][37];
	int go[2];
	pid_t kids[N];
	stocked(&w);
	for (int i = 0; i < N; i++) {
		order_new(&w, "[{\"sku\":\"SKU-A\",\"qty\":1,\"unit_price\":1000}]", 1000, order[i]);
		ob_pick_all(&w.o, order[i]);
		opened(&w, order[i], "POLY-S", pkg[i]);
		packed(&w, pkg[i], w.ean_a, 1);
	}
	ck_assert(pipe(go) == 0);
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		ck_assert(kids[i] >= 0);
		if (kids[i] == 0) {
			char c;
			close(go[1]);
			if (read(go[0], &c, 1) != 1)
				_exit(2);
			struct th_resp *r = close_with(w.o.w.staff, pkg[i], 300);
			if (r->status != 200)
				fprintf(stderr, "close %d: %ld %s\n", i, r->status, r->body);
			_exit(r->status == 200 ? 0 : 1);
		}
	}
	close(go[0]);
	ck_assert(write(go[1], "gggg", N) == N);
	close(go[1]);
	for (int i = 0; i < N; i++) {
		int st;
		ck_assert(waitpid(kids[i], &st, 0) == kids[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "close %d failed", i);
	}
	char all[256];
	th_sql_copyp(all, sizeof all, "SELECT string_agg(tracking_number, ',' ORDER BY tracking_number)"
	             " FROM packages WHERE warehouse_id = $1", w.o.w.wh_id, NULL);
	long long seen = 0;
	for (char *t = strtok(all, ","); t; t = strtok(NULL, ",")) {
		struct wms_tracking tr;
		ck_assert_msg(wms_tracking_parse(t, &tr, NULL, 0) == 0, "%s", t);
		ck_assert_int_eq(tr.serial, seen + 1);
		seen = tr.serial;
	}
	ck_assert_int_eq(seen, N);
	ck_assert_str_eq(th_sql_valuep("SELECT next_serial FROM tracking_series WHERE carrier_code = $1",
	                               w.o.carrier, NULL), "5");
	for (int i = 0; i < N; i++)
		ck_assert_str_eq(order_state(order[i]), "packed");
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(closing_twice_is_409_with_the_stored_tracking_number)
{
	struct pk w;
	char order[37], pkg[37], tracking[32];
	stocked(&w);
	picked_order(&w, order);
	opened(&w, order, "BOX-M", pkg);
	/* empty: nothing to close */
	struct th_resp *r = close_with(w.o.w.staff, pkg, 500);
	assert_problem_type(r, 409, "empty-package");
	th_resp_free(r);
	packed(&w, pkg, w.ean_a, 3);
	packed(&w, pkg, w.ean_b, 2);
	closed(&w, pkg, 1200, tracking);
	long long before = th_rows_total();
	const char *serial = th_sql_valuep("SELECT next_serial FROM tracking_series"
	                                   " WHERE carrier_code = $1", w.o.carrier, NULL);
	char next[24];
	snprintf(next, sizeof next, "%s", serial);
	r = close_with(w.o.w.staff, pkg, 1200);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "closed");
	ck_assert_str_eq(th_str(r->json, "tracking_number"), tracking);
	ck_assert_ptr_nonnull(th_str(r->json, "label"));
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
	ck_assert_str_eq(th_sql_valuep("SELECT next_serial FROM tracking_series WHERE carrier_code = $1",
	                               w.o.carrier, NULL), next);
	/* a closed package takes no more items */
	char sid[37];
	rcv_uuid(sid);
	assert_problem_type(r = pack_scan(w.o.w.staff, sid, pkg, w.ean_a, 1), 409, "wrong-state");
	th_resp_free(r);
	/* bad bodies are 422 and change nothing */
	ck_assert(th_problem(close_with(w.o.w.staff, pkg, 0), 422, "weight_g", NULL));
	ck_assert(th_problem(close_with(w.o.w.staff, pkg, 1000001), 422, "weight_g", NULL));
	ck_assert_int_eq(th_rows_total(), before);
}
END_TEST

START_TEST(used_up_tracking_series_is_409_and_changes_nothing)
{
	struct pk w;
	char order[37], pkg[37];
	stocked(&w);
	packed_order(&w, order, pkg);
	th_sqlp("UPDATE tracking_series SET next_serial = 42, last_serial = 41 WHERE carrier_code = $1",
	        w.o.carrier, NULL);
	long long before = th_rows_total();
	struct th_resp *r = close_with(w.o.w.staff, pkg, 800);
	assert_problem_type(r, 409, "tracking-exhausted");
	ck_assert_msg(strstr(th_str(r->json, "detail"), "last serial 41") != NULL, "%s", r->body);
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
	ck_assert_str_eq(th_sql_valuep("SELECT state || coalesce(tracking_number, '-') FROM packages"
	                               " WHERE id = $1", pkg, NULL), "open-");
	ck_assert_str_eq(th_sql_valuep("SELECT next_serial FROM tracking_series WHERE carrier_code = $1",
	                               w.o.carrier, NULL), "42");
	ck_assert_str_eq(order_state(order), "picking");

	/* no series at all */
	th_sqlp("DELETE FROM tracking_series WHERE carrier_code = $1", w.o.carrier, NULL);
	before = th_rows_total();
	assert_problem_type(r = close_with(w.o.w.staff, pkg, 800), 409, "no-tracking-series");
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
	/* a new range: the close goes through with its first serial */
	th_sqlp("INSERT INTO tracking_series (carrier_code, service_code, format, prefix, next_serial,"
	        " last_serial) VALUES ($1, $2, 'mod10', 'TT', 500, 999)", w.o.carrier, w.o.service,
	        NULL);
	char tracking[32];
	closed(&w, pkg, 800, tracking);
	struct wms_tracking t;
	ck_assert(wms_tracking_parse(tracking, &t, NULL, 0) == 0);
	ck_assert_int_eq((int)t.serial, 500);
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(ship_scan_moves_the_units_out_of_packing_and_ships_the_order)
{
	struct pk w;
	char order[37], p1[37], p2[37], t1[32], t2[32], sid[37];
	stocked(&w);
	picked_order(&w, order);
	ck_assert_str_eq(packing_stock(&w, "SKU-A"), "3/3");
	opened(&w, order, "BOX-S", p1);
	packed(&w, p1, w.ean_a, 2);
	closed(&w, p1, 700, t1);
	opened(&w, order, "BOX-S", p2);
	packed(&w, p2, w.ean_a, 1);
	packed(&w, p2, w.ean_b, 2);
	closed(&w, p2, 600, t2);
	ck_assert_str_eq(order_state(order), "packed");
	ck_assert(ob_invariants(&w.o));

	/* the first package leaves: its units go, the order waits for the second */
	rcv_uuid(sid);
	struct th_resp *r = ship_scan(w.o.w.staff, sid, t1);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "package.state"), "shipped");
	ck_assert_str_eq(th_str(r->json, "order.state"), "packed");
	ck_assert_str_eq(th_str(r->json, "next"), "package");
	th_resp_free(r);
	ck_assert_str_eq(packing_stock(&w, "SKU-A"), "1/1");
	ck_assert_str_eq(packing_stock(&w, "SKU-B"), "2/2");
	ck_assert_int_eq(ob_reserved(&w.o, "SKU-A"), 1);
	ck_assert(ob_invariants(&w.o));

	/* the second, scanned with an AIM prefix: the order is shipped */
	char barcode[40];
	snprintf(barcode, sizeof barcode, "]C0%s", t2);
	rcv_uuid(sid);
	r = ship_scan(w.o.w.staff, sid, barcode);
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_str_eq(th_str(r->json, "order.state"), "shipped");
	th_resp_free(r);
	ck_assert_str_eq(packing_stock(&w, "SKU-A"), "0/0");
	ck_assert_str_eq(packing_stock(&w, "SKU-B"), "0/0");
	ck_assert_int_eq(ob_reserved(&w.o, "SKU-A"), 0);
	ck_assert_int_eq(ob_free(&w.o, "SKU-A"), 17);
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(m.qty::text, ',' ORDER BY m.id)"
	                               " FROM inventory_movements m WHERE m.warehouse_id = $1"
	                               " AND m.reason = 'ship' AND m.to_bin_id IS NULL",
	                               w.o.w.wh_id, NULL), "2,1,2");
	r = th_call("GET", w.o.w.seller_key, NULL, "/v1/orders/%s", order);
	ck_assert_str_eq(th_str(r->json, "state"), "shipped");
	ck_assert_str_eq(th_str(r->json, "carrier"), w.o.carrier);
	ck_assert_str_eq(th_str(r->json, "tracking_number"), t1);
	ck_assert_ptr_nonnull(th_str(r->json, "shipped_at"));
	ck_assert_str_eq(th_str(r->json, "packages.1.tracking_number"), t2);
	ck_assert_str_eq(th_str(r->json, "packages.1.state"), "shipped");
	th_resp_free(r);
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(ship_scan_takes_the_picked_lots_first_expired_first)
{
	struct pk w;
	char order[37], pkg[37], tracking[32], sid[37], g[15], ean[14];
	stocked(&w);
	ob_sku_new(&w.o, "SKU-L", g, ean);
	ob_stock(&w.o, "SKU-L", "S-03", "LATE", "2099-12-31", 4);
	ob_stock(&w.o, "SKU-L", "S-04", "SOON", "2098-06-30", 2);
	order_new(&w, "[{\"sku\":\"SKU-L\",\"qty\":5,\"unit_price\":100}]", 500, order);
	ob_pick_all(&w.o, order);
	opened(&w, order, "BOX-L", pkg);
	packed(&w, pkg, ean, 5);
	closed(&w, pkg, 2500, tracking);
	rcv_uuid(sid);
	th_expect(ship_scan(w.o.w.staff, sid, pkg), 200); /* the Data Matrix: the package id */
	ck_assert_str_eq(th_sql_valuep("SELECT string_agg(m.lot || ':' || m.qty, ',' ORDER BY m.id)"
	                               " FROM inventory_movements m WHERE m.warehouse_id = $1"
	                               " AND m.reason = 'ship'", w.o.w.wh_id, NULL), "SOON:2,LATE:3");
	ck_assert_str_eq(order_state(order), "shipped");
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(ship_scan_twice_is_409_naming_shipped)
{
	struct pk w;
	char order[37], pkg[37], tracking[32], sid[37];
	stocked(&w);
	order_new(&w, "[{\"sku\":\"SKU-B\",\"qty\":1,\"unit_price\":2500}]", 2500, order);
	ob_pick_all(&w.o, order);
	opened(&w, order, "POLY-S", pkg);
	/* an open package has no label yet */
	rcv_uuid(sid);
	struct th_resp *r = ship_scan(w.o.w.staff, sid, pkg);
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "open");
	th_resp_free(r);
	assert_problem_type(r = th_call("GET", w.o.w.staff, NULL, "/v1/packages/%s/label", pkg), 409,
	                    "wrong-state");
	th_resp_free(r);
	packed(&w, pkg, w.ean_b, 1);
	closed(&w, pkg, 150, tracking);
	rcv_uuid(sid);
	struct th_resp *a = ship_scan(w.o.w.staff, sid, tracking);
	ck_assert_msg(a->status == 200, "%s", a->body);
	struct th_resp *b = ship_scan(w.o.w.staff, sid, tracking); /* the same scan */
	ck_assert_msg(b->status == 200, "%s", b->body);
	ck_assert_str_eq(th_header(b, "Idempotent-Replayed"), "true");
	ck_assert_str_eq(a->body, b->body);
	th_resp_free(a);
	th_resp_free(b);
	long long before = th_rows_total();
	rcv_uuid(sid);
	r = ship_scan(w.o.w.staff, sid, tracking); /* a new scan of the same label */
	assert_problem_type(r, 409, "wrong-state");
	ck_assert_str_eq(th_str(r->json, "state"), "shipped");
	ck_assert_ptr_nonnull(th_str(r->json, "shipped_at"));
	ck_assert_msg(strstr(th_str(r->json, "detail"), "shipped") != NULL, "%s", r->body);
	th_resp_free(r);
	ck_assert_int_eq(th_rows_total(), before);
	/* a misread check digit is 422 on barcode */
	char bad[32];
	snprintf(bad, sizeof bad, "%s", tracking);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	ck_assert(th_problem(ship_scan(w.o.w.staff, sid, bad), 422, "barcode", "format"));
	ck_assert(ob_invariants(&w.o));
}
END_TEST

START_TEST(another_warehouses_staff_cannot_see_or_touch_the_packages)
{
	struct pk w, x;
	char order[37], pkg[37], tracking[32], sid[37];
	stocked(&w);
	stocked(&x);
	packed_order(&w, order, pkg);
	const char *other = x.o.w.staff;
	long long before = th_rows_total();
	rcv_uuid(sid);
	ck_assert(th_problem(open_package(&x, order, "BOX-M"), 404, NULL, NULL));
	ck_assert(th_problem(pack_scan(other, sid, pkg, w.ean_a, 1), 404, NULL, NULL));
	ck_assert(th_problem(close_with(other, pkg, 500), 404, NULL, NULL));
	ck_assert_int_eq(th_rows_total(), before);
	closed(&w, pkg, 900, tracking);
	before = th_rows_total();
	ck_assert(th_problem(th_call("GET", other, NULL, "/v1/packages/%s", pkg), 404, NULL, NULL));
	ck_assert(th_problem(th_call("GET", other, NULL, "/v1/packages/%s/label", tracking), 404, NULL,
	                     NULL));
	ck_assert(th_problem(th_call("GET", x.o.w.seller_key, NULL, "/v1/packages/%s", pkg), 404, NULL,
	                     NULL));
	ck_assert(th_problem(ship_scan(other, sid, tracking), 404, NULL, NULL));
	ck_assert(th_problem(ship_scan(other, sid, pkg), 404, NULL, NULL));
	ck_assert_int_eq(th_rows_total(), before);
	/* roles: scans are staff's; the label is staff's and admin's */
	th_expect(ship_scan(w.o.w.seller_key, sid, tracking), 403);
	th_expect(ship_scan(w.o.w.admin, sid, tracking), 403);
	th_expect(th_call("GET", w.o.platform, NULL, "/v1/packages/%s/label", pkg), 403);
	struct th_resp *r = th_call("GET", other, NULL, "/v1/packages?state=closed");
	ck_assert_msg(r->status == 200, "%s", r->body);
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 0);
	th_resp_free(r);
	r = th_call("GET", w.o.w.staff, NULL, "/v1/packages?state=closed");
	ck_assert_int_eq(cJSON_GetArraySize(th_at(r->json, "items")), 1);
	ck_assert_str_eq(th_str(r->json, "items.0.tracking_number"), tracking);
	th_resp_free(r);
	ck_assert(th_problem(th_call("GET", w.o.w.staff, NULL, "/v1/packages?state=lost"), 400, NULL,
	                     NULL));
	ck_assert(ob_invariants(&w.o));
}
END_TEST

Suite *packing_suite(void);
Suite *packing_suite(void)
{
	Suite *s = suite_create("packing");
	TCase *tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, package_types_list_the_box_sizes);
	tcase_add_test(tc, a_package_opens_for_an_order_with_picked_units_only);
	tcase_add_test(tc, pack_scans_count_exactly_once_and_wrong_item_is_409);
	tcase_add_test(tc, only_picked_units_are_packed_and_the_order_waits_for_the_rest);
	tcase_add_test(tc, close_quotes_the_real_parcel_and_stores_a_zpl_label);
	tcase_add_test(tc, tracking_numbers_are_unique_and_follow_the_series);
	tcase_add_test(tc, close_keeps_the_allocated_itinerary_while_it_exists_else_quotes_afresh);
	tcase_add_test(tc, concurrent_closes_take_consecutive_serials_once_each);
	tcase_add_test(tc, closing_twice_is_409_with_the_stored_tracking_number);
	tcase_add_test(tc, used_up_tracking_series_is_409_and_changes_nothing);
	tcase_add_test(tc, ship_scan_moves_the_units_out_of_packing_and_ships_the_order);
	tcase_add_test(tc, ship_scan_takes_the_picked_lots_first_expired_first);
	tcase_add_test(tc, ship_scan_twice_is_409_naming_shipped);
	tcase_add_test(tc, another_warehouses_staff_cannot_see_or_touch_the_packages);
	suite_add_tcase(s, tc);
	return s;
}
