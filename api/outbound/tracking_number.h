/* tracking_number.h — the next tracking number of a carrier service's series, as the
 * statements that take a serial read the series ({format, prefix, country, next_serial,
 * last_serial}: package_close_input, jit_label_input). The serial is taken by the statement
 * that stores the number, only if it is still the series' next one. */
#ifndef WMS_API_TRACKING_NUMBER_H
#define WMS_API_TRACKING_NUMBER_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct api_req;

/* Makes the number of the series se's next serial (wms_tracking_make) into out (outlen bytes)
 * and that serial as text into serial. The caller checked that se exists and is not used up.
 * Returns 0, or -1 after answering 500 (logged, naming carrier and service): a series no
 * number can be made from. */
int tracking_number_or_reply(struct api_req *r, const cJSON *se, const char *carrier,
                             const char *service, char *out, size_t outlen, char serial[24])
	__attribute__((warn_unused_result));

#endif
