// SPDX-License-Identifier: GPL-2.0
/*
 * dump_test.c - the /proc formats: show_buddyinfo, show_pagetypeinfo, show_zoneinfo
 * (4.12's pageset lines and 6.x's with high_min/high_max) and show_vmstat, compared as
 * text on small machines.
 *
 * The machine for buddyinfo, pagetypeinfo and zoneinfo: 256 MiB from pfn 0, two CPUs,
 * nothing reserved:
 *
 *   pfn 0        4096                                                   65536
 *   | DMA 4096  |                     DMA32 61440                          |
 *      4 x o10                          60 x o10
 *
 * and four allocations on it:
 *   CPU 0  GFP_KERNEL order 3               DMA32 @ 4096  (steals the o10 block at 4096:
 *                                                          pageblocks 8-9 Unmovable)
 *   CPU 0  GFP_KERNEL|GFP_DMA order 0       DMA @ 0       (pcp batch 1: one page; steals
 *                                                          the o10 block at 0: pb 0-1 Unmovable)
 *   CPU 0  GFP_KERNEL|__GFP_RECLAIMABLE o1  DMA32 @ 5120  (pageblocks 10-11 Reclaimable)
 *   CPU 1  GFP_HIGHUSER_MOVABLE order 0     DMA32 @ 6144  (pcp batch 15: 14 stay on CPU 1)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "pcp/pcp.h"

#define NBASE 0x100000UL

/* Run one dump into a string (the caller frees it). */
static char *dump(void (*show)(struct machine *, FILE *), struct machine *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	show(m, f);
	fclose(f);
	return buf;
}

/* The text from the line starting with `from` up to (not including) the one starting with `to` (or the end). */
static char *section(const char *text, const char *from, const char *to)
{
	const char *a = strstr(text, from);
	if (!a)
		return strdup("(missing)");
	const char *b = to ? strstr(a + 1, to) : NULL;
	size_t n = b ? (size_t)(b - a) : strlen(a);
	char *s = malloc(n + 1);
	memcpy(s, a, n);
	s[n] = 0;
	return s;
}

/* The value of "name N" in /proc/vmstat text, or -1. */
static long vmstat_value(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, n) && l[n] == ' ')
			return strtol(l + n + 1, NULL, 10);
	return -1;
}

static struct machine *small_machine(enum pcp_policy_id policy) { return t_machine_flat(0, 65536, 2, policy, 0); }

static struct page *four_allocations(struct machine *m, struct page *p[4])
{
	cpu_bind(m, 0);
	p[0] = alloc_pages(GFP_KERNEL, 3);
	p[1] = alloc_pages(GFP_KERNEL | GFP_DMA, 0);
	p[2] = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 1);
	cpu_bind(m, 1);
	p[3] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	CHECK(p[0] && page_to_pfn(p[0]) == 4096);
	CHECK(p[1] && page_to_pfn(p[1]) == 0);
	CHECK(p[2] && page_to_pfn(p[2]) == 5120);
	CHECK(p[3] && page_to_pfn(p[3]) == 6144);
	return p[0];
}

static void free_four(struct machine *m, struct page *p[4])
{
	static const unsigned int order[4] = { 3, 0, 1, 0 };
	for (int i = 0; i < 4; i++)
		if (p[i])
			__free_pages(p[i], order[i]);
	drain_all_pages(m, NULL);
}

static void done(struct machine *m)
{
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * /proc/buddyinfo: "Node N, zone %8s " then "%6lu " per order, fresh and after the four
 * allocations.
 *
 * Expect: DMA 0 x10, 4 / DMA32 0 x10, 60; then DMA 1 x10, 3 and DMA32
 * 1 1 1 2 3 3 3 3 3 3 57 (order 3: U@4104 and R@5128; orders 4-9: one each of Unmovable,
 * Reclaimable and the movable refill's remainder; order 0: the refill's page 6159).
 */
static void buddyinfo_format(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_4_12);
	struct page *p[4];
	char *s = dump(show_buddyinfo, m);

	CHECK_STR(s, "Node 0, zone      DMA      0      0      0      0      0      0      0      0      0      0      4 \n"
		     "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0     60 \n");
	free(s);
	four_allocations(m, p);
	s = dump(show_buddyinfo, m);
	CHECK_STR(s, "Node 0, zone      DMA      1      1      1      1      1      1      1      1      1      1      3 \n"
		     "Node 0, zone    DMA32      1      1      1      2      3      3      3      3      3      3     57 \n");
	free(s);
	free_four(m, p);
	s = dump(show_buddyinfo, m);
	CHECK_STR(s, "Node 0, zone      DMA      0      0      0      0      0      0      0      0      0      0      4 \n"
		     "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0     60 \n");
	free(s);
	done(m);
}

/*
 * /proc/pagetypeinfo after the four allocations: free blocks per type and order, then
 * pageblocks per type. DMA: 8 pageblocks, 2 taken by the unmovable steal; DMA32: 120,
 * 2 Unmovable and 2 Reclaimable.
 *
 * Expect: the full text below.
 */
static void pagetypeinfo_format(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_4_12);
	struct page *p[4];

	four_allocations(m, p);
	char *s = dump(show_pagetypeinfo, m);
	CHECK_STR(s,
		  "Page block order: 9\n"
		  "Pages per block:  512\n"
		  "\n"
		  "Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 \n"
		  "Node    0, zone      DMA, type    Unmovable      1      1      1      1      1      1      1      1      1      1      0 \n"
		  "Node    0, zone      DMA, type      Movable      0      0      0      0      0      0      0      0      0      0      3 \n"
		  "Node    0, zone      DMA, type  Reclaimable      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "Node    0, zone      DMA, type   HighAtomic      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "Node    0, zone      DMA, type          CMA      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "Node    0, zone      DMA, type      Isolate      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "Node    0, zone    DMA32, type    Unmovable      0      0      0      1      1      1      1      1      1      1      0 \n"
		  "Node    0, zone    DMA32, type      Movable      1      0      0      0      1      1      1      1      1      1     57 \n"
		  "Node    0, zone    DMA32, type  Reclaimable      0      1      1      1      1      1      1      1      1      1      0 \n"
		  "Node    0, zone    DMA32, type   HighAtomic      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "Node    0, zone    DMA32, type          CMA      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "Node    0, zone    DMA32, type      Isolate      0      0      0      0      0      0      0      0      0      0      0 \n"
		  "\n"
		  "Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate \n"
		  "Node 0, zone      DMA            2            6            0            0            0            0 \n"
		  "Node 0, zone    DMA32            2          116            2            0            0            0 \n");
	free(s);
	free_four(m, p);
	done(m);
}

/*
 * Pageblock counts skip holes, as the kernel's (pfn_valid) do: on the default 16 GiB
 * machine DMA32 spans [0x1000, 0x100000) but has memory only up to 0xc0000, so it has
 * (0xc0000 - 0x1000) / 512 = 1528 pageblocks; DMA 8 (from pfn 1); Normal
 * 3407970 / 512 rounded up = 6657.
 *
 * Expect: those three "Number of blocks" lines.
 */
static void pagetypeinfo_skips_holes(void)
{
	struct machine_desc d;
	machine_desc_default(&d);
	struct machine *m = t_machine(&d);
	char *s = dump(show_pagetypeinfo, m);
	char *blocks = section(s, "Number of blocks type", NULL);

	CHECK_STR(blocks, "Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate \n"
			  "Node 0, zone      DMA            0            8            0            0            0            0 \n"
			  "Node 0, zone    DMA32            0         1528            0            0            0            0 \n"
			  "Node 0, zone   Normal            0         6657            0            0            0            0 \n");
	free(blocks);
	free(s);
	machine_destroy(m);
}

/*
 * /proc/zoneinfo, 4.12 format, after the four allocations (vm stats folded first):
 * watermarks (DMA 32/40/48, DMA32 480/600/720 from min_free_kbytes 2048), protection
 * (DMA: 61440 / 256 = 240), counters, NUMA hits, and per CPU "count/high/batch"
 * (DMA: batch 1 high 0; DMA32: batch 15 high 90, CPU 1 holding 14) with the stat
 * threshold (2 CPUs: DMA 2*2*1 = 4, DMA32 2*2*(1+1) = 8). Empty zones stop after
 * "protection".
 *
 * Expect: the full text below.
 */
static void zoneinfo_format_4_12(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_4_12);
	struct page *p[4];

	four_allocations(m, p);
	refresh_vm_stats(m);
	char *s = dump(show_zoneinfo, m);
	CHECK_STR(s,
		  "Node 0, zone      DMA\n"
		  "  per-node stats\n"
		  "      nr_inactive_anon 0\n"
		  "      nr_active_anon 0\n"
		  "      nr_inactive_file 0\n"
		  "      nr_active_file 0\n"
		  "      nr_unevictable 0\n"
		  "      nr_isolated_anon 0\n"
		  "      nr_isolated_file 0\n"
		  "      workingset_refault 0\n"
		  "      workingset_activate 0\n"
		  "      workingset_nodereclaim 0\n"
		  "      nr_anon_pages 0\n"
		  "      nr_mapped    0\n"
		  "      nr_file_pages 0\n"
		  "      nr_dirty     0\n"
		  "      nr_writeback 0\n"
		  "      nr_writeback_temp 0\n"
		  "      nr_shmem     0\n"
		  "      nr_shmem_hugepages 0\n"
		  "      nr_shmem_pmdmapped 0\n"
		  "      nr_anon_transparent_hugepages 0\n"
		  "      nr_unstable  0\n"
		  "      nr_vmscan_write 0\n"
		  "      nr_vmscan_immediate_reclaim 0\n"
		  "      nr_dirtied   0\n"
		  "      nr_written   0\n"
		  "  pages free     4095\n"
		  "        min      32\n"
		  "        low      40\n"
		  "        high     48\n"
		  "        spanned  4096\n"
		  "        present  4096\n"
		  "        managed  4096\n"
		  "        protection: (0, 240, 240, 240)\n"
		  "      nr_free_pages 4095\n"
		  "      nr_zone_inactive_anon 0\n"
		  "      nr_zone_active_anon 0\n"
		  "      nr_zone_inactive_file 0\n"
		  "      nr_zone_active_file 0\n"
		  "      nr_zone_unevictable 0\n"
		  "      nr_zone_write_pending 0\n"
		  "      nr_mlock     0\n"
		  "      nr_slab_reclaimable 0\n"
		  "      nr_slab_unreclaimable 0\n"
		  "      nr_page_table_pages 0\n"
		  "      nr_kernel_stack 0\n"
		  "      nr_bounce    0\n"
		  "      nr_zspages   0\n"
		  "      numa_hit     1\n"
		  "      numa_miss    0\n"
		  "      numa_foreign 0\n"
		  "      numa_interleave 0\n"
		  "      numa_local   1\n"
		  "      numa_other   0\n"
		  "      nr_free_cma  0\n"
		  "  pagesets\n"
		  "    cpu: 0\n"
		  "              count: 0\n"
		  "              high:  0\n"
		  "              batch: 1\n"
		  "  vm stats threshold: 4\n"
		  "    cpu: 1\n"
		  "              count: 0\n"
		  "              high:  0\n"
		  "              batch: 1\n"
		  "  vm stats threshold: 4\n"
		  "  node_unreclaimable:  0\n"
		  "  start_pfn:           0\n"
		  "  node_inactive_ratio: 0\n"
		  "Node 0, zone    DMA32\n"
		  "  pages free     61415\n"
		  "        min      480\n"
		  "        low      600\n"
		  "        high     720\n"
		  "        spanned  61440\n"
		  "        present  61440\n"
		  "        managed  61440\n"
		  "        protection: (0, 0, 0, 0)\n"
		  "      nr_free_pages 61415\n"
		  "      nr_zone_inactive_anon 0\n"
		  "      nr_zone_active_anon 0\n"
		  "      nr_zone_inactive_file 0\n"
		  "      nr_zone_active_file 0\n"
		  "      nr_zone_unevictable 0\n"
		  "      nr_zone_write_pending 0\n"
		  "      nr_mlock     0\n"
		  "      nr_slab_reclaimable 0\n"
		  "      nr_slab_unreclaimable 0\n"
		  "      nr_page_table_pages 0\n"
		  "      nr_kernel_stack 0\n"
		  "      nr_bounce    0\n"
		  "      nr_zspages   0\n"
		  "      numa_hit     3\n"
		  "      numa_miss    0\n"
		  "      numa_foreign 0\n"
		  "      numa_interleave 0\n"
		  "      numa_local   3\n"
		  "      numa_other   0\n"
		  "      nr_free_cma  0\n"
		  "  pagesets\n"
		  "    cpu: 0\n"
		  "              count: 0\n"
		  "              high:  90\n"
		  "              batch: 15\n"
		  "  vm stats threshold: 8\n"
		  "    cpu: 1\n"
		  "              count: 14\n"
		  "              high:  90\n"
		  "              batch: 15\n"
		  "  vm stats threshold: 8\n"
		  "  node_unreclaimable:  0\n"
		  "  start_pfn:           4096\n"
		  "  node_inactive_ratio: 0\n"
		  "Node 0, zone   Normal\n"
		  "  pages free     0\n"
		  "        min      0\n"
		  "        low      0\n"
		  "        high     0\n"
		  "        spanned  0\n"
		  "        present  0\n"
		  "        managed  0\n"
		  "        protection: (0, 0, 0, 0)\n"
		  "Node 0, zone  Movable\n"
		  "  pages free     0\n"
		  "        min      0\n"
		  "        low      0\n"
		  "        high     0\n"
		  "        spanned  0\n"
		  "        present  0\n"
		  "        managed  0\n"
		  "        protection: (0, 0, 0, 0)\n");
	free(s);
	free_four(m, p);
	done(m);
}

/*
 * /proc/zoneinfo, 6.x format, fresh: per CPU count, high, batch, high_min, high_max
 * (aligned after "high_min:"), and no node_inactive_ratio line. 6.x sizes:
 *   DMA32  batch 15; high_min = LOW / CPUs of the node = 600 / 2 = 300;
 *          high_max = managed / 8 / 2 = 3840; high starts at high_min
 *   DMA    batch 1; high_min = 40 / 2 = 20; high_max = 4096 / 8 / 2 = 256
 *
 * Expect: the DMA32 pagesets block and the DMA cpu 1 block below, exactly.
 */
static void zoneinfo_format_6_x(void)
{
	struct machine *m = small_machine(PCP_POLICY_LINUX_6_X);
	char *s = dump(show_zoneinfo, m);
	char *dma32 = section(s, "  pagesets\n    cpu: 0\n              count:    0\n              high:     300", "Node 0, zone   Normal");

	CHECK_STR(dma32, "  pagesets\n"
			 "    cpu: 0\n"
			 "              count:    0\n"
			 "              high:     300\n"
			 "              batch:    15\n"
			 "              high_min: 300\n"
			 "              high_max: 3840\n"
			 "  vm stats threshold: 8\n"
			 "    cpu: 1\n"
			 "              count:    0\n"
			 "              high:     300\n"
			 "              batch:    15\n"
			 "              high_min: 300\n"
			 "              high_max: 3840\n"
			 "  vm stats threshold: 8\n"
			 "  node_unreclaimable:  0\n"
			 "  start_pfn:           4096\n");
	CHECK(strstr(s, "    cpu: 1\n"
			"              count:    0\n"
			"              high:     20\n"
			"              batch:    1\n"
			"              high_min: 20\n"
			"              high_max: 256\n"
			"  vm stats threshold: 4\n"
			"  node_unreclaimable:  0\n"
			"  start_pfn:           0\n"
			"Node 0, zone    DMA32\n") != NULL);
	CHECK(strstr(s, "node_inactive_ratio") == NULL);
	free(dma32);
	free(s);
	machine_destroy(m);
}

/*
 * /proc/vmstat on one 256 MiB Normal zone at 4 GiB, one CPU: three GFP_KERNEL order-0
 * allocations (one refill of batch 15, which steals a movable order-10 block: one
 * pgalloc_extfrag) and one order-2 allocation (under the zone lock: pgalloc_zone_locked 4).
 * Zone counters first, then NUMA counters, then events, one "name value" per line; the
 * model's own counters (pcp_*, pgalloc_extfrag, ...) are show modelstat's, not vmstat's.
 *
 * Expect: nr_free_pages 65536 - 15 - 4 = 65517, numa_hit 4, pgalloc_normal 7, pgfree 0;
 * after freeing all four pgfree 7 and nr_free_pages 65521 (15 on the pcp list), 65536
 * after drain_all_pages.
 */
static void vmstat_format(void)
{
	struct machine *m = t_machine_flat(NBASE, 65536, 1, PCP_POLICY_LINUX_4_12, 0);
	struct page *p[4];

	cpu_bind(m, 0);
	for (int i = 0; i < 3; i++)
		p[i] = alloc_pages(GFP_KERNEL, 0);
	p[3] = alloc_pages(GFP_KERNEL, 2);
	for (int i = 0; i < 4; i++)
		CHECK(p[i] != NULL);
	refresh_vm_stats(m);
	char *s = dump(show_vmstat, m);
	const char *prefix = "nr_free_pages 65517\n"
			     "nr_zone_inactive_anon 0\n"
			     "nr_zone_active_anon 0\n"
			     "nr_zone_inactive_file 0\n"
			     "nr_zone_active_file 0\n"
			     "nr_zone_unevictable 0\n"
			     "nr_zone_write_pending 0\n"
			     "nr_mlock 0\n"
			     "nr_slab_reclaimable 0\n"
			     "nr_slab_unreclaimable 0\n"
			     "nr_page_table_pages 0\n"
			     "nr_kernel_stack 0\n"
			     "nr_bounce 0\n"
			     "nr_zspages 0\n"
			     "numa_hit 4\n"
			     "numa_miss 0\n"
			     "numa_foreign 0\n"
			     "numa_interleave 0\n"
			     "numa_local 4\n"
			     "numa_other 0\n"
			     "nr_free_cma 0\n"
			     "nr_inactive_anon 0\n"
			     "nr_active_anon 0\n"
			     "nr_inactive_file 0\n"
			     "nr_active_file 0\n"
			     "nr_unevictable 0\n"
			     "nr_isolated_anon 0\n"
			     "nr_isolated_file 0\n"
			     "workingset_refault 0\n"
			     "workingset_activate 0\n"
			     "workingset_nodereclaim 0\n"
			     "nr_anon_pages 0\n"
			     "nr_mapped 0\n"
			     "nr_file_pages 0\n"
			     "nr_dirty 0\n"
			     "nr_writeback 0\n"
			     "nr_writeback_temp 0\n"
			     "nr_shmem 0\n"
			     "nr_shmem_hugepages 0\n"
			     "nr_shmem_pmdmapped 0\n"
			     "nr_anon_transparent_hugepages 0\n"
			     "nr_unstable 0\n"
			     "nr_vmscan_write 0\n"
			     "nr_vmscan_immediate_reclaim 0\n"
			     "nr_dirtied 0\n"
			     "nr_written 0\n"
			     /* dirtyable: 65517 free - 768 high = 64749; 20 % and 10 % of it */
			     "nr_dirty_threshold 12949\n"
			     "nr_dirty_background_threshold 6474\n"
			     "pgpgin 0\n"
			     "pgpgout 0\n"
			     "pswpin 0\n"
			     "pswpout 0\n"
			     "pgalloc_dma 0\n"
			     "pgalloc_dma32 0\n"
			     "pgalloc_normal 7\n"
			     "pgalloc_movable 0\n";
	CHECK(!strncmp(s, prefix, strlen(prefix)));
	if (strncmp(s, prefix, strlen(prefix)))
		fprintf(stderr, "  got:\n%.*s\n", (int)strlen(prefix), s);
	int lines = 0;
	for (const char *c = s; (c = strchr(c, '\n')); c++)
		lines++;
	/* 4.12's lines only (formats_match_linux_4_12 checks the names): 21 zone, 27 node, 80 events */
	CHECK_EQ(lines, 21 + 27 + 80);
	CHECK_EQ(vmstat_value(s, "pgfree"), 0);
	CHECK_EQ(vmstat_value(s, "pcp_alloc"), -1);
	free(s);
	/* the model's own counters: show modelstat; every pcp allocation here was a hit or a refill */
	s = dump(show_modelstat, m);
	CHECK_EQ(vmstat_value(s, "pcp_alloc"),
		 vmstat_value(s, "pcp_alloc_hit") + vmstat_value(s, "pcp_refill_calls"));
	CHECK_EQ(vmstat_value(s, "pgalloc_zone_locked"), 4);
	CHECK_EQ(vmstat_value(s, "pgalloc_extfrag"), 1);
	CHECK_EQ(vmstat_value(s, "pgalloc_slowpath"), 0);
	CHECK_EQ(vmstat_value(s, "pgalloc_fail"), 0);
	CHECK_EQ(vmstat_value(s, "bad_page"), 0);
	CHECK_EQ(vmstat_value(s, "nr_free_pages"), -1);
	free(s);

	for (int i = 0; i < 3; i++)
		__free_pages(p[i], 0);
	__free_pages(p[3], 2);
	refresh_vm_stats(m);
	s = dump(show_vmstat, m);
	CHECK_EQ(vmstat_value(s, "pgfree"), 7);
	CHECK_EQ(vmstat_value(s, "nr_free_pages"), 65521);
	CHECK_EQ(vmstat_value(s, "pgalloc_normal"), 7);
	free(s);
	drain_all_pages(m, NULL);
	refresh_vm_stats(m);
	s = dump(show_vmstat, m);
	CHECK_EQ(vmstat_value(s, "nr_free_pages"), 65536);
	free(s);
	done(m);
}

/* Each line with its digit runs as N: the shape a format test compares. */
static char *shapes(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	for (const char *c = text; *c; c++) {
		if (isdigit((unsigned char)*c)) {
			*o++ = 'N';
			while (isdigit((unsigned char)c[1]))
				c++;
		} else {
			*o++ = *c;
		}
	}
	*o = 0;
	return out;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 20];
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	return strdup(buf);
}

/*
 * The 6.x policy's dumps against this project's 6.18 VM (testdata/compile.*.before):
 * the machine built from the capture prints /proc/zoneinfo with the same lines in the
 * same order - per-node stats on the node's first populated zone, boost, promo, cma,
 * protection over five zones, the Device zone, the pagesets - and /proc/vmstat with the
 * same names in the same order. Values are not compared (the model's are its own).
 *
 * Expect: every line's shape (digits as N) equal, line for line.
 */
static void formats_match_linux_6_18(void)
{
	struct machine_desc d;
	char err[512];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_load_zoneinfo(&d, "replay/testdata/compile.zoneinfo.before", err, sizeof(err)), 0);
	d.policy = PCP_POLICY_LINUX_6_X;
	struct machine *m = t_machine(&d);
	const char *files[2] = { "replay/testdata/compile.zoneinfo.before", "replay/testdata/compile.vmstat.before" };
	void (*fns[2])(struct machine *, FILE *) = { show_zoneinfo, show_vmstat };
	for (int k = 0; k < 2; k++) {
		char *want = read_text(files[k]), *got = dump(fns[k], m);
		char *ws = shapes(want), *gs = shapes(got);
		if (k == 1) {   /* vmstat: the names (values are one token after them) */
			for (char *c = ws; *c; c++)
				if (*c == ' ')
					while (c[1] && c[1] != '\n')
						memmove(c + 1, c + 2, strlen(c + 1));
			for (char *c = gs; *c; c++)
				if (*c == ' ')
					while (c[1] && c[1] != '\n')
						memmove(c + 1, c + 2, strlen(c + 1));
		}
		char *wl = ws, *gl = gs;
		int line = 1;
		while (*wl || *gl) {
			char *we = strchr(wl, '\n'), *ge = strchr(gl, '\n');
			size_t wn = we ? (size_t)(we - wl) : strlen(wl), gn = ge ? (size_t)(ge - gl) : strlen(gl);
			if (wn != gn || strncmp(wl, gl, wn)) {
				fprintf(stderr, "  %s line %d:\n    kernel: %.*s\n    model:  %.*s\n", files[k], line, (int)wn, wl,
					(int)gn, gl);
				t_failed_checks++;
				break;
			}
			wl += wn + (we != NULL);
			gl += gn + (ge != NULL);
			line++;
		}
		free(want);
		free(got);
		free(ws);
		free(gs);
	}
	machine_destroy(m);
}

/* The names of one section of testdata/linux-4.12.vmstat_text ("## SECTION" lines), or of all. */
static int vmstat_text_names(const char *text, const char *section, char names[][48], int max)
{
	int n = 0;
	bool in = section == NULL;

	for (const char *l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		size_t len = strcspn(l, "\n");
		if (!strncmp(l, "## ", 3))
			in = section == NULL || (len - 3 == strlen(section) && !strncmp(l + 3, section, len - 3));
		else if (l[0] != '#' && len && in && n < max)
			snprintf(names[n++], 48, "%.*s", (int)len, l);
	}
	return n;
}

/* The first word of each line of text from *pos on, until a line that doesn't start with "      " (zoneinfo's stat lines). */
static int zoneinfo_stat_names(const char **pos, char names[][48], int max)
{
	int n = 0;
	const char *l = *pos;

	while (!strncmp(l, "      ", 6) && n < max) {
		sscanf(l, " %47s", names[n++]);
		l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l);
	}
	*pos = l;
	return n;
}

static void check_names(const char *what, char want[][48], int nw, char got[][48], int ng)
{
	CHECK_EQ(ng, nw);
	for (int i = 0; i < nw && i < ng; i++)
		if (strcmp(want[i], got[i])) {
			fprintf(stderr, "  %s line %d: kernel %s, model %s\n", what, i + 1, want[i], got[i]);
			t_failed_checks++;
			return;
		}
}

/*
 * The 4.12 policy's dumps against linux-4.12.0's vmstat_text[] (testdata/linux-4.12.vmstat_text,
 * preprocessed from that kernel's mm/vmstat.c), on the three-zone machine of the compile capture:
 *
 *   /proc/vmstat:   zone_stat_item | node_stat_item | writeback thresholds | vm_event_item
 *   /proc/zoneinfo: Node 0 DMA   per-node stats (node_stat_item) ... protection, zone_stat_item
 *                   Node 0 DMA32 ... protection, zone_stat_item
 *                   Node 0 Normal ...
 *
 * Expect: /proc/vmstat's 128 names equal vmstat_text's, in order; each populated zone's
 * counters are the 21 zone_stat_item names (NUMA ones among them, before nr_free_cma), and
 * one per-node block per node with the 25 node_stat_item names.
 */
static void formats_match_linux_4_12(void)
{
	static char want[256][48], got[256][48];
	struct machine_desc d;
	char err[512];

	machine_desc_default(&d);
	CHECK_EQ(machine_desc_load_zoneinfo(&d, "replay/testdata/compile.zoneinfo.before", err, sizeof(err)), 0);
	d.policy = PCP_POLICY_LINUX_4_12;
	struct machine *m = t_machine(&d);
	char *text = read_text("alloc/testdata/linux-4.12.vmstat_text");

	char *s = dump(show_vmstat, m);
	int ng = 0;
	for (const char *l = s; *l && ng < 256; l = strchr(l, '\n') + 1)
		sscanf(l, "%47s", got[ng++]);
	int nw = vmstat_text_names(text, NULL, want, 256);
	CHECK_EQ(nw, 128);
	check_names("vmstat", want, nw, got, ng);
	free(s);

	s = dump(show_zoneinfo, m);
	int zones = 0, node_blocks = 0;
	for (const char *l = s; *l;) {
		if (!strncmp(l, "  per-node stats\n", 17)) {
			l += 17;
			ng = zoneinfo_stat_names(&l, got, 256);
			nw = vmstat_text_names(text, "node_stat_item", want, 256);
			check_names("zoneinfo per-node stats", want, nw, got, ng);
			node_blocks++;
		} else if (!strncmp(l, "        protection: (", 21) && strchr(l, '\n')[1] == ' ') {
			l = strchr(l, '\n') + 1;
			ng = zoneinfo_stat_names(&l, got, 256);
			nw = vmstat_text_names(text, "zone_stat_item", want, 256);
			CHECK_EQ(nw, 21);
			check_names("zoneinfo zone stats", want, nw, got, ng);
			zones++;
		} else {
			l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l);
		}
	}
	int populated = 0;
	for_each_zone(m, zone)
		populated += populated_zone(zone);
	CHECK_EQ(zones, populated);
	CHECK_EQ(node_blocks, m->nr_nodes);
	free(s);
	free(text);
	machine_destroy(m);
}

int main(void)
{
	RUN(buddyinfo_format);
	RUN(pagetypeinfo_format);
	RUN(pagetypeinfo_skips_holes);
	RUN(zoneinfo_format_4_12);
	RUN(zoneinfo_format_6_x);
	RUN(vmstat_format);
	RUN(formats_match_linux_6_18);
	RUN(formats_match_linux_4_12);
	TEST_SUMMARY();
}
