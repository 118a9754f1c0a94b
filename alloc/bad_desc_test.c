// SPDX-License-Identifier: GPL-2.0
/*
 * bad_desc_test.c - bad machine descriptions are refused whole: a truncated or edited
 * /proc/zoneinfo capture, config files that are not text, option values out of the
 * kernel's ranges. Each gets one message naming the input and what was wrong, and the
 * description it was read into is unchanged. Then: options give the same machine in
 * every order.
 *
 * The captures are cut from testdata/compile.zoneinfo.before (this project's 6.18 VM):
 *
 *   line 1 Node 0, zone DMA ... start_pfn 1 | 99 zone DMA32 ... 144 start_pfn 4096 |
 *   145 zone Normal ... 190 start_pfn 1048576 | 191 Movable (empty) | 203 Device (empty)
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "pcp/pcp.h"

#define CAPTURE "replay/testdata/compile.zoneinfo.before"

#define CHECK_HAS(s, part)                                                                  \
	do {                                                                                \
		const char *_s = (s), *_p = (part);                                         \
		if (!strstr(_s, _p)) {                                                      \
			fprintf(stderr, "  %s:%d: message lacks \"%s\":\n    got \"%s\"\n", __FILE__, \
				__LINE__, _p, _s);                                          \
			t_failed_checks++;                                                  \
		}                                                                           \
	} while (0)

static char *lines[400];
static int nr_lines;

static void read_capture(void)
{
	static char buf[256 * 1024];
	FILE *f = fopen(CAPTURE, "r");
	if (!f) {
		perror(CAPTURE);
		exit(2);
	}
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l && nr_lines < 400; l = strtok_r(NULL, "\n", &save))
		lines[nr_lines++] = l;
}

static const char *tmp(const char *name)
{
	static char path[PATH_MAX];
	const char *t = getenv("TEST_TMPDIR");
	snprintf(path, sizeof(path), "%s/%s", t && *t ? t : "/tmp", name);
	return path;
}

/* The capture's lines [1, upto], with line `at` replaced by `with` (NULL: kept; "" : dropped). */
static const char *capture_edit(int upto, int at, const char *with, const char *extra)
{
	const char *path = tmp("edited.zoneinfo");
	FILE *f = fopen(path, "w");
	for (int i = 1; i <= upto && i <= nr_lines; i++) {
		if (i == at && with) {
			if (*with)
				fprintf(f, "%s\n", with);
			continue;
		}
		fprintf(f, "%s\n", lines[i - 1]);
	}
	if (extra)
		fputs(extra, f);
	fclose(f);
	return path;
}

/* Loading `path` with `load` fails with a message holding `part`, and leaves the description alone. */
static void expect_load_refused(int (*load)(struct machine_desc *, const char *, char *, size_t), const char *path,
				const char *part)
{
	struct machine_desc d, before;
	char err[1024] = "";

	machine_desc_default(&d);
	before = d;
	CHECK_EQ(load(&d, path, err, sizeof(err)), -1);
	CHECK_HAS(err, part);
	CHECK(!memcmp(&d, &before, sizeof(d)));
}
static void expect_refused(const char *path, const char *part) { expect_load_refused(machine_desc_load_zoneinfo, path, part); }

/*
 * The whole capture loads and builds a machine the checker passes; the same capture cut
 * short, inside a zone section, is refused, naming the zone and the field it lacks.
 *
 * Expect: head -120 and head -170 "ends without 'start_pfn' (is the capture truncated?)".
 */
static void zoneinfo_truncated(void)
{
	struct machine_desc d;
	char err[512];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_load_zoneinfo(&d, capture_edit(nr_lines, 0, NULL, NULL), err, sizeof(err)), 0);
	struct machine *m = t_machine(&d);
	CHECK_CONSISTENT(m);
	machine_destroy(m);

	expect_refused(capture_edit(120, 0, NULL, NULL), "zone DMA32 (line 99) ends without 'start_pfn'");
	expect_refused(capture_edit(170, 0, NULL, NULL), "zone Normal (line 145) ends without 'start_pfn'");
	expect_refused(capture_edit(100, 0, NULL, NULL), "zone DMA32 (line 99) ends without 'spanned'");
	/* a zone section without its start line: the DMA32 start_pfn line dropped */
	expect_refused(capture_edit(nr_lines, 144, "", NULL), "zone DMA32 (line 99) ends without 'start_pfn'");
}

/*
 * A capture that contradicts itself: each edit of one line is named.
 *
 * Expect: one message per edit, as listed.
 */
static void zoneinfo_inconsistent(void)
{
	char extra[4096];

	/* DMA32's present 782336 -> more than its spanned 1044480 */
	expect_refused(capture_edit(nr_lines, 107, "        present  2000000", NULL), "present 2000000 is more than spanned 1044480");
	expect_refused(capture_edit(nr_lines, 108, "        managed  800000", NULL), "managed 800000 is more than present 782336");
	expect_refused(capture_edit(nr_lines, 110, "        protection: (0, -5, 4352, 4352, 4352)", NULL),
		       "protection: entry 1 is not a page count");
	expect_refused(capture_edit(nr_lines, 110, "        protection: (0, 0, 4352", NULL),
		       "protection: the list does not end with ')'");
	expect_refused(capture_edit(nr_lines, 132, "              batch:    4294967295", NULL), "batch is not a count in 1..65536");
	expect_refused(capture_edit(nr_lines, 132, "              batch:    -1", NULL), "batch is not a count in 1..65536");
	expect_refused(capture_edit(nr_lines, 132, "              batch:    0", NULL), "batch: 0; the kernel's batch is at least 1");
	expect_refused(capture_edit(nr_lines, 133, "              high_min: 50000", NULL), "high_min 50000 is above high_max 48300");
	/* Normal starting inside DMA32 */
	expect_refused(capture_edit(nr_lines, 190, "  start_pfn:           700000", NULL), "lie outside the zone's");
	/* a second DMA32 section: the zone appears twice */
	extra[0] = 0;
	for (int i = 99; i <= 144; i++)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), "%s\n", lines[i - 1]);
	expect_refused(capture_edit(nr_lines, 0, NULL, extra), "node 0, zone DMA32 appears twice");
	/* the same zone under node 1 at the same pfns: ranges overlap */
	snprintf(extra, sizeof(extra), "Node 1, zone    DMA32\n        spanned  1044480\n        present  782336\n"
				       "        managed  772808\n  start_pfn:           4096\n");
	expect_refused(capture_edit(nr_lines, 0, NULL, extra), "overlap node 0's");
	expect_refused(capture_edit(nr_lines, 1, "Node 64, zone      DMA", NULL), "node 64: node ids go from 0 to 62");
	expect_refused(capture_edit(nr_lines, 1, "Node -1, zone      DMA", NULL), "node -1: node ids go from 0 to 62");
	expect_refused(capture_edit(nr_lines, 1, "Node 0, zone  Highest", NULL), "unknown zone 'Highest'");
	expect_refused(capture_edit(nr_lines, 1, "Node zero", NULL), "expected 'Node N, zone NAME'");
	expect_refused(capture_edit(nr_lines, 60, "        spanned  lots", NULL), "'spanned' is not a pfn or page count");
	/* a node that only has an empty zone: memoryless, not modelled */
	snprintf(extra, sizeof(extra), "Node 2, zone   Normal\n        spanned  0\n        present  0\n        managed  0\n");
	expect_refused(capture_edit(nr_lines, 0, NULL, extra), "node 1 has no populated zone");
	expect_refused("/nonexistent/zoneinfo", "zoneinfo /nonexistent/zoneinfo: No such file or directory");
	expect_refused("/tmp", "is a directory");
	expect_refused("/dev/null", "zoneinfo /dev/null: is not a regular file");
	expect_refused("/dev/zero", "zoneinfo /dev/zero: is not a regular file");
	expect_refused(capture_edit(0, 0, NULL, ""), "no populated zone found");
	/* a NUL byte inside a line, and a line over 1,023 characters */
	{
		const char *path = tmp("nul.zoneinfo");
		FILE *f = fopen(path, "w");
		fprintf(f, "Node 0, zone   DMA32\n        spanned  10");
		fputc(0, f);
		fprintf(f, "24\n");
		fclose(f);
		expect_refused(path, ":2: a NUL byte in the line");
		f = fopen(path, "w");
		fprintf(f, "Node 0, zone   DMA32\n  ");
		for (int i = 0; i < 2000; i++)
			fputc('x', f);
		fprintf(f, "\n");
		fclose(f);
		expect_refused(path, ":2: the line is longer than 1023 characters");
	}
}

/*
 * 1,100 "cpu:" lines in one zone: refused before any CPU past NR_CPUS is written.
 *
 * Expect: "more than 1024 CPUs in one zone" (UBSan: no out-of-bounds index).
 */
static void zoneinfo_too_many_cpus(void)
{
	size_t size = 1100 * 40 + 1;
	char *extra = malloc(size), *p = extra;

	for (int c = 0; c < 1100; c++)
		p += sprintf(p, "    cpu: %d\n              high:     10\n", c % 1024);
	/* inside the DMA32 section: before its start_pfn line (144) */
	char *mid = malloc(size + 64);
	snprintf(mid, size + 64, "%s  start_pfn:           4096", extra);
	expect_refused(capture_edit(nr_lines, 144, mid, NULL), "more than 1024 CPUs in one zone");
	free(mid);
	free(extra);
}

static void expect_config_refused(const char *path, const char *part)
{
	expect_load_refused(machine_desc_load_config, path, part);
}

/*
 * Config files that are not text, or not files: refused at once (no endless read of
 * /dev/zero), naming the line where there is one.
 *
 * Expect: /dev/zero "is not a regular file", /tmp "is a directory", a NUL byte and a
 * 5,000-character line named by line number, a line without '=' named.
 */
static void config_not_text(void)
{
	const char *path = tmp("bad.conf");
	FILE *f;

	expect_config_refused("/dev/zero", "config /dev/zero: is not a regular file");
	expect_config_refused("/tmp", "config /tmp: is a directory");
	f = fopen(path, "w");
	fprintf(f, "nodes = 1\nmem = 1G");
	fputc(0, f);
	fprintf(f, "garbage\n");
	fclose(f);
	expect_config_refused(path, ":2: a NUL byte in the line");
	f = fopen(path, "w");
	fprintf(f, "# one\n\nname = ");
	for (int i = 0; i < 5000; i++)
		fputc('x', f);
	fprintf(f, "\n");
	fclose(f);
	expect_config_refused(path, ":3: the line is longer than 4095 characters");
	f = fopen(path, "w");
	fprintf(f, "mem 1G\n");
	fclose(f);
	expect_config_refused(path, ":1: 'mem 1G' is not 'key = value'");
	f = fopen(path, "w");
	fprintf(f, "config = other.conf\n");
	fclose(f);
	expect_config_refused(path, ":1: a config file cannot name another config file");
	f = fopen(path, "w");
	fprintf(f, "mem = 1G\nmem = 2G\n");
	fclose(f);
	expect_config_refused(path, ":2: mem is given again, as '2G' (first '1G' at");
	unlink(path);
}

/* parse_args on `argv` (NULL-terminated) fails with `part`. */
static void expect_args_refused(const char *const *args, const char *part)
{
	char *av[32];
	int ac = 0;
	struct machine_desc d, before;
	char err[1024] = "";

	av[ac++] = "prog";
	for (; *args; args++)
		av[ac++] = (char *)*args;
	av[ac] = NULL;
	machine_desc_default(&d);
	before = d;
	CHECK_EQ(machine_desc_parse_args(&d, &ac, av, err, sizeof(err)), -1);
	CHECK_HAS(err, part);
	CHECK(!memcmp(&d, &before, sizeof(d)));
}
#define REFUSED(part, ...) expect_args_refused((const char *const[]){ __VA_ARGS__, NULL }, part)

/*
 * Values the kernel would refuse, or the model cannot honour: each named.
 *
 * Expect: the messages listed.
 */
static void option_values(void)
{
	REFUSED("node 0 to 0 is 0; a node's distance to itself must be 10", "--nodes", "2", "--distance", "0,0,0,0");
	REFUSED("node 0 to 0 is 100", "--nodes", "2", "--distance", "100,20,20,100");
	REFUSED("node 0 to 1 is 10; a distance between nodes must be in 11..255", "--nodes", "2", "--distance", "10,10,10,10");
	REFUSED("cpus: 2 CPUs cannot cover 4 nodes", "--cpus", "2", "--nodes", "4");
	REFUSED("cpus: 2 CPUs cannot cover 4 nodes", "--nodes", "4", "--cpus", "2");
	REFUSED("movablecore: 'nan' is not a size", "--movablecore", "nan");
	REFUSED("mem: 'nan' is not a size of at least 4M", "--mem", "nan");
	REFUSED("mem: 'inf' is not a size of at least 4M", "--mem", "inf");
	REFUSED("mem: '1e30' is not a size of at least 4M", "--mem", "1e30");
	REFUSED("mem: 2 x 4294967296 MiB is beyond the model's 4096 TiB", "--nodes", "2", "--mem", "4P");
	REFUSED("backed: 'maybe' is not yes or no", "--backed=maybe");
	REFUSED("nodes: '64' is not a number in 1..63", "--nodes", "64");
	REFUSED("--mem is given twice ('1G', then '2G')", "--mem", "1G", "--mem", "2G");
	REFUSED("config /tmp: is a directory", "--config", "/tmp");
	REFUSED("--mem cannot be combined with --zoneinfo", "--mem", "1G", "--zoneinfo", CAPTURE);
	REFUSED("min_free_kbytes: '1099511627776' is not a number in 0..1073741824", "--min-free-kbytes", "1099511627776");
	REFUSED("percpu_pagelist_fraction: '1099511627776' is not a number in 0..2147483647",
		"--percpu-pagelist-fraction", "1099511627776");

	/* the help's range is the real one: 61..63 nodes build */
	for (int n = 61; n <= 63; n++) {
		char nodes[8];
		snprintf(nodes, sizeof(nodes), "%d", n);
		char *av[] = { "prog", "--nodes", nodes, "--mem", "8M", NULL };
		int ac = 5;
		struct machine_desc d;
		char err[512] = "";
		machine_desc_default(&d);
		CHECK_EQ(machine_desc_parse_args(&d, &ac, av, err, sizeof(err)), 0);
		CHECK_STR(err, "");
		CHECK_EQ(d.nr_nodes, n);
		CHECK_EQ(d.nr_cpus, n);
	}
	CHECK(strstr(machine_options_help, "NUMA nodes, 1..63"));
}

/* sysctl writes: the kernel handlers' bounds, and nothing changes on a refusal. */
static void sysctl_ranges(void)
{
	struct machine *m = t_machine_flat(0x1000, 64 * 1024, 2, PCP_POLICY_LINUX_4_12, 0);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_DMA32];
	unsigned long min = min_wmark_pages(z);
	char err[256] = "";

	CHECK_EQ(sysctl_set(m, "min_free_kbytes", 1L << 40, err, sizeof(err)), -1);
	CHECK_STR(err, "min_free_kbytes: 1099511627776 is outside 0..2147483647");
	CHECK_EQ(sysctl_set(m, "percpu_pagelist_fraction", 1L << 40, err, sizeof(err)), -1);
	CHECK_STR(err, "percpu_pagelist_fraction: 1099511627776 is outside 0 or 8..2147483647");
	CHECK_EQ(sysctl_set(m, "percpu_pagelist_high_fraction", -8, err, sizeof(err)), -1);
	CHECK_STR(err, "percpu_pagelist_high_fraction: -8 is outside 0 or 8..2147483647");
	CHECK_EQ(sysctl_set(m, "watermark_scale_factor", 1L << 33, err, sizeof(err)), -1);
	CHECK_STR(err, "watermark_scale_factor: 8589934592 is outside 1..3000");
	CHECK_EQ(min_wmark_pages(z), min);
	CHECK_EQ(m->desc.percpu_pagelist_fraction, 0);
	CHECK_CONSISTENT(m);
	machine_destroy(m);
}

/*
 * Options are order-independent: six options in all 720 orders build one description.
 *
 * Expect: every order memcmp-equal to the first.
 */
static void option_order(void)
{
	const char *opt[6][2] = { { "--nodes", "2" }, { "--mem", "1G" }, { "--cpus", "6" }, { "--distance", "10,31,31,10" },
				  { "--movablecore", "256M" }, { "--policy", "linux-6.x" } };
	int perm[6] = { 0, 1, 2, 3, 4, 5 }, orders = 0;
	struct machine_desc first;

	for (;;) {
		char *av[16];
		int ac = 0;
		av[ac++] = "prog";
		for (int i = 0; i < 6; i++) {
			av[ac++] = (char *)opt[perm[i]][0];
			av[ac++] = (char *)opt[perm[i]][1];
		}
		av[ac] = NULL;
		struct machine_desc d;
		char err[512] = "";
		machine_desc_default(&d);
		CHECK_EQ(machine_desc_parse_args(&d, &ac, av, err, sizeof(err)), 0);
		if (!orders++) {
			first = d;
			CHECK_EQ(d.nr_nodes, 2);
			CHECK_EQ(d.nr_cpus, 6);
			CHECK_EQ(d.node_distance[0][1], 31);
			CHECK_EQ(d.movablecore_pages, 65536);
			CHECK_EQ(d.policy, PCP_POLICY_LINUX_6_X);
		} else if (memcmp(&d, &first, sizeof(d))) {
			CHECK(!"a different description for another order");
			break;
		}
		/* next permutation */
		int i = 4;
		while (i >= 0 && perm[i] > perm[i + 1])
			i--;
		if (i < 0)
			break;
		int j = 5;
		while (perm[j] < perm[i])
			j--;
		int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
		for (int a = i + 1, b = 5; a < b; a++, b--) {
			t = perm[a]; perm[a] = perm[b]; perm[b] = t;
		}
	}
	CHECK_EQ(orders, 720);

	/* a flag overrides the same key in a config file, in either order */
	const char *path = tmp("order.conf");
	FILE *f = fopen(path, "w");
	fprintf(f, "mem = 2G\ncpus = 4\n");
	fclose(f);
	for (int k = 0; k < 2; k++) {
		char *a1[] = { "prog", "--config", (char *)path, "--mem", "1G", NULL };
		char *a2[] = { "prog", "--mem", "1G", "--config", (char *)path, NULL };
		int ac = 5;
		struct machine_desc d;
		char err[512] = "";
		machine_desc_default(&d);
		CHECK_EQ(machine_desc_parse_args(&d, &ac, k ? a2 : a1, err, sizeof(err)), 0);
		CHECK_EQ(d.nr_cpus, 4);
		unsigned long pages = 0;
		for (int r = 0; r < d.nr_ranges; r++)
			pages += d.ranges[r].end_pfn - d.ranges[r].start_pfn;
		CHECK_EQ(pages, (1UL << 30) >> PAGE_SHIFT);
	}
	unlink(path);
}

int main(void)
{
	read_capture();
	RUN(zoneinfo_truncated);
	RUN(zoneinfo_inconsistent);
	RUN(zoneinfo_too_many_cpus);
	RUN(config_not_text);
	RUN(option_values);
	RUN(sysctl_ranges);
	RUN(option_order);
	TEST_SUMMARY();
}
