/* network.h — the lane network the route engine plans on: nodes, carrier services and legs
 * with departures as UTC instants, built once from database rows, then read-only.
 *
 * Building: routing_network_new(), then add every node, service and leg (in any order;
 * references are by code and resolved at the end), then routing_network_finalize(). Every
 * add_* copies what it is given; the caller's arrays and strings may be freed right after.
 * Problems are collected on the network (routing_network_problem()), not reported one at a
 * time, so a loader can list all of them; a network with problems does not finalize.
 *
 * After routing_network_finalize() succeeds the network is immutable: any number of threads
 * may quote on it at once without locking. Replacing the network is building a new one and
 * swapping the pointer; free the old one when no quote still uses it (quotes borrow its
 * strings, see quote.h).
 *
 * Conventions (the loader maps database rows onto these):
 *  - time is int64 seconds since the Unix epoch, UTC. Weekly local schedules, order
 *    windows and delivery days are expanded to UTC instants by the loader (PostgreSQL
 *    `AT TIME ZONE`, sql/007_network.sql network_load_json()) over a horizon (e.g. three
 *    weeks from now); the engine never converts local time. A parcel that needs a departure
 *    beyond the last one given is "beyond the horizon" and never counts as on time.
 *  - durations are histograms on the network's grid of resolution_s seconds: weight p[i] is
 *    the weight of "takes i × resolution_s seconds". Build them by rounding observed
 *    durations up to the grid (bin i holds ((i−1)·res, i·res]); weights need not sum to 1,
 *    they are normalised on copy.
 *  - money is int64 minor units of the network's one currency (convert when loading).
 *  - weights in grams, lengths in millimetres.
 */
#ifndef ROUTING_NETWORK_H
#define ROUTING_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ROUTING_MUST_CHECK
#define ROUTING_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* The longest itinerary the engine builds, in legs. */
#define ROUTING_MAX_LEGS 5
/* Volumetric divisor used when a leg gives none: cm³ per kg (DESIGN §5). */
#define ROUTING_DEFAULT_VOL_DIVISOR 5000

enum routing_node_kind {
	ROUTING_NODE_WAREHOUSE,
	ROUTING_NODE_HUB,
	ROUTING_NODE_GATEWAY,
	ROUTING_NODE_ZONE, /* a delivery destination: country + optional postal prefix */
};

enum routing_mode {
	ROUTING_MODE_AIR,
	ROUTING_MODE_RAIL,
	ROUTING_MODE_ROAD,
	ROUTING_MODE_SEA,
	ROUTING_MODE_LAST_MILE,
};

/* A duration histogram (see the conventions above). n == 0 means "always zero". */
struct routing_hist {
	const double *p;
	size_t n;
};

/* A half-open interval [start, end) of UTC instants. */
struct routing_window {
	int64_t start;
	int64_t end;
};

/* One warehouse order batch: a parcel ready at t joins the first batch whose cutoff ≥ t and
 * starts processing at max(t, open). Both UTC instants (the loader expands the local daily
 * order cut-off, e.g. open = 00:00 and cutoff = 14:00 local of each day). */
struct routing_order_window {
	int64_t open;
	int64_t cutoff;
};

/* A node row. For nodes without order windows, processing starts at ready_at. */
struct routing_node_def {
	const char *code;             /* unique, non-empty */
	enum routing_node_kind kind;
	const char *country;          /* ISO 3166-1 alpha-2, upper case */
	const char *postal_prefix;    /* zones only; NULL or "" = the whole country */
	int32_t min_connection_s;     /* handling between an inbound and an outbound leg */
	const struct routing_order_window *order_windows; /* sorted by cutoff, disjoint */
	size_t n_order_windows;
	struct routing_hist processing; /* before the first leg; origins only */
};

/* A carrier service row; (carrier, service) is unique. */
struct routing_service_def {
	const char *carrier;
	const char *service;
	enum routing_mode mode;
};

/* A leg row with its departures expanded. Limits of 0 mean "no limit". */
struct routing_leg_def {
	const char *id;               /* unique; equal options are ordered by leg ids */
	const char *from;             /* node codes; `to` may be a zone, `from` may not */
	const char *to;
	const char *carrier;          /* a service added with routing_network_add_service */
	const char *service;
	const int64_t *departures;    /* UTC instants, strictly increasing */
	size_t n_departures;
	int32_t cutoff_min;           /* tender cut-off: minutes before departure */
	struct routing_hist transit;  /* departure → arrival at `to` (delivery for zones) */
	/* Legs into a zone only: the instants at which deliveries happen, sorted and disjoint
	 * (e.g. [00:00, 24:00) local of every delivery weekday in the horizon). A delivery that
	 * would fall outside every window happens at the start of the next window. None given:
	 * deliveries happen at any time. */
	const struct routing_window *delivery_windows;
	size_t n_delivery_windows;
	int64_t fixed_minor;          /* cost = fixed + per_kg × chargeable kg */
	int64_t per_kg_minor;
	int32_t max_weight_g;
	int32_t max_dims_mm[3];       /* any order; the parcel may be rotated */
	int32_t vol_divisor;          /* cm³ per kg; 0 = ROUTING_DEFAULT_VOL_DIVISOR */
};

struct routing_network;

/* Creates an empty network whose histograms use a grid of resolution_s seconds (e.g. 3600)
 * and whose money is in currency (three upper-case letters). Returns NULL if out of memory
 * or if an argument is invalid. The caller owns the network: routing_network_free(). */
struct routing_network *routing_network_new(int32_t resolution_s, const char *currency)
	ROUTING_MUST_CHECK;

/* Frees the network and everything it copied. NULL is allowed. */
void routing_network_free(struct routing_network *net);

/* Add one row each. Return 0, or -1 when the row is invalid (the problem is recorded on the
 * network, prefixed with the row's code) or memory ran out. Only before finalize. */
int routing_network_add_node(struct routing_network *net, const struct routing_node_def *def)
	ROUTING_MUST_CHECK;
int routing_network_add_service(struct routing_network *net,
                                const struct routing_service_def *def) ROUTING_MUST_CHECK;
int routing_network_add_leg(struct routing_network *net, const struct routing_leg_def *def)
	ROUTING_MUST_CHECK;

/* Resolves references, checks the network as a whole (unknown nodes and services, duplicate
 * codes and zones, legs out of zones, currency) and builds the indexes quotes use. Returns 0,
 * or -1 if any problem was recorded, now or by an earlier add_*; the network then cannot be
 * quoted on and should be freed. */
int routing_network_finalize(struct routing_network *net) ROUTING_MUST_CHECK;

/* The problems recorded so far, each a human-readable line such as
 * "leg CN1-GB: departures: not strictly increasing at index 3". Strings are owned by the
 * network. */
size_t routing_network_problem_count(const struct routing_network *net);
const char *routing_network_problem(const struct routing_network *net, size_t i);

/* Counts, for logs and benchmarks. */
size_t routing_network_node_count(const struct routing_network *net);
size_t routing_network_leg_count(const struct routing_network *net);
size_t routing_network_departure_count(const struct routing_network *net);

/* The zone node a parcel to (country, postal_code) is delivered in: among the zones of that
 * country, the one with the longest postal prefix that starts postal_code (compared without
 * spaces and dashes, case-insensitively); a zone without prefix matches the whole country.
 * Returns the zone's code (owned by the network), or NULL if no zone matches. Finalized
 * networks only. */
const char *routing_network_find_zone(const struct routing_network *net, const char *country,
                                      const char *postal_code);

/* Names as stored in the database, and back. parse_* return 0, or -1 for an unknown name. */
const char *routing_node_kind_name(enum routing_node_kind kind);
const char *routing_mode_name(enum routing_mode mode);
int routing_node_kind_parse(const char *name, enum routing_node_kind *out) ROUTING_MUST_CHECK;
int routing_mode_parse(const char *name, enum routing_mode *out) ROUTING_MUST_CHECK;

#endif
