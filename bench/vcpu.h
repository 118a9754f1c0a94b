/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu.h - deterministic virtual-CPU mode: one host thread plays N model CPUs.
 *
 * The thread holds CPUs 0..N-1 of a machine model (cpu_bind_many) and switches among them
 * (cpu_switch) before each operation, so every allocation and free happens "on" a chosen
 * model CPU: its per-CPU lists, its counters.  Nothing runs concurrently, so a run is a pure
 * function of the machine description and the parameters: the same seed gives bit-for-bit
 * the same counters and the same buddy free lists (bench/vcpu_test.c proves it).  That
 * makes per-CPU effects - hit rate, refill/drain traffic, pages stranded on per-CPU lists -
 * measurable at 256 CPUs on a 2-CPU host.
 *
 * Three layers, usable apart (trace replay maps each trace CPU onto a model CPU with the
 * first two):
 *   1. vcpu_host      hold N model CPUs and switch among them;
 *   2. vcpu_counters  read every counter of a machine (pcp stats, pcp pages, NR_FREE_PAGES,
 *                     vm events) into a flat struct with no padding (memcmp-comparable);
 *   3. vcpu_sim       the seeded workload: a schedule picks a CPU and a burst length, and
 *                     that CPU allocates into its own working set or frees one of its blocks,
 *                     or (a fraction of frees) one of another CPU's blocks; every
 *                     tick_interval steps a "vmstat tick" calls pcp_vmstat_tick(m), the 6.7+
 *                     high decay (a no-op under linux-4.12).
 *
 * The PRNG is xorshift64* seeded through splitmix64; rand() is never used.
 */
#ifndef BENCH_VCPU_H
#define BENCH_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

/* ---- PRNG ---------------------------------------------------------------- */

struct vcpu_rng {
	uint64_t s;             /* never 0 */
};

/* splitmix64: advances *x and returns a well-mixed value (used to seed). */
static inline uint64_t vcpu_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void vcpu_rng_seed(struct vcpu_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	r->s = vcpu_splitmix64(&x);
	if (!r->s)
		r->s = 0x2545f4914f6cdd1dull;
}

/* xorshift64* (Vigna). */
static inline uint64_t vcpu_rng_next(struct vcpu_rng *r)
{
	uint64_t x = r->s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n) for n >= 1 (multiply-high; the bias is below 2^-32 for n < 2^32). */
static inline uint64_t vcpu_rng_below(struct vcpu_rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)vcpu_rng_next(r) * n) >> 64);
}

/* ---- 1. holding and switching CPUs -------------------------------------- */

struct vcpu_host {
	struct machine *m;
	int nr_cpus;            /* holds model CPUs 0 .. nr_cpus-1 */
	int cpu;                /* the current one */
	unsigned long switches; /* cpu_switch calls that changed the CPU */
};

/* Bind the calling thread to CPUs 0..nr_cpus-1 of m (nr_cpus <= m->nr_cpus), current CPU 0.
 * Returns 0, or -1 with err set (a CPU is held by another thread, or out of range). */
int vcpu_attach(struct vcpu_host *h, struct machine *m, int nr_cpus, char *err, size_t errlen);
/* Make cpu (0 <= cpu < h->nr_cpus) the current CPU; a no-op when it already is. */
static inline void vcpu_switch(struct vcpu_host *h, int cpu)
{
	if (cpu != h->cpu) {
		cpu_switch(cpu);
		h->cpu = cpu;
		h->switches++;
	}
}
/* Release every CPU the thread holds (cpu_unbind). */
void vcpu_detach(struct vcpu_host *h);

/* ---- 2. counters ----------------------------------------------------------- */

/* Every counter of a machine, summed over zones and CPUs.  Only unsigned longs: no padding,
 * so two snapshots compare with memcmp.  No time-based counter (zone lock wait) is read. */
struct vcpu_counters {
	unsigned long pcp_stat[NR_PCP_STAT_ITEMS];      /* zone_pcp_stat, every zone */
	unsigned long pcp_pages;                        /* zone_pcp_count, every zone: pages on pcp lists */
	unsigned long pcp_pages_max_cpu;                /* the most pages on one CPU's lists (all zones) */
	unsigned long pcp_high;                         /* sum of pcp->high over CPUs and zones */
	unsigned long free_pages;                       /* NR_FREE_PAGES (exact: totals plus CPU deltas) */
	unsigned long vm_events[NR_VM_EVENT_ITEMS];     /* all_vm_events */
};

/* Read them (quiesced machine, or racy). */
void vcpu_read_counters(struct machine *m, struct vcpu_counters *c);
/* d = b - a for the cumulative counters (pcp_stat, vm_events); the levels (pcp_pages,
 * pcp_pages_max_cpu, pcp_high, free_pages) are b's. */
void vcpu_counters_delta(struct vcpu_counters *d, const struct vcpu_counters *a, const struct vcpu_counters *b);
/* Ratios over a delta, as pagealloc_bench defines them (0 when the denominator is 0). */
double vcpu_pcp_hit_rate(const struct vcpu_counters *d);
double vcpu_refill_pages_per_1k_allocs(const struct vcpu_counters *d, unsigned long allocs);
double vcpu_drain_pages_per_1k_frees(const struct vcpu_counters *d, unsigned long frees);

/* ---- 3. the seeded workload -------------------------------------------------- */

#define VCPU_NR_ORDERS  4       /* orders 0..3 (PAGE_ALLOC_COSTLY_ORDER) */

struct vcpu_params {
	uint64_t seed;
	unsigned long steps;            /* operations in all (each is one alloc or one free) */
	int nr_cpus;                    /* model CPUs 0..nr_cpus-1 play */
	unsigned working_set;           /* blocks one CPU holds at most (its own allocations) */
	unsigned alloc_permille;        /* a CPU with 0 < held < working_set allocates with this chance */
	unsigned remote_free_permille;  /* of frees: free a random other CPU's block instead */
	unsigned order_weight[VCPU_NR_ORDERS]; /* relative weights of orders 0..3 */
	unsigned burst_max;             /* the scheduled CPU runs 1..burst_max steps in a row */
	unsigned long tick_interval;    /* steps between vmstat ticks (pcp_vmstat_tick); 0: none */
	gfp_t gfp;                      /* GFP_KERNEL */
};

/* Defaults: seed 1, 8 CPUs x 20,000 steps, working set 256, alloc 500, remote 100,
 * orders 900/40/30/30, bursts 1..16, a tick every 1,000 steps per CPU (nr_cpus x 1,000). */
void vcpu_params_default(struct vcpu_params *p);

/* What a run did and the machine's counters before and after (absolute; take the delta
 * with vcpu_counters_delta).  Only unsigned longs: compare runs with memcmp. */
struct vcpu_result {
	struct vcpu_counters before, after;
	unsigned long steps, allocs, frees;
	unsigned long remote_frees;     /* frees of a block another CPU allocated */
	unsigned long alloc_failures;   /* alloc_pages returned NULL */
	unsigned long ticks;
	unsigned long switches;
	unsigned long allocs_by_order[VCPU_NR_ORDERS];
	unsigned long pages_allocated, pages_freed;
	unsigned long held_blocks, held_pages;  /* in working sets at the end */
	unsigned long max_held_pages;
};

struct vcpu_sim;

/* Attach to CPUs 0..p->nr_cpus-1 of m and take the "before" counters.  NULL with err set
 * when the parameters are invalid or the CPUs cannot be bound. */
struct vcpu_sim *vcpu_sim_create(struct machine *m, const struct vcpu_params *p, char *err, size_t errlen);
/* Run up to n more steps (stops at p->steps); returns the steps done in all. */
unsigned long vcpu_sim_step(struct vcpu_sim *s, unsigned long n);
/* Fill r (the "after" counters are read now). */
void vcpu_sim_result(struct vcpu_sim *s, struct vcpu_result *r);
/* The host, for callers that want to switch or read per-CPU state themselves. */
struct vcpu_host *vcpu_sim_host(struct vcpu_sim *s);
/* Free every block still held, each from the CPU that allocated it, detach, free s. */
void vcpu_sim_destroy(struct vcpu_sim *s);

/* create + all steps + result + destroy.  0, or -1 with err set. */
int vcpu_run(struct machine *m, const struct vcpu_params *p, struct vcpu_result *r, char *err, size_t errlen);

/* A machine for a vCPU run: base (NULL: the built-in default) with nr_cpus CPUs and the
 * given policy and scheme.  NULL with err set. */
struct machine *vcpu_machine_create(const struct machine_desc *base, int nr_cpus, enum pcp_policy_id policy,
				    enum pcp_scheme_id scheme, char *err, size_t errlen);

/* FNV-1a 64 of the machine's /proc/buddyinfo text (show_buddyinfo). */
uint64_t vcpu_buddyinfo_hash(struct machine *m);

#endif /* BENCH_VCPU_H */
