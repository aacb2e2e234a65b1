/* th_outbound.h — fixtures for the outbound suites: a fulfillment centre that is an origin of
 * the lane network (a leg to a test zone of ES, a promise target), storage bins and a PACKING
 * bin, a seller with SKUs, stock put straight into bins, and orders created through the API.
 * Built with SQL and HTTP so each test owns fresh, unique objects. */
#ifndef WMS_TESTS_TH_OUTBOUND_H
#define WMS_TESTS_TH_OUTBOUND_H

#include "api/http/auth.h"
#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

/* The country every fixture order goes to (its zone is made once per database). */
#define OB_COUNTRY "ES"

struct ob_world {
	struct rcv_world w; /* the centre (w.wh, w.wh_id), the seller (EUR), staff/seller/admin keys */
	char platform[AUTH_KEY_LEN + 1];
	char carrier[40], service[16]; /* the carrier service of the centre's leg */
};

/* A fresh fulfillment centre with storage bins S-01 .. S-04 (zone S, in that walking order),
 * PACKING (staging), RECEIVING and QUARANTINE; an origin node of the same code with a daily
 * leg (24 h transit, every 2 hours) to the ES test zone and a 3-day promise at 95%; a
 * tracking series for the leg's carrier service. Waits until the server's network has the
 * origin (a quote from it answers 200). */
void ob_world_new(struct ob_world *o);

/* A SKU of o's seller (250 g, 100 × 80 × 60 mm, category toys, declared 19.99). */
void ob_sku_new(const struct ob_world *o, const char *code, char gtin14[15], char ean13[14]);

/* Puts qty sellable units of sku into bin with lot ("" none) and expiry (NULL none), as an
 * adjustment movement (inventory_post). */
void ob_stock(const struct ob_world *o, const char *sku, const char *bin, const char *lot,
              const char *expiry, int qty);

/* POST /v1/orders as the platform: client_order_id, mode, lines as a JSON array text
 * ([{"sku":…,"qty":…,"unit_price":…}]), amount_paid their total, currency EUR, a Madrid
 * address. */
struct th_resp *ob_order(const struct ob_world *o, const char *client_order_id, const char *mode,
                         const char *lines, long long amount_paid);

/* ob_order of a semi_warehouse order under a fresh client_order_id that must be allocated
 * (201); writes its id. */
void ob_order_new(const struct ob_world *o, const char *lines, long long amount_paid, char id[37]);

/* The available (qty − reserved) and reserved units of sku in o's warehouse, all bins. */
long long ob_free(const struct ob_world *o, const char *sku);
long long ob_reserved(const struct ob_world *o, const char *sku);

/* Stock invariants of o's warehouse: on-hand equals the sum of movements per (SKU, bin, lot,
 * expiry, status), reserved ≤ on-hand everywhere, and reserved equals the open (unpicked)
 * reservations plus the picked units not yet shipped. Returns 1 when they hold, else prints
 * the first violation and returns 0. */
int ob_invariants(const struct ob_world *o);

#endif
