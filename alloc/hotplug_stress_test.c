// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_stress_test.c - zonelists rebuilt every millisecond and a memory block offlined
 * and onlined again while two threads allocate and free (run under ASan and TSan by
 * scripts/test: a reader that used a freed zonelist, zone or page would show there).
 *
 * The machine: 2 nodes of 512 MiB, 3 CPUs (0 on node 0, 1 and 2 on node 1), nothing
 * reserved. CPUs 0 and 1 allocate: orders 0..3 from their own node, node-preferred from
 * the other node, __GFP_THISNODE on node 1, and through __alloc_pages_nodemask with a
 * nodemask (their own RCU read-side section), each thread holding up to 64 blocks and
 * freeing the oldest. CPU 2 rebuilds the zonelists every millisecond and every 10th time
 * offlines node 1's last 128 MiB block [0x118000, 0x120000) (waiting up to 2 s for its
 * pages to come back) or onlines it again.
 *
 * Expect: every allocation succeeds and returns an allocated block head inside a zone
 * (never in the offlined block while it is offline... the block can be onlined between
 * the allocation and the check, so only "in a zone at allocation time" is checked through
 * pfn_zone); at least one offline and one online; after the threads stop and the CPUs
 * are drained, check_machine passes and the zone sizes add up (present = 131072 or
 * 98304 depending on the block's last state).
 * Duration: HOTPLUG_STRESS_SECONDS (default 5).
 */
#define _GNU_SOURCE
#define _LGPL_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "alloc/rcu.h"
#include "alloc/memory_hotplug.h"
#include "pcp/pcp.h"

#define BLOCK_PFN 0x118000UL

#if defined(__SANITIZE_THREAD__)
/*
 * liburcu's grace-period futex (urcu_common_wake_up_gp, read-side unlock after a writer
 * started waiting) is read and written with plain volatile accesses by design; the
 * zonelists' own ordering is annotated in alloc/rcu.h.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void) { return "race:urcu_common_wake_up_gp\n"; }
#endif

static struct machine *m;
static atomic_int stop;
static atomic_long allocs, failures, bad;
static atomic_long offlines, onlines, rebuilds, timeouts;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct held {
	struct page *p;
	unsigned order;
};

static void *allocator(void *arg)
{
	int cpu = (int)(intptr_t)arg;
	struct held ring[64] = { { 0 } };
	unsigned head = 0, seed = 12345u + (unsigned)cpu;

	if (cpu_bind(m, cpu))
		return NULL;
	int self = numa_node_id(), other = 1 - self;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 16, order = (r & 7) == 0 ? (r >> 3) & 3 : 0;
		gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
		struct page *p;
		switch ((r >> 5) & 3) {
		case 0:
			p = alloc_pages_node(other, gfp, order);
			break;
		case 1:
			p = alloc_pages_node(1, gfp | __GFP_THISNODE, order);
			break;
		case 2: {
			nodemask_t mask;
			nodes_clear(&mask);
			node_set(other, &mask);
			zonelist_read_lock();
			p = __alloc_pages_nodemask(gfp, order, node_zonelist(m, self, gfp), &mask);
			zonelist_read_unlock();
			break;
		}
		default:
			p = alloc_pages(gfp, order);
		}
		atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
		if (!p) {
			atomic_fetch_add_explicit(&failures, 1, memory_order_relaxed);
			continue;
		}
		if (!pfn_zone(m, __page_to_pfn(m, p)) || p->flags != PG_head || p->order != order)
			atomic_fetch_add_explicit(&bad, 1, memory_order_relaxed);
		struct held *h = &ring[head++ % 64];
		if (h->p)
			__free_pages(h->p, h->order);
		h->p = p;
		h->order = order;
	}
	for (int i = 0; i < 64; i++)
		if (ring[i].p)
			__free_pages(ring[i].p, ring[i].order);
	cpu_unbind();
	return NULL;
}

static void *hotplugger(void *arg)
{
	unsigned seconds = (unsigned)(uintptr_t)arg;
	char err[256];
	bool offline = false;

	cpu_bind(m, 2);
	uint64_t end = now_ms() + seconds * 1000ull;
	for (unsigned i = 0; now_ms() < end; i++) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
		if (build_all_zonelists(m) == 0)
			atomic_fetch_add(&rebuilds, 1);
		if (i % 10 != 9)
			continue;
		if (!offline) {
			int r = offline_pages(m, BLOCK_PFN, MEMORY_BLOCK_PAGES, 2000, err, sizeof(err));
			if (r == 0) {
				offline = true;
				atomic_fetch_add(&offlines, 1);
			} else if (r == -ETIMEDOUT) {
				atomic_fetch_add(&timeouts, 1);
			} else {
				fprintf(stderr, "  offline: %s\n", err);
				atomic_fetch_add(&bad, 1);
			}
		} else {
			if (online_pages(m, 1, ZONE_NORMAL, BLOCK_PFN, MEMORY_BLOCK_PAGES, err, sizeof(err)) == 0) {
				offline = false;
				atomic_fetch_add(&onlines, 1);
			} else {
				fprintf(stderr, "  online: %s\n", err);
				atomic_fetch_add(&bad, 1);
			}
		}
	}
	atomic_store(&stop, 1);
	cpu_unbind();
	return NULL;
}

static void rebuild_and_hotplug_while_allocating(void)
{
	struct machine_desc d;
	char err[256];
	const char *env = getenv("HOTPLUG_STRESS_SECONDS");
	unsigned seconds = env ? (unsigned)atoi(env) : 5;

	machine_desc_default(&d);
	machine_desc_set(&d, "nodes", "2", err, sizeof(err));
	machine_desc_set(&d, "mem", "512M", err, sizeof(err));
	machine_desc_set(&d, "cpus", "3", err, sizeof(err));
	d.cpu_to_node[0] = 0;
	d.cpu_to_node[1] = 1;
	d.cpu_to_node[2] = 1;
	for (int n = 0; n < 2; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			d.reserved_pages[n][z] = 0;
	m = t_machine(&d);

	pthread_t t[3];
	pthread_create(&t[0], NULL, allocator, (void *)(intptr_t)0);
	pthread_create(&t[1], NULL, allocator, (void *)(intptr_t)1);
	pthread_create(&t[2], NULL, hotplugger, (void *)(uintptr_t)seconds);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);

	printf("  %ld allocations, %ld rebuilds, %ld offlines, %ld onlines, %ld offline timeouts\n", atomic_load(&allocs),
	       atomic_load(&rebuilds), atomic_load(&offlines), atomic_load(&onlines), atomic_load(&timeouts));
	CHECK_EQ(atomic_load(&failures), 0);
	CHECK_EQ(atomic_load(&bad), 0);
	CHECK(atomic_load(&allocs) > 1000);
	CHECK(atomic_load(&rebuilds) > 10);     /* ~1300 in 5 s optimised, 100-1200 under TSan (loaded host) */
	CHECK(atomic_load(&offlines) >= 1);
	CHECK(atomic_load(&onlines) >= 1);

	cpu_bind(m, 0);
	drain_all_pages(m, NULL);
	struct zone *normal = &m->node_data[1]->node_zones[ZONE_NORMAL];
	bool is_off = atomic_load(&offlines) > atomic_load(&onlines);
	CHECK_EQ(normal->present_pages, is_off ? 98304 : 131072);
	CHECK_EQ(zone_page_state_snapshot(normal, NR_FREE_PAGES), (long)normal->managed_pages);
	CHECK_EQ(normal->nr_isolate_pageblock, 0);
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

int main(void)
{
	RUN(rebuild_and_hotplug_while_allocating);
	TEST_SUMMARY();
}
