// SPDX-License-Identifier: GPL-2.0
/*
 * peer_bench - the LLFree workloads (repeat, bulk, rand; bench/workloads.h) over 4 KiB
 * blocks from a userspace allocator: aligned_alloc(4096, 4096 << order) and free(), orders 0
 * and 9 (2 MiB).  Rows are named like pagealloc_bench's,
 *   WORKLOAD/PEER/order:N/real_time/threads:T,
 * with PEER taken from the environment variable PEER_NAME: glibc, jemalloc, mimalloc or
 * tcmalloc.  It is one plain program; scripts/lib/run-peers runs it under LD_PRELOAD of each
 * Debian library.  At startup it checks that the allocator in use is the one PEER_NAME
 * names (by a symbol only that library exports) and exits 2 with a message if not.
 *
 * The blocks are not touched (the model's frames are not either): what is measured is the
 * allocator's bookkeeping, not page faults.  bulk and rand warm up untimed first (each thread
 * allocates and frees its share once), so a run of one long iteration does not report the
 * allocator's cold start.  Threads: 1..BENCH_MAX_THREADS (environment;
 * default the host's CPU count), every count.
 *
 * Counters: ops_per_second (allocations per second of real time), and for bulk and rand
 * alloc_ns and free_ns (ns per allocation and per free, averaged over threads).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/gbench.h"
#include "bench/workloads.h"
#include "bench/max_threads.h"

#define BLOCK_SIZE 4096ul

static const char *peer;

struct peer_arg {
	unsigned int order;
};

static inline uint64_t ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void *block_alloc(unsigned int order)
{
	void *p = aligned_alloc(BLOCK_SIZE, BLOCK_SIZE << order);
	if (__builtin_expect(!p, 0)) {
		fprintf(stderr, "peer_bench: aligned_alloc(4096, %lu) failed\n", BLOCK_SIZE << order);
		abort();
	}
	return p;
}

/* repeat: allocate and free one block in a loop. */
static void bm_repeat(gb_state *s, void *argp)
{
	const struct peer_arg *arg = argp;
	const unsigned int order = arg->order;

	free(block_alloc(order));       /* warm this thread's cache, as the model's repeat does */
	while (gb_keep_running_batch(s, 64)) {
		for (int i = 0; i < 64; i++) {
			void *p = block_alloc(order);
			gb_do_not_optimize(p);
			free(p);
		}
	}
	gb_counter(s, "ops_per_second", (double)gb_iterations_done(s), GB_IS_RATE);
}

static void set_split_counters(gb_state *s, uint64_t alloc_ns, uint64_t free_ns, long ops)
{
	gb_counter(s, "alloc_ns", ops ? (double)alloc_ns / (double)ops : 0, GB_AVG_THREADS);
	gb_counter(s, "free_ns", ops ? (double)free_ns / (double)ops : 0, GB_AVG_THREADS);
	gb_counter(s, "ops_per_second", (double)ops, GB_IS_RATE);
	gb_set_items_processed(s, ops);
}

/* bulk: allocate this thread's share, then free it all; the halves are timed apart. */
static void bm_bulk(gb_state *s, void *argp)
{
	const struct peer_arg *arg = argp;
	const unsigned int order = arg->order;
	const int n = llfree_blocks(order);
	void **blocks = malloc(sizeof(*blocks) * (size_t)n);
	uint64_t alloc_ns = 0, free_ns = 0;

	if (!blocks) {
		gb_skip_with_error(s, "out of memory for the block array");
		return;
	}
	/* warm-up, untimed: the first pass pays for this thread's heap and the allocator's
	 * first requests to the kernel, which a one-iteration run would otherwise report */
	for (int i = 0; i < n; i++)
		blocks[i] = block_alloc(order);
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	while (gb_keep_running(s)) {
		uint64_t t0 = ns_now();
		for (int i = 0; i < n; i++)
			blocks[i] = block_alloc(order);
		uint64_t t1 = ns_now();
		for (int i = 0; i < n; i++)
			free(blocks[i]);
		uint64_t t2 = ns_now();
		alloc_ns += t1 - t0;
		free_ns += t2 - t1;
	}
	set_split_counters(s, alloc_ns, free_ns, gb_iterations_done(s) * n);
	free(blocks);
}

/* rand: state shared by the threads of one run, set up by thread 0 before the loop. */
static struct {
	struct spin_barrier barrier;
	void **slots;           /* [threads * n]: thread t allocates into [t*n, (t+1)*n) */
	unsigned *perm;         /* thread t frees slots perm[t*n .. (t+1)*n) */
	int threads, n;
	_Atomic int failed;
} rnd;

static void bm_rand(gb_state *s, void *argp)
{
	const struct peer_arg *arg = argp;
	const unsigned int order = arg->order;
	const int t = gb_thread_index(s);
	uint64_t alloc_ns = 0, free_ns = 0;

	if (t == 0) {
		rnd.threads = gb_threads_count(s);
		rnd.n = llfree_blocks(order);
		size_t total = (size_t)rnd.threads * (size_t)rnd.n;
		rnd.slots = calloc(total, sizeof(*rnd.slots));
		rnd.perm = malloc(total * sizeof(*rnd.perm));
		atomic_store(&rnd.failed, !rnd.slots || !rnd.perm);
		if (rnd.perm)
			llfree_permutation(rnd.perm, (unsigned)total, 0x5eed0000ull + (unsigned)rnd.threads);
		spin_barrier_init(&rnd.barrier, rnd.threads);
	}
	/* warm-up, untimed, as in bulk: this thread's share, allocated and freed locally */
	{
		const int n = llfree_blocks(order);
		void **w = malloc(sizeof(*w) * (size_t)n);
		for (int i = 0; w && i < n; i++)
			w[i] = block_alloc(order);
		for (int i = 0; w && i < n; i++)
			free(w[i]);
		free(w);
	}
	/* every thread calls gb_keep_running the same number of times, so the barriers match;
	 * rnd is read only inside the loop, after thread 0 has set it up */
	while (gb_keep_running(s)) {
		if (atomic_load_explicit(&rnd.failed, memory_order_relaxed)) {
			gb_skip_with_error(s, "out of memory for the shared block array");
			continue;       /* gb_keep_running now returns false */
		}
		void **mine = rnd.slots + (size_t)t * (size_t)rnd.n;
		const unsigned *perm = rnd.perm + (size_t)t * (size_t)rnd.n;
		uint64_t t0 = ns_now();
		for (int i = 0; i < rnd.n; i++)
			mine[i] = block_alloc(order);
		uint64_t t1 = ns_now();
		spin_barrier_wait(&rnd.barrier);
		uint64_t t2 = ns_now();
		for (int i = 0; i < rnd.n; i++)
			free(rnd.slots[perm[i]]);
		uint64_t t3 = ns_now();
		spin_barrier_wait(&rnd.barrier);
		alloc_ns += t1 - t0;
		free_ns += t3 - t2;
	}
	if (!atomic_load(&rnd.failed))
		set_split_counters(s, alloc_ns, free_ns, gb_iterations_done(s) * rnd.n);
	/* the last barrier of the loop has passed: no thread reads the arrays any more */
	spin_barrier_wait(&rnd.barrier);
	if (t == 0) {
		free(rnd.slots);
		free(rnd.perm);
		rnd.slots = NULL;
		rnd.perm = NULL;
	}
}

/*
 * Which allocator is in use: the marker symbol only that library exports, found through the
 * global scope (where an LD_PRELOADed library comes first), and the file that malloc comes
 * from.  Returns 0 when PEER_NAME matches, else prints why and returns -1.
 */
static const struct {
	const char *name, *marker;
} peers[] = {
	{ "jemalloc", "mallocx" },
	{ "mimalloc", "mi_malloc" },
	{ "tcmalloc", "tc_malloc" },
};

static char peer_library[512], peer_version[64];

static int check_peer(const char *name)
{
	const char *found = NULL;
	void *marker = NULL;
	Dl_info info;

	for (size_t i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
		void *sym = dlsym(RTLD_DEFAULT, peers[i].marker);
		if (!sym)
			continue;
		if (found) {
			fprintf(stderr, "peer_bench: both %s and %s are loaded: preload one allocator\n", found,
				peers[i].name);
			return -1;
		}
		found = peers[i].name;
		marker = sym;
	}
	if (!found)
		found = "glibc";
	void *m = dlsym(RTLD_DEFAULT, "malloc");
	snprintf(peer_library, sizeof(peer_library), "%s",
		 m && dladdr(m, &info) && info.dli_fname ? info.dli_fname : "?");
	if (strcmp(found, name)) {
		fprintf(stderr, "peer_bench: PEER_NAME=%s, but the allocator in use is %s (malloc from %s).\n", name,
			found, peer_library);
		if (!strcmp(name, "glibc"))
			fprintf(stderr, "  Run it without LD_PRELOAD, or set PEER_NAME=%s.\n", found);
		else
			fprintf(stderr, "  Run it under LD_PRELOAD of the %s library (scripts/lib/run-peers does).\n", name);
		return -1;
	}
	/* the library that exports the marker must also be the one malloc resolves to */
	if (marker) {
		char marker_file[512];
		snprintf(marker_file, sizeof(marker_file), "%s",
			 dladdr(marker, &info) && info.dli_fname ? info.dli_fname : "?");
		if (strcmp(marker_file, peer_library)) {
			fprintf(stderr, "peer_bench: %s is loaded from %s, but malloc resolves to %s: preload it "
					"(LD_PRELOAD) rather than linking or dlopening it\n",
				name, marker_file, peer_library);
			return -1;
		}
	}
	/* the library's own version, where it says */
	if (!strcmp(name, "glibc")) {
		snprintf(peer_version, sizeof(peer_version), "%s", gnu_get_libc_version());
	} else if (!strcmp(name, "jemalloc")) {
		int (*mallctl)(const char *, void *, size_t *, void *, size_t) = (int (*)(const char *, void *, size_t *,
											void *, size_t))dlsym(RTLD_DEFAULT, "mallctl");
		const char *v = NULL;
		size_t len = sizeof(v);
		if (mallctl && !mallctl("version", &v, &len, NULL, 0) && v)
			snprintf(peer_version, sizeof(peer_version), "%s", v);
	} else if (!strcmp(name, "mimalloc")) {
		int (*mi_version)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "mi_version");
		if (mi_version) {
			int v = mi_version();   /* e.g. 209 for 2.0.9 */
			snprintf(peer_version, sizeof(peer_version), "%d.%d.%d", v / 100, v / 10 % 10, v % 10);
		}
	} else if (!strcmp(name, "tcmalloc")) {
		const char *(*tc_version)(int *, int *, const char **) =
			(const char *(*)(int *, int *, const char **))dlsym(RTLD_DEFAULT, "tc_version");
		int major, minor;
		const char *patch;
		if (tc_version)
			snprintf(peer_version, sizeof(peer_version), "%s", tc_version(&major, &minor, &patch));
	}
	return 0;
}

static struct peer_arg *new_arg(unsigned int order)
{
	struct peer_arg *a = gb_arg_alloc(sizeof(*a));
	a->order = order;
	return a;
}

int main(int argc, char **argv)
{
	if (bench_threads_take("peer_bench", &argc, argv))
		return 2;
	char name[160];
	long host_cpus = sysconf(_SC_NPROCESSORS_ONLN);

	peer = getenv("PEER_NAME");
	if (!peer || !*peer) {
		fprintf(stderr, "peer_bench: set PEER_NAME to glibc, jemalloc, mimalloc or tcmalloc "
				"(and LD_PRELOAD the library; see scripts/lib/run-peers)\n");
		return 2;
	}
	if (strcmp(peer, "glibc") && strcmp(peer, "jemalloc") && strcmp(peer, "mimalloc") && strcmp(peer, "tcmalloc")) {
		fprintf(stderr, "peer_bench: PEER_NAME=%s is not glibc, jemalloc, mimalloc or tcmalloc\n", peer);
		return 2;
	}
	if (check_peer(peer))
		return 2;

	int max_threads = bench_max_threads("peer_bench", (int)host_cpus);
	if (max_threads < 0)
		return 2;

	static const struct {
		const char *name;
		gb_fn *fn;
	} workloads[] = { { "repeat", bm_repeat }, { "bulk", bm_bulk }, { "rand", bm_rand } };
	static const unsigned int orders[] = { 0, 9 };
	for (size_t w = 0; w < sizeof(workloads) / sizeof(workloads[0]); w++)
		for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
			snprintf(name, sizeof(name), "%s/%s/order:%u", workloads[w].name, peer, orders[o]);
			gb_benchmark *b = gb_register(name, workloads[w].fn, new_arg(orders[o]));
			gb_use_real_time(bench_thread_counts(b, 1, max_threads, 1024));
		}

	if (gb_initialize(&argc, argv))
		return 2;
	gb_add_context("peer", peer);
	gb_add_context("peer_library", peer_library);
	if (*peer_version)
		gb_add_context("peer_version", peer_version);
	char buf[64];
	snprintf(buf, sizeof(buf), "%ld", host_cpus);
	gb_add_context("host_cpus", buf);
	snprintf(buf, sizeof(buf), "%lu", BLOCK_SIZE);
	gb_add_context("block_bytes", buf);
	gb_run_specified();
	gb_shutdown();
	return gb_any_error() ? 1 : 0;
}
