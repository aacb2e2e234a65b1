/* create.c — creates that honour Idempotency-Key and answer unique violations per field. */
#include "api/http/create.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/problem.h"
#include "api/http/req.h"

void create_reply_duplicate(struct api_req *r, const struct create_unique *u, const char *holder)
{
	char text[512];
	snprintf(text, sizeof text, holder ? "%s: %s" : "%s", u->message, holder);
	cJSON *p = problem_new(PROBLEM_CONFLICT, text);
	if (p && u->field && problem_add_error(p, u->field, "duplicate", text) != 0) {
		cJSON_Delete(p);
		p = NULL;
	}
	api_reply_problem_doc(r, p);
}

void create_reply_saved(struct api_req *r, const struct db_reply *rep, int status,
                         const char *not_found, const struct create_unique *uniques)
{
	if (rep->outcome == DB_SQL_ERROR) {
		for (const struct create_unique *u = uniques; u->table; u++) {
			if (!db_reply_duplicate(rep, u->table, u->keys))
				continue;
			if (u->reply)
				u->reply(r, u);
			else
				create_reply_duplicate(r, u, NULL);
			return;
		}
	}
	api_reply_row(r, rep, status, not_found);
}

/* A create between its database callbacks: the parameters (idem's three
 * first) point into strings, the copies of the handler's. */
struct create_state {
	const struct create_spec *c;
	struct idem idem;
	int n, retried;
	char *body;   /* the 201's body while the follow-up runs */
	char id[64];  /* the created object's id, the follow-up's $1 */
	const char *p[CREATE_MAX_PARAMS];
	char strings[];
};

static bool is_unique_violation(const struct db_reply *rep)
{
	return rep->outcome == DB_SQL_ERROR &&
	       rep->sqlstate && strcmp(rep->sqlstate, "23505") == 0 &&
	       !db_reply_duplicate(rep, "idempotency_keys", NULL);
}

/* The created object's follow-up statement ran: now the 201. */
static void on_then(struct api_req *r, const struct db_reply *rep)
{
	struct create_state *st = api_req_state(r);
	if (rep->outcome != DB_OK) {
		api_reply_db_error(r, rep);
		return;
	}
	api_reply_json_text(r, 201, st->body, strlen(st->body));
}

/* Runs the follow-up of a created object whose answer is the first column of rep. */
static void then_or_reply(struct api_req *r, const struct db_reply *rep)
{
	struct create_state *st = api_req_state(r);
	const char *body = PQntuples(rep->res) == 1 ? PQgetvalue(rep->res, 0, 0) : NULL;
	cJSON *doc = body ? cJSON_Parse(body) : NULL;
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "id"));
	if (!id || !(st->body = strdup(body))) {
		cJSON_Delete(doc);
		api_reply_row(r, rep, 201, st->c->not_found);
		return;
	}
	snprintf(st->id, sizeof st->id, "%s", id);
	cJSON_Delete(doc);
	const char *p[] = {st->id};
	api_query_or_reply(r, st->c->then, 1, p, on_then);
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
		create_reply_saved(r, rep, 201, st->c->not_found, st->c->uniques);
		return;
	}
	if (idem_reply_unless_created(r, &st->idem, rep))
		return;
	if (st->c->then && PQntuples(rep->res) == 1 && !PQgetisnull(rep->res, 0, 0))
		then_or_reply(r, rep);
	else
		api_reply_row(r, rep, 201, st->c->not_found);
}

static void create_state_free(void *arg)
{
	struct create_state *st = arg;
	free(st->body);
	free(st);
}

void create_or_reply(struct api_req *r, const struct create_spec *c, int nparams,
                             const char *const *params)
{
	size_t size = 0;
	if (nparams < 0 || nparams > CREATE_MAX_PARAMS - 3)
		abort(); /* a handler's constant */
	for (int i = 0; i < nparams; i++)
		size += params[i] ? strlen(params[i]) + 1 : 0;
	struct create_state *st = api_req_new_state_or_reply(r, sizeof *st + size, create_state_free);
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
