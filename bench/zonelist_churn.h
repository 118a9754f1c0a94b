/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zonelist_churn.h - what RCU-protected zonelists cost the allocation fast path.
 *
 *   zonelist-churn/ALLOCATOR/rebuild_us:U/threads:T
 *       repeat (alloc+free one order-0 block, GFP_KERNEL) on T threads while a helper
 *       thread rebuilds every zonelist (build_all_zonelists: new lists, publication,
 *       synchronize_rcu, free) every U microseconds; U = 0: no rebuilds. Times are CPU
 *       time per alloc+free pair; counters:
 *         allocs_per_s_wall   alloc+free pairs per second of wall time, all threads
 *         rebuilds            rebuilds done during the run
 *         rebuild_us_mean     mean wall time of one rebuild (grace period included)
 *   zonelist-rcu-read/ALLOCATOR[/threads:T]
 *       the read side alone: zonelist_read_lock, node_zonelist, load the first zone,
 *       zonelist_read_unlock (ns per lock+lookup+unlock);
 *   zonelist-read-norcu/ALLOCATOR
 *       the same without the read-side lock, the baseline.
 *
 * Register once per machine model before gb_initialize() (the machine must have at least
 * max_threads CPUs; thread T is bound to model CPU T); fail main() when
 * zonelist_churn_check_failures() is nonzero (check_machine runs after every run).
 */
#ifndef BENCH_ZONELIST_CHURN_H
#define BENCH_ZONELIST_CHURN_H

struct machine;

void register_zonelist_churn(struct machine *m, const char *allocator, int max_threads);
int zonelist_churn_check_failures(void);

#endif /* BENCH_ZONELIST_CHURN_H */
