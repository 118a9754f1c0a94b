// SPDX-License-Identifier: GPL-2.0
/*
 * hitrate_same_test.c - what must not differ: the two protection schemes, and the inline
 * hit path against the general one (--no-fast-path), give identical counters on a long
 * scripted sequence for every policy; and the checker's bounds on pcp->high that the
 * inline free relies on. The machine is hitrate_test.c's (pcp/hitrate_fixture.h).
 */
#include "pcp/hitrate_fixture.h"

/*
 * The inline free takes pcp->high as nr_pcp_high() would return it, which holds only
 * while high stays within [high_min, high_max]; the checker reports a pcp that does not.
 * 6.x machine, CPU 0's Normal pcp: high_min 643, high_max 16384 (see the top).
 * Expect: clean; high = high_max + 1 -> "0:Normal cpu 0 pcp high 16385 outside
 * [high_min 643, high_max 16384]"; clean again once restored.
 */
static void test_checker_reports_high_out_of_bounds(void)
{
	struct machine *m = pcp_machine(PCP_POLICY_LINUX_6_X, PCP_SCHEME_OWNER);
	struct per_cpu_pages *pcp = pcp_of(m, 0);
	char err[256];

	CHECK_EQ(check_machine(m, err, sizeof(err)), 0);
	CHECK_EQ(pcp->high_min, 643);
	CHECK_EQ(pcp->high_max, 16384);
	int high = pcp->high;
	pcp->high = pcp->high_max + 1;
	CHECK_EQ(check_machine(m, err, sizeof(err)), -1);
	CHECK_STR(err, "0:Normal cpu 0 pcp high 16385 is not clamp(high, high_min 643, high_max 16384)");
	pcp->high = high;
	CHECK_EQ(check_machine(m, err, sizeof(err)), 0);
	machine_destroy(m);
}

/*
 * A min_free_kbytes so large that the low watermark passes managed/8: 6.x's high_min (from
 * the low watermark) is then above high_max (managed/8), and the kernel's clamp() gives
 * high_max. Every writer of high stores that, so the checker passes and the inline free,
 * which compares with pcp->high unclamped, sees the kernel's ceiling.
 *
 *   Normal: managed 262144, 2 CPUs | high_max = 262144 / 8 / 2 = 16384 | high_min from a low
 *   watermark of ~260000 pages (1 GiB of min_free_kbytes) / 2 CPUs
 *
 * Expect: high_min > high_max, high == high_max on both CPUs, the checker passes.
 */
static void test_high_min_above_high_max(void)
{
	struct machine *m = pcp_machine(PCP_POLICY_LINUX_6_X, PCP_SCHEME_OWNER);
	char err[256];

	CHECK_EQ(sysctl_set(m, "min_free_kbytes", 1 << 20, err, sizeof(err)), 0);
	for (int cpu = 0; cpu < 2; cpu++) {
		struct per_cpu_pages *pcp = pcp_of(m, cpu);
		CHECK(pcp->high_min > pcp->high_max);
		CHECK_EQ(pcp->high, pcp->high_max);
	}
	CHECK_EQ(check_machine(m, err, sizeof(err)), 0);
	machine_destroy(m);
}

/*
 * The schemes differ only in protection: a long pseudo-random single-threaded script
 * (alloc/free of orders 0..3 and 9 on two CPUs, drains, decay, a sysctl change) leaves
 * identical per-CPU statistics, counts, high/batch and buddyinfo under both.
 */
struct snapshot {
	unsigned long st[2][NR_PCP_STAT_ITEMS];
	int count[2], high[2], batch[2], af[2], fc[2], ff[2];
	unsigned long events[NR_VM_EVENT_ITEMS];
	long nr_free;
	char buddyinfo[128];
};

static void scripted(enum pcp_policy_id policy, enum pcp_scheme_id scheme, bool no_fast_path, struct snapshot *out)
{
	static const int cpus[2] = { 0, 1 };
	static const unsigned int ords[6] = { 0, 0, 1, 2, 3, 9 };
	struct machine_desc d;

	t_desc_flat(&d, 0x100000, ZONE_PAGES, 2);
	d.policy = policy;
	d.scheme = scheme;
	d.no_fast_path = no_fast_path;
	struct machine *m = t_machine(&d);
	struct page *held[512];
	unsigned int held_order[512];
	int nheld = 0;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char err[128];

	cpu_bind_many(m, cpus, 2);
	for (int step = 0; step < 20000; step++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int r = (int)(x % 1000);
		cpu_switch((int)((x >> 20) & 1));
		if (r < 520 && nheld < 512) {
			unsigned int o = ords[(x >> 30) % 6];
			struct page *p = alloc_pages(GFP_T, o);
			if (p) {
				held[nheld] = p;
				held_order[nheld++] = o;
			}
		} else if (r < 995 && nheld) {
			int i = (int)((x >> 40) % (unsigned)nheld);
			__free_pages(held[i], held_order[i]);
			held[i] = held[--nheld];
			held_order[i] = held_order[nheld];
		} else if (r < 997) {
			drain_pages_cpu(m, (int)((x >> 50) & 1), NULL);
		} else if (r < 998) {
			pcp_vmstat_tick(m);
		} else if (r < 999) {
			drain_all_pages(m, normal(m));
		} else {
			CHECK_EQ(sysctl_set(m, pcp_fraction_name(m->pcp_policy->fraction_sysctl), (x >> 33) & 1 ? 0 : 64, err, sizeof(err)), 0);
		}
	}
	CHECK_CONSISTENT(m);
	for (int c = 0; c < 2; c++) {
		struct per_cpu_pageset *ps = zone_pageset(normal(m), c);
		for (int i = 0; i < NR_PCP_STAT_ITEMS; i++)
			out->st[c][i] = pcp_stat_read(ps, (enum pcp_stat_item)i);
		out->count[c] = ps->pcp.count;
		out->high[c] = ps->pcp.high;
		out->batch[c] = ps->pcp.batch;
		out->af[c] = ps->pcp.alloc_factor;
		out->fc[c] = ps->pcp.free_count;
		out->ff[c] = ps->pcp.free_factor;
	}
	all_vm_events(m, out->events);
	out->nr_free = nr_free(m);
	t_buddyinfo(normal(m), out->buddyinfo, sizeof(out->buddyinfo));
	while (nheld) {
		nheld--;
		__free_pages(held[nheld], held_order[nheld]);
	}
	drain_all_pages(m, NULL);
	CHECK_EQ(zone_pcp_count(normal(m)), 0);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

static void check_same(const struct snapshot *a, const struct snapshot *b)
{
	for (int c = 0; c < 2; c++) {
		for (int i = 0; i < NR_PCP_STAT_ITEMS; i++)
			CHECK_EQ(a->st[c][i], b->st[c][i]);
		CHECK_EQ(a->count[c], b->count[c]);
		CHECK_EQ(a->high[c], b->high[c]);
		CHECK_EQ(a->batch[c], b->batch[c]);
		CHECK_EQ(a->af[c], b->af[c]);
		CHECK_EQ(a->fc[c], b->fc[c]);
		CHECK_EQ(a->ff[c], b->ff[c]);
	}
	for (int e = 0; e < NR_VM_EVENT_ITEMS; e++)
		CHECK_EQ(a->events[e], b->events[e]);
	CHECK_EQ(a->nr_free, b->nr_free);
	CHECK_STR(a->buddyinfo, b->buddyinfo);
}

/* Expect: owner and trylock leave identical state (nothing runs concurrently). */
static void test_schemes_identical(enum pcp_policy_id p)
{
	struct snapshot a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	scripted(p, PCP_SCHEME_OWNER, false, &a);
	scripted(p, PCP_SCHEME_TRYLOCK, false, &b);
	check_same(&a, &b);
	/* the script did exercise the lists */
	CHECK(a.st[0][PCP_STAT_HIT] > 1000 && a.st[1][PCP_STAT_HIT] > 1000);
	CHECK(a.st[0][PCP_STAT_DRAIN] > 0 && a.st[0][PCP_STAT_REFILL] > 10);
}

/*
 * The hit path written once: the same script with the inline hit paths off
 * (--no-fast-path: every allocation and free through rmqueue_pcplist / free_unref_page)
 * and on, under each scheme.
 * Expect: every pcp counter, vm event, count, high, batch and scaling factor, the free
 * pages and buddyinfo identical; and the inline paths did serve most hits when on.
 */
static void test_fast_path_identical(enum pcp_policy_id p)
{
	FOR_EACH_SCHEME(s) {
		struct snapshot on, off;
		memset(&on, 0, sizeof(on));
		memset(&off, 0, sizeof(off));
		scripted(p, s, false, &on);
		scripted(p, s, true, &off);
		check_same(&on, &off);
		CHECK(on.st[0][PCP_STAT_HIT] > 1000);
	}
}

int main(void)
{
	RUN(test_checker_reports_high_out_of_bounds);
	RUN(test_high_min_above_high_max);
	RUN_EACH_POLICY(test_schemes_identical);
	RUN_EACH_POLICY(test_fast_path_identical);
	TEST_SUMMARY();
}
