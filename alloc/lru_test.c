// SPDX-License-Identifier: GPL-2.0
/*
 * lru_test - the LRU's aging, writeback, swap and the OOM killer (alloc/lru.c, vmscan.c,
 * writeback.c, oom.c, task.c) on one small flat machine per case: one Normal zone at
 * 4 GiB, one CPU, the calling thread bound to it. Reclaim is driven by hand
 * (shrink_node at priority 0: every page of a list is looked at), except where a case is
 * about the slow path itself.
 */
#include <errno.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/task.h"
#include "alloc/testing.h"
#include "pcp/pcp.h"

#define BASE_PFN        0x100000UL

static unsigned long ev(struct machine *m, enum vm_event_item item)
{
	unsigned long e[NR_VM_EVENT_ITEMS];
	all_vm_events(m, e);
	return e[item];
}

static long ns(struct machine *m, enum node_stat_item item) { return node_page_state(m->node_data[0]->lru, item); }

static struct machine *lru_machine(unsigned long pages, enum pcp_policy_id policy, unsigned long swap_pages,
				   int disk_latency_us)
{
	struct machine_desc d;

	t_desc_flat(&d, BASE_PFN, pages, 1);
	d.policy = policy;
	d.swap_pages = swap_pages;
	d.swap_latency_us = 100;
	d.disk_latency_us = disk_latency_us;
	struct machine *m = t_machine(&d);
	cpu_bind(m, 0);
	return m;
}

/* The list a page is on now (-1: off every list or isolated). */
static int on_list(struct machine *m, struct page *p)
{
	struct lru_node *lru = m->node_data[0]->lru;
	pthread_mutex_lock(&lru->lock);
	unsigned st = lru->state[__page_to_pfn(m, p) - lru->start_pfn];
	pthread_mutex_unlock(&lru->lock);
	return st && !(st & LS_ISOLATED) ? (int)ls_lru(st) : -1;
}

static unsigned long reclaim(struct machine *m, bool kswapd)
{
	return shrink_node(m->node_data[0], ZONE_NORMAL, ~0UL, 0, kswapd);
}

static void drain_io(struct machine *m)
{
	while (writeback_wait_any(m, 1000000000ull))
		;
}

static void finish(struct machine *m)
{
	drain_io(m);
	shrink_all_memory(m);
	drain_all_pages(m, NULL);
	CHECK_LRU(m);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * Page cache read twice is active and survives a scan; read once it is reclaimed; an
 * evicted page read again soon is a refault that comes back active.
 *
 *   file: |0 ................ 47|48 ..... 63|     read all, then 0..47 again
 *          active (2 reads)       inactive (1 read: PG_referenced, no PTE)
 *
 * The scan takes the inactive file list first (for_each_evictable_lru's order): 48..63
 * are referenced but unmapped (PAGEREF_RECLAIM_CLEAN) and go. Then the active list: 4.12
 * deactivates a batch at a time while the inactive list is low against it (32 of 48);
 * 5.8+ decided once, before the scan (prepare_scan_count: inactive 16 < active 48), and
 * at priority 0 deactivates all 48.
 * Expect: pgactivate 48 from mark_page_accessed; 16 freed, 0..47 still cached; 4.12:
 * pgdeactivate 32, and a re-read of 50 is a refault (workingset_refault) whose distance (at
 * most 15 evictions and activations since) fits the 16 active pages: it comes back active
 * (workingset_activate); 5.8+: pgdeactivate 48, and the refault finds no workingset (no
 * active file, no swap for anon to count) and stays inactive.
 */
static void page_cache_read_twice_is_active(enum pcp_policy_id policy)
{
	struct machine *m = lru_machine(4096, policy, 0, 100);
	struct mm_file *f = file_create(m, 64);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];

	for (int i = 0; i < 64; i++)
		CHECK_EQ(file_read(f, (unsigned long)i), 0);
	for (int i = 0; i < 48; i++)
		CHECK_EQ(file_read(f, (unsigned long)i), 0);
	CHECK_EQ(ev(m, PGACTIVATE), 48);
	CHECK_EQ(zone_page_state_snapshot(z, NR_ZONE_ACTIVE_FILE), 48);
	bool once = lru_aging(m)->cost_balance;        /* 5.8+: deactivation decided before the scan */
	CHECK_EQ(reclaim(m, true), 16);
	CHECK_EQ(ev(m, PGDEACTIVATE), once ? 48 : 32);
	CHECK_EQ(zone_page_state_snapshot(z, NR_ZONE_ACTIVE_FILE), once ? 0 : 16);
	CHECK_EQ(file_cached(f), 48);
	bool kept = true, gone = true;
	for (int i = 0; i < 64; i++) {
		kept &= i >= 48 || file_is_cached(f, (unsigned long)i);
		gone &= i < 48 || !file_is_cached(f, (unsigned long)i);
	}
	CHECK(kept);
	CHECK(gone);
	CHECK_EQ(file_read(f, 50), 0);
	CHECK_EQ(ns(m, WORKINGSET_REFAULT_FILE), 1);
	CHECK_EQ(ns(m, WORKINGSET_ACTIVATE_FILE), once ? 0 : 1);
	CHECK_EQ(zone_page_state_snapshot(z, NR_ZONE_ACTIVE_FILE), once ? 0 : 17);
	file_drop(f);
	finish(m);
	file_free(f);
}

/*
 * Anon aging with swap: a young page is activated, an old one swapped out; a swapped page
 * comes back on access as an allocation.
 *
 *   pass 1: 64 anon pages, all young (just faulted)  -> all activated, none swapped; then
 *           the anon lists rebalance: 32 deactivated (inactive_list_is_low)
 *   touch:  16 of the 32 inactive ones (young again)
 *   pass 2: the 16 young -> active; the 16 old -> swap cache, written (pswpout 16); then
 *           the rebalancing deactivates 32 more (inactive 16 < active 48), young cleared
 *   pass 3: once written, the 16 are freed (pgsteal); the 32 old ones are swapped out
 *   touch:  one of the first 16 -> swapin: pswpin 1, pgmajfault 1, workingset_refault_anon 1
 *
 * Expect those counts, rss 64 -> 48 -> 16 -> 17, swapents 16 -> 48 -> 47, and no
 * swapped page still mapped. 4.12 starts anon pages active, 5.9+ inactive: pass 1 differs (in 4.12 the
 * pages are already active and only the rebalancing runs, which clears the young bits of
 * the pages it deactivates: page_referenced), the rest is the same.
 */
static void young_anon_survives_old_anon_swaps(enum pcp_policy_id policy)
{
	struct machine *m = lru_machine(4096, policy, 1024, 100);
	struct mm_task *t = task_create(m, 64);
	bool starts_active = lru_aging(m)->anon_starts_active;

	for (int i = 0; i < 64; i++)
		CHECK_EQ(task_touch(t, (unsigned long)i), 0);
	CHECK_EQ(task_rss(t), 64);
	CHECK_EQ(ev(m, PGFAULT), 64);
	CHECK_EQ(reclaim(m, true), 0);
	CHECK_EQ(ev(m, PSWPOUT), 0);
	CHECK_EQ(ev(m, PGACTIVATE), starts_active ? 0 : 64);
	CHECK_EQ(ev(m, PGDEACTIVATE), 32);
	int inactive[64], n = 0;
	for (int i = 0; i < 64; i++)
		if (on_list(m, task_page(t, (unsigned long)i)) == LRU_INACTIVE_ANON)
			inactive[n++] = i;
	CHECK_EQ(n, 32);
	for (int k = 0; k < 16; k++)
		CHECK_EQ(task_touch(t, (unsigned long)inactive[k]), 0);
	unsigned long act0 = ev(m, PGACTIVATE);
	CHECK_EQ(reclaim(m, true), 0);          /* written, not yet freed */
	CHECK_EQ(ev(m, PSWPOUT), 16);
	CHECK_EQ(ev(m, PGACTIVATE) - act0, 16);
	CHECK_EQ(task_rss(t), 48);
	CHECK_EQ(task_swapents(t), 16);
	for (int k = 0; k < 32; k++)
		CHECK((task_page(t, (unsigned long)inactive[k]) != NULL) == (k < 16));
	drain_io(m);
	unsigned long steal0 = ev(m, PGSTEAL_KSWAPD);
	reclaim(m, true);
	CHECK_EQ(ev(m, PGSTEAL_KSWAPD) - steal0, 16);
	CHECK_EQ(ev(m, PSWPOUT), 48);
	CHECK_EQ(ns(m, NR_SWAPCACHE), 32);
	CHECK_EQ(task_rss(t), 16);
	CHECK_EQ(task_touch(t, (unsigned long)inactive[20]), 0);
	CHECK_EQ(ev(m, PSWPIN), 1);
	CHECK_EQ(ev(m, PGMAJFAULT), 1);
	CHECK_EQ(ns(m, WORKINGSET_REFAULT_ANON), 1);
	CHECK_EQ(task_rss(t), 17);
	CHECK_EQ(task_swapents(t), 47);
	CHECK_EQ(nr_swap_pages(m), 1024 - 47);
	task_exit(t);
	CHECK_EQ(nr_swap_pages(m), 1024);
	finish(m);
	task_free(t);
}

/*
 * A dirty page is written back before it is freed, and reclaim waits for the writes.
 *
 *   file: 64 pages written (dirty; the flusher's thresholds are far above 64 pages)
 *   direct reclaim: every page dirty and unqueued -> PG_reclaim, nr_vmscan_immediate,
 *                   PGDAT_DIRTY, the flusher woken: 64 writes queued, nothing freed
 *   kswapd: every page under writeback and marked -> PGDAT_WRITEBACK, then kswapd's
 *           congestion_wait: it waits for I/O, so some writes have completed after it
 *   once all are written: they rotated to the tail (pgrotated) and one scan frees all 64
 *
 * Expect: nr_dirty 64 -> 0, nothing freed while nr_written < 64, 64 freed after.
 */
static void dirty_page_written_before_freed(void)
{
	struct machine *m = lru_machine(4096, PCP_POLICY_LINUX_4_12, 0, 20000);     /* 20 ms a write */
	struct mm_file *f = file_create(m, 64);

	for (int i = 0; i < 64; i++)
		CHECK_EQ(file_write(f, (unsigned long)i), 0);
	CHECK_EQ(ns(m, NR_FILE_DIRTY), 64);
	CHECK_EQ(ns(m, NR_DIRTIED), 64);
	CHECK_EQ(reclaim(m, false), 0);
	CHECK_EQ(ns(m, NR_VMSCAN_IMMEDIATE), 64);
	CHECK_EQ(ns(m, NR_FILE_DIRTY), 0);
	CHECK_EQ(ns(m, NR_WRITEBACK) + ns(m, NR_WRITTEN), 64);
	CHECK(m->node_data[0]->lru->flags & PGDAT_DIRTY);
	CHECK_EQ(file_cached(f), 64);
	CHECK_EQ(reclaim(m, true), 0);          /* case 2, then case 1 on the second batch: waits */
	CHECK(m->node_data[0]->lru->flags & PGDAT_WRITEBACK);
	CHECK(ns(m, NR_WRITTEN) > 0);
	CHECK_EQ(file_cached(f), 64);
	drain_io(m);
	CHECK_EQ(ns(m, NR_WRITTEN), 64);
	CHECK_EQ(ev(m, PGROTATED), 64);
	CHECK_EQ(reclaim(m, true), 64);
	CHECK_EQ(file_cached(f), 0);
	finish(m);
	file_free(f);
}

/*
 * The OOM killer kills the biggest task, and its memory comes back to the allocation.
 *
 *   4096 pages, no swap: task A maps 800, task B 2000, then task C maps until memory runs
 *   out (anon without swap is unreclaimable)
 *
 * Expect: one oom_kill, B the victim (task_touch -ESRCH, rss 0), A and C untouched and
 * C's touches all succeed (the one that hit OOM got B's pages), the kernel's line said.
 */
static void oom_kills_biggest_task(enum pcp_policy_id policy)
{
	struct machine *m = lru_machine(4096, policy, 0, 100);
	struct mm_task *a = task_create(m, 800), *b = task_create(m, 2000), *c = task_create(m, 1500);
	char *rep = NULL;
	size_t len = 0;

	m->report = open_memstream(&rep, &len);
	for (unsigned long i = 0; i < 800; i++)
		CHECK_EQ(task_touch(a, i), 0);
	for (unsigned long i = 0; i < 2000; i++)
		CHECK_EQ(task_touch(b, i), 0);
	int bad = 0;
	for (unsigned long i = 0; i < 1500; i++)
		bad += task_touch(c, i) != 0;
	fclose(m->report);
	m->report = stderr;
	CHECK_EQ(bad, 0);
	CHECK_EQ(ev(m, OOM_KILL), 1);
	CHECK(task_killed(b));
	CHECK(!task_killed(a) && !task_killed(c));
	CHECK_EQ(task_rss(b), 0);
	CHECK_EQ(task_touch(b, 0), -ESRCH);
	CHECK_EQ(task_rss(a), 800);
	CHECK_EQ(task_rss(c), 1500);
	CHECK(rep && strstr(rep, "Out of memory: Killed task") != NULL);
	free(rep);
	task_exit(a);
	task_exit(b);
	task_exit(c);
	finish(m);
	task_free(a);
	task_free(b);
	task_free(c);
}

/*
 * __GFP_NOFAIL under OOM: memory full of two tasks' anon pages, no swap; a __GFP_NOFAIL
 * kernel allocation finds nothing to reclaim, calls the OOM killer, which kills the
 * bigger task, and succeeds on the retry with its memory.
 *
 *   4096 pages: task B maps 2600, task A 1000; __GFP_NORETRY requests (which never call
 *   the OOM killer) take what is left down to the min watermark
 *
 * Expect: the request returns a page; one oom_kill, B the victim; the slow-path entry is
 * recorded under the oom outcome.
 */
static void nofail_gets_victims_memory(void)
{
	struct machine *m = lru_machine(4096, PCP_POLICY_LINUX_6_18, 0, 100);
	struct mm_task *b = task_create(m, 2600), *a = task_create(m, 1000);
	char err[128];
	/* no boosting: the kernel allocations' fallbacks would boost the marks, and kswapd
	 * clearing an unmet boost could hand the request its page before the OOM killer ran */
	CHECK_EQ(sysctl_set(m, "watermark_boost_factor", 0, err, sizeof(err)), 0);
	char *rep = NULL;
	size_t len = 0;

	m->report = open_memstream(&rep, &len);
	for (unsigned long i = 0; i < 2600; i++)
		task_touch(b, i);
	for (unsigned long i = 0; i < 1000; i++)
		task_touch(a, i);
	unsigned long kills = ev(m, OOM_KILL);
	slowpath_latency_reset(m);
	/* take what is left, then ask for one more page that may not fail */
	struct page *held[4096];
	int n = 0;
	while (n < 4096 && (held[n] = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0)))
		n++;
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);
	fclose(m->report);
	m->report = stderr;
	free(rep);
	CHECK(p != NULL);
	CHECK_EQ(ev(m, OOM_KILL) - kills, 1);
	CHECK(task_killed(b));
	CHECK(!task_killed(a));
	CHECK_EQ(task_rss(a), 1000);
	struct slowpath_latency l;
	slowpath_latency(m, SLOWPATH_OOM, &l);
	CHECK_EQ(l.count, 1);
	if (p)
		__free_pages(p, 0);
	while (n)
		__free_pages(held[--n], 0);
	task_exit(a);
	task_exit(b);
	finish(m);
	task_free(a);
	task_free(b);
}

/* A file read twice (its pages active) and a task's pages touched once, n of each. */
static void read_twice_touch_once(struct mm_file *f, struct mm_task *t, unsigned long n)
{
	for (int pass = 0; pass < 2; pass++)
		for (unsigned long i = 0; i < n; i++)
			file_read(f, i);
	for (unsigned long i = 0; i < n; i++)
		task_touch(t, i);
}

/*
 * swappiness balances anon against file (get_scan_count): the same machine with 512 file
 * pages all active (read twice: the inactive file list is low, so no SCAN_FILE shortcut)
 * and 512 anon pages, eight passes at priority 0. At swappiness 0 there is no SCAN_EQUAL
 * and anon's SCAN_FRACT share (anon_prio 0) is nothing; at 100 every list is scanned.
 *
 * Expect: swappiness 0 swaps nothing; 100 swaps some.
 */
static unsigned long swapped_at(int swappiness)
{
	struct machine_desc d;

	t_desc_flat(&d, BASE_PFN, 8192, 1);
	d.swap_pages = 4096;
	d.swappiness = swappiness;
	struct machine *m = t_machine(&d);
	cpu_bind(m, 0);
	struct mm_file *f = file_create(m, 512);
	struct mm_task *t = task_create(m, 512);
	read_twice_touch_once(f, t, 512);
	for (int k = 0; k < 8; k++)
		reclaim(m, true);
	unsigned long out = ev(m, PSWPOUT);
	task_exit(t);
	file_drop(f);
	finish(m);
	task_free(t);
	file_free(f);
	return out;
}

static void swappiness_moves_anon_reclaim(void)
{
	unsigned long s0 = swapped_at(0), s100 = swapped_at(100);

	CHECK_EQ(s0, 0);
	CHECK(s100 > 0);
}

/*
 * 5.8+'s scan balance from the costs (get_scan_count, SCAN_FRACT), worked by hand from the
 * kernel's formula at swappiness 60, priority 2:
 *
 *   file: 512 pages read twice (all active: inactive file low -> may deactivate, no trim)
 *   anon: 512 pages touched once (5.9: inactive)          each list's scan: 512 >> 2 = 128
 *
 *   costs anon 0, file 1000: total 1000, anon' 1000, file' 2000, total' 3000
 *     ap = 60 x 3001 / 1001 = 179, fp = 140 x 3001 / 2001 = 209, denominator 388
 *     inactive anon 128 x 179 / 388 = 59, active file 128 x 209 / 388 = 68
 *   costs anon 1000, file 0: ap = 60 x 3001 / 2001 = 89, fp = 140 x 3001 / 1001 = 419
 *     inactive anon 128 x 89 / 508 = 22, active file 128 x 419 / 508 = 105
 *
 * Expect: kswapd's pgscan (the inactive anon list; the inactive file list is empty) and
 * pgrefill (the active file list) exactly those; 4.12's rows balance by recent scans and
 * rotations instead and are skipped.
 */
static void scan_split(enum pcp_policy_id policy, unsigned long anon_cost, unsigned long file_cost,
		       unsigned long *scanned, unsigned long *refilled)
{
	struct machine *m = lru_machine(8192, policy, 2048, 100);
	struct lru_node *lru = m->node_data[0]->lru;
	struct mm_file *f = file_create(m, 512);
	struct mm_task *t = task_create(m, 512);

	read_twice_touch_once(f, t, 512);
	pthread_mutex_lock(&lru->lock);
	lru->cost[0] = anon_cost;
	lru->cost[1] = file_cost;
	pthread_mutex_unlock(&lru->lock);
	unsigned long scan0 = ev(m, PGSCAN_KSWAPD), refill0 = ev(m, PGREFILL);
	shrink_node(m->node_data[0], ZONE_NORMAL, ~0UL, 2, true);
	*scanned = ev(m, PGSCAN_KSWAPD) - scan0;
	*refilled = ev(m, PGREFILL) - refill0;
	task_exit(t);
	file_drop(f);
	finish(m);
	task_free(t);
	file_free(f);
}

static void scan_balance_follows_costs(enum pcp_policy_id policy)
{
	unsigned long scanned, refilled;

	if (!pcp_policy(policy)->reclaim_lru) {
		t_skip_policy(policy, "4.12's balance (recent_scanned/recent_rotated)");
		return;
	}
	scan_split(policy, 0, 1000, &scanned, &refilled);
	CHECK_EQ(scanned, 59);
	CHECK_EQ(refilled, 68);
	scan_split(policy, 1000, 0, &scanned, &refilled);
	CHECK_EQ(scanned, 22);
	CHECK_EQ(refilled, 105);
}

/*
 * Reclaim notes its costs where the kernel does (lru_note_cost): anon pages written to swap
 * are the anon type's I/O, a file refault that activates is the file type's.
 *
 *   anon: 256 pages touched, then two priority-0 passes: young -> active, then swapped out
 *   file: 64 pages read and evicted; 512 others read twice (an active workingset, and an
 *         LRU large enough that the cost's decay, at a quarter of the LRU, keeps it);
 *         one of the 64 read again (its refault distance, at most 64, fits: activated)
 *
 * Expect: 5.8+ rows: anon cost > 0 and file cost 0 after the swap-out; file cost > 0 after
 * the refault's activation; 4.12 rows: both stay 0 (its balance keeps no costs).
 */
static void reclaim_notes_its_costs(enum pcp_policy_id policy)
{
	struct machine *m = lru_machine(8192, policy, 2048, 100);
	struct lru_node *lru = m->node_data[0]->lru;
	bool costs = lru_aging(m)->cost_balance;
	struct mm_task *t = task_create(m, 256);

	for (unsigned long i = 0; i < 256; i++)
		task_touch(t, i);
	for (int k = 0; k < 3; k++)
		reclaim(m, true);
	CHECK(ev(m, PSWPOUT) > 0);
	CHECK_EQ(lru->cost[1], 0);
	CHECK(costs ? lru->cost[0] > 0 : lru->cost[0] == 0);
	task_exit(t);
	drain_io(m);
	shrink_all_memory(m);
	struct mm_file *f = file_create(m, 64);
	for (unsigned long i = 0; i < 64; i++)
		file_read(f, i);
	shrink_all_memory(m);
	struct mm_file *ws = file_create(m, 512);
	for (int pass = 0; pass < 2; pass++)
		for (unsigned long i = 0; i < 512; i++)
			file_read(ws, i);
	unsigned long act = (unsigned long)ns(m, WORKINGSET_ACTIVATE_FILE);
	pthread_mutex_lock(&lru->lock);
	lru->cost[0] = lru->cost[1] = 0;
	pthread_mutex_unlock(&lru->lock);
	file_read(f, 63);
	CHECK_EQ(ns(m, WORKINGSET_ACTIVATE_FILE), act + 1);
	CHECK(costs ? lru->cost[1] > 0 : lru->cost[1] == 0);
	file_drop(f);
	file_drop(ws);
	finish(m);
	task_free(t);
	file_free(f);
	file_free(ws);
}

/*
 * vm.dirty_background_ratio starts the flusher: 512 pages written on a 4096-page machine.
 * Expect: at 1 % the flusher has written pages back; at 50 % nothing is under writeback.
 */
static long written_at(int background_ratio)
{
	struct machine_desc d;

	t_desc_flat(&d, BASE_PFN, 4096, 1);
	d.dirty_background_ratio = background_ratio;
	d.dirty_ratio = 60;
	struct machine *m = t_machine(&d);
	cpu_bind(m, 0);
	struct mm_file *f = file_create(m, 512);
	for (unsigned long i = 0; i < 512; i++)
		file_write(f, i);
	long w = ns(m, NR_WRITEBACK) + ns(m, NR_WRITTEN);
	file_drop(f);
	finish(m);
	file_free(f);
	return w;
}

static void dirty_background_ratio_starts_flusher(void)
{
	CHECK(written_at(1) > 0);
	CHECK_EQ(written_at(50), 0);
}

/*
 * vm.dirty_ratio throttles the writer: at 5 % of ~4000 dirtyable pages (~200) a writer of
 * 512 pages waits until writeback brings it under; dirty + writeback never stays above.
 * Expect: after the writes, nr_dirty + nr_writeback <= the threshold + 1.
 */
static void dirty_ratio_throttles_writer(void)
{
	struct machine_desc d;

	t_desc_flat(&d, BASE_PFN, 4096, 1);
	d.dirty_background_ratio = 2;
	d.dirty_ratio = 5;
	d.disk_latency_us = 1000;
	struct machine *m = t_machine(&d);
	cpu_bind(m, 0);
	struct mm_file *f = file_create(m, 512);
	for (unsigned long i = 0; i < 512; i++)
		file_write(f, i);
	unsigned long bg, thresh;
	global_dirty_limits(m, &bg, &thresh);
	CHECK(thresh > 150 && thresh < 250);
	CHECK((unsigned long)(ns(m, NR_FILE_DIRTY) + ns(m, NR_WRITEBACK)) <= thresh + 1);
	CHECK(ns(m, NR_WRITTEN) > 0);
	file_drop(f);
	finish(m);
	file_free(f);
}

/*
 * Watermark boosting (5.0+): an unmovable allocation that falls back to a movable
 * pageblock boosts the zone's watermarks by a pageblock (512 pages here: more than
 * 1.5 x the high mark), which wakes kswapd on a node that was balanced; kswapd reclaims up
 * to the boosted high mark and then clears the boost.
 *
 *   8192 pages: page cache read until free is ~130 pages above the high mark; then one
 *   GFP_KERNEL page (the unmovable lists are empty: every pageblock starts movable)
 *
 * Expect, where the policy boosts: kswapd ran once and reclaimed at least the gap to the
 * boosted mark, the boost is 0 again afterwards, and kcompactd, asked for pageblock_order,
 * stayed asleep (free is below low + compact_gap(9): compaction could not help); 4.12 and
 * 4.19 (no boosting): kswapd never ran (the node stayed balanced).
 */
static void fallback_boosts_watermark(enum pcp_policy_id policy)
{
	struct machine *m = lru_machine(8192, policy, 0, 100);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];
	struct mm_file *f = file_create(m, 8192);
	unsigned long high = high_wmark_pages(z);

	for (unsigned long i = 0; i < 8192 && zone_page_state_snapshot(z, NR_FREE_PAGES) > (long)high + 160; i++)
		file_read(f, i);
	drain_all_pages(m, NULL);
	long free0 = zone_page_state_snapshot(z, NR_FREE_PAGES);
	CHECK(free0 > (long)high + 100 && free0 < (long)high + 200);
	CHECK_EQ(ev(m, PAGEOUTRUN), 0);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	CHECK(p != NULL);
	kswapd_wait_idle(m);
	CHECK_EQ(zone_boost(z), 0);
	if (m->pcp_policy->watermark_boost) {
		CHECK_EQ(ev(m, PAGEOUTRUN), 1);
		CHECK(ev(m, PGSTEAL_KSWAPD) >= 512 - 200);
		CHECK(zone_page_state_snapshot(z, NR_FREE_PAGES) >= (long)high + 300);
		/* kcompactd is asked for pageblock_order but not woken: free is below low + compact_gap(9) */
		CHECK_EQ(ev(m, KCOMPACTD_WAKE), 0);
	} else {
		CHECK_EQ(ev(m, PAGEOUTRUN), 0);
		CHECK_EQ(ev(m, PGSTEAL_KSWAPD), 0);
	}
	__free_pages(p, 0);
	file_drop(f);
	finish(m);
	file_free(f);
}

/*
 * The watermark knobs move what kswapd does: one file streamed through a 8192-page
 * machine (three times memory, read once each), then the free pages kswapd left and the
 * times it ran. A bigger vm.min_free_kbytes raises every mark: kswapd keeps more free.
 * A bigger vm.watermark_scale_factor widens low..high: kswapd stops higher and so is
 * woken fewer times for the same stream. vm.watermark_boost_factor 0 turns boosting off.
 *
 * Expect: min_free_kbytes x4 -> more free at the end; watermark_scale_factor 10 -> 200 ->
 * more free at the end and fewer kswapd runs (pageoutrun).
 */
struct stream_result { long free_end; unsigned long runs, steal; };

static struct stream_result stream_through(int min_free_kbytes, int wsf)
{
	struct machine_desc d;

	t_desc_flat(&d, BASE_PFN, 8192, 1);
	d.min_free_kbytes = min_free_kbytes;
	d.watermark_scale_factor = wsf;
	struct machine *m = t_machine(&d);
	cpu_bind(m, 0);
	struct mm_file *f = file_create(m, 3 * 8192);
	for (unsigned long i = 0; i < 3 * 8192; i++)
		file_read(f, i);
	kswapd_wait_idle(m);
	drain_all_pages(m, NULL);
	struct stream_result r = { zone_page_state_snapshot(&m->node_data[0]->node_zones[ZONE_NORMAL], NR_FREE_PAGES),
				   ev(m, PAGEOUTRUN), ev(m, PGSTEAL_KSWAPD) + ev(m, PGSTEAL_DIRECT) };
	file_drop(f);
	finish(m);
	file_free(f);
	return r;
}

static void watermark_knobs_move_kswapd(void)
{
	struct stream_result base = stream_through(0, 10);         /* min_free_kbytes from memory: 724 */
	struct stream_result mfk = stream_through(4 * 724, 10);
	struct stream_result wsf = stream_through(0, 200);

	CHECK(base.steal > 8192);               /* memory was overcommitted: reclaim ran */
	CHECK(mfk.free_end > base.free_end);
	CHECK(wsf.free_end > base.free_end);
	CHECK(wsf.runs < base.runs);
}

/*
 * The swap device: the same anon overcommit (a task of 1.5 x memory touched twice)
 * without swap runs into the OOM killer, with 2 x memory of swap it swaps instead.
 * Expect: no swap -> oom_kill >= 1, pswpout 0; swap -> pswpout > 0, no oom_kill.
 */
static void swap_size_decides_swap_or_oom(void)
{
	for (int with_swap = 0; with_swap < 2; with_swap++) {
		struct machine *m = lru_machine(4096, PCP_POLICY_LINUX_6_18, with_swap ? 8192 : 0, 100);
		struct mm_task *t = task_create(m, 6144);
		char *rep = NULL;
		size_t len = 0;
		m->report = open_memstream(&rep, &len);
		for (int pass = 0; pass < 2; pass++)
			for (unsigned long i = 0; i < 6144; i++)
				if (task_touch(t, i) == -ESRCH)
					task_exit(t);   /* killed: it starts again */
		fclose(m->report);
		m->report = stderr;
		free(rep);
		if (with_swap) {
			CHECK(ev(m, PSWPOUT) > 0);
			CHECK_EQ(ev(m, OOM_KILL), 0);
		} else {
			CHECK(ev(m, OOM_KILL) >= 1);
			CHECK_EQ(ev(m, PSWPOUT), 0);
		}
		task_exit(t);
		finish(m);
		task_free(t);
	}
}

/* Options no kernel of the policy has are refused, not ignored; the bounds are the kernel's. */
static void reclaim_knobs_checked(void)
{
	struct machine_desc d;
	char err[256];

	t_desc_flat(&d, BASE_PFN, 4096, 1);
	d.swappiness = 150;
	d.policy = PCP_POLICY_LINUX_4_12;
	CHECK(machine_create(&d, err, sizeof(err)) == NULL);
	CHECK_STR(err, "swappiness: 150 is above linux-4.12's maximum 100");
	d.policy = PCP_POLICY_LINUX_6_18;
	struct machine *m = machine_create(&d, err, sizeof(err));
	CHECK(m != NULL);
	if (m) {
		CHECK(sysctl_set(m, "swappiness", 201, err, sizeof(err)) != 0);
		CHECK_STR(err, "swappiness: 201 is outside 0..200 (linux-6.18)");
		CHECK_EQ(sysctl_set(m, "dirty_ratio", 30, err, sizeof(err)), 0);
		CHECK_EQ(m->desc.dirty_ratio, 30);
		CHECK(sysctl_set(m, "dirty_background_ratio", 101, err, sizeof(err)) != 0);
		machine_destroy(m);
	}
	machine_desc_default(&d);
	CHECK(machine_desc_set(&d, "swappiness", "-1", err, sizeof(err)) != 0);
	CHECK_EQ(machine_desc_set(&d, "swap", "2G", err, sizeof(err)), 0);
	CHECK_EQ(d.swap_pages, 2UL << (30 - PAGE_SHIFT));
	CHECK(machine_desc_set(&d, "disk_mbps", "0", err, sizeof(err)) != 0);
	t_desc_flat(&d, BASE_PFN, 4096, 1);
	d.watermark_boost_factor = 5000;
	d.policy = PCP_POLICY_LINUX_4_19;
	CHECK(machine_create(&d, err, sizeof(err)) == NULL);
	CHECK_STR(err, "watermark_boost_factor: linux-4.19 has no such sysctl (boosting came in 5.0)");
}

int main(void)
{
	RUN_EACH_POLICY(page_cache_read_twice_is_active);
	RUN_EACH_POLICY(young_anon_survives_old_anon_swaps);
	RUN(dirty_page_written_before_freed);
	RUN_EACH_POLICY(oom_kills_biggest_task);
	RUN(nofail_gets_victims_memory);
	RUN(swappiness_moves_anon_reclaim);
	RUN_EACH_POLICY(scan_balance_follows_costs);
	RUN_EACH_POLICY(reclaim_notes_its_costs);
	RUN(dirty_background_ratio_starts_flusher);
	RUN(dirty_ratio_throttles_writer);
	RUN_EACH_POLICY(fallback_boosts_watermark);
	RUN(watermark_knobs_move_kswapd);
	RUN(swap_size_decides_swap_or_oom);
	RUN(reclaim_knobs_checked);
	TEST_SUMMARY();
}
