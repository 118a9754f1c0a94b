// SPDX-License-Identifier: GPL-2.0
/*
 * llfree_workloads - the LLFree bulk and rand workloads (bench/workloads.h) on a machine
 * model, for pagealloc_bench (or any suite) to register next to its own rows.
 *
 *   bulk  thread T (bound to model CPU T) allocates llfree_blocks(order) blocks with
 *         alloc_pages(GFP_KERNEL, order), then frees them all; alloc and free timed apart.
 *   rand  every thread allocates its share into a shared array; after a barrier thread T
 *         frees the slots perm[T*n .. (T+1)*n) of a fixed random permutation, i.e. mostly
 *         blocks other CPUs allocated: they go onto T's per-CPU lists (remote frees).
 *
 * Counters as pagealloc_bench's (taken on the thread's own CPU, averaged over threads,
 * "per operation" being per allocation) plus alloc_ns and free_ns.  The last thread out of a
 * run drains every pcp list and runs check_machine().
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "bench/max_threads.h"
#include "bench/bench_common.h"
#include "bench/gbench.h"
#include "bench/workloads.h"
#include "pcp/pcp.h"

struct wl_arg {
	struct machine *m;
	unsigned int order;
};

int llfree_model_check_failures(void)
{
	return bench_check_failures();
}

/* The common counters, plus alloc_ns and free_ns (LLFree's: the two halves timed apart). */
static void set_counters(gb_state *s, const struct bench_snap *a, const struct bench_snap *b, long ops, uint64_t alloc_ns,
			 uint64_t free_ns)
{
	double allocs = (double)ops;

	bench_set_counters(s, a, b, ops);
	gb_counter(s, "alloc_ns", allocs ? (double)alloc_ns / allocs : 0, GB_AVG_THREADS);
	gb_counter(s, "free_ns", allocs ? (double)free_ns / allocs : 0, GB_AVG_THREADS);
	gb_set_items_processed(s, ops);
}

static inline uint64_t ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* n blocks into pages[]; false (and every block given back) when one could not be had. */
static bool model_alloc_n(struct page **pages, int n, unsigned int order)
{
	for (int i = 0; i < n; i++)
		if (unlikely(!(pages[i] = alloc_pages(GFP_KERNEL, order)))) {
			while (i--)
				__free_pages(pages[i], order);
			return false;
		}
	return true;
}

static void bm_bulk(gb_state *s, void *argp)
{
	const struct wl_arg *arg = argp;
	struct machine *m = arg->m;
	const unsigned int order = arg->order;
	const int n = llfree_blocks(order);
	struct page **pages = malloc(sizeof(*pages) * (size_t)n);
	uint64_t alloc_ns = 0, free_ns = 0;
	struct bench_snap a, b;

	if (!pages) {
		gb_skip_with_error(s, "out of memory for the block array");
		return;
	}
	if (!bench_bind_thread(s, m)) {
		free(pages);
		return;
	}
	/* warm-up, untimed and before the counters are read, as peer_bench does */
	bool ok = model_alloc_n(pages, n, order);
	for (int i = 0; ok && i < n; i++)
		__free_pages(pages[i], order);
	bench_take_snap(m, smp_processor_id(), 1, &a);
	while (ok && gb_keep_running(s)) {
		uint64_t t0 = ns_now();
		if (unlikely(!(ok = model_alloc_n(pages, n, order))))
			break;
		uint64_t t1 = ns_now();
		for (int i = 0; i < n; i++)
			__free_pages(pages[i], order);
		uint64_t t2 = ns_now();
		alloc_ns += t1 - t0;
		free_ns += t2 - t1;
	}
	if (!ok)
		bench_alloc_failed(s, m, order);
	bench_take_snap(m, smp_processor_id(), 1, &b);
	set_counters(s, &a, &b, gb_iterations_done(s) * n, alloc_ns, free_ns);
	free(pages);
	bench_finish_run(s, m, "llfree workload", NULL);
}

/* rand: shared by the threads of one run; thread 0 sets it up before the loop. */
static struct {
	struct spin_barrier barrier;
	struct page **slots;
	unsigned *perm;
	int n;
	atomic_int failed;      /* thread 0 could not allocate the arrays */
	atomic_int alloc_failed; /* a thread's alloc_pages failed: every thread ends the row there */
	atomic_int bind_failed; /* some thread could not bind its CPU */
} rnd;

static void bm_rand(gb_state *s, void *argp)
{
	const struct wl_arg *arg = argp;
	struct machine *m = arg->m;
	const unsigned int order = arg->order;
	const int t = gb_thread_index(s);
	uint64_t alloc_ns = 0, free_ns = 0;
	struct bench_snap a, b;

	if (gb_threads_count(s) > m->nr_cpus) {
		gb_skip_with_error(s, "more threads than the machine model has CPUs (--cpus)");
		return;         /* every thread of the run returns here: no barrier is entered */
	}
	if (t == 0) {
		int threads = gb_threads_count(s);
		rnd.n = llfree_blocks(order);
		size_t total = (size_t)threads * (size_t)rnd.n;
		rnd.slots = calloc(total, sizeof(*rnd.slots));
		rnd.perm = malloc(total * sizeof(*rnd.perm));
		atomic_store(&rnd.failed, !rnd.slots || !rnd.perm);
		if (rnd.perm)
			llfree_permutation(rnd.perm, (unsigned)total, 0x5eed0000ull + (unsigned)threads);
		spin_barrier_init(&rnd.barrier, threads);
	}
	/* each thread's binding result is published before the loop start, read after it */
	bool bound = cpu_bind(m, t) == 0;
	if (bound) {
		/* warm-up, untimed and before the counters are read, as peer_bench does */
		const int n = llfree_blocks(order);
		struct page **w = malloc(sizeof(*w) * (size_t)n);
		if (w && model_alloc_n(w, n, order))
			for (int i = 0; i < n; i++)
				__free_pages(w[i], order);
		else
			atomic_store(&rnd.alloc_failed, 1);
		free(w);
		bench_take_snap(m, t, 1, &a);
	}
	else
		atomic_store(&rnd.bind_failed, 1);
	while (gb_keep_running(s)) {
		if (atomic_load_explicit(&rnd.failed, memory_order_relaxed) ||
		    atomic_load_explicit(&rnd.bind_failed, memory_order_relaxed)) {
			/* the same answer in every thread: none enters a barrier */
			gb_skip_with_error(s, atomic_load(&rnd.failed) ? "out of memory for the shared block array"
								       : "cpu_bind failed");
			continue;       /* gb_keep_running now returns false */
		}
		struct page **mine = rnd.slots + (size_t)t * (size_t)rnd.n;
		const unsigned *perm = rnd.perm + (size_t)t * (size_t)rnd.n;
		uint64_t t0 = ns_now();
		for (int i = 0; i < rnd.n; i++)
			if (unlikely(!(mine[i] = alloc_pages(GFP_KERNEL, order))))
				atomic_store(&rnd.alloc_failed, 1);     /* the slot stays NULL */
		uint64_t t1 = ns_now();
		spin_barrier_wait(&rnd.barrier);
		uint64_t t2 = ns_now();
		for (int i = 0; i < rnd.n; i++)
			if (likely(rnd.slots[perm[i]]))
				__free_pages(rnd.slots[perm[i]], order);
		uint64_t t3 = ns_now();
		spin_barrier_wait(&rnd.barrier);
		alloc_ns += t1 - t0;
		free_ns += t3 - t2;
		/* set before the first barrier, read after the second: every thread sees the same */
		if (atomic_load(&rnd.alloc_failed))
			bench_alloc_failed(s, m, order);        /* gb_keep_running now returns false */
	}
	if (!atomic_load(&rnd.failed) && !atomic_load(&rnd.bind_failed) && !atomic_load(&rnd.alloc_failed)) {
		bench_take_snap(m, t, 1, &b);
		set_counters(s, &a, &b, gb_iterations_done(s) * rnd.n, alloc_ns, free_ns);
	}
	spin_barrier_wait(&rnd.barrier);        /* nobody reads the arrays or the flags any more */
	if (t == 0) {
		free(rnd.slots);
		free(rnd.perm);
		rnd.slots = NULL;
		rnd.perm = NULL;
		atomic_store(&rnd.bind_failed, 0);
		atomic_store(&rnd.alloc_failed, 0);
	}
	bench_finish_run(s, m, "llfree workload", NULL);
}

static struct wl_arg *new_arg(struct machine *m, unsigned int order)
{
	struct wl_arg *a = gb_arg_alloc(sizeof(*a));
	a->m = m;
	a->order = order;
	return a;
}

void register_llfree_model_workloads(struct machine *m, const char *allocator, int max_threads, unsigned workloads)
{
	static const unsigned int orders[] = { 0, 9 };
	char name[192];

	if (max_threads > m->nr_cpus)
		max_threads = m->nr_cpus;
	if (max_threads < 1)
		max_threads = 1;
	if (!workloads)
		workloads = LLFREE_ALL;
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		if (workloads & LLFREE_BULK) {
			snprintf(name, sizeof(name), "bulk/%s/order:%u", allocator, orders[o]);
			gb_use_real_time(
				bench_thread_counts(gb_register(name, bm_bulk, new_arg(m, orders[o])), 1, max_threads, m->nr_cpus));
		}
		if (workloads & LLFREE_RAND) {
			snprintf(name, sizeof(name), "rand/%s/order:%u", allocator, orders[o]);
			gb_use_real_time(
				bench_thread_counts(gb_register(name, bm_rand, new_arg(m, orders[o])), 1, max_threads, m->nr_cpus));
		}
	}
}
