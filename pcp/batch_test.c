// SPDX-License-Identifier: GPL-2.0
/*
 * batch_test.c - pcp->batch and pcp->high (high_min/high_max from 6.7) for a table of zone
 * sizes, checked against each kernel's formulas worked out by hand in each row:
 *
 *   4.12  batch = managed/1024, capped at 512 KiB of pages (128), /4, at least 1, then
 *         rounddown_pow_of_two(b + b/2) - 1 (0 for tiny zones: batch 1, high 0);
 *         high = 6 * batch. percpu_pagelist_fraction f: high = managed/f,
 *         batch = max(1, high/4) capped at PAGE_SHIFT * 8 = 96.
 *   4.19  the same with a 1 MiB cap (256 -> 63): high = 6 * 63 = 378.
 *   5.14-6.6  that batch; high = low watermark / (CPUs of the zone's node; all CPUs for a
 *         node without any), at least 4 * batch; percpu_pagelist_high_fraction f:
 *         managed/f split the same way.
 *   6.7+  high_min = 5.14's high; high_max = managed/8 split the same way, at least
 *         4 * batch; a fraction f pins both to managed/f split, >= 4 * batch.
 *
 * Which kernel sizes which way is this test's per-policy table (sizing_of); a policy it
 * does not list (a researcher's) is skipped here and tested everywhere else.
 *
 * The low watermark the 6.x rows depend on is worked out by hand too (min_free_kbytes =
 * int_sqrt(lowmem_kbytes * 16), MIN = the zone's share, LOW = MIN + max(MIN/4,
 * managed * 10/10000)) and checked against the machine, so a watermark change shows
 * up here as a watermark failure, not as a puzzling pcp one.
 */
#include "alloc/testing.h"
#include "pcp/pcp.h"

struct zone_row {
	const char *name;
	unsigned long start_pfn, pages;         /* one flat range */
	enum zone_type zidx;                    /* the zone it lands in */
	unsigned long managed;
	unsigned long low_wmark;                /* worked out by hand below */
	int batch_412, high_412;
	int high_419;                           /* 6 x batch_6x */
	int batch_6x, high_min_6x, high_max_6x;
};

/* How each kernel sizes its lists (the formulas in the comment above). */
enum sizing { SIZING_UNKNOWN, SIZING_4_12, SIZING_4_19, SIZING_5_14, SIZING_6_7 };
static const enum sizing sizing_of[NR_PCP_POLICIES] = {
	[PCP_POLICY_LINUX_4_12] = SIZING_4_12, [PCP_POLICY_LINUX_4_19] = SIZING_4_19,
	[PCP_POLICY_LINUX_5_14] = SIZING_5_14, [PCP_POLICY_LINUX_6_0] = SIZING_5_14,
	[PCP_POLICY_LINUX_6_6] = SIZING_5_14,  [PCP_POLICY_LINUX_6_7] = SIZING_6_7,
	[PCP_POLICY_LINUX_6_18] = SIZING_6_7,
};

/*
 * Every row: one node, 4 CPUs, one range of RAM, nothing reserved (managed = pages).
 * lowmem = managed (the watermarks are 0 when min_free_kbytes is first computed).
 */
static const struct zone_row rows[] = {
	/*
	 * 16 MiB DMA, pfns [0, 0x1000): managed 4096.
	 * min_free_kbytes = isqrt(4096 * 4 * 16 = 262144) = 512 KiB = 128 pages; step =
	 * max(128/4 = 32, 4096*10/10000 = 4) = 32; low = 160.
	 * 4.12: 4096/1024 = 4, /4 = 1, rounddown_pow_of_two(1) - 1 = 0 -> batch 1, high 6*0 = 0.
	 * 6.x:  batch max(1, 0) = 1; high_min = 160/4 = 40 (>= 4); high_max = 4096/8/4 = 128.
	 */
	{ "16M-DMA", 0x0, 4096, ZONE_DMA, 4096, 160, 1, 0, 0, 1, 40, 128 },
	/*
	 * 128 MiB Normal at 4 GiB: managed 32768.
	 * isqrt(32768 * 64 = 2097152) = 1448 (1448^2 = 2096704) -> 362 pages; step =
	 * max(90, 32) = 90; low = 452.
	 * 4.12: 32 (cap 128), /4 = 8, rdp2(12) - 1 = 7; high 42.
	 * 6.x:  7; high_min = 452/4 = 113 (>= 28); high_max = 4096/4 = 1024.
	 */
	{ "128M", 0x100000, 32768, ZONE_NORMAL, 32768, 452, 7, 42, 42, 7, 113, 1024 },
	/*
	 * 512 MiB: managed 131072.
	 * isqrt(131072 * 64 = 8388608) = 2896 (2896^2 = 8386816) -> 724; step = max(181, 131)
	 * = 181; low = 905.
	 * 4.12: 128 (cap 128), /4 = 32, rdp2(48) - 1 = 31; high 186.
	 * 6.x:  128 (cap 256), the same 31 (63 needs >= 1 GiB); high_min = 905/4 = 226 (>= 124);
	 *       high_max = 16384/4 = 4096.
	 */
	{ "512M", 0x100000, 131072, ZONE_NORMAL, 131072, 905, 31, 186, 186, 31, 226, 4096 },
	/*
	 * 1 GiB: managed 262144.
	 * isqrt(262144 * 64 = 16777216) = 4096 -> 1024; step = max(256, 262) = 262; low = 1286.
	 * 4.12: 256 -> cap 128 -> 31; 186.
	 * 6.x:  256 (cap 256), /4 = 64, rdp2(96) - 1 = 63; high_min = 1286/4 = 321 (>= 252);
	 *       high_max = 32768/4 = 8192.
	 */
	{ "1G", 0x100000, 262144, ZONE_NORMAL, 262144, 1286, 31, 186, 378, 63, 321, 8192 },
	/*
	 * 4 GiB: managed 1048576.
	 * isqrt(1048576 * 64 = 67108864) = 8192 -> 2048; step = max(512, 1048) = 1048; low = 3096.
	 * 4.12: 31; 186.   6.x: 63; high_min = 3096/4 = 774; high_max = 131072/4 = 32768.
	 */
	{ "4G", 0x100000, 1048576, ZONE_NORMAL, 1048576, 3096, 31, 186, 378, 63, 774, 32768 },
	/*
	 * 64 GiB: managed 16777216.
	 * isqrt(16777216 * 64 = 2^30) = 32768 (inside [128, 65536]) -> 8192; step =
	 * max(2048, 16777) = 16777; low = 24969.
	 * 4.12: 31; 186.   6.x: 63; high_min = 24969/4 = 6242; high_max = 2097152/4 = 524288.
	 */
	{ "64G", 0x100000, 16777216, ZONE_NORMAL, 16777216, 24969, 31, 186, 378, 63, 6242, 524288 },
};

static struct machine *row_machine(const struct zone_row *r, enum pcp_policy_id policy, int cpus)
{
	return t_machine_flat(r->start_pfn, r->pages, cpus, policy, 0);
}

/* The row's batch and high bounds under a sizing. */
static void row_expect(const struct zone_row *r, enum sizing sz, int *batch, int *hmin, int *hmax)
{
	switch (sz) {
	case SIZING_4_12: *batch = r->batch_412, *hmin = *hmax = r->high_412; break;
	case SIZING_4_19: *batch = r->batch_6x, *hmin = *hmax = r->high_419; break;
	case SIZING_5_14: *batch = r->batch_6x, *hmin = *hmax = r->high_min_6x; break;
	default: *batch = r->batch_6x, *hmin = r->high_min_6x, *hmax = r->high_max_6x; break;
	}
}

static void check_row(const struct zone_row *r, enum pcp_policy_id policy)
{
	struct machine *m = row_machine(r, policy, 4);
	struct zone *z = &m->node_data[0]->node_zones[r->zidx];
	const struct pcp_policy *pol = m->pcp_policy;
	int batch, hmin, hmax;
	int before = t_failed_checks;

	row_expect(r, sizing_of[policy], &batch, &hmin, &hmax);
	CHECK_EQ(z->managed_pages, r->managed);
	CHECK_EQ(low_wmark_pages(z), r->low_wmark);
	/* the raw formula: 0 for the tiny zone, which the setup turns into batch 1 */
	CHECK_EQ(zone_batchsize(pol, z) < 1 ? 1 : zone_batchsize(pol, z), batch);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone_pageset(z, cpu)->pcp;
		CHECK_EQ(pcp->batch, batch);
		CHECK_EQ(pcp->high_min, hmin);
		CHECK_EQ(pcp->high_max, hmax);
		CHECK_EQ(pcp->high, hmin);      /* 6.7+ starts at high_min */
		CHECK_EQ(pcp->count, 0);
	}
	if (t_failed_checks != before)
		fprintf(stderr, "  (row %s, %s)\n", r->name, pol->name);
	if (r->pages <= (1UL << 20))     /* the checker walks every frame: skip it for 64 GiB */
		CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/* Expect: every row's batch, high_min and high_max equal the policy's kernel's formulas. */
static void test_table(enum pcp_policy_id policy)
{
	if (!sizing_of[policy]) {
		t_skip_policy(policy, "no hand-worked sizing for it");
		return;
	}
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i], policy);
}

/*
 * Big machines, without building them: each sizing hook on a zone with only what the
 * formulas read (managed pages, the low watermark, the CPUs of its node), 1 GiB to
 * 1 TiB and 4 to 256 CPUs. The low watermarks are the kernel's for a machine of that one
 * zone: min = int_sqrt(KiB * 16) capped at 65536 KiB, low = min + max(min / 4,
 * managed * 10 / 10000). By hand (batch 31 under the 512 KiB cap, 63 under 1 MiB, for
 * every zone here; 4.12 high 186, 4.19 high 378 whatever the CPUs):
 *
 *   zone  managed     low     cpus  5.14-6.6 high      6.7+ high_min / high_max
 *   1G    262144      1286      4   1286/4 = 321       321 / 262144/8/4 = 8192
 *                               8   160 -> 4*63 = 252  252 / 4096
 *                              64   252                252 / 512
 *                             256   252                252 / 128 -> 252
 *   16G   4194304     8290      4   2072               2072 / 131072
 *                               8   1036               1036 / 65536
 *                              64   129 -> 252         252 / 8192
 *                             256   252                252 / 2048
 *   256G  67108864    83492     4   20873              20873 / 2097152
 *                               8   10436              10436 / 1048576
 *                              64   1304               1304 / 131072
 *                             256   326                326 / 32768
 *   1T    268435456   284819    4   71204              71204 / 8388608
 *                               8   35602              35602 / 4194304
 *                              64   4450               4450 / 524288
 *                             256   1112               1112 / 131072
 */
static void test_big_machines(enum pcp_policy_id policy)
{
	static const struct { unsigned long managed, low; int cpus, high_5_14, high_max_6_7; } t[] = {
		{ 262144, 1286, 4, 321, 8192 },		  { 262144, 1286, 8, 252, 4096 },
		{ 262144, 1286, 64, 252, 512 },		  { 262144, 1286, 256, 252, 252 },
		{ 4194304, 8290, 4, 2072, 131072 },	  { 4194304, 8290, 8, 1036, 65536 },
		{ 4194304, 8290, 64, 252, 8192 },	  { 4194304, 8290, 256, 252, 2048 },
		{ 67108864, 83492, 4, 20873, 2097152 },	  { 67108864, 83492, 8, 10436, 1048576 },
		{ 67108864, 83492, 64, 1304, 131072 },	  { 67108864, 83492, 256, 326, 32768 },
		{ 268435456, 284819, 4, 71204, 8388608 }, { 268435456, 284819, 8, 35602, 4194304 },
		{ 268435456, 284819, 64, 4450, 524288 },  { 268435456, 284819, 256, 1112, 131072 },
	};
	const struct pcp_policy *pol = pcp_policy(policy);

	if (!sizing_of[policy]) {
		t_skip_policy(policy, "no hand-worked sizing for it");
		return;
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		static struct machine fake_m;
		static pg_data_t fake_pgdat;
		struct zone z;
		int batch, hmin, hmax, want_batch, want_min, want_max;

		memset(&z, 0, sizeof(z));
		fake_m.nr_cpus = t[i].cpus;
		fake_pgdat.machine = &fake_m;
		z.zone_pgdat = &fake_pgdat;
		z.managed_pages = t[i].managed;
		z._watermark[WMARK_LOW] = t[i].low;
		z.pcp_nr_cpus = t[i].cpus;
		pol->high_and_batch(pol, &z, 0, &hmin, &hmax, &batch);
		switch (sizing_of[policy]) {
		case SIZING_4_12: want_batch = 31, want_min = want_max = 186; break;
		case SIZING_4_19: want_batch = 63, want_min = want_max = 378; break;
		case SIZING_5_14: want_batch = 63, want_min = want_max = t[i].high_5_14; break;
		default: want_batch = 63, want_min = t[i].high_5_14, want_max = t[i].high_max_6_7; break;
		}
		int before = t_failed_checks;
		CHECK_EQ(batch, want_batch);
		CHECK_EQ(hmin, want_min);
		CHECK_EQ(hmax, want_max);
		if (t_failed_checks != before)
			fprintf(stderr, "  (managed %lu, %d CPUs)\n", t[i].managed, t[i].cpus);
	}
}

/*
 * zone_batchsize alone over sizes around the caps (a zone struct with only managed set).
 *   managed   /1024   4.12 (cap 128)          4.19+ (cap 256)
 *   0         0       /4=0 ->1 -> rdp2(1)-1=0  0
 *   4096      4       1 -> 0                   0
 *   8192      8       2 -> rdp2(3)=2 -> 1      1
 *   16384     16      4 -> rdp2(6)=4 -> 3      3
 *   65536     64      16 -> rdp2(24)=16 -> 15  15
 *   131072    128     32 -> 31                 31
 *   196608    192     128 -> 31                48 -> rdp2(72)=64 -> 63
 *   262144    256     31                       64 -> 63
 *   1<<30     huge    31                       63
 */
static void test_zone_batchsize_formula(void)
{
	static const struct { unsigned long managed; int b412, b6; } t[] = {
		{ 0, 0, 0 }, { 4096, 0, 0 }, { 8192, 1, 1 }, { 16384, 3, 3 }, { 65536, 15, 15 },
		{ 131072, 31, 31 }, { 196608, 31, 63 }, { 262144, 31, 63 }, { 1UL << 30, 31, 63 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct zone z;
		memset(&z, 0, sizeof(z));
		z.managed_pages = t[i].managed;
		CHECK_EQ(zone_batchsize_512k(&z), t[i].b412);
		CHECK_EQ(zone_batchsize_1m(&z), t[i].b6);
	}
}

/*
 * The built-in default machine: 16 GiB, 8 CPUs, x86-64 layout.
 *   DMA    pfns 1..0x9e and 0x100..0xfff: present 158 + 3840 = 3998, 158 reserved -> 3840
 *   DMA32  0x1000..0xbffff: 782336 present, none reserved -> 782336
 *   Normal 4194304 - 158 - 786176 = 3407970 present at 4 GiB, 1/64 reserved (53249)
 *          -> 3354721
 *   lowmem 4140897 pages: min_free_kbytes = isqrt(4140897 * 64 = 265017408) = 16279
 *          (16279^2 = 265005841, 16280^2 = 265038400) -> 4069 pages, shared by managed:
 *   DMA    min 4069*3840/4140897 = 3;      step max(0, 3) = 3;       low 6
 *   DMA32  min 4069*782336/4140897 = 768;  step max(192, 782) = 782; low 1550
 *   Normal min 4069*3354721/4140897 = 3296; step max(824, 3354) = 3354; low 6650
 *   4.12   DMA 1/0; DMA32 and Normal 31/186. 4.19: 63/378 (DMA 1/0).
 *   5.14-6.6: high = 6.7's high_min.
 *   6.7+   DMA batch 1, high_min max(6/8 = 0, 4) = 4, high_max 3840/8/8 = 60;
 *          DMA32 63, high_min max(1550/8 = 193, 252) = 252, high_max 782336/8/8 = 12224;
 *          Normal 63, high_min 6650/8 = 831, high_max 3354721/8/8 = 52417.
 */
static void test_default_machine(enum pcp_policy_id policy)
{
	static const struct { unsigned long managed, low; int b412, h412, h419, b6, hmin6, hmax6; } z[3] = {
		[ZONE_DMA] = { 3840, 6, 1, 0, 0, 1, 4, 60 },
		[ZONE_DMA32] = { 782336, 1550, 31, 186, 378, 63, 252, 12224 },
		[ZONE_NORMAL] = { 3354721, 6650, 31, 186, 378, 63, 831, 52417 },
	};
	const enum sizing sz = sizing_of[policy];
	struct machine_desc d;

	machine_desc_default(&d);
	d.policy = policy;
	struct machine *m = t_machine(&d);
	CHECK_EQ(m->min_free_kbytes, 16279);
	for (int i = ZONE_DMA; i <= ZONE_NORMAL; i++) {
		struct zone *zone = &m->node_data[0]->node_zones[i];
		struct per_cpu_pages *pcp = &zone_pageset(zone, 7)->pcp;
		CHECK_EQ(zone->managed_pages, z[i].managed);
		CHECK_EQ(low_wmark_pages(zone), z[i].low);
		if (!sz)
			continue;
		CHECK_EQ(pcp->batch, sz == SIZING_4_12 ? z[i].b412 : z[i].b6);
		CHECK_EQ(pcp->high_min, sz == SIZING_4_12 ? z[i].h412 : sz == SIZING_4_19 ? z[i].h419 : z[i].hmin6);
		CHECK_EQ(pcp->high_max, sz == SIZING_4_12   ? z[i].h412
					: sz == SIZING_4_19 ? z[i].h419
					: sz == SIZING_5_14 ? z[i].hmin6
							    : z[i].hmax6);
	}
	machine_destroy(m);
}

/*
 * Two nodes of 1 GiB, both above 4 GiB (Normal only). CPUs 0,1 on node 0, CPU 2 on node 1.
 *   lowmem 524288: isqrt(524288 * 64 = 33554432) = 5792 (5792^2 = 33547264) -> 1448 pages,
 *   half each: min 724; step max(181, 262) = 262; low 986.
 *   6.x: node 0 split over 2 CPUs: high_min 493, high_max 32768/2 = 16384;
 *        node 1 over 1 CPU: high_min 986, high_max 32768.
 *   With every CPU on node 0, node 1 has none and splits over all 3 (num_online_cpus):
 *        node 0: 986/3 = 328, 32768/3 = 10922; node 1 the same.
 */
static struct machine *two_nodes(enum pcp_policy_id policy, const int *cpu_to_node)
{
	struct machine_desc d;
	machine_desc_default(&d);
	d.nr_nodes = 2;
	d.nr_cpus = 3;
	for (int c = 0; c < 3; c++)
		d.cpu_to_node[c] = cpu_to_node[c];
	d.nr_ranges = 2;
	d.ranges[0] = (struct mem_range){ 0x100000, 0x140000, 0 };
	d.ranges[1] = (struct mem_range){ 0x140000, 0x180000, 1 };
	for (int n = 0; n < 2; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			d.reserved_pages[n][z] = 0;
	d.policy = policy;
	return t_machine(&d);
}

static void test_node_split(void)
{
	static const int split[3] = { 0, 0, 1 }, all0[3] = { 0, 0, 0 };
	struct machine *m = two_nodes(PCP_POLICY_LINUX_6_X, split);
	struct zone *z0 = &m->node_data[0]->node_zones[ZONE_NORMAL];
	struct zone *z1 = &m->node_data[1]->node_zones[ZONE_NORMAL];

	CHECK_EQ(low_wmark_pages(z0), 986);
	CHECK_EQ(low_wmark_pages(z1), 986);
	for (int cpu = 0; cpu < 3; cpu++) {
		CHECK_EQ(zone_pageset(z0, cpu)->pcp.batch, 63);
		CHECK_EQ(zone_pageset(z0, cpu)->pcp.high_min, 493);
		CHECK_EQ(zone_pageset(z0, cpu)->pcp.high_max, 16384);
		CHECK_EQ(zone_pageset(z1, cpu)->pcp.high_min, 986);
		CHECK_EQ(zone_pageset(z1, cpu)->pcp.high_max, 32768);
	}
	machine_destroy(m);

	m = two_nodes(PCP_POLICY_LINUX_6_X, all0);
	z0 = &m->node_data[0]->node_zones[ZONE_NORMAL];
	z1 = &m->node_data[1]->node_zones[ZONE_NORMAL];
	CHECK_EQ(zone_pageset(z0, 0)->pcp.high_min, 328);
	CHECK_EQ(zone_pageset(z0, 0)->pcp.high_max, 10922);
	CHECK_EQ(zone_pageset(z1, 2)->pcp.high_min, 328);
	CHECK_EQ(zone_pageset(z1, 2)->pcp.high_max, 10922);
	machine_destroy(m);

	/* 4.12 does not split: 31/186 everywhere */
	m = two_nodes(PCP_POLICY_LINUX_4_12, split);
	z1 = &m->node_data[1]->node_zones[ZONE_NORMAL];
	CHECK_EQ(zone_pageset(z1, 0)->pcp.batch, 31);
	CHECK_EQ(zone_pageset(z1, 0)->pcp.high, 186);
	machine_destroy(m);
}

static void set_sysctl(struct machine *m, const char *name, long v, int expect)
{
	char err[256] = "";
	int r = sysctl_set(m, name, v, err, sizeof(err));
	CHECK_EQ(r, expect);
	if (r != expect)
		fprintf(stderr, "  sysctl %s=%ld: %s\n", name, v, err);
}

static void check_all_cpus(struct machine *m, struct zone *z, int batch, int hmin, int hmax, int high)
{
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone_pageset(z, cpu)->pcp;
		CHECK_EQ(pcp->batch, batch);
		CHECK_EQ(pcp->high_min, hmin);
		CHECK_EQ(pcp->high_max, hmax);
		CHECK_EQ(pcp->high, high);
	}
}

/*
 * 4.12 percpu_pagelist_fraction on the 4 GiB zone (managed 1048576, 4 CPUs):
 *   f = 8        high 131072, batch min(32768, 96) = 96
 *   f = 100      high 10485,  batch min(2621, 96) = 96
 *   f = 100000   high 10,     batch max(1, 10/4 = 2) = 2
 *   f = 1048576  high 1,      batch max(1, 0) = 1
 *   f = 0        back to 31/186. Below 8 is refused, and so is the 5.14+ sysctl.
 */
static void test_percpu_pagelist_fraction_4_12(void)
{
	struct machine *m = row_machine(&rows[4], PCP_POLICY_LINUX_4_12, 4);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];

	set_sysctl(m, "percpu_pagelist_fraction", 8, 0);
	check_all_cpus(m, z, 96, 131072, 131072, 131072);
	set_sysctl(m, "percpu_pagelist_fraction", 100, 0);
	check_all_cpus(m, z, 96, 10485, 10485, 10485);
	set_sysctl(m, "percpu_pagelist_fraction", 100000, 0);
	check_all_cpus(m, z, 2, 10, 10, 10);
	set_sysctl(m, "percpu_pagelist_fraction", 1048576, 0);
	check_all_cpus(m, z, 1, 1, 1, 1);
	set_sysctl(m, "percpu_pagelist_fraction", 7, -1);
	check_all_cpus(m, z, 1, 1, 1, 1);
	set_sysctl(m, "percpu_pagelist_fraction", 0, 0);
	check_all_cpus(m, z, 31, 186, 186, 186);
	set_sysctl(m, "percpu_pagelist_high_fraction", 8, -1);
	check_all_cpus(m, z, 31, 186, 186, 186);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/*
 * 6.7+ percpu_pagelist_high_fraction on the 4 GiB zone (4 CPUs), auto-tuning off
 * (high_min = high_max):
 *   f = 8        1048576/8 = 131072 / 4 = 32768
 *   f = 1000     1048 / 4 = 262 (>= 252)
 *   f = 100000   10 / 4 = 2 -> 4 * 63 = 252
 *   f = 0        back to 774 / 32768. Below 8 is refused, and so is the pre-5.14 sysctl.
 */
static void test_percpu_pagelist_high_fraction_6_x(void)
{
	struct machine *m = row_machine(&rows[4], PCP_POLICY_LINUX_6_X, 4);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];

	set_sysctl(m, "percpu_pagelist_high_fraction", 8, 0);
	check_all_cpus(m, z, 63, 32768, 32768, 32768);
	set_sysctl(m, "percpu_pagelist_high_fraction", 1000, 0);
	check_all_cpus(m, z, 63, 262, 262, 262);
	set_sysctl(m, "percpu_pagelist_high_fraction", 100000, 0);
	check_all_cpus(m, z, 63, 252, 252, 252);
	set_sysctl(m, "percpu_pagelist_high_fraction", 3, -1);
	check_all_cpus(m, z, 63, 252, 252, 252);
	set_sysctl(m, "percpu_pagelist_high_fraction", 0, 0);
	check_all_cpus(m, z, 63, 774, 32768, 774);
	set_sysctl(m, "percpu_pagelist_fraction", 8, -1);
	check_all_cpus(m, z, 63, 774, 32768, 774);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/*
 * 4.12 16 MiB DMA zone: batch 1, high 0. Every allocation refills one page (a miss), every
 * free drains it at once: ten alloc+free pairs are 10 refills, 10 drains, no hits, and the
 * list is empty after each free.
 */
static void test_dma_every_free_drains_4_12(void)
{
	struct machine *m = row_machine(&rows[0], PCP_POLICY_LINUX_4_12, 4);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_DMA];
	long free0;
	char b0[128], b1[128];

	cpu_bind(m, 0);
	free0 = zone_page_state_snapshot(z, NR_FREE_PAGES);
	t_buddyinfo(z, b0, sizeof(b0));
	for (int i = 0; i < 10; i++) {
		struct page *p = alloc_page(GFP_KERNEL | __GFP_DMA);
		CHECK(p != NULL);
		if (!p)
			break;
		CHECK_EQ(zone_pageset(z, 0)->pcp.count, 0);
		__free_page(p);
		CHECK_EQ(zone_pageset(z, 0)->pcp.count, 0);
	}
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_ALLOC), 10);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_HIT), 0);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_REFILL), 10);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_REFILL_PAGES), 10);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_FREE), 10);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_DRAIN), 10);
	CHECK_EQ(zone_pcp_stat(z, PCP_STAT_DRAIN_PAGES), 10);
	CHECK_EQ(zone_page_state_snapshot(z, NR_FREE_PAGES), free0);
	CHECK_STR(t_buddyinfo(z, b1, sizeof(b1)), b0);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * The researcher's example row (policies/fixed_example.c): high 1024 and batch 64 on
 * every zone big enough, whatever its size or CPUs; built in like any kernel's row.
 * Expect: 64 / 1024 on the 1 GiB and 64 GiB zones; a percpu_pagelist_high_fraction of 64
 * gives high = managed / 64 (4096 for 1 GiB), and 0 brings 1024 back.
 */
static void test_fixed_example(void)
{
	struct machine *m = row_machine(&rows[3], PCP_POLICY_FIXED_EXAMPLE, 4);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];

	CHECK_STR(m->pcp_policy->name, "fixed-example");
	check_all_cpus(m, z, 64, 1024, 1024, 1024);
	set_sysctl(m, "percpu_pagelist_high_fraction", 64, 0);
	check_all_cpus(m, z, 64, 4096, 4096, 4096);
	set_sysctl(m, "percpu_pagelist_high_fraction", 0, 0);
	check_all_cpus(m, z, 64, 1024, 1024, 1024);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
	m = row_machine(&rows[5], PCP_POLICY_FIXED_EXAMPLE, 4);
	check_all_cpus(m, &m->node_data[0]->node_zones[ZONE_NORMAL], 64, 1024, 1024, 1024);
	machine_destroy(m);
}

/*
 * The hit path written once, on exact counts: 1,000 pages allocated and freed on one
 * CPU of the 4 GiB zone, in runs of 100 (refills, drains, hits), with the inline paths
 * on and off (--no-fast-path).
 * Expect: every pcp counter identical both ways, for every policy and scheme.
 */
static void test_counts_without_fast_path(enum pcp_policy_id policy)
{
	static struct page *pg[1000];
	unsigned long st[2][NR_PCP_STAT_ITEMS];

	for (enum pcp_scheme_id s = 0; s < NR_PCP_SCHEMES; s++) {
		for (int off = 0; off < 2; off++) {
			struct machine_desc d;
			t_desc_flat(&d, rows[4].start_pfn, rows[4].pages, 2);
			d.policy = policy;
			d.scheme = s;
			d.no_fast_path = off;
			struct machine *m = t_machine(&d);
			struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];
			cpu_bind(m, 0);
			for (int round = 0; round < 10; round++) {
				for (int i = 0; i < 1000; i++)
					pg[i] = alloc_page(GFP_KERNEL | __GFP_MOVABLE);
				for (int i = 0; i < 1000; i += 100 - round)
					for (int j = i; j < i + 100 - round && j < 1000; j++)
						__free_page(pg[j]);
			}
			for (int i = 0; i < NR_PCP_STAT_ITEMS; i++)
				st[off][i] = zone_pcp_stat(z, (enum pcp_stat_item)i);
			CHECK_CONSISTENT(m);
			cpu_unbind();
			machine_destroy(m);
		}
		for (int i = 0; i < NR_PCP_STAT_ITEMS; i++)
			CHECK_EQ(st[0][i], st[1][i]);
		CHECK(st[0][PCP_STAT_HIT] > 5000 && st[0][PCP_STAT_REFILL] > 0);   /* drains: hitrate_test */
	}
}

/*
 * A row someone wrote is checked before a machine uses it, and the inline paths' switch
 * is an option like any other.
 * Expect: a row without nr_pcp_alloc, or with a batch-scale cap of 7, is named wrong; the
 * kernels' rows pass; --no-fast-path and --fast-path=no turn the inline paths off,
 * --fast-path leaves them on, and a machine built so has no fast variant.
 */
static void test_policy_rows_and_fast_path_option(void)
{
	struct pcp_policy row = *pcp_policy(PCP_POLICY_LINUX_6_18);
	const char *why;

	for (int p = 0; p < NR_PCP_POLICIES; p++)
		CHECK(pcp_policy_check(pcp_policy((enum pcp_policy_id)p)) == NULL);
	row.nr_pcp_alloc = NULL;
	why = pcp_policy_check(&row);
	CHECK(why && strstr(why, "a hook is missing"));
	row = *pcp_policy(PCP_POLICY_LINUX_6_18);
	row.pcp_batch_scale_max = 7;
	why = pcp_policy_check(&row);
	CHECK(why && strstr(why, "pcp_batch_scale_max"));

	static const struct { const char *arg; bool off; } t[] = {
		{ "--no-fast-path", true }, { "--fast-path=no", true }, { "--fast-path", false }, { "--fast-path=yes", false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct machine_desc d;
		char err[256], *av[] = { "prog", (char *)t[i].arg, NULL };
		int ac = 2;
		machine_desc_default(&d);
		CHECK_EQ(machine_desc_parse_args(&d, &ac, av, err, sizeof(err)), 0);
		CHECK_EQ(ac, 1);
		CHECK_EQ(d.no_fast_path, t[i].off);
	}
	struct machine_desc d;
	t_desc_flat(&d, 0x100000, 65536, 1);
	d.no_fast_path = true;
	struct machine *m = t_machine(&d);
	CHECK_EQ(m->pcp_fast_variant, -1);
	machine_destroy(m);
}

int main(void)
{
	RUN(test_zone_batchsize_formula);
	RUN_EACH_POLICY(test_table);
	RUN_EACH_POLICY(test_big_machines);
	RUN_EACH_POLICY(test_default_machine);
	RUN(test_node_split);
	RUN(test_percpu_pagelist_fraction_4_12);
	RUN(test_percpu_pagelist_high_fraction_6_x);
	RUN(test_dma_every_free_drains_4_12);
	RUN(test_fixed_example);
	RUN_EACH_POLICY(test_counts_without_fast_path);
	RUN(test_policy_rows_and_fast_path_option);
	TEST_SUMMARY();
}
