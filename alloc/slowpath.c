// SPDX-License-Identifier: GPL-2.0
/*
 * slowpath.c - __alloc_pages_slowpath, the part that needs no reclaim yet: recompute
 * alloc flags (min watermark, __GFP_HIGH, atomic reserves), retry, drain the per-CPU
 * lists and retry, give back highatomic reserves, and __GFP_NOFAIL's endless retry.
 * kswapd, direct reclaim and compaction plug in here (issue: the slow path).
 */
#include <sched.h>

#include "alloc/internal.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp_mask);
	bool drained = false;
	struct page *page;

	if (!ac->preferred_zoneref->zone)
		return NULL;
retry:
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		return page;
	/* __GFP_MEMALLOC: the reserves are there for whoever frees memory */
	if ((gfp_mask & __GFP_MEMALLOC) && !(gfp_mask & __GFP_NOMEMALLOC)) {
		page = get_page_from_freelist(gfp_mask, order, ALLOC_NO_WATERMARKS, ac);
		if (page)
			return page;
	}
	/* Pages may sit on other CPUs' lists: drain them and try once more. */
	if (!drained) {
		unreserve_highatomic_pageblock(ac, false);
		drain_all_pages(ac->m, NULL);
		drained = true;
		goto retry;
	}
	if (gfp_mask & __GFP_NOFAIL) {
		/* loops until another thread frees memory, as the kernel does */
		sched_yield();
		drained = false;
		goto retry;
	}
	return NULL;
}
