// SPDX-License-Identifier: GPL-2.0
/*
 * replay_test.c - trace replay on the model: the pfn map; exact model counts for small
 * hand-written traces on a small machine (testdata/small.zoneinfo: one 256 MiB DMA32
 * zone, 2 CPUs, batch 31, high 186), worked out by hand from the 4.12 policy's batch and
 * high (and one 6.x alloc_factor sequence); pre-capture, remote and untraced frees;
 * malformed lines; the JSON keys; the list seeding and the tick phase (the fidelity target
 * on real captures is replay_fidelity_test.c).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/machine.h"
#include "alloc/test_harness.h"
#include "replay/pfnmap.h"
#include "replay/replay.h"
#include "pcp/pcp.h"

#define TESTDATA "replay/testdata/"
#define FSMIX "fsmix.trace.xz"

/* --- the pfn map --- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_pfnmap(void)
{
	enum { N = 1 << 21, SPACE = 1 << 23 };
	struct pfnmap m;
	uint8_t *shadow = calloc(SPACE, 1);	/* order + 1 of each live pfn, 0: absent */
	size_t live = 0;
	bool ok = true;

	CHECK(shadow != NULL);
	CHECK_EQ(pfnmap_init(&m, 0), 0);
	/* churn: clustered pfns (as the kernel hands them out) with inserts, replaces and takes */
	for (long i = 0; i < 3L * N && ok; i++) {
		uint64_t pfn = (rnd() % 64 == 0 ? rnd() : i / 3 + rnd() % 512) % SPACE;
		unsigned order = (unsigned)(rnd() % 11);
		struct page *page, *fake = (struct page *)(uintptr_t)((pfn << 4) | 8);
		unsigned o;
		switch (rnd() % 3) {
		case 0:
		case 1: {
			int r = pfnmap_put(&m, pfn, fake, order, &page, &o);
			ok &= r == (shadow[pfn] ? 1 : 0);
			if (r == 1)
				ok &= o == (unsigned)shadow[pfn] - 1 && page == fake;
			live += !shadow[pfn];
			shadow[pfn] = (uint8_t)(order + 1);
			break;
		}
		default: {
			bool got = pfnmap_take(&m, pfn, &page, &o);
			ok &= got == (shadow[pfn] != 0);
			if (got)
				ok &= o == (unsigned)shadow[pfn] - 1 && page == fake;
			live -= got;
			shadow[pfn] = 0;
		}
		}
		ok &= pfnmap_count(&m) == live;
	}
	CHECK(ok);
	/* millions live at once, then every one found and taken */
	for (uint64_t pfn = 0; pfn < SPACE; pfn += 2)
		if (!shadow[pfn]) {
			pfnmap_put(&m, pfn, (struct page *)(uintptr_t)8, 0, NULL, NULL);
			shadow[pfn] = 1;
			live++;
		}
	CHECK(pfnmap_count(&m) == live);
	CHECK(live >= SPACE / 2);
	for (uint64_t pfn = 0; pfn < SPACE && ok; pfn++) {
		ok &= pfnmap_get(&m, pfn, NULL, NULL) == (shadow[pfn] != 0);
		if (shadow[pfn])
			ok &= pfnmap_take(&m, pfn, NULL, NULL);
	}
	CHECK(ok);
	CHECK_EQ(pfnmap_count(&m), 0);
	CHECK_EQ(pfnmap_put(&m, PFNMAP_MAX_PFN + 1, NULL, 0, NULL, NULL), -1);
	pfnmap_destroy(&m);
	free(shadow);
}

/* --- small hand-written traces --- */

struct tbuf {
	char *s;
	size_t len, cap;
	double ts;
};

static void add(struct tbuf *t, const char *fmt, ...)
{
	va_list ap;

	if (t->cap - t->len < 512) {
		t->cap = t->cap ? t->cap * 2 : 1 << 16;
		t->s = realloc(t->s, t->cap);
	}
	va_start(ap, fmt);
	t->len += (size_t)vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
}

static void alloc_line(struct tbuf *t, int cpu, unsigned long pfn, int order, int mt, const char *gfp)
{
	t->ts += 0.000001;
	add(t, "  test 100 [%03d] %.6f: kmem:mm_page_alloc: page=0x%lx pfn=0x%lx order=%d migratetype=%d gfp_flags=%s\n",
	    cpu, t->ts, pfn, pfn, order, mt, gfp);
}

static void free_line(struct tbuf *t, int cpu, unsigned long pfn, int order)
{
	t->ts += 0.000001;
	add(t, "  test 100 [%03d] %.6f: kmem:mm_page_free: page=0x%lx pfn=0x%lx order=%d\n", cpu, t->ts, pfn, pfn,
	    order);
}

static struct machine *small_machine(enum pcp_policy_id policy)
{
	struct machine_desc d;
	char err[512];

	machine_desc_default(&d);
	d.policy = policy;
	d.scheme = PCP_SCHEME_TRYLOCK;
	if (machine_desc_load_zoneinfo(&d, TESTDATA "small.zoneinfo", err, sizeof(err))) {
		fprintf(stderr, "small.zoneinfo: %s\n", err);
		return NULL;
	}
	struct machine *m = machine_create(&d, err, sizeof(err));
	if (!m)
		fprintf(stderr, "machine_create: %s\n", err);
	return m;
}

static int replay_buf(struct machine *m, const struct tbuf *t, const struct replay_options *o, struct replay_result *r,
		      char *err, size_t errlen)
{
	struct trace_reader *rd = trace_open_mem(t->s, t->len, err, errlen);

	if (!rd)
		return -1;
	int rc = replay_reader(m, rd, o, r, err, errlen);
	trace_close(rd);
	return rc;
}

static void quiet_options(struct replay_options *o)
{
	replay_options_default(o);
	o->quiet = true;
	o->replay_unknown_frees = false;        /* the exact cases count the frees they skip */
	o->tick_ns = 0;
}

/*
 * A capture with the reclaim tracepoints (scripts/capture-trace records them): the
 * kernel's kswapd wakeups, direct reclaims and compactions are counted from the vmscan:
 * and compaction: lines, the model's from its own slow path. The trace fills the small
 * machine (65536 pages, min 128, low 160) with 127 order-9 blocks, then 400 order-0
 * GFP_KERNEL pages: the model goes below low (kswapd woken) and then below min (direct
 * reclaim, which finds nothing: the replay does not reclaim). Kernel lines: 3 wakeups,
 * 2 direct reclaims, 1 compaction, plus kswapd_wake/sleep and the _end lines.
 * Expect: kernel 3 / 2 / 1; model at least 1 wakeup and 1 direct reclaim; the table has the
 * three reclaim rows, which a trace without such lines does not.
 */
static void test_reclaim_events(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_6_18);
	struct replay_options o;
	struct replay_result r;
	struct tbuf t = { 0 };
	char err[512];

	CHECK(m != NULL);
	if (!m)
		return;
	quiet_options(&o);
	for (int i = 0; i < 127; i++)
		alloc_line(&t, 0, (unsigned long)i * 512, 9, 1, "GFP_HIGHUSER_MOVABLE");
	static const char *const reclaim[] = {
		"vmscan:mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL",
		"vmscan:mm_vmscan_kswapd_wake: nid=0 order=0",
		"vmscan:mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL",
		"vmscan:mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_KERNEL",
		"vmscan:mm_vmscan_direct_reclaim_end: nr_reclaimed=32",
		"vmscan:mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL",
		"vmscan:mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_KERNEL",
		"vmscan:mm_vmscan_direct_reclaim_end: nr_reclaimed=32",
		"compaction:mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x10000 zone_end=0x10000, mode=async",
		"compaction:mm_compaction_end: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x10000 zone_end=0x10000, mode=async status=complete",
		"vmscan:mm_vmscan_kswapd_sleep: nid=0",
	};
	for (int i = 0; i < 400; i++) {
		alloc_line(&t, 0, 127 * 512 + (unsigned long)i, 0, 0, "GFP_KERNEL");
		if (i % 40 == 0 && i / 40 < (int)(sizeof(reclaim) / sizeof(reclaim[0]))) {
			t.ts += 0.000001;
			add(&t, "  kswapd0 42 [000] %.6f: %s\n", t.ts, reclaim[i / 40]);
		}
	}
	FILE *saved = m->report;
	m->report = fopen("/dev/null", "w");
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
	fclose(m->report);
	m->report = saved;
	CHECK(r.reclaim_events);
	CHECK_EQ(r.kernel.kswapd_wakeups, 3);
	CHECK_EQ(r.kernel.direct_reclaims, 2);
	CHECK_EQ(r.kernel.compactions, 1);
	CHECK(r.model.kswapd_wakeups >= 1);
	CHECK(r.model.direct_reclaims >= 1);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	replay_print_table(&r, "reclaim", f);
	fclose(f);
	CHECK(out && strstr(out, "| kswapd wakeups per 1,000 allocations") != NULL);
	CHECK(out && strstr(out, "| direct reclaim entries per 1,000 allocations") != NULL);
	free(out);
	replay_result_destroy(&r);
	machine_destroy(m);
	/* without the lines: no reclaim rows */
	m = small_machine(PCP_POLICY_LINUX_6_18);
	struct tbuf t2 = { 0 };
	alloc_line(&t2, 0, 0x1000, 0, 0, "GFP_KERNEL");
	CHECK_EQ(replay_buf(m, &t2, &o, &r, err, sizeof(err)), 0);
	CHECK(!r.reclaim_events);
	out = NULL;
	f = open_memstream(&out, &len);
	replay_print_table(&r, "plain", f);
	fclose(f);
	CHECK(out && strstr(out, "kswapd wakeups") == NULL);
	free(out);
	replay_result_destroy(&r);
	machine_destroy(m);
	free(t.s);
	free(t2.s);
}

/*
 * 4.12, batch 31, high 186, GFP_KERNEL (UNMOVABLE) order-0 blocks:
 *   CPU0 allocates 31 pfns: one refill of 31 (30 hits);
 *   a free of a pfn never allocated: counted, skipped;
 *   CPU1 frees one of CPU0's blocks (a remote free: onto CPU1's list), with its
 *   mm_page_free_batched annotation (skipped);
 *   CPU0 allocates a live pfn again: the old block is freed first (untraced free, onto
 *   CPU0's list), and the allocation is a hit;
 *   zone_locked / pcpu_drain / extfrag lines count for the kernel only.
 * Then CPU1 allocates 200 and frees them: ceil(200/31) = 7 refills (217 blocks, 17 left);
 * its list holds 1 + 17 = 18, so the 168th free reaches high 186 and drains a batch of 31
 * (to 155), and 31 frees later (the 199th) it is 186 again: a second drain. 2 drains, 62.
 */
static void test_412_exact(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_4_12);
	struct replay_options o;
	struct replay_result r;
	struct tbuf t = { 0 };
	char err[512];

	CHECK(m != NULL);
	if (!m)
		return;
	quiet_options(&o);
	for (int i = 0; i < 31; i++)
		alloc_line(&t, 0, 0x100000 + (unsigned long)i, 0, 0, "GFP_KERNEL");
	free_line(&t, 0, 0x999999, 0);
	free_line(&t, 1, 0x100000, 0);
	add(&t, "  test 100 [001] %.6f: kmem:mm_page_free_batched: page=0x100000 pfn=0x100000 order=0\n", t.ts);
	alloc_line(&t, 0, 0x100001, 0, 0, "GFP_KERNEL");
	add(&t, "  test 100 [000] %.6f: kmem:mm_page_alloc_zone_locked: page=0x1 pfn=0x1 order=0 migratetype=0 "
		"percpu_refill=1\n", t.ts);
	add(&t, "  test 100 [000] %.6f: kmem:mm_page_pcpu_drain: page=0x1 pfn=0x1 order=0 migratetype=0\n", t.ts);
	add(&t, "  test 100 [000] %.6f: kmem:mm_page_alloc_extfrag: page=0x1 pfn=0x1 alloc_order=0 fallback_order=9 "
		"pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1\n", t.ts);

	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
	CHECK_EQ(r.model.allocs, 32);
	CHECK_EQ(r.model.frees, 1);
	CHECK_EQ(r.model.refill_blocks, 31);
	CHECK_EQ(r.model.refill_base_pages, 31);
	CHECK_EQ(r.model.refill_runs, 1);
	CHECK_EQ(r.model.drain_blocks, 0);
	CHECK_EQ(r.model.direct_blocks, 0);
	CHECK_EQ(r.extra.pcp_allocs, 32);
	CHECK_EQ(r.extra.pcp_hits, 31);
	CHECK_EQ(r.extra.frees_unknown, 1);
	CHECK_EQ(r.extra.frees_unknown_replayed, 0);
	CHECK_EQ(r.extra.frees_untraced, 1);
	CHECK_EQ(r.extra.frees_batched, 1);
	CHECK_EQ(r.extra.alloc_failures, 0);
	CHECK_EQ(r.extra.live_end, 30);
	CHECK_EQ(r.kernel.allocs, 32);
	CHECK_EQ(r.kernel.frees, 2);
	CHECK_EQ(r.kernel.refill_blocks, 1);
	CHECK_EQ(r.kernel.drain_blocks, 1);
	CHECK_EQ(r.kernel.extfrag, 1);
	CHECK_EQ(r.model.extfrag, 1);		/* a fresh machine has only MOVABLE pageblocks: one steal */
	CHECK_EQ(r.trace_cpus, 2);
	replay_result_destroy(&r);

	/* the second part, on a fresh machine */
	machine_destroy(m);
	m = small_machine(PCP_POLICY_LINUX_4_12);
	CHECK(m != NULL);
	if (!m)
		return;
	t.len = 0;
	alloc_line(&t, 0, 0x100000, 0, 0, "GFP_KERNEL");
	free_line(&t, 1, 0x100000, 0);		/* CPU1's list: 1 */
	for (int i = 0; i < 200; i++)
		alloc_line(&t, 1, 0x200000 + (unsigned long)i, 0, 0, "GFP_KERNEL");
	for (int i = 0; i < 200; i++)
		free_line(&t, 1, 0x200000 + (unsigned long)i, 0);
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
	CHECK_EQ(r.model.allocs, 201);
	CHECK_EQ(r.model.frees, 201);
	CHECK_EQ(r.model.refill_runs, 1 + 7);
	CHECK_EQ(r.model.refill_blocks, 31 + 217);
	CHECK_EQ(r.model.drain_runs, 2);
	CHECK_EQ(r.model.drain_blocks, 62);
	CHECK_EQ(r.model.drain_base_pages, 62);
	CHECK_EQ(r.extra.pcp_hits, 201 - 8);
	replay_result_destroy(&r);
	machine_destroy(m);
	free(t.s);
}

/*
 * 6.x on the same machine (high_min = high_max = 186: no auto-tuning of high, no tick):
 * refills grow by alloc_factor while nothing is freed, capped at high - count - batch:
 * 31, 62, 124, then 155 - 218 allocations, 4 refills, 372 blocks. Order 4 is not a pcp
 * order: a block taken under the zone lock directly.
 */
static void test_6x_alloc_factor(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_6_X);
	struct replay_options o;
	struct replay_result r;
	struct tbuf t = { 0 };
	char err[512];

	CHECK(m != NULL);
	if (!m)
		return;
	quiet_options(&o);
	for (int i = 0; i < 218; i++)
		alloc_line(&t, 0, 0x100000 + (unsigned long)i, 0, 1, "GFP_HIGHUSER_MOVABLE");
	alloc_line(&t, 1, 0x300000, 4, 0, "GFP_KERNEL|__GFP_COMP");
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
	CHECK_EQ(r.model.allocs, 219);
	CHECK_EQ(r.model.refill_runs, 4);
	CHECK_EQ(r.model.refill_blocks, 31 + 62 + 124 + 155);
	CHECK_EQ(r.model.direct_blocks, 1);
	CHECK_EQ(r.model.direct_base_pages, 16);
	CHECK_EQ(r.extra.pcp_allocs, 218);
	CHECK_EQ(r.extra.pcp_hits, 214);
	CHECK_STR(r.policy, "linux-6.18");    /* linux-6.x is its alias */
	replay_result_destroy(&r);
	machine_destroy(m);
	free(t.s);
}

/* Pre-capture frees replayed: a block from the buddy, freed onto the CPU's list. */
static void test_unknown_frees_replayed(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_4_12);
	struct replay_options o;
	struct replay_result r;
	struct tbuf t = { 0 };
	char err[512];

	CHECK(m != NULL);
	if (!m)
		return;
	quiet_options(&o);
	o.replay_unknown_frees = true;
	free_line(&t, 1, 0x123456, 0);
	free_line(&t, 1, 0x123460, 2);		/* order 2: not a 4.12 pcp order, to the buddy */
	alloc_line(&t, 1, 0x100000, 0, 2, "GFP_KERNEL|__GFP_RECLAIMABLE");	/* no pcp list of its own yet */
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
	CHECK_EQ(r.extra.frees_unknown, 2);
	CHECK_EQ(r.extra.frees_unknown_replayed, 2);
	CHECK_EQ(r.model.frees, 2);
	CHECK_EQ(r.model.allocs, 1);
	CHECK_EQ(r.model.refill_runs, 1);
	CHECK_EQ(r.model.refill_blocks, 31);
	CHECK_EQ(r.model.extfrag, 1);		/* a fresh machine: every pageblock MOVABLE */
	replay_result_destroy(&r);
	machine_destroy(m);
	free(t.s);
}

/* Malformed lines: a clear error with the line number; with skip-bad, counted. */
static void test_malformed(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_6_X);
	struct replay_options o;
	struct replay_result r;
	struct tbuf t = { 0 };
	char err[512];

	CHECK(m != NULL);
	if (!m)
		return;
	quiet_options(&o);
	alloc_line(&t, 0, 0x100000, 0, 0, "GFP_KERNEL");
	alloc_line(&t, 0, 0x100001, 0, 0, "GFP_KERNEL");
	add(&t, "  test 100 [000] 2.000000: kmem:mm_page_alloc: page=0x5 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	free_line(&t, 0, 0x100000, 0);
	add(&t, "  test 100 [000] 2.000100: kmem:mm_page_free: page=0x5 pf");	/* truncated, no newline */
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "line 3:");
	CHECK_CONTAINS(err, "pfn");
	CHECK_EQ(r.model.allocs, 2);
	replay_result_destroy(&r);

	o.trace_flags = TRACE_SKIP_BAD;
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
	CHECK_EQ(r.counts.bad_lines, 2);
	CHECK_EQ(r.model.allocs, 2);
	CHECK_EQ(r.model.frees, 1);
	replay_result_destroy(&r);

	/* a trace CPU the machine does not have */
	t.len = 0;
	alloc_line(&t, 5, 0x100000, 0, 0, "GFP_KERNEL");
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "line 1: trace CPU 5");
	replay_result_destroy(&r);
	machine_destroy(m);
	free(t.s);
}

/* Real perf output the reader must take: PID -1 and 6.1x's fragmenting=10. */
static void test_real_perf_lines(void)
{
	static const char text[] =
		"             :-1    -1 [001]  3938.930044:              kmem:mm_page_free: page=0x1818b0 "
		"pfn=0x1818b0 order=3\n"
		"            perf  8259 [001]  3376.766647:     kmem:mm_page_alloc_extfrag: page=0x1bf000 pfn=0x1bf000 "
		"alloc_order=0 fallback_order=10 pageblock_order=9 alloc_migratetype=2 fallback_migratetype=1 "
		"fragmenting=10 change_ownership=1\n"
		"            perf  8259 [001]  3376.766647:     kmem:mm_page_alloc_extfrag: page=0x1bf000 pfn=0x1bf000 "
		"alloc_order=0 fallback_order=3 pageblock_order=9 alloc_migratetype=2 fallback_migratetype=1 "
		"fragmenting=7 change_ownership=1\n";
	char err[256];
	struct trace_event ev;
	struct trace_reader *rd = trace_open_mem(text, sizeof(text) - 1, err, sizeof(err));

	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK_EQ(trace_next(rd, &ev), 1);
	CHECK_EQ(ev.type, TRACE_MM_PAGE_FREE);
	CHECK_EQ(ev.pid, UINT32_MAX);
	CHECK_EQ(ev.order, 3);
	CHECK_EQ(trace_next(rd, &ev), 1);
	CHECK_EQ(ev.type, TRACE_MM_PAGE_ALLOC_EXTFRAG);
	CHECK_EQ(ev.fragmenting, 0);		/* fallback_order 10 >= pageblock_order 9 */
	CHECK_EQ(trace_next(rd, &ev), 1);
	CHECK_EQ(ev.fragmenting, 1);		/* 3 < 9 */
	CHECK_EQ(trace_next(rd, &ev), 0);
	trace_close(rd);
}

/* The JSON: "kernel" and "model" objects with the figures both sides have. */
static void check_json_object(const char *json, const char *key)
{
	static const char *const want[] = { "\"allocs\": ", "\"frees\": ", "\"refill_pages_per_1k_allocs\": ",
					    "\"drain_pages_per_1k_frees\": ", "\"refill_pages\": ", "\"refill_runs\": ",
					    "\"drain_pages\": ", "\"direct_pages\": ", "\"extfrag\": " };
	char pat[64];

	snprintf(pat, sizeof(pat), "\"%s\": {", key);
	const char *s = strstr(json, pat);
	CHECK(s != NULL);
	if (!s)
		return;
	const char *e = strchr(s, '}');
	CHECK(e != NULL);
	for (size_t i = 0; e && i < sizeof(want) / sizeof(want[0]); i++) {
		const char *k = strstr(s, want[i]);
		CHECK(k != NULL && k < e);
	}
}

static void test_json(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_4_12);
	struct replay_options o;
	struct replay_result r;
	struct tbuf t = { 0 };
	char err[512], *json = NULL;
	size_t len = 0;

	CHECK(m != NULL);
	if (!m)
		return;
	quiet_options(&o);
	for (int i = 0; i < 40; i++)
		alloc_line(&t, 0, 0x100000 + (unsigned long)i, 0, 0, "GFP_KERNEL");
	for (int i = 0; i < 40; i++)
		free_line(&t, 0, 0x100000 + (unsigned long)i, 0);
	CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
	FILE *f = open_memstream(&json, &len);
	replay_print_json(&r, "small \"quoted\"", f);
	fclose(f);
	check_json_object(json, "kernel");
	check_json_object(json, "model");
	CHECK_CONTAINS(json, "\"trace\": \"small \\\"quoted\\\"\"");
	CHECK_CONTAINS(json, "\"policy\": \"linux-4.12\"");
	CHECK_CONTAINS(json, "\"pcp_hit_rate\": ");
	CHECK_CONTAINS(json, "\"replay\": {");
	/* 40 allocations: 2 refills of 31 = 62 blocks -> 1550 per 1,000 */
	CHECK_CONTAINS(json, "\"refill_pages\": 62, \"refill_pages_per_1k_allocs\": 1550.000");
	int depth = 0, min_depth = 0;
	for (const char *p = json; *p; p++) {
		depth += *p == '{';
		depth -= *p == '}';
		if (depth < min_depth)
			min_depth = depth;
	}
	CHECK_EQ(depth, 0);
	CHECK_EQ(min_depth, 0);
	free(json);

	char *table = NULL;
	f = open_memstream(&table, &len);
	replay_print_table(&r, "small", f);
	fclose(f);
	CHECK_CONTAINS(table, "| **refilled blocks per 1,000 allocations** | 0.0 | 1550.0 |");
	CHECK_CONTAINS(table, "| allocations | 40 | 40 | +0.0% |");
	free(table);
	replay_result_destroy(&r);
	machine_destroy(m);
	free(t.s);
}

/* Seeding from the capture's count: the trace shows what each list held (replay.h). */
static void test_seed_infer(void)
{
	char zi[] = "/tmp/replay_test_zoneinfo_XXXXXX";
	int fd = mkstemp(zi);
	char err[512];
	struct tbuf t = { 0 }, z = { 0 };

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	/* small.zoneinfo with CPU0's count at 100 */
	FILE *in = fopen(TESTDATA "small.zoneinfo", "r");
	char line[256];
	int cpu = -1;
	CHECK(in != NULL);
	while (in && fgets(line, sizeof(line), in)) {
		if (sscanf(line, " cpu: %d", &cpu) == 1 || !strstr(line, "count:") || cpu != 0)
			add(&z, "%s", line);
		else
			add(&z, "              count:    100\n");
	}
	if (in)
		fclose(in);
	CHECK_EQ(write(fd, z.s, z.len), (ssize_t)z.len);
	close(fd);

	/* CPU0 served 5 MOVABLE blocks, then its MOVABLE list was empty: a refill line */
	for (int i = 0; i < 5; i++)
		alloc_line(&t, 0, 0x100000 + (unsigned long)i, 0, 1, "GFP_HIGHUSER_MOVABLE");
	add(&t, "  test 100 [000] %.6f: kmem:mm_page_alloc_zone_locked: page=0x100005 pfn=0x100005 order=0 "
		"migratetype=1 percpu_refill=1\n", t.ts);
	alloc_line(&t, 0, 0x100005, 0, 1, "GFP_HIGHUSER_MOVABLE");

	for (int infer = 1; infer >= 0; infer--) {
		struct machine *m = small_machine(PCP_POLICY_LINUX_4_12);
		struct replay_options o;
		struct replay_result r;
		struct replay_plan *plan = NULL;
		CHECK(m != NULL);
		if (!m)
			break;
		quiet_options(&o);
		o.pcp_state = zi;
		if (infer) {
			struct trace_reader *rd = trace_open_mem(t.s, t.len, err, sizeof(err));
			plan = replay_plan_infer(m, rd, 0, err, sizeof(err));
			trace_close(rd);
			CHECK(plan != NULL);
			o.plan = plan;
		} else {
			o.prefill = REPLAY_PREFILL_MOVABLE;
		}
		CHECK_EQ(replay_buf(m, &t, &o, &r, err, sizeof(err)), 0);
		CHECK_EQ(r.extra.seeded_pages, 100);
		CHECK_STR(r.extra.prefill, infer ? "infer" : "movable");
		/* infer: 5 on MOVABLE (the 6th allocation refills, as the kernel's did), 95 elsewhere */
		CHECK_EQ(r.model.refill_runs, infer ? 1 : 0);
		CHECK_EQ(r.extra.pcp_hits, infer ? 5 : 6);
		replay_result_destroy(&r);
		replay_plan_free(plan);
		machine_destroy(m);
	}
	unlink(zi);
	free(t.s);
	free(z.s);
}

static void test_tick_phase_and_siblings(void)
{
	char f[] = "/tmp/replay_test_ticks_XXXXXX";
	int fd = mkstemp(f);
	int64_t phase = -1;
	char err[256], out[PATH_MAX];
	static const char ticks[] = "000 100.101973\n001 100.101977\n001 101.094022\n000 101.126037\n"
				    "001 102.086325\n";

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, ticks, sizeof(ticks) - 1), (ssize_t)sizeof(ticks) - 1);
	close(fd);
	CHECK_EQ(replay_read_tick_phase(f, &phase, err, sizeof(err)), 5);
	CHECK_EQ(phase, 101973000);
	/* around a whole second: the circular median */
	FILE *w = fopen(f, "w");
	fputs("0 5.990000\n1 6.010000\n0 6.995000\n", w);
	fclose(w);
	CHECK_EQ(replay_read_tick_phase(f, &phase, err, sizeof(err)), 3);
	CHECK_EQ(phase, 995000000);
	unlink(f);
	CHECK_EQ(replay_read_tick_phase("/nonexistent/x.vmstat_ticks", &phase, err, sizeof(err)), -1);

	CHECK_EQ(replay_sibling(TESTDATA "compile.trace.xz", "zoneinfo.before", out, sizeof(out)), 0);
	CHECK_STR(out, TESTDATA "compile.zoneinfo.before");
	CHECK_EQ(replay_sibling(TESTDATA "compile.trace.xz", "nothing", out, sizeof(out)), -1);
	replay_sibling("/x/y.trace", "vmstat_ticks", out, sizeof(out));
	CHECK_STR(out, "/x/y.vmstat_ticks");
	replay_sibling("/x/y.xz", "kernel", out, sizeof(out));
	CHECK_STR(out, "/x/y.kernel");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(test_pfnmap);
	RUN(test_412_exact);
	RUN(test_6x_alloc_factor);
	RUN(test_unknown_frees_replayed);
	RUN(test_malformed);
	RUN(test_real_perf_lines);
	RUN(test_json);
	RUN(test_reclaim_events);
	RUN(test_seed_infer);
	RUN(test_tick_phase_and_siblings);
	TEST_SUMMARY();
}
