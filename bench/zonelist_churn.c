// SPDX-License-Identifier: GPL-2.0
/*
 * zonelist_churn.c - allocation throughput under zonelist rebuilds, and the RCU read
 * side's cost (see zonelist_churn.h).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/rcu.h"
#include "bench/max_threads.h"
#include "bench/bench_common.h"
#include "bench/gbench.h"
#include "bench/zonelist_churn.h"
#include "pcp/pcp.h"

struct churn_arg {
	struct machine *m;
	int rebuild_us;
};


/* The rebuilder of the current run (one run at a time). */
static pthread_t rebuilder;
static atomic_int rebuilder_stop;
static atomic_long nr_rebuilds, rebuild_ns;
static bool rebuilder_running;

int zonelist_churn_check_failures(void)
{
	return bench_check_failures();
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *rebuild_loop(void *argp)
{
	struct churn_arg *a = argp;
	uint64_t next = mono_ns();

	while (!atomic_load_explicit(&rebuilder_stop, memory_order_relaxed)) {
		next += (uint64_t)a->rebuild_us * 1000;
		uint64_t now = mono_ns();
		if (next > now) {
			struct timespec ts = { (time_t)((next - now) / 1000000000ull), (long)((next - now) % 1000000000ull) };
			nanosleep(&ts, NULL);
		} else {
			next = now;
		}
		uint64_t t0 = mono_ns();
		if (build_all_zonelists(a->m) == 0) {
			atomic_fetch_add_explicit(&rebuild_ns, (long)(mono_ns() - t0), memory_order_relaxed);
			atomic_fetch_add_explicit(&nr_rebuilds, 1, memory_order_relaxed);
		}
	}
	return NULL;
}

/* Last thread out: stop the rebuilder (bench_finish_run then drains and checks). */
static void stop_rebuilder(void)
{
	if (rebuilder_running) {
		atomic_store(&rebuilder_stop, 1);
		pthread_join(rebuilder, NULL);
		rebuilder_running = false;
	}
}

static void bm_churn(gb_state *s, void *argp)
{
	struct churn_arg *a = argp;
	struct machine *m = a->m;

	if (!bench_bind_thread(s, m))
		return;
	if (gb_thread_index(s) == 0) {
		atomic_store(&nr_rebuilds, 0);
		atomic_store(&rebuild_ns, 0);
		atomic_store(&rebuilder_stop, 0);
		rebuilder_running = false;
		if (a->rebuild_us > 0) {
			if (pthread_create(&rebuilder, NULL, rebuild_loop, a) == 0)
				rebuilder_running = true;
		}
	}
	struct page *warm = alloc_pages(GFP_KERNEL, 0);  /* warm this CPU's list */
	bool ok = warm != NULL;
	if (warm)
		__free_pages(warm, 0);
	uint64_t t0 = mono_ns();
	while (ok && gb_keep_running_batch(s, 64)) {
		for (int i = 0; i < 64; i++) {
			struct page *p = alloc_pages(GFP_KERNEL, 0);
			if (unlikely(!p)) {
				ok = false;
				break;
			}
			gb_do_not_optimize(p);
			__free_pages(p, 0);
		}
	}
	if (!ok)
		bench_alloc_failed(s, m, 0);
	uint64_t wall = mono_ns() - t0;
	gb_counter(s, "allocs_per_s_wall", wall ? (double)gb_iterations_done(s) * 1e9 / (double)wall : 0, GB_COUNTER_DEFAULT);
	if (gb_thread_index(s) == 0) {
		long n = atomic_load(&nr_rebuilds);
		gb_counter(s, "rebuilds", (double)n, GB_COUNTER_DEFAULT);
		gb_counter(s, "rebuild_us_mean", n ? (double)atomic_load(&rebuild_ns) / (double)n / 1000.0 : 0,
			   GB_COUNTER_DEFAULT);
	}
	bench_finish_run(s, m, "zonelist-churn", stop_rebuilder);
}

/* The read side: lock, look the list up, touch its first zone, unlock. */
static void bm_rcu_read(gb_state *s, void *argp)
{
	struct churn_arg *a = argp;
	struct machine *m = a->m;

	if (!bench_bind_thread(s, m))
		return;
	int nid = numa_node_id();
	while (gb_keep_running_batch(s, 256)) {
		for (int i = 0; i < 256; i++) {
			zonelist_read_lock();
			struct zonelist *zl = node_zonelist(m, nid, GFP_KERNEL);
			gb_do_not_optimize(zl->_zonerefs[0].zone);
			zonelist_read_unlock();
		}
	}
	bench_finish_run(s, m, "zonelist-churn", stop_rebuilder);
}

static void bm_read_norcu(gb_state *s, void *argp)
{
	struct churn_arg *a = argp;
	struct machine *m = a->m;

	if (!bench_bind_thread(s, m))
		return;
	int nid = numa_node_id();
	while (gb_keep_running_batch(s, 256)) {
		for (int i = 0; i < 256; i++) {
			struct zonelist *zl = node_zonelist(m, nid, GFP_KERNEL);
			gb_do_not_optimize(zl->_zonerefs[0].zone);
		}
	}
	bench_finish_run(s, m, "zonelist-churn", stop_rebuilder);
}

static struct churn_arg *new_arg(struct machine *m, int rebuild_us)
{
	struct churn_arg *a = gb_arg_alloc(sizeof(*a));
	a->m = m;
	a->rebuild_us = rebuild_us;
	return a;
}

void register_zonelist_churn(struct machine *m, const char *allocator, int max_threads)
{
	char name[160];
	static const int rebuild_us[] = { 1000, 0 };

	if (max_threads > m->nr_cpus)
		max_threads = m->nr_cpus;
	if (max_threads < 1)
		max_threads = 1;
	for (int r = 0; r < 2; r++) {
		snprintf(name, sizeof(name), "zonelist-churn/%s/rebuild_us:%d", allocator, rebuild_us[r]);
		bench_thread_counts(gb_register(name, bm_churn, new_arg(m, rebuild_us[r])), 1, max_threads, m->nr_cpus);
	}
	snprintf(name, sizeof(name), "zonelist-rcu-read/%s", allocator);
	bench_thread_counts(gb_register(name, bm_rcu_read, new_arg(m, 0)), 1, max_threads, m->nr_cpus);
	snprintf(name, sizeof(name), "zonelist-read-norcu/%s", allocator);
	gb_register(name, bm_read_norcu, new_arg(m, 0));
}
