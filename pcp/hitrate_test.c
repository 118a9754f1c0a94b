// SPDX-License-Identifier: GPL-2.0
/*
 * hitrate_test.c - exact hit/refill/drain counts of scripted sequences, one thread, on one
 * CPU and on several (cpu_bind_many + cpu_switch), both policies and both protection
 * schemes (which must give identical counts when nothing runs concurrently).
 *
 * The machine: one node, one 1 GiB Normal zone at 4 GiB (managed 262144, nothing
 * reserved), 2 CPUs. Worked out in batch_test.c:
 *   low watermark 1286 (min_free_kbytes 4096 KiB -> min 1024 pages, step 262)
 *   4.12  batch 31, high 186
 *   4.19  batch 63, high 378
 *   5.14-6.6  batch 63, high 1286/2 = 643
 *   6.7+  batch 63, high_min 643, high_max 262144/8/2 = 16384,
 *         CONFIG_PCP_BATCH_SCALE_MAX 5 (63 << 5 = 2016)
 * "6.x" below is 6.7 and later (the cases run under linux-6.18, the newest); a policy
 * missing from the per-policy tables (batch_of, cold_end_of: a researcher's) is skipped
 * by the exact-count cases and runs in every other one.
 * Allocations are GFP_KERNEL|__GFP_MOVABLE: Normal zone, MOVABLE lists, and every
 * pageblock starts MOVABLE, so nothing is stolen and frees return to the same list.
 */
#include "pcp/hitrate_fixture.h"

/*
 * 4.12, one CPU:
 *   alloc 1        miss: one refill of 31 (REFILL 1, REFILL_PAGES 31, HIT 0), count 30
 *   alloc 30 more  30 hits, count 0
 *   alloc the 32nd miss: REFILL 2, REFILL_PAGES 62, count 30
 *   free all 32    count 62 (< high 186): no drain; conservation holds with 62 on the list
 *   drain_local_pages: DRAIN 1 of 62 pages, everything back in the buddy
 * Expect: the same numbers under both schemes; nothing taken under the zone lock directly.
 */
static void test_refill_and_hits_4_12(void)
{
	FOR_EACH_SCHEME(s) {
		struct machine *m = pcp_machine(PCP_POLICY_LINUX_4_12, s);
		struct start st;
		cpu_bind(m, 0);
		start_of(m, &st);

		alloc_n(0, 1, 0);
		CHECK_EQ(stat(m, PCP_STAT_ALLOC), 1);
		CHECK_EQ(stat(m, PCP_STAT_HIT), 0);
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 1);
		CHECK_EQ(stat(m, PCP_STAT_REFILL_PAGES), 31);
		CHECK_EQ(pcp_of(m, 0)->count, 30);
		CHECK_EQ(nr_free(m), st.nr_free - 31);

		alloc_n(1, 30, 0);
		CHECK_EQ(stat(m, PCP_STAT_HIT), 30);
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 1);
		CHECK_EQ(pcp_of(m, 0)->count, 0);

		alloc_n(31, 1, 0);
		CHECK_EQ(stat(m, PCP_STAT_ALLOC), 32);
		CHECK_EQ(stat(m, PCP_STAT_HIT), 30);
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 2);
		CHECK_EQ(stat(m, PCP_STAT_REFILL_PAGES), 62);
		CHECK_EQ(pcp_of(m, 0)->count, 30);
		CHECK_EQ(event(m, PCP_REFILL), 2);
		CHECK_EQ(event(m, PCP_REFILL_PAGES), 62);
		CHECK_EQ(event(m, PGALLOC_ZONE_LOCKED), 0);
		CHECK_EQ(event(m, PGALLOC_NORMAL), 32);

		free_n(0, 32, 0);
		CHECK_EQ(stat(m, PCP_STAT_FREE), 32);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 0);
		CHECK_EQ(pcp_of(m, 0)->count, 62);
		CHECK_EQ(nr_free(m), st.nr_free - 62);
		CHECK_CONSISTENT(m);            /* conservation with 62 pages on a pcp list */

		drain_local_pages(normal(m));
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 1);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 62);
		check_back_to_start(m, &st);
		cpu_unbind();
		machine_destroy(m);
	}
}

/*
 * 4.12: 186 allocations are exactly 6 refills (6 * 31), count 0. Freeing them: the first
 * 185 stay on the list; the 186th reaches high and drains one batch of 31 from the tail,
 * i.e. the 31 pages freed first (frees go to the head): count 155. 31 more frees drain
 * again (count 155 + 31 = 186 -> 155).
 */
static void test_drain_at_high_4_12(void)
{
	FOR_EACH_SCHEME(s) {
		struct machine *m = pcp_machine(PCP_POLICY_LINUX_4_12, s);
		struct start st;
		cpu_bind(m, 0);
		start_of(m, &st);

		alloc_n(0, 186 + 31, 0);
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 7);
		CHECK_EQ(stat(m, PCP_STAT_HIT), 186 + 31 - 7);
		CHECK_EQ(pcp_of(m, 0)->count, 0);

		free_n(0, 185, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 0);
		CHECK_EQ(pcp_of(m, 0)->count, 185);
		free_n(185, 1, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 1);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 31);
		CHECK_EQ(pcp_of(m, 0)->count, 155);
		CHECK_EQ(nr_free(m), st.nr_free - 155 - 31);    /* 31 still allocated */
		/* oldest first: the first 31 freed went back to the buddy, the rest are on the list */
		for (int i = 0; i < 186; i++)
			CHECK_EQ(!!(pages[i]->flags & PG_pcp), i >= 31);
		CHECK_CONSISTENT(m);

		free_n(186, 31, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 2);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 62);
		CHECK_EQ(pcp_of(m, 0)->count, 155);
		CHECK_EQ(event(m, PCP_DRAIN), 2);
		CHECK_EQ(event(m, PCP_DRAIN_PAGES), 62);

		drain_all_pages(m, NULL);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 3);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 217);
		check_back_to_start(m, &st);
		cpu_unbind();
		machine_destroy(m);
	}
}

/* Free one page the way 4.12's free_hot_cold_page(page, cold=true) does. */
static void free_cold(struct machine *m, struct page *p)
{
	unsigned long pfn = __page_to_pfn(m, p);
	CHECK(free_pages_prepare(m, p, 0));
	int mt = get_pageblock_migratetype_pfn(m, pfn);
	if (!free_unref_page(normal(m), p, pfn, 0, mt, __GFP_COLD))
		free_one_page(normal(m), p, pfn, 0, mt);
}

/*
 * __GFP_COLD. 4.12: a cold free goes to the tail of the list, a cold allocation takes from
 * the tail; hot ones use the head. From 4.15 there is no cold end: both are hot.
 *   alloc A (refill 31: A is the first page handed out, 30 left, head = the next one B)
 *   free A cold   -> 4.12: tail is A, head still B; 6.x: head is A
 *   alloc hot     -> 4.12: B; 6.x: A
 *   alloc cold    -> 4.12: A (from the tail); 6.x: B
 */
static void test_cold_end(enum pcp_policy_id p)
{
	if (!batch_of[p]) {
		t_skip_policy(p, "no expected counts for it");
		return;
	}
	FOR_EACH_SCHEME(s) {
			struct machine *m = pcp_machine((enum pcp_policy_id)p, s);
			struct zone *z = normal(m);
			struct start st;
			cpu_bind(m, 0);
			start_of(m, &st);
			/* order 0, movable: list MIGRATE_MOVABLE in both (6.x pindex 3 * 0 + 1) */
			struct pcp_list *list = &pcp_of(m, 0)->lists[MIGRATE_MOVABLE];

			struct page *a = alloc_pages(GFP_T, 0);
			struct page *b = pcp_list_first(z, list);
			CHECK(a && b && a != b);
			free_cold(m, a);
			if (cold_end_of[p]) {
				CHECK(pcp_list_last(z, list) == a);
				CHECK(pcp_list_first(z, list) == b);
			} else {
				CHECK(pcp_list_first(z, list) == a);
			}
			struct page *hot = alloc_pages(GFP_T, 0);
			struct page *cold = alloc_pages(GFP_T | __GFP_COLD, 0);
			CHECK(hot == (cold_end_of[p] ? b : a));
			CHECK(cold == (cold_end_of[p] ? a : b));
			CHECK_EQ(stat(m, PCP_STAT_REFILL), 1);
			CHECK_EQ(stat(m, PCP_STAT_HIT), 2);
			__free_page(hot);
			__free_page(cold);
			CHECK_CONSISTENT(m);
			drain_local_pages(NULL);
			check_back_to_start(m, &st);
			cpu_unbind();
			machine_destroy(m);
		}
}

/*
 * Two CPUs held by one thread. Pages allocated on CPU 0 and freed on CPU 1 land on CPU 1's
 * list (the kernel frees to the local pcp, whoever allocated). 40 pages:
 *   batch 31 (4.12)  CPU 0: 2 refills (62), 38 hits, count 22; CPU 1: 40 frees, count 40
 *   batch 63         CPU 0: 1 refill of 63, 39 hits, count 23; CPU 1: count 40
 * (40 is below every kernel's high: no drain).
 * drain_pages_cpu(1) empties only CPU 1; drain_all_pages the rest.
 */
static void test_remote_free_two_cpus(enum pcp_policy_id p)
{
	static const int cpus[2] = { 0, 1 };
	const int batch = batch_of[p], refills = batch ? (40 + batch - 1) / batch : 0;

	if (!batch) {
		t_skip_policy(p, "no expected counts for it");
		return;
	}
	FOR_EACH_SCHEME(s) {
			struct machine *m = pcp_machine((enum pcp_policy_id)p, s);
			struct start st;
			int left0 = refills * batch - 40;
			CHECK_EQ(cpu_bind_many(m, cpus, 2), 0);
			start_of(m, &st);

			cpu_switch(0);
			alloc_n(0, 40, 0);
			CHECK_EQ(cpu_stat(m, 0, PCP_STAT_REFILL), refills);
			CHECK_EQ(cpu_stat(m, 0, PCP_STAT_HIT), 40 - refills);
			CHECK_EQ(pcp_of(m, 0)->count, left0);
			cpu_switch(1);
			free_n(0, 40, 0);
			CHECK_EQ(cpu_stat(m, 1, PCP_STAT_FREE), 40);
			CHECK_EQ(cpu_stat(m, 0, PCP_STAT_FREE), 0);
			CHECK_EQ(cpu_stat(m, 1, PCP_STAT_ALLOC), 0);
			CHECK_EQ(pcp_of(m, 1)->count, 40);
			CHECK_EQ(pcp_of(m, 0)->count, left0);
			for (int i = 0; i < 40; i++)
				CHECK(pages[i]->flags == PG_pcp);
			CHECK_CONSISTENT(m);

			/* CPU 1 allocates from its own list now: 10 hits, no refill */
			alloc_n(0, 10, 0);
			CHECK_EQ(cpu_stat(m, 1, PCP_STAT_HIT), 10);
			CHECK_EQ(cpu_stat(m, 1, PCP_STAT_REFILL), 0);
			free_n(0, 10, 0);

			drain_pages_cpu(m, 1, normal(m));
			CHECK_EQ(pcp_of(m, 1)->count, 0);
			CHECK_EQ(pcp_of(m, 0)->count, left0);
			CHECK_EQ(cpu_stat(m, 1, PCP_STAT_DRAIN_PAGES), 40);
			CHECK_EQ(nr_free(m), st.nr_free - left0);
			drain_all_pages(m, NULL);
			CHECK_EQ(cpu_stat(m, 0, PCP_STAT_DRAIN_PAGES), left0);
			check_back_to_start(m, &st);
			cpu_unbind();
			machine_destroy(m);
		}
}

/*
 * Interleaved CPUs: 10 allocations on CPU 0, 10 on CPU 1, alternating. Each CPU refills
 * once (its own batch) and hits 9 times; the zone sum is 2 refills and 18 hits.
 * drain_local_pages on CPU 1 leaves CPU 0's list alone.
 */
static void test_interleaved_cpus(enum pcp_policy_id p)
{
	static const int cpus[2] = { 0, 1 };
	const int batch = batch_of[p];

	if (!batch) {
		t_skip_policy(p, "no expected counts for it");
		return;
	}
	FOR_EACH_SCHEME(s) {
			struct machine *m = pcp_machine((enum pcp_policy_id)p, s);
			struct start st;
			cpu_bind_many(m, cpus, 2);
			start_of(m, &st);
			for (int i = 0; i < 20; i++) {
				cpu_switch(i & 1);
				alloc_n(i, 1, 0);
			}
			for (int c = 0; c < 2; c++) {
				CHECK_EQ(cpu_stat(m, c, PCP_STAT_REFILL), 1);
				CHECK_EQ(cpu_stat(m, c, PCP_STAT_REFILL_PAGES), batch);
				CHECK_EQ(cpu_stat(m, c, PCP_STAT_HIT), 9);
				CHECK_EQ(pcp_of(m, c)->count, batch - 10);
			}
			CHECK_EQ(stat(m, PCP_STAT_REFILL), 2);
			CHECK_EQ(stat(m, PCP_STAT_HIT), 18);
			CHECK_EQ(nr_free(m), st.nr_free - 2 * batch);
			for (int i = 0; i < 20; i++) {
				cpu_switch(i & 1);
				free_n(i, 1, 0);
			}
			CHECK_EQ(pcp_of(m, 0)->count, batch);
			CHECK_EQ(pcp_of(m, 1)->count, batch);
			cpu_switch(1);
			drain_local_pages(NULL);
			CHECK_EQ(pcp_of(m, 1)->count, 0);
			CHECK_EQ(pcp_of(m, 0)->count, batch);
			cpu_switch(0);
			drain_local_pages(normal(m));
			check_back_to_start(m, &st);
			cpu_unbind();
			machine_destroy(m);
		}
}

/*
 * 6.x: orders 0..3 and pageblock order 9 use the lists; order 4 goes to the buddy. 4.12:
 * only order 0. First allocation of each order on a fresh CPU 0 (6.x), nr_pcp_alloc:
 *   high starts at high_min 643 and grows by the base batch 63 on each refill
 *   order 1: 63 >> 1 = 31 blocks = 62 pages, count 60,  high 706
 *   order 2: 63 >> 2 = 15 blocks = 60 pages, count 116, high 769
 *   order 3: 63 >> 3 = 7 blocks  = 56 pages, count 164, high 832
 *   order 9: 63 >> 9 = 0 -> 2 blocks = 1024 pages, count 676, high 895
 *   order 4: buddy, PGALLOC_ZONE_LOCKED 16, the lists untouched
 * A second allocation of orders 1, 2, 3, 9 hits: count 676 - 2 - 4 - 8 - 512 = 150
 * (29 order-1, 13 order-2, 5 order-3 blocks, no order-9 block).
 * Freeing the eight pcp blocks (two of each order, low orders first): free_count grows by
 * each block's pages (2, 4, 8, 16, 20, 28, then +512 = 540, +512 = 1052); count 152 .. 690
 * stays below high 895 until the last order-9 free makes it 1202: nr_pcp_high raises
 * high to free_count + batch = 1115 and returns 895, so one drain of
 * clamp(1052, 63, 895 - 63 = 832) = 832 pages starting at the order-9 list, which gives
 * back both order-9 blocks (1024 pages, the last one overshoots): count 178.
 */
static void test_high_order_lists(enum pcp_policy_id p)
{
	if (!autotuned_of[p]) {
		t_skip_policy(p, "not an auto-tuning kernel (its counts are worked for 6.7+)");
		return;
	}
	static const unsigned int orders[4] = { 1, 2, 3, 9 };
	FOR_EACH_SCHEME(s) {
		struct machine *m = pcp_machine(p, s);
		struct per_cpu_pages *pcp = pcp_of(m, 0);
		struct start st;
		cpu_bind(m, 0);
		start_of(m, &st);
		static const int count_after[4] = { 60, 116, 164, 676 }, high_after[4] = { 706, 769, 832, 895 };
		for (int i = 0; i < 4; i++) {
			alloc_n(i, 1, orders[i]);
			CHECK_EQ(pcp->count, count_after[i]);
			CHECK_EQ(pcp->high, high_after[i]);
		}
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 4);
		CHECK_EQ(stat(m, PCP_STAT_REFILL_PAGES), 62 + 60 + 56 + 1024);
		CHECK_EQ(stat(m, PCP_STAT_HIT), 0);
		CHECK_EQ(pcp->alloc_factor, 0);         /* only order-0 refills scale */

		alloc_n(4, 1, 4);
		CHECK_EQ(stat(m, PCP_STAT_ALLOC), 4);
		CHECK_EQ(event(m, PGALLOC_ZONE_LOCKED), 16);
		CHECK_EQ(pcp->count, 676);
		CHECK_EQ(nr_free(m), st.nr_free - 1202 - 16);

		for (int i = 0; i < 4; i++)
			alloc_n(5 + i, 1, orders[i]);
		CHECK_EQ(stat(m, PCP_STAT_HIT), 4);
		CHECK_EQ(pcp->count, 150);
		int blocks[NR_PCP_LISTS] = { 0 };
		for (int l = 0; l < NR_PCP_LISTS; l++)
			CHECK_EQ(pcp_list_walk(normal(m), &pcp->lists[l], ~0UL, count_block, &blocks[l]), 0);
		CHECK_EQ(blocks[3 * 1 + MIGRATE_MOVABLE], 29);
		CHECK_EQ(blocks[3 * 2 + MIGRATE_MOVABLE], 13);
		CHECK_EQ(blocks[3 * 3 + MIGRATE_MOVABLE], 5);
		CHECK_EQ(blocks[NR_LOWORDER_PCP_LISTS + 1], 0);
		CHECK_CONSISTENT(m);

		__free_pages(pages[4], 4);              /* order 4: straight to the buddy */
		CHECK_EQ(stat(m, PCP_STAT_FREE), 0);
		CHECK_EQ(pcp->count, 150);
		for (int i = 0; i < 4; i++) {
			__free_pages(pages[i], orders[i]);
			__free_pages(pages[5 + i], orders[i]);
			if (i < 3)
				CHECK_EQ(stat(m, PCP_STAT_DRAIN), 0);
		}
		CHECK_EQ(stat(m, PCP_STAT_FREE), 8);
		CHECK_EQ(pcp->free_count, 1052);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 1);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 1024);
		CHECK_EQ(pcp->count, 178);
		CHECK_EQ(pcp->high, 1115);
		CHECK_CONSISTENT(m);
		drain_all_pages(m, NULL);
		check_back_to_start(m, &st);
		cpu_unbind();
		machine_destroy(m);
	}

	/* 4.12: order 1 never touches the lists */
	struct machine *m = pcp_machine(PCP_POLICY_LINUX_4_12, PCP_SCHEME_OWNER);
	cpu_bind(m, 0);
	alloc_n(0, 1, 1);
	CHECK_EQ(stat(m, PCP_STAT_ALLOC), 0);
	CHECK_EQ(zone_pcp_count(normal(m)), 0);
	CHECK_EQ(event(m, PGALLOC_ZONE_LOCKED), 2);
	__free_pages(pages[0], 1);
	CHECK_EQ(stat(m, PCP_STAT_FREE), 0);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * 6.x alloc batch scaling (6.7+ nr_pcp_alloc), order 0 on a fresh CPU, no frees. Each
 * refill takes batch << alloc_factor, capped at max(high - count - batch, batch), and
 * alloc_factor grows while the batch fits, up to 5; high grows by that batch first:
 *   refill  factor  batch        high after        max_nr_alloc (count 0)
 *   1       0       63           643 + 63 = 706    643
 *   2       1       126          832               769
 *   3       2       252          1084              1021
 *   4       3       504          1588              1525
 *   5       4       1008         2596              2533
 *   6       5       2016         4612              4549  (factor stays 5)
 *   7       5       2016         6628              6565
 * 5985 allocations in all, 7 refills, 5978 hits. A free halves alloc_factor (5 -> 2 -> 1).
 * Then everything is freed: count 5985 < high 6628, no drain. pcp_decay_high then brings
 * high down by max(count - 2016, high - high/8), at least high_min, draining count - high
 * each time (see the table below), reaching high_min 643 (and count 643) on the 18th call.
 */
static void test_alloc_factor_and_decay_6_x(enum pcp_policy_id p)
{
	if (!autotuned_of[p]) {
		t_skip_policy(p, "not an auto-tuning kernel (its counts are worked for 6.7+)");
		return;
	}
	static const int refill[7] = { 63, 126, 252, 504, 1008, 2016, 2016 };
	static const int high[7] = { 706, 832, 1084, 1588, 2596, 4612, 6628 };
	static const int factor[7] = { 1, 2, 3, 4, 5, 5, 5 };
	/* pcp_decay_high from high 6628, count 5985: high after each call (= count after) */
	static const int decay[18] = { 5800, 5075, 4441, 3886, 3401, 2976, 2604, 2279, 1995,
				       1746, 1528, 1337, 1170, 1024, 896, 784, 686, 643 };
	FOR_EACH_SCHEME(s) {
		struct machine *m = pcp_machine(p, s);
		struct per_cpu_pages *pcp = pcp_of(m, 0);
		struct start st;
		int n = 0;
		cpu_bind(m, 0);
		start_of(m, &st);
		CHECK_EQ(pcp->high, 643);
		for (int r = 0; r < 7; r++) {
			unsigned long before = stat(m, PCP_STAT_REFILL_PAGES);
			alloc_n(n, refill[r], 0);
			n += refill[r];
			CHECK_EQ(stat(m, PCP_STAT_REFILL), r + 1);
			CHECK_EQ(stat(m, PCP_STAT_REFILL_PAGES) - before, refill[r]);
			CHECK_EQ(pcp->count, 0);
			CHECK_EQ(pcp->high, high[r]);
			CHECK_EQ(pcp->alloc_factor, factor[r]);
		}
		CHECK_EQ(n, 5985);
		CHECK_EQ(stat(m, PCP_STAT_HIT), 5985 - 7);
		CHECK_EQ(nr_free(m), st.nr_free - 5985);

		free_n(0, 1, 0);
		CHECK_EQ(pcp->alloc_factor, 2);
		free_n(1, 1, 0);
		CHECK_EQ(pcp->alloc_factor, 1);
		free_n(2, n - 2, 0);
		CHECK_EQ(pcp->alloc_factor, 0);
		CHECK_EQ(pcp->free_count, 2016);        /* capped at batch << 5 */
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 0);
		CHECK_EQ(pcp->count, 5985);
		CHECK_EQ(pcp->high, 6628);
		CHECK_CONSISTENT(m);

		int count = 5985;
		for (int d = 0; d < 18; d++) {
			pcp_vmstat_tick(m);
			CHECK_EQ(pcp->high, decay[d]);
			CHECK_EQ(pcp->count, decay[d]);
			CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 5985 - decay[d]);
			CHECK_EQ(nr_free(m), st.nr_free - decay[d]);
			count = decay[d];
		}
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 18);
		pcp_vmstat_tick(m);                      /* at high_min: nothing more */
		CHECK_EQ(pcp->high, 643);
		CHECK_EQ(pcp->count, count);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 18);
		CHECK_EQ(pcp_of(m, 1)->high, 643);      /* CPU 1 never grew */
		CHECK_CONSISTENT(m);
		drain_all_pages(m, NULL);
		check_back_to_start(m, &st);
		cpu_unbind();
		machine_destroy(m);
	}
}

/*
 * 6.x free batch scaling with auto-tuning off: percpu_pagelist_high_fraction 1000 gives
 * high_min = high_max = max(262144/1000/2 = 131, 4 * 63) = 252.
 *   allocations: max_nr_alloc = max(252 - 0 - 63, 63) = 189, so refills of 63, 126, then
 *   189 (252 no longer fits: factor stays 2), 189: 567 pages in 4 refills, count 0.
 *   frees: free_count counts them (1, 2, ...); at count 252 (the 252nd free) one drain of
 *   clamp(free_count 252, 63, 252 - 63 = 189) = 189 -> count 63; at the 441st free again
 *   189 -> 63; after all 567 count 189. (4.12 would drain 31 each time.)
 */
static void test_free_batch_scaling_6_x(enum pcp_policy_id p)
{
	if (!autotuned_of[p]) {
		t_skip_policy(p, "not an auto-tuning kernel (its counts are worked for 6.7+)");
		return;
	}
	FOR_EACH_SCHEME(s) {
		struct machine *m = pcp_machine(p, s);
		struct per_cpu_pages *pcp = pcp_of(m, 0);
		char err[128];
		struct start st;
		CHECK_EQ(sysctl_set(m, "percpu_pagelist_high_fraction", 1000, err, sizeof(err)), 0);
		CHECK_EQ(pcp->high_min, 252);
		CHECK_EQ(pcp->high_max, 252);
		cpu_bind(m, 0);
		start_of(m, &st);
		alloc_n(0, 567, 0);
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 4);
		CHECK_EQ(stat(m, PCP_STAT_REFILL_PAGES), 567);
		CHECK_EQ(pcp->count, 0);
		CHECK_EQ(pcp->high, 252);
		free_n(0, 251, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 0);
		free_n(251, 1, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 1);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 189);
		CHECK_EQ(pcp->count, 63);
		free_n(252, 567 - 252, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 2);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 378);
		CHECK_EQ(pcp->count, 189);
		CHECK_EQ(pcp->high, 252);
		drain_all_pages(m, NULL);
		check_back_to_start(m, &st);
		cpu_unbind();
		machine_destroy(m);
	}
}

/*
 * 6.x under memory pressure (nr_pcp_high; the zone flags are set by hand, nothing in the
 * model sets them yet).
 * ZONE_RECLAIM_ACTIVE: allocate 63 + 126 + 252 = 441 (high 643 -> 706 -> 832 -> 1084),
 * then free all. Each free lowers high by max(free_count, batch) down to high_min 643 and
 * measures count against min(4 * batch = 252, high) = 252: at the 252nd free one drain of
 * clamp(free_count 252, 63, 252 - 63 = 189) = 189 (count 63), at the 441st another (63).
 * Without the flag the same frees never reach high 1084 and drain nothing.
 * ZONE_BELOW_HIGH: refills no longer raise high, so
 * 63 + 126 + 252 + 504 = 945 allocations leave it at 643 (max_nr_alloc 580 lets the factor
 * grow to 4); frees measure count against max(count, high_min) = 643: the 643rd free
 * drains clamp(643, 63, 643 - 63 = 580) = 580 (count 63), and since the zone is above its
 * high watermark the flag is cleared; the other 302 frees leave count 365.
 */
static void test_pressure_flags_6_x(enum pcp_policy_id p)
{
	if (!autotuned_of[p]) {
		t_skip_policy(p, "not an auto-tuning kernel (its counts are worked for 6.7+)");
		return;
	}
	FOR_EACH_SCHEME(s) {
		struct machine *m = pcp_machine(p, s);
		struct per_cpu_pages *pcp = pcp_of(m, 0);
		struct zone *z = normal(m);
		struct start st;
		cpu_bind(m, 0);
		start_of(m, &st);

		alloc_n(0, 441, 0);
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 3);
		CHECK_EQ(pcp->high, 1084);
		atomic_fetch_or(&z->flags, ZONE_RECLAIM_ACTIVE);
		free_n(0, 3, 0);
		CHECK_EQ(pcp->high, 1084 - 3 * 63);
		free_n(3, 248, 0);
		CHECK_EQ(pcp->high, 643);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 0);
		free_n(251, 1, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 1);
		CHECK_EQ(pcp->count, 63);
		free_n(252, 441 - 252, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 2);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 378);
		CHECK_EQ(pcp->count, 63);
		atomic_fetch_and(&z->flags, ~(unsigned long)ZONE_RECLAIM_ACTIVE);
		drain_local_pages(z);
		check_back_to_start(m, &st);
		cpu_unbind();
		machine_destroy(m);

		m = pcp_machine(p, s);
		pcp = pcp_of(m, 0);
		z = normal(m);
		cpu_bind(m, 0);
		start_of(m, &st);
		atomic_fetch_or(&z->flags, ZONE_BELOW_HIGH);
		alloc_n(0, 945, 0);
		CHECK_EQ(stat(m, PCP_STAT_REFILL), 4);
		CHECK_EQ(stat(m, PCP_STAT_REFILL_PAGES), 945);
		CHECK_EQ(pcp->high, 643);
		CHECK_EQ(pcp->alloc_factor, 4);
		free_n(0, 642, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 0);
		free_n(642, 1, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 1);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN_PAGES), 580);
		CHECK_EQ(pcp->count, 63);
		CHECK_EQ(atomic_load(&z->flags) & ZONE_BELOW_HIGH, 0);
		free_n(643, 945 - 643, 0);
		CHECK_EQ(stat(m, PCP_STAT_DRAIN), 1);
		CHECK_EQ(pcp->count, 365);
		drain_local_pages(z);
		check_back_to_start(m, &st);
		cpu_unbind();
		machine_destroy(m);
	}
}

/*
 * Bypass: while a remote CPU holds this CPU's lists (owner scheme: its `remote` flag;
 * trylock scheme: the pcp lock), an allocation or free of an eligible order goes straight
 * to the buddy and is counted as PCP_STAT_BYPASS; the lists are untouched.
 */
static void test_bypass_while_held(enum pcp_policy_id p)
{
	FOR_EACH_SCHEME(s) {
			struct machine *m = pcp_machine((enum pcp_policy_id)p, s);
			struct per_cpu_pages *pcp = pcp_of(m, 0);
			struct start st;
			cpu_bind(m, 0);
			start_of(m, &st);
			alloc_n(0, 1, 0);                       /* a list with batch - 1 pages */
			int count = pcp->count;
			if (s == PCP_SCHEME_OWNER)
				__atomic_store_n(&pcp->remote, 1, __ATOMIC_SEQ_CST);
			else
				CHECK(spin_trylock(&pcp->lock));
			alloc_n(1, 1, 0);
			CHECK(pages[1] != NULL);
			CHECK_EQ(pcp->count, count);
			CHECK_EQ(stat(m, PCP_STAT_HIT), 0);
			CHECK_EQ(event(m, PGALLOC_ZONE_LOCKED), 1);
			CHECK_EQ(stat(m, PCP_STAT_BYPASS), 1);
			CHECK_EQ(event(m, PCP_ALLOC_BYPASS), 1);
			free_n(0, 2, 0);
			CHECK_EQ(pcp->count, count);
			CHECK_EQ(stat(m, PCP_STAT_FREE), 0);
			CHECK_EQ(stat(m, PCP_STAT_BYPASS), 3);
			if (s == PCP_SCHEME_OWNER)
				__atomic_store_n(&pcp->remote, 0, __ATOMIC_SEQ_CST);
			else
				spin_unlock(&pcp->lock);
			CHECK_CONSISTENT(m);
			drain_local_pages(NULL);
			check_back_to_start(m, &st);
			cpu_unbind();
			machine_destroy(m);
		}
}

/*
 * A free goes onto the list its pageblock names at the time of the free, whatever list the
 * CPU freed to before (free_pages_fast keeps the last one as a hint: cs->free_key).
 * Machine: 2 GiB at 2 GiB, one CPU:
 *
 *   pfn 0x80000            0x100000             0x180000
 *   |------ DMA32 ------------|------- Normal ------|
 *      b                          a, e, c (c's block turned RECLAIMABLE just before its free)
 *
 * Frees, in order: a (Normal), b (DMA32: another zone), e (Normal again), c (Normal, the
 * same zone as the free before it but another type).
 * Expect: each on its zone's list of its pageblock's type at the time of its free (page->mt
 * says the same), the zones' pcp counts +3 and +1, for every policy and both schemes.
 */
static bool find_page(struct page *p, void *arg) { return p != arg; }
static void free_and_check(struct machine *m, struct page *p)
{
	struct zone *z = page_zone(m, p);
	int mt = get_pageblock_migratetype_pfn(m, __page_to_pfn(m, p));
	struct pcp_list *l = &zone_pageset(z, 0)->pcp.lists[mt];     /* order 0: pindex == mt */

	__free_pages(p, 0);
	CHECK_EQ(pcp_list_walk(z, l, ZONE_PAGES, find_page, p), 1);
	CHECK_EQ(p->flags, PG_pcp);
	CHECK_EQ(p->mt, mt);
}

static void test_free_follows_pageblock(enum pcp_policy_id pol)
{
	FOR_EACH_SCHEME(s) {
			struct machine_desc d;
			t_desc_flat(&d, 0x80000, 0x100000, 1);
			d.policy = (enum pcp_policy_id)pol;
			d.scheme = s;
			struct machine *m = t_machine(&d);
			struct zone *dma32 = &m->node_data[0]->node_zones[ZONE_DMA32];
			struct zone *nrm = normal(m);
			cpu_bind(m, 0);
			struct page *a = alloc_pages(GFP_T, 0), *b = alloc_pages(GFP_T | __GFP_DMA32, 0);
			struct page *e = alloc_pages(GFP_T, 0), *c = alloc_pages(GFP_T, 0);
			CHECK(a && b && c && e);
			CHECK(page_zone(m, a) == nrm && page_zone(m, b) == dma32 && page_zone(m, c) == nrm);
			int nr_n = zone_pageset(nrm, 0)->pcp.count, nr_d = zone_pageset(dma32, 0)->pcp.count;

			free_and_check(m, a);
			free_and_check(m, b);
			free_and_check(m, e);
			CHECK(get_pageblock_migratetype_pfn(m, __page_to_pfn(m, c)) != MIGRATE_RECLAIMABLE);
			zone_lock(nrm);                         /* as steal_suitable_fallback does */
			set_pageblock_migratetype(nrm, c, MIGRATE_RECLAIMABLE);
			zone_unlock(nrm);
			free_and_check(m, c);
			CHECK_EQ(c->mt, MIGRATE_RECLAIMABLE);
			CHECK_EQ(zone_pageset(nrm, 0)->pcp.count, nr_n + 3);
			CHECK_EQ(zone_pageset(dma32, 0)->pcp.count, nr_d + 1);
			CHECK_CONSISTENT(m);
			cpu_unbind();
			machine_destroy(m);
		}
}

int main(void)
{
	RUN(test_refill_and_hits_4_12);
	RUN(test_drain_at_high_4_12);
	RUN_EACH_POLICY(test_cold_end);
	RUN_EACH_POLICY(test_remote_free_two_cpus);
	RUN_EACH_POLICY(test_interleaved_cpus);
	RUN_EACH_POLICY(test_high_order_lists);
	RUN_EACH_POLICY(test_alloc_factor_and_decay_6_x);
	RUN_EACH_POLICY(test_free_batch_scaling_6_x);
	RUN_EACH_POLICY(test_pressure_flags_6_x);
	RUN_EACH_POLICY(test_bypass_while_held);
	RUN_EACH_POLICY(test_free_follows_pageblock);
	TEST_SUMMARY();
}
