// SPDX-License-Identifier: GPL-2.0
/*
 * concurrent_test.c - the pcp protection schemes under concurrency, meant to run under
 * ThreadSanitizer (bazel test --config=tsan //pcp:concurrent_test).
 *
 * Workers, each bound to its own CPU, allocate and free in loops (order 0; 6.x also
 * orders 1..3 and now and then pageblock order 9), mostly movable with some unmovable
 * allocations mixed in, while a controller thread on another CPU keeps reaching into
 * their lists: drain_all_pages, drain_pages_cpu, drain_zone_pages (the 4.12 vmstat
 * drain), pcp_vmstat_tick and high/batch changes through the sysctls. Every pairing of
 * policy (4.12, 6.x) and scheme (owner, trylock) runs. Afterwards: everything freed and
 * drained, the machine is consistent and every page is back in the buddy (NR_FREE_PAGES
 * and buddyinfo as at the start).
 *
 * The "remote frees" variant passes pages from a thread that allocates on CPU 0 through
 * a mutex-protected ring to a thread that frees them on CPU 1 (three in four; the
 * producer waits while the ring is full, so the count is exact on any schedule).
 *
 * "Racing double frees": two threads on two CPUs free one page at the same moment, again
 * and again. The free claims the page with one compare-and-swap (put_page_testzero's
 * atomic), so exactly one of the two frees it and the other is reported, every time.
 *
 * The owner scheme's remote side uses membarrier(), which ThreadSanitizer cannot see; its
 * happens-before comes from the acquire/release pair on pcp->busy and pcp->remote in the
 * executions that really happen (see pcp/pcp.h), so no suppression is needed.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "alloc/testing.h"
#include "pcp/pcp.h"

/*
 * No suppressions: page_is_buddy() (buddy.c), under zone->lock, reads the flags and order
 * bytes of a neighbouring block that its owner may be changing without the lock
 * (prep_new_page, free_pages_prepare, rmqueue_pcplist, free_unref_page). The answer cannot
 * be wrong - PG_buddy only changes under zone->lock - and both sides use READ_ONCE /
 * WRITE_ONCE, the model's form of the kernel's data_race(), so TSan sees atomics.
 */

#define ZONE_PAGES      262144UL        /* 1 GiB Normal zone at 4 GiB */
#define NR_WORKERS      3
#define NR_CPUS_M       (NR_WORKERS + 1)
#define MAX_HELD        96

/* Iterations per worker; scaled down under the sanitizers (they are 5-20x slower). */
#if defined(__SANITIZE_THREAD__)
#define ITERS           20000           /* about 10 s for the whole test on 2 CPUs */
#elif defined(__SANITIZE_ADDRESS__)
#define ITERS           40000
#else
#define ITERS           100000
#endif

static struct machine *make_machine(enum pcp_policy_id policy, enum pcp_scheme_id scheme)
{
	struct machine_desc d;

	t_desc_flat(&d, 0x100000, ZONE_PAGES, NR_CPUS_M);
	d.policy = policy;
	d.scheme = scheme;
	return t_machine(&d);
}

static struct zone *normal(struct machine *m) { return &m->node_data[0]->node_zones[ZONE_NORMAL]; }

static inline uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

struct shared {
	struct machine *m;
	atomic_int go;                          /* the controller is running: workers may start */
	atomic_int workers_done;
	atomic_int failures;                    /* bind failures and the like, reported by main */
	/* remote-free ring */
	pthread_mutex_t ring_lock;
	struct page *ring[256];
	unsigned int ring_order[256];
	unsigned int head, tail;                /* under ring_lock */
	atomic_int producer_done;
	atomic_long ring_passed;
};

struct worker {
	struct shared *sh;
	int cpu;
	uint64_t seed;
	long allocs, frees, failed;
	long pushed;                            /* producer: pages handed to the ring */
};

static unsigned int pick_order(struct machine *m, uint64_t r)
{
	if (!m->pcp_policy->high_order)
		return 0;
	if ((r & 127) == 0)
		return pageblock_order;
	static const unsigned int o[8] = { 0, 0, 0, 0, 1, 2, 3, 0 };
	return o[(r >> 7) & 7];
}

static gfp_t pick_gfp(uint64_t r)
{
	return (r >> 12) % 8 == 0 ? GFP_KERNEL : GFP_KERNEL | __GFP_MOVABLE;
}

/* Workers start once the controller runs, so that the two really overlap. */
static void wait_for_go(struct shared *sh)
{
	while (!atomic_load(&sh->go))
		sched_yield();
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct machine *m = w->sh->m;
	struct page *held[MAX_HELD];
	unsigned int order[MAX_HELD];
	int n = 0;
	uint64_t x = w->seed;

	wait_for_go(w->sh);
	if (cpu_bind(m, w->cpu)) {
		atomic_fetch_add(&w->sh->failures, 1);
		atomic_fetch_add(&w->sh->workers_done, 1);
		return NULL;
	}
	for (int i = 0; i < ITERS; i++) {
		uint64_t r = xorshift(&x);
		if (n < MAX_HELD && (n == 0 || (r & 1))) {
			unsigned int o = pick_order(m, r >> 1);
			struct page *p = alloc_pages(pick_gfp(r), o);
			if (p) {
				held[n] = p;
				order[n++] = o;
				w->allocs++;
			} else {
				w->failed++;
			}
		} else {
			int k = (int)((r >> 20) % (unsigned)n);
			__free_pages(held[k], order[k]);
			held[k] = held[--n];
			order[k] = order[n];
			w->frees++;
		}
		if ((r >> 40) % 2048 == 0)
			drain_local_pages(NULL);
	}
	while (n) {
		n--;
		__free_pages(held[n], order[n]);
		w->frees++;
	}
	cpu_unbind();
	atomic_fetch_add(&w->sh->workers_done, 1);
	return NULL;
}

struct controller {
	struct shared *sh;
	int cpu;                                /* -1: run unbound */
	int nr_workers;
	long rounds;
};

static void *controller_fn(void *arg)
{
	struct controller *c = arg;
	struct machine *m = c->sh->m;
	struct zone *z = normal(m);
	const char *sysctl = pcp_fraction_name(m->pcp_policy->fraction_sysctl);
	static const long fractions[4] = { 8, 1000, 100000, 0 };
	uint64_t x = 0x2545f4914f6cdd1dull;
	char err[128];

	if (c->cpu >= 0 && cpu_bind(m, c->cpu))
		atomic_fetch_add(&c->sh->failures, 1);         /* goes on unbound */
	atomic_store(&c->sh->go, 1);
	while (atomic_load(&c->sh->workers_done) < c->nr_workers || c->rounds < 16) {
		uint64_t r = xorshift(&x);
		switch (c->rounds++ % 8) {
		case 0:
			drain_all_pages(m, NULL);
			break;
		case 1:
			drain_pages_cpu(m, (int)(r % NR_CPUS_M), NULL);
			break;
		case 2:
			if (sysctl_set(m, sysctl, fractions[(r >> 8) % 4], err, sizeof(err)))
				atomic_fetch_add(&c->sh->failures, 1);
			break;
		case 3:
			pcp_vmstat_tick(m);
			break;
		case 4:
			drain_all_pages(m, z);
			break;
		case 5:
			/* racy reads, as a dump would do them */
			(void)zone_pcp_count(z);
			(void)zone_pcp_stat(z, PCP_STAT_HIT);
			(void)zone_page_state_snapshot(z, NR_FREE_PAGES);
			break;
		case 6:
			drain_zone_pages(z, &zone_pageset(z, (int)(r % NR_CPUS_M))->pcp);
			break;
		default:
			sched_yield();
			break;
		}
	}
	sysctl_set(m, sysctl, 0, err, sizeof(err));
	if (c->cpu >= 0)
		cpu_unbind();
	return NULL;
}

struct result {
	long nr_free0;
	char buddyinfo0[128];
};

static void begin(struct machine *m, struct result *r)
{
	r->nr_free0 = zone_page_state_snapshot(normal(m), NR_FREE_PAGES);
	t_buddyinfo(normal(m), r->buddyinfo0, sizeof(r->buddyinfo0));
}

/* Everything returned: drain every list, then the buddy holds every managed page again. */
static void finish(struct machine *m, const struct result *r)
{
	struct zone *z = normal(m);
	char b[128];

	drain_all_pages(m, NULL);
	CHECK_EQ(zone_pcp_count(z), 0);
	CHECK_EQ(zone_page_state_snapshot(z, NR_FREE_PAGES), r->nr_free0);
	CHECK_EQ(zone_page_state_snapshot(z, NR_FREE_PAGES), (long)z->managed_pages);
	CHECK_STR(t_buddyinfo(z, b, sizeof(b)), r->buddyinfo0);
	CHECK_EQ(m->nr_bad_pages, 0);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone_pageset(z, cpu)->pcp;
		CHECK_EQ(pcp->busy, 0);
		CHECK_EQ(pcp->remote, 0);
		CHECK_EQ(atomic_load(&pcp->lock.locked), 0);
		CHECK(pcp->high >= pcp->high_min && pcp->high <= pcp->high_max);
	}
	/*
	 * Every page that went onto a list came off it. With only order 0 (4.12) blocks are
	 * pages: REFILL_PAGES + FREE (onto a list) = DRAIN_PAGES + ALLOC (taken from a list).
	 * A counter update lost to a race between owner and drainer breaks this.
	 */
	if (!m->pcp_policy->high_order)
		CHECK_EQ(zone_pcp_stat(z, PCP_STAT_REFILL_PAGES) + zone_pcp_stat(z, PCP_STAT_FREE),
			 zone_pcp_stat(z, PCP_STAT_DRAIN_PAGES) + zone_pcp_stat(z, PCP_STAT_ALLOC));
	CHECK_CONSISTENT(m);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *what, struct machine *m, double t0, long rounds)
{
	struct zone *z = normal(m);
	printf("     %-9s %-7s %-14s %.2fs controller rounds %ld, alloc %lu hit %lu refill %lu free %lu drain %lu bypass %lu\n",
	       m->pcp_policy->name, pcp_scheme_name(m->desc.scheme), what, now_s() - t0, rounds,
	       zone_pcp_stat(z, PCP_STAT_ALLOC), zone_pcp_stat(z, PCP_STAT_HIT), zone_pcp_stat(z, PCP_STAT_REFILL),
	       zone_pcp_stat(z, PCP_STAT_FREE), zone_pcp_stat(z, PCP_STAT_DRAIN), zone_pcp_stat(z, PCP_STAT_BYPASS));
}

/*
 * Expect: for each policy and scheme, NR_WORKERS workers and a controller finish with
 * every page back in the buddy, a consistent machine, and no sanitizer report.
 */
static void stress(enum pcp_policy_id policy, enum pcp_scheme_id scheme, bool bound_controller)
{
	struct shared sh;
	struct result res;
	pthread_t tw[NR_WORKERS], tc;
	struct worker w[NR_WORKERS];
	struct controller c;
	double t0 = now_s();

	memset(&sh, 0, sizeof(sh));
	sh.m = make_machine(policy, scheme);
	begin(sh.m, &res);
	for (int i = 0; i < NR_WORKERS; i++) {
		w[i] = (struct worker){ .sh = &sh, .cpu = i, .seed = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1) };
		pthread_create(&tw[i], NULL, worker_fn, &w[i]);
	}
	c = (struct controller){ .sh = &sh, .cpu = bound_controller ? NR_WORKERS : -1, .nr_workers = NR_WORKERS };
	pthread_create(&tc, NULL, controller_fn, &c);
	for (int i = 0; i < NR_WORKERS; i++)
		pthread_join(tw[i], NULL);
	pthread_join(tc, NULL);

	CHECK_EQ(atomic_load(&sh.failures), 0);
	long allocs = 0;
	for (int i = 0; i < NR_WORKERS; i++) {
		CHECK_EQ(w[i].allocs, w[i].frees);
		CHECK_EQ(w[i].failed, 0);
		allocs += w[i].allocs;
	}
	CHECK(allocs > NR_WORKERS * (ITERS / 4));
	CHECK(c.rounds > 8);
	CHECK(zone_pcp_stat(normal(sh.m), PCP_STAT_HIT) > 0);
	finish(sh.m, &res);
	report(bound_controller ? "stress" : "stress-unbound", sh.m, t0, c.rounds);
	machine_destroy(sh.m);
}

static void test_stress_4_12_owner(void) { stress(PCP_POLICY_LINUX_4_12, PCP_SCHEME_OWNER, true); }
static void test_stress_4_12_trylock(void) { stress(PCP_POLICY_LINUX_4_12, PCP_SCHEME_TRYLOCK, true); }
static void test_stress_6_x_owner(void) { stress(PCP_POLICY_LINUX_6_X, PCP_SCHEME_OWNER, true); }
static void test_stress_6_x_trylock(void) { stress(PCP_POLICY_LINUX_6_X, PCP_SCHEME_TRYLOCK, true); }
/* a controller that is bound to no CPU (its counter updates go straight to the zone) */
static void test_stress_unbound_controller(void)
{
	stress(PCP_POLICY_LINUX_4_12, PCP_SCHEME_OWNER, false);
	stress(PCP_POLICY_LINUX_6_X, PCP_SCHEME_TRYLOCK, false);
}

/* --- remote frees: allocate on CPU 0, free on CPU 1 --- */

static void *producer_fn(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	struct machine *m = sh->m;
	uint64_t x = w->seed;

	wait_for_go(sh);
	if (cpu_bind(m, w->cpu)) {
		atomic_fetch_add(&sh->failures, 1);
		atomic_store(&sh->producer_done, 1);
		atomic_fetch_add(&sh->workers_done, 1);
		return NULL;
	}
	for (int i = 0; i < ITERS; i++) {
		uint64_t r = xorshift(&x);
		unsigned int o = (r & 127) == 0 ? 0 : pick_order(m, r >> 1);   /* no order 9 here */
		if (o == pageblock_order)
			o = 0;
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_MOVABLE, o);
		if (!p) {
			w->failed++;
			continue;
		}
		w->allocs++;
		if (i % 4 == 3) {
			__free_pages(p, o);             /* a quarter freed where they were allocated */
			w->frees++;
			continue;
		}
		/* the rest go through the ring, waiting while it is full: a count, not a rate */
		pthread_mutex_lock(&sh->ring_lock);
		while (sh->head - sh->tail == 256) {
			pthread_mutex_unlock(&sh->ring_lock);
			sched_yield();
			pthread_mutex_lock(&sh->ring_lock);
		}
		sh->ring[sh->head % 256] = p;
		sh->ring_order[sh->head % 256] = o;
		sh->head++;
		pthread_mutex_unlock(&sh->ring_lock);
		w->pushed++;
	}
	atomic_store(&sh->producer_done, 1);
	cpu_unbind();
	atomic_fetch_add(&sh->workers_done, 1);
	return NULL;
}

static void *consumer_fn(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;

	wait_for_go(sh);
	if (cpu_bind(sh->m, w->cpu)) {
		atomic_fetch_add(&sh->failures, 1);
		atomic_fetch_add(&sh->workers_done, 1);
		return NULL;
	}
	for (;;) {
		struct page *p = NULL;
		unsigned int o = 0;
		int done = atomic_load(&sh->producer_done);
		pthread_mutex_lock(&sh->ring_lock);
		if (sh->head != sh->tail) {
			p = sh->ring[sh->tail % 256];
			o = sh->ring_order[sh->tail % 256];
			sh->tail++;
		}
		pthread_mutex_unlock(&sh->ring_lock);
		if (p) {
			__free_pages(p, o);
			w->frees++;
			atomic_fetch_add(&sh->ring_passed, 1);
		} else if (done) {
			break;                          /* done was read before the ring was empty */
		} else {
			sched_yield();
		}
	}
	cpu_unbind();
	atomic_fetch_add(&sh->workers_done, 1);
	return NULL;
}

/*
 * Expect: every page the producer allocated is freed exactly once (by the consumer, or by
 * the producer when the ring is full); CPU 1's list fills with CPU 0's pages and drains
 * back; everything returns to the buddy.
 */
static void remote_frees(enum pcp_policy_id policy, enum pcp_scheme_id scheme)
{
	struct shared sh;
	struct result res;
	pthread_t tp, tq, tw, tc;
	struct worker prod, cons, local;
	struct controller c;
	double t0 = now_s();

	memset(&sh, 0, sizeof(sh));
	pthread_mutex_init(&sh.ring_lock, NULL);
	sh.m = make_machine(policy, scheme);
	begin(sh.m, &res);
	prod = (struct worker){ .sh = &sh, .cpu = 0, .seed = 0x1234567887654321ull };
	cons = (struct worker){ .sh = &sh, .cpu = 1, .seed = 0 };
	local = (struct worker){ .sh = &sh, .cpu = 2, .seed = 0xdeadbeefcafef00dull };
	pthread_create(&tp, NULL, producer_fn, &prod);
	pthread_create(&tq, NULL, consumer_fn, &cons);
	pthread_create(&tw, NULL, worker_fn, &local);
	c = (struct controller){ .sh = &sh, .cpu = 3, .nr_workers = 3 };
	pthread_create(&tc, NULL, controller_fn, &c);
	pthread_join(tp, NULL);
	pthread_join(tq, NULL);
	pthread_join(tw, NULL);
	pthread_join(tc, NULL);

	CHECK_EQ(atomic_load(&sh.failures), 0);
	CHECK_EQ(prod.failed, 0);
	CHECK_EQ(prod.allocs, prod.frees + cons.frees);
	CHECK_EQ(local.allocs, local.frees);
	/* what the protocol guarantees, whatever the scheduling: each pushed page freed once, remotely */
	CHECK_EQ(atomic_load(&sh.ring_passed), prod.pushed);
	CHECK_EQ(cons.frees, prod.pushed);
	CHECK_EQ(prod.pushed, ITERS - ITERS / 4);       /* no allocation failed (above): every i % 4 != 3 */
	printf("     %ld of %ld pages passed through the ring\n", atomic_load(&sh.ring_passed), prod.allocs);
	CHECK(zone_pageset(normal(sh.m), 1)->pcp_stat[PCP_STAT_FREE] > 0);
	finish(sh.m, &res);
	report("remote-frees", sh.m, t0, c.rounds);
	pthread_mutex_destroy(&sh.ring_lock);
	machine_destroy(sh.m);
}

static void test_remote_frees(void)
{
	for (int p = 0; p < NR_PCP_POLICIES; p++)
		for (int s = 0; s < NR_PCP_SCHEMES; s++)
			remote_frees((enum pcp_policy_id)p, (enum pcp_scheme_id)s);
}

/* --- racing double frees: CPU 0 and CPU 1 free the same page at once --- */

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define RACES           400
#else
#define RACES           4000
#endif

struct race {
	struct machine *m;
	struct page *_Atomic page;
	atomic_int arrived[2];                  /* per round: both at the start line */
	atomic_int round;
	long frees_that_saw_free;
};

static void race_wait(atomic_int *a, int target)
{
	atomic_fetch_add(a, 1);
	while (atomic_load(a) < target)
		;                               /* spin: the two frees must really overlap */
}

static void *racer_fn(void *arg)
{
	struct race *r = ((void **)arg)[0];
	int cpu = (int)(intptr_t)((void **)arg)[1];

	if (cpu_bind(r->m, cpu))
		return NULL;
	for (int i = 0; i < RACES; i++) {
		if (cpu == 0) {
			struct page *p = alloc_pages(GFP_KERNEL, 0);
			atomic_store(&r->page, p);
		}
		race_wait(&r->arrived[0], 2 * (i + 1));
		struct page *p = atomic_load(&r->page);
		if (p)
			__free_pages(p, 0);
		race_wait(&r->arrived[1], 2 * (i + 1));
	}
	cpu_unbind();
	return NULL;
}

/*
 * Expect: RACES reports, each "double free: page is already free" (or, caught between the
 * winner's claim and its list, "not an allocated block head"); after a drain every
 * page is back in the buddy once (NR_FREE_PAGES = managed), the checker passes.
 */
static void racing_double_frees(enum pcp_policy_id policy, enum pcp_scheme_id scheme)
{
	struct race r = { 0 };
	pthread_t t[2];
	void *args[2][2];
	char *buf = NULL;
	size_t len = 0;

	r.m = make_machine(policy, scheme);
	r.m->report = open_memstream(&buf, &len);
	for (int c = 0; c < 2; c++) {
		args[c][0] = &r;
		args[c][1] = (void *)(intptr_t)c;
		pthread_create(&t[c], NULL, racer_fn, args[c]);
	}
	for (int c = 0; c < 2; c++)
		pthread_join(t[c], NULL);
	drain_all_pages(r.m, NULL);
	fclose(r.m->report);
	r.m->report = stderr;
	long reports = 0;
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		/* the winner's page on a list, or caught between its claim and its list */
		reports += strstr(l, "double free: page is already free") != NULL ||
			   strstr(l, "free of a page that is not an allocated block head") != NULL;
	free(buf);
	CHECK_EQ(atomic_load(&r.m->nr_bad_pages), RACES);
	CHECK_EQ(reports, RACES);
	struct zone *z = normal(r.m);
	CHECK_EQ(zone_pcp_count(z), 0);
	CHECK_EQ(zone_page_state_snapshot(z, NR_FREE_PAGES), (long)z->managed_pages);
	CHECK_CONSISTENT(r.m);
	machine_destroy(r.m);
}

static void test_racing_double_frees(void)
{
	for (int p = 0; p < NR_PCP_POLICIES; p++)
		for (int s = 0; s < NR_PCP_SCHEMES; s++)
			racing_double_frees((enum pcp_policy_id)p, (enum pcp_scheme_id)s);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(test_stress_4_12_owner);
	RUN(test_stress_4_12_trylock);
	RUN(test_stress_6_x_owner);
	RUN(test_stress_6_x_trylock);
	RUN(test_stress_unbound_controller);
	RUN(test_remote_frees);
	RUN(test_racing_double_frees);
	TEST_SUMMARY();
}
