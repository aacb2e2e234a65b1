/* fees_load.h — loading fee schedule and policy versions from their JSON rows
 * (sql/functions/fee_json.sql fee_schedule_json, fee_policy_json, fee_versions_json)
 * into the fee engine's structs (wms/fees.h). Used by inbound-close posting,
 * storage accrual and the admin endpoints' validation. */
#ifndef WMS_API_FEES_LOAD_H
#define WMS_API_FEES_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "wms/fees.h"

/* The versions in force at one time: the schedule and each mode's policy.
 * categories is owned (freed by fees_versions_free). */
struct fees_versions {
	int64_t at;
	bool has_schedule;
	struct fee_schedule schedule;
	struct fee_category_rate *categories;
	bool has_policy[FEE_MODE_COUNT];
	struct fee_policy policies[FEE_MODE_COUNT];
};

/* Fills *out from one fee_policy_json object (id and version may be absent:
 * 0; valid_to null or absent: open). Returns 0, or -1 with err filled. Does
 * not apply fee_policy_validate. */
int fees_policy_from_json(const cJSON *j, struct fee_policy *out, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* Fills *out from one fee_schedule_json object; the category rates go to a
 * new array *cats (caller frees; NULL when there are none) that out points
 * to. The currency exponent comes from ISO 4217 (wms/codes.h). Returns 0, or
 * -1 with err filled (*cats NULL). */
int fees_schedule_from_json(const cJSON *j, struct fee_schedule *out,
                            struct fee_category_rate **cats, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* Fills *out from a fee_versions_json object. Versions that are missing are
 * flagged false (the caller reports "no version in force" when it needs one).
 * Returns 0, or -1 with err filled; free with fees_versions_free either way. */
int fees_versions_from_json(const cJSON *j, struct fees_versions *out, char *err, size_t errlen)
	__attribute__((warn_unused_result));
void fees_versions_free(struct fees_versions *v);

/* The schedule and the policy of mode in force at v->at, or -1 with err
 * naming what is missing. */
int fees_versions_pick(const struct fees_versions *v, enum fee_mode mode,
                       const struct fee_policy **policy, const struct fee_schedule **schedule,
                       char *err, size_t errlen) __attribute__((warn_unused_result));

/* obj[name] as a string, or "" when absent or not a string. */
const char *fees_json_str(const cJSON *obj, const char *name);
/* obj[name] as a whole number in 0..2^53, or -1 when absent or not one. */
int64_t fees_json_count(const cJSON *obj, const char *name);

/* Parses a JSON array of fee type names into a FEE_BIT set. Returns 0, or -1
 * with the offending element's index in *bad (-1 when arr is no array). */
int fees_type_set_from_json(const cJSON *arr, uint32_t *out, int *bad)
	__attribute__((warn_unused_result));

#endif
