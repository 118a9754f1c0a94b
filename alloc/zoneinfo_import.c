// SPDX-License-Identifier: GPL-2.0
/*
 * zoneinfo_import.c - a machine description from a captured /proc/zoneinfo (4.12's or
 * 6.x's format): zone sizes and pfns, watermarks, protection and the first CPU's pageset
 * sizes. A truncated or edited capture is refused whole, naming the line.
 */
#define _GNU_SOURCE             /* getline */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc/internal.h"
#include "alloc/machine.h"

static int zone_by_name(const char *s)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (!strcmp(zone_names[z], s))
			return z;
	return -1;
}

/* One "Node N, zone NAME" section as read; checked whole when the next begins or the file ends. */
struct zi_section {
	int line;                       /* where it began */
	int nid, zid;                   /* zid -1: a zone the model has no type for (Device, HighMem) */
	bool has_spanned, has_present, has_managed, has_start;
	unsigned long spanned, present, managed, start;
	int cpus;                       /* its "cpu:" lines */
};

/* A number after "key" on a zoneinfo line, the whole rest of the line; -1 if it is not one. */
static int zi_number(const char *p, unsigned long *v)
{
	char *end;
	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	*v = strtoul(p, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return errno || *end ? -1 : 0;
}

/* The zone boundaries the model lays zones out by (machine.c): a capture must agree. */
static const unsigned long zi_zone_lo[MAX_NR_ZONES] = { 0, (16UL << 20) >> PAGE_SHIFT, (4UL << 30) >> PAGE_SHIFT, 0 };
static const unsigned long zi_zone_hi[MAX_NR_ZONES] = { (16UL << 20) >> PAGE_SHIFT, (4UL << 30) >> PAGE_SHIFT,
							MACHINE_MAX_PFN, MACHINE_MAX_PFN };

static int zi_flush(struct machine_desc *nd, const struct zi_section *s, bool seen[MACHINE_MAX_NODES][MAX_NR_ZONES],
		    const char *path, int lineno, char *err, size_t errlen)
{
	const char *zn = s->zid >= 0 ? zone_names[s->zid] : "?";

	if (s->zid < 0)
		return 0;
	if (seen[s->nid][s->zid])
		return errf(err, errlen, "%s:%d: node %d, zone %s appears twice", path, s->line, s->nid, zn);
	seen[s->nid][s->zid] = true;
	if (!s->has_present || !s->has_spanned || !s->has_managed)
		return errf(err, errlen, "%s:%d: node %d, zone %s (line %d) ends without '%s' (is the capture truncated?)",
			    path, lineno, s->nid, zn, s->line,
			    !s->has_spanned ? "spanned" : !s->has_present ? "present" : "managed");
	if (!s->present)
		return 0;       /* an empty zone: nothing to lay out */
	if (!s->has_start)
		return errf(err, errlen, "%s:%d: node %d, zone %s (line %d) ends without 'start_pfn' (is the capture truncated?)",
			    path, lineno, s->nid, zn, s->line);
	if (s->present > s->spanned)
		return errf(err, errlen, "%s:%d: node %d, zone %s: present %lu is more than spanned %lu", path, s->line, s->nid,
			    zn, s->present, s->spanned);
	if (s->managed > s->present)
		return errf(err, errlen, "%s:%d: node %d, zone %s: managed %lu is more than present %lu", path, s->line, s->nid,
			    zn, s->managed, s->present);
	if (s->zid == ZONE_MOVABLE)
		return errf(err, errlen, "%s:%d: node %d: a populated Movable zone in a capture is not modelled (give --movablecore instead)",
			    path, s->line, s->nid);
	if (s->start < zi_zone_lo[s->zid] || s->start + s->spanned > zi_zone_hi[s->zid] || s->start + s->spanned < s->start)
		return errf(err, errlen, "%s:%d: node %d, zone %s: pfns [%#lx, %#lx) lie outside the zone's [%#lx, %#lx)", path,
			    s->line, s->nid, zn, s->start, s->start + s->spanned, zi_zone_lo[s->zid], zi_zone_hi[s->zid]);
	for (int r = 0; r < nd->nr_ranges; r++) {
		const struct mem_range *o = &nd->ranges[r];
		if (s->start < o->end_pfn && o->start_pfn < s->start + s->present)
			return errf(err, errlen, "%s:%d: node %d, zone %s: pfns [%#lx, %#lx) overlap node %d's [%#lx, %#lx)", path,
				    s->line, s->nid, zn, s->start, s->start + s->present, o->nid, o->start_pfn, o->end_pfn);
	}
	if (nd->nr_ranges >= MACHINE_MAX_RANGES)
		return errf(err, errlen, "%s:%d: more than %d populated zones", path, s->line, MACHINE_MAX_RANGES);
	nd->ranges[nd->nr_ranges++] = (struct mem_range){ s->start, s->start + s->present, s->nid };
	nd->reserved_pages[s->nid][s->zid] = s->present - s->managed;
	nd->imp_managed[s->nid][s->zid] = s->managed;
	return 0;
}

/*
 * Each populated zone becomes [start_pfn, start_pfn + present) (holes at the zone's end),
 * managed decides the reserved pages, and watermarks, protection and the first CPU's pcp
 * batch/high/high_min/high_max are imposed. Every section must be whole and agree with
 * itself and with the others: a truncated or edited capture is refused, line named.
 */
int machine_desc_load_zoneinfo(struct machine_desc *d, const char *path, char *err, size_t errlen)
{
	struct stat st;
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t line_cap = 0;
	ssize_t len;
	int lineno = 0, max_cpus = 0, max_nid = -1, r = -1;
	bool pcp_seen = false;
	static __thread bool seen[MACHINE_MAX_NODES][MAX_NR_ZONES];
	struct zi_section s = { .zid = -1 };
	struct machine_desc *nd = malloc(sizeof(*nd));

	if (!f || !nd) {
		free(nd);
		if (f)
			fclose(f);
		return errf(err, errlen, "zoneinfo %s: %s", path, f ? "out of memory" : strerror(errno));
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		/* /proc/zoneinfo itself is a regular file; a device could be read for ever */
		errf(err, errlen, "zoneinfo %s: %s", path, S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
		goto out;
	}
	memset(seen, 0, sizeof(seen));
	*nd = *d;
	nd->nr_ranges = 0;
	nd->imported = true;
	memset(nd->imp_watermark, 0, sizeof(nd->imp_watermark));
	memset(nd->imp_protection, 0, sizeof(nd->imp_protection));
	memset(nd->imp_batch, 0, sizeof(nd->imp_batch));
	memset(nd->imp_high, 0, sizeof(nd->imp_high));
	memset(nd->imp_high_min, 0, sizeof(nd->imp_high_min));
	memset(nd->imp_high_max, 0, sizeof(nd->imp_high_max));
	memset(nd->imp_managed, 0, sizeof(nd->imp_managed));
	for (int n = 0; n < MAX_NUMNODES; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			nd->reserved_pages[n][z] = ~0UL;
	while ((len = getline(&line, &line_cap, f)) > 0) {
		char name[32];
		int n;
		unsigned long v;
		lineno++;
		if (len > 1023) {
			errf(err, errlen, "%s:%d: the line is longer than 1023 characters", path, lineno);
			goto out;
		}
		if ((size_t)len != strlen(line)) {
			errf(err, errlen, "%s:%d: a NUL byte in the line (is it a text file?)", path, lineno);
			goto out;
		}
		if (!strncmp(line, "Node ", 5)) {
			if (sscanf(line, "Node %d, zone %31s", &n, name) != 2) {
				if (sscanf(line, "Node %d, per-node stats", &n) == 1 && n >= 0 && n < MACHINE_MAX_NODES)
					goto next_section;
				errf(err, errlen, "%s:%d: expected 'Node N, zone NAME'", path, lineno);
				goto out;
			}
			if (n < 0 || n >= MACHINE_MAX_NODES) {
				errf(err, errlen, "%s:%d: node %d: node ids go from 0 to %d", path, lineno, n, MACHINE_MAX_NODES - 1);
				goto out;
			}
			int z = zone_by_name(name);
			if (z < 0 && strcmp(name, "Device") && strcmp(name, "HighMem")) {
				errf(err, errlen, "%s:%d: unknown zone '%s'", path, lineno, name);
				goto out;
			}
			if (zi_flush(nd, &s, seen, path, lineno, err, errlen))
				goto out;
			if (s.cpus > max_cpus)
				max_cpus = s.cpus;
			s = (struct zi_section){ .line = lineno, .nid = n, .zid = z };    /* Device/HighMem: -1, nothing to model */
			pcp_seen = false;
			if (z >= 0 && n > max_nid)
				max_nid = n;
			continue;
next_section:
			if (zi_flush(nd, &s, seen, path, lineno, err, errlen))
				goto out;
			if (s.cpus > max_cpus)
				max_cpus = s.cpus;
			s = (struct zi_section){ .zid = -1 };
			continue;
		}
		if (s.zid < 0)
			continue;
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		int nid = s.nid, zid = s.zid;
		/* the per-zone lines, up to the pagesets; "high" there is the zone's watermark */
		static const struct { const char *key; int wmark; } wm[] = { { "min", WMARK_MIN }, { "low", WMARK_LOW }, { "high", WMARK_HIGH } };
		bool done = false;
		for (size_t i = 0; i < 3 && !done && !s.cpus; i++) {
			size_t kl = strlen(wm[i].key);
			if (!strncmp(p, wm[i].key, kl) && isspace((unsigned char)p[kl])) {
				if (zi_number(p + kl, &v) || v > MACHINE_MAX_PFN) {
					errf(err, errlen, "%s:%d: '%s' is not a page count", path, lineno, wm[i].key);
					goto out;
				}
				nd->imp_watermark[nid][zid][wm[i].wmark] = v;
				done = true;
			}
		}
		static const struct { const char *key; size_t off_has, off_val; } sz[] = {
			{ "spanned", offsetof(struct zi_section, has_spanned), offsetof(struct zi_section, spanned) },
			{ "present", offsetof(struct zi_section, has_present), offsetof(struct zi_section, present) },
			{ "managed", offsetof(struct zi_section, has_managed), offsetof(struct zi_section, managed) },
			{ "start_pfn:", offsetof(struct zi_section, has_start), offsetof(struct zi_section, start) },
		};
		for (size_t i = 0; i < 4 && !done; i++) {
			size_t kl = strlen(sz[i].key);
			if (strncmp(p, sz[i].key, kl) || !isspace((unsigned char)p[kl]))
				continue;
			if (zi_number(p + kl, &v) || v > MACHINE_MAX_PFN) {
				errf(err, errlen, "%s:%d: '%s' is not a pfn or page count below 2^40", path, lineno, sz[i].key);
				goto out;
			}
			*(bool *)((char *)&s + sz[i].off_has) = true;
			*(unsigned long *)((char *)&s + sz[i].off_val) = v;
			done = true;
		}
		if (done)
			continue;
		if (!strncmp(p, "protection: (", 13)) {
			char *q = p + 13;
			for (int z = 0; *q && *q != ')'; z++) {
				char *e;
				errno = 0;
				long x = strtol(q, &e, 10);
				if (e == q || errno || x < 0 || x > (long)MACHINE_MAX_PFN) {
					errf(err, errlen, "%s:%d: protection: entry %d is not a page count", path, lineno, z);
					goto out;
				}
				if (z < MAX_NR_ZONES)
					nd->imp_protection[nid][zid][z] = x;
				q = e;
				while (*q == ',' || isspace((unsigned char)*q))
					q++;
			}
			if (*q != ')') {
				errf(err, errlen, "%s:%d: protection: the list does not end with ')'", path, lineno);
				goto out;
			}
		} else if (!strncmp(p, "cpu:", 4)) {
			if (zi_number(p + 4, &v) || v >= NR_CPUS) {
				errf(err, errlen, "%s:%d: cpu: not a CPU number below %d", path, lineno, NR_CPUS);
				goto out;
			}
			if (++s.cpus > NR_CPUS) {
				errf(err, errlen, "%s:%d: more than %d CPUs in one zone", path, lineno, NR_CPUS);
				goto out;
			}
		} else if (s.cpus == 1 && !pcp_seen) {
			/* the first CPU's pageset: its high, batch and 6.7+ bounds */
			static const char *const pk[] = { "high:", "batch:", "high_min:", "high_max:" };
			for (int i = 0; i < 4; i++) {
				size_t kl = strlen(pk[i]);
				if (strncmp(p, pk[i], kl))
					continue;
				if (zi_number(p + kl, &v) || v > (i == 1 ? 65536UL : (unsigned long)INT_MAX)) {
					errf(err, errlen, "%s:%d: %.*s is not a count%s", path, lineno, (int)kl - 1, pk[i],
					     i == 1 ? " in 1..65536" : "");
					goto out;
				}
				if (i == 1 && !v) {
					errf(err, errlen, "%s:%d: batch: 0; the kernel's batch is at least 1", path, lineno);
					goto out;
				}
				int *dst[] = { &nd->imp_high[nid][zid], &nd->imp_batch[nid][zid], &nd->imp_high_min[nid][zid],
					       &nd->imp_high_max[nid][zid] };
				*dst[i] = (int)v;
				if (i == 3) {
					pcp_seen = true;
					if (nd->imp_high_min[nid][zid] > nd->imp_high_max[nid][zid]) {
						errf(err, errlen, "%s:%d: high_min %d is above high_max %d", path, lineno,
						     nd->imp_high_min[nid][zid], nd->imp_high_max[nid][zid]);
						goto out;
					}
				}
			}
		}
	}
	if (ferror(f)) {
		errf(err, errlen, "zoneinfo %s: read error", path);
		goto out;
	}
	if (zi_flush(nd, &s, seen, path, lineno, err, errlen))
		goto out;
	if (s.cpus > max_cpus)
		max_cpus = s.cpus;
	if (!nd->nr_ranges) {
		errf(err, errlen, "%s: no populated zone found (is it a /proc/zoneinfo capture?)", path);
		goto out;
	}
	for (int n = 0; n <= max_nid; n++) {
		bool has = false;
		for (int i = 0; i < nd->nr_ranges; i++)
			has |= nd->ranges[i].nid == n;
		if (!has) {
			errf(err, errlen, "%s: node %d has no populated zone (memoryless nodes in a capture are not modelled)", path, n);
			goto out;
		}
	}
	nd->nr_nodes = max_nid + 1;
	nd->nr_cpus = max_cpus ? max_cpus : 1;
	if (nd->nr_cpus < nd->nr_nodes)
		nd->nr_cpus = nd->nr_nodes;
	for (int c = 0; c < nd->nr_cpus; c++)
		nd->cpu_to_node[c] = c * nd->nr_nodes / nd->nr_cpus;
	for (int a = 0; a < MAX_NUMNODES; a++)
		for (int b = 0; b < MAX_NUMNODES; b++)
			nd->node_distance[a][b] = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	snprintf(nd->name, sizeof(nd->name), "zoneinfo:%s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	*d = *nd;
	r = 0;
out:
	fclose(f);
	free(line);
	free(nd);
	return r;
}
