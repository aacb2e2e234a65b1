/* zpl_scan.h — an independent reader of the ZPL that wms/label.c writes, shared by tests/unit/check_label.c and tests/fuzz/fuzz_label.c: splits a label into commands and checks that input cannot have injected any.
 *
 * Header-only (static inline) so that the fuzz target, which links only the
 * libraries, can use it too.
 *
 * A label splits at every '^' into commands: a two-character name (^A0 is
 * read as "A0") and its argument, the text up to the next '^' (field data for
 * FD). One '\n' may end a command's argument; no other control byte may
 * appear anywhere. zpl_check() then holds the label to the shape the renderer
 * promises:
 *   - "^XA" is the first command and the only one, "^XZ" the last and only;
 *   - there is no '~' at all (no control command, no escaped tilde left raw);
 *   - every command is one the renderer uses (XA CI PW LL LH FO A0 FH FD FS
 *     GB BY BC BX XZ) — anything else means input became a command;
 *   - every ^FD is followed at once by ^FS; every ^FO starts a field that a
 *     ^FS ends before the next ^FO;
 *   - field data after ^FH has only well-formed _XX escapes.
 */
#ifndef TESTS_ZPL_SCAN_H
#define TESTS_ZPL_SCAN_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ZPL_MAX_CMDS 256

struct zpl_cmd {
	char name[3];
	const char *arg; /* into the label text; not NUL-terminated */
	size_t len;      /* without the one '\n' that may end it */
};

static inline bool zpl_known(const char *name)
{
	static const char *const known[] = {"XA", "CI", "PW", "LL", "LH", "FO", "A0", "FH",
	                                    "FD", "FS", "GB", "BY", "BC", "BX", "XZ"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(name, known[i]) == 0)
			return true;
	return false;
}

/* Splits the NUL-terminated zpl into at most max commands. Returns their
 * number, or -1 with a reason in why. */
static inline int zpl_split(const char *zpl, struct zpl_cmd *cmds, int max, char *why,
                            size_t whylen)
{
	int n = 0;
	const char *p = zpl;
	if (*p != '^') {
		snprintf(why, whylen, "does not start with a command");
		return -1;
	}
	while (*p) {
		if (n == max) {
			snprintf(why, whylen, "more than %d commands", max);
			return -1;
		}
		struct zpl_cmd *c = &cmds[n++];
		if (!p[1] || !p[2]) {
			snprintf(why, whylen, "truncated command at the end");
			return -1;
		}
		c->name[0] = p[1];
		c->name[1] = p[2];
		c->name[2] = '\0';
		c->arg = p + 3;
		const char *end = strchr(c->arg, '^');
		if (!end)
			end = c->arg + strlen(c->arg);
		c->len = (size_t)(end - c->arg);
		if (c->len > 0 && c->arg[c->len - 1] == '\n')
			c->len--;
		for (size_t i = 0; i < c->len; i++) {
			unsigned char b = (unsigned char)c->arg[i];
			if (b < 0x20 || b == 0x7F) {
				snprintf(why, whylen, "control byte 0x%02X in ^%s", b, c->name);
				return -1;
			}
		}
		p = end;
	}
	return n;
}

static inline bool zpl_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static inline int zpl_hex_value(char c)
{
	return c <= '9' ? c - '0' : c - 'A' + 10;
}

/* Checks the shape described at the top of this file. Returns the number of
 * commands (filled into cmds), or -1 with a reason. */
static inline int zpl_check(const char *zpl, struct zpl_cmd *cmds, char *why, size_t whylen)
{
	if (strchr(zpl, '~')) {
		snprintf(why, whylen, "contains '~'");
		return -1;
	}
	int n = zpl_split(zpl, cmds, ZPL_MAX_CMDS, why, whylen);
	if (n < 0)
		return -1;
	if (n < 2 || strcmp(cmds[0].name, "XA") != 0 || strcmp(cmds[n - 1].name, "XZ") != 0 ||
	    cmds[n - 1].len != 0 || zpl[strlen(zpl) - 1] == '\n') {
		snprintf(why, whylen, "not ^XA … ^XZ");
		return -1;
	}
	bool in_field = false;
	for (int i = 0; i < n; i++) {
		const char *nm = cmds[i].name;
		if (!zpl_known(nm)) {
			snprintf(why, whylen, "unknown command ^%s (command %d)", nm, i);
			return -1;
		}
		if (i > 0 && i < n - 1 && (strcmp(nm, "XA") == 0 || strcmp(nm, "XZ") == 0)) {
			snprintf(why, whylen, "inner ^%s (command %d)", nm, i);
			return -1;
		}
		if (strcmp(nm, "FO") == 0) {
			if (in_field) {
				snprintf(why, whylen, "^FO inside a field (command %d)", i);
				return -1;
			}
			in_field = true;
		} else if (strcmp(nm, "FS") == 0) {
			if (!in_field || cmds[i].len != 0) {
				snprintf(why, whylen, "stray ^FS (command %d)", i);
				return -1;
			}
			in_field = false;
		} else if (strcmp(nm, "FD") == 0) {
			if (i + 1 >= n || strcmp(cmds[i + 1].name, "FS") != 0) {
				snprintf(why, whylen, "^FD not closed by ^FS (command %d)", i);
				return -1;
			}
			if (strcmp(cmds[i - 1].name, "FH") == 0) {
				const char *a = cmds[i].arg;
				for (size_t k = 0; k < cmds[i].len; k++) {
					if (a[k] != '_')
						continue;
					if (k + 2 >= cmds[i].len || !zpl_hex(a[k + 1]) || !zpl_hex(a[k + 2])) {
						snprintf(why, whylen, "bad hex escape in ^FD (command %d)", i);
						return -1;
					}
				}
			}
		}
	}
	if (in_field) {
		snprintf(why, whylen, "field not closed");
		return -1;
	}
	return n;
}

/* Whether the commands a (na) and b (nb) are the same with the same
 * arguments, field data (FD) and the barcode module width (BY) aside: the
 * same layout. A label rendered from hostile text must have the shape of one
 * rendered from harmless text with the same fields present. */
static inline bool zpl_same_shape(const struct zpl_cmd *a, int na, const struct zpl_cmd *b,
                                  int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++) {
		if (strcmp(a[i].name, b[i].name) != 0)
			return false;
		if (strcmp(a[i].name, "FD") == 0 || strcmp(a[i].name, "BY") == 0)
			continue;
		if (a[i].len != b[i].len || memcmp(a[i].arg, b[i].arg, a[i].len) != 0)
			return false;
	}
	return true;
}

/* Decodes the _XX escapes of n bytes of ^FH field data into out (cap bytes, NUL-terminated). */
static inline void zpl_unhex(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		if (s[i] == '_' && i + 2 < n && zpl_hex(s[i + 1]) && zpl_hex(s[i + 2])) {
			out[o++] = (char)(zpl_hex_value(s[i + 1]) * 16 + zpl_hex_value(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

#endif
