/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcp.h - per-CPU page lists (struct per_cpu_pages): one mechanism, a policy table
 * (pcp/policy_table.h: Linux 4.12 to 6.18 and a researcher's example) and two protection
 * schemes (owner, trylock).
 *
 * Glossary
 *   pcp         a CPU's private stack of free blocks per (migratetype, order) list.
 *   hit         an allocation served from a non-empty list: no zone lock.
 *   refill      rmqueue_bulk: a miss takes `batch` blocks from the buddy under zone->lock.
 *   drain       free_pcppages_bulk: count reached high, `batch` pages go back to the buddy.
 *   high/batch  the list's ceiling and its transfer size (the policy's hooks: zone_batchsize,
 *               6 x batch before 5.14, zone_highsize after, auto-tuned from 6.7).
 *   mag         the newest blocks of a list, kept in an array above its pagelist (struct
 *               pcp_list): the same list in the same order, without neighbour stores.
 *   fast        rmqueue_pcplist_fast / free_unref_page_fast: a hit, or a free with no
 *               drain, inline; anything else returns to the general functions unchanged.
 *               Built once per (policy, scheme) pair; pcp_fast_dispatch picks the
 *               machine's copy, in which policy and scheme are constants.
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
#include "alloc/vmstat.h"
#include "pcp/policy.h"

enum pcp_stat_item {
	PCP_STAT_ALLOC,         /* pcp-eligible allocations */
	PCP_STAT_HIT,           /* served from a non-empty list: not stored, ALLOC - REFILL (pcp_stat_read) */
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

/*
 * struct pcp_list: one of the kernel's pcp->lists[pindex], a LIFO of free blocks whose
 * head is handed out first and whose tail (the oldest) is drained first. It is kept in
 * two parts that together are that one list, in that one order:
 *
 *     tail (oldest) ... head   mag[0] ... mag[nr-1] (newest: next to be handed out)
 *     `---- list: pagelist ----'  `--------------- mag: array ----------------'
 *
 * The newest blocks sit in a small array, so a hit pops an index and a free pushes one
 * without touching any other struct page (the kernel's list_head links cost a store into
 * a neighbour's struct page on every add and del). When mag fills, it is spilled whole
 * onto the pagelist head; whoever takes from the tail (drains, 4.12 cold allocations) first
 * moves mag onto the pagelist head the same way. Either way the order is unchanged.
 */
#define PCP_MAG_SIZE 29                 /* struct pcp_list is two cache lines */
struct pcp_list {
	uint32_t nr;                    /* blocks in mag, 0..PCP_MAG_SIZE */
	uint32_t mag[PCP_MAG_SIZE];     /* zone-relative page indices, oldest first */
	struct pagelist list;              /* the older blocks */
};

static inline void pcp_list_init(struct pcp_list *l) { l->nr = 0; pagelist_init(&l->list); }
static __always_inline bool pcp_list_empty(const struct pcp_list *l) { return !l->nr && pagelist_empty(&l->list); }

/* mag onto the pagelist head, oldest first: the newest ends up at the head. */
static inline void pcp_list_spill(struct zone *z, struct pcp_list *l)
{
	for (uint32_t i = 0; i < l->nr; i++)
		pagelist_add(z, &l->list, idx_page(z, l->mag[i]));
	l->nr = 0;
}

/* list_add: the new head. */
static inline void pcp_list_add(struct zone *z, struct pcp_list *l, struct page *p)
{
	if (unlikely(l->nr == PCP_MAG_SIZE))
		pcp_list_spill(z, l);
	l->mag[l->nr++] = page_idx(z, p);
}

/*
 * list_add for the pageblock-order lists (6.x): their blocks' struct pages lie 8 KiB
 * apart, all in a few L1 sets, so a spill would find each one cold; they go onto the
 * pagelist head at free time, as the kernel's list_add does. Only this adds at the head of
 * those lists, so their mag stays empty and the order is unchanged.
 */
static inline void pcp_list_add_nomag(struct zone *z, struct pcp_list *l, struct page *p)
{
	if (unlikely(l->nr))
		pcp_list_spill(z, l);
	pagelist_add(z, &l->list, p);
}

/* list_add_tail: the new oldest. */
static inline void pcp_list_add_tail(struct zone *z, struct pcp_list *l, struct page *p)
{
	pagelist_add_tail(z, &l->list, p);
}

/* Peek at the head and the tail; NULL when empty. */
static inline struct page *pcp_list_first(struct zone *z, const struct pcp_list *l)
{
	return l->nr ? idx_page(z, l->mag[l->nr - 1]) : pagelist_first(z, &l->list);
}
static inline struct page *pcp_list_last(struct zone *z, const struct pcp_list *l)
{
	return !pagelist_empty(&l->list) ? pagelist_last(z, &l->list) : l->nr ? idx_page(z, l->mag[0]) : NULL;
}

/* Take the head (the list must not be empty). */
static __always_inline struct page *pcp_list_pop(struct zone *z, struct pcp_list *l)
{
	if (likely(l->nr))
		return idx_page(z, l->mag[--l->nr]);
	struct page *p = pagelist_first(z, &l->list);
	pagelist_del(z, &l->list, p);
	return p;
}

/* Take the tail (the list must not be empty). */
static inline struct page *pcp_list_pop_tail(struct zone *z, struct pcp_list *l)
{
	if (pagelist_empty(&l->list))
		pcp_list_spill(z, l);
	struct page *p = pagelist_last(z, &l->list);
	pagelist_del(z, &l->list, p);
	return p;
}

/*
 * Visit every block, head first. Returns 0 when all were visited, 1 when fn returned false,
 * -1 when the pagelist holds more than `limit` blocks (a cycle: the checker's guard).
 */
static inline int pcp_list_walk(struct zone *z, const struct pcp_list *l, unsigned long limit,
				bool (*fn)(struct page *p, void *arg), void *arg)
{
	unsigned long n = 0;

	for (uint32_t i = l->nr; i-- > 0;)
		if (!fn(idx_page(z, l->mag[i]), arg))
			return 1;
	for (uint32_t i = l->list.head; i != PAGE_NIL; i = idx_page(z, i)->next) {
		if (++n > limit)
			return -1;
		if (!fn(idx_page(z, i), arg))
			return 1;
	}
	return 0;
}

struct per_cpu_pages {
	/* Written by the owner (or under lock), read racily by dumps: READ_ONCE/WRITE_ONCE. */
	int count;              /* pages (not blocks) on all lists */
	int high;               /* drain when count >= high */
	int batch;              /* chunk for refill and drain */
	int high_min, high_max; /* 6.x auto-tuning bounds; high stays within them */
	int free_count;         /* 6.7+: pages freed since the last allocation (free batch scaling) */
	int alloc_factor;       /* 6.7+: refill batch = batch << alloc_factor */
	uint8_t free_factor;    /* 5.14-6.6: drain = batch << free_factor */
	uint8_t flags;

	/* Protection (the same cache line as count: a hit touches one line of the pageset). */
	spinlock_t lock;        /* trylock scheme */
	int busy;               /* owner scheme: inside a pcp operation (owner-written) */
	int remote;             /* owner scheme: a remote CPU is working on these lists */

	struct pcp_list lists[NR_PCP_LISTS];
};

/*
 * One CPU's pageset of one zone. Counters first, beside the pcp header, so that a hit
 * and its counting stay within the first cache lines; the size is a power of two, so
 * that &zone->pageset[cpu] is a shift.
 */
#define PCP_PAGESET_SIZE 4096
struct per_cpu_pageset {
	union {
		struct {
			unsigned long pcp_stat[NR_PCP_STAT_ITEMS];
			/*
			 * The inline hit paths (order 0, local) count here once, and readers
			 * add these in: fast_alloc to pcp_alloc (pcp_stat_read), to
			 * pgalloc_<zone> and pgalloc_calls (all_vm_events) and to numa_hit
			 * and numa_local (zone_numa_state); fast_free to pcp_free_total and
			 * pgfree. Only the entry points' first attempt calls
			 * rmqueue_pcplist_fast, so each fast_alloc is one such call.
			 */
			unsigned long fast_alloc, fast_free;
			unsigned long numa_stat[NR_VM_NUMA_STAT_ITEMS];
			int8_t stat_threshold;
			int8_t vm_stat_diff[NR_VM_ZONE_STAT_ITEMS];
			struct per_cpu_pages pcp __cacheline_aligned;
		};
		char __size[PCP_PAGESET_SIZE];
	};
} __cacheline_aligned;
_Static_assert(sizeof(struct per_cpu_pageset) == PCP_PAGESET_SIZE, "the pageset outgrew PCP_PAGESET_SIZE");

static inline struct per_cpu_pageset *zone_pageset(struct zone *z, int cpu) { return &z->pageset[cpu]; }
/*
 * One CPU's counter, read racily. A hit is every pcp-eligible allocation that did not
 * refill (a failed refill counts as a refill too), so the hit path stores one counter
 * and PCP_STAT_HIT is derived; REFILL is read first so that the difference never goes
 * below zero (ALLOC is counted before REFILL). ALLOC and FREE include the inline paths'
 * fast_alloc and fast_free.
 */
static inline unsigned long pcp_stat_read(const struct per_cpu_pageset *ps, enum pcp_stat_item item)
{
	if (item == PCP_STAT_HIT) {
		unsigned long refill = __atomic_load_n(&ps->pcp_stat[PCP_STAT_REFILL], __ATOMIC_ACQUIRE);
		return __atomic_load_n(&ps->pcp_stat[PCP_STAT_ALLOC], __ATOMIC_RELAXED) +
		       __atomic_load_n(&ps->fast_alloc, __ATOMIC_RELAXED) - refill;
	}
	unsigned long x = __atomic_load_n(&ps->pcp_stat[item], __ATOMIC_RELAXED);
	if (item == PCP_STAT_ALLOC)
		x += __atomic_load_n(&ps->fast_alloc, __ATOMIC_RELAXED);
	else if (item == PCP_STAT_FREE)
		x += __atomic_load_n(&ps->fast_free, __ATOMIC_RELAXED);
	return x;
}
static __always_inline struct per_cpu_pageset *this_cpu_pageset(struct zone *z)
{
	struct per_cpu_pageset *ps = &z->pageset[current_binding.cpu];

	if (!ps)
		__builtin_unreachable();        /* lets the hit paths drop their NULL tests */
	return ps;
}

/* The machine policy's zone_batchsize. */
static inline int zone_batchsize(const struct pcp_policy *pol, const struct zone *zone) { return pol->batchsize(zone); }

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
void pcp_vmstat_tick(struct machine *m);        /* the policy's vmstat_tick on every pcp (6.7+: decay) */
/* Sum of one counter over every CPU of the zone (racy read). */
extern const char *const pcp_stat_names[NR_PCP_STAT_ITEMS];      /* "pcp_alloc", "pcp_alloc_hit", ... */
unsigned long zone_pcp_stat(struct zone *zone, enum pcp_stat_item item);
unsigned long zone_pcp_count(struct zone *zone);
/* membarrier: 0 when the owner scheme can run here. */
int pcp_membarrier_init(char *err, size_t errlen);

/* ------------------------------------------------------------------------------------------
 * The hit paths, inline (liburcu style: the common case in the header, the rest in pcp.c).
 * rmqueue_pcplist_fast and free_unref_page_fast do exactly what rmqueue_pcplist and
 * free_unref_page do when the list serves the request without a refill, a drain or a
 * spill; in every other case they change nothing and return NULL/false, and the caller
 * (the entry points' fast attempts in page_alloc.c) goes on to the general functions,
 * which handle every case, hits included, by themselves.
 */
#define PCPF_PREV_FREE_HIGH_ORDER       0x01
#define PCPF_FREE_HIGH_BATCH            0x02

static inline bool pcp_allowed_order(const struct machine *m, unsigned int order)
{
	if (order == 0)
		return true;
	return m->pcp_policy->high_order && (order <= PAGE_ALLOC_COSTLY_ORDER || order == pageblock_order);
}

/* The list of (migratetype, order) under the policy's geometry. */
static __always_inline int order_to_pindex(const struct pcp_policy *pol, int migratetype, unsigned int order)
{
	if (!pol->high_order)
		return migratetype;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NR_LOWORDER_PCP_LISTS + (pol->thp_lists == PCP_THP_PER_TYPE ? migratetype
					       : pol->thp_lists == PCP_THP_ONE  ? 0
										: migratetype == MIGRATE_MOVABLE);
	return MIGRATE_PCPTYPES * (int)order + migratetype;
}

static inline unsigned int pindex_to_order(const struct pcp_policy *pol, int pindex)
{
	if (!pol->high_order)
		return 0;
	return pindex >= NR_LOWORDER_PCP_LISTS ? pageblock_order : (unsigned int)(pindex / MIGRATE_PCPTYPES);
}

/*
 * The kernel's clamp(high, high_min, high_max): min(max(high, lo), hi). high_min can be
 * above high_max (a low watermark above managed/8, from a large min_free_kbytes): then it
 * is high_max, as in the kernel. Every writer of pcp->high stores a value this leaves as
 * it is, so the inline free can compare against pcp->high without clamping.
 */
static __always_inline int pcp_high_clamp(int high, int lo, int hi)
{
	high = high < lo ? lo : high;
	return high > hi ? hi : high;
}
static inline void pcp_set_high(struct per_cpu_pages *pcp, int high)
{
	WRITE_ONCE(pcp->high, pcp_high_clamp(high, pcp->high_min, pcp->high_max));
}

/* Counters live with the lists and are written only by whoever holds them. */
#define pcp_stat_add(ps, item, n) this_cpu_counter_add((ps)->pcp_stat[item], n)
static __always_inline void pcp_set_count(struct per_cpu_pages *pcp, int count) { WRITE_ONCE(pcp->count, count); }

/*
 * Entering and leaving the lists from the CPU that owns them. Owner scheme: two plain
 * stores and a load (see the protocol above); NULL means a remote CPU holds them, go to
 * the buddy. Trylock scheme: the pcp spinlock, or NULL.
 */
static __always_inline struct per_cpu_pageset *pcp_enter_local(enum pcp_scheme_id scheme, struct zone *zone)
{
	struct per_cpu_pageset *ps = this_cpu_pageset(zone);
	struct per_cpu_pages *pcp = &ps->pcp;

	if (VT_PCP_HELD_ELSEWHERE(zone, smp_processor_id()))
		return NULL;    /* virtual time: a remote CPU holds this pcp now */
	if (scheme == PCP_SCHEME_OWNER) {
		WRITE_ONCE(pcp->busy, 1);
		__asm__ __volatile__("" ::: "memory");  /* the remote's membarrier orders this */
		if (likely(!__atomic_load_n(&pcp->remote, __ATOMIC_ACQUIRE)))
			return ps;
		__atomic_store_n(&pcp->busy, 0, __ATOMIC_RELEASE);
		return NULL;
	}
	return spin_trylock(&pcp->lock) ? ps : NULL;
}

static __always_inline void pcp_leave_local(enum pcp_scheme_id scheme, struct per_cpu_pageset *ps)
{
	if (scheme == PCP_SCHEME_OWNER)
		__atomic_store_n(&ps->pcp.busy, 0, __ATOMIC_RELEASE);
	else
		spin_unlock(&ps->pcp.lock);
}

/* zone_statistics: NUMA_HIT/LOCAL for the usual case inline, the rest in vmstat.c. */
static inline void zone_statistics(struct zone *preferred, struct zone *z)
{
	struct cpu_state *cs = current_binding.cs;

	if (unlikely(!cs))
		return;
	if (likely(z->node == preferred->node && z->node == cs->node)) {
		struct per_cpu_pageset *ps = this_cpu_pageset(z);
		this_cpu_counter_add(ps->numa_stat[NUMA_HIT], 1);
		this_cpu_counter_add(ps->numa_stat[NUMA_LOCAL], 1);
		return;
	}
	__zone_statistics_miss(preferred, z, cs->node);
}

/* The list an allocation or free of this order and type uses. */
static __always_inline struct pcp_list *pcp_list_of(const struct pcp_policy *pol, struct per_cpu_pages *pcp,
						    int migratetype, unsigned int order)
{
	return &pcp->lists[order_to_pindex(pol, migratetype, order)];
}

/*
 * The bookkeeping every allocation from the lists does, hit or refill, inline or not:
 * the count, and what the policy's batch scaling remembers of it. One function for both
 * paths (hitrate_test and batch_test run each policy with and without the inline path
 * and compare every counter).
 */
static __always_inline void pcp_alloc_book(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order)
{
	VT_CHARGE(PCP_ALLOC, 1);
	pcp_set_count(pcp, pcp->count - (1 << order));
	if (pol->hit_book == PCP_BOOK_FREE_FACTOR)
		pcp->free_factor >>= 1;
	else if (pol->hit_book == PCP_BOOK_FREE_COUNT)
		pcp->free_count >>= 1;
}

/*
 * The same for every free onto the lists; returns the policy's free_high decision, which
 * only orders 1..3 can take (so the inline order-0 free has no call to make).
 */
static __always_inline bool pcp_free_book(const struct pcp_policy *pol, struct per_cpu_pages *pcp, unsigned int order)
{
	bool free_high = false;

	VT_CHARGE(PCP_FREE, 1);
	pcp_set_count(pcp, pcp->count + (1 << order));
	if (order && order <= PAGE_ALLOC_COSTLY_ORDER)
		free_high = pol->free_high(pol, pcp, order, pcp->batch);
	if (pol->hit_book == PCP_BOOK_FREE_COUNT) {
		pcp->alloc_factor >>= 1;
		if (!order || order > PAGE_ALLOC_COSTLY_ORDER)
			pcp->flags &= (uint8_t)~PCPF_PREV_FREE_HIGH_ORDER;
		if (pcp->free_count < (pcp->batch << pol->pcp_batch_scale_max))
			pcp->free_count += 1 << order;
	}
	return free_high;
}

/*
 * An order-0 hit: the head of a non-empty list. 4.12 __GFP_COLD takes the tail (rmqueue_pcplist).
 * zone is the preferred zone (the hit paths try only the first zone) and cs the bound CPU's.
 * pid and scheme are the machine's (m->pcp_policy, m->scheme), passed as constants by the
 * entry points' per-pair dispatch (pcp_fast_dispatch), so that each pair's copy keeps only
 * its own policy's steps and its own protection.
 */
static __hot_inline struct page *
rmqueue_pcplist_fast(struct cpu_state *cs, struct zone *zone, gfp_t gfp_flags, int migratetype, bool local,
		     enum pcp_policy_id pid, enum pcp_scheme_id scheme)
{
	const unsigned int order = 0;   /* its counting (fast_alloc) is in pages and blocks at once */
	const struct pcp_policy *pol = pcp_policy(pid);

	/* the usual case only: zone_statistics' local hit (local: the caller knows), no 4.12 cold allocation */
	if (unlikely((!local && zone->node != cs->node) || (pol->cold_tail && (gfp_flags & __GFP_COLD))))
		return NULL;
	struct per_cpu_pageset *ps = pcp_enter_local(scheme, zone);
	if (unlikely(!ps))
		return NULL;
	struct per_cpu_pages *pcp = &ps->pcp;
	struct pcp_list *list = pcp_list_of(pol, pcp, migratetype, order);
	if (unlikely(pcp_list_empty(list))) {
		pcp_leave_local(scheme, ps);
		return NULL;
	}
	struct page *page = pcp_list_pop(zone, list);
	pcp_alloc_book(pol, pcp, order);
	/* pcp_alloc, pgalloc_<zone>, pgalloc_calls and zone_statistics' local hit, in one (see fast_alloc) */
	this_cpu_counter_add(ps->fast_alloc, 1);
	pcp_leave_local(scheme, ps);
	return page;
}

/*
 * An order-0 free that neither drains nor spills: the new head of a list below high (6.x's
 * higher orders may set off free_high). 6.x: only while the zone is neither reclaiming
 * nor boosted, where nr_pcp_high() returns pcp->high clamped to [high_min, high_max] -
 * which here is pcp->high itself: the kernel clamps because pcp_update writes the bounds
 * without the pcp lock, while here every writer of the three holds the pcp (remote ones
 * by the protocol above) and keeps high within them; check_machine checks that it does.
 * The page's state is written here, once.
 */
static __hot_inline bool
free_unref_page_fast(struct zone *zone, struct page *page, int migratetype, enum pcp_policy_id pid,
		     enum pcp_scheme_id scheme)
{
	const unsigned int order = 0;   /* its counting (fast_free) is in pages and blocks at once */
	const struct pcp_policy *pol = pcp_policy(pid);

	if (unlikely(migratetype >= MIGRATE_PCPTYPES))
		return false;
	if (pol->free_defer_flags && (atomic_load_explicit(&zone->flags, memory_order_relaxed) & pol->free_defer_flags))
		return false;
	struct per_cpu_pageset *ps = pcp_enter_local(scheme, zone);
	if (unlikely(!ps))
		return false;
	struct per_cpu_pages *pcp = &ps->pcp;
	struct pcp_list *list = pcp_list_of(pol, pcp, migratetype, order);
	int count = pcp->count + (1 << order), high = pcp->high;
	if (unlikely(list->nr == PCP_MAG_SIZE || count >= high)) {
		pcp_leave_local(scheme, ps);
		return false;
	}
	(void)pcp_free_book(pol, pcp, order);   /* order 0: no free_high; before the stores below, which may alias */
	WRITE_ONCE(page->state, PAGE_STATE(PG_pcp, order, migratetype));  /* a neighbour's page_is_buddy reads it */
	VT_PAGE_LINE(zone, page_idx(zone, page));
	list->mag[list->nr++] = page_idx(zone, page);
	this_cpu_counter_add(ps->fast_free, 1);         /* pcp_free_total and pgfree (see fast_free) */
	pcp_leave_local(scheme, ps);
	return true;
}

/*
 * The hit paths are built once per (pcp policy, scheme) pair, and the machine's pair
 * picks its copy here: inside, the policy's constants and the scheme are constants, as
 * the kernel's config options and static keys make them (a pair went 131 -> 107
 * instructions). One source; the compiler writes a copy per row of the table. The copy is
 * picked by a chain of compares, not a switch: the switch's jump table made a trylock pair
 * 20 -> 26 ns on this project's VMs, the chain 22 ns. A machine built with the inline
 * paths off (--no-fast-path) has no variant: no compare matches, every call returns 0
 * (NULL, false), and the caller goes down the general path.
 */
#define PCP_FAST_CASE(id, name, row, fn, ...)                                                           \
	if (__v == pcp_fast_variant(PCP_POLICY_##id, PCP_SCHEME_OWNER))                                 \
		__r = fn(__VA_ARGS__, PCP_POLICY_##id, PCP_SCHEME_OWNER);                               \
	else if (__v == pcp_fast_variant(PCP_POLICY_##id, PCP_SCHEME_TRYLOCK))                          \
		__r = fn(__VA_ARGS__, PCP_POLICY_##id, PCP_SCHEME_TRYLOCK);                             \
	else
_Static_assert(NR_PCP_SCHEMES == 2, "PCP_FAST_CASE names every scheme");
#define pcp_fast_dispatch(m, fn, ...)                                                                   \
	({                                                                                              \
		__typeof__(fn(__VA_ARGS__, PCP_POLICY_OLDEST, PCP_SCHEME_OWNER)) __r = 0;               \
		int __v = (m)->pcp_fast_variant;                                                        \
		PCP_POLICY_TABLE(PCP_FAST_CASE, fn, __VA_ARGS__) {}                                     \
		__r;                                                                                    \
	})

#endif /* PCP_PCP_H */
