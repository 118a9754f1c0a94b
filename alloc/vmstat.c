// SPDX-License-Identifier: GPL-2.0
/*
 * vmstat.c - zone counters with per-CPU deltas, per-CPU event counters, and the
 * /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo and /proc/vmstat text formats.
 */
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/rcu.h"
#include "alloc/vmstat.h"
#include "alloc/reclaim.h"
#include "pcp/pcp.h"

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
#define VE_NAME(e, s) s,
	VM_EVENT_ITEMS(VE_NAME)
#undef VE_NAME
};
const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
#define ZS_NAME(e, s) s,
	ZONE_STAT_ITEMS(ZS_NAME)
#undef ZS_NAME
};
const char *const numa_stat_names[NR_VM_NUMA_STAT_ITEMS] = {
#define NS_NAME(e, s) s,
	NUMA_STAT_ITEMS(NS_NAME)
#undef NS_NAME
};

/* kswapd and other threads that are no CPU but name their machine (see vmstat.h). */
void count_vm_events_offcpu(enum vm_event_item item, long delta)
{
	if (current_binding.m)
		atomic_fetch_add_explicit(&current_binding.m->offcpu_vm_events[item], (unsigned long)delta,
					  memory_order_relaxed);
}

/*
 * __mod_zone_page_state: accumulate in this CPU's s8 delta; fold into the zone's total
 * when it passes the threshold (the only atomic, once per ~threshold updates).
 */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	if (unlikely(!current_binding.cs || current_binding.m != zone->zone_pgdat->machine || !zone->pageset)) {
		VT_CHARGE(STAT_FOLD, 1);
		if (item == NR_FREE_PAGES)
			VT_ZONE_LINE(zone, VT_LINE_FREE_COUNT, true);
		atomic_fetch_add_explicit(&zone->vm_stat[item], delta, memory_order_relaxed);
		return;
	}
	struct per_cpu_pageset *ps = this_cpu_pageset(zone);
	long x = delta + ps->vm_stat_diff[item];
	long t = READ_ONCE(ps->stat_threshold);        /* refresh_zone_stat_thresholds runs live (hotplug) */

	if (unlikely(x > t || x < -t)) {
		VT_CHARGE(STAT_FOLD, 1);
		if (item == NR_FREE_PAGES)
			VT_ZONE_LINE(zone, VT_LINE_FREE_COUNT, true);
		atomic_fetch_add_explicit(&zone->vm_stat[item], x, memory_order_relaxed);
		x = 0;
	}
	WRITE_ONCE(ps->vm_stat_diff[item], (int8_t)x);
}

/* NUMA_HIT/MISS/... per-CPU only: summed when read, no fold on the fast path. */
void __zone_statistics_miss(struct zone *preferred, struct zone *z, int local_nid)
{
	struct per_cpu_pageset *ps = this_cpu_pageset(z);

	if (z->node != preferred->node) {
		struct per_cpu_pageset *pp = this_cpu_pageset(preferred);
		WRITE_ONCE(ps->numa_stat[NUMA_MISS], ps->numa_stat[NUMA_MISS] + 1);
		WRITE_ONCE(pp->numa_stat[NUMA_FOREIGN], pp->numa_stat[NUMA_FOREIGN] + 1);
	} else {
		WRITE_ONCE(ps->numa_stat[NUMA_HIT], ps->numa_stat[NUMA_HIT] + 1);
	}
	if (z->node == local_nid)
		WRITE_ONCE(ps->numa_stat[NUMA_LOCAL], ps->numa_stat[NUMA_LOCAL] + 1);
	else
		WRITE_ONCE(ps->numa_stat[NUMA_OTHER], ps->numa_stat[NUMA_OTHER] + 1);
}

long zone_page_state_snapshot(struct zone *zone, enum zone_stat_item item)
{
	long x = atomic_load_explicit(&zone->vm_stat[item], memory_order_relaxed);
	struct machine *m = zone->zone_pgdat->machine;

	if (zone->pageset)
		for (int cpu = 0; cpu < m->nr_cpus; cpu++)
			x += READ_ONCE(zone->pageset[cpu].vm_stat_diff[item]);
	return x < 0 ? 0 : x;
}

/* calculate_normal_threshold: a per-CPU diff may drift this far before it is folded. */
int calculate_normal_threshold(struct zone *zone, int nr_online_cpus)
{
	int mem = (int)(zone->managed_pages >> (27 - PAGE_SHIFT));      /* 128 MiB units */
	int fls_cpus = 32 - __builtin_clz((unsigned)nr_online_cpus);
	int fls_mem = mem ? 32 - __builtin_clz((unsigned)mem) : 0;
	int threshold = 2 * fls_cpus * (1 + fls_mem);
	return threshold > 125 ? 125 : threshold;
}

void refresh_zone_stat_thresholds(struct machine *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			zone->stat_threshold = calculate_normal_threshold(zone, m->nr_cpus);
			if (zone->pageset)
				for (int cpu = 0; cpu < m->nr_cpus; cpu++)
					WRITE_ONCE(zone->pageset[cpu].stat_threshold, (int8_t)zone->stat_threshold);
		}
}


void refresh_vm_stats(struct machine *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->pageset)
				continue;
			for (int cpu = 0; cpu < m->nr_cpus; cpu++)
				for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
					int8_t v = READ_ONCE(zone->pageset[cpu].vm_stat_diff[i]);
					if (v) {
						atomic_fetch_add_explicit(&zone->vm_stat[i], v, memory_order_relaxed);
						WRITE_ONCE(zone->pageset[cpu].vm_stat_diff[i], 0);
					}
				}
		}
}

void all_vm_events(struct machine *m, unsigned long out[NR_VM_EVENT_ITEMS])
{
	memset(out, 0, sizeof(unsigned long) * NR_VM_EVENT_ITEMS);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
			out[i] += READ_ONCE(m->cpus[cpu].vm_events[i]);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		out[i] += atomic_load_explicit(&m->offcpu_vm_events[i], memory_order_relaxed);
	/* the inline paths count order-0 allocations and frees in the pageset (pcp.h) */
	for_each_zone(m, zone)
		for (int cpu = 0; zone->pageset && cpu < m->nr_cpus; cpu++) {
			unsigned long fast_alloc = READ_ONCE(zone->pageset[cpu].fast_alloc);
			out[PGALLOC_DMA + zone->idx] += fast_alloc;
			out[PGALLOC_CALLS] += fast_alloc;
			out[PGFREE] += READ_ONCE(zone->pageset[cpu].fast_free);
		}
}

unsigned long zone_numa_state(struct zone *zone, enum numa_stat_item item)
{
	unsigned long x = 0;
	struct machine *m = zone->zone_pgdat->machine;

	if (zone->pageset)
		for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
			x += READ_ONCE(zone->pageset[cpu].numa_stat[item]);
			if (item == NUMA_HIT || item == NUMA_LOCAL)      /* the inline path's local hits */
				x += READ_ONCE(zone->pageset[cpu].fast_alloc);
		}
	return x;
}

/* --- /proc formats --- */

/* Block counts are read under the zone lock, as the kernel's seq_file walkers do. */
void show_buddyinfo(struct machine *m, FILE *f)
{
	for_each_populated_zone(m, zone) {
		unsigned long nr[MAX_ORDER];
		zone_lock(zone);
		for (int o = 0; o < MAX_ORDER; o++)
			nr[o] = zone->free_area[o].nr_free;
		zone_unlock(zone);
		fprintf(f, "Node %d, zone %8s ", zone->node, zone->name);
		for (int o = 0; o < MAX_ORDER; o++)
			fprintf(f, "%6lu ", nr[o]);
		fputc('\n', f);
	}
}

static unsigned long pagelist_len(struct zone *z, struct pagelist *l)
{
	unsigned long n = 0;
	for (uint32_t i = l->head; i != PAGE_NIL; i = idx_page(z, i)->next)
		n++;
	return n;
}

void show_pagetypeinfo(struct machine *m, FILE *f)
{
	fprintf(f, "Page block order: %d\n", pageblock_order);
	fprintf(f, "Pages per block:  %lu\n", pageblock_nr_pages);
	fputc('\n', f);
	fprintf(f, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < MAX_ORDER; o++)
		fprintf(f, "%6d ", o);
	fputc('\n', f);
	for_each_populated_zone(m, zone) {
		unsigned long cnt[MIGRATE_TYPES][MAX_ORDER];
		zone_lock(zone);
		for (int t = 0; t < MIGRATE_TYPES; t++)
			for (int o = 0; o < MAX_ORDER; o++)
				cnt[t][o] = pagelist_len(zone, &zone->free_area[o].free_list[t]);
		zone_unlock(zone);
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			fprintf(f, "Node %4d, zone %8s, type %12s ", zone->node, zone->name, migratetype_names[t]);
			for (int o = 0; o < MAX_ORDER; o++)
				fprintf(f, "%6lu ", cnt[t][o]);
			fputc('\n', f);
		}
	}
	fprintf(f, "\n%-23s", "Number of blocks type ");
	for (int t = 0; t < MIGRATE_TYPES; t++)
		fprintf(f, "%12s ", migratetype_names[t]);
	fputc('\n', f);
	for_each_populated_zone(m, zone) {
		unsigned long count[MIGRATE_TYPES] = { 0 };
		zone_lock(zone);
		for (unsigned long pfn = zone->zone_start_pfn & ~(pageblock_nr_pages - 1); pfn < zone_end_pfn(zone);
		     pfn += pageblock_nr_pages)
			if (pfn_zone(m, pfn < zone->zone_start_pfn ? zone->zone_start_pfn : pfn) == zone) /* not a hole */
				count[m->pageblocks[pfn >> pageblock_order].migratetype]++;
		zone_unlock(zone);
		fprintf(f, "Node %d, zone %8s ", zone->node, zone->name);
		for (int t = 0; t < MIGRATE_TYPES; t++)
			fprintf(f, "%12lu ", count[t]);
		fputc('\n', f);
	}
}

/* A model counter by its kernel name, for one zone (only != NULL) or summed over every zone. */
static bool zone_counter(struct machine *m, struct zone *only, const char *name, long *v)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (!strcmp(zone_stat_names[i], name)) {
			*v = 0;
			for_each_zone(m, zone)
				if (!only || zone == only)
					*v += zone_page_state(zone, (enum zone_stat_item)i);
			return true;
		}
	for (int i = 0; i < NR_VM_NUMA_STAT_ITEMS; i++)
		if (!strcmp(numa_stat_names[i], name)) {
			*v = 0;
			for_each_zone(m, zone)
				if (!only || zone == only)
					*v += (long)zone_numa_state(zone, (enum numa_stat_item)i);
			return true;
		}
	return false;
}

/*
 * A node counter (nid -1: every node): the LRU sizes are the model's zone ones summed, the
 * node stats of alloc/reclaim.h by name (4.12's workingset_refault and _activate are the
 * file ones: anon had no workingset then), the writeback thresholds; 0 for what the model
 * does not keep.
 */
static long node_counter(struct machine *m, int nid, const char *name)
{
	static const struct { const char *name; enum node_stat_item item; } alias[] = {
		{ "workingset_refault", WORKINGSET_REFAULT_FILE }, { "workingset_activate", WORKINGSET_ACTIVATE_FILE } };
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS + 2; i++) {
		const char *n = i < NR_VM_NODE_STAT_ITEMS ? node_stat_names[i] : alias[i - NR_VM_NODE_STAT_ITEMS].name;
		if (strcmp(n, name))
			continue;
		enum node_stat_item item = i < NR_VM_NODE_STAT_ITEMS ? (enum node_stat_item)i : alias[i - NR_VM_NODE_STAT_ITEMS].item;
		long v = 0;
		for (int n2 = 0; n2 < m->nr_nodes; n2++)
			if (nid < 0 || n2 == nid)
				v += node_page_state(m->node_data[n2]->lru, item);
		return v;
	}
	if (!strcmp(name, "nr_dirty_threshold") || !strcmp(name, "nr_dirty_background_threshold")) {
		unsigned long bg, thresh;
		global_dirty_limits(m, &bg, &thresh);
		return (long)(name[9] == 't' ? thresh : bg);
	}
	static const char *const lru[] = { "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
					   "nr_unevictable" };
	char zname[64];
	long sum = 0, v;

	for (size_t i = 0; i < sizeof(lru) / sizeof(lru[0]); i++) {
		if (strcmp(lru[i], name))
			continue;
		snprintf(zname, sizeof(zname), "nr_zone_%s", name + 3);
		for_each_zone(m, zone)
			if ((nid < 0 || zone->node == nid) && zone_counter(m, zone, zname, &v))
				sum += v;
		return sum;
	}
	return 0;
}

/* 4.12's zoneinfo_show_print: the per-node stats (4.8+) on a node's first populated zone. */
static void show_zoneinfo_4_12(struct machine *m, FILE *f)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		bool node_done = false;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			fprintf(f, "Node %d, zone %8s", nid, zone->name);
			if (populated_zone(zone) && !node_done) {
				fprintf(f, "\n  per-node stats");
				/* the node_stat_item lines: all but the two writeback thresholds at the end */
				for (int i = 0; proc_4_12_node_stats[i + 2]; i++)
					fprintf(f, "\n      %-12s %ld", proc_4_12_node_stats[i], node_counter(m, nid, proc_4_12_node_stats[i]));
				node_done = true;
			}
			fprintf(f, "\n  pages free     %lu\n        min      %lu\n        low      %lu\n        high     %lu"
				   "\n        spanned  %lu\n        present  %lu\n        managed  %lu",
				zone_page_state(zone, NR_FREE_PAGES), min_wmark_pages(zone), low_wmark_pages(zone),
				high_wmark_pages(zone), zone->spanned_pages, zone->present_pages, zone->managed_pages);
			fprintf(f, "\n        protection: (%ld", zone->lowmem_reserve[0]);
			for (int i = 1; i < MAX_NR_ZONES; i++)
				fprintf(f, ", %ld", zone->lowmem_reserve[i]);
			fputc(')', f);
			if (!populated_zone(zone)) {
				fputc('\n', f);
				continue;
			}
			for (int i = 0; proc_4_12_zone_stats[i]; i++) {
				long v = 0;
				zone_counter(m, zone, proc_4_12_zone_stats[i], &v);
				fprintf(f, "\n      %-12s %ld", proc_4_12_zone_stats[i], v);
			}
			fprintf(f, "\n  pagesets");
			for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
				struct per_cpu_pageset *ps = zone_pageset(zone, cpu);
				fprintf(f, "\n    cpu: %i\n              count: %i\n              high:  %i\n              batch: %i",
					cpu, READ_ONCE(ps->pcp.count), READ_ONCE(ps->pcp.high), READ_ONCE(ps->pcp.batch));
				fprintf(f, "\n  vm stats threshold: %d", READ_ONCE(ps->stat_threshold));
			}
			/* 4.12 prints pgdat->inactive_ratio, which nothing sets since 4.8's inactive_list_is_low */
			fprintf(f, "\n  node_unreclaimable:  %u\n  start_pfn:           %lu\n  node_inactive_ratio: %u\n", 0u,
				zone->zone_start_pfn, 0u);
		}
	}
}

/* 6.18's zoneinfo_show_print: the per-node block on a node's first populated zone, boost and promo, cma, Device. */
static void show_zoneinfo_6_18(struct machine *m, FILE *f)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		bool node_done = false;
		for (int z = 0; z <= MAX_NR_ZONES; z++) {       /* MAX_NR_ZONES: 6.18's ZONE_DEVICE, never populated here */
			struct zone *zone = z < MAX_NR_ZONES ? &pgdat->node_zones[z] : NULL;
			fprintf(f, "Node %d, zone %8s", nid, zone ? zone->name : "Device");
			if (zone && populated_zone(zone) && !node_done) {
				fprintf(f, "\n  per-node stats");
				for (int i = 0; proc_6_18_node_stats[i]; i++)
					fprintf(f, "\n      %-12s %ld", proc_6_18_node_stats[i], node_counter(m, nid, proc_6_18_node_stats[i]));
				node_done = true;
			}
			unsigned long mn = zone ? min_wmark_pages(zone) : 0, lo = zone ? low_wmark_pages(zone) : 0;
			unsigned long hi = zone ? high_wmark_pages(zone) : 0;
			fprintf(f, "\n  pages free     %lu\n        boost    %lu\n        min      %lu\n        low      %lu"
				   "\n        high     %lu\n        promo    %lu\n        spanned  %lu\n        present  %lu"
				   "\n        managed  %lu\n        cma      %lu",
				zone ? zone_page_state(zone, NR_FREE_PAGES) : 0, zone ? zone_boost(zone) : 0UL, mn, lo, hi, hi + (hi - lo),
				zone ? zone->spanned_pages : 0, zone ? zone->present_pages : 0, zone ? zone->managed_pages : 0, 0UL);
			/* the Device column: the zones above reach it with no more managed pages, as Movable's */
			fprintf(f, "\n        protection: (");
			for (int i = 0; i <= MAX_NR_ZONES; i++)
				fprintf(f, "%s%ld", i ? ", " : "", zone ? zone->lowmem_reserve[i < MAX_NR_ZONES ? i : MAX_NR_ZONES - 1] : 0L);
			fputc(')', f);
			if (!zone || !populated_zone(zone)) {
				fputc('\n', f);
				continue;
			}
			for (int i = 0; proc_6_18_zone_stats[i]; i++) {
				long v = 0;
				zone_counter(m, zone, proc_6_18_zone_stats[i], &v);
				fprintf(f, "\n      %-12s %ld", proc_6_18_zone_stats[i], v);
			}
			fprintf(f, "\n  pagesets");
			for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
				struct per_cpu_pageset *ps = zone_pageset(zone, cpu);
				fprintf(f, "\n    cpu: %i\n              count:    %i\n              high:     %i"
					   "\n              batch:    %i\n              high_min: %i\n              high_max: %i",
					cpu, READ_ONCE(ps->pcp.count), READ_ONCE(ps->pcp.high), READ_ONCE(ps->pcp.batch),
					READ_ONCE(ps->pcp.high_min), READ_ONCE(ps->pcp.high_max));
				fprintf(f, "\n  vm stats threshold: %d", READ_ONCE(ps->stat_threshold));
			}
			fprintf(f, "\n  node_unreclaimable:  %u\n  start_pfn:           %lu\n", 0u, zone->zone_start_pfn);
		}
	}
}

void show_zoneinfo(struct machine *m, FILE *f)
{
	if (m->pcp_policy->proc_format == PROC_FORMAT_6_18)
		show_zoneinfo_6_18(m, f);
	else
		show_zoneinfo_4_12(m, f);
}

/* /proc/vmstat's line sets, in order, for each kernel's format */
static const char *const *const vmstat_sets[][4] = {
	[PROC_FORMAT_4_12] = { proc_4_12_zone_stats, proc_4_12_node_stats, proc_4_12_events, NULL },
	[PROC_FORMAT_6_18] = { proc_6_18_vmstat, NULL },
};

/* Every line of the policy's kernel, in its order: the model's value where it keeps one, else 0. */
void show_vmstat(struct machine *m, FILE *f)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];

	all_vm_events(m, ev);
	for (const char *const *const *set = vmstat_sets[m->pcp_policy->proc_format]; *set; set++)
		for (const char *const *name = *set; *name; name++) {
			long v = 0;
			if (!zone_counter(m, NULL, *name, &v)) {
				v = node_counter(m, -1, *name);
				for (int e = 0; e < NR_VM_EVENT_ITEMS; e++)
					if (!strcmp(vm_event_names[e], *name))
						v = (long)ev[e];
			}
			fprintf(f, "%s %ld\n", *name, v);
		}
}

/* Counters no kernel has: the model's events, and the per-CPU list counters summed over CPUs and zones. */
void show_modelstat(struct machine *m, FILE *f)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];

	all_vm_events(m, ev);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (vm_event_model_only(i))
			fprintf(f, "%s %lu\n", vm_event_names[i], ev[i]);
	for (int i = 0; i < NR_PCP_STAT_ITEMS; i++) {
		unsigned long sum = 0;
		for (int nid = 0; nid < m->nr_nodes; nid++)
			for (int z = 0; z < MAX_NR_ZONES; z++)
				sum += zone_pcp_stat(&m->node_data[nid]->node_zones[z], (enum pcp_stat_item)i);
		fprintf(f, "%s %lu\n", pcp_stat_names[i], sum);
	}
}

void show_zonelists(struct machine *m, FILE *f)
{
	char buf[4096];

	zonelist_read_lock();
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		zonelist_format(node_zonelist(m, nid, 0), buf, sizeof(buf));
		fprintf(f, "node %d fallback:   %s\n", nid, buf);
		zonelist_format(node_zonelist(m, nid, __GFP_THISNODE), buf, sizeof(buf));
		fprintf(f, "node %d thisnode:   %s\n", nid, buf);
	}
	zonelist_read_unlock();
}

static const struct {
	const char *name;
	void (*fn)(struct machine *m, FILE *f);
} proc_dumps[] = {
	{ "buddyinfo", show_buddyinfo }, { "pagetypeinfo", show_pagetypeinfo }, { "zoneinfo", show_zoneinfo },
	{ "vmstat", show_vmstat },       { "zonelists", show_zonelists }, { "modelstat", show_modelstat },
};

bool show_proc_known(const char *what)
{
	for (size_t i = 0; i < sizeof(proc_dumps) / sizeof(proc_dumps[0]); i++)
		if (!strcmp(proc_dumps[i].name, what))
			return true;
	return false;
}

int show_proc(struct machine *m, const char *what, FILE *f)
{
	for (size_t i = 0; i < sizeof(proc_dumps) / sizeof(proc_dumps[0]); i++)
		if (!strcmp(proc_dumps[i].name, what)) {
			proc_dumps[i].fn(m, f);
			return 0;
		}
	return -1;
}
