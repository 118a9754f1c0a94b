// SPDX-License-Identifier: GPL-2.0
/*
 * show - build a machine model and print one of its /proc dumps, so a configuration
 * can be checked before it is benchmarked.
 *   show buddyinfo|pagetypeinfo|zoneinfo|vmstat|zonelists [machine options]
 */
#include <stdio.h>
#include <string.h>

#include "alloc/page_alloc.h"
#include "alloc/vmstat.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: show buddyinfo|pagetypeinfo|zoneinfo|vmstat|zonelists [machine options]\n\n%s",
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
	struct machine *m = machine_create(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "show: %s\n", err);
		return 2;
	}
	const char *what = argv[1];
	int rc = 0;
	if (!strcmp(what, "buddyinfo"))
		show_buddyinfo(m, stdout);
	else if (!strcmp(what, "pagetypeinfo"))
		show_pagetypeinfo(m, stdout);
	else if (!strcmp(what, "zoneinfo"))
		show_zoneinfo(m, stdout);
	else if (!strcmp(what, "vmstat"))
		show_vmstat(m, stdout);
	else if (!strcmp(what, "zonelists")) {
		char buf[4096];
		for (int nid = 0; nid < m->nr_nodes; nid++) {
			zonelist_format(node_zonelist(m, nid, 0), buf, sizeof(buf));
			printf("node %d fallback:   %s\n", nid, buf);
			zonelist_format(node_zonelist(m, nid, __GFP_THISNODE), buf, sizeof(buf));
			printf("node %d thisnode:   %s\n", nid, buf);
		}
	} else {
		fprintf(stderr, "show: unknown dump '%s'\n", what);
		rc = usage(stderr);
	}
	machine_destroy(m);
	return rc;
}
