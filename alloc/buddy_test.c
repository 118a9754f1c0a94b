// SPDX-License-Identifier: GPL-2.0
/*
 * buddy_test.c - the buddy free lists of one zone: split and merge with exact buddyinfo,
 * the tail placement of __free_one_page, the highatomic reserve and pageblock isolation
 * (__rmqueue_fallback's stealing rules: fallback_test.c). Helpers: alloc/buddy_fixture.h.
 *
 * Most cases use one Normal zone of 1024 or 2048 frames at 4 GiB (pfn 0x100000), one CPU,
 * the linux-4.12 policy and min_free_kbytes = 1 (watermarks of a page or two), and
 * allocate order >= 1 so that the per-CPU lists (order 0 only in 4.12) stay out of the
 * way. Offsets in pictures and in the free-list strings are relative to the zone start.
 *
 * Free-list strings list every free block, by migratetype (U M R H C I for Unmovable,
 * Movable, Reclaimable, HighAtomic, CMA, Isolate), then by order, in list order (head
 * first): "U1@2 M9@512" is an order-1 block at offset 2 on the Unmovable list and an
 * order-9 block at offset 512 on the Movable list.
 */
#include "alloc/buddy_fixture.h"

/*
 * An order-0 allocation from a fresh zone of 1024 frames (one order-10 block) splits it
 * down to one page; a zone this small has pcp batch 1 and high 0 (4.12 zone_batchsize
 * gives 0), so the per-CPU list takes exactly the one page it hands out, and the free
 * drains it straight back.
 *
 *   before  |<------------------------ order 10 ------------------------>|
 *   after   |A|0|-1-|--2--|----3----| ... |-------------- 9 --------------|
 *
 * Expect: buddyinfo 1 1 1 1 1 1 1 1 1 1 0 with A at offset 0, then 0 ... 0 1 after the free.
 */
static void alloc_order0_splits_max_order_block(void)
{
	struct machine *m = normal_machine(1024, 0);
	struct zone *z = normal(m);

	CHECK_EQ(this_cpu_pageset(z)->pcp.batch, 1);
	CHECK_EQ(this_cpu_pageset(z)->pcp.high, 0);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	unsigned long a = A(GFP_HIGHUSER_MOVABLE, 0);
	CHECK_EQ(a, 0);
	CHECK_STR(bi(z), "1 1 1 1 1 1 1 1 1 1 0");
	CHECK_STR(free_lists(z), "M0@1 M1@2 M2@4 M3@8 M4@16 M5@32 M6@64 M7@128 M8@256 M9@512");
	CHECK_EQ(this_cpu_pageset(z)->pcp.count, 0);
	CHECK_EQ(nr_free(z), 1023);
	CHECK_CONSISTENT(m);
	F(a, 0);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	CHECK_EQ(nr_free(z), 1024);
	done(m);
}

/*
 * A sequence of splits and merges, each step's buddyinfo exact:
 *
 *   alloc o3 -> 0     |A:3|.3.|..4..|...5...| ... 9 |
 *   alloc o1 -> 8     |A:3|B|1|.2.|..4..| ...          (the order-3 block at 8 splits)
 *   free  A           |.3.|B|1|.2.|..4..|              (buddy 8 is not free: no merge)
 *   free  B           merges 8+10 -> 8:2, +12 -> 8:3, +0 -> 0:4, ... -> 0:10
 *
 * Expect: 0 0 0 1 1 1 1 1 1 1 0 / 0 1 1 0 1 1 1 1 1 1 0 / 0 1 1 1 1 1 1 1 1 1 0 / 0 ... 0 1
 */
static void split_merge_sequence(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	unsigned long a = A(GFP_HIGHUSER_MOVABLE, 3);
	CHECK_EQ(a, 0);
	CHECK_STR(bi(z), "0 0 0 1 1 1 1 1 1 1 0");
	unsigned long b = A(GFP_HIGHUSER_MOVABLE, 1);
	CHECK_EQ(b, 8);
	CHECK_STR(bi(z), "0 1 1 0 1 1 1 1 1 1 0");
	CHECK_STR(free_lists(z), "M1@10 M2@12 M4@16 M5@32 M6@64 M7@128 M8@256 M9@512");
	CHECK_CONSISTENT(m);
	F(a, 3);
	CHECK_STR(bi(z), "0 1 1 1 1 1 1 1 1 1 0");
	CHECK_CONSISTENT(m);
	F(b, 1);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	CHECK_EQ(nr_free(z), 1024);
	done(m);
}

/*
 * Filling a two-block zone with order-9 blocks, then freeing them in another order: each
 * free merges exactly when its buddy is already free. The fourth allocation leaves
 * 512 - 511 = 1 page, not above low (2), so it fails the fast path and succeeds at min (0)
 * in the slow path; a fifth request finds nothing.
 *
 *   |------ 10 ------|------ 10 ------|  ->  |-9-|-9-|-9-|-9-|  ->  |------ 10 ------|------ 10 ------|
 *
 * Expect: order-9 blocks at 0, 512, 1024, 1536 (one pgalloc_slowpath); frees of 512, 0,
 * 1536, 1024 give buddyinfo ... 1 0 / ... 0 1 / ... 1 1 / ... 0 2.
 */
static void fill_with_order9_and_merge_back(void)
{
	struct machine *m = normal_machine(2048, 1);
	struct zone *z = normal(m);

	CHECK_EQ(low_wmark_pages(z), 2);
	CHECK_EQ(min_wmark_pages(z), 0);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 2");
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 512);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 1024);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 1 0");
	CHECK_EQ(event(m, PGALLOC_SLOWPATH), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 1536);
	CHECK_EQ(event(m, PGALLOC_SLOWPATH), 1);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 0");
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0), NONE);
	CHECK_EQ(event(m, PGALLOC_FAIL), 1);
	CHECK_CONSISTENT(m);
	F(512, 9);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 1 0");     /* 512's buddy 0 is allocated */
	F(0, 9);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	F(1536, 9);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 1 1");
	F(1024, 9);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 2");
	CHECK_EQ(nr_free(z), 2048);
	done(m);
}

/*
 * __free_one_page's tail placement: a freed block that cannot merge, but whose
 * combined order+1 block has a free buddy, goes to the tail of its list (it will
 * probably merge soon, so it should be handed out last); other frees go to the head.
 *
 * Sixteen order-1 allocations take offsets 0, 2, ..., 30 in order. Then:
 *   free 0   buddy 2 busy; order-2 buddy 4 busy            -> head   [0]
 *   free 6   buddy 4 busy; order-2 buddy 0 is free, order 1 -> head   [6 0]
 *   free 8   buddy 10 busy; order-2 buddy 12 busy           -> head   [8 6 0]
 *   free 10  merges with 8 into 8:2 (buddy 12 busy)          order-1 list [6 0]
 *   free 12  buddy 14 busy; order-2 buddy 8 is a free order-2 block -> TAIL [6 0 12]
 *   free 20  buddy 22 busy; order-2 buddy 16 busy           -> head   [20 6 0 12]
 *
 * Expect: the order-1 list is 20 6 0 12; the next four order-1 allocations return
 * 20, 6, 0, 12 in that order.
 */
static void free_tail_placement_when_higher_buddy_free(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	for (unsigned long i = 0; i < 16; i++)
		CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 2 * i);
	CHECK_STR(bi(z), "0 0 0 0 0 1 1 1 1 1 0");
	F(0, 1);
	F(6, 1);
	F(8, 1);
	CHECK_STR(free_lists(z), "M1@8 M1@6 M1@0 M5@32 M6@64 M7@128 M8@256 M9@512");
	F(10, 1);
	CHECK_STR(free_lists(z), "M1@6 M1@0 M2@8 M5@32 M6@64 M7@128 M8@256 M9@512");
	F(12, 1);
	CHECK_STR(free_lists(z), "M1@6 M1@0 M1@12 M2@8 M5@32 M6@64 M7@128 M8@256 M9@512");
	F(20, 1);
	CHECK_STR(free_lists(z), "M1@20 M1@6 M1@0 M1@12 M2@8 M5@32 M6@64 M7@128 M8@256 M9@512");
	CHECK_CONSISTENT(m);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 20);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 6);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 12);
	for (unsigned long i = 0; i < 16; i++)
		if (2 * i != 8 && 2 * i != 10)  /* those two are the free order-2 block at 8 */
			F(2 * i, 1);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	done(m);
}

/*
 * Merging never crosses a zone boundary (page_is_buddy's zone check): with movablecore
 * the Normal/Movable boundary is only pageblock aligned, so the order-9 blocks on either
 * side are buddies by address but in different zones.
 *
 *   NBASE        +512                   +1024                         +2048
 *   | Normal o9  |  Movable o9          |          Movable o10          |
 *
 * Expect: after allocating both order-9 blocks and freeing them, Normal holds one free
 * order-9 block and Movable one order-9 and one order-10 block; nothing merged.
 */
static void merge_stops_at_zone_boundary(void)
{
	struct machine_desc d;

	t_desc_flat(&d, NBASE, 2048, 1);
	d.movablecore_pages = 1536;
	d.min_free_kbytes = 1;
	struct machine *m = t_machine(&d);
	struct zone *z = normal(m), *mov = &m->node_data[0]->node_zones[ZONE_MOVABLE];

	cpu_bind(m, 0);
	CHECK_EQ(z->spanned_pages, 512);
	CHECK_EQ(mov->zone_start_pfn, NBASE + 512);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 1 0");
	CHECK_STR(bi(mov), "0 0 0 0 0 0 0 0 0 1 1");
	CHECK_EQ(A(GFP_KERNEL, 9), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 512);
	F(0, 9);
	F(512, 9);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 1 0");
	CHECK_STR(bi(mov), "0 0 0 0 0 0 0 0 0 1 1");
	CHECK_EQ(nr_free(z), 512);
	CHECK_EQ(nr_free(mov), 1536);
	done(m);
}

/*
 * The 4.12 per-CPU refill: an order-0 miss takes `batch` pages from the buddy under the
 * zone lock. A 256 MiB zone (65536 frames) has batch 15 (65536/1024 = 64, /4 = 16,
 * rounddown_pow_of_two(16 + 8) - 1) and high 90. The 15 pages come off the first
 * order-10 block in address order; one is handed out, 14 stay on the list.
 *
 *   |A|p p p ... p|0|---4---|...|------9------|  63 x |---10---|
 *    0 1       14 15  16         512
 *
 * Expect: batch 15, high 90, pcp count 14, buddyinfo 1 0 0 0 1 1 1 1 1 1 63;
 * after drain_all_pages 1 1 1 1 1 1 1 1 1 1 63; after the free 0 ... 0 64.
 */
static void order0_miss_refills_batch(void)
{
	struct machine *m = normal_machine(65536, 0);
	struct zone *z = normal(m);
	struct per_cpu_pages *pcp = &this_cpu_pageset(z)->pcp;

	CHECK_EQ(pcp->batch, 15);
	CHECK_EQ(pcp->high, 90);
	unsigned long a = A(GFP_HIGHUSER_MOVABLE, 0);
	CHECK_EQ(a, 0);
	CHECK_EQ(pcp->count, 14);
	CHECK_STR(bi(z), "1 0 0 0 1 1 1 1 1 1 63");
	CHECK_EQ(nr_free(z), 65536 - 15);
	CHECK_EQ(event(m, PCP_REFILL), 1);
	CHECK_EQ(event(m, PCP_REFILL_PAGES), 15);
	/* the next allocations are hits, in address order */
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 0), 1);
	CHECK_EQ(pcp->count, 13);
	F(1, 0);
	CHECK_EQ(pcp->count, 14);
	CHECK_CONSISTENT(m);
	drain_all_pages(m, NULL);
	CHECK_EQ(pcp->count, 0);
	CHECK_STR(bi(z), "1 1 1 1 1 1 1 1 1 1 63");
	F(a, 0);
	drain_all_pages(m, NULL);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 64");
	CHECK_EQ(nr_free(z), 65536);
	done(m);
}

/*
 * reserve_highatomic_pageblock: the pageblock of a high-order atomic allocation becomes
 * HighAtomic and its free pages move to the HighAtomic lists. The reserve is capped at
 * managed/100 + one pageblock (2048/100 + 512 = 532 pages): the first two pageblocks
 * can be reserved (0 < 532, 512 < 532), a third cannot (1024 >= 532).
 *
 *   |   pb 0: H   |   pb 1: H   |   pb 2: M   |   pb 3: M   |
 *
 * Expect: HighAtomic lists H1@2 .. H8@256 after the first reservation; only ALLOC_HARDER
 * requests (or the drain of the reserve) use them; the watermark subtracts the reserve.
 */
static void highatomic_reserve(void)
{
	struct machine *m = normal_machine(2048, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 0);
	reserve_highatomic_pageblock(pfn_to_page(NBASE), z, 1);
	CHECK_EQ(pb_mt(m, 0), MIGRATE_HIGHATOMIC);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_MOVABLE);
	CHECK_EQ(z->nr_reserved_highatomic, 512);
	CHECK_STR(free_lists(z), "M9@512 M10@1024 H1@2 H2@4 H3@8 H4@16 H5@32 H6@64 H7@128 H8@256");
	/* no double counting when the block is already HighAtomic */
	reserve_highatomic_pageblock(pfn_to_page(NBASE + 2), z, 1);
	CHECK_EQ(z->nr_reserved_highatomic, 512);
	CHECK_CONSISTENT(m);

	/* the watermark: a non-atomic request doesn't count the reserve as free */
	CHECK(!__zone_watermark_ok(z, 0, 100, ZONE_NORMAL, 0, 612));
	CHECK(__zone_watermark_ok(z, 0, 100, ZONE_NORMAL, 0, 613));
	CHECK(__zone_watermark_ok(z, 0, 100, ZONE_NORMAL, ALLOC_HARDER, 100));

	/* an ordinary movable order-1 request splits the order-9 block, not the reserve */
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 512);

	/* an ALLOC_HARDER request takes the smallest HighAtomic block first */
	struct alloc_context ac = { .m = m, .migratetype = MIGRATE_UNMOVABLE, .high_zoneidx = ZONE_NORMAL };
	ac.zonelist = node_zonelist(m, 0, GFP_ATOMIC);
	ac.preferred_zoneref = ac.zonelist->_zonerefs;
	struct page *p = get_page_from_freelist(GFP_ATOMIC, 1, ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HARDER, &ac);
	CHECK(p != NULL);
	CHECK_EQ(p ? page_to_pfn(p) - NBASE : NONE, 2);
	CHECK_EQ(z->nr_reserved_highatomic, 512);        /* its block was HighAtomic already */

	/* a second pageblock can be reserved (512 < 532), a third cannot (1024 >= 532) */
	reserve_highatomic_pageblock(pfn_to_page(NBASE + 512), z, 1);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_HIGHATOMIC);
	CHECK_EQ(z->nr_reserved_highatomic, 1024);
	reserve_highatomic_pageblock(pfn_to_page(NBASE + 1024), z, 1);
	CHECK_EQ(pb_mt(m, 1024), MIGRATE_MOVABLE);
	CHECK_EQ(z->nr_reserved_highatomic, 1024);
	CHECK_CONSISTENT(m);

	/* a free into a HighAtomic pageblock goes to the HighAtomic lists and merges there */
	F(2, 1);
	CHECK(strstr(free_lists(z), "H1@2") != NULL);
	CHECK_CONSISTENT(m);

	/* under pressure one pageblock goes back (not the last one unless forced) */
	ac.migratetype = MIGRATE_MOVABLE;
	CHECK(unreserve_highatomic_pageblock(&ac, false));
	CHECK_EQ(z->nr_reserved_highatomic, 512);
	CHECK_EQ((pb_mt(m, 0) == MIGRATE_HIGHATOMIC) + (pb_mt(m, 512) == MIGRATE_HIGHATOMIC), 1);
	CHECK(!unreserve_highatomic_pageblock(&ac, false));     /* the last one stays */
	CHECK_EQ(z->nr_reserved_highatomic, 512);
	CHECK(unreserve_highatomic_pageblock(&ac, true));
	CHECK_EQ(z->nr_reserved_highatomic, 0);
	CHECK(pb_mt(m, 0) == MIGRATE_MOVABLE && pb_mt(m, 512) == MIGRATE_MOVABLE);
	CHECK(strchr(free_lists(z), 'H') == NULL);
	CHECK_CONSISTENT(m);
	F(0, 1);
	F(512, 1);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 2");
	done(m);
}

/*
 * The highatomic reserve end to end: with free pages between the atomic floor and the
 * low watermark, a GFP_ATOMIC order-1 request fails the fast path (low), succeeds in the
 * slow path (min, halved by ALLOC_HIGH, less a quarter for ALLOC_HARDER) and reserves
 * its pageblock. A 1024-frame zone has min 64, low 80 (min_free_kbytes 256).
 *
 *   |<-- pb 0: allocated o9 -->|<-- pb 1: o8 | o7 | o5 | o4 | free 80 -->|
 *
 * Expect: the atomic block's pageblock is HighAtomic, nr_reserved_highatomic 512, one
 * pgalloc_slowpath; afterwards GFP_KERNEL order 1 fails (free - reserve <= min) while
 * another GFP_ATOMIC order 1 is served from the reserve.
 */
static void highatomic_reserved_by_atomic_slowpath(void)
{
	struct machine *m = normal_machine(1024, 0);
	struct zone *z = normal(m);

	CHECK_EQ(min_wmark_pages(z), 64);
	CHECK_EQ(low_wmark_pages(z), 80);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 8), 512);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 7), 768);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 5), 896);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 4), 928);
	refresh_vm_stats(m);
	CHECK_EQ(zone_page_state(z, NR_FREE_PAGES), 80);
	CHECK_EQ(event(m, PGALLOC_SLOWPATH), 0);
	unsigned long a = A(GFP_ATOMIC, 1);
	CHECK(a != NONE);
	CHECK_EQ(event(m, PGALLOC_SLOWPATH), 1);
	CHECK_EQ(pb_mt(m, a), MIGRATE_HIGHATOMIC);
	CHECK_EQ(z->nr_reserved_highatomic, 512);
	CHECK_CONSISTENT(m);
	refresh_vm_stats(m);
	CHECK_EQ(A(GFP_KERNEL | __GFP_NOWARN, 1), NONE);
	unsigned long b = A(GFP_ATOMIC, 1);
	CHECK(b != NONE);
	CHECK_EQ(pb_mt(m, b), MIGRATE_HIGHATOMIC);
	CHECK_CONSISTENT(m);
	F(a, 1);
	F(b, 1);
	F(0, 9);
	F(512, 8);
	F(768, 7);
	F(896, 5);
	F(928, 4);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	done(m);
}

/*
 * Isolation: a pageblock set to MIGRATE_ISOLATE (set_pageblock_migratetype, then
 * move_freepages_block and the NR_FREE_PAGES adjustment, as set_migratetype_isolate does)
 * is not allocatable; frees into it go to the Isolate lists without counting in
 * NR_FREE_PAGES (order 0 bypasses the per-CPU lists) and merge inside it, but not with
 * a normal pageblock at pageblock order.
 *
 *   |<-- pb 0: A (o9) -->|<-- pb 1, ISOLATE: B (o0) | free 511 -->|
 *
 * Expect: NR_FREE_PAGES 0 after isolating; allocation fails; freeing B gives I9@512
 * (NR_FREE 0, no pcp free); freeing A gives M9@0 beside it (buddyinfo ... 2 0, NR_FREE
 * 512); undoing the isolation merges to one order-10 block, NR_FREE 1024.
 */
static void isolated_pageblock(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 0), 512);
	CHECK_STR(free_lists(z), "M0@513 M1@514 M2@516 M3@520 M4@528 M5@544 M6@576 M7@640 M8@768");

	zone_lock(z);
	struct page *pb1 = pfn_to_page(NBASE + 512);
	set_pageblock_migratetype(z, pb1, MIGRATE_ISOLATE);
	int moved = move_freepages_block(z, pb1, MIGRATE_ISOLATE);
	__mod_zone_freepage_state(z, -moved, MIGRATE_MOVABLE);
	zone_unlock(z);
	CHECK_EQ(moved, 511);
	CHECK_EQ(z->nr_isolate_pageblock, 1);
	CHECK_EQ(nr_free(z), 0);
	CHECK_STR(free_lists(z), "I0@513 I1@514 I2@516 I3@520 I4@528 I5@544 I6@576 I7@640 I8@768");
	CHECK_CONSISTENT(m);

	refresh_vm_stats(m);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 1), NONE);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0), NONE);
	CHECK_STR(free_lists(z), "I0@513 I1@514 I2@516 I3@520 I4@528 I5@544 I6@576 I7@640 I8@768");

	unsigned long pcp_frees = zone_pcp_stat(z, PCP_STAT_FREE);
	F(512, 0);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_FREE), pcp_frees);
	CHECK_EQ(this_cpu_pageset(z)->pcp.count, 0);
	CHECK_STR(free_lists(z), "I9@512");
	CHECK_EQ(nr_free(z), 0);
	F(0, 9);
	CHECK_STR(free_lists(z), "M9@0 I9@512");
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 2 0");
	CHECK_EQ(nr_free(z), 512);
	CHECK_CONSISTENT(m);

	/* undo: take the isolated block off its list, retype the pageblock, free it again */
	zone_lock(z);
	struct page *p = __rmqueue_smallest(z, 9, MIGRATE_ISOLATE);
	CHECK(p == pb1);
	set_pageblock_migratetype(z, pb1, MIGRATE_MOVABLE);
	__free_one_page(pb1, NBASE + 512, z, 9, MIGRATE_MOVABLE);
	zone_unlock(z);
	CHECK_EQ(z->nr_isolate_pageblock, 0);
	CHECK_STR(free_lists(z), "M10@0");
	CHECK_EQ(nr_free(z), 1024);
	done(m);
}

int main(void)
{
	RUN(alloc_order0_splits_max_order_block);
	RUN(split_merge_sequence);
	RUN(fill_with_order9_and_merge_back);
	RUN(free_tail_placement_when_higher_buddy_free);
	RUN(merge_stops_at_zone_boundary);
	RUN(order0_miss_refills_batch);
	RUN(highatomic_reserve);
	RUN(highatomic_reserved_by_atomic_slowpath);
	RUN(isolated_pageblock);
	TEST_SUMMARY();
}
