/* check_label.c — unit tests for wms/label (4×6 inch ZPL II shipping labels): shape, escaping, cutting, the no-injection property. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/zpl_scan.h"
#include "wms/label.h"

/* A label that renders. */
static struct wms_label sample(void)
{
	struct wms_label l = {
		.from_name = "Choice FC Leipzig",
		.from_country = "DE",
		.to = {.name = "Erika Mustermann",
		       .lines = {"Heidestrasse 17", "Hinterhaus, 3. OG", NULL},
		       .postal_code = "51147",
		       .city = "Koeln",
		       .country = "DE"},
		.carrier = "DHL Paket",
		.service = "Paket National",
		.tracking = "RR473124829DE",
		.sort_code = "DE-KOE-04",
		.order_ref = "ORD-2025-000123",
		.weight_g = 1234,
		.data_2d = NULL,
	};
	return l;
}

/* Renders l into buf (WMS_LABEL_MAX), failing the test with the reason on error. */
static void render(const struct wms_label *l, char *buf)
{
	char err[160] = "";
	size_t len = 0;
	int rc = wms_label_render(l, buf, WMS_LABEL_MAX, &len, err, sizeof err);
	ck_assert_msg(rc == 0, "render failed: %s", err);
	ck_assert_int_eq(len, strlen(buf));
}

/* Renders l and returns the error text (the render must fail). */
static const char *render_error(const struct wms_label *l)
{
	static char err[160];
	char buf[WMS_LABEL_MAX];
	err[0] = '\0';
	ck_assert_int_eq(wms_label_render(l, buf, sizeof buf, NULL, err, sizeof err), -1);
	ck_assert_str_eq(buf, "");
	return err;
}

/* Checks the shape (zpl_scan.h) and returns the number of commands. */
static int checked(const char *zpl, struct zpl_cmd *cmds)
{
	char why[120] = "";
	int n = zpl_check(zpl, cmds, why, sizeof why);
	ck_assert_msg(n > 0, "bad label: %s\n%s", why, zpl);
	return n;
}

/* The decoded field data of the field whose ^FO argument is origin ("40,178"),
 * or NULL when there is none. */
static const char *field_at(const char *zpl, const char *origin)
{
	static struct zpl_cmd cmds[ZPL_MAX_CMDS];
	static char data[WMS_LABEL_MAX];
	int n = checked(zpl, cmds);
	for (int i = 0; i < n; i++) {
		if (strcmp(cmds[i].name, "FO") != 0 || cmds[i].len != strlen(origin) ||
		    memcmp(cmds[i].arg, origin, cmds[i].len) != 0)
			continue;
		for (int k = i + 1; k < n && strcmp(cmds[k].name, "FS") != 0; k++) {
			if (strcmp(cmds[k].name, "FD") == 0) {
				zpl_unhex(cmds[k].arg, cmds[k].len, data, sizeof data);
				return data;
			}
		}
	}
	return NULL;
}

/* Whether a and b have the same layout (zpl_same_shape). */
static bool same_shape(const char *a, const char *b)
{
	static struct zpl_cmd ca[ZPL_MAX_CMDS], cb[ZPL_MAX_CMDS];
	int na = checked(a, ca), nb = checked(b, cb);
	return zpl_same_shape(ca, na, cb, nb);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* A string of n copies of unit (caller frees). */
static char *repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * n + 1);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

START_TEST(label_is_one_format_from_xa_to_xz_in_utf8_mode)
{
	char buf[WMS_LABEL_MAX];
	struct zpl_cmd cmds[ZPL_MAX_CMDS];
	struct wms_label l = sample();
	render(&l, buf);
	ck_assert(strncmp(buf, "^XA\n^CI28\n^PW812\n^LL1218\n", 25) == 0);
	ck_assert_int_eq(buf[strlen(buf) - 3], '^');
	ck_assert_str_eq(buf + strlen(buf) - 3, "^XZ");
	ck_assert_int_eq(count(buf, "^XA"), 1);
	ck_assert_int_eq(count(buf, "^XZ"), 1);
	ck_assert_int_eq(count(buf, "~"), 0);
	checked(buf, cmds);
}
END_TEST

START_TEST(tracking_number_is_the_code128_field_data_verbatim)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	render(&l, buf);
	ck_assert_int_eq(count(buf, "^BC"), 1);
	/* the whole field, no ^FH: what is scanned is what was given */
	ck_assert_ptr_nonnull(
		strstr(buf, "\n^FO40,790^BY3,3,180^BCN,180,Y,N,N^FDRR473124829DE^FS\n"));
	ck_assert_str_eq(field_at(buf, "40,790"), "RR473124829DE");
}
END_TEST

START_TEST(long_tracking_numbers_get_narrower_bars)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	/* 19 characters: (11·19 + 35)·3 = 732 dots, the inner width */
	l.tracking = "ABCDEFGHIJ123456789";
	render(&l, buf);
	ck_assert_ptr_nonnull(strstr(buf, "^BY3,3,180^BCN,180,Y,N,N^FDABCDEFGHIJ123456789^FS"));
	l.tracking = "ABCDEFGHIJ1234567890";
	render(&l, buf);
	ck_assert_ptr_nonnull(strstr(buf, "^BY2,3,180^BCN,180,Y,N,N^FDABCDEFGHIJ1234567890^FS"));
	l.tracking = "abcdefghijklmnopqrstuvwxyz0123"; /* 30: (330 + 35)·2 = 730 */
	render(&l, buf);
	ck_assert_ptr_nonnull(strstr(buf, "^BY2,3,180^BCN,180,Y,N,N^FDabcdefghijklmnopqrstuvwxyz0123^FS"));
}
END_TEST

START_TEST(every_field_data_is_closed_by_fs)
{
	char buf[WMS_LABEL_MAX];
	struct zpl_cmd cmds[ZPL_MAX_CMDS];
	struct wms_label l = sample();
	l.data_2d = "https://t.example/RR473124829DE";
	render(&l, buf);
	int n = checked(buf, cmds);
	int fd = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(cmds[i].name, "FD") == 0) {
			fd++;
			ck_assert_str_eq(cmds[i + 1].name, "FS");
		}
	}
	ck_assert_int_eq(fd, (int)count(buf, "^FD"));
	ck_assert_int_eq(count(buf, "^FD"), 17);
	ck_assert_int_eq(count(buf, "^FS"), 20); /* and the three boxes */
}
END_TEST

START_TEST(the_label_shows_every_part)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	render(&l, buf);
	ck_assert_str_eq(field_at(buf, "40,30"), "FROM");
	ck_assert_str_eq(field_at(buf, "40,56"), "Choice FC Leipzig");
	ck_assert_str_eq(field_at(buf, "40,92"), "DE");
	ck_assert_str_eq(field_at(buf, "40,150"), "SHIP TO");
	ck_assert_str_eq(field_at(buf, "40,178"), "Erika Mustermann");
	ck_assert_str_eq(field_at(buf, "40,232"), "Heidestrasse 17");
	ck_assert_str_eq(field_at(buf, "40,272"), "Hinterhaus, 3. OG");
	ck_assert_str_eq(field_at(buf, "40,318"), "51147 Koeln");
	ck_assert_str_eq(field_at(buf, "40,364"), "DE");
	ck_assert_str_eq(field_at(buf, "40,485"), "DHL Paket");
	ck_assert_str_eq(field_at(buf, "40,527"), "Paket National");
	ck_assert_str_eq(field_at(buf, "64,612"), "DE-KOE-04");
	ck_assert_ptr_nonnull(strstr(buf, "^FO64,612^A0N,120,120^FH^FDDE-KOE-04^FS"));
	ck_assert_str_eq(field_at(buf, "40,1040"), "WEIGHT 1.2 kg");
	ck_assert_str_eq(field_at(buf, "40,1090"), "ORDER");
	ck_assert_str_eq(field_at(buf, "40,1116"), "ORD-2025-000123");
	ck_assert_ptr_null(strstr(buf, "^BX"));
}
END_TEST

START_TEST(missing_address_lines_close_up)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	l.to.lines[0] = NULL;
	l.to.lines[1] = "";
	l.to.lines[2] = "Postfach 12";
	l.to.postal_code = NULL;
	render(&l, buf);
	ck_assert_str_eq(field_at(buf, "40,232"), "Postfach 12");
	ck_assert_str_eq(field_at(buf, "40,278"), "Koeln"); /* no postal code, no leading blank */
	ck_assert_str_eq(field_at(buf, "40,324"), "DE");
	l.to.lines[2] = NULL;
	l.to.postal_code = "";
	render(&l, buf);
	ck_assert_str_eq(field_at(buf, "40,238"), "Koeln");
	ck_assert_str_eq(field_at(buf, "40,284"), "DE");
}
END_TEST

START_TEST(every_field_origin_is_on_the_label)
{
	char buf[WMS_LABEL_MAX];
	struct zpl_cmd cmds[ZPL_MAX_CMDS];
	struct wms_label l = sample();
	l.to.lines[2] = "Third line";
	l.data_2d = "x";
	render(&l, buf);
	int n = checked(buf, cmds);
	for (int i = 0; i < n; i++) {
		if (strcmp(cmds[i].name, "FO") != 0)
			continue;
		int x, y;
		ck_assert_int_eq(sscanf(cmds[i].arg, "%d,%d", &x, &y), 2);
		ck_assert(x >= 40 && x < 812 - 40 && y >= 0 && y < 1218 - 20);
	}
	/* the Data Matrix (at most 40 modules of 4 dots) stays clear of the edge */
	ck_assert_ptr_nonnull(strstr(buf, "^FO612,1040^BXN,4,200,,,,_^FDx^FS"));
}
END_TEST

START_TEST(hostile_text_cannot_inject_commands)
{
	static const char *hostile[] = {
		"^XZ^XA^FO0,0^GB812,1218,812^FS^XZ", /* end the label, print a black one */
		"~JR",                              /* control command: reset */
		"~JA^XZ",                           /* cancel all */
		"Name^FS^FO10,10^A0N,99,99^FDpwned",
		"^CC!!XZ",                          /* change the caret */
		"~CT+",                             /* change the tilde */
		"_5E_7E",                           /* looks like an escape already */
		"line1\nline2\r\n^XZ\t\x1b[2J\x7f",
		"back\\&slash\\\\",
		"\xc2\x85next line\xe2\x80\xa8",    /* NEL (C1) and LINE SEPARATOR */
		"\xff\xfe\xc0\xaf^\xed\xa0\x80~",   /* invalid UTF-8 around ^ and ~ */
		"^",
		"~",
	};
	char twin_buf[WMS_LABEL_MAX], buf[WMS_LABEL_MAX];
	char sort[WMS_LABEL_SORT_CODE_MAX + 1], ref[WMS_LABEL_ORDER_REF_MAX + 1];
	/* the same fields present, harmless text */
	struct wms_label twin = sample();
	twin.to.lines[2] = "z";
	twin.data_2d = "x";
	render(&twin, twin_buf);
	for (size_t h = 0; h < sizeof hostile / sizeof hostile[0]; h++) {
		struct wms_label l = twin;
		l.from_name = l.to.name = l.to.lines[0] = l.to.lines[1] = l.to.lines[2] = hostile[h];
		l.to.postal_code = l.to.city = l.carrier = l.service = hostile[h];
		/* identifiers are not cut but refused when long: give them what fits */
		snprintf(sort, sizeof sort, "%s", hostile[h]);
		snprintf(ref, sizeof ref, "%s", hostile[h]);
		l.sort_code = sort;
		l.order_ref = ref;
		render(&l, buf);
		ck_assert_int_eq(count(buf, "^XA"), 1);
		ck_assert_int_eq(count(buf, "^XZ"), 1);
		ck_assert_int_eq(count(buf, "~"), 0);
		ck_assert_msg(same_shape(buf, twin_buf), "input %zu changed the commands:\n%s", h, buf);
		/* every ^ in the output starts a command of the renderer's own */
		for (const char *p = strchr(buf, '^'); p; p = strchr(p + 1, '^')) {
			char nm[3] = {p[1], p[2], '\0'};
			ck_assert_msg(zpl_known(nm), "^%s from input %zu", nm, h);
		}
	}
}
END_TEST

START_TEST(hostile_text_is_printed_as_written)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	l.to.name = "A^XZ~JR_5E\\&";
	l.to.lines[0] = "tab\there\nnewline\r";
	l.to.lines[1] = "bad \xff byte, cut \xe2\x82 short";
	l.to.lines[2] = "C1\xc2\x85NEL, DEL\x7f, overlong \xc0\xaf, surrogate \xed\xa0\x80";
	render(&l, buf);
	ck_assert_ptr_nonnull(strstr(buf, "^FDA_5EXZ_7EJR_5F5E_5C&^FS"));
	ck_assert_str_eq(field_at(buf, "40,178"), "A^XZ~JR_5E\\&");
	ck_assert_str_eq(field_at(buf, "40,232"), "tab here newline ");
	ck_assert_str_eq(field_at(buf, "40,272"), "bad ? byte, cut ?? short");
	ck_assert_str_eq(field_at(buf, "40,312"), "C1 NEL, DEL , overlong ??, surrogate ???");
}
END_TEST

START_TEST(utf8_text_passes_through_whole)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	l.to.name = "Jürgen Müller-Lüdenscheidt";
	l.to.lines[0] = "東京都千代田区千代田1-1";
	l.to.lines[1] = "📦 Paketbox 7";
	l.to.city = "Zürich";
	render(&l, buf);
	ck_assert_ptr_nonnull(strstr(buf, "^FDJürgen Müller-Lüdenscheidt^FS"));
	ck_assert_ptr_nonnull(strstr(buf, "^FD東京都千代田区千代田1-1^FS"));
	ck_assert_ptr_nonnull(strstr(buf, "^FD📦 Paketbox 7^FS"));
	ck_assert_ptr_nonnull(strstr(buf, "^FD51147 Zürich^FS"));
}
END_TEST

START_TEST(long_text_is_cut_to_its_line_in_whole_characters)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	char *a100 = repeat("a", 100), *kanji = repeat("東", 100), *huge = repeat("^~", 100000);
	char *want;
	l.from_name = a100;
	l.to.name = kanji;
	l.to.lines[0] = a100;
	l.to.lines[1] = huge;
	l.to.postal_code = a100;
	l.to.city = kanji;
	l.carrier = a100;
	l.service = a100;
	render(&l, buf);
	ck_assert_str_eq(field_at(buf, "40,56"), (want = repeat("a", 40)));
	free(want);
	ck_assert_str_eq(field_at(buf, "40,178"), (want = repeat("東", 30)));
	free(want);
	ck_assert_str_eq(field_at(buf, "40,232"), (want = repeat("a", 40)));
	free(want);
	ck_assert_str_eq(field_at(buf, "40,272"), (want = repeat("^~", 20)));
	free(want);
	char *postal = repeat("a", 12), *city = repeat("東", 28);
	char line[256];
	snprintf(line, sizeof line, "%s %s", postal, city);
	ck_assert_str_eq(field_at(buf, "40,318"), line);
	free(postal);
	free(city);
	ck_assert_str_eq(field_at(buf, "40,485"), (want = repeat("a", 30)));
	free(want);
	ck_assert_str_eq(field_at(buf, "40,527"), (want = repeat("a", 40)));
	free(want);
	free(a100);
	free(kanji);
	free(huge);
}
END_TEST

START_TEST(the_largest_label_fits_wms_label_max)
{
	/* every field at its limit in the longest encoding: 4-byte UTF-8 */
	char buf[WMS_LABEL_MAX];
	struct zpl_cmd cmds[ZPL_MAX_CMDS];
	char *emoji = repeat("\xf0\x9f\x93\xa6", 100);
	char *sort = repeat("\xf0\x9f\x93\xa6", WMS_LABEL_SORT_CODE_MAX);
	char *ref = repeat("\xf0\x9f\x93\xa6", WMS_LABEL_ORDER_REF_MAX);
	char *tracking = repeat("W", WMS_LABEL_TRACKING_MAX);
	char *dm = repeat("\\", WMS_LABEL_DATA_2D_MAX);
	struct wms_label l = {
		.from_name = emoji, .from_country = "DE",
		.to = {.name = emoji, .lines = {emoji, emoji, emoji}, .postal_code = emoji,
		       .city = emoji, .country = "GB"},
		.carrier = emoji, .service = emoji, .tracking = tracking, .sort_code = sort,
		.order_ref = ref, .weight_g = WMS_LABEL_WEIGHT_MAX_G, .data_2d = dm,
	};
	size_t len = 0;
	char err[160];
	ck_assert_int_eq(wms_label_render(&l, buf, sizeof buf, &len, err, sizeof err), 0);
	ck_assert_uint_lt(len, WMS_LABEL_MAX);
	ck_assert_uint_gt(len, 2000); /* really the large case */
	checked(buf, cmds);
	ck_assert_str_eq(field_at(buf, "40,1040"), "WEIGHT 10000.0 kg");
	free(emoji);
	free(sort);
	free(ref);
	free(tracking);
	free(dm);
}
END_TEST

START_TEST(identifiers_are_rejected_not_cut)
{
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	l.sort_code = "ABCDEFGHIJ";
	l.order_ref = "123456789012345678901234567890123456";
	render(&l, buf);
	ck_assert_str_eq(field_at(buf, "64,612"), "ABCDEFGHIJ");
	l.sort_code = "東京東京東京東京東京"; /* ten characters, thirty bytes */
	render(&l, buf);
	l.sort_code = "ABCDEFGHIJK";
	ck_assert_str_eq(render_error(&l), "sort_code must be 1 to 10 characters");
	l = sample();
	l.order_ref = "1234567890123456789012345678901234567";
	ck_assert_str_eq(render_error(&l), "order_ref must be 1 to 36 characters");
}
END_TEST

START_TEST(tracking_must_be_ascii_letters_and_digits)
{
	static const char *bad[] = {"RR 473124829DE", "RR>473124829DE", "RR473124829DE\n", "RR-47",
	                            "RR^FS", "Ü1", "abcdefghijklmnopqrstuvwxyz01234"};
	struct wms_label l = sample();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		l.tracking = bad[i];
		ck_assert_str_eq(render_error(&l), "tracking must be 1 to 30 ASCII letters and digits");
	}
	l.tracking = "";
	ck_assert_str_eq(render_error(&l), "tracking is required");
}
END_TEST

START_TEST(weight_is_kg_with_one_decimal_rounded_half_up)
{
	static const struct {
		int64_t grams;
		const char *shown;
	} cases[] = {
		{1, "WEIGHT 0.1 kg"},    {49, "WEIGHT 0.1 kg"},     {149, "WEIGHT 0.1 kg"},
		{150, "WEIGHT 0.2 kg"},  {1249, "WEIGHT 1.2 kg"},   {1250, "WEIGHT 1.3 kg"},
		{1000, "WEIGHT 1.0 kg"}, {31950, "WEIGHT 32.0 kg"}, {9999999, "WEIGHT 10000.0 kg"},
	};
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		l.weight_g = cases[i].grams;
		render(&l, buf);
		ck_assert_str_eq(field_at(buf, "40,1040"), cases[i].shown);
	}
	l.weight_g = 0;
	ck_assert_str_eq(render_error(&l), "weight_g must be 1 to 9999999, got 0");
	l.weight_g = -1;
	ck_assert_str_eq(render_error(&l), "weight_g must be 1 to 9999999, got -1");
	l.weight_g = 10000000;
	ck_assert_str_eq(render_error(&l), "weight_g must be 1 to 9999999, got 10000000");
}
END_TEST

START_TEST(missing_required_fields_are_named)
{
	static const char *names[] = {"from_name", "from_country", "to.name", "to.city",
	                              "to.country", "carrier", "service", "tracking",
	                              "sort_code", "order_ref"};
	char want[64];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (int empty = 0; empty < 2; empty++) {
			struct wms_label l = sample();
			const char **f[] = {&l.from_name, &l.from_country, &l.to.name, &l.to.city,
			                    &l.to.country, &l.carrier, &l.service, &l.tracking,
			                    &l.sort_code, &l.order_ref};
			*f[i] = empty ? "" : NULL;
			snprintf(want, sizeof want, "%s is required", names[i]);
			ck_assert_str_eq(render_error(&l), want);
		}
	}
}
END_TEST

START_TEST(countries_must_be_assigned_iso_codes)
{
	struct wms_label l = sample();
	l.from_country = "UK";
	ck_assert_str_eq(render_error(&l),
	                 "from_country: UK is not an assigned ISO 3166-1 alpha-2 country code");
	l = sample();
	l.to.country = "de";
	ck_assert_str_eq(render_error(&l), "to.country: country code must be two upper-case letters");
	l.to.country = "^XZ";
	ck_assert_str_eq(render_error(&l), "to.country: country code must be two upper-case letters");
}
END_TEST

START_TEST(data_matrix_is_optional_and_restricted)
{
	static const char *bad[] = {"a^b", "a~b", "a_b", "line\nbreak", "Zürich", "\x7f"};
	char buf[WMS_LABEL_MAX];
	struct wms_label l = sample();
	l.data_2d = "";
	render(&l, buf);
	ck_assert_ptr_null(strstr(buf, "^BX"));
	l.data_2d = "https://t.example/RR473124829DE?a=1&b=\\2";
	render(&l, buf);
	ck_assert_ptr_nonnull(
		strstr(buf, "^FO612,1040^BXN,4,200,,,,_^FDhttps://t.example/RR473124829DE?a=1&b=\\2^FS\n^XZ"));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		l.data_2d = bad[i];
		ck_assert_str_eq(render_error(&l),
		                 "data_2d must be 1 to 100 printable ASCII characters other than ^ ~ _");
	}
	char *big = repeat("x", WMS_LABEL_DATA_2D_MAX + 1);
	l.data_2d = big;
	ck_assert_str_eq(render_error(&l),
	                 "data_2d must be 1 to 100 printable ASCII characters other than ^ ~ _");
	big[WMS_LABEL_DATA_2D_MAX] = '\0';
	render(&l, buf);
	free(big);
}
END_TEST

START_TEST(same_input_gives_the_same_bytes)
{
	char a[WMS_LABEL_MAX], b[WMS_LABEL_MAX];
	memset(a, 'A', sizeof a);
	memset(b, 'B', sizeof b);
	struct wms_label l = sample();
	l.data_2d = "x";
	render(&l, a);
	render(&l, b);
	ck_assert_str_eq(a, b);
}
END_TEST

START_TEST(a_short_buffer_is_an_error_with_the_size_needed)
{
	char buf[WMS_LABEL_MAX], small[WMS_LABEL_MAX], err[160], want[160];
	size_t len = 0, len2 = 7;
	struct wms_label l = sample();
	render(&l, buf);
	len = strlen(buf);
	memset(small, 'x', sizeof small);
	ck_assert_int_eq(wms_label_render(&l, small, len, &len2, err, sizeof err), -1);
	snprintf(want, sizeof want, "the label needs %zu bytes, the buffer holds %zu", len + 1, len);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(small, "");
	ck_assert_uint_eq(len2, 7); /* untouched */
	ck_assert_int_eq(wms_label_render(&l, small, len + 1, &len2, err, sizeof err), 0);
	ck_assert_str_eq(small, buf);
	ck_assert_uint_eq(len2, len);
	ck_assert_int_eq(wms_label_render(&l, NULL, 0, NULL, NULL, 0), -1);
}
END_TEST

Suite *label_suite(void);
Suite *label_suite(void)
{
	Suite *s = suite_create("label");
	TCase *shape = tcase_create("shape");
	tcase_add_test(shape, label_is_one_format_from_xa_to_xz_in_utf8_mode);
	tcase_add_test(shape, tracking_number_is_the_code128_field_data_verbatim);
	tcase_add_test(shape, long_tracking_numbers_get_narrower_bars);
	tcase_add_test(shape, every_field_data_is_closed_by_fs);
	tcase_add_test(shape, the_label_shows_every_part);
	tcase_add_test(shape, missing_address_lines_close_up);
	tcase_add_test(shape, every_field_origin_is_on_the_label);
	tcase_add_test(shape, same_input_gives_the_same_bytes);
	suite_add_tcase(s, shape);
	TCase *text = tcase_create("text");
	tcase_add_test(text, hostile_text_cannot_inject_commands);
	tcase_add_test(text, hostile_text_is_printed_as_written);
	tcase_add_test(text, utf8_text_passes_through_whole);
	tcase_add_test(text, long_text_is_cut_to_its_line_in_whole_characters);
	tcase_add_test(text, the_largest_label_fits_wms_label_max);
	suite_add_tcase(s, text);
	TCase *input = tcase_create("input");
	tcase_add_test(input, identifiers_are_rejected_not_cut);
	tcase_add_test(input, tracking_must_be_ascii_letters_and_digits);
	tcase_add_test(input, weight_is_kg_with_one_decimal_rounded_half_up);
	tcase_add_test(input, missing_required_fields_are_named);
	tcase_add_test(input, countries_must_be_assigned_iso_codes);
	tcase_add_test(input, data_matrix_is_optional_and_restricted);
	tcase_add_test(input, a_short_buffer_is_an_error_with_the_size_needed);
	suite_add_tcase(s, input);
	return s;
}
