/* fuzz_gs1.c — libFuzzer target for wms/gs1: no crash or over-read on any input, and parse → encode → parse round-trips.
 *
 * Built and run by `make fuzz` (FUZZ_SECONDS per target); by hand:
 *   clang -std=c11 -D_GNU_SOURCE -I. -g -O1 -fsanitize=fuzzer,address,undefined \
 *         tests/fuzz/fuzz_gs1.c wms/gs1.c wms/checkdigit.c -o build/fuzz_gs1
 *   build/fuzz_gs1 -max_len=128 -max_total_time=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wms/gs1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_gs1: invariant broken: %s\n", what);
		abort();
	}
}

/* Re-encodes an element-string result as "]C1" + AIs, GS after variable fields. */
static size_t encode(const struct gs1_result *r, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "]C1");
	if (r->present & GS1_HAS_SSCC)
		n += snprintf(buf + n, cap - (size_t)n, "00%s", r->sscc);
	if (r->present & GS1_HAS_GTIN)
		n += snprintf(buf + n, cap - (size_t)n, "01%s", r->gtin);
	if (r->present & GS1_HAS_CONTENT)
		n += snprintf(buf + n, cap - (size_t)n, "02%s", r->content_gtin);
	if (r->present & GS1_HAS_EXPIRY)
		n += snprintf(buf + n, cap - (size_t)n, "17%02d%02d%02d", r->expiry.year % 100,
		              r->expiry.month, r->expiry.day_unspecified ? 0 : r->expiry.day);
	if (r->present & GS1_HAS_LOT)
		n += snprintf(buf + n, cap - (size_t)n, "10%s\x1d", r->lot);
	if (r->present & GS1_HAS_SERIAL)
		n += snprintf(buf + n, cap - (size_t)n, "21%s\x1d", r->serial);
	if (r->present & GS1_HAS_COUNT)
		n += snprintf(buf + n, cap - (size_t)n, "37%u", (unsigned)r->count);
	return (size_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int years[] = {1900, 2025, 2050, 9899};
	struct gs1_result r, again;
	char err[160];
	char buf[256];

	for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
		err[0] = '\0';
		if (gs1_parse((const char *)data, size, years[y], &r, err, sizeof err) < 0) {
			require(err[0] != '\0', "a failure has a reason");
			continue;
		}
		require(r.present != 0, "success reads something");
		require(strlen(r.aim) <= 3 && strlen(r.lot) <= 20 && strlen(r.serial) <= 20,
		        "fields are bounded");
		if (r.present & GS1_HAS_GTIN)
			require(strlen(r.gtin) == 14, "GTIN-14");
		if (r.present & GS1_HAS_EXPIRY)
			require(r.expiry.month >= 1 && r.expiry.month <= 12 && r.expiry.day >= 1 &&
			        r.expiry.day <= gs1_days_in_month(r.expiry.year, r.expiry.month) &&
			        r.expiry.year - years[y] >= -49 && r.expiry.year - years[y] <= 50,
			        "expiry is a date near the current year");
		if (r.kind != GS1_KIND_ELEMENT_STRING)
			continue;
		size_t n = encode(&r, buf, sizeof buf);
		require(gs1_parse(buf, n, years[y], &again, err, sizeof err) == 0, "re-encoded parses");
		again.aim[0] = r.aim[0] = '\0';
		require(memcmp(&again.present, &r.present, sizeof r.present) == 0 &&
		        strcmp(again.sscc, r.sscc) == 0 && strcmp(again.gtin, r.gtin) == 0 &&
		        strcmp(again.content_gtin, r.content_gtin) == 0 &&
		        strcmp(again.lot, r.lot) == 0 && strcmp(again.serial, r.serial) == 0 &&
		        again.count == r.count && again.expiry.year == r.expiry.year &&
		        again.expiry.month == r.expiry.month && again.expiry.day == r.expiry.day,
		        "round trip");
	}
	return 0;
}
