/* problem.c — building problem+json documents. */
#include "api/http/problem.h"

#include <stdio.h>

const char *problem_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
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

cJSON *problem_new(int status, const char *slug, const char *title, const char *detail)
{
	char type[96];
	cJSON *p = cJSON_CreateObject();
	if (!p)
		return NULL;
	if (slug)
		snprintf(type, sizeof type, "urn:wms:problem:%s", slug);
	else
		snprintf(type, sizeof type, "about:blank");
	if (!cJSON_AddStringToObject(p, "type", type) ||
	    !cJSON_AddStringToObject(p, "title", title ? title : problem_reason(status)) ||
	    !cJSON_AddNumberToObject(p, "status", status) ||
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
