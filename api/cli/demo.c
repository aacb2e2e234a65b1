/* demo.c — demo data for `make run`: a consolidation hub and a fulfillment
 * center with bins, two sellers with a few SKUs each, an inbound shipment in transit to the
 * fulfillment center (ASN-DE0000D001, for the scanner client), one key per role.
 * Everything here is an example, not any real company's data. */
#include "api/cli/demo.h"

#include <libpq-fe.h>
#include <stdio.h>

#include "api/cli/demo_network.h"
#include "api/cli/keys.h"

static const char demo_sql[] =
	"BEGIN;"
	"INSERT INTO warehouses (code, name, country, time_zone, kind) VALUES"
	" ('CN-SZX-HUB', 'Shenzhen consolidation hub (demo)', 'CN', 'Asia/Shanghai', 'consolidation_hub'),"
	" ('ES-MAD-FC', 'Madrid fulfillment center (demo)', 'ES', 'Europe/Madrid', 'fulfillment_center')"
	" ON CONFLICT (code) DO NOTHING;"
	"INSERT INTO bins (warehouse_id, code, zone, kind)"
	" SELECT w.id, b.code, b.zone, b.kind FROM warehouses w JOIN (VALUES"
	"  ('CN-SZX-HUB', 'RECEIVING', 'DOCK', 'receiving'), ('CN-SZX-HUB', 'QUARANTINE', 'DOCK', 'quarantine'),"
	"  ('ES-MAD-FC', 'RECEIVING', 'DOCK', 'receiving'), ('ES-MAD-FC', 'QUARANTINE', 'DOCK', 'quarantine'),"
	"  ('CN-SZX-HUB', 'PACKING', 'PACK', 'staging'), ('ES-MAD-FC', 'PACKING', 'PACK', 'staging'),"
	"  ('CN-SZX-HUB', 'RCV-01', 'DOCK', 'receiving'), ('CN-SZX-HUB', 'QUA-01', 'DOCK', 'quarantine'),"
	"  ('CN-SZX-HUB', 'A-01-01', 'A', 'storage'), ('CN-SZX-HUB', 'A-01-02', 'A', 'storage'),"
	"  ('ES-MAD-FC', 'RCV-01', 'DOCK', 'receiving'), ('ES-MAD-FC', 'QUA-01', 'DOCK', 'quarantine'),"
	"  ('ES-MAD-FC', 'A-01-01', 'A', 'storage'), ('ES-MAD-FC', 'A-01-02', 'A', 'storage'),"
	"  ('ES-MAD-FC', 'B-01-01', 'B', 'storage')) AS b (wh, code, zone, kind) ON b.wh = w.code"
	" ON CONFLICT (warehouse_id, code) DO NOTHING;"
	"INSERT INTO sellers (code, name, country, currency) VALUES"
	" ('ACME-AUDIO', 'Acme Audio Co. (demo)', 'CN', 'USD'),"
	" ('BRIGHT-HOME', 'Bright Home Goods (demo)', 'CN', 'USD')"
	" ON CONFLICT (code) DO NOTHING;"
	"INSERT INTO skus (seller_id, sku_code, gtin, name, category, weight_g, length_mm, width_mm,"
	"                  height_mm, declared_value, currency, popular)"
	" SELECT s.id, k.sku, k.gtin, k.name, k.cat, k.g, k.l, k.w, k.h, k.v, 'USD', k.pop"
	" FROM sellers s JOIN (VALUES"
	"  ('ACME-AUDIO', 'EB-100', '04006381333931', 'Wireless earbuds', 'electronics', 60, 80, 60, 40, 1500, true),"
	"  ('ACME-AUDIO', 'SPK-200', '00036000291452', 'Bluetooth speaker', 'electronics', 450, 180, 90, 90, 2400, false),"
	"  ('ACME-AUDIO', 'CBL-USB', '00000096385074', 'USB-C cable 1 m', 'accessories', 40, 120, 80, 20, 300, true),"
	"  ('BRIGHT-HOME', 'LAMP-01', '05901234123457', 'Desk lamp', 'home', 900, 300, 200, 150, 1800, false),"
	"  ('BRIGHT-HOME', 'MUG-02', '04012345123456', 'Ceramic mug', 'home', 350, 120, 100, 100, 450, true))"
	"  AS k (seller, sku, gtin, name, cat, g, l, w, h, v, pop) ON k.seller = s.code"
	" ON CONFLICT (seller_id, sku_code) DO NOTHING;"
	/* the demo shipment for the scanner (/scanner/): ACME-AUDIO's, in transit to Madrid, made
	 * once (a later `wmsd demo` leaves it as it is, received or not) */
	"WITH s AS (INSERT INTO inbound_shipments (warehouse_id, seller_id, asn, mode, state, handover,"
	"   expected_arrival, carrier, tracking_number, in_transit_at)"
	" SELECT w.id, se.id, 'ASN-DE0000D001', 'semi_warehouse', 'in_transit', 'drop_off', current_date,"
	"   'DHL', 'JD014600006281234567', statement_timestamp()"
	" FROM warehouses w, sellers se WHERE w.code = 'ES-MAD-FC' AND se.code = 'ACME-AUDIO'"
	" ON CONFLICT (warehouse_id, asn) DO NOTHING RETURNING warehouse_id, id, seller_id)"
	"INSERT INTO inbound_lines (warehouse_id, shipment_id, line_no, seller_id, sku_id, expected)"
	" SELECT s.warehouse_id, s.id, x.n, s.seller_id, k.id, x.qty"
	" FROM s JOIN (VALUES (1, 'SPK-200', 12), (2, 'CBL-USB', 30)) AS x (n, sku, qty) ON true"
	" JOIN skus k ON k.seller_id = s.seller_id AND k.sku_code = x.sku;"
	"UPDATE api_keys SET revoked_at = statement_timestamp() WHERE label LIKE 'demo:%'"
	" AND revoked_at IS NULL;"
	"COMMIT;";

/* After the network (the tracking series name its carrier services): opening stock in the
 * Madrid fulfillment centre's storage bins, posted once (an adjustment movement, as a stock
 * count would), and a tracking-number series per demo carrier service — S10 for the post,
 * carrier prefix + mod 10 for the others. */
static const char demo_outbound_sql[] =
	"BEGIN;"
	"SELECT inventory_post(w.id, jsonb_agg(jsonb_build_object('seller_id', k.seller_id,"
	"    'sku_id', k.id, 'qty', x.qty, 'to_bin', b.id, 'to_status', 'sellable')),"
	"    'adjustment', 'demo', 'opening stock', NULL, statement_timestamp())"
	" FROM warehouses w"
	" JOIN (VALUES ('EB-100', 'A-01-01', 120), ('SPK-200', 'A-01-02', 40), ('CBL-USB', 'B-01-01', 200),"
	"              ('MUG-02', 'B-01-01', 60)) AS x (sku, bin, qty) ON true"
	" JOIN skus k ON k.sku_code = x.sku JOIN bins b ON b.warehouse_id = w.id AND b.code = x.bin"
	" WHERE w.code = 'ES-MAD-FC' AND NOT EXISTS (SELECT 1 FROM inventory_movements m"
	"   WHERE m.warehouse_id = w.id AND m.ref_type = 'demo')"
	" GROUP BY w.id;"
	"INSERT INTO tracking_series (carrier_code, service_code, format, prefix, country, next_serial,"
	"                             last_serial) VALUES"
	" ('DEMO-POST', 'TRACKED', 's10', 'CA', 'ES', 1, 99999999),"
	" ('EXA-IB', 'PAQUETE', 'mod10', 'IBX', NULL, 1, 9999999999),"
	" ('EXA-TRUCK', 'LINEHAUL', 'mod10', 'XTR', NULL, 1, 9999999999),"
	" ('EXA-UK', 'NEXT-DAY', 'mod10', 'UKP', NULL, 1, 9999999999),"
	" ('EXA-BNL', 'PARCEL', 'mod10', 'BNL', NULL, 1, 9999999999),"
	" ('EXA-KR', 'TAEKBAE', 'mod10', 'KRP', NULL, 1, 9999999999)"
	" ON CONFLICT DO NOTHING;"
	/* ACME-AUDIO ships its JIT parcels to Shenzhen (BRIGHT-HOME: any hub of its country) */
	"INSERT INTO seller_jit_hubs (seller_id, warehouse_id)"
	" SELECT s.id, w.id FROM sellers s, warehouses w"
	" WHERE s.code = 'ACME-AUDIO' AND w.code = 'CN-SZX-HUB' ON CONFLICT DO NOTHING;"
	"COMMIT;";

static const struct {
	enum auth_role role;
	const char *scope;
	const char *label;
} demo_keys[] = {
	{AUTH_ADMIN, NULL, "demo:admin"},
	{AUTH_PLATFORM, NULL, "demo:platform"},
	{AUTH_SELLER, "ACME-AUDIO", "demo:seller ACME-AUDIO"},
	{AUTH_SELLER, "BRIGHT-HOME", "demo:seller BRIGHT-HOME"},
	{AUTH_STAFF, "CN-SZX-HUB", "demo:staff CN-SZX-HUB"},
	{AUTH_STAFF, "ES-MAD-FC", "demo:staff ES-MAD-FC"},
	{AUTH_CARRIER, "DEMO-POST", "demo:carrier DEMO-POST"},
};

int demo_main(const char *conninfo)
{
	int rc = 1;
	char err[512], key[AUTH_KEY_LEN + 1], id[37];
	PGconn *conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "wmsd demo: %s", PQerrorMessage(conn));
		goto done;
	}
	PGresult *res = PQexec(conn, demo_sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "wmsd demo: %s", PQresultErrorMessage(res));
	PQclear(res);
	if (!ok) {
		PQclear(PQexec(conn, "ROLLBACK"));
		goto done;
	}
	if (demo_network_load(conn, err, sizeof err) != 0) {
		fprintf(stderr, "wmsd demo: lane network: %s\n", err);
		goto done;
	}
	res = PQexec(conn, demo_outbound_sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "wmsd demo: stock and tracking series: %s", PQresultErrorMessage(res));
	PQclear(res);
	if (!ok) {
		PQclear(PQexec(conn, "ROLLBACK"));
		goto done;
	}
	printf("demo data loaded (examples only). Demo API keys (earlier demo keys revoked):\n");
	for (size_t i = 0; i < sizeof demo_keys / sizeof demo_keys[0]; i++) {
		if (keys_create(conn, demo_keys[i].role, demo_keys[i].scope, demo_keys[i].label, key, id,
		                err, sizeof err) != 0) {
			fprintf(stderr, "wmsd demo: %s: %s\n", demo_keys[i].label, err);
			goto done;
		}
		printf("  %-26s %s\n", demo_keys[i].label + 5, key);
	}
	rc = 0;
done:
	PQfinish(conn);
	return rc;
}
