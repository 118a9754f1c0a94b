// SPDX-License-Identifier: GPL-2.0
/*
 * fastpath_count - the repeat workload (allocate and free one block, a pcp hit each time)
 * for a fixed number of pairs and nothing else, so that an instruction counter can give
 * instructions per pair: scripts/count-instructions runs it under callgrind with N and 2N
 * pairs and divides the difference by N. The count is exact and does not depend on a
 * noisy host, which makes it the figure to compare fast-path changes by on shared VMs
 * (time still decides: instructions are not nanoseconds).
 *   fastpath_count [machine options] [--order N] PAIRS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/page_alloc.h"

int main(int argc, char **argv)
{
	struct machine_desc d;
	char err[256];
	unsigned int order = 0;

	machine_desc_default(&d);
	if (machine_desc_parse_args(&d, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "fastpath_count: %s\n", err);
		return 2;
	}
	if (argc >= 3 && !strcmp(argv[1], "--order")) {
		order = (unsigned int)atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	char *end = NULL;
	long pairs = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (pairs < 0 || !end || *end || order >= MAX_ORDER) {
		fprintf(stderr, "usage: fastpath_count [machine options] [--order N] PAIRS\n");
		return 2;
	}
	struct machine *m = machine_create(&d, err, sizeof(err));
	if (!m || cpu_bind(m, 0)) {
		fprintf(stderr, "fastpath_count: %s\n", m ? "cpu_bind failed" : err);
		return 1;
	}
	__free_pages(alloc_pages(GFP_KERNEL, order), order);    /* warm the list: every pair hits */
	for (long i = 0; i < pairs; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);
		if (!p)
			abort();
		__asm__ __volatile__("" : : "r"(p) : "memory");
		__free_pages(p, order);
	}
	char cerr[512];
	if (check_machine(m, cerr, sizeof(cerr))) {
		fprintf(stderr, "fastpath_count: %s\n", cerr);
		return 1;
	}
	cpu_unbind();
	machine_destroy(m);
	return 0;
}
