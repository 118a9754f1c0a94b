// SPDX-License-Identifier: GPL-2.0
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "bench/bench_common.h"
#include "pcp/pcp.h"

static atomic_int check_failures;
static atomic_int run_done;

void bench_take_snap(struct machine *m, int cpu, int n, struct bench_snap *s)
{
	memset(s, 0, sizeof(*s));
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->pageset)
				continue;
			for (int c = cpu; c < cpu + n; c++) {
				struct per_cpu_pageset *ps = zone_pageset(zone, c);
				s->allocs += pcp_stat_read(ps, PCP_STAT_ALLOC);
				s->hits += pcp_stat_read(ps, PCP_STAT_HIT);
				s->refill_pages += READ_ONCE(ps->pcp_stat[PCP_STAT_REFILL_PAGES]);
				s->drain_pages += READ_ONCE(ps->pcp_stat[PCP_STAT_DRAIN_PAGES]);
				s->frees += pcp_stat_read(ps, PCP_STAT_FREE);
			}
			s->lock_wait_ns += atomic_load(&zone->lock_wait_ns);
		}
	for (int c = cpu; c < cpu + n; c++)
		s->slow += READ_ONCE(m->cpus[c].vm_events[PGALLOC_SLOWPATH]);
}

void bench_set_counters(gb_state *s, const struct bench_snap *a, const struct bench_snap *b, long ops)
{
	double allocs = (double)ops, pcp_allocs = (double)(b->allocs - a->allocs);

	gb_counter(s, "pcp_hit_rate", pcp_allocs ? (double)(b->hits - a->hits) / pcp_allocs : 0, GB_AVG_THREADS);
	gb_counter(s, "fastpath_rate", allocs ? 1.0 - (double)(b->slow - a->slow) / allocs : 0, GB_AVG_THREADS);
	gb_counter(s, "refill_pages_per_1k_allocs", allocs ? 1000.0 * (double)(b->refill_pages - a->refill_pages) / allocs : 0,
		   GB_AVG_THREADS);
	gb_counter(s, "drain_pages_per_1k_frees", allocs ? 1000.0 * (double)(b->drain_pages - a->drain_pages) / allocs : 0,
		   GB_AVG_THREADS);
	/* the zone's wait total covers every thread: per operation of the whole run */
	gb_counter(s, "zone_lock_wait_ns",
		   allocs ? (double)(b->lock_wait_ns - a->lock_wait_ns) / allocs / gb_threads_count(s) : 0, GB_AVG_THREADS);
	gb_counter(s, "ops_per_second", allocs, GB_IS_RATE);
}

void bench_alloc_failed(gb_state *s, struct machine *m, unsigned int order)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
		 "alloc_pages(order %u) failed: this machine cannot hold the workload (min_free_kbytes %d; "
		 "see the page allocation failure warning)", order, m->min_free_kbytes);
	gb_skip_with_error(s, msg);
}

bool bench_bind_thread(gb_state *s, struct machine *m)
{
	int cpu = gb_thread_index(s);

	if (cpu >= m->nr_cpus) {
		gb_skip_with_error(s, "more threads than the machine model has CPUs (--cpus)");
		return false;
	}
	if (cpu_bind(m, cpu)) {
		gb_skip_with_error(s, "cpu_bind failed");
		return false;
	}
	return true;
}

void bench_finish_run(gb_state *s, struct machine *m, const char *what, void (*before_check)(void))
{
	cpu_unbind();
	if (atomic_fetch_add(&run_done, 1) + 1 == gb_threads_count(s)) {
		char err[512];
		if (before_check)
			before_check();
		drain_all_pages(m, NULL);
		static int said;
		if (getenv("PAGEALLOC_BENCH_NO_CHECK")) {       /* scripts/perf-profile: the checker is not the profile */
			if (!said++)
				fprintf(stderr, "pagealloc_bench: the post-run consistency checker is off (PAGEALLOC_BENCH_NO_CHECK)\n");
		} else if (check_machine(m, err, sizeof(err))) {
			fprintf(stderr, "check_machine after %s: %s\n", what, err);
			atomic_fetch_add(&check_failures, 1);
		}
		atomic_store(&run_done, 0);
	}
}

int bench_check_failures(void)
{
	return atomic_load(&check_failures);
}
