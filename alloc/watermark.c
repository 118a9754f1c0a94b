// SPDX-License-Identifier: GPL-2.0
/*
 * watermark.c - the zone watermarks and lowmem_reserve (setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, init_per_zone_wmark_min) and the sysctls that drive
 * them (sysctl_set). Linux 4.12 mm/page_alloc.c.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/machine.h"
#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

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
	/* the bounds of the kernel's handlers: proc_dointvec_minmax on an int */
	if (!strcmp(name, "min_free_kbytes")) {
		if (value < 0 || value > INT_MAX)
			return errf(err, errlen, "min_free_kbytes: %ld is outside 0..%d", value, INT_MAX);
		m->user_min_free_kbytes = m->min_free_kbytes = (int)value;
		setup_per_zone_wmarks(m);
	} else if (!strcmp(name, "watermark_scale_factor")) {
		if (value < 1 || value > 3000)
			return errf(err, errlen, "watermark_scale_factor: %ld is outside 1..3000", value);
		m->desc.watermark_scale_factor = (int)value;
		setup_per_zone_wmarks(m);
	} else if (!strcmp(name, "watermark_boost_factor")) {
		if (!m->pcp_policy->watermark_boost)
			return errf(err, errlen, "watermark_boost_factor: %s has no such sysctl (boosting came in 5.0)",
				    m->pcp_policy->name);
		if (value < 0 || value > INT_MAX)
			return errf(err, errlen, "watermark_boost_factor: %ld is outside 0..%d", value, INT_MAX);
		m->watermark_boost_factor = m->desc.watermark_boost_factor = (int)value;
	} else if (!strcmp(name, "swappiness")) {
		if (value < 0 || value > m->pcp_policy->swappiness_max)
			return errf(err, errlen, "swappiness: %ld is outside 0..%d (%s)", value, m->pcp_policy->swappiness_max,
				    m->pcp_policy->name);
		m->desc.swappiness = (int)value;
	} else if (!strcmp(name, "dirty_ratio") || !strcmp(name, "dirty_background_ratio")) {
		if (value < 0 || value > 100)
			return errf(err, errlen, "%s: %ld is outside 0..100", name, value);
		*(name[6] == 'r' ? &m->desc.dirty_ratio : &m->desc.dirty_background_ratio) = (int)value;
	} else if (!strcmp(name, "percpu_pagelist_fraction") || !strcmp(name, "percpu_pagelist_high_fraction")) {
		if (value < 0 || (value && value < 8) || value > INT_MAX)
			return errf(err, errlen, "%s: %ld is outside 0 or 8..%d", name, value, INT_MAX);
		const char *has = pcp_fraction_name(m->pcp_policy->fraction_sysctl);
		if (strcmp(name, has))
			return errf(err, errlen, "%s: %s has no such sysctl (it has %s)", name, m->pcp_policy->name, has);
		if (name[sizeof("percpu_pagelist_") - 1] == 'f')
			m->desc.percpu_pagelist_fraction = (int)value;
		else
			m->desc.percpu_pagelist_high_fraction = (int)value;
	} else {
		return errf(err, errlen, "unknown sysctl '%s'", name);
	}
	for_each_zone(m, zone)
		zone_pcp_update(zone);
	return 0;
}
