// SPDX-License-Identifier: GPL-2.0
/*
 * fixed_example.c - a researcher's policy, as pcp/README.md walks through it: 6.18's
 * lists with a fixed high and batch of one's own choosing, no auto-tuning and no batch
 * scaling. One file plus its row in pcp/policy_table.h; nothing else names it.
 *
 *   scripts/bench --policy fixed-example        scripts/replay TRACE --policy fixed-example
 */
#include "pcp/pcp.h"

#define FIXED_HIGH      1024    /* pages a CPU may hold on its lists before a free drains */
#define FIXED_BATCH     64      /* pages moved per refill and per drain */

/* The sizing: the same high and batch on every zone and CPU (a fraction sysctl scales high). */
static void fixed_high_and_batch(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
				 int *high_max, int *batch)
{
	int high = fraction ? (int)(zone->managed_pages / (unsigned long)fraction) : FIXED_HIGH;

	*batch = FIXED_BATCH;
	*high_min = *high_max = high > 4 * FIXED_BATCH ? high : 4 * FIXED_BATCH;
}

const struct pcp_policy pcp_policy_fixed_example = {
	.name = "fixed-example",
	.summary = "example: 6.18's lists with high 1024 and batch 64 fixed",
	.native_scheme = PCP_SCHEME_TRYLOCK,
	.proc_format = PROC_FORMAT_6_18,
	.fraction_sysctl = PCP_HIGH_FRACTION,
	.high_order = true,
	.thp_lists = PCP_THP_MOVABLE_SPLIT,
	.hit_book = PCP_BOOK_NONE,
	.free_defer_flags = ZONE_RECLAIM_ACTIVE,
	.drain_order = PCP_DRAIN_LIST_FIRST,
	.drain_mt = PCP_DRAIN_MT_PAGEBLOCK,
	.fallback = FALLBACK_CLAIM_STEAL,
	.reclaim_lru = RECLAIM_LRU_5_9,
	.swappiness_max = 200,
	.watermark_boost = true,
	.batchsize = zone_batchsize_1m,         /* required of every row; the sizing above does not use it */
	.high_and_batch = fixed_high_and_batch,
	.high_on_update = high_set_on_update,
	.nr_pcp_alloc = nr_pcp_alloc_order,
	.free_high = free_high_never,
	.nr_pcp_high = nr_pcp_high_reclaim_capped,
	.nr_pcp_free = nr_pcp_free_batch,
};
