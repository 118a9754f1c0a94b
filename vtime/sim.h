/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim.h - the many-core simulator: N virtual CPUs on a described topology run a workload
 * through the real allocator (the vtime flavour, alloc/vtime.h), one operation at a time in
 * virtual-time order, each CPU with its own clock.  Deterministic: the same parameters give
 * bit-identical results on any host (vtime/README.md).
 *
 * Glossary
 *   thread     a model CPU (ids 0..N-1) or a node's kswapd (N + nid): a clock and a heap slot.
 *   op         one allocator call: alloc_pages or __free_pages.  It runs whole, at its CPU's
 *              clock, which then advances by what the op's steps cost (and lock waits).
 *   busy time  a CPU's clock minus its idle time (barriers, trace gaps): charged + waited.
 *   workload   a row of the workload table (sim_workloads.c): per-CPU state and a next-op
 *              function; a phase ends at a barrier, where every clock moves to the latest.
 */
#ifndef VTIME_SIM_H
#define VTIME_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "alloc/machine.h"
#include "alloc/reclaim.h"
#include "bench/pressure_workload.h"
#include "vtime/costs.h"

/* X(id, name, what) */
#define VSIM_WORKLOADS(X)                                                                            \
	X(REPEAT, "repeat", "each CPU allocates a block and frees it, over and over (LLFree's repeat)")  \
	X(BULK, "bulk", "each CPU allocates its blocks, a barrier, then frees them all (LLFree's bulk)") \
	X(RAND, "rand", "as bulk, but the blocks are shuffled across CPUs before the frees (LLFree's rand)") \
	X(PAGE_FAULT, "page-fault", "order-0 movable pages up to a per-CPU working set, then all freed (will-it-scale page_fault1)") \
	X(REMOTE, "remote", "CPU c allocates, CPU c+1 frees what c allocated (producer/consumer ring)") \
	X(TEMPLATE, "template", "a captured trace's per-CPU streams, replicated onto the CPUs (--template TRACE)") \
	X(PRESSURE_FILE_STREAM, "pressure-file-stream", "each CPU streams its file, 1.5 x memory in all (page cache reclaim)") \
	X(PRESSURE_ANON_OVERCOMMIT, "pressure-anon-overcommit", "each CPU a task, 1.25 x memory in all, 80 % hot (swap, refaults)") \
	X(PRESSURE_MIXED, "pressure-mixed", "tasks and files: touches, reads and writes (swap, dirty pages, writeback)") \
	X(PRESSURE_THP_BURST, "pressure-thp-burst", "order-9 bursts among a file stream and pinned anon pages (compaction)")

enum vsim_workload {
#define VSIM_WL_ENUM(id, name, what) VSIM_##id,
	VSIM_WORKLOADS(VSIM_WL_ENUM)
#undef VSIM_WL_ENUM
	NR_VSIM_WORKLOADS
};
extern const char *const vsim_workload_name[NR_VSIM_WORKLOADS];
extern const char *const vsim_workload_what[NR_VSIM_WORKLOADS];
/* By name: the workload, or -1. */
int vsim_workload_by_name(const char *name);
/* The pressure workloads (bench/pressure_workload.h's, in its order): tasks and files on a
 * machine they overcommit, each op one access (vtime/sim_pressure.c). */
static inline bool vsim_workload_is_pressure(enum vsim_workload w)
{
	return w >= VSIM_PRESSURE_FILE_STREAM && w <= VSIM_PRESSURE_THP_BURST;
}

struct vsim_params {
	enum pcp_policy_id policy;
	enum pcp_scheme_id scheme;
	enum vsim_workload workload;
	unsigned order;                 /* repeat, bulk, rand, remote */
	int nr_cpus;                    /* CPUs that run the workload: 0..nr_cpus-1 */
	struct vt_topology topology;    /* sockets 0: one socket of nr_cpus cores, one node */
	struct vt_costs costs;
	uint64_t seed;
	unsigned long blocks;           /* per CPU: bulk/rand blocks, repeat pairs, remote blocks, pressure
					 * accesses measured; 0: default */
	unsigned long working_set;      /* page-fault: pages per CPU; 0: 32768 (128 MiB) */
	unsigned rounds;                /* page-fault: fill-and-free rounds; 0: 1 */
	const char *template_path;      /* template: the trace */
	const struct machine_desc *base;/* machine options (sysctls, scheme ...); NULL: the default */
	unsigned long mem_per_node;     /* bytes; 0: what the workload needs, computed (pressure: 32 MiB
					 * per CPU of the busiest node, at least 256 MiB) */
	bool thisnode;                  /* repeat, bulk, rand: __GFP_THISNODE (LLFree's module's); false refused elsewhere */
};

/* Defaults: linux-6.18 owner, bulk order 0, 1 CPU, seed 1, thisnode, the workloads' own sizes
 * (0). A size or flag the workload does not read is refused by vsim_run, never ignored. */
void vsim_params_default(struct vsim_params *p);

/* The kernel's reclaim figures over the measured ops (every workload; pressure's are not 0). */
struct vsim_reclaim {
	unsigned long allocs;           /* alloc_pages calls (the model's pgalloc_calls) */
	double slowpath_entries_per_1k_allocs;
	double allocstall_per_1k_allocs;
	double workingset_refault_per_1k_allocs;        /* anon + file */
	double per1k[NR_PRESSURE_PER1K];                /* pressure_per1k[i].name, per 1000 allocs */
	struct {
		unsigned long count;
		double p50_ns, p99_ns, p999_ns, max_ns; /* virtual time, the slow path's histogram */
	} outcome[NR_SLOWPATH_OUTCOMES + 1];            /* slowpath_outcome_names[]; [NR]: all */
};

struct vsim_result {
	int cpus;
	char topology[24];
	unsigned long ops, allocs, frees, alloc_failures;
	unsigned long remote_frees;     /* frees on a CPU other than the allocating one */
	uint64_t makespan_ps;           /* the latest CPU clock at the end */
	uint64_t busy_ps;               /* sum over CPUs: charged + waited */
	uint64_t wait_ps;               /* of busy: queued for zone->lock */
	uint64_t charged_ps;            /* of busy: sum of steps x costs */
	uint64_t alloc_ps, free_ps;     /* busy time inside alloc and free ops */
	uint64_t access_ps;             /* pressure: busy time inside accesses (their allocations, reclaim, I/O waits) */
	uint64_t steps[VT_NR_STEPS];    /* over CPUs and kswapds */
	uint64_t lock_acquisitions, lock_contended, pcp_trylock_fails;
	unsigned long kswapd_runs;
	unsigned long mem_bytes;        /* the machine's memory (max_pfn pages) */
	int min_free_kbytes;            /* vm.min_free_kbytes in force: given, or from memory */
	double ns_per_op;               /* busy / ops */
	double alloc_ns, free_ns;       /* per alloc, per free */
	double zone_lock_share;         /* wait / busy */
	double zone_lock_acquisitions_per_1k_allocs;
	double refill_pages_per_1k_allocs, drain_pages_per_1k_frees;
	double pcp_hit_rate;
	unsigned long stranded_pages;   /* on pcp lists at the end */
	unsigned long slowpath_allocs;
	double slowpath_p50_ns, slowpath_p99_ns, slowpath_p999_ns, slowpath_max_ns;
	double host_seconds;            /* the run's loop, host wall time */
	double ops_per_host_second;
	uint64_t digest;                /* FNV-1a of the machine's buddyinfo and every clock: one number to compare */
	struct vsim_reclaim reclaim;
};

/* The parameters alone (what vsim_run checks first): 0, or -1 with err naming what is wrong. */
int vsim_check(const struct vsim_params *p, char *err, size_t errlen);
/* Run one simulation.  0, or -1 with err naming what was wrong. */
int vsim_run(const struct vsim_params *p, struct vsim_result *r, char *err, size_t errlen);

/* One line of JSON (no newline): every field of r, plus policy/scheme/workload; the reclaim
 * figures as an object "reclaim". */
void vsim_result_json(const struct vsim_params *p, const struct vsim_result *r, char *buf, size_t len);

#endif /* VTIME_SIM_H */
