/* bench_routing.c — in-process route quotes per second and latency on a generated
 * cross-border network (≥ 60 nodes, ≥ 800 legs, ≥ 10 000 departures a week), one core.
 *
 * Usage: bench_routing [quotes [traffic|http]]   (default 20000; fixed seed, so runs are
 * comparable; "traffic": the two traffic models only; "http": the HTTP benchmark's only)
 * Prints the network's size, then for two workloads (promise deadlines of 5–9 days; tight
 * deadlines of 2–9 days, a quarter of them at risk: no itinerary meets the target, so the
 * answer is the likeliest one) the outcome counts and
 *   routing (workload): N quotes/s, p50 X ms, p99 Y ms, max Z ms (target p99 < 1 ms: met)
 * then the same percentiles in thread CPU time (on a shared machine, wall time above it is
 * preemption), and for the at-risk quotes alone their p50/p99. Then, for information, the
 * tight workload with all_options (every non-dominated option listed). Then the traffic
 * model, as wmsd sees it: parcels ready at any second of one day, any warehouse, any
 * destination, the promise rule's deadline (end of the 5th day in the destination's zone for
 * GB, ES, NL, BE, KR; the 7th for DE, FR, PL), so many quotes share a deadline; quoted
 * without and then through a routing_cache (each cached answer checked against the uncached
 * one, outside the timing), with the cache's hit counts. Then (and alone with "http") the
 * HTTP benchmark's model (tests/bench/route_quote.lua): 96 fixed parcels from 4 warehouses
 * to 12 destinations, weights 0.1–5 kg, asked in turn, ready "now" (the clock advancing one
 * second every 8 quotes from Wednesday 09:00 in China, inside its order window), uncached
 * then cached, checked the same way. The cached runs print the cache's counters, the answer
 * memo's hit rate among them (a hit is a copy of a kept answer). Exit status 0 when the two
 * first workloads meet p99 < 1 ms (wall time), 1 otherwise.
 * BENCH_CACHE_MB sets the cache's budget (default 64).
 *
 * "handover" (bench_routing N handover, also run first by default): the JIT deadline search
 * (routing/handover.h) per task: a parcel of a random destination, the seller's two hubs
 * (two random warehouses of the network as consolidation hubs) each bisected for the latest
 * hand-over that keeps the promise at its cost class, then the hub chosen; uncached, then
 * through a routing_cache (the bisection's quotes share a deadline: its bound tables);
 *   handover (uncached): N tasks/s, p50 X ms, p99 Y ms, max Z ms, Q quotes per task
 * Not part of the exit status. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "routing/cache.h"
#include "routing/handover.h"
#include "routing/network.h"
#include "routing/quote.h"

#define H 3600
#define DAY 86400
#define T0 1742774400LL /* Monday 2025-03-24 00:00 UTC: London changes clocks that week */
#define HORIZON (21 * DAY)

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static int rng_int(struct rng *r, int n)
{
	return (int)(rng_next(r) % (uint64_t)n);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: unlike wall time, not inflated when a busy machine preempts us. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_routing: %s\n", what);
	exit(2);
}

/* The destination countries: code, gateway, UTC offset (no DST modelled except GB). */
struct country {
	const char *cc;
	const char *gw;
	int32_t offset;
	const char *prefixes[8];
};

/* A zone of the generated network, as the loader would expand it: a fixed UTC offset, and an
 * hour more from dst_at on (GB springs forward in the first week; 0: never). */
struct zone {
	int32_t offset;
	int64_t dst_at;
};

/* A weekly departure: weekday 0 = Monday … 6 = Sunday, local minute of the day. */
struct slot {
	int weekday;
	int32_t minute;
};

static const struct country countries[] = {
	{ "GB", "GW-LHR", 0, { "", "SW", "SW1", "M", "B", "EH", "G", "BT" } },
	{ "ES", "GW-MAD", 3600, { "", "28", "08", "41", "46", "29", "48", "07" } },
	{ "NL", "GW-AMS", 3600, { "", "10", "30", "25", "35", "56", "97", "62" } },
	{ "BE", "GW-BRU", 3600, { "", "10", "20", "90", "40", "60", "80", "30" } },
	{ "KR", "GW-ICN", 9 * 3600, { "", "06", "04", "48", "21", "34", "61", "63" } },
	{ "DE", "GW-FRA", 3600, { "", "10", "20", "80", "60", "50", "70", "01" } },
	{ "FR", "GW-CDG", 3600, { "", "75", "13", "69", "31", "06", "33", "59" } },
	{ "PL", "GW-WAW", 3600, { "", "00", "30", "50", "80", "90", "60", "40" } },
};
#define N_CC (sizeof countries / sizeof countries[0])
static const char *const extra_gw[] = { "GW-LGG" };
#define N_EXTRA_GW 1
static const char *const hubs[] = { "CN-SZX", "CN-YIW", "CN-CAN" };
#define N_WH 12

static struct zone tz_of(const struct country *c)
{
	if (strcmp(c->cc, "GB") == 0)
		return (struct zone){ 0, T0 + 6 * DAY + H };
	return (struct zone){ c->offset, 0 };
}

/* The UTC offset of z at UTC instant t. */
static int32_t offset_at(const struct zone *z, int64_t t)
{
	return z->offset + (z->dst_at != 0 && t >= z->dst_at ? 3600 : 0);
}

/* The UTC instant of local wall time `local` (seconds since 1970-01-01 00:00 local); a time
 * the clocks skip moves forward by the gap. */
static int64_t to_utc(const struct zone *z, int64_t local)
{
	int64_t u = local - z->offset;
	return z->dst_at != 0 && u - 3600 >= z->dst_at ? u - 3600 : u;
}

/* Floor division by DAY. */
static int64_t day_of(int64_t t)
{
	return t / DAY - (t % DAY < 0);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Writes every instant in [from, to) at which a weekly slot occurs in z, sorted and without
 * repeats, to out (capacity cap); returns how many. */
static size_t expand_weekly(const struct zone *z, const struct slot *slots, size_t n_slots,
                            int64_t from, int64_t to, int64_t *out, size_t cap)
{
	size_t k = 0;
	for (int64_t d = day_of(from - 18 * H) - 1; d <= day_of(to + 18 * H) + 1; d++) {
		int wd = (int)(((d + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
		for (size_t i = 0; i < n_slots; i++) {
			int64_t u = to_utc(z, d * DAY + (int64_t)slots[i].minute * 60);
			if (slots[i].weekday != wd || u < from || u >= to)
				continue;
			if (k == cap)
				die("too many departures");
			out[k++] = u;
		}
	}
	qsort(out, k, sizeof *out, cmp_i64);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (m == 0 || out[i] != out[m - 1])
			out[m++] = out[i];
	return m;
}

/* Writes the local days of z in [from, to) whose weekday is in mask (bit 0 = Monday) as UTC
 * windows [00:00, next 00:00), consecutive days merged, to out (capacity cap); returns how
 * many. */
static size_t expand_days(const struct zone *z, unsigned mask, int64_t from, int64_t to,
                          struct routing_window *out, size_t cap)
{
	size_t k = 0;
	for (int64_t d = day_of(from - 18 * H) - 1; d <= day_of(to + 18 * H) + 1; d++) {
		int64_t s = to_utc(z, d * DAY), e = to_utc(z, (d + 1) * DAY);
		s = s < from ? from : s;
		e = e > to ? to : e;
		if (!(mask & (1u << (((d + 3) % 7 + 7) % 7))) || e <= s)
			continue;
		if (k > 0 && out[k - 1].end >= s) {
			out[k - 1].end = e;
			continue;
		}
		if (k == cap)
			die("too many delivery windows");
		out[k++] = (struct routing_window){ s, e };
	}
	return k;
}

/* The promise deadline in z: the last second of the days-th local day after the ready day. */
static int64_t deadline_in(const struct zone *z, int64_t ready_at, int days)
{
	return to_utc(z, (day_of(ready_at + offset_at(z, ready_at)) + days + 1) * DAY) - 1;
}

/* A bell-shaped histogram from lo to hi hours with a long tail to tail hours. */
static size_t bell(double *w, size_t cap, int lo, int hi, int tail)
{
	size_t n = (size_t)tail + 1;
	if (n > cap)
		die("histogram too long");
	int mid = (lo + hi) / 2;
	for (int i = 0; i <= tail; i++) {
		if (i < lo)
			w[i] = 0;
		else if (i <= hi)
			w[i] = 1.0 + (double)((hi - lo) / 2 + 1 - abs(i - mid));
		else
			w[i] = 0.3;
	}
	return n;
}

struct builder {
	struct routing_network *net;
	struct rng r;
	int n_legs;
	int64_t dep[HORIZON / 900];
	double w[800];
	struct routing_window win[32];
};

/* Adds a leg with `per_day` departures on days in weekday_mask, times spread from hour h0,
 * in the origin's local time. */
static void leg(struct builder *b, const char *from, const char *to, const char *carrier,
                const char *service, const struct zone *tz, unsigned mask, int per_day,
                int h0, int cutoff_min, int lo, int hi, int tail, int64_t fixed, int64_t per_kg,
                int32_t max_g, int32_t max_dim, const struct zone *deliver_tz)
{
	struct slot slots[7 * 8];
	size_t ns = 0;
	for (int d = 0; d < 7; d++)
		if (mask & (1u << d))
			for (int k = 0; k < per_day; k++)
				slots[ns++] = (struct slot){ d, (h0 * 60 + k * (14 * 60 /
				                             (per_day ? per_day : 1))) % 1440 };
	size_t nd = expand_weekly(tz, slots, ns, T0, T0 + HORIZON, b->dep,
	                          sizeof b->dep / sizeof b->dep[0]);
	size_t nw = deliver_tz == NULL
	            ? 0 : expand_days(deliver_tz, 0x3f, T0, T0 + HORIZON + 7 * DAY, b->win, 32);
	char id[96];
	snprintf(id, sizeof id, "%s>%s:%s/%s", from, to, carrier, service);
	struct routing_leg_def l = {
		.id = id, .from = from, .to = to, .carrier = carrier, .service = service,
		.departures = b->dep, .n_departures = nd, .cutoff_min = cutoff_min,
		.transit = { b->w, bell(b->w, 800, lo, hi, tail) },
		.delivery_windows = b->win, .n_delivery_windows = nw,
		.fixed_minor = fixed, .per_kg_minor = per_kg, .max_weight_g = max_g,
		.max_dims_mm = { max_dim, max_dim, max_dim },
	};
	if (routing_network_add_leg(b->net, &l) < 0)
		die("add leg");
	b->n_legs++;
}

static void node(struct builder *b, const char *code, enum routing_node_kind kind,
                 const char *cc, const char *prefix, int32_t mct)
{
	static const double proc[8] = { 0, 2, 4, 6, 3, 2, 1, 1 };
	static struct routing_order_window ow[32];
	size_t n_ow = 0;
	if (kind == ROUTING_NODE_WAREHOUSE)
		for (int d = 0; d < 28; d++) /* 00:00–15:00 Beijing time, daily */
			ow[n_ow++] = (struct routing_order_window){ T0 + d * DAY - 8 * H,
			                                            T0 + d * DAY + 7 * H };
	struct routing_node_def d = { .code = code, .kind = kind, .country = cc,
	                              .postal_prefix = prefix, .min_connection_s = mct,
	                              .order_windows = ow, .n_order_windows = n_ow };
	if (kind == ROUTING_NODE_WAREHOUSE)
		d.processing = (struct routing_hist){ proc, 8 };
	if (routing_network_add_node(b->net, &d) < 0)
		die("add node");
}

static struct routing_network *generate(void)
{
	static struct builder b;
	b.net = routing_network_new(H, "EUR");
	b.r.s = 42;
	if (b.net == NULL)
		die("out of memory");
	static const struct routing_service_def svc[] = {
		{ "SF", "road_eco", ROUTING_MODE_ROAD }, { "SF", "road_exp", ROUTING_MODE_ROAD },
		{ "CA", "air", ROUTING_MODE_AIR }, { "CZ", "air", ROUTING_MODE_AIR },
		{ "CR", "rail", ROUTING_MODE_RAIL }, { "COSCO", "sea", ROUTING_MODE_SEA },
		{ "DHL", "road", ROUTING_MODE_ROAD }, { "EK", "air_direct", ROUTING_MODE_AIR },
		{ "LM1", "std", ROUTING_MODE_LAST_MILE }, { "LM2", "std", ROUTING_MODE_LAST_MILE },
		{ "LM3", "small", ROUTING_MODE_LAST_MILE }, { "LM4", "eco", ROUTING_MODE_LAST_MILE },
		{ "LM5", "parcel", ROUTING_MODE_LAST_MILE }, { "SF", "road_std", ROUTING_MODE_ROAD },
	};
	for (size_t i = 0; i < sizeof svc / sizeof svc[0]; i++)
		if (routing_network_add_service(b.net, &svc[i]) < 0)
			die("add service");
	struct zone cn = { 8 * 3600, 0 };
	char code[64];
	for (int w = 0; w < N_WH; w++) {
		snprintf(code, sizeof code, "WH-%02d", w);
		node(&b, code, ROUTING_NODE_WAREHOUSE, "CN", NULL, 0);
	}
	for (size_t h = 0; h < 3; h++)
		node(&b, hubs[h], ROUTING_NODE_HUB, "CN", NULL, 2 * H);
	for (size_t c = 0; c < N_CC; c++)
		node(&b, countries[c].gw, ROUTING_NODE_GATEWAY, countries[c].cc, NULL, 3 * H);
	for (size_t g = 0; g < N_EXTRA_GW; g++)
		node(&b, extra_gw[g], ROUTING_NODE_GATEWAY, "BE", NULL, 3 * H);
	for (size_t c = 0; c < N_CC; c++)
		for (int p = 0; p < 8; p++) {
			snprintf(code, sizeof code, "Z-%s-%s", countries[c].cc, countries[c].prefixes[p]);
			node(&b, code, ROUTING_NODE_ZONE, countries[c].cc, countries[c].prefixes[p], 0);
		}

	/* warehouses → hubs: road, four a day, economy and express */
	for (int w = 0; w < N_WH; w++)
		for (size_t h = 0; h < 3; h++) {
			snprintf(code, sizeof code, "WH-%02d", w);
			leg(&b, code, hubs[h], "SF", "road_eco", &cn, 0x7f, 4, 8, 60, 8, 16, 30, 300, 20,
			    30000, 1200, NULL);
			leg(&b, code, hubs[h], "SF", "road_exp", &cn, 0x7f, 4, 9, 30, 4, 8, 14, 600, 40,
			    30000, 1200, NULL);
			leg(&b, code, hubs[h], "SF", "road_std", &cn, 0x7f, 3, 10, 45, 6, 12, 20, 450, 30,
			    30000, 1200, NULL);
		}
	/* hubs → gateways: two airlines daily-ish, rail twice a week, sea weekly */
	size_t n_gw = N_CC + N_EXTRA_GW;
	for (size_t h = 0; h < 3; h++)
		for (size_t g = 0; g < n_gw; g++) {
			const char *gw = g < N_CC ? countries[g].gw : extra_gw[g - N_CC];
			leg(&b, hubs[h], gw, "CA", "air", &cn, 0x7f, 1 + rng_int(&b.r, 2), 1, 240, 14,
			    30, 60, 2000, 900, 30000, 1500, NULL);
			leg(&b, hubs[h], gw, "CZ", "air", &cn, 0x5b, 2, 3, 300, 16, 34, 72, 1500, 800,
			    30000, 1500, NULL);
			leg(&b, hubs[h], gw, "CR", "rail", &cn, 0x12, 1, 20, 720, 300, 360, 420, 800, 300,
			    30000, 2000, NULL);
			leg(&b, hubs[h], gw, "COSCO", "sea", &cn, 0x04, 1, 12, 1440, 300, 340, 380, 400, 80,
			    30000, 2000, NULL);
		}
	/* hubs → hubs */
	for (size_t h = 0; h < 3; h++)
		for (size_t k = 0; k < 3; k++)
			if (h != k) {
				leg(&b, hubs[h], hubs[k], "SF", "road_eco", &cn, 0x7f, 2, 6, 60, 10, 20, 30,
				    200, 10, 30000, 1200, NULL);
				leg(&b, hubs[h], hubs[k], "SF", "road_exp", &cn, 0x7f, 2, 7, 60, 6, 10, 16,
				    400, 20, 30000, 1200, NULL);
			}
	/* warehouses → gateways: direct air for the big warehouses */
	for (int w = 0; w < N_WH; w++)
		for (size_t g = 0; g < n_gw; g++) {
			snprintf(code, sizeof code, "WH-%02d", w);
			const char *gw = g < N_CC ? countries[g].gw : extra_gw[g - N_CC];
			leg(&b, code, gw, "EK", "air_direct", &cn, 0x7f, 1, 18, 180, 20, 30, 50, 3500,
			    1200, 20000, 1000, NULL);
		}
	/* European gateways → each other by road */
	for (size_t g = 0; g < n_gw; g++)
		for (size_t k = 0; k < n_gw; k++) {
			const char *a = g < N_CC ? countries[g].gw : extra_gw[g - N_CC];
			const char *z = k < N_CC ? countries[k].gw : extra_gw[k - N_CC];
			if (g == k || strcmp(a, "GW-ICN") == 0 || strcmp(z, "GW-ICN") == 0)
				continue;
			struct zone eu = { 3600, 0 };
			leg(&b, a, z, "DHL", "road", &eu, 0x1f, 2, 6, 60, 12, 24, 40, 500, 30, 30000, 1500,
			    NULL);
		}
	/* last mile: the country's gateway with four carriers, plus a cross-border one */
	for (size_t c = 0; c < N_CC; c++) {
		struct zone tz = tz_of(&countries[c]);
		for (int p = 0; p < 8; p++) {
			snprintf(code, sizeof code, "Z-%s-%s", countries[c].cc, countries[c].prefixes[p]);
			const char *gw = countries[c].gw;
			leg(&b, gw, code, "LM1", "std", &tz, 0x7f, 2, 7, 60, 6, 10, 30, 350, 60, 30000,
			    1200, &tz);
			leg(&b, gw, code, "LM2", "std", &tz, 0x3f, 2, 8, 90, 8, 24, 48, 250, 50, 20000,
			    1000, &tz);
			leg(&b, gw, code, "LM3", "small", &tz, 0x7f, 2, 6, 60, 5, 12, 36, 180, 0, 2000, 400,
			    &tz);
			leg(&b, gw, code, "LM4", "eco", &tz, 0x1f, 2, 9, 120, 24, 48, 96, 150, 30, 30000,
			    1200, &tz);
			leg(&b, gw, code, "LM5", "parcel", &tz, 0x3f, 3, 7, 60, 10, 20, 40, 280, 45, 25000,
			    1000, &tz);
			if (countries[c].cc[0] != 'K') {
				const char *x1 = strcmp(gw, "GW-BRU") == 0 ? "GW-AMS" : "GW-BRU";
				const char *x2 = strcmp(gw, "GW-CDG") == 0 ? "GW-LGG" : "GW-CDG";
				leg(&b, x1, code, "LM1", "std", &tz, 0x7f, 2, 7, 60, 18, 30, 48, 450, 60,
				    30000, 1200, &tz);
				leg(&b, x2, code, "LM2", "std", &tz, 0x1f, 2, 7, 60, 20, 36, 60, 420, 55,
				    30000, 1200, &tz);
			}
		}
	}
	if (routing_network_finalize(b.net) < 0) {
		for (size_t i = 0; i < routing_network_problem_count(b.net); i++)
			fprintf(stderr, "problem: %s\n", routing_network_problem(b.net, i));
		die("network does not finalize");
	}
	return b.net;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Whether two quotes are the same, field by field (strings are the network's: pointers). */
static bool same_quote(const struct routing_quote *a, const struct routing_quote *b)
{
	if (a->status != b->status || a->at_risk != b->at_risk || a->zone != b->zone ||
	    a->deadline != b->deadline || a->target != b->target || a->n_options != b->n_options ||
	    a->n_refused != b->n_refused || a->n_evaluated != b->n_evaluated ||
	    strcmp(a->detail, b->detail) != 0 || memcmp(a->currency, b->currency, 4) != 0)
		return false;
	for (size_t i = 0; i < a->n_options; i++) {
		const struct routing_option *x = &a->options[i], *y = &b->options[i];
		if (x->reason != y->reason || x->n_legs != y->n_legs || x->cost_minor != y->cost_minor ||
		    x->p_on_time != y->p_on_time || x->p_beyond_horizon != y->p_beyond_horizon ||
		    x->delivery_p50 != y->delivery_p50 || x->delivery_p95 != y->delivery_p95 ||
		    x->refused_leg != y->refused_leg)
			return false;
		if (memcmp(x->legs, y->legs, x->n_legs * sizeof *x->legs) != 0)
			return false;
	}
	return true;
}

/* Promise days of the traffic model: 5 to the five-day lanes, 7 elsewhere. */
static int promise_days(const struct country *c)
{
	return strstr("GB ES NL BE KR", c->cc) ? 5 : 7;
}

/* The HTTP benchmark's destinations (route_quote.lua's, on this network's countries). */
static const struct {
	size_t cc;
	const char *postal;
} http_dest[] = { { 0, "" }, { 0, "BT7 1NN" }, { 1, "28013" }, { 2, "1012" }, { 3, "2000" },
                  { 4, "04524" }, { 6, "75001" }, { 5, "80331" }, { 7, "00-001" }, { 6, "" },
                  { 1, "08001" }, { 5, "" } };
#define HTTP_MODEL (-1)

/* Runs n quotes with promise deadlines of min_days .. min_days + span_days − 1 days (every
 * non-dominated option listed when all_options), prints the figures, returns the p99 latency
 * in ms. min_days 0: the traffic model, HTTP_MODEL: the HTTP benchmark's (see the top);
 * through cache unless NULL. */
static double run(const struct routing_network *net, int n, int min_days, int span_days,
                  bool all_options, struct routing_cache *cache, const char *label)
{
	double *lat = malloc((size_t)n * sizeof *lat);
	if (lat == NULL)
		die("out of memory");
	struct rng r = { 7 };
	static const char *const postal[] = { "SW1A 1AA", "M1 1AE", "28013", "1012 AB", "1000",
	                                      "06236", "10115", "EH1 1YZ", "99999", "" };
	double *lat_risk = malloc((size_t)n * sizeof *lat_risk);
	double *cpu = malloc((size_t)n * sizeof *cpu);
	if (lat_risk == NULL || cpu == NULL)
		die("out of memory");
	size_t status[8] = { 0 }, evaluated = 0, options = 0, n_risk = 0, evaluated_risk = 0;
	double t_all = 0;
	for (int i = -1000; i < n; i++) { /* the first 1000 warm the caches, not measured */
		const struct country *c = &countries[rng_int(&r, (int)N_CC)];
		struct zone tz = tz_of(c);
		char origin[16];
		snprintf(origin, sizeof origin, "WH-%02d", rng_int(&r, N_WH));
		int64_t ready = T0 + rng_int(&r, 7 * 24 * 4) * 900;
		int days = min_days + rng_int(&r, span_days);
		if (min_days == 0) { /* Wednesday, any second */
			ready = T0 + 2 * DAY + rng_int(&r, DAY);
			days = promise_days(c);
		}
		int body = (i + 1000) % 96;
		if (min_days == HTTP_MODEL) { /* body i of route_quote.lua, ready now */
			c = &countries[http_dest[body % 12].cc];
			tz = tz_of(c);
			snprintf(origin, sizeof origin, "WH-%02d", body % 4);
			ready = T0 + 2 * DAY + 1 * H + (i + 1000) / 8;
			days = promise_days(c);
		}
		struct routing_request req = {
			.origin = origin, .ready_at = ready, .country = c->cc,
			.postal_code = postal[rng_int(&r, 10)],
			.parcel = { .weight_g = 100 + rng_int(&r, 100) * 100,
			            .dims_mm = { 100 + rng_int(&r, 400), 100 + rng_int(&r, 300),
			                         20 + rng_int(&r, 300) } },
			.deadline = deadline_in(&tz, ready, days),
			.target = 0.95,
			.all_options = all_options,
		};
		if (min_days == HTTP_MODEL) {
			req.postal_code = http_dest[body % 12].postal;
			req.parcel = (struct routing_parcel){
				.weight_g = 100 + (body * 337) % 4900,
				.dims_mm = { 150 + (body * 53) % 350, 200, 100 } };
		}
		struct routing_quote *q = NULL;
		double c0 = cpu_s(), t = now_s();
		if (routing_quote_cached(net, cache, &req, &q) < 0)
			die("quote failed");
		double dt = now_s() - t, dc = cpu_s() - c0;
		if (cache != NULL) { /* the same answer as without the cache (not timed) */
			struct routing_quote *u = NULL;
			if (routing_quote(net, &req, &u) < 0)
				die("quote failed");
			if (!same_quote(q, u))
				die("a cached quote differs from the uncached one");
			routing_quote_free(u);
		}
		if (i >= 0) {
			lat[i] = dt;
			cpu[i] = dc;
			t_all += dt;
			status[q->status]++;
			evaluated += q->n_evaluated;
			options += q->n_options;
			if (q->status == ROUTING_AT_RISK) {
				lat_risk[n_risk++] = dt;
				evaluated_risk += q->n_evaluated;
			}
		}
		routing_quote_free(q);
	}
	qsort(lat, (size_t)n, sizeof *lat, cmp_double);
	qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
	double p50 = lat[n / 2] * 1e3, p99 = lat[(size_t)n * 99 / 100] * 1e3;
	printf("routing %s quotes: %d, ok %zu, at_risk %zu, unknown_destination %zu, refused %zu, "
	       "no_route %zu; %.1f itineraries evaluated and %.1f options listed per quote\n",
	       label, n, status[ROUTING_OK], status[ROUTING_AT_RISK], status[ROUTING_UNKNOWN_DESTINATION],
	       status[ROUTING_PARCEL_REFUSED], status[ROUTING_NO_ROUTE], (double)evaluated / n,
	       (double)options / n);
	printf("routing (%s): %.0f quotes/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms "
	       "(target p99 < 1 ms: %s)\n", label, n / t_all, p50, p99, lat[n - 1] * 1e3,
	       p99 < 1.0 ? "met" : "NOT MET");
	printf("routing (%s) thread CPU time per quote: p50 %.3f ms, p99 %.3f ms, max %.3f ms "
	       "(wall time above this is the machine preempting the benchmark)\n", label,
	       cpu[n / 2] * 1e3, cpu[(size_t)n * 99 / 100] * 1e3, cpu[n - 1] * 1e3);
	if (n_risk > 0) {
		qsort(lat_risk, n_risk, sizeof *lat_risk, cmp_double);
		printf("routing (%s) at-risk quotes only: %zu, %.1f itineraries evaluated per quote, "
		       "p50 %.3f ms, p99 %.3f ms\n", label, n_risk, (double)evaluated_risk / n_risk,
		       lat_risk[n_risk / 2] * 1e3, lat_risk[n_risk * 99 / 100] * 1e3);
	}
	if (cache != NULL) {
		struct routing_cache_stats st;
		routing_cache_stats(cache, &st);
		printf("routing (%s) cache: %llu hits, %llu misses, %llu rebuilt for an earlier start, "
		       "%llu evicted; %zu tables, %.1f MB (answers identical to uncached: checked); "
		       "forward pass memo: %llu hits, %llu runs; bounds memo: %llu hits, %llu misses\n",
		       label, (unsigned long long)st.hits, (unsigned long long)st.misses,
		       (unsigned long long)st.rebuilds, (unsigned long long)st.evictions, st.entries,
		       (double)st.bytes / 1e6, (unsigned long long)st.forward_hits,
		       (unsigned long long)st.forward_runs, (unsigned long long)st.bounds_hits,
		       (unsigned long long)st.bounds_misses);
		uint64_t asked = st.answer_hits + st.answer_misses;
		printf("routing (%s) answer memo: %llu hits, %llu misses (hit rate %.1f%%)\n", label,
		       (unsigned long long)st.answer_hits, (unsigned long long)st.answer_misses,
		       asked ? 100.0 * (double)st.answer_hits / (double)asked : 0.0);
	}
	free(lat_risk);
	free(cpu);
	free(lat);
	return p99;
}

/* The JIT deadline search: n tasks, each searched at two hubs and chosen between (see the
 * top). Prints the figures; returns the p99 latency per task in ms. */
static double run_handover(const struct routing_network *net, int n, struct routing_cache *cache,
                           const char *label)
{
	double *lat = malloc((size_t)n * sizeof *lat), *cpu = malloc((size_t)n * sizeof *cpu);
	if (lat == NULL || cpu == NULL)
		die("out of memory");
	struct rng r = { 11 };
	double t_all = 0;
	size_t quotes = 0, evals = 0, ok = 0, risk = 0, none = 0;
	for (int i = -200; i < n; i++) {
		const struct country *c = &countries[rng_int(&r, (int)N_CC)];
		struct zone tz = tz_of(c);
		char origin[2][16];
		int a = rng_int(&r, N_WH), b = (a + 1 + rng_int(&r, N_WH - 1)) % N_WH;
		snprintf(origin[0], sizeof origin[0], "WH-%02d", a);
		snprintf(origin[1], sizeof origin[1], "WH-%02d", b);
		int64_t ready = T0 + rng_int(&r, 7 * 24 * 4) * 900 + rng_int(&r, 60);
		struct routing_request req = {
			.ready_at = ready, .country = c->cc, .postal_code = "",
			.parcel = { .weight_g = 100 + rng_int(&r, 50) * 100,
			            .dims_mm = { 100 + rng_int(&r, 300), 100 + rng_int(&r, 200),
			                         20 + rng_int(&r, 200) } },
			.deadline = deadline_in(&tz, ready, promise_days(c)),
			.target = 0.95,
		};
		struct routing_handover h[2];
		const struct routing_handover *hp[2] = { &h[0], &h[1] };
		double t = now_s(), c0 = cpu_s();
		for (int k = 0; k < 2; k++) {
			req.origin = origin[k];
			if (routing_handover_latest(net, cache, &req, req.deadline, &h[k]) != 0)
				die("handover search failed");
		}
		int best = routing_handover_choose(hp, 2);
		double dt = now_s() - t, dc = cpu_s() - c0;
		if (i >= 0) {
			lat[i] = dt;
			cpu[i] = dc;
			t_all += dt;
			quotes += (size_t)(h[0].quotes + h[1].quotes);
			evals += (size_t)(h[0].evaluations + h[1].evaluations);
			if (best < 0)
				none++;
			else if (h[best].status == ROUTING_HANDOVER_OK)
				ok++;
			else
				risk++;
		}
		routing_handover_clear(&h[0]);
		routing_handover_clear(&h[1]);
	}
	qsort(lat, (size_t)n, sizeof *lat, cmp_double);
	qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
	double p99 = lat[(size_t)n * 99 / 100] * 1e3;
	printf("handover (%s): %d tasks (2 hubs each): %zu on time, %zu at risk, %zu no route; "
	       "%.1f quotes and %.1f itinerary evaluations per task\n", label, n, ok, risk, none,
	       (double)quotes / n, (double)evals / n);
	printf("handover (%s): %.0f tasks/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms "
	       "(target p99 < 1 ms per task: %s)\n", label, n / t_all, lat[n / 2] * 1e3, p99,
	       lat[n - 1] * 1e3, p99 < 1.0 ? "met" : "NOT MET");
	printf("handover (%s) thread CPU time per task: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
	       label, cpu[n / 2] * 1e3, cpu[(size_t)n * 99 / 100] * 1e3, cpu[n - 1] * 1e3);
	free(cpu);
	free(lat);
	return p99;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	if (n < 100)
		n = 100;
	struct routing_network *net = generate();
	size_t n_nodes = routing_network_node_count(net), n_legs = routing_network_leg_count(net);
	double dep_week = (double)routing_network_departure_count(net) / (HORIZON / (7.0 * DAY));
	printf("routing network: %zu nodes, %zu legs, %.0f departures/week\n", n_nodes, n_legs,
	       dep_week);
	if (n_nodes < 60 || n_legs < 800 || dep_week < 10000)
		die("generated network is below the issue's size");
	double p99_promise = 0, p99_tight = 0;
	bool http_only = argc > 2 && strcmp(argv[2], "http") == 0;
	bool handover_only = argc > 2 && strcmp(argv[2], "handover") == 0;
	const char *mb = getenv("BENCH_CACHE_MB");
	if (handover_only || argc <= 2) {
		int tasks = n / 10 < 100 ? 100 : n / 10;
		run_handover(net, tasks, NULL, "uncached");
		struct routing_cache *cache = routing_cache_new(net, (size_t)(mb ? atoi(mb) : 64) << 20);
		if (cache == NULL)
			die("out of memory");
		run_handover(net, tasks, cache, "cached");
		routing_cache_free(cache);
		if (handover_only) {
			routing_network_free(net);
			return 0;
		}
	}
	if (argc <= 2 || (strcmp(argv[2], "traffic") != 0 && !http_only)) {
		/* promise lanes: 5..9-day promises, almost all keepable */
		p99_promise = run(net, n, 5, 5, false, NULL, "promise 5-9 days");
		/* tight deadlines: 2..9 days, a quarter at risk (no on-time option: the search
		 * cannot prune by cost, only by likelihood) */
		p99_tight = run(net, n, 2, 8, false, NULL, "deadlines 2-9 days");
		/* the same with every non-dominated option listed (all_options): for information */
		run(net, n, 2, 8, true, NULL, "deadlines 2-9 days, all options");
	}
	/* the traffic models: without a cache, then through one (fresh: its misses count) */
	for (int m = http_only ? 1 : 0; m < 2; m++) {
		run(net, n, m ? HTTP_MODEL : 0, 1, false, NULL, m ? "http, uncached" : "traffic, uncached");
		struct routing_cache *cache = routing_cache_new(net, (size_t)(mb ? atoi(mb) : 64) << 20);
		if (cache == NULL)
			die("out of memory");
		run(net, n, m ? HTTP_MODEL : 0, 1, false, cache, m ? "http, cached" : "traffic, cached");
		routing_cache_free(cache);
	}
	routing_network_free(net);
	return p99_promise < 1.0 && p99_tight < 1.0 ? 0 : 1;
}
