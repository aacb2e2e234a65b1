/* options.c — the quote's options from the itineraries found: the selection with its
 * tie-breaks, the order of the others, their reasons, and the refused ones. */
#include "routing/search_int.h"

#include <stdlib.h>

/* Compares the leg-id order of two itineraries (ranks are the order of leg ids). */
static int cmp_ids(const struct routing_network *net, const struct rcand *a, const struct rcand *b)
{
	for (int i = 0; i < a->n && i < b->n; i++) {
		uint32_t ra = net->legs[a->legs[i]].rank, rb = net->legs[b->legs[i]].rank;
		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	return a->n < b->n ? -1 : a->n > b->n;
}

/* Selection order when some option meets the target: cheaper, likelier, fewer legs, ids. */
static int cmp_feasible(const struct routing_network *net, const struct rcand *a,
                        const struct rcand *b)
{
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->p != b->p)
		return a->p > b->p ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return cmp_ids(net, a, b);
}

/* Selection order when none does: likelier, cheaper, fewer legs, ids. */
static int cmp_at_risk(const struct routing_network *net, const struct rcand *a,
                       const struct rcand *b)
{
	if (a->p != b->p)
		return a->p > b->p ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return cmp_ids(net, a, b);
}

static int cmp_listing(const void *x, const void *y, void *ctx)
{
	return cmp_feasible(ctx, x, y);
}

/* Fills the static parts of an option's legs (names, costs). */
static void fill_legs(const struct rsearch *s, const struct rcand *c, struct routing_option *o)
{
	const struct routing_network *net = s->net;
	o->n_legs = (size_t)c->n;
	for (int i = 0; i < c->n; i++) {
		const struct rleg *l = &net->legs[c->legs[i]];
		const struct rservice *sv = &net->services[l->service];
		struct routing_leg_out *lo = &o->legs[i];
		lo->leg_id = l->id;
		lo->carrier = sv->carrier;
		lo->service = sv->service;
		lo->mode = sv->mode;
		lo->from = net->nodes[l->from].code;
		lo->to = net->nodes[l->to].code;
		lo->departure = lo->arrival_p50 = lo->arrival_p95 = ROUTING_NEVER;
		lo->p_departure = 0.0;
		lo->cost_minor = s->cost[c->legs[i]];
		lo->chargeable_g = s->charge_g[c->legs[i]];
	}
}

/*
 * Builds the quote from the archive (already the non-dominated set) and the refused list:
 * selects, gives reasons, orders the options, computes their details. Returns 0 or -1 (out
 * of memory). q's options are allocated in one block with their legs.
 */
int roptions_assemble(struct rsearch *s, struct routing_quote *q)
{
	const struct routing_network *net = s->net;
	struct rcands *ar = &s->archive;
	size_t sel = 0;
	bool feasible = false;
	for (size_t i = 0; i < ar->n; i++)
		if (ar->v[i].p >= s->req->target)
			feasible = true;
	for (size_t i = 1; i < ar->n; i++) {
		const struct rcand *a = &ar->v[i], *b = &ar->v[sel];
		if (feasible) {
			if (a->p >= s->req->target &&
			    (b->p < s->req->target || cmp_feasible(net, a, b) < 0))
				sel = i;
		} else if (cmp_at_risk(net, a, b) < 0) {
			sel = i;
		}
	}
	if (ar->n > 0) {
		struct rcand t = ar->v[0];
		ar->v[0] = ar->v[sel];
		ar->v[sel] = t;
		qsort_r(ar->v + 1, ar->n - 1, sizeof *ar->v, cmp_listing, (void *)net);
	}
	size_t n_opt = ar->n + s->refused.n, n_legs = 0;
	for (size_t i = 0; i < ar->n; i++)
		n_legs += (size_t)ar->v[i].n;
	for (size_t i = 0; i < s->refused.n; i++)
		n_legs += (size_t)s->refused.v[i].n;
	q->options = calloc(1, n_opt * sizeof *q->options + n_legs * sizeof(struct routing_leg_out) + 1);
	if (q->options == NULL)
		return -1;
	struct routing_leg_out *legs = (struct routing_leg_out *)(q->options + n_opt);
	q->n_options = n_opt;
	for (size_t i = 0; i < n_opt; i++) {
		bool refused = i >= ar->n;
		const struct rcand *c = refused ? &s->refused.v[i - ar->n] : &ar->v[i];
		struct routing_option *o = &q->options[i];
		o->legs = legs;
		legs += c->n;
		fill_legs(s, c, o);
		if (refused) {
			o->reason = c->refused == RPARCEL_REFUSE_HEAVY ? ROUTING_TOO_HEAVY
			                                               : ROUTING_TOO_LARGE;
			o->refused_leg = net->legs[c->legs[c->refused_at]].id;
			o->cost_minor = 0;
			for (int k = 0; k < c->n; k++)
				o->cost_minor = rcost_add(o->cost_minor, s->cost[c->legs[k]]);
			o->delivery_p50 = o->delivery_p95 = ROUTING_NEVER;
			continue;
		}
		o->cost_minor = c->cost;
		o->p_on_time = c->p;
		o->p_beyond_horizon = c->beyond;
		if (i == 0)
			o->reason = ROUTING_SELECTED;
		else if (!feasible || c->p < s->req->target)
			o->reason = ROUTING_SLOWER_THAN_PROMISE;
		else if (c->cost > ar->v[0].cost)
			o->reason = ROUTING_MORE_EXPENSIVE;
		else
			o->reason = ROUTING_DOMINATED;
	}
	rdetail_options(s, q, ar->n);
	return 0;
}
