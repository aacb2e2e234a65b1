/* fuzz_router.c — libFuzzer target for api/http/router.c: any pattern and path
 * (split at the first NUL byte) match or not without a crash or over-read,
 * and a match yields parameters that are non-empty, bounded and free of '/'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	const char *pattern = buf;
	const char *path = buf + strlen(buf) + 1;
	if (path > buf + size)
		path = buf + size;
	struct router_params p;
	if (router_match(pattern, path, &p)) {
		if (p.n < 0 || p.n > ROUTER_MAX_PARAMS)
			abort();
		for (int i = 0; i < p.n; i++) {
			size_t n = strlen(p.p[i].value);
			if (n == 0 || n >= ROUTER_MAX_VALUE || strchr(p.p[i].value, '/'))
				abort();
		}
	}
	free(buf);
	return 0;
}
