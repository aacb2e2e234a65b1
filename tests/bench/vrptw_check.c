/* vrptw_check.c — the benchmark's independent check of a `wmsd vrptw` answer: every
 * customer of the Solomon instance exactly once, each route's load within the capacity,
 * every service starting inside its window (waiting allowed), every vehicle back at the
 * depot by its due time, at most the fleet; the distance re-added from the coordinates.
 *
 * Usage: vrptw_check INSTANCE ANSWER.json
 * Prints "feasible VEHICLES DISTANCE" and exits 0, or "infeasible: WHY" and exits 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#define MAXC 2048

static double X[MAXC], Y[MAXC], Q[MAXC], A[MAXC], B[MAXC], S[MAXC];

static int fail(const char *why, long c)
{
	printf("infeasible: %s (customer %ld)\n", why, c);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: vrptw_check INSTANCE ANSWER.json\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (f == NULL)
		return fail("cannot open the instance", -1);
	char line[512];
	long fleet = 0, cap = 0, n = 0;
	int after_vehicle = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		double v[7];
		if (strstr(line, "NUMBER") != NULL) {
			after_vehicle = 1;
			continue;
		}
		if (after_vehicle == 1 && sscanf(line, "%ld %ld", &fleet, &cap) == 2) {
			after_vehicle = 2;
			continue;
		}
		if (after_vehicle == 2 && n < MAXC &&
		    sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		           &v[6]) == 7) {
			X[n] = v[1], Y[n] = v[2], Q[n] = v[3], A[n] = v[4], B[n] = v[5], S[n] = v[6];
			n++;
		}
	}
	fclose(f);
	f = fopen(argv[2], "r");
	if (f == NULL)
		return fail("cannot open the answer", -1);
	static char buf[1 << 20];
	size_t len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	cJSON *doc = cJSON_Parse(buf);
	cJSON *routes = cJSON_GetObjectItemCaseSensitive(doc, "routes");
	if (!cJSON_IsArray(routes))
		return fail("no routes", -1);
	static int seen[MAXC];
	double total = 0;
	long used = 0;
	const cJSON *r;
	cJSON_ArrayForEach(r, routes) {
		double t = A[0], load = 0;
		long at = 0;
		const cJSON *c;
		if (cJSON_GetArraySize(r) == 0)
			continue;
		used++;
		cJSON_ArrayForEach(c, r) {
			long k = (long)c->valuedouble;
			if (k <= 0 || k >= n || seen[k]++)
				return fail("unknown or repeated customer", k);
			double d = hypot(X[at] - X[k], Y[at] - Y[k]);
			total += d;
			t += d;
			if (t < A[k])
				t = A[k];
			if (t > B[k] + 1e-6)
				return fail("service starts after the due time", k);
			t += S[k];
			load += Q[k];
			at = k;
		}
		double d = hypot(X[at] - X[0], Y[at] - Y[0]);
		total += d;
		if (t + d > B[0] + 1e-6)
			return fail("back at the depot after its due time", at);
		if (load > (double)cap)
			return fail("load over capacity", at);
	}
	for (long k = 1; k < n; k++)
		if (!seen[k])
			return fail("customer not served", k);
	if (used > fleet)
		return fail("more vehicles than the fleet", used);
	printf("feasible %ld %.4f\n", used, total);
	cJSON_Delete(doc);
	return 0;
}
