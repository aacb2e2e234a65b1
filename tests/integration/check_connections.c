/* check_connections.c — connections that cannot hold the server hostage, over
 * real sockets against a real wmsd: a request trickled a byte at a time is
 * cut at WMS_REQUEST_TIMEOUT while others are served and idle keep-alive
 * connections stay; running out of descriptors (or reaching
 * WMS_MAX_CONNECTIONS) pauses accepting instead of spinning and flooding the
 * log; what libevent's HTTP parser refuses is answered as problem+json. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness/th.h"

/* Milliseconds on the monotonic clock. */
static double clock_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void pause_ms(int ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* A connected TCP socket to th_srv. */
static int tcp_open(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)th_srv.port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s",
	              strerror(errno));
	return fd;
}

static void tcp_send(int fd, const char *data, size_t len)
{
	ck_assert_int_eq(send(fd, data, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Reads into buf (NUL-terminated, at most size - 1 bytes) for up to
 * timeout_ms, until the peer closes or, when until is given, until the text
 * read contains it. Returns 1 when the peer closed (or reset), else 0. */
static int tcp_read(int fd, char *buf, size_t size, size_t *len, int timeout_ms, const char *until)
{
	double end = clock_ms() + timeout_ms;
	for (;;) {
		buf[*len] = '\0';
		if (until && strstr(buf, until))
			return 0;
		int left = (int)(end - clock_ms());
		struct pollfd p = {fd, POLLIN, 0};
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return 0;
		ssize_t n = recv(fd, buf + *len, size - 1 - *len, 0);
		if (n <= 0)
			return 1;
		*len += (size_t)n;
		if (*len == size - 1)
			return 0;
	}
}

/* True when raw is a whole HTTP response with this status whose body is a
 * problem+json document of the same status; prints raw otherwise. */
static int is_raw_problem(const char *raw, int status)
{
	char line[32];
	snprintf(line, sizeof line, "HTTP/1.1 %d ", status);
	const char *body = strstr(raw, "\r\n\r\n");
	cJSON *doc = body ? cJSON_Parse(body + 4) : NULL;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "status");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(doc, "type");
	int ok = strncmp(raw, line, strlen(line)) == 0 &&
	         strstr(raw, "Content-Type: application/problem+json\r\n") && body &&
	         strstr(raw, "Content-Type") < body && cJSON_IsNumber(st) && st->valueint == status &&
	         cJSON_IsString(type);
	cJSON_Delete(doc);
	if (!ok)
		fprintf(stderr, "wanted a %d problem, got: %s\n", status, raw);
	return ok;
}

/* Half of the trickled requests never finish their head; the other half send
 * a whole head and then trickle the body. */
struct trickle {
	int fd;
	const char *text;
	size_t sent;
	double opened, cut; /* ms; cut 0 while the connection is open */
	char got[1024];
	size_t len;
};

START_TEST(trickled_requests_are_cut_at_the_deadline)
{
	static const char *const env[] = {"WMS_REQUEST_TIMEOUT=2", NULL};
	static const char head[] = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Trickle: "
	                           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	static const char body[] = "POST /v1/warehouses HTTP/1.1\r\nHost: t\r\n"
	                           "Content-Type: application/json\r\nContent-Length: 60\r\n\r\n"
	                           "{\"code\":\"SLOW\",\"name\":\"a trickled body of sixty bytes.\"}";
	enum { N = 40, STEP_MS = 200, STEPS = 40 };
	struct th_server own;
	th_server_start(&own, env);
	th_srv = own;

	static struct trickle t[N];
	for (int i = 0; i < N; i++) {
		t[i] = (struct trickle){.text = i % 2 ? body : head, .opened = clock_ms()};
		t[i].fd = tcp_open();
		if (i % 2) { /* the whole head at once, then the body by the byte */
			t[i].sent = strlen(body) - 60;
			tcp_send(t[i].fd, body, t[i].sent);
		}
	}
	long healthz = 0;
	double healthz_ms = 0;
	for (int step = 0, alive = N; step < STEPS && alive > 0; step++) {
		for (int i = 0; i < N; i++) {
			struct trickle *k = &t[i];
			if (k->cut)
				continue;
			struct pollfd p = {k->fd, POLLIN, 0};
			if (poll(&p, 1, 0) == 1) { /* the server answered: read to the end */
				tcp_read(k->fd, k->got, sizeof k->got, &k->len, 1000, NULL);
				k->cut = clock_ms();
				close(k->fd);
				alive--;
			} else if (k->sent < strlen(k->text) - 1) { /* never the last byte */
				tcp_send(k->fd, k->text + k->sent++, 1);
			}
		}
		if (step == 5) { /* ~1 s in, while all of them trickle */
			double t0 = clock_ms();
			struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
			healthz = r->status;
			healthz_ms = clock_ms() - t0;
			th_resp_free(r);
		}
		pause_ms(STEP_MS);
	}
	ck_assert_msg(healthz == 200, "/healthz answered %ld while requests trickled", healthz);
	ck_assert_msg(healthz_ms < 2000, "/healthz took %.0f ms while requests trickled", healthz_ms);
	for (int i = 0; i < N; i++) {
		ck_assert_msg(t[i].cut, "trickled %s %d still open after %d ms",
		              i % 2 ? "body" : "head", i, STEPS * STEP_MS);
		double held = t[i].cut - t[i].opened;
		ck_assert_msg(held >= 1500 && held < 5000, "trickled %s %d cut after %.0f ms (deadline 2 s)",
		              i % 2 ? "body" : "head", i, held);
		ck_assert(is_raw_problem(t[i].got, 408));
	}
	ck_assert_int_eq(th_server_stop(&own), 0);
}
END_TEST

/* Sends a GET /healthz on fd and asserts the answer is 200 on a connection
 * that stays open. */
static void healthz_on(int fd)
{
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
	char got[1024];
	size_t len = 0;
	tcp_send(fd, req, sizeof req - 1);
	int closed = tcp_read(fd, got, sizeof got, &len, 5000, "{\"status\":\"ok\"}");
	ck_assert_msg(!closed && strncmp(got, "HTTP/1.1 200 ", 13) == 0 && strstr(got, "\"ok\""),
	              "closed %d, got: %s", closed, got);
}

START_TEST(idle_keepalive_outlives_the_deadline)
{
	static const char *const env[] = {"WMS_REQUEST_TIMEOUT=1", NULL};
	struct th_server own;
	th_server_start(&own, env);
	th_srv = own;
	int fd = tcp_open();
	healthz_on(fd);
	pause_ms(2500); /* idle between requests: WMS_TIMEOUT (30 s) governs, not the deadline */
	healthz_on(fd);
	close(fd);
	ck_assert_int_eq(th_server_stop(&own), 0);
}
END_TEST

/* Each request, sent whole on a fresh connection, and the status libevent's
 * parser answers it with. */
START_TEST(parser_refusals_are_problems)
{
	static char big[20100];
	snprintf(big, sizeof big, "GET /healthz HTTP/1.1\r\nX-Big: %0*d\r\n\r\n", 20000, 0);
	const struct {
		const char *request;
		int status;
	} cases[] = {
		{"GARBAGE\r\n\r\n", 400},
		{"GET /healthz HTTP/7.0\r\n\r\n", 400},
		{"GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n", 400},
		{big, 400}, /* headers beyond WMS_MAX_HEADERS */
		{"BREW /healthz HTTP/1.1\r\n\r\n", 501},
		{"TRACE /healthz HTTP/1.1\r\n\r\n", 405},
		{"POST /v1/warehouses HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n", 413},
		{"POST /v1/warehouses HTTP/1.1\r\nExpect: tea\r\nContent-Length: 2\r\n\r\n{}", 417},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char got[4096];
		size_t len = 0;
		int fd = tcp_open();
		tcp_send(fd, cases[i].request, strlen(cases[i].request));
		tcp_read(fd, got, sizeof got, &len, 5000, NULL);
		close(fd);
		ck_assert_msg(is_raw_problem(got, cases[i].status), "case %zu", i);
	}
	/* the server is unharmed */
	struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	th_resp_free(r);
}
END_TEST

/* The CPU time (user + system) the process has used, in seconds. */
static double cpu_seconds(pid_t pid)
{
	char path[64], stat[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = '\0';
	unsigned long long utime = 0, stime = 0;
	const char *p = strrchr(stat, ')'); /* the command name may hold spaces */
	ck_assert_msg(p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	                          &utime, &stime) == 2, "cannot read %s", path);
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* What a server limited to DESCRIPTORS descriptors did while IDLE idle
 * connections were held open for HOLD_MS. */
enum { DESCRIPTORS = 200, IDLE = 250, HOLD_MS = 3000 };
struct siege {
	double cpu_share;  /* server CPU time / wall time while held */
	long log_bytes;    /* the server's log when the connections closed */
	long healthz;      /* status of a request right after they closed */
	double healthz_ms;
	char log[64 * 1024 + 1]; /* its first 64 KiB */
};

static void hold_idle_connections(const char *const *env, struct siege *out)
{
	struct th_server own;
	static int fds[IDLE];
	th_server_start_nofile(&own, env, DESCRIPTORS);
	th_srv = own;
	for (int i = 0; i < IDLE; i++) /* beyond what the server may accept: the rest wait in the backlog */
		fds[i] = tcp_open();
	pause_ms(300); /* let the server take what it can */
	double cpu0 = cpu_seconds(own.pid), t0 = clock_ms();
	pause_ms(HOLD_MS);
	out->cpu_share = (cpu_seconds(own.pid) - cpu0) / ((clock_ms() - t0) / 1000.0);
	out->log_bytes = file_size(own.log);
	for (int i = 0; i < IDLE; i++)
		close(fds[i]);
	double t1 = clock_ms();
	struct th_resp *r = th_req("GET", "/healthz", NULL, NULL, NULL, NULL);
	out->healthz = r->status;
	out->healthz_ms = clock_ms() - t1;
	th_resp_free(r);
	FILE *f = fopen(own.log, "r");
	out->log[0] = '\0';
	if (f) {
		out->log[fread(out->log, 1, sizeof out->log - 1, f)] = '\0';
		fclose(f);
	}
	fprintf(stderr, "connections: %d idle against %d descriptors: server CPU %.1f%% of %d ms, "
	                "log %ld bytes, /healthz after they closed: %ld in %.0f ms\n",
	        IDLE, DESCRIPTORS, out->cpu_share * 100, HOLD_MS, out->log_bytes, out->healthz,
	        out->healthz_ms);
	ck_assert_int_eq(th_server_stop(&own), 0);
}

static void assert_calm(const struct siege *s)
{
	ck_assert_msg(s->cpu_share < 0.20, "the server used %.0f%% CPU while connections waited",
	              s->cpu_share * 100);
	ck_assert_msg(s->log_bytes >= 0 && s->log_bytes < 64 * 1024,
	              "the server logged %ld bytes, starting: %.300s", s->log_bytes, s->log);
	ck_assert_msg(s->healthz == 200 && s->healthz_ms < 3000,
	              "after the idle connections closed /healthz answered %ld in %.0f ms",
	              s->healthz, s->healthz_ms);
}

START_TEST(descriptor_exhaustion_pauses_accepting)
{
	/* a cap above what 200 descriptors allow: accept() itself runs out */
	static const char *const env[] = {"WMS_MAX_CONNECTIONS=1000", NULL};
	static struct siege s;
	hold_idle_connections(env, &s);
	assert_calm(&s);
	ck_assert_msg(strstr(s.log, "Too many open files"), "log: %.300s", s.log);
}
END_TEST

START_TEST(connection_cap_keeps_descriptors_spare)
{
	/* the default cap, from RLIMIT_NOFILE less the pool and a margin: accept()
	 * never runs out of descriptors */
	static struct siege s;
	hold_idle_connections(NULL, &s);
	assert_calm(&s);
	ck_assert_msg(!strstr(s.log, "Too many open files"), "log: %.300s", s.log);
	ck_assert_msg(strstr(s.log, "WMS_MAX_CONNECTIONS"), "log: %.300s", s.log);
}
END_TEST

Suite *connections_suite(void);
Suite *connections_suite(void)
{
	Suite *s = suite_create("connections");
	TCase *tc = tcase_create("connections");
	tcase_add_unchecked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, trickled_requests_are_cut_at_the_deadline);
	tcase_add_test(tc, idle_keepalive_outlives_the_deadline);
	tcase_add_test(tc, parser_refusals_are_problems);
	tcase_add_test(tc, descriptor_exhaustion_pauses_accepting);
	tcase_add_test(tc, connection_cap_keeps_descriptors_spare);
	suite_add_tcase(s, tc);
	return s;
}
