/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pressure.h - the memory-pressure workloads: real threads as tasks and file readers
 * (alloc/task.h) on a machine whose memory they overcommit, so that kswapd, direct
 * reclaim, writeback, swap, compaction and the OOM killer all run while they allocate.
 *
 *   rows      pressure-WORKLOAD/model-<policy>-<scheme>/order:N/real_time/threads:T
 *   workloads file-stream      each thread streams its own file, 1.5 x memory, round and
 *                              round (page cache: clean pages, reclaim evicts them)
 *             anon-overcommit  each thread a task whose working set is 1.25 x memory / T,
 *                              80 % of touches to a hot fifth of it (swap, refaults)
 *             mixed            a task of 0.5 x memory / T and a file of memory / T each:
 *                              half anon touches, 40 % file reads, 10 % file writes (dirty
 *                              pages, writeback), a build-like mix
 *             thp-burst        order-9 GFP_TRANSHUGE allocations in bursts (held until an
 *                              eighth of memory is THPs, then all freed) between 28 reads of a streaming file that
 *                              keeps memory full and 4 touches of a task of memory / 4T
 *                              whose faults, among the stream's, pin movable pages in
 *                              every pageblock (no swap: compaction must move them)
 *   machine   the description the options give (nodes, CPUs, every sysctl: min_free_kbytes,
 *             watermark_scale_factor, swappiness, dirty ratios; the devices: swap size and
 *             latency, disk latency and bandwidth), with mem_mib MiB per node; the anon
 *             rows without a --swap get 2 x memory of swap (said on the console)
 *   iteration one access (a touch, a read or a write); thp-burst: one order-9 allocation
 *   counters  (run-wide, every CPU merged) slowpath_entries_per_1k_allocs; slow-path
 *             latency p50/p99/p99.9/max overall (slowpath_pNN_ns) and by outcome
 *             (slowpath_OUTCOME_pNN_ns for retry, reclaim, compact, oom, nofail, fail,
 *             where there were any); per 1000 allocations, the kernel's vmstat figures:
 *             allocstall, pgscan_kswapd, pgscan_direct, pgsteal_kswapd, pgsteal_direct,
 *             compact_stall, compact_success, compact_fail, compact_daemon_wake,
 *             pgmigrate_success, kswapd_low_wmark_hit_quickly,
 *             workingset_refault (anon + file), pswpin, pswpout, oom_kill (each
 *             NAME_per_1k_allocs); fastpath_rate; alloc_fail; ops_per_second
 *
 * Before each run the threads run their workload until memory is full (the first
 * slow-path entry) and kswapd settles; after it, the last thread out gives everything
 * back, waits for writeback, and runs check_lru and check_machine;
 * pressure_check_failures() counts the runs where that failed.
 */
#ifndef BENCH_PRESSURE_H
#define BENCH_PRESSURE_H

#include <stddef.h>

struct machine_desc;
struct pcp_selection;

/* Register the rows for every selected policy x scheme (sel NULL: every pair) and every
 * workload, 1..max_threads threads (capped at the base's CPU count). mem_mib 0: 256.
 * Returns 0, or -1 (message on stderr) when a machine cannot be built. */
int register_pressure_workloads(const struct machine_desc *base, unsigned long mem_mib, int max_threads,
				const struct pcp_selection *sel);
int pressure_check_failures(void);
/* Take --pressure-mem SIZE (the pressure machine's memory per node, default 256M) from argv. */
int pressure_mem_take(int *argc, char **argv, unsigned long *mib, char *err, size_t errlen);

#endif /* BENCH_PRESSURE_H */
