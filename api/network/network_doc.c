/* network_doc.c — validating the lane network as the API writes it; the engine check turns
 * the document into a load document over one reference week in UTC (time zones do not
 * change what is valid) and maps the engine's problems back to field paths. */
#include "api/network/network_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/network/network_load.h"

static const char *const kinds[] = {"warehouse", "hub", "gateway", "zone", NULL};
static const char *const modes[] = {"air", "rail", "road", "sea", "last_mile", NULL};
static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

#define REF_MONDAY 1704067200LL /* 2024-01-01 00:00 UTC, a Monday */
#define WEEK_S (7 * 86400LL)

/* "HH:MM" → minute of the day, or -1. */
static int hhmm(const char *s)
{
	int h, m;
	char end;
	if (!s || strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &end) != 2 || s[2] != ':' ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	return h * 60 + m;
}

static int weekday_index(const char *s)
{
	for (int i = 0; weekdays[i]; i++)
		if (strcmp(s, weekdays[i]) == 0)
			return i;
	return -1;
}

/* A JSON array at obj[field] of min..max items, or NULL (error recorded when present or
 * required). */
static const cJSON *array_at(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                             int min, int max)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (!a || cJSON_IsNull(a)) {
		if (required)
			jsonv_error(v, field, "required", "%s is required", field);
		return NULL;
	}
	int n = cJSON_GetArraySize(a);
	if (!cJSON_IsArray(a) || n < min || n > max) {
		jsonv_error(v, field, cJSON_IsArray(a) ? "range" : "type",
		            "%s must be an array of %d to %d items", field, min, max);
		return NULL;
	}
	return a;
}

/* obj[field] as "HH:MM"; returns the minute of the day, -1 when absent or invalid. */
static int time_at(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const char *s = jsonv_string(v, obj, field, required, 1, 16);
	int m = s ? hhmm(s) : -1;
	if (s && m < 0)
		jsonv_error(v, field, "format", "%s must be a local time HH:MM", field);
	return m;
}

/* A weekday bit mask from an array of "mon".."sun" at obj[field]; 0 when absent/invalid. */
static unsigned days_at(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const cJSON *a = array_at(v, obj, field, required, 1, 7), *d;
	unsigned mask = 0;
	int i = 0;
	char f[64];
	cJSON_ArrayForEach(d, a) {
		int w = cJSON_IsString(d) ? weekday_index(d->valuestring) : -1;
		if (w < 0) {
			snprintf(f, sizeof f, "%s[%d]", field, i);
			jsonv_error(v, f, "enum", "%s must be one of mon, tue, wed, thu, fri, sat, sun", f);
			return 0;
		}
		mask |= 1u << w;
		i++;
	}
	return mask;
}

/* A histogram of weights per hour at obj[field]: 1..2000 numbers from 0 to HIST_MAX_WEIGHT,
 * some > 0 (larger weights say nothing a scaled-down histogram does not, and their sum
 * could overflow). */
#define HIST_MAX_WEIGHT 1e9
static void hist_at(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const cJSON *a = array_at(v, obj, field, required, 1, 2000), *x;
	double sum = 0;
	cJSON_ArrayForEach(x, a) {
		if (!cJSON_IsNumber(x) || !(x->valuedouble >= 0) || !(x->valuedouble <= HIST_MAX_WEIGHT)) {
			jsonv_error(v, field, "range", "%s must hold weights from 0 to %g", field,
			            HIST_MAX_WEIGHT);
			return;
		}
		sum += x->valuedouble;
	}
	if (a && !(sum > 0))
		jsonv_error(v, field, "format", "%s must have some weight", field);
}

static void transit_at(struct jsonv *v, const cJSON *obj, bool required)
{
	static const char *const allowed[] = {"histogram_h", "quantiles", NULL};
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "transit"), *q;
	if (!t || cJSON_IsNull(t)) {
		if (required)
			jsonv_error(v, "transit", "required", "transit is required");
		return;
	}
	struct jsonv sub = JSONV_INIT;
	jsonv_no_unknown(&sub, t, "", allowed);
	bool h = cJSON_GetObjectItemCaseSensitive(t, "histogram_h") != NULL;
	const cJSON *qs = array_at(&sub, t, "quantiles", false, 2, 100);
	if (!cJSON_IsObject(t) || h == (cJSON_GetObjectItemCaseSensitive(t, "quantiles") != NULL)) {
		jsonv_error(v, "transit", "format",
		            "transit must be {\"histogram_h\": [...]} or {\"quantiles\": [...]}");
		jsonv_free(&sub);
		return;
	}
	if (h)
		hist_at(&sub, t, "histogram_h", true);
	int i = 0;
	double prev_p = -1, prev_h = -1;
	cJSON_ArrayForEach(q, qs) {
		char f[64];
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(q, "p");
		const cJSON *hr = cJSON_GetObjectItemCaseSensitive(q, "hours");
		snprintf(f, sizeof f, "quantiles[%d]", i);
		if (!cJSON_IsNumber(p) || !cJSON_IsNumber(hr) || p->valuedouble <= prev_p ||
		    p->valuedouble > 1 || hr->valuedouble < prev_h || hr->valuedouble < 0 ||
		    hr->valuedouble > 2000 || (i == 0 && p->valuedouble != 0) ||
		    (i == cJSON_GetArraySize(qs) - 1 && p->valuedouble != 1))
			jsonv_error(&sub, f, "format",
			            "%s: {p, hours} with p from 0 to 1 strictly and hours (0..2000) weakly "
			            "increasing", f);
		else
			prev_p = p->valuedouble, prev_h = hr->valuedouble;
		i++;
	}
	jsonv_merge(v, &sub, "transit.");
}

static void leg_id_at(struct jsonv *v, const cJSON *obj)
{
	const char *id = jsonv_string(v, obj, "id", true, 1, 64);
	if (!id)
		return;
	for (const char *c = id; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      (c > id && (*c == '_' || *c == '.' || *c == '-')))) {
			jsonv_error(v, "id", "format", "id must be A-Z, 0-9, '_', '.' or '-', up to 64");
			return;
		}
}

void network_check_node(struct jsonv *v, const cJSON *obj, bool partial)
{
	static const char *const allowed[] = {"code", "kind", "name", "country", "time_zone",
	                                      "postal_prefix", "min_connection_min", NULL};
	long long n;
	jsonv_no_unknown(v, obj, "", allowed);
	int k = -1;
	if (partial) {
		if (cJSON_GetObjectItemCaseSensitive(obj, "code"))
			jsonv_error(v, "code", "immutable", "code cannot be changed");
		if (cJSON_GetObjectItemCaseSensitive(obj, "kind"))
			jsonv_error(v, "kind", "immutable", "kind cannot be changed");
	} else {
		(void)fields_code(v, obj, "code", true);
		k = jsonv_enum(v, obj, "kind", true, kinds);
	}
	bool warehouse = k == 0; /* a warehouse node defaults to its warehouse's country and zone */
	(void)jsonv_string(v, obj, "name", false, 1, 200);
	(void)fields_country(v, obj, "country", !partial && !warehouse);
	(void)fields_time_zone(v, obj, "time_zone", !partial && !warehouse);
	const char *pp = jsonv_string(v, obj, "postal_prefix", false, 1, 10);
	if (pp) {
		for (const char *c = pp; *c; c++)
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))) {
				jsonv_error(v, "postal_prefix", "format",
				            "postal_prefix must be 1 to 10 characters A-Z, 0-9");
				pp = NULL;
				break;
			}
		if (pp && k >= 0 && k != 3)
			jsonv_error(v, "postal_prefix", "zone_only", "only zones have a postal prefix");
	}
	(void)jsonv_int(v, obj, "min_connection_min", false, 0, 10080, &n);
}

void network_check_service(struct jsonv *v, const cJSON *obj)
{
	static const char *const allowed[] = {"carrier", "service", "mode", NULL};
	jsonv_no_unknown(v, obj, "", allowed);
	(void)fields_code(v, obj, "carrier", true);
	(void)fields_code(v, obj, "service", true);
	(void)jsonv_enum(v, obj, "mode", true, modes);
}

static void departures_at(struct jsonv *v, const cJSON *obj, bool required)
{
	static const char *const allowed[] = {"days", "time", NULL};
	const cJSON *a = array_at(v, obj, "departures", required, 1, 2016), *d;
	int i = 0;
	char prefix[48];
	cJSON_ArrayForEach(d, a) {
		struct jsonv sub = JSONV_INIT;
		snprintf(prefix, sizeof prefix, "departures[%d]", i++);
		if (!cJSON_IsObject(d)) {
			jsonv_error(v, prefix, "type", "%s must be {\"days\": [...], \"time\": \"HH:MM\"}",
			            prefix);
			continue;
		}
		jsonv_no_unknown(&sub, d, "", allowed);
		(void)days_at(&sub, d, "days", true);
		(void)time_at(&sub, d, "time", true);
		jsonv_merge(v, &sub, "%s.", prefix);
	}
}

static void cost_at(struct jsonv *v, const cJSON *obj, bool required)
{
	static const char *const allowed[] = {"fixed", "per_kg", "currency", NULL};
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, "cost");
	long long n;
	if (!c || cJSON_IsNull(c)) {
		if (required)
			jsonv_error(v, "cost", "required", "cost is required");
		return;
	}
	if (!cJSON_IsObject(c)) {
		jsonv_error(v, "cost", "type", "cost must be {fixed, per_kg, currency}");
		return;
	}
	struct jsonv sub = JSONV_INIT;
	jsonv_no_unknown(&sub, c, "", allowed);
	(void)jsonv_int(&sub, c, "fixed", required, 0, 1000000000, &n);
	(void)jsonv_int(&sub, c, "per_kg", required, 0, 1000000000, &n);
	(void)fields_currency(&sub, c, "currency", required);
	jsonv_merge(v, &sub, "cost.");
}

void network_check_leg(struct jsonv *v, const cJSON *obj, bool partial)
{
	static const char *const allowed[] = {"id", "from", "to", "carrier", "service", "departures",
	                                      "cutoff_min", "transit", "delivery_days", "cost",
	                                      "max_weight_g", "max_dims_mm", NULL};
	long long n;
	jsonv_no_unknown(v, obj, "", allowed);
	if (partial && cJSON_GetObjectItemCaseSensitive(obj, "id"))
		jsonv_error(v, "id", "immutable", "id cannot be changed");
	else if (!partial)
		leg_id_at(v, obj);
	(void)fields_code(v, obj, "from", !partial);
	(void)fields_code(v, obj, "to", !partial);
	(void)fields_code(v, obj, "carrier", !partial);
	(void)fields_code(v, obj, "service", !partial);
	departures_at(v, obj, !partial);
	(void)jsonv_int(v, obj, "cutoff_min", false, 0, 10080, &n);
	transit_at(v, obj, !partial);
	(void)days_at(v, obj, "delivery_days", false);
	cost_at(v, obj, !partial);
	(void)jsonv_int(v, obj, "max_weight_g", false, 0, 100000000, &n);
	const cJSON *dims = array_at(v, obj, "max_dims_mm", false, 3, 3), *d;
	cJSON_ArrayForEach(d, dims)
		if (!cJSON_IsNumber(d) || d->valuedouble != floor(d->valuedouble) || d->valuedouble < 0 ||
		    d->valuedouble > 100000) {
			jsonv_error(v, "max_dims_mm", "format", "max_dims_mm must be three integers 0..100000");
			break;
		}
}

void network_check_processing(struct jsonv *v, const cJSON *obj)
{
	static const char *const allowed[] = {"origin", "order_cutoff", "histogram_h", NULL};
	jsonv_no_unknown(v, obj, "", allowed);
	(void)fields_code(v, obj, "origin", true);
	(void)time_at(v, obj, "order_cutoff", false);
	hist_at(v, obj, "histogram_h", true);
}

void network_check_promise(struct jsonv *v, const cJSON *obj, bool partial)
{
	static const char *const allowed[] = {"origin", "country", "days", "target_bp", NULL};
	long long n;
	jsonv_no_unknown(v, obj, "", allowed);
	if (partial) {
		if (cJSON_GetObjectItemCaseSensitive(obj, "origin") ||
		    cJSON_GetObjectItemCaseSensitive(obj, "country"))
			jsonv_error(v, "origin", "immutable", "origin and country cannot be changed");
	} else {
		(void)fields_code(v, obj, "origin", false);
		(void)fields_country(v, obj, "country", true);
	}
	(void)jsonv_int(v, obj, "days", !partial, 1, 60, &n);
	(void)jsonv_int(v, obj, "target_bp", !partial, 1, 10000, &n);
}

/* --- the engine check ------------------------------------------------------------------- */

static const char *s_at(const cJSON *o, const char *k)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Departures of a valid leg over the reference week, sorted and distinct. */
static cJSON *ref_departures(const cJSON *leg)
{
	int64_t t[2016 * 7];
	size_t n = 0;
	const cJSON *d, *day;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(leg, "departures")) {
		int m = hhmm(s_at(d, "time"));
		cJSON_ArrayForEach(day, cJSON_GetObjectItemCaseSensitive(d, "days"))
			if (n < sizeof t / sizeof t[0])
				t[n++] = REF_MONDAY + weekday_index(day->valuestring) * 86400LL + m * 60LL;
	}
	qsort(t, n, sizeof t[0], cmp_i64);
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		if (i == 0 || t[i] != t[i - 1])
			cJSON_AddItemToArray(out, cJSON_CreateNumber((double)t[i]));
	return out;
}

static cJSON *pair(int64_t a, int64_t b)
{
	cJSON *p = cJSON_CreateArray();
	cJSON_AddItemToArray(p, cJSON_CreateNumber((double)a));
	cJSON_AddItemToArray(p, cJSON_CreateNumber((double)b));
	return p;
}

static cJSON *ref_days(const cJSON *days, int cutoff_min)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *d;
	unsigned mask = 0;
	cJSON_ArrayForEach(d, days)
		mask |= 1u << weekday_index(d->valuestring);
	for (int i = 0; i < 7; i++)
		if (!days || (mask & (1u << i))) {
			int64_t start = REF_MONDAY + i * 86400LL;
			cJSON_AddItemToArray(out, pair(start, cutoff_min >= 0 ? start + cutoff_min * 60LL
			                                                      : start + 86400));
		}
	return out;
}

static void copy_member(cJSON *dst, const char *to, const cJSON *src, const char *from)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(src, from);
	if (it)
		cJSON_AddItemToObject(dst, to, cJSON_Duplicate(it, true));
}

static cJSON *ref_leg(const cJSON *l)
{
	cJSON *o = cJSON_CreateObject(), *q, *qh;
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(l, "cost"), *t, *x;
	for (const char *const *k = (const char *const[]){"id", "from", "to", "carrier", "service",
	                                                   "cutoff_min", "max_weight_g", "max_dims_mm",
	                                                   NULL};
	     *k; k++)
		copy_member(o, *k, l, *k);
	copy_member(o, "fixed", c, "fixed");
	copy_member(o, "per_kg", c, "per_kg");
	t = cJSON_GetObjectItemCaseSensitive(l, "transit");
	copy_member(o, "hist_h", t, "histogram_h");
	if (cJSON_GetObjectItemCaseSensitive(t, "quantiles")) {
		cJSON_AddItemToObject(o, "q", q = cJSON_CreateArray());
		cJSON_AddItemToObject(o, "q_hours", qh = cJSON_CreateArray());
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(t, "quantiles")) {
			cJSON_AddItemToArray(q, cJSON_Duplicate(cJSON_GetObjectItem(x, "p"), true));
			cJSON_AddItemToArray(qh, cJSON_Duplicate(cJSON_GetObjectItem(x, "hours"), true));
		}
	}
	cJSON_AddItemToObject(o, "departures", ref_departures(l));
	if ((x = cJSON_GetObjectItemCaseSensitive(l, "delivery_days")) && !cJSON_IsNull(x))
		cJSON_AddItemToObject(o, "delivery_windows", ref_days(x, -1));
	return o;
}

static const cJSON *processing_of(const cJSON *doc, const char *code)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(doc, "processing")) {
		const char *o = s_at(p, "origin");
		if (o && code && strcmp(o, code) == 0)
			return p;
	}
	return NULL;
}

static cJSON *ref_node(const cJSON *doc, const cJSON *n)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *p = processing_of(doc, s_at(n, "code")), *m;
	copy_member(o, "code", n, "code");
	copy_member(o, "kind", n, "kind");
	copy_member(o, "postal_prefix", n, "postal_prefix");
	/* a warehouse node may leave its country to the warehouse */
	cJSON_AddStringToObject(o, "country", s_at(n, "country") ? s_at(n, "country") : "ZZ");
	m = cJSON_GetObjectItemCaseSensitive(n, "min_connection_min");
	cJSON_AddNumberToObject(o, "min_connection_s", cJSON_IsNumber(m) ? m->valuedouble * 60 : 0);
	if (p) {
		copy_member(o, "processing_h", p, "histogram_h");
		if (s_at(p, "order_cutoff"))
			cJSON_AddItemToObject(o, "order_windows", ref_days(NULL, hhmm(s_at(p, "order_cutoff"))));
	}
	return o;
}

/* The index of the item of arr whose key equals code (the last one when last), or -1. */
static int index_of(const cJSON *arr, const char *key, const char *code, size_t len, bool last)
{
	int i = 0, found = -1;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		const char *s = s_at(it, key);
		if (s && strlen(s) == len && strncmp(s, code, len) == 0) {
			found = i;
			if (!last)
				break;
		}
		i++;
	}
	return found;
}

/* Names an engine problem ("leg X: unknown from node Y") by its field path. */
static void map_problem(struct jsonv *v, const cJSON *doc, const char *text)
{
	static const struct {
		const char *prefix, *array, *key;
	} kinds_of[] = {{"leg ", "legs", "id"}, {"node ", "nodes", "code"},
	                {"service ", "services", "carrier"}};
	static const struct {
		const char *words, *field;
	} parts[] = {{"unknown from", ".from"},   {"unknown to", ".to"},
	             {"unknown service", ".service"}, {"departures", ".departures"},
	             {"transit", ".transit"},     {"delivery windows", ".delivery_days"},
	             {"postal prefix", ".postal_prefix"}, {"processing", ""},
	             {"zone", ".from"}};
	char field[128] = "network";
	for (size_t k = 0; k < sizeof kinds_of / sizeof kinds_of[0]; k++) {
		size_t pl = strlen(kinds_of[k].prefix);
		if (strncmp(text, kinds_of[k].prefix, pl) != 0)
			continue;
		const char *code = text + pl, *end = strpbrk(code, ":/");
		if (!end)
			break;
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, kinds_of[k].array);
		int i = index_of(arr, kinds_of[k].key, code, (size_t)(end - code),
		                 strstr(text, "duplicate") != NULL);
		if (i < 0)
			break;
		const char *suffix = "";
		for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
			if (strstr(end, parts[p].words)) {
				suffix = parts[p].field;
				break;
			}
		snprintf(field, sizeof field, "%s[%d]%s", kinds_of[k].array, i, suffix);
		break;
	}
	jsonv_error(v, field, "network", "%s", text);
}

/* Builds the engine's view of the items that passed shape checks (valid[] per array), and
 * records what the engine finds. */
static void engine_check(struct jsonv *v, const cJSON *doc, const bool *node_ok,
                         const bool *service_ok, const bool *leg_ok)
{
	cJSON *ref = cJSON_CreateObject(), *nodes, *services, *legs, *problems = NULL;
	const cJSON *it;
	int i = 0;
	copy_member(ref, "currency", doc, "currency");
	cJSON_AddItemToObject(ref, "nodes", nodes = cJSON_CreateArray());
	cJSON_AddItemToObject(ref, "services", services = cJSON_CreateArray());
	cJSON_AddItemToObject(ref, "legs", legs = cJSON_CreateArray());
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "nodes"))
		if (node_ok[i++])
			cJSON_AddItemToArray(nodes, ref_node(doc, it));
	i = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "services"))
		if (service_ok[i++])
			cJSON_AddItemToArray(services, cJSON_Duplicate(it, true));
	i = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "legs"))
		if (leg_ok[i++])
			cJSON_AddItemToArray(legs, ref_leg(it));
	struct network_snapshot *s = network_snapshot_build(ref, &problems);
	network_snapshot_free(s);
	cJSON_ArrayForEach(it, problems)
		map_problem(v, doc, it->valuestring);
	cJSON_Delete(problems);
	cJSON_Delete(ref);
}

/* Checks each item of doc[name] with check; ok[i] tells which passed (caller frees). */
static bool *check_items(struct jsonv *v, const cJSON *doc, const char *name, bool required,
                         void (*check)(struct jsonv *, const cJSON *))
{
	const cJSON *a = array_at(v, doc, name, required, 0, 100000), *it;
	bool *ok = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof *ok);
	int i = 0;
	char prefix[48];
	cJSON_ArrayForEach(it, a) {
		struct jsonv sub = JSONV_INIT;
		snprintf(prefix, sizeof prefix, "%s[%d]", name, i);
		if (!cJSON_IsObject(it)) {
			jsonv_error(v, prefix, "type", "%s must be an object", prefix);
			i++;
			continue;
		}
		check(&sub, it);
		if (ok)
			ok[i] = sub.count == 0;
		jsonv_merge(v, &sub, "%s.", prefix);
		i++;
	}
	return ok;
}

static void node_full(struct jsonv *v, const cJSON *o) { network_check_node(v, o, false); }
static void leg_full(struct jsonv *v, const cJSON *o) { network_check_leg(v, o, false); }
static void promise_full(struct jsonv *v, const cJSON *o) { network_check_promise(v, o, false); }

static void carrier_check(struct jsonv *v, const cJSON *o)
{
	static const char *const allowed[] = {"code", "name", NULL};
	jsonv_no_unknown(v, o, "", allowed);
	(void)fields_code(v, o, "code", true);
	(void)jsonv_string(v, o, "name", false, 1, 200);
}

/* Every doc[name][i].origin names a node of the document. */
static void refs_known(struct jsonv *v, const cJSON *doc, const char *name)
{
	const cJSON *it, *nodes = cJSON_GetObjectItemCaseSensitive(doc, "nodes");
	int i = 0;
	char field[64];
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, name)) {
		const char *o = s_at(it, "origin");
		if (o && index_of(nodes, "code", o, strlen(o), false) < 0) {
			snprintf(field, sizeof field, "%s[%d].origin", name, i);
			jsonv_error(v, field, "unknown_node", "no node %s in nodes[]", o);
		}
		i++;
	}
}

void network_check_document(struct jsonv *v, const cJSON *doc)
{
	static const char *const allowed[] = {"currency", "version", "carriers", "nodes", "services",
	                                      "legs", "processing", "promises", NULL};
	jsonv_no_unknown(v, doc, "", allowed);
	const char *cur = fields_currency(v, doc, "currency", true);
	free(check_items(v, doc, "carriers", false, carrier_check));
	bool *nodes = check_items(v, doc, "nodes", true, node_full);
	bool *services = check_items(v, doc, "services", true, network_check_service);
	bool *legs = check_items(v, doc, "legs", true, leg_full);
	free(check_items(v, doc, "processing", false, network_check_processing));
	free(check_items(v, doc, "promises", false, promise_full));
	const cJSON *it;
	int i = 0;
	char field[64];
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "legs")) {
		const char *lc = s_at(cJSON_GetObjectItemCaseSensitive(it, "cost"), "currency");
		if (cur && lc && strcmp(lc, cur) != 0) {
			snprintf(field, sizeof field, "legs[%d].cost.currency", i);
			jsonv_error(v, field, "currency", "costs must be in the network's currency %s", cur);
		}
		i++;
	}
	refs_known(v, doc, "processing");
	refs_known(v, doc, "promises");
	if (cur && nodes && services && legs)
		engine_check(v, doc, nodes, services, legs);
	free(nodes);
	free(services);
	free(legs);
}
