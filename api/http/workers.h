/* workers.h — a few threads for CPU-bound work that must not hold up the event loop (route
 * quotes): a task runs on a worker thread, then its completion runs back on the loop thread,
 * where it may reply. The loop never waits for a worker; a worker never touches libevent.
 *
 * Tasks are taken first in, first out by whichever thread is free; their completions are
 * delivered in batches (one wake-up of the loop for every task finished since the last).
 * The queue is bounded: a full queue refuses the task and the caller answers 503.
 * With no threads, a task runs in the loop at once (the pool then only adds a call).
 */
#ifndef WMS_API_WORKERS_H
#define WMS_API_WORKERS_H

struct event_base;
struct workers;

/* Embedded in the caller's own task structure (container_of style: put it first). */
struct workers_task {
	/* On a worker thread; `worker` is its index, 0 .. workers_slots() − 1, so the task may
	 * use per-thread state kept in slots (no two threads share an index). */
	void (*run)(struct workers_task *t, int worker);
	/* On the loop thread, after run returned. May free the task. */
	void (*done)(struct workers_task *t);
	struct workers_task *next; /* private to workers.c */
};

/* A pool of `threads` threads (0: tasks run in the loop) whose completions are delivered
 * on base, refusing tasks beyond queue_max waiting (not counting those running). Returns
 * NULL when threads, memory or the loop's wake-up event cannot be had (logged). */
struct workers *workers_new(struct event_base *base, int threads, int queue_max);

/* The thread count WMS_WORKERS=auto stands for: one per online CPU but the one the loop
 * keeps busy, at least 1. */
int workers_auto_count(void);

/* How many per-thread slots a task's `worker` index may take: max(1, threads). */
int workers_slots(const struct workers *w);

/* Queues t (its run and done set). Returns 0, or -1 when the queue is full (t untouched).
 * With no threads, runs t->run and then t->done before returning 0. */
int workers_submit(struct workers *w, struct workers_task *t);

/* Stops the pool: every task already queued still runs, the threads are joined, and the
 * completions not yet delivered run here, on the calling thread (call it on the loop's
 * thread, before the server's HTTP layer is freed, so they can still reply). NULL is
 * allowed. */
void workers_free(struct workers *w);

#endif
