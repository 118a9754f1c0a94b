// SPDX-License-Identifier: GPL-2.0
/*
 * pcp.c - per-CPU page lists: rmqueue_pcplist/rmqueue_bulk on the allocation side,
 * free_unref_page (4.12: free_hot_cold_page)/free_pcppages_bulk on the free side, the
 * drains, and the high/batch formulas of Linux 4.12 and 6.x. See pcp.h for the protocol.
 */
#include <errno.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alloc/internal.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

const struct pcp_policy pcp_policies[NR_PCP_POLICIES] = {
	[PCP_POLICY_LINUX_4_12] = {
		.name = "linux-4.12",
		.high_order = false,
		.cold_tail = true,
		.autotune = false,
		.batch_scale = false,
		.batch_cap_bytes = 512 * 1024,
		.pcp_batch_scale_max = 0,
		.proc_format = PROC_FORMAT_4_12,
	},
	[PCP_POLICY_LINUX_6_X] = {
		.name = "linux-6.x",
		.high_order = true,
		.cold_tail = false,
		.autotune = true,
		.batch_scale = true,
		.batch_cap_bytes = 1024 * 1024,
		.pcp_batch_scale_max = 5,
		.proc_format = PROC_FORMAT_6_18,
	},
};

const struct pcp_policy *pcp_policy_by_name(const char *name)
{
	for (int i = 0; i < NR_PCP_POLICIES; i++)
		if (!strcmp(pcp_policies[i].name, name))
			return &pcp_policies[i];
	return NULL;
}

static const char *const scheme_names[NR_PCP_SCHEMES] = { "owner", "trylock" };
const char *pcp_scheme_name(enum pcp_scheme_id s) { return scheme_names[s]; }
int pcp_scheme_by_name(const char *name)
{
	for (int i = 0; i < NR_PCP_SCHEMES; i++)
		if (!strcmp(scheme_names[i], name))
			return i;
	return -1;
}

static inline int rounddown_pow_of_two(int n)
{
	return n <= 0 ? 0 : 1 << (31 - __builtin_clz((unsigned)n));
}

/*
 * zone_batchsize: about a quarter of a millisecond's worth of pages... in practice
 * managed/1024 capped at 512 KiB (4.12) or 1 MiB (4.19+) of pages, then /4, then
 * made 2^n - 1 so that batches don't alias in caches. 0 for tiny zones (the caller
 * treats that as batch 1, high 0: every free drains at once).
 */
int zone_batchsize(const struct pcp_policy *pol, const struct zone *zone)
{
	long batch = (long)(zone->managed_pages / 1024);
	long cap = (long)(pol->batch_cap_bytes / PAGE_SIZE);

	if (batch > cap)
		batch = cap;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return rounddown_pow_of_two((int)(batch + batch / 2)) - 1;
}

/* 6.x: the low watermark (or managed/fraction) split across the node's CPUs, >= 4 batches. */
int zone_highsize(const struct pcp_policy *pol, const struct zone *zone, int batch, int cpu_online, int high_fraction)
{
	unsigned long total_pages = high_fraction ? zone->managed_pages / (unsigned long)high_fraction
						  : low_wmark_pages(zone);
	int nr_split_cpus = zone->pcp_nr_cpus + cpu_online;
	if (!nr_split_cpus)
		nr_split_cpus = zone->zone_pgdat->machine->nr_cpus;
	int high = (int)(total_pages / (unsigned long)nr_split_cpus);
	(void)pol;
	return high > batch << 2 ? high : batch << 2;
}

static inline unsigned int pindex_to_order(int pindex)
{
	if (pindex >= NR_LOWORDER_PCP_LISTS)
		return pageblock_order;
	return (unsigned int)(pindex / MIGRATE_PCPTYPES);
}

/* --- membarrier: the remote side's half of the owner protocol --- */

static int membarrier_ok = -1;

int pcp_membarrier_init(char *err, size_t errlen)
{
	if (membarrier_ok >= 0)
		return membarrier_ok ? 0 : -1;
	long r = syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
	membarrier_ok = r == 0;
	if (!membarrier_ok && err)
		snprintf(err, errlen, "membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) failed: %s", strerror(errno));
	return membarrier_ok ? 0 : -1;
}

static void membarrier_all(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* init checked it works */
}

/*
 * Remote access to another CPU's lists (also used for our own from contexts that are not
 * a pcp operation). Owner scheme: claim `remote` (remotes among themselves use CAS), fence
 * every running thread, then wait until the owner is outside its operation.
 */
static void pcp_remote_claim(struct machine *m, struct per_cpu_pages *pcp)
{
	if (m->scheme == PCP_SCHEME_OWNER) {
		int expected = 0;
		while (!__atomic_compare_exchange_n(&pcp->remote, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			expected = 0;
			sched_yield();
		}
	} else {
		while (!spin_trylock(&pcp->lock))
			__builtin_ia32_pause();
	}
}

static void pcp_remote_wait(struct machine *m, struct per_cpu_pages *pcp)
{
	if (m->scheme != PCP_SCHEME_OWNER)
		return;
	for (int spins = 0; __atomic_load_n(&pcp->busy, __ATOMIC_ACQUIRE); spins++) {
		if (spins > 64)
			sched_yield();
		else
			__builtin_ia32_pause();
	}
}

static void pcp_remote_release(struct machine *m, struct per_cpu_pages *pcp)
{
	if (m->scheme == PCP_SCHEME_OWNER)
		__atomic_store_n(&pcp->remote, 0, __ATOMIC_RELEASE);
	else
		spin_unlock(&pcp->lock);
}

/* --- refill and drain: the only places that take zone->lock --- */

/* rmqueue_bulk: take `count` blocks of `order` from the buddy onto `list`. */
static int rmqueue_bulk(struct zone *zone, unsigned int order, int count, struct pcp_list *list, int migratetype,
			bool cold)
{
	int i, allocated = 0;

	zone_lock(zone);
	for (i = 0; i < count; ++i) {
		struct page *page = __rmqueue(zone, order, migratetype);
		if (unlikely(!page))
			break;
		WRITE_ONCE(page->state, PAGE_STATE(PG_pcp, order, page->mt));
		/* keep physical order: first taken is first handed out */
		if (likely(!cold))
			pcp_list_add_tail(zone, list, page);
		else
			pcp_list_add(zone, list, page);
		allocated++;
		if (page->mt == MIGRATE_CMA)
			__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, -(1L << order));
	}
	__mod_zone_page_state(zone, NR_FREE_PAGES, -((long)i << order));
	zone_unlock(zone);
	return allocated;
}

/*
 * free_pcppages_bulk: return `count` pages to the buddy, round-robin across the lists,
 * oldest (tail) first. 4.12 takes more from fuller lists (batch_free grows with each empty
 * list it skips); 6.x empties a list before moving on, starting with pindex.
 */
static void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pageset *ps, int pindex)
{
	struct machine *m = zone->zone_pgdat->machine;
	struct per_cpu_pages *pcp = &ps->pcp;
	const bool v412 = !m->pcp_policy->high_order;
	const int nr_lists = v412 ? MIGRATE_PCPTYPES : NR_PCP_LISTS;
	int batch_free = 0, drained = 0, blocks = 0;

	if (count > pcp->count)
		count = pcp->count;
	if (count <= 0)
		return;
	pindex = v412 ? 0 : pindex - 1;
	/*
	 * The drain takes from the tails; move every list's mag onto its pagelist first, so that
	 * no spill happens under zone->lock (it is pcp-local work, and the lock is contended).
	 */
	for (int l = 0; l < nr_lists; l++)
		if (pcp->lists[l].nr)
			pcp_list_spill(zone, &pcp->lists[l]);
	zone_lock(zone);
	const bool isolated_pageblocks = zone->nr_isolate_pageblock != 0;
	while (count > 0) {
		struct pcp_list *list;
		do {
			batch_free++;
			if (++pindex >= nr_lists)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (pcp_list_empty(list));
		if (batch_free == MIGRATE_PCPTYPES || !v412)
			batch_free = count;     /* the only non-empty list (4.12), or 6.x */
		unsigned int order = pindex_to_order(pindex);
		do {
			struct page *page = pcp_list_pop_tail(zone, list);
			unsigned long pfn = __page_to_pfn(m, page);
			/* 4.12 trusts the type recorded at free time; 6.x (and isolation) rereads the block */
			int mt = (v412 && !isolated_pageblocks) ? page->mt : get_pageblock_migratetype_pfn(m, pfn);
			WRITE_ONCE(page->flags, (uint8_t)0);
			count -= 1 << order;
			drained += 1 << order;
			blocks++;
			__free_one_page(page, pfn, zone, order, mt);
		} while (count > 0 && --batch_free && !pcp_list_empty(list));
	}
	zone_unlock(zone);
	pcp_set_count(pcp, pcp->count - drained);
	pcp_stat_add(ps, PCP_STAT_DRAIN, 1);
	pcp_stat_add(ps, PCP_STAT_DRAIN_PAGES, drained);
	pcp_stat_add(ps, PCP_STAT_DRAIN_BLOCKS, blocks);
	if (current_binding.cs) {
		count_vm_event(PCP_DRAIN);
		count_vm_events(PCP_DRAIN_PAGES, drained);
	}
}

/* 6.7+: how many blocks a refill takes; grows high while the zone is above its high mark. */
static int nr_pcp_alloc(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, unsigned int order)
{
	int base_batch = pcp->batch;
	int high_min = pcp->high_min, high_max = pcp->high_max;
	int high, batch, max_nr_alloc;

	if (!pol->autotune)
		return base_batch;      /* 4.12: always batch order-0 pages */
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

struct page *rmqueue_pcplist(struct zone *preferred_zone, struct zone *zone, unsigned int order, gfp_t gfp_flags,
			     int migratetype, unsigned int alloc_flags, bool *bypassed)
{
	struct machine *m = current_machine();  /* the zone's: only the bound CPU gets here */
	const struct pcp_policy *pol = m->pcp_policy;
	struct page *page;

	(void)alloc_flags;
	struct per_cpu_pageset *ps = pcp_enter_local(m->scheme, zone);
	if (unlikely(!ps)) {
		*bypassed = true;
		ps = this_cpu_pageset(zone);
		/* counted racily by design: bypasses are rare and only the owner writes */
		pcp_stat_add(ps, PCP_STAT_BYPASS, 1);
		count_vm_event(PCP_ALLOC_BYPASS);
		return NULL;
	}
	struct per_cpu_pages *pcp = &ps->pcp;
	const bool cold = pol->cold_tail && (gfp_flags & __GFP_COLD);
	struct pcp_list *list = pcp_list_of(pol, pcp, migratetype, order);

	pcp_stat_add(ps, PCP_STAT_ALLOC, 1);
	if (pol->batch_scale)
		pcp->free_count >>= 1;
	if (unlikely(pcp_list_empty(list))) {
		int batch = nr_pcp_alloc(pol, pcp, zone, order);
		int got = rmqueue_bulk(zone, order, batch, list, migratetype, cold);
		pcp_set_count(pcp, pcp->count + (got << order));
		pcp_stat_add(ps, PCP_STAT_REFILL, 1);
		pcp_stat_add(ps, PCP_STAT_REFILL_PAGES, got << order);
		pcp_stat_add(ps, PCP_STAT_REFILL_BLOCKS, got);
		if (unlikely(!got)) {
			pcp_leave_local(m->scheme, ps);
			return NULL;
		}
		count_vm_event(PCP_REFILL);
		count_vm_events(PCP_REFILL_PAGES, got << order);
	}
	page = cold ? pcp_list_pop_tail(zone, list) : pcp_list_pop(zone, list);
	pcp_set_count(pcp, pcp->count - (1 << order));
	WRITE_ONCE(page->flags, (uint8_t)0);  /* read by a neighbour's page_is_buddy */
	pcp_leave_local(m->scheme, ps);
	count_vm_events(PGALLOC_DMA + zone->idx, 1L << order);
	zone_statistics(preferred_zone, zone);
	return page;
}

/* 6.7+: the ceiling this free is measured against; shrinks when memory is short. */
static int nr_pcp_high(const struct pcp_policy *pol, struct per_cpu_pages *pcp, struct zone *zone, int batch,
		       bool free_high)
{
	if (!pol->autotune)
		return pcp->high;
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

static int nr_pcp_free(const struct pcp_policy *pol, struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	if (!pol->batch_scale)
		return batch;
	int scaled = batch << pol->pcp_batch_scale_max;
	if (unlikely(free_high))
		return pcp->count < scaled ? pcp->count : scaled;
	int min_nr_free = batch, max_nr_free = high - batch;
	int n = pcp->free_count;
	if (n > max_nr_free)
		n = max_nr_free;
	if (n < min_nr_free)
		n = min_nr_free;
	return n;
}

/*
 * free_unref_page (4.12: free_hot_cold_page). Highatomic and CMA pages go on the movable
 * list (keeping their own type for the drain); isolated ones go straight to the buddy.
 */
bool free_unref_page(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order, int migratetype,
		     gfp_t hint)
{
	struct machine *m = current_machine();  /* the zone's: only the bound CPU gets here */
	const struct pcp_policy *pol = m->pcp_policy;
	int list_mt = migratetype;

	(void)pfn;
	if (unlikely(migratetype >= MIGRATE_PCPTYPES)) {
		if (unlikely(is_migrate_isolate(migratetype)))
			return false;
		list_mt = MIGRATE_MOVABLE;
	}
	struct per_cpu_pageset *ps = pcp_enter_local(m->scheme, zone);
	if (unlikely(!ps)) {
		pcp_stat_add(this_cpu_pageset(zone), PCP_STAT_BYPASS, 1);  /* owner-only, as above */
		return false;
	}
	struct per_cpu_pages *pcp = &ps->pcp;
	int pindex = pol->high_order ? order_to_pindex(list_mt, order) : list_mt;
	struct pcp_list *list = &pcp->lists[pindex];

	/* read by a neighbour's page_is_buddy, and by a racing double free */
	WRITE_ONCE(page->state, PAGE_STATE(PG_pcp, order, pol->high_order ? list_mt : migratetype));
	if (pol->cold_tail && (hint & __GFP_COLD))
		pcp_list_add_tail(zone, list, page);
	else if (order > PAGE_ALLOC_COSTLY_ORDER)
		pcp_list_add_nomag(zone, list, page);
	else
		pcp_list_add(zone, list, page);
	pcp_set_count(pcp, pcp->count + (1 << order));
	pcp_stat_add(ps, PCP_STAT_FREE, 1);

	int batch = pcp->batch;
	bool free_high = false;
	if (pol->batch_scale) {
		pcp->alloc_factor >>= 1;
		if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
			/* 2025 ("increase pcp->free_count threshold to trigger free_high", in 6.18): batch + high_min / 2 */
			free_high = pcp->free_count >= batch + pcp->high_min / 2 && (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) &&
				    (!(pcp->flags & PCPF_FREE_HIGH_BATCH) || pcp->count >= batch);
			pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
		} else {
			pcp->flags &= (uint8_t)~PCPF_PREV_FREE_HIGH_ORDER;
		}
		if (pcp->free_count < (batch << pol->pcp_batch_scale_max))
			pcp->free_count += 1 << order;
	}
	int high = nr_pcp_high(pol, pcp, zone, batch, free_high);
	if (pcp->count >= high) {
		free_pcppages_bulk(zone, nr_pcp_free(pol, pcp, batch, high, free_high), ps, pindex);
		if (pol->autotune && (atomic_load_explicit(&zone->flags, memory_order_relaxed) & ZONE_BELOW_HIGH) &&
		    zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0))
			atomic_fetch_and_explicit(&zone->flags, ~(unsigned long)ZONE_BELOW_HIGH, memory_order_relaxed);
	}
	pcp_leave_local(m->scheme, ps);
	return true;
}

/* --- drains --- */

static void drain_pageset(struct zone *zone, struct per_cpu_pageset *ps)
{
	if (READ_ONCE(ps->pcp.count))
		free_pcppages_bulk(zone, ps->pcp.count, ps, 0);
}

/* drain_pages_cpu: empty one CPU's lists of one zone (or all zones), safely from anywhere. */
void drain_pages_cpu(struct machine *m, int cpu, struct zone *only)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			if ((only && zone != only) || !zone->pageset)
				continue;
			struct per_cpu_pageset *ps = zone_pageset(zone, cpu);
			pcp_remote_claim(m, &ps->pcp);
			if (m->scheme == PCP_SCHEME_OWNER)
				membarrier_all();
			pcp_remote_wait(m, &ps->pcp);
			drain_pageset(zone, ps);
			pcp_remote_release(m, &ps->pcp);
		}
	}
}

void drain_local_pages(struct zone *zone)
{
	struct machine *m = current_machine();

	if (m)
		drain_pages_cpu(m, smp_processor_id(), zone);
}

/*
 * drain_all_pages: every CPU's lists of the zone (NULL: all zones). Claims every pcp
 * first (in CPU order, so concurrent drainers cannot deadlock), fences once, then drains.
 */
void drain_all_pages(struct machine *m, struct zone *only)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			if ((only && zone != only) || !zone->pageset || !managed_zone(zone))
				continue;
			for (int cpu = 0; cpu < m->nr_cpus; cpu++)
				pcp_remote_claim(m, &zone_pageset(zone, cpu)->pcp);
			if (m->scheme == PCP_SCHEME_OWNER)
				membarrier_all();
			for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
				struct per_cpu_pageset *ps = zone_pageset(zone, cpu);
				pcp_remote_wait(m, &ps->pcp);
				drain_pageset(zone, ps);
				pcp_remote_release(m, &ps->pcp);
			}
		}
	}
}

/* 4.12 vmstat: drain one batch of a remote node's zone from the local CPU. */
void drain_zone_pages(struct zone *zone, struct per_cpu_pages *pcp)
{
	struct machine *m = zone->zone_pgdat->machine;
	struct per_cpu_pageset *ps = (struct per_cpu_pageset *)((char *)pcp - offsetof(struct per_cpu_pageset, pcp));

	pcp_remote_claim(m, pcp);
	if (m->scheme == PCP_SCHEME_OWNER)
		membarrier_all();
	pcp_remote_wait(m, pcp);
	int to_drain = pcp->count < pcp->batch ? pcp->count : pcp->batch;
	if (to_drain > 0)
		free_pcppages_bulk(zone, to_drain, ps, 0);
	pcp_remote_release(m, pcp);
}

/* 6.7+ decay_pcp_high for every CPU: high loses 1/8 per tick down to high_min. */
void pcp_decay_high(struct machine *m)
{
	if (!m->pcp_policy->autotune)
		return;
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->node_data[nid]->node_zones[i];
			if (!zone->pageset || !managed_zone(zone))
				continue;
			for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
				struct per_cpu_pageset *ps = zone_pageset(zone, cpu);
				struct per_cpu_pages *pcp = &ps->pcp;
				pcp_remote_claim(m, pcp);
				if (m->scheme == PCP_SCHEME_OWNER)
					membarrier_all();
				pcp_remote_wait(m, pcp);
				int batch = pcp->batch;
				if (pcp->high > pcp->high_min) {
					int a = pcp->count - (batch << m->pcp_policy->pcp_batch_scale_max);
					int b = pcp->high - (pcp->high >> 3);
					int h = a > b ? a : b;
					pcp_set_high(pcp, h);
				}
				int to_drain = pcp->count - pcp->high;
				if (to_drain > 0)
					free_pcppages_bulk(zone, to_drain, ps, 0);
				pcp_remote_release(m, pcp);
			}
		}
	}
}

/* --- sizing --- */

static void pageset_set_high_and_batch(struct machine *m, struct zone *zone, int *high_min, int *high_max, int *batch)
{
	const struct pcp_policy *pol = m->pcp_policy;
	int b = zone_batchsize(pol, zone);

	if (!pol->autotune) {
		int frac = m->desc.percpu_pagelist_fraction;
		if (frac) {
			/* pageset_set_high: high = managed/fraction, batch a quarter of it, capped */
			int high = (int)(zone->managed_pages / (unsigned long)frac);
			int nb = high / 4 > PAGE_SHIFT * 8 ? PAGE_SHIFT * 8 : high / 4;
			*batch = nb < 1 ? 1 : nb;
			*high_min = *high_max = high;
		} else {
			*high_min = *high_max = 6 * b;   /* pageset_set_batch */
			*batch = b < 1 ? 1 : b;
		}
		return;
	}
	*batch = b < 1 ? 1 : b;
	int frac = m->desc.percpu_pagelist_high_fraction;
	if (frac) {
		*high_min = *high_max = zone_highsize(pol, zone, *batch, 0, frac);
	} else {
		*high_min = zone_highsize(pol, zone, *batch, 0, 0);
		*high_max = zone_highsize(pol, zone, *batch, 0, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}
}

/* zone_pcp_update: new high/batch for every CPU of the zone, written under the protocol. */
void zone_pcp_update(struct zone *zone)
{
	struct machine *m = zone->zone_pgdat->machine;
	int high_min, high_max, batch;

	if (!zone->pageset)
		return;
	pageset_set_high_and_batch(m, zone, &high_min, &high_max, &batch);
	if (m->desc.imported) {
		int nid = zone->node, z = zone->idx;
		if (m->desc.imp_batch[nid][z])
			batch = m->desc.imp_batch[nid][z];
		if (m->desc.imp_high_min[nid][z])
			high_min = m->desc.imp_high_min[nid][z];
		if (m->desc.imp_high_max[nid][z])
			high_max = m->desc.imp_high_max[nid][z];
		if (!m->pcp_policy->autotune && m->desc.imp_high[nid][z])
			high_min = high_max = m->desc.imp_high[nid][z];
	}
	zone->pageset_high_min = high_min;
	zone->pageset_high_max = high_max;
	zone->pageset_batch = batch;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pageset *ps = zone_pageset(zone, cpu);
		struct per_cpu_pages *pcp = &ps->pcp;
		pcp_remote_claim(m, pcp);
		if (m->scheme == PCP_SCHEME_OWNER)
			membarrier_all();
		pcp_remote_wait(m, pcp);
		WRITE_ONCE(pcp->batch, batch);
		WRITE_ONCE(pcp->high_min, high_min);
		WRITE_ONCE(pcp->high_max, high_max);
		/* 4.12 sets high outright; 6.x keeps it, clamped as its next use would (from 0: high_min) */
		pcp_set_high(pcp, m->pcp_policy->autotune ? pcp->high : high_min);
		if (pcp->count > pcp->high && !m->pcp_policy->autotune)
			free_pcppages_bulk(zone, pcp->count - pcp->high, ps, 0);
		pcp_remote_release(m, pcp);
	}
}

void pcp_init_machine(struct machine *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->node_data[nid]->node_zones[i];
			if (!zone->pageset) {
				zone->pageset = aligned_alloc(SMP_CACHE_BYTES, sizeof(struct per_cpu_pageset) * (size_t)m->nr_cpus);
				if (!zone->pageset) {
					fprintf(stderr, "pcp_init_machine: out of memory for %d pagesets\n", m->nr_cpus);
					abort();
				}
				memset(zone->pageset, 0, sizeof(struct per_cpu_pageset) * (size_t)m->nr_cpus);
				for (int cpu = 0; cpu < m->nr_cpus; cpu++)
					for (int l = 0; l < NR_PCP_LISTS; l++)
						pcp_list_init(&zone->pageset[cpu].pcp.lists[l]);
			}
			zone_pcp_update(zone);
		}
	}
}

const char *const pcp_stat_names[NR_PCP_STAT_ITEMS] = {
	[PCP_STAT_ALLOC] = "pcp_alloc",
	[PCP_STAT_HIT] = "pcp_alloc_hit",
	[PCP_STAT_REFILL] = "pcp_refill_calls",
	[PCP_STAT_REFILL_PAGES] = "pcp_refill_pages_total",
	[PCP_STAT_DRAIN] = "pcp_drain_calls",
	[PCP_STAT_DRAIN_PAGES] = "pcp_drain_pages_total",
	[PCP_STAT_FREE] = "pcp_free_total",
	[PCP_STAT_BYPASS] = "pcp_bypass",
	[PCP_STAT_REFILL_BLOCKS] = "pcp_refill_blocks",
	[PCP_STAT_DRAIN_BLOCKS] = "pcp_drain_blocks",
};

unsigned long zone_pcp_stat(struct zone *zone, enum pcp_stat_item item)
{
	unsigned long sum = 0;
	struct machine *m = zone->zone_pgdat->machine;

	if (!zone->pageset)
		return 0;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		sum += pcp_stat_read(&zone->pageset[cpu], item);
	return sum;
}

unsigned long zone_pcp_count(struct zone *zone)
{
	unsigned long sum = 0;
	struct machine *m = zone->zone_pgdat->machine;

	if (!zone->pageset)
		return 0;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		sum += (unsigned long)READ_ONCE(zone->pageset[cpu].pcp.count);
	return sum;
}
