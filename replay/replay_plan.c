// SPDX-License-Identifier: GPL-2.0
/*
 * replay_plan.c - before a replay: what each pcp list held when the capture began,
 * inferred from the trace (the plan), and the lists seeded from the capture's pagesets.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "replay/pfnmap.h"
#include "replay/replay.h"
#include "pcp/pcp.h"

#define MAX_CATCHUP_TICKS 64	/* after a long idle gap: (7/8)^64 of high is left anyway */
#define MAX_LOG_CPUS 256	/* --log covers the ticks of this many CPUs */
#include "replay/replay_internal.h"

/* --- the plan: what each list held at the start, from the trace --- */


static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The phase of the ticks (fraction of a second) from kworker drain-run starts: their
 * circular median, taken relative to the first one. */
int64_t median_phase(int64_t *ph, size_t n)
{
	const int64_t sec = 1000000000;
	int64_t ref = ph[0];

	for (size_t i = 0; i < n; i++) {
		int64_t d = ph[i] - ref;
		if (d > sec / 2)
			d -= sec;
		else if (d <= -sec / 2)
			d += sec;
		ph[i] = d;
	}
	qsort(ph, n, sizeof(*ph), cmp_i64);
	return ((ref + ph[n / 2]) % sec + sec) % sec;
}

static inline struct plan_list *plan_at(const struct replay_plan *p, int nid, int zid, int cpu, int pindex)
{
	return &p->l[(((size_t)nid * MAX_NR_ZONES + (size_t)zid) * (size_t)p->nr_cpus + (size_t)cpu) * NR_PCP_LISTS +
		     (size_t)pindex];
}

/* The model's list for (migratetype, order), as pcp.c indexes them; -1: not a pcp list. */
static int list_index(const struct machine *m, int mt, unsigned order)
{
	if (mt < 0 || mt >= MIGRATE_PCPTYPES || !pcp_allowed_order(m, order))
		return -1;
	return order_to_pindex(m->pcp_policy, mt, order);
}

static unsigned list_order(const struct machine *m, int pindex)
{
	return pindex_to_order(m->pcp_policy, pindex);
}

static int list_mt(const struct machine *m, int pindex)
{
	const struct pcp_policy *pol = m->pcp_policy;

	if (pol->high_order && pindex >= NR_LOWORDER_PCP_LISTS) {
		int t = pindex - NR_LOWORDER_PCP_LISTS;
		return pol->thp_lists == PCP_THP_PER_TYPE ? t
		       : pol->thp_lists == PCP_THP_ONE	  ? MIGRATE_MOVABLE
		       : t == 1				  ? MIGRATE_MOVABLE
							  : MIGRATE_UNMOVABLE;
	}
	return pindex % MIGRATE_PCPTYPES;
}


/* pfnmap values of the planning pass: the block's zone and migratetype, not a page. */
static inline struct page *plan_tag(const struct zone *z, int mt)
{
	return (struct page *)(uintptr_t)(((uintptr_t)(z->node * MAX_NR_ZONES + (int)z->idx) << 4) | (uintptr_t)(mt + 1));
}

struct replay_plan *replay_plan_infer(struct machine *m, struct trace_reader *rd, unsigned int trace_flags,
				      char *err, size_t errlen)
{
	struct replay_plan *p = calloc(1, sizeof(*p));
	struct pfnmap map;
	struct trace_event ev;
	uint64_t n = 0;
	int got;

	if (!p || pfnmap_init(&map, 1 << 16)) {
		free(p);
		errf(err, errlen, "out of memory");
		return NULL;
	}
	p->nr_nodes = m->nr_nodes;
	p->nr_cpus = m->nr_cpus;
	size_t nl = (size_t)m->nr_nodes * MAX_NR_ZONES * (size_t)m->nr_cpus * NR_PCP_LISTS;
	p->l = calloc(nl, sizeof(*p->l));
	if (!p->l) {
		pfnmap_destroy(&map);
		free(p);
		errf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < nl; i++)
		p->l[i].first_refill = UINT64_MAX;
	int64_t *phases = malloc(sizeof(int64_t) * MAX_PHASES);
	uint8_t *in_drain = calloc((size_t)m->nr_cpus, 1);
	size_t nphases = 0;
	if (!phases || !in_drain) {
		free(phases);
		free(in_drain);
		goto oom;
	}
	trace_set_flags(rd, trace_flags);
	trace_set_warn(rd, NULL, NULL);	/* the replay itself reports */
	while ((got = trace_next(rd, &ev)) > 0) {
		n++;
		if (ev.cpu >= (uint32_t)m->nr_cpus || ev.type == TRACE_UNKNOWN)
			continue;
		/* vmstat ticks show as drain runs of a kworker (decay_pcp_high) */
		if (ev.type == TRACE_MM_PAGE_PCPU_DRAIN) {
			if (!in_drain[ev.cpu] && ev.comm_len > 8 && !memcmp(ev.comm, "kworker/", 8) && nphases < MAX_PHASES)
				phases[nphases++] = (int64_t)(ev.ts_ns % 1000000000u);
			in_drain[ev.cpu] = 1;
		} else if (ev.type != TRACE_MM_PAGE_ALLOC_EXTFRAG) {
			in_drain[ev.cpu] = 0;
		}
		struct plan_list *pl = NULL;
		struct zone *z;
		int li;
		switch (ev.type) {
		case TRACE_MM_PAGE_ALLOC:
			z = zone_for_trace_pfn(m, ev.pfn);
			if (!z)
				break;
			if (pfnmap_put(&map, ev.pfn, plan_tag(z, ev.migratetype), (unsigned)ev.order, NULL, NULL) < 0) {
				free(phases);
				free(in_drain);
				goto oom;
			}
			li = list_index(m, ev.migratetype, (unsigned)ev.order);
			if (li < 0)
				break;
			pl = plan_at(p, z->node, (int)z->idx, (int)ev.cpu, li);
			pl->allocs++;
			if (pl->first_refill == UINT64_MAX && ++pl->net > pl->maxnet)
				pl->maxnet = pl->net;
			break;
		case TRACE_MM_PAGE_FREE: {
			struct page *tag;
			unsigned order;
			if (!pfnmap_take(&map, ev.pfn, &tag, &order))
				break;
			uintptr_t t = (uintptr_t)tag;
			int slot = (int)(t >> 4), mt = (int)(t & 15) - 1;
			li = list_index(m, mt, order);
			if (li < 0)
				break;
			pl = plan_at(p, slot / MAX_NR_ZONES, slot % MAX_NR_ZONES, (int)ev.cpu, li);
			if (pl->first_refill == UINT64_MAX)
				pl->net--;
			break;
		}
		case TRACE_MM_PAGE_ALLOC_ZONE_LOCKED:
			if (ev.percpu_refill != 1 || !(z = zone_for_trace_pfn(m, ev.pfn)))
				break;
			li = list_index(m, ev.migratetype, (unsigned)ev.order);
			if (li < 0)
				break;
			pl = plan_at(p, z->node, (int)z->idx, (int)ev.cpu, li);
			if (pl->first_refill == UINT64_MAX) {
				/* empty now: it held what was taken from it since the start */
				pl->first_refill = n;
				pl->need = pl->net > pl->maxnet ? pl->net : pl->maxnet;
			}
			break;
		default:
			break;
		}
	}
	pfnmap_destroy(&map);
	p->tick_phase_ns = nphases ? median_phase(phases, nphases) : -1;
	p->tick_phase_seen = (uint32_t)nphases;
	free(phases);
	free(in_drain);
	if (got < 0) {
		errf(err, errlen, "%s", trace_error(rd));
		replay_plan_free(p);
		return NULL;
	}
	for (size_t i = 0; i < nl; i++) {
		if (p->l[i].first_refill == UINT64_MAX)
			p->l[i].need = p->l[i].maxnet;
		if (p->l[i].need < 0)
			p->l[i].need = 0;
	}
	return p;
oom:
	pfnmap_destroy(&map);
	replay_plan_free(p);
	errf(err, errlen, "out of memory");
	return NULL;
}

void replay_plan_free(struct replay_plan *p)
{
	if (p) {
		free(p->l);
		free(p);
	}
}

/* --- seeding the lists from the capture's pagesets --- */

static int zone_index(const char *name)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (!strcmp(zone_names[z], name))
			return z;
	return -1;
}

/* n blocks of the list's order from the buddy onto it (under zone->lock); returns pages. */
static long seed_list(struct machine *m, struct zone *zone, struct per_cpu_pages *pcp, int pindex, long n)
{
	unsigned order = list_order(m, pindex);
	int mt = list_mt(m, pindex);
	long done = 0;

	zone_lock(zone);
	for (; done < n; done++) {
		struct page *page = __rmqueue(zone, order, mt);
		if (!page)
			break;
		page->flags = PG_pcp;
		page->order = (uint8_t)order;
		page->mt = (uint8_t)mt;
		pcp_list_add_tail(zone, &pcp->lists[pindex], page);
	}
	zone_unlock(zone);
	__mod_zone_page_state(zone, NR_FREE_PAGES, -(done << order));
	WRITE_ONCE(pcp->count, pcp->count + (int)(done << order));
	return done << order;
}

/* The order-0 list that takes what count leaves over (see replay.h). */
static int leftover_list(const struct replay_plan *p, struct zone *zone, int cpu)
{
	int best = MIGRATE_MOVABLE;

	if (!p)
		return best;
	for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
		const struct plan_list *a = plan_at(p, zone->node, (int)zone->idx, cpu, mt);
		const struct plan_list *b = plan_at(p, zone->node, (int)zone->idx, cpu, best);
		if (a->first_refill > b->first_refill ||
		    (a->first_refill == b->first_refill && a->allocs < b->allocs))
			best = mt;
	}
	return best;
}

/* count pages onto cpu's lists of zone (the caller holds cpu). */
static long seed_lists(struct machine *m, struct zone *zone, int cpu, long count, enum replay_prefill prefill,
		       const struct replay_plan *plan)
{
	struct per_cpu_pages *pcp = &zone_pageset(zone, cpu)->pcp;
	long done = 0;

	cpu_switch(cpu);
	if (prefill == REPLAY_PREFILL_SPREAD) {
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			done += seed_list(m, zone, pcp, mt, count / MIGRATE_PCPTYPES + (mt < count % MIGRATE_PCPTYPES));
		return done;
	}
	if (prefill == REPLAY_PREFILL_INFER && plan && zone->node < plan->nr_nodes && cpu < plan->nr_cpus) {
		long want = 0;
		for (int li = 0; li < NR_PCP_LISTS; li++)
			want += (long)plan_at(plan, zone->node, (int)zone->idx, cpu, li)->need << list_order(m, li);
		for (int li = 0; li < NR_PCP_LISTS; li++) {
			long need = (long)plan_at(plan, zone->node, (int)zone->idx, cpu, li)->need;
			if (want > count)
				need = (long)((__int128)need * count / want);	/* scaled down to count */
			if (need > 0)
				done += seed_list(m, zone, pcp, li, need);
		}
	} else {
		plan = NULL;
	}
	if (done < count)
		done += seed_list(m, zone, pcp, leftover_list(plan, zone, cpu), count - done);
	return done;
}

long replay_seed_pcp(struct machine *m, const char *zoneinfo, enum replay_prefill prefill,
		     const struct replay_plan *plan, char *err, size_t errlen)
{
	FILE *f = fopen(zoneinfo, "r");
	char line[1024];
	int nid = -1, zid = -1, cpu = -1;
	long seeded = 0;

	if (!f)
		return errf(err, errlen, "%s: %s", zoneinfo, strerror(errno));
	if (prefill == REPLAY_PREFILL_NONE) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[32];
		int n, v;
		const char *p = line;

		if (sscanf(line, "Node %d, zone %31s", &n, name) == 2) {
			nid = n >= 0 && n < m->nr_nodes ? n : -1;
			zid = zone_index(name);
			cpu = -1;
			continue;
		}
		if (nid < 0 || zid < 0)
			continue;
		while (isspace((unsigned char)*p))
			p++;
		struct zone *zone = &m->node_data[nid]->node_zones[zid];
		if (sscanf(p, "cpu: %d", &v) == 1) {
			cpu = v >= 0 && v < m->nr_cpus ? v : -1;
		} else if (cpu >= 0 && zone->pageset && managed_zone(zone)) {
			/* "high:" (with the colon) is the pageset's; the watermark line has none */
			if (sscanf(p, "count: %d", &v) == 1 && v > 0)
				seeded += seed_lists(m, zone, cpu, v, prefill, plan);
			else if (sscanf(p, "high: %d", &v) == 1 && v > 0 && m->pcp_policy->high_tuned)
				WRITE_ONCE(zone_pageset(zone, cpu)->pcp.high, v);
		}
	}
	fclose(f);
	return seeded;
}

/* The zone a kernel pfn was in: the highest managed zone that starts at or below it. */
struct zone *zone_for_trace_pfn(struct machine *m, uint64_t pfn)
{
	struct zone *best = NULL;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (managed_zone(zone) && zone->zone_start_pfn <= pfn &&
			    (!best || zone->zone_start_pfn > best->zone_start_pfn))
				best = zone;
		}
	return best;
}
