/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel_stats.h - the kernel's own page-allocator figures from a trace, as
 * ../shared/traces/README.md tabulates them:
 *
 *   allocs          mm_page_alloc lines (every successful allocation, any order)
 *   order-0         mm_page_alloc lines with order=0
 *   frees           mm_page_free lines; mm_page_free_batched lines are the same
 *                   pages freed again through the batched path and are NOT added
 *   refill_pages    mm_page_alloc_zone_locked lines with percpu_refill=1 (one line
 *                   per block of any order taken from the buddy lists under
 *                   zone->lock to refill a per-CPU list)
 *   direct_pages    mm_page_alloc_zone_locked lines with percpu_refill=0
 *   drain_pages     mm_page_pcpu_drain lines
 *   per 1k          refill_pages per 1,000 allocs, drain_pages per 1,000 frees
 *
 * Runs (one zone->lock acquisition each, Documentation/trace/events-kmem.rst):
 * every CPU's events are taken in trace order, apart from the other CPUs'.
 *   - A refill run is a maximal sequence of percpu_refill=1 lines in one CPU's
 *     stream with the same order and migratetype (one rmqueue_bulk() call fills
 *     one list).  Any other event of that CPU ends it.
 *   - A drain run is a maximal sequence of mm_page_pcpu_drain lines in one CPU's
 *     stream (one free_pcppages_bulk() call may drain several orders and
 *     migratetypes).  Any other event of that CPU ends it.
 *   - mm_page_alloc_extfrag does not end a run: the kernel emits it from inside
 *     the same locked section.  Unknown (non-kmem-page) events are ignored.
 * "*_base_pages" weight each line by 1 << order (4 KiB pages).
 */
#ifndef BENCH_REPLAY_KERNEL_STATS_H
#define BENCH_REPLAY_KERNEL_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "replay/trace.h"

#define KSTATS_ORDERS 64		/* orders 0..63, as the reader accepts */
#define KSTATS_MAX_CPUS 65536		/* CPU numbers the per-CPU run state covers */

struct kstats_cpu;

struct kernel_stats {
	uint64_t events;		/* events fed, unknown ones included */
	uint64_t allocs;
	uint64_t allocs_order0;
	uint64_t allocs_by_order[KSTATS_ORDERS];
	uint64_t alloc_base_pages;
	uint64_t frees;
	uint64_t frees_order0;
	uint64_t free_base_pages;
	uint64_t frees_batched;		/* counted apart, never added to frees */
	uint64_t refill_pages;
	uint64_t refill_base_pages;
	uint64_t refill_runs;
	uint64_t refill_run_max;	/* lines in the longest refill run */
	uint64_t direct_pages;		/* percpu_refill=0 */
	uint64_t direct_base_pages;
	uint64_t drain_pages;
	uint64_t drain_base_pages;
	uint64_t drain_runs;
	uint64_t drain_run_max;
	uint64_t extfrag;		/* mm_page_alloc_extfrag lines */
	uint64_t extfrag_fragmenting;	/* ... with fragmenting=1 */
	uint64_t unknown_events;
	uint64_t gfp_unknown_events;	/* mm_page_alloc lines with an unknown gfp name */
	uint32_t ncpus;			/* highest CPU number seen + 1 */
	uint64_t first_ts_ns, last_ts_ns;

	/* Private: per-CPU run state. */
	struct kstats_cpu *cpu;
	uint32_t cpu_cap;
};

void kernel_stats_init(struct kernel_stats *ks);
/*
 * Feeds one event.  -1 when its CPU is KSTATS_MAX_CPUS or more, or memory for a
 * new CPU's state cannot be had (the event is then not counted).
 */
int kernel_stats_add(struct kernel_stats *ks, const struct trace_event *ev);
/* Frees the per-CPU state; the figures stay readable. */
void kernel_stats_destroy(struct kernel_stats *ks);

/* num per 1,000 den (0 when den is 0). */
double kernel_stats_per_1k(uint64_t num, uint64_t den);
static inline double kernel_stats_refill_per_1k(const struct kernel_stats *ks)
{
	return kernel_stats_per_1k(ks->refill_pages, ks->allocs);
}
static inline double kernel_stats_drain_per_1k(const struct kernel_stats *ks)
{
	return kernel_stats_per_1k(ks->drain_pages, ks->frees);
}

/*
 * Reads a whole trace (file, .xz, or "-" for stdin) into *ks (initialised here).
 * trace_flags: TRACE_SKIP_BAD or 0.  Returns 0, or -1 with a message in err.
 * When counts is not NULL the reader's counts are copied there.
 */
int kernel_stats_from_trace(const char *path, unsigned int trace_flags, struct kernel_stats *ks,
			    struct trace_counts *counts, char *err, size_t errlen);

/* The README's table header and a row for this trace ("| fsmix | 95,220 | ... |"). */
void kernel_stats_print_table_header(FILE *out);
void kernel_stats_print_table_row(const struct kernel_stats *ks, const char *name, FILE *out);
/* Everything, one figure per line. */
void kernel_stats_print(const struct kernel_stats *ks, FILE *out);

#endif /* BENCH_REPLAY_KERNEL_STATS_H */
