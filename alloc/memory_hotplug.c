// SPDX-License-Identifier: GPL-2.0
/*
 * memory_hotplug.c - online/offline memory ranges and nodes while other threads allocate
 * (Linux 4.12 mm/memory_hotplug.c, mm/page_isolation.c). See memory_hotplug.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alloc/internal.h"
#include "alloc/memory_hotplug.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

static pthread_mutex_t mem_hotplug_lock = PTHREAD_MUTEX_INITIALIZER;

void mem_hotplug_begin(void) { pthread_mutex_lock(&mem_hotplug_lock); }
void mem_hotplug_done(void) { pthread_mutex_unlock(&mem_hotplug_lock); }

/* errf() with the error code the caller returns (-EINVAL, -EBUSY, ...). */
#define errf_rc(err, errlen, rc, ...) (errf(err, errlen, __VA_ARGS__), (rc))

unsigned long present_pages_in_range(const struct machine *m, unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (int r = 0; r < m->desc.nr_ranges; r++) {
		unsigned long a = m->desc.ranges[r].start_pfn > start ? m->desc.ranges[r].start_pfn : start;
		unsigned long b = m->desc.ranges[r].end_pfn < end ? m->desc.ranges[r].end_pfn : end;
		if (a < b)
			n += b - a;
	}
	return n;
}

/* m->desc.ranges: the present frames. Remove [s, e) (splitting ranges) or add it (merging). */
static int ranges_remove(struct machine *m, unsigned long s, unsigned long e)
{
	struct mem_range out[MACHINE_MAX_RANGES];
	int n = 0;

	for (int r = 0; r < m->desc.nr_ranges; r++) {
		struct mem_range rg = m->desc.ranges[r];
		if (rg.end_pfn <= s || rg.start_pfn >= e) {
			if (n == MACHINE_MAX_RANGES)
				return -1;
			out[n++] = rg;
			continue;
		}
		if (rg.start_pfn < s) {
			if (n == MACHINE_MAX_RANGES)
				return -1;
			out[n++] = (struct mem_range){ rg.start_pfn, s, rg.nid };
		}
		if (rg.end_pfn > e) {
			if (n == MACHINE_MAX_RANGES)
				return -1;
			out[n++] = (struct mem_range){ e, rg.end_pfn, rg.nid };
		}
	}
	memcpy(m->desc.ranges, out, sizeof(out[0]) * (size_t)n);
	m->desc.nr_ranges = n;
	return 0;
}

static int ranges_add(struct machine *m, unsigned long s, unsigned long e, int nid)
{
	struct mem_range out[MACHINE_MAX_RANGES + 1];
	int n = 0, placed = 0;

	for (int r = 0; r <= m->desc.nr_ranges; r++) {
		struct mem_range rg;
		if (r < m->desc.nr_ranges)
			rg = m->desc.ranges[r];
		if (!placed && (r == m->desc.nr_ranges || rg.start_pfn > s)) {
			out[n++] = (struct mem_range){ s, e, nid };
			placed = 1;
		}
		if (r < m->desc.nr_ranges)
			out[n++] = rg;
	}
	/* merge neighbours of the same node that touch */
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (k && out[k - 1].nid == out[i].nid && out[k - 1].end_pfn == out[i].start_pfn)
			out[k - 1].end_pfn = out[i].end_pfn;
		else
			out[k++] = out[i];
	}
	if (k > MACHINE_MAX_RANGES)
		return -1;
	memcpy(m->desc.ranges, out, sizeof(out[0]) * (size_t)k);
	m->desc.nr_ranges = k;
	return 0;
}

static void recompute_pgdat(pg_data_t *pgdat)
{
	unsigned long present = 0, start = ~0UL, end = 0;
	int nr_zones = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		present += zone->present_pages;
		if (populated_zone(zone))
			nr_zones = z + 1;
		if (zone->spanned_pages) {
			if (zone->zone_start_pfn < start)
				start = zone->zone_start_pfn;
			if (zone_end_pfn(zone) > end)
				end = zone_end_pfn(zone);
		}
	}
	WRITE_ONCE(pgdat->node_present_pages, present);
	WRITE_ONCE(pgdat->nr_zones, nr_zones);
	if (end) {
		WRITE_ONCE(pgdat->node_start_pfn, start);
		WRITE_ONCE(pgdat->node_spanned_pages, end - start);
	}
}

/*
 * After each step, as online_pages/offline_pages do: zonelists, then min_free_kbytes,
 * watermarks, lowmem_reserve and stat thresholds, then pcp high/batch.
 */
static int hotplug_recompute(struct machine *m)
{
	int r = __build_all_zonelists(m);

	init_per_zone_wmark_min(m);
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone_pcp_update(&m->node_data[nid]->node_zones[z]);
	return r;
}

static struct zone *range_zone(struct machine *m, unsigned long start, unsigned long end)
{
	struct zone *zone = NULL;

	for (unsigned long pfn = start; pfn < end; pfn += pageblock_nr_pages) {
		unsigned id = m->pageblocks[pfn >> pageblock_order].zone_id;
		if (!id)
			continue;
		struct zone *z = zone_of_id(m, id);
		if (zone && z != zone)
			return NULL;
		zone = z;
	}
	return zone;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* set_migratetype_isolate for each pageblock of the range; under zone->lock. */
static void isolate_range(struct zone *zone, unsigned long start, unsigned long end)
{
	struct machine *m = zone->zone_pgdat->machine;

	zone_lock(zone);
	for (unsigned long pfn = start; pfn < end; pfn += pageblock_nr_pages) {
		if (!m->pageblocks[pfn >> pageblock_order].zone_id)
			continue;
		struct page *page = __pfn_to_page(m, pfn);
		int mt = get_pageblock_migratetype(zone, page);
		if (is_migrate_isolate(mt))
			continue;
		if (is_migrate_highatomic(mt)) {
			long nr = zone->nr_reserved_highatomic - (long)pageblock_nr_pages;
			WRITE_ONCE(zone->nr_reserved_highatomic, nr < 0 ? 0 : nr);
		}
		set_pageblock_migratetype(zone, page, MIGRATE_ISOLATE);
		int moved = move_freepages_block(zone, page, MIGRATE_ISOLATE);
		__mod_zone_freepage_state(zone, -(long)moved, mt);
	}
	zone_unlock(zone);
}

/* The free blocks of the isolate lists whose head lies in [start, end); under zone->lock. */
static unsigned long isolated_free_pages(struct zone *zone, unsigned long start, unsigned long end, bool take)
{
	unsigned long n = 0;

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		struct pagelist *l = &zone->free_area[o].free_list[MIGRATE_ISOLATE];
		for (uint32_t i = l->head; i != PAGE_NIL;) {
			struct page *p = idx_page(zone, i);
			unsigned long pfn = zone->zone_start_pfn + i;
			i = p->next;
			if (pfn < start || pfn >= end)
				continue;
			n += 1UL << o;
			if (take) {
				pagelist_del(zone, l, p);
				p->flags = 0;
				WRITE_ONCE(zone->free_area[o].nr_free, zone->free_area[o].nr_free - 1);
			}
		}
	}
	return n;
}

/*
 * unset_migratetype_isolate: back to MIGRATE_MOVABLE. Free blocks are taken off the
 * isolate lists and freed again, so they count in NR_FREE_PAGES and merge with free
 * neighbours across the pageblock boundary (what 4.12 does for order >= pageblock_order).
 */
static void undo_isolate_range(struct zone *zone, unsigned long start, unsigned long end)
{
	struct machine *m = zone->zone_pgdat->machine;

	zone_lock(zone);
	for (unsigned long pfn = start; pfn < end; pfn += pageblock_nr_pages)
		if (m->pageblocks[pfn >> pageblock_order].zone_id &&
		    is_migrate_isolate(get_pageblock_migratetype(zone, __pfn_to_page(m, pfn))))
			set_pageblock_migratetype(zone, __pfn_to_page(m, pfn), MIGRATE_MOVABLE);
	/* unlink every isolated block of the range first (chained through ->private), then free */
	uint32_t chain = PAGE_NIL;
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		struct pagelist *l = &zone->free_area[o].free_list[MIGRATE_ISOLATE];
		for (uint32_t i = l->head; i != PAGE_NIL;) {
			struct page *p = idx_page(zone, i);
			unsigned long pfn = zone->zone_start_pfn + i;
			uint32_t self = i;
			i = p->next;
			if (pfn < start || pfn >= end)
				continue;
			pagelist_del(zone, l, p);
			p->flags = 0;
			p->order = (uint8_t)o;
			p->private = chain;
			chain = self;
			WRITE_ONCE(zone->free_area[o].nr_free, zone->free_area[o].nr_free - 1);
		}
	}
	while (chain != PAGE_NIL) {
		struct page *p = idx_page(zone, chain);
		unsigned long pfn = zone->zone_start_pfn + chain;
		chain = p->private;
		p->private = 0;
		__free_one_page(p, pfn, zone, p->order, MIGRATE_MOVABLE);
	}
	zone_unlock(zone);
}

int offline_pages(struct machine *m, unsigned long start_pfn, unsigned long nr_pages, unsigned int timeout_ms,
		  char *err, size_t errlen)
{
	unsigned long end_pfn = start_pfn + nr_pages;
	int rc = 0;

	/* start + nr compared without the sum: a range near ~0UL must not wrap to a small end */
	if (!nr_pages || (start_pfn | nr_pages) & (MAX_ORDER_NR_PAGES - 1) || nr_pages > m->max_pfn ||
	    start_pfn > m->max_pfn - nr_pages)
		return errf_rc(err, errlen, -EINVAL, "offline_pages: %lu pages at %#lx is not a range of whole 4 MiB blocks below max_pfn %#lx",
			    nr_pages, start_pfn, m->max_pfn);
	mem_hotplug_begin();
	struct zone *zone = range_zone(m, start_pfn, end_pfn);
	unsigned long present = present_pages_in_range(m, start_pfn, end_pfn);
	if (!zone || !present) {
		rc = errf_rc(err, errlen, -EINVAL, "offline_pages: [%#lx, %#lx) %s", start_pfn, end_pfn,
			  zone ? "has no present memory" : "is in no zone or in more than one");
		goto out;
	}
	if (start_pfn < zone->zone_start_pfn || end_pfn > zone_end_pfn(zone)) {
		rc = errf_rc(err, errlen, -EINVAL, "offline_pages: [%#lx, %#lx) is not inside %d:%s [%#lx, %#lx)", start_pfn,
			  end_pfn, zone->node, zone->name, zone->zone_start_pfn, zone_end_pfn(zone));
		goto out;
	}

	/* boot-reserved frames never come back: the kernel's has_unmovable_pages says -EBUSY at once */
	unsigned long reserved = 0;
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++)
		reserved += (READ_ONCE(m->mem_map[pfn].flags) & PG_reserved) != 0;
	if (reserved) {
		rc = errf_rc(err, errlen, -EBUSY, "offline_pages: [%#lx, %#lx) holds %lu boot-reserved (memblock) frames, which are never freed",
			  start_pfn, end_pfn, reserved);
		goto out;
	}
	/* start_isolate_page_range, then drain and wait for the allocated pages to come back. */
	isolate_range(zone, start_pfn, end_pfn);
	uint64_t deadline = mono_ms() + timeout_ms;
	unsigned long free_now;
	for (;;) {
		drain_all_pages(m, zone);
		zone_lock(zone);
		free_now = isolated_free_pages(zone, start_pfn, end_pfn, false);
		if (free_now == present) {
			/* __offline_isolated_pages: the range leaves the buddy */
			isolated_free_pages(zone, start_pfn, end_pfn, true);
			for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages)
				if (m->pageblocks[pfn >> pageblock_order].zone_id) {
					set_pageblock_migratetype(zone, __pfn_to_page(m, pfn), MIGRATE_MOVABLE);
					WRITE_ONCE(m->pageblocks[pfn >> pageblock_order].zone_id, 0);
				}
			WRITE_ONCE(zone->present_pages, zone->present_pages - present);
			WRITE_ONCE(zone->managed_pages, zone->managed_pages - present);
			zone_unlock(zone);
			break;
		}
		zone_unlock(zone);
		if (mono_ms() >= deadline) {
			undo_isolate_range(zone, start_pfn, end_pfn);
			rc = errf_rc(err, errlen, -ETIMEDOUT,
				  "offline_pages: [%#lx, %#lx): %lu of %lu pages still allocated after %u ms", start_pfn,
				  end_pfn, present - free_now, present, timeout_ms);
			goto out;
		}
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	if (ranges_remove(m, start_pfn, end_pfn))      /* a split of a range when all 64 are used */
		fprintf(m->report ? m->report : stderr, "offline_pages: more than %d memory ranges; check_machine will be wrong\n",
			MACHINE_MAX_RANGES);
	recompute_pgdat(zone->zone_pgdat);
	hotplug_recompute(m);
out:
	mem_hotplug_done();
	return rc;
}

int online_pages(struct machine *m, int nid, enum zone_type zone_idx, unsigned long start_pfn,
		 unsigned long nr_pages, char *err, size_t errlen)
{
	unsigned long end_pfn = start_pfn + nr_pages;
	int rc = 0;

	/* start + nr compared without the sum: a range near ~0UL must not wrap to a small end */
	if (!nr_pages || (start_pfn | nr_pages) & (MAX_ORDER_NR_PAGES - 1) || nr_pages > m->max_pfn ||
	    start_pfn > m->max_pfn - nr_pages)
		return errf_rc(err, errlen, -EINVAL, "online_pages: %lu pages at %#lx is not a range of whole 4 MiB blocks below max_pfn %#lx",
			    nr_pages, start_pfn, m->max_pfn);
	if (nid < 0 || nid >= m->nr_nodes || (unsigned)zone_idx >= MAX_NR_ZONES)
		return errf_rc(err, errlen, -EINVAL, "online_pages: no node %d / zone %d", nid, (int)zone_idx);
	mem_hotplug_begin();
	pg_data_t *pgdat = m->node_data[nid];
	struct zone *zone = &pgdat->node_zones[zone_idx];
	uint8_t id = (uint8_t)(nid * MAX_NR_ZONES + zone_idx + 1);
	if (!pgdat->online) {
		rc = errf_rc(err, errlen, -EINVAL, "online_pages: node %d is offline (add_node first)", nid);
		goto out;
	}
	if (present_pages_in_range(m, start_pfn, end_pfn)) {
		rc = errf_rc(err, errlen, -EINVAL, "online_pages: [%#lx, %#lx) is already partly present", start_pfn, end_pfn);
		goto out;
	}
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages)
		if (m->pageblocks[pfn >> pageblock_order].zone_id) {
			rc = errf_rc(err, errlen, -EINVAL, "online_pages: the pageblock at %#lx belongs to a zone", pfn);
			goto out;
		}
	bool inside = zone->spanned_pages && start_pfn >= zone->zone_start_pfn && end_pfn <= zone_end_pfn(zone);
	if (!inside && zone_idx != ZONE_NORMAL && zone_idx != ZONE_MOVABLE) {
		rc = errf_rc(err, errlen, -EINVAL, "online_pages: memory can only be added to Normal or Movable, not %s",
			  zone_names[zone_idx]);
		goto out;
	}
	unsigned long new_start = zone->spanned_pages ? zone->zone_start_pfn : start_pfn;
	unsigned long new_end = zone->spanned_pages ? zone_end_pfn(zone) : end_pfn;
	if (start_pfn < new_start)
		new_start = start_pfn;
	if (end_pfn > new_end)
		new_end = end_pfn;
	if (new_start < zone->zone_start_pfn && zone->spanned_pages && zone->present_pages) {
		rc = errf_rc(err, errlen, -EINVAL, "online_pages: %d:%s would start lower while it holds pages (model limit)",
			  nid, zone->name);
		goto out;
	}
	if (new_end - new_start > (unsigned long)UINT32_MAX) {
		rc = errf_rc(err, errlen, -EINVAL, "online_pages: %d:%s would span more than 16 TiB", nid, zone->name);
		goto out;
	}
	for (int n = 0; n < m->nr_nodes; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *o = &m->node_data[n]->node_zones[z];
			if (o == zone || !o->spanned_pages)
				continue;
			if (o->zone_start_pfn < new_end && zone_end_pfn(o) > new_start) {
				rc = errf_rc(err, errlen, -EINVAL, "online_pages: %d:%s [%#lx, %#lx) would overlap %d:%s", nid,
					  zone->name, new_start, new_end, o->node, o->name);
				goto out;
			}
		}
	if (ranges_add(m, start_pfn, end_pfn, nid)) {
		rc = errf_rc(err, errlen, -ENOSPC, "online_pages: more than %d memory ranges", MACHINE_MAX_RANGES);
		goto out;
	}

	/* move_pfn_range_to_zone: the span, the pageblocks; then online_pages_range frees them. */
	zone_lock(zone);
	if (!zone->spanned_pages || new_start != zone->zone_start_pfn) {
		WRITE_ONCE(zone->zone_start_pfn, new_start);
		zone->zone_mem_map = m->mem_map + new_start;
	}
	WRITE_ONCE(zone->spanned_pages, new_end - new_start);
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		WRITE_ONCE(m->pageblocks[pfn >> pageblock_order].migratetype, MIGRATE_MOVABLE);
		WRITE_ONCE(m->pageblocks[pfn >> pageblock_order].zone_id, id);
	}
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += MAX_ORDER_NR_PAGES) {
		struct page *p = __pfn_to_page(m, pfn);
		memset(p, 0, sizeof(*p) * MAX_ORDER_NR_PAGES);
		__free_one_page(p, pfn, zone, MAX_ORDER - 1, MIGRATE_MOVABLE);
	}
	WRITE_ONCE(zone->present_pages, zone->present_pages + nr_pages);
	WRITE_ONCE(zone->managed_pages, zone->managed_pages + nr_pages);
	zone_unlock(zone);
	recompute_pgdat(pgdat);
	hotplug_recompute(m);
out:
	mem_hotplug_done();
	return rc;
}

int remove_node(struct machine *m, int nid, char *err, size_t errlen)
{
	int rc = 0, others = 0;

	if (nid < 0 || nid >= m->nr_nodes)
		return errf_rc(err, errlen, -EINVAL, "remove_node: no node %d", nid);
	mem_hotplug_begin();
	pg_data_t *pgdat = m->node_data[nid];
	for (int n = 0; n < m->nr_nodes; n++)
		others += n != nid && m->node_data[n]->online;
	if (!pgdat->online) {
		rc = errf_rc(err, errlen, -EINVAL, "remove_node: node %d is offline already", nid);
	} else if (!others) {
		rc = errf_rc(err, errlen, -EBUSY, "remove_node: node %d is the last online node", nid);
	} else if (pgdat->node_present_pages) {
		rc = errf_rc(err, errlen, -EBUSY, "remove_node: node %d still has %lu present pages (offline them first)", nid,
			  pgdat->node_present_pages);
	} else {
		WRITE_ONCE(pgdat->online, false);
		hotplug_recompute(m);
	}
	mem_hotplug_done();
	return rc;
}

int add_node(struct machine *m, int nid, char *err, size_t errlen)
{
	int rc = 0;

	if (nid < 0 || nid >= m->nr_nodes)
		return errf_rc(err, errlen, -EINVAL, "add_node: node %d is not one of the machine's %d", nid, m->nr_nodes);
	mem_hotplug_begin();
	pg_data_t *pgdat = m->node_data[nid];
	if (pgdat->online) {
		rc = errf_rc(err, errlen, -EINVAL, "add_node: node %d is online already", nid);
	} else {
		WRITE_ONCE(pgdat->online, true);
		hotplug_recompute(m);
	}
	mem_hotplug_done();
	return rc;
}
