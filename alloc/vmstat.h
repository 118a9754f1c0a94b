/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmstat.h - counters as the kernel keeps them.
 *   zone vm_stat      atomic totals plus per-CPU s8 deltas folded at stat_threshold
 *                    (__mod_zone_page_state); read with zone_page_state().
 *   vm events        per-CPU, written only by the owning CPU, summed when read
 *                    (count_vm_event, all_vm_events); /proc/vmstat's event lines.
 */
#ifndef ALLOC_VMSTAT_H
#define ALLOC_VMSTAT_H

#include <stdbool.h>
#include <stdio.h>

#include "alloc/mmzone.h"

/* Event counters, in /proc/vmstat order; model-only ones at the end (vm_event_model_only). */
#define VM_EVENT_ITEMS(X)                               \
	X(PGPGIN, "pgpgin")                             \
	X(PGPGOUT, "pgpgout")                           \
	X(PSWPIN, "pswpin")                             \
	X(PSWPOUT, "pswpout")                           \
	X(PGALLOC_DMA, "pgalloc_dma")                   \
	X(PGALLOC_DMA32, "pgalloc_dma32")               \
	X(PGALLOC_NORMAL, "pgalloc_normal")             \
	X(PGALLOC_MOVABLE, "pgalloc_movable")           \
	X(ALLOCSTALL_DMA, "allocstall_dma")             \
	X(ALLOCSTALL_DMA32, "allocstall_dma32")         \
	X(ALLOCSTALL_NORMAL, "allocstall_normal")       \
	X(ALLOCSTALL_MOVABLE, "allocstall_movable")     \
	X(PGFREE, "pgfree")                             \
	X(PGACTIVATE, "pgactivate")                     \
	X(PGDEACTIVATE, "pgdeactivate")                 \
	X(PGFAULT, "pgfault")                           \
	X(PGMAJFAULT, "pgmajfault")                     \
	X(PGREFILL, "pgrefill")                         \
	X(PGSTEAL_KSWAPD, "pgsteal_kswapd")             \
	X(PGSTEAL_DIRECT, "pgsteal_direct")             \
	X(PGSCAN_KSWAPD, "pgscan_kswapd")               \
	X(PGSCAN_DIRECT, "pgscan_direct")               \
	X(KSWAPD_LOW_WMARK_HIT_QUICKLY, "kswapd_low_wmark_hit_quickly") \
	X(KSWAPD_HIGH_WMARK_HIT_QUICKLY, "kswapd_high_wmark_hit_quickly") \
	X(PAGEOUTRUN, "pageoutrun")                     \
	X(PGROTATED, "pgrotated")                       \
	X(PGMIGRATE_SUCCESS, "pgmigrate_success")       \
	X(PGMIGRATE_FAIL, "pgmigrate_fail")             \
	X(COMPACTMIGRATE_SCANNED, "compact_migrate_scanned") \
	X(COMPACTFREE_SCANNED, "compact_free_scanned")  \
	X(COMPACTISOLATED, "compact_isolated")          \
	X(COMPACTSTALL, "compact_stall")                \
	X(COMPACTFAIL, "compact_fail")                  \
	X(COMPACTSUCCESS, "compact_success")            \
	X(KCOMPACTD_WAKE, "compact_daemon_wake")        \
	X(OOM_KILL, "oom_kill")                         \
	X(PGALLOC_EXTFRAG, "pgalloc_extfrag")           \
	X(PGALLOC_ZONE_LOCKED, "pgalloc_zone_locked")   \
	X(PGALLOC_SLOWPATH, "pgalloc_slowpath")         \
	X(PGALLOC_FAIL, "pgalloc_fail")                 \
	X(PCP_ALLOC_BYPASS, "pcp_alloc_bypass")         \
	X(PCP_REFILL, "pcp_refill")                     \
	X(PCP_REFILL_PAGES, "pcp_refill_pages")         \
	X(PCP_DRAIN, "pcp_drain")                       \
	X(PCP_DRAIN_PAGES, "pcp_drain_pages")           \
	X(BAD_PAGE, "bad_page")                         \
	X(PGALLOC_CALLS, "pgalloc_calls")       /* __alloc_pages_nodemask calls (fastpath_rate) */
enum vm_event_item {
#define VE_ENUM(e, s) e,
	VM_EVENT_ITEMS(VE_ENUM)
#undef VE_ENUM
	NR_VM_EVENT_ITEMS
};
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];
/* From PGALLOC_EXTFRAG on, the events are the model's own: show modelstat, not vmstat. */
static inline bool vm_event_model_only(int item) { return item >= PGALLOC_EXTFRAG; }
extern const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS];
extern const char *const numa_stat_names[NR_VM_NUMA_STAT_ITEMS];

struct machine;

/* Counters of the calling CPU (must be bound): plain load+store, never an atomic RMW.
 * A thread that is no CPU but names its machine (kswapd: current_binding.m set, no cs)
 * counts into the machine's atomic off-CPU events, which all_vm_events adds in. */
void count_vm_events_offcpu(enum vm_event_item item, long delta);
/* count_vm_events() and count_vm_event() are inline in alloc/machine.h, beside the CPU state. */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
/* NUMA_HIT/MISS/FOREIGN/LOCAL/OTHER, per CPU only: summed when read. zone_statistics()
 * itself is inline in pcp/pcp.h, beside the pageset it counts in; this is its rare half. */
void __zone_statistics_miss(struct zone *preferred, struct zone *z, int local_nid);

static inline long zone_page_state(struct zone *zone, enum zone_stat_item item)
{
	long x = atomic_load_explicit(&zone->vm_stat[item], memory_order_relaxed);
	return x < 0 ? 0 : x;
}
/* Exact: totals plus every CPU's pending delta (zone_page_state_snapshot). */
long zone_page_state_snapshot(struct zone *zone, enum zone_stat_item item);
/* Fold every CPU's deltas into the totals (refresh_cpu_vm_stats for all CPUs, quiesced). */
void refresh_vm_stats(struct machine *m);
/* Sums over CPUs. */
void all_vm_events(struct machine *m, unsigned long out[NR_VM_EVENT_ITEMS]);
unsigned long zone_numa_state(struct zone *zone, enum numa_stat_item item);
int calculate_normal_threshold(struct zone *zone, int nr_online_cpus);
void refresh_zone_stat_thresholds(struct machine *m);

/* /proc formats. */
void show_buddyinfo(struct machine *m, FILE *f);
void show_pagetypeinfo(struct machine *m, FILE *f);
void show_zoneinfo(struct machine *m, FILE *f);
void show_vmstat(struct machine *m, FILE *f);
void show_zonelists(struct machine *m, FILE *f);
/* The model's own counters, which no kernel has (pcp_*, pgalloc_calls, bad_page, ...). */
void show_modelstat(struct machine *m, FILE *f);
/* Which kernel's /proc line sets the dumps print (a policy's, pcp/pcp.h). */
enum proc_format { PROC_FORMAT_4_12, PROC_FORMAT_6_18 };
extern const char *const proc_4_12_zone_stats[], *const proc_4_12_node_stats[], *const proc_4_12_events[];
extern const char *const proc_6_18_vmstat[], *const proc_6_18_node_stats[], *const proc_6_18_zone_stats[];   /* each node's fallback and __GFP_THISNODE lists */
/* The dump named what ("buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "zonelists"); -1: no such dump. */
int show_proc(struct machine *m, const char *what, FILE *f);
bool show_proc_known(const char *what);

#endif /* ALLOC_VMSTAT_H */
