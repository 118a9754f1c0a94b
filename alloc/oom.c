// SPDX-License-Identifier: GPL-2.0
/*
 * oom.c - the OOM killer (Linux 4.12's mm/oom_kill.c, cut down): out_of_memory picks the
 * task with the highest oom_badness (its resident anon pages plus its swap entries: the
 * kernel's rss + swapents, with no page tables and no oom_score_adj), prints the kernel's
 * line and kills it. A task here is an owner with oom_badness and oom_kill ops
 * (alloc/task.c's tasks; any owner may be one). The kill is the victim's exit and the OOM
 * reaper at once: oom_kill stops the task and gives back every page and swap slot it
 * holds before it returns, so the allocation that called the killer finds the memory on
 * its retry, and a __GFP_NOFAIL one waits only that long.
 *
 * Not modelled: oom_score_adj, memcg and cpuset OOMs, the victim's exit taking time
 * (tsk_is_oom_victim waits), sysctl_oom_kill_allocating_task, panic_on_oom.
 */
#include <stdio.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"

bool out_of_memory(struct machine *m, gfp_t gfp_mask, unsigned int order)
{
	struct slowpath_state *sp = m->slow;
	int n = atomic_load_explicit(&sp->nr_owners, memory_order_acquire), chosen = 0;
	unsigned long chosen_points = 0;

	atomic_fetch_add(&sp->oom_calls, 1);

	/* select_bad_process: the highest badness; the first of equals */
	for (int i = 1; i <= n; i++) {
		const struct page_owner *o = &sp->owners[i];
		if (!o->ops->oom_badness || !o->ops->oom_kill)
			continue;
		unsigned long points = o->ops->oom_badness(o->ctx);
		if (points > chosen_points) {
			chosen = i;
			chosen_points = points;
		}
	}
	if (!chosen) {
		/* the kernel panics here; the model says so once a machine and lets the request fail */
		if (!atomic_exchange(&sp->oom_no_victim_said, 1)) {
			FILE *f = m->report ? m->report : stderr;
			fprintf(f, "Out of memory and no killable processes... (order:%u, mode:%#x): the kernel panics; "
				   "the allocation fails\n", order, (unsigned)gfp_mask);
			fflush(f);
		}
		return false;
	}
	const struct page_owner *o = &sp->owners[chosen];
	FILE *f = m->report ? m->report : stderr;
	fprintf(f, "Out of memory: Killed task %d, oom_badness %lu pages (%lu kB), order:%u, mode:%#x\n", chosen,
		chosen_points, chosen_points << (PAGE_SHIFT - 10), order, (unsigned)gfp_mask);
	fflush(f);
	count_vm_event(OOM_KILL);
	o->ops->oom_kill(o->ctx);
	return true;
}

unsigned long oom_invocations(struct machine *m)
{
	return atomic_load(&m->slow->oom_calls);
}
