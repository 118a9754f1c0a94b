// SPDX-License-Identifier: GPL-2.0
/*
 * slowpath_test - the slow path with threads (tags: concurrency, run under TSan): kswapd
 * wakes below the low watermark and sleeps above the high one; __GFP_NORETRY fails fast
 * under exhaustion; OOM returns NULL in bounded time; __GFP_NOFAIL waits until another
 * CPU's thread frees memory; atomic requests never reclaim and dip into the reserves.
 * Machines: one Normal zone at 4 GiB, 64 MiB (16384 frames), two CPUs.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/testing.h"
#include "pcp/pcp.h"

#define BASE_PFN        0x100000UL
#define NPAGES          16384UL

struct towner {
	struct machine *m;
	_Atomic unsigned char held[NPAGES];
	atomic_long evicted;
	int id;
};

static bool t_evict(void *ctx, struct page *page)
{
	struct towner *o = ctx;
	unsigned char one = 1;

	if (!atomic_compare_exchange_strong(&o->held[__page_to_pfn(o->m, page) - BASE_PFN], &one, 0))
		return false;
	atomic_fetch_add(&o->evicted, 1);
	return true;
}

static const struct page_owner_ops t_ops = { .evict = t_evict };

static struct towner *towner_new(struct machine *m)
{
	struct towner *o = calloc(1, sizeof(*o));
	o->m = m;
	o->id = lru_register_owner(m, &t_ops, o);
	return o;
}

static void towner_release(struct towner *o)
{
	for (unsigned long i = 0; i < NPAGES; i++) {
		if (!atomic_load(&o->held[i]))
			continue;
		struct page *p = __pfn_to_page(o->m, BASE_PFN + i);
		CHECK(lru_del(p));
		atomic_store(&o->held[i], 0);
		__free_pages(p, 0);
	}
	free(o);
}

static unsigned long ev(struct machine *m, enum vm_event_item item)
{
	unsigned long e[NR_VM_EVENT_ITEMS];
	all_vm_events(m, e);
	return e[item];
}

static struct zone *normal(struct machine *m) { return &m->node_data[0]->node_zones[ZONE_NORMAL]; }
static long free_snapshot(struct machine *m) { return zone_page_state_snapshot(normal(m), NR_FREE_PAGES); }

static struct machine *small_machine_scheme(enum pcp_scheme_id scheme)
{
	struct machine_desc d;

	t_desc_flat(&d, BASE_PFN, NPAGES, 2);
	d.scheme = scheme;
	struct machine *m = t_machine(&d);
	cpu_bind(m, 0);
	return m;
}

static struct machine *small_machine(void) { return small_machine_scheme(PCP_SCHEME_TRYLOCK); }

static void done(struct machine *m)
{
	kswapd_wait_idle(m);
	drain_all_pages(m, NULL);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	CHECK_EQ(free_snapshot(m), normal(m)->managed_pages);
	cpu_unbind();
	machine_destroy(m);
}

/* Non-LRU pages held by the test, to exhaust memory. */
struct pile {
	struct page **p;
	long n;
};

static void pile_fill_to(struct machine *m, struct pile *pl, long free_target, gfp_t gfp)
{
	if (!pl->p)
		pl->p = calloc(NPAGES, sizeof(*pl->p));
	while (free_snapshot(m) > free_target) {
		struct page *p = alloc_pages(gfp | __GFP_NOWARN, 0);
		if (!p)
			break;
		pl->p[pl->n++] = p;
	}
}

static void pile_free(struct pile *pl)
{
	for (long i = 0; i < pl->n; i++)
		__free_pages(pl->p[i], 0);
	free(pl->p);
	pl->p = NULL;
	pl->n = 0;
}

/*
 * kswapd: fill the zone with reclaimable LRU pages until an allocation takes the slow
 * path (free below low), then stop and let kswapd run.
 *   free: managed ... high ... low | <- first slow path: kswapd woken
 * Expect: pageoutrun >= 1, pgsteal_kswapd > 0 == pages the owner evicted,
 * pgscan_kswapd >= pgsteal_kswapd, free >= high afterwards; then kswapd sleeps: more
 * allocations above low neither wake it nor run balance_pgdat.
 */
static void kswapd_wakes_below_low_sleeps_above_high(void)
{
	struct machine *m = small_machine();
	struct zone *z = normal(m);
	struct towner *o = towner_new(m);

	while (ev(m, PGALLOC_SLOWPATH) == 0) {
		struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		CHECK(p != NULL);
		if (!p)
			break;
		atomic_store(&o->held[__page_to_pfn(m, p) - BASE_PFN], 1);
		lru_add(p, o->id, PG_lru);
	}
	kswapd_wait_idle(m);
	CHECK(ev(m, PAGEOUTRUN) >= 1);
	CHECK(ev(m, PGSTEAL_KSWAPD) > 0);
	CHECK_EQ(ev(m, PGSTEAL_KSWAPD), atomic_load(&o->evicted));
	CHECK(ev(m, PGSCAN_KSWAPD) >= ev(m, PGSTEAL_KSWAPD));
	CHECK(free_snapshot(m) >= (long)high_wmark_pages(z));
	CHECK_EQ(ev(m, PGSTEAL_DIRECT), 0);
	CHECK(kswapd_wakeups(m) >= 1);

	unsigned long runs = ev(m, PAGEOUTRUN), wakeups = kswapd_wakeups(m);
	for (int i = 0; i < 64; i++) {
		struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		atomic_store(&o->held[__page_to_pfn(m, p) - BASE_PFN], 1);
		lru_add(p, o->id, PG_lru);
	}
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	kswapd_wait_idle(m);
	CHECK_EQ(kswapd_wakeups(m), wakeups);
	CHECK_EQ(ev(m, PAGEOUTRUN), runs);
	towner_release(o);
	done(m);
}

/*
 * Exhaustion with nothing reclaimable: __GFP_NORETRY fails after one reclaim attempt,
 * GFP_KERNEL fails after the OOM killer found no task, __GFP_RETRY_MAYFAIL fails without one; all fast.
 */
static void exhaustion_noretry_fails_fast_oom_bounded(void)
{
	struct machine *m = small_machine();
	struct zone *z = normal(m);
	struct pile pl = { 0 };

	pile_fill_to(m, &pl, (long)min_wmark_pages(z), GFP_KERNEL);
	drain_all_pages(m, NULL);
	pile_fill_to(m, &pl, 0, GFP_KERNEL);
	unsigned long stall = ev(m, ALLOCSTALL_NORMAL), oom = oom_invocations(m);

	uint64_t t0 = now_ns();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0) == NULL);
	uint64_t dt = now_ns() - t0;
	CHECK(dt < 100 * 1000 * 1000ull);
	CHECK_EQ(ev(m, ALLOCSTALL_NORMAL), stall + 1);
	CHECK_EQ(oom_invocations(m), oom);

	t0 = now_ns();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	dt = now_ns() - t0;
	CHECK(dt < 1000 * 1000 * 1000ull);
	CHECK_EQ(oom_invocations(m), oom + 1);
	CHECK_EQ(ev(m, OOM_KILL), 0);           /* no task to kill: nothing was */

	CHECK(alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, 0) == NULL);
	CHECK_EQ(oom_invocations(m), oom + 1);
	/* costly orders never OOM */
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 5) == NULL);
	CHECK_EQ(oom_invocations(m), oom + 1);

	struct slowpath_latency f;
	slowpath_latency(m, SLOWPATH_FAIL, &f);
	CHECK_EQ(f.count, ev(m, PGALLOC_FAIL));
	kswapd_wait_idle(m);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	pile_free(&pl);
	done(m);
}

struct freer {
	struct machine *m;
	struct pile *pl;
	unsigned long oom;
	atomic_int started;
};

static void *freer_main(void *arg)
{
	struct freer *f = arg;
	struct timespec ts = { 0, 1000 * 1000 };

	cpu_bind(f->m, 1);
	atomic_store(&f->started, 1);
	/* until the __GFP_NOFAIL request went through an OOM and waits (at most 5 s) */
	for (int i = 0; i < 5000 && oom_invocations(f->m) == f->oom; i++)
		nanosleep(&ts, NULL);
	nanosleep(&ts, NULL);
	for (int i = 0; i < 256; i++)
		__free_pages(f->pl->p[--f->pl->n], 0);
	drain_local_pages(NULL);
	cpu_unbind();
	return NULL;
}

/*
 * __GFP_NOFAIL under exhaustion: CPU 0 asks; CPU 1's thread frees 256 pages once the
 * request has been through the OOM killer (it then waits in the nopage loop).
 * Expect: the allocation returns a page (never NULL), after at least one call of the OOM killer.
 */
static void nofail_waits_for_another_thread(void)
{
	struct machine *m = small_machine();
	struct pile pl = { 0 };

	pile_fill_to(m, &pl, (long)min_wmark_pages(normal(m)), GFP_KERNEL);
	drain_all_pages(m, NULL);
	pile_fill_to(m, &pl, 0, GFP_KERNEL);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	unsigned long oom = oom_invocations(m);

	struct freer f = { .m = m, .pl = &pl, .oom = oom };
	pthread_t t;
	pthread_create(&t, NULL, freer_main, &f);
	while (!atomic_load(&f.started))
		sched_yield();
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);
	pthread_join(t, NULL);
	CHECK(p != NULL);
	CHECK(oom_invocations(m) > oom);
	if (p)
		__free_pages(p, 0);
	kswapd_wait_idle(m);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	pile_free(&pl);
	done(m);
}

/*
 * Atomic requests never sleep, reclaim or compact, and may dip below min:
 *   free: min | GFP_ATOMIC (ALLOC_HIGH|ALLOC_HARDER) down to 3/8 min | __GFP_HIGH to 1/2 min
 * with reclaimable LRU pages present (kswapd not woken: __GFP_KSWAPD_RECLAIM cleared).
 * Expect: GFP_ATOMIC succeeds below min; gfp 0 (no reclaim at all) fails below min; no
 * allocstall, pgscan_direct, compact_stall or evictions (what proves no sleep: the only
 * waits in the slow path are in reclaim/compaction retries and the __GFP_NOFAIL loop);
 * each request returns within 250 ms even on a loaded host under TSan.
 * Then a real GFP_ATOMIC wakes kswapd, which reclaims.
 */
static void atomic_never_reclaims_and_uses_reserves(void)
{
	struct machine *m = small_machine();
	struct zone *z = normal(m);
	struct towner *o = towner_new(m);
	struct pile pl = { 0 };
	const gfp_t atomic_nokswapd = GFP_ATOMIC & ~__GFP_KSWAPD_RECLAIM;

	for (int i = 0; i < 1024; i++) {
		struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE & ~__GFP_KSWAPD_RECLAIM, 0);
		atomic_store(&o->held[__page_to_pfn(m, p) - BASE_PFN], 1);
		lru_add(p, o->id, PG_lru);
	}
	pile_fill_to(m, &pl, (long)min_wmark_pages(z), 0);     /* this CPU's list may keep a batch */
	CHECK(free_snapshot(m) <= (long)min_wmark_pages(z) + 1);
	long below = 0;
	uint64_t worst = 0;
	while (free_snapshot(m) > (long)min_wmark_pages(z) / 2 && below < 100000) {
		uint64_t t0 = now_ns();
		struct page *p = alloc_pages(atomic_nokswapd | __GFP_NOWARN, 0);
		uint64_t dt = now_ns() - t0;
		if (dt > worst)
			worst = dt;
		if (!p)
			break;
		pl.p[pl.n++] = p;
		below++;
	}
	drain_all_pages(m, NULL);
	CHECK(below > 0);
	CHECK(free_snapshot(m) < (long)min_wmark_pages(z));
	CHECK(worst < 250 * 1000 * 1000ull);     /* generous: TSan on a loaded 2-CPU host */
	CHECK(alloc_pages(__GFP_NOWARN, 0) == NULL);    /* no __GFP_HIGH, no reclaim */
	CHECK_EQ(ev(m, ALLOCSTALL_NORMAL), 0);
	CHECK_EQ(ev(m, PGSCAN_DIRECT), 0);
	CHECK_EQ(ev(m, COMPACTSTALL), 0);
	CHECK_EQ(atomic_load(&o->evicted), 0);
	CHECK_EQ(ev(m, PAGEOUTRUN), 0);

	struct page *p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0);   /* wakes kswapd */
	if (p)
		pl.p[pl.n++] = p;
	kswapd_wait_idle(m);
	CHECK(ev(m, PAGEOUTRUN) >= 1);
	CHECK(ev(m, PGSTEAL_KSWAPD) > 0);
	CHECK_EQ(ev(m, ALLOCSTALL_NORMAL), 0);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	pile_free(&pl);
	towner_release(o);
	done(m);
}

/* Two CPUs allocate reclaimable pages past the low watermark with kswapd and direct reclaim. */
struct presser {
	struct machine *m;
	struct towner *o;
	int cpu;
	atomic_long fails;
};

static void *presser_main(void *arg)
{
	struct presser *pr = arg;

	cpu_bind(pr->m, pr->cpu);
	for (int i = 0; i < 40000; i++) {
		struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		if (!p) {
			atomic_fetch_add(&pr->fails, 1);
			continue;
		}
		atomic_store(&pr->o->held[__page_to_pfn(pr->m, p) - BASE_PFN], 1);
		lru_add(p, pr->o->id, PG_lru);
	}
	cpu_unbind();
	return NULL;
}

/*
 * Two threads, 80000 reclaimable allocations on 16384 frames, with either pcp scheme
 * (direct reclaim drains the other CPU's lists: membarrier for owner, the lock for trylock).
 * Expect: no failure, no oom_kill; evictions == pgsteal_kswapd + pgsteal_direct;
 * the machine is consistent afterwards.
 */
static void two_cpus_under_pressure_scheme(enum pcp_scheme_id scheme)
{
	struct machine *m = small_machine_scheme(scheme);
	struct towner *o = towner_new(m);
	struct presser pr[2] = { { .m = m, .o = o, .cpu = 0 }, { .m = m, .o = o, .cpu = 1 } };
	pthread_t t[2];

	cpu_unbind();
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, presser_main, &pr[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cpu_bind(m, 0);
	kswapd_wait_idle(m);
	CHECK_EQ(atomic_load(&pr[0].fails) + atomic_load(&pr[1].fails), 0);
	CHECK_EQ(ev(m, OOM_KILL), 0);
	CHECK_EQ(atomic_load(&o->evicted), ev(m, PGSTEAL_KSWAPD) + ev(m, PGSTEAL_DIRECT));
	CHECK_EQ(lru_pages(m, 0) + atomic_load(&o->evicted), 80000);
	struct slowpath_latency all;
	slowpath_latency(m, SLOWPATH_ALL, &all);
	CHECK_EQ(all.count, ev(m, PGALLOC_SLOWPATH));
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	towner_release(o);
	done(m);
}

static void two_cpus_under_pressure(void) { two_cpus_under_pressure_scheme(PCP_SCHEME_TRYLOCK); }
static void two_cpus_under_pressure_owner_scheme(void) { two_cpus_under_pressure_scheme(PCP_SCHEME_OWNER); }

/* m->report into memory, and what it got */
static char *rep_buf;
static size_t rep_len;
static void capture(struct machine *m) { m->report = open_memstream(&rep_buf, &rep_len); }
static const char *reported(struct machine *m)
{
	static char out[8192];
	fclose(m->report);
	m->report = stderr;
	snprintf(out, sizeof(out), "%s", rep_buf ? rep_buf : "");
	free(rep_buf);
	rep_buf = NULL;
	return out;
}

/* Memory taken down to no free page at all (__GFP_MEMALLOC: no watermarks), lists drained. */
static void exhaust(struct machine *m, struct pile *pl)
{
	pile_fill_to(m, pl, 0, GFP_KERNEL | __GFP_MEMALLOC);
	drain_all_pages(m, NULL);
	pile_fill_to(m, pl, 0, GFP_KERNEL | __GFP_MEMALLOC);
	CHECK_EQ(free_snapshot(m), 0);
}

/*
 * __GFP_NOFAIL when the OOM killer cannot help: 4.12 gives the request the reserves
 * (ALLOC_NO_WATERMARKS) rather than waiting for the free pages to climb back over min.
 *   free: 0 ... 64 given back (min is 128) | NOFAIL order 0, then order 3
 * Expect: both return at once (no other thread frees anything), the OOM killer called,
 * one "giving it the reserves" warning (WARN_ON_ONCE), no "page allocation failure".
 */
static void nofail_takes_reserves_below_min(void)
{
	struct machine *m = small_machine();
	struct pile pl = { 0 };

	exhaust(m, &pl);
	for (int i = 0; i < 64; i++)
		__free_pages(pl.p[--pl.n], 0);  /* the last taken: contiguous, so order 3 can form */
	drain_all_pages(m, NULL);
	CHECK(free_snapshot(m) < (long)min_wmark_pages(normal(m)));
	unsigned long oom = oom_invocations(m);
	capture(m);
	struct page *p0 = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);
	struct page *p3 = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 3);
	const char *r = reported(m);
	CHECK(p0 != NULL);
	CHECK(p3 != NULL);
	CHECK_EQ(oom_invocations(m), oom + 2);
	CHECK(strstr(r, "WARNING: __alloc_pages_may_oom: __GFP_NOFAIL order 0 and the OOM killer cannot help: "
			"giving it the reserves (ALLOC_NO_WATERMARKS)\n") != NULL);
	CHECK(strstr(r, "order 3 and the OOM killer") == NULL);  /* once */
	CHECK(strstr(r, "page allocation failure") == NULL);
	if (p0)
		__free_pages(p0, 0);
	if (p3)
		__free_pages(p3, 3);
	pile_free(&pl);
	done(m);
}

/*
 * __GFP_NOFAIL that cannot be met is a caller bug the kernel warns about: one that
 * cannot reclaim (GFP_ATOMIC, GFP_NOWAIT) fails with a WARN and warn_alloc; one with no
 * zone to take from (an empty nodemask) would loop for ever, and fails with a warning here.
 * Expect: NULL each time, the WARN once, a "page allocation failure" line for each (the
 * mode names the flags), none with __GFP_NOWARN.
 */
static void nofail_that_cannot_be_met_warns(void)
{
	struct machine *m = small_machine();
	struct pile pl = { 0 };
	nodemask_t none;

	exhaust(m, &pl);
	capture(m);
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_NOFAIL, 0) == NULL);
	CHECK(alloc_pages(GFP_NOWAIT | __GFP_NOFAIL, 0) == NULL);
	nodes_clear(&none);
	CHECK(__alloc_pages_nodemask(GFP_KERNEL | __GFP_NOFAIL, 0, node_zonelist(m, 0, GFP_KERNEL), &none) == NULL);
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_NOFAIL | __GFP_NOWARN, 0) == NULL);
	const char *r = reported(m);
	const char *w = "WARNING: __alloc_pages_slowpath: __GFP_NOFAIL without __GFP_DIRECT_RECLAIM cannot wait for memory: failing\n";
	CHECK(strstr(r, w) != NULL);
	CHECK(strstr(strstr(r, w) ? strstr(r, w) + 1 : r, w) == NULL);         /* WARN_ON_ONCE */
	CHECK(strstr(r, "WARNING: __alloc_pages_slowpath: __GFP_NOFAIL with no zone to allocate from") != NULL);
	int failures = 0;
	for (const char *q = r; (q = strstr(q, "WARNING: page allocation failure: order:0, mode:0x")); q++)
		failures++;
	CHECK_EQ(failures, 3);
	CHECK(strstr(r, "__GFP_NOFAIL") != NULL && strstr(r, "nodemask=(null)") != NULL);
	CHECK(strstr(r, "nodemask=\n") != NULL);        /* the empty one */
	pile_free(&pl);
	done(m);
}

int main(void)
{
	RUN(kswapd_wakes_below_low_sleeps_above_high);
	RUN(exhaustion_noretry_fails_fast_oom_bounded);
	RUN(nofail_waits_for_another_thread);
	RUN(atomic_never_reclaims_and_uses_reserves);
	RUN(nofail_takes_reserves_below_min);
	RUN(nofail_that_cannot_be_met_warns);
	RUN(two_cpus_under_pressure);
	RUN(two_cpus_under_pressure_owner_scheme);
	TEST_SUMMARY();
}
