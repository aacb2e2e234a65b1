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
	struct rcv_world w; /* the centre (w.wh, w.wh_id), the seller, staff/seller/admin keys */
	char platform[AUTH_KEY_LEN + 1];
	char carrier[40], service[16]; /* the carrier service of the centre's leg */
	char currency[4];              /* the seller's, and its orders' (ob_order) */
};

/* A fresh fulfillment centre with storage bins S-01 .. S-04 (zone S, in that walking order),
 * PACKING (staging), RECEIVING and QUARANTINE; an origin node of the same code with a daily
 * leg (24 h transit, every 2 hours) to the ES test zone and a 3-day promise at 95%; a
 * tracking series for the leg's carrier service. Waits until the server's network has the
 * origin (a quote from it answers 200). */
void ob_world_new(struct ob_world *o);

/* ob_world_new with a seller whose currency is currency: "EUR" is ob_world_new's; money tests
 * use "USD", the currency of the seeded fee schedule. */
void ob_world_new_in(struct ob_world *o, const char *currency);

/* A SKU of o's seller (250 g, 100 × 80 × 60 mm, category toys, declared 19.99). */
void ob_sku_new(const struct ob_world *o, const char *code, char gtin14[15], char ean13[14]);

/* A SKU of o's seller with a fresh GTIN (written to gtin14 when not NULL), of category
 * (commission), declared_value per unit in the seller's currency, popular or not (a 60%
 * advance at inbound close in semi_warehouse); 250 g, 100 × 80 × 60 mm. */
void ob_sku_priced(const struct ob_world *o, const char *code, const char *category,
                   long long declared_value, int popular, char gtin14[15]);

/* Puts qty sellable units of sku into bin with lot ("" none) and expiry (NULL none), as an
 * adjustment movement (inventory_post). */
void ob_stock(const struct ob_world *o, const char *sku, const char *bin, const char *lot,
              const char *expiry, int qty);

/* POST /v1/orders as the platform: client_order_id, mode, lines as a JSON array text
 * ([{"sku":…,"qty":…,"unit_price":…}]), amount_paid their total, the seller's currency, a
 * Madrid address. */
struct th_resp *ob_order(const struct ob_world *o, const char *client_order_id, const char *mode,
                         const char *lines, long long amount_paid);

/* Picks every unit of order_id (ob_pick_all) or of its line `line` (ob_pick, line >= 1) with
 * SQL that does what the pick scans do (the pick scans tests go through the API; this is the shortcut for tests about what comes after picking): the reserved units
 * move, still reserved, from their bins into PACKING (reason pick), the reservations count
 * them picked, and an allocated order becomes picking. */
void ob_pick(const struct ob_world *o, const char *order_id, int line);
void ob_pick_all(const struct ob_world *o, const char *order_id);
/* ob_order of a semi_warehouse order under a fresh client_order_id that must be allocated
 * (201); writes its id. */
void ob_order_new(const struct ob_world *o, const char *lines, long long amount_paid, char id[37]);

/* The available (qty − reserved) and reserved units of sku in o's warehouse, all bins. */
long long ob_free(const struct ob_world *o, const char *sku);
long long ob_reserved(const struct ob_world *o, const char *sku);

/* Stock invariants of o's warehouse: on-hand equals the sum of movements per (SKU, bin, lot,
 * expiry, status), reserved ≤ on-hand everywhere, and reserved equals the open (unpicked)
 * reservations plus the picked units not yet shipped (the reservations of orders still in
 * the warehouse less the units their shipped packages took). Returns 1 when they hold, else
 * prints the first violation and returns 0. */
int ob_invariants(const struct ob_world *o);

/* A parcel handed over at the dock (ob_ship). */
struct ob_parcel {
	char order[37], pkg[37], tracking[32];
};

/* An allocated order of qty × sku at unit_price (ob_order_new), picked (ob_pick_all), packed
 * into one BOX-S by a pack scan of ean, closed at weight_g (a tracking number of o's carrier)
 * and handed over by ship scan, through the API; the order is then shipped. */
void ob_ship(const struct ob_world *o, const char *sku, const char *ean, int qty,
             long long unit_price, int weight_g, struct ob_parcel *p);

#endif
