/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddy_fixture.h - the small zones buddy_test.c and fallback_test.c run on, and their
 * helpers: A (allocate: the block's offset), F (free at an offset), bi (buddyinfo),
 * free_lists (every free block by type and order: "U1@2 M9@512"), pb_mt (a pageblock's
 * type). Test-only, included once per test binary.
 */
#ifndef ALLOC_BUDDY_FIXTURE_H
#define ALLOC_BUDDY_FIXTURE_H

#include "alloc/testing.h"

#include "alloc/internal.h"
#include "pcp/pcp.h"

#define NBASE 0x100000UL        /* 4 GiB: everything here is ZONE_NORMAL */
#define NONE (~0UL)

static inline struct machine *policy_machine(unsigned long pages, int min_free_kbytes, enum pcp_policy_id policy)
{
	struct machine_desc d;

	t_desc_flat(&d, NBASE, pages, 1);
	d.min_free_kbytes = min_free_kbytes;
	d.policy = policy;
	struct machine *m = t_machine(&d);
	if (cpu_bind(m, 0)) {
		fprintf(stderr, "cpu_bind failed\n");
		exit(2);
	}
	return m;
}

static inline struct machine *normal_machine(unsigned long pages, int min_free_kbytes)
{
	return policy_machine(pages, min_free_kbytes, PCP_POLICY_LINUX_4_12);
}

static inline void done(struct machine *m)
{
	CHECK_CONSISTENT(m);
	cpu_unbind();
	machine_destroy(m);
}

static inline struct zone *normal(struct machine *m) { return &m->node_data[0]->node_zones[ZONE_NORMAL]; }

/* Allocate; the offset of the block from NBASE, or NONE. */
static inline unsigned long A(gfp_t gfp, unsigned int order)
{
	struct page *p = alloc_pages(gfp, order);
	return p ? page_to_pfn(p) - NBASE : NONE;
}

static inline void F(unsigned long off, unsigned int order) { free_pages_pfn(NBASE + off, order); }

static inline const char *bi(struct zone *z)
{
	static char buf[128];
	return t_buddyinfo(z, buf, sizeof(buf));
}

static const char mt_letter[MIGRATE_TYPES] __attribute__((unused)) = { 'U', 'M', 'R', 'H', 'C', 'I' };

static inline const char *free_lists(struct zone *z)
{
	static char buf[8192];
	size_t len = 0;

	buf[0] = 0;
	for (int t = 0; t < MIGRATE_TYPES; t++)
		for (int o = 0; o < MAX_ORDER; o++)
			for (uint32_t i = z->free_area[o].free_list[t].head; i != PAGE_NIL && len < sizeof(buf) - 32;
			     i = idx_page(z, i)->next)
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%c%d@%lu", len ? " " : "", mt_letter[t], o,
							z->zone_start_pfn + i - NBASE);
	return buf;
}

static inline int pb_mt(struct machine *m, unsigned long off) { return get_pageblock_migratetype_pfn(m, NBASE + off); }

static inline unsigned long event(struct machine *m, enum vm_event_item item)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];
	all_vm_events(m, ev);
	return ev[item];
}

static inline long nr_free(struct zone *z) { return zone_page_state_snapshot(z, NR_FREE_PAGES); }

#endif /* ALLOC_BUDDY_FIXTURE_H */
