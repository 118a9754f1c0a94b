// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_stats_test.c - the kernel's own figures: the README's fsmix row, and
 * the counting and run rules on small hand-written traces.
 *
 * Where the real trace is looked for, first hit wins:
 *   1. $TRACE_DIR/fsmix.trace.xz (bazel test --test_env=TRACE_DIR=...);
 *   2. DIR/shared/traces/fsmix.trace.xz for every ancestor DIR of this test's
 *      source file, found through its runfile (the BUILD lists it in data) and
 *      resolved to the real checkout: covers shared/ beside the checkout
 *      (../shared, as on CI) and shared/ inside it;
 *   3. the same walk up from the current directory (running the binary by hand);
 *   4. /work/shared/traces/fsmix.trace.xz.
 * Only when none exists are the fsmix checks reported as SKIP (not failed).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/test_harness.h"
#include "replay/shared_trace.h"
#include "replay/kernel_stats.h"

#define FSMIX "fsmix.trace.xz"

static bool find_fsmix(char *out, size_t outlen)
{
	return find_shared_trace(FSMIX, "replay/kernel_stats_test.c", out, outlen);
}

/* The README's table: | fsmix | 95,220 | 92,807 | 62,748 | 81,645 | 857 | 29,575 | 471 | */
static void test_fsmix_readme_figures(void)
{
	char path[PATH_MAX + 64], err[512];
	struct kernel_stats ks;
	struct trace_counts counts;

	if (!find_fsmix(path, sizeof(path))) {
		printf("SKIP fsmix README figures: " FSMIX " not found ($TRACE_DIR, shared/traces "
		       "above the source or current directory, /work/shared/traces)\n");
		return;
	}
	printf("fsmix trace: %s\n", path);
	int rc = kernel_stats_from_trace(path, 0, &ks, &counts, err, sizeof(err));

	CHECK_EQ(rc, 0);
	if (rc) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	CHECK_EQ(ks.allocs, 95220);
	CHECK_EQ(ks.allocs_order0, 92807);
	CHECK_EQ(ks.frees, 62748);
	CHECK_EQ(ks.refill_pages, 81645);
	CHECK_EQ(llround(kernel_stats_refill_per_1k(&ks)), 857);
	CHECK_EQ(ks.drain_pages, 29575);
	CHECK_EQ(llround(kernel_stats_drain_per_1k(&ks)), 471);

	/* Consistency of the rest with the trace itself. */
	CHECK_EQ(counts.lines, 327696);
	CHECK_EQ(counts.bad_lines, 0);
	CHECK_EQ(counts.by_type[TRACE_UNKNOWN], 0);
	CHECK_EQ(ks.frees_batched, 57997);
	CHECK_EQ(ks.refill_pages + ks.direct_pages, 82156);
	CHECK_EQ(ks.direct_pages, 511);
	CHECK_EQ(ks.unknown_events, 0);
	CHECK_EQ(ks.gfp_unknown_events, 0);
	CHECK_EQ(ks.ncpus, 2);
	CHECK(ks.refill_runs > 0 && ks.refill_runs < ks.refill_pages);
	CHECK(ks.drain_runs > 0 && ks.drain_runs < ks.drain_pages);

	kernel_stats_print_table_header(stdout);
	kernel_stats_print_table_row(&ks, "fsmix", stdout);
	printf("refill runs %llu (longest %llu), drain runs %llu (longest %llu)\n",
	       (unsigned long long)ks.refill_runs, (unsigned long long)ks.refill_run_max,
	       (unsigned long long)ks.drain_runs, (unsigned long long)ks.drain_run_max);

	/* The table row, formatted as in the README. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	kernel_stats_print_table_row(&ks, "fsmix", f);
	fclose(f);
	CHECK_STR(buf, "| fsmix | 95,220 | 92,807 | 62,748 | 81,645 | 857 | 29,575 | 471 |\n");
	free(buf);
	kernel_stats_destroy(&ks);
}

static int stats_of(const char *text, struct kernel_stats *ks)
{
	char err[256];
	struct trace_reader *r = trace_open_mem(text, strlen(text), err, sizeof(err));
	struct trace_event ev;
	int rc;

	kernel_stats_init(ks);
	if (!r)
		return -1;
	while ((rc = trace_next(r, &ev)) > 0)
		kernel_stats_add(ks, &ev);
	if (rc < 0)
		fprintf(stderr, "%s\n", trace_error(r));
	trace_close(r);
	return rc;
}

#define ALLOC(cpu, order) "p 1 [" #cpu "] 1.0: kmem:mm_page_alloc: pfn=0x1 order=" #order " migratetype=1 gfp_flags=GFP_KERNEL\n"
#define FREE(cpu, order) "p 1 [" #cpu "] 1.0: kmem:mm_page_free: pfn=0x1 order=" #order "\n"
#define BATCHED(cpu) "p 1 [" #cpu "] 1.0: kmem:mm_page_free_batched: pfn=0x1 order=0\n"
#define REFILL(cpu, order, mt) "p 1 [" #cpu "] 1.0: kmem:mm_page_alloc_zone_locked: pfn=0x1 order=" #order " migratetype=" #mt " percpu_refill=1\n"
#define DIRECT(cpu, order) "p 1 [" #cpu "] 1.0: kmem:mm_page_alloc_zone_locked: pfn=0x1 order=" #order " migratetype=1 percpu_refill=0\n"
#define DRAIN(cpu, order, mt) "p 1 [" #cpu "] 1.0: kmem:mm_page_pcpu_drain: pfn=0x1 order=" #order " migratetype=" #mt "\n"
#define EXTFRAG(cpu) "p 1 [" #cpu "] 1.0: kmem:mm_page_alloc_extfrag: pfn=0x1 alloc_order=0 fallback_order=3 alloc_migratetype=1 fallback_migratetype=0 fragmenting=1 change_ownership=0\n"
#define OTHER(cpu) "p 1 [" #cpu "] 1.0: sched:sched_switch: x=y\n"

static void test_counts(void)
{
	struct kernel_stats ks;
	const char *text =
		ALLOC(0, 0) ALLOC(0, 0) ALLOC(1, 3) ALLOC(1, 9)
		FREE(0, 0) BATCHED(0) FREE(1, 2) BATCHED(1) BATCHED(1)
		DIRECT(0, 4) DIRECT(1, 0)
		EXTFRAG(0) OTHER(0);

	CHECK_EQ(stats_of(text, &ks), 0);
	CHECK_EQ(ks.events, 13);
	CHECK_EQ(ks.allocs, 4);
	CHECK_EQ(ks.allocs_order0, 2);
	CHECK_EQ(ks.allocs_by_order[3], 1);
	CHECK_EQ(ks.allocs_by_order[9], 1);
	CHECK_EQ(ks.alloc_base_pages, 1 + 1 + 8 + 512);
	CHECK_EQ(ks.frees, 2);		/* batched lines are not frees */
	CHECK_EQ(ks.frees_order0, 1);
	CHECK_EQ(ks.free_base_pages, 1 + 4);
	CHECK_EQ(ks.frees_batched, 3);
	CHECK_EQ(ks.direct_pages, 2);
	CHECK_EQ(ks.direct_base_pages, 16 + 1);
	CHECK_EQ(ks.refill_pages, 0);
	CHECK_EQ(ks.refill_runs, 0);
	CHECK_EQ(ks.extfrag, 1);
	CHECK_EQ(ks.extfrag_fragmenting, 1);
	CHECK_EQ(ks.unknown_events, 1);
	CHECK_EQ(ks.ncpus, 2);
	CHECK(kernel_stats_refill_per_1k(&ks) == 0.0);
	kernel_stats_destroy(&ks);

	/* Per 1k. */
	kernel_stats_init(&ks);
	ks.refill_pages = 857;
	ks.allocs = 1000;
	ks.drain_pages = 1;
	ks.frees = 3;
	CHECK(fabs(kernel_stats_refill_per_1k(&ks) - 857.0) < 1e-9);
	CHECK(fabs(kernel_stats_drain_per_1k(&ks) - 333.333333) < 1e-3);
	CHECK(kernel_stats_per_1k(5, 0) == 0.0);
}

static void test_refill_runs(void)
{
	struct kernel_stats ks;
	const char *text =
		/* CPU0: one run of 5 - the other CPU's events do not end it, extfrag does not */
		REFILL(0, 0, 1) REFILL(0, 0, 1) ALLOC(1, 0) REFILL(0, 0, 1) EXTFRAG(0)
		REFILL(0, 0, 1) FREE(1, 0) REFILL(0, 0, 1)
		/* CPU0's own allocation ends it; the next refill starts run 2 (3 lines) */
		ALLOC(0, 0) REFILL(0, 0, 1) REFILL(0, 0, 1) REFILL(0, 0, 1)
		/* a new migratetype, then a new order: runs 3 and 4 */
		REFILL(0, 0, 2) REFILL(0, 1, 2) REFILL(0, 1, 2)
		/* CPU1 in the middle of all that: run 5; a direct take ends it; run 6 */
		REFILL(1, 0, 0) REFILL(1, 0, 0) DIRECT(1, 5) REFILL(1, 0, 0)
		/* an unknown event does not end CPU1's run 6 */
		OTHER(1) REFILL(1, 0, 0)
		/* a drain ends it; a refill after the drain: run 7 */
		DRAIN(1, 0, 0) REFILL(1, 2, 1);

	CHECK_EQ(stats_of(text, &ks), 0);
	CHECK_EQ(ks.refill_pages, 16);
	CHECK_EQ(ks.refill_base_pages, 13 + 2 + 2 + 4);
	CHECK_EQ(ks.refill_runs, 7);
	CHECK_EQ(ks.refill_run_max, 5);
	CHECK_EQ(ks.direct_pages, 1);
	CHECK_EQ(ks.drain_pages, 1);
	CHECK_EQ(ks.drain_runs, 1);
	kernel_stats_destroy(&ks);
}

static void test_drain_runs(void)
{
	struct kernel_stats ks;
	const char *text =
		/* one free_pcppages_bulk() may drain several orders and migratetypes: one run */
		DRAIN(0, 0, 0) DRAIN(0, 0, 1) DRAIN(0, 3, 2) FREE(1, 0) DRAIN(0, 0, 0)
		/* CPU0's free ends it */
		FREE(0, 0) DRAIN(0, 0, 0) DRAIN(0, 0, 0)
		/* batched free on CPU0 ends it too */
		BATCHED(0) DRAIN(0, 0, 0)
		/* a refill between drains ends the drain run */
		REFILL(0, 0, 1) DRAIN(0, 0, 0)
		/* CPU 7 (CPUs need not be dense) */
		DRAIN(7, 0, 0) DRAIN(7, 0, 0) DRAIN(7, 0, 0) DRAIN(7, 0, 0) DRAIN(7, 0, 0) DRAIN(7, 0, 0);

	CHECK_EQ(stats_of(text, &ks), 0);
	CHECK_EQ(ks.drain_pages, 4 + 2 + 1 + 1 + 6);
	CHECK_EQ(ks.drain_base_pages, 3 + 8 + 2 + 1 + 1 + 6);
	CHECK_EQ(ks.drain_runs, 5);
	CHECK_EQ(ks.drain_run_max, 6);
	CHECK_EQ(ks.frees, 2);
	CHECK_EQ(ks.frees_batched, 1);
	CHECK_EQ(ks.refill_runs, 1);
	CHECK_EQ(ks.ncpus, 8);
	kernel_stats_destroy(&ks);
}

static void test_from_trace_errors(void)
{
	struct kernel_stats ks;
	char err[256];

	CHECK_EQ(kernel_stats_from_trace("/nonexistent.trace", 0, &ks, NULL, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "cannot open /nonexistent.trace");
	kernel_stats_destroy(&ks);

	/* Malformed lines: the error names the line; with TRACE_SKIP_BAD they are skipped. */
	const char *tmp = getenv("TEST_TMPDIR");
	char path[PATH_MAX];
	struct trace_counts counts;

	snprintf(path, sizeof(path), "%s/kstats_test.trace", tmp && *tmp ? tmp : "/tmp");
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fputs(FREE(0, 0) "p 1 [0] 1.0: kmem:mm_page_free: order=0\n" FREE(0, 0), f);
	fclose(f);
	CHECK_EQ(kernel_stats_from_trace(path, 0, &ks, NULL, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "line 2: mm_page_free: missing pfn= field");
	kernel_stats_destroy(&ks);
	CHECK_EQ(kernel_stats_from_trace(path, TRACE_SKIP_BAD, &ks, &counts, err, sizeof(err)), 0);
	CHECK_EQ(ks.frees, 2);
	CHECK_EQ(counts.bad_lines, 1);
	kernel_stats_destroy(&ks);

	/* A CPU number past what the per-CPU state covers. */
	f = fopen(path, "w");
	fputs(FREE(0, 0) FREE(65536, 0), f);
	fclose(f);
	CHECK_EQ(kernel_stats_from_trace(path, 0, &ks, NULL, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "line 2: CPU 65536 is beyond the 65536 CPUs counted");
	kernel_stats_destroy(&ks);
	unlink(path);
}

int main(void)
{
	RUN(test_fsmix_readme_figures);
	RUN(test_counts);
	RUN(test_refill_runs);
	RUN(test_drain_runs);
	RUN(test_from_trace_errors);
	TEST_SUMMARY();
}
