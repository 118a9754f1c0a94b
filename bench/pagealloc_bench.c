// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc_bench - the model's benchmark suite over Google Benchmark (through gbench.h).
 *
 * Workloads: repeat (alloc+free one block, the pcp hit path), bulk and rand (LLFree's,
 * bench/llfree_workloads.c), per-order (every order through the full path) and buddy
 * (__rmqueue/__free_one_page alone). Rows are named WORKLOAD/ALLOCATOR/order:N[/threads:T], ALLOCATOR being
 * model-<policy>-<scheme> (e.g. model-linux-4.12-owner) so every table can be split by
 * workload, allocator and thread count. Times: Google Benchmark 1.7.1's real_time and
 * cpu_time per iteration; one iteration is one alloc+free pair (per thread). Counters:
 *   pcp_hit_rate                 pcp-eligible allocations served from a non-empty list
 *   fastpath_rate                allocations satisfied by the first get_page_from_freelist
 *   refill_pages_per_1k_allocs   pages taken under zone->lock to refill pcp lists / 1,000 allocations
 *   drain_pages_per_1k_frees     pages returned from pcp lists under zone->lock / 1,000 frees
 *   zone_lock_wait_ns            time spent spinning on zone->lock, per operation
 * The consistency checker runs after every benchmark; a failure fails the run.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "bench/gbench.h"
#include "bench/pressure.h"
#include "bench/workloads.h"
#include "bench/zonelist_churn.h"
#include "pcp/pcp.h"

struct config {
	struct machine *m;
	char name[64];          /* model-linux-4.12-owner */
};

static struct config configs[NR_PCP_POLICIES * NR_PCP_SCHEMES];
static int nr_configs;
static struct machine_desc base_desc;
static atomic_int check_failures;

struct bench_arg {
	struct config *cfg;
	unsigned int order;
};

/* Per-run bookkeeping shared by the threads of one run. */
static atomic_int run_done;

struct snap {
	unsigned long allocs, hits, refill_pages, drain_pages, frees, slow;
	long lock_wait_ns;
};

static void take_snap(struct machine *m, int cpu, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->pageset)
				continue;
			struct per_cpu_pageset *ps = zone_pageset(zone, cpu);
			s->allocs += READ_ONCE(ps->pcp_stat[PCP_STAT_ALLOC]);
			s->hits += READ_ONCE(ps->pcp_stat[PCP_STAT_HIT]);
			s->refill_pages += READ_ONCE(ps->pcp_stat[PCP_STAT_REFILL_PAGES]);
			s->drain_pages += READ_ONCE(ps->pcp_stat[PCP_STAT_DRAIN_PAGES]);
			s->frees += READ_ONCE(ps->pcp_stat[PCP_STAT_FREE]);
			s->lock_wait_ns += atomic_load(&zone->lock_wait_ns);
		}
	s->slow = READ_ONCE(m->cpus[cpu].vm_events[PGALLOC_SLOWPATH]);
}

/* The last thread out of a run checks the machine (all others have stopped touching it). */
static void finish_run(gb_state *s, struct machine *m)
{
	cpu_unbind();
	if (atomic_fetch_add(&run_done, 1) + 1 == gb_threads_count(s)) {
		char err[512];
		drain_all_pages(m, NULL);
		if (check_machine(m, err, sizeof(err))) {
			fprintf(stderr, "check_machine after benchmark: %s\n", err);
			atomic_fetch_add(&check_failures, 1);
		}
		atomic_store(&run_done, 0);
	}
}

static void set_counters(gb_state *s, const struct snap *a, const struct snap *b, long ops)
{
	double allocs = (double)ops, pcp_allocs = (double)(b->allocs - a->allocs);
	gb_counter(s, "pcp_hit_rate", pcp_allocs ? (double)(b->hits - a->hits) / pcp_allocs : 0, GB_AVG_THREADS);
	gb_counter(s, "fastpath_rate", allocs ? 1.0 - (double)(b->slow - a->slow) / allocs : 0, GB_AVG_THREADS);
	gb_counter(s, "refill_pages_per_1k_allocs", allocs ? 1000.0 * (double)(b->refill_pages - a->refill_pages) / allocs : 0,
		   GB_AVG_THREADS);
	gb_counter(s, "drain_pages_per_1k_frees", allocs ? 1000.0 * (double)(b->drain_pages - a->drain_pages) / allocs : 0,
		   GB_AVG_THREADS);
	gb_counter(s, "zone_lock_wait_ns", allocs ? (double)(b->lock_wait_ns - a->lock_wait_ns) / allocs : 0, GB_AVG_THREADS);
	gb_counter(s, "ops_per_second", (double)ops, GB_IS_RATE);
}

static bool bind_thread(gb_state *s, struct machine *m)
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

/* repeat: allocate and free one block in a loop (the pcp hit path for small orders). */
static void bm_repeat(gb_state *s, void *argp)
{
	struct bench_arg *arg = argp;
	struct machine *m = arg->cfg->m;
	struct snap a, b;

	if (!bind_thread(s, m))
		return;
	int cpu = smp_processor_id();
	/* warm the list so the loop measures hits, as the kernel's page_bench01 does */
	__free_pages(alloc_pages(GFP_KERNEL, arg->order), arg->order);
	take_snap(m, cpu, &a);
	while (gb_keep_running_batch(s, 64)) {
		for (int i = 0; i < 64; i++) {
			struct page *p = alloc_pages(GFP_KERNEL, arg->order);
			if (unlikely(!p))
				abort();
			gb_do_not_optimize(p);
			__free_pages(p, arg->order);
		}
	}
	take_snap(m, cpu, &b);
	set_counters(s, &a, &b, gb_iterations_done(s));
	finish_run(s, m);
}

/* buddy: the zone->lock path itself, __rmqueue and __free_one_page (no pcp). */
static void bm_buddy(gb_state *s, void *argp)
{
	struct bench_arg *arg = argp;
	struct machine *m = arg->cfg->m;

	if (!bind_thread(s, m))
		return;
	struct zone *zone = &m->node_data[0]->node_zones[ZONE_NORMAL];
	unsigned int order = arg->order;
	while (gb_keep_running(s)) {
		zone_lock(zone);
		struct page *p = __rmqueue(zone, order, MIGRATE_UNMOVABLE);
		zone_unlock(zone);
		if (unlikely(!p))
			abort();
		__mod_zone_freepage_state(zone, -(1L << order), p->mt);
		prep_new_page(m, p, order, 0);
		gb_do_not_optimize(p);
		unsigned long pfn = __page_to_pfn(m, p);
		free_pages_prepare(m, p, order);
		free_one_page(zone, p, pfn, order, get_pageblock_migratetype_pfn(m, pfn));
	}
	gb_counter(s, "ops_per_second", (double)gb_iterations_done(s), GB_IS_RATE);
	finish_run(s, m);
}

static void setup_configs(void)
{
	char err[512];

	for (int p = 0; p < NR_PCP_POLICIES; p++)
		for (int sc = 0; sc < NR_PCP_SCHEMES; sc++) {
			struct machine_desc d = base_desc;
			d.policy = (enum pcp_policy_id)p;
			d.scheme = (enum pcp_scheme_id)sc;
			struct machine *m = machine_create(&d, err, sizeof(err));
			if (!m) {
				fprintf(stderr, "pagealloc_bench: %s\n", err);
				exit(2);
			}
			configs[nr_configs].m = m;
			snprintf(configs[nr_configs].name, sizeof(configs[nr_configs].name), "model-%s-%s",
				 pcp_policies[p].name, pcp_scheme_name((enum pcp_scheme_id)sc));
			nr_configs++;
		}
}

static struct bench_arg *new_arg(struct config *cfg, unsigned int order)
{
	struct bench_arg *a = malloc(sizeof(*a));
	a->cfg = cfg;
	a->order = order;
	return a;
}

static void register_all(int max_threads)
{
	char name[160];

	for (int c = 0; c < nr_configs; c++) {
		struct config *cfg = &configs[c];
		static const unsigned int repeat_orders[] = { 0, 9 };
		for (size_t i = 0; i < 2; i++) {
			snprintf(name, sizeof(name), "repeat/%s/order:%u", cfg->name, repeat_orders[i]);
			gb_benchmark *b = gb_register(name, bm_repeat, new_arg(cfg, repeat_orders[i]));
			gb_use_real_time(gb_dense_thread_range(b, 1, max_threads, 1));
		}
		/* bulk and rand as LLFree defines them (bench/llfree_workloads.c) */
		register_llfree_model_workloads(cfg->m, cfg->name, max_threads, LLFREE_ALL);
	}
	/* allocation while zonelists are rebuilt every millisecond, and never (RCU readers) */
	register_zonelist_churn(configs[0].m, configs[0].name, max_threads);
	/* single-threaded: every order through the full path, and the buddy alone */
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		snprintf(name, sizeof(name), "per-order/%s/order:%u", configs[0].name, o);
		gb_register(name, bm_repeat, new_arg(&configs[0], o));
		snprintf(name, sizeof(name), "buddy/%s/order:%u", configs[0].name, o);
		gb_register(name, bm_buddy, new_arg(&configs[0], o));
	}
}

int main(int argc, char **argv)
{
	char err[512];
	long host_cpus = sysconf(_SC_NPROCESSORS_ONLN);

	machine_desc_default(&base_desc);
	if (machine_desc_parse_args(&base_desc, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "pagealloc_bench: %s\n%s", err, machine_options_help);
		return 2;
	}
	int max_threads = (int)host_cpus;
	const char *mt = getenv("BENCH_MAX_THREADS");
	if (mt)
		max_threads = atoi(mt);
	if (max_threads > base_desc.nr_cpus)
		max_threads = base_desc.nr_cpus;
	if (max_threads < 1)
		max_threads = 1;
	setup_configs();
	register_all(max_threads);
	/* memory pressure on a small machine: drives kswapd, direct reclaim and compaction */
	if (register_pressure_workloads(&base_desc, 256, max_threads))
		return 2;
	if (gb_initialize(&argc, argv))
		return 2;
	gb_add_context("machine_model", base_desc.name);
	char buf[64];
	snprintf(buf, sizeof(buf), "%d", base_desc.nr_cpus);
	gb_add_context("model_cpus", buf);
	snprintf(buf, sizeof(buf), "%lu", configs[0].m->max_pfn << PAGE_SHIFT >> 20);
	gb_add_context("model_max_pfn_mib", buf);
	snprintf(buf, sizeof(buf), "%zu", sizeof(struct page));
	gb_add_context("struct_page_bytes", buf);
	snprintf(buf, sizeof(buf), "%ld", host_cpus);
	gb_add_context("host_cpus", buf);
	gb_run_specified();
	gb_shutdown();
	for (int c = 0; c < nr_configs; c++)
		machine_destroy(configs[c].m);
	atomic_fetch_add(&check_failures, llfree_model_check_failures());
	atomic_fetch_add(&check_failures, zonelist_churn_check_failures());
	if (atomic_load(&check_failures)) {
		fprintf(stderr, "pagealloc_bench: the consistency checker failed after %d benchmark(s)\n",
			atomic_load(&check_failures));
		return 1;
	}
	return gb_any_error() || pressure_check_failures() ? 1 : 0;
}
