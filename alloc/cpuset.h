/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpuset.h - the part of cpusets the page allocator sees: a thread's mems_allowed and
 * __cpuset_node_allowed / __cpuset_zone_allowed (kernel/cgroup/cpuset.c, 4.12).
 *
 * A thread is in the root cpuset (every node allowed, cpusets_enabled() false) until it
 * calls cpuset_set_mems_allowed(). The kernel's cpusets_enabled() is a global static key
 * (true once any cpuset besides the root exists); here it is per thread, so a thread in
 * the root cpuset pays one thread-local load per zone and nothing else.
 *
 * Semantics (__cpuset_node_allowed):
 *   - a node in the thread's mems_allowed: allowed;
 *   - otherwise, with __GFP_HARDWALL: refused;
 *   - otherwise (softwall): allowed when the nearest hardwall ancestor cpuset's mems
 *     (hardwall_mems, all nodes by default) has it.
 * The fast path always adds __GFP_HARDWALL and, with no caller nodemask, walks with
 * mems_allowed as the nodemask (prepare_alloc_pages); the slow path checks with the
 * caller's gfp (ALLOC_CPUSET from gfp_to_alloc_flags), so GFP_KERNEL may spill into the
 * hardwall ancestor's nodes and GFP_USER (which has __GFP_HARDWALL) may not. Interrupt
 * context, OOM victims and exiting tasks (always allowed in the kernel) are not modelled.
 */
#ifndef ALLOC_CPUSET_H
#define ALLOC_CPUSET_H

#include <stdbool.h>

#include "alloc/gfp.h"
#include "alloc/mmzone.h"

struct task_cpuset {
	bool enabled;                   /* not in the root cpuset */
	nodemask_t mems_allowed;        /* cpuset_current_mems_allowed */
	nodemask_t hardwall_mems;       /* nearest_hardwall_ancestor(task_cs(current))->mems_allowed */
};
extern __thread struct task_cpuset current_cpuset;

/* Move the calling thread into a cpuset with these mems; hardwall NULL: the root's (all nodes). */
void cpuset_set_mems_allowed(const nodemask_t *mems, const nodemask_t *hardwall);
/* Back to the root cpuset. */
void cpuset_clear(void);

static inline bool cpusets_enabled(void) { return current_cpuset.enabled; }

static inline bool __cpuset_node_allowed(int node, gfp_t gfp_mask)
{
	if (node_isset(node, &current_cpuset.mems_allowed))
		return true;
	if (gfp_mask & __GFP_HARDWALL)
		return false;
	return node_isset(node, &current_cpuset.hardwall_mems);
}

static inline bool __cpuset_zone_allowed(const struct zone *z, gfp_t gfp_mask)
{
	return __cpuset_node_allowed(z->node, gfp_mask);
}

#endif /* ALLOC_CPUSET_H */
