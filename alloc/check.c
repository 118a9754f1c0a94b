// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - the consistency checker: every free list well formed, no overlapping or
 * unmerged buddies, nr_free and NR_FREE_PAGES equal to what the lists hold, per-CPU
 * counts equal to their lists, and conservation per zone:
 *   free (buddy) + on per-CPU lists + allocated + poisoned = managed.
 * Callers quiesce the machine first (no concurrent allocation or free).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

/* One pcp list's blocks: each must be marked PG_pcp; their pages add up to pcp->count. */
struct pcp_check {
	struct zone *zone;
	int cpu, l;
	long pages;
	char *err;
	size_t errlen;
};

static bool check_pcp_block(struct page *p, void *arg)
{
	struct pcp_check *pc = arg;

	if (p->flags != PG_pcp) {
		errf(pc->err, pc->errlen, "%d:%s cpu %d pcp list %d: pfn %#lx has flags %#x", pc->zone->node, pc->zone->name,
		     pc->cpu, pc->l, pc->zone->zone_start_pfn + page_idx(pc->zone, p), p->flags);
		return false;
	}
	pc->pages += 1L << p->order;
	return true;
}

static bool pfn_present(const struct machine *m, unsigned long pfn)
{
	for (int r = 0; r < m->desc.nr_ranges; r++)
		if (pfn >= m->desc.ranges[r].start_pfn && pfn < m->desc.ranges[r].end_pfn)
			return true;
	return false;
}

/* Walk the zone's frames once; every present frame belongs to exactly one block or is reserved. */
static int census_scan(struct zone *zone, struct zone_census *c, char *err, size_t errlen)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long reserved = 0;

	memset(c, 0, sizeof(*c));
	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);) {
		struct page *p = __pfn_to_page(m, pfn);
		uint8_t f = p->flags & (PG_buddy | PG_pcp | PG_head | PG_hwpoison);
		if (!f) {
			if (p->flags & PG_reserved)
				reserved++;
			else if (pfn_present(m, pfn))
				return errf(err, errlen, "%d:%s pfn %#lx: present frame in no block (lost)", zone->node, zone->name, pfn);
			pfn++;
			continue;
		}
		if (f & (f - 1))
			return errf(err, errlen, "%d:%s pfn %#lx: conflicting flags %#x", zone->node, zone->name, pfn, p->flags);
		unsigned long n = 1UL << p->order;
		if (p->order >= MAX_ORDER || (pfn & (n - 1)) || pfn + n > zone_end_pfn(zone))
			return errf(err, errlen, "%d:%s pfn %#lx: block of order %u is misaligned or crosses the zone end",
				    zone->node, zone->name, pfn, p->order);
		for (unsigned long t = 1; t < n; t++)
			if (m->mem_map[pfn + t].flags & (PG_buddy | PG_pcp | PG_head | PG_hwpoison | PG_reserved))
				return errf(err, errlen, "%d:%s pfn %#lx: overlaps the order-%u block at %#lx", zone->node,
					    zone->name, pfn + t, p->order, pfn);
		if (f == PG_buddy)
			c->free_pages += n;
		else if (f == PG_pcp)
			c->pcp_pages += n;
		else if (f == PG_head)
			c->allocated_pages += n;
		else
			c->poisoned_pages += n;
		pfn += n;
	}
	if (c->free_pages + c->pcp_pages + c->allocated_pages + c->poisoned_pages != zone->managed_pages)
		return errf(err, errlen,
			    "%d:%s conservation: free %lu + pcp %lu + allocated %lu + poisoned %lu = %lu, managed %lu (reserved %lu)",
			    zone->node, zone->name, c->free_pages, c->pcp_pages, c->allocated_pages, c->poisoned_pages,
			    c->free_pages + c->pcp_pages + c->allocated_pages + c->poisoned_pages, zone->managed_pages, reserved);
	return 0;
}

void zone_census(struct zone *zone, struct zone_census *c)
{
	census_scan(zone, c, NULL, 0);
}

static int check_zone(struct zone *zone, char *err, size_t errlen)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long list_pages = 0, isolated_pages = 0;
	struct zone_census c;

	if (census_scan(zone, &c, err, errlen))
		return -1;
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		unsigned long blocks = 0;
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			struct pagelist *l = &zone->free_area[o].free_list[t];
			uint32_t prev = PAGE_NIL;
			unsigned long n = 0;
			for (uint32_t i = l->head; i != PAGE_NIL; i = idx_page(zone, i)->next) {
				struct page *p = idx_page(zone, i);
				unsigned long pfn = zone->zone_start_pfn + i;
				if (++n > zone->spanned_pages)
					return errf(err, errlen, "%d:%s free_list[%u][%s] has a cycle", zone->node, zone->name, o,
						    migratetype_names[t]);
				if (p->flags != PG_buddy || p->order != o || p->mt != t)
					return errf(err, errlen,
						    "%d:%s free_list[%u][%s]: pfn %#lx has flags %#x order %u type %u",
						    zone->node, zone->name, o, migratetype_names[t], pfn, p->flags, p->order, p->mt);
				if (p->prev != prev)
					return errf(err, errlen, "%d:%s free_list[%u][%s]: pfn %#lx has a broken prev link",
						    zone->node, zone->name, o, migratetype_names[t], pfn);
				/* unmerged buddies: two free halves of one block (isolation may keep them apart) */
				unsigned long bp = __find_buddy_pfn(pfn, o);
				if (o < MAX_ORDER - 1 && zone_spans_pfn(zone, bp)) {
					struct page *b = __pfn_to_page(m, bp);
					bool iso = is_migrate_isolate(get_pageblock_migratetype_pfn(m, pfn)) !=
						   is_migrate_isolate(get_pageblock_migratetype_pfn(m, bp));
					if (b->flags == PG_buddy && b->order == o && !(iso && o >= pageblock_order))
						return errf(err, errlen, "%d:%s pfn %#lx and its buddy %#lx are free order-%u blocks, unmerged",
							    zone->node, zone->name, pfn, bp, o);
				}
				prev = i;
				if (t == MIGRATE_ISOLATE)
					isolated_pages += 1UL << o;
				else
					list_pages += 1UL << o;
			}
			if (l->tail != prev)
				return errf(err, errlen, "%d:%s free_list[%u][%s]: tail link is wrong", zone->node, zone->name, o,
					    migratetype_names[t]);
			blocks += n;
		}
		if (blocks != zone->free_area[o].nr_free)
			return errf(err, errlen, "%d:%s free_area[%u].nr_free is %lu, lists hold %lu", zone->node, zone->name, o,
				    zone->free_area[o].nr_free, blocks);
	}
	if (list_pages + isolated_pages != c.free_pages)
		return errf(err, errlen, "%d:%s lists hold %lu pages, mem_map has %lu free", zone->node, zone->name,
			    list_pages + isolated_pages, c.free_pages);
	long nr_free = zone_page_state_snapshot(zone, NR_FREE_PAGES);
	if ((unsigned long)nr_free != list_pages)
		return errf(err, errlen, "%d:%s NR_FREE_PAGES is %ld, the lists hold %lu (+%lu isolated)", zone->node,
			    zone->name, nr_free, list_pages, isolated_pages);
	/* per-CPU lists */
	unsigned long pcp_total = 0;
	for (int cpu = 0; zone->pageset && cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone_pageset(zone, cpu)->pcp;
		struct pcp_check pc = { .zone = zone, .cpu = cpu, .err = err, .errlen = errlen };
		for (pc.l = 0; pc.l < NR_PCP_LISTS; pc.l++) {
			if (pcp->lists[pc.l].nr > PCP_MAG_SIZE)
				return errf(err, errlen, "%d:%s cpu %d pcp list %d: mag holds %u (max %d)", zone->node,
					    zone->name, cpu, pc.l, pcp->lists[pc.l].nr, PCP_MAG_SIZE);
			int r = pcp_list_walk(zone, &pcp->lists[pc.l], zone->spanned_pages, check_pcp_block, &pc);
			if (r < 0)
				return errf(err, errlen, "%d:%s cpu %d pcp list %d has a cycle", zone->node, zone->name, cpu, pc.l);
			if (r > 0)
				return -1;
		}
		long n = pc.pages;
		if (n != pcp->count)
			return errf(err, errlen, "%d:%s cpu %d pcp->count is %d, its lists hold %ld", zone->node, zone->name, cpu,
				    pcp->count, n);
		if (pcp->busy || pcp->remote)
			return errf(err, errlen, "%d:%s cpu %d pcp is busy=%d remote=%d while quiesced", zone->node, zone->name,
				    cpu, pcp->busy, pcp->remote);
		/* every writer stores high clamped as the kernel's next use would; the inline free relies on it (pcp.h) */
		if (pcp->high != pcp_high_clamp(pcp->high, pcp->high_min, pcp->high_max))
			return errf(err, errlen, "%d:%s cpu %d pcp high %d is not clamp(high, high_min %d, high_max %d)", zone->node,
				    zone->name, cpu, pcp->high, pcp->high_min, pcp->high_max);
		pcp_total += (unsigned long)n;
	}
	if (pcp_total != c.pcp_pages)
		return errf(err, errlen, "%d:%s pcp lists hold %lu pages, mem_map has %lu on pcp", zone->node, zone->name,
			    pcp_total, c.pcp_pages);
	return 0;
}

int check_machine(struct machine *m, char *err, size_t errlen)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->spanned_pages)
				continue;
			zone_lock(zone);
			int r = check_zone(zone, err, errlen);
			zone_unlock(zone);
			if (r)
				return -1;
		}
	return 0;
}
