/* SPDX-License-Identifier: GPL-2.0 */
/*
 * testing.h - the allocator's tests: the one harness (alloc/test_harness.h: CHECK, RUN,
 * TEST_SUMMARY ...) with the machine's own checks (CHECK_CONSISTENT, CHECK_LRU), one case
 * run under every policy and scheme (RUN_EACH_PAIR, RUN_EACH_POLICY, RUN_EACH_SCHEME, as
 * memblock's run_top_down()/run_bottom_up()), and small machines to run them on.
 */
#ifndef ALLOC_TESTING_H
#define ALLOC_TESTING_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/test_harness.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

static inline const char *t_policy_name(int p) { return pcp_policy((enum pcp_policy_id)p)->name; }

/* The machine is consistent (the checker runs after every test that builds one). */
#define CHECK_CONSISTENT(m)                                                                 \
	do {                                                                                \
		char _err[512];                                                             \
		if (check_machine((m), _err, sizeof(_err))) {                               \
			fprintf(stderr, "  %s:%d: check_machine: %s\n", __FILE__, __LINE__, _err); \
			t_failed_checks++;                                                  \
		}                                                                           \
	} while (0)

/* The per-node LRUs are consistent (alloc/reclaim.h). */
#define CHECK_LRU(m)                                                                        \
	do {                                                                                \
		char _e[256];                                                               \
		if (check_lru((m), _e, sizeof(_e))) {                                       \
			fprintf(stderr, "  %s:%d: check_lru: %s\n", __FILE__, __LINE__, _e);   \
			t_failed_checks++;                                                  \
		}                                                                           \
	} while (0)

/*
 * run_each_pair: one case, test(policy, scheme), under every pcp policy and protection
 * scheme, as memblock's run_top_down()/run_bottom_up() run one case under each variant;
 * a failed check names the pair it failed under.
 */
#define RUN_EACH_PAIR(test)                                                                 \
	do {                                                                                \
		int _before = t_failed_checks;                                              \
		for (int _p = 0; _p < NR_PCP_POLICIES; _p++)                                \
			for (int _s = 0; _s < NR_PCP_SCHEMES; _s++) {                       \
				int _b = t_failed_checks;                                   \
				test((enum pcp_policy_id)_p, (enum pcp_scheme_id)_s);       \
				if (t_failed_checks != _b)                                  \
					fprintf(stderr, "  (in %s, policy %s, scheme %s)\n", #test, \
						t_policy_name(_p), pcp_scheme_name((enum pcp_scheme_id)_s)); \
			}                                                                   \
		t_verdict(#test, _before);                                                  \
	} while (0)

/*
 * run_each_policy / run_each_scheme: one case, test(policy) or test(scheme), under every
 * row of the policy table or every scheme.
 */
#define RUN_EACH_POLICY(test)                                                               \
	do {                                                                                \
		int _before = t_failed_checks;                                              \
		for (int _p = 0; _p < NR_PCP_POLICIES; _p++) {                              \
			int _b = t_failed_checks;                                           \
			test((enum pcp_policy_id)_p);                                       \
			if (t_failed_checks != _b)                                          \
				fprintf(stderr, "  (in %s, policy %s)\n", #test, t_policy_name(_p)); \
		}                                                                           \
		t_verdict(#test, _before);                                                  \
	} while (0)

#define RUN_EACH_SCHEME(test)                                                               \
	do {                                                                                \
		int _before = t_failed_checks;                                              \
		for (int _s = 0; _s < NR_PCP_SCHEMES; _s++) {                               \
			int _b = t_failed_checks;                                           \
			test((enum pcp_scheme_id)_s);                                       \
			if (t_failed_checks != _b)                                          \
				fprintf(stderr, "  (in %s, scheme %s)\n", #test,             \
					pcp_scheme_name((enum pcp_scheme_id)_s));                   \
		}                                                                           \
		t_verdict(#test, _before);                                                  \
	} while (0)

/* A case that has no expectation for a policy (a researcher's row) says so and passes. */
static inline void t_skip_policy(enum pcp_policy_id p, const char *why)
{
	printf("     skip %s: %s\n", pcp_policy(p)->name, why);
}

/*
 * The description of one node with `pages` of RAM in one range from pfn `start_pfn` (no
 * x86 holes), `cpus` CPUs on it, nothing reserved; callers change what their case needs.
 */
static inline void t_desc_flat(struct machine_desc *d, unsigned long start_pfn, unsigned long pages, int cpus)
{
	machine_desc_default(d);
	d->nr_cpus = cpus;
	for (int c = 0; c < cpus; c++)
		d->cpu_to_node[c] = 0;
	d->nr_ranges = 1;
	d->ranges[0] = (struct mem_range){ start_pfn, start_pfn + pages, 0 };
	for (int z = 0; z < MAX_NR_ZONES; z++)
		d->reserved_pages[0][z] = 0;
}

static inline struct machine *t_machine(const struct machine_desc *d);

/* That machine, built, with `reserved` pages kept back in each zone. */
static inline struct machine *t_machine_flat(unsigned long start_pfn, unsigned long pages, int cpus,
					     enum pcp_policy_id policy, unsigned long reserved)
{
	struct machine_desc d;

	t_desc_flat(&d, start_pfn, pages, cpus);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		d.reserved_pages[0][z] = reserved;
	d.policy = policy;
	return t_machine(&d);
}

static inline struct machine *t_machine(const struct machine_desc *d)
{
	char err[256];
	struct machine *m = machine_create(d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "machine_create: %s\n", err);
		exit(2);
	}
	return m;
}

/* buddyinfo of one zone as "n0 n1 ... n10" */
static inline const char *t_buddyinfo(struct zone *z, char *buf, size_t size)
{
	size_t len = 0;
	for (int o = 0; o < MAX_ORDER; o++)
		len += (size_t)snprintf(buf + len, size - len, "%s%lu", o ? " " : "", z->free_area[o].nr_free);
	return buf;
}

#endif /* ALLOC_TESTING_H */
