/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memory_hotplug.h - onlining and offlining memory blocks and nodes while other threads
 * allocate (mm/memory_hotplug.c and mm/page_isolation.c, Linux 4.12).
 *
 * Every operation takes mem_hotplug_lock (one at a time, machine-wide), then, after
 * changing the zone sizes: rebuilds the zonelists (RCU: readers keep the old lists until
 * a grace period ends), recomputes min_free_kbytes, watermarks, lowmem_reserve and stat
 * thresholds (init_per_zone_wmark_min) and every zone's pcp high/batch (zone_pcp_update).
 * The kernel rebuilds the zonelists only when a zone becomes (un)populated; here each step
 * rebuilds them, which changes nothing in their content and exercises the RCU path.
 *
 * None of these may be called inside an RCU read-side section (they wait for a grace
 * period). The caller may be bound to a CPU or not.
 *
 * A zone, and the pg_data_t that embeds it, is never freed while the machine lives: an
 * offlined zone keeps its (empty) lists and pagesets, a removed node keeps its pg_data_t
 * (marked offline), as the kernel does since 3.x (try_offline_node keeps the pgdat).
 *
 * Model limits: memory can only be onlined below the boot max_pfn (mem_map is not grown);
 * a zone's start can move down only while the zone has no pages (free-list links are
 * zone-relative); ranges are aligned to MAX_ORDER_NR_PAGES (4 MiB) and lie inside one
 * zone; frames reserved at boot (PG_reserved) or poisoned (PG_hwpoison) make an offline
 * wait until its timeout (the kernel refuses reserved frames at once and offlines
 * poisoned ones).
 */
#ifndef ALLOC_MEMORY_HOTPLUG_H
#define ALLOC_MEMORY_HOTPLUG_H

#include <stddef.h>

#include "alloc/machine.h"
#include "alloc/mmzone.h"

#define MAX_ORDER_NR_PAGES      (1UL << (MAX_ORDER - 1))
/* x86-64's memory block (section) size: 128 MiB. The functions take any multiple of 4 MiB. */
#define MEMORY_BLOCK_PAGES      ((128UL << 20) >> PAGE_SHIFT)

/*
 * offline_pages: take [start_pfn, start_pfn + nr_pages) out of its zone.
 *   1. start_isolate_page_range: each pageblock becomes MIGRATE_ISOLATE and its free
 *      blocks move to the isolate lists (no longer counted in NR_FREE_PAGES);
 *   2. drain_all_pages(zone) so blocks on per-CPU lists come back (to the isolate lists);
 *   3. wait, draining again every millisecond, until every present frame of the range is
 *      free on the isolate lists - pages allocated there must be freed by their owners
 *      (no migration yet). After timeout_ms the isolation is undone and -ETIMEDOUT
 *      returned, the machine as before;
 *   4. __offline_isolated_pages: the free blocks leave the buddy; present_pages,
 *      managed_pages and the node's present pages shrink; the frames are no longer
 *      present (removed from m->desc.ranges, which check_machine reads), their pageblocks
 *      belong to no zone. The zone's span stays (the kernel shrinks it on remove_memory).
 * Returns 0, or -EINVAL (bad range), -ETIMEDOUT (pages stayed allocated), with err set.
 */
int offline_pages(struct machine *m, unsigned long start_pfn, unsigned long nr_pages, unsigned int timeout_ms,
		  char *err, size_t errlen);

/*
 * online_pages: make [start_pfn, start_pfn + nr_pages), none of it present now, memory of
 * zone `zone_idx` of node nid (which must be online): the zone's span grows to cover it
 * if needed (it must not overlap another zone's span), the frames are freed to the buddy
 * in MAX_ORDER blocks (merging with free neighbours), present/managed pages grow.
 * zone_idx must be ZONE_NORMAL or ZONE_MOVABLE unless the zone's span already holds the
 * range (onlining back what was offlined). Returns 0 or -EINVAL/-ENOSPC with err set.
 */
int online_pages(struct machine *m, int nid, enum zone_type zone_idx, unsigned long start_pfn,
		 unsigned long nr_pages, char *err, size_t errlen);

/*
 * Nodes. remove_node (try_offline_node): every zone of the node must be unpopulated
 * (offline its memory first) and another node must stay online; the node goes offline
 * and leaves every zonelist. CPUs of a removed node must not allocate (the kernel offlines
 * them first). add_node: a node of the machine that is offline comes back online, with
 * no memory until online_pages gives it some. Return 0 or -EINVAL/-EBUSY with err set.
 */
int remove_node(struct machine *m, int nid, char *err, size_t errlen);
int add_node(struct machine *m, int nid, char *err, size_t errlen);

/* The hotplug lock (mem_hotplug_begin/done): held by each operation above. */
void mem_hotplug_begin(void);
void mem_hotplug_done(void);

/* build_all_zonelists takes mem_hotplug_lock; this is it for callers holding it. */
int __build_all_zonelists(struct machine *m);

/* Present frames of [start, end) (m->desc.ranges), under mem_hotplug_lock or quiesced. */
unsigned long present_pages_in_range(const struct machine *m, unsigned long start, unsigned long end);

#endif /* ALLOC_MEMORY_HOTPLUG_H */
