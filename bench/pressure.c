// SPDX-License-Identifier: GPL-2.0
/*
 * pressure - the memory-pressure workload (bench/pressure.h): order-0 page-cache-like
 * streaming onto the LRU past the low watermark, driving kswapd and direct reclaim, with
 * the slow path's latency percentiles and the fast-path rate as counters.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "bench/max_threads.h"
#include "bench/gbench.h"
#include "bench/pressure.h"
#include "pcp/pcp.h"
#include "bench/pcp_select.h"

#define PRESSURE_BASE_PFN       0x100000UL      /* 4 GiB: a Normal zone only */

struct pressure_cfg {
	struct machine *m;
	char name[64];
	unsigned long npages;
	_Atomic unsigned char *held;    /* per frame: the owner holds it */
	int owner;
	/* one run */
	atomic_int arrived, generation, done;
	unsigned long ev0[NR_VM_EVENT_ITEMS];
	unsigned long ev1[NR_VM_EVENT_ITEMS];
	struct slowpath_latency lat;
	atomic_long fails;
};

static atomic_int check_failures;

int pressure_check_failures(void)
{
	return atomic_load(&check_failures);
}

static bool owner_evict(void *ctx, struct page *page)
{
	struct pressure_cfg *c = ctx;
	unsigned char one = 1;

	return atomic_compare_exchange_strong(&c->held[__page_to_pfn(c->m, page) - PRESSURE_BASE_PFN], &one, 0);
}

static void owner_moved(void *ctx, struct page *from, struct page *to)
{
	struct pressure_cfg *c = ctx;

	atomic_store(&c->held[__page_to_pfn(c->m, to) - PRESSURE_BASE_PFN],
		     atomic_exchange(&c->held[__page_to_pfn(c->m, from) - PRESSURE_BASE_PFN], 0));
}

static const struct page_owner_ops pressure_ops = { owner_evict, owner_moved };

/* A generation barrier for the threads of one run (they may outnumber host CPUs). */
static void barrier(struct pressure_cfg *c, int n)
{
	int gen = atomic_load(&c->generation);

	if (atomic_fetch_add(&c->arrived, 1) + 1 == n) {
		atomic_store(&c->arrived, 0);
		atomic_fetch_add(&c->generation, 1);
		return;
	}
	for (unsigned spins = 0; atomic_load(&c->generation) == gen; spins++)
		if (spins > 256)
			sched_yield();
}

static inline bool take_page(struct pressure_cfg *c)
{
	struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);

	if (unlikely(!p))
		return false;
	atomic_store_explicit(&c->held[__page_to_pfn(c->m, p) - PRESSURE_BASE_PFN], 1, memory_order_relaxed);
	lru_add(p, c->owner, PG_lru | PG_movable);
	return true;
}

static void bm_pressure(gb_state *s, void *argp)
{
	struct pressure_cfg *c = argp;
	struct machine *m = c->m;
	int nthreads = gb_threads_count(s), t = gb_thread_index(s);

	if (t >= m->nr_cpus || cpu_bind(m, t)) {
		gb_skip_with_error(s, "more threads than the machine model has CPUs (--cpus)");
		return;
	}
	if (t == 0) {
		/* the working set: memory full down to the low watermark, kswapd settled */
		unsigned long e[NR_VM_EVENT_ITEMS];
		all_vm_events(m, e);
		unsigned long slow0 = e[PGALLOC_SLOWPATH];
		for (;;) {
			if (!take_page(c))
				break;
			all_vm_events(m, e);
			if (e[PGALLOC_SLOWPATH] != slow0)
				break;
		}
		kswapd_wait_idle(m);
		slowpath_latency_reset(m);
		atomic_store(&c->fails, 0);
		all_vm_events(m, c->ev0);
	}
	barrier(c, nthreads);
	long fails = 0;
	while (gb_keep_running(s))
		if (unlikely(!take_page(c)))
			fails++;
	atomic_fetch_add(&c->fails, fails);
	barrier(c, nthreads);
	if (t == 0) {
		all_vm_events(m, c->ev1);
		slowpath_latency(m, SLOWPATH_ALL, &c->lat);
	}
	barrier(c, nthreads);
	const unsigned long *a = c->ev0, *b = c->ev1;
	double allocs = (double)(b[PGALLOC_CALLS] - a[PGALLOC_CALLS]);
	double steal_k = (double)(b[PGSTEAL_KSWAPD] - a[PGSTEAL_KSWAPD]);
	double steal = steal_k + (double)(b[PGSTEAL_DIRECT] - a[PGSTEAL_DIRECT]);
	/* every thread reports the same run-wide value; averaged over threads it stays so */
	gb_counter(s, "slowpath_p50_ns", (double)c->lat.p50_ns, GB_AVG_THREADS);
	gb_counter(s, "slowpath_p99_ns", (double)c->lat.p99_ns, GB_AVG_THREADS);
	gb_counter(s, "slowpath_p999_ns", (double)c->lat.p999_ns, GB_AVG_THREADS);
	gb_counter(s, "slowpath_max_ns", (double)c->lat.max_ns, GB_AVG_THREADS);
	gb_counter(s, "slowpath_entries", (double)c->lat.count, GB_AVG_THREADS);
	gb_counter(s, "fastpath_rate", allocs ? 1.0 - (double)(b[PGALLOC_SLOWPATH] - a[PGALLOC_SLOWPATH]) / allocs : 0,
		   GB_AVG_THREADS);
	gb_counter(s, "reclaim_pages_per_1k_allocs", allocs ? 1000.0 * steal / allocs : 0, GB_AVG_THREADS);
	gb_counter(s, "kswapd_share", steal ? steal_k / steal : 0, GB_AVG_THREADS);
	gb_counter(s, "alloc_fail", (double)atomic_load(&c->fails), GB_AVG_THREADS);
	gb_counter(s, "ops_per_second", (double)gb_iterations_done(s), GB_IS_RATE);
	cpu_unbind();
	if (atomic_fetch_add(&c->done, 1) + 1 == nthreads) {
		/* last out: give everything back and check the machine */
		char err[512];
		cpu_bind(m, 0);
		kswapd_wait_idle(m);
		shrink_all_memory(m);
		drain_all_pages(m, NULL);
		if (lru_pages(m, 0)) {
			fprintf(stderr, "pressure: pages left on the LRU after benchmark\n");
			atomic_fetch_add(&check_failures, 1);
		} else if (check_lru(m, err, sizeof(err)) || check_machine(m, err, sizeof(err))) {
			fprintf(stderr, "pressure: check_machine after benchmark: %s\n", err);
			atomic_fetch_add(&check_failures, 1);
		}
		cpu_unbind();
		atomic_store(&c->done, 0);
	}
}

int register_pressure_workloads(const struct machine_desc *base, unsigned long mem_mib, int max_threads,
				const struct pcp_selection *sel)
{
	char err[512], name[160];

	if (!mem_mib)
		mem_mib = 256;
	if (max_threads > base->nr_cpus)
		max_threads = base->nr_cpus;
	if (max_threads < 1)
		max_threads = 1;
	for (int p = 0; p < NR_PCP_POLICIES; p++)
		for (int sc = 0; sc < NR_PCP_SCHEMES; sc++) {
			if (sel && (!sel->policy[p] || !sel->scheme[sc]))
				continue;
			struct machine_desc d;
			machine_desc_default(&d);
			d.nr_nodes = 1;
			d.nr_cpus = base->nr_cpus;
			for (int cpu = 0; cpu < d.nr_cpus; cpu++)
				d.cpu_to_node[cpu] = 0;
			d.nr_ranges = 1;
			unsigned long pages = mem_mib << (20 - PAGE_SHIFT);
			d.ranges[0] = (struct mem_range){ PRESSURE_BASE_PFN, PRESSURE_BASE_PFN + pages, 0 };
			for (int z = 0; z < MAX_NR_ZONES; z++)
				d.reserved_pages[0][z] = 0;
			d.policy = (enum pcp_policy_id)p;
			d.scheme = (enum pcp_scheme_id)sc;
			struct machine *m = machine_create(&d, err, sizeof(err));
			if (!m) {
				fprintf(stderr, "pressure: %s\n", err);
				return -1;
			}
			struct pressure_cfg *c = calloc(1, sizeof(*c));
			c->m = m;
			c->npages = pages;
			c->held = calloc(pages, 1);
			c->owner = lru_register_owner(m, &pressure_ops, c);
			snprintf(c->name, sizeof(c->name), "model-%s-%s", pcp_policy((enum pcp_policy_id)(p))->name,
				 pcp_scheme_name((enum pcp_scheme_id)sc));
			snprintf(name, sizeof(name), "pressure/%s/order:0", c->name);
			gb_use_real_time(bench_thread_counts(gb_register(name, bm_pressure, c), 1, max_threads, base->nr_cpus));
		}
	return 0;
}
