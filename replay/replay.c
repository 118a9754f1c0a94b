// SPDX-License-Identifier: GPL-2.0
/*
 * replay.c - replay a kernel page-allocator trace on the model (see replay.h): the
 * events onto the model, the vmstat tick, both sides' counters.
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
#include "alloc/reclaim.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "replay/pfnmap.h"
#include "replay/replay.h"
#include "pcp/pcp.h"

#define MAX_CATCHUP_TICKS 64	/* after a long idle gap: (7/8)^64 of high is left anyway */
#define MAX_LOG_CPUS 256	/* --log covers the ticks of this many CPUs */
#include "replay/replay_internal.h"



void replay_options_default(struct replay_options *o)
{
	memset(o, 0, sizeof(*o));
	o->tick_ns = 1000000000ull;
	o->tick_phase_ns = -1;
	o->prefill = REPLAY_PREFILL_INFER;
	o->replay_unknown_frees = true;
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

/* --- the replay --- */

/*
 * The model's kswapd wakeups, deterministically. The replay runs no kswapd (the trace's
 * frees are the kernel's reclaim), so its sleep is taken as the kernel's would be: an
 * allocation whose slow path found the node unbalanced (wakeup_kswapd's test, the
 * model's wake requests) wakes it, and it sleeps again once the node is balanced (some
 * eligible zone at or above its high mark, pgdat_balanced's test at order 0).
 * armed[nid]: asleep.
 */
static void kswapd_cycle(struct machine *m, struct replay_result *r, bool *armed, unsigned long *requests)
{
	unsigned long now = kswapd_wake_requests(m);

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		if (armed[nid])
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (managed_zone(zone) &&
			    zone_page_state_snapshot(zone, NR_FREE_PAGES) >= (long)high_wmark_pages(zone)) {
				armed[nid] = true;
				break;
			}
		}
	}
	if (now != *requests) {
		/* one allocation's requests: the nodes it walked; the first asleep one wakes */
		for (int nid = 0; nid < m->nr_nodes; nid++)
			if (armed[nid]) {
				armed[nid] = false;
				r->model.kswapd_wakeups++;
				break;
			}
		*requests = now;
	}
}

/* The kernel's reclaim events (scripts/capture-trace records them beside the kmem: ones). */
static void count_reclaim_event(struct machine *m, struct replay_result *r, const struct trace_event *ev)
{
#define IS(lit) (ev->name_len == sizeof(lit) - 1 && !memcmp(ev->name, lit, sizeof(lit) - 1))
	/* the kernel's kswapd at work: the model's zones are reclaiming too (pcp high capped, 5.13+);
	 * the line's nid= is not parsed: every node (the captures here have one) */
	if (IS("vmscan:mm_vmscan_kswapd_wake") || IS("vmscan:mm_vmscan_kswapd_sleep"))
		for (int nid = 0; nid < m->nr_nodes; nid++)
			(IS("vmscan:mm_vmscan_kswapd_wake") ? set_reclaim_active : clear_reclaim_active)(m->node_data[nid],
												 MAX_NR_ZONES - 1);
	if (!trace_reclaim_event(ev->name, ev->name_len))
		return;
	r->reclaim_events = true;
	if (IS("vmscan:mm_vmscan_wakeup_kswapd"))
		r->kernel.kswapd_wakeups++;
	else if (IS("vmscan:mm_vmscan_direct_reclaim_begin"))
		r->kernel.direct_reclaims++;
	else if (IS("compaction:mm_compaction_begin"))
		r->kernel.compactions++;
#undef IS
}

/*
 * A block standing for one the kernel had allocated before the capture: taken from the
 * buddy under zone->lock outside every counter (no pcp, no vm event), made an allocated
 * head. NULL when the zone has no free block of that order.
 */
static struct page *materialize(struct machine *m, struct replay_occupy *occ, uint64_t pfn, unsigned order)
{
	struct zone *zone = zone_for_trace_pfn(m, pfn);

	if (!zone || order >= MAX_ORDER)
		return NULL;
	if (occ) {
		/* the memory in use since before the capture: a block of it (any zone when this one has none) */
		struct page *page = replay_occupy_take(occ, zone, order);
		return page ? page : replay_occupy_take(occ, NULL, order);
	}
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

	uint64_t kw = r->kernel.kswapd_wakeups, dr = r->kernel.direct_reclaims, co = r->kernel.compactions;
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
		.kswapd_wakeups = kw,      /* counted from the vmscan:/compaction: lines as they came */
		.direct_reclaims = dr,
		.compactions = co,
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
	r->model.direct_reclaims = D_EV(ALLOCSTALL_DMA) + D_EV(ALLOCSTALL_DMA32) + D_EV(ALLOCSTALL_NORMAL) +
				   D_EV(ALLOCSTALL_MOVABLE);
	r->model.compactions = D_EV(COMPACTSTALL);   /* no kcompactd runs in a replay */
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
	struct replay_occupy *occ = NULL;
	bool armed[MAX_NUMNODES];
	unsigned long wake_requests = kswapd_wake_requests(m);

	for (size_t i = 0; i < sizeof(armed) / sizeof(armed[0]); i++)
		armed[i] = true;
	/* the trace's frees are the kernel's reclaim: no model daemon (and a deterministic replay) */
	atomic_store(&m->slow->no_daemons, true);

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
	/* after the seeds: the buddy's free blocks are the capture's, the lists hold their count on top */
	if (o->occupy) {
		occ = replay_occupy_buddyinfo(m, o->occupy, err, errlen);
		if (!occ) {
			rc = -1;
			goto out;
		}
		x->occupied_pages = replay_occupy_pages(occ);
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
		if (ev.type == TRACE_UNKNOWN) {
			count_reclaim_event(m, r, &ev);
			continue;
		}
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
				page = materialize(m, occ, ev.pfn, order);
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
		if (ev.type == TRACE_MM_PAGE_ALLOC || ev.type == TRACE_MM_PAGE_FREE)
			kswapd_cycle(m, r, armed, &wake_requests);
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
	replay_occupy_free(occ);        /* its blocks stay allocated: the machine goes with them */
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
	struct replay_options with_occupy;
	char bpath[4096];
	if (!o->occupy && !o->no_occupy && path && strcmp(path, "-") &&
	    !replay_sibling(path, "buddyinfo.before", bpath, sizeof(bpath))) {
		with_occupy = *o;
		with_occupy.occupy = bpath;
		o = &with_occupy;
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

