/* workers.c — the worker threads: a mutex-guarded FIFO of tasks, a list of finished tasks,
 * and an eventfd that wakes the loop when that list stops being empty. */
#include "api/http/workers.h"

#include <errno.h>
#include <event2/event.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "api/http/log.h"

struct thread_arg {
	struct workers *w;
	int index;
};

struct workers {
	struct event_base *base;
	struct event *wake;          /* the loop's read event on efd */
	int efd;
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* a task was queued, or the pool is stopping */
	struct workers_task *head, *tail; /* waiting to run */
	int queued, queue_max;
	int idle;                    /* threads waiting on cv */
	struct workers_task *done_head, *done_tail; /* finished, completion not delivered */
	int stopping;
	int nthreads;                /* started */
	pthread_t *threads;
	struct thread_arg *args;
};

/* Appends t to a singly linked list. */
static void list_push(struct workers_task **head, struct workers_task **tail,
                      struct workers_task *t)
{
	t->next = NULL;
	if (*tail)
		(*tail)->next = t;
	else
		*head = t;
	*tail = t;
}

/* Runs the completions of a detached list, in order. */
static void deliver(struct workers_task *t)
{
	while (t) {
		struct workers_task *next = t->next;
		t->done(t);
		t = next;
	}
}

/* Takes the finished tasks (under the lock) and delivers them. */
static void deliver_finished(struct workers *w)
{
	pthread_mutex_lock(&w->mu);
	struct workers_task *t = w->done_head;
	w->done_head = w->done_tail = NULL;
	pthread_mutex_unlock(&w->mu);
	deliver(t);
}

static void on_wake(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	uint64_t n;
	/* reset the counter first: a task finishing after this read writes again */
	while (read(fd, &n, sizeof n) < 0 && errno == EINTR) {
	}
	deliver_finished(arg);
}

/* A worker: takes the next task, runs it, hands it back and takes the next one in the same
 * critical section (one lock per task); wakes the loop only when the finished list was
 * empty (the loop drains all of it per wake-up). */
static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	struct workers *w = a->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		w->idle++;
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		w->idle--;
		struct workers_task *t = w->head;
		if (!t) /* stopping, and nothing left to run */
			break;
		w->head = t->next;
		if (!w->head)
			w->tail = NULL;
		w->queued--;
		pthread_mutex_unlock(&w->mu);

		t->run(t, a->index);

		pthread_mutex_lock(&w->mu);
		int was_empty = w->done_head == NULL;
		list_push(&w->done_head, &w->done_tail, t);
		if (was_empty) {
			pthread_mutex_unlock(&w->mu);
			uint64_t one = 1;
			while (write(w->efd, &one, sizeof one) < 0 && errno == EINTR) {
			}
			pthread_mutex_lock(&w->mu);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct workers *workers_new(struct event_base *base, int threads, int queue_max)
{
	struct workers *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->base = base;
	w->queue_max = queue_max;
	w->efd = -1;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (threads <= 0)
		return w;
	w->threads = calloc((size_t)threads, sizeof *w->threads);
	w->args = calloc((size_t)threads, sizeof *w->args);
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!w->threads || !w->args || w->efd < 0 ||
	    !(w->wake = event_new(base, w->efd, EV_READ | EV_PERSIST, on_wake, w)) ||
	    event_add(w->wake, NULL) != 0) {
		log_error("workers: cannot set up the loop's wake-up");
		goto fail;
	}
	/* workers take no signals: SIGTERM and SIGINT stay with the loop's thread */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (int i = 0; i < threads; i++) {
		w->args[i] = (struct thread_arg){.w = w, .index = i};
		int rc = pthread_create(&w->threads[i], NULL, thread_main, &w->args[i]);
		if (rc != 0) {
			log_error("workers: cannot start thread %d of %d (error %d)", i + 1, threads, rc);
			break;
		}
		w->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (w->nthreads == threads)
		return w;
fail:
	workers_free(w);
	return NULL;
}

int workers_auto_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 2 ? (int)(n > 65 ? 64 : n - 1) : 1;
}

int workers_slots(const struct workers *w)
{
	return w->nthreads > 0 ? w->nthreads : 1;
}

int workers_submit(struct workers *w, struct workers_task *t)
{
	if (w->nthreads == 0) {
		t->run(t, 0);
		t->done(t);
		return 0;
	}
	pthread_mutex_lock(&w->mu);
	if (w->queued >= w->queue_max || w->stopping) {
		pthread_mutex_unlock(&w->mu);
		return -1;
	}
	list_push(&w->head, &w->tail, t);
	w->queued++;
	int wake = w->idle > 0; /* a busy worker takes it when it finishes: no wake-up needed */
	pthread_mutex_unlock(&w->mu);
	if (wake) /* after unlocking: the woken thread does not wait for our mutex */
		pthread_cond_signal(&w->cv);
	return 0;
}

void workers_free(struct workers *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	deliver_finished(w); /* every thread has stopped: nothing is added any more */
	if (w->wake)
		event_free(w->wake);
	if (w->efd >= 0)
		close(w->efd);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w->threads);
	free(w->args);
	free(w);
}
