/* fuzz_label.c — libFuzzer target for wms/label: labels rendered from fuzzed fields never let the input become ZPL commands.
 *
 * Input: one flags byte, four weight bytes, then the fields separated by NUL
 * bytes in this order: from_name, to.name, to.lines[0..2], to.postal_code,
 * to.city, carrier, service, sort_code, order_ref, data_2d, tracking,
 * from_country, to.country (missing ones are NULL). The flags say which of the
 * fields that must be valid for a label to render at all (countries,
 * tracking, weight) are taken from the input rather than fixed, so that most
 * runs reach the renderer's text handling.
 *
 * Checks, on every label that renders: it fits WMS_LABEL_MAX; zpl_check()
 * (tests/fuzz/zpl_scan.h: ^XA … ^XZ once each, no '~', only the renderer's
 * commands, every ^FD closed by ^FS, well-formed hex escapes); the commands
 * are those of a label of harmless text with the same fields present; the
 * Code 128 data is the tracking number verbatim; rendering again gives the
 * same bytes; a buffer one byte short fails with nothing in it. A refused
 * label has a reason and an empty buffer. Plus no crash, leak or undefined
 * behaviour (built with ASan and UBSan).
 *
 * Built and run by `make fuzz` (FUZZ_SECONDS per target).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/zpl_scan.h"
#include "wms/label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELDS 15
#define INPUT_MAX 4096

static void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_label: invariant broken: %s\n", what);
		abort();
	}
}

/* Points the fields of l at the NUL-separated strings in text (text[n] is a
 * NUL), taking countries, tracking and weight from the input only when the
 * flags say so. */
static void fields_from(struct wms_label *l, char *text, size_t n, unsigned flags,
                        int64_t weight)
{
	const char *f[FIELDS] = {NULL};
	size_t k = 0;
	for (size_t start = 0; k < FIELDS && start <= n; k++) {
		f[k] = text + start;
		start += strlen(text + start) + 1;
	}
	*l = (struct wms_label){
		.from_name = f[0], .to = {.name = f[1], .lines = {f[2], f[3], f[4]},
		                          .postal_code = f[5], .city = f[6], .country = "GB"},
		.carrier = f[7], .service = f[8], .sort_code = f[9], .order_ref = f[10],
		.data_2d = (flags & 4) ? f[11] : NULL, .tracking = "RR473124829DE",
		.from_country = "DE", .weight_g = 1234,
	};
	if (flags & 1) {
		l->from_country = f[13];
		l->to.country = f[14];
	}
	if (flags & 2)
		l->tracking = f[12];
	if (flags & 8)
		l->weight_g = weight;
}

static int present(const char *s)
{
	return s && *s;
}

/* The same label with harmless text in every field that is present. */
static struct wms_label twin_of(const struct wms_label *l)
{
	struct wms_label t = *l;
	const char **text[] = {&t.from_name, &t.to.name, &t.to.lines[0], &t.to.lines[1],
	                       &t.to.lines[2], &t.to.postal_code, &t.to.city, &t.carrier,
	                       &t.service, &t.sort_code, &t.order_ref, &t.data_2d};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
		if (present(*text[i]))
			*text[i] = "x";
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[INPUT_MAX + 1];
	static char out[WMS_LABEL_MAX], again[WMS_LABEL_MAX], twin_out[WMS_LABEL_MAX];
	static struct zpl_cmd cmds[ZPL_MAX_CMDS], twin_cmds[ZPL_MAX_CMDS];
	char err[200], why[200];

	if (size < 5 || size - 5 > INPUT_MAX)
		return 0;
	unsigned flags = data[0];
	int64_t weight = (int32_t)((uint32_t)data[1] | (uint32_t)data[2] << 8 |
	                           (uint32_t)data[3] << 16 | (uint32_t)data[4] << 24);
	size_t n = size - 5;
	memcpy(text, data + 5, n);
	text[n] = '\0';

	struct wms_label l;
	fields_from(&l, text, n, flags, weight);
	size_t len = 0;
	err[0] = '\0';
	if (wms_label_render(&l, out, sizeof out, &len, err, sizeof err) < 0) {
		require(err[0] != '\0', "a refused label has a reason");
		require(out[0] == '\0', "a refused label leaves no text");
		return 0;
	}
	require(len < WMS_LABEL_MAX && strlen(out) == len, "the label fits WMS_LABEL_MAX");
	int nc = zpl_check(out, cmds, why, sizeof why);
	if (nc < 0) {
		fprintf(stderr, "fuzz_label: %s\n%s\n", why, out);
		require(0, "the label has the renderer's shape");
	}

	struct wms_label t = twin_of(&l);
	require(wms_label_render(&t, twin_out, sizeof twin_out, NULL, err, sizeof err) == 0,
	        "the harmless twin renders");
	int nt = zpl_check(twin_out, twin_cmds, why, sizeof why);
	require(nt > 0, "the twin has the renderer's shape");
	require(zpl_same_shape(cmds, nc, twin_cmds, nt), "input did not change the commands");

	for (int i = 0; i + 1 < nc; i++) {
		if (strcmp(cmds[i].name, "BC") == 0) {
			require(strcmp(cmds[i + 1].name, "FD") == 0 &&
			        cmds[i + 1].len == strlen(l.tracking) &&
			        memcmp(cmds[i + 1].arg, l.tracking, cmds[i + 1].len) == 0,
			        "the Code 128 data is the tracking number");
		}
	}

	size_t len2 = 0;
	require(wms_label_render(&l, again, sizeof again, &len2, err, sizeof err) == 0 &&
	        len2 == len && memcmp(out, again, len + 1) == 0, "same input, same bytes");
	again[0] = 'x';
	require(wms_label_render(&l, again, len, NULL, err, sizeof err) < 0 && again[0] == '\0',
	        "a buffer one byte short is refused");
	return 0;
}
