/* h_leg_transit.c — GET /v1/network/legs/{id}/transit (admin, platform): what a leg is quoted
 * with now — its configured distribution against the one learned from tracking
 * (api/network/network_load.h: the prior worth NETWORK_LEARN_PRIOR parcels, observations
 * weighted by a NETWORK_LEARN_HALF_LIFE_DAYS half-life, in use from NETWORK_LEARN_MIN
 * parcels) and the parcels behind it — read from the server's in-memory network, no
 * database. */
#include <stdio.h>

#include "api/http/problem.h"
#include "api/http/req.h"
#include "api/network/network_load.h"
#include "api/routes.h"

void h_leg_transit(struct api_req *r)
{
	const char *leg = api_req_param(r, "id");
	const struct network_snapshot *s = network_current(api_req_app(r));
	if (!s) {
		api_reply_problem(r, PROBLEM_NETWORK_NOT_LOADED, "the lane network is not loaded yet");
		return;
	}
	const struct network_leg_transit *t = network_snapshot_transit(s, leg);
	if (!t) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such leg in the loaded network");
		return;
	}
	cJSON *doc = cJSON_CreateObject(), *c = NULL, *l = NULL;
	bool ok = doc && cJSON_AddStringToObject(doc, "leg", t->leg) &&
	          cJSON_AddStringToObject(doc, "in_use", t->learned ? "learned" : "configured") &&
	          cJSON_AddNumberToObject(doc, "observed", t->observed) &&
	          cJSON_AddNumberToObject(doc, "observed_weight", t->weight) &&
	          cJSON_AddNumberToObject(doc, "learn_from", NETWORK_LEARN_MIN) &&
	          cJSON_AddNumberToObject(doc, "prior_weight", NETWORK_LEARN_PRIOR) &&
	          cJSON_AddNumberToObject(doc, "half_life_days", NETWORK_LEARN_HALF_LIFE_DAYS) &&
	          (c = cJSON_AddObjectToObject(doc, "configured")) &&
	          cJSON_AddNumberToObject(c, "p50_h", t->configured_p50_h) &&
	          cJSON_AddNumberToObject(c, "p95_h", t->configured_p95_h);
	if (ok && t->learned)
		ok = (l = cJSON_AddObjectToObject(doc, "learned")) &&
		     cJSON_AddNumberToObject(l, "p50_h", t->learned_p50_h) &&
		     cJSON_AddNumberToObject(l, "p95_h", t->learned_p95_h);
	else if (ok)
		ok = cJSON_AddNullToObject(doc, "learned") != NULL;
	if (!ok) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	api_reply_json(r, 200, doc);
}
