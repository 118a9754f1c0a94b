// SPDX-License-Identifier: GPL-2.0
/*
 * linux.c - the kernels' rows of the policy table, and the decisions they share.
 *
 * Each hook is the kernel function of the same name as of the kernels that use it (read
 * from each version's mm/page_alloc.c); each row cites the commits it follows. Between
 * two rows, only what the project measures changed: the pcp sizing, refill and drain,
 * the batch scaling, the list geometry, the drain's migratetype and the fallback.
 */
#include "alloc/internal.h"
#include "pcp/pcp.h"

#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

static inline int rounddown_pow_of_two(int n)
{
	return n <= 0 ? 0 : 1 << (31 - __builtin_clz((unsigned)n));
}

/*
 * zone_batchsize: about a quarter of a millisecond's worth of pages... in practice
 * managed/1024, capped, then /4, at least 1, then made 2^n - 1 so that batches don't
 * alias in caches (31 for zones of 512 MiB or more in 4.12, 63 for 1 GiB or more later).
 */
static int zone_batchsize_capped(const struct zone *zone, unsigned long cap_bytes)
{
	long batch = (long)(zone->managed_pages / 1024);
	long cap = (long)(cap_bytes / PAGE_SIZE);

	if (batch > cap)
		batch = cap;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return rounddown_pow_of_two((int)(batch + batch / 2)) - 1;
}

int zone_batchsize_512k(const struct zone *zone) { return zone_batchsize_capped(zone, 512 * 1024); }
/* 4.19 "mm/page_alloc.c: double zone's batchsize" (Aaron Lu): the cap to 1 MiB */
int zone_batchsize_1m(const struct zone *zone) { return zone_batchsize_capped(zone, 1024 * 1024); }

/*
 * zone_highsize (5.14+): the low watermark (or managed/fraction) split across the CPUs of
 * the zone's node, at least 4 batches, so that full lists do not wake kswapd early.
 */
int zone_highsize(const struct zone *zone, int batch, int cpu_online, int high_fraction)
{
	unsigned long total_pages = high_fraction ? zone->managed_pages / (unsigned long)high_fraction
						  : low_wmark_pages(zone);
	int nr_split_cpus = zone->pcp_nr_cpus + cpu_online;
	if (!nr_split_cpus)
		nr_split_cpus = zone->zone_pgdat->machine->nr_cpus;
	int high = (int)(total_pages / (unsigned long)nr_split_cpus);
	return high > batch << 2 ? high : batch << 2;
}

/* < 5.14 pageset_set_batch: high = 6 * batch; percpu_pagelist_fraction: pageset_set_high. */
void pageset_set_high_and_batch(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
				int *high_max, int *batch)
{
	int b = pol->batchsize(zone);

	if (fraction) {
		int high = (int)(zone->managed_pages / (unsigned long)fraction);
		int nb = high / 4 > PAGE_SHIFT * 8 ? PAGE_SHIFT * 8 : high / 4;
		*batch = nb < 1 ? 1 : nb;
		*high_min = *high_max = high;
	} else {
		*high_min = *high_max = 6 * b;
		*batch = b < 1 ? 1 : b;
	}
}

/* 5.14-6.6 zone_set_pageset_high_and_batch: one high, from the low watermark. */
void zone_set_high_from_wmark(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
			      int *high_max, int *batch)
{
	int b = pol->batchsize(zone);

	*batch = b < 1 ? 1 : b;
	*high_min = *high_max = zone_highsize(zone, *batch, 0, fraction);
}

/* 6.7+: high_min from the low watermark, high_max from managed/8; a fraction pins both. */
void zone_set_high_autotuned(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
			     int *high_max, int *batch)
{
	int b = pol->batchsize(zone);

	*batch = b < 1 ? 1 : b;
	if (fraction) {
		*high_min = *high_max = zone_highsize(zone, *batch, 0, fraction);
	} else {
		*high_min = zone_highsize(zone, *batch, 0, 0);
		*high_max = zone_highsize(zone, *batch, 0, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}
}

/* pageset_update sets high outright; 6.7+ keeps the tuned one, within the new bounds. */
int high_set_on_update(int old, int high_min, int high_max) { (void)old; (void)high_max; return high_min; }
int high_kept_on_update(int old, int high_min, int high_max) { return pcp_high_clamp(old, high_min, high_max); }

/* < 5.13: a refill is one batch of order-0 pages. */
int nr_pcp_alloc_batch(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, unsigned int order)
{
	return pcp->batch;
}

/* 5.13-6.6 (44042b449872): a batch of pages, in blocks of the order, at least 2. */
int nr_pcp_alloc_order(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, unsigned int order)
{
	int batch = pcp->batch;

	if (batch > 1) {
		batch >>= order;
		if (batch < 2)
			batch = 2;
	}
	return batch;
}

/* 6.7+ nr_pcp_alloc: alloc_factor scales the refill; high grows while the zone is above high. */
int nr_pcp_alloc_autotuned(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone,
			   unsigned int order)
{
	int base_batch = pcp->batch;
	int high_min = pcp->high_min, high_max = pcp->high_max;
	int high, batch, max_nr_alloc;

	high = pcp_high_clamp(pcp->high, high_min, high_max);
	WRITE_ONCE(pcp->high, high);
	if (unlikely(high < base_batch))
		return 1;
	batch = order ? base_batch : base_batch << pcp->alloc_factor;
	if (high_min != high_max && !(atomic_load_explicit(&zone->flags, memory_order_relaxed) & ZONE_BELOW_HIGH)) {
		high = high + batch < high_max ? high + batch : high_max;
		pcp_set_high(pcp, high);
		high = pcp->high;
	}
	if (!order) {
		max_nr_alloc = high - pcp->count - base_batch;
		if (max_nr_alloc < base_batch)
			max_nr_alloc = base_batch;
		if (batch <= max_nr_alloc && pcp->alloc_factor < pol->pcp_batch_scale_max)
			pcp->alloc_factor++;
		if (batch > max_nr_alloc)
			batch = max_nr_alloc;
	}
	if (batch > 1) {
		batch >>= order;
		if (batch < 2)
			batch = 2;
	}
	return batch;
}

bool free_high_never(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch)
{
	return false;
}

/* 6.0-6.6 ("mm/page_alloc: limit number of high-order pages on PCP during bulk free"). */
bool free_high_after_free(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch)
{
	return pcp->free_factor && order && order <= PAGE_ALLOC_COSTLY_ORDER;
}

/* 6.7+: consecutive high-order frees (free_count at or past threshold) drain at once. */
static bool free_high_consecutive(struct per_cpu_pages *pcp, unsigned int order, int batch, int threshold)
{
	bool free_high = false;

	if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
		free_high = pcp->free_count >= threshold && (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) &&
			    (!(pcp->flags & PCPF_FREE_HIGH_BATCH) || pcp->count >= batch);
		pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	}
	return free_high;       /* order 0 and THP clear the flag in pcp_free_book */
}

/* 6.7 ("mm, pcp: reduce detecting time of consecutive high order page freeing"): batch */
bool free_high_6_7(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch)
{
	return free_high_consecutive(pcp, order, batch, batch);
}

/* 6.18 ("mm: increase pcp->free_count threshold to trigger free_high"): batch + high_min / 2 */
bool free_high_6_18(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch)
{
	return free_high_consecutive(pcp, order, batch, batch + pcp->high_min / 2);
}

int nr_pcp_high_fixed(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
		      bool free_high)
{
	return pcp->high;
}

/* 5.14-6.6: 4 batches at most while reclaim is active ("limit the number of pages on PCP
 * lists when reclaim is active"); 6.0+: nothing kept for a free_high. */
int nr_pcp_high_reclaim_capped(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
			       bool free_high)
{
	int high = READ_ONCE(pcp->high);

	if (unlikely(!high || free_high))
		return 0;
	if (!(atomic_load_explicit(&zone->flags, memory_order_relaxed) & ZONE_RECLAIM_ACTIVE))
		return high;
	return batch << 2 < high ? batch << 2 : high;
}

/* 6.7+ nr_pcp_high: the ceiling shrinks when memory is short and grows for long free runs. */
int nr_pcp_high_autotuned(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
			  bool free_high)
{
	int high_min = pcp->high_min, high_max = pcp->high_max;
	int high = pcp_high_clamp(pcp->high, high_min, high_max);
	int scaled = batch << pol->pcp_batch_scale_max;
	unsigned long zflags = atomic_load_explicit(&zone->flags, memory_order_relaxed);

	WRITE_ONCE(pcp->high, high);
	if (unlikely(!high))
		return 0;
	if (unlikely(free_high)) {
		pcp_set_high(pcp, high - scaled);
		return 0;
	}
	if (zflags & ZONE_RECLAIM_ACTIVE) {
		int fc = pcp->free_count > batch ? pcp->free_count : batch;
		pcp_set_high(pcp, high - fc);
		return batch << 2 < pcp->high ? batch << 2 : pcp->high;
	}
	if (high_min == high_max)
		return high;
	if (zflags & ZONE_BELOW_HIGH) {
		int fc = pcp->free_count > batch ? pcp->free_count : batch;
		pcp_set_high(pcp, high - fc);
		high = pcp->count > high_min ? pcp->count : high_min;
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;
		if (pcp->high < need_high)
			pcp_set_high(pcp, need_high);
	}
	return high;
}

int nr_pcp_free_batch(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	return batch;
}

/* 5.14-6.6 ("mm/page_alloc: scale the number of pages that are batch freed"): each free
 * run without an allocation doubles the drain, within [batch, high - batch]. */
int nr_pcp_free_factor(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	if (unlikely(free_high))
		return pcp->count;
	if (unlikely(high < batch))
		return 1;
	int min_nr_free = batch, max_nr_free = high - batch;
	batch <<= pcp->free_factor;
	if (batch < max_nr_free)
		pcp->free_factor++;
	return pcp_high_clamp(batch, min_nr_free, max_nr_free);
}

/* 6.7+: the drain is the run of consecutive frees, within [batch, high - batch]. */
int nr_pcp_free_count(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	int scaled = batch << pol->pcp_batch_scale_max;
	if (unlikely(free_high))
		return pcp->count < scaled ? pcp->count : scaled;
	if (unlikely(high < batch))
		return 1;
	int min_nr_free = batch, max_nr_free = high - batch;
	return pcp_high_clamp(pcp->free_count, min_nr_free, max_nr_free);
}

/* 6.7+ decay_pcp_high: high loses 1/8 a tick down to high_min; what is above it drains. */
int decay_pcp_high(const struct pcp_policy *pol, struct per_cpu_pages *pcp)
{
	if (pcp->high > pcp->high_min) {
		int a = pcp->count - (pcp->batch << pol->pcp_batch_scale_max);
		int b = pcp->high - (pcp->high >> 3);
		pcp_set_high(pcp, a > b ? a : b);
	}
	return pcp->count - pcp->high;
}

/*
 * The rows, from groups of decisions that several kernels share (each group names the
 * kernel that introduced it). A row lists its groups; what changed between two rows is
 * the groups that differ.
 */

/* < 5.14: high = 6 x batch (percpu_pagelist_fraction), order-0 lists, drains of one batch. */
#define SIZING_6_BATCHES                                                                    \
	.fraction_sysctl = PCP_FRACTION, .high_and_batch = pageset_set_high_and_batch, \
	.high_on_update = high_set_on_update, .nr_pcp_alloc = nr_pcp_alloc_batch,          \
	.nr_pcp_high = nr_pcp_high_fixed, .nr_pcp_free = nr_pcp_free_batch
/* 5.14-6.6: high from the low watermark, refills by order, free_factor-scaled drains. */
#define SIZING_FROM_WMARK                                                                   \
	.fraction_sysctl = PCP_HIGH_FRACTION, .high_and_batch = zone_set_high_from_wmark, \
	.high_on_update = high_set_on_update, .nr_pcp_alloc = nr_pcp_alloc_order,          \
	.nr_pcp_high = nr_pcp_high_reclaim_capped, .nr_pcp_free = nr_pcp_free_factor,      \
	.hit_book = PCP_BOOK_FREE_FACTOR, .free_defer_flags = ZONE_RECLAIM_ACTIVE
/* 6.7+: auto-tuned high, alloc and free batch scaling, the vmstat tick's decay. */
#define SIZING_AUTOTUNED                                                                    \
	.fraction_sysctl = PCP_HIGH_FRACTION, .high_and_batch = zone_set_high_autotuned, \
	.high_on_update = high_kept_on_update, .nr_pcp_alloc = nr_pcp_alloc_autotuned,     \
	.nr_pcp_high = nr_pcp_high_autotuned, .nr_pcp_free = nr_pcp_free_count,            \
	.vmstat_tick = decay_pcp_high, .hit_book = PCP_BOOK_FREE_COUNT,                    \
	.free_defer_flags = ZONE_RECLAIM_ACTIVE | ZONE_BELOW_HIGH, .below_high = true,     \
	.high_tuned = true, .pcp_batch_scale_max = 5
/* Reclaim: 4.12's LRU aging and swappiness 0..100; 5.9's (anon starts inactive, 5.8's
 * cost-based balance, and 5.8's swappiness up to 200, "mm: allow swappiness that prefers
 * reclaiming anon over the file workingset"), with 5.0's watermark boosting; 6.2's adds
 * rotations to the cost. */
#define RECLAIM_4_12 .reclaim_lru = RECLAIM_LRU_4_12, .swappiness_max = 100
#define RECLAIM_5_9 .reclaim_lru = RECLAIM_LRU_5_9, .swappiness_max = 200, .watermark_boost = true
#define RECLAIM_6_2 .reclaim_lru = RECLAIM_LRU_6_2, .swappiness_max = 200, .watermark_boost = true
/* 5.13+: lists for orders 0..3 and pageblock_order. */
#define LISTS_HIGH_ORDER(thp) .high_order = true, .thp_lists = (thp)

/* Linux 4.12: the seed's kernel. Order-0 lists with hot and cold ends, high = 6 batches. */
const struct pcp_policy pcp_policy_linux_4_12 = {
	.name = "linux-4.12",
	.summary = "order-0 lists, hot/cold ends, high 6 x batch (batch cap 512 KiB)",
	.native_scheme = PCP_SCHEME_OWNER,
	.proc_format = PROC_FORMAT_4_12,
	.batchsize = zone_batchsize_512k,
	SIZING_6_BATCHES,
	.cold_tail = true,
	.free_high = free_high_never,
	.drain_order = PCP_DRAIN_ROUND_ROBIN,
	.drain_mt = PCP_DRAIN_MT_RECORDED,
	.fallback = FALLBACK_4_12,
	.check_new_pages = true,
	RECLAIM_4_12,
};

/*
 * Linux 4.19: __GFP_COLD and the cold end gone (4.15, "mm, page_alloc: remove __GFP_COLD",
 * "mm: remove cold parameter from free_hot_cold_page*"); the batch cap doubled to 1 MiB
 * (4.19, "mm/page_alloc.c: double zone's batchsize"); fallback counts compatible pages and
 * takes the smallest block when it cannot claim the pageblock (4.13, "mm, page_alloc:
 * fallback to smallest page when not stealing whole pageblock").
 */
const struct pcp_policy pcp_policy_linux_4_19 = {
	.name = "linux-4.19",
	.summary = "no cold end (4.15), batch cap 1 MiB, 4.13 fallback",
	.native_scheme = PCP_SCHEME_OWNER,
	.proc_format = PROC_FORMAT_4_12,
	.batchsize = zone_batchsize_1m,
	SIZING_6_BATCHES,
	.free_high = free_high_never,
	.drain_order = PCP_DRAIN_ROUND_ROBIN,
	.drain_mt = PCP_DRAIN_MT_RECORDED,
	.fallback = FALLBACK_4_13,
	.check_new_pages = true,
	RECLAIM_4_12,
};

/*
 * Linux 5.14: high-order lists (5.13, 44042b449872 "mm/page_alloc: allow high-order pages
 * to be stored on the per-cpu lists", a THP list per type); high from the low watermark
 * and the node's CPUs ("mm/page_alloc: disassociate the pcp->high from pcp->batch",
 * "mm/page_alloc: introduce vm.percpu_pagelist_high_fraction"); frees scaled by
 * free_factor ("mm/page_alloc: scale the number of pages that are batch freed"); high
 * capped at 4 batches while reclaim is active ("mm/page_alloc: limit the number of pages
 * on PCP lists when reclaim is active").
 */
const struct pcp_policy pcp_policy_linux_5_14 = {
	.name = "linux-5.14",
	.summary = "orders 0-3 and THP lists, high from the low watermark, free_factor",
	.native_scheme = PCP_SCHEME_OWNER,
	.proc_format = PROC_FORMAT_4_12,
	.batchsize = zone_batchsize_1m,
	SIZING_FROM_WMARK,
	LISTS_HIGH_ORDER(PCP_THP_PER_TYPE),
	.free_high = free_high_never,
	.drain_order = PCP_DRAIN_ROUND_ROBIN,
	.drain_mt = PCP_DRAIN_MT_RECORDED,
	.fallback = FALLBACK_4_13,
	.check_new_pages = true,
	RECLAIM_5_9,
};

/*
 * Linux 6.0: the pcp lists under a spinlock taken with trylock (4b23a68f9536 "mm/page_alloc:
 * protect PCP lists with a spinlock", and "remotely drain per-cpu lists"); one THP list
 * (5d0a661d808f); the drain empties the freed-to list first, a list at a time (5.18,
 * "mm/page_alloc: free pages in a single pass during bulk free", "drain the requested
 * list first during bulk free"); free_high after a free run of orders 1-3 ("mm/page_alloc:
 * limit number of high-order pages on PCP during bulk free"). Linux 6.6 is the same.
 */
#define LINUX_6_0_ROW                                                                       \
	.native_scheme = PCP_SCHEME_TRYLOCK, .proc_format = PROC_FORMAT_4_12,               \
	.batchsize = zone_batchsize_1m, SIZING_FROM_WMARK, LISTS_HIGH_ORDER(PCP_THP_ONE),  \
	.free_high = free_high_after_free, .drain_order = PCP_DRAIN_LIST_FIRST,             \
	.drain_mt = PCP_DRAIN_MT_RECORDED, .fallback = FALLBACK_4_13
const struct pcp_policy pcp_policy_linux_6_0 = {
	.name = "linux-6.0",
	.summary = "pcp spinlock with trylock, one THP list, list-first drain, free_high",
	LINUX_6_0_ROW,
	.check_new_pages = true,
	RECLAIM_5_9,
};

/* Linux 6.6: the last kernel before auto-tuning; its pcp decisions are 6.0's, without 6.2's
 * page checks; 6.2's rotation cost in the LRU balance. */
const struct pcp_policy pcp_policy_linux_6_6 = {
	.name = "linux-6.6",
	.summary = "6.0's pcp: the last before auto-tuning",
	LINUX_6_0_ROW,
	RECLAIM_6_2,
};

/*
 * Linux 6.7: pcp auto-tuning (Huang Ying's series, "mm, pcp: ..."): high between high_min
 * and high_max, grown on refills while the zone is above its high mark (ZONE_BELOW_HIGH),
 * cut on frees when it is not, decayed each vmstat tick; alloc and free batch scaling
 * (alloc_factor, free_count) up to CONFIG_PCP_BATCH_SCALE_MAX = 5 ("mm: restrict the pcp
 * batch scale factor to avoid too long latency"); consecutive high-order frees drain at
 * free_count >= batch ("mm, pcp: reduce detecting time of consecutive high order page
 * freeing").
 */
/* 6.7+: what 6.7 and 6.18 share; they differ in the THP lists, free_high, the drain's type and the fallback. */
#define LINUX_6_7_ROW(thp, free_high_fn, mt, fb)                                            \
	.native_scheme = PCP_SCHEME_TRYLOCK, .proc_format = PROC_FORMAT_6_18,               \
	.batchsize = zone_batchsize_1m, SIZING_AUTOTUNED, LISTS_HIGH_ORDER(thp),           \
	.free_high = (free_high_fn), .drain_order = PCP_DRAIN_LIST_FIRST, .drain_mt = (mt), \
	.fallback = (fb), RECLAIM_6_2
const struct pcp_policy pcp_policy_linux_6_7 = {
	.name = "linux-6.7",
	.summary = "auto-tuned high, alloc/free batch scaling, free_high at batch",
	LINUX_6_7_ROW(PCP_THP_ONE, free_high_6_7, PCP_DRAIN_MT_RECORDED, FALLBACK_4_13),
};

/*
 * Linux 6.18: 6.7's tuning; the drain puts a block back as its pageblock's type (6.10,
 * Johannes Weiner's migratetype hygiene series); THP lists for movable and the rest (6.10,
 * "mm/page_alloc: Separate THP PCP into movable and non-movable categories"); fallback
 * claims a pageblock from the largest block or else steals the smallest (6.15, "mm:
 * page_alloc: split try_to_claim_block out of steal_suitable_fallback" and "don't steal
 * single pages from biggest buddy"); free_high at batch + high_min / 2 ("mm: increase
 * pcp->free_count threshold to trigger free_high").
 */
const struct pcp_policy pcp_policy_linux_6_18 = {
	.name = "linux-6.18",
	.summary = "6.7's tuning, 6.10 migratetype hygiene, 6.15 claim/steal, 6.18 free_high",
	LINUX_6_7_ROW(PCP_THP_MOVABLE_SPLIT, free_high_6_18, PCP_DRAIN_MT_PAGEBLOCK, FALLBACK_CLAIM_STEAL),
};
