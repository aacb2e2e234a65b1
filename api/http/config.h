/* config.h — server configuration from environment variables, one declarative table. */
#ifndef WMS_API_CONFIG_H
#define WMS_API_CONFIG_H

#include <stddef.h>
#include <stdio.h>

struct config {
	char listen_host[64];      /* WMS_LISTEN host part */
	int listen_port;           /* WMS_LISTEN port part */
	char database_url[1024];   /* DATABASE_URL */
	int db_pool;               /* WMS_DB_POOL connections */
	int db_pipeline;           /* WMS_DB_PIPELINE queries in flight per connection */
	int db_queue;              /* WMS_DB_QUEUE waiting queries before 503 */
	int db_statement_timeout_ms;
	long max_body;             /* WMS_MAX_BODY bytes */
	long max_headers;          /* WMS_MAX_HEADERS bytes */
	int timeout_s;             /* WMS_TIMEOUT read/write seconds */
	int request_timeout_s;     /* WMS_REQUEST_TIMEOUT: a request's head and body, seconds */
	int max_connections;       /* WMS_MAX_CONNECTIONS, -1 = auto (conn_default_max()) */
	char log_level[16];        /* WMS_LOG_LEVEL */
	int auth_cache_ttl_s;      /* WMS_AUTH_CACHE_TTL */
	int shutdown_grace_s;      /* WMS_SHUTDOWN_GRACE */
	int workers;               /* WMS_WORKERS quote threads, 0 = in the loop, -1 = auto
	                            * (workers_auto_count()) */
	int worker_queue;          /* WMS_WORKER_QUEUE waiting quotes before 503 */
	int quote_memo;            /* WMS_QUOTE_MEMO: 1 on, 0 off */
	int storage_accrual_minute; /* WMS_STORAGE_ACCRUAL_AT: minutes after 00:00 UTC, -1 = off */
	int buyer_protection_s;    /* WMS_BUYER_PROTECTION: seconds after a carrier's delivery */
	int escrow_release_every_s; /* WMS_ESCROW_RELEASE_EVERY: seconds between runs, 0 = off */
	int webhook_tolerance_s;   /* WMS_WEBHOOK_TOLERANCE: webhook-timestamp skew, seconds */
	int event_poll_ms;         /* WMS_EVENTS_POLL_MS: outbox look interval, 0 = off */
	int event_timeout_s;       /* WMS_EVENTS_TIMEOUT: one delivery's deadline, seconds */
	int event_retry_pct;       /* WMS_EVENTS_RETRY_SCALE: % of the retry schedule's delays */
};

/* Looks up one variable; a test passes its own to avoid touching environ. */
typedef const char *config_getenv_fn(const char *name);

/* Fills cfg from the defaults and then the variables read by get (getenv when
 * NULL). DATABASE_URL, when unset, is the private cluster in var/pg of the
 * current directory when there is one (config_local_cluster), else its
 * default. Returns 0, or -1 with a message naming the variable in err. */
int config_load(struct config *cfg, config_getenv_fn *get, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* The connection string of the private cluster that `make run` keeps in dir
 * (sql/pgcluster.sh: socket directory dir/sock, port 5432, database wms, the
 * superuser named after the owner of dir/data), when dir holds one (it has
 * data/PG_VERSION). A relative dir is taken from the current directory.
 * Returns 0 with a key=value string in url, or -1 when there is no cluster
 * there or the string does not fit in len. */
int config_local_cluster(const char *dir, char *url, size_t len) __attribute__((warn_unused_result));

/* Prints the table (name, default, help) for --help. */
void config_usage(FILE *out);

#endif
