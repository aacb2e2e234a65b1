/* network_load.c — from the database's load document to a finalized routing network, and
 * the process's current network with its reloads. */
#include "api/network/network_load.h"

#include <event2/event.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/http/config.h"
#include "api/db/db.h"
#include "api/http/log.h"
#include "routing/cache.h"
#include "routing/dist.h"
#include "routing/network.h"

#define MAX_BINS 2048

/* --- reading the document ---------------------------------------------------------------- */

static const char *str_at(const cJSON *o, const char *k)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int64_t num_at(const cJSON *o, const char *k, int64_t dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(it) ? (int64_t)it->valuedouble : dflt;
}

/* Copies a JSON array of numbers into a new array (*out, caller frees; NULL when empty). */
static int doubles_of(const cJSON *arr, double **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int len = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
	if (len == 0)
		return 0;
	if (!(*out = malloc(sizeof **out * (size_t)len)))
		return -1;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		(*out)[(*n)++] = cJSON_IsNumber(it) ? it->valuedouble : -1;
	return 0;
}

static int instants_of(const cJSON *arr, int64_t **out, size_t *n)
{
	double *d;
	if (doubles_of(arr, &d, n) != 0)
		return -1;
	*out = NULL;
	if (*n && !(*out = malloc(sizeof **out * *n))) {
		free(d);
		return -1;
	}
	for (size_t i = 0; i < *n; i++)
		(*out)[i] = (int64_t)d[i];
	free(d);
	return 0;
}

/* Pairs [[a, b], ...] into windows (reused for order windows: open, cutoff). */
static int windows_of(const cJSON *arr, struct routing_window **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int len = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
	if (len == 0)
		return 0;
	if (!(*out = malloc(sizeof **out * (size_t)len)))
		return -1;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		(*out)[*n].start = (int64_t)cJSON_GetArrayItem(it, 0)->valuedouble;
		(*out)[*n].end = (int64_t)cJSON_GetArrayItem(it, 1)->valuedouble;
		(*n)++;
	}
	return 0;
}

static bool is_pair_array(const cJSON *arr)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != 2 ||
		    !cJSON_IsNumber(cJSON_GetArrayItem(it, 0)) || !cJSON_IsNumber(cJSON_GetArrayItem(it, 1)))
			return false;
	return true;
}

/* The transit histogram of a leg: hist_h as is, or q/q_hours turned into one (bins written
 * to buf, capacity MAX_BINS). Returns 0, or -1 with why set. */
static int transit_of(const cJSON *leg, double **owned, double *buf, struct routing_hist *h,
                      const char **why)
{
	const cJSON *hist = cJSON_GetObjectItemCaseSensitive(leg, "hist_h");
	h->p = NULL;
	h->n = 0;
	if (cJSON_IsArray(hist)) {
		if (doubles_of(hist, owned, &h->n) != 0)
			return *why = "out of memory", -1;
		h->p = *owned;
		return 0;
	}
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(leg, "q");
	const cJSON *qh = cJSON_GetObjectItemCaseSensitive(leg, "q_hours");
	int n = cJSON_IsArray(q) ? cJSON_GetArraySize(q) : 0;
	if (n < 2 || n > 100 || !cJSON_IsArray(qh) || cJSON_GetArraySize(qh) != n)
		return *why = "transit: give a histogram or quantiles from p 0 to p 1", -1;
	struct routing_quantile pts[100];
	for (int i = 0; i < n; i++) {
		pts[i].q = cJSON_GetArrayItem(q, i)->valuedouble;
		pts[i].duration_s = (int64_t)(cJSON_GetArrayItem(qh, i)->valuedouble * 3600.0 + 0.5);
	}
	size_t used;
	if (routing_hist_from_quantiles(pts, (size_t)n, NETWORK_RESOLUTION_S, buf, MAX_BINS, &used) != 0)
		return *why = "transit: quantiles must start at p 0, end at p 1, p strictly and hours "
		              "weakly increasing, at most 2000 h", -1;
	h->p = buf;
	h->n = used;
	return 0;
}

static void problem(cJSON *problems, const char *fmt, const char *a, const char *b)
{
	char line[256];
	snprintf(line, sizeof line, fmt, a ? a : "?", b ? b : "");
	cJSON_AddItemToArray(problems, cJSON_CreateString(line));
}

static int add_node(struct routing_network *net, const cJSON *n, cJSON *problems)
{
	struct routing_node_def def = {0};
	const char *kind = str_at(n, "kind");
	double *proc = NULL;
	struct routing_window *win = NULL;
	size_t n_win = 0;
	int rc = -1;
	def.code = str_at(n, "code");
	def.country = str_at(n, "country");
	def.postal_prefix = str_at(n, "postal_prefix");
	def.min_connection_s = (int32_t)num_at(n, "min_connection_s", 0);
	if (!def.code || !kind || routing_node_kind_parse(kind, &def.kind) != 0) {
		problem(problems, "node %s: kind must be warehouse, hub, gateway or zone%s", def.code, NULL);
		return 0;
	}
	const cJSON *ow = cJSON_GetObjectItemCaseSensitive(n, "order_windows");
	if (ow && !cJSON_IsNull(ow) && !is_pair_array(ow)) {
		problem(problems, "node %s: order_windows: pairs expected%s", def.code, NULL);
		return 0;
	}
	if (doubles_of(cJSON_GetObjectItemCaseSensitive(n, "processing_h"), &proc, &def.processing.n) ||
	    windows_of(ow, &win, &n_win))
		goto done;
	def.processing.p = proc;
	/* struct routing_window and struct routing_order_window have the same two fields */
	struct routing_order_window *ows = NULL;
	if (n_win && !(ows = malloc(sizeof *ows * n_win)))
		goto done;
	for (size_t i = 0; i < n_win; i++)
		ows[i] = (struct routing_order_window){win[i].start, win[i].end};
	def.order_windows = ows;
	def.n_order_windows = n_win;
	if (routing_network_add_node(net, &def) != 0) {
		/* recorded on the network, listed after finalize */
	}
	free(ows);
	rc = 0;
done:
	free(proc);
	free(win);
	return rc;
}

/* The hour by which a share q of the histogram's weight has arrived (bin i ends at i h). */
static int hist_hours_at(const struct routing_hist *h, double q)
{
	double total = 0, cum = 0;
	for (size_t i = 0; i < h->n; i++)
		total += h->p[i];
	for (size_t i = 0; i < h->n && total > 0; i++) {
		cum += h->p[i];
		if (cum >= q * total)
			return (int)i;
	}
	return (int)h->n;
}

/* Blends the configured histogram h (the prior, worth NETWORK_LEARN_PRIOR parcels) with the
 * leg's observed [[hour bin, weight]] when NETWORK_LEARN_MIN parcels were observed: *out gets
 * the learned weights (malloc'd) and h points at them. Records the leg's transit in t.
 * Returns 0, or -1 out of memory. */
static int learn(const cJSON *l, struct routing_hist *h, double **out,
                 struct network_leg_transit *t)
{
	const cJSON *obs = cJSON_GetObjectItemCaseSensitive(l, "observed_h"), *b;
	double prior = 0, seen = 0;
	size_t n = h->n;
	t->observed = (int)num_at(l, "observed_n", 0);
	t->configured_p50_h = hist_hours_at(h, 0.5);
	t->configured_p95_h = hist_hours_at(h, 0.95);
	cJSON_ArrayForEach(b, obs)
	{
		double bin = cJSON_GetNumberValue(cJSON_GetArrayItem(b, 0));
		double w = cJSON_GetNumberValue(cJSON_GetArrayItem(b, 1));
		if (bin >= 0 && bin < MAX_BINS && w > 0) {
			seen += w;
			if ((size_t)bin + 1 > n)
				n = (size_t)bin + 1;
		}
	}
	t->weight = seen;
	for (size_t i = 0; i < h->n; i++)
		prior += h->p[i];
	if (t->observed < NETWORK_LEARN_MIN || seen <= 0 || prior <= 0)
		return 0;
	double *p = calloc(n, sizeof *p);
	if (!p)
		return -1;
	for (size_t i = 0; i < h->n; i++)
		p[i] = NETWORK_LEARN_PRIOR * h->p[i] / prior;
	cJSON_ArrayForEach(b, obs)
	{
		double bin = cJSON_GetNumberValue(cJSON_GetArrayItem(b, 0));
		double w = cJSON_GetNumberValue(cJSON_GetArrayItem(b, 1));
		if (bin >= 0 && bin < MAX_BINS && w > 0)
			p[(size_t)bin] += w;
	}
	*out = p;
	h->p = p;
	h->n = n;
	t->learned = true;
	t->learned_p50_h = hist_hours_at(h, 0.5);
	t->learned_p95_h = hist_hours_at(h, 0.95);
	return 0;
}

static int add_leg(struct network_snapshot *s, const cJSON *l, cJSON *problems)
{
	struct routing_network *net = s->net;
	double *learned = NULL;
	static double bins[MAX_BINS];
	struct routing_leg_def def = {0};
	int64_t *deps = NULL;
	double *hist = NULL;
	struct routing_window *dw = NULL;
	const char *why = NULL;
	int rc = -1;
	def.id = str_at(l, "id");
	def.from = str_at(l, "from");
	def.to = str_at(l, "to");
	def.carrier = str_at(l, "carrier");
	def.service = str_at(l, "service");
	def.cutoff_min = (int32_t)num_at(l, "cutoff_min", 0);
	def.fixed_minor = num_at(l, "fixed", 0);
	def.per_kg_minor = num_at(l, "per_kg", 0);
	def.max_weight_g = (int32_t)num_at(l, "max_weight_g", 0);
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(l, "max_dims_mm");
	for (int i = 0; i < 3; i++) {
		const cJSON *d = cJSON_GetArrayItem(dims, i);
		def.max_dims_mm[i] = cJSON_IsNumber(d) ? (int32_t)d->valuedouble : 0;
	}
	const cJSON *win = cJSON_GetObjectItemCaseSensitive(l, "delivery_windows");
	if (win && !cJSON_IsNull(win) && !is_pair_array(win)) {
		problem(problems, "leg %s: delivery_windows: pairs expected%s", def.id, NULL);
		return 0;
	}
	if (transit_of(l, &hist, bins, &def.transit, &why) != 0) {
		problem(problems, "leg %s: %s", def.id, why);
		rc = strcmp(why, "out of memory") == 0 ? -1 : 0;
		goto done;
	}
	struct network_leg_transit *t = &s->transits[s->n_transits];
	if (!def.id || !(t->leg = strdup(def.id)))
		goto done;
	s->n_transits++;
	if (learn(l, &def.transit, &learned, t) != 0)
		goto done;
	if (instants_of(cJSON_GetObjectItemCaseSensitive(l, "departures"), &deps, &def.n_departures) ||
	    windows_of(win, &dw, &def.n_delivery_windows))
		goto done;
	def.departures = deps;
	def.delivery_windows = dw;
	if (routing_network_add_leg(net, &def) != 0) {
		/* recorded on the network */
	}
	rc = 0;
done:
	free(deps);
	free(hist);
	free(learned);
	free(dw);
	return rc;
}

static int add_service(struct routing_network *net, const cJSON *s, cJSON *problems)
{
	struct routing_service_def def = {str_at(s, "carrier"), str_at(s, "service"), 0};
	const char *mode = str_at(s, "mode");
	if (!mode || routing_mode_parse(mode, &def.mode) != 0) {
		problem(problems, "service %s/%s: mode must be air, rail, road, sea or last_mile",
		        def.carrier, def.service);
		return 0;
	}
	if (routing_network_add_service(net, &def) != 0) {
		/* recorded on the network */
	}
	return 0;
}

static int zone_cmp(const void *a, const void *b)
{
	return strcmp(((const struct network_zone_days *)a)->zone,
	              ((const struct network_zone_days *)b)->zone);
}

/* Fills promises and zone days from the document. Returns 0 or -1 (memory). */
static int read_extras(struct network_snapshot *s, const cJSON *doc)
{
	const cJSON *it, *arr = cJSON_GetObjectItemCaseSensitive(doc, "promises");
	int n = cJSON_GetArraySize(arr);
	if (n > 0 && !(s->promises = calloc((size_t)n, sizeof *s->promises)))
		return -1;
	cJSON_ArrayForEach(it, arr) {
		struct network_promise *p = &s->promises[s->n_promises++];
		const char *origin = str_at(it, "origin"), *cc = str_at(it, "country");
		if ((origin && !(p->origin = strdup(origin))))
			return -1;
		snprintf(p->country, sizeof p->country, "%s", cc ? cc : "");
		p->days = (int)num_at(it, "days", 0);
		p->target_bp = (int)num_at(it, "target_bp", 10000);
	}
	arr = cJSON_GetObjectItemCaseSensitive(doc, "nodes");
	n = cJSON_GetArraySize(arr);
	if (n > 0 && !(s->zones = calloc((size_t)n, sizeof *s->zones)))
		return -1;
	cJSON_ArrayForEach(it, arr) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, "midnights");
		if (!cJSON_IsArray(m))
			continue;
		struct network_zone_days *z = &s->zones[s->n_zones++];
		if (!(z->zone = strdup(str_at(it, "code"))) || instants_of(m, &z->midnights, &z->n))
			return -1;
	}
	if (s->n_zones)
		qsort(s->zones, s->n_zones, sizeof *s->zones, zone_cmp);
	return 0;
}

struct network_snapshot *network_snapshot_build(const cJSON *doc, cJSON **problems_out)
{
	cJSON *problems = cJSON_CreateArray();
	struct network_snapshot *s = calloc(1, sizeof *s);
	const char *cur = str_at(doc, "currency");
	const cJSON *it;
	if (s)
		atomic_init(&s->refs, 1);
	if (!problems || !s)
		goto fail;
	snprintf(s->currency, sizeof s->currency, "%s", cur ? cur : "");
	s->version = num_at(doc, "version", 0);
	s->loaded_at = num_at(doc, "now", 0);
	s->horizon_from = num_at(doc, "horizon_from", 0);
	s->horizon_to = num_at(doc, "horizon_to", 0);
	if (!(s->net = routing_network_new(NETWORK_RESOLUTION_S, s->currency))) {
		problem(problems, "currency %s: three upper-case letters expected%s", cur, NULL);
		goto fail;
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "nodes"))
		if (add_node(s->net, it, problems) != 0)
			goto oom;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "services"))
		if (add_service(s->net, it, problems) != 0)
			goto oom;
	const cJSON *legs = cJSON_GetObjectItemCaseSensitive(doc, "legs");
	int nlegs = cJSON_GetArraySize(legs);
	if (!(s->transits = calloc((size_t)(nlegs > 0 ? nlegs : 1), sizeof *s->transits)))
		goto oom;
	cJSON_ArrayForEach(it, legs)
		if (add_leg(s, it, problems) != 0)
			goto oom;
	int fin = routing_network_finalize(s->net);
	for (size_t i = 0; i < routing_network_problem_count(s->net); i++)
		cJSON_AddItemToArray(problems, cJSON_CreateString(routing_network_problem(s->net, i)));
	if (fin != 0 || cJSON_GetArraySize(problems) > 0)
		goto fail;
	if (read_extras(s, doc) != 0)
		goto oom;
	cJSON_Delete(problems);
	return s;
oom:
	problem(problems, "out of memory%s%s", "", "");
fail:
	network_snapshot_free(s);
	if (problems_out)
		*problems_out = problems;
	else
		cJSON_Delete(problems);
	return NULL;
}

struct network_snapshot *network_snapshot_hold(struct network_snapshot *s)
{
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

struct routing_cache *network_snapshot_cache(struct network_snapshot *s, int slot,
                                             bool answer_memo)
{
	if (slot < 0 || slot >= NETWORK_CACHE_SLOTS)
		return NULL;
	if (!s->caches[slot] && (s->caches[slot] = routing_cache_new(s->net, 0)))
		routing_cache_set_answer_memo(s->caches[slot], answer_memo);
	return s->caches[slot];
}

void network_snapshot_free(struct network_snapshot *s)
{
	/* the last reference frees; what the other holders wrote (their caches) happens before */
	if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	for (int i = 0; i < NETWORK_CACHE_SLOTS; i++)
		routing_cache_free(s->caches[i]);
	routing_network_free(s->net);
	for (size_t i = 0; i < s->n_transits; i++)
		free(s->transits[i].leg);
	free(s->transits);
	for (size_t i = 0; i < s->n_promises; i++)
		free(s->promises[i].origin);
	free(s->promises);
	for (size_t i = 0; i < s->n_zones; i++) {
		free(s->zones[i].zone);
		free(s->zones[i].midnights);
	}
	free(s->zones);
	free(s);
}

const struct network_leg_transit *network_snapshot_transit(const struct network_snapshot *s,
                                                          const char *leg)
{
	for (size_t i = 0; s && leg && i < s->n_transits; i++)
		if (strcmp(s->transits[i].leg, leg) == 0)
			return &s->transits[i];
	return NULL;
}

const struct network_promise *network_snapshot_promise(const struct network_snapshot *s,
                                                       const char *origin, const char *country)
{
	const struct network_promise *any = NULL;
	for (size_t i = 0; i < s->n_promises; i++) {
		const struct network_promise *p = &s->promises[i];
		if (strcmp(p->country, country) != 0)
			continue;
		if (!p->origin)
			any = p;
		else if (strcmp(p->origin, origin) == 0)
			return p;
	}
	return any;
}

int network_snapshot_deadline(const struct network_snapshot *s, const char *zone,
                              int64_t ready_at, int days, int64_t *deadline)
{
	struct network_zone_days key = {.zone = (char *)zone};
	const struct network_zone_days *z =
		s->n_zones ? bsearch(&key, s->zones, s->n_zones, sizeof *s->zones, zone_cmp) : NULL;
	if (!z || z->n == 0 || ready_at < z->midnights[0] || days < 0)
		return -1;
	size_t lo = 0, hi = z->n; /* the last midnight ≤ ready_at: the start of the ready day */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->midnights[mid] <= ready_at)
			lo = mid;
		else
			hi = mid;
	}
	size_t end = lo + (size_t)days + 1; /* the midnight that ends the days-th day after */
	if (end >= z->n)
		return -1;
	*deadline = z->midnights[end] - 1;
	return 0;
}

/* --- the current network and its reloads ------------------------------------------------- */

struct network_state {
	struct api_app *app;
	struct network_snapshot *cur;
	struct event *timer;
	bool loading;     /* a load query is running */
	bool again;       /* a change was announced while it ran */
	bool force_again; /* ... or the timer fired */
};

#define RELOAD_EVERY_S 3600
#define RETRY_AFTER_S 1

/* The load document, or NULL when the stored version is still $3 (-1: load anyway). The
 * check keeps the notifications that change nothing (e.g. the one after LISTEN takes
 * effect) at one cheap round trip. */
DB_STMT(stmt_load) = {
	"network_load",
	"SELECT CASE WHEN $3::bigint < 0 OR version <> $3::bigint"
	" THEN network_load_json($1::int, $2::int) END FROM network_settings"};

static void reload(struct network_state *st, bool force);

/* The load statement's parameters: horizon and the version already held (-1 = force). */
static void load_params(char back[8], char ahead[8], char version[24], int64_t known)
{
	snprintf(back, 8, "%d", NETWORK_BACK_DAYS);
	snprintf(ahead, 8, "%d", NETWORK_AHEAD_DAYS);
	snprintf(version, 24, "%lld", (long long)known);
}

static void arm(struct network_state *st, int seconds)
{
	struct timeval tv = {seconds, 0};
	event_add(st->timer, &tv);
}

/* Builds and offers a snapshot from load-document text; logs why not. Returns 0 or -1. */
static int install_text(struct network_state *st, const char *text)
{
	cJSON *doc = cJSON_Parse(text), *problems = NULL;
	struct network_snapshot *s = doc ? network_snapshot_build(doc, &problems) : NULL;
	cJSON_Delete(doc);
	if (!s) {
		int n = problems ? cJSON_GetArraySize(problems) : 0;
		log_error("network: the stored network does not load (%d problems%s%s); keeping the "
		          "previous one", n, n ? ", first: " : "",
		          n ? cJSON_GetArrayItem(problems, 0)->valuestring : "");
		cJSON_Delete(problems);
		return -1;
	}
	network_offer(st->app, s);
	return 0;
}

static void on_loaded(void *arg, const struct db_reply *rep)
{
	struct network_state *st = arg;
	st->loading = false;
	if (rep->outcome != DB_OK || PQntuples(rep->res) != 1) {
		log_warn("network: reload failed (%s); retrying", rep->message ? rep->message : "no row");
		arm(st, RETRY_AFTER_S);
		return;
	}
	if (!PQgetisnull(rep->res, 0, 0)) {
		(void)install_text(st, PQgetvalue(rep->res, 0, 0));
		arm(st, RELOAD_EVERY_S);
	}
	if (st->again) {
		bool force = st->force_again;
		st->again = st->force_again = false;
		reload(st, force);
	}
}

/* Starts a load through the pool unless one runs (then it runs again after); unless force,
 * only when the stored version differs from the one held. */
static void reload(struct network_state *st, bool force)
{
	char back[8], ahead[8], version[24];
	if (st->loading) {
		st->again = true;
		st->force_again |= force;
		return;
	}
	load_params(back, ahead, version, force || !st->cur ? -1 : st->cur->version);
	const char *p[] = {back, ahead, version};
	if (db_query(st->app->db, &stmt_load, 3, p, on_loaded, st) != DB_SUBMIT_OK) {
		arm(st, RETRY_AFTER_S);
		return;
	}
	st->loading = true;
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	reload(arg, true);
}

/* Every change to the network tables; payload NULL also after (re)connecting. */
static void on_notify(void *arg, const char *channel, const char *payload)
{
	(void)channel, (void)payload;
	reload(arg, false);
}

/* The first load, blocking (before the loop runs). */
static void load_blocking(struct network_state *st)
{
	PGconn *c = PQconnectdb(st->app->cfg->database_url);
	char back[8], ahead[8], version[24];
	load_params(back, ahead, version, -1);
	const char *p[] = {back, ahead, version};
	PGresult *res = PQstatus(c) == CONNECTION_OK
	                        ? PQexecParams(c, stmt_load.sql, 3, NULL, p, NULL, NULL, 0)
	                        : NULL;
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		(void)install_text(st, PQgetvalue(res, 0, 0));
	else
		log_error("network: first load failed: %s",
		          res ? PQresultErrorMessage(res) : PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
}

struct network_state *network_state_start(struct api_app *app)
{
	struct network_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->app = app;
	if (!(st->timer = event_new(app->base, -1, 0, on_timer, st))) {
		free(st);
		return NULL;
	}
	app->network = st;
	load_blocking(st);
	arm(st, st->cur ? RELOAD_EVERY_S : RETRY_AFTER_S);
	if (db_pool_listen(app->db, "wms_network", on_notify, st) != 0)
		log_warn("network: cannot LISTEN wms_network; changes are picked up hourly");
	return st;
}

void network_state_free(struct network_state *st)
{
	if (!st)
		return;
	if (st->timer)
		event_free(st->timer);
	network_snapshot_free(st->cur);
	free(st);
}

struct network_snapshot *network_current(const struct api_app *app)
{
	return app->network ? app->network->cur : NULL;
}

void network_offer(struct api_app *app, struct network_snapshot *s)
{
	struct network_state *st = app->network;
	if (!st || (st->cur && st->cur->version > s->version)) {
		network_snapshot_free(s);
		return;
	}
	if (!st->cur || st->cur->version != s->version)
		log_info("network: version %lld loaded (%zu nodes, %zu legs, %zu departures)",
		         (long long)s->version, routing_network_node_count(s->net),
		         routing_network_leg_count(s->net), routing_network_departure_count(s->net));
	network_snapshot_free(st->cur);
	st->cur = s;
}
