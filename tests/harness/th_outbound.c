/* th_outbound.c — fixtures for the outbound suites (see th_outbound.h). */
#include "tests/harness/th_outbound.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

/* The ES test zone's code: the zone of (ES, no prefix), made when missing. */
static const char *zone_code(void)
{
	th_sql("INSERT INTO network_nodes (code, kind, country, time_zone) VALUES ('T-ZONE-ES', 'zone',"
	       " 'ES', 'Europe/Madrid') ON CONFLICT DO NOTHING");
	return th_sql_value("SELECT code FROM network_nodes WHERE kind = 'zone' AND country = 'ES'"
	                    " AND postal_prefix IS NULL");
}

void ob_world_new(struct ob_world *o)
{
	ob_world_new_in(o, "EUR");
}

void ob_world_new_in(struct ob_world *o, const char *currency)
{
	char zone[40], leg[48], departures[1024];
	memset(o, 0, sizeof *o);
	rcv_world_new(&o->w, 1000);
	snprintf(o->currency, sizeof o->currency, "%s", currency);
	th_sqlp("UPDATE sellers SET currency = $2 WHERE id = $1", o->w.seller_id, currency, NULL);
	snprintf(o->platform, sizeof o->platform, "%s", th_key(AUTH_PLATFORM, NULL));
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone, kind) VALUES ($1, 'S-01', 'S', 'storage'),"
	        " ($1, 'S-02', 'S', 'storage'), ($1, 'S-03', 'S', 'storage'), ($1, 'S-04', 'S', 'storage'),"
	        " ($1, 'PACKING', 'PACK', 'staging')", o->w.wh_id, NULL);

	/* the lane network: the centre, a carrier service with a tracking series, a leg, a promise */
	snprintf(zone, sizeof zone, "%s", zone_code());
	snprintf(o->carrier, sizeof o->carrier, "%s", th_code("TC"));
	snprintf(o->service, sizeof o->service, "PARCEL");
	size_t used = (size_t)snprintf(departures, sizeof departures, "{");
	for (int m = 0; m < 10080; m += 120)
		used += (size_t)snprintf(departures + used, sizeof departures - used, "%s%d",
		                         m ? "," : "", m);
	snprintf(departures + used, sizeof departures - used, "}");
	snprintf(leg, sizeof leg, "L-%s", o->w.wh);
	th_sqlp("INSERT INTO carriers (code, name) VALUES ($1, 'Test carrier')", o->carrier, NULL);
	th_sqlp("INSERT INTO carrier_services (carrier_code, service_code, mode) VALUES ($1, $2,"
	        " 'last_mile')", o->carrier, o->service, NULL);
	th_sqlp("INSERT INTO tracking_series (carrier_code, service_code, format, prefix, next_serial,"
	        " last_serial) VALUES ($1, $2, 'mod10', 'TT', 1, 9999999999)", o->carrier, o->service,
	        NULL);
	th_sqlp("INSERT INTO network_nodes (code, kind, warehouse_id, country, time_zone) VALUES ($1,"
	        " 'warehouse', $2, 'ES', 'Europe/Madrid')", o->w.wh, o->w.wh_id, NULL);
	th_sqlp("INSERT INTO network_legs (id, from_node, to_node, carrier_code, service_code,"
	        " departures, cutoff_min, transit_hist_h, fixed_minor, per_kg_minor, currency)"
	        " VALUES ($1, $2, $3, $4, $5, $6::int[], 30,"
	        " array_fill(0::float8, ARRAY[24]) || ARRAY[1::float8], 300, 50,"
	        " (SELECT currency FROM network_settings))",
	        leg, o->w.wh, zone, o->carrier, o->service, departures, NULL);
	th_sqlp("INSERT INTO promise_targets (origin_node, country, days, target_bp) VALUES ($1, 'ES',"
	        " 3, 9500)", o->w.wh, NULL);

	/* the server reloads the network on the change's NOTIFY: wait until it quotes from here */
	for (int i = 0; i < 200; i++) {
		struct th_resp *r = th_reqf("POST", "/v1/routes/quote", o->platform,
		                            "{\"origin\":\"%s\",\"destination\":{\"country\":\"ES\"},"
		                            "\"parcel\":{\"weight_g\":500,\"length_mm\":100,"
		                            "\"width_mm\":100,\"height_mm\":100}}", o->w.wh);
		long st = r->status;
		th_resp_free(r);
		if (st == 200)
			return;
		usleep(50 * 1000);
	}
	ck_abort_msg("the server's lane network never gained origin %s", o->w.wh);
}

void ob_sku_new(const struct ob_world *o, const char *code, char gtin14[15], char ean13[14])
{
	rcv_sku_new(&o->w, code, gtin14, ean13);
}

void ob_sku_priced(const struct ob_world *o, const char *code, const char *category,
                   long long declared_value, int popular, char gtin14[15])
{
	char g[15], e[14];
	rcv_gtin_new(g, e);
	if (gtin14)
		memcpy(gtin14, g, sizeof g);
	th_sqlp("INSERT INTO skus (seller_id, sku_code, gtin, name, category, weight_g, length_mm,"
	        " width_mm, height_mm, declared_value, currency, popular) VALUES ($1, $2, $3, 'Item',"
	        " $4, 250, 100, 80, 60, $5::bigint, $6, $7::boolean)",
	        o->w.seller_id, code, g, category, TH_INT(declared_value), o->currency,
	        popular ? "true" : "false", NULL);
}

void ob_stock(const struct ob_world *o, const char *sku, const char *bin, const char *lot,
              const char *expiry, int qty)
{
	const char *p[] = {o->w.wh_id, o->w.seller_id, sku, TH_INT(qty), bin, lot ? lot : "", expiry};
	th_sqlv("SELECT inventory_post($1::uuid, jsonb_build_array(jsonb_build_object('seller_id', $2::uuid,"
	        " 'sku_id', (SELECT id FROM skus WHERE seller_id = $2 AND sku_code = $3),"
	        " 'qty', $4::int, 'to_bin', (SELECT id FROM bins WHERE warehouse_id = $1::uuid AND code = $5),"
	        " 'to_status', 'sellable', 'lot', $6::text, 'expiry', $7::date)),"
	        " 'adjustment', 'test', 'fixture', NULL, clock_timestamp())", 7, p);
}

struct th_resp *ob_order(const struct ob_world *o, const char *client_order_id, const char *mode,
                         const char *lines, long long amount_paid)
{
	return th_reqf("POST", "/v1/orders", o->platform,
	               "{\"client_order_id\":\"%s\",\"seller\":\"%s\",\"mode\":\"%s\","
	               "\"destination\":{\"name\":\"Ana García\",\"address\":\"Calle Mayor 1\","
	               "\"city\":\"Madrid\",\"postal_code\":\"28013\",\"country\":\"" OB_COUNTRY "\"},"
	               "\"lines\":%s,\"currency\":\"%s\",\"amount_paid\":%lld,"
	               "\"placed_at\":\"2026-01-05T10:00:00Z\"}",
	               client_order_id, o->w.seller, mode, lines, o->currency, amount_paid);
}

void ob_order_new(const struct ob_world *o, const char *lines, long long amount_paid, char id[37])
{
	struct th_resp *r = ob_order(o, th_code("MP"), "semi_warehouse", lines, amount_paid);
	ck_assert_msg(r->status == 201 && th_str(r->json, "state") &&
	                  strcmp(th_str(r->json, "state"), "allocated") == 0,
	              "order not allocated: %ld %s", r->status, r->body);
	snprintf(id, 37, "%s", th_str(r->json, "id"));
	th_resp_free(r);
}

static long long sku_sum(const struct ob_world *o, const char *sku, const char *column_sql)
{
	return atoll(th_sql_valuep(column_sql, o->w.wh_id, o->w.seller_id, sku, NULL));
}

long long ob_free(const struct ob_world *o, const char *sku)
{
	return sku_sum(o, sku, "SELECT coalesce(sum(qty - reserved), 0) FROM inventory_onhand"
	                       " WHERE warehouse_id = $1 AND sku_id = (SELECT id FROM skus"
	                       " WHERE seller_id = $2 AND sku_code = $3)");
}

long long ob_reserved(const struct ob_world *o, const char *sku)
{
	return sku_sum(o, sku, "SELECT coalesce(sum(reserved), 0) FROM inventory_onhand"
	                       " WHERE warehouse_id = $1 AND sku_id = (SELECT id FROM skus"
	                       " WHERE seller_id = $2 AND sku_code = $3)");
}

int ob_invariants(const struct ob_world *o)
{
	const char *bad = th_sql_valuep(
		"WITH mv AS (SELECT sku_id, bin_id, status, lot, expiry, sum(d) AS qty FROM ("
		"   SELECT sku_id, to_bin_id AS bin_id, to_status AS status, lot, expiry, qty AS d"
		"   FROM inventory_movements WHERE warehouse_id = $1 AND to_bin_id IS NOT NULL"
		"   UNION ALL SELECT sku_id, from_bin_id, from_status, lot, expiry, -qty"
		"   FROM inventory_movements WHERE warehouse_id = $1 AND from_bin_id IS NOT NULL) x"
		"   GROUP BY 1, 2, 3, 4, 5),"
		" oh AS (SELECT sku_id, bin_id, status, lot, expiry, qty FROM inventory_onhand"
		"   WHERE warehouse_id = $1),"
		" ledger AS (SELECT 'on-hand ' || coalesce(oh.qty, 0) || ' <> movements '"
		"   || coalesce(mv.qty, 0) || ' for sku ' || coalesce(oh.sku_id, mv.sku_id) AS msg"
		"   FROM oh FULL JOIN mv USING (sku_id, bin_id, status, lot, expiry)"
		"   WHERE coalesce(oh.qty, 0) <> coalesce(mv.qty, 0)),"
		" res AS (SELECT 'reserved ' || r.on_hand || ' <> open reservations ' || coalesce(x.held, 0)"
		"   || ' less shipped ' || coalesce(s.gone, 0) || ' for sku ' || r.sku_id AS msg"
		"   FROM (SELECT sku_id, sum(reserved) AS on_hand FROM inventory_onhand"
		"         WHERE warehouse_id = $1 GROUP BY sku_id) r"
		"   LEFT JOIN (SELECT x.sku_id, sum(x.qty) AS held FROM order_reservations x"
		"              JOIN orders d ON d.seller_id = x.seller_id AND d.id = x.order_id"
		"              WHERE x.warehouse_id = $1"
		"                AND d.state IN ('allocated', 'picking', 'packed', 'on_hold')"
		"              GROUP BY x.sku_id) x USING (sku_id)"
		/* units of those orders already shipped in their shipped packages (packing) */
		"   LEFT JOIN (SELECT l.sku_id, sum(i.qty) AS gone FROM package_items i"
		"              JOIN packages p ON p.warehouse_id = i.warehouse_id AND p.id = i.package_id"
		"              JOIN orders d ON d.seller_id = p.seller_id AND d.id = p.order_id"
		"              JOIN (SELECT DISTINCT warehouse_id, order_id, line_no, sku_id"
		"                    FROM order_reservations) l ON l.warehouse_id = i.warehouse_id"
		"                AND l.order_id = p.order_id AND l.line_no = i.line_no"
		"              WHERE i.warehouse_id = $1 AND p.state = 'shipped'"
		"                AND d.state IN ('allocated', 'picking', 'packed', 'on_hold')"
		"              GROUP BY l.sku_id) s USING (sku_id)"
		"   WHERE r.on_hand <> coalesce(x.held, 0) - coalesce(s.gone, 0)),"
		" neg AS (SELECT 'reserved > qty at bin ' || bin_id AS msg FROM inventory_onhand"
		"   WHERE warehouse_id = $1 AND (reserved > qty OR qty < 0 OR reserved < 0))"
		"SELECT msg FROM ledger UNION ALL SELECT msg FROM res UNION ALL SELECT msg FROM neg LIMIT 1",
		o->w.wh_id, NULL);
	if (bad[0]) {
		fprintf(stderr, "stock invariant broken in %s: %s\n", o->w.wh, bad);
		return 0;
	}
	return 1;
}

void ob_pick(const struct ob_world *o, const char *order_id, int line)
{
	/* stands in for the pick scans (branch picking) until they land: see th_outbound.h */
	const char *p[] = {o->w.wh_id, order_id, line > 0 ? TH_INT(line) : NULL};
	th_sqlv("SELECT inventory_post($1::uuid, (SELECT jsonb_agg(jsonb_build_object("
	        " 'seller_id', x.seller_id, 'sku_id', x.sku_id, 'qty', x.qty - x.picked,"
	        " 'from_bin', x.bin_id, 'from_status', 'sellable',"
	        " 'to_bin', (SELECT b.id FROM bins b WHERE b.warehouse_id = $1::uuid AND b.code = 'PACKING'),"
	        " 'to_status', 'sellable', 'lot', x.lot,"
	        " 'expiry', CASE WHEN x.expiry <> 'infinity' THEN x.expiry END, 'reserved', true))"
	        " FROM order_reservations x WHERE x.warehouse_id = $1::uuid AND x.order_id = $2::uuid"
	        " AND x.picked < x.qty AND ($3::int IS NULL OR x.line_no = $3::int)),"
	        " 'pick', 'test', 'fixture', NULL, clock_timestamp())", 3, p);
	th_sqlv("UPDATE order_reservations SET picked = qty WHERE warehouse_id = $1 AND order_id = $2"
	        " AND ($3::int IS NULL OR line_no = $3::int)", 3, p);
	th_sqlp("UPDATE orders SET state = 'picking' WHERE id = $1 AND state = 'allocated'", order_id,
	        NULL);
}

void ob_pick_all(const struct ob_world *o, const char *order_id)
{
	ob_pick(o, order_id, 0);
}

void ob_ship(const struct ob_world *o, const char *sku, const char *ean, int qty,
             long long unit_price, int weight_g, struct ob_parcel *p)
{
	char sid[37], lines[160], body[64];
	snprintf(lines, sizeof lines, "[{\"sku\":\"%s\",\"qty\":%d,\"unit_price\":%lld}]", sku, qty,
	         unit_price);
	ob_order_new(o, lines, qty * unit_price, p->order);
	ob_pick_all(o, p->order);
	struct th_resp *r = th_reqf("POST", "/v1/packages", o->w.staff,
	                            "{\"order\":\"%s\",\"package_type\":\"BOX-S\"}", p->order);
	ck_assert_msg(r->status == 201, "%s", r->body);
	snprintf(p->pkg, sizeof p->pkg, "%s", th_str(r->json, "id"));
	th_resp_free(r);
	rcv_uuid(sid);
	th_expect(th_reqf("POST", "/v1/pack/scans", o->w.staff,
	                  "{\"scan_id\":\"%s\",\"package\":\"%s\",\"barcode\":\"%s\",\"qty\":%d}",
	                  sid, p->pkg, ean, qty), 200);
	snprintf(body, sizeof body, "{\"weight_g\":%d}", weight_g);
	r = th_call("POST", o->w.staff, body, "/v1/packages/%s/close", p->pkg);
	ck_assert_msg(r->status == 200, "%s", r->body);
	snprintf(p->tracking, sizeof p->tracking, "%s", th_str(r->json, "tracking_number"));
	th_resp_free(r);
	rcv_uuid(sid);
	th_expect(th_reqf("POST", "/v1/ship/scans", o->w.staff,
	                  "{\"scan_id\":\"%s\",\"barcode\":\"%s\"}", sid, p->tracking), 200);
	ck_assert_str_eq(th_sql_valuep("SELECT state FROM orders WHERE id = $1", p->order, NULL),
	                 "shipped");
}
