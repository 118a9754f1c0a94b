// SPDX-License-Identifier: GPL-2.0
/*
 * badpage_test.c - bad input: every misuse gets one clear report (naming the pfn, what
 * was expected and what was found) through m->report, is counted in m->nr_bad_pages
 * when it is a bad page, leaves the checker's invariants intact, and the allocator goes
 * on allocating and freeing normally afterwards.
 *
 * The machine: 1024 frames of DMA at pfn 0 (the DMA zone spans to 16 MiB, the rest is a
 * hole), nothing in DMA32, and a 256 MiB Normal zone at 4 GiB; one CPU, linux-4.12.
 * The Normal zone's pcp batch is 15 and high 90, so a freed order-0 page stays on the
 * per-CPU list.
 *
 *   pfn 0      0x400       0x1000                        0x100000         0x110000
 *   | DMA 1024 |   hole   |   (no DMA32: outside zones)  |  Normal 65536  |
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "pcp/pcp.h"

#define NBASE 0x100000UL

static struct machine *bad_machine_policy(enum pcp_policy_id policy)
{
	struct machine_desc d;

	machine_desc_default(&d);
	d.policy = policy;
	d.nr_cpus = 1;
	d.cpu_to_node[0] = 0;
	d.nr_ranges = 2;
	d.ranges[0] = (struct mem_range){ 0, 1024, 0 };
	d.ranges[1] = (struct mem_range){ NBASE, NBASE + 65536, 0 };
	for (int z = 0; z < MAX_NR_ZONES; z++)
		d.reserved_pages[0][z] = 0;
	struct machine *m = t_machine(&d);
	if (cpu_bind(m, 0)) {
		fprintf(stderr, "cpu_bind failed\n");
		exit(2);
	}
	return m;
}

static struct machine *bad_machine(void) { return bad_machine_policy(PCP_POLICY_LINUX_4_12); }

static struct zone *normal(struct machine *m) { return &m->node_data[0]->node_zones[ZONE_NORMAL]; }

static const char *bi(struct zone *z)
{
	static char buf[128];
	return t_buddyinfo(z, buf, sizeof(buf));
}

static unsigned long event(struct machine *m, enum vm_event_item item)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];
	all_vm_events(m, ev);
	return ev[item];
}

/* m->report into memory */
static char *rep_buf;
static size_t rep_len;
static FILE *rep;

static void capture(struct machine *m)
{
	rep = open_memstream(&rep_buf, &rep_len);
	m->report = rep;
}

/* What was reported since capture(); valid until the next call. */
static const char *reported(struct machine *m)
{
	static char out[4096];

	fclose(rep);
	m->report = stderr;
	snprintf(out, sizeof(out), "%s", rep_buf ? rep_buf : "");
	free(rep_buf);
	rep_buf = NULL;
	return out;
}

/* fd 2 into a temporary file (for messages that have no machine to report to) */
static int saved_stderr = -1;
static FILE *err_file;

static void capture_stderr(void)
{
	fflush(stderr);
	err_file = tmpfile();
	saved_stderr = dup(2);
	if (!err_file || saved_stderr < 0 || dup2(fileno(err_file), 2) < 0) {
		perror("capture_stderr");
		exit(2);
	}
}

static const char *captured_stderr(void)
{
	static char out[4096];
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(err_file);
	n = fread(out, 1, sizeof(out) - 1, err_file);
	out[n] = 0;
	fclose(err_file);
	return out;
}

/*
 * The allocator still works: with the per-CPU lists drained, allocating and freeing one
 * block of every order (movable, unmovable, DMA) returns the zones to the same buddyinfo.
 */
static void still_works(struct machine *m)
{
	struct zone *z = normal(m), *dma = &m->node_data[0]->node_zones[ZONE_DMA];
	struct page *p[MAX_ORDER], *q, *d;
	char before[128], before_dma[128];

	drain_all_pages(m, NULL);
	snprintf(before, sizeof(before), "%s", bi(z));
	snprintf(before_dma, sizeof(before_dma), "%s", bi(dma));
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		p[o] = alloc_pages(o & 1 ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE, o);
		CHECK(p[o] != NULL);
		CHECK(p[o] == NULL || page_zone(m, p[o]) == z);
	}
	q = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	d = alloc_pages(GFP_KERNEL | GFP_DMA, 1);
	CHECK(q != NULL);
	CHECK(d != NULL && page_zone(m, d) == dma);
	CHECK_CONSISTENT(m);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		if (p[o])
			__free_pages(p[o], o);
	if (q)
		__free_pages(q, 0);
	if (d)
		__free_pages(d, 1);
	drain_all_pages(m, NULL);
	CHECK_STR(bi(z), before);
	CHECK_STR(bi(dma), before_dma);
	CHECK_CONSISTENT(m);
}

static void done(struct machine *m)
{
	still_works(m);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * An order at or above MAX_ORDER cannot exist: NULL and a warning naming it (none with
 * __GFP_NOWARN). It is a caller bug, not a bad page: nr_bad_pages stays 0.
 *
 * Expect: "WARNING: __alloc_pages_nodemask: order 11 >= MAX_ORDER (11)"; nothing taken.
 */
static void alloc_order_beyond_max_order_warns(void)
{
	struct machine *m = bad_machine();

	capture(m);
	CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
	CHECK_STR(reported(m), "WARNING: __alloc_pages_nodemask: order 11 >= MAX_ORDER (11)\n");
	capture(m);
	CHECK(alloc_pages(GFP_KERNEL, 20) == NULL);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 12) == NULL);
	CHECK_STR(reported(m), "WARNING: __alloc_pages_nodemask: order 20 >= MAX_ORDER (11)\n");
	/* __GFP_NOFAIL cannot make such an order: warned the same, NULL, no loop */
	capture(m);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOFAIL, MAX_ORDER) == NULL);
	CHECK_STR(reported(m), "WARNING: __alloc_pages_nodemask: order 11 >= MAX_ORDER (11)\n");
	CHECK_EQ(m->nr_bad_pages, 0);
	CHECK_STR(bi(normal(m)), "0 0 0 0 0 0 0 0 0 0 64");
	CHECK_EQ(zone_page_state_snapshot(normal(m), NR_FREE_PAGES), 65536);
	done(m);
}

/*
 * Double free of an order-0 page still on this CPU's list:
 *
 *   pcp list: [A p p ... p]  (A freed once: PG_pcp)   free A again -> bad page
 *
 * Expect: "BUG: Bad page state: pfn:0x100000: double free: page is already free
 * (expected an allocated block of order 0, found flags 0x2 (on a pcp list) order 0)";
 * nr_bad_pages 1, one bad_page event; the pcp count unchanged.
 */
static void double_free_on_pcp_list(void)
{
	struct machine *m = bad_machine();
	struct per_cpu_pages *pcp = &this_cpu_pageset(normal(m))->pcp;

	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	CHECK(a != NULL && page_to_pfn(a) == NBASE);
	__free_pages(a, 0);
	CHECK_EQ(pcp->count, 15);
	capture(m);
	__free_pages(a, 0);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100000: double free: page is already free "
			       "(expected an allocated block of order 0, found flags 0x2 (on a pcp list) order 0)\n");
	CHECK_EQ(pcp->count, 15);
	CHECK_EQ(m->nr_bad_pages, 1);
	CHECK_EQ(event(m, BAD_PAGE), 1);
	CHECK_CONSISTENT(m);
	done(m);
}

/*
 * Double free of an order-1 block that merged back into the order-10 block it came
 * from, then of a block whose pages have become the tail of a bigger free block:
 *
 *   alloc A (o1) at 0, B (o1) at 2; free A, free B  -> |------------ free o10 ------------|
 *   free A again: A is the free block's head (PG_buddy, order 10)
 *   free B again: B is a tail inside it (no flags; its stale order 1)
 *
 * Expect: two reports, "double free: page is already free ... found flags 0x1 (buddy)
 * order 10" and "free of a page that is not an allocated block head ... found flags 0
 * order 1"; buddyinfo unchanged by either.
 */
static void double_free_after_merge(void)
{
	struct machine *m = bad_machine();

	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 1);
	struct page *b = alloc_pages(GFP_HIGHUSER_MOVABLE, 1);
	CHECK(a && page_to_pfn(a) == NBASE);
	CHECK(b && page_to_pfn(b) == NBASE + 2);
	__free_pages(a, 1);
	__free_pages(b, 1);
	CHECK_STR(bi(normal(m)), "0 0 0 0 0 0 0 0 0 0 64");
	capture(m);
	__free_pages(a, 1);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100000: double free: page is already free "
			       "(expected an allocated block of order 1, found flags 0x1 (buddy) order 10)\n");
	capture(m);
	free_pages_pfn(NBASE + 2, 1);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100002: free of a page that is not an allocated block head "
			       "(expected an allocated block of order 1, found flags 0 order 1)\n");
	CHECK_STR(bi(normal(m)), "0 0 0 0 0 0 0 0 0 0 64");
	CHECK_EQ(m->nr_bad_pages, 2);
	CHECK_CONSISTENT(m);
	done(m);
}

/*
 * Frees of pfns that belong to no zone: beyond the end of memory, in the gap between
 * the DMA and Normal zones (no DMA32 here), and in the hole inside the DMA zone's span
 * (its pageblock has no memory at all).
 *
 * Expect: three "free of a pfn outside every zone (expected a pfn in a populated zone,
 * found none)" reports naming 0x40000000, 0x80000 and 0x800; nr_bad_pages 3.
 */
static void free_outside_every_zone(void)
{
	struct machine *m = bad_machine();

	CHECK_EQ(m->node_data[0]->node_zones[ZONE_DMA].spanned_pages, 4096);
	CHECK_EQ(m->node_data[0]->node_zones[ZONE_DMA].present_pages, 1024);
	CHECK(pfn_zone(m, 0x800) == NULL);
	capture(m);
	free_pages_pfn(1UL << 30, 0);
	free_pages_pfn(0x80000, 0);
	free_pages_pfn(0x800, 2);
	CHECK_STR(reported(m),
		  "BUG: Bad page state: pfn:0x40000000: free of a pfn outside every zone (expected a pfn in a populated zone, found none)\n"
		  "BUG: Bad page state: pfn:0x80000: free of a pfn outside every zone (expected a pfn in a populated zone, found none)\n"
		  "BUG: Bad page state: pfn:0x800: free of a pfn outside every zone (expected a pfn in a populated zone, found none)\n");
	CHECK_EQ(m->nr_bad_pages, 3);
	CHECK_EQ(event(m, BAD_PAGE), 3);
	CHECK_STR(bi(normal(m)), "0 0 0 0 0 0 0 0 0 0 64");
	CHECK_STR(bi(&m->node_data[0]->node_zones[ZONE_DMA]), "0 0 0 0 0 0 0 0 0 0 1");
	done(m);
}

/*
 * A free with the wrong order: neither order can be trusted, so the block is taken out
 * of circulation (PG_hwpoison, counted as poisoned by the checker) instead of corrupting
 * the lists. A second free of it is refused too; so is an order >= MAX_ORDER.
 *
 *   |A o2 (poisoned)|free o2|free o3|...|free o9| 63 x free o10
 *
 * Expect: "free with the wrong order; block taken out of circulation (expected order 2
 * (as allocated), found order 1)", census poisoned_pages 4, conservation holds; then
 * "free of a page taken out of circulation (... found flags 0x8 (poisoned) order 2)" and
 * "free with an impossible order (expected order < MAX_ORDER, found order 11)".
 */
static void wrong_order_free_takes_block_out(void)
{
	struct machine *m = bad_machine();
	struct zone *z = normal(m);
	struct zone_census c;

	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	CHECK(a && page_to_pfn(a) == NBASE);
	capture(m);
	__free_pages(a, 1);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100000: free with the wrong order; block taken out of circulation "
			       "(expected order 2 (as allocated), found order 1)\n");
	zone_census(z, &c);
	CHECK_EQ(c.poisoned_pages, 4);
	CHECK_EQ(c.allocated_pages, 0);
	CHECK_EQ(c.free_pages + c.pcp_pages + c.poisoned_pages, z->managed_pages);
	CHECK_STR(bi(z), "0 0 1 1 1 1 1 1 1 1 63");
	CHECK_CONSISTENT(m);
	capture(m);
	__free_pages(a, 2);
	free_pages_pfn(NBASE + 1024, MAX_ORDER);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100000: free of a page taken out of circulation "
			       "(expected an allocated block of order 2, found flags 0x8 (poisoned) order 2)\n"
			       "BUG: Bad page state: pfn:0x100400: free with an impossible order "
			       "(expected order < MAX_ORDER, found order 11)\n");
	CHECK_EQ(m->nr_bad_pages, 3);
	zone_census(z, &c);
	CHECK_EQ(c.poisoned_pages, 4);
	CHECK_STR(bi(z), "0 0 1 1 1 1 1 1 1 1 63");
	done(m);
}

/*
 * The same mistake through the order-0 free, the inline fast path's case: it tests the
 * block's order along with PG_head (page->state in one load), so an order-1 block freed as
 * a single page is refused there and reported, not put on a pcp list as one page.
 *
 *   |A o1 (poisoned)|   __free_pages(A, 0)
 *
 * Expect: "free with the wrong order; block taken out of circulation (expected order 1
 * (as allocated), found order 0)", census poisoned_pages 2, pcp lists unchanged.
 */
static void order0_free_of_higher_order_block(void)
{
	struct machine *m = bad_machine();
	struct zone *z = normal(m);
	struct zone_census c;

	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 1);
	CHECK(a != NULL);
	zone_census(z, &c);
	unsigned long pcp_pages = c.pcp_pages;
	char expect[256];
	snprintf(expect, sizeof(expect), "BUG: Bad page state: pfn:0x%lx: free with the wrong order; block taken out of "
		 "circulation (expected order 1 (as allocated), found order 0)\n", page_to_pfn(a));
	capture(m);
	__free_pages(a, 0);
	CHECK_STR(reported(m), expect);
	zone_census(z, &c);
	CHECK_EQ(c.poisoned_pages, 2);
	CHECK_EQ(c.pcp_pages, pcp_pages);
	CHECK_EQ(c.free_pages + c.pcp_pages + c.poisoned_pages, z->managed_pages);
	done(m);
}

/*
 * A free naming a tail page of an allocated block: reported, the block stays allocated
 * and can then be freed properly.
 *
 *   |A A A A|   free pfn A+1 (a tail) -> bad page; free A, order 2 -> merged back
 *
 * Expect: "pfn:0x100001: free of a page that is not an allocated block head (expected
 * an allocated block of order 0, found flags 0 order 0)"; census still counts 4 allocated.
 */
static void free_of_tail_page(void)
{
	struct machine *m = bad_machine();
	struct zone *z = normal(m);
	struct zone_census c;

	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	CHECK(a && page_to_pfn(a) == NBASE);
	capture(m);
	free_pages_pfn(NBASE + 1, 0);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100001: free of a page that is not an allocated block head "
			       "(expected an allocated block of order 0, found flags 0 order 0)\n");
	zone_census(z, &c);
	CHECK_EQ(c.allocated_pages, 4);
	CHECK_EQ(c.poisoned_pages, 0);
	CHECK_CONSISTENT(m);
	__free_pages(a, 2);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 64");
	CHECK_EQ(m->nr_bad_pages, 1);
	done(m);
}

/*
 * __free_pages of something that is not a struct page of this machine: one past the end
 * of mem_map, one before it, and a pointer into the middle of an allocated block's head.
 *
 *   mem_map[-1] | mem_map[0 .. max_pfn) | mem_map[max_pfn]        A + 4 bytes
 *
 * Expect: three reports naming the pfn each would be, "a foreign pointer" twice and "a
 * misaligned pointer" once; A is still allocated and frees normally afterwards.
 */
static void free_of_foreign_pointer(void)
{
	struct machine *m = bad_machine();
	struct zone *z = normal(m);
	struct zone_census c;
	char expect[512];

	struct page *a = alloc_pages(GFP_KERNEL, 0);
	CHECK(a && page_to_pfn(a) == NBASE);
	capture(m);
	__free_pages(m->mem_map + m->max_pfn, 0);
	__free_pages(m->mem_map - 1, 0);
	__free_pages((struct page *)((char *)a + 4), 0);
	snprintf(expect, sizeof(expect),
		 "BUG: Bad page state: pfn:%#lx: free of a page outside mem_map (expected a page of this machine, found a foreign pointer)\n"
		 "BUG: Bad page state: pfn:0xffffffffffffffff: free of a page outside mem_map (expected a page of this machine, found a foreign pointer)\n"
		 "BUG: Bad page state: pfn:0x100000: free of a pointer into the middle of a struct page (expected a struct page of this machine, found a misaligned pointer)\n",
		 m->max_pfn);
	CHECK_STR(reported(m), expect);
	zone_census(z, &c);
	CHECK_EQ(c.allocated_pages, 1);
	CHECK_EQ(m->nr_bad_pages, 3);
	CHECK_CONSISTENT(m);
	__free_pages(a, 0);
	done(m);
}

/*
 * Impossible gfp combinations: two zone modifiers (GFP_ZONE_BAD) and both mobility bits.
 * NULL and a warning that spells the flags; nothing is taken from any zone.
 *
 * Expect: "WARNING: __alloc_pages_nodemask: impossible gfp combination
 * GFP_KERNEL|GFP_DMA32|GFP_DMA" and "... GFP_HIGHUSER_MOVABLE|__GFP_RECLAIMABLE".
 */
static void impossible_gfp_returns_null(void)
{
	struct machine *m = bad_machine();

	capture(m);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_DMA32, 0) == NULL);
	CHECK(alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_RECLAIMABLE, 3) == NULL);
	CHECK_STR(reported(m), "WARNING: __alloc_pages_nodemask: impossible gfp combination GFP_KERNEL|GFP_DMA32|GFP_DMA\n"
			       "WARNING: __alloc_pages_nodemask: impossible gfp combination GFP_HIGHUSER_MOVABLE|__GFP_RECLAIMABLE\n");
	CHECK_EQ(m->nr_bad_pages, 0);
	CHECK_STR(bi(normal(m)), "0 0 0 0 0 0 0 0 0 0 64");
	CHECK_STR(bi(&m->node_data[0]->node_zones[ZONE_DMA]), "0 0 0 0 0 0 0 0 0 0 1");
	unsigned long ev[NR_VM_EVENT_ITEMS];
	all_vm_events(m, ev);
	CHECK_EQ(ev[PGALLOC_DMA] + ev[PGALLOC_DMA32] + ev[PGALLOC_NORMAL] + ev[PGALLOC_MOVABLE], 0);
	done(m);
}

/*
 * A thread that is not bound to a CPU has no per-CPU lists, counters or node: its
 * allocations return NULL and its frees are refused, with a warning on stderr (there is
 * no machine to report to). Binding a CPU the machine lacks fails with a message.
 *
 * Expect: the three warnings below; the block allocated before unbinding is still
 * allocated (census) and frees normally after binding again.
 */
static void unbound_thread(void)
{
	struct machine *m = bad_machine();
	struct zone_census c;

	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 3);
	CHECK(a != NULL);
	cpu_unbind();
	capture_stderr();
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	free_pages_pfn(NBASE, 3);
	__free_pages(a, 3);
	const char *out = captured_stderr();
	CHECK(p == NULL);
	CHECK_STR(out, "WARNING: alloc_pages: this thread is not bound to a CPU (call cpu_bind first)\n"
		       "WARNING: free_pages_pfn: this thread is not bound to a CPU (call cpu_bind first)\n"
		       "WARNING: __free_pages: this thread is not bound to a CPU (call cpu_bind first)\n");
	zone_census(normal(m), &c);
	CHECK_EQ(c.allocated_pages, 8);
	capture(m);
	CHECK_EQ(cpu_bind(m, 1), -1);
	CHECK_STR(reported(m), "cpu_bind: CPU 1 does not exist (the machine has 1)\n");
	CHECK_EQ(cpu_bind(m, 0), 0);
	__free_pages(a, 3);
	CHECK_STR(bi(normal(m)), "0 0 0 0 0 0 0 0 0 0 64");
	CHECK_EQ(m->nr_bad_pages, 0);
	done(m);
}

/*
 * nr_bad_pages counts every bad page across kinds, and so does the bad_page event;
 * warnings (bad order, bad gfp) are not bad pages.
 *
 * Expect: 5 after a double free, a tail free, a wrong-order free, an outside free and
 * an impossible-order free; unchanged by a MAX_ORDER allocation and an impossible gfp.
 */
static void nr_bad_pages_counts(void)
{
	struct machine *m = bad_machine();
	struct page *a, *b, *c;

	capture(m);
	a = alloc_pages(GFP_KERNEL, 1);
	b = alloc_pages(GFP_KERNEL, 2);
	c = alloc_pages(GFP_KERNEL, 3);
	CHECK(a && b && c);
	__free_pages(a, 1);
	__free_pages(a, 1);                     /* 1: double free */
	free_pages_pfn(page_to_pfn(b) + 2, 0);  /* 2: tail */
	__free_pages(c, 2);                     /* 3: wrong order */
	free_pages_pfn(0x90000, 0);             /* 4: outside */
	free_pages_pfn(page_to_pfn(b), 15);     /* 5: impossible order */
	CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
	CHECK(alloc_pages(__GFP_DMA | __GFP_HIGHMEM, 0) == NULL);
	const char *out = reported(m);
	int lines = 0, bugs = 0;
	for (const char *s = out; (s = strchr(s, '\n')); s++)
		lines++;
	for (const char *s = out; (s = strstr(s, "BUG: Bad page state")); s++)
		bugs++;
	CHECK_EQ(lines, 7);
	CHECK_EQ(bugs, 5);
	CHECK_EQ(m->nr_bad_pages, 5);
	CHECK_EQ(event(m, BAD_PAGE), 5);
	CHECK_CONSISTENT(m);
	__free_pages(b, 2);
	done(m);
}

/* Two CPUs of every (policy, scheme) pair, held by this thread: a scripted interleaving. */
static struct machine *two_cpu_machine(enum pcp_policy_id pol, enum pcp_scheme_id sch)
{
	struct machine_desc d;
	int cpus[] = { 0, 1 };

	t_desc_flat(&d, NBASE, 65536, 2);
	d.policy = pol;
	d.scheme = sch;
	struct machine *m = t_machine(&d);
	if (cpu_bind_many(m, cpus, 2)) {
		fprintf(stderr, "cpu_bind_many failed\n");
		exit(2);
	}
	return m;
}

/*
 * A page freed on one CPU and again on another: the second free finds it on the first
 * CPU's list and is reported; the page is on one list only. (The same at the same
 * instant is pcp/concurrent_test's racing_double_frees: the free's claim is one
 * compare-and-swap, so exactly one of the two gets it.)
 *
 *   CPU 0: alloc P, free P -> CPU 0's list     CPU 1: free P -> "double free"
 *
 * Expect: "double free: page is already free (expected an allocated block of order 0,
 * found flags 0x2 (on a pcp list) order 0)"; CPU 0 gets P back first; the checker passes.
 */
static void double_free_from_another_cpu(enum pcp_policy_id pol, enum pcp_scheme_id sch)
{
	struct machine *m = two_cpu_machine(pol, sch);
	struct zone *z = &m->node_data[0]->node_zones[ZONE_NORMAL];

	cpu_switch(0);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0);
	capture(m);
	cpu_switch(1);
	__free_pages(p, 0);
	char expect[256];
	snprintf(expect, sizeof(expect),
		 "BUG: Bad page state: pfn:%#lx: double free: page is already free (expected an allocated block of "
		 "order 0, found flags 0x2 (on a pcp list) order 0)\n",
		 __page_to_pfn(m, p));
	CHECK_STR(reported(m), expect);
	CHECK_EQ(atomic_load(&m->nr_bad_pages), 1);
	CHECK_EQ(zone_pageset(z, 1)->pcp.count, 0);
	CHECK_CONSISTENT(m);
	cpu_switch(0);
	CHECK(alloc_pages(GFP_KERNEL, 0) == p);
	__free_pages(p, 0);
	drain_all_pages(m, NULL);
	CHECK_EQ(zone_page_state_snapshot(z, NR_FREE_PAGES), (long)z->managed_pages);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}


/*
 * A stray write into a tail of an allocated block: the free checks every tail, as the
 * kernel's free_pages_prepare does, and refuses the block.
 *
 *   |A o2: head, tail, TAIL*, tail|   A[2] carries PG_lru; __free_pages(A, 2)
 *
 * Expect: "pfn:0x100002: free of an order-2 block whose tail page 2 is not clean (expected
 * flags 0, ...)"; A stays allocated; once the tail is clean again the same free succeeds.
 */
static void free_of_block_with_dirty_tail(void)
{
	struct machine *m = bad_machine();
	struct zone *z = normal(m);
	struct zone_census c;

	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	CHECK(a && page_to_pfn(a) == NBASE);
	a[2].flags = PG_lru;
	capture(m);
	__free_pages(a, 2);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100002: free of an order-2 block whose tail page 2 is not clean "
			       "(expected flags 0, found flags 0x20 order 0)\n");
	CHECK_EQ(m->nr_bad_pages, 1);
	zone_census(z, &c);
	CHECK_EQ(c.allocated_pages, 4);
	a[2].flags = 0;
	__free_pages(a, 2);
	zone_census(z, &c);
	CHECK_EQ(c.allocated_pages, 0);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 64");
	done(m);
}

/*
 * A stray write into a tail of a free block: check_new_pages (run where the kernel runs
 * it, under zone->lock as the block leaves the lists) finds it, reports it, takes the
 * block out of circulation and allocates the next one.
 *
 *   |free o10 at NBASE: pfn NBASE+1 carries PG_lru ...|   alloc_pages(order 2)
 *
 * Expect: "pfn:0x100001: a tail of a free block is not clean"; the allocation returns
 * NBASE+4; the census counts 4 poisoned pages and stays consistent.
 */
static void alloc_finds_dirty_tail(void)
{
	struct machine *m = bad_machine();
	struct zone *z = normal(m);
	struct zone_census c;

	m->mem_map[NBASE + 1].flags = PG_lru;
	capture(m);
	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100001: a tail of a free block is not clean; block taken out of "
			       "circulation (expected flags 0, found flags 0x20 order 0)\n");
	CHECK(a && page_to_pfn(a) == NBASE + 4);
	zone_census(z, &c);
	CHECK_EQ(c.poisoned_pages, 4);
	CHECK_EQ(c.allocated_pages, 4);
	CHECK_CONSISTENT(m);
	__free_pages(a, 2);
	done(m);
}

/*
 * The same stray write under 6.18: from 6.2 the allocation side checks nothing unless a
 * debugging option is on (the policy's check_new_pages), so the block is handed out as it
 * is; the free finds the dirty tail (free_pages_prepare still walks every tail page).
 *
 *   |free o10 at NBASE: pfn NBASE+1 carries PG_lru ...|   alloc_pages(order 2)
 *
 * Expect: the block at NBASE, nothing reported; its free reports pfn NBASE+1.
 */
static void alloc_skips_tail_check_from_6_2(void)
{
	struct machine *m = bad_machine_policy(PCP_POLICY_LINUX_6_18);

	m->mem_map[NBASE + 1].flags = PG_lru;
	capture(m);
	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	CHECK(a && page_to_pfn(a) == NBASE);
	CHECK_STR(reported(m), "");
	capture(m);
	__free_pages(a, 2);
	CHECK_STR(reported(m), "BUG: Bad page state: pfn:0x100001: free of an order-2 block whose tail page 1 is not clean "
			       "(expected flags 0, found flags 0x20 order 0)\n");
	a[1].flags = 0;
	__free_pages(a, 2);
	CHECK_CONSISTENT(m);
	done(m);
}

int main(void)
{
	RUN(alloc_order_beyond_max_order_warns);
	RUN(double_free_on_pcp_list);
	RUN(double_free_after_merge);
	RUN(free_outside_every_zone);
	RUN(free_of_foreign_pointer);
	RUN(wrong_order_free_takes_block_out);
	RUN(order0_free_of_higher_order_block);
	RUN(free_of_tail_page);
	RUN(free_of_block_with_dirty_tail);
	RUN(alloc_finds_dirty_tail);
	RUN(alloc_skips_tail_check_from_6_2);
	RUN(impossible_gfp_returns_null);
	RUN(unbound_thread);
	RUN(nr_bad_pages_counts);
	RUN_EACH_PAIR(double_free_from_another_cpu);
	TEST_SUMMARY();
}
