// SPDX-License-Identifier: GPL-2.0
/*
 * compaction.c - direct compaction (Linux 4.12's mm/compaction.c, cut down): a migrate
 * scanner walks the zone up from its start isolating movable LRU pages, a free scanner
 * walks down from its end isolating free pages of movable pageblocks as targets; each
 * isolated page is copied (backed mode) to a target, its owner is told (moved), the
 * target takes its place on the LRU and the source is freed; the run ends when the
 * scanners meet (COMPACT_COMPLETE) or a free block of the requested order exists on a
 * usable list (COMPACT_SUCCESS). compaction_suitable checks the 4.12 watermark
 * (min, or low for costly orders, plus compact_gap = 2 << order, at order 0) and the
 * fragmentation index (sysctl_extfrag_threshold 500) for costly orders.
 *
 * Deferral as 4.12's: a sync compaction that ran the whole zone without success defers
 * the next 1, 2, 4 .. 64 attempts at that order or above (defer_compaction,
 * compaction_deferred, compact_considered, compact_defer_shift, compact_order_failed); a
 * success resets it; once the deferral is at its limit the next attempt restarts the zone
 * (compaction_restarting). The scanners resume where the last run stopped (the cached
 * positions, one migrate position for async and one for sync) and skip pageblocks that
 * yielded nothing before (pageblock skip hints, ignored at MIN_COMPACT_PRIORITY); both
 * are reset once the scanners meet and kswapd next goes to sleep, or on a restart
 * (__reset_isolation_suitable). kcompactd (alloc/kcompactd.c) compacts for kswapd.
 *
 * Not modelled: lock contention bail-outs, migration of blocks of order > 0 (they are
 * skipped; reclaim can still free them), the free scanner's fast search (5.x).
 *
 * Compaction takes its targets from the buddy under zone->lock (never through rmqueue or
 * a per-CPU list) and frees sources and unused targets with free_one_page: see
 * alloc/reclaim.h. The migrate scanner reads the LRU's state bytes under lru->lock; the
 * free scanner reads page flags under zone->lock (a non-free page's flags may change
 * under it, as PageBuddy checks race in the kernel; only free pages are taken, and free
 * pages change only under zone->lock).
 */
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

#define COMPACT_CLUSTER_MAX     SWAP_CLUSTER_MAX
#define sysctl_extfrag_threshold 500

struct compact_control {
	struct zone *zone;
	struct machine *m;
	unsigned int order;
	int migratetype;
	unsigned int alloc_flags;
	int classzone_idx;
	enum compact_priority prio;
	bool ignore_skip_hint;          /* MIN_COMPACT_PRIORITY: look at every pageblock */
	bool direct_compaction;         /* an allocation's, not kcompactd's */
	unsigned long migrate_pfn, free_pfn;
	struct page *migratepages[COMPACT_CLUSTER_MAX];
	unsigned long nr_migratepages;
	struct page **freepages;        /* order-0 targets */
	unsigned long nr_freepages, cap_freepages;
};

/* fragmentation_index: 0 - 1000; near 1000 means free memory exists but is fragmented. */
int fragmentation_index(struct zone *zone, unsigned int order)
{
	unsigned long requested = 1UL << order, free_pages = 0, free_blocks_total = 0, free_blocks_suitable = 0;

	if (!order)
		return -1000;
	zone_lock(zone);
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		unsigned long blocks = zone->free_area[o].nr_free;
		free_blocks_total += blocks;
		free_pages += blocks << o;
		if (o >= order)
			free_blocks_suitable += blocks << (o - order);
	}
	zone_unlock(zone);
	if (!free_blocks_total)
		return 0;
	if (free_blocks_suitable)
		return -1000;
	return (int)(1000 - ((1000 + free_pages * 1000 / requested) / free_blocks_total));
}

/* --- deferral (4.12's defer_compaction and friends; zone->compact, racy as the kernel's) --- */
#define COMPACT_MAX_DEFER_SHIFT 6

void defer_compaction(struct zone *zone, int order)
{
	struct compact_state *cs = zone->compact;

	atomic_store_explicit(&cs->considered, 0, memory_order_relaxed);
	unsigned shift = atomic_load_explicit(&cs->defer_shift, memory_order_relaxed) + 1;
	atomic_store_explicit(&cs->defer_shift, shift > COMPACT_MAX_DEFER_SHIFT ? COMPACT_MAX_DEFER_SHIFT : shift,
			      memory_order_relaxed);
	if (order < atomic_load_explicit(&cs->order_failed, memory_order_relaxed))
		atomic_store_explicit(&cs->order_failed, order, memory_order_relaxed);
}

bool compaction_deferred(struct zone *zone, int order)
{
	struct compact_state *cs = zone->compact;
	unsigned long limit = 1UL << atomic_load_explicit(&cs->defer_shift, memory_order_relaxed);

	if (order < atomic_load_explicit(&cs->order_failed, memory_order_relaxed))
		return false;
	unsigned long c = atomic_load_explicit(&cs->considered, memory_order_relaxed) + 1;
	if (c > limit)
		c = limit;
	atomic_store_explicit(&cs->considered, (unsigned)c, memory_order_relaxed);
	return c < limit;
}

void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	struct compact_state *cs = zone->compact;

	if (alloc_success) {
		atomic_store_explicit(&cs->considered, 0, memory_order_relaxed);
		atomic_store_explicit(&cs->defer_shift, 0, memory_order_relaxed);
	}
	if (order >= atomic_load_explicit(&cs->order_failed, memory_order_relaxed))
		atomic_store_explicit(&cs->order_failed, order + 1, memory_order_relaxed);
}

bool compaction_restarting(struct zone *zone, int order)
{
	struct compact_state *cs = zone->compact;

	if (order < atomic_load_explicit(&cs->order_failed, memory_order_relaxed))
		return false;
	return atomic_load_explicit(&cs->defer_shift, memory_order_relaxed) == COMPACT_MAX_DEFER_SHIFT &&
	       atomic_load_explicit(&cs->considered, memory_order_relaxed) >= 1U << COMPACT_MAX_DEFER_SHIFT;
}

static inline bool pageblock_skip(struct machine *m, unsigned long pfn)
{
	return __atomic_load_n(&m->pageblocks[pfn >> pageblock_order].skip, __ATOMIC_RELAXED);
}

static inline void set_pageblock_skip(struct machine *m, unsigned long pfn)
{
	__atomic_store_n(&m->pageblocks[pfn >> pageblock_order].skip, 1, __ATOMIC_RELAXED);
}

static void reset_cached_positions(struct zone *zone)
{
	struct compact_state *cs = zone->compact;
	unsigned long end = (zone_end_pfn(zone) - 1) & ~(pageblock_nr_pages - 1);

	atomic_store_explicit(&cs->cached_migrate_pfn[0], zone->zone_start_pfn, memory_order_relaxed);
	atomic_store_explicit(&cs->cached_migrate_pfn[1], zone->zone_start_pfn, memory_order_relaxed);
	atomic_store_explicit(&cs->cached_free_pfn, end, memory_order_relaxed);
}

/* __reset_isolation_suitable: every skip hint of the zone cleared, the scanners back at the ends. */
void __reset_isolation_suitable(struct zone *zone)
{
	struct machine *m = zone->zone_pgdat->machine;

	atomic_store_explicit(&zone->compact->blockskip_flush, false, memory_order_relaxed);
	reset_cached_positions(zone);
	for (unsigned long pfn = zone->zone_start_pfn & ~(pageblock_nr_pages - 1); pfn < zone_end_pfn(zone);
	     pfn += pageblock_nr_pages)
		if (pfn_zone(m, pfn) == zone)
			__atomic_store_n(&m->pageblocks[pfn >> pageblock_order].skip, 0, __ATOMIC_RELAXED);
}

/* kswapd before it sleeps: the zones whose scanners met since have their hints reset. */
void reset_isolation_suitable(pg_data_t *pgdat)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (managed_zone(zone) && zone->compact &&
		    atomic_load_explicit(&zone->compact->blockskip_flush, memory_order_relaxed))
			__reset_isolation_suitable(zone);
	}
}

static enum compact_result __compaction_suitable(struct zone *zone, int order, unsigned int alloc_flags,
						 int classzone_idx, unsigned long wmark_target)
{
	unsigned long watermark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);

	if (zone_watermark_ok(zone, (unsigned)order, watermark, classzone_idx, alloc_flags))
		return COMPACT_SUCCESS;
	/* order-0 pages above min (low for costly) plus room for migration targets */
	watermark = order > PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(zone) : min_wmark_pages(zone);
	watermark += 2UL << order;      /* compact_gap */
	if (!__zone_watermark_ok(zone, 0, watermark, classzone_idx, ALLOC_CMA, (long)wmark_target))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

enum compact_result compaction_suitable(struct zone *zone, int order, unsigned int alloc_flags, int classzone_idx)
{
	enum compact_result ret = __compaction_suitable(zone, order, alloc_flags, classzone_idx,
							zone_page_state_snapshot(zone, NR_FREE_PAGES));
	if (ret == COMPACT_CONTINUE && order > PAGE_ALLOC_COSTLY_ORDER) {
		int fragindex = fragmentation_index(zone, (unsigned)order);
		if (fragindex >= 0 && fragindex <= sysctl_extfrag_threshold)
			ret = COMPACT_NOT_SUITABLE_ZONE;
	}
	if (ret == COMPACT_NOT_SUITABLE_ZONE)
		ret = COMPACT_SKIPPED;
	return ret;
}

/* Would compaction help were reclaim to free everything reclaimable? (should_compact_retry) */
bool compaction_zonelist_suitable(const struct alloc_context *ac, int order, int alloc_flags)
{
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		if (z->zone_idx > (int)ac->high_zoneidx || (ac->nodemask && !node_isset(z->zone->node, ac->nodemask)))
			continue;
		unsigned long available = zone_reclaimable_pages(z->zone) / (unsigned long)order;
		available += zone_page_state_snapshot(z->zone, NR_FREE_PAGES);
		if (__compaction_suitable(z->zone, order, (unsigned)alloc_flags, ac_classzone_idx(ac), available) ==
		    COMPACT_CONTINUE)
			return true;
	}
	return false;
}

static bool migrate_async_suitable(int mt) { return mt == MIGRATE_MOVABLE || mt == MIGRATE_CMA; }

/* __compact_finished (4.12) */
static enum compact_result compact_finished(struct compact_control *cc)
{
	struct zone *zone = cc->zone;

	if ((cc->free_pfn >> pageblock_order) <= (cc->migrate_pfn >> pageblock_order))
		return COMPACT_COMPLETE;
	unsigned long watermark = wmark_pages(zone, cc->alloc_flags & ALLOC_WMARK_MASK);
	if (!zone_watermark_ok(zone, cc->order, watermark, cc->classzone_idx, cc->alloc_flags))
		return COMPACT_CONTINUE;
	enum compact_result ret = COMPACT_NO_SUITABLE_PAGE;
	zone_lock(zone);
	for (unsigned int order = cc->order; order < MAX_ORDER; order++) {
		struct free_area *area = &zone->free_area[order];
		bool can_steal;
		if (!pagelist_empty(&area->free_list[cc->migratetype]) ||
		    (cc->migratetype == MIGRATE_MOVABLE && !pagelist_empty(&area->free_list[MIGRATE_CMA])) ||
		    find_suitable_fallback(area, order, cc->migratetype, true, &can_steal) != -1) {
			ret = COMPACT_SUCCESS;
			break;
		}
	}
	zone_unlock(zone);
	return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
}

/* isolate_migratepages: movable order-0 LRU pages, pageblock by pageblock, below the free scanner. */
static void isolate_migratepages(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	struct machine *m = cc->m;
	struct lru_node *lru = zone->zone_pgdat->lru;
	unsigned long scanned = 0;

	while (!cc->nr_migratepages && cc->migrate_pfn < cc->free_pfn) {
		unsigned long low = cc->migrate_pfn;
		unsigned long end = (low | (pageblock_nr_pages - 1)) + 1;
		if (end > cc->free_pfn)
			end = cc->free_pfn;
		if (!cc->ignore_skip_hint && pageblock_skip(m, low)) {
			cc->migrate_pfn = end;
			continue;
		}
		if (cc->prio == COMPACT_PRIO_ASYNC) {
			zone_lock(zone);
			int mt = get_pageblock_migratetype_pfn(m, low);
			zone_unlock(zone);
			if (!migrate_async_suitable(mt)) {
				cc->migrate_pfn = end;
				continue;
			}
		}
		unsigned long before = cc->nr_migratepages;
		pthread_mutex_lock(&lru->lock);
		unsigned long pfn;
		for (pfn = low; pfn < end && cc->nr_migratepages < COMPACT_CLUSTER_MAX; pfn++) {
			scanned++;
			unsigned st = lru->state[pfn - lru->start_pfn];
			if (!(st & LS_MOVABLE) || (st & (LS_ISOLATED | LS_WRITEBACK | LS_DIRTY | LS_SWAPCACHE)))
				continue;
			struct page *page = __pfn_to_page(m, pfn);
			if (READ_ONCE(page->order))
				continue;
			lru_isolate_locked(lru, zone, page);
			cc->migratepages[cc->nr_migratepages++] = page;
		}
		pthread_mutex_unlock(&lru->lock);
		/* a whole pageblock with nothing to migrate: skip it next time (update_pageblock_skip) */
		if (cc->nr_migratepages == before && pfn == end && !cc->ignore_skip_hint)
			set_pageblock_skip(m, low);
		cc->migrate_pfn = pfn;
	}
	count_vm_events(COMPACTMIGRATE_SCANNED, (long)scanned);
	VT_CHARGE(COMPACT_PAGE, scanned);
	count_vm_events(COMPACTISOLATED, (long)cc->nr_migratepages);
}

/* Take one free block off the buddy lists as order-0 allocated targets (__isolate_free_page). */
static bool isolate_free_block(struct compact_control *cc, struct page *page, unsigned int order)
{
	struct zone *zone = cc->zone;
	unsigned long watermark = min_wmark_pages(zone) + (1UL << order);

	if (!__zone_watermark_ok(zone, 0, watermark, 0, ALLOC_CMA, zone_page_state_snapshot(zone, NR_FREE_PAGES)))
		return false;
	struct free_area *area = &zone->free_area[order];
	int mt = page->mt;
	pagelist_del(zone, &area->free_list[mt], page);
	WRITE_ONCE(area->nr_free, area->nr_free - 1);
	__mod_zone_freepage_state(zone, -(1L << order), mt);
	for (unsigned long i = 0; i < (1UL << order); i++) {      /* split_page */
		WRITE_ONCE(page[i].flags, (uint8_t)PG_head);
		WRITE_ONCE(page[i].order, (uint8_t)0);
		page[i].private = 0;
		if (cc->nr_freepages == cc->cap_freepages) {
			cc->cap_freepages = cc->cap_freepages ? 2 * cc->cap_freepages : 64;
			cc->freepages = realloc(cc->freepages, cc->cap_freepages * sizeof(*cc->freepages));
		}
		cc->freepages[cc->nr_freepages++] = &page[i];
	}
	return true;
}

/* isolate_freepages: from the top, a pageblock at a time, while above the migrate scanner. */
static void isolate_freepages(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	struct machine *m = cc->m;
	unsigned long scanned = 0, isolated = cc->nr_freepages;

	while (cc->nr_freepages < cc->nr_migratepages &&
	       (cc->free_pfn >> pageblock_order) > (cc->migrate_pfn >> pageblock_order)) {
		unsigned long start = cc->free_pfn, end = start + pageblock_nr_pages;
		if (start < zone->zone_start_pfn)
			start = zone->zone_start_pfn;
		if (end > zone_end_pfn(zone))
			end = zone_end_pfn(zone);
		zone_lock(zone);
		int mt = get_pageblock_migratetype_pfn(m, start);
		struct page *first = __pfn_to_page(m, start);
		bool suitable = pfn_zone(m, start) == zone && migrate_async_suitable(mt) &&
				!((READ_ONCE(first->flags) & PG_buddy) && first->order >= pageblock_order) &&
				(cc->ignore_skip_hint || !pageblock_skip(m, start));
		unsigned long before = cc->nr_freepages;
		for (unsigned long pfn = start; suitable && pfn < end;) {
			struct page *page = __pfn_to_page(m, pfn);
			scanned++;
			if (!(READ_ONCE(page->flags) & PG_buddy)) {
				pfn++;
				continue;
			}
			unsigned int order = page->order;
			if (!isolate_free_block(cc, page, order))
				break;
			pfn += 1UL << order;
		}
		zone_unlock(zone);
		if (suitable && cc->nr_freepages == before && !cc->ignore_skip_hint)
			set_pageblock_skip(m, start);
		cc->free_pfn -= pageblock_nr_pages;
	}
	count_vm_events(COMPACTFREE_SCANNED, (long)scanned);
	VT_CHARGE(COMPACT_PAGE, scanned);
	count_vm_events(COMPACTISOLATED, (long)(cc->nr_freepages - isolated));
}

static void free_target(struct compact_control *cc, struct page *page)
{
	unsigned long pfn = __page_to_pfn(cc->m, page);

	if (free_pages_prepare(cc->m, page, 0))
		free_one_page(cc->zone, page, pfn, 0, get_pageblock_migratetype_pfn(cc->m, pfn));
}

/* migrate_pages: copy, tell the owner, put the target on the LRU, free the source. */
static void migrate_pages(struct compact_control *cc)
{
	struct machine *m = cc->m;
	long ok = 0, fail = 0;

	for (unsigned long i = 0; i < cc->nr_migratepages; i++) {
		struct page *src = cc->migratepages[i];
		if (!cc->nr_freepages)
			isolate_freepages(cc);
		if (!cc->nr_freepages) {
			lru_putback(m, src);
			fail++;
			continue;
		}
		struct page *dst = cc->freepages[--cc->nr_freepages];
		if (m->arena)
			memcpy(__page_address(m, dst), __page_address(m, src), PAGE_SIZE);
		const struct page_owner *o = lru_owner(m, src);
		if (o->ops->moved)
			o->ops->moved(o->ctx, src, dst);
		lru_migrate(m, src, dst);       /* the target takes the source's place (same zone, same list) */
		free_target(cc, src);
		ok++;
	}
	cc->nr_migratepages = 0;
	count_vm_events(PGMIGRATE_SUCCESS, ok);
	if (fail)
		count_vm_events(PGMIGRATE_FAIL, fail);
}

static enum compact_result compact_zone(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	enum compact_result ret = compaction_suitable(zone, (int)cc->order, cc->alloc_flags, cc->classzone_idx);

	if (ret == COMPACT_SUCCESS || ret == COMPACT_SKIPPED)
		return ret;
	struct compact_state *cs = zone->compact;
	int sync = cc->prio != COMPACT_PRIO_ASYNC;
	unsigned long last_block = (zone_end_pfn(zone) - 1) & ~(pageblock_nr_pages - 1);
	if (compaction_restarting(zone, (int)cc->order))
		__reset_isolation_suitable(zone);
	cc->migrate_pfn = atomic_load_explicit(&cs->cached_migrate_pfn[sync], memory_order_relaxed);
	cc->free_pfn = atomic_load_explicit(&cs->cached_free_pfn, memory_order_relaxed);
	if (cc->free_pfn < zone->zone_start_pfn || cc->free_pfn > last_block)
		cc->free_pfn = last_block;
	if (cc->migrate_pfn < zone->zone_start_pfn || cc->migrate_pfn >= zone_end_pfn(zone))
		cc->migrate_pfn = zone->zone_start_pfn;
	while ((ret = compact_finished(cc)) == COMPACT_CONTINUE) {
		isolate_migratepages(cc);
		if (!cc->nr_migratepages)
			continue;
		migrate_pages(cc);
	}
	if (ret == COMPACT_COMPLETE) {
		/* the scanners met: next time from the ends, and kswapd resets the hints */
		reset_cached_positions(zone);
		if (cc->direct_compaction)
			atomic_store_explicit(&cs->blockskip_flush, true, memory_order_relaxed);
	} else {
		atomic_store_explicit(&cs->cached_migrate_pfn[sync], cc->migrate_pfn, memory_order_relaxed);
		atomic_store_explicit(&cs->cached_free_pfn, cc->free_pfn, memory_order_relaxed);
	}
	for (unsigned long i = 0; i < cc->nr_freepages; i++)      /* release_freepages */
		free_target(cc, cc->freepages[i]);
	cc->nr_freepages = 0;
	free(cc->freepages);
	cc->freepages = NULL;
	cc->cap_freepages = 0;
	/* this CPU's lists may hold pages that would complete a block (4.12 drains them) */
	if (current_binding.cs)
		drain_local_pages(zone);
	return ret;
}

/* try_to_compact_pages: each zone of the zonelist in turn until one has the block. */
enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac, enum compact_priority prio)
{
	enum compact_result rc = COMPACT_SKIPPED;

	if (!(gfp_mask & __GFP_IO) || !order)
		return COMPACT_SKIPPED;
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		if (z->zone_idx > (int)ac->high_zoneidx || (ac->nodemask && !node_isset(z->zone->node, ac->nodemask)))
			continue;
		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(z->zone, (int)order)) {
			if (COMPACT_DEFERRED > rc)
				rc = COMPACT_DEFERRED;
			continue;
		}
		struct compact_control cc = {
			.zone = z->zone,
			.m = ac->m,
			.order = order,
			.migratetype = ac->migratetype,
			.alloc_flags = alloc_flags,
			.classzone_idx = ac_classzone_idx(ac),
			.prio = prio,
			.ignore_skip_hint = prio == MIN_COMPACT_PRIORITY,
			.direct_compaction = true,
		};
		enum compact_result status = compact_zone(&cc);
		if (status > rc)
			rc = status;
		if (status == COMPACT_SUCCESS) {
			/* the allocation should succeed; a later success or failure settles the deferral */
			compaction_defer_reset(z->zone, (int)order, false);
			break;
		}
		if (prio != COMPACT_PRIO_ASYNC && (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED))
			defer_compaction(z->zone, (int)order);
	}
	return rc;
}

/*
 * kcompactd_do_work (4.12): compact each zone up to classzone_idx that is not deferred and
 * where compaction can help, at MIGRATE_SYNC_LIGHT, until it has the order.
 */
void kcompactd_do_work(pg_data_t *pgdat, int order, int classzone_idx)
{
	count_vm_event(KCOMPACTD_WAKE);
	for (int z = 0; z <= classzone_idx && z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!populated_zone(zone) || !managed_zone(zone))
			continue;
		if (compaction_deferred(zone, order))
			continue;
		if (compaction_suitable(zone, order, 0, z) != COMPACT_CONTINUE)
			continue;
		struct compact_control cc = {
			.zone = zone,
			.m = pgdat->machine,
			.order = (unsigned)order,
			.migratetype = MIGRATE_MOVABLE,
			.alloc_flags = 0,
			.classzone_idx = z,
			.prio = COMPACT_PRIO_SYNC_LIGHT,
		};
		enum compact_result status = compact_zone(&cc);
		if (status == COMPACT_SUCCESS)
			compaction_defer_reset(zone, order, false);
		else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE)
			defer_compaction(zone, order);
	}
}
