/* escrow_release.h — the automatic release of the escrow when the buyer-protection window
 * after a carrier's delivery ends (orders.protection_until, set by tracking_ingest at
 * WMS_BUYER_PROTECTION after the delivery). Every WMS_ESCROW_RELEASE_EVERY seconds the server
 * reads up to 100 delivered orders whose window ended and whose escrow is still held, and
 * settles each through settle_run.h — the buyer's confirmation's code path: whichever comes
 * first settles, once; the other finds the order settled. Every server may run it. */
#ifndef WMS_API_ESCROW_RELEASE_H
#define WMS_API_ESCROW_RELEASE_H

struct api_app;
struct escrow_release;

/* Starts the periodic release through app's pool; NULL when off (WMS_ESCROW_RELEASE_EVERY=0)
 * or out of memory (logged). Free with escrow_release_free after db_pool_free. */
struct escrow_release *escrow_release_start(struct api_app *app);
void escrow_release_free(struct escrow_release *t);

#endif
