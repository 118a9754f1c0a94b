// SPDX-License-Identifier: GPL-2.0
/*
 * machine_desc.c - machine descriptions: the built-in default, the options (flags and
 * `key = value` config files, the same keys), and a description read from a captured
 * /proc/zoneinfo. Nothing here builds a machine; machine.c does that from a description.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>

#include "alloc/host_topology.h"
#include "alloc/internal.h"
#include "alloc/machine.h"
#include "pcp/pcp.h"

int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Lay out `bytes` of RAM for node nid starting at *next_pfn, x86-64 style for node 0. */
static int add_node_memory(struct machine_desc *d, int nid, unsigned long bytes, unsigned long *next_pfn, char *err,
			   size_t errlen)
{
	unsigned long pages = bytes >> PAGE_SHIFT;

	if (pages < 2 * pageblock_nr_pages)
		return errf(err, errlen, "node %d: %lu bytes is too little memory (at least 4 MiB)", nid, bytes);
	if (d->nr_ranges + 3 > MACHINE_MAX_RANGES)
		return errf(err, errlen, "too many memory ranges (at most %d)", MACHINE_MAX_RANGES);
	if (nid == 0 && pages > 0x1000) {
		/* low memory up to 640 KiB, RAM from 1 MiB to 3 GiB, the PCI hole, the rest above 4 GiB */
		unsigned long below_hole = 0xc0000 - 0x100;
		d->ranges[d->nr_ranges++] = (struct mem_range){ 0x1, 0x9f, 0 };
		pages -= 0x9e;
		if (pages <= below_hole) {
			d->ranges[d->nr_ranges++] = (struct mem_range){ 0x100, 0x100 + pages, 0 };
			*next_pfn = 0x100000;
			return 0;
		}
		d->ranges[d->nr_ranges++] = (struct mem_range){ 0x100, 0xc0000, 0 };
		pages -= below_hole;
		*next_pfn = 0x100000;
	}
	if (pages) {
		d->ranges[d->nr_ranges++] = (struct mem_range){ *next_pfn, *next_pfn + pages, nid };
		*next_pfn += pages;
	}
	/* next node starts on a 1 GiB boundary, as firmware lays them out */
	*next_pfn = (*next_pfn + 0x3ffff) & ~0x3ffffUL;
	return 0;
}

int machine_desc_simple(struct machine_desc *d, int nr_nodes, unsigned long bytes_per_node, int nr_cpus, char *err,
			size_t errlen)
{
	struct machine_desc nd = *d;
	unsigned long next = 0;

	if (nr_nodes < 1 || nr_nodes > MACHINE_MAX_NODES)
		return errf(err, errlen, "nodes: %d is out of range 1..%d", nr_nodes, MACHINE_MAX_NODES);
	if (nr_cpus < 1 || nr_cpus > NR_CPUS)
		return errf(err, errlen, "cpus: %d is out of range 1..%d", nr_cpus, NR_CPUS);
	if (nr_cpus < nr_nodes)
		return errf(err, errlen, "cpus: %d CPUs cannot cover %d nodes (each node needs a CPU here)", nr_cpus,
			    nr_nodes);
	/* a distance matrix already given for this many nodes is kept (order-independent options) */
	bool keep_distance = nd.nr_nodes == nr_nodes && nd.node_distance[0][0] == LOCAL_DISTANCE;
	nd.nr_nodes = nr_nodes;
	nd.nr_cpus = nr_cpus;
	nd.nr_ranges = 0;
	for (int n = 0; n < nr_nodes; n++)
		if (add_node_memory(&nd, n, bytes_per_node, &next, err, errlen))
			return -1;
	if (next > MACHINE_MAX_PFN)
		return errf(err, errlen, "mem: %d x %lu MiB is beyond the model's %lu TiB", nr_nodes, bytes_per_node >> 20,
			    (MACHINE_MAX_PFN << PAGE_SHIFT) >> 40);
	for (int c = 0; c < nr_cpus; c++)
		nd.cpu_to_node[c] = c * nr_nodes / nr_cpus;
	if (!keep_distance)
		for (int a = 0; a < MAX_NUMNODES; a++)
			for (int b = 0; b < MAX_NUMNODES; b++)
				nd.node_distance[a][b] = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	*d = nd;
	return 0;
}

void machine_desc_default(struct machine_desc *d)
{
	memset(d, 0, sizeof(*d));
	machine_desc_simple(d, 1, 16UL << 30, 8, NULL, 0);
	for (int n = 0; n < MAX_NUMNODES; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			d->reserved_pages[n][z] = ~0UL;
	d->watermark_scale_factor = 10;
	d->swappiness = 60;
	d->watermark_boost_factor = -1;
	d->dirty_ratio = 20;
	d->dirty_background_ratio = 10;
	d->swap_latency_us = 100;
	d->disk_latency_us = 100;
	d->disk_mbps = 500;
	d->lowmem_reserve_ratio[ZONE_DMA] = 256;
	d->lowmem_reserve_ratio[ZONE_DMA32] = 256;
	d->lowmem_reserve_ratio[ZONE_NORMAL] = 32;
	d->lowmem_reserve_ratio[ZONE_MOVABLE] = 0;
	d->policy = PCP_POLICY_LINUX_4_12;
	d->scheme = PCP_SCHEME_OWNER;
	snprintf(d->name, sizeof(d->name), "default");
}

/* --- values --- */

/* A size: a finite, non-negative number with an optional K/M/G/T suffix (and i, B). */
static int parse_size(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0 || isspace((unsigned char)*s))
		return -1;
	unsigned long mult = 1;
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1UL << 10; end++; break;
	case 'M': mult = 1UL << 20; end++; break;
	case 'G': mult = 1UL << 30; end++; break;
	case 'T': mult = 1UL << 40; end++; break;
	case 'P': mult = 1UL << 50; end++; break;
	case '\0': break;
	default: return -1;
	}
	if (toupper((unsigned char)*end) == 'I')
		end++;
	if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end || v * (double)mult >= 0x1p63)
		return -1;
	*out = (unsigned long)(v * (double)mult);
	return 0;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (end == s || *end || errno || v < lo || v > hi || isspace((unsigned char)*s))
		return -1;
	*out = v;
	return 0;
}

/* "1", "true", "yes", "on" (and a bare --backed); "0", "false", "no", "off". */
static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "", "1", "true", "yes", "on" }, *const no[] = { "0", "false", "no", "off" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcmp(s, yes[i]))
			return *out = true, 0;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcmp(s, no[i]))
			return *out = false, 0;
	return -1;
}

/* The machine options, as keys (config files) and as --flags (dashes for underscores). */
_Static_assert(MACHINE_MAX_NODES == 63, "machine_options_help names the node limit");
const char machine_options_help[] =
	"Machine options (flags, or 'key = value' lines in a --config file; any order, and a flag\n"
	"overrides the same key from a config file):\n"
	"  --nodes N                     NUMA nodes, 1..63 (default 1)\n"
	"  --mem SIZE                    memory per node, e.g. 16G, 1T (default 16G)\n"
	"  --cpus N                      CPUs, spread evenly over nodes, at least one a node (default 8)\n"
	"  --distance a,b,...            node distance matrix, row by row: 10 on the diagonal, 11..255\n"
	"                                elsewhere, as the ACPI SLIT (default 10 local, 20 remote)\n"
	"  --policy NAME                 the kernel whose allocator to model (default linux-4.12):\n"
	"                                " PCP_POLICY_NAMES "\n"
	"  --scheme owner|trylock        per-CPU list protection (default owner)\n"
	"  --zone-lock auto|queued|tas   zone->lock: the kernel's queued spinlock, or virt_spin_lock's\n"
	"                                test-and-set (auto: queued unless its CPUs and kswapds outnumber\n"
	"                                the host's CPUs, whose threads would then convoy in the queue)\n"
	"  --no-fast-path, --fast-path=no  the inline hit paths off: every allocation and free\n"
	"                                takes the general path (the counters must not change)\n"
	"  --min-free-kbytes N           sysctl vm.min_free_kbytes (default: from memory size)\n"
	"  --watermark-scale-factor N    sysctl vm.watermark_scale_factor, 1..3000 (default 10)\n"
	"  --lowmem-reserve-ratio a,b,c  sysctl vm.lowmem_reserve_ratio (default 256,256,32)\n"
	"  --percpu-pagelist-fraction N  sysctl up to 5.13, 0 or at least 8 (default 0: off)\n"
	"  --percpu-pagelist-high-fraction N  sysctl from 5.14, 0 or at least 8 (default 0: off)\n"
	"  --swappiness N                sysctl vm.swappiness, 0..100 (0..200 from linux-5.14 on; default 60)\n"
	"  --watermark-boost-factor N    sysctl vm.watermark_boost_factor, from linux-5.14 on (default 15000)\n"
	"  --dirty-ratio N               sysctl vm.dirty_ratio, 0..100 (default 20)\n"
	"  --dirty-background-ratio N    sysctl vm.dirty_background_ratio, 0..100 (default 10)\n"
	"  --swap SIZE                   a swap device of SIZE (default 0: no swap, anon is not reclaimed)\n"
	"  --swap-latency-us N           the swap device's latency per I/O, microseconds (default 100)\n"
	"  --disk-latency-us N           the file system disk's latency per I/O (default 100)\n"
	"  --disk-mbps N                 each device's bandwidth, MB/s (default 500)\n"
	"  --movablecore SIZE            ZONE_MOVABLE size per node (default 0)\n"
	"  --backed[=yes|no]             back frames with memory (page_address works)\n"
	"  --config FILE                 read options from FILE\n"
	"  --zoneinfo FILE               zone sizes, watermarks and pcp sizes from a /proc/zoneinfo capture\n";

static int set_int_list(const char *value, int *out, int max, int *n)
{
	char buf[4096];
	if (strlen(value) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", value);
	*n = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		long v;
		if (*n >= max || parse_int(tok, 0, 1000000, &v))
			return -1;
		out[(*n)++] = (int)v;
	}
	return 0;
}

/* Per node, the memory the description lays out (the --mem it was made with, in whole MiB). */
static unsigned long desc_mem_per_node(const struct machine_desc *d)
{
	unsigned long bytes = 0;

	if (!d->nr_ranges)
		return 16UL << 30;
	for (int r = 0; r < d->nr_ranges; r++)
		bytes += (d->ranges[r].end_pfn - d->ranges[r].start_pfn) << PAGE_SHIFT;
	bytes /= (unsigned long)d->nr_nodes;
	return (bytes + (1UL << 20) - 1) & ~((1UL << 20) - 1);
}

static int set_distance(struct machine_desc *d, const char *key, const char *value, char *err, size_t errlen)
{
	int vals[MAX_NUMNODES * MAX_NUMNODES], n, nn = d->nr_nodes;

	if (set_int_list(value, vals, MAX_NUMNODES * MAX_NUMNODES, &n) || n != nn * nn)
		return errf(err, errlen, "%s: expected %d numbers (a %dx%d matrix), got '%s'", key, nn * nn, nn, nn, value);
	/* the kernel's SLIT rules (slit_valid): 10 on the diagonal, more than 10 elsewhere, one byte */
	for (int a = 0; a < nn; a++)
		for (int b = 0; b < nn; b++) {
			int v = vals[a * nn + b];
			if (a == b ? v != LOCAL_DISTANCE : v <= LOCAL_DISTANCE || v > 255)
				return errf(err, errlen, "%s: node %d to %d is %d; %s", key, a, b, v,
					    a == b ? "a node's distance to itself must be 10"
						   : "a distance between nodes must be in 11..255");
		}
	for (int a = 0; a < nn; a++)
		for (int b = 0; b < nn; b++)
			d->node_distance[a][b] = vals[a * nn + b];
	return 0;
}

int machine_desc_set(struct machine_desc *d, const char *key, const char *value, char *err, size_t errlen)
{
	long v;
	unsigned long sz;
	char k[64];
	size_t i;

	if (!value)
		value = "";
	for (i = 0; key[i] && i < sizeof(k) - 1; i++)
		k[i] = key[i] == '-' ? '_' : key[i];
	k[i] = 0;
	if (!strcmp(k, "nodes") || !strcmp(k, "mem") || !strcmp(k, "cpus")) {
		/* lay memory out afresh from nodes x mem, keeping the other two */
		unsigned long per_node = desc_mem_per_node(d);
		int nodes = d->nr_nodes, cpus = d->nr_cpus;
		if (!strcmp(k, "nodes")) {
			if (!strcmp(value, "auto"))     /* the host's node count: model node n on host node n */
				v = host_topology()->nr_nodes > MACHINE_MAX_NODES ? MACHINE_MAX_NODES : host_topology()->nr_nodes;
			else if (parse_int(value, 1, MACHINE_MAX_NODES, &v))
				return errf(err, errlen, "nodes: '%s' is not a number in 1..%d or auto (the host's)", value,
					    MACHINE_MAX_NODES);
			nodes = (int)v;
			if (cpus < nodes)
				cpus = nodes;
		} else if (!strcmp(k, "mem")) {
			if (parse_size(value, &sz) || sz < (4UL << 20))
				return errf(err, errlen, "mem: '%s' is not a size of at least 4M (e.g. 16G, 1T)", value);
			per_node = sz;
		} else {
			if (parse_int(value, 1, NR_CPUS, &v))
				return errf(err, errlen, "cpus: '%s' is not a number in 1..%d", value, NR_CPUS);
			cpus = (int)v;
		}
		return machine_desc_simple(d, nodes, per_node, cpus, err, errlen);
	}
	if (!strcmp(k, "distance"))
		return set_distance(d, key, value, err, errlen);
	if (!strcmp(k, "policy")) {
		int p = pcp_policy_by_name(value);
		if (p < 0)
			return errf(err, errlen, "policy: '%s' is not one of " PCP_POLICY_NAMES, value);
		d->policy = (enum pcp_policy_id)p;
		return 0;
	}
	if (!strcmp(k, "scheme")) {
		int s = pcp_scheme_by_name(value);
		if (s < 0)
			return errf(err, errlen, "scheme: '%s' is not owner or trylock", value);
		d->scheme = (enum pcp_scheme_id)s;
		return 0;
	}
	if (!strcmp(k, "backed")) {
		if (parse_bool(value, &d->backed))
			return errf(err, errlen, "backed: '%s' is not yes or no (1/0, true/false, on/off)", value);
		return 0;
	}
	if (!strcmp(k, "zone_lock")) {
		static const char *const kinds[] = { "auto", "queued", "tas" };
		for (int i = 0; i < 3; i++)
			if (!strcmp(value, kinds[i])) {
				d->zone_lock = (enum zone_lock_kind)i;
				return 0;
			}
		return errf(err, errlen, "zone-lock: '%s' is not auto, queued or tas", value);
	}
	if (!strcmp(k, "fast-path") || !strcmp(k, "fast_path")) {
		bool on;
		if (parse_bool(value, &on))
			return errf(err, errlen, "fast-path: '%s' is not yes or no (1/0, true/false, on/off)", value);
		d->no_fast_path = !on;
		return 0;
	}
	if (!strcmp(k, "swap")) {
		if (parse_size(value, &sz))
			return errf(err, errlen, "swap: '%s' is not a size (e.g. 2G)", value);
		d->swap_pages = sz >> PAGE_SHIFT;
		return 0;
	}
	if (!strcmp(k, "movablecore")) {
		if (parse_size(value, &sz))
			return errf(err, errlen, "movablecore: '%s' is not a size (e.g. 2G)", value);
		d->movablecore_pages = sz >> PAGE_SHIFT;
		return 0;
	}
	if (!strcmp(k, "lowmem_reserve_ratio")) {
		int vals[MAX_NR_ZONES], n;
		if (set_int_list(value, vals, MAX_NR_ZONES, &n) || n < 1)
			return errf(err, errlen, "lowmem_reserve_ratio: '%s' is not a list of up to %d numbers", value,
				    MAX_NR_ZONES);
		for (int z = 0; z < n; z++)
			d->lowmem_reserve_ratio[z] = vals[z];
		return 0;
	}
	if (!strcmp(k, "name")) {
		if (strlen(value) >= sizeof(d->name))
			return errf(err, errlen, "name: '%.20s...' is longer than %zu characters", value, sizeof(d->name) - 1);
		snprintf(d->name, sizeof(d->name), "%s", value);
		return 0;
	}
	/* the sysctls: the bounds of the kernel's handlers (proc_dointvec_minmax), an int */
	struct { const char *key; int *field; long lo, hi; } ints[] = {
		{ "min_free_kbytes", &d->min_free_kbytes, 0, 1L << 30 },
		{ "watermark_scale_factor", &d->watermark_scale_factor, 1, 3000 },
		{ "percpu_pagelist_fraction", &d->percpu_pagelist_fraction, 0, INT_MAX },
		{ "percpu_pagelist_high_fraction", &d->percpu_pagelist_high_fraction, 0, INT_MAX },
		{ "swappiness", &d->swappiness, 0, 200 },
		{ "watermark_boost_factor", &d->watermark_boost_factor, 0, INT_MAX },
		{ "dirty_ratio", &d->dirty_ratio, 0, 100 },
		{ "dirty_background_ratio", &d->dirty_background_ratio, 0, 100 },
		{ "swap_latency_us", &d->swap_latency_us, 0, 10000000 },
		{ "disk_latency_us", &d->disk_latency_us, 0, 10000000 },
		{ "disk_mbps", &d->disk_mbps, 1, 1000000 },
	};
	for (size_t j = 0; j < sizeof(ints) / sizeof(ints[0]); j++) {
		if (strcmp(k, ints[j].key))
			continue;
		if (parse_int(value, ints[j].lo, ints[j].hi, &v))
			return errf(err, errlen, "%s: '%s' is not a number in %ld..%ld", key, value, ints[j].lo, ints[j].hi);
		if (!strcmp(k, "percpu_pagelist_fraction") && v && v < 8)
			return errf(err, errlen, "percpu_pagelist_fraction: %ld is below the kernel's minimum 8", v);
		if (!strcmp(k, "percpu_pagelist_high_fraction") && v && v < 8)
			return errf(err, errlen, "percpu_pagelist_high_fraction: %ld is below the kernel's minimum 8", v);
		*ints[j].field = (int)v;
		return 0;
	}
	return errf(err, errlen, "unknown machine option '%s'", key);
}

/* --- option lists: flags and config lines, applied in one order whatever order they came in --- */

#define MAX_OPTS 128
struct opt {
	char key[40];                   /* underscores, as in a config file */
	char *value;                    /* owned */
	char where[300];                /* "" for a flag; "FILE:LINE" for a config line */
};
struct opt_list {
	int n;
	struct opt o[MAX_OPTS];
};

static void opts_free(struct opt_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->o[i].value);
	l->n = 0;
}

static int opts_add(struct opt_list *l, const char *key, const char *value, const char *where, char *err, size_t errlen)
{
	if (l->n >= MAX_OPTS)
		return errf(err, errlen, "%s%smore than %d machine options", where, *where ? ": " : "", MAX_OPTS);
	if (strlen(key) >= sizeof(l->o[0].key))
		return errf(err, errlen, "%s%sunknown machine option '%.40s...'", where, *where ? ": " : "", key);
	struct opt *o = &l->o[l->n];
	size_t i;
	for (i = 0; key[i]; i++)
		o->key[i] = key[i] == '-' ? '_' : key[i];
	o->key[i] = 0;
	o->value = strdup(value ? value : "");
	if (!o->value)
		return errf(err, errlen, "out of memory");
	snprintf(o->where, sizeof(o->where), "%s", where);
	l->n++;
	return 0;
}

/*
 * A config file: `key = value` lines, '#' comments. A regular file of text only: a device,
 * a directory, a NUL byte or a line over 4,095 characters is an error naming the line.
 */
#define CONFIG_MAX_BYTES (1 << 20)
static int config_read(const char *path, struct opt_list *l, char *err, size_t errlen)
{
	struct stat st;
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0;

	if (!f)
		return errf(err, errlen, "config %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > CONFIG_MAX_BYTES) {
		fclose(f);
		return errf(err, errlen, "config %s: %s", path,
			    S_ISDIR(st.st_mode) ? "is a directory" : !S_ISREG(st.st_mode) ? "is not a regular file" : "is over 1 MiB");
	}
	for (;;) {
		size_t len = 0;
		int c;
		while ((c = getc(f)) != EOF && c != '\n') {
			if (len + 1 >= sizeof(line)) {
				fclose(f);
				return errf(err, errlen, "%s:%d: the line is longer than %zu characters", path, lineno + 1,
					    sizeof(line) - 1);
			}
			if (!c) {
				fclose(f);
				return errf(err, errlen, "%s:%d: a NUL byte in the line (is it a text file?)", path, lineno + 1);
			}
			line[len++] = (char)c;
		}
		if (c == EOF && !len)
			break;
		line[len] = 0;
		lineno++;
		char *p = line, *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		char *eq = strchr(p, '=');
		char *key = p, *val = eq ? eq + 1 : (char *)"";
		if (eq)
			*eq = 0;
		for (char *e = key + strlen(key); e > key && isspace((unsigned char)e[-1]);)
			*--e = 0;
		while (isspace((unsigned char)*val))
			val++;
		for (char *e = val + strlen(val); e > val && isspace((unsigned char)e[-1]);)
			*--e = 0;
		char where[300];
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (!strcmp(key, "config")) {
			fclose(f);
			return errf(err, errlen, "%s: a config file cannot name another config file", where);
		}
		if (!eq && strcmp(key, "backed") && strcmp(key, "fast-path")) {
			fclose(f);
			return errf(err, errlen, "%s: '%s' is not 'key = value'", where, key);
		}
		if (opts_add(l, key, val, where, err, errlen)) {
			fclose(f);
			return -1;
		}
		if (c == EOF)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		return errf(err, errlen, "config %s: read error", path);
	}
	fclose(f);
	return 0;
}

static bool is_layout_key(const char *k) { return !strcmp(k, "nodes") || !strcmp(k, "mem") || !strcmp(k, "cpus"); }

static const struct opt *opts_find(const struct opt_list *l, const char *key)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->o[i].key, key))
			return &l->o[i];
	return NULL;
}

/* The error of one option, prefixed with where it came from. */
static int opt_err(const struct opt *o, const char *sub, char *err, size_t errlen)
{
	if (*o->where)
		return errf(err, errlen, "%s: %s", o->where, sub);
	return errf(err, errlen, "%s", sub);
}

/*
 * Apply a list in one order, whatever order it was given in: the zoneinfo capture, then the
 * layout (nodes, mem and cpus at once), then the rest (distance then sees its node count).
 * A key given twice: a flag beats a config line; twice at one level with two values is an
 * error, since one of them would be ignored.
 */
static int opts_apply(struct machine_desc *d, struct opt_list *l, char *err, size_t errlen)
{
	char sub[512];
	struct machine_desc nd = *d;

	for (int i = 0; i < l->n; i++)
		for (int j = i + 1; j < l->n; j++) {
			struct opt *a = &l->o[i], *b = &l->o[j];
			if (strcmp(a->key, b->key) || !strcmp(a->value, b->value))
				continue;
			if (!*a->where != !*b->where)
				continue;       /* a flag over a config line: resolved below */
			if (*a->where)
				return errf(err, errlen, "%s: %s is given again, as '%s' (first '%s' at %s)", b->where, b->key,
					    b->value, a->value, a->where);
			return errf(err, errlen, "--%s is given twice ('%s', then '%s')", a->key, a->value, b->value);
		}
	/* a flag overrides the config's line: drop the line */
	for (int i = 0; i < l->n; i++) {
		if (!*l->o[i].where)
			continue;
		for (int j = 0; j < l->n; j++)
			if (!*l->o[j].where && !strcmp(l->o[i].key, l->o[j].key)) {
				l->o[i].key[0] = 0;
				break;
			}
	}
	const struct opt *zi = opts_find(l, "zoneinfo");
	if (zi) {
		if (machine_desc_load_zoneinfo(&nd, zi->value, sub, sizeof(sub)))
			return opt_err(zi, sub, err, errlen);
		const struct opt *clash = opts_find(l, "nodes") ? opts_find(l, "nodes") : opts_find(l, "mem");
		if (clash)
			return errf(err, errlen, "%s%s--%s cannot be combined with --zoneinfo: the capture gives the memory layout",
				    clash->where, *clash->where ? ": " : "", clash->key);
	}
	const struct opt *on = opts_find(l, "nodes"), *om = opts_find(l, "mem"), *oc = opts_find(l, "cpus");
	if (on || om || oc) {
		long nodes = nd.nr_nodes, cpus = nd.nr_cpus;
		unsigned long per_node = desc_mem_per_node(&nd);
		if (on && parse_int(on->value, 1, MACHINE_MAX_NODES, &nodes)) {
			snprintf(sub, sizeof(sub), "nodes: '%s' is not a number in 1..%d", on->value, MACHINE_MAX_NODES);
			return opt_err(on, sub, err, errlen);
		}
		if (om && (parse_size(om->value, &per_node) || per_node < (4UL << 20))) {
			snprintf(sub, sizeof(sub), "mem: '%s' is not a size of at least 4M (e.g. 16G, 1T)", om->value);
			return opt_err(om, sub, err, errlen);
		}
		if (oc && parse_int(oc->value, 1, NR_CPUS, &cpus)) {
			snprintf(sub, sizeof(sub), "cpus: '%s' is not a number in 1..%d", oc->value, NR_CPUS);
			return opt_err(oc, sub, err, errlen);
		}
		if (!oc && cpus < nodes)
			cpus = nodes;   /* the default CPU count grows to one a node; a given one is kept */
		if (zi) {
			/* the capture's layout with another CPU count */
			if (cpus < nd.nr_nodes) {
				snprintf(sub, sizeof(sub), "cpus: %ld CPUs cannot cover the capture's %d nodes", cpus, nd.nr_nodes);
				return opt_err(oc, sub, err, errlen);
			}
			nd.nr_cpus = (int)cpus;
			for (int c = 0; c < nd.nr_cpus; c++)
				nd.cpu_to_node[c] = c * nd.nr_nodes / nd.nr_cpus;
		} else if (machine_desc_simple(&nd, (int)nodes, per_node, (int)cpus, sub, sizeof(sub))) {
			return opt_err(oc ? oc : on ? on : om, sub, err, errlen);
		}
	}
	for (int i = 0; i < l->n; i++) {
		const struct opt *o = &l->o[i];
		if (!o->key[0] || is_layout_key(o->key) || !strcmp(o->key, "zoneinfo"))
			continue;
		if (machine_desc_set(&nd, o->key, o->value, sub, sizeof(sub)))
			return opt_err(o, sub, err, errlen);
	}
	*d = nd;
	return 0;
}

int machine_desc_load_config(struct machine_desc *d, const char *path, char *err, size_t errlen)
{
	struct opt_list *l = calloc(1, sizeof(*l));

	if (!l)
		return errf(err, errlen, "out of memory");
	int r = config_read(path, l, err, errlen);
	if (!r)
		r = opts_apply(d, l, err, errlen);
	opts_free(l);
	free(l);
	return r;
}

static const char *const option_keys[] = { "nodes", "mem", "cpus", "distance", "policy", "scheme", "min-free-kbytes",
	"watermark-scale-factor", "lowmem-reserve-ratio", "percpu-pagelist-fraction", "percpu-pagelist-high-fraction",
	"movablecore", "swappiness", "watermark-boost-factor", "dirty-ratio", "dirty-background-ratio", "swap", "swap-latency-us",
	"disk-latency-us", "disk-mbps", "backed", "fast-path", "zone-lock", "config", "zoneinfo", "name" };

int machine_desc_parse_args(struct machine_desc *d, int *argc, char **argv, char *err, size_t errlen)
{
	struct opt_list *l = calloc(1, sizeof(*l));
	int out = 1, r = -1;

	if (!l)
		return errf(err, errlen, "out of memory");
	for (int i = 1; i < *argc; i++) {
		char *a = argv[i];
		if (strncmp(a, "--", 2) || !strncmp(a, "--benchmark", 11)) {
			argv[out++] = a;
			continue;
		}
		char key[64];
		const char *val = NULL;
		char *eq = strchr(a, '=');
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - a - 2) : (int)strlen(a + 2), a + 2);
		if (eq)
			val = eq + 1;
		if (!strcmp(a, "--no-fast-path")) {
			snprintf(key, sizeof(key), "fast-path");
			val = "no";
		}
		bool known = false;
		for (size_t k = 0; k < sizeof(option_keys) / sizeof(option_keys[0]); k++)
			known |= !strcmp(option_keys[k], key);
		if (!known) {
			argv[out++] = a;
			continue;
		}
		if (!val && strcmp(key, "backed") && strcmp(key, "fast-path")) {
			if (i + 1 >= *argc) {
				errf(err, errlen, "--%s needs a value", key);
				goto out;
			}
			val = argv[++i];
		}
		if (!strcmp(key, "config") ? config_read(val, l, err, errlen) : opts_add(l, key, val, "", err, errlen))
			goto out;
	}
	if (opts_apply(d, l, err, errlen))
		goto out;
	*argc = out;
	argv[out] = NULL;
	r = 0;
out:
	opts_free(l);
	free(l);
	return r;
}
