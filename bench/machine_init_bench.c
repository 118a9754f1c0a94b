// SPDX-License-Identifier: GPL-2.0
/*
 * machine_init_bench - time to build a machine model (mem_map, zones, boot-time freeing,
 * watermarks, pagesets) for 64 GiB and 1 TiB of simulated memory, the resident memory it
 * takes, and the metadata bytes per simulated page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "alloc/page_alloc.h"
#include "bench/gbench.h"

static long rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * sysconf(_SC_PAGESIZE);
}

static void bm_init(gb_state *s, void *arg)
{
	unsigned long bytes = (unsigned long)(uintptr_t)arg;
	struct machine_desc d;
	char err[256];
	double rss = 0, meta = 0;

	machine_desc_default(&d);
	if (machine_desc_simple(&d, 1, bytes, 8, err, sizeof(err))) {
		gb_skip_with_error(s, err);
		return;
	}
	while (gb_keep_running(s)) {
		long before = rss_bytes();
		struct machine *m = machine_create(&d, err, sizeof(err));
		if (!m) {
			gb_skip_with_error(s, err);
			break;
		}
		gb_pause_timing(s);
		rss = (double)(rss_bytes() - before);
		meta = (double)(m->mem_map_bytes + (m->max_pfn >> pageblock_order) * sizeof(struct pageblock)) /
		       (double)m->max_pfn;
		machine_destroy(m);
		gb_resume_timing(s);
	}
	gb_counter(s, "rss_mib", rss / (1 << 20), GB_COUNTER_DEFAULT);
	gb_counter(s, "metadata_bytes_per_page", meta, GB_COUNTER_DEFAULT);
}

int main(int argc, char **argv)
{
	gb_unit(gb_iterations(gb_register("init/mem:64G", bm_init, (void *)(uintptr_t)(64UL << 30)), 3), GB_MS);
	gb_unit(gb_iterations(gb_register("init/mem:1T", bm_init, (void *)(uintptr_t)(1UL << 40)), 1), GB_MS);
	if (gb_initialize(&argc, argv))
		return 2;
	gb_run_specified();
	gb_shutdown();
	return gb_any_error() ? 1 : 0;
}
