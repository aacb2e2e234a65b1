/* escrow_release.c — settling delivered orders whose buyer-protection window ended
 * (escrow_release.h): read the due orders, then settle them one after another. */
#include "api/outbound/escrow_release.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/db/db.h"
#include "api/http/config.h"
#include "api/http/instant.h"
#include "api/http/log.h"
#include "api/outbound/settle_run.h"

#define DUE_MAX 100

/* $1 now. Delivered orders whose window ended, their escrow still held, oldest first. */
DB_STMT(stmt_due) = {
	"escrow_release_due",
	"SELECT id::text FROM orders WHERE state = 'delivered' AND escrow = 'held'"
	" AND protection_until <= $1::timestamptz ORDER BY protection_until, id LIMIT 100"};

struct escrow_release {
	struct api_app *app;
	struct event *ev;
	char ids[DUE_MAX][37];
	int n, next;
	int released;
};

static void arm(struct escrow_release *t, int seconds)
{
	struct timeval tv = {seconds, 0};
	event_add(t->ev, &tv);
}

static void settle_next(struct escrow_release *t);

static void on_settled(void *arg, const struct settle_run_result *res)
{
	struct escrow_release *t = arg;
	const char *id = t->ids[t->next - 1];
	switch (res->kind) {
	case SETTLE_RUN_OK:
		t->released++;
		log_info("escrow of order %s released: its buyer-protection window ended", id);
		break;
	case SETTLE_RUN_NOT_FOUND:
	case SETTLE_RUN_WRONG_STATE:
		log_debug("escrow of order %s: settled before (the buyer confirmed)", id);
		break;
	case SETTLE_RUN_PROBLEM:
		log_warn("escrow of order %s not released: %s", id, res->detail);
		if (res->problem == PROBLEM_UNAVAILABLE || res->problem == PROBLEM_OVERLOADED) {
			t->n = 0; /* the database is away: look again at the next run */
			arm(t, t->app->cfg->escrow_release_every_s);
			return;
		}
		break;
	case SETTLE_RUN_DB_ERROR:
		log_error("escrow of order %s not released: %s", id,
		          res->rep->message ? res->rep->message : "?");
		break;
	}
	settle_next(t);
}

static void settle_next(struct escrow_release *t)
{
	if (t->app->stopping || t->next >= t->n) {
		if (t->released)
			log_info("escrow release: %d of %d due orders released", t->released, t->n);
		/* a full page: more may be due at once */
		if (!t->app->stopping)
			arm(t, t->n == DUE_MAX ? 1 : t->app->cfg->escrow_release_every_s);
		return;
	}
	const char *id = t->ids[t->next++];
	settle_run_start(t->app->db, id, NULL, (int64_t)time(NULL) * INSTANT_US, on_settled, t);
}

static void on_due(void *arg, const struct db_reply *rep)
{
	struct escrow_release *t = arg;
	if (rep->outcome != DB_OK) {
		log_warn("escrow release: cannot read the due orders: %s",
		         rep->message ? rep->message : "?");
		if (!t->app->stopping)
			arm(t, t->app->cfg->escrow_release_every_s);
		return;
	}
	t->n = PQntuples(rep->res) < DUE_MAX ? PQntuples(rep->res) : DUE_MAX;
	t->next = 0;
	t->released = 0;
	for (int i = 0; i < t->n; i++)
		snprintf(t->ids[i], sizeof t->ids[i], "%s", PQgetvalue(rep->res, i, 0));
	settle_next(t);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct escrow_release *t = arg;
	char now[INSTANT_TEXT];
	if (t->app->stopping)
		return;
	instant_format((int64_t)time(NULL) * INSTANT_US, now);
	const char *p[] = {now};
	if (db_query(t->app->db, &stmt_due, 1, p, on_due, t) != DB_SUBMIT_OK)
		arm(t, t->app->cfg->escrow_release_every_s);
}

struct escrow_release *escrow_release_start(struct api_app *app)
{
	if (app->cfg->escrow_release_every_s <= 0) {
		log_info("escrow release off (WMS_ESCROW_RELEASE_EVERY=0)");
		return NULL;
	}
	struct escrow_release *t = calloc(1, sizeof *t);
	if (!t || !(t->ev = evtimer_new(app->base, on_timer, t))) {
		log_error("escrow release: out of memory; delivered escrows wait for the buyer");
		free(t);
		return NULL;
	}
	t->app = app;
	arm(t, 1);
	return t;
}

void escrow_release_free(struct escrow_release *t)
{
	if (!t)
		return;
	event_free(t->ev);
	free(t);
}
