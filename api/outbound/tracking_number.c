/* tracking_number.c — a series' next tracking number (tracking_number.h). */
#include "api/outbound/tracking_number.h"

#include <stdint.h>
#include <stdio.h>

#include "api/http/log.h"
#include "api/http/problem.h"
#include "api/http/req.h"
#include "wms/tracking.h"

int tracking_number_or_reply(struct api_req *r, const cJSON *se, const char *carrier,
                             const char *service, char *out, size_t outlen, char serial[24])
{
	enum wms_tracking_format format;
	char err[160];
	const char *fmt = cJSON_GetStringValue(cJSON_GetObjectItem(se, "format"));
	double next = cJSON_GetNumberValue(cJSON_GetObjectItem(se, "next_serial")); /* < 2^53 */
	if (wms_tracking_format_parse(fmt ? fmt : "", &format, err, sizeof err) != 0 ||
	    wms_tracking_make(format, cJSON_GetStringValue(cJSON_GetObjectItem(se, "prefix")),
	                      (int64_t)next, cJSON_GetStringValue(cJSON_GetObjectItem(se, "country")),
	                      out, outlen, err, sizeof err) != 0) {
		log_error("request id=%s tracking series of %s %s: %s", api_req_id(r), carrier, service,
		          err);
		api_reply_problem(r, PROBLEM_INTERNAL, "the tracking series of %s %s makes no number: %s",
		                  carrier, service, err);
		return -1;
	}
	snprintf(serial, 24, "%lld", (long long)next);
	return 0;
}
