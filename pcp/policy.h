/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy.h - struct pcp_policy: what one kernel's per-CPU lists (and the buddy decisions
 * measured with them) do differently. The mechanism (pcp/pcp.c, pcp/pcp.h, alloc/) is
 * written once and asks its policy at each point where kernels differ; the rows are in
 * pcp/policies/, listed in pcp/policy_table.h.
 *
 * Two kinds of field:
 *   constants  read by the inline hit paths as well (rmqueue_pcplist_fast and
 *              free_unref_page_fast, pcp/pcp.h): each (policy, scheme) pair has its own
 *              copy of those paths, in which these fold to constants. Plain data, no
 *              function pointers, so that the copies stay a few instructions.
 *   hooks      the decisions of the general path (refills, drains, sizing, the vmstat
 *              tick): a function each, called through the row. Every hook is required
 *              (the shared kernels' versions are in pcp/policies/linux.c for reuse).
 */
#ifndef PCP_POLICY_H
#define PCP_POLICY_H

#include <stdbool.h>

#include "alloc/machine.h"
#include "alloc/mmzone.h"
#include "alloc/vmstat.h"
#include "pcp/policy_table.h"

struct zone;
struct machine;
struct per_cpu_pages;

/* What an allocation and a free count on the lists for the batch scaling (both paths). */
enum pcp_hit_book {
	PCP_BOOK_NONE,          /* < 5.14: nothing */
	PCP_BOOK_FREE_FACTOR,   /* 5.14-6.6: an allocation halves free_factor (nr_pcp_free doubles it) */
	PCP_BOOK_FREE_COUNT,    /* 6.7+: an allocation halves free_count, a free adds to it and halves alloc_factor */
};

/* Which list a pageblock-order block goes on (5.13+ high-order lists). */
enum pcp_thp_lists {
	PCP_THP_PER_TYPE,       /* 5.13: one per pcp migratetype */
	PCP_THP_ONE,            /* 6.0 (5d0a661d808f): one for every type */
	PCP_THP_MOVABLE_SPLIT,  /* 6.10: movable, and everything else */
};

/* free_pcppages_bulk: how the drain walks the lists. */
enum pcp_drain_order {
	PCP_DRAIN_ROUND_ROBIN,  /* < 5.18: round robin from list 1, batch_free more from fuller lists */
	PCP_DRAIN_LIST_FIRST,   /* 5.18+: the list freed to first, each emptied in turn */
};

/* free_pcppages_bulk: the migratetype a drained block goes back to the buddy as. */
enum pcp_drain_mt {
	PCP_DRAIN_MT_RECORDED,  /* < 6.10: the type recorded at free time, the block's only when isolating */
	PCP_DRAIN_MT_PAGEBLOCK, /* 6.10+ (migratetype hygiene): the pageblock's type now */
};

/* The pcp sysctl a kernel has: vm.percpu_pagelist_fraction (< 5.14) or its successor. */
enum pcp_fraction_sysctl { PCP_FRACTION, PCP_HIGH_FRACTION };

/* __rmqueue_fallback: how an allocation takes from another migratetype. */
enum buddy_fallback {
	FALLBACK_4_12,          /* largest block first; claim the pageblock when half of it is free */
	FALLBACK_4_13,          /* 4.13: free and compatible pages count toward claiming; the smallest
				   block when the pageblock cannot be claimed */
	FALLBACK_CLAIM_STEAL,   /* 6.15: try_to_claim_block from the largest, else steal the smallest */
};

/* The LRU's aging: where new anon pages start and how the anon lists are balanced. */
enum reclaim_lru {
	RECLAIM_LRU_4_12,       /* anon starts active (lru_cache_add_active_or_unevictable); both
				   lists' inactive_ratio is int_sqrt(10 x GB) */
	RECLAIM_LRU_5_9,        /* 5.9: anon starts inactive ("mm/swap: implement workingset
				   detection for anonymous LRU") and its lists are 1:1 ("mm: vmscan:
				   make active/inactive ratio as 1:1 for anon lru"); get_scan_count
				   balances by 5.8's cost model ("mm: balance LRU lists based on
				   relative thrashing": refaults and pageout I/O, no rotations),
				   deactivation follows refaults (prepare_scan_count) */
	RECLAIM_LRU_6_2,        /* 6.2: as 5.9, and rotations a secondary cost ("mm: vmscan: make
				   rotations a secondary factor in balancing anon vs file": an I/O
				   costs SWAP_CLUSTER_MAX, a rotation 1) */
};

struct pcp_policy {
	const char *name;                       /* --policy name (from the table) */
	const char *summary;                    /* one line: which kernel, what it does */
	enum pcp_scheme_id native_scheme;       /* the kernel's own protection: owner < 6.0, trylock 6.0+ */
	enum proc_format proc_format;           /* the /proc line sets show prints (alloc/vmstat.h) */
	enum pcp_fraction_sysctl fraction_sysctl; /* the pcp sysctl this kernel has (the other is refused) */

	/* Constants: the inline hit paths read these too. */
	bool high_order;                        /* lists for orders 1..3 and pageblock_order (5.13+) */
	enum pcp_thp_lists thp_lists;           /* with high_order */
	bool cold_tail;                         /* __GFP_COLD allocates and frees at the tail (< 4.15) */
	enum pcp_hit_book hit_book;
	unsigned long free_defer_flags;         /* zone flags under which even a free below high needs the hooks */
	bool below_high;                        /* 6.7+: get_page_from_freelist flags ZONE_BELOW_HIGH */
	bool high_tuned;                        /* pcp->high moves at run time (a capture's per-CPU high means something) */
	int pcp_batch_scale_max;                /* CONFIG_PCP_BATCH_SCALE_MAX (6.7+), free_count's cap */

	/* Constants of the general path. */
	enum pcp_drain_order drain_order;
	enum pcp_drain_mt drain_mt;
	enum buddy_fallback fallback;
	/*
	 * check_new_pages on every block leaving the free lists (at refill and on the buddy
	 * path): < 6.2 always (without CONFIG_DEBUG_VM: check_pcp_refill and rmqueue's loop);
	 * 6.2+ only with debug_pagealloc, init_on_free and the like (8e57f8acbbd1 "mm,
	 * page_alloc: reduce page alloc/free sanity checks"), off by default. The free side
	 * still walks every tail page in both (free_pages_prepare clears their flags).
	 */
	bool check_new_pages;

	/* Constants of reclaim (alloc/lru.c, alloc/vmscan.c). */
	enum reclaim_lru reclaim_lru;
	int swappiness_max;                     /* vm.swappiness's bound: 100, 200 from 5.8 */
	/* 5.0+ (1c30844d2dfe "mm: reclaim small amounts of memory when an external
	 * fragmentation event occurs"): a fallback boosts the watermarks, kswapd reclaims the
	 * boost without writeback or swap and wakes kcompactd; vm.watermark_boost_factor */
	bool watermark_boost;

	/* Hooks. */
	int (*batchsize)(const struct zone *zone);                      /* zone_batchsize */
	/* pcp->high bounds and batch for a zone (fraction: the kernel's pcp sysctl, 0 off) */
	void (*high_and_batch)(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
			       int *high_max, int *batch);
	/* zone_pcp_update: the CPU's high after new bounds (old: its high before) */
	int (*high_on_update)(int old, int high_min, int high_max);
	/* rmqueue_bulk's count for a refill of an empty list (nr_pcp_alloc) */
	int (*nr_pcp_alloc)(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone,
			    unsigned int order);
	/* free_high: drain this CPU's high-order pages at once (orders 1..3); may update pcp->flags */
	bool (*free_high)(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch);
	/* the count at which a free drains (nr_pcp_high) */
	int (*nr_pcp_high)(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
			   bool free_high);
	/* how many pages that drain returns (nr_pcp_free) */
	int (*nr_pcp_free)(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high,
			   bool free_high);
	/* the vmstat tick, one CPU's pcp of one zone: pages to drain (decay_pcp_high); NULL: none */
	int (*vmstat_tick)(const struct pcp_policy *pol, struct per_cpu_pages *pcp);
};

#define PCP_POLICY_EXTERN(id, name, row, ...) extern const struct pcp_policy row;
PCP_POLICY_TABLE(PCP_POLICY_EXTERN)
#undef PCP_POLICY_EXTERN

/*
 * The row of an id. A constant id folds to the row itself, so the hit paths' copies read
 * their constants from it at compile (LTO) time.
 */
static inline __attribute__((always_inline)) const struct pcp_policy *pcp_policy(enum pcp_policy_id id)
{
	switch (id) {
#define PCP_POLICY_CASE(id, name, row, ...) case PCP_POLICY_##id: return &row;
	PCP_POLICY_TABLE(PCP_POLICY_CASE)
#undef PCP_POLICY_CASE
	default: return 0;
	}
}

/* --policy NAME (an alias too); -1 when none has that name. */
int pcp_policy_by_name(const char *name);
const char *pcp_scheme_name(enum pcp_scheme_id s);
int pcp_scheme_by_name(const char *name);
/* A row's hooks are all there and its constants in range: NULL, or what is wrong. */
const char *pcp_policy_check(const struct pcp_policy *pol);

/* The sysctl's name ("percpu_pagelist_fraction" ...), and its value in a description. */
static inline const char *pcp_fraction_name(enum pcp_fraction_sysctl f)
{
	return f == PCP_FRACTION ? "percpu_pagelist_fraction" : "percpu_pagelist_high_fraction";
}
static inline int pcp_fraction_value(enum pcp_fraction_sysctl f, const struct machine_desc *d)
{
	return f == PCP_FRACTION ? d->percpu_pagelist_fraction : d->percpu_pagelist_high_fraction;
}

/* The list geometry (replay plans with it too). */
#define NR_LOWORDER_PCP_LISTS   (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_THP_MAX          MIGRATE_PCPTYPES
#define NR_PCP_LISTS            (NR_LOWORDER_PCP_LISTS + NR_PCP_THP_MAX)

static inline int pcp_nr_lists(const struct pcp_policy *pol)
{
	if (!pol->high_order)
		return MIGRATE_PCPTYPES;
	return NR_LOWORDER_PCP_LISTS + (pol->thp_lists == PCP_THP_PER_TYPE ? MIGRATE_PCPTYPES
					: pol->thp_lists == PCP_THP_ONE    ? 1
									   : 2);
}

/*
 * The kernels' decisions (pcp/policies/linux.c), for rows to reuse: a new policy names
 * the ones it keeps and writes only the ones it changes.
 */
int zone_batchsize_512k(const struct zone *zone);
int zone_batchsize_1m(const struct zone *zone);
int zone_highsize(const struct zone *zone, int batch, int cpu_online, int high_fraction);
void pageset_set_high_and_batch(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
				int *high_max, int *batch);
void zone_set_high_from_wmark(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
			      int *high_max, int *batch);
void zone_set_high_autotuned(const struct pcp_policy *pol, struct zone *zone, int fraction, int *high_min,
			     int *high_max, int *batch);
int high_set_on_update(int old, int high_min, int high_max);
int high_kept_on_update(int old, int high_min, int high_max);
int nr_pcp_alloc_batch(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, unsigned int order);
int nr_pcp_alloc_order(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, unsigned int order);
int nr_pcp_alloc_autotuned(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone,
			   unsigned int order);
bool free_high_never(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch);
bool free_high_after_free(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch);
bool free_high_6_7(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch);
bool free_high_6_18(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order, int batch);
int nr_pcp_high_fixed(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
		      bool free_high);
int nr_pcp_high_reclaim_capped(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
			       bool free_high);
int nr_pcp_high_autotuned(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
			  bool free_high);
int nr_pcp_free_batch(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high, bool free_high);
int nr_pcp_free_factor(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high, bool free_high);
int nr_pcp_free_count(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high, bool free_high);
int decay_pcp_high(const struct pcp_policy *pol, struct per_cpu_pages *pcp);

#endif /* PCP_POLICY_H */
