/* th_receiving.c — fixtures for the receiving suites (see th_receiving.h). */
#include "tests/harness/th_receiving.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness/th.h"

void rcv_world_new(struct rcv_world *w, int tolerance_bp)
{
	memset(w, 0, sizeof *w);
	snprintf(w->wh, sizeof w->wh, "%s", th_code("WH"));
	snprintf(w->seller, sizeof w->seller, "%s", th_code("SE"));
	snprintf(w->wh_id, sizeof w->wh_id, "%s",
	         th_sql_valuep("INSERT INTO warehouses (code, name, country, time_zone, kind,"
	                       " over_receipt_tolerance_bp) VALUES ($1, 'Test', 'ES', 'Europe/Madrid',"
	                       " 'fulfillment_center', $2) RETURNING id",
	                       w->wh, TH_INT(tolerance_bp), NULL));
	/* what the warehouse create endpoint adds after the warehouse: its dock bins */
	th_sqlp("INSERT INTO bins (warehouse_id, code, zone, kind) VALUES ($1, 'RECEIVING', 'DOCK',"
	        " 'receiving'), ($1, 'QUARANTINE', 'DOCK', 'quarantine')", w->wh_id, NULL);
	snprintf(w->seller_id, sizeof w->seller_id, "%s",
	         th_sql_valuep("INSERT INTO sellers (code, name, country, currency) VALUES ($1,"
	                       " 'Test', 'ES', 'EUR') RETURNING id", w->seller, NULL));
	snprintf(w->staff, sizeof w->staff, "%s", th_key(AUTH_STAFF, w->wh));
	snprintf(w->seller_key, sizeof w->seller_key, "%s", th_key(AUTH_SELLER, w->seller));
	snprintf(w->admin, sizeof w->admin, "%s", th_key(AUTH_ADMIN, NULL));
}

void rcv_gtin_new(char gtin14[15], char ean13[14])
{
	static unsigned n;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long long body = ((unsigned long long)ts.tv_nsec * 7919u + (unsigned)getpid() * 131u +
	                           ++n * 1000003u) % 10000000000ull;
	char digits[13];
	snprintf(digits, sizeof digits, "20%010llu", body);
	int sum = 0;
	for (int i = 0; i < 12; i++) /* weights 1,3,1,3,... from the left for EAN-13 */
		sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
	snprintf(ean13, 14, "%s%d", digits, (10 - sum % 10) % 10);
	snprintf(gtin14, 15, "0%s", ean13);
}

void rcv_sku_new(const struct rcv_world *w, const char *code, char gtin14[15], char ean13[14])
{
	rcv_gtin_new(gtin14, ean13);
	th_sqlp("INSERT INTO skus (seller_id, sku_code, gtin, name, category, weight_g, length_mm,"
	        " width_mm, height_mm, declared_value, currency) VALUES ($1, $2, $3, 'Item',"
	        " 'toys', 250, 100, 80, 60, 1999, 'EUR')", w->seller_id, code, gtin14, NULL);
}

void rcv_shipment_new(const struct rcv_world *w, const char *state, int n,
                      const char *const *skus, const int *expected, char id[37], char asn[32])
{
	snprintf(id, 37, "%s",
	         th_sql_valuep("INSERT INTO inbound_shipments (warehouse_id, seller_id, mode, state,"
	                       " handover, expected_arrival) VALUES ($1, $2, 'semi_warehouse', $3,"
	                       " 'drop_off', current_date) RETURNING id",
	                       w->wh_id, w->seller_id, state, NULL));
	snprintf(asn, 32, "%s",
	         th_sql_valuep("SELECT asn FROM inbound_shipments WHERE id = $1", id, NULL));
	for (int i = 0; i < n; i++)
		th_sqlp("INSERT INTO inbound_lines (warehouse_id, shipment_id, line_no, seller_id, sku_id,"
		        " expected) SELECT $1, $2, $3, seller_id, id, $4 FROM skus"
		        " WHERE seller_id = $5 AND sku_code = $6",
		        w->wh_id, id, TH_INT(i + 1), TH_INT(expected[i]), w->seller_id, skus[i], NULL);
}

void rcv_uuid(char out[37])
{
	unsigned char b[16];
	FILE *f = fopen("/dev/urandom", "rb");
	if (!f || fread(b, 1, sizeof b, f) != sizeof b)
		abort();
	fclose(f);
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}
