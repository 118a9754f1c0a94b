// SPDX-License-Identifier: GPL-2.0
/*
 * machine_test.c - describing and building machines: the default 16 GiB layout,
 * machine_desc_set / parse_args / config files and their errors, a machine loaded from
 * a captured /proc/zoneinfo, multi-node zonelists, ZONE_MOVABLE from movablecore, a
 * 64 GiB machine (CPU binding: cpu_binding_test.c).
 *
 * The default machine, laid out like a typical x86-64 server with 16 GiB:
 *
 *   pfn 1    0x9f 0x100           0x1000                 0xc0000   0x100000            0x440062
 *   | low RAM |hole| DMA (to 16M) |  DMA32 RAM (to 3G)   | PCI hole |      Normal         |
 *   |<----- DMA: 4095 spanned ---->|<------ DMA32: 1044480 spanned -->|<--- 3407970 ---->|
 *   DMA present 158 + 3840 = 3998, managed 3840 (158 reserved)
 *   DMA32 present 0xc0000 - 0x1000 = 782336;  Normal present 3407970, managed - 1/64
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "alloc/rcu.h"
#include "pcp/pcp.h"

static struct zone *Z(struct machine *m, int nid, int idx) { return &m->node_data[nid]->node_zones[idx]; }

static const char *zonelist_str(struct machine *m, int nid, gfp_t gfp)
{
	static char buf[1024];
	zonelist_format(node_zonelist(m, nid, gfp), buf, sizeof(buf));
	return buf;
}

static void check_zone(struct zone *z, unsigned long start, unsigned long spanned, unsigned long present,
		       unsigned long managed)
{
	CHECK_EQ(z->zone_start_pfn, start);
	CHECK_EQ(z->spanned_pages, spanned);
	CHECK_EQ(z->present_pages, present);
	CHECK_EQ(z->managed_pages, managed);
}

/*
 * The default machine (see the picture above): one node, 8 CPUs, linux-4.12 policy;
 * pcp batch 31 and high 186 in the big zones, 0/1 in DMA; every managed page free; the
 * hole at the end of DMA32's span belongs to no zone.
 *
 * Expect: the zone geometry above, zonelist "0:Normal 0:DMA32 0:DMA".
 */
static void default_machine(void)
{
	struct machine_desc d;
	machine_desc_default(&d);
	struct machine *m = t_machine(&d);

	CHECK_EQ(m->nr_nodes, 1);
	CHECK_EQ(m->nr_cpus, 8);
	CHECK_STR(m->desc.name, "default");
	CHECK(m->pcp_policy == pcp_policy(PCP_POLICY_LINUX_4_12));
	check_zone(Z(m, 0, ZONE_DMA), 1, 4095, 3998, 3840);
	check_zone(Z(m, 0, ZONE_DMA32), 4096, 1044480, 782336, 782336);
	check_zone(Z(m, 0, ZONE_NORMAL), 0x100000, 3407970, 3407970, 3354721);
	CHECK(!populated_zone(Z(m, 0, ZONE_MOVABLE)));
	CHECK_EQ(m->node_data[0]->nr_zones, 3);
	CHECK_EQ(m->node_data[0]->node_present_pages, 3998 + 782336 + 3407970);
	CHECK_EQ(m->max_pfn, 0x440200);
	CHECK(pfn_zone(m, 0xbffff) == Z(m, 0, ZONE_DMA32));
	CHECK(pfn_zone(m, 0xc0000) == NULL);
	CHECK(pfn_zone(m, 0xfffff) == NULL);
	CHECK(pfn_zone(m, 0) == NULL);
	CHECK(pfn_zone(m, 1) == Z(m, 0, ZONE_DMA));
	for (int z = ZONE_DMA; z <= ZONE_NORMAL; z++)
		CHECK_EQ(zone_page_state_snapshot(Z(m, 0, z), NR_FREE_PAGES), Z(m, 0, z)->managed_pages);
	CHECK_EQ(zone_pageset(Z(m, 0, ZONE_NORMAL), 7)->pcp.batch, 31);
	CHECK_EQ(zone_pageset(Z(m, 0, ZONE_NORMAL), 7)->pcp.high, 186);
	CHECK_EQ(zone_pageset(Z(m, 0, ZONE_DMA32), 0)->pcp.batch, 31);
	CHECK_EQ(zone_pageset(Z(m, 0, ZONE_DMA), 0)->pcp.batch, 1);
	CHECK_EQ(zone_pageset(Z(m, 0, ZONE_DMA), 0)->pcp.high, 0);
	CHECK_STR(zonelist_str(m, 0, GFP_KERNEL), "0:Normal 0:DMA32 0:DMA");
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/*
 * machine_desc_set refuses bad keys and values with a message naming the key and the
 * value, and leaves the description as it was.
 *
 * Expect: each message below exactly; the description byte for byte unchanged.
 */
static void desc_set_errors(void)
{
	static const struct { const char *key, *value, *err; } t[] = {
		{ "mem", "lots", "mem: 'lots' is not a size of at least 4M (e.g. 16G, 1T)" },
		{ "mem", "1M", "mem: '1M' is not a size of at least 4M (e.g. 16G, 1T)" },
		{ "nodes", "0", "nodes: '0' is not a number in 1..63 or auto (the host's)" },
		{ "cpus", "2000", "cpus: '2000' is not a number in 1..1024" },
		{ "policy", "linux-5.0", "policy: 'linux-5.0' is not one of " PCP_POLICY_NAMES },
		{ "scheme", "rcu", "scheme: 'rcu' is not owner or trylock" },
		{ "watermark_scale_factor", "0", "watermark_scale_factor: '0' is not a number in 1..3000" },
		{ "watermark-scale-factor", "x", "watermark-scale-factor: 'x' is not a number in 1..3000" },
		{ "min_free_kbytes", "-1", "min_free_kbytes: '-1' is not a number in 0..1073741824" },
		{ "percpu_pagelist_fraction", "4", "percpu_pagelist_fraction: 4 is below the kernel's minimum 8" },
		{ "percpu_pagelist_high_fraction", "7", "percpu_pagelist_high_fraction: 7 is below the kernel's minimum 8" },
		{ "distance", "10,20", "distance: expected 1 numbers (a 1x1 matrix), got '10,20'" },
		{ "movablecore", "big", "movablecore: 'big' is not a size (e.g. 2G)" },
		{ "lowmem_reserve_ratio", "a,b", "lowmem_reserve_ratio: 'a,b' is not a list of up to 4 numbers" },
		{ "frobnicate", "1", "unknown machine option 'frobnicate'" },
	};
	static struct machine_desc d, before;
	char err[256];

	machine_desc_default(&d);
	before = d;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err[0] = 0;
		CHECK_EQ(machine_desc_set(&d, t[i].key, t[i].value, err, sizeof(err)), -1);
		CHECK_STR(err, t[i].err);
		CHECK(!memcmp(&d, &before, sizeof(d)));
	}

	/* and good values take: 4G, then 2 nodes of 4G each */
	CHECK_EQ(machine_desc_set(&d, "mem", "4G", err, sizeof(err)), 0);
	unsigned long pages = 0;
	for (int r = 0; r < d.nr_ranges; r++)
		pages += d.ranges[r].end_pfn - d.ranges[r].start_pfn;
	CHECK_EQ(pages, 1UL << 20);
	CHECK_EQ(machine_desc_set(&d, "nodes", "2", err, sizeof(err)), 0);
	CHECK_EQ(d.nr_nodes, 2);
	unsigned long node1 = 0;
	for (int r = 0; r < d.nr_ranges; r++)
		if (d.ranges[r].nid == 1)
			node1 += d.ranges[r].end_pfn - d.ranges[r].start_pfn;
	CHECK_EQ(node1, 1UL << 20);
	CHECK_EQ(machine_desc_set(&d, "percpu-pagelist-fraction", "8", err, sizeof(err)), 0);
	CHECK_EQ(d.percpu_pagelist_fraction, 8);
}

/*
 * machine_desc_parse_args consumes the machine options (--key value and --key=value,
 * --backed without a value) and leaves every other argument, in order, with argv
 * NULL-terminated at the new argc. Errors name the option.
 *
 * Expect: argv "prog input.txt --benchmark_filter=x -v"; cpus 4, 2 GiB, linux-6.x,
 * backed, name "foo"; the error messages below.
 */
static void parse_args(void)
{
	struct machine_desc d;
	char err[512];
	char *argv[] = { "prog", "--mem", "2G", "--cpus=4", "input.txt", "--benchmark_filter=x", "--policy",
			 "linux-6.x", "--backed", "--name=foo", "-v", NULL };
	int argc = 11;

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_parse_args(&d, &argc, argv, err, sizeof(err)), 0);
	CHECK_EQ(argc, 4);
	CHECK_STR(argv[0], "prog");
	CHECK_STR(argv[1], "input.txt");
	CHECK_STR(argv[2], "--benchmark_filter=x");
	CHECK_STR(argv[3], "-v");
	CHECK(argv[4] == NULL);
	CHECK_EQ(d.nr_cpus, 4);
	CHECK_EQ(d.policy, PCP_POLICY_LINUX_6_X);
	CHECK(d.backed);
	CHECK_STR(d.name, "foo");
	unsigned long pages = 0;
	for (int r = 0; r < d.nr_ranges; r++)
		pages += d.ranges[r].end_pfn - d.ranges[r].start_pfn;
	CHECK_EQ(pages, (2UL << 30) >> PAGE_SHIFT);

	static const struct { const char *a, *b, *err; } bad[] = {
		{ "--mem", NULL, "--mem needs a value" },
		{ "--cpus", "zero", "cpus: 'zero' is not a number in 1..1024" },
		{ "--policy=linux-3", NULL, "policy: 'linux-3' is not one of " PCP_POLICY_NAMES },
		{ "--scheme=", NULL, "scheme: '' is not owner or trylock" },
		{ "--config", "/nonexistent/x.conf", "config /nonexistent/x.conf: No such file or directory" },
		{ "--zoneinfo", "/nonexistent/zoneinfo", "zoneinfo /nonexistent/zoneinfo: No such file or directory" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *av[] = { "prog", (char *)bad[i].a, (char *)bad[i].b, NULL };
		int ac = bad[i].b ? 3 : 2;
		machine_desc_default(&d);
		err[0] = 0;
		CHECK_EQ(machine_desc_parse_args(&d, &ac, av, err, sizeof(err)), -1);
		CHECK_STR(err, bad[i].err);
	}
}

static const char *tmpdir(void)
{
	const char *t = getenv("TEST_TMPDIR");
	return t && *t ? t : "/tmp";
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/*
 * A config file: "key = value" lines with comments and blank lines, the same keys as
 * the flags; order matters as for flags (nodes, then mem per node). A bad line is
 * reported with the file name and line number.
 *
 *   node 0: |DMA|DMA32 (1 GiB)|        node 1 at 4 GiB: |Normal (1 GiB)|
 *
 * Expect: 2 nodes of 1 GiB, 4 CPUs, linux-6.x, trylock, watermark_scale_factor 20,
 * ratios 128/128/16, name "two-small"; zonelists "0:DMA32 0:DMA 1:Normal" and
 * "1:Normal 0:DMA32 0:DMA"; "PATH:3: mem: 'huge' is not a size ..." for the bad file.
 */
static void config_file(void)
{
	char path[PATH_MAX], bad[PATH_MAX], err[1024], expect[PATH_MAX + 128];
	struct machine_desc d;

	snprintf(path, sizeof(path), "%s/machine_test.conf", tmpdir());
	write_file(path, "# a small two-node machine\n"
			 "name = two-small\n"
			 "\n"
			 "nodes = 2\n"
			 "mem = 1G          # per node\n"
			 "cpus = 4\n"
			 "policy = linux-6.x\n"
			 "  scheme=trylock\n"
			 "watermark_scale_factor = 20\n"
			 "lowmem_reserve_ratio = 128, 128, 16\n");
	machine_desc_default(&d);
	CHECK_EQ(machine_desc_load_config(&d, path, err, sizeof(err)), 0);
	CHECK_STR(d.name, "two-small");
	CHECK_EQ(d.nr_nodes, 2);
	CHECK_EQ(d.nr_cpus, 4);
	CHECK_EQ(d.policy, PCP_POLICY_LINUX_6_X);
	CHECK_EQ(d.scheme, PCP_SCHEME_TRYLOCK);
	CHECK_EQ(d.watermark_scale_factor, 20);
	CHECK_EQ(d.lowmem_reserve_ratio[0], 128);
	CHECK_EQ(d.lowmem_reserve_ratio[1], 128);
	CHECK_EQ(d.lowmem_reserve_ratio[2], 16);
	struct machine *m = t_machine(&d);
	CHECK_EQ(m->nr_nodes, 2);
	CHECK_STR(zonelist_str(m, 0, GFP_KERNEL), "0:DMA32 0:DMA 1:Normal");
	CHECK_STR(zonelist_str(m, 1, GFP_KERNEL), "1:Normal 0:DMA32 0:DMA");
	check_zone(Z(m, 1, ZONE_NORMAL), 0x100000, 0x40000, 0x40000, 0x40000 - 0x40000 / 64);
	/* DMA32 of node 0: 262144 - 158 - 3840 present from 0x1000; its reserve from 128 */
	CHECK_EQ(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32], (long)(Z(m, 0, ZONE_DMA32)->managed_pages / 128));
	CHECK_CONSISTENT(m);
	machine_destroy(m);

	snprintf(bad, sizeof(bad), "%s/machine_test_bad.conf", tmpdir());
	write_file(bad, "# bad\nnodes = 1\nmem = huge\n");
	machine_desc_default(&d);
	err[0] = 0;
	CHECK_EQ(machine_desc_load_config(&d, bad, err, sizeof(err)), -1);
	snprintf(expect, sizeof(expect), "%s:3: mem: 'huge' is not a size of at least 4M (e.g. 16G, 1T)", bad);
	CHECK_STR(err, expect);
	/* through --config */
	char *av[] = { "prog", "--config", bad, NULL };
	int ac = 3;
	machine_desc_default(&d);
	err[0] = 0;
	CHECK_EQ(machine_desc_parse_args(&d, &ac, av, err, sizeof(err)), -1);
	CHECK_STR(err, expect);
	unlink(path);
	unlink(bad);
}

/* Does dir/fsmix.zoneinfo.before exist? */
static int traces_in(const char *dir, char *out, size_t n)
{
	char f[PATH_MAX + 64];
	snprintf(f, sizeof(f), "%s/fsmix.zoneinfo.before", dir);
	if (access(f, R_OK))
		return 0;
	snprintf(out, n, "%s", dir);
	return 1;
}

/*
 * The shared traces: $TRACE_DIR; else ../shared/traces beside the source tree, found
 * from $BUILD_WORKSPACE_DIRECTORY or by walking up from the working directory and from
 * the test binary (under bazel test the execroot beside the binary has symlinks into
 * the source tree).
 */
static int find_traces(char *out, size_t n)
{
	char buf[PATH_MAX + 64], real[PATH_MAX];
	const char *e = getenv("TRACE_DIR");

	if (e && *e)
		return traces_in(e, out, n);
	e = getenv("BUILD_WORKSPACE_DIRECTORY");
	if (e && *e) {
		snprintf(buf, sizeof(buf), "%s/../shared/traces", e);
		if (traces_in(buf, out, n))
			return 1;
	}
	char starts[2][PATH_MAX];
	int nstarts = 0;
	if (getcwd(starts[nstarts], PATH_MAX))
		nstarts++;
	if (realpath("/proc/self/exe", starts[nstarts])) {
		char *slash = strrchr(starts[nstarts], '/');
		if (slash)
			*slash = 0;
		nstarts++;
	}
	for (int s = 0; s < nstarts; s++) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%s", starts[s]);
		for (;;) {
			snprintf(buf, sizeof(buf), "%s/shared/traces", dir);
			if (traces_in(buf, out, n))
				return 1;
			/* an execroot or runfiles tree: dir/alloc links into the source tree */
			snprintf(buf, sizeof(buf), "%s/alloc", dir);
			if (realpath(buf, real) && strcmp(real, buf)) {
				char *slash = strrchr(real, '/');
				if (slash) {
					*slash = 0;
					snprintf(buf, sizeof(buf), "%s/../shared/traces", real);
					if (traces_in(buf, out, n))
						return 1;
				}
			}
			char *slash = strrchr(dir, '/');
			if (!slash || slash == dir)
				break;
			*slash = 0;
		}
	}
	return 0;
}

/*
 * A machine from a real /proc/zoneinfo (Linux 6.18, 2 CPUs, 24 GiB): zone starts,
 * present and managed pages, watermarks, protection and the first CPU's pcp sizes are
 * taken from the file; spans follow from the zone boundaries.
 *
 *   DMA    start 1       spanned 4095     present 3998     managed 3840    52/65/78
 *   DMA32  start 4096    spanned 1044480  present 782336   managed 772918  10569/13211/15853
 *   Normal start 1048576 spanned 5505024  present 5505024  managed 458752  6273/7841/9409
 *
 * Expect: those values; DMA protection (0, 3019, 4811, 4811) (the file has a fifth
 * entry for Device); with --policy linux-6.x DMA32 batch 63, high_min 6605, high_max
 * 48307 on both CPUs; with linux-4.12, high 252 (the file's cpu 0 high). Skipped (with
 * a SKIP line) when the traces cannot be found.
 */
static void zoneinfo_import(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], err[512];

	if (!find_traces(dir, sizeof(dir))) {
		printf("SKIP zoneinfo_import: shared/traces not found (set TRACE_DIR)\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/fsmix.zoneinfo.before", dir);
	for (int pol = 0; pol < NR_PCP_POLICIES; pol++) {
		struct machine_desc d;
		char *av[] = { "prog", "--policy", (char *)pcp_policy((enum pcp_policy_id)pol)->name, "--zoneinfo", path, NULL };
		int ac = 5;
		machine_desc_default(&d);
		CHECK_EQ(machine_desc_parse_args(&d, &ac, av, err, sizeof(err)), 0);
		CHECK_EQ(ac, 1);
		CHECK_STR(d.name, "zoneinfo:fsmix.zoneinfo.before");
		struct machine *m = t_machine(&d);
		struct zone *dma = Z(m, 0, ZONE_DMA), *dma32 = Z(m, 0, ZONE_DMA32), *normal = Z(m, 0, ZONE_NORMAL);

		CHECK_EQ(m->nr_nodes, 1);
		CHECK_EQ(m->nr_cpus, 2);
		check_zone(dma, 1, 4095, 3998, 3840);
		check_zone(dma32, 4096, 1044480, 782336, 772918);
		check_zone(normal, 1048576, 5505024, 5505024, 458752);
		CHECK(!populated_zone(Z(m, 0, ZONE_MOVABLE)));
		CHECK_EQ(min_wmark_pages(dma), 52);
		CHECK_EQ(low_wmark_pages(dma), 65);
		CHECK_EQ(high_wmark_pages(dma), 78);
		CHECK_EQ(min_wmark_pages(dma32), 10569);
		CHECK_EQ(low_wmark_pages(dma32), 13211);
		CHECK_EQ(high_wmark_pages(dma32), 15853);
		CHECK_EQ(min_wmark_pages(normal), 6273);
		CHECK_EQ(low_wmark_pages(normal), 7841);
		CHECK_EQ(high_wmark_pages(normal), 9409);
		static const long prot_dma[4] = { 0, 3019, 4811, 4811 }, prot_dma32[4] = { 0, 0, 1792, 1792 };
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			CHECK_EQ(dma->lowmem_reserve[j], prot_dma[j]);
			CHECK_EQ(dma32->lowmem_reserve[j], prot_dma32[j]);
			CHECK_EQ(normal->lowmem_reserve[j], 0);
		}
		for (int cpu = 0; cpu < 2; cpu++) {
			struct per_cpu_pages *pcp = &zone_pageset(dma32, cpu)->pcp;
			CHECK_EQ(pcp->batch, 63);
			if (pcp_policy((enum pcp_policy_id)pol)->high_tuned) {     /* the capture's bounds */
				CHECK_EQ(pcp->high_min, 6605);
				CHECK_EQ(pcp->high_max, 48307);
				CHECK_EQ(zone_pageset(normal, cpu)->pcp.high_min, 3920);
				CHECK_EQ(zone_pageset(normal, cpu)->pcp.high_max, 28672);
				CHECK_EQ(zone_pageset(dma, cpu)->pcp.high_min, 32);
				CHECK_EQ(zone_pageset(dma, cpu)->pcp.high_max, 240);
			} else {        /* the capture's high, fixed */
				CHECK_EQ(pcp->high, 252);
			}
			CHECK_EQ(zone_pageset(normal, cpu)->pcp.batch, 63);
			CHECK_EQ(zone_pageset(dma, cpu)->pcp.batch, 1);
		}
		for (int z = ZONE_DMA; z <= ZONE_NORMAL; z++)
			CHECK_EQ(zone_page_state_snapshot(Z(m, 0, z), NR_FREE_PAGES), Z(m, 0, z)->managed_pages);
		CHECK_CONSISTENT(m);
		/* it allocates like any other machine */
		cpu_bind(m, 1);
		struct page *p = alloc_pages(GFP_KERNEL, 4), *q = alloc_pages(GFP_DMA32, 0);
		CHECK(p && page_zone(m, p) == normal);
		CHECK(q && page_zone(m, q) == dma32);
		if (p)
			__free_pages(p, 4);
		if (q)
			__free_pages(q, 0);
		CHECK_CONSISTENT(m);
		cpu_unbind();
		machine_destroy(m);
	}
}

static struct machine *two_nodes(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	if (machine_desc_simple(&d, 2, 8UL << 30, 4, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	return t_machine(&d);
}

/*
 * Zonelists of a 2-node machine (8 GiB each; node 1 starts at the next 1 GiB boundary
 * after node 0's end, at 0x280000, and has only Normal): own zones highest first, then
 * the other node's; __GFP_THISNODE uses the node's own zones only. CPUs 0-1 are on node
 * 0, CPUs 2-3 on node 1.
 *
 * Expect: "0:Normal 0:DMA32 0:DMA 1:Normal" / "1:Normal 0:Normal 0:DMA32 0:DMA";
 * allocations from CPU 2 land on node 1, alloc_pages_node(0, ...) on node 0, GFP_DMA
 * falls back to node 0 (counted numa_other there).
 */
static void two_node_zonelists(void)
{
	struct machine *m = two_nodes();

	CHECK_EQ(m->nr_nodes, 2);
	check_zone(Z(m, 1, ZONE_NORMAL), 0x280000, 0x200000, 0x200000, 0x200000 - 0x200000 / 64);
	CHECK_STR(zonelist_str(m, 0, GFP_KERNEL), "0:Normal 0:DMA32 0:DMA 1:Normal");
	CHECK_STR(zonelist_str(m, 1, GFP_KERNEL), "1:Normal 0:Normal 0:DMA32 0:DMA");
	CHECK_STR(zonelist_str(m, 0, GFP_KERNEL | __GFP_THISNODE), "0:Normal 0:DMA32 0:DMA");
	CHECK_STR(zonelist_str(m, 1, GFP_KERNEL | __GFP_THISNODE), "1:Normal");
	CHECK_EQ(m->cpus[1].node, 0);
	CHECK_EQ(m->cpus[2].node, 1);

	cpu_bind(m, 2);
	CHECK_EQ(numa_node_id(), 1);
	struct page *a = alloc_pages(GFP_KERNEL, 0);
	struct page *b = alloc_pages(GFP_KERNEL | __GFP_THISNODE, 2);
	struct page *c = alloc_pages_node(0, GFP_KERNEL, 1);
	struct page *dma = alloc_pages(GFP_KERNEL | GFP_DMA, 0);
	struct page *none = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_THISNODE | __GFP_NOWARN, 0);
	CHECK(a && page_zone(m, a) == Z(m, 1, ZONE_NORMAL));
	CHECK(b && page_zone(m, b) == Z(m, 1, ZONE_NORMAL));
	CHECK(c && page_zone(m, c) == Z(m, 0, ZONE_NORMAL));
	CHECK(dma && page_zone(m, dma) == Z(m, 0, ZONE_DMA));
	CHECK(none == NULL);    /* node 1 has no DMA zone */
	CHECK_EQ(zone_numa_state(Z(m, 0, ZONE_DMA), NUMA_OTHER), 1);
	CHECK_EQ(zone_numa_state(Z(m, 0, ZONE_DMA), NUMA_HIT), 1);
	CHECK_EQ(zone_numa_state(Z(m, 1, ZONE_NORMAL), NUMA_LOCAL), 2);
	CHECK_CONSISTENT(m);
	__free_pages(a, 0);
	__free_pages(b, 2);
	__free_pages(c, 1);
	__free_pages(dma, 0);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * Three nodes with a distance matrix: each node falls back by distance, ties broken by
 * find_next_best_node's node_load (spreading first hops):
 *
 *          0   1   2          node 0: 1 GiB, DMA + DMA32; nodes 1 and 2: 1 GiB Normal
 *     0   10  30  20
 *     1   30  10  20
 *     2   20  20  10
 *
 * Expect: node 0 -> 2 -> 1; node 1 -> 2 -> 0; node 2 -> 0 -> 1 (0 and 1 tie at 20, both
 * with load 1, the lower node wins).
 */
static void distance_zonelists(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_set(&d, "nodes", "3", err, sizeof(err)), 0);
	CHECK_EQ(machine_desc_set(&d, "mem", "1G", err, sizeof(err)), 0);
	CHECK_EQ(machine_desc_set(&d, "cpus", "3", err, sizeof(err)), 0);
	CHECK_EQ(machine_desc_set(&d, "distance", "10,30,20, 30,10,20, 20,20,10", err, sizeof(err)), 0);
	struct machine *m = t_machine(&d);
	CHECK_STR(zonelist_str(m, 0, GFP_KERNEL), "0:DMA32 0:DMA 2:Normal 1:Normal");
	CHECK_STR(zonelist_str(m, 1, GFP_KERNEL), "1:Normal 2:Normal 0:DMA32 0:DMA");
	CHECK_STR(zonelist_str(m, 2, GFP_KERNEL), "2:Normal 0:DMA32 0:DMA 1:Normal");
	machine_destroy(m);
}

/*
 * Three nodes at equal distance: find_next_best_node's tie-breaks (a node below the
 * local one costs one more, then node_load) spread the first fallback hop round-robin
 * instead of sending every node to node 0 or 1:
 *
 *          0   1   2
 *     0   10  20  20        node 0 -> 1 -> 2
 *     1   20  10  20        node 1 -> 2 -> 0
 *     2   20  20  10        node 2 -> 0 -> 1
 *
 * Expect: those zonelists (node 0 has DMA and DMA32, nodes 1 and 2 Normal).
 */
static void equidistant_zonelists_spread(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_simple(&d, 3, 1UL << 30, 3, err, sizeof(err)), 0);
	struct machine *m = t_machine(&d);
	CHECK_STR(zonelist_str(m, 0, GFP_KERNEL), "0:DMA32 0:DMA 1:Normal 2:Normal");
	CHECK_STR(zonelist_str(m, 1, GFP_KERNEL), "1:Normal 2:Normal 0:DMA32 0:DMA");
	CHECK_STR(zonelist_str(m, 2, GFP_KERNEL), "2:Normal 0:DMA32 0:DMA 1:Normal");
	machine_destroy(m);
}

/*
 * movablecore: the top 2 GiB of an 8 GiB node become ZONE_MOVABLE (start rounded up to
 * a pageblock). Only requests with __GFP_HIGHMEM|__GFP_MOVABLE (GFP_HIGHUSER_MOVABLE)
 * may use it: GFP_KERNEL allocations exhaust Normal, DMA32 and DMA and then fail while
 * Movable is untouched.
 *
 *   0x100000              1835520                2359394
 *   |       Normal        |        Movable         |
 *                          2359394 - 524288 = 1835106, rounded up to 1835520
 *
 * Expect: Movable [1835520, 2359394), managed 523874 - 523874/64 = 515689; zonelist
 * "0:Movable 0:Normal 0:DMA32 0:DMA"; no GFP_KERNEL page in Movable, where the one
 * movable page stays the only allocated one; GFP_HIGHUSER_MOVABLE order 10 still
 * succeeds afterwards.
 */
static void movablecore_zone(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_set(&d, "mem", "8G", err, sizeof(err)), 0);
	CHECK_EQ(machine_desc_set(&d, "movablecore", "2G", err, sizeof(err)), 0);
	struct machine *m = t_machine(&d);
	struct zone *mov = Z(m, 0, ZONE_MOVABLE), *normal = Z(m, 0, ZONE_NORMAL);

	check_zone(mov, 1835520, 523874, 523874, 515689);
	check_zone(normal, 0x100000, 1835520 - 0x100000, 1835520 - 0x100000, 1835520 - 0x100000);
	CHECK_STR(zonelist_str(m, 0, GFP_KERNEL), "0:Movable 0:Normal 0:DMA32 0:DMA");

	cpu_bind(m, 0);
	struct page *mp = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	CHECK(mp && page_zone(m, mp) == mov);
	struct page *kp = alloc_pages(GFP_KERNEL, 0);
	CHECK(kp && page_zone(m, kp) == normal);
	struct zone_census c;
	zone_census(mov, &c);
	CHECK_EQ(c.allocated_pages, 1);
	CHECK_EQ(c.pcp_pages, 30);              /* one pcp refill of batch 31 */

	static struct page *blocks[4096];
	int n = 0, in_movable = 0;
	while (n < 4096 && (blocks[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 10))) {
		in_movable += page_zone(m, blocks[n]) == mov;
		n++;
	}
	CHECK(n > 1400 && n < 4096);
	CHECK_EQ(in_movable, 0);
	zone_census(mov, &c);                   /* (the failing requests drained the pcp lists) */
	CHECK_EQ(c.allocated_pages, 1);
	CHECK_EQ(c.free_pages + c.pcp_pages, 515689 - 1);
	CHECK(zone_page_state_snapshot(normal, NR_FREE_PAGES) < (long)min_wmark_pages(normal) + 1024);
	struct page *big = alloc_pages(GFP_HIGHUSER_MOVABLE, 10);
	CHECK(big && page_zone(m, big) == mov);
	CHECK_CONSISTENT(m);
	for (int i = 0; i < n; i++)
		__free_pages(blocks[i], 10);
	if (big)
		__free_pages(big, 10);
	__free_pages(mp, 0);
	__free_pages(kp, 0);
	drain_all_pages(m, NULL);
	for (int z = ZONE_DMA; z < MAX_NR_ZONES; z++)
		CHECK_EQ(zone_page_state_snapshot(Z(m, 0, z), NR_FREE_PAGES), Z(m, 0, z)->managed_pages);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * A 64 GiB machine initialises (mem_map is mapped lazily, so this is cheap) and is
 * consistent.
 *
 * Expect: Normal present 16777216 - 158 - 786176 = 15990882 pages, all managed pages free.
 */
static void machine_64g(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_set(&d, "mem", "64G", err, sizeof(err)), 0);
	struct machine *m = t_machine(&d);
	CHECK_EQ(Z(m, 0, ZONE_NORMAL)->present_pages, 15990882);
	CHECK_EQ(Z(m, 0, ZONE_NORMAL)->managed_pages, 15990882 - 15990882 / 64);
	CHECK_EQ(zone_page_state_snapshot(Z(m, 0, ZONE_NORMAL), NR_FREE_PAGES), 15990882 - 15990882 / 64);
	machine_destroy(m);
}

int main(void)
{
	RUN(default_machine);
	RUN(desc_set_errors);
	RUN(parse_args);
	RUN(config_file);
	RUN(zoneinfo_import);
	RUN(two_node_zonelists);
	RUN(distance_zonelists);
	RUN(equidistant_zonelists_spread);
	RUN(movablecore_zone);
	RUN(machine_64g);
	TEST_SUMMARY();
}
