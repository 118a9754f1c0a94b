/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_internal.h - what the scheduler (sim.c) and the workloads (sim_workloads.c,
 * sim_template.c) share.
 */
#ifndef VTIME_SIM_INTERNAL_H
#define VTIME_SIM_INTERNAL_H

#include <stddef.h>

#include "bench/vcpu.h"
#include "vtime/sim.h"

struct page;

struct vsim_block {
	struct page *page;
	uint32_t order;
	int32_t cpu;                    /* the CPU that allocated it */
	uint64_t at;                    /* remote: the virtual time it was allocated at */
};

struct vsim_thread {
	struct vt_cpu vt;               /* first: vt_current points here */
	bool kswapd;
	int index;                      /* CPU number, or the node of a kswapd */
	int node;
	int heap_pos;                   /* -1: not in the heap */
	bool parked;                    /* waiting at a barrier */
	uint64_t idle_ps;               /* clock moved without work: barriers, trace gaps, waits */
	uint64_t start_ps;              /* the clock when the measurement began (vsim_measure_restart) */
	/* the workload's */
	unsigned long i, n, phase;
	struct vsim_block *blocks;
	unsigned long head, tail;       /* remote: the queue this CPU fills for the next one */
};

/* What a workload's next() did. */
enum vsim_op { VSIM_OP_RAN, VSIM_OP_BARRIER, VSIM_OP_DONE };

struct vsim;

struct vsim_workload_ops {
	/* pages one CPU holds at most (memory sizing) */
	unsigned long (*pages_per_cpu)(const struct vsim *s);
	int (*setup)(struct vsim *s, char *err, size_t errlen);
	/* one op on t (with vsim_alloc / vsim_free), or a barrier, or the end of t's work */
	enum vsim_op (*next)(struct vsim *s, struct vsim_thread *t);
	void (*barrier)(struct vsim *s);        /* every CPU reached it; NULL: nothing to do */
	void (*teardown)(struct vsim *s);       /* free what is held (uncharged) */
	/* optional: the machine (d holds the base's options; sized and laid out here, not from
	 * pages_per_cpu), and the result's figures from the counters' delta after finish */
	int (*machine_desc)(const struct vsim *s, struct machine_desc *d, int nodes, int cpus, char *err, size_t errlen);
	void (*finish)(struct vsim *s, const struct vcpu_counters *d);
};

extern const struct vsim_workload_ops *const vsim_workload_ops[NR_VSIM_WORKLOADS];
extern const struct vsim_workload_ops vsim_template_ops;       /* sim_template.c */
extern const struct vsim_workload_ops vsim_pressure_ops;       /* sim_pressure.c */

struct vsim {
	struct vsim_params p;
	struct machine *m;
	struct vcpu_host host;
	struct vsim_thread *th;         /* [nr_cpus + nr_nodes] */
	int nr_cpus, nr_nodes;
	gfp_t gfp;
	struct vcpu_rng rng;
	struct vsim_result *r;
	uint64_t *lat;                  /* slow-path latencies, ps */
	size_t nr_lat, cap_lat;
	void *wl;                       /* the workload's shared state */
	const struct vsim_workload_ops *ops;
	unsigned long template_pages;   /* template: peak pages of one copy (set by its sizing) */
	struct vcpu_counters before;    /* at the measurement's start */
	long refault0;                  /* workingset refaults then */
	bool world;                     /* vt_world_init done: quiet ops may run charged */
};

/* The ops a workload issues: charged, timed, counted.  NULL / nothing on failure. */
struct page *vsim_alloc(struct vsim *s, struct vsim_thread *t, unsigned order, gfp_t gfp);
void vsim_free(struct vsim *s, struct vsim_thread *t, struct page *page, unsigned order, int alloc_cpu);
/* Move t's clock to at least ps without work (idle). */
static inline void vsim_idle_until(struct vsim_thread *t, uint64_t ps)
{
	if (t->vt.clock < ps) {
		t->idle_ps += ps - t->vt.clock;
		t->vt.clock = ps;
	}
}
/* Free a block outside the measurement (teardown): not counted (charged to a clock no
 * figure reads any more). */
void vsim_free_quiet(struct vsim *s, int cpu, struct page *page, unsigned order);
/* Make cpu the running CPU outside the measurement (teardown), as vsim_free_quiet does. */
void vsim_quiet_cpu(struct vsim *s, int cpu);
/* Start the measurement again from now (a workload's warm-up is over): counters, clocks'
 * busy time, steps, lock figures and the slow-path histograms. */
void vsim_measure_restart(struct vsim *s);
/* CPUs on the node with the most of them. */
int vsim_busiest_node_cpus(const struct vsim *s);

/* The template workload's trace, read before the machine is sized (sim_template.c). */
int vsim_template_load(struct vsim *s, char *err, size_t errlen);
void vsim_template_unload(struct vsim *s);

#endif /* VTIME_SIM_INTERNAL_H */
