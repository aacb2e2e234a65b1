/* check_readme.c — every example in README.md runs as written, in order, against what
 * `make run` sets up, and gets the answer its comment shows.
 *
 * The fixture runs sql/run-local.sh (what `make run` runs after the build) with its private
 * cluster in a scratch directory DIR/var/pg: migrations, `wmsd demo`, the server. The demo
 * keys it prints become $ADMIN, $PLATFORM, $SELLER (seller ACME-AUDIO), $STAFF (staff
 * ES-MAD-FC) and $HUB (staff CN-SZX-HUB), as the README says.
 *
 * The test reads README.md and takes the commands of its ```sh blocks in order (a command
 * runs on until its quotes close and no line ends in a backslash). Those that start with
 * `curl` or `wmsd` run through /bin/sh in DIR, as a user in a second terminal would run
 * them: DATABASE_URL unset (wmsd finds DIR/var/pg itself), the wmsd under test first on
 * PATH (the line `make run` prints), and curl a shell function that adds
 * `--connect-to localhost:8080:127.0.0.1:PORT` (the URL stays as written) and `-D FILE`
 * (the status). Other commands (make) are not run. The comment lines right under a command
 * show its answer, as the README's "Endpoints" explains:
 *   `# {...}`  a problem (`"type":"urn:wms:problem:…"`) must come with the `status` shown,
 *              any other answer with a 2xx; each top-level member shown must be there, with
 *              the value shown unless that is `<…>` (a value that varies) or nested; `...`
 *              stands for members left out; `"$NAME"` keeps the member's value as $NAME for
 *              the commands below.
 *   other text (under `wmsd`): the output, `<…>` and `...` matching any text.
 * A command without a comment must answer a 2xx (curl) or exit 0 (wmsd). Every example that
 * fails is printed with its README line before the test fails. */
#include <check.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/harness/th.h"

/* Fewer examples than this means the extraction broke, not that the README shrank. */
#define MIN_EXAMPLES 25
#define MAX_VARS 32
#define MAX_MEMBERS 32

/* The variables of the README's examples and the demo keys they stand for. */
static const struct {
	const char *var, *label;
} demo_keys[] = {
	{"ADMIN", "admin"},
	{"PLATFORM", "platform"},
	{"SELLER", "seller ACME-AUDIO"},
	{"STAFF", "staff ES-MAD-FC"},
	{"HUB", "staff CN-SZX-HUB"},
	{"CARRIER", "carrier DEMO-POST"},
};
enum { NKEYS = sizeof demo_keys / sizeof demo_keys[0] };

static struct th_server srv;
static char scratch[64];       /* DIR: the cluster in var/pg; the commands run here */
static char *printed;          /* what run-local.sh printed before serving (malloc'd) */
static char wmsd_dir[PATH_MAX]; /* the directory of the wmsd under test */

/* The whole file at path, NUL-terminated (malloc'd), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t n = 0, cap = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *p = realloc(text, cap = 2 * cap + 4096 + 1);
			if (!p)
				break;
			text = p;
		}
		size_t got = fread(text + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			text[n] = '\0';
			fclose(f);
			return text;
		}
	}
	free(text);
	fclose(f);
	return NULL;
}

/* The line of text that starts with prefix (after its leading blanks), without its
 * newline, in out; false when there is none. */
static bool find_line(const char *text, const char *prefix, char *out, size_t len)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *s = l + strspn(l, " ");
		if (strncmp(s, prefix, strlen(prefix)) == 0) {
			snprintf(out, len, "%.*s", (int)strcspn(s, "\n"), s);
			return true;
		}
	}
	return false;
}

/* ---- the commands, run as a user would ---------------------------------------------- */

struct outcome {
	int exit;   /* the shell's exit status (-1: killed) */
	long http;  /* the last HTTP status curl saw, 0 for none */
	char *out;  /* stdout, malloc'd */
	char *err;  /* stderr, malloc'd */
};

static void outcome_free(struct outcome *o)
{
	free(o->out);
	free(o->err);
}

/* Runs script with /bin/sh in dir with the environment entries env ("NAME=value" sets,
 * "NAME" unsets); fills o (free with outcome_free). */
static void run_sh(const char *script, const char *dir, const char *const *env, struct outcome *o)
{
	char out[PATH_MAX], err[PATH_MAX], hdr[PATH_MAX];
	snprintf(out, sizeof out, "%s/.stdout", scratch);
	snprintf(err, sizeof err, "%s/.stderr", scratch);
	snprintf(hdr, sizeof hdr, "%s/.headers", scratch);
	unlink(hdr);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		for (int i = 0; env[i]; i++) {
			if (strchr(env[i], '='))
				putenv((char *)env[i]);
			else
				unsetenv(env[i]);
		}
		setenv("WMS_README_HEADERS", hdr, 1);
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (chdir(dir) != 0 || fo < 0 || fe < 0 || dup2(fo, STDOUT_FILENO) < 0 ||
		    dup2(fe, STDERR_FILENO) < 0)
			_exit(126);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	int st;
	ck_assert(waitpid(pid, &st, 0) == pid);
	o->exit = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	o->out = slurp(out);
	o->err = slurp(err);
	ck_assert(o->out && o->err);
	o->http = 0;
	char *h = slurp(hdr);
	for (const char *l = h; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, "HTTP/", 5) == 0)
			sscanf(l, "%*s %ld", &o->http);
	free(h);
}

/* The environment of the examples: the demo keys and the captured values as NAME=value
 * (malloc'd), then what every command gets. */
struct vars {
	char *entry[MAX_VARS];
	int n;
	char port[48], path[PATH_MAX + 64];
	const char *env[MAX_VARS + 4];
};

static void vars_set(struct vars *v, const char *name, const char *value)
{
	char *e = NULL;
	ck_assert(asprintf(&e, "%s=%s", name, value) > 0);
	for (int i = 0; i < v->n; i++) {
		if (strncmp(v->entry[i], e, strlen(name) + 1) == 0) {
			free(v->entry[i]);
			v->entry[i] = e;
			return;
		}
	}
	ck_assert_int_lt(v->n, MAX_VARS);
	v->entry[v->n++] = e;
}

/* v's environment for run_sh (valid until v changes). */
static const char *const *vars_env(struct vars *v)
{
	int n = 0;
	for (int i = 0; i < v->n; i++)
		v->env[n++] = v->entry[i];
	snprintf(v->port, sizeof v->port, "WMS_README_PORT=%d", srv.port);
	snprintf(v->path, sizeof v->path, "PATH=%s:%s", wmsd_dir, getenv("PATH"));
	v->env[n++] = v->port;
	v->env[n++] = v->path;
	v->env[n++] = "DATABASE_URL";
	v->env[n] = NULL;
	return v->env;
}

static void vars_free(struct vars *v)
{
	for (int i = 0; i < v->n; i++)
		free(v->entry[i]);
}

/* ---- the examples in README.md ------------------------------------------------------ */

struct example {
	int line;     /* README line of the command's first line */
	char *cmd;    /* the command as written, its lines joined by '\n' */
	char *answer; /* the comment lines under it without "# ", joined by '\n'; or NULL */
};

/* Scans one line (len bytes at l) of a shell command from quote state *q (0, '\'' or '"');
 * true when the command goes on in the next line (a quote is open or the line ends in a
 * backslash). */
static bool continues(const char *l, size_t len, char *q)
{
	bool word_start = true;
	for (size_t i = 0; i < len; i++) {
		char c = l[i];
		if (*q == '\'') {
			if (c == '\'')
				*q = 0;
		} else if (*q == '"') {
			if (c == '\\')
				i++;
			else if (c == '"')
				*q = 0;
		} else if (c == '\\') {
			if (i + 1 == len)
				return true;
			i++;
		} else if (c == '#' && word_start) {
			return false;
		} else if (c == '\'' || c == '"') {
			*q = c;
		}
		word_start = strchr(" \t;|&(", c) != NULL;
	}
	return *q != 0;
}

/* s, "\n" and len bytes of add (s NULL: add alone); malloc'd, s is taken. */
static char *append(char *s, const char *add, size_t len)
{
	size_t have = s ? strlen(s) : 0;
	char *p = realloc(s, have + len + 2);
	ck_assert(p != NULL);
	if (s)
		p[have++] = '\n';
	memcpy(p + have, add, len);
	p[have + len] = '\0';
	return p;
}

/* The commands of the ```sh blocks of text, in order, with their answer comments. Returns
 * the count; *out is malloc'd (free each cmd and answer, then the array). */
static int read_examples(const char *text, struct example **out)
{
	struct example *ex = NULL;
	int n = 0, lineno = 0;
	bool in_sh = false, open = false, under = false;
	char q = 0;
	for (const char *l = text; *l;) {
		size_t len = strcspn(l, "\n");
		lineno++;
		if (strncmp(l, "```", 3) == 0) {
			in_sh = !in_sh && len == 5 && strncmp(l, "```sh", 5) == 0;
			open = under = false;
		} else if (in_sh && (open || (l[0] != '#' && len > strspn(l, " \t")))) {
			if (!open) {
				struct example *p = realloc(ex, (size_t)(n + 1) * sizeof *ex);
				ck_assert(p != NULL);
				ex = p;
				ex[n++] = (struct example){lineno, NULL, NULL};
				q = 0;
			}
			ex[n - 1].cmd = append(ex[n - 1].cmd, l, len);
			open = continues(l, len, &q);
			under = !open;
		} else if (in_sh && l[0] == '#' && under) {
			size_t skip = len > 1 && l[1] == ' ' ? 2 : 1;
			ex[n - 1].answer = append(ex[n - 1].answer, l + skip, len - skip);
		} else {
			under = false;
		}
		l += len + (l[len] == '\n');
	}
	*out = ex;
	return n;
}

/* The program an example runs ("curl", "wmsd", "make" …) in out. */
static void program_of(const struct example *e, char out[32])
{
	const char *s = e->cmd + strspn(e->cmd, " \t");
	snprintf(out, 32, "%.*s", (int)strcspn(s, " \t\n"), s);
}

/* ---- answer comments ---------------------------------------------------------------- */

enum member_kind { M_VALUE, M_VARIES, M_OBJECT, M_LIST, M_CAPTURE };

/* One member of an answer comment: its key and its value as text in the comment (M_VALUE:
 * JSON; M_OBJECT: {…}; M_CAPTURE: the variable's name). */
struct member {
	char key[64];
	enum member_kind kind;
	const char *value;
	int len;
};

/* The end of the JSON string or balanced {…} / […] that starts at s, or NULL. */
static const char *skip_json(const char *s)
{
	int depth = 0;
	do {
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				if (*s == '\\' && s[1])
					s++;
			if (!*s)
				return NULL;
		} else if (*s == '{' || *s == '[') {
			depth++;
		} else if (*s == '}' || *s == ']') {
			depth--;
		} else if (!*s) {
			return NULL;
		}
		s++;
	} while (depth > 0);
	return s;
}

static bool is_ellipsis(const char *s)
{
	return strncmp(s, "...", 3) == 0 || strncmp(s, "\u2026", 3) == 0;
}

/* Reads the members of the object {"key":value, ..., ...} that starts at s (the end of the
 * text or a balanced '}' ends it) into m. Returns their count, or -1 when the text is not of
 * that shape. */
static int scan_members(const char *s, struct member *m, int max)
{
	int n = 0;
	s += strspn(s, " \t\n");
	if (*s++ != '{')
		return -1;
	for (;;) {
		s += strspn(s, " \t\n,");
		if (*s == '}')
			return n;
		if (is_ellipsis(s)) {
			s += 3;
			continue;
		}
		const char *end = *s == '"' ? skip_json(s) : NULL;
		if (!end || n == max || (size_t)(end - s - 2) >= sizeof m[n].key)
			return -1;
		snprintf(m[n].key, sizeof m[n].key, "%.*s", (int)(end - s - 2), s + 1);
		s = end + strspn(end, " \t\n");
		if (*s++ != ':')
			return -1;
		const char *v = s + strspn(s, " \t\n");
		if (*v == '"' || *v == '{' || *v == '[')
			end = skip_json(v);
		else if (*v == '<')
			end = strchr(v, '>') ? strchr(v, '>') + 1 : NULL;
		else
			end = v + strcspn(v, " \t\n,}");
		if (!end || end == v)
			return -1;
		m[n].value = v;
		m[n].len = (int)(end - v);
		if (*v == '{' || *v == '[')
			m[n].kind = *v == '{' ? M_OBJECT : M_LIST;
		else if (*v == '<' || strncmp(v, "\"<", 2) == 0 || is_ellipsis(v))
			m[n].kind = M_VARIES;
		else if (strncmp(v, "\"$", 2) == 0) {
			m[n].kind = M_CAPTURE;
			m[n].value += 2;
			m[n].len -= 3;
		} else
			m[n].kind = M_VALUE;
		n++;
		s = end;
	}
}

/* The answer comment as an fnmatch(3) pattern: `<…>` and `...` match any text. Malloc'd. */
static char *pattern_of(const char *answer)
{
	char *p = malloc(2 * strlen(answer) + 1), *o = p;
	ck_assert(p != NULL);
	for (const char *s = answer; *s;) {
		const char *gt = *s == '<' ? strchr(s, '>') : NULL;
		if (gt && memchr(s, '\n', (size_t)(gt - s)) == NULL) {
			*o++ = '*';
			s = gt + 1;
		} else if (is_ellipsis(s)) {
			*o++ = '*';
			s += 3;
		} else {
			if (strchr("*?[\\", *s))
				*o++ = '\\';
			*o++ = *s++;
		}
	}
	*o = '\0';
	return p;
}

/* Checks the object shown at text (in an answer comment) against got, member by member,
 * objects within it too (lists are examples: only their presence is checked); path names it
 * in the reason ("" for the answer). Keeps "$NAME" members in v. Returns 0, or -1 with why
 * filled. */
static int check_members(const char *text, const cJSON *got, const char *path, struct vars *v,
                         char *why, size_t len)
{
	struct member m[MAX_MEMBERS];
	int n = scan_members(text, m, MAX_MEMBERS);
	if (n < 0) {
		snprintf(why, len, "the comment under it is not an answer this test can read");
		return -1;
	}
	if (!cJSON_IsObject(got)) {
		snprintf(why, len, "%s is not a JSON object", *path ? path : "the answer");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char at[256], name[64];
		snprintf(at, sizeof at, "%.180s%s%.63s", path, *path ? "." : "", m[i].key);
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, m[i].key);
		cJSON *shown = m[i].kind == M_VALUE ? cJSON_ParseWithLength(m[i].value, (size_t)m[i].len)
		                                    : NULL;
		int bad = !g;
		if (bad)
			snprintf(why, len, "the answer has no %s", at);
		else if (m[i].kind == M_VALUE && (bad = !cJSON_Compare(shown, g, true)))
			snprintf(why, len, "%s is not %.*s", at, m[i].len, m[i].value);
		else if (m[i].kind == M_OBJECT)
			bad = check_members(m[i].value, g, at, v, why, len) != 0;
		else if (m[i].kind == M_CAPTURE && (bad = !cJSON_IsString(g)))
			snprintf(why, len, "%s is not a string to keep as $%.*s", at, m[i].len, m[i].value);
		else if (m[i].kind == M_CAPTURE) {
			snprintf(name, sizeof name, "%.*s", m[i].len, m[i].value);
			vars_set(v, name, g->valuestring);
		}
		cJSON_Delete(shown);
		if (bad)
			return -1;
	}
	return 0;
}

/* The HTTP status an answer comment shows: a problem's (`"type":"urn:wms:problem:…"`)
 * `status`, else 0 (any 2xx). */
static long status_shown(const char *answer)
{
	struct member m[MAX_MEMBERS];
	int n = answer ? scan_members(answer, m, MAX_MEMBERS) : 0;
	bool problem = false;
	long status = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(m[i].key, "type") == 0 && strncmp(m[i].value, "\"urn:wms:problem:", 17) == 0)
			problem = true;
		if (strcmp(m[i].key, "status") == 0 && m[i].kind == M_VALUE)
			status = atol(m[i].value);
	}
	return problem ? status : 0;
}

/* Checks a curl example's answer against its comment, keeping captured values in v.
 * Returns NULL when it is as shown, else why not (static buffer). */
static const char *check_http(const struct example *e, const struct outcome *o, struct vars *v)
{
	static char why[1024];
	long want = status_shown(e->answer);
	if (o->exit != 0) {
		snprintf(why, sizeof why, "curl exited with %d", o->exit);
		return why;
	}
	if (want ? o->http != want : o->http / 100 != 2) {
		if (want)
			snprintf(why, sizeof why, "HTTP %ld, the README shows %ld", o->http, want);
		else
			snprintf(why, sizeof why, "HTTP %ld, the README shows none: a 2xx", o->http);
		return why;
	}
	if (!e->answer)
		return NULL;
	cJSON *body = cJSON_Parse(o->out);
	int rc = check_members(e->answer, body, "", v, why, sizeof why);
	cJSON_Delete(body);
	return rc == 0 ? NULL : why;
}

/* Checks a wmsd example: exit 0, and the output as its comment shows. NULL or why not. */
static const char *check_cli(const struct example *e, const struct outcome *o)
{
	static char why[256];
	if (o->exit != 0) {
		snprintf(why, sizeof why, "wmsd exited with %d", o->exit);
		return why;
	}
	if (!e->answer)
		return NULL;
	char *pattern = pattern_of(e->answer);
	size_t len = strlen(o->out);
	while (len && o->out[len - 1] == '\n')
		o->out[--len] = '\0';
	int match = fnmatch(pattern, o->out, 0) == 0;
	free(pattern);
	return match ? NULL : "the output is not what the comment under it shows";
}

/* ---- the fixture: `make run` in a scratch directory --------------------------------- */

static pid_t scratch_owner; /* the process that made the scratch directory; 0 once removed */

/* Stops make run's server and cluster and removes the scratch directory, once, in the
 * process that made them; also at exit, for when the harness gives up at the start. */
static void remove_scratch(void)
{
	char cmd[PATH_MAX * 2];
	if (scratch_owner != getpid())
		return;
	scratch_owner = 0;
	int rc = th_server_stop(&srv);
	if (rc != 0)
		fprintf(stderr, "readme: make run's wmsd exited with %d (log %s)\n", rc, srv.log);
	snprintf(cmd, sizeof cmd, "'%s' stop '%s/var/pg' && rm -rf '%s'", getenv("WMS_PGCLUSTER"),
	         scratch, scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "readme: could not remove %s\n", scratch);
}

static void start_make_run(void)
{
	static bool registered;
	const char *wmsd = getenv("WMSD"), *pgcluster = getenv("WMS_PGCLUSTER");
	char run_local[PATH_MAX], pgdir[PATH_MAX], env_wmsd[PATH_MAX + 8], env_pgdir[PATH_MAX + 16];
	ck_assert_msg(wmsd && pgcluster, "WMSD and WMS_PGCLUSTER (tests/with-pg.sh) must be set");
	ck_assert(realpath(wmsd, wmsd_dir) != NULL);
	*strrchr(wmsd_dir, '/') = '\0';
	snprintf(scratch, sizeof scratch, "/tmp/wms-readme.XXXXXX");
	ck_assert(mkdtemp(scratch) != NULL);
	scratch_owner = getpid();
	if (!registered)
		registered = atexit(remove_scratch) == 0;
	snprintf(run_local, sizeof run_local, "%.*s/run-local.sh",
	         (int)(strrchr(pgcluster, '/') - pgcluster), pgcluster);
	snprintf(pgdir, sizeof pgdir, "%s/var/pg", scratch);
	snprintf(env_wmsd, sizeof env_wmsd, "WMSD=%s", wmsd);
	snprintf(env_pgdir, sizeof env_pgdir, "WMS_PGDIR=%s", pgdir);
	const char *const argv[] = {run_local, NULL};
	const char *const env[] = {env_wmsd, env_pgdir, "DATABASE_URL", NULL};
	th_server_run(&srv, argv, env);
	printed = slurp(srv.log);
	ck_assert(printed != NULL);
	char *serving = strstr(printed, "\nserving on ");
	if (serving)
		serving[1] = '\0';
}

static void stop_make_run(void)
{
	remove_scratch();
	free(printed);
	printed = NULL;
}

/* ---- the tests ---------------------------------------------------------------------- */

START_TEST(every_readme_example_answers_as_its_comment_shows)
{
	struct vars v = {.n = 0};
	char line[256], program[32];
	for (int i = 0; i < NKEYS; i++) {
		char label[64], *key;
		snprintf(label, sizeof label, "%s ", demo_keys[i].label);
		ck_assert_msg(find_line(printed, label, line, sizeof line) &&
		              (key = strstr(line, " wms_")), "make run printed no %s key:\n%s",
		              demo_keys[i].label, printed);
		vars_set(&v, demo_keys[i].var, key + 1);
	}
	char *readme = slurp("README.md");
	if (!readme)
		readme = slurp("../README.md");
	ck_assert_msg(readme, "README.md is not in the current directory or its parent");
	struct example *ex;
	int n = read_examples(readme, &ex), ran = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		program_of(&ex[i], program);
		bool http = strcmp(program, "curl") == 0;
		if (!http && strcmp(program, "wmsd") != 0)
			continue;
		char *script = NULL;
		ck_assert(asprintf(&script,
		                   "curl() { command curl --connect-to "
		                   "\"localhost:8080:127.0.0.1:$WMS_README_PORT\" "
		                   "-D \"$WMS_README_HEADERS\" \"$@\"; }\n%s\n", ex[i].cmd) > 0);
		struct outcome o;
		run_sh(script, scratch, vars_env(&v), &o);
		free(script);
		ran++;
		const char *why = http ? check_http(&ex[i], &o, &v) : check_cli(&ex[i], &o);
		if (why) {
			failed++;
			fprintf(stderr, "README.md:%d: %s\n  %s\n  stdout: %.800s\n  stderr: %.400s\n",
			        ex[i].line, ex[i].cmd, why, o.out, o.err);
		}
		outcome_free(&o);
	}
	for (int i = 0; i < n; i++) {
		free(ex[i].cmd);
		free(ex[i].answer);
	}
	free(ex);
	free(readme);
	vars_free(&v);
	ck_assert_msg(ran >= MIN_EXAMPLES, "only %d examples found in README.md", ran);
	ck_assert_msg(failed == 0, "%d of %d README examples do not run as written (see above)",
	              failed, ran);
}
END_TEST

/* The two `export` lines `make run` prints for a second terminal, pasted as they are in a
 * directory without var/pg and with a PATH that lacks wmsd, are enough for `wmsd key
 * create` to reach make run's private cluster. */
START_TEST(make_run_prints_the_lines_a_second_terminal_needs)
{
	char path_line[PATH_MAX], url_line[PATH_MAX], dir[PATH_MAX], *script = NULL;
	ck_assert_msg(find_line(printed, "export PATH=", path_line, sizeof path_line) &&
	              find_line(printed, "export DATABASE_URL=", url_line, sizeof url_line),
	              "make run printed no export lines:\n%s", printed);
	snprintf(dir, sizeof dir, "%s/var", scratch);
	ck_assert(asprintf(&script, "%s\n%s\nwmsd key create --role admin --label 'second terminal'",
	                   path_line, url_line) > 0);
	const char *const env[] = {"PATH=/usr/bin:/bin", "DATABASE_URL", NULL};
	struct outcome o;
	run_sh(script, dir, env, &o);
	free(script);
	ck_assert_msg(o.exit == 0 && strstr(o.out, "\nkey: wms_"), "exit %d\n%s%s", o.exit, o.out,
	              o.err);
	outcome_free(&o);
}
END_TEST

Suite *readme_suite(void);
Suite *readme_suite(void)
{
	Suite *s = suite_create("readme");
	TCase *tc = tcase_create("make_run");
	tcase_add_unchecked_fixture(tc, start_make_run, stop_make_run);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_readme_example_answers_as_its_comment_shows);
	tcase_add_test(tc, make_run_prints_the_lines_a_second_terminal_needs);
	suite_add_tcase(s, tc);
	return s;
}
