// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc_bench - the model's benchmark suite over Google Benchmark (through gbench.h).
 *
 * Workloads: repeat (alloc+free one block, the pcp hit path), repeat-nodemask (the same
 * through __alloc_pages_nodemask with a caller-held zonelist), bulk and rand (LLFree's,
 * bench/llfree_workloads.c), per-order (every order through the full path) and buddy
 * (__rmqueue/__free_one_page alone), batch-sweep (B allocs then B frees, B = 1..4096, orders
 * 0..4), remote-free (producer/consumer pairs), zonelist-churn and the pressure-* rows
 * (bench/pressure.h; their machine: the options with --pressure-mem SIZE a node, default 256M). Thread counts run
 * 1..host CPUs; BENCH_MAX_THREADS=N asks for more (up to the model's CPUs), and such rows
 * are labelled "oversubscribed". Rows are named WORKLOAD/ALLOCATOR/order:N[/threads:T], ALLOCATOR being
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
#include "alloc/rcu.h"
#include "alloc/vmstat.h"
#include "bench/bench_common.h"
#include "bench/gbench.h"
#include "bench/pressure.h"
#include "bench/workloads.h"
#include "bench/zonelist_churn.h"
#include "pcp/pcp.h"
#include "bench/max_threads.h"
#include "bench/pcp_select.h"

struct config {
	struct machine *m;
	char name[64];          /* model-linux-4.12-owner */
};

static struct config configs[NR_PCP_POLICIES * NR_PCP_SCHEMES];
static int nr_configs;
static struct machine_desc base_desc;
static struct pcp_selection selection;  /* --policy / --scheme: the configurations built */

struct bench_arg {
	struct config *cfg;
	unsigned int order;
};

static long host_cpus;

/* More threads than the host has CPUs: the row is marked, its times mean little. */
static void mark_oversubscribed(gb_state *s)
{
	if (gb_threads_count(s) > host_cpus)
		gb_set_label(s, "oversubscribed");
}

/*
 * batch sweep (mmtests pagealloc): allocate B blocks, then free the B blocks, for B from 1
 * to well past pcp high; shows where the lists stop absorbing a burst. One iteration is B
 * alloc+free pairs: items_per_second counts pairs.
 */
struct sweep_arg {
	struct config *cfg;
	unsigned int order;
	int batch;
};

static void bm_batch_sweep(gb_state *s, void *argp)
{
	struct sweep_arg *arg = argp;
	struct machine *m = arg->cfg->m;
	struct page **pages = malloc(sizeof(*pages) * (size_t)arg->batch);
	struct bench_snap a, b;

	if (!pages || !bench_bind_thread(s, m)) {
		free(pages);
		return;
	}
	bench_take_snap(m, smp_processor_id(), 1, &a);
	while (gb_keep_running(s)) {
		int got = 0;
		while (got < arg->batch && likely(pages[got] = alloc_pages(GFP_KERNEL, arg->order)))
			got++;
		for (int i = 0; i < got; i++)
			__free_pages(pages[i], arg->order);
		if (unlikely(got < arg->batch)) {
			bench_alloc_failed(s, m, arg->order);
			break;
		}
	}
	bench_take_snap(m, smp_processor_id(), 1, &b);
	bench_set_counters(s, &a, &b, gb_iterations_done(s) * arg->batch);
	gb_set_items_processed(s, gb_iterations_done(s) * arg->batch);
	free(pages);
	bench_finish_run(s, m, "benchmark", NULL);
}

/*
 * remote free: even threads produce (allocate and pass the page on), odd threads consume
 * (free what their producer passed). The consumer's frees land on its own CPU's lists
 * (drains), the producer's allocations empty its lists (refills). One SPSC ring per pair.
 */
#define RF_RING 1024
struct rf_ring {
	_Alignas(64) atomic_ulong head;         /* written by the producer */
	_Alignas(64) atomic_ulong tail;         /* written by the consumer */
	struct page *slot[RF_RING];
	atomic_int failed;                      /* the producer's allocation failed: both end the row */
};
static struct rf_ring rf_rings[NR_CPUS / 2];

static void bm_remote_free(gb_state *s, void *argp)
{
	struct bench_arg *arg = argp;
	struct machine *m = arg->cfg->m;
	int t = gb_thread_index(s);
	struct rf_ring *r = &rf_rings[t / 2];
	struct bench_snap a, b;

	if (gb_threads_count(s) % 2) {
		gb_skip_with_error(s, "remote-free needs an even number of threads (producer/consumer pairs)");
		return;
	}
	if (!bench_bind_thread(s, m))
		return;
	if (t % 2 == 0) {
		atomic_store(&r->head, 0);
		atomic_store(&r->tail, 0);
		atomic_store(&r->failed, 0);
	}
	mark_oversubscribed(s);
	/* both threads of a pair report the pair's rates: allocations happen on one CPU, frees on the other */
	bench_take_snap(m, t & ~1, 2, &a);
	while (gb_keep_running(s)) {
		if (t % 2 == 0) {
			struct page *p = alloc_pages(GFP_KERNEL, arg->order);
			if (unlikely(!p)) {
				atomic_store(&r->failed, 1);
				bench_alloc_failed(s, m, arg->order);
				break;
			}
			unsigned long h = atomic_load_explicit(&r->head, memory_order_relaxed);
			while (h - atomic_load_explicit(&r->tail, memory_order_acquire) >= RF_RING)
				sched_yield();
			r->slot[h % RF_RING] = p;
			atomic_store_explicit(&r->head, h + 1, memory_order_release);
		} else {
			unsigned long tl = atomic_load_explicit(&r->tail, memory_order_relaxed);
			while (atomic_load_explicit(&r->head, memory_order_acquire) == tl && !atomic_load(&r->failed))
				sched_yield();
			if (atomic_load_explicit(&r->head, memory_order_acquire) == tl) {
				gb_skip_with_error(s, "the producer's allocation failed (see its row's error)");
				break;
			}
			struct page *p = r->slot[tl % RF_RING];
			atomic_store_explicit(&r->tail, tl + 1, memory_order_release);
			__free_pages(p, arg->order);
		}
	}
	bench_take_snap(m, t & ~1, 2, &b);
	bench_set_counters(s, &a, &b, gb_iterations_done(s));
	bench_finish_run(s, m, "benchmark", NULL);
}

/*
 * pcp-core: the pcp hit paths alone (rmqueue_pcplist_fast and free_unref_page_fast, the
 * general rmqueue_pcplist and free_unref_page when those decline), without the entry
 * points around them (gfp decoding, zonelist walk under RCU, watermark check, bad-free
 * checks, prep_new_page): the cost of those layers is repeat minus pcp-core.
 */
/* One pair on the pcp hit paths, this machine's copy of them (pcp_fast_dispatch). */
static __always_inline bool pcp_core_pair(struct machine *m, struct zone *zone,
								 enum pcp_policy_id pid, enum pcp_scheme_id scheme)
{
	bool bypassed = false;
	struct page *p = rmqueue_pcplist_fast(current_binding.cs, zone, GFP_KERNEL, MIGRATE_UNMOVABLE, false, pid,
					      scheme);
	if (unlikely(!p))
		p = rmqueue_pcplist(zone, zone, 0, GFP_KERNEL, MIGRATE_UNMOVABLE, ALLOC_WMARK_LOW, &bypassed);
	if (unlikely(!p))
		return false;
	gb_do_not_optimize(p);
	return free_unref_page_fast(zone, p, MIGRATE_UNMOVABLE, pid, scheme) ||
	       free_unref_page(zone, p, __page_to_pfn(m, p), 0, MIGRATE_UNMOVABLE, 0);
}

static void bm_pcp_core(gb_state *s, void *argp)
{
	struct bench_arg *arg = argp;
	struct machine *m = arg->cfg->m;

	if (!bench_bind_thread(s, m))
		return;
	struct zone *zone = &m->node_data[0]->node_zones[ZONE_NORMAL];
	while (gb_keep_running_batch(s, 64)) {
		bool ok = true;
		for (int i = 0; i < 64 && ok; i++)
			ok = pcp_fast_dispatch(m, pcp_core_pair, m, zone);
		if (unlikely(!ok)) {
			bench_alloc_failed(s, m, 0);
			break;
		}
	}
	gb_counter(s, "ops_per_second", (double)gb_iterations_done(s), GB_IS_RATE);
	bench_finish_run(s, m, "benchmark", NULL);
}

/*
 * repeat: allocate and free one block in a loop (the pcp hit path for small orders).
 * repeat-nodemask: the same pair through __alloc_pages_nodemask itself, called as a caller
 * that passes its own zonelist must call it (alloc/page_alloc.h): under the zonelist read
 * lock, node_zonelist, finalise_ac's walk to the first usable zone. repeat's alloc_pages
 * skips those three with the zonelist head its CPU keeps; that row is what they cost.
 */
static __always_inline void repeat_pairs(gb_state *s, struct bench_arg *arg, bool nodemask)
{
	struct machine *m = arg->cfg->m;
	struct bench_snap a, b;

	if (!bench_bind_thread(s, m))
		return;
	mark_oversubscribed(s);
	int cpu = smp_processor_id(), nid = numa_node_id();
	/* warm the list so the loop measures hits, as the kernel's page_bench01 does */
	struct page *warm = alloc_pages(GFP_KERNEL, arg->order);
	if (warm)
		__free_pages(warm, arg->order);
	bench_take_snap(m, cpu, 1, &a);
	bool ok = warm != NULL;
	while (ok && gb_keep_running_batch(s, 64)) {
		for (int i = 0; i < 64; i++) {
			struct page *p;
			if (nodemask) {
				zonelist_read_lock();
				p = __alloc_pages_nodemask(GFP_KERNEL, arg->order, node_zonelist(m, nid, GFP_KERNEL), NULL);
				zonelist_read_unlock();
			} else {
				p = alloc_pages(GFP_KERNEL, arg->order);
			}
			if (unlikely(!p)) {
				ok = false;
				break;
			}
			gb_do_not_optimize(p);
			__free_pages(p, arg->order);
		}
	}
	if (!ok)
		bench_alloc_failed(s, m, arg->order);
	bench_take_snap(m, cpu, 1, &b);
	bench_set_counters(s, &a, &b, gb_iterations_done(s));
	bench_finish_run(s, m, "benchmark", NULL);
}
static void bm_repeat(gb_state *s, void *argp) { repeat_pairs(s, argp, false); }
static void bm_repeat_nodemask(gb_state *s, void *argp) { repeat_pairs(s, argp, true); }

/* buddy: the zone->lock path itself, __rmqueue and __free_one_page (no pcp). */
static void bm_buddy(gb_state *s, void *argp)
{
	struct bench_arg *arg = argp;
	struct machine *m = arg->cfg->m;

	if (!bench_bind_thread(s, m))
		return;
	struct zone *zone = &m->node_data[0]->node_zones[ZONE_NORMAL];
	unsigned int order = arg->order;
	while (gb_keep_running(s)) {
		zone_lock(zone);
		struct page *p = __rmqueue(zone, order, MIGRATE_UNMOVABLE);
		zone_unlock(zone);
		if (unlikely(!p)) {
			bench_alloc_failed(s, m, order);
			break;
		}
		__mod_zone_freepage_state(zone, -(1L << order), p->mt);
		prep_new_page(m, p, order, 0);
		gb_do_not_optimize(p);
		unsigned long pfn = __page_to_pfn(m, p);
		free_pages_prepare(m, p, order);
		free_one_page(zone, p, pfn, order, get_pageblock_migratetype_pfn(m, pfn));
	}
	gb_counter(s, "ops_per_second", (double)gb_iterations_done(s), GB_IS_RATE);
	bench_finish_run(s, m, "benchmark", NULL);
}

static void setup_configs(void)
{
	char err[512];

	for (int p = 0; p < NR_PCP_POLICIES; p++)
		for (int sc = 0; sc < NR_PCP_SCHEMES; sc++) {
			if (!selection.policy[p] || !selection.scheme[sc])
				continue;       /* --policy / --scheme chose others */
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
				 pcp_policy((enum pcp_policy_id)(p))->name, pcp_scheme_name((enum pcp_scheme_id)sc));
			nr_configs++;
		}
}

static struct bench_arg *new_arg(struct config *cfg, unsigned int order)
{
	struct bench_arg *a = gb_arg_alloc(sizeof(*a));
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
			gb_use_real_time(bench_thread_counts(b, 1, max_threads, cfg->m->nr_cpus));
		}
		snprintf(name, sizeof(name), "repeat-nodemask/%s/order:0", cfg->name);
		gb_use_real_time(bench_thread_counts(gb_register(name, bm_repeat_nodemask, new_arg(cfg, 0)), 1,
						     max_threads, cfg->m->nr_cpus));
		snprintf(name, sizeof(name), "pcp-core/%s/order:0", cfg->name);
		gb_register(name, bm_pcp_core, new_arg(cfg, 0));
		/* bulk and rand as LLFree defines them (bench/llfree_workloads.c) */
		register_llfree_model_workloads(cfg->m, cfg->name, max_threads, LLFREE_ALL);
	}
	for (int c = 0; c < nr_configs; c++) {
		struct config *cfg = &configs[c];
		if (max_threads >= 2) {
			snprintf(name, sizeof(name), "remote-free/%s/order:0", cfg->name);
			gb_use_real_time(bench_thread_counts(gb_register(name, bm_remote_free, new_arg(cfg, 0)), 2,
							     max_threads & ~1, cfg->m->nr_cpus));
		}
		static const int batches[] = { 1, 8, 16, 31, 32, 63, 64, 128, 186, 256, 512, 1024, 2048, 4096 };
		for (unsigned int o = 0; o <= 4; o++)
			for (size_t i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
				struct sweep_arg *sa = gb_arg_alloc(sizeof(*sa));
				sa->cfg = cfg;
				sa->order = o;
				sa->batch = batches[i];
				snprintf(name, sizeof(name), "batch-sweep/%s/order:%u/batch:%d", cfg->name, o, batches[i]);
				gb_register(name, bm_batch_sweep, sa);
			}
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
	host_cpus = sysconf(_SC_NPROCESSORS_ONLN);

	machine_desc_default(&base_desc);
	/* the default model has as many CPUs as the host, at least 8 (options override it) */
	if (host_cpus > base_desc.nr_cpus && host_cpus <= NR_CPUS &&
	    machine_desc_simple(&base_desc, 1, 16UL << 30, (int)host_cpus, err, sizeof(err))) {
		fprintf(stderr, "pagealloc_bench: %s\n", err);
		return 2;
	}
	if (bench_threads_take("pagealloc_bench", &argc, argv))
		return 2;
	if (pcp_select_take(&argc, argv, &selection, err, sizeof(err))) {
		fprintf(stderr, "pagealloc_bench: %s\n", err);
		return 2;
	}
	unsigned long pressure_mib = 256;
	if (pressure_mem_take(&argc, argv, &pressure_mib, err, sizeof(err))) {
		fprintf(stderr, "pagealloc_bench: %s\n", err);
		return 2;
	}
	if (machine_desc_parse_args(&base_desc, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "pagealloc_bench: %s\n%s", err, machine_options_help);
		return 2;
	}
	int max_threads = bench_max_threads("pagealloc_bench", (int)host_cpus);
	if (max_threads < 0)
		return 2;
	if (max_threads > base_desc.nr_cpus)
		max_threads = base_desc.nr_cpus;
	if (max_threads < 1)
		max_threads = 1;
	pcp_select_finish(&selection, &base_desc);
	setup_configs();
	register_all(max_threads);
	/* memory pressure on a small machine (--pressure-mem): kswapd, reclaim, swap, compaction, OOM */
	if (register_pressure_workloads(&base_desc, pressure_mib, max_threads, &selection))
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
	if (bench_check_failures()) {
		fprintf(stderr, "pagealloc_bench: the consistency checker failed after %d benchmark(s)\n",
			bench_check_failures());
		return 1;
	}
	return gb_any_error() || pressure_check_failures() ? 1 : 0;
}
