/* solomon.h — reading a Solomon-format VRPTW instance (the public benchmark's text format)
 * into a vrptw_problem: travel time = distance = Euclidean distance in double precision (no
 * rounding), the fleet size and capacity from the file, the depot's window as every
 * vehicle's shift, demand in the first dimension. */
#ifndef ROUTING_SOLOMON_H
#define ROUTING_SOLOMON_H

#include <stdio.h>

#include "routing/vrptw.h"

struct solomon_instance;

/* Reads an instance from f. Returns it (free with solomon_free()), or NULL with the
 * reason (line and what was wrong) in why. */
struct solomon_instance *solomon_read(FILE *f, char *why, size_t whylen);

/* The problem (valid while the instance lives); every vehicle costs vehicle_cost when used
 * and 1 per unit of distance. */
const struct vrptw_problem *solomon_problem(struct solomon_instance *in, double vehicle_cost);

/* The instance's name (its first line). */
const char *solomon_name(const struct solomon_instance *in);

void solomon_free(struct solomon_instance *in);

#endif
