// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - looking policies up by name, and checking a row before a machine uses it.
 */
#include <string.h>

#include "pcp/pcp.h"

int pcp_policy_by_name(const char *name)
{
	for (int i = 0; i < NR_PCP_POLICIES; i++)
		if (!strcmp(pcp_policy((enum pcp_policy_id)i)->name, name))
			return i;
	static const struct { const char *alias; enum pcp_policy_id id; } aliases[] = {
#define PCP_POLICY_ALIAS_ROW(alias, id) { alias, PCP_POLICY_##id },
		PCP_POLICY_ALIASES(PCP_POLICY_ALIAS_ROW)
#undef PCP_POLICY_ALIAS_ROW
	};
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].alias, name))
			return aliases[i].id;
	return -1;
}

static const char *const scheme_names[NR_PCP_SCHEMES] = { "owner", "trylock" };
const char *pcp_scheme_name(enum pcp_scheme_id s) { return scheme_names[s]; }
int pcp_scheme_by_name(const char *name)
{
	for (int i = 0; i < NR_PCP_SCHEMES; i++)
		if (!strcmp(scheme_names[i], name))
			return i;
	return -1;
}

/* A row someone wrote: every hook is there and its constants are ones the mechanism knows. */
const char *pcp_policy_check(const struct pcp_policy *pol)
{
	if (!pol->name || !pol->summary)
		return "the row needs a name and a summary";
	if (!pol->batchsize || !pol->high_and_batch || !pol->high_on_update || !pol->nr_pcp_alloc || !pol->free_high ||
	    !pol->nr_pcp_high || !pol->nr_pcp_free)
		return "a hook is missing (batchsize, high_and_batch, high_on_update, nr_pcp_alloc, free_high, "
		       "nr_pcp_high and nr_pcp_free are required; vmstat_tick may be NULL)";
	if ((unsigned)pol->fraction_sysctl > PCP_HIGH_FRACTION)
		return "fraction_sysctl is neither PCP_FRACTION nor PCP_HIGH_FRACTION";
	if (pol->pcp_batch_scale_max < 0 || pol->pcp_batch_scale_max > 6)
		return "pcp_batch_scale_max is outside 0..6 (CONFIG_PCP_BATCH_SCALE_MAX's range)";
	if (pol->cold_tail && pol->high_order)
		return "cold_tail is for order-0 lists only (no kernel had both)";
	if ((unsigned)pol->native_scheme >= NR_PCP_SCHEMES)
		return "native_scheme is not a scheme";
	if (pol->swappiness_max != 100 && pol->swappiness_max != 200)
		return "swappiness_max is neither 100 (< 5.8) nor 200 (5.8+)";
	return NULL;
}
