/* vrptw_int.h — what the solver's files share (routing/vrptw*.c). */
#ifndef ROUTING_VRPTW_INT_H
#define ROUTING_VRPTW_INT_H

#include "routing/vrptw.h"

/* Slack for comparing times made of sums of doubles (the windows' unit). */
#define VRPTW_EPS 1e-7

/* Why request c (which no route holds) is unassigned (vrptw_route.c). */
enum vrptw_reason vrptw_reason_for(const struct vrptw_problem *p, size_t c);

#endif
