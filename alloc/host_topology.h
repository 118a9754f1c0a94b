/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host_topology.h - the host's NUMA nodes and their CPUs (/sys/devices/system/node), so that
 * model node n's CPUs run on host node n's CPUs (cpu_bind pins them there) and --nodes auto
 * takes the host's node count.
 */
#ifndef ALLOC_HOST_TOPOLOGY_H
#define ALLOC_HOST_TOPOLOGY_H

#define HOST_MAX_NODES  64
#define HOST_MAX_CPUS   1024

struct host_topology {
	int nr_nodes;                           /* 1 when the host says nothing */
	int nr_cpus[HOST_MAX_NODES];            /* CPUs of each node */
	short cpus[HOST_MAX_NODES][HOST_MAX_CPUS]; /* their numbers, ascending */
};

/* Parse a kernel cpulist ("0-3,8,10-11") into out[]; the count, or -1 when malformed. */
int host_cpulist_parse(const char *s, short *out, int max);
/* This host's (read once, cached). Never NULL. */
const struct host_topology *host_topology(void);
/*
 * The host CPU for the k-th model CPU of model node `node` (k from 0): the k-th CPU of host
 * node node mod nr_nodes, wrapping when the node has fewer; -1 when that node has none.
 */
int host_cpu_for(const struct host_topology *t, int node, int k);

#endif /* ALLOC_HOST_TOPOLOGY_H */
