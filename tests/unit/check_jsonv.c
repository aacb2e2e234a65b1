/* check_jsonv.c — request-body validation helpers and field validators. */
#include <check.h>
#include <string.h>

#include "api/http/fields.h"
#include "api/http/jsonv.h"

static const char *field_of(const struct jsonv *v, int i)
{
	return cJSON_GetObjectItem(cJSON_GetArrayItem(v->errors, i), "field")->valuestring;
}

static const char *code_of(const struct jsonv *v, int i)
{
	return cJSON_GetObjectItem(cJSON_GetArrayItem(v->errors, i), "code")->valuestring;
}

START_TEST(getters)
{
	cJSON *o = cJSON_Parse("{\"s\":\"abc\",\"n\":42,\"f\":1.5,\"b\":true,\"z\":null,\"e\":\"air\","
	                       "\"big\":1e300}");
	struct jsonv v = JSONV_INIT;
	long long n;
	bool b;
	static const char *const modes[] = {"air", "rail", NULL};
	ck_assert_str_eq(jsonv_string(&v, o, "s", true, 1, 10), "abc");
	ck_assert_int_eq(jsonv_int(&v, o, "n", true, 0, 100, &n), 1);
	ck_assert_int_eq(n, 42);
	ck_assert_int_eq(jsonv_bool(&v, o, "b", true, &b), 1);
	ck_assert(b);
	ck_assert_int_eq(jsonv_enum(&v, o, "e", true, modes), 0);
	ck_assert_int_eq(v.count, 0);
	/* absent and optional: no error */
	ck_assert_ptr_null(jsonv_string(&v, o, "missing", false, 1, 10));
	ck_assert_int_eq(jsonv_int(&v, o, "z", false, 0, 1, &n), 0);
	ck_assert_int_eq(v.count, 0);
	/* errors, all collected */
	ck_assert_ptr_null(jsonv_string(&v, o, "missing", true, 1, 10));
	ck_assert_ptr_null(jsonv_string(&v, o, "s", true, 4, 10));
	ck_assert_int_eq(jsonv_int(&v, o, "f", true, 0, 100, &n), -1);
	ck_assert_int_eq(jsonv_int(&v, o, "n", true, 0, 10, &n), -1);
	ck_assert_int_eq(jsonv_int(&v, o, "big", true, 0, 10, &n), -1);
	ck_assert_int_eq(jsonv_bool(&v, o, "s", true, &b), -1);
	ck_assert_int_eq(jsonv_enum(&v, o, "s", true, modes), -1);
	ck_assert_int_eq(v.count, 7);
	ck_assert_str_eq(field_of(&v, 0), "missing");
	ck_assert_str_eq(code_of(&v, 0), "required");
	ck_assert_str_eq(code_of(&v, 1), "too_short");
	ck_assert_str_eq(code_of(&v, 2), "type");
	ck_assert_str_eq(code_of(&v, 3), "range");
	ck_assert_str_eq(code_of(&v, 6), "enum");
	jsonv_free(&v);
	cJSON_Delete(o);
}
END_TEST

START_TEST(unknown_fields)
{
	static const char *const allowed[] = {"a", "b", NULL};
	cJSON *o = cJSON_Parse("{\"a\":1,\"c\":2,\"b\":3,\"d\":4}");
	struct jsonv v = JSONV_INIT;
	jsonv_no_unknown(&v, o, "lines[0].", allowed);
	ck_assert_int_eq(v.count, 2);
	ck_assert_str_eq(field_of(&v, 0), "lines[0].c");
	ck_assert_str_eq(code_of(&v, 1), "unknown_field");
	cJSON *taken = jsonv_take(&v);
	ck_assert_int_eq(cJSON_GetArraySize(taken), 2);
	ck_assert_int_eq(v.count, 0);
	cJSON_Delete(taken);
	cJSON_Delete(o);
}
END_TEST

START_TEST(uuid_needs_the_canonical_shape)
{
	ck_assert(jsonv_is_uuid("3f2a1b4c-0000-4abc-8def-0123456789ab"));
	ck_assert(!jsonv_is_uuid("3f2a1b4c-0000-4abc-8def-0123456789a"));
	ck_assert(!jsonv_is_uuid("3f2a1b4c-0000-4abc-8def-0123456789abc"));
	ck_assert(!jsonv_is_uuid("3f2a1b4c_0000-4abc-8def-0123456789ab"));
	ck_assert(!jsonv_is_uuid("3f2a1b4c-0000-4abc-8def-0123456789ag"));
}
END_TEST

START_TEST(field_validators)
{
	cJSON *o = cJSON_Parse("{\"code\":\"ES-MAD\",\"bad\":\"es mad\",\"country\":\"ES\",\"nc\":\"XX\","
	                       "\"cur\":\"EUR\",\"ncur\":\"EUX\",\"tz\":\"Europe/Madrid\","
	                       "\"ntz\":\"Europe/Atlantis\",\"etz\":\"../etc/passwd\","
	                       "\"gtin\":\"4006381333931\",\"ngtin\":\"4006381333932\"}");
	struct jsonv v = JSONV_INIT;
	char g[15];
	ck_assert_str_eq(fields_code(&v, o, "code", true), "ES-MAD");
	ck_assert_str_eq(fields_country(&v, o, "country", true), "ES");
	ck_assert_str_eq(fields_currency(&v, o, "cur", true), "EUR");
	ck_assert_str_eq(fields_time_zone(&v, o, "tz", true), "Europe/Madrid");
	ck_assert_int_eq(fields_gtin(&v, o, "gtin", true, g), 1);
	ck_assert_str_eq(g, "04006381333931");
	ck_assert_int_eq(fields_gtin(&v, o, "absent", false, g), 0);
	ck_assert_int_eq(v.count, 0);
	ck_assert_ptr_null(fields_code(&v, o, "bad", true));
	ck_assert_ptr_null(fields_country(&v, o, "nc", true));
	ck_assert_ptr_null(fields_currency(&v, o, "ncur", true));
	ck_assert_ptr_null(fields_time_zone(&v, o, "ntz", true));
	ck_assert_ptr_null(fields_time_zone(&v, o, "etz", true));
	ck_assert_int_eq(fields_gtin(&v, o, "ngtin", true, g), -1);
	ck_assert_int_eq(v.count, 6);
	ck_assert_str_eq(code_of(&v, 5), "check_digit");
	jsonv_free(&v);
	cJSON_Delete(o);
}
END_TEST

Suite *jsonv_suite(void);
Suite *jsonv_suite(void)
{
	Suite *s = suite_create("jsonv");
	TCase *tc = tcase_create("validate");
	tcase_add_test(tc, getters);
	tcase_add_test(tc, unknown_fields);
	tcase_add_test(tc, uuid_needs_the_canonical_shape);
	tcase_add_test(tc, field_validators);
	suite_add_tcase(s, tc);
	return s;
}
