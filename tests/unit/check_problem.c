/* check_problem.c — the problem catalogue and problem+json documents: every type has a
 * kebab-case slug, a status and a title; the OpenAPI document lists exactly the catalogue;
 * the domain outcomes the SQL functions return are all in it. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api/db/embed.h"
#include "api/http/problem.h"

START_TEST(document_carries_type_title_status_and_detail)
{
	cJSON *p = problem_new(PROBLEM_CONFLICT, "already exists");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "type")->valuestring, "urn:wms:problem:conflict");
	ck_assert_str_eq(cJSON_GetObjectItem(p, "title")->valuestring, "Conflict");
	ck_assert_int_eq(cJSON_GetObjectItem(p, "status")->valueint, 409);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "detail")->valuestring, "already exists");
	ck_assert_ptr_null(cJSON_GetObjectItem(p, "errors"));
	cJSON_Delete(p);

	p = problem_new(PROBLEM_NOT_FOUND, NULL);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "type")->valuestring, "urn:wms:problem:not-found");
	ck_assert_int_eq(cJSON_GetObjectItem(p, "status")->valueint, 404);
	ck_assert_ptr_null(cJSON_GetObjectItem(p, "detail"));
	cJSON_Delete(p);
}
END_TEST

START_TEST(field_errors_are_listed_in_order)
{
	cJSON *p = problem_new(PROBLEM_VALIDATION, NULL);
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

START_TEST(catalogue_slugs_are_kebab_case_unique_and_found)
{
	for (int i = 0; i < PROBLEM_COUNT; i++) {
		const char *s = problem_slug((enum problem_type)i);
		ck_assert_msg(s[0] >= 'a' && s[0] <= 'z', "slug %s must start with a-z", s);
		for (const char *c = s; *c; c++)
			ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			                  (*c == '-' && c[1] && c[1] != '-'),
			              "slug %s is not kebab-case", s);
		int st = problem_status((enum problem_type)i);
		ck_assert_msg(st >= 400 && st <= 599 && strcmp(problem_reason(st), "Error") != 0,
		              "slug %s has status %d without a reason phrase", s, st);
		ck_assert(problem_title((enum problem_type)i)[0]);
		enum problem_type t;
		ck_assert(problem_find(s, &t));
		ck_assert_int_eq(t, i);
		for (int j = i + 1; j < PROBLEM_COUNT; j++)
			ck_assert_str_ne(s, problem_slug((enum problem_type)j));
	}
	enum problem_type t;
	ck_assert(!problem_find("not_found", &t));
	ck_assert(!problem_find(NULL, &t));
}
END_TEST

START_TEST(openapi_lists_exactly_the_catalogue)
{
	cJSON *doc = cJSON_ParseWithLength(embed_openapi.data, embed_openapi.len);
	ck_assert_ptr_nonnull(doc);
	const cJSON *types =
		cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "components"), "x-problem-types");
	ck_assert_msg(cJSON_IsArray(types), "api/openapi.json lacks components.x-problem-types");
	ck_assert_int_eq(cJSON_GetArraySize(types), PROBLEM_COUNT);
	const cJSON *e;
	cJSON_ArrayForEach(e, types)
	{
		const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(e, "type"));
		enum problem_type t;
		ck_assert_msg(type && strncmp(type, "urn:wms:problem:", 16) == 0 &&
		                  problem_find(type + 16, &t),
		              "api/openapi.json lists %s, which the catalogue lacks", type ? type : "?");
		ck_assert_int_eq(cJSON_GetObjectItem(e, "status")->valueint, problem_status(t));
		ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "title")), problem_title(t));
	}
	cJSON_Delete(doc);
}
END_TEST

/* Every literal assigned to an "outcome" in the SQL compiled into wmsd is 'ok' or a
 * catalogue slug. */
START_TEST(sql_outcomes_are_in_the_catalogue)
{
	static const char *const marks[] = {"outcome := '", NULL};
	int seen = 0;
	for (size_t f = 0; f < embed_nmigrations + embed_nfunctions; f++) {
		const struct embed_file *file = f < embed_nmigrations ? &embed_migrations[f]
		                                                      : &embed_functions[f - embed_nmigrations];
		const char *text = file->data;
		for (int m = 0; marks[m]; m++) {
			for (const char *at = strstr(text, marks[m]); at; at = strstr(at + 1, marks[m])) {
				const char *s = at + strlen(marks[m]);
				char slug[64];
				size_t n = strcspn(s, "'");
				ck_assert(n < sizeof slug);
				memcpy(slug, s, n);
				slug[n] = '\0';
				enum problem_type t;
				if (strcmp(slug, "ok") == 0) /* the success outcome */
					continue;
				ck_assert_msg(problem_find(slug, &t), "%s returns '%s', not in the catalogue",
				              file->name, slug);
				seen++;
			}
		}
	}
	ck_assert_msg(seen > 0, "no SQL outcome found: the scan looks for the wrong marks");
}
END_TEST

Suite *problem_suite(void);
Suite *problem_suite(void)
{
	Suite *s = suite_create("problem");
	TCase *tc = tcase_create("catalogue");
	tcase_add_test(tc, document_carries_type_title_status_and_detail);
	tcase_add_test(tc, field_errors_are_listed_in_order);
	tcase_add_test(tc, catalogue_slugs_are_kebab_case_unique_and_found);
	tcase_add_test(tc, openapi_lists_exactly_the_catalogue);
	tcase_add_test(tc, sql_outcomes_are_in_the_catalogue);
	suite_add_tcase(s, tc);
	return s;
}
