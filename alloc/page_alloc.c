// SPDX-License-Identifier: GPL-2.0
/*
 * page_alloc.c - the allocation entry point and the fast path beneath it
 * (__alloc_pages_nodemask, get_page_from_freelist, rmqueue), the free path, watermarks,
 * and bad_page(). Linux 4.12's mm/page_alloc.c, remade for userspace.
 */
#define _LGPL_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc/cpuset.h"
#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/rcu.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};
const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable" };

/*
 * bad_page: report a page in a state it must not be in, as the kernel does, with the pfn
 * and what was expected and found. The caller leaves the page alone or takes it out of
 * circulation; the allocator goes on.
 */
void bad_page(struct machine *m, unsigned long pfn, const char *reason, const char *expected, const char *found)
{
	FILE *f = m && m->report ? m->report : stderr;

	fprintf(f, "BUG: Bad page state: pfn:%#lx: %s (expected %s, found %s)\n", pfn, reason, expected, found);
	fflush(f);
	if (m)
		atomic_fetch_add_explicit(&m->nr_bad_pages, 1, memory_order_relaxed);
	if (current_binding.cs)
		count_vm_event(BAD_PAGE);
}

/* One snapshot of the state: a racing free may be changing it (a report must not tear or race). */
void page_state_str(const struct page *p, char *buf, size_t n)
{
	uint32_t st = READ_ONCE(p->state);
	unsigned int flags = st & 0xff, order = (st >> 8) & 0xff;

	snprintf(buf, n, "flags %#x%s%s%s%s order %u", flags, flags & PG_buddy ? " (buddy)" : "",
		 flags & PG_pcp ? " (on a pcp list)" : "", flags & PG_head ? " (allocated)" : "",
		 flags & PG_hwpoison ? " (poisoned)" : "", order);
}

void vwarnf(struct machine *m, const char *fmt, va_list ap)
{
	FILE *f = m && m->report ? m->report : stderr;

	fputs("WARNING: ", f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

static void __attribute__((noinline, cold, format(printf, 2, 3))) warnf(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnf(m, fmt, ap);
	va_end(ap);
}

static void __attribute__((noinline, cold)) warn_bad_gfp(struct machine *m, gfp_t gfp_mask)
{
	char fl[160];

	gfp_format(gfp_mask, fl, sizeof(fl));
	warnf(m, "__alloc_pages_nodemask: impossible gfp combination %s", fl);
}

static void __attribute__((noinline, cold)) warn(struct machine *m, const char *what)
{
	FILE *f = m && m->report ? m->report : stderr;
	fprintf(f, "WARNING: %s\n", what);
	fflush(f);
}

/*
 * gfp_zone: the highest zone the flags allow, from GFP_ZONE_TABLE as 4.12 builds it: one
 * entry per combination of __GFP_DMA, __GFP_HIGHMEM, __GFP_DMA32 and __GFP_MOVABLE (bits
 * 0-3). The combinations it marks GFP_ZONE_BAD (two zone modifiers at once) are -1 here.
 * No highmem on 64-bit: __GFP_HIGHMEM alone is Normal; with __GFP_MOVABLE, Movable.
 */
static const int8_t gfp_zone_table[16] = {
	[0] = ZONE_NORMAL,
	[__GFP_DMA] = ZONE_DMA,
	[__GFP_HIGHMEM] = ZONE_NORMAL,
	[__GFP_DMA32] = ZONE_DMA32,
	[__GFP_MOVABLE] = ZONE_NORMAL,
	[__GFP_MOVABLE | __GFP_DMA] = ZONE_DMA,
	[__GFP_MOVABLE | __GFP_HIGHMEM] = ZONE_MOVABLE,
	[__GFP_MOVABLE | __GFP_DMA32] = ZONE_DMA32,
	[__GFP_DMA | __GFP_HIGHMEM] = -1,
	[__GFP_DMA | __GFP_DMA32] = -1,
	[__GFP_HIGHMEM | __GFP_DMA32] = -1,
	[__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32] = -1,
	[__GFP_MOVABLE | __GFP_DMA | __GFP_HIGHMEM] = -1,
	[__GFP_MOVABLE | __GFP_DMA | __GFP_DMA32] = -1,
	[__GFP_MOVABLE | __GFP_HIGHMEM | __GFP_DMA32] = -1,
	[__GFP_MOVABLE | __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32] = -1,
};
_Static_assert(__GFP_DMA == 1 && __GFP_HIGHMEM == 2 && __GFP_DMA32 == 4 && __GFP_MOVABLE == 8,
	       "gfp_zone_table is indexed by the four zone bits");

static inline int __gfp_zone(gfp_t flags) { return gfp_zone_table[flags & 0xf]; }
int gfp_zone(gfp_t flags) { return __gfp_zone(flags); }

int gfpflags_to_migratetype(gfp_t gfp_flags)
{
	if ((gfp_flags & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK)
		return -1;      /* both bits: the kernel's VM_BUG_ON */
	return (int)((gfp_flags & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}

/*
 * __zone_watermark_ok: free pages (minus what the request itself takes) must stay above
 * the mark plus the reserve kept for lower classzones. ALLOC_HIGH halves the mark,
 * ALLOC_HARDER takes a further quarter off and may use the highatomic reserve. For
 * order > 0 a free block of at least that order must exist on a usable list.
 */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int classzone_idx,
			 unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	const bool alloc_harder = alloc_flags & ALLOC_HARDER;

	free_pages -= (1L << order) - 1;
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (likely(!alloc_harder))
		free_pages -= READ_ONCE(z->nr_reserved_highatomic);
	else
		min -= min / 4;
	if (!(alloc_flags & ALLOC_CMA))
		free_pages -= zone_page_state(z, NR_FREE_CMA_PAGES);
	if (free_pages <= min + READ_ONCE(z->lowmem_reserve[classzone_idx]))
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &z->free_area[o];
		if (!READ_ONCE(area->nr_free))
			continue;
		if (alloc_harder)
			return true;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!pagelist_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & ALLOC_CMA) && !pagelist_empty(&area->free_list[MIGRATE_CMA]))
			return true;
	}
	return false;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int classzone_idx, unsigned int alloc_flags)
{
	VT_CHARGE(WATERMARK, 1);
	VT_ZONE_LINE(z, VT_LINE_FREE_COUNT, false);
	return __zone_watermark_ok(z, order, mark, classzone_idx, alloc_flags, zone_page_state(z, NR_FREE_PAGES));
}

/* The order-0 shortcut: one counter read and a compare when comfortably above the mark. */
static inline bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark, int classzone_idx,
				       unsigned int alloc_flags)
{
	long free_pages = zone_page_state(z, NR_FREE_PAGES);

	VT_CHARGE(WATERMARK, 1);
	VT_ZONE_LINE(z, VT_LINE_FREE_COUNT, false);
	if (!order && free_pages > (long)mark + READ_ONCE(z->lowmem_reserve[classzone_idx]))
		return true;
	return __zone_watermark_ok(z, order, mark, classzone_idx, alloc_flags, free_pages);
}

unsigned int gfp_to_alloc_flags(gfp_t gfp_mask)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	if (gfp_mask & __GFP_HIGH)
		alloc_flags |= ALLOC_HIGH;
	if (gfp_mask & __GFP_ATOMIC) {
		/* __GFP_NOMEMALLOC keeps it off the atomic reserves, but it skips cpusets all the same */
		if (!(gfp_mask & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_HARDER;
		alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

static void __attribute__((noinline)) clear_highpage(struct machine *m, struct page *page, unsigned int order)
{
	memset(__page_address(m, page), 0, PAGE_SIZE << order);
	VT_CHARGE(ZERO_PAGE, 1UL << order);
}

void prep_new_page(struct machine *m, struct page *page, unsigned int order, gfp_t gfp_flags)
{
	WRITE_ONCE(page->private, 0);   /* a racing double free may be marking it (PAGE_PCP_TAGGED) */
	WRITE_ONCE(page->state, PAGE_STATE(PG_head, order, 0));
	if (unlikely(gfp_flags & __GFP_ZERO) && m->arena)
		clear_highpage(m, page, order);
}

/*
 * rmqueue: small orders come from this CPU's lists; the rest, and whatever the lists
 * cannot serve, from the buddy under zone->lock.
 */
/* 5.0+: a fallback boosted the watermark; wake kswapd now (the node may look balanced). */
static void boosted_wakeup(struct zone *zone, gfp_t gfp_flags)
{
	if (likely(!(atomic_load_explicit(&zone->flags, memory_order_relaxed) & ZONE_BOOSTED_WATERMARK)) ||
	    !(gfp_flags & __GFP_KSWAPD_RECLAIM))
		return;
	atomic_fetch_and_explicit(&zone->flags, ~(unsigned long)ZONE_BOOSTED_WATERMARK, memory_order_relaxed);
	wakeup_kswapd(zone, 0, zone->idx);
}

static struct page *rmqueue(struct zone *preferred_zone, struct zone *zone, unsigned int order, gfp_t gfp_flags,
			    unsigned int alloc_flags, int migratetype)
{
	struct machine *m = zone->zone_pgdat->machine;
	struct page *page;

	if (likely(pcp_allowed_order(m, order))) {
		bool bypassed = false;
		page = rmqueue_pcplist(preferred_zone, zone, order, gfp_flags, migratetype, alloc_flags, &bypassed);
		boosted_wakeup(zone, gfp_flags);
		if (likely(page) || !bypassed)
			return page;
	}
	zone_lock(zone);
	for (;;) {
		page = NULL;
		if (alloc_flags & ALLOC_HARDER)
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
		if (!page)
			page = __rmqueue(zone, order, migratetype);
		if (!page || likely(!check_new_pages(zone, page, order)))
			break;
		__mod_zone_freepage_state(zone, -(1L << order), page->mt);     /* leaked, as the kernel does */
	}
	zone_unlock(zone);
	boosted_wakeup(zone, gfp_flags);
	if (!page)
		return NULL;
	__mod_zone_freepage_state(zone, -(1L << order), page->mt);
	count_vm_events(PGALLOC_ZONE_LOCKED, 1L << order);
	count_vm_events(PGALLOC_DMA + zone->idx, 1L << order);
	zone_statistics(preferred_zone, zone);
	return page;
}

/* Walk the zonelist; take from the first zone whose watermark allows it. */
struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order, int alloc_flags, const struct alloc_context *ac)
{
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		VT_CHARGE(ZONELIST_ZONE, 1);
		if (z->zone_idx > (int)ac->high_zoneidx)
			continue;
		if (ac->nodemask && !node_isset(zone->node, ac->nodemask))
			continue;
		if (cpusets_enabled() && (alloc_flags & ALLOC_CPUSET) && !__cpuset_zone_allowed(zone, gfp_mask))
			continue;
		/*
		 * 6.7+: a zone found below its high watermark is flagged ZONE_BELOW_HIGH: its pcp
		 * high then shrinks on frees and stops growing on refills, until a drain brings the
		 * zone back above high.
		 */
		if (ac->m->pcp_policy->below_high &&
		    !(atomic_load_explicit(&zone->flags, memory_order_relaxed) & ZONE_BELOW_HIGH) &&
		    !zone_watermark_fast(zone, order, high_wmark_pages(zone), ac_classzone_idx(ac), alloc_flags))
			atomic_fetch_or_explicit(&zone->flags, ZONE_BELOW_HIGH, memory_order_relaxed);
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			/* READ_ONCE: memory hotplug recomputes watermarks while we allocate */
			unsigned long mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
			if (!zone_watermark_fast(zone, order, mark, ac_classzone_idx(ac), alloc_flags))
				continue;       /* node_reclaim_mode is 0 */
		}
		struct page *page = rmqueue(ac->preferred_zoneref->zone, zone, order, gfp_mask, alloc_flags, ac->migratetype);
		if (page) {
			VT_PAGE_LINE(zone, page_idx(zone, page));
			prep_new_page(ac->m, page, order, gfp_mask);
			if (unlikely(order && (alloc_flags & ALLOC_HARDER)))
				reserve_highatomic_pageblock(page, zone, order);
			return page;
		}
	}
	return NULL;
}

static inline bool prepare_alloc_pages(gfp_t gfp_mask, unsigned int order, struct zonelist *zonelist,
				       nodemask_t *nodemask, struct alloc_context *ac)
{
	int high = __gfp_zone(gfp_mask);
	int mt = gfpflags_to_migratetype(gfp_mask);

	if (unlikely(high < 0 || mt < 0)) {
		warn_bad_gfp(ac->m, gfp_mask);
		return false;
	}
	ac->high_zoneidx = (enum zone_type)high;
	ac->zonelist = zonelist;
	ac->nodemask = nodemask;
	ac->migratetype = mt;
	return true;
}

/* finalise_ac: the first zone of the zonelist this request may use. */
static inline void finalise_ac(struct alloc_context *ac)
{
	struct zoneref *z = ac->zonelist->_zonerefs;

	while (z->zone && (z->zone_idx > (int)ac->high_zoneidx ||
			   (ac->nodemask && !node_isset(z->zone->node, ac->nodemask))))
		z++;
	ac->preferred_zoneref = z;
}

/*
 * The first attempt in its most common form, kept lean: get_page_from_freelist's first
 * iteration for an order-0 request when the preferred zone (z, as finalise_ac picked it)
 * passes its watermark and this CPU's list has a block (rmqueue_pcplist_fast). In every
 * other case - a higher order, a nodemask or cpuset, no such zone, a refill, a cold or
 * zeroing request, a busy pcp - it changes nothing and returns NULL, and the general walk
 * runs from the start. fast_gfp_zone() is the caller's half: -1 when the gfp mask is not
 * one this path takes, else the highest zone type it may use.
 */
static inline int fast_gfp_zone(gfp_t gfp_mask, unsigned int order)
{
	int high = __gfp_zone(gfp_mask);

	if (unlikely(order || gfpflags_to_migratetype(gfp_mask) < 0 || cpusets_enabled() ||
		     (gfp_mask & (__GFP_ZERO | __GFP_THISNODE))))
		return -1;
	return high;
}

static __hot_inline struct page *
get_page_from_freelist_fast(struct machine *m, struct cpu_state *cs, gfp_t gfp_mask, const struct zoneref *z,
			    bool local, enum pcp_policy_id pid, enum pcp_scheme_id scheme)
{
	struct zone *zone = z->zone;

	if (unlikely(!zone))
		return NULL;
	/*
	 * zone_watermark_fast's order-0 test; 6.7+: above the high mark, try the zone at once.
	 * The counter unclamped: a negative value fails the test just as zone_page_state's 0 does.
	 */
	long free_pages = atomic_load_explicit(&zone->vm_stat[NR_FREE_PAGES], memory_order_relaxed);
	unsigned long mark;

	VT_CHARGE(WATERMARK, 1);
	VT_ZONE_LINE(zone, VT_LINE_FREE_COUNT, false);
	if (pcp_policy(pid)->below_high && !(atomic_load_explicit(&zone->flags, memory_order_relaxed) & ZONE_BELOW_HIGH))
		mark = high_wmark_pages(zone);
	else
		mark = wmark_pages(zone, ALLOC_WMARK_LOW);
	if (unlikely(free_pages <= (long)(mark + READ_ONCE(zone->lowmem_reserve[z->zone_idx]))))
		return NULL;    /* near the mark: the general path checks in full */
	struct page *page = rmqueue_pcplist_fast(cs, zone, gfp_mask, gfpflags_to_migratetype(gfp_mask), local, pid,
						 scheme);
	if (likely(page)) {
		VT_PAGE_LINE(zone, page_idx(zone, page));
		WRITE_ONCE(page->private, 0);   /* prep_new_page, without __GFP_ZERO */
		WRITE_ONCE(page->state, PAGE_STATE(PG_head, 0, 0));
	}
	return page;
}

static struct page *__alloc_pages_nodemask_general(struct machine *m, gfp_t gfp_mask, unsigned int order,
						   struct zonelist *zonelist, nodemask_t *nodemask);

/* Always inline (LTO carries it to callers), as alloc_pages_node: the fast attempt, then a call. */
__hot_inline struct page *__alloc_pages_nodemask(gfp_t gfp_mask, unsigned int order, struct zonelist *zonelist,
						    nodemask_t *nodemask)
{
	struct machine *m = current_machine();
	struct cpu_state *cs = current_binding.cs;
	int high;

	if (likely(cs) && !nodemask && (high = fast_gfp_zone(gfp_mask, order)) >= 0) {
		const struct zoneref *z = zonelist->_zonerefs;  /* finalise_ac */
		while (z->zone && z->zone_idx > high)
			z++;
		struct page *page = pcp_fast_dispatch(m, get_page_from_freelist_fast, m, cs, gfp_mask, z, false);
		if (likely(page))
			return page;    /* counted once, in fast_alloc: pgalloc_calls too */
	}
	return __alloc_pages_nodemask_general(m, gfp_mask, order, zonelist, nodemask);
}

static struct page *__attribute__((noinline)) __alloc_pages_nodemask_general(struct machine *m, gfp_t gfp_mask,
									      unsigned int order,
									      struct zonelist *zonelist,
									      nodemask_t *nodemask)
{
	struct alloc_context ac = { .m = m };
	struct page *page;

	if (unlikely(!ac.m)) {
		warn(NULL, "__alloc_pages_nodemask: this thread is not bound to a CPU (call cpu_bind first)");
		return NULL;
	}
	count_vm_event(PGALLOC_CALLS);
	if (unlikely(order >= MAX_ORDER)) {
		if (!(gfp_mask & __GFP_NOWARN))
			warnf(ac.m, "__alloc_pages_nodemask: order %u >= MAX_ORDER (%d)", order, MAX_ORDER);
		return NULL;
	}
	if (unlikely((gfp_mask & __GFP_NOFAIL) && order > 1))
		warn(ac.m, "__alloc_pages_nodemask: __GFP_NOFAIL with order > 1");
	if (unlikely(!prepare_alloc_pages(gfp_mask, order, zonelist, nodemask, &ac)))
		return NULL;
	/* cpusets (4.12 prepare_alloc_pages): the fast path is hardwall, within mems_allowed */
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	gfp_t alloc_mask = gfp_mask;
	if (cpusets_enabled()) {
		alloc_mask |= __GFP_HARDWALL;
		if (!ac.nodemask)
			ac.nodemask = &current_cpuset.mems_allowed;
		else
			alloc_flags |= ALLOC_CPUSET;
	}
	finalise_ac(&ac);
	if (unlikely(!ac.preferred_zoneref->zone))
		goto slow;      /* no usable zone: the slow path decides (it fails) */

	/* First attempt: the low watermark. */
	page = get_page_from_freelist(alloc_mask, order, alloc_flags, &ac);
	if (likely(page))
		return page;
slow:
	/* Restore the caller's nodemask if the fast path used mems_allowed; restart the walk. */
	if (unlikely(ac.nodemask != nodemask)) {
		ac.nodemask = nodemask;
		finalise_ac(&ac);
	}
	count_vm_event(PGALLOC_SLOWPATH);
	page = __alloc_pages_slowpath(gfp_mask, order, &ac);
	if (!page)
		count_vm_event(PGALLOC_FAIL);
	return page;
}

/*
 * Take the head of the local fallback zonelist into cs->zl_head (under the read lock). A
 * head on another node (a memoryless node's CPU) is kept as none: the kept-head attempt
 * then counts its hit as numa_local without asking, and such a CPU goes the general way.
 */
static void zonelist_head_take(struct cpu_state *cs, const struct zonelist *zl)
{
	for (int high = 0; high < MAX_NR_ZONES; high++) {
		const struct zoneref *z = zl->_zonerefs;
		while (z->zone && z->zone_idx > high)
			z++;
		cs->zl_head[high] = *z;
		if (z->zone && z->zone->node != cs->node)
			cs->zl_head[high].zone = NULL;
	}
	cs->zl_gen = (unsigned long)zl->generation;
}

/* tried: the caller made the first attempt from cs->zl_head; not again from the same list. */
static struct page *__attribute__((noinline)) alloc_pages_node_general(int nid, gfp_t gfp_mask, unsigned int order,
									bool tried)
{
	struct machine *m = current_machine();
	struct page *page;

	if (unlikely(!m)) {
		warn(NULL, "alloc_pages: this thread is not bound to a CPU (call cpu_bind first)");
		return NULL;
	}
	struct cpu_state *cs = current_binding.cs;
	bool local = nid < 0;
	if (nid < 0)
		nid = numa_node_id();
	if (unlikely(nid >= m->nr_nodes || !m->node_data[nid] || !READ_ONCE(m->node_data[nid]->online))) {
		warnf(m, "alloc_pages_node: node %d is not online", nid);
		return NULL;
	}
	zonelist_read_lock();
	struct zonelist *zl = node_zonelist(m, nid, gfp_mask);
	if (tried && cs->zl_gen == (unsigned long)zl->generation) {
		page = __alloc_pages_nodemask_general(m, gfp_mask, order, zl, NULL);
	} else {
		if (local && cs && !(gfp_mask & __GFP_THISNODE))
			zonelist_head_take(cs, zl);
		page = __alloc_pages_nodemask(gfp_mask, order, zl, NULL);
	}
	zonelist_read_unlock();
	return page;
}

/*
 * alloc_pages_node for the local node makes __alloc_pages_nodemask's first attempt itself,
 * from the head of the zonelist this CPU took last (cs->zl_head), while the lists have not
 * been rebuilt since: a hit then reads no zonelist and needs no read-side section. A
 * rebuild that lands between the generation check and the allocation is the same as one
 * published while an RCU reader is inside its section: the zone named is never freed, and
 * its watermark and the pcp protocol guard everything taken from it. Anything else goes
 * the general way, which takes the head again.
 */
__hot_inline struct page *alloc_pages_node(int nid, gfp_t gfp_mask, unsigned int order)
{
	struct cpu_state *cs = current_binding.cs;      /* a CPU: bound, so the machine is set too */
	struct machine *m = current_machine();
	int high;

	if (likely(cs && nid < 0) && (high = fast_gfp_zone(gfp_mask, order)) >= 0 &&
	    likely(cs->zl_gen == atomic_load_explicit(&m->zonelist_generation, memory_order_relaxed))) {
		struct page *page = pcp_fast_dispatch(m, get_page_from_freelist_fast, m, cs, gfp_mask, &cs->zl_head[high], true);
		if (likely(page))
			return page;    /* counted once, in fast_alloc: pgalloc_calls too */
		return alloc_pages_node_general(nid, gfp_mask, order, true);
	}
	return alloc_pages_node_general(nid, gfp_mask, order, false);
}

__hot_inline struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	return alloc_pages_node(-1, gfp_mask, order);
}

/*
 * free_pages_prepare: the block must be the head of an allocated block of this order.
 * A double free, a free of a tail or of a never-allocated frame is reported and ignored;
 * a free with the wrong order is reported and the block is taken out of circulation
 * (we can no longer trust either order), so the lists stay consistent.
 */
/* The reports live out of line: the hot paths keep no buffers (and no stack-protector canary). */
static void __attribute__((noinline, cold)) bad_free_impossible_order(struct machine *m, unsigned long pfn, unsigned int order)
{
	char found[32];

	snprintf(found, sizeof(found), "order %u", order);
	bad_page(m, pfn, "free with an impossible order", "order < MAX_ORDER", found);
}

static void __attribute__((noinline, cold)) bad_free_state(struct machine *m, struct page *page, unsigned int order)
{
	char found[96], expected[64];
	unsigned int flags = READ_ONCE(page->state) & 0xff;
	const char *reason = (flags & (PG_buddy | PG_pcp)) ? "double free: page is already free"
			     : (flags & PG_hwpoison)          ? "free of a page taken out of circulation"
							      : "free of a page that is not an allocated block head";

	page_state_str(page, found, sizeof(found));
	snprintf(expected, sizeof(expected), "an allocated block of order %u", order);
	bad_page(m, __page_to_pfn(m, page), reason, expected, found);
}

static void __attribute__((noinline, cold)) bad_free_tail(struct machine *m, struct page *page, unsigned long i,
							   unsigned int order)
{
	char found[64], reason[96];

	page_state_str(&page[i], found, sizeof(found));
	snprintf(reason, sizeof(reason), "free of an order-%u block whose tail page %lu is not clean", order, i);
	bad_page(m, __page_to_pfn(m, page) + i, reason, "flags 0", found);
}

static void __attribute__((noinline, cold)) bad_free_order(struct machine *m, struct page *page, unsigned int order)
{
	char found[32], expected[64];

	snprintf(expected, sizeof(expected), "order %u (as allocated)", (READ_ONCE(page->state) >> 8) & 0xff);
	snprintf(found, sizeof(found), "order %u", order);
	bad_page(m, __page_to_pfn(m, page), "free with the wrong order; block taken out of circulation", expected, found);
	WRITE_ONCE(page->flags, (uint8_t)PG_hwpoison);
}

/*
 * The test and the clear are one compare-and-swap: two frees of one page through here at
 * once cannot both pass (this is the general path; the inline free's plain mark is
 * settled by the pcp tag instead, see PAGE_PCP_TAGGED).
 */
bool free_pages_prepare(struct machine *m, struct page *page, unsigned int order)
{
	uint32_t st = READ_ONCE(page->state);

	if (unlikely(order))
		VT_CHARGE(CHECK_PAGE, (1UL << order) - 1);
	for (;;) {
		if (unlikely(!(st & PG_head))) {
			bad_free_state(m, page, order);
			return false;
		}
		if (unlikely(((st >> 8) & 0xff) != order)) {
			bad_free_order(m, page, order);
			return false;
		}
		/* the tails, as the kernel's free_pages_prepare checks each (free_page_is_bad) */
		for (unsigned long i = 1; i < (1UL << order); i++)
			if (unlikely(READ_ONCE(page[i].flags))) {
				bad_free_tail(m, page, i, order);
				return false;
			}
		if (likely(__atomic_compare_exchange_n(&page->state, &st, st & ~(uint32_t)0xff, false, __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED)))
			return true;
	}
}

static void __free_pages_general(struct page *page, unsigned int order);
static void __free_pages_prepared(struct machine *m, struct zone *zone, struct page *page, unsigned long pfn,
				  unsigned int order);

static void __free_pages_pfn(struct machine *m, unsigned long pfn, unsigned int order)
{
	struct zone *zone = pfn_zone(m, pfn);

	if (unlikely(!zone)) {
		bad_page(m, pfn, "free of a pfn outside every zone", "a pfn in a populated zone", "none");
		return;
	}
	if (unlikely(order >= MAX_ORDER)) {
		bad_free_impossible_order(m, pfn, order);
		return;
	}
	struct page *page = __pfn_to_page(m, pfn);
	if (unlikely(!free_pages_prepare(m, page, order)))
		return;
	__free_pages_prepared(m, zone, page, pfn, order);
}

/* The rest of a free whose page free_pages_prepare (or the inline free) has claimed. */
static void __free_pages_prepared(struct machine *m, struct zone *zone, struct page *page, unsigned long pfn,
				  unsigned int order)
{
	count_vm_events(PGFREE, 1L << order);
	VT_PAGE_LINE(zone, page_idx(zone, page));
	int migratetype = get_pageblock_migratetype_pfn(m, pfn);
	if (likely(pcp_allowed_order(m, order)) && free_unref_page(zone, page, pfn, order, migratetype, 0))
		return;
	free_one_page(zone, page, pfn, order, migratetype);
}

/* The inline free claimed the page, then found it needs more than a list push (a drain, a retarget that failed). */
static void __attribute__((noinline)) free_pages_claimed(struct machine *m, unsigned long pfn, unsigned int order)
{
	struct zone *zone = pfn_zone(m, pfn);

	if (unlikely(!zone)) {  /* a head in no zone (its block offlined under it): nothing to free it to */
		bad_page(m, pfn, "free of a pfn outside every zone", "a pfn in a populated zone", "none");
		return;
	}
	__free_pages_prepared(m, zone, __pfn_to_page(m, pfn), pfn, order);
}

/*
 * The common free, kept lean: an allocated order-0 page that goes onto this CPU's list
 * without a drain (free_unref_page_fast). The pageblock gives the zone and the
 * migratetype; a pfn of no zone, a bad block, an isolated or pcp-ineligible one all
 * return false having changed nothing, and __free_pages_pfn checks and reports.
 *
 * The list is the one this CPU freed to last (cs->free_key) while the pageblock names it:
 * the pageblock's bytes then only decide a branch, and the list's address does not wait
 * for them. The next allocation loads list->nr, which this free stores, so an address
 * that hung on the pageblock load (and on zone_table and zone->pageset after it) put all
 * three on the critical path of every alloc+free pair. Another list takes the call below.
 */
static bool __attribute__((noinline)) free_pages_fast_retarget(struct machine *m, struct cpu_state *cs,
								struct page *page, unsigned int key)
{
	unsigned int zone_id = key & 0xff, migratetype = key >> 8;

	if (unlikely(!zone_id || migratetype >= MIGRATE_PCPTYPES))
		return false;
	struct zone *zone = zone_of_id(m, zone_id);
	cs->free_key = key;
	cs->free_zone = zone;
	return pcp_fast_dispatch(m, free_unref_page_fast, zone, page, (int)migratetype);
}

/* What the inline free did: nothing (the general path checks and reports), all, or claimed the page only. */
enum fast_free { FREE_UNTOUCHED, FREE_DONE, FREE_CLAIMED };

static __hot_inline enum fast_free free_pages_fast(struct machine *m, struct cpu_state *cs, struct page *page,
						      unsigned long pfn, unsigned int order)
{
	if (unlikely(order))
		return FREE_UNTOUCHED;  /* order 0 only: 6.x's higher orders may set off free_high */
	const struct pageblock *pb = &m->pageblocks[pfn >> pageblock_order];
	unsigned int key = READ_ONCE(pb->key);  /* zone_id | migratetype << 8; hotplug and steals write them */
	/*
	 * free_pages_prepare: only an allocated head of this order passes, and the test and the
	 * clear are one compare-and-swap - the model's put_page_testzero, the free's one
	 * atomic, as the kernel's free has its refcount's. Of two frees of one page at once
	 * exactly one claims it; the other changes nothing and the general path reports it.
	 * (Plain stores cannot do it: a free delayed between its test and its store would
	 * land the store on a page that has moved on. The allocation side has no atomic.)
	 * One load of the whole state, the width prep_new_page stored it with: a byte load
	 * of page->order is not forwarded from that store and waits for it to reach the cache.
	 */
	uint32_t state = READ_ONCE(page->state);
	if (unlikely((state & PAGE_STATE(PG_head, 0xff, 0)) != PAGE_STATE(PG_head, order, 0)) ||
	    unlikely(!__atomic_compare_exchange_n(&page->state, &state, state & ~(uint32_t)0xff, false, __ATOMIC_RELAXED,
						  __ATOMIC_RELAXED)))
		return FREE_UNTOUCHED;
	if (unlikely(key != cs->free_key))
		return free_pages_fast_retarget(m, cs, page, key) ? FREE_DONE : FREE_CLAIMED;
	/*
	 * The hint's zone and migratetype: equal to the pageblock's, and loaded afresh so that
	 * the compiler, which knows they are equal, cannot take the pageblock's instead.
	 */
	unsigned int migratetype = READ_ONCE(cs->free_key) >> 8;
	if (migratetype >= MIGRATE_PCPTYPES)
		__builtin_unreachable();        /* retarget keeps only pcp types */
	return pcp_fast_dispatch(m, free_unref_page_fast, READ_ONCE(cs->free_zone), page, (int)migratetype) ? FREE_DONE
														 : FREE_CLAIMED;
}

__hot_inline void __free_pages(struct page *page, unsigned int order)
{
	struct cpu_state *cs = current_binding.cs;      /* a CPU: bound, so the machine is set too */

	if (likely(cs)) {
		struct machine *m = current_machine();
		/* one unsigned compare: a pointer below mem_map wraps to a huge offset */
		uintptr_t off = (uintptr_t)page - (uintptr_t)m->mem_map;
		if (likely(off < m->max_pfn * sizeof(struct page) && !(off % sizeof(struct page)))) {
			enum fast_free r = free_pages_fast(m, cs, page, off / sizeof(struct page), order);
			if (likely(r == FREE_DONE))
				return;
			if (r == FREE_CLAIMED) {
				free_pages_claimed(m, off / sizeof(struct page), order);
				return;
			}
		}
	}
	__free_pages_general(page, order);
}

static void __attribute__((noinline)) __free_pages_general(struct page *page, unsigned int order)
{
	struct machine *m = current_machine();

	if (unlikely(!m)) {
		warn(NULL, "__free_pages: this thread is not bound to a CPU (call cpu_bind first)");
		return;
	}
	uintptr_t off = (uintptr_t)page - (uintptr_t)m->mem_map;
	if (unlikely(off >= m->max_pfn * sizeof(struct page))) {
		bad_page(m, (unsigned long)((intptr_t)off / (intptr_t)sizeof(struct page)), "free of a page outside mem_map",
			 "a page of this machine", "a foreign pointer");
		return;
	}
	if (unlikely(off % sizeof(struct page))) {
		bad_page(m, off / sizeof(struct page), "free of a pointer into the middle of a struct page",
			 "a struct page of this machine", "a misaligned pointer");
		return;
	}
	__free_pages_pfn(m, off / sizeof(struct page), order);
}

void free_pages_pfn(unsigned long pfn, unsigned int order)
{
	struct machine *m = current_machine();

	if (unlikely(!m)) {
		warn(NULL, "free_pages_pfn: this thread is not bound to a CPU (call cpu_bind first)");
		return;
	}
	struct cpu_state *cs = current_binding.cs;
	if (likely(cs && pfn < m->max_pfn)) {
		enum fast_free r = free_pages_fast(m, cs, __pfn_to_page(m, pfn), pfn, order);
		if (likely(r == FREE_DONE))
			return;
		if (r == FREE_CLAIMED) {
			free_pages_claimed(m, pfn, order);
			return;
		}
	}
	__free_pages_pfn(m, pfn, order);
}
