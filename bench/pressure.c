// SPDX-License-Identifier: GPL-2.0
/*
 * pressure - the memory-pressure workloads (bench/pressure.h): tasks and files that
 * overcommit a machine built from the options, with the slow path's latency by outcome
 * and the kernel's reclaim figures as counters.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/task.h"
#include "alloc/vmstat.h"
#include "bench/gbench.h"
#include "bench/max_threads.h"
#include "bench/pcp_select.h"
#include "bench/pressure.h"
#include "bench/pressure_workload.h"
#include "pcp/pcp.h"

struct pressure_cfg {
	struct machine *m;
	enum pressure_workload w;
	char name[64];
	unsigned long pages;            /* the machine's memory */
	struct pressure_thread *th;     /* [nr_cpus] */
	int nr_threads_made;
	/* one run */
	atomic_int arrived, generation, done;
	unsigned long ev0[NR_VM_EVENT_ITEMS], ev1[NR_VM_EVENT_ITEMS];
	long refault0, refault1;
	struct slowpath_latency lat[NR_SLOWPATH_OUTCOMES + 1];  /* [NR]: every outcome */
	atomic_long fails;
	struct pressure_cfg *next;      /* every row's, from cfg_list: they live until exit */
};

static atomic_int check_failures;
static struct pressure_cfg *cfg_list;

int pressure_check_failures(void)
{
	return atomic_load(&check_failures);
}

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

static long node_stat_sum(struct machine *m, enum node_stat_item item)
{
	long v = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		v += node_page_state(m->node_data[nid]->lru, item);
	return v;
}

static void report(gb_state *s, struct pressure_cfg *c)
{
	const unsigned long *a = c->ev0, *b = c->ev1;
	double allocs = (double)(b[PGALLOC_CALLS] - a[PGALLOC_CALLS]);
	double k = allocs ? 1000.0 / allocs : 0;
	char key[96];

	/* every thread reports the same run-wide value; averaged over threads it stays so */
	gb_counter(s, "slowpath_entries_per_1k_allocs", (double)(b[PGALLOC_SLOWPATH] - a[PGALLOC_SLOWPATH]) * k,
		   GB_AVG_THREADS);
	const struct slowpath_latency *all = &c->lat[NR_SLOWPATH_OUTCOMES];
	gb_counter(s, "slowpath_p50_ns", (double)all->p50_ns, GB_AVG_THREADS);
	gb_counter(s, "slowpath_p99_ns", (double)all->p99_ns, GB_AVG_THREADS);
	gb_counter(s, "slowpath_p999_ns", (double)all->p999_ns, GB_AVG_THREADS);
	gb_counter(s, "slowpath_max_ns", (double)all->max_ns, GB_AVG_THREADS);
	for (int o = 0; o < NR_SLOWPATH_OUTCOMES; o++) {
		const struct slowpath_latency *l = &c->lat[o];
		if (!l->count)
			continue;
		const char *on = slowpath_outcome_names[o];
		snprintf(key, sizeof(key), "slowpath_%s_count", on);
		gb_counter(s, key, (double)l->count, GB_AVG_THREADS);
		snprintf(key, sizeof(key), "slowpath_%s_p50_ns", on);
		gb_counter(s, key, (double)l->p50_ns, GB_AVG_THREADS);
		snprintf(key, sizeof(key), "slowpath_%s_p99_ns", on);
		gb_counter(s, key, (double)l->p99_ns, GB_AVG_THREADS);
		snprintf(key, sizeof(key), "slowpath_%s_p999_ns", on);
		gb_counter(s, key, (double)l->p999_ns, GB_AVG_THREADS);
		snprintf(key, sizeof(key), "slowpath_%s_max_ns", on);
		gb_counter(s, key, (double)l->max_ns, GB_AVG_THREADS);
	}
	unsigned long stall = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		stall += b[ALLOCSTALL_DMA + z] - a[ALLOCSTALL_DMA + z];
	gb_counter(s, "allocstall_per_1k_allocs", (double)stall * k, GB_AVG_THREADS);
	for (size_t i = 0; i < NR_PRESSURE_PER1K; i++) {
		snprintf(key, sizeof(key), "%s_per_1k_allocs", pressure_per1k[i].name);
		gb_counter(s, key, (double)(b[pressure_per1k[i].e] - a[pressure_per1k[i].e]) * k, GB_AVG_THREADS);
	}
	gb_counter(s, "workingset_refault_per_1k_allocs", (double)(c->refault1 - c->refault0) * k, GB_AVG_THREADS);
	gb_counter(s, "fastpath_rate", allocs ? 1.0 - (double)(b[PGALLOC_SLOWPATH] - a[PGALLOC_SLOWPATH]) / allocs : 0,
		   GB_AVG_THREADS);
	gb_counter(s, "alloc_fail", (double)atomic_load(&c->fails), GB_AVG_THREADS);
	gb_counter(s, "ops_per_second", (double)gb_iterations_done(s), GB_IS_RATE);
}

static void bm_pressure(gb_state *s, void *argp)
{
	struct pressure_cfg *c = argp;
	struct machine *m = c->m;
	int nthreads = gb_threads_count(s), t = gb_thread_index(s);

	if (t >= c->nr_threads_made || cpu_bind(m, t)) {
		gb_skip_with_error(s, "more threads than the machine model has CPUs (--cpus)");
		return;
	}
	struct pressure_thread *p = &c->th[t];
	pressure_thread_share(p, c->w, c->pages, nthreads, t);
	/* warm up: until memory is full (the first slow-path entry), at most 2 x memory steps */
	unsigned long e[NR_VM_EVENT_ITEMS];
	all_vm_events(m, e);
	unsigned long slow0 = e[PGALLOC_SLOWPATH];
	for (unsigned long i = 0; i < 2 * c->pages; i++) {
		pressure_step(c->w, p);
		if (!(i & 63)) {
			all_vm_events(m, e);
			if (e[PGALLOC_SLOWPATH] != slow0)
				break;
		}
	}
	barrier(c, nthreads);
	if (t == 0) {
		kswapd_wait_idle(m);
		slowpath_latency_reset(m);
		atomic_store(&c->fails, 0);
		all_vm_events(m, c->ev0);
		c->refault0 = node_stat_sum(m, WORKINGSET_REFAULT_ANON) + node_stat_sum(m, WORKINGSET_REFAULT_FILE);
	}
	barrier(c, nthreads);
	long fails = 0;
	while (gb_keep_running(s))
		if (unlikely(!pressure_step(c->w, p)))
			fails++;
	atomic_fetch_add(&c->fails, fails);
	barrier(c, nthreads);
	if (t == 0) {
		all_vm_events(m, c->ev1);
		c->refault1 = node_stat_sum(m, WORKINGSET_REFAULT_ANON) + node_stat_sum(m, WORKINGSET_REFAULT_FILE);
		for (int o = 0; o < NR_SLOWPATH_OUTCOMES; o++)
			slowpath_latency(m, o, &c->lat[o]);
		slowpath_latency(m, SLOWPATH_ALL, &c->lat[NR_SLOWPATH_OUTCOMES]);
	}
	barrier(c, nthreads);
	report(s, c);
	pressure_thread_release(p);
	barrier(c, nthreads);
	if (t == 0) {
		/* everything back: check the machine */
		char err[512];
		kswapd_wait_idle(m);
		while (writeback_wait_any(m, 1000000000ull))
			;
		shrink_all_memory(m);
		drain_all_pages(m, NULL);
		unsigned long left = 0;
		for (int nid = 0; nid < m->nr_nodes; nid++)
			left += lru_pages(m, nid);
		if (left) {
			fprintf(stderr, "%s: %lu pages left on the LRU after the run\n", c->name, left);
			atomic_fetch_add(&check_failures, 1);
		} else if (check_lru(m, err, sizeof(err)) || check_machine(m, err, sizeof(err))) {
			fprintf(stderr, "%s: check_machine after the run: %s\n", c->name, err);
			atomic_fetch_add(&check_failures, 1);
		}
	}
	barrier(c, nthreads);
	cpu_unbind();
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
	fprintf(stderr, "pressure rows: %lu MiB a node, %d node(s), %d CPUs; min_free_kbytes %s, watermark_scale_factor %d, "
			"swappiness %d, dirty_ratio %d, dirty_background_ratio %d; swap %s; disk %d us, %d MB/s; "
			"swap device %d us\n",
		mem_mib, base->nr_nodes, base->nr_cpus, base->min_free_kbytes ? "as given" : "from memory",
		base->watermark_scale_factor, base->swappiness, base->dirty_ratio, base->dirty_background_ratio,
		base->swap_pages ? "as given (--swap)" : "none given: the anon rows get 2 x memory", base->disk_latency_us,
		base->disk_mbps, base->swap_latency_us);
	for (int w = 0; w < NR_PW; w++)
		for (int pol = 0; pol < NR_PCP_POLICIES; pol++)
			for (int sc = 0; sc < NR_PCP_SCHEMES; sc++) {
				if (sel && (!sel->policy[pol] || !sel->scheme[sc]))
					continue;
				struct machine_desc d;
				if (pressure_machine_desc(&d, base, base->nr_nodes, base->nr_cpus, mem_mib << 20,
							  (enum pressure_workload)w, err, sizeof(err))) {
					fprintf(stderr, "pressure: %s\n", err);
					return -1;
				}
				d.policy = (enum pcp_policy_id)pol;
				d.scheme = (enum pcp_scheme_id)sc;
				struct machine *m = machine_create(&d, err, sizeof(err));
				if (!m) {
					fprintf(stderr, "pressure: %s\n", err);
					return -1;
				}
				struct pressure_cfg *c = calloc(1, sizeof(*c));
				c->next = cfg_list;
				cfg_list = c;
				c->m = m;
				c->w = (enum pressure_workload)w;
				c->pages = (mem_mib << (20 - PAGE_SHIFT)) * (unsigned long)d.nr_nodes;
				c->th = calloc((size_t)max_threads, sizeof(*c->th));
				c->nr_threads_made = max_threads;
				for (int t = 0; t < max_threads; t++)
					if (pressure_thread_create(&c->th[t], m, c->w, c->pages)) {
						fprintf(stderr, "pressure: out of memory for the %s tasks\n", pressure_workload_names[w]);
						return -1;
					}
				snprintf(c->name, sizeof(c->name), "model-%s-%s", pcp_policy((enum pcp_policy_id)pol)->name,
					 pcp_scheme_name((enum pcp_scheme_id)sc));
				snprintf(name, sizeof(name), "pressure-%s/%s/order:%d", pressure_workload_names[w], c->name,
					 w == PW_THP_BURST ? PRESSURE_THP_ORDER : 0);
				gb_use_real_time(bench_thread_counts(gb_register(name, bm_pressure, c), 1, max_threads,
								     base->nr_cpus));
			}
	return 0;
}

int pressure_mem_take(int *argc, char **argv, unsigned long *mib, char *err, size_t errlen)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *v = NULL;
		if (!strcmp(argv[i], "--pressure-mem")) {
			if (i + 1 >= *argc) {
				snprintf(err, errlen, "--pressure-mem needs a size (e.g. 256M, 1G)");
				return -1;
			}
			v = argv[++i];
		} else if (!strncmp(argv[i], "--pressure-mem=", 15)) {
			v = argv[i] + 15;
		} else {
			argv[out++] = argv[i];
			continue;
		}
		char *end;
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		unsigned long shift = 0;
		if (*end == 'M' || *end == 'm')
			end++;
		else if (*end == 'G' || *end == 'g')
			end++, shift = 10;
		if (*end == 'i')
			end++;
		if (*end == 'B')
			end++;
		if (errno || end == v || *end || !n || n > (1UL << 20) >> shift) {
			snprintf(err, errlen, "--pressure-mem: '%s' is not a size of 1M..1T (e.g. 256M, 2G)", v);
			return -1;
		}
		*mib = n << shift;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}
