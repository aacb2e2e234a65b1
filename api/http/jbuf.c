/* jbuf.c — JSON text written straight into a growable buffer (see jbuf.h). */
#include "api/http/jbuf.h"

#include "api/http/instant.h"

#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes plus the final NUL. Returns false (and sets the sticky
 * flag) when memory runs out, or if it ran out before. */
static bool room(struct jbuf *b, size_t n)
{
	if (b->oom)
		return false;
	if (n < b->cap - b->len && b->data)
		return true;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap - b->len <= n) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	char *grown = realloc(b->data, cap);
	if (!grown) {
		b->oom = true;
		return false;
	}
	b->data = grown;
	b->cap = cap;
	return true;
}

static void put(struct jbuf *b, const char *s, size_t n)
{
	if (room(b, n)) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
	}
}

static void put_char(struct jbuf *b, char c)
{
	if (room(b, 1))
		b->data[b->len++] = c;
}

/* Before a key, an array value or a container: the separator from the previous one. */
static void separate(struct jbuf *b)
{
	if (b->comma)
		put_char(b, ',');
}

/* Writes the decimal digits of u into the end of buf[24]; returns where they start. */
static char *digits(char buf[24], uint64_t u, unsigned min_width)
{
	char *p = buf + 24;
	unsigned n = 0;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
		n++;
	} while (u || n < min_width);
	return p;
}

/* The quoted, escaped string s. */
static void put_string(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	put_char(b, '"');
	for (;;) {
		const char *run = s;
		while ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
			s++;
		put(b, run, (size_t)(s - run));
		unsigned char c = (unsigned char)*s;
		if (c == 0)
			break;
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		put(b, esc, n);
		s++;
	}
	put_char(b, '"');
}

/* A container's first and last byte: a new value starts, or one ends. */
static void open_with(struct jbuf *b, char c)
{
	separate(b);
	put_char(b, c);
	b->comma = false;
}

static void close_with(struct jbuf *b, char c)
{
	put_char(b, c);
	b->comma = true;
}

void jbuf_obj_open(struct jbuf *b)
{
	open_with(b, '{');
}

void jbuf_obj_close(struct jbuf *b)
{
	close_with(b, '}');
}

void jbuf_arr_open(struct jbuf *b)
{
	open_with(b, '[');
}

void jbuf_arr_close(struct jbuf *b)
{
	close_with(b, ']');
}

void jbuf_key(struct jbuf *b, const char *key)
{
	separate(b);
	put_string(b, key);
	put_char(b, ':');
	b->comma = false;
}

void jbuf_str(struct jbuf *b, const char *s)
{
	if (!s) {
		jbuf_null(b);
		return;
	}
	separate(b);
	put_string(b, s);
	b->comma = true;
}

void jbuf_null(struct jbuf *b)
{
	separate(b);
	put(b, "null", 4);
	b->comma = true;
}

void jbuf_int(struct jbuf *b, int64_t v)
{
	char buf[24];
	/* the magnitude in unsigned arithmetic: INT64_MIN has no positive int64 */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char *p = digits(buf, u, 1);
	if (v < 0)
		*--p = '-';
	separate(b);
	put(b, p, (size_t)(buf + 24 - p));
	b->comma = true;
}

void jbuf_scaled(struct jbuf *b, int64_t units, unsigned places)
{
	uint64_t scale = 1;
	if (places > 18)
		places = 18;
	for (unsigned i = 0; i < places; i++)
		scale *= 10;
	uint64_t u = units < 0 ? 0 - (uint64_t)units : (uint64_t)units;
	uint64_t whole = u / scale, frac = u % scale;
	char buf[24];
	char *p = digits(buf, whole, 1);
	if (units < 0 && u)
		*--p = '-';
	separate(b);
	put(b, p, (size_t)(buf + 24 - p));
	if (frac) {
		unsigned width = places;
		while (frac % 10 == 0) {
			frac /= 10;
			width--;
		}
		p = digits(buf, frac, width);
		*--p = '.';
		put(b, p, (size_t)(buf + 24 - p));
	}
	b->comma = true;
}

void jbuf_utc(struct jbuf *b, int64_t t)
{
	int64_t days = t / 86400, sec = t % 86400;
	if (sec < 0) { /* floor division */
		sec += 86400;
		days--;
	}
	int64_t y;
	unsigned mo, d;
	instant_civil_from_days(days, &y, &mo, &d);

	char out[48], buf[24];
	size_t n = 0;
	out[n++] = '"';
	char *p = digits(buf, y < 0 ? 0 - (uint64_t)y : (uint64_t)y, 4);
	if (y < 0)
		*--p = '-';
	memcpy(out + n, p, (size_t)(buf + 24 - p));
	n += (size_t)(buf + 24 - p);
	unsigned field[5] = {mo, d, (unsigned)(sec / 3600), (unsigned)(sec / 60 % 60),
	                     (unsigned)(sec % 60)};
	static const char before[5] = {'-', '-', 'T', ':', ':'};
	for (int i = 0; i < 5; i++) {
		out[n++] = before[i];
		out[n++] = (char)('0' + field[i] / 10);
		out[n++] = (char)('0' + field[i] % 10);
	}
	out[n++] = 'Z';
	out[n++] = '"';
	separate(b);
	put(b, out, n);
	b->comma = true;
}

char *jbuf_take(struct jbuf *b, size_t *len)
{
	if (!room(b, 0)) { /* ran out earlier, or cannot get the NUL's byte */
		jbuf_free(b);
		return NULL;
	}
	char *text = b->data;
	text[b->len] = '\0';
	if (len)
		*len = b->len;
	*b = (struct jbuf)JBUF_INIT;
	return text;
}

void jbuf_free(struct jbuf *b)
{
	free(b->data);
	*b = (struct jbuf)JBUF_INIT;
}
