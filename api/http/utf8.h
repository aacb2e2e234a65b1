/* utf8.h — checking text is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), for everything a client sends: bodies, paths, queries, headers. */
#ifndef WMS_API_UTF8_H
#define WMS_API_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length (1..4) of the well-formed UTF-8 sequence at s (n bytes available), or 0 when
 * the bytes there are not one. */
size_t utf8_sequence(const unsigned char *s, size_t n);

/* True when the n bytes at s are well-formed UTF-8 (a NUL byte counts as U+0000). */
bool utf8_valid(const char *s, size_t n);

/* True when the NUL-terminated s is well-formed UTF-8 and has no control character
 * (U+0001..U+001F, U+007F). */
bool utf8_printable(const char *s);

#endif
