/* state_list.c — the names of a set of states, joined (state_list.h). */
#include "wms/state_list.h"

#include <stdio.h>

int wms_state_list(const char *const *names, int n, unsigned mask, const char *open,
                   const char *sep, const char *close, char *buf, size_t buflen)
{
	size_t used = 0;
	if (!buf || !buflen)
		return -1;
	int w = snprintf(buf, buflen, "%s", open);
	if (w < 0 || (size_t)w >= buflen)
		goto full;
	used = (size_t)w;
	for (int i = 0, first = 1; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		w = snprintf(buf + used, buflen - used, "%s%s", first ? "" : sep, names[i]);
		if (w < 0 || (size_t)w >= buflen - used)
			goto full;
		used += (size_t)w;
		first = 0;
	}
	w = snprintf(buf + used, buflen - used, "%s", close);
	if (w >= 0 && (size_t)w < buflen - used)
		return 0;
full:
	buf[0] = '\0';
	return -1;
}
