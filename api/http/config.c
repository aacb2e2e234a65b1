/* config.c — the configuration table: every environment variable wmsd reads,
 * with its type, default, bounds and help text, in one place. */
#include "api/http/config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/http/log.h"

/* CF_DATABASE is a CF_STR whose unset value is the private cluster in LOCAL_CLUSTER when
 * there is one (see config_local_cluster), else the default. */
enum cf_type { CF_INT, CF_INT_AUTO, CF_LONG, CF_STR, CF_DATABASE, CF_LISTEN, CF_LOGLEVEL, CF_HHMM,
               CF_ONOFF };

#define LOCAL_CLUSTER "var/pg"

struct cf_entry {
	const char *name;
	enum cf_type type;
	const char *dflt;
	long min, max;   /* CF_INT / CF_INT_AUTO / CF_LONG bounds */
	size_t offset;   /* into struct config */
	size_t size;     /* CF_STR buffer size */
	const char *help;
};

#define CF_FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct cf_entry table[] = {
	{"WMS_LISTEN", CF_LISTEN, "127.0.0.1:8080", 0, 0, CF_FIELD(listen_host),
	 "address:port to serve HTTP on"},
	{"DATABASE_URL", CF_DATABASE, "postgresql:///wms", 0, 0, CF_FIELD(database_url),
	 "libpq connection URI or key=value string; unset: the private cluster of `make run` "
	 "in " LOCAL_CLUSTER " of the current directory when there is one, else the default"},
	{"WMS_DB_POOL", CF_INT, "8", 1, 256, CF_FIELD(db_pool), "database connections"},
	{"WMS_DB_PIPELINE", CF_INT, "4", 1, 64, CF_FIELD(db_pipeline),
	 "queries in flight per database connection (pipelined, each its own transaction)"},
	{"WMS_DB_QUEUE", CF_INT, "1024", 0, 1000000, CF_FIELD(db_queue),
	 "queries allowed to wait for a connection before answering 503"},
	{"WMS_DB_STATEMENT_TIMEOUT_MS", CF_INT, "10000", 0, 3600000,
	 CF_FIELD(db_statement_timeout_ms), "statement_timeout for every query (0 = none)"},
	{"WMS_MAX_BODY", CF_LONG, "1048576", 1024, 1L << 30, CF_FIELD(max_body),
	 "largest request body in bytes (413 above)"},
	{"WMS_MAX_HEADERS", CF_LONG, "16384", 1024, 1L << 20, CF_FIELD(max_headers),
	 "largest request header block in bytes"},
	{"WMS_TIMEOUT", CF_INT, "30", 1, 3600, CF_FIELD(timeout_s),
	 "read and write timeout of a connection, seconds (also how long a keep-alive connection may "
	 "idle)"},
	{"WMS_REQUEST_TIMEOUT", CF_INT, "10", 1, 3600, CF_FIELD(request_timeout_s),
	 "seconds a request's head and body may take to arrive, counted from its first byte (from "
	 "the accept for a connection's first request); later is 408 and the connection closes"},
	{"WMS_MAX_CONNECTIONS", CF_INT_AUTO, "auto", 1, 1000000, CF_FIELD(max_connections),
	 "open connections at most; at the limit new ones wait in the listen backlog (auto = "
	 "RLIMIT_NOFILE less WMS_DB_POOL and 32 descriptors for the server itself)"},
	{"WMS_LOG_LEVEL", CF_LOGLEVEL, "info", 0, 0, CF_FIELD(log_level),
	 "error, warn, info (one line per request) or debug"},
	{"WMS_AUTH_CACHE_TTL", CF_INT, "30", 0, 3600, CF_FIELD(auth_cache_ttl_s),
	 "seconds a verified API key is cached (revocation clears caches at once)"},
	{"WMS_SHUTDOWN_GRACE", CF_INT, "30", 0, 3600, CF_FIELD(shutdown_grace_s),
	 "seconds to wait for in-flight requests on SIGTERM"},
	{"WMS_WORKERS", CF_INT_AUTO, "auto", 0, 64, CF_FIELD(workers),
	 "threads that compute route quotes off the event loop (0 = in the loop; auto = one per "
	 "CPU but the loop's, at least 1)"},
	{"WMS_WORKER_QUEUE", CF_INT, "1024", 1, 1000000, CF_FIELD(worker_queue),
	 "quotes allowed to wait for a worker thread before answering 503"},
	{"WMS_QUOTE_MEMO", CF_ONOFF, "on", 0, 0, CF_FIELD(quote_memo),
	 "on: a quote the engine provably answered before is answered from its memo; off: every "
	 "answer computed (same answers)"},
	{"WMS_STORAGE_ACCRUAL_AT", CF_HHMM, "00:30", 0, 0, CF_FIELD(storage_accrual_minute),
	 "HH:MM (UTC) of the daily storage accrual of the day just ended, or off"},
	{"WMS_BUYER_PROTECTION", CF_INT, "1296000", 0, 31536000, CF_FIELD(buyer_protection_s),
	 "seconds of buyer protection after a carrier's delivery (15 days); then the escrow is "
	 "released with the buyer's confirmation's settlement"},
	{"WMS_ESCROW_RELEASE_EVERY", CF_INT, "60", 0, 86400, CF_FIELD(escrow_release_every_s),
	 "seconds between two looks for delivered orders whose protection window ended (0 = off)"},
	{"WMS_WEBHOOK_TOLERANCE", CF_INT, "300", 1, 86400, CF_FIELD(webhook_tolerance_s),
	 "seconds a carrier webhook's webhook-timestamp may differ from now"},
	{"WMS_EVENTS_POLL_MS", CF_INT, "1000", 0, 3600000, CF_FIELD(event_poll_ms),
	 "milliseconds between two looks into the events outbox (0 = this server delivers none)"},
	{"WMS_EVENTS_TIMEOUT", CF_INT, "10", 1, 300, CF_FIELD(event_timeout_s),
	 "seconds a subscriber has to answer one event delivery"},
	{"WMS_EVENTS_RETRY_SCALE", CF_INT, "100", 1, 10000, CF_FIELD(event_retry_pct),
	 "percent of the retry schedule's delays (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 100)"},
};

/* Parses one value into its field; returns 0 or -1 with err filled. */
static int set_value(struct config *cfg, const struct cf_entry *e, const char *v, char *err,
                     size_t errlen)
{
	char *field = (char *)cfg + e->offset;
	switch (e->type) {
	case CF_INT_AUTO:
		if (strcmp(v, "auto") == 0) {
			*(int *)field = -1;
			return 0;
		}
		/* fall through */
	case CF_INT:
	case CF_LONG: {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || end == v || *end != '\0') {
			snprintf(err, errlen, "%s: \"%s\" is not an integer", e->name, v);
			return -1;
		}
		if (n < e->min || n > e->max) {
			snprintf(err, errlen, "%s: %ld is outside %ld..%ld", e->name, n, e->min, e->max);
			return -1;
		}
		if (e->type != CF_LONG)
			*(int *)field = (int)n;
		else
			*(long *)field = n;
		return 0;
	}
	case CF_STR:
	case CF_DATABASE:
		if (strlen(v) >= e->size) {
			snprintf(err, errlen, "%s: longer than %zu characters", e->name, e->size - 1);
			return -1;
		}
		memcpy(field, v, strlen(v) + 1);
		return 0;
	case CF_LOGLEVEL: {
		enum log_level lv;
		if (log_parse_level(v, &lv) != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not one of error, warn, info, debug", e->name, v);
			return -1;
		}
		snprintf(field, e->size, "%s", v);
		return 0;
	}
	case CF_HHMM: {
		if (strcmp(v, "off") == 0) {
			*(int *)field = -1;
			return 0;
		}
		int ok = strlen(v) == 5 && v[2] == ':';
		for (int i = 0; ok && i < 5; i++)
			ok = i == 2 || (v[i] >= '0' && v[i] <= '9');
		int h = ok ? (v[0] - '0') * 10 + (v[1] - '0') : -1;
		int m = ok ? (v[3] - '0') * 10 + (v[4] - '0') : -1;
		if (h < 0 || h > 23 || m < 0 || m > 59) {
			snprintf(err, errlen, "%s: \"%s\" is not HH:MM (00:00..23:59) or off", e->name, v);
			return -1;
		}
		*(int *)field = h * 60 + m;
		return 0;
	}
	case CF_ONOFF:
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not on or off", e->name, v);
			return -1;
		}
		*(int *)field = strcmp(v, "on") == 0;
		return 0;
	case CF_LISTEN: {
		const char *colon = strrchr(v, ':');
		char *end;
		if (!colon || colon == v || (size_t)(colon - v) >= sizeof cfg->listen_host) {
			snprintf(err, errlen, "%s: \"%s\" is not address:port", e->name, v);
			return -1;
		}
		errno = 0;
		long port = strtol(colon + 1, &end, 10);
		if (errno || end == colon + 1 || *end != '\0' || port < 0 || port > 65535) {
			snprintf(err, errlen, "%s: port in \"%s\" is not 0..65535", e->name, v);
			return -1;
		}
		memcpy(cfg->listen_host, v, (size_t)(colon - v));
		cfg->listen_host[colon - v] = '\0';
		cfg->listen_port = (int)port;
		return 0;
	}
	}
	abort();
}

/* Appends s to out[*n..len) as a single-quoted libpq value ('\'' and '\\' escaped).
 * Returns 0, or -1 when it does not fit. */
static int append_quoted(char *out, size_t len, size_t *n, const char *s)
{
	if (*n + 3 > len) /* the two quotes and the NUL */
		return -1;
	out[(*n)++] = '\'';
	for (; *s; s++) {
		bool escape = *s == '\'' || *s == '\\';
		if (*n + escape + 3 > len) /* the character, the closing quote and the NUL */
			return -1;
		if (escape)
			out[(*n)++] = '\\';
		out[(*n)++] = *s;
	}
	out[(*n)++] = '\'';
	out[*n] = '\0';
	return 0;
}

int config_local_cluster(const char *dir, char *url, size_t len)
{
	char path[PATH_MAX], pwbuf[1024];
	struct stat st;
	struct passwd pw, *owner = NULL;
	size_t n = 0;
	int rc = -1;
	if (snprintf(path, sizeof path, "%s/data/PG_VERSION", dir) >= (int)sizeof path ||
	    access(path, F_OK) != 0)
		return -1;
	path[strlen(path) - strlen("/PG_VERSION")] = '\0';
	if (stat(path, &st) != 0 || getpwuid_r(st.st_uid, &pw, pwbuf, sizeof pwbuf, &owner) != 0 ||
	    !owner)
		return -1;
	char *abs = realpath(dir, NULL);
	if (!abs || snprintf(path, sizeof path, "%s/sock", abs) >= (int)sizeof path)
		goto done;
	n = (size_t)snprintf(url, len, "dbname=wms port=5432 host=");
	if (n >= len || append_quoted(url, len, &n, path) != 0 || n + 6 >= len)
		goto done;
	memcpy(url + n, " user=", 7);
	n += 6;
	rc = append_quoted(url, len, &n, owner->pw_name);
done:
	free(abs);
	return rc;
}

static const char *env_get(const char *name) { return getenv(name); }

int config_load(struct config *cfg, config_getenv_fn *get, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	if (!get)
		get = env_get;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const struct cf_entry *e = &table[i];
		const char *v = get(e->name);
		char local[sizeof cfg->database_url];
		if ((!v || !*v) && e->type == CF_DATABASE &&
		    config_local_cluster(LOCAL_CLUSTER, local, sizeof local) == 0)
			v = local;
		if (!v || !*v)
			v = e->dflt;
		if (set_value(cfg, e, v, err, errlen) != 0)
			return -1;
	}
	return 0;
}

void config_usage(FILE *out)
{
	fprintf(out, "Environment variables:\n");
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		fprintf(out, "  %-28s %s (default: %s)\n", table[i].name, table[i].help, table[i].dflt);
}
