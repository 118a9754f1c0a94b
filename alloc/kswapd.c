// SPDX-License-Identifier: GPL-2.0
/*
 * kswapd.c - one reclaim thread per node (Linux 4.12's kswapd/balance_pgdat, cut down).
 * Woken by the slow path (wake_all_kswapds) when an allocation fell below the low
 * watermark; reclaims from the node's LRU at falling priority until an eligible zone is
 * above its high watermark, as 4.12's balance_pgdat does, then sleeps on a condition
 * variable. A node where a whole run reclaims nothing counts a failure; after
 * MAX_RECLAIM_RETRIES of them it is left to direct reclaim until some reclaim succeeds.
 *
 * kswapd is not a model CPU: it sets current_binding.m (so counters go to the machine's
 * off-CPU vm events and page_address works) but no CPU, frees straight to the buddy and
 * never touches a per-CPU list (see alloc/reclaim.h). The thread starts on the first
 * wakeup and stops in machine_destroy (kswapd_stop).
 */
#include <stddef.h>
#include <stdio.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"

static bool zone_balanced(struct zone *zone, int order, int classzone_idx)
{
	unsigned long mark = high_wmark_pages(zone);

	/* zone_watermark_ok_safe: the exact count, per-CPU deltas included */
	return __zone_watermark_ok(zone, (unsigned)order, mark, classzone_idx, 0,
				   zone_page_state_snapshot(zone, NR_FREE_PAGES));
}

/* 4.12: balanced when any eligible zone meets its high watermark (checked high to low). */
static bool pgdat_balanced(pg_data_t *pgdat, int order, int classzone_idx)
{
	bool any = false;

	for (int i = classzone_idx; i >= 0; i--) {
		struct zone *zone = &pgdat->node_zones[i];
		if (!managed_zone(zone))
			continue;
		any = true;
		if (zone_balanced(zone, order, classzone_idx))
			return true;
	}
	return !any;
}

/*
 * balance_pgdat: reclaim at falling priority until an eligible zone meets its high
 * watermark at the order asked for; the priority drops when a pass freed less than it
 * aimed at. For a high order, once compact_gap(order) pages were reclaimed order-0
 * balance is enough (kswapd_shrink_node): kcompactd does the rest. Returns that order.
 *
 * 5.0+ boosting: with a boost outstanding and the node balanced, kswapd reclaims the boost
 * itself (no writeback, no swap; the priority held at DEF_PRIORITY - 2); an unbalanced
 * node drops the boosted mode and reclaims as usual. Either way the boost is cleared at
 * the end and kcompactd woken for pageblock_order.
 */
/* 5.13+ (set_reclaim_active): the zones kswapd works on cap their pcp high (the policy reads it). */
void set_reclaim_active(pg_data_t *pgdat, int classzone_idx)
{
	for (int i = 0; i <= classzone_idx && i < MAX_NR_ZONES; i++)
		if (managed_zone(&pgdat->node_zones[i]))
			atomic_fetch_or_explicit(&pgdat->node_zones[i].flags, ZONE_RECLAIM_ACTIVE, memory_order_relaxed);
}

void clear_reclaim_active(pg_data_t *pgdat, int classzone_idx)
{
	for (int i = 0; i <= classzone_idx && i < MAX_NR_ZONES; i++)
		atomic_fetch_and_explicit(&pgdat->node_zones[i].flags, ~(unsigned long)ZONE_RECLAIM_ACTIVE,
					  memory_order_relaxed);
}

static int balance_pgdat(pg_data_t *pgdat, int order, int classzone_idx)
{
	struct kswapd *k = pgdat->kswapd;
	unsigned long total = 0, nr_boost = 0, zone_boosts[MAX_NR_ZONES] = { 0 };
	int sc_order = order;

	count_vm_event(PAGEOUTRUN);
	for (int i = 0; i <= classzone_idx && i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		if (!managed_zone(zone))
			continue;
		zone_boosts[i] = zone_boost(zone);
		nr_boost += zone_boosts[i];
	}
	bool boosted = nr_boost, balanced_out = false;
	set_reclaim_active(pgdat, classzone_idx);
restart:
	for (int priority = DEF_PRIORITY; priority >= 1;) {
		bool balanced = pgdat_balanced(pgdat, sc_order, classzone_idx);
		if (!balanced && nr_boost) {
			nr_boost = 0;   /* imbalanced: keep the boost for later, reclaim as usual */
			goto restart;
		}
		if (!nr_boost && balanced) {
			balanced_out = true;    /* the kernel's "goto out": not a failure */
			break;
		}
		bool raise_priority = !(nr_boost && priority == DEF_PRIORITY - 2);
		unsigned long nr_to_reclaim = 0;
		for (int i = 0; i <= classzone_idx; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			if (!managed_zone(zone))
				continue;
			unsigned long h = high_wmark_pages(zone);
			nr_to_reclaim += h > SWAP_CLUSTER_MAX ? h : SWAP_CLUSTER_MAX;
		}
		unsigned long r = shrink_node_boost(pgdat, classzone_idx, nr_to_reclaim, priority, true, nr_boost != 0);
		total += r;
		if (sc_order && total >= compact_gap((unsigned)sc_order))
			sc_order = 0;
		if (nr_boost) {
			nr_boost -= r < nr_boost ? r : nr_boost;
			if (nr_boost && !r)
				break;  /* boosted reclaim that cannot progress stops here */
		}
		if (raise_priority || !r)
			priority--;
		pthread_mutex_lock(&k->lock);
		bool stop = k->stop;
		pthread_mutex_unlock(&k->lock);
		if (stop)
			break;
	}
	if (!total && !balanced_out)
		atomic_fetch_add(&k->failures, 1);
	if (boosted) {
		for (int i = 0; i <= classzone_idx && i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			unsigned long b = zone_boost(zone);
			atomic_store_explicit(&zone->watermark_boost, b - (zone_boosts[i] < b ? zone_boosts[i] : b),
					      memory_order_relaxed);
		}
		wakeup_kcompactd(pgdat, pageblock_order, classzone_idx);
	}
	if (pgdat_balanced(pgdat, 0, classzone_idx))
		clear_pgdat_congested(pgdat);
	snapshot_refaults(pgdat->machine, pgdat->node_id);
	clear_reclaim_active(pgdat, classzone_idx);
	return sc_order;
}

/*
 * kswapd_try_to_sleep's work before sleeping (4.12): once the node is balanced at the
 * order reclaim settled for, the skip hints of zones whose scanners met are reset and
 * kcompactd is woken for the order the wakeup asked for.
 */
static void kswapd_before_sleep(pg_data_t *pgdat, int alloc_order, int reclaim_order, int classzone_idx)
{
	struct kswapd *k = pgdat->kswapd;

	if (pgdat_balanced(pgdat, reclaim_order, classzone_idx)) {
		reset_isolation_suitable(pgdat);
		wakeup_kcompactd(pgdat, alloc_order, classzone_idx);
	}
	pthread_mutex_lock(&k->lock);
	k->slept_at = mm_now_ns();
	pthread_mutex_unlock(&k->lock);
}

/*
 * The daemons' loop (kswapd's and kcompactd's): sleep until woken, take the order and
 * classzone asked for, do the work without the lock. Not a CPU: counters go off-CPU,
 * no pcp (see the file comment).
 */
void mm_daemon_loop(struct kswapd *k, void (*work)(pg_data_t *pgdat, int order, int classzone_idx))
{
	pg_data_t *pgdat = k->pgdat;

	current_binding.m = pgdat->machine;
	current_binding.cs = NULL;
	current_binding.cpu = -1;
	pthread_mutex_lock(&k->lock);
	for (;;) {
		while (!k->woken && !k->stop) {
			k->running = false;
			pthread_cond_broadcast(&k->idle);
			pthread_cond_wait(&k->wait, &k->lock);
		}
		if (k->stop)
			break;
		int order = k->order, classzone_idx = k->classzone_idx;
		k->order = 0;
		k->classzone_idx = 0;
		k->woken = false;
		k->running = true;
		k->runs++;
		pthread_mutex_unlock(&k->lock);
		work(pgdat, order, classzone_idx);
		pthread_mutex_lock(&k->lock);
	}
	k->running = false;
	pthread_cond_broadcast(&k->idle);
	pthread_mutex_unlock(&k->lock);
	current_binding.m = NULL;
}

/* Under k->lock: the thread, on the first wakeup; false when it cannot be started. */
bool mm_daemon_start_locked(struct kswapd *k, void *(*main)(void *))
{
	if (k->started)
		return true;
	k->running = true;      /* until it first sleeps */
	if (pthread_create(&k->thread, NULL, main, k->pgdat)) {
		k->running = false;
		return false;
	}
	k->started = true;
	return true;
}

static void kswapd_work(pg_data_t *pgdat, int order, int classzone_idx)
{
	int reclaim_order = balance_pgdat(pgdat, order, classzone_idx);
	kswapd_before_sleep(pgdat, order, reclaim_order, classzone_idx);
}

static void *kswapd_main(void *arg)
{
	mm_daemon_loop(((pg_data_t *)arg)->kswapd, kswapd_work);
	return NULL;
}

/*
 * wakeup_kswapd (4.12): record the order and classzone wanted; wake only when the node is
 * not hopeless and no eligible zone is balanced.
 */
void wakeup_kswapd(struct zone *zone, int order, enum zone_type classzone_idx)
{
	pg_data_t *pgdat = zone->zone_pgdat;
	struct kswapd *k = pgdat->kswapd;

	if (!managed_zone(zone) || !k)
		return;
	for (int z = 0; z <= (int)classzone_idx; z++) {
		struct zone *zz = &pgdat->node_zones[z];
		if (managed_zone(zz) && zone_balanced(zz, order, (int)classzone_idx))
			return;
	}
	pthread_mutex_lock(&k->lock);
	/* an unbalanced node with kswapd asleep: where the kernel's mm_vmscan_wakeup_kswapd fires
	 * (were the node not hopeless; replay compares this with the trace's count) */
	if (!k->woken && !k->running)
		k->wake_requests++;
	/* a replay: the trace's frees are the kernel's reclaim, the model runs no daemon */
	if (atomic_load(&k->failures) >= MAX_RECLAIM_RETRIES || k->stop ||
	    atomic_load_explicit(&pgdat->machine->slow->no_daemons, memory_order_relaxed)) {
		pthread_mutex_unlock(&k->lock);
		return;
	}
	/* virtual time: no thread; the simulator runs kswapd_run_once on kswapd's own clock */
	if (!VT_ACTIVE() && !mm_daemon_start_locked(k, kswapd_main)) {
		pthread_mutex_unlock(&k->lock);
		return;
	}
	if (order > k->order)
		k->order = order;
	if ((int)classzone_idx > k->classzone_idx)
		k->classzone_idx = (int)classzone_idx;
	if (!k->woken) {
		k->woken = true;
		k->wakeups++;
		/* kswapd_try_to_sleep's short sleep (HZ/10) cut short: the low watermark was hit quickly */
		if (!k->running && k->slept_at && mm_now_ns() - k->slept_at < 100000000ull)
			count_vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY);
		if (VT_ACTIVE())
			VT_KSWAPD_WAKE(pgdat->node_id);
		else
			pthread_cond_signal(&k->wait);
	}
	pthread_mutex_unlock(&k->lock);
}

#ifdef PAGEALLOC_VTIME
/*
 * One wakeup's work on the calling thread, as kswapd_main does it, for the simulator (the
 * caller has made kswapd's virtual CPU current). Not a model CPU while it runs.
 */
void kswapd_run_once(pg_data_t *pgdat)
{
	struct kswapd *k = pgdat->kswapd;
	struct cpu_binding saved = current_binding;

	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	bool woken = k->woken;
	int order = k->order, classzone_idx = k->classzone_idx;
	k->order = 0;
	k->classzone_idx = 0;
	k->woken = false;
	if (woken)
		k->runs++;
	pthread_mutex_unlock(&k->lock);
	if (!woken)
		return;
	current_binding.m = pgdat->machine;
	current_binding.cs = NULL;
	current_binding.cpu = -1;
	kswapd_work(pgdat, order, classzone_idx);
	current_binding = saved;
}
#endif

static bool daemon_busy(struct kswapd *k)
{
	if (!k)
		return false;
	pthread_mutex_lock(&k->lock);
	bool busy = k->started && !k->stop && (k->running || k->woken);
	while (k->started && !k->stop && (k->running || k->woken))
		pthread_cond_wait(&k->idle, &k->lock);
	pthread_mutex_unlock(&k->lock);
	return busy;
}

void kswapd_wait_idle(struct machine *m)
{
	/* kswapd wakes kcompactd as it goes to sleep: until both are quiet together */
	for (bool busy = true; busy;) {
		busy = false;
		for (int nid = 0; nid < m->nr_nodes; nid++) {
			busy |= daemon_busy(m->node_data[nid]->kswapd);
			busy |= daemon_busy(m->node_data[nid]->kcompactd);
		}
	}
}

/* A daemon counter summed over nodes (which: kswapd's or kcompactd's state), under each lock. */
unsigned long mm_daemon_sum(struct machine *m, bool kcompactd, size_t field)
{
	unsigned long n = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		struct kswapd *k = kcompactd ? m->node_data[nid]->kcompactd : m->node_data[nid]->kswapd;
		if (!k)
			continue;
		pthread_mutex_lock(&k->lock);
		n += *(unsigned long *)((char *)k + field);
		pthread_mutex_unlock(&k->lock);
	}
	return n;
}

unsigned long kswapd_wake_requests(struct machine *m)
{
	return mm_daemon_sum(m, false, offsetof(struct kswapd, wake_requests));
}

unsigned long kswapd_wakeups(struct machine *m)
{
	return mm_daemon_sum(m, false, offsetof(struct kswapd, wakeups));
}

static void daemon_stop(struct kswapd *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	bool started = k->started;
	k->stop = true;
	pthread_cond_signal(&k->wait);
	pthread_mutex_unlock(&k->lock);
	if (started)
		pthread_join(k->thread, NULL);
}

/* kswapd first: it may still wake kcompactd, which refuses once stopped. */
void kswapd_stop(pg_data_t *pgdat)
{
	daemon_stop(pgdat->kswapd);
	daemon_stop(pgdat->kcompactd);
}
