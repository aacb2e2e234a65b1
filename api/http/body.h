/* body.h — the one decoder of request bodies: strict JSON (RFC 8259) into a cJSON tree, so
 * that no handler can see a body the decoder would not accept.
 *
 * Malformed (400): anything but exactly one JSON value followed only by whitespace; bytes
 * that are not well-formed UTF-8 (also inside strings, also through \u escapes: an unpaired
 * surrogate); a raw control character in a string; an object with the same key twice;
 * nesting deeper than BODY_MAX_DEPTH. Invalid fields (422, recorded in a jsonv under the
 * field's path such as "lines[2].lot"): a string holding U+0000, a number too large for a
 * double. */
#ifndef WMS_API_BODY_H
#define WMS_API_BODY_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "api/http/jsonv.h"

#define BODY_MAX_DEPTH 32

enum body_result {
	BODY_OK,            /* *out holds the tree */
	BODY_SYNTAX,        /* not one JSON value: detail says what and where */
	BODY_ENCODING,      /* not UTF-8, or an unpaired surrogate */
	BODY_DUPLICATE_KEY, /* detail names the key and the object's path */
	BODY_FIELDS,        /* well-formed, but v holds field errors */
	BODY_NOMEM,
};

/* Decodes the len bytes at buf (no NUL needed). On BODY_OK sets *out to the tree (the
 * caller frees it with cJSON_Delete); otherwise *out is NULL, and detail (detail_len bytes)
 * says why for the 400 answers, v holds the field errors for BODY_FIELDS. */
enum body_result body_decode(const char *buf, size_t len, cJSON **out, struct jsonv *v,
                             char *detail, size_t detail_len) __attribute__((warn_unused_result));

#endif
