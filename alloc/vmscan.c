// SPDX-License-Identifier: GPL-2.0
/*
 * vmscan.c - page reclaim (Linux 4.12's mm/vmscan.c, cut down) over the LRU lists of
 * alloc/lru.c:
 *
 *   shrink_node            get_scan_count splits the scan between the four evictable
 *                          lists (no anon without swap; swappiness and recent_scanned/
 *                          recent_rotated in 4.12; 5.8's costs - refaults, pageout I/O,
 *                          6.2's rotations - with prepare_scan_count's refault-driven
 *                          deactivation, cache_trim_mode and file_is_tiny: lru_aging);
 *                          each list in turn SWAP_CLUSTER_MAX at a time
 *   shrink_active_list     active -> inactive when inactive_list_is_low (inactive_ratio
 *                          = int_sqrt(10 x GB); 1:1 for anon from 5.9); referenced pages
 *                          lose their young bit and count as rotated, and are deactivated
 *                          all the same (except executable file pages, not modelled)
 *   shrink_inactive_list   isolate, shrink_page_list, put back, then the writeback
 *                          flags and throttles: PGDAT_WRITEBACK, PGDAT_DIRTY, the flusher,
 *                          congestion_wait for kswapd's immediate-reclaim pages
 *   shrink_page_list       page_check_references (young -> activate anon / keep file
 *                          once, PG_referenced second chance), writeback cases 1 and 2,
 *                          add_to_swap + try_to_unmap (the owner's swap_out) + pageout,
 *                          dirty file pages written only by kswapd once PGDAT_DIRTY and
 *                          PG_reclaim say so, clean pages evicted (the owner's evict)
 *
 * Not modelled: memcg, slab shrinkers, lazyfree, mlock (the unevictable list stays
 * empty), the proportional scan adjustment once nr_to_reclaim is met (the scan stops),
 * the pass that forces a minimum scan (kswapd always scans at least SWAP_CLUSTER_MAX, as
 * the seed did), too_many_isolated, MGLRU (6.1+).
 */
#include <stdio.h>
#include <stdlib.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

#define HZ_10_NS                100000000ull

struct scan_control {
	unsigned long nr_to_reclaim, nr_reclaimed, nr_scanned;
	int reclaim_idx, priority;
	gfp_t gfp_mask;
	bool kswapd;
	bool may_writepage, may_swap;   /* false for kswapd's boosted reclaim (5.0+) */
	/* 5.8+ (prepare_scan_count): which active lists may be deactivated (1 << file),
	 * plenty of inactive file that is not thrashing, and a file LRU too small to matter */
	unsigned may_deactivate;
	bool cache_trim_mode, file_is_tiny;
};

struct reclaim_stat_batch {             /* shrink_page_list's findings */
	unsigned long nr_dirty, nr_unqueued_dirty, nr_congested, nr_writeback, nr_immediate;
	unsigned long nr_pageout;       /* writes started (file pageout, swap out): the I/O cost */
};

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	for (unsigned long b = 1UL << 62; b; b >>= 2) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
	}
	return r;
}

static unsigned long lru_size(struct lru_node *lru, enum lru_list l, int reclaim_idx)
{
	unsigned long n = 0;

	for (int z = 0; z <= reclaim_idx && z < MAX_NR_ZONES; z++)
		n += lru->nr[l][z];
	return n;
}

/* inactive_list_is_low (4.12); anon lists 1:1 from 5.9. Under lru->lock. */
static bool inactive_list_is_low(struct machine *m, struct lru_node *lru, bool file, int reclaim_idx)
{
	if (!file && !swap_configured(m))
		return false;           /* no swap: deactivating anon is pointless */
	unsigned long inactive = lru_size(lru, file ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON, reclaim_idx);
	unsigned long active = lru_size(lru, file ? LRU_ACTIVE_FILE : LRU_ACTIVE_ANON, reclaim_idx);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT), ratio = 1;
	if (gb && (file || lru_aging(m)->anon_ratio_sqrt))
		ratio = int_sqrt(10 * gb);
	return inactive * ratio < active;
}

/* isolate_lru_pages: up to nr from the tail of list l in the eligible zones (highest first). */
static unsigned long isolate_lru_pages(struct lru_node *lru, enum lru_list l, int reclaim_idx, unsigned long nr,
				       struct page **out)
{
	pg_data_t *pgdat = lru->pgdat;
	unsigned long n = 0;

	for (int z = reclaim_idx < MAX_NR_ZONES ? reclaim_idx : MAX_NR_ZONES - 1; z >= 0 && n < nr; z--) {
		struct zone *zone = &pgdat->node_zones[z];
		while (n < nr) {
			struct page *page = pagelist_last(zone, &lru->lists[l][z]);
			if (!page)
				break;
			lru_isolate_locked(lru, zone, page);
			out[n++] = page;
		}
	}
	return n;
}

/* page_referenced: the young bit, read and cleared (0 or 1: one mapping). */
static int page_referenced(struct machine *m, struct lru_node *lru, struct page *page)
{
	return atomic_exchange_explicit(&lru->young[__page_to_pfn(m, page) - lru->start_pfn], 0, memory_order_relaxed);
}

static void set_list_locked(struct machine *m, struct lru_node *lru, struct page *page, enum lru_list l)
{
	unsigned long i = __page_to_pfn(m, page) - lru->start_pfn;
	unsigned st = lru->state[i];
	struct zone *zone = page_zone(m, page);
	long nr = 1L << page->order;

	lru_account(zone, (enum lru_list)ls_lru(st), -nr);
	lru_account(zone, l, nr);
	lru->state[i] = (uint16_t)((st & ~LS_LRU_MASK) | (l + 1));
}

static void shrink_active_list(struct machine *m, struct lru_node *lru, unsigned long nr_to_scan, struct scan_control *sc,
			       enum lru_list l)
{
	struct page *hold[SWAP_CLUSTER_MAX];
	bool file = is_file_lru(l);
	unsigned long nr_rotated = 0, nr_deactivate = 0;

	if (nr_to_scan > SWAP_CLUSTER_MAX)
		nr_to_scan = SWAP_CLUSTER_MAX;
	pthread_mutex_lock(&lru->lock);
	unsigned long n = isolate_lru_pages(lru, l, sc->reclaim_idx, nr_to_scan, hold);
	lru->recent_scanned[file] += n;
	pthread_mutex_unlock(&lru->lock);
	count_vm_events(PGREFILL, (long)n);
	VT_CHARGE(RECLAIM_PAGE, n);
	for (unsigned long i = 0; i < n; i++)
		if (page_referenced(m, lru, hold[i]))
			nr_rotated += 1UL << hold[i]->order;       /* referenced, but deactivated all the same */
	pthread_mutex_lock(&lru->lock);
	lru->recent_rotated[file] += nr_rotated;
	lru_note_cost_locked(m, lru, file, 0, nr_rotated);     /* 6.2: rotations cost CPU */
	for (unsigned long i = 0; i < n; i++) {
		set_list_locked(m, lru, hold[i], l - 1);        /* ClearPageActive */
		__lru_putback_locked(lru, page_zone(m, hold[i]), hold[i], false);
		nr_deactivate += 1UL << hold[i]->order;
	}
	pthread_mutex_unlock(&lru->lock);
	count_vm_events(PGDEACTIVATE, (long)nr_deactivate);
}

enum page_references { PAGEREF_RECLAIM, PAGEREF_RECLAIM_CLEAN, PAGEREF_KEEP, PAGEREF_ACTIVATE };

/* page_check_references (4.12), under lru->lock. */
static enum page_references page_check_references(struct machine *m, struct lru_node *lru, struct page *page)
{
	unsigned long i = __page_to_pfn(m, page) - lru->start_pfn;
	int referenced_ptes = page_referenced(m, lru, page);
	bool referenced_page = lru->state[i] & LS_REFERENCED;
	bool swapbacked = !is_file_lru((enum lru_list)ls_lru(lru->state[i]));

	lru->state[i] &= (uint16_t)~LS_REFERENCED;
	if (referenced_ptes) {
		if (swapbacked)
			return PAGEREF_ACTIVATE;
		lru->state[i] |= LS_REFERENCED;         /* second chance: activate on the next reference */
		if (referenced_page)
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	if (referenced_page && !swapbacked)
		return PAGEREF_RECLAIM_CLEAN;
	return PAGEREF_RECLAIM;
}

enum page_fate { KEEP, ACTIVATE, FREE_IT };

/* One isolated page through shrink_page_list. */
static enum page_fate shrink_page(struct machine *m, struct lru_node *lru, struct page *page, struct scan_control *sc,
				  struct reclaim_stat_batch *st)
{
	pg_data_t *pgdat = lru->pgdat;
	struct writeback_state *wb = m->slow->wb;
	unsigned long pfn = __page_to_pfn(m, page), i = pfn - lru->start_pfn;
	const struct page_owner *o;

	pthread_mutex_lock(&lru->lock);
	unsigned s = lru->state[i];
	bool file = is_file_lru((enum lru_list)ls_lru(s));
	bool dirty = s & LS_DIRTY, writeback = s & LS_WRITEBACK;
	if (dirty || writeback)
		st->nr_dirty++;
	if (dirty && !writeback)
		st->nr_unqueued_dirty++;
	struct blockdev *dev = (s & LS_SWAPCACHE) ? &wb->swap : &wb->disk;
	if (((dirty || writeback) && blockdev_congested(dev)) ||
	    (writeback && (s & LS_RECLAIM)))
		st->nr_congested++;
	if (writeback) {
		/* case 1: kswapd meets a page it already marked, on a node congested with writeback */
		if (sc->kswapd && (s & LS_RECLAIM) && (pgdat->lru->flags & PGDAT_WRITEBACK)) {
			st->nr_immediate++;
			pthread_mutex_unlock(&lru->lock);
			return KEEP;
		}
		/* case 2: mark it for immediate reclaim when the I/O completes */
		lru->state[i] = (uint16_t)(s | LS_RECLAIM);
		st->nr_writeback++;
		pthread_mutex_unlock(&lru->lock);
		return KEEP;
	}
	enum page_references ref = page_check_references(m, lru, page);
	if (ref == PAGEREF_ACTIVATE) {
		pthread_mutex_unlock(&lru->lock);
		return ACTIVATE;
	}
	if (ref == PAGEREF_KEEP) {
		pthread_mutex_unlock(&lru->lock);
		return KEEP;
	}
	if (s & LS_SWAPCACHE) {
		/* written and unmapped: __remove_mapping from the swap cache */
		swap_cache_drop(m, page->private, pfn);
		pthread_mutex_unlock(&lru->lock);
		return FREE_IT;
	}
	if (!file) {
		/* anon: add_to_swap, try_to_unmap (the owner takes the slot), pageout */
		pthread_mutex_unlock(&lru->lock);
		o = lru_owner(m, page);
		/* a page its owner has already let go of (an OOM victim's): freed without swap */
		if (o->ops->evict && o->ops->evict(o->ctx, page))
			return FREE_IT;
		if (!(sc->gfp_mask & __GFP_IO) || !o->ops->swap_out || !sc->may_swap)
			return KEEP;
		long slot = get_swap_page(m, pfn);
		if (slot < 0)
			return ACTIVATE;        /* swap is full */
		if (!o->ops->swap_out(o->ctx, page, (unsigned long)slot)) {
			swap_free(m, (unsigned long)slot);
			return ACTIVATE;        /* SWAP_FAIL */
		}
		pthread_mutex_lock(&lru->lock);
		page->private = (uint32_t)slot;
		lru->state[i] |= LS_SWAPCACHE | LS_RECLAIM;
		mod_node_page_state(lru, NR_ANON_MAPPED, -1);
		mod_node_page_state(lru, NR_SWAPCACHE, 1);
		mod_node_page_state(lru, NR_VMSCAN_WRITE, 1);
		writeback_start_locked(m, lru, page);
		st->nr_pageout++;
		pthread_mutex_unlock(&lru->lock);
		count_vm_event(PSWPOUT);
		return KEEP;
	}
	if (dirty) {
		/* only kswapd writes file pages, and only ones it has seen dirty before on a dirty node */
		if (!sc->kswapd || !(s & LS_RECLAIM) || !(pgdat->lru->flags & PGDAT_DIRTY)) {
			mod_node_page_state(lru, NR_VMSCAN_IMMEDIATE, 1);
			lru->state[i] |= LS_RECLAIM;
			pthread_mutex_unlock(&lru->lock);
			return KEEP;
		}
		if (ref == PAGEREF_RECLAIM_CLEAN || !sc->may_writepage) {
			pthread_mutex_unlock(&lru->lock);
			return KEEP;
		}
		lru->state[i] |= LS_RECLAIM;
		mod_node_page_state(lru, NR_VMSCAN_WRITE, 1);
		writeback_start_locked(m, lru, page);           /* pageout */
		st->nr_pageout++;
		pthread_mutex_unlock(&lru->lock);
		return KEEP;
	}
	pthread_mutex_unlock(&lru->lock);
	/* clean page cache: the owner drops it (__remove_mapping), or keeps it */
	o = lru_owner(m, page);
	return o->ops->evict && o->ops->evict(o->ctx, page) ? FREE_IT : KEEP;
}

static unsigned long shrink_inactive_list(struct machine *m, struct lru_node *lru, unsigned long nr_to_scan,
					  struct scan_control *sc, enum lru_list l)
{
	struct page *batch[SWAP_CLUSTER_MAX];
	struct reclaim_stat_batch st = { 0 };
	bool file = is_file_lru(l);
	unsigned long nr_reclaimed = 0, nr_activated = 0;

	if (nr_to_scan > SWAP_CLUSTER_MAX)
		nr_to_scan = SWAP_CLUSTER_MAX;
	pthread_mutex_lock(&lru->lock);
	unsigned long nr_taken = isolate_lru_pages(lru, l, sc->reclaim_idx, nr_to_scan, batch);
	lru->recent_scanned[file] += nr_taken;
	pthread_mutex_unlock(&lru->lock);
	if (!nr_taken)
		return 0;
	sc->nr_scanned += nr_taken;
	count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, (long)nr_taken);
	VT_CHARGE(RECLAIM_PAGE, nr_taken);
	enum page_fate fate[SWAP_CLUSTER_MAX];
	for (unsigned long k = 0; k < nr_taken; k++)
		fate[k] = shrink_page(m, lru, batch[k], sc, &st);
	for (unsigned long k = 0; k < nr_taken; k++)
		if (fate[k] == FREE_IT)
			nr_reclaimed += 1UL << batch[k]->order;
	/* putback_inactive_pages: kept pages to the head of their list, activated ones to the active list */
	pthread_mutex_lock(&lru->lock);
	lru_note_cost_locked(m, lru, file, st.nr_pageout, nr_taken - (nr_reclaimed < nr_taken ? nr_reclaimed : nr_taken));
	for (unsigned long k = 0; k < nr_taken; k++) {
		struct page *page = batch[k];
		if (fate[k] == FREE_IT)
			continue;
		if (fate[k] == ACTIVATE) {
			set_list_locked(m, lru, page, l + 1);
			nr_activated++;
			lru->recent_rotated[file] += 1UL << page->order;
		}
		__lru_putback_locked(lru, page_zone(m, page), page, false);
	}
	if (st.nr_writeback && st.nr_writeback == nr_taken)
		lru->flags |= PGDAT_WRITEBACK;
	if (st.nr_unqueued_dirty == nr_taken)
		lru->flags |= PGDAT_DIRTY;
	pthread_mutex_unlock(&lru->lock);
	for (unsigned long k = 0; k < nr_taken; k++)
		if (fate[k] == FREE_IT)
			lru_free_isolated(m, batch[k]);
	if (nr_activated)
		count_vm_events(PGACTIVATE, (long)nr_activated);
	count_vm_events(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, (long)nr_reclaimed);
	/* the flusher, when every page taken was dirty and not yet queued */
	if (st.nr_unqueued_dirty == nr_taken)
		wb_start_background(m, nr_taken);
	/* kswapd met pages it had marked still under writeback: congestion_wait(HZ/10) */
	if (st.nr_immediate)
		writeback_wait_any(m, HZ_10_NS);
	/* wait_iff_congested for direct reclaim: only when the dirty pages' device is congested */
	if (!sc->kswapd && st.nr_dirty && st.nr_dirty == st.nr_congested)
		writeback_wait_any(m, HZ_10_NS);
	return nr_reclaimed;
}

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/* The cache trap: free and file pages at or below the high watermarks (4.12's get_scan_count, 5.8's file_is_tiny). */
static bool file_at_high_marks(pg_data_t *pgdat, struct lru_node *lru)
{
	unsigned long free = 0, high = 0;
	unsigned long file = lru_size(lru, LRU_ACTIVE_FILE, MAX_NR_ZONES - 1) + lru_size(lru, LRU_INACTIVE_FILE, MAX_NR_ZONES - 1);

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!managed_zone(zone))
			continue;
		free += (unsigned long)zone_page_state(zone, NR_FREE_PAGES);
		high += high_wmark_pages(zone);
	}
	return file + free <= high;
}

/*
 * prepare_scan_count (5.8+), under lru->lock: deactivate a type's active list when its
 * inactive list is low or refaults were seen since the last reclaim (a new workingset);
 * trim the cache alone while plenty of inactive file is not thrashing; force anon when the
 * file LRU is too small to matter and anon is not low.
 */
static void prepare_scan_count(struct machine *m, struct lru_node *lru, struct scan_control *sc)
{
	sc->may_deactivate = 0;
	if (node_page_state(lru, WORKINGSET_ACTIVATE_ANON) != lru->refaults[0] ||
	    inactive_list_is_low(m, lru, false, sc->reclaim_idx))
		sc->may_deactivate |= 1u << 0;
	if (node_page_state(lru, WORKINGSET_ACTIVATE_FILE) != lru->refaults[1] ||
	    inactive_list_is_low(m, lru, true, sc->reclaim_idx))
		sc->may_deactivate |= 1u << 1;
	sc->cache_trim_mode = (lru_size(lru, LRU_INACTIVE_FILE, MAX_NR_ZONES - 1) >> sc->priority) &&
			      !(sc->may_deactivate & (1u << 1));
	sc->file_is_tiny = file_at_high_marks(lru->pgdat, lru) && !(sc->may_deactivate & (1u << 0)) &&
			   (lru_size(lru, LRU_INACTIVE_ANON, MAX_NR_ZONES - 1) >> sc->priority);
}

/* 4.12: anon against file by swappiness and each type's recent rotated / scanned. Under lru->lock. */
static enum scan_balance fraction_4_12(struct machine *m, struct lru_node *lru, struct scan_control *sc,
				       unsigned long fraction[2], unsigned long *denominator)
{
	int swappiness = m->desc.swappiness;

	if (!sc->priority && swappiness)
		return SCAN_EQUAL;      /* close to OOM: no balancing cleverness */
	if (file_at_high_marks(lru->pgdat, lru))
		return SCAN_ANON;       /* the cache trap: too little file left to reach the high marks */
	/* enough inactive page cache: leave anon alone */
	if (!inactive_list_is_low(m, lru, true, sc->reclaim_idx) && lru_size(lru, LRU_INACTIVE_FILE, sc->reclaim_idx) >> sc->priority)
		return SCAN_FILE;
	unsigned long anon_prio = (unsigned long)swappiness, file_prio = 200 - anon_prio;
	unsigned long anon = lru_size(lru, LRU_ACTIVE_ANON, MAX_NR_ZONES - 1) + lru_size(lru, LRU_INACTIVE_ANON, MAX_NR_ZONES - 1);
	unsigned long file = lru_size(lru, LRU_ACTIVE_FILE, MAX_NR_ZONES - 1) + lru_size(lru, LRU_INACTIVE_FILE, MAX_NR_ZONES - 1);
	if (lru->recent_scanned[0] > anon / 4) {
		lru->recent_scanned[0] /= 2;
		lru->recent_rotated[0] /= 2;
	}
	if (lru->recent_scanned[1] > file / 4) {
		lru->recent_scanned[1] /= 2;
		lru->recent_rotated[1] /= 2;
	}
	fraction[0] = anon_prio * (lru->recent_scanned[0] + 1) / (lru->recent_rotated[0] + 1);
	fraction[1] = file_prio * (lru->recent_scanned[1] + 1) / (lru->recent_rotated[1] + 1);
	*denominator = fraction[0] + fraction[1] + 1;
	return SCAN_FRACT;
}

/*
 * 5.8+: the pressure on each type is inversely proportional to its cost (refaults and
 * pageout I/O; rotations from 6.2), each type's cost counted against the total so that no
 * list gets less than a third of the pressure before swappiness. Under lru->lock.
 */
static enum scan_balance fraction_cost(struct machine *m, struct lru_node *lru, struct scan_control *sc,
				       unsigned long fraction[2], unsigned long *denominator)
{
	unsigned long swappiness = (unsigned long)m->desc.swappiness;

	if (!sc->priority && swappiness)
		return SCAN_EQUAL;
	if (sc->file_is_tiny)
		return SCAN_ANON;
	if (sc->cache_trim_mode)
		return SCAN_FILE;
	unsigned long total = lru->cost[0] + lru->cost[1];
	unsigned long anon_cost = total + lru->cost[0], file_cost = total + lru->cost[1];
	total = anon_cost + file_cost;
	fraction[0] = swappiness * (total + 1) / (anon_cost + 1);
	fraction[1] = (200 - swappiness) * (total + 1) / (file_cost + 1);
	*denominator = fraction[0] + fraction[1];
	return SCAN_FRACT;
}

/* get_scan_count: how many pages of each evictable list to scan at this priority. */
static void get_scan_count(struct machine *m, struct lru_node *lru, struct scan_control *sc, unsigned long nr[NR_LRU_LISTS])
{
	const struct lru_aging *aging = lru_aging(m);
	enum scan_balance balance;
	unsigned long fraction[2] = { 0, 0 }, denominator = 1;

	pthread_mutex_lock(&lru->lock);
	if (aging->cost_balance)
		prepare_scan_count(m, lru, sc);
	if (!sc->may_swap || !swap_configured(m) || !nr_swap_pages(m))
		balance = SCAN_FILE;    /* no swap: anon is not scanned */
	else
		balance = (aging->cost_balance ? fraction_cost : fraction_4_12)(m, lru, sc, fraction, &denominator);
	for (int l = 0; l < LRU_UNEVICTABLE; l++) {
		bool file_list = is_file_lru((enum lru_list)l);
		unsigned long size = lru_size(lru, (enum lru_list)l, sc->reclaim_idx);
		unsigned long scan = size >> sc->priority;
		if (!scan && sc->kswapd)
			scan = size < SWAP_CLUSTER_MAX ? size : SWAP_CLUSTER_MAX;
		switch (balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			scan = denominator ? (unsigned long)((__uint128_t)scan * fraction[file_list] / denominator) : 0;
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((balance == SCAN_FILE) != file_list)
				scan = 0;
			break;
		}
		nr[l] = scan;
	}
	pthread_mutex_unlock(&lru->lock);
}

/*
 * shrink_node (shrink_node_memcg without memcg): scan the lists in get_scan_count's
 * proportions, SWAP_CLUSTER_MAX at a time, until nr_to_reclaim pages were freed; then keep
 * the anon lists' balance.
 */
unsigned long shrink_node(pg_data_t *pgdat, int classzone_idx, unsigned long nr_to_reclaim, int priority, bool kswapd)
{
	return shrink_node_boost(pgdat, classzone_idx, nr_to_reclaim, priority, kswapd, false);
}

unsigned long shrink_node_boost(pg_data_t *pgdat, int classzone_idx, unsigned long nr_to_reclaim, int priority,
				bool kswapd, bool boosted)
{
	struct machine *m = pgdat->machine;
	struct lru_node *lru = pgdat->lru;
	struct scan_control sc = {
		.nr_to_reclaim = nr_to_reclaim,
		.reclaim_idx = classzone_idx < MAX_NR_ZONES ? classzone_idx : MAX_NR_ZONES - 1,
		.priority = priority,
		.gfp_mask = GFP_HIGHUSER_MOVABLE,
		.kswapd = kswapd,
		.may_writepage = !boosted,
		.may_swap = !boosted,
	};
	unsigned long nr[NR_LRU_LISTS];

	writeback_complete(m);
	get_scan_count(m, lru, &sc, nr);
	bool scan_adjusted = !kswapd && priority == DEF_PRIORITY;
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		for (int l = 0; l < LRU_UNEVICTABLE; l++) {
			if (!nr[l])
				continue;
			unsigned long n = nr[l] < SWAP_CLUSTER_MAX ? nr[l] : SWAP_CLUSTER_MAX;
			nr[l] -= n;
			if (is_active_lru((enum lru_list)l)) {
				/* 5.8+: as prepare_scan_count decided; 4.12: while the inactive list is low */
				bool low;
				if (lru_aging(m)->cost_balance) {
					low = sc.may_deactivate & (1u << is_file_lru((enum lru_list)l));
				} else {
					pthread_mutex_lock(&lru->lock);
					low = inactive_list_is_low(m, lru, is_file_lru((enum lru_list)l), sc.reclaim_idx);
					pthread_mutex_unlock(&lru->lock);
				}
				if (low)
					shrink_active_list(m, lru, n, &sc, (enum lru_list)l);
			} else {
				sc.nr_reclaimed += shrink_inactive_list(m, lru, n, &sc, (enum lru_list)l);
			}
		}
		if (sc.nr_reclaimed >= nr_to_reclaim && !scan_adjusted)
			break;
	}
	pthread_mutex_lock(&lru->lock);
	bool anon_low = inactive_list_is_low(m, lru, false, sc.reclaim_idx);
	pthread_mutex_unlock(&lru->lock);
	if (anon_low)
		shrink_active_list(m, lru, SWAP_CLUSTER_MAX, &sc, LRU_ACTIVE_ANON);
	/* 4.12: progress anywhere makes a hopeless node worth kswapd's time again */
	if (sc.nr_reclaimed && pgdat->kswapd)
		atomic_store(&((struct kswapd *)pgdat->kswapd)->failures, 0);
	return sc.nr_reclaimed;
}

/* A node's flags clear once a kswapd pass balanced it (4.12's clear_pgdat_congested). */
void clear_pgdat_congested(pg_data_t *pgdat)
{
	struct lru_node *lru = pgdat->lru;

	pthread_mutex_lock(&lru->lock);
	lru->flags &= ~(PGDAT_DIRTY | PGDAT_WRITEBACK);
	pthread_mutex_unlock(&lru->lock);
}

unsigned long zone_reclaimable_pages(struct zone *zone)
{
	long nr = zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_FILE) + zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_FILE);
	struct machine *m = zone->zone_pgdat->machine;

	if (swap_configured(m) && nr_swap_pages(m))
		nr += zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_ANON) + zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_ANON);
	return (unsigned long)nr;
}

/* compaction_ready (4.12): the zone has enough free above its high watermark for compaction to go ahead. */
static bool compaction_ready(struct zone *zone, unsigned int order, int classzone_idx)
{
	unsigned long watermark = high_wmark_pages(zone) + compact_gap(order);

	if (compaction_suitable(zone, (int)order, 0, classzone_idx) == COMPACT_SUCCESS)
		return true;
	return __zone_watermark_ok(zone, 0, watermark, classzone_idx, 0, zone_page_state_snapshot(zone, NR_FREE_PAGES)) &&
	       compaction_suitable(zone, (int)order, 0, classzone_idx) == COMPACT_CONTINUE;
}

/*
 * shrink_node as direct reclaim runs it for an order: for reclaim/compaction (costly
 * orders, or below DEF_PRIORITY - 2) should_continue_reclaim keeps it going until
 * compact_gap(order) pages were freed, the inactive lists hold less than that, or a
 * round frees nothing.
 */
static unsigned long shrink_node_for(pg_data_t *pgdat, int classzone_idx, unsigned long nr_to_reclaim, int priority,
				     unsigned int order)
{
	bool in_reclaim_compaction = order && (order > PAGE_ALLOC_COSTLY_ORDER || priority < DEF_PRIORITY - 2);
	unsigned long total = 0;

	for (;;) {
		unsigned long r = shrink_node(pgdat, classzone_idx, nr_to_reclaim, priority, false);
		total += r;
		if (!in_reclaim_compaction || !r || total >= compact_gap(order))
			return total;
		struct lru_node *lru = pgdat->lru;
		pthread_mutex_lock(&lru->lock);
		unsigned long inactive = lru_size(lru, LRU_INACTIVE_FILE, classzone_idx);
		if (swap_configured(pgdat->machine))
			inactive += lru_size(lru, LRU_INACTIVE_ANON, classzone_idx);
		pthread_mutex_unlock(&lru->lock);
		if (inactive <= compact_gap(order))
			return total;
	}
}

/*
 * do_try_to_free_pages for an allocation: count the stall, then shrink each node of the
 * zonelist at falling priority until SWAP_CLUSTER_MAX pages were freed; for a costly
 * order a zone already ready for compaction is left alone, and when every zone is, the
 * reclaim ends (compaction_ready).
 */
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac)
{
	unsigned long nr_reclaimed = 0;
	nodemask_t reclaimed;

	(void)gfp_mask;
	nodes_clear(&reclaimed);
	count_vm_event(ALLOCSTALL_DMA + ac->high_zoneidx);
	for (int priority = DEF_PRIORITY; priority >= 0 && nr_reclaimed < SWAP_CLUSTER_MAX; priority--) {
		nodemask_t done;
		bool any = false, all_ready = true;
		nodes_clear(&done);
		for (struct zoneref *z = ac->zonelist->_zonerefs; z->zone; z++) {
			if (z->zone_idx > (int)ac->high_zoneidx)
				continue;
			if (ac->nodemask && !node_isset(z->zone->node, ac->nodemask))
				continue;
			if (order > PAGE_ALLOC_COSTLY_ORDER && compaction_ready(z->zone, order, (int)ac->high_zoneidx))
				continue;
			all_ready = false;
			if (node_isset(z->zone->node, &done))
				continue;
			node_set(z->zone->node, &done);
			node_set(z->zone->node, &reclaimed);
			any = true;
			nr_reclaimed += shrink_node_for(z->zone->zone_pgdat, (int)ac->high_zoneidx, SWAP_CLUSTER_MAX - nr_reclaimed,
							priority, order);
			if (nr_reclaimed >= SWAP_CLUSTER_MAX)
				break;
		}
		if (!any && all_ready) {
			nr_reclaimed = nr_reclaimed ? nr_reclaimed : 1;       /* sc->compaction_ready: progress */
			break;
		}
	}
	/* do_try_to_free_pages' end: the refaults seen so far are the old workingset's */
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_isset(nid, &reclaimed))
			snapshot_refaults(current_machine(), nid);
	return nr_reclaimed;
}

/*
 * Reclaim from every node until nothing more comes back: the flusher writes every dirty
 * page, each list is scanned at priority 0, writeback in flight is waited for, and the
 * scan repeats until three passes in a row free nothing with no I/O in flight (a
 * referenced page needs two looks, an active one a third).
 */
unsigned long shrink_all_memory(struct machine *m)
{
	unsigned long total = 0;
	bool kswapd = current_binding.cs == NULL;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		for (int idle = 0; idle < 3;) {
			wb_start_background(m, ~0UL);
			unsigned long r = shrink_node(pgdat, MAX_NR_ZONES - 1, ~0UL, 0, kswapd);
			total += r;
			if (r || writeback_wait_any(m, HZ_10_NS))
				idle = 0;
			else
				idle++;
		}
	}
	return total;
}
