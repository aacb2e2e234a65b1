/* check_scanner.c — the handheld scanner client: GET /v1/me (who a key is, what it is scoped
 * to), the client's files under /scanner/ (strict Content-Security-Policy, ETag revalidation,
 * the manifest's media type, 404 for a file it lacks, /scanner redirected), and the client used
 * in a real headless Chromium (tests/scanner/scanner_browser.py: receiving with every question
 * answered, putaway, the server killed in the middle of 20 scans, picking, packing, shipping),
 * run from here so that `make check` runs it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/db/embed.h"
#include "tests/harness/th.h"
#include "tests/harness/th_receiving.h"

START_TEST(me_names_a_staff_keys_warehouse)
{
	struct rcv_world w;
	rcv_world_new(&w, 1000);
	struct th_resp *r = th_req("GET", "/v1/me", w.staff, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "role"), "staff");
	ck_assert_str_eq(th_str(r->json, "warehouse.code"), w.wh);
	ck_assert_ptr_null(th_str(r->json, "seller.code"));
	ck_assert_int_eq(strlen(th_str(r->json, "key_id")), 36);
	th_resp_free(r);
	r = th_req("GET", "/v1/me", w.seller_key, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(th_str(r->json, "role"), "seller");
	ck_assert_str_eq(th_str(r->json, "seller.code"), w.seller);
	ck_assert(cJSON_IsNull(th_at(r->json, "warehouse")));
	th_resp_free(r);
}
END_TEST

START_TEST(me_without_a_valid_key_is_401)
{
	ck_assert(th_problem(th_req("GET", "/v1/me", NULL, NULL, NULL, NULL), 401, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/v1/me", "wms_nosuchkey0000000000000000000000000000000", NULL,
	                            NULL, NULL),
	                     401, NULL, NULL));
}
END_TEST

START_TEST(scanner_page_has_a_strict_policy_and_revalidates)
{
	struct th_resp *r = th_req("GET", "/scanner/", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(r->ctype, "text/html; charset=utf-8");
	const char *csp = th_header(r, "Content-Security-Policy");
	ck_assert_ptr_nonnull(csp);
	ck_assert_ptr_nonnull(strstr(csp, "default-src 'none'"));
	ck_assert_ptr_nonnull(strstr(csp, "script-src 'self'"));
	ck_assert_ptr_null(strstr(csp, "unsafe"));
	ck_assert_str_eq(th_header(r, "Cache-Control"), "no-cache");
	ck_assert_str_eq(th_header(r, "X-Content-Type-Options"), "nosniff");
	ck_assert_ptr_nonnull(strstr(r->body, "<script type=\"module\" src=\"app.js\">"));
	ck_assert_ptr_null(strstr(r->body, "<script>"));
	char tag[64], inm[96];
	snprintf(tag, sizeof tag, "%s", th_header(r, "ETag"));
	th_resp_free(r);
	snprintf(inm, sizeof inm, "If-None-Match: %s", tag);
	r = th_req("GET", "/scanner/", NULL, NULL, NULL, inm);
	ck_assert_int_eq(r->status, 304);
	ck_assert_int_eq(r->len, 0);
	th_resp_free(r);
	r = th_req("GET", "/scanner/", NULL, NULL, NULL, "If-None-Match: \"0123\"");
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
}
END_TEST

START_TEST(scanner_files_have_their_media_types)
{
	static const struct {
		const char *path, *ctype;
	} files[] = {
		{"/scanner/app.js", "text/javascript; charset=utf-8"},
		{"/scanner/queue.js", "text/javascript; charset=utf-8"},
		{"/scanner/app.css", "text/css; charset=utf-8"},
		{"/scanner/manifest.webmanifest", "application/manifest+json"},
		{"/scanner/icon.svg", "image/svg+xml"},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct th_resp *r = th_req("GET", files[i].path, NULL, NULL, NULL, NULL);
		ck_assert_msg(r->status == 200, "%s: %ld", files[i].path, r->status);
		ck_assert_str_eq(r->ctype, files[i].ctype);
		ck_assert_ptr_nonnull(th_header(r, "Content-Security-Policy"));
		th_resp_free(r);
	}
	struct th_resp *r = th_req("GET", "/scanner/manifest.webmanifest", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(th_str(r->json, "start_url"), "/scanner/");
	th_resp_free(r);
}
END_TEST

START_TEST(scanner_unknown_file_is_404_and_root_redirects)
{
	ck_assert(th_problem(th_req("GET", "/scanner/nope.js", NULL, NULL, NULL, NULL), 404, NULL, NULL));
	ck_assert(th_problem(th_req("GET", "/scanner/..%2fapp.js", NULL, NULL, NULL, NULL), 404, NULL, NULL));
	ck_assert(th_problem(th_req("POST", "/scanner/app.js", NULL, "{}", NULL, NULL), 405, NULL, NULL));
	struct th_resp *r = th_req("GET", "/scanner", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 308);
	ck_assert_str_eq(th_header(r, "Location"), "/scanner/");
	th_resp_free(r);
}
END_TEST

/* The service worker keeps every file of the client (sw.js names them), so that the page loads
 * again while the server is down: a file added to api/scanner/web and not to its list fails. */
START_TEST(service_worker_keeps_every_file)
{
	const struct embed_file *sw = NULL;
	for (size_t i = 0; i < embed_nweb; i++)
		if (strcmp(embed_web[i].name, "sw.js") == 0)
			sw = &embed_web[i];
	ck_assert_ptr_nonnull(sw);
	ck_assert_int_ge(embed_nweb, 20);
	for (size_t i = 0; i < embed_nweb; i++) {
		char quoted[128];
		if (strcmp(embed_web[i].name, "sw.js") == 0 || strcmp(embed_web[i].name, "index.html") == 0)
			continue;
		snprintf(quoted, sizeof quoted, "'%s'", embed_web[i].name);
		ck_assert_msg(strstr(sw->data, quoted), "api/scanner/web/sw.js does not keep %s", embed_web[i].name);
	}
}
END_TEST

/* The browser test: its own database in the cluster, its own wmsd (which it kills and starts
 * again), Debian's chromium through chromium-driver. Its output is the test's log. */
START_TEST(scanner_in_headless_chromium)
{
	pid_t pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		execl("/usr/bin/python3", "python3", "tests/scanner/scanner_browser.py", (char *)NULL);
		perror("tests/scanner/scanner_browser.py");
		_exit(127);
	}
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "the scanner's browser test failed (status %d): see its output above", status);
}
END_TEST

Suite *scanner_suite(void);
Suite *scanner_suite(void)
{
	Suite *s = suite_create("scanner");
	TCase *tc = tcase_create("served");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_add_test(tc, me_names_a_staff_keys_warehouse);
	tcase_add_test(tc, me_without_a_valid_key_is_401);
	tcase_add_test(tc, scanner_page_has_a_strict_policy_and_revalidates);
	tcase_add_test(tc, scanner_files_have_their_media_types);
	tcase_add_test(tc, scanner_unknown_file_is_404_and_root_redirects);
	tcase_add_test(tc, service_worker_keeps_every_file);
	suite_add_tcase(s, tc);
	TCase *browser = tcase_create("browser");
	tcase_set_timeout(browser, 900);
	tcase_add_test(browser, scanner_in_headless_chromium);
	suite_add_tcase(s, browser);
	return s;
}
