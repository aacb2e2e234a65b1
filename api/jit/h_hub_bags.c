/* h_hub_bags.c — a consolidation hub's bags (staff of the hub): opening one under a fresh
 * SSCC (POST /v1/hub/bags) and closing it (POST /v1/hub/bags/{id}/close, {id} its id or
 * SSCC). Parcels go in by bag scans and leave by the line-haul scan (h_hub_scans.c).
 *
 * The SSCC is extension digit 0, the platform's GS1 company prefix JIT_BAG_GS1_PREFIX, nine
 * random digits (no counter shared across servers, as ASN numbers) and the GS1 check digit
 * (wms/checkdigit.h); one taken at the hub already is 409, to retry. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "api/http/problem.h"
#include "api/jit/jit_refs.h"
#include "api/routes.h"
#include "api/scan/scans.h"
#include "wms/checkdigit.h"

/* The platform's GS1 company prefix for its bags' SSCCs (GS1's example prefix: a placeholder
 * until the platform's own is configured). */
#define JIT_BAG_GS1_PREFIX "0614141"

DB_STMT(stmt_bag_open) = {
	"jit_bag_open",
	"SELECT " SCAN_COLUMNS " FROM jit_bag_open($1::uuid, $2, $3::timestamptz)"};

DB_STMT(stmt_bag_close) = {
	"jit_bag_close",
	"SELECT " SCAN_COLUMNS " FROM jit_bag_close($1::uuid, $2::uuid, $3, $4::timestamptz)"};

struct bag_req {
	struct scan_ctx ctx; /* first: the request state is a scan_ctx */
	char sscc[WMS_SSCC_LEN + 1];
	char ref[JIT_REF_MAX];
};

void h_hub_bag_open(struct api_req *r)
{
	struct bag_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	uint64_t x;
	if (!q)
		return;
	if (RAND_bytes((unsigned char *)&x, sizeof x) != 1) {
		api_reply_problem(r, PROBLEM_INTERNAL, "no random bytes for the bag's SSCC");
		return;
	}
	snprintf(q->sscc, sizeof q->sscc, "0%s%09llu", JIT_BAG_GS1_PREFIX,
	         (unsigned long long)(x % 1000000000ULL));
	int check = wms_gs1_check_digit(q->sscc, WMS_SSCC_LEN - 1);
	if (check < 0) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the bag's SSCC is not digits");
		return;
	}
	q->sscc[WMS_SSCC_LEN - 1] = (char)('0' + check);
	q->sscc[WMS_SSCC_LEN] = '\0';
	const char *p[] = {api_scope_warehouse(r), q->sscc, api_req_now_text(r)};
	q->ctx.ok_status = 201;
	scan_run(r, &q->ctx, &stmt_bag_open, 3, p);
}

void h_hub_bag_close(struct api_req *r)
{
	struct jsonv v = JSONV_INIT;
	const char *id = NULL, *sscc = NULL;
	struct bag_req *q = api_req_new_state_or_reply(r, sizeof *q, NULL);
	if (!q)
		return;
	const char *param = api_req_param(r, "id");
	jit_bag_ref_read(&v, NULL, param ? param : "", q->ref, &id, &sscc);
	if (v.count) {
		jsonv_free(&v);
		api_reply_problem(r, PROBLEM_NOT_FOUND, "no such bag");
		return;
	}
	const char *p[] = {api_scope_warehouse(r), id, sscc, api_req_now_text(r)};
	scan_run(r, &q->ctx, &stmt_bag_close, 4, p);
}
