// SPDX-License-Identifier: GPL-2.0
/*
 * host_topology_test.c - the host's nodes: cpulist parsing, where model CPUs are pinned on a
 * host of several nodes, and --nodes auto.
 */
#include <stdio.h>
#include <string.h>

#include "alloc/testing.h"

#include "alloc/host_topology.h"

/* Expect: the kernel's cpulist formats parsed exactly; malformed ones refused (-1). */
static void cpulist_formats(void)
{
	short c[HOST_MAX_CPUS];

	CHECK_EQ(host_cpulist_parse("0-3,8,10-11\n", c, HOST_MAX_CPUS), 7);
	CHECK(c[0] == 0 && c[3] == 3 && c[4] == 8 && c[5] == 10 && c[6] == 11);
	CHECK_EQ(host_cpulist_parse("5", c, HOST_MAX_CPUS), 1);
	CHECK_EQ(c[0], 5);
	CHECK_EQ(host_cpulist_parse("", c, HOST_MAX_CPUS), 0);
	CHECK_EQ(host_cpulist_parse("3-1", c, HOST_MAX_CPUS), -1);
	CHECK_EQ(host_cpulist_parse("0-", c, HOST_MAX_CPUS), -1);
	CHECK_EQ(host_cpulist_parse("a", c, HOST_MAX_CPUS), -1);
	CHECK_EQ(host_cpulist_parse("0-7", c, 4), -1);
}

/*
 * A two-node host (node 0: CPUs 0-3, node 1: CPUs 4-7) and a model of three nodes: model
 * node n's k-th CPU runs on host node n mod 2's k mod 4-th CPU.
 *
 *   model node 0: k 0 1 2 3 4 -> host 0 1 2 3 0
 *   model node 1: k 0 1       -> host 4 5
 *   model node 2: k 0         -> host 0 (node 2 mod 2 = 0)
 *
 * Expect: those host CPUs; -1 for a node with no CPUs.
 */
static void model_nodes_on_host_nodes(void)
{
	static struct host_topology t;

	memset(&t, 0, sizeof(t));
	t.nr_nodes = 2;
	t.nr_cpus[0] = host_cpulist_parse("0-3", t.cpus[0], HOST_MAX_CPUS);
	t.nr_cpus[1] = host_cpulist_parse("4-7", t.cpus[1], HOST_MAX_CPUS);
	static const int want0[] = { 0, 1, 2, 3, 0 };
	for (int k = 0; k < 5; k++)
		CHECK_EQ(host_cpu_for(&t, 0, k), want0[k]);
	CHECK_EQ(host_cpu_for(&t, 1, 0), 4);
	CHECK_EQ(host_cpu_for(&t, 1, 1), 5);
	CHECK_EQ(host_cpu_for(&t, 2, 0), 0);
	t.nr_cpus[1] = 0;
	CHECK_EQ(host_cpu_for(&t, 1, 0), -1);
}

/* Expect: --nodes auto gives the host's node count (at least 1), and the usual layout. */
static void nodes_auto_is_the_hosts(void)
{
	struct machine_desc d;
	char err[256];

	machine_desc_default(&d);
	CHECK(!machine_desc_set(&d, "nodes", "auto", err, sizeof(err)));
	CHECK_EQ(d.nr_nodes, host_topology()->nr_nodes);
	CHECK(d.nr_nodes >= 1);
	CHECK(machine_desc_set(&d, "nodes", "automatic", err, sizeof(err)) == -1);
	CHECK(strstr(err, "or auto (the host's)") != NULL);
}

int main(void)
{
	RUN(cpulist_formats);
	RUN(model_nodes_on_host_nodes);
	RUN(nodes_auto_is_the_hosts);
	TEST_SUMMARY();
}
