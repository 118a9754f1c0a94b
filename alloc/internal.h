/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what the allocator's files share and users should not call
 * (the kernel's mm/internal.h).
 */
#ifndef ALLOC_INTERNAL_H
#define ALLOC_INTERNAL_H

#include <stdarg.h>
#include <time.h>

#include "alloc/machine.h"
#include "alloc/mmzone.h"
#include "alloc/vtime.h"

/* alloc_flags: how hard get_page_from_freelist may try (mm/internal.h, 4.12). */
#define ALLOC_WMARK_MIN         WMARK_MIN
#define ALLOC_WMARK_LOW         WMARK_LOW
#define ALLOC_WMARK_HIGH        WMARK_HIGH
#define ALLOC_NO_WATERMARKS     0x04    /* don't check watermarks at all */
#define ALLOC_WMARK_MASK        (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_HARDER            0x10    /* try to alloc harder (atomic) */
#define ALLOC_HIGH              0x20    /* __GFP_HIGH set */
#define ALLOC_CPUSET            0x40    /* check for correct cpuset */
#define ALLOC_CMA               0x80    /* allow allocations from CMA areas */

/* Everything one allocation decides once and every later step reads. */
struct alloc_context {
	struct zonelist *zonelist;
	nodemask_t *nodemask;
	struct zoneref *preferred_zoneref;
	int migratetype;
	enum zone_type high_zoneidx;
	bool spread_dirty_pages;
	struct machine *m;
};
static inline int ac_classzone_idx(const struct alloc_context *ac) { return ac->preferred_zoneref->zone_idx; }

/* zone->lock: test-and-test-and-set; the time spent waiting is added to the zone. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
void __spin_lock_slow(struct zone *zone);
static inline bool spin_trylock(spinlock_t *l)
{
	return !atomic_load_explicit(&l->locked, memory_order_relaxed) &&
	       !atomic_exchange_explicit(&l->locked, 1, memory_order_acquire);
}
static inline void spin_unlock(spinlock_t *l) { atomic_store_explicit(&l->locked, 0, memory_order_release); }
static inline void zone_lock(struct zone *zone)
{
	if (likely(queued_spin_trylock(&zone->lock))) {
		VT_ZONE_LOCK(zone);
		return;
	}
	__spin_lock_slow(zone);
	VT_ZONE_LOCK(zone);
}
static inline void zone_unlock(struct zone *zone)
{
	VT_ZONE_UNLOCK(zone);
	queued_spin_unlock(&zone->lock);
}

/* Every zone of every node (pg_data_t and its zones are never freed), or the populated ones. */
#define for_each_zone(m, zone)                                                       \
	for (int __n = 0; __n < (m)->nr_nodes; __n++)                                \
		for (struct zone *zone = (m)->node_data[__n]->node_zones;            \
		     zone < (m)->node_data[__n]->node_zones + MAX_NR_ZONES; zone++)
#define for_each_populated_zone(m, zone) for_each_zone(m, zone) if (populated_zone(zone))

/* A message in err (when err is not NULL); returns -1, for `return errf(...)`. */
int errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Page lists by zone-relative index. */
static __always_inline uint32_t page_idx(const struct zone *z, const struct page *p) { return (uint32_t)(p - z->zone_mem_map); }
static __always_inline struct page *idx_page(const struct zone *z, uint32_t i)
{
	struct page *p = z->zone_mem_map + i;

	if (!p)
		__builtin_unreachable();        /* a page, never NULL: callers' NULL tests fold */
	return p;
}
static inline void pagelist_init(struct pagelist *l) { l->head = l->tail = PAGE_NIL; }
static inline bool pagelist_empty(const struct pagelist *l) { return READ_ONCE(l->head) == PAGE_NIL; }
static inline struct page *pagelist_first(const struct zone *z, const struct pagelist *l)
{
	return l->head == PAGE_NIL ? NULL : idx_page(z, l->head);
}
static inline struct page *pagelist_last(const struct zone *z, const struct pagelist *l)
{
	return l->tail == PAGE_NIL ? NULL : idx_page(z, l->tail);
}
static inline void pagelist_add(struct zone *z, struct pagelist *l, struct page *p)
{
	uint32_t i = page_idx(z, p);
	p->prev = PAGE_NIL;
	p->next = l->head;
	if (l->head != PAGE_NIL)
		idx_page(z, l->head)->prev = i;
	else
		l->tail = i;
	WRITE_ONCE(l->head, i);
}
static inline void pagelist_add_tail(struct zone *z, struct pagelist *l, struct page *p)
{
	uint32_t i = page_idx(z, p);
	p->next = PAGE_NIL;
	p->prev = l->tail;
	if (l->tail != PAGE_NIL)
		idx_page(z, l->tail)->next = i;
	else
		WRITE_ONCE(l->head, i);
	l->tail = i;
}
static inline void pagelist_del(struct zone *z, struct pagelist *l, struct page *p)
{
	if (p->prev != PAGE_NIL)
		idx_page(z, p->prev)->next = p->next;
	else
		WRITE_ONCE(l->head, p->next);
	if (p->next != PAGE_NIL)
		idx_page(z, p->next)->prev = p->prev;
	else
		l->tail = p->prev;
	p->next = p->prev = PAGE_NIL;
}

/* Pageblock migratetypes (under zone->lock). */
static inline int get_pageblock_migratetype(struct zone *z, struct page *p)
{
	struct machine *m = z->zone_pgdat->machine;
	return READ_ONCE(m->pageblocks[__page_to_pfn(m, p) >> pageblock_order].migratetype);
}
void set_pageblock_migratetype(struct zone *z, struct page *p, int mt);

/* buddy.c, all under zone->lock */
static inline unsigned long __find_buddy_pfn(unsigned long pfn, unsigned int order) { return pfn ^ (1UL << order); }
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone, unsigned int order, int migratetype);
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype);
struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype);
/* Every page of a block just taken off the free lists in a free block's state; else reported, true. */
bool check_new_pages(struct zone *zone, struct page *page, unsigned int order);
int move_freepages_block(struct zone *zone, struct page *page, int migratetype);
int find_suitable_fallback(struct free_area *area, unsigned int order, int migratetype, bool only_stealable,
			   bool *can_steal);
void reserve_highatomic_pageblock(struct page *page, struct zone *zone, unsigned int order);
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force);
extern const int fallbacks[MIGRATE_TYPES][4];
/* Free pages on the zone's lists, with NR_FREE_PAGES accounting. */
void free_one_page(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order, int migratetype);

/* page_alloc.c */
void bad_page(struct machine *m, unsigned long pfn, const char *reason, const char *expected, const char *found);
/* "flags 0x2 (on a pcp list) order 0": a page's state, for bad_page()'s "found". */
void page_state_str(const struct page *p, char *buf, size_t n);
/* "WARNING: ..." and a newline to m->report (stderr without a machine), flushed. */
void vwarnf(struct machine *m, const char *fmt, va_list ap);
struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order, int alloc_flags, const struct alloc_context *ac);
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int classzone_idx,
			 unsigned int alloc_flags, long free_pages);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int classzone_idx, unsigned int alloc_flags);
unsigned int gfp_to_alloc_flags(gfp_t gfp_mask);
void prep_new_page(struct machine *m, struct page *page, unsigned int order, gfp_t gfp_flags);
/* A block leaves the allocated state: checks that it is an allocated head of that order. */
bool free_pages_prepare(struct machine *m, struct page *page, unsigned int order);
/* Slow path seam (alloc/slowpath.c). */
struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac);

static inline void __mod_zone_freepage_state(struct zone *zone, long nr_pages, int migratetype)
{
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	if (migratetype == MIGRATE_CMA)
		__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, nr_pages);
}

#endif /* ALLOC_INTERNAL_H */
