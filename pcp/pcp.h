/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcp.h - per-CPU page lists (struct per_cpu_pages): one mechanism, a policy table
 * (Linux 4.12, Linux 6.x) and two protection schemes (owner, trylock).
 *
 * Glossary
 *   pcp         a CPU's private stack of free blocks per (migratetype, order) list.
 *   hit         an allocation served from a non-empty list: no zone lock.
 *   refill      rmqueue_bulk: a miss takes `batch` blocks from the buddy under zone->lock.
 *   drain       free_pcppages_bulk: count reached high, `batch` pages go back to the buddy.
 *   high/batch  the list's ceiling and its transfer size (zone_batchsize, pageset_set_high
 *               in 4.12; zone_highsize and the auto-tuning of 6.7+ in 6.x).
 *
 * Protection schemes (chosen per machine)
 *   owner    4.12's local_irq_save analogue. Only the CPU's bound thread touches its lists.
 *            On each pcp operation it stores busy=1, checks `remote`, works, stores busy=0:
 *            plain loads and stores, no atomic read-modify-write. A remote CPU that must
 *            touch the lists (drain_all_pages, a high/batch update, hotplug) sets remote=1,
 *            issues membarrier(PRIVATE_EXPEDITED) - the IPI that makes the owner's plain
 *            store of busy visible and orders its later load of remote - then waits for
 *            busy==0. Either the owner saw remote=1 and stepped aside to the buddy, or the
 *            remote sees busy=1 and waits: never both inside. Dekker's algorithm with the
 *            owner's fence paid by the rare remote side.
 *   trylock  6.x: a spinlock per pcp, taken with trylock; when it fails the allocation or
 *            free goes straight to the buddy. Remote operations take the same lock.
 */
#ifndef PCP_PCP_H
#define PCP_PCP_H

#include <stdbool.h>

#include "alloc/internal.h"
#include "alloc/machine.h"
#include "alloc/mmzone.h"

#define NR_LOWORDER_PCP_LISTS   (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_THP              2       /* pageblock-order lists: movable, other */
#define NR_PCP_LISTS            (NR_LOWORDER_PCP_LISTS + NR_PCP_THP)

enum pcp_stat_item {
	PCP_STAT_ALLOC,         /* pcp-eligible allocations */
	PCP_STAT_HIT,           /* served from a non-empty list */
	PCP_STAT_REFILL,        /* rmqueue_bulk calls (zone lock acquisitions) */
	PCP_STAT_REFILL_PAGES,
	PCP_STAT_DRAIN,         /* free_pcppages_bulk calls */
	PCP_STAT_DRAIN_PAGES,
	PCP_STAT_FREE,          /* frees that went onto a list */
	PCP_STAT_BYPASS,        /* eligible, but went to the buddy (trylock failed, remote busy) */
	PCP_STAT_REFILL_BLOCKS, /* blocks (any order) refilled: the kernel's percpu_refill=1 lines */
	PCP_STAT_DRAIN_BLOCKS,  /* blocks (any order) drained: the kernel's mm_page_pcpu_drain lines */
	NR_PCP_STAT_ITEMS
};

struct per_cpu_pages {
	/* Written by the owner (or under lock), read racily by dumps: READ_ONCE/WRITE_ONCE. */
	int count;              /* pages (not blocks) on all lists */
	int high;               /* drain when count >= high */
	int batch;              /* chunk for refill and drain */
	int high_min, high_max; /* 6.x auto-tuning bounds; high stays within them */
	int free_count;         /* 6.x: pages freed since the last allocation (free batch scaling) */
	int alloc_factor;       /* 6.x: refill batch = batch << alloc_factor */
	uint8_t flags;
	struct plist lists[NR_PCP_LISTS];

	/* Protection. */
	spinlock_t lock;        /* trylock scheme */
	int busy;               /* owner scheme: inside a pcp operation (owner-written) */
	int remote;             /* owner scheme: a remote CPU is working on these lists */
};

struct per_cpu_pageset {
	struct per_cpu_pages pcp;
	int8_t stat_threshold;
	int8_t vm_stat_diff[NR_VM_ZONE_STAT_ITEMS];
	unsigned long numa_stat[NR_VM_NUMA_STAT_ITEMS];
	unsigned long pcp_stat[NR_PCP_STAT_ITEMS];
} __cacheline_aligned;

/* The policy table: everything in which 4.12 and 6.x differ. */
struct pcp_policy {
	const char *name;                       /* "linux-4.12", "linux-6.x" */
	bool high_order;                        /* orders 0..3 and pageblock_order (5.13+) */
	bool cold_tail;                         /* 4.12 __GFP_COLD frees go to the tail */
	bool autotune;                          /* 6.7+ high between high_min and high_max */
	bool batch_scale;                       /* 6.7+ alloc/free batch scaling */
	unsigned long batch_cap_bytes;          /* zone_batchsize cap: 512 KiB (4.12), 1 MiB (4.19+) */
	int pcp_batch_scale_max;                /* CONFIG_PCP_BATCH_SCALE_MAX (6.7+) */
};
extern const struct pcp_policy pcp_policies[NR_PCP_POLICIES];
const struct pcp_policy *pcp_policy_by_name(const char *name);
const char *pcp_scheme_name(enum pcp_scheme_id s);
int pcp_scheme_by_name(const char *name);

static inline struct per_cpu_pageset *zone_pageset(struct zone *z, int cpu) { return &z->pageset[cpu]; }
static inline struct per_cpu_pageset *this_cpu_pageset(struct zone *z) { return &z->pageset[current_binding.cpu]; }

/* Formulas. */
int zone_batchsize(const struct pcp_policy *pol, const struct zone *zone);
int zone_highsize(const struct pcp_policy *pol, const struct zone *zone, int batch, int cpu_online,
		  int high_fraction);

bool pcp_allowed_order(const struct machine *m, unsigned int order);
/* NULL when the list and the buddy are empty, or when the pcp is unavailable (bypass). */
struct page *rmqueue_pcplist(struct zone *preferred_zone, struct zone *zone, unsigned int order, gfp_t gfp_flags,
			     int migratetype, unsigned int alloc_flags, bool *bypassed);
/* Frees onto the current CPU's list; false when the caller must free to the buddy. */
bool free_unref_page(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order,
		     int migratetype, gfp_t hint);

void pcp_init_machine(struct machine *m);       /* allocate and size every zone's pagesets */
void zone_pcp_update(struct zone *zone);        /* recompute high/batch (sysctl, hotplug) */
void drain_local_pages(struct zone *zone);      /* the current CPU; zone NULL: every zone */
void drain_zone_pages(struct zone *zone, struct per_cpu_pages *pcp); /* one batch, 4.12 vmstat tick */
void drain_all_pages(struct machine *m, struct zone *zone);        /* every CPU */
void drain_pages_cpu(struct machine *m, int cpu, struct zone *zone);
void pcp_decay_high(struct machine *m);         /* 6.x vmstat tick: high decays by 1/8 */
/* Sum of one counter over every CPU of the zone (racy read). */
extern const char *const pcp_stat_names[NR_PCP_STAT_ITEMS];      /* "pcp_alloc", "pcp_alloc_hit", ... */
unsigned long zone_pcp_stat(struct zone *zone, enum pcp_stat_item item);
unsigned long zone_pcp_count(struct zone *zone);
/* membarrier: 0 when the owner scheme can run here. */
int pcp_membarrier_init(char *err, size_t errlen);

#endif /* PCP_PCP_H */
