// SPDX-License-Identifier: GPL-2.0
/*
 * pcp.c - per-CPU page lists: rmqueue_pcplist/rmqueue_bulk on the allocation side,
 * free_unref_page (4.12: free_hot_cold_page)/free_pcppages_bulk on the free side, the
 * drains and the sizing. The mechanism is written once; where kernels differ it asks the
 * machine's policy (pcp/policy.h, rows in pcp/policies/). See pcp.h for the protocol.
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
		VT_CHARGE(REFILL_BLOCK, 1);
		if (unlikely(check_new_pages(zone, page, order)))
			continue;       /* check_pcp_refill: a bad block is left out (still counted in i) */
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
 * free_pcppages_bulk: return `count` pages to the buddy, oldest (tail) first. The policy
 * decides the walk: round robin from list 1 with batch_free taking more from fuller lists
 * (< 5.18), or the freed-to list first and each list emptied in turn (5.18+); and the
 * type a block goes back as: the one recorded at free time, or its pageblock's (6.10+).
 */
static void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pageset *ps, int pindex)
{
	struct machine *m = zone->zone_pgdat->machine;
	const struct pcp_policy *pol = m->pcp_policy;
	struct per_cpu_pages *pcp = &ps->pcp;
	const bool round_robin = pol->drain_order == PCP_DRAIN_ROUND_ROBIN;
	const int nr_lists = pcp_nr_lists(pol);
	int batch_free = 0, drained = 0, blocks = 0;

	if (count > pcp->count)
		count = pcp->count;
	if (count <= 0)
		return;
	pindex = round_robin ? 0 : pindex - 1;
	/*
	 * The drain takes from the tails; move every list's mag onto its pagelist first, so that
	 * no spill happens under zone->lock (it is pcp-local work, and the lock is contended).
	 */
	for (int l = 0; l < nr_lists; l++)
		if (pcp->lists[l].nr)
			pcp_list_spill(zone, &pcp->lists[l]);
	zone_lock(zone);
	const bool isolated_pageblocks = zone->nr_isolate_pageblock != 0;
	const bool recorded_mt = pol->drain_mt == PCP_DRAIN_MT_RECORDED && !isolated_pageblocks;
	while (count > 0) {
		struct pcp_list *list;
		do {
			batch_free++;
			if (++pindex >= nr_lists)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (pcp_list_empty(list));
		if (batch_free == nr_lists || !round_robin)
			batch_free = count;     /* the only non-empty list, or a list at a time */
		unsigned int order = pindex_to_order(pol, pindex);
		do {
			struct page *page = pcp_list_pop_tail(zone, list);
			unsigned long pfn = __page_to_pfn(m, page);
			int mt = recorded_mt ? page->mt : get_pageblock_migratetype_pfn(m, pfn);
			WRITE_ONCE(page->flags, (uint8_t)0);
			VT_CHARGE(DRAIN_BLOCK, 1);
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
	if (unlikely(pcp_list_empty(list))) {
		int batch = pol->nr_pcp_alloc(pol, pcp, zone, order);
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
	pcp_alloc_book(pol, pcp, order);
	WRITE_ONCE(page->flags, (uint8_t)0);  /* read by a neighbour's page_is_buddy */
	pcp_leave_local(m->scheme, ps);
	count_vm_events(PGALLOC_DMA + zone->idx, 1L << order);
	zone_statistics(preferred_zone, zone);
	return page;
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
	int pindex = order_to_pindex(pol, list_mt, order);
	struct pcp_list *list = &pcp->lists[pindex];

	/* read by a neighbour's page_is_buddy, and by a racing double free */
	WRITE_ONCE(page->state, PAGE_STATE(PG_pcp, order, pol->drain_mt == PCP_DRAIN_MT_RECORDED ? migratetype : list_mt));
	if (pol->cold_tail && (hint & __GFP_COLD))
		pcp_list_add_tail(zone, list, page);
	else if (order > PAGE_ALLOC_COSTLY_ORDER)
		pcp_list_add_nomag(zone, list, page);
	else
		pcp_list_add(zone, list, page);
	pcp_stat_add(ps, PCP_STAT_FREE, 1);

	int batch = pcp->batch;
	bool free_high = pcp_free_book(pol, pcp, order);
	int high = pol->nr_pcp_high(pol, pcp, zone, batch, free_high);
	if (pcp->count >= high) {
		free_pcppages_bulk(zone, pol->nr_pcp_free(pol, pcp, batch, high, free_high), ps, pindex);
		if (pol->below_high && (atomic_load_explicit(&zone->flags, memory_order_relaxed) & ZONE_BELOW_HIGH) &&
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
			VT_PCP_REMOTE(zone, cpu, true);
			drain_pageset(zone, ps);
			VT_PCP_REMOTE(zone, cpu, false);
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
				VT_PCP_REMOTE(zone, cpu, true);
				drain_pageset(zone, ps);
				VT_PCP_REMOTE(zone, cpu, false);
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

/* The vmstat tick on every CPU's lists: the policy's vmstat_tick (6.7+ decay_pcp_high). */
void pcp_vmstat_tick(struct machine *m)
{
	const struct pcp_policy *pol = m->pcp_policy;

	if (!pol->vmstat_tick)
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
				int to_drain = pol->vmstat_tick(pol, pcp);
				if (to_drain > 0)
					free_pcppages_bulk(zone, to_drain, ps, 0);
				pcp_remote_release(m, pcp);
			}
		}
	}
}

/* --- sizing --- */

/* zone_pcp_update: new high/batch for every CPU of the zone, written under the protocol. */
void zone_pcp_update(struct zone *zone)
{
	struct machine *m = zone->zone_pgdat->machine;
	int high_min, high_max, batch;

	if (!zone->pageset)
		return;
	const struct pcp_policy *pol = m->pcp_policy;
	int fraction = pcp_fraction_value(pol->fraction_sysctl, &m->desc);
	pol->high_and_batch(pol, zone, fraction, &high_min, &high_max, &batch);
	if (m->desc.imported) {
		int nid = zone->node, z = zone->idx;
		if (m->desc.imp_batch[nid][z])
			batch = m->desc.imp_batch[nid][z];
		if (m->desc.imp_high_min[nid][z])
			high_min = m->desc.imp_high_min[nid][z];
		if (m->desc.imp_high_max[nid][z])
			high_max = m->desc.imp_high_max[nid][z];
		if (!pol->high_tuned && m->desc.imp_high[nid][z])
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
		/* set outright (pageset_update), or kept within the new bounds (6.7+; from 0: high_min) */
		pcp_set_high(pcp, pol->high_on_update(pcp->high, high_min, high_max));
		if (pcp->count > pcp->high && !pol->high_tuned)
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
