/* SPDX-License-Identifier: GPL-2.0 */
/*
 * costs.h - cost tables and topologies for the virtual-time simulator.
 *
 * A cost file has one "key = value" line per allocator step (alloc/vtime.h's VT_STEPS:
 * every key, once) and cache_window, values in nanoseconds (decimals allowed, stored as integer
 * picoseconds); '#' starts a comment, which should say where the value came from.  Two
 * optional lines describe the machine the table is for:
 *     machine  = xeon-gold-5320         a label for results
 *     topology = 2x26                   sockets x cores [x NUMA nodes per socket]
 * Anything else - an unknown key, a key twice, a missing key, a value that is not a
 * non-negative number of ns - is an error that names the key and the line.
 */
#ifndef VTIME_COSTS_H
#define VTIME_COSTS_H

#include <stddef.h>

#include "alloc/vtime.h"

struct vt_topology {
	int sockets;                    /* >= 1 */
	int cores_per_socket;           /* >= 1 */
	int nodes_per_socket;           /* >= 1, divides cores_per_socket */
};

static inline int vt_topology_cpus(const struct vt_topology *t) { return t->sockets * t->cores_per_socket; }
static inline int vt_topology_nodes(const struct vt_topology *t) { return t->sockets * t->nodes_per_socket; }
static inline int vt_topology_socket(const struct vt_topology *t, int cpu) { return cpu / t->cores_per_socket; }
static inline int vt_topology_node(const struct vt_topology *t, int cpu)
{
	int core = cpu % t->cores_per_socket;
	return vt_topology_socket(t, cpu) * t->nodes_per_socket + core / (t->cores_per_socket / t->nodes_per_socket);
}

/* "2x26" or "2x26x2": 0, or -1 with err naming what was wrong. */
int vt_topology_parse(struct vt_topology *t, const char *s, char *err, size_t errlen);
/* "2x26" (nodes per socket shown when not 1). */
void vt_topology_format(const struct vt_topology *t, char *buf, size_t len);

struct vt_cost_file {
	struct vt_costs costs;
	char machine[64];               /* "" when the file names none */
	struct vt_topology topology;    /* sockets 0 when the file gives none */
	char path[256];
};

/* Read a cost file.  0, or -1 with err "FILE:LINE: key 'x': ..." / "FILE: no value for key 'x'". */
int vt_costs_read(struct vt_cost_file *f, const char *path, char *err, size_t errlen);
/* The same from text in memory (name stands in for the path in messages). */
int vt_costs_parse(struct vt_cost_file *f, const char *text, const char *name, char *err, size_t errlen);
/* Write a table in the file format, each key with its step's description as a comment and
 * notes[key] (notes[VT_NR_STEPS]: cache_window's) when not NULL. */
int vt_costs_write(const struct vt_cost_file *f, const char *header, const char *const *notes, const char *path,
		   char *err, size_t errlen);

#endif /* VTIME_COSTS_H */
