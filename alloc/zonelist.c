// SPDX-License-Identifier: GPL-2.0
/*
 * zonelist.c - build_zonelists: per node, its own zones highest first, then the other
 * nodes' zones in find_next_best_node order (4.12's node ordering), and a no-fallback
 * list for __GFP_THISNODE. Zonelists are RCU-protected (liburcu, memb flavour): a
 * rebuild publishes new lists and frees the old ones after a grace period, so readers
 * never stop and never see a freed list.
 */
#define _LGPL_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "alloc/internal.h"
#include "alloc/memory_hotplug.h"
#include "alloc/page_alloc.h"
#include "alloc/rcu.h"

#if defined(__SANITIZE_THREAD__)
char zonelist_rcu_tsan_sync;
#endif

#define PENALTY_FOR_NODE_WITH_CPUS 1

static pthread_mutex_t zonelists_mutex = PTHREAD_MUTEX_INITIALIZER;

static bool node_has_cpus(struct machine *m, int nid)
{
	for (int c = 0; c < m->nr_cpus; c++)
		if (m->desc.cpu_to_node[c] == nid)
			return true;
	return false;
}

static bool node_online(struct machine *m, int nid)
{
	pg_data_t *pgdat = m->node_data[nid];
	return pgdat && pgdat->online;
}

/* N_MEMORY: an online node with a populated zone (node_states_set_node at boot and online). */
static bool node_has_memory(struct machine *m, int nid)
{
	if (!node_online(m, nid))
		return false;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (populated_zone(&m->node_data[nid]->node_zones[z]))
			return true;
	return false;
}

/*
 * find_next_best_node (4.12, mm/page_alloc.c): the local node first if not used yet,
 * even when it has no memory (its zones add nothing, but it takes a place in the load
 * count); then, over the N_MEMORY nodes not used yet, the smallest
 *   (distance + (n < node) + PENALTY_FOR_NODE_WITH_CPUS if n has CPUs)
 *     * (MAX_NODE_LOAD * MAX_NUMNODES) + node_load[n]
 * with MAX_NODE_LOAD = nr_online_nodes; ties go to the lowest n.
 */
static int find_next_best_node(struct machine *m, int node, nodemask_t *used, const int *node_load, int nr_online)
{
	int min_val = INT_MAX, best_node = -1;

	if (!node_isset(node, used)) {
		node_set(node, used);
		return node;
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		if (!node_has_memory(m, n) || node_isset(n, used))
			continue;
		int val = m->desc.node_distance[node][n];
		val += (n < node);
		if (node_has_cpus(m, n))
			val += PENALTY_FOR_NODE_WITH_CPUS;
		val *= nr_online * MAX_NUMNODES;        /* MAX_NODE_LOAD * MAX_NUMNODES */
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}
	if (best_node >= 0)
		node_set(best_node, used);
	return best_node;
}

static int build_zonerefs_node(pg_data_t *pgdat, struct zoneref *zr, int nr)
{
	for (int zt = MAX_NR_ZONES - 1; zt >= 0; zt--) {
		struct zone *zone = &pgdat->node_zones[zt];
		if (managed_zone(zone)) {
			zr[nr].zone = zone;
			zr[nr].zone_idx = zt;
			nr++;
		}
	}
	return nr;
}

static struct zonelist *zonelist_alloc(void)
{
	return calloc(1, sizeof(struct zonelist) + (MAX_ZONES_PER_ZONELIST + 1) * sizeof(struct zoneref));
}

/*
 * build_zonelists (4.12, node order - the 64-bit default): the nodes in the order
 * find_next_best_node gives, each node's managed zones highest first. The first node
 * of each new distance group gets node_load = load (nr_online_nodes minus the places
 * already taken), so that nodes building later spread their first hops. node_load is
 * shared by every node of one rebuild and starts at zero (__build_all_zonelists).
 */
static void build_zonelists(struct machine *m, int local_node, int *node_load, int nr_online, struct zonelist *fb,
			    struct zonelist *tn)
{
	nodemask_t used;
	int nr = 0, prev_node = local_node, load = nr_online, node;

	nodes_clear(&used);
	while ((node = find_next_best_node(m, local_node, &used, node_load, nr_online)) >= 0) {
		if (m->desc.node_distance[local_node][node] != m->desc.node_distance[local_node][prev_node])
			node_load[node] = load;
		prev_node = node;
		load--;
		nr = build_zonerefs_node(m->node_data[node], fb->_zonerefs, nr);
	}
	fb->_zonerefs[nr].zone = NULL;
	/* build_thisnode_zonelists */
	int nt = build_zonerefs_node(m->node_data[local_node], tn->_zonerefs, 0);
	tn->_zonerefs[nt].zone = NULL;
}

/* Under mem_hotplug_lock (zone sizes and node states stay put while we read them). */
int __build_all_zonelists(struct machine *m)
{
	struct zonelist *new_lists[MAX_NUMNODES][MAX_ZONELISTS] = { { 0 } };
	struct zonelist *old[MAX_NUMNODES][MAX_ZONELISTS] = { { 0 } };
	int node_load[MAX_NUMNODES] = { 0 };
	int nr_online = 0;

	pthread_mutex_lock(&zonelists_mutex);
	for (int n = 0; n < m->nr_nodes; n++)
		nr_online += node_online(m, n);         /* nr_online_nodes: memoryless ones too */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_ZONELISTS; i++)
			if (!(new_lists[nid][i] = zonelist_alloc())) {
				for (int a = 0; a < m->nr_nodes; a++)
					for (int b = 0; b < MAX_ZONELISTS; b++)
						free(new_lists[a][b]);
				pthread_mutex_unlock(&zonelists_mutex);
				return -1;
			}
	unsigned long gen = atomic_load(&m->zonelist_generation) + 1;
	/* Online nodes in node order, as the kernel builds them, sharing node_load. */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		if (node_online(m, nid))
			build_zonelists(m, nid, node_load, nr_online,
					new_lists[nid][ZONELIST_FALLBACK], new_lists[nid][ZONELIST_NOFALLBACK]);
	/*
	 * An offline node's pg_data_t stays (readers may hold its zones); the kernel leaves its
	 * stale lists in place. Here it gets lists built as if from it, with its own scratch
	 * load, so a CPU left on it never reads a list naming zones that went away.
	 */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		if (!node_online(m, nid)) {
			int scratch[MAX_NUMNODES];
			memcpy(scratch, node_load, sizeof(scratch));
			build_zonelists(m, nid, scratch, nr_online, new_lists[nid][ZONELIST_FALLBACK],
					new_lists[nid][ZONELIST_NOFALLBACK]);
		}
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_ZONELISTS; i++) {
			new_lists[nid][i]->generation = (int)gen;
			old[nid][i] = atomic_exchange_explicit(&m->node_data[nid]->node_zonelists[i], new_lists[nid][i],
							       memory_order_release);
		}
	atomic_fetch_add(&m->zonelist_generation, 1);
	/* Readers that may still hold an old list finish before it is freed. */
	zonelist_synchronize();
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_ZONELISTS; i++)
			free(old[nid][i]);
	pthread_mutex_unlock(&zonelists_mutex);
	return 0;
}

int build_all_zonelists(struct machine *m)
{
	mem_hotplug_begin();
	int r = __build_all_zonelists(m);
	mem_hotplug_done();
	return r;
}

void zonelists_free(struct machine *m)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (m->node_data[nid])
			for (int i = 0; i < MAX_ZONELISTS; i++)
				free(atomic_exchange(&m->node_data[nid]->node_zonelists[i], NULL));
}

int zonelist_format(struct zonelist *zl, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	for (struct zoneref *z = zl->_zonerefs; z->zone && len < size; z++)
		len += (size_t)snprintf(buf + len, size - len, "%s%d:%s", len ? " " : "", z->zone->node, z->zone->name);
	return (int)len;
}
