/* event_delivery.h — events out: the server's delivery of the outbox (event_outbox, written in
 * the transaction of each change) to subscribers, signed per Standard Webhooks. Every
 * WMS_EVENTS_POLL_MS it leases due events (event_claim: first of their subject and
 * subscription, so a parcel's events arrive in order) and POSTs each — webhook-id (the outbox
 * id), webhook-timestamp, webhook-signature (v1, HMAC-SHA256 with the subscription's secret)
 * — with a WMS_EVENTS_TIMEOUT deadline. A 2xx delivers it; 410 Gone disables the subscription;
 * anything else, or no answer, retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h
 * (× WMS_EVENTS_RETRY_SCALE %, each ±20% jitter), then fails. Each attempt is recorded
 * (event_attempts). Every server may run it: leases share the work; at least once. */
#ifndef WMS_API_EVENT_DELIVERY_H
#define WMS_API_EVENT_DELIVERY_H

#include <stdint.h>

struct api_app;
struct event_delivery;

/* Starts delivering through app's pool and loop; NULL when off (WMS_EVENTS_POLL_MS=0) or out
 * of memory (logged). Free with event_delivery_free after db_pool_free. */
struct event_delivery *event_delivery_start(struct api_app *app);
void event_delivery_free(struct event_delivery *d);

/* The delay before attempt `attempts + 1` after `attempts` failed ones, in ms, with jitter
 * drawn from r (0..1) and scaled by pct; -1 when the schedule is spent. */
int64_t event_delivery_backoff_ms(int attempts, int pct, double r);

#endif
