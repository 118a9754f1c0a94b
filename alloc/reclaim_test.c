// SPDX-License-Identifier: GPL-2.0
/*
 * reclaim_test - direct reclaim and direct compaction of owner pages on the LRU, and the
 * slow path's latency histograms, on small flat machines (one Normal zone at 4 GiB, one
 * CPU). The allocations here leave __GFP_KSWAPD_RECLAIM out so kswapd never runs: what
 * is reclaimed is reclaimed by the allocating thread (alloc/slowpath_test.c has kswapd).
 */
#include <stdatomic.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/testing.h"
#include "pcp/pcp.h"

#define BASE_PFN        0x100000UL      /* 4 GiB: Normal only */
#define GFP_DIRECT      (__GFP_DIRECT_RECLAIM | __GFP_IO | __GFP_FS)    /* GFP_KERNEL without kswapd */

struct towner {
	struct machine *m;
	unsigned long npages;
	_Atomic unsigned char *held;    /* per pfn - BASE_PFN: the owner holds it */
	struct page **slot;             /* compaction test: slot -> page */
	atomic_long evicted, moved, refused;
	bool refuse;
	int id;
};

static bool t_evict(void *ctx, struct page *page)
{
	struct towner *o = ctx;
	unsigned long i = __page_to_pfn(o->m, page) - BASE_PFN;
	unsigned char one = 1;

	if (o->refuse) {
		atomic_fetch_add(&o->refused, 1);
		return false;
	}
	if (!atomic_compare_exchange_strong(&o->held[i], &one, 0))
		return false;
	atomic_fetch_add(&o->evicted, 1);
	return true;
}

static void t_moved(void *ctx, struct page *from, struct page *to)
{
	struct towner *o = ctx;
	unsigned long fi = __page_to_pfn(o->m, from) - BASE_PFN, ti = __page_to_pfn(o->m, to) - BASE_PFN;

	if (o->slot && o->m->arena) {
		long slot = *(long *)__page_address(o->m, to);  /* contents were copied */
		if (slot >= 0 && o->slot[slot] == from)
			o->slot[slot] = to;
		else
			fprintf(stderr, "  moved: page %#lx carries slot %ld, which is not it\n", fi, slot);
	}
	atomic_store(&o->held[ti], atomic_exchange(&o->held[fi], 0));
	atomic_fetch_add(&o->moved, 1);
}

static const struct page_owner_ops t_ops = { .evict = t_evict, .moved = t_moved };

static void towner_init(struct towner *o, struct machine *m, unsigned long npages)
{
	memset(o, 0, sizeof(*o));
	o->m = m;
	o->npages = npages;
	o->held = calloc(npages, 1);
	o->id = lru_register_owner(m, &t_ops, o);
}

/* Take every page back from the LRU and free it. */
static void towner_release(struct towner *o)
{
	for (unsigned long i = 0; i < o->npages; i++) {
		if (!atomic_load(&o->held[i]))
			continue;
		struct page *p = __pfn_to_page(o->m, BASE_PFN + i);
		CHECK(lru_del(p));
		atomic_store(&o->held[i], 0);
		__free_pages(p, 0);
	}
	free(o->held);
	free(o->slot);
}

static unsigned long ev(struct machine *m, enum vm_event_item item)
{
	unsigned long e[NR_VM_EVENT_ITEMS];
	all_vm_events(m, e);
	return e[item];
}

static long free_snapshot(struct machine *m)
{
	return zone_page_state_snapshot(&m->node_data[0]->node_zones[ZONE_NORMAL], NR_FREE_PAGES);
}

static struct machine *small_machine(unsigned long pages, bool backed)
{
	struct machine_desc d;

	t_desc_flat(&d, BASE_PFN, pages, 1);
	d.backed = backed;
	struct machine *m = t_machine(&d);
	cpu_bind(m, 0);
	return m;
}

static void done(struct machine *m)
{
	drain_all_pages(m, NULL);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];
	CHECK_EQ(free_snapshot(m), z->managed_pages);
	CHECK_EQ(lru_pages(m, 0), 0);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * Direct reclaim frees owner pages: on 64 MiB (16384 frames) allocate 20000 reclaimable
 * pages and put each on the LRU, without kswapd.
 *   |<---------------- 16384 frames: every one on the LRU, oldest evicted ---------------->|
 * Expect: every allocation succeeds; evict() was called for what pgsteal_direct counts;
 * pgscan_direct >= pgsteal_direct; allocstall_normal > 0; no oom_kill, no kswapd run;
 * the slow path's successes after reclaim are in the "reclaim" histogram.
 */
static void direct_reclaim_frees_owner_pages(void)
{
	struct machine *m = small_machine(16384, false);
	struct towner o;
	int fails = 0;

	towner_init(&o, m, 16384);
	CHECK(o.id >= 1);
	for (int i = 0; i < 20000; i++) {
		struct page *p = alloc_pages(GFP_DIRECT | __GFP_MOVABLE, 0);
		if (!p) {
			fails++;
			continue;
		}
		atomic_store(&o.held[__page_to_pfn(m, p) - BASE_PFN], 1);
		lru_add(p, o.id, PG_lru);
	}
	CHECK_EQ(fails, 0);
	CHECK(atomic_load(&o.evicted) > 0);
	CHECK_EQ(ev(m, PGSTEAL_DIRECT), atomic_load(&o.evicted));
	CHECK(ev(m, PGSCAN_DIRECT) >= ev(m, PGSTEAL_DIRECT));
	CHECK(ev(m, ALLOCSTALL_NORMAL) > 0);
	CHECK_EQ(ev(m, OOM_KILL), 0);
	CHECK_EQ(ev(m, PAGEOUTRUN), 0);
	CHECK_EQ(ev(m, PGSTEAL_KSWAPD), 0);
	CHECK_EQ(ev(m, PGALLOC_CALLS), 20000);

	struct slowpath_latency all, rec;
	slowpath_latency(m, SLOWPATH_ALL, &all);
	slowpath_latency(m, SLOWPATH_RECLAIM, &rec);
	CHECK_EQ(all.count, ev(m, PGALLOC_SLOWPATH));
	CHECK(rec.count > 0);
	CHECK(all.p50_ns <= all.p90_ns && all.p90_ns <= all.p99_ns && all.p99_ns <= all.p999_ns &&
	      all.p999_ns <= all.max_ns);
	CHECK(rec.max_ns > 0);
	double rate = slowpath_fastpath_rate(m);
	CHECK(rate > 0.0 && rate < 1.0);
	CHECK_EQ(lru_pages(m, 0) + atomic_load(&o.evicted), 20000);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	towner_release(&o);
	slowpath_latency_reset(m);
	slowpath_latency(m, SLOWPATH_ALL, &all);
	CHECK_EQ(all.count, 0);
	done(m);
}

/*
 * An owner that keeps its pages (2048 on the LRU, the rest of memory held by the test):
 * reclaim scans but frees nothing; the allocation fails
 * after MAX_RECLAIM_RETRIES no-progress loops, with one oom_kill (no task is killed).
 * Expect: NULL, pgsteal_direct 0, pgscan_direct > 0, refused > 0, oom_kill 1.
 */
static void refusing_owner_leads_to_oom(void)
{
	struct machine *m = small_machine(16384, false);
	struct towner o;
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];

	towner_init(&o, m, 16384);
	o.refuse = true;
	for (long n = 0; free_snapshot(m) > (long)min_wmark_pages(z) + 1; n++) {
		struct page *p = alloc_pages(GFP_DIRECT, 0);
		if (!p)
			break;
		if (n >= 2048)
			continue;       /* not on the LRU; freed by machine_destroy */
		atomic_store(&o.held[__page_to_pfn(m, p) - BASE_PFN], 1);
		lru_add(p, o.id, PG_lru);
	}
	drain_all_pages(m, NULL);
	while (alloc_pages(GFP_DIRECT | __GFP_NOWARN, 0) && free_snapshot(m) > 0)
		;       /* these few are leaked to the test, freed by machine_destroy */
	uint64_t t0 = now_ns();
	struct page *p = alloc_pages(GFP_DIRECT | __GFP_NOWARN, 0);
	uint64_t dt = now_ns() - t0;
	CHECK(p == NULL);
	CHECK(dt < 10 * 1000000000ull);  /* bounded: 17 reclaim passes over 2048 pages, even under TSan */
	CHECK_EQ(ev(m, PGSTEAL_DIRECT), 0);
	CHECK(ev(m, PGSCAN_DIRECT) > 0);
	CHECK(atomic_load(&o.refused) > 0);
	CHECK(oom_invocations(m) >= 1);
	CHECK_EQ(ev(m, OOM_KILL), 0);   /* no task to kill */
	struct slowpath_latency f;
	slowpath_latency(m, SLOWPATH_FAIL, &f);
	CHECK(f.count >= 1);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	cpu_unbind();
	free(o.held);
	machine_destroy(m);
}

/*
 * Compaction forms a higher-order block from fragmented movable pages (backed, 64 MiB):
 * take every frame as order-0 movable pages (no free block of order >= 4 left), number
 * each page's contents by its slot, put them on the LRU as PG_movable, free every other
 * one:
 *   | A . A . A . A . A . ... |   (A: movable owner page, .: free order-0 frame)
 * then allocate order 4 (costly: compaction first).
 * Expect: the order-4 allocation succeeds; moved() was called (pgmigrate_success);
 * compact_stall, compact_success, compact_migrate_scanned, compact_free_scanned,
 * compact_isolated counted; every slot's page still holds its slot number.
 */
static void compaction_forms_high_order_block(void)
{
	struct machine *m = small_machine(16384, true);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];
	struct towner o;
	long n = 0;

	towner_init(&o, m, 16384);
	o.slot = calloc(16384, sizeof(*o.slot));
	for (;;) {
		struct page *p = alloc_pages(GFP_DIRECT | __GFP_MOVABLE | __GFP_MEMALLOC | __GFP_NOWARN, 0);
		if (!p)
			break;
		o.slot[n++] = p;
		if (n % 64 == 0) {
			drain_all_pages(m, NULL);
			bool big = false;
			for (int k = 4; k < MAX_ORDER; k++)
				big |= z->free_area[k].nr_free != 0;
			if (!big)
				break;
		}
	}
	drain_all_pages(m, NULL);
	for (int k = 4; k < MAX_ORDER; k++)
		CHECK_EQ(z->free_area[k].nr_free, 0);
	for (long i = 0; i < n; i++) {
		*(long *)page_address(o.slot[i]) = i;
		atomic_store(&o.held[__page_to_pfn(m, o.slot[i]) - BASE_PFN], 1);
		lru_add(o.slot[i], o.id, PG_movable);
	}
	for (long i = 1; i < n; i += 2) {
		CHECK(lru_del(o.slot[i]));
		atomic_store(&o.held[__page_to_pfn(m, o.slot[i]) - BASE_PFN], 0);
		__free_pages(o.slot[i], 0);
		o.slot[i] = NULL;
	}
	drain_all_pages(m, NULL);
	for (int k = 4; k < MAX_ORDER; k++)
		CHECK_EQ(z->free_area[k].nr_free, 0);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	CHECK_EQ(ev(m, COMPACTSTALL), 0);

	struct page *big = alloc_pages(GFP_DIRECT | __GFP_MOVABLE | __GFP_NOWARN, 4);
	CHECK(big != NULL);
	CHECK(ev(m, COMPACTSTALL) >= 1);
	CHECK(ev(m, COMPACTSUCCESS) >= 1);
	CHECK(atomic_load(&o.moved) > 0);
	CHECK_EQ(ev(m, PGMIGRATE_SUCCESS), atomic_load(&o.moved));
	CHECK(ev(m, COMPACTMIGRATE_SCANNED) > 0);
	CHECK(ev(m, COMPACTFREE_SCANNED) > 0);
	CHECK(ev(m, COMPACTISOLATED) > 0);
	CHECK_EQ(ev(m, OOM_KILL), 0);
	for (long i = 0; i < n; i += 2)
		CHECK_EQ(*(long *)page_address(o.slot[i]), i);
	struct slowpath_latency c;
	slowpath_latency(m, SLOWPATH_COMPACT, &c);
	CHECK_EQ(c.count, 1);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	if (big)
		__free_pages(big, 4);
	towner_release(&o);
	done(m);
}

/*
 * Every frame allocated, on the LRU of an owner that refuses to give any up (reclaimable,
 * not movable), then every other one freed: free memory in order-0 pieces that neither
 * reclaim nor compaction can join. Returns the pages taken (the even ones still held).
 */
static long fragment_unmovable(struct machine *m, struct towner *o, struct page **pages)
{
	long n = 0;

	towner_init(o, m, 8192);
	o->refuse = true;
	for (;;) {
		struct page *p = alloc_pages(GFP_DIRECT | __GFP_MEMALLOC | __GFP_NOWARN, 0);
		if (!p)
			break;
		pages[n++] = p;
	}
	for (long i = 0; i < n; i++)
		lru_add(pages[i], o->id, PG_lru);
	for (long i = 1; i < n; i += 2) {
		CHECK(lru_del(pages[i]));
		__free_pages(pages[i], 0);
	}
	drain_all_pages(m, NULL);
	return n;
}

static void unfragment(struct towner *o, struct page **pages, long n)
{
	for (long i = 0; i < n; i += 2) {
		CHECK(lru_del(pages[i]));
		__free_pages(pages[i], 0);
	}
	free(pages);
	free(o->held);
}

/*
 * Compaction that cannot help: the same fragmentation, but the pages are reclaimable
 * only (not movable) and their owner keeps them. Expect: the order-4 __GFP_NORETRY
 * request finds nothing to migrate (pgmigrate_success 0) and fails without an oom_kill.
 */
static void unmovable_pages_are_not_migrated(void)
{
	struct machine *m = small_machine(8192, false);
	struct towner o;
	long n = 0;
	struct page **pages = calloc(8192, sizeof(*pages));

	n = fragment_unmovable(m, &o, pages);
	unsigned long oom = ev(m, OOM_KILL);      /* the exhausting loop's last request was one */
	struct page *big = alloc_pages(GFP_DIRECT | __GFP_NORETRY | __GFP_NOWARN, 4);
	CHECK(big == NULL);
	CHECK_EQ(ev(m, PGMIGRATE_SUCCESS), 0);
	CHECK_EQ(ev(m, OOM_KILL), oom);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	unfragment(&o, pages, n);
	done(m);
}

/*
 * Deferral: compaction that keeps failing backs off as compaction_deferred says. The
 * fragmentation above (every other page free, nothing movable), then 200 order-4
 * GFP_KERNEL-without-kswapd requests; each tries async compaction first and sync
 * compaction after reclaim, and a sync failure defers the next 2^shift - 1 considerations
 * (shift 1..6, both attempts consult it):
 *
 *   request   1: async + sync (shift 0 -> 1)    2: sync (-> 2)    4: sync (-> 3)
 *             8: sync (-> 4)   16: sync (-> 5)   32: sync (-> 6)
 *            64, 96, 128, 160, 192: sync (every 64 considerations, shift stays 6)
 *
 * Expect: compact_stall 12 (without deferral it would be 400), compact_fail 12, the
 * zone's compact_defer_shift 6 and compact_order_failed 4; every request fails.
 */
static void compaction_deferral_backs_off(void)
{
	struct machine *m = small_machine(8192, false);
	struct towner o;
	long n = 0;
	struct page **pages = calloc(8192, sizeof(*pages));
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];

	n = fragment_unmovable(m, &o, pages);
	unsigned long stall = ev(m, COMPACTSTALL), fail = ev(m, COMPACTFAIL);
	int got = 0;
	for (int i = 0; i < 200; i++)
		got += alloc_pages(GFP_DIRECT | __GFP_NOWARN, 4) != NULL;
	CHECK_EQ(got, 0);
	CHECK_EQ(ev(m, COMPACTSTALL) - stall, 12);
	CHECK_EQ(ev(m, COMPACTFAIL) - fail, 12);
	CHECK_EQ(z->compact->defer_shift, 6);
	CHECK_EQ(z->compact->order_failed, 4);
	CHECK_CONSISTENT(m);
	unfragment(&o, pages, n);
	done(m);
}

/*
 * kcompactd compacts for kswapd, as defrag=defer's THP faults rely on (no direct reclaim
 * or compaction, kswapd woken), on a machine with half its memory free but in pieces:
 *
 *   every 4 frames: |anon, movable (no swap: not reclaimable)|file, evictable|free|free|
 *
 * kswapd, woken for order 9, reclaims file pages until compact_gap(9) = 1024 are freed,
 * then settles for order 0 (kswapd_shrink_node) and, going to sleep balanced, wakes
 * kcompactd for order 9, which migrates the anon pages out of some pageblocks.
 * Expect: a THP request without reclaim fails; woken for order 9, kswapd reclaims at least
 * compact_gap(9), kcompactd runs once (compact_daemon_wake 1) and migrates pages, and the
 * request then succeeds without any reclaim of its own.
 */
static void kcompactd_compacts_after_kswapd(void)
{
	struct machine *m = small_machine(8192, false);
	struct towner o;
	struct page **pages = calloc(8192, sizeof(*pages));
	long n = 0;

	towner_init(&o, m, 8192);
	/* filled without waking kswapd: it must not give the node up as hopeless before the case */
	for (;;) {
		struct page *p = alloc_pages((GFP_HIGHUSER_MOVABLE & ~__GFP_KSWAPD_RECLAIM) | __GFP_MEMALLOC | __GFP_NOWARN, 0);
		if (!p)
			break;
		pages[n++] = p;
	}
	for (long i = 0; i < n; i++) {
		unsigned long pfn = __page_to_pfn(m, pages[i]);
		if (pfn % 4 < 2) {
			atomic_store(&o.held[pfn - BASE_PFN], 1);
			lru_add(pages[i], o.id, pfn % 4 == 0 ? PG_movable : PG_lru);
		} else {
			__free_pages(pages[i], 0);
		}
	}
	drain_all_pages(m, NULL);
	/* the request that fails wakes nobody; kswapd is then woken as defrag=defer's would
	 * (wakeup_kswapd for order 9): its run and kcompactd's are not raced by the retry */
	struct page *big = alloc_pages(GFP_TRANSHUGE_LIGHT, 9);
	CHECK(big == NULL);
	if (big)
		__free_pages(big, 9);
	CHECK_EQ(ev(m, PAGEOUTRUN), 0);
	wakeup_kswapd(&m->node_data[0]->node_zones[ZONE_NORMAL], 9, ZONE_NORMAL);
	kswapd_wait_idle(m);
	CHECK_EQ(ev(m, KCOMPACTD_WAKE), 1);
	CHECK_EQ(kcompactd_runs(m), 1);
	CHECK(ev(m, PGMIGRATE_SUCCESS) > 0);
	CHECK(ev(m, PGSTEAL_KSWAPD) >= 1024);
	unsigned long stall = ev(m, ALLOCSTALL_NORMAL) + ev(m, ALLOCSTALL_DMA32);
	big = alloc_pages(GFP_TRANSHUGE_LIGHT, 9);
	CHECK(big != NULL);
	CHECK_EQ(ev(m, ALLOCSTALL_NORMAL) + ev(m, ALLOCSTALL_DMA32), stall);
	if (big)
		__free_pages(big, 9);
	CHECK_CONSISTENT(m);
	CHECK_LRU(m);
	towner_release(&o);
	free(pages);
	done(m);
}

/* Fill the node with owner pages without waking kswapd: below every watermark, all on the LRU. */
static long fill_quietly(struct machine *m, struct towner *o)
{
	long n = 0;

	for (;;) {
		/* no reclaim of either kind: the pages already on the LRU would be evicted to make room */
		struct page *p = alloc_pages((GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) | __GFP_MEMALLOC | __GFP_NOWARN, 0);
		if (!p)
			return n;
		atomic_store(&o->held[__page_to_pfn(m, p) - BASE_PFN], 1);
		lru_add(p, o->id, PG_lru);
		n++;
	}
}

/*
 * kswapd woken for a node that is balanced again by the time it runs (the waker's frees, or
 * another reclaimer's, came first): balance_pgdat finds it balanced at once and leaves by
 * 4.12's "goto out", which skips kswapd_failures++. Twenty such passes in a row must not make
 * the node hopeless (MAX_RECLAIM_RETRIES 16), or kswapd would never be woken again.
 *
 *   fill, wake: kswapd reclaims to high | 20 x (woken, node balanced: out) | fill, wake
 *
 * Expect: the 20 passes count pageoutrun and reclaim nothing, failures stays 0, and the last
 * wakeup on an unbalanced node still runs kswapd, which reclaims.
 */
static void balanced_pass_is_not_a_failure(void)
{
	struct machine *m = small_machine(16384, false);
	struct kswapd *k = m->node_data[0]->kswapd;
	struct zone *normal = &m->node_data[0]->node_zones[ZONE_NORMAL];
	struct towner o;

	towner_init(&o, m, 16384);
	CHECK(fill_quietly(m, &o) > 15000);
	wakeup_kswapd(normal, 0, ZONE_NORMAL);
	kswapd_wait_idle(m);
	unsigned long runs = ev(m, PAGEOUTRUN), steal = ev(m, PGSTEAL_KSWAPD);
	CHECK_EQ(runs, 1);
	CHECK(steal > 0);
	CHECK_EQ(atomic_load(&k->failures), 0);
	for (int i = 0; i < 20; i++) {
		/* what wakeup_kswapd does once it found the node unbalanced */
		pthread_mutex_lock(&k->lock);
		k->classzone_idx = ZONE_NORMAL;
		k->woken = true;
		pthread_cond_signal(&k->wait);
		pthread_mutex_unlock(&k->lock);
		kswapd_wait_idle(m);
	}
	CHECK_EQ(ev(m, PAGEOUTRUN), runs + 20);
	CHECK_EQ(ev(m, PGSTEAL_KSWAPD), steal);
	CHECK_EQ(atomic_load(&k->failures), 0);
	CHECK(fill_quietly(m, &o) > 0);
	wakeup_kswapd(normal, 0, ZONE_NORMAL);
	kswapd_wait_idle(m);
	CHECK_EQ(ev(m, PAGEOUTRUN), runs + 21);
	CHECK(ev(m, PGSTEAL_KSWAPD) > steal);
	towner_release(&o);
	done(m);
}

/*
 * shrink_all_memory evicts everything an owner gives up, and lru_del refuses nothing when
 * no reclaim runs. Expect: 1000 pages on the LRU, shrink_all_memory frees 1000, LRU empty.
 */
static void shrink_all_memory_empties_the_lru(void)
{
	struct machine *m = small_machine(8192, false);
	struct towner o;

	towner_init(&o, m, 8192);
	for (int i = 0; i < 1000; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);
		atomic_store(&o.held[__page_to_pfn(m, p) - BASE_PFN], 1);
		lru_add(p, o.id, PG_lru | PG_movable);
	}
	CHECK_EQ(lru_pages(m, 0), 1000);
	CHECK_EQ(zone_page_state_snapshot(&m->node_data[0]->node_zones[ZONE_NORMAL], NR_ZONE_INACTIVE_FILE), 1000);
	CHECK_EQ(shrink_all_memory(m), 1000);
	CHECK_EQ(atomic_load(&o.evicted), 1000);
	CHECK_EQ(zone_page_state_snapshot(&m->node_data[0]->node_zones[ZONE_NORMAL], NR_ZONE_INACTIVE_FILE), 0);
	free(o.held);
	done(m);
}

int main(void)
{
	RUN(direct_reclaim_frees_owner_pages);
	RUN(refusing_owner_leads_to_oom);
	RUN(compaction_forms_high_order_block);
	RUN(unmovable_pages_are_not_migrated);
	RUN(compaction_deferral_backs_off);
	RUN(kcompactd_compacts_after_kswapd);
	RUN(shrink_all_memory_empties_the_lru);
	RUN(balanced_pass_is_not_a_failure);
	TEST_SUMMARY();
}
