/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcp_select.h - which (pcp policy, scheme) pairs a benchmark binary builds rows for:
 * --policy LIST and --scheme LIST (comma-separated names, each flag once), taken out of
 * argv before the machine options are read. Without them, the oldest and the newest
 * kernel (PCP_POLICY_OLDEST, PCP_POLICY_NEWEST) under both schemes - unless the machine
 * options (a --config file) named a policy or scheme, which is then the only one.
 */
#ifndef BENCH_PCP_SELECT_H
#define BENCH_PCP_SELECT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/machine.h"
#include "pcp/pcp.h"

struct pcp_selection {
	bool policy[NR_PCP_POLICIES];
	bool scheme[NR_PCP_SCHEMES];
	bool policy_given, scheme_given;        /* by --policy / --scheme */
};

/* "a,b": names set in out[] by lookup(name) (-1: not one); -1 with a message naming it. */
static inline int pcp_select_list(const char *flag, const char *list, bool *out, int n, int (*lookup)(const char *),
				  const char *known, char *err, size_t errlen)
{
	char buf[256];

	if (!list || !*list || strlen(list) >= sizeof(buf))
		return errf(err, errlen, "%s: needs a list of names (%s)", flag, known);
	snprintf(buf, sizeof(buf), "%s", list);
	for (int i = 0; i < n; i++)
		out[i] = false;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int id = lookup(tok);
		if (id < 0)
			return errf(err, errlen, "%s: '%s' is not one of %s", flag, tok, known);
		out[id] = true;
	}
	return 0;
}


/* Take --policy/--scheme (either "--flag LIST" or "--flag=LIST") out of argv. 0, or -1 with err. */
static inline int pcp_select_take(int *argc, char **argv, struct pcp_selection *sel, char *err, size_t errlen)
{
	int out = 1;

	memset(sel, 0, sizeof(*sel));
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *val = NULL;
		int which = !strncmp(a, "--policy", 8) && (a[8] == '=' || !a[8]) ? 0
			  : !strncmp(a, "--scheme", 8) && (a[8] == '=' || !a[8]) ? 1 : -1;
		if (which < 0) {
			argv[out++] = argv[i];
			continue;
		}
		val = a[8] == '=' ? a + 9 : i + 1 < *argc ? argv[++i] : NULL;
		bool *given = which ? &sel->scheme_given : &sel->policy_given;
		if (*given)
			return errf(err, errlen, "%s is given twice (give one list: a,b)", which ? "--scheme" : "--policy");
		*given = true;
		if (which ? pcp_select_list("--scheme", val, sel->scheme, NR_PCP_SCHEMES, pcp_scheme_by_name, "owner, trylock", err,
					    errlen)
			  : pcp_select_list("--policy", val, sel->policy, NR_PCP_POLICIES, pcp_policy_by_name,
					    PCP_POLICY_NAMES, err, errlen))
			return -1;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

/* After the machine options: what --policy/--scheme did not choose, the description (or all) does. */
static inline void pcp_select_finish(struct pcp_selection *sel, const struct machine_desc *d)
{
	struct machine_desc def;

	machine_desc_default(&def);
	if (!sel->policy_given)
		for (int p = 0; p < NR_PCP_POLICIES; p++)
			sel->policy[p] = d->policy == def.policy ? p == PCP_POLICY_OLDEST || p == PCP_POLICY_NEWEST
								 : p == (int)d->policy;
	if (!sel->scheme_given)
		for (int s = 0; s < NR_PCP_SCHEMES; s++)
			sel->scheme[s] = d->scheme == def.scheme || s == (int)d->scheme;
}

#endif /* BENCH_PCP_SELECT_H */
