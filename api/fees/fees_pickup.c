/* fees_pickup.c — the pickup fee of a collection (fees_pickup.h). */
#include "api/fees/fees_pickup.h"

#include <stdio.h>
#include <stdlib.h>

#include "api/fees/fees_load.h"
#include "api/fees/fees_post.h"

char *fees_pickup_rows(const char *input, char *err, size_t errlen)
{
	char *out = NULL;
	struct fees_versions v = {0};
	cJSON *rows = NULL, *in = cJSON_Parse(input ? input : "");
	const struct fee_policy *policy;
	const struct fee_schedule *schedule;
	struct fee_line line;
	struct fee_error fe;
	enum fee_mode mode;
	size_t n = 0;
	int64_t weight = fees_json_count(in, "weight_g");

	if (errlen > 0)
		err[0] = '\0';
	if (!cJSON_IsObject(in) || weight < 0 ||
	    fee_mode_parse(fees_json_str(in, "mode"), &mode) != 0) {
		snprintf(err, errlen, "pickup fee input is not pickup_fee_input()'s object");
		goto done;
	}
	if (fees_versions_from_json(cJSON_GetObjectItemCaseSensitive(in, "versions"), &v, err,
	                            errlen) != 0 ||
	    fees_versions_pick(&v, mode, &policy, &schedule, err, errlen) != 0)
		goto done;
	struct fee_event ev = {.kind = FEE_EVENT_PICKUP, .at = v.at, .pickup.weight_g = weight};
	if (fee_compute(policy, schedule, &ev, &line, 1, &n, &fe) != 0) {
		snprintf(err, errlen, "pickup %s: %s", fees_json_str(in, "request_id"), fe.msg);
		goto done;
	}
	struct fees_post_event pe = {
		.seller_id = fees_json_str(in, "seller_id"),
		.warehouse_id = fees_json_str(in, "warehouse_id"),
		.event_type = "pickup",
		.event_id = fees_json_str(in, "request_id"),
		.event_at = fees_json_str(in, "at"),
		.mode = mode,
	};
	if (!(rows = cJSON_CreateArray()) || fees_post_append(rows, &pe, &line, n, 1, NULL) != 0 ||
	    !(out = cJSON_PrintUnformatted(rows)))
		snprintf(err, errlen, "out of memory");
done:
	cJSON_Delete(rows);
	cJSON_Delete(in);
	fees_versions_free(&v);
	return out;
}
