/* body.c — a strict recursive-descent JSON decoder building cJSON nodes. It keeps the path
 * of the value being read ("lines[2].lot") for field errors and duplicate keys. */
#include "api/http/body.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/utf8.h"

struct parser {
	const unsigned char *s;
	size_t n, i;
	int depth;
	struct jsonv *v;
	enum body_result fail; /* BODY_OK while all is well */
	char *detail;
	size_t detail_len;
	char path[256];
	size_t plen;
	char *buf; /* the string being decoded */
	size_t len, cap;
};

static void failf(struct parser *p, enum body_result why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first failure; later ones (while unwinding) are dropped. */
static void failf(struct parser *p, enum body_result why, const char *fmt, ...)
{
	if (p->fail != BODY_OK)
		return;
	p->fail = why;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->detail, p->detail_len, fmt, ap);
	va_end(ap);
}

static const char *where(const struct parser *p)
{
	return p->plen ? p->path : "the body";
}

static void skip_ws(struct parser *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
	                       p->s[p->i] == '\r'))
		p->i++;
}

/* A byte the grammar does not expect at i: invalid UTF-8 is an encoding failure. */
static void unexpected(struct parser *p, const char *wanted)
{
	if (p->i >= p->n) {
		failf(p, BODY_SYNTAX, "the body ends where %s was expected", wanted);
	} else if (p->s[p->i] >= 0x80 && !utf8_sequence(p->s + p->i, p->n - p->i)) {
		failf(p, BODY_ENCODING, "byte %zu is not UTF-8", p->i);
	} else {
		failf(p, BODY_SYNTAX, "byte %zu: %s expected", p->i, wanted);
	}
}

static bool put(struct parser *p, const void *bytes, size_t k)
{
	if (p->len + k + 1 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		while (cap < p->len + k + 1)
			cap *= 2;
		char *b = realloc(p->buf, cap);
		if (!b) {
			failf(p, BODY_NOMEM, "out of memory");
			return false;
		}
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, bytes, k);
	p->len += k;
	p->buf[p->len] = '\0';
	return true;
}

static int hex4(const unsigned char *s)
{
	int x = 0;
	for (int k = 0; k < 4; k++) {
		int c = s[k], d = c >= '0' && c <= '9'   ? c - '0'
		                : c >= 'a' && c <= 'f' ? c - 'a' + 10
		                : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                                       : -1;
		if (d < 0)
			return -1;
		x = x * 16 + d;
	}
	return x;
}

/* One \uXXXX escape (and its low surrogate) at i (after the backslash and 'u'). */
static bool unicode_escape(struct parser *p, bool *nul)
{
	int cp = p->i + 4 <= p->n ? hex4(p->s + p->i) : -1;
	if (cp < 0) {
		failf(p, BODY_SYNTAX, "byte %zu: \\u needs four hex digits", p->i);
		return false;
	}
	p->i += 4;
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		failf(p, BODY_ENCODING, "byte %zu: a low surrogate without its high one", p->i - 6);
		return false;
	}
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		int lo = p->i + 6 <= p->n && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u'
		             ? hex4(p->s + p->i + 2)
		             : -1;
		if (lo < 0xDC00 || lo > 0xDFFF) {
			failf(p, BODY_ENCODING, "byte %zu: a high surrogate without its low one", p->i - 6);
			return false;
		}
		p->i += 6;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (cp == 0)
		*nul = true;
	unsigned char u[4];
	size_t k;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp, k = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | cp >> 6), u[1] = (unsigned char)(0x80 | (cp & 0x3F)), k = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | cp >> 12), u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F)), k = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | cp >> 18), u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)), u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	return put(p, u, k);
}

/* A string at i (at its opening quote), decoded into p->buf. *nul: it holds U+0000. */
static bool string(struct parser *p, bool *nul)
{
	p->len = 0;
	*nul = false;
	if (!put(p, "", 0))
		return false;
	size_t start = ++p->i;
	while (p->i < p->n) {
		unsigned char c = p->s[p->i];
		if (c == '"') {
			p->i++;
			return true;
		}
		if (c < 0x20) {
			failf(p, BODY_SYNTAX, "byte %zu: a control character inside a string (escape it)",
			      p->i);
			return false;
		}
		if (c == '\\') {
			if (++p->i >= p->n)
				break;
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *e = memchr(from, p->s[p->i], sizeof from - 1);
			if (e) {
				p->i++;
				if (!put(p, &to[e - from], 1))
					return false;
			} else if (p->s[p->i] == 'u') {
				p->i++;
				if (!unicode_escape(p, nul))
					return false;
			} else {
				failf(p, BODY_SYNTAX, "byte %zu: no such escape \\%c", p->i - 1,
				      p->s[p->i] >= 0x20 && p->s[p->i] < 0x7F ? p->s[p->i] : '?');
				return false;
			}
			continue;
		}
		size_t k = c < 0x80 ? 1 : utf8_sequence(p->s + p->i, p->n - p->i);
		if (!k) {
			failf(p, BODY_ENCODING, "byte %zu is not UTF-8", p->i);
			return false;
		}
		if (!put(p, p->s + p->i, k))
			return false;
		p->i += k;
	}
	failf(p, BODY_SYNTAX, "the string from byte %zu is not closed", start - 1);
	return false;
}

static cJSON *number(struct parser *p)
{
	size_t start = p->i;
	const unsigned char *s = p->s;
	size_t i = p->i, n = p->n;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
	} else if (i < n && s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		p->i = i;
		unexpected(p, "a digit");
		return NULL;
	}
	if (i < n && s[i] == '.') {
		size_t d = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d) {
			p->i = i;
			unexpected(p, "a digit after the decimal point");
			return NULL;
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d) {
			p->i = i;
			unexpected(p, "a digit in the exponent");
			return NULL;
		}
	}
	p->i = i;
	p->len = 0;
	if (!put(p, s + start, i - start))
		return NULL;
	errno = 0;
	double d = strtod(p->buf, NULL);
	if (!isfinite(d) || (errno == ERANGE && fabs(d) > 1.0))
		jsonv_error(p->v, where(p), "range", "%s is too large a number", where(p));
	return cJSON_CreateNumber(isfinite(d) ? d : 0);
}

static cJSON *value(struct parser *p);

/* Appends to the path: ".key" (or "key" at the top) for a member, "[i]" for an item. Returns
 * the length to restore. */
static size_t path_push(struct parser *p, const char *key, int index)
{
	size_t saved = p->plen, room = sizeof p->path - p->plen;
	int k = key ? snprintf(p->path + p->plen, room, "%s%s", p->plen ? "." : "", key)
	            : snprintf(p->path + p->plen, room, "[%d]", index);
	p->plen = k < 0 || (size_t)k >= room ? sizeof p->path - 1 : p->plen + (size_t)k;
	return saved;
}

static void path_pop(struct parser *p, size_t saved)
{
	p->plen = saved;
	p->path[saved] = '\0';
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The key obj holds twice, or NULL. */
static const char *duplicate_key(const cJSON *obj, int count, struct parser *p)
{
	if (count <= 16) {
		for (const cJSON *a = obj->child; a; a = a->next)
			for (const cJSON *b = a->next; b; b = b->next)
				if (strcmp(a->string, b->string) == 0)
					return a->string;
		return NULL;
	}
	const char **keys = malloc((size_t)count * sizeof *keys);
	if (!keys) {
		failf(p, BODY_NOMEM, "out of memory");
		return NULL;
	}
	int k = 0;
	for (const cJSON *a = obj->child; a; a = a->next)
		keys[k++] = a->string;
	qsort(keys, (size_t)k, sizeof *keys, cmp_keys);
	const char *dup = NULL;
	for (int i = 1; i < k && !dup; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			dup = keys[i];
	free(keys);
	return dup;
}

static cJSON *object(struct parser *p)
{
	cJSON *obj = cJSON_CreateObject();
	int count = 0;
	if (!obj) {
		failf(p, BODY_NOMEM, "out of memory");
		return NULL;
	}
	p->i++;
	skip_ws(p);
	if (p->i < p->n && p->s[p->i] == '}') {
		p->i++;
		return obj;
	}
	for (;;) {
		bool nul;
		if (p->i >= p->n || p->s[p->i] != '"') {
			unexpected(p, "a member name in quotes");
			goto fail;
		}
		if (!string(p, &nul))
			goto fail;
		if (nul) {
			failf(p, BODY_SYNTAX, "a member name of %s holds U+0000", where(p));
			goto fail;
		}
		size_t saved = path_push(p, p->buf, 0);
		cJSON *key_holder = cJSON_CreateString(p->buf);
		skip_ws(p);
		if (!key_holder || p->i >= p->n || p->s[p->i] != ':') {
			cJSON_Delete(key_holder);
			if (key_holder)
				unexpected(p, "':'");
			else
				failf(p, BODY_NOMEM, "out of memory");
			goto fail;
		}
		p->i++;
		skip_ws(p);
		cJSON *item = value(p);
		path_pop(p, saved);
		if (!item) {
			cJSON_Delete(key_holder);
			goto fail;
		}
		if (!cJSON_AddItemToObject(obj, key_holder->valuestring, item)) {
			cJSON_Delete(item);
			cJSON_Delete(key_holder);
			failf(p, BODY_NOMEM, "out of memory");
			goto fail;
		}
		cJSON_Delete(key_holder);
		count++;
		skip_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			skip_ws(p);
			continue;
		}
		if (p->i < p->n && p->s[p->i] == '}') {
			p->i++;
			break;
		}
		unexpected(p, "',' or '}'");
		goto fail;
	}
	const char *dup = duplicate_key(obj, count, p);
	if (dup)
		failf(p, BODY_DUPLICATE_KEY, "the key \"%.64s\" appears twice in %s", dup, where(p));
	if (p->fail == BODY_OK)
		return obj;
fail:
	cJSON_Delete(obj);
	return NULL;
}

static cJSON *array(struct parser *p)
{
	cJSON *arr = cJSON_CreateArray();
	if (!arr) {
		failf(p, BODY_NOMEM, "out of memory");
		return NULL;
	}
	p->i++;
	skip_ws(p);
	if (p->i < p->n && p->s[p->i] == ']') {
		p->i++;
		return arr;
	}
	for (int k = 0;; k++) {
		size_t saved = path_push(p, NULL, k);
		cJSON *item = value(p);
		path_pop(p, saved);
		if (!item || !cJSON_AddItemToArray(arr, item)) {
			cJSON_Delete(item);
			failf(p, BODY_NOMEM, "out of memory");
			goto fail;
		}
		skip_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			skip_ws(p);
			continue;
		}
		if (p->i < p->n && p->s[p->i] == ']') {
			p->i++;
			return arr;
		}
		unexpected(p, "',' or ']'");
		goto fail;
	}
fail:
	cJSON_Delete(arr);
	return NULL;
}

static cJSON *literal(struct parser *p, const char *word, cJSON *(*make)(void))
{
	size_t k = strlen(word);
	if (p->n - p->i < k || memcmp(p->s + p->i, word, k) != 0) {
		unexpected(p, "a JSON value");
		return NULL;
	}
	p->i += k;
	cJSON *c = make();
	if (!c)
		failf(p, BODY_NOMEM, "out of memory");
	return c;
}

static cJSON *make_true(void) { return cJSON_CreateTrue(); }
static cJSON *make_false(void) { return cJSON_CreateFalse(); }
static cJSON *make_null(void) { return cJSON_CreateNull(); }

static cJSON *value(struct parser *p)
{
	if (p->i >= p->n) {
		unexpected(p, "a JSON value");
		return NULL;
	}
	if (++p->depth > BODY_MAX_DEPTH) {
		failf(p, BODY_SYNTAX, "byte %zu: nested deeper than %d levels", p->i, BODY_MAX_DEPTH);
		return NULL;
	}
	cJSON *c = NULL;
	bool nul;
	switch (p->s[p->i]) {
	case '{': c = object(p); break;
	case '[': c = array(p); break;
	case '"':
		if (string(p, &nul)) {
			if (nul)
				jsonv_error(p->v, where(p), "nul", "%s must not contain U+0000", where(p));
			if (!(c = cJSON_CreateString(p->buf)))
				failf(p, BODY_NOMEM, "out of memory");
		}
		break;
	case 't': c = literal(p, "true", make_true); break;
	case 'f': c = literal(p, "false", make_false); break;
	case 'n': c = literal(p, "null", make_null); break;
	default: c = number(p); break;
	}
	p->depth--;
	if (!c && p->fail == BODY_OK)
		failf(p, BODY_NOMEM, "out of memory");
	return c;
}

enum body_result body_decode(const char *buf, size_t len, cJSON **out, struct jsonv *v,
                             char *detail, size_t detail_len)
{
	struct jsonv fields = JSONV_INIT; /* handed to v only when the body is well-formed */
	struct parser p = {.s = (const unsigned char *)buf, .n = len, .v = &fields, .detail = detail,
	                   .detail_len = detail_len};
	*out = NULL;
	if (detail_len)
		detail[0] = '\0';
	skip_ws(&p);
	cJSON *doc = value(&p);
	if (doc && p.fail == BODY_OK) {
		skip_ws(&p);
		if (p.i < p.n) {
			if (p.s[p.i] >= 0x80 && !utf8_valid(buf + p.i, p.n - p.i))
				failf(&p, BODY_ENCODING, "byte %zu is not UTF-8", p.i);
			else
				failf(&p, BODY_SYNTAX, "byte %zu: data after the JSON value", p.i);
		}
	}
	/* the whole body is UTF-8, even where the grammar stopped reading */
	if (p.fail == BODY_SYNTAX && !utf8_valid(buf, len))
		p.fail = BODY_ENCODING, snprintf(detail, detail_len, "the body is not UTF-8");
	free(p.buf);
	if (p.fail == BODY_OK && fields.count) {
		p.fail = BODY_FIELDS;
		jsonv_merge(v, &fields, "%s", "");
	}
	jsonv_free(&fields);
	if (p.fail != BODY_OK) {
		cJSON_Delete(doc);
		return p.fail;
	}
	*out = doc;
	return BODY_OK;
}
