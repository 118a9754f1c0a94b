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

#include <urcu/urcu-memb.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"

#define PENALTY_FOR_NODE_WITH_CPUS 1

static pthread_mutex_t zonelists_mutex = PTHREAD_MUTEX_INITIALIZER;

static bool node_has_cpus(struct machine *m, int nid)
{
	for (int c = 0; c < m->nr_cpus; c++)
		if (m->desc.cpu_to_node[c] == nid)
			return true;
	return false;
}

static bool node_has_memory(struct machine *m, int nid)
{
	pg_data_t *pgdat = m->node_data[nid];
	if (!pgdat || !pgdat->online)
		return false;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (managed_zone(&pgdat->node_zones[z]))
			return true;
	return false;
}

/*
 * find_next_best_node: the nearest node not used yet; ties go to nodes after us, to
 * nodes without CPUs, and then to the less loaded one (node_load spreads the first hop
 * of different nodes across equally distant nodes).
 */
static int find_next_best_node(struct machine *m, int node, nodemask_t *used, int *node_load)
{
	int min_val = INT_MAX, best_node = -1;
	int nr_online = 0;

	for (int n = 0; n < m->nr_nodes; n++)
		nr_online += node_has_memory(m, n);
	if (!node_isset(node, used) && node_has_memory(m, node)) {
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

int build_all_zonelists(struct machine *m)
{
	struct zonelist *new_lists[MAX_NUMNODES][MAX_ZONELISTS] = { { 0 } };
	struct zonelist *old[MAX_NUMNODES][MAX_ZONELISTS] = { { 0 } };
	int node_load[MAX_NUMNODES] = { 0 };
	int nr_online = 0;

	for (int n = 0; n < m->nr_nodes; n++)
		nr_online += node_has_memory(m, n);
	pthread_mutex_lock(&zonelists_mutex);
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		struct zonelist *fb = zonelist_alloc(), *tn = zonelist_alloc();
		if (!fb || !tn) {
			free(fb);
			free(tn);
			for (int a = 0; a < nid; a++)
				for (int b = 0; b < MAX_ZONELISTS; b++)
					free(new_lists[a][b]);
			pthread_mutex_unlock(&zonelists_mutex);
			return -1;
		}
		nodemask_t used;
		nodes_clear(&used);
		int nr = 0, prev_node = nid, load = nr_online, node;
		while ((node = find_next_best_node(m, nid, &used, node_load)) >= 0) {
			if (m->desc.node_distance[nid][node] != m->desc.node_distance[nid][prev_node])
				node_load[node] = load;
			prev_node = node;
			load--;
			nr = build_zonerefs_node(m->node_data[node], fb->_zonerefs, nr);
		}
		fb->_zonerefs[nr].zone = NULL;
		int nt = build_zonerefs_node(pgdat, tn->_zonerefs, 0);
		tn->_zonerefs[nt].zone = NULL;
		new_lists[nid][ZONELIST_FALLBACK] = fb;
		new_lists[nid][ZONELIST_NOFALLBACK] = tn;
	}
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_ZONELISTS; i++)
			old[nid][i] = atomic_exchange_explicit(&m->node_data[nid]->node_zonelists[i], new_lists[nid][i],
							       memory_order_release);
	atomic_fetch_add(&m->zonelist_generation, 1);
	/* Readers that may still hold an old list finish before it is freed. */
	urcu_memb_synchronize_rcu();
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_ZONELISTS; i++)
			free(old[nid][i]);
	pthread_mutex_unlock(&zonelists_mutex);
	return 0;
}

void zonelists_free(struct machine *m)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (m->node_data[nid])
			for (int i = 0; i < MAX_ZONELISTS; i++)
				free(atomic_exchange(&m->node_data[nid]->node_zonelists[i], NULL));
}

struct zonelist *node_zonelist(struct machine *m, int nid, gfp_t flags)
{
	int idx = (flags & __GFP_THISNODE) ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK;
	return atomic_load_explicit(&m->node_data[nid]->node_zonelists[idx], memory_order_consume);
}

int zonelist_format(struct zonelist *zl, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	for (struct zoneref *z = zl->_zonerefs; z->zone && len < size; z++)
		len += (size_t)snprintf(buf + len, size - len, "%s%d:%s", len ? " " : "", z->zone->node, z->zone->name);
	return (int)len;
}
