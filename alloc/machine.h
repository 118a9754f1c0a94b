/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machine.h - describe a machine (nodes, memory ranges, CPUs, policy), build the model of
 * it, and bind threads to its CPUs.
 *
 * A description comes from the built-in default (one node, 16 GiB laid out as on a typical
 * x86-64 server), from flags / a config file of the same keys, or from a captured
 * /proc/zoneinfo. machine_create() turns it into zones, mem_map, free lists, watermarks
 * and per-CPU pagesets.
 */
#ifndef ALLOC_MACHINE_H
#define ALLOC_MACHINE_H

#include <stdbool.h>
#include <stdio.h>

#include "alloc/mmzone.h"
#include "alloc/vmstat.h"
#include "pcp/policy_table.h"

#define MACHINE_MAX_RANGES      256     /* one a zone of a capture, three for node 0's x86 layout */
/* pageblock zone ids are one byte (node * MAX_NR_ZONES + zone + 1, 0 for none): 63 nodes */
#define MACHINE_MAX_NODES       ((255 - 1) / MAX_NR_ZONES)
#define MACHINE_MAX_PFN         (1UL << 40)     /* 4 PiB of 4 KiB frames */
#define LOCAL_DISTANCE          10              /* the kernel's node_distance() scale */
#define REMOTE_DISTANCE         20

struct mem_range {
	unsigned long start_pfn, end_pfn;       /* [start, end) of RAM */
	int nid;
};

/* ZONE_LOCK_AUTO: queued when the machine has no more CPUs than the host, else test-and-set. */
enum zone_lock_kind { ZONE_LOCK_AUTO, ZONE_LOCK_QUEUED, ZONE_LOCK_TAS };
enum pcp_scheme_id { PCP_SCHEME_OWNER, PCP_SCHEME_TRYLOCK, NR_PCP_SCHEMES };
/* One number per (policy, scheme) pair: the inline hit paths are built once for each. */
#define pcp_fast_variant(pid, scheme) ((int)(pid) * NR_PCP_SCHEMES + (int)(scheme))

struct machine_desc {
	int nr_nodes;
	int nr_cpus;
	int cpu_to_node[NR_CPUS];
	int node_distance[MAX_NUMNODES][MAX_NUMNODES];   /* 10 local, 20 remote by default */
	int nr_ranges;
	struct mem_range ranges[MACHINE_MAX_RANGES];
	unsigned long movablecore_pages;        /* ZONE_MOVABLE size per node (top of node) */
	unsigned long reserved_pages[MAX_NUMNODES][MAX_NR_ZONES]; /* memblock reserved per zone; ~0UL: default */

	/* sysctls */
	int min_free_kbytes;                    /* 0: computed from lowmem (init_per_zone_wmark_min) */
	int watermark_scale_factor;             /* default 10 */
	int lowmem_reserve_ratio[MAX_NR_ZONES]; /* default 256, 256, 32, 0 */
	int percpu_pagelist_fraction;           /* 4.12 sysctl; 0 = off */
	int percpu_pagelist_high_fraction;      /* 6.x sysctl; 0 = off */
	int swappiness;                         /* vm.swappiness, 0..100 (200 from 5.8); default 60 */
	int watermark_boost_factor;             /* 5.0+ sysctl; -1: the kernel's default (15000; none before 5.0) */
	int dirty_ratio;                        /* vm.dirty_ratio, % of dirtyable memory; default 20 */
	int dirty_background_ratio;             /* vm.dirty_background_ratio; default 10 */

	/* Devices (alloc/writeback.c): the file system's disk and the swap device. */
	unsigned long swap_pages;               /* swap size; 0: no swap (anon is unreclaimable) */
	int swap_latency_us;                    /* per I/O; default 100 */
	int disk_latency_us;                    /* per I/O; default 100 */
	int disk_mbps;                          /* each device's bandwidth, MB/s; default 500 */

	enum pcp_policy_id policy;
	enum pcp_scheme_id scheme;
	bool backed;                            /* mmap an arena so page_address() works */
	bool no_fast_path;                      /* the inline hit paths off: everything takes the general path */
	enum zone_lock_kind zone_lock;          /* zone->lock: queued, or test-and-set (virt_spin_lock) */

	/* From --zoneinfo: values to impose after the formulas ran (0: keep computed). */
	bool imported;
	unsigned long imp_watermark[MAX_NUMNODES][MAX_NR_ZONES][NR_WMARK];
	unsigned long imp_managed[MAX_NUMNODES][MAX_NR_ZONES];
	long imp_protection[MAX_NUMNODES][MAX_NR_ZONES][MAX_NR_ZONES];
	int imp_batch[MAX_NUMNODES][MAX_NR_ZONES];
	int imp_high[MAX_NUMNODES][MAX_NR_ZONES];
	int imp_high_min[MAX_NUMNODES][MAX_NR_ZONES];
	int imp_high_max[MAX_NUMNODES][MAX_NR_ZONES];
	char name[64];                          /* for results: "default-16g", a config's name */
};

#define FREE_KEY_NONE 0xffffffffu    /* cpu_state.free_key: no pageblock has it */

/* Per-CPU state other than the pagesets. One cache line group per CPU, owner-written. */
struct cpu_state {
	_Atomic uintptr_t owner;                /* token of the thread bound to it; 0: none */
	int cpu;
	int node;
	/*
	 * The head of this CPU's node's fallback zonelist, per highest zone type a request may
	 * use: the zoneref finalise_ac picks without a nodemask (zone NULL: none). Taken from
	 * the list itself under the RCU read lock; good while zl_gen is the machine's
	 * zonelist_generation (alloc_pages_node). Owner-written and owner-read.
	 */
	unsigned long zl_gen;                   /* 0: not taken yet */
	struct zoneref zl_head[MAX_NR_ZONES];
	/*
	 * The list this CPU last freed an order-0 page to, as the pageblock names it:
	 * free_key is zone_id | migratetype << 8 (FREE_KEY_NONE: none yet), free_zone is
	 * zone_of_id(zone_id). free_pages_fast compares the page's pageblock with it and
	 * takes the list from here: a branch on the pageblock load is predicted, an address
	 * computed from it is not, and the next allocation waits for that address (the
	 * free's store to list->nr). zone_id -> zone never changes, so neither goes stale.
	 */
	unsigned int free_key;
	struct zone *free_zone;
	unsigned long vm_events[NR_VM_EVENT_ITEMS];
} __cacheline_aligned;

struct machine {
	/* Read by every allocation and free: kept together on the first cache lines. */
	struct page *mem_map;                   /* [max_pfn] */
	unsigned long max_pfn;
	struct pageblock *pageblocks;           /* [max_pfn >> pageblock_order] */
	char *arena;                            /* backed mode: max_pfn << PAGE_SHIFT bytes */
	const struct pcp_policy *pcp_policy;
	enum pcp_scheme_id scheme;              /* desc.scheme, fixed for the machine's life */
	int pcp_fast_variant;                   /* pcp_fast_variant(desc.policy, scheme): the hit paths' copy; -1 none */
	int nr_nodes, nr_cpus;
	struct cpu_state *cpus;                 /* [nr_cpus] */
	_Atomic unsigned long zonelist_generation; /* of the lists in force: bumped after each rebuild */
	/* zone_table[zone_id]: the zone a pageblock's zone_id names (pg_data_t is never freed) */
	struct zone *zone_table[MAX_NUMNODES * MAX_NR_ZONES + 1];
	pg_data_t *node_data[MAX_NUMNODES];
	size_t mem_map_bytes;
	int min_free_kbytes;                    /* in force */
	int user_min_free_kbytes;
	int watermark_boost_factor;             /* in force (0 where the policy has no boosting) */
	_Atomic long nr_bad_pages;
	_Atomic int warned_unbacked;            /* page_address_unbacked said so */
	FILE *report;                           /* bad_page() and warnings; stderr by default */
	struct slowpath_state *slow;            /* alloc/slowpath.c */
	_Atomic unsigned long offcpu_vm_events[NR_VM_EVENT_ITEMS]; /* kswapd: threads that are no CPU */
	struct machine_desc desc;               /* as built (large: last) */
};

/* zone->lock is test-and-set (virt_spin_lock) rather than queued on this machine. */
bool zone_lock_virt_tas(const struct machine_desc *d);

/* Descriptions. Each returns 0, or -1 with a message naming what was wrong in err. */
void machine_desc_default(struct machine_desc *d);
int machine_desc_simple(struct machine_desc *d, int nr_nodes, unsigned long bytes_per_node, int nr_cpus,
			char *err, size_t errlen);
int machine_desc_set(struct machine_desc *d, const char *key, const char *value, char *err, size_t errlen);
int machine_desc_load_config(struct machine_desc *d, const char *path, char *err, size_t errlen);
int machine_desc_load_zoneinfo(struct machine_desc *d, const char *path, char *err, size_t errlen);
/* Consume machine options (--mem 64G, --policy linux-6.x, --config F, --zoneinfo F, ...)
 * from argv in place; other arguments are left. Returns 0 or -1 with err set. */
int machine_desc_parse_args(struct machine_desc *d, int *argc, char **argv, char *err, size_t errlen);
extern const char machine_options_help[];

struct machine *machine_create(const struct machine_desc *d, char *err, size_t errlen);
/*
 * Every other thread bound to m must have called cpu_unbind() first; the caller's own
 * binding to m is dropped. A machine that still has CPUs bound by other threads is
 * reported and left in place. After it, m is gone: cpu_bind and cpu_bind_many refuse it
 * with a message (machine_live), and any other use of m is undefined.
 */
void machine_destroy(struct machine *m);
bool machine_live(const struct machine *m);     /* created and not yet destroyed */
/* Recompute watermarks, lowmem_reserve, stat thresholds and pcp high/batch (sysctl writes). */
void setup_per_zone_wmarks(struct machine *m);
void init_per_zone_wmark_min(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
int sysctl_set(struct machine *m, const char *name, long value, char *err, size_t errlen);

/* Threads and CPUs. A thread allocates as the CPU it is bound to. */
int cpu_bind(struct machine *m, int cpu);      /* 0, or -1: no such CPU / owned by another thread */
void cpu_unbind(void);
/* vCPU mode: one host thread that holds several CPUs switches among them without CAS. */
int cpu_bind_many(struct machine *m, const int *cpus, int n);
void cpu_switch(int cpu);                       /* must be one the thread holds */

struct cpu_binding {
	struct machine *m;
	struct cpu_state *cs;
	int cpu;
};
extern __thread struct cpu_binding current_binding;
static inline int smp_processor_id(void) { return current_binding.cpu; }
static inline struct machine *current_machine(void) { return current_binding.m; }

/* Events of the calling CPU (alloc/vmstat.h): only it writes them, a load and a store. */
static inline void count_vm_events(enum vm_event_item item, long delta)
{
	struct cpu_state *cs = current_binding.cs;

	if (likely(cs))
		this_cpu_counter_add(cs->vm_events[item], delta);
	else
		count_vm_events_offcpu(item, delta);
}
static inline void count_vm_event(enum vm_event_item item) { count_vm_events(item, 1); }

static inline struct zone *zone_of_id(struct machine *m, unsigned id)
{
	return m->zone_table[id];
}
static inline struct zone *pfn_zone(struct machine *m, unsigned long pfn)
{
	if (pfn >= m->max_pfn)
		return NULL;
	unsigned id = READ_ONCE(m->pageblocks[pfn >> pageblock_order].zone_id);   /* hotplug writes it */
	if (!id)
		return NULL;
	struct zone *z = zone_of_id(m, id);
	return zone_spans_pfn(z, pfn) ? z : NULL;
}
static inline unsigned long __page_to_pfn(struct machine *m, const struct page *p) { return (unsigned long)(p - m->mem_map); }
static inline struct page *__pfn_to_page(struct machine *m, unsigned long pfn) { return m->mem_map + pfn; }
static inline unsigned long page_to_pfn(const struct page *p) { return __page_to_pfn(current_machine(), p); }
static inline struct page *pfn_to_page(unsigned long pfn) { return __pfn_to_page(current_machine(), pfn); }
static inline struct zone *page_zone(struct machine *m, const struct page *p) { return pfn_zone(m, __page_to_pfn(m, p)); }
static inline int page_to_nid(struct machine *m, const struct page *p) { return page_zone(m, p)->node; }
static inline int numa_node_id(void) { return current_binding.cs ? current_binding.cs->node : 0; }

/* A machine without an arena has no memory behind its frames: said once a machine, NULL. */
void *page_address_unbacked(struct machine *m);
/* Backed mode: the frame's memory; NULL (and the message above) in metadata-only mode. */
static inline void *__page_address(struct machine *m, const struct page *p)
{
	if (unlikely(!m->arena))
		return page_address_unbacked(m);
	return m->arena + (__page_to_pfn(m, p) << PAGE_SHIFT);
}
static inline void *page_address(const struct page *p) { return __page_address(current_machine(), p); }

static inline int get_pageblock_migratetype_pfn(struct machine *m, unsigned long pfn)
{
	return READ_ONCE(m->pageblocks[pfn >> pageblock_order].migratetype);      /* racy, as the kernel's */
}

#endif /* ALLOC_MACHINE_H */
