/* router.c — segment-by-segment matching of paths against route patterns. */
#include "api/http/router.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes [s, s+len) into out (size ROUTER_MAX_VALUE). Returns 0, or
 * -1 when it is empty, too long, malformed, or decodes to '/' or NUL. */
static int decode_segment(const char *s, size_t len, char *out)
{
	size_t o = 0;
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
			if (c == '/' || c == '\0')
				return -1;
		}
		if (o + 1 >= ROUTER_MAX_VALUE)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int router_match(const char *pattern, const char *path, struct router_params *out)
{
	const char *p = pattern, *s = path;
	out->n = 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		size_t plen = strcspn(p, "/");
		size_t slen = strcspn(s, "/");
		if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
			if (out->n == ROUTER_MAX_PARAMS || plen - 2 >= sizeof out->p[0].name)
				return 0;
			memcpy(out->p[out->n].name, p + 1, plen - 2);
			out->p[out->n].name[plen - 2] = '\0';
			if (decode_segment(s, slen, out->p[out->n].value) != 0)
				return 0;
			out->n++;
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			return 0;
		}
		p += plen, s += slen;
	}
	return *p == '\0' && *s == '\0';
}

int router_find(const struct route *routes, size_t n, const char *method, const char *path,
                struct router_params *params, char *allow, size_t allowlen)
{
	int path_matched = 0;
	size_t alen = 0;
	struct router_params tmp;
	if (allowlen)
		allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!router_match(routes[i].pattern, path, &tmp))
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			*params = tmp;
			return (int)i;
		}
		path_matched = 1;
		size_t mlen = strlen(routes[i].method);
		if (alen + mlen + 3 < allowlen) {
			if (alen) {
				memcpy(allow + alen, ", ", 2);
				alen += 2;
			}
			memcpy(allow + alen, routes[i].method, mlen + 1);
			alen += mlen;
		}
	}
	return path_matched ? -2 : -1;
}

const char *router_param(const struct router_params *params, const char *name)
{
	for (int i = 0; i < params->n; i++)
		if (strcmp(params->p[i].name, name) == 0)
			return params->p[i].value;
	return NULL;
}

int router_takes_query(const struct route *rt, const char *name)
{
	size_t n = strlen(name);
	for (const char *q = rt->query; q && *q;) {
		size_t k = strcspn(q, " ");
		if (k == n && n && strncmp(q, name, n) == 0)
			return 1;
		q += k;
		q += strspn(q, " ");
	}
	return 0;
}
