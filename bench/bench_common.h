/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_common.h - what every model workload shares: binding benchmark threads to model
 * CPUs, snapshots of the per-CPU list counters, the counters every row carries, and the
 * consistency check the last thread out of a run makes.
 */
#ifndef BENCH_BENCH_COMMON_H
#define BENCH_BENCH_COMMON_H

#include <stdbool.h>

#include "alloc/machine.h"
#include "bench/gbench.h"

struct bench_snap {
	unsigned long allocs, hits, refill_pages, drain_pages, frees, slow;
	long lock_wait_ns;      /* the zones' totals: every thread's waits */
};

/* Counters of model CPUs [cpu, cpu + n). */
void bench_take_snap(struct machine *m, int cpu, int n, struct bench_snap *s);
/*
 * pcp_hit_rate, fastpath_rate, refill_pages_per_1k_allocs, drain_pages_per_1k_frees,
 * zone_lock_wait_ns (per operation of the whole run) and ops_per_second, from the change
 * between two snapshots over `ops` allocations (and as many frees) of this thread.
 */
void bench_set_counters(gb_state *s, const struct bench_snap *a, const struct bench_snap *b, long ops);
/* Thread T runs as model CPU T; a clear skip when the model has too few CPUs. */
bool bench_bind_thread(gb_state *s, struct machine *m);
/* An allocation of the workload failed: the row ends with an error saying so (and why, if known). */
void bench_alloc_failed(gb_state *s, struct machine *m, unsigned int order);
/* Each thread calls it once at the end; the last one of the run drains every list and runs
 * check_machine (a failure is counted: bench_check_failures). before_check, when not NULL,
 * runs first in that last thread (to stop helper threads). */
void bench_finish_run(gb_state *s, struct machine *m, const char *what, void (*before_check)(void));
int bench_check_failures(void);

#endif /* BENCH_BENCH_COMMON_H */
