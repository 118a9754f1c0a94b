// SPDX-License-Identifier: GPL-2.0
/*
 * host_topology.c - the host's nodes and CPUs (see host_topology.h).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/host_topology.h"

int host_cpulist_parse(const char *s, short *out, int max)
{
	int n = 0;

	while (*s && *s != '\n') {
		char *end;
		if (!isdigit((unsigned char)*s))
			return -1;
		long a = strtol(s, &end, 10), b = a;
		s = end;
		if (*s == '-') {
			if (!isdigit((unsigned char)s[1]))
				return -1;
			b = strtol(s + 1, &end, 10);
			s = end;
		}
		if (b < a || b >= HOST_MAX_CPUS)
			return -1;
		for (long c = a; c <= b; c++) {
			if (n == max)
				return -1;
			out[n++] = (short)c;
		}
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return n;
}

static struct host_topology host;
static pthread_once_t host_once = PTHREAD_ONCE_INIT;

static void host_read(void)
{
	char path[96], buf[4096];

	host.nr_nodes = 0;
	for (int nid = 0; nid < HOST_MAX_NODES; nid++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", nid);
		FILE *f = fopen(path, "r");
		if (!f)
			break;          /* nodes are numbered densely on the hosts we run on */
		int n = fgets(buf, sizeof(buf), f) ? host_cpulist_parse(buf, host.cpus[nid], HOST_MAX_CPUS) : -1;
		fclose(f);
		host.nr_cpus[nid] = n > 0 ? n : 0;
		host.nr_nodes = nid + 1;
	}
	if (!host.nr_nodes)
		host.nr_nodes = 1;      /* no sysfs: one node, CPUs as numbered */
}

const struct host_topology *host_topology(void)
{
	pthread_once(&host_once, host_read);
	return &host;
}

int host_cpu_for(const struct host_topology *t, int node, int k)
{
	int n = node % t->nr_nodes;

	if (node < 0 || k < 0 || !t->nr_cpus[n])
		return -1;
	return t->cpus[n][k % t->nr_cpus[n]];
}
