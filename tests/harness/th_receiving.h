/* th_receiving.h — fixtures for the receiving suites: a warehouse, a seller
 * with SKUs that have fresh GTINs, keys, and shipments inserted in a given
 * state; built with SQL so each test owns fresh, unique objects. */
#ifndef WMS_TESTS_TH_RECEIVING_H
#define WMS_TESTS_TH_RECEIVING_H

#include "api/http/auth.h"

struct rcv_world {
	char wh[64], wh_id[37];         /* warehouse code and id */
	char seller[64], seller_id[37]; /* seller code and id */
	char staff[AUTH_KEY_LEN + 1], seller_key[AUTH_KEY_LEN + 1], admin[AUTH_KEY_LEN + 1];
};

/* A fresh warehouse (over-receipt tolerance bp), seller and keys. */
void rcv_world_new(struct rcv_world *w, int tolerance_bp);
/* A fresh GTIN that no SKU has yet (gtin14 stored form, ean13 as scanned). */
void rcv_gtin_new(char gtin14[15], char ean13[14]);
/* A SKU of w's seller with a fresh GTIN: gtin14 is the stored form, ean13
 * the 13-digit EAN a scanner reads. */
void rcv_sku_new(const struct rcv_world *w, const char *code, char gtin14[15], char ean13[14]);
/* A shipment of w's seller in state, lines n SKU codes with expected
 * quantities; writes its id and ASN. */
void rcv_shipment_new(const struct rcv_world *w, const char *state, int n,
                      const char *const *skus, const int *expected, char id[37], char asn[32]);
/* A random (version 4) UUID. */
void rcv_uuid(char out[37]);

#endif
