// SPDX-License-Identifier: GPL-2.0
/*
 * zonelist_test.c - zonelist order against Linux 4.12's build_zonelists /
 * find_next_best_node on 4-node distance matrices, the no-fallback list of __GFP_THISNODE,
 * nodemask and cpuset (mems_allowed, __GFP_HARDWALL) restrictions, alloc_pages_node's
 * preferred node, and memoryless / removed nodes.
 *
 * Every machine here: 4 nodes of 64 MiB. Node 0 is laid out x86-style (DMA below 16 MiB,
 * DMA32 above), nodes 1..3 start at 4, 5, 6 GiB and have only Normal. So a node's own part
 * of a list is "0:DMA32 0:DMA" for node 0 and "n:Normal" otherwise.
 *
 * The algorithm (4.12 mm/page_alloc.c, node ordering, the 64-bit default; read in the
 * 4.12-era text of find_next_best_node - unchanged from 2.6 to 5.x - and 4.14's
 * build_zonelists, which is 4.12's with zone ordering removed):
 *   node_load[] = 0 once per rebuild, shared by all nodes, built in node order;
 *   per node: load = nr_online_nodes; the local node comes first (even memoryless);
 *   then the N_MEMORY node n not used yet with the smallest
 *     (distance + (n < local) + 1 if n has CPUs) * (nr_online_nodes * MAX_NUMNODES) + node_load[n],
 *   lowest n on ties; a node whose distance differs from the previous pick's gets
 *   node_load = load; load drops by one per pick.
 */
#define _LGPL_SOURCE

#include "alloc/testing.h"

#include "alloc/cpuset.h"
#include "alloc/internal.h"
#include "alloc/rcu.h"
#include "alloc/memory_hotplug.h"
#include "pcp/pcp.h"

static struct zone *Z(struct machine *m, int nid, int idx) { return &m->node_data[nid]->node_zones[idx]; }

static const char *zl(struct machine *m, int nid, gfp_t gfp)
{
	static char buf[4][1024];
	static int i;
	char *b = buf[i++ & 3];
	zonelist_read_lock();
	zonelist_format(node_zonelist(m, nid, gfp), b, 1024);
	zonelist_read_unlock();
	return b;
}

static struct machine *four_nodes(const char *distance, const int *cpu_node, int nr_cpus)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	machine_desc_set(&d, "nodes", "4", err, sizeof(err));
	machine_desc_set(&d, "mem", "64M", err, sizeof(err));
	machine_desc_set(&d, "cpus", "4", err, sizeof(err));
	for (int n = 0; n < 4; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			d.reserved_pages[n][z] = 0;
	if (machine_desc_set(&d, "distance", distance, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	d.nr_cpus = nr_cpus;
	for (int c = 0; c < nr_cpus; c++)
		d.cpu_to_node[c] = cpu_node[c];
	return t_machine(&d);
}

#define N0 "0:DMA32 0:DMA"
#define N1 "1:Normal"
#define N2 "2:Normal"
#define N3 "3:Normal"

/*
 * Four nodes, every remote distance 20, one CPU per node: only node_load separates the
 * candidates, and it spreads the first hops round-robin. nr_online_nodes = 4, so
 * val = (20 + (n < local) + 1) * 256 + node_load[n] for remote n.
 *
 *          0   1   2   3
 *     0   10  20  20  20
 *     1   20  10  20  20
 *     2   20  20  10  20
 *     3   20  20  20  10
 *
 *   node 0: load 4. 0 (local; load 3). 1, 2, 3 all 21*256+0: 1 (lowest), distance 20 !=
 *           10 so node_load[1] = 3; load 2. 2 and 3 tie: 2 (same distance, no load
 *           set), then 3.                           node_load = [0 3 0 0]   order 0 1 2 3
 *   node 1: 1. 0 = 22*256, 2 = 3 = 21*256: 2 gets node_load 3; then 3 (21*256 < 22*256);
 *           then 0.                                 node_load = [0 3 3 0]   order 1 2 3 0
 *   node 2: 2. 0 = 22*256+0, 1 = 22*256+3, 3 = 21*256+0: 3, node_load[3] = 3; then 0
 *           (load 0 beats 1's 3); then 1.           node_load = [0 3 3 3]   order 2 3 0 1
 *   node 3: 3. 0 = 22*256+0, 1 = 2 = 22*256+3: 0, node_load[0] = 3; then 1 and 2 tie at
 *           22*256+3: 1, then 2.                    node_load = [3 3 3 3]   order 3 0 1 2
 *
 * Expect: those orders; THISNODE lists hold the node's own zones only.
 */
static void four_nodes_uniform(void)
{
	static const int cpus[] = { 0, 1, 2, 3 };
	struct machine *m = four_nodes("10,20,20,20, 20,10,20,20, 20,20,10,20, 20,20,20,10", cpus, 4);

	CHECK_STR(zl(m, 0, GFP_KERNEL), N0 " " N1 " " N2 " " N3);
	CHECK_STR(zl(m, 1, GFP_KERNEL), N1 " " N2 " " N3 " " N0);
	CHECK_STR(zl(m, 2, GFP_KERNEL), N2 " " N3 " " N0 " " N1);
	CHECK_STR(zl(m, 3, GFP_KERNEL), N3 " " N0 " " N1 " " N2);
	CHECK_STR(zl(m, 0, GFP_KERNEL | __GFP_THISNODE), N0);
	CHECK_STR(zl(m, 2, GFP_KERNEL | __GFP_THISNODE), N2);
	machine_destroy(m);
}

/*
 * A ring of four nodes (each has two neighbours at 20 and one opposite at 30), node 2
 * headless (CPUs 0..3 on nodes 0, 1, 3, 3): the CPU penalty and (n < local) decide.
 *
 *          0   1   2   3
 *     0   10  20  20  30
 *     1   20  10  30  20
 *     2   20  30  10  20
 *     3   30  20  20  10
 *
 *   node 0: 0; 1 = 21*256, 2 = 20*256 (no CPUs): 2, node_load[2] = 3; 1 (same distance);
 *           3 (30 != 20): node_load[3] = 1.         node_load = [0 0 3 1]   order 0 2 1 3
 *   node 1: 1; 0 = 22*256, 2 = 30*256+3, 3 = 21*256+1: 3, node_load[3] = 3; 0 (22*256 <
 *           30*256+3, same distance); 2 (30 != 20): node_load[2] = 1.
 *                                                   node_load = [0 0 1 3]   order 1 3 0 2
 *   node 2: 2; 0 = 22*256, 1 = 32*256, 3 = 21*256+3: 3 (node_load[3] = 3 again); 0; 1
 *           (30 != 20): node_load[1] = 1.           node_load = [0 1 1 3]   order 2 3 0 1
 *   node 3: 3; 0 = 32*256, 1 = 22*256+1, 2 = 21*256+1 (headless): 2, node_load[2] = 3;
 *           1; 0 (30 != 20): node_load[0] = 1.      node_load = [1 1 3 3]   order 3 2 1 0
 */
static void four_nodes_ring_headless(void)
{
	static const int cpus[] = { 0, 1, 3, 3 };
	struct machine *m = four_nodes("10,20,20,30, 20,10,30,20, 20,30,10,20, 30,20,20,10", cpus, 4);

	CHECK_STR(zl(m, 0, GFP_KERNEL), N0 " " N2 " " N1 " " N3);
	CHECK_STR(zl(m, 1, GFP_KERNEL), N1 " " N3 " " N0 " " N2);
	CHECK_STR(zl(m, 2, GFP_KERNEL), N2 " " N3 " " N0 " " N1);
	CHECK_STR(zl(m, 3, GFP_KERNEL), N3 " " N2 " " N1 " " N0);
	machine_destroy(m);
}

/*
 * The uniform machine with node 2's memory offlined (node 2 stays online, memoryless),
 * then node 2 removed. Memoryless: nr_online_nodes is still 4 and node 2's own list is
 * the others in its order (local first, contributing nothing). Removed: nr_online_nodes 3.
 * Both give, for the others (worked as above, 2 never a candidate):
 *   node 0: 0 1 3        node 1: 1 3 0        node 3: 3 0 1
 * and memoryless node 2: 2 3 0 1 -> "3:Normal 0:DMA32 0:DMA 1:Normal".
 * Expect: those; __GFP_THISNODE|__GFP_NOFAIL on node 2 warns and fails (nothing can ever
 * satisfy it); CPU 2 allocates from node 3 while node 2 is memoryless;
 * alloc_pages_node(2) warns and fails once node 2 is removed; it comes
 * back with add_node + online_pages, the lists as in four_nodes_uniform.
 */
static void memoryless_and_removed_node(void)
{
	static const int cpus[] = { 0, 1, 2, 3 };
	struct machine *m = four_nodes("10,20,20,20, 20,10,20,20, 20,20,10,20, 20,20,20,10", cpus, 4);
	char err[256];
	struct zone *z2 = Z(m, 2, ZONE_NORMAL);
	unsigned long s = z2->zone_start_pfn, n = z2->spanned_pages;

	CHECK_EQ(n, 16384);
	CHECK_EQ(offline_pages(m, s, n, 1000, err, sizeof(err)), 0);
	CHECK_STR(zl(m, 0, GFP_KERNEL), N0 " " N1 " " N3);
	CHECK_STR(zl(m, 1, GFP_KERNEL), N1 " " N3 " " N0);
	CHECK_STR(zl(m, 2, GFP_KERNEL), N3 " " N0 " " N1);
	CHECK_STR(zl(m, 2, GFP_KERNEL | __GFP_THISNODE), "");
	CHECK_STR(zl(m, 3, GFP_KERNEL), N3 " " N0 " " N1);
	/*
	 * CPU 2 (memoryless node 2) allocates from its list's first zone, node 3: twice, the
	 * second a pcp hit, and both numa_hit and numa_other there (node 3 is not CPU 2's), never
	 * numa_local - the hit path must not take its kept zonelist head for a local one.
	 */
	struct zone *z3 = Z(m, 3, ZONE_NORMAL);
	unsigned long local = zone_numa_state(z3, NUMA_LOCAL), other = zone_numa_state(z3, NUMA_OTHER);
	unsigned long hit = zone_numa_state(z3, NUMA_HIT);
	cpu_bind(m, 2);
	/* __GFP_THISNODE|__GFP_NOFAIL on the memoryless node: nothing to wait for - warned, NULL */
	char *buf = NULL;
	size_t len = 0;
	m->report = open_memstream(&buf, &len);
	CHECK(alloc_pages_node(2, GFP_KERNEL | __GFP_THISNODE | __GFP_NOFAIL, 0) == NULL);
	fclose(m->report);
	m->report = stderr;
	CHECK(strstr(buf, "WARNING: __alloc_pages_slowpath: __GFP_NOFAIL with no zone to allocate from") != NULL);
	CHECK(strstr(buf, "WARNING: page allocation failure: order:0") != NULL);
	free(buf);
	for (int i = 0; i < 2; i++) {
		struct page *q = alloc_pages(GFP_KERNEL, 0);
		CHECK_EQ(q ? page_zone(m, q)->node : -1, 3);
		if (q)
			__free_pages(q, 0);
	}
	CHECK_EQ(zone_numa_state(z3, NUMA_HIT), hit + 2);
	CHECK_EQ(zone_numa_state(z3, NUMA_OTHER), other + 2);
	CHECK_EQ(zone_numa_state(z3, NUMA_LOCAL), local);
	cpu_unbind();
	CHECK_EQ(remove_node(m, 2, err, sizeof(err)), 0);
	CHECK(!m->node_data[2]->online);
	CHECK_STR(zl(m, 0, GFP_KERNEL), N0 " " N1 " " N3);
	CHECK_STR(zl(m, 1, GFP_KERNEL), N1 " " N3 " " N0);
	CHECK_STR(zl(m, 3, GFP_KERNEL), N3 " " N0 " " N1);
	cpu_bind(m, 0);
	FILE *quiet = tmpfile();
	m->report = quiet;
	CHECK(alloc_pages_node(2, GFP_KERNEL, 0) == NULL);
	m->report = stderr;
	fclose(quiet);
	CHECK_EQ(add_node(m, 2, err, sizeof(err)), 0);
	CHECK_EQ(online_pages(m, 2, ZONE_NORMAL, s, n, err, sizeof(err)), 0);
	CHECK_STR(zl(m, 0, GFP_KERNEL), N0 " " N1 " " N2 " " N3);
	CHECK_STR(zl(m, 2, GFP_KERNEL), N2 " " N3 " " N0 " " N1);
	CHECK_STR(zl(m, 3, GFP_KERNEL), N3 " " N0 " " N1 " " N2);
	struct page *p = alloc_pages_node(2, GFP_KERNEL | __GFP_THISNODE, 0);
	CHECK(p && page_zone(m, p) == z2);
	if (p)
		__free_pages(p, 0);
	drain_all_pages(m, NULL);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/*
 * A memoryless node still takes the first place of its own list and one step of load
 * (find_next_best_node returns the local node whether it has memory or not), and
 * MAX_NODE_LOAD is nr_online_nodes, memoryless nodes included. The model used to skip a
 * memoryless local node and count only nodes with memory; on this matrix that changed
 * node 3's list. Node 2's memory is offlined (node 2 stays online); nr_online_nodes 4.
 *
 *          0   1   2   3
 *     0   10  30  30  40
 *     1   30  10  40  40
 *     2   30  40  10  40
 *     3   40  40  40  10
 *
 *   node 0: 0; 1 = 31*256 < 3 = 41*256: 1, node_load[1] = 3; 3 (40 != 30): node_load[3] = 2.
 *                                                   node_load = [0 3 0 2]   order 0 1 3
 *   node 1: 1; 0 = 32*256, 3 = 41*256+2: 0, node_load[0] = 3; 3 (40 != 30): node_load[3] = 2.
 *                                                   node_load = [3 3 0 2]   order 1 0 3
 *   node 2: 2 (memoryless, load 4 -> 3); 0 = 32*256+3: node_load[0] = 3; 3 = 41*256+2 vs
 *           1 = 42*256+3: 3, node_load[3] = 2; 1 (same distance 40).
 *                                                   node_load = [3 3 0 2]   order 2 0 3 1
 *   node 3: 3; 0 = 42*256+3 and 1 = 42*256+3 tie: 0, then 1.          order 3 0 1
 * The old model: node 2's walk started at load 3 with 0, so node_load[0] became 3 while
 * node_load[1] was 2 (loads counted from 3), and node 3 took 1 before 0.
 */
static void memoryless_node_load(void)
{
	static const int cpus[] = { 0, 1, 2, 3 };
	struct machine *m = four_nodes("10,30,30,40, 30,10,40,40, 30,40,10,40, 40,40,40,10", cpus, 4);
	char err[256];
	struct zone *z2 = Z(m, 2, ZONE_NORMAL);

	CHECK_EQ(offline_pages(m, z2->zone_start_pfn, z2->spanned_pages, 1000, err, sizeof(err)), 0);
	CHECK_STR(zl(m, 0, GFP_KERNEL), N0 " " N1 " " N3);
	CHECK_STR(zl(m, 1, GFP_KERNEL), N1 " " N0 " " N3);
	CHECK_STR(zl(m, 2, GFP_KERNEL), N0 " " N3 " " N1);
	CHECK_STR(zl(m, 3, GFP_KERNEL), N3 " " N0 " " N1);
	machine_destroy(m);
}

static int node_of(struct machine *m, struct page *p) { return p ? page_zone(m, p)->node : -1; }

/* Allocate with a nodemask through the RCU-protected zonelist of nid, as callers must. */
static struct page *alloc_mask(struct machine *m, int nid, gfp_t gfp, nodemask_t *mask)
{
	zonelist_read_lock();
	struct page *p = __alloc_pages_nodemask(gfp, 0, node_zonelist(m, nid, gfp), mask);
	zonelist_read_unlock();
	return p;
}

/*
 * Restrictions, on the uniform machine, from CPU 0 (node 0):
 *   alloc_pages_node(n) prefers n: the page comes from node n's first zone.
 *   __GFP_THISNODE on node 1 uses "1:Normal" only; GFP_DMA | __GFP_THISNODE on node 1 has
 *   no zone and fails.
 *   nodemask {3} on node 0's list: the walk skips to 3:Normal.
 *   nodemask {} fails.
 *   cpuset mems {2}: GFP_KERNEL from node 0 lands on node 2 (the fast path walks with
 *   mems_allowed as its nodemask); with a caller nodemask {1, 2} it still lands on 2
 *   (ALLOC_CPUSET); nodemask {1} and mems {2}: hardwall fast path fails, the slow path
 *   checks softwall (GFP_KERNEL) against the hardwall ancestor's mems (all nodes) and
 *   takes node 1; GFP_USER (__GFP_HARDWALL) with nodemask {1} fails; with a hardwall
 *   ancestor of {2, 3}, GFP_KERNEL with nodemask {1} fails too.
 */
static void nodemask_cpuset_thisnode(void)
{
	static const int cpus[] = { 0, 1, 2, 3 };
	struct machine *m = four_nodes("10,20,20,20, 20,10,20,20, 20,20,10,20, 20,20,20,10", cpus, 4);
	nodemask_t mask, mems, hw;
	struct page *p[16];
	int k = 0;

	cpu_bind(m, 0);
	for (int n = 0; n < 4; n++) {
		p[k] = alloc_pages_node(n, GFP_KERNEL, 0);
		CHECK_EQ(node_of(m, p[k]), n);
		k++;
	}
	p[k] = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE, 0);
	CHECK_EQ(node_of(m, p[k]), 1);
	k++;
	CHECK(alloc_pages_node(1, GFP_KERNEL | GFP_DMA | __GFP_THISNODE | __GFP_NOWARN, 0) == NULL);
	p[k] = alloc_pages_node(0, GFP_KERNEL | GFP_DMA, 0);
	CHECK(p[k] && page_zone(m, p[k]) == Z(m, 0, ZONE_DMA));
	k++;

	nodes_clear(&mask);
	node_set(3, &mask);
	p[k] = alloc_mask(m, 0, GFP_KERNEL, &mask);
	CHECK_EQ(node_of(m, p[k]), 3);
	k++;
	nodes_clear(&mask);
	CHECK(alloc_mask(m, 0, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, &mask) == NULL);

	nodes_clear(&mems);
	node_set(2, &mems);
	cpuset_set_mems_allowed(&mems, NULL);
	p[k] = alloc_pages_node(0, GFP_KERNEL, 0);
	CHECK_EQ(node_of(m, p[k]), 2);
	k++;
	nodes_clear(&mask);
	node_set(1, &mask);
	node_set(2, &mask);
	p[k] = alloc_mask(m, 0, GFP_KERNEL, &mask);
	CHECK_EQ(node_of(m, p[k]), 2);
	k++;
	node_clear(2, &mask);
	p[k] = alloc_mask(m, 0, GFP_KERNEL, &mask);
	CHECK_EQ(node_of(m, p[k]), 1);
	k++;
	CHECK(alloc_mask(m, 0, GFP_USER | __GFP_NOWARN | __GFP_NORETRY, &mask) == NULL);
	nodes_clear(&hw);
	node_set(2, &hw);
	node_set(3, &hw);
	cpuset_set_mems_allowed(&mems, &hw);
	CHECK(alloc_mask(m, 0, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, &mask) == NULL);
	cpuset_clear();
	p[k] = alloc_mask(m, 0, GFP_USER, &mask);
	CHECK_EQ(node_of(m, p[k]), 1);
	k++;

	for (int i = 0; i < k; i++)
		if (p[i])
			__free_pages(p[i], 0);
	drain_all_pages(m, NULL);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

/* Rebuilding publishes new lists (a new generation) with the same content. */
static void rebuild_same_content(void)
{
	static const int cpus[] = { 0, 1, 2, 3 };
	struct machine *m = four_nodes("10,20,20,30, 20,10,30,20, 20,30,10,20, 30,20,20,10", cpus, 4);
	char before[4][1024];

	for (int n = 0; n < 4; n++)
		snprintf(before[n], sizeof(before[n]), "%s", zl(m, n, GFP_KERNEL));
	unsigned long gen = atomic_load(&m->zonelist_generation);
	CHECK_EQ(build_all_zonelists(m), 0);
	CHECK_EQ(atomic_load(&m->zonelist_generation), gen + 1);
	for (int n = 0; n < 4; n++) {
		CHECK_STR(zl(m, n, GFP_KERNEL), before[n]);
		CHECK_EQ(node_zonelist(m, n, 0)->generation, (int)(gen + 1));
	}
	machine_destroy(m);
}

int main(void)
{
	RUN(four_nodes_uniform);
	RUN(four_nodes_ring_headless);
	RUN(memoryless_and_removed_node);
	RUN(memoryless_node_load);
	RUN(nodemask_cpuset_thisnode);
	RUN(rebuild_same_content);
	TEST_SUMMARY();
}
