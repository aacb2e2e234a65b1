/* th.c — integration harness: server process, HTTP client, SQL, keys. */
#include "tests/harness/th.h"

#include <check.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/cli/keys.h"

struct th_server th_srv;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "harness: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(3);
}

static struct th_resp *request(const char *base, const char *method, const char *path,
                               const char *key, const char *body, const char *ctype,
                               const char *extra);

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || getsockname(fd, (struct sockaddr *)&a, &len))
		die("no free port");
	close(fd);
	return ntohs(a.sin_port);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* th_server_run with the child's RLIMIT_NOFILE set to nofile (0: unchanged). */
static void run_limited(struct th_server *s, const char *const *argv, const char *const *env,
                        long nofile)
{
	char cmd[1024];
	memset(s, 0, sizeof *s);
	s->port = free_port();
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
	snprintf(s->log, sizeof s->log, "/tmp/wmsd-test-%d-%d.log", (int)getpid(), s->port);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char listen[64];
		snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
		setenv("WMS_LISTEN", listen, 1);
		if (!getenv("WMS_LOG_LEVEL"))
			setenv("WMS_LOG_LEVEL", "warn", 1);
		for (int i = 0; env && env[i]; i++) {
			if (strchr(env[i], '='))
				putenv((char *)env[i]);
			else
				unsetenv(env[i]);
		}
		int fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(126);
		close(fd);
		struct rlimit lim = {(rlim_t)nofile, (rlim_t)nofile};
		if (nofile > 0 && setrlimit(RLIMIT_NOFILE, &lim) != 0)
			_exit(125);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	s->pid = pid;
	for (int i = 0; i < 1200; i++) {
		struct th_resp *r = request(s->base, "GET", "/healthz", NULL, NULL, NULL, NULL);
		long st = r->status;
		th_resp_free(r);
		if (st == 200)
			return;
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			s->pid = 0;
			snprintf(cmd, sizeof cmd, "cat %s >&2", s->log);
			if (system(cmd)) {}
			die("%s exited at start", argv[0]);
		}
		sleep_ms(50);
	}
	die("%s did not answer /healthz", argv[0]);
}

void th_server_run(struct th_server *s, const char *const *argv, const char *const *env)
{
	run_limited(s, argv, env, 0);
}

void th_server_start_nofile(struct th_server *s, const char *const *env, long nofile)
{
	const char *wmsd = getenv("WMSD");
	if (!wmsd)
		die("WMSD is not set");
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s migrate >/dev/null", wmsd);
	if (system(cmd) != 0)
		die("wmsd migrate failed");
	const char *const argv[] = {wmsd, "serve", NULL};
	run_limited(s, argv, env, nofile);
}

void th_server_start(struct th_server *s, const char *const *env)
{
	th_server_start_nofile(s, env, 0);
}

int th_server_stop(struct th_server *s)
{
	int status = 0;
	if (s->pid <= 0)
		return 0;
	kill(s->pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				unlink(s->log);
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		sleep_ms(50);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	return -1;
}

void th_setup(void) { th_server_start(&th_srv, NULL); }

void th_teardown(void)
{
	int rc = th_server_stop(&th_srv);
	if (rc != 0)
		fprintf(stderr, "harness: wmsd exited with %d (log %s)\n", rc, th_srv.log);
}

struct buf {
	char *p;
	size_t n;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;
	char *p = realloc(b->p, b->n + n + 1);
	if (!p)
		return 0;
	memcpy(p + b->n, data, n);
	b->p = p;
	b->n += n;
	p[b->n] = '\0';
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct th_resp *r = arg;
	size_t n = size * nmemb, have = strlen(r->headers);
	if (have + n + 1 < sizeof r->headers) {
		memcpy(r->headers + have, data, n);
		r->headers[have + n] = '\0';
	}
	return n;
}

static struct th_resp *request(const char *base, const char *method, const char *path,
                               const char *key, const char *body, const char *ctype,
                               const char *extra)
{
	struct th_resp *r = calloc(1, sizeof *r);
	struct buf b = {NULL, 0};
	char url[1024], auth[512], ct[256];
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	if (!r || !c)
		die("out of memory");
	snprintf(url, sizeof url, "%s%s", base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (key) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
		h = curl_slist_append(h, auth);
	}
	if (body) {
		snprintf(ct, sizeof ct, "Content-Type: %s", ctype ? ctype : "application/json");
		h = curl_slist_append(h, ct);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	h = curl_slist_append(h, "Expect:");
	for (const char *x = extra; x && *x;) { /* header lines separated by '\n' */
		char line[1024];
		size_t n = strcspn(x, "\n");
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), x);
		h = curl_slist_append(h, line);
		x += n + (x[n] == '\n');
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	if (curl_easy_perform(c) == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
		char *t = NULL;
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &t);
		if (t)
			snprintf(r->ctype, sizeof r->ctype, "%s", t);
	}
	r->body = b.p ? b.p : calloc(1, 1);
	r->len = b.n;
	r->json = cJSON_Parse(r->body);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return r;
}

struct th_resp *th_req(const char *method, const char *path, const char *key, const char *body,
                       const char *ctype, const char *extra)
{
	return request(th_srv.base, method, path, key, body, ctype, extra);
}

struct th_resp *th_reqf(const char *method, const char *path, const char *key, const char *fmt, ...)
{
	char *body = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	struct th_resp *r = th_req(method, path, key, body, NULL, NULL);
	free(body);
	return r;
}

struct th_resp *th_call(const char *method, const char *key, const char *body, const char *pathfmt,
                        ...)
{
	char path[512];
	va_list ap;
	va_start(ap, pathfmt);
	vsnprintf(path, sizeof path, pathfmt, ap);
	va_end(ap);
	return th_req(method, path, key, body, NULL, NULL);
}

void th_expect(struct th_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
	ck_assert_int_eq(r->status, status);
	th_resp_free(r);
}

int th_problem(struct th_resp *r, long status, const char *field, const char *code)
{
	int ok = th_is_problem(r, status) && (!field || th_has_field_error(r, field));
	const cJSON *e;
	if (ok && code) {
		ok = 0;
		cJSON_ArrayForEach(e, th_at(r->json, "errors"))
		{
			const char *f = th_str(e, "field"), *c = th_str(e, "code");
			ok |= f && c && strcmp(f, field) == 0 && strcmp(c, code) == 0;
		}
	}
	if (!ok)
		fprintf(stderr, "wanted %ld %s/%s in: %s\n", status, field ? field : "-",
		        code ? code : "-", r->body);
	th_resp_free(r);
	return ok;
}

void th_resp_free(struct th_resp *r)
{
	if (!r)
		return;
	cJSON_Delete(r->json);
	free(r->body);
	free(r);
}

const char *th_header(const struct th_resp *r, const char *name)
{
	static char value[512];
	size_t n = strlen(name);
	for (const char *l = r->headers; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncasecmp(l, name, n) == 0 && l[n] == ':') {
			const char *v = l + n + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			if (len >= sizeof value)
				len = sizeof value - 1;
			memcpy(value, v, len);
			value[len] = '\0';
			return value;
		}
	}
	return NULL;
}

const cJSON *th_at(const cJSON *j, const char *path)
{
	char part[128];
	while (j && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof part)
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		if (cJSON_IsArray(j)) {
			char *end;
			long i = strtol(part, &end, 10);
			j = *end ? NULL : cJSON_GetArrayItem(j, (int)i);
		} else {
			j = cJSON_GetObjectItemCaseSensitive(j, part);
		}
		path += n + (path[n] == '.');
	}
	return j;
}

const char *th_str(const cJSON *j, const char *path)
{
	const cJSON *x = th_at(j, path);
	return cJSON_IsString(x) ? x->valuestring : NULL;
}

double th_num(const cJSON *j, const char *path, double def)
{
	const cJSON *x = th_at(j, path);
	return cJSON_IsNumber(x) ? x->valuedouble : def;
}

/* Connections a forked process inherited from its parents: never used (their sockets are
 * the parents'), kept reachable so that LeakSanitizer does not report them. */
static PGconn *inherited[8];
static int n_inherited;

static PGconn *db(void)
{
	static PGconn *conn;
	static pid_t owner;
	if (conn && owner == getpid() && PQstatus(conn) == CONNECTION_OK)
		return conn;
	if (conn && owner != getpid() && n_inherited < 8)
		inherited[n_inherited++] = conn;
	conn = PQconnectdb(getenv("DATABASE_URL"));
	owner = getpid();
	if (PQstatus(conn) != CONNECTION_OK)
		die("database: %s", PQerrorMessage(conn));
	PQclear(PQexec(conn, "SET client_min_messages = warning"));
	return conn;
}

/* Runs sql with n text parameters (PQexec when n is 0, which allows several
 * statements); aborts unless it succeeds. The caller PQclears the result. */
static PGresult *exec(const char *sql, int n, const char *const *params)
{
	PGresult *res = n ? PQexecParams(db(), sql, n, NULL, params, NULL, NULL, 0) : PQexec(db(), sql);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		die("SQL failed: %s\n%s", PQresultErrorMessage(res), sql);
	return res;
}

void th_sql(const char *sql)
{
	th_sqlv(sql, 0, NULL);
}

void th_sqlv(const char *sql, int n, const char *const *params)
{
	PQclear(exec(sql, n, params));
}

const char *th_sql_value(const char *sql)
{
	return th_sql_valuev(sql, 0, NULL);
}

/* The first value of res's first row ("" for none) in a static buffer;
 * aborts unless res is a result set. Clears res. */
static const char *first_value(PGresult *res, const char *sql)
{
	static char value[4096];
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("SQL returns no result set: %s", sql);
	snprintf(value, sizeof value, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return value;
}

const char *th_sql_valuev(const char *sql, int n, const char *const *params)
{
	return first_value(exec(sql, n, params), sql);
}

/* exec() with the NULL-terminated parameter list ap. */
static PGresult *execp(const char *sql, va_list ap)
{
	const char *p[TH_SQL_MAXP];
	int n = 0;
	for (const char *v; (v = va_arg(ap, const char *)) != NULL; p[n++] = v)
		if (n == TH_SQL_MAXP)
			die("more than %d parameters: %s", TH_SQL_MAXP, sql);
	return exec(sql, n, p);
}

void th_sqlp(const char *sql, ...)
{
	va_list ap;
	va_start(ap, sql);
	PQclear(execp(sql, ap));
	va_end(ap);
}

const char *th_sql_valuep(const char *sql, ...)
{
	va_list ap;
	va_start(ap, sql);
	PGresult *res = execp(sql, ap);
	va_end(ap);
	return first_value(res, sql);
}

void th_sql_copyp(char *dst, size_t size, const char *sql, ...)
{
	va_list ap;
	va_start(ap, sql);
	PGresult *res = execp(sql, ap);
	va_end(ap);
	const char *v = first_value(res, sql);
	size_t len = strlen(v);
	if (len >= size)
		die("SQL value of %zu bytes does not fit %zu: %s", len, size, sql);
	memcpy(dst, v, len + 1);
}

char *th_sql_textp(const char *sql, ...)
{
	va_list ap;
	va_start(ap, sql);
	PGresult *res = execp(sql, ap);
	va_end(ap);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("SQL returns no result set: %s", sql);
	char *text = strdup(PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	if (!text)
		die("out of memory");
	return text;
}

const char *th_int(char buf[24], long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}

const char *th_key(enum auth_role role, const char *scope)
{
	static char key[AUTH_KEY_LEN + 1];
	char id[37], err[256];
	if (keys_create(db(), role, scope, "test", key, id, err, sizeof err) != 0)
		die("key: %s", err);
	return key;
}

const char *th_code(const char *prefix)
{
	static char code[64];
	static unsigned n;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(code, sizeof code, "%s-%X%X", prefix,
	         (unsigned)(ts.tv_nsec ^ (unsigned)getpid() << 12) & 0xFFFFFF, ++n);
	return code;
}

int th_is_problem(const struct th_resp *r, long status)
{
	int ok = r->status == status && strncmp(r->ctype, "application/problem+json", 24) == 0 &&
	         th_num(r->json, "status", 0) == status && th_str(r->json, "type") &&
	         th_str(r->json, "title");
	if (!ok)
		fprintf(stderr, "expected problem %ld, got %ld %s: %s\n", status, r->status, r->ctype,
		        r->body);
	return ok;
}

int th_has_field_error(const struct th_resp *r, const char *field)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, th_at(r->json, "errors"))
	{
		const char *f = th_str(e, "field");
		if (f && strcmp(f, field) == 0)
			return 1;
	}
	fprintf(stderr, "no error for field %s in: %s\n", field, r->body);
	return 0;
}

void th_twins(struct th_resp *(*send)(void *arg), void *arg, long status[2], char id[2][40])
{
	int go[2], out[2];
	pid_t kids[2];
	ck_assert(pipe(go) == 0 && pipe(out) == 0);
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		ck_assert(kids[k] >= 0);
		if (kids[k] == 0) {
			char c, line[128];
			close(go[1]);
			if (read(go[0], &c, 1) != 1)
				_exit(2);
			struct th_resp *r = send(arg);
			const char *rid = r->status == 201 ? th_str(r->json, "id") : NULL;
			int n = snprintf(line, sizeof line, "%ld %s\n", r->status, rid ? rid : "-");
			_exit(write(out[1], line, (size_t)n) == n ? 0 : 3);
		}
	}
	close(go[0]);
	close(out[1]);
	ck_assert(write(go[1], "gg", 2) == 2);
	close(go[1]);
	for (int k = 0; k < 2; k++) {
		int st;
		ck_assert(waitpid(kids[k], &st, 0) == kids[k]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	char buf[512] = "";
	ssize_t n = read(out[0], buf, sizeof buf - 1);
	close(out[0]);
	ck_assert(n > 0);
	ck_assert_msg(sscanf(buf, "%ld %39s %ld %39s", &status[0], id[0], &status[1], id[1]) == 4,
	              "twins answered: %s", buf);
}

long long th_rows_total(void)
{
	return atoll(th_sql_value(
		"SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',"
		" schemaname, tablename), false, true, '')))[1]::text::bigint) FROM pg_tables"
		" WHERE schemaname = 'public'"));
}
