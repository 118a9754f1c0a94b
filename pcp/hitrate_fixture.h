/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hitrate_fixture.h - the machine and helpers hitrate_test.c and hitrate_same_test.c share
 * (one Normal zone of 1 GiB at 4 GiB, 2 CPUs; the worked batch and high values are in
 * hitrate_test.c's header).  Test-only, included once per test binary.
 */
#ifndef PCP_HITRATE_FIXTURE_H
#define PCP_HITRATE_FIXTURE_H

#include "alloc/internal.h"
#include "alloc/testing.h"
#include "pcp/pcp.h"

#define GFP_T           (GFP_KERNEL | __GFP_MOVABLE)
#define ZONE_PAGES      262144UL
#define MAXP            8192

static struct page *pages[MAXP] __attribute__((unused));

static inline struct machine *pcp_machine(enum pcp_policy_id policy, enum pcp_scheme_id scheme)
{
	struct machine_desc d;

	t_desc_flat(&d, 0x100000, ZONE_PAGES, 2);
	d.policy = policy;
	d.scheme = scheme;
	return t_machine(&d);
}

static inline bool count_block(struct page *p, void *arg)
{
	(void)p;
	++*(int *)arg;
	return true;
}
static inline struct zone *normal(struct machine *m) { return &m->node_data[0]->node_zones[ZONE_NORMAL]; }
static inline struct per_cpu_pages *pcp_of(struct machine *m, int cpu) { return &zone_pageset(normal(m), cpu)->pcp; }
static inline unsigned long cpu_stat(struct machine *m, int cpu, enum pcp_stat_item i)
{
	return pcp_stat_read(zone_pageset(normal(m), cpu), i);
}
static inline unsigned long stat(struct machine *m, enum pcp_stat_item i) { return zone_pcp_stat(normal(m), i); }
static inline long nr_free(struct machine *m) { return zone_page_state_snapshot(normal(m), NR_FREE_PAGES); }
static inline unsigned long event(struct machine *m, enum vm_event_item e)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];
	all_vm_events(m, ev);
	return ev[e];
}

static inline int alloc_n(int from, int n, unsigned int order)
{
	for (int i = from; i < from + n; i++) {
		pages[i] = alloc_pages(GFP_T, order);
		if (!pages[i]) {
			fprintf(stderr, "  allocation %d of order %u failed\n", i, order);
			t_failed_checks++;
			return -1;
		}
	}
	return 0;
}

static inline void free_n(int from, int n, unsigned int order)
{
	for (int i = from; i < from + n; i++)
		__free_pages(pages[i], order);
}

/* What a test started from, to check that everything came back. */
struct start {
	long nr_free;
	char buddyinfo[128];
};
static inline void start_of(struct machine *m, struct start *s)
{
	s->nr_free = nr_free(m);
	t_buddyinfo(normal(m), s->buddyinfo, sizeof(s->buddyinfo));
}
static inline void check_back_to_start(struct machine *m, const struct start *s)
{
	char b[128];
	CHECK_EQ(zone_pcp_count(normal(m)), 0);
	CHECK_EQ(nr_free(m), s->nr_free);
	CHECK_STR(t_buddyinfo(normal(m), b, sizeof(b)), s->buddyinfo);
	CHECK_CONSISTENT(m);
}

#define FOR_EACH_SCHEME(s) for (enum pcp_scheme_id s = PCP_SCHEME_OWNER; s < NR_PCP_SCHEMES; s++)

/* Expected per policy: the batch of the 1 GiB zone (0: no expectation), and the cold end. */
static const __attribute__((unused)) int batch_of[NR_PCP_POLICIES] = {
	[PCP_POLICY_LINUX_4_12] = 31, [PCP_POLICY_LINUX_4_19] = 63, [PCP_POLICY_LINUX_5_14] = 63,
	[PCP_POLICY_LINUX_6_0] = 63,  [PCP_POLICY_LINUX_6_6] = 63,  [PCP_POLICY_LINUX_6_7] = 63,
	[PCP_POLICY_LINUX_6_18] = 63,
};
static const __attribute__((unused)) bool cold_end_of[NR_PCP_POLICIES] = { [PCP_POLICY_LINUX_4_12] = true };
/* The kernels whose auto-tuning the 6.x cases' worked counts follow (6.7 and 6.18 agree there). */
static const __attribute__((unused)) bool autotuned_of[NR_PCP_POLICIES] = { [PCP_POLICY_LINUX_6_7] = true, [PCP_POLICY_LINUX_6_18] = true };

#endif /* PCP_HITRATE_FIXTURE_H */
