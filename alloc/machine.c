// SPDX-License-Identifier: GPL-2.0
/*
 * machine.c - machine descriptions and building the model from one: zones from memory
 * ranges (free_area_init_core), mem_map, the boot-time freeing of every managed frame
 * (memblock_free_all), watermarks and lowmem_reserve (init_per_zone_wmark_min), and CPU
 * binding.
 */
#define _GNU_SOURCE            /* pthread_setaffinity_np, cpu_set_t */
#define _LGPL_SOURCE
#include <ctype.h>
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "alloc/internal.h"
#include "alloc/machine.h"
#include "alloc/rcu.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

__thread struct cpu_binding current_binding = { .cpu = -1 };

static const unsigned long zone_limit_pfn[MAX_NR_ZONES] = {
	[ZONE_DMA] = (16UL << 20) >> PAGE_SHIFT,
	[ZONE_DMA32] = (4UL << 30) >> PAGE_SHIFT,
	[ZONE_NORMAL] = ~0UL,
	[ZONE_MOVABLE] = ~0UL,
};

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

static void *map_zeroed(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Hand [start, end) of a zone to the buddy in the largest aligned blocks (no merging needed). */
static void free_range_boot(struct zone *zone, unsigned long start, unsigned long end)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long freed = 0;

	while (start < end) {
		unsigned int order = start ? (unsigned int)__builtin_ctzl(start) : MAX_ORDER - 1;
		if (order > MAX_ORDER - 1)
			order = MAX_ORDER - 1;
		while ((1UL << order) > end - start)
			order--;
		struct page *page = __pfn_to_page(m, start);
		struct free_area *area = &zone->free_area[order];
		page->order = (uint8_t)order;
		page->mt = MIGRATE_MOVABLE;
		page->flags = PG_buddy;
		plist_add_tail(zone, &area->free_list[MIGRATE_MOVABLE], page);
		area->nr_free++;
		freed += 1UL << order;
		start += 1UL << order;
	}
	atomic_fetch_add_explicit(&zone->vm_stat[NR_FREE_PAGES], (long)freed, memory_order_relaxed);
}

int calculate_normal_threshold(struct zone *zone, int nr_online_cpus)
{
	int mem = (int)(zone->managed_pages >> (27 - PAGE_SHIFT));      /* 128 MiB units */
	int fls_cpus = 32 - __builtin_clz((unsigned)nr_online_cpus);
	int fls_mem = mem ? 32 - __builtin_clz((unsigned)mem) : 0;
	int threshold = 2 * fls_cpus * (1 + fls_mem);
	return threshold > 125 ? 125 : threshold;
}

void refresh_zone_stat_thresholds(struct machine *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			zone->stat_threshold = calculate_normal_threshold(zone, m->nr_cpus);
			if (zone->pageset)
				for (int cpu = 0; cpu < m->nr_cpus; cpu++)
					WRITE_ONCE(zone->pageset[cpu].stat_threshold, (int8_t)zone->stat_threshold);
		}
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = (unsigned long)sqrt((double)x);
	while (r * r > x)
		r--;
	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/*
 * __setup_per_zone_wmarks: MIN is each zone's share of min_free_kbytes by managed pages;
 * LOW and HIGH add one and two steps of max(MIN/4, managed * scale_factor / 10000).
 */
void setup_per_zone_wmarks(struct machine *m)
{
	unsigned long pages_min = (unsigned long)m->min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;

	for_each_zone(m, zone)
		lowmem_pages += zone->managed_pages;     /* no highmem on 64-bit */
	for_each_zone(m, zone) {
		zone_lock(zone);
		unsigned long tmp = lowmem_pages ? (unsigned long)((__uint128_t)pages_min * zone->managed_pages / lowmem_pages) : 0;
		/* WRITE_ONCE: allocations read them locklessly (memory hotplug recomputes them live) */
		WRITE_ONCE(zone->_watermark[WMARK_MIN], tmp);
		unsigned long step = (unsigned long)((__uint128_t)zone->managed_pages * (unsigned)m->desc.watermark_scale_factor / 10000);
		if (tmp >> 2 > step)
			step = tmp >> 2;
		WRITE_ONCE(zone->_watermark[WMARK_LOW], tmp + step);
		WRITE_ONCE(zone->_watermark[WMARK_HIGH], tmp + step * 2);
		if (m->desc.imported) {
			for (int w = 0; w < NR_WMARK; w++)
				if (m->desc.imp_watermark[zone->node][zone->idx][w])
					WRITE_ONCE(zone->_watermark[w], m->desc.imp_watermark[zone->node][zone->idx][w]);
		}
		zone_unlock(zone);
	}
}

/* lowmem_reserve[j] of a lower zone: the managed pages of the zones above it up to j, / ratio. */
void setup_per_zone_lowmem_reserve(struct machine *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			struct zone *zone = &pgdat->node_zones[j];
			unsigned long managed_pages = zone->managed_pages;
			WRITE_ONCE(zone->lowmem_reserve[j], 0);
			for (int idx = j; idx;) {
				idx--;
				int ratio = m->desc.lowmem_reserve_ratio[idx] < 1 ? 1 : m->desc.lowmem_reserve_ratio[idx];
				struct zone *lower = &pgdat->node_zones[idx];
				WRITE_ONCE(lower->lowmem_reserve[j], (long)(managed_pages / (unsigned long)ratio));
				managed_pages += lower->managed_pages;
			}
		}
		if (m->desc.imported)
			for (int z = 0; z < MAX_NR_ZONES; z++)
				if (pgdat->node_zones[z].present_pages)
					for (int j = 0; j < MAX_NR_ZONES; j++)
						WRITE_ONCE(pgdat->node_zones[z].lowmem_reserve[j], m->desc.imp_protection[nid][z][j]);
	}
}

/* init_per_zone_wmark_min: min_free_kbytes = sqrt(lowmem_kbytes * 16), within [128, 65536]. */
void init_per_zone_wmark_min(struct machine *m)
{
	unsigned long lowmem_pages = 0;

	for_each_zone(m, zone)
		if (zone->idx <= ZONE_NORMAL && zone->managed_pages > high_wmark_pages(zone))
			lowmem_pages += zone->managed_pages - high_wmark_pages(zone);
	long new_min = (long)int_sqrt(lowmem_pages * (PAGE_SIZE >> 10) * 16);
	if (m->user_min_free_kbytes) {
		m->min_free_kbytes = m->user_min_free_kbytes;
	} else {
		if (new_min < 128)
			new_min = 128;
		if (new_min > 65536)
			new_min = 65536;
		m->min_free_kbytes = (int)new_min;
	}
	setup_per_zone_wmarks(m);
	refresh_zone_stat_thresholds(m);
	setup_per_zone_lowmem_reserve(m);
}

int sysctl_set(struct machine *m, const char *name, long value, char *err, size_t errlen)
{
	if (!strcmp(name, "min_free_kbytes")) {
		if (value < 0)
			return errf(err, errlen, "min_free_kbytes: %ld is negative", value);
		m->user_min_free_kbytes = m->min_free_kbytes = (int)value;
		setup_per_zone_wmarks(m);
	} else if (!strcmp(name, "watermark_scale_factor")) {
		if (value < 1 || value > 3000)
			return errf(err, errlen, "watermark_scale_factor: %ld is outside 1..3000", value);
		m->desc.watermark_scale_factor = (int)value;
		setup_per_zone_wmarks(m);
	} else if (!strcmp(name, "percpu_pagelist_fraction")) {
		if (value && value < 8)
			return errf(err, errlen, "percpu_pagelist_fraction: %ld is below the minimum 8", value);
		m->desc.percpu_pagelist_fraction = (int)value;
	} else if (!strcmp(name, "percpu_pagelist_high_fraction")) {
		if (value && value < 8)
			return errf(err, errlen, "percpu_pagelist_high_fraction: %ld is below the minimum 8", value);
		m->desc.percpu_pagelist_high_fraction = (int)value;
	} else {
		return errf(err, errlen, "unknown sysctl '%s'", name);
	}
	for_each_zone(m, zone)
		zone_pcp_update(zone);
	return 0;
}

static void zone_init(struct machine *m, pg_data_t *pgdat, int z, unsigned long start, unsigned long end)
{
	struct zone *zone = &pgdat->node_zones[z];

	zone->zone_pgdat = pgdat;
	zone->node = pgdat->node_id;
	zone->idx = (enum zone_type)z;
	zone->name = zone_names[z];
	zone->zone_start_pfn = start;
	zone->spanned_pages = end > start ? end - start : 0;
	zone->zone_mem_map = m->mem_map + start;
	for (int o = 0; o < MAX_ORDER; o++)
		for (int t = 0; t < MIGRATE_TYPES; t++)
			plist_init(&zone->free_area[o].free_list[t]);
}

struct machine *machine_create(const struct machine_desc *d, char *err, size_t errlen)
{
	struct machine *m = calloc(1, sizeof(*m));
	unsigned long zstart[MAX_NUMNODES][MAX_NR_ZONES], zend[MAX_NUMNODES][MAX_NR_ZONES];

	if (!m) {
		errf(err, errlen, "out of memory");
		return NULL;
	}
	m->desc = *d;
	m->report = stderr;
	m->nr_nodes = d->nr_nodes;
	m->nr_cpus = d->nr_cpus;
	m->pcp_policy = &pcp_policies[d->policy];
	m->scheme = d->scheme;
	m->pcp_fast_variant = pcp_fast_variant(d->policy, d->scheme);
	m->user_min_free_kbytes = d->min_free_kbytes;
	if (d->nr_nodes < 1 || d->nr_nodes > MAX_NUMNODES || d->nr_cpus < 1 || d->nr_cpus > NR_CPUS || !d->nr_ranges) {
		errf(err, errlen, "machine: %d nodes, %d CPUs, %d memory ranges is not a machine", d->nr_nodes, d->nr_cpus,
		     d->nr_ranges);
		goto fail;
	}
	if (zonelist_rcu_check(err, errlen))
		goto fail;
	if (d->scheme == PCP_SCHEME_OWNER && pcp_membarrier_init(err, errlen)) {
		size_t l = strlen(err);
		snprintf(err + l, errlen - l, "; the owner scheme needs it: use --scheme trylock");
		goto fail;
	}
	/* Node spans, then zones: DMA below 16 MiB, DMA32 below 4 GiB, Normal above, Movable on top. */
	for (int r = 0; r < d->nr_ranges; r++) {
		const struct mem_range *rg = &d->ranges[r];
		if (rg->start_pfn >= rg->end_pfn || rg->nid < 0 || rg->nid >= d->nr_nodes) {
			errf(err, errlen, "memory range %d [%#lx, %#lx) on node %d is invalid", r, rg->start_pfn, rg->end_pfn, rg->nid);
			goto fail;
		}
		if (rg->end_pfn > m->max_pfn)
			m->max_pfn = rg->end_pfn;
	}
	m->max_pfn = (m->max_pfn + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
	if (m->max_pfn >= (1UL << 40)) {
		errf(err, errlen, "machine: %lu pages is beyond the model's 4 PiB", m->max_pfn);
		goto fail;
	}
	m->mem_map_bytes = m->max_pfn * sizeof(struct page);
	m->mem_map = map_zeroed(m->mem_map_bytes);
	m->pageblocks = map_zeroed((m->max_pfn >> pageblock_order) * sizeof(struct pageblock));
	if (!m->mem_map || !m->pageblocks) {
		errf(err, errlen, "machine: cannot map %zu bytes of mem_map", m->mem_map_bytes);
		goto fail;
	}
	if (d->backed) {
		m->arena = map_zeroed(m->max_pfn << PAGE_SHIFT);
		if (!m->arena) {
			errf(err, errlen, "machine: cannot map a %lu MiB arena for --backed", (m->max_pfn << PAGE_SHIFT) >> 20);
			goto fail;
		}
	}
	m->cpus = aligned_alloc(SMP_CACHE_BYTES, sizeof(struct cpu_state) * (size_t)m->nr_cpus);
	if (!m->cpus) {
		errf(err, errlen, "out of memory");
		goto fail;
	}
	memset(m->cpus, 0, sizeof(struct cpu_state) * (size_t)m->nr_cpus);
	for (int c = 0; c < m->nr_cpus; c++) {
		m->cpus[c].cpu = c;
		m->cpus[c].node = d->cpu_to_node[c];
		m->cpus[c].free_key = FREE_KEY_NONE;
	}
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = calloc(1, sizeof(*pgdat));
		if (!pgdat) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		m->node_data[nid] = pgdat;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			m->zone_table[nid * MAX_NR_ZONES + z + 1] = &pgdat->node_zones[z];
		pgdat->node_id = nid;
		pgdat->machine = m;
		pgdat->online = true;
		unsigned long ns = ~0UL, ne = 0;
		for (int r = 0; r < d->nr_ranges; r++)
			if (d->ranges[r].nid == nid) {
				if (d->ranges[r].start_pfn < ns)
					ns = d->ranges[r].start_pfn;
				if (d->ranges[r].end_pfn > ne)
					ne = d->ranges[r].end_pfn;
			}
		if (ne == 0) {
			errf(err, errlen, "node %d has no memory", nid);
			goto fail;
		}
		pgdat->node_start_pfn = ns;
		pgdat->node_spanned_pages = ne - ns;
		/* ZONE_MOVABLE: the top movablecore pages of the node (find_zone_movable_pfns_for_nodes) */
		unsigned long movable_start = ne;
		if (d->movablecore_pages) {
			unsigned long left = d->movablecore_pages;
			for (int r = d->nr_ranges - 1; r >= 0 && left; r--) {
				const struct mem_range *rg = &d->ranges[r];
				if (rg->nid != nid)
					continue;
				unsigned long len = rg->end_pfn - rg->start_pfn;
				unsigned long take = len < left ? len : left;
				movable_start = rg->end_pfn - take;
				left -= take;
			}
			movable_start = (movable_start + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
			if (movable_start < zone_limit_pfn[ZONE_DMA32])
				movable_start = zone_limit_pfn[ZONE_DMA32] > ne ? ne : zone_limit_pfn[ZONE_DMA32];
		}
		unsigned long lo = ns;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			unsigned long hi = z == ZONE_MOVABLE ? ne : zone_limit_pfn[z] < movable_start ? zone_limit_pfn[z] : movable_start;
			if (hi > ne)
				hi = ne;
			if (hi < lo)
				hi = lo;
			zstart[nid][z] = lo;
			zend[nid][z] = hi;
			lo = hi;
		}
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			/* shrink the span to the zone's present memory */
			unsigned long s = ~0UL, e = 0, present = 0;
			for (int r = 0; r < d->nr_ranges; r++) {
				const struct mem_range *rg = &d->ranges[r];
				if (rg->nid != nid)
					continue;
				unsigned long a = rg->start_pfn > zstart[nid][z] ? rg->start_pfn : zstart[nid][z];
				unsigned long b = rg->end_pfn < zend[nid][z] ? rg->end_pfn : zend[nid][z];
				if (a >= b)
					continue;
				present += b - a;
				if (a < s)
					s = a;
				if (b > e)
					e = b;
			}
			if (!present) {
				zone_init(m, pgdat, z, zstart[nid][z], zstart[nid][z]);
				continue;
			}
			/*
			 * DMA32 and Normal spans start at their boundary, and every span ends at its
			 * boundary or the node's end, as the kernel's do (zone_spanned_pages_in_node):
			 * a hole at a zone's end (the PCI hole) is spanned, not present.
			 */
			if (z > ZONE_DMA && zstart[nid][z] < s && zstart[nid][z] >= ns)
				s = zstart[nid][z];
			e = zend[nid][z];
			zone_init(m, pgdat, z, s, e);
			pgdat->node_zones[z].present_pages = present;
			pgdat->node_present_pages += present;
			pgdat->nr_zones = z + 1;
		}
	}
	/*
	 * Pageblock ownership: zones must not share a pageblock. Pageblocks without a present
	 * frame (inside a spanned hole) belong to no zone, like pfns the kernel's pfn_valid()
	 * refuses.
	 */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->spanned_pages)
				continue;
			for (unsigned long pb = zone->zone_start_pfn >> pageblock_order;
			     pb <= (zone_end_pfn(zone) - 1) >> pageblock_order; pb++) {
				bool present = false;
				for (int r = 0; r < d->nr_ranges && !present; r++)
					present = d->ranges[r].nid == nid && d->ranges[r].start_pfn < (pb + 1) << pageblock_order &&
						  d->ranges[r].end_pfn > pb << pageblock_order;
				if (!present)
					continue;
				if (m->pageblocks[pb].zone_id) {
					struct zone *other = zone_of_id(m, m->pageblocks[pb].zone_id);
					errf(err, errlen, "zones %d:%s and %d:%s share the pageblock at pfn %#lx (zone boundaries must be 2 MiB aligned)",
					     other->node, other->name, nid, zone->name, pb << pageblock_order);
					goto fail;
				}
				m->pageblocks[pb].zone_id = (uint8_t)(nid * MAX_NR_ZONES + z + 1);
				m->pageblocks[pb].migratetype = MIGRATE_MOVABLE;
			}
		}
	if (m->nr_nodes * MAX_NR_ZONES >= 255) {
		errf(err, errlen, "too many nodes for the pageblock zone ids");
		goto fail;
	}
	/* Reserve, then free every other present frame to the buddy (memblock_free_all). */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->present_pages)
				continue;
			unsigned long reserve = d->reserved_pages[nid][z];
			if (reserve == ~0UL)
				reserve = z == ZONE_DMA ? 158 : (z == m->node_data[nid]->nr_zones - 1 ? zone->present_pages / 64 : 0);
			if (reserve > zone->present_pages)
				reserve = zone->present_pages;
			zone->managed_pages = zone->present_pages - reserve;
			for (int r = 0; r < d->nr_ranges; r++) {
				const struct mem_range *rg = &d->ranges[r];
				if (rg->nid != nid)
					continue;
				unsigned long a = rg->start_pfn > zone->zone_start_pfn ? rg->start_pfn : zone->zone_start_pfn;
				unsigned long b = rg->end_pfn < zone_end_pfn(zone) ? rg->end_pfn : zone_end_pfn(zone);
				if (a >= b)
					continue;
				unsigned long skip = reserve < b - a ? reserve : b - a;
				for (unsigned long pfn = a; pfn < a + skip; pfn++)
					m->mem_map[pfn].flags = PG_reserved;
				reserve -= skip;
				free_range_boot(zone, a + skip, b);
			}
		}
	pcp_init_machine(m);            /* pagesets exist before watermarks size them */
	if (build_all_zonelists(m)) {
		errf(err, errlen, "machine: cannot build zonelists");
		goto fail;
	}
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			zone->pcp_nr_cpus = 0;
			for (int c = 0; c < m->nr_cpus; c++)
				zone->pcp_nr_cpus += d->cpu_to_node[c] == nid;
		}
	init_per_zone_wmark_min(m);
	for_each_zone(m, zone)
		zone_pcp_update(zone);
	if (slowpath_init(m)) {         /* LRU, kswapd state, slow-path histograms */
		errf(err, errlen, "machine: out of memory for the slow path's state");
		goto fail;
	}
	return m;
fail:
	machine_destroy(m);
	return NULL;
}

void zonelists_free(struct machine *m);

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	slowpath_exit(m);               /* stops kswapd first */
	zonelists_free(m);
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!m->node_data[nid])
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			free(m->node_data[nid]->node_zones[z].pageset);
		free(m->node_data[nid]);
	}
	if (m->mem_map)
		munmap(m->mem_map, m->mem_map_bytes);
	if (m->pageblocks)
		munmap(m->pageblocks, (m->max_pfn >> pageblock_order) * sizeof(struct pageblock));
	if (m->arena)
		munmap(m->arena, m->max_pfn << PAGE_SHIFT);
	free(m->cpus);
	free(m);
}

/* --- CPUs --- */

static __thread char thread_token;
static __thread int rcu_registered;

static void bind_to(struct machine *m, int cpu)
{
	current_binding.m = m;
	current_binding.cs = &m->cpus[cpu];
	current_binding.cpu = cpu;
	if (!rcu_registered) {
		urcu_memb_register_thread();
		rcu_registered = 1;
	}
}

/*
 * Where the host has CPU `cpu` and this thread may run there, pin the thread to it, so a
 * model CPU stays on one host CPU (its pagesets stay in that CPU's caches). Best effort:
 * a host with fewer CPUs, or a cpuset that excludes it, leaves the thread where it was.
 * cpu_unbind restores the thread's earlier affinity.
 */
static __thread cpu_set_t saved_affinity;
static __thread bool pinned;

static void pin_to_host_cpu(int cpu)
{
	cpu_set_t allowed, one;

	if (cpu >= CPU_SETSIZE || pthread_getaffinity_np(pthread_self(), sizeof(allowed), &allowed))
		return;
	if (pinned)
		allowed = saved_affinity;
	if (!CPU_ISSET(cpu, &allowed))
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (!pthread_setaffinity_np(pthread_self(), sizeof(one), &one) && !pinned) {
		saved_affinity = allowed;
		pinned = true;
	}
}

static void unpin(void)
{
	if (pinned) {
		pthread_setaffinity_np(pthread_self(), sizeof(saved_affinity), &saved_affinity);
		pinned = false;
	}
}

int cpu_bind(struct machine *m, int cpu)
{
	uintptr_t me = (uintptr_t)&thread_token, expected = 0;

	if (!m || cpu < 0 || cpu >= m->nr_cpus) {
		fprintf(m && m->report ? m->report : stderr, "cpu_bind: CPU %d does not exist (the machine has %d)\n", cpu,
			m ? m->nr_cpus : 0);
		return -1;
	}
	if (current_binding.m && (current_binding.m != m || current_binding.cpu != cpu))
		cpu_unbind();
	if (!atomic_compare_exchange_strong(&m->cpus[cpu].owner, &expected, me) && expected != me) {
		fprintf(m->report, "cpu_bind: CPU %d is already bound to another thread\n", cpu);
		return -1;
	}
	bind_to(m, cpu);
	pin_to_host_cpu(cpu);
	return 0;
}

int cpu_bind_many(struct machine *m, const int *cpus, int n)
{
	for (int i = 0; i < n; i++) {
		uintptr_t me = (uintptr_t)&thread_token, expected = 0;
		if (cpus[i] < 0 || cpus[i] >= m->nr_cpus ||
		    (!atomic_compare_exchange_strong(&m->cpus[cpus[i]].owner, &expected, me) && expected != me)) {
			fprintf(m->report, "cpu_bind_many: CPU %d does not exist or is bound to another thread\n", cpus[i]);
			for (int j = 0; j < i; j++)
				atomic_store(&m->cpus[cpus[j]].owner, 0);
			return -1;
		}
	}
	bind_to(m, cpus[0]);
	return 0;
}

void cpu_switch(int cpu)
{
	struct machine *m = current_binding.m;

	if (!m || cpu < 0 || cpu >= m->nr_cpus || atomic_load(&m->cpus[cpu].owner) != (uintptr_t)&thread_token) {
		fprintf(m ? m->report : stderr, "cpu_switch: this thread does not hold CPU %d\n", cpu);
		abort();
	}
	current_binding.cs = &m->cpus[cpu];
	current_binding.cpu = cpu;
}

void cpu_unbind(void)
{
	struct machine *m = current_binding.m;

	if (!m)
		return;
	for (int c = 0; c < m->nr_cpus; c++) {
		uintptr_t me = (uintptr_t)&thread_token;
		atomic_compare_exchange_strong(&m->cpus[c].owner, &me, 0);
	}
	current_binding.m = NULL;
	current_binding.cs = NULL;
	current_binding.cpu = -1;
	unpin();
	if (rcu_registered) {
		urcu_memb_unregister_thread();
		rcu_registered = 0;
	}
}
