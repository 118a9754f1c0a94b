// SPDX-License-Identifier: GPL-2.0
/*
 * buddy.c - the buddy free lists: split (expand), merge (__free_one_page), take the
 * smallest fitting block (__rmqueue_smallest), steal from other migratetypes
 * (__rmqueue_fallback, in the machine policy's kernel's way: pcp/policy.h), pageblock
 * ownership and the highatomic reserve. Every function here runs under zone->lock.
 */
#include <stdio.h>

#include "alloc/internal.h"
#include "alloc/vmstat.h"
#include "pcp/policy.h"

/* 4.12: the order in which to steal from other types when a type's lists are empty. */
const int fallbacks[MIGRATE_TYPES][4] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_TYPES },
	[MIGRATE_HIGHATOMIC]  = { MIGRATE_TYPES },      /* never used */
	[MIGRATE_CMA]         = { MIGRATE_TYPES },      /* never used */
	[MIGRATE_ISOLATE]     = { MIGRATE_TYPES },      /* never used */
};

/* zone->lock's contended acquisition: the queued slow path, timed for the counters. */
void __spin_lock_slow(struct zone *zone)
{
	uint64_t t0 = now_ns();

	queued_spin_lock_slowpath(&zone->lock);
	atomic_fetch_add_explicit(&zone->lock_wait_ns, (long)(now_ns() - t0), memory_order_relaxed);
	atomic_fetch_add_explicit(&zone->lock_contended, 1, memory_order_relaxed);
}

void set_pageblock_migratetype(struct zone *z, struct page *p, int mt)
{
	struct machine *m = z->zone_pgdat->machine;
	struct pageblock *pb = &m->pageblocks[__page_to_pfn(m, p) >> pageblock_order];

	if (pb->migratetype == MIGRATE_ISOLATE && mt != MIGRATE_ISOLATE)
		z->nr_isolate_pageblock--;
	else if (pb->migratetype != MIGRATE_ISOLATE && mt == MIGRATE_ISOLATE)
		z->nr_isolate_pageblock++;
	WRITE_ONCE(pb->migratetype, (uint8_t)mt);      /* read locklessly by the free path */
}

static inline void set_page_order(struct page *page, unsigned int order, int mt)
{
	/* one store: a racing (double) free reads the state locklessly */
	WRITE_ONCE(page->state, PAGE_STATE(PG_buddy, order, mt));
}

static inline void rmv_page_order(struct page *page)
{
	page->flags &= (uint8_t)~PG_buddy;
}

static inline void add_to_free_area(struct zone *z, struct page *page, unsigned int order, int mt, bool tail)
{
	struct free_area *area = &z->free_area[order];

	VT_CHARGE(BUDDY_ADD, 1);
	VT_ZONE_LINE(z, VT_LINE_AREA + order, true);
	VT_PAGE_LINE(z, page_idx(z, page));
	set_page_order(page, order, mt);
	if (tail)
		pagelist_add_tail(z, &area->free_list[mt], page);
	else
		pagelist_add(z, &area->free_list[mt], page);
	WRITE_ONCE(area->nr_free, area->nr_free + 1);
}

static inline void del_from_free_area(struct zone *z, struct page *page, unsigned int order)
{
	struct free_area *area = &z->free_area[order];

	VT_CHARGE(BUDDY_DEL, 1);
	VT_ZONE_LINE(z, VT_LINE_AREA + order, true);
	VT_PAGE_LINE(z, page_idx(z, page));
	pagelist_del(z, &area->free_list[page->mt], page);
	rmv_page_order(page);
	WRITE_ONCE(area->nr_free, area->nr_free - 1);
}

/*
 * page_is_buddy: the buddy is a free block of exactly this order in the same zone.
 * The pfn must be inside mem_map: holes and frames of other zones have no PG_buddy of
 * ours, the zone check catches neighbours across a zone boundary.
 */
static inline bool page_is_buddy(struct zone *zone, unsigned long buddy_pfn, unsigned int order)
{
	struct machine *m = zone->zone_pgdat->machine;

	if (!zone_spans_pfn(zone, buddy_pfn))
		return false;
	struct page *buddy = __pfn_to_page(m, buddy_pfn);
	VT_CHARGE(BUDDY_TEST, 1);
	VT_PAGE_LINE(zone, page_idx(zone, buddy));
	/*
	 * Lockless with respect to the neighbour's owner, who may be changing a non-buddy
	 * page's state right now; PG_buddy itself only changes under zone->lock, so the answer
	 * cannot be wrong (the kernel's data_race()). Owners write flags/order with WRITE_ONCE.
	 */
	return (READ_ONCE(buddy->flags) & PG_buddy) && READ_ONCE(buddy->order) == order;
}

/*
 * Freeing: merge with free buddies as far as they go. Merging stops at pageblock_order
 * between an isolated and a non-isolated pageblock so isolation accounting stays right.
 * A block whose next-higher buddy is free goes to the tail: it is likely to merge soon,
 * so it should be the last one handed out.
 */
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone, unsigned int order, int migratetype)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long buddy_pfn = 0, combined_pfn;
	unsigned int max_order = MAX_ORDER < pageblock_order + 1 ? MAX_ORDER : pageblock_order + 1;

	if (!is_migrate_isolate(migratetype))
		__mod_zone_freepage_state(zone, 1L << order, migratetype);
continue_merging:
	while (order < max_order - 1) {
		buddy_pfn = __find_buddy_pfn(pfn, order);
		if (!page_is_buddy(zone, buddy_pfn, order))
			goto done_merging;
		del_from_free_area(zone, __pfn_to_page(m, buddy_pfn), order);
		combined_pfn = buddy_pfn & pfn;
		pfn = combined_pfn;
		order++;
	}
	if (max_order < MAX_ORDER) {
		/* order >= pageblock_order: don't merge an isolated block with a normal one */
		if (unlikely(zone->nr_isolate_pageblock)) {
			buddy_pfn = __find_buddy_pfn(pfn, order);
			if (zone_spans_pfn(zone, buddy_pfn)) {
				int buddy_mt = get_pageblock_migratetype_pfn(m, buddy_pfn);
				if (migratetype != buddy_mt && (is_migrate_isolate(migratetype) || is_migrate_isolate(buddy_mt)))
					goto done_merging;
			}
		}
		max_order++;
		goto continue_merging;
	}
done_merging:
	page = __pfn_to_page(m, pfn);
	if (order < MAX_ORDER - 2) {
		combined_pfn = __find_buddy_pfn(pfn, order) & pfn;
		unsigned long higher_buddy = __find_buddy_pfn(combined_pfn, order + 1);
		if (page_is_buddy(zone, higher_buddy, order + 1)) {
			add_to_free_area(zone, page, order, migratetype, true);
			return;
		}
	}
	add_to_free_area(zone, page, order, migratetype, false);
}

void free_one_page(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order, int migratetype)
{
	struct machine *m = zone->zone_pgdat->machine;

	zone_lock(zone);
	if (unlikely(zone->nr_isolate_pageblock || is_migrate_isolate(migratetype)))
		migratetype = get_pageblock_migratetype_pfn(m, pfn);
	__free_one_page(page, pfn, zone, order, migratetype);
	zone_unlock(zone);
}

/*
 * check_new_pages (the kernel's, as it runs without CONFIG_DEBUG_VM: at refill and on the
 * buddy path, under zone->lock; kernels from 6.2 skip it unless debugging options are on,
 * the policy's check_new_pages): every page of a block leaving the free lists must be in
 * the state a free block's pages are in. The head was just taken off a list; each tail
 * must carry no flags (merging and freeing clear them). A bad block is reported as
 * bad_page() does and left out of circulation, as the kernel leaks it; true then.
 */
bool check_new_pages(struct zone *zone, struct page *page, unsigned int order)
{
	if (!zone->zone_pgdat->machine->pcp_policy->check_new_pages)
		return false;
	VT_CHARGE(CHECK_PAGE, 1UL << order);
	for (unsigned long i = 1; i < (1UL << order); i++) {
		if (likely(!READ_ONCE(page[i].flags)))
			continue;
		struct machine *m = zone->zone_pgdat->machine;
		char found[64];
		page_state_str(&page[i], found, sizeof(found));
		bad_page(m, __page_to_pfn(m, page) + i, "a tail of a free block is not clean; block taken out of circulation",
			 "flags 0", found);
		WRITE_ONCE(page->state, PAGE_STATE(PG_hwpoison, order, page->mt));
		return true;
	}
	return false;
}

/* Split a block of order high down to order low; the unused halves go back on the lists. */
static inline void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high, int migratetype)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_area(zone, &page[size], high, migratetype, false);
	}
}

struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	for (unsigned int current_order = order; current_order < MAX_ORDER; ++current_order) {
		struct page *page = pagelist_first(zone, &zone->free_area[current_order].free_list[migratetype]);
		if (!page)
			continue;
		del_from_free_area(zone, page, current_order);
		expand(zone, page, order, current_order, migratetype);
		WRITE_ONCE(page->mt, (uint8_t)migratetype);    /* set_pcppage_migratetype */
		return page;
	}
	return NULL;
}

/*
 * Move the free blocks of one pageblock to another migratetype's lists. Returns the number
 * of pages moved (free pages only: allocated ones keep their type until freed).
 */
int move_freepages_block(struct zone *zone, struct page *page, int migratetype)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long start_pfn = __page_to_pfn(m, page) & ~(pageblock_nr_pages - 1);
	unsigned long end_pfn = start_pfn + pageblock_nr_pages;
	int pages_moved = 0;

	if (start_pfn < zone->zone_start_pfn)
		start_pfn = __page_to_pfn(m, page);
	if (end_pfn > zone_end_pfn(zone))
		return 0;
	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		struct page *p = __pfn_to_page(m, pfn);
		if (!(p->flags & PG_buddy)) {
			pfn++;
			continue;
		}
		unsigned int order = p->order;
		struct pagelist *from = &zone->free_area[order].free_list[p->mt];
		pagelist_del(zone, from, p);
		WRITE_ONCE(p->mt, (uint8_t)migratetype);
		pagelist_add(zone, &zone->free_area[order].free_list[migratetype], p);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	return pages_moved;
}

static void change_pageblock_range(struct zone *zone, struct page *page, unsigned int order, int mt)
{
	int nr_pageblocks = 1 << (order - pageblock_order);

	while (nr_pageblocks--) {
		set_pageblock_migratetype(zone, page, mt);
		page += pageblock_nr_pages;
	}
}

static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	if (order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE)
		return true;
	return false;
}

/* Take the whole pageblock when over half of it is free, else only move its free pages. */
static void steal_suitable_fallback(struct zone *zone, struct page *page, int start_type)
{
	unsigned int current_order = page->order;

	if (current_order >= pageblock_order) {
		change_pageblock_range(zone, page, current_order, start_type);
		return;
	}
	int pages = move_freepages_block(zone, page, start_type);
	if (pages >= (1 << (pageblock_order - 1)))
		set_pageblock_migratetype(zone, page, start_type);
}

int find_suitable_fallback(struct free_area *area, unsigned int order, int migratetype, bool only_stealable,
			   bool *can_steal)
{
	if (area->nr_free == 0)
		return -1;
	*can_steal = false;
	for (int i = 0;; i++) {
		int fallback_mt = fallbacks[migratetype][i];
		if (fallback_mt == MIGRATE_TYPES)
			break;
		if (pagelist_empty(&area->free_list[fallback_mt]))
			continue;
		if (can_steal_fallback(order, migratetype))
			*can_steal = true;
		if (!only_stealable)
			return fallback_mt;
		if (*can_steal)
			return fallback_mt;
	}
	return -1;
}

/* Take a block off another type's list, split it for the request; the halves go to mt. */
static struct page *take_fallback_block(struct zone *zone, struct page *page, unsigned int order,
					unsigned int current_order, int mt)
{
	del_from_free_area(zone, page, current_order);
	expand(zone, page, order, current_order, mt);
	WRITE_ONCE(page->mt, (uint8_t)mt);
	count_vm_event(PGALLOC_EXTFRAG);
	return page;
}

/* 4.12: steal the largest block of another type; the split halves keep our type. */
static struct page *__rmqueue_fallback_4_12(struct zone *zone, unsigned int order, int start_migratetype)
{
	for (int current_order = MAX_ORDER - 1; current_order >= (int)order; --current_order) {
		struct free_area *area = &zone->free_area[current_order];
		bool can_steal;
		int fallback_mt = find_suitable_fallback(area, current_order, start_migratetype, false, &can_steal);
		if (fallback_mt == -1)
			continue;
		struct page *page = pagelist_first(zone, &area->free_list[fallback_mt]);
		if (can_steal && get_pageblock_migratetype(zone, page) != MIGRATE_HIGHATOMIC)
			steal_suitable_fallback(zone, page, start_migratetype);
		/* steal_suitable_fallback may have moved it to our list: unlink from wherever it is */
		return take_fallback_block(zone, page, order, current_order, start_migratetype);
	}
	return NULL;
}

/* The free pages of page's pageblock (0 when the block crosses the zone's edge). */
static int free_pages_in_block(struct zone *zone, struct page *page)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long start_pfn = __page_to_pfn(m, page) & ~(pageblock_nr_pages - 1);
	int nr = 0;

	if (start_pfn < zone->zone_start_pfn || start_pfn + pageblock_nr_pages > zone_end_pfn(zone))
		return 0;
	for (unsigned long pfn = start_pfn; pfn < start_pfn + pageblock_nr_pages;) {
		struct page *p = __pfn_to_page(m, pfn);
		if (p->flags & PG_buddy) {
			nr += 1 << p->order;
			pfn += 1UL << p->order;
		} else {
			pfn++;
		}
	}
	return nr;
}

/*
 * boost_watermark (5.0+, the policy's watermark_boost): a fallback raises the zone's
 * watermarks by a pageblock, up to watermark_boost_factor / 10000 of the high mark (at
 * least a pageblock); not in zones under four pageblocks. The allocation then wakes
 * kswapd (ZONE_BOOSTED_WATERMARK, rmqueue), which reclaims the boost away.
 */
static void boost_watermark(struct zone *zone)
{
	struct machine *m = zone->zone_pgdat->machine;

	if (!m->pcp_policy->watermark_boost || !m->watermark_boost_factor)
		return;
	if (pageblock_nr_pages * 4 > zone->managed_pages)
		return;
	unsigned long max_boost = (unsigned long)((__uint128_t)READ_ONCE(zone->_watermark[WMARK_HIGH]) *
						  (unsigned)m->watermark_boost_factor / 10000);
	if (!max_boost)
		return;
	if (max_boost < pageblock_nr_pages)
		max_boost = pageblock_nr_pages;
	unsigned long boost = zone_boost(zone) + pageblock_nr_pages;
	atomic_store_explicit(&zone->watermark_boost, boost < max_boost ? boost : max_boost, memory_order_relaxed);
	atomic_fetch_or_explicit(&zone->flags, ZONE_BOOSTED_WATERMARK, memory_order_relaxed);
}

/*
 * 4.13+ steal_suitable_fallback: claim the pageblock when half of it is free or of a
 * compatible type, else move only this block to our list (single_page). The kernel counts
 * allocated pages on an LRU as movable; the model does not know which allocated pages
 * are movable, so compatible pages count none (its claims are a lower bound).
 */
static void steal_suitable_fallback_4_13(struct zone *zone, struct page *page, int start_type, bool whole_block)
{
	unsigned int current_order = page->order;
	int old_block_type = get_pageblock_migratetype(zone, page);

	if (old_block_type == MIGRATE_HIGHATOMIC)
		goto single_page;
	if (current_order >= pageblock_order) {
		change_pageblock_range(zone, page, current_order, start_type);
		goto single_page;
	}
	boost_watermark(zone);          /* 5.0+: more reclaim, fewer fallbacks to come */
	if (!whole_block)
		goto single_page;
	int free_pages = move_freepages_block(zone, page, start_type);
	if (!free_pages)
		goto single_page;
	int alike_pages = 0;
	if (free_pages + alike_pages >= (1 << (pageblock_order - 1)))
		set_pageblock_migratetype(zone, page, start_type);
	return;
single_page:
	if (page->mt != start_type) {
		del_from_free_area(zone, page, current_order);
		add_to_free_area(zone, page, current_order, start_type, false);
	}
}

/*
 * 4.13 __rmqueue_fallback: the largest block of another type; when it cannot claim that
 * pageblock and the allocation is movable, the smallest instead (less fragmentation).
 * The stolen block goes on our list; the caller takes from there (__rmqueue_smallest).
 */
static bool __rmqueue_fallback_4_13(struct zone *zone, unsigned int order, int start_migratetype)
{
	struct free_area *area;
	int current_order, fallback_mt;
	bool can_steal;

	for (current_order = MAX_ORDER - 1; current_order >= (int)order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, current_order, start_migratetype, false, &can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal && start_migratetype == MIGRATE_MOVABLE && current_order > (int)order)
			goto find_smallest;
		goto do_steal;
	}
	return false;
find_smallest:
	for (current_order = (int)order; current_order < MAX_ORDER; current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, current_order, start_migratetype, false, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	if (current_order == MAX_ORDER)
		return false;
do_steal:
	steal_suitable_fallback_4_13(zone, pagelist_first(zone, &area->free_list[fallback_mt]), start_migratetype,
				     can_steal);
	count_vm_event(PGALLOC_EXTFRAG);
	return true;
}

/*
 * 6.15 __rmqueue_claim: from the largest block down while the order may claim, take a
 * pageblock whose free (and compatible) pages are half of it (try_to_claim_block), then
 * allocate from our own lists. NULL when no block could be claimed.
 */
static struct page *__rmqueue_claim(struct zone *zone, unsigned int order, int start_migratetype)
{
	for (int current_order = MAX_ORDER - 1; current_order >= (int)order; --current_order) {
		struct free_area *area = &zone->free_area[current_order];
		bool can_claim;
		int fallback_mt = find_suitable_fallback(area, current_order, start_migratetype, false, &can_claim);
		if (fallback_mt == -1)
			continue;
		if (!can_claim)
			break;          /* orders too low to claim from here on */
		struct page *page = pagelist_first(zone, &area->free_list[fallback_mt]);
		if (current_order >= (int)pageblock_order) {
			change_pageblock_range(zone, page, current_order, start_migratetype);
			return take_fallback_block(zone, page, order, current_order, start_migratetype);
		}
		boost_watermark(zone);  /* try_to_claim_block */
		int free_pages = free_pages_in_block(zone, page), alike_pages = 0;     /* as 4.13: none known */
		if (free_pages && free_pages + alike_pages >= (1 << (pageblock_order - 1))) {
			move_freepages_block(zone, page, start_migratetype);
			set_pageblock_migratetype(zone, page, start_migratetype);
			count_vm_event(PGALLOC_EXTFRAG);
			return __rmqueue_smallest(zone, order, start_migratetype);
		}
	}
	return NULL;
}

/* 6.15 __rmqueue_steal: the smallest block of another type; its pageblock keeps its type. */
static struct page *__rmqueue_steal(struct zone *zone, unsigned int order, int start_migratetype)
{
	for (unsigned int current_order = order; current_order < MAX_ORDER; current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		bool can_steal;
		int fallback_mt = find_suitable_fallback(area, current_order, start_migratetype, false, &can_steal);
		if (fallback_mt == -1)
			continue;
		return take_fallback_block(zone, pagelist_first(zone, &area->free_list[fallback_mt]), order,
					   current_order, fallback_mt);
	}
	return NULL;
}

/* __rmqueue: our own lists first, then another type's, as the machine's kernel falls back. */
struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype)
{
	struct page *page = __rmqueue_smallest(zone, order, migratetype);

	if (likely(page))
		return page;
	switch (zone->zone_pgdat->machine->pcp_policy->fallback) {
	case FALLBACK_4_12:
		return __rmqueue_fallback_4_12(zone, order, migratetype);
	case FALLBACK_4_13:
		while (__rmqueue_fallback_4_13(zone, order, migratetype)) {     /* __rmqueue's retry */
			page = __rmqueue_smallest(zone, order, migratetype);
			if (page)
				return page;
		}
		return NULL;
	case FALLBACK_CLAIM_STEAL:
		page = __rmqueue_claim(zone, order, migratetype);
		return page ? page : __rmqueue_steal(zone, order, migratetype);
	}
	return NULL;
}

/* A high-order atomic allocation succeeded: keep its pageblock for such allocations. */
void reserve_highatomic_pageblock(struct page *page, struct zone *zone, unsigned int order)
{
	long max_managed = (long)(zone->managed_pages / 100) + (long)pageblock_nr_pages;

	if (READ_ONCE(zone->nr_reserved_highatomic) >= max_managed)
		return;
	zone_lock(zone);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;
	int mt = get_pageblock_migratetype(zone, page);
	if (mt != MIGRATE_HIGHATOMIC && !is_migrate_isolate(mt) && mt != MIGRATE_CMA) {
		WRITE_ONCE(zone->nr_reserved_highatomic, zone->nr_reserved_highatomic + (long)pageblock_nr_pages);
		set_pageblock_migratetype(zone, page, MIGRATE_HIGHATOMIC);
		move_freepages_block(zone, page, MIGRATE_HIGHATOMIC);
	}
out_unlock:
	zone_unlock(zone);
}

/*
 * Under pressure give highatomic pageblocks back to the requested type. force: also
 * the last one (the kernel does that before declaring OOM).
 */
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	for (struct zoneref *z = ac->zonelist->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		if (z->zone_idx > (int)ac->high_zoneidx)
			continue;
		if (!force && READ_ONCE(zone->nr_reserved_highatomic) <= (long)pageblock_nr_pages)
			continue;
		zone_lock(zone);
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			struct page *page = pagelist_first(zone, &zone->free_area[order].free_list[MIGRATE_HIGHATOMIC]);
			if (!page)
				continue;
			if (get_pageblock_migratetype(zone, page) == MIGRATE_HIGHATOMIC) {
				long nr = zone->nr_reserved_highatomic - (long)pageblock_nr_pages;
				WRITE_ONCE(zone->nr_reserved_highatomic, nr < 0 ? 0 : nr);
			}
			set_pageblock_migratetype(zone, page, ac->migratetype);
			int ret = move_freepages_block(zone, page, ac->migratetype);
			if (ret) {
				zone_unlock(zone);
				return true;
			}
		}
		zone_unlock(zone);
	}
	return false;
}
