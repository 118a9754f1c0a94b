// SPDX-License-Identifier: GPL-2.0
/*
 * trace_test.c - the perf script reader on small hand-written traces: every
 * event type, COMM with spaces and brackets, hex and decimal pfns, timestamps,
 * malformed lines (messages carry the line number), a truncated last line,
 * TRACE_SKIP_BAD counting, unknown events and gfp names counted and reported
 * once, blank/comment/CRLF lines and line lengths (trace_input_test.c has the input side:
 * xz, stdin, buffer boundaries, overlong lines, refused formats).
 *
 * Scratch files go to $TEST_TMPDIR (set by Bazel), else /tmp.
 */
#define _GNU_SOURCE
#include "replay/trace_fixture.h"

static void test_every_type(void)
{
	static struct result res;

	parse_str(every_type, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 7);
	CHECK_STR(res.err, "");
	CHECK_EQ(nwarnings, 0);

	const struct trace_event *ev = res.ev;

	CHECK_EQ(ev[0].type, TRACE_MM_PAGE_ALLOC);
	CHECK_STR(res.comm[0], "perf");
	CHECK_STR(res.name[0], "kmem:mm_page_alloc");
	CHECK_EQ(ev[0].pid, 11199);
	CHECK_EQ(ev[0].cpu, 1);
	CHECK_EQ(ev[0].ts_ns, 3742301898000ull);
	CHECK_EQ(ev[0].line, 1);
	CHECK_EQ(ev[0].pfn, 0x106656);
	CHECK_EQ(ev[0].order, 0);
	CHECK_EQ(ev[0].migratetype, 0);
	CHECK_EQ(ev[0].gfp, GFP_HIGHUSER | __GFP_ACCOUNT);
	CHECK_EQ(ev[0].gfp_unknown, 0);
	CHECK_EQ(ev[0].percpu_refill, -1);

	CHECK_EQ(ev[1].type, TRACE_MM_PAGE_FREE);
	CHECK_STR(res.comm[1], "perf-exec");
	CHECK_EQ(ev[1].cpu, 0);
	CHECK_EQ(ev[1].pfn, 0x167ca5);
	CHECK_EQ(ev[1].order, 2);
	CHECK_EQ(ev[1].migratetype, -1);
	CHECK_EQ(ev[1].gfp, 0);

	CHECK_EQ(ev[2].type, TRACE_MM_PAGE_FREE_BATCHED);
	CHECK_EQ(ev[2].pfn, 0x167ca5);
	CHECK_EQ(ev[2].order, 0);

	CHECK_EQ(ev[3].type, TRACE_MM_PAGE_ALLOC_ZONE_LOCKED);
	CHECK_EQ(ev[3].percpu_refill, 1);
	CHECK_EQ(ev[3].migratetype, 1);
	CHECK_EQ(ev[3].ts_ns, 3743000001000ull);
	CHECK_EQ(ev[4].percpu_refill, 0);
	CHECK_EQ(ev[4].order, 8);

	CHECK_EQ(ev[5].type, TRACE_MM_PAGE_PCPU_DRAIN);
	CHECK_STR(res.comm[5], "rm");
	CHECK_EQ(ev[5].migratetype, 2);
	CHECK_EQ(ev[5].line, 6);

	CHECK_EQ(ev[6].type, TRACE_MM_PAGE_ALLOC_EXTFRAG);
	CHECK_EQ(ev[6].pfn, 0x140000);
	CHECK_EQ(ev[6].order, 0);
	CHECK_EQ(ev[6].fallback_order, 9);
	CHECK_EQ(ev[6].migratetype, 1);
	CHECK_EQ(ev[6].fallback_migratetype, 0);
	CHECK_EQ(ev[6].fragmenting, 0);
	CHECK_EQ(ev[6].change_ownership, 1);

	CHECK_EQ(res.counts.lines, 7);
	CHECK_EQ(res.counts.events, 7);
	CHECK_EQ(res.counts.by_type[TRACE_MM_PAGE_ALLOC], 1);
	CHECK_EQ(res.counts.by_type[TRACE_MM_PAGE_FREE], 1);
	CHECK_EQ(res.counts.by_type[TRACE_MM_PAGE_FREE_BATCHED], 1);
	CHECK_EQ(res.counts.by_type[TRACE_MM_PAGE_ALLOC_ZONE_LOCKED], 2);
	CHECK_EQ(res.counts.by_type[TRACE_MM_PAGE_PCPU_DRAIN], 1);
	CHECK_EQ(res.counts.by_type[TRACE_MM_PAGE_ALLOC_EXTFRAG], 1);
	CHECK_EQ(res.counts.bytes, strlen(every_type));
	CHECK_EQ(res.nunk, 0);

	CHECK_STR(trace_event_type_name(TRACE_MM_PAGE_PCPU_DRAIN), "mm_page_pcpu_drain");
	CHECK_STR(trace_event_type_name(TRACE_UNKNOWN), "unknown");
}

static void test_comm_and_header(void)
{
	static struct result res;
	const char *text =
		"     Web Content 4242 [003] 100.000001: kmem:mm_page_free: page=0x1 pfn=0x2a order=1\n"
		"a [1] b 77 [002] 5.5: kmem:mm_page_free: page=0x1 pfn=0x2b order=0\n"
		"x 1 [2] 9 [004] 6.25: kmem:mm_page_free: page=0x1 pfn=0x2c order=0\n"
		"evil [3] 1.5: 42 [005] 2.0: kmem:mm_page_free: page=0x1 pfn=0x2e order=0\n"
		"1234 [000] 1.000000001: kmem:mm_page_free: page=0x1 pfn=0x2d order=0\n"
		"  kworker/u8:1-ev    55/56    [001]    7.1234567891: mm_page_free: pfn=46 order=0\n"
		"  tab\there 9 [0] 0.0: kmem:mm_page_free: pfn=0x0 order=0\n";

	parse_str(text, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 7);
	CHECK_STR(res.comm[0], "Web Content");
	CHECK_EQ(res.ev[0].pid, 4242);
	CHECK_EQ(res.ev[0].cpu, 3);
	CHECK_EQ(res.ev[0].ts_ns, 100000001000ull);
	CHECK_EQ(res.ev[0].pfn, 0x2a);
	/* Brackets inside COMM: the first [digits] followed by a timestamp is the CPU. */
	CHECK_STR(res.comm[1], "a [1] b");
	CHECK_EQ(res.ev[1].pid, 77);
	CHECK_EQ(res.ev[1].cpu, 2);
	CHECK_EQ(res.ev[1].ts_ns, 5500000000ull);
	CHECK_STR(res.comm[2], "x 1 [2]");
	CHECK_EQ(res.ev[2].pid, 9);
	CHECK_EQ(res.ev[2].cpu, 4);
	CHECK_EQ(res.ev[2].ts_ns, 6250000000ull);
	/* "[3] 1.5:" inside COMM has no PID before it: not the header. */
	CHECK_STR(res.comm[3], "evil [3] 1.5:");
	CHECK_EQ(res.ev[3].pid, 42);
	CHECK_EQ(res.ev[3].cpu, 5);
	CHECK_EQ(res.ev[3].ts_ns, 2000000000ull);
	memmove(&res.ev[3], &res.ev[4], 3 * sizeof(res.ev[0]));
	memmove(res.comm[3], res.comm[4], 3 * sizeof(res.comm[0]));
	memmove(res.name[3], res.name[4], 3 * sizeof(res.name[0]));
	/* No COMM at all. */
	CHECK_STR(res.comm[3], "");
	CHECK_EQ(res.ev[3].pid, 1234);
	CHECK_EQ(res.ev[3].ts_ns, 1000000001ull);
	/* PID/TID, wide padding, no "kmem:", decimal pfn, more than 9 fraction digits. */
	CHECK_STR(res.comm[4], "kworker/u8:1-ev");
	CHECK_EQ(res.ev[4].pid, 55);
	CHECK_EQ(res.ev[4].cpu, 1);
	CHECK_EQ(res.ev[4].ts_ns, 7123456789ull);
	CHECK_EQ(res.ev[4].pfn, 46);
	CHECK_STR(res.name[4], "mm_page_free");
	CHECK_EQ(res.ev[4].type, TRACE_MM_PAGE_FREE);
	CHECK_STR(res.comm[5], "tab\there");
	CHECK_EQ(res.ev[5].ts_ns, 0);
}

static void test_pfn_values(void)
{
	static struct result res;
	const char *text =
		/* -1UL: a failed allocation (page=(null)), the one pfn at or above 2^40 accepted */
		"p 1 [0] 1.0: kmem:mm_page_alloc: page=(null) pfn=0xffffffffffffffff order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		"p 1 [0] 1.0: kmem:mm_page_free: page=0x1 pfn=0X00000000000000000000ABCdef order=0\n"
		"p 1 [0] 1.0: kmem:mm_page_alloc: page=(null) pfn=18446744073709551615 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		"p 1 [0] 1.0: kmem:mm_page_free: page=(____ptrval____) pfn=0x0 order=0\n";

	parse_str(text, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 4);
	CHECK_EQ(res.ev[0].pfn, UINT64_MAX);
	CHECK_EQ(res.ev[1].pfn, 0xabcdef);
	CHECK_EQ(res.ev[2].pfn, UINT64_MAX);
	CHECK_EQ(res.ev[3].pfn, 0);

	static const char *const bad_pfns[] = {
		"0x10000000000000000", "18446744073709551616", "0x", "0xg1", "-1", "12a", "",
	};

	for (size_t i = 0; i < sizeof(bad_pfns) / sizeof(bad_pfns[0]); i++) {
		char line[200];

		snprintf(line, sizeof(line), "p 1 [0] 1.0: kmem:mm_page_free: pfn=%s order=0\n",
			 bad_pfns[i]);
		parse_str(line, 0, &res);
		CHECK_EQ(res.rc, -1);
		CHECK_CONTAINS(res.err, "line 1: mm_page_free: bad pfn= value");
	}
	/* a pfn a 52-bit physical address space has no frame for: named as such */
	static const char *const beyond[] = { "0x10000000000", "0x100000000000000", "0xffffffffffffffff" };
	for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
		char line[200];
		snprintf(line, sizeof(line), "p 1 [0] 1.0: kmem:mm_page_free: pfn=%s order=0\n", beyond[i]);
		parse_str(line, 0, &res);
		CHECK_EQ(res.rc, -1);
		CHECK_CONTAINS(res.err, "line 1: mm_page_free: pfn ");
		CHECK_CONTAINS(res.err, " is beyond 2^40, the last frame of a 52-bit physical address space");
	}
	parse_str("p 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0 migratetype=99 gfp_flags=GFP_KERNEL\n", 0, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_CONTAINS(res.err, "line 1: mm_page_alloc: bad migratetype= value '99'");
}

/* Malformed lines: the message names the line and what was wrong. */
static void test_malformed(void)
{
	static struct result res;
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "p 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
		  "line 3: mm_page_alloc: missing pfn= field" },
		{ "p 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0 migratetype=0",
		  "line 3: mm_page_alloc: missing gfp_flags= field" },
		{ "p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=",
		  "line 3: mm_page_alloc: bad gfp_flags= value ''" },
		{ "p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1",
		  "line 3: mm_page_free: missing order= field" },
		{ "p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=x",
		  "line 3: mm_page_free: bad order= value 'x'" },
		{ "p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=64",
		  "line 3: mm_page_free: bad order= value '64'" },
		{ "p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=-1",
		  "line 3: mm_page_free: bad order= value '-1'" },
		{ "p 1 [0] 1.0: kmem:mm_page_alloc_zone_locked: pfn=0x1 order=0 migratetype=1",
		  "line 3: mm_page_alloc_zone_locked: missing percpu_refill= field" },
		{ "p 1 [0] 1.0: kmem:mm_page_alloc_zone_locked: pfn=0x1 order=0 migratetype=1 percpu_refill=2",
		  "line 3: mm_page_alloc_zone_locked: bad percpu_refill= value '2'" },
		{ "p 1 [0] 1.0: kmem:mm_page_pcpu_drain: pfn=0x1 order=0 migratetype=abc",
		  "line 3: mm_page_pcpu_drain: bad migratetype= value 'abc'" },
		{ "p 1 [0] 1.0: kmem:mm_page_alloc_extfrag: pfn=0x1 alloc_order=0",
		  "line 3: mm_page_alloc_extfrag: missing fallback_order= field" },
		{ "p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=0 stray",
		  "line 3: mm_page_free: field 'stray' is not key=value" },
		{ "p 1 1.0: kmem:mm_page_free: pfn=0x1 order=0",
		  "line 3: no \" [CPU] \" field" },
		{ "p 1 [0] 1.x: kmem:mm_page_free: pfn=0x1 order=0",
		  "line 3: bad timestamp after [CPU]" },
		{ "p 1 [0] 1.5 kmem:mm_page_free: pfn=0x1 order=0",
		  "line 3: bad timestamp after [CPU]" },
		{ "p [0] 1.0: kmem:mm_page_free: pfn=0x1 order=0",
		  "line 3: bad or missing PID before [CPU]" },
		{ "p 1 [0] 1.0:", "line 3: missing event name after the timestamp" },
		{ "p 1 [0] 1.0: kmem:mm_page_free pfn=0x1 order=0",
		  "line 3: missing event name after the timestamp" },
		{ "p 99999999999 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=0",
		  "line 3: bad or missing PID before [CPU]" },
		{ "p 1 [99999999999] 1.0: kmem:mm_page_free: pfn=0x1 order=0",
		  "line 3: no \" [CPU] \" field" },
		{ "garbage", "line 3: no \" [CPU] \" field" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];

		/* Two good lines (one of them blank) before the bad one, one after. */
		snprintf(text, sizeof(text),
			 "p 1 [0] 0.5: kmem:mm_page_free: pfn=0x1 order=0\n\n%s\n"
			 "p 1 [0] 2.0: kmem:mm_page_free: pfn=0x2 order=0\n", cases[i].line);
		parse_str(text, 0, &res);
		CHECK_EQ(res.rc, -1);
		CHECK_EQ(res.n, 1);
		CHECK_CONTAINS(res.err, cases[i].msg);

		/* The same with TRACE_SKIP_BAD: counted, reported, skipped. */
		parse_str(text, TRACE_SKIP_BAD, &res);
		CHECK_EQ(res.rc, 0);
		CHECK_EQ(res.n, 2);
		CHECK_EQ(res.counts.bad_lines, 1);
		CHECK_EQ(res.counts.blank_lines, 1);
		CHECK_EQ(res.counts.lines, 4);
		CHECK_EQ(res.ev[1].line, 4);
		CHECK_EQ(nwarnings, 1);
		CHECK_CONTAINS(warnings[0], cases[i].msg);
	}
}

static void test_truncated_last_line(void)
{
	static struct result res;

	/* A complete last line without '\n' is fine. */
	parse_str("p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=0\n"
		  "p 1 [0] 1.0: kmem:mm_page_free: pfn=0x2 order=3", 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 2);
	CHECK_EQ(res.ev[1].order, 3);

	/* Cut inside a key: an error naming line 2. */
	parse_str("p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=0\n"
		  "p 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 ord", 0, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_EQ(res.n, 1);
	CHECK_CONTAINS(res.err, "line 2: mm_page_alloc: field 'ord' is not key=value");

	/* Cut in the header. */
	parse_str("p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=0\np 1 [0", 0, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_CONTAINS(res.err, "line 2: no \" [CPU] \" field");

	/* Cut after a value: missing fields. */
	parse_str("p 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0", TRACE_SKIP_BAD, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 0);
	CHECK_EQ(res.counts.bad_lines, 1);
	CHECK_CONTAINS(warnings[0], "line 1: mm_page_alloc: missing migratetype= field");

	/* Cut inside a gfp name: an unknown name, not an error. */
	parse_str("p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_ZE",
		  0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 1);
	CHECK_EQ(res.ev[0].gfp, GFP_KERNEL);
	CHECK_EQ(res.ev[0].gfp_unknown, 1);
}

static void test_skip_bad_counting(void)
{
	static struct result res;
	char text[8192];
	size_t o = 0;

	/* 15 bad lines among 10 good ones: all counted, the first 10 reported. */
	for (int i = 0; i < 25; i++) {
		if (i % 5 < 2)
			o += (size_t)snprintf(text + o, sizeof(text) - o,
					      "p 1 [0] %d.0: kmem:mm_page_free: pfn=0x%x order=0\n", i, i);
		else
			o += (size_t)snprintf(text + o, sizeof(text) - o, "bad line %d\n", i);
	}
	parse_str(text, TRACE_SKIP_BAD, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 10);
	CHECK_EQ(res.counts.bad_lines, 15);
	CHECK_EQ(res.counts.lines, 25);
	CHECK_EQ(nwarnings, 10);
	CHECK_CONTAINS(warnings[0], "skipped: line 3: ");
	CHECK_CONTAINS(warnings[9], "further bad lines counted silently");
	CHECK_EQ(res.ev[9].pfn, 21);
	CHECK_EQ(res.ev[9].line, 22);

	/* Without the flag the first bad line stops the reader. */
	parse_str(text, 0, &res);
	CHECK_EQ(res.rc, -1);
	CHECK_EQ(res.n, 2);
	CHECK_CONTAINS(res.err, "line 3: ");
}

static void test_unknown_events(void)
{
	static struct result res;
	const char *text =
		"p 1 [0] 1.0: sched:sched_switch: prev_comm=a prev_pid=1 ==> next_comm=b\n"
		"p 1 [0] 1.1: kmem:mm_page_free: pfn=0x1 order=0\n"
		"p 1 [1] 1.2: sched:sched_switch: whatever\n"
		"p 1 [0] 1.3: kmem:kmalloc: call_site=x ptr=y\n"
		"p 1 [0] 1.4: sched:sched_switch:\n"
		"p 1 [0] 1.5: mm_page_alloc_zone_lockedX: pfn=0x1\n";

	parse_str(text, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 6);
	CHECK_EQ(res.ev[0].type, TRACE_UNKNOWN);
	CHECK_STR(res.name[0], "sched:sched_switch");
	CHECK_EQ(res.ev[0].cpu, 0);
	CHECK_EQ(res.ev[1].type, TRACE_MM_PAGE_FREE);
	CHECK_EQ(res.ev[2].cpu, 1);
	CHECK_EQ(res.counts.by_type[TRACE_UNKNOWN], 5);
	CHECK_EQ(res.nunk, 3);
	CHECK_STR(res.unk_name[0], "sched:sched_switch");
	CHECK_EQ(res.unk[0].kind, TRACE_UNKNOWN_EVENT);
	CHECK_EQ(res.unk[0].count, 3);
	CHECK_EQ(res.unk[0].first_line, 1);
	CHECK_STR(res.unk_name[1], "kmem:kmalloc");
	CHECK_EQ(res.unk[1].count, 1);
	CHECK_STR(res.unk_name[2], "mm_page_alloc_zone_lockedX");
	/* Reported once per distinct name. */
	CHECK_EQ(nwarnings, 3);
	CHECK_CONTAINS(warnings[0], "line 1: unknown event 'sched:sched_switch' (counted, reported once)");
	CHECK_CONTAINS(warnings[1], "line 4: unknown event 'kmem:kmalloc'");
}

static void test_unknown_gfp(void)
{
	static struct result res;
	const char *text =
		"p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_FOO\n"
		"p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_FOO\n"
		"p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=__GFP_FOO|__GFP_BAR|__GFP_FOO\n"
		"p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=0x400dc0\n"
		"p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=none\n"
		"p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_NOWAIT|__GFP_COMP\n";

	parse_str(text, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 6);
	CHECK_EQ(res.ev[0].gfp, GFP_KERNEL);
	CHECK_EQ(res.ev[0].gfp_unknown, 1);
	CHECK_EQ(res.ev[1].gfp, GFP_KERNEL);
	CHECK_EQ(res.ev[2].gfp, 0);
	CHECK_EQ(res.ev[2].gfp_unknown, 3);
	CHECK_EQ(res.ev[3].gfp, 0);		/* raw kernel hex: other bit positions */
	CHECK_EQ(res.ev[3].gfp_unknown, 1);
	CHECK_EQ(res.ev[4].gfp, 0);
	CHECK_EQ(res.ev[4].gfp_unknown, 0);
	CHECK_EQ(res.ev[5].gfp, GFP_NOWAIT | __GFP_COMP);
	CHECK_EQ(res.counts.unknown_gfp_events, 4);
	CHECK_EQ(res.nunk, 3);
	CHECK_STR(res.unk_name[0], "__GFP_FOO");
	CHECK_EQ(res.unk[0].kind, TRACE_UNKNOWN_GFP);
	CHECK_EQ(res.unk[0].count, 3);		/* events carrying it */
	CHECK_STR(res.unk_name[1], "__GFP_BAR");
	CHECK_EQ(res.unk[1].count, 1);
	CHECK_EQ(res.unk[1].first_line, 3);
	CHECK_STR(res.unk_name[2], "0x400dc0");
	CHECK_EQ(nwarnings, 3);
	CHECK_CONTAINS(warnings[0], "line 1: unknown gfp flag '__GFP_FOO' (counted, reported once)");

	/* The summary lists them. */
	char err[128];
	char *buf = NULL;
	size_t blen = 0;
	FILE *mf = open_memstream(&buf, &blen);
	struct trace_reader *r = trace_open_mem(text, strlen(text), err, sizeof(err));
	struct trace_event ev;

	trace_set_warn(r, NULL, NULL);
	while (trace_next(r, &ev) > 0)
		;
	trace_summary(r, mf);
	fclose(mf);
	trace_close(r);
	CHECK_CONTAINS(buf, "6 lines, 6 events, mm_page_alloc 6");
	CHECK_CONTAINS(buf, "unknown gfp flag '__GFP_FOO': 3 events (first at line 1)");
	CHECK_CONTAINS(buf, "4 events with unknown gfp names");
	free(buf);
}

/* More distinct strings and names than the tables keep: flushed / counted only. */
static void test_many_distinct_gfp(void)
{
	const int n = 5000;
	size_t cap = (size_t)n * 120 + 200, o = 0;
	char *text = malloc(cap);

	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(text + o, cap - o,
				      "p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x%x order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_X%d\n",
				      i, i);
	o += (size_t)snprintf(text + o, cap - o,
			      "p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_X0\n");

	char err[128];
	struct trace_reader *r = trace_open_mem(text, o, err, sizeof(err));
	struct trace_event ev;
	int rc, events = 0, bad = 0;

	nwarnings = 0;
	trace_set_warn(r, collect_warn, NULL);
	while ((rc = trace_next(r, &ev)) > 0) {
		events++;
		if (ev.gfp != GFP_KERNEL || ev.gfp_unknown != 1)
			bad++;
	}
	CHECK_EQ(rc, 0);
	CHECK_EQ(events, n + 1);
	CHECK_EQ(bad, 0);

	const struct trace_unknown *u;
	size_t nu = trace_unknowns(r, &u);

	CHECK_EQ(nu, 4096);
	CHECK_EQ(nwarnings, 4096);
	CHECK_STR(u[0].name, "__GFP_X0");
	CHECK_EQ(u[0].count, 2);
	CHECK_STR(u[4095].name, "__GFP_X4095");
	CHECK_EQ(trace_counts(r)->unknown_names_dropped, (uint64_t)n - 4096);
	CHECK_EQ(trace_counts(r)->unknown_gfp_events, (uint64_t)n + 1);
	trace_close(r);
	free(text);
}

static void test_blank_comment_crlf(void)
{
	static struct result res;
	const char *text =
		"# perf script header\n"
		"\n"
		"     \n"
		"p 1 [0] 1.0: kmem:mm_page_free: pfn=0x1 order=1\r\n"
		"\t \n"
		"  # indented comment\n"
		"p 1 [0] 1.0: kmem:mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL\r\n";

	parse_str(text, 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 2);
	CHECK_EQ(res.ev[0].order, 1);
	CHECK_EQ(res.ev[0].line, 4);
	CHECK_EQ(res.ev[1].gfp, GFP_KERNEL);	/* '\r' is not part of the value */
	CHECK_EQ(res.ev[1].gfp_unknown, 0);
	CHECK_EQ(res.counts.blank_lines, 5);
	CHECK_EQ(res.counts.lines, 7);

	parse_str("", 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.n, 0);
	CHECK_EQ(res.counts.lines, 0);
	parse_str("\n", 0, &res);
	CHECK_EQ(res.rc, 0);
	CHECK_EQ(res.counts.lines, 1);
}

/* Every line length from 1 to 300, in memory with no slack after the end. */
static void test_line_lengths(void)
{
	static struct result res;
	char line[400], text[1000];

	for (int pad = 0; pad < 260; pad++) {
		int n = snprintf(line, sizeof(line), "%*s 77 [001] 12.5: kmem:mm_page_free: page=0x1 pfn=0x%x order=%d",
				 pad + 1, "c", pad, pad % 11);

		/* Alone, without '\n'; with '\n'; twice. */
		parse_mem(line, (size_t)n, 0, &res);
		CHECK_EQ(res.n, 1);
		CHECK_EQ(res.ev[0].pfn, (unsigned int)pad);
		CHECK_EQ(res.ev[0].order, pad % 11);
		snprintf(text, sizeof(text), "%s\n%s\n", line, line);
		parse_str(text, 0, &res);
		CHECK_EQ(res.n, 2);
		CHECK_EQ(res.ev[1].pfn, (unsigned int)pad);
		CHECK_EQ(res.ev[1].cpu, 1);
		CHECK_EQ(res.ev[1].pid, 77);
		CHECK_STR(res.comm[1], "c");
	}
	/* Short junk of every length: malformed, never a crash or over-read. */
	for (int n = 1; n < 40; n++) {
		memset(line, 'x', (size_t)n);
		parse_mem(line, (size_t)n, TRACE_SKIP_BAD, &res);
		CHECK_EQ(res.counts.bad_lines, 1);
		memset(line, ' ', (size_t)n);
		parse_mem(line, (size_t)n, 0, &res);
		CHECK_EQ(res.rc, 0);
		CHECK_EQ(res.counts.blank_lines, 1);
	}
}

int main(void)
{
	RUN(test_every_type);
	RUN(test_comm_and_header);
	RUN(test_pfn_values);
	RUN(test_malformed);
	RUN(test_truncated_last_line);
	RUN(test_skip_bad_counting);
	RUN(test_unknown_events);
	RUN(test_unknown_gfp);
	RUN(test_many_distinct_gfp);
	RUN(test_blank_comment_crlf);
	RUN(test_line_lengths);
	TEST_SUMMARY();
}
