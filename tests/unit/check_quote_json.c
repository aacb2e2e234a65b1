/* check_quote_json.c — the quote's JSON text (api/network/quote_json.h) and the writer under it
 * (api/http/jbuf.h): layout, values, escapes, instants against the C library, threads. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/http/jbuf.h"
#include "api/network/network_load.h"
#include "api/network/quote_json.h"
#include "routing/quote.h"

/* 2026-11-23T10:00:00Z and friends, as epoch seconds */
#define T0 1795428000LL

static const char bad_leg[] = "A\"B\\C\x01/\t\xc3\xa9"; /* quote, backslash, control, UTF-8 */

static struct routing_leg_out sel_legs[2] = {
	{.leg_id = "CN-HUB-AIR", .carrier = "skyco", .service = "express", .mode = ROUTING_MODE_AIR,
	 .from = "WH1", .to = "HUB", .departure = T0 + 3600, .p_departure = 0.9547864,
	 .arrival_p50 = T0 + 86400, .arrival_p95 = T0 + 2 * 86400, .cost_minor = 5000000000LL,
	 .chargeable_g = 500},
	{.leg_id = bad_leg, .carrier = "roadco", .service = "std", .mode = ROUTING_MODE_LAST_MILE,
	 .from = "HUB", .to = "Z-GB", .departure = T0 + 90000, .p_departure = 1.0,
	 .arrival_p50 = T0 + 3 * 86400, .arrival_p95 = ROUTING_NEVER, .cost_minor = 0,
	 .chargeable_g = 600},
};
static struct routing_leg_out slow_legs[1] = {
	{.leg_id = "CN-GB-SEA", .carrier = "seaco", .service = "slow", .mode = ROUTING_MODE_SEA,
	 .from = "WH1", .to = "Z-GB", .departure = ROUTING_NEVER, .p_departure = 0,
	 .arrival_p50 = ROUTING_NEVER, .arrival_p95 = ROUTING_NEVER, .cost_minor = -12,
	 .chargeable_g = 700},
};
static struct routing_leg_out refused_legs[1] = {
	{.leg_id = "CN-GB-TINY", .carrier = "tinyco", .service = "x", .mode = ROUTING_MODE_ROAD,
	 .from = "WH1", .to = "Z-GB", .departure = ROUTING_NEVER, .arrival_p50 = ROUTING_NEVER,
	 .arrival_p95 = ROUTING_NEVER},
};

static struct routing_option test_options[3] = {
	{.reason = ROUTING_SELECTED, .n_legs = 2, .legs = sel_legs, .cost_minor = 5000000123LL,
	 .p_on_time = 0.95, .p_beyond_horizon = 0.0000004, .delivery_p50 = T0 + 3 * 86400,
	 .delivery_p95 = ROUTING_NEVER},
	{.reason = ROUTING_SLOWER_THAN_PROMISE, .n_legs = 1, .legs = slow_legs, .cost_minor = 7,
	 .p_on_time = 0.1234565, .p_beyond_horizon = 1.0, .delivery_p50 = ROUTING_NEVER,
	 .delivery_p95 = ROUTING_NEVER},
	{.reason = ROUTING_TOO_HEAVY, .n_legs = 1, .legs = refused_legs, .refused_leg = "CN-GB-TINY"},
};

static const struct routing_request test_req = {.origin = "WH1", .ready_at = T0,
                                                .country = "GB"};
static const struct network_promise test_pr = {.origin = NULL, .country = "GB", .days = 5,
                                               .target_bp = 9500};

static struct routing_quote test_quote(void)
{
	struct routing_quote q = {.status = ROUTING_OK, .zone = "Z-GB", .deadline = T0 + 5 * 86400,
	                          .target = 0.95, .currency = "EUR", .n_options = 3,
	                          .options = test_options, .n_refused = 1, .n_evaluated = 42};
	return q;
}

/* The names of obj's members, comma-separated. */
static void keys(const cJSON *obj, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (const cJSON *c = obj->child; c; c = c->next)
		n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "," : "", c->string);
}

static void assert_keys(const cJSON *obj, const char *want)
{
	char got[512];
	ck_assert_ptr_nonnull(obj);
	keys(obj, got, sizeof got);
	ck_assert_str_eq(got, want);
}

/* text parses, and cJSON prints the parsed document back byte for byte: numbers and
 * escapes are exactly as cJSON would print them. Returns the parsed document. */
static cJSON *parse_canonical(const char *text, size_t len)
{
	ck_assert_uint_eq(strlen(text), len);
	cJSON *doc = cJSON_Parse(text);
	ck_assert_msg(doc != NULL, "not JSON: %s", text);
	char *again = cJSON_PrintUnformatted(doc);
	ck_assert_str_eq(again, text);
	free(again);
	return doc;
}

/* q's 200 body, checked by parse_canonical(); *doc is its parse (cJSON_Delete). */
static char *render_parsed(const struct routing_quote *q, cJSON **doc)
{
	size_t len = 0;
	char *text = quote_json_render(&test_req, q, &test_pr, &len);
	ck_assert_ptr_nonnull(text);
	*doc = parse_canonical(text, len);
	return text;
}

static const char *str_at(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	ck_assert_msg(cJSON_IsString(v), "%s is not a string", k);
	return v->valuestring;
}

static double num_at(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", k);
	return v->valuedouble;
}

/* The text contains fragment verbatim. */
#define assert_text_has(text, fragment) \
	ck_assert_msg(strstr(text, fragment) != NULL, "no %s in %s", fragment, text)

static void assert_null_at(const cJSON *o, const char *k)
{
	ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, k)), "%s is not null", k);
}

#define LEG_KEYS "leg,carrier,service,mode,from,to"
#define PRICED_LEG_KEYS LEG_KEYS ",departure,p_departure,arrival_p50,arrival_p95,cost," \
	"chargeable_weight_g"
#define OPTION_KEYS "reason,legs,cost,p_on_time,p_beyond_horizon,delivery_p50,delivery_p95"

START_TEST(render_ok)
{
	struct routing_quote q = test_quote();
	cJSON *doc;
	char *text = render_parsed(&q, &doc);

	assert_keys(doc, "status,origin,zone,ready_at,promise,selected,options,evaluated");
	ck_assert_str_eq(str_at(doc, "status"), "ok");
	ck_assert_str_eq(str_at(doc, "origin"), "WH1");
	ck_assert_str_eq(str_at(doc, "zone"), "Z-GB");
	ck_assert_str_eq(str_at(doc, "ready_at"), "2026-11-23T10:00:00Z");
	ck_assert(num_at(doc, "evaluated") == 42);

	const cJSON *pr = cJSON_GetObjectItem(doc, "promise");
	assert_keys(pr, "days,target_bp,deadline,rule");
	ck_assert(num_at(pr, "days") == 5);
	ck_assert(num_at(pr, "target_bp") == 9500);
	ck_assert_str_eq(str_at(pr, "deadline"), "2026-11-28T10:00:00Z");
	ck_assert_ptr_nonnull(strstr(str_at(pr, "rule"), "days-th calendar day"));

	const cJSON *sel = cJSON_GetObjectItem(doc, "selected");
	assert_keys(sel, OPTION_KEYS);
	ck_assert_str_eq(str_at(sel, "reason"), "selected");
	assert_keys(cJSON_GetObjectItem(sel, "cost"), "amount,currency");
	ck_assert(num_at(cJSON_GetObjectItem(sel, "cost"), "amount") == 5000000123.0);
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(sel, "cost"), "currency"), "EUR");
	ck_assert(num_at(sel, "p_on_time") == 0.95);
	ck_assert(num_at(sel, "p_beyond_horizon") == 0); /* 0.0000004 rounds to 0 */
	ck_assert_str_eq(str_at(sel, "delivery_p50"), "2026-11-26T10:00:00Z");
	assert_null_at(sel, "delivery_p95");

	const cJSON *legs = cJSON_GetObjectItem(sel, "legs");
	ck_assert_int_eq(cJSON_GetArraySize(legs), 2);
	const cJSON *l0 = cJSON_GetArrayItem(legs, 0), *l1 = cJSON_GetArrayItem(legs, 1);
	assert_keys(l0, PRICED_LEG_KEYS);
	assert_keys(l1, PRICED_LEG_KEYS);
	ck_assert_str_eq(str_at(l0, "mode"), "air");
	ck_assert_str_eq(str_at(l0, "departure"), "2026-11-23T11:00:00Z");
	ck_assert(num_at(l0, "p_departure") == 0.954786);
	ck_assert(num_at(l0, "chargeable_weight_g") == 500);
	ck_assert_str_eq(str_at(l1, "leg"), bad_leg);
	ck_assert(num_at(l1, "p_departure") == 1);
	assert_null_at(l1, "arrival_p95");
	ck_assert(num_at(cJSON_GetObjectItem(l1, "cost"), "amount") == 0);

	const cJSON *opts = cJSON_GetObjectItem(doc, "options");
	ck_assert_int_eq(cJSON_GetArraySize(opts), 2);
	const cJSON *slow = cJSON_GetArrayItem(opts, 0), *refused = cJSON_GetArrayItem(opts, 1);
	assert_keys(slow, OPTION_KEYS);
	ck_assert_str_eq(str_at(slow, "reason"), "slower_than_promise");
	ck_assert(num_at(slow, "p_on_time") == 0.123457); /* half away from zero */
	ck_assert(num_at(slow, "p_beyond_horizon") == 1);
	assert_null_at(cJSON_GetArrayItem(cJSON_GetObjectItem(slow, "legs"), 0), "departure");
	assert_keys(refused, "reason,legs,refused_by_leg");
	ck_assert_str_eq(str_at(refused, "reason"), "too_heavy");
	ck_assert_str_eq(str_at(refused, "refused_by_leg"), "CN-GB-TINY");
	assert_keys(cJSON_GetArrayItem(cJSON_GetObjectItem(refused, "legs"), 0), LEG_KEYS);

	/* the text itself: integers as integers, shortest decimals, escapes as cJSON's */
	assert_text_has(text, "\"p_departure\":0.954786,");
	assert_text_has(text, "\"p_departure\":1,");
	assert_text_has(text, "\"p_departure\":0,");
	assert_text_has(text, "\"amount\":5000000000,");
	assert_text_has(text, "\"amount\":-12,");
	assert_text_has(text, "\"leg\":\"A\\\"B\\\\C\\u0001/\\t\xc3\xa9\",");
	assert_text_has(text, "\"evaluated\":42}");
	cJSON_Delete(doc);
	free(text);
}
END_TEST

/* An at-risk quote with only the selected option: an empty options array. */
START_TEST(render_single)
{
	struct routing_quote q = test_quote();
	q.status = ROUTING_AT_RISK;
	q.n_options = 1;
	cJSON *doc;
	char *text = render_parsed(&q, &doc);
	ck_assert_str_eq(str_at(doc, "status"), "at_risk");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "options")), 0);
	assert_text_has(text, "\"options\":[],");
	cJSON_Delete(doc);
	free(text);
}
END_TEST

/* The 422's options array lays each option out as the 200 body does. */
START_TEST(options_array)
{
	struct routing_quote q = test_quote();
	size_t len, all_len;
	char *body = quote_json_render(&test_req, &q, &test_pr, &len);
	char *all = quote_json_options(&q, &all_len);
	ck_assert_ptr_nonnull(body);
	ck_assert_ptr_nonnull(all);
	cJSON *arr = parse_canonical(all, all_len);
	ck_assert(cJSON_IsArray(arr));
	ck_assert_int_eq(cJSON_GetArraySize(arr), 3);
	/* "[" + selected + "," + the body's options array without its '[' */
	const char *sel = strstr(body, "\"selected\":") + strlen("\"selected\":");
	const char *rest = strstr(body, ",\"options\":[") + strlen(",\"options\":[");
	size_t sel_len = (size_t)(rest - strlen(",\"options\":[") - sel);
	ck_assert_mem_eq(all + 1, sel, sel_len);
	ck_assert_int_eq(all[1 + sel_len], ',');
	ck_assert_mem_eq(all + 2 + sel_len, rest, all_len - 2 - sel_len);
	cJSON_Delete(arr);
	free(all);
	free(body);

	q.n_options = 0;
	all = quote_json_options(&q, &all_len);
	ck_assert_str_eq(all, "[]");
	free(all);
}
END_TEST

/* Formats t with the C library, as the API's instant format. */
static void libc_instant(time_t t, char out[40])
{
	struct tm tm;
	ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
	snprintf(out, 40, "\"%04d-%02d-%02dT%02d:%02d:%02dZ\"", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void assert_instant(int64_t t)
{
	char want[40];
	struct jbuf b = JBUF_INIT;
	libc_instant((time_t)t, want);
	jbuf_utc(&b, t);
	char *got = jbuf_take(&b, NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strcmp(got, want) == 0, "%lld: %s, libc %s", (long long)t, got, want);
	free(got);
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
	                .tm_min = mi, .tm_sec = s};
	return (int64_t)timegm(&tm);
}

START_TEST(instants)
{
	struct jbuf b = JBUF_INIT;
	jbuf_utc(&b, 0);
	jbuf_utc(&b, utc(2028, 2, 29, 12, 34, 56));
	jbuf_utc(&b, utc(2026, 12, 31, 23, 59, 59));
	jbuf_utc(&b, utc(9999, 12, 31, 23, 59, 59));
	char *got = jbuf_take(&b, NULL);
	ck_assert_str_eq(got, "\"1970-01-01T00:00:00Z\",\"2028-02-29T12:34:56Z\","
	                      "\"2026-12-31T23:59:59Z\",\"9999-12-31T23:59:59Z\"");
	free(got);

	const int64_t fixed[] = {0, -1, 86399, 86400, utc(2028, 2, 29, 0, 0, 0),
	                         utc(2028, 3, 1, 0, 0, 0) - 1, utc(2026, 12, 31, 23, 59, 59),
	                         utc(2100, 2, 28, 23, 59, 59), utc(2100, 3, 1, 0, 0, 0),
	                         utc(2000, 2, 29, 6, 0, 0), utc(2400, 2, 29, 6, 0, 0),
	                         utc(1900, 3, 1, 0, 0, 0), utc(9999, 12, 31, 23, 59, 59),
	                         utc(1, 1, 1, 0, 0, 0)};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		assert_instant(fixed[i]);
	/* a walk over years 1..9999 in irregular steps */
	const int64_t lo = utc(1, 1, 1, 0, 0, 0), hi = utc(9999, 12, 31, 23, 59, 59);
	uint64_t x = 88172645463325252ULL;
	for (int64_t t = lo; t <= hi;) {
		assert_instant(t);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		t += 1 + (int64_t)(x % (2 * 86400 * 365ULL));
	}
	/* every second around one leap day's end, sampled */
	for (int64_t t = utc(2028, 2, 28, 23, 0, 0); t < utc(2028, 3, 1, 1, 0, 0); t += 37)
		assert_instant(t);
}
END_TEST

START_TEST(writer_values)
{
	struct jbuf b = JBUF_INIT;
	jbuf_arr_open(&b);
	jbuf_scaled(&b, 954786, 6);
	jbuf_scaled(&b, 950000, 6);
	jbuf_scaled(&b, 1000000, 6);
	jbuf_scaled(&b, 0, 6);
	jbuf_scaled(&b, 1, 6);
	jbuf_scaled(&b, -500000, 6);
	jbuf_scaled(&b, 1234567, 6);
	jbuf_int(&b, INT64_MIN);
	jbuf_int(&b, INT64_MAX);
	jbuf_str(&b, NULL);
	jbuf_str(&b, "");
	jbuf_str(&b, "\b\f\n\r\x1f\x7f");
	jbuf_obj_open(&b);
	jbuf_obj_close(&b);
	jbuf_arr_open(&b);
	jbuf_arr_close(&b);
	jbuf_obj_open(&b);
	jbuf_key(&b, "k\"");
	jbuf_null(&b);
	jbuf_key(&b, "a");
	jbuf_arr_open(&b);
	jbuf_int(&b, 1);
	jbuf_int(&b, 2);
	jbuf_arr_close(&b);
	jbuf_obj_close(&b);
	jbuf_arr_close(&b);
	size_t len;
	char *got = jbuf_take(&b, &len);
	ck_assert_str_eq(got, "[0.954786,0.95,1,0,0.000001,-0.5,1.234567,-9223372036854775808,"
	                      "9223372036854775807,null,\"\",\"\\b\\f\\n\\r\\u001f\x7f\",{},[],"
	                      "{\"k\\\"\":null,\"a\":[1,2]}]");
	ck_assert_uint_eq(len, strlen(got));
	ck_assert_ptr_null(b.data);
	free(got);

	/* nothing written: an empty string, not NULL; a buffer past 1 KiB grows */
	got = jbuf_take(&b, &len);
	ck_assert_str_eq(got, "");
	free(got);
	jbuf_arr_open(&b);
	for (int i = 0; i < 5000; i++)
		jbuf_str(&b, "0123456789");
	jbuf_arr_close(&b);
	got = jbuf_take(&b, &len);
	ck_assert_uint_eq(len, 2 + 5000 * 13 - 1); /* "0123456789" and a comma each */
	free(got);
}
END_TEST

/* Renders concurrently from several threads: every text equals the one-thread text. */
struct render_job {
	const char *want;
	int mismatches;
};

static void *render_many(void *arg)
{
	struct render_job *job = arg;
	struct routing_quote q = test_quote();
	for (int i = 0; i < 2000; i++) {
		size_t len;
		char *text = quote_json_render(&test_req, &q, &test_pr, &len);
		if (!text || strcmp(text, job->want) != 0)
			job->mismatches++;
		free(text);
	}
	return NULL;
}

START_TEST(threads)
{
	struct routing_quote q = test_quote();
	size_t len;
	char *want = quote_json_render(&test_req, &q, &test_pr, &len);
	ck_assert_ptr_nonnull(want);
	pthread_t th[4];
	struct render_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct render_job){want, 0};
		ck_assert_int_eq(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(jobs[i].mismatches, 0);
	}
	free(want);
}
END_TEST

Suite *quote_json_suite(void);
Suite *quote_json_suite(void)
{
	Suite *s = suite_create("quote_json");
	TCase *tc = tcase_create("render");
	tcase_add_test(tc, render_ok);
	tcase_add_test(tc, render_single);
	tcase_add_test(tc, options_array);
	tcase_add_test(tc, instants);
	tcase_add_test(tc, writer_values);
	tcase_add_test(tc, threads);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
