/* check_workers.c — the worker threads (api/http/workers.h): every task runs exactly once on a
 * worker thread and completes on the loop's thread; per-thread indexes are distinct; a full
 * queue refuses; stopping runs what is queued and delivers every completion; with no
 * threads a task runs and completes at once. */
#include <check.h>
#include <event2/event.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/workers.h"

#define THREADS 3

struct counts {
	struct event_base *base;
	pthread_t loop;
	int done, expected;
	int done_off_loop;         /* completions seen on another thread: must stay 0 */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int gate_open;             /* gated tasks wait for this */
	int running;               /* gated tasks inside run() */
	pthread_t by_index[THREADS];
	int index_clash;           /* two threads reported the same index */
};

struct task {
	struct workers_task t;     /* first */
	struct counts *c;
	int gated;
	int runs;
	int worker;
	unsigned long result;
};

static void task_run(struct workers_task *wt, int worker)
{
	struct task *k = (struct task *)wt;
	struct counts *c = k->c;
	pthread_mutex_lock(&c->mu);
	if (worker >= 0 && worker < THREADS) {
		if (c->by_index[worker] == 0)
			c->by_index[worker] = pthread_self();
		else if (!pthread_equal(c->by_index[worker], pthread_self()))
			c->index_clash = 1;
	}
	if (k->gated) {
		c->running++;
		pthread_cond_broadcast(&c->cv);
		while (!c->gate_open)
			pthread_cond_wait(&c->cv, &c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	unsigned long x = 1;
	for (int i = 0; i < 1000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	k->result = x;
	k->worker = worker;
	k->runs++;
}

static void task_done(struct workers_task *wt)
{
	struct task *k = (struct task *)wt;
	struct counts *c = k->c;
	if (!pthread_equal(pthread_self(), c->loop))
		c->done_off_loop++;
	if (++c->done == c->expected && c->base)
		event_base_loopbreak(c->base);
}

static void counts_init(struct counts *c, struct event_base *base, int expected)
{
	memset(c, 0, sizeof *c);
	c->base = base;
	c->loop = pthread_self();
	c->expected = expected;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
}

static void task_init(struct task *k, struct counts *c, int gated)
{
	memset(k, 0, sizeof *k);
	k->t.run = task_run;
	k->t.done = task_done;
	k->c = c;
	k->gated = gated;
	k->worker = -1;
}

START_TEST(every_task_once_completed_on_the_loop)
{
	enum { N = 2000 };
	struct event_base *base = event_base_new();
	struct workers *w = workers_new(base, THREADS, N);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(workers_slots(w), THREADS);
	struct counts c;
	counts_init(&c, base, N);
	struct task *tasks = calloc(N, sizeof *tasks);
	for (int i = 0; i < N; i++) {
		task_init(&tasks[i], &c, 0);
		ck_assert_int_eq(workers_submit(w, &tasks[i].t), 0);
	}
	event_base_dispatch(base);
	ck_assert_int_eq(c.done, N);
	ck_assert_int_eq(c.done_off_loop, 0);
	ck_assert_int_eq(c.index_clash, 0);
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(tasks[i].runs, 1);
		ck_assert_int_ge(tasks[i].worker, 0);
		ck_assert_int_lt(tasks[i].worker, THREADS);
		ck_assert(tasks[i].result != 0);
	}
	for (int i = 0; i < THREADS; i++) /* none ran on the loop's thread */
		ck_assert(c.by_index[i] == 0 || !pthread_equal(c.by_index[i], c.loop));
	workers_free(w);
	event_base_free(base);
	free(tasks);
}
END_TEST

/* Every thread held inside a gated task, the queue takes queue_max more and refuses the
 * next; stopping runs the queued ones and delivers all completions in workers_free(). */
START_TEST(full_queue_refuses_and_stop_delivers)
{
	enum { QMAX = 4 };
	struct event_base *base = event_base_new();
	struct workers *w = workers_new(base, THREADS, QMAX);
	ck_assert_ptr_nonnull(w);
	struct counts c;
	counts_init(&c, NULL, THREADS + QMAX);
	struct task gated[THREADS], queued[QMAX], refused;
	for (int i = 0; i < THREADS; i++) {
		task_init(&gated[i], &c, 1);
		ck_assert_int_eq(workers_submit(w, &gated[i].t), 0);
	}
	pthread_mutex_lock(&c.mu);
	while (c.running < THREADS) /* every thread is inside a gated task */
		pthread_cond_wait(&c.cv, &c.mu);
	pthread_mutex_unlock(&c.mu);
	for (int i = 0; i < QMAX; i++) {
		task_init(&queued[i], &c, 0);
		ck_assert_int_eq(workers_submit(w, &queued[i].t), 0);
	}
	task_init(&refused, &c, 0);
	ck_assert_int_eq(workers_submit(w, &refused.t), -1);
	ck_assert_int_eq(refused.runs, 0);

	pthread_mutex_lock(&c.mu);
	c.gate_open = 1;
	pthread_cond_broadcast(&c.cv);
	pthread_mutex_unlock(&c.mu);
	workers_free(w); /* on this thread: it delivers what the loop has not */
	ck_assert_int_eq(c.done, THREADS + QMAX);
	ck_assert_int_eq(c.done_off_loop, 0);
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(gated[i].runs, 1);
	for (int i = 0; i < QMAX; i++)
		ck_assert_int_eq(queued[i].runs, 1);
	ck_assert_int_eq(refused.runs, 0);
	event_base_free(base);
}
END_TEST

START_TEST(no_threads_runs_in_the_loop)
{
	struct event_base *base = event_base_new();
	struct workers *w = workers_new(base, 0, 1);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(workers_slots(w), 1);
	struct counts c;
	counts_init(&c, NULL, 2);
	struct task a, b;
	task_init(&a, &c, 0);
	task_init(&b, &c, 0);
	ck_assert_int_eq(workers_submit(w, &a.t), 0);
	ck_assert_int_eq(a.runs, 1); /* ran and completed before submit returned */
	ck_assert_int_eq(c.done, 1);
	ck_assert_int_eq(a.worker, 0);
	ck_assert_int_eq(workers_submit(w, &b.t), 0); /* no queue to fill */
	ck_assert_int_eq(c.done, 2);
	ck_assert_int_eq(c.done_off_loop, 0);
	workers_free(w);
	event_base_free(base);
}
END_TEST

Suite *workers_suite(void);
Suite *workers_suite(void)
{
	Suite *s = suite_create("workers");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_task_once_completed_on_the_loop);
	tcase_add_test(tc, full_queue_refuses_and_stop_delivers);
	tcase_add_test(tc, no_threads_runs_in_the_loop);
	suite_add_tcase(s, tc);
	return s;
}
