/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay_internal.h - what replay's files share: the plan inferred from a trace (which
 * blocks each pcp list held when the capture began) and the trace-pfn to zone map.
 *   replay_plan.c    inferring the plan; seeding the lists from a capture's pagesets
 *   replay.c         the replay itself: events onto the model, the vmstat tick, results
 *   replay_output.c  the side-by-side table and the JSON
 */
#ifndef REPLAY_REPLAY_INTERNAL_H
#define REPLAY_REPLAY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "alloc/page_alloc.h"
#include "replay/replay.h"

/* --- the plan: what each list held at the start, from the trace --- */

struct plan_list {
	int64_t net;		/* allocations - frees of trace blocks, until the first refill */
	int64_t maxnet;
	int64_t need;		/* blocks the list held at the start */
	uint64_t allocs;
	uint64_t first_refill;	/* event number of its first percpu_refill=1 line; UINT64_MAX: none */
};

#define MAX_PHASES 4096

struct replay_plan {
	int nr_nodes, nr_cpus;
	struct plan_list *l;	/* [node][zone][cpu][NR_PCP_LISTS] */
	int64_t tick_phase_ns;	/* -1: the trace shows no tick */
	uint32_t tick_phase_seen;
};


/* --- occupancy: the model's memory as full as the capture's (replay_occupy.c) --- */
struct replay_occupy;
/* Carve every zone to NAME.buddyinfo.before's free blocks; NULL with err on failure. */
struct replay_occupy *replay_occupy_buddyinfo(struct machine *m, const char *path, char *err, size_t errlen);
/* A block in use before the capture, for a free of one (zone NULL: any); NULL: none left. */
struct page *replay_occupy_take(struct replay_occupy *o, struct zone *zone, unsigned order);
unsigned long replay_occupy_pages(const struct replay_occupy *o);
unsigned long replay_occupy_approximate(const struct replay_occupy *o);
void replay_occupy_free(struct replay_occupy *o);

/* The median of n tick phases (sorts ph). */
#define median_phase replay_median_phase
int64_t median_phase(int64_t *ph, size_t n);

/* The zone a kernel pfn was in: the highest managed zone that starts at or below it. */
#define zone_for_trace_pfn replay_zone_for_trace_pfn
struct zone *zone_for_trace_pfn(struct machine *m, uint64_t pfn);

#endif /* REPLAY_REPLAY_INTERNAL_H */
