/* solomon.c — the Solomon instance reader (solomon.h). */
#include "routing/solomon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct solomon_instance {
	char name[64];
	struct vrptw_problem p;
	struct vrptw_site *sites;
	struct vrptw_vehicle *vehicles;
	double *dist;
	double *x, *y;
};

/* The whole of f, NUL-terminated; NULL when memory runs out. */
static char *slurp(FILE *f)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	while (buf != NULL) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (len < cap - 1)
			break;
		char *nb = realloc(buf, cap * 2);
		if (nb == NULL) {
			free(buf);
			return NULL;
		}
		buf = nb;
		cap *= 2;
	}
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

struct solomon_instance *solomon_read(FILE *f, char *why, size_t whylen)
{
	struct solomon_instance *in = calloc(1, sizeof *in);
	char *text = slurp(f);
	size_t cap = 0, n = 0;
	long fleet = -1, capacity = -1;
	if (in == NULL || text == NULL) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	int lineno = 0, section = 0; /* 1: after VEHICLE header, 2: after CUSTOMER header */
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		char word[64];
		if (lineno == 1 && sscanf(line, "%63s", word) == 1) {
			snprintf(in->name, sizeof in->name, "%s", word);
			continue;
		}
		if (strstr(line, "VEHICLE") != NULL) {
			section = 1;
			continue;
		}
		if (strstr(line, "CUSTOMER") != NULL) {
			section = 2;
			continue;
		}
		if (section == 1 && fleet < 0 && sscanf(line, "%ld %ld", &fleet, &capacity) == 2)
			continue;
		if (section == 1 && fleet < 0)
			fleet = -1; /* the header line "NUMBER CAPACITY" */
		if (section != 2)
			continue;
		double v[7];
		int got = sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3],
		                 &v[4], &v[5], &v[6]);
		if (got <= 0)
			continue; /* headers and blank lines */
		if (got != 7 || v[0] != (double)n || v[3] < 0 || v[5] < v[4] || v[6] < 0) {
			snprintf(why, whylen, "line %d: expected customer %zu: number, x, y, demand, "
			         "ready, due, service", lineno, n);
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			struct vrptw_site *ns = realloc(in->sites, cap * sizeof *ns);
			if (ns != NULL)
				in->sites = ns;
			double *nx = realloc(in->x, cap * sizeof *nx);
			if (nx != NULL)
				in->x = nx;
			double *ny = realloc(in->y, cap * sizeof *ny);
			if (ny != NULL)
				in->y = ny;
			if (ns == NULL || nx == NULL || ny == NULL) {
				snprintf(why, whylen, "out of memory");
				goto fail;
			}
		}
		in->x[n] = v[1];
		in->y[n] = v[2];
		in->sites[n] = (struct vrptw_site){.demand = {(int64_t)v[3], 0},
		                                   .ready = v[4], .due = v[5], .service = v[6]};
		n++;
	}
	if (fleet <= 0 || capacity <= 0 || n < 1) {
		snprintf(why, whylen, "no VEHICLE section (number, capacity) or no customers");
		goto fail;
	}
	in->dist = malloc(n * n * sizeof *in->dist);
	in->vehicles = calloc((size_t)fleet, sizeof *in->vehicles);
	if (in->dist == NULL || in->vehicles == NULL) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			in->dist[i * n + j] = hypot(in->x[i] - in->x[j], in->y[i] - in->y[j]);
	for (long k = 0; k < fleet; k++)
		in->vehicles[k] = (struct vrptw_vehicle){
			.capacity = {capacity, 0}, .shift_start = in->sites[0].ready,
			.shift_end = in->sites[0].due, .cost_per_distance = 1.0};
	in->p = (struct vrptw_problem){.n_sites = n, .sites = in->sites, .dist = in->dist,
	                               .time = in->dist, .n_vehicles = (size_t)fleet,
	                               .vehicles = in->vehicles};
	free(text);
	return in;
fail:
	free(text);
	solomon_free(in);
	return NULL;
}

const struct vrptw_problem *solomon_problem(struct solomon_instance *in, double vehicle_cost)
{
	for (size_t k = 0; k < in->p.n_vehicles; k++)
		in->vehicles[k].fixed_cost = vehicle_cost;
	return &in->p;
}

const char *solomon_name(const struct solomon_instance *in)
{
	return in->name;
}

void solomon_free(struct solomon_instance *in)
{
	if (in == NULL)
		return;
	free(in->sites);
	free(in->vehicles);
	free(in->dist);
	free(in->x);
	free(in->y);
	free(in);
}
