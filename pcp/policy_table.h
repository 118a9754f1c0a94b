/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_table.h - every pcp policy the model knows, listed once.
 *
 * A policy is a kernel's per-CPU page lists and the buddy decisions that go with them
 * (struct pcp_policy, pcp/policy.h). Each row names its id, its --policy name and the
 * struct that defines it, in a file of its own under pcp/policies/ (the build picks up
 * every file there). Everything else comes from this list: enum pcp_policy_id, the
 * names --policy accepts, every help text and error message, the inline hit paths'
 * copies (pcp_fast_dispatch), the benchmark suite's configurations and the tests'
 * run_each_policy(). To add a policy: one file in pcp/policies/ and one row here
 * (pcp/README.md walks through an example).
 *
 *   X(ID, "name", row, ...)     (the rest: PCP_POLICY_TABLE's own extra arguments)
 */
#ifndef PCP_POLICY_TABLE_H
#define PCP_POLICY_TABLE_H

#define PCP_POLICY_TABLE(X, ...)                                                    \
	X(LINUX_4_12, "linux-4.12", pcp_policy_linux_4_12, __VA_ARGS__)             \
	X(LINUX_4_19, "linux-4.19", pcp_policy_linux_4_19, __VA_ARGS__)             \
	X(LINUX_5_14, "linux-5.14", pcp_policy_linux_5_14, __VA_ARGS__)             \
	X(LINUX_6_0, "linux-6.0", pcp_policy_linux_6_0, __VA_ARGS__)                \
	X(LINUX_6_6, "linux-6.6", pcp_policy_linux_6_6, __VA_ARGS__)                \
	X(LINUX_6_7, "linux-6.7", pcp_policy_linux_6_7, __VA_ARGS__)                \
	X(LINUX_6_18, "linux-6.18", pcp_policy_linux_6_18, __VA_ARGS__)             \
	X(FIXED_EXAMPLE, "fixed-example", pcp_policy_fixed_example, __VA_ARGS__)

/* Other names --policy accepts for a row: linux-6.x is the newest kernel. */
#define PCP_POLICY_ALIASES(X) X("linux-6.x", LINUX_6_18)

enum pcp_policy_id {
#define PCP_POLICY_ENUM(id, name, row, ...) PCP_POLICY_##id,
	PCP_POLICY_TABLE(PCP_POLICY_ENUM)
#undef PCP_POLICY_ENUM
	NR_PCP_POLICIES,
	PCP_POLICY_OLDEST = PCP_POLICY_LINUX_4_12,      /* the default suite runs these two */
	PCP_POLICY_NEWEST = PCP_POLICY_LINUX_6_18,
	PCP_POLICY_LINUX_6_X = PCP_POLICY_NEWEST,
};

/* "linux-4.12, linux-4.19, ..., fixed-example, linux-6.x": for help texts and errors. */
#define PCP_POLICY_NAME_STR(id, name, row, ...) name ", "
#define PCP_POLICY_ALIAS_STR(alias, id) alias
#define PCP_POLICY_NAMES PCP_POLICY_TABLE(PCP_POLICY_NAME_STR) PCP_POLICY_ALIASES(PCP_POLICY_ALIAS_STR)

#endif /* PCP_POLICY_TABLE_H */
