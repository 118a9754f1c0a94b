// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_test - the virtual-CPU mode is deterministic and keeps the machine consistent.
 *
 * Each case builds fresh 512 MiB machines (8 CPUs) and runs the seeded workload of
 * bench/vcpu.h on them, for both pcp policies.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/testing.h"
#include "bench/vcpu.h"

#define T_CPUS  8

static struct machine *v_machine(enum pcp_policy_id policy)
{
	struct machine_desc d;
	char err[512];

	machine_desc_default(&d);
	if (machine_desc_set(&d, "mem", "512M", err, sizeof(err))) {
		fprintf(stderr, "  machine_desc_set: %s\n", err);
		exit(2);
	}
	struct machine *m = vcpu_machine_create(&d, T_CPUS, policy, PCP_SCHEME_OWNER, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "  vcpu_machine_create: %s\n", err);
		exit(2);
	}
	return m;
}

static void v_params(struct vcpu_params *p, uint64_t seed)
{
	vcpu_params_default(p);
	p->seed = seed;
	p->nr_cpus = T_CPUS;
	p->steps = 6000ul * T_CPUS;
	p->working_set = 128;
	p->remote_free_permille = 200;
	p->tick_interval = 500ul * T_CPUS;
}


struct v_run {
	struct vcpu_result r;
	uint64_t buddyinfo_mid;         /* with the working sets still held */
	uint64_t buddyinfo_end;         /* after everything was freed */
};

/* One run on a fresh machine, stepped in chunks of `chunk` (0: all at once); the machine is
 * checked at the end. */
static void v_run(enum pcp_policy_id policy, const struct vcpu_params *p, unsigned long chunk, struct v_run *out)
{
	char err[512];
	struct machine *m = v_machine(policy);

	memset(out, 0, sizeof(*out));
	struct vcpu_sim *s = vcpu_sim_create(m, p, err, sizeof(err));
	CHECK(s != NULL);
	if (!s) {
		fprintf(stderr, "  vcpu_sim_create: %s\n", err);
		machine_destroy(m);
		return;
	}
	if (chunk)
		while (vcpu_sim_step(s, chunk) < p->steps)
			;
	else
		CHECK_EQ(vcpu_sim_step(s, p->steps), p->steps);
	vcpu_sim_result(s, &out->r);
	out->buddyinfo_mid = vcpu_buddyinfo_hash(m);
	vcpu_sim_destroy(s);
	out->buddyinfo_end = vcpu_buddyinfo_hash(m);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/*
 * Same seed, same parameters, two fresh machines.
 * Expect: the result structs are identical byte for byte, and so are the buddyinfo texts.
 */
static void same_seed_same_counters(enum pcp_policy_id policy)
{
	struct vcpu_params p;
	struct v_run a, b;

	v_params(&p, 42);
	v_run(policy, &p, 0, &a);
	v_run(policy, &p, 0, &b);
	CHECK(memcmp(&a.r, &b.r, sizeof(a.r)) == 0);
	CHECK_EQ(a.buddyinfo_mid, b.buddyinfo_mid);
	CHECK_EQ(a.buddyinfo_end, b.buddyinfo_end);
	/* the run did something worth comparing */
	CHECK_EQ(a.r.steps, p.steps);
	CHECK(a.r.allocs > p.steps / 3);
	CHECK(a.r.remote_frees > 0);
	CHECK(a.r.allocs_by_order[3] > 0);
	CHECK(a.r.after.pcp_stat[PCP_STAT_HIT] > a.r.before.pcp_stat[PCP_STAT_HIT]);
}
static void same_seed_same_counters_linux_4_12(void) { same_seed_same_counters(PCP_POLICY_LINUX_4_12); }
static void same_seed_same_counters_linux_6_x(void) { same_seed_same_counters(PCP_POLICY_LINUX_6_X); }

/*
 * Seeds 42 and 43.
 * Expect: the result structs differ (and so do the operation counts).
 */
static void different_seed_different_counters(enum pcp_policy_id policy)
{
	struct vcpu_params p, q;
	struct v_run a, b;

	v_params(&p, 42);
	v_params(&q, 43);
	v_run(policy, &p, 0, &a);
	v_run(policy, &q, 0, &b);
	CHECK(memcmp(&a.r, &b.r, sizeof(a.r)) != 0);
	CHECK(memcmp(&a.r.after, &b.r.after, sizeof(a.r.after)) != 0);
	CHECK(a.r.allocs != b.r.allocs || a.r.remote_frees != b.r.remote_frees || a.r.switches != b.r.switches);
}
static void different_seed_different_counters_linux_4_12(void) { different_seed_different_counters(PCP_POLICY_LINUX_4_12); }
static void different_seed_different_counters_linux_6_x(void) { different_seed_different_counters(PCP_POLICY_LINUX_6_X); }

/*
 * The same run stepped 777 steps at a time (as a trace replayer would feed it).
 * Expect: the same result as one vcpu_sim_step call for all steps.
 */
static void stepwise_equals_whole(void)
{
	struct vcpu_params p;
	struct v_run a, b;

	v_params(&p, 7);
	v_run(PCP_POLICY_LINUX_6_X, &p, 0, &a);
	v_run(PCP_POLICY_LINUX_6_X, &p, 777, &b);
	CHECK(memcmp(&a.r, &b.r, sizeof(a.r)) == 0);
	CHECK_EQ(a.buddyinfo_mid, b.buddyinfo_mid);
}

/*
 * Conservation: every page is on the buddy (NR_FREE_PAGES), on a pcp list, or in a working
 * set; after vcpu_sim_destroy and drain_all_pages every page is free again; every CPU took
 * part; the counts add up.
 */
static void pages_add_up(enum pcp_policy_id policy)
{
	struct vcpu_params p;
	struct vcpu_result r;
	char err[512];
	struct machine *m = v_machine(policy);

	v_params(&p, 5);
	struct vcpu_sim *s = vcpu_sim_create(m, &p, err, sizeof(err));
	CHECK(s != NULL);
	if (!s) {
		machine_destroy(m);
		return;
	}
	vcpu_sim_step(s, p.steps);
	vcpu_sim_result(s, &r);
	CHECK_EQ(r.before.pcp_pages, 0);
	CHECK_EQ(r.after.free_pages + r.after.pcp_pages + r.held_pages, r.before.free_pages);
	CHECK_EQ(r.allocs, r.allocs_by_order[0] + r.allocs_by_order[1] + r.allocs_by_order[2] + r.allocs_by_order[3]);
	CHECK_EQ(r.allocs + r.frees + r.alloc_failures, r.steps);
	CHECK_EQ(r.allocs - r.frees, r.held_blocks);
	CHECK_EQ(r.alloc_failures, 0);
	CHECK_EQ(r.ticks, p.steps / p.tick_interval);
	CHECK(r.max_held_pages >= r.held_pages);
	CHECK(r.after.pcp_pages_max_cpu <= r.after.pcp_pages);
	struct zone *normal = &m->node_data[0]->node_zones[ZONE_NORMAL];
	struct zone *dma32 = &m->node_data[0]->node_zones[ZONE_DMA32];
	for (int cpu = 0; cpu < T_CPUS; cpu++) {
		struct zone *z = normal->pageset && managed_zone(normal) ? normal : dma32;
		CHECK(zone_pageset(z, cpu)->pcp_stat[PCP_STAT_ALLOC] > 0);
		CHECK(m->cpus[cpu].vm_events[PGFREE] > 0);
	}
	/* the vm events agree with the engine */
	struct vcpu_counters d;
	vcpu_counters_delta(&d, &r.before, &r.after);
	CHECK_EQ(d.vm_events[PGFREE], r.pages_freed);
	CHECK_EQ(d.vm_events[PGALLOC_DMA] + d.vm_events[PGALLOC_DMA32] + d.vm_events[PGALLOC_NORMAL] +
			 d.vm_events[PGALLOC_MOVABLE],
		 r.pages_allocated);
	CHECK_EQ(r.pages_allocated - r.pages_freed, r.held_pages);
	CHECK(vcpu_pcp_hit_rate(&d) > 0.5 && vcpu_pcp_hit_rate(&d) <= 1.0);
	vcpu_sim_destroy(s);
	drain_all_pages(m, NULL);
	struct vcpu_counters end;
	vcpu_read_counters(m, &end);
	CHECK_EQ(end.pcp_pages, 0);
	CHECK_EQ(end.free_pages, r.before.free_pages);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}
static void pages_add_up_linux_4_12(void) { pages_add_up(PCP_POLICY_LINUX_4_12); }
static void pages_add_up_linux_6_x(void) { pages_add_up(PCP_POLICY_LINUX_6_X); }

/*
 * The 6.x vmstat tick decays pcp->high: with ticks the ceiling at the end is lower than (or
 * equal to) the one without, and the runs differ.
 * Expect: results differ; sum of high with ticks <= without.
 */
static void tick_decays_high_linux_6_x(void)
{
	struct vcpu_params p, q;
	struct v_run a, b;

	v_params(&p, 11);
	q = p;
	q.tick_interval = 0;
	p.tick_interval = 50;
	v_run(PCP_POLICY_LINUX_6_X, &p, 0, &a);
	v_run(PCP_POLICY_LINUX_6_X, &q, 0, &b);
	CHECK(a.r.ticks > 0);
	CHECK_EQ(b.r.ticks, 0);
	CHECK(memcmp(&a.r.after, &b.r.after, sizeof(a.r.after)) != 0);
	CHECK(a.r.after.pcp_high <= b.r.after.pcp_high);
}

/*
 * Bad parameters and a CPU held by another binding are refused with a message.
 */
static void bad_params_refused(void)
{
	struct vcpu_params p;
	char err[256] = "";
	struct machine *m = v_machine(PCP_POLICY_LINUX_4_12);

	v_params(&p, 1);
	p.nr_cpus = T_CPUS + 1;
	CHECK(vcpu_sim_create(m, &p, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "nr_cpus") != NULL);
	v_params(&p, 1);
	p.working_set = 0;
	CHECK(vcpu_sim_create(m, &p, err, sizeof(err)) == NULL);
	v_params(&p, 1);
	memset(p.order_weight, 0, sizeof(p.order_weight));
	CHECK(vcpu_sim_create(m, &p, err, sizeof(err)) == NULL);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/* The PRNG: fixed outputs for a fixed seed (so a change of generator is noticed), and
 * vcpu_rng_below stays in range. */
static void rng_is_fixed(void)
{
	struct vcpu_rng r, q;
	uint64_t first[3];

	vcpu_rng_seed(&r, 1);
	vcpu_rng_seed(&q, 1);
	for (int i = 0; i < 3; i++) {
		first[i] = vcpu_rng_next(&r);
		CHECK_EQ(first[i], vcpu_rng_next(&q));
	}
	CHECK(first[0] != first[1] && first[1] != first[2]);
	vcpu_rng_seed(&q, 2);
	CHECK(vcpu_rng_next(&q) != first[0]);
	for (int i = 0; i < 100000; i++) {
		uint64_t x = vcpu_rng_below(&r, 7);
		if (x >= 7) {
			CHECK(x < 7);
			break;
		}
	}
	uint64_t sm = 0;
	CHECK_EQ(vcpu_splitmix64(&sm), 0xe220a8397b1dcdafull);   /* splitmix64's first output from 0 */
}

int main(void)
{
	RUN(rng_is_fixed);
	RUN(same_seed_same_counters_linux_4_12);
	RUN(same_seed_same_counters_linux_6_x);
	RUN(different_seed_different_counters_linux_4_12);
	RUN(different_seed_different_counters_linux_6_x);
	RUN(stepwise_equals_whole);
	RUN(pages_add_up_linux_4_12);
	RUN(pages_add_up_linux_6_x);
	RUN(tick_decays_high_linux_6_x);
	RUN(bad_params_refused);
	TEST_SUMMARY();
}
