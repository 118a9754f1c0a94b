// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_test.c - memory hotplug step by step (alloc/memory_hotplug.c): after each
 * offline/online/remove/add the zonelists, min_free_kbytes, watermarks, lowmem_reserve
 * and pcp batch/high are what the 4.12 formulas give for the new sizes, and the checker
 * accepts the machine (offlined frames are no longer present).
 *
 * The machine: 2 nodes of 512 MiB, 2 CPUs (one per node), nothing reserved, linux-4.12.
 *
 *   node 0: pfn 0x1 |DMA (3998 present)| 0x1000 |DMA32 127074| 0x1ff62 ... hole ...
 *   node 1: 0x100000 |Normal: 4 memory blocks of 128 MiB (32768 pages)| 0x120000
 *
 * Formulas (alloc/machine.c, 4.12):
 *   min_free_kbytes = int_sqrt(lowmem_kbytes * 16), lowmem = sum over DMA..Normal of
 *                     (managed - high watermark as it was before this recomputation);
 *   pages_min = min_free_kbytes / 4; zone min = pages_min * managed / sum(managed);
 *   low = min + max(min / 4, managed * 10 / 10000); high = min + 2 * that step;
 *   lowmem_reserve[lower][j] = sum(managed of zones above lower up to j) / ratio (256, 256, 32);
 *   4.12 batch = rounddown_pow_of_two(b + b/2) - 1 with b = min(managed / 1024, 128) / 4;
 *   high = 6 * batch.
 */
#define _LGPL_SOURCE
#include <errno.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "alloc/rcu.h"
#include "alloc/memory_hotplug.h"
#include "pcp/pcp.h"

static struct zone *Z(struct machine *m, int nid, int idx) { return &m->node_data[nid]->node_zones[idx]; }

static const char *zl(struct machine *m, int nid)
{
	static char buf[2][1024];
	static int i;
	char *b = buf[i++ & 1];
	zonelist_read_lock();
	zonelist_format(node_zonelist(m, nid, 0), b, 1024);
	zonelist_read_unlock();
	return b;
}

static struct machine *two_nodes(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	machine_desc_set(&d, "nodes", "2", err, sizeof(err));
	machine_desc_set(&d, "mem", "512M", err, sizeof(err));
	machine_desc_set(&d, "cpus", "2", err, sizeof(err));
	for (int n = 0; n < 2; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			d.reserved_pages[n][z] = 0;
	return t_machine(&d);
}

static void wm(struct zone *z, unsigned long min, unsigned long low, unsigned long high)
{
	CHECK_EQ(z->_watermark[WMARK_MIN], min);
	CHECK_EQ(z->_watermark[WMARK_LOW], low);
	CHECK_EQ(z->_watermark[WMARK_HIGH], high);
}

static void sizes(struct zone *z, unsigned long start, unsigned long spanned, unsigned long present, unsigned long managed)
{
	CHECK_EQ(z->zone_start_pfn, start);
	CHECK_EQ(z->spanned_pages, spanned);
	CHECK_EQ(z->present_pages, present);
	CHECK_EQ(z->managed_pages, managed);
	CHECK_EQ(zone_page_state_snapshot(z, NR_FREE_PAGES), (long)managed);  /* all free */
}

static void pcp(struct machine *m, struct zone *z, int batch, int high)
{
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		CHECK_EQ(zone_pageset(z, cpu)->pcp.batch, batch);
		CHECK_EQ(zone_pageset(z, cpu)->pcp.high, high);
	}
}

/*
 * Boot, then offline node 1's last block, the rest of node 1, remove node 1, add it back
 * with one block.
 *
 * Boot: lowmem 262144 pages = 1 GiB -> min_free_kbytes sqrt(1048576 * 16) = 4096,
 *   pages_min 1024: DMA 1024*3998/262144 = 15 (low 15+3 = 18, high 21), DMA32 496
 *   (step max(124, 127) = 127: 623, 750), Normal 512 (step 131: 643, 774).
 *   DMA lowmem_reserve[DMA32] = 127074/256 = 496. pcp: DMA32 and Normal b = 128/4 = 32
 *   -> rounddown(48) - 1 = 31, high 186.
 * Offline [0x118000, +32768): Normal present = managed = 98304; lowmem = (3998-21) +
 *   (127074-750) + (98304-774) = 227831 -> sqrt(227831*64) = 3818; pages_min 954:
 *   DMA 16/20/24, DMA32 528/660/792, Normal 408/510/612 (954*98304/229376 = 408.8;
 *   step max(102, 98) = 102). Normal batch still 31 (96/4 = 24 -> 36 -> 32 - 1).
 *   Zonelists unchanged.
 * Offline the other three: Normal unpopulated, out of every zonelist; node 1 is online
 *   and memoryless: its list is node 0's zones. min_free_kbytes goes 3534, 3225, 2885:
 *   the last step sees the highs of the one before (DMA 27, DMA32 937) and no Normal:
 *   lowmem = 3971 + 126137 = 130108 -> sqrt(130108 * 64) = 2885; pages_min 721: DMA32
 *   721 * 127074 / 131072 = 699, step max(174, 127): 873, 1047.
 * remove_node(1): offline; add_node(1) + online [0x100000, +32768) to Normal (Movable
 *   would overlap Normal's span: -EINVAL): Normal 32768 pages, lowmem = 3967 + 126027 +
 *   32768 = 162762 -> 3227; pages_min 806: DMA 19/23/27, DMA32 625/781/937, Normal
 *   161/201/241; Normal batch: 32/4 = 8 -> 12 -> 8 - 1 = 7, high 42.
 */
static void offline_online_node(void)
{
	struct machine *m = two_nodes();
	char err[256];
	struct zone *dma = Z(m, 0, ZONE_DMA), *dma32 = Z(m, 0, ZONE_DMA32), *normal = Z(m, 1, ZONE_NORMAL);

	CHECK_STR(zl(m, 0), "0:DMA32 0:DMA 1:Normal");
	CHECK_STR(zl(m, 1), "1:Normal 0:DMA32 0:DMA");
	CHECK_EQ(m->min_free_kbytes, 4096);
	wm(dma, 15, 18, 21);
	wm(dma32, 496, 623, 750);
	wm(normal, 512, 643, 774);
	CHECK_EQ(dma->lowmem_reserve[ZONE_DMA32], 496);
	pcp(m, dma32, 31, 186);
	pcp(m, normal, 31, 186);

	CHECK_EQ(offline_pages(m, 0x118000, MEMORY_BLOCK_PAGES, 1000, err, sizeof(err)), 0);
	sizes(normal, 0x100000, 131072, 98304, 98304);
	CHECK_EQ(m->node_data[1]->node_present_pages, 98304);
	CHECK_EQ(present_pages_in_range(m, 0x118000, 0x120000), 0);
	CHECK_EQ(m->min_free_kbytes, 3818);
	wm(dma, 16, 20, 24);
	wm(dma32, 528, 660, 792);
	wm(normal, 408, 510, 612);
	pcp(m, normal, 31, 186);
	CHECK_STR(zl(m, 0), "0:DMA32 0:DMA 1:Normal");
	CHECK_CONSISTENT(m);

	for (unsigned long s = 0x100000; s < 0x118000; s += MEMORY_BLOCK_PAGES)
		CHECK_EQ(offline_pages(m, s, MEMORY_BLOCK_PAGES, 1000, err, sizeof(err)), 0);
	sizes(normal, 0x100000, 131072, 0, 0);
	CHECK(!populated_zone(normal));
	CHECK_EQ(m->node_data[1]->nr_zones, 0);
	CHECK_STR(zl(m, 0), "0:DMA32 0:DMA");
	CHECK_STR(zl(m, 1), "0:DMA32 0:DMA");
	CHECK_EQ(m->min_free_kbytes, 2885);
	wm(dma32, 699, 873, 1047);
	CHECK_CONSISTENT(m);

	CHECK_EQ(remove_node(m, 0, err, sizeof(err)), -EBUSY);        /* has memory */
	CHECK_EQ(remove_node(m, 1, err, sizeof(err)), 0);
	CHECK(!m->node_data[1]->online);
	CHECK_EQ(online_pages(m, 1, ZONE_NORMAL, 0x100000, MEMORY_BLOCK_PAGES, err, sizeof(err)), -EINVAL);
	CHECK_EQ(add_node(m, 1, err, sizeof(err)), 0);
	CHECK_EQ(online_pages(m, 1, ZONE_MOVABLE, 0x100000, MEMORY_BLOCK_PAGES, err, sizeof(err)), -EINVAL);
	CHECK_EQ(online_pages(m, 1, ZONE_NORMAL, 0x100000, MEMORY_BLOCK_PAGES, err, sizeof(err)), 0);
	sizes(normal, 0x100000, 131072, 32768, 32768);
	CHECK_STR(zl(m, 0), "0:DMA32 0:DMA 1:Normal");
	CHECK_STR(zl(m, 1), "1:Normal 0:DMA32 0:DMA");
	CHECK_EQ(m->min_free_kbytes, 3227);
	wm(dma, 19, 23, 27);
	wm(dma32, 625, 781, 937);
	wm(normal, 161, 201, 241);
	pcp(m, normal, 7, 42);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/*
 * A new ZONE_MOVABLE on node 0 in the hole above DMA32 (0x40000, below max_pfn), grown
 * by a second block, then its first block offlined: the span grows and stays.
 *   [0x40000, +32768): Movable start 0x40000 span 32768; list "0:Movable 0:DMA32 0:DMA
 *   1:Normal"; DMA lowmem_reserve[Movable] = (127074 + 32768) / 256 = 624, DMA32's = 128;
 *   Movable batch 7 / high 42.
 *   [0x48000, +32768): span 65536, managed 65536, batch 15 (64/4 = 16 -> 24 -> 16 - 1),
 *   high 90; reserves 752 and 256.
 *   offline [0x40000, +32768): span stays [0x40000, 0x50000), present 32768.
 * Also: onlining present memory, a misaligned range, or a range overlapping another
 * zone's span fails with -EINVAL.
 */
static void movable_zone_grows(void)
{
	struct machine *m = two_nodes();
	char err[256];
	struct zone *mov = Z(m, 0, ZONE_MOVABLE);

	CHECK_EQ(online_pages(m, 0, ZONE_MOVABLE, 0x1000, 1024, err, sizeof(err)), -EINVAL);      /* present */
	CHECK_EQ(online_pages(m, 0, ZONE_MOVABLE, 0x40100, 1024, err, sizeof(err)), -EINVAL);     /* misaligned */
	CHECK_EQ(online_pages(m, 0, ZONE_MOVABLE, 0x120000, 1024, err, sizeof(err)), -EINVAL);    /* past max_pfn */
	CHECK_EQ(online_pages(m, 0, ZONE_DMA32, 0x40000, 1024, err, sizeof(err)), -EINVAL);       /* not Normal/Movable */
	CHECK_EQ(online_pages(m, 0, ZONE_MOVABLE, 0x40000, MEMORY_BLOCK_PAGES, err, sizeof(err)), 0);
	sizes(mov, 0x40000, 32768, 32768, 32768);
	CHECK_EQ(m->node_data[0]->nr_zones, 4);
	CHECK_STR(zl(m, 0), "0:Movable 0:DMA32 0:DMA 1:Normal");
	CHECK_STR(zl(m, 1), "1:Normal 0:Movable 0:DMA32 0:DMA");
	CHECK_EQ(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_MOVABLE], 624);
	CHECK_EQ(Z(m, 0, ZONE_DMA32)->lowmem_reserve[ZONE_MOVABLE], 128);
	pcp(m, mov, 7, 42);
	CHECK_EQ(online_pages(m, 1, ZONE_NORMAL, 0x48000, 1024, err, sizeof(err)), -EINVAL); /* Normal 1 would cover Movable 0 */
	CHECK_EQ(online_pages(m, 0, ZONE_MOVABLE, 0x48000, MEMORY_BLOCK_PAGES, err, sizeof(err)), 0);
	sizes(mov, 0x40000, 65536, 65536, 65536);
	pcp(m, mov, 15, 90);
	CHECK_EQ(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_MOVABLE], 752);
	CHECK_EQ(Z(m, 0, ZONE_DMA32)->lowmem_reserve[ZONE_MOVABLE], 256);
	CHECK_CONSISTENT(m);
	CHECK_EQ(offline_pages(m, 0x40000, MEMORY_BLOCK_PAGES, 1000, err, sizeof(err)), 0);
	sizes(mov, 0x40000, 65536, 32768, 32768);
	CHECK_EQ(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_MOVABLE], 624);
	CHECK_CONSISTENT(m);

	/* The allocator uses the new memory: GFP_HIGHUSER_MOVABLE lands in Movable. */
	cpu_bind(m, 0);
	struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 3);
	CHECK(p && page_zone(m, p) == mov);
	CHECK(p && __page_to_pfn(m, p) >= 0x48000);
	if (p)
		__free_pages(p, 3);
	drain_all_pages(m, NULL);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * Offline with pages in use: one allocated block and pages on a CPU's pcp list in the
 * block. The pcp pages come back by drain_all_pages; the allocated block keeps the range
 * busy: -ETIMEDOUT after 20 ms, the isolation undone (NR_FREE_PAGES, migratetypes,
 * free blocks merged back as before). Once freed, the offline succeeds.
 * Expect: -ETIMEDOUT with "1 of 32768 pages still allocated" (order 0), buddyinfo of the
 * zone the same before and after the failed attempt, then 0.
 */
static void offline_waits_for_frees(void)
{
	struct machine *m = two_nodes();
	char err[256], before[128], after[128];
	struct zone *normal = Z(m, 1, ZONE_NORMAL);

	cpu_bind(m, 1);                                 /* node 1's CPU */
	struct page *held = NULL, *pcp_pages[8];
	for (int i = 0; i < 8; i++)
		pcp_pages[i] = alloc_pages(GFP_KERNEL, 0);
	held = alloc_pages(GFP_KERNEL, 0);
	for (int i = 0; i < 8; i++)
		__free_pages(pcp_pages[i], 0);          /* onto CPU 1's pcp list */
	CHECK(zone_pageset(normal, 1)->pcp.count > 0);
	unsigned long pfn = __page_to_pfn(m, held);
	unsigned long block = pfn & ~(MEMORY_BLOCK_PAGES - 1);
	CHECK(zone_spans_pfn(normal, pfn));
	long free_before = zone_page_state_snapshot(normal, NR_FREE_PAGES);
	drain_all_pages(m, normal);
	free_before = zone_page_state_snapshot(normal, NR_FREE_PAGES);
	t_buddyinfo(normal, before, sizeof(before));
	for (int i = 0; i < 8; i++)
		pcp_pages[i] = alloc_pages(GFP_KERNEL, 0);
	for (int i = 0; i < 8; i++)
		__free_pages(pcp_pages[i], 0);          /* back on the list */
	CHECK_EQ(offline_pages(m, block, MEMORY_BLOCK_PAGES, 20, err, sizeof(err)), -ETIMEDOUT);
	CHECK(strstr(err, "1 of 32768 pages still allocated") != NULL);
	CHECK_EQ(zone_pageset(normal, 1)->pcp.count, 0);
	CHECK_EQ(zone_page_state_snapshot(normal, NR_FREE_PAGES), free_before);
	CHECK_STR(t_buddyinfo(normal, after, sizeof(after)), before);
	CHECK_EQ(normal->nr_isolate_pageblock, 0);
	CHECK_EQ(get_pageblock_migratetype_pfn(m, pfn), MIGRATE_MOVABLE);
	CHECK_CONSISTENT(m);
	__free_pages(held, 0);
	CHECK_EQ(offline_pages(m, block, MEMORY_BLOCK_PAGES, 20, err, sizeof(err)), 0);
	CHECK_EQ(normal->present_pages, 131072 - MEMORY_BLOCK_PAGES);
	CHECK_EQ(normal->nr_isolate_pageblock, 0);
	drain_all_pages(m, NULL);
	CHECK_CONSISTENT(m);
	/* a freed pfn of the offlined block is refused */
	FILE *quiet = tmpfile();
	m->report = quiet;
	free_pages_pfn(pfn, 0);
	m->report = stderr;
	fclose(quiet);
	CHECK_EQ(m->nr_bad_pages, 1);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * alloc_pages keeps the head of its CPU's zonelist between calls (cs->zl_head) and uses it
 * only while the lists have not been rebuilt. On two_nodes, CPU 0's head for movable
 * requests is 0:DMA32. A Movable zone onlined on node 0 (a rebuild, which drains every pcp
 * list) becomes the head; CPU 0 then frees the DMA32 pages it held, so its 0:DMA32 list
 * has blocks again and a kept head that missed the rebuild would be served from there.
 *
 *   before:  CPU 0, movable -> 0:DMA32 0:DMA 1:Normal
 *   after:   CPU 0, movable -> 0:Movable 0:DMA32 0:DMA 1:Normal
 * Expect: the held pages from 0:DMA32; after the rebuild a page from 0:Movable.
 */
static void kept_zonelist_head_follows_rebuild(void)
{
	struct machine *m = two_nodes();
	char err[256];
	struct zone *dma32 = Z(m, 0, ZONE_DMA32), *mov = Z(m, 0, ZONE_MOVABLE);
	struct page *held[4];

	CHECK_EQ(cpu_bind(m, 0), 0);
	for (int i = 0; i < 4; i++) {
		held[i] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		CHECK(held[i] && page_zone(m, held[i]) == dma32);
	}
	CHECK_EQ(online_pages(m, 0, ZONE_MOVABLE, 0x40000, MEMORY_BLOCK_PAGES, err, sizeof(err)), 0);
	CHECK_STR(zl(m, 0), "0:Movable 0:DMA32 0:DMA 1:Normal");
	for (int i = 0; i < 4; i++)
		if (held[i])
			__free_pages(held[i], 0);
	CHECK(zone_pcp_count(dma32) > 0);
	struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	CHECK(p && page_zone(m, p) == mov);
	if (p)
		__free_pages(p, 0);
	drain_all_pages(m, NULL);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * Ranges that are not ranges: a start near ~0UL whose end wraps to a small pfn, a count
 * past max_pfn; and a block that holds boot-reserved frames, which never come back.
 *
 *   one node of 512 MiB: |DMA 0x1..0x1000|DMA32 0x1000..: first present/64 frames reserved|
 *
 * Expect: -EINVAL naming the range, -EBUSY naming the reserved frames at once (not
 * "still allocated" after the timeout); nothing changed: the checker passes and
 * managed and NR_FREE_PAGES are as before.
 */
static void bad_ranges_change_nothing(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_set(&d, "mem", "512M", err, sizeof(err)), 0);
	struct machine *m = t_machine(&d);
	struct zone *dma = Z(m, 0, ZONE_DMA), *dma32 = Z(m, 0, ZONE_DMA32);
	unsigned long managed = dma32->managed_pages, nr_free = (unsigned long)zone_page_state_snapshot(dma32, NR_FREE_PAGES);

	err[0] = 0;
	CHECK_EQ(online_pages(m, 0, ZONE_NORMAL, ~0UL - 1023, 1024, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "1024 pages at 0xfffffffffffffc00 is not a range of whole 4 MiB blocks") != NULL);
	CHECK_EQ(online_pages(m, 0, ZONE_NORMAL, 0x100000, ~0UL & ~1023UL, err, sizeof(err)), -EINVAL);
	CHECK_EQ(offline_pages(m, ~0UL - 1023, 1024, 10, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "offline_pages: 1024 pages at 0xfffffffffffffc00") != NULL);
	/* DMA32, the node's last zone, keeps its first present/64 frames reserved */
	CHECK(dma32->present_pages / 64 >= MAX_ORDER_NR_PAGES);
	CHECK_EQ(offline_pages(m, 0x1000, MAX_ORDER_NR_PAGES, 10000, err, sizeof(err)), -EBUSY);
	CHECK_STR(err, "offline_pages: [0x1000, 0x1400) holds 1024 boot-reserved (memblock) frames, which are never freed");
	CHECK_EQ(dma32->managed_pages, managed);
	CHECK_EQ(zone_page_state_snapshot(dma32, NR_FREE_PAGES), (long)nr_free);
	CHECK_EQ(dma->managed_pages, 3840);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

int main(void)
{
	RUN(offline_online_node);
	RUN(movable_zone_grows);
	RUN(offline_waits_for_frees);
	RUN(kept_zonelist_head_follows_rebuild);
	RUN(bad_ranges_change_nothing);
	TEST_SUMMARY();
}
