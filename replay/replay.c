// SPDX-License-Identifier: GPL-2.0
/*
 * replay.c - replay a kernel page-allocator trace on the model (see replay.h).
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


void replay_options_default(struct replay_options *o)
{
	memset(o, 0, sizeof(*o));
	o->tick_ns = 1000000000ull;
	o->tick_phase_ns = -1;
	o->prefill = REPLAY_PREFILL_INFER;
}

double replay_per_1k(uint64_t num, uint64_t den)
{
	return den ? 1000.0 * (double)num / (double)den : 0.0;
}

int replay_sibling(const char *trace, const char *suffix, char *out, size_t outlen)
{
	static const char *const ends[] = { ".trace.xz", ".trace", ".xz" };
	size_t n = strlen(trace);

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t e = strlen(ends[i]);
		if (n > e && !strcmp(trace + n - e, ends[i])) {
			n -= e;
			break;
		}
	}
	if ((size_t)snprintf(out, outlen, "%.*s.%s", (int)n, trace, suffix) >= outlen)
		return -1;
	return access(out, R_OK) == 0 ? 0 : -1;
}

/* --- the model's counters --- */

struct model_snap {
	uint64_t pcp[NR_PCP_STAT_ITEMS];
	unsigned long ev[NR_VM_EVENT_ITEMS];
};

static void model_snap(struct machine *m, struct model_snap *s)
{
	memset(s, 0, sizeof(*s));
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->pageset)
				continue;
			for (int i = 0; i < NR_PCP_STAT_ITEMS; i++)
				s->pcp[i] += zone_pcp_stat(zone, (enum pcp_stat_item)i);
		}
	all_vm_events(m, s->ev);
}

/* --- the plan: what each list held at the start, from the trace --- */

struct plan_list {
	int64_t net;		/* allocations - frees of trace blocks, until the first refill */
	int64_t maxnet;
	int64_t need;		/* blocks the list held at the start */
	uint64_t allocs;
	uint64_t first_refill;	/* event number of its first percpu_refill=1 line; UINT64_MAX: none */
};

#define MAX_PHASES 4096

struct replay_plan {
	int nr_nodes, nr_cpus;
	struct plan_list *l;	/* [node][zone][cpu][NR_PCP_LISTS] */
	int64_t tick_phase_ns;	/* -1: the trace shows no tick */
	uint32_t tick_phase_seen;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The phase of the ticks (fraction of a second) from kworker drain-run starts: their
 * circular median, taken relative to the first one. */
static int64_t median_phase(int64_t *ph, size_t n)
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

static struct zone *zone_for_trace_pfn(struct machine *m, uint64_t pfn);

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

/* --- the replay --- */

/* The zone a kernel pfn was in: the highest managed zone that starts at or below it. */
static struct zone *zone_for_trace_pfn(struct machine *m, uint64_t pfn)
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

/*
 * A block standing for one the kernel had allocated before the capture: taken from the
 * buddy under zone->lock outside every counter (no pcp, no vm event), made an allocated
 * head. NULL when the zone has no free block of that order.
 */
static struct page *materialize(struct machine *m, uint64_t pfn, unsigned order)
{
	struct zone *zone = zone_for_trace_pfn(m, pfn);

	if (!zone || order >= MAX_ORDER)
		return NULL;
	unsigned long *extfrag = &current_binding.cs->vm_events[PGALLOC_EXTFRAG];
	unsigned long extfrag_before = *extfrag;
	zone_lock(zone);
	struct page *page = __rmqueue(zone, order, MIGRATE_MOVABLE);
	zone_unlock(zone);
	*extfrag = extfrag_before;	/* not a fallback the trace could show */
	if (!page)
		return NULL;
	__mod_zone_freepage_state(zone, -(1L << order), page->mt);
	prep_new_page(m, page, order, 0);
	return page;
}

/* --log: this CPU's refilled and drained blocks over its zones. */
static void cpu_blocks(struct machine *m, int cpu, uint64_t out[2])
{
	out[0] = out[1] = 0;
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->pageset)
				continue;
			out[0] += zone_pageset(zone, cpu)->pcp_stat[PCP_STAT_REFILL_BLOCKS];
			out[1] += zone_pageset(zone, cpu)->pcp_stat[PCP_STAT_DRAIN_BLOCKS];
		}
}

/* " Normal 1234/6145" for each managed zone: the CPU's pcp count and high after the event */
static void log_state(FILE *log, struct machine *m, int cpu)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->pageset || !managed_zone(zone))
				continue;
			const struct per_cpu_pages *pcp = &zone_pageset(zone, cpu)->pcp;
			fprintf(log, " %d:%s %d/%d", nid, zone->name, pcp->count, pcp->high);
		}
	fputc('\n', log);
}

static void log_delta(FILE *log, struct machine *m, int cpu, const uint64_t before[2], const char *what,
		      const struct trace_event *ev)
{
	uint64_t after[2];

	cpu_blocks(m, cpu, after);
	for (int i = 0; i < 2; i++) {
		if (after[i] == before[i])
			continue;
		fprintf(log, "%" PRIu64 ".%06" PRIu64 " cpu%d line %" PRIu64 " %s: %s %" PRIu64 " blocks, count/high:",
			ev->ts_ns / 1000000000u, ev->ts_ns % 1000000000u / 1000u, cpu, ev->line, what,
			i ? "drain" : "refill", after[i] - before[i]);
		log_state(log, m, cpu);
	}
}

static void warn_stderr(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "replay: %s\n", msg);
}

/* gfp for an allocation line: the trace's names, its migratetype winning, never NOFAIL. */
static gfp_t replay_gfp(const struct trace_event *ev, struct replay_model_extra *x)
{
	gfp_t gfp = ev->gfp;

	if (!gfp && ev->gfp_unknown) {
		/* a raw hex value (the kernel's bit layout, not ours): an ordinary request */
		gfp = GFP_KERNEL;
		x->gfp_synthesized++;
	}
	gfp &= ~__GFP_NOFAIL;	/* no reclaim in the model: a failing NOFAIL would spin */
	if (ev->migratetype >= 0 && ev->migratetype < MIGRATE_PCPTYPES &&
	    gfpflags_to_migratetype(gfp) != ev->migratetype) {
		gfp = (gfp & ~GFP_MOVABLE_MASK) | ((gfp_t)ev->migratetype << GFP_MOVABLE_SHIFT);
		x->migratetype_fixed++;
	}
	return gfp;
}

static void fill_kernel_side(struct replay_result *r)
{
	const struct kernel_stats *ks = &r->kernel_stats;

	r->kernel = (struct replay_side){
		.allocs = ks->allocs,
		.frees = ks->frees,
		.refill_blocks = ks->refill_pages,
		.refill_base_pages = ks->refill_base_pages,
		.refill_runs = ks->refill_runs,
		.drain_blocks = ks->drain_pages,
		.drain_base_pages = ks->drain_base_pages,
		.drain_runs = ks->drain_runs,
		.direct_blocks = ks->direct_pages,
		.direct_base_pages = ks->direct_base_pages,
		.extfrag = ks->extfrag,
	};
	r->trace_cpus = ks->ncpus;
	r->trace_seconds = ks->last_ts_ns > ks->first_ts_ns ? (double)(ks->last_ts_ns - ks->first_ts_ns) / 1e9 : 0;
}

static void fill_model_side(struct replay_result *r, const struct model_snap *a, const struct model_snap *b)
{
#define D_PCP(i) (b->pcp[i] - a->pcp[i])
#define D_EV(i) ((uint64_t)(b->ev[i] - a->ev[i]))
	r->model.refill_blocks = D_PCP(PCP_STAT_REFILL_BLOCKS);
	r->model.refill_base_pages = D_PCP(PCP_STAT_REFILL_PAGES);
	r->model.refill_runs = D_PCP(PCP_STAT_REFILL);
	r->model.drain_blocks = D_PCP(PCP_STAT_DRAIN_BLOCKS);
	r->model.drain_base_pages = D_PCP(PCP_STAT_DRAIN_PAGES);
	r->model.drain_runs = D_PCP(PCP_STAT_DRAIN);
	r->model.extfrag = D_EV(PGALLOC_EXTFRAG);
	r->extra.pcp_allocs = D_PCP(PCP_STAT_ALLOC);
	r->extra.pcp_hits = D_PCP(PCP_STAT_HIT);
#undef D_PCP
#undef D_EV
}

long replay_read_tick_phase(const char *path, int64_t *phase_ns, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[256];
	long n = 0, cap = 0;
	int64_t *ph = NULL;

	if (!f)
		return errf(err, errlen, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned cpu;
		unsigned long long sec;
		char frac[32];
		if (sscanf(line, "%u %llu.%31[0-9]", &cpu, &sec, frac) != 3)
			continue;
		int64_t ns = 0;
		size_t len = strlen(frac);
		for (size_t i = 0; i < 9; i++)
			ns = ns * 10 + (i < len ? frac[i] - '0' : 0);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			int64_t *np = realloc(ph, sizeof(*ph) * (size_t)cap);
			if (!np) {
				free(ph);
				fclose(f);
				return errf(err, errlen, "out of memory");
			}
			ph = np;
		}
		ph[n++] = ns;
	}
	fclose(f);
	if (n)
		*phase_ns = median_phase(ph, (size_t)n);
	free(ph);
	return n;
}

/* The first tick (k * period + phase) after ts. */
static uint64_t tick_after(uint64_t ts, uint64_t period, uint64_t phase)
{
	if (ts < phase)
		return phase;
	return ((ts - phase) / period + 1) * period + phase;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int replay_reader(struct machine *m, struct trace_reader *rd, const struct replay_options *o, struct replay_result *r,
		  char *err, size_t errlen)
{
	struct replay_options defaults;
	struct replay_model_extra *x = &r->extra;
	struct model_snap before, after;
	struct pfnmap map;
	struct trace_event ev;
	uint64_t next_tick = 0;
	bool tick_started = false;
	int rc = 0, n;
	int *cpus;

	if (!o) {
		replay_options_default(&defaults);
		o = &defaults;
	}
	memset(r, 0, sizeof(*r));
	kernel_stats_init(&r->kernel_stats);
	snprintf(r->policy, sizeof(r->policy), "%s", m->pcp_policy->name);
	snprintf(x->prefill, sizeof(x->prefill), "none");
	trace_set_flags(rd, o->trace_flags);
	if (o->quiet)
		trace_set_warn(rd, NULL, NULL);
	else
		trace_set_warn(rd, o->warn ? o->warn : warn_stderr, o->warn ? o->warn_ctx : NULL);

	cpus = malloc(sizeof(int) * (size_t)m->nr_cpus);
	if (!cpus)
		return errf(err, errlen, "out of memory");
	for (n = 0; n < m->nr_cpus; n++)
		cpus[n] = n;
	if (cpu_bind_many(m, cpus, m->nr_cpus)) {
		free(cpus);
		return errf(err, errlen, "cannot hold the model's %d CPUs (is another thread bound to one?)", m->nr_cpus);
	}
	free(cpus);
	if (pfnmap_init(&map, 1 << 16)) {
		cpu_unbind();
		return errf(err, errlen, "out of memory");
	}
	if (o->pcp_state) {
		enum replay_prefill how = o->prefill;
		if (how == REPLAY_PREFILL_INFER && !o->plan)
			how = REPLAY_PREFILL_MOVABLE;	/* nothing to infer from */
		static const char *const names[] = { "infer", "movable", "spread", "none" };
		snprintf(x->prefill, sizeof(x->prefill), "%s", names[how]);
		long s = replay_seed_pcp(m, o->pcp_state, how, o->plan, err, errlen);
		if (s < 0) {
			rc = -1;
			goto out;
		}
		x->seeded_pages = (uint64_t)s;
	}
	model_snap(m, &before);

	const bool ticking = o->tick_ns && m->pcp_policy->vmstat_tick;
	x->tick_phase_ns = -1;
	if (ticking) {
		int64_t phase = o->tick_phase_ns;
		if (phase < 0 && o->plan && o->plan->tick_phase_ns >= 0) {
			phase = o->plan->tick_phase_ns;
			x->tick_phase_seen = o->plan->tick_phase_seen;
		}
		snprintf(x->tick_phase_from, sizeof(x->tick_phase_from), "%s",
			 o->tick_phase_ns >= 0 ? (o->tick_phase_from ? o->tick_phase_from : "given")
			 : phase >= 0	       ? "trace"
					       : "default");
		x->tick_phase_ns = phase < 0 ? 0 : phase % (int64_t)o->tick_ns;
	} else {
		snprintf(x->tick_phase_from, sizeof(x->tick_phase_from), "none");
	}
	double t0 = now_s();
	for (;;) {
		int got = trace_next(rd, &ev);
		if (got == 0)
			break;
		if (got < 0) {
			rc = errf(err, errlen, "%s", trace_error(rd));
			break;
		}
		if (kernel_stats_add(&r->kernel_stats, &ev)) {
			rc = errf(err, errlen, "line %" PRIu64 ": CPU %u is beyond what the replay can hold", ev.line, ev.cpu);
			break;
		}
		if (ev.type == TRACE_UNKNOWN)
			continue;
		if (ev.cpu >= (uint32_t)m->nr_cpus) {
			rc = errf(err, errlen,
				  "line %" PRIu64 ": trace CPU %u, but the model machine has %d CPUs "
				  "(give a zoneinfo or --cpus covering every CPU of the capture)",
				  ev.line, ev.cpu, m->nr_cpus);
			break;
		}
		if (ticking) {
			if (!tick_started) {
				next_tick = tick_after(ev.ts_ns, o->tick_ns, (uint64_t)x->tick_phase_ns);
				tick_started = true;
			} else if (ev.ts_ns >= next_tick) {
				uint64_t due = (ev.ts_ns - next_tick) / o->tick_ns + 1;
				if (due > MAX_CATCHUP_TICKS)
					due = MAX_CATCHUP_TICKS;
				for (uint64_t t = 0; t < due; t++) {
					uint64_t b[MAX_LOG_CPUS][2];
					int nl = o->log ? (m->nr_cpus < MAX_LOG_CPUS ? m->nr_cpus : MAX_LOG_CPUS) : 0;
					for (int c = 0; c < nl; c++)
						cpu_blocks(m, c, b[c]);
					pcp_vmstat_tick(m);
					for (int c = 0; c < nl; c++)
						log_delta(o->log, m, c, b[c], "vmstat tick", &ev);
				}
				x->ticks += due;
				next_tick = tick_after(ev.ts_ns, o->tick_ns, (uint64_t)x->tick_phase_ns);
			}
		}
		uint64_t logb[2];
		if (o->log)
			cpu_blocks(m, (int)ev.cpu, logb);
		switch (ev.type) {
		case TRACE_MM_PAGE_ALLOC: {
			struct page *page, *old = NULL;
			unsigned old_order = 0;
			unsigned order = (unsigned)ev.order;
			if (pfnmap_get(&map, ev.pfn, &old, &old_order) && old) {
				/* the kernel freed this block without an mm_page_free line we saw */
				cpu_switch((int)ev.cpu);
				__free_pages(old, old_order);
				x->frees_untraced++;
			}
			gfp_t gfp = replay_gfp(&ev, x);
			cpu_switch((int)ev.cpu);
			unsigned long *locked = &m->cpus[ev.cpu].vm_events[PGALLOC_ZONE_LOCKED];
			unsigned long locked_before = *locked;
			page = order < MAX_ORDER ? alloc_pages(gfp, order) : NULL;
			if (page) {
				r->model.allocs++;
				if (*locked != locked_before) {
					r->model.direct_blocks++;
					r->model.direct_base_pages += 1ull << order;
				}
			} else {
				x->alloc_failures++;
			}
			if (ev.pfn == TRACE_PFN_NONE) {
				if (page)       /* the kernel's failed; the model's block has no later free */
					__free_pages(page, order);
				break;
			}
			if (pfnmap_put(&map, ev.pfn, page, order, NULL, NULL) < 0) {
				rc = errf(err, errlen, "line %" PRIu64 ": out of memory for the pfn map (%zu live)", ev.line,
					  pfnmap_count(&map));
				goto done;
			}
			break;
		}
		case TRACE_MM_PAGE_FREE: {
			struct page *page;
			unsigned order;
			if (!pfnmap_take(&map, ev.pfn, &page, &order)) {
				x->frees_unknown++;
				if (!o->replay_unknown_frees)
					break;
				cpu_switch((int)ev.cpu);
				order = (unsigned)ev.order;
				page = materialize(m, ev.pfn, order);
				if (!page)
					break;
				x->frees_unknown_replayed++;
			}
			if (!page) {
				x->frees_of_failed++;
				break;
			}
			if (order != (unsigned)ev.order)
				x->free_order_mismatch++;
			cpu_switch((int)ev.cpu);
			__free_pages(page, order);
			r->model.frees++;
			break;
		}
		case TRACE_MM_PAGE_FREE_BATCHED:
			x->frees_batched++;
			break;
		default:
			break;	/* zone_locked, pcpu_drain, extfrag: the kernel side only */
		}
		if (o->log)
			log_delta(o->log, m, (int)ev.cpu, logb, trace_event_type_name(ev.type), &ev);
	}
done:
	r->seconds = now_s() - t0;
	model_snap(m, &after);
	fill_model_side(r, &before, &after);
	x->live_max = map.max_count;
	x->live_end = pfnmap_count(&map);
out:
	if (rd)
		r->counts = *trace_counts(rd);
	fill_kernel_side(r);
	pfnmap_destroy(&map);
	cpu_unbind();
	return rc;
}

int replay_trace(struct machine *m, const char *path, const struct replay_options *o, struct replay_result *r,
		 char *err, size_t errlen)
{
	struct replay_options defaults, with_plan;
	struct replay_plan *plan = NULL;
	struct trace_reader *rd;

	memset(r, 0, sizeof(*r));
	kernel_stats_init(&r->kernel_stats);	/* what an early failure leaves */
	if (!o) {
		replay_options_default(&defaults);
		o = &defaults;
	}
	const bool want_plan = (o->pcp_state && o->prefill == REPLAY_PREFILL_INFER) ||
			       (o->tick_ns && o->tick_phase_ns < 0 && m->pcp_policy->vmstat_tick);
	if (want_plan && !o->plan && path && strcmp(path, "-")) {
		rd = trace_open(path, err, errlen);
		if (!rd)
			return -1;
		plan = replay_plan_infer(m, rd, o->trace_flags, err, errlen);
		trace_close(rd);
		if (!plan) {
			/* the replay pass reports the same error with its line number */
			err[0] = '\0';
		} else {
			with_plan = *o;
			with_plan.plan = plan;
			o = &with_plan;
		}
	}
	rd = trace_open(path, err, errlen);
	if (!rd) {
		replay_plan_free(plan);
		return -1;
	}
	kernel_stats_destroy(&r->kernel_stats);	/* replay_reader starts afresh */
	int rc = replay_reader(m, rd, o, r, err, errlen);
	trace_close(rd);
	replay_plan_free(plan);
	return rc;
}

void replay_result_destroy(struct replay_result *r)
{
	kernel_stats_destroy(&r->kernel_stats);
}

/* --- output --- */

static const char *thousands(uint64_t v, char *buf, size_t size)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

static void ratio(double k, double mo, char *buf, size_t size)
{
	if (k > 0)
		snprintf(buf, size, "%+.1f%%", 100.0 * (mo - k) / k);
	else
		snprintf(buf, size, "%s", mo > 0 ? "n/a" : "=");
}

static void row_count(FILE *out, const char *what, uint64_t k, uint64_t mo)
{
	char a[32], b[32], c[32];

	ratio((double)k, (double)mo, c, sizeof(c));
	fprintf(out, "| %s | %s | %s | %s |\n", what, thousands(k, a, sizeof(a)), thousands(mo, b, sizeof(b)), c);
}

static void row_rate(FILE *out, const char *what, double k, double mo)
{
	char c[32];

	ratio(k, mo, c, sizeof(c));
	fprintf(out, "| %s | %.1f | %.1f | %s |\n", what, k, mo, c);
}

void replay_print_table(const struct replay_result *r, const char *name, FILE *out)
{
	const struct replay_side *k = &r->kernel, *mo = &r->model;
	const struct replay_model_extra *x = &r->extra;
	char a[32], b[32], c[32], d[32], phase[96];
	double eps = r->seconds > 0 ? (double)r->counts.events / r->seconds : 0;

	if (x->tick_phase_ns < 0)
		snprintf(phase, sizeof(phase), "none");
	else if (!strcmp(x->tick_phase_from, "trace"))
		snprintf(phase, sizeof(phase), "+%.3f s, from %u kworker drain runs", (double)x->tick_phase_ns / 1e9,
			 x->tick_phase_seen);
	else
		snprintf(phase, sizeof(phase), "+%.3f s, %s", (double)x->tick_phase_ns / 1e9, x->tick_phase_from);

	fprintf(out, "Replay of %s on the model (%s policy, %u trace CPUs): %s lines, %s events, %.2f s of trace, "
		     "replayed in %.3f s (%.2f M events/s)\n\n",
		name, r->policy, r->trace_cpus, thousands(r->counts.lines, a, sizeof(a)),
		thousands(r->counts.events, b, sizeof(b)), r->trace_seconds, r->seconds, eps / 1e6);
	fprintf(out, "| figure | kernel | model | model vs kernel |\n| --- | ---: | ---: | ---: |\n");
	row_count(out, "allocations", k->allocs, mo->allocs);
	row_count(out, "frees", k->frees, mo->frees);
	row_count(out, "blocks refilled under zone->lock (pcp refill)", k->refill_blocks, mo->refill_blocks);
	row_rate(out, "**refilled blocks per 1,000 allocations**", replay_per_1k(k->refill_blocks, k->allocs),
		 replay_per_1k(mo->refill_blocks, mo->allocs));
	row_count(out, "refill runs (zone->lock holds; model: PCP_STAT_REFILL)", k->refill_runs, mo->refill_runs);
	row_count(out, "blocks drained from pcp lists", k->drain_blocks, mo->drain_blocks);
	row_rate(out, "**drained blocks per 1,000 frees**", replay_per_1k(k->drain_blocks, k->frees),
		 replay_per_1k(mo->drain_blocks, mo->frees));
	row_count(out, "drain runs (model: PCP_STAT_DRAIN)", k->drain_runs, mo->drain_runs);
	row_count(out, "blocks taken under zone->lock directly (not a refill)", k->direct_blocks, mo->direct_blocks);
	row_count(out, "fallback (extfrag) events (model: PGALLOC_EXTFRAG)", k->extfrag, mo->extfrag);
	row_count(out, "refilled base pages (1 << order each)", k->refill_base_pages, mo->refill_base_pages);
	row_count(out, "drained base pages", k->drain_base_pages, mo->drain_base_pages);
	fprintf(out, "| pcp hit rate (model only: no kernel counter) | - | %.2f%% | |\n",
		x->pcp_allocs ? 100.0 * (double)x->pcp_hits / (double)x->pcp_allocs : 0.0);
	fprintf(out, "\nRefill and drain counts are blocks of any order on both sides (the kernel prints one line per "
		     "block); per-1,000 figures divide by each side's own allocations and frees.\n");
	fprintf(out, "Model: %s allocation failures; %s frees of pfns never seen allocated (allocated before the "
		     "capture), %s of them replayed from blocks taken outside the counters, the rest skipped; "
		     "%s frees of failed allocations skipped; %s blocks freed when their pfn was allocated again (untraced frees); "
		     "%s mm_page_free_batched annotations; %s free-order mismatches; %s pages seeded onto the lists (%s); "
		     "%" PRIu64 " vmstat ticks (phase %s); %s pfns live at most.\n",
		thousands(x->alloc_failures, a, sizeof(a)), thousands(x->frees_unknown, b, sizeof(b)),
		thousands(x->frees_unknown_replayed, (char[32]){ 0 }, 32),
		thousands(x->frees_of_failed, c, sizeof(c)), thousands(x->frees_untraced, d, sizeof(d)),
		thousands(x->frees_batched, (char[32]){ 0 }, 32), thousands(x->free_order_mismatch, (char[32]){ 0 }, 32),
		thousands(x->seeded_pages, (char[32]){ 0 }, 32), x->prefill, x->ticks, phase,
		thousands(x->live_max, (char[32]){ 0 }, 32));
	if (x->frees_unknown > x->frees_unknown_replayed && (x->frees_unknown - x->frees_unknown_replayed) * 100 > k->frees)
		fprintf(out, "Note: %.1f%% of the kernel's frees were of blocks allocated before the capture and are "
			     "not in the model's figures; the kernel's per-CPU lists did take them: "
			     "--replay-unknown-frees replays them.\n",
			100.0 * (double)(x->frees_unknown - x->frees_unknown_replayed) / (double)k->frees);
	if (r->counts.bad_lines || r->kernel_stats.unknown_events || x->gfp_synthesized || x->migratetype_fixed)
		fprintf(out, "Trace: %s malformed lines skipped, %s unknown events, %s allocations with a raw-hex gfp "
			     "(replayed as GFP_KERNEL), %s with the trace's migratetype put over the gfp's.\n",
			thousands(r->counts.bad_lines, a, sizeof(a)), thousands(r->kernel_stats.unknown_events, b, sizeof(b)),
			thousands(x->gfp_synthesized, c, sizeof(c)), thousands(x->migratetype_fixed, d, sizeof(d)));
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void json_side(FILE *out, const struct replay_side *s)
{
	fprintf(out,
		"{\"allocs\": %" PRIu64 ", \"frees\": %" PRIu64 ", \"refill_pages\": %" PRIu64
		", \"refill_pages_per_1k_allocs\": %.3f, \"refill_runs\": %" PRIu64 ", \"refill_base_pages\": %" PRIu64
		", \"drain_pages\": %" PRIu64 ", \"drain_pages_per_1k_frees\": %.3f, \"drain_runs\": %" PRIu64
		", \"drain_base_pages\": %" PRIu64 ", \"direct_pages\": %" PRIu64 ", \"direct_base_pages\": %" PRIu64
		", \"extfrag\": %" PRIu64,
		s->allocs, s->frees, s->refill_blocks, replay_per_1k(s->refill_blocks, s->allocs), s->refill_runs,
		s->refill_base_pages, s->drain_blocks, replay_per_1k(s->drain_blocks, s->frees), s->drain_runs,
		s->drain_base_pages, s->direct_blocks, s->direct_base_pages, s->extfrag);
}

void replay_print_json(const struct replay_result *r, const char *name, FILE *out)
{
	const struct replay_model_extra *x = &r->extra;

	fprintf(out, "{\"trace\": ");
	json_string(out, name);
	fprintf(out, ", \"policy\": ");
	json_string(out, r->policy);
	fprintf(out, ", \"units\": \"refill/drain/direct *_pages count blocks of any order (one kernel trace line "
		     "each); *_base_pages weight them by 1 << order\",\n \"kernel\": ");
	json_side(out, &r->kernel);
	fprintf(out, "},\n \"model\": ");
	json_side(out, &r->model);
	fprintf(out,
		", \"pcp_hit_rate\": %.6f, \"pcp_allocs\": %" PRIu64 ", \"pcp_hits\": %" PRIu64
		", \"alloc_failures\": %" PRIu64 "},\n",
		x->pcp_allocs ? (double)x->pcp_hits / (double)x->pcp_allocs : 0.0, x->pcp_allocs, x->pcp_hits,
		x->alloc_failures);
	fprintf(out,
		" \"replay\": {\"lines\": %" PRIu64 ", \"events\": %" PRIu64 ", \"bad_lines\": %" PRIu64
		", \"unknown_events\": %" PRIu64 ", \"trace_cpus\": %u, \"trace_seconds\": %.6f, \"seconds\": %.6f"
		", \"events_per_s\": %.0f, \"frees_unknown\": %" PRIu64 ", \"frees_unknown_replayed\": %" PRIu64
		", \"frees_of_failed\": %" PRIu64
		", \"frees_untraced\": %" PRIu64 ", \"frees_batched\": %" PRIu64 ", \"free_order_mismatch\": %" PRIu64
		", \"gfp_synthesized\": %" PRIu64 ", \"migratetype_fixed\": %" PRIu64 ", \"ticks\": %" PRIu64
		", \"tick_phase_ns\": %" PRId64 ", \"tick_phase_from\": \"%s\", \"tick_phase_seen\": %u"
		", \"seeded_pages\": %" PRIu64 ", \"prefill\": \"%s\", \"live_max\": %" PRIu64
		", \"live_end\": %" PRIu64 "}}\n",
		r->counts.lines, r->counts.events, r->counts.bad_lines, r->kernel_stats.unknown_events, r->trace_cpus,
		r->trace_seconds, r->seconds, r->seconds > 0 ? (double)r->counts.events / r->seconds : 0.0,
		x->frees_unknown, x->frees_unknown_replayed, x->frees_of_failed, x->frees_untraced, x->frees_batched, x->free_order_mismatch,
		x->gfp_synthesized, x->migratetype_fixed, x->ticks, x->tick_phase_ns, x->tick_phase_from, x->tick_phase_seen, x->seeded_pages,
		x->prefill, x->live_max, x->live_end);
}
