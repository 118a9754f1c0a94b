// SPDX-License-Identifier: GPL-2.0
/*
 * cpuset.c - a thread's cpuset memory nodes (see cpuset.h).
 */
#include <string.h>

#include "alloc/cpuset.h"

__thread struct task_cpuset current_cpuset;

void cpuset_set_mems_allowed(const nodemask_t *mems, const nodemask_t *hardwall)
{
	current_cpuset.mems_allowed = *mems;
	if (hardwall)
		current_cpuset.hardwall_mems = *hardwall;
	else
		memset(&current_cpuset.hardwall_mems, 0xff, sizeof(current_cpuset.hardwall_mems));
	current_cpuset.enabled = true;
}

void cpuset_clear(void)
{
	memset(&current_cpuset, 0, sizeof(current_cpuset));
}
