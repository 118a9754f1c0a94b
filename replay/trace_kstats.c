// SPDX-License-Identifier: GPL-2.0
/*
 * trace_kstats - the kernel's own page-allocator figures from perf script traces,
 * as ../shared/traces/README.md tabulates them.
 *
 *   trace_kstats [--skip-bad] [--all] TRACE...
 *
 * TRACE: text or .xz (by content), "-" for stdin.  Prints the README's table
 * with one row per trace (named after the file, less ".trace.xz"/".xz"), then
 * with --all every figure of each trace, and the reader's summary (unknown
 * events and gfp names) on stderr.  Exit 1 if a trace cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/kernel_stats.h"

static void row_name(const char *path, char *out, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	snprintf(out, size, "%s", base);
	n = strlen(out);
	if (n > 9 && strcmp(out + n - 9, ".trace.xz") == 0)
		out[n - 9] = '\0';
	else if (n > 3 && strcmp(out + n - 3, ".xz") == 0)
		out[n - 3] = '\0';
	else if (n > 6 && strcmp(out + n - 6, ".trace") == 0)
		out[n - 6] = '\0';
}

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int all = 0, ntraces = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--skip-bad") == 0)
			flags |= TRACE_SKIP_BAD;
		else if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (strncmp(argv[i], "--", 2) == 0 || strcmp(argv[i], "-h") == 0) {
			fprintf(stderr, "usage: trace_kstats [--skip-bad] [--all] TRACE...\n");
			return 2;
		} else
			ntraces++;
	}
	if (!ntraces) {
		fprintf(stderr, "usage: trace_kstats [--skip-bad] [--all] TRACE...\n");
		return 2;
	}

	kernel_stats_print_table_header(stdout);
	for (int i = 1; i < argc; i++) {
		struct kernel_stats ks;
		struct trace_counts counts;
		char err[512], name[256];

		if (strncmp(argv[i], "--", 2) == 0)
			continue;
		if (kernel_stats_from_trace(argv[i], flags, &ks, &counts, err, sizeof(err))) {
			fprintf(stderr, "trace_kstats: %s\n", err);
			kernel_stats_destroy(&ks);
			failed = 1;
			continue;
		}
		row_name(argv[i], name, sizeof(name));
		kernel_stats_print_table_row(&ks, name, stdout);
		if (all) {
			printf("\n%s:\n", name);
			kernel_stats_print(&ks, stdout);
			printf("lines %llu, bad lines skipped %llu, text bytes %llu\n\n",
			       (unsigned long long)counts.lines, (unsigned long long)counts.bad_lines,
			       (unsigned long long)counts.bytes);
		}
		kernel_stats_destroy(&ks);
	}
	return failed;
}
