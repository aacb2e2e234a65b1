/* idem.c — Idempotency-Key: reading the header, hashing the request, and
 * answering from a create statement's outcome. */
#include "api/http/idem.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "api/http/auth.h"
#include "api/http/req.h"

DB_STMT(stmt_lookup) = {
	"idem_lookup",
	"SELECT request_hash = $3 AS same, status, response::text AS body FROM idempotency_keys "
	"WHERE scope = $1 AND key = $2"};

int idem_begin_or_reply(struct api_req *r, struct idem *out)
{
	const struct auth_principal *p = api_req_principal(r);
	memset(out, 0, sizeof *out);
	if (p && p->role == AUTH_SELLER)
		snprintf(out->scope, sizeof out->scope, "seller:%s", p->seller_id);
	else
		snprintf(out->scope, sizeof out->scope, "key:%s", p ? p->key_id : "-");
	out->key = api_req_header(r, "Idempotency-Key");
	if (out->key) {
		size_t n = strlen(out->key);
		int ok = n >= 1 && n <= 255;
		for (size_t i = 0; ok && i < n; i++)
			ok = out->key[i] > 0x20 && out->key[i] < 0x7f;
		if (!ok) {
			api_reply_problem(r, PROBLEM_BAD_IDEMPOTENCY_KEY,
			                  "Idempotency-Key must be 1 to 255 printable ASCII characters");
			return -1;
		}
	}
	size_t len;
	const char *body = api_req_raw_body(r, &len);
	unsigned char md[32];
	unsigned int mdlen = sizeof md;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx) {
		api_reply_problem(r, PROBLEM_OVERLOADED, "out of memory");
		return -1;
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, api_req_method(r), strlen(api_req_method(r)));
	EVP_DigestUpdate(ctx, "\n", 1);
	EVP_DigestUpdate(ctx, api_req_path(r), strlen(api_req_path(r)));
	EVP_DigestUpdate(ctx, "\n", 1);
	if (body)
		EVP_DigestUpdate(ctx, body, len);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	auth_hex(md, sizeof md, out->hash);
	return 0;
}

static void reply_stored(struct api_req *r, int status, const char *body)
{
	api_req_add_header(r, "Idempotent-Replayed", "true");
	api_reply_json_text(r, status, body, strlen(body));
}

static void on_lookup(struct api_req *r, const struct db_reply *rep)
{
	if (rep->outcome != DB_OK || PQntuples(rep->res) != 1) {
		api_reply_problem(r, PROBLEM_IDEMPOTENCY_CONFLICT,
		                  "a request with this Idempotency-Key is being processed; retry");
		return;
	}
	if (!db_value_bool(rep->res, 0, "same")) {
		api_reply_problem(r, PROBLEM_IDEMPOTENCY_MISMATCH,
		                  "this Idempotency-Key was used with a different request");
		return;
	}
	reply_stored(r, (int)db_value_ll(rep->res, 0, "status", 200), db_value(rep->res, 0, "body"));
}

int idem_reply_unless_created(struct api_req *r, const struct idem *idem,
                              const struct db_reply *rep)
{
	if (db_reply_duplicate(rep, "idempotency_keys", NULL)) {
		const char *p[] = {idem->scope, idem->key, idem->hash};
		api_query_or_reply(r, &stmt_lookup, 3, p, on_lookup);
		return 1;
	}
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
		return 1;
	}
	if (PQntuples(rep->res) != 1) {
		api_reply_problem(r, PROBLEM_INTERNAL, "the create statement answered no row");
		return 1;
	}
	const char *outcome = db_value(rep->res, 0, "outcome");
	if (strcmp(outcome, "busy") == 0) {
		api_reply_problem(r, PROBLEM_IDEMPOTENCY_CONFLICT,
		                  "a request with this Idempotency-Key is being processed; retry");
	} else if (strcmp(outcome, "mismatch") == 0) {
		api_reply_problem(r, PROBLEM_IDEMPOTENCY_MISMATCH,
		                  "this Idempotency-Key was used with a different request");
	} else if (strcmp(outcome, "replay") == 0) {
		reply_stored(r, (int)db_value_ll(rep->res, 0, "prior_status", 200),
		             db_value(rep->res, 0, "prior_body"));
	} else {
		return 0;
	}
	return 1;
}
