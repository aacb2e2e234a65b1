/* problem.c — the problem catalogue's table and problem+json documents built from it. */
#include "api/http/problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *slug;
	int status;
	const char *title;
} catalogue[PROBLEM_COUNT] = {
#define PROBLEM_ROW(name, slug, status, title) [PROBLEM_##name] = {slug, status, title},
	PROBLEM_CATALOGUE(PROBLEM_ROW)
#undef PROBLEM_ROW
};

/* A type outside the enum is a bug in the caller, never input. */
static unsigned checked(enum problem_type t)
{
	if ((unsigned)t >= PROBLEM_COUNT)
		abort();
	return (unsigned)t;
}

const char *problem_slug(enum problem_type t) { return catalogue[checked(t)].slug; }
int problem_status(enum problem_type t) { return catalogue[checked(t)].status; }
const char *problem_title(enum problem_type t) { return catalogue[checked(t)].title; }

bool problem_find(const char *slug, enum problem_type *out)
{
	for (unsigned i = 0; slug && i < PROBLEM_COUNT; i++)
		if (strcmp(catalogue[i].slug, slug) == 0) {
			*out = (enum problem_type)i;
			return true;
		}
	return false;
}

const char *problem_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

cJSON *problem_new(enum problem_type t, const char *detail)
{
	char type[96];
	cJSON *p = cJSON_CreateObject();
	if (!p)
		return NULL;
	snprintf(type, sizeof type, "urn:wms:problem:%s", problem_slug(t));
	if (!cJSON_AddStringToObject(p, "type", type) ||
	    !cJSON_AddStringToObject(p, "title", problem_title(t)) ||
	    !cJSON_AddNumberToObject(p, "status", problem_status(t)) ||
	    (detail && !cJSON_AddStringToObject(p, "detail", detail))) {
		cJSON_Delete(p);
		return NULL;
	}
	return p;
}

int problem_add_error(cJSON *problem, const char *field, const char *code, const char *message)
{
	cJSON *errors = cJSON_GetObjectItemCaseSensitive(problem, "errors");
	if (!errors && !(errors = cJSON_AddArrayToObject(problem, "errors")))
		return -1;
	cJSON *e = cJSON_CreateObject();
	if (!e)
		return -1;
	if (!cJSON_AddStringToObject(e, "field", field) || !cJSON_AddStringToObject(e, "code", code) ||
	    !cJSON_AddStringToObject(e, "message", message)) {
		cJSON_Delete(e);
		return -1;
	}
	cJSON_AddItemToArray(errors, e);
	return 0;
}
