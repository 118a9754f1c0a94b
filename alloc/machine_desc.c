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
	unsigned long next = 0;

	if (nr_nodes < 1 || nr_nodes > MAX_NUMNODES)
		return errf(err, errlen, "nodes: %d is out of range 1..%d", nr_nodes, MAX_NUMNODES);
	if (nr_cpus < 1 || nr_cpus > NR_CPUS)
		return errf(err, errlen, "cpus: %d is out of range 1..%d", nr_cpus, NR_CPUS);
	if (nr_cpus < nr_nodes)
		return errf(err, errlen, "cpus: %d CPUs cannot cover %d nodes", nr_cpus, nr_nodes);
	d->nr_nodes = nr_nodes;
	d->nr_cpus = nr_cpus;
	d->nr_ranges = 0;
	for (int n = 0; n < nr_nodes; n++)
		if (add_node_memory(d, n, bytes_per_node, &next, err, errlen))
			return -1;
	for (int c = 0; c < nr_cpus; c++)
		d->cpu_to_node[c] = c * nr_nodes / nr_cpus;
	for (int a = 0; a < MAX_NUMNODES; a++)
		for (int b = 0; b < MAX_NUMNODES; b++)
			d->node_distance[a][b] = a == b ? 10 : 20;
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
	d->lowmem_reserve_ratio[ZONE_DMA] = 256;
	d->lowmem_reserve_ratio[ZONE_DMA32] = 256;
	d->lowmem_reserve_ratio[ZONE_NORMAL] = 32;
	d->lowmem_reserve_ratio[ZONE_MOVABLE] = 0;
	d->policy = PCP_POLICY_LINUX_4_12;
	d->scheme = PCP_SCHEME_OWNER;
	snprintf(d->name, sizeof(d->name), "default");
}

static int parse_size(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return -1;
	unsigned long mult = 1;
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1UL << 10; end++; break;
	case 'M': mult = 1UL << 20; end++; break;
	case 'G': mult = 1UL << 30; end++; break;
	case 'T': mult = 1UL << 40; end++; break;
	case '\0': break;
	default: return -1;
	}
	if (toupper((unsigned char)*end) == 'I')
		end++;
	if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end)
		return -1;
	*out = (unsigned long)(v * (double)mult);
	return 0;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (end == s || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* The machine options, as keys (config files) and as --flags (dashes for underscores). */
const char machine_options_help[] =
	"Machine options (flags, or 'key = value' lines in a --config file):\n"
	"  --nodes N                     NUMA nodes (default 1)\n"
	"  --mem SIZE                    memory per node, e.g. 16G, 1T (default 16G)\n"
	"  --cpus N                      CPUs, spread evenly over nodes (default 8)\n"
	"  --distance a,b,...            node distance matrix, row by row (default 10 local, 20 remote)\n"
	"  --policy linux-4.12|linux-6.x per-CPU list policy (default linux-4.12)\n"
	"  --scheme owner|trylock        per-CPU list protection (default owner)\n"
	"  --min-free-kbytes N           sysctl vm.min_free_kbytes (default: from memory size)\n"
	"  --watermark-scale-factor N    sysctl vm.watermark_scale_factor (default 10)\n"
	"  --lowmem-reserve-ratio a,b,c  sysctl vm.lowmem_reserve_ratio (default 256,256,32)\n"
	"  --percpu-pagelist-fraction N  4.12 sysctl (default 0: off)\n"
	"  --percpu-pagelist-high-fraction N  6.x sysctl (default 0: off)\n"
	"  --movablecore SIZE            ZONE_MOVABLE size per node (default 0)\n"
	"  --backed                      back frames with memory (page_address works)\n"
	"  --config FILE                 read options from FILE\n"
	"  --zoneinfo FILE               zone sizes, watermarks and pcp sizes from a /proc/zoneinfo capture\n";

static int set_int_list(const char *value, int *out, int max, int *n)
{
	char buf[4096];
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

int machine_desc_set(struct machine_desc *d, const char *key, const char *value, char *err, size_t errlen)
{
	long v;
	unsigned long sz;
	char k[64];
	size_t i;

	for (i = 0; key[i] && i < sizeof(k) - 1; i++)
		k[i] = key[i] == '-' ? '_' : key[i];
	k[i] = 0;
	unsigned long per_node = d->nr_ranges ? 0 : 16UL << 30;
	if (!strcmp(k, "nodes") || !strcmp(k, "mem") || !strcmp(k, "cpus")) {
		/* recompute the layout from nodes x mem, keeping the other two */
		for (int r = 0; r < d->nr_ranges; r++)
			per_node += (d->ranges[r].end_pfn - d->ranges[r].start_pfn) << PAGE_SHIFT;
		int nodes = d->nr_nodes, cpus = d->nr_cpus;
		per_node = d->nr_ranges ? per_node / (unsigned long)nodes : per_node;
		per_node = (per_node + (1UL << 20) - 1) & ~((1UL << 20) - 1);  /* whole MiB, as given */
		if (!strcmp(k, "nodes")) {
			if (parse_int(value, 1, MAX_NUMNODES, &v))
				return errf(err, errlen, "nodes: '%s' is not a number in 1..%d", value, MAX_NUMNODES);
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
	if (!strcmp(k, "distance")) {
		int vals[MAX_NUMNODES * MAX_NUMNODES], n;
		if (set_int_list(value, vals, MAX_NUMNODES * MAX_NUMNODES, &n) || n != d->nr_nodes * d->nr_nodes)
			return errf(err, errlen, "distance: expected %d numbers (a %dx%d matrix), got '%s'",
				    d->nr_nodes * d->nr_nodes, d->nr_nodes, d->nr_nodes, value);
		for (int a = 0; a < d->nr_nodes; a++)
			for (int b = 0; b < d->nr_nodes; b++)
				d->node_distance[a][b] = vals[a * d->nr_nodes + b];
		return 0;
	}
	if (!strcmp(k, "policy")) {
		for (int p = 0; p < NR_PCP_POLICIES; p++)
			if (!strcmp(pcp_policies[p].name, value)) {
				d->policy = (enum pcp_policy_id)p;
				return 0;
			}
		return errf(err, errlen, "policy: '%s' is not linux-4.12 or linux-6.x", value);
	}
	if (!strcmp(k, "scheme")) {
		int s = pcp_scheme_by_name(value);
		if (s < 0)
			return errf(err, errlen, "scheme: '%s' is not owner or trylock", value);
		d->scheme = (enum pcp_scheme_id)s;
		return 0;
	}
	if (!strcmp(k, "backed")) {
		d->backed = !value || !*value || !strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes");
		return 0;
	}
	if (!strcmp(k, "movablecore")) {
		if (parse_size(value, &sz))
			return errf(err, errlen, "movablecore: '%s' is not a size", value);
		d->movablecore_pages = sz >> PAGE_SHIFT;
		return 0;
	}
	if (!strcmp(k, "lowmem_reserve_ratio")) {
		int vals[MAX_NR_ZONES], n;
		if (set_int_list(value, vals, MAX_NR_ZONES, &n) || n < 1)
			return errf(err, errlen, "lowmem_reserve_ratio: '%s' is not a list of numbers", value);
		for (int z = 0; z < n; z++)
			d->lowmem_reserve_ratio[z] = vals[z];
		return 0;
	}
	if (!strcmp(k, "name")) {
		snprintf(d->name, sizeof(d->name), "%s", value);
		return 0;
	}
	struct { const char *key; int *field; long lo, hi; } ints[] = {
		{ "min_free_kbytes", &d->min_free_kbytes, 0, 1L << 30 },
		{ "watermark_scale_factor", &d->watermark_scale_factor, 1, 3000 },
		{ "percpu_pagelist_fraction", &d->percpu_pagelist_fraction, 0, 1L << 30 },
		{ "percpu_pagelist_high_fraction", &d->percpu_pagelist_high_fraction, 0, 1L << 30 },
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

int machine_desc_load_config(struct machine_desc *d, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0;

	if (!f)
		return errf(err, errlen, "config %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
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
		char sub[512];
		int r;
		if (!strcmp(key, "zoneinfo"))
			r = machine_desc_load_zoneinfo(d, val, sub, sizeof(sub));
		else
			r = machine_desc_set(d, key, val, sub, sizeof(sub));
		if (r) {
			fclose(f);
			return errf(err, errlen, "%s:%d: %s", path, lineno, sub);
		}
	}
	fclose(f);
	return 0;
}

static int zone_by_name(const char *s)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (!strcmp(zone_names[z], s))
			return z;
	return -1;
}

/*
 * A /proc/zoneinfo capture: each populated zone becomes [start_pfn, start_pfn + present)
 * (holes at the zone's end), managed decides the reserved pages, and watermarks,
 * protection and the first CPU's pcp batch/high/high_min/high_max are imposed.
 */
int machine_desc_load_zoneinfo(struct machine_desc *d, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0, nid = -1, zid = -1, cpus_in_zone = 0, max_cpus = 0, max_nid = -1, pcp_seen = 0;
	unsigned long spanned = 0, present = 0, managed = 0, start = 0;
	struct machine_desc nd;

	if (!f)
		return errf(err, errlen, "zoneinfo %s: %s", path, strerror(errno));
	nd = *d;
	nd.nr_ranges = 0;
	nd.imported = true;
	memset(nd.imp_watermark, 0, sizeof(nd.imp_watermark));
	memset(nd.imp_batch, 0, sizeof(nd.imp_batch));
	memset(nd.imp_high, 0, sizeof(nd.imp_high));
	memset(nd.imp_high_min, 0, sizeof(nd.imp_high_min));
	memset(nd.imp_high_max, 0, sizeof(nd.imp_high_max));
	memset(nd.imp_managed, 0, sizeof(nd.imp_managed));
#define FLUSH_ZONE()                                                                                   \
	do {                                                                                           \
		if (zid >= 0 && present) {                                                             \
			if (nd.nr_ranges >= MACHINE_MAX_RANGES) {                                      \
				fclose(f);                                                             \
				return errf(err, errlen, "%s: too many zones", path);                  \
			}                                                                              \
			nd.ranges[nd.nr_ranges++] = (struct mem_range){ start, start + present, nid }; \
			nd.reserved_pages[nid][zid] = present > managed ? present - managed : 0;      \
			nd.imp_managed[nid][zid] = managed;                                            \
		}                                                                                      \
		if (cpus_in_zone > max_cpus)                                                           \
			max_cpus = cpus_in_zone;                                                       \
	} while (0)
	while (fgets(line, sizeof(line), f)) {
		char name[32];
		int n;
		unsigned long v;
		lineno++;
		if (sscanf(line, "Node %d, zone %31s", &n, name) == 2) {
			FLUSH_ZONE();
			if (n < 0 || n >= MAX_NUMNODES || (zid = zone_by_name(name)) < 0) {
				int z = zone_by_name(name);
				if (n >= 0 && n < MAX_NUMNODES && z < 0 && strcmp(name, "Device") && strcmp(name, "HighMem")) {
					fclose(f);
					return errf(err, errlen, "%s:%d: unknown zone '%s'", path, lineno, name);
				}
				zid = -1;       /* Device/HighMem: nothing to model */
				continue;
			}
			nid = n;
			if (nid > max_nid)
				max_nid = nid;
			spanned = present = managed = start = 0;
			cpus_in_zone = 0;
			pcp_seen = 0;
			continue;
		}
		if (zid < 0)
			continue;
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (sscanf(p, "min %lu", &v) == 1) nd.imp_watermark[nid][zid][WMARK_MIN] = v;
		else if (sscanf(p, "low %lu", &v) == 1) nd.imp_watermark[nid][zid][WMARK_LOW] = v;
		else if (sscanf(p, "high %lu", &v) == 1 && !cpus_in_zone) nd.imp_watermark[nid][zid][WMARK_HIGH] = v;
		else if (sscanf(p, "spanned %lu", &v) == 1) spanned = v;
		else if (sscanf(p, "present %lu", &v) == 1) present = v;
		else if (sscanf(p, "managed %lu", &v) == 1) managed = v;
		else if (sscanf(p, "start_pfn: %lu", &v) == 1) start = v;
		else if (!strncmp(p, "protection: (", 13)) {
			char *q = p + 13;
			for (int z = 0; z < MAX_NR_ZONES && *q && *q != ')'; z++) {
				nd.imp_protection[nid][zid][z] = strtol(q, &q, 10);
				while (*q == ',' || *q == ' ')
					q++;
			}
		} else if (sscanf(p, "cpu: %d", &n) == 1) {
			cpus_in_zone++;
		} else if (cpus_in_zone == 1 && !pcp_seen) {
			if (sscanf(p, "high: %lu", &v) == 1) nd.imp_high[nid][zid] = (int)v;
			else if (sscanf(p, "batch: %lu", &v) == 1) nd.imp_batch[nid][zid] = (int)v;
			else if (sscanf(p, "high_min: %lu", &v) == 1) nd.imp_high_min[nid][zid] = (int)v;
			else if (sscanf(p, "high_max: %lu", &v) == 1) { nd.imp_high_max[nid][zid] = (int)v; pcp_seen = 1; }
		}
	}
	FLUSH_ZONE();
	fclose(f);
#undef FLUSH_ZONE
	(void)spanned;
	if (!nd.nr_ranges)
		return errf(err, errlen, "%s: no populated zone found (is it a /proc/zoneinfo capture?)", path);
	nd.nr_nodes = max_nid + 1;
	nd.nr_cpus = max_cpus ? max_cpus : 1;
	if (nd.nr_cpus < nd.nr_nodes)
		nd.nr_cpus = nd.nr_nodes;
	for (int c = 0; c < nd.nr_cpus; c++)
		nd.cpu_to_node[c] = c * nd.nr_nodes / nd.nr_cpus;
	snprintf(nd.name, sizeof(nd.name), "zoneinfo:%s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	*d = nd;
	return 0;
}

int machine_desc_parse_args(struct machine_desc *d, int *argc, char **argv, char *err, size_t errlen)
{
	int out = 1;

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
		bool known = false;
		static const char *const keys[] = { "nodes", "mem", "cpus", "distance", "policy", "scheme", "min-free-kbytes",
			"watermark-scale-factor", "lowmem-reserve-ratio", "percpu-pagelist-fraction",
			"percpu-pagelist-high-fraction", "movablecore", "backed", "config", "zoneinfo", "name" };
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			known |= !strcmp(keys[k], key);
		if (!known) {
			argv[out++] = a;
			continue;
		}
		if (!val && strcmp(key, "backed")) {
			if (i + 1 >= *argc)
				return errf(err, errlen, "--%s needs a value", key);
			val = argv[++i];
		}
		int r;
		if (!strcmp(key, "config"))
			r = machine_desc_load_config(d, val, err, errlen);
		else if (!strcmp(key, "zoneinfo"))
			r = machine_desc_load_zoneinfo(d, val, err, errlen);
		else
			r = machine_desc_set(d, key, val ? val : "1", err, errlen);
		if (r)
			return -1;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

/* --- building the model --- */
