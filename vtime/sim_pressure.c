// SPDX-License-Identifier: GPL-2.0
/*
 * sim_pressure.c - the memory-pressure workloads in virtual time: bench/pressure_workload.h's
 * accesses (task touches, file reads and writes, THP bursts), one access an op, on a machine
 * they overcommit, so that kswapd (a virtual thread per node), direct reclaim, writeback and
 * swap (their waits move the CPU's clock: mm_wait_until), compaction and the OOM killer run
 * as the ops need them.
 *
 *   memory     --mem per node, else 32 MiB per CPU of the busiest node, at least 256 MiB;
 *              the anon workloads without --swap get 2 x memory of swap (as the real rows)
 *   phase 0    warm-up: accesses until memory is full (the first slow-path entry on any
 *              CPU), at most 8 x memory / N each (anon-overcommit's hot set fills memory
 *              slowly); a barrier, where the measurement starts
 *   phase 1    --blocks accesses per CPU (default 2 x memory / N; thp-burst: / 32)
 *   an op      one access: its time is what the allocator, reclaim, compaction and the I/O
 *              waits charge; the access's own work (the fault, the copy) is not modelled
 *   figures    the reclaim figures (vsim_reclaim) and the slow path's latency in virtual
 *              time, by outcome; allocs are pgalloc_calls, frees pgfree's pages;
 *              alloc_ns and free_ns are not split out (0)
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "alloc/internal.h"
#include "vtime/sim_internal.h"

struct pressure_wl {
	enum pressure_workload w;
	unsigned long pages;            /* the machine's memory, every node */
	struct pressure_thread *pt;     /* [nr_cpus] */
	bool full;                      /* a slow-path entry seen: the warm-up is over */
};

static enum pressure_workload pw_of(const struct vsim *s)
{
	return (enum pressure_workload)(s->p.workload - VSIM_PRESSURE_FILE_STREAM);
}

static unsigned long mem_per_node(const struct vsim *s)
{
	if (s->p.mem_per_node)
		return s->p.mem_per_node;
	unsigned long b = (32UL << 20) * (unsigned long)vsim_busiest_node_cpus(s);
	return b < (256UL << 20) ? 256UL << 20 : b;
}

static unsigned long pressure_pages(const struct vsim *s) { return (mem_per_node(s) >> PAGE_SHIFT) / (unsigned long)s->nr_cpus; }

static int pressure_machine(const struct vsim *s, struct machine_desc *d, int nodes, int cpus, char *err, size_t errlen)
{
	struct machine_desc base = *d;

	return pressure_machine_desc(d, &base, nodes, cpus, mem_per_node(s), pw_of(s), err, errlen);
}

static int pressure_setup(struct vsim *s, char *err, size_t errlen)
{
	struct pressure_wl *wl = calloc(1, sizeof(*wl));

	if (!wl || !(wl->pt = calloc((size_t)s->nr_cpus, sizeof(*wl->pt)))) {
		free(wl);
		return errf(err, errlen, "vtime: out of memory for %d tasks", s->nr_cpus);
	}
	s->wl = wl;
	wl->w = pw_of(s);
	wl->pages = (mem_per_node(s) >> PAGE_SHIFT) * (unsigned long)s->nr_nodes;
	unsigned long share = wl->pages / (unsigned long)s->nr_cpus;
	unsigned long n = s->p.blocks ? s->p.blocks : 2 * share / (wl->w == PW_THP_BURST ? PRESSURE_THP_READS : 1);
	for (int c = 0; c < s->nr_cpus; c++) {
		if (pressure_thread_create(&wl->pt[c], s->m, wl->w, wl->pages))
			return errf(err, errlen, "vtime: out of memory (or owners) for %d CPUs' tasks and files", s->nr_cpus);
		pressure_thread_share(&wl->pt[c], wl->w, wl->pages, s->nr_cpus, c);
		s->th[c].n = n ? n : 1;
	}
	return 0;
}

static void access_once(struct vsim *s, struct vsim_thread *t, struct pressure_wl *wl)
{
	uint64_t t0 = t->vt.clock;

	if (!pressure_step(wl->w, &wl->pt[t->index]))
		s->r->alloc_failures++;
	s->r->access_ps += t->vt.clock - t0;
	s->r->ops++;
}

static enum vsim_op pressure_next(struct vsim *s, struct vsim_thread *t)
{
	struct pressure_wl *wl = s->wl;

	if (t->phase == 0) {
		unsigned long limit = 8 * wl->pages / (unsigned long)s->nr_cpus;
		if (wl->full || t->i >= limit) {
			t->phase = 1;
			t->i = 0;
			return VSIM_OP_BARRIER;
		}
		unsigned long slow = current_binding.cs->vm_events[PGALLOC_SLOWPATH];
		access_once(s, t, wl);
		if (current_binding.cs->vm_events[PGALLOC_SLOWPATH] != slow)
			wl->full = true;
		t->i++;
		return VSIM_OP_RAN;
	}
	if (t->i >= t->n)
		return VSIM_OP_DONE;
	t->i++;
	access_once(s, t, wl);
	return VSIM_OP_RAN;
}

/* Every CPU is warm: the measurement starts here. */
static void pressure_barrier(struct vsim *s) { vsim_measure_restart(s); }

/* Allocations happen inside the accesses: the counts and the slow path's percentiles come
 * from the model's counters and histograms. */
static void pressure_finish(struct vsim *s, const struct vcpu_counters *d)
{
	struct vsim_result *r = s->r;
	const struct vsim_reclaim *rc = &r->reclaim;

	r->allocs = d->vm_events[PGALLOC_CALLS] - r->alloc_failures;
	r->frees = d->vm_events[PGFREE];        /* pages (pgfree): frees happen inside reclaim, in any order */
	r->alloc_ns = r->free_ns = 0;
	r->zone_lock_acquisitions_per_1k_allocs = r->allocs ? 1000.0 * (double)r->lock_acquisitions / (double)r->allocs : 0;
	r->refill_pages_per_1k_allocs = vcpu_refill_pages_per_1k_allocs(d, r->allocs);
	r->drain_pages_per_1k_frees = vcpu_drain_pages_per_1k_frees(d, r->frees);
	r->slowpath_allocs = rc->outcome[NR_SLOWPATH_OUTCOMES].count;
	r->slowpath_p50_ns = rc->outcome[NR_SLOWPATH_OUTCOMES].p50_ns;
	r->slowpath_p99_ns = rc->outcome[NR_SLOWPATH_OUTCOMES].p99_ns;
	r->slowpath_p999_ns = rc->outcome[NR_SLOWPATH_OUTCOMES].p999_ns;
	r->slowpath_max_ns = rc->outcome[NR_SLOWPATH_OUTCOMES].max_ns;
}

static void pressure_teardown(struct vsim *s)
{
	struct pressure_wl *wl = s->wl;

	if (!wl)
		return;
	for (int c = 0; wl->pt && c < s->nr_cpus; c++) {
		vsim_quiet_cpu(s, c);
		pressure_thread_destroy(&wl->pt[c]);
	}
	free(wl->pt);
	free(wl);
	s->wl = NULL;
}

const struct vsim_workload_ops vsim_pressure_ops = {
	.pages_per_cpu = pressure_pages,
	.setup = pressure_setup,
	.next = pressure_next,
	.barrier = pressure_barrier,
	.teardown = pressure_teardown,
	.machine_desc = pressure_machine,
	.finish = pressure_finish,
};
