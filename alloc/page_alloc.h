/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_alloc.h - the allocator's public interface, with the kernel's names.
 *
 * A thread must be bound to one of the machine's CPUs (cpu_bind) before it allocates
 * or frees: the CPU decides the pcp lists, the counters and the preferred node.
 */
#ifndef ALLOC_PAGE_ALLOC_H
#define ALLOC_PAGE_ALLOC_H

#include "alloc/gfp.h"
#include "alloc/machine.h"
#include "alloc/mmzone.h"

/*
 * The zonelist is RCU-protected (alloc/rcu.h): a caller that passes its own zonelist must
 * hold the read-side lock from node_zonelist() until this returns, since the allocation
 * (slow path included) walks the list and a concurrent rebuild (build_all_zonelists,
 * memory hotplug) frees the old one after a grace period:
 *
 *     zonelist_read_lock();
 *     page = __alloc_pages_nodemask(gfp, order, node_zonelist(m, nid, gfp), &mask);
 *     zonelist_read_unlock();
 *
 * alloc_pages / alloc_pages_node do this themselves. nodemask NULL: every node (or, for
 * a thread in a cpuset, its mems_allowed: alloc/cpuset.h). The thread must be bound to a
 * CPU (cpu_bind registers it with liburcu).
 */
struct page *__alloc_pages_nodemask(gfp_t gfp_mask, unsigned int order, struct zonelist *zonelist,
				    nodemask_t *nodemask);
/* The current CPU's node's zonelist. */
struct page *alloc_pages(gfp_t gfp_mask, unsigned int order);
/* nid's zonelist (nid < 0: the current node). */
struct page *alloc_pages_node(int nid, gfp_t gfp_mask, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
static inline struct page *alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }
static inline void __free_page(struct page *page) { __free_pages(page, 0); }
/* Free by pfn (what trace replay and bad-input tests use). */
void free_pages_pfn(unsigned long pfn, unsigned int order);

/* gfp decoding, as the kernel does it. gfp_zone returns -1 for an impossible combination. */
int gfp_zone(gfp_t flags);
int gfpflags_to_migratetype(gfp_t gfp_flags);

/* Zonelists (alloc/zonelist.c): read inside zonelist_read_lock() .. zonelist_read_unlock()
 * (alloc/rcu.h). build_all_zonelists waits for a grace period: never call it inside one. */
static inline struct zonelist *node_zonelist(struct machine *m, int nid, gfp_t flags)
{
	int idx = (flags & __GFP_THISNODE) ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK;
	return atomic_load_explicit(&m->node_data[nid]->node_zonelists[idx], memory_order_consume);
}
int build_all_zonelists(struct machine *m);
int zonelist_format(struct zonelist *zl, char *buf, size_t size); /* "0:Normal 0:DMA32 1:Normal ..." */

/* Consistency checker: 0 when every invariant holds; else -1 and the first problem in err.
 * Callers must make sure no other thread allocates or frees meanwhile. */
int check_machine(struct machine *m, char *err, size_t errlen);
/* What the checker computes, for tests and benchmarks. */
struct zone_census {
	unsigned long free_pages;       /* on the buddy lists */
	unsigned long pcp_pages;        /* on per-CPU lists */
	unsigned long allocated_pages;  /* in allocated blocks */
	unsigned long poisoned_pages;   /* taken out of circulation by bad_page() */
};
void zone_census(struct zone *zone, struct zone_census *c);

#endif /* ALLOC_PAGE_ALLOC_H */
