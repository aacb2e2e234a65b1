/* check_problem.c — problem+json documents. */
#include <check.h>
#include <string.h>

#include "api/http/problem.h"

START_TEST(document)
{
	cJSON *p = problem_new(409, "conflict", NULL, "already exists");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "type")->valuestring, "urn:wms:problem:conflict");
	ck_assert_str_eq(cJSON_GetObjectItem(p, "title")->valuestring, "Conflict");
	ck_assert_int_eq(cJSON_GetObjectItem(p, "status")->valueint, 409);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "detail")->valuestring, "already exists");
	ck_assert_ptr_null(cJSON_GetObjectItem(p, "errors"));
	cJSON_Delete(p);

	p = problem_new(404, NULL, "Gone away", NULL);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "type")->valuestring, "about:blank");
	ck_assert_str_eq(cJSON_GetObjectItem(p, "title")->valuestring, "Gone away");
	ck_assert_ptr_null(cJSON_GetObjectItem(p, "detail"));
	cJSON_Delete(p);
}
END_TEST

START_TEST(field_errors)
{
	cJSON *p = problem_new(422, "validation", NULL, NULL);
	ck_assert_int_eq(problem_add_error(p, "gtin", "check_digit", "check digit is 3, expected 5"), 0);
	ck_assert_int_eq(problem_add_error(p, "name", "required", "name is required"), 0);
	cJSON *errors = cJSON_GetObjectItem(p, "errors");
	ck_assert_int_eq(cJSON_GetArraySize(errors), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 0), "field")->valuestring, "gtin");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 1), "code")->valuestring, "required");
	ck_assert_str_eq(cJSON_GetObjectItem(p, "title")->valuestring, "Unprocessable Content");
	cJSON_Delete(p);
	ck_assert_str_eq(problem_reason(413), "Content Too Large");
	ck_assert_str_eq(problem_reason(415), "Unsupported Media Type");
	ck_assert_str_eq(problem_reason(599), "Error");
}
END_TEST

Suite *problem_suite(void);
Suite *problem_suite(void)
{
	Suite *s = suite_create("problem");
	TCase *tc = tcase_create("build");
	tcase_add_test(tc, document);
	tcase_add_test(tc, field_errors);
	suite_add_tcase(s, tc);
	return s;
}
