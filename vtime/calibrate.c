// SPDX-License-Identifier: GPL-2.0
/*
 * calibrate.c - the model's own steps, timed on this host (scripts/calibrate).
 *
 * One source, two binaries (as liburcu builds one source per flavour):
 *   calibrate_time   (//alloc:page_alloc)        runs each case below on one thread and
 *                                                prints its host ns per op: "time CASE NS";
 *                                                then the steps timed directly (zone_lock,
 *                                                lock_handoff, line_socket, stat_fold,
 *                                                zero_page): "direct KEY NS".
 *   calibrate_count  (//alloc:page_alloc_vtime)  runs the same cases once with a virtual
 *                                                CPU current and prints how many of each
 *                                                step one op took: "count CASE KEY N".
 * scripts/lib/calibrate.py fits the per-step costs to the times (non-negative least
 * squares over the cases, each weighed by its own size) and writes costs/host.
 *
 * The cases vary the mix of steps so that the fit can tell them apart: pcp hits alone, and
 * through the general path (__GFP_THISNODE), refills and drains at two batch sizes
 * (linux-6.18, linux-4.12; linux-6.0 with __GFP_THISNODE), the buddy path at orders
 * 3 and 9 (linux-4.12 has no high-order pcp lists), order-9 pcp refills (6.18), random
 * frees (cold struct pages).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "vtime/costs.h"

enum kind { REPEAT, HIT, BULK, RAND };

struct calib_case {
	const char *name;               /* phase names: NAME-alloc / NAME-free, or NAME for a pair */
	enum pcp_policy_id policy;
	enum kind kind;
	unsigned order;
	unsigned long n;                /* blocks (pairs for repeat) */
	gfp_t extra;                    /* __GFP_THISNODE: the general path on every allocation */
};

static const struct calib_case cases[] = {
	{ "repeat-0", PCP_POLICY_LINUX_6_18, REPEAT, 0, 1UL << 20, 0 },
	{ "hit-0", PCP_POLICY_LINUX_6_18, HIT, 0, 1UL << 15, 0 },
	{ "hit-0-thisnode", PCP_POLICY_LINUX_6_18, HIT, 0, 1UL << 15, __GFP_THISNODE },
	{ "bulk-0-thisnode", PCP_POLICY_LINUX_6_0, BULK, 0, 1UL << 16, __GFP_THISNODE },
	{ "bulk-0", PCP_POLICY_LINUX_6_18, BULK, 0, 1UL << 16, 0 },
	{ "bulk-0-4.12", PCP_POLICY_LINUX_4_12, BULK, 0, 1UL << 16, 0 },
	{ "bulk-3-4.12", PCP_POLICY_LINUX_4_12, BULK, 3, 1UL << 13, 0 },
	{ "bulk-9", PCP_POLICY_LINUX_6_18, BULK, 9, 1UL << 7, 0 },
	{ "bulk-9-4.12", PCP_POLICY_LINUX_4_12, BULK, 9, 1UL << 7, 0 },
	{ "rand-0", PCP_POLICY_LINUX_6_18, RAND, 0, 1UL << 16, 0 },
	{ "repeat-9-4.12", PCP_POLICY_LINUX_4_12, REPEAT, 9, 1UL << 14, 0 },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static inline __attribute__((unused)) uint64_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct machine *case_machine(const struct calib_case *c)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	if (machine_desc_simple(&d, 1, 1UL << 30, 1, err, sizeof(err)))
		goto fail;
	d.policy = c->policy;
	d.scheme = PCP_SCHEME_OWNER;
	struct machine *m = machine_create(&d, err, sizeof(err));
	if (!m)
		goto fail;
	if (cpu_bind(m, 0)) {
		snprintf(err, sizeof(err), "cpu_bind failed");
		goto fail;
	}
	return m;
fail:
	fprintf(stderr, "calibrate: %s: %s\n", c->name, err);
	exit(2);
}

/* A phase's measurement: host ns, or (counting) the steps; over `ops` operations. */
struct phase {
	const char *suffix;
	uint64_t ns;
	unsigned long ops;
	uint64_t nr[VT_NR_STEPS];       /* counting (calibrate_count) */
};

#ifdef PAGEALLOC_VTIME
static struct vt_cpu counter;
static void phase_begin(struct phase *p) { (void)p; counter = (struct vt_cpu){ .clock = 1ull << 40, .last_page = ~0u }; vt_current = &counter; }
static void phase_end(struct phase *p)
{
	vt_current = NULL;
	memcpy(p->nr, counter.nr, sizeof(p->nr));
}
#else
static uint64_t t0;
static void phase_begin(struct phase *p) { (void)p; t0 = now(); }
static void phase_end(struct phase *p) { p->ns = now() - t0; }
#endif

static struct page **blocks;

/* The API's entry and exit are charged by its caller (as the simulator's vsim_alloc does). */
static inline struct page *A(gfp_t gfp, unsigned order)
{
	VT_CHARGE(ALLOC_CALL, 1);
	return alloc_pages(gfp, order);
}
static inline void F(struct page *page, unsigned order)
{
	VT_CHARGE(FREE_CALL, 1);
	__free_pages(page, order);
}

/* Run one case; fills ph[0] (and ph[1] for the free half); returns the number of phases. */
static int run_case(const struct calib_case *c, struct phase *ph, uint64_t seed)
{
	struct machine *m = case_machine(c);
	const gfp_t gfp = GFP_HIGHUSER_MOVABLE | c->extra;
	unsigned long n = c->n;
	int np = 0;

#ifdef PAGEALLOC_VTIME
	uint16_t socket0[2] = { 0, 0 };
	char err[256];
	if (vt_world_init(m, socket0, 1, 2, &vt_cost, err, sizeof(err))) {
		fprintf(stderr, "calibrate: %s\n", err);
		exit(2);
	}
#endif
	blocks = realloc(blocks, n * sizeof(*blocks));
	if (!blocks) {
		fprintf(stderr, "calibrate: out of memory\n");
		exit(2);
	}
	/*
	 * A pass before the measured one: mem_map is zero pages until first written, and the
	 * host's page faults on it (two per order-9 block's struct pages) are no step of the
	 * model. Allocating and freeing the case's memory once touches all of it.
	 */
	unsigned long warm_n = c->kind == REPEAT ? 1 : n;
	for (unsigned long i = 0; i < warm_n; i++)
		blocks[i] = alloc_pages(gfp, c->order);
	for (unsigned long i = 0; i < warm_n; i++)
		if (blocks[i])
			__free_pages(blocks[i], c->order);
	switch (c->kind) {
	case REPEAT: {
		struct page *warm = alloc_pages(gfp, c->order);        /* the first refill, outside */
		__free_pages(warm, c->order);
		ph[0] = (struct phase){ .suffix = "", .ops = n };
		phase_begin(&ph[0]);
		for (unsigned long i = 0; i < n; i++)
			F(A(gfp, c->order), c->order);
		phase_end(&ph[0]);
		np = 1;
		break;
	}
	case HIT: {
		/* 32 pages kept on the pcp list: allocated and freed, each phase all hits */
		const unsigned long k = 32, rounds = n / k;
		for (unsigned long i = 0; i < k; i++)
			blocks[i] = A(gfp, 0);
		for (unsigned long i = 0; i < k; i++)
			F(blocks[i], 0);
		ph[0] = (struct phase){ .suffix = "-alloc", .ops = rounds * k };
		ph[1] = (struct phase){ .suffix = "-free", .ops = rounds * k };
		for (unsigned long r = 0; r < rounds; r++) {
			/* alternate phases: each half's time is summed in its own phase */
#ifdef PAGEALLOC_VTIME
			uint64_t a[VT_NR_STEPS], b[VT_NR_STEPS];
			memcpy(a, ph[0].nr, sizeof(a));
			memcpy(b, ph[1].nr, sizeof(b));
			phase_begin(&ph[0]);
			for (unsigned long i = 0; i < k; i++)
				blocks[i] = A(gfp, 0);
			phase_end(&ph[0]);
			for (int s = 0; s < VT_NR_STEPS; s++)
				ph[0].nr[s] += a[s];
			phase_begin(&ph[1]);
			for (unsigned long i = 0; i < k; i++)
				F(blocks[i], 0);
			phase_end(&ph[1]);
			for (int s = 0; s < VT_NR_STEPS; s++)
				ph[1].nr[s] += b[s];
#else
			uint64_t a = now();
			for (unsigned long i = 0; i < k; i++)
				blocks[i] = A(gfp, 0);
			uint64_t b = now();
			for (unsigned long i = 0; i < k; i++)
				F(blocks[i], 0);
			ph[0].ns += b - a;
			ph[1].ns += now() - b;
#endif
		}
		np = 2;
		break;
	}
	case BULK:
	case RAND:
		ph[0] = (struct phase){ .suffix = "-alloc", .ops = n };
		ph[1] = (struct phase){ .suffix = "-free", .ops = n };
		phase_begin(&ph[0]);
		for (unsigned long i = 0; i < n; i++)
			blocks[i] = A(gfp, c->order);
		phase_end(&ph[0]);
		if (c->kind == RAND) {
			uint64_t x = seed;
			for (unsigned long i = n - 1; i > 0; i--) {
				x = x * 6364136223846793005ull + 1442695040888963407ull;
				unsigned long j = (unsigned long)((x >> 33) % (i + 1));
				struct page *t = blocks[i];
				blocks[i] = blocks[j];
				blocks[j] = t;
			}
		}
		for (unsigned long i = 0; i < n; i++)
			if (!blocks[i]) {
				fprintf(stderr, "calibrate: %s: allocation %lu failed\n", c->name, i);
				exit(2);
			}
		phase_begin(&ph[1]);
		for (unsigned long i = 0; i < n; i++)
			F(blocks[i], c->order);
		phase_end(&ph[1]);
		np = 2;
		break;
	}
#ifdef PAGEALLOC_VTIME
	vt_world_exit();
#endif
	cpu_unbind();
	machine_destroy(m);
	return np;
}

#ifdef PAGEALLOC_VTIME
/* calibrate_count COSTS: the steps per op of every case (the cost file gives cache_window). */
int main(int argc, char **argv)
{
	struct vt_cost_file f;
	char err[512];

	if (argc != 2 || vt_costs_read(&f, argv[1], err, sizeof(err))) {
		fprintf(stderr, "usage: calibrate_count COSTS%s%s\n", argc == 2 ? ": " : "", argc == 2 ? err : "");
		return 2;
	}
	vt_cost = f.costs;
	for (size_t c = 0; c < NR_CASES; c++) {
		struct phase ph[2];
		memset(ph, 0, sizeof(ph));
		int np = run_case(&cases[c], ph, 1);
		for (int i = 0; i < np; i++) {
			for (int s = 0; s < VT_NR_STEPS; s++)
				if (ph[i].nr[s])
					printf("count %s%s %s %.6f\n", cases[c].name, ph[i].suffix, vt_step_key[s],
					       (double)ph[i].nr[s] / (double)ph[i].ops);
		}
	}
	return 0;
}
#else

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* --- the steps timed directly ----------------------------------------------------------- */

static struct qspinlock shared_lock;
static _Atomic long shared_line;
static atomic_int go;

/* Two threads hand a line back and forth: each round trip is two transfers. */
static void *pingpong(void *arg)
{
	long me = (long)(intptr_t)arg, rounds = 200000;
	while (!atomic_load(&go))
		;
	for (long i = 0; i < rounds; i++) {
		while ((atomic_load_explicit(&shared_line, memory_order_acquire) & 1) != me)
			;
		atomic_fetch_add_explicit(&shared_line, 1, memory_order_release);
	}
	return NULL;
}

/* Two threads take the queued lock in turn, holding it for nothing. */
static _Atomic long handoffs;
static void *locker(void *arg)
{
	(void)arg;
	while (!atomic_load(&go))
		;
	for (int i = 0; i < 200000; i++) {
		queued_spin_lock(&shared_lock);
		atomic_fetch_add_explicit(&handoffs, 1, memory_order_relaxed);
		queued_spin_unlock(&shared_lock);
	}
	return NULL;
}

static double two_threads(void *(*fn)(void *), long total_events)
{
	pthread_t t[2];
	cpu_set_t set;

	atomic_store(&go, 0);
	for (long i = 0; i < 2; i++) {
		if (pthread_create(&t[i], NULL, fn, (void *)(intptr_t)i))
			return -1;
		CPU_ZERO(&set);
		CPU_SET((int)i, &set);
		pthread_setaffinity_np(t[i], sizeof(set), &set);
	}
	uint64_t a = now();
	atomic_store(&go, 1);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	return (double)(now() - a) / (double)total_events;
}

static void direct(void)
{
	const long n = 10000000;
	uint64_t a = now();
	for (long i = 0; i < n; i++) {
		queued_spin_lock(&shared_lock);
		__asm__ __volatile__("" ::: "memory");
		queued_spin_unlock(&shared_lock);
	}
	double lock_ns = (double)(now() - a) / (double)n;
	printf("direct zone_lock %.3f queued_spin_lock + unlock with nobody waiting, %ld times on one thread\n", lock_ns, n);

	_Atomic long counter = 0;
	a = now();
	for (long i = 0; i < n; i++)
		atomic_fetch_add_explicit(&counter, i, memory_order_relaxed);
	printf("direct stat_fold %.3f one atomic add to a counter this CPU owns (the fold), %ld times\n",
	       (double)(now() - a) / (double)n, n);

	static char buf[4096] __attribute__((aligned(64)));
	a = now();
	for (long i = 0; i < 200000; i++) {
		memset(buf, (int)i, sizeof(buf));
		__asm__ __volatile__("" : : "r"(buf) : "memory");
	}
	printf("direct zero_page %.3f memset of 4 KiB in cache, 200000 times\n", (double)(now() - a) / 200000.0);

	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 2) {
		printf("direct line_socket -1 one CPU: no line can move between cores here\n");
		printf("direct lock_handoff -1 one CPU\n");
		return;
	}
	double line = two_threads(pingpong, 2 * 200000);
	printf("direct line_socket %.3f a line handed between CPUs 0 and 1 (ping-pong, per transfer)\n", line);
	double per_acq = two_threads(locker, 2 * 200000);
	/* an acquisition under full contention: the hand-off plus the (empty) hold's lock and unlock */
	double handoff = per_acq - lock_ns;
	printf("direct lock_handoff %.3f two CPUs taking the queued lock in turn: %.1f ns per acquisition less an "
	       "uncontended lock + unlock\n", handoff > 0 ? handoff : 0, per_acq);
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 5;

	if (reps < 1 || reps > 101) {
		fprintf(stderr, "usage: calibrate_time [REPETITIONS 1..101]\n");
		return 2;
	}
	for (size_t c = 0; c < NR_CASES; c++) {
		uint64_t ns[2][101];
		struct phase ph[2];
		int np = 0;
		for (int r = 0; r < reps; r++) {
			memset(ph, 0, sizeof(ph));
			np = run_case(&cases[c], ph, 1);
			for (int i = 0; i < np; i++)
				ns[i][r] = ph[i].ns;
		}
		for (int i = 0; i < np; i++) {
			qsort(ns[i], (size_t)reps, sizeof(uint64_t), cmp_u64);
			printf("time %s%s %.3f\n", cases[c].name, ph[i].suffix, (double)ns[i][reps / 2] / (double)ph[i].ops);
		}
	}
	direct();
	return 0;
}
#endif
