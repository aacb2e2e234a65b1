/* accrue.c — storage accrual: pricing a day's stock (accrue_rows), the
 * `wmsd accrue-storage` command (blocking libpq) and the server's daily
 * timer (the non-blocking pool). Both run the same two statements: read the
 * day's stock and versions (storage_accrual_input), then insert every line in
 * one statement (FEES_LEDGER_INSERT). */
#include "api/fees/accrue.h"

#include <event2/event.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/http/config.h"
#include "api/db/db.h"
#include "api/fees/fees_load.h"
#include "api/fees/fees_post.h"
#include "api/http/jsonv.h"
#include "api/http/log.h"
#include "api/http/instant.h"

#define RETRY_S 600 /* a failed timer run is retried after this long */

DB_STMT(stmt_input) = {
	"accrue_input", "SELECT storage_accrual_input($1::date)"};

DB_STMT(stmt_insert) = {
	"accrue_insert",
	"WITH ins AS (" FEES_LEDGER_INSERT("$1", "true") ") SELECT count(*) FROM ins"};

/*
 * Prices one seller × warehouse × mode group and appends its line (if any)
 * to rows. The group's line number is 1 + its mode's number, the same on
 * every run. Returns 1 when a line was written, 0 when none arose, -1 with
 * err filled.
 */
static int price_group(const cJSON *g, const struct fees_versions *v, const char *date,
                       cJSON *rows, char *err, size_t errlen)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(g, "items"), *it;
	const struct fee_policy *policy;
	const struct fee_schedule *schedule;
	struct fee_storage_item *items = NULL;
	struct fee_line line;
	struct fee_error fe;
	enum fee_mode mode;
	size_t n = 0, n_lines = 0;
	char event_id[64], at[INSTANT_TEXT];
	int rc = -1;

	if (fee_mode_parse(fees_json_str(g, "mode"), &mode) != 0 || !cJSON_IsArray(arr)) {
		snprintf(err, errlen, "storage accrual input: bad group");
		return -1;
	}
	if (fees_versions_pick(v, mode, &policy, &schedule, err, errlen) != 0)
		return -1;
	if (!(items = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *items))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	cJSON_ArrayForEach(it, arr)
	{
		struct fee_storage_item *x = &items[n++];
		x->sku = fees_json_str(it, "sku");
		x->units = fees_json_count(it, "units");
		x->unit_volume_mm3 = fees_json_count(it, "volume_mm3");
		x->days_in_stock = fees_json_count(it, "days");
		if (x->units < 0 || x->unit_volume_mm3 < 0 || x->days_in_stock < 0) {
			snprintf(err, errlen, "storage accrual input: bad counts for SKU %.64s", x->sku);
			goto done;
		}
	}
	struct fee_event ev = {.kind = FEE_EVENT_STORAGE_DAY, .at = v->at};
	ev.storage.items = items;
	ev.storage.n_items = n;
	if (fee_compute(policy, schedule, &ev, &line, 1, &n_lines, &fe) != 0) {
		snprintf(err, errlen, "storage %s for seller %s: %s", date,
		         fees_json_str(g, "seller_id"), fe.msg);
		goto done;
	}
	snprintf(event_id, sizeof event_id, "%s:%s", fees_json_str(g, "warehouse_id"), date);
	instant_format(v->at * INSTANT_US, at);
	struct fees_post_event pe = {
		.seller_id = fees_json_str(g, "seller_id"),
		.warehouse_id = fees_json_str(g, "warehouse_id"),
		.event_type = "storage_day",
		.event_id = event_id,
		.event_at = at,
		.mode = mode,
	};
	if (fees_post_append(rows, &pe, &line, n_lines, 1 + (int)mode, NULL) != 0) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	rc = n_lines > 0;
done:
	free(items);
	return rc;
}

char *accrue_rows(const char *input, struct accrue_result *res, char *err, size_t errlen)
{
	char *out = NULL;
	struct fees_versions v = {0};
	cJSON *rows = NULL, *in = cJSON_Parse(input ? input : "");
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(in, "groups"), *g;
	const char *date = fees_json_str(in, "date");

	memset(res, 0, sizeof *res);
	if (!cJSON_IsObject(in) || !cJSON_IsArray(groups) || strlen(date) != 10) {
		snprintf(err, errlen, "storage accrual input is not storage_accrual_input()'s object");
		goto done;
	}
	res->unattributed = (long)fees_json_count(in, "unattributed");
	res->already_charged = (long)fees_json_count(in, "already_charged");
	if (fees_versions_from_json(cJSON_GetObjectItemCaseSensitive(in, "versions"), &v, err,
	                            errlen) != 0)
		goto done;
	if (!(rows = cJSON_CreateArray())) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(g, groups)
	{
		int got = price_group(g, &v, date, rows, err, errlen);
		if (got < 0)
			goto done;
		res->groups++;
		res->lines += got;
	}
	if (!(out = cJSON_PrintUnformatted(rows)))
		snprintf(err, errlen, "out of memory");
done:
	cJSON_Delete(rows);
	cJSON_Delete(in);
	fees_versions_free(&v);
	return out;
}

/* The UTC date of t shifted by days, as YYYY-MM-DD. */
static void utc_date(time_t t, int days, char out[11])
{
	struct tm tm;
	t += (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void print_result(FILE *out, const char *date, const struct accrue_result *res,
                         long long inserted)
{
	fprintf(out,
	        "storage %s: %d seller-warehouse-mode groups priced, %d lines built, %lld posted; "
	        "%ld seller-warehouses already charged; %ld SKU stocks without an inbound shipment "
	        "(not charged)\n",
	        date, res->groups, res->lines, inserted, res->already_charged, res->unattributed);
}

/* One blocking statement with one parameter; returns its first value
 * (malloc'd) or NULL with err filled. */
static char *exec1(PGconn *c, const struct db_stmt *st, const char *param, char *err,
                   size_t errlen)
{
	const char *p[] = {param};
	char *v = NULL;
	PGresult *res = PQexecParams(c, st->sql, 1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
	else if (!(v = strdup(PQgetvalue(res, 0, 0))))
		snprintf(err, errlen, "out of memory");
	PQclear(res);
	return v;
}

int accrue_main(const char *conninfo, int argc, char **argv)
{
	char date[11], today[11], err[512] = "";
	char *input = NULL, *rows = NULL, *count = NULL;
	struct accrue_result res;
	int rc = 1;
	int64_t day;
	PGconn *c = NULL;

	utc_date(time(NULL), 0, today);
	utc_date(time(NULL), -1, date);
	if (argc == 2 && strcmp(argv[0], "--date") == 0 && strlen(argv[1]) == 10) {
		memcpy(date, argv[1], 11);
	} else if (argc != 0) {
		fprintf(stderr, "usage: wmsd accrue-storage [--date YYYY-MM-DD]"
		                "   (default: yesterday, UTC)\n");
		return 2;
	}
	if (instant_parse_date(date, &day) != 0 || strcmp(date, today) >= 0) {
		fprintf(stderr, "wmsd accrue-storage: --date must be a calendar date before today (%s, "
		                "UTC): a day is charged once it has ended\n", today);
		return 2;
	}
	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "wmsd accrue-storage: %s", PQerrorMessage(c));
		goto done;
	}
	if (!(input = exec1(c, &stmt_input, date, err, sizeof err)) ||
	    !(rows = accrue_rows(input, &res, err, sizeof err)) ||
	    !(count = exec1(c, &stmt_insert, rows, err, sizeof err))) {
		fprintf(stderr, "wmsd accrue-storage %s: %s\n", date, err);
		goto done;
	}
	print_result(stdout, date, &res, atoll(count));
	rc = 0;
done:
	free(count);
	free(rows);
	free(input);
	PQfinish(c);
	return rc;
}

/* ---- the daily timer ------------------------------------------------------ */

struct accrue_timer {
	struct api_app *app;
	struct event *ev;
	char date[11];             /* the day being accrued */
	struct accrue_result res;
};

/* Seconds from now until the next minute-of-day m (UTC), at least 1. */
static long until_next(int m)
{
	time_t now = time(NULL);
	long sec = (long)(now % 86400), target = (long)m * 60;
	long wait = target - sec;
	return wait > 0 ? wait : wait + 86400;
}

static void arm(struct accrue_timer *t, long seconds)
{
	struct timeval tv = {seconds, 0};
	event_add(t->ev, &tv);
}

/* A failed run: retry later unless the next day's run comes first. */
static void failed(struct accrue_timer *t, const char *what, const char *why)
{
	long next = until_next(t->app->cfg->storage_accrual_minute);
	log_error("storage accrual %s: %s: %s; retrying in %d s", t->date, what, why ? why : "?",
	          next < RETRY_S ? (int)next : RETRY_S);
	arm(t, next < RETRY_S ? next : RETRY_S);
}

static void on_inserted(void *arg, const struct db_reply *rep)
{
	struct accrue_timer *t = arg;
	if (rep->outcome != DB_OK || PQntuples(rep->res) != 1) {
		failed(t, "posting", rep->message);
		return;
	}
	log_info("storage accrual %s: %d groups, %d lines, %s posted, %ld already charged, %ld "
	         "unattributed",
	         t->date, t->res.groups, t->res.lines, PQgetvalue(rep->res, 0, 0),
	         t->res.already_charged, t->res.unattributed);
	arm(t, until_next(t->app->cfg->storage_accrual_minute));
}

static void on_input(void *arg, const struct db_reply *rep)
{
	struct accrue_timer *t = arg;
	char err[256] = "";
	char *rows = NULL;
	if (rep->outcome != DB_OK || PQntuples(rep->res) != 1) {
		failed(t, "reading stock", rep->message);
		return;
	}
	if (!(rows = accrue_rows(PQgetvalue(rep->res, 0, 0), &t->res, err, sizeof err))) {
		failed(t, "pricing", err);
		return;
	}
	const char *p[] = {rows};
	if (db_query(t->app->db, &stmt_insert, 1, p, on_inserted, t) != DB_SUBMIT_OK)
		failed(t, "posting", "the database is unavailable");
	free(rows);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct accrue_timer *t = arg;
	if (t->app->stopping)
		return;
	utc_date(time(NULL), -1, t->date);
	const char *p[] = {t->date};
	if (db_query(t->app->db, &stmt_input, 1, p, on_input, t) != DB_SUBMIT_OK)
		failed(t, "reading stock", "the database is unavailable");
}

struct accrue_timer *accrue_timer_start(struct api_app *app)
{
	int m = app->cfg->storage_accrual_minute;
	if (m < 0) {
		log_info("storage accrual timer off (WMS_STORAGE_ACCRUAL_AT=off)");
		return NULL;
	}
	struct accrue_timer *t = calloc(1, sizeof *t);
	if (!t || !(t->ev = evtimer_new(app->base, on_timer, t))) {
		log_error("storage accrual timer: out of memory; run wmsd accrue-storage instead");
		free(t);
		return NULL;
	}
	t->app = app;
	arm(t, until_next(m));
	return t;
}

void accrue_timer_free(struct accrue_timer *t)
{
	if (!t)
		return;
	event_free(t->ev);
	free(t);
}
