/* problem.h — RFC 9457 application/problem+json documents. */
#ifndef WMS_API_PROBLEM_H
#define WMS_API_PROBLEM_H

#include <cjson/cJSON.h>

/* Builds {type, title, status, detail}. type is "urn:wms:problem:<slug>" (or
 * "about:blank" when slug is NULL); title defaults to the status's reason
 * phrase when NULL; detail may be NULL. Returns a new object the caller owns
 * (cJSON_Delete), or NULL when out of memory. */
cJSON *problem_new(int status, const char *slug, const char *title, const char *detail);

/* Appends {field, code, message} to the document's errors[] (created on first
 * use). Returns 0 or -1 (out of memory). */
int problem_add_error(cJSON *problem, const char *field, const char *code, const char *message);

/* The reason phrase of an HTTP status ("Unprocessable Content"), or "Error". */
const char *problem_reason(int status);

#endif
