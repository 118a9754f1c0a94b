// SPDX-License-Identifier: GPL-2.0
/*
 * watermark_test.c - zone watermarks and lowmem_reserve as 4.12 computes them
 * (init_per_zone_wmark_min, __setup_per_zone_wmarks, setup_per_zone_lowmem_reserve),
 * __zone_watermark_ok's decisions, the watermarks gating real allocations, the sysctls
 * that recompute them, and the gfp decoding that picks zones and migratetypes.
 *
 * The formulas (4.12, 64-bit: no highmem):
 *   min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to [128, 65536], where
 *                     lowmem = managed pages of DMA, DMA32 and Normal (not Movable)
 *   pages_min       = min_free_kbytes >> 2
 *   MIN(zone)       = pages_min * managed(zone) / managed(all zones, Movable included)
 *   step            = max(MIN / 4, managed * watermark_scale_factor / 10000)
 *   LOW = MIN + step, HIGH = MIN + 2 * step
 *   lowmem_reserve[j] of a lower zone i < j
 *                   = managed(zones i+1 .. j of the node) / lowmem_reserve_ratio[i]
 *                     with ratios 256 (DMA), 256 (DMA32), 32 (Normal)
 *
 * Worked example, the default 16 GiB machine (one node; DMA managed 3840 (3998 present,
 * 158 reserved), DMA32 782336, Normal 3354721 (3407970 present less 1/64)):
 *   lowmem          = 3840 + 782336 + 3354721 = 4140897 pages = 16563588 KiB
 *   min_free_kbytes = int_sqrt(16563588 * 16 = 265017408) = 16279   (16279^2 = 265005841)
 *   pages_min       = 16279 >> 2 = 4069
 *   DMA    MIN = 4069 * 3840 / 4140897    = 3     step = max(0, 3)      = 3    -> 3 / 6 / 9
 *   DMA32  MIN = 4069 * 782336 / 4140897  = 768   step = max(192, 782)  = 782  -> 768 / 1550 / 2332
 *   Normal MIN = 4069 * 3354721 / 4140897 = 3296  step = max(824, 3354) = 3354 -> 3296 / 6650 / 10004
 *   DMA.lowmem_reserve    = (0, 782336/256 = 3056, (782336+3354721)/256 = 16160, 16160)
 *   DMA32.lowmem_reserve  = (0, 0, 3354721/256 = 13104, 13104)
 *   Normal.lowmem_reserve = (0, 0, 0, 0)
 */
#include <stdint.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "pcp/pcp.h"

#define NBASE 0x100000UL

static struct zone *Z(struct machine *m, int nid, int idx) { return &m->node_data[nid]->node_zones[idx]; }

static void done(struct machine *m)
{
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

static unsigned long event(struct machine *m, enum vm_event_item item)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];
	all_vm_events(m, ev);
	return ev[item];
}

static const char *bi(struct zone *z)
{
	static char buf[128];
	return t_buddyinfo(z, buf, sizeof(buf));
}

/* One Normal zone at 4 GiB, reserved 0; min_free_kbytes 0 means computed. */
static struct machine *normal_machine(unsigned long pages, int min_free_kbytes)
{
	struct machine_desc d;

	t_desc_flat(&d, NBASE, pages, 1);
	d.min_free_kbytes = min_free_kbytes;
	return t_machine(&d);
}

/* --- machines for the table --- */

static struct machine *mk_normal_200(void) { return t_machine_flat(NBASE, 200, 1, PCP_POLICY_LINUX_4_12, 0); }
static struct machine *mk_normal_1024(void) { return t_machine_flat(NBASE, 1024, 1, PCP_POLICY_LINUX_4_12, 0); }
static struct machine *mk_flat_8192(void) { return t_machine_flat(0, 8192, 1, PCP_POLICY_LINUX_4_12, 0); }
static struct machine *mk_flat_65536(void) { return t_machine_flat(0, 65536, 2, PCP_POLICY_LINUX_4_12, 0); }
static struct machine *mk_normal_288g(void)
{
	return t_machine_flat(NBASE, 288UL << (30 - PAGE_SHIFT), 1, PCP_POLICY_LINUX_4_12, 0);
}
static struct machine *mk_default(void)
{
	struct machine_desc d;
	machine_desc_default(&d);
	return t_machine(&d);
}
static struct machine *mk_two_nodes_8g(void)
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
static struct machine *mk_movablecore(void)
{
	struct machine_desc d;
	char err[256];
	machine_desc_default(&d);
	if (machine_desc_set(&d, "mem", "8G", err, sizeof(err)) || machine_desc_set(&d, "movablecore", "2G", err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	return t_machine(&d);
}

struct wm_zone {
	int nid, idx;
	unsigned long managed, min, low, high;
	long lowmem_reserve[MAX_NR_ZONES];
};

struct wm_row {
	const char *name;
	struct machine *(*make)(void);
	int min_free_kbytes;
	int nr_zones;
	struct wm_zone z[5];
};

/*
 * Expected values worked out by hand from the formulas above (see the 16 GiB example).
 * Notes per row:
 *   200 pages       lowmem 800 KiB: int_sqrt(12800) = 113 -> clamped up to 128; MIN 32,
 *                   step max(8, 0) = 8
 *   1024 pages      int_sqrt(4096 * 16) = 256 KiB -> 64 pages; step max(16, 1) = 16
 *   8192 from 0     DMA 4096 + DMA32 4096: int_sqrt(32768 * 16) = 724 -> 181 pages, 90 each;
 *                   step max(22, 4) = 22; DMA.lowmem_reserve[DMA32..] = 4096 / 256 = 16
 *   65536 from 0    int_sqrt(262144 * 16) = 2048 -> 512 pages; DMA 512*4096/65536 = 32,
 *                   step 8; DMA32 480, step max(120, 61) = 120; reserve 61440/256 = 240
 *   288 GiB         lowmem 301989888 KiB: int_sqrt(4831838208) = 69511 -> clamped to 65536
 *                   -> 16384 pages; step max(4096, 75497472 * 10 / 10000 = 75497) = 75497
 *   2 nodes x 8 GiB node 0: DMA 3840, DMA32 782336, Normal 1310818 - 20481 = 1290337;
 *                   node 1: Normal 2097152 - 32768 = 2064384; lowmem 4140897 pages as the
 *                   16 GiB machine -> 16279 KiB, 4069 pages shared by managed; reserves per
 *                   node: DMA (0, 3056, (782336 + 1290337)/256 = 8096, 8096),
 *                   DMA32 (0, 0, 1290337/256 = 5040, 5040)
 *   8 GiB, movablecore 2 GiB
 *                   Normal [0x100000, 1835520) 786944 pages (the movable start 1835106
 *                   rounded up to a pageblock), Movable 523874 present less 1/64 = 515689;
 *                   lowmem excludes Movable: 3840 + 782336 + 786944 = 1573120 pages ->
 *                   int_sqrt(100679680) = 10033 KiB -> 2508 pages shared over all four
 *                   zones (2088809 pages); Normal.lowmem_reserve[Movable] = 515689/32 = 16115
 */
static const struct wm_row wm_table[] = {
	{ "normal-200", mk_normal_200, 128, 1, { { 0, ZONE_NORMAL, 200, 32, 40, 48, { 0, 0, 0, 0 } } } },
	{ "normal-1024", mk_normal_1024, 256, 1, { { 0, ZONE_NORMAL, 1024, 64, 80, 96, { 0, 0, 0, 0 } } } },
	{ "flat-8192", mk_flat_8192, 724, 2,
	  { { 0, ZONE_DMA, 4096, 90, 112, 134, { 0, 16, 16, 16 } },
	    { 0, ZONE_DMA32, 4096, 90, 112, 134, { 0, 0, 0, 0 } } } },
	{ "flat-65536", mk_flat_65536, 2048, 2,
	  { { 0, ZONE_DMA, 4096, 32, 40, 48, { 0, 240, 240, 240 } },
	    { 0, ZONE_DMA32, 61440, 480, 600, 720, { 0, 0, 0, 0 } } } },
	{ "normal-288g", mk_normal_288g, 65536, 1,
	  { { 0, ZONE_NORMAL, 75497472, 16384, 91881, 167378, { 0, 0, 0, 0 } } } },
	{ "default-16g", mk_default, 16279, 3,
	  { { 0, ZONE_DMA, 3840, 3, 6, 9, { 0, 3056, 16160, 16160 } },
	    { 0, ZONE_DMA32, 782336, 768, 1550, 2332, { 0, 0, 13104, 13104 } },
	    { 0, ZONE_NORMAL, 3354721, 3296, 6650, 10004, { 0, 0, 0, 0 } } } },
	{ "2-nodes-8g", mk_two_nodes_8g, 16279, 4,
	  { { 0, ZONE_DMA, 3840, 3, 6, 9, { 0, 3056, 8096, 8096 } },
	    { 0, ZONE_DMA32, 782336, 768, 1550, 2332, { 0, 0, 5040, 5040 } },
	    { 0, ZONE_NORMAL, 1290337, 1267, 2557, 3847, { 0, 0, 0, 0 } },
	    { 1, ZONE_NORMAL, 2064384, 2028, 4092, 6156, { 0, 0, 0, 0 } } } },
	{ "8g-movablecore-2g", mk_movablecore, 10033, 4,
	  { { 0, ZONE_DMA, 3840, 4, 7, 10, { 0, 3056, 6130, 8144 } },
	    { 0, ZONE_DMA32, 782336, 939, 1721, 2503, { 0, 0, 3074, 5088 } },
	    { 0, ZONE_NORMAL, 786944, 944, 1730, 2516, { 0, 0, 0, 16115 } },
	    { 0, ZONE_MOVABLE, 515689, 619, 1134, 1649, { 0, 0, 0, 0 } } } },
};

/*
 * Every row's machine: min_free_kbytes, and per populated zone managed pages, MIN, LOW,
 * HIGH and lowmem_reserve[] as worked out above; no other zone is populated.
 *
 * Expect: every value as in the table.
 */
static void watermarks_and_lowmem_reserve_table(void)
{
	for (size_t r = 0; r < sizeof(wm_table) / sizeof(wm_table[0]); r++) {
		const struct wm_row *row = &wm_table[r];
		struct machine *m = row->make();
		int populated = 0;

		printf("     %s\n", row->name);
		CHECK_EQ(m->min_free_kbytes, row->min_free_kbytes);
		for (int nid = 0; nid < m->nr_nodes; nid++)
			for (int z = 0; z < MAX_NR_ZONES; z++)
				populated += populated_zone(Z(m, nid, z));
		CHECK_EQ(populated, row->nr_zones);
		for (int i = 0; i < row->nr_zones; i++) {
			const struct wm_zone *e = &row->z[i];
			struct zone *z = Z(m, e->nid, e->idx);
			CHECK_EQ(z->managed_pages, e->managed);
			CHECK_EQ(min_wmark_pages(z), e->min);
			CHECK_EQ(low_wmark_pages(z), e->low);
			CHECK_EQ(high_wmark_pages(z), e->high);
			for (int j = 0; j < MAX_NR_ZONES; j++)
				CHECK_EQ(z->lowmem_reserve[j], e->lowmem_reserve[j]);
		}
		machine_destroy(m);
	}
}

/*
 * __zone_watermark_ok at order 0 on a fresh DMA zone (flat 8192 machine; DMA's
 * lowmem_reserve[DMA32] = 16), called with an explicit mark and free count:
 *   plain              free > mark                     mark 100: 101 ok, 100 not
 *   ALLOC_HIGH         min -= min / 2                  100 -> 50;  101 -> 51
 *   ALLOC_HARDER       min -= min / 4                  100 -> 75
 *   HIGH | HARDER      100 -> 50 -> 50 - 12 = 38
 *   order 2            free -= 2^2 - 1                 104 ok, 103 not
 *   classzone DMA32    + lowmem_reserve[DMA32] = 16    117 ok, 116 not; with HIGH 67 / 66
 *
 * Expect: each boundary exactly where the arithmetic puts it.
 */
static void watermark_ok_thresholds(void)
{
	struct machine *m = mk_flat_8192();
	struct zone *dma = Z(m, 0, ZONE_DMA);

	CHECK_EQ(dma->lowmem_reserve[ZONE_DMA32], 16);
	CHECK(__zone_watermark_ok(dma, 0, 100, ZONE_DMA, 0, 101));
	CHECK(!__zone_watermark_ok(dma, 0, 100, ZONE_DMA, 0, 100));
	CHECK(__zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HIGH, 51));
	CHECK(!__zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HIGH, 50));
	CHECK(__zone_watermark_ok(dma, 0, 101, ZONE_DMA, ALLOC_HIGH, 52));
	CHECK(!__zone_watermark_ok(dma, 0, 101, ZONE_DMA, ALLOC_HIGH, 51));
	CHECK(__zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HARDER, 76));
	CHECK(!__zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HARDER, 75));
	CHECK(__zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HIGH | ALLOC_HARDER, 39));
	CHECK(!__zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HIGH | ALLOC_HARDER, 38));
	CHECK(__zone_watermark_ok(dma, 2, 100, ZONE_DMA, 0, 104));
	CHECK(!__zone_watermark_ok(dma, 2, 100, ZONE_DMA, 0, 103));
	CHECK(__zone_watermark_ok(dma, 0, 100, ZONE_DMA32, 0, 117));
	CHECK(!__zone_watermark_ok(dma, 0, 100, ZONE_DMA32, 0, 116));
	CHECK(__zone_watermark_ok(dma, 0, 100, ZONE_DMA32, ALLOC_HIGH, 67));
	CHECK(!__zone_watermark_ok(dma, 0, 100, ZONE_DMA32, ALLOC_HIGH, 66));
	/* zone_watermark_ok reads the zone's own counter: 4096 free */
	CHECK(zone_watermark_ok(dma, 0, 4095, ZONE_DMA, 0));
	CHECK(!zone_watermark_ok(dma, 0, 4096, ZONE_DMA, 0));
	CHECK(!zone_watermark_ok(dma, 0, 4080, ZONE_DMA32, 0));
	machine_destroy(m);
}

/*
 * For order > 0 enough free pages are not enough: a free block of at least that order
 * must sit on a list the request may use (the three pcp types; HighAtomic only with
 * ALLOC_HARDER).
 *
 *   |A o1|1|2|3|...|---- free o9 ----|<-------- B o10 -------->|
 *   0                512              1024
 *
 * Expect: order 9 ok, order 10 not (with 100000 free pages claimed); once pageblock 1
 * is HighAtomic, order 9 only with ALLOC_HARDER; order 8 still ok.
 */
static void watermark_ok_needs_free_block_of_order(void)
{
	struct machine *m = normal_machine(2048, 1);
	struct zone *z = Z(m, 0, ZONE_NORMAL);

	cpu_bind(m, 0);
	struct page *a = alloc_pages(GFP_HIGHUSER_MOVABLE, 1);
	struct page *b = alloc_pages(GFP_HIGHUSER_MOVABLE, 10);
	CHECK(a && page_to_pfn(a) == NBASE);
	CHECK(b && page_to_pfn(b) == NBASE + 1024);
	CHECK_STR(bi(z), "0 1 1 1 1 1 1 1 1 1 0");
	CHECK(__zone_watermark_ok(z, 9, 0, ZONE_NORMAL, 0, 100000));
	CHECK(!__zone_watermark_ok(z, 10, 0, ZONE_NORMAL, 0, 100000));
	CHECK(!__zone_watermark_ok(z, 10, 0, ZONE_NORMAL, ALLOC_HARDER | ALLOC_HIGH, 100000));
	reserve_highatomic_pageblock(pfn_to_page(NBASE + 512), z, 9);
	CHECK_EQ(get_pageblock_migratetype_pfn(m, NBASE + 512), MIGRATE_HIGHATOMIC);
	CHECK(!__zone_watermark_ok(z, 9, 0, ZONE_NORMAL, 0, 100000));
	CHECK(__zone_watermark_ok(z, 9, 0, ZONE_NORMAL, ALLOC_HARDER, 100000));
	CHECK(__zone_watermark_ok(z, 8, 0, ZONE_NORMAL, 0, 100000));
	__free_pages(a, 1);
	__free_pages(b, 10);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 2");
	done(m);
}

/* Allocate one page, with the vm counters folded first so the watermark sees exact numbers. */
static struct page *alloc_exact(struct machine *m, gfp_t gfp)
{
	refresh_vm_stats(m);
	return alloc_pages(gfp | __GFP_NOWARN, 0);
}

static long free_now(struct machine *m, struct zone *z)
{
	refresh_vm_stats(m);
	return zone_page_state(z, NR_FREE_PAGES);
}

/*
 * The watermarks gating order-0 allocations on a 1024-frame zone (MIN 64, LOW 80; pcp
 * batch 1 and high 0, so every allocation moves exactly one page):
 *
 *   free 1024 ............ 81 | 80 ........ 65 | 64 .. 33 | 32 .... 25 | 24 ....
 *        fast path (> LOW)    | slow path, MIN | __GFP_HIGH: MIN/2     | GFP_ATOMIC:
 *                             |                |          | MIN/2 - MIN/2/4 = 24 ...
 *                                                                      | __GFP_MEMALLOC: none
 *
 * Expect: GFP_KERNEL succeeds down to 64 free, through the slow path below 81 (one
 * pgalloc_slowpath each); then fails; GFP_KERNEL|__GFP_HIGH goes on down to 32;
 * GFP_ATOMIC down to 24; GFP_KERNEL|__GFP_MEMALLOC below that.
 */
static void watermarks_gate_allocations(void)
{
	struct machine *m = normal_machine(1024, 0);
	struct zone *z = Z(m, 0, ZONE_NORMAL);
	static struct page *pages[1024];
	int n = 0;

	cpu_bind(m, 0);
	CHECK_EQ(min_wmark_pages(z), 64);
	CHECK_EQ(low_wmark_pages(z), 80);
	while (free_now(m, z) > 80 && n < 1024)
		pages[n++] = alloc_exact(m, GFP_KERNEL);
	CHECK_EQ(n, 944);
	CHECK_EQ(event(m, PGALLOC_SLOWPATH), 0);
	for (int i = 0; i < n; i++)
		CHECK(pages[i] != NULL);
	while (free_now(m, z) > 64 && n < 1024) {
		pages[n] = alloc_exact(m, GFP_KERNEL);
		CHECK(pages[n] != NULL);
		n++;
	}
	CHECK_EQ(n, 960);
	CHECK_EQ(event(m, PGALLOC_SLOWPATH), 16);
	CHECK(alloc_exact(m, GFP_KERNEL) == NULL);
	CHECK(alloc_exact(m, GFP_NOWAIT) == NULL);
	CHECK(alloc_exact(m, GFP_HIGHUSER_MOVABLE) == NULL);
	CHECK_EQ(event(m, PGALLOC_FAIL), 3);
	CHECK_EQ(free_now(m, z), 64);
	while (free_now(m, z) > 32 && n < 1024) {
		pages[n] = alloc_exact(m, GFP_KERNEL | __GFP_HIGH);
		CHECK(pages[n] != NULL);
		n++;
	}
	CHECK_EQ(n, 992);
	CHECK(alloc_exact(m, GFP_KERNEL | __GFP_HIGH) == NULL);
	while (free_now(m, z) > 24 && n < 1024) {
		pages[n] = alloc_exact(m, GFP_ATOMIC);
		CHECK(pages[n] != NULL);
		n++;
	}
	CHECK_EQ(n, 1000);
	CHECK(alloc_exact(m, GFP_ATOMIC) == NULL);
	pages[n] = alloc_exact(m, GFP_KERNEL | __GFP_MEMALLOC);
	CHECK(pages[n] != NULL);
	n++;
	CHECK_EQ(free_now(m, z), 23);
	CHECK_CONSISTENT(m);
	for (int i = 0; i < n; i++)
		if (pages[i])
			__free_pages(pages[i], 0);
	drain_all_pages(m, NULL);
	CHECK_STR(bi(z), "0 0 0 0 0 0 0 0 0 0 1");
	CHECK_EQ(free_now(m, z), 1024);
	done(m);
}

/*
 * lowmem_reserve by classzone, end to end, on the flat 8192 machine (DMA and DMA32,
 * 4096 pages each; MIN 90, LOW 112; DMA.lowmem_reserve[DMA32] = 16). GFP_KERNEL's
 * zonelist is DMA32, DMA with classzone DMA32, so DMA keeps 16 more pages from it:
 *
 *   DMA32: fast path to 112, slow path to 90
 *   DMA:   fast path to 112 + 16 = 128, slow path to 90 + 16 = 106
 *   GFP_DMA (classzone DMA) then takes DMA on down to 90
 *
 * Expect: after GFP_KERNEL order-0 allocations until failure, DMA32 has 90 free and DMA
 * 106; then GFP_DMA gets exactly 16 more pages, all from DMA.
 */
static void lowmem_reserve_protects_lower_zone(void)
{
	struct machine *m = mk_flat_8192();
	struct zone *dma = Z(m, 0, ZONE_DMA), *dma32 = Z(m, 0, ZONE_DMA32);
	static struct page *pages[8192];
	int n = 0, from_dma = 0;

	cpu_bind(m, 0);
	for (struct page *p; n < 8192 && (p = alloc_exact(m, GFP_KERNEL)); n++) {
		pages[n] = p;
		from_dma += page_zone(m, p) == dma;
	}
	CHECK_EQ(free_now(m, dma32), 90);
	CHECK_EQ(free_now(m, dma), 106);
	CHECK_EQ(from_dma, 4096 - 106);
	CHECK_EQ(n, 8192 - 90 - 106);
	int dma_only = 0;
	for (struct page *p; n < 8192 && (p = alloc_exact(m, GFP_DMA | GFP_KERNEL)); n++) {
		pages[n] = p;
		CHECK(page_zone(m, p) == dma);
		dma_only++;
	}
	CHECK_EQ(dma_only, 16);
	CHECK_EQ(free_now(m, dma), 90);
	CHECK_EQ(free_now(m, dma32), 90);
	CHECK_CONSISTENT(m);
	for (int i = 0; i < n; i++)
		__free_pages(pages[i], 0);
	drain_all_pages(m, NULL);
	CHECK_STR(bi(dma), "0 0 0 0 0 0 0 0 0 0 4");
	CHECK_STR(bi(dma32), "0 0 0 0 0 0 0 0 0 0 4");
	done(m);
}

/*
 * sysctl writes recompute the watermarks (and, for 6.x, the pcp high that derives from
 * LOW). Flat 8192 machine, DMA and DMA32 4096 managed each, MIN 90:
 *   watermark_scale_factor 100: step = max(22, 4096 * 100 / 10000 = 40) -> 90 / 130 / 170
 *   min_free_kbytes 4096: pages_min 1024, 512 each; step max(128, 40) -> 512 / 640 / 768
 * lowmem_reserve does not change. Bad values are refused with a message naming them.
 * And lowmem_reserve_ratio 8: DMA.lowmem_reserve[DMA32..] = 4096 / 8 = 512.
 *
 * Expect: the values above; errors for watermark_scale_factor 0, min_free_kbytes -5 and
 * an unknown name, with the machine unchanged.
 */
static void sysctl_recomputes_watermarks(void)
{
	struct machine *m = mk_flat_8192();
	struct zone *dma = Z(m, 0, ZONE_DMA), *dma32 = Z(m, 0, ZONE_DMA32);
	char err[256];

	CHECK_EQ(sysctl_set(m, "watermark_scale_factor", 100, err, sizeof(err)), 0);
	CHECK_EQ(min_wmark_pages(dma), 90);
	CHECK_EQ(low_wmark_pages(dma), 130);
	CHECK_EQ(high_wmark_pages(dma), 170);
	CHECK_EQ(low_wmark_pages(dma32), 130);
	CHECK_EQ(sysctl_set(m, "min_free_kbytes", 4096, err, sizeof(err)), 0);
	CHECK_EQ(m->min_free_kbytes, 4096);
	CHECK_EQ(min_wmark_pages(dma), 512);
	CHECK_EQ(low_wmark_pages(dma), 640);
	CHECK_EQ(high_wmark_pages(dma), 768);
	CHECK_EQ(min_wmark_pages(dma32), 512);
	CHECK_EQ(dma->lowmem_reserve[ZONE_DMA32], 16);

	err[0] = 0;
	CHECK_EQ(sysctl_set(m, "watermark_scale_factor", 0, err, sizeof(err)), -1);
	CHECK_STR(err, "watermark_scale_factor: 0 is outside 1..3000");
	CHECK_EQ(sysctl_set(m, "min_free_kbytes", -5, err, sizeof(err)), -1);
	CHECK_STR(err, "min_free_kbytes: -5 is outside 0..2147483647");
	CHECK_EQ(sysctl_set(m, "nonsense", 1, err, sizeof(err)), -1);
	CHECK_STR(err, "unknown sysctl 'nonsense'");
	CHECK_EQ(low_wmark_pages(dma), 640);
	machine_destroy(m);

	/* 6.x: pcp high_min is LOW split over the node's CPUs: 600 / 2 = 300, then 1094 / 2 */
	m = t_machine_flat(0, 65536, 2, PCP_POLICY_LINUX_6_X, 0);
	struct zone *z = Z(m, 0, ZONE_DMA32);
	CHECK_EQ(low_wmark_pages(z), 600);
	CHECK_EQ(zone_pageset(z, 0)->pcp.high_min, 300);
	CHECK_EQ(sysctl_set(m, "watermark_scale_factor", 100, err, sizeof(err)), 0);
	CHECK_EQ(low_wmark_pages(z), 480 + 614);
	CHECK_EQ(zone_pageset(z, 0)->pcp.high_min, 547);
	CHECK_EQ(zone_pageset(z, 1)->pcp.high_min, 547);
	machine_destroy(m);

	struct machine_desc d;
	t_desc_flat(&d, 0, 8192, 1);
	CHECK_EQ(machine_desc_set(&d, "lowmem_reserve_ratio", "8,8,32", err, sizeof(err)), 0);
	m = t_machine(&d);
	CHECK_EQ(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32], 512);
	CHECK_EQ(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL], 512);
	CHECK_EQ(Z(m, 0, ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL], 0);
	machine_destroy(m);
}

/*
 * gfp_zone: the highest zone a request may use (4.12's GFP_ZONE_TABLE on x86-64, no
 * highmem); two zone modifiers at once are GFP_ZONE_BAD (-1).
 *
 * Expect: the table below.
 */
static void gfp_zone_table(void)
{
	static const struct { gfp_t gfp; int zone; } t[] = {
		{ 0, ZONE_NORMAL },
		{ GFP_KERNEL, ZONE_NORMAL },
		{ __GFP_DMA, ZONE_DMA },
		{ GFP_DMA | GFP_KERNEL, ZONE_DMA },
		{ __GFP_DMA32, ZONE_DMA32 },
		{ GFP_DMA32 | GFP_KERNEL, ZONE_DMA32 },
		{ __GFP_HIGHMEM, ZONE_NORMAL },
		{ GFP_HIGHUSER, ZONE_NORMAL },
		{ __GFP_MOVABLE, ZONE_NORMAL },
		{ __GFP_HIGHMEM | __GFP_MOVABLE, ZONE_MOVABLE },
		{ GFP_HIGHUSER_MOVABLE, ZONE_MOVABLE },
		{ GFP_TRANSHUGE, ZONE_MOVABLE },
		{ __GFP_DMA | __GFP_MOVABLE, ZONE_DMA },
		{ __GFP_DMA32 | __GFP_MOVABLE, ZONE_DMA32 },
		{ __GFP_DMA | __GFP_DMA32, -1 },
		{ __GFP_DMA | __GFP_HIGHMEM, -1 },
		{ __GFP_DMA32 | __GFP_HIGHMEM, -1 },
		{ __GFP_DMA32 | __GFP_HIGHMEM | __GFP_MOVABLE, -1 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (gfp_zone(t[i].gfp) != t[i].zone)
			fprintf(stderr, "  gfp %#x\n", t[i].gfp);
		CHECK_EQ(gfp_zone(t[i].gfp), t[i].zone);
	}
}

/*
 * gfpflags_to_migratetype: __GFP_MOVABLE -> Movable, __GFP_RECLAIMABLE -> Reclaimable,
 * neither -> Unmovable, both -> -1 (the kernel's VM_BUG_ON).
 *
 * Expect: the table below.
 */
static void gfpflags_to_migratetype_table(void)
{
	CHECK_EQ(gfpflags_to_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	CHECK_EQ(gfpflags_to_migratetype(GFP_ATOMIC), MIGRATE_UNMOVABLE);
	CHECK_EQ(gfpflags_to_migratetype(GFP_HIGHUSER), MIGRATE_UNMOVABLE);
	CHECK_EQ(gfpflags_to_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	CHECK_EQ(gfpflags_to_migratetype(GFP_TRANSHUGE), MIGRATE_MOVABLE);
	CHECK_EQ(gfpflags_to_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	CHECK_EQ(gfpflags_to_migratetype(GFP_NOFS | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	CHECK_EQ(gfpflags_to_migratetype(__GFP_MOVABLE | __GFP_RECLAIMABLE), -1);
}

/*
 * gfp_to_alloc_flags (the slow path's flags, 4.12): MIN watermark and cpuset check;
 * __GFP_HIGH adds ALLOC_HIGH; __GFP_ATOMIC adds ALLOC_HARDER (unless __GFP_NOMEMALLOC)
 * and drops ALLOC_CPUSET either way.
 *
 * Expect: GFP_ATOMIC -> WMARK_MIN | HIGH | HARDER; GFP_KERNEL -> WMARK_MIN | CPUSET;
 * GFP_ATOMIC | __GFP_NOMEMALLOC -> WMARK_MIN | HIGH.
 */
static void gfp_to_alloc_flags_table(void)
{
	CHECK_EQ(gfp_to_alloc_flags(GFP_ATOMIC), ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HARDER);
	CHECK_EQ(gfp_to_alloc_flags(GFP_KERNEL), ALLOC_WMARK_MIN | ALLOC_CPUSET);
	CHECK_EQ(gfp_to_alloc_flags(GFP_NOWAIT), ALLOC_WMARK_MIN | ALLOC_CPUSET);
	CHECK_EQ(gfp_to_alloc_flags(GFP_KERNEL | __GFP_HIGH), ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_HIGH);
	CHECK_EQ(gfp_to_alloc_flags(GFP_ATOMIC | __GFP_NOMEMALLOC), ALLOC_WMARK_MIN | ALLOC_HIGH);
	CHECK_EQ(gfp_to_alloc_flags(__GFP_ATOMIC), ALLOC_WMARK_MIN | ALLOC_HARDER);
}

/*
 * Zone modifiers steer real allocations on the default 16 GiB machine:
 *
 *   pfn 1 ... 0x1000 ............ 0xc0000 (hole) 0x100000 ............. 0x440000
 *   |  DMA  |         DMA32          |        |           Normal             |
 *
 * Expect: GFP_DMA -> DMA, GFP_DMA32 -> DMA32 (order 0 and order 3), GFP_KERNEL and
 * GFP_HIGHUSER_MOVABLE -> Normal (there is no Movable zone); pgalloc_dma 1,
 * pgalloc_dma32 1 + 8, pgalloc_normal 2.
 */
static void zone_modifiers_pick_the_zone(void)
{
	struct machine *m = mk_default();
	struct page *p[5];

	cpu_bind(m, 0);
	p[0] = alloc_pages(GFP_KERNEL | GFP_DMA, 0);
	p[1] = alloc_pages(GFP_KERNEL | GFP_DMA32, 0);
	p[2] = alloc_pages(GFP_KERNEL | GFP_DMA32, 3);
	p[3] = alloc_pages(GFP_KERNEL, 0);
	p[4] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	for (int i = 0; i < 5; i++)
		CHECK(p[i] != NULL);
	if (p[0] && p[1] && p[2] && p[3] && p[4]) {
		CHECK_EQ(page_zone(m, p[0])->idx, ZONE_DMA);
		CHECK(page_to_pfn(p[0]) >= 1 && page_to_pfn(p[0]) < 0x1000);
		CHECK_EQ(page_zone(m, p[1])->idx, ZONE_DMA32);
		CHECK_EQ(page_zone(m, p[2])->idx, ZONE_DMA32);
		CHECK(page_to_pfn(p[2]) >= 0x1000 && page_to_pfn(p[2]) < 0xc0000);
		CHECK_EQ(page_to_pfn(p[2]) & 7, 0);
		CHECK_EQ(page_zone(m, p[3])->idx, ZONE_NORMAL);
		CHECK_EQ(page_zone(m, p[4])->idx, ZONE_NORMAL);
		CHECK(page_to_pfn(p[4]) >= NBASE);
	}
	CHECK_EQ(event(m, PGALLOC_DMA), 1);
	CHECK_EQ(event(m, PGALLOC_DMA32), 9);
	CHECK_EQ(event(m, PGALLOC_NORMAL), 2);
	CHECK_EQ(event(m, PGALLOC_MOVABLE), 0);
	CHECK_CONSISTENT(m);
	for (int i = 0; i < 5; i++)
		if (p[i])
			__free_pages(p[i], i == 2 ? 3 : 0);
	done(m);
}

int main(void)
{
	RUN(watermarks_and_lowmem_reserve_table);
	RUN(watermark_ok_thresholds);
	RUN(watermark_ok_needs_free_block_of_order);
	RUN(watermarks_gate_allocations);
	RUN(lowmem_reserve_protects_lower_zone);
	RUN(sysctl_recomputes_watermarks);
	RUN(gfp_zone_table);
	RUN(gfpflags_to_migratetype_table);
	RUN(gfp_to_alloc_flags_table);
	RUN(zone_modifiers_pick_the_zone);
	TEST_SUMMARY();
}
