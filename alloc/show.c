// SPDX-License-Identifier: GPL-2.0
/*
 * show - build a machine model and print one of its /proc dumps, so a configuration
 * can be checked before it is benchmarked.
 *   show buddyinfo|pagetypeinfo|zoneinfo|vmstat|modelstat|zonelists [machine options]
 */
#include <stdio.h>
#include <string.h>

#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: show buddyinfo|pagetypeinfo|zoneinfo|vmstat|modelstat|zonelists [machine options]\n\n%s",
		machine_options_help);
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	struct machine_desc d;
	char err[512];

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	machine_desc_default(&d);
	if (machine_desc_parse_args(&d, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "show: %s\n", err);
		return 2;
	}
	if (argc != 2) {
		fprintf(stderr, "show: unexpected argument '%s'\n", argc > 2 ? argv[2] : "");
		return usage(stderr);
	}
	if (!show_proc_known(argv[1])) {
		fprintf(stderr, "show: unknown dump '%s'\n", argv[1]);
		return usage(stderr);
	}
	struct machine *m = machine_create(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "show: %s\n", err);
		return 2;
	}
	int rc = 0;
	if (show_proc(m, argv[1], stdout)) {
		fprintf(stderr, "show: unknown dump '%s'\n", argv[1]);
		rc = usage(stderr);
	}
	machine_destroy(m);
	return rc;
}
