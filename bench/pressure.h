/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pressure.h - the memory-pressure workload: threads stream order-0 GFP_HIGHUSER_MOVABLE
 * pages onto the LRU (PG_lru | PG_movable, an owner that always agrees to evict) on a
 * small machine whose memory is already full down to the low watermark, so kswapd and
 * direct reclaim keep freeing the oldest pages while the threads allocate.
 *
 *   rows      pressure/model-<policy>-<scheme>/order:0/real_time/threads:T
 *   machine   one node, one Normal zone of `mem_mib` MiB at 4 GiB (no DMA/DMA32), the
 *             base description's CPUs, policy and scheme; one machine per policy x scheme
 *   iteration one allocation (+ lru_add) per thread; pages are only ever freed by reclaim
 *   counters  slowpath_p50_ns, slowpath_p99_ns, slowpath_p999_ns (all slow-path entries
 *             of the run, every CPU merged), fastpath_rate (first get_page_from_freelist
 *             successes / allocations, all CPUs), reclaim_pages_per_1k_allocs
 *             (pgsteal_kswapd + pgsteal_direct), kswapd_share (pgsteal_kswapd / pgsteal),
 *             alloc_fail (allocations that returned NULL; should be 0)
 *
 * Before each run thread 0 fills memory to the low watermark and waits for kswapd; after
 * it, the last thread out reclaims everything, drains the per-CPU lists and runs
 * check_machine(); pressure_check_failures() counts the runs where that failed.
 */
#ifndef BENCH_PRESSURE_H
#define BENCH_PRESSURE_H

struct machine_desc;

/* Register the rows for every policy x scheme, 1..max_threads threads (capped at the
 * base's CPU count). mem_mib 0: 256. Returns 0, or -1 (message on stderr) when a machine
 * cannot be built. */
struct pcp_selection;
/* sel: the (policy, scheme) pairs to register (bench/pcp_select.h); NULL: every pair. */
int register_pressure_workloads(const struct machine_desc *base, unsigned long mem_mib, int max_threads,
				const struct pcp_selection *sel);
int pressure_check_failures(void);

#endif /* BENCH_PRESSURE_H */
