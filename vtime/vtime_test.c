// SPDX-License-Identifier: GPL-2.0
/*
 * vtime_test.c - the virtual-time simulator: determinism, the queued zone->lock in virtual
 * time, the clock's bookkeeping, contention's growth, cost files, the pcp trylock against a
 * remote holder, and the workloads' own promises.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "vtime/costs.h"
#include "vtime/sim.h"

/* Round numbers, so that expected times can be worked out by hand. */
static const char small_costs[] =
	"# a test table\n"
	"cache_window = 50000\n"
	"alloc_call = 5\nfree_call = 5\nwatermark = 2\nzonelist_zone = 3\npcp_alloc = 10\npcp_free = 10\n"
	"refill_block = 5\ndrain_block = 5\nbuddy_del = 4\nbuddy_add = 4\nbuddy_test = 2\ncheck_page = 1\n"
	"zone_lock = 20\nlock_handoff = 10\nline_socket = 50\nline_remote = 120\nline_memory = 90\n"
	"stat_fold = 8\nslowpath = 100\nreclaim_page = 50\ncompact_page = 20\nzero_page = 200\n";

static struct vt_costs costs(void)
{
	struct vt_cost_file f;
	char err[256];

	if (vt_costs_parse(&f, small_costs, "small", err, sizeof(err))) {
		fprintf(stderr, "small costs: %s\n", err);
		exit(2);
	}
	return f.costs;
}

static struct vsim_params params(enum vsim_workload w, int cpus)
{
	struct vsim_params p;

	vsim_params_default(&p);
	p.workload = w;
	p.nr_cpus = cpus;
	p.costs = costs();
	if (w == VSIM_PAGE_FAULT)
		p.working_set = 4000;
	else if (w != VSIM_TEMPLATE)
		p.blocks = 4000;
	p.mem_per_node = 256UL << 20;
	return p;
}

static int run(const struct vsim_params *p, struct vsim_result *r)
{
	char err[512];

	if (vsim_run(p, r, err, sizeof(err))) {
		fprintf(stderr, "  vsim_run: %s\n", err);
		return -1;
	}
	r->host_seconds = 0;            /* the only fields a host may change */
	r->ops_per_host_second = 0;
	return 0;
}

/*
 * The same parameters twice, on one host thread: every field of the result, clocks and
 * buddyinfo digest included, is the same bit for bit; another seed moves rand's.
 *
 * Expect: memcmp(first, second) == 0 for each workload at 4 CPUs; rand's digest differs
 * between seeds 1 and 2.
 */
static void same_seed_same_rows(void)
{
	static const enum vsim_workload wls[] = { VSIM_REPEAT, VSIM_BULK, VSIM_RAND, VSIM_PAGE_FAULT, VSIM_REMOTE };

	for (size_t i = 0; i < sizeof(wls) / sizeof(*wls); i++) {
		struct vsim_params p = params(wls[i], 4);
		p.scheme = PCP_SCHEME_TRYLOCK;
		struct vsim_result a, b;
		CHECK(!run(&p, &a) && !run(&p, &b));
		CHECK(!memcmp(&a, &b, sizeof(a)));
		CHECK(a.ops > 0);
	}
	struct vsim_params p = params(VSIM_RAND, 4);
	struct vsim_result a, b;
	CHECK(!run(&p, &a));
	p.seed = 2;
	CHECK(!run(&p, &b));
	CHECK(a.digest != b.digest);
}

/*
 * zone->lock in virtual time, scripted: three CPUs ask for it while CPU 0 holds it; each is
 * granted at the release before it plus lock_handoff (10 ns), in the order they asked (the
 * scheduler runs the earliest clock first, so requests come in the order of their times).
 *
 *   ns    0        100 110      160 170    200 210    240   250
 *   cpu0  [hold 100)                                        [hold 10, at once]
 *   cpu1    ^10       [hold 50 )
 *   cpu2     ^20                   [hold 30)
 *   cpu3      ^30                             [hold 30)
 *
 * Expect: grants at 0, 110, 170, 210 (FIFO), then 250 with no wait; 3 of 5 contended.
 */
static void zone_lock_hands_off_in_fifo_order(void)
{
	struct machine *m = t_machine_flat(0, 65536, 4, PCP_POLICY_LINUX_6_18, 0);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];
	struct vt_costs c = costs();
	uint16_t sockets[5] = { 0 };
	struct vt_cpu cpu[5];
	char err[256];

	if (!populated_zone(z))
		z = &m->node_data[0]->node_zones[ZONE_DMA32];
	c.ps[VT_ZONE_LOCK] = 0;
	c.ps[VT_LINE_SOCKET] = 0;
	CHECK(!vt_world_init(m, sockets, 4, 5, &c, err, sizeof(err)));
	memset(cpu, 0, sizeof(cpu));
	for (int i = 0; i < 5; i++)
		cpu[i].id = (uint16_t)i;
	static const struct {
		int cpu;
		uint64_t ask, hold, grant;
	} script[] = {
		{ 0, 0, 100, 0 }, { 1, 10, 50, 110 }, { 2, 20, 30, 170 }, { 3, 30, 30, 210 }, { 0, 250, 10, 250 },
	};
	for (size_t i = 0; i < sizeof(script) / sizeof(*script); i++) {
		struct vt_cpu *me = &cpu[script[i].cpu];
		me->clock = script[i].ask * 1000;
		vt_world_set_now(me->clock);
		vt_current = me;
		vt_zone_lock(z);
		CHECK_EQ(me->clock, script[i].grant * 1000);
		me->clock += script[i].hold * 1000;
		vt_zone_unlock(z);
		vt_current = NULL;
	}
	CHECK_EQ(cpu[0].lock_contended + cpu[1].lock_contended + cpu[2].lock_contended + cpu[3].lock_contended, 3);
	CHECK_EQ(cpu[1].wait_ps, (110 - 10) * 1000);
	CHECK_EQ(cpu[3].wait_ps, (210 - 30) * 1000);
	CHECK_EQ(cpu[0].wait_ps, 0);
	vt_world_exit();
	machine_destroy(m);
}

/*
 * One CPU never waits and meets no other CPU's line: its clock is exactly the sum of the
 * steps it was charged, each count times its cost.
 *
 * Expect, for every workload: wait 0, no contended acquisition, busy == charged ==
 * sum(steps[k] * cost[k]).
 */
static void one_cpu_time_is_the_sum_of_its_charges(void)
{
	static const enum vsim_workload wls[] = { VSIM_REPEAT, VSIM_BULK, VSIM_RAND, VSIM_PAGE_FAULT, VSIM_REMOTE };
	struct vt_costs c = costs();

	for (size_t i = 0; i < sizeof(wls) / sizeof(*wls); i++) {
		struct vsim_params p = params(wls[i], 1);
		struct vsim_result r;
		CHECK(!run(&p, &r));
		uint64_t sum = 0;
		for (int k = 0; k < VT_NR_STEPS; k++)
			sum += r.steps[k] * c.ps[k];
		CHECK_EQ(r.wait_ps, 0);
		CHECK_EQ(r.lock_contended, 0);
		CHECK_EQ(r.steps[VT_LINE_SOCKET] + r.steps[VT_LINE_REMOTE], 0);
		CHECK_EQ(r.charged_ps, sum);
		CHECK_EQ(r.busy_ps, sum);
		CHECK(r.steps[VT_PCP_ALLOC] > 0 && r.steps[VT_ZONE_LOCK] > 0);
	}
}

/*
 * bulk: every CPU's refills and drains take the one zone->lock; the more CPUs, the larger
 * the share of their time spent queued for it.
 *
 * Expect: share 0 at 1 CPU, then strictly growing at 2, 4 and 8; ns/op growing with it.
 */
static void contention_grows_with_cpus_on_bulk(void)
{
	static const int n[] = { 1, 2, 4, 8 };
	double share[4], ns[4];

	for (int i = 0; i < 4; i++) {
		struct vsim_params p = params(VSIM_BULK, n[i]);
		struct vsim_result r;
		CHECK(!run(&p, &r));
		share[i] = r.zone_lock_share;
		ns[i] = r.ns_per_op;
	}
	CHECK(share[0] == 0);
	for (int i = 1; i < 4; i++) {
		CHECK(share[i] > share[i - 1]);
		CHECK(ns[i] > ns[i - 1]);
	}
}

/*
 * repeat never leaves the pcp lists after its first refill: flat with CPUs.
 *
 * Expect: ns/op at 8 CPUs within 1 % of 1 CPU's.
 */
static void repeat_stays_flat(void)
{
	struct vsim_params p = params(VSIM_REPEAT, 1);
	struct vsim_result a, b;

	p.blocks = 40000;       /* the first refills, all at once, are the only contention */
	CHECK(!run(&p, &a));
	p.nr_cpus = 8;
	CHECK(!run(&p, &b));
	CHECK(b.ns_per_op < a.ns_per_op * 1.01 && b.ns_per_op > a.ns_per_op * 0.99);
}

/* Expect: each bad cost file refused with a message naming its key (and line). */
static void bad_cost_files_name_the_key(void)
{
	struct vt_cost_file f;
	char err[512], text[4096];
	static const struct {
		const char *from, *to, *msg;
	} cases[] = {
		{ "watermark = 2\n", "", "small: no value for key 'watermark'" },
		{ "watermark = 2\n", "watermark = fast\n", "small:5: key 'watermark': 'fast' is not a number" },
		{ "watermark = 2\n", "watermark = -2\n", "small:5: key 'watermark': '-2' is not a number" },
		{ "watermark = 2\n", "watermark = 2\nwatermark = 3\n", "small:6: key 'watermark': given twice" },
		{ "watermark = 2\n", "watermark = 2\nwatermarks = 3\n", "small:6: unknown key 'watermarks'" },
		{ "watermark = 2\n", "watermark 2\n", "small:5: 'watermark 2': expected key = value" },
		{ "cache_window = 50000\n", "", "small: no value for key 'cache_window'" },
		{ "# a test table\n", "topology = 2x\n", "small:1: key 'topology': topology '2x'" },
		{ "# a test table\n", "topology = 2x26x4\n", "small:1: key 'topology': topology '2x26x4': 4 nodes per socket do not divide 26" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *at = strstr(small_costs, cases[i].from);
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - small_costs), small_costs, cases[i].to,
			 at + strlen(cases[i].from));
		err[0] = 0;
		CHECK(vt_costs_parse(&f, text, "small", err, sizeof(err)) == -1);
		if (strncmp(err, cases[i].msg, strlen(cases[i].msg)))
			fprintf(stderr, "  case %zu: got \"%s\"\n", i, err);
		CHECK(!strncmp(err, cases[i].msg, strlen(cases[i].msg)));
	}
	CHECK(vt_costs_read(&f, "/nonexistent/costs", err, sizeof(err)) == -1);
	CHECK(strstr(err, "/nonexistent/costs") != NULL);
	CHECK(!vt_costs_parse(&f, small_costs, "small", err, sizeof(err)));
	CHECK_EQ(f.costs.ps[VT_ZERO_PAGE], 200000);
	CHECK_EQ(f.costs.window_ps, 50000000);
}

/*
 * The pcp trylock fails in virtual time while another CPU holds that pcp (a remote drain),
 * though the host thread holds nothing: the allocation then goes to the buddy, as the
 * kernel's does when pcp_spin_trylock fails.
 *
 *   cpu1: vt_pcp_remote(cpu0's pcp) over [1000, 2000) ns
 *   cpu0: alloc at 1500 -> bypass (buddy);  alloc at 2500 -> pcp
 *
 * Expect: the first allocation's two pcp attempts fail (inline and rmqueue_pcplist), it is
 * counted PCP_STAT_BYPASS; the second is a pcp hit.
 */
static void pcp_trylock_fails_while_a_remote_cpu_holds_it(void)
{
	struct machine_desc d;
	t_desc_flat(&d, 0, 65536, 2);
	d.policy = PCP_POLICY_LINUX_6_18;
	d.scheme = PCP_SCHEME_TRYLOCK;
	struct machine *m = t_machine(&d);
	struct zone *z = NULL;
	struct vt_costs c = costs();
	uint16_t sockets[3] = { 0 };
	struct vt_cpu cpu[3];
	char err[256];

	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (populated_zone(&m->node_data[0]->node_zones[i]))
			z = &m->node_data[0]->node_zones[i];
	CHECK(!vt_world_init(m, sockets, 2, 3, &c, err, sizeof(err)));
	memset(cpu, 0, sizeof(cpu));
	cpu[0].id = 0;
	cpu[1].id = 1;
	int both[2] = { 0, 1 };
	CHECK(!cpu_bind_many(m, both, 2));
	cpu_switch(0);
	struct page *warm = alloc_pages(GFP_KERNEL, 0);    /* fills cpu0's list */
	__free_pages(warm, 0);

	cpu_switch(1);
	cpu[1].clock = 1000 * 1000;
	vt_current = &cpu[1];
	vt_pcp_remote(z, 0, true);
	cpu[1].clock = 2000 * 1000;
	vt_pcp_remote(z, 0, false);

	cpu_switch(0);
	unsigned long bypass = zone_pcp_stat(z, PCP_STAT_BYPASS), hits = zone_pcp_stat(z, PCP_STAT_HIT);
	cpu[0].clock = 1500 * 1000;
	vt_current = &cpu[0];
	struct page *a = alloc_pages(GFP_KERNEL, 0);
	CHECK(a != NULL);
	CHECK_EQ(cpu[0].pcp_trylock_fails, 2);  /* the inline attempt, then rmqueue_pcplist's */
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_BYPASS), bypass + 1);
	cpu[0].clock = 2500 * 1000;
	struct page *b = alloc_pages(GFP_KERNEL, 0);
	CHECK(b != NULL);
	CHECK_EQ(cpu[0].pcp_trylock_fails, 2);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_HIT), hits + 1);
	vt_current = NULL;
	__free_pages(a, 0);
	__free_pages(b, 0);
	vt_world_exit();
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * remote: CPU c frees what CPU c-1 allocated. At 1 CPU it feeds itself.
 *
 * Expect: at 4 CPUs every free is remote and frees == allocations; at 1 none is.
 */
static void remote_frees_are_remote(void)
{
	struct vsim_params p = params(VSIM_REMOTE, 4);
	struct vsim_result r;

	CHECK(!run(&p, &r));
	CHECK_EQ(r.remote_frees, r.frees);
	CHECK_EQ(r.frees, r.allocs);
	CHECK_EQ(r.allocs, 4 * p.blocks);
	p.nr_cpus = 1;
	CHECK(!run(&p, &r));
	CHECK_EQ(r.remote_frees, 0);
	CHECK_EQ(r.frees, p.blocks);
}

/*
 * A trace as a template: each copy of its per-CPU streams does what the trace did, so two
 * copies allocate and free exactly twice what one does.
 *
 * Expect: with T the trace's CPUs, allocs(2T) == 2 allocs(T), frees likewise, none failed.
 */
static void template_copies_the_trace(void)
{
	struct vsim_params p = params(VSIM_TEMPLATE, 1);
	struct vsim_result one, two;
	char err[512];

	p.template_path = "replay/testdata/compile.trace.xz";
	p.mem_per_node = 0;
	/* its CPU count: a 1-CPU run names the error, a large one is cut to copies */
	p.nr_cpus = 2;
	CHECK(!vsim_run(&p, &one, err, sizeof(err)));
	p.nr_cpus = 4;
	CHECK(!vsim_run(&p, &two, err, sizeof(err)));
	CHECK(one.allocs > 1000);
	CHECK_EQ(one.alloc_failures, 0);
	CHECK_EQ(two.allocs, 2 * one.allocs);
	CHECK_EQ(two.frees, 2 * one.frees);
	CHECK_EQ(two.remote_frees, 2 * one.remote_frees);
}

/*
 * Below the low watermark the slow path runs and wakes kswapd, which runs as a virtual
 * thread on its own clock; the slow path's latency is measured in virtual time.
 *
 * Expect: slow-path allocations counted, p50 > 0, kswapd ran at least once.
 */
static void slowpath_in_virtual_time(void)
{
	struct vsim_params p = params(VSIM_PAGE_FAULT, 1);
	struct vsim_result r;

	p.mem_per_node = 64UL << 20;            /* 16384 pages, ~15730 above the min watermark */
	p.working_set = 15700;
	CHECK(!run(&p, &r));
	CHECK(r.slowpath_allocs > 0);
	CHECK(r.slowpath_p50_ns > 0);
	CHECK(r.kswapd_runs > 0);
	CHECK(r.steps[VT_SLOWPATH] >= r.slowpath_allocs);
	CHECK_EQ(r.alloc_failures, 0);
}

/* A pressure row: 64 MiB a node, the given machine options (NULL: the defaults). */
static struct vsim_params pressure_params(enum vsim_workload w, int cpus, const struct machine_desc *base)
{
	struct vsim_params p = params(w, cpus);

	p.mem_per_node = 64UL << 20;
	p.blocks = 3000;
	p.base = base;
	return p;
}

/*
 * The pressure workloads in virtual time: tasks and files on a machine they overcommit,
 * one access an op after a warm-up that fills memory.
 *
 * Expect: each workload at 2 CPUs gives the same result twice, bit for bit; exactly
 * 2 x --blocks accesses are measured; the figures come from the model's counters (file-stream
 * reclaims page cache: pgscan and refaults; anon-overcommit swaps out; thp-burst stalls in
 * compaction), and every slow-path entry is in the latency histogram.
 */
static void pressure_rows_in_virtual_time(void)
{
	for (int w = VSIM_PRESSURE_FILE_STREAM; w <= VSIM_PRESSURE_THP_BURST; w++) {
		struct vsim_params p = pressure_params((enum vsim_workload)w, 2, NULL);
		if (w == VSIM_PRESSURE_FILE_STREAM)
			p.blocks = 8000;        /* past the end of its file (12288 pages, ~8192 read warming up): refaults */
		struct vsim_result a, b;
		CHECK(!run(&p, &a) && !run(&p, &b));
		CHECK(!memcmp(&a, &b, sizeof(a)));
		CHECK_EQ(a.ops, 2 * p.blocks);
		CHECK(a.reclaim.allocs > 0);
		CHECK(a.reclaim.slowpath_entries_per_1k_allocs > 0);
		const double *k = a.reclaim.per1k;      /* pressure_per1k's order */
		switch (w) {
		case VSIM_PRESSURE_FILE_STREAM:
			CHECK(k[0] + k[1] > 0);         /* pgscan_kswapd + pgscan_direct */
			CHECK(a.reclaim.workingset_refault_per_1k_allocs > 0);
			break;
		case VSIM_PRESSURE_ANON_OVERCOMMIT:
			CHECK(k[11] > 0);               /* pswpout */
			break;
		case VSIM_PRESSURE_THP_BURST:
			CHECK(k[4] > 0);                /* compact_stall */
			break;
		}
		CHECK(strcmp(pressure_per1k[11].name, "pswpout") == 0 && strcmp(pressure_per1k[4].name, "compact_stall") == 0);
		CHECK_EQ(a.slowpath_allocs, a.reclaim.outcome[NR_SLOWPATH_OUTCOMES].count);
	}
}

/*
 * The block devices' knobs, in virtual time (their waits move the CPU's clock, so the
 * figures are exact): a file read misses the page cache and waits for its readahead
 * (latency + 32 pages at the bandwidth); anon pages swap in and out.
 *
 * Expect: file-stream's time per access grows with --disk-latency-us (100 -> 1000 us) and
 * falls with --disk-mbps (100 -> 2000); anon-overcommit's grows with --swap-latency-us
 * (50 -> 2000 us).
 */
static void device_knobs_move_the_clock(void)
{
	struct machine_desc d;
	struct vsim_result lo, hi;

	machine_desc_default(&d);
	d.disk_latency_us = 100;
	struct vsim_params p = pressure_params(VSIM_PRESSURE_FILE_STREAM, 1, &d);
	CHECK(!run(&p, &lo));
	d.disk_latency_us = 1000;
	CHECK(!run(&p, &hi));
	CHECK(hi.ns_per_op > 2 * lo.ns_per_op);
	if (!(hi.ns_per_op > 2 * lo.ns_per_op))
		fprintf(stderr, "  disk latency 100 us: %.0f ns/access, 1000 us: %.0f\n", lo.ns_per_op, hi.ns_per_op);
	machine_desc_default(&d);
	d.disk_mbps = 100;
	CHECK(!run(&p, &lo));
	d.disk_mbps = 2000;
	CHECK(!run(&p, &hi));
	CHECK(hi.ns_per_op < lo.ns_per_op);
	machine_desc_default(&d);
	d.swap_latency_us = 50;
	p = pressure_params(VSIM_PRESSURE_ANON_OVERCOMMIT, 1, &d);
	CHECK(!run(&p, &lo));
	d.swap_latency_us = 2000;
	CHECK(!run(&p, &hi));
	CHECK(hi.ns_per_op > 2 * lo.ns_per_op);
	if (!(hi.ns_per_op > 2 * lo.ns_per_op))
		fprintf(stderr, "  swap latency 50 us: %.0f ns/access, 2000 us: %.0f\n", lo.ns_per_op, hi.ns_per_op);
}

/* Expect: parameters the simulator cannot honour, or that the workload would not read, are refused with the reason. */
static void bad_params_are_refused(void)
{
	struct vsim_params p = params(VSIM_BULK, 64);
	struct vsim_result r;
	char err[512];

	p.topology = (struct vt_topology){ 2, 26, 1 };
	CHECK(vsim_run(&p, &r, err, sizeof(err)) == -1);
	CHECK(strstr(err, "64 CPUs do not fit topology 2x26 (52 CPUs)") != NULL);
	p = params(VSIM_PAGE_FAULT, 1);
	p.order = 3;
	CHECK(vsim_run(&p, &r, err, sizeof(err)) == -1);
	CHECK(strstr(err, "page-fault allocates order-0 pages") != NULL);
	p = params(VSIM_TEMPLATE, 1);
	CHECK(vsim_run(&p, &r, err, sizeof(err)) == -1);
	CHECK(strstr(err, "--template TRACE") != NULL);
	/* sizes and flags a workload does not read */
	p = params(VSIM_BULK, 1);
	p.working_set = 100;
	CHECK(vsim_run(&p, &r, err, sizeof(err)) == -1);
	CHECK(strstr(err, "--working-set and --rounds are page-fault's; bulk does not take them") != NULL);
	p = params(VSIM_PAGE_FAULT, 1);
	p.blocks = 100;
	CHECK(vsim_run(&p, &r, err, sizeof(err)) == -1);
	CHECK(strstr(err, "--blocks is for repeat, bulk, rand, remote and the pressure workloads; page-fault does not take it") != NULL);
	p = params(VSIM_PRESSURE_MIXED, 1);
	p.order = 2;
	CHECK(vsim_run(&p, &r, err, sizeof(err)) == -1);
	CHECK(strstr(err, "pressure-mixed's orders are its own") != NULL);
	p = params(VSIM_REMOTE, 1);
	p.thisnode = false;
	CHECK(vsim_run(&p, &r, err, sizeof(err)) == -1);
	CHECK(strstr(err, "--no-thisnode is for repeat, bulk and rand") != NULL);
}

int main(void)
{
	RUN(same_seed_same_rows);
	RUN(zone_lock_hands_off_in_fifo_order);
	RUN(one_cpu_time_is_the_sum_of_its_charges);
	RUN(contention_grows_with_cpus_on_bulk);
	RUN(repeat_stays_flat);
	RUN(bad_cost_files_name_the_key);
	RUN(pcp_trylock_fails_while_a_remote_cpu_holds_it);
	RUN(remote_frees_are_remote);
	RUN(template_copies_the_trace);
	RUN(pressure_rows_in_virtual_time);
	RUN(device_knobs_move_the_clock);
	RUN(slowpath_in_virtual_time);
	RUN(bad_params_are_refused);
	TEST_SUMMARY();
}
