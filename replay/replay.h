/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - replay a kernel page-allocator trace on the model, deterministically, on
 * one host thread, and put the kernel's own figures beside the model's.
 *
 * Every trace CPU is a model CPU (the thread holds them all with cpu_bind_many and
 * cpu_switch()es per event). mm_page_alloc is alloc_pages(gfp, order) on that CPU;
 * mm_page_free frees the model block that stands for that trace pfn (struct pfnmap);
 * mm_page_free_batched lines are annotations of frees already seen and are skipped;
 * zone_locked, pcpu_drain and extfrag lines feed only the kernel side (kernel_stats.h).
 *
 * Frees of pfns the replay never saw allocated (allocated before the capture began, or
 * by a path without an mm_page_alloc line such as alloc_pages_bulk) are counted and
 * skipped. A pfn allocated again while still live means the kernel freed it without an
 * mm_page_free line reaching the trace: the model frees its block then, on the CPU of
 * the new allocation, and counts it (frees_untraced). __GFP_NOFAIL is dropped (the
 * model has no reclaim: a failing NOFAIL allocation would loop forever); failures are
 * counted.
 *
 * The 6.x vmstat tick: pcp_vmstat_tick() on every CPU once a second of trace time (ts_ns),
 * as vmstat_update (refresh_cpu_vm_stats -> decay_pcp_high) does; it lowers pcp->high by
 * 1/8 towards high_min and drains what is above it. vmstat_update is re-armed with
 * round_jiffies_relative(HZ), so it fires at a fixed phase of every second (jiffies'
 * whole seconds plus timer-wheel slack: ~0.1 s on the VMs here, per boot): the phase is
 * taken from tick_phase_ns when set (scripts/replay: --tick-phase-ms, else the capture's
 * NAME.vmstat_ticks, which scripts/capture-trace records), else from the trace when it
 * shows a tick (kworker drain runs: the median of their starts' fraction of a second),
 * else whole seconds. Does nothing under 4.12 (its tick only drains other nodes' pagesets).
 *
 * The capture's per-CPU pagesets (count and high, from the zoneinfo taken just before
 * the trace) seed the model's lists before the first event: `count` pages taken from the
 * buddy onto the CPU's lists (see enum replay_prefill) and, under 6.x, pcp->high.
 * Counters are read after seeding, so the seeding is not in the figures.
 *
 * Comparable figures: the kernel prints one mm_page_alloc_zone_locked / mm_page_pcpu_drain
 * line per block of any order, so the model's refill and drain "pages" are blocks as well
 * (PCP_STAT_REFILL_BLOCKS, PCP_STAT_DRAIN_BLOCKS); *_base_pages weight by 1 << order.
 */
#ifndef BENCH_REPLAY_REPLAY_H
#define BENCH_REPLAY_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "alloc/machine.h"
#include "replay/kernel_stats.h"
#include "replay/trace.h"

/*
 * Where the capture's per-CPU `count` goes before the first event. The zoneinfo says how
 * many pages each CPU's lists held, not on which list (migratetype, order) they were.
 */
enum replay_prefill {
	REPLAY_PREFILL_INFER,		/* from the trace itself (struct replay_plan); the default */
	REPLAY_PREFILL_MOVABLE,		/* all on the order-0 MOVABLE list */
	REPLAY_PREFILL_SPREAD,		/* spread evenly over the three order-0 lists */
	REPLAY_PREFILL_NONE,		/* lists start empty; high starts at high_min */
};

/*
 * REPLAY_PREFILL_INFER reads the trace once before replaying it. The kernel refills a
 * list only when it is empty, so for each CPU, zone and list (migratetype, order) the
 * blocks it held at the start are the allocations served from it before its first
 * percpu_refill=1 line, less the frees of blocks allocated in the trace that went back
 * onto it meanwhile (no fewer than the most that were ever outstanding before that line);
 * for a list never refilled, the most outstanding over the whole trace. What the
 * capture's count leaves over goes to the order-0 list least likely to matter: one never
 * refilled with the fewest allocations, else the one refilled last. When the lists'
 * needs exceed count they are scaled down to it.
 */
struct replay_plan;
/*
 * Reads rd to its end (trace_flags as for the replay): the lists' needs and the tick phase
 * (see the top of this file). NULL with a message on error.
 */
struct replay_plan *replay_plan_infer(struct machine *m, struct trace_reader *rd, unsigned int trace_flags,
				      char *err, size_t errlen);
void replay_plan_free(struct replay_plan *p);

struct replay_options {
	unsigned int trace_flags;	/* TRACE_SKIP_BAD */
	uint64_t tick_ns;		/* vmstat tick period in trace time; 0: no tick */
	int64_t tick_phase_ns;		/* ticks at k * tick_ns + phase; < 0: from the trace (default) */
	const char *tick_phase_from;	/* where tick_phase_ns came from, for the output ("given") */
	const char *pcp_state;		/* zoneinfo whose per-CPU count/high seed the lists; NULL: none */
	enum replay_prefill prefill;
	const struct replay_plan *plan;	/* for replay_reader(): the prefill (INFER) and tick phase;
					   NULL: MOVABLE prefill, whole-second ticks */
	trace_warn_fn warn;		/* reader warnings; NULL: stderr (use quiet to silence) */
	void *warn_ctx;
	bool quiet;			/* no reader warnings at all */
	/*
	 * Frees of pfns never seen allocated: true (default) replays them: a block of that
	 * order stands for memory allocated before the capture (from the occupied memory,
	 * else taken from the model's buddy outside every counter) and is freed on the
	 * trace's CPU like any other, so the pcp lists see what the kernel's saw (reclaimed
	 * page cache, under pressure); false counts and skips them.
	 */
	bool replay_unknown_frees;
	FILE *log;			/* when set: one line per model refill, drain and tick */
	/*
	 * A buddyinfo capture (NAME.buddyinfo.before) to occupy the model's memory to: each
	 * zone keeps the kernel's free blocks, the rest is in use from the start (what the
	 * kernel had allocated before the capture; frees of such blocks take from it). NULL:
	 * every managed page free. replay_trace finds the sibling unless no_occupy.
	 */
	const char *occupy;
	bool no_occupy;
};

void replay_options_default(struct replay_options *o);

/* One side of the comparison. Blocks are what the kernel's trace lines count. */
struct replay_side {
	uint64_t allocs;
	uint64_t frees;
	uint64_t refill_blocks;		/* kernel: percpu_refill=1 lines */
	uint64_t refill_base_pages;
	uint64_t refill_runs;		/* kernel: runs of refill lines; model: PCP_STAT_REFILL */
	uint64_t drain_blocks;		/* kernel: mm_page_pcpu_drain lines */
	uint64_t drain_base_pages;
	uint64_t drain_runs;		/* kernel: runs of drain lines; model: PCP_STAT_DRAIN */
	uint64_t direct_blocks;		/* kernel: percpu_refill=0 lines; model: blocks from the buddy outside a refill */
	uint64_t direct_base_pages;
	uint64_t extfrag;		/* kernel: mm_page_alloc_extfrag lines; model: PGALLOC_EXTFRAG */
	/* Reclaim (a capture with scripts/capture-trace's vmscan: events; 0 on older ones) */
	uint64_t kswapd_wakeups;	/* kernel: vmscan:mm_vmscan_wakeup_kswapd; model: slow paths that
					   found the node unbalanced with kswapd asleep (since it was balanced) */
	uint64_t direct_reclaims;	/* kernel: vmscan:mm_vmscan_direct_reclaim_begin; model: allocstall */
	uint64_t compactions;		/* kernel: compaction:mm_compaction_begin; model: compact_stall (no kcompactd in a replay) */
};

struct replay_model_extra {
	uint64_t alloc_failures;	/* model allocations that returned NULL */
	uint64_t frees_unknown;		/* frees of pfns never seen allocated: skipped, or replayed */
	uint64_t frees_unknown_replayed; /* ... of which replayed (replay_unknown_frees; in model.frees) */
	uint64_t frees_of_failed;	/* frees of pfns whose model allocation had failed: skipped */
	uint64_t frees_untraced;	/* live pfns allocated again: the model freed the old block then */
	uint64_t frees_batched;		/* mm_page_free_batched annotations skipped */
	uint64_t free_order_mismatch;	/* free order differed from the allocation's: freed as allocated */
	uint64_t gfp_synthesized;	/* allocations whose gfp_flags gave no bits: built from migratetype */
	uint64_t migratetype_fixed;	/* gfp's migratetype differed from the trace's: the trace's was used */
	uint64_t pcp_allocs, pcp_hits;	/* pcp-eligible allocations, served from a non-empty list */
	uint64_t ticks;			/* vmstat ticks run (6.x decay) */
	int64_t tick_phase_ns;		/* the phase used; -1: no tick */
	uint32_t tick_phase_seen;	/* observations the phase was read from */
	char tick_phase_from[24];	/* tick_phase_from, "trace", "default" or "none" */
	uint64_t live_max;		/* most trace pfns live at once */
	uint64_t live_end;
	uint64_t seeded_pages;		/* pages put on the lists before the first event */
	uint64_t occupied_pages;	/* pages in use from the start (occupancy; 0: none) */
	char prefill[16];		/* how: "infer", "movable", "spread", "none" */
};

struct replay_result {
	struct kernel_stats kernel_stats;	/* everything kernel_stats.h computes */
	struct trace_counts counts;
	struct replay_side kernel, model;
	struct replay_model_extra extra;
	uint32_t trace_cpus;		/* highest trace CPU + 1 */
	double seconds;			/* wall time of the replay loop, reading included */
	double trace_seconds;		/* last - first timestamp */
	char policy[16];
	bool reclaim_events;		/* the trace has the vmscan:/compaction: events */
};

/*
 * Replays the trace at path (text or .xz, "-" for stdin) on m, which must be built and
 * not bound to any thread. With REPLAY_PREFILL_INFER the file is read twice (stdin: the
 * MOVABLE prefill instead). Returns 0, or -1 with "line N: ..." (or a reader/setup
 * message) in err. *r is filled either way as far as the replay got.
 */
int replay_trace(struct machine *m, const char *path, const struct replay_options *o, struct replay_result *r,
		 char *err, size_t errlen);
/* The same from an open reader (tests: trace_open_mem). The reader is not closed. */
int replay_reader(struct machine *m, struct trace_reader *rd, const struct replay_options *o, struct replay_result *r,
		  char *err, size_t errlen);
void replay_result_destroy(struct replay_result *r);

/*
 * Seeds the lists from a zoneinfo capture's per-CPU "count:" and "high:" lines (see the
 * top of this file). The calling thread must hold every CPU (cpu_bind_many). Returns the
 * pages seeded, or -1 with a message.
 */
long replay_seed_pcp(struct machine *m, const char *zoneinfo, enum replay_prefill prefill,
		     const struct replay_plan *plan, char *err, size_t errlen);

/*
 * TRACE's capture siblings: NAME.trace.xz, NAME.trace, NAME.xz or NAME -> NAME.SUFFIX
 * (e.g. "zoneinfo.before"). Returns 0 and the path in out when that file exists.
 */
int replay_sibling(const char *trace, const char *suffix, char *out, size_t outlen);

/*
 * The tick phase from a NAME.vmstat_ticks file ("CPU SECONDS.FRACTION" lines, one per
 * vmstat_update run): the circular median of the runs' fractions of a second, in ns.
 * Returns the number of runs read (0: none), or -1 with a message.
 */
long replay_read_tick_phase(const char *path, int64_t *phase_ns, char *err, size_t errlen);

double replay_per_1k(uint64_t num, uint64_t den);
/* Side-by-side Markdown table, kernel versus model, and the replay's own counts. */
void replay_print_table(const struct replay_result *r, const char *name, FILE *out);
/* {"trace": ..., "policy": ..., "kernel": {...}, "model": {...}, "replay": {...}} */
void replay_print_json(const struct replay_result *r, const char *name, FILE *out);

#endif /* BENCH_REPLAY_REPLAY_H */
