/* vrptw_cmd.c — `wmsd vrptw` (vrptw_cmd.h). */
#include "api/cli/vrptw_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "routing/solomon.h"
#include "routing/vrptw.h"

static void usage(void)
{
	fprintf(stderr, "usage: wmsd vrptw [--time-limit SECONDS] [--seed N] [--vehicle-cost C]\n"
	                "                  [--iterations N] FILE\n");
}

/* Parses a finite number ≥ 0 from s into *out; returns 0 or -1. */
static int parse_number(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

static void print_result(const struct vrptw_result *r, double seconds)
{
	printf("{\"vehicles\": %zu, \"distance\": %.4f, \"routes\": [", r->n_routes, r->distance);
	for (size_t i = 0; i < r->n_routes; i++) {
		printf("%s[", i ? ", " : "");
		for (size_t j = 0; j < r->routes[i].n_stops; j++)
			printf("%s%zu", j ? ", " : "", r->routes[i].stops[j]);
		printf("]");
	}
	printf("], \"unassigned\": [");
	for (size_t i = 0; i < r->n_unassigned; i++)
		printf("%s{\"customer\": %zu, \"reason\": \"%s\"}", i ? ", " : "", r->unassigned[i],
		       vrptw_reason_name(r->reasons[i]));
	printf("], \"cost\": %.4f, \"iterations\": %ld, \"stopped_by_time\": %s, "
	       "\"seconds\": %.3f}\n", r->cost, r->iterations, r->stopped_by_time ? "true" : "false",
	       seconds);
}

int vrptw_main(int argc, char **argv)
{
	struct vrptw_options o = {.seed = 1, .time_limit_s = 0};
	double vehicle_cost = 0.0, num;
	const char *file = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		if (strcmp(a, "--time-limit") == 0 && has_value && parse_number(argv[i + 1], &num) == 0) {
			o.time_limit_s = num;
			i++;
		} else if (strcmp(a, "--seed") == 0 && has_value &&
		           parse_number(argv[i + 1], &num) == 0 && num == floor(num)) {
			o.seed = (uint64_t)num;
			i++;
		} else if (strcmp(a, "--vehicle-cost") == 0 && has_value &&
		           parse_number(argv[i + 1], &num) == 0) {
			vehicle_cost = num;
			i++;
		} else if (strcmp(a, "--iterations") == 0 && has_value &&
		           parse_number(argv[i + 1], &num) == 0 && num >= 1 && num < 1e12) {
			o.iterations = (long)num;
			i++;
		} else if (a[0] != '-' && file == NULL) {
			file = a;
		} else {
			usage();
			return 2;
		}
	}
	if (file == NULL) {
		usage();
		return 2;
	}
	FILE *f = fopen(file, "r");
	if (f == NULL) {
		fprintf(stderr, "wmsd vrptw: %s: %s\n", file, strerror(errno));
		return 1;
	}
	char why[256];
	struct solomon_instance *in = solomon_read(f, why, sizeof why);
	fclose(f);
	if (in == NULL) {
		fprintf(stderr, "wmsd vrptw: %s: %s\n", file, why);
		return 1;
	}
	struct vrptw_result r;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = vrptw_solve(solomon_problem(in, vehicle_cost), &o, &r, why, sizeof why);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	solomon_free(in);
	if (rc != 0) {
		fprintf(stderr, "wmsd vrptw: %s: %s\n", file, why);
		return 1;
	}
	print_result(&r, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	vrptw_result_free(&r);
	return 0;
}
