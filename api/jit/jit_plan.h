/* jit_plan.h — the JIT task a semi_jit order gets: which consolidation hub the seller ships
 * to and by when (routing/handover.h on the loaded lane network), explained.
 *
 * Every hub the seller may use (the consolidation hubs of its country, order_prepare()) that
 * is an origin of the lane network with a promise target to the buyer's country is searched:
 * the latest receipt time, from now up to the promise deadline (counted in the destination's
 * local days from now, as for stocked orders), at which a route costing no more than the one
 * selected for a parcel received now still meets the target. The hub of the cheapest cost
 * class with the most time wins (routing_handover_choose). */
#ifndef WMS_API_JIT_PLAN_H
#define WMS_API_JIT_PLAN_H

#include <cjson/cJSON.h>

#include "api/outbound/order_request.h"

struct api_req;

/* Plans the task of the order `in` whose lines' SKUs are `skus` among `hubs`
 * ([{warehouse_id, code, time_zone}]). On success returns 0 and sets *candidates to the JSON
 * text order_create() takes (malloc'd; "[]" with a reason per line added to `reasons` when no
 * hub can take the order). Returns -1 after answering (503: no network or out of memory;
 * 422: a destination no zone covers). */
int jit_plan_or_reply(struct api_req *r, const struct order_request *in, const cJSON *skus,
                      const cJSON *hubs, cJSON *reasons, char **candidates);

#endif
