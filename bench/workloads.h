/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workloads.h - the LLFree workloads (USENIX ATC '23, "llfree-bench") shared by the model's
 * suite and the userspace peers (bench/peer_bench.c):
 *
 *   repeat  each thread allocates and frees one block in a loop;
 *   bulk    each thread allocates its share of blocks, then frees them all; the two halves
 *           are timed apart and reported as the counters alloc_ns and free_ns (ns per
 *           allocation / per free, averaged over threads);
 *   rand    each thread allocates its share into a shared array; after a barrier every
 *           thread frees a fixed random set of slots (a permutation drawn once per run), so
 *           nearly all of its frees are of blocks another thread allocated (remote frees);
 *           a second barrier closes the iteration.  alloc_ns and free_ns as in bulk.
 *
 * Rows are named WORKLOAD/ALLOCATOR/order:N/real_time/threads:T, as in pagealloc_bench.
 * One iteration of bulk and rand is llfree_blocks(order) allocations and as many frees per
 * thread; items_per_second counts allocations.
 *
 * Model side (bench/llfree_workloads.c, library //bench:llfree_workloads): call
 * register_llfree_model_workloads() once per machine model before gb_initialize(); the
 * consistency checker runs after every run (last thread out), and main() should fail when
 * llfree_model_check_failures() is nonzero.
 *
 * The spin barrier below is header-only so the peer binary (which does not link the model)
 * can use it too.
 */
#ifndef BENCH_WORKLOADS_H
#define BENCH_WORKLOADS_H

#include <sched.h>
#include <stdatomic.h>

struct machine;

/* Which model workloads to register (bit flags). */
#define LLFREE_BULK     (1u << 0)
#define LLFREE_RAND     (1u << 1)
#define LLFREE_ALL      (LLFREE_BULK | LLFREE_RAND)

/* Blocks per thread per iteration for bulk and rand: 4096 at order 0, fewer at high orders
 * (4096 >> min(order, 6): 64 blocks of 2 MiB at order 9). */
static inline int llfree_blocks(unsigned int order)
{
	return 4096 >> (order > 6 ? 6 : order);
}

/*
 * Register bulk/ALLOCATOR/order:{0,9} and/or rand/ALLOCATOR/order:{0,9} (workloads: LLFREE_*
 * flags; 0 means LLFREE_ALL) on machine m, each
 * for 1..max_threads threads (capped at m's CPU count), real time.  allocator is the row's
 * allocator part, e.g. "model-linux-4.12-owner" (copied).  Thread T is bound to model CPU T.
 * Counters: pcp_hit_rate, fastpath_rate, refill_pages_per_1k_allocs,
 * drain_pages_per_1k_frees, zone_lock_wait_ns (as pagealloc_bench; "per operation" is per
 * allocation), alloc_ns, free_ns, ops_per_second.
 */
void register_llfree_model_workloads(struct machine *m, const char *allocator, int max_threads, unsigned workloads);
/* Runs after which check_machine() failed (each is also printed to stderr). */
int llfree_model_check_failures(void);

/*
 * A generation-counting spin barrier for the threads of one Google Benchmark run.  Thread 0
 * calls spin_barrier_init(b, gb_threads_count(s)) before gb_keep_running (all threads wait
 * at the loop start, so nobody is inside the barrier then); every thread of the run then
 * calls spin_barrier_wait(b) the same number of times.  A completed wait leaves count at 0,
 * so the same object serves the next run.  Waiters spin, then yield (threads may outnumber
 * host CPUs).
 */
struct spin_barrier {
	atomic_int count;
	atomic_uint generation;
	int n;
};

static inline void spin_barrier_init(struct spin_barrier *b, int n)
{
	atomic_store(&b->count, 0);
	b->n = n;       /* published to the other threads by the benchmark's loop-start barrier */
}

static inline void spin_barrier_wait(struct spin_barrier *b)
{
	unsigned gen = atomic_load_explicit(&b->generation, memory_order_acquire);

	if (atomic_fetch_add_explicit(&b->count, 1, memory_order_acq_rel) + 1 == b->n) {
		atomic_store_explicit(&b->count, 0, memory_order_relaxed);
		atomic_store_explicit(&b->generation, gen + 1, memory_order_release);
		return;
	}
	for (unsigned spins = 0; atomic_load_explicit(&b->generation, memory_order_acquire) == gen; spins++) {
		if (spins < 256)
			__builtin_ia32_pause();
		else
			sched_yield();
	}
}

/* A run-independent random permutation of [0, n) (xorshift64*, fixed seed): slot i of the
 * rand workload's free phase frees the block in slot perm[i]. */
static inline void llfree_permutation(unsigned *perm, unsigned n, unsigned long long seed)
{
	unsigned long long x = seed ? seed : 0x9e3779b97f4a7c15ull;

	for (unsigned i = 0; i < n; i++)
		perm[i] = i;
	for (unsigned i = n; i > 1; i--) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		unsigned j = (unsigned)(((x * 0x2545f4914f6cdd1dull) >> 32) % i);
		unsigned t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}

#endif /* BENCH_WORKLOADS_H */
