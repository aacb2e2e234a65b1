/* refdata.c — helpers shared by the warehouse, bin, seller and SKU handlers. */
#include "api/refdata/refdata.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/problem.h"

int refdata_page_or_reply(struct api_req *r, struct refdata_page *pg)
{
	return api_page_or_reply(r, pg->limit, &pg->cursor_ts, &pg->cursor_id, pg->ts, pg->id);
}

int refdata_valid_or_reply(struct api_req *r, struct jsonv *v)
{
	if (!v->count)
		return 0;
	api_reply_invalid(r, v);
	return -1;
}

/* "me" from a key that is not a seller's answers 404 rather than 422: such a
 * key has no seller of its own, so "me" names no seller it may see — the
 * same answer as for any seller outside the caller's scope. */
int refdata_seller_or_reply(struct api_req *r, const char *out[3])
{
	const char *ref = api_req_param(r, "seller");
	const char *scope = api_scope_seller(r);
	out[0] = out[1] = NULL;
	out[2] = scope;
	if (!ref) {
		api_reply_problem(r, 404, "not-found", "no such seller");
		return -1;
	}
	if (strcmp(ref, "me") == 0) {
		if (!scope) {
			api_reply_problem(r, 404, "not-found",
			                  "\"me\" names the caller's own seller; this key belongs to none");
			return -1;
		}
		out[0] = scope;
	} else if (jsonv_is_uuid(ref)) {
		out[0] = ref;
	} else {
		out[1] = ref;
	}
	return 0;
}

/* The expressions are constants of this program, so one that does not
 * compile is a bug: abort. */
bool refdata_matches(const char *re, const char *s)
{
	regex_t rx;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		abort();
	bool ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

const char *refdata_shape(struct jsonv *v, const cJSON *obj, const char *field, bool required,
                          size_t maxlen, const char *re, const char *hint)
{
	const char *s = jsonv_string(v, obj, field, required, 1, maxlen);
	if (s && !refdata_matches(re, s)) {
		jsonv_error(v, field, "format", "%s must be %s", field, hint);
		return NULL;
	}
	return s;
}

void refdata_immutable(struct jsonv *v, const cJSON *obj, const char *field)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, field))
		jsonv_error(v, field, "immutable", "%s cannot be changed", field);
}

const cJSON *refdata_object(struct jsonv *v, const cJSON *obj, const char *field, bool required)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, field);
	if (!item || cJSON_IsNull(item)) {
		if (required)
			jsonv_error(v, field, "required", "%s is required", field);
		return NULL;
	}
	if (!cJSON_IsObject(item)) {
		jsonv_error(v, field, "type", "%s must be an object", field);
		return NULL;
	}
	return item;
}

void refdata_merge(struct jsonv *v, struct jsonv *inner, const char *prefix)
{
	int count = inner->count;
	cJSON *errors = jsonv_take(inner);
	const cJSON *e;
	cJSON_ArrayForEach(e, errors)
	{
		const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "field"));
		const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
		const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
		char field[160];
		snprintf(field, sizeof field, "%s.%s", prefix, f ? f : "");
		jsonv_error(v, field, c ? c : "invalid", "%s", m ? m : "invalid");
		count--;
	}
	if (count > 0) /* errors the inner set counted but could not store */
		jsonv_error(v, prefix, "invalid", "%s is invalid", prefix);
	cJSON_Delete(errors);
}

void refdata_reply_saved(struct api_req *r, const struct db_reply *rep, int status,
                         const char *not_found, const struct refdata_unique *uniques)
{
	if (rep->outcome == DB_SQL_ERROR && rep->sqlstate && strcmp(rep->sqlstate, "23505") == 0 &&
	    rep->constraint) {
		for (const struct refdata_unique *u = uniques; u->constraint; u++) {
			if (strcmp(u->constraint, rep->constraint) != 0)
				continue;
			cJSON *p = problem_new(409, "conflict", NULL, u->message);
			if (p && u->field && problem_add_error(p, u->field, "duplicate", u->message) != 0) {
				cJSON_Delete(p);
				p = NULL;
			}
			api_reply_problem_doc(r, p);
			return;
		}
	}
	api_reply_row(r, rep, status, not_found);
}

/* A create between its database callbacks: the parameters (idem's three
 * first) point into strings, the copies of the handler's. */
struct create_state {
	const struct refdata_create *c;
	struct idem idem;
	int n, retried;
	const char *p[REFDATA_CREATE_MAX_PARAMS];
	char strings[];
};

static bool is_unique_violation(const struct db_reply *rep)
{
	return rep->outcome == DB_SQL_ERROR && rep->sqlstate && strcmp(rep->sqlstate, "23505") == 0 &&
	       rep->constraint && strcmp(rep->constraint, "idempotency_keys_pkey") != 0;
}

static void on_created(struct api_req *r, const struct db_reply *rep)
{
	struct create_state *st = api_req_state(r);
	if (is_unique_violation(rep)) {
		if (st->idem.key && !st->retried) {
			st->retried = 1;
			api_query_or_reply(r, st->c->stmt, st->n, st->p, on_created);
			return;
		}
		refdata_reply_saved(r, rep, 201, st->c->not_found, st->c->uniques);
		return;
	}
	if (idem_reply_unless_created(r, &st->idem, rep))
		return;
	api_reply_row(r, rep, 201, st->c->not_found);
}

void refdata_create_or_reply(struct api_req *r, const struct refdata_create *c, int nparams,
                             const char *const *params)
{
	size_t size = 0;
	if (nparams < 0 || nparams > REFDATA_CREATE_MAX_PARAMS - 3)
		abort(); /* a handler's constant */
	for (int i = 0; i < nparams; i++)
		size += params[i] ? strlen(params[i]) + 1 : 0;
	struct create_state *st = api_req_new_state_or_reply(r, sizeof *st + size, NULL);
	if (!st)
		return;
	if (idem_begin_or_reply(r, &st->idem) != 0)
		return;
	st->c = c;
	st->n = 3 + nparams;
	st->p[0] = st->idem.scope;
	st->p[1] = st->idem.key;
	st->p[2] = st->idem.hash;
	char *s = st->strings;
	for (int i = 0; i < nparams; i++) {
		if (!params[i])
			continue;
		size_t len = strlen(params[i]) + 1;
		memcpy(s, params[i], len);
		st->p[3 + i] = s;
		s += len;
	}
	api_query_or_reply(r, c->stmt, st->n, st->p, on_created);
}
