/* jbuf.h — a growable byte buffer that JSON text is written into directly, without building
 * a tree: objects, arrays, keys and values in document order; the commas come by themselves.
 *
 * Out of memory is sticky: the first failed growth sets `oom`, every later write is a no-op,
 * and jbuf_take() returns NULL. So a writer checks once, at the end.
 *
 * No global or static state, no locale: any number of threads may each write their own
 * buffer. The fields are the writer's; callers only declare one (JBUF_INIT) and pass it. */
#ifndef WMS_API_JBUF_H
#define WMS_API_JBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jbuf {
	char *data;
	size_t len;
	size_t cap;
	bool oom;   /* a growth failed: nothing more is written */
	bool comma; /* a value ended last: the next key or array value needs a ',' */
};

#define JBUF_INIT {NULL, 0, 0, false, false}

/* Containers. Keys and values must alternate inside an object. */
void jbuf_obj_open(struct jbuf *b);
void jbuf_obj_close(struct jbuf *b);
void jbuf_arr_open(struct jbuf *b);
void jbuf_arr_close(struct jbuf *b);

/* An object key, escaped like a string. */
void jbuf_key(struct jbuf *b, const char *key);

/* Values. jbuf_str escapes per RFC 8259 as cJSON prints strings (", \, \b \f \n \r \t, other
 * control characters as \u00xx; other bytes, UTF-8 included, pass through); NULL is null. */
void jbuf_str(struct jbuf *b, const char *s);
void jbuf_int(struct jbuf *b, int64_t v);
void jbuf_null(struct jbuf *b);
/* The decimal value units / 10^places (places ≤ 18) printed shortest: no trailing zeros,
 * no '.' for whole numbers, so 954786/10^6 → 0.954786, 950000 → 0.95, 10^6 → 1, 0 → 0. */
void jbuf_scaled(struct jbuf *b, int64_t units, unsigned places);
/* The UTC instant t (epoch seconds) as the string "YYYY-MM-DDTHH:MM:SSZ" (proleptic Gregorian
 * calendar; years outside 0…9999 get a sign or more digits as needed). */
void jbuf_utc(struct jbuf *b, int64_t t);

/* Ends writing: returns the NUL-terminated text (the caller frees it with free()) and its
 * length in *len (may be NULL), leaving b empty; or NULL when memory ran out at any point
 * (b freed). */
char *jbuf_take(struct jbuf *b, size_t *len) __attribute__((warn_unused_result));

/* Frees what b holds (for an abandoned buffer); b is empty again. */
void jbuf_free(struct jbuf *b);

#endif
