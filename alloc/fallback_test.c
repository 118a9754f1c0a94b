// SPDX-License-Identifier: GPL-2.0
/*
 * fallback_test.c - __rmqueue_fallback: which pageblocks an allocation of another type
 * claims, when it only steals pages, what each kernel's fallback does (4.12's, 4.13's,
 * 6.15's claim-or-steal).
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
 * __rmqueue_fallback, a steal of a whole block of pageblock order or more: an
 * unmovable request with no unmovable free pages takes the largest free block of a
 * fallback type (Movable, order 10), and because it is >= pageblock_order both its
 * pageblocks change to Unmovable (change_pageblock_range). The split halves go to the
 * Unmovable lists.
 *
 *   pageblocks  |   Movable   |   Movable   |   ->   |  Unmovable  |  Unmovable  |
 *
 * Expect: block at 0; U1@2 ... U9@512; both pageblocks Unmovable; one pgalloc_extfrag.
 */
static void fallback_claims_pageblocks_of_large_block(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	CHECK_EQ(pb_mt(m, 0), MIGRATE_MOVABLE);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_MOVABLE);
	CHECK_EQ(A(GFP_KERNEL, 1), 0);
	CHECK_STR(free_lists(z), "U1@2 U2@4 U3@8 U4@16 U5@32 U6@64 U7@128 U8@256 U9@512");
	CHECK_EQ(pb_mt(m, 0), MIGRATE_UNMOVABLE);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_UNMOVABLE);
	CHECK_EQ(event(m, PGALLOC_EXTFRAG), 1);
	/* a second unmovable request finds its own type: no fallback */
	CHECK_EQ(A(GFP_KERNEL, 1), 2);
	CHECK_EQ(event(m, PGALLOC_EXTFRAG), 1);
	F(0, 1);
	F(2, 1);
	CHECK_STR(free_lists(z), "U10@0");
	done(m);
}

/*
 * A steal of exactly half a pageblock claims it: pageblock 1 has one free order-8 block
 * (256 free pages = 1 << (pageblock_order - 1)); move_freepages_block moves 256 pages,
 * which is enough to set the pageblock Unmovable.
 *
 *   |<-- pb 0: A (movable o9) -->|<-- pb 1: B (movable o8) | free o8 -->|
 *
 * Expect: the unmovable order-1 block at 768; pageblock 1 Unmovable, pageblock 0 still
 * Movable; free lists U1@770 U2@772 ... U7@896.
 */
static void fallback_steal_of_half_pageblock_claims_it(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 8), 512);
	CHECK_STR(free_lists(z), "M8@768");
	CHECK_EQ(A(GFP_KERNEL, 1), 768);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_UNMOVABLE);
	CHECK_EQ(pb_mt(m, 0), MIGRATE_MOVABLE);
	CHECK_STR(free_lists(z), "U1@770 U2@772 U3@776 U4@784 U5@800 U6@832 U7@896");
	CHECK_EQ(event(m, PGALLOC_EXTFRAG), 1);
	CHECK_CONSISTENT(m);
	/* the movable block B, freed into a now Unmovable pageblock, joins the Unmovable lists */
	F(512, 8);
	CHECK_STR(free_lists(z), "U1@770 U2@772 U3@776 U4@784 U5@800 U6@832 U7@896 U8@512");
	done(m);
}

/*
 * A steal of less than half a pageblock only moves the free pages: pageblock 1 has one
 * free order-7 block (128 pages < 256). The free pages go to the Unmovable lists (and
 * the split remainders too), but the pageblock stays Movable; a later free of the
 * unmovable block goes back by the pageblock's type, Movable, and merges.
 *
 *   |<-- pb 0: movable o9 -->|<-- pb 1: movable o8 | movable o7 | free o7 -->|
 *
 * Expect: the order-1 block at 896; U1@898 ... U6@960; pageblock 1 Movable;
 * after its free, M7@896.
 */
static void fallback_small_steal_moves_free_pages_only(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 9), 0);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 8), 512);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 7), 768);
	CHECK_STR(free_lists(z), "M7@896");
	CHECK_EQ(A(GFP_KERNEL, 1), 896);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_MOVABLE);
	CHECK_STR(free_lists(z), "U1@898 U2@900 U3@904 U4@912 U5@928 U6@960");
	CHECK_STR(bi(z), "0 1 1 1 1 1 1 0 0 0 0");
	CHECK_CONSISTENT(m);
	F(896, 1);
	CHECK_STR(free_lists(z), "M7@896");
	done(m);
}

/*
 * can_steal_fallback for a movable request: it may steal (move the pageblock's free
 * pages) only from blocks of order >= pageblock_order / 2 = 4. Everything is made
 * Unmovable first (an unmovable order-9 request claims both pageblocks), then
 * unmovable blocks are allocated until pageblock 1 has free blocks of orders 2 and 4.
 *
 *   pb 1: |--- o8 ---|-- o7 --|- o6 -|o3|o2|fr2|free o4|-- o5 --|
 *         512        768      896    960 968 972 976   992
 *
 * A movable order-1 request takes the largest (order 4 at 976, exactly the threshold)
 * and moves both free blocks (20 pages, not half) to the Movable lists; the pageblock
 * stays Unmovable.
 *
 * Expect: block at 976; M1@978 M2@980 M2@972 M3@984 (972 moved first, then expand put
 * 980 in front of it); no Unmovable free block left; pageblock 1 Unmovable.
 */
static void fallback_movable_steals_at_half_pageblock_order(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_KERNEL, 9), 0);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_UNMOVABLE);
	CHECK_EQ(A(GFP_KERNEL, 8), 512);
	CHECK_EQ(A(GFP_KERNEL, 7), 768);
	CHECK_EQ(A(GFP_KERNEL, 6), 896);
	CHECK_EQ(A(GFP_KERNEL, 3), 960);
	CHECK_EQ(A(GFP_KERNEL, 5), 992);
	CHECK_EQ(A(GFP_KERNEL, 2), 968);
	CHECK_STR(free_lists(z), "U2@972 U4@976");
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 976);
	CHECK_STR(free_lists(z), "M1@978 M2@980 M2@972 M3@984");
	CHECK_EQ(pb_mt(m, 512), MIGRATE_UNMOVABLE);
	CHECK_EQ(event(m, PGALLOC_EXTFRAG), 2);      /* the first GFP_KERNEL stole too */
	done(m);
}

/*
 * ... and below order 4 a movable request cannot steal: it takes the block but moves
 * nothing; the split remainders still go to the requester's (Movable) lists.
 *
 *   pb 1: |--- o8 ---|-- o7 --|- o6 -|o4|o3|free o3|o5|
 *         512        768      896    960 976 984   992
 *
 * Expect: block at 984; M1@986 M2@988; pageblock 1 Unmovable.
 */
static void fallback_movable_cannot_steal_small_block(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_KERNEL, 9), 0);
	CHECK_EQ(A(GFP_KERNEL, 8), 512);
	CHECK_EQ(A(GFP_KERNEL, 7), 768);
	CHECK_EQ(A(GFP_KERNEL, 6), 896);
	CHECK_EQ(A(GFP_KERNEL, 4), 960);
	CHECK_EQ(A(GFP_KERNEL, 5), 992);
	CHECK_EQ(A(GFP_KERNEL, 3), 976);
	CHECK_STR(free_lists(z), "U3@984");
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 984);
	CHECK_STR(free_lists(z), "M1@986 M2@988");
	CHECK_EQ(pb_mt(m, 512), MIGRATE_UNMOVABLE);
	CHECK_EQ(pb_mt(m, 0), MIGRATE_UNMOVABLE);
	CHECK_CONSISTENT(m);
	/* freed, it goes by its pageblock (Unmovable) and merges with the movable-listed halves */
	F(984, 1);
	CHECK_STR(free_lists(z), "U3@984");
	done(m);
}

/*
 * The fallback order: an unmovable request tries Reclaimable before Movable
 * (fallbacks[MIGRATE_UNMOVABLE]). A reclaimable order-10 request first claims
 * pageblocks 0-1 for Reclaimable; freed, that block sits on the Reclaimable list
 * beside the Movable one at 1024.
 *
 *   |  Recl  |  Recl  |  Mov  |  Mov  |   ->   |  Unmov  |  Unmov  |  Mov  |  Mov  |
 *
 * Expect: the unmovable request gets offset 0 (the reclaimable block), pageblocks 0-1
 * Unmovable, 2-3 still Movable, M10@1024 untouched.
 */
static void fallback_unmovable_prefers_reclaimable(void)
{
	struct machine *m = normal_machine(2048, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_KERNEL | __GFP_RECLAIMABLE, 10), 0);
	CHECK_EQ(pb_mt(m, 0), MIGRATE_RECLAIMABLE);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_RECLAIMABLE);
	CHECK_EQ(pb_mt(m, 1024), MIGRATE_MOVABLE);
	F(0, 10);
	CHECK_STR(free_lists(z), "M10@1024 R10@0");
	CHECK_EQ(A(GFP_KERNEL, 1), 0);
	CHECK_STR(free_lists(z), "U1@2 U2@4 U3@8 U4@16 U5@32 U6@64 U7@128 U8@256 U9@512 M10@1024");
	CHECK_EQ(pb_mt(m, 0), MIGRATE_UNMOVABLE);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_UNMOVABLE);
	CHECK_EQ(pb_mt(m, 1024), MIGRATE_MOVABLE);
	CHECK_EQ(pb_mt(m, 1536), MIGRATE_MOVABLE);
	/* a movable request is served from its own list, no fallback */
	unsigned long before = event(m, PGALLOC_EXTFRAG);
	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 10), 1024);
	CHECK_EQ(event(m, PGALLOC_EXTFRAG), before);
	F(1024, 10);
	F(0, 1);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 2");
	done(m);
}

/*
 * __rmqueue_fallback steals the largest free block of a fallback type, not the smallest
 * that fits (4.12): with a free movable order-2 block and the movable order-9 remainder
 * of the zone, an unmovable order-1 request takes from the order-9 block.
 *
 *   |A o1|free o1|free o2|  A o3  |...|<------ free o9 ------>|
 *
 * Expect: the block comes from offset 512 (the order-9 block), not 4.
 */
static void fallback_takes_largest_block(void)
{
	struct machine *m = normal_machine(1024, 1);
	struct zone *z = normal(m);

	CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 1), 0);
	CHECK_STR(free_lists(z), "M1@2 M2@4 M3@8 M4@16 M5@32 M6@64 M7@128 M8@256 M9@512");
	CHECK_EQ(A(GFP_KERNEL, 1), 512);
	CHECK_EQ(pb_mt(m, 512), MIGRATE_UNMOVABLE);     /* a whole order-9 block: claimed */
	CHECK_EQ(pb_mt(m, 0), MIGRATE_MOVABLE);
	CHECK_STR(free_lists(z),
		  "U1@514 U2@516 U3@520 U4@528 U5@544 U6@576 U7@640 U8@768 M1@2 M2@4 M3@8 M4@16 M5@32 M6@64 M7@128 M8@256");
	F(512, 1);
	F(0, 1);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	done(m);
}

/*
 * A movable order-4 request with the movable lists empty and an unmovable pageblock
 * holding 48 free pages (less than half of it) as an order-5 and an order-4 block:
 *
 *   pb 0 (U): |A o4 x4| free o5 @64 | free o4 @128 | A o4 ... |   pb 1 (M): all allocated
 *
 * The kernels fall back differently (the policy's fallback):
 *   4.12   the largest block (o5 @64): its pageblock's free pages move to the movable
 *          lists (not claimed: 48 < 256), the o5 splits: 64 is handed out, 80 stays free.
 *   4.13+  the largest block's pageblock is stolen the same way, then the request retries
 *          its own lists and takes the smallest fit there: the o4 @128; o5 @64 stays free.
 *   6.15+  no block can be claimed (48 < 256 at o5 and o4; lower orders may not claim),
 *          so it steals the smallest block (o4 @128) and moves nothing: o5 @64 stays
 *          on the unmovable list.
 * Expect: the offset and the free lists below, pageblock 0 still unmovable, and the
 * machine consistent after everything is freed.
 */
static const struct { unsigned long off; const char *lists; } fallback_expect[NR_PCP_POLICIES] = {
	[PCP_POLICY_LINUX_4_12] = { 64, "M4@80 M4@128" },
	[PCP_POLICY_LINUX_4_19] = { 128, "M5@64" },	[PCP_POLICY_LINUX_5_14] = { 128, "M5@64" },
	[PCP_POLICY_LINUX_6_0] = { 128, "M5@64" },	[PCP_POLICY_LINUX_6_6] = { 128, "M5@64" },
	[PCP_POLICY_LINUX_6_7] = { 128, "M5@64" },	[PCP_POLICY_LINUX_6_18] = { 128, "U5@64" },
};

static void fallback_of_each_kernel(enum pcp_policy_id policy)
{
	if (!fallback_expect[policy].lists) {
		t_skip_policy(policy, "no expected fallback for it");
		return;
	}
	struct machine *m = policy_machine(1024, 1, policy);
	struct zone *z = normal(m);

	for (unsigned long off = 0; off < 1024; off += 16)
		CHECK_EQ(A(GFP_HIGHUSER_MOVABLE, 4), off);
	zone_lock(z);
	set_pageblock_migratetype(z, pfn_to_page(NBASE), MIGRATE_UNMOVABLE);
	zone_unlock(z);
	F(64, 4);
	F(80, 4);
	F(128, 4);
	CHECK_STR(free_lists(z), "U4@128 U5@64");
	unsigned long before = event(m, PGALLOC_EXTFRAG);
	unsigned long got = A(GFP_HIGHUSER_MOVABLE, 4);
	CHECK_EQ(got, fallback_expect[policy].off);
	CHECK_STR(free_lists(z), fallback_expect[policy].lists);
	CHECK_EQ(pb_mt(m, 0), MIGRATE_UNMOVABLE);
	CHECK_EQ(event(m, PGALLOC_EXTFRAG), before + 1);
	CHECK_CONSISTENT(m);
	for (unsigned long off = 0; off < 1024; off += 16)
		if (off != 64 && off != 80 && off != 128)
			F(off, 4);
	F(got, 4);
	CHECK_EQ(nr_free(z), 1024);
	done(m);
}

int main(void)
{
	RUN(fallback_claims_pageblocks_of_large_block);
	RUN(fallback_steal_of_half_pageblock_claims_it);
	RUN(fallback_small_steal_moves_free_pages_only);
	RUN(fallback_movable_steals_at_half_pageblock_order);
	RUN(fallback_movable_cannot_steal_small_block);
	RUN(fallback_unmovable_prefers_reclaimable);
	RUN(fallback_takes_largest_block);
	RUN_EACH_POLICY(fallback_of_each_kernel);
	TEST_SUMMARY();
}
