/* network_load.h — the lane network a wmsd process quotes on: built from the database's
 * load document (SQL network_load_json(), local schedules already expanded to UTC epoch
 * seconds by PostgreSQL), kept in memory, and reloaded whenever the network tables change
 * (LISTEN wms_network through the pool) and every hour (the horizon moves).
 *
 * A snapshot is immutable once built (but for the route caches its quoting threads fill) and
 * reference-counted: the current one is replaced by pointer swap in the loop, and a quote
 * running on a worker thread holds a reference to the snapshot it started on, so a reload
 * never frees a network under a quote. */
#ifndef WMS_API_NETWORK_LOAD_H
#define WMS_API_NETWORK_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <cjson/cJSON.h>

struct api_app;
struct routing_network;

/* Histograms are weights per hour; the engine's grid is one hour. */
#define NETWORK_RESOLUTION_S 3600
/* The horizon loaded: from now − back to now + ahead, in days. */
#define NETWORK_BACK_DAYS 1
#define NETWORK_AHEAD_DAYS 21
/* Quoting threads a snapshot keeps a route cache for (WMS_WORKERS is at most this). */
#define NETWORK_CACHE_SLOTS 64

/* A promise target: origin node code (NULL = every origin) and destination country. */
struct network_promise {
	char *origin;
	char country[3];
	int days;
	int target_bp;
};

/* A zone's local midnights (UTC instants, increasing) over the horizon and 62 days after. */
struct network_zone_days {
	char *zone;
	int64_t *midnights;
	size_t n;
};

/* Transit times that learn: a leg's configured distribution (the prior, worth
 * NETWORK_LEARN_PRIOR parcels) blended with what tracking observed of it (each parcel weighted
 * 0.5^(age / 28 days), network_load_json), used for quotes once NETWORK_LEARN_MIN parcels
 * were observed in the last 52 weeks. */
#define NETWORK_LEARN_MIN 30
#define NETWORK_LEARN_PRIOR 20.0
#define NETWORK_LEARN_HALF_LIFE_DAYS 28

/* What a snapshot's leg is quoted with: hours at the 50th and 95th percentile of the
 * configured distribution and of the learned one (0 when none), and the parcels behind it. */
struct network_leg_transit {
	char *leg;
	int observed;        /* parcels in the last 52 weeks */
	double weight;       /* their weight after the half-life */
	bool learned;        /* quotes use the learned distribution */
	int configured_p50_h, configured_p95_h;
	int learned_p50_h, learned_p95_h;
};

struct network_snapshot {
	struct routing_network *net; /* finalized */
	struct network_leg_transit *transits; /* per leg, in the load document's order */
	size_t n_transits;
	/* per quoting thread (slot = its worker index): bound tables, 64 MiB at most each, made
	 * on first use by network_snapshot_cache(); NULL = not yet, or out of memory */
	struct routing_cache *caches[NETWORK_CACHE_SLOTS];
	atomic_int refs;             /* network_snapshot_hold / network_snapshot_free */
	int64_t version;             /* network_settings.version it was loaded at */
	int64_t loaded_at, horizon_from, horizon_to;
	char currency[4];
	struct network_promise *promises;
	size_t n_promises;
	struct network_zone_days *zones; /* sorted by zone code */
	size_t n_zones;
};

/* Builds a snapshot from a load document ({version, currency, horizon_from, horizon_to,
 * nodes, services, legs, promises}, see sql/functions/network_load_json.sql). Returns it with
 * one reference, the caller's (network_snapshot_free), or NULL: then *problems, when problems
 * is not NULL, is set to a new cJSON array of strings — every problem the engine found, or one
 * sentence about the document's shape or memory (the caller deletes it). */
struct network_snapshot *network_snapshot_build(const cJSON *doc, cJSON **problems);
/* The transit a leg of s is quoted with, or NULL for an unknown leg. */
const struct network_leg_transit *network_snapshot_transit(const struct network_snapshot *s,
                                                          const char *leg);
/* Takes one more reference to s (any thread) and returns s. */
struct network_snapshot *network_snapshot_hold(struct network_snapshot *s);
/* Drops one reference (any thread); the last one frees the snapshot. NULL is allowed. */
void network_snapshot_free(struct network_snapshot *s);

/* The route cache of quoting thread `slot` (0 .. NETWORK_CACHE_SLOTS − 1), made on first use
 * with its answer memo on or off (routing/cache.h); NULL when out of memory (quote uncached:
 * the same answer). Only that thread may use it, while it holds a reference to s. */
struct routing_cache *network_snapshot_cache(struct network_snapshot *s, int slot,
                                             bool answer_memo);

/* The promise for (origin, country): the origin's own target, else the every-origin one,
 * else NULL. */
const struct network_promise *network_snapshot_promise(const struct network_snapshot *s,
                                                       const char *origin, const char *country);

/* The promise deadline for a parcel ready at ready_at delivered in zone with a promise of
 * days: the last second of the days-th calendar day after the ready day, both days in the
 * zone's local time (zone days from PostgreSQL, so DST is exact). Returns 0, or -1 when
 * the zone is unknown or ready_at lies outside the loaded days. */
int network_snapshot_deadline(const struct network_snapshot *s, const char *zone,
                              int64_t ready_at, int days, int64_t *deadline)
	__attribute__((warn_unused_result));

/* --- the process's current network (app->network) ------------------------------------ */

struct network_state;

/* Loads the network once, blocking (at start, before the loop runs; a database without a
 * network gives an empty one), then LISTENs on wms_network and reloads through the pool on
 * every notification and every hour. Returns the state (free with network_state_free after
 * the pool is freed), or NULL when out of memory. A failed first load is logged; quotes
 * answer 503 until a load succeeds. */
struct network_state *network_state_start(struct api_app *app);
void network_state_free(struct network_state *st);

/* The current snapshot, or NULL when none is loaded. Valid until control returns to the
 * loop; network_snapshot_hold() it to keep it longer. */
struct network_snapshot *network_current(const struct api_app *app);

/* Offers a freshly built snapshot (ownership taken): it replaces the current one unless
 * that one was loaded at a later version. */
void network_offer(struct api_app *app, struct network_snapshot *s);

#endif
